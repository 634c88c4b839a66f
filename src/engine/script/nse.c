/* SPDX-License-Identifier: Apache-2.0 */
/* The script engine's state: one Lua 5.3 state per scan, its limits, and
 * the calls into data/nse/driver.lua (ours: selection, rules, the
 * coroutine scheduler, nmap's output layout). See nse.h. */
#include "engine/script/nse_int.h"

#include "engine/scan_config.h"

#include "lib/tls/tls.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <lualib.h>

/* LPeg is linked from Debian's static archive and loaded only when a
 * script requires it (package.preload). */
int luaopen_lpeg(lua_State *L);

#define DEF_MAX_SLICE 100000000L	/* instructions between two yields */
#define DEF_MAX_MEM (64u * 1024 * 1024) /* bytes a script may hold */
#define HOOK_EVERY 1000

static void account(struct nse *n, long delta)
{
	n->total += (size_t)delta;
	if (n->active && (size_t)n->cur < n->nmem)
		n->mem[n->cur] += delta;
}

/* lua_Alloc with a per-script cap: a script's allocation over its share
 * fails, and Lua raises "not enough memory" in that script alone. */
static void *nse_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct nse *n = ud;
	if (!ptr)
		osize = 0;
	if (nsize == 0) {
		free(ptr);
		account(n, -(long)osize);
		return NULL;
	}
	if (n->active && nsize > osize && (size_t)n->cur < n->nmem &&
	    n->mem[n->cur] + (long)(nsize - osize) > (long)n->max_mem)
		return NULL;
	void *p = realloc(ptr, nsize);
	if (p)
		account(n, (long)nsize - (long)osize);
	return p;
}

/* The instruction-count hook: a script that runs too long without
 * yielding is stopped with an error (and again every HOOK_EVERY
 * instructions, should it catch the first). */
static void count_hook(lua_State *L, lua_Debug *ar)
{
	(void)ar;
	struct nse *n = nse_of(L);
	if (!n->active)
		return;
	n->slice += HOOK_EVERY;
	if (n->slice > n->max_slice)
		luaL_error(L, "runaway script stopped: more than %I instructions without yielding",
			   (lua_Integer)n->max_slice);
	/* --script-timeout stops a script that computes, not only one waiting */
	if (n->deadline > 0 && nse_now() > n->deadline)
		luaL_error(L, NSE_TIMED_OUT);
}

/* nk.slice(id[, deadline]): a script's slice begins (counted, its memory
 * share; stopped past the monotonic deadline); nk.slice(): the driver
 * runs again. */
static int nk_slice(lua_State *L)
{
	struct nse *n = nse_of(L);
	if (lua_isnoneornil(L, 1)) {
		n->active = false;
		return 0;
	}
	lua_Integer id = luaL_checkinteger(L, 1);
	if (id < 0)
		return luaL_error(L, "bad slot");
	if ((size_t)id >= n->nmem) {
		size_t m = (size_t)id + 64;
		long *v = realloc(n->mem, m * sizeof(*v));
		if (!v)
			return luaL_error(L, "not enough memory");
		memset(v + n->nmem, 0, (m - n->nmem) * sizeof(*v));
		n->mem = v;
		n->nmem = m;
	}
	n->cur = (int)id;
	n->slice = 0;
	n->deadline = luaL_optnumber(L, 2, 0);
	n->active = true;
	return 0;
}

static int nk_clock(lua_State *L)
{
	lua_pushnumber(L, nse_now());
	return 1;
}

static int nk_say(lua_State *L)
{
	struct nse *n = nse_of(L);
	const char *s = luaL_checkstring(L, 1);
	if (n->cf.say)
		n->cf.say(n->cf.ctx, s);
	return 0;
}

