/*
 * Apply (apply.h): the checks before the first statement, the run of
 * the steps (apply_steps.c), remediation and escalation, resume, and the
 * rollback of the last applied plan.
 */
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../util/xalloc.h"
#include "apply_internal.h"

void apply_opts_init(apply_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->max_retries = 5;
	o->retry_total_ms = 5LL * 60 * 1000;
	o->max_replica_lag_ms = 10000;
}

void apply_interrupt(void)
{
	exec_interrupt();
}

/* The live schema, as planning loads it (framework tables left out). */
int apply_live_model(const apply_state *st, model **m, char **fp, error *e)
{
	arena a = ARENA_INIT;
	char *f = NULL;
	*m = NULL;
	if (source_load(st->o->sc, st->o->url, m, e) < 0)
		return -1;
	if (fp) {
		if (plan_fingerprint(st->d, *m, &a, &f, e) < 0) {
			arena_free(&a);
			model_free(*m);
			*m = NULL;
			return -1;
		}
		*fp = xstrdup(f);
	}
	arena_free(&a);
	return 0;
}

/* The SQL from `from` to `to`, or why it cannot be had. */
static char *diff_sql(const dialect *d, const model *from, const model *to)
{
	diff_result dr;
	strbuf sb = STRBUF_INIT;
	error e = ERROR_INIT;
	diff_result_init(&dr);
	if (d->diff(from, to, &dr, &e) < 0)
		strbuf_addf(&sb, "(no diff: %s)", e.msg);
	else
		diff_result_format_sql(&dr, &sb);
	error_clear(&e);
	diff_result_release(&dr);
	return strbuf_detach(&sb);
}

/* What the live database lacks to be at `spec`, as SQL (or why not). */
static char *remaining_to(const apply_state *st, const model *live,
			  const char *spec)
{
	model *want = NULL;
	error e = ERROR_INIT;
	char *s;
	if (!spec)
		return xstrdup("(unknown: no schema to compare with)");
	if (source_load(st->o->sc, spec, &want, &e) < 0) {
		strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "(unknown: %s)", e.msg);
		s = strbuf_detach(&sb);
	} else {
		s = diff_sql(st->d, live, want);
	}
	error_clear(&e);
	model_free(want);
	return s;
}

int apply_new_id(char out[33], error *e)
{
	unsigned char b[16];
	if (RAND_bytes(b, sizeof(b)) != 1)
		return error_set(e, EXIT_USAGE, "no random bytes for an id");
	for (int i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
	return 0;
}

/* Open the journal's session and take the apply lock, waiting up to
 * o->wait_s. 1 taken, 0 held (said on stderr), -1 error. */
int apply_take_lock(apply_state *st, error *e)
{
	const dialect *d = st->d;
	time_t until = time(NULL) + st->o->wait_s;
	if (d->session_connect(st->o->url, &st->jr, e) < 0)
		return -1;
	for (;;) {
		char *holder = NULL;
		int r = d->apply_lock(st->jr, "git-schemig apply", &holder, e);
		if (r != 0) {
			free(holder);
			return r;
		}
		if (time(NULL) >= until || exec_interrupted()) {
			fprintf(stderr,
				"schemig: apply: another apply holds this "
				"database's lock: %s\n",
				holder ? holder : "(unknown session)");
			free(holder);
			return 0;
		}
		free(holder);
		usleep(500 * 1000);
	}
}

/* The newest apply of the journal whose outcome is not final, or NULL
 * (borrowed from `all`). */
json_t *apply_find_unfinished(json_t *all)
{
	size_t i;
	json_t *a;
	json_array_foreach(all, i, a)
	{
		const char *out =
		    json_string_value(json_object_get(a, "outcome"));
		if (out && (!strcmp(out, APPLY_RUNNING) ||
			    !strcmp(out, APPLY_PAUSED) ||
			    !strcmp(out, APPLY_ESCALATED)))
			return a;
	}
	return NULL;
}

/* Fill st->marks from the journal's step rows of apply `a`. */
static void read_marks(apply_state *st, const json_t *a)
{
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(a, "steps"), i, s)
	{
		int n = (int)json_integer_value(json_object_get(s, "n"));
		const char *ph = json_string_value(json_object_get(s, "phase"));
		const char *status =
		    json_string_value(json_object_get(s, "status"));
		if (n < 1 || n > st->p->nsteps || !ph || !status)
			continue;
		bool done = !strcmp(status, "done");
		if (!strcmp(ph, "forward")) {
			/* A paused step never ran. */
			st->marks[n].done = done;
			st->marks[n].started =
			    !done && strcmp(status, "paused") != 0;
		} else if (done) {
			st->marks[n].undone = true;
		}
	}
}

