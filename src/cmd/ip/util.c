/* SPDX-License-Identifier: Apache-2.0 */
/* What the ip objects share: the netlink socket, the ifindex cache,
 * address parsing and printing, iproute2's name tables, errors. */
#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <netdb.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "cmd/ip/ip.h"
#include "lib/util/fmt.h"

int ip_nl(struct ip_ctx *c, struct nl_sock **s)
{
	if (!c->nl_ready) {
		int r = nl_open(&c->nl, NETLINK_ROUTE, NULL);
		if (r < 0) {
			fprintf(stderr, "Cannot open netlink socket: %s\n", strerror(-r));
			return r;
		}
		c->nl_ready = true;
		/* as iproute2: the kernel then filters dumps (route table) and
		 * rejects what it cannot filter */
		nl_set_strict(&c->nl);
	}
	*s = &c->nl;
	return 0;
}

/* ---- ifindex cache: open addressing on ifindex ---- */

struct link_ent {
	uint32_t ifindex;
	unsigned flags;
	char name[IF_NAMESIZE];
};

struct link_cache {
	int fd; /* for SIOCGIFNAME on a miss */
	size_t cap, n;
	struct link_ent *ents;
};

static void cache_put(struct link_cache *lc, uint32_t ifindex, unsigned flags, const char *name)
{
	if ((lc->n + 1) * 2 > lc->cap) {
		size_t ncap = lc->cap ? lc->cap * 2 : 64;
		struct link_ent *ne = calloc(ncap, sizeof(*ne));
		if (!ne)
			return;
		for (size_t i = 0; i < lc->cap; i++) {
			if (!lc->ents[i].ifindex)
				continue;
			size_t h = lc->ents[i].ifindex & (ncap - 1);
			while (ne[h].ifindex)
				h = (h + 1) & (ncap - 1);
			ne[h] = lc->ents[i];
		}
		free(lc->ents);
		lc->ents = ne;
		lc->cap = ncap;
	}
	size_t h = ifindex & (lc->cap - 1);
	while (lc->ents[h].ifindex && lc->ents[h].ifindex != ifindex)
		h = (h + 1) & (lc->cap - 1);
	if (!lc->ents[h].ifindex)
		lc->n++;
	lc->ents[h].ifindex = ifindex;
	lc->ents[h].flags = flags;
	snprintf(lc->ents[h].name, sizeof(lc->ents[h].name), "%s", name);
}

static const struct link_ent *cache_get(const struct link_cache *lc, uint32_t ifindex)
{
	if (!lc->cap)
		return NULL;
	size_t h = ifindex & (lc->cap - 1);
	while (lc->ents[h].ifindex) {
		if (lc->ents[h].ifindex == ifindex)
			return &lc->ents[h];
		h = (h + 1) & (lc->cap - 1);
	}
	return NULL;
}

static struct link_cache *links(struct ip_ctx *c)
{
	if (!c->links) {
		c->links = calloc(1, sizeof(*c->links));
		if (c->links)
			c->links->fd = -1;
	}
	return c->links;
}

void ip_link_remember(struct ip_ctx *c, uint32_t ifindex, unsigned flags, const char *name)
{
	struct link_cache *lc = links(c);
	if (lc)
		cache_put(lc, ifindex, flags, name);
}

bool ip_link_known(struct ip_ctx *c, int ifindex)
{
	struct link_cache *lc = links(c);
	return lc && ifindex > 0 && cache_get(lc, (uint32_t)ifindex);
}

/* A miss asks the kernel for that one index with two ioctls: cheaper
 * than a dump of every link when only a few names are needed, and safe
 * inside another dump's callback. */
static const struct link_ent *lookup(struct ip_ctx *c, uint32_t ifindex)
{
	struct link_cache *lc = links(c);
	if (!lc || !ifindex)
		return NULL;
	const struct link_ent *e = cache_get(lc, ifindex);
	if (e)
		return e;
	if (lc->fd < 0)
		lc->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct ifreq ifr = {0};
	ifr.ifr_ifindex = (int)ifindex;
	if (lc->fd < 0 || ioctl(lc->fd, SIOCGIFNAME, &ifr) < 0)
		return NULL;
	char name[IF_NAMESIZE];
	snprintf(name, sizeof(name), "%s", ifr.ifr_name);
	unsigned flags = ioctl(lc->fd, SIOCGIFFLAGS, &ifr) == 0 ? (unsigned short)ifr.ifr_flags : 0;
	cache_put(lc, ifindex, flags, name);
	return cache_get(lc, ifindex);
}