static int nk_task(lua_State *L)
{
	struct nse *n = nse_of(L);
	if (n->cf.task)
		n->cf.task(n->cf.ctx, lua_toboolean(L, 1), luaL_optnumber(L, 2, 0));
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* nk.listdir(path): the names in a directory, sorted; nil if none */
static int nk_listdir(lua_State *L)
{
	DIR *d = opendir(luaL_checkstring(L, 1));
	if (!d)
		return 0;
	char **v = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char **w = realloc(v, (n + 1) * sizeof(*v));
		if (!w || !(w[n] = strdup(de->d_name))) {
			v = w ? w : v;
			break;
		}
		v = w;
		n++;
	}
	closedir(d);
	if (n) /* an empty directory has no array: qsort's base may not be NULL */
		qsort(v, n, sizeof(*v), cmp_str);
	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		lua_pushstring(L, v[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
		free(v[i]);
	}
	free(v);
	return 1;
}

static int nk_limits(lua_State *L)
{
	struct nse *n = nse_of(L);
	if (!lua_isnoneornil(L, 1))
		n->max_slice = (long)luaL_checkinteger(L, 1);
	if (!lua_isnoneornil(L, 2))
		n->max_mem = (size_t)luaL_checkinteger(L, 2);
	lua_pushinteger(L, n->max_slice);
	lua_pushinteger(L, (lua_Integer)n->max_mem);
	return 2;
}

static void set_str(lua_State *L, const char *k, const char *v)
{
	lua_pushstring(L, v);
	lua_setfield(L, -2, k);
}

static void set_num(lua_State *L, const char *k, lua_Number v)
{
	lua_pushnumber(L, v);
	lua_setfield(L, -2, k);
}

/* an integer field: Lua 5.3 keeps integers apart from floats (a port
 * 8080 must print as 8080, not 8080.0) */
static void set_int(lua_State *L, const char *k, lua_Integer v)
{
	lua_pushinteger(L, v);
	lua_setfield(L, -2, k);
}

static const char *proto_word(uint8_t p)
{
	return p == IPPROTO_UDP ? "udp" : p == IPPROTO_SCTP ? "sctp" : "tcp";
}

/* port.version: -sV's result, else the port table's name */
static void push_version(lua_State *L, const struct port_service *sv, const char *name)
{
	lua_newtable(L);
	if (sv) {
		const struct svc_match *m = &sv->m;
		set_str(L, "name", *m->service ? m->service : name);
		static const char *const k[] = {"product",  "version", "extrainfo",
						"hostname", "ostype",  "devicetype"};
		const char *v[] = {m->product,	m->version, m->info,
				   m->hostname, m->ostype,  m->devicetype};
		for (size_t i = 0; i < 6; i++)
			if (*v[i])
				set_str(L, k[i], v[i]);
		if (sv->tunnel_ssl)
			set_str(L, "service_tunnel", "ssl");
		/* an answer nobody recognised: the table's name, as nmap (conf 3),
		 * and the answers in service_fp (nmap's fingerprint-strings) */
		bool table = sv->kind == PSVC_UNRECOGNIZED;
		if (sv->fp)
			set_str(L, "service_fp", sv->fp);
		set_int(L, "name_confidence", table ? 3 : m->conf ? m->conf : 10);
		set_str(L, "service_dtype", table ? "table" : "probed");
		lua_newtable(L);
		for (unsigned i = 0; i < m->ncpe; i++) {
			lua_pushstring(L, m->cpe[i]);
			lua_rawseti(L, -2, i + 1);
		}
		lua_setfield(L, -2, "cpe");
	} else {
		set_str(L, "name", name);
		set_int(L, "name_confidence", 3);
		set_str(L, "service_dtype", "table");
		lua_newtable(L);
		lua_setfield(L, -2, "cpe");
	}
	lua_setfield(L, -2, "version");
}

static void push_port(struct nse *n, const struct host *h, const struct port_result *p)
{
	lua_State *L = n->L;
	const char *name = n->cf.port_name ? n->cf.port_name(n->cf.ctx, p->proto, p->port) : NULL;
	const struct port_service *sv = host_service(h, p->proto, p->port);
	if (sv && *sv->m.service)
		name = sv->m.service;
	lua_newtable(L);
	set_int(L, "number", p->port);
	set_str(L, "protocol", proto_word(p->proto));
	set_str(L, "state", port_state_name(p->state));
	set_str(L, "service", name ? name : "unknown");
	set_str(L, "reason", reason_name(p->reason));
	set_int(L, "reason_ttl", p->reason_ttl);
	push_version(L, sv, name ? name : "unknown");
}

static void push_host(struct nse *n, const struct host *h)
{
	lua_State *L = n->L;
	char a[INET6_ADDRSTRLEN] = "";
	const void *bin;
	size_t blen;
	if (h->addr.ss_family == AF_INET6) {
		bin = &((const struct sockaddr_in6 *)&h->addr)->sin6_addr;
		blen = 16;
	} else {
		bin = &((const struct sockaddr_in *)&h->addr)->sin_addr;
		blen = 4;
	}
	inet_ntop(h->addr.ss_family, bin, a, sizeof(a));
	lua_newtable(L);
	set_str(L, "ip", a);
	set_str(L, "name", h->rdns ? h->rdns : "");
	if (h->target_name)
		set_str(L, "targetname", h->target_name);
	lua_pushlstring(L, bin, blen);
	lua_setfield(L, -2, "bin_ip");
	lua_pushboolean(L, h->has_mac);
	lua_setfield(L, -2, "directly_connected");
	if (h->has_mac) {
		lua_pushlstring(L, (const char *)h->mac, 6);
		lua_setfield(L, -2, "mac_addr");
	}
	lua_newtable(L);
	set_num(L, "srtt", h->srtt);
	set_num(L, "rttvar", h->rttvar);
	set_num(L, "timeout", h->rtt_to > 0 ? h->rtt_to : 1.0);
	lua_setfield(L, -2, "times");
}

/* nk.proxies: --proxies as {{http = bool, ip = "...", port = n}, ...} */
static void add_proxies(struct nse *n)
{
	lua_State *L = n->L;
	lua_createtable(L, (int)n->cf.nproxies, 0);
	for (size_t i = 0; i < n->cf.nproxies; i++) {
		const struct scan_proxy *p = &n->cf.proxies[i];
		bool six = p->addr.ss_family == AF_INET6;
		const struct sockaddr_in *a4 = (const struct sockaddr_in *)&p->addr;
		const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)&p->addr;
		char a[INET6_ADDRSTRLEN] = "";
		inet_ntop(p->addr.ss_family, six ? (const void *)&a6->sin6_addr : &a4->sin_addr, a,
			  sizeof(a));
		lua_createtable(L, 0, 3);
		lua_pushboolean(L, p->http);
		lua_setfield(L, -2, "http");
		lua_pushstring(L, a);
		lua_setfield(L, -2, "ip");
		lua_pushinteger(L, ntohs(six ? a6->sin6_port : a4->sin_port));
		lua_setfield(L, -2, "port");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "proxies");
}

