/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness for service detection's parsers (src/lib/svc): every
 * handler's framing and parser over the input as a TCP and as a UDP
 * reply, the match database (data/nmap/service-match) on it, and the
 * fingerprint of it as an unrecognised answer; and the database parser on
 * it as a file's text (a --datadir may hold anything); --proxies' proxy
 * answers. Run by
 * scripts/fuzz.sh. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/svc/matchdb.h"
#include "lib/svc/svc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct svcmatch_db *db;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct {
		svc_complete_fn complete;
		svc_parse_fn parse;
	} h[] = {
		{svc_ssh_complete, svc_ssh_parse},
		{svc_http_complete, svc_http_parse},
		{svc_redis_complete, svc_redis_parse},
		{svc_memcached_complete, svc_memcached_parse},
		{svc_pgsql_complete, svc_pgsql_parse},
		{svc_dns_complete, svc_dns_parse},
		{svc_mumble_complete, svc_mumble_parse},
		{svc_vnc_complete, svc_vnc_parse},
		{svc_x11_complete, svc_x11_parse},
		{svc_ntp_complete, svc_ntp_parse},
		{svc_ntp_complete, svc_ntpq_parse},
		{svc_smb_complete, svc_smb_parse},
		{svc_rpc_complete, svc_rpc_parse},
		{svc_xmpp_complete, svc_xmpp_parse},
		{svc_rdp_complete, svc_rdp_parse},
		{svc_amqp_complete, svc_amqp_parse},
		{svc_zk_complete, svc_zk_parse},
		{svc_tds_complete, svc_tds_parse},
		{svc_mongo_complete, svc_mongo_parse},
	};
	/* the framing of the probes the match database reads */
	static const svc_complete_fn frame[] = {
		svc_irc_complete,    svc_stun_complete, svc_mqtt_complete,	svc_ldap_complete,
		svc_snmp_complete,   svc_git_complete,	svc_beanstalk_complete, svc_line_complete,
		svc_zabbix_complete, svc_sip_complete,
	};
	static const char *const probes[] = {
		"irc-register",
		"stun-binding",
		"mqtt-connect",
		"ldap-rootdse",
		"snmp-public",
		"snmpv3-discovery",
		"git-upload-pack",
		"beanstalk-stats",
		"gearman-version",
		"zabbix-agent-version",
		"sip-options",
		"echo-line",
		"crlf",
		"ident-query",
		"socks5-hello",
	};
	if (!db) {
		int line;
		char msg[128];
		if (svcmatch_open(NETKIT_SRCDATADIR "/nmap/service-match", &db, &line, msg,
				  sizeof(msg)))
			abort();
	}
	struct svc_match m;
	for (size_t i = 0; i < sizeof(h) / sizeof(h[0]); i++)
		for (int udp = 0; udp < 2; udp++) {
			h[i].complete(data, size, udp);
			h[i].parse(data, size, udp, &m);
		}
	for (size_t i = 0; i < sizeof(frame) / sizeof(frame[0]); i++)
		for (int udp = 0; udp < 2; udp++)
			frame[i](data, size, udp);
	size_t used;
	svc_socks4_reply(data, size, &used); /* --proxies' handshakes */
	svc_httpconnect_reply(data, size, &used);
	svcmatch_match(db, "NULL", data, size, &m);
	svcmatch_match(db, "http-get", data, size, &m);
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
		svcmatch_match(db, probes[i], data, size, &m);
	struct svc_fp_resp r = {"NULL", data, size};
	free(svc_fp_format(1, false, 7, 0, &r, 1));
	char *text = malloc(size + 1);
	if (text && size < 4096) {
		memcpy(text, data, size);
		text[size] = '\0';
		struct svcmatch_db *d = NULL;
		int line;
		char msg[128];
		if (svcmatch_parse(text, &d, &line, msg, sizeof(msg)) == 0) {
			svcmatch_match(d, "NULL", data, size, &m);
			svcmatch_close(d);
		}
	}
	free(text);
	return 0;
}
