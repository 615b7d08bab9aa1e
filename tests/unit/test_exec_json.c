/* The execution core's result in JSON (exec/exec_json.c): a round trip
 * keeps every field (unknown values as null), and the strict reader
 * names the key of a malformed document. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "exec/exec.h"

/* Two forward steps (the second failed, nothing measured) and one
 * rollback. */
static void build(exec_result *r)
{
	exec_result_init(r);
	exec_step *s = ARENA_PUSH(&r->arena, r->steps, r->nsteps, r->csteps);
	*s = (exec_step){.n = 1,
			 .kind = arena_strdup(&r->arena, "add_column"),
			 .object = arena_strdup(&r->arena, "public.t.\"ü\""),
			 .table = arena_strdup(&r->arena, "public.t"),
			 .ok = true,
			 .wall_ms = 12.5,
			 .lock_wait_ms = 0.25,
			 .lock_held_ms = 3,
			 .strongest_lock =
			     arena_strdup(&r->arena, "AccessExclusiveLock"),
			 .rows = 50000,
			 .table_bytes_before = 8192,
			 .table_bytes_after = 16384,
			 .index_bytes_before = 0,
			 .index_bytes_after = 4096,
			 .log_bytes = 1234,
			 .source_rows = 1000000,
			 .projected_ms = 250};
	s = ARENA_PUSH(&r->arena, r->steps, r->nsteps, r->csteps);
	*s = (exec_step){.n = 2,
			 .kind = arena_strdup(&r->arena, "validate_constraint"),
			 .error = arena_strdup(&r->arena, "ERROR:  canceled"),
			 .wall_ms = 1,
			 .rows = -1,
			 .table_bytes_before = -1,
			 .table_bytes_after = -1,
			 .index_bytes_before = -1,
			 .index_bytes_after = -1,
			 .log_bytes = -1,
			 .source_rows = -1,
			 .projected_ms = -1};
	exec_step *rb = ARENA_PUSH(&r->arena, r->rollback_steps,
				   r->nrollback_steps, r->crollback_steps);
	*rb = r->steps[0];
	rb->projected_ms = 0;
	r->failed_step = 2;
	r->interrupted = true;
}

static void test_round_trip(void **state)
{
	(void)state;
	exec_result r, back;
	error e = ERROR_INIT;
	build(&r);
	json_t *j = exec_result_json(&r);
	char *text = json_dumps(j, JSON_SORT_KEYS);
	json_t *parsed = json_loads(text, 0, NULL);
	assert_non_null(parsed);
	assert_int_equal(exec_result_from_json(parsed, &back, &e), 0);
	assert_int_equal(back.nsteps, 2);
	assert_int_equal(back.nrollback_steps, 1);
	assert_int_equal(back.failed_step, 2);
	assert_true(back.interrupted);
	const exec_step *a = &back.steps[0], *b = &back.steps[1];
	assert_string_equal(a->object, "public.t.\"ü\"");
	assert_string_equal(a->strongest_lock, "AccessExclusiveLock");
	assert_true(a->ok);
	assert_true(a->wall_ms == 12.5 && a->lock_wait_ms == 0.25);
	assert_int_equal(a->rows, 50000);
	assert_int_equal(a->index_bytes_after, 4096);
	assert_int_equal(a->log_bytes, 1234);
	assert_true(a->projected_ms == 250);
	assert_false(b->ok);
	assert_null(b->object);
	assert_null(b->strongest_lock);
	assert_string_equal(b->error, "ERROR:  canceled");
	assert_int_equal(b->rows, -1);
	assert_int_equal(b->log_bytes, -1);
	assert_true(b->projected_ms < 0);
	assert_true(back.rollback_steps[0].projected_ms == 0);
	/* Unknown values are null, under the report's key names. */
	json_t *s1 = json_array_get(json_object_get(parsed, "steps"), 1);
	assert_true(json_is_null(json_object_get(s1, "rows")));
	assert_true(json_is_null(json_object_get(s1, "projected_ms")));
	assert_non_null(json_object_get(s1, "wal_bytes"));
	/* And the same text again. */
	json_t *j2 = exec_result_json(&back);
	char *text2 = json_dumps(j2, JSON_SORT_KEYS);
	assert_string_equal(text, text2);
	free(text);
	free(text2);
	json_decref(j);
	json_decref(j2);
	json_decref(parsed);
	exec_result_release(&r);
	exec_result_release(&back);
}

/* `edit` applied to a good document must fail naming `want`. */
static void expect_bad(void (*edit)(json_t *), const char *want)
{
	exec_result r, back;
	error e = ERROR_INIT;
	build(&r);
	json_t *j = exec_result_json(&r);
	edit(j);
	assert_int_equal(exec_result_from_json(j, &back, &e), -1);
	assert_int_equal(e.code, EXIT_USAGE);
	assert_string_equal(e.msg, want);
	error_clear(&e);
	exec_result_release(&back);
	exec_result_release(&r);
	json_decref(j);
}

static json_t *step(json_t *j, const char *arr, size_t i)
{
	return json_array_get(json_object_get(j, arr), i);
}

static void wall_text(json_t *j)
{
	json_object_set_new(step(j, "steps", 1), "wall_ms", json_string("1"));
}

static void rows_missing(json_t *j)
{
	json_object_del(step(j, "rollback_steps", 0), "rows");
}

static void extra_key(json_t *j)
{
	json_object_set_new(step(j, "steps", 0), "rowz", json_integer(1));
}

static void failed_zero(json_t *j)
{
	json_object_set_new(j, "failed_step", json_integer(0));
}

static void steps_object(json_t *j)
{
	json_object_set_new(j, "steps", json_object());
}

static void test_malformed(void **state)
{
	(void)state;
	expect_bad(wall_text, "steps[1].wall_ms: expected a number");
	expect_bad(rows_missing, "rollback_steps[0].rows: missing");
	expect_bad(extra_key, "steps[0].rowz: unknown key");
	expect_bad(failed_zero, "failed_step: expected a step number or null");
	expect_bad(steps_object, "steps: expected an array");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
