/* SPDX-License-Identifier: Apache-2.0 */
/* TCP, UDP, MPTCP, DCCP, SCTP and RAW sockets through inet_diag, with the
 * filter compiled into the request so the kernel does the filtering, and
 * /proc/net/raw{,6} where the kernel has no raw diag (as iproute2). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/inet_diag.h>
#include <linux/sock_diag.h>

#include "cmd/ss/ss.h"
#include "cmd/ss/tcpinfo.h"
#include "lib/nl/diag.h"

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif

/* IPv6 replies kept aside while one request walks both families, to be
 * shown after the IPv4 ones as iproute2 shows them (it asks twice). Past
 * a few MiB they go to an unlinked temporary file: memory stays flat. */
struct defer {
	char *buf;
	size_t len;
	int fd;	     /* -1 until spilled */
	bool failed; /* the dump failed: show the /proc fallback instead */
};

#define DEFER_MEM (4u << 20)

struct inet_arg {
	struct ss_ctx *c;
	int protocol;
	struct nl_sock *killer; /* -K: a second socket for SOCK_DESTROY */
	FILE *dump;		/* -D: raw messages go here */
	struct defer *v6;	/* one walk for both families: IPv6 waits here */
	struct defer *hold;	/* prefetch: everything waits here */
	bool from_file;		/* TCPDIAG_FILE: iproute2 filters by expression only */
	int err;
};

