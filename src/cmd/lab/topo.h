/* SPDX-License-Identifier: Apache-2.0 */
/* The lab's topology file: parsed into a flat, bounded description that
 * the builder (build.c), the services (svc.c) and the DNS data (dnsdata.c)
 * read. Pure: no I/O besides the text handed in. The format is in
 * lab/README.md; one statement per line, '#' starts a comment:
 *
 *   host NAME [forward]
 *   bridge HOST:BR
 *   link HOST:IF HOST:IF [master BR]      (master: the second end joins BR)
 *   addr HOST:IF PREFIX...
 *   route HOST [local|blackhole|unreachable] DST [via GW] [dev IF]
 *   route HOST DST nexthop via GW [dev IF] [weight N] nexthop ...   (multipath)
 *   impair HOST:IF [delay MS] [jitter MS] [loss PCT]
 *   service HOST NAME...                  ssh http redis memcached postgres dns
 *   firewall HOST drop|reject tcp|udp PORT[,PORT...]
 *   asn PREFIX NUMBER
 *   resolver HOST                          (the dns host every host resolves through)
 */
#ifndef NETKIT_CMD_LAB_TOPO_H
#define NETKIT_CMD_LAB_TOPO_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/nl/rtnl_req.h"

#define TOPO_NAME 16 /* host, interface and bridge names, with the NUL */
#define TOPO_MAX_HOSTS 32
#define TOPO_MAX_LINKS 64
#define TOPO_MAX_BRIDGES 16
#define TOPO_MAX_ADDRS 256
#define TOPO_MAX_ROUTES 256
#define TOPO_MAX_IMPAIRS 32
#define TOPO_MAX_FW 64
#define TOPO_MAX_ASN 64
#define TOPO_MAX_PORTS 16
#define TOPO_MAX_NEXTHOPS 8

enum topo_svc {
	SVC_SSH,
	SVC_HTTP,
	SVC_REDIS,
	SVC_MEMCACHED,
	SVC_POSTGRES,
	SVC_DNS,
	SVC_FTP,
	SVC_MAIL,
	SVC_HTTPS,
	SVC_MYSQL,
	SVC_SMTP,
	SVC_DROPBEAR,
	SVC_LIGHTTPD,
	SVC_APACHE,
	SVC_BIND,
	SVC_UNBOUND,
	SVC_MINIHTTPD,
	SVC_TINYPROXY,
	SVC_NSD,
	SVC_KNOT,
	SVC_WEBFS,
	SVC_H2O,
	SVC_RSYNC,
	SVC_NGIRCD,
	SVC_SLAPD,
	SVC_SNMPD,
	SVC_COTURN,
	SVC_MOSQUITTO,
	SVC_GIT,
	SVC_BEANSTALKD,
	SVC_GEARMAND,
	SVC_ZABBIX,
	SVC_SVNSERVE,
	SVC_XINETD,
	SVC_NATS,
	SVC_MUMBLE,
	SVC_KAMAILIO,
	SVC_OIDENTD,
	SVC_DANTE,
	SVC_XVNC,
	SVC_XVFB,
	SVC_NTPD,
	SVC_SMBD,
	SVC_NMBD,
	SVC_RPCBIND,
	SVC_PROSODY,
	SVC_XRDP,
	SVC_RABBITMQ,
	SVC_ZOOKEEPER,
	SVC_COUNT
};

struct topo_host {
	char name[TOPO_NAME];
	bool forward;
	uint64_t services; /* 1ull << enum topo_svc */
};

/* One end of something: an interface in a host. */
struct topo_ep {
	int host;
	char ifname[TOPO_NAME];
};

struct topo_link {
	struct topo_ep a, b;
	char master[TOPO_NAME]; /* b joins this bridge in b's host, "" none */
};

struct topo_addr {
	struct topo_ep ep;
	struct rtnl_prefix pfx;
};

struct topo_nexthop {
	struct rtnl_prefix gw; /* family 0: none */
	char dev[TOPO_NAME];   /* "" none */
	unsigned weight;       /* 1-256 */
};

struct topo_route {
	int host;
	uint8_t type; /* RTN_UNICAST, RTN_LOCAL, ... */
	struct rtnl_prefix dst, gw;
	char dev[TOPO_NAME];
	unsigned nnh; /* > 0: a multipath route over nh[] (gw and dev unused) */
	struct topo_nexthop nh[TOPO_MAX_NEXTHOPS];
};

struct topo_impair {
	struct topo_ep ep;
	unsigned delay_us, jitter_us;
	unsigned loss_ppm; /* parts per million */
};

struct topo_fw {
	int host;
	bool reject;   /* else drop */
	uint8_t proto; /* IPPROTO_TCP / IPPROTO_UDP */
	unsigned nports;
	uint16_t ports[TOPO_MAX_PORTS];
};

struct topo_asn {
	struct rtnl_prefix pfx;
	uint32_t asn;
};

struct topo {
	int resolver; /* host index, -1: the first host with service dns */
	unsigned nhosts, nlinks, nbridges, naddrs, nroutes, nimpairs, nfw, nasn;
	struct topo_host hosts[TOPO_MAX_HOSTS];
	struct topo_link links[TOPO_MAX_LINKS];
	struct topo_ep bridges[TOPO_MAX_BRIDGES];
	struct topo_addr addrs[TOPO_MAX_ADDRS];
	struct topo_route routes[TOPO_MAX_ROUTES];
	struct topo_impair impairs[TOPO_MAX_IMPAIRS];
	struct topo_fw fw[TOPO_MAX_FW];
	struct topo_asn asn[TOPO_MAX_ASN];
};

/* Parse text (NUL-terminated). On error returns -EINVAL and writes
 * "LINE: what" into err. */
int topo_parse(const char *text, struct topo *t, char *err, size_t errsize);

int topo_host_find(const struct topo *t, const char *name);
const char *topo_svc_name(enum topo_svc s);
/* The first address of a host of this family (for "the host's address"),
 * or NULL. */
const struct rtnl_prefix *topo_host_addr(const struct topo *t, int host, int family);
/* The host running the lab's DNS server, or -1. */
int topo_dns_host(const struct topo *t);

#endif