static void add_nk(struct nse *n)
{
	lua_State *L = n->L;
	lua_newtable(L);
	nse_sock_register(L);
	static const luaL_Reg fns[] = {
		{"slice", nk_slice},   {"clock", nk_clock}, {"say", nk_say},
		{"limits", nk_limits}, {"task", nk_task},   {"listdir", nk_listdir},
		{NULL, NULL},
	};
	luaL_setfuncs(L, fns, 0);
	lua_pushinteger(L, n->cf.verbose);
	lua_setfield(L, -2, "verbose");
	lua_pushinteger(L, n->cf.debug);
	lua_setfield(L, -2, "debug");
	lua_pushinteger(L, n->cf.version_intensity);
	lua_setfield(L, -2, "version_intensity");
	lua_pushboolean(L, n->cf.trace);
	lua_setfield(L, -2, "script_trace");
	add_proxies(n);
	lua_pushstring(L, n->cf.datadir);
	lua_setfield(L, -2, "datadir");
	lua_pushstring(L, LUA_VERSION_MAJOR "." LUA_VERSION_MINOR);
	lua_setfield(L, -2, "lua_version");
}

static void close_state(struct nse *n)
{
	nse_waits_free(n); /* before the sockets go with the state */
	if (n->L)
		lua_close(n->L);
	n->L = NULL;
	if (n->epfd >= 0)
		close(n->epfd);
	n->epfd = -1;
	tls_ctx_free(n->tls); /* after the sockets' TLS connections */
	n->tls = NULL;
}

