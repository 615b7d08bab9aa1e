/* The plan file, written: its canonical JSON form, which the id
 * hashes (plan_json_read.c reads it back). */
#include "plan.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* A NULL string is JSON null. A string jansson refuses (not UTF-8) is
 * reported once through *bad instead of silently dropped. */
static json_t *jstr(const char *s, const char **bad)
{
	if (!s)
		return json_null();
	json_t *j = json_string(s);
	if (!j) {
		if (!*bad)
			*bad = s;
		return json_null();
	}
	return j;
}

static json_t *jstr_array(char **items, int n, const char **bad)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, jstr(items[i], bad));
	return a;
}

static json_t *settings_json(const plan_settings *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "lock_timeout_ms",
			    json_integer(s->lock_timeout_ms));
	json_object_set_new(o, "statement_timeout_ms",
			    json_integer(s->statement_timeout_ms));
	json_object_set_new(o, "batch_size", json_integer(s->batch_size));
	json_object_set_new(o, "batch_pause_ms",
			    json_integer(s->batch_pause_ms));
	json_object_set_new(o, "allow_rewrite", json_boolean(s->allow_rewrite));
	json_object_set_new(o, "defer_drops", json_boolean(s->defer_drops));
	json_object_set_new(o, "data_checks", json_boolean(s->data_checks));
	json_object_set_new(o, "server_version",
			    json_integer(s->server_version));
	return o;
}

static json_t *check_json(const plan_check *c, const char **bad)
{
	json_t *o = json_object();
	const char *kind = plan_check_kind_name(c->kind);
	json_object_set_new(o, "step", json_integer(c->step));
	json_object_set_new(o, "kind", jstr(kind ? kind : "?", bad));
	json_object_set_new(o, "schema", jstr(c->schema, bad));
	json_object_set_new(o, "table", jstr(c->table, bad));
	json_object_set_new(o, "columns",
			    jstr_array(c->columns, c->ncolumns, bad));
	json_object_set_new(o, "ref_schema", jstr(c->ref_schema, bad));
	json_object_set_new(o, "ref_table", jstr(c->ref_table, bad));
	json_object_set_new(o, "ref_columns",
			    jstr_array(c->ref_columns, c->nref_columns, bad));
	json_object_set_new(o, "expr", jstr(c->expr, bad));
	json_object_set_new(o, "type", jstr(c->type, bad));
	json_object_set_new(o, "ran", json_boolean(c->ran));
	json_object_set_new(o, "failing", json_integer(c->failing));
	json_object_set_new(o, "message", jstr(c->message, bad));
	return o;
}

static json_t *backfill_json(const plan_backfill *b, const char **bad)
{
	json_t *o = json_object();
	json_object_set_new(o, "table", jstr(b->table, bad));
	json_object_set_new(o, "key", jstr(b->key, bad));
	json_object_set_new(o, "key_type", jstr(b->key_type, bad));
	json_object_set_new(o, "set", jstr(b->set, bad));
	json_object_set_new(o, "pending", jstr(b->pending, bad));
	/* Only a copy has these: an update's JSON (and id) stays as it
	 * was. */
	if (b->copy_into) {
		json_object_set_new(o, "copy_into", jstr(b->copy_into, bad));
		json_object_set_new(o, "columns", jstr(b->columns, bad));
	}
	return o;
}

