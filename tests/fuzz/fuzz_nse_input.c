/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness for what the script engine receives from the network:
 * the input's first byte picks a target, its second how many bytes each
 * read returns, the rest is what the "network" answers. The targets
 * (tests/fuzz/nse_input.lua) are netkit's own Lua libraries and scripts
 * (data/nse of the source tree): nmap.lua's socket reads (receive,
 * receive_bytes, receive_lines, receive_buf), the parsers of json, http
 * (a response, and http.get's read loop), tls (ServerHello, records),
 * sslcert (X.509 DER, with the engine's own nk.digest), asn1der, dns,
 * ssh2, ftp, comm, and the actions of ~40 scripts that read from a socket.
 * A fake socket stands for nk.socket (the C receive path itself is not
 * reached here). The Lua interpreter is Debian's, not instrumented, so
 * the harness gives libFuzzer the Lua side's coverage itself: a line
 * hook counts (source, line, previous line) in libFuzzer's extra
 * counters, as AFL counts edges. A Lua error is a script failing, which is allowed; a
 * crash, a sanitizer report, more memory than the engine's per-script cap
 * or a run past an instruction cap (a parser that never ends on hostile
 * input) is a finding: the harness aborts. Run by scripts/fuzz.sh. */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/script/nse_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int luaopen_lpeg(lua_State *L);

#define MEM_CAP (256u << 20) /* bytes: a script's cap in the engine is smaller */
#define INSN_CAP 400000000L  /* Lua instructions for one input */
#define INSN_STEP 100000

static size_t mem_used;
static long insns;

/* Lua line edges, read by libFuzzer like its own coverage counters */
#define COV_N 65536
__attribute__((used, section("__libfuzzer_extra_counters"))) static uint8_t lua_cov[COV_N];
static uint32_t prev_line;

static uint32_t fnv(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

static void *alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	(void)ud;
	if (!ptr)
		osize = 0;
	if (nsize == 0) {
		mem_used -= osize;
		free(ptr);
		return NULL;
	}
	if (nsize > osize && mem_used + (nsize - osize) > MEM_CAP)
		return NULL; /* Lua raises "not enough memory": the script fails */
	void *p = realloc(ptr, nsize);
	if (p)
		mem_used += nsize - osize;
	return p;
}

static void hook(lua_State *L, lua_Debug *ar)
{
	if (ar->event == LUA_HOOKLINE) {
		if (!lua_getinfo(L, "S", ar))
			return;
		uint32_t h = fnv(ar->source) ^ ((uint32_t)ar->currentline * 2654435761u);
		uint8_t *c = &lua_cov[(h ^ prev_line) & (COV_N - 1)];
		if (*c < 255)
			(*c)++;
		prev_line = h >> 1;
		return;
	}
	insns += INSN_STEP;
	if (insns > INSN_CAP) {
		luaL_traceback(L, L, "fuzz_nse_input: no end after the instruction cap", 0);
		fprintf(stderr, "%s\n", lua_tostring(L, -1));
		abort();
	}
}

/* A state as the engine's (libraries, LPeg, the nk table with the real
 * nk.digest), the driver's run function left on the stack; NULL on
 * failure (reported: the fuzzer cannot run without its driver). */
static lua_State *state(struct nse *n)
{
	lua_State *L = lua_newstate(alloc, NULL);
	if (!L)
		return NULL;
	*(struct nse **)lua_getextraspace(L) = n;
	luaL_openlibs(L);
	luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
	lua_pushcfunction(L, luaopen_lpeg);
	lua_setfield(L, -2, "lpeg");
	lua_pop(L, 1);
	luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
	lua_newtable(L);
	nse_sock_register(L);
	static const char *const ints[] = {"verbose", "debug"};
	for (size_t i = 0; i < 2; i++) {
		lua_pushinteger(L, 0);
		lua_setfield(L, -2, ints[i]);
	}
	lua_pushinteger(L, 7);
	lua_setfield(L, -2, "version_intensity");
	lua_pushstring(L, NETKIT_SRCDATADIR);
	lua_setfield(L, -2, "datadir");
	luaL_dostring(L, "return function() end");
	lua_setfield(L, -2, "say");
	luaL_dostring(L, "return os.clock");
	lua_setfield(L, -2, "clock");
	lua_setfield(L, -2, "nk");
	lua_pop(L, 1);
	if (luaL_loadfile(L, NETKIT_SRCDATADIR "/../tests/fuzz/nse_input.lua") != LUA_OK) {
		fprintf(stderr, "fuzz_nse_input: %s\n", lua_tostring(L, -1));
		lua_close(L);
		return NULL;
	}
	lua_pushstring(L, NETKIT_SRCDATADIR);
	if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
		fprintf(stderr, "fuzz_nse_input: %s\n", lua_tostring(L, -1));
		lua_close(L);
		return NULL;
	}
	return L;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct nse n = {.epfd = -1};
	if (size < 2)
		return 0;
	insns = 0;
	lua_State *L = state(&n);
	if (!L)
		abort();
	prev_line = 0;
	lua_sethook(L, hook, LUA_MASKCOUNT | LUA_MASKLINE, INSN_STEP);
	lua_pushinteger(L, data[0]);
	lua_pushinteger(L, 1 + data[1] * 8);
	lua_pushlstring(L, (const char *)data + 2, size - 2);
	if (lua_pcall(L, 3, 0, 0) != LUA_OK)
		lua_pop(L, 1); /* memory: the run function's own pcall let it through */
	lua_close(L);
	if (mem_used != 0) {
		fprintf(stderr, "fuzz_nse_input: %zu bytes still counted after lua_close\n",
			mem_used);
		abort();
	}
	return 0;
}
