/* SPDX-License-Identifier: Apache-2.0 */
/* The one OpenSSL wrapper (ARCHITECTURE.md: lib/tls), for service
 * detection now and scripts later: a TLS client over a non-blocking
 * socket that someone else polls. It checks no certificate (detection
 * wants to talk to whatever answers) and offers every version and cipher
 * OpenSSL still has, down to its security level 0. libssl.so.3 is loaded
 * by tls_ctx_new (dlopen), not linked: nothing else pays for it. Prints
 * nothing. */
#ifndef NETKIT_LIB_TLS_H
#define NETKIT_LIB_TLS_H

#include <stddef.h>
#include <sys/types.h>

struct tls_ctx;
struct tls_conn;

enum { TLS_DONE = 0, TLS_WANT_READ = 1, TLS_WANT_WRITE = 2 };

/* 0 or -ENOMEM / -EIO */
int tls_ctx_new(struct tls_ctx **out);
void tls_ctx_free(struct tls_ctx *ctx);

/* A client on connected socket fd; sni may be NULL (no server name). */
struct tls_conn *tls_conn_new(struct tls_ctx *ctx, int fd, const char *sni);
void tls_conn_free(struct tls_conn *t);

/* One step of the handshake: TLS_DONE, TLS_WANT_READ/WRITE (poll for that
 * and call again), or -EPROTO when the peer does not speak TLS. */
int tls_handshake(struct tls_conn *t);
/* Bytes sent or received (0: the peer closed), or -EAGAIN with *want set
 * to what to poll for, or -EPROTO / -EIO. */
ssize_t tls_send(struct tls_conn *t, const void *buf, size_t len, int *want);
ssize_t tls_recv(struct tls_conn *t, void *buf, size_t len, int *want);
/* "TLSv1.3", or "" before the handshake */
const char *tls_version(const struct tls_conn *t);
/* The peer's certificate, DER, in *der (malloc'd): its length, or
 * -ENOENT (none) / -EIO / -ENOMEM. */
ssize_t tls_peer_cert(struct tls_conn *t, unsigned char **der);
/* The ServerHello's random (32 bytes) into out: how many bytes. */
size_t tls_server_random(const struct tls_conn *t, unsigned char *out, size_t len);
/* A digest ("md5", "sha1", "sha256", ...) of data into out (64 bytes
 * room): 0, or -ENOENT for a name OpenSSL does not know. */
int tls_digest(struct tls_ctx *ctx, const char *name, const void *data, size_t len,
	       unsigned char *out, unsigned int *outlen);

#endif
