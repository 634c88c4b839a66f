/* SPDX-License-Identifier: Apache-2.0 */
/* nmap's target specifications and their expansion into addresses:
 * host names (resolved, optionally with /mask), IPv4 addresses, CIDR
 * blocks (192.168.1.0/24), octet ranges (10.1-3.0-255.1,5,7-9, 10.0.0.*),
 * IPv6 addresses and blocks (fd00::/120, with -6), lists read from files
 * (-iL), and exclusions (--exclude, --excludefile).
 *
 * Parsing is separate from expansion so that a malformed spec is found
 * before anything is scanned. Nothing here prints: problems come back as
 * -EINVAL with nmap's wording in the caller's buffer. */
#ifndef NETKIT_TARGET_TARGET_H
#define NETKIT_TARGET_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>

enum target_kind { TGT_V4, TGT_V6, TGT_NAME };

struct target_spec {
	enum target_kind kind;
	char *text;	    /* as the user wrote it */
	char *name;	    /* TGT_NAME: the name without /mask */
	int prefix;	    /* /mask, -1 if none */
	bool ranges;	    /* TGT_V4 given as octet ranges (else address/CIDR) */
	uint64_t oct[4][4]; /* TGT_V4 ranges: allowed values per octet */
	uint32_t v4;	    /* TGT_V4 CIDR: base address, host order */
	struct in6_addr v6; /* TGT_V6: base address */
	uint32_t scope_id;
	/* TGT_NAME after target_resolve(): the address, or resolved false */
	bool resolved;
	struct sockaddr_storage addr;
	char *others; /* the name's other addresses, space separated, or NULL */
};

struct target_list {
	struct target_spec *v;
	size_t n, cap;
};

/* A warning that does not stop the scan (nmap's "Illegal netmask ...
 * Assuming /32") is returned as 1 with the text in warn. */
int target_parse(const char *text, int af, struct target_spec *t, char *msg, size_t msglen);
/* Parse and append; same returns as target_parse. */
int target_list_add(struct target_list *l, const char *text, int af, char *msg, size_t msglen);
void target_list_free(struct target_list *l);

/* Split a whitespace-separated list (an -iL file's contents; '#' starts a
 * comment) and call fn on each word; stops at fn's first negative return. */
int target_words(char *text, int (*fn)(void *ctx, const char *word), void *ctx);

/* Resolve a TGT_NAME spec with getaddrinfo for af. Returns 0, or the
 * EAI_* code (nonzero) on failure; *other_af is set when the name has
 * addresses only in the other family. */
int target_resolve(struct target_spec *t, int af, bool *other_af);

/* Add addr to t->others (the "Other addresses for NAME" list) unless it
 * is there already. 0, or -ENOMEM. */
int target_others_add(struct target_spec *t, const char *addr);

/* Walks every address of a list in order. */
struct target_iter {
	size_t idx;
	bool started;
	unsigned __int128 cur, last; /* offset within the current block */
	uint8_t o[4];		     /* TGT_V4 ranges: current octets */
	/* the last address's index in the list's slots (see shard.h) */
	uint64_t pos, base, k;
};

/* Next address; returns 1 with *ss and *spec set, 0 at the end.
 * Unresolved names are skipped. */
int target_next(const struct target_list *l, struct target_iter *it, struct sockaddr_storage *ss,
		const struct target_spec **spec);
/* How many index slots a spec takes: its addresses; a name its
 * resolved block, or when unresolved 1 (2^(32-mask) with a mask). */
unsigned __int128 target_spec_slots(const struct target_spec *t);
/* Whether ss is covered by any spec of l (for --exclude). */
bool target_list_contains(const struct target_list *l, const struct sockaddr_storage *ss);

#endif
