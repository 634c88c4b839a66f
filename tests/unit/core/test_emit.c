/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the emitter: text, JSON (compact and iproute2's pretty
 * layout), escaping, error recovery, XML. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/emit/emit.h"

struct cap {
	struct emit e;
	int fd;
	char out[1 << 20];
};

static struct cap *cap_new(enum emit_format fmt, unsigned flags)
{
	struct cap *c = malloc(sizeof(*c));
	assert_non_null(c);
	c->fd = memfd_create("emit", 0);
	assert_true(c->fd >= 0);
	emit_init(&c->e, c->fd, fmt, flags);
	return c;
}

/* Finish the document and return what was written. */
static const char *cap_done(struct cap *c)
{
	assert_int_equal(emit_finish(&c->e), 0);
	off_t n = lseek(c->fd, 0, SEEK_CUR);
	assert_true(n >= 0 && (size_t)n < sizeof(c->out));
	assert_int_equal(pread(c->fd, c->out, (size_t)n, 0), n);
	c->out[n] = '\0';
	close(c->fd);
	return c->out;
}

static void fill(struct emit *e)
{
	emit_arr_open(e, NULL);
	emit_obj_open(e, NULL);
	emit_uint(e, "ifindex", "%u: ", 1);
	emit_str(e, "ifname", "%s", "lo");
	emit_arr_open(e, "flags");
	emit_str(e, NULL, " <%s", "LOOPBACK");
	emit_str(e, NULL, ",%s>", "UP");
	emit_arr_close(e);
	emit_obj_open(e, "stats");
	emit_u64(e, "bytes", " %" PRIu64, UINT64_C(18446744073709551615));
	emit_obj_close(e);
	emit_text(e, "\n");
	emit_obj_close(e);
	emit_obj_open(e, NULL);
	emit_int(e, "ifindex", "%d: ", -2);
	emit_bool(e, "up", "%s", true);
	emit_null(e, "none", NULL);
	emit_text(e, "\n");
	emit_obj_close(e);
	emit_arr_close(e);
}

/* fill() in compact JSON */
static const char fill_compact[] =
	"[{\"ifindex\":1,\"ifname\":\"lo\",\"flags\":[\"LOOPBACK\",\"UP\"],"
	"\"stats\":{\"bytes\":18446744073709551615}},"
	"{\"ifindex\":-2,\"up\":true,\"none\":null}]\n";

static void test_text(void **state)
{
	struct cap *c = cap_new(EMIT_TEXT, 0);
	fill(&c->e);
	assert_string_equal(cap_done(c), "1: lo <LOOPBACK,UP> 18446744073709551615\n-2: true\n");
	free(c);
}

static void test_json_compact(void **state)
{
	struct cap *c = cap_new(EMIT_JSON, 0);
	fill(&c->e);
	assert_string_equal(cap_done(c), fill_compact);
	free(c);
}

/* iproute2's json_writer layout, as `ip -j -p link show` prints it. */
static void test_json_pretty(void **state)
{
	struct cap *c = cap_new(EMIT_JSON, EMIT_PRETTY);
	fill(&c->e);
	assert_string_equal(cap_done(c), "[ {\n"
					 "        \"ifindex\": 1,\n"
					 "        \"ifname\": \"lo\",\n"
					 "        \"flags\": [ \"LOOPBACK\",\"UP\" ],\n"
					 "        \"stats\": {\n"
					 "            \"bytes\": 18446744073709551615\n"
					 "        }\n"
					 "    },{\n"
					 "        \"ifindex\": -2,\n"
					 "        \"up\": true,\n"
					 "        \"none\": null\n"
					 "    } ]\n");
	free(c);
}

/* EMIT_INDENT_ARRAYS: jansson's JSON_INDENT(4) layout (mtr --json), the
 * same bytes as Python's json.dumps(indent=4) for the same values. */
