/* SPDX-License-Identifier: Apache-2.0 */
/* The parts of a link's description that only -d and -s show: link
 * kind and its options, IPv6 address generation mode, counters. */
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "cmd/ip/link_priv.h"

static const struct {
	unsigned short type;
	const char *name;
} ll_types[] = {
	{0, "netrom"},
	{1, "ether"},
	{2, "eether"},
	{3, "ax25"},
	{4, "pronet"},
	{5, "chaos"},
	{6, "ieee802"},
	{7, "arcnet"},
	{8, "atalk"},
	{15, "dlci"},
	{19, "atm"},
	{23, "metricom"},
	{24, "ieee1394"},
	{32, "infiniband"},
	{256, "slip"},
	{257, "cslip"},
	{258, "slip6"},
	{259, "cslip6"},
	{260, "rsrvd"},
	{264, "adapt"},
	{270, "rose"},
	{271, "x25"},
	{272, "hwx25"},
	{280, "can"},
	{512, "ppp"},
	{513, "cisco"},
	{516, "lapb"},
	{517, "ddcmp"},
	{518, "rawhdlc"},
	{768, "ipip"},
	{769, "tunnel6"},
	{770, "frad"},
	{771, "skip"},
	{772, "loopback"},
	{773, "ltalk"},
	{774, "fddi"},
	{775, "bif"},
	{776, "sit"},
	{777, "ip/ddp"},
	{778, "gre"},
	{779, "pimreg"},
	{780, "hippi"},
	{781, "ash"},
	{782, "econet"},
	{783, "irda"},
	{784, "fcpp"},
	{785, "fcal"},
	{786, "fcpl"},
	{787, "fcfb0"},
	{800, "tr"},
	{801, "ieee802.11"},
	{802, "ieee802.11/prism"},
	{803, "ieee802.11/radiotap"},
	{804, "ieee802.15.4"},
	{805, "ieee802.15.4/monitor"},
	{820, "phonet"},
	{821, "phonet_pipe"},
	{822, "caif"},
	{823, "gre6"},
	{824, "netlink"},
	{825, "6lowpan"},
	{0xfffe, "none"},
	{0xffff, "void"},
};

const char *ip_ll_type(unsigned type, char *buf, size_t len)
{
	for (size_t i = 0; i < sizeof(ll_types) / sizeof(ll_types[0]); i++)
		if (ll_types[i].type == type)
			return ll_types[i].name;
	snprintf(buf, len, "[%u]", type);
	return buf;
}

static const char *const link_events[] = {
	"NONE",		"REBOOT",      "FEATURE CHANGE", "BONDING FAILOVER",
	"NOTIFY PEERS", "RESEND IGMP", "BONDING OPTION"};

void ip_print_link_event(struct ip_ctx *c, uint32_t event)
{
	if (event >= sizeof(link_events) / sizeof(link_events[0]))
		emit_int(c->out, "event", "event %d ", (int)event);
	else if (event)
		emit_str(c->out, "event", "event %s ", link_events[event]);
}

