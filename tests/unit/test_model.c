/* The schema model: ownership by one arena, sorting, lookups, and the
 * string buffer and error helpers everything else builds on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema/diff.h"
#include "schema/model.h"
#include "util/error.h"
#include "util/strbuf.h"

static m_table *add_table(model *m, const char *schema, const char *name)
{
	m_table *t = model_add_table(m);
	t->schema = model_str(m, schema);
	t->name = model_str(m, name);
	t->kind = 'r';
	return t;
}

static void test_sort_and_find(void **state)
{
	(void)state;
	model *m = model_new();
	/* Enough tables to move the arrays several times: pointers taken
	 * before a push must not be kept, lookups after must work. */
	char name[32];
	for (int i = 999; i >= 0; i--) {
		snprintf(name, sizeof(name), "t%04d", i);
		add_table(m, i % 2 ? "b" : "a", name);
	}
	model_sort(m);
	assert_int_equal(m->ntables, 1000);
	assert_string_equal(m->tables[0].schema, "a");
	assert_string_equal(m->tables[0].name, "t0000");
	assert_string_equal(m->tables[999].schema, "b");
	assert_string_equal(m->tables[999].name, "t0999");
	assert_non_null(model_find_table(m, "b", "t0501"));
	assert_null(model_find_table(m, "a", "t0501"));
	assert_null(model_find_table(m, "c", "t0000"));
	model_free(m);
}

static void test_columns_and_constraints(void **state)
{
	(void)state;
	model *m = model_new();
	m_table *t = add_table(m, "public", "orders");
	for (int i = 0; i < 40; i++) {
		m_column *c = model_table_add_column(m, t);
		c->name = arena_sprintf(&m->arena, "c%d", i);
		c->type = model_str(m, "integer");
	}
	m_constraint *k = model_table_add_constraint(m, t);
	k->name = model_str(m, "orders_pkey");
	k->kind = M_CON_PRIMARY;
	k = model_table_add_constraint(m, t);
	k->name = model_str(m, "a_check");
	k->kind = M_CON_CHECK;
	model_sort(m);
	t = model_find_table(m, "public", "orders");
	assert_int_equal(t->ncolumns, 40);
	/* Columns keep attribute order; constraints are sorted by name. */
	assert_string_equal(t->columns[39].name, "c39");
	assert_string_equal(t->constraints[0].name, "a_check");
	assert_non_null(model_table_find_column(t, "c7"));
	assert_null(model_table_find_column(t, "c40"));
	assert_int_equal(model_table_find_constraint(t, "orders_pkey")->kind,
			 M_CON_PRIMARY);
	model_free(m);
}

static void test_warnings(void **state)
{
	(void)state;
	model *m = model_new();
	model_add_warning(m, "%s:%d: INSERT is not part of the schema model",
			  "s.sql", 3);
	assert_int_equal(m->nwarnings, 1);
	assert_string_equal(m->warnings[0].message,
			    "s.sql:3: INSERT is not part of the schema model");
	model_free(m);
}

static void test_strbuf(void **state)
{
	(void)state;
	strbuf sb = STRBUF_INIT;
	assert_string_equal(strbuf_str(&sb), "");
	for (int i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%d,", i);
	assert_int_equal(sb.len, strlen(sb.buf));
	strbuf_reset(&sb);
	strbuf_adds(&sb, "  x y \n");
	strbuf_trim(&sb);
	assert_string_equal(strbuf_str(&sb), "x y");
	char *d = strbuf_detach(&sb);
	assert_string_equal(d, "x y");
	assert_int_equal(sb.len, 0);
	free(d);
}

static void test_error_prefix(void **state)
{
	(void)state;
	error e = ERROR_INIT;
	assert_int_equal(error_set(&e, EXIT_DB, "connection refused"), -1);
	error_prefix(&e, "reading %s", "postgres://u:***@h/db");
	assert_int_equal(e.code, EXIT_DB);
	assert_string_equal(
	    e.msg, "reading postgres://u:***@h/db: connection refused");
	error_clear(&e);
	assert_null(e.msg);
}

static void test_diff_result_formats(void **state)
{
	(void)state;
	diff_result r;
	diff_result_init(&r);
	diff_stmt *s = diff_result_add(&r, "drop_table", "public.\"Old\"",
				       "DROP TABLE public.\"Old\"");
	s->destructive = true;
	strbuf sb = STRBUF_INIT;
	diff_result_format_sql(&r, &sb);
	assert_string_equal(strbuf_str(&sb), "DROP TABLE public.\"Old\";\n");
	strbuf_reset(&sb);
	error e = ERROR_INIT;
	assert_int_equal(diff_result_format_json(&r, &sb, &e), 0);
	assert_non_null(strstr(strbuf_str(&sb), "\"destructive\": true"));
	assert_non_null(
	    strstr(strbuf_str(&sb), "DROP TABLE public.\\\"Old\\\""));
	strbuf_release(&sb);
	diff_result_release(&r);
}

/* What was not compared is listed, counted once, and makes the result
 * "may differ" even without statements. */
static void test_diff_result_uncompared(void **state)
{
	(void)state;
	diff_result r;
	diff_result_init(&r);
	assert_false(diff_result_differs(&r));
	diff_result_add_uncompared(&r, "a.sql:3: CREATE OPERATOR is not part "
				       "of the schema model; ignored");
	diff_result_add_uncompared(&r, "a.sql:3: CREATE OPERATOR is not part "
				       "of the schema model; ignored");
	assert_int_equal(r.nuncompared, 1);
	assert_true(diff_result_differs(&r));
	strbuf sb = STRBUF_INIT;
	diff_result_format_text(&r, &sb);
	assert_non_null(strstr(strbuf_str(&sb), "not compared: a.sql:3: "
						"CREATE OPERATOR"));
	assert_null(strstr(strbuf_str(&sb), "No differences."));
	strbuf_reset(&sb);
	error e = ERROR_INIT;
	assert_int_equal(diff_result_format_json(&r, &sb, &e), 0);
	assert_non_null(strstr(strbuf_str(&sb), "\"not_compared\": ["));
	strbuf_release(&sb);
	diff_result_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sort_and_find),
	    cmocka_unit_test(test_columns_and_constraints),
	    cmocka_unit_test(test_warnings),
	    cmocka_unit_test(test_strbuf),
	    cmocka_unit_test(test_error_prefix),
	    cmocka_unit_test(test_diff_result_formats),
	    cmocka_unit_test(test_diff_result_uncompared),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
