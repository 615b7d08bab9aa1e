/* Identifier and literal quoting: a schema file must never be able to
 * inject SQL through a name or a string. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "dialects/postgres/pg.h"

static char *quoted(const char *ident)
{
	strbuf sb = STRBUF_INIT;
	pg_quote_ident(&sb, ident);
	return strbuf_detach(&sb);
}

static void expect_ident(const char *in, const char *out)
{
	char *q = quoted(in);
	assert_string_equal(q, out);
	free(q);
}

static void test_plain_names_stay_bare(void **state)
{
	(void)state;
	expect_ident("orders", "orders");
	expect_ident("_x1", "_x1");
	expect_ident("created_at", "created_at");
	/* Unreserved keywords need no quotes, as in the server. */
	expect_ident("name", "name");
	expect_ident("comment", "comment");
}

static void test_reserved_and_odd_names_are_quoted(void **state)
{
	(void)state;
	expect_ident("user", "\"user\"");
	expect_ident("select", "\"select\"");
	expect_ident("order", "\"order\"");
	expect_ident("between", "\"between\""); /* column-name keyword */
	expect_ident("left", "\"left\"");	/* type/function-name keyword */
	expect_ident("Orders", "\"Orders\"");
	expect_ident("1abc", "\"1abc\"");
	expect_ident("two words", "\"two words\"");
	expect_ident("café", "\"café\"");
	expect_ident("", "\"\"");
}

/* Keywords newer servers reserve: a name printed bare for 15 would be a
 * syntax error (or, as system_user, a function call) on 16 and 17. */
static void test_keywords_of_newer_servers(void **state)
{
	(void)state;
	static const char *const newer[] = {
	    "system_user",  "json",	      "json_array",  "json_arrayagg",
	    "json_object",  "json_objectagg", "json_exists", "json_query",
	    "json_scalar",  "json_serialize", "json_table",  "json_value",
	    "merge_action",
	};
	for (size_t i = 0; i < sizeof(newer) / sizeof(newer[0]); i++) {
		char want[64];
		snprintf(want, sizeof(want), "\"%s\"", newer[i]);
		expect_ident(newer[i], want);
		assert_false(pg_ident_is_plain(newer[i]));
	}
	/* Unreserved in every version still bare. */
	expect_ident("format", "format");
	expect_ident("keys", "keys");
}

static void test_embedded_quotes_are_doubled(void **state)
{
	(void)state;
	expect_ident("a\"b", "\"a\"\"b\"");
	expect_ident("x\"; DROP TABLE t; --", "\"x\"\"; DROP TABLE t; --\"");
}

static void test_qualified(void **state)
{
	(void)state;
	strbuf sb = STRBUF_INIT;
	pg_quote_qualified(&sb, "Sales", "order");
	assert_string_equal(strbuf_str(&sb), "\"Sales\".\"order\"");
	strbuf_reset(&sb);
	pg_quote_qualified(&sb, NULL, "t");
	assert_string_equal(strbuf_str(&sb), "t");
	strbuf_release(&sb);
}

static void test_literals(void **state)
{
	(void)state;
	strbuf sb = STRBUF_INIT;
	pg_quote_literal(&sb, "it's");
	assert_string_equal(strbuf_str(&sb), "'it''s'");
	strbuf_reset(&sb);
	pg_quote_literal(&sb, "a\\b'");
	assert_string_equal(strbuf_str(&sb), "E'a\\\\b'''");
	strbuf_reset(&sb);
	pg_quote_literal(&sb, "line1\nline2");
	assert_string_equal(strbuf_str(&sb), "'line1\nline2'");
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain_names_stay_bare),
	    cmocka_unit_test(test_reserved_and_odd_names_are_quoted),
	    cmocka_unit_test(test_keywords_of_newer_servers),
	    cmocka_unit_test(test_embedded_quotes_are_doubled),
	    cmocka_unit_test(test_qualified),
	    cmocka_unit_test(test_literals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
