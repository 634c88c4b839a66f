/* SPDX-License-Identifier: Apache-2.0 */
/* nmap's firewall/IDS evasion and spoofing options, read as nmap 7.93
 * reads them (its atoi() forms and its words for what it refuses): the
 * payload options (--data, --data-string, --data-length), -g, --ttl, -S
 * and -e. The engine (src/engine/nmap) puts them into the packets. */
#include "cmd/nmap/nmap.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#define QUIT 1

static int quit(const char *msg, const char *arg)
{
	fprintf(stderr, msg, arg);
	fprintf(stderr, "\nQUITTING!\n");
	return QUIT;
}

/* --data's hex: "0xAABB..." or "AABB...", an even number of digits */
int nmap_parse_hex(const char *s, uint8_t *out, size_t cap)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	size_t n = strlen(s);
	if (!n || n % 2 || n / 2 > cap)
		return -1;
	for (size_t i = 0; i < n; i += 2) {
		if (!isxdigit((unsigned char)s[i]) || !isxdigit((unsigned char)s[i + 1]))
			return -1;
		char b[3] = {s[i], s[i + 1], 0};
		out[i / 2] = (uint8_t)strtoul(b, NULL, 16);
	}
	return (int)(n / 2);
}

/* --data (0), --data-string (1), --data-length (2): one of them, once.
 * --data-length's bytes are random, drawn once for every probe, as
 * nmap's are. */
int nmap_opt_data(struct nmap_opts *o, const char *arg, long which)
{
	struct scan_config *c = &o->cfg;
	if (o->data_set)
		return quit("Can't use the --data option(s) multiple times, or together.%s", "");
	o->data_set = true;
	long n;
	if (which == 0) {
		n = nmap_parse_hex(arg, o->data, sizeof(o->data));
		if (n < 0)
			return quit("Invalid hex string specified%s", "");
	} else if (which == 1) {
		n = (long)strlen(arg);
		if (n > (long)sizeof(o->data))
			n = sizeof(o->data);
		memcpy(o->data, arg, (size_t)n);
	} else {
		n = atol(arg);
		if (n < 0 || n > NMAP_DATA_MAX)
			return quit("data-length must be between 0 and %s", NMAP_DATA_MAX_S);
		if (n && getrandom(o->data, (size_t)n, 0) != n)
			return quit("getrandom: %s", strerror(errno));
	}
	if (n > 1400)
		fprintf(stderr, "WARNING: Payloads bigger than 1400 bytes may not be sent "
				"successfully.\n");
	c->data = n ? o->data : NULL;
	c->data_length = (unsigned)n;
	return 0;
}

/* -g/--source-port: atoi() into 16 bits (-g 70000 is 4464, -g x is 0) */
int nmap_opt_sport(struct nmap_opts *o, const char *arg)
{
	o->cfg.source_port = (uint16_t)atoi(arg);
	if (o->cfg.source_port == 0)
		fprintf(stderr, "WARNING: a source port of zero may not work on all systems.\n");
	return 0;
}

/* --ttl: atoi(), 0-255 */
int nmap_opt_ttl(struct nmap_opts *o, const char *arg)
{
	int v = atoi(arg);
	if (v < 0 || v > 255)
		return quit("ttl option must be a number between 0 and 255 (inclusive)%s", "");
	o->cfg.ttl = v;
	return 0;
}

/* -S ADDR: an address or a name, in the family of the scan (-6 may come
 * after it, so it is resolved when the options are all read) */
int nmap_opt_source(struct nmap_opts *o, const char *arg)
{
	o->source_arg = arg;
	return 0;
}

