/* SPDX-License-Identifier: Apache-2.0 */
/* ip netconf: the kernel's per-device IP configuration (forwarding,
 * rp_filter, ...), dumped and printed as iproute2 6.1's `ip netconf
 * show`; ip monitor prints its events with the same printer. */
#include <string.h>
#include <unistd.h>
#include <linux/netconf.h>
#include <linux/rtnetlink.h>

#include "cmd/ip/ip.h"

void ip_print_netconf(struct ip_ctx *c, const struct nlmsghdr *nlh)
{
	const struct netconfmsg *ncm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[NETCONFA_MAX + 1];
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*ncm) ||
	    nl_parse(nlh, sizeof(*ncm), NULL, NETCONFA_MAX, tb) < 0)
		return;
	static const uint16_t onoff[] = {NETCONFA_FORWARDING,
					 0,
					 NETCONFA_MC_FORWARDING,
					 NETCONFA_PROXY_NEIGH,
					 NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN,
					 NETCONFA_INPUT};
	static const char *const names[] = {"forwarding",
					    "rp_filter",
					    "mc_forwarding",
					    "proxy_neigh",
					    "ignore_routes_with_linkdown",
					    "input"};
	if (nlh->nlmsg_type == RTM_DELNETCONF)
		emit_bool(c->out, "deleted", "Deleted ", true);
	const char *fam = ncm->ncm_family == AF_INET	? "inet"
			  : ncm->ncm_family == AF_INET6 ? "inet6"
			  : ncm->ncm_family == AF_MPLS	? "mpls"
							: "???";
	emit_str(c->out, "family", "%s ", fam);
	if (tb[NETCONFA_IFINDEX] && mnl_attr_get_payload_len(tb[NETCONFA_IFINDEX]) >= 4) {
		int idx = (int)mnl_attr_get_u32(tb[NETCONFA_IFINDEX]);
		char nb[IP_NAMESZ];
		const char *name = idx == NETCONFA_IFINDEX_ALL ? "all"
				   : idx == NETCONFA_IFINDEX_DEFAULT
					   ? "default"
					   : ip_ifname(c, (uint32_t)idx, nb);
		emit_str(c->out, "interface", "%s ", name);
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		uint16_t attr = i == 1 ? NETCONFA_RP_FILTER : onoff[i];
		const struct nlattr *a = tb[attr];
		if (!a || mnl_attr_get_payload_len(a) < 4)
			continue;
		uint32_t v = mnl_attr_get_u32(a);
		char fmt[64];
		snprintf(fmt, sizeof(fmt), "%s %%s ", names[i]);
		if (i == 1) {
			emit_str(c->out, names[i], fmt,
				 v == 0	  ? "off"
				 : v == 1 ? "strict"
				 : v == 2 ? "loose"
					  : "unknown mode");
		} else if (emit_is_text(c->out)) {
			emit_str(c->out, NULL, fmt, v ? "on" : "off");
		} else {
			emit_bool(c->out, names[i], NULL, v != 0);
		}
	}
	emit_text(c->out, "\n");
}

struct nc_ctx {
	struct ip_ctx *c;
	int family;
	uint32_t ifindex;
};

static int on_netconf(const struct nlmsghdr *nlh, void *data)
{
	struct nc_ctx *n = data;
	const struct netconfmsg *ncm = mnl_nlmsg_get_payload(nlh);
	if ((nlh->nlmsg_type != RTM_NEWNETCONF && nlh->nlmsg_type != RTM_DELNETCONF) ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*ncm))
		return MNL_CB_OK;
	if (n->family && n->family != ncm->ncm_family)
		return MNL_CB_OK;
	const struct nlattr *tb[NETCONFA_MAX + 1];
	if (nl_parse(nlh, sizeof(*ncm), NULL, NETCONFA_MAX, tb) < 0)
		return MNL_CB_OK;
	uint32_t idx = tb[NETCONFA_IFINDEX] && mnl_attr_get_payload_len(tb[NETCONFA_IFINDEX]) >= 4
			       ? mnl_attr_get_u32(tb[NETCONFA_IFINDEX])
			       : 0;
	if (n->ifindex && n->ifindex != idx)
		return MNL_CB_OK;
	emit_obj_open(n->c->out, NULL);
	ip_print_netconf(n->c, nlh);
	emit_obj_close(n->c->out);
	return MNL_CB_OK;
}

static int nc_request(struct ip_ctx *c, struct nc_ctx *n, bool dump)
{
	struct nl_sock *s;
	if (ip_nl(c, &s) < 0)
		return 1;
	char buf[128];
	struct nlmsghdr *nlh = nl_msg_start(s, buf, RTM_GETNETCONF, dump ? NLM_F_DUMP : 0);
	struct netconfmsg *ncm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ncm));
	ncm->ncm_family = (uint8_t)n->family;
	if (!dump)
		mnl_attr_put_u32(nlh, NETCONFA_IFINDEX, n->ifindex);
	struct nl_err err;
	if (nl_talk(s, nlh, on_netconf, n, &err) < 0) {
		emit_flush(c->out);
		if (dump) {
			fprintf(stderr, "RTNETLINK answers: %s\nDump terminated\n",
				strerror(-err.code));
			return 1;
		}
		fprintf(stderr, "Can not send request: %s\n", strerror(-err.code));
		return 1;
	}
	return 0;
}

static int nc_show(struct ip_ctx *c, int argc, char **argv)
{
	struct nc_ctx n = {.c = c, .family = c->family};
	for (; argc > 0; argc--, argv++) {
		if (strcmp(argv[0], "dev"))
			continue;
		if (argc < 2)
			return ip_incomplete(NULL);
		int idx = ip_ifindex(c, argv[1]);
		if (idx <= 0) {
			fprintf(stderr, "Device \"%s\" does not exist.\n", argv[1]);
			return 1;
		}
		n.ifindex = (uint32_t)idx;
		argc--;
		argv++;
	}
	if (n.ifindex && n.family) {
		/* one answer, printed as text even with -j: iproute2 opens no
		 * JSON document on this path */
		emit_finish(c->out);
		emit_init(c->out, STDOUT_FILENO, EMIT_TEXT, 0);
		return nc_request(c, &n, false);
	}
	emit_arr_open(c->out, NULL);
	int r = nc_request(c, &n, true);
	emit_arr_close(c->out);
	return r;
}

int ip_netconf(struct ip_ctx *c, int argc, char **argv)
{
	if (argc < 1)
		return nc_show(c, 0, NULL);
	if (ip_matches(argv[0], "show") || ip_matches(argv[0], "lst") ||
	    ip_matches(argv[0], "list"))
		return nc_show(c, argc - 1, argv + 1);
	if (ip_matches(argv[0], "help")) {
		fprintf(stderr, "Usage: ip netconf show [ dev STRING ]\n");
		return 255;
	}
	fprintf(stderr, "Command \"%s\" is unknown, try \"ip netconf help\".\n", argv[0]);
	return 255;
}
