/* The typed change list of the PostgreSQL differ (no server): two small
 * schemas parsed with the dialect's parser, diffed, and every statement
 * checked as data: its kind code and name, the object's raw names, the
 * model objects before and after, the flags and the ordering keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialects/dialect.h"
#include "dialects/postgres/change.h"
#include "dialects/postgres/pg.h"
#include "schema/diff.h"
#include "schema/model.h"

static model *parse_ok(const char *sql)
{
	model *m = model_new();
	error e = ERROR_INIT;
	if (pg_parse(m, sql, "test.sql", &e))
		fail_msg("unexpected parse error: %s", e.msg);
	error_clear(&e);
	model_sort(m);
	return m;
}

static const char from_sql[] =
    "CREATE TABLE public.orders (id integer PRIMARY KEY, status text, "
    "note text, qty integer);\n"
    "CREATE INDEX orders_status ON public.orders (status);\n"
    "CREATE TABLE public.gone (id integer);\n"
    "CREATE VIEW public.open_orders AS SELECT id FROM public.orders;\n";

static const char to_sql[] =
    "CREATE TABLE public.orders (id integer PRIMARY KEY, status text, "
    "qty bigint, placed date,\n"
    "  CONSTRAINT qty_positive CHECK (qty > 0));\n"
    "CREATE INDEX orders_status ON public.orders (status);\n"
    "CREATE TABLE public.fresh (id integer);\n"
    "CREATE VIEW public.open_orders AS SELECT id FROM public.orders;\n";

/* The one statement of `kind` about `name`, failing when there is none
 * or more than one. */
static const diff_stmt *find(const diff_result *r, int kind, const char *name)
{
	const diff_stmt *hit = NULL;
	for (int i = 0; i < r->nstmts; i++)
		if (r->stmts[i].change == kind && r->stmts[i].obj.name &&
		    !strcmp(r->stmts[i].obj.name, name)) {
			if (hit)
				fail_msg("two %s statements about %s",
					 r->stmts[i].kind, name);
			hit = &r->stmts[i];
		}
	if (!hit)
		fail_msg("no statement of kind %d about %s", kind, name);
	return hit;
}

static const m_column *column_of(const model *m, const char *table,
				 const char *col)
{
	const m_table *t = model_find_table(m, "public", table);
	assert_non_null(t);
	for (int i = 0; i < t->ncolumns; i++)
		if (!strcmp(t->columns[i].name, col))
			return &t->columns[i];
	fail_msg("no column %s.%s", table, col);
	return NULL;
}

static bool has_key(const char *const *keys, int n, const char *part)
{
	for (int i = 0; i < n; i++)
		if (strstr(keys[i], part))
			return true;
	return false;
}

