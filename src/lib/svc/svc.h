/* SPDX-License-Identifier: Apache-2.0 */
/* Service identification: pure functions from a server's reply bytes to
 * what runs there ({service, product, version, info, hostname, ostype,
 * devicetype, cpe, confidence, evidence}), and the probe bytes that make
 * a server reply. No sockets here: engine/service schedules connections
 * and calls these. Every fact they use comes from the protocol's own
 * documentation (RFCs, the daemons' manuals) or from replies captured in
 * netkit's lab; none comes from nmap's data files. */
#ifndef NETKIT_LIB_SVC_H
#define NETKIT_LIB_SVC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SVC_MAX_CPE 4

/* What a parser found. conf is nmap's confidence: 10 when the reply names
 * the product for certain, less when only the protocol is known. */
struct svc_match {
	char service[32]; /* nmap's service name: "ssh", "http", "domain" */
	char product[80];
	char version[80];
	char info[128]; /* nmap's extrainfo */
	char hostname[64];
	char ostype[32];
	char devicetype[32];
	char cpe[SVC_MAX_CPE][96]; /* "cpe:/a:openbsd:openssh:9.2p1" */
	unsigned ncpe;
	uint8_t conf;
	char evidence[128]; /* the reply text the result rests on */
};

/* A parser's verdict. */
enum svc_verdict {
	SVC_NONE = 0, /* not this protocol */
	SVC_SOFT = 1, /* this protocol, product not known */
	SVC_HARD = 2, /* product (and version, if it says one) known */
};

/* Framing: whether b[0..n) holds a whole reply (1), needs more (0), or
 * cannot be this protocol (-1). */
typedef int (*svc_complete_fn)(const uint8_t *b, size_t n, bool udp);
typedef enum svc_verdict (*svc_parse_fn)(const uint8_t *b, size_t n, bool udp, struct svc_match *m);

/* Helpers for parsers (svc.c). */
void svc_match_reset(struct svc_match *m, const char *service);
/* Copy src[0..len) into dst (cap bytes) keeping printable ASCII only. */
void svc_copy(char *dst, size_t cap, const char *src, size_t len);
void svc_add_cpe(struct svc_match *m, const char *prefix, const char *version);
/* The line starting at b (up to \r or \n, at most n bytes): its length. */
size_t svc_line_len(const uint8_t *b, size_t n);
/* Find needle in b[0..n) (binary-safe); offset or -1. */
long svc_find(const uint8_t *b, size_t n, const char *needle);

/* ssh.c: the identification string (RFC 4253 section 4.2) */
int svc_ssh_complete(const uint8_t *b, size_t n, bool udp);
enum svc_verdict svc_ssh_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m);

/* http.c: a GET / HTTP/1.1 request with Host, and its status line and
 * Server header (RFC 9110 section 10.2.4) */
size_t svc_http_build(const char *host, uint8_t *buf, size_t cap);
int svc_http_complete(const uint8_t *b, size_t n, bool udp);
enum svc_verdict svc_http_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m);

/* kv.c: Redis (RESP: INFO server, or its authentication errors) and
 * memcached (the text protocol's stats and version commands; over UDP
 * behind the 8-byte frame header of its protocol.txt) */
size_t svc_redis_build(uint8_t *buf, size_t cap);
int svc_redis_complete(const uint8_t *b, size_t n, bool udp);
enum svc_verdict svc_redis_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m);
size_t svc_memcached_build(bool udp, uint8_t *buf, size_t cap);
int svc_memcached_complete(const uint8_t *b, size_t n, bool udp);
enum svc_verdict svc_memcached_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m);

/* pgsql.c: a protocol 3.0 StartupMessage and the server's answer (an
 * ErrorResponse's fields or an authentication request) */
size_t svc_pgsql_build(uint8_t *buf, size_t cap);
int svc_pgsql_complete(const uint8_t *b, size_t n, bool udp);
enum svc_verdict svc_pgsql_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m);

