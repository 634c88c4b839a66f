/* SPDX-License-Identifier: Apache-2.0 */
/* mtr's non-interactive outputs: report (-r/-w), CSV, XML, JSON, raw and
 * NDJSON. Report, CSV and XML reproduce mtr 0.95's layout byte for byte,
 * including its fixed-offset columns (a name longer than the column is cut
 * where the statistics begin). */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cmd/mtr/mtr.h"

#define NAME_MAX_STR 81

static int v_loss(const struct trace_stats *s)
{
	return trace_stats_loss(s);
}
static int v_drop(const struct trace_stats *s)
{
	return trace_stats_drop(s);
}
static int v_rcv(const struct trace_stats *s)
{
	return s->returned;
}
static int v_snt(const struct trace_stats *s)
{
	return s->xmit;
}
static int v_last(const struct trace_stats *s)
{
	return s->last;
}
static int v_best(const struct trace_stats *s)
{
	return s->best;
}
static int v_avg(const struct trace_stats *s)
{
	return (int)s->avg;
}
static int v_worst(const struct trace_stats *s)
{
	return s->worst;
}
static int v_stdev(const struct trace_stats *s)
{
	return trace_stats_stdev(s);
}
static int v_gmean(const struct trace_stats *s)
{
	return (int)s->gmean;
}
static int v_jitter(const struct trace_stats *s)
{
	return s->jitter;
}
static int v_javg(const struct trace_stats *s)
{
	return (int)s->javg;
}
static int v_jworst(const struct trace_stats *s)
{
	return s->jworst;
}
static int v_jinta(const struct trace_stats *s)
{
	return s->jinta;
}

/* mtr's table; the space column's value is the drop count, as in mtr */
const struct mtr_field mtr_fields[] = {
	{' ', " ", " ", 1, v_drop},	      {'L', "Loss%", " %4.1f%%", 6, v_loss},
	{'D', "Drop", " %4d", 5, v_drop},     {'R', "Rcv", " %5d", 6, v_rcv},
	{'S', "Snt", " %5d", 6, v_snt},	      {'N', "Last", " %5.1f", 6, v_last},
	{'B', "Best", " %5.1f", 6, v_best},   {'A', "Avg", " %5.1f", 6, v_avg},
	{'W', "Wrst", " %5.1f", 6, v_worst},  {'V', "StDev", " %5.1f", 6, v_stdev},
	{'G', "Gmean", " %5.1f", 6, v_gmean}, {'J', "Jttr", " %4.1f", 5, v_jitter},
	{'M', "Javg", " %4.1f", 5, v_javg},   {'X', "Jmax", " %4.1f", 5, v_jworst},
	{'I', "Jint", " %4.1f", 5, v_jinta},  {0, NULL, NULL, 0, NULL},
};

const struct mtr_field *mtr_field_find(char key)
{
	for (const struct mtr_field *f = mtr_fields; f->key; f++)
		if (f->key == key)
			return f;
	return NULL;
}

static bool is_float(const struct mtr_field *f)
{
	return strchr(f->fmt, 'f') != NULL;
}

int mtr_cell(const struct mtr_field *f, const struct trace_stats *s, char *buf, size_t len)
{
	if (is_float(f))
		return snprintf(buf, len, f->fmt, f->value(s) / 1000.0);
	if (f->key == ' ')
		return snprintf(buf, len, " ");
	return snprintf(buf, len, f->fmt, f->value(s));
}

/* Writes s at offset off of buf, as mtr's snprintf(buf + len, ...) does. */
static size_t put_at(char *buf, size_t cap, size_t off, const char *s)
{
	if (off < cap)
		snprintf(buf + off, cap - off, "%s", s);
	return off;
}

static void start_line(struct mtr *m)
{
	char t[64];
	struct tm tm;

	localtime_r(&m->start, &tm);
	strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%S%z", &tm);
	emit_text(&m->out, "Start: %s\n", t);
}

static void row_stats(struct mtr *m, const struct trace_stats *s, char *buf, size_t cap, size_t len)
{
	char cell[64];

	for (const char *k = m->fields; *k; k++) {
		const struct mtr_field *f = mtr_field_find(*k);

		mtr_cell(f, s, cell, sizeof(cell));
		put_at(buf, cap, len, cell);
		len += (size_t)f->width;
	}
}

