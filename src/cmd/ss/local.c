/* SPDX-License-Identifier: Apache-2.0 */
/* UNIX, PACKET and NETLINK sockets through sock_diag. The kernel has no
 * bytecode for these, so the filter runs here. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <linux/filter.h>
#include <linux/netlink_diag.h>
#include <linux/packet_diag.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>

#include "cmd/ss/ss.h"
#include "lib/nl/diag.h"

static int dump(struct ss_ctx *c, const void *req, size_t len, nl_cb cb)
{
	struct nl_sock nl;
	int e = nl_open(&nl, NETLINK_SOCK_DIAG, NULL);
	if (e < 0) {
		fprintf(stderr, "Cannot open netlink socket: %s\n", strerror(-e));
		return -1;
	}
	struct nl_err err;
	int r = nl_diag_dump(&nl, SOCK_DIAG_BY_FAMILY, req, len, NULL, 0, cb, c, &err);
	if (r < 0 && err.code && err.code != -ENOENT && err.code != -EOPNOTSUPP)
		fprintf(stderr, "RTNETLINK answers: %s\n", strerror(-err.code));
	nl_close(&nl);
	return r < 0 ? -1 : 0;
}

static int unix_file_show(struct ss_ctx *c);
static int packet_file_show(struct ss_ctx *c);
static int netlink_file_show(struct ss_ctx *c);

void ss_diag_probe(void)
{
	struct nl_sock nl;
	int e = nl_open(&nl, NETLINK_SOCK_DIAG, NULL);
	if (e < 0)
		fprintf(stderr, "Cannot open netlink socket: %s\n", strerror(-e));
	else
		nl_close(&nl);
}

static bool filter_ok(struct ss_ctx *c, struct ssf_sock *fs)
{
	return !c->filter || ssf_match(c->filter, fs);
}

/* ---- UNIX ---- */

static bool unix_autobound(const char *name)
{
	return !name ||
	       (name[0] == '@' && strlen(name) == 6 && strspn(name + 1, "0123456789abcdef") == 5);
}

static void unix_details(struct ss_ctx *c, const struct nlattr **tb)
{
	if (tb[UNIX_DIAG_SHUTDOWN]) {
		unsigned m = mnl_attr_get_u8(tb[UNIX_DIAG_SHUTDOWN]);
		sv_text(c, " %c-%c", m & 1 ? '-' : '<', m & 2 ? '-' : '>');
		sv_u64(c, "shutdown", NULL, m);
	}
	if (tb[UNIX_DIAG_VFS]) {
		struct unix_diag_vfs v;
		memcpy(&v, mnl_attr_get_payload(tb[UNIX_DIAG_VFS]), sizeof(v));
		sv_u64(c, "vfs_ino", " ino:%" PRIu64, v.udiag_vfs_ino);
		sv_text(c, " dev:%u/%u", major(v.udiag_vfs_dev), minor(v.udiag_vfs_dev));
		sv_u64(c, "vfs_dev", NULL, v.udiag_vfs_dev);
	}
	if (tb[UNIX_DIAG_ICONS]) {
		const uint32_t *p = mnl_attr_get_payload(tb[UNIX_DIAG_ICONS]);
		size_t n = mnl_attr_get_payload_len(tb[UNIX_DIAG_ICONS]) / 4;
		sv_text(c, " peers:");
		sv_arr_open(c, "peers");
		for (size_t i = 0; i < n; i++) {
			uint32_t v;
			memcpy(&v, p + i, 4);
			sv_u64(c, NULL, " %" PRIu64, v);
		}
		sv_arr_close(c);
	}
}

static const struct nl_policy unix_pol[UNIX_DIAG_MAX + 1] = {
	[UNIX_DIAG_VFS] = {MNL_TYPE_BINARY, sizeof(struct unix_diag_vfs)},
	[UNIX_DIAG_PEER] = {MNL_TYPE_U32, 0},
	[UNIX_DIAG_RQLEN] = {MNL_TYPE_BINARY, sizeof(struct unix_diag_rqlen)},
	[UNIX_DIAG_SHUTDOWN] = {MNL_TYPE_U8, 0},
};

