/* The pure parts of draft/ and dialect->draft_statements, without a
 * server or a model: the answer schema is strict, lock ranks, the answer's
 * shape, and what the PostgreSQL member lists for each statement. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "dialects/dialect.h"
#include "draft/draft.h"

/* Every object in the schema has additionalProperties false and every
 * property required, as strict structured output demands. */
static void assert_strict(const json_t *o)
{
	if (!json_is_object(o))
		return;
	const char *type = json_string_value(json_object_get(o, "type"));
	if (type && !strcmp(type, "object")) {
		const json_t *props = json_object_get(o, "properties");
		const json_t *req = json_object_get(o, "required");
		assert_true(
		    json_is_false(json_object_get(o, "additionalProperties")));
		assert_int_equal(json_object_size(props), json_array_size(req));
		size_t i;
		const json_t *r;
		json_array_foreach(req, i, r)
		{
			assert_non_null(
			    json_object_get(props, json_string_value(r)));
		}
	}
	const char *k;
	const json_t *v;
	json_object_foreach((json_t *)o, k, v) assert_strict(v);
}

static void test_schema_strict(void **state)
{
	(void)state;
	json_t *s = draft_answer_schema();
	assert_strict(s);
	const json_t *step = json_object_get(
	    json_object_get(json_object_get(s, "properties"), "steps"),
	    "items");
	assert_int_equal(json_array_size(json_object_get(step, "required")), 7);
	/* The answer's four parts, sample rows among them. */
	assert_int_equal(json_array_size(json_object_get(s, "required")), 4);
	const json_t *val = json_object_get(
	    json_object_get(
		json_object_get(
		    json_object_get(json_object_get(s, "properties"),
				    "samples"),
		    "items"),
		"properties"),
	    "before");
	val = json_object_get(
	    json_object_get(json_object_get(val, "items"), "properties"),
	    "value");
	assert_string_equal(
	    json_string_value(json_array_get(json_object_get(val, "type"), 1)),
	    "null");
	json_decref(s);
}

static void test_lock_rank(void **state)
{
	(void)state;
	assert_int_equal(draft_lock_rank("none"), 0);
	assert_int_equal(draft_lock_rank(NULL), 0);
	assert_int_equal(draft_lock_rank("SHARE UPDATE EXCLUSIVE"), 1);
	assert_int_equal(draft_lock_rank("SHARE"), 2);
	assert_int_equal(draft_lock_rank("SHARE ROW EXCLUSIVE"), 2);
	assert_int_equal(draft_lock_rank("ACCESS EXCLUSIVE"), 3);
	assert_int_equal(draft_lock_rank("whatever"), 3);
}

static void test_answer_check(void **state)
{
	(void)state;
	error e = ERROR_INIT;
	json_t *a = json_loads(
	    "{\"summary\":\"\",\"renames\":[],\"steps\":[{\"kind\":\"k\","
	    "\"object\":\"o\",\"forward\":\"SELECT 1;\",\"rollback\":\"\","
	    "\"transactional\":true,\"explanation\":\"\"}]}",
	    0, NULL);
	assert_int_equal(draft_answer_check(a, &e), 0);
	json_object_set_new(json_array_get(json_object_get(a, "steps"), 0),
			    "forward", json_string(""));
	assert_int_equal(draft_answer_check(a, &e), -1);
	assert_non_null(strstr(e.msg, "step 1 has no forward SQL"));
	error_clear(&e);
	json_object_set_new(a, "steps", json_array());
	assert_int_equal(draft_answer_check(a, &e), -1);
	error_clear(&e);
	json_decref(a);
}

/* kind, known and objects of the first statement of `sql`, as one
 * string: "kind known obj,obj". */
static void listed(const char *sql, const char *want)
{
	const dialect *d = dialect_find("postgres");
	json_t *out = NULL;
	error e = ERROR_INIT;
	assert_int_equal(d->draft_statements(sql, "t", &out, &e), 0);
	const json_t *st = json_array_get(out, 0);
	char buf[512];
	int n = snprintf(buf, sizeof(buf), "%s %d",
			 json_string_value(json_object_get(st, "kind")),
			 json_is_true(json_object_get(st, "known")));
	size_t i;
	const json_t *o;
	json_array_foreach(json_object_get(st, "objects"), i, o)
	{
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "%s%s",
			      i ? "," : " ", json_string_value(o));
	}
	assert_string_equal(buf, want);
	json_decref(out);
}

static void test_pg_statements(void **state)
{
	(void)state;
	listed("CREATE INDEX CONCURRENTLY users_email_idx ON users (email)",
	       "index_stmt 1 public.users,public.users_email_idx");
	listed("DROP TABLE public.audit, s.\"Other\"",
	       "drop_stmt 1 public.audit,s.\"Other\"");
	listed("ALTER TABLE app.t ADD CONSTRAINT f FOREIGN KEY (a) "
	       "REFERENCES app.u (id) NOT VALID",
	       "alter_table_stmt 1 app.t,app.u");
	listed("ALTER TABLE users RENAME TO people",
	       "rename_stmt 1 public.users,public.people");
	listed("GRANT SELECT ON public.audit TO x",
	       "grant_stmt 1 public.audit");
	listed("COMMENT ON TABLE audit IS 'x'", "comment_stmt 1 public.audit");
	listed("COMMENT ON COLUMN app.t.c IS 'x'", "comment_stmt 1 app.t");
	listed("ALTER TYPE mood ADD VALUE 'meh'",
	       "alter_enum_stmt 1 public.mood");
	listed("DO $$ BEGIN DROP TABLE audit; END $$", "do_stmt 0");
	listed("UPDATE users SET n = 1 WHERE id IN (SELECT id FROM audit)",
	       "update_stmt 1 public.users,public.audit");

	/* What does not parse fails with its position. */
	json_t *out = NULL;
	error e = ERROR_INIT;
	assert_int_equal(dialect_find("postgres")
			     ->draft_statements("ALTER TABLE x ADD",
						"step 1 forward", &out, &e),
			 -1);
	assert_non_null(strstr(e.msg, "step 1 forward:1:"));
	error_clear(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_schema_strict),
	    cmocka_unit_test(test_lock_rank),
	    cmocka_unit_test(test_answer_check),
	    cmocka_unit_test(test_pg_statements),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