const char *ip_ifname(struct ip_ctx *c, uint32_t ifindex, char *buf)
{
	const struct link_ent *e = lookup(c, ifindex);
	if (e)
		return e->name;
	if (ifindex == 0)
		return "*";
	snprintf(buf, IP_NAMESZ, "if%u", ifindex);
	return buf;
}

unsigned ip_ifflags(struct ip_ctx *c, uint32_t ifindex)
{
	/* an index no one knows has every flag, as iproute2's -1: no M-DOWN */
	const struct link_ent *e = lookup(c, ifindex);
	return e ? e->flags : ifindex ? ~0u : 0;
}

int ip_ifindex(struct ip_ctx *c, const char *name)
{
	unsigned idx = if_nametoindex(name);
	if (idx)
		return (int)idx;
	/* iproute2 also takes "ifN" */
	if (!strncmp(name, "if", 2)) {
		char *end;
		unsigned long v = strtoul(name + 2, &end, 10);
		if (*end == '\0' && end != name + 2 && v && v <= INT_MAX && lookup(c, (uint32_t)v))
			return (int)v;
	}
	return 0;
}

void ip_links_free(struct ip_ctx *c)
{
	if (c->links) {
		if (c->links->fd >= 0)
			close(c->links->fd);
		free(c->links->ents);
		free(c->links);
		c->links = NULL;
	}
}

/* ---- addresses ---- */

const char *ip_fmt_host(struct ip_ctx *c, int family, const void *addr, char *buf, size_t len)
{
	if (c->resolve && (family == AF_INET || family == AF_INET6)) {
		struct sockaddr_storage ss = {0};
		socklen_t sl;
		if (family == AF_INET) {
			struct sockaddr_in *sin = (void *)&ss;
			sin->sin_family = AF_INET;
			memcpy(&sin->sin_addr, addr, 4);
			sl = sizeof(*sin);
		} else {
			struct sockaddr_in6 *sin6 = (void *)&ss;
			sin6->sin6_family = AF_INET6;
			memcpy(&sin6->sin6_addr, addr, 16);
			sl = sizeof(*sin6);
		}
		if (getnameinfo((struct sockaddr *)&ss, sl, buf, (socklen_t)len, NULL, 0,
				NI_NAMEREQD) == 0)
			return buf;
	}
	if (len < FMT_ADDR_LEN)
		return "";
	fmt_addr(buf, family, addr);
	return buf;
}

/* iproute2's get_addr_ipv4: 1 to 4 parts, each as strtoul reads it with
 * base 0 (so 010 is 8 and 0x10 is 16), missing ones 0. */
static int get_ipv4(uint8_t *out, const char *s)
{
	memset(out, 0, 4);
	for (int i = 0; i < 4; i++) {
		char *end;
		unsigned long v = strtoul(s, &end, 0);
		if (v > 255 || end == s)
			return -1;
		out[i] = (uint8_t)v;
		if (!*end)
			return 0;
		if (*end != '.' || i == 3)
			return -1;
		s = end + 1;
	}
	return -1;
}

static int get_addr_1(struct ip_prefix *p, const char *arg, int family)
{
	memset(p, 0, sizeof(*p));
	p->bitlen = -1;
	if (!strcmp(arg, "default") || !strcmp(arg, "any") || !strcmp(arg, "all")) {
		if (family == AF_MPLS)
			return -1;
		p->family = family;
		p->any = true;
		return 0;
	}
	if (strchr(arg, ':')) {
		if (family != AF_UNSPEC && family != AF_INET6)
			return -1;
		if (inet_pton(AF_INET6, arg, p->data) != 1)
			return -1;
		p->family = AF_INET6;
		p->bytelen = 16;
		return 0;
	}
	if (family != AF_UNSPEC && family != AF_INET)
		return -1;
	if (get_ipv4(p->data, arg) < 0)
		return -1;
	p->family = AF_INET;
	p->bytelen = 4;
	return 0;
}

