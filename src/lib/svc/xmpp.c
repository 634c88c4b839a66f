/* SPDX-License-Identifier: Apache-2.0 */
/* XMPP (RFC 6120): the client opens a stream (section 4.7: the header
 * with "to", the default namespace jabber:client, or jabber:server
 * between servers, and version 1.0); the server answers with its own
 * header and then its stream features (section 4.3.2) or a stream error
 * (section 4.9). The header's default namespace says which side the port
 * serves: nmap's service names xmpp-client and xmpp-server. The stream
 * names no server program (Prosody 0.12.3 in the lab sends nothing that
 * does before authentication): a softmatch. */
#include "lib/svc/svc.h"

#include <stdio.h>
#include <string.h>

size_t svc_xmpp_build(const char *host, bool server, uint8_t *buf, size_t cap)
{
	int n = snprintf((char *)buf, cap,
			 "<?xml version='1.0'?><stream:stream to='%s' xmlns='jabber:%s' "
			 "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>",
			 host, server ? "server" : "client");
	return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

int svc_xmpp_complete(const uint8_t *b, size_t n, bool udp)
{
	if (udp || (n >= 1 && b[0] != '<'))
		return -1;
	return svc_find(b, n, "</stream:features>") >= 0 ||
			       svc_find(b, n, "<stream:features/>") >= 0 ||
			       svc_find(b, n, "</stream:stream>") >= 0
		       ? 1
		       : 0;
}

/* the opening tag <stream:stream ...>: its bytes from b + at */
static size_t stream_tag(const uint8_t *b, size_t n, size_t *at)
{
	long s = svc_find(b, n, "<stream:stream ");
	if (s < 0)
		return 0;
	const uint8_t *e = memchr(b + s, '>', n - (size_t)s);
	if (!e)
		return 0;
	*at = (size_t)s;
	return (size_t)(e - (b + s));
}

enum svc_verdict svc_xmpp_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m)
{
	size_t at = 0, len = udp ? 0 : stream_tag(b, n, &at);
	if (!len || svc_find(b + at, len, "http://etherx.jabber.org/streams") < 0)
		return SVC_NONE;
	const uint8_t *t = b + at;
	bool client = svc_find(t, len, "xmlns='jabber:client'") >= 0 ||
		      svc_find(t, len, "xmlns=\"jabber:client\"") >= 0;
	bool server = svc_find(t, len, "xmlns='jabber:server'") >= 0 ||
		      svc_find(t, len, "xmlns=\"jabber:server\"") >= 0;
	if (client == server)
		return SVC_NONE;
	svc_match_reset(m, client ? "xmpp-client" : "xmpp-server");
	m->conf = 10;
	snprintf(m->evidence, sizeof(m->evidence), "XMPP stream header, namespace jabber:%s",
		 client ? "client" : "server");
	return SVC_SOFT;
}
