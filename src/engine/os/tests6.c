/* SPDX-License-Identifier: Apache-2.0 */
/* netkit's IPv6 tests: what the replies to nmap's IPv6 probes show, in
 * the syntax of the IPv4 tests so that the same matcher scores them
 * against netkit's own IPv6 observations (data/os/os-db6). nmap 7.93
 * matches IPv6 with a classifier whose features it does not print; these
 * are netkit's, named after the IPv4 tests where they mean the same:
 *   TCP probes (S1-S6, TECN, T2-T7): R F W O T|TG FL, and S A for the
 *     ones that are not SYNs to the open port (S1-S6 get new ISNs);
 *   IE1, IE2: R TY (reply type) CD (code: Z, S as sent, else hex) T|TG FL,
 *     and for errors PT (pointer) QL (the reply's payload length);
 *   NS: R FG (the advertisement's flag byte) TL (target link-layer option);
 *   U1: R TY CD T|TG FL IPL (payload length) RIPL RUCK RUD (the quoted
 *     probe's payload length, UDP checksum, data: G when as sent).
 * FL is Z when a reply's flow label is 0, else N; a probe sent and not
 * answered is R=N. */
#include "engine/os/os6.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct sb {
	char *s;
	size_t cap, len;
};

static void put(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct sb *b, const char *fmt, ...)
{
	if (b->len + 1 >= b->cap)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->len = b->len + (size_t)n < b->cap ? b->len + (size_t)n : b->cap - 1;
}

static void put_hl(struct sb *b, const struct os_fp *fp, uint8_t hl)
{
	if (fp->distance > 0)
		put(b, "%%T=%X", hl + fp->distance - 1);
	else
		put(b, "%%TG=%X", hl <= 32 ? 32 : hl <= 64 ? 64 : hl <= 128 ? 128 : 255);
}

static void put_common(struct sb *b, const struct os_fp *fp, const uint8_t *r)
{
	put_hl(b, fp, r[7]);
	put(b, "%%FL=%c", (pkt_get32(r) & 0xfffff) ? 'N' : 'Z');
}

/* the upper-layer header of a reply, past extension headers */
static const uint8_t *upper(const uint8_t *r, size_t len, uint8_t *next, size_t *l4len)
{
	if (len < PKT_IP6_HLEN)
		return NULL;
	*next = r[6];
	int off = pkt_ip6_skip_ext(r + PKT_IP6_HLEN, len - PKT_IP6_HLEN, next);
	if (off < 0)
		return NULL;
	*l4len = len - PKT_IP6_HLEN - (size_t)off;
	return r + PKT_IP6_HLEN + off;
}

static void put_flags(struct sb *b, uint8_t f)
{
	static const char letters[] = "EUAPRSF";
	static const uint8_t bits[] = {PKT_TCP_ECE, PKT_TCP_URG, PKT_TCP_ACK, PKT_TCP_PSH,
				       PKT_TCP_RST, PKT_TCP_SYN, PKT_TCP_FIN};
	put(b, "%%F=");
	for (size_t i = 0; i < sizeof(bits); i++)
		if (f & bits[i])
			put(b, "%c", letters[i]);
}

static void tcp_test(struct sb *b, const struct os6_obs *o, const struct os_fp *fp, int p)
{
	if (p < 0 || p >= OS6_N) /* a probe index: the callers pass TCP probes only */
		return;
	uint8_t next;
	size_t n;
	const uint8_t *t = upper(o->reply[p], o->rlen[p], &next, &n);
	struct pkt_tcp tcp;
	if (!t || next != IPPROTO_TCP || pkt_tcp_parse(t, n, &tcp) < 0) {
		put(b, "R=N");
		return;
	}
	char ops[64];
	os_tcp_opts_str(tcp.opt, tcp.optlen, ops, sizeof(ops));
	put(b, "R=Y");
	put_flags(b, tcp.flags);
	put(b, "%%W=%X%%O=%s", tcp.window, ops);
	if (p > OS6_S6 && !(p == OS6_TECN)) {
		uint32_t seq = o->pp.seq + (uint32_t)os6_tcp_index(p), ack = o->pp.ack[p];
		put(b, "%%S=%s",
		    tcp.seq == 0	 ? "Z"
		    : tcp.seq == ack	 ? "A"
		    : tcp.seq == ack + 1 ? "A+"
					 : "O");
		put(b, "%%A=%s",
		    tcp.ack == 0	 ? "Z"
		    : tcp.ack == seq	 ? "S"
		    : tcp.ack == seq + 1 ? "S+"
					 : "O");
	}
	put_common(b, fp, o->reply[p]);
}

static void icmp_test(struct sb *b, const struct os6_obs *o, const struct os_fp *fp, int p)
{
	uint8_t next;
	size_t n;
	const uint8_t *m = upper(o->reply[p], o->rlen[p], &next, &n);
	if (!m || next != IPPROTO_ICMPV6 || n < 8) {
		put(b, "R=N");
		return;
	}
	put(b, "R=Y%%TY=%X", m[0]);
	if (p == OS6_NS) {
		put(b, "%%FG=%X%%TL=%c", m[4], n >= 32 && m[24] == 2 ? 'Y' : 'N');
		put_common(b, fp, o->reply[p]);
		return;
	}
	uint8_t sent_code = p == OS6_IE1 ? 9 : 0;
	if (m[1] == sent_code && m[0] >= 128)
		put(b, "%%CD=S");
	else
		put(b, "%%CD=%X", m[1]);
	put_common(b, fp, o->reply[p]);
	if (m[0] >= 128)
		return;
	size_t plen = pkt_get16(o->reply[p] + 4);
	if (m[0] == 4)
		put(b, "%%PT=%X", pkt_get32(m + 4));
	if (p != OS6_U1) {
		put(b, "%%QL=%zX", plen);
		return;
	}
	put(b, "%%IPL=%zX", plen);
	/* the quoted U1: its payload length, UDP checksum and data as sent? */
	uint8_t probe[400];
	int pl = os6_probe_build(OS6_U1, &o->pp, probe, sizeof(probe));
	const uint8_t *q = m + 8;
	size_t ql = n - 8;
	if (pl < 48 || ql < 48) {
		put(b, "%%RIPL=%zX", ql >= 6 ? (size_t)pkt_get16(q + 4) : 0);
		return;
	}
	uint16_t qp = pkt_get16(q + 4);
	put(b, qp == pkt_get16(probe + 4) ? "%%RIPL=G" : "%%RIPL=%X", qp);
	put(b, pkt_get16(q + 46) == pkt_get16(probe + 46) ? "%%RUCK=G" : "%%RUCK=%X",
	    pkt_get16(q + 46));
	size_t k = ql < (size_t)pl ? ql : (size_t)pl;
	put(b, "%%RUD=%c", memcmp(q + 48, probe + 48, k - 48) ? 'I' : 'G');
}

size_t os6_features(const struct os6_obs *o, const struct os_fp *fp, char *buf, size_t cap)
{
	struct sb b = {buf, cap, 0};
	if (!cap)
		return 0;
	buf[0] = '\0';
	for (int p = 0; p < OS6_N; p++) {
		if (o->sent[p] <= 0 && !o->got[p])
			continue;
		put(&b, "%s(", os6_probe_name(p));
		if (!o->got[p])
			put(&b, "R=N");
		else if (os6_tcp_index(p) >= 0)
			tcp_test(&b, o, fp, p);
		else
			icmp_test(&b, o, fp, p);
		put(&b, ")");
	}
	return b.len;
}