void ip_print_macvlan(struct ip_ctx *c, const struct nlattr *data)
{
	const struct nlattr *tb[IFLA_MACVLAN_MAX + 1];
	if (!data || nl_parse_nested(data, NULL, IFLA_MACVLAN_MAX, tb) < 0)
		return;
	if (!tb[IFLA_MACVLAN_MODE] || mnl_attr_get_payload_len(tb[IFLA_MACVLAN_MODE]) < 4)
		return;
	uint32_t mode = mnl_attr_get_u32(tb[IFLA_MACVLAN_MODE]);
	emit_str(c->out, "mode", "mode %s ",
		 mode == MACVLAN_MODE_PRIVATE	 ? "private"
		 : mode == MACVLAN_MODE_VEPA	 ? "vepa"
		 : mode == MACVLAN_MODE_BRIDGE	 ? "bridge"
		 : mode == MACVLAN_MODE_PASSTHRU ? "passthru"
		 : mode == MACVLAN_MODE_SOURCE	 ? "source"
						 : "unknown");
	uint16_t flags = 0;
	if (tb[IFLA_MACVLAN_FLAGS] && mnl_attr_get_payload_len(tb[IFLA_MACVLAN_FLAGS]) >= 2)
		flags = mnl_attr_get_u16(tb[IFLA_MACVLAN_FLAGS]);
	if (flags & MACVLAN_FLAG_NOPROMISC)
		emit_bool(c->out, "nopromisc", "nopromisc ", true);
	if (flags & MACVLAN_FLAG_NODST)
		emit_bool(c->out, "nodst", "nodst ", true);
	if (tb[IFLA_MACVLAN_BC_QUEUE_LEN] &&
	    mnl_attr_get_payload_len(tb[IFLA_MACVLAN_BC_QUEUE_LEN]) >= 4)
		emit_u64(c->out, "bcqueuelen", "bcqueuelen %lu ",
			 mnl_attr_get_u32(tb[IFLA_MACVLAN_BC_QUEUE_LEN]));
	if (tb[IFLA_MACVLAN_BC_QUEUE_LEN_USED] &&
	    mnl_attr_get_payload_len(tb[IFLA_MACVLAN_BC_QUEUE_LEN_USED]) >= 4)
		emit_u64(c->out, "usedbcqueuelen", "usedbcqueuelen %lu ",
			 mnl_attr_get_u32(tb[IFLA_MACVLAN_BC_QUEUE_LEN_USED]));
	/* source mode: the remote addresses */
	const struct nlattr *cnt = tb[IFLA_MACVLAN_MACADDR_COUNT];
	if (mode != MACVLAN_MODE_SOURCE || !cnt || mnl_attr_get_payload_len(cnt) < 4)
		return;
	emit_uint(c->out, "macaddr_count", "remotes (%u) ", mnl_attr_get_u32(cnt));
	if (!tb[IFLA_MACVLAN_MACADDR_DATA])
		return;
	if (!emit_is_text(c->out))
		emit_arr_open(c->out, "macaddr_data");
	const struct nlattr *a;
	mnl_attr_for_each_nested(a, tb[IFLA_MACVLAN_MACADDR_DATA])
	{
		if (mnl_attr_get_type(a) != IFLA_MACVLAN_MACADDR || mnl_attr_get_payload_len(a) < 6)
			continue;
		const uint8_t *m = mnl_attr_get_payload(a);
		char b[24];
		snprintf(b, sizeof(b), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3],
			 m[4], m[5]);
		emit_str(c->out, NULL, "%s ", b);
	}
	if (!emit_is_text(c->out))
		emit_arr_close(c->out);
}

/* Kinds whose options iproute2 prints (it opens "info_data" for them
 * even when the kernel sent none). */
static const struct kind_printer {
	const char *kind;
	void (*print)(struct ip_ctx *c, const struct nlattr *data);
} kinds[] = {
	{"bridge", ip_print_bridge},
	{"vxlan", ip_print_vxlan},
};

static const struct kind_printer slave_kinds[] = {
	{"bridge", ip_print_bridge_slave},
};

static const struct kind_printer *find_kind(const struct kind_printer *t, size_t n,
					    const char *kind)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].kind, kind))
			return &t[i];
	return NULL;
}

void ip_print_linkinfo(struct ip_ctx *c, const struct nlattr *linkinfo)
{
	const struct nlattr *li[IFLA_INFO_MAX + 1];
	nl_parse_nested(linkinfo, NULL, IFLA_INFO_MAX, li);
	emit_obj_open(c->out, "linkinfo");
	const struct nlattr *k = li[IFLA_INFO_KIND];
	if (k && mnl_attr_validate(k, MNL_TYPE_NUL_STRING) == 0) {
		ip_nl_sep(c);
		emit_str(c->out, "info_kind", "    %s ", mnl_attr_get_str(k));
		const struct kind_printer *p =
			find_kind(kinds, sizeof(kinds) / sizeof(kinds[0]), mnl_attr_get_str(k));
		const struct ip_kind *q = ip_kind_find(mnl_attr_get_str(k), false);
		if (p || q) {
			emit_obj_open(c->out, "info_data");
			(p ? p->print : q->print)(c, li[IFLA_INFO_DATA]);
			emit_obj_close(c->out);
		}
	}
	const struct nlattr *sk = li[IFLA_INFO_SLAVE_KIND];
	if (sk && mnl_attr_validate(sk, MNL_TYPE_NUL_STRING) == 0) {
		ip_nl_sep(c);
		emit_str(c->out, "info_slave_kind", "    %s_slave ", mnl_attr_get_str(sk));
		const struct kind_printer *p =
			find_kind(slave_kinds, sizeof(slave_kinds) / sizeof(slave_kinds[0]),
				  mnl_attr_get_str(sk));
		const struct ip_kind *q = ip_kind_find(mnl_attr_get_str(sk), true);
		if (p || q) {
			emit_obj_open(c->out, "info_slave_data");
			(p ? p->print : q->print)(c, li[IFLA_INFO_SLAVE_DATA]);
			emit_obj_close(c->out);
		}
	}
	emit_obj_close(c->out);
}

