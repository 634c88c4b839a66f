/* SPDX-License-Identifier: Apache-2.0 */
/* AMQP 0-9-1 and ZooKeeper.
 *
 * AMQP (the AMQP 0-9-1 specification, sections 4.2.2 and 4.2.3, and its
 * Connection class): the client opens with the protocol header "AMQP" 0
 * 0 9 1; a server that speaks it answers a method frame (type 1, channel
 * 0, a 4-byte size, the payload, the frame end 0xCE) holding
 * Connection.Start (class 10, method 10): version-major, version-minor,
 * server-properties (a field table), mechanisms and locales (long
 * strings). A server that does not answers its own protocol header and
 * closes (section 4.2.2). server-properties' "product" and "version"
 * name the broker ("RabbitMQ", "3.10.8" from RabbitMQ 3.10.8 in the lab;
 * nmap 7.93 prints "amqp RabbitMQ 3.10.8 (0-9)": the major-minor version
 * as its extrainfo).
 * Field values (the 0-9-1 errata's table of types, as RabbitMQ and
 * Qpid send them): t b B: 1 byte; s u: 2; I i f: 4; l d T: 8; D: 5;
 * V: none; S x A F: a 4-byte length and that many bytes.
 *
 * ZooKeeper (its Administrator's Guide, "The Four Letter Words"): "srvr"
 * makes the server write lines and close; the first is "Zookeeper
 * version: 3.8.0-<commit>, built on <date>" (Debian's 3.8.0 leaves the
 * commit as "${mvngit.commit.id}"), "Mode:" says standalone, leader or
 * follower (not said: nmap 7.93's layout for the version line is
 * product Zookeeper, the version up to the comma, "Built on DATE", CPE
 * cpe:/a:zookeeper:zookeeper:VERSION, observed in the lab against a
 * stand-in saying a 3.4.13 line). A word left out of 4lw.commands.whitelist gets "srvr is not
 * executed because it is not in the whitelist."; a server still starting
 * "This ZooKeeper instance is not currently serving requests". */
#include "lib/svc/svc.h"

#include <stdio.h>
#include <string.h>

static const uint8_t amqp_header[8] = {'A', 'M', 'Q', 'P', 0, 0, 9, 1};

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

size_t svc_amqp_build(uint8_t *buf, size_t cap)
{
	if (cap < sizeof(amqp_header))
		return 0;
	memcpy(buf, amqp_header, sizeof(amqp_header));
	return sizeof(amqp_header);
}

#define AMQP_MAX_FRAME (1u << 20)

int svc_amqp_complete(const uint8_t *b, size_t n, bool udp)
{
	if (udp)
		return -1;
	if (n && b[0] == 'A') { /* the server's own protocol header */
		if (memcmp(b, "AMQP", n < 4 ? n : 4))
			return -1;
		return n >= 8 ? 1 : 0;
	}
	if (n && b[0] != 1)
		return -1;
	if (n >= 3 && (b[1] || b[2])) /* channel 0 */
		return -1;
	if (n < 7)
		return 0;
	uint32_t size = be32(b + 3);
	if (size > AMQP_MAX_FRAME)
		return -1;
	return n >= 8 + (size_t)size ? 1 : 0;
}

/* One field value of type t at p (left bytes): its size in *size and
 * where its bytes start in *body; false if it does not fit or t is
 * unknown. */
static bool amqp_value(uint8_t t, const uint8_t *p, size_t left, size_t *size, size_t *body)
{
	static const char fixed[] = "tbBsuIifldTDV";
	static const uint8_t sizes[] = {1, 1, 1, 2, 2, 4, 4, 4, 8, 8, 8, 5, 0};
	const char *f = t ? strchr(fixed, t) : NULL;
	*body = 0;
	if (f) {
		*size = sizes[f - fixed];
		return *size <= left;
	}
	if (!t || !strchr("SxAF", t) || left < 4 || be32(p) > left - 4)
		return false;
	*body = 4;
	*size = 4 + (size_t)be32(p);
	return true;
}

/* A long string value of server-properties' field name, copied into out;
 * false if absent. tab[0..len) is the table's contents. */
static bool amqp_prop(const uint8_t *tab, size_t len, const char *name, char *out, size_t cap)
{
	size_t i = 0;
	while (i < len) {
		size_t nl = tab[i];
		if (i + 1 + nl + 1 > len)
			return false;
		const uint8_t *key = tab + i + 1;
		uint8_t t = tab[i + 1 + nl];
		size_t at = i + 2 + nl, vl, body;
		if (!amqp_value(t, tab + at, len - at, &vl, &body))
			return false;
		if (t == 'S' && nl == strlen(name) && !memcmp(key, name, nl)) {
			svc_copy(out, cap, (const char *)tab + at + body, vl - body);
			return true;
		}
		i = at + vl;
	}
	return false;
}

