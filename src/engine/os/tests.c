/* SPDX-License-Identifier: Apache-2.0 */
/* nmap's OS detection tests, computed from the replies one try got, as
 * nmap's documentation ("TCP/IP Fingerprinting Methods Supported by
 * Nmap") defines them: SEQ (SP GCD ISR TI CI II SS TS), OPS, WIN, ECN,
 * T1-T7 (R DF T TG W S A F O RD Q), U1 (R DF T TG IPL UN RIPL RID RIPCK
 * RUCK RUD) and IE (R DFI T TG CD). */
#include "engine/os/os.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct sbuf {
	char *s;
	size_t cap, len;
};

static void put(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	if (b->len + 1 >= b->cap)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->len = b->len + (size_t)n < b->cap ? b->len + (size_t)n : b->cap - 1;
}

uint32_t os_crc32(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t c = 0xffffffffu;
	for (size_t i = 0; i < len; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0xedb88320u : c >> 1;
	}
	return ~c;
}

void os_tcp_opts_str(const uint8_t *opt, size_t len, char *out, size_t cap)
{
	struct sbuf b = {out, cap, 0};
	size_t off = 0;
	struct pkt_tcp_opt o;
	out[0] = '\0';
	while (off < len) {
		if (opt[off] == 0) { /* EOL: nmap notes it and stops */
			put(&b, "L");
			return;
		}
		if (pkt_tcp_opt_next(opt, len, &off, &o) <= 0)
			return;
		switch (o.kind) {
		case 1: put(&b, "N"); break;
		case PKT_TCPOPT_MSS:
			if (o.dlen == 2)
				put(&b, "M%X", pkt_get16(o.data));
			break;
		case PKT_TCPOPT_WSCALE:
			if (o.dlen == 1)
				put(&b, "W%X", o.data[0]);
			break;
		case PKT_TCPOPT_SACK_PERM: put(&b, "S"); break;
		case PKT_TCPOPT_TS:
			if (o.dlen == 8)
				put(&b, "T%c%c", pkt_get32(o.data) ? '1' : '0',
				    pkt_get32(o.data + 4) ? '1' : '0');
			break;
		default: break;
		}
	}
}

enum os_ipid os_ipid_class(const uint16_t *ids, int n, bool allow_rd)
{
	if (n < 2)
		return IPID_NONE;
	bool zero = true, same = true;
	for (int i = 0; i < n; i++) {
		zero &= ids[i] == 0;
		same &= ids[i] == ids[0];
	}
	if (zero)
		return IPID_ZERO;
	if (same)
		return IPID_CONST;
	bool all_lt10 = true, all_bi = true;
	for (int i = 1; i < n; i++) {
		uint16_t d = (uint16_t)(ids[i] - ids[i - 1]);
		if (allow_rd && d >= 20000)
			return IPID_RD;
		if (d > 1000 && d % 256)
			return IPID_RI;
		all_bi &= d % 256 == 0 && d <= 5120;
		all_lt10 &= d < 10;
	}
	return all_bi ? IPID_BI : all_lt10 ? IPID_INCR : IPID_NONE;
}

static void put_ipid(struct sbuf *b, const char *name, enum os_ipid c, uint16_t first)
{
	static const char *const v[] = {"", "Z", "RD", "RI", "BI", "I", ""};
	if (c == IPID_NONE)
		return;
	if (c == IPID_CONST)
		put(b, "%%%s=%X", name, first);
	else
		put(b, "%%%s=%s", name, v[c]);
}

/* A reply's IP and TCP headers; false if it is not a TCP packet. */
static bool tcp_reply(const struct os_obs *o, int p, struct pkt_ip4 *ip, struct pkt_tcp *t)
{
	if (!o->got[p] || pkt_ip4_parse(o->reply[p], o->rlen[p], ip, true) < 0 ||
	    ip->proto != IPPROTO_TCP)
		return false;
	size_t l = o->rlen[p] - ip->hlen;
	if (ip->tot_len >= ip->hlen && (size_t)(ip->tot_len - ip->hlen) < l)
		l = ip->tot_len - ip->hlen;
	return pkt_tcp_parse(o->reply[p] + ip->hlen, l, t) >= 0;
}

static uint32_t mod_diff(uint32_t a, uint32_t b)
{
	uint32_t x = a - b, y = b - a;
	return x < y ? x : y;
}