static void fail_init(const char *msg)
{
	fprintf(stderr, "NSE: failed to initialize the script engine:\n%s\n\nQUITTING!\n", msg);
}

/* The state, the nk table, package paths, and driver.lua's table in the
 * registry under "nse.driver"; then driver.init(conf). mode is NULL for a
 * scan, "help" for --script-help, "updatedb" for --script-updatedb. */
static int make_state(struct nse *n, const char *mode)
{
	n->epfd = epoll_create1(EPOLL_CLOEXEC);
	n->L = lua_newstate(nse_alloc, n);
	if (n->epfd < 0 || !n->L) {
		fail_init("cannot create the Lua state");
		return 1;
	}
	lua_State *L = n->L;
	*(struct nse **)lua_getextraspace(L) = n;
	luaL_openlibs(L);
	luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
	lua_pushcfunction(L, luaopen_lpeg);
	lua_setfield(L, -2, "lpeg");
	lua_pop(L, 1);
	lua_sethook(L, count_hook, LUA_MASKCOUNT, HOOK_EVERY);
	char path[4096];
	snprintf(path, sizeof(path), "%s/nse/driver.lua", n->cf.datadir);
	if (luaL_loadfile(L, path) != LUA_OK) {
		fail_init(lua_tostring(L, -1));
		return 1;
	}
	add_nk(n);
	if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
		fail_init(lua_tostring(L, -1));
		return 1;
	}
	lua_setfield(L, LUA_REGISTRYINDEX, "nse.driver");
	lua_getfield(L, LUA_REGISTRYINDEX, "nse.driver");
	lua_getfield(L, -1, "init");
	lua_newtable(L);
	set_str(L, "select", n->cf.select ? n->cf.select : "default");
	set_str(L, "args", n->cf.args ? n->cf.args : "");
	set_num(L, "timeout", n->cf.script_timeout);
	if (n->cf.args_file)
		set_str(L, "args_file", n->cf.args_file);
	set_str(L, "datadir", n->cf.datadir ? n->cf.datadir : ".");
	lua_pushboolean(L, mode != NULL);
	lua_setfield(L, -2, "help");
	lua_pushboolean(L, mode && strcmp(mode, "updatedb") == 0);
	lua_setfield(L, -2, "updatedb");
	if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
		fail_init(lua_tostring(L, -1));
		return 1;
	}
	n->nscripts = (size_t)lua_tointeger(L, -1);
	lua_pop(L, 2);
	return 0;
}

static struct nse *nse_new(const struct nse_conf *cf)
{
	struct nse *n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	n->cf = *cf;
	n->epfd = -1;
	n->max_slice = cf->max_instructions > 0 ? cf->max_instructions : DEF_MAX_SLICE;
	n->max_mem = cf->max_memory > 0 ? cf->max_memory : DEF_MAX_MEM;
	return n;
}

int nse_open(const struct nse_conf *cf, struct nse **out)
{
	struct nse *n = nse_new(cf);
	*out = NULL;
	if (!n) {
		fail_init("out of memory");
		return 1;
	}
	if (make_state(n, NULL)) {
		nse_close(n);
		return 1;
	}
	*out = n;
	return 0;
}

