/* SPDX-License-Identifier: Apache-2.0 */
/* ip addrlabel: the IPv6 address selection labels (RFC 6724), listed,
 * added, deleted and flushed as iproute2 6.1's `ip addrlabel` does. */
#include <stdlib.h>
#include <string.h>
#include <linux/if_addrlabel.h>
#include <linux/rtnetlink.h>

#include "cmd/ip/ip.h"
#include "lib/nl/msglist.h"

static int al_usage(void)
{
	fprintf(stderr,
		"Usage: ip addrlabel { add | del } prefix PREFIX [ dev DEV ] [ label LABEL ]\n"
		"       ip addrlabel [ list | flush | help ]\n");
	return 255;
}

struct al_ctx {
	struct ip_ctx *c;
	bool flush;
	struct nl_msg_list del; /* flush: the labels to delete, after the dump */
};

static int on_label(const struct nlmsghdr *nlh, void *data)
{
	struct al_ctx *a = data;
	struct ip_ctx *c = a->c;
	const struct ifaddrlblmsg *ifal = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFAL_MAX + 1];
	if ((nlh->nlmsg_type != RTM_NEWADDRLABEL && nlh->nlmsg_type != RTM_DELADDRLABEL) ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifal) ||
	    nl_parse(nlh, sizeof(*ifal), NULL, IFAL_MAX, tb) < 0)
		return MNL_CB_OK;
	if (a->flush)
		return nlh->nlmsg_type == RTM_NEWADDRLABEL && tb[IFAL_ADDRESS]
			       ? nl_msg_list_add(&a->del, nlh)
			       : MNL_CB_OK;
	char b[1100];
	emit_obj_open(c->out, NULL);
	if (nlh->nlmsg_type == RTM_DELADDRLABEL)
		emit_bool(c->out, "deleted", "Deleted ", true);
	if (tb[IFAL_ADDRESS]) {
		size_t l = mnl_attr_get_payload_len(tb[IFAL_ADDRESS]);
		int fam = ifal->ifal_family;
		if ((fam == AF_INET6 && l >= 16) || (fam == AF_INET && l >= 4))
			ip_fmt_host(c, fam, mnl_attr_get_payload(tb[IFAL_ADDRESS]), b, sizeof(b));
		else
			snprintf(b, sizeof(b), "???");
		emit_text(c->out, "prefix ");
		ip_cstr(c, ip_family_color(fam), "address", "%s", b);
		emit_uint(c->out, "prefixlen", "/%u ", ifal->ifal_prefixlen);
	}
	if (ifal->ifal_index)
		emit_str(c->out, "ifname", "dev %s ", ip_ifname(c, ifal->ifal_index, b));
	if (tb[IFAL_LABEL] && mnl_attr_get_payload_len(tb[IFAL_LABEL]) == sizeof(uint32_t))
		emit_uint(c->out, "label", "label %u ", mnl_attr_get_u32(tb[IFAL_LABEL]));
	emit_text(c->out, "\n");
	emit_obj_close(c->out);
	return MNL_CB_OK;
}

static int al_dump(struct ip_ctx *c, struct al_ctx *a)
{
	struct nl_sock *s;
	if (ip_nl(c, &s) < 0)
		return 1;
	char buf[128];
	struct nlmsghdr *nlh = nl_msg_start(s, buf, RTM_GETADDRLABEL, NLM_F_DUMP);
	struct ifaddrlblmsg *ifal = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifal));
	ifal->ifal_family = (uint8_t)(c->family ? c->family : AF_INET6);
	struct nl_err err;
	int r = nl_talk(s, nlh, on_label, a, &err);
	if (r < 0) {
		emit_flush(c->out);
		fprintf(stderr, "RTNETLINK answers: %s\n%s terminated\n", strerror(-err.code),
			a->flush ? "Flush" : "Dump");
		r = a->flush ? 1 : 255;
	}
	if (!r && nl_msg_list_send(s, &a->del, RTM_DELADDRLABEL, false, 0, &err) < 0) {
		ip_err_nl(c, &err, NULL);
		fprintf(stderr, "Flush terminated\n");
		r = 1;
	}
	nl_msg_list_free(&a->del);
	return r;
}

