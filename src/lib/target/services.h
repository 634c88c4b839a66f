/* SPDX-License-Identifier: Apache-2.0 */
/* Port names and open-frequencies (data/nmap/services) and IP protocol
 * names (data/nmap/protocols), in netkit's own line format (see
 * scripts/gen-nmap-data.py). Used for the SERVICE column, -p http,ssh,
 * --top-ports/-F and -sO's names. Loading never prints: errors come back
 * as -errno with the offending line number. */
#ifndef NETKIT_TARGET_SERVICES_H
#define NETKIT_TARGET_SERVICES_H

#include <stddef.h>
#include <stdint.h>

struct svc_entry {
	const char *name;
	double freq;
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
/* The n most frequently open ports of proto (as nmap ranks them: by
 * frequency, then by port number), written to out[] in rank order.
 * Returns how many were written (fewer if the table has fewer). */
size_t svc_top_ports(const struct svc_db *db, uint8_t proto, size_t n, uint16_t *out);

/* Read a whole file into a NUL-terminated malloc'd buffer. */
int svc_read_file(const char *path, char **out);

#endif
