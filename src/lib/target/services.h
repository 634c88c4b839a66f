/* SPDX-License-Identifier: Apache-2.0 */
/* Port names and nmap's port ranking (data/nmap/services), IP protocol
 * names (data/nmap/protocols) and MAC vendors (data/nmap/mac-prefixes),
 * in netkit's own line formats, generated from our own sources (netbase's
 * /etc/services, IANA's port and protocol registries, the IEEE OUI
 * registry, and nmap's observed output) by scripts/gen-port-table.py,
 * gen-ip-protocols.py and gen-mac-vendors.py; never from nmap's data
 * files. Used for the SERVICE column, -p http,ssh, --top-ports/-F and
 * -sO's names. Loading never prints: errors come back as -errno with the
 * offending line number.
 *   services:   PROTO PORT NAME RANK SOURCE   "tcp 80 http 1 netbase"
 *               (RANK: nmap's --top-ports rank, '-' for none; SOURCE:
 *               netbase, iana or nmap, where NAME comes from)
 *   protocols:  NUMBER NAME SOURCE            "6 tcp iana"
 *   mac-prefixes: PREFIX VENDOR               "00000C Cisco Systems" */
#ifndef NETKIT_TARGET_SERVICES_H
#define NETKIT_TARGET_SERVICES_H

#include <stddef.h>
#include <stdint.h>

struct svc_entry {
	const char *name;
	uint32_t rank; /* nmap's --top-ports rank, 1 = first; 0: not ranked */
	uint16_t port;
	uint8_t proto; /* IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP */
};

struct svc_mac {
	uint32_t prefix; /* the first three bytes */
	const char *vendor;
};

struct svc_db {
	struct svc_entry *v; /* sorted by (proto, port) */
	size_t n;
	char *text;  /* the services file's bytes; names point in here */
	char *ptext; /* the protocols file's bytes */
	const char *proto_names[256];
	struct svc_mac *macs; /* sorted by prefix (data/nmap/mac-prefixes) */
	size_t nmacs;
	char *mtext;
};

/* Parse a services file held in memory (takes ownership of text, which
 * must be NUL-terminated). On a malformed line returns -EINVAL and sets
 * *bad_line. */
int svc_db_parse(struct svc_db *db, char *text, int *bad_line);
int svc_db_parse_protocols(struct svc_db *db, char *text, int *bad_line);
/* Read and parse the files; -errno from open/read. */
int svc_db_load(struct svc_db *db, const char *services_path, int *bad_line);
int svc_db_load_protocols(struct svc_db *db, const char *protocols_path, int *bad_line);
/* MAC vendor table: "PREFIX VENDOR" lines, PREFIX six hex digits. */
int svc_db_parse_macs(struct svc_db *db, char *text, int *bad_line);
int svc_db_load_macs(struct svc_db *db, const char *path, int *bad_line);
void svc_db_free(struct svc_db *db);

/* The vendor owning mac's OUI, or NULL. */
const char *svc_mac_vendor(const struct svc_db *db, const uint8_t mac[6]);

/* The entry for port/proto, or NULL. */
const struct svc_entry *svc_lookup(const struct svc_db *db, uint8_t proto, uint16_t port);
/* The name of IP protocol num, or NULL. */
const char *svc_proto_name(const struct svc_db *db, unsigned num);
/* The n first ports of proto in rank order: the ranked ports (as nmap
 * 7.93 ranks them, observed for its first 1000 TCP and UDP ports and all
 * its SCTP ones), then the table's other ports by number (where nmap's
 * own order, from frequencies netkit does not have, may differ). Written
 * to out[]; returns how many (fewer if the table has fewer). */
size_t svc_top_ports(const struct svc_db *db, uint8_t proto, size_t n, uint16_t *out);

/* Read a whole file into a NUL-terminated malloc'd buffer. */
int svc_read_file(const char *path, char **out);

#endif