/* dns.c: version.bind TXT in class CHAOS, over UDP or TCP (RFC 1035;
 * the TCP form has the 2-byte length prefix of section 4.2.2) */
#define SVC_DNS_ID 0x6e6b
size_t svc_dns_build(bool tcp, uint8_t *buf, size_t cap);
int svc_dns_complete(const uint8_t *b, size_t n, bool udp);
enum svc_verdict svc_dns_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m);

/* wire.c: probes whose answers data/nmap/service-match reads, and their
 * framing: IRC registration, STUN Binding, MQTT CONNECT, LDAP root DSE,
 * SNMP v2c GetRequest (v3: engine discovery), git daemon's upload-pack
 * (protocol v2), beanstalkd stats, one text line (gearmand), Zabbix
 * agent.version, SIP OPTIONS, Mumble's UDP ping (parsed here) */
size_t svc_irc_build(uint8_t *buf, size_t cap);
int svc_irc_complete(const uint8_t *b, size_t n, bool udp);
size_t svc_stun_build(uint8_t *buf, size_t cap);
int svc_stun_complete(const uint8_t *b, size_t n, bool udp);
size_t svc_mqtt_build(uint8_t *buf, size_t cap);
int svc_mqtt_complete(const uint8_t *b, size_t n, bool udp);
size_t svc_ldap_build(uint8_t *buf, size_t cap);
int svc_ldap_complete(const uint8_t *b, size_t n, bool udp);
size_t svc_snmp_build(bool v3, uint8_t *buf, size_t cap);
int svc_snmp_complete(const uint8_t *b, size_t n, bool udp);
size_t svc_git_build(const char *host, uint8_t *buf, size_t cap);
int svc_git_complete(const uint8_t *b, size_t n, bool udp);
int svc_beanstalk_complete(const uint8_t *b, size_t n, bool udp);
int svc_line_complete(const uint8_t *b, size_t n, bool udp);
size_t svc_zabbix_build(uint8_t *buf, size_t cap);
int svc_zabbix_complete(const uint8_t *b, size_t n, bool udp);
size_t svc_sip_build(bool udp, uint8_t *buf, size_t cap);
int svc_sip_complete(const uint8_t *b, size_t n, bool udp);
size_t svc_mumble_build(uint8_t *buf, size_t cap);
int svc_mumble_complete(const uint8_t *b, size_t n, bool udp);
enum svc_verdict svc_mumble_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m);

/* remote.c: VNC's RFB greeting (RFC 6143) and the X11 connection setup
 * (X.Org's protocol: product X.Org and its version from the release
 * number) */
int svc_vnc_complete(const uint8_t *b, size_t n, bool udp);
enum svc_verdict svc_vnc_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m);
size_t svc_x11_build(uint8_t *buf, size_t cap);
int svc_x11_complete(const uint8_t *b, size_t n, bool udp);
enum svc_verdict svc_x11_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m);

/* ntp.c: NTP over UDP: a mode 3 request (RFC 5905; its answer says the
 * protocol version and whether the server is synchronized) and a mode 6
 * READVAR (the daemon and its version) */
size_t svc_ntp_build(uint8_t *buf, size_t cap);
int svc_ntp_complete(const uint8_t *b, size_t n, bool udp);
enum svc_verdict svc_ntp_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m);
size_t svc_ntpq_build(uint8_t *buf, size_t cap);
enum svc_verdict svc_ntpq_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m);

/* smb.c: SMB1 NEGOTIATE and SESSION_SETUP_ANDX with an NTLMSSP
 * NEGOTIATE, sent together: Samba's NativeLanMan (its version), the
 * workgroup and the computer's NetBIOS name */
size_t svc_smb_build(uint8_t *buf, size_t cap);
/* an SMB1 NEGOTIATE alone, the eight dialects of MS-CIFS (168 bytes):
 * PostgreSQL answers it with an ErrorResponse */
size_t svc_smb_progneg_build(uint8_t *buf, size_t cap);
int svc_smb_complete(const uint8_t *b, size_t n, bool udp);
enum svc_verdict svc_smb_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m);

