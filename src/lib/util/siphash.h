/* SPDX-License-Identifier: Apache-2.0 */
/* SipHash-2-4 (Aumasson and Bernstein): a keyed 64-bit hash, used by the
 * scanner to put an unforgeable cookie into sequence numbers and IDs, so
 * replies are validated without remembering what was sent. */
#ifndef NETKIT_UTIL_SIPHASH_H
#define NETKIT_UTIL_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

struct siphash_key {
	uint64_t k0, k1;
};

uint64_t siphash24(const struct siphash_key *key, const void *data, size_t len);

#endif