static bool unix_type_skip(const struct ss_ctx *c, int type)
{
	return (type == SOCK_STREAM && !(c->dbs & DBM(DB_UNIX_ST))) ||
	       (type == SOCK_DGRAM && !(c->dbs & DBM(DB_UNIX_DG))) ||
	       (type == SOCK_SEQPACKET && !(c->dbs & DBM(DB_UNIX_SQ)));
}

static int on_unix(const struct nlmsghdr *nlh, void *data)
{
	struct ss_ctx *c = data;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct unix_diag_msg))
		return MNL_CB_OK;
	const struct unix_diag_msg *r = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[UNIX_DIAG_MAX + 1];
	nl_parse(nlh, sizeof(*r), unix_pol, UNIX_DIAG_MAX, tb);
	struct ss_sock s = {.family = AF_UNIX,
			    .type = r->udiag_type,
			    .state = r->udiag_state,
			    .ino = r->udiag_ino,
			    .lport = (int)r->udiag_ino};
	if (unix_type_skip(c, s.type))
		return MNL_CB_OK;
	if (tb[UNIX_DIAG_RQLEN]) {
		struct unix_diag_rqlen q;
		memcpy(&q, mnl_attr_get_payload(tb[UNIX_DIAG_RQLEN]), sizeof(q));
		s.rq = q.udiag_rqueue;
		s.wq = q.udiag_wqueue;
	}
	char name[128];
	const char *lname = NULL;
	if (tb[UNIX_DIAG_NAME]) {
		size_t len = mnl_attr_get_payload_len(tb[UNIX_DIAG_NAME]);
		if (len > sizeof(name) - 1)
			len = sizeof(name) - 1;
		memcpy(name, mnl_attr_get_payload(tb[UNIX_DIAG_NAME]), len);
		name[len] = '\0';
		if (name[0] == '\0')
			for (size_t i = 0; i < len; i++)
				if (!name[i])
					name[i] = '@';
		lname = name;
	}
	if (tb[UNIX_DIAG_PEER])
		s.rport = (int)mnl_attr_get_u32(tb[UNIX_DIAG_PEER]);
	struct ssf_sock fs = {.family = AF_UNIX,
			      .lport = s.lport,
			      .rport = s.rport,
			      .lname = lname,
			      .autobound = unix_autobound(lname)};
	if (!filter_ok(c, &fs))
		return MNL_CB_OK;
	char lp[16], rp[16];
	snprintf(lp, sizeof(lp), "%d", s.lport);
	snprintf(rp, sizeof(rp), "%d", s.rport);
	sv_rec_begin(c);
	ss_print_state(c, &s);
	ss_print_addr(c, "local", lname ? lname : "*", " ", lp, NULL);
	ss_print_addr(c, "peer", "*", " ", rp, NULL);
	ss_print_users(c, s.ino);
	if (c->show_mem && tb[UNIX_DIAG_MEMINFO])
		ss_print_skmem(c, mnl_attr_get_payload(tb[UNIX_DIAG_MEMINFO]),
			       mnl_attr_get_payload_len(tb[UNIX_DIAG_MEMINFO]) / 4);
	if (c->show_details)
		unix_details(c, tb);
	sv_rec_end(c);
	return MNL_CB_OK;
}

int ss_unix_show(struct ss_ctx *c)
{
	if (!(c->families & FAMILY_MASK(AF_UNIX)))
		return 0;
	if (ss_proc_forced("PROC_NET_UNIX"))
		return unix_file_show(c);
	struct unix_diag_req req = {.sdiag_family = AF_UNIX,
				    .udiag_states = (uint32_t)c->states,
				    .udiag_show =
					    UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN};
	if (c->show_mem)
		req.udiag_show |= UDIAG_SHOW_MEMINFO;
	if (c->show_details)
		req.udiag_show |= UDIAG_SHOW_VFS | UDIAG_SHOW_ICONS;
	/* sock_diag failed: iproute2 reads the file */
	return dump(c, &req, sizeof(req), on_unix) ? unix_file_show(c) : 0;
}

/* ---- PACKET ---- */