void ip_print_af_spec(struct ip_ctx *c, const struct nlattr *af_spec)
{
	const struct nlattr *a, *inet6 = NULL;
	mnl_attr_for_each_nested(a, af_spec)
	{
		if (mnl_attr_get_type(a) == AF_INET6)
			inet6 = a;
	}
	if (!inet6)
		return;
	const struct nlattr *tb[IFLA_INET6_MAX + 1];
	if (nl_parse_nested(inet6, NULL, IFLA_INET6_MAX, tb) < 0 || !tb[IFLA_INET6_ADDR_GEN_MODE] ||
	    mnl_attr_get_payload_len(tb[IFLA_INET6_ADDR_GEN_MODE]) < 1)
		return;
	uint8_t mode = mnl_attr_get_u8(tb[IFLA_INET6_ADDR_GEN_MODE]);
	static const char *const modes[] = {"eui64", "none", "stable_secret", "random"};
	char b[16];
	const char *s = b;
	if (mode < 4)
		s = modes[mode];
	else
		snprintf(b, sizeof(b), "%#.2hhx", mode);
	emit_str(c->out, "inet6_addr_gen_mode", "addrgenmode %s ", s);
}

/* ---- counters, as print_stats64() lays them out ---- */

static void size_col(unsigned *col, uint64_t v, bool human)
{
	if (human)
		return;
	unsigned len = 1;
	for (; v > 9; len++)
		v /= 10;
	if (len > *col)
		*col = len;
}

static void size_cols(unsigned *cols, const uint64_t *v, unsigned n, bool human)
{
	for (unsigned i = 0; i < n; i++)
		size_col(&cols[i], v[i], human);
}

static void stats_json(struct ip_ctx *c, const struct rtnl_link_stats64 *s, const struct nlattr *cc)
{
	struct emit *e = c->out;
	emit_obj_open(e, "rx");
	emit_u64(e, "bytes", NULL, s->rx_bytes);
	emit_u64(e, "packets", NULL, s->rx_packets);
	emit_u64(e, "errors", NULL, s->rx_errors);
	emit_u64(e, "dropped", NULL, s->rx_dropped);
	emit_u64(e, "over_errors", NULL, s->rx_over_errors);
	emit_u64(e, "multicast", NULL, s->multicast);
	if (s->rx_compressed)
		emit_u64(e, "compressed", NULL, s->rx_compressed);
	if (c->stats > 1) {
		emit_u64(e, "length_errors", NULL, s->rx_length_errors);
		emit_u64(e, "crc_errors", NULL, s->rx_crc_errors);
		emit_u64(e, "frame_errors", NULL, s->rx_frame_errors);
		emit_u64(e, "fifo_errors", NULL, s->rx_fifo_errors);
		emit_u64(e, "missed_errors", NULL, s->rx_missed_errors);
		if (s->rx_nohandler)
			emit_u64(e, "nohandler", NULL, s->rx_nohandler);
		if (s->rx_otherhost_dropped)
			emit_u64(e, "otherhost", NULL, s->rx_otherhost_dropped);
	}
	emit_obj_close(e);
	emit_obj_open(e, "tx");
	emit_u64(e, "bytes", NULL, s->tx_bytes);
	emit_u64(e, "packets", NULL, s->tx_packets);
	emit_u64(e, "errors", NULL, s->tx_errors);
	emit_u64(e, "dropped", NULL, s->tx_dropped);
	emit_u64(e, "carrier_errors", NULL, s->tx_carrier_errors);
	emit_u64(e, "collisions", NULL, s->collisions);
	if (s->tx_compressed)
		emit_u64(e, "compressed", NULL, s->tx_compressed);
	if (c->stats > 1) {
		emit_u64(e, "aborted_errors", NULL, s->tx_aborted_errors);
		emit_u64(e, "fifo_errors", NULL, s->tx_fifo_errors);
		emit_u64(e, "window_errors", NULL, s->tx_window_errors);
		emit_u64(e, "heartbeat_errors", NULL, s->tx_heartbeat_errors);
		if (cc)
			emit_u64(e, "carrier_changes", NULL, mnl_attr_get_u32(cc));
	}
	emit_obj_close(e);
}