static int resolve_source(struct nmap_opts *o)
{
	struct scan_config *c = &o->cfg;
	struct addrinfo hints = {.ai_family = c->af}, *res = NULL;
	int r = getaddrinfo(o->source_arg, NULL, &hints, &res);
	if (r) {
		fprintf(stderr, "Failed to resolve/decode supposed %s source address \"%s\": %s\n",
			c->af == AF_INET6 ? "IPv6" : "IPv4", o->source_arg, gai_strerror(r));
		fprintf(stderr, "QUITTING!\n");
		return QUIT;
	}
	memcpy(&c->source, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	return 0;
}

/* -f (data 8, each adds 8; --ff 16) and --mtu N (data 0: sets it) */
int nmap_opt_frag(struct nmap_opts *o, const char *arg, long add)
{
	if (add) {
		o->cfg.mtu += (unsigned)add;
		return 0;
	}
	int v = atoi(arg);
	if (v <= 0 || v % 8)
		return quit("Data payload MTU must be >0 and multiple of 8%s", "");
	o->cfg.mtu = (unsigned)v;
	return 0;
}

int nmap_opt_decoys(struct nmap_opts *o, const char *arg)
{
	o->decoy_arg = arg; /* read once -6 is known */
	return 0;
}

/* A random address of the kind nmap's RND decoys are: not private,
 * loopback, link-local, multicast or reserved, and none of the lab's
 * benchmarking block. */
static void random_decoy(struct sockaddr_storage *ss)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	uint32_t a;
	for (;;) {
		if (getrandom(&a, sizeof(a), 0) != sizeof(a))
			a = (uint32_t)rand();
		uint8_t b0 = (uint8_t)(a >> 24), b1 = (uint8_t)(a >> 16);
		if (b0 == 0 || b0 == 10 || b0 == 127 || b0 >= 224 || (b0 == 169 && b1 == 254) ||
		    (b0 == 172 && (b1 & 0xf0) == 16) || (b0 == 192 && b1 == 168) ||
		    (b0 == 100 && (b1 & 0xc0) == 64) || (b0 == 198 && (b1 & 0xfe) == 18))
			continue;
		break;
	}
	memset(ss, 0, sizeof(*ss));
	s4->sin_family = AF_INET;
	s4->sin_addr.s_addr = htonl(a);
}

static int add_decoy(struct nmap_opts *o, const struct sockaddr_storage *ss)
{
	if (o->ndecoys >= NMAP_MAX_DECOYS)
		return quit(
			"You are only allowed %s decoys (if you need more redefine MAX_DECOYS in "
			"nmap.h)",
			NMAP_MAX_DECOYS_S);
	o->decoys[o->ndecoys++] = *ss;
	return 0;
}

/* -D decoy1,decoy2[,ME],...: names or addresses, RND[:N] for N random
 * ones, ME (once) where our own probe goes, else at a random place. */
static int parse_decoys(struct nmap_opts *o)
{
	char *dup = strdup(o->decoy_arg), *save = NULL, *t = dup;
	bool me = false;
	int rc = 0;
	if (!dup)
		return QUIT;
	o->ndecoys = 0;
	for (char *end; !rc && t; t = end) {
		end = strchr(t, ',');
		if (end)
			*end++ = '\0';
		struct sockaddr_storage ss;
		if (!strcasecmp(t, "ME")) {
			if (me)
				rc = quit("Can only use 'ME' as a decoy once.\n%s", "");
			me = true;
			o->cfg.decoy_me = o->ndecoys;
		} else if (!strncasecmp(t, "RND", 3) && (!t[3] || t[3] == ':')) {
			int n = t[3] ? atoi(t + 4) : 1;
			if (n <= 0)
				rc = quit("Bad 'rnd' decoy \"%s\"", t);
			for (int i = 0; !rc && i < n; i++) {
				random_decoy(&ss);
				rc = add_decoy(o, &ss);
			}
		} else {
			struct addrinfo hints = {.ai_family = o->cfg.af}, *res = NULL;
			int r = getaddrinfo(t, NULL, &hints, &res);
			if (r) {
				fprintf(stderr,
					"Failed to resolve decoy host \"%s\": %s\nQUITTING!\n", t,
					gai_strerror(r));
				rc = QUIT;
			} else {
				memset(&ss, 0, sizeof(ss));
				memcpy(&ss, res->ai_addr, res->ai_addrlen);
				freeaddrinfo(res);
				rc = add_decoy(o, &ss);
			}
		}
	}
	(void)save;
	free(dup);
	if (!rc && !me) {
		uint32_t r = 0;
		if (getrandom(&r, sizeof(r), 0) != sizeof(r))
			r = (uint32_t)rand();
		o->cfg.decoy_me = o->ndecoys ? r % (o->ndecoys + 1) : 0;
	}
	o->cfg.decoys = o->decoys;
	o->cfg.ndecoys = o->ndecoys;
	return rc;
}

