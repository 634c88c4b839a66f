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

static const struct svc_handler h_ssh = {
	.name = "NULL",
	.protos = SVC_TCP,
	.rarity = 0,
	.ports = ssh_ports,
	.complete = svc_ssh_complete,
	.parse = svc_ssh_parse,
};

static const struct svc_handler h_http = {
	.name = "http-get",
	.protos = SVC_TCP,
	.rarity = 1,
	.ports = http_ports,
	.build = build_http,
	.complete = svc_http_complete,
	.parse = svc_http_parse,
};

static const struct svc_handler h_dns = {
	.name = "dns-version-bind",
	.protos = SVC_TCP | SVC_UDP,
	.rarity = 3,
	.ports = dns_ports,
	.build = build_dns,
	.complete = svc_dns_complete,
	.parse = svc_dns_parse,
};

static const struct svc_handler h_pgsql = {
	.name = "pgsql-startup",
	.protos = SVC_TCP,
	.rarity = 4,
	.ports = pgsql_ports,
	.build = build_pgsql,
	.complete = svc_pgsql_complete,
	.parse = svc_pgsql_parse,
};

static const struct svc_handler h_redis = {
	.name = "redis-info",
	.protos = SVC_TCP,
	.rarity = 5,
	.ports = redis_ports,
	.build = build_redis,
	.complete = svc_redis_complete,
	.parse = svc_redis_parse,
};

static const struct svc_handler h_memcached = {
	.name = "memcached-stats",
	.protos = SVC_TCP | SVC_UDP,
	.rarity = 5,
	.ports = memcached_ports,
	.build = build_memcached,
	.complete = svc_memcached_complete,
	.parse = svc_memcached_parse,
};

/* the probes below have no parser: data/nmap/service-match reads their
 * answers (entries "probe NAME") */
static const uint16_t irc_ports[] = {6667, 6668, 6669, 7000, 0};
static const uint16_t stun_ports[] = {3478, 3479, 0};
static const uint16_t mqtt_ports[] = {1883, 0};
static const uint16_t ldap_ports[] = {389, 3268, 0};
static const uint16_t snmp_ports[] = {161, 1161, 0};

static const struct svc_handler h_irc = {
	.name = "irc-register",
	.protos = SVC_TCP,
	.rarity = 6,
	.ports = irc_ports,
	.build = build_irc,
	.complete = svc_irc_complete,
};

static const struct svc_handler h_stun = {
	.name = "stun-binding",
	.protos = SVC_TCP | SVC_UDP,
	.rarity = 6,
	.ports = stun_ports,
	.build = build_stun,
	.complete = svc_stun_complete,
};

static const struct svc_handler h_mqtt = {
	.name = "mqtt-connect",
	.protos = SVC_TCP,
	.rarity = 6,
	.ports = mqtt_ports,
	.build = build_mqtt,
	.complete = svc_mqtt_complete,
};

static const struct svc_handler h_ldap = {
	.name = "ldap-rootdse",
	.protos = SVC_TCP,
	.rarity = 5,
	.ports = ldap_ports,
	.build = build_ldap,
	.complete = svc_ldap_complete,
};

static const struct svc_handler h_snmp = {
	.name = "snmp-public",
	.protos = SVC_TCP | SVC_UDP,
	.rarity = 4,
	.ports = snmp_ports,
	.build = build_snmp,
	.complete = svc_snmp_complete,
};

static const struct svc_handler h_snmpv3 = {
	.name = "snmpv3-discovery",
	.protos = SVC_TCP | SVC_UDP,
	.rarity = 6, /* after snmp-public, which says more (the version) */
	.build = build_snmpv3,
	.complete = svc_snmp_complete,
};

static const uint16_t git_ports[] = {9418, 0};
static const uint16_t beanstalk_ports[] = {11300, 0};
static const uint16_t gearman_ports[] = {4730, 0};
static const uint16_t zabbix_ports[] = {10050, 0};

static const struct svc_handler h_git = {
	.name = "git-upload-pack",
	.protos = SVC_TCP,
	.rarity = 7,
	.ports = git_ports,
	.build = build_git,
	.complete = svc_git_complete,
};