int ip_get_addr(struct ip_prefix *p, const char *arg, int family)
{
	if (family == AF_PACKET) {
		int n = ip_get_lladdr(p->data, sizeof(p->data), arg);
		if (n < 0)
			return -1;
		p->family = AF_PACKET;
		p->bytelen = (unsigned)n;
		return 0;
	}
	if (get_addr_1(p, arg, family) < 0)
		return -1;
	if (!p->any)
		p->bitlen = -1;
	return 0;
}

int ip_get_prefix(struct ip_prefix *p, const char *arg, int family)
{
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", arg);
	char *slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	if (get_addr_1(p, buf, family) < 0)
		return -1;
	if (p->any) {
		if (slash)
			return -1;
		p->bitlen = 0;
		return 0;
	}
	if (slash) {
		uint32_t plen;
		if (ip_get_u32(&plen, slash + 1, 0) < 0 || plen > p->bytelen * 8)
			return -1;
		p->bitlen = (int)plen;
	}
	return 0;
}

bool ip_bits_eq(const uint8_t *a, const uint8_t *b, int bits)
{
	if (bits <= 0) /* no /N on a root/match selector: nothing to compare */
		return true;
	size_t bytes = (size_t)bits / 8;
	if (memcmp(a, b, bytes))
		return false;
	int rest = bits % 8;
	uint8_t m = (uint8_t)(0xff << (8 - rest));
	return !rest || (a[bytes] & m) == (b[bytes] & m);
}

bool ip_prefix_covers(const struct ip_prefix *p, const uint8_t *a, size_t alen)
{
	int bits = p->bitlen < 0 ? (int)p->bytelen * 8 : p->bitlen;
	return (size_t)bits <= alen * 8 && ip_bits_eq(a, p->data, bits);
}

void ip_prefix_to_rtnl(const struct ip_prefix *p, struct rtnl_prefix *out)
{
	memset(out, 0, sizeof(*out));
	out->family = (uint8_t)(p->family == AF_INET || p->family == AF_INET6 ? p->family : 0);
	out->len = (uint8_t)(p->bitlen < 0 ? p->bytelen * 8 : (unsigned)p->bitlen);
	memcpy(out->addr, p->data, p->bytelen <= 16 ? p->bytelen : 16);
}

int ip_get_u32(uint32_t *v, const char *arg, int base)
{
	if (!arg || !*arg)
		return -1;
	char *end;
	errno = 0;
	unsigned long long x = strtoull(arg, &end, base);
	if (*end || errno || x > UINT32_MAX || arg[0] == '-')
		return -1;
	*v = (uint32_t)x;
	return 0;
}

int ip_get_lladdr(uint8_t *out, size_t max, const char *arg)
{
	size_t n = 0;
	const char *p = arg;
	while (*p) {
		if (n >= max)
			return -1;
		char *end;
		unsigned long v = strtoul(p, &end, 16);
		if (end == p || v > 255 || end - p > 2)
			return -1;
		out[n++] = (uint8_t)v;
		p = end;
		if (*p == ':' || *p == '.')
			p++;
		else if (*p)
			return -1;
	}
	return n ? (int)n : -1;
}

const char *ip_ll_addr(const uint8_t *a, unsigned len, unsigned type, char *buf, size_t blen)
{
	if (len == 4 && (type == ARPHRD_TUNNEL || type == ARPHRD_SIT || type == ARPHRD_IPGRE)) {
		fmt_ipv4(buf, a);
		return buf;
	}
	if (len == 16 && (type == ARPHRD_TUNNEL6 || type == ARPHRD_IP6GRE)) {
		fmt_ipv6(buf, a);
		return buf;
	}
	static const char hx[] = "0123456789abcdef";
	size_t o = 0;
	for (unsigned i = 0; i < len && o + 4 < blen; i++) {
		if (i)
			buf[o++] = ':';
		buf[o++] = hx[a[i] >> 4];
		buf[o++] = hx[a[i] & 15];
	}
	buf[o] = '\0';
	return buf;
}

/* ---- name tables ---- */

struct name_tab {
	bool loaded;
	char *names[256]; /* ids < 256 */
	struct big_name {
		uint32_t id;
		char *name;
	} * big;
	size_t nbig;
};

struct ip_names {
	struct name_tab tab[IPT_MAX];
};

static const char *const tab_files[IPT_MAX] = {"rt_protos", "rt_scopes", "rt_tables",
					       "group",	    "rt_realms", "rt_dsfield"};

