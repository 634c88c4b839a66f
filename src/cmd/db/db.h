/* SPDX-License-Identifier: Apache-2.0 */
/* netkit db's pieces: a scan read back from the database (for diff and
 * export) and the subcommands; the connection, schema and importer are
 * the engine's result store (engine/store/store.h). */
#ifndef NETKIT_CMD_DB_DB_H
#define NETKIT_CMD_DB_DB_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/store/store.h"

/* A scan read back: the scans row and each table's rows of it, ordered by
 * host and by their place in the host (seq). */
enum { L_HOSTS, L_ADDRS, L_NAMES, L_EXTRA, L_PORTS, L_SCRIPTS, L_OS, L_TRACES, L_SCANX, L_N };
enum {
	S_ID,
	S_SCANNER,
	S_ARGS,
	S_START,
	S_VERSION,
	S_FINISHED,
	S_ELAPSED,
	S_EXIT,
	S_UP,
	S_DOWN,
	S_TOTAL,
	S_SUMMARY,
	S_ERRMSG
};
/* Columns after host_id (column 0) of each table, as loaded. */
enum {
	H_STATUS = 1,
	H_REASON,
	H_TTL,
	H_START,
	H_END,
	H_TIMEDOUT,
	H_COMMENT,
	H_XOS, /* kept verbatim: <os>, uptime and the like, <trace>, <times> */
	H_XMORE,
	H_XTRACE,
	H_XTIMES,
	H_NAMES, /* "f": no <hostnames> */
	H_JSON,	 /* -oJ: the host's line but its ports ... */
	H_JSONAT /* ... and where they were in it */
};
enum { A_ADDR = 1, A_TYPE, A_VENDOR };
enum { N_NAME = 1, N_TYPE };
enum { E_STATE = 1, E_COUNT, E_XML };
enum {
	P_PROTO = 1,
	P_PORTID,
	P_STATE,
	P_REASON,
	P_TTL,
	P_SERVICE,
	P_PRODUCT,
	P_VERSION,
	P_EXTRA,
	P_METHOD,
	P_CONF,
	P_XML, /* state, owner, service verbatim when the columns do not hold them */
	P_JSON /* -oJ: the port as it was, when it holds more than the columns */
};
enum { C_PROTO = 1, C_PORTID, C_ID, C_OUTPUT, C_XML };
enum { O_NAME = 1, O_ACC, O_LINE };
enum { R_TTL = 1, R_IP, R_RTT, R_HOST };
/* scan_xml: column 0 is after_host, the hosts before it */
enum { X_XML = 1 };

/* Streamed (export): the rows of the host being read, each a batch's row. */
struct dbwin {
	PGresult **old; /* batches the window still points into */
	int nold, capold;
	struct dbrow {
		PGresult *r;
		int i;
	} * rows;
	int n, cap;
	bool eof;
};

struct dbscan {
	struct db *d;
	PGresult *scan;
	PGresult *t[L_N]; /* streamed: the current batch of each table */
	int pos[L_N];	  /* the next unread row of each table */
	bool stream, in_tx;
	struct dbwin w[L_N];
};

/* Load scan ID (its scans.id as text); 0, or 1 with a message. */
int dbscan_load(struct db *d, const char *id, struct dbscan *s);
/* The same, streamed: each table through a cursor, a batch at a time, so
 * memory holds one host's rows (and a batch), not the scan. Hosts are
 * read in order with dbscan_next_host, once; rows of a host are valid
 * until the next dbscan_rows of that table. */
int dbscan_open_stream(struct db *d, const char *id, struct dbscan *s);
/* The next host's row in L_HOSTS, or -1 after the last. */
int dbscan_next_host(struct dbscan *s);
void dbscan_free(struct dbscan *s);
/* A value, or NULL for SQL NULL. */
const char *dbscan_val(const struct dbscan *s, int t, int row, int col);
const char *dbscan_scan(const struct dbscan *s, int col);
int dbscan_nhosts(const struct dbscan *s);
/* The rows of table t that belong to host_id: *first and the count;
 * call for hosts in order, the table's position moves on. */
int dbscan_rows(struct dbscan *s, int t, int host_id, int *first);

int db_diff_main(struct db *d, int argc, char **argv);
int db_export_main(struct db *d, int argc, char **argv);

#endif
