/* SPDX-License-Identifier: Apache-2.0 */
/* Inside the script engine: what nse.c and nse_sock.c share. */
#ifndef NETKIT_ENGINE_SCRIPT_NSE_INT_H
#define NETKIT_ENGINE_SCRIPT_NSE_INT_H

#include <lauxlib.h>
#include <lua.h>

#include "engine/script/nse.h"

/* A coroutine parked on a socket or a timer; woken by nse_poll. */
struct nse_wait {
	struct nse_wait *next;
	int ref;	    /* the thread, in the registry */
	double deadline;    /* monotonic seconds; 0: none */
	struct nse_sock *s; /* NULL: a sleep */
};

struct nse {
	lua_State *L;
	struct nse_conf cf;
	int epfd;
	struct nse_wait *waits;
	struct tls_ctx *tls; /* lib/tls, loaded by the first TLS socket or digest */
	/* limits: instructions of the running slice, memory per script */
	bool active; /* a script's slice runs (the hook counts) */
	long slice, max_slice;
	double deadline; /* the running script's --script-timeout; 0: none */
	int cur;	 /* the running script's slot in mem[] */
	long *mem;	 /* bytes each script holds (approximately) */
	size_t nmem;
	size_t max_mem, total;
	size_t nscripts;
	struct script_result *phase[2]; /* pre, post */
	size_t nphase[2];
};

/* The nse of a Lua state (its extra space holds the pointer). */
static inline struct nse *nse_of(lua_State *L)
{
	return *(struct nse **)lua_getextraspace(L);
}

/* the error a script past its --script-timeout is stopped with */
#define NSE_TIMED_OUT "netkit: script timed out"

double nse_now(void);
/* nse_sock.c: registers the socket type and nk.socket/nk.sleep/nk.poll. */
void nse_sock_register(lua_State *L);
void nse_waits_free(struct nse *n);

#endif
