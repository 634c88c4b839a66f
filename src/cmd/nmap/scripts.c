/* SPDX-License-Identifier: Apache-2.0 */
/* --script, -sC, --script-args, --script-help: the front end of the
 * script engine (src/engine/script). The engine lays each result out as
 * nmap does; here it goes into the outputs: under its port and in "Host
 * script results:" (normal), as <script> elements (XML); nmap's grepable
 * output has none. */
#include "cmd/nmap/nmap.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "engine/script/nse.h"

bool nmap_scripts_wanted(const struct nmap_opts *o)
{
	return o->script || o->script_default || o->cfg.version.on;
}

static void say(void *ctx, const char *line)
{
	struct nmap_ctx *c = ctx;
	if (c->stdout_taken)
		return;
	printf("%s\n", line);
	fflush(stdout);
}

static void task(void *ctx, bool begin, double elapsed)
{
	struct scan_event ev = {.kind = begin ? SCAN_EV_BEGIN : SCAN_EV_END,
				.task = TASK_SCRIPT,
				.elapsed = elapsed};
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ev.when = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
	nmap_event(ctx, &ev);
}

static const char *port_name(void *ctx, uint8_t proto, uint16_t port)
{
	struct nmap_ctx *c = ctx;
	const struct svc_entry *e = svc_lookup(&c->svc, proto, port);
	return e ? e->name : NULL;
}

/* the scan's own stop hook (SIGINT/SIGTERM), set once the scan starts,
 * after the engine is opened */
static int scripts_should_stop(void *ctx)
{
	const struct scan_hooks *hk = &((struct nmap_ctx *)ctx)->o.cfg.hooks;
	return hk->should_stop && hk->should_stop(hk->ctx);
}

/* -sC or --script, plus -sV: "default" or "EXPR", then ",version" (as
 * nmap: -sV runs the version category; --script given, -sC adds nothing) */
static void conf(struct nmap_ctx *c, struct nse_conf *cf, char *sel, size_t len)
{
	const struct nmap_opts *o = &c->o;
	memset(cf, 0, sizeof(*cf));
	const char *parts[3] = {o->script_default && !o->script ? "default" : NULL, o->script,
				o->cfg.version.on ? "version" : NULL};
	size_t k = 0;
	sel[0] = 0;
	for (size_t i = 0; i < 3; i++)
		if (parts[i] && k < len)
			k += (size_t)snprintf(sel + k, len - k, "%s%s", k ? "," : "", parts[i]);
	cf->datadir = c->datadir;
	cf->select = sel;
	cf->args = o->script_args;
	cf->script_timeout = o->script_timeout;
	cf->args_file = o->script_args_file;
	cf->verbose = o->verbose;
	cf->debug = o->debug;
	cf->say = say;
	cf->task = task;
	cf->port_name = port_name;
	cf->ctx = c;
	cf->quiet = !o->script && !o->script_default;
	cf->version_intensity = o->cfg.version.intensity;
	cf->trace = o->script_trace;
	cf->proxies = o->cfg.version.proxies;
	cf->nproxies = o->cfg.version.nproxies;
	cf->should_stop = scripts_should_stop;
}

int nmap_scripts_open(struct nmap_ctx *c)
{
	if (!nmap_scripts_wanted(&c->o) || c->o.list_scan)
		return 0;
	struct nse_conf cf;
	char sel[8192];
	conf(c, &cf, sel, sizeof(sel));
	int rc = nse_open(&cf, &c->nse);
	if (rc)
		return rc;
	c->o.cfg.nse = c->nse;
	return 0;
}

int nmap_script_help(struct nmap_ctx *c)
{
	struct nse_conf cf;
	char sel[8192];
	conf(c, &cf, sel, sizeof(sel));
	cf.select = c->o.script_help;
	fflush(stdout);
	/* nmap 7.93 looks for scripts/ in the working directory too, and
	 * says it does not use one it finds there; netkit never does */
	struct stat st;
	if (stat("scripts", &st) == 0 && S_ISDIR(st.st_mode))
		fprintf(stderr,
			"Warning: File ./scripts/ exists, but Nmap is using %s/nse/scripts/ for "
			"security and consistency reasons.  set NMAPDIR=. to give priority to "
			"files in your local directory (may affect the other data files too).\n",
			c->datadir);
	return nse_help(&cf, stdout);
}

int nmap_script_updatedb(struct nmap_ctx *c)
{
	struct nse_conf cf;
	char sel[8192];
	conf(c, &cf, sel, sizeof(sel));
	fflush(stdout);
	return nse_updatedb(&cf, stdout);
}

/* -oJ: a phase's results as one line of their own, {"prescript": [...]}
 * or {"postscript": [...]}, each result as a port's or host's are. */
