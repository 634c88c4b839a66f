/* SPDX-License-Identifier: Apache-2.0 */
/* The live screen (ncurses), laid out as mtr 0.95 draws it: title, the
 * source and destination line, the keys line, "Packets / Pings" column
 * headers, then one line per hop (and per extra address of a hop). Keys
 * as mtr's: q quit, p pause, space resume, r reset, d display mode, n DNS,
 * j latency/jitter columns, o field order, y IP info, z AS numbers,
 * u UDP/ICMP, t TCP/ICMP, e MPLS, +/- scroll, h/? help. The screen and
 * report mode read the same statistics. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/mtr/mtr.h"
#include "lib/io/tsock.h"

#define NUM_FACTORS 8

struct screen {
	struct mtr *m;
	int offset; /* first hop shown (+/- scroll) */
	double factors[NUM_FACTORS];
	int scale[NUM_FACTORS];
	char block_map[NUM_FACTORS];
};

static void hop_name(struct screen *s, const struct pkt_addr *a)
{
	struct mtr *m = s->m;
	char name[128], ii[64];

	if (m->dns_on || m->ipinfo_no >= 0)
		mtr_name_lookup(m, a);
	if (m->ipinfo_no >= 0)
		printw("%s", mtr_ipinfo(m, a, true, ii, sizeof(ii)));
	mtr_addr_text(m, a, true, name, sizeof(name));
	printw("%s", name);
}

static void draw_hosts(struct screen *s, int startstat)
{
	struct mtr *m = s->m;
	const struct trace_path *p = &m->tr.paths[0];
	int max = trace_max(&m->tr, 0), y, x;
	char buf[1024];

	for (int at = m->cfg.first_ttl - 1 + s->offset; at < max; at++) {
		const struct trace_hop *h = &p->hops[at];
		size_t len = 0;

		printw("%2d. ", at + 1);
		if (!h->known || h->unreach) {
			attron(A_BOLD);
			printw("(%s)", h->unreach ? "no route to host" : "waiting for reply");
			attroff(A_BOLD);
			printw("\n");
			continue;
		}
		hop_name(s, &h->addr);
		getyx(stdscr, y, x);
		(void)x;
		move(y, startstat);
		for (const char *k = m->fields; *k; k++) {
			const struct mtr_field *f = mtr_field_find(*k);

			mtr_cell(f, &h->st, buf + len, sizeof(buf) - len);
			len += (size_t)f->width;
		}
		buf[len] = 0;
		printw("%s", buf);
		for (int i = 0; i < h->naddrs; i++) {
			if (pkt_addr_eq(&h->addrs[i], &h->addr))
				continue;
			printw("\n    ");
			hop_name(s, &h->addrs[i]);
		}
		for (int k = 0; m->cfg.mpls && k < h->mpls.n; k++)
			printw("\n    [MPLS: Lbl %u TC %u S %u TTL %u]", h->mpls.l[k].label,
			       h->mpls.l[k].tc, h->mpls.l[k].s, h->mpls.l[k].ttl);
		printw("\n");
	}
}

static void gen_scale(struct screen *s)
{
	const struct trace_path *p = &s->m->tr.paths[0];
	int max = trace_max(&s->m->tr, 0), low = 1000000, high = -1;

	for (int at = s->offset; at < max; at++)
		for (int i = 0; i < TRACE_SAVED; i++) {
			int v = p->hops[at].saved[i];

			if (v < 0)
				continue;
			if (v < low)
				low = v;
			if (v > high)
				high = v;
		}
	for (int i = 0; i < NUM_FACTORS; i++)
		s->scale[i] = (int)(low + (double)(high - low) * s->factors[i]);
}

static void draw_graph(struct screen *s, int startstat, int cols)
{
	struct mtr *m = s->m;
	const struct trace_path *p = &m->tr.paths[0];
	int max = trace_max(&m->tr, 0), y, x;

	for (int at = s->offset; at < max; at++) {
		const struct trace_hop *h = &p->hops[at];

		printw("%2d. ", at + 1);
		if (h->known && !h->unreach) {
			hop_name(s, &h->addr);
		} else {
			attron(A_BOLD);
			printw("(%s)", h->unreach ? "no route to host" : "waiting for reply");
			attroff(A_BOLD);
		}
		getyx(stdscr, y, x);
		(void)x;
		move(y, startstat);
		printw(" ");
		for (int i = TRACE_SAVED - cols; i < TRACE_SAVED; i++) {
			int v = h->saved[i], c;

			if (v == -2) {
				printw(" ");
				continue;
			}
			if (v == -1) {
				printw("?");
				continue;
			}
			if (m->display_mode == 1) {
				printw("%c", v > s->scale[6] ? s->block_map[NUM_FACTORS - 1] : '.');
				continue;
			}
			for (c = 0; c < NUM_FACTORS && v > s->scale[c]; c++)
				;
			printw("%c", c < NUM_FACTORS ? s->block_map[c] : '>');
		}
		printw("\n");
	}
}

