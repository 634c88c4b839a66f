/* SPDX-License-Identifier: Apache-2.0 */
/* ip maddress: the multicast addresses of each link, read from
 * /proc/net/dev_mcast, igmp and igmp6 as iproute2 6.1's `ip maddr show`
 * reads them, and link-layer ones added or deleted with SIOCADDMULTI /
 * SIOCDELMULTI as its `ip maddr add/del` does. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "cmd/ip/ip.h"

struct ma {
	int index, users, family;
	char name[IF_NAMESIZE + 8];
	uint8_t addr[16];
	unsigned len;
	bool is_static;
};

struct ma_list {
	struct ma *v;
	size_t n, cap;
	const char *dev;
};

/* after every entry of the same or a lower index, as iproute2's maddr_ins */
static void ma_add(struct ma_list *l, const struct ma *m)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		struct ma *v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return;
		l->v = v;
		l->cap = cap;
	}
	size_t at = 0;
	while (at < l->n && l->v[at].index <= m->index)
		at++;
	memmove(&l->v[at + 1], &l->v[at], (l->n - at) * sizeof(*m));
	l->v[at] = *m;
	l->n++;
}

static int parse_hex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;
	for (; s[0] && s[1]; s += 2) {
		unsigned v;
		if (n == max || sscanf(s, "%2x", &v) != 1)
			return -1;
		out[n++] = (uint8_t)v;
	}
	return (int)n;
}

static void read_dev_mcast(struct ma_list *l)
{
	FILE *f = fopen("/proc/net/dev_mcast", "re");
	char buf[256];
	while (f && fgets(buf, sizeof(buf), f)) {
		struct ma m = {.family = AF_PACKET};
		char hexa[256];
		int st = 0;
		if (sscanf(buf, "%d%23s%d%d%255s", &m.index, m.name, &m.users, &st, hexa) != 5 ||
		    (l->dev && strcmp(l->dev, m.name)))
			continue;
		int len = parse_hex(hexa, m.addr, sizeof(m.addr));
		if (len < 0)
			continue;
		m.len = (unsigned)len;
		m.is_static = st != 0;
		ma_add(l, &m);
	}
	if (f)
		fclose(f);
}

static void read_igmp(struct ma_list *l)
{
	FILE *f = fopen("/proc/net/igmp", "re");
	char buf[256];
	struct ma m = {.family = AF_INET, .len = 4};
	if (!f)
		return;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return;
	}
	while (fgets(buf, sizeof(buf), f)) {
		if (buf[0] != '\t') {
			if (sscanf(buf, "%d%23s", &m.index, m.name) == 2) {
				size_t n = strlen(m.name);
				if (n && m.name[n - 1] == ':')
					m.name[n - 1] = '\0';
			}
			continue;
		}
		if (l->dev && strcmp(l->dev, m.name))
			continue;
		uint32_t g = 0;
		m.users = 0;
		sscanf(buf, "%08x%d", &g, &m.users);
		memcpy(m.addr, &g, 4);
		ma_add(l, &m);
	}
	fclose(f);
}

static void read_igmp6(struct ma_list *l)
{
	FILE *f = fopen("/proc/net/igmp6", "re");
	char buf[256];
	while (f && fgets(buf, sizeof(buf), f)) {
		struct ma m = {.family = AF_INET6};
		char hexa[128];
		if (sscanf(buf, "%d%23s%127s%d", &m.index, m.name, hexa, &m.users) != 4 ||
		    (l->dev && strcmp(l->dev, m.name)))
			continue;
		if (parse_hex(hexa, m.addr, sizeof(m.addr)) == 16) {
			m.len = 16;
			ma_add(l, &m);
		}
	}
	if (f)
		fclose(f);
}

static void print_one(struct ip_ctx *c, const struct ma *m)
{
	char b[1100];
	emit_text(c->out, "\t");
	emit_obj_open(c->out, NULL);
	if (m->family == AF_PACKET) {
		emit_text(c->out, "link  ");
		ip_cstr(c, COL_MAC, "link", "%s", ip_ll_addr(m->addr, m->len, 1, b, sizeof(b)));
	} else {
		emit_str(c->out, "family", "%-5s ", m->family == AF_INET ? "inet" : "inet6");
		ip_cstr(c, ip_family_color(m->family), "address", "%s",
			ip_fmt_host(c, m->family, m->addr, b, sizeof(b)));
	}
	if (m->users != 1)
		emit_uint(c->out, "users", " users %u", (unsigned)m->users);
	if (m->is_static)
		emit_str(c->out, "features", " %s", "static");
	emit_text(c->out, "\n");
	emit_obj_close(c->out);
}