/* lead, then each label right-aligned in its width, one space apart,
 * then tail: what printf("    RX: %*s %*s ...") gives, without printf. */
static void put_hdr(struct ip_ctx *c, const char *lead, const unsigned *w, const char *const *lab,
		    int n, const char *tail)
{
	char buf[512];
	size_t o = strlen(lead);
	memcpy(buf, lead, o);
	for (int i = 0; i < n; i++) {
		size_t l = strlen(lab[i]);
		size_t pad = w[i] > l ? w[i] - l : 0;
		if (o + pad + l + 16 > sizeof(buf))
			break;
		if (i)
			buf[o++] = ' ';
		memset(buf + o, ' ', pad);
		o += pad;
		memcpy(buf + o, lab[i], l);
		o += l;
	}
	size_t t = strlen(tail);
	if (o + t < sizeof(buf)) {
		memcpy(buf + o, tail, t);
		o += t;
	}
	emit_raw(c->out, buf, o);
}

static void put_indent(struct ip_ctx *c, const char *sl, unsigned n)
{
	char buf[128];
	size_t l = strlen(sl);
	if (n + l > sizeof(buf))
		n = (unsigned)(sizeof(buf) - l);
	memcpy(buf, sl, l);
	memset(buf + l, ' ', n);
	emit_raw(c->out, buf, l + n);
}

static void rx_err_text(struct ip_ctx *c, const struct rtnl_link_stats64 *s, const unsigned *cols,
			const uint64_t *rxe, const char *sl)
{
	const char *lab[7] = {"length", "crc", "frame", "fifo", "overrun"};
	unsigned w[7] = {cols[1], cols[2], cols[3], cols[4], cols[5]};
	int n = 5;
	if (s->rx_nohandler) {
		lab[n] = "nohandler";
		w[n++] = cols[6];
	}
	if (s->rx_otherhost_dropped) {
		lab[n] = "otherhost";
		w[n++] = cols[7];
	}
	emit_raw(c->out, sl, strlen(sl));
	put_hdr(c, "    RX errors: ", w, lab, n, "");
	put_indent(c, sl, cols[0] + 5);
	for (int i = 1; i < 6; i++)
		ip_print_num(c, cols[i], rxe[i]);
	if (s->rx_nohandler)
		ip_print_num(c, cols[6], s->rx_nohandler);
	if (s->rx_otherhost_dropped)
		ip_print_num(c, cols[7], s->rx_otherhost_dropped);
}

static void tx_err_text(struct ip_ctx *c, const unsigned *cols, const uint64_t *txe,
			const struct nlattr *cc, const char *sl)
{
	const char *lab[5] = {"aborted", "fifo", "window", "heartbt", "transns"};
	emit_raw(c->out, sl, strlen(sl));
	put_hdr(c, "    TX errors: ", cols + 1, lab, cc ? 5 : 4, "");
	put_indent(c, sl, cols[0] + 5);
	for (int i = 1; i < 5; i++)
		ip_print_num(c, cols[i], txe[i]);
	if (cc)
		ip_print_num(c, cols[5], txe[5]);
}