static void draw_header(struct screen *s, int maxx)
{
	struct mtr *m = s->m;
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN], t[64], title[64];
	time_t now = time(NULL);
	struct tm tm;

	snprintf(title, sizeof(title), "My traceroute  [v%s]", MTR_VERSION);
	move(0, 0);
	attron(A_BOLD);
	printw("%*s%s", (int)((size_t)maxx - strlen(title)) / 2, "", title);
	attroff(A_BOLD);
	inet_ntop(m->tr.src.family, m->tr.src.b, src, sizeof(src));
	inet_ntop(m->cfg.dst.family, m->cfg.dst.b, dst, sizeof(dst));
	mvprintw(1, 0, "%s (%s) -> %s (%s)", m->local, src, m->hostname, dst);
	localtime_r(&now, &tm);
	strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%S%z", &tm);
	mvprintw(1, maxx - 25, "%s", t);
	printw("\n");
	printw("Keys:  ");
	static const char *const keys[][2] = {{"H", "elp   "},
					      {"D", "isplay mode   "},
					      {"R", "estart statistics   "},
					      {"O", "rder of fields   "},
					      {"q", "uit\n"}};
	for (size_t i = 0; i < 5; i++) {
		attron(A_BOLD);
		printw("%s", keys[i][0]);
		attroff(A_BOLD);
		printw("%s", keys[i][1]);
	}
}

static void redraw(struct screen *s)
{
	struct mtr *m = s->m;
	int maxx, maxy, hd_len = 0;
	char buf[1024];

	erase();
	getmaxyx(stdscr, maxy, maxx);
	(void)maxy;
	draw_header(s, maxx);
	if (m->display_mode == 0) {
		for (const char *k = m->fields; *k; k++) {
			const struct mtr_field *f = mtr_field_find(*k);

			snprintf(buf + hd_len, sizeof(buf) - (size_t)hd_len, "%*s", f->width,
				 f->title);
			hd_len += f->width;
		}
		attron(A_BOLD);
		mvprintw(4, 0, " Host");
		mvprintw(4, maxx - hd_len - 1, "%s", buf);
		mvprintw(3, maxx - hd_len - 1, "   Packets               Pings");
		attroff(A_BOLD);
		move(5, 0);
		draw_hosts(s, maxx - hd_len - 1);
	} else {
		static const int iiwidth[] = {7, 19, 4, 8, 11}; /* as names.c */
		int padding = 30 + (m->ipinfo_no >= 0 ? iiwidth[m->ipinfo_no % 5] : 0);
		int cols = maxx <= TRACE_SAVED + padding ? maxx - padding : TRACE_SAVED;

		mvprintw(4, padding - 2, " Last %3d pings", cols);
		move(5, 0);
		gen_scale(s);
		draw_graph(s, padding - 2, cols);
		printw("\n");
		attron(A_BOLD);
		printw("Scale:");
		attroff(A_BOLD);
		for (int i = 0; i < NUM_FACTORS - 1; i++)
			printw("  %c:%d ms", s->block_map[i], s->scale[i] / 1000);
		printw("  %c", s->block_map[NUM_FACTORS - 1]);
	}
	if (m->paused)
		mvprintw(2, maxx - 10, "[paused]");
	refresh();
}

/* Reads a line at the prompt (o key), echoing accepted characters. */
static void prompt_fields(struct screen *s)
{
	char buf[MTR_MAXFLD + 1];
	int i = 0, c;

	mvprintw(2, 0, "Fields: %s\n\n", s->m->fields);
	for (const struct mtr_field *f = mtr_fields; f->key; f++)
		printw("  %c: %s\n", f->key == ' ' ? '_' : f->key, f->title);
	move(2, 8);
	refresh();
	nodelay(stdscr, FALSE);
	while ((c = getch()) != '\n' && c != '\r' && c != ERR && i < MTR_MAXFLD) {
		if (mtr_field_find((char)c)) {
			attron(A_BOLD);
			printw("%c", c);
			attroff(A_BOLD);
			refresh();
			buf[i++] = (char)c;
		} else {
			beep();
		}
	}
	nodelay(stdscr, TRUE);
	buf[i] = 0;
	if (i)
		snprintf(s->m->fields, sizeof(s->m->fields), "%s", buf);
}

