/* SPDX-License-Identifier: Apache-2.0 */
/* Host names and AS data of hop addresses, looked up asynchronously: a
 * PTR query per address (unless -n) and, with -y/-z, a TXT query in the
 * format mtr asks (origin.asn.cymru.com, origin6 with the top 64 bits as
 * nibbles). Until an answer comes the address shows as a number. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/mtr/mtr.h"

static const int iiwidth[] = {7, 19, 4, 8, 11}; /* mtr's item widths */

struct mtr_name *mtr_name_get(struct mtr *m, const struct pkt_addr *a)
{
	for (size_t i = 0; i < m->nnames; i++)
		if (pkt_addr_eq(&m->names[i]->addr, a))
			return m->names[i];
	return NULL;
}

static void ptr_cb(void *arg, enum dns_status st, const char *name)
{
	struct mtr_name *n = arg;

	n->ptr_done = true;
	if (st == DNS_OK && name && *name)
		n->ptr = strdup(name);
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = 0;
	return s;
}

static void txt_cb(void *arg, enum dns_status st, const char *const *txt, size_t n)
{
	struct mtr_name *nm = arg;
	char *copy, *p, *bar;

	nm->asn_done = true;
	if (st != DNS_OK || n == 0)
		return;
	copy = strdup(txt[0]);
	if (!copy)
		return;
	/* a lying server's bytes never reach the terminal: mtr prints them
	 * raw (escape sequences included); the fields are ASCII words */
	for (p = copy; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			*p = '?';
	p = copy;
	while (nm->nasn < 5) {
		bar = strchr(p, '|');
		if (bar)
			*bar = 0;
		nm->asn[nm->nasn++] = strdup(trim(p));
		if (!bar)
			break;
		p = bar + 1;
	}
	free(copy);
}

static void to_ss(const struct pkt_addr *a, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *s = (struct sockaddr_in *)ss;

		s->sin_family = AF_INET;
		s->sin_addr = a->v4;
	} else {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)ss;

		s->sin6_family = AF_INET6;
		s->sin6_addr = a->v6;
	}
}

/* Each entry is its own heap block: pending callbacks hold its address.
 * Asks what is not asked yet, so turning DNS or AS lookups on later (n, y,
 * z keys) fills in the addresses already seen. */
void mtr_name_lookup(struct mtr *m, const struct pkt_addr *a)
{
	struct mtr_name *n = mtr_name_get(m, a);
	struct sockaddr_storage ss;
	char q[160];

	if (!n) {
		if (m->nnames == m->cap_names) {
			size_t cap = m->cap_names ? m->cap_names * 2 : 64;
			struct mtr_name **nn = realloc(m->names, cap * sizeof(*nn));

			if (!nn)
				return;
			m->names = nn;
			m->cap_names = cap;
		}
		n = calloc(1, sizeof(*n));
		if (!n)
			return;
		m->names[m->nnames++] = n;
		n->addr = *a;
		n->m = m;
	}
	if (!m->dns)
		return;
	to_ss(a, &ss);
	if (m->dns_on && !n->ptr_asked) {
		n->ptr_asked = true;
		if (dns_ptr(m->dns, (struct sockaddr *)&ss, ptr_cb, n) < 0)
			n->ptr_done = true;
	}
	if (m->ipinfo_no >= 0 && !n->asn_asked) {
		n->asn_asked = true;
		if (a->family == AF_INET6) {
			/* the top 64 bits only, as mtr asks */
			char *p = q;

			for (int i = 7; i >= 0; i--)
				p += sprintf(p, "%x.%x.", a->v6.s6_addr[i] & 0xf,
					     a->v6.s6_addr[i] >> 4);
			strcpy(p, "origin6.asn.cymru.com");
		} else if (dns_rev_name((struct sockaddr *)&ss, "origin.asn.cymru.com", q,
					sizeof(q)) < 0) {
			n->asn_done = true;
			return;
		}
		if (dns_txt(m->dns, q, txt_cb, n) < 0)
			n->asn_done = true;
	}
}

int mtr_addr_text(struct mtr *m, const struct pkt_addr *a, bool known, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN];
	struct mtr_name *n;

	if (!known)
		return snprintf(buf, len, "???");
	inet_ntop(a->family, a->b, ip, sizeof(ip));
	n = m->dns_on ? mtr_name_get(m, a) : NULL;
	if (!n || !n->ptr)
		return snprintf(buf, len, "%s", ip);
	if (m->show_ips)
		return snprintf(buf, len, "%s (%s)", n->ptr, ip);
	return snprintf(buf, len, "%s", n->ptr);
}

const char *mtr_ipinfo(struct mtr *m, const struct pkt_addr *a, bool known, char *buf, size_t len)
{
	int no = m->ipinfo_no % 5;
	struct mtr_name *n = known ? mtr_name_get(m, a) : NULL;
	const char *v = "???";

	if (n && n->nasn)
		v = m->ipinfo_no < n->nasn ? n->asn[m->ipinfo_no] : n->asn[0];
	snprintf(buf, len, "%s%-*s", m->ipinfo_no ? "" : "AS", iiwidth[no], v);
	return buf;
}

void mtr_names_free(struct mtr *m)
{
	for (size_t i = 0; i < m->nnames; i++) {
		free(m->names[i]->ptr);
		for (int k = 0; k < m->names[i]->nasn; k++)
			free(m->names[i]->asn[k]);
		free(m->names[i]);
	}
	free(m->names);
	m->names = NULL;
	m->nnames = 0;
}