static const struct {
	int id;
	const char *name;
} ll_protos[] = {
	{0x0001, "802_3"},     {0x0002, "ax25"},     {0x0003, "all"},	  {0x0004, "802_2"},
	{0x0005, "snap"},      {0x0006, "ddcmp"},    {0x0007, "wan_ppp"}, {0x0008, "ppp_mp"},
	{0x0009, "localtalk"}, {0x000C, "can"},	     {0x0010, "ppptalk"}, {0x0011, "tr_802_2"},
	{0x0015, "mobitex"},   {0x0016, "control"},  {0x0017, "irda"},	  {0x0018, "econet"},
	{0x0060, "loop"},      {0x0200, "pup"},	     {0x0201, "pupat"},	  {0x0800, "ip"},
	{0x0805, "x25"},       {0x0806, "arp"},	     {0x08FF, "bpq"},	  {0x0a00, "ieeepup"},
	{0x0a01, "ieeepupat"}, {0x6000, "dec"},	     {0x6001, "dna_dl"},  {0x6002, "dna_rc"},
	{0x6003, "dna_rt"},    {0x6004, "lat"},	     {0x6005, "diag"},	  {0x6006, "cust"},
	{0x6007, "sca"},       {0x8035, "rarp"},     {0x809B, "atalk"},	  {0x80F3, "aarp"},
	{0x8100, "802.1Q"},    {0x8137, "ipx"},	     {0x86DD, "ipv6"},	  {0x8847, "mpls_uc"},
	{0x8848, "mpls_mc"},   {0x8863, "ppp_disc"}, {0x8864, "ppp_ses"}, {0x884c, "atmmpoa"},
	{0x8884, "atmfate"},   {0x88a8, "802.1ad"},  {0x88ca, "tipc"},	  {0x88a2, "aoe"},
	{0x88e5, "macsec"},    {0x88f7, "ptp"},	     {0x8906, "fcoe"},	  {0x8914, "fip"},
};

static const char *ll_proto_name(const struct ss_ctx *c, int id, char *buf, size_t len)
{
	for (size_t i = 0; !c->numeric && i < sizeof(ll_protos) / sizeof(ll_protos[0]); i++)
		if (ll_protos[i].id == id)
			return ll_protos[i].name;
	snprintf(buf, len, "[%d]", id);
	return buf;
}

static void ring_print(struct ss_ctx *c, const char *name, const struct nlattr *a)
{
	struct packet_diag_ring r;
	if (mnl_attr_get_payload_len(a) < sizeof(r))
		return;
	memcpy(&r, mnl_attr_get_payload(a), sizeof(r));
	sv_text(c, c->oneline ? " %s(" : "\n\t%s(", name);
	sv_obj_open(c, name);
	sv_int(c, "blk_size", "blk_size:%d", (int)r.pdr_block_size);
	sv_int(c, "blk_nr", ",blk_nr:%d", (int)r.pdr_block_nr);
	sv_int(c, "frm_size", ",frm_size:%d", (int)r.pdr_frame_size);
	sv_int(c, "frm_nr", ",frm_nr:%d", (int)r.pdr_frame_nr);
	sv_int(c, "tmo", ",tmo:%d", (int)r.pdr_retire_tmo);
	sv_u64(c, "features", ",features:0x%" PRIx64, r.pdr_features);
	sv_obj_close(c);
	sv_text(c, ")");
}