static void help(void)
{
	static const char *const lines[] = {
		"  ?|h     help",
		"  p       pause (SPACE to resume)",
		"  d       switching display mode",
		"  e       toggle MPLS information on/off",
		"  n       toggle DNS on/off",
		"  r       reset all counters",
		"  o str   set the columns to display, default str='LRS N BAWV'",
		"  j       toggle latency(LS NABWV)/jitter(DR AGJMXI) stats",
		"  c <n>   report cycle n, default n=infinite",
		"  i <n>   set the ping interval to n seconds, default n=1",
		"  f <n>   set the initial time-to-live(ttl), default n=1",
		"  m <n>   set the max time-to-live, default n= # of hops",
		"  s <n>   set the packet size to n or random(n<0)",
		"  b <c>   set ping bit pattern to c(0..255) or random(c<0)",
		"  Q <t>   set ping packet's TOS to t",
		"  u       switch between ICMP ECHO and UDP datagrams",
		"  t       switch between ICMP ECHO and TCP",
		"  y       switching IP info",
		"  z       toggle ASN info on/off",
	};

	mvprintw(2, 0, "Command:\n");
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		printw("%s\n", lines[i]);
	printw("\n press any key to go back...");
	refresh();
	nodelay(stdscr, FALSE);
	getch();
	nodelay(stdscr, TRUE);
}

/* mtr's number prompts (s b i f m Q keys): "LABEL VALUE" on line 2, a hint
 * (or nothing) on line 3, the cursor after the label, so what is typed
 * overwrites the old value, in bold, up to Enter; like mtr, any character
 * is taken and the caller reads the number with atoi/atof. */
#define PROMPT_MAX 20

static void prompt_number(const char *label, const char *value, const char *hint, char *buf)
{
	int i = 0, c;

	mvprintw(2, 0, "%s%s\n", label, value);
	mvprintw(3, 0, "%s\n", hint ? hint : "");
	move(2, (int)strlen(label));
	refresh();
	nodelay(stdscr, FALSE);
	while ((c = getch()) != '\n' && c != '\r' && c != ERR && i < PROMPT_MAX) {
		attron(A_BOLD);
		printw("%c", c);
		attroff(A_BOLD);
		refresh();
		buf[i++] = (char)c;
	}
	nodelay(stdscr, TRUE);
	buf[i] = 0;
}

/* A number prompt showing *val: what is typed (read as mtr reads it, with
 * atoi) replaces both the front end's and the engine's copy when it is in
 * [lo, hi]; otherwise the setting stays, as in mtr. */
static void prompt_int(const char *label, int *val, int *live, int lo, int hi)
{
	char buf[PROMPT_MAX + 1], cur[32];
	int v;

	snprintf(cur, sizeof(cur), "%d", *val);
	prompt_number(label, cur, NULL, buf);
	v = atoi(buf);
	if (v >= lo && v <= hi)
		*val = *live = v;
}

/* The value typed at a prompt for key c, applied with mtr's checks; out
 * of range, the setting stays. Statistics stay too, as in mtr. */
static void prompt_key(struct screen *s, int c)
{
	struct trace_cfg *live = &s->m->tr.cfg, *cfg = &s->m->cfg;
	char buf[PROMPT_MAX + 1], cur[32];
	int v;

	switch (c) {
	case 's':
		snprintf(cur, sizeof(cur), "%d", cfg->size);
		prompt_number("Change Packet Size: ", cur, "Size Range: 28-4470, < 0:random.", buf);
		/* any number, as mtr takes it (negative: random sizes); one it
		 * cannot send ends the program as mtr's next probe does */
		cfg->size = live->size = atoi(buf);
		v = trace_size_check(live->family, live->proto, s->m->tr.mtu, live->size);
		if (v < 0) {
			endwin();
			fprintf(stderr, "%s: %s\n", program_invocation_name, mtr_size_error(v));
			exit(1);
		}
		break;
	case 'b':
		/* the engine's: a random pattern shows this cycle's number */
		snprintf(cur, sizeof(cur), "%d", live->bitpattern);
		prompt_number("Ping Bit Pattern: ", cur,
			      "Pattern Range: 0(0x00)-255(0xff), <0 random.", buf);
		v = atoi(buf);
		/* negative: a random pattern each cycle; above 255 too (as -1) */
		cfg->bitpattern = live->bitpattern = v > 255 ? -1 : v;
		break;
	case 'i': {
		snprintf(cur, sizeof(cur), "%d", (int)cfg->interval);
		prompt_number("Interval : ", cur, NULL, buf);
		double f = atof(buf);
		/* below a second only for root, as mtr's -i */
		if (f > 0 && (f >= 1.0 || getuid() == 0))
			cfg->interval = live->interval = f;
		break;
	}
	case 'f':
		prompt_int("First TTL: ", &cfg->first_ttl, &live->first_ttl, 1, cfg->max_ttl);
		break;
	case 'm':
		prompt_int("Max TTL: ", &cfg->max_ttl, &live->max_ttl, cfg->first_ttl,
			   TRACE_MAXHOPS - 1);
		break;
	case 'Q':
		snprintf(cur, sizeof(cur), "%d", cfg->tos);
		prompt_number("Type of Service(tos): ", cur,
			      "default 0x00, min cost 0x02, rel 0x04,, thr 0x08, low del 0x10...",
			      buf);
		v = atoi(buf);
		cfg->tos = v > 255 || v < 0 ? 0 : v;
		trace_set_tos(&s->m->tr, cfg->tos);
		break;
	}
}

