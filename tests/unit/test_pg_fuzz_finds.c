/* What the parser fuzzer (tests/fuzz/fuzz_parse.c) found, each kept as
 * the smallest input that showed it, with the invariant it broke. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialects/postgres/pg.h"

/* The statements of diffing the file's schema with itself. */
static int self_diff(const char *sql)
{
	model *m = model_new();
	error e = ERROR_INIT;
	if (pg_parse(m, sql, "find.sql", &e))
		fail_msg("parse: %s", e.msg);
	diff_result d;
	diff_result_init(&d);
	if (pg_diff(m, m, &d, &e))
		fail_msg("diff: %s", e.msg);
	int n = d.nstmts;
	diff_result_release(&d);
	model_free(m);
	return n;
}

static void test_grant_on_an_object_no_schema_defines(void **state)
{
	(void)state;
	/* A grant on a table the file does not create (an extension's,
	 * or a typo) was granted again by every diff, even of a file
	 * with itself: the differ took "not in the desired schema" for
	 * "recreated". */
	assert_int_equal(self_diff("CREATE TABLE accounts (id int);\n"
				   "GRANT SELECT (id), UPDATE (id) ON aunts "
				   "TO app_reader;\n"),
			 0);
	assert_int_equal(
	    self_diff("GRANT SELECT ON spatial_ref_sys TO "
		      "app_reader;\n"
		      "GRANT USAGE ON SEQUENCE nope TO app_reader;\n"),
	    0);
}

static void test_foreign_key_to_a_table_no_schema_defines(void **state)
{
	(void)state;
	/* A foreign key to a table the file does not create was dropped
	 * and added again by every diff of the file with itself. */
	assert_int_equal(self_diff("CREATE TABLE a (id int PRIMARY KEY,"
				   " b int REFERENCES nope (id));\n"),
			 0);
}

/* The statements from `from` to `to`, one per line; the caller frees. */
static char *diff_sql(const char *from, const char *to)
{
	model *a = model_new(), *b = model_new();
	error e = ERROR_INIT;
	if (pg_parse(a, from, "from.sql", &e) || pg_parse(b, to, "to.sql", &e))
		fail_msg("parse: %s", e.msg);
	diff_result d;
	diff_result_init(&d);
	if (pg_diff(a, b, &d, &e))
		fail_msg("diff: %s", e.msg);
	strbuf sb = STRBUF_INIT;
	diff_result_format_sql(&d, &sb);
	diff_result_release(&d);
	model_free(a);
	model_free(b);
	return strbuf_detach(&sb);
}

static void test_not_valid_is_kept(void **state)
{
	(void)state;
	/* Not a fuzzer find: NOT VALID was dropped by the parser, so a
	 * file that said it gave a migration that validated. */
	const char *base = "CREATE TABLE p (id int PRIMARY KEY);\n"
			   "CREATE TABLE c (id int, p int);\n";
	const char *nv = "ALTER TABLE c ADD CONSTRAINT c_p_fkey FOREIGN KEY "
			 "(p) REFERENCES p (id) NOT VALID;\n";
	const char *valid = "ALTER TABLE c ADD CONSTRAINT c_p_fkey FOREIGN KEY "
			    "(p) REFERENCES p (id);\n";
	char *from = malloc(strlen(base) + strlen(nv) + 1);
	char *to = malloc(strlen(base) + strlen(nv) + 1);
	strcpy(from, base);
	strcpy(to, base);
	strcat(to, nv);
	char *sql = diff_sql(from, to); /* missing: added NOT VALID */
	assert_non_null(strstr(sql, "REFERENCES public.p(id) NOT VALID;"));
	assert_null(strstr(sql, "VALIDATE"));
	free(sql);
	strcat(from, valid); /* validated, NOT VALID wanted: added again */
	sql = diff_sql(from, to);
	const char *drop = strstr(sql, "DROP CONSTRAINT c_p_fkey;");
	const char *add = strstr(sql, "REFERENCES public.p(id) NOT VALID;");
	assert_non_null(drop);
	assert_true(add && add > drop);
	free(sql);
	sql = diff_sql(to, from); /* NOT VALID, validated wanted */
	assert_non_null(
	    strstr(sql, "ALTER TABLE public.c VALIDATE CONSTRAINT c_p_fkey;"));
	assert_null(strstr(sql, "DROP"));
	free(sql);
	/* In CREATE TABLE the server checks the rows: no NOT VALID. */
	sql = diff_sql("", "CREATE TABLE t (a int, CHECK (a > 0) NOT VALID);");
	assert_null(strstr(sql, "NOT VALID"));
	free(sql);
	free(from);
	free(to);
}

/* The message of a file that must not parse; the caller frees. */
static char *parse_error(const char *sql)
{
	model *m = model_new();
	error e = ERROR_INIT;
	if (!pg_parse(m, sql, "find.sql", &e))
		fail_msg("parsed: %s", sql);
	char *msg = strdup(e.msg);
	error_clear(&e);
	model_free(m);
	return msg;
}

static void test_sequence_owned_by_a_column_no_schema_defines(void **state)
{
	(void)state;
	/* OWNED BY a column the file does not create (here with a catalog
	 * part) was released and set again by every self-diff: now it is
	 * the file's error, with its line, as on the server. */
	static const char *const owners[] = {"x.y.z.id", "y.z.id", "z.id",
					     "public.t.nope"};
	for (size_t i = 0; i < sizeof(owners) / sizeof(*owners); i++) {
		char sql[200];
		snprintf(sql, sizeof(sql),
			 "CREATE TABLE t (id int);\nCREATE SEQUENCE s;\n"
			 "ALTER SEQUENCE s OWNED BY %s;\n",
			 owners[i]);
		char *msg = parse_error(sql);
		assert_non_null(strstr(msg, "find.sql:3:"));
		assert_non_null(strstr(msg, owners[i]));
		free(msg);
	}
	/* Every spelling of a column it does create is stable. */
	assert_int_equal(
	    self_diff("CREATE SCHEMA app;\nCREATE TABLE app.t (id int);\n"
		      "CREATE SEQUENCE app.s;\n"
		      "ALTER SEQUENCE app.s OWNED BY db.app.t.id;\n"
		      "CREATE TABLE t2 (id int);\n"
		      "CREATE SEQUENCE s2 OWNED BY t2.id;\n"
		      "CREATE SEQUENCE s3;\n"
		      "ALTER SEQUENCE s3 OWNED BY public.t2.id;\n"),
	    0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_grant_on_an_object_no_schema_defines),
	    cmocka_unit_test(test_foreign_key_to_a_table_no_schema_defines),
	    cmocka_unit_test(test_not_valid_is_kept),
	    cmocka_unit_test(test_sequence_owned_by_a_column_no_schema_defines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
