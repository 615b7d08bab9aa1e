/* The PostgreSQL differ on hand-built models (no server): which
 * statements come out, in which order, and how names are quoted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialects/postgres/pg.h"
#include "schema/diff.h"
#include "schema/model.h"

static m_table *add_table(model *m, const char *schema, const char *name)
{
	m_table *t = model_add_table(m);
	t->schema = model_str(m, schema);
	t->name = model_str(m, name);
	t->kind = 'r';
	return t;
}

static m_column *add_col(model *m, m_table *t, const char *name,
			 const char *type)
{
	m_column *c = model_table_add_column(m, t);
	c->name = model_str(m, name);
	c->type = model_str(m, type);
	return c;
}

static m_constraint *add_con(model *m, m_table *t, const char *name, char kind,
			     const char *def)
{
	m_constraint *k = model_table_add_constraint(m, t);
	k->name = model_str(m, name);
	k->kind = kind;
	k->definition = model_str(m, def);
	return k;
}

static m_view *add_view(model *m, const char *name, const char *def,
			const char *dep)
{
	m_view *v = model_add_view(m);
	v->schema = model_str(m, "public");
	v->name = model_str(m, name);
	v->definition = model_str(m, def);
	m_ref *r = ARENA_PUSH(&m->arena, v->deps, v->ndeps, v->cdeps);
	r->schema = model_str(m, "public");
	r->name = model_str(m, dep);
	return v;
}

/* View `v` reads column `col` of table `table` (pg_depend's view). */
static void add_coldep(model *m, m_view *v, const char *table, const char *col)
{
	m_colref *r = ARENA_PUSH(&m->arena, v->column_deps, v->ncolumn_deps,
				 v->ccolumn_deps);
	r->schema = model_str(m, "public");
	r->table = model_str(m, table);
	r->column = model_str(m, col);
}

static m_enum *add_enum(model *m, const char *name, const char **labels)
{
	m_enum *en = model_add_enum(m);
	en->schema = model_str(m, "public");
	en->name = model_str(m, name);
	for (; *labels; labels++)
		*ARENA_PUSH(&m->arena, en->labels, en->nlabels, en->clabels) =
		    model_str(m, *labels);
	return en;
}

/* Diff two models (sorting them first) into `r`; returns the count. */
static int run_diff(model *from, model *to, diff_result *r)
{
	error e = ERROR_INIT;
	model_sort(from);
	model_sort(to);
	diff_result_init(r);
	int rc = pg_diff(from, to, r, &e);
	if (rc)
		fprintf(stderr, "pg_diff: %s\n", e.msg);
	assert_int_equal(rc, 0);
	error_clear(&e);
	return r->nstmts;
}

/* Index of the first statement whose SQL contains `needle`, or -1. */
static int find_sql(const diff_result *r, const char *needle)
{
	for (int i = 0; i < r->nstmts; i++)
		if (strstr(r->stmts[i].sql, needle))
			return i;
	return -1;
}

static void test_no_change(void **state)
{
	(void)state;
	model *a = model_new(), *b = model_new();
	add_col(a, add_table(a, "public", "t"), "id", "integer");
	add_col(b, add_table(b, "public", "t"), "id", "integer");
	diff_result r;
	assert_int_equal(run_diff(a, b, &r), 0);
	diff_result_release(&r);
	model_free(a);
	model_free(b);
}

static void test_add_column(void **state)
{
	(void)state;
	model *a = model_new(), *b = model_new();
	add_col(a, add_table(a, "public", "users"), "id", "integer");
	m_table *t = add_table(b, "public", "users");
	add_col(b, t, "id", "integer");
	m_column *c = add_col(b, t, "created_at", "timestamp with time zone");
	c->not_null = true;
	c->default_expr = model_str(b, "now()");
	diff_result r;
	assert_int_equal(run_diff(a, b, &r), 1);
	assert_string_equal(r.stmts[0].kind, "add_column");
	assert_string_equal(r.stmts[0].object, "public.users.created_at");
	assert_string_equal(r.stmts[0].sql,
			    "ALTER TABLE public.users ADD COLUMN created_at "
			    "timestamp with time zone DEFAULT now() NOT NULL");
	assert_false(r.stmts[0].destructive);
	assert_true(r.stmts[0].transactional);
	diff_result_release(&r);
	model_free(a);
	model_free(b);
}