/* Goes on with another protocol (u/t keys); the statistics stay, as in mtr. */
static void switch_proto(struct screen *s, enum trace_proto p)
{
	struct mtr *m = s->m;
	char err[256];
	int port = p == TRACE_TCP ? 80 : 33434;

	if (trace_switch(&m->tr, p, port, err, sizeof(err)) < 0) {
		endwin();
		fprintf(stderr, "mtr: %s\n", err);
		exit(1);
	}
	m->cfg.proto = p;
	m->cfg.port = port;
}

/* Returns false to quit. */
static bool key(struct screen *s, int c)
{
	struct mtr *m = s->m;

	if (c == 'Q' || strchr("sbifm", tolower(c))) {
		/* Q is the TOS; q quits */
		prompt_key(s, c == 'Q' ? c : tolower(c));
		return true;
	}
	switch (tolower(c)) {
	case 'q':
	case 3: return false;
	case 'p':
	case 19: m->paused = true; break;
	case ' ':
	case 17:
		m->paused = false;
		m->tr.next_cycle = tsock_now();
		break;
	case 'r': trace_reset(&m->tr); break;
	case 'd': m->display_mode = (m->display_mode + 1) % 3; break;
	case 'n': m->dns_on = !m->dns_on; break;
	case 'e': m->cfg.mpls = m->tr.cfg.mpls = !m->cfg.mpls; break;
	case 'j':
		snprintf(m->fields, sizeof(m->fields), "%s",
			 strchr(m->fields, 'N') ? "DR AGJMXI" : "LS NABWV");
		break;
	case 'o': prompt_fields(s); break;
	case 'y': m->ipinfo_no = m->ipinfo_no < 0 ? 0 : (m->ipinfo_no + 1) % 5; break;
	case 'z': m->ipinfo_no = m->ipinfo_no == 0 ? -1 : 0; break;
	case 'u': switch_proto(s, m->cfg.proto == TRACE_UDP ? TRACE_ICMP : TRACE_UDP); break;
	case 't': switch_proto(s, m->cfg.proto == TRACE_TCP ? TRACE_ICMP : TRACE_TCP); break;
	case '+':
		if (s->offset + 1 < trace_max(&m->tr, 0))
			s->offset++;
		break;
	case '-':
		if (s->offset > 0)
			s->offset--;
		break;
	case 'h':
	case '?': help(); break;
	default: break;
	}
	return true;
}

static void init_scale(struct screen *s)
{
	int split = (NUM_FACTORS - 2) / 2;

	for (int i = 0; i < NUM_FACTORS; i++) {
		s->factors[i] = (1.0 / NUM_FACTORS) * (i + 1);
		s->factors[i] *= s->factors[i];
	}
	for (int i = 1; i <= split; i++)
		s->block_map[i] = (char)('0' + i);
	for (int i = split + 1; i < NUM_FACTORS - 1; i++)
		s->block_map[i] = (char)('a' + i - split - 1);
	s->block_map[0] = '.';
	s->block_map[NUM_FACTORS - 1] = '>';
}

int mtr_screen_run(struct mtr *m)
{
	struct screen s = {.m = m};
	double next_draw = 0;
	bool run = true;

	init_scale(&s);
	if (!initscr())
		return 1;
	raw();
	noecho();
	nodelay(stdscr, TRUE);
	keypad(stdscr, TRUE);
	trace_tick(&m->tr, tsock_now());
	while (run) {
		int rev = mtr_loop_once(m, 0.2, true);
		double now = tsock_now();

		if (rev < 0)
			break;
		if (rev & POLLIN) {
			int c;

			while (run && (c = getch()) != ERR)
				run = key(&s, c);
			next_draw = 0;
		}
		if (m->cfg.count && trace_finished(&m->tr, now)) {
			trace_settle(&m->tr);
			redraw(&s); /* the final numbers stay on the terminal */
			run = false;
		}
		if (run && now >= next_draw) {
			redraw(&s);
			next_draw = now + 0.2;
		}
	}
	printw("\n");
	endwin();
	return 0;
}
