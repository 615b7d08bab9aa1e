/* The plan file, read: the strict reader that rebuilds a plan from its
 * canonical JSON (plan_json.c writes it) and checks its id. A key
 * missing, unknown or of another type is an error naming its path. */
#include "plan.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct reader {
	const char *file;
	plan *p;
	error *e;
} reader;

/* Paths in messages ("verdict.data_checks[1].columns[0]") are a few
 * dozen characters: the format's nesting is fixed and shallow, and the
 * only keys that reach a path unchecked are unknown ones, for which a
 * cut name still points at the place. */
#define PATH_MAX_LEN 128

static void path_key(char *buf, const char *path, const char *key)
{
	if (snprintf(buf, PATH_MAX_LEN, "%s%s%s", path, *path ? "." : "",
		     key) >= PATH_MAX_LEN)
		strcpy(buf + PATH_MAX_LEN - 4, "...");
}

static void path_index(char *buf, const char *path, const char *key, int i)
{
	if (snprintf(buf, PATH_MAX_LEN, "%s%s%s[%d]", path, *path ? "." : "",
		     key, i) >= PATH_MAX_LEN)
		strcpy(buf + PATH_MAX_LEN - 4, "...");
}

static int bad(reader *r, const char *path, const char *what)
{
	return error_set(r->e, EXIT_USAGE, "%s: %s: %s", r->file, path, what);
}

/* Unknown keys are refused: a key this version does not know would be
 * dropped on reading, and whatever it meant would silently not happen. */
static int only_keys(reader *r, json_t *o, const char *path,
		     const char *const *keys)
{
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v)
	{
		int known = 0;
		for (int i = 0; keys[i] && !known; i++)
			known = !strcmp(keys[i], k);
		if (!known) {
			char at[PATH_MAX_LEN];
			path_key(at, path, k);
			return bad(r, at, "unknown key");
		}
	}
	return 0;
}

static int get(reader *r, json_t *o, const char *path, const char *key,
	       json_t **v, char *at)
{
	path_key(at, path, key);
	*v = json_object_get(o, key);
	if (!*v)
		return bad(r, at, "missing");
	return 0;
}

static int rd_obj(reader *r, json_t *o, const char *path, const char *key,
		  json_t **out, char *at)
{
	if (get(r, o, path, key, out, at) < 0)
		return -1;
	if (!json_is_object(*out))
		return bad(r, at, "expected an object");
	return 0;
}

static int rd_str(reader *r, json_t *o, const char *path, const char *key,
		  bool nullable, char **out)
{
	char at[PATH_MAX_LEN];
	json_t *v;
	if (get(r, o, path, key, &v, at) < 0)
		return -1;
	if (json_is_null(v) && nullable) {
		*out = NULL;
		return 0;
	}
	if (!json_is_string(v))
		return bad(r, at,
			   nullable ? "expected a string or null"
				    : "expected a string");
	*out = plan_str(r->p, json_string_value(v));
	return 0;
}

static int rd_ll(reader *r, json_t *o, const char *path, const char *key,
		 long long lo, long long hi, long long *out)
{
	char at[PATH_MAX_LEN];
	json_t *v;
	if (get(r, o, path, key, &v, at) < 0)
		return -1;
	if (!json_is_integer(v))
		return bad(r, at, "expected an integer");
	long long n = json_integer_value(v);
	if (n < lo || n > hi)
		return bad(r, at, "integer out of range");
	*out = n;
	return 0;
}

static int rd_int(reader *r, json_t *o, const char *path, const char *key,
		  int *out)
{
	long long n;
	if (rd_ll(r, o, path, key, INT_MIN, INT_MAX, &n) < 0)
		return -1;
	*out = (int)n;
	return 0;
}

static int rd_bool(reader *r, json_t *o, const char *path, const char *key,
		   bool *out)
{
	char at[PATH_MAX_LEN];
	json_t *v;
	if (get(r, o, path, key, &v, at) < 0)
		return -1;
	if (!json_is_boolean(v))
		return bad(r, at, "expected true or false");
	*out = json_is_true(v);
	return 0;
}

static int rd_array(reader *r, json_t *o, const char *path, const char *key,
		    json_t **out)
{
	char at[PATH_MAX_LEN];
	if (get(r, o, path, key, out, at) < 0)
		return -1;
	if (!json_is_array(*out))
		return bad(r, at, "expected an array");
	return 0;
}

