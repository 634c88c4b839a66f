/* SPDX-License-Identifier: Apache-2.0 */
/* vti and vti6 links: `ip link add ... type vti|vti6` options into
 * IFLA_INFO_DATA (IFLA_VTI_*) as iproute2 6.1's link_vti.c and
 * link_vti6.c parse them (words by prefix, its checks and messages), and
 * their `ip -d link` details. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include <linux/if_tunnel.h>

#include "cmd/ip/link_priv.h"

static int vti_usage(const char *kind)
{
	fprintf(stderr,
		"Usage: ... %-4s\t[ remote ADDR ]\n"
		"\t\t[ local ADDR ]\n"
		"\t\t[ [i|o]key KEY ]\n"
		"\t\t[ dev PHYS_DEV ]\n"
		"\t\t[ fwmark MARK ]\n"
		"\n"
		"Where:\tADDR := { %s }\n"
		"\tKEY  := { DOTTED_QUAD | NUMBER }\n"
		"\tMARK := { 0x0..0xffffffff }\n",
		kind, strcmp(kind, "vti6") ? "IP_ADDRESS" : "IPV6_ADDRESS");
	return 1;
}

struct vti {
	uint32_t ikey, okey, fwmark, link;
	uint8_t local[16], remote[16];
	bool has_local, has_remote;
};

/* get_addr of the kind's family: a set address, or any (not sent). */
static int vti_addr(int family, const char *v, uint8_t *a, bool *set)
{
	struct ip_prefix p;
	if (ip_get_addr(&p, v, family) < 0) {
		fprintf(stderr, "Error: %s address is expected rather than \"%s\".\n",
			family == AF_INET6 ? "inet6" : "inet", v);
		return 1;
	}
	memcpy(a, p.data, 16);
	*set = !p.any;
	return 0;
}

static int vti_value(struct ip_ctx *c, struct vti *t, int family, const char *k, const char *v)
{
	if (ip_matches(k, "key") || ip_matches(k, "ikey") || ip_matches(k, "okey")) {
		bool both = ip_matches(k, "key");
		uint32_t key;
		int r = ip_tnl_parse_key(both ? "key" : k[0] == 'i' ? "ikey" : "okey", v, &key);
		if (r)
			return r;
		if (both || k[0] == 'i')
			t->ikey = key;
		if (both || k[0] == 'o')
			t->okey = key;
		return 0;
	}
	if (ip_matches(k, "remote"))
		return vti_addr(family, v, t->remote, &t->has_remote);
	if (ip_matches(k, "local"))
		return vti_addr(family, v, t->local, &t->has_local);
	if (ip_matches(k, "dev")) {
		t->link = (uint32_t)ip_ifindex(c, v);
		if (!t->link) {
			ip_nodev(v);
			return 255;
		}
		return 0;
	}
	if (ip_get_u32(&t->fwmark, v, 0) < 0) /* fwmark */
		return ip_invarg("invalid fwmark\n", v);
	return 0;
}

/* An address attribute as iproute2's get_addr_rta reads it: 4 or 16
 * bytes, of the family; set unless all zeros. False if it is neither. */
static bool vti_old_addr(const struct nlattr *a, size_t alen, uint8_t *out, bool *set)
{
	static const uint8_t zero[16];
	if (!a)
		return true;
	if (mnl_attr_get_payload_len(a) != alen)
		return false;
	memcpy(out, mnl_attr_get_payload(a), alen);
	*set = memcmp(out, zero, alen) != 0;
	return true;
}

/* ip link set: the link's present settings first (iproute2 reads its
 * IFLA_INFO_DATA as vti attributes, whatever kind the link is); 0, or 1
 * with iproute2's message when they cannot be read. */
static int vti_old(const struct nlattr *data, size_t alen, struct vti *t)
{
	const struct nlattr *tb[IFLA_VTI_MAX + 1] = {0};
	if (nl_parse_nested(data, NULL, IFLA_VTI_MAX, tb) < 0 ||
	    !vti_old_addr(tb[IFLA_VTI_LOCAL], alen, t->local, &t->has_local) ||
	    !vti_old_addr(tb[IFLA_VTI_REMOTE], alen, t->remote, &t->has_remote)) {
		fprintf(stderr, "Failed to get existing tunnel info.\n");
		return 1;
	}
	if (tb[IFLA_VTI_IKEY])
		t->ikey = mnl_attr_get_u32(tb[IFLA_VTI_IKEY]);
	if (tb[IFLA_VTI_OKEY])
		t->okey = mnl_attr_get_u32(tb[IFLA_VTI_OKEY]);
	if (tb[IFLA_VTI_LINK]) /* one byte of it, as iproute2 reads it */
		t->link = mnl_attr_get_u8(tb[IFLA_VTI_LINK]);
	if (tb[IFLA_VTI_FWMARK])
		t->fwmark = mnl_attr_get_u32(tb[IFLA_VTI_FWMARK]);
	return 0;
}