/* -f with what nmap can fragment: its TCP port scans, or TCP and ICMP
 * timestamp/mask host discovery probes; IPv4 only */
static int check_frag(struct nmap_opts *o)
{
	const struct scan_config *c = &o->cfg;
	if (!c->mtu)
		return 0;
	unsigned tcp =
		SCAN_SYN | SCAN_ACK | SCAN_FIN | SCAN_MAIMON | SCAN_NULL | SCAN_WINDOW | SCAN_XMAS;
	unsigned pings = PING_TCP_SYN | PING_TCP_ACK | PING_ICMP_TS | PING_ICMP_MASK;
	bool scan_ok = c->scans ? (c->scans & tcp) : !o->list_scan && !c->ping_only;
	bool ping_ok = !c->skip_discovery && !o->list_scan && (!c->pings || (c->pings & pings));
	if (!scan_ok && !ping_ok)
		return quit(
			"Fragscan only works with TCP, ICMP Timestamp or ICMP Mask (mtu=8) ping "
			"types or ACK, FIN, Maimon, NULL, SYN, Window, and XMAS scan types%s",
			"");
	if (c->af == AF_INET6)
		return quit("Random targets, FTP bounce scan, and fragmentation are not supported "
			    "with IPv6.%s",
			    "");
	return 0;
}

static int check_proxies(struct nmap_opts *o);

/* After all options: -S resolved; -e names an interface; a -S address
 * that is not this machine's needs -e (nmap cannot tell the interface
 * from a spoofed source). */
int nmap_check_evasion(struct nmap_opts *o)
{
	struct scan_config *c = &o->cfg;
	if (o->source_arg && resolve_source(o))
		return QUIT;
	if (check_frag(o) || (o->decoy_arg && parse_decoys(o)))
		return QUIT;
	int rc = o->proxies_arg ? check_proxies(o) : 0;
	if (rc)
		return rc;
	if (o->defeat_rst_given &&
	    ((c->scans && !(c->scans & SCAN_SYN)) || o->list_scan || c->ping_only))
		return quit("Option --defeat-rst-ratelimit works only with a SYN scan (-sS)%s", "");
	if (c->iface[0] && !if_nametoindex(c->iface) && !o->source_arg)
		return quit("I cannot figure out what source address to use for device %s, does it "
			    "even exist?",
			    c->iface);
	if (o->source_arg && !c->iface[0] && !o->list_scan) {
		bool local = false;
		if (nmap_local_addr(&c->source, &local) == 0 && !local)
			return quit(
				"Could not figure out what device to send the packet out on with "
				"the source address you gave me!  If you are trying to sp00f your "
				"scan, this is normal, just give the -e eth0 or -e ppp0 or "
				"whatever.  Otherwise you can still use -e, but I find it kind of "
				"fishy.%s",
				"");
	}
	return 0;
}

