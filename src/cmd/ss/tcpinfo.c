/* SPDX-License-Identifier: Apache-2.0 */
/* TCP internals, memory and timers (see tcpinfo.h). */
#include "cmd/ss/tcpinfo.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/inet_diag.h>
#include <linux/mptcp.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <linux/tls.h>

const char *ss_ms_timer(unsigned timeout, char *buf, size_t len)
{
	int secs = (int)(timeout / 1000), minutes = secs / 60, msecs = (int)(timeout % 1000);
	secs %= 60;
	size_t n = 0;
	buf[0] = '\0';
	if (minutes) {
		msecs = 0;
		n += (size_t)snprintf(buf, len, "%dmin", minutes);
		if (minutes > 9)
			secs = 0;
	}
	if (secs) {
		if (secs > 9)
			msecs = 0;
		n += (size_t)snprintf(buf + n, len - n, "%d%s", secs, msecs ? "." : "sec");
	}
	if (msecs && n < len)
		snprintf(buf + n, len - n, "%03dms", msecs);
	return buf;
}

const char *ss_bw(const struct ss_ctx *c, double bw, char *buf, size_t len)
{
	if (c->numeric)
		snprintf(buf, len, "%.0f", bw);
	else if (bw >= 1e12)
		snprintf(buf, len, "%.3gT", bw / 1e12);
	else if (bw >= 1e9)
		snprintf(buf, len, "%.3gG", bw / 1e9);
	else if (bw >= 1e6)
		snprintf(buf, len, "%.3gM", bw / 1e6);
	else if (bw >= 1e3)
		snprintf(buf, len, "%.3gk", bw / 1e3);
	else
		snprintf(buf, len, "%g", bw);
	return buf;
}

static void mem_print(struct ss_ctx *c, const struct nlattr **tb)
{
	const struct nlattr *a = tb[INET_DIAG_SKMEMINFO];
	if (a) {
		ss_print_skmem(c, mnl_attr_get_payload(a), mnl_attr_get_payload_len(a) / 4);
		return;
	}
	if (!tb[INET_DIAG_MEMINFO])
		return;
	struct inet_diag_meminfo m;
	memcpy(&m, mnl_attr_get_payload(tb[INET_DIAG_MEMINFO]), sizeof(m));
	sv_text(c, " mem:(");
	sv_obj_open(c, "mem");
	sv_u64(c, "rmem", "r%" PRIu64, m.idiag_rmem);
	sv_u64(c, "wmem", ",w%" PRIu64, m.idiag_wmem);
	sv_u64(c, "fmem", ",f%" PRIu64, m.idiag_fmem);
	sv_u64(c, "tmem", ",t%" PRIu64, m.idiag_tmem);
	sv_obj_close(c);
	sv_text(c, ")");
}

#define HAS(info, opt) (!!((info)->tcpi_options & (opt)))

static void opts_print(struct ss_ctx *c, const struct tcp_info *i, const struct nlattr **tb)
{
	if (c->show_options) {
		sv_bool(c, "ts", " ts", HAS(i, TCPI_OPT_TIMESTAMPS));
		sv_bool(c, "sack", " sack", HAS(i, TCPI_OPT_SACK));
		sv_bool(c, "ecn", " ecn", HAS(i, TCPI_OPT_ECN));
		sv_bool(c, "ecnseen", " ecnseen", HAS(i, TCPI_OPT_ECN_SEEN));
		sv_bool(c, "fastopen", " fastopen", HAS(i, TCPI_OPT_SYN_DATA));
	}
	if (tb[INET_DIAG_CONG]) {
		char cong[16];
		snprintf(cong, sizeof(cong), "%s", mnl_attr_get_str(tb[INET_DIAG_CONG]));
		if (cong[0])
			sv_str(c, "cong_alg", " %s", cong);
	}
	if (HAS(i, TCPI_OPT_WSCALE)) {
		sv_text(c, " wscale:%d,%d", i->tcpi_snd_wscale, i->tcpi_rcv_wscale);
		sv_int(c, "snd_wscale", NULL, i->tcpi_snd_wscale);
		sv_int(c, "rcv_wscale", NULL, i->tcpi_rcv_wscale);
	}
}

