/* Unit tests of --resume's records (cmd/nmap/progress.c, resume.c): what
 * the writer puts in a file reads back the same, records merge per host,
 * malformed ones are refused, files are cut where the records begin, and
 * the hosts a file reports up are counted in each format. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "cmd/nmap/nmap.h"

static void set_v4(struct host *h, const char *a)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)&h->addr;
	s4->sin_family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, a, &s4->sin_addr), 1);
}

/* The records for h's ports into a string (static buffer). */
static char *records(bool xml, const struct host *h, const struct port_result *p, size_t n)
{
	static char buf[1 << 16];
	struct emit *e = malloc(sizeof(*e));
	int fd = memfd_create("rec", 0);
	assert_non_null(e);
	emit_init(e, fd, xml ? EMIT_XML : EMIT_TEXT, 0);
	nmap_progress_record(e, xml, h, p, n);
	emit_flush(e);
	ssize_t got = pread(fd, buf, sizeof(buf) - 1, 0);
	assert_true(got > 0);
	buf[got] = '\0';
	close(fd);
	free(e);
	return buf;
}

static const struct port_result ports[] = {
	{.port = 22,
	 .proto = IPPROTO_TCP,
	 .state = PORT_OPEN,
	 .reason = REASON_SYN_ACK,
	 .reason_ttl = 62},
	{.port = 8081, .proto = IPPROTO_TCP, .state = PORT_FILTERED, .reason = REASON_NO_RESPONSE},
	{.port = 53,
	 .proto = IPPROTO_UDP,
	 .state = PORT_OPEN,
	 .reason = REASON_UDP_RESPONSE,
	 .reason_ttl = 64},
	{.port = 47, .proto = 0, .state = PORT_OPEN_FILTERED, .reason = REASON_NO_RESPONSE},
};

static void check_roundtrip(bool xml)
{
	struct host h = {.status = HOST_UP,
			 .reason = REASON_ARP_RESPONSE,
			 .reason_ttl = 0,
			 .has_mac = true,
			 .mac = {0x02, 0xab, 0, 1, 2, 0xff},
			 .rtt = 0.00042,
			 .start = 1795638480.25};
	set_v4(&h, "198.18.3.10");
	h.rdns = "odd name--x.lab"; /* a space and "--" must not break the line */
	char *text = records(xml, &h, ports, 4);
	if (xml) {
		assert_true(!strncmp(text, "<!-- netkit-resume 198.18.3.10 ", 31));
		assert_null(strstr(text + 4, "--x")); /* no "--" inside the comment */
	} else {
		assert_true(!strncmp(text, "# netkit-resume 198.18.3.10 up arp-response 0 ", 46));
	}
	struct nmap_partial pt = {0};
	assert_int_equal(nmap_progress_parse(text, &pt), 0);
	assert_int_equal(pt.n, 1);
	struct host got = {0};
	set_v4(&got, "198.18.3.10");
	assert_true(nmap_progress_take(&pt, &got));
	assert_int_equal(got.status, HOST_UP);
	assert_int_equal(got.reason, REASON_ARP_RESPONSE);
	assert_true(got.has_mac && got.mac[1] == 0xab && got.mac[5] == 0xff);
	assert_true(got.rtt > 0.000419 && got.rtt < 0.000421);
	assert_true(got.start > 1795638480.2 && got.start < 1795638480.3);
	assert_string_equal(got.rdns, "odd name--x.lab");
	assert_int_equal(got.nports, 4);
	assert_memory_equal(got.ports, ports, sizeof(ports));
	/* taken: a second host of that address finds nothing */
	struct host again = {0};
	set_v4(&again, "198.18.3.10");
	assert_false(nmap_progress_take(&pt, &again));
	host_clear(&got);
	nmap_progress_free(&pt);
}

static void test_roundtrip_text(void **state)
{
	(void)state;
	check_roundtrip(false);
}

static void test_roundtrip_xml(void **state)
{
	(void)state;
	check_roundtrip(true);
}

/* Several batches of one host merge; a port twice keeps its last copy;
 * a second host stays apart; "cut" markers are not hosts. */
