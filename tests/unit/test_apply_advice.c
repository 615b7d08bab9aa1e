/* apply_advice_redact (exec/apply_advice.c): what of a server message may
 * go to the model on an escalation. The first line only, its severity
 * dropped; a quoted token stays only when the plan's SQL writes it as a
 * name (bare, folded to lower case, or quoted), never as a literal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "exec/apply_internal.h"
#include "util/strbuf.h"

static const char plan_sql[] =
    "ALTER TABLE public.Accounts ALTER COLUMN note TYPE integer USING "
    "note::integer;\n"
    "ALTER TABLE accounts ADD CONSTRAINT \"Mixed\"\"Case\" CHECK (id > 0);\n"
    "-- a comment naming commented_name\n"
    "/* a /* nested */ block naming blocked_name */\n"
    "UPDATE accounts SET kind = 'literal_value' WHERE kind = E'esc\\'aped';\n"
    "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT "
    "body_col FROM accounts WHERE x = 'body_literal' $body$;\n";

/* The redaction of `msg` against plan_sql, checked against `want`. */
static void check(const char *msg, const char *want)
{
	strbuf sb = STRBUF_INIT;
	apply_advice_redact(msg, plan_sql, &sb);
	assert_string_equal(strbuf_str(&sb), want);
	strbuf_release(&sb);
}

static void test_value_redacted(void **state)
{
	(void)state;
	check("ERROR:  invalid input syntax for type integer: "
	      "\"pl4nted-r0w-value\"",
	      "invalid input syntax for type integer: <redacted>");
}

static void test_detail_and_context_dropped(void **state)
{
	(void)state;
	check("ERROR:  could not create unique index \"dup_idx\"\n"
	      "DETAIL:  Key (email)=(secret@example.com) is duplicated.\n"
	      "LINE 1: ...",
	      "could not create unique index <redacted>");
}

static void test_names_kept(void **state)
{
	(void)state;
	/* Bare names fold to lower case, as the server spells them. */
	check("ERROR:  column \"note\" of relation \"accounts\" contains null "
	      "values",
	      "column \"note\" of relation \"accounts\" contains null values");
	/* A quoted identifier keeps its case and its doubled quote. */
	check("constraint \"Mixed\"Case\" is violated by some row",
	      "constraint \"Mixed\"Case\" is violated by some row");
	/* Not folded the other way: the SQL wrote Accounts bare. */
	check("relation \"Accounts\" does not exist",
	      "relation <redacted> does not exist");
	/* Qualified: every part a name. */
	check("relation \"public.accounts\" and \"public.secret\"",
	      "relation \"public.accounts\" and <redacted>");
	/* A function's body is read as SQL: its names count. */
	check("column \"body_col\" does not exist",
	      "column \"body_col\" does not exist");
}

static void test_literals_and_comments_are_not_names(void **state)
{
	(void)state;
	check("invalid input value: \"literal_value\"",
	      "invalid input value: <redacted>");
	check("invalid input value: 'aped'", "invalid input value: <redacted>");
	check("bad \"body_literal\" and \"commented_name\" or \"blocked_name\"",
	      "bad <redacted> and <redacted> or <redacted>");
}

static void test_quotes_inside_values(void **state)
{
	(void)state;
	/* The server does not escape a quote inside a value: the token runs
	 * to the quote that no word follows. */
	check("ERROR:  invalid input syntax for type integer: \"ab\"cd\"",
	      "invalid input syntax for type integer: <redacted>");
	/* Never closed (the value went on past the line): to the end. */
	check("ERROR:  invalid input syntax: \"multi\nline\" value",
	      "invalid input syntax: <redacted>");
	check("single 'quoted value' here", "single <redacted> here");
	check("empty \"\" token", "empty <redacted> token");
}

static void test_plain_and_empty(void **state)
{
	(void)state;
	check("ERROR:  division by zero\nCONTEXT:  row 7", "division by zero");
	check("policy: max_lock_ms 100 ms: step 2 held a lock",
	      "policy: max_lock_ms 100 ms: step 2 held a lock");
	check("", "");
	strbuf sb = STRBUF_INIT;
	apply_advice_redact(NULL, plan_sql, &sb);
	assert_string_equal(strbuf_str(&sb), "");
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_value_redacted),
	    cmocka_unit_test(test_detail_and_context_dropped),
	    cmocka_unit_test(test_names_kept),
	    cmocka_unit_test(test_literals_and_comments_are_not_names),
	    cmocka_unit_test(test_quotes_inside_values),
	    cmocka_unit_test(test_plain_and_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