static void rtt_print(struct ss_ctx *c, const struct tcp_info *i)
{
	if (i->tcpi_rto && i->tcpi_rto != 3000000)
		sv_dbl(c, "rto", " rto:%g", (double)i->tcpi_rto / 1000);
	if (i->tcpi_backoff)
		sv_u64(c, "backoff", " backoff:%" PRIu64, i->tcpi_backoff);
	if (i->tcpi_rtt) {
		sv_text(c, " rtt:%g/%g", (double)i->tcpi_rtt / 1000, (double)i->tcpi_rttvar / 1000);
		sv_dbl(c, "rtt", NULL, (double)i->tcpi_rtt / 1000);
		sv_dbl(c, "rttvar", NULL, (double)i->tcpi_rttvar / 1000);
	}
	if (i->tcpi_ato)
		sv_dbl(c, "ato", " ato:%g", (double)i->tcpi_ato / 1000);
	if (i->tcpi_snd_mss)
		sv_int(c, "mss", " mss:%d", (int)i->tcpi_snd_mss);
	if (i->tcpi_pmtu)
		sv_u64(c, "pmtu", " pmtu:%" PRIu64, i->tcpi_pmtu);
	if (i->tcpi_rcv_mss)
		sv_int(c, "rcvmss", " rcvmss:%d", (int)i->tcpi_rcv_mss);
	if (i->tcpi_advmss)
		sv_int(c, "advmss", " advmss:%d", (int)i->tcpi_advmss);
	if (i->tcpi_snd_cwnd)
		sv_u64(c, "cwnd", " cwnd:%" PRIu64, i->tcpi_snd_cwnd);
	if (i->tcpi_snd_ssthresh < 0xFFFF && i->tcpi_snd_ssthresh)
		sv_int(c, "ssthresh", " ssthresh:%d", (int)i->tcpi_snd_ssthresh);
}

static void bytes_print(struct ss_ctx *c, const struct tcp_info *i)
{
	if (i->tcpi_bytes_sent)
		sv_u64(c, "bytes_sent", " bytes_sent:%" PRIu64, i->tcpi_bytes_sent);
	if (i->tcpi_bytes_retrans)
		sv_u64(c, "bytes_retrans", " bytes_retrans:%" PRIu64, i->tcpi_bytes_retrans);
	if (i->tcpi_bytes_acked)
		sv_u64(c, "bytes_acked", " bytes_acked:%" PRIu64, i->tcpi_bytes_acked);
	if (i->tcpi_bytes_received)
		sv_u64(c, "bytes_received", " bytes_received:%" PRIu64, i->tcpi_bytes_received);
	if (i->tcpi_segs_out)
		sv_u64(c, "segs_out", " segs_out:%" PRIu64, i->tcpi_segs_out);
	if (i->tcpi_segs_in)
		sv_u64(c, "segs_in", " segs_in:%" PRIu64, i->tcpi_segs_in);
	if (i->tcpi_data_segs_out)
		sv_u64(c, "data_segs_out", " data_segs_out:%" PRIu64, i->tcpi_data_segs_out);
	if (i->tcpi_data_segs_in)
		sv_u64(c, "data_segs_in", " data_segs_in:%" PRIu64, i->tcpi_data_segs_in);
}

