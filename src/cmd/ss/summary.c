/* SPDX-License-Identifier: Apache-2.0 */
/* -s: the socket summary from /proc/net/sockstat{,6} and the TCP
 * CurrEstab counter of /proc/net/snmp, laid out as iproute2 6.1 does. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/ss/ss.h"

struct summary {
	int socks, tcp_mem, tcp_total, tcp_orphans, tcp_tws, tcp4_hashed;
	int udp4, raw4, frag4, frag4_mem, tcp6_hashed, udp6, raw6, frag6, frag6_mem;
};

static void sockstat_line(const char *line, struct summary *s)
{
	char id[256], rem[256];
	if (sscanf(line, "%255[^ ] %255[^\n]", id, rem) != 2)
		return;
	if (!strcmp(id, "sockets:"))
		sscanf(rem, "%*s%d", &s->socks);
	else if (!strcmp(id, "UDP:"))
		sscanf(rem, "%*s%d", &s->udp4);
	else if (!strcmp(id, "UDP6:"))
		sscanf(rem, "%*s%d", &s->udp6);
	else if (!strcmp(id, "RAW:"))
		sscanf(rem, "%*s%d", &s->raw4);
	else if (!strcmp(id, "RAW6:"))
		sscanf(rem, "%*s%d", &s->raw6);
	else if (!strcmp(id, "TCP6:"))
		sscanf(rem, "%*s%d", &s->tcp6_hashed);
	else if (!strcmp(id, "FRAG:"))
		sscanf(rem, "%*s%d%*s%d", &s->frag4, &s->frag4_mem);
	else if (!strcmp(id, "FRAG6:"))
		sscanf(rem, "%*s%d%*s%d", &s->frag6, &s->frag6_mem);
	else if (!strcmp(id, "TCP:"))
		sscanf(rem, "%*s%d%*s%d%*s%d%*s%d%*s%d", &s->tcp4_hashed, &s->tcp_orphans,
		       &s->tcp_tws, &s->tcp_total, &s->tcp_mem);
}

static int read_sockstat(struct summary *s)
{
	char buf[256];
	memset(s, 0, sizeof(*s));
	FILE *f = ss_proc_open("PROC_NET_SOCKSTAT", "net/sockstat");
	if (!f)
		return -1;
	while (fgets(buf, sizeof(buf), f))
		sockstat_line(buf, s);
	fclose(f);
	if ((f = ss_proc_open("PROC_NET_SOCKSTAT6", "net/sockstat6"))) {
		while (fgets(buf, sizeof(buf), f))
			sockstat_line(buf, s);
		fclose(f);
	}
	return 0;
}

/* A value of /proc/net/snmp: the header line names the columns, the next
 * line with the same prefix holds the values. */
static int snmp_value(const char *proto, const char *key, int *out)
{
	char head[2048], vals[2048];
	*out = 0;
	FILE *f = ss_proc_open("PROC_NET_SNMP", "net/snmp");
	if (!f)
		return -1;
	size_t pl = strlen(proto), kl = strlen(key);
	while (fgets(head, sizeof(head), f)) {
		if (strncmp(head, proto, pl))
			continue;
		int pos = 0;
		char *p = head;
		while ((p = strchr(p, ' '))) {
			pos++;
			p++;
			if (!strncmp(p, key, kl) && (p[kl] == ' ' || p[kl] == '\n'))
				break;
		}
		if (!fgets(vals, sizeof(vals), f) || strncmp(vals, proto, pl))
			break;
		p = vals;
		while ((p = strchr(p, ' '))) {
			p++;
			if (--pos == 0) {
				sscanf(p, "%d", out);
				fclose(f);
				return 0;
			}
		}
	}
	fclose(f);
	errno = ESRCH;
	return -1;
}

static void row(struct ss_ctx *c, const char *name, int total, int ip, int ip6)
{
	if (ss_json(c)) {
		emit_obj_open(c->em, name);
		emit_int(c->em, "total", NULL, total);
		emit_int(c->em, "ip", NULL, ip);
		emit_int(c->em, "ipv6", NULL, ip6);
		emit_obj_close(c->em);
		return;
	}
	emit_rawf(c->em, "%s\t  %-9d %-9d %-9d\n", name, total, ip, ip6);
}

int ss_summary(struct ss_ctx *c)
{
	struct summary s;
	int estab;
	if (read_sockstat(&s) < 0)
		perror("ss: get_sockstat");
	if (snmp_value("Tcp:", "CurrEstab", &estab) < 0)
		perror("ss: get_snmpstat");
	int closed = s.tcp_total - (s.tcp4_hashed + s.tcp6_hashed - s.tcp_tws);
	int in4 = s.raw4 + s.udp4 + s.tcp4_hashed, in6 = s.raw6 + s.udp6 + s.tcp6_hashed;
	struct emit *e = c->em;
	if (ss_json(c)) {
		emit_obj_open(e, "summary");
		emit_int(e, "total", NULL, s.socks);
		emit_obj_open(e, "tcp");
		emit_int(e, "total", NULL, s.tcp_total + s.tcp_tws);
		emit_int(e, "estab", NULL, estab);
		emit_int(e, "closed", NULL, closed);
		emit_int(e, "orphaned", NULL, s.tcp_orphans);
		emit_int(e, "timewait", NULL, s.tcp_tws);
		emit_obj_close(e);
		emit_obj_open(e, "transport");
	} else {
		emit_rawf(e, "Total: %d\n", s.socks);
		emit_rawf(e, "TCP:   %d (estab %d, closed %d, orphaned %d, timewait %d)\n",
			  s.tcp_total + s.tcp_tws, estab, closed, s.tcp_orphans, s.tcp_tws);
		emit_raw(e, "\nTransport Total     IP        IPv6\n", 36);
	}
	row(c, "RAW", s.raw4 + s.raw6, s.raw4, s.raw6);
	row(c, "UDP", s.udp4 + s.udp6, s.udp4, s.udp6);
	row(c, "TCP", s.tcp4_hashed + s.tcp6_hashed, s.tcp4_hashed, s.tcp6_hashed);
	row(c, "INET", in4 + in6, in4, in6);
	row(c, "FRAG", s.frag4 + s.frag6, s.frag4, s.frag6);
	if (ss_json(c)) {
		emit_obj_close(e);
		emit_obj_close(e);
	} else {
		emit_raw(e, "\n", 1);
	}
	return 0;
}

FILE *ss_proc_open(const char *env, const char *name)
{
	const char *p = getenv(env);
	char store[128];
	if (!p) {
		const char *root = getenv("PROC_ROOT");
		/* iproute2 builds it in 127 bytes */
		snprintf(store, sizeof(store) - 1, "%s/%s", root ? root : "/proc", name);
		p = store;
	}
	return fopen(p, "re");
}

bool ss_proc_forced(const char *env)
{
	return getenv(env) || getenv("PROC_ROOT");
}
