/*
 * The PostgreSQL planner without a server: two schemas parsed from SQL,
 * planned with pg_plan, and the steps checked one by one (kind, order,
 * transaction, lock, hazards, rollback), with the verdict's reasons and
 * the data checks it asks for.
 */
#include "pg_plan_util.h"

/* ---- indexes ---------------------------------------------------------- */

static void test_index_existing_table(void **state)
{
	(void)state;
	plan p;
	make_plan(&p, T0, T0 "CREATE INDEX t_a ON t (a) WHERE b <> '';", NULL);
	assert_string_equal(kinds(&p),
			    "drop_invalid_index create_index_concurrently");
	const plan_step *d = step(&p, 1), *c = step(&p, 2);
	assert_false(d->transactional);
	assert_string_equal(d->forward,
			    "DROP INDEX CONCURRENTLY IF EXISTS public.t_a;\n");
	assert_null(d->rollback);
	assert_non_null(d->no_rollback);
	assert_false(c->transactional);
	assert_string_equal(c->lock, "SHARE UPDATE EXCLUSIVE");
	assert_true(c->scans);
	assert_false(c->rewrites);
	assert_int_equal(c->hazards,
			 HZ_INDEX_BUILD | HZ_NOT_TRANSACTIONAL | HZ_TABLE_SCAN);
	assert_contains(c->forward, "CREATE INDEX CONCURRENTLY t_a ON public.t "
				    "USING btree (a) WHERE");
	assert_string_equal(c->rollback,
			    "DROP INDEX CONCURRENTLY IF EXISTS public.t_a;\n");
	assert_false(c->rollback_transactional);
	assert_string_equal(c->table, "public.t");
	assert_true(p.compatible);
	assert_int_equal(p.nreasons, 0);
	/* No source statistics: sizes unknown. */
	assert_int_equal(c->est_rows, -1);
	plan_release(&p);

	/* A unique index as well, and one dropped. */
	make_plan(&p, T0 "CREATE INDEX t_b ON t (b);",
		  T0 "CREATE UNIQUE INDEX t_ab ON t (a, b);", NULL);
	assert_string_equal(kinds(&p), "drop_index_concurrently "
				       "drop_invalid_index "
				       "create_index_concurrently");
	assert_string_equal(step(&p, 1)->forward,
			    "DROP INDEX CONCURRENTLY public.t_b;\n");
	assert_false(step(&p, 1)->transactional);
	assert_contains(step(&p, 1)->rollback,
			"CREATE INDEX CONCURRENTLY t_b ON public.t");
	assert_false(step(&p, 1)->rollback_transactional);
	assert_contains(step(&p, 3)->forward,
			"CREATE UNIQUE INDEX CONCURRENTLY t_ab ON public.t");
	plan_release(&p);
}

static void test_index_new_table(void **state)
{
	(void)state;
	plan p;
	make_plan(&p, T0,
		  T0
		  "CREATE TABLE u (id int PRIMARY KEY, v text NOT NULL, t_id "
		  "bigint REFERENCES t, CHECK (v <> ''));\n"
		  "CREATE INDEX u_v ON u (v);",
		  NULL);
	/* Nothing to protect on an empty table: the differ's own
	 * statements, in transactions, no CONCURRENTLY. */
	assert_not_contains(all_sql(&p, false), "CONCURRENTLY");
	assert_not_contains(all_sql(&p, false), "NOT VALID");
	for (int i = 1; i <= p.nsteps; i++) {
		assert_true(step(&p, i)->transactional);
		assert_int_equal(step(&p, i)->hazards, 0);
		assert_string_equal(step(&p, i)->lock, "none");
	}
	assert_contains(kinds(&p), "create_table");
	assert_contains(kinds(&p), "create_index");
	assert_not_contains(kinds(&p), "drop_invalid_index");
	assert_contains(all_sql(&p, true), "DROP TABLE public.u;");
	assert_true(p.compatible);
	plan_release(&p);
}

/* ---- constraints ------------------------------------------------------ */

