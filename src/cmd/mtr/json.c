/* SPDX-License-Identifier: Apache-2.0 */
/* --json, --ndjson and --raw. --json is mtr 0.95's document (jansson's
 * layout, its keys in its order: the -o columns in their order, each once)
 * with netkit's keys after mtr's in each object, so that what reads mtr's
 * keys reads ours: every other statistic, each hop's addresses with names,
 * AS data and MPLS labels, the protocol, mode and end reason. --ndjson
 * writes the same object, compact, once per finished cycle. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd/mtr/mtr.h"

static const char *end_name(enum trace_end e)
{
	switch (e) {
	case TRACE_REACHED: return "reached";
	case TRACE_UNREACHABLE: return "unreachable";
	case TRACE_MAXTTL: return "max-ttl";
	default: return "running";
	}
}

static const char *proto_name(enum trace_proto p)
{
	return p == TRACE_UDP ? "udp" : p == TRACE_TCP ? "tcp" : "icmp";
}

static void json_stat(struct emit *e, const struct mtr_field *f, const struct trace_stats *s)
{
	if (strchr(f->fmt, 'f')) /* mtr 0.95's reals: jansson, 5 digits */
		emit_real(e, f->title, NULL, 5, f->value(s) / 1000.0);
	else
		emit_int(e, f->title, NULL, f->value(s));
}

/* -o's statistics as mtr writes them: in order, a letter given twice once
 * (a JSON object has one value per key), no blanks; then the others */
static void json_stats(struct mtr *m, struct emit *e, const struct trace_stats *s)
{
	for (const char *k = m->fields; *k; k++)
		if (*k != ' ' && !memchr(m->fields, *k, (size_t)(k - m->fields)))
			json_stat(e, mtr_field_find(*k), s);
	for (const struct mtr_field *f = mtr_fields; f->key; f++)
		if (f->key != ' ' && !strchr(m->fields, f->key))
			json_stat(e, f, s);
}

static void json_addr(struct mtr *m, struct emit *e, const struct pkt_addr *a,
		      const struct trace_mpls *l)
{
	char ip[INET6_ADDRSTRLEN];
	struct mtr_name *n = mtr_name_get(m, a);
	static const char *const keys[] = {"asn", "prefix", "country", "registry", "allocated"};

	inet_ntop(a->family, a->b, ip, sizeof(ip));
	emit_obj_open(e, NULL);
	emit_str(e, "ip", NULL, ip);
	if (n && n->ptr)
		emit_str(e, "name", NULL, n->ptr);
	if (n && n->nasn) {
		emit_obj_open(e, "as");
		for (int i = 0; i < n->nasn && i < 5; i++)
			emit_str(e, keys[i], NULL, n->asn[i]);
		emit_obj_close(e);
	}
	if (l && l->n) {
		emit_arr_open(e, "mpls");
		for (int k = 0; k < l->n; k++) {
			emit_obj_open(e, NULL);
			emit_uint(e, "label", NULL, l->l[k].label);
			emit_uint(e, "tc", NULL, l->l[k].tc);
			emit_bool(e, "s", NULL, l->l[k].s);
			emit_uint(e, "ttl", NULL, l->l[k].ttl);
			emit_obj_close(e);
		}
		emit_arr_close(e);
	}
	emit_obj_close(e);
}

static void json_hubs(struct mtr *m, struct emit *e, int flow)
{
	const struct trace_path *p = &m->tr.paths[flow];
	int min = m->cfg.first_ttl - 1, max = trace_max(&m->tr, flow);
	char name[128], ii[64];

	emit_arr_open(e, "hubs");
	for (int at = min; at < max; at++) {
		const struct trace_hop *h = &p->hops[at];

		emit_obj_open(e, NULL);
		emit_int(e, "count", NULL, at + 1);
		mtr_addr_text(m, &h->addr, h->known, name, sizeof(name));
		emit_str(e, "host", NULL, name);
		if (m->ipinfo_no == 0) {
			char *s = (char *)mtr_ipinfo(m, &h->addr, h->known, ii, sizeof(ii));
			char *t = s + strlen(s);

			while (t > s && t[-1] == ' ')
				*--t = 0;
			emit_str(e, "ASN", NULL, s);
		}
		json_stats(m, e, &h->st);
		emit_arr_open(e, "addrs");
		for (int i = 0; i < h->naddrs; i++)
			json_addr(m, e, &h->addrs[i], &h->mplss[i]);
		emit_arr_close(e);
		emit_obj_close(e);
	}
	emit_arr_close(e);
}