/* rpc.c: ONC RPC, a NULL call of the portmapper (program 100000) at a
 * version it lacks: PROG_MISMATCH names its versions (TCP and UDP) */
size_t svc_rpc_build(bool udp, uint8_t *buf, size_t cap);
int svc_rpc_complete(const uint8_t *b, size_t n, bool udp);
enum svc_verdict svc_rpc_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m);

/* xmpp.c: an XMPP stream header (RFC 6120) and the server's: which side
 * the port serves (xmpp-client, xmpp-server) */
size_t svc_xmpp_build(const char *host, bool server, uint8_t *buf, size_t cap);
int svc_xmpp_complete(const uint8_t *b, size_t n, bool udp);
enum svc_verdict svc_xmpp_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m);

/* rdp.c: an X.224 Connection Request with an RDP Negotiation Request
 * (MS-RDPBCGR): ms-wbt-server, and xrdp by its Connection Confirm */
size_t svc_rdp_build(uint8_t *buf, size_t cap);
int svc_rdp_complete(const uint8_t *b, size_t n, bool udp);
enum svc_verdict svc_rdp_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m);

/* mq.c: AMQP 0-9-1 (the protocol header; Connection.Start's
 * server-properties product and version) and ZooKeeper's "srvr" four
 * letter word (its version line) */
size_t svc_amqp_build(uint8_t *buf, size_t cap);
int svc_amqp_complete(const uint8_t *b, size_t n, bool udp);
enum svc_verdict svc_amqp_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m);
size_t svc_zk_build(uint8_t *buf, size_t cap);
int svc_zk_complete(const uint8_t *b, size_t n, bool udp);
enum svc_verdict svc_zk_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m);

/* dbwire.c: Microsoft SQL Server's TDS PRELOGIN (MS-TDS 2.2.6.5: the
 * server's VERSION token) and MongoDB's OP_MSG buildInfo (its version) */
size_t svc_tds_build(uint8_t *buf, size_t cap);
int svc_tds_complete(const uint8_t *b, size_t n, bool udp);
enum svc_verdict svc_tds_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m);
size_t svc_mongo_build(uint8_t *buf, size_t cap);
int svc_mongo_complete(const uint8_t *b, size_t n, bool udp);
enum svc_verdict svc_mongo_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m);

/* proxy.c: the SOCKS 4 and HTTP CONNECT handshakes of --proxies. The
 * replies: 1 granted (*used: the bytes the handshake took; the rest
 * is the far end's), 0 more needed, -1 refused or not a proxy. */
size_t svc_socks4_build(const uint8_t ip[4], uint16_t port, uint8_t *buf, size_t cap);
int svc_socks4_reply(const uint8_t *b, size_t n, size_t *used);
size_t svc_httpconnect_build(const char *hostport, uint8_t *buf, size_t cap);
int svc_httpconnect_reply(const uint8_t *b, size_t n, size_t *used);

/* fp.c: the answers of a port nobody recognised, in nmap's service
 * fingerprint layout ("SF-Port7002-TCP:V=7.93%I=7%D=12/7%Time=..%P=..
 * %r(NULL,17,"...");"), one r() per answer, unwrapped. malloc'd. */
struct svc_fp_resp {
	const char *probe;
	const uint8_t *data;
	size_t len;
};
char *svc_fp_format(uint16_t port, bool udp, int intensity, long when, const struct svc_fp_resp *r,
		    size_t n);

/* The answers of one port, kept in its record: at most SVC_MAX_RESP, one
 * per probe that got bytes back. */
#define SVC_MAX_RESP 16
struct svc_resp {
	char probe[32];
	uint8_t *data;
	size_t len;
};
/* Owned copies of r[0..n) (NULL, *out 0 if out of memory). */
struct svc_resp *svc_resp_copy(const struct svc_fp_resp *r, size_t n, size_t *out);
void svc_resp_free(struct svc_resp *r, size_t n);

#endif