/* driver[fn]() in a state made for it; its string result to out */
static int driver_call(const struct nse_conf *cf, FILE *out, const char *fn)
{
	struct nse *n = nse_new(cf);
	if (!n) {
		fail_init("out of memory");
		return 1;
	}
	int rc = make_state(n, fn);
	if (rc == 0) {
		lua_State *L = n->L;
		lua_getfield(L, LUA_REGISTRYINDEX, "nse.driver");
		lua_getfield(L, -1, fn);
		if (lua_pcall(L, 0, 1, 0) != LUA_OK) {
			fail_init(lua_tostring(L, -1));
			rc = 1;
		} else {
			size_t len;
			const char *s = lua_tolstring(L, -1, &len);
			fwrite(s ? s : "", 1, s ? len : 0, out);
		}
	}
	nse_close(n);
	return rc;
}

int nse_help(const struct nse_conf *cf, FILE *out)
{
	return driver_call(cf, out, "help");
}

int nse_updatedb(const struct nse_conf *cf, FILE *out)
{
	return driver_call(cf, out, "updatedb");
}

size_t nse_count(const struct nse *n)
{
	return n ? n->nscripts : 0;
}

static char *field_dup(lua_State *L, const char *k)
{
	lua_getfield(L, -1, k);
	const char *s = lua_tostring(L, -1);
	char *d = s ? strdup(s) : NULL;
	lua_pop(L, 1);
	return d;
}

/* One result {h=, proto=, port=, id=, normal=, xml=, json=} into v. */
static int take_result(lua_State *L, struct script_result **v, size_t *nv)
{
	struct script_result *w = realloc(*v, (*nv + 1) * sizeof(**v));
	if (!w)
		return -ENOMEM;
	*v = w;
	struct script_result *r = &w[*nv];
	memset(r, 0, sizeof(*r));
	lua_getfield(L, -1, "proto");
	const char *p = lua_tostring(L, -1);
	r->proto = !p			? 0
		   : !strcmp(p, "udp")	? IPPROTO_UDP
		   : !strcmp(p, "sctp") ? IPPROTO_SCTP
					: IPPROTO_TCP;
	lua_pop(L, 1);
	lua_getfield(L, -1, "port");
	r->port = (uint16_t)lua_tointeger(L, -1);
	lua_pop(L, 1);
	r->id = field_dup(L, "id");
	r->normal = field_dup(L, "normal");
	r->xml = field_dup(L, "xml");
	r->json = field_dup(L, "json");
	if (!r->id || !r->normal || !r->xml || !r->json) {
		free(r->id);
		free(r->normal);
		free(r->xml);
		free(r->json);
		return -ENOMEM;
	}
	(*nv)++;
	return 0;
}

static int collect(struct nse *n, enum nse_phase ph, struct host *const *hosts, size_t nh)
{
	lua_State *L = n->L;
	size_t k = lua_rawlen(L, -1);
	int rc = 0;
	for (size_t i = 1; i <= k && rc == 0; i++) {
		lua_rawgeti(L, -1, (lua_Integer)i);
		lua_getfield(L, -1, "h");
		lua_Integer hi = lua_tointeger(L, -1);
		lua_pop(L, 1);
		if (ph == NSE_HOST && hi >= 1 && (size_t)hi <= nh) {
			struct host *h = hosts[hi - 1];
			rc = take_result(L, &h->scripts, &h->nscripts);
		} else if (ph != NSE_HOST) {
			int j = ph == NSE_PRE ? 0 : 1;
			rc = take_result(L, &n->phase[j], &n->nphase[j]);
		}
		lua_pop(L, 1);
	}
	return rc;
}

static void copy_field(lua_State *L, const char *k, char *dst, size_t len)
{
	lua_getfield(L, -1, k);
	const char *v = lua_tostring(L, -1);
	snprintf(dst, len, "%s", v ? v : "");
	lua_pop(L, 1);
}

