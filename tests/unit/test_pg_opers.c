/* Operators, operator classes and families from DDL files (no server):
 * the canonical statements the parser writes, and what the differ makes
 * of a class that changes, a family's members and an operator's
 * estimators. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "dialects/postgres/pg.h"
#include "schema/diff.h"
#include "schema/model.h"

static const char base[] =
    "CREATE FUNCTION ci_lt(text, text) RETURNS boolean LANGUAGE sql\n"
    "  IMMUTABLE AS $$ SELECT lower($1) < lower($2) $$;\n"
    "CREATE FUNCTION ci_eq(text, text) RETURNS boolean LANGUAGE sql\n"
    "  IMMUTABLE AS $$ SELECT lower($1) = lower($2) $$;\n"
    "CREATE FUNCTION ci_cmp(text, text) RETURNS integer LANGUAGE sql\n"
    "  IMMUTABLE AS $$ SELECT 0 $$;\n"
    "CREATE FUNCTION ci_hash(text) RETURNS integer LANGUAGE sql\n"
    "  IMMUTABLE AS $$ SELECT 0 $$;\n"
    "CREATE OPERATOR <~ (FUNCTION = ci_lt, LEFTARG = text,\n"
    "  RIGHTARG = text, COMMUTATOR = >~);\n"
    "CREATE OPERATOR =~ (PROCEDURE = ci_eq, LEFTARG = text,\n"
    "  RIGHTARG = text, COMMUTATOR = =~, RESTRICT = eqsel);\n"
    "CREATE OPERATOR FAMILY ci_hash_ops USING hash;\n";

static model *parse(const char *extra)
{
	char sql[4096];
	snprintf(sql, sizeof(sql), "%s%s", base, extra);
	model *m = model_new();
	error e = ERROR_INIT;
	assert_int_equal(pg_parse(m, sql, "t.sql", &e), 0);
	error_clear(&e);
	return m;
}

static void diff(const char *from, const char *to, diff_result *out)
{
	model *a = parse(from), *b = parse(to);
	error e = ERROR_INIT;
	diff_result_init(out);
	assert_int_equal(pg_diff(a, b, out, &e), 0);
	error_clear(&e);
	model_free(a);
	model_free(b);
}

/* The index of the first statement that holds `needle`, or -1. */
static int find(const diff_result *r, const char *needle)
{
	for (int i = 0; i < r->nstmts; i++)
		if (strstr(r->stmts[i].sql, needle))
			return i;
	return -1;
}

static void test_canonical_forms(void **state)
{
	(void)state;
	model *m = parse(
	    "CREATE OPERATOR CLASS ci_ops FOR TYPE text USING btree AS\n"
	    "  FUNCTION 1 ci_cmp(text, text), OPERATOR 3 =~, OPERATOR 1 <~;\n"
	    "ALTER OPERATOR FAMILY ci_hash_ops USING hash ADD\n"
	    "  FUNCTION 1 ci_hash(text), OPERATOR 1 =~ (text, text);\n"
	    "COMMENT ON OPERATOR CLASS ci_ops USING btree IS 'ci';\n");
	assert_int_equal(m->noperators, 2);
	assert_string_equal(
	    m->operators[1].definition,
	    "CREATE OPERATOR public.=~ (FUNCTION = public.ci_eq, LEFTARG = "
	    "text, RIGHTARG = text, COMMUTATOR = OPERATOR(public.=~))");
	assert_string_equal(m->operators[1].restrict_fn, "eqsel");
	assert_string_equal(
	    m->operators[0].definition,
	    "CREATE OPERATOR public.<~ (FUNCTION = public.ci_lt, "
	    "LEFTARG = text, RIGHTARG = text, COMMUTATOR = "
	    "OPERATOR(public.>~))");
	/* The class made its family; members in canonical order. */
	assert_int_equal(m->nopfamilies, 2);
	assert_int_equal(m->nopclasses, 1);
	assert_string_equal(
	    m->opclasses[0].definition,
	    "CREATE OPERATOR CLASS public.ci_ops FOR TYPE text USING btree "
	    "FAMILY public.ci_ops AS OPERATOR 1 public.<~(text, text), "
	    "OPERATOR 3 public.=~(text, text), FUNCTION 1 (text, text) "
	    "public.ci_cmp(text, text)");
	assert_string_equal(m->opclasses[0].comment, "ci");
	const m_opfamily *h = &m->opfamilies[0];
	assert_string_equal(h->name, "ci_hash_ops");
	assert_int_equal(h->nmembers, 2);
	assert_string_equal(h->members[0].text,
			    "OPERATOR 1 public.=~(text, text)");
	assert_string_equal(h->members[1].text,
			    "FUNCTION 1 (text, text) public.ci_hash(text)");
	model_free(m);
}