/* --ip-options' hex form: \xHH (or \HH) bytes, \xHH*N for N of them */
static int ipopts_hex(const char *s, uint8_t *out, size_t *len)
{
	size_t n = 0;
	while (*s) {
		if (*s == '*') {
			char *end;
			long k = strtol(s + 1, &end, 10);
			if (!n || end == s + 1 || k < 1)
				return quit("bad number after '*'%s", "");
			for (long i = 1; i < k; i++, n++)
				if (n < 64)
					out[n] = out[n - 1];
			s = end;
			continue;
		}
		if (*s != '\\') {
			char c[2] = {*s, 0};
			return quit("Bad character in ip option '%s'", c);
		}
		s += 1 + (s[1] == 'x');
		if (!isxdigit((unsigned char)*s))
			return quit("not a digit after '\\'%s", "");
		unsigned v = 0;
		for (int i = 0; i < 2 && isxdigit((unsigned char)*s); i++, s++)
			v = v * 16 + (unsigned)(isdigit((unsigned char)*s)
							? *s - '0'
							: (*s | 0x20) - 'a' + 10);
		if (n < 64)
			out[n] = (uint8_t)v;
		n++;
	}
	*len = n;
	return 0;
}

/* The addresses after R, L or S, space separated; at most max of them */
static int ipopts_addrs(const char *s, uint8_t *slots, size_t max, size_t *n, bool srr)
{
	*n = 0;
	for (;;) {
		while (*s == ' ')
			s++;
		if (!*s)
			return 0;
		char a[32];
		size_t k = strcspn(s, " ");
		struct in_addr in;
		if (k >= sizeof(a))
			k = sizeof(a) - 1;
		memcpy(a, s, k);
		a[k] = '\0';
		if (inet_pton(AF_INET, a, &in) != 1)
			return quit("Not a valid ipv4 address '%s'", ""); /* nmap's words, '' */
		if (*n >= max)
			return quit(srr ? "When using source routing you must leave at least one "
					  "slot for target's ip.%s"
					: "No more arguments allowed!%s",
				    "");
		memcpy(slots + 4 * (*n)++, &in, 4);
		s += k;
	}
}

/* --ip-options in nmap's syntax: R (record route), T (timestamps), U
 * (timestamps and addresses), L or S ADDR... (loose/strict source route:
 * the probe goes to the first, the target fills the last slot), or hex;
 * a multiple of 4 bytes, 40 at most */
int nmap_opt_ipopts(struct nmap_opts *o, const char *s)
{
	uint8_t *b = o->ipopts;
	size_t n = 0, na;
	int rc;
	o->cfg.ipopt_srr = -1;
	memset(b, 0, sizeof(o->ipopts));
	if (*s == '\\') {
		if ((rc = ipopts_hex(s, b, &n)))
			return rc;
	} else if (*s == 'R') {
		memcpy(b, "\x01\x07\x27\x04", 4), n = 40;
		if ((rc = ipopts_addrs(s + 1, b + 4, 9, &na, false)))
			return rc;
	} else if (*s == 'T' || *s == 'U') {
		bool u = *s == 'U';
		memcpy(b, u ? "\x44\x24\x05\x01" : "\x44\x28\x05\x00", 4), n = u ? 36 : 40;
		if ((rc = ipopts_addrs(s + 1, b + 4, 0, &na, false)))
			return rc;
	} else if (*s == 'L' || *s == 'S') {
		if ((rc = ipopts_addrs(s + 1, b + 4, 8, &na, true)))
			return rc;
		b[0] = 1, b[1] = *s == 'L' ? 0x83 : 0x89, b[2] = (uint8_t)(3 + 4 * (na + 1)),
		b[3] = 4;
		n = 8 + 4 * na;
		o->cfg.ipopt_srr = na ? (int)(4 + 4 * na) : -1; /* the target's slot */
	} else if (*s) {
		char c[2] = {*s, 0};
		return quit("Bad character in ip option '%s'", c);
	}
	if (n > 40)
		return quit("Ip options can't be more than 40 bytes long%s", "");
	if (n % 4) {
		fprintf(stderr, "Ip options must be multiple of 4 (read length is %zu bytes)\n", n);
		fprintf(stderr, "QUITTING!\n");
		return QUIT;
	}
	o->cfg.ipopts = n ? o->ipopts : NULL;
	o->cfg.ipoptslen = n;
	return 0;
}