static int defer_spill(struct defer *d)
{
	if (d->fd < 0) {
		d->fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
		if (d->fd < 0)
			return -1;
	}
	size_t off = 0;
	while (off < d->len) {
		ssize_t n = write(d->fd, d->buf + off, d->len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		off += (size_t)n;
	}
	d->len = 0;
	return 0;
}

static int defer_add(struct defer *d, const struct nlmsghdr *nlh)
{
	size_t n = NLMSG_ALIGN(nlh->nlmsg_len);
	if (!d->buf && !(d->buf = malloc(DEFER_MEM)))
		return -1;
	if (n > DEFER_MEM)
		return -1;
	if (d->len + n > DEFER_MEM && defer_spill(d) < 0)
		return -1;
	memcpy(d->buf + d->len, nlh, n);
	d->len += n;
	return 0;
}

/* -p looks every socket's inode up in a table bigger than the caches: the
 * lookup of the socket LOOKAHEAD messages on is started early (the table
 * slot, then halfway the holder), so that it is in cache when its turn
 * comes. */
#define LOOKAHEAD 8

static void warm_users(const struct nlmsghdr *h, struct inet_arg *ia, int stage)
{
	if (!ia->c->procs || h->nlmsg_type == NLMSG_DONE ||
	    h->nlmsg_len < NLMSG_LENGTH(sizeof(struct inet_diag_msg)))
		return;
	const struct inet_diag_msg *r = NLMSG_DATA(h);
	ss_procs_prefetch(ia->c->procs, r->idiag_inode, stage);
}

static void replay_buf(const char *p, size_t len, nl_cb cb, struct inet_arg *arg, size_t *used)
{
	size_t off = 0, ahead = 0, half = 0;
	int lead = 0, lead_half = 0;
	while (len - off >= sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *h = (const struct nlmsghdr *)(p + off);
		size_t n = NLMSG_ALIGN(h->nlmsg_len);
		if (h->nlmsg_len < sizeof(*h) || n > len - off)
			break;
		/* the two lookahead cursors run over the same whole messages */
		for (; lead < LOOKAHEAD && len - ahead >= sizeof(struct nlmsghdr); lead++) {
			const struct nlmsghdr *a = (const struct nlmsghdr *)(p + ahead);
			if (a->nlmsg_len < sizeof(*a) || NLMSG_ALIGN(a->nlmsg_len) > len - ahead)
				break;
			warm_users(a, arg, 0);
			ahead += NLMSG_ALIGN(a->nlmsg_len);
		}
		for (; lead_half < LOOKAHEAD / 2 && half < ahead; lead_half++) {
			const struct nlmsghdr *a = (const struct nlmsghdr *)(p + half);
			warm_users(a, arg, 1);
			half += NLMSG_ALIGN(a->nlmsg_len);
		}
		cb(h, arg);
		off += n;
		lead--;
		lead_half--;
	}
	*used = off;
}

static void defer_replay(struct defer *d, nl_cb cb, struct inet_arg *arg)
{
	size_t used;
	if (d->fd >= 0 && defer_spill(d) == 0 && lseek(d->fd, 0, SEEK_SET) == 0) {
		size_t have = 0;
		for (;;) {
			ssize_t n = read(d->fd, d->buf + have, DEFER_MEM - have);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			have += (size_t)n;
			replay_buf(d->buf, have, cb, arg, &used);
			memmove(d->buf, d->buf + used, have - used);
			have -= used;
		}
	} else if (d->buf) {
		replay_buf(d->buf, d->len, cb, arg, &used);
	}
	if (d->fd >= 0)
		close(d->fd);
	free(d->buf);
}

static const struct nl_policy inet_pol[INET_DIAG_MAX + 1] = {
	[INET_DIAG_MEMINFO] = {MNL_TYPE_BINARY, sizeof(struct inet_diag_meminfo)},
	[INET_DIAG_SKMEMINFO] = {MNL_TYPE_UNSPEC, 4 * (SK_MEMINFO_OPTMEM + 1)},
	[INET_DIAG_CONG] = {MNL_TYPE_NUL_STRING, 0},
	[INET_DIAG_TOS] = {MNL_TYPE_U8, 0},
	[INET_DIAG_TCLASS] = {MNL_TYPE_U8, 0},
	[INET_DIAG_SHUTDOWN] = {MNL_TYPE_U8, 0},
	[INET_DIAG_PROTOCOL] = {MNL_TYPE_U8, 0},
	[INET_DIAG_SKV6ONLY] = {MNL_TYPE_U8, 0},
	[INET_DIAG_MARK] = {MNL_TYPE_U32, 0},
	[INET_DIAG_CLASS_ID] = {MNL_TYPE_U32, 0},
	[INET_DIAG_CGROUP_ID] = {MNL_TYPE_U64, 0},
	[INET_DIAG_SOCKOPT] = {MNL_TYPE_UNSPEC, sizeof(struct inet_diag_sockopt)},
};

static void timer_print(struct ss_ctx *c, unsigned timer, unsigned expires, unsigned retrans)
{
	static const char *const names[] = {"off",	"on",	   "keepalive",
					    "timewait", "persist", "unknown"};
	if (!timer)
		return;
	if (timer > 4)
		timer = 5;
	char buf[64];
	ss_ms_timer(expires, buf, sizeof(buf));
	if (ss_json(c)) {
		emit_obj_open(c->em, "timer");
		emit_str(c->em, "name", NULL, names[timer]);
		emit_u64(c->em, "expire_ms", NULL, expires);
		emit_u64(c->em, "retrans", NULL, retrans);
		emit_obj_close(c->em);
		return;
	}
	sv_text(c, " timer:(%s,%s,%d)", names[timer], buf, (int)retrans);
}

static void sockopt_print(struct ss_ctx *c, const struct nlattr *a)
{
	struct inet_diag_sockopt o;
	memcpy(&o, mnl_attr_get_payload(a), sizeof(o));
	sv_text(c, c->oneline ? " inet-sockopt: (" : "\n\tinet-sockopt: (");
	sv_obj_open(c, "inet_sockopt");
	sv_bool(c, "recverr", " recverr", o.recverr);
	sv_bool(c, "is_icsk", " is_icsk", o.is_icsk);
	sv_bool(c, "freebind", " freebind", o.freebind);
	sv_bool(c, "hdrincl", " hdrincl", o.hdrincl);
	sv_bool(c, "mc_loop", " mc_loop", o.mc_loop);
	sv_bool(c, "transparent", " transparent", o.transparent);
	sv_bool(c, "mc_all", " mc_all", o.mc_all);
	sv_bool(c, "nodefrag", " nodefrag", o.nodefrag);
	sv_bool(c, "bind_addr_no_port", " bind_addr_no_port", o.bind_address_no_port);
	sv_bool(c, "recverr_rfc4884", " recverr_rfc4884", o.recverr_rfc4884);
	sv_bool(c, "defer_connect", " defer_connect", o.defer_connect);
	sv_obj_close(c);
	sv_text(c, ")");
}

static void extras_print(struct ss_ctx *c, const struct ss_sock *s, const struct nlattr **tb)
{
	if (c->show_tos) {
		if (tb[INET_DIAG_TOS])
			sv_u64(c, "tos", " tos:%#" PRIx64, mnl_attr_get_u8(tb[INET_DIAG_TOS]));
		if (tb[INET_DIAG_TCLASS])
			sv_u64(c, "tclass", " tclass:%#" PRIx64,
			       mnl_attr_get_u8(tb[INET_DIAG_TCLASS]));
		if (tb[INET_DIAG_CLASS_ID])
			sv_u64(c, "class_id", " class_id:%#" PRIx64,
			       mnl_attr_get_u32(tb[INET_DIAG_CLASS_ID]));
	}
	if (c->show_cgroup && tb[INET_DIAG_CGROUP_ID]) {
		char path[4096];
		sv_str(c, "cgroup", " cgroup:%s",
		       ss_cgroup_path(c, mnl_attr_get_u64(tb[INET_DIAG_CGROUP_ID]), path,
				      sizeof(path)));
	}
	if (c->show_sockopt && tb[INET_DIAG_SOCKOPT])
		sockopt_print(c, tb[INET_DIAG_SOCKOPT]);
	(void)s;
}

static void inet_print(struct ss_ctx *c, const struct nlmsghdr *nlh, const struct inet_diag_msg *r,
		       struct ss_sock *s, const struct nlattr **tb)
{
	bool v6only = false;
	if (tb[INET_DIAG_PROTOCOL])
		s->type = mnl_attr_get_u8(tb[INET_DIAG_PROTOCOL]);
	if (s->family == AF_INET6 && tb[INET_DIAG_SKV6ONLY])
		v6only = mnl_attr_get_u8(tb[INET_DIAG_SKV6ONLY]);
	sv_rec_begin(c);
	ss_print_state(c, s);
	ss_print_inet_addr(c, "local", s, true, v6only);
	ss_print_inet_addr(c, "peer", s, false, v6only);
	ss_print_users(c, s->ino);
	if (c->show_options)
		timer_print(c, r->idiag_timer, r->idiag_expires, r->idiag_retrans);
	if (c->show_details) {
		ss_print_details(c, s);
		if (s->family == AF_INET6 && tb[INET_DIAG_SKV6ONLY])
			sv_u64(c, "v6only", " v6only:%" PRIu64, v6only);
		if (tb[INET_DIAG_SHUTDOWN]) {
			unsigned m = mnl_attr_get_u8(tb[INET_DIAG_SHUTDOWN]);
			sv_text(c, " %c-%c", m & 1 ? '-' : '<', m & 2 ? '-' : '>');
			sv_u64(c, "shutdown", NULL, m);
		}
	}
	extras_print(c, s, tb);
	if (c->show_mem || (c->show_info && s->type != IPPROTO_UDP)) {
		if (!c->oneline)
			sv_text(c, "\n\t");
		ss_tcp_info_print(c, s, tb, nlh);
	}
	sv_rec_end(c);
}

static int kill_sock(struct inet_arg *ia, const struct inet_diag_msg *d, int raw_prot)
{
	struct inet_diag_req_v2 req = {
		.sdiag_family = d->idiag_family,
		.sdiag_protocol = (uint8_t)ia->protocol,
		.id = d->id,
	};
	if (ia->protocol == IPPROTO_RAW)
		req.idiag_ext = 0, req.pad = 0, ((uint8_t *)&req)[3] = (uint8_t)raw_prot;
	char buf[256];
	struct nlmsghdr *nlh = nl_msg_start(ia->killer, buf, SOCK_DESTROY, 0);
	void *p = mnl_nlmsg_put_extra_header(nlh, sizeof(req));
	memcpy(p, &req, sizeof(req));
	struct nl_err err;
	return nl_talk(ia->killer, nlh, NULL, NULL, &err);
}

static int on_inet(const struct nlmsghdr *nlh, void *data)
{
	struct inet_arg *ia = data;
	struct ss_ctx *c = ia->c;
	if (ia->dump) {
		fwrite(nlh, 1, NLMSG_ALIGN(nlh->nlmsg_len), ia->dump);
		return MNL_CB_OK;
	}
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct inet_diag_msg))
		return MNL_CB_OK;
	const struct inet_diag_msg *r = mnl_nlmsg_get_payload(nlh);
	if (!ia->from_file && !(c->families & FAMILY_MASK(r->idiag_family)))
		return MNL_CB_OK;
	if (ia->v6 && r->idiag_family == AF_INET6)
		return defer_add(ia->v6, nlh) < 0 ? (errno = ENOMEM, MNL_CB_ERROR) : MNL_CB_OK;
	if (ia->hold)
		return defer_add(ia->hold, nlh) < 0 ? (errno = ENOMEM, MNL_CB_ERROR) : MNL_CB_OK;
	const struct nlattr *tb[INET_DIAG_MAX + 1];
	nl_parse(nlh, sizeof(*r), inet_pol, INET_DIAG_MAX, tb);
	struct ss_sock s = {
		.family = r->idiag_family,
		.type = ia->protocol,
		.state = r->idiag_state,
		.lport = ntohs(r->id.idiag_sport),
		.rport = ntohs(r->id.idiag_dport),
		.wq = r->idiag_wqueue,
		.rq = r->idiag_rqueue,
		.ino = r->idiag_inode,
		.uid = r->idiag_uid,
		.iface = r->id.idiag_if,
		.sk = ((uint64_t)r->id.idiag_cookie[1] << 32) | r->id.idiag_cookie[0],
	};
	if (tb[INET_DIAG_MARK])
		s.mark = mnl_attr_get_u32(tb[INET_DIAG_MARK]);
	if (tb[INET_DIAG_CGROUP_ID])
		s.cgroup_id = mnl_attr_get_u64(tb[INET_DIAG_CGROUP_ID]);
	if (tb[INET_DIAG_PROTOCOL])
		s.raw_prot = mnl_attr_get_u8(tb[INET_DIAG_PROTOCOL]);
	size_t alen = s.family == AF_INET ? 4 : 16;
	memcpy(s.laddr, r->id.idiag_src, alen);
	memcpy(s.raddr, r->id.idiag_dst, alen);
	if (c->filter) {
		struct ssf_sock fs = {.family = s.family,
				      .lport = s.lport,
				      .rport = s.rport,
				      .iface = s.iface,
				      .mark = s.mark,
				      .cgroup_id = s.cgroup_id};
		memcpy(fs.laddr, r->id.idiag_src, alen);
		memcpy(fs.raddr, r->id.idiag_dst, alen);
		fs.autobound = ss_is_ephemeral(c, s.lport);
		if (!ssf_match(c->filter, &fs))
			return MNL_CB_OK;
	}
	if (ia->killer) {
		int r2 = kill_sock(ia, r, s.raw_prot);
		if (r2 == -EOPNOTSUPP || r2 == -ENOENT)
			return MNL_CB_OK;
		if (r2 < 0) {
			errno = -r2;
			perror("SOCK_DESTROY answers");
			return MNL_CB_ERROR;
		}
	}
	inet_print(c, nlh, r, &s, tb);
	return MNL_CB_OK;
}

