/* SPDX-License-Identifier: Apache-2.0 */
/* The floor for `ip route show`: dump the main IPv4 table (as iproute2
 * and netkit ask for it) and throw the bytes away. Built and run by
 * bench/ip_route.sh; plain sockets, no netkit code. */
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	int one = 1;
	setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof(one));
	struct {
		struct nlmsghdr n;
		struct rtmsg r;
		struct rtattr a;
		unsigned table;
	} req;
	memset(&req, 0, sizeof(req));
	req.n.nlmsg_len = sizeof(req);
	req.n.nlmsg_type = RTM_GETROUTE;
	req.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.n.nlmsg_seq = 1;
	req.r.rtm_family = AF_INET;
	req.r.rtm_table = RT_TABLE_MAIN;
	req.a.rta_type = RTA_TABLE;
	req.a.rta_len = RTA_LENGTH(sizeof(unsigned));
	req.table = RT_TABLE_MAIN;
	if (send(fd, &req, sizeof(req), 0) < 0)
		return 1;
	static char buf[65536];
	unsigned long msgs = 0;
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			return 1;
		for (struct nlmsghdr *h = (void *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
				fprintf(stderr, "%lu messages\n", msgs);
				return 0;
			}
			msgs++;
		}
	}
}
