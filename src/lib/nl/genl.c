/* SPDX-License-Identifier: Apache-2.0 */
/* Generic netlink family lookup and request headers (see genl.h). */
#include "lib/nl/genl.h"

#include <errno.h>
#include <string.h>

#include <linux/genetlink.h>

struct nlmsghdr *nl_genl_start(struct nl_sock *s, void *buf, uint16_t family, uint16_t flags,
			       uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh = nl_msg_start(s, buf, family, flags);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

static int on_family(const struct nlmsghdr *nlh, void *data)
{
	int *id = data;
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	static const struct nl_policy pol[CTRL_ATTR_MAX + 1] = {
		[CTRL_ATTR_FAMILY_ID] = {MNL_TYPE_U16, 0},
	};
	if (nl_parse(nlh, sizeof(struct genlmsghdr), pol, CTRL_ATTR_MAX, tb) >= 0 &&
	    tb[CTRL_ATTR_FAMILY_ID])
		*id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	return MNL_CB_OK;
}

int nl_genl_family(struct nl_sock *s, const char *name, struct nl_err *err)
{
	char buf[256];
	if (strlen(name) >= 64)
		return -EINVAL;
	struct nlmsghdr *nlh = nl_genl_start(s, buf, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	int id = 0;
	int r = nl_talk(s, nlh, on_family, &id, err);
	if (r < 0)
		return r;
	return id > 0 ? id : -ENOENT;
}