static uint8_t req_ext(const struct ss_ctx *c)
{
	uint8_t ext = 0;
	if (c->show_mem)
		ext |= 1 << (INET_DIAG_MEMINFO - 1) | 1 << (INET_DIAG_SKMEMINFO - 1);
	if (c->show_info)
		ext |= 1 << (INET_DIAG_INFO - 1) | 1 << (INET_DIAG_VEGASINFO - 1) |
		       1 << (INET_DIAG_CONG - 1);
	if (c->show_tos)
		ext |= 1 << (INET_DIAG_TOS - 1) | 1 << (INET_DIAG_TCLASS - 1);
	return ext;
}

/* One request: sock_diag for a family, or (family 0) the old tcpdiag. */
static int inet_request(struct ss_ctx *c, struct nl_sock *nl, int family, struct inet_arg *ia,
			const uint8_t *bc, int bclen, struct nl_err *err)
{
	struct nl_diag_attr attrs[2];
	size_t n = 0;
	uint32_t proto = (uint32_t)ia->protocol;
	if (bclen > 0)
		attrs[n++] = (struct nl_diag_attr){INET_DIAG_REQ_BYTECODE, bc, (size_t)bclen};
	if (family == AF_UNSPEC) {
		/* only TCP and DCCP ever had the old interface */
		if (ia->protocol != IPPROTO_TCP && ia->protocol != IPPROTO_DCCP)
			return -EPROTONOSUPPORT;
		struct inet_diag_req req = {.idiag_family = AF_INET,
					    .idiag_states = (uint32_t)c->states,
					    .idiag_ext = req_ext(c)};
		return nl_diag_dump(
			nl, ia->protocol == IPPROTO_TCP ? TCPDIAG_GETSOCK : DCCPDIAG_GETSOCK, &req,
			sizeof(req), attrs, n, on_inet, ia, err);
	}
	if (ia->protocol > 255)
		attrs[n++] = (struct nl_diag_attr){INET_DIAG_REQ_PROTOCOL, &proto, sizeof(proto)};
	struct inet_diag_req_v2 req = {.sdiag_family = (uint8_t)family,
				       .sdiag_protocol = (uint8_t)ia->protocol,
				       .idiag_ext = req_ext(c),
				       .idiag_states = (uint32_t)c->states};
	return nl_diag_dump(nl, SOCK_DIAG_BY_FAMILY, &req, sizeof(req), attrs, n, on_inet, ia, err);
}