static void packet_details(struct ss_ctx *c, const struct nlattr **tb)
{
	if (tb[PACKET_DIAG_INFO]) {
		struct packet_diag_info pi;
		memcpy(&pi, mnl_attr_get_payload(tb[PACKET_DIAG_INFO]), sizeof(pi));
		sv_int(c, "ver", c->oneline ? " ver:%d" : "\n\tver:%d", (int)pi.pdi_version);
		sv_int(c, "cpy_thresh", " cpy_thresh:%d", (int)pi.pdi_copy_thresh);
		sv_text(c, " flags( ");
		sv_text(c, "%s", pi.pdi_flags & PDI_RUNNING ? "running" : "");
		sv_text(c, "%s", pi.pdi_flags & PDI_AUXDATA ? " auxdata" : "");
		sv_text(c, "%s", pi.pdi_flags & PDI_ORIGDEV ? " origdev" : "");
		sv_text(c, "%s", pi.pdi_flags & PDI_VNETHDR ? " vnethdr" : "");
		sv_text(c, "%s", pi.pdi_flags & PDI_LOSS ? " loss" : "");
		sv_text(c, "%s", pi.pdi_flags ? "" : "0");
		sv_text(c, " )");
		sv_u64(c, "flags", NULL, pi.pdi_flags);
	}
	if (tb[PACKET_DIAG_RX_RING])
		ring_print(c, "ring_rx", tb[PACKET_DIAG_RX_RING]);
	if (tb[PACKET_DIAG_TX_RING])
		ring_print(c, "ring_tx", tb[PACKET_DIAG_TX_RING]);
	if (tb[PACKET_DIAG_FANOUT]) {
		static const char *const types[] = {"hash", "lb", "cpu", "roll", "random", "qm"};
		uint32_t f = mnl_attr_get_u32(tb[PACKET_DIAG_FANOUT]);
		unsigned type = (f >> 16) & 0xffff;
		sv_text(c, c->oneline ? " fanout(" : "\n\tfanout(");
		sv_obj_open(c, "fanout");
		sv_int(c, "id", "id:%d,", (int)(f & 0xffff));
		if (type < 6)
			sv_str(c, "type", "type:%s", types[type]);
		else
			sv_u64(c, "type", "type:0x%" PRIx64, type);
		sv_obj_close(c);
		sv_text(c, ")");
	}
}

static void bpf_print(struct ss_ctx *c, const struct nlattr *a)
{
	const struct sock_filter *f = mnl_attr_get_payload(a);
	int num = (int)(mnl_attr_get_payload_len(a) / sizeof(*f));
	sv_text(c, c->oneline ? " bpf filter (%d): " : "\n\tbpf filter (%d): ", num);
	sv_arr_open(c, "bpf");
	for (int i = 0; i < num; i++) {
		struct sock_filter x;
		memcpy(&x, f + i, sizeof(x));
		sv_text(c, " 0x%02x %u %u %u,", x.code, x.jt, x.jf, x.k);
		if (ss_json(c)) {
			emit_obj_open(c->em, NULL);
			emit_uint(c->em, "code", NULL, x.code);
			emit_uint(c->em, "jt", NULL, x.jt);
			emit_uint(c->em, "jf", NULL, x.jf);
			emit_uint(c->em, "k", NULL, x.k);
			emit_obj_close(c->em);
		}
	}
	sv_arr_close(c);
}

static const struct nl_policy packet_pol[PACKET_DIAG_MAX + 1] = {
	[PACKET_DIAG_INFO] = {MNL_TYPE_UNSPEC, sizeof(struct packet_diag_info)},
	[PACKET_DIAG_UID] = {MNL_TYPE_U32, 0},
	[PACKET_DIAG_FANOUT] = {MNL_TYPE_U32, 0},
	[PACKET_DIAG_MEMINFO] = {MNL_TYPE_UNSPEC, 4 * (SK_MEMINFO_OPTMEM + 1)},
};

/* The filter, then the record's first columns: false if filtered out. */
static bool packet_head(struct ss_ctx *c, const struct ss_sock *s, int prot)
{
	struct ssf_sock fs = {
		.family = AF_PACKET, .lport = s->lport, .autobound = s->lport == 0 && prot == 0};
	fs.laddr[0] = (uint32_t)prot;
	if (!filter_ok(c, &fs))
		return false;
	char pbuf[32], ifbuf[IF_NAMESIZE + 8];
	const char *addr = prot == 3 ? "*" : ll_proto_name(c, prot, pbuf, sizeof(pbuf));
	const char *port = "*";
	if (s->iface) {
		port = if_indextoname(s->iface, ifbuf);
		if (!port) {
			snprintf(ifbuf, sizeof(ifbuf), "if%u", s->iface);
			port = ifbuf;
		}
	}
	sv_rec_begin(c);
	ss_print_state(c, s);
	ss_print_addr(c, "local", addr, ":", port, NULL);
	ss_print_addr(c, "peer", "", "*", "", NULL);
	ss_print_users(c, s->ino);
	return true;
}

