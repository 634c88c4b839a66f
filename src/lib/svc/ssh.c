/* SPDX-License-Identifier: Apache-2.0 */
/* SSH: the server's identification string, RFC 4253 section 4.2:
 * "SSH-protoversion-softwareversion SP comments CR LF", possibly after
 * other lines. OpenSSH's softwareversion is "OpenSSH_9.2p1"; distribution
 * builds put their package revision in the comment ("Debian-2+deb12u10",
 * "Ubuntu-3ubuntu0.1"), which is what netkit reports as part of the
 * version, as nmap does. */
#include "lib/svc/svc.h"

#include <stdio.h>
#include <string.h>

int svc_ssh_complete(const uint8_t *b, size_t n, bool udp)
{
	(void)udp;
	long at = svc_find(b, n, "SSH-");
	if (at < 0) /* other lines may come first (RFC 4253), but not many */
		return n > 1024 ? -1 : 0;
	return memchr(b + at, '\n', n - (size_t)at) ? 1 : 0;
}

/* The comment's distribution name, the OS it implies and its CPE. */
static void ssh_distro(struct svc_match *m, const char *comment, char *info, size_t cap)
{
	static const struct {
		const char *prefix, *info, *os, *cpe;
	} d[] = {
		{"Debian-", NULL, "Linux", "cpe:/o:linux:linux_kernel"},
		{"Ubuntu-", "Ubuntu Linux", "Linux", "cpe:/o:canonical:ubuntu_linux"},
		{"Raspbian-", "Raspbian", "Linux", "cpe:/o:linux:linux_kernel"},
		{"FreeBSD-", NULL, "FreeBSD", "cpe:/o:freebsd:freebsd"},
	};
	for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		size_t k = strlen(d[i].prefix);
		if (strncmp(comment, d[i].prefix, k))
			continue;
		size_t vl = strlen(m->version);
		snprintf(m->version + vl, sizeof(m->version) - vl, " %.*s %s", (int)(k - 1),
			 comment, comment + k);
		snprintf(m->ostype, sizeof(m->ostype), "%s", d[i].os);
		if (d[i].info)
			snprintf(info, cap, "%s; ", d[i].info);
		svc_add_cpe(m, d[i].cpe, NULL);
		return;
	}
}

/* softwareversion "Name_Version" of known servers */
static bool ssh_product(struct svc_match *m, const char *sw, const char *comment, char *info,
			size_t cap)
{
	/* os: what a server implies without a comment (dropbear is built
	 * for Linux; nmap 7.93 says ostype Linux for it too, seen in the
	 * lab on Debian 12's dropbear 2022.83) */
	static const struct {
		const char *prefix, *product, *cpe, *os;
	} p[] = {
		{"OpenSSH_", "OpenSSH", "cpe:/a:openbsd:openssh", NULL},
		{"dropbear_", "Dropbear sshd", "cpe:/a:matt_johnston:dropbear_ssh_server", "Linux"},
	};
	for (size_t i = 0; i < sizeof(p) / sizeof(p[0]); i++) {
		size_t k = strlen(p[i].prefix);
		if (strncmp(sw, p[i].prefix, k))
			continue;
		snprintf(m->product, sizeof(m->product), "%s", p[i].product);
		snprintf(m->version, sizeof(m->version), "%s", sw + k);
		/* the CPE carries the upstream version, before the distro's */
		svc_add_cpe(m, p[i].cpe, sw + k);
		if (*comment) {
			ssh_distro(m, comment, info, cap);
		} else if (p[i].os) {
			snprintf(m->ostype, sizeof(m->ostype), "%s", p[i].os);
			svc_add_cpe(m, "cpe:/o:linux:linux_kernel", NULL);
		}
		return true;
	}
	return false;
}

enum svc_verdict svc_ssh_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m)
{
	(void)udp;
	long at = svc_find(b, n, "SSH-");
	/* the string starts a line: "SSH-" at 0 or right after a newline */
	if (at < 0 || (at > 0 && b[at - 1] != '\n'))
		return SVC_NONE;
	const uint8_t *s = b + at;
	size_t len = svc_line_len(s, n - (size_t)at);
	char line[256], proto[16] = "", sw[128] = "", comment[128] = "";
	svc_copy(line, sizeof(line), (const char *)s, len);
	const char *p = line + 4, *dash = strchr(p, '-');
	if (!dash || dash == p || (size_t)(dash - p) >= sizeof(proto))
		return SVC_NONE;
	memcpy(proto, p, (size_t)(dash - p));
	const char *sp = strchr(dash + 1, ' ');
	size_t swl = sp ? (size_t)(sp - dash - 1) : strlen(dash + 1);
	if (swl >= sizeof(sw))
		swl = sizeof(sw) - 1;
	memcpy(sw, dash + 1, swl);
	if (sp)
		snprintf(comment, sizeof(comment), "%s", sp + 1);
	svc_match_reset(m, "ssh");
	snprintf(m->evidence, sizeof(m->evidence), "%.127s", line);
	char info[64] = "";
	bool known = ssh_product(m, sw, comment, info, sizeof(info));
	snprintf(m->info, sizeof(m->info), "%sprotocol %s", info, proto);
	m->conf = 10;
	return known ? SVC_HARD : SVC_SOFT;
}
