/* SPDX-License-Identifier: Apache-2.0 */
/* The protocol handlers of -sV, one const struct each, in one table.
 * Order matters: the scheduler sends a port's likely probes first, then
 * the others in this order, each allowed by the intensity (rarity). */
#include "engine/service/service.h"

#include <stdio.h>
#include <string.h>

static size_t build_http(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	char host[300];
	if (t->port == 80)
		snprintf(host, sizeof(host), "%s", t->host);
	else
		snprintf(host, sizeof(host), "%s:%u", t->host, t->port);
	return svc_http_build(host, buf, cap);
}

static size_t build_redis(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	(void)t;
	return svc_redis_build(buf, cap);
}

static size_t build_memcached(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	return svc_memcached_build(t->udp, buf, cap);
}

static size_t build_pgsql(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	(void)t;
	return svc_pgsql_build(buf, cap);
}

static size_t build_dns(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	return svc_dns_build(!t->udp, buf, cap);
}

static size_t build_irc(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	(void)t;
	return svc_irc_build(buf, cap);
}

static size_t build_stun(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	(void)t;
	return svc_stun_build(buf, cap);
}

static size_t build_mqtt(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	(void)t;
	return svc_mqtt_build(buf, cap);
}

static size_t build_ldap(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	(void)t;
	return svc_ldap_build(buf, cap);
}

static size_t build_snmp(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	(void)t;
	return svc_snmp_build(false, buf, cap);
}

static size_t build_snmpv3(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	(void)t;
	return svc_snmp_build(true, buf, cap);
}

static size_t build_git(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	return svc_git_build(t->host, buf, cap);
}

static size_t build_text(const char *req, uint8_t *buf, size_t cap)
{
	size_t n = strlen(req);
	if (cap < n)
		return 0;
	memcpy(buf, req, n);
	return n;
}

static size_t build_beanstalk(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	(void)t;
	return build_text("stats\r\n", buf, cap); /* beanstalkd protocol.txt */
}

static size_t build_gearman(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	(void)t;
	return build_text("version\n", buf, cap); /* gearmand's administrative protocol */
}

static size_t build_zabbix(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	(void)t;
	return svc_zabbix_build(buf, cap);
}

static size_t build_echo(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	(void)t;
	return build_text("netkit-echo-7e1\r\n", buf, cap); /* RFC 862: sent back */
}

static size_t build_crlf(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	(void)t;
	/* an empty line: finger's {C} (RFC 1288 section 2.3, list the users)
	 * and gopher's empty selector (RFC 1436 section 3, the root menu) */
	return build_text("\r\n", buf, cap);
}

/* a gopher menu ends with a lone "." (RFC 1436); finger answers until it
 * closes */
static int crlf_complete(const uint8_t *b, size_t n, bool udp)
{
	(void)udp;
	return n >= 5 && !memcmp(b + n - 5, "\r\n.\r\n", 5) ? 1 : 0;
}

static size_t build_ident(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	(void)t;
	return build_text("1, 1\r\n", buf, cap); /* RFC 1413 section 4: a port pair */
}

static size_t build_socks5(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	(void)t;
	/* RFC 1928 section 3: version 5, one method, "no authentication" */
	static const uint8_t req[] = {0x05, 0x01, 0x00};
	if (cap < sizeof(req))
		return 0;
	memcpy(buf, req, sizeof(req));
	return sizeof(req);
}

static int socks5_complete(const uint8_t *b, size_t n, bool udp)
{
	(void)b;
	(void)udp;
	return n >= 2 ? 1 : 0;
}

static size_t build_sip(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	return svc_sip_build(t->udp, buf, cap);
}

static size_t build_mumble(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	(void)t;
	return svc_mumble_build(buf, cap);
}

static size_t build_x11(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	(void)t;
	return svc_x11_build(buf, cap);
}

static size_t build_ntp(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	(void)t;
	return svc_ntp_build(buf, cap);
}

static size_t build_ntpq(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	(void)t;
	return svc_ntpq_build(buf, cap);
}

static size_t build_smb(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	(void)t;
	return svc_smb_build(buf, cap);
}

static size_t build_rpc(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	return svc_rpc_build(t->udp, buf, cap);
}

static size_t build_xmpp(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	/* 5269: between servers (RFC 6120 section 14.7) */
	return svc_xmpp_build(t->host, t->port == 5269, buf, cap);
}

static size_t build_rdp(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	(void)t;
	return svc_rdp_build(buf, cap);
}