/* libnetlink's rule: ENOENT and EOPNOTSUPP from sock_diag mean "no such
 * table" and stay quiet; anything else is reported. */
static void report(const struct nl_err *err, int protocol)
{
	if (!err->code || protocol > 255)
		return;
	if (err->code == -ENOENT || err->code == -EOPNOTSUPP)
		return;
	fprintf(stderr, "RTNETLINK answers: %s\n", strerror(-err->code));
}

/* TCP over both families: iproute2 asks once per family and the kernel
 * walks every socket each time; the old tcpdiag request walks once for
 * both. The output is the same once IPv6 is held back. 0 if it worked, -1
 * to do it iproute2's way (nothing was shown then). */
#define SS_DIAG_SEQ 123456u

/* -D: the kernel's NLMSG_DONE ending a dump, which iproute2 writes with
 * the rest of the buffer it received (the callbacks never see it). */
static void dump_done(FILE *f, uint32_t portid)
{
	struct {
		struct nlmsghdr h;
		int code;
	} done = {{sizeof(done), NLMSG_DONE, NLM_F_MULTI, SS_DIAG_SEQ, portid}, 0};
	fwrite(&done, 1, sizeof(done), f);
}

static int one_walk(struct ss_ctx *c, struct nl_sock *nl, struct inet_arg *ia, const uint8_t *bc,
		    int bclen)
{
	if (ia->protocol != IPPROTO_TCP || c->preferred_family == AF_INET ||
	    c->preferred_family == AF_INET6 || ia->dump || ia->killer ||
	    !(c->families & FAMILY_MASK(AF_INET)))
		return -1;
	struct defer d = {.fd = -1};
	struct nl_err err = {0};
	struct nl_diag_attr attr = {INET_DIAG_REQ_BYTECODE, bc, (size_t)bclen};
	struct inet_diag_req req = {.idiag_family = AF_INET,
				    .idiag_states = (uint32_t)c->states,
				    .idiag_ext = req_ext(c)};
	ia->v6 = &d;
	int r = nl_diag_dump(nl, TCPDIAG_GETSOCK, &req, sizeof(req), &attr, bclen > 0, on_inet, ia,
			     &err);
	ia->v6 = NULL;
	if (r < 0 && !d.len && d.fd < 0) {
		free(d.buf);
		return -1; /* nothing shown yet: the kernel may lack it */
	}
	defer_replay(&d, on_inet, ia);
	if (r < 0)
		report(&err, ia->protocol);
	return 0;
}

