/* SPDX-License-Identifier: Apache-2.0 */
/* The service parsers (lib/svc) on replies captured from the lab's
 * daemons (Debian 12: openssh-server 1:9.2p1-2+deb12u10, nginx-light
 * 1.22.1, redis-server 7.0.15, memcached 1.6.18, postgresql 15, dnsmasq
 * 2.90), cut and damaged replies, and the probes' bytes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/svc/svc.h"

#define B(s) (const uint8_t *)(s), sizeof(s) - 1

static void test_ssh(void **state)
{
	(void)state;
	struct svc_match m;
	static const char r[] = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n";
	assert_int_equal(svc_ssh_complete(B(r), false), 1);
	assert_int_equal(svc_ssh_complete((const uint8_t *)r, 10, false), 0);
	assert_int_equal(svc_ssh_parse(B(r), false, &m), SVC_HARD);
	assert_string_equal(m.service, "ssh");
	assert_string_equal(m.product, "OpenSSH");
	assert_string_equal(m.version, "9.2p1 Debian 2+deb12u10");
	assert_string_equal(m.info, "protocol 2.0");
	assert_string_equal(m.ostype, "Linux");
	assert_int_equal(m.ncpe, 2);
	assert_string_equal(m.cpe[0], "cpe:/a:openbsd:openssh:9.2p1");
	assert_string_equal(m.cpe[1], "cpe:/o:linux:linux_kernel");
	static const char u[] = "SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.1\r\n";
	assert_int_equal(svc_ssh_parse(B(u), false, &m), SVC_HARD);
	assert_string_equal(m.version, "8.9p1 Ubuntu 3ubuntu0.1");
	assert_string_equal(m.info, "Ubuntu Linux; protocol 2.0");
	static const char d[] = "SSH-2.0-dropbear_2022.83\r\n"; /* Debian 12's dropbear */
	assert_int_equal(svc_ssh_parse(B(d), false, &m), SVC_HARD);
	assert_string_equal(m.product, "Dropbear sshd");
	assert_string_equal(m.version, "2022.83");
	assert_string_equal(m.ostype, "Linux");
	assert_int_equal(m.ncpe, 2);
	assert_string_equal(m.cpe[0], "cpe:/a:matt_johnston:dropbear_ssh_server:2022.83");
	assert_string_equal(m.cpe[1], "cpe:/o:linux:linux_kernel");
	static const char o[] = "SSH-2.0-libssh_0.10.4\r\n";
	assert_int_equal(svc_ssh_parse(B(o), false, &m), SVC_SOFT);
	assert_string_equal(m.product, "");
	static const char bad[] = "HTTP/1.0 200 OK\r\nSSH-2.0-x\r\n";
	assert_int_equal(svc_ssh_parse(B(bad), false, &m), SVC_SOFT); /* a line of its own */
	static const char mid[] = "xSSH-2.0-OpenSSH_9.2p1\r\n";
	assert_int_equal(svc_ssh_parse(B(mid), false, &m), SVC_NONE);
	assert_int_equal(svc_ssh_parse(B("SSH-"), false, &m), SVC_NONE);
}

static void test_http(void **state)
{
	(void)state;
	struct svc_match m;
	static const char r[] = "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Mon, 07 Dec 2026 "
				"06:41:02 GMT\r\nContent-Type: text/html\r\n\r\n<html>";
	assert_int_equal(svc_http_complete(B(r), false), 1);
	assert_int_equal(svc_http_complete((const uint8_t *)r, 30, false), 0);
	assert_int_equal(svc_http_complete(B("SSH-2.0-x\r\n"), false), -1);
	assert_int_equal(svc_http_parse(B(r), false, &m), SVC_HARD);
	assert_string_equal(m.service, "http");
	assert_string_equal(m.product, "nginx");
	assert_string_equal(m.version, "1.22.1");
	assert_string_equal(m.cpe[0], "cpe:/a:igor_sysoev:nginx:1.22.1");
	static const char a[] = "HTTP/1.1 404 Not Found\r\nserver: Apache/2.4.57 (Debian)\r\n\r\n";
	assert_int_equal(svc_http_parse(B(a), false, &m), SVC_HARD);
	assert_string_equal(m.product, "Apache httpd");
	assert_string_equal(m.version, "2.4.57");
	assert_string_equal(m.info, "(Debian)");
	/* mini_httpd's dated version; tinyproxy, a proxy (Debian 12's) */
	static const char mh[] = "HTTP/1.1 200 Ok\r\nServer: mini_httpd/1.30 26Oct2018\r\n\r\n";
	assert_int_equal(svc_http_parse(B(mh), false, &m), SVC_HARD);
	assert_string_equal(m.product, "mini_httpd");
	assert_string_equal(m.version, "1.30 26Oct2018");
	assert_string_equal(m.info, "");
	assert_string_equal(m.cpe[0], "cpe:/a:acme:mini_httpd:1.30_26oct2018");
	static const char mo[] = "HTTP/1.1 200 Ok\r\nServer: mini_httpd/1.30 (x)\r\n\r\n";
	assert_int_equal(svc_http_parse(B(mo), false, &m), SVC_HARD);
	assert_string_equal(m.version, "1.30");
	assert_string_equal(m.info, "(x)");
	static const char tp[] = "HTTP/1.1 400 Bad Request\r\nServer: tinyproxy/1.11.1\r\n\r\n";
	assert_int_equal(svc_http_parse(B(tp), false, &m), SVC_HARD);
	assert_string_equal(m.service, "http-proxy");
	assert_string_equal(m.product, "tinyproxy");
	assert_string_equal(m.version, "1.11.1");
	assert_string_equal(m.cpe[0], "cpe:/a:banu:tinyproxy:1.11.1");
	static const char wf[] = "HTTP/1.1 200 OK\r\nServer: webfs/1.21\r\n\r\n";
	assert_int_equal(svc_http_parse(B(wf), false, &m), SVC_HARD);
	assert_string_equal(m.product, "WebFS httpd");
	assert_string_equal(m.version, "1.21");
	assert_int_equal(m.ncpe, 0);
	static const char n[] = "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n";
	assert_int_equal(svc_http_parse(B(n), false, &m), SVC_SOFT);
	assert_string_equal(m.service, "http");
	/* the Server header of the body does not count */
	static const char body[] = "HTTP/1.0 200 OK\r\n\r\nServer: nginx/1\r\n";
	assert_int_equal(svc_http_parse(B(body), false, &m), SVC_SOFT);
	assert_int_equal(svc_http_parse(B("HTTP/1.1 2x0 OK\r\n"), false, &m), SVC_NONE);
	uint8_t buf[256];
	size_t l = svc_http_build("198.18.3.10", buf, sizeof(buf));
	assert_true(l > 0);
	assert_memory_equal(buf, "GET / HTTP/1.1\r\nHost: 198.18.3.10\r\n", 35);
	assert_int_equal(svc_http_build("x", buf, 10), 0);
}