/* A class that changes is dropped before its new form is made; a
 * family loses and gains members in place; only the estimators of an
 * operator change in place. */
static void test_changes(void **state)
{
	(void)state;
	diff_result r;
	diff("CREATE OPERATOR CLASS ci_ops FOR TYPE text USING btree AS\n"
	     "  OPERATOR 1 <~, FUNCTION 1 ci_cmp(text, text);\n"
	     "ALTER OPERATOR FAMILY ci_hash_ops USING hash ADD\n"
	     "  FUNCTION 1 ci_hash(text);\n",
	     "CREATE OPERATOR CLASS ci_ops FOR TYPE text USING btree AS\n"
	     "  OPERATOR 1 <~, OPERATOR 3 =~, FUNCTION 1 ci_cmp(text, text);\n"
	     "ALTER OPERATOR FAMILY ci_hash_ops USING hash ADD\n"
	     "  OPERATOR 1 =~ (text, text);\n"
	     "ALTER OPERATOR =~ (text, text) SET (RESTRICT = NONE,\n"
	     "  JOIN = eqjoinsel);\n",
	     &r);
	int drop = find(&r, "DROP OPERATOR CLASS public.ci_ops USING btree");
	int create = find(&r, "CREATE OPERATOR CLASS public.ci_ops");
	assert_true(drop >= 0 && create > drop);
	assert_true(find(&r, "ALTER OPERATOR FAMILY public.ci_hash_ops USING "
			     "hash DROP FUNCTION 1 (text, text)") >= 0);
	assert_true(find(&r, "ALTER OPERATOR FAMILY public.ci_hash_ops USING "
			     "hash ADD OPERATOR 1 public.=~(text, text)") >= 0);
	assert_true(find(&r, "ALTER OPERATOR public.=~(text, text) SET "
			     "(RESTRICT = NONE, JOIN = eqjoinsel)") >= 0);
	assert_int_equal(find(&r, "DROP OPERATOR public"), -1);
	diff_result_release(&r);

	/* Dropped: the class before the family it made and before its
	 * operator (with the shell its COMMUTATOR made). */
	diff("CREATE OPERATOR CLASS ci_ops FOR TYPE text USING btree AS\n"
	     "  OPERATOR 1 <~, FUNCTION 1 ci_cmp(text, text);\n",
	     "DROP OPERATOR FAMILY ci_hash_ops USING hash;\n"
	     "DROP OPERATOR <~ (text, text);\n",
	     &r);
	int cls = find(&r, "DROP OPERATOR CLASS public.ci_ops");
	int fam = find(&r, "DROP OPERATOR FAMILY public.ci_ops USING btree");
	int op = find(&r, "DROP OPERATOR IF EXISTS public.<~(text, text), "
			  "public.>~(text, text)");
	assert_true(cls >= 0 && fam > cls && op > cls);
	assert_true(find(&r, "DROP OPERATOR FAMILY public.ci_hash_ops") >= 0);
	diff_result_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_canonical_forms),
	    cmocka_unit_test(test_changes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
