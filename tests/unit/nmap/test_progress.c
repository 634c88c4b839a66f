/* SPDX-License-Identifier: Apache-2.0 */
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
#include <time.h>
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
	for (size_t i = 0; i < 4; i++) { /* the same results, in any order */
		size_t j = 0;
		while (j < 4 && memcmp(&got.ports[j], &ports[i], sizeof(ports[i])))
			j++;
		assert_true(j < 4);
	}
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
			   "tcp/open/syn-ack/62=22 tcp/closed/reset/62=23\n"
			   "# netkit-resume 198.18.3.11 up echo-reply 62 - 0.002 10.5 web.lab "
			   "tcp/open/syn-ack/62=80\n"
			   "# netkit-resume 198.18.3.10 up echo-reply 61 - 0.003 10.5 target.lab "
			   "tcp/filtered/no-response/0=23 tcp/closed/reset/62=24\n"
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

/* A batch of many ports in random order is written as ranges per result
 * and reads back as the same set. */
static void test_ranges(void **state)
{
	(void)state;
	static struct port_result v[3000];
	size_t n = 0;
	for (unsigned i = 0; i < 3000; i++) {
		unsigned port = (i * 7919u) % 3000u + 1; /* a permutation of 1..3000 */
		bool open = port == 22 || port == 80 || port == 443;
		v[n++] =
			(struct port_result){.port = (uint16_t)port,
					     .proto = IPPROTO_TCP,
					     .state = open			     ? PORT_OPEN
						      : port >= 8081 && port <= 8082 ? PORT_FILTERED
										     : PORT_CLOSED,
					     .reason = open ? REASON_SYN_ACK : REASON_RESET,
					     .reason_ttl = 62};
	}
	struct host h = {.status = HOST_UP, .reason = REASON_ECHO_REPLY, .rtt = 0.001};
	set_v4(&h, "198.18.3.10");
	char *text = records(false, &h, v, n);
	assert_non_null(strstr(text, " tcp/open/syn-ack/62=22,80,443 "));
	assert_non_null(strstr(text, " tcp/closed/reset/62=1-21,23-79,81-442,444-3000\n"));
	assert_true(strlen(text) < 200); /* not 3000 words */
	struct nmap_partial pt = {0};
	assert_int_equal(nmap_progress_parse(text, &pt), 0);
	struct host got = {0};
	set_v4(&got, "198.18.3.10");
	assert_true(nmap_progress_take(&pt, &got));
	assert_int_equal(got.nports, 3000);
	host_sort_ports(&got);
	for (unsigned i = 0; i < 3000; i++) {
		assert_int_equal(got.ports[i].port, i + 1);
		bool open = i + 1 == 22 || i + 1 == 80 || i + 1 == 443;
		assert_int_equal(got.ports[i].state, open ? PORT_OPEN : PORT_CLOSED);
	}
	host_clear(&got);
	nmap_progress_free(&pt);
}

/* Resuming XML: between the last host and the records, the task the
 * interruption cut short is dropped (the resumed run begins it again);
 * finished tasks and host hints stay. */
