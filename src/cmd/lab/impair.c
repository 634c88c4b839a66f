/* SPDX-License-Identifier: Apache-2.0 */
/* Setting up impairments: one `netkit lab impaird` per impaired interface
 * in the interface's namespace, then iptables rules that queue everything
 * leaving that interface (v4 and v6) to it. This kernel has no netem and
 * no nft queue expression, but it has xt's NFQUEUE target. */
#include "cmd/lab/lab.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Append one rule to mangle POSTROUTING for packets leaving ifname, with
 * the first iptables flavour that takes it (legacy first: its NFQUEUE is
 * the xt target this kernel has). */
static int append_rule(const char *ns, const char *log, bool v6, const char *ifname,
		       const char *const *match)
{
	static const char *const tools[2][2] = {{"iptables-legacy", "iptables"},
						{"ip6tables-legacy", "ip6tables"}};
	struct spawn sp = {.log = log, .keep_fd = -1};
	for (int i = 0; i < 2; i++) {
		char *argv[24] = {(char *)tools[v6][i], "-w", "-t",	     "mangle", "-A",
				  "POSTROUTING",	"-o", (char *)ifname};
		int n = 8;
		for (int k = 0; match[k] && n < 23; k++)
			argv[n++] = (char *)match[k];
		argv[n] = NULL;
		if (lab_run(ns, argv, &sp) == 0)
			return 0;
	}
	return -1;
}

/* Neighbour discovery passes unimpaired, as ARP does (ARP is not IP and
 * never reaches iptables): a lost solicitation would otherwise stall every
 * packet behind it for a second and make IPv6 measure worse than IPv4. */
static int queue_rules(const char *ns, const char *log, const char *ifname, unsigned q)
{
	char qs[16];
	snprintf(qs, sizeof(qs), "%u", q);
	const char *const ns_ok[] = {
		"-p", "ipv6-icmp", "--icmpv6-type", "neighbour-solicitation", "-j", "ACCEPT", NULL};
	const char *const na_ok[] = {
		"-p",	  "ipv6-icmp", "--icmpv6-type", "neighbour-advertisement", "-j",
		"ACCEPT", NULL};
	const char *const queue[] = {"-j", "NFQUEUE", "--queue-num", qs, NULL};
	if (append_rule(ns, log, false, ifname, queue) < 0 ||
	    append_rule(ns, log, true, ifname, ns_ok) < 0 ||
	    append_rule(ns, log, true, ifname, na_ok) < 0 ||
	    append_rule(ns, log, true, ifname, queue) < 0)
		return -1;
	return 0;
}

static int wait_ready(int fd, int ms)
{
	struct pollfd p = {fd, POLLIN, 0};
	char c;
	return poll(&p, 1, ms) == 1 && read(fd, &c, 1) == 1 ? 0 : -1;
}

static int start_one(struct lab *lab, const struct topo_impair *im, unsigned q)
{
	const char *hn = lab->topo.hosts[im->ep.host].name;
	char ns[128], dir[LAB_PATH], log[LAB_PATH + 64], flows[LAB_PATH + 64];
	char qs[16], ds[32], js[32], ls[32], fds[16];
	lab_ns(lab, im->ep.host, ns, sizeof(ns));
	if (lab_host_dir(lab, im->ep.host, dir, sizeof(dir)) < 0)
		return -1;
	snprintf(log, sizeof(log), "%s/impaird-%s.log", dir, im->ep.ifname);
	snprintf(flows, sizeof(flows), "%s/impaird-%s.flows", dir, im->ep.ifname);
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -1;
	/* the child keeps the write end across exec */
	fcntl(pfd[1], F_SETFD, 0);
	snprintf(qs, sizeof(qs), "%u", q);
	snprintf(ds, sizeof(ds), "%.3f", im->delay_us / 1000.0);
	snprintf(js, sizeof(js), "%.3f", im->jitter_us / 1000.0);
	snprintf(ls, sizeof(ls), "%.4f", im->loss_ppm / 10000.0);
	snprintf(fds, sizeof(fds), "%d", pfd[1]);
	char *argv[] = {lab->self, "lab",      "impaird", "--queue", qs, "--delay",
			ds,	   "--jitter", js,	  "--loss",  ls, "--ready-fd",
			fds,	   "--flows",  flows,	  NULL};
	struct spawn sp = {.log = log, .keep_fd = pfd[1]};
	pid_t pid = lab_spawn(ns, argv, &sp);
	close(pfd[1]);
	int r = pid < 0 ? -1 : wait_ready(pfd[0], 5000);
	close(pfd[0]);
	if (r < 0) {
		fprintf(stderr, "netkit lab: %s: impairment daemon for %s did not start (see %s)\n",
			hn, im->ep.ifname, log);
		return -1;
	}
	if (queue_rules(ns, log, im->ep.ifname, q) < 0) {
		fprintf(stderr, "netkit lab: %s: iptables NFQUEUE rule for %s failed (see %s)\n",
			hn, im->ep.ifname, log);
		return -1;
	}
	return 0;
}

int lab_build_impair(struct lab *lab)
{
	for (unsigned i = 0; i < lab->topo.nimpairs; i++)
		if (start_one(lab, &lab->topo.impairs[i], 100 + i) < 0)
			return -1;
	return 0;
}
