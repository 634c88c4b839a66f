/* SPDX-License-Identifier: Apache-2.0 */
/* The OpenSSL wrapper (see tls.h). libssl is opened with dlopen() the
 * first time a scan needs TLS, not linked: linked (static, 20,000 more
 * relocations) it cost every short command ~0.4 ms at start-up; shared, it
 * would load two more objects into each; only -sV uses it. */
#include "lib/tls/tls.h"

#include <dlfcn.h>
#include <errno.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define LIBSSL "libssl.so.3"

/* The functions we call, looked up by name (OpenSSL 3's ABI). */
struct tls_api {
	void *dl;
	const SSL_METHOD *(*client_method)(void);
	SSL_CTX *(*ctx_new)(const SSL_METHOD *);
	void (*ctx_free)(SSL_CTX *);
	void (*ctx_set_security_level)(SSL_CTX *, int);
	long (*ctx_ctrl)(SSL_CTX *, int, long, void *);
	void (*ctx_set_verify)(SSL_CTX *, int, SSL_verify_cb);
	int (*ctx_set_cipher_list)(SSL_CTX *, const char *);
	uint64_t (*ctx_set_options)(SSL_CTX *, uint64_t);
	SSL *(*new_)(SSL_CTX *);
	void (*free_)(SSL *);
	int (*set_fd)(SSL *, int);
	long (*ctrl)(SSL *, int, long, void *);
	void (*set_connect_state)(SSL *);
	int (*get_error)(const SSL *, int);
	int (*do_handshake)(SSL *);
	int (*write)(SSL *, const void *, int);
	int (*read)(SSL *, void *, int);
	int (*is_init_finished)(const SSL *);
	const char *(*get_version)(const SSL *);
	void (*err_clear)(void);
	X509 *(*peer_cert)(const SSL *);
	int (*i2d_x509)(const X509 *, unsigned char **);
	void (*x509_free)(X509 *);
	size_t (*server_random)(const SSL *, unsigned char *, size_t);
	const EVP_MD *(*md_byname)(const char *);
	int (*digest)(const void *, size_t, unsigned char *, unsigned int *, const EVP_MD *,
		      ENGINE *);
	void (*crypto_free)(void *, const char *, int);
};

struct tls_ctx {
	struct tls_api api;
	SSL_CTX *ssl;
};

struct tls_conn {
	const struct tls_api *api;
	SSL *ssl;
};

static int api_load(struct tls_api *a)
{
	a->dl = dlopen(LIBSSL, RTLD_NOW | RTLD_LOCAL);
	if (!a->dl)
		return -ENOENT;
	static const struct {
		const char *name;
		size_t off;
	} syms[] = {
#define S(n, f) {n, offsetof(struct tls_api, f)}
		S("TLS_client_method", client_method),
		S("SSL_CTX_new", ctx_new),
		S("SSL_CTX_free", ctx_free),
		S("SSL_CTX_set_security_level", ctx_set_security_level),
		S("SSL_CTX_ctrl", ctx_ctrl),
		S("SSL_CTX_set_verify", ctx_set_verify),
		S("SSL_CTX_set_cipher_list", ctx_set_cipher_list),
		S("SSL_CTX_set_options", ctx_set_options),
		S("SSL_new", new_),
		S("SSL_free", free_),
		S("SSL_set_fd", set_fd),
		S("SSL_ctrl", ctrl),
		S("SSL_set_connect_state", set_connect_state),
		S("SSL_get_error", get_error),
		S("SSL_do_handshake", do_handshake),
		S("SSL_write", write),
		S("SSL_read", read),
		S("SSL_is_init_finished", is_init_finished),
		S("SSL_get_version", get_version),
		S("ERR_clear_error", err_clear), /* libcrypto's, found through libssl */
		S("SSL_get1_peer_certificate", peer_cert),
		S("i2d_X509", i2d_x509),
		S("X509_free", x509_free),
		S("SSL_get_server_random", server_random),
		S("EVP_get_digestbyname", md_byname),
		S("EVP_Digest", digest),
		S("CRYPTO_free", crypto_free),
#undef S
	};
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		void *f = dlsym(a->dl, syms[i].name);
		if (!f) {
			dlclose(a->dl);
			a->dl = NULL;
			return -ENOENT;
		}
		memcpy((char *)a + syms[i].off, &f, sizeof(f));
	}
	return 0;
}

