/* SPDX-License-Identifier: Apache-2.0 */
/* The OS knowledge evaluated on itself (issue 12's Done-when): every
 * observation in data/os/observations is matched against data/os/os-db
 * with its own configuration left out (leave-one-configuration-out), and
 * with its whole family left out (leave-one-family-out). netkit must name
 * the right family in at least 90% of the cases where it answers and must
 * never name a wrong one: an unseen stack is "unknown". Prints every case
 * and the calibration table (how often an answer at each accuracy was
 * right); run build/test_nmap_oseval to see it. With
 * NETKIT_OSEVAL_CALIBRATION=FILE it also writes that table into FILE (an
 * os-db) as its calibration lines, which netkit shows beside an answer:
 * scripts/os-dbgen.py runs it so after building data/os/os-db. The same
 * for IPv6 (-6 -O): data/os/observations6 against data/os/os-db6; the
 * environment variables act on the IPv6 run instead when
 * NETKIT_OSEVAL_V6 is set (scripts/os-dbgen.py for os-db6). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/os/match.h"

#define MAXOBS 512

struct obs {
	char name[128], family[64], tests[2048];
};

static int load_obs(const char *path, struct obs *o, int max)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char line[4096];
	int n = 0;
	while (fgets(line, sizeof(line), f) && n < max) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "observation ", 12)) {
			memset(&o[n], 0, sizeof(o[n]));
			snprintf(o[n].name, sizeof(o[n].name), "%.127s", line + 12);
		} else if (!strncmp(line, "class ", 6) && !o[n].family[0]) {
			const char *p = strchr(line, '|') + 1;
			while (*p == ' ')
				p++;
			size_t l = strcspn(p, "|");
			while (l && p[l - 1] == ' ')
				l--;
			snprintf(o[n].family, sizeof(o[n].family), "%.*s", (int)l, p);
		} else if (!strncmp(line, "tests ", 6)) {
			snprintf(o[n].tests, sizeof(o[n].tests), "%.2047s", line + 6);
		} else if (!strcmp(line, "end")) {
			n++;
		}
	}
	fclose(f);
	return n;
}

struct tally {
	int right, wrong, unknown;
	int bucket_n[5], bucket_right[5]; /* answers below 85, 85-90, 90-95, 95-100, 100% */
};

/* What a path or a host's firewall takes from a fingerprint: the named
 * tests come back without an answer, as nmap writes them (R=N). */
#define NDROP 7
static const char *const degrade[][NDROP] = {
	{"U1"},		    /* UDP to the closed port dropped */
	{"IE"},		    /* ICMP echo dropped */
	{"U1", "IE"},	    /* all but TCP dropped */
	{"T5", "T6", "T7"}, /* the closed port filtered */
	{"ECN", "T2", "T3", "T4"},
	{"U1", "IE", "T5", "T6", "T7"},
};
/* the same for IPv6's probes */
static const char *const degrade6[][NDROP] = {
	{"U1"},
	{"IE1", "IE2"},
	{"U1", "IE1", "IE2"},
	{"T5", "T6", "T7"},
	{"TECN", "T2", "T3", "T4"},
	{"U1", "IE1", "IE2", "T5", "T6", "T7"},
};

static void degraded(const char *tests, const char *const *drop, char *out, size_t cap)
{
	size_t n = 0;
	out[0] = '\0';
	for (const char *p = tests; *p && n + 1 < cap;) {
		const char *open = strchr(p, '('), *close = open ? strchr(open, ')') : NULL;
		if (!close)
			break;
		int len = (int)(open - p), gone = 0;
		for (int k = 0; k < NDROP && drop[k]; k++)
			gone |= (int)strlen(drop[k]) == len && !strncmp(p, drop[k], (size_t)len);
		int w = gone ? snprintf(out + n, cap - n, "%.*s(R=N)", len, p)
			     : snprintf(out + n, cap - n, "%.*s", (int)(close - p + 1), p);
		if (w < 0 || (size_t)w >= cap - n)
			break;
		n += (size_t)w;
		p = close + 1;
	}
}

static void one(const struct os_db *db, const struct obs *o, const struct os_skip *skip,
		struct tally *t, const char *how)
{
	struct os_match_res r;
	os_db_match(db, o->tests, skip, &r);
	const char *fam = r.n ? os_entry_family(r.g[0].e) : "-";
	const char *word = "unknown";
	if (r.verdict != OS_UNKNOWN) {
		bool ok = !strcmp(fam, o->family);
		word = ok ? "right" : "WRONG";
		ok ? t->right++ : t->wrong++;
		double a = r.g[0].acc;
		int b = a >= 1 ? 4 : a >= 0.95 ? 3 : a >= 0.90 ? 2 : a >= 0.85 ? 1 : 0;
		t->bucket_n[b]++;
		t->bucket_right[b] += ok;
	} else {
		t->unknown++;
	}
	printf("%-5s %-58.58s %-7s %-8s nearest %-44.44s %5.1f%% margin %5.1f\n", how, o->name,
	       word, fam, r.n ? os_entry_name(r.g[0].e) : "-", r.n ? r.g[0].acc * 100 : 0,
	       r.margin * 100);
}

static void report(const char *what, const struct tally *t)
{
	int answered = t->right + t->wrong;
	printf("%s: %d cases, answered %d (right %d, wrong %d), unknown %d; right where "
	       "answered: %.1f%%\n",
	       what, answered + t->unknown, answered, t->right, t->wrong, t->unknown,
	       answered ? 100.0 * t->right / answered : 100.0);
	const char *names[5] = {"<85%", "85-90%", "90-95%", "95-100%", "100%"};
	for (int b = 0; b < 5; b++)
		if (t->bucket_n[b])
			printf("  accuracy %-8s %3d answers, right %5.1f%%\n", names[b],
			       t->bucket_n[b], 100.0 * t->bucket_right[b] / t->bucket_n[b]);
}