static const struct svc_handler h_beanstalk = {
	.name = "beanstalk-stats",
	.protos = SVC_TCP,
	.rarity = 8,
	.ports = beanstalk_ports,
	.build = build_beanstalk,
	.complete = svc_beanstalk_complete,
};

static const struct svc_handler h_gearman = {
	.name = "gearman-version",
	.protos = SVC_TCP,
	.rarity = 8,
	.ports = gearman_ports,
	.build = build_gearman,
	.complete = svc_line_complete,
};

static const struct svc_handler h_zabbix = {
	.name = "zabbix-agent-version",
	.protos = SVC_TCP,
	.rarity = 8,
	.ports = zabbix_ports,
	.build = build_zabbix,
	.complete = svc_zabbix_complete,
};

static const uint16_t echo_ports[] = {7, 0};
static const uint16_t crlf_ports[] = {70, 79, 0};
static const uint16_t ident_ports[] = {113, 0};
static const uint16_t socks_ports[] = {1080, 0};

static const struct svc_handler h_crlf = {
	.name = "crlf",
	.protos = SVC_TCP,
	.rarity = 3,
	.ports = crlf_ports,
	.build = build_crlf,
	.complete = crlf_complete,
};

static const struct svc_handler h_ident = {
	.name = "ident-query",
	.protos = SVC_TCP,
	.rarity = 6,
	.ports = ident_ports,
	.build = build_ident,
	.complete = svc_line_complete,
};

static const struct svc_handler h_socks5 = {
	.name = "socks5-hello",
	.protos = SVC_TCP,
	.rarity = 6,
	.ports = socks_ports,
	.build = build_socks5,
	.complete = socks5_complete,
};
static const uint16_t sip_ports[] = {5060, 0};
static const uint16_t mumble_ports[] = {64738, 0};

static const struct svc_handler h_echo = {
	.name = "echo-line",
	.protos = SVC_TCP,
	.rarity = 8,
	.ports = echo_ports,
	.build = build_echo,
	.complete = svc_line_complete,
};

static const struct svc_handler h_sip = {
	.name = "sip-options",
	.protos = SVC_TCP | SVC_UDP,
	.rarity = 5,
	.ports = sip_ports,
	.build = build_sip,
	.complete = svc_sip_complete,
};

static const struct svc_handler h_mumble = {
	.name = "mumble-ping",
	.protos = SVC_UDP,
	.rarity = 7,
	.ports = mumble_ports,
	.build = build_mumble,
	.complete = svc_mumble_complete,
	.parse = svc_mumble_parse,
};

/* VNC greets (RFC 6143): its parser reads the listening connection */
static const struct svc_handler h_vnc = {
	.name = "NULL",
	.protos = SVC_TCP,
	.rarity = 0,
	.complete = svc_vnc_complete,
	.parse = svc_vnc_parse,
};

static const uint16_t x11_ports[] = {6000, 6001, 6002, 6003, 6004, 6005, 0};

static const struct svc_handler h_x11 = {
	.name = "x11-setup",
	.protos = SVC_TCP,
	.rarity = 4,
	.ports = x11_ports,
	.build = build_x11,
	.complete = svc_x11_complete,
	.parse = svc_x11_parse,
};

/* NTP: mode 3 says the protocol (a softmatch), mode 6 the daemon */
static const uint16_t ntp_ports[] = {123, 0};

static const struct svc_handler h_ntp = {
	.name = "ntp-client",
	.protos = SVC_UDP,
	.rarity = 3,
	.ports = ntp_ports,
	.build = build_ntp,
	.complete = svc_ntp_complete,
	.parse = svc_ntp_parse,
};

static const struct svc_handler h_ntpq = {
	.name = "ntp-readvar",
	.protos = SVC_UDP,
	.rarity = 5,
	.ports = ntp_ports,
	.build = build_ntpq,
	.complete = svc_ntp_complete,
	.parse = svc_ntpq_parse,
};

static const uint16_t smb_ports[] = {445, 139, 0};

static const struct svc_handler h_smb = {
	.name = "smb-negotiate-ntlmssp",
	.protos = SVC_TCP,
	.rarity = 4,
	.ports = smb_ports,
	.build = build_smb,
	.complete = svc_smb_complete,
	.parse = svc_smb_parse,
};

