/* SPDX-License-Identifier: Apache-2.0 */
/* Fast number and address formatting for hot output paths (a 500k-route
 * dump formats millions of addresses). Same text as printf("%lu") and
 * glibc's inet_ntop, without their per-call parsing cost. Each writes a
 * NUL-terminated string into buf and returns its length. */
#ifndef NETKIT_UTIL_FMT_H
#define NETKIT_UTIL_FMT_H

#include <stddef.h>
#include <stdint.h>

#define FMT_U64_LEN 21
#define FMT_ADDR_LEN 46 /* INET6_ADDRSTRLEN */

size_t fmt_u64(char *buf, uint64_t v);
size_t fmt_s64(char *buf, int64_t v);
size_t fmt_ipv4(char *buf, const void *addr);
/* RFC 5952 like glibc: longest run (>= 2) of zero groups becomes "::",
 * IPv4-mapped and -compatible addresses end in dotted quad. */
size_t fmt_ipv6(char *buf, const void *addr);
/* family AF_INET or AF_INET6; anything else gives "???" */
size_t fmt_addr(char *buf, int family, const void *addr);

#endif