int ip_vti_parse(struct ip_ctx *c, const char *kind, struct nlmsghdr *nlh, int argc, char **argv)
{
	int family = strcmp(kind, "vti6") ? AF_INET : AF_INET6;
	size_t alen = family == AF_INET6 ? 16 : 4;
	struct vti t = {0};
	if (c->link_old_data && vti_old(c->link_old_data, alen, &t))
		return 1;
	for (; argc > 0; argc--, argv++) {
		const char *k = argv[0];
		static const char *const words[] = {"key",    "ikey",  "okey",
						    "remote", "local", "dev"};
		bool known = !strcmp(k, "fwmark");
		for (size_t i = 0; i < sizeof(words) / sizeof(words[0]) && !known; i++)
			known = ip_matches(k, words[i]);
		if (!known)
			return vti_usage(kind);
		if (argc < 2)
			return ip_incomplete(NULL);
		int r = vti_value(c, &t, family, k, argv[1]);
		if (r)
			return r;
		argc--;
		argv++;
	}
	mnl_attr_put_u32(nlh, IFLA_VTI_IKEY, t.ikey);
	mnl_attr_put_u32(nlh, IFLA_VTI_OKEY, t.okey);
	if (t.has_local)
		mnl_attr_put(nlh, IFLA_VTI_LOCAL, alen, t.local);
	if (t.has_remote)
		mnl_attr_put(nlh, IFLA_VTI_REMOTE, alen, t.remote);
	mnl_attr_put_u32(nlh, IFLA_VTI_FWMARK, t.fwmark);
	if (t.link)
		mnl_attr_put_u32(nlh, IFLA_VTI_LINK, t.link);
	return 0;
}

static void vti_print_key(struct ip_ctx *c, const char *name, const struct nlattr *a)
{
	char b[INET_ADDRSTRLEN], fmt[16];
	if (!a || mnl_attr_get_payload_len(a) < 4 || !mnl_attr_get_u32(a))
		return;
	inet_ntop(AF_INET, mnl_attr_get_payload(a), b, sizeof(b));
	snprintf(fmt, sizeof(fmt), "%s %%s ", name);
	emit_str(c->out, name, fmt, b);
}

static void vti_print(struct ip_ctx *c, const struct nlattr *data, int family)
{
	const struct nlattr *tb[IFLA_VTI_MAX + 1];
	char n[IP_NAMESZ], b[24];
	if (!data || nl_parse_nested(data, NULL, IFLA_VTI_MAX, tb) < 0)
		return;
	ip_tnl_print_endpoint(c, "remote", tb[IFLA_VTI_REMOTE], family);
	ip_tnl_print_endpoint(c, "local", tb[IFLA_VTI_LOCAL], family);
	uint32_t link = tb[IFLA_VTI_LINK] ? mnl_attr_get_u32(tb[IFLA_VTI_LINK]) : 0;
	if (link)
		emit_str(c->out, "link", "dev %s ", ip_ifname(c, link, n));
	vti_print_key(c, "ikey", tb[IFLA_VTI_IKEY]);
	vti_print_key(c, "okey", tb[IFLA_VTI_OKEY]);
	uint32_t mark = tb[IFLA_VTI_FWMARK] ? mnl_attr_get_u32(tb[IFLA_VTI_FWMARK]) : 0;
	snprintf(b, sizeof(b), "%#x", mark);
	if (mark)
		emit_str(c->out, "fwmark", "fwmark %s ", b);
}

void ip_vti_print(struct ip_ctx *c, const struct nlattr *data)
{
	vti_print(c, data, AF_INET);
}

void ip_vti6_print(struct ip_ctx *c, const struct nlattr *data)
{
	vti_print(c, data, AF_INET6);
}