static void test_redis(void **state)
{
	(void)state;
	struct svc_match m;
	static const char r[] = "$38\r\n# Server\r\nredis_version:7.0.15\r\nredis_\r\n";
	assert_int_equal(svc_redis_complete(B(r), false), 1);
	assert_int_equal(svc_redis_complete((const uint8_t *)r, 20, false), 0);
	assert_int_equal(svc_redis_parse(B(r), false, &m), SVC_HARD);
	assert_string_equal(m.product, "Redis key-value store");
	assert_string_equal(m.version, "7.0.15");
	assert_string_equal(m.cpe[0], "cpe:/a:redislabs:redis:7.0.15");
	static const char na[] = "-NOAUTH Authentication required.\r\n";
	assert_int_equal(svc_redis_complete(B(na), false), 1);
	assert_int_equal(svc_redis_parse(B(na), false, &m), SVC_HARD);
	assert_string_equal(m.version, "");
	assert_int_equal(svc_redis_parse(B("-ERR unknown\r\n"), false, &m), SVC_NONE);
	assert_int_equal(svc_redis_complete(B("HTTP/1.1"), false), -1);
	uint8_t buf[64];
	assert_int_equal(svc_redis_build(buf, sizeof(buf)), 26);
}

static void test_memcached(void **state)
{
	(void)state;
	struct svc_match m;
	static const char r[] =
		"STAT pid 13148\r\nSTAT uptime 509\r\nSTAT version 1.6.18\r\nEND\r\n"
		"VERSION 1.6.18\r\n";
	assert_int_equal(svc_memcached_complete(B(r), false), 1);
	assert_int_equal(svc_memcached_complete((const uint8_t *)r, 60, false), 0);
	assert_int_equal(svc_memcached_parse(B(r), false, &m), SVC_HARD);
	assert_string_equal(m.product, "Memcached");
	assert_string_equal(m.version, "1.6.18");
	assert_string_equal(m.info, "uptime 509 seconds");
	static const uint8_t u[] = {0x6e, 0x6b, 0,   0,	  0,   1,   0,	 0,   'V', 'E', 'R',  'S',
				    'I',  'O',	'N', ' ', '1', '.', '6', '.', '1', '8', '\r', '\n'};
	assert_int_equal(svc_memcached_parse(u, sizeof(u), true, &m), SVC_HARD);
	assert_string_equal(m.version, "1.6.18");
	assert_string_equal(m.info, "");
	assert_int_equal(svc_memcached_parse(u, 6, true, &m), SVC_NONE);
	uint8_t buf[64];
	size_t l = svc_memcached_build(true, buf, sizeof(buf));
	assert_int_equal(l, 17);
	assert_memory_equal(buf + 8, "version\r\n", 9);
}

static void test_pgsql(void **state)
{
	(void)state;
	struct svc_match m;
	static const char e[] = "E\x00\x00\x00\x85SFATAL\x00VFATAL\x00"
				"C08P01\x00Minvalid startup packet layout: expected terminator as "
				"last byte\x00"
				"Fpostmaster.c\x00L2334\x00RProcessStartupPacket\x00\x00";
	assert_int_equal(svc_pgsql_complete(B(e), false), 1);
	assert_int_equal(svc_pgsql_complete((const uint8_t *)e, 40, false), 0);
	/* a range only: soft (the port keeps its fingerprint, as nmap's) */
	assert_int_equal(svc_pgsql_parse(B(e), false, &m), SVC_SOFT);
	assert_string_equal(m.service, "postgresql");
	assert_string_equal(m.product, "PostgreSQL DB");
	assert_string_equal(m.version, "9.6.0 or later");
	assert_string_equal(m.cpe[0], "cpe:/a:postgresql:postgresql");
	/* PostgreSQL 15's answer to an SMB negotiate (captured in the lab) */
	static const char smbneg[] = "E\x00\x00\x00\x8bSFATAL\x00VFATAL\x00"
				     "C0A000\x00Munsupported frontend "
				     "protocol 65363.19778: server supports 3.0 to 3.0\x00"
				     "Fpostmaster.c\x00L2222\x00"
				     "RProcessStartupPacket\x00\x00";
	assert_int_equal(svc_pgsql_complete(B(smbneg), false), 1);
	assert_int_equal(svc_pgsql_parse(B(smbneg), false, &m), SVC_SOFT);
	assert_string_equal(m.version, "9.6.0 or later");
	/* before 9.6: no V field */
	static const char old[] = "E\x00\x00\x00\x17SFATAL\x00"
				  "C28000\x00Mno\x00\x00";
	assert_int_equal(svc_pgsql_parse(B(old), false, &m), SVC_HARD);
	assert_string_equal(m.version, "");
	static const char md5[] = "R\x00\x00\x00\x0c\x00\x00\x00\x05salt";
	assert_int_equal(svc_pgsql_parse(B(md5), false, &m), SVC_HARD);
	assert_int_equal(svc_pgsql_parse(B("E\x00\x00\x00\x03"), false, &m), SVC_NONE);
	assert_int_equal(svc_pgsql_complete(B("SSH-2.0"), false), -1);
	uint8_t buf[128];
	size_t l = svc_pgsql_build(buf, sizeof(buf));
	assert_int_equal(l, 61);
	assert_int_equal(buf[3], 61);
	assert_int_equal(buf[l - 1], 0);
	assert_int_equal(buf[l - 2], 0);
}