static void test_drop_column_destructive(void **state)
{
	(void)state;
	model *a = model_new(), *b = model_new();
	m_table *t = add_table(a, "public", "t");
	add_col(a, t, "id", "integer");
	add_col(a, t, "old", "text");
	add_col(b, add_table(b, "public", "t"), "id", "integer");
	diff_result r;
	assert_int_equal(run_diff(a, b, &r), 1);
	assert_string_equal(r.stmts[0].kind, "drop_column");
	assert_string_equal(r.stmts[0].sql,
			    "ALTER TABLE public.t DROP COLUMN old");
	assert_true(r.stmts[0].destructive);
	diff_result_release(&r);
	model_free(a);
	model_free(b);
}

/* New tables referencing each other: both tables first, the foreign key
 * after the primary key it references, whatever the name order. */
static void test_fk_ordering(void **state)
{
	(void)state;
	model *a = model_new(), *b = model_new();
	m_table *child = add_table(b, "public", "a_child");
	add_col(b, child, "id", "integer");
	add_col(b, child, "parent_id", "integer");
	m_constraint *fk = add_con(b, child, "a_child_parent_fk", 'f',
				   "FOREIGN KEY (parent_id) REFERENCES "
				   "public.z_parent(id)");
	fk->ref.schema = model_str(b, "public");
	fk->ref.name = model_str(b, "z_parent");
	m_table *parent = add_table(b, "public", "z_parent");
	add_col(b, parent, "id", "integer")->not_null = true;
	add_con(b, parent, "z_parent_pkey", 'p', "PRIMARY KEY (id)");
	diff_result r;
	run_diff(a, b, &r);
	int c1 = find_sql(&r, "CREATE TABLE public.a_child");
	int c2 = find_sql(&r, "CREATE TABLE public.z_parent");
	int k = find_sql(&r, "ADD CONSTRAINT a_child_parent_fk");
	assert_true(c1 >= 0 && c2 >= 0 && k >= 0);
	assert_true(k > c1 && k > c2);
	assert_string_equal(r.stmts[k].kind, "add_constraint");
	/* The primary key is created with its table. */
	assert_non_null(strstr(r.stmts[c2].sql,
			       "CONSTRAINT z_parent_pkey PRIMARY KEY (id)"));
	assert_null(strstr(r.stmts[c1].sql, "FOREIGN KEY"));
	diff_result_release(&r);

	/* The other way round: the foreign key goes before the tables. */
	run_diff(b, a, &r);
	int dk = find_sql(&r, "DROP CONSTRAINT a_child_parent_fk");
	int d1 = find_sql(&r, "DROP TABLE public.a_child");
	int d2 = find_sql(&r, "DROP TABLE public.z_parent");
	assert_true(dk >= 0 && d1 > dk && d2 > dk);
	assert_true(r.stmts[d1].destructive);
	diff_result_release(&r);
	model_free(a);
	model_free(b);
}

/* A column type change under a chain of views: the views are dropped
 * dependents first, right before the column changes, and they come back
 * in dependency order right after it; an unrelated view, and one that
 * reads another column of the table, are left alone. */