static void test_json_indent_arrays(void **state)
{
	struct cap *c = cap_new(EMIT_JSON, EMIT_PRETTY | EMIT_INDENT_ARRAYS);
	fill(&c->e);
	assert_string_equal(cap_done(c), "[\n"
					 "    {\n"
					 "        \"ifindex\": 1,\n"
					 "        \"ifname\": \"lo\",\n"
					 "        \"flags\": [\n"
					 "            \"LOOPBACK\",\n"
					 "            \"UP\"\n"
					 "        ],\n"
					 "        \"stats\": {\n"
					 "            \"bytes\": 18446744073709551615\n"
					 "        }\n"
					 "    },\n"
					 "    {\n"
					 "        \"ifindex\": -2,\n"
					 "        \"up\": true,\n"
					 "        \"none\": null\n"
					 "    }\n"
					 "]\n");
	free(c);

	c = cap_new(EMIT_JSON, EMIT_PRETTY | EMIT_INDENT_ARRAYS);
	emit_obj_open(&c->e, NULL);
	emit_obj_open(&c->e, "report");
	emit_arr_open(&c->e, "hubs");
	emit_arr_open(&c->e, NULL);
	emit_int(&c->e, NULL, NULL, 1);
	emit_arr_open(&c->e, NULL);
	emit_arr_close(&c->e);
	emit_arr_close(&c->e);
	emit_obj_open(&c->e, NULL);
	emit_obj_close(&c->e);
	emit_arr_close(&c->e);
	emit_arr_open(&c->e, "a");
	emit_arr_close(&c->e);
	assert_string_equal(cap_done(c), "{\n"
					 "    \"report\": {\n"
					 "        \"hubs\": [\n"
					 "            [\n"
					 "                1,\n"
					 "                []\n"
					 "            ],\n"
					 "            {}\n"
					 "        ],\n"
					 "        \"a\": []\n"
					 "    }\n"
					 "}\n");
	free(c);

	/* without EMIT_PRETTY the flag changes nothing: compact */
	c = cap_new(EMIT_JSON, EMIT_INDENT_ARRAYS);
	fill(&c->e);
	assert_string_equal(cap_done(c), fill_compact);
	free(c);
}

static void test_json_empty_containers(void **state)
{
	struct cap *c = cap_new(EMIT_JSON, EMIT_PRETTY);
	emit_arr_open(&c->e, NULL);
	emit_obj_open(&c->e, NULL);
	emit_arr_open(&c->e, "a");
	emit_arr_close(&c->e);
	emit_obj_open(&c->e, "o");
	emit_obj_close(&c->e);
	emit_obj_close(&c->e);
	emit_arr_close(&c->e);
	assert_string_equal(cap_done(c), "[ {\n        \"a\": [ ],\n        \"o\": {}\n    } ]\n");
	free(c);
}