static void test_dns(void **state)
{
	(void)state;
	struct svc_match m;
	static const char r[] = "nk\x84\x80\x00\x01\x00\x01\x00\x00\x00\x00\x07version\x04"
				"bind\x00\x00\x10\x00\x03\xc0\x0c\x00\x10\x00\x03\x00\x00\x00\x00"
				"\x00\r\x0c"
				"dnsmasq-2.90";
	assert_int_equal(svc_dns_parse(B(r), true, &m), SVC_HARD);
	assert_string_equal(m.service, "domain");
	assert_string_equal(m.product, "dnsmasq");
	assert_string_equal(m.version, "2.90");
	assert_string_equal(m.cpe[0], "cpe:/a:thekelleys:dnsmasq:2.90");
	uint8_t t[128];
	t[0] = 0;
	t[1] = sizeof(r) - 1;
	memcpy(t + 2, r, sizeof(r) - 1);
	assert_int_equal(svc_dns_complete(t, sizeof(r) + 1, false), 1);
	assert_int_equal(svc_dns_complete(t, 10, false), 0);
	assert_int_equal(svc_dns_parse(t, sizeof(r) + 1, false, &m), SVC_HARD);
	/* a refusal: DNS, no product */
	static const char ref[] = "nk\x84\x85\x00\x01\x00\x00\x00\x00\x00\x00";
	assert_int_equal(svc_dns_parse(B(ref), true, &m), SVC_SOFT);
	/* another id, or cut inside the answer */
	static const char other[] = "xx\x84\x80\x00\x01\x00\x00\x00\x00\x00\x00";
	assert_int_equal(svc_dns_parse(B(other), true, &m), SVC_NONE);
	assert_int_equal(svc_dns_parse((const uint8_t *)r, sizeof(r) - 5, true, &m), SVC_SOFT);
	/* BIND of Debian 12 (the lab's bind9): its revision and "-Debian" */
	static const char bind[] =
		"nk\x84\x80\x00\x01\x00\x01\x00\x00\x00\x00\x07version\x04"
		"bind\x00\x00\x10\x00\x03\xc0\x0c\x00\x10\x00\x03\x00\x00\x00\x00"
		"\x00\x19\x18"
		"9.18.49-1~deb12u3-Debian";
	assert_int_equal(svc_dns_parse(B(bind), true, &m), SVC_HARD);
	assert_string_equal(m.product, "ISC BIND");
	assert_string_equal(m.version, "9.18.49-1~deb12u3");
	assert_string_equal(m.info, "Debian Linux");
	assert_string_equal(m.ostype, "Linux");
	assert_string_equal(m.cpe[0], "cpe:/a:isc:bind:9.18.49-1~deb12u3");
	assert_string_equal(m.cpe[1], "cpe:/o:linux:linux_kernel");
	/* NSD and Knot DNS (Debian 12's): nmap's names, Knot without a CPE */
	static const char nsd[] = "nk\x84\x80\x00\x01\x00\x01\x00\x00\x00\x00\x07version\x04"
				  "bind\x00\x00\x10\x00\x03\xc0\x0c\x00\x10\x00\x03\x00\x00\x00\x00"
				  "\x00\x0a\x09"
				  "NSD 4.6.1";
	assert_int_equal(svc_dns_parse(B(nsd), true, &m), SVC_HARD);
	assert_string_equal(m.product, "NLnet Labs NSD");
	assert_string_equal(m.version, "4.6.1");
	assert_string_equal(m.cpe[0], "cpe:/a:nlnetlabs:nsd:4.6.1");
	static const char knot[] =
		"nk\x84\x80\x00\x01\x00\x01\x00\x00\x00\x00\x07version\x04"
		"bind\x00\x00\x10\x00\x03\xc0\x0c\x00\x10\x00\x03\x00\x00\x00\x00"
		"\x00\x0f\x0e"
		"Knot DNS 3.2.6";
	assert_int_equal(svc_dns_parse(B(knot), true, &m), SVC_HARD);
	assert_string_equal(m.product, "cz.nic Knot DNS");
	assert_string_equal(m.version, "3.2.6");
	assert_int_equal(m.ncpe, 0);
	uint8_t q[64];
	assert_int_equal(svc_dns_build(true, q, sizeof(q)), 32);
	assert_int_equal(q[1], 30);
	assert_int_equal(svc_dns_build(false, q, sizeof(q)), 30);
}

static void test_fingerprint(void **state)
{
	(void)state;
	static const uint8_t junk[] = "\x01\x02hello junk proto v9\r\n";
	struct svc_fp_resp r = {"NULL", junk, sizeof(junk) - 1};
	/* Mon Dec  7 2026, local time of the test machine's zone: the date
	 * field is checked loosely */
	char *fp = svc_fp_format(7002, false, 7, 1796625172L, &r, 1);
	assert_non_null(fp);
	assert_memory_equal(fp, "SF-Port7002-TCP:V=7.93%I=7%D=", 29);
	assert_non_null(strstr(fp, "%Time=6B165314%P="));
	assert_non_null(
		strstr(fp, "%r(NULL,17,\"\\x01\\x02hello\\x20junk\\x20proto\\x20v9\\r\\n\");"));
	free(fp);
	static const uint8_t pg[] = "a.b\0(c)";
	r = (struct svc_fp_resp){"x", pg, sizeof(pg) - 1};
	fp = svc_fp_format(1, true, 9, 0, &r, 1);
	assert_non_null(strstr(fp, "SF-Port1-UDP:V=7.93%I=9"));
	assert_non_null(strstr(fp, "%r(x,7,\"a\\.b\\0\\(c\\)\");"));
	free(fp);
	/* nmap 7.93 on "ZZQ" and bytes 0x7f down to 0x00: braces, '-', ',',
	 * '`', '~' as they are; 0x0b/0x0c as \xNN; \0 last */
	uint8_t all[131] = "ZZQ";
	for (int i = 0; i < 128; i++)
		all[3 + i] = (uint8_t)(127 - i);
	r = (struct svc_fp_resp){"NULL", all, sizeof(all)};
	fp = svc_fp_format(7005, false, 0, 0, &r, 1);
	assert_non_null(strstr(
		fp,
		"%r(NULL,83,\"ZZQ\\x7f~}\\|{zyxwvutsrqponmlkjihgfedcba`_\\^\\]\\\\\\[ZYXWVUTSRQPON"
		"MLKJIHGFEDCBA@\\?>=<;:9876543210/\\.-,\\+\\*\\)\\('&%\\$#\\\"!\\x20\\x1f\\x1e"
		"\\x1d\\x1c\\x1b\\x1a\\x19\\x18\\x17\\x16\\x15\\x14\\x13\\x12\\x11\\x10\\x0f"
		"\\x0e\\r\\x0c\\x0b\\n\\t\\x08\\x07\\x06\\x05\\x04\\x03\\x02\\x01\\0\");"));
	free(fp);
	/* a NUL before a digit is \x00 (nmap: "\x13\x009\0\x04") */
	static const uint8_t nd[] = {0x13, 0, '9', 0, 4};
	r = (struct svc_fp_resp){"P", nd, sizeof(nd)};
	fp = svc_fp_format(1, false, 0, 0, &r, 1);
	assert_non_null(strstr(fp, "%r(P,5,\"\\x13\\x009\\0\\x04\");"));
	free(fp);
	/* an answer of 0x1773 bytes: its length, its first 900 bytes */
	static uint8_t big[6003];
	memset(big, 0xff, sizeof(big));
	r = (struct svc_fp_resp){"NULL", big, sizeof(big)};
	fp = svc_fp_format(7007, false, 0, 0, &r, 1);
	const char *d = strstr(fp, "%r(NULL,1773,\"");
	assert_non_null(d);
	assert_int_equal(strlen(d), strlen("%r(NULL,1773,\"") + 900 * 4 + 3);
	free(fp);
}

