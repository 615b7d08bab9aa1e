/* Partial normalisation (schema/subset.h): which relations are dirty,
 * what is loaded for them, and the merge, on parsed models (no server). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "pg_diff_util.h"
#include "schema/subset.h"
#include "util/strbuf.h"

/* Relations, with one of each kind of thing that belongs to them. */
static const char base_sql[] =
    "CREATE SCHEMA app;\n"
    "CREATE TYPE app.mood AS ENUM ('a', 'b');\n"
    "CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS "
    "$$BEGIN RETURN NEW; END$$;\n"
    "CREATE TABLE app.customers (id serial PRIMARY KEY, name text NOT NULL "
    "DEFAULT 'x', m app.mood, UNIQUE (name));\n"
    "COMMENT ON TABLE app.customers IS 'who';\n"
    "CREATE TABLE app.orders (id bigint GENERATED ALWAYS AS IDENTITY "
    "PRIMARY KEY, customer_id int REFERENCES app.customers (id), "
    "total numeric(10,2) CHECK (total > 0));\n"
    "CREATE INDEX orders_customer ON app.orders (customer_id);\n"
    "CREATE STATISTICS app.orders_st ON customer_id, total FROM app.orders;\n"
    "CREATE TRIGGER orders_touch BEFORE UPDATE ON app.orders FOR EACH ROW "
    "EXECUTE FUNCTION app.touch();\n"
    "ALTER TABLE app.orders ENABLE ROW LEVEL SECURITY;\n"
    "CREATE POLICY mine ON app.orders USING (customer_id > 0);\n"
    "CREATE TABLE app.notes (id int PRIMARY KEY, body text);\n"
    "CREATE VIEW app.big AS SELECT id, total FROM app.orders "
    "WHERE total > 100;\n"
    "CREATE VIEW app.notes_v AS SELECT id FROM app.notes;\n"
    "GRANT SELECT ON app.orders TO PUBLIC;\n"
    "GRANT USAGE ON SEQUENCE app.customers_id_seq TO PUBLIC;\n";

static int find_table(const model *m, const char *name)
{
	for (int i = 0; i < m->ntables; i++)
		if (!strcmp(m->tables[i].name, name))
			return i;
	return -1;
}

static bool has_view(const model *m, const char *name)
{
	for (int i = 0; i < m->nviews; i++)
		if (!strcmp(m->views[i].name, name))
			return true;
	return false;
}

static subset *select_between(const model *a, const model *b)
{
	diff_result dr;
	error e = ERROR_INIT;
	subset *s = NULL;
	diff_result_init(&dr);
	assert_int_equal(pg_diff(a, b, &dr, &e), 0);
	assert_int_equal(subset_select(a, b, &dr, &s), 0);
	diff_result_release(&dr);
	return s;
}

/* Nothing differs: nothing is dirty, and the merge of a model with
 * itself, every relation taken from the "live" copy, gives the same
 * canonical model: no field is lost in the copy. */
static void test_merge_copies_every_field(void **state)
{
	(void)state;
	model *live = parse_ok(base_sql), *scratch = parse_ok(base_sql);
	subset *s = select_between(live, scratch);
	assert_non_null(s);
	assert_int_equal(subset_count_dirty(s), 0);
	strbuf want = STRBUF_INIT, got = STRBUF_INIT;
	model_canonical(live, &want);
	subset_merge(s, scratch, live);
	/* The copies must not borrow from `live`. */
	model_free(live);
	model_canonical(scratch, &got);
	assert_string_equal(got.buf, want.buf);
	strbuf_release(&want);
	strbuf_release(&got);
	subset_free(s);
	model_free(scratch);
}

/* A changed column makes its table dirty, and the view over it; the
 * loaded part holds them, the foreign key target reduced to what the
 * key needs, and nothing of the unrelated table and view. */