static void cc_print(struct ss_ctx *c, const struct tcp_info *i, const struct nlattr **tb)
{
	char b1[64], b2[64];
	if (tb[INET_DIAG_DCTCPINFO] &&
	    mnl_attr_get_payload_len(tb[INET_DIAG_DCTCPINFO]) >= sizeof(struct tcp_dctcp_info)) {
		struct tcp_dctcp_info d;
		memcpy(&d, mnl_attr_get_payload(tb[INET_DIAG_DCTCPINFO]), sizeof(d));
		if (d.dctcp_enabled)
			sv_text(c, " dctcp:(ce_state:%u,alpha:%u,ab_ecn:%u,ab_tot:%u)",
				d.dctcp_ce_state, d.dctcp_alpha, d.dctcp_ab_ecn, d.dctcp_ab_tot);
		else
			sv_text(c, " dctcp:fallback_mode");
		/* -j: the same as an object (keys as the text names them) */
		sv_obj_open(c, "dctcp");
		if (d.dctcp_enabled) {
			sv_u64(c, "ce_state", NULL, d.dctcp_ce_state);
			sv_u64(c, "alpha", NULL, d.dctcp_alpha);
			sv_u64(c, "ab_ecn", NULL, d.dctcp_ab_ecn);
			sv_u64(c, "ab_tot", NULL, d.dctcp_ab_tot);
		} else {
			sv_bool(c, "fallback_mode", NULL, true);
		}
		sv_obj_close(c);
	}
	if (tb[INET_DIAG_BBRINFO]) {
		struct tcp_bbr_info b = {0};
		size_t n = mnl_attr_get_payload_len(tb[INET_DIAG_BBRINFO]);
		memcpy(&b, mnl_attr_get_payload(tb[INET_DIAG_BBRINFO]),
		       n < sizeof(b) ? n : sizeof(b));
		uint64_t bw = ((uint64_t)b.bbr_bw_hi << 32) | b.bbr_bw_lo;
		sv_text(c, " bbr:(bw:%sbps,mrtt:%g", ss_bw(c, (double)bw * 8.0, b1, sizeof(b1)),
			(double)b.bbr_min_rtt / 1000.0);
		if (b.bbr_pacing_gain)
			sv_text(c, ",pacing_gain:%g", (double)b.bbr_pacing_gain / 256.0);
		if (b.bbr_cwnd_gain)
			sv_text(c, ",cwnd_gain:%g", (double)b.bbr_cwnd_gain / 256.0);
		sv_text(c, ")");
		/* -j: bw in bits/s, mrtt in ms, as the text's values */
		sv_obj_open(c, "bbr");
		sv_dbl(c, "bw", NULL, (double)bw * 8.0);
		sv_dbl(c, "mrtt", NULL, (double)b.bbr_min_rtt / 1000.0);
		if (b.bbr_pacing_gain)
			sv_dbl(c, "pacing_gain", NULL, (double)b.bbr_pacing_gain / 256.0);
		if (b.bbr_cwnd_gain)
			sv_dbl(c, "cwnd_gain", NULL, (double)b.bbr_cwnd_gain / 256.0);
		sv_obj_close(c);
	}
	double rtt = i->tcpi_rtt;
	if (tb[INET_DIAG_VEGASINFO] &&
	    mnl_attr_get_payload_len(tb[INET_DIAG_VEGASINFO]) >= sizeof(struct tcpvegas_info)) {
		struct tcpvegas_info v;
		memcpy(&v, mnl_attr_get_payload(tb[INET_DIAG_VEGASINFO]), sizeof(v));
		if (v.tcpv_enabled && v.tcpv_rtt && v.tcpv_rtt != 0x7fffffff)
			rtt = v.tcpv_rtt;
	}
	if (rtt > 0 && i->tcpi_snd_mss && i->tcpi_snd_cwnd) {
		double bps = (double)i->tcpi_snd_cwnd * (double)i->tcpi_snd_mss * 8000000. / rtt;
		sv_text(c, " send %sbps", ss_bw(c, bps, b1, sizeof(b1)));
		sv_dbl(c, "send_bps", NULL, bps);
	}
	if (i->tcpi_last_data_sent)
		sv_u64(c, "lastsnd", " lastsnd:%" PRIu64, i->tcpi_last_data_sent);
	if (i->tcpi_last_data_recv)
		sv_u64(c, "lastrcv", " lastrcv:%" PRIu64, i->tcpi_last_data_recv);
	if (i->tcpi_last_ack_recv)
		sv_u64(c, "lastack", " lastack:%" PRIu64, i->tcpi_last_ack_recv);
	if (i->tcpi_pacing_rate && i->tcpi_pacing_rate != ~0ULL) {
		double pr = (double)i->tcpi_pacing_rate * 8.;
		sv_text(c, " pacing_rate %sbps", ss_bw(c, pr, b1, sizeof(b1)));
		sv_dbl(c, "pacing_rate", NULL, pr);
		if (i->tcpi_max_pacing_rate && i->tcpi_max_pacing_rate != ~0ULL)
			sv_text(c, "/%sbps",
				ss_bw(c, (double)i->tcpi_max_pacing_rate * 8., b2, sizeof(b2)));
	}
	if (i->tcpi_delivery_rate) {
		double dr = (double)i->tcpi_delivery_rate * 8.;
		sv_text(c, " delivery_rate %sbps", ss_bw(c, dr, b1, sizeof(b1)));
		sv_dbl(c, "delivery_rate", NULL, dr);
	}
	if (i->tcpi_delivered)
		sv_u64(c, "delivered", " delivered:%" PRIu64, i->tcpi_delivered);
	if (i->tcpi_delivered_ce)
		sv_u64(c, "delivered_ce", " delivered_ce:%" PRIu64, i->tcpi_delivered_ce);
	sv_bool(c, "app_limited", " app_limited", i->tcpi_delivery_rate_app_limited);
}