int nmap_opt_spoofmac(struct nmap_opts *o, const char *arg)
{
	o->spoof_mac_arg = arg;
	o->cfg.send_eth = true; /* as nmap: frames, so the source MAC is ours to set */
	o->cfg.send_ip = false;
	return 0;
}

/* "00:01:02" or "000102..." : whole bytes, ':' between any of them */
static int mac_prefix(const char *s, uint8_t *out, size_t *n)
{
	*n = 0;
	for (; *s; s++) {
		if (*s == ':')
			continue;
		if (!isxdigit((unsigned char)s[0]) || !isxdigit((unsigned char)s[1]))
			return -1;
		char b[3] = {s[0], s[1], 0};
		if (*n < 6)
			out[*n] = (uint8_t)strtoul(b, NULL, 16);
		(*n)++;
		s++;
	}
	return *n ? 0 : -1;
}

/* --spoof-mac: 0 (all random), a prefix or a whole MAC in hex, or the
 * first vendor (in prefix order) whose name holds the text; the rest of
 * the address random. Needs the MAC vendor table (loaded by then). */
int nmap_resolve_spoof_mac(struct nmap_opts *o, const struct svc_db *db)
{
	const char *a = o->spoof_mac_arg;
	uint8_t *mac = o->cfg.spoof_mac;
	size_t n = 0;
	if (!a)
		return 0;
	if (getrandom(mac, 6, 0) != 6)
		return quit("getrandom: %s", strerror(errno));
	if (!strcmp(a, "0")) {
		n = 0;
	} else if (mac_prefix(a, mac, &n) == 0) {
		if (n > 6) {
			fprintf(stderr,
				"Bogus --spoof-mac value encountered (%s) -- only up to 6 bytes "
				"permitted\nQUITTING!\n",
				a);
			return QUIT;
		}
	} else {
		size_t i;
		for (i = 0; i < db->nmacs && !strcasestr(db->macs[i].vendor, a); i++)
			;
		if (i == db->nmacs)
			return quit(
				"Could not parse as a prefix nor find as a vendor substring the "
				"given --spoof-mac argument: %s.  If you are giving hex digits, "
				"there must be an even number of them.",
				a);
		mac[0] = (uint8_t)(db->macs[i].prefix >> 16);
		mac[1] = (uint8_t)(db->macs[i].prefix >> 8);
		mac[2] = (uint8_t)db->macs[i].prefix;
	}
	o->cfg.has_spoof_mac = true;
	return 0;
}

/* nmap's line, after its banner */
void nmap_say_spoof_mac(const struct nmap_opts *o, const struct svc_db *db)
{
	if (!o->cfg.has_spoof_mac)
		return;
	const uint8_t *m = o->cfg.spoof_mac;
	const char *v = svc_mac_vendor(db, m);
	printf("Spoofing MAC address %02X:%02X:%02X:%02X:%02X:%02X (%s)\n", m[0], m[1], m[2], m[3],
	       m[4], m[5], v ? v : "No registered vendor");
	fflush(stdout);
}

/* A connect scan cannot put the raw options into its packets: nmap's
 * warnings (after its banner) */
void nmap_warn_connect(const struct nmap_opts *o)
{
	const struct scan_config *c = &o->cfg;
	if (!(c->scans & SCAN_CONNECT) || o->list_scan || c->ping_only)
		return;
	if (o->source_arg)
		fprintf(stderr,
			"WARNING: -S will only affect the source address used in a connect() scan "
			"if you specify one of your own addresses.  Use -sS or another raw scan if "
			"you want to completely spoof your source address, but then you need to "
			"know what you're doing to obtain meaningful results.\n");
	if (c->source_port >= 0)
		fprintf(stderr,
			"WARNING: -g is incompatible with the default connect() scan (-sT).  "
			"Use a raw scan such as -sS if you want to set the source port.\n");
	if (c->ndecoys || c->ttl >= 0 || c->source_port >= 0 || o->data_set || c->ipoptslen ||
	    c->badsum || c->has_spoof_mac || c->scanflags >= 0 || o->source_arg)
		fprintf(stderr, "You have specified some options that require raw socket access.\n"
				"These options will not be honored for TCP Connect scan.\n");
}

