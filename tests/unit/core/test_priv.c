/* SPDX-License-Identifier: Apache-2.0 */
/* lib/util/priv: what priv_keep leaves, checked in a child process (the
 * change is for good) against the kernel's own account. As root (as the
 * tests run) every step is checked; as an ordinary user, that nothing
 * changes and nothing fails. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <cmocka.h>

#include "lib/util/priv.h"

/* CapPrm or CapEff from /proc/self/status */
static uint64_t status_caps(const char *field)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long long v = ~0ull;
	size_t n = strlen(field);
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, field, n) && line[n] == ':')
			sscanf(line + n + 1, "%llx", &v);
	if (f)
		fclose(f);
	return v;
}

/* runs fn in a child; the child's exit status 0 means every check held */
static void in_child(int (*fn)(void))
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(fn());
	int st = 0;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static int keep_raw_then_none(void)
{
	uint64_t had = priv_held(false);
	uint64_t raw = PRIV_CAP(CAP_NET_RAW), admin = PRIV_CAP(CAP_NET_ADMIN);
	if (had != status_caps("CapPrm"))
		return 1;
	if (priv_keep(raw | admin, 0) < 0)
		return 2;
	if (status_caps("CapPrm") != (had & (raw | admin)) ||
	    status_caps("CapEff") != (had & (raw | admin)))
		return 3;
	/* CAP_NET_RAW only permitted: raised and lowered on demand */
	if (priv_keep(0, raw) < 0 || status_caps("CapEff") != 0 ||
	    status_caps("CapPrm") != (had & raw))
		return 4;
	if (had & raw) {
		if (priv_raise(CAP_NET_RAW, true) < 0 || status_caps("CapEff") != raw)
			return 5;
		if (priv_raise(CAP_NET_RAW, false) < 0 || status_caps("CapEff") != 0)
			return 6;
		/* a capability given up cannot be raised again */
		if (priv_raise(CAP_NET_ADMIN, true) == 0)
			return 7;
	}
	if (priv_keep(0, 0) < 0 || status_caps("CapPrm") != 0 || status_caps("CapEff") != 0)
		return 8;
	if (priv_held(false) != 0 || priv_held(true) != 0)
		return 9;
	return 0;
}

static void test_keep(void **state)
{
	(void)state;
	in_child(keep_raw_then_none);
}

/* asking to keep what is not held keeps nothing more */
static int keep_not_held(void)
{
	if (priv_keep(0, 0) < 0)
		return 1;
	if (priv_keep(PRIV_CAP(CAP_NET_RAW), PRIV_CAP(CAP_SYS_ADMIN)) < 0)
		return 2;
	return status_caps("CapPrm") == 0 && status_caps("CapEff") == 0 ? 0 : 3;
}

static void test_keep_not_held(void **state)
{
	(void)state;
	in_child(keep_not_held);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keep),
		cmocka_unit_test(test_keep_not_held),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