static void limits_print(struct ss_ctx *c, const struct tcp_info *i, int state)
{
	if (i->tcpi_busy_time) {
		sv_u64(c, "busy_ms", " busy:%" PRIu64 "ms", i->tcpi_busy_time / 1000);
		if (i->tcpi_rwnd_limited)
			sv_text(c, " rwnd_limited:%llums(%.1f%%)",
				(unsigned long long)i->tcpi_rwnd_limited / 1000,
				100.0 * (double)i->tcpi_rwnd_limited / (double)i->tcpi_busy_time);
		if (i->tcpi_sndbuf_limited)
			sv_text(c, " sndbuf_limited:%llums(%.1f%%)",
				(unsigned long long)i->tcpi_sndbuf_limited / 1000,
				100.0 * (double)i->tcpi_sndbuf_limited / (double)i->tcpi_busy_time);
	}
	if (i->tcpi_unacked)
		sv_u64(c, "unacked", " unacked:%" PRIu64, i->tcpi_unacked);
	if (i->tcpi_retrans || i->tcpi_total_retrans) {
		sv_text(c, " retrans:%u/%u", i->tcpi_retrans, i->tcpi_total_retrans);
		sv_u64(c, "retrans", NULL, i->tcpi_retrans);
		sv_u64(c, "retrans_total", NULL, i->tcpi_total_retrans);
	}
	if (i->tcpi_lost)
		sv_u64(c, "lost", " lost:%" PRIu64, i->tcpi_lost);
	if (i->tcpi_sacked && state != SS_LISTEN)
		sv_u64(c, "sacked", " sacked:%" PRIu64, i->tcpi_sacked);
	if (i->tcpi_dsack_dups)
		sv_u64(c, "dsack_dups", " dsack_dups:%" PRIu64, i->tcpi_dsack_dups);
	if (i->tcpi_fackets)
		sv_u64(c, "fackets", " fackets:%" PRIu64, i->tcpi_fackets);
	if (i->tcpi_reordering != 3)
		sv_int(c, "reordering", " reordering:%d", (int)i->tcpi_reordering);
	if (i->tcpi_reord_seen)
		sv_int(c, "reord_seen", " reord_seen:%d", (int)i->tcpi_reord_seen);
	if (i->tcpi_rcv_rtt)
		sv_dbl(c, "rcv_rtt", " rcv_rtt:%g", (double)i->tcpi_rcv_rtt / 1000);
	if (i->tcpi_rcv_space)
		sv_int(c, "rcv_space", " rcv_space:%d", (int)i->tcpi_rcv_space);
	if (i->tcpi_rcv_ssthresh)
		sv_u64(c, "rcv_ssthresh", " rcv_ssthresh:%" PRIu64, i->tcpi_rcv_ssthresh);
	if (i->tcpi_notsent_bytes)
		sv_u64(c, "notsent", " notsent:%" PRIu64, i->tcpi_notsent_bytes);
	if (i->tcpi_min_rtt && i->tcpi_min_rtt != ~0U)
		sv_dbl(c, "minrtt", " minrtt:%g", (double)i->tcpi_min_rtt / 1000);
	if (i->tcpi_rcv_ooopack)
		sv_u64(c, "rcv_ooopack", " rcv_ooopack:%" PRIu64, i->tcpi_rcv_ooopack);
	if (i->tcpi_snd_wnd)
		sv_u64(c, "snd_wnd", " snd_wnd:%" PRIu64, i->tcpi_snd_wnd);
}