static size_t build_amqp(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	(void)t;
	return svc_amqp_build(buf, cap);
}

static size_t build_zk(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	(void)t;
	return svc_zk_build(buf, cap);
}

static size_t build_tds(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	(void)t;
	return svc_tds_build(buf, cap);
}

static size_t build_mongo(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	(void)t;
	return svc_mongo_build(buf, cap);
}

static const uint16_t ssh_ports[] = {22, 2222, 0};
static const uint16_t http_ports[] = {80, 8080, 8000, 8008, 8081, 8888, 591, 0};
static const uint16_t redis_ports[] = {6379, 0};
static const uint16_t memcached_ports[] = {11211, 0};
static const uint16_t pgsql_ports[] = {5432, 0};
static const uint16_t dns_ports[] = {53, 5353, 0};

static const uint16_t irc_ports[] = {6667, 6668, 6669, 7000, 0};
static const uint16_t stun_ports[] = {3478, 3479, 0};
static const uint16_t mqtt_ports[] = {1883, 0};
static const uint16_t ldap_ports[] = {389, 3268, 0};
static const uint16_t snmp_ports[] = {161, 1161, 0};

static const uint16_t git_ports[] = {9418, 0};
static const uint16_t beanstalk_ports[] = {11300, 0};
static const uint16_t gearman_ports[] = {4730, 0};
static const uint16_t zabbix_ports[] = {10050, 0};

static const uint16_t echo_ports[] = {7, 0};
static const uint16_t crlf_ports[] = {70, 79, 0};
static const uint16_t ident_ports[] = {113, 0};
static const uint16_t socks_ports[] = {1080, 0};

static const uint16_t sip_ports[] = {5060, 0};
static const uint16_t mumble_ports[] = {64738, 0};

static const uint16_t x11_ports[] = {6000, 6001, 6002, 6003, 6004, 6005, 0};

static const uint16_t ntp_ports[] = {123, 0};

static const uint16_t smb_ports[] = {445, 139, 0};

static const uint16_t rpc_ports[] = {111, 0};

static const uint16_t xmpp_ports[] = {5222, 5269, 0};

static const uint16_t rdp_ports[] = {3389, 0};

/* AMQP's IANA port; ZooKeeper's client port (its Administrator's
 * Guide); SQL Server's default instance (ms-sql-s); mongod, mongos and
 * the config servers' defaults (the MongoDB manual) */
static const uint16_t amqp_ports[] = {5672, 0};
static const uint16_t zk_ports[] = {2181, 0};
static const uint16_t tds_ports[] = {1433, 0};
static const uint16_t mongo_ports[] = {27017, 27018, 27019, 0};

/* ports where TLS is spoken from the first byte (RFC 8314 for mail, and
 * the https, ldaps, ftps, ircs, sips, turns (5349), mqtts (8883) conventions) */
static const uint16_t tls_ports[] = {443, 465,	636,  853,  990,  992,	993, 994,
				     995, 5061, 5349, 6697, 8443, 8883, 0};

/* The handlers, in the order probes are tried: name, protocols, rarity,
 * likely ports, probe builder, completeness check, parser, TLS. Those
 * without a parser leave their answers to data/nmap/service-match
 * (entries "probe NAME"). */
#define ROW(nm, pr, ra, po, bu, co, pa)                                                            \
	{                                                                                          \
		.name = nm, .protos = pr, .rarity = ra, .ports = po, .build = bu, .complete = co,  \
		.parse = pa                                                                        \
	}