static void test_fk_and_check(void **state)
{
	(void)state;
	plan p;
	make_plan(&p,
		  T0 "CREATE TABLE c (id int PRIMARY KEY, t_id bigint, q int);",
		  T0 "CREATE TABLE c (id int PRIMARY KEY, t_id bigint "
		     "REFERENCES t (id) ON DELETE CASCADE, q int CONSTRAINT "
		     "q_pos CHECK (q > 0));",
		  NULL);
	assert_string_equal(kinds(&p),
			    "add_check_not_valid validate_constraint "
			    "add_foreign_key_not_valid validate_constraint");
	const plan_step *ck = step(&p, 1), *v1 = step(&p, 2), *fk = step(&p, 3),
			*v2 = step(&p, 4);
	assert_string_equal(ck->forward, "ALTER TABLE public.c ADD CONSTRAINT "
					 "q_pos CHECK ((q > 0)) NOT VALID;\n");
	assert_string_equal(ck->lock, "ACCESS EXCLUSIVE");
	assert_false(ck->scans);
	assert_string_equal(ck->rollback,
			    "ALTER TABLE public.c DROP CONSTRAINT q_pos;\n");
	assert_string_equal(
	    v1->forward, "ALTER TABLE public.c VALIDATE CONSTRAINT q_pos;\n");
	assert_string_equal(v1->lock, "SHARE UPDATE EXCLUSIVE");
	assert_true(v1->scans);
	assert_int_equal(v1->hazards, HZ_TABLE_SCAN);
	assert_null(v1->rollback);
	assert_contains(fk->forward,
			"FOREIGN KEY (t_id) REFERENCES "
			"public.t(id) ON DELETE CASCADE NOT VALID;");
	assert_string_equal(fk->lock, "SHARE ROW EXCLUSIVE");
	assert_true(fk->hazards & HZ_BLOCKS_WRITES);
	assert_false(fk->hazards & HZ_ACCESS_EXCLUSIVE_LOCK);
	assert_contains(fk->rollback, "DROP CONSTRAINT c_t_id_fkey;");
	assert_contains(v2->forward, "VALIDATE CONSTRAINT c_t_id_fkey;");
	/* Verdict: both new constraints may reject the old code's rows. */
	assert_false(p.compatible);
	assert_int_equal(p.nreasons, 2);
	assert_int_equal(count_reasons(&p, "new check constraint"), 1);
	assert_int_equal(count_reasons(&p, "new foreign key"), 1);
	assert_true(ck->hazards & HZ_BREAKS_OLD_CODE);
	/* Data checks guard the validations. */
	const plan_check *k = find_check(&p, PLAN_CHECK_CHECK, 0);
	assert_non_null(k);
	assert_int_equal(k->step, 2);
	assert_string_equal(k->expr, "((q > 0))");
	k = find_check(&p, PLAN_CHECK_FOREIGN_KEY, 0);
	assert_non_null(k);
	assert_int_equal(k->step, 4);
	assert_string_equal(k->table, "c");
	assert_string_equal(k->ref_table, "t");
	assert_int_equal(k->ncolumns, 1);
	assert_string_equal(k->columns[0], "t_id");
	assert_int_equal(k->nref_columns, 1);
	assert_string_equal(k->ref_columns[0], "id");
	assert_false(k->ran);
	plan_release(&p);
}