static void mptcp_print(struct ss_ctx *c, const struct nlattr *a)
{
	struct mptcp_info m = {0};
	size_t n = mnl_attr_get_payload_len(a);
	memcpy(&m, mnl_attr_get_payload(a), n < sizeof(m) ? n : sizeof(m));
	if (m.mptcpi_subflows)
		sv_int(c, "subflows", " subflows:%d", m.mptcpi_subflows);
	if (m.mptcpi_add_addr_signal)
		sv_int(c, "add_addr_signal", " add_addr_signal:%d", m.mptcpi_add_addr_signal);
	if (m.mptcpi_add_addr_accepted)
		sv_int(c, "add_addr_accepted", " add_addr_accepted:%d", m.mptcpi_add_addr_accepted);
	if (m.mptcpi_subflows_max)
		sv_int(c, "subflows_max", " subflows_max:%d", m.mptcpi_subflows_max);
	if (m.mptcpi_add_addr_signal_max)
		sv_int(c, "add_addr_signal_max", " add_addr_signal_max:%d",
		       m.mptcpi_add_addr_signal_max);
	if (m.mptcpi_add_addr_accepted_max)
		sv_int(c, "add_addr_accepted_max", " add_addr_accepted_max:%d",
		       m.mptcpi_add_addr_accepted_max);
	sv_bool(c, "fallback", " fallback", m.mptcpi_flags & MPTCP_INFO_FLAG_FALLBACK);
	sv_bool(c, "remote_key", " remote_key",
		m.mptcpi_flags & MPTCP_INFO_FLAG_REMOTE_KEY_RECEIVED);
	if (m.mptcpi_token)
		sv_u64(c, "token", " token:%" PRIx64, m.mptcpi_token);
	if (m.mptcpi_write_seq)
		sv_u64(c, "write_seq", " write_seq:%" PRIx64, m.mptcpi_write_seq);
	if (m.mptcpi_snd_una)
		sv_u64(c, "snd_una", " snd_una:%" PRIx64, m.mptcpi_snd_una);
	if (m.mptcpi_rcv_nxt)
		sv_u64(c, "rcv_nxt", " rcv_nxt:%" PRIx64, m.mptcpi_rcv_nxt);
}

static const struct nl_policy sf_pol[MPTCP_SUBFLOW_ATTR_MAX + 1] = {
	[MPTCP_SUBFLOW_ATTR_TOKEN_REM] = {MNL_TYPE_U32, 0},
	[MPTCP_SUBFLOW_ATTR_TOKEN_LOC] = {MNL_TYPE_U32, 0},
	[MPTCP_SUBFLOW_ATTR_MAP_SEQ] = {MNL_TYPE_U64, 0},
	[MPTCP_SUBFLOW_ATTR_MAP_SFSEQ] = {MNL_TYPE_U32, 0},
	[MPTCP_SUBFLOW_ATTR_SSN_OFFSET] = {MNL_TYPE_U32, 0},
	[MPTCP_SUBFLOW_ATTR_MAP_DATALEN] = {MNL_TYPE_U16, 0}, /* iproute2 reads it as u32 */
	[MPTCP_SUBFLOW_ATTR_FLAGS] = {MNL_TYPE_U32, 0},
	[MPTCP_SUBFLOW_ATTR_ID_REM] = {MNL_TYPE_U8, 0},
	[MPTCP_SUBFLOW_ATTR_ID_LOC] = {MNL_TYPE_U8, 0},
};

