/* SPDX-License-Identifier: Apache-2.0 */
/* netkit nmap's front end: the options (options.c), the run (nmap.c) and
 * the output modules (out_*.c), which all read one struct nmap_ctx. The
 * scanning itself is the engine's (engine/scan.h). */
#ifndef NETKIT_CMD_NMAP_H
#define NETKIT_CMD_NMAP_H

#include <pthread.h>
#include <signal.h>
#include <termios.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "engine/host.h"
#include "engine/scan_config.h"
#include "lib/emit/emit.h"
#include "lib/target/portspec.h"
#include "lib/target/services.h"
#include "lib/target/shard.h"
#include "lib/target/target.h"

#define NMAP_COMPAT "7.93"
#define NMAP_DATA_MAX 65435 /* nmap's most for --data-length */
#define NMAP_DATA_MAX_S "65435"
#define NMAP_MAX_DECOYS 128
#define NMAP_MAX_DECOYS_S "128"

/* OUT_DB: -oP URL / --db URL, hosts into PostgreSQL as they finish (out_db.c) */
enum nmap_out { OUT_NORMAL, OUT_XML, OUT_GREP, OUT_JSON, OUT_DB, OUT_MAX };

struct nmap_opts {
	struct scan_config cfg;
	const char *port_spec, *exclude_ports, *exclude, *exclude_file;
	const char *input_file; /* -iL */
	const char *out_file[OUT_MAX];
	const char *resume_file;
	int top_ports;		 /* --top-ports N (-F: 100 unless given) */
	bool fast;		 /* -F (refused with -sL/-sn, as -p; --top-ports is not) */
	bool no_randomize_ports; /* -r */
	bool randomize_hosts;	 /* --randomize-hosts */
	bool aggressive;	 /* -A (-O -sV -sC --traceroute) */
	bool list_scan;		 /* -sL */
	bool open_only;		 /* --open */
	bool packet_trace;
	bool iflist;
	bool append_output;
	bool no_stylesheet;
	const char *stylesheet;
	double stats_every; /* seconds; 0 = off */
	int verbose, debug;
	bool help, version;
	char **targets;
	size_t ntargets;
	const char *source_arg;	   /* -S, resolved once the family is known */
	bool data_set;		   /* one of --data, --data-string, --data-length */
	const char *decoy_arg;	   /* -D, read once the family is known */
	const char *proxies_arg;   /* --proxies, checked once all options are read */
	const char *spoof_mac_arg; /* --spoof-mac, read once the vendor table is */
	bool defeat_rst_given;	   /* --defeat-rst-ratelimit itself (--open implies it) */
	struct sockaddr_storage decoys[NMAP_MAX_DECOYS];
	size_t ndecoys;
	uint8_t ipopts[64]; /* --ip-options' bytes (40 at most are sent) */
	uint8_t data[NMAP_DATA_MAX];
	/* scripts: --script, -sC (the "default" category), --script-args, --script-help */
	const char *script, *script_args, *script_help, *script_args_file;
	bool script_default;
	double script_timeout; /* --script-timeout, seconds; 0: none */
	bool script_trace;     /* --script-trace: scripts' socket I/O on stdout */
	bool script_updatedb;  /* --script-updatedb: rebuild scripts/script.db */
	/* --shards N --shard I --seed S (lib/target/shard.h); shards 0: off */
	uint64_t shards, shard, seed;
	bool shard_given;
};

/* One output (a stream with its format and its emitter). */
struct nmap_output {
	enum nmap_out kind;
	bool used;
	bool to_stdout;
	bool resumed; /* continued in place after --resume: no new header */
	struct emit *e;
	int fd;
	struct emit *side; /* the resume records' sidecar, FILE.netkit-resume ... */
	int side_fd;	   /* ... (progress.c), while hosts are partly scanned */
	char *side_path;
	struct db_queue *db; /* OUT_DB: the database's writer, fed the XML written to fd */
};

/* An output that carries nmap XML: -oX, and -oP (the database reads the
 * XML written for it, all of it: hints, tasks, pre/postscript). */
