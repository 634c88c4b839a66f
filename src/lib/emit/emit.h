/* SPDX-License-Identifier: Apache-2.0 */
/* The one output path. Every value a tool prints goes through one typed
 * call that names its key, its text format and its type; the emitter turns
 * it into text, JSON or XML. Labels and separators that exist only in text
 * go through emit_text(). Nothing here is global: the caller owns a
 * struct emit and passes it down.
 *
 * Output is collected in one buffer per stream and written with write(2)
 * when it fills, so a dump of 500k routes costs a few hundred syscalls.
 *
 * JSON follows iproute2's json_writer byte for byte (compact, and "pretty"
 * with its 4-space indent and "[ {" / "},{" / "} ]" layout; or jansson's
 * layout with EMIT_INDENT_ARRAYS), but unlike it
 * always produces valid JSON: every control byte is escaped, invalid UTF-8
 * bytes become \u00XX, NaN/inf become null, and emit_finish() closes
 * whatever is still open, so an error midway still leaves a valid document.
 *
 * XML (for nmap): an object is an element, scalar values are its
 * attributes (emit them before any child), arrays are transparent and name
 * their unnamed elements after the array's key. */
#ifndef NETKIT_EMIT_H
#define NETKIT_EMIT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum emit_format { EMIT_TEXT, EMIT_JSON, EMIT_XML };

#define EMIT_PRETTY 0x1u
/* With EMIT_PRETTY: every array element on a line of its own and empty
 * arrays as "[]", the layout of jansson's JSON_INDENT(4) and Python's
 * json.dumps(indent=4) (mtr's --json), instead of iproute2's "[ {". */
#define EMIT_INDENT_ARRAYS 0x2u
#define EMIT_BUFSZ (64 * 1024)
#define EMIT_MAX_DEPTH 32

struct emit {
	int fd;
	enum emit_format fmt;
	bool pretty;
	bool indent_arrays; /* EMIT_INDENT_ARRAYS */
	char sep;	    /* JSON: ',' once a value was written at this level */
	bool tag_open;	    /* XML: start tag still waiting for '>' */
	bool had_child;	    /* XML: current element got child elements */
	unsigned depth;
	char kind[EMIT_MAX_DEPTH];	  /* '{' or '[' per level */
	const char *name[EMIT_MAX_DEPTH]; /* XML element / array names */
	int err;			  /* first write error, as -errno */
	size_t len;
	char buf[EMIT_BUFSZ];
};

void emit_init(struct emit *e, int fd, enum emit_format fmt, unsigned flags);
/* Close what is open, end the document, flush. Returns 0 or -errno. */
int emit_finish(struct emit *e);
int emit_flush(struct emit *e);

static inline bool emit_is_text(const struct emit *e)
{
	return e->fmt == EMIT_TEXT;
}

/* Containers. key is NULL for an array element or the root; in text mode
 * these write nothing. */
void emit_obj_open(struct emit *e, const char *key);
/* XML only: a child element holding text, <name>text</name> (nmap's
 * <cpe>); after it the open element takes no more attributes. */
void emit_xml_text_elem(struct emit *e, const char *name, const char *text);
void emit_obj_close(struct emit *e);
/* XML only: s[0..len) as they are, as a child of the open element (its
 * start tag ends first); nmap's <script> elements. */
void emit_xml_raw_child(struct emit *e, const char *s, size_t len);
/* JSON: a member (key) or element whose value is the JSON text s, as is. */
void emit_json_raw(struct emit *e, const char *key, const char *s, size_t len);
void emit_arr_open(struct emit *e, const char *key);
void emit_arr_close(struct emit *e);

/* Values. In text mode fmt is printf'd with the value (fmt NULL: nothing);
 * in JSON/XML the value is written under key with its type. */
void emit_str(struct emit *e, const char *key, const char *fmt, const char *val);
void emit_u64(struct emit *e, const char *key, const char *fmt, uint64_t val);
void emit_s64(struct emit *e, const char *key, const char *fmt, int64_t val);
void emit_uint(struct emit *e, const char *key, const char *fmt, unsigned val);
void emit_int(struct emit *e, const char *key, const char *fmt, int val);
void emit_bool(struct emit *e, const char *key, const char *fmt, bool val);
void emit_null(struct emit *e, const char *key, const char *fmt);
/* JSON writes doubles with jsonfmt (NULL: "%.15g"); text uses fmt. */
void emit_double(struct emit *e, const char *key, const char *fmt, const char *jsonfmt, double val);
/* A JSON real as jansson writes one with JSON_REAL_PRECISION(prec), which
 * is what mtr's --json shows: "%.{prec}g", then ".0" if that looks like an
 * integer, and an exponent without '+' or leading zeros ("0.0", "110.79",
 * "1e-5"). Text uses fmt. */
void emit_real(struct emit *e, const char *key, const char *fmt, int prec, double val);

/* End one root-level JSON value with a newline and start the next one
 * afresh, for one record per line (NDJSON). No-op in text and XML. */
void emit_record_end(struct emit *e);

/* Text only: labels, separators, newlines. Ignored in JSON and XML. */
void emit_text(struct emit *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Bytes as they are, in every format (an XML prolog, a banner). */
void emit_raw(struct emit *e, const char *s, size_t len);
void emit_rawf(struct emit *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Escaping, exposed for tests and for callers that build keys. Writes the
 * JSON string body (without quotes) of s[0..len) into the emitter. */
void emit_json_escape(struct emit *e, const char *s, size_t len);
void emit_xml_escape(struct emit *e, const char *s, size_t len);

#endif
