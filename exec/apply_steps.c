/*
 * One step of an apply (apply_internal.h): journalled before it starts
 * and after it ends, its "done" written in its own transaction, retried
 * with backoff while a lock is not granted, naming who holds it.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../util/xalloc.h"
#include "apply_internal.h"

void apply_test_kill(const char *what, int n)
{
	/* Only the test suites set this: a crash at a chosen point is the
	 * one thing a test cannot otherwise time. */
	const char *v = getenv("SCHEMIG_TEST_KILL");
	size_t len = strlen(what);
	if (v && !strncmp(v, what, len) && v[len] == ':' &&
	    atoi(v + len + 1) == n)
		raise(SIGKILL);
}

json_t *apply_step_key(const apply_state *st, int n, bool rollback)
{
	return json_pack("{s:s, s:s, s:i}", "apply_id", st->id, "phase",
			 rollback ? "rollback" : "forward", "n", n);
}

void apply_before_commit(void *arg, const plan_step *s, bool rollback,
			 strbuf *sql)
{
	apply_state *st = arg;
	json_t *f = apply_step_key(st, s->n, rollback);
	json_object_set_new(f, "status", json_string("done"));
	error e = ERROR_INIT;
	/* A journal statement that cannot be built would leave the step
	 * unrecorded: its transaction must fail rather than commit. */
	if (st->d->journal_sql(JOURNAL_STEP_END, f, sql, &e) < 0)
		strbuf_adds(sql, "schemig journal failure;\n");
	error_clear(&e);
	json_decref(f);
	/* Run as a one-shot login, what the step made goes to the owner
	 * before the commit: the login never owns anything past it. */
	if (st->cred_live && st->cred_owner)
		st->d->credential_handover_sql(st->cred_owner, sql);
}

/* Sleep `ms`, in slices, stopping early on an interruption. */
static void nap(long long ms)
{
	while (ms > 0 && !exec_interrupted()) {
		long long d = ms < 50 ? ms : 50;
		usleep((useconds_t)(d * 1000));
		ms -= d;
	}
}

static json_t *blockers_json(const exec_failure *f)
{
	json_t *a = json_array();
	for (int i = 0; i < f->nblockers; i++) {
		const dialect_blocker *b = &f->blockers[i];
		json_array_append_new(
		    a,
		    json_pack("{s:I, s:s, s:s, s:s, s:s}", "pid",
			      (json_int_t)b->pid, "application", b->application,
			      "state", b->state, "query_start", b->query_start,
			      "query", b->query));
	}
	return a;
}

/* "pid 4242 (psql, idle in transaction since ...: LOCK TABLE ...)". */
static void say_blockers(const exec_failure *f, strbuf *sb)
{
	if (!f->nblockers) {
		strbuf_adds(sb, "no blocking session was seen");
		return;
	}
	strbuf_adds(sb, "blocked by ");
	for (int i = 0; i < f->nblockers; i++) {
		const dialect_blocker *b = &f->blockers[i];
		strbuf_addf(sb, "%spid %lld (%s, %s since %s: %s)",
			    i ? "; " : "", b->pid,
			    *b->application ? b->application : "?", b->state,
			    b->query_start, b->query);
	}
}

/* The measured step as journal fields. */
static json_t *measured(const apply_state *st, const exec_step *o, int n,
			bool rollback)
{
	json_t *f = apply_step_key(st, n, rollback);
	/* A backfill's batches count its rows in the journal themselves,
	 * across a resume; this run saw only its own. */
	bool batched = !rollback && st->p->steps[n - 1].backfill;
	if (o->rows >= 0 && !batched)
		json_object_set_new(f, "rows", json_integer(o->rows));
	json_object_set_new(f, "lock_wait_ms", json_real(o->lock_wait_ms));
	json_object_set_new(f, "lock_held_ms", json_real(o->lock_held_ms));
	json_object_set_new(f, "lock",
			    o->strongest_lock ? json_string(o->strongest_lock)
					      : json_null());
	return f;
}

/*
 * A step outside a transaction that a crash or a failure interrupted
 * may have left an INVALID index behind: the plan drops such a leftover
 * in the step just before the build, and running that again first
 * makes the build safe to repeat.
 */
static int repeat_prepare(apply_state *st, int n, bool rollback)
{
	const plan_step *s = &st->p->steps[n - 1];
	if (rollback || s->transactional || n < 2)
		return 0;
	const plan_step *prev = &st->p->steps[n - 2];
	if (strcmp(prev->kind, "drop_invalid_index") || !prev->object ||
	    !s->object || strcmp(prev->object, s->object))
		return 0;
	exec_failure f;
	apply_event(st, "step_repeat_prepare",
		    json_pack("{s:i, s:i}", "step", n, "prepare", n - 1), NULL);
	return exec_step_run(&st->x, &st->res, n - 1, false, &f) ? 0 : -1;
}

static bool retryable(const apply_state *st, const exec_failure *f)
{
	if (f->interrupted || !st->d->error_class)
		return false;
	enum dialect_error_class c = st->d->error_class(f->state);
	return c == DIALECT_ERR_LOCK_TIMEOUT || c == DIALECT_ERR_DEADLOCK;
}

/* Exponential, with jitter so that two waiting appliers do not retry in
 * step: 0.5 s, 1 s, 2 s, ... at most 30 s, each times 0.5 to 1.5. */