/* An MPTCP subflow, as the TCP ULP part of -i. */
static void subflow_print(struct ss_ctx *c, const struct nlattr *nest)
{
	const struct nlattr *tb[MPTCP_SUBFLOW_ATTR_MAX + 1];
	nl_parse_nested(nest, sf_pol, MPTCP_SUBFLOW_ATTR_MAX, tb);
	if (tb[MPTCP_SUBFLOW_ATTR_FLAGS]) {
		static const char bits[] = "MmJjBbecv";
		uint32_t f = mnl_attr_get_u32(tb[MPTCP_SUBFLOW_ATTR_FLAGS]);
		char caps[16];
		size_t n = 0;
		for (int i = 0; i < 9; i++)
			if (f & (1u << i))
				caps[n++] = bits[i];
		caps[n] = '\0';
		if (f)
			sv_str(c, "flags", " flags:%s", caps);
	}
	if (tb[MPTCP_SUBFLOW_ATTR_TOKEN_REM] && tb[MPTCP_SUBFLOW_ATTR_TOKEN_LOC] &&
	    tb[MPTCP_SUBFLOW_ATTR_ID_REM] && tb[MPTCP_SUBFLOW_ATTR_ID_LOC]) {
		sv_text(c, " token:%04x(id:%u)/%04x(id:%u)",
			mnl_attr_get_u32(tb[MPTCP_SUBFLOW_ATTR_TOKEN_REM]),
			mnl_attr_get_u8(tb[MPTCP_SUBFLOW_ATTR_ID_REM]),
			mnl_attr_get_u32(tb[MPTCP_SUBFLOW_ATTR_TOKEN_LOC]),
			mnl_attr_get_u8(tb[MPTCP_SUBFLOW_ATTR_ID_LOC]));
		sv_u64(c, "token_rem", NULL, mnl_attr_get_u32(tb[MPTCP_SUBFLOW_ATTR_TOKEN_REM]));
		sv_u64(c, "token_loc", NULL, mnl_attr_get_u32(tb[MPTCP_SUBFLOW_ATTR_TOKEN_LOC]));
	}
	if (tb[MPTCP_SUBFLOW_ATTR_MAP_SEQ])
		sv_u64(c, "seq", " seq:%" PRIx64, mnl_attr_get_u64(tb[MPTCP_SUBFLOW_ATTR_MAP_SEQ]));
	if (tb[MPTCP_SUBFLOW_ATTR_MAP_SFSEQ])
		sv_u64(c, "sfseq", " sfseq:%" PRIx64,
		       mnl_attr_get_u32(tb[MPTCP_SUBFLOW_ATTR_MAP_SFSEQ]));
	if (tb[MPTCP_SUBFLOW_ATTR_SSN_OFFSET])
		sv_u64(c, "ssnoff", " ssnoff:%" PRIx64,
		       mnl_attr_get_u32(tb[MPTCP_SUBFLOW_ATTR_SSN_OFFSET]));
	if (tb[MPTCP_SUBFLOW_ATTR_MAP_DATALEN])
		sv_u64(c, "maplen", " maplen:%" PRIx64,
		       mnl_attr_get_u16(tb[MPTCP_SUBFLOW_ATTR_MAP_DATALEN]));
}

static void tls_conf(struct ss_ctx *c, const char *name, const struct nlattr *a)
{
	static const char *const confs[] = {NULL, "none", "sw", "hw", "hw-record"};
	if (!a || mnl_attr_get_payload_len(a) < 2)
		return;
	unsigned v = mnl_attr_get_u16(a);
	if (v >= 1 && v <= 4)
		sv_text(c, " %s: %s", name, confs[v]);
	else
		sv_text(c, " %s: unknown(%u)", name, v);
	sv_u64(c, name, NULL, v);
}

static void tls_print(struct ss_ctx *c, const struct nlattr *nest)
{
	const struct nlattr *tb[TLS_INFO_MAX + 1];
	nl_parse_nested(nest, NULL, TLS_INFO_MAX, tb);
	const struct nlattr *v = tb[TLS_INFO_VERSION], *ci = tb[TLS_INFO_CIPHER];
	if (v && mnl_attr_get_payload_len(v) >= 2) {
		unsigned ver = mnl_attr_get_u16(v);
		if (ver == TLS_1_2_VERSION)
			sv_text(c, " version: 1.2");
		else if (ver == TLS_1_3_VERSION)
			sv_text(c, " version: 1.3");
		else
			sv_text(c, " version: unknown(%u)", ver);
		sv_u64(c, "version", NULL, ver);
	}
	if (ci && mnl_attr_get_payload_len(ci) >= 2) {
		unsigned x = mnl_attr_get_u16(ci);
		if (x == TLS_CIPHER_AES_GCM_128)
			sv_text(c, " cipher: aes-gcm-128");
		else if (x == TLS_CIPHER_AES_GCM_256)
			sv_text(c, " cipher: aes-gcm-256");
		sv_u64(c, "cipher", NULL, x);
	}
	tls_conf(c, "rxconf", tb[TLS_INFO_RXCONF]);
	tls_conf(c, "txconf", tb[TLS_INFO_TXCONF]);
	/* a flag: zero-copy sendfile with read-only pages (TLS_TX_ZEROCOPY_RO) */
	sv_bool(c, "zc_ro_tx", " zc_ro_tx", tb[TLS_INFO_ZC_RO_TX] != NULL);
}