static void json_body(struct mtr *m, struct emit *e, unsigned cycles)
{
	emit_obj_open(e, "mtr");
	emit_str(e, "src", NULL, m->local);
	emit_str(e, "dst", NULL, m->hostname);
	emit_int(e, "tos", NULL, m->cfg.tos);
	emit_int(e, "tests", NULL, (int)cycles);
	char psize[16]; /* a string in mtr's JSON */

	snprintf(psize, sizeof(psize), "%d", m->cfg.size);
	emit_str(e, "psize", NULL, psize);
	if (m->cfg.bitpattern >= 0) {
		char b[8];

		snprintf(b, sizeof(b), "0x%02X", (unsigned char)m->cfg.bitpattern);
		emit_str(e, "bitpattern", NULL, b);
	} else {
		emit_str(e, "bitpattern", NULL, "rand(0x00-FF)");
	}
	emit_str(e, "proto", NULL, proto_name(m->cfg.proto));
	emit_str(e, "mode", NULL, trace_mode(&m->tr));
	emit_bool(e, "paris", NULL, m->cfg.paris);
	emit_str(e, "end", NULL, m->refused ? "error" : end_name(trace_end_reason(&m->tr)));
	emit_s64(e, "start", NULL, (int64_t)m->start);
	emit_obj_close(e);
	json_hubs(m, e, 0);
	if (m->cfg.nflows > 1) {
		emit_arr_open(e, "flows");
		for (int f = 0; f < m->cfg.nflows; f++) {
			emit_obj_open(e, NULL);
			emit_uint(e, "flow_id", NULL, m->tr.paths[f].flow_id);
			json_hubs(m, e, f);
			emit_obj_close(e);
		}
		emit_arr_close(e);
	}
}

void mtr_report_json(struct mtr *m)
{
	struct emit *e = &m->out;

	emit_obj_open(e, NULL);
	emit_obj_open(e, "report");
	json_body(m, e, (unsigned)m->cfg.count);
	emit_obj_close(e);
	emit_obj_close(e);
}

void mtr_ndjson_cycle(struct mtr *m, unsigned cycle)
{
	struct emit *e = &m->out;

	emit_obj_open(e, NULL);
	emit_uint(e, "cycle", NULL, cycle);
	json_body(m, e, cycle);
	emit_obj_close(e);
	emit_finish(e);
}

/* mtr's raw format: x (sent), h (host), p (ping reply), d (DNS name) */
void mtr_raw_sent(struct mtr *m, int ttl, unsigned seq)
{
	emit_text(&m->out, "x %d %u\n", ttl - 1, seq);
}

/* As mtr 0.95 does: a changed address is announced (twice, as mtr does),
 * the name once it is known, then the reply (the time in microseconds). */
void mtr_raw_reply(struct mtr *m, int ttl, const struct pkt_addr *a, int usec, unsigned seq)
{
	char ip[INET6_ADDRSTRLEN];
	int at = ttl - 1;

	if (!pkt_addr_eq(&m->raw_addr[at], a)) {
		inet_ntop(a->family, a->b, ip, sizeof(ip));
		emit_text(&m->out, "h %d %s\nh %d %s\n", at, ip, at, ip);
		m->raw_addr[at] = *a;
		m->raw_named[at] = false;
	}
	if (m->dns_on && !m->raw_named[at]) {
		struct mtr_name *n = mtr_name_get(m, a);

		if (n && n->ptr) {
			emit_text(&m->out, "d %d %s\n", at, n->ptr);
			m->raw_named[at] = true;
		}
	}
	emit_text(&m->out, "p %d %d %u\n", at, usec, seq);
}