static void test_set_not_null(void **state)
{
	(void)state;
	plan p;
	make_plan(
	    &p, T0,
	    "CREATE TABLE t (id bigint PRIMARY KEY, a integer NOT NULL, b "
	    "text);",
	    NULL);
	assert_string_equal(kinds(&p), "add_check_not_valid "
				       "validate_constraint set_not_null "
				       "drop_check");
	assert_string_equal(step(&p, 1)->forward,
			    "ALTER TABLE public.t ADD CONSTRAINT "
			    "a_not_null_schemig CHECK (a IS NOT NULL) NOT "
			    "VALID;\n");
	assert_true(step(&p, 2)->scans);
	assert_string_equal(step(&p, 2)->lock, "SHARE UPDATE EXCLUSIVE");
	assert_string_equal(
	    step(&p, 3)->forward,
	    "ALTER TABLE public.t ALTER COLUMN a SET NOT NULL;\n");
	assert_false(step(&p, 3)->scans);
	assert_string_equal(step(&p, 3)->rollback, "ALTER TABLE public.t ALTER "
						   "COLUMN a DROP NOT NULL;\n");
	assert_string_equal(step(&p, 4)->rollback, step(&p, 1)->forward);
	for (int i = 1; i <= 4; i++)
		assert_true(step(&p, i)->transactional);
	/* No default: old code that leaves it out breaks. */
	assert_false(p.compatible);
	assert_int_equal(p.nreasons, 1);
	assert_int_equal(p.reasons[0].step, 3);
	assert_contains(p.reasons[0].reason, "NOT NULL without a default");
	const plan_check *k = find_check(&p, PLAN_CHECK_NOT_NULL, 0);
	assert_non_null(k);
	assert_int_equal(k->step, 2);
	assert_string_equal(k->columns[0], "a");
	plan_release(&p);

	/* A default arriving with NOT NULL is set first: the deployed
	 * code's inserts that leave the column out keep working. */
	make_plan(
	    &p, T0,
	    "CREATE TABLE t (id bigint PRIMARY KEY, a integer, b text NOT "
	    "NULL DEFAULT 'z');",
	    NULL);
	assert_string_equal(kinds(&p), "set_default add_check_not_valid "
				       "validate_constraint set_not_null "
				       "drop_check");
	assert_string_equal(step(&p, 1)->forward,
			    "ALTER TABLE public.t ALTER COLUMN b SET DEFAULT "
			    "'z'::text;\n");
	assert_string_equal(
	    step(&p, 1)->rollback,
	    "ALTER TABLE public.t ALTER COLUMN b DROP DEFAULT;\n");
	assert_true(p.compatible);
	plan_release(&p);

	/* With a default: compatible. Before 12, SET NOT NULL scans. */
	plan_settings s = settings();
	s.server_version = 110000;
	make_plan(&p,
		  "CREATE TABLE t (id bigint PRIMARY KEY, a int DEFAULT 0);",
		  "CREATE TABLE t (id bigint PRIMARY KEY, a int NOT NULL "
		  "DEFAULT 0);",
		  &s);
	assert_string_equal(kinds(&p), "add_check_not_valid "
				       "validate_constraint set_not_null "
				       "drop_check");
	assert_true(p.compatible);
	assert_true(step(&p, 3)->scans);
	assert_true(step(&p, 3)->hazards & HZ_TABLE_SCAN);
	plan_release(&p);
}