int ss_inet_dump(struct ss_ctx *c, int protocol, FILE *dump)
{
	struct nl_sock nl, killer;
	int r = nl_open(&nl, NETLINK_SOCK_DIAG, NULL);
	if (r < 0) {
		fprintf(stderr, "Cannot open netlink socket: %s\n", strerror(-r));
		return -1;
	}
	struct inet_arg ia = {.c = c, .protocol = protocol, .dump = dump};
	if (protocol == IPPROTO_TCP && c->tcp_held && !dump)
		ia.hold = c->tcp_held;
	if (c->kill) {
		if (nl_open(&killer, NETLINK_SOCK_DIAG, NULL) < 0) {
			nl_close(&nl);
			return -1;
		}
		ia.killer = &killer;
	}
	uint8_t *bc = NULL;
	int bclen = c->filter ? ssf_compile(c->filter, &bc) : 0;
	int family = c->preferred_family == AF_INET6 ? AF_INET6 : AF_INET;
	if (bclen == SSF_BC_TOO_LONG) {
		r = -1; /* iproute2's request fails to send (EMSGSIZE), quietly */
		goto out;
	}
	if (one_walk(c, &nl, &ia, bc, bclen) == 0) {
		r = 0;
		goto out;
	}
	for (;;) {
		struct nl_err err = {0};
		if (dump)
			nl.seq = SS_DIAG_SEQ - 1; /* every request is iproute2's MAGIC_SEQ */
		r = inet_request(c, &nl, family, &ia, bc, bclen, &err);
		if (dump && r >= 0)
			dump_done(dump, nl.portid);
		if (r < 0 && r != -EPROTONOSUPPORT)
			report(&err, protocol);
		if (r < 0) {
			if (family != AF_UNSPEC) {
				family = AF_UNSPEC;
				continue;
			}
			break;
		}
		if (family == AF_INET && c->preferred_family != AF_INET) {
			family = AF_INET6;
			continue;
		}
		break;
	}
out:
	free(bc);
	nl_close(&nl);
	if (ia.killer)
		nl_close(&killer);
	return r < 0 ? -1 : 0;
}

/* The fields of a /proc/net/tcp line after "st" that iproute2 6.1's
 * tcp_show_line reads (its sscanf, its defaults for a short line). */
struct tcp_proc {
	unsigned st, wq, rq, timer, timeout, retrans, probes, ino, cwnd;
	int uid, refcnt, rto, ato, qack, ssthresh;
	unsigned long long sk;
};

/* What iproute2 prints for a TCP socket read from /proc after the
 * columns: -o its timer, -e its details, -i what tcp_info fields /proc
 * has (times in USER_HZ ticks). */