static int on_packet(const struct nlmsghdr *nlh, void *data)
{
	struct ss_ctx *c = data;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct packet_diag_msg))
		return MNL_CB_OK;
	const struct packet_diag_msg *r = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[PACKET_DIAG_MAX + 1];
	nl_parse(nlh, sizeof(*r), packet_pol, PACKET_DIAG_MAX, tb);
	if (!tb[PACKET_DIAG_MEMINFO])
		return MNL_CB_OK;
	struct ss_sock s = {.family = AF_PACKET,
			    .type = r->pdiag_type,
			    .ino = r->pdiag_ino,
			    .state = SS_CLOSE,
			    .sk = ((uint64_t)r->pdiag_cookie[1] << 32) | r->pdiag_cookie[0]};
	const uint32_t *mem = mnl_attr_get_payload(tb[PACKET_DIAG_MEMINFO]);
	s.rq = mem[SK_MEMINFO_RMEM_ALLOC];
	if (tb[PACKET_DIAG_INFO]) {
		struct packet_diag_info pi;
		memcpy(&pi, mnl_attr_get_payload(tb[PACKET_DIAG_INFO]), sizeof(pi));
		s.iface = pi.pdi_index;
		s.lport = (int)pi.pdi_index;
	}
	if (tb[PACKET_DIAG_UID])
		s.uid = mnl_attr_get_u32(tb[PACKET_DIAG_UID]);
	if (!packet_head(c, &s, r->pdiag_num))
		return MNL_CB_OK;
	if (c->show_details) {
		ss_print_details(c, &s);
		packet_details(c, tb);
	}
	if (c->show_bpf && tb[PACKET_DIAG_FILTER])
		bpf_print(c, tb[PACKET_DIAG_FILTER]);
	if (c->show_mem)
		ss_print_skmem(c, mem, mnl_attr_get_payload_len(tb[PACKET_DIAG_MEMINFO]) / 4);
	sv_rec_end(c);
	return MNL_CB_OK;
}

int ss_packet_show(struct ss_ctx *c)
{
	if (!(c->families & FAMILY_MASK(AF_PACKET)) || !(c->states & (1 << SS_CLOSE)))
		return 0;
	if (ss_proc_forced("PROC_NET_PACKET"))
		return packet_file_show(c);
	struct packet_diag_req req = {.sdiag_family = AF_PACKET,
				      .pdiag_show = PACKET_SHOW_INFO | PACKET_SHOW_MEMINFO |
						    PACKET_SHOW_FILTER | PACKET_SHOW_RING_CFG |
						    PACKET_SHOW_FANOUT};
	/* sock_diag failed: iproute2 reads the file */
	return dump(c, &req, sizeof(req), on_packet) ? packet_file_show(c) : 0;
}

/* ---- NETLINK ---- */

static const char *const nl_names[] = {
	"rtnl",	 "unused", "usersock",	 "fw",	      "tcpdiag", "nflog",  "xfrm",   "selinux",
	"iscsi", "audit",  "fiblookup",	 "connector", "nft",	 "ip6fw",  "dec-rt", "uevent",
	"genl",	 NULL,	   "scsi-trans", "ecryptfs",  "rdma",	 "crypto",
};

static void nl_procname(const struct ss_ctx *c, int pid, char *buf, size_t len)
{
	if (pid == -1) {
		snprintf(buf, len, "*");
		return;
	}
	if (c->numeric || pid < 0) {
		snprintf(buf, len, "%d", pid);
		return;
	}
	if (pid == 0) {
		snprintf(buf, len, "kernel");
		return;
	}
	char path[64], st[512];
	const char *root = getenv("PROC_ROOT");
	snprintf(path, sizeof(path), "%s/%d/stat", root ? root : "/proc", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, st, sizeof(st) - 1) : -1;
	if (fd >= 0)
		close(fd);
	char *o = n > 0 ? (st[n] = '\0', strchr(st, '(')) : NULL;
	if (!o) {
		snprintf(buf, len, "%d", pid);
		return;
	}
	char *e = strchr(o + 1, ')');
	int clen = e ? (int)(e - o - 1) : (int)strlen(o + 1);
	snprintf(buf, len, "%.*s/%d", clen, o + 1, pid);
}

static const struct nl_policy netlink_pol[NETLINK_DIAG_MAX + 1] = {
	[NETLINK_DIAG_MEMINFO] = {MNL_TYPE_UNSPEC, 4 * (SK_MEMINFO_OPTMEM + 1)},
};

