/*
 * Dry run of a plan: the execution core (exec.h) runs each step exactly
 * as the plan's SQL rendering would run it, measured, on the database
 * given; this file adds the guard, the proofs (the database reaches the
 * plan's target, and its rollback returns to the source) and the report.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../dialects/dialect.h"
#include "../schema/diff.h"
#include "../util/xalloc.h"
#include "dryrun.h"
#include "exec.h"

void dryrun_interrupt(void)
{
	exec_interrupt();
}

int dryrun_fingerprint(const dialect *d, const char *url, char **out, error *e)
{
	model *m = model_new();
	arena a = ARENA_INIT;
	char *fp = NULL;
	int ret = -1;
	if (d->introspect(m, url, e) < 0)
		goto out;
	model_sort(m);
	if (plan_fingerprint(d, m, &a, &fp, e) < 0)
		goto out;
	*out = xstrdup(fp);
	ret = 0;
out:
	arena_free(&a);
	model_free(m);
	return ret;
}

/* What is left between the database and `spec`, as SQL; NULL when
 * there is no spec or it cannot be loaded (the message says why). */
static json_t *leftover(const dryrun_opts *o, const char *spec)
{
	const dialect *d = o->sc->dialect;
	model *live = model_new(), *want = NULL;
	diff_result dr;
	strbuf sb = STRBUF_INIT;
	error e = ERROR_INIT;
	json_t *j = NULL;
	diff_result_init(&dr);
	if (!spec) {
		j = json_string(
		    "(the fingerprints differ; pass --from and --to "
		    "to see the statements)");
		goto out;
	}
	if (d->introspect(live, o->url, &e) < 0)
		goto fail;
	model_sort(live);
	if (source_load(o->sc, spec, &want, &e) < 0 ||
	    d->diff(live, want, &dr, &e) < 0)
		goto fail;
	diff_result_format_sql(&dr, &sb);
	j = json_string(strbuf_str(&sb));
	goto out;
fail:
	strbuf_addf(&sb, "(no leftover diff: %s)", e.msg ? e.msg : "failed");
	j = json_string(strbuf_str(&sb));
out:
	error_clear(&e);
	diff_result_release(&dr);
	strbuf_release(&sb);
	model_free(live);
	model_free(want);
	return j;
}

static double num(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);
	return json_is_number(v) ? json_number_value(v) : 0;
}

static void add_totals(json_t *report)
{
	double wall = 0, held = 0, wal = 0;
	const json_t *arrs[2] = {json_object_get(report, "steps"),
				 json_object_get(report, "rollback_steps")};
	for (int a = 0; a < 2; a++) {
		size_t i;
		json_t *s;
		json_array_foreach(arrs[a], i, s)
		{
			wall += num(s, "wall_ms");
			wal += num(s, "wal_bytes");
			if (num(s, "lock_held_ms") > held)
				held = num(s, "lock_held_ms");
		}
	}
	json_t *t = json_object();
	json_object_set_new(t, "wall_ms", json_real(wall));
	json_object_set_new(t, "max_lock_held_ms", json_real(held));
	json_object_set_new(t, "wal_bytes", json_integer((json_int_t)wal));
	json_object_set_new(report, "totals", t);
}

/* The caller's row check (dryrun_opts.check_rows), when there is one:
 * its verdict in proof.rows_forward or rows_rollback, and its reason as
 * the run's error when it is the first failure. -1 only when it could
 * not check at all. */
static int check_rows(const dryrun_opts *o, bool rollback, json_t *proof,
		      char **msg, error *e)
{
	if (!o->check_rows)
		return 0;
	strbuf why = STRBUF_INIT;
	int r = o->check_rows(o->check_arg, o->url, rollback, &why, e);
	if (r >= 0)
		json_object_set_new(proof,
				    rollback ? "rows_rollback" : "rows_forward",
				    json_boolean(r == 0));
	if (r == 1 && !*msg)
		*msg = strbuf_detach(&why);
	strbuf_release(&why);
	return r < 0 ? -1 : 0;
}

/* The forward proof: the database is now the plan's target. Fills
 * `proof`; false (with *msg) when it does not hold. */
static int prove_forward(const plan *p, const dryrun_opts *o, bool ran,
			 json_t *proof, char **msg, error *e)
{
	if (!ran) {
		json_object_set_new(proof, "forward_empty", json_false());
		json_object_set_new(proof, "forward_leftover", json_null());
		return 0;
	}
	char *fp = NULL;
	if (dryrun_fingerprint(o->sc->dialect, o->url, &fp, e) < 0)
		return -1;
	bool fwd = p->target_fp && !strcmp(fp, p->target_fp);
	free(fp);
	json_object_set_new(proof, "forward_empty", json_boolean(fwd));
	json_object_set_new(proof, "forward_leftover",
			    fwd ? json_null() : leftover(o, o->to));
	if (!fwd)
		*msg = xstrdup("the plan does not reach its target");
	return fwd ? 1 : 0;
}

