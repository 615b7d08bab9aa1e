/* Failure classes of issue 15 through the parser and the differ (no
 * server): the USING a column's type change gets (cast.h), the refusal
 * of a change without a cast, REPLICA IDENTITY in the model and its
 * statement's place, and a validated constraint wanted NOT VALID. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialects/postgres/cast.h"
#include "dialects/postgres/pg.h"
#include "pg_diff_util.h"
#include "schema/diff.h"
#include "util/strbuf.h"

/* pg_cast_using's answer for FROM -> TO with the enums and casts of
 * `m`: the expression, or NULL when refused (caller frees). */
static char *using_of(const model *m, const char *from, const char *to)
{
	strbuf sb = STRBUF_INIT;
	if (!pg_cast_using(&sb, m, m, "c", from, to)) {
		assert_int_equal(sb.len, 0);
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb);
}

static void expect_using(const model *m, const char *from, const char *to,
			 const char *want)
{
	char *got = using_of(m, from, to);
	if (!want) {
		if (got)
			fail_msg("%s -> %s: expected a refusal, got %s", from,
				 to, got);
		return;
	}
	if (!got)
		fail_msg("%s -> %s: refused, expected %s", from, to, want);
	assert_string_equal(got, want);
	free(got);
}

static void test_using_expressions(void **state)
{
	(void)state;
	model *m = parse_ok("CREATE TYPE a AS ENUM ('x');\n"
			    "CREATE TYPE b AS ENUM ('x');\n"
			    "CREATE TYPE n AS ENUM ('1');\n"
			    "CREATE CAST (n AS integer) WITH INOUT;\n");
	/* Two enums: through text, element-wise for arrays. */
	expect_using(m, "public.a", "public.b", "c::text::public.b");
	expect_using(m, "public.a[]", "public.b[]", "c::text[]::public.b[]");
	/* To and from text, and the server's own casts. */
	expect_using(m, "public.a", "text", "c::text");
	expect_using(m, "text", "public.b", "c::public.b");
	expect_using(m, "text", "integer", "c::integer");
	expect_using(m, "integer", "boolean", "c::boolean");
	expect_using(m, "integer[]", "bigint[]", "c::bigint[]");
	expect_using(m, "integer[]", "text", "c::text");
	expect_using(m, "numeric(10,2)", "numeric(5,1)", "c::numeric(5,1)");
	expect_using(m, "timestamp(3) without time zone", "date", "c::date");
	/* A user's cast, and types this file does not know. */
	expect_using(m, "public.n", "integer", "c::integer");
	expect_using(m, "public.some_domain", "integer", "c::integer");
	expect_using(m, "integer", "public.citext", "c::public.citext");
	/* No cast on the server. */
	expect_using(m, "bigint", "timestamp without time zone", NULL);
	expect_using(m, "boolean", "bigint", NULL);
	expect_using(m, "integer", "integer[]", NULL);
	expect_using(m, "text[]", "integer", NULL);
	expect_using(m, "public.a", "integer", NULL);
	expect_using(m, "integer", "public.a", NULL);
	expect_using(m, "public.a", "public.b[]", NULL);
	/* A name the parser quotes because the grammar has it as a
	 * keyword is still the built-in type. */
	expect_using(m, "smallint", "\"json\"", NULL);
	expect_using(m, "\"json\"", "jsonb", "c::jsonb");
	model_free(m);
}

static void test_refusal_names_column(void **state)
{
	(void)state;
	diff_result r;
	char *msg;
	int rc = diff_files("CREATE TABLE \"T\" (id int, \"Big\" bigint);",
			    "CREATE TABLE \"T\" (id int, \"Big\" timestamp);",
			    &r, &msg);
	assert_int_equal(rc, -1);
	assert_non_null(msg);
	assert_non_null(strstr(msg, "public.\"T\".\"Big\": bigint cannot "
				    "become timestamp without time zone"));
	free(msg);
	diff_result_release(&r);
}

/* The default of the old enum goes before the type change and the new
 * one comes after it. */
static void test_enum_to_enum_with_default(void **state)
{
	(void)state;
	diff_result r;
	char *msg;
	const char *types = "CREATE TYPE a AS ENUM ('x', 'y');\n"
			    "CREATE TYPE b AS ENUM ('x', 'y');\n";
	char from[256], to[256];
	snprintf(from, sizeof(from), "%sCREATE TABLE t (v a DEFAULT 'x');",
		 types);
	snprintf(to, sizeof(to), "%sCREATE TABLE t (v b DEFAULT 'y');", types);
	assert_int_equal(diff_files(from, to, &r, &msg), 0);
	int d = find_sql(&r, "DROP DEFAULT");
	int t = find_sql(&r, "TYPE public.b USING v::text::public.b");
	int s = find_sql(&r, "SET DEFAULT 'y'::public.b");
	assert_true(d >= 0 && t > d && s > t);
	free(msg);
	diff_result_release(&r);
}