static int rd_str_array(reader *r, json_t *o, const char *path, const char *key,
			char ***items, int *n, int *cap)
{
	json_t *a, *v;
	size_t i;
	if (rd_array(r, o, path, key, &a) < 0)
		return -1;
	json_array_foreach(a, i, v)
	{
		if (!json_is_string(v)) {
			char at[PATH_MAX_LEN];
			path_index(at, path, key, (int)i);
			return bad(r, at, "expected a string");
		}
		*ARENA_PUSH(&r->p->arena, *items, *n, *cap) =
		    plan_str(r->p, json_string_value(v));
	}
	return 0;
}

static int read_settings(reader *r, json_t *root)
{
	static const char *const keys[] = {
	    "lock_timeout_ms", "statement_timeout_ms", "batch_size",
	    "batch_pause_ms",  "allow_rewrite",	       "defer_drops",
	    "data_checks",     "server_version",       NULL};
	char at[PATH_MAX_LEN];
	json_t *o;
	plan_settings *s = &r->p->settings;
	if (rd_obj(r, root, "", "settings", &o, at) < 0 ||
	    only_keys(r, o, at, keys) < 0 ||
	    rd_int(r, o, at, "lock_timeout_ms", &s->lock_timeout_ms) < 0 ||
	    rd_int(r, o, at, "statement_timeout_ms", &s->statement_timeout_ms) <
		0 ||
	    rd_int(r, o, at, "batch_size", &s->batch_size) < 0 ||
	    rd_int(r, o, at, "batch_pause_ms", &s->batch_pause_ms) < 0 ||
	    rd_bool(r, o, at, "allow_rewrite", &s->allow_rewrite) < 0 ||
	    rd_bool(r, o, at, "defer_drops", &s->defer_drops) < 0 ||
	    rd_bool(r, o, at, "data_checks", &s->data_checks) < 0 ||
	    rd_int(r, o, at, "server_version", &s->server_version) < 0)
		return -1;
	return 0;
}

static int read_end(reader *r, json_t *root, const char *key, char **spec,
		    char **fp)
{
	static const char *const keys[] = {"spec", "fingerprint", NULL};
	char at[PATH_MAX_LEN];
	json_t *o;
	if (rd_obj(r, root, "", key, &o, at) < 0 ||
	    only_keys(r, o, at, keys) < 0 ||
	    rd_str(r, o, at, "spec", true, spec) < 0 ||
	    rd_str(r, o, at, "fingerprint", true, fp) < 0)
		return -1;
	return 0;
}

static int read_renames(reader *r, json_t *root)
{
	static const char *const keys[] = {"schema", "table", "column",
					   "new_name", NULL};
	json_t *a, *o;
	size_t i;
	char at[PATH_MAX_LEN];
	if (rd_array(r, root, "", "renames", &a) < 0)
		return -1;
	json_array_foreach(a, i, o)
	{
		path_index(at, "", "renames", (int)i);
		if (!json_is_object(o))
			return bad(r, at, "expected an object");
		plan_rename *rn = ARENA_PUSH(&r->p->arena, r->p->renames,
					     r->p->nrenames, r->p->crenames);
		if (only_keys(r, o, at, keys) < 0 ||
		    rd_str(r, o, at, "schema", true, &rn->schema) < 0 ||
		    rd_str(r, o, at, "table", true, &rn->table) < 0 ||
		    rd_str(r, o, at, "column", true, &rn->column) < 0 ||
		    rd_str(r, o, at, "new_name", true, &rn->new_name) < 0)
			return -1;
	}
	return 0;
}

/* "draft" is optional: absent for a plan no model was asked about. */
static int read_draft(reader *r, json_t *root)
{
	static const char *const keys[] = {"by",     "accepted", "summary",
					   "reason", "renames",	 NULL};
	static const char *const rkeys[] = {"from", "to", "reason", NULL};
	char at[PATH_MAX_LEN], ra[PATH_MAX_LEN];
	json_t *o, *a, *x;
	size_t i;
	if (!json_object_get(root, "draft"))
		return 0;
	plan_draft *d = plan_draft_get(r->p);
	if (rd_obj(r, root, "", "draft", &o, at) < 0 ||
	    only_keys(r, o, at, keys) < 0 ||
	    rd_str(r, o, at, "by", true, &d->by) < 0 ||
	    rd_bool(r, o, at, "accepted", &d->accepted) < 0 ||
	    rd_str(r, o, at, "summary", true, &d->summary) < 0 ||
	    rd_str(r, o, at, "reason", true, &d->reason) < 0 ||
	    rd_array(r, o, at, "renames", &a) < 0)
		return -1;
	json_array_foreach(a, i, x)
	{
		path_index(ra, at, "renames", (int)i);
		if (!json_is_object(x))
			return bad(r, ra, "expected an object");
		plan_draft_rename *rn = ARENA_PUSH(&r->p->arena, d->renames,
						   d->nrenames, d->crenames);
		if (only_keys(r, x, ra, rkeys) < 0 ||
		    rd_str(r, x, ra, "from", true, &rn->from) < 0 ||
		    rd_str(r, x, ra, "to", true, &rn->to) < 0 ||
		    rd_str(r, x, ra, "reason", true, &rn->reason) < 0)
			return -1;
	}
	return 0;
}