static void tcp_proc_extras(struct ss_ctx *c, const struct ss_sock *s, const char *data)
{
	struct tcp_proc t = {0};
	int n = sscanf(data, "%x %x:%x %x:%x %x %d %u %u %d %llx %d %d %d %u %d", &t.st, &t.wq,
		       &t.rq, &t.timer, &t.timeout, &t.retrans, &t.uid, &t.probes, &t.ino,
		       &t.refcnt, &t.sk, &t.rto, &t.ato, &t.qack, &t.cwnd, &t.ssthresh);
	if (n < 12) {
		t.rto = t.ato = t.qack = 0;
		t.cwnd = 2;
		t.ssthresh = -1;
	}
	long hz = sysconf(_SC_CLK_TCK);
	if (hz <= 0)
		hz = 100;
	unsigned retrans = t.timer != 1 ? t.probes : t.retrans;
	if (c->show_options)
		timer_print(c, t.timer,
			    (unsigned)((t.timeout * 1000ull + (unsigned)hz - 1) / (unsigned)hz),
			    retrans);
	if (c->show_details) {
		struct ss_sock d = *s;
		d.uid = (unsigned)t.uid;
		d.ino = t.ino;
		d.sk = t.sk;
		ss_print_details(c, &d);
	}
	if (!c->show_info)
		return;
	double rto = t.rto != 3 * hz ? (double)t.rto / (double)hz : 0;
	if (rto != 0)
		sv_dbl(c, "rto", " rto:%g", rto);
	if (t.ato)
		sv_dbl(c, "ato", " ato:%g", (double)t.ato / (double)hz);
	if (t.qack / 2)
		sv_int(c, "qack", " qack:%d", t.qack / 2);
	if (t.qack / 2 & 1)
		sv_text(c, " bidir");
	if (t.cwnd)
		sv_u64(c, "cwnd", " cwnd:%" PRIu64, t.cwnd);
	if (t.ssthresh != -1 && t.ssthresh)
		sv_int(c, "ssthresh", " ssthresh:%d", t.ssthresh);
	if (retrans)
		sv_text(c, " retrans:%u/0", retrans);
	sv_int(c, "reordering", " reordering:%d", 0);
}

/* /proc/net/{raw,udp,tcp}{,6} lines: "sl local rem st tx:rx tr:when retr
 * uid timeout inode ref sk ...", as iproute2 reads them when sock_diag
 * fails: the basic columns (type: 0 for raw, else the protocol). */
static int proc_line(struct ss_ctx *c, char *line, int family, int type)
{
	struct ss_sock s = {.family = family, .type = type};
	char *p = strchr(line, ':');
	if (!p)
		return -1;
	char *loc = p + 2;
	if (!(p = strchr(loc, ':')))
		return -1;
	p[5] = '\0';
	char *rem = p + 6;
	if (!(p = strchr(rem, ':')))
		return -1;
	p[5] = '\0';
	char *data = p + 6;
	int state = data[1] >= 'A' ? data[1] - 'A' + 10 : data[1] - '0';
	if (state < 0 || state >= SS_MAX || !(c->states & (1 << state)))
		return 0;
	uint32_t la[4] = {0}, ra[4] = {0};
	unsigned lp = 0, rp = 0;
	if (family == AF_INET) {
		sscanf(loc, "%x:%x", &la[0], &lp);
		sscanf(rem, "%x:%x", &ra[0], &rp);
	} else {
		sscanf(loc, "%08x%08x%08x%08x:%x", &la[0], &la[1], &la[2], &la[3], &lp);
		sscanf(rem, "%08x%08x%08x%08x:%x", &ra[0], &ra[1], &ra[2], &ra[3], &rp);
	}
	memcpy(s.laddr, la, sizeof(la));
	memcpy(s.raddr, ra, sizeof(ra));
	s.lport = (int)lp;
	s.rport = (int)rp;
	if (c->filter) {
		struct ssf_sock fs = {.family = family, .lport = s.lport, .rport = s.rport};
		memcpy(fs.laddr, la, sizeof(la));
		memcpy(fs.raddr, ra, sizeof(ra));
		fs.autobound = ss_is_ephemeral(c, s.lport);
		if (!ssf_match(c->filter, &fs))
			return 0;
	}
	unsigned st, uid = 0, ino = 0;
	int refcnt;
	unsigned long long sk;
	/* iproute2 also reads the rest of the line as "opt" but its count
	 * check throws it away every time, so -e adds nothing here */
	sscanf(data, "%x %x:%x %*x:%*x %*x %u %*d %u %d %llx", &st, &s.wq, &s.rq, &uid, &ino,
	       &refcnt, &sk);
	s.state = state;
	s.ino = ino;
	s.uid = uid;
	sv_rec_begin(c);
	ss_print_state(c, &s);
	ss_print_inet_addr(c, "local", &s, true, false);
	ss_print_inet_addr(c, "peer", &s, false, false);
	ss_print_users(c, s.ino);
	if (type == IPPROTO_TCP)
		tcp_proc_extras(c, &s, data);
	sv_rec_end(c);
	return 0;
}

