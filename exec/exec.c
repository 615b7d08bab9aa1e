/*
 * The execution core (exec.h): each step runs in its dialect's envelope
 * on one session while a second session watches the locks the first one
 * holds and waits for.
 */
#include "exec.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../util/xalloc.h"

/* The statement being run, for the signal handler to cancel: the
 * handle and the dialect that knows how. */
static const dialect *volatile running_dialect;
static dialect_cancel *volatile running_cancel;
static volatile sig_atomic_t interrupted;

void exec_interrupt(void)
{
	interrupted = 1;
	dialect_cancel *k = running_cancel;
	const dialect *d = running_dialect;
	if (k && d)
		d->session_cancel(k);
}

void exec_interrupt_clear(void)
{
	interrupted = 0;
}

bool exec_interrupted(void)
{
	return interrupted != 0;
}

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

void exec_result_init(exec_result *r)
{
	memset(r, 0, sizeof(*r));
}

void exec_result_release(exec_result *r)
{
	arena_free(&r->arena);
	memset(r, 0, sizeof(*r));
}

int exec_open(exec_ctx *x, const dialect *d, const plan *p, const char *url,
	      bool progress, error *e)
{
	return exec_open_as(x, d, p, url, NULL, NULL, progress, e);
}

int exec_open_as(exec_ctx *x, const dialect *d, const plan *p, const char *url,
		 const char *user, const char *password, bool progress,
		 error *e)
{
	memset(x, 0, sizeof(*x));
	x->d = d;
	x->p = p;
	x->progress = progress;
	x->deadline_ms = x->hold_ms = -1;
	x->done = xcalloc((size_t)p->nsteps + 1, sizeof(int));
	if (!user)
		return d->session_connect(url, &x->run, e) < 0 ||
			       d->session_connect(url, &x->mon, e) < 0
			   ? -1
			   : 0;
	if (!d->session_connect_as)
		return error_set(e, EXIT_USAGE,
				 "the %s dialect cannot log in as another "
				 "user",
				 d->name);
	return d->session_connect_as(url, user, password, &x->run, e) < 0 ||
		       d->session_connect_as(url, user, password, &x->mon, e) <
			   0
		   ? -1
		   : 0;
}

void exec_close(exec_ctx *x)
{
	if (x->d) {
		x->d->session_close(x->run);
		x->d->session_close(x->mon);
	}
	free(x->done);
	memset(x, 0, sizeof(*x));
}

/* What the watcher thread saw during one step. */
typedef struct watch {
	const exec_ctx *x;
	const char *table;
	volatile int stop;
	double wait_ms, held_ms;
	int strongest; /* index in lock_modes, -1 none */
	/* Who the session waited for, asked once per step, when it is
	 * first seen waiting. */
	dialect_blocker blockers[DIALECT_BLOCKERS_MAX];
	int nblockers;
	bool asked;
	/* The limits (exec_ctx.deadline_ms, hold_ms) of a forward step:
	 * the handle that cancels it, NULL when none applies, and the
	 * limit it was cancelled for. */
	dialect_cancel *cancel;
	const char *fired;
	pthread_t thread;
} watch;

/* Past a limit of the step: cancel it, once. */
static void watch_limits(watch *w, double t)
{
	const exec_ctx *x = w->x;
	if (!w->cancel || w->fired)
		return;
	if (x->deadline_ms >= 0 && t >= x->deadline_ms)
		w->fired = "deadline_ms";
	else if (x->hold_ms >= 0 && w->strongest >= 0 &&
		 w->held_ms > x->hold_ms)
		w->fired = "hold_ms";
	if (w->fired)
		x->d->session_cancel(w->cancel);
}

/*
 * Poll every ~5 ms: an ungranted request of the running session is time
 * spent waiting; the strongest granted lock on the step's table is
 * credited with the time since the previous poll while it is seen.
 */