static void test_view_recreated_around_type_change(void **state)
{
	(void)state;
	model *m[2] = {model_new(), model_new()};
	for (int i = 0; i < 2; i++) {
		m_table *t = add_table(m[i], "public", "t");
		add_col(m[i], t, "id", "integer");
		add_col(m[i], t, "amount", i ? "bigint" : "integer");
		add_view(m[i], "v_top", " SELECT v_base.id FROM public.v_base;",
			 "v_base");
		m_view *base =
		    add_view(m[i], "v_base",
			     " SELECT t.id, t.amount FROM public.t;", "t");
		add_coldep(m[i], base, "t", "id");
		add_coldep(m[i], base, "t", "amount");
		add_coldep(m[i], &m[i]->views[0], "v_base", "id");
		add_view(m[i], "other", " SELECT 1 AS one;", "t2");
		m_view *ids =
		    add_view(m[i], "v_ids", " SELECT t.id FROM public.t;", "t");
		add_coldep(m[i], ids, "t", "id");
	}
	diff_result r;
	run_diff(m[0], m[1], &r);
	int dt = find_sql(&r, "DROP VIEW public.v_top");
	int db = find_sql(&r, "DROP VIEW public.v_base");
	int al = find_sql(&r, "ALTER COLUMN amount TYPE bigint USING "
			      "amount::bigint");
	int cb = find_sql(&r, "CREATE VIEW public.v_base AS");
	int ct = find_sql(&r, "CREATE VIEW public.v_top AS");
	assert_true(dt >= 0 && db == dt + 1 && al == db + 1 && cb == al + 1 &&
		    ct == cb + 1);
	assert_int_equal(find_sql(&r, "public.other"), -1);
	assert_int_equal(find_sql(&r, "public.v_ids"), -1);
	assert_string_equal(r.stmts[al].kind, "alter_column_type");
	/* integer -> bigint keeps every value. */
	assert_false(r.stmts[al].destructive);
	assert_int_equal(r.nstmts, 5);
	/* The view's trailing ';' is not part of the statement. */
	assert_null(strchr(r.stmts[cb].sql, ';'));
	diff_result_release(&r);
	model_free(m[0]);
	model_free(m[1]);
}

static void test_enum_value_in_position(void **state)
{
	(void)state;
	model *a = model_new(), *b = model_new();
	add_enum(a, "mood", (const char *[]){"sad", "happy", NULL});
	add_enum(b, "mood",
		 (const char *[]){"first", "sad", "ok", "happy", "last", NULL});
	diff_result r;
	assert_int_equal(run_diff(a, b, &r), 3);
	assert_string_equal(
	    r.stmts[0].sql,
	    "ALTER TYPE public.mood ADD VALUE 'first' BEFORE 'sad'");
	assert_string_equal(
	    r.stmts[1].sql,
	    "ALTER TYPE public.mood ADD VALUE 'ok' AFTER 'sad'");
	assert_string_equal(
	    r.stmts[2].sql,
	    "ALTER TYPE public.mood ADD VALUE 'last' AFTER 'happy'");
	for (int i = 0; i < 3; i++) {
		assert_string_equal(r.stmts[i].kind, "add_enum_value");
		assert_true(r.stmts[i].transactional);
		assert_false(r.stmts[i].destructive);
	}
	diff_result_release(&r);
	model_free(a);
	model_free(b);
}

/* Removing a label rebuilds the type and moves the columns over. */
static void test_enum_rebuild(void **state)
{
	(void)state;
	model *m[2] = {model_new(), model_new()};
	for (int i = 0; i < 2; i++) {
		add_enum(m[i], "mood",
			 i ? (const char *[]){"happy", "sad", NULL}
			   : (const char *[]){"sad", "meh", "happy", NULL});
		m_table *t = add_table(m[i], "public", "p");
		add_col(m[i], t, "m", "public.mood");
	}
	diff_result r;
	run_diff(m[0], m[1], &r);
	int rn =
	    find_sql(&r, "ALTER TYPE public.mood RENAME TO mood_schemig_old");
	int cr =
	    find_sql(&r, "CREATE TYPE public.mood AS ENUM ('happy', 'sad')");
	int al = find_sql(&r, "ALTER TABLE public.p ALTER COLUMN m TYPE "
			      "public.mood USING m::text::public.mood");
	int dr = find_sql(&r, "DROP TYPE public.mood_schemig_old");
	assert_true(rn >= 0 && cr > rn && al > cr && dr > al);
	assert_true(r.stmts[al].destructive);
	diff_result_release(&r);
	model_free(m[0]);
	model_free(m[1]);
}