static long long backoff_ms(int attempt)
{
	long long base = 500LL << (attempt < 7 ? attempt - 1 : 6);
	if (base > 30000)
		base = 30000;
	return base / 2 + (long long)(rand() % (int)(base + 1));
}

static void record_failure(apply_state *st, int n, bool rollback,
			   const exec_step *o, const exec_failure *f,
			   int attempts)
{
	const plan_step *s = &st->p->steps[n - 1];
	json_decref(st->failure);
	st->failure = json_pack(
	    "{s:i, s:s, s:s, s:s?, s:s?, s:s, s:s, s:s, s:o, s:i, s:b}", "step",
	    n, "phase", rollback ? "rollback" : "forward", "kind", s->kind,
	    "object", s->object, "sql", rollback ? s->rollback : s->forward,
	    "sqlstate", f->state, "message", o->error ? o->error : "failed",
	    "detail", f->detail, "blockers", blockers_json(f), "attempts",
	    attempts, "interrupted", f->interrupted);
}

int apply_step(apply_state *st, int n, bool rollback)
{
	const plan_step *s = &st->p->steps[n - 1];
	const apply_opts *o = st->o;
	double t0 = apply_mono_ms();
	error e = ERROR_INIT;
	bool repeat = !rollback && st->marks[n].started;
	for (int attempt = 1;; attempt++) {
		json_t *k = apply_step_key(st, n, rollback);
		json_object_set_new(k, "kind", json_string(s->kind));
		json_object_set_new(k, "object",
				    s->object ? json_string(s->object)
					      : json_null());
		json_object_set_new(k, "status", json_string("running"));
		if (apply_journal(st, JOURNAL_STEP_START, k, &e) < 0)
			goto journal_failed;
		apply_event(st, rollback ? "rollback_step_start" : "step_start",
			    json_pack("{s:i, s:s, s:s?, s:i}", "step", n,
				      "kind", s->kind, "object", s->object,
				      "attempt", attempt),
			    NULL);
		/* When the drop fails, the build fails too and says why. */
		if (repeat || attempt > 1)
			(void)repeat_prepare(st, n, rollback);
		exec_failure f;
		bool ok = exec_step_run(&st->x, &st->res, n, rollback, &f);
		const exec_step *out =
		    rollback
			? &st->res.rollback_steps[st->res.nrollback_steps - 1]
			: &st->res.steps[st->res.nsteps - 1];
		if (ok) {
			apply_test_kill("after-commit", n);
			json_t *m = measured(st, out, n, rollback);
			json_object_set_new(m, "status", json_string("done"));
			if (apply_journal(st, JOURNAL_STEP_END, m, &e) < 0)
				goto journal_failed;
			apply_event(
			    st, rollback ? "rollback_step_end" : "step_end",
			    json_pack("{s:i, s:I, s:f, s:f, s:f, s:s?}", "step",
				      n, "rows", (json_int_t)out->rows,
				      "wall_ms", out->wall_ms, "lock_wait_ms",
				      out->lock_wait_ms, "lock_held_ms",
				      out->lock_held_ms, "lock",
				      out->strongest_lock),
			    NULL);
			if (rollback)
				st->marks[n].undone = true;
			else
				st->marks[n].done = true;
			return 0;
		}
		json_t *m = measured(st, out, n, rollback);
		json_object_set_new(m, "status", json_string("failed"));
		json_object_set_new(m, "sqlstate", json_string(f.state));
		json_object_set_new(m, "message",
				    json_string(out->error ? out->error : "?"));
		if (apply_journal(st, JOURNAL_STEP_END, m, &e) < 0)
			goto journal_failed;
		/* The step ran partly, outside a transaction: it counts as
		 * started for the next attempt and for remediation. */
		if (!rollback)
			st->marks[n].started = true;
		strbuf say = STRBUF_INIT;
		bool again = retryable(st, &f) && attempt <= o->max_retries &&
			     apply_mono_ms() - t0 < (double)o->retry_total_ms;
		strbuf_addf(&say, "step %d (%s): %s; ", n, s->kind,
			    out->error ? out->error : "failed");
		say_blockers(&f, &say);
		long long wait = again ? backoff_ms(attempt) : 0;
		if (again)
			strbuf_addf(&say, "; retry %d of %d in %.1f s", attempt,
				    o->max_retries, (double)wait / 1000.0);
		apply_event(st, again ? "step_retry" : "step_error",
			    json_pack("{s:i, s:i, s:s, s:s, s:s, s:o, s:I}",
				      "step", n, "attempt", attempt, "sqlstate",
				      f.state, "message",
				      out->error ? out->error : "?", "detail",
				      f.detail, "blockers", blockers_json(&f),
				      "retry_in_ms", (json_int_t)wait),
			    strbuf_str(&say));
		strbuf_release(&say);
		if (!again) {
			record_failure(st, n, rollback, out, &f, attempt);
			return -1;
		}
		nap(wait);
		if (exec_interrupted()) {
			f.interrupted = true;
			record_failure(st, n, rollback, out, &f, attempt);
			return -1;
		}
		repeat = true;
	}
journal_failed:
	json_decref(st->failure);
	st->failure = json_pack("{s:i, s:s, s:s}", "step", n, "kind", s->kind,
				"message", e.msg ? e.msg : "journal failed");
	fprintf(stderr, "schemig: apply: the journal cannot be written: %s\n",
		e.msg ? e.msg : "?");
	error_clear(&e);
	return -1;
}
