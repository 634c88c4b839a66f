/* SPDX-License-Identifier: Apache-2.0 */
/* netkit db: scan results in PostgreSQL.
 *   netkit db init URL          the schema (idempotent; upgrades in place)
 *   netkit db import URL FILE...  nmap XML (netkit's or nmap's own) or -oJ
 *                               NDJSON, through COPY; a scan imported again
 *                               replaces itself
 *   netkit db diff / export     (diff.c, export.c)
 * The schema and the importer are the engine's result store
 * (engine/store), which nmap -oP writes through too. */
#include <stdio.h>
#include <string.h>

#include "cmd/db/db.h"
#include "cmd/tools.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: netkit db init URL\n"
		"       netkit db import URL FILE...   (nmap XML: netkit's or nmap's; -oJ NDJSON)\n"
		"       netkit db diff [-v] [--json|--xml] URL SCAN_A SCAN_B\n"
		"       netkit db export URL SCAN [-oX FILE] [-oJ FILE]\n"
		"URL: a libpq connection string, e.g. postgresql:///scans?host=/run/postgresql\n"
		"SCAN: a scan's id (scans.id, printed by import)\n");
}

int cmd_db_main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 255 : 0;
	}
	static const char *const cmds[] = {"init", "import", "diff", "export"};
	int c = -1;
	for (int i = 0; i < 4; i++)
		if (!strcmp(argv[1], cmds[i]))
			c = i;
	if (c < 0) {
		fprintf(stderr, "netkit db: unknown command '%s'\n", argv[1]);
		usage(stderr);
		return 255;
	}
	/* the URL is the first argument that is not an option */
	int u = 2;
	while (u < argc && argv[u][0] == '-' && argv[u][1])
		u++;
	if (u >= argc || (c == 0 && argc != 3) || (c == 1 && argc < 4)) {
		usage(stderr);
		return 255;
	}
	struct db d = {0};
	int rc = db_open(&d, argv[u]);
	if (rc) {
		db_close(&d);
		return c == 2 ? 2 : rc;
	}
	if (c == 0)
		rc = db_init_schema(&d);
	for (int i = 3; c == 1 && !rc && i < argc; i++)
		rc = db_import_file(&d, argv[i]);
	if (c == 2)
		rc = db_diff_main(&d, argc - 1, argv + 1);
	if (c == 3)
		rc = db_export_main(&d, argc - 1, argv + 1);
	db_close(&d);
	return rc;
}
