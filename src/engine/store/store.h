/* SPDX-License-Identifier: Apache-2.0 */
/* The result store: scans in PostgreSQL (libpq, loaded when first used).
 * A connection; the schema (created, or an older one upgraded in place);
 * the importer of nmap XML and -oJ NDJSON files (netkit db import); and a
 * scan written as it runs (nmap -oP). Both writers store the same rows. */
#ifndef NETKIT_ENGINE_STORE_STORE_H
#define NETKIT_ENGINE_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/store/pq.h"

struct db {
	struct pq pq;
	PGconn *conn;
};

int db_open(struct db *d, const char *url);
void db_close(struct db *d);
/* Run SQL; 0, or 1 with the server's message on stderr. */
int db_exec(struct db *d, const char *sql);
/* A query with text parameters: its result, or NULL with the message on
 * stderr. */
PGresult *db_query(struct db *d, const char *sql, int n, const char *const *params);

/* The schema, created or upgraded (idempotent); 0 or 1. */
int db_init_schema(struct db *d);
/* Import FILE (nmap XML or -oJ NDJSON; a scan imported again replaces
 * itself), saying "FILE: scan ID, N hosts, M ports" on stdout; 0 or 1
 * with the reason on stderr. */
int db_import_file(struct db *d, const char *file);

/* -oP / --db: a scan written as it runs. open connects (NULL, with the
 * reason on stderr, if it cannot); feed takes one piece of nmap XML (the
 * <nmaprun> header, a <host>, the <runstats>) and commits it; 0 or 1. */
struct db_stream;
struct db_stream *db_stream_open(const char *url);
int db_stream_feed(struct db_stream *s, const char *xml, size_t len);
void db_stream_close(struct db_stream *s);

#endif