static void test_json_escape(void **state)
{
	struct cap *c = cap_new(EMIT_JSON, 0);
	emit_obj_open(&c->e, NULL);
	emit_str(&c->e, "k\"ey", NULL, "a\"b\\c\n\t\x01\x1f\x7f");
	emit_str(&c->e, "utf8", NULL, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	/* invalid: lone continuation, overlong, truncated, surrogate, > U+10FFFF */
	emit_str(&c->e, "bad", NULL, "\x80|\xc0\xaf|\xe2\x82|\xed\xa0\x80|\xf4\x90\x80\x80|\xff");
	emit_obj_close(&c->e);
	assert_string_equal(cap_done(c),
			    "{\"k\\\"ey\":\"a\\\"b\\\\c\\n\\t\\u0001\\u001f\x7f\","
			    "\"utf8\":\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\","
			    "\"bad\":\"\\u0080|\\u00c0\\u00af|\\u00e2\\u0082|"
			    "\\u00ed\\u00a0\\u0080|\\u00f4\\u0090\\u0080\\u0080|\\u00ff\"}\n");
	free(c);
}

static void test_json_double(void **state)
{
	struct cap *c = cap_new(EMIT_JSON, 0);
	emit_obj_open(&c->e, NULL);
	emit_double(&c->e, "a", "%.1f", NULL, 0.25);
	emit_double(&c->e, "b", "%.1f", "%.3f", 2.0);
	emit_double(&c->e, "nan", "%f", NULL, NAN);
	emit_double(&c->e, "inf", "%f", NULL, INFINITY);
	emit_obj_close(&c->e);
	assert_string_equal(cap_done(c), "{\"a\":0.25,\"b\":2.000,\"nan\":null,\"inf\":null}\n");
	free(c);
}

/* jansson's reals at a precision, as mtr's --json prints them */
static void test_json_real(void **state)
{
	(void)state;
	struct cap *c = cap_new(EMIT_JSON, 0);
	emit_arr_open(&c->e, NULL);
	const double v[] = {0, 48, 57.142, 110.7912, 10.3764, -2.5, 1e-5, 123456789, 2.5e-300, NAN};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		emit_real(&c->e, NULL, "%.1f", 5, v[i]);
	emit_arr_close(&c->e);
	assert_string_equal(cap_done(c), "[0.0,48.0,57.142,110.79,10.376,-2.5,1e-5,1.2346e8,"
					 "2.5e-300,null]\n");
	free(c);
	c = cap_new(EMIT_TEXT, 0);
	emit_real(&c->e, "x", "%.1f", 5, 2.25);
	assert_string_equal(cap_done(c), "2.2");
	free(c);
}

/* An error midway: whatever is open gets closed, the document stays valid. */
static void test_json_finish_closes(void **state)
{
	struct cap *c = cap_new(EMIT_JSON, 0);
	emit_arr_open(&c->e, NULL);
	emit_obj_open(&c->e, NULL);
	emit_str(&c->e, "x", NULL, "y");
	emit_arr_open(&c->e, "list");
	emit_uint(&c->e, NULL, NULL, 3);
	assert_string_equal(cap_done(c), "[{\"x\":\"y\",\"list\":[3]}]\n");
	free(c);
}

static void test_json_depth_limit(void **state)
{
	struct cap *c = cap_new(EMIT_JSON, 0);
	for (int i = 0; i < EMIT_MAX_DEPTH + 5; i++)
		emit_arr_open(&c->e, NULL);
	assert_int_equal(c->e.err, -E2BIG);
	c->e.err = 0;
	const char *out = cap_done(c);
	size_t n = strlen(out);
	assert_int_equal(n, 2 * EMIT_MAX_DEPTH + 1);
	free(c);
}

/* Output far larger than the buffer, including one huge value. */
static void test_big_output(void **state)
{
	struct cap *c = cap_new(EMIT_JSON, 0);
	char *big = malloc(100000);
	memset(big, 'z', 99999);
	big[99999] = '\0';
	emit_arr_open(&c->e, NULL);
	for (unsigned i = 0; i < 20000; i++)
		emit_uint(&c->e, NULL, NULL, i);
	emit_str(&c->e, NULL, NULL, big);
	emit_arr_close(&c->e);
	const char *out = cap_done(c);
	assert_int_equal(out[0], '[');
	assert_non_null(strstr(out, ",19999,\"zzz"));
	assert_int_equal(strlen(out), 1 + 108889 + 1 + 100001 + 2);
	free(big);
	free(c);
}

static void test_text_long_format(void **state)
{
	struct cap *c = cap_new(EMIT_TEXT, 0);
	for (int i = 0; i < 5000; i++)
		emit_text(&c->e, "%-30s|", "col");
	const char *out = cap_done(c);
	assert_int_equal(strlen(out), 5000 * 31);
	free(c);
}

static void test_xml(void **state)
{
	struct cap *c = cap_new(EMIT_XML, 0);
	emit_obj_open(&c->e, "host");
	emit_str(&c->e, "name", "%s", "a<b>&\"c'");
	emit_str(&c->e, "args", NULL, "-a --b ---c");
	emit_arr_open(&c->e, "port");
	emit_obj_open(&c->e, NULL);
	emit_uint(&c->e, "portid", NULL, 22);
	emit_obj_open(&c->e, "state");
	emit_str(&c->e, "state", NULL, "open");
	emit_obj_close(&c->e);
	emit_obj_close(&c->e);
	emit_obj_open(&c->e, NULL);
	emit_uint(&c->e, "portid", NULL, 80);
	emit_obj_close(&c->e);
	emit_arr_close(&c->e);
	emit_obj_open(&c->e, "times");
	/* unclosed: finish closes it and host */
	assert_string_equal(cap_done(c),
			    "<host name=\"a&lt;b&gt;&amp;&quot;c&apos;\" "
			    "args=\"-a -&#45;b -&#45;&#45;c\"><port portid=\"22\">"
			    "<state state=\"open\"/></port><port portid=\"80\"/><times/></host>");
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_json_compact),
		cmocka_unit_test(test_json_pretty),
		cmocka_unit_test(test_json_indent_arrays),
		cmocka_unit_test(test_json_empty_containers),
		cmocka_unit_test(test_json_escape),
		cmocka_unit_test(test_json_double),
		cmocka_unit_test(test_json_real),
		cmocka_unit_test(test_json_finish_closes),
		cmocka_unit_test(test_json_depth_limit),
		cmocka_unit_test(test_big_output),
		cmocka_unit_test(test_text_long_format),
		cmocka_unit_test(test_xml),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