static void *watch_loop(void *arg)
{
	watch *w = arg;
	double prev = now_ms();
	while (!w->stop) {
		dialect_locks l;
		int rc =
		    w->x->d->session_locks(w->x->mon, w->x->run, w->table, &l);
		double t = now_ms(), dt = t - prev;
		prev = t;
		if (rc == 0) {
			if (l.waiting)
				w->wait_ms += dt;
			if (l.waiting && !w->asked &&
			    w->x->d->session_blockers) {
				int n = w->x->d->session_blockers(
				    w->x->mon, w->x->run, w->blockers,
				    DIALECT_BLOCKERS_MAX);
				w->nblockers = n > 0 ? n : 0;
				w->asked = n > 0;
			}
			if (l.strongest >= 0 && l.strongest > w->strongest) {
				w->strongest = l.strongest;
				w->held_ms = dt;
			} else if (l.strongest >= 0 &&
				   l.strongest == w->strongest) {
				w->held_ms += dt;
			}
		}
		watch_limits(w, t);
		usleep(5000);
	}
	return NULL;
}

/* Sizes and the log position before a step, and after it. */
typedef struct sizes {
	long long table, index;
	char *log_pos; /* malloc'd, NULL unknown */
} sizes;

static void measure(const exec_ctx *x, const char *table, sizes *m)
{
	m->table = x->d->session_table_bytes(x->mon, table, false);
	m->index = x->d->session_table_bytes(x->mon, table, true);
	m->log_pos = x->d->session_log_position
			 ? x->d->session_log_position(x->mon)
			 : NULL;
}

/*
 * Send one step in its envelope. A transaction goes as one text (one
 * round trip: nothing between its statements), with the lock probe
 * before its commit; a failed one is ended by the envelope's abort.
 * Outside a transaction, the envelope's session statements, the body,
 * then its statements after, each sent on its own.
 */
static int send_enveloped(const exec_ctx *x, const dialect_envelope *env,
			  const plan_step *s, bool rollback,
			  dialect_run_result *res, error *e)
{
	const char *table = s->table;
	const dialect *d = x->d;
	dialect_run_result ignored = {.own_lock = -1};
	strbuf sb = STRBUF_INIT;
	int rc;
	if (env->transaction) {
		char *probe = table && d->session_lock_probe
				  ? d->session_lock_probe(x->run, table)
				  : NULL;
		strbuf tail = STRBUF_INIT;
		if (probe)
			strbuf_adds(&tail, probe);
		if (x->hooks && x->hooks->before_commit)
			x->hooks->before_commit(x->hooks->arg, s, rollback,
						&tail);
		plan_format_envelope(env, tail.len ? tail.buf : NULL, &sb);
		strbuf_release(&tail);
		free(probe);
		rc = d->session_run(x->run, strbuf_str(&sb), res, e);
		if (rc < 0) {
			error ie = ERROR_INIT;
			d->session_run(x->run, env->abort, &ignored, &ie);
			error_clear(&ie);
		}
	} else {
		for (int i = 0; i < env->nbefore; i++)
			strbuf_addf(&sb, "%s%s", i ? "; " : "", env->before[i]);
		rc = d->session_run(x->run, strbuf_str(&sb), &ignored, e);
		if (!rc)
			rc = d->session_run(x->run, env->body, res, e);
		for (int i = 0; !rc && i < env->nafter; i++)
			rc = d->session_run(x->run, env->after[i], &ignored, e);
	}
	strbuf_release(&sb);
	return rc;
}

/*
 * A step outside a transaction that was cut short (schemig killed after
 * the server did the work, before the journal said so) would fail when
 * run again ("duplicate column"): its guard asks the server whether the
 * work is there. 1 it is (said on stderr; the step is not sent), 0 it is
 * not or there is no guard, -1 the guard itself failed.
 */