static void tab_set(struct name_tab *t, uint32_t id, const char *name)
{
	if (id < 256) {
		free(t->names[id]);
		t->names[id] = strdup(name);
		return;
	}
	struct big_name *nb = realloc(t->big, (t->nbig + 1) * sizeof(*nb));
	if (!nb)
		return;
	t->big = nb;
	t->big[t->nbig].id = id;
	t->big[t->nbig].name = strdup(name);
	t->nbig++;
}

static void tab_read(struct name_tab *t, const char *path)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	char line[512];
	while (fgets(line, sizeof(line), f)) {
		char *p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '#' || *p == '\n' || !*p)
			continue;
		char name[128];
		unsigned long id;
		if (sscanf(p, "0x%lx %127s", &id, name) != 2 &&
		    sscanf(p, "%lu %127s", &id, name) != 2)
			continue;
		if (name[0] == '#' || id > UINT32_MAX)
			continue;
		tab_set(t, (uint32_t)id, name);
	}
	fclose(f);
}

static void tab_read_dir(struct name_tab *t, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		if (n < 6 || strcmp(de->d_name + n - 5, ".conf"))
			continue;
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		tab_read(t, path);
	}
	closedir(d);
}

static struct name_tab *tab(struct ip_ctx *c, enum ip_table_kind k)
{
	if (!c->names)
		c->names = calloc(1, sizeof(*c->names));
	if (!c->names)
		return NULL; /* out of memory: numbers only */
	struct name_tab *t = &c->names->tab[k];
	if (t->loaded)
		return t;
	t->loaded = true;
	static const char *const protos[] = {
		[0] = "unspec", [1] = "redirect", [2] = "kernel",      [3] = "boot",
		[4] = "static", [8] = "gated",	  [9] = "ra",	       [10] = "mrt",
		[11] = "zebra", [12] = "bird",	  [13] = "dnrouted",   [14] = "xorp",
		[15] = "ntk",	[16] = "dhcp",	  [18] = "keepalived", [42] = "babel",
		[99] = "openr", [186] = "bgp",	  [187] = "isis",      [188] = "ospf",
		[189] = "rip",	[192] = "eigrp",
	};
	if (k == IPT_PROTO)
		for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
			if (protos[i])
				tab_set(t, (uint32_t)i, protos[i]);
	if (k == IPT_SCOPE) {
		tab_set(t, 0, "global");
		tab_set(t, 255, "nowhere");
		tab_set(t, 254, "host");
		tab_set(t, 253, "link");
		tab_set(t, 200, "site");
	}
	if (k == IPT_TABLE) {
		tab_set(t, 0, "unspec");
		tab_set(t, 253, "default");
		tab_set(t, 254, "main");
		tab_set(t, 255, "local");
	}
	if (k == IPT_GROUP)
		tab_set(t, 0, "default");
	if (k == IPT_REALM)
		tab_set(t, 0, "cosmos");
	char path[256];
	snprintf(path, sizeof(path), "/usr/share/iproute2/%s", tab_files[k]);
	tab_read(t, path);
	snprintf(path, sizeof(path), "/etc/iproute2/%s", tab_files[k]);
	tab_read(t, path);
	snprintf(path, sizeof(path), "/etc/iproute2/%s.d", tab_files[k]);
	tab_read_dir(t, path);
	return t;
}

const char *ip_name(struct ip_ctx *c, enum ip_table_kind k, uint32_t id, char *buf, size_t len)
{
	/* -N: numbers, as iproute2 prints them */
	struct name_tab *t = c->numeric ? NULL : tab(c, k);
	if (t && id < 256 && t->names[id])
		return t->names[id];
	for (size_t i = 0; t && i < t->nbig; i++)
		if (t->big[i].id == id)
			return t->big[i].name;
	if (k == IPT_SCOPE)
		snprintf(buf, len, "%d", (int)id);
	else if (len >= FMT_U64_LEN)
		fmt_u64(buf, id);
	else
		snprintf(buf, len, "%u", id);
	return buf;
}

int ip_name_lookup(struct ip_ctx *c, enum ip_table_kind k, const char *name, uint32_t *id)
{
	struct name_tab *t = tab(c, k);
	for (uint32_t i = 0; t && i < 256; i++)
		if (t->names[i] && !strcmp(t->names[i], name)) {
			*id = i;
			return 0;
		}
	for (size_t i = 0; t && i < t->nbig; i++)
		if (!strcmp(t->big[i].name, name)) {
			*id = t->big[i].id;
			return 0;
		}
	return -1;
}