static int proc_file(struct ss_ctx *c, const char *path, int family, int type)
{
	char env[32], name[32];
	/* path is "net/NAME": the variable is PROC_NET_NAME, upper case */
	snprintf(name, sizeof(name), "%s", path);
	snprintf(env, sizeof(env), "PROC_NET_%s", path + 4);
	for (char *e = env; *e; e++)
		*e = (char)(*e >= 'a' && *e <= 'z' ? *e - 'a' + 'A' : *e);
	FILE *f = ss_proc_open(env, name);
	if (!f)
		return family == AF_INET ? -1 : 0;
	char line[256];
	int r = 0;
	if (fgets(line, sizeof(line), f)) {
		while (fgets(line, sizeof(line), f)) {
			size_t n = strlen(line);
			if (!n || line[n - 1] != '\n') {
				r = -1;
				break;
			}
			line[n - 1] = '\0';
			if (proc_line(c, line, family, type) < 0)
				break;
		}
	}
	fclose(f);
	return r;
}

/* sock_diag failed (no raw diag; a filter too long to send): the tables
 * iproute2 then reads from /proc, with their basic columns. */
static int proc_fallback(struct ss_ctx *c, int db, int proto)
{
	char path[32];
	const char *name = c->dg_proto;
	int type = db == DB_RAW ? 0 : proto;
	snprintf(path, sizeof(path), "net/%s", name);
	if (c->families & FAMILY_MASK(AF_INET))
		if (proc_file(c, path, AF_INET, type) < 0)
			return -1;
	snprintf(path, sizeof(path), "net/%s6", name);
	if (c->families & FAMILY_MASK(AF_INET6))
		if (proc_file(c, path, AF_INET6, type) < 0)
			return -1;
	return 0;
}

/* TCPDIAG_FILE: TCP sockets from a -D file instead of the kernel, read as
 * iproute2 6.1's tcp_show_netlink_file reads it: message by message up to
 * the first NLMSG_DONE, filtered by the expression only (no state or
 * family test), with its messages for a short or failed read. */
static int tcp_file_show(struct ss_ctx *c, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		perror("fopen($TCPDIAG_FILE)");
		return -1;
	}
	static _Alignas(struct nlmsghdr) char buf[16384];
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	struct inet_arg ia = {.c = c, .protocol = IPPROTO_TCP, .from_file = true};
	int r = -1;
	for (;;) {
		if (fread(buf, 1, sizeof(*h), f) != sizeof(*h)) {
			if (ferror(f))
				perror("Reading header from $TCPDIAG_FILE");
			if (feof(f))
				fprintf(stderr, "Unexpected EOF reading $TCPDIAG_FILE");
			break;
		}
		size_t n = h->nlmsg_len < sizeof(*h) ? 0 : NLMSG_ALIGN(h->nlmsg_len - sizeof(*h));
		if (n > sizeof(buf) - sizeof(*h) || fread(h + 1, 1, n, f) != n) {
			if (ferror(f))
				perror("Reading $TCPDIAG_FILE");
			if (feof(f))
				fprintf(stderr, "Unexpected EOF reading $TCPDIAG_FILE");
			break;
		}
		if (h->nlmsg_type == NLMSG_DONE) {
			r = 0;
			break;
		}
		if (h->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = (const void *)(h + 1);
			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
				fprintf(stderr, "ERROR truncated\n");
			else {
				errno = -e->error;
				perror("TCPDIAG answered");
			}
			break;
		}
		if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct inet_diag_msg)))
			continue;
		if (on_inet(h, &ia) == MNL_CB_ERROR)
			break;
	}
	fclose(f);
	return r;
}

