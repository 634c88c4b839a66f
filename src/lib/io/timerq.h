/* SPDX-License-Identifier: Apache-2.0 */
/* A min-heap of timers: (due time, id) pairs, earliest first. For loops
 * that hold many things each until its own time (packets in the lab's
 * impairment daemon, probes waiting for their timeout) and want the next
 * deadline for poll(). Pure data structure: no clock, no I/O. */
#ifndef NETKIT_IO_TIMERQ_H
#define NETKIT_IO_TIMERQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct timerq_item {
	uint64_t due;
	uint64_t id;
};

struct timerq {
	struct timerq_item *v;
	size_t n, cap;
};

#define TIMERQ_INIT                                                                                \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}

void timerq_free(struct timerq *q);
/* 0 or -ENOMEM. Equal due times come out in no particular order. */
int timerq_push(struct timerq *q, uint64_t due, uint64_t id);
/* The earliest item (not removed): false if empty. */
bool timerq_peek(const struct timerq *q, struct timerq_item *out);
/* Remove and return the earliest item: false if empty. */
bool timerq_pop(struct timerq *q, struct timerq_item *out);

static inline size_t timerq_len(const struct timerq *q)
{
	return q->n;
}

#endif