static void stats_text(struct ip_ctx *c, const struct rtnl_link_stats64 *s, const struct nlattr *cc)
{
	unsigned cols[8] = {10, 7, 6, 7, 7, 7, 10, 9};
	uint64_t ccv = cc ? mnl_attr_get_u32(cc) : 0;
	uint64_t rx[] = {s->rx_bytes,	      s->rx_packets, s->rx_errors,    s->rx_dropped,
			 s->rx_missed_errors, s->multicast,  s->rx_compressed};
	uint64_t rxe[] = {0,
			  s->rx_length_errors,
			  s->rx_crc_errors,
			  s->rx_frame_errors,
			  s->rx_fifo_errors,
			  s->rx_over_errors,
			  s->rx_nohandler,
			  s->rx_otherhost_dropped};
	uint64_t tx[] = {s->tx_bytes,	       s->tx_packets, s->tx_errors,    s->tx_dropped,
			 s->tx_carrier_errors, s->collisions, s->tx_compressed};
	uint64_t txe[] = {0,
			  s->tx_aborted_errors,
			  s->tx_fifo_errors,
			  s->tx_window_errors,
			  s->tx_heartbeat_errors,
			  ccv};
	size_cols(cols, rx, 7, c->human);
	if (c->stats > 1)
		size_cols(cols, rxe, 8, c->human);
	size_cols(cols, tx, 7, c->human);
	if (c->stats > 1)
		size_cols(cols, txe, 6, c->human);
	const char *sl = c->oneline ? "\\" : "\n";
	unsigned w[7] = {cols[0] - 4, cols[1], cols[2], cols[3], cols[4], cols[5], cols[6]};
	const char *rxl[7] = {"bytes",
			      "packets",
			      "errors",
			      "dropped",
			      "missed",
			      "mcast",
			      s->rx_compressed ? "compressed" : ""};
	put_hdr(c, "    RX: ", w, rxl, 7, sl);
	emit_raw(c->out, "    ", 4);
	for (int i = 0; i < 6; i++)
		ip_print_num(c, cols[i], rx[i]);
	if (s->rx_compressed)
		ip_print_num(c, cols[6], s->rx_compressed);
	if (c->stats > 1)
		rx_err_text(c, s, cols, rxe, sl);
	emit_raw(c->out, sl, strlen(sl));
	const char *txl[7] = {"bytes",
			      "packets",
			      "errors",
			      "dropped",
			      "carrier",
			      "collsns",
			      s->tx_compressed ? "compressed" : ""};
	put_hdr(c, "    TX: ", w, txl, 7, sl);
	emit_raw(c->out, "    ", 4);
	for (int i = 0; i < 6; i++)
		ip_print_num(c, cols[i], tx[i]);
	if (s->tx_compressed)
		ip_print_num(c, cols[6], s->tx_compressed);
	if (c->stats > 1)
		tx_err_text(c, cols, txe, cc, sl);
}

/* ---- counters from RTM_GETSTATS ----
 * A link dump with counters also makes the kernel fill every link's IPv6
 * SNMP tables, which nobody prints; RTEXT_FILTER_SKIP_STATS avoids that
 * but drops IFLA_STATS64 as well. So `ip -s link` fetches the 64-bit
 * counters alone with one RTM_GETSTATS dump first (about 200 bytes a
 * link), then streams a lean link dump. */
struct ip_stats_tab {
	struct nl_sock s; /* its own socket: it runs beside the link dump */
	pthread_t th;
	bool running;
	int rc;
	size_t cap, n;
	struct stats_ent {
		uint32_t ifindex;
		struct rtnl_link_stats64 s;
	} * e;
};

static int on_stats(const struct nlmsghdr *nlh, void *data)
{
	struct ip_stats_tab *t = data;
	const struct if_stats_msg *ism = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFLA_STATS_MAX + 1];
	if (nlh->nlmsg_type != RTM_NEWSTATS || mnl_nlmsg_get_payload_len(nlh) < sizeof(*ism) ||
	    nl_parse(nlh, sizeof(*ism), NULL, IFLA_STATS_MAX, tb) < 0 || !tb[IFLA_STATS_LINK_64])
		return MNL_CB_OK;
	if (t->n == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 64;
		struct stats_ent *ne = realloc(t->e, ncap * sizeof(*ne));
		if (!ne)
			return MNL_CB_ERROR;
		t->e = ne;
		t->cap = ncap;
	}
	struct stats_ent *e = &t->e[t->n++];
	memset(e, 0, sizeof(*e));
	e->ifindex = ism->ifindex;
	size_t len = mnl_attr_get_payload_len(tb[IFLA_STATS_LINK_64]);
	memcpy(&e->s, mnl_attr_get_payload(tb[IFLA_STATS_LINK_64]),
	       len < sizeof(e->s) ? len : sizeof(e->s));
	return MNL_CB_OK;
}

