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

/* After all options: -S resolved; -e names an interface; a -S address
 * that is not this machine's needs -e (nmap cannot tell the interface
 * from a spoofed source). */
int nmap_check_evasion(struct nmap_opts *o)
{
	struct scan_config *c = &o->cfg;
	if (o->source_arg && resolve_source(o))
		return QUIT;
	if (c->iface[0] && !if_nametoindex(c->iface) && !o->source_arg)
		return quit("I cannot figure out what source address to use for device %s, does it "
			    "even exist?",
			    c->iface);
	if (o->source_arg && !c->iface[0] && !o->list_scan) {
		bool local = false;
		if (nmap_local_addr(&c->source, &local) == 0 && !local)
			return quit("Could not figure out what device to send the packet out on with "
				    "the source address you gave me!  If you are trying to sp00f your "
				    "scan, this is normal, just give the -e eth0 or -e ppp0 or "
				    "whatever.  Otherwise you can still use -e, but I find it kind of "
				    "fishy.%s",
				    "");
	}
	return 0;
}
