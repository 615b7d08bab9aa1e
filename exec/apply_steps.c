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

/*
 * The policy's envelope while the steps run. max_lock_ms bounds a lock
 * waited for (lock_timeout, through the plan's settings, which the
 * dialect's envelope turns into statements) and a lock held (the
 * executor's watcher cancels a transactional step once it has held its
 * strongest lock on its table longer: statement_timeout would also
 * count the wait, and the envelope gives scans and rewrites none).
 * max_duration_s is a deadline for the whole run.
 */
void apply_envelope_start(apply_state *st)
{
	const config_policy *pol = st->o->policy;
	st->enveloped = true;
	st->run_plan = *st->p;
	st->x.p = &st->run_plan;
	st->started_ms = apply_mono_ms();
	st->deadline_ms = -1;
	if (!pol)
		return;
	/* Waiting longer than the policy allows a lock to be held would
	 * block the sessions queued behind it as long; 0 would mean no
	 * timeout at all. */
	int *lt = &st->run_plan.settings.lock_timeout_ms;
	if (pol->max_lock_ms >= 0 && pol->max_lock_ms < *lt)
		*lt = pol->max_lock_ms > 0 ? (int)pol->max_lock_ms : 1;
	if (pol->max_duration_s >= 0)
		st->deadline_ms =
		    st->started_ms + (double)pol->max_duration_s * 1000.0;
}

void apply_say_deadline(const apply_state *st, strbuf *sb)
{
	strbuf_addf(sb,
		    "policy: max_duration_s %lld s (the apply has run %.1f s)",
		    st->o->policy ? st->o->policy->max_duration_s : -1,
		    (apply_mono_ms() - st->started_ms) / 1000.0);
}

bool apply_past_deadline(apply_state *st, int n)
{
	if (!st->enveloped || st->deadline_ms < 0 ||
	    apply_mono_ms() < st->deadline_ms)
		return false;
	const plan_step *s = &st->p->steps[n - 1];
	strbuf say = STRBUF_INIT;
	apply_say_deadline(st, &say);
	strbuf_addf(&say, "; stopped before step %d (%s)", n, s->kind);
	json_decref(st->failure);
	st->failure = json_pack("{s:i, s:s, s:s?, s:s, s:s}", "step", n, "kind",
				s->kind, "object", s->object, "message",
				strbuf_str(&say), "policy", "max_duration_s");
	apply_event(st, "policy_stop",
		    json_pack("{s:i, s:s, s:s}", "step", n, "limit",
			      "max_duration_s", "message", strbuf_str(&say)),
		    strbuf_str(&say));
	strbuf_release(&say);
	return true;
}

/* Set the watcher's limits for step n (exec_ctx.deadline_ms, hold_ms). */
static void set_limits(apply_state *st, int n, bool rollback)
{
	const config_policy *pol = st->o->policy;
	const plan_step *s = &st->p->steps[n - 1];
	st->x.deadline_ms = st->x.hold_ms = -1;
	if (rollback || !pol || !st->enveloped)
		return;
	/* At least a second: a step started just before the deadline
	 * is not cancelled the instant it begins. */
	if (st->deadline_ms >= 0) {
		double floor = apply_mono_ms() + 1000.0;
		st->x.deadline_ms =
		    st->deadline_ms > floor ? st->deadline_ms : floor;
	}
	/* A transaction holds its locks until it commits; outside one (a
	 * concurrent index build, a backfill's batches) nothing strong is
	 * held for long. An approved step may hold it longer. */
	if (pol->max_lock_ms >= 0 && s->transactional &&
	    !(st->exempt & APPLY_LIMIT_LOCK))
		st->x.hold_ms = (double)pol->max_lock_ms;
}

/* What the step's failure is called in the journal and the trace: the
 * policy's limit first when one stopped it. */
