/* SPDX-License-Identifier: Apache-2.0 */
/* -i's text pieces: MD5 keys escaped as iproute2 escapes them, timers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <string.h>

#include <cmocka.h>

#include <linux/inet_diag.h>
#include <linux/tcp.h>
#include <linux/tls.h>

#include "cmd/ss/table.h"
#include "cmd/ss/tcpinfo.h"
#include "tbl_text.h"

/* Netlink attributes written into a buffer, nests closed by hand. */
struct abuf {
	_Alignas(4) uint8_t b[2048];
	size_t n;
};

static struct nlattr *attr(struct abuf *a, uint16_t type, const void *data, size_t len)
{
	struct nlattr *h = (struct nlattr *)(a->b + a->n);
	h->nla_type = type;
	h->nla_len = (uint16_t)(NLA_HDRLEN + len);
	if (len)
		memcpy(a->b + a->n + NLA_HDRLEN, data, len);
	a->n += NLA_ALIGN(h->nla_len);
	return h;
}

static void nest_end(struct abuf *a, struct nlattr *nest)
{
	nest->nla_len = (uint16_t)(a->b + a->n - (uint8_t *)nest);
}

struct info_arg {
	const struct nlattr **tb;
	bool options;
};

static void fill_info(struct ss_table *t, struct emit *e, const void *arg)
{
	const struct info_arg *a = arg;
	struct ss_ctx c = {.show_info = true, .show_options = a->options, .tbl = t, .em = e};
	struct ss_sock s = {.family = AF_INET, .type = IPPROTO_TCP, .state = SS_ESTABLISHED};
	tbl_set(t, COL_EXT);
	ss_tcp_info_print(&c, &s, a->tb, NULL);
}

/* The -i text of one TCP socket, as the table renders its line. */
static char *info_text_opts(const struct nlattr **tb, bool options)
{
	struct info_arg a = {tb, options};
	return tbl_text(fill_info, &a, true);
}

static char *info_text(const struct nlattr **tb)
{
	return info_text_opts(tb, false);
}

/* Every field of tcp_info set: the whole line in iproute2 6.1's order and
 * formats (%g milliseconds, bandwidth units, percentages). */
