/* SPDX-License-Identifier: Apache-2.0 */
/* A growing byte buffer that writes XML: escaped text and attribute
 * values, and a tag read by xmltok written back; a JSON value read by
 * jsonl written back. Used to keep parts of an nmap XML document or a -oJ
 * line verbatim (netkit db). Pure of output; a failed
 * allocation sets oom and later writes do nothing. */
#ifndef NETKIT_XML_XBUF_H
#define NETKIT_XML_XBUF_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/xml/jsonl.h"
#include "lib/xml/xmltok.h"

struct xbuf {
	char *p; /* NUL-terminated once anything is written */
	size_t n, cap;
	bool oom;
};

void xbuf_put(struct xbuf *b, const char *s, size_t n);
/* s escaped: & < > always; in an attribute value (attr) also " ' and
 * tab, newline and carriage return as character references, so that a
 * reader gives back the same value. Other bytes as they are (UTF-8). */
void xbuf_escape(struct xbuf *b, const char *s, size_t n, bool attr);
/* The tag t as XML: <name a="v" ...>, <name .../> (t->empty) or </name>. */
void xbuf_tok(struct xbuf *b, const struct xml_tok *t);
/* s as a JSON string: quoted, " \\ and control bytes escaped, UTF-8 as
 * it is. */
void xbuf_json_str(struct xbuf *b, const char *s);
/* v as JSON (numbers in their own text), without an object's member
 * named skip (NULL: all of them); *at (if not NULL): where in b the
 * member was, after the member before it (or the brace), or SIZE_MAX. */
void xbuf_json(struct xbuf *b, const struct json *v, const char *skip, size_t *at);
void xbuf_free(struct xbuf *b);

#endif
