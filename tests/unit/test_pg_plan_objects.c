/*
 * The PostgreSQL planner without a server, continued: enum values, drops,
 * deferred drops, declared renames, identifiers that need quoting, names
 * at the 63-byte limit, and tables without a one-column key.
 */
#include "pg_plan_util.h"

/* ---- enums, drops, renames -------------------------------------------- */

static void test_enum_value(void **state)
{
	(void)state;
	const char *from = "CREATE TYPE mood AS ENUM ('sad', 'ok');";
	const char *to = "CREATE TYPE mood AS ENUM ('sad', 'meh', 'ok');";
	plan_settings s = settings();
	plan p;
	s.server_version = 110000;
	make_plan(&p, from, to, &s);
	assert_string_equal(kinds(&p), "add_enum_value");
	assert_false(step(&p, 1)->transactional);
	assert_true(step(&p, 1)->hazards & HZ_NOT_TRANSACTIONAL);
	assert_contains(step(&p, 1)->forward,
			"ALTER TYPE public.mood ADD VALUE 'meh' AFTER 'sad';");
	assert_null(step(&p, 1)->rollback);
	assert_contains(step(&p, 1)->no_rollback, "cannot remove");
	assert_int_equal(p.settings.server_version, 110000);
	plan_release(&p);

	s.server_version = 150000;
	make_plan(&p, from, to, &s);
	assert_true(step(&p, 1)->transactional);
	assert_int_equal(step(&p, 1)->hazards, 0);
	plan_release(&p);

	/* No version given: 150000 without a live source. */
	make_plan(&p, from, to, NULL);
	assert_int_equal(p.settings.server_version, 150000);
	plan_release(&p);
}

static void test_drops(void **state)
{
	(void)state;
	plan p;
	make_plan(&p, T0 "CREATE TABLE old (id int);",
		  "CREATE TABLE t (id bigint PRIMARY KEY, a integer);", NULL);
	assert_string_equal(kinds(&p), "drop_column drop_table");
	assert_false(p.compatible);
	assert_int_equal(p.nreasons, 2);
	assert_int_equal(count_reasons(&p, "drops table public.old"), 1);
	assert_int_equal(count_reasons(&p, "drops column public.t.b"), 1);
	for (int i = 1; i <= 2; i++) {
		assert_true(step(&p, i)->hazards & HZ_DELETES_DATA);
		assert_true(step(&p, i)->hazards & HZ_BREAKS_OLD_CODE);
		assert_non_null(step(&p, i)->rollback);
		assert_contains(step(&p, i)->note, "not the rows");
	}
	assert_contains(step(&p, 2)->rollback, "CREATE TABLE public.old");
	assert_contains(step(&p, 1)->rollback, "ADD COLUMN b text");
	plan_release(&p);
}

static void test_defer_drops(void **state)
{
	(void)state;
	plan_settings s = settings();
	s.defer_drops = true;
	plan p;
	make_plan(&p, T0 "CREATE TABLE old (id int);",
		  "CREATE TABLE t (id bigint PRIMARY KEY, a integer);", &s);
	assert_string_equal(kinds(&p), "rename_aside rename_aside");
	assert_string_equal(step(&p, 2)->forward,
			    "ALTER TABLE public.old "
			    "RENAME TO _schemig_drop_old;\n");
	assert_string_equal(step(&p, 2)->rollback,
			    "ALTER TABLE public._schemig_drop_old RENAME TO "
			    "old;\n");
	assert_string_equal(step(&p, 1)->forward,
			    "ALTER TABLE public.t RENAME COLUMN b TO "
			    "_schemig_drop_b;\n");
	assert_string_equal(
	    step(&p, 1)->rollback,
	    "ALTER TABLE public.t RENAME COLUMN _schemig_drop_b "
	    "TO b;\n");
	for (int i = 1; i <= 2; i++)
		assert_false(step(&p, i)->hazards & HZ_DELETES_DATA);
	assert_int_equal(p.nreasons, 2);
	assert_int_equal(count_reasons(&p, "renamed aside"), 2);
	plan_release(&p);

	/* The next plan drops what was set aside. */
	make_plan(
	    &p, "CREATE TABLE t (id bigint PRIMARY KEY, _schemig_drop_b text);",
	    "CREATE TABLE t (id bigint PRIMARY KEY);", &s);
	assert_string_equal(kinds(&p), "drop_column");
	plan_release(&p);
}

