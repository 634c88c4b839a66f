/* SPDX-License-Identifier: Apache-2.0 */
/* netkit ss: shared types of the socket statistics tool.
 *
 * The tool is split by concern: options and the run (ss.c), the filter
 * language (filter.c), the iproute2 column layout (table.c), the value
 * sink that writes either columns or JSON (out.c), per-family dumpers
 * (inet.c, local.c), the process lookup (procs.c) and the summary
 * (summary.c). Everything hangs off one struct ss_ctx passed down. */
#ifndef NETKIT_SS_H
#define NETKIT_SS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cmd/ss/filter.h"
#include "cmd/ss/table.h"
#include "lib/emit/emit.h"

/* Socket tables, in iproute2's order (its bit numbers in -A masks). */
enum ss_db {
	DB_TCP,
	DB_MPTCP,
	DB_DCCP,
	DB_UDP,
	DB_RAW,
	DB_UNIX_DG,
	DB_UNIX_ST,
	DB_UNIX_SQ,
	DB_PACKET_DG,
	DB_PACKET_R,
	DB_NETLINK,
	DB_SCTP,
	DB_VSOCK_ST,
	DB_VSOCK_DG,
	DB_TIPC,
	DB_XDP,
	DB_MAX
};

#define DBM(x) (1 << (x))
#define DBM_UNIX (DBM(DB_UNIX_DG) | DBM(DB_UNIX_ST) | DBM(DB_UNIX_SQ))
#define DBM_PACKET (DBM(DB_PACKET_DG) | DBM(DB_PACKET_R))
#define DBM_VSOCK (DBM(DB_VSOCK_ST) | DBM(DB_VSOCK_DG))
#define DBM_INET_L4 (DBM(DB_TCP) | DBM(DB_MPTCP) | DBM(DB_UDP) | DBM(DB_DCCP) | DBM(DB_SCTP))
#define DBM_INET (DBM_INET_L4 | DBM(DB_RAW))

#define FAMILY_MASK(f) ((uint64_t)1 << (f))

enum ss_outfmt { SS_TEXT, SS_JSON, SS_JSON_PRETTY, SS_NDJSON };

struct ss_procmap;
struct ss_cgmap;
struct defer;
struct ss_svc;
struct ss_rpcmap;

/* Everything the run needs; no globals. */
struct ss_ctx {
	/* what to show */
	int dbs;
	int states;
	uint64_t families;
	int preferred_family;
	struct ssf_node *filter; /* NULL: no expression */
	bool kill;

	/* how to show it */
	bool numeric, resolve, show_options, show_mem, show_info, show_bpf;
	bool show_users, show_threads, show_tos, show_cgroup, show_sockopt;
	bool show_header, oneline, events, summary;
	int show_details;
	enum ss_outfmt outfmt;

	const char *netns;
	const char *diag_file;

	struct ss_table *tbl;
	struct emit *em;
	struct ss_procmap *procs;
	struct ss_cgmap *cgmap; /* built on first use */
	struct ss_svc *svc;	/* service names looked up so far */
	struct ss_rpcmap *rpc;	/* -r: rpcbind's programs, read on first use */
	struct defer *tcp_held; /* TCP replies fetched while /proc was scanned */
	const char *dg_proto;	/* "tcp", "udp", "raw": service names of the table being shown */
	int ephemeral_lo, ephemeral_hi; /* 0,0 until read */
};

static inline bool ss_json(const struct ss_ctx *c)
{
	return c->outfmt != SS_TEXT;
}

/* Socket states, numbered as the kernel's TCP states. */
enum {
	SS_UNKNOWN,
	SS_ESTABLISHED,
	SS_SYN_SENT,
	SS_SYN_RECV,
	SS_FIN_WAIT1,
	SS_FIN_WAIT2,
	SS_TIME_WAIT,
	SS_CLOSE,
	SS_CLOSE_WAIT,
	SS_LAST_ACK,
	SS_LISTEN,
	SS_CLOSING,
	SS_MAX
};
#define SS_ALL ((1 << SS_MAX) - 1)
#define SS_CONN                                                                                    \
	(SS_ALL & ~((1 << SS_LISTEN) | (1 << SS_CLOSE) | (1 << SS_TIME_WAIT) | (1 << SS_SYN_RECV)))