static void test_info_all(void **state)
{
	(void)state;
	struct abuf a = {.n = 0};
	struct tcp_info i;
	memset(&i, 0, sizeof(i));
	i.tcpi_options = TCPI_OPT_WSCALE | TCPI_OPT_SACK | TCPI_OPT_TIMESTAMPS;
	i.tcpi_snd_wscale = 7;
	i.tcpi_rcv_wscale = 9;
	i.tcpi_rto = 204000;
	i.tcpi_backoff = 2;
	i.tcpi_rtt = 1500;
	i.tcpi_rttvar = 750;
	i.tcpi_ato = 40000;
	i.tcpi_snd_mss = 1448;
	i.tcpi_pmtu = 1500;
	i.tcpi_rcv_mss = 536;
	i.tcpi_advmss = 1448;
	i.tcpi_snd_cwnd = 10;
	i.tcpi_snd_ssthresh = 20;
	i.tcpi_bytes_sent = 1000;
	i.tcpi_bytes_retrans = 10;
	i.tcpi_bytes_acked = 990;
	i.tcpi_bytes_received = 500;
	i.tcpi_segs_out = 20;
	i.tcpi_segs_in = 15;
	i.tcpi_data_segs_out = 12;
	i.tcpi_data_segs_in = 8;
	i.tcpi_last_data_sent = 100;
	i.tcpi_last_data_recv = 200;
	i.tcpi_last_ack_recv = 300;
	i.tcpi_pacing_rate = 1000000;
	i.tcpi_max_pacing_rate = ~0ULL;
	i.tcpi_delivery_rate = 125000;
	i.tcpi_delivered = 11;
	i.tcpi_delivered_ce = 1;
	i.tcpi_delivery_rate_app_limited = 1;
	i.tcpi_busy_time = 5000000;
	i.tcpi_rwnd_limited = 1000000;
	i.tcpi_sndbuf_limited = 500000;
	i.tcpi_unacked = 3;
	i.tcpi_retrans = 1;
	i.tcpi_total_retrans = 4;
	i.tcpi_lost = 1;
	i.tcpi_sacked = 2;
	i.tcpi_dsack_dups = 1;
	i.tcpi_reordering = 5;
	i.tcpi_reord_seen = 2;
	i.tcpi_rcv_rtt = 2000;
	i.tcpi_rcv_space = 14480;
	i.tcpi_rcv_ssthresh = 64000;
	i.tcpi_notsent_bytes = 100;
	i.tcpi_min_rtt = 900;
	i.tcpi_rcv_ooopack = 7;
	i.tcpi_snd_wnd = 65535;
	const struct nlattr *tb[INET_DIAG_MAX + 1] = {0};
	tb[INET_DIAG_INFO] = attr(&a, INET_DIAG_INFO, &i, sizeof(i));
	tb[INET_DIAG_CONG] = attr(&a, INET_DIAG_CONG, "cubic", 6);
	const char *want =
		" cubic wscale:7,9 rto:204 backoff:2 rtt:1.5/0.75 ato:40 mss:1448 pmtu:1500"
		" rcvmss:536 advmss:1448 cwnd:10 ssthresh:20 bytes_sent:1000 bytes_retrans:10"
		" bytes_acked:990 bytes_received:500 segs_out:20 segs_in:15 data_segs_out:12"
		" data_segs_in:8 send 77.2Mbps lastsnd:100 lastrcv:200 lastack:300"
		" pacing_rate 8Mbps delivery_rate 1Mbps delivered:11 delivered_ce:1 app_limited"
		" busy:5000ms rwnd_limited:1000ms(20.0%) sndbuf_limited:500ms(10.0%) unacked:3"
		" retrans:1/4 lost:1 sacked:2 dsack_dups:1 reordering:5 reord_seen:2 rcv_rtt:2"
		" rcv_space:14480 rcv_ssthresh:64000 notsent:100 minrtt:0.9 rcv_ooopack:7"
		" snd_wnd:65535\n";
	char *out = info_text(tb);
	const char *at = strstr(out, " cubic");
	assert_non_null(at);
	assert_string_equal(at, want);
	free(out);
	out = info_text_opts(tb, true);
	assert_non_null(strstr(out, " ts sack cubic wscale:7,9 rto:204"));
	free(out);
	/* the defaults print nothing: rto 3 s, reordering 3, ssthresh "infinite" */
	memset(&i, 0, sizeof(i));
	i.tcpi_rto = 3000000;
	i.tcpi_reordering = 3;
	i.tcpi_snd_ssthresh = 0x7fffffff;
	i.tcpi_min_rtt = ~0U;
	a.n = 0;
	tb[INET_DIAG_INFO] = attr(&a, INET_DIAG_INFO, &i, sizeof(i));
	tb[INET_DIAG_CONG] = attr(&a, INET_DIAG_CONG, "reno", 5);
	out = info_text(tb);
	at = strstr(out, " reno");
	assert_non_null(at);
	assert_string_equal(at, " reno\n");
	free(out);
}

static void test_info_tail(void **state)
{
	(void)state;
	struct abuf a = {.n = 0};
	struct tcp_info i;
	memset(&i, 0, sizeof(i));
	i.tcpi_reordering = 3;
	i.tcpi_snd_cwnd = 10;
	i.tcpi_rcv_ooopack = 7;
	i.tcpi_snd_wnd = 65535;
	const struct nlattr *tb[INET_DIAG_MAX + 1] = {0};
	tb[INET_DIAG_INFO] = attr(&a, INET_DIAG_INFO, &i, sizeof(i));
	char *out = info_text(tb);
	/* iproute2 6.1's last two counters, in its order */
	assert_non_null(strstr(out, " cwnd:10 rcv_ooopack:7 snd_wnd:65535"));
	free(out);
}