static uint32_t gcd(uint32_t a, uint32_t b)
{
	while (b) {
		uint32_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* SP, GCD, ISR from the SEQ replies' ISNs (at least four, not all one). */
static void seq_rates(const struct os_obs *o, struct os_fp *fp, const int *idx, struct sbuf *b)
{
	int n = fp->nseq;
	double rates[5], avg = 0;
	uint32_t g = 0;
	for (int i = 0; i < n - 1; i++) {
		uint32_t d = mod_diff(fp->isn[i + 1], fp->isn[i]);
		double dt = o->sent[idx[i + 1]] - o->sent[idx[i]];
		g = gcd(g, d);
		rates[i] = dt > 0 ? d / dt : 0;
		avg += rates[i];
	}
	avg /= n - 1;
	if (g == 0) { /* one ISN for every SYN (ns-3): nmap 7.93 gives no SP, GCD, ISR */
		fp->isn_fixed = true;
		return;
	}
	double isr = avg < 1 ? 0 : log(avg) / log(2.0) * 8;
	double div = g > 9 ? g : 1, sd = 0;
	for (int i = 0; i < n - 1; i++) {
		double r = rates[i] / div - avg / div;
		sd += r * r;
	}
	sd = n > 2 ? sqrt(sd / (n - 2)) : 0;
	fp->sp_index = sd <= 1 ? 0 : (int)(log(sd) / log(2.0) * 8 + 0.5);
	put(b, "%%SP=%X%%GCD=%X%%ISR=%X", (unsigned)fp->sp_index, g, (unsigned)(int)(isr + 0.5));
}

/* TS from the SEQ replies' timestamps. */
static void seq_ts(const struct os_obs *o, struct os_fp *fp, const int *idx, struct sbuf *b)
{
	int n = fp->nseq;
	for (int i = 0; i < n; i++)
		if (!fp->has_ts[i]) {
			fp->ts = TS_UNSUPPORTED;
			put(b, "%%TS=U");
			return;
		}
	for (int i = 0; i < n; i++)
		if (fp->tsval[i] == 0) {
			fp->ts = TS_ZERO;
			put(b, "%%TS=0");
			return;
		}
	if (n < 2)
		return;
	double hz = 0;
	for (int i = 0; i < n - 1; i++) {
		double dt = o->sent[idx[i + 1]] - o->sent[idx[i]];
		if (dt > 0)
			hz += (double)(uint32_t)(fp->tsval[i + 1] - fp->tsval[i]) / dt / (n - 1);
	}
	fp->ts = TS_NUM;
	fp->ts_hz = hz;
	unsigned v = hz > 0 && hz < 5.66      ? 1
		     : hz > 70 && hz < 150    ? 7
		     : hz >= 150 && hz <= 350 ? 8
		     : hz > 0		      ? (unsigned)(0.5 + log(hz) / log(2.0))
					      : 0;
	if (hz > 0)
		fp->uptime = fp->tsval[0] / hz;
	put(b, "%%TS=%X", v);
}

static int collect_ids(const struct os_obs *o, int from, int to, uint16_t *ids)
{
	int n = 0;
	for (int p = from; p <= to; p++) {
		struct pkt_ip4 ip;
		if (o->got[p] && pkt_ip4_parse(o->reply[p], o->rlen[p], &ip, true) >= 0)
			ids[n++] = ip.id;
	}
	return n;
}

static void seq_line(const struct os_obs *o, struct os_fp *fp, struct sbuf *b)
{
	int idx[6];
	fp->nseq = 0;
	for (int p = OSP_SEQ1; p <= OSP_SEQ6; p++) {
		struct pkt_ip4 ip;
		struct pkt_tcp t;
		if (!tcp_reply(o, p, &ip, &t) || !(t.flags & PKT_TCP_SYN))
			continue;
		int k = fp->nseq++;
		idx[k] = p;
		fp->isn[k] = t.seq;
		fp->ipid[k] = ip.id;
		struct pkt_tcp_opts op = {0};
		pkt_tcp_opts_parse(t.opt, t.optlen, &op);
		fp->has_ts[k] = op.has_ts;
		fp->tsval[k] = op.ts_val;
	}
	size_t start = b->len;
	put(b, "SEQ(");
	size_t body = b->len;
	if (fp->nseq >= 4)
		seq_rates(o, fp, idx, b);
	fp->ti = fp->nseq >= 3 ? os_ipid_class(fp->ipid, fp->nseq, true) : IPID_NONE;
	put_ipid(b, "TI", fp->ti, fp->ipid[0]);
	uint16_t ci[3], ii[2];
	int nci = collect_ids(o, OSP_T5, OSP_T7, ci);
	enum os_ipid cic = os_ipid_class(ci, nci, true);
	put_ipid(b, "CI", cic, ci[0]);
	int nii = collect_ids(o, OSP_IE1, OSP_IE2, ii);
	enum os_ipid iic = nii == 2 ? os_ipid_class(ii, 2, false) : IPID_NONE;
	put_ipid(b, "II", iic, ii[0]);
	/* as nmap: both sequences incremental in one of its three ways (not
	 * necessarily the same: lwIP's TI=I with II=RI, echoing our IDs) */
	bool seqlike = fp->ti == IPID_RI || fp->ti == IPID_BI || fp->ti == IPID_INCR;
	bool iilike = iic == IPID_RI || iic == IPID_BI || iic == IPID_INCR;
	if (seqlike && iilike) {
		double avg = (double)(uint16_t)(fp->ipid[fp->nseq - 1] - fp->ipid[0]) /
			     (idx[fp->nseq - 1] - idx[0]);
		/* nmap's words: the first echo reply's ID "less than the final TCP
		 * sequence response ID plus three times avg", IDs as numbers (ns-3's
		 * ICMP IDs 1, 2 after TCP's 2-7: S in nmap 7.93) */
		bool shared = ii[0] < fp->ipid[fp->nseq - 1] + 3 * avg;
		put(b, "%%SS=%c", shared ? 'S' : 'O');
	}
	if (fp->nseq >= 1)
		seq_ts(o, fp, idx, b);
	if (b->len > body && b->s[body] == '%') { /* drop the first separator */
		memmove(b->s + body, b->s + body + 1, b->len - body);
		b->len--;
	}
	if (b->len == body) { /* nothing: no SEQ line */
		b->len = start;
		b->s[start] = '\0';
		return;
	}
	put(b, ")");
}

/* T=xx (exact, from the distance) or TG=xx (rounded up to 32/64/128/255). */
static void put_ttl(struct sbuf *b, const struct os_fp *fp, uint8_t ttl)
{
	if (fp->distance > 0) {
		put(b, "%%T=%X", ttl + fp->distance - 1);
		return;
	}
	put(b, "%%TG=%X", ttl <= 32 ? 32 : ttl <= 64 ? 64 : ttl <= 128 ? 128 : 255);
}

static void ops_win(const struct os_obs *o, struct sbuf *b)
{
	char ops[6][64], win[6][8];
	bool any = false;
	for (int p = OSP_SEQ1; p <= OSP_SEQ6; p++) {
		struct pkt_ip4 ip;
		struct pkt_tcp t;
		ops[p][0] = win[p][0] = '\0';
		if (!tcp_reply(o, p, &ip, &t))
			continue;
		os_tcp_opts_str(t.opt, t.optlen, ops[p], sizeof(ops[p]));
		snprintf(win[p], sizeof(win[p]), "%X", t.window);
		any = true;
	}
	if (!any)
		return;
	const char *sep = "";
	put(b, "OPS(");
	for (int p = 0; p < 6; p++, sep = "%")
		if (win[p][0])
			put(b, "%sO%d=%s", sep, p + 1, ops[p]);
	put(b, ")WIN(");
	sep = "";
	for (int p = 0; p < 6; p++, sep = "%")
		if (win[p][0])
			put(b, "%sW%d=%s", sep, p + 1, win[p]);
	put(b, ")");
}

static const char *seq_cmp(uint32_t v, uint32_t ref)
{
	return v == 0 ? "Z" : v == ref ? "A" : v == ref + 1 ? "A+" : "O";
}

static const char *ack_cmp(uint32_t v, uint32_t ours)
{
	return v == 0 ? "Z" : v == ours ? "S" : v == ours + 1 ? "S+" : "O";
}

static void put_flags(struct sbuf *b, uint8_t f)
{
	static const struct {
		uint8_t bit;
		char c;
	} order[] = {{PKT_TCP_ECE, 'E'}, {PKT_TCP_URG, 'U'}, {PKT_TCP_ACK, 'A'}, {PKT_TCP_PSH, 'P'},
		     {PKT_TCP_RST, 'R'}, {PKT_TCP_SYN, 'S'}, {PKT_TCP_FIN, 'F'}};
	put(b, "%%F=");
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (f & order[i].bit)
			put(b, "%c", order[i].c);
}

static void put_quirks(struct sbuf *b, const struct pkt_tcp *t)
{
	put(b, "%%Q=%s%s", t->res ? "R" : "", !(t->flags & PKT_TCP_URG) && t->urg ? "U" : "");
}

/* T1-T7 (p: OSP_SEQ1 for T1) */
static void t_line(const struct os_obs *o, const struct os_fp *fp, int p, const char *name,
		   struct sbuf *b)
{
	struct pkt_ip4 ip;
	struct pkt_tcp t;
	if (!tcp_reply(o, p, &ip, &t)) {
		put(b, "%s(R=N)", name);
		return;
	}
	uint32_t ours = o->pp.seq + (p <= OSP_SEQ6 ? (uint32_t)p : 0);
	put(b, "%s(R=Y%%DF=%c", name, ip.frag & PKT_IP4_DF ? 'Y' : 'N');
	put_ttl(b, fp, ip.ttl);
	if (p != OSP_SEQ1)
		put(b, "%%W=%X", t.window);
	put(b, "%%S=%s%%A=%s", seq_cmp(t.seq, o->pp.ack), ack_cmp(t.ack, ours));
	put_flags(b, t.flags);
	if (p != OSP_SEQ1) {
		char ops[64];
		os_tcp_opts_str(t.opt, t.optlen, ops, sizeof(ops));
		put(b, "%%O=%s", ops);
	}
	size_t hl = ip.hlen + t.hlen;
	size_t end = ip.tot_len < o->rlen[p] ? ip.tot_len : o->rlen[p];
	uint32_t rd =
		(t.flags & PKT_TCP_RST) && end > hl ? os_crc32(o->reply[p] + hl, end - hl) : 0;
	put(b, "%%RD=%X", rd);
	put_quirks(b, &t);
	put(b, ")");
}

static void ecn_line(const struct os_obs *o, const struct os_fp *fp, struct sbuf *b)
{
	struct pkt_ip4 ip;
	struct pkt_tcp t;
	if (!tcp_reply(o, OSP_ECN, &ip, &t)) {
		put(b, "ECN(R=N)");
		return;
	}
	char ops[64];
	os_tcp_opts_str(t.opt, t.optlen, ops, sizeof(ops));
	bool ece = t.flags & PKT_TCP_ECE, cwr = t.flags & PKT_TCP_CWR;
	put(b, "ECN(R=Y%%DF=%c", ip.frag & PKT_IP4_DF ? 'Y' : 'N');
	put_ttl(b, fp, ip.ttl);
	put(b, "%%W=%X%%O=%s%%CC=%c", t.window, ops,
	    ece && cwr ? 'S'
	    : ece      ? 'Y'
	    : cwr      ? 'O'
		       : 'N');
	put_quirks(b, &t);
	put(b, ")");
}

/* The U1 reply: its IP header, ICMP header and the quoted probe. */
struct u1r {
	struct pkt_ip4 ip, qip;
	struct pkt_icmp m;
	const uint8_t *q; /* quoted IP header */
	size_t qlen;
};

static bool u1_reply(const struct os_obs *o, struct u1r *u)
{
	if (!o->got[OSP_U1] || pkt_ip4_parse(o->reply[OSP_U1], o->rlen[OSP_U1], &u->ip, true) < 0 ||
	    u->ip.proto != IPPROTO_ICMP)
		return false;
	memset(&u->m, 0, sizeof(u->m));
	const uint8_t *l4 = o->reply[OSP_U1] + u->ip.hlen;
	if (pkt_icmp_parse(l4, o->rlen[OSP_U1] - u->ip.hlen, &u->m) < 0 || u->m.type != 3)
		return false;
	u->q = u->m.data;
	u->qlen = u->m.data_len;
	return pkt_ip4_parse(u->q, u->qlen, &u->qip, true) >= 0;
}

static void u1_line(const struct os_obs *o, const struct os_fp *fp, struct sbuf *b)
{
	struct u1r u;
	if (!u1_reply(o, &u)) {
		put(b, "U1(R=N)");
		return;
	}
	put(b, "U1(R=Y%%DF=%c", u.ip.frag & PKT_IP4_DF ? 'Y' : 'N');
	put_ttl(b, fp, u.ip.ttl);
	put(b, "%%IPL=%X%%UN=%X", u.ip.tot_len, u.m.rest);
	if (u.qip.tot_len == OS_U1_LEN)
		put(b, "%%RIPL=G");
	else
		put(b, "%%RIPL=%X", u.qip.tot_len);
	if (u.qip.id == OS_U1_IPID)
		put(b, "%%RID=G");
	else
		put(b, "%%RID=%X", u.qip.id);
	bool ck_ok = u.qlen >= u.qip.hlen && pkt_csum(u.q, u.qip.hlen) == 0;
	put(b, "%%RIPCK=%s", u.qip.csum == 0 ? "Z" : ck_ok ? "G" : "I");
	const uint8_t *qu = u.q + u.qip.hlen;
	size_t qul = u.qlen > u.qip.hlen ? u.qlen - u.qip.hlen : 0;
	uint16_t ruck = qul >= 8 ? pkt_get16(qu + 6) : 0;
	if (ruck == o->u1_csum)
		put(b, "%%RUCK=G");
	else
		put(b, "%%RUCK=%X", ruck);
	bool rud = true;
	for (size_t i = 8; i < qul; i++)
		rud &= qu[i] == 'C';
	put(b, "%%RUD=%c)", rud ? 'G' : 'I');
}

static bool icmp_reply(const struct os_obs *o, int p, struct pkt_ip4 *ip, struct pkt_icmp *m)
{
	if (!o->got[p] || pkt_ip4_parse(o->reply[p], o->rlen[p], ip, true) < 0 ||
	    ip->proto != IPPROTO_ICMP)
		return false;
	memset(m, 0, sizeof(*m));
	return pkt_icmp_parse(o->reply[p] + ip->hlen, o->rlen[p] - ip->hlen, m) >= 0;
}

static void ie_line(const struct os_obs *o, const struct os_fp *fp, struct sbuf *b)
{
	struct pkt_ip4 ip1, ip2;
	struct pkt_icmp m1, m2;
	if (!icmp_reply(o, OSP_IE1, &ip1, &m1) || !icmp_reply(o, OSP_IE2, &ip2, &m2)) {
		put(b, "IE(R=N)");
		return;
	}
	bool d1 = ip1.frag & PKT_IP4_DF, d2 = ip2.frag & PKT_IP4_DF;
	put(b, "IE(R=Y%%DFI=%c", !d1 && !d2 ? 'N' : d1 && !d2 ? 'S' : d1 && d2 ? 'Y' : 'O');
	put_ttl(b, fp, ip1.ttl);
	if (m1.code == 0 && m2.code == 0)
		put(b, "%%CD=Z)");
	else if (m1.code == 9 && m2.code == 0)
		put(b, "%%CD=S)");
	else if (m1.code == m2.code)
		put(b, "%%CD=%X)", m1.code);
	else
		put(b, "%%CD=O)");
}

/* Hops to the target: from the TTL left in the probe U1's reply quotes. */
static void distance(const struct os_obs *o, struct os_fp *fp)
{
	struct u1r u;
	fp->distance = 0;
	fp->dc = 0;
	if (o->local) {
		fp->distance = 0;
		fp->dc = 'L';
	} else if (o->direct) {
		fp->distance = 1;
		fp->dc = 'D';
	} else if (u1_reply(o, &u) && o->pp.ttl >= u.qip.ttl) {
		fp->distance = o->pp.ttl - u.qip.ttl + 1;
		fp->dc = 'I';
	}
}

int os_compute(const struct os_obs *o, struct os_fp *fp)
{
	memset(fp, 0, sizeof(*fp));
	fp->sp_index = -1;
	fp->uptime = -1;
	distance(o, fp);
	struct sbuf b = {fp->tests, sizeof(fp->tests), 0};
	seq_line(o, fp, &b);
	ops_win(o, &b);
	/* as nmap: tests whose probes had no port to go to are left out
	 * (ECN, T1-T4 without an open port, T5-T7 without a closed one) */
	bool open = o->pp.open_port != 0, closed = o->pp.closed_port != 0;
	if (open)
		ecn_line(o, fp, &b);
	static const char *const tn[] = {"T2", "T3", "T4", "T5", "T6", "T7"};
	if (open)
		t_line(o, fp, OSP_SEQ1, "T1", &b);
	for (int p = OSP_T2; p <= OSP_T7; p++)
		if (p >= OSP_T5 ? closed : open)
			t_line(o, fp, p, tn[p - OSP_T2], &b);
	u1_line(o, fp, &b);
	ie_line(o, fp, &b);
	return 0;
}
