/* SPDX-License-Identifier: Apache-2.0 */
/* A streaming reader of start and end tags and their attributes, enough
 * for nmap's XML (whose data is mostly in attributes): text content is
 * skipped unless asked for (keep_text), comments, processing instructions
 * and the doctype are skipped; the five named
 * entities and numeric references are decoded. Reads a FILE a tag at a
 * time, so a file of any size takes the memory of its longest tag. Pure
 * of output: errors come back as negative errno values. */
#ifndef NETKIT_XML_XMLTOK_H
#define NETKIT_XML_XMLTOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define XML_MAX_ATTRS 48

enum xml_tok_type { XT_START, XT_END, XT_EOF };

struct xml_tok {
	enum xml_tok_type type;
	bool empty; /* <x/>: a start that is its own end */
	const char *name;
	const char *attr[XML_MAX_ATTRS][2];
	size_t nattr;
};

struct xml_reader {
	FILE *f;
	char *buf;
	size_t cap;
	/* keep_text: xml_next keeps the text before the tag it returns in
	 * text (entities decoded; tlen bytes), else skips it */
	bool keep_text;
	char *text;
	size_t tlen, tcap;
};

/* The next tag: 0, or -EINVAL on a malformed tag, -ENOMEM. The token's
 * strings live until the next call. */
int xml_next(struct xml_reader *r, struct xml_tok *t);
/* An attribute's value, or NULL. */
const char *xml_attr(const struct xml_tok *t, const char *name);
void xml_reader_free(struct xml_reader *r);
/* Decode entities of s in place; -EINVAL on an unknown one. */
int xml_decode(char *s);

#endif