/* out.c: the one print path. Text goes into the current column of the
 * table (fmt printf'd with the value), JSON into the current object. */
void sv_text(struct ss_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sv_str(struct ss_ctx *c, const char *key, const char *fmt, const char *val);
void sv_u64(struct ss_ctx *c, const char *key, const char *fmt, uint64_t val);
void sv_int(struct ss_ctx *c, const char *key, const char *fmt, int val);
void sv_dbl(struct ss_ctx *c, const char *key, const char *fmt, double val);
void sv_bool(struct ss_ctx *c, const char *key, const char *fmt, bool val);
void sv_obj_open(struct ss_ctx *c, const char *key);
void sv_obj_close(struct ss_ctx *c);
void sv_arr_open(struct ss_ctx *c, const char *key);
void sv_arr_close(struct ss_ctx *c);
/* Move to column col (text); no-op in JSON. */
void sv_col(struct ss_ctx *c, enum ss_col col);
/* One socket record: begin/end (JSON object per socket). */
void sv_rec_begin(struct ss_ctx *c);
void sv_rec_end(struct ss_ctx *c);

/* Common socket record, filled by every dumper. */
struct ss_sock {
	int family; /* AF_* */
	int type;   /* protocol for inet, SOCK_* for unix/packet */
	int state;
	uint32_t rq, wq;
	unsigned ino, uid;
	unsigned iface;
	uint64_t sk;
	uint32_t mark;
	uint64_t cgroup_id;
	uint8_t laddr[16], raddr[16];
	int lport, rport;
	const char *lname, *rname; /* unix paths */
	int raw_prot;
};

/* Printing shared by the dumpers (print.c). */
const char *ss_netid(const struct ss_sock *s);
void ss_print_state(struct ss_ctx *c, const struct ss_sock *s);
void ss_print_addr(struct ss_ctx *c, const char *side, const char *addr, const char *delim,
		   const char *port, const char *ifname);
void ss_print_inet_addr(struct ss_ctx *c, const char *side, const struct ss_sock *s, bool local,
			bool v6only);
void ss_print_users(struct ss_ctx *c, unsigned ino);
/* An address as text, its host name with -r. */
const char *ss_format_host(struct ss_ctx *c, int family, const uint8_t *addr, char *buf,
			   size_t len);
void ss_print_details(struct ss_ctx *c, const struct ss_sock *s);
void ss_print_skmem(struct ss_ctx *c, const uint32_t *mem, size_t n);
const char *ss_service(struct ss_ctx *c, int port, const char *proto, char *buf, size_t len);
bool ss_is_ephemeral(struct ss_ctx *c, int port);

/* Dumpers (inet.c, local.c): 0 or -1 after telling the user. */
/* A /proc file as iproute2's generic_proc_open opens it: the path in
 * variable env if set, else $PROC_ROOT (default /proc) then name. */
FILE *ss_proc_open(const char *env, const char *name);
/* PROC_ROOT or the table's PROC_NET_* is set: iproute2 then reads /proc
 * instead of asking sock_diag. */
bool ss_proc_forced(const char *env);
int ss_inet_show(struct ss_ctx *c, int db);
int ss_inet_dump(struct ss_ctx *c, int protocol, FILE *dump);
/* Fetch the TCP table now and keep it for ss_inet_show (-p: overlaps the
 * /proc scan). */
void ss_inet_prefetch(struct ss_ctx *c);
void ss_inet_drop(struct ss_ctx *c);
int ss_raw_proc_show(struct ss_ctx *c);
/* Lines of /proc/net/unix, packet and netlink read as iproute2 6.1's
 * sscanf reads them (PROC_NET_UNIX/PACKET/NETLINK or PROC_ROOT set): each
 * returns the count of fields matched; a field not matched keeps the value
 * it had, as iproute2's variables do (callers zero what iproute2 zeroes). */
struct ss_unix_rec {
	unsigned num, ref, proto, flags, type, st;
	int ino;
	char name[256]; /* empty unless all 8 fields matched */
};
struct ss_packet_rec {
	unsigned long long sk;
	int type;
	unsigned prot;
	int iface, running;
	unsigned rq, uid, ino;
};
struct ss_netlink_rec {
	unsigned long long sk, cb;
	int prot, pid;
	unsigned groups;
	int rq, wq, drops;
};
int ss_unix_parse(const char *line, struct ss_unix_rec *u);
/* The ss state of a unix line: LISTEN by its flags, else its St mapped. */
int ss_unix_rec_state(const struct ss_unix_rec *u);
int ss_packet_parse(const char *line, struct ss_packet_rec *p);
int ss_netlink_parse(const char *line, struct ss_netlink_rec *n);
int ss_unix_show(struct ss_ctx *c);
/* Open and close sock_diag, saying so if it cannot be opened. */
void ss_diag_probe(void);
int ss_packet_show(struct ss_ctx *c);
int ss_netlink_show(struct ss_ctx *c);
int ss_events(struct ss_ctx *c);
int ss_diag_dump(struct ss_ctx *c, const char *file);

/* summary.c */
int ss_summary(struct ss_ctx *c);

/* procs.c: inode -> users map, built once from /proc when -p is given. */
struct ss_procmap *ss_procs_build(bool threads);
/* The same in two steps: start scanning in the background, collect. */
struct ss_procscan;
struct ss_procscan *ss_procs_start(bool threads);
struct ss_procmap *ss_procs_finish(struct ss_procscan *ps);
void ss_procs_free(struct ss_procmap *m);
/* Calls fn for each user of ino in iproute2's order. */
typedef void (*ss_user_fn)(void *arg, const char *comm, int pid, int tid, int fd);
int ss_procs_each(const struct ss_procmap *m, unsigned ino, ss_user_fn fn, void *arg);
bool ss_procs_any(const struct ss_procmap *m, unsigned ino);
/* The first holder of ino (-1: none), then the holders from there: one
 * hash lookup per socket. */
int ss_procs_first(const struct ss_procmap *m, unsigned ino);
/* Starts loading what ss_procs_first(ino) will read: stage 0 its table
 * slot, stage 1 (once that is in cache) its first holder. */
void ss_procs_prefetch(const struct ss_procmap *m, unsigned ino, int stage);
int ss_procs_from(const struct ss_procmap *m, int first, ss_user_fn fn, void *arg);
/* The cgroup v2 path of a cgroup id, as iproute2 shows it. */
const char *ss_cgroup_path(struct ss_ctx *c, uint64_t id, char *buf, size_t len);
void ss_cgmap_free(struct ss_cgmap *m);
void ss_svc_free(struct ss_svc *s);

/* rpcb.c: RPC program names of ports (-r), from rpcbind's table. */
#define SS_RPCBIND_SOCK "/var/run/rpcbind.sock"
/* The RPCBPROC_DUMP call, record-marked: its length, 0 if len is short. */
size_t ss_rpcb_dump_call(uint8_t *buf, size_t len, uint32_t xid);
/* One mapping of the reply: program, version, netid, universal address. */
typedef void (*ss_rpcb_fn)(void *arg, uint32_t prog, uint32_t vers, const char *netid,
			   const char *addr);
/* The reply message (fragments joined): 0, -EBADMSG malformed, -EACCES
 * denied, -EPROTO not carried out. */
int ss_rpcb_parse_reply(const uint8_t *buf, size_t len, uint32_t xid, ss_rpcb_fn fn, void *arg);
/* The port of a wildcard universal address ("::.H.L", "0.0.0.0.H.L"), else -1. */
int ss_rpcb_port(const char *uaddr);
/* rpcbind's table over its socket (empty when it does not answer in 5 s). */
struct ss_rpcmap *ss_rpcb_load(const char *path);
/* "rpc.NAME" of a port and protocol ("tcp", "udp", "sctp"), or NULL. */
const char *ss_rpc_name(const struct ss_rpcmap *m, int port, const char *proto);
void ss_rpcmap_free(struct ss_rpcmap *m);

#endif