/* The filter, then the record's columns: false if filtered out. */
static bool netlink_head(struct ss_ctx *c, const struct ss_sock *s, int prot, int pid,
			 bool connected, unsigned dst_group, int dst_pid)
{
	struct ssf_sock fs = {
		.family = AF_NETLINK, .lport = pid, .rport = -1, .autobound = pid < 0};
	fs.laddr[0] = (uint32_t)prot;
	if (!filter_ok(c, &fs))
		return false;
	char pname[32], proc[128];
	if (!c->numeric && prot >= 0 && prot < (int)(sizeof(nl_names) / sizeof(nl_names[0])) &&
	    nl_names[prot])
		snprintf(pname, sizeof(pname), "%s", nl_names[prot]);
	else
		snprintf(pname, sizeof(pname), "%d", prot); /* iproute2's nl_protos stops at 21 */
	nl_procname(c, pid, proc, sizeof(proc));
	sv_rec_begin(c);
	ss_print_state(c, s);
	ss_print_addr(c, "local", pname, ":", proc, NULL);
	if (connected) {
		char g[16], p[16];
		snprintf(g, sizeof(g), "%u", dst_group);
		snprintf(p, sizeof(p), "%d", dst_pid);
		ss_print_addr(c, "peer", g, ":", p, NULL);
	} else {
		ss_print_addr(c, "peer", "", "*", "", NULL);
	}
	return true;
}

static int on_netlink(const struct nlmsghdr *nlh, void *data)
{
	struct ss_ctx *c = data;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct netlink_diag_msg))
		return MNL_CB_OK;
	const struct netlink_diag_msg *r = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[NETLINK_DIAG_MAX + 1];
	nl_parse(nlh, sizeof(*r), netlink_pol, NETLINK_DIAG_MAX, tb);
	struct ss_sock s = {.family = AF_NETLINK, .state = SS_CLOSE, .ino = r->ndiag_ino};
	unsigned long groups = 0;
	if (tb[NETLINK_DIAG_GROUPS] &&
	    mnl_attr_get_payload_len(tb[NETLINK_DIAG_GROUPS]) >= sizeof(groups))
		memcpy(&groups, mnl_attr_get_payload(tb[NETLINK_DIAG_GROUPS]), sizeof(groups));
	if (tb[NETLINK_DIAG_MEMINFO]) {
		const uint32_t *m = mnl_attr_get_payload(tb[NETLINK_DIAG_MEMINFO]);
		s.rq = m[SK_MEMINFO_RMEM_ALLOC];
		s.wq = m[SK_MEMINFO_WMEM_ALLOC];
	}
	if (!netlink_head(c, &s, r->ndiag_protocol, (int)r->ndiag_portid, r->ndiag_state == 1,
			  r->ndiag_dst_group, (int)r->ndiag_dst_portid))
		return MNL_CB_OK;
	if (c->show_details) {
		sv_text(c, " sk=0 cb=0 groups=0x%08x", (unsigned)groups);
		sv_u64(c, "groups", NULL, groups);
	}
	if (c->show_mem && tb[NETLINK_DIAG_MEMINFO]) {
		sv_text(c, "\t");
		ss_print_skmem(c, mnl_attr_get_payload(tb[NETLINK_DIAG_MEMINFO]),
			       mnl_attr_get_payload_len(tb[NETLINK_DIAG_MEMINFO]) / 4);
	}
	sv_rec_end(c);
	return MNL_CB_OK;
}

int ss_netlink_show(struct ss_ctx *c)
{
	if (!(c->families & FAMILY_MASK(AF_NETLINK)) || !(c->states & (1 << SS_CLOSE)))
		return 0;
	if (ss_proc_forced("PROC_NET_NETLINK"))
		return netlink_file_show(c);
	struct netlink_diag_req req = {.sdiag_family = AF_NETLINK,
				       .sdiag_protocol = NDIAG_PROTO_ALL,
				       .ndiag_show = NDIAG_SHOW_GROUPS | NDIAG_SHOW_MEMINFO};
	/* sock_diag failed: iproute2 reads the file */
	return dump(c, &req, sizeof(req), on_netlink) ? netlink_file_show(c) : 0;
}

/* ---- The same tables from /proc/net files ----
 * iproute2 6.1 reads these instead of asking sock_diag whenever
 * PROC_NET_UNIX (PACKET, NETLINK) or PROC_ROOT is set, line by line in
 * 256-byte reads, fields by sscanf. */