static void test_renames(void **state)
{
	(void)state;
	static const char *const renames[] = {"users=people",
					      "people.name=full_name", NULL};
	plan p;
	make_plan_r(
	    &p,
	    "CREATE TABLE users (id int PRIMARY KEY, name text NOT "
	    "NULL, CONSTRAINT users_name_check CHECK (name <> ''));\n"
	    "CREATE INDEX users_name_idx ON users (name);\n"
	    "CREATE TABLE posts (id int, user_id int REFERENCES users "
	    "(id));",
	    "CREATE TABLE people (id int PRIMARY KEY, full_name text "
	    "NOT NULL, CONSTRAINT people_name_check CHECK (full_name <> "
	    "''));\n"
	    "CREATE INDEX people_name_idx ON people (full_name);\n"
	    "CREATE TABLE posts (id int, user_id int REFERENCES people "
	    "(id));",
	    NULL, renames);
	assert_string_equal(kinds(&p), "rename_table rename_constraint "
				       "rename_constraint rename_index "
				       "rename_column");
	assert_string_equal(step(&p, 1)->forward,
			    "ALTER TABLE public.users RENAME TO people;\n");
	assert_string_equal(step(&p, 1)->rollback,
			    "ALTER TABLE public.people RENAME TO users;\n");
	const char *sql = all_sql(&p, false);
	assert_contains(sql, "RENAME CONSTRAINT users_pkey TO people_pkey;");
	assert_contains(sql, "RENAME CONSTRAINT users_name_check TO "
			     "people_name_check;");
	assert_contains(sql, "ALTER INDEX public.users_name_idx RENAME TO "
			     "people_name_idx;");
	assert_contains(sql, "ALTER TABLE public.people RENAME COLUMN name TO "
			     "full_name;");
	assert_not_contains(sql, "DROP");
	assert_not_contains(sql, "CREATE");
	assert_int_equal(count_reasons(&p, "renamed"), 2);
	plan_release(&p);

	/* A serial's sequence follows too: made anew, it would restart the
	 * ids at 1 under rows that have them. */
	static const char *const table_only[] = {"users=people", NULL};
	make_plan_r(&p, "CREATE TABLE users (id serial PRIMARY KEY);",
		    "CREATE TABLE people (id serial PRIMARY KEY);", NULL,
		    table_only);
	assert_string_equal(kinds(&p), "rename_table rename_constraint "
				       "rename_sequence");
	assert_string_equal(step(&p, 3)->forward,
			    "ALTER SEQUENCE public.users_id_seq RENAME TO "
			    "people_id_seq;\n");
	assert_string_equal(step(&p, 3)->rollback,
			    "ALTER SEQUENCE public.people_id_seq RENAME TO "
			    "users_id_seq;\n");
	plan_release(&p);
}

/* ---- names ------------------------------------------------------------ */

static void test_quoted_identifiers(void **state)
{
	(void)state;
	plan p;
	make_plan(
	    &p,
	    "CREATE TABLE \"Order Items\" (\"Id\" bigint PRIMARY KEY, "
	    "\"select\" integer, \"we\"\"ird\" integer, \"größe\" text);\n"
	    "CREATE TABLE \"from\" (\"Id\" int PRIMARY KEY);",
	    "CREATE TABLE \"from\" (\"Id\" int PRIMARY KEY);\n"
	    "CREATE TABLE \"Order Items\" (\"Id\" bigint PRIMARY KEY, "
	    "\"select\" bigint, \"we\"\"ird\" integer NOT NULL, \"größe\" text "
	    "CONSTRAINT \"größe ok\" CHECK (\"größe\" <> ''), \"ünï\" uuid "
	    "DEFAULT gen_random_uuid(), \"Ref\" int REFERENCES \"from\", "
	    "CONSTRAINT \"uq \"\"x\"\"\" UNIQUE (\"select\"));\n"
	    "CREATE INDEX \"idx größe\" ON \"Order Items\" (\"größe\");",
	    NULL);
	const char *sql = all_sql(&p, false);
	assert_contains(sql,
			"ALTER TABLE public.\"Order Items\" ADD CONSTRAINT "
			"\"we\"\"ird_not_null_schemig\" CHECK "
			"(\"we\"\"ird\" IS NOT NULL) NOT VALID;");
	assert_contains(sql, "ALTER COLUMN \"we\"\"ird\" SET NOT NULL;");
	assert_contains(sql, "ADD CONSTRAINT \"größe ok\" CHECK");
	assert_contains(sql, "VALIDATE CONSTRAINT \"größe ok\";");
	assert_contains(sql, "CREATE INDEX CONCURRENTLY \"idx größe\" ON "
			     "public.\"Order Items\"");
	assert_contains(sql, "DROP INDEX CONCURRENTLY IF EXISTS public.\"idx "
			     "größe\";");
	assert_contains(sql,
			"CREATE UNIQUE INDEX CONCURRENTLY \"uq \"\"x\"\"\" "
			"ON public.\"Order Items\" USING btree "
			"(\"select\");");
	assert_contains(sql, "UNIQUE USING INDEX \"uq \"\"x\"\"\";");
	assert_contains(sql, "ADD COLUMN \"ünï\" uuid;");
	assert_contains(sql, "SET \"ünï\" = gen_random_uuid() WHERE \"Id\" >= "
			     "lo AND \"Id\" <= hi AND (\"ünï\" IS NULL);");
	assert_contains(sql, "lo public.\"Order Items\".\"Id\"%TYPE;");
	assert_contains(sql, "REFERENCES public.\"from\"(\"Id\") NOT VALID;");
	/* "select" is in a unique key: rewritten in place, flagged. */
	assert_contains(sql, "ALTER COLUMN \"select\" TYPE bigint");
	/* The data checks keep raw names. */
	const plan_check *k = find_check(&p, PLAN_CHECK_NOT_NULL, 0);
	assert_non_null(k);
	assert_string_equal(k->table, "Order Items");
	assert_string_equal(k->columns[0], "we\"ird");
	/* A name with a quote in the sync trigger and shadow column. */
	plan_release(&p);

	make_plan(&p,
		  "CREATE TABLE \"Order Items\" (\"Id\" bigint PRIMARY KEY, "
		  "\"we\"\"ird\" integer);",
		  "CREATE TABLE \"Order Items\" (\"Id\" bigint PRIMARY KEY, "
		  "\"we\"\"ird\" bigint);",
		  NULL);
	assert_string_equal(kinds(&p), "add_shadow_column create_sync_trigger "
				       "backfill swap_column");
	sql = all_sql(&p, false);
	assert_contains(sql, "ADD COLUMN \"_schemig_new_we\"\"ird\" bigint;");
	assert_contains(sql, "NEW.\"_schemig_new_we\"\"ird\" := "
			     "(NEW.\"we\"\"ird\")::bigint;");
	assert_contains(sql, "RENAME COLUMN \"_schemig_new_we\"\"ird\" TO "
			     "\"we\"\"ird\";");
	plan_release(&p);
}