static void test_unique_and_primary_key(void **state)
{
	(void)state;
	plan p;
	make_plan(
	    &p, "CREATE TABLE t (id bigint NOT NULL, a int, b int, c text);",
	    "CREATE TABLE t (id bigint NOT NULL, a int, b int, c text, "
	    "CONSTRAINT t_pkey PRIMARY KEY (id) INCLUDE (c), "
	    "CONSTRAINT t_a_key UNIQUE NULLS NOT DISTINCT (a) INCLUDE (b), "
	    "CONSTRAINT t_b_key UNIQUE (b) DEFERRABLE INITIALLY "
	    "DEFERRED);",
	    NULL);
	assert_string_equal(
	    kinds(&p),
	    "drop_invalid_index create_unique_index_concurrently "
	    "add_constraint_using_index drop_invalid_index "
	    "create_unique_index_concurrently add_constraint_using_index "
	    "drop_invalid_index create_unique_index_concurrently "
	    "add_constraint_using_index");
	const char *sql = all_sql(&p, false);
	assert_contains(sql, "CREATE UNIQUE INDEX CONCURRENTLY t_pkey ON "
			     "public.t USING btree (id) INCLUDE (c);\n");
	assert_contains(sql, "ALTER TABLE public.t ADD CONSTRAINT t_pkey "
			     "PRIMARY KEY USING INDEX t_pkey;\n");
	assert_contains(sql, "CREATE UNIQUE INDEX CONCURRENTLY t_a_key ON "
			     "public.t USING btree (a) INCLUDE (b) NULLS NOT "
			     "DISTINCT;\n");
	assert_contains(sql, "ALTER TABLE public.t ADD CONSTRAINT t_a_key "
			     "UNIQUE USING INDEX t_a_key;\n");
	assert_contains(sql, "CREATE UNIQUE INDEX CONCURRENTLY t_b_key ON "
			     "public.t USING btree (b);\n");
	assert_contains(sql, "ADD CONSTRAINT t_b_key UNIQUE USING INDEX "
			     "t_b_key DEFERRABLE INITIALLY DEFERRED;\n");
	for (int i = 1; i <= p.nsteps; i += 3) {
		assert_false(step(&p, i + 1)->transactional);
		assert_false(step(&p, i + 1)->rollback_transactional);
		assert_contains(step(&p, i + 1)->rollback,
				"DROP INDEX CONCURRENTLY IF EXISTS public.");
		assert_true(step(&p, i + 2)->transactional);
		assert_contains(step(&p, i + 2)->rollback, "DROP CONSTRAINT");
	}
	/* Unique checks on the builds; NOT NULL checks for the key. */
	assert_non_null(find_check(&p, PLAN_CHECK_UNIQUE, 2));
	const plan_check *nn = find_check(&p, PLAN_CHECK_NOT_NULL, 0);
	assert_non_null(nn);
	assert_string_equal(nn->columns[0], "id");
	assert_int_equal(count_reasons(&p, "new primary key"), 1);
	assert_int_equal(count_reasons(&p, "new unique key"), 2);
	plan_release(&p);

	/* A composite key with storage options. */
	make_plan(&p, "CREATE TABLE t (a int NOT NULL, b int NOT NULL);",
		  "CREATE TABLE t (a int NOT NULL, b int NOT NULL, PRIMARY KEY "
		  "(a, b));",
		  NULL);
	assert_contains(all_sql(&p, false),
			"CREATE UNIQUE INDEX CONCURRENTLY t_pkey ON public.t "
			"USING btree (a, b);\n");
	const plan_check *u = find_check(&p, PLAN_CHECK_UNIQUE, 0);
	assert_int_equal(u->ncolumns, 2);
	plan_release(&p);
}

/* ---- new columns ------------------------------------------------------ */

static void test_add_column_constant_default(void **state)
{
	(void)state;
	plan p;
	make_plan(
	    &p, T0,
	    "CREATE TABLE t (id bigint PRIMARY KEY, a integer, b text, "
	    "s text NOT NULL DEFAULT 'new', at timestamptz DEFAULT now());",
	    NULL);
	assert_string_equal(kinds(&p), "add_column add_column");
	for (int i = 1; i <= 2; i++) {
		assert_false(step(&p, i)->rewrites);
		assert_false(step(&p, i)->hazards & HZ_TABLE_REWRITE);
		assert_true(step(&p, i)->transactional);
		assert_contains(step(&p, i)->rollback, "DROP COLUMN");
	}
	assert_true(p.compatible);
	plan_release(&p);

	/* Before 11 a default rewrites. */
	plan_settings s = settings();
	s.server_version = 100000;
	make_plan(&p, T0,
		  "CREATE TABLE t (id bigint PRIMARY KEY, a integer, b text, "
		  "s text DEFAULT 'new');",
		  &s);
	assert_string_equal(kinds(&p), "add_column");
	assert_true(step(&p, 1)->rewrites);
	assert_true(step(&p, 1)->hazards & HZ_TABLE_REWRITE);
	plan_release(&p);
}

