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

static size_t build_memcached(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	return svc_memcached_build(t->udp, buf, cap);
}

static size_t build_dns(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	return svc_dns_build(!t->udp, buf, cap);
}

static size_t snmp_v1(uint8_t *buf, size_t cap)
{
	return svc_snmp_build(false, buf, cap);
}

static size_t snmp_v3(uint8_t *buf, size_t cap)
{
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

/* a gopher menu ends with a lone "." (RFC 1436); finger answers until it
 * closes */
static int crlf_complete(const uint8_t *b, size_t n, bool udp)
{
	(void)udp;
	return n >= 5 && !memcmp(b + n - 5, "\r\n.\r\n", 5) ? 1 : 0;
}

static size_t socks5_hello(uint8_t *buf, size_t cap)
{
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

static size_t build_rpc(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	return svc_rpc_build(t->udp, buf, cap);
}

static size_t build_xmpp(const struct svc_target *t, uint8_t *buf, size_t cap)
{
	/* 5269: between servers (RFC 6120 section 14.7) */
	return svc_xmpp_build(t->host, t->port == 5269, buf, cap);
}

static const uint16_t ssh_ports[] = {22, 2222, 0};
static const uint16_t http_ports[] = {80, 8080, 8000, 8008, 8081, 8888, 591, 0};
static const uint16_t redis_ports[] = {6379, 0};
static const uint16_t memcached_ports[] = {11211, 0};
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
static const uint16_t smbprogneg_ports[] = {5432, 0};

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
 * likely ports, probe (ROW: built for the target, REQ: the same for
 * every target, TEXT: a line), completeness check, parser, TLS. Those
 * without a parser leave their answers to data/nmap/service-match
 * (entries "probe NAME"). */
#define ROW(nm, pr, ra, po, bu, co, pa)                                                            \
	{                                                                                          \
		.name = nm, .protos = pr, .rarity = ra, .ports = po, .build = bu, .complete = co,  \
		.parse = pa                                                                        \
	}
#define REQ(nm, pr, ra, po, rq, co, pa)                                                            \
	{                                                                                          \
		.name = nm, .protos = pr, .rarity = ra, .ports = po, .request = rq,                \
		.complete = co, .parse = pa                                                        \
	}
#define TEXT(nm, pr, ra, po, tx, co, pa)                                                           \
	{                                                                                          \
		.name = nm, .protos = pr, .rarity = ra, .ports = po, .text = tx, .complete = co,   \
		.parse = pa                                                                        \
	}

const struct svc_handler svc_handlers[] = {
	ROW("NULL", SVC_TCP, 0, ssh_ports, NULL, svc_ssh_complete, svc_ssh_parse),
	ROW("http-get", SVC_TCP, 1, http_ports, build_http, svc_http_complete, svc_http_parse),
	{.name = "tls-handshake", .protos = SVC_TCP, .rarity = 1, .ports = tls_ports, .tls = true},
	ROW("dns-version-bind", SVC_TCP | SVC_UDP, 3, dns_ports, build_dns, svc_dns_complete,
	    svc_dns_parse),
	REQ("snmp-public", SVC_TCP | SVC_UDP, 4, snmp_ports, snmp_v1, svc_snmp_complete, NULL),
	/* PostgreSQL's own StartupMessage only at --version-intensity 8 and
	 * up: nmap 7.93 names a PostgreSQL port from its answer to an SMB
	 * negotiate (SMBProgNeg, last) and sends no StartupMessage, so a
	 * default run ends as nmap's, its fingerprint that answer alone
	 * (issue 11) */
	REQ("pgsql-startup", SVC_TCP, 8, NULL, svc_pgsql_build, svc_pgsql_complete,
	    svc_pgsql_parse),
	REQ("ldap-rootdse", SVC_TCP, 5, ldap_ports, svc_ldap_build, svc_ldap_complete, NULL),
	REQ("redis-info", SVC_TCP, 5, redis_ports, svc_redis_build, svc_redis_complete,
	    svc_redis_parse),
	ROW("memcached-stats", SVC_TCP | SVC_UDP, 5, memcached_ports, build_memcached,
	    svc_memcached_complete, svc_memcached_parse),
	REQ("irc-register", SVC_TCP, 6, irc_ports, svc_irc_build, svc_irc_complete, NULL),
	REQ("stun-binding", SVC_TCP | SVC_UDP, 6, stun_ports, svc_stun_build, svc_stun_complete,
	    NULL),
	REQ("mqtt-connect", SVC_TCP, 6, mqtt_ports, svc_mqtt_build, svc_mqtt_complete, NULL),
	/* after snmp-public, which says more (the version) */
	REQ("snmpv3-discovery", SVC_TCP | SVC_UDP, 6, NULL, snmp_v3, svc_snmp_complete, NULL),
	ROW("git-upload-pack", SVC_TCP, 7, git_ports, build_git, svc_git_complete, NULL),
	/* beanstalkd protocol.txt */
	TEXT("beanstalk-stats", SVC_TCP, 8, beanstalk_ports, "stats\r\n", svc_beanstalk_complete,
	     NULL),
	/* gearmand's administrative protocol */
	TEXT("gearman-version", SVC_TCP, 8, gearman_ports, "version\n", svc_line_complete, NULL),
	REQ("zabbix-agent-version", SVC_TCP, 8, zabbix_ports, svc_zabbix_build, svc_zabbix_complete,
	    NULL),
	ROW("sip-options", SVC_TCP | SVC_UDP, 5, sip_ports, build_sip, svc_sip_complete, NULL),
	/* RFC 862: sent back */
	TEXT("echo-line", SVC_TCP, 8, echo_ports, "netkit-echo-7e1\r\n", svc_line_complete, NULL),
	REQ("mumble-ping", SVC_UDP, 7, mumble_ports, svc_mumble_build, svc_mumble_complete,
	    svc_mumble_parse),
	/* an empty line: finger's {C} (RFC 1288 section 2.3, list the users) and gopher's empty selector (RFC 1436 section 3, the root menu) */
	TEXT("crlf", SVC_TCP, 3, crlf_ports, "\r\n", crlf_complete, NULL),
	/* RFC 1413 section 4: a port pair */
	TEXT("ident-query", SVC_TCP, 6, ident_ports, "1, 1\r\n", svc_line_complete, NULL),
	REQ("socks5-hello", SVC_TCP, 6, socks_ports, socks5_hello, socks5_complete, NULL),
	/* VNC greets (RFC 6143): its parser reads the listening connection */
	ROW("NULL", SVC_TCP, 0, NULL, NULL, svc_vnc_complete, svc_vnc_parse),
	REQ("x11-setup", SVC_TCP, 4, x11_ports, svc_x11_build, svc_x11_complete, svc_x11_parse),
	/* NTP: mode 3 says the protocol (a softmatch), mode 6 the daemon */
	REQ("ntp-client", SVC_UDP, 3, ntp_ports, svc_ntp_build, svc_ntp_complete, svc_ntp_parse),
	REQ("ntp-readvar", SVC_UDP, 5, ntp_ports, svc_ntpq_build, svc_ntp_complete, svc_ntpq_parse),
	REQ("smb-negotiate-ntlmssp", SVC_TCP, 4, smb_ports, svc_smb_build, svc_smb_complete,
	    svc_smb_parse),
	ROW("rpc-null", SVC_TCP | SVC_UDP, 5, rpc_ports, build_rpc, svc_rpc_complete,
	    svc_rpc_parse),
	ROW("xmpp-stream", SVC_TCP, 5, xmpp_ports, build_xmpp, svc_xmpp_complete, svc_xmpp_parse),
	REQ("rdp-x224", SVC_TCP, 5, rdp_ports, svc_rdp_build, svc_rdp_complete, svc_rdp_parse),
	REQ("amqp-header", SVC_TCP, 5, amqp_ports, svc_amqp_build, svc_amqp_complete,
	    svc_amqp_parse),
	REQ("zookeeper-srvr", SVC_TCP, 6, zk_ports, svc_zk_build, svc_zk_complete, svc_zk_parse),
	REQ("tds-prelogin", SVC_TCP, 5, tds_ports, svc_tds_build, svc_tds_complete, svc_tds_parse),
	REQ("mongodb-buildinfo", SVC_TCP, 6, mongo_ports, svc_mongo_build, svc_mongo_complete,
	    svc_mongo_parse),
	/* an SMB negotiate alone, under nmap's name for it (its fingerprints
	 * show the name): PostgreSQL answers it with an ErrorResponse, which
	 * names the server (lib/svc/pgsql.c). nmap 7.93 sends it among its
	 * first probes to 5432 (and 139, 445, where netkit's own SMB probe
	 * says more); netkit sends it first to 5432, elsewhere at intensity 8
	 * and up */
	REQ("SMBProgNeg", SVC_TCP, 8, smbprogneg_ports, svc_smb_progneg_build, svc_smb_complete,
	    svc_smb_parse),
};
#undef ROW
#undef REQ
#undef TEXT
const size_t svc_nhandlers = sizeof(svc_handlers) / sizeof(svc_handlers[0]);

/* The services each handler's answers can name, by its probe name (its
 * parser's, and the SMB negotiate's PostgreSQL); the match database's
 * entries add theirs (sched.c). */
static const struct {
	const char *probe, *names;
} probe_names[] = {
	{"NULL", "ssh vnc"},
	{"http-get", "http"},
	{"dns-version-bind", "domain"},
	{"pgsql-startup", "postgresql"},
	{"redis-info", "redis"},
	{"memcached-stats", "memcached"},
	{"mumble-ping", "mumble"},
	{"x11-setup", "X11"},
	{"ntp-client", "ntp"},
	{"ntp-readvar", "ntp"},
	{"smb-negotiate-ntlmssp", "microsoft-ds netbios-ssn"},
	{"rpc-null", "rpc rpcbind"},
	{"xmpp-stream", "xmpp-client xmpp-server"},
	{"rdp-x224", "ms-wbt-server"},
	{"amqp-header", "amqp"},
	{"zookeeper-srvr", "zookeeper"},
	{"tds-prelogin", "ms-sql-s"},
	{"mongodb-buildinfo", "mongodb"},
	{"SMBProgNeg", "microsoft-ds netbios-ssn postgresql"},
};

static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *w = list; n && *w;) {
		size_t k = strcspn(w, " ");
		if (k == n && !strncmp(w, word, n))
			return true;
		w += k + (w[k] == ' ');
	}
	return false;
}

bool svc_names(const struct svc_handler *hd, const char *service)
{
	for (size_t i = 0; i < sizeof(probe_names) / sizeof(probe_names[0]); i++)
		if (!strcmp(probe_names[i].probe, hd->name) &&
		    has_word(probe_names[i].names, service))
			return true;
	return false;
}

bool svc_likely(const struct svc_handler *hd, uint16_t port)
{
	for (const uint16_t *p = hd->ports; p && *p; p++)
		if (*p == port)
			return true;
	return false;
}

bool svc_has_probe(const struct svc_handler *hd)
{
	return hd->build || hd->request || hd->text;
}

size_t svc_probe(const struct svc_handler *hd, const struct svc_target *t, uint8_t *buf, size_t cap)
{
	if (hd->build)
		return hd->build(t, buf, cap);
	if (hd->request)
		return hd->request(buf, cap);
	return hd->text ? build_text(hd->text, buf, cap) : 0;
}