/* Every name a helper statement introduces ("ADD CONSTRAINT x", "TO x",
 * "ADD COLUMN x", "CREATE TRIGGER x", "FUNCTION public.x"): at most 63
 * bytes once unquoted, and valid UTF-8 (no character cut in two). */
static int helper_names(const plan *p, const char *intro, char out[][128],
			int max)
{
	int n = 0;
	for (int i = 0; i < p->nsteps; i++) {
		const char *f = p->steps[i].forward;
		size_t il = strlen(intro);
		for (const char *q = strstr(f, intro); q;
		     q = strstr(q + 1, intro)) {
			const char *a = q + il, *e;
			char name[128];
			size_t l = 0;
			if (*a == '"') {
				for (e = a + 1;
				     *e && !(*e == '"' && e[1] != '"'); e++) {
					if (*e == '"')
						e++;
					name[l++] = *e;
				}
			} else {
				e = a + strcspn(a, " ;(\n");
				memcpy(name, a, (size_t)(e - a));
				l = (size_t)(e - a);
			}
			name[l] = '\0';
			if (strncmp(name, "_schemig", 8) &&
			    !strstr(name, "schemig"))
				continue;
			if (l > 63)
				fail_msg("helper name over 63 bytes: %s", name);
			/* A cut multibyte character leaves a lead byte
			 * without its continuation. */
			for (size_t k = 0; k < l; k++) {
				unsigned char ch = (unsigned char)name[k];
				int more = ch >= 0xF0	? 3
					   : ch >= 0xE0 ? 2
					   : ch >= 0xC0 ? 1
							: 0;
				for (int m = 1; m <= more; m++)
					if (k + (size_t)m >= l ||
					    ((unsigned char)
						 name[k + (size_t)m] &
					     0xC0) != 0x80)
						fail_msg("broken UTF-8 in %s",
							 name);
				k += (size_t)more;
			}
			bool seen = false;
			for (int k = 0; k < n; k++)
				seen |= !strcmp(out[k], name);
			if (!seen && n < max)
				snprintf(out[n++], 128, "%s", name);
		}
	}
	return n;
}

