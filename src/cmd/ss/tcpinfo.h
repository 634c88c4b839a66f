/* SPDX-License-Identifier: Apache-2.0 */
/* TCP internals (-i), socket memory (-m) and timers (-o) of inet sockets,
 * in iproute2 6.1's words. */
#ifndef NETKIT_SS_TCPINFO_H
#define NETKIT_SS_TCPINFO_H

#include <inttypes.h>
#include <stddef.h>

#include "cmd/ss/ss.h"
#include "lib/nl/nl.h"

/* "1min", "12sec", "1.250ms"...: iproute2's print_ms_timer. */
const char *ss_ms_timer(unsigned ms, char *buf, size_t len);
/* Bits per second as "1.5Mbps" pieces (numeric: plain number). */
const char *ss_bw(const struct ss_ctx *c, double bw, char *buf, size_t len);
/* An MD5 key as iproute2 shows it: printable bytes as they are, others
 * and '\\', ' ', ',' as "\\ooo". out holds 4 * len + 1; its length. */
size_t ss_escape_key(const uint8_t *key, size_t len, char *out);
void ss_tcp_info_print(struct ss_ctx *c, const struct ss_sock *s, const struct nlattr **tb,
		       const struct nlmsghdr *nlh);

#endif