static void test_add_column_volatile(void **state)
{
	(void)state;
	plan p;
	plan_settings s = settings();
	s.batch_size = 777;
	make_plan(&p, T0,
		  "CREATE TABLE t (id bigint PRIMARY KEY, a integer, b text, "
		  "r float8 DEFAULT random());",
		  &s);
	assert_string_equal(kinds(&p),
			    "add_column_nullable set_default backfill");
	assert_string_equal(step(&p, 1)->forward,
			    "ALTER TABLE public.t ADD COLUMN r double "
			    "precision;\n");
	assert_contains(step(&p, 1)->rollback, "DROP COLUMN r");
	assert_string_equal(step(&p, 2)->forward,
			    "ALTER TABLE public.t ALTER COLUMN r SET DEFAULT "
			    "random();\n");
	const plan_step *b = step(&p, 3);
	assert_false(b->transactional);
	assert_int_equal(b->batch_size, 777);
	assert_int_equal(b->batch_pause_ms, 50);
	assert_int_equal(b->hazards, HZ_BACKFILL | HZ_NOT_TRANSACTIONAL);
	assert_null(b->rollback);
	assert_contains(b->forward, "LIMIT 777");
	assert_contains(b->forward, "UPDATE public.t SET r = random() WHERE "
				    "id >= lo AND id <= hi AND (r IS NULL);");
	assert_true(p.compatible);
	plan_release(&p);

	/* NOT NULL too: the safe NOT NULL steps follow the backfill. */
	make_plan(&p, T0,
		  "CREATE TABLE t (id bigint PRIMARY KEY, a integer, b text, "
		  "u uuid NOT NULL DEFAULT gen_random_uuid());",
		  NULL);
	assert_string_equal(kinds(&p),
			    "add_column_nullable set_default backfill "
			    "add_check_not_valid validate_constraint "
			    "set_not_null drop_check");
	assert_int_equal(step(&p, 3)->batch_size, 5000);
	assert_true(p.compatible);
	/* The backfill fills every row: no NOT NULL data check. */
	assert_null(find_check(&p, PLAN_CHECK_NOT_NULL, 0));
	plan_release(&p);
}

static void test_add_column_not_null_no_default(void **state)
{
	(void)state;
	plan p;
	make_plan(&p, T0,
		  "CREATE TABLE t (id bigint PRIMARY KEY, a integer, b text, "
		  "x int NOT NULL);",
		  NULL);
	assert_string_equal(kinds(&p), "add_column");
	assert_false(p.compatible);
	assert_int_equal(p.nreasons, 1);
	assert_contains(p.reasons[0].reason, "NOT NULL without a default");
	assert_true(step(&p, 1)->hazards & HZ_BREAKS_OLD_CODE);
	const plan_check *k = find_check(&p, PLAN_CHECK_ROWS, 0);
	assert_non_null(k);
	assert_int_equal(k->step, 1);
	assert_string_equal(k->table, "t");
	plan_release(&p);
}

/* ---- type changes ----------------------------------------------------- */

static void test_retype_in_place(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
	    {"varchar(20)", "varchar(40)"},
	    {"varchar(20)", "text"},
	    {"varchar", "text"},
	    {"text", "varchar"},
	    {"numeric(10,2)", "numeric(12,2)"},
	    {"numeric(10,2)", "numeric"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char a[128], b[128];
		snprintf(a, sizeof(a),
			 "CREATE TABLE t (id int PRIMARY KEY, c %s);",
			 cases[i][0]);
		snprintf(b, sizeof(b),
			 "CREATE TABLE t (id int PRIMARY KEY, c %s);",
			 cases[i][1]);
		plan p;
		make_plan(&p, a, b, NULL);
		assert_string_equal(kinds(&p), "alter_column_type");
		assert_false(step(&p, 1)->rewrites);
		assert_false(step(&p, 1)->hazards & HZ_TABLE_REWRITE);
		assert_contains(step(&p, 1)->note, "binary-compatible");
		assert_contains(step(&p, 1)->rollback, "TYPE");
		assert_true(p.compatible);
		plan_release(&p);
	}
	/* Not in place: another scale, a shorter varchar, other types. */
	assert_false(
	    pgp_type_change_in_place("numeric(10,2)", "numeric(12,3)"));
	assert_false(
	    pgp_type_change_in_place("numeric(12,2)", "numeric(10,2)"));
	assert_false(pgp_type_change_in_place("character varying(40)",
					      "character varying(20)"));
	assert_false(pgp_type_change_in_place("text", "character varying(5)"));
	assert_false(pgp_type_change_in_place("integer", "bigint"));
	assert_false(pgp_type_change_in_place("numeric", "numeric(10,2)"));
}

#define EC_FROM                                                                \
	"CREATE TABLE t (id bigint PRIMARY KEY, n integer NOT NULL DEFAULT "   \
	"7, m integer);\n"                                                     \
	"COMMENT ON COLUMN t.n IS 'the n';\n"

