/* SPDX-License-Identifier: Apache-2.0 */
/* The OS matcher over netkit's own knowledge (data/os/os-db, generated
 * from data/os/observations by scripts/os-dbgen.py). */
#ifndef NETKIT_ENGINE_OS_MATCH_H
#define NETKIT_ENGINE_OS_MATCH_H

#include <stdbool.h>

struct os_db;
struct os_entry;

#define OS_MAX_GUESSES 8
/* An answer needs this weighted agreement with the nearest known stack and
 * this lead over the nearest stack of another family (set from the
 * leave-one-out evaluation, tests/unit/nmap/test_oseval.c). */
#define OS_MIN_ACC 0.85
#define OS_MIN_MARGIN 0.06

enum os_verdict {
	OS_UNKNOWN, /* too far from everything known, or too close to two families */
	OS_FAMILY,  /* the family (and the nearest entries), not an exact match */
	OS_EXACT,   /* every compared value agrees with an entry */
};

struct os_guess {
	const struct os_entry *e;
	double acc; /* weighted share of the compared test values that agree, 0..1 */
};

struct os_match_res {
	int n, exact; /* guesses (best first); how many entries match at 100% (may be > n) */
	struct os_guess g[OS_MAX_GUESSES];
	enum os_verdict verdict;
	double margin;		      /* best minus the best of another family (1: none) */
	const struct os_entry *rival; /* that other family's best, or NULL */
	char why[768];		      /* what differs from the nearest entry ("": nothing) */
	char support[224];	      /* the 3 heaviest values it shares and the rival lacks */
	/* an answer: how often answers at its accuracy were right when each
	 * configuration was left out (os-db's calibration lines; 0 cases: none) */
	int calib_right, calib_cases;
};

/* What an evaluation leaves out of the knowledge (NULL: nothing). */
struct os_skip {
	const char *name, *family;
};

/* 0, -errno, or -EINVAL with *bad_line set. */
int os_db_load(const char *path, struct os_db **out, int *bad_line);
void os_db_free(struct os_db *db);
int os_db_size(const struct os_db *db);
/* Score the subject's tests ("SEQ(...)OPS(...)...") against every entry
 * (but those skip names, if skip is not NULL). */
void os_db_match(const struct os_db *db, const char *tests, const struct os_skip *skip,
		 struct os_match_res *r);

/* A value that tells of something on the path rather than of the OS (a
 * quoted packet whose IP or UDP checksum was altered): not scored. */
bool os_path_sign(const char *test, const char *name, const char *value);

const char *os_entry_name(const struct os_entry *e);
const char *os_entry_family(const struct os_entry *e);
/* The Wilson score interval's lower end at 95% for right of cases: the
 * share of right answers that many cases support with 95% confidence
 * (158 of 158: 0.976; 0 cases: 0). */
double os_calib_lower95(int right, int cases);
int os_entry_line(const struct os_entry *e);
/* Its i-th "vendor | family | generation | device type" line, or NULL. */
const char *os_entry_class(const struct os_entry *e, int i);
const char *os_entry_cpe(const struct os_entry *e, int i);

#endif