static int read_check(reader *r, json_t *o, const char *at)
{
	static const char *const keys[] = {
	    "step",	  "kind",      "schema",      "table", "columns",
	    "ref_schema", "ref_table", "ref_columns", "expr",  "type",
	    "ran",	  "failing",   "message",     NULL};
	plan *p = r->p;
	plan_check *c =
	    ARENA_PUSH(&p->arena, p->checks, p->nchecks, p->cchecks);
	char *kind;
	if (only_keys(r, o, at, keys) < 0 ||
	    rd_int(r, o, at, "step", &c->step) < 0 ||
	    rd_str(r, o, at, "kind", false, &kind) < 0)
		return -1;
	if (plan_check_kind_from_name(kind, &c->kind) < 0) {
		char k[PATH_MAX_LEN];
		path_key(k, at, "kind");
		return bad(r, k,
			   "expected one of not_null, unique, foreign_key, "
			   "check, narrow, rows, sequence");
	}
	if (rd_str(r, o, at, "schema", true, &c->schema) < 0 ||
	    rd_str(r, o, at, "table", true, &c->table) < 0 ||
	    rd_str_array(r, o, at, "columns", &c->columns, &c->ncolumns,
			 &c->ccolumns) < 0 ||
	    rd_str(r, o, at, "ref_schema", true, &c->ref_schema) < 0 ||
	    rd_str(r, o, at, "ref_table", true, &c->ref_table) < 0 ||
	    rd_str_array(r, o, at, "ref_columns", &c->ref_columns,
			 &c->nref_columns, &c->cref_columns) < 0 ||
	    rd_str(r, o, at, "expr", true, &c->expr) < 0 ||
	    rd_str(r, o, at, "type", true, &c->type) < 0 ||
	    rd_bool(r, o, at, "ran", &c->ran) < 0 ||
	    rd_ll(r, o, at, "failing", LLONG_MIN, LLONG_MAX, &c->failing) < 0 ||
	    rd_str(r, o, at, "message", true, &c->message) < 0)
		return -1;
	return 0;
}

static int read_verdict(reader *r, json_t *root)
{
	static const char *const keys[] = {"backwards_compatible", "will_fail",
					   "reasons", "data_checks", NULL};
	static const char *const rkeys[] = {"step", "object", "reason", NULL};
	char vat[PATH_MAX_LEN], at[PATH_MAX_LEN];
	json_t *v, *a, *o;
	size_t i;
	plan *p = r->p;
	if (rd_obj(r, root, "", "verdict", &v, vat) < 0 ||
	    only_keys(r, v, vat, keys) < 0 ||
	    rd_bool(r, v, vat, "backwards_compatible", &p->compatible) < 0 ||
	    rd_bool(r, v, vat, "will_fail", &p->will_fail) < 0 ||
	    rd_array(r, v, vat, "reasons", &a) < 0)
		return -1;
	json_array_foreach(a, i, o)
	{
		path_index(at, vat, "reasons", (int)i);
		if (!json_is_object(o))
			return bad(r, at, "expected an object");
		plan_reason *rs =
		    ARENA_PUSH(&p->arena, p->reasons, p->nreasons, p->creasons);
		if (only_keys(r, o, at, rkeys) < 0 ||
		    rd_int(r, o, at, "step", &rs->step) < 0 ||
		    rd_str(r, o, at, "object", true, &rs->object) < 0 ||
		    rd_str(r, o, at, "reason", false, &rs->reason) < 0)
			return -1;
	}
	if (rd_array(r, v, vat, "data_checks", &a) < 0)
		return -1;
	json_array_foreach(a, i, o)
	{
		path_index(at, vat, "data_checks", (int)i);
		if (!json_is_object(o))
			return bad(r, at, "expected an object");
		if (read_check(r, o, at) < 0)
			return -1;
	}
	return 0;
}