/* The port's -sV record, or a new one for nmap.set_port_version to fill
 * (without -sV, nmap's script still names the port in every output) */
static struct port_service *script_service(struct host *h, uint8_t proto, uint16_t port)
{
	struct port_service *sv = (struct port_service *)host_service(h, proto, port);
	if (sv)
		return sv;
	struct port_service *n = realloc(h->svcs, (h->nsvcs + 1) * sizeof(*n));
	if (!n)
		return NULL;
	h->svcs = n;
	sv = &n[h->nsvcs++];
	memset(sv, 0, sizeof(*sv));
	sv->port = port;
	sv->proto = proto;
	sv->kind = PSVC_UNRECOGNIZED;
	sv->by_script = true;
	return sv;
}

/* A record the driver left for nmap.set_port_version/set_port_state (on
 * top of the stack, left there): its host (index "h" into hosts, NULL when
 * out of range), port and protocol. */
static struct host *record_target(lua_State *L, struct host *const *hosts, size_t nh,
				  uint16_t *port, uint8_t *proto)
{
	lua_getfield(L, -1, "h");
	lua_Integer hi = lua_tointeger(L, -1);
	lua_getfield(L, -2, "port");
	*port = (uint16_t)lua_tointeger(L, -1);
	lua_getfield(L, -3, "proto");
	const char *p = lua_tostring(L, -1);
	*proto = p && !strcmp(p, "udp") ? IPPROTO_UDP : IPPROTO_TCP;
	lua_pop(L, 3);
	return hi >= 1 && (size_t)hi <= nh ? hosts[hi - 1] : NULL;
}

/* Each record of the results table's FIELD (versions, states), on the
 * stack's top while fn reads it, with its host (NULL if none), port and
 * protocol; fn leaves the stack as it found it. */
typedef void (*record_fn)(lua_State *L, struct host *h, uint16_t port, uint8_t proto);