static void test_select_and_part(void **state)
{
	(void)state;
	model *live = parse_ok(base_sql);
	strbuf changed = STRBUF_INIT;
	strbuf_adds(&changed, base_sql);
	strbuf_adds(&changed, "ALTER TABLE app.orders ADD COLUMN note text;\n");
	model *parsed = parse_ok(changed.buf);
	subset *s = select_between(live, parsed);
	assert_non_null(s);
	/* orders, and the view that reads it. */
	assert_int_equal(subset_count_dirty(s), 2);

	model *part = subset_model(s, live, parsed);
	assert_true(has_view(part, "big"));
	assert_false(has_view(part, "notes_v"));
	assert_int_equal(find_table(part, "notes"), -1);
	/* orders whole, but for what it keeps as the live side has it: its
	 * key to customers and its plain index are copied, not loaded, so
	 * customers is not needed. */
	int o = find_table(part, "orders");
	assert_true(o >= 0);
	assert_int_equal(find_table(part, "customers"), -1);
	for (int i = 0; i < part->tables[o].nconstraints; i++)
		assert_int_not_equal(part->tables[o].constraints[i].kind,
				     M_CON_FOREIGN);
	assert_int_equal(part->nindexes, 0);
	assert_int_equal(part->ntriggers, 1);
	assert_int_equal(part->npolicies, 1);
	assert_int_equal(part->nstatistics, 1);
	/* Every object that is not a relation is loaded. */
	assert_int_equal(part->nfunctions, parsed->nfunctions);
	assert_int_equal(part->nenums, parsed->nenums);
	model_free(part);

	/* The merge takes orders and big from the scratch side, the rest
	 * from the live one. */
	model *scratch = parse_ok(changed.buf);
	subset_merge(s, scratch, live);
	int t = find_table(scratch, "orders");
	assert_true(t >= 0);
	assert_non_null(model_table_find_column(&scratch->tables[t], "note"));
	const m_constraint *fk = NULL;
	for (int i = 0; i < scratch->tables[t].nconstraints; i++)
		if (scratch->tables[t].constraints[i].kind == M_CON_FOREIGN)
			fk = &scratch->tables[t].constraints[i];
	assert_non_null(fk);
	assert_string_equal(fk->ref.name, "customers");
	bool idx = false;
	for (int i = 0; i < scratch->nindexes; i++)
		idx |= !strcmp(scratch->indexes[i].name, "orders_customer");
	assert_true(idx);
	assert_true(find_table(scratch, "notes") >= 0);
	assert_true(has_view(scratch, "notes_v"));
	assert_int_equal(scratch->ntables, live->ntables);

	subset_free(s);
	model_free(scratch);
	model_free(parsed);
	model_free(live);
	strbuf_release(&changed);
}

/* A dropped table is dirty: the merge leaves it out. */
static void test_dropped_table(void **state)
{
	(void)state;
	model *live = parse_ok(base_sql);
	strbuf sql = STRBUF_INIT;
	strbuf_adds(&sql, base_sql);
	strbuf_adds(&sql, "DROP VIEW app.notes_v; DROP TABLE app.notes;\n");
	model *parsed = parse_ok(sql.buf);
	subset *s = select_between(live, parsed);
	assert_non_null(s);
	model *scratch = parse_ok(sql.buf);
	subset_merge(s, scratch, live);
	assert_int_equal(find_table(scratch, "notes"), -1);
	assert_false(has_view(scratch, "notes_v"));
	subset_free(s);
	model_free(scratch);
	model_free(parsed);
	model_free(live);
	strbuf_release(&sql);
}

/* Operators record users across relations: no partial load. */
static void test_operators_rule_it_out(void **state)
{
	(void)state;
	model *live = parse_ok(base_sql);
	strbuf sql = STRBUF_INIT;
	strbuf_adds(&sql, base_sql);
	strbuf_adds(&sql, "CREATE FUNCTION app.eq(int, int) RETURNS boolean "
			  "LANGUAGE sql IMMUTABLE AS 'SELECT $1 = $2';\n"
			  "CREATE OPERATOR app.=== (LEFTARG = int, RIGHTARG = "
			  "int, FUNCTION = app.eq);\n");
	model *parsed = parse_ok(sql.buf);
	assert_null(select_between(live, parsed));
	model_free(parsed);
	model_free(live);
	strbuf_release(&sql);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_merge_copies_every_field),
	    cmocka_unit_test(test_select_and_part),
	    cmocka_unit_test(test_dropped_table),
	    cmocka_unit_test(test_operators_rule_it_out),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
