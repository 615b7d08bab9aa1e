/* The MCP server's pure parts: protocol version negotiation, and the
 * check of a tool call's arguments against the tool's input schema
 * (what stands between an agent's JSON and a child's argv). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "mcp/mcp.h"

static void test_version_negotiation(void **state)
{
	(void)state;
	/* A revision the server speaks is echoed. */
	assert_string_equal(mcp_negotiate_version("2025-11-25"), "2025-11-25");
	assert_string_equal(mcp_negotiate_version("2025-06-18"), "2025-06-18");
	/* Anything else gets the newest; the client decides. */
	assert_string_equal(mcp_negotiate_version("2024-11-05"),
			    MCP_VERSION_CURRENT);
	assert_string_equal(mcp_negotiate_version("2099-01-01"),
			    MCP_VERSION_CURRENT);
	assert_string_equal(mcp_negotiate_version(""), MCP_VERSION_CURRENT);
	assert_string_equal(mcp_negotiate_version(NULL), MCP_VERSION_CURRENT);
}

/* 0 when `args` (JSON text) passes tool's schema; else -1, and the
 * message holds `want`. */
static void expect(const char *tool, const char *args, int rc, const char *want)
{
	const json_t *schema = mcp_tool_input_schema(tool);
	assert_non_null(schema);
	json_error_t je;
	json_t *v = json_loads(args, JSON_ALLOW_NUL, &je);
	assert_non_null(v);
	strbuf why = STRBUF_INIT;
	int r = mcp_check_args(schema, v, &why);
	if (r != rc)
		fail_msg("%s %s: %d (%s)", tool, args, r,
			 why.buf ? why.buf : "");
	if (want && !strstr(why.buf ? why.buf : "", want))
		fail_msg("%s %s: '%s' lacks '%s'", tool, args,
			 why.buf ? why.buf : "", want);
	strbuf_release(&why);
	json_decref(v);
}

static void test_valid_arguments(void **state)
{
	(void)state;
	expect("lint", "{\"sql\": \"DROP TABLE t;\"}", 0, NULL);
	expect("lint", "{\"sql\": \"x\", \"min_version\": 13}", 0, NULL);
	expect("diff", "{}", 0, NULL);
	expect("diff", "{\"from\": \"env:DB\", \"to\": \"git:HEAD\"}", 0, NULL);
	expect("explain_step", "{\"plan\": \"p.json\", \"step\": 3}", 0, NULL);
	expect("propose_migration", "{\"emitter\": \"knex\", \"name\": \"x\"}",
	       0, NULL);
	expect("plan", "{\"allow_rewrite\": true}", 0, NULL);
	expect("dry_run", "{\"on\": \"dev\", \"from\": \"db/schema.sql\"}", 0,
	       NULL);
}

static void test_invalid_arguments(void **state)
{
	(void)state;
	expect("lint", "{}", -1, "argument 'sql' is required");
	expect("lint", "{\"sql\": 42}", -1,
	       "argument 'sql': expected a string, got an integer");
	expect("lint", "{\"sql\": \"\"}", -1, "must not be empty");
	expect("lint", "{\"sql\": \"x\", \"min_version\": \"15\"}", -1,
	       "expected an integer");
	expect("lint", "{\"sql\": \"x\", \"min_version\": 1.5}", -1,
	       "expected an integer, got a number");
	expect("diff", "{\"form\": \"x\"}", -1, "unknown argument 'form'");
	expect("diff", "[]", -1, "expected an object");
	expect("explain_step", "{\"plan\": \"p\", \"step\": 0}", -1,
	       "at least 1");
	expect("explain_step", "{\"plan\": \"p\", \"step\": true}", -1,
	       "got a boolean");
	expect("explain_step", "{\"plan\": \"p\"}", -1, "'step' is required");
	expect("propose_migration", "{\"emitter\": \"rails\"}", -1,
	       "must be one of 'sql', 'flyway', 'knex', 'alembic'");
	expect("plan", "{\"allow_rewrite\": \"yes\"}", -1,
	       "expected a boolean");
	expect("dry_run", "{}", -1, "'on' is required");
	expect("history", "{\"env\": null}", -1, "got null");
	/* A NUL would be cut short on the way into an argv. */
	expect("lint", "{\"sql\": \"SELECT 1;\\u0000DROP TABLE t;\"}", -1,
	       "NUL");
}

static void test_every_tool_lists_both_schemas(void **state)
{
	(void)state;
	json_t *list = mcp_tools_list();
	const json_t *tools = json_object_get(list, "tools");
	assert_int_equal(json_array_size(tools), 8);
	size_t i;
	const json_t *t;
	json_array_foreach(tools, i, t)
	{
		const char *name =
		    json_string_value(json_object_get(t, "name"));
		assert_non_null(name);
		assert_null(strstr(name, "apply"));
		assert_string_equal(
		    json_string_value(json_object_get(
			json_object_get(t, "inputSchema"), "type")),
		    "object");
		assert_string_equal(
		    json_string_value(json_object_get(
			json_object_get(t, "outputSchema"), "type")),
		    "object");
		assert_non_null(mcp_tool_input_schema(name));
	}
	assert_null(mcp_tool_input_schema("apply"));
	json_decref(list);
}

static void expect_scrub(const char *in, const char *out)
{
	char *got = mcp_scrub_rows(in);
	assert_string_equal(got, out);
	free(got);
}

static void test_row_values_are_withheld(void **state)
{
	(void)state;
	expect_scrub("ERROR:  duplicate key value violates unique constraint "
		     "\"u\"\nDETAIL:  Key (email)=(a@b.c) already exists.\n",
		     "ERROR:  duplicate key value violates unique constraint "
		     "\"u\"\nDETAIL:  (row values withheld)\n");
	expect_scrub("DETAIL:  Failing row contains (1, null).",
		     "DETAIL:  (row values withheld)");
	/* Other details stay: they name objects, not rows. */
	expect_scrub("ERROR:  x\nDETAIL:  Process 12 waits for "
		     "AccessExclusiveLock",
		     "ERROR:  x\nDETAIL:  Process 12 waits for "
		     "AccessExclusiveLock");
	expect_scrub("", "");
	/* Bytes that are not UTF-8 could not be sent as a JSON string. */
	expect_scrub("caf\xe9 \xc3\xa9", "caf\xef\xbf\xbd \xc3\xa9");
	expect_scrub("\xf0\x9f", "\xef\xbf\xbd\xef\xbf\xbd");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_version_negotiation),
	    cmocka_unit_test(test_valid_arguments),
	    cmocka_unit_test(test_invalid_arguments),
	    cmocka_unit_test(test_every_tool_lists_both_schemas),
	    cmocka_unit_test(test_row_values_are_withheld),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
