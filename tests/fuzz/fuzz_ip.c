/* SPDX-License-Identifier: Apache-2.0 */
/* Feeds arbitrary bytes, as netlink messages, to ip's printers (routes,
 * links, addresses, neighbours), in text and JSON, with and without -d
 * and -s: whatever a reply holds, ip prints something or skips it, and
 * never reads out of bounds. */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <linux/rtnetlink.h>

#include "cmd/ip/ip.h"
#include "cmd/ip/route_priv.h"
#include "lib/emit/emit.h"

static int print_one(const struct nlmsghdr *nlh, void *data)
{
	struct ip_ctx *c = data;
	struct rtnl_route r;
	switch (nlh->nlmsg_type) {
	case RTM_NEWROUTE:
	case RTM_DELROUTE:
		if (rtnl_route_parse(nlh, &r) == 0)
			ip_print_route(c, &r, NULL);
		break;
	case RTM_NEWLINK:
	case RTM_DELLINK:
		ip_print_link(c, nlh, false);
		ip_print_link_brief(c, nlh, true);
		break;
	case RTM_NEWADDR:
	case RTM_DELADDR: ip_print_addr(c, nlh); break;
	case RTM_NEWNEIGH:
	case RTM_DELNEIGH: ip_print_neigh(c, nlh, 0); break;
	default: break;
	}
	return MNL_CB_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint32_t buf[16384];
	static struct emit out;
	static int devnull = -1;
	if (size < 1 || size - 1 > sizeof(buf))
		return 0;
	if (devnull < 0)
		devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	/* first byte: the options; the rest: messages in an aligned buffer */
	uint8_t o = data[0];
	memcpy(buf, data + 1, size - 1);
	struct ip_ctx c = {.out = &out};
	c.details = o & 1;
	c.stats = (o >> 1) & 3;
	c.oneline = o & 8;
	c.human = o & 16;
	c.brief = o & 32;
	c.monitor = o & 128;
	emit_init(&out, devnull, o & 64 ? EMIT_JSON : EMIT_TEXT, 0);
	emit_arr_open(&out, NULL);
	struct nl_err err = {0};
	uint32_t seq = size >= 13 ? buf[2] : 0;
	uint32_t pid = size >= 17 ? buf[3] : 0;
	nl_run(buf, size - 1, seq, pid, print_one, &c, &err);
	emit_finish(&out);
	ip_links_free(&c);
	ip_names_free(&c);
	return 0;
}
