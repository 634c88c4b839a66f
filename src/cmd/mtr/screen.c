/* placeholder replaced below */
#include "cmd/mtr/mtr.h"
int mtr_screen_run(struct mtr *m)
{
	(void)m;
	return 1;
}