const char *ip_name_dsfield(struct ip_ctx *c, uint8_t v, char *buf, size_t len)
{
	struct name_tab *t = c->numeric ? NULL : tab(c, IPT_DSFIELD);
	if (t && t->names[v])
		return t->names[v];
	snprintf(buf, len, "0x%02x", v);
	return buf;
}

int ip_name_id(struct ip_ctx *c, enum ip_table_kind k, const char *name, uint32_t *id)
{
	struct name_tab *t = tab(c, k);
	if (!t)
		return ip_get_u32(id, name, 0);
	for (uint32_t i = 0; i < 256; i++)
		if (t->names[i] && !strcmp(t->names[i], name)) {
			*id = i;
			return 0;
		}
	for (size_t i = 0; i < t->nbig; i++)
		if (!strcmp(t->big[i].name, name)) {
			*id = t->big[i].id;
			return 0;
		}
	return ip_get_u32(id, name, 0);
}

static const char *const rtntypes[] = {"unspec",   "unicast",	"local",     "broadcast",
				       "anycast",  "multicast", "blackhole", "unreachable",
				       "prohibit", "throw",	"nat",	     "xresolve"};

const char *ip_rtntype(unsigned type, char *buf, size_t len)
{
	if (type < sizeof(rtntypes) / sizeof(rtntypes[0]))
		return rtntypes[type];
	snprintf(buf, len, "%u", type);
	return buf;
}

int ip_rtntype_id(const char *name, unsigned *type)
{
	for (unsigned i = 0; i < sizeof(rtntypes) / sizeof(rtntypes[0]); i++)
		if (!strcmp(rtntypes[i], name)) {
			*type = i;
			return 0;
		}
	uint32_t v;
	if (ip_get_u32(&v, name, 0) < 0 || v > 255)
		return -1;
	*type = v;
	return 0;
}

/* ---- errors ---- */

void ip_err_nl(struct ip_ctx *c, const struct nl_err *err, const char *what)
{
	(void)c;
	(void)what;
	if (err->msg[0]) {
		size_t n = strlen(err->msg);
		fprintf(stderr, "Error: %s%s\n", err->msg, err->msg[n - 1] == '.' ? "" : ".");
		return;
	}
	fprintf(stderr, "RTNETLINK answers: %s\n", strerror(-err->code));
}

int ip_invarg(const char *msg, const char *arg)
{
	fprintf(stderr, "Error: argument \"%s\" is wrong: %s\n", arg, msg);
	return 255;
}

int ip_duparg(const char *key, const char *arg)
{
	fprintf(stderr, "Error: duplicate \"%s\": \"%s\" is the second value.\n", key, arg);
	return 255;
}

int ip_duparg2(const char *key, const char *arg)
{
	fprintf(stderr, "Error: either \"%s\" is duplicate, or \"%s\" is a garbage.\n", key, arg);
	return 255;
}

int ip_incomplete(const char *key)
{
	(void)key;
	fprintf(stderr, "Command line is not complete. Try option \"help\"\n");
	return 255;
}

int ip_nodev(const char *name)
{
	fprintf(stderr, "Cannot find device \"%s\"\n", name);
	return 1;
}

void ip_nl_sep(struct ip_ctx *c)
{
	emit_text(c->out, c->oneline ? "\\" : "\n");
}

/* Right-aligned in width, then a space: printf("%*s ") without printf
 * (a 2000-link `ip -s link` prints 24000 of these). */
static void put_padded(struct ip_ctx *c, unsigned width, const char *s, size_t n)
{
	char buf[96];
	size_t pad = width > n ? width - n : 0;
	if (pad + n + 1 > sizeof(buf)) {
		emit_text(c->out, "%*s ", (int)width, s);
		return;
	}
	memset(buf, ' ', pad);
	memcpy(buf + pad, s, n);
	buf[pad + n] = ' ';
	emit_raw(c->out, buf, pad + n + 1);
}

