/* The step envelope of the PostgreSQL dialect, through the dialect table
 * (dialect->step_envelope) and its psql rendering (plan_format_envelope):
 * transactional steps with and without a statement timeout, a step
 * outside a transaction, and a rollback. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "dialects/dialect.h"
#include "plan/plan.h"
#include "util/error.h"
#include "util/strbuf.h"

static const plan_settings settings = {.lock_timeout_ms = 1500,
				       .statement_timeout_ms = 9000};

static plan_step step(bool transactional, bool scans)
{
	plan_step s = {.n = 3,
		       .kind = "add_column",
		       .object = "public.t.c",
		       .forward = "ALTER TABLE t ADD c int;\n",
		       .rollback = "ALTER TABLE t DROP c;",
		       .transactional = transactional,
		       .rollback_transactional = true,
		       .scans = scans};
	return s;
}

/* The envelope of `s` rendered as psql runs it, checked against `want`;
 * returns the envelope's finish count. */
static int check(const plan_settings *st, const plan_step *s, bool rollback,
		 const char *want)
{
	const dialect *d = dialect_find("postgres");
	dialect_envelope env;
	error e = ERROR_INIT;
	strbuf sb = STRBUF_INIT;
	assert_int_equal(d->step_envelope(st, s, rollback, &env, &e), 0);
	plan_format_envelope(&env, NULL, &sb);
	assert_string_equal(strbuf_str(&sb), want);
	int n = env.nfinish;
	dialect_envelope_release(&env);
	strbuf_release(&sb);
	return n;
}

static void test_transactional_with_timeout(void **state)
{
	(void)state;
	plan_step s = step(true, false);
	assert_int_equal(check(&settings, &s, false,
			       "BEGIN;\n"
			       "SET LOCAL lock_timeout = '1500ms';\n"
			       "SET LOCAL statement_timeout = '9000ms';\n"
			       "ALTER TABLE t ADD c int;\n"
			       "COMMIT;\n"),
			 0);
}

/* A scan takes as long as the table needs; a zero setting means none. */
static void test_transactional_without_timeout(void **state)
{
	(void)state;
	plan_step s = step(true, true);
	const char *want = "BEGIN;\n"
			   "SET LOCAL lock_timeout = '1500ms';\n"
			   "ALTER TABLE t ADD c int;\n"
			   "COMMIT;\n";
	check(&settings, &s, false, want);
	plan_settings none = settings;
	none.statement_timeout_ms = 0;
	s.scans = false;
	check(&none, &s, false, want);
}

/* Session settings, no transaction, and the RESETs for the script's
 * end; the dialect's typed fields, not only the rendering. */
static void test_outside_transaction(void **state)
{
	(void)state;
	plan_step s = step(false, false);
	assert_int_equal(check(&settings, &s, false,
			       "SET lock_timeout = '1500ms';\n"
			       "SET statement_timeout = 0;\n"
			       "ALTER TABLE t ADD c int;\n"),
			 2);
	dialect_envelope env;
	error e = ERROR_INIT;
	assert_int_equal(
	    dialect_find(NULL)->step_envelope(&settings, &s, false, &env, &e),
	    0);
	assert_false(env.transaction);
	assert_null(env.begin);
	assert_ptr_equal(env.body, s.forward);
	assert_string_equal(env.finish[0], "RESET lock_timeout");
	assert_string_equal(env.finish[1], "RESET statement_timeout");
	dialect_envelope_release(&env);
}

/* A rollback is never cut short by a statement timeout; its body is the
 * rollback SQL, a newline added for psql. */
static void test_rollback(void **state)
{
	(void)state;
	plan_step s = step(true, false);
	check(&settings, &s, true,
	      "BEGIN;\n"
	      "SET LOCAL lock_timeout = '1500ms';\n"
	      "ALTER TABLE t DROP c;\n"
	      "COMMIT;\n");
	s.rollback = NULL;
	dialect_envelope env;
	error e = ERROR_INIT;
	assert_int_equal(
	    dialect_find(NULL)->step_envelope(&settings, &s, true, &env, &e),
	    -1);
	assert_non_null(strstr(e.msg, "step 3 (public.t.c)"));
	dialect_envelope_release(&env);
	error_clear(&e);
}

/* What the dry run adds before COMMIT goes inside the transaction. */
static void test_before_commit(void **state)
{
	(void)state;
	plan_step s = step(true, true);
	dialect_envelope env;
	error e = ERROR_INIT;
	strbuf sb = STRBUF_INIT;
	assert_int_equal(
	    dialect_find(NULL)->step_envelope(&settings, &s, false, &env, &e),
	    0);
	plan_format_envelope(&env, "SELECT 1;\n", &sb);
	assert_string_equal(strbuf_str(&sb),
			    "BEGIN;\n"
			    "SET LOCAL lock_timeout = '1500ms';\n"
			    "ALTER TABLE t ADD c int;\n"
			    "SELECT 1;\n"
			    "COMMIT;\n");
	dialect_envelope_release(&env);
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_transactional_with_timeout),
	    cmocka_unit_test(test_transactional_without_timeout),
	    cmocka_unit_test(test_outside_transaction),
	    cmocka_unit_test(test_rollback),
	    cmocka_unit_test(test_before_commit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