static void test_typed_changes(void **state)
{
	(void)state;
	model *from = parse_ok(from_sql), *to = parse_ok(to_sql);
	diff_result r;
	diff_result_init(&r);
	error e = ERROR_INIT;
	assert_int_equal(pg_diff(from, to, &r, &e), 0);

	/* The altered column points at the m_column of each model, and at
	 * its table as parent. */
	const diff_stmt *s = find(&r, CHANGE_ALTER_COLUMN_TYPE, "qty");
	assert_string_equal(s->kind, "alter_column_type");
	assert_string_equal(s->object, "public.orders.qty");
	assert_int_equal(s->obj.kind, CHANGE_OBJ_COLUMN);
	assert_string_equal(s->obj.schema, "public");
	assert_string_equal(s->obj.table, "orders");
	assert_null(s->obj.sub);
	assert_ptr_equal(s->before.obj, column_of(from, "orders", "qty"));
	assert_ptr_equal(s->after.obj, column_of(to, "orders", "qty"));
	assert_ptr_equal(s->before.parent,
			 model_find_table(from, "public", "orders"));
	assert_ptr_equal(s->after.parent,
			 model_find_table(to, "public", "orders"));
	assert_string_equal(((const m_column *)s->before.obj)->type, "integer");
	assert_string_equal(((const m_column *)s->after.obj)->type, "bigint");

	/* A new column: nothing before. */
	s = find(&r, CHANGE_ADD_COLUMN, "placed");
	assert_null(s->before.obj);
	assert_ptr_equal(s->after.obj, column_of(to, "orders", "placed"));
	assert_false(s->destructive);

	/* A dropped column: nothing after, destructive. */
	s = find(&r, CHANGE_DROP_COLUMN, "note");
	assert_ptr_equal(s->before.obj, column_of(from, "orders", "note"));
	assert_null(s->after.obj);
	/* Its table stays. */
	assert_ptr_equal(s->after.parent,
			 model_find_table(to, "public", "orders"));
	assert_true(s->destructive);

	/* Tables: made and dropped, with the ordering keys they carry. */
	s = find(&r, CHANGE_CREATE_TABLE, "fresh");
	assert_int_equal(s->obj.kind, CHANGE_OBJ_TABLE);
	assert_null(s->obj.table);
	assert_null(s->before.obj);
	assert_ptr_equal(s->after.obj, model_find_table(to, "public", "fresh"));
	assert_true(has_key(s->provides, s->nprovides, "fresh"));
	assert_true(has_key(s->needs, s->nneeds, "public"));
	s = find(&r, CHANGE_DROP_TABLE, "gone");
	assert_true(s->destructive);
	assert_ptr_equal(s->before.obj,
			 model_find_table(from, "public", "gone"));
	assert_null(s->after.obj);

	/* A table constraint: the m_constraint and its table. */
	s = find(&r, CHANGE_ADD_CONSTRAINT, "qty_positive");
	assert_int_equal(s->obj.kind, CHANGE_OBJ_CONSTRAINT);
	assert_string_equal(s->obj.table, "orders");
	assert_null(s->before.obj);
	assert_ptr_equal(s->before.parent,
			 model_find_table(from, "public", "orders"));
	assert_non_null(s->after.obj);
	assert_string_equal(((const m_constraint *)s->after.obj)->name,
			    "qty_positive");
	assert_ptr_equal(s->after.parent,
			 model_find_table(to, "public", "orders"));

	/* Every statement has a kind code whose name is the one printed. */
	for (int i = 0; i < r.nstmts; i++) {
		assert_int_not_equal(r.stmts[i].change, CHANGE_NONE);
		assert_string_equal(
		    dialect_postgres.change_kind_name(r.stmts[i].change),
		    r.stmts[i].kind);
	}
	error_clear(&e);
	diff_result_release(&r);
	model_free(from);
	model_free(to);
}

/* PostgreSQL's own kinds sit above the neutral range; the flags the
 * differ knows (a rewrite, a scan) are set. */
static void test_dialect_kinds_and_flags(void **state)
{
	(void)state;
	model *from = parse_ok("CREATE TYPE public.mood AS ENUM ('a');\n"
			       "CREATE TABLE public.log (id int);\n"
			       "CREATE TABLE public.p (k int) PARTITION BY "
			       "RANGE (k);\n"
			       "CREATE TABLE public.p1 PARTITION OF public.p "
			       "FOR VALUES FROM (0) TO (10);\n");
	model *to = parse_ok("CREATE TYPE public.mood AS ENUM ('a', 'b');\n"
			     "CREATE UNLOGGED TABLE public.log (id int);\n"
			     "CREATE TABLE public.p (k int) PARTITION BY "
			     "RANGE (k);\n"
			     "CREATE TABLE public.p1 PARTITION OF public.p "
			     "FOR VALUES FROM (0) TO (20);\n");
	diff_result r;
	diff_result_init(&r);
	error e = ERROR_INIT;
	assert_int_equal(pg_diff(from, to, &r, &e), 0);

	const diff_stmt *s = find(&r, PGC_ADD_ENUM_VALUE, "mood");
	assert_true(s->change >= CHANGE_DIALECT_BASE);
	assert_string_equal(s->kind, "add_enum_value");
	assert_int_equal(s->obj.kind, PGO_ENUM);
	assert_non_null(s->before.obj);
	assert_non_null(s->after.obj);
	assert_int_equal(((const m_enum *)s->after.obj)->nlabels, 2);

	s = find(&r, PGC_ALTER_TABLE_LOGGED, "log");
	assert_true(s->rewrites);
	assert_false(s->scans);
	s = find(&r, PGC_ATTACH_PARTITION, "p1");
	assert_true(s->scans);
	assert_false(s->rewrites);

	assert_null(change_kind_name(PGC_ADD_ENUM_VALUE));
	assert_string_equal(change_kind_name(CHANGE_DROP_INDEX), "drop_index");
	assert_null(pg_change_kind_name(CHANGE_NONE));
	error_clear(&e);
	diff_result_release(&r);
	model_free(from);
	model_free(to);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_typed_changes),
	    cmocka_unit_test(test_dialect_kinds_and_flags),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