void ip_print_num(struct ip_ctx *c, unsigned width, uint64_t v)
{
	const unsigned base = c->iec ? 1024 : 1000;
	if (!c->human || v < base) {
		char d[24];
		size_t n = fmt_u64(d, v);
		put_padded(c, width, d, n);
		return;
	}
	const char *prefix = "kMGTPE";
	uint64_t powi = 1;
	uint16_t powj = 1;
	int precision = 2;
	for (;;) {
		powi *= base;
		if (v / base < powi)
			break;
		if (!prefix[1])
			break;
		++prefix;
	}
	for (; precision > 0; precision--) {
		powj *= 10;
		if (v / powi < powj)
			break;
	}
	char buf[64];
	int n = snprintf(buf, sizeof(buf), "%.*f%c%s", precision, (double)v / (double)powi, *prefix,
			 c->iec ? "i" : "");
	put_padded(c, width, buf, (size_t)n);
}

static const char *const color_codes[] = {"\033[31m",	"\033[32m",   "\033[33m",   "\033[34m",
					  "\033[35m",	"\033[36m",   "\033[37m",   "\033[1;31m",
					  "\033[1;32m", "\033[1;33m", "\033[1;34m", "\033[1;35m",
					  "\033[1;36m", "\033[1;37m"};

/* iproute2's palettes, indexed by enum ip_color; a dark background
 * (COLORFGBG says so) gets the bold set. */
static int color_code(enum ip_color col)
{
	static const int light[] = {5, 2, 4, 3, 1, 0};
	static const int dark[] = {12, 9, 11, 10, 8, 7};
	const char *fgbg = getenv("COLORFGBG");
	bool is_dark = false;
	if (fgbg) {
		const char *p = strrchr(fgbg, ';');
		p = p ? p + 1 : fgbg;
		is_dark = (*p >= '0' && *p <= '6' && !p[1]) || !strcmp(p, "8");
	}
	return is_dark ? dark[col] : light[col];
}

void ip_cstr(struct ip_ctx *c, enum ip_color col, const char *key, const char *fmt, const char *val)
{
	if (!c->color || col == COL_NONE || !emit_is_text(c->out) || !fmt) {
		emit_str(c->out, key, fmt, val);
		return;
	}
	emit_text(c->out, "%s", color_codes[color_code(col)]);
	emit_str(c->out, key, fmt, val);
	emit_text(c->out, "\033[0m");
}

/* The kernel's AF_INET6 link dump has no IFLA_TXQLEN; iproute2 then asks
 * with an ioctl. */
int ip_txqlen(const char *name)
{
	struct ifreq ifr = {0};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	int r = ioctl(fd, SIOCGIFTXQLEN, &ifr);
	close(fd);
	return r < 0 ? 0 : ifr.ifr_qlen;
}

void ip_names_free(struct ip_ctx *c)
{
	if (!c->names)
		return;
	for (int k = 0; k < IPT_MAX; k++) {
		struct name_tab *t = &c->names->tab[k];
		for (int i = 0; i < 256; i++)
			free(t->names[i]);
		for (size_t i = 0; i < t->nbig; i++)
			free(t->big[i].name);
		free(t->big);
	}
	free(c->names);
	c->names = NULL;
}

int ip_from_file(FILE *f, nl_cb cb, void *data)
{
	static _Alignas(struct nlmsghdr) char buf[16384];
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	for (;;) {
		size_t n = fread(buf, 1, sizeof(*h), f);
		if (n == 0 && feof(f))
			return 0;
		if (n != sizeof(*h)) {
			if (ferror(f))
				perror("rtnl_from_file: fread");
			if (feof(f))
				fprintf(stderr, "rtnl-from_file: truncated message\n");
			return -1;
		}
		int len = (int)h->nlmsg_len, l = len - (int)sizeof(*h);
		if (l < 0 || h->nlmsg_len > sizeof(buf)) {
			fprintf(stderr, "!!!malformed message: len=%d @%ld\n", len, ftell(f));
			return -1;
		}
		n = fread(h + 1, 1, NLMSG_ALIGN((size_t)l), f);
		if (ferror(f)) {
			perror("rtnl_from_file: fread");
			return -1;
		}
		if (n != NLMSG_ALIGN((size_t)l) || feof(f)) {
			fprintf(stderr, "rtnl-from_file: truncated message\n");
			return -1;
		}
		int r = cb(h, data);
		if (r < 0)
			return r;
	}
}