/* wire.c: the probes are well-formed; the framing on answers captured in
 * the lab (lab/services.lab host apps) */
static void test_wire(void **st)
{
	(void)st;
	uint8_t b[512];
	size_t n = svc_ldap_build(b, sizeof(b));
	assert_true(n > 2 && b[0] == 0x30 && (size_t)b[1] == n - 2);
	assert_int_equal(b[5], 0x63); /* SearchRequest */
	assert_int_equal(svc_ldap_build(b, 10), 0);
	for (int v3 = 0; v3 < 2; v3++) {
		n = svc_snmp_build(v3, b, sizeof(b));
		assert_true(n > 2 && b[0] == 0x30 && (size_t)b[1] == n - 2);
		assert_int_equal(svc_snmp_complete(b, n, false), 1);
		assert_int_equal(svc_snmp_complete(b, n - 1, false), 0);
	}
	n = svc_mqtt_build(b, sizeof(b));
	assert_true(n == (size_t)(2 + b[1] + 2 + b[2 + b[1] + 1]));
	static const uint8_t mq[] = "\x20\x02\0\0\x90\x03\0\x01\0\x31\x2d\0\x13"
				    "$SYS/broker/"
				    "versionmosquitto version 2.0.11";
	assert_int_equal(svc_mqtt_complete(mq, sizeof(mq) - 1, false), 1);
	assert_int_equal(svc_mqtt_complete(mq, 9, false), 0);
	static const uint8_t refused[] = {0x20, 0x02, 0x00, 0x05};
	assert_int_equal(svc_mqtt_complete(refused, 4, false), 1);
	static const uint8_t ld[] = {
		0x30, 0x26, 0x02, 0x01, 0x01, 0x64, 0x21, 0x04, 0x00, 0x30, 0x1d, 0x30, 0x1b, 0x04,
		0x14, 's',  'u',  'p',	'p',  'o',  'r',  't',	'e',  'd',  'L',  'D',	'A',  'P',
		'V',  'e',  'r',  's',	'i',  'o',  'n',  0x31, 0x03, 0x04, 0x01, '3',	0x30, 0x0c,
		0x02, 0x01, 0x01, 0x65, 0x07, 0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00, 0};
	assert_int_equal(svc_ldap_complete(ld, sizeof(ld) - 1, false), 1);
	assert_int_equal(svc_ldap_complete(ld, 40, false), 0);
	assert_int_equal(svc_ldap_complete((const uint8_t *)"HTTP", 4, false), -1);
	n = svc_stun_build(b, sizeof(b));
	assert_int_equal(n, 20);
	assert_int_equal(svc_stun_complete(b, n, false), 1);
	assert_int_equal(svc_stun_complete(b, 10, false), 0);
	static const char irc[] =
		":irc.apps.lab 001 nk :Welcome\r\n:irc.apps.lab 004 nk irc.apps.lab "
		"ngircd-26.1 abB abe\r\n";
	assert_int_equal(svc_irc_complete((const uint8_t *)irc, sizeof(irc) - 1, false), 1);
	assert_int_equal(svc_irc_complete((const uint8_t *)irc, 40, false), 0);
	assert_int_equal(svc_irc_complete((const uint8_t *)"ERROR :x\r\n", 10, false), 1);
	n = svc_git_build("apps.lab", b, sizeof(b));
	assert_int_equal(n, 4 + 43);
	assert_memory_equal(b, "002fgit-upload-pack /\0host=apps.lab\0\0version=2\0", n);
	static const char git[] = "000eversion 2\n0015agent=git/2.39.5\n0000";
	assert_int_equal(svc_git_complete((const uint8_t *)git, sizeof(git) - 1, false), 1);
	assert_int_equal(svc_git_complete((const uint8_t *)git, 20, false), 0);
	assert_int_equal(svc_git_complete((const uint8_t *)"0025ERR no such repository: /nope.git",
					  37, false),
			 1);
	assert_int_equal(svc_git_complete((const uint8_t *)"HTTP/1.1", 8, false), -1);
	static const char bs[] = "OK 5\r\nab\ncd\r\n";
	assert_int_equal(svc_beanstalk_complete((const uint8_t *)bs, sizeof(bs) - 1, false), 1);
	assert_int_equal(svc_beanstalk_complete((const uint8_t *)bs, 8, false), 0);
	n = svc_zabbix_build(b, sizeof(b));
	assert_int_equal(n, 13 + 13);
	assert_int_equal(svc_zabbix_complete(b, n, false), 1);
	assert_int_equal(svc_zabbix_complete(b, n - 1, false), 0);
	n = svc_sip_build(true, b, sizeof(b));
	assert_true(n > 0 &&
		    !memcmp(b, "OPTIONS sip:nm SIP/2.0\r\nVia: SIP/2.0/UDP nm;rport;", 48));
	static const char sip[] = "SIP/2.0 200 OK\r\nServer: kamailio (5.6.3 (x86_64/linux))\r\n"
				  "Content-Length: 0\r\n\r\n";
	assert_int_equal(svc_sip_complete((const uint8_t *)sip, sizeof(sip) - 1, false), 1);
	assert_int_equal(svc_sip_complete((const uint8_t *)sip, 30, false), 0);
	/* murmurd 1.3.4's answer to the ping, captured in the lab */
	static const uint8_t mu[24] = {0, 1, 3, 4, 'n', 'e', 't', 'k',	'i', 't', 'p',	'g',
				       0, 0, 0, 0, 0,	0,   3,	  0xe8, 0,   1,	  0x19, 0x40};
	struct svc_match m;
	assert_int_equal(svc_mumble_parse(mu, sizeof(mu), true, &m), SVC_HARD);
	assert_string_equal(m.product, "Murmur");
	assert_string_equal(m.version, "1.3.4");
	assert_string_equal(m.info, "users 0/1000");
	assert_int_equal(svc_mumble_parse(mu, 23, true, &m), SVC_NONE);
	assert_int_equal(svc_mumble_parse(mu, sizeof(mu), false, &m), SVC_NONE);
}

