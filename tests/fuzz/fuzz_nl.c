/* SPDX-License-Identifier: Apache-2.0 */
/* Feeds arbitrary bytes to the netlink reply loop and attribute parser:
 * whatever the kernel (or an attacker in a namespace) sends, no read
 * goes out of bounds. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <linux/rtnetlink.h>

#include "lib/nl/nl.h"

static const struct nl_policy pol[IFLA_MAX + 1] = {
	[IFLA_IFNAME] = {MNL_TYPE_NUL_STRING, 0},
	[IFLA_MTU] = {MNL_TYPE_U32, 0},
	[IFLA_LINKINFO] = {MNL_TYPE_NESTED, 0},
};

static int cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[IFLA_MAX + 1];
	if (nl_parse(nlh, sizeof(struct ifinfomsg), pol, IFLA_MAX, tb) < 0)
		return MNL_CB_OK;
	if (tb[IFLA_IFNAME])
		*(size_t *)data += strlen(mnl_attr_get_str(tb[IFLA_IFNAME]));
	if (tb[IFLA_MTU])
		*(size_t *)data += mnl_attr_get_u32(tb[IFLA_MTU]);
	if (tb[IFLA_LINKINFO]) {
		const struct nlattr *info[IFLA_INFO_MAX + 1];
		nl_parse_nested(tb[IFLA_LINKINFO], NULL, IFLA_INFO_MAX, info);
	}
	return MNL_CB_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* aligned copy, as a recv() buffer would be */
	static uint32_t buf[16384];
	if (size > sizeof(buf))
		return 0;
	memcpy(buf, data, size);
	struct nl_err err = {0};
	size_t sum = 0;
	uint32_t seq = size >= 12 ? buf[2] : 0;
	uint32_t pid = size >= 16 ? buf[3] : 0;
	nl_run(buf, size, seq, pid, cb, &sum, &err);
	return 0;
}
