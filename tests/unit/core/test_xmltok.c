/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the streaming XML tag reader (lib/xml/xmltok.h): tags,
 * attributes with entities, skipped prolog/comments/text, empty elements,
 * and malformed input refused; text kept when asked (keep_text) and tags
 * written back (xbuf.h) so that reading them again gives the same; and of
 * the NDJSON line reader (jsonl.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lib/xml/jsonl.h"
#include "lib/xml/xbuf.h"
#include "lib/xml/xmltok.h"

static FILE *mem(const char *s)
{
	return fmemopen((void *)s, strlen(s), "r");
}

static void test_tags(void **state)
{
	(void)state;
	const char *doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE nmaprun>\n<!-- a -- comment -->\n"
			  "<nmaprun args=\"nmap -&#45;open &amp; &lt;x&gt; &quot;q&quot; &#xe9;\">"
			  "text<host starttime='1'>\n<port portid=\"22\"/></host></nmaprun>";
	FILE *f = mem(doc);
	struct xml_reader r = {.f = f};
	struct xml_tok t;
	assert_int_equal(xml_next(&r, &t), 0);
	assert_int_equal(t.type, XT_START);
	assert_string_equal(t.name, "nmaprun");
	assert_string_equal(xml_attr(&t, "args"), "nmap --open & <x> \"q\" \xc3\xa9");
	assert_null(xml_attr(&t, "start"));
	assert_int_equal(xml_next(&r, &t), 0);
	assert_string_equal(t.name, "host");
	assert_string_equal(xml_attr(&t, "starttime"), "1");
	assert_int_equal(xml_next(&r, &t), 0);
	assert_true(t.type == XT_START && t.empty);
	assert_string_equal(xml_attr(&t, "portid"), "22");
	assert_int_equal(xml_next(&r, &t), 0);
	assert_true(t.type == XT_END && !strcmp(t.name, "host"));
	assert_int_equal(xml_next(&r, &t), 0);
	assert_true(t.type == XT_END && !strcmp(t.name, "nmaprun"));
	assert_int_equal(xml_next(&r, &t), 0);
	assert_int_equal(t.type, XT_EOF);
	xml_reader_free(&r);
	fclose(f);
}

static void test_malformed(void **state)
{
	(void)state;
	const char *bad[] = {
		"<a b=\"1>",	      "<a b=1>", "<a b=\"&bogus;\">", "<a b=\"&#0;\">",
		"<a b=\"1\"c=\"2\">", "<a b>",	 "<a b c=\"1\">",     "<a b=\"x&amp\">"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		FILE *f = mem(bad[i]);
		struct xml_reader r = {.f = f};
		struct xml_tok t;
		assert_int_equal(xml_next(&r, &t), -22);
		xml_reader_free(&r);
		fclose(f);
	}
}

/* Spaces around '=', many attributes, and a long tag that outgrows the
 * reader's first buffer. */
static void test_spacing(void **state)
{
	(void)state;
	char doc[9000];
	int n = snprintf(doc, sizeof(doc), "<port\tprotocol = 'tcp'\n portid=\"7\" x=\"");
	memset(doc + n, 'y', 8000);
	snprintf(doc + n + 8000, sizeof(doc) - (size_t)n - 8000, "\" z=\"a&gt;b\"/>");
	FILE *f = mem(doc);
	struct xml_reader r = {.f = f};
	struct xml_tok t;
	assert_int_equal(xml_next(&r, &t), 0);
	assert_true(t.type == XT_START && t.empty && t.nattr == 4);
	assert_string_equal(xml_attr(&t, "protocol"), "tcp");
	assert_string_equal(xml_attr(&t, "portid"), "7");
	assert_int_equal(strlen(xml_attr(&t, "x")), 8000);
	assert_string_equal(xml_attr(&t, "z"), "a>b");
	xml_reader_free(&r);
	fclose(f);
}

static void test_json(void **state)
{
	(void)state;
	struct json_arena a = {0};
	struct json *v;
	assert_int_equal(json_parse(&a,
				    "{\"addr\":\"10.0.0.1\",\"n\":-1.5e3,\"ok\":true,\"x\":null,"
				    "\"s\":\"a\\\"b\\\\c\\n\\u00e9\",\"ports\":[{\"portid\":22},"
				    "{\"portid\":80}],\"e\":[]}\n",
				    &v),
			 0);
	assert_string_equal(json_str(v, "addr"), "10.0.0.1");
	assert_string_equal(json_str(v, "n"), "-1.5e3");
	assert_string_equal(json_str(v, "s"), "a\"b\\c\n\xc3\xa9");
	assert_int_equal(json_get(v, "ok")->type, JS_BOOL);
	assert_int_equal(json_get(v, "x")->type, JS_NULL);
	assert_null(json_str(v, "missing"));
	const struct json *p = json_get(v, "ports")->child;
	assert_string_equal(json_str(p, "portid"), "22");
	assert_string_equal(json_str(p->next, "portid"), "80");
	assert_null(p->next->next);
	assert_null(json_get(v, "e")->child);
	const char *bad[] = {"{",	"{\"a\":}",    "{\"a\":1,}",  "[1 2]",
			     "\"\\q\"", "{\"a\":1} x", "\"\\u0000\"", "tru"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(json_parse(&a, bad[i], &v), -22);
	json_arena_free(&a);
}

/* nmap's script table read with its text and written back: the same
 * elements, attributes and text, entities where XML needs them. */
static void test_keep_text(void **state)
{
	(void)state;
	const char *doc =
		"<script id=\"x\" output=\"&#xa;  a&amp;b\">"
		"<elem key=\"k\">v &lt;1&gt; &#xe9;</elem>\n<table><elem>GET</elem></table>"
		"</script>";
	FILE *f = mem(doc);
	struct xml_reader r = {.f = f, .keep_text = true};
	struct xml_tok t;
	struct xbuf b = {0};
	while (xml_next(&r, &t) == 0 && t.type != XT_EOF) {
		xbuf_escape(&b, r.text ? r.text : "", r.tlen, false);
		xbuf_tok(&b, &t);
	}
	assert_false(b.oom);
	assert_string_equal(b.p, "<script id=\"x\" output=\"&#xa;  a&amp;b\"><elem key=\"k\">v "
				 "&lt;1&gt; \xc3\xa9</elem>\n<table><elem>GET</elem></table>"
				 "</script>");
	xml_reader_free(&r);
	fclose(f);
	/* without keep_text the text is skipped, as before */
	f = mem("<a>skipped<b/></a>");
	struct xml_reader q = {.f = f};
	assert_int_equal(xml_next(&q, &t), 0);
	assert_int_equal(xml_next(&q, &t), 0);
	assert_string_equal(t.name, "b");
	assert_int_equal(q.tlen, 0);
	xml_reader_free(&q);
	fclose(f);
	/* attribute values: quotes, whitespace and a NUL-free UTF-8 byte kept */
	xbuf_free(&b);
	xbuf_escape(&b, "\"'\t\r<&>\xc3\xa9", 9, true);
	assert_string_equal(b.p, "&quot;&apos;&#x9;&#xd;&lt;&amp;&gt;\xc3\xa9");
	xbuf_free(&b);
}

/* A -oJ line read and written back without its ports: the same text
 * (numbers as they were), where the ports were, strings escaped. */
static void test_json_back(void **state)
{
	(void)state;
	const char *line = "{\"addr\":\"a\\\"b\",\"n\":1.500,\"ports\":[{\"p\":22}],"
			   "\"os\":{\"m\":[true,null,\"\\u00e9\\n\"]}}";
	struct json_arena a = {0};
	struct json *v;
	assert_int_equal(json_parse(&a, line, &v), 0);
	struct xbuf b = {0};
	size_t at;
	xbuf_json(&b, v, "ports", &at);
	assert_string_equal(b.p, "{\"addr\":\"a\\\"b\",\"n\":1.500,\"os\":{\"m\":[true,null,"
				 "\"\xc3\xa9\\n\"]}}");
	assert_int_equal(at, strlen("{\"addr\":\"a\\\"b\",\"n\":1.500"));
	xbuf_free(&b);
	xbuf_json(&b, v, NULL, &at);
	assert_int_equal(at, SIZE_MAX);
	assert_non_null(strstr(b.p, "\"ports\":[{\"p\":22}]"));
	xbuf_free(&b);
	json_arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tags),	  cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_spacing),	  cmocka_unit_test(test_json),
		cmocka_unit_test(test_keep_text), cmocka_unit_test(test_json_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