int ss_inet_show(struct ss_ctx *c, int db)
{
	if (!(c->families & (FAMILY_MASK(AF_INET) | FAMILY_MASK(AF_INET6))))
		return 0;
	int proto;
	switch (db) {
	case DB_TCP: proto = IPPROTO_TCP, c->dg_proto = "tcp"; break;
	case DB_UDP: proto = IPPROTO_UDP, c->dg_proto = "udp"; break;
	case DB_RAW: proto = IPPROTO_RAW, c->dg_proto = "raw"; break;
	case DB_MPTCP: proto = IPPROTO_MPTCP; break;
	case DB_DCCP: proto = IPPROTO_DCCP; break;
	case DB_SCTP: proto = IPPROTO_SCTP; break;
	default: return 0;
	}
	bool failed;
	const char *file = db == DB_TCP ? getenv("TCPDIAG_FILE") : NULL;
	if (file) {
		tcp_file_show(c, file);
		return 0;
	}
	static const char *const forced[] = {
		[DB_TCP] = "PROC_NET_TCP", [DB_UDP] = "PROC_NET_UDP", [DB_RAW] = "PROC_NET_RAW"};
	if ((db == DB_TCP || db == DB_UDP || db == DB_RAW) && ss_proc_forced(forced[db]))
		return proc_fallback(c, db, proto);
	/* iproute2 has no file reader for these: a set variable shows none */
	static const char *const unread[] = {[DB_MPTCP] = "PROC_NET_MPTCP",
					     [DB_DCCP] = "PROC_NET_DCCP",
					     [DB_SCTP] = "PROC_NET_SCTP"};
	if ((db == DB_MPTCP || db == DB_DCCP || db == DB_SCTP) && ss_proc_forced(unread[db]))
		return 0;
	if (db == DB_TCP && c->tcp_held) {
		struct defer *d = c->tcp_held;
		struct inet_arg ia = {.c = c, .protocol = proto};
		c->tcp_held = NULL;
		defer_replay(d, on_inet, &ia);
		failed = d->failed;
		free(d);
	} else {
		failed = ss_inet_dump(c, proto, NULL) < 0;
	}
	if (!failed || (db != DB_RAW && db != DB_UDP && db != DB_TCP))
		return 0;
	return proc_fallback(c, db, proto);
}

/* -E: sockets as they are destroyed, each line rendered at once. */
static int on_event(const struct nlmsghdr *nlh, void *data)
{
	struct inet_arg *ia = data;
	if (mnl_nlmsg_get_payload_len(nlh) < 1)
		return MNL_CB_OK;
	const uint8_t *fam = mnl_nlmsg_get_payload(nlh);
	int r = MNL_CB_OK;
	if (*fam == AF_INET || *fam == AF_INET6)
		r = on_inet(nlh, ia);
	if (!ss_json(ia->c))
		tbl_render(ia->c->tbl);
	emit_flush(ia->c->em);
	return r;
}

int ss_events(struct ss_ctx *c)
{
	uint32_t groups = 0;
	bool v4 = c->families & FAMILY_MASK(AF_INET), v6 = c->families & FAMILY_MASK(AF_INET6);
	bool tcp = c->dbs & DBM(DB_TCP), udp = c->dbs & DBM(DB_UDP);
	if (v4 && tcp)
		groups |= 1u << (SKNLGRP_INET_TCP_DESTROY - 1);
	if (v4 && udp)
		groups |= 1u << (SKNLGRP_INET_UDP_DESTROY - 1);
	if (v6 && tcp)
		groups |= 1u << (SKNLGRP_INET6_TCP_DESTROY - 1);
	if (v6 && udp)
		groups |= 1u << (SKNLGRP_INET6_UDP_DESTROY - 1);
	if (!groups)
		return -1;
	if (!ss_json(c))
		tbl_render(c->tbl);
	emit_flush(c->em);
	struct nl_sock nl;
	if (nl_open(&nl, NETLINK_SOCK_DIAG, NULL) < 0)
		return -1;
	struct inet_arg ia = {.c = c, .protocol = 256};
	int r = nl_diag_listen(&nl, groups, on_event, &ia);
	nl_close(&nl);
	return r < 0 ? -1 : 0;
}

/* -D: the raw inet_diag replies for TCP, each family's dump ending with
 * its NLMSG_DONE, byte for byte as iproute2 writes them (sequence 123456;
 * the port id is the process's). TCPDIAG_FILE reads such a file back. */
int ss_diag_dump(struct ss_ctx *c, const char *file)
{
	FILE *f = file[0] == '-' ? stdout : fopen(file, "w");
	if (!f) {
		/* iproute2 tests the name instead of the stream here, goes on
		 * without a file and exits before showing anything: so, quietly,
		 * do we */
		return 0;
	}
	int r = ss_inet_dump(c, IPPROTO_TCP, f);
	fflush(f);
	if (f != stdout)
		fclose(f);
	return r;
}

void ss_inet_prefetch(struct ss_ctx *c)
{
	if (!(c->dbs & DBM(DB_TCP)) || c->kill || c->events || c->diag_file ||
	    getenv("TCPDIAG_FILE") || ss_proc_forced("PROC_NET_TCP") ||
	    !(c->families & (FAMILY_MASK(AF_INET) | FAMILY_MASK(AF_INET6))))
		return;
	struct defer *d = calloc(1, sizeof(*d));
	if (!d)
		return;
	d->fd = -1;
	c->tcp_held = d;
	d->failed = ss_inet_dump(c, IPPROTO_TCP, NULL) < 0;
}

void ss_inet_drop(struct ss_ctx *c)
{
	if (!c->tcp_held)
		return;
	if (c->tcp_held->fd >= 0)
		close(c->tcp_held->fd);
	free(c->tcp_held->buf);
	free(c->tcp_held);
	c->tcp_held = NULL;
}