static json_t *step_json(const plan_step *s, const char **bad)
{
	json_t *o = json_object();
	json_object_set_new(o, "n", json_integer(s->n));
	json_object_set_new(o, "kind", jstr(s->kind, bad));
	json_object_set_new(o, "object", jstr(s->object, bad));
	json_object_set_new(o, "table", jstr(s->table, bad));
	json_object_set_new(o, "forward", jstr(s->forward, bad));
	json_object_set_new(o, "rollback", jstr(s->rollback, bad));
	json_object_set_new(o, "no_rollback", jstr(s->no_rollback, bad));
	json_object_set_new(o, "transactional", json_boolean(s->transactional));
	json_object_set_new(o, "rollback_transactional",
			    json_boolean(s->rollback_transactional));
	json_object_set_new(o, "lock", jstr(s->lock, bad));
	json_object_set_new(o, "rewrites", json_boolean(s->rewrites));
	json_object_set_new(o, "scans", json_boolean(s->scans));
	json_object_set_new(o, "est_rows", json_integer(s->est_rows));
	json_object_set_new(o, "est_lock_ms", json_integer(s->est_lock_ms));
	/* null when there is nothing to batch, so that the plan file does
	 * not show a pause for steps that never pause; a pause without a
	 * size is still kept, so the struct round-trips exactly. */
	if (s->batch_size || s->batch_pause_ms) {
		json_t *b = json_object();
		json_object_set_new(b, "size", json_integer(s->batch_size));
		json_object_set_new(b, "pause_ms",
				    json_integer(s->batch_pause_ms));
		json_object_set_new(o, "batch", b);
	} else {
		json_object_set_new(o, "batch", json_null());
	}
	/* Absent, not null, when there is none: plans without backfills
	 * keep the JSON (and the id) they had before backfills were
	 * data. */
	if (s->backfill)
		json_object_set_new(o, "backfill",
				    backfill_json(s->backfill, bad));
	json_t *hz = json_array();
	for (int i = 0; i < PLAN_HAZARD_COUNT; i++)
		if (s->hazards & (1u << i))
			json_array_append_new(hz,
					      json_string(plan_hazard_name(i)));
	json_object_set_new(o, "hazards", hz);
	/* Absent when none, like backfill: plans of dialects without
	 * guards keep their JSON and id. */
	if (s->guard)
		json_object_set_new(o, "guard", jstr(s->guard, bad));
	if (s->rollback_guard)
		json_object_set_new(o, "rollback_guard",
				    jstr(s->rollback_guard, bad));
	json_object_set_new(o, "drafted_by", jstr(s->drafted_by, bad));
	json_object_set_new(o, "note", jstr(s->note, bad));
	return o;
}

static json_t *draft_json(const plan_draft *d, const char **bad)
{
	json_t *o = json_object(), *renames = json_array();
	json_object_set_new(o, "by", jstr(d->by, bad));
	json_object_set_new(o, "accepted", json_boolean(d->accepted));
	json_object_set_new(o, "summary", jstr(d->summary, bad));
	json_object_set_new(o, "reason", jstr(d->reason, bad));
	for (int i = 0; i < d->nrenames; i++) {
		const plan_draft_rename *r = &d->renames[i];
		json_t *x = json_object();
		json_object_set_new(x, "from", jstr(r->from, bad));
		json_object_set_new(x, "to", jstr(r->to, bad));
		json_object_set_new(x, "reason", jstr(r->reason, bad));
		json_array_append_new(renames, x);
	}
	json_object_set_new(o, "renames", renames);
	return o;
}

static json_t *plan_json(const plan *p, bool with_id, const char **bad)
{
	json_t *root = json_object();
	json_object_set_new(root, "format", json_integer(p->format));
	if (with_id)
		json_object_set_new(root, "id", json_string(p->id));
	json_object_set_new(root, "dialect", jstr(p->dialect, bad));

	json_t *src = json_object();
	json_object_set_new(src, "spec", jstr(p->source, bad));
	json_object_set_new(src, "fingerprint", jstr(p->source_fp, bad));
	json_object_set_new(root, "source", src);
	json_t *dst = json_object();
	json_object_set_new(dst, "spec", jstr(p->target, bad));
	json_object_set_new(dst, "fingerprint", jstr(p->target_fp, bad));
	json_object_set_new(root, "target", dst);

	json_object_set_new(root, "settings", settings_json(&p->settings));

	json_t *renames = json_array();
	for (int i = 0; i < p->nrenames; i++) {
		const plan_rename *r = &p->renames[i];
		json_t *o = json_object();
		json_object_set_new(o, "schema", jstr(r->schema, bad));
		json_object_set_new(o, "table", jstr(r->table, bad));
		json_object_set_new(o, "column", jstr(r->column, bad));
		json_object_set_new(o, "new_name", jstr(r->new_name, bad));
		json_array_append_new(renames, o);
	}
	json_object_set_new(root, "renames", renames);
	/* Only when a model was asked: every other plan keeps its id. */
	if (p->draft)
		json_object_set_new(root, "draft", draft_json(p->draft, bad));

	json_t *verdict = json_object();
	json_object_set_new(verdict, "backwards_compatible",
			    json_boolean(p->compatible));
	json_object_set_new(verdict, "will_fail", json_boolean(p->will_fail));
	json_t *reasons = json_array();
	for (int i = 0; i < p->nreasons; i++) {
		const plan_reason *r = &p->reasons[i];
		json_t *o = json_object();
		json_object_set_new(o, "step", json_integer(r->step));
		json_object_set_new(o, "object", jstr(r->object, bad));
		json_object_set_new(o, "reason", jstr(r->reason, bad));
		json_array_append_new(reasons, o);
	}
	json_object_set_new(verdict, "reasons", reasons);
	json_t *checks = json_array();
	for (int i = 0; i < p->nchecks; i++)
		json_array_append_new(checks, check_json(&p->checks[i], bad));
	json_object_set_new(verdict, "data_checks", checks);
	json_object_set_new(root, "verdict", verdict);

	json_t *steps = json_array();
	for (int i = 0; i < p->nsteps; i++)
		json_array_append_new(steps, step_json(&p->steps[i], bad));
	json_object_set_new(root, "steps", steps);
	return root;
}

