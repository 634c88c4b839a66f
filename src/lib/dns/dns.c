/* SPDX-License-Identifier: Apache-2.0 */
/* Asynchronous resolver on c-ares (see dns.h). */
#include <arpa/inet.h>
#include <ares.h>
#include <arpa/nameser.h>
#include <errno.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/dns/dns.h"

#define TXT_MAX 16

struct dns {
	ares_channel ch;
	unsigned pending;
};

struct req {
	struct dns *d;
	union {
		dns_name_cb name;
		dns_addr_cb addr;
		dns_txt_cb txt;
	} cb;
	void *arg;
};

static enum dns_status map_status(int st)
{
	switch (st) {
	case ARES_SUCCESS: return DNS_OK;
	case ARES_ENOTFOUND:
	case ARES_ENODATA: return DNS_NOTFOUND;
	case ARES_ETIMEOUT: return DNS_TIMEOUT;
	case ARES_EDESTRUCTION:
	case ARES_ECANCELLED: return DNS_CANCELLED;
	default: return DNS_FAILED;
	}
}

int dns_open(struct dns **out, const struct dns_opts *o)
{
	struct ares_options ao;
	struct dns *d;
	int r;

	r = ares_library_init(ARES_LIB_INIT_ALL);
	if (r != ARES_SUCCESS)
		return -ENOMEM;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	memset(&ao, 0, sizeof(ao));
	ao.timeout = o && o->timeout_ms > 0 ? o->timeout_ms : 2000;
	ao.tries = o && o->tries > 0 ? o->tries : 2;
	r = ares_init_options(&d->ch, &ao, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES);
	if (r != ARES_SUCCESS) {
		free(d);
		return r == ARES_ENOMEM ? -ENOMEM : -EIO;
	}
	if (o && o->servers && ares_set_servers_ports_csv(d->ch, o->servers) != ARES_SUCCESS) {
		ares_destroy(d->ch);
		free(d);
		return -EINVAL;
	}
	*out = d;
	return 0;
}

void dns_close(struct dns *d)
{
	if (!d)
		return;
	ares_destroy(d->ch);
	free(d);
}

static struct req *req_new(struct dns *d, void *arg)
{
	struct req *r = calloc(1, sizeof(*r));

	if (r) {
		r->d = d;
		r->arg = arg;
		d->pending++;
	}
	return r;
}

static void req_done(struct req *r)
{
	r->d->pending--;
	free(r);
}

static void ptr_done(void *arg, int st, int timeouts, struct hostent *h)
{
	struct req *r = arg;

	(void)timeouts;
	if (st == ARES_SUCCESS && h && h->h_name)
		r->cb.name(r->arg, DNS_OK, h->h_name);
	else
		r->cb.name(r->arg, st == ARES_SUCCESS ? DNS_NOTFOUND : map_status(st), NULL);
	req_done(r);
}

int dns_ptr(struct dns *d, const struct sockaddr *sa, dns_name_cb cb, void *arg)
{
	struct req *r;

	if (sa->sa_family != AF_INET && sa->sa_family != AF_INET6)
		return -EAFNOSUPPORT;
	r = req_new(d, arg);
	if (!r)
		return -ENOMEM;
	r->cb.name = cb;
	if (sa->sa_family == AF_INET)
		ares_gethostbyaddr(d->ch, &((const struct sockaddr_in *)sa)->sin_addr, 4, AF_INET,
				   ptr_done, r);
	else
		ares_gethostbyaddr(d->ch, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16,
				   AF_INET6, ptr_done, r);
	return 0;
}

static void addr_done(void *arg, int st, int timeouts, struct hostent *h)
{
	struct req *r = arg;
	struct sockaddr_storage ss[16];
	size_t n = 0;

	(void)timeouts;
	memset(ss, 0, sizeof(ss));
	for (size_t i = 0; st == ARES_SUCCESS && h && h->h_addr_list[i] && n < 16; i++, n++) {
		if (h->h_addrtype == AF_INET) {
			struct sockaddr_in *s = (struct sockaddr_in *)&ss[n];

			s->sin_family = AF_INET;
			memcpy(&s->sin_addr, h->h_addr_list[i], 4);
		} else {
			struct sockaddr_in6 *s = (struct sockaddr_in6 *)&ss[n];

			s->sin6_family = AF_INET6;
			memcpy(&s->sin6_addr, h->h_addr_list[i], 16);
		}
	}
	if (n)
		r->cb.addr(r->arg, DNS_OK, ss, n);
	else
		r->cb.addr(r->arg, st == ARES_SUCCESS ? DNS_NOTFOUND : map_status(st), NULL, 0);
	req_done(r);
}

int dns_resolve(struct dns *d, const char *name, int family, dns_addr_cb cb, void *arg)
{
	struct req *r;

	if (family != AF_INET && family != AF_INET6)
		return -EAFNOSUPPORT;
	r = req_new(d, arg);
	if (!r)
		return -ENOMEM;
	r->cb.addr = cb;
	ares_gethostbyname(d->ch, name, family, addr_done, r);
	return 0;
}