static void test_expand_contract(void **state)
{
	(void)state;
	plan p;
	make_plan(&p, EC_FROM,
		  "CREATE TABLE t (id bigint PRIMARY KEY, n bigint NOT NULL "
		  "DEFAULT 8, m integer);\n"
		  "COMMENT ON COLUMN t.n IS 'the n';\n",
		  NULL);
	assert_string_equal(kinds(&p),
			    "add_shadow_column create_sync_trigger backfill "
			    "add_check_not_valid validate_constraint "
			    "swap_column");
	assert_string_equal(step(&p, 1)->forward,
			    "ALTER TABLE public.t ADD COLUMN _schemig_new_n "
			    "bigint;\n");
	assert_string_equal(step(&p, 1)->lock, "ACCESS EXCLUSIVE");
	assert_false(step(&p, 1)->rewrites);
	assert_contains(step(&p, 2)->forward,
			"NEW._schemig_new_n := (NEW.n)::bigint;");
	assert_contains(step(&p, 2)->forward, "BEFORE INSERT OR UPDATE ON "
					      "public.t FOR EACH ROW");
	assert_contains(step(&p, 2)->rollback, "DROP TRIGGER IF EXISTS");
	assert_string_equal(step(&p, 2)->lock, "SHARE ROW EXCLUSIVE");
	const plan_step *b = step(&p, 3);
	assert_false(b->transactional);
	assert_contains(b->forward, "_schemig_new_n IS DISTINCT FROM "
				    "(n)::bigint");
	const plan_step *w = step(&p, 6);
	assert_true(w->transactional);
	assert_false(w->rewrites);
	assert_contains(w->forward,
			"ALTER TABLE public.t DROP COLUMN n;\n"
			"ALTER TABLE public.t RENAME COLUMN "
			"_schemig_new_n TO n;\n"
			"ALTER TABLE public.t ALTER COLUMN n SET "
			"DEFAULT 8;\n"
			"ALTER TABLE public.t ALTER COLUMN n SET NOT "
			"NULL;\n");
	assert_contains(w->forward, "COMMENT ON COLUMN public.t.n IS 'the n';");
	/* The rollback goes back to the old type with its default. */
	assert_contains(w->rollback,
			"ALTER COLUMN n TYPE integer USING (n)::integer;");
	assert_contains(w->rollback, "ALTER COLUMN n SET DEFAULT 7;");
	/* Widening: nothing can break, nothing to check. */
	assert_true(p.compatible);
	assert_null(find_check(&p, PLAN_CHECK_NARROW, 0));
	/* Every default statement is covered by the swap. */
	int defaults = 0;
	for (int i = 1; i <= p.nsteps; i++)
		defaults += !strcmp(step(&p, i)->kind, "set_default") ||
			    !strcmp(step(&p, i)->kind, "drop_default");
	assert_int_equal(defaults, 0);
	plan_release(&p);
}