const struct svc_handler svc_handlers[] = {
	ROW("NULL", SVC_TCP, 0, ssh_ports, NULL, svc_ssh_complete, svc_ssh_parse),
	ROW("http-get", SVC_TCP, 1, http_ports, build_http, svc_http_complete, svc_http_parse),
	{.name = "tls-handshake", .protos = SVC_TCP, .rarity = 1, .ports = tls_ports, .tls = true},
	ROW("dns-version-bind", SVC_TCP | SVC_UDP, 3, dns_ports, build_dns, svc_dns_complete,
	    svc_dns_parse),
	ROW("snmp-public", SVC_TCP | SVC_UDP, 4, snmp_ports, build_snmp, svc_snmp_complete, NULL),
	ROW("pgsql-startup", SVC_TCP, 4, pgsql_ports, build_pgsql, svc_pgsql_complete,
	    svc_pgsql_parse),
	ROW("ldap-rootdse", SVC_TCP, 5, ldap_ports, build_ldap, svc_ldap_complete, NULL),
	ROW("redis-info", SVC_TCP, 5, redis_ports, build_redis, svc_redis_complete,
	    svc_redis_parse),
	ROW("memcached-stats", SVC_TCP | SVC_UDP, 5, memcached_ports, build_memcached,
	    svc_memcached_complete, svc_memcached_parse),
	ROW("irc-register", SVC_TCP, 6, irc_ports, build_irc, svc_irc_complete, NULL),
	ROW("stun-binding", SVC_TCP | SVC_UDP, 6, stun_ports, build_stun, svc_stun_complete, NULL),
	ROW("mqtt-connect", SVC_TCP, 6, mqtt_ports, build_mqtt, svc_mqtt_complete, NULL),
	/* after snmp-public, which says more (the version) */
	ROW("snmpv3-discovery", SVC_TCP | SVC_UDP, 6, NULL, build_snmpv3, svc_snmp_complete, NULL),
	ROW("git-upload-pack", SVC_TCP, 7, git_ports, build_git, svc_git_complete, NULL),
	ROW("beanstalk-stats", SVC_TCP, 8, beanstalk_ports, build_beanstalk, svc_beanstalk_complete,
	    NULL),
	ROW("gearman-version", SVC_TCP, 8, gearman_ports, build_gearman, svc_line_complete, NULL),
	ROW("zabbix-agent-version", SVC_TCP, 8, zabbix_ports, build_zabbix, svc_zabbix_complete,
	    NULL),
	ROW("sip-options", SVC_TCP | SVC_UDP, 5, sip_ports, build_sip, svc_sip_complete, NULL),
	ROW("echo-line", SVC_TCP, 8, echo_ports, build_echo, svc_line_complete, NULL),
	ROW("mumble-ping", SVC_UDP, 7, mumble_ports, build_mumble, svc_mumble_complete,
	    svc_mumble_parse),
	ROW("crlf", SVC_TCP, 3, crlf_ports, build_crlf, crlf_complete, NULL),
	ROW("ident-query", SVC_TCP, 6, ident_ports, build_ident, svc_line_complete, NULL),
	ROW("socks5-hello", SVC_TCP, 6, socks_ports, build_socks5, socks5_complete, NULL),
	/* VNC greets (RFC 6143): its parser reads the listening connection */
	ROW("NULL", SVC_TCP, 0, NULL, NULL, svc_vnc_complete, svc_vnc_parse),
	ROW("x11-setup", SVC_TCP, 4, x11_ports, build_x11, svc_x11_complete, svc_x11_parse),
	/* NTP: mode 3 says the protocol (a softmatch), mode 6 the daemon */
	ROW("ntp-client", SVC_UDP, 3, ntp_ports, build_ntp, svc_ntp_complete, svc_ntp_parse),
	ROW("ntp-readvar", SVC_UDP, 5, ntp_ports, build_ntpq, svc_ntp_complete, svc_ntpq_parse),
	ROW("smb-negotiate-ntlmssp", SVC_TCP, 4, smb_ports, build_smb, svc_smb_complete,
	    svc_smb_parse),
	ROW("rpc-null", SVC_TCP | SVC_UDP, 5, rpc_ports, build_rpc, svc_rpc_complete,
	    svc_rpc_parse),
	ROW("xmpp-stream", SVC_TCP, 5, xmpp_ports, build_xmpp, svc_xmpp_complete, svc_xmpp_parse),
	ROW("rdp-x224", SVC_TCP, 5, rdp_ports, build_rdp, svc_rdp_complete, svc_rdp_parse),
	ROW("amqp-header", SVC_TCP, 5, amqp_ports, build_amqp, svc_amqp_complete, svc_amqp_parse),
	ROW("zookeeper-srvr", SVC_TCP, 6, zk_ports, build_zk, svc_zk_complete, svc_zk_parse),
	ROW("tds-prelogin", SVC_TCP, 5, tds_ports, build_tds, svc_tds_complete, svc_tds_parse),
	ROW("mongodb-buildinfo", SVC_TCP, 6, mongo_ports, build_mongo, svc_mongo_complete,
	    svc_mongo_parse),
};
#undef ROW
const size_t svc_nhandlers = sizeof(svc_handlers) / sizeof(svc_handlers[0]);

bool svc_likely(const struct svc_handler *hd, uint16_t port)
{
	for (const uint16_t *p = hd->ports; p && *p; p++)
		if (*p == port)
			return true;
	return false;
}
