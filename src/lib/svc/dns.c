/* SPDX-License-Identifier: Apache-2.0 */
/* DNS: the query "version.bind. CH TXT" (RFC 1035 message format; the
 * CHAOS class and the version.bind name are the servers' convention,
 * documented by BIND, dnsmasq, Unbound and PowerDNS), over UDP or over
 * TCP with the 2-byte length prefix (RFC 1035 section 4.2.2). The TXT
 * string names the server: "dnsmasq-2.90", "9.18.28-1~deb12u2-Debian"
 * (BIND), "unbound 1.17.1", "PowerDNS Authoritative Server 4.7.3". Any
 * well-formed answer to our id, even a refusal, says DNS runs here. */
#include "lib/svc/svc.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const uint8_t query[] = {
	SVC_DNS_ID >> 8,
	SVC_DNS_ID & 0xff,
	0x00,
	0x00, /* id, flags: a standard query */
	0x00,
	0x01,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00, /* 1 question */
	7,
	'v',
	'e',
	'r',
	's',
	'i',
	'o',
	'n',
	4,
	'b',
	'i',
	'n',
	'd',
	0,
	0x00,
	0x10,
	0x00,
	0x03, /* TXT, CH */
};

size_t svc_dns_build(bool tcp, uint8_t *buf, size_t cap)
{
	size_t off = tcp ? 2 : 0;
	if (cap < off + sizeof(query))
		return 0;
	if (tcp) {
		buf[0] = 0;
		buf[1] = sizeof(query);
	}
	memcpy(buf + off, query, sizeof(query));
	return off + sizeof(query);
}

int svc_dns_complete(const uint8_t *b, size_t n, bool udp)
{
	if (udp)
		return 1;
	if (n < 2)
		return 0;
	size_t l = (size_t)b[0] << 8 | b[1];
	if (l < 12)
		return -1;
	return n >= l + 2;
}

/* Skip a (possibly compressed) name at off; the offset after it, or 0. */
static size_t skip_name(const uint8_t *m, size_t n, size_t off)
{
	while (off < n) {
		uint8_t l = m[off];
		if (l == 0)
			return off + 1;
		if ((l & 0xc0) == 0xc0)
			return off + 2 <= n ? off + 2 : 0;
		if (l & 0xc0)
			return 0;
		off += 1 + (size_t)l;
	}
	return 0;
}

static const struct {
	const char *prefix, *product, *cpe;
	char sep; /* between the name and the version */
} servers[] = {
	{"dnsmasq-", "dnsmasq", "cpe:/a:thekelleys:dnsmasq", '-'},
	{"unbound ", "Unbound", "cpe:/a:nlnetlabs:unbound", ' '},
	{"PowerDNS Authoritative Server ", "PowerDNS Authoritative Server",
	 "cpe:/a:powerdns:authoritative", ' '},
	{"PowerDNS Recursor ", "PowerDNS Recursor", "cpe:/a:powerdns:recursor", ' '},
	/* as nmap 7.93 names them (seen in the lab: Debian 12's knot 3.2.6,
	 * no CPE; nsd 4.6.1) */
	{"Knot DNS ", "cz.nic Knot DNS", NULL, ' '},
	{"NSD ", "NLnet Labs NSD", "cpe:/a:nlnetlabs:nsd", ' '},
};

/* BIND's version; a distribution's build ends it with "-Debian" or
 * "-Ubuntu" (its package revision before that), which goes to extrainfo
 * and the OS, as nmap 7.93 shows it (seen in the lab: BIND 9.18.49 of
 * Debian 12's bind9 says "9.18.49-1~deb12u3-Debian"; nmap: version
 * "9.18.49-1~deb12u3", extrainfo "Debian Linux", ostype Linux). */
static void bind_version(struct svc_match *m, const char *txt)
{
	static const struct {
		const char *suffix, *info, *cpe;
	} d[] = {
		{"-Debian", "Debian Linux", "cpe:/o:linux:linux_kernel"},
		{"-Ubuntu", "Ubuntu Linux", "cpe:/o:canonical:ubuntu_linux"},
	};
	size_t n = strlen(txt);
	snprintf(m->product, sizeof(m->product), "ISC BIND");
	snprintf(m->version, sizeof(m->version), "%s", txt);
	for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		size_t k = strlen(d[i].suffix);
		if (n > k && !strcmp(txt + n - k, d[i].suffix)) {
			if (n - k < sizeof(m->version))
				m->version[n - k] = '\0';
			snprintf(m->info, sizeof(m->info), "%s", d[i].info);
			snprintf(m->ostype, sizeof(m->ostype), "Linux");
			svc_add_cpe(m, "cpe:/a:isc:bind", m->version);
			svc_add_cpe(m, d[i].cpe, NULL);
			return;
		}
	}
	svc_add_cpe(m, "cpe:/a:isc:bind", m->version);
}

static void dns_product(struct svc_match *m, const char *txt)
{
	for (size_t i = 0; i < sizeof(servers) / sizeof(servers[0]); i++) {
		size_t k = strlen(servers[i].prefix);
		if (strncmp(txt, servers[i].prefix, k))
			continue;
		snprintf(m->product, sizeof(m->product), "%s", servers[i].product);
		snprintf(m->version, sizeof(m->version), "%s", txt + k);
		if (servers[i].cpe)
			svc_add_cpe(m, servers[i].cpe, m->version);
		return;
	}
	/* BIND answers its bare version: "9.18.28-1~deb12u2-Debian" */
	if (txt[0] == '9' && txt[1] == '.' && isdigit((unsigned char)txt[2])) {
		bind_version(m, txt);
		return;
	}
	snprintf(m->info, sizeof(m->info), "version.bind: %s", txt);
}

/* The first TXT string of the first answer, or false. */
static bool first_txt(const uint8_t *b, size_t n, char *out, size_t cap)
{
	size_t off = skip_name(b, n, 12);
	if (!off || off + 4 > n)
		return false;
	off = skip_name(b, n, off + 4);
	if (!off || off + 10 > n)
		return false;
	unsigned type = (unsigned)b[off] << 8 | b[off + 1];
	size_t rdlen = (size_t)b[off + 8] << 8 | b[off + 9];
	off += 10;
	if (type != 16 || rdlen < 1 || off + rdlen > n || b[off] + 1u > rdlen)
		return false;
	svc_copy(out, cap, (const char *)b + off + 1, b[off]);
	return *out != '\0';
}

enum svc_verdict svc_dns_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m)
{
	if (!udp) {
		if (n < 2 || n < ((size_t)b[0] << 8 | b[1]) + 2)
			return SVC_NONE;
		n = (size_t)b[0] << 8 | b[1];
		b += 2;
	}
	/* our id, a response (QR), one question */
	if (n < 12 || ((unsigned)b[0] << 8 | b[1]) != SVC_DNS_ID || !(b[2] & 0x80) || b[4] ||
	    b[5] != 1)
		return SVC_NONE;
	svc_match_reset(m, "domain");
	m->conf = 10;
	unsigned ancount = (unsigned)b[6] << 8 | b[7], rcode = b[3] & 0x0f;
	char txt[96] = "";
	if (rcode || !ancount || !first_txt(b, n, txt, sizeof(txt))) {
		snprintf(m->evidence, sizeof(m->evidence), "rcode %u, %u answers", rcode, ancount);
		return SVC_SOFT;
	}
	snprintf(m->evidence, sizeof(m->evidence), "version.bind TXT \"%s\"", txt);
	dns_product(m, txt);
	return m->product[0] ? SVC_HARD : SVC_SOFT;
}