static int read_hazards(reader *r, json_t *o, const char *path, unsigned *out)
{
	json_t *a, *v;
	size_t i;
	if (rd_array(r, o, path, "hazards", &a) < 0)
		return -1;
	json_array_foreach(a, i, v)
	{
		char at[PATH_MAX_LEN];
		path_index(at, path, "hazards", (int)i);
		if (!json_is_string(v))
			return bad(r, at, "expected a string");
		unsigned bit = plan_hazard_from_name(json_string_value(v));
		if (!bit) {
			error_set(r->e, EXIT_USAGE, "%s: %s: unknown hazard %s",
				  r->file, at, json_string_value(v));
			return -1;
		}
		*out |= bit;
	}
	return 0;
}

/* A step's "backfill" (present only when the step is one). */
static int read_backfill(reader *r, json_t *o, const char *at,
			 plan_backfill **out)
{
	static const char *const keys[] = {"table",   "key",	 "key_type",
					   "set",     "pending", "copy_into",
					   "columns", NULL};
	char k[PATH_MAX_LEN];
	json_t *b;
	if (rd_obj(r, o, at, "backfill", &b, k) < 0 ||
	    only_keys(r, b, k, keys) < 0)
		return -1;
	plan_backfill *bf = arena_alloc(&r->p->arena, sizeof(*bf));
	memset(bf, 0, sizeof(*bf));
	if (rd_str(r, b, k, "table", false, &bf->table) < 0 ||
	    rd_str(r, b, k, "key", true, &bf->key) < 0 ||
	    rd_str(r, b, k, "key_type", true, &bf->key_type) < 0 ||
	    rd_str(r, b, k, "set", true, &bf->set) < 0 ||
	    rd_str(r, b, k, "pending", true, &bf->pending) < 0)
		return -1;
	/* A copy names its target and columns; an update its SET list and
	 * what a pending row satisfies. */
	if (json_object_get(b, "copy_into") &&
	    (rd_str(r, b, k, "copy_into", false, &bf->copy_into) < 0 ||
	     rd_str(r, b, k, "columns", false, &bf->columns) < 0))
		return -1;
	if (!bf->copy_into && (!bf->set || !bf->pending))
		return bad(r, k, "expected \"set\" and \"pending\" strings");
	*out = bf;
	return 0;
}

static int read_step(reader *r, json_t *o, const char *at, int index)
{
	static const char *const keys[] = {
	    "n",	   "kind",	    "object",
	    "table",	   "forward",	    "rollback",
	    "no_rollback", "transactional", "rollback_transactional",
	    "lock",	   "rewrites",	    "scans",
	    "est_rows",	   "est_lock_ms",   "batch",
	    "hazards",	   "drafted_by",    "note",
	    "backfill",	   "guard",	    "rollback_guard",
	    NULL};
	static const char *const bkeys[] = {"size", "pause_ms", NULL};
	plan *p = r->p;
	plan_step *s = ARENA_PUSH(&p->arena, p->steps, p->nsteps, p->csteps);
	char bat[PATH_MAX_LEN];
	json_t *b;
	if (only_keys(r, o, at, keys) < 0 || rd_int(r, o, at, "n", &s->n) < 0)
		return -1;
	if (s->n != index + 1) {
		char k[PATH_MAX_LEN];
		path_key(k, at, "n");
		error_set(r->e, EXIT_USAGE,
			  "%s: %s: steps must be numbered in order (expected "
			  "%d, found %d)",
			  r->file, k, index + 1, s->n);
		return -1;
	}
	if (rd_str(r, o, at, "kind", false, &s->kind) < 0 ||
	    rd_str(r, o, at, "object", true, &s->object) < 0 ||
	    rd_str(r, o, at, "table", true, &s->table) < 0 ||
	    rd_str(r, o, at, "forward", false, &s->forward) < 0 ||
	    rd_str(r, o, at, "rollback", true, &s->rollback) < 0 ||
	    rd_str(r, o, at, "no_rollback", true, &s->no_rollback) < 0 ||
	    rd_bool(r, o, at, "transactional", &s->transactional) < 0 ||
	    rd_bool(r, o, at, "rollback_transactional",
		    &s->rollback_transactional) < 0 ||
	    rd_str(r, o, at, "lock", true, &s->lock) < 0 ||
	    rd_bool(r, o, at, "rewrites", &s->rewrites) < 0 ||
	    rd_bool(r, o, at, "scans", &s->scans) < 0 ||
	    rd_ll(r, o, at, "est_rows", LLONG_MIN, LLONG_MAX, &s->est_rows) <
		0 ||
	    rd_ll(r, o, at, "est_lock_ms", LLONG_MIN, LLONG_MAX,
		  &s->est_lock_ms) < 0 ||
	    get(r, o, at, "batch", &b, bat) < 0)
		return -1;
	if (!json_is_null(b)) {
		if (!json_is_object(b))
			return bad(r, bat, "expected an object or null");
		if (only_keys(r, b, bat, bkeys) < 0 ||
		    rd_int(r, b, bat, "size", &s->batch_size) < 0 ||
		    rd_int(r, b, bat, "pause_ms", &s->batch_pause_ms) < 0)
			return -1;
	}
	if (json_object_get(o, "backfill") &&
	    read_backfill(r, o, at, &s->backfill) < 0)
		return -1;
	if ((json_object_get(o, "guard") &&
	     rd_str(r, o, at, "guard", true, &s->guard) < 0) ||
	    (json_object_get(o, "rollback_guard") &&
	     rd_str(r, o, at, "rollback_guard", true, &s->rollback_guard) <
		 0) ||
	    read_hazards(r, o, at, &s->hazards) < 0 ||
	    rd_str(r, o, at, "drafted_by", true, &s->drafted_by) < 0 ||
	    rd_str(r, o, at, "note", true, &s->note) < 0)
		return -1;
	return 0;
}