static void *stats_thread(void *arg)
{
	struct ip_stats_tab *t = arg;
	char buf[128];
	struct nlmsghdr *nlh = nl_msg_start(&t->s, buf, RTM_GETSTATS, NLM_F_DUMP);
	struct if_stats_msg *ism = mnl_nlmsg_put_extra_header(nlh, sizeof(*ism));
	ism->filter_mask = IFLA_STATS_FILTER_BIT(IFLA_STATS_LINK_64);
	t->rc = nl_talk(&t->s, nlh, on_stats, t, NULL);
	return NULL;
}

/* Start the counters' dump on a thread of its own, so that the kernel
 * builds it on the other core while the link dump is under way. */
int ip_stats_load(struct ip_ctx *c)
{
	struct ip_stats_tab *t = calloc(1, sizeof(*t));
	if (!t)
		return -1;
	if (nl_open(&t->s, NETLINK_ROUTE, NULL) < 0) {
		free(t);
		return -1;
	}
	if (pthread_create(&t->th, NULL, stats_thread, t) != 0) {
		nl_close(&t->s);
		free(t);
		return -1;
	}
	t->running = true;
	c->stab = t;
	return 0;
}

static void stats_wait(struct ip_stats_tab *t)
{
	if (t->running) {
		pthread_join(t->th, NULL);
		t->running = false;
		if (t->rc < 0)
			t->n = 0; /* no counters rather than wrong ones */
	}
}

void ip_stats_free(struct ip_ctx *c)
{
	if (c->stab) {
		stats_wait(c->stab);
		nl_close(&c->stab->s);
		free(c->stab->e);
		free(c->stab);
		c->stab = NULL;
	}
}

/* Links and stats come in the same (ifindex) order: try the next slot
 * before searching. */
static const struct rtnl_link_stats64 *stats_find(struct ip_ctx *c, uint32_t ifindex)
{
	struct ip_stats_tab *t = c->stab;
	stats_wait(t);
	if (t->n && t->e[c->stab_hint % t->n].ifindex == ifindex)
		return &t->e[c->stab_hint++ % t->n].s;
	for (size_t i = 0; i < t->n; i++)
		if (t->e[i].ifindex == ifindex) {
			c->stab_hint = i + 1;
			return &t->e[i].s;
		}
	return NULL;
}

void ip_print_link_stats(struct ip_ctx *c, uint32_t ifindex, const struct nlattr **tb)
{
	struct rtnl_link_stats64 s = {0};
	const char *key = "stats64";
	const struct rtnl_link_stats64 *fetched = c->stab ? stats_find(c, ifindex) : NULL;
	if (fetched) {
		s = *fetched;
	} else if (tb[IFLA_STATS64]) {
		memcpy(&s, mnl_attr_get_payload(tb[IFLA_STATS64]),
		       mnl_attr_get_payload_len(tb[IFLA_STATS64]) < sizeof(s)
			       ? mnl_attr_get_payload_len(tb[IFLA_STATS64])
			       : sizeof(s));
	} else if (tb[IFLA_STATS]) {
		const struct rtnl_link_stats *o = mnl_attr_get_payload(tb[IFLA_STATS]);
		memset(&s, 0, sizeof(s));
		const uint32_t *src = (const uint32_t *)o;
		uint64_t *dst = (uint64_t *)&s;
		for (size_t i = 0; i < sizeof(*o) / 4 && i < sizeof(s) / 8; i++)
			dst[i] = src[i];
		key = "stats";
	} else {
		return;
	}
	if (!emit_is_text(c->out)) {
		emit_obj_open(c->out, key);
		stats_json(c, &s, tb[IFLA_CARRIER_CHANGES]);
		emit_obj_close(c->out);
		return;
	}
	stats_text(c, &s, tb[IFLA_CARRIER_CHANGES]);
}