static inline bool nmap_out_is_xml(const struct nmap_output *o)
{
	return o->kind == OUT_XML || o->kind == OUT_DB;
}

/* Hosts an interrupted scan had partly scanned (its resume records). */
struct nmap_partial {
	struct host *v;
	size_t n;
};

struct nmap_ctx;

struct nmap_resume {
	char *args;   /* the original command line */
	char *argbuf; /* its copy, split: argv points in here */
	char **argv;
	int argc;
	struct sockaddr_storage after; /* last host the file reports up */
	struct sockaddr_storage *down; /* hosts it reports down after that */
	size_t ndown;
	bool found, passed;
	unsigned long prior_up;	     /* hosts the file reports up */
	bool finished;		     /* the file's scan ended normally: nothing to resume */
	struct nmap_partial partial; /* hosts with some ports done */
};

/* resume.c */
int nmap_resume_load(const char *path, struct nmap_resume *r);
/* Whether to skip ss (a host up to and including the last one done). */
bool nmap_resume_skip(struct nmap_resume *r, const struct sockaddr_storage *ss);
/* Where to cut a resumed XML document (before <runstats>), or -1. */
off_t nmap_resume_xml_cut(const char *text);
/* Where to cut a resumed normal or grepable file: before its trailer
 * ("Read data files from", "# Nmap done at"), else at its end. */
off_t nmap_resume_text_cut(const char *text);
/* How many hosts an output file (normal, grepable or XML) reports up. */
unsigned long nmap_resume_count_up(const char *text);
/* Whether an output file's scan ended normally (its trailer, no cut). */
bool nmap_resume_finished(const char *text);

/* progress.c: resume records for the hosts still being scanned */
void nmap_ports_final(void *ctx, const struct host *h, const struct port_result *p, size_t n);
/* -sV decided a TCP port: its service as a record (the engine's hook) */
void nmap_service_final(void *ctx, const struct host *h, const struct port_service *ps);
/* One record (lines) for h's ports p[0..n) into e; XML comments if xml. */
void nmap_progress_record(struct emit *e, bool xml, const struct host *h,
			  const struct port_result *p, size_t n);
/* A host is finished: empty every sidecar before it is written. */
void nmap_progress_drop(struct nmap_ctx *c);
/* Interrupted: mark where the finished part of every file ends. */
void nmap_progress_mark_cut(struct nmap_ctx *c);
/* The scan is over: close the sidecars, removing those with no records. */
void nmap_progress_close(struct nmap_ctx *c);
/* FILE.netkit-resume, the sidecar holding FILE's resume records (malloc'd). */
char *nmap_sidecar_path(const char *file);
/* Read every record of a file's text into pt (merged per host); 0 or
 * -EINVAL (malformed) / -ENOMEM. */
int nmap_progress_parse(const char *text, struct nmap_partial *pt);
/* Offset of the first record's line (where a resumed file is cut), or -1. */
off_t nmap_progress_cut(const char *text);
/* If pt has h's address: move its record (status, ports, ...) into h. */
bool nmap_progress_take(struct nmap_partial *pt, struct host *h);
void nmap_progress_free(struct nmap_partial *pt);
/* Lines of text[0..len) that are not resume records, into out (may be
 * text); returns their length. */
size_t nmap_progress_strip(const char *text, size_t len, char *out);
/* XML between the last finished host and the records, minus the task the
 * interruption cut short (its <taskbegin>/<taskprogress> with no
 * <taskend>): the resumed run begins that task again. out has len bytes;
 * returns the length written. */
size_t nmap_resume_drop_open_tasks(const char *in, size_t len, char *out);
/* Where that XML begins: after the last </host> before cut, or after the
 * <debugging> element; cut if neither. */
off_t nmap_resume_xml_region(const char *text, off_t cut);

