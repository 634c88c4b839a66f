/* SPDX-License-Identifier: Apache-2.0 */
/* `netkit lab flows`: the ground truth of a lab's impaired links. Reads
 * the records every impairment daemon of the lab wrote
 * (HOST/impaird-IF.flows, see flows.h) and prints, per probe flow and TTL,
 * how many probes there were and how many the links lost on the way out
 * or back, and per link how many probes and replies it passed and dropped.
 * --reset empties the records (before a measurement). */
#include "cmd/lab/flows.h"
#include "cmd/lab/lab.h"
#include "lib/emit/emit.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct link_count {
	char host[64], dev[32];
	uint64_t passed[2], dropped[2]; /* [0] probes, [1] replies */
};

/* "DIR/HOST/impaird-IF.flows" -> host, dev */
static void link_names(const char *path, struct link_count *l)
{
	const char *f = strrchr(path, '/');
	const char *h = f;
	while (h > path && h[-1] != '/')
		h--;
	snprintf(l->host, sizeof(l->host), "%.*s", (int)(f - h), h);
	const char *dev = f + 1 + strlen("impaird-");
	const char *dot = strrchr(dev, '.');
	snprintf(l->dev, sizeof(l->dev), "%.*s", (int)(dot - dev), dev);
}

static int read_one(const char *path, struct flow_join *j, struct link_count *l)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return -errno;
	link_names(path, l);
	char line[256];
	int r = 0;
	while (!r && fgets(line, sizeof(line), f)) {
		struct impair_pkt p;
		bool dropped;
		if (impair_rec_parse(line, &p, &dropped) < 0)
			continue; /* a line cut by a daemon that is still writing */
		int reply = p.kind == 'R';
		if (dropped)
			l->dropped[reply]++;
		else
			l->passed[reply]++;
		r = flow_join_add(j, &p, dropped);
	}
	fclose(f);
	return r;
}

static void emit_flow(struct emit *e, const struct flow_sum *s)
{
	emit_obj_open(e, NULL);
	emit_str(e, "proto", "flow %s", impair_proto_name(s->proto));
	emit_uint(e, "family", "%u", s->v6 ? 6 : 4);
	emit_uint(e, "id", s->proto == IPPROTO_ICMP ? " id %u" : " ports %u", s->id);
	emit_uint(e, "port", s->proto == IPPROTO_ICMP ? NULL : ">%u", s->port);
	emit_text(e, "\n  ttl  probes    lost  out-drop  back-drop   loss%%\n");
	emit_arr_open(e, "hops");
	for (unsigned t = 1; t <= s->maxttl; t++) {
		const struct flow_hop *h = &s->hop[t];
		if (!h->probes)
			continue;
		uint32_t lost = h->probe_dropped + h->reply_dropped;
		emit_obj_open(e, NULL);
		emit_uint(e, "ttl", "  %3u", t);
		emit_uint(e, "probes", " %7u", h->probes);
		emit_uint(e, "lost", " %7u", lost);
		emit_uint(e, "probe_dropped", " %9u", h->probe_dropped);
		emit_uint(e, "reply_dropped", " %10u", h->reply_dropped);
		emit_double(e, "loss_pct", " %7.2f\n", "%.4f", 100.0 * lost / h->probes);
		emit_obj_close(e);
	}
	emit_arr_close(e);
	emit_obj_close(e);
}

static void emit_link(struct emit *e, const struct link_count *l)
{
	emit_obj_open(e, NULL);
	emit_str(e, "host", "link %s", l->host);
	emit_str(e, "dev", ":%s:", l->dev);
	emit_u64(e, "probes_passed", " probes %llu passed", l->passed[0]);
	emit_u64(e, "probes_dropped", " %llu dropped,", l->dropped[0]);
	emit_u64(e, "replies_passed", " replies %llu passed", l->passed[1]);
	emit_u64(e, "replies_dropped", " %llu dropped\n", l->dropped[1]);
	emit_obj_close(e);
}

static int reset(const glob_t *g)
{
	for (size_t i = 0; i < g->gl_pathc; i++) {
		/* the daemon appends (O_APPEND), so it goes on at the new end */
		int fd = open(g->gl_pathv[i], O_WRONLY | O_TRUNC | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "netkit lab flows: %s: %s\n", g->gl_pathv[i],
				strerror(errno));
			return 1;
		}
		close(fd);
	}
	return 0;
}

static int report(const glob_t *g, bool json)
{
	struct flow_join j;
	struct link_count *links = calloc(g->gl_pathc + 1, sizeof(*links));
	struct flow_sum *sums = NULL;
	struct emit *e = malloc(sizeof(*e));
	int n = -ENOMEM;
	flow_join_init(&j);
	for (size_t i = 0; links && e && i < g->gl_pathc; i++)
		if ((n = read_one(g->gl_pathv[i], &j, &links[i])) < 0)
			break;
	if (links && e && n >= 0)
		n = flow_join_sum(&j, &sums);
	if (n < 0) {
		fprintf(stderr, "netkit lab flows: %s\n", strerror(-n));
	} else {
		emit_init(e, 1, json ? EMIT_JSON : EMIT_TEXT, 0);
		emit_obj_open(e, NULL);
		emit_arr_open(e, "flows");
		for (int i = 0; i < n; i++)
			emit_flow(e, &sums[i]);
		emit_arr_close(e);
		emit_arr_open(e, "links");
		for (size_t i = 0; i < g->gl_pathc; i++)
			emit_link(e, &links[i]);
		emit_arr_close(e);
		emit_obj_close(e);
		n = emit_finish(e);
		if (json && !n)
			n = write(1, "\n", 1) == 1 ? 0 : -errno;
	}
	free(sums);
	free(e);
	free(links);
	flow_join_free(&j);
	return n < 0 ? 1 : 0;
}

int lab_flows_run(const struct lab *lab, bool json, bool clear)
{
	char pat[LAB_PATH];
	glob_t g;
	snprintf(pat, sizeof(pat), "%s/*/impaird-*.flows", lab->dir);
	int r = glob(pat, 0, NULL, &g);
	if (r == GLOB_NOMATCH) {
		fprintf(stderr, "netkit lab flows: lab %s has no impaired link\n", lab->name);
		return 1;
	}
	if (r) {
		fprintf(stderr, "netkit lab flows: cannot list %s\n", pat);
		return 1;
	}
	r = clear ? reset(&g) : report(&g, json);
	globfree(&g);
	return r;
}