/* VNC's greeting (RFC 6143 7.1.1) and X11's connection setup: replies
 * captured from TigerVNC's Xvnc 1.12.0 and Xvfb 21.1.7 in the lab */
static void test_remote(void **state)
{
	(void)state;
	struct svc_match m;
	static const uint8_t rfb[] = "RFB 003.008\n";
	assert_int_equal(svc_vnc_complete(rfb, 3, false), 0);
	assert_int_equal(svc_vnc_complete(rfb, 12, false), 1);
	assert_int_equal(svc_vnc_complete((const uint8_t *)"SSH-2.0", 7, false), -1);
	assert_int_equal(svc_vnc_parse(rfb, 12, false, &m), SVC_HARD);
	assert_string_equal(m.service, "vnc");
	assert_string_equal(m.product, "VNC");
	assert_string_equal(m.info, "protocol 3.8");
	assert_int_equal(svc_vnc_parse(rfb, 11, false, &m), SVC_NONE);
	assert_int_equal(svc_vnc_parse((const uint8_t *)"RFB 00x.008\n", 12, false, &m), SVC_NONE);
	assert_int_equal(svc_vnc_parse(rfb, 12, true, &m), SVC_NONE);

	uint8_t req[16];
	assert_int_equal(svc_x11_build(req, sizeof(req)), 12);
	assert_int_equal(req[0], 'l');
	assert_int_equal(req[2], 11);
	assert_int_equal(svc_x11_build(req, 11), 0);
	/* Success: the 8-byte header (20 words follow), release
	 * 12101007, vendor length 20 at byte 24, the vendor at 40 */
	uint8_t ok[88] = {1, 0, 11, 0, 0, 0, 20, 0, 0x8f, 0xa5, 0xb8, 0x00};
	ok[24] = 20;
	memcpy(ok + 40, "The X.Org Foundation", 20);
	assert_int_equal(svc_x11_complete(ok, 40, false), 0);
	assert_int_equal(svc_x11_complete(ok, 88, false), 1);
	assert_int_equal(svc_x11_parse(ok, 88, false, &m), SVC_HARD);
	assert_string_equal(m.service, "X11");
	assert_string_equal(m.product, "X.Org");
	assert_string_equal(m.version, "21.1.7");
	assert_string_equal(m.info, "open");
	assert_string_equal(m.ostype, "Unix");
	assert_string_equal(m.cpe[0], "cpe:/a:x.org:xorg-server:21.1.7");
	ok[8] = 0x78; /* 12011000: 1.20.11 */
	ok[9] = 0x46;
	ok[10] = 0xb7;
	assert_int_equal(svc_x11_parse(ok, 88, false, &m), SVC_HARD);
	assert_string_equal(m.version, "1.20.11");
	ok[24] = 60; /* the vendor longer than the reply */
	assert_int_equal(svc_x11_parse(ok, 88, false, &m), SVC_HARD);
	assert_string_equal(m.product, "");
	/* Failed: reason length, protocol 11.0, 16 words of reason */
	static const uint8_t denied[] = "\0@\x0b\0\0\0\x10\0Authorization required, but no "
					"authorization protocol specified\n";
	assert_int_equal(svc_x11_parse(denied, sizeof(denied) - 1, false, &m), SVC_SOFT);
	assert_string_equal(m.info, "access denied");
	assert_int_equal(svc_x11_parse(denied, 20, false, &m), SVC_NONE);
	assert_int_equal(svc_x11_complete((const uint8_t *)"HTTP", 4, false), -1);
}

/* NTP: a mode 4 answer as NTPsec's ntpd 1.2.2 sent it in the lab
 * (unsynchronized: LI 3, stratum 16), and a mode 6 READVAR answer laid
 * out as RFC 1305 appendix B has it */