/* The upper layer protocol on a TCP socket (kTLS, MPTCP subflows). */
static void ulp_print(struct ss_ctx *c, const struct nlattr *nest)
{
	const struct nlattr *tb[INET_ULP_INFO_MAX + 1];
	nl_parse_nested(nest, NULL, INET_ULP_INFO_MAX, tb);
	sv_obj_open(c, "ulp");
	if (tb[INET_ULP_INFO_NAME] &&
	    !mnl_attr_validate(tb[INET_ULP_INFO_NAME], MNL_TYPE_NUL_STRING))
		sv_str(c, "name", " tcp-ulp-%s", mnl_attr_get_str(tb[INET_ULP_INFO_NAME]));
	if (tb[INET_ULP_INFO_TLS])
		tls_print(c, tb[INET_ULP_INFO_TLS]);
	if (tb[INET_ULP_INFO_MPTCP])
		subflow_print(c, tb[INET_ULP_INFO_MPTCP]);
	sv_obj_close(c);
}

size_t ss_escape_key(const uint8_t *key, size_t len, char *out)
{
	char *p = out;
	for (size_t i = 0; i < len; i++) {
		uint8_t b = key[i];
		if (b > ' ' && b < 0x7f && b != '\\' && b != ',') {
			*p++ = (char)b;
		} else {
			*p++ = '\\';
			*p++ = (char)('0' + (b >> 6));
			*p++ = (char)('0' + ((b >> 3) & 7));
			*p++ = (char)('0' + (b & 7));
		}
	}
	*p = '\0';
	return (size_t)(p - out);
}

/* md5keys:ADDR/PREFIX=KEY,... iproute2 6.1 writes each key with printf
 * straight to stdout while its table is still being collected, so in text
 * the keys come out ahead of the lines of their batch and take no room in
 * the column; the same here, for identical output. JSON has them in place. */
static void md5_print(struct ss_ctx *c, const struct nlattr *a)
{
	size_t len = mnl_attr_get_payload_len(a);
	const uint8_t *p = mnl_attr_get_payload(a);
	struct tcp_diag_md5sig sig;
	if (len < sizeof(sig))
		return;
	sv_text(c, " md5keys:");
	sv_arr_open(c, "md5keys");
	for (size_t off = 0; off + sizeof(sig) <= len; off += sizeof(sig)) {
		memcpy(&sig, p + off, sizeof(sig));
		char host[1100], key[4 * TCP_MD5SIG_MAXKEYLEN + 1];
		int family = sig.tcpm_family == AF_INET6 ? AF_INET6 : AF_INET;
		size_t klen =
			ss_escape_key(sig.tcpm_key,
				      sig.tcpm_keylen < TCP_MD5SIG_MAXKEYLEN ? sig.tcpm_keylen
									     : TCP_MD5SIG_MAXKEYLEN,
				      key);
		sv_obj_open(c, NULL);
		if (off)
			sv_text(c, ",");
		sv_str(c, "addr", "%s",
		       ss_format_host(c, family, (const uint8_t *)sig.tcpm_addr, host,
				      sizeof(host)));
		sv_int(c, "prefixlen", "/%d=", sig.tcpm_prefixlen);
		if (ss_json(c))
			emit_str(c->em, "key", NULL, key);
		else
			emit_raw(c->em, key, klen);
		sv_obj_close(c);
	}
	sv_arr_close(c);
}

void ss_tcp_info_print(struct ss_ctx *c, const struct ss_sock *s, const struct nlattr **tb,
		       const struct nlmsghdr *nlh)
{
	(void)nlh;
	mem_print(c, tb);
	const struct nlattr *a = tb[INET_DIAG_INFO];
	if (a && s->type == 262) {
		sv_obj_open(c, "mptcp_info");
		mptcp_print(c, a);
		sv_obj_close(c);
		return;
	}
	if (a) {
		struct tcp_info i;
		memset(&i, 0, sizeof(i));
		size_t n = mnl_attr_get_payload_len(a);
		memcpy(&i, mnl_attr_get_payload(a), n < sizeof(i) ? n : sizeof(i));
		sv_obj_open(c, "tcp_info");
		opts_print(c, &i, tb);
		rtt_print(c, &i);
		bytes_print(c, &i);
		cc_print(c, &i, tb);
		limits_print(c, &i, s->state);
		sv_obj_close(c);
	}
	if (tb[INET_DIAG_MD5SIG])
		md5_print(c, tb[INET_DIAG_MD5SIG]);
	if (tb[INET_DIAG_ULP_INFO])
		ulp_print(c, tb[INET_DIAG_ULP_INFO]);
}