/* The report's frame: what ran where, filled in as the run goes. */
static json_t *report_new(const plan *p, const dryrun_opts *o)
{
	json_t *rep = json_object();
	json_object_set_new(rep, "format", json_integer(DRYRUN_FORMAT_VERSION));
	json_object_set_new(rep, "plan_id", json_string(p->id));
	json_object_set_new(rep, "on", json_string(o->on));
	char stamp[32];
	time_t now = time(NULL);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	json_object_set_new(rep, "started_at", json_string(stamp));
	json_object_set_new(rep, "proof", json_object());
	return rep;
}

/*
 * A replica schemig made records the source's row counts beside its own
 * (replica/replica.h). The report says what the copy is ("replica":
 * environment, sample, masked columns), and every step on a table the
 * record knows is projected by the source's rows over the rows it went
 * through (or, for a step that counts none, the rows the copy holds): a
 * plan made from the copy itself only knows the copy's sizes.
 */
static void project_replica(const dialect *d, const char *url, json_t *rep)
{
	json_t *rec = NULL;
	error ignore = ERROR_INIT;
	if (!d->replica_read || d->replica_read(url, &rec, &ignore) <= 0) {
		error_clear(&ignore);
		return;
	}
	json_t *tables = json_object_get(rec, "tables"), *st;
	size_t i;
	json_array_foreach(json_object_get(rep, "steps"), i, st)
	{
		const char *name =
		    json_string_value(json_object_get(st, "table"));
		json_t *t = name ? json_object_get(tables, name) : NULL;
		json_int_t src =
		    json_integer_value(json_object_get(t, "source_rows"));
		json_int_t rows =
		    json_integer_value(json_object_get(st, "rows"));
		if (rows <= 0)
			rows = json_integer_value(json_object_get(t, "rows"));
		double wall = json_number_value(json_object_get(st, "wall_ms"));
		if (!t || src <= 0 || rows <= 0)
			continue;
		json_object_set_new(st, "source_rows", json_integer(src));
		json_object_set_new(
		    st, "projected_ms",
		    json_real(wall * (double)src / (double)rows));
	}
	json_object_del(rec, "tables");
	json_object_set_new(rep, "replica", rec);
}

/* Why the forward run stopped, for the report's "error". */
static char *stop_message(const plan *p, const exec_result *res)
{
	strbuf m = STRBUF_INIT;
	strbuf_addf(&m, "%s at step %d (%s)",
		    res->interrupted ? "interrupted" : "failed",
		    res->failed_step, p->steps[res->failed_step - 1].kind);
	return strbuf_detach(&m);
}

int dryrun_run(const plan *p, const dryrun_opts *o, json_t **report, error *e)
{
	const dialect *d = o->sc->dialect;
	exec_ctx x = {0};
	exec_result res;
	char *fp = NULL, *msg = NULL;
	int ret = -1;
	json_t *rep = NULL;

	exec_result_init(&res);
	exec_interrupt_clear();
	/* Before anything touches the target: never an environment's own
	 * database. */
	if (dryrun_guard(o, e) < 0 || dryrun_fingerprint(d, o->url, &fp, e) < 0)
		goto out;
	if (p->source_fp && strcmp(fp, p->source_fp)) {
		error_set(e, EXIT_USAGE,
			  "%s is not the plan's source: its schema's "
			  "fingerprint is %s, the plan starts from %s",
			  o->on, fp, p->source_fp);
		goto out;
	}
	if (exec_open(&x, d, p, o->url, o->progress, e) < 0)
		goto out;

	rep = report_new(p, o);
	json_t *proof = json_object_get(rep, "proof");
	bool ran = exec_forward(&x, &res);
	if (!ran)
		msg = stop_message(p, &res);
	int fwd = prove_forward(p, o, ran, proof, &msg, e);
	if (fwd < 0)
		goto out;
	if (ran && fwd && check_rows(o, false, proof, &msg, e) < 0)
		goto out;

	/* Rollback proof, and the database left as it was found. */
	bool undone = exec_undo(&x, &res);
	char *fp3 = NULL;
	if (dryrun_fingerprint(d, o->url, &fp3, e) < 0)
		goto out;
	bool back = !strcmp(fp3, fp);
	free(fp3);
	json_object_set_new(proof, "rollback_empty", json_boolean(back));
	json_object_set_new(proof, "rollback_leftover",
			    back ? json_null() : leftover(o, o->from));
	if (!back && !msg)
		msg = xstrdup(undone ? "the rollback does not return to the "
				       "source"
				     : "a rollback step failed");
	if (back && undone && check_rows(o, true, proof, &msg, e) < 0)
		goto out;
	json_t *run = exec_result_json(&res);
	json_object_set(rep, "steps", json_object_get(run, "steps"));
	json_object_set(rep, "rollback_steps",
			json_object_get(run, "rollback_steps"));
	json_decref(run);
	project_replica(d, o->url, rep);
	bool rows = !json_is_false(json_object_get(proof, "rows_forward")) &&
		    !json_is_false(json_object_get(proof, "rows_rollback"));
	json_object_set_new(rep, "ok",
			    json_boolean(ran && fwd && back && rows));
	json_object_set_new(rep, "error", msg ? json_string(msg) : json_null());
	add_totals(rep);
	*report = rep;
	rep = NULL;
	ret = 0;
out:
	json_decref(rep);
	exec_close(&x);
	exec_result_release(&res);
	free(fp);
	free(msg);
	return ret;
}