static void test_ntp(void **state)
{
	(void)state;
	struct svc_match m;
	uint8_t req[48];
	assert_int_equal(svc_ntp_build(req, sizeof(req)), 48);
	assert_int_equal(req[0], 0x23);
	assert_int_equal(svc_ntp_build(req, 47), 0);
	uint8_t a[48] = {0xe4, 16, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 'I', 'N', 'I', 'T'};
	memcpy(a + 24, req + 40, 8); /* the origin timestamp: our transmit */
	assert_int_equal(svc_ntp_complete(a, 48, true), 1);
	assert_int_equal(svc_ntp_complete(a, 48, false), -1);
	assert_int_equal(svc_ntp_parse(a, 48, true, &m), SVC_SOFT);
	assert_string_equal(m.service, "ntp");
	assert_string_equal(m.product, "NTP");
	assert_string_equal(m.version, "v4");
	assert_string_equal(m.info, "unsynchronized");
	a[0] = 0x24; /* LI 0, stratum 2: synchronized */
	a[1] = 2;
	assert_int_equal(svc_ntp_parse(a, 48, true, &m), SVC_SOFT);
	assert_string_equal(m.info, "");
	assert_int_equal(svc_ntp_parse(a, 47, true, &m), SVC_NONE);
	assert_int_equal(svc_ntp_parse(a, 48, false, &m), SVC_NONE);
	a[24] ^= 1; /* not our request's answer */
	assert_int_equal(svc_ntp_parse(a, 48, true, &m), SVC_NONE);

	assert_int_equal(svc_ntpq_build(req, sizeof(req)), 12);
	assert_int_equal(req[0], 0x16);
	assert_int_equal(req[1], 2);
	static const char vars[] = "version=\"ntpd ntpsec-1.2.2 2023-05-22T12:00:00Z\", "
				   "processor=\"x86_64\", system=\"Linux/6.1.0\", leap=11, "
				   "stratum=16";
	uint8_t r[12 + sizeof(vars)] = {0x16, 0x82, 0, 1, 0, 0, 0, 0, 0, 0, 0, sizeof(vars) - 1};
	memcpy(r + 12, vars, sizeof(vars) - 1);
	size_t rn = 12 + sizeof(vars) - 1;
	assert_int_equal(svc_ntpq_parse(r, rn, true, &m), SVC_HARD);
	assert_string_equal(m.product, "NTPsec ntpd");
	assert_string_equal(m.version, "1.2.2");
	assert_string_equal(m.info, "unsynchronized");
	assert_string_equal(m.cpe[0], "cpe:/a:ntpsec:ntpsec:1.2.2");
	static const char classic[] = "version=\"ntpd 4.2.8p15@1.3728-o Wed Sep 23 11:46:38 UTC "
				      "2020 (1)\", leap=00";
	memcpy(r + 12, classic, sizeof(classic) - 1);
	r[11] = sizeof(classic) - 1;
	assert_int_equal(svc_ntpq_parse(r, 12 + sizeof(classic) - 1, true, &m), SVC_HARD);
	assert_string_equal(m.product, "ntpd");
	assert_string_equal(m.version, "4.2.8p15");
	assert_string_equal(m.info, "");
	r[1] = 0xc2; /* an error response */
	assert_int_equal(svc_ntpq_parse(r, rn, true, &m), SVC_NONE);
	r[1] = 0x82;
	r[11] = 5; /* the count cuts the value short */
	assert_int_equal(svc_ntpq_parse(r, rn, true, &m), SVC_NONE);
}

/* Samba 4.17.12 (smbd in netkit's lab, workgroup LAB, NetBIOS name DESK,
 * SMB1 allowed): its answers to the SMB probe, as captured */
static const uint8_t samba_reply[] = {
	0x00, 0x00, 0x00, 0x9f, 0xff, 0x53, 0x4d, 0x42, 0x72, 0x00, 0x00, 0x00, 0x00, 0x88, 0x01,
	0xc8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xff, 0xfe, 0x00, 0x00, 0x01, 0x00, 0x11, 0x00, 0x00, 0x03, 0x32, 0x00, 0x01, 0x00, 0x04,
	0x41, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0xa9, 0x41, 0x00, 0x00, 0xfd, 0xf3, 0x80, 0x80,
	0x38, 0x80, 0x59, 0x1a, 0x75, 0x86, 0xdd, 0x01, 0x00, 0x00, 0x00, 0x5a, 0x00, 0x64, 0x65,
	0x73, 0x6b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x60,
	0x48, 0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02, 0xa0, 0x3e, 0x30, 0x3c, 0xa0, 0x0e,
	0x30, 0x0c, 0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0a, 0xa3,
	0x2a, 0x30, 0x28, 0xa0, 0x26, 0x1b, 0x24, 0x6e, 0x6f, 0x74, 0x5f, 0x64, 0x65, 0x66, 0x69,
	0x6e, 0x65, 0x64, 0x5f, 0x69, 0x6e, 0x5f, 0x52, 0x46, 0x43, 0x34, 0x31, 0x37, 0x38, 0x40,
	0x70, 0x6c, 0x65, 0x61, 0x73, 0x65, 0x5f, 0x69, 0x67, 0x6e, 0x6f, 0x72, 0x65, 0x00, 0x00,
	0x00, 0xea, 0xff, 0x53, 0x4d, 0x42, 0x73, 0x16, 0x00, 0x00, 0xc0, 0x88, 0x03, 0xc8, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xfe,
	0xa2, 0x4b, 0x02, 0x00, 0x04, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x74, 0x00, 0xbf, 0x00,
	0x4e, 0x54, 0x4c, 0x4d, 0x53, 0x53, 0x50, 0x00, 0x02, 0x00, 0x00, 0x00, 0x08, 0x00, 0x08,
	0x00, 0x38, 0x00, 0x00, 0x00, 0x05, 0x82, 0x8a, 0xe2, 0x79, 0x84, 0xb1, 0xe4, 0xa8, 0x2a,
	0x9a, 0x23, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x34, 0x00, 0x34, 0x00, 0x40,
	0x00, 0x00, 0x00, 0x06, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0f, 0x44, 0x00, 0x45, 0x00,
	0x53, 0x00, 0x4b, 0x00, 0x02, 0x00, 0x08, 0x00, 0x44, 0x00, 0x45, 0x00, 0x53, 0x00, 0x4b,
	0x00, 0x01, 0x00, 0x08, 0x00, 0x44, 0x00, 0x45, 0x00, 0x53, 0x00, 0x4b, 0x00, 0x04, 0x00,
	0x00, 0x00, 0x03, 0x00, 0x04, 0x00, 0x76, 0x00, 0x6d, 0x00, 0x07, 0x00, 0x08, 0x00, 0xd2,
	0xb6, 0x59, 0x1a, 0x75, 0x86, 0xdd, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x57, 0x00, 0x69,
	0x00, 0x6e, 0x00, 0x64, 0x00, 0x6f, 0x00, 0x77, 0x00, 0x73, 0x00, 0x20, 0x00, 0x36, 0x00,
	0x2e, 0x00, 0x31, 0x00, 0x00, 0x00, 0x53, 0x00, 0x61, 0x00, 0x6d, 0x00, 0x62, 0x00, 0x61,
	0x00, 0x20, 0x00, 0x34, 0x00, 0x2e, 0x00, 0x31, 0x00, 0x37, 0x00, 0x2e, 0x00, 0x31, 0x00,
	0x32, 0x00, 0x2d, 0x00, 0x44, 0x00, 0x65, 0x00, 0x62, 0x00, 0x69, 0x00, 0x61, 0x00, 0x6e,
	0x00, 0x00, 0x00, 0x4c, 0x00, 0x41, 0x00, 0x42, 0x00, 0x00, 0x00};

