/* SPDX-License-Identifier: Apache-2.0 */
/* The virtual functions of an SR-IOV device (IFLA_VFINFO_LIST), printed as
 * iproute2 6.1's print_vfinfo prints them under `ip link show` and -d.
 * Every attribute is checked for its size: one that is missing or short
 * is left out (iproute2 reads a missing IFLA_VF_MAC or VLAN blindly). */
#include <arpa/inet.h>
#include <string.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <linux/if_ether.h>

#include "cmd/ip/link_priv.h"

static const void *vf_attr(const struct nlattr **vf, unsigned type, size_t len)
{
	if (!vf[type] || mnl_attr_get_payload_len(vf[type]) < len)
		return NULL;
	return mnl_attr_get_payload(vf[type]);
}

static const char *vlan_proto(uint16_t proto, char *buf, size_t len)
{
	if (proto == ETH_P_8021Q)
		return "802.1Q";
	if (proto == ETH_P_8021AD)
		return "802.1ad";
	snprintf(buf, len, "[%u]", proto);
	return buf;
}

static void print_vlans(struct ip_ctx *c, const struct nlattr **vf)
{
	if (vf[IFLA_VF_VLAN_LIST]) {
		const struct nlattr *a;
		mnl_attr_for_each_nested(a, vf[IFLA_VF_VLAN_LIST])
		{
			if (mnl_attr_get_payload_len(a) < sizeof(struct ifla_vf_vlan_info))
				continue;
			const struct ifla_vf_vlan_info *v = mnl_attr_get_payload(a);
			if (!v->vlan)
				continue;
			char b[16];
			emit_obj_open(c->out, NULL);
			emit_int(c->out, "vlan", ", vlan %d", (int)v->vlan);
			if (v->qos)
				emit_int(c->out, "qos", ", qos %d", (int)v->qos);
			if (v->vlan_proto)
				emit_str(c->out, "protocol", ", vlan protocol %s",
					 vlan_proto(ntohs(v->vlan_proto), b, sizeof(b)));
			emit_obj_close(c->out);
		}
		return;
	}
	const struct ifla_vf_vlan *v = vf_attr(vf, IFLA_VF_VLAN, sizeof(*v));
	if (v && v->vlan)
		emit_int(c->out, "vlan", ", vlan %d", (int)v->vlan);
	if (v && v->qos)
		emit_int(c->out, "qos", ", qos %d", (int)v->qos);
}

static void print_rates(struct ip_ctx *c, const struct nlattr **vf)
{
	const struct ifla_vf_tx_rate *tx = vf_attr(vf, IFLA_VF_TX_RATE, sizeof(*tx));
	if (tx && tx->rate)
		emit_uint(c->out, "tx_rate", ", tx rate %u (Mbps)", tx->rate);
	const struct ifla_vf_rate *r = vf_attr(vf, IFLA_VF_RATE, sizeof(*r));
	if (!r)
		return;
	if (!emit_is_text(c->out)) {
		emit_obj_open(c->out, "rate");
		emit_uint(c->out, "max_tx", NULL, r->max_tx_rate);
		emit_uint(c->out, "min_tx", NULL, r->min_tx_rate);
		emit_obj_close(c->out);
		return;
	}
	if (r->max_tx_rate)
		emit_text(c->out, ", max_tx_rate %uMbps", r->max_tx_rate);
	if (r->min_tx_rate)
		emit_text(c->out, ", min_tx_rate %uMbps", r->min_tx_rate);
}

static void print_guid(struct ip_ctx *c, const struct nlattr **vf, unsigned type, const char *key,
		       const char *fmt)
{
	const struct ifla_vf_guid *g = vf_attr(vf, type, sizeof(*g));
	if (!g)
		return;
	uint64_t v = g->guid;
	const uint8_t *p = (const uint8_t *)&v;
	char b[32];
	snprintf(b, sizeof(b), "%02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x", p[0], p[1], p[2], p[3],
		 p[4], p[5], p[6], p[7]);
	emit_str(c->out, key, fmt, b);
}