static void test_open_tasks(void **state)
{
	(void)state;
	static const char text[] =
		"<nmaprun>\n<verbose level=\"1\"/>\n<debugging level=\"0\"/>\n"
		"<host><status state=\"up\"/>\n</host>\n"
		"<taskbegin task=\"Ping Scan\" time=\"1\"/>\n"
		"<hosthint><status state=\"up\"/>\n</hosthint>\n"
		"<taskend task=\"Ping Scan\" time=\"1\" extrainfo=\"1 total hosts\"/>\n"
		"<taskbegin task=\"SYN Stealth Scan\" time=\"1\"/>\n"
		"<taskprogress task=\"SYN Stealth Scan\" time=\"2\" percent=\"5.00\"/>\n"
		"<!-- netkit-resume 198.18.3.10 up echo-reply 62 - 0.1 1 - tcp/open/syn-ack/62=22 "
		"-->\n";
	off_t cut = nmap_progress_cut(text);
	off_t from = nmap_resume_xml_region(text, cut);
	assert_true(!strncmp(text + from, "<taskbegin task=\"Ping Scan\"", 27));
	char buf[sizeof(text)];
	memcpy(buf, text, sizeof(text));
	size_t n = nmap_resume_drop_open_tasks(buf + from, (size_t)(cut - from), buf + from);
	buf[from + (off_t)n] = '\0';
	assert_string_equal(
		buf + from,
		"<taskbegin task=\"Ping Scan\" time=\"1\"/>\n"
		"<hosthint><status state=\"up\"/>\n</hosthint>\n"
		"<taskend task=\"Ping Scan\" time=\"1\" extrainfo=\"1 total hosts\"/>\n");
	/* no host finished yet: the region starts after <debugging> */
	const char *first = strstr(text, "<host>");
	char one[sizeof(text)];
	snprintf(one, sizeof(one), "%.*s%s", (int)(first - text), text, strstr(text, "<taskbegin"));
	cut = nmap_progress_cut(one);
	assert_true(!strncmp(one + nmap_resume_xml_region(one, cut), "<taskbegin", 10));
}

