/*
 * Partitioning changes in the differ (dialects/postgres/diff_partition.c),
 * on parsed schemas: a rebuild is one statement with what depends on the
 * table around it, a move is DETACH / ATTACH without column statements,
 * the column order counts only when asked, and what cannot be done in
 * one migration is refused by name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "pg_diff_util.h"

static int count_kind(const diff_result *r, const char *kind)
{
	int n = 0;
	for (int i = 0; i < r->nstmts; i++)
		n += !strcmp(r->stmts[i].kind, kind);
	return n;
}

static int find_kind(const diff_result *r, const char *kind)
{
	for (int i = 0; i < r->nstmts; i++)
		if (!strcmp(r->stmts[i].kind, kind))
			return i;
	return -1;
}

static void test_rebuild_with_dependents(void **state)
{
	(void)state;
	diff_result r;
	char *msg;
	int rc = diff_files(
	    "CREATE TABLE \"Events\" (id int NOT NULL, at date NOT NULL, "
	    "PRIMARY KEY (id, at));\n"
	    "CREATE TABLE refs (id int, at date, FOREIGN KEY (id, at) "
	    "REFERENCES \"Events\" (id, at));\n"
	    "CREATE VIEW recent AS SELECT id FROM \"Events\";\n",
	    "CREATE TABLE \"Events\" (id int NOT NULL, at date NOT NULL, "
	    "PRIMARY KEY (id, at)) PARTITION BY RANGE (at);\n"
	    "CREATE TABLE \"Events_all\" PARTITION OF \"Events\" DEFAULT;\n"
	    "CREATE TABLE refs (id int, at date, FOREIGN KEY (id, at) "
	    "REFERENCES \"Events\" (id, at));\n"
	    "CREATE VIEW recent AS SELECT id FROM \"Events\";\n",
	    &r, &msg);
	assert_int_equal(rc, 0);
	assert_int_equal(count_kind(&r, "rebuild_table"), 1);
	int rb = find_kind(&r, "rebuild_table");
	/* Names set aside are quoted as any other. */
	assert_non_null(
	    strstr(r.stmts[rb].sql, "RENAME TO \"Events_schemig_old\""));
	assert_non_null(
	    strstr(r.stmts[rb].sql, "PARTITION OF public.\"Events\" DEFAULT"));
	assert_non_null(
	    strstr(r.stmts[rb].sql, "INSERT INTO public.\"Events\""));
	/* The partition is made inside the rebuild, not on its own. */
	assert_int_equal(count_kind(&r, "create_table"), 0);
	int vd = find_kind(&r, "drop_view"), vc = find_kind(&r, "create_view");
	assert_true(vd >= 0 && vd < rb && rb < vc);
	int fd = find_kind(&r, "drop_constraint"),
	    fa = find_kind(&r, "add_constraint");
	assert_true(fd >= 0 && fd < rb && rb < fa);
	assert_non_null(strstr(r.stmts[fa].sql, "ALTER TABLE public.refs"));
	diff_result_release(&r);
	free(msg);
}

static void test_attach_and_detach(void **state)
{
	(void)state;
	const char *plain =
	    "CREATE TABLE p (id int NOT NULL, at date NOT NULL) "
	    "PARTITION BY RANGE (at);\n"
	    "CREATE TABLE p_old (id int NOT NULL, at date NOT NULL);\n";
	const char *part = "CREATE TABLE p (id int NOT NULL, at date NOT NULL) "
			   "PARTITION BY RANGE (at);\n"
			   "CREATE TABLE p_old PARTITION OF p FOR VALUES FROM "
			   "('2000-01-01') TO ('2024-01-01');\n";
	diff_result r;
	char *msg;
	assert_int_equal(diff_files(plain, part, &r, &msg), 0);
	assert_int_equal(r.nstmts, 1);
	assert_string_equal(r.stmts[0].kind, "attach_partition");
	assert_non_null(strstr(r.stmts[0].sql, "ATTACH PARTITION public.p_old "
					       "FOR VALUES FROM"));
	diff_result_release(&r);
	free(msg);

	assert_int_equal(diff_files(part, plain, &r, &msg), 0);
	assert_int_equal(r.nstmts, 1);
	assert_string_equal(r.stmts[0].kind, "detach_partition");
	assert_string_equal(
	    r.stmts[0].sql,
	    "ALTER TABLE public.p DETACH PARTITION public.p_old");
	diff_result_release(&r);
	free(msg);
}

static void test_column_order_only_when_strict(void **state)
{
	(void)state;
	model *a = parse_ok("CREATE TABLE t (a int, b text);");
	model *b = parse_ok("CREATE TABLE t (b text, a int);");
	diff_result r;
	error e = ERROR_INIT;
	diff_result_init(&r);
	assert_int_equal(pg_diff(a, b, &r, &e), 0);
	assert_int_equal(r.nstmts, 0);
	diff_result_release(&r);

	b->strict_column_order = true;
	diff_result_init(&r);
	assert_int_equal(pg_diff(a, b, &r, &e), 0);
	assert_int_equal(count_kind(&r, "rebuild_table"), 1);
	int rb = find_kind(&r, "rebuild_table");
	assert_non_null(strstr(r.stmts[rb].sql, "INSERT INTO public.t (b, a) "
						"SELECT b, a FROM"));
	diff_result_release(&r);
	error_clear(&e);
	model_free(a);
	model_free(b);
}

static void test_refused_by_name(void **state)
{
	(void)state;
	diff_result r;
	char *msg;
	int rc = diff_files(
	    "CREATE TABLE base (id int, at date);\n"
	    "CREATE TABLE kid (x int) INHERITS (base);\n",
	    "CREATE TABLE base (id int, at date) PARTITION BY RANGE (at);\n"
	    "CREATE TABLE kid (id int, at date, x int);\n",
	    &r, &msg);
	assert_int_equal(rc, -1);
	assert_non_null(msg);
	assert_non_null(strstr(msg, "public.kid inherits from it"));
	diff_result_release(&r);
	free(msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rebuild_with_dependents),
	    cmocka_unit_test(test_attach_and_detach),
	    cmocka_unit_test(test_column_order_only_when_strict),
	    cmocka_unit_test(test_refused_by_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