static int already_done(const exec_ctx *x, const plan_step *s, bool rollback,
			error *e)
{
	const char *guard = rollback ? s->rollback_guard : s->guard;
	char *v = NULL;
	if (!guard || !x->d->session_query)
		return 0;
	int rows = x->d->session_query(x->run, guard, &v, 1, NULL, e);
	if (rows < 0)
		return -1;
	int done = rows > 0 && v && !strcmp(v, "1");
	free(v);
	if (done)
		fprintf(stderr,
			"schemig: step %d (%s %s): %s already there, not run "
			"again\n",
			s->n, s->kind, s->object ? s->object : "",
			rollback ? "its rollback's work is" : "its work is");
	return done;
}

/*
 * The step failed, but a session of an earlier, killed run may have been
 * doing the same work and finished first (the server carries on with a
 * statement whose client died): "duplicate column" then means done. 0
 * when the guard says so (e cleared), -1 otherwise (e kept).
 */
static int done_after_all(const exec_ctx *x, const plan_step *s, bool rollback,
			  error *e)
{
	error ge = ERROR_INIT;
	if (!(rollback ? s->rollback_guard : s->guard) ||
	    already_done(x, s, rollback, &ge) <= 0) {
		error_clear(&ge);
		return -1;
	}
	error_clear(e);
	return 0;
}

/* Run the step's SQL, cancellable unless it is a rollback; the error's
 * message becomes the step's. */
static int run_body(const exec_ctx *x, const plan_step *s, bool rollback,
		    dialect_run_result *res, char **err)
{
	dialect_envelope env = {0};
	error e = ERROR_INIT;
	int rc = -1;
	dialect_cancel *k = x->d->session_cancel_new(x->run);
	/* A rollback is what restores the database: never cancel it. */
	if (!rollback) {
		running_dialect = x->d;
		running_cancel = k;
	}
	int hooked = 0;
	if (interrupted)
		error_set(&e, EXIT_USAGE, "interrupted");
	else if (x->hooks && x->hooks->run &&
		 (hooked = x->hooks->run(x->hooks->arg, (exec_ctx *)x, s,
					 rollback, res, &e)) != 0)
		rc = hooked > 0 && !e.msg ? 0 : -1;
	else if ((hooked = already_done(x, s, rollback, &e)) != 0)
		rc = hooked > 0 ? 0 : -1;
	else if (plan_step_envelope(x->p, s, rollback, &env, &e) == 0 &&
		 (rc = send_enveloped(x, &env, s, rollback, res, &e)) < 0)
		rc = done_after_all(x, s, rollback, &e);
	running_cancel = NULL;
	x->d->session_cancel_free(k);
	dialect_envelope_release(&env);
	if (rc < 0)
		*err = xstrdup(e.msg ? e.msg : "failed");
	error_clear(&e);
	return rc;
}

/* DDL reports no row count: a step that scans, rewrites or backfills
 * went through every row of its table. */
static bool counts_table(const plan_step *s)
{
	return s->table &&
	       (s->scans || s->rewrites || !strcmp(s->kind, "backfill"));
}

/* The measured step, its strings in r's arena. */
static void fill_step(exec_result *r, exec_step *o, const plan_step *s)
{
	o->n = s->n;
	o->kind = arena_strdup(&r->arena, s->kind);
	o->object = arena_strdup(&r->arena, s->object);
	o->table = arena_strdup(&r->arena, s->table);
	/* The plan's estimate comes from the production source: scale the
	 * measured time to it. */
	o->source_rows = s->table ? s->est_rows : -1;
	o->projected_ms =
	    o->source_rows >= 0 && o->rows > 0
		? o->wall_ms * (double)o->source_rows / (double)o->rows
		: -1;
}

/*
 * Run one step's forward (or rollback) SQL in its envelope, measured,
 * into a new item of r's forward (rollback) steps. True when it ran.
 */
