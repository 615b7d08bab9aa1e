/*
 * The JSON form of what the execution core ran (exec.h), written and
 * read through one table of fields, so that both sides cannot drift.
 * The step keys are the dry-run report's (`report --dry-run` reads
 * them): unknown values are null.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "exec.h"

enum field_type {
	F_INT,	     /* int, required */
	F_STR,	     /* char *, required */
	F_STR_NULL,  /* char *, NULL as null */
	F_BOOL,	     /* bool */
	F_REAL,	     /* double */
	F_COUNT,     /* long long, -1 as null */
	F_REAL_NULL, /* double, < 0 as null */
};

typedef struct field {
	const char *key;
	enum field_type type;
	size_t off;
} field;

#define FIELD(k, t, m)                                                         \
	{                                                                      \
		k, t, offsetof(exec_step, m)                                   \
	}
static const field step_fields[] = {
    FIELD("n", F_INT, n),
    FIELD("kind", F_STR, kind),
    FIELD("object", F_STR_NULL, object),
    FIELD("table", F_STR_NULL, table),
    FIELD("ok", F_BOOL, ok),
    FIELD("error", F_STR_NULL, error),
    FIELD("wall_ms", F_REAL, wall_ms),
    FIELD("lock_wait_ms", F_REAL, lock_wait_ms),
    FIELD("lock_held_ms", F_REAL, lock_held_ms),
    FIELD("strongest_lock", F_STR_NULL, strongest_lock),
    FIELD("rows", F_COUNT, rows),
    FIELD("table_bytes_before", F_COUNT, table_bytes_before),
    FIELD("table_bytes_after", F_COUNT, table_bytes_after),
    FIELD("index_bytes_before", F_COUNT, index_bytes_before),
    FIELD("index_bytes_after", F_COUNT, index_bytes_after),
    FIELD("wal_bytes", F_COUNT, log_bytes),
    FIELD("source_rows", F_COUNT, source_rows),
    FIELD("projected_ms", F_REAL_NULL, projected_ms),
};
#define NFIELDS (sizeof(step_fields) / sizeof(step_fields[0]))

#define AT(s, f, type)	 ((type *)((char *)(s) + (f)->off))
#define AT_C(s, f, type) ((const type *)((const char *)(s) + (f)->off))

/* A string jansson refuses (not UTF-8) is null rather than a key
 * silently missing. */
static json_t *jstr(const char *s)
{
	json_t *j = s ? json_string(s) : NULL;
	return j ? j : json_null();
}

json_t *exec_step_json(const exec_step *s)
{
	json_t *o = json_object();
	for (size_t i = 0; i < NFIELDS; i++) {
		const field *f = &step_fields[i];
		json_t *v = NULL;
		switch (f->type) {
		case F_INT:
			v = json_integer(*AT_C(s, f, int));
			break;
		case F_STR:
		case F_STR_NULL:
			v = jstr(*AT_C(s, f, char *));
			break;
		case F_BOOL:
			v = json_boolean(*AT_C(s, f, bool));
			break;
		case F_REAL:
			v = json_real(*AT_C(s, f, double));
			break;
		case F_COUNT: {
			long long n = *AT_C(s, f, long long);
			v = n < 0 ? json_null() : json_integer(n);
			break;
		}
		case F_REAL_NULL: {
			double d = *AT_C(s, f, double);
			v = d < 0 ? json_null() : json_real(d);
			break;
		}
		}
		json_object_set_new(o, f->key, v);
	}
	return o;
}

static json_t *steps_json(const exec_step *steps, int n)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, exec_step_json(&steps[i]));
	return a;
}

json_t *exec_result_json(const exec_result *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "steps", steps_json(r->steps, r->nsteps));
	json_object_set_new(o, "rollback_steps",
			    steps_json(r->rollback_steps, r->nrollback_steps));
	json_object_set_new(o, "failed_step",
			    r->failed_step ? json_integer(r->failed_step)
					   : json_null());
	json_object_set_new(o, "interrupted", json_boolean(r->interrupted));
	return o;
}

/* Reading */

static int bad(error *e, const char *at, const char *key, const char *what)
{
	return error_set(e, EXIT_USAGE, "%s%s%s: %s", at, *at ? "." : "", key,
			 what);
}

/* Every key of `o` is one of `keys` (NULL-terminated). */
static int only_keys(const json_t *o, const char *at, const char *const *keys,
		     error *e)
{
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)o, k, v)
	{
		bool known = false;
		for (int i = 0; keys[i] && !known; i++)
			known = !strcmp(keys[i], k);
		if (!known)
			return bad(e, at, k, "unknown key");
	}
	return 0;
}