static void test_replica_identity_parse(void **state)
{
	(void)state;
	model *m =
	    parse_ok("CREATE TABLE a (id int PRIMARY KEY);\n"
		     "ALTER TABLE a REPLICA IDENTITY FULL;\n"
		     "CREATE TABLE b (id int);\n"
		     "ALTER TABLE ONLY public.b REPLICA IDENTITY NOTHING;\n"
		     "CREATE TABLE c (k text NOT NULL);\n"
		     "CREATE UNIQUE INDEX c_k ON c (k);\n"
		     "ALTER TABLE c REPLICA IDENTITY USING INDEX c_k;\n"
		     "CREATE TABLE d (id int PRIMARY KEY);\n"
		     "ALTER TABLE d REPLICA IDENTITY FULL;\n"
		     "ALTER TABLE d REPLICA IDENTITY DEFAULT;\n");
	assert_int_equal(model_find_table(m, "public", "a")->replica_identity,
			 'f');
	assert_int_equal(model_find_table(m, "public", "b")->replica_identity,
			 'n');
	const m_table *c = model_find_table(m, "public", "c");
	assert_int_equal(c->replica_identity, 'i');
	assert_string_equal(c->replica_index, "c_k");
	assert_int_equal(model_find_table(m, "public", "d")->replica_identity,
			 0);
	model_free(m);
}

/* DEFAULT leaves the fingerprint as it was; any other identity is part
 * of it. */
static void test_replica_identity_canonical(void **state)
{
	(void)state;
	model *plain = parse_ok("CREATE TABLE a (id int PRIMARY KEY);");
	model *dflt = parse_ok("CREATE TABLE a (id int PRIMARY KEY);\n"
			       "ALTER TABLE a REPLICA IDENTITY DEFAULT;");
	model *full = parse_ok("CREATE TABLE a (id int PRIMARY KEY);\n"
			       "ALTER TABLE a REPLICA IDENTITY FULL;");
	strbuf x = STRBUF_INIT, y = STRBUF_INIT, z = STRBUF_INIT;
	model_canonical(plain, &x);
	model_canonical(dflt, &y);
	model_canonical(full, &z);
	assert_string_equal(strbuf_str(&x), strbuf_str(&y));
	assert_string_not_equal(strbuf_str(&x), strbuf_str(&z));
	strbuf_release(&x);
	strbuf_release(&y);
	strbuf_release(&z);
	model_free(plain);
	model_free(dflt);
	model_free(full);
}

/* USING INDEX after its index is made, the old identity index dropped
 * after the move; FULL before the old identity index is dropped. */
static void test_replica_identity_order(void **state)
{
	(void)state;
	diff_result r;
	char *msg;
	const char *cur = "CREATE TABLE t (a text NOT NULL, b text NOT NULL);\n"
			  "CREATE UNIQUE INDEX t_a ON t (a);\n"
			  "ALTER TABLE t REPLICA IDENTITY USING INDEX t_a;\n";
	assert_int_equal(
	    diff_files(cur,
		       "CREATE TABLE t (a text NOT NULL, b text NOT NULL);\n"
		       "CREATE UNIQUE INDEX t_b ON t (b);\n"
		       "ALTER TABLE t REPLICA IDENTITY USING INDEX t_b;\n",
		       &r, &msg),
	    0);
	int mk = find_sql(&r, "CREATE UNIQUE INDEX t_b");
	int ri = find_sql(&r, "REPLICA IDENTITY USING INDEX t_b");
	int dr = find_sql(&r, "DROP INDEX public.t_a");
	assert_true(mk >= 0 && ri > mk && dr > ri);
	free(msg);
	diff_result_release(&r);

	assert_int_equal(
	    diff_files(cur,
		       "CREATE TABLE t (a text NOT NULL, b text NOT NULL);\n"
		       "ALTER TABLE t REPLICA IDENTITY FULL;\n",
		       &r, &msg),
	    0);
	ri = find_sql(&r, "ALTER TABLE public.t REPLICA IDENTITY FULL");
	dr = find_sql(&r, "DROP INDEX public.t_a");
	assert_true(ri >= 0 && dr > ri);
	free(msg);
	diff_result_release(&r);
}

/* Valid to NOT VALID: dropped and added NOT VALID; back: validated. */
static void test_not_valid_both_ways(void **state)
{
	(void)state;
	diff_result r;
	char *msg;
	const char *valid = "CREATE TABLE t (n int);\n"
			    "ALTER TABLE t ADD CONSTRAINT t_n CHECK (n > 0);";
	const char *not_valid =
	    "CREATE TABLE t (n int);\n"
	    "ALTER TABLE t ADD CONSTRAINT t_n CHECK (n > 0) NOT VALID;";
	assert_int_equal(diff_files(valid, not_valid, &r, &msg), 0);
	assert_int_equal(r.nstmts, 2);
	int d = find_sql(&r, "DROP CONSTRAINT t_n");
	int a = find_sql(&r, "ADD CONSTRAINT t_n CHECK ((n > 0)) NOT VALID");
	assert_true(d >= 0 && a > d);
	free(msg);
	diff_result_release(&r);

	assert_int_equal(diff_files(not_valid, valid, &r, &msg), 0);
	assert_int_equal(r.nstmts, 1);
	assert_true(find_sql(&r, "VALIDATE CONSTRAINT t_n") == 0);
	free(msg);
	diff_result_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_using_expressions),
	    cmocka_unit_test(test_refusal_names_column),
	    cmocka_unit_test(test_enum_to_enum_with_default),
	    cmocka_unit_test(test_replica_identity_parse),
	    cmocka_unit_test(test_replica_identity_canonical),
	    cmocka_unit_test(test_replica_identity_order),
	    cmocka_unit_test(test_not_valid_both_ways),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