static void txt_done(void *arg, int st, int timeouts, unsigned char *abuf, int alen)
{
	struct req *r = arg;
	struct ares_txt_ext *txt = NULL;
	char *strs[TXT_MAX];
	size_t n = 0;

	(void)timeouts;
	if (st == ARES_SUCCESS) {
		st = ares_parse_txt_reply_ext(abuf, alen, &txt);
		/* a record's character-strings are joined; record_start marks a new one */
		for (struct ares_txt_ext *t = txt; st == ARES_SUCCESS && t; t = t->next) {
			size_t add = t->length;

			if (t->record_start || n == 0) {
				if (n == TXT_MAX)
					break;
				strs[n] = calloc(1, add + 1);
				if (!strs[n])
					break;
				memcpy(strs[n], t->txt, add);
				n++;
			} else {
				size_t old = strlen(strs[n - 1]);
				char *p = realloc(strs[n - 1], old + add + 1);

				if (!p)
					break;
				memcpy(p + old, t->txt, add);
				p[old + add] = 0;
				strs[n - 1] = p;
			}
		}
		ares_free_data(txt);
	}
	if (n)
		r->cb.txt(r->arg, DNS_OK, (const char *const *)strs, n);
	else
		r->cb.txt(r->arg, st == ARES_SUCCESS ? DNS_NOTFOUND : map_status(st), NULL, 0);
	for (size_t i = 0; i < n; i++)
		free(strs[i]);
	req_done(r);
}

int dns_txt(struct dns *d, const char *name, dns_txt_cb cb, void *arg)
{
	struct req *r = req_new(d, arg);

	if (!r)
		return -ENOMEM;
	r->cb.txt = cb;
	ares_query(d->ch, name, ns_c_in, ns_t_txt, txt_done, r);
	return 0;
}

int dns_pollfds(struct dns *d, struct pollfd *p, int max)
{
	ares_socket_t socks[ARES_GETSOCK_MAXNUM];
	unsigned bits = (unsigned)ares_getsock(d->ch, socks, ARES_GETSOCK_MAXNUM);
	int n = 0;

	/* the ARES_GETSOCK_* macros shift a signed 1 into the sign bit */
	for (int i = 0; i < ARES_GETSOCK_MAXNUM && n < max; i++) {
		short ev = 0;

		if (bits & (1u << i))
			ev |= POLLIN;
		if (bits & (1u << (i + ARES_GETSOCK_MAXNUM)))
			ev |= POLLOUT;
		if (!ev)
			continue;
		p[n].fd = socks[i];
		p[n].events = ev;
		p[n].revents = 0;
		n++;
	}
	return n;
}

void dns_process(struct dns *d, const struct pollfd *p, int n)
{
	bool any = false;

	for (int i = 0; i < n; i++) {
		ares_socket_t rfd = ARES_SOCKET_BAD, wfd = ARES_SOCKET_BAD;

		if (p[i].revents & (POLLIN | POLLERR | POLLHUP))
			rfd = p[i].fd;
		if (p[i].revents & POLLOUT)
			wfd = p[i].fd;
		if (rfd != ARES_SOCKET_BAD || wfd != ARES_SOCKET_BAD) {
			ares_process_fd(d->ch, rfd, wfd);
			any = true;
		}
	}
	if (!any) /* lets timeouts and retries fire */
		ares_process_fd(d->ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
}

int dns_timeout_ms(struct dns *d, int max_ms)
{
	struct timeval maxtv = {max_ms / 1000, (max_ms % 1000) * 1000}, tv, *t;

	if (!d->pending)
		return max_ms;
	t = ares_timeout(d->ch, max_ms < 0 ? NULL : &maxtv, &tv);
	if (!t)
		return max_ms;
	return (int)(t->tv_sec * 1000 + (t->tv_usec + 999) / 1000);
}

unsigned dns_pending(const struct dns *d)
{
	return d->pending;
}

int dns_rev_name(const struct sockaddr *sa, const char *suffix, char *buf, size_t len)
{
	size_t off = 0;
	int n;

	if (sa->sa_family == AF_INET) {
		const uint8_t *b = (const uint8_t *)&((const struct sockaddr_in *)sa)->sin_addr;

		n = snprintf(buf, len, "%u.%u.%u.%u.%s", b[3], b[2], b[1], b[0], suffix);
		return n < 0 || (size_t)n >= len ? -ENOSPC : n;
	}
	if (sa->sa_family != AF_INET6)
		return -EAFNOSUPPORT;
	const uint8_t *b = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
	static const char hex[] = "0123456789abcdef";

	if (len < 64 + strlen(suffix) + 1)
		return -ENOSPC;
	for (int i = 15; i >= 0; i--) {
		buf[off++] = hex[b[i] & 0xf];
		buf[off++] = '.';
		buf[off++] = hex[b[i] >> 4];
		buf[off++] = '.';
	}
	n = snprintf(buf + off, len - off, "%s", suffix);
	return (int)off + n;
}