static void failure_message(const apply_state *st, int n, const exec_step *o,
			    const exec_failure *f, strbuf *sb)
{
	const config_policy *pol = st->o->policy;
	const char *server = o->error ? o->error : "failed";
	if (f->limit && !strcmp(f->limit, "hold_ms")) {
		const plan_step *s = &st->p->steps[n - 1];
		strbuf_addf(sb,
			    "policy: max_lock_ms %lld ms: step %d held a lock "
			    "on %s for %.0f ms (%s); cancelled",
			    pol->max_lock_ms, n,
			    s->table ? s->table : "its table", f->held_ms,
			    o->strongest_lock ? o->strongest_lock : "?");
	} else if (f->limit) {
		apply_say_deadline(st, sb);
		strbuf_addf(sb, "; step %d was cancelled", n);
	} else if (st->enveloped && pol && pol->max_lock_ms >= 0 &&
		   st->d->error_class &&
		   st->d->error_class(f->state) == DIALECT_ERR_LOCK_TIMEOUT &&
		   st->run_plan.settings.lock_timeout_ms <
		       st->p->settings.lock_timeout_ms) {
		strbuf_addf(sb,
			    "policy: max_lock_ms %lld ms (lock_timeout): %s",
			    pol->max_lock_ms, server);
	} else {
		strbuf_adds(sb, server);
	}
}

static bool retryable(const apply_state *st, const exec_failure *f)
{
	/* A limit of the policy is not a lock to wait for again. */
	if (f->interrupted || f->limit || !st->d->error_class)
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
			   const char *msg, const exec_failure *f, int attempts)
{
	const plan_step *s = &st->p->steps[n - 1];
	json_decref(st->failure);
	st->failure = json_pack(
	    "{s:i, s:s, s:s, s:s?, s:s?, s:s, s:s, s:s, s:o, s:i, s:b}", "step",
	    n, "phase", rollback ? "rollback" : "forward", "kind", s->kind,
	    "object", s->object, "sql", rollback ? s->rollback : s->forward,
	    "sqlstate", f->state, "message", msg, "detail", f->detail,
	    "blockers", blockers_json(f), "attempts", attempts, "interrupted",
	    f->interrupted);
	/* "policy: max_rows ...": which limit stopped it, as a field. */
	if (!strncmp(msg, "policy: ", 8)) {
		size_t len = strcspn(msg + 8, " ");
		json_object_set_new(st->failure, "policy",
				    json_stringn(msg + 8, len));
	}
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
		/* The limits of step n hold for its preparation too. */
		set_limits(st, n, rollback);
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
		strbuf msg = STRBUF_INIT;
		failure_message(st, n, out, &f, &msg);
		json_t *m = measured(st, out, n, rollback);
		json_object_set_new(m, "status", json_string("failed"));
		json_object_set_new(m, "sqlstate", json_string(f.state));
		json_object_set_new(m, "message", json_string(msg.buf));
		if (apply_journal(st, JOURNAL_STEP_END, m, &e) < 0) {
			strbuf_release(&msg);
			goto journal_failed;
		}
		/* The step ran partly, outside a transaction: it counts as
		 * started for the next attempt and for remediation. */
		if (!rollback)
			st->marks[n].started = true;
		strbuf say = STRBUF_INIT;
		bool again = retryable(st, &f) && attempt <= o->max_retries &&
			     apply_mono_ms() - t0 < (double)o->retry_total_ms;
		strbuf_addf(&say, "step %d (%s): %s; ", n, s->kind, msg.buf);
		say_blockers(&f, &say);
		long long wait = again ? backoff_ms(attempt) : 0;
		/* No wait past the deadline: the next attempt would be
		 * stopped there anyway. */
		if (again && st->enveloped && st->deadline_ms >= 0 &&
		    apply_mono_ms() + (double)wait > st->deadline_ms)
			wait = (long long)(st->deadline_ms - apply_mono_ms());
		if (wait < 0)
			wait = 0;
		if (again)
			strbuf_addf(&say, "; retry %d of %d in %.1f s", attempt,
				    o->max_retries, (double)wait / 1000.0);
		apply_event(st, again ? "step_retry" : "step_error",
			    json_pack("{s:i, s:i, s:s, s:s, s:s, s:o, s:I}",
				      "step", n, "attempt", attempt, "sqlstate",
				      f.state, "message", msg.buf, "detail",
				      f.detail, "blockers", blockers_json(&f),
				      "retry_in_ms", (json_int_t)wait),
			    strbuf_str(&say));
		strbuf_release(&say);
		if (!again) {
			record_failure(st, n, rollback, msg.buf, &f, attempt);
			strbuf_release(&msg);
			return -1;
		}
		nap(wait);
		if (exec_interrupted()) {
			f.interrupted = true;
			record_failure(st, n, rollback, msg.buf, &f, attempt);
			strbuf_release(&msg);
			return -1;
		}
		strbuf_release(&msg);
		if (!rollback && apply_past_deadline(st, n))
			return -1;
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