static bool run_step(exec_ctx *x, exec_result *r, const plan_step *s,
		     bool rollback, exec_failure *f)
{
	const dialect *d = x->d;
	exec_step *o =
	    rollback ? ARENA_PUSH(&r->arena, r->rollback_steps,
				  r->nrollback_steps, r->crollback_steps)
		     : ARENA_PUSH(&r->arena, r->steps, r->nsteps, r->csteps);
	sizes before, after;
	dialect_run_result res = {.own_lock = -1};
	char *err = NULL;

	measure(x, s->table, &before);
	if (x->progress)
		fprintf(stderr, "schemig: %s step %d/%d: %s %s...\n",
			rollback ? "undoing" : "running", s->n, x->p->nsteps,
			s->kind, s->object ? s->object : "");
	watch w = {.x = x, .table = s->table, .strongest = -1};
	/* Its own handle: the one run_body makes is freed while the
	 * watcher may still be polling. */
	if (!rollback && (x->deadline_ms >= 0 || x->hold_ms >= 0))
		w.cancel = d->session_cancel_new(x->run);
	/* The monitor session belongs to the watcher while it runs. */
	pthread_create(&w.thread, NULL, watch_loop, &w);
	double t0 = now_ms();
	int rc = run_body(x, s, rollback, &res, &err);
	o->wall_ms = now_ms() - t0;
	w.stop = 1;
	pthread_join(w.thread, NULL);
	if (f) {
		memset(f, 0, sizeof(*f));
		memcpy(f->state, res.state, sizeof(f->state));
		memcpy(f->detail, res.detail, sizeof(f->detail));
		f->interrupted = rc != 0 && interrupted;
		memcpy(f->blockers, w.blockers, sizeof(w.blockers));
		f->nblockers = w.nblockers;
		f->limit = rc != 0 ? w.fired : NULL;
		f->held_ms = w.held_ms;
	}
	if (w.cancel)
		d->session_cancel_free(w.cancel);

	o->rows = res.counted ? res.rows : -1;
	if (!res.counted && rc == 0 && !rollback && counts_table(s))
		o->rows = d->session_count_rows(x->mon, s->table);
	measure(x, s->table, &after);
	o->log_bytes = before.log_pos && d->session_log_bytes
			   ? d->session_log_bytes(x->mon, before.log_pos)
			   : -1;
	free(before.log_pos);
	free(after.log_pos);

	int strongest = res.own_lock > w.strongest ? res.own_lock : w.strongest;
	o->ok = rc == 0;
	o->error = arena_strdup(&r->arena, err);
	o->lock_wait_ms = w.wait_ms;
	o->lock_held_ms = w.held_ms;
	o->strongest_lock =
	    strongest >= 0 ? arena_strdup(&r->arena, d->lock_modes[strongest])
			   : NULL;
	o->table_bytes_before = before.table;
	o->table_bytes_after = after.table;
	o->index_bytes_before = before.index;
	o->index_bytes_after = after.index;
	fill_step(r, o, s);
	free(err);
	return rc == 0;
}

bool exec_forward(exec_ctx *x, exec_result *r)
{
	for (int i = 0; i < x->p->nsteps; i++) {
		const plan_step *s = &x->p->steps[i];
		if (!run_step(x, r, s, false, NULL)) {
			r->failed_step = i + 1;
			r->interrupted = interrupted;
			/* A step outside a transaction may have left work
			 * behind (an invalid index, committed batches). */
			if (!s->transactional)
				x->done[x->ndone++] = i + 1;
			return false;
		}
		x->done[x->ndone++] = i + 1;
	}
	return true;
}

bool exec_step_run(exec_ctx *x, exec_result *r, int n, bool rollback,
		   exec_failure *f)
{
	return run_step(x, r, &x->p->steps[n - 1], rollback, f);
}

bool exec_undo(exec_ctx *x, exec_result *r)
{
	bool all = true;
	for (int i = x->ndone - 1; i >= 0; i--) {
		const plan_step *s = &x->p->steps[x->done[i] - 1];
		if (!s->rollback)
			continue;
		/* The rollback must run even after an interruption. */
		sig_atomic_t was = interrupted;
		interrupted = 0;
		all &= run_step(x, r, s, true, NULL);
		interrupted = was;
	}
	return all;
}