static void print_switches(struct ip_ctx *c, const struct nlattr **vf)
{
	const struct ifla_vf_spoofchk *sp = vf_attr(vf, IFLA_VF_SPOOFCHK, sizeof(*sp));
	if (sp && sp->setting != (uint32_t)-1)
		emit_bool(c->out, "spoofchk",
			  sp->setting ? ", spoof checking on" : ", spoof checking off",
			  sp->setting != 0);
	print_guid(c, vf, IFLA_VF_IB_NODE_GUID, "node guid", ", NODE_GUID %s");
	print_guid(c, vf, IFLA_VF_IB_PORT_GUID, "port guid", ", PORT_GUID %s");
	const struct ifla_vf_link_state *ls = vf_attr(vf, IFLA_VF_LINK_STATE, sizeof(*ls));
	if (ls)
		emit_str(c->out, "link_state", ", link-state %s",
			 ls->link_state == IFLA_VF_LINK_STATE_AUTO     ? "auto"
			 : ls->link_state == IFLA_VF_LINK_STATE_ENABLE ? "enable"
								       : "disable");
	const struct ifla_vf_trust *t = vf_attr(vf, IFLA_VF_TRUST, sizeof(*t));
	if (t && t->setting != (uint32_t)-1)
		emit_bool(c->out, "trust", t->setting ? ", trust on" : ", trust off",
			  t->setting != 0);
	const struct ifla_vf_rss_query_en *q = vf_attr(vf, IFLA_VF_RSS_QUERY_EN, sizeof(*q));
	if (q && q->setting != (uint32_t)-1)
		emit_bool(c->out, "query_rss_en", q->setting ? ", query_rss on" : ", query_rss off",
			  q->setting != 0);
}

static void print_vf(struct ip_ctx *c, const struct ifinfomsg *ifi, const struct nlattr *info)
{
	const struct nlattr *vf[IFLA_VF_MAX + 1];
	if (mnl_attr_get_type(info) != IFLA_VF_INFO) {
		fprintf(stderr, "BUG: rta type is %d\n", mnl_attr_get_type(info));
		return;
	}
	if (nl_parse_nested(info, NULL, IFLA_VF_MAX, vf) < 0)
		return;
	const struct ifla_vf_mac *mac = vf_attr(vf, IFLA_VF_MAC, sizeof(*mac));
	if (!mac)
		return;
	unsigned alen = ifi->ifi_type == ARPHRD_ETHER ? ETH_ALEN : 20; /* INFINIBAND_ALEN */
	char tn[32], b[128];
	emit_text(c->out, "%s    ", c->oneline ? "\\" : "\n");
	emit_int(c->out, "vf", "vf %d ", (int)mac->vf);
	emit_str(c->out, "link_type", "    link/%s ", ip_ll_type(ifi->ifi_type, tn, sizeof(tn)));
	ip_cstr(c, COL_MAC, "address", "%s",
		ip_ll_addr(mac->mac, alen, ifi->ifi_type, b, sizeof(b)));
	const struct ifla_vf_broadcast *bc = vf_attr(vf, IFLA_VF_BROADCAST, sizeof(*bc));
	if (bc) {
		if (ifi->ifi_flags & IFF_POINTOPOINT) {
			emit_text(c->out, " peer ");
			emit_bool(c->out, "link_pointtopoint", NULL, true);
		} else {
			emit_text(c->out, " brd ");
		}
		ip_cstr(c, COL_MAC, "broadcast", "%s",
			ip_ll_addr(bc->broadcast, alen, ifi->ifi_type, b, sizeof(b)));
	}
	print_vlans(c, vf);
	print_rates(c, vf);
	print_switches(c, vf);
}

void ip_print_vfinfo_list(struct ip_ctx *c, const struct ifinfomsg *ifi, const struct nlattr *list)
{
	emit_arr_open(c->out, "vfinfo_list");
	const struct nlattr *a;
	mnl_attr_for_each_nested(a, list)
	{
		emit_obj_open(c->out, NULL);
		print_vf(c, ifi, a);
		emit_obj_close(c->out);
	}
	emit_arr_close(c->out);
}
