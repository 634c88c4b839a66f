/* SPDX-License-Identifier: Apache-2.0 */
/* -p, split output: mtr's line protocol for front ends. Whenever a hop's
 * line changes it prints "HOP NAME LOSS RCV SNT BEST AVG WORST" (loss in
 * thousandths of a percent, times in ms) or "HOP ???", and "-N" when the
 * path got shorter. q or r on stdin quit or reset, as in mtr. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/mtr/mtr.h"
#include "lib/io/tsock.h"

#define LINE 256

static void split_draw(struct mtr *m, char (*lines)[LINE], int *count)
{
	const struct trace_path *p = &m->tr.paths[0];
	int max = trace_max(&m->tr, 0);
	char line[LINE], name[160], ip[INET6_ADDRSTRLEN + 2];

	for (int i = *count; i > max; i--) {
		emit_text(&m->out, "-%d\n", i);
		(*count)--;
	}
	for (int at = 0; at < max; at++) {
		const struct trace_hop *h = &p->hops[at];

		if (h->known) {
			bool ips = m->show_ips;

			m->show_ips = false;
			mtr_addr_text(m, &h->addr, true, name, sizeof(name));
			m->show_ips = ips;
			if (ips) {
				inet_ntop(h->addr.family, h->addr.b, ip, sizeof(ip));
				strncat(name, " ", sizeof(name) - strlen(name) - 1);
				strncat(name, ip, sizeof(name) - strlen(name) - 1);
			}
			snprintf(line, sizeof(line), "%s %d %d %d %d %d %d", name,
				 trace_stats_loss(&h->st), h->st.returned, h->st.xmit,
				 h->st.best / 1000, (int)h->st.avg / 1000, h->st.worst / 1000);
		} else {
			snprintf(line, sizeof(line), "???");
		}
		if (strcmp(line, lines[at]) != 0) {
			emit_text(&m->out, "%d %s\n", at + 1, line);
			snprintf(lines[at], LINE, "%s", line);
			if (*count < at + 1)
				*count = at + 1;
		}
	}
	emit_flush(&m->out);
}

int mtr_split_run(struct mtr *m)
{
	static char lines[TRACE_MAXHOPS][LINE];
	int count = -1;
	bool tty_in = isatty(0);

	for (int i = 0; i < TRACE_MAXHOPS; i++)
		snprintf(lines[i], LINE, "???");
	trace_tick(&m->tr, tsock_now());
	for (;;) {
		int rev = mtr_loop_once(m, 0.2, tty_in);

		if (rev < 0)
			return 1;
		if (rev & POLLIN) {
			char c;

			if (read(0, &c, 1) == 1) {
				if (tolower(c) == 'q' || c == 3)
					break;
				if (tolower(c) == 'r')
					trace_reset(&m->tr);
			}
		}
		split_draw(m, lines, &count);
		if (m->cfg.count && trace_finished(&m->tr, tsock_now())) {
			trace_settle(&m->tr);
			break;
		}
	}
	split_draw(m, lines, &count);
	return 0;
}
