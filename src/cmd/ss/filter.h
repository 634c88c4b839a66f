/* SPDX-License-Identifier: Apache-2.0 */
/* The ss filter language: lexer, parser, INET_DIAG bytecode compiler
 * and a matcher for what the kernel cannot filter (UNIX, PACKET,
 * NETLINK sockets, devices).
 *
 * Grammar (iproute2 6.1's, whitespace-separated words):
 *   filter := [ list ]
 *   list   := expr { [ "and" | "&" | "&&" | "or" | "|" | "||" ] expr }
 *             (evaluated left to right, no precedence; juxtaposition is "and")
 *   expr   := "(" list ")" | ( "!" | "not" ) expr
 *           | ( "dst" | "src" ) [ "=" ] HOST
 *           | ( "dport" | "sport" ) OP PORT
 *           | "dev" ( [ "=" ] | "!=" ) DEVICE
 *           | "fwmark" ( [ "=" ] | "!=" ) MARK[/MASK]
 *           | "cgroup" ( [ "=" ] | "!=" ) PATH
 *           | "autobound"
 *   OP     := [ "=" | "==" | "eq" ] | "!=" | "ne" | "neq" | ">" | "gt" | "<" | "lt"
 *           | ">=" | "ge" | "geq" | "<=" | "le" | "leq"
 *   HOST   := [ FAMILY: ] ( ADDR[/PLEN][:PORT] | [ADDR6][/PLEN][:PORT] | *[:PORT] | NAME )
 * Never prints, never exits: errors come back as text for the caller. */
#ifndef NETKIT_SS_FILTER_H
#define NETKIT_SS_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum ssf_type {
	SSF_DCOND,
	SSF_SCOND,
	SSF_OR,
	SSF_AND,
	SSF_NOT,
	SSF_D_GE,
	SSF_D_LE,
	SSF_S_GE,
	SSF_S_LE,
	SSF_S_AUTO,
	SSF_DEVCOND,
	SSF_MARKMASK,
	SSF_CGROUPCOND,
};

struct ssf_host {
	int family; /* AF_UNSPEC for a bare port */
	int bitlen;
	uint32_t addr[4];
	int port;	       /* -1: any */
	char *pattern;	       /* AF_UNIX: fnmatch pattern */
	struct ssf_host *next; /* further addresses a name resolved to */
};

struct ssf_node {
	enum ssf_type type;
	struct ssf_node *a, *b;
	struct ssf_node *up; /* the list node whose left side (a) this is */
	struct ssf_host *host;
	unsigned iface;
	uint32_t mark, mask;
	uint64_t cgroup_id;
};

/* What the parser needs from the run, and what it hands back. */
struct ssf_env {
	int family;	   /* preferred family; a FAMILY: prefix changes it */
	bool udp, tcp;	   /* tables shown: service names are looked up in these */
	bool no_resolve;   /* host names never resolve (tests, fuzzing: no DNS) */
	int forced_family; /* AF_UNSPEC, or the family a prefix selected */
	char err[512];	   /* message(s) for the user on failure */
};

#define SSF_SYNTAX (-1) /* grammar error: usage, exit 255 */
#define SSF_BADARG (-2) /* a word that does not parse: err, exit 1 */
#define SSF_DEEP                                                                                   \
	(-3) /* nested deeper than iproute2's parser goes: its
			 * "memory exhausted", usage, exit 255 */

/* iproute2's parser is bison's with its default stack of 10000 entries
 * (YYMAXDEPTH): "!"s or "("s nested 9996 deep (each "( x or" level
 * takes 3) exhaust it. Lists of any length do not. */
#define SSF_MAX_DEPTH 10000

/* Parse words argv[0..argc) then, if fp, the lines of fp. */
int ssf_parse(int argc, char **argv, FILE *fp, struct ssf_env *env, struct ssf_node **out);
void ssf_free(struct ssf_node *n);

/* INET_DIAG bytecode for the tree into *bc (malloc'd): its length, 0 if
 * the tree has a part the kernel cannot run (then filter in userspace
 * only), SSF_BC_TOO_LONG if it would not fit in one netlink attribute
 * (SSF_BC_MAX bytes: iproute2's request then fails to send and it reads
 * /proc instead), -1 on allocation failure. */
#define SSF_BC_MAX (65535 - 4)
#define SSF_BC_TOO_LONG (-2)
int ssf_compile(const struct ssf_node *n, uint8_t **bc);

/* One socket as the matcher sees it. */
struct ssf_sock {
	int family;
	uint32_t laddr[4], raddr[4];
	int lport, rport;
	unsigned iface;
	uint32_t mark;
	uint64_t cgroup_id;
	const char *lname, *rname; /* AF_UNIX names, NULL if none */
	bool autobound;
};

bool ssf_match(const struct ssf_node *n, const struct ssf_sock *s);

#endif