static int read_plan(reader *r, json_t *root, char *stored_id)
{
	static const char *const keys[] = {
	    "format",  "id",	  "dialect", "source", "target", "settings",
	    "renames", "verdict", "steps",   "draft",  NULL};
	plan *p = r->p;
	char *id;
	json_t *a, *o;
	size_t i;

	/* The version first: a newer file's other keys mean nothing to us,
	 * and "unknown key" would hide the real reason. */
	if (rd_int(r, root, "", "format", &p->format) < 0)
		return -1;
	if (p->format != PLAN_FORMAT_VERSION)
		return error_set(r->e, EXIT_USAGE,
				 "%s: plan format %d is not supported (this "
				 "git-schemig reads format %d)",
				 r->file, p->format, PLAN_FORMAT_VERSION);
	if (only_keys(r, root, "", keys) < 0 ||
	    rd_str(r, root, "", "id", false, &id) < 0)
		return -1;
	if (strlen(id) != 64)
		return bad(r, "id", "expected 64 hexadecimal digits");
	memcpy(stored_id, id, 65);
	if (rd_str(r, root, "", "dialect", true, &p->dialect) < 0 ||
	    read_end(r, root, "source", &p->source, &p->source_fp) < 0 ||
	    read_end(r, root, "target", &p->target, &p->target_fp) < 0 ||
	    read_settings(r, root) < 0 || read_renames(r, root) < 0 ||
	    read_draft(r, root) < 0 || read_verdict(r, root) < 0 ||
	    rd_array(r, root, "", "steps", &a) < 0)
		return -1;
	json_array_foreach(a, i, o)
	{
		char at[PATH_MAX_LEN];
		path_index(at, "", "steps", (int)i);
		if (!json_is_object(o))
			return bad(r, at, "expected an object");
		if (read_step(r, o, at, (int)i) < 0)
			return -1;
	}
	return 0;
}

int plan_from_json(plan *p, const char *text, const char *filename,
		   bool trust_id, error *e)
{
	json_error_t jerr;
	reader r = {filename ? filename : "plan", p, e};
	char stored[65] = "", computed[65];

	json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return error_set(e, EXIT_USAGE, "%s:%d:%d: %s", r.file,
				 jerr.line, jerr.column, jerr.text);
	if (!json_is_object(root)) {
		json_decref(root);
		return error_set(e, EXIT_USAGE, "%s: expected a JSON object",
				 r.file);
	}
	int ret = read_plan(&r, root, stored);
	json_decref(root);
	if (ret < 0)
		return -1;
	memcpy(p->id, stored, sizeof(p->id));
	if (trust_id)
		return 0;
	/* The id hashes what we read back, in canonical form: any edit to
	 * what apply would run, or to the verdict, changes it. */
	if (plan_compute_id(p, computed, e) < 0)
		return -1;
	if (strcmp(computed, stored))
		return error_set(e, EXIT_USAGE,
				 "%s: plan id does not match its content "
				 "(edited after planning?)",
				 r.file);
	return 0;
}
