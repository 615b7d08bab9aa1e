/* A model's one-UPDATE data migration made the engine's batched backfill
 * (dialect->draft_backfill): the SET list and the condition cut from the
 * model's text, never a comment that would swallow what the batch adds
 * after them (its key range, its checkpoint); what is no plain UPDATE
 * of a keyed table of the source is left as it was written. */
#include "pg_plan_util.h"

static const char from_sql[] =
    "CREATE TABLE public.users (id bigint PRIMARY KEY, name text,"
    " first_name text, last_name text);\n"
    "CREATE TABLE public.loose (name text, first_name text);\n";

/* Run draft_backfill on a step whose forward SQL is `sql`: its result,
 * and the step into *out (in `p`). */
static int convert(plan *p, const char *sql, int batch, plan_step **out)
{
	model *from = parse(from_sql, "from.sql");
	error e = ERROR_INIT;
	plan_step *s =
	    plan_add_step(p, "data_migration", "public.users", NULL, sql);
	s->batch_size = batch;
	int r = dialect_postgres.draft_backfill(from, p, s, &e);
	assert_int_equal(e.code, 0);
	model_free(from);
	*out = s;
	return r;
}

static void test_converted(void **state)
{
	(void)state;
	plan p;
	plan_step *s;
	plan_init(&p);
	assert_int_equal(
	    convert(
		&p,
		"UPDATE public.users SET first_name = split_part(name, ' ', "
		"1), last_name = 'x;y' /* inside */ || name\n"
		"WHERE name IS NOT NULL;\n",
		0, &s),
	    1);
	assert_string_equal(s->kind, "backfill");
	assert_false(s->transactional);
	assert_non_null(s->backfill);
	assert_string_equal(s->backfill->set,
			    "first_name = split_part(name, ' ', 1), last_name "
			    "= 'x;y' /* inside */ || name");
	assert_string_equal(s->backfill->pending, "name IS NOT NULL");
	assert_string_equal(s->backfill->key, "id");
	assert_string_equal(s->backfill->key_type, "bigint");
	assert_int_equal(s->batch_size, 5000);
	assert_non_null(strstr(s->forward, "DO $schemig$"));
	plan_release(&p);
}

/* A trailing line comment stays out of both fragments: in the batch's
 * statement it would comment out the key range after them. */
static void test_trailing_comments_left_out(void **state)
{
	(void)state;
	plan p;
	plan_step *s;
	plan_init(&p);
	assert_int_equal(convert(&p,
				 "UPDATE public.users SET first_name = name -- "
				 "all of it\nWHERE true -- no, every row\n;",
				 2000, &s),
			 1);
	assert_string_equal(s->backfill->set, "first_name = name");
	assert_string_equal(s->backfill->pending, "true");
	assert_null(strstr(s->forward, "--"));
	assert_int_equal(s->batch_size, 2000);
	plan_release(&p);

	plan_init(&p);
	assert_int_equal(convert(&p,
				 "UPDATE public.users SET first_name = name -- "
				 "no condition",
				 0, &s),
			 1);
	assert_string_equal(s->backfill->set, "first_name = name");
	assert_string_equal(s->backfill->pending, "true");
	plan_release(&p);
}

static void test_left_as_written(void **state)
{
	(void)state;
	static const char *const kept[] = {
	    /* FROM, an alias, RETURNING, WITH: not the plain shape. */
	    "UPDATE public.users SET name = l.name FROM public.loose l "
	    "WHERE l.first_name = users.first_name;",
	    "UPDATE public.users u SET name = u.first_name;",
	    "UPDATE public.users SET name = first_name RETURNING id;",
	    "WITH x AS (SELECT 1) UPDATE public.users SET name = 'a';",
	    /* No one-column key; not in the source; not an UPDATE. */
	    "UPDATE public.loose SET first_name = name;",
	    "UPDATE public.nowhere SET a = 1;",
	    "DELETE FROM public.users WHERE name IS NULL;",
	    "UPDATE public.users SET name = 'a'; UPDATE public.users SET "
	    "first_name = 'b';",
	};
	for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
		plan p;
		plan_step *s;
		plan_init(&p);
		if (convert(&p, kept[i], 0, &s) != 0)
			fail_msg("made a backfill of: %s", kept[i]);
		assert_string_equal(s->forward, kept[i]);
		assert_null(s->backfill);
		plan_release(&p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_converted),
	    cmocka_unit_test(test_trailing_comments_left_out),
	    cmocka_unit_test(test_left_as_written),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