static const char *str_or(const json_t *o, const char *k, const char *dflt)
{
	const json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : dflt;
}

/* One line per step; an error shows its first line only (the report
 * has the whole message). */
static void add_row(strbuf *out, const json_t *s)
{
	const json_t *rows = json_object_get(s, "rows"),
		     *wal = json_object_get(s, "wal_bytes");
	char rbuf[32] = "-", wbuf[32] = "-";
	if (json_is_integer(rows))
		snprintf(rbuf, sizeof(rbuf), "%lld",
			 (long long)json_integer_value(rows));
	if (json_is_integer(wal))
		snprintf(wbuf, sizeof(wbuf), "%lld",
			 (long long)json_integer_value(wal));
	const char *err = str_or(s, "error", "");
	bool failed = !json_is_true(json_object_get(s, "ok"));
	strbuf_addf(out, "%-4lld %10.1f %10.1f %10s %12s  %s %s%s%.*s\n",
		    (long long)json_integer_value(json_object_get(s, "n")),
		    num(s, "wall_ms"), num(s, "lock_held_ms"), rbuf, wbuf,
		    str_or(s, "kind", ""), str_or(s, "object", ""),
		    failed ? "  FAILED: " : "", (int)strcspn(err, "\n"), err);
}

static void add_proof(strbuf *out, const json_t *proof, const char *what,
		      const char *empty, const char *left)
{
	const json_t *l = json_object_get(proof, left);
	strbuf_addf(out, "%s: %s\n", what,
		    json_is_true(json_object_get(proof, empty)) ? "ok"
								: "FAILED");
	if (json_is_string(l))
		strbuf_addf(out, "leftover:\n%s\n", json_string_value(l));
}

void dryrun_replica_phrase(const json_t *report, strbuf *out)
{
	const json_t *r = json_object_get(report, "replica");
	if (!json_is_object(r))
		return;
	json_int_t pct = json_integer_value(json_object_get(r, "sample_pct"));
	json_int_t masked =
	    json_integer_value(json_object_get(r, "masked_columns"));
	const char *env = json_string_value(json_object_get(r, "environment"));
	strbuf_adds(out, ", ");
	if (pct > 0 && pct < 100)
		strbuf_addf(out, "a %lld %% %ssample of %s, projected",
			    (long long)pct, masked ? "masked " : "",
			    env ? env : "?");
	else
		strbuf_addf(out, "a %scopy of %s", masked ? "masked " : "",
			    env ? env : "?");
}

void dryrun_format_text(const json_t *report, strbuf *out)
{
	size_t i;
	json_t *s;
	strbuf_addf(out, "dry run of plan %.12s on %s",
		    json_string_value(json_object_get(report, "plan_id")),
		    json_string_value(json_object_get(report, "on")));
	dryrun_replica_phrase(report, out);
	strbuf_addch(out, '\n');
	strbuf_adds(out, "step    wall ms  lock held       rows    WAL bytes  "
			 "what\n");
	json_array_foreach(json_object_get(report, "steps"), i, s)
	    add_row(out, s);
	if (json_array_size(json_object_get(report, "rollback_steps")))
		strbuf_adds(out, "rollback:\n");
	json_array_foreach(json_object_get(report, "rollback_steps"), i, s)
	    add_row(out, s);
	const json_t *t = json_object_get(report, "totals");
	strbuf_addf(out,
		    "total: %.1f ms, longest lock held %.1f ms, %lld WAL "
		    "bytes\n",
		    num(t, "wall_ms"), num(t, "max_lock_held_ms"),
		    (long long)num(t, "wal_bytes"));
	const json_t *proof = json_object_get(report, "proof");
	add_proof(out, proof, "forward proof (reaches the target)",
		  "forward_empty", "forward_leftover");
	add_proof(out, proof, "rollback proof (back to the source)",
		  "rollback_empty", "rollback_leftover");
	const json_t *err = json_object_get(report, "error");
	strbuf_addf(out, "dry run: %s%s%s\n",
		    json_is_true(json_object_get(report, "ok")) ? "ok"
								: "FAILED",
		    json_is_string(err) ? ": " : "",
		    json_is_string(err) ? json_string_value(err) : "");
}
