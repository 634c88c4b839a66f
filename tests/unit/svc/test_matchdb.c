/* SPDX-License-Identifier: Apache-2.0 */
/* The service match database: netkit's data file loads, its entries match
 * the greetings captured in the lab and the handshakes their sources
 * document, malformed files are refused with their line, and a pattern
 * that would backtrack forever stops at the match limit. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "lib/svc/matchdb.h"

#define B(s) (const uint8_t *)(s), sizeof(s) - 1

static struct svcmatch_db *load_data_file(void)
{
	struct svcmatch_db *db = NULL;
	char msg[256] = "";
	int line = 0;
	int r = svcmatch_open(NETKIT_SRCDATADIR "/nmap/service-match", &db, &line, msg,
			      sizeof(msg));
	if (r)
		fail_msg("service-match line %d: %s (%d)", line, msg, r);
	return db;
}

static void test_data_file(void **state)
{
	(void)state;
	struct svcmatch_db *db = load_data_file();
	assert_true(svcmatch_count(db) >= 10);
	struct svc_match m;
	assert_int_equal(svcmatch_match(db, "NULL", B("220 (vsFTPd 3.0.3)\r\n"), &m), SVC_HARD);
	assert_string_equal(m.service, "ftp");
	assert_string_equal(m.product, "vsftpd");
	assert_string_equal(m.version, "3.0.3");
	assert_string_equal(m.ostype, "Unix");
	assert_string_equal(m.cpe[0], "cpe:/a:vsftpd:vsftpd:3.0.3");
	assert_non_null(strstr(m.evidence, "captured in the lab"));
	assert_int_equal(svcmatch_match(db, "NULL", B("+OK Dovecot (Debian) ready.\r\n"), &m),
			 SVC_HARD);
	assert_string_equal(m.product, "Dovecot pop3d");
	assert_int_equal(svcmatch_match(db, "NULL",
					B("* OK [CAPABILITY IMAP4rev1 SASL-IR ID IDLE] Dovecot "
					  "(Debian) ready.\r\n"),
					&m),
			 SVC_HARD);
	assert_string_equal(m.service, "imap");
	assert_int_equal(svcmatch_match(db, "NULL",
					B("220 mx.lab ESMTP Exim 4.96 Mon, 07 Dec 2026 06:41:02 "
					  "+0000\r\n"),
					&m),
			 SVC_HARD);
	assert_string_equal(m.product, "Exim smtpd");
	assert_string_equal(m.version, "4.96");
	assert_string_equal(m.hostname, "mx.lab");
	assert_int_equal(svcmatch_match(db, "NULL", B("220 mail.lab ESMTP OpenSMTPD\r\n"), &m),
			 SVC_HARD);
	assert_string_equal(m.product, "OpenSMTPD");
	assert_string_equal(m.hostname, "mail.lab");
	/* binary: MariaDB's handshake (length 3 bytes, sequence 0, protocol 10) */
	static const char maria[] = "\x5b\x00\x00\x00\x0a"
				    "5.5.5-10.11.6-MariaDB-0+deb12u1\x00\x08\x00\x00\x00";
	assert_int_equal(svcmatch_match(db, "NULL", B(maria), &m), SVC_HARD);
	assert_string_equal(m.product, "MariaDB");
	assert_string_equal(m.version, "10.11.6");
	/* soft: the protocol, no product */
	assert_int_equal(svcmatch_match(db, "NULL", B("220 ftp.example FTP server ready\r\n"), &m),
			 SVC_SOFT);
	assert_string_equal(m.service, "ftp");
	/* a greeting entry does not read another probe's answer */
	assert_int_equal(svcmatch_match(db, "http-get", B("220 (vsFTPd 3.0.3)\r\n"), &m), SVC_NONE);
	assert_int_equal(svcmatch_match(db, "NULL", B("\x01\x02hello junk\r\n"), &m), SVC_NONE);
	svcmatch_close(db);
}

static void expect_error(const char *text, int want_line, const char *want)
{
	struct svcmatch_db *db = NULL;
	char msg[256] = "";
	int line = 0;
	assert_int_equal(svcmatch_parse(text, &db, &line, msg, sizeof(msg)), -22);
	assert_null(db);
	assert_int_equal(line, want_line);
	if (!strstr(msg, want))
		fail_msg("message '%s' lacks '%s'", msg, want);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("match x\nregex a\n", 2, "without source");
	expect_error("match x\nsource s\n", 2, "without regex");
	expect_error("# c\nregex a\n", 2, "before any 'match'");
	expect_error("match x\nregex a(\nsource s\n", 3, "bad regex");
	expect_error("match x\nbogus 1\n", 2, "unknown key 'bogus'");
	expect_error("match x\nflags q\n", 2, "unknown flag");
	struct svcmatch_db *db = NULL;
	char msg[64];
	int line;
	assert_int_equal(svcmatch_parse("", &db, &line, msg, sizeof(msg)), 0);
	assert_int_equal(svcmatch_count(db), 0);
	svcmatch_close(db);
	/* a last line of blanks only, without its newline (the fuzzer's) */
	assert_int_equal(svcmatch_parse("\t", &db, &line, msg, sizeof(msg)), 0);
	svcmatch_close(db);
}

static void test_captures_and_limits(void **state)
{
	(void)state;
	struct svcmatch_db *db = NULL;
	char msg[128];
	int line;
	assert_int_equal(svcmatch_parse("match x\nprobe any\nregex ^v(\\d+)\\.(\\d+)\nproduct P "
					"$2-$1$9\ncpe cpe:/a:x:$1\nsource test\n\n"
					"match y\nregex ^(a+)+$\nsource catastrophic\n",
					&db, &line, msg, sizeof(msg)),
			 0);
	struct svc_match m;
	assert_int_equal(svcmatch_match(db, "whatever", B("v12.34"), &m), SVC_HARD);
	assert_string_equal(m.product, "P 34-12");
	assert_string_equal(m.cpe[0], "cpe:/a:x:12");
	/* which services a probe's entries can name ("any": every probe's) */
	assert_true(svcmatch_names(db, "whatever", "x"));
	assert_true(svcmatch_names(db, "NULL", "y"));
	assert_false(svcmatch_names(db, "http-get", "y"));
	assert_false(svcmatch_names(db, "NULL", "z"));
	assert_false(svcmatch_names(NULL, "NULL", "y"));
	char evil[4096];
	memset(evil, 'a', sizeof(evil) - 1);
	evil[sizeof(evil) - 1] = 'b';
	clock_t t0 = clock();
	assert_int_equal(svcmatch_match(db, "NULL", (const uint8_t *)evil, sizeof(evil), &m),
			 SVC_NONE);
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);
	svcmatch_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_data_file),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_captures_and_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