/* Names with quotes, spaces, unicode and reserved words are quoted;
 * a comment cannot end its literal. */
static void test_quoting(void **state)
{
	(void)state;
	model *a = model_new(), *b = model_new();
	m_table *t = add_table(b, "My Schema", "select");
	add_col(b, t, "Col \"1\"", "integer");
	add_col(b, t, "ñame", "text");
	t->comment = model_str(b, "it's'; DROP TABLE x; --");
	m_schema *s = model_add_schema(b);
	s->name = model_str(b, "My Schema");
	diff_result r;
	run_diff(a, b, &r);
	int cs = find_sql(&r, "CREATE SCHEMA \"My Schema\"");
	int ct = find_sql(&r, "CREATE TABLE \"My Schema\".\"select\"");
	assert_true(cs >= 0 && ct > cs);
	assert_non_null(strstr(r.stmts[ct].sql, "\"Col \"\"1\"\"\" integer"));
	assert_non_null(strstr(r.stmts[ct].sql, "\"ñame\" text"));
	assert_string_equal(r.stmts[ct].object, "\"My Schema\".\"select\"");
	int cm = find_sql(&r, "COMMENT ON TABLE");
	assert_true(cm > ct);
	assert_string_equal(r.stmts[cm].sql,
			    "COMMENT ON TABLE \"My Schema\".\"select\" IS "
			    "'it''s''; DROP TABLE x; --'");
	diff_result_release(&r);
	model_free(a);
	model_free(b);
}

/* "public" is never created or dropped; other schemas go last. */
static void test_schema_public_and_drop_order(void **state)
{
	(void)state;
	model *a = model_new(), *b = model_new();
	model_add_schema(a)->name = model_str(a, "public");
	model_add_schema(a)->name = model_str(a, "app");
	add_table(a, "app", "t");
	model_add_schema(b)->name = model_str(b, "public");
	diff_result r;
	run_diff(a, b, &r);
	assert_int_equal(r.nstmts, 2);
	assert_string_equal(r.stmts[0].sql, "DROP TABLE app.t");
	assert_string_equal(r.stmts[1].sql, "DROP SCHEMA app");
	diff_result_release(&r);
	model_free(a);
	model_free(b);
}

static void test_grant_and_revoke(void **state)
{
	(void)state;
	model *m[2] = {model_new(), model_new()};
	for (int i = 0; i < 2; i++) {
		add_table(m[i], "public", "t");
		m_grant *g = model_add_grant(m[i]);
		g->objkind = 'r';
		g->schema = model_str(m[i], "public");
		g->name = model_str(m[i], "t");
		g->grantee = model_str(m[i], i ? "Reader Role" : "old_role");
		g->privilege = model_str(m[i], "SELECT");
		if (i)
			g->column = model_str(m[i], "id");
		g->grantable = i;
	}
	diff_result r;
	run_diff(m[0], m[1], &r);
	assert_int_equal(r.nstmts, 2);
	assert_string_equal(r.stmts[0].sql,
			    "REVOKE SELECT ON TABLE public.t FROM old_role");
	assert_string_equal(r.stmts[1].sql,
			    "GRANT SELECT (id) ON TABLE public.t TO "
			    "\"Reader Role\" WITH GRANT OPTION");
	diff_result_release(&r);
	model_free(m[0]);
	model_free(m[1]);
}

/* The pseudo-role PUBLIC and a role named "PUBLIC" are two grantees: a
 * grant to the role must never be rendered as a grant to everyone. */