static void test_info_ktls(void **state)
{
	(void)state;
	struct abuf a = {.n = 0};
	struct nlattr *ulp = attr(&a, INET_DIAG_ULP_INFO, NULL, 0);
	attr(&a, INET_ULP_INFO_NAME, "tls", 4);
	struct nlattr *tls = attr(&a, INET_ULP_INFO_TLS, NULL, 0);
	uint16_t ver = TLS_1_3_VERSION, ci = TLS_CIPHER_AES_GCM_128, rx = TLS_CONF_BASE,
		 tx = TLS_CONF_SW;
	attr(&a, TLS_INFO_VERSION, &ver, 2);
	attr(&a, TLS_INFO_CIPHER, &ci, 2);
	attr(&a, TLS_INFO_RXCONF, &rx, 2);
	attr(&a, TLS_INFO_TXCONF, &tx, 2);
	attr(&a, TLS_INFO_ZC_RO_TX, NULL, 0);
	nest_end(&a, tls);
	nest_end(&a, ulp);
	const struct nlattr *tb[INET_DIAG_MAX + 1] = {0};
	tb[INET_DIAG_ULP_INFO] = ulp;
	char *out = info_text(tb);
	assert_non_null(
		strstr(out, " tcp-ulp-tls version: 1.3 cipher: aes-gcm-128 rxconf: none txconf: sw"
			    " zc_ro_tx"));
	free(out);
	/* without the flag, no zc_ro_tx */
	a.n = 0;
	ulp = attr(&a, INET_DIAG_ULP_INFO, NULL, 0);
	attr(&a, INET_ULP_INFO_NAME, "tls", 4);
	tls = attr(&a, INET_ULP_INFO_TLS, NULL, 0);
	attr(&a, TLS_INFO_VERSION, &ver, 2);
	nest_end(&a, tls);
	nest_end(&a, ulp);
	tb[INET_DIAG_ULP_INFO] = ulp;
	out = info_text(tb);
	assert_non_null(strstr(out, " tcp-ulp-tls version: 1.3"));
	assert_null(strstr(out, "zc_ro_tx"));
	free(out);
}

static void test_escape_key(void **state)
{
	(void)state;
	char out[4 * 80 + 1];
	const uint8_t plain[] = "secret";
	assert_int_equal(ss_escape_key(plain, 6, out), 6);
	assert_string_equal(out, "secret");
	/* blank, comma and backslash separate keys in the text: escaped */
	const uint8_t odd[] = {'a', ' ', 'b', ',', 'c', '\\', 'd', 1, 0x7f, 0xff, 0, '~', '!'};
	ss_escape_key(odd, sizeof(odd), out);
	assert_string_equal(out, "a\\040b\\054c\\134d\\001\\177\\377\\000~!");
	assert_int_equal(ss_escape_key(odd, 0, out), 0);
	assert_string_equal(out, "");
	uint8_t all[80];
	memset(all, 0x80, sizeof(all));
	assert_int_equal(ss_escape_key(all, sizeof(all), out), 320);
}

static void test_ms_timer(void **state)
{
	(void)state;
	char buf[64];
	assert_string_equal(ss_ms_timer(250, buf, sizeof(buf)), "250ms");
	assert_string_equal(ss_ms_timer(1250, buf, sizeof(buf)), "1.250ms");
	assert_string_equal(ss_ms_timer(12000, buf, sizeof(buf)), "12sec");
	assert_string_equal(ss_ms_timer(61000, buf, sizeof(buf)), "1min1sec");
	assert_string_equal(ss_ms_timer(650000, buf, sizeof(buf)), "10min");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_key), cmocka_unit_test(test_ms_timer),
		cmocka_unit_test(test_info_all),   cmocka_unit_test(test_info_tail),
		cmocka_unit_test(test_info_ktls),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