static void phase_json(struct emit *e, bool pre, const struct script_result *r, size_t n)
{
	emit_obj_open(e, NULL);
	emit_arr_open(e, pre ? "prescript" : "postscript");
	for (size_t i = 0; i < n; i++)
		if (r[i].json)
			emit_json_raw(e, NULL, r[i].json, strlen(r[i].json));
	emit_arr_close(e);
	emit_obj_close(e);
	emit_finish(e);
}

/* The pre- or post-scan phase, its results in every output. */
int nmap_scripts_phase(struct nmap_ctx *c, bool pre)
{
	/* nmap runs no pre- or post-scan phase for -sV's scripts alone */
	if (!c->nse || (!c->o.script && !c->o.script_default))
		return 0;
	enum nse_phase ph = pre ? NSE_PRE : NSE_POST;
	int rc = nse_run(c->nse, ph, NULL, 0);
	size_t n;
	const struct script_result *r = nse_phase_results(c->nse, ph, &n);
	if (rc || !n)
		return rc;
	for (int k = 0; k <= OUT_MAX; k++) {
		struct nmap_output *out = &c->out[k];
		if (out->used && out->kind == OUT_JSON)
			phase_json(out->e, pre, r, n);
		if (!out->used || (out->kind != OUT_NORMAL && !nmap_out_is_xml(out)))
			continue;
		bool xml = nmap_out_is_xml(out);
		if (xml)
			emit_rawf(out->e, "<%s>", pre ? "prescript" : "postscript");
		else
			emit_rawf(out->e, "%s-scan script results:\n", pre ? "Pre" : "Post");
		for (size_t i = 0; i < n; i++)
			emit_rawf(out->e, "%s", xml ? r[i].xml : r[i].normal);
		emit_rawf(out->e, xml ? "</%s>\n" : "%.0s", pre ? "prescript" : "postscript");
		emit_flush(out->e);
	}
	return 0;
}

void nmap_scripts_close(struct nmap_ctx *c)
{
	nse_close(c->nse);
	c->nse = NULL;
	c->o.cfg.nse = NULL;
}

/* Normal output: the port's script blocks, after its row. */
void nmap_scripts_port(struct emit *e, const struct host *h, const struct port_result *p)
{
	for (size_t i = 0; i < h->nscripts; i++) {
		const struct script_result *r = &h->scripts[i];
		if (r->proto == p->proto && r->port == p->port)
			emit_raw(e, r->normal, strlen(r->normal));
	}
}

/* Normal output: "Host script results:" and the host's blocks; whether
 * there were any. */
bool nmap_scripts_host(struct emit *e, const struct host *h)
{
	bool any = false;
	for (size_t i = 0; i < h->nscripts; i++)
		any |= !h->scripts[i].proto && *h->scripts[i].normal;
	if (!any)
		return false;
	emit_text(e, "\nHost script results:\n");
	for (size_t i = 0; i < h->nscripts; i++)
		if (!h->scripts[i].proto)
			emit_raw(e, h->scripts[i].normal, strlen(h->scripts[i].normal));
	return true;
}

/* XML: the port's <script> elements (inside <port>, after <service>). */
void nmap_scripts_port_xml(struct emit *e, const struct host *h, const struct port_result *p)
{
	for (size_t i = 0; i < h->nscripts; i++) {
		const struct script_result *r = &h->scripts[i];
		if (r->proto == p->proto && r->port == p->port)
			emit_xml_raw_child(e, r->xml, strlen(r->xml));
	}
}

/* -oJ: "scripts" of a port (p) or of the host (p NULL: "hostscripts"),
 * each {"id", "output", "elements"}: the tables a script returned. */
void nmap_scripts_json(struct emit *e, const struct host *h, const struct port_result *p)
{
	bool any = false;
	for (size_t i = 0; i < h->nscripts; i++) {
		const struct script_result *r = &h->scripts[i];
		if (p ? r->proto != p->proto || r->port != p->port : r->proto != 0)
			continue;
		if (!any)
			emit_arr_open(e, p ? "scripts" : "hostscripts");
		any = true;
		emit_json_raw(e, NULL, r->json, strlen(r->json));
	}
	if (any)
		emit_arr_close(e);
}

/* XML: <hostscript> after </ports>. */
void nmap_scripts_host_xml(struct emit *e, const struct host *h)
{
	bool any = false;
	for (size_t i = 0; i < h->nscripts; i++)
		any |= !h->scripts[i].proto;
	if (!any)
		return;
	emit_xml_raw_child(e, "<hostscript>", 12);
	for (size_t i = 0; i < h->nscripts; i++)
		if (!h->scripts[i].proto)
			emit_raw(e, h->scripts[i].xml, strlen(h->scripts[i].xml));
	emit_raw(e, "</hostscript>", 13);
}
