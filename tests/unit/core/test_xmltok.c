/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the streaming XML tag reader (lib/xml/xmltok.h): tags,
 * attributes with entities, skipped prolog/comments/text, empty elements,
 * and malformed input refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

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
	const char *bad[] = {"<a b=\"1>",	   "<a b=1>", "<a b=\"&bogus;\">", "<a b=\"&#0;\">",
			     "<a b=\"1\"c=\"2\">", "<a b>"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		FILE *f = mem(bad[i]);
		struct xml_reader r = {.f = f};
		struct xml_tok t;
		assert_int_equal(xml_next(&r, &t), -22);
		xml_reader_free(&r);
		fclose(f);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tags),
		cmocka_unit_test(test_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