static void test_smb(void **state)
{
	(void)state;
	struct svc_match m;
	uint8_t req[512];
	size_t n = svc_smb_build(req, sizeof(req));
	assert_int_equal(n, 4 + 47 + 4 + 104);
	assert_memory_equal(req + 4, "\xffSMBr", 5);
	assert_memory_equal(req + 4 + 47 + 4, "\xffSMBs", 5);
	assert_int_equal(svc_smb_build(req, 100), 0);
	/* the negotiate alone: RFC 1002 length 164, SMB_COM_NEGOTIATE, no
	 * words, 129 bytes of eight 0x02-prefixed dialects */
	n = svc_smb_progneg_build(req, sizeof(req));
	assert_int_equal(n, 168);
	assert_memory_equal(req, "\x00\x00\x00\xa4\xffSMBr\x00\x00\x00\x00\x08\x01\x40", 15);
	assert_int_equal(req[4 + 32], 0);
	assert_int_equal(req[4 + 33] | req[4 + 34] << 8, 129);
	assert_memory_equal(req + 4 + 35, "\x02PC NETWORK PROGRAM 1.0\x00\x02", 25);
	assert_memory_equal(req + n - 12, "\x02NT LM 0.12\x00", 12);
	size_t dialects = 0;
	for (size_t k = 4 + 35; k < n; k++)
		dialects += req[k] == 0x02 && (k == 4 + 35 || req[k - 1] == 0);
	assert_int_equal(dialects, 8);
	assert_int_equal(svc_smb_progneg_build(req, 167), 0);
	size_t len = sizeof(samba_reply);
	assert_int_equal(svc_smb_complete(samba_reply, 100, false), 0);
	assert_int_equal(svc_smb_complete(samba_reply, 4 + 0x9f, false), 0);
	assert_int_equal(svc_smb_complete(samba_reply, len, false), 1);
	assert_int_equal(svc_smb_complete((const uint8_t *)"SSH-2.0", 7, false), -1);
	assert_int_equal(svc_smb_parse(samba_reply, len, false, &m), SVC_HARD);
	assert_string_equal(m.service, "netbios-ssn");
	assert_string_equal(m.product, "Samba smbd");
	assert_string_equal(m.version, "4.17.12-Debian");
	assert_string_equal(m.info, "workgroup: LAB");
	assert_string_equal(m.hostname, "DESK");
	assert_string_equal(m.cpe[0], "cpe:/a:samba:samba:4.17.12");
	/* the negotiate answer alone: SMB, the product unknown */
	assert_int_equal(svc_smb_parse(samba_reply, 4 + 0x9f, false, &m), SVC_SOFT);
	assert_string_equal(m.product, "");
	/* every truncation of the session setup answer: never out of bounds */
	uint8_t cut[sizeof(samba_reply)];
	memcpy(cut, samba_reply, len);
	for (size_t k = 4 + 0x9f + 4; k < len; k++) {
		size_t l2 = k - (4 + 0x9f + 4);
		cut[4 + 0x9f + 1] = (uint8_t)(l2 >> 16);
		cut[4 + 0x9f + 2] = (uint8_t)(l2 >> 8);
		cut[4 + 0x9f + 3] = (uint8_t)l2;
		enum svc_verdict v = svc_smb_parse(cut, k, false, &m);
		assert_true(v == SVC_SOFT || v == SVC_HARD);
	}
	assert_int_equal(svc_smb_parse(samba_reply, len, true, &m), SVC_NONE);
	/* Samba 4.17.12 with SMB1 off: no dialect (0xFFFF), then it closes */
	static const uint8_t off[] = {0, 0, 0,	  0x25, 0xff, 0x53, 0x4d, 0x42, 0x72, 0,    0,
				      0, 0, 0x88, 0x03, 0xc0, 0,    0,	  0,	0,    0,    0,
				      0, 0, 0,	  0,	0,    0,    0,	  0,	0xff, 0xfe, 0,
				      0, 1, 0,	  1,	0xff, 0xff, 0,	  0};
	assert_int_equal(svc_smb_complete(off, sizeof(off), false), 0); /* it closes */
	assert_int_equal(svc_smb_parse(off, sizeof(off), false, &m), SVC_HARD);
	assert_string_equal(m.product, "Samba smbd");
	assert_string_equal(m.version, "");
	assert_string_equal(m.service, "netbios-ssn");
}

/* RPC: the portmapper's answers as RFC 5531 lays them out (rpcbind 1.2.6
 * answered PROG_MISMATCH 2-4 in the lab) */
static void test_rpc(void **state)
{
	(void)state;
	struct svc_match m;
	uint8_t req[64];
	assert_int_equal(svc_rpc_build(false, req, sizeof(req)), 44);
	assert_int_equal(req[0], 0x80);
	assert_int_equal(req[3], 40);
	assert_int_equal(svc_rpc_build(true, req, sizeof(req)), 40);
	assert_int_equal(svc_rpc_build(true, req, 39), 0);
	/* record mark, xid, REPLY, MSG_ACCEPTED, verifier AUTH_NONE 0,
	 * PROG_MISMATCH, low 2, high 4 */
	static const uint8_t mis[] = {0x80, 0, 0, 32, 'n', 'k', 'r', 'p', 0, 0, 0, 1,
				      0,    0, 0, 0,  0,   0,	0,   0,	  0, 0, 0, 0,
				      0,    0, 0, 2,  0,   0,	0,   2,	  0, 0, 0, 4};
	assert_int_equal(svc_rpc_complete(mis, 10, false), 0);
	assert_int_equal(svc_rpc_complete(mis, sizeof(mis), false), 1);
	assert_int_equal(svc_rpc_complete((const uint8_t *)"SSH-", 4, false), -1);
	assert_int_equal(svc_rpc_parse(mis, sizeof(mis), false, &m), SVC_HARD);
	assert_string_equal(m.service, "rpcbind");
	assert_string_equal(m.version, "2-4");
	assert_string_equal(m.info, "RPC #100000");
	assert_string_equal(m.product, "");
	/* the same over UDP, without the record mark */
	assert_int_equal(svc_rpc_parse(mis + 4, sizeof(mis) - 4, true, &m), SVC_HARD);
	assert_string_equal(m.version, "2-4");
	/* PROG_UNAVAIL: RPC, another program */
	uint8_t un[28];
	memcpy(un, mis, 28);
	un[3] = 24;
	un[27] = 1;
	assert_int_equal(svc_rpc_parse(un, 28, false, &m), SVC_SOFT);
	assert_string_equal(m.service, "rpc");
	/* another transaction's answer, a verifier longer than the reply */
	uint8_t bad[sizeof(mis)];
	memcpy(bad, mis, sizeof(mis));
	bad[4] = 'x';
	assert_int_equal(svc_rpc_parse(bad, sizeof(bad), false, &m), SVC_NONE);
	memcpy(bad, mis, sizeof(mis));
	bad[23] = 200;
	assert_int_equal(svc_rpc_parse(bad, sizeof(bad), false, &m), SVC_SOFT);
}