static void test_role_named_public(void **state)
{
	(void)state;
	const char *sql[2] = {
	    "CREATE TABLE secrets (id int);\nCREATE TABLE open (id int);\n",
	    "CREATE TABLE secrets (id int);\nCREATE TABLE open (id int);\n"
	    "GRANT SELECT ON secrets TO \"PUBLIC\";\n"
	    "GRANT SELECT ON open TO PUBLIC;\n"
	    "GRANT UPDATE ON open TO public;\n"};
	model *m[2];
	for (int i = 0; i < 2; i++) {
		error e = ERROR_INIT;
		m[i] = model_new();
		if (pg_parse(m[i], sql[i], i ? "desired.sql" : "current.sql",
			     &e))
			fail_msg("parse: %s", e.msg);
	}
	/* The model tells them apart without a name for everyone. */
	int role = 0, everyone = 0;
	for (int i = 0; i < m[1]->ngrants; i++) {
		const m_grant *g = &m[1]->grants[i];
		if (!g->grantee)
			everyone++;
		else if (!strcmp(g->grantee, "PUBLIC"))
			role++;
	}
	assert_int_equal(role, 1);
	assert_int_equal(everyone, 2);

	diff_result r;
	assert_int_equal(run_diff(m[0], m[1], &r), 3);
	int i = find_sql(&r, "ON TABLE public.secrets");
	assert_true(i >= 0);
	assert_string_equal(
	    r.stmts[i].sql,
	    "GRANT SELECT ON TABLE public.secrets TO \"PUBLIC\"");
	i = find_sql(&r, "GRANT SELECT ON TABLE public.open");
	assert_true(i >= 0);
	assert_string_equal(r.stmts[i].sql,
			    "GRANT SELECT ON TABLE public.open TO PUBLIC");
	diff_result_release(&r);

	/* And back: each is revoked from its own grantee. */
	assert_int_equal(run_diff(m[1], m[0], &r), 3);
	assert_true(find_sql(&r, "REVOKE SELECT ON TABLE public.secrets FROM "
				 "\"PUBLIC\"") >= 0);
	assert_true(find_sql(&r, "REVOKE UPDATE ON TABLE public.open FROM "
				 "PUBLIC") >= 0);
	diff_result_release(&r);
	model_free(m[0]);
	model_free(m[1]);
}

/* Dropping UNIQUE (slug) on the referenced table must not touch a
 * foreign key on (id); one on (slug)'s changed sibling key is rebuilt. */
static void test_unique_drop_keeps_other_fks(void **state)
{
	(void)state;
	model *m[2] = {model_new(), model_new()};
	for (int i = 0; i < 2; i++) {
		m_table *a = add_table(m[i], "public", "address");
		add_col(m[i], a, "id", "integer")->not_null = true;
		add_col(m[i], a, "slug", "text");
		add_col(m[i], a, "code", "text");
		m_constraint *k =
		    add_con(m[i], a, "address_pkey", 'p', "PRIMARY KEY (id)");
		*ARENA_PUSH(&m[i]->arena, k->columns, k->ncolumns,
			    k->ccolumns) = model_str(m[i], "id");
		k = add_con(m[i], a, "address_code_key", 'u',
			    i ? "UNIQUE NULLS NOT DISTINCT (code)"
			      : "UNIQUE (code)");
		*ARENA_PUSH(&m[i]->arena, k->columns, k->ncolumns,
			    k->ccolumns) = model_str(m[i], "code");
		if (!i) {
			k = add_con(m[i], a, "address_slug_key", 'u',
				    "UNIQUE (slug)");
			*ARENA_PUSH(&m[i]->arena, k->columns, k->ncolumns,
				    k->ccolumns) = model_str(m[i], "slug");
		}
		m_table *t = add_table(m[i], "public", "customer");
		add_col(m[i], t, "address_id", "integer");
		add_col(m[i], t, "address_code", "text");
		const char *fks[2][3] = {
		    {"customer_address_fk", "address_id", "id"},
		    {"customer_code_fk", "address_code", "code"}};
		for (int f = 0; f < 2; f++) {
			k = add_con(m[i], t, fks[f][0], 'f',
				    f ? "FOREIGN KEY (address_code) REFERENCES "
					"public.address(code)"
				      : "FOREIGN KEY (address_id) REFERENCES "
					"public.address(id)");
			*ARENA_PUSH(&m[i]->arena, k->columns, k->ncolumns,
				    k->ccolumns) = model_str(m[i], fks[f][1]);
			*ARENA_PUSH(&m[i]->arena, k->ref_columns,
				    k->nref_columns, k->cref_columns) =
			    model_str(m[i], fks[f][2]);
			k->ref.schema = model_str(m[i], "public");
			k->ref.name = model_str(m[i], "address");
		}
	}
	diff_result r;
	run_diff(m[0], m[1], &r);
	assert_true(find_sql(&r, "DROP CONSTRAINT address_slug_key") >= 0);
	assert_int_equal(find_sql(&r, "customer_address_fk"), -1);
	int d = find_sql(&r, "DROP CONSTRAINT customer_code_fk");
	int u = find_sql(&r, "ADD CONSTRAINT address_code_key");
	int a = find_sql(&r, "ADD CONSTRAINT customer_code_fk");
	assert_true(d >= 0 && u > d && a > u);
	assert_int_equal(r.nstmts, 5);
	diff_result_release(&r);
	model_free(m[0]);
	model_free(m[1]);
}