/* FILE's lines but its calibration ones, then the table's */
static void write_calibration(const char *path, const struct tally *t)
{
	static const double lo[5] = {0, 0.85, 0.90, 0.95, 1.0},
			    hi[5] = {0.85, 0.90, 0.95, 1.0, 1.01};
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char *keep = NULL, line[4096];
	size_t klen = 0;
	FILE *m = open_memstream(&keep, &klen);
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "calibration ", 12))
			fputs(line, m);
	fclose(f);
	fclose(m);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(keep, f);
	fprintf(f, "# calibration LO HI RIGHT CASES: of the leave-one-configuration-out answers\n"
		   "# at an accuracy in [LO, HI), how many named the right family (each\n"
		   "# observation whole and with the tests a firewall takes away unanswered)\n");
	for (int b = 0; b < 5; b++)
		if (t->bucket_n[b])
			fprintf(f, "calibration %.2f %.2f %d %d\n", lo[b], hi[b],
				t->bucket_right[b], t->bucket_n[b]);
	fclose(f);
	free(keep);
}

static void evaluate(bool v6)
{
	static struct obs o[MAXOBS];
	/* the environment acts on one of the two runs; the other is skipped
	 * when it asks for another database or configuration */
	bool mine = v6 == (getenv("NETKIT_OSEVAL_V6") != NULL);
	/* scripts/os-loco.py: another os-db (built without one configuration,
	 * its weights too) and only that configuration's observations */
	const char *dbp = getenv("NETKIT_OSEVAL_DB"), *only = getenv("NETKIT_OSEVAL_ONLY");
	if (!mine && (dbp || only))
		return;
	if (!mine)
		dbp = NULL;
	int n = load_obs(v6 ? NETKIT_SRCDATADIR "/os/observations6"
			    : NETKIT_SRCDATADIR "/os/observations",
			 o, MAXOBS);
	assert_true(n > 0);
	if (only) {
		int k = 0;
		for (int i = 0; i < n; i++)
			if (!strcmp(o[i].name, only))
				o[k++] = o[i];
		n = k;
		assert_true(n > 0);
	}
	struct os_db *db;
	int bad;
	assert_int_equal(os_db_load(dbp	 ? dbp
				    : v6 ? NETKIT_SRCDATADIR "/os/os-db6"
					 : NETKIT_SRCDATADIR "/os/os-db",
				    &db, &bad),
			 0);
	struct tally loco = {0}, lofo = {0};
	int families = 0;
	char seen[16][64];
	for (int i = 0; i < n; i++) {
		struct os_skip cfg = {.name = o[i].name};
		one(db, &o[i], &cfg, &loco, "LOCO");
		int k = 0;
		while (k < families && strcmp(seen[k], o[i].family))
			k++;
		if (k == families && families < 16)
			snprintf(seen[families++], sizeof(seen[0]), "%s", o[i].family);
	}
	for (int i = 0; i < n; i++) {
		struct os_skip fam = {.family = o[i].family};
		one(db, &o[i], &fam, &lofo, "LOFO");
	}
	/* leave one configuration out again, the fingerprints degraded */
	struct tally deg = {0}, degfam = {0};
	for (int i = 0; i < n; i++)
		for (size_t d = 0; d < sizeof(degrade) / sizeof(degrade[0]); d++) {
			struct obs x = o[i];
			degraded(o[i].tests, v6 ? degrade6[d] : degrade[d], x.tests,
				 sizeof(x.tests));
			struct os_skip cfg = {.name = o[i].name}, fam = {.family = o[i].family};
			one(db, &x, &cfg, &deg, "LOCO-");
			one(db, &x, &fam, &degfam, "LOFO-");
		}
	printf("IPv%d: %d observations of %d families, %d entries\n", v6 ? 6 : 4, n, families,
	       os_db_size(db));
	report("leave-one-configuration-out", &loco);
	report("leave-one-family-out", &lofo);
	report("leave-one-configuration-out, degraded", &deg);
	report("leave-one-family-out, degraded", &degfam);
	os_db_free(db);
	struct tally all = loco;
	for (int b = 0; b < 5; b++) {
		all.bucket_n[b] += deg.bucket_n[b];
		all.bucket_right[b] += deg.bucket_right[b];
	}
	report("calibration (leave-one-configuration-out, whole and degraded)", &all);
	const char *cal = mine ? getenv("NETKIT_OSEVAL_CALIBRATION") : NULL;
	if (only)
		return;
	if (cal)
		write_calibration(cal, &all);
	assert_true(os_calib_lower95(158, 158) > 0.975 && os_calib_lower95(158, 158) < 0.977);
	assert_true(os_calib_lower95(9, 10) > 0.59 && os_calib_lower95(9, 10) < 0.60);
	assert_true(os_calib_lower95(0, 0) == 0);
	assert_int_equal(loco.wrong, 0);
	assert_int_equal(lofo.wrong, 0);
	assert_true(loco.right * 10 >= (loco.right + loco.wrong) * 9);
	assert_true(loco.right > 0);
}

static void test_leave_out(void **state)
{
	(void)state;
	evaluate(false);
}

static void test_leave_out6(void **state)
{
	(void)state;
	evaluate(true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_leave_out),
					   cmocka_unit_test(test_leave_out6)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