/* status.c: the status line on a key press and every --stats-every */
struct nmap_status {
	pthread_t th;
	pthread_mutex_t mu; /* guards the counters below and nhosts/nup */
	int pipe[2];
	bool running, tty;
	struct termios saved;
	double every;
	unsigned long total;
	char phase[64];
	double pct, etc;
	double task_start;		    /* wall clock of the current task's begin */
	unsigned long undergoing, group_up; /* hosts in the current task, of which up */
	bool between;			    /* a task ended and the next has not begun */
	bool xml_due;			    /* printed: the next progress report goes to XML too */
	double xml_pct, xml_etc;	    /* ... with the values printed */
};

/* What nmap says about a target spec as it reaches it: a spec it cannot
 * use (skipped, the run goes on), or its "Illegal netmask" warning. */
struct nmap_note {
	size_t before; /* said before targets.v[before] is resolved */
	char *msg;
	char *invalid; /* a spec nmap could not parse, for XML <target status="skipped"/> */
	bool named;    /* a failure to resolve what nmap takes as a name */
};

struct nmap_notes {
	struct nmap_note *v; /* in command-line order */
	size_t n, said;
};

struct nmap_ctx {
	struct nmap_opts o;
	struct svc_db svc;
	struct target_list targets, excludes;
	struct shard shard;	 /* --shards: this run's part of the targets */
	struct nmap_notes notes; /* what parsing the target specs found */
	struct nmap_notes fails; /* names whose lookup failed */
	size_t last_notes;	 /* notes.v[last_notes..] are the last target word's */
	bool last_parsed;	 /* the last target word parsed (it is targets.v[n - 1]) */
	char *again;		 /* its failure lines, which nmap says again (nmap_say_again) */
	bool again_ports;	 /* said as the port scan began */
	char *fatal_msg;	 /* the run ended on this error (XML runstats errormsg) */
	struct portset ports;
	char *args;   /* the command line, for the headers */
	double start; /* wall clock */
	double start_mono;
	unsigned long nhosts, nup;
	struct nmap_output out[OUT_MAX + 1]; /* + the terminal's normal output */
	volatile sig_atomic_t *stop;
	bool stdout_taken; /* -oX - etc.: the terminal output goes quiet */
	struct nmap_resume resume;
	bool resuming;
	struct nmap_status status;
	struct {	       /* -v's timing line on its own (status.c), the engine's thread */
		char task[64]; /* the running task; "" between tasks */
		double begin, last; /* wall clock: its begin, the last line (0: none) */
	} autotiming;
	char *datadir;			/* where the port tables were read from */
	struct svcmatch_db *svcdb;	/* -sV: data/nmap/service-match */
	struct nse *nse;		/* --script, -sC: the script engine */
	volatile sig_atomic_t trace_on; /* --packet-trace, or p/P on the terminal */
	bool batch;			/* -sL: flush per batch of hosts, not per host */
	struct host *run_hosts;		/* the hosts handed to the engine (resume records) */
	size_t run_n;
	struct { /* the engine's raw packet counts, for -v */
		bool used;
		unsigned long sent, rcvd, sent_bytes, rcvd_bytes;
	} raw;
};

/* options.c: parse argv into o; on error prints nmap's message and
 * returns the exit code (> 0); 0 on success. */
int nmap_parse_args(int argc, char **argv, struct nmap_opts *o);
void nmap_usage(FILE *f);
/* --scanflags' argument as TCP flag bits, or -1 if nmap refuses it. */
int nmap_parse_scanflags(const char *arg);

/* Output modules: called for the start, for each finished host, and at
 * the end; they only read the context and the host record. */
struct nmap_out_ops {
	void (*begin)(struct nmap_ctx *c, struct nmap_output *out);
	void (*host)(struct nmap_ctx *c, struct nmap_output *out, const struct host *h);
	void (*end)(struct nmap_ctx *c, struct nmap_output *out, bool interrupted);
};
extern const struct nmap_out_ops nmap_out_normal, nmap_out_xml, nmap_out_grep, nmap_out_json,
	nmap_out_db;
/* -oP: connect and make the buffer the XML goes through; 0 or 1. */
int nmap_out_db_open(struct nmap_output *out, const char *url);
void nmap_out_db_close(struct nmap_output *out);