static const uint16_t rpc_ports[] = {111, 0};

static const struct svc_handler h_rpc = {
	.name = "rpc-null",
	.protos = SVC_TCP | SVC_UDP,
	.rarity = 5,
	.ports = rpc_ports,
	.build = build_rpc,
	.complete = svc_rpc_complete,
	.parse = svc_rpc_parse,
};

static const uint16_t xmpp_ports[] = {5222, 5269, 0};

static const struct svc_handler h_xmpp = {
	.name = "xmpp-stream",
	.protos = SVC_TCP,
	.rarity = 5,
	.ports = xmpp_ports,
	.build = build_xmpp,
	.complete = svc_xmpp_complete,
	.parse = svc_xmpp_parse,
};

static const uint16_t rdp_ports[] = {3389, 0};

static const struct svc_handler h_rdp = {
	.name = "rdp-x224",
	.protos = SVC_TCP,
	.rarity = 5,
	.ports = rdp_ports,
	.build = build_rdp,
	.complete = svc_rdp_complete,
	.parse = svc_rdp_parse,
};

/* AMQP's IANA port; ZooKeeper's client port (its Administrator's
 * Guide); SQL Server's default instance (ms-sql-s); mongod, mongos and
 * the config servers' defaults (the MongoDB manual) */
static const uint16_t amqp_ports[] = {5672, 0};
static const uint16_t zk_ports[] = {2181, 0};
static const uint16_t tds_ports[] = {1433, 0};
static const uint16_t mongo_ports[] = {27017, 27018, 27019, 0};

static const struct svc_handler h_amqp = {
	.name = "amqp-header",
	.protos = SVC_TCP,
	.rarity = 5,
	.ports = amqp_ports,
	.build = build_amqp,
	.complete = svc_amqp_complete,
	.parse = svc_amqp_parse,
};

static const struct svc_handler h_zk = {
	.name = "zookeeper-srvr",
	.protos = SVC_TCP,
	.rarity = 6,
	.ports = zk_ports,
	.build = build_zk,
	.complete = svc_zk_complete,
	.parse = svc_zk_parse,
};

static const struct svc_handler h_tds = {
	.name = "tds-prelogin",
	.protos = SVC_TCP,
	.rarity = 5,
	.ports = tds_ports,
	.build = build_tds,
	.complete = svc_tds_complete,
	.parse = svc_tds_parse,
};

static const struct svc_handler h_mongo = {
	.name = "mongodb-buildinfo",
	.protos = SVC_TCP,
	.rarity = 6,
	.ports = mongo_ports,
	.build = build_mongo,
	.complete = svc_mongo_complete,
	.parse = svc_mongo_parse,
};

/* ports where TLS is spoken from the first byte (RFC 8314 for mail, and
 * the https, ldaps, ftps, ircs, sips, turns (5349), mqtts (8883) conventions) */
static const uint16_t tls_ports[] = {443, 465,	636,  853,  990,  992,	993, 994,
				     995, 5061, 5349, 6697, 8443, 8883, 0};

static const struct svc_handler h_tls = {
	.name = "tls-handshake",
	.protos = SVC_TCP,
	.rarity = 1,
	.ports = tls_ports,
	.tls = true,
};

const struct svc_handler *const svc_handlers[] = {
	&h_ssh,	      &h_http,	    &h_tls,    &h_dns,	&h_snmp, &h_pgsql,  &h_ldap,
	&h_redis,     &h_memcached, &h_irc,    &h_stun, &h_mqtt, &h_snmpv3, &h_git,
	&h_beanstalk, &h_gearman,   &h_zabbix, &h_sip,	&h_echo, &h_mumble, &h_crlf,
	&h_ident,     &h_socks5,    &h_vnc,    &h_x11,	&h_ntp,	 &h_ntpq,   &h_smb,
	&h_rpc,	      &h_xmpp,	    &h_rdp,    &h_amqp, &h_zk,	 &h_tds,    &h_mongo,
};
const size_t svc_nhandlers = sizeof(svc_handlers) / sizeof(svc_handlers[0]);

bool svc_likely(const struct svc_handler *hd, uint16_t port)
{
	for (const uint16_t *p = hd->ports; p && *p; p++)
		if (*p == port)
			return true;
	return false;
}