static int read_field(exec_result *r, const json_t *v, exec_step *s,
		      const field *f, const char *at, error *e)
{
	bool null = json_is_null(v);
	switch (f->type) {
	case F_INT:
		if (!json_is_integer(v))
			return bad(e, at, f->key, "expected an integer");
		*AT(s, f, int) = (int)json_integer_value(v);
		return 0;
	case F_STR:
	case F_STR_NULL:
		if (!json_is_string(v) && !(null && f->type == F_STR_NULL))
			return bad(e, at, f->key,
				   f->type == F_STR ? "expected a string"
						    : "expected a string or "
						      "null");
		*AT(s, f, char *) =
		    null ? NULL : arena_strdup(&r->arena, json_string_value(v));
		return 0;
	case F_BOOL:
		if (!json_is_boolean(v))
			return bad(e, at, f->key, "expected true or false");
		*AT(s, f, bool) = json_is_true(v);
		return 0;
	case F_REAL:
		if (!json_is_number(v))
			return bad(e, at, f->key, "expected a number");
		*AT(s, f, double) = json_number_value(v);
		return 0;
	case F_COUNT:
		if (!null && (!json_is_integer(v) || json_integer_value(v) < 0))
			return bad(e, at, f->key, "expected a count or null");
		*AT(s, f, long long) = null ? -1 : json_integer_value(v);
		return 0;
	case F_REAL_NULL:
		if (!null && (!json_is_number(v) || json_number_value(v) < 0))
			return bad(e, at, f->key, "expected a number or null");
		*AT(s, f, double) = null ? -1 : json_number_value(v);
		return 0;
	}
	return 0;
}

static int read_step(exec_result *r, const json_t *o, exec_step *s,
		     const char *at, error *e)
{
	const char *keys[NFIELDS + 1] = {NULL};
	for (size_t i = 0; i < NFIELDS; i++)
		keys[i] = step_fields[i].key;
	if (!json_is_object(o))
		return error_set(e, EXIT_USAGE, "%s: expected an object", at);
	if (only_keys(o, at, keys, e) < 0)
		return -1;
	for (size_t i = 0; i < NFIELDS; i++) {
		const json_t *v = json_object_get(o, step_fields[i].key);
		if (!v)
			return bad(e, at, step_fields[i].key, "missing");
		if (read_field(r, v, s, &step_fields[i], at, e) < 0)
			return -1;
	}
	return 0;
}

static int read_steps(exec_result *r, const json_t *root, const char *key,
		      bool rollback, error *e)
{
	const json_t *a = json_object_get(root, key);
	if (!a)
		return bad(e, "", key, "missing");
	if (!json_is_array(a))
		return bad(e, "", key, "expected an array");
	for (size_t i = 0; i < json_array_size(a); i++) {
		char at[64];
		snprintf(at, sizeof(at), "%s[%zu]", key, i);
		exec_step *s =
		    rollback
			? ARENA_PUSH(&r->arena, r->rollback_steps,
				     r->nrollback_steps, r->crollback_steps)
			: ARENA_PUSH(&r->arena, r->steps, r->nsteps, r->csteps);
		if (read_step(r, json_array_get(a, i), s, at, e) < 0)
			return -1;
	}
	return 0;
}

int exec_result_from_json(const json_t *j, exec_result *r, error *e)
{
	static const char *const keys[] = {"steps", "rollback_steps",
					   "failed_step", "interrupted", NULL};
	exec_result_init(r);
	if (!json_is_object(j))
		return error_set(e, EXIT_USAGE, "expected an object");
	const json_t *failed = json_object_get(j, "failed_step"),
		     *intr = json_object_get(j, "interrupted");
	if (only_keys(j, "", keys, e) < 0 ||
	    read_steps(r, j, "steps", false, e) < 0 ||
	    read_steps(r, j, "rollback_steps", true, e) < 0)
		return -1;
	if (!failed)
		return bad(e, "", "failed_step", "missing");
	if (!json_is_null(failed) &&
	    (!json_is_integer(failed) || json_integer_value(failed) < 1))
		return bad(e, "", "failed_step",
			   "expected a step number or null");
	if (!intr)
		return bad(e, "", "interrupted", "missing");
	if (!json_is_boolean(intr))
		return bad(e, "", "interrupted", "expected true or false");
	r->failed_step =
	    json_is_null(failed) ? 0 : (int)json_integer_value(failed);
	r->interrupted = json_is_true(intr);
	return 0;
}
