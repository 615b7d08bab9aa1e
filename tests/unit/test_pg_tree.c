/* The one way into libpg_query's tree (pg_parse_tree): the depth bound,
 * its message and position, through the schema parser and the linter,
 * and that a tree at the bound parses on the parsing thread's stack. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialects/postgres/parse_tree.h"
#include "dialects/postgres/pg.h"

/* "PREFIX1+1+...+1SUFFIX" with n terms; the caller frees. */
static char *sum(const char *prefix, int n, const char *suffix)
{
	strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, prefix);
	strbuf_adds(&sb, "1");
	for (int i = 1; i < n; i++)
		strbuf_adds(&sb, "+1");
	strbuf_adds(&sb, suffix);
	return strbuf_detach(&sb);
}

static char *parse_msg(const char *sql)
{
	model *m = model_new();
	error e = ERROR_INIT;
	int r = pg_parse(m, sql, "deep.sql", &e);
	char *msg = r ? strdup(e.msg) : NULL;
	error_clear(&e);
	model_free(m);
	return msg;
}

static char *lint_msg(const char *sql)
{
	lint_result lr;
	lint_result_init(&lr);
	error e = ERROR_INIT;
	int r = pg_lint(sql, "deep.sql", &lr, &e);
	char *msg = r ? strdup(e.msg) : NULL;
	error_clear(&e);
	lint_result_release(&lr);
	return msg;
}

static void test_sum_within_the_bound(void **state)
{
	(void)state;
	/* 9,990 nested nodes, in a CHECK: parsed, deparsed by the walkers
	 * and kept. Crashed (SIGSEGV) before the bound and the thread. */
	char *sql = sum("CREATE TABLE t (a int CHECK (a < ", 9990, "));\n");
	model *m = model_new();
	error e = ERROR_INIT;
	assert_int_equal(pg_parse(m, sql, "deep.sql", &e), 0);
	assert_int_equal(m->ntables, 1);
	assert_int_equal(m->tables[0].nconstraints, 1);
	assert_true(strlen(m->tables[0].constraints[0].definition) > 19980);
	model_free(m);
	assert_null(lint_msg(sql));
	free(sql);
}

static void test_sum_past_the_bound(void **state)
{
	(void)state;
	/* Measured after the parse: the walk stops 10,000 nodes down, in
	 * the `+` of column 20011 of line 2. */
	char *sql = sum("CREATE TABLE t (a int);\nSELECT ", 20000, ";\n");
	const char *want =
	    "deep.sql:2:20011: expression nested too deeply (limit 10000)";
	char *msg = parse_msg(sql);
	assert_non_null(msg);
	assert_string_equal(msg, want);
	free(msg);
	msg = lint_msg(sql);
	assert_non_null(msg);
	assert_string_equal(msg, want);
	free(msg);
	free(sql);
}

static void test_sum_far_past_the_bound(void **state)
{
	(void)state;
	/* 100,000 terms: the pre-scan turns it away before libpg_query's
	 * recursive output could overflow, at the token where the run of
	 * 100,000 tokens ends (column 7 + 100,000 - 1). */
	char *sql = sum("SELECT ", 100000, ";\n");
	char *msg = parse_msg(sql);
	assert_non_null(msg);
	assert_string_equal(
	    msg,
	    "deep.sql:1:100006: expression nested too deeply (limit 10000)");
	free(msg);
	free(sql);
}

static int count_stmts(const PgQuery__ParseResult *tree, arena *tree_arena,
		       void *arg, error *e)
{
	(void)tree_arena;
	*(size_t *)arg = tree->n_stmts;
	return tree->n_stmts > 2 ? error_set(e, EXIT_USAGE, "too many") : 0;
}

static void test_parse_tree_calls_back(void **state)
{
	(void)state;
	size_t n = 0;
	error e = ERROR_INIT;
	/* Within the bound: the callback sees the tree, its result is ours. */
	assert_int_equal(pg_parse_tree_with("SELECT (1+1)+1; SELECT 2", "x.sql",
					    count_stmts, &n, (size_t)8 << 20,
					    10, &e),
			 0);
	assert_int_equal(n, 2);
	assert_int_equal(pg_parse_tree("SELECT 1; SELECT 2; SELECT 3", NULL,
				       count_stmts, &n, &e),
			 -1);
	assert_string_equal(e.msg, "too many");
	error_clear(&e);
	/* A bound of 4 nodes: SelectStmt, ResTarget, then the sums. */
	n = 0;
	assert_int_equal(pg_parse_tree_with("SELECT\n 1+1+1+1", "x.sql",
					    count_stmts, &n, (size_t)8 << 20, 4,
					    &e),
			 -1);
	assert_int_equal(n, 0);
	assert_string_equal(
	    e.msg, "x.sql:2:5: expression nested too deeply (limit 4)");
	error_clear(&e);
	/* Syntax errors keep their position. */
	assert_int_equal(
	    pg_parse_tree("SELECT 1;\nSELEC 2", "y.sql", count_stmts, &n, &e),
	    -1);
	assert_string_equal(e.msg,
			    "y.sql:2:1: syntax error at or near \"SELEC\"");
	error_clear(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sum_within_the_bound),
	    cmocka_unit_test(test_sum_past_the_bound),
	    cmocka_unit_test(test_sum_far_past_the_bound),
	    cmocka_unit_test(test_parse_tree_calls_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