int tls_ctx_new(struct tls_ctx **out)
{
	struct tls_ctx *c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	int r = api_load(&c->api);
	const struct tls_api *a = &c->api;
	if (r == 0 && !(c->ssl = a->ctx_new(a->client_method())))
		r = -EIO;
	if (r < 0) {
		if (c->api.dl)
			dlclose(c->api.dl);
		free(c);
		return r;
	}
	/* talk to old servers too: nothing is verified or trusted here */
	a->ctx_set_security_level(c->ssl, 0);
	a->ctx_ctrl(c->ssl, SSL_CTRL_SET_MIN_PROTO_VERSION, 0, NULL);
	a->ctx_set_verify(c->ssl, SSL_VERIFY_NONE, NULL);
	a->ctx_set_cipher_list(c->ssl, "ALL:@SECLEVEL=0");
	a->ctx_set_options(c->ssl, SSL_OP_LEGACY_SERVER_CONNECT | SSL_OP_IGNORE_UNEXPECTED_EOF);
	*out = c;
	return 0;
}

void tls_ctx_free(struct tls_ctx *ctx)
{
	if (!ctx)
		return;
	ctx->api.ctx_free(ctx->ssl);
	dlclose(ctx->api.dl);
	free(ctx);
}

struct tls_conn *tls_conn_new(struct tls_ctx *ctx, int fd, const char *sni)
{
	const struct tls_api *a = &ctx->api;
	struct tls_conn *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->api = a;
	t->ssl = a->new_(ctx->ssl);
	if (!t->ssl || !a->set_fd(t->ssl, fd)) {
		if (t->ssl)
			a->free_(t->ssl);
		free(t);
		return NULL;
	}
	if (sni && *sni) /* SSL_set_tlsext_host_name */
		a->ctrl(t->ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
			(void *)sni);
	a->set_connect_state(t->ssl);
	return t;
}

void tls_conn_free(struct tls_conn *t)
{
	if (!t)
		return;
	t->api->free_(t->ssl);
	free(t);
}

/* OpenSSL's verdict on a call that returned r: want, or an error. */
static int verdict(struct tls_conn *t, int r, int *want)
{
	int e = t->api->get_error(t->ssl, r);
	t->api->err_clear();
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
		*want = e == SSL_ERROR_WANT_READ ? TLS_WANT_READ : TLS_WANT_WRITE;
		return -EAGAIN;
	}
	if (e == SSL_ERROR_ZERO_RETURN)
		return 0;
	return e == SSL_ERROR_SYSCALL ? -EIO : -EPROTO;
}

int tls_handshake(struct tls_conn *t)
{
	int r = t->api->do_handshake(t->ssl);
	if (r == 1)
		return TLS_DONE;
	int want = 0, v = verdict(t, r, &want);
	return v == -EAGAIN ? want : -EPROTO;
}

ssize_t tls_send(struct tls_conn *t, const void *buf, size_t len, int *want)
{
	int r = t->api->write(t->ssl, buf, (int)len);
	return r > 0 ? r : verdict(t, r, want);
}

ssize_t tls_recv(struct tls_conn *t, void *buf, size_t len, int *want)
{
	int r = t->api->read(t->ssl, buf, (int)len);
	return r > 0 ? r : verdict(t, r, want);
}

const char *tls_version(const struct tls_conn *t)
{
	return t->api->is_init_finished(t->ssl) ? t->api->get_version(t->ssl) : "";
}

ssize_t tls_peer_cert(struct tls_conn *t, unsigned char **der)
{
	const struct tls_api *a = t->api;
	X509 *x = a->peer_cert(t->ssl);
	if (!x)
		return -ENOENT;
	unsigned char *p = NULL;
	int n = a->i2d_x509(x, &p);
	a->x509_free(x);
	if (n <= 0)
		return -EIO;
	*der = malloc((size_t)n);
	if (*der)
		memcpy(*der, p, (size_t)n);
	a->crypto_free(p, __FILE__, __LINE__);
	return *der ? n : -ENOMEM;
}

size_t tls_server_random(const struct tls_conn *t, unsigned char *out, size_t len)
{
	return t->api->server_random(t->ssl, out, len);
}

int tls_digest(struct tls_ctx *ctx, const char *name, const void *data, size_t len,
	       unsigned char *out, unsigned int *outlen)
{
	const EVP_MD *md = ctx->api.md_byname(name);
	if (!md)
		return -ENOENT;
	return ctx->api.digest(data, len, out, outlen, md, NULL) == 1 ? 0 : -EIO;
}