/* One spelling for both the file and the hash: sorted keys, no spaces,
 * UTF-8 as is (readable SQL in diffs of plan files), one newline. */
static int plan_dump(const plan *p, bool with_id, strbuf *out, error *e)
{
	const char *bad = NULL;
	json_t *root = plan_json(p, with_id, &bad);
	if (bad) {
		json_decref(root);
		return error_set(e, EXIT_USAGE,
				 "plan holds text that is not valid UTF-8: "
				 "\"%.40s\"",
				 bad);
	}
	char *txt = json_dumps(root, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(root);
	if (!txt)
		return error_set(e, EXIT_USAGE, "cannot encode plan as JSON");
	strbuf_adds(out, txt);
	strbuf_addch(out, '\n');
	free(txt);
	return 0;
}

int plan_compute_id(const plan *p, char out[65], error *e)
{
	strbuf sb = STRBUF_INIT;
	if (plan_dump(p, false, &sb, e) < 0) {
		strbuf_release(&sb);
		return -1;
	}
	plan_sha256_hex(sb.buf, sb.len, out);
	strbuf_release(&sb);
	return 0;
}

/*
 * What a change is, whatever the database it was planned on: the
 * statements and their transactions, without the estimates, checks and
 * batch sizes that come from one environment's rows. A backfill is its
 * data (its script spells the batch size).
 */
int plan_change_id(const plan *p, char out[65], error *e)
{
	const char *bad = NULL;
	json_t *root = json_object();
	json_object_set_new(root, "dialect", jstr(p->dialect, &bad));
	json_object_set_new(root, "source", jstr(p->source_fp, &bad));
	json_object_set_new(root, "target", jstr(p->target_fp, &bad));
	json_t *steps = json_array();
	for (int i = 0; i < p->nsteps; i++) {
		const plan_step *s = &p->steps[i];
		json_t *o = json_object();
		json_object_set_new(o, "kind", jstr(s->kind, &bad));
		json_object_set_new(o, "object", jstr(s->object, &bad));
		json_object_set_new(o, "forward",
				    s->backfill
					? backfill_json(s->backfill, &bad)
					: jstr(s->forward, &bad));
		json_object_set_new(o, "rollback", jstr(s->rollback, &bad));
		json_object_set_new(o, "transactional",
				    json_boolean(s->transactional));
		json_object_set_new(o, "rollback_transactional",
				    json_boolean(s->rollback_transactional));
		json_array_append_new(steps, o);
	}
	json_object_set_new(root, "steps", steps);
	char *txt =
	    bad ? NULL : json_dumps(root, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(root);
	if (!txt)
		return error_set(e, EXIT_USAGE,
				 "cannot encode the plan's change as JSON");
	plan_sha256_hex(txt, strlen(txt), out);
	free(txt);
	return 0;
}

int plan_to_json(const plan *p, strbuf *out, error *e)
{
	return plan_dump(p, true, out, e);
}
