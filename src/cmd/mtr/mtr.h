/* SPDX-License-Identifier: Apache-2.0 */
/* netkit mtr: shared state of the front end (options, names, output). */
#ifndef NETKIT_CMD_MTR_H
#define NETKIT_CMD_MTR_H

#include <stdbool.h>
#include <time.h>

#include "engine/trace/trace.h"
#include "lib/dns/dns.h"
#include "lib/emit/emit.h"

#define MTR_MAXFLD 20
#define MTR_VERSION "0.95"

enum mtr_display { D_AUTO, D_REPORT, D_CURSES, D_RAW, D_SPLIT, D_JSON, D_CSV, D_XML, D_NDJSON };

/* One column mtr can show: its letter, header, printf format and width. */
struct mtr_field {
	char key;
	const char *title;
	const char *fmt;
	int width;
	int (*value)(const struct trace_stats *s);
};

/* What DNS told us about one address. */
struct mtr_name {
	struct pkt_addr addr;
	bool ptr_asked, asn_asked, ptr_done, asn_done;
	char *ptr;    /* NULL: not found (yet) */
	char *asn[5]; /* ASN, Route, Country, Registry, Allocated */
	int nasn;
	struct mtr *m;
};

struct mtr {
	struct trace_cfg cfg;
	struct trace tr;
	bool tr_open;
	enum mtr_display display;
	bool wide, dns_on, show_ips, reset_keys;
	bool refused;  /* the size could not be sent: --json's end is "error" */
	int ipinfo_no; /* -1: none, 0: AS number (-z), N: -y N */
	char fields[MTR_MAXFLD + 1];
	const char *hostname; /* as the user typed it */
	const char *hostfile; /* -F */
	char **hosts;	      /* the names on the command line */
	int nhosts;
	char local[256]; /* our host name */
	time_t start;
	struct dns *dns;
	struct mtr_name **names;
	size_t nnames, cap_names;
	struct emit out;
	bool paused;
	/* raw output: the address last shown per hop, and whether its name was */
	struct pkt_addr raw_addr[TRACE_MAXHOPS];
	bool raw_named[TRACE_MAXHOPS];
	int display_mode; /* curses: 0 stats, 1 histogram, 2 bars */
};

extern const struct mtr_field mtr_fields[];
const struct mtr_field *mtr_field_find(char key);

/* mtr.c: an integer option as mtr 0.95 reads one (strtoul): decimal digits
 * after optional blanks and '+', a value below limit; a '-' wraps around
 * and fails (only "-0" passes), as mtr's "invalid argument". 0 or -EINVAL. */
int mtr_parse_num(const char *s, unsigned long limit, unsigned long *out);
/* What mtr says when trace_size_check() refuses a size (err < 0). */
const char *mtr_size_error(int err);

/* names.c */
struct mtr_name *mtr_name_get(struct mtr *m, const struct pkt_addr *a);
void mtr_name_lookup(struct mtr *m, const struct pkt_addr *a);
/* The text mtr shows for an address: "???" for none, the PTR name, or
 * "name (ip)" with -b. */
int mtr_addr_text(struct mtr *m, const struct pkt_addr *a, bool known, char *buf, size_t len);
/* The -y/-z column: "AS64501  " / "ZZ  " / "AS???    ". */
const char *mtr_ipinfo(struct mtr *m, const struct pkt_addr *a, bool known, char *buf, size_t len);
void mtr_names_free(struct mtr *m);

/* report.c */
void mtr_report(struct mtr *m);
void mtr_report_json(struct mtr *m);
void mtr_report_csv(struct mtr *m);
void mtr_report_xml(struct mtr *m);
void mtr_ndjson_cycle(struct mtr *m, unsigned cycle);
void mtr_raw_sent(struct mtr *m, int ttl, unsigned seq);
void mtr_raw_reply(struct mtr *m, int ttl, const struct pkt_addr *a, int usec, unsigned seq);
/* Formats one statistics cell the way report mode does. */
int mtr_cell(const struct mtr_field *f, const struct trace_stats *s, char *buf, size_t len);

/* screen.c, split.c */
int mtr_screen_run(struct mtr *m);
int mtr_split_run(struct mtr *m);

/* mtr.c: the event loop step shared by report and screen modes; waits at
 * most max_wait seconds, plus stdin when want_stdin. Returns poll's
 * revents for stdin. */
int mtr_loop_once(struct mtr *m, double max_wait, bool want_stdin);

#endif