int nmap_opt_proxies(struct nmap_opts *o, const char *arg)
{
	o->proxies_arg = arg;
	return 0;
}

/* One proxy of --proxies: http:// or socks4:// (any case), a host (an IPv6
 * address in brackets, not for SOCKS4), an optional :PORT (1-65535; 8080
 * for HTTP and 1080 for SOCKS 4 without one, as nmap 7.93 takes them,
 * observed in the lab) and an optional path; nmap's two messages for what
 * nsock refuses. The address goes into *px. */
static int check_proxy(const char *spec, struct scan_proxy *px)
{
	bool socks = !strncasecmp(spec, "socks4://", 9);
	const char *p = socks ? spec + 9 : !strncasecmp(spec, "http://", 7) ? spec + 7 : NULL;
	if (!p)
		return quit("Invalid protocol in proxy specification string: %s", spec);
	char host[256];
	size_t n;
	if (*p == '[') {
		const char *end = strchr(p, ']');
		if (!end)
			return quit("Invalid protocol in proxy specification string: %s", spec);
		n = (size_t)(end - p - 1);
		if (n >= sizeof(host))
			n = sizeof(host) - 1;
		memcpy(host, p + 1, n);
		p = end + 1;
	} else {
		n = strcspn(p, ":/");
		if (n >= sizeof(host))
			n = sizeof(host) - 1;
		memcpy(host, p, n);
		p += strcspn(p, ":/");
	}
	host[n] = '\0';
	long port = socks ? 1080 : 8080;
	if (*p == ':') {
		char *end;
		long v = strtol(p + 1, &end, 10);
		bool empty = end == p + 1 && (!*end || *end == '/');
		if (!empty &&
		    (!isdigit((unsigned char)p[1]) || (*end && *end != '/') || v < 1 || v > 65535))
			return quit("Invalid protocol in proxy specification string: %s", spec);
		if (!empty)
			port = v;
	}
	struct addrinfo hints = {.ai_family = socks ? AF_INET : AF_UNSPEC,
				 .ai_socktype = SOCK_STREAM},
			*res = NULL;
	if (!*host || getaddrinfo(host, NULL, &hints, &res))
		return quit("Cannot initialize proxy node %s", spec);
	memset(px, 0, sizeof(*px));
	px->http = !socks;
	memcpy(&px->addr, res->ai_addr, res->ai_addrlen);
	if (px->addr.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&px->addr)->sin6_port = htons((uint16_t)port);
	else
		((struct sockaddr_in *)&px->addr)->sin_port = htons((uint16_t)port);
	freeaddrinfo(res);
	return 0;
}

/* --proxies: checked as nmap checks them, and kept for -sV and scripts
 * (nmap relays their TCP connections through them, never a port scan's) */
static int check_proxies(struct nmap_opts *o)
{
	struct version_opts *v = &o->cfg.version;
	char *dup = strdup(o->proxies_arg);
	int rc = dup ? 0 : QUIT;
	v->nproxies = 0;
	for (char *t = dup, *end; !rc && t; t = end) {
		end = strchr(t, ',');
		if (end)
			*end++ = '\0';
		if (!*t)
			continue;
		struct scan_proxy px;
		rc = check_proxy(t, &px);
		if (!rc && v->nproxies == SCAN_MAX_PROXIES)
			rc = quit("Too many proxies in the chain: %s", o->proxies_arg);
		if (!rc)
			v->proxies[v->nproxies++] = px;
	}
	free(dup);
	return rc;
}