static void test_malformed(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"# netkit-resume 198.18.3.10 up echo-reply 62 - 0.1 1 - tcp/opened/syn-ack/62=22\n",
		"# netkit-resume 198.18.3.10 up echo-reply 62 - 0.1 1 - "
		"tcp/open/syn-ack/62=65536\n",
		"# netkit-resume 198.18.3.10 up echo-reply 62 - 0.1 1 - tcp/open/syn-ack=22\n",
		"# netkit-resume 198.18.3.10 up echo-reply 62 - 0.1 1 - xyz/open/syn-ack/1=22\n",
		"# netkit-resume 198.18.3.10 up echo-reply 62 - 0.1 1 - tcp/open/syn-ack/256=22\n",
		"# netkit-resume 198.18.3.10 up echo-reply 62 - 0.1 1 - tcp/open/syn-ack/62=\n",
		"# netkit-resume 198.18.3.10 up echo-reply 62 - 0.1 1 - tcp/open/syn-ack/62=9-3\n",
		"# netkit-resume 198.18.3.10 up echo-reply 62 - 0.1 1 - tcp/open/syn-ack/62=1,\n",
		"# netkit-resume 198.18.3.10 up echo-reply 62 - 0.1 1 - tcp/open/syn-ack/62=1,,2\n",
		"# netkit-resume 198.18.3.10 up echo-reply 62 - 0.1 1 - tcp/open/syn-ack/62=-5\n",
		"# netkit-resume 198.18.3.10 up echo-reply 62 - 0.1 1 - tcp/open/syn-ack/62\n",
		"# netkit-resume 198.18.3.10 up echo-reply 62 - 0.1 1 - tcp/open/syn-ack/6x=1\n",
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

/* -sV's "svc" records: a TCP port's service back into its host (strings
 * and answers %XX-escaped, NUL bytes too); malformed ones are refused; one
 * for a host the records do not hold is left out. */
static void test_service_records(void **state)
{
	(void)state;
	const char *text =
		"# netkit-resume 198.18.3.10 up syn-ack 62 - 0.1 1 - tcp/open/syn-ack/62=22,7002\n"
		"# netkit-resume svc 198.18.3.10 tcp/22 0 0 10 ssh OpenSSH 9%2E2p1 "
		"protocol%202%2E0 - Linux - SSH%2D2%2E0 1 cpe%3A%2Fo%3Alinux - 0\n"
		"# netkit-resume svc 198.18.3.10 tcp/7002 3 1 0 - - - - - - - - 0 "
		"SF%2DPort7002 2 NULL a%00%25b crlf -\n"
		"# netkit-resume svc 198.18.3.99 tcp/80 0 0 10 http - - - - - - - 0 - 0\n";
	struct nmap_partial pt = {0};
	assert_int_equal(nmap_progress_parse(text, &pt), 0);
	struct host got = {0};
	set_v4(&got, "198.18.3.10");
	assert_true(nmap_progress_take(&pt, &got));
	assert_int_equal(got.nsvcs, 2);
	const struct port_service *ssh = host_service(&got, IPPROTO_TCP, 22);
	assert_non_null(ssh);
	assert_int_equal(ssh->kind, PSVC_MATCHED);
	assert_string_equal(ssh->m.service, "ssh");
	assert_string_equal(ssh->m.version, "9.2p1");
	assert_string_equal(ssh->m.info, "protocol 2.0");
	assert_string_equal(ssh->m.hostname, "");
	assert_string_equal(ssh->m.evidence, "SSH-2.0");
	assert_int_equal(ssh->m.conf, 10);
	assert_int_equal(ssh->m.ncpe, 1);
	assert_string_equal(ssh->m.cpe[0], "cpe:/o:linux");
	const struct port_service *u = host_service(&got, IPPROTO_TCP, 7002);
	assert_non_null(u);
	assert_int_equal(u->kind, PSVC_UNRECOGNIZED);
	assert_true(u->tunnel_ssl);
	assert_string_equal(u->fp, "SF-Port7002");
	assert_int_equal(u->nresp, 2);
	assert_string_equal(u->resp[0].probe, "NULL");
	assert_int_equal(u->resp[0].len, 4);
	assert_memory_equal(u->resp[0].data, "a\0%b", 4);
	assert_int_equal(u->resp[1].len, 0);
	host_clear(&got);
	nmap_progress_free(&pt);
	static const char *const bad[] = {
		"# netkit-resume svc 198.18.3.10 udp/53 0 0 10 a b c d e f g h 0 - 0\n",
		"# netkit-resume svc 198.18.3.10 tcp/22 4 0 10 a b c d e f g h 0 - 0\n",
		"# netkit-resume svc 198.18.3.10 tcp/22 0 2 10 a b c d e f g h 0 - 0\n",
		"# netkit-resume svc 198.18.3.10 tcp/22 0 0 10 a b c d e f g\n",
		"# netkit-resume svc 198.18.3.10 tcp/22 0 0 10 a b c d e f g h 9 - 0\n",
		"# netkit-resume svc 198.18.3.10 tcp/22 0 0 10 a b c d e f g h 0 - 17\n",
		"# netkit-resume svc 198.18.3.10 tcp/22 0 0 10 a b c d e f g h 0 - 2 NULL x\n",
		"# netkit-resume svc nohost tcp/22 0 0 10 a b c d e f g h 0 - 0\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct nmap_partial p2 = {0};
		assert_int_equal(nmap_progress_parse(bad[i], &p2), -EINVAL);
		nmap_progress_free(&p2);
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

static char *read_fd(int fd)
{
	static char buf[2][8192];
	static int which;
	char *b = buf[which ^= 1];
	ssize_t n = pread(fd, b, sizeof(buf[0]) - 1, 0);
	assert_true(n >= 0);
	b[n] = '\0';
	return b;
}

/* The engine's events as -v lines on the terminal and XML task elements;
 * resume records go to the sidecar, which a finished host empties. */
static void test_events(void **state)
{
	(void)state;
	struct nmap_ctx *c = calloc(1, sizeof(*c));
	assert_non_null(c);
	c->o.verbose = 1;
	c->o.cfg.scans = SCAN_SYN;
	struct nmap_output *term = &c->out[OUT_MAX], *xml = &c->out[OUT_XML];
	struct emit *e1 = malloc(sizeof(*e1)), *e2 = malloc(sizeof(*e2));
	*term = (struct nmap_output){.kind = OUT_NORMAL,
				     .used = true,
				     .to_stdout = true,
				     .e = e1,
				     .fd = memfd_create("t", 0)};
	*xml = (struct nmap_output){
		.kind = OUT_XML, .used = true, .e = e2, .fd = memfd_create("x", 0)};
	emit_init(e1, term->fd, EMIT_TEXT, 0);
	emit_init(e2, xml->fd, EMIT_XML, 0);
	struct host h = {.rdns = "target.lab", .status = HOST_UP};
	set_v4(&h, "198.18.3.10");
	struct port_result p = {.port = 22, .proto = IPPROTO_TCP, .state = PORT_OPEN};
	double when = 1795638288;
	struct scan_event evs[] = {
		{.kind = SCAN_EV_BEGIN, .task = TASK_DNS, .nhosts = 2, .when = when},
		{.kind = SCAN_EV_END,
		 .task = TASK_DNS,
		 .nhosts = 2,
		 .elapsed = 0.004,
		 .when = when},
		{.kind = SCAN_EV_UP, .h = &h, .when = when},
		{.kind = SCAN_EV_BEGIN,
		 .task = TASK_PORTS,
		 .scan = SCAN_SYN,
		 .nhosts = 1,
		 .nprobes = 1000,
		 .h = &h,
		 .when = when},
		{.kind = SCAN_EV_OPEN, .task = TASK_PORTS, .h = &h, .port = &p, .when = when},
		{.kind = SCAN_EV_END,
		 .task = TASK_PORTS,
		 .scan = SCAN_SYN,
		 .nhosts = 2,
		 .nprobes = 1000,
		 .elapsed = 0.05,
		 .when = when},
	};
	for (size_t i = 0; i < sizeof(evs) / sizeof(evs[0]); i++)
		nmap_event(c, &evs[i]);
	char *t = read_fd(term->fd);
	char hm[16];
	time_t tt = (time_t)when;
	struct tm tm;
	localtime_r(&tt, &tm);
	strftime(hm, sizeof(hm), "%H:%M", &tm);
	char want[1024];
	snprintf(want, sizeof(want),
		 "Initiating Parallel DNS resolution of 2 hosts. at %s\n"
		 "Completed Parallel DNS resolution of 2 hosts. at %s, 0.00s elapsed\n"
		 "Initiating SYN Stealth Scan at %s\n"
		 "Scanning target.lab (198.18.3.10) [1000 ports]\n"
		 "Discovered open port 22/tcp on 198.18.3.10\n"
		 "Completed SYN Stealth Scan at %s, 0.05s elapsed (2000 total ports)\n",
		 hm, hm, hm, hm);
	assert_string_equal(t, want);
	char *x = read_fd(xml->fd);
	assert_non_null(strstr(x, "<taskbegin task=\"Parallel DNS resolution of 2 hosts.\" "
				  "time=\"1795638288\"/>\n<taskend task=\"Parallel DNS resolution "
				  "of 2 hosts.\" time=\"1795638288\"/>\n<hosthint><status "
				  "state=\"up\" reason=\"unknown-response\""));
	assert_non_null(strstr(x, "<taskend task=\"SYN Stealth Scan\" time=\"1795638288\" "
				  "extrainfo=\"2000 total ports\"/>\n"));
	assert_null(strstr(x, "Discovered"));
	/* records go to the sidecar, not to the file; a finished host empties it */
	size_t before = strlen(x);
	struct emit *es = malloc(sizeof(*es));
	xml->side = es;
	xml->side_fd = memfd_create("s", 0);
	emit_init(es, xml->side_fd, EMIT_TEXT, 0);
	nmap_progress_record(xml->side, false, &h, &p, 1);
	nmap_event(c, &evs[0]);
	emit_flush(xml->side);
	assert_true(!strncmp(read_fd(xml->side_fd), "# netkit-resume 198.18.3.10 ", 28));
	nmap_progress_drop(c);
	assert_string_equal(read_fd(xml->side_fd), "");
	nmap_progress_record(xml->side, false, &h, &p, 1);
	emit_flush(xml->side);
	assert_true(!strncmp(read_fd(xml->side_fd), "# netkit-resume 198.18.3.10 ", 28));
	emit_flush(xml->e);
	x = read_fd(xml->fd);
	assert_string_equal(x + before, "<taskbegin task=\"Parallel DNS resolution of 2 hosts.\" "
					"time=\"1795638288\"/>\n");
	close(xml->side_fd);
	free(es);
	xml->side = NULL;
	/* without -v: no lines, no tasks, but the hint */
	size_t tlen = strlen(read_fd(term->fd));
	c->o.verbose = 0;
	nmap_event(c, &evs[3]);
	nmap_event(c, &evs[2]);
	assert_int_equal(strlen(read_fd(term->fd)), tlen);
	x = read_fd(xml->fd);
	assert_int_equal(strncmp(x + strlen(x) - 12, "</hosthint>\n", 12), 0);
	close(term->fd);
	close(xml->fd);
	free(e1);
	free(e2);
	free(c);
}

/* The host a killed XML file was at is its last <host>, not a later
 * <hosthint> (discovery found that one; it was not scanned yet). */
static void test_resume_last_host(void **state)
{
	(void)state;
	char path[] = "/tmp/nk-resume-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *x = "<!-- netkit nmap scan initiated x as: nmap -p 22 198.18.3.10-11 -->\n"
			"<nmaprun>\n<host starttime=\"1\"><status state=\"up\"/>\n"
			"<address addr=\"198.18.3.10\" addrtype=\"ipv4\"/>\n</host>\n"
			"<hosthint><status state=\"up\"/>\n"
			"<address addr=\"198.18.3.11\" addrtype=\"ipv4\"/>\n</hosthint>\n";
	assert_int_equal(write(fd, x, strlen(x)), (ssize_t)strlen(x));
	close(fd);
	struct nmap_resume r = {0};
	assert_int_equal(nmap_resume_load(path, &r), 0);
	unlink(path);
	assert_true(r.found);
	char a[64];
	assert_string_equal(nmap_addr_str(&r.after, a, sizeof(a)), "198.18.3.10");
	assert_int_equal(r.prior_up, 1);
	assert_int_equal(r.argc, 4);
	free(r.args);
	free(r.argbuf);
	free(r.argv);
	nmap_progress_free(&r.partial);
	free(r.down);
}

/* -v: a down host of the interrupted group is reported before the others
 * are scanned. The resume goes on after the last host reported up, and
 * skips the down one by name, not everything before it. */
static void test_resume_down_early(void **state)
{
	(void)state;
	char path[] = "/tmp/nk-resume-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *t = "# netkit nmap scan initiated x as: nmap -v -p 22 198.18.3.1-5\n"
			"Nmap scan report for 198.18.3.1\nHost is up.\n\n"
			"Nmap scan report for 198.18.3.4 [host down]\n";
	assert_int_equal(write(fd, t, strlen(t)), (ssize_t)strlen(t));
	close(fd);
	struct nmap_resume r = {0};
	assert_int_equal(nmap_resume_load(path, &r), 0);
	unlink(path);
	bool skip[6];
	for (int i = 1; i <= 5; i++) {
		struct host h = {0};
		char a[32];
		snprintf(a, sizeof(a), "198.18.3.%d", i);
		set_v4(&h, a);
		skip[i] = nmap_resume_skip(&r, &h.addr);
	}
	assert_true(skip[1]);
	assert_false(skip[2] || skip[3] || skip[5]);
	assert_true(skip[4]);
	free(r.args);
	free(r.argbuf);
	free(r.argv);
	nmap_progress_free(&r.partial);
	free(r.down);
}

/* -v's timing line by itself: not before the task has run 30 s, then
 * once every 30 s, not with under 30 s to go; XML gets <taskprogress>. */
static void test_auto_timing(void **state)
{
	(void)state;
	struct nmap_ctx *c = calloc(1, sizeof(*c));
	assert_non_null(c);
	c->o.verbose = 1;
	struct nmap_output *term = &c->out[OUT_MAX], *xml = &c->out[OUT_XML];
	struct emit *e1 = malloc(sizeof(*e1)), *e2 = malloc(sizeof(*e2));
	*term = (struct nmap_output){.kind = OUT_NORMAL,
				     .used = true,
				     .to_stdout = true,
				     .e = e1,
				     .fd = memfd_create("t", 0)};
	*xml = (struct nmap_output){
		.kind = OUT_XML, .used = true, .e = e2, .fd = memfd_create("x", 0)};
	emit_init(e1, term->fd, EMIT_TEXT, 0);
	emit_init(e2, xml->fd, EMIT_XML, 0);
	double now = (double)time(NULL);
	struct scan_event ev = {
		.kind = SCAN_EV_BEGIN, .task = TASK_PORTS, .scan = SCAN_SYN, .when = now - 29};
	nmap_event(c, &ev);
	size_t begun = strlen(read_fd(term->fd));
	nmap_status_progress(c, NULL, 0.4, 60);
	assert_int_equal(strlen(read_fd(term->fd)), begun); /* 29 s: too soon */
	c->autotiming.begin = now - 31;
	nmap_status_progress(c, NULL, 0.4, 20);
	assert_int_equal(strlen(read_fd(term->fd)), begun); /* 20 s to go: too late */
	nmap_status_progress(c, NULL, 0.4, 60);
	char *t = read_fd(term->fd) + begun;
	assert_true(!strncmp(t, "SYN Stealth Scan Timing: About 40.00% done; ETC: ", 49));
	assert_non_null(strstr(t, " (0:01:00 remaining)\n"));
	assert_non_null(strstr(read_fd(xml->fd), "<taskprogress task=\"SYN Stealth Scan\" "));
	size_t once = strlen(read_fd(term->fd));
	nmap_status_progress(c, NULL, 0.5, 50);
	assert_int_equal(strlen(read_fd(term->fd)), once); /* the next in 30 s */
	c->autotiming.last = now - 30.5;
	nmap_status_progress(c, NULL, 0.5, 50);
	assert_true(strlen(read_fd(term->fd)) > once);
	once = strlen(read_fd(term->fd));
	c->o.verbose = 0; /* without -v, never */
	c->autotiming.last = now - 60;
	nmap_status_progress(c, NULL, 0.6, 40);
	assert_int_equal(strlen(read_fd(term->fd)), once);
	close(term->fd);
	close(xml->fd);
	free(e1);
	free(e2);
	free(c);
}

/* A file whose scan ended has nothing to resume; a cut or killed one has. */
static void test_resume_finished(void **state)
{
	(void)state;
	assert_true(nmap_resume_finished("# Nmap 7.93 scan initiated X as: nmap x\n"
					 "# Nmap done at X -- 1 IP address (1 host up) scanned\n"));
	assert_false(nmap_resume_finished("# Nmap 7.93 scan initiated X as: nmap x\n"
					  "# Nmap done at X -- 1 IP address (1 host up) scanned in "
					  "1.00 seconds (interrupted)\n"));
	assert_false(nmap_resume_finished("# X as: nmap x\n# netkit-resume cut\n"
					  "# Nmap done at X -- 0 IP addresses (0 hosts up)\n"));
	assert_false(nmap_resume_finished("# X as: nmap x\nNmap scan report for a\n"));
	assert_true(nmap_resume_finished("<nmaprun>\n<runstats><finished time=\"1\" "
					 "exit=\"success\"/></runstats>\n</nmaprun>\n"));
	assert_false(nmap_resume_finished("<nmaprun>\n<runstats><finished time=\"1\" "
					  "exit=\"error\"/></runstats>\n</nmaprun>\n"));
	assert_false(nmap_resume_finished("<nmaprun>\n<host></host>\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_text),
		cmocka_unit_test(test_roundtrip_xml),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_open_tasks),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_service_records),
		cmocka_unit_test(test_count_up),
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_resume_last_host),
		cmocka_unit_test(test_resume_down_early),
		cmocka_unit_test(test_auto_timing),
		cmocka_unit_test(test_resume_finished),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