static int al_list(struct ip_ctx *c, int argc, bool flush)
{
	if (argc > 0) {
		fprintf(stderr, flush ? "\"ip addrlabel flush\" does not allow extra arguments\n"
				      : "\"ip addrlabel show\" does not take any arguments.\n");
		return 1;
	}
	struct al_ctx a = {.c = c, .flush = flush};
	if (!flush)
		emit_arr_open(c->out, NULL);
	int r = al_dump(c, &a);
	if (!flush)
		emit_arr_close(c->out);
	return r;
}

static int al_modify(struct ip_ctx *c, uint16_t cmd, int argc, char **argv)
{
	const char *p = NULL, *l = NULL;
	struct ip_prefix pfx = {0};
	uint32_t label = 0;
	int ifindex = 0;
	for (; argc > 0; argc--, argv++) {
		const char *k = argv[0];
		if (strcmp(k, "prefix") && strcmp(k, "dev") && strcmp(k, "label"))
			continue; /* iproute2 passes over other words */
		if (argc < 2)
			return ip_incomplete(NULL);
		const char *v = *++argv;
		argc--;
		if (!strcmp(k, "prefix")) {
			p = v;
			if (ip_get_prefix(&pfx, v, c->family) < 0) {
				fprintf(stderr,
					"Error: %s prefix is expected rather than \"%s\".\n",
					c->family == AF_INET	? "inet"
					: c->family == AF_INET6 ? "inet6"
								: "any valid",
					v);
				return 1;
			}
			if (pfx.bitlen < 0)
				pfx.bitlen = (int)pfx.bytelen * 8;
		} else if (!strcmp(k, "dev")) {
			if (!(ifindex = ip_ifindex(c, v)))
				return ip_invarg("dev is invalid\n", v);
		} else {
			l = v;
			if (ip_get_u32(&label, v, 0) < 0 || label == 0xffffffffu)
				return ip_invarg("label is invalid\n", v);
		}
	}
	if (!p || !l) {
		fprintf(stderr, "Not enough information: \"%s\" argument is required.\n",
			p ? "label" : "prefix");
		return 1;
	}
	struct nl_sock *s;
	if (ip_nl(c, &s) < 0)
		return 1;
	char buf[256];
	struct nlmsghdr *nlh =
		nl_msg_start(s, buf, cmd, cmd == RTM_NEWADDRLABEL ? NLM_F_CREATE | NLM_F_EXCL : 0);
	struct ifaddrlblmsg *ifal = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifal));
	ifal->ifal_family = (uint8_t)(c->family ? c->family : AF_INET6);
	ifal->ifal_index = (uint32_t)ifindex;
	ifal->ifal_prefixlen = (uint8_t)pfx.bitlen;
	mnl_attr_put_u32(nlh, IFAL_LABEL, label);
	mnl_attr_put(nlh, IFAL_ADDRESS, pfx.bytelen, pfx.data);
	struct nl_err err;
	if (nl_talk(s, nlh, NULL, NULL, &err) < 0) {
		ip_err_nl(c, &err, NULL);
		return 2;
	}
	return 0;
}

int ip_addrlabel(struct ip_ctx *c, int argc, char **argv)
{
	if (argc < 1)
		return al_list(c, 0, false);
	const char *k = argv[0];
	if (ip_matches(k, "list") || ip_matches(k, "lst") || ip_matches(k, "show"))
		return al_list(c, argc - 1, false);
	if (ip_matches(k, "add"))
		return al_modify(c, RTM_NEWADDRLABEL, argc - 1, argv + 1);
	if (ip_matches(k, "delete"))
		return al_modify(c, RTM_DELADDRLABEL, argc - 1, argv + 1);
	if (ip_matches(k, "flush"))
		return al_list(c, argc - 1, true);
	if (ip_matches(k, "help"))
		return al_usage();
	fprintf(stderr, "Command \"%s\" is unknown, try \"ip addrlabel help\".\n", k);
	return 255;
}