/* A message nmap writes to stderr and to its normal output files (-oN),
 * not to the terminal's normal output: "Failed to resolve ...", the
 * WARNING that no targets are left. */
void nmap_log_normal(struct nmap_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* When the last target spec failed to resolve, nmap reads it again (and
 * says so again) each time it looks for more hosts after the last: as a
 * port scan begins, and at the end of a run that had hosts. */
void nmap_say_again(struct nmap_ctx *c);
/* XML's record of a target spec nmap could not parse and skipped. */
void nmap_xml_invalid_target(struct nmap_output *out, const char *spec);

int nmap_status_start(struct nmap_ctx *c, unsigned long total);
void nmap_status_stop(struct nmap_ctx *c);
void nmap_status_print(struct nmap_ctx *c, struct emit *e);
void nmap_status_progress(void *ctx, const char *phase, double done, double etc_seconds);
const char *nmap_phase_name(unsigned scans, bool ping_only);

/* events.c: the engine's task/port/host events (-v lines, XML tasks) */
void nmap_event(void *ctx, const struct scan_event *ev);
void nmap_task_name(const struct scan_event *ev, char *buf, size_t len);
void nmap_taskprogress(struct nmap_ctx *c, const char *task, double pct, double remaining);

/* trace.c: --packet-trace lines */
size_t nmap_trace_line(enum trace_dir dir, double elapsed, const void *pkt, size_t len, char *out,
		       size_t cap);
void nmap_packet_trace(void *ctx, enum trace_dir dir, double elapsed, const void *pkt, size_t len);
/* hooks.send_error: nmap's "sendto in ...: ... => Operation not permitted"
 * and "Offending packet: ..." lines on stderr. */
void nmap_conn_trace(void *ctx, double elapsed, const struct sockaddr *dst, int err);
void nmap_send_error(void *ctx, int fd, int err, const void *pkt, size_t len,
		     const struct sockaddr *dst, unsigned dlen);

/* A host is complete in out: flush it now, so that the file is whole up
 * to this host if the scan dies (-sL flushes per batch instead). */
static inline void nmap_host_flush(const struct nmap_ctx *c, struct emit *e)
{
	if (!c->batch)
		emit_flush(e);
}

/* scripts.c: --script, -sC, --script-help (src/engine/script) */
bool nmap_scripts_wanted(const struct nmap_opts *o);
int nmap_scripts_open(struct nmap_ctx *c);
int nmap_script_help(struct nmap_ctx *c);
int nmap_script_updatedb(struct nmap_ctx *c);
int nmap_scripts_phase(struct nmap_ctx *c, bool pre);
void nmap_scripts_close(struct nmap_ctx *c);
void nmap_scripts_port(struct emit *e, const struct host *h, const struct port_result *p);
bool nmap_scripts_host(struct emit *e, const struct host *h);
void nmap_scripts_port_xml(struct emit *e, const struct host *h, const struct port_result *p);
void nmap_scripts_host_xml(struct emit *e, const struct host *h);
void nmap_scripts_json(struct emit *e, const struct host *h, const struct port_result *p);

/* iflist.c: --iflist's tables; 0 or -errno */
int nmap_iflist(struct emit *e);
/* whether an address is one of this machine's; 0 or -errno */
int nmap_local_addr(const struct sockaddr_storage *a, bool *local);

/* evasion.c: the evasion/spoofing options (handlers return 0 or an exit
 * code) and their checks once all options are read */
int nmap_parse_hex(const char *s, uint8_t *out, size_t cap);
int nmap_opt_data(struct nmap_opts *o, const char *arg, long which);
int nmap_opt_sport(struct nmap_opts *o, const char *arg);
int nmap_opt_ttl(struct nmap_opts *o, const char *arg);
int nmap_opt_source(struct nmap_opts *o, const char *arg);
int nmap_opt_frag(struct nmap_opts *o, const char *arg, long add);
int nmap_opt_decoys(struct nmap_opts *o, const char *arg);
int nmap_opt_ipopts(struct nmap_opts *o, const char *arg);
int nmap_opt_spoofmac(struct nmap_opts *o, const char *arg);
int nmap_resolve_spoof_mac(struct nmap_opts *o, const struct svc_db *db);
void nmap_say_spoof_mac(const struct nmap_opts *o, const struct svc_db *db);
void nmap_warn_connect(const struct nmap_opts *o);
int nmap_opt_proxies(struct nmap_opts *o, const char *arg);
int nmap_check_evasion(struct nmap_opts *o);

/* --traceroute's TRACEROUTE table and <trace> element (out_trace.c). */
void nmap_trace_normal(struct emit *e, const struct host *h);
void nmap_trace_xml(struct emit *e, const struct host *h);

/* -O's lines and XML elements (out_os.c). */
void nmap_os_normal(const struct nmap_ctx *c, struct emit *e, const struct host *h);
void nmap_os_xml(struct emit *e, const struct host *h);
void nmap_os_json(struct emit *e, const struct host *h);

/* Shared formatting helpers (out_common.c). */
const char *nmap_addr_str(const struct sockaddr_storage *ss, char *buf, size_t len);
/* "Wed Nov 25 17:56:11 2026" (ctime without the newline) */
void nmap_ctime(double t, char *buf, size_t len);
/* nmap's latency: two significant digits, fixed notation */
void nmap_sigdig(double v, int digits, char *buf, size_t len);
const char *nmap_service_name(const struct nmap_ctx *c, const struct port_result *p);
const char *nmap_proto_name(uint8_t proto);
/* -sV: the port's service record, or NULL */
const struct port_service *nmap_port_svc(const struct nmap_ctx *c, const struct host *h,
					 const struct port_result *p);
/* The SERVICE column: -sV's name, else the port table's; with qmark a
 * port -sV did not recognise gets nmap's "?" (normal and grepable). */
const char *nmap_service_col(const struct nmap_ctx *c, const struct host *h,
			     const struct port_result *p, bool qmark, char *buf, size_t len);
/* The VERSION column: "product version (extrainfo)" */
void nmap_version_col(const struct port_service *ps, char *buf, size_t len);
/* "Host: x; OS: Linux; CPE: cpe:/o:..." over the host's services, or "" */
void nmap_service_info(const struct nmap_ctx *c, const struct host *h, char *buf, size_t len);
/* nmap's closing words after a -sV run, in netkit's */
#define NMAP_SV_DONE                                                                               \
	"Service detection performed. Please report any incorrect results as a netkit issue, "     \
	"with the --version-trace output .\n"
/* nmap's byte counts: "72B", "88.568KB", "1.234MB", "2.000GB" */
void nmap_bytecount(unsigned long long bytes, char *buf, size_t len);
/* Ports of h that are shown (not in an ignored state) */
struct nmap_ignored {
	uint8_t state[PORT_STATE_MAX];
	size_t count[PORT_STATE_MAX];
	size_t n; /* states ignored */
};
void nmap_ignored_states(const struct nmap_ctx *c, const struct host *h, struct nmap_ignored *ig);
struct nmap_ig_entry {
	uint8_t state;
	size_t count;
};
/* Ports of one state grouped by protocol and reason, in nmap's order:
 * tcp, udp, sctp, protocols; then the biggest group; then by name. */
struct nmap_rgroup {
	uint8_t proto; /* 0: -sO protocols */
	int proto_rank;
	uint8_t reason;
	size_t count;
};
size_t nmap_reason_groups(const struct host *h, uint8_t state, struct nmap_rgroup *out, size_t max);
bool nmap_is_ignored(const struct nmap_ignored *ig, uint8_t state);
/* "Other addresses for NAME (not scanned)": the rest of the name's
 * addresses, or NULL. */
const char *nmap_other_addresses(const struct nmap_ctx *c, const struct host *h);
size_t nmap_nscanned(const struct nmap_ctx *c);

#endif