static void print_list(struct ip_ctx *c, const struct ma_list *l)
{
	int cur = 0;
	emit_arr_open(c->out, NULL);
	for (size_t i = 0; i < l->n; i++) {
		const struct ma *m = &l->v[i];
		if (m->index != cur || c->oneline) {
			if (cur) {
				emit_arr_close(c->out);
				emit_obj_close(c->out);
			}
			emit_obj_open(c->out, NULL);
			emit_int(c->out, "ifindex", "%d:", m->index);
			ip_cstr(c, COL_IFNAME, "ifname", "\t%s", m->name);
			ip_nl_sep(c);
			cur = m->index;
			emit_arr_open(c->out, "maddr");
		}
		print_one(c, m);
	}
	if (cur) {
		emit_arr_close(c->out);
		emit_obj_close(c->out);
	}
	emit_arr_close(c->out);
}

static int ma_usage(void)
{
	fprintf(stderr, "Usage: ip maddr [ add | del ] MULTIADDR dev STRING\n"
			"       ip maddr show [ dev STRING ]\n");
	return 255;
}

static int ma_list(struct ip_ctx *c, int argc, char **argv)
{
	struct ma_list l = {0};
	for (; argc > 0; argc--, argv++) {
		if (!strcmp(argv[0], "dev")) {
			if (argc < 2)
				return ip_incomplete(NULL);
			argc--;
			argv++;
		} else if (ip_matches(argv[0], "help")) {
			return ma_usage();
		}
		if (l.dev)
			return ip_duparg2("dev", argv[0]);
		l.dev = argv[0];
	}
	int fam = c->family;
	if (!fam || fam == AF_PACKET)
		read_dev_mcast(&l);
	if (!fam || fam == AF_INET)
		read_igmp(&l);
	if (!fam || fam == AF_INET6)
		read_igmp6(&l);
	print_list(c, &l);
	free(l.v);
	return 0;
}

static int ma_modify(int cmd, int argc, char **argv)
{
	struct ifreq ifr = {0};
	const char *dev = NULL;
	bool have = false;
	for (; argc > 0; argc--, argv++) {
		if (!strcmp(argv[0], "dev")) {
			if (argc < 2)
				return ip_incomplete(NULL);
			if (dev)
				return ip_duparg("dev", argv[1]);
			dev = *++argv;
			argc--;
			continue;
		}
		if (ip_matches(argv[0], "address")) {
			if (argc < 2)
				return ip_incomplete(NULL);
			argc--;
			argv++;
		}
		if (ip_matches(argv[0], "help"))
			return ma_usage();
		if (have)
			return ip_duparg("address", argv[0]);
		int n = ip_get_lladdr((uint8_t *)ifr.ifr_hwaddr.sa_data, 14, argv[0]);
		if (n < 0) {
			fprintf(stderr, "\"%s\" is invalid lladdr.\n", argv[0]);
			return 1;
		}
		have = true;
	}
	/* no address: iproute2 sends the zero one */
	if (!dev) {
		fprintf(stderr, "Not enough information: \"dev\" is required.\n");
		return 255;
	}
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int r = fd < 0 ? -1 : ioctl(fd, (unsigned long)cmd, &ifr);
	if (r != 0)
		perror("ioctl");
	if (fd >= 0)
		close(fd);
	return r ? 1 : 0;
}

int ip_maddr(struct ip_ctx *c, int argc, char **argv)
{
	if (argc < 1)
		return ma_list(c, 0, NULL);
	const char *k = argv[0];
	if (ip_matches(k, "add"))
		return ma_modify(SIOCADDMULTI, argc - 1, argv + 1);
	if (ip_matches(k, "delete"))
		return ma_modify(SIOCDELMULTI, argc - 1, argv + 1);
	if (ip_matches(k, "list") || ip_matches(k, "show") || ip_matches(k, "lst"))
		return ma_list(c, argc - 1, argv + 1);
	if (ip_matches(k, "help"))
		return ma_usage();
	fprintf(stderr, "Command \"%s\" is unknown, try \"ip maddr help\".\n", k);
	return 255;
}