static size_t report_header(struct mtr *m, int min, int max, char *buf, size_t cap)
{
	const struct trace_path *p = &m->tr.paths[0];
	char name[NAME_MAX_STR];
	size_t len_hosts = 33, len_tmp, len;
	static const int iiwidth[] = {7, 19, 4, 8, 11};

	if (m->wide) {
		len_hosts = strlen(m->local);
		for (int at = min; at < max; at++) {
			size_t n = (size_t)mtr_addr_text(m, &p->hops[at].addr, p->hops[at].known,
							 name, sizeof(name));
			if (n > len_hosts)
				len_hosts = n;
		}
	}
	len_tmp = len_hosts;
	if (m->ipinfo_no >= 0) {
		m->ipinfo_no %= 5;
		if (m->wide) {
			len_hosts++;
			len_tmp += (size_t)iiwidth[m->ipinfo_no];
			if (!m->ipinfo_no)
				len_tmp += 2;
		}
	}
	snprintf(buf, cap, "HOST: %-*s", (int)len_tmp, m->local);
	len = m->wide ? strlen(buf) : len_hosts;
	for (const char *k = m->fields; *k; k++) {
		const struct mtr_field *f = mtr_field_find(*k);
		char t[32];

		snprintf(t, sizeof(t), "%*s", f->width, f->title);
		put_at(buf, cap, len, t);
		len += (size_t)f->width;
	}
	emit_text(&m->out, "%s\n", buf);
	return len_hosts;
}

/* mtr 0.95 prints the S bit as a character (byte 0 or 1) followed by a
 * 'u' (its format says %cu); so do we, byte for byte. */
static void report_mpls(struct mtr *m, const struct trace_mpls *l)
{
	for (int k = 0; k < l->n; k++) {
		char line[96];
		int n = snprintf(line, sizeof(line), "       [MPLS: Lbl %u TC %u S Xu TTL %u]\n",
				 l->l[k].label, l->l[k].tc, l->l[k].ttl);
		char *s = strstr(line, " S Xu");
		if (n <= 0 || (size_t)n >= sizeof(line) || !s)
			continue;
		s[3] = (char)l->l[k].s;
		emit_raw(&m->out, line, (size_t)n);
	}
}

/* Extra addresses of a hop (load balancing): mtr 0.95 lists each address
 * after the first not seen before, padded to the host column, and with
 * -y/-z once more with its IP information. */
static void report_multipath(struct mtr *m, const struct trace_hop *h, size_t len_hosts)
{
	char name[NAME_MAX_STR], ii[64];
	int z;

	for (z = 1; z < h->naddrs; z++) {
		bool dup = false;

		for (int w = 0; w < z; w++)
			if (pkt_addr_eq(&h->addrs[z], &h->addrs[w]))
				dup = true;
		if (dup)
			continue;
		mtr_addr_text(m, &h->addrs[z], true, name, sizeof(name));
		emit_text(&m->out, "        %-*s\n", (int)len_hosts, name);
		if (m->ipinfo_no < 0)
			continue;
		if (h->mpls.n && z == 1 && m->cfg.mpls)
			report_mpls(m, &h->mpls);
		emit_text(&m->out, "     %s%s\n", mtr_ipinfo(m, &h->addrs[z], true, ii, sizeof(ii)),
			  name);
		if (m->cfg.mpls)
			report_mpls(m, &h->mplss[z]);
	}
	/* like the multipath lines, only with -y/-z */
	if (h->mpls.n && z <= 1 && m->cfg.mpls && m->ipinfo_no >= 0)
		report_mpls(m, &h->mpls);
}

static void report_path(struct mtr *m, int flow)
{
	const struct trace_path *p = &m->tr.paths[flow];
	int min = m->cfg.first_ttl - 1, max = trace_max(&m->tr, flow);
	char buf[1024], name[NAME_MAX_STR], ii[64];
	size_t len_hosts = report_header(m, min, max, buf, sizeof(buf));

	for (int at = min; at < max; at++) {
		const struct trace_hop *h = &p->hops[at];
		size_t len;

		mtr_addr_text(m, &h->addr, h->known, name, sizeof(name));
		if (m->ipinfo_no >= 0)
			snprintf(buf, sizeof(buf), " %2d. %s%-*s", at + 1,
				 mtr_ipinfo(m, &h->addr, h->known, ii, sizeof(ii)), (int)len_hosts,
				 name);
		else
			snprintf(buf, sizeof(buf), " %2d.|-- %-*s", at + 1, (int)len_hosts, name);
		len = m->wide ? strlen(buf) : len_hosts;
		row_stats(m, &h->st, buf, sizeof(buf), len);
		emit_text(&m->out, "%s\n", buf);
		report_multipath(m, h, len_hosts);
	}
}