/* XMPP: Prosody 0.12.3's answers to the stream header, captured in the
 * lab (features on 5222, dialback on 5269) */
static void test_xmpp(void **state)
{
	(void)state;
	struct svc_match m;
	uint8_t req[512];
	size_t n = svc_xmpp_build("desk.lab", false, req, sizeof(req));
	assert_true(n > 0);
	assert_true(svc_find(req, n, "to='desk.lab' xmlns='jabber:client'") > 0);
	n = svc_xmpp_build("desk.lab", true, req, sizeof(req));
	assert_true(svc_find(req, n, "xmlns='jabber:server'") > 0);
	assert_int_equal(svc_xmpp_build("desk.lab", true, req, 20), 0);
	static const char c2s[] =
		"<?xml version='1.0'?><stream:stream xml:lang='en' id='785fbc0a-8a0b-487a-a3f8-"
		"a871cadd8e58' xmlns:stream='http://etherx.jabber.org/streams' "
		"xmlns='jabber:client' version='1.0' from='desk.lab'><stream:features><mechanisms "
		"xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-1</mechanism>"
		"<mechanism>PLAIN</mechanism></mechanisms></stream:features>";
	static const char s2s[] =
		"<?xml version='1.0'?><stream:stream xml:lang='en' "
		"xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:server' "
		"id='8f2f8e8c-cdf6-4d9f-ac76-8cbd10b2c397' xmlns:db='jabber:server:dialback' "
		"from='desk.lab' version='1.0' to=''><stream:features><dialback "
		"xmlns='urn:xmpp:features:dialback'/></stream:features>";
	const uint8_t *c = (const uint8_t *)c2s, *s = (const uint8_t *)s2s;
	assert_int_equal(svc_xmpp_complete(c, 100, false), 0);
	assert_int_equal(svc_xmpp_complete(c, sizeof(c2s) - 1, false), 1);
	assert_int_equal(svc_xmpp_complete((const uint8_t *)"SSH-", 4, false), -1);
	assert_int_equal(svc_xmpp_parse(c, sizeof(c2s) - 1, false, &m), SVC_SOFT);
	assert_string_equal(m.service, "xmpp-client");
	assert_int_equal(svc_xmpp_parse(s, sizeof(s2s) - 1, false, &m), SVC_SOFT);
	assert_string_equal(m.service, "xmpp-server");
	assert_int_equal(svc_xmpp_parse(c, 60, false, &m), SVC_NONE); /* the tag not closed */
	assert_int_equal(svc_xmpp_parse(c, sizeof(c2s) - 1, true, &m), SVC_NONE);
}

/* RDP: xrdp 0.9.21.1's Connection Confirm, captured in the lab (SRC-REF
 * 0x1234, RDP_NEG_RSP selecting TLS) */
static void test_rdp(void **state)
{
	(void)state;
	struct svc_match m;
	uint8_t req[32];
	assert_int_equal(svc_rdp_build(req, sizeof(req)), 19);
	assert_int_equal(req[5], 0xe0);
	assert_int_equal(svc_rdp_build(req, 18), 0);
	static const uint8_t cc[] = {3, 0, 0, 0x13, 0x0e, 0xd0, 0, 0, 0x12, 0x34,
				     0, 2, 1, 8,    0,	  1,	0, 0, 0};
	assert_int_equal(svc_rdp_complete(cc, 3, false), 0);
	assert_int_equal(svc_rdp_complete(cc, 18, false), 0);
	assert_int_equal(svc_rdp_complete(cc, sizeof(cc), false), 1);
	assert_int_equal(svc_rdp_complete((const uint8_t *)"SSH-", 4, false), -1);
	assert_int_equal(svc_rdp_parse(cc, sizeof(cc), false, &m), SVC_HARD);
	assert_string_equal(m.service, "ms-wbt-server");
	assert_string_equal(m.product, "xrdp");
	assert_string_equal(m.cpe[0], "cpe:/a:jay_sorg:xrdp");
	uint8_t other[sizeof(cc)];
	memcpy(other, cc, sizeof(cc));
	other[8] = other[9] = 0; /* another server's SRC-REF */
	assert_int_equal(svc_rdp_parse(other, sizeof(other), false, &m), SVC_SOFT);
	assert_string_equal(m.product, "");
	other[5] = 0xe0; /* not a Connection Confirm */
	assert_int_equal(svc_rdp_parse(other, sizeof(other), false, &m), SVC_NONE);
	other[5] = 0xd0;
	other[4] = 0x20; /* a length indicator past the TPKT */
	assert_int_equal(svc_rdp_parse(other, sizeof(other), false, &m), SVC_NONE);
	assert_int_equal(svc_rdp_parse(cc, sizeof(cc), true, &m), SVC_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ssh),	    cmocka_unit_test(test_http),
		cmocka_unit_test(test_redis),	    cmocka_unit_test(test_memcached),
		cmocka_unit_test(test_pgsql),	    cmocka_unit_test(test_dns),
		cmocka_unit_test(test_fingerprint), cmocka_unit_test(test_wire),
		cmocka_unit_test(test_remote),	    cmocka_unit_test(test_ntp),
		cmocka_unit_test(test_smb),	    cmocka_unit_test(test_rpc),
		cmocka_unit_test(test_xmpp),	    cmocka_unit_test(test_rdp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