enum svc_verdict svc_amqp_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m)
{
	if (udp || svc_amqp_complete(b, n, false) != 1)
		return SVC_NONE;
	if (b[0] == 'A') {
		svc_match_reset(m, "amqp");
		m->conf = 10;
		snprintf(m->evidence, sizeof(m->evidence), "protocol header AMQP %u-%u-%u-%u", b[4],
			 b[5], b[6], b[7]);
		return SVC_SOFT;
	}
	uint32_t size = be32(b + 3);
	/* Connection.Start: class 10, method 10, two version bytes, a table */
	if (size < 10 || b[7] != 0 || b[8] != 10 || b[9] != 0 || b[10] != 10 || b[7 + size] != 0xce)
		return SVC_NONE;
	uint32_t tl = be32(b + 13);
	if (tl > size - 10)
		return SVC_NONE;
	const uint8_t *tab = b + 17;
	char product[80] = "", version[80] = "";
	svc_match_reset(m, "amqp");
	m->conf = 10;
	snprintf(m->evidence, sizeof(m->evidence), "Connection.Start %u-%u", b[11], b[12]);
	if (!amqp_prop(tab, tl, "product", product, sizeof(product)) || !product[0])
		return SVC_SOFT;
	amqp_prop(tab, tl, "version", version, sizeof(version));
	snprintf(m->product, sizeof(m->product), "%s", product);
	snprintf(m->version, sizeof(m->version), "%s", version);
	snprintf(m->info, sizeof(m->info), "%u-%u", b[11], b[12]);
	snprintf(m->evidence, sizeof(m->evidence),
		 "Connection.Start %u-%u product %.40s version %.40s", b[11], b[12], product,
		 version);
	/* no CPE: nmap 7.93 gives RabbitMQ none (observed in the lab) */
	return SVC_HARD;
}

size_t svc_zk_build(uint8_t *buf, size_t cap)
{
	if (cap < 4)
		return 0;
	memcpy(buf, "srvr", 4);
	return 4;
}

static const char zk_version[] = "Zookeeper version: ";
static const char *const zk_refusals[] = {
	"srvr is not executed because it is not in the whitelist.",
	"This ZooKeeper instance is not currently serving requests",
};

/* Does b[0..n) start with s, or is it a start of s (more may come)? 1,
 * 0 (a prefix so far), -1 */
static int starts(const uint8_t *b, size_t n, const char *s)
{
	size_t k = strlen(s);
	if (memcmp(b, s, n < k ? n : k))
		return -1;
	return n >= k ? 1 : 0;
}

int svc_zk_complete(const uint8_t *b, size_t n, bool udp)
{
	if (udp)
		return -1;
	int v = starts(b, n, zk_version);
	for (size_t i = 0; i < 2 && v < 0; i++)
		v = starts(b, n, zk_refusals[i]);
	if (v <= 0)
		return v;
	/* the server closes after its lines; "Node count:" is srvr's last */
	long at = svc_find(b, n, "\nNode count: ");
	return at >= 0 && memchr(b + at + 1, '\n', n - (size_t)at - 1) ? 1 : 0;
}

enum svc_verdict svc_zk_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m)
{
	if (udp || !n)
		return SVC_NONE;
	for (size_t i = 0; i < 2; i++)
		if (starts(b, n, zk_refusals[i]) == 1) {
			svc_match_reset(m, "zookeeper");
			m->conf = 10;
			svc_copy(m->evidence, sizeof(m->evidence), (const char *)b,
				 svc_line_len(b, n));
			return SVC_SOFT;
		}
	size_t k = sizeof(zk_version) - 1, l = svc_line_len(b, n);
	if (starts(b, n, zk_version) != 1 || l == n)
		return SVC_NONE;
	/* "3.4.13-2d71af4d..., built on 06/29/2018 04:05 GMT": the version up
	 * to the comma; a build that left the commit unexpanded
	 * ("3.8.0-${mvngit.commit.id}") the number alone */
	const char *v = (const char *)b + k;
	size_t vl = 0, dash = 0;
	while (k + vl < l && v[vl] != ',') {
		if (v[vl] == '-' && !dash)
			dash = vl;
		vl++;
	}
	if (!vl || v[0] < '0' || v[0] > '9')
		return SVC_NONE;
	if (dash && memchr(v + dash, '$', vl - dash))
		vl = dash;
	svc_match_reset(m, "zookeeper");
	m->conf = 10;
	svc_copy(m->evidence, sizeof(m->evidence), (const char *)b, l);
	snprintf(m->product, sizeof(m->product), "Zookeeper");
	svc_copy(m->version, sizeof(m->version), v, vl);
	/* nmap's layout: "Built on" and the date, without the time */
	const char on[] = ", built on ";
	long bo = svc_find(b + k, l - k, on);
	if (bo >= 0) {
		const uint8_t *d = b + k + bo + sizeof(on) - 1;
		size_t dl = 0, left = l - k - (size_t)bo - (sizeof(on) - 1);
		while (dl < left && d[dl] != ' ')
			dl++;
		char date[32];
		svc_copy(date, sizeof(date), (const char *)d, dl);
		snprintf(m->info, sizeof(m->info), "Built on %s", date);
	}
	svc_add_cpe(m, "cpe:/a:zookeeper:zookeeper", m->version);
	return SVC_HARD;
}