/* Helper names stay within 63 bytes and differ for different columns. */
static void test_long_names(void **state)
{
	(void)state;
	/* 63 bytes; a second one with the same first 61; a third with a
	 * two-byte character where the cuts fall. */
	const char *l63 =
	    "c23456789012345678901234567890123456789012345678901234567890123";
	char from[2048], to[2048], names[16][128];
	assert_int_equal(strlen(l63), 63);
	snprintf(from, sizeof(from),
		 "CREATE TABLE t (id int PRIMARY KEY, %s integer, %.61sxy "
		 "integer, %.30séééééééééééééé integer);",
		 l63, l63, l63);
	snprintf(to, sizeof(to),
		 "CREATE TABLE t (id int PRIMARY KEY, %s integer NOT NULL, "
		 "%.61sxy integer NOT NULL, %.30séééééééééééééé integer NOT "
		 "NULL);",
		 l63, l63, l63);
	plan p;
	make_plan(&p, from, to, NULL);
	assert_int_equal(p.nsteps, 12);
	assert_int_equal(helper_names(&p, "ADD CONSTRAINT ", names, 16), 3);
	plan_release(&p);

	/* Expand and contract: shadow column, check, function, trigger,
	 * distinct per column even where 40 or 63 bytes are the same. */
	snprintf(from, sizeof(from),
		 "CREATE TABLE t (id int PRIMARY KEY, %s integer NOT NULL, "
		 "%.61sxy integer NOT NULL, %.30séééééééééééééé integer NOT "
		 "NULL);",
		 l63, l63, l63);
	snprintf(to, sizeof(to),
		 "CREATE TABLE t (id int PRIMARY KEY, %s bigint NOT NULL, "
		 "%.61sxy bigint NOT NULL, %.30séééééééééééééé bigint NOT "
		 "NULL);",
		 l63, l63, l63);
	make_plan(&p, from, to, NULL);
	assert_string_equal(
	    kinds(&p), "add_shadow_column create_sync_trigger backfill "
		       "add_check_not_valid validate_constraint swap_column "
		       "add_shadow_column create_sync_trigger backfill "
		       "add_check_not_valid validate_constraint swap_column "
		       "add_shadow_column create_sync_trigger backfill "
		       "add_check_not_valid validate_constraint swap_column");
	assert_int_equal(helper_names(&p, "ADD COLUMN ", names, 16), 3);
	assert_int_equal(helper_names(&p, "ADD CONSTRAINT ", names, 16), 3);
	assert_int_equal(helper_names(&p, "CREATE TRIGGER ", names, 16), 3);
	assert_int_equal(helper_names(&p, "FUNCTION public.", names, 16), 3);
	plan_release(&p);

	/* Set aside: two long columns and two long tables. */
	plan_settings s = settings();
	s.defer_drops = true;
	snprintf(from, sizeof(from),
		 "CREATE TABLE t (id int PRIMARY KEY, %.60saaa text, %.60sbbb "
		 "text);\nCREATE TABLE %.60sttt (id int);\nCREATE TABLE "
		 "%.60suuu (id int);",
		 l63, l63, l63, l63);
	make_plan(&p, from, "CREATE TABLE t (id int PRIMARY KEY);", &s);
	assert_string_equal(kinds(&p), "rename_aside rename_aside "
				       "rename_aside rename_aside");
	assert_int_equal(helper_names(&p, " TO ", names, 16), 4);
	/* The rollback renames back from the same name. */
	for (int i = 1; i <= 4; i++) {
		const char *to_name = strstr(step(&p, i)->forward, " TO ") + 4;
		assert_contains(step(&p, i)->rollback,
				span(to_name, to_name + strcspn(to_name, ";")));
	}
	plan_release(&p);
}

/* ---- keys ------------------------------------------------------------- */

static void test_composite_key_and_no_key(void **state)
{
	(void)state;
	plan p;
	plan_settings s = settings();
	s.batch_size = 300;
	make_plan(&p,
		  "CREATE TABLE t (a int, b int, v int, PRIMARY KEY (a, b));",
		  "CREATE TABLE t (a int, b int, v int, r float8 DEFAULT "
		  "random(), PRIMARY KEY (a, b));",
		  &s);
	assert_string_equal(kinds(&p),
			    "add_column_nullable set_default backfill");
	const char *b = step(&p, 3)->forward;
	assert_contains(b, "WHERE ctid = ANY (ARRAY(SELECT ctid FROM public.t "
			   "WHERE r IS NULL LIMIT 300))");
	assert_contains(b, "EXIT WHEN n = 0;");
	assert_not_contains(b, "%TYPE");
	plan_release(&p);

	/* No key at all: expand and contract batches by ctid too, and the
	 * pending predicate makes every pass shrink the set. */
	make_plan(&p, "CREATE TABLE t (a int, v integer);",
		  "CREATE TABLE t (a int, v bigint);", &s);
	assert_string_equal(kinds(&p), "add_shadow_column create_sync_trigger "
				       "backfill swap_column");
	b = step(&p, 3)->forward;
	assert_contains(b, "WHERE _schemig_new_v IS DISTINCT FROM (v)::bigint "
			   "LIMIT 300");
	plan_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_enum_value),
	    cmocka_unit_test(test_drops),
	    cmocka_unit_test(test_defer_drops),
	    cmocka_unit_test(test_renames),
	    cmocka_unit_test(test_quoted_identifiers),
	    cmocka_unit_test(test_long_names),
	    cmocka_unit_test(test_composite_key_and_no_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
