/* SPDX-License-Identifier: Apache-2.0 */
/* Binary min-heap of timers (see timerq.h). */
#include "lib/io/timerq.h"

#include <errno.h>
#include <stdlib.h>

void timerq_free(struct timerq *q)
{
	free(q->v);
	q->v = NULL;
	q->n = q->cap = 0;
}

int timerq_push(struct timerq *q, uint64_t due, uint64_t id)
{
	if (q->n == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 256;
		struct timerq_item *v = realloc(q->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		q->v = v;
		q->cap = cap;
	}
	size_t i = q->n++;
	while (i > 0 && q->v[(i - 1) / 2].due > due) {
		q->v[i] = q->v[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	q->v[i] = (struct timerq_item){due, id};
	return 0;
}

bool timerq_peek(const struct timerq *q, struct timerq_item *out)
{
	if (!q->n)
		return false;
	*out = q->v[0];
	return true;
}

bool timerq_pop(struct timerq *q, struct timerq_item *out)
{
	if (!q->n)
		return false;
	*out = q->v[0];
	struct timerq_item last = q->v[--q->n];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= q->n)
			break;
		if (c + 1 < q->n && q->v[c + 1].due < q->v[c].due)
			c++;
		if (q->v[c].due >= last.due)
			break;
		q->v[i] = q->v[c];
		i = c;
	}
	if (q->n)
		q->v[i] = last;
	return true;
}
