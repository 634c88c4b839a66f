/* SPDX-License-Identifier: Apache-2.0 */
/* -oP URL / --db URL: the scan into PostgreSQL as it runs, a host at a
 * time, each in its own transaction, so what a scan (or a shard) found is
 * in the database even if it dies before the end. The XML output writes
 * each piece (the <nmaprun> header, a <host>, the run statistics) into a
 * memory file; netkit db reads that piece the way `netkit db import` reads
 * a file (cmd/db), so both store the same rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/db/db.h"
#include "cmd/nmap/nmap.h"

int nmap_out_db_open(struct nmap_output *out, const char *url)
{
	out->fd = memfd_create("netkit-oP", MFD_CLOEXEC);
	out->e = malloc(sizeof(*out->e));
	if (out->fd < 0 || !out->e) {
		perror("-oP");
		return 1;
	}
	emit_init(out->e, out->fd, EMIT_XML, EMIT_PRETTY);
	out->db = db_stream_open(url);
	if (!out->db) {
		fprintf(stderr, "Failed to open database output %s\n", url);
		return 1;
	}
	return 0;
}

void nmap_out_db_close(struct nmap_output *out)
{
	db_stream_close(out->db);
	out->db = NULL;
	if (out->fd > 2)
		close(out->fd);
	free(out->e);
}

/* What the XML output wrote since the last time, into the database. A
 * database that fails is said once and let go: the scan and its other
 * outputs go on. */
static void feed(struct nmap_output *out)
{
	emit_flush(out->e);
	struct stat sb;
	if (!out->db || fstat(out->fd, &sb) < 0 || !sb.st_size)
		return;
	char *buf = malloc((size_t)sb.st_size);
	bool ok = buf && pread(out->fd, buf, (size_t)sb.st_size, 0) == sb.st_size &&
		  db_stream_feed(out->db, buf, (size_t)sb.st_size) == 0;
	free(buf);
	if (ftruncate(out->fd, 0) < 0 || lseek(out->fd, 0, SEEK_SET) < 0)
		ok = false;
	if (!ok) {
		fprintf(stderr, "WARNING: -oP: the database stopped taking results; the scan goes "
				"on without it\n");
		db_stream_close(out->db);
		out->db = NULL;
	}
}

static void db_begin(struct nmap_ctx *c, struct nmap_output *out)
{
	nmap_out_xml.begin(c, out);
	feed(out);
}

static void db_host(struct nmap_ctx *c, struct nmap_output *out, const struct host *h)
{
	nmap_out_xml.host(c, out, h);
	feed(out);
}

static void db_end(struct nmap_ctx *c, struct nmap_output *out, bool interrupted)
{
	nmap_out_xml.end(c, out, interrupted);
	feed(out);
}

const struct nmap_out_ops nmap_out_db = {
	.begin = db_begin,
	.host = db_host,
	.end = db_end,
};