static void test_expand_fallback_and_allow_rewrite(void **state)
{
	(void)state;
	plan p;
	/* An index on the column: the swap would lose it. */
	make_plan(&p, EC_FROM "CREATE INDEX t_m ON t (m);",
		  "CREATE TABLE t (id bigint PRIMARY KEY, n integer NOT NULL "
		  "DEFAULT 7, m bigint);\n"
		  "COMMENT ON COLUMN t.n IS 'the n';\n"
		  "CREATE INDEX t_m ON t (m);",
		  NULL);
	assert_string_equal(kinds(&p), "alter_column_type");
	assert_true(step(&p, 1)->rewrites);
	assert_true(step(&p, 1)->hazards & HZ_TABLE_REWRITE);
	assert_true(step(&p, 1)->hazards & HZ_ACCESS_EXCLUSIVE_LOCK);
	assert_contains(step(&p, 1)->note, "an index uses the column");
	assert_contains(step(&p, 1)->rollback, "TYPE integer");
	plan_release(&p);

	/* The differ's DROP DEFAULT, type change and SET DEFAULT: one step,
	 * so that no insert in between misses the default, and a plan that
	 * stops at the type change leaves the default in place. */
	make_plan(&p, EC_FROM "CREATE INDEX t_n ON t (n);",
		  "CREATE TABLE t (id bigint PRIMARY KEY, n bigint NOT NULL "
		  "DEFAULT 8, m integer);\n"
		  "COMMENT ON COLUMN t.n IS 'the n';\n"
		  "CREATE INDEX t_n ON t (n);",
		  NULL);
	assert_string_equal(kinds(&p), "alter_column_type");
	assert_string_equal(
	    step(&p, 1)->forward,
	    "ALTER TABLE public.t ALTER COLUMN n DROP DEFAULT;\n"
	    "ALTER TABLE public.t ALTER COLUMN n TYPE bigint "
	    "USING n::bigint;\n"
	    "ALTER TABLE public.t ALTER COLUMN n SET DEFAULT 8;\n");
	assert_true(step(&p, 1)->transactional);
	assert_true(step(&p, 1)->rewrites);
	assert_string_equal(
	    step(&p, 1)->rollback,
	    "ALTER TABLE public.t ALTER COLUMN n DROP DEFAULT;\n"
	    "ALTER TABLE public.t ALTER COLUMN n TYPE integer "
	    "USING n::integer;\n"
	    "ALTER TABLE public.t ALTER COLUMN n SET DEFAULT 7;\n");
	assert_contains(step(&p, 1)->note, "an index uses the column");
	plan_release(&p);

	/* --allow-rewrite: in place, flagged, with the default statements. */
	plan_settings s = settings();
	s.allow_rewrite = true;
	make_plan(&p, EC_FROM,
		  "CREATE TABLE t (id bigint PRIMARY KEY, n bigint NOT NULL "
		  "DEFAULT 7, m integer);\n"
		  "COMMENT ON COLUMN t.n IS 'the n';\n",
		  &s);
	assert_string_equal(kinds(&p), "alter_column_type");
	for (int i = 1; i <= p.nsteps; i++)
		if (!strcmp(step(&p, i)->kind, "alter_column_type")) {
			assert_true(step(&p, i)->rewrites);
			assert_contains(step(&p, i)->note, "--allow-rewrite");
		}
	plan_release(&p);
}

static void test_narrowing(void **state)
{
	(void)state;
	plan p;
	make_plan(&p, "CREATE TABLE t (id int PRIMARY KEY, n bigint);",
		  "CREATE TABLE t (id int PRIMARY KEY, n integer);", NULL);
	assert_string_equal(kinds(&p), "add_shadow_column create_sync_trigger "
				       "backfill swap_column");
	assert_false(p.compatible);
	assert_int_equal(count_reasons(&p, "narrows from bigint to integer"),
			 1);
	const plan_check *k = find_check(&p, PLAN_CHECK_NARROW, 0);
	assert_non_null(k);
	assert_string_equal(k->columns[0], "n");
	assert_string_equal(k->type, "integer");
	assert_int_equal(k->step, 3);
	plan_release(&p);

	/* Rewritten in place: the same reason and check on that step. */
	plan_settings s = settings();
	s.allow_rewrite = true;
	make_plan(&p, "CREATE TABLE t (id int PRIMARY KEY, c varchar(40));",
		  "CREATE TABLE t (id int PRIMARY KEY, c varchar(10));", &s);
	assert_string_equal(kinds(&p), "alter_column_type");
	assert_false(p.compatible);
	k = find_check(&p, PLAN_CHECK_NARROW, 0);
	assert_non_null(k);
	assert_int_equal(k->step, 1);
	assert_string_equal(k->type, "character varying(10)");
	plan_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_index_existing_table),
	    cmocka_unit_test(test_index_new_table),
	    cmocka_unit_test(test_fk_and_check),
	    cmocka_unit_test(test_set_not_null),
	    cmocka_unit_test(test_unique_and_primary_key),
	    cmocka_unit_test(test_add_column_constant_default),
	    cmocka_unit_test(test_add_column_volatile),
	    cmocka_unit_test(test_add_column_not_null_no_default),
	    cmocka_unit_test(test_retype_in_place),
	    cmocka_unit_test(test_expand_contract),
	    cmocka_unit_test(test_expand_fallback_and_allow_rewrite),
	    cmocka_unit_test(test_narrowing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