static model *parsed(const char *sql)
{
	model *m = model_new();
	error e = ERROR_INIT;
	if (pg_parse(m, sql, "t.sql", &e))
		fail_msg("parse: %s", e.msg);
	return m;
}

static void test_generated_column_blocks_routine_rebuild(void **state)
{
	(void)state;
	/* A routine whose result changes is dropped and made again; a
	 * generated column calling it cannot step aside (its expression
	 * cannot be put back), so the diff says so instead of emitting a
	 * DROP the server refuses. */
	const char *fn1 = "CREATE FUNCTION twice(n int) RETURNS int "
			  "LANGUAGE sql IMMUTABLE RETURN n * 2;\n";
	const char *fn2 = "CREATE FUNCTION twice(n int) RETURNS bigint "
			  "LANGUAGE sql IMMUTABLE RETURN n * 2;\n";
	const char *tbl = "CREATE TABLE t (a int, g bigint GENERATED ALWAYS "
			  "AS (twice(a)) STORED);\n";
	char from[512], to[512];
	snprintf(from, sizeof(from), "%s%s", fn1, tbl);
	snprintf(to, sizeof(to), "%s%s", fn2, tbl);
	model *a = parsed(from), *b = parsed(to);
	diff_result d;
	diff_result_init(&d);
	error e = ERROR_INIT;
	assert_int_equal(pg_diff(a, b, &d, &e), -1);
	assert_int_equal(e.code, EXIT_USAGE);
	assert_non_null(strstr(e.msg, "public.twice(integer)"));
	assert_non_null(strstr(e.msg, "generated column public.t.g"));
	error_clear(&e);
	diff_result_release(&d);
	model_free(a);
	model_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_no_change),
	    cmocka_unit_test(test_add_column),
	    cmocka_unit_test(test_drop_column_destructive),
	    cmocka_unit_test(test_fk_ordering),
	    cmocka_unit_test(test_view_recreated_around_type_change),
	    cmocka_unit_test(test_enum_value_in_position),
	    cmocka_unit_test(test_enum_rebuild),
	    cmocka_unit_test(test_quoting),
	    cmocka_unit_test(test_schema_public_and_drop_order),
	    cmocka_unit_test(test_grant_and_revoke),
	    cmocka_unit_test(test_role_named_public),
	    cmocka_unit_test(test_unique_drop_keeps_other_fks),
	    cmocka_unit_test(test_generated_column_blocks_routine_rebuild),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
