/* SPDX-License-Identifier: Apache-2.0 */
/* Printing shared by every socket family: netid and state, addresses and
 * ports, users, details, memory. Formats are iproute2 6.1's. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <net/if.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/sock_diag.h>

#include "cmd/ss/ss.h"
#include "lib/util/fmt.h"

static const char *const state_names[SS_MAX] = {
	"UNKNOWN",   "ESTAB",  "SYN-SENT",   "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2",
	"TIME-WAIT", "UNCONN", "CLOSE-WAIT", "LAST-ACK", "LISTEN",     "CLOSING",
};

const char *ss_netid(const struct ss_sock *s)
{
	switch (s->family) {
	case AF_UNIX:
		return s->type == SOCK_STREAM	   ? "u_str"
		       : s->type == SOCK_SEQPACKET ? "u_seq"
						   : "u_dgr";
	case AF_INET:
	case AF_INET6:
		switch (s->type) {
		case 0: return "raw";
		case IPPROTO_UDP: return "udp";
		case IPPROTO_TCP: return "tcp";
		case 262: return "mptcp";
		case IPPROTO_SCTP: return "sctp";
		case IPPROTO_DCCP: return "dccp";
		case IPPROTO_ICMPV6: return "icmp6";
		default: return "???";
		}
	case AF_PACKET: return s->type == SOCK_RAW ? "p_raw" : "p_dgr";
	case AF_NETLINK: return "nl";
	default: return "unknown";
	}
}

/* Decimal digits of v, right to left, ending at end: the start. */
static char *utoa_end(unsigned long long v, char *end)
{
	*end = '\0';
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

/* "%-6d" without printf: the queue columns of every line. */
static void put_queue(struct ss_table *t, int v)
{
	char buf[32];
	char *p = v < 0 ? NULL : utoa_end((unsigned)v, buf + 24);
	if (!p) {
		int n = snprintf(buf, sizeof(buf), "%-6d", v);
		tbl_put(t, buf, (size_t)n);
		return;
	}
	size_t n = (size_t)(buf + 24 - p);
	while (n < 6)
		p[n++] = ' ';
	tbl_put(t, p, n);
}

void ss_print_state(struct ss_ctx *c, const struct ss_sock *s)
{
	const char *st = s->state >= 0 && s->state < SS_MAX ? state_names[s->state] : "UNKNOWN";
	if (ss_json(c)) {
		emit_str(c->em, "netid", NULL, ss_netid(s));
		emit_str(c->em, "state", NULL, st);
		emit_int(c->em, "recv_q", NULL, (int)s->rq);
		emit_int(c->em, "send_q", NULL, (int)s->wq);
		return;
	}
	struct ss_table *t = c->tbl;
	tbl_set(t, COL_NETID);
	const char *id = ss_netid(s);
	tbl_put(t, id, strlen(id));
	tbl_set(t, COL_STATE);
	tbl_put(t, st, strlen(st));
	tbl_set(t, COL_RECVQ);
	put_queue(t, (int)s->rq);
	tbl_set(t, COL_SENDQ);
	put_queue(t, (int)s->wq);
	tbl_set(t, COL_ADDR);
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

void ss_print_addr(struct ss_ctx *c, const char *side, const char *addr, const char *delim,
		   const char *port, const char *ifname)
{
	if (ss_json(c)) {
		if (!*addr && !*port)
			return; /* no peer (PACKET, NETLINK): no object */
		/* a port is a number, null where the text says "*"; only
		 * netlink's "port" (a process or "kernel") stays a string */
		emit_obj_open(c->em, side);
		emit_str(c->em, "address", NULL, addr);
		if (ifname)
			emit_str(c->em, "interface", NULL, ifname);
		if (all_digits(port))
			emit_u64(c->em, "port", NULL, strtoull(port, NULL, 10));
		else if (!strcmp(port, "*"))
			emit_null(c->em, "port", NULL);
		else
			emit_str(c->em, "port", NULL, port);
		emit_obj_close(c->em);
		return;
	}
	struct ss_table *t = c->tbl;
	tbl_put(t, addr, strlen(addr));
	if (ifname) {
		tbl_put(t, "%", 1);
		tbl_put(t, ifname, strlen(ifname));
	}
	tbl_put(t, delim, strlen(delim));
	tbl_next(t);
	tbl_put(t, port, strlen(port));
	tbl_next(t);
}

bool ss_is_ephemeral(struct ss_ctx *c, int port)
{
	if (!c->ephemeral_lo) {
		FILE *f = ss_proc_open("PROC_IP_LOCAL_PORT_RANGE",
				       "sys/net/ipv4/ip_local_port_range");
		if (!f || fscanf(f, "%d %d", &c->ephemeral_lo, &c->ephemeral_hi) < 2) {
			c->ephemeral_lo = 1024;
			c->ephemeral_hi = 4999;
		}
		if (f)
			fclose(f);
	}
	return port >= c->ephemeral_lo && port <= c->ephemeral_hi;
}

/* Service names, looked up once per (port, protocol). */
struct svc_cache {
	char *names[65536];
	unsigned char known[65536 / 8];
};

struct ss_svc {
	struct svc_cache *slot[5];
};

void ss_svc_free(struct ss_svc *s)
{
	if (!s)
		return;
	for (int i = 0; i < 5; i++) {
		if (!s->slot[i])
			continue;
		for (int p = 0; p < 65536; p++)
			free(s->slot[i]->names[p]);
		free(s->slot[i]);
	}
	free(s);
}

static const char *cached_service(struct ss_ctx *c, int port, const char *proto)
{
	int slot = !proto		    ? 0
		   : !strcmp(proto, "tcp")  ? 1
		   : !strcmp(proto, "udp")  ? 2
		   : !strcmp(proto, "sctp") ? 3
					    : 4;
	if (!c->svc && !(c->svc = calloc(1, sizeof(*c->svc))))
		return NULL;
	struct svc_cache *sc = c->svc->slot[slot];
	if (!sc) {
		sc = c->svc->slot[slot] = calloc(1, sizeof(*sc));
		if (!sc)
			return NULL;
	}
	if (sc->known[port / 8] & (1u << (port % 8)))
		return sc->names[port];
	sc->known[port / 8] |= (unsigned char)(1u << (port % 8));
	const char *rpc = ss_rpc_name(c->rpc, port, proto);
	if (rpc) {
		sc->names[port] = strdup(rpc);
	} else if (!ss_is_ephemeral(c, port)) {
		struct servent *se = getservbyport(htons((uint16_t)port), proto);
		if (se)
			sc->names[port] = strdup(se->s_name);
	}
	return sc->names[port];
}

const char *ss_service(struct ss_ctx *c, int port, const char *proto, char *buf, size_t len)
{
	if (port == 0)
		return "*";
	if (!c->numeric && proto && !strcmp(proto, "raw")) {
		struct protoent *pe = getprotobynumber(port);
		if (pe)
			return pe->p_name;
		snprintf(buf, len, "ipproto-%d", port);
		return buf;
	}
	if (!c->numeric && port > 0 && port < 65536) {
		const char *n = cached_service(c, port, proto);
		if (n)
			return n;
	}
	if (len >= 12 && port > 0) {
		char *p = utoa_end((unsigned)port, buf + 11);
		memmove(buf, p, (size_t)(buf + 12 - p));
		return buf;
	}
	snprintf(buf, len, "%u", (unsigned)port);
	return buf;
}

const char *ss_format_host(struct ss_ctx *c, int family, const uint8_t *addr, char *buf, size_t len)
{
	if (c->resolve) {
		struct hostent *he = gethostbyaddr(addr, family == AF_INET ? 4 : 16, family);
		if (he) {
			snprintf(buf, len, "%s", he->h_name);
			return buf;
		}
	}
	if (family == AF_INET)
		fmt_ipv4(buf, addr);
	else
		inet_ntop(family, addr, buf, (socklen_t)len);
	return buf;
}

/* -j: an IPv6 address without the text's brackets, the port a number
 * (null for the text's "*", port 0) and its service name, when the text
 * shows one (no -n), as "service" beside it. */
static void json_inet_addr(struct ss_ctx *c, const char *side, const char *addr, const char *ifn,
			   int port, const char *svc)
{
	emit_obj_open(c->em, side);
	emit_str(c->em, "address", NULL, addr);
	if (ifn)
		emit_str(c->em, "interface", NULL, ifn);
	if (port)
		emit_u64(c->em, "port", NULL, (uint64_t)port);
	else
		emit_null(c->em, "port", NULL);
	if (port && !all_digits(svc))
		emit_str(c->em, "service", NULL, svc);
	emit_obj_close(c->em);
}

void ss_print_inet_addr(struct ss_ctx *c, const char *side, const struct ss_sock *s, bool local,
			bool v6only)
{
	static const uint8_t any6[16];
	const uint8_t *a = local ? s->laddr : s->raddr;
	int port = local ? s->lport : s->rport;
	char host[1024], buf[1100], pbuf[64];
	const char *ap = buf;
	if (s->family == AF_INET) {
		ap = ss_format_host(c, AF_INET, a, buf, sizeof(buf));
	} else if (!v6only && !memcmp(a, any6, 16)) {
		ap = "*";
	} else {
		ss_format_host(c, AF_INET6, a, host, sizeof(host));
		if (strchr(host, ':'))
			snprintf(buf, sizeof(buf), "[%s]", host);
		else
			snprintf(buf, sizeof(buf), "%s", host);
	}
	char ifname[IF_NAMESIZE + 1];
	const char *ifn = NULL;
	if (local && s->iface) {
		ifn = if_indextoname(s->iface, ifname);
		if (!ifn) {
			snprintf(ifname, sizeof(ifname), "if%u", s->iface);
			ifn = ifname;
		}
	}
	const char *svc = ss_service(c, port, c->dg_proto, pbuf, sizeof(pbuf));
	if (ss_json(c)) {
		json_inet_addr(c, side, ap == buf && buf[0] == '[' ? host : ap, ifn, port, svc);
		return;
	}
	ss_print_addr(c, side, ap, ":", svc, ifn);
}

struct users_arg {
	struct ss_ctx *c;
	int n;
};

/* Appends src (len bytes) at *p, within end. */
static void cat(char **p, const char *end, const char *src, size_t len)
{
	if (len > (size_t)(end - *p))
		len = (size_t)(end - *p);
	memcpy(*p, src, len);
	*p += len;
}

static void cat_num(char **p, const char *end, const char *key, size_t klen, int v)
{
	char num[FMT_U64_LEN];
	cat(p, end, key, klen);
	cat(p, end, num, fmt_s64(num, v));
}

/* ("comm",pid=N[,tid=N],fd=N) without printf: one per socket of -p. */
static void one_user(void *arg, const char *comm, int pid, int tid, int fd)
{
	struct users_arg *ua = arg;
	struct ss_ctx *c = ua->c;
	if (ss_json(c)) {
		emit_obj_open(c->em, NULL);
		emit_str(c->em, "name", NULL, comm);
		emit_int(c->em, "pid", NULL, pid);
		if (tid)
			emit_int(c->em, "tid", NULL, tid);
		emit_int(c->em, "fd", NULL, fd);
		emit_obj_close(c->em);
		ua->n++;
		return;
	}
	char buf[160], *p = buf;
	const char *end = buf + sizeof(buf);
	cat(&p, end, ",(\"", 3);
	cat(&p, end, comm, strlen(comm));
	cat_num(&p, end, "\",pid=", 6, pid);
	if (tid)
		cat_num(&p, end, ",tid=", 5, tid);
	cat_num(&p, end, ",fd=", 4, fd);
	cat(&p, end, ")", 1);
	size_t skip = ua->n ? 0 : 1;
	tbl_put(c->tbl, buf + skip, (size_t)(p - buf) - skip);
	ua->n++;
}

void ss_print_users(struct ss_ctx *c, unsigned ino)
{
	int first = c->procs && ino ? ss_procs_first(c->procs, ino) : -1;
	if (first < 0)
		return;
	struct users_arg ua = {c, 0};
	if (!ss_json(c))
		tbl_put(c->tbl, " users:(", 8);
	sv_arr_open(c, "users");
	ss_procs_from(c->procs, first, one_user, &ua);
	sv_arr_close(c);
	if (!ss_json(c))
		tbl_put(c->tbl, ")", 1);
}

void ss_print_details(struct ss_ctx *c, const struct ss_sock *s)
{
	if (s->uid || ss_json(c))
		sv_u64(c, "uid", " uid:%" PRIu64, s->uid);
	sv_u64(c, "inode", " ino:%" PRIu64, s->ino);
	sv_u64(c, "sk", " sk:%" PRIx64, s->sk);
	if (s->mark)
		sv_u64(c, "fwmark", " fwmark:0x%" PRIx64, s->mark);
	if (s->cgroup_id) {
		char path[4096];
		sv_str(c, "cgroup", " cgroup:%s",
		       ss_cgroup_path(c, s->cgroup_id, path, sizeof(path)));
	}
}

void ss_print_skmem(struct ss_ctx *c, const uint32_t *m, size_t n)
{
	if (n < SK_MEMINFO_OPTMEM + 1)
		return;
	sv_text(c, " skmem:(");
	sv_obj_open(c, "skmem");
	sv_u64(c, "rmem_alloc", "r%" PRIu64, m[SK_MEMINFO_RMEM_ALLOC]);
	sv_u64(c, "rcvbuf", ",rb%" PRIu64, m[SK_MEMINFO_RCVBUF]);
	sv_u64(c, "wmem_alloc", ",t%" PRIu64, m[SK_MEMINFO_WMEM_ALLOC]);
	sv_u64(c, "sndbuf", ",tb%" PRIu64, m[SK_MEMINFO_SNDBUF]);
	sv_u64(c, "fwd_alloc", ",f%" PRIu64, m[SK_MEMINFO_FWD_ALLOC]);
	sv_u64(c, "wmem_queued", ",w%" PRIu64, m[SK_MEMINFO_WMEM_QUEUED]);
	sv_u64(c, "optmem", ",o%" PRIu64, m[SK_MEMINFO_OPTMEM]);
	if (n >= SK_MEMINFO_BACKLOG + 1)
		sv_u64(c, "backlog", ",bl%" PRIu64, m[SK_MEMINFO_BACKLOG]);
	if (n >= SK_MEMINFO_DROPS + 1)
		sv_u64(c, "drops", ",d%" PRIu64, m[SK_MEMINFO_DROPS]);
	sv_obj_close(c);
	sv_text(c, ")");
}