static void test_merge(void **state)
{
	(void)state;
	const char *text = "# netkit nmap scan initiated ... as: nmap -p 1-100 x\n"
			   "Nmap scan report for 198.18.3.9\n\n"
			   "# netkit-resume 198.18.3.10 up echo-reply 62 - 0.001 10.5 - "
			   "tcp/22/open/syn-ack/62 tcp/23/closed/reset/62\n"
			   "# netkit-resume 198.18.3.11 up echo-reply 62 - 0.002 10.5 web.lab "
			   "tcp/80/open/syn-ack/62\n"
			   "# netkit-resume 198.18.3.10 up echo-reply 61 - 0.003 10.5 target.lab "
			   "tcp/23/filtered/no-response/0 tcp/24/closed/reset/62\n"
			   "# netkit-resume cut\n"
			   "# Nmap done at ...\n";
	struct nmap_partial pt = {0};
	assert_int_equal(nmap_progress_parse(text, &pt), 0);
	assert_int_equal(pt.n, 2);
	struct host h = {0};
	set_v4(&h, "198.18.3.10");
	assert_true(nmap_progress_take(&pt, &h));
	assert_int_equal(h.reason_ttl, 61); /* the latest record's host fields */
	assert_string_equal(h.rdns, "target.lab");
	assert_int_equal(h.nports, 3);
	host_sort_ports(&h);
	assert_int_equal(h.ports[1].port, 23);
	assert_int_equal(h.ports[1].state, PORT_FILTERED);
	host_clear(&h);
	nmap_progress_free(&pt);
	/* the file is cut where the first record's line begins */
	off_t cut = nmap_progress_cut(text);
	assert_true(cut > 0);
	assert_true(!strncmp(text + cut, "# netkit-resume 198.18.3.10 ", 28));
	assert_int_equal(nmap_progress_cut("no records here\n"), -1);
	/* a finished normal or grepable file is cut before its trailer */
	const char *done = "# header\nHost: 1.2.3.4 ()\tStatus: Up\n# Nmap done at x\n";
	assert_string_equal(done + nmap_resume_text_cut(done), "# Nmap done at x\n");
	const char *v =
		"# header\nNmap scan report for a\n\nRead data files from: /x\n# Nmap done\n";
	assert_string_equal(v + nmap_resume_text_cut(v), "Read data files from: /x\n# Nmap done\n");
	assert_int_equal(nmap_resume_text_cut("# header\n"), 9);
}

static void test_malformed(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"# netkit-resume 198.18.3.10 up echo-reply 62 - 0.1 1 - tcp/22/opened/syn-ack/62\n",
		"# netkit-resume 198.18.3.10 up echo-reply 62 - 0.1 1 - "
		"tcp/65536/open/syn-ack/62\n",
		"# netkit-resume 198.18.3.10 up echo-reply 62 - 0.1 1 - tcp/22/open/syn-ack\n",
		"# netkit-resume 198.18.3.10 up echo-reply 62 - 0.1 1 - xyz/22/open/syn-ack/1\n",
		"# netkit-resume 198.18.3.10 up echo-reply 62 - 0.1 1 - tcp/22/open/syn-ack/256\n",
		"# netkit-resume 198.18.3.10 down echo-reply 62 - 0.1 1 -\n",
		"# netkit-resume 198.18.3.300 up echo-reply 62 - 0.1 1 -\n",
		"# netkit-resume 198.18.3.10 up bogus-reason 62 - 0.1 1 -\n",
		"# netkit-resume 198.18.3.10 up echo-reply 62 02:ab 0.1 1 -\n",
		"# netkit-resume 198.18.3.10 up echo-reply 62 - x 1 -\n",
		"# netkit-resume 198.18.3.10 up echo-reply\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct nmap_partial pt = {0};
		assert_int_equal(nmap_progress_parse(bad[i], &pt), -EINVAL);
		nmap_progress_free(&pt);
	}
}

static void test_count_up(void **state)
{
	(void)state;
	assert_int_equal(nmap_resume_count_up("# Nmap 7.93 scan initiated x as: nmap a\n"
					      "Nmap scan report for a (1.2.3.4)\nHost is up.\n"
					      "Nmap scan report for 1.2.3.5 [host down]\n"
					      "Nmap scan report for 1.2.3.6\nHost is up.\n"),
			 2);
	assert_int_equal(nmap_resume_count_up("# Nmap 7.93 scan initiated x as: nmap a\n"
					      "Host: 1.2.3.4 ()\tStatus: Up\n"
					      "Host: 1.2.3.4 ()\tPorts: 22/open/tcp//ssh///\n"
					      "Host: 1.2.3.5 ()\tStatus: Down\n"),
			 1);
	assert_int_equal(
		nmap_resume_count_up("<nmaprun>\n<hosthint><status state=\"up\"/>"
				     "</hosthint>\n<host><status state=\"down\"/></host>\n"
				     "<host starttime=\"1\"><status state=\"up\"/></host>\n"
				     "<hostnames/>\n"),
		1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_text), cmocka_unit_test(test_roundtrip_xml),
		cmocka_unit_test(test_merge),	       cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_count_up),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