int ss_unix_parse(const char *line, struct ss_unix_rec *u)
{
	/* iproute2 zeroes its record per line, but not its flags variable */
	*u = (struct ss_unix_rec){.flags = u->flags};
	int n = sscanf(line, "%x: %x %x %x %x %x %d %255s", &u->num, &u->ref, &u->proto, &u->flags,
		       &u->type, &u->st, &u->ino, u->name);
	if (n < 8)
		u->name[0] = '\0';
	return n;
}

int ss_unix_rec_state(const struct ss_unix_rec *u)
{
	static const int map[] = {SS_CLOSE, SS_SYN_SENT, SS_ESTABLISHED, SS_CLOSING};
	if (u->flags & (1u << 16))
		return SS_LISTEN;
	if (u->st > 0 && u->st <= 4) {
		int s = map[u->st - 1];
		/* a datagram socket with a peer (Num is its address) */
		return u->type == SOCK_DGRAM && s == SS_CLOSE && u->num ? SS_ESTABLISHED : s;
	}
	return (int)u->st;
}

int ss_packet_parse(const char *line, struct ss_packet_rec *p)
{
	return sscanf(line, "%llx %*d %d %x %d %d %u %u %u", &p->sk, &p->type, &p->prot, &p->iface,
		      &p->running, &p->rq, &p->uid, &p->ino);
}

int ss_netlink_parse(const char *line, struct ss_netlink_rec *n)
{
	return sscanf(line, "%llx %d %d %x %d %d %llx %d", &n->sk, &n->prot, &n->pid, &n->groups,
		      &n->rq, &n->wq, &n->cb, &n->drops);
}

static bool state_wanted(const struct ss_ctx *c, int state)
{
	/* iproute2 shifts by the state as the CPU does: modulo 32 */
	return (unsigned)c->states & (1u << ((unsigned)state & 31));
}

struct unix_item {
	struct ss_unix_rec r;
	char peer[sizeof(((struct ss_unix_rec *)0)->name)];
	int state;
	size_t seq;
};

/* iproute2 keeps the list sorted by type then inode, each new socket after
 * its equals. */
