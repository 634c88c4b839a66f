/* SPDX-License-Identifier: Apache-2.0 */
/* The long-tail service match database: netkit's own file
 * (data/nmap/service-match), read by this one parser, matched with PCRE2.
 * Handlers in C know the protocols netkit probes; this file knows what
 * the answers of many more servers look like, mostly greetings.
 *
 * Format: entries separated by blank lines, one "key value" per line,
 * '#' starts a comment line.
 *   match SERVICE      the service name a match gives (required, first)
 *   probe NAME         whose answer it reads: NULL (the greeting) or a
 *                      handler's probe name; "any" for every answer (default NULL)
 *   regex PATTERN      PCRE2, the rest of the line (required); binary-safe:
 *                      PCRE2's own \xNN and \0 escapes reach any byte
 *   flags [i][s]       caseless, dotall
 *   soft               the service only: other probes may still name the product
 *   product|version|info|hostname|ostype|devicetype TEXT
 *                      $1..$9 are the pattern's captures
 *   cpe TEXT           up to four, $N too
 *   source TEXT        where the entry comes from (a capture, a manual): required
 * Matching stops at PCRE2's match and depth limits set here, so a bad
 * pattern cannot hang a scan. */
#ifndef NETKIT_LIB_SVC_MATCHDB_H
#define NETKIT_LIB_SVC_MATCHDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/svc/svc.h"

struct svcmatch_db;

/* Load path; 0, or -errno (-EINVAL: malformed, with *line and msg set). */
int svcmatch_open(const char *path, struct svcmatch_db **out, int *line, char *msg, size_t msglen);
/* Parse text (NUL-terminated) instead of a file. */
int svcmatch_parse(const char *text, struct svcmatch_db **out, int *line, char *msg, size_t msglen);
void svcmatch_close(struct svcmatch_db *db);
size_t svcmatch_count(const struct svcmatch_db *db);

/* The first entry for probe that matches b[0..n): SVC_HARD or SVC_SOFT
 * with m filled (evidence names the entry's source line), or SVC_NONE. */
enum svc_verdict svcmatch_match(const struct svcmatch_db *db, const char *probe, const uint8_t *b,
				size_t n, struct svc_match *m);

/* Whether an entry read from probe's answers (or any answer) can name
 * service. */
bool svcmatch_names(const struct svcmatch_db *db, const char *probe, const char *service);

#endif