void mtr_report(struct mtr *m)
{
	start_line(m);
	for (int f = 0; f < m->cfg.nflows; f++) {
		if (m->cfg.nflows > 1)
			emit_text(&m->out, "Flow %d (%s %u):\n", f + 1,
				  m->cfg.proto == TRACE_ICMP ? "ICMP id" : "source port",
				  m->tr.paths[f].flow_id);
		report_path(m, f);
	}
}

void mtr_report_csv(struct mtr *m)
{
	const struct trace_path *p = &m->tr.paths[0];
	int min = m->cfg.first_ttl - 1, max = trace_max(&m->tr, 0);
	char name[NAME_MAX_STR], ii[64];

	if (m->ipinfo_no >= 0)
		m->ipinfo_no %= 5;
	for (int at = min; at < max; at++) {
		const struct trace_hop *h = &p->hops[at];

		mtr_addr_text(m, &h->addr, h->known, name, sizeof(name));
		if (at == min) {
			emit_text(&m->out, "Mtr_Version,Start_Time,Status,Host,Hop,Ip,");
			if (m->ipinfo_no == 0)
				emit_text(&m->out, "Asn,");
			for (const char *k = m->fields; *k; k++)
				emit_text(&m->out, "%s,", mtr_field_find(*k)->title);
			emit_text(&m->out, "\n");
		}
		emit_text(&m->out, "MTR.%s,%lld,%s,%s,%d,%s", MTR_VERSION, (long long)m->start,
			  "OK", m->hostname, at + 1, name);
		if (m->ipinfo_no == 0) {
			char *s = (char *)mtr_ipinfo(m, &h->addr, h->known, ii, sizeof(ii));
			char *e = s + strlen(s);

			while (e > s && e[-1] == ' ')
				*--e = 0;
			emit_text(&m->out, ",%s", s);
		}
		for (const char *k = m->fields; *k; k++) {
			const struct mtr_field *f = mtr_field_find(*k);

			if (is_float(f))
				emit_text(&m->out, ",%.2f", f->value(&h->st) / 1000.0);
			else
				emit_text(&m->out, ",%d", f->value(&h->st));
		}
		emit_text(&m->out, "\n");
	}
}

static void xml_escape_to(char *dst, size_t cap, const char *s)
{
	size_t o = 0;

	for (; *s && o + 7 < cap; s++) {
		const char *r = NULL;

		switch (*s) {
		case '<': r = "&lt;"; break;
		case '>': r = "&gt;"; break;
		case '&': r = "&amp;"; break;
		case '"': r = "&quot;"; break;
		default: break;
		}
		if (r) {
			o += (size_t)snprintf(dst + o, cap - o, "%s", r);
		} else {
			dst[o++] = *s;
		}
	}
	dst[o] = 0;
}

void mtr_report_xml(struct mtr *m)
{
	const struct trace_path *p = &m->tr.paths[0];
	int min = m->cfg.first_ttl - 1, max = trace_max(&m->tr, 0);
	char name[NAME_MAX_STR], esc[512], cell[64];

	emit_text(&m->out, "<?xml version=\"1.0\"?>\n");
	xml_escape_to(esc, sizeof(esc), m->hostname);
	emit_text(&m->out, "<MTR SRC=\"%s\" DST=\"%s\"", m->local, esc);
	emit_text(&m->out, " TOS=\"0x%X\"", m->cfg.tos);
	emit_text(&m->out, " PSIZE=\"%d\"", m->cfg.size);
	if (m->cfg.bitpattern >= 0)
		emit_text(&m->out, " BITPATTERN=\"0x%02X\"", (unsigned char)m->cfg.bitpattern);
	else
		emit_text(&m->out, " BITPATTERN=\"rand(0x00-FF)\"");
	emit_text(&m->out, " TESTS=\"%d\">\n", m->cfg.count);
	for (int at = min; at < max; at++) {
		const struct trace_hop *h = &p->hops[at];

		mtr_addr_text(m, &h->addr, h->known, name, sizeof(name));
		xml_escape_to(esc, sizeof(esc), name);
		emit_text(&m->out, "    <HUB COUNT=\"%d\" HOST=\"%s\">\n", at + 1, esc);
		for (const char *k = m->fields; *k; k++) {
			const struct mtr_field *f = mtr_field_find(*k);
			const char *title = strcmp(f->title, "Loss%") == 0 ? "Loss" : f->title;

			if (f->key == ' ')
				continue;
			mtr_cell(f, &h->st, cell, sizeof(cell));
			emit_text(&m->out, "        <%s>%s</%s>\n", title, cell, title);
		}
		emit_text(&m->out, "    </HUB>\n");
	}
	emit_text(&m->out, "</MTR>\n");
}