static int unix_item_cmp(const void *a, const void *b)
{
	const struct unix_item *x = a, *y = b;
	if ((int)x->r.type != (int)y->r.type)
		return (int)x->r.type < (int)y->r.type ? -1 : 1;
	if ((unsigned)x->r.ino != (unsigned)y->r.ino)
		return (unsigned)x->r.ino < (unsigned)y->r.ino ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* A "Peer" header (never the kernel's) makes iproute2 keep Num as the
 * peer's inode, RefCount and Protocol as the queues: the peer is named when
 * the socket is listed, from those of the batch listed before it (the
 * first in sorted order), "?" if none. */
static void unix_item_peer(struct unix_item *it, const struct unix_item *v, size_t n)
{
	const struct unix_item *best = NULL;
	for (size_t i = 0; it->r.num && i < n; i++)
		if (v[i].r.ino == (int)it->r.num && (!best || (int)v[i].r.type < (int)best->r.type))
			best = &v[i];
	snprintf(it->peer, sizeof(it->peer), "%s",
		 !it->r.num	   ? "*"
		 : !best	   ? "?"
		 : best->r.name[0] ? best->r.name
				   : "*");
}

static void unix_item_print(struct ss_ctx *c, const struct unix_item *it)
{
	struct ss_sock s = {.family = AF_UNIX,
			    .type = (int)it->r.type,
			    .state = it->state,
			    .rq = it->r.ref,
			    .wq = it->r.proto,
			    .ino = (unsigned)it->r.ino,
			    .lport = it->r.ino,
			    .rport = (int)it->r.num};
	char lp[16], rp[16];
	snprintf(lp, sizeof(lp), "%d", s.lport);
	snprintf(rp, sizeof(rp), "%d", s.rport);
	sv_rec_begin(c);
	ss_print_state(c, &s);
	ss_print_addr(c, "local", it->r.name[0] ? it->r.name : "*", " ", lp, NULL);
	ss_print_addr(c, "peer", it->peer, " ", rp, NULL);
	ss_print_users(c, s.ino);
	sv_rec_end(c);
}

static void unix_items_flush(struct ss_ctx *c, struct unix_item *v, size_t *n)
{
	if (*n)
		qsort(v, *n, sizeof(*v), unix_item_cmp);
	for (size_t i = 0; i < *n; i++)
		unix_item_print(c, &v[i]);
	*n = 0;
}

static bool unix_item_keep(struct ss_ctx *c, struct unix_item *it, bool peer_format)
{
	it->state = ss_unix_rec_state(&it->r);
	if (unix_type_skip(c, (int)it->r.type) || !state_wanted(c, it->state))
		return false;
	if (!peer_format)
		it->r.num = it->r.ref = it->r.proto = 0;
	const char *name = it->r.name[0] ? it->r.name : NULL;
	struct ssf_sock fs = {.family = AF_UNIX, .lname = name, .autobound = unix_autobound(name)};
	return filter_ok(c, &fs);
}

static int unix_file_show(struct ss_ctx *c)
{
	FILE *f = ss_proc_open("PROC_NET_UNIX", "net/unix");
	if (!f)
		return -1;
	char buf[256];
	struct unix_item *v = NULL, it = {.seq = 0};
	size_t n = 0, cap = 0;
	int r = fgets(buf, sizeof(buf), f) ? 0 : -1;
	bool peer_format = !r && !strncmp(buf, "Peer", 4);
	while (!r && fgets(buf, sizeof(buf), f)) {
		ss_unix_parse(buf, &it.r);
		if (!unix_item_keep(c, &it, peer_format))
			continue;
		if (n == cap) {
			struct unix_item *nv = realloc(v, (cap = cap ? cap * 2 : 64) * sizeof(*v));
			if (!nv)
				break;
			v = nv;
		}
		unix_item_peer(&it, v, n);
		it.seq = n;
		v[n++] = it;
		/* iproute2 prints its list each time it holds more than 1 MiB
		 * of its 624-byte records: sorted in batches of 1681 */
		if (n > 1680)
			unix_items_flush(c, v, &n);
	}
	fclose(f);
	unix_items_flush(c, v, &n);
	free(v);
	return r;
}

static int packet_file_show(struct ss_ctx *c)
{
	FILE *f = ss_proc_open("PROC_NET_PACKET", "net/packet");
	if (!f)
		return -1;
	char line[256];
	struct ss_packet_rec p = {0};
	int r = 0;
	if (fgets(line, sizeof(line), f)) {
		while (fgets(line, sizeof(line), f)) {
			size_t len = strlen(line);
			if (!len || line[len - 1] != '\n') {
				r = -1;
				break;
			}
			line[len - 1] = '\0';
			ss_packet_parse(line, &p);
			struct ss_sock s = {.family = AF_PACKET,
					    .type = p.type,
					    .state = SS_CLOSE,
					    .rq = p.rq,
					    .uid = p.uid,
					    .ino = p.ino,
					    .iface = (unsigned)p.iface,
					    .lport = p.iface};
			if (!packet_head(c, &s, (int)p.prot))
				continue;
			if (c->show_details)
				ss_print_details(c, &s);
			sv_rec_end(c);
		}
	}
	fclose(f);
	return r;
}

static int netlink_file_show(struct ss_ctx *c)
{
	FILE *f = ss_proc_open("PROC_NET_NETLINK", "net/netlink");
	if (!f)
		return -1;
	char buf[256];
	struct ss_netlink_rec n = {0};
	int r = fgets(buf, sizeof(buf), f) ? 0 : -1;
	while (!r && fgets(buf, sizeof(buf), f)) {
		ss_netlink_parse(buf, &n);
		struct ss_sock s = {.family = AF_NETLINK,
				    .state = SS_CLOSE,
				    .rq = (uint32_t)n.rq,
				    .wq = (uint32_t)n.wq};
		if (!netlink_head(c, &s, n.prot, n.pid, false, 0, 0))
			continue;
		if (c->show_details) {
			sv_text(c, " sk=%llx cb=%llx groups=0x%08x", n.sk, n.cb, n.groups);
			sv_u64(c, "groups", NULL, n.groups);
		}
		sv_rec_end(c);
	}
	fclose(f);
	return r;
}