static json_t *steps_summary(const plan *p)
{
	json_t *a = json_array();
	for (int i = 0; i < p->nsteps; i++)
		json_array_append_new(a, json_pack("{s:i, s:s, s:s?}", "n",
						   p->steps[i].n, "kind",
						   p->steps[i].kind, "object",
						   p->steps[i].object));
	return a;
}

static void set_opt(json_t *o, const char *k, const char *v)
{
	json_object_set_new(o, k, v ? json_string(v) : json_null());
}

/* The journal's row for a new apply of st->p. */
int apply_journal_start(apply_state *st, const char *rollback_of, error *e)
{
	const apply_opts *o = st->o;
	strbuf pj = STRBUF_INIT;
	char *before = NULL, *changes = NULL;
	model *empty = model_new();
	int ret = -1;
	if (plan_to_json(st->p, &pj, e) < 0)
		goto out;
	/* "What did this database look like before" is one query: the
	 * source schema's creation script. */
	before = st->before ? diff_sql(st->d, empty, st->before) : NULL;
	json_t *sum = steps_summary(st->p);
	changes = json_dumps(sum, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(sum);
	json_t *f = json_object();
	set_opt(f, "id", st->id);
	set_opt(f, "env", o->env);
	set_opt(f, "plan_id", st->p->id);
	set_opt(f, "plan", strbuf_str(&pj));
	set_opt(f, "direction", st->rollback_run ? "rollback" : "apply");
	set_opt(f, "rollback_of", rollback_of);
	set_opt(f, "commit", o->commit);
	set_opt(f, "pull_request", o->pull_request);
	set_opt(f, "actor", o->actor);
	set_opt(f, "before_sql", before);
	set_opt(f, "changes", changes);
	set_opt(f, "outcome", APPLY_RUNNING);
	ret = apply_journal(st, JOURNAL_APPLY_START, f, e);
	st->in_journal = ret == 0;
out:
	model_free(empty);
	free(before);
	free(changes);
	strbuf_release(&pj);
	return ret;
}

int apply_journal_end(apply_state *st, const char *outcome, const json_t *trace,
		      error *e)
{
	json_t *f = json_object();
	set_opt(f, "id", st->id);
	set_opt(f, "outcome", outcome);
	char *t =
	    trace ? json_dumps(trace, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
	set_opt(f, "trace", t);
	free(t);
	if (st->cred_name[0])
		set_opt(f, "credential", st->cred_name);
	return apply_journal(st, JOURNAL_APPLY_END, f, e);
}

/*
 * Escalate: nothing more can be done safely. The trace (the failed step,
 * its SQL and error, the blockers, what was rolled back, what is left
 * to the source and to the target) goes to stderr, the journal, the
 * audit file and the webhook. Exit 3.
 */
int apply_escalate(apply_state *st, const char *why)
{
	model *live = NULL;
	error e = ERROR_INIT;
	json_t *trace = json_object();
	set_opt(trace, "apply_id", st->id);
	set_opt(trace, "plan_id", st->p->id);
	set_opt(trace, "env", st->o->env);
	set_opt(trace, "commit", st->o->commit);
	set_opt(trace, "pull_request", st->o->pull_request);
	set_opt(trace, "actor", st->o->actor);
	set_opt(trace, "why", why);
	json_object_set(trace, "failure",
			st->failure ? st->failure : json_null());
	json_object_set(trace, "rolled_back", st->rolled_back);
	if (apply_live_model(st, &live, NULL, &e) == 0) {
		char *src = st->before ? diff_sql(st->d, live, st->before)
				       : xstrdup("(unknown)");
		char *dst = remaining_to(st, live, st->o->to);
		set_opt(trace, "remaining_to_source", src);
		set_opt(trace, "remaining_to_target", dst);
		free(src);
		free(dst);
	} else {
		set_opt(trace, "remaining_to_source", e.msg);
		set_opt(trace, "remaining_to_target", e.msg);
	}
	error_clear(&e);
	model_free(live);

	/* Before the trace goes anywhere, so the advice goes with it. */
	apply_advice(st, trace);
	char *text = json_dumps(trace, JSON_SORT_KEYS | JSON_INDENT(2));
	fprintf(stderr,
		"schemig: apply: ESCALATION: %s. The database is neither at "
		"the plan's source nor at its target; a person must decide. "
		"Trace:\n%s\n",
		why, text ? text : "{}");
	free(text);
	apply_advice_say(trace);
	if (apply_journal_end(st, APPLY_ESCALATED, trace, &e) < 0)
		fprintf(stderr, "schemig: apply: %s\n", e.msg);
	error_clear(&e);
	apply_event(st, "escalated", json_pack("{s:O}", "trace", trace), NULL);
	apply_webhook(st, trace);
	json_decref(trace);
	return EXIT_DB;
}

/* Is the live schema at fingerprint `want`? -1: cannot tell. */
int apply_live_is(const apply_state *st, const char *want, error *e)
{
	model *m = NULL;
	char *fp = NULL;
	if (apply_live_model(st, &m, &fp, e) < 0)
		return -1;
	int same = want && !strcmp(fp, want);
	model_free(m);
	free(fp);
	return same;
}

/*
 * Undo the forward steps done (and a non-transactional one that ran in
 * part), last first, then prove the source is back: exit 1 when it is,
 * escalate otherwise.
 */
static int remediate(apply_state *st)
{
	const plan *p = st->p;
	error e = ERROR_INIT;
	for (int n = p->nsteps; n >= 1; n--) {
		const plan_step *s = &p->steps[n - 1];
		bool ran = st->marks[n].done ||
			   (st->marks[n].started && !s->transactional);
		if (!ran || st->marks[n].undone)
			continue;
		if (!s->rollback && (s->hazards & HZ_IRREVERSIBLE))
			return apply_escalate(
			    st, "a step that ran cannot be undone");
		if (!s->rollback)
			continue;
		json_t *keep = json_incref(st->failure);
		int r = apply_step(st, n, true);
		if (r < 0) {
			json_t *rb = st->failure;
			st->failure = keep;
			json_object_set_new(st->failure
						? st->failure
						: (st->failure = json_object()),
					    "rollback_failure", rb);
			return apply_escalate(st, "the remediation failed");
		}
		json_decref(st->failure);
		st->failure = keep;
		json_array_append_new(st->rolled_back, json_integer(n));
	}
	int back = apply_live_is(st, p->source_fp, &e);
	if (back != 1) {
		if (back < 0)
			fprintf(stderr, "schemig: apply: %s\n", e.msg);
		error_clear(&e);
		return apply_escalate(st,
				      "the steps were undone but the schema is "
				      "not the plan's source");
	}
	json_t *trace = json_pack("{s:O, s:O}", "failure",
				  st->failure ? st->failure : json_null(),
				  "rolled_back", st->rolled_back);
	char *t = json_dumps(trace, JSON_SORT_KEYS | JSON_INDENT(2));
	fprintf(stderr,
		"schemig: apply: failed and rolled back: the database is at "
		"the plan's source again (fingerprint proven). Trace:\n%s\n",
		t ? t : "{}");
	free(t);
	if (apply_journal_end(st, APPLY_ROLLED_BACK, trace, &e) < 0)
		fprintf(stderr, "schemig: apply: %s\n", e.msg);
	error_clear(&e);
	apply_event(st, "remediated", json_pack("{s:O}", "trace", trace), NULL);
	json_decref(trace);
	return EXIT_FOUND;
}

/* Tell the migration framework, in its own history table. */
static void record_framework(apply_state *st, double ms)
{
	const apply_opts *o = st->o;
	if (!o->record || st->rollback_run)
		return;
	strbuf sql = STRBUF_INIT;
	dialect_run_result res = {.own_lock = -1};
	error e = ERROR_INIT;
	/* The framework's table belongs to the application: with a
	 * one-shot login, that login writes it. */
	dialect_conn *c = st->cred_live && st->x.run ? st->x.run : st->jr;
	if (o->record(o->record_arg, st->d, (long long)ms, &sql, &e) < 0 ||
	    (sql.len && st->d->session_run(c, strbuf_str(&sql), &res, &e) < 0))
		apply_event(st, "framework_record_failed",
			    json_pack("{s:s}", "message", e.msg),
			    "the migration framework's history was not "
			    "updated");
	else if (sql.len)
		apply_event(st, "framework_recorded", NULL, NULL);
	error_clear(&e);
	strbuf_release(&sql);
}

/* Run the steps not done yet; then the proof, or remediation. */
static int run_steps(apply_state *st, double t0)
{
	const plan *p = st->p;
	error e = ERROR_INIT;
	apply_envelope_start(st);
	for (int n = 1; n <= p->nsteps; n++) {
		if (st->marks[n].done)
			continue;
		if (apply_past_deadline(st, n))
			return remediate(st);
		/* Which limits the gate found the step past: when it lets
		 * the step go, approvals lift them for the run too. */
		st->over = 0;
		int gate = apply_policy_gate(st, n, &e);
		if (gate < 0) {
			fprintf(stderr, "schemig: apply: %s\n", e.msg);
			error_clear(&e);
		}
		if (gate <= 0)
			return EXIT_FOUND;
		st->exempt = st->over;
		if (apply_step(st, n, false) < 0)
			return remediate(st);
	}
	double ms = apply_mono_ms() - t0;
	record_framework(st, ms);
	int at = apply_live_is(st, p->target_fp, &e);
	if (at < 0) {
		fprintf(stderr, "schemig: apply: %s\n", e.msg);
		error_clear(&e);
	}
	if (apply_journal_end(st, APPLY_APPLIED, NULL, &e) < 0) {
		fprintf(stderr, "schemig: apply: %s\n", e.msg);
		error_clear(&e);
	}
	apply_event(st, "completed",
		    json_pack("{s:i, s:f, s:b}", "steps", p->nsteps, "wall_ms",
			      ms, "target_proven", at == 1),
		    NULL);
	printf("applied plan %.12s (%d step%s) on %s in %.1f s%s\n", p->id,
	       p->nsteps, p->nsteps == 1 ? "" : "s",
	       st->o->env ? st->o->env : "the database", ms / 1000.0,
	       at == 1 ? "; the schema is at the plan's target (fingerprint "
			 "proven)"
		       : "; WARNING: the schema's fingerprint is not the "
			 "plan's target");
	return at == 1 ? EXIT_OK : EXIT_FOUND;
}

void apply_state_release(apply_state *st)
{
	/* Dropped on every way out: success, failure, remediation, a
	 * signal (the run stops, then comes here). */
	apply_credential_close(st);
	free(st->cred_owner);
	exec_close(&st->x);
	exec_result_release(&st->res);
	if (st->jr)
		st->d->session_close(st->jr);
	if (st->audit)
		fclose(st->audit);
	free(st->marks);
	model_free(st->before);
	json_decref(st->failure);
	json_decref(st->rolled_back);
}

int apply_state_open(apply_state *st, const apply_opts *o, const plan *p,
		     error *e)
{
	memset(st, 0, sizeof(*st));
	st->o = o;
	st->d = o->sc->dialect;
	st->p = p;
	exec_result_init(&st->res);
	st->marks = xcalloc((size_t)p->nsteps + 1, sizeof(apply_mark));
	st->hooks.before_commit = apply_before_commit;
	st->hooks.run = apply_run_backfill;
	st->hooks.arg = st;
	st->rolled_back = json_array();
	if (!st->d->journal_sql || !st->d->apply_lock || !st->d->journal_read)
		return error_set(e, EXIT_USAGE,
				 "the %s dialect cannot apply plans yet",
				 st->d->name);
	return apply_audit_open(st, e);
}

/*
 * The steps' sessions could not be had (the credential, a login): when
 * no step has run yet the apply is over, "failed" with nothing changed,
 * rather than unfinished; otherwise it stays for a resume.
 */
static void apply_not_started(apply_state *st, const error *why)
{
	for (int n = 1; n <= st->p->nsteps; n++)
		if (st->marks[n].done || st->marks[n].started)
			return;
	if (!st->in_journal)
		return;
	error e = ERROR_INIT;
	json_t *trace = json_pack("{s:s, s:b}", "message",
				  why->msg ? why->msg : "?", "changed", 0);
	if (apply_journal_end(st, APPLY_FAILED, trace, &e) < 0)
		fprintf(stderr, "schemig: apply: %s\n", e.msg);
	error_clear(&e);
	json_decref(trace);
}

int apply_open_exec(apply_state *st, error *e)
{
	int r = apply_credential_open(st, e);
	if (r == 0)
		r = exec_open_as(&st->x, st->d, st->p, st->o->url,
				 st->cred_live ? st->cred_name : NULL,
				 st->cred_password, st->o->progress, e);
	/* The steps' sessions are open: the password is needed no more. */
	apply_credential_wipe(st);
	if (r < 0) {
		apply_not_started(st, e);
		return -1;
	}
	st->x.hooks = &st->hooks;
	return 0;
}

/* The journal's applies (newest first), after its setup. */
int apply_journal_all(apply_state *st, json_t **all, error *e)
{
	if (apply_journal(st, JOURNAL_SETUP, NULL, e) < 0)
		return -1;
	return st->d->journal_read(st->jr, NULL, true, all, e);
}

static const char *field(const json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "?";
}

/* Refuse a plan while another one is unfinished; resume the same. */
int apply_check_unfinished(apply_state *st, json_t *u, error *e)
{
	const char *pid = json_string_value(json_object_get(u, "plan_id"));
	const char *id = json_string_value(json_object_get(u, "id"));
	if (!pid || strcmp(pid, st->p->id)) {
		fprintf(stderr,
			"schemig: apply: refused: apply %s of plan %.12s "
			"(started %s by %s) is unfinished (%s). Run `git "
			"schemig apply` without --plan to resume it, or `git "
			"schemig rollback` to undo what it did.\n",
			field(u, "id"), field(u, "plan_id"),
			field(u, "started"), field(u, "actor"),
			field(u, "outcome"));
		return 0;
	}
	snprintf(st->id, sizeof(st->id), "%s", id);
	st->in_journal = true;
	read_marks(st, u);
	const char *bsql = json_string_value(json_object_get(u, "before_sql"));
	if (bsql) {
		st->before = model_new();
		if (st->d->parse(st->before, bsql, "before_sql", e) < 0) {
			error_clear(e);
			model_free(st->before);
			st->before = NULL;
		} else {
			model_sort(st->before);
		}
	}
	return 1;
}

double apply_mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* The live schema against the plan: 1 go, 0 already applied, -1 drift
 * (said on stderr) or error (in e). */
static int check_drift(apply_state *st, json_t *all, error *e)
{
	char *fp = NULL;
	int ret = -1;
	if (apply_live_model(st, &st->before, &fp, e) < 0)
		return -2;
	if (st->p->source_fp && !strcmp(fp, st->p->source_fp)) {
		ret = 1;
		goto out;
	}
	size_t i;
	json_t *a;
	json_array_foreach(all, i, a)
	{
		const char *pid =
		    json_string_value(json_object_get(a, "plan_id"));
		const char *out =
		    json_string_value(json_object_get(a, "outcome"));
		const char *dir =
		    json_string_value(json_object_get(a, "direction"));
		if (pid && out && dir && !strcmp(pid, st->p->id) &&
		    !strcmp(out, APPLY_APPLIED) && !strcmp(dir, "apply") &&
		    st->p->target_fp && !strcmp(fp, st->p->target_fp)) {
			ret = 0;
			goto out;
		}
	}
	char *rest = remaining_to(st, st->before, st->o->to);
	fprintf(stderr,
		"schemig: apply: refused: the database has drifted from the "
		"plan's source.\n  live schema:   %s\n  plan's source: %s\n"
		"  plan's target: %s\nWhat the live database lacks to be at "
		"the schema file:\n%s\n",
		fp, st->p->source_fp ? st->p->source_fp : "?",
		st->p->target_fp ? st->p->target_fp : "?", rest);
	apply_event(st, "drift",
		    json_pack("{s:s, s:s?, s:s}", "live", fp, "source",
			      st->p->source_fp, "diff", rest),
		    NULL);
	free(rest);
out:
	free(fp);
	return ret;
}

int apply_run(const plan *p, const apply_opts *o, error *e)
{
	apply_state st;
	json_t *all = NULL;
	int ret = -1;
	double t0 = apply_mono_ms();
	exec_interrupt_clear();
	if (apply_state_open(&st, o, p, e) < 0)
		goto out;
	int lock = apply_take_lock(&st, e);
	if (lock <= 0) {
		ret = lock < 0 ? -1 : EXIT_FOUND;
		goto out;
	}
	if (apply_journal_all(&st, &all, e) < 0)
		goto out;
	json_t *u = apply_find_unfinished(all);
	if (u) {
		int r = apply_check_unfinished(&st, u, e);
		if (r <= 0) {
			ret = r < 0 ? -1 : EXIT_FOUND;
			goto out;
		}
		apply_event(&st, "resumed", NULL,
			    "resuming the unfinished apply");
		/* A paused (or escalated) apply is running again: the
		 * journal says so until it ends. */
		if (apply_journal_end(&st, APPLY_RUNNING, NULL, e) < 0)
			goto out;
	} else {
		if (apply_new_id(st.id, e) < 0)
			goto out;
		int pol = apply_policy_check(&st, e);
		if (pol <= 0) {
			ret = pol < 0 ? -1 : EXIT_FOUND;
			goto out;
		}
		int go = check_drift(&st, all, e);
		if (go < 0) {
			ret = go == -2 ? -1 : EXIT_FOUND;
			goto out;
		}
		if (go == 0 || p->nsteps == 0) {
			printf("nothing to apply: the database is at the "
			       "plan's target%s\n",
			       go == 0 ? " (applied before)" : "");
			ret = EXIT_OK;
			goto out;
		}
		if (apply_journal_start(&st, NULL, e) < 0)
			goto out;
		apply_event(&st, "plan_loaded",
			    json_pack("{s:i, s:s?, s:s?}", "steps", p->nsteps,
				      "source", p->source_fp, "target",
				      p->target_fp),
			    NULL);
		apply_event(&st, "drift_check", json_pack("{s:b}", "ok", 1),
			    NULL);
	}
	if (apply_open_exec(&st, e) < 0)
		goto out;
	ret = run_steps(&st, t0);
out:
	json_decref(all);
	apply_state_release(&st);
	return ret;
}

int apply_unfinished(const apply_opts *o, plan *p, error *e)
{
	const dialect *d = o->sc->dialect;
	dialect_conn *c = NULL;
	json_t *all = NULL;
	int ret = -1;
	if (!d->journal_read)
		return 0;
	if (d->session_connect(o->url, &c, e) < 0 ||
	    d->journal_read(c, NULL, true, &all, e) < 0)
		goto out;
	json_t *u = apply_find_unfinished(all);
	const char *pj =
	    u ? json_string_value(json_object_get(u, "plan")) : NULL;
	const char *dir =
	    u ? json_string_value(json_object_get(u, "direction")) : NULL;
	ret = 0;
	if (pj && dir && !strcmp(dir, "apply")) {
		ret = plan_from_json(p, pj, "the journal's plan", false, e) < 0
			  ? -1
			  : 1;
	}
out:
	json_decref(all);
	d->session_close(c);
	return ret;
}

int apply_history(const dialect *d, const char *url, json_t **out, error *e)
{
	dialect_conn *c = NULL;
	*out = NULL;
	if (!d->journal_read)
		return error_set(e, EXIT_USAGE,
				 "the %s dialect keeps no journal", d->name);
	int ret = d->session_connect(url, &c, e) < 0
		      ? -1
		      : d->journal_read(c, NULL, false, out, e);
	d->session_close(c);
	return ret;
}
