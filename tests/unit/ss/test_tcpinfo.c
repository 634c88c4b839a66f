/* -i's text pieces: MD5 keys escaped as iproute2 escapes them, timers. */
#include <setjmp.h>
#include <stdarg.h>
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

/* The -i text of one TCP socket, as the table renders its line. */
static char *info_text(const struct nlattr **tb)
{
	FILE *f = tmpfile();
	assert_non_null(f);
	struct emit *e = malloc(sizeof(*e));
	emit_init(e, fileno(f), EMIT_TEXT, 0);
	struct ss_table t;
	tbl_init(&t, e, -1);
	struct ss_ctx c = {.show_info = true, .tbl = &t, .em = e};
	struct ss_sock s = {.family = AF_INET, .type = IPPROTO_TCP, .state = SS_ESTABLISHED};
	tbl_set(&t, COL_EXT);
	ss_tcp_info_print(&c, &s, tb, NULL);
	tbl_render(&t);
	emit_finish(e);
	tbl_free(&t);
	free(e);
	long n = ftell(f);
	char *out = calloc(1, (size_t)n + 1);
	rewind(f);
	assert_int_equal(fread(out, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return out;
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
		cmocka_unit_test(test_escape_key),
		cmocka_unit_test(test_ms_timer),
		cmocka_unit_test(test_info_tail),
		cmocka_unit_test(test_info_ktls),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