static void each_record(lua_State *L, const char *field, struct host *const *hosts, size_t nh,
			record_fn fn)
{
	lua_getfield(L, -1, field);
	size_t k = lua_istable(L, -1) ? lua_rawlen(L, -1) : 0;
	for (size_t i = 1; i <= k; i++) {
		lua_rawgeti(L, -1, (lua_Integer)i);
		uint16_t port;
		uint8_t proto;
		struct host *h = record_target(L, hosts, nh, &port, &proto);
		fn(L, h, port, proto);
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
}

/* nmap.set_port_version: the script's port.version replaces the port's
 * -sV record (made here when -sV made none; fields it lacks are cleared,
 * the name kept), which then counts as matched (confidence 10); its
 * fingerprint goes only with the probe state "hardmatched" */
static void apply_version(lua_State *L, struct host *h, uint16_t port, uint8_t proto)
{
	struct port_service *sv = h ? script_service(h, proto, port) : NULL;
	if (!sv)
		return;
	struct svc_match *m = &sv->m;
	char name[sizeof(m->service)];
	copy_field(L, "name", name, sizeof(name));
	if (*name)
		memcpy(m->service, name, sizeof(name));
	copy_field(L, "product", m->product, sizeof(m->product));
	copy_field(L, "version", m->version, sizeof(m->version));
	copy_field(L, "extrainfo", m->info, sizeof(m->info));
	copy_field(L, "hostname", m->hostname, sizeof(m->hostname));
	copy_field(L, "ostype", m->ostype, sizeof(m->ostype));
	copy_field(L, "devicetype", m->devicetype, sizeof(m->devicetype));
	lua_getfield(L, -1, "cpe");
	m->ncpe = 0;
	for (lua_Integer c = 1; lua_istable(L, -1) && m->ncpe < SVC_MAX_CPE; c++) {
		lua_rawgeti(L, -1, c);
		const char *cpe = lua_tostring(L, -1);
		if (cpe)
			snprintf(m->cpe[m->ncpe++], sizeof(m->cpe[0]), "%s", cpe);
		lua_pop(L, 1);
		if (!cpe)
			break;
	}
	lua_pop(L, 1);
	char tun[8] = "";
	copy_field(L, "service_tunnel", tun, sizeof(tun));
	if (!strcmp(tun, "ssl"))
		sv->tunnel_ssl = true;
	/* nmap 7.93 drops the port's fingerprint (and its "unrecognized
	 * despite returning data") only for "hardmatched"; a script's
	 * "softmatched" names the port and keeps both (observed with
	 * its http-server-header on h2o, and test scripts) */
	char st[16] = "";
	copy_field(L, "state", st, sizeof(st));
	m->conf = 10;
	if (sv->kind != PSVC_MATCHED) {
		sv->kind = PSVC_MATCHED;
		if (!strcmp(st, "hardmatched")) {
			free(sv->fp);
			sv->fp = NULL;
		}
	}
}

/* nmap.set_port_state: "open" or "closed", reason script-set (ttl 0) */
static void apply_state(lua_State *L, struct host *h, uint16_t port, uint8_t proto)
{
	lua_getfield(L, -1, "state");
	const char *st = lua_tostring(L, -1);
	uint8_t state = st && !strcmp(st, "closed") ? PORT_CLOSED : PORT_OPEN;
	for (size_t j = 0; h && j < h->nports; j++) {
		struct port_result *r = &h->ports[j];
		if (r->port == port && r->proto == proto && r->state != state) {
			r->state = state;
			r->reason = REASON_SCRIPT_SET;
			r->reason_ttl = 0;
		}
	}
	lua_pop(L, 1);
}

int nse_run(struct nse *n, enum nse_phase ph, struct host *const *hosts, size_t nh)
{
	lua_State *L = n->L;
	int top = lua_gettop(L);
	lua_getfield(L, LUA_REGISTRYINDEX, "nse.driver");
	lua_getfield(L, -1, "run");
	lua_pushstring(L, ph == NSE_PRE ? "pre" : ph == NSE_POST ? "post" : "host");
	lua_createtable(L, (int)nh, 0);
	for (size_t i = 0; i < nh; i++) {
		const struct host *h = hosts[i];
		lua_newtable(L);
		push_host(n, h);
		lua_setfield(L, -2, "host");
		lua_newtable(L);
		for (size_t p = 0; p < h->nports; p++) {
			push_port(n, h, &h->ports[p]);
			lua_rawseti(L, -2, (lua_Integer)p + 1);
		}
		lua_setfield(L, -2, "ports");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	int rc = 0;
	if (lua_pcall(L, 2, 1, 0) != LUA_OK) {
		fprintf(stderr, "NSE: script engine error: %s\n", lua_tostring(L, -1));
		rc = -EIO;
	} else {
		if (ph == NSE_HOST) {
			each_record(L, "versions", hosts, nh, apply_version);
			each_record(L, "states", hosts, nh, apply_state);
		}
		if (!n->cf.quiet)
			rc = collect(n, ph, hosts, nh);
	}
	n->active = false;
	lua_settop(L, top);
	return rc;
}

const struct script_result *nse_phase_results(const struct nse *n, enum nse_phase ph, size_t *count)
{
	int j = ph == NSE_PRE ? 0 : 1;
	*count = n && ph != NSE_HOST ? n->nphase[j] : 0;
	return *count ? n->phase[j] : NULL;
}

void nse_close(struct nse *n)
{
	if (!n)
		return;
	close_state(n);
	for (int j = 0; j < 2; j++) {
		for (size_t i = 0; i < n->nphase[j]; i++) {
			free(n->phase[j][i].id);
			free(n->phase[j][i].normal);
			free(n->phase[j][i].xml);
			free(n->phase[j][i].json);
		}
		free(n->phase[j]);
	}
	free(n->mem);
	free(n);
}
