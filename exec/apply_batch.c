/*
 * Backfills under apply (apply_internal.h): the typed backfill of a step
 * runs one batch per statement (dialect->backfill_batch_sql), each
 * batch's checkpoint written in the batch's own transaction, so a killed
 * apply resumes after the last committed batch and no row is written
 * twice. The batch size follows the measured batch time, and the pause
 * between batches grows while the standbys lag.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../util/xalloc.h"
#include "apply_internal.h"

/* A batch holds its row locks for its whole time: aim at ~100 ms. */
#define BATCH_TARGET_MS 100.0
#define BATCH_MIN	100
#define BATCH_MAX	100000
#define PAUSE_MAX_MS	10000

/* The next batch size: scaled toward the target time, at most doubled
 * or halved at once (one slow batch is not a trend). */
static int next_limit(int limit, double took_ms)
{
	double f = took_ms > 1.0 ? BATCH_TARGET_MS / took_ms : 2.0;
	if (f > 2.0)
		f = 2.0;
	if (f < 0.5)
		f = 0.5;
	long long n = (long long)((double)limit * f);
	return n < BATCH_MIN ? BATCH_MIN : n > BATCH_MAX ? BATCH_MAX : (int)n;
}

static void show(const plan_step *s, int nsteps, long long done,
		 long long total, double rate)
{
	if (total > 0)
		fprintf(stderr,
			"\rschemig: step %d/%d: backfill %s: %lld / %lld rows "
			"(%.0f rows/s)   ",
			s->n, nsteps, s->backfill->table, done, total, rate);
	else
		fprintf(stderr,
			"\rschemig: step %d/%d: backfill %s: %lld rows "
			"(%.0f rows/s)   ",
			s->n, nsteps, s->backfill->table, done, rate);
}

/* The envelope's session statements, one at a time. */
static int run_each(const apply_state *st, exec_ctx *x, char *const *sql, int n,
		    error *e)
{
	dialect_run_result ignored = {.own_lock = -1};
	for (int i = 0; i < n; i++)
		if (st->d->session_run(x->run, sql[i], &ignored, e) < 0)
			return -1;
	return 0;
}

/*
 * The rows step n's batches wrote before this attempt (a resumed apply,
 * an earlier attempt), as the journal's step row adds them up; 0 when
 * it holds none or cannot be read.
 */
static long long rows_before(const apply_state *st, int n)
{
	json_t *all = NULL;
	error e = ERROR_INIT;
	long long rows = 0;
	if (st->d->journal_read(st->jr, st->id, false, &all, &e) == 0) {
		size_t i;
		json_t *r;
		json_array_foreach(
		    json_object_get(json_array_get(all, 0), "steps"), i, r)
		{
			const char *ph =
			    json_string_value(json_object_get(r, "phase"));
			if (json_integer_value(json_object_get(r, "n")) == n &&
			    ph && !strcmp(ph, "forward"))
				rows = json_integer_value(
				    json_object_get(r, "rows"));
		}
	}
	error_clear(&e);
	json_decref(all);
	return rows;
}

int apply_run_backfill(void *arg, exec_ctx *x, const plan_step *s,
		       bool rollback, dialect_run_result *res, error *e)
{
	apply_state *st = arg;
	const dialect *d = st->d;
	const config_policy *pol = st->o->policy;
	if (rollback || !s->backfill || !d->backfill_batch_sql ||
	    !d->session_query)
		return 0;
	dialect_envelope env = {0};
	strbuf sql = STRBUF_INIT;
	int limit = s->batch_size > 0 ? s->batch_size : 1000;
	long long pause = s->batch_pause_ms, done = 0, before = 0;
	long long total = s->est_rows;
	double t_start = apply_mono_ms();
	int ret = -1;

	/* x->p: the plan as exec runs it, with the policy's lock_timeout
	 * (apply_envelope_start). */
	if (plan_step_envelope(x->p, s, false, &env, e) < 0 ||
	    run_each(st, x, env.before, env.nbefore, e) < 0)
		goto out;
	/* x->mon belongs to the core's watcher thread while a step runs:
	 * what the batches ask besides their own statement goes through
	 * the journal's session. */
	if (total < 0)
		total = d->session_count_rows(st->jr, s->backfill->table);
	/* max_rows counts the step's rows, not this attempt's. */
	bool limited =
	    pol && pol->max_rows >= 0 && !(st->exempt & APPLY_LIMIT_ROWS);
	if (limited)
		before = rows_before(st, s->n);
	for (int batch = 1;; batch++) {
		char *v[2] = {NULL, NULL};
		strbuf_reset(&sql);
		if (exec_interrupted()) {
			error_set(e, EXIT_USAGE, "interrupted");
			goto out;
		}
		/* Between batches, the run's deadline (a batch running at
		 * it is cancelled by the executor's watcher). */
		if (st->enveloped && st->deadline_ms >= 0 &&
		    apply_mono_ms() >= st->deadline_ms) {
			strbuf say = STRBUF_INIT;
			apply_say_deadline(st, &say);
			error_set(e, EXIT_USAGE,
				  "%s; the backfill of %s stopped after %lld "
				  "rows",
				  say.buf, s->backfill->table, done);
			strbuf_release(&say);
			goto out;
		}
		if (d->backfill_batch_sql(s->backfill, st->id, s->n, limit,
					  &sql, e) < 0)
			goto out;
		double t0 = apply_mono_ms();
		int rows =
		    d->session_query(x->run, strbuf_str(&sql), v, 2, res, e);
		double took = apply_mono_ms() - t0;
		long long n = rows > 0 && v[0] ? atoll(v[0]) : 0;
		bool last = !v[1] || !strcmp(v[1], "t");
		free(v[0]);
		free(v[1]);
		if (rows < 0)
			goto out;
		/* No row: the journal has no row for the step, so nothing
		 * was checkpointed; ending here would skip rows. */
		if (rows == 0) {
			error_set(e, EXIT_DB,
				  "backfill of %s: the journal holds no row "
				  "for step %d",
				  s->backfill->table, s->n);
			goto out;
		}
		done += n;
		res->rows += n;
		res->counted = true;
		apply_test_kill("batch", batch);
		/* The gate saw the plan's estimate (or the dry run's figure);
		 * the rows written are what counts. An approval past max_rows
		 * lets the step go past it. */
		if (limited && before + done > pol->max_rows) {
			error_set(e, EXIT_USAGE,
				  "policy: max_rows %lld: the backfill of %s "
				  "has updated %lld rows (estimated: %lld)",
				  pol->max_rows, s->backfill->table,
				  before + done, s->est_rows);
			goto out;
		}
		if (st->o->progress)
			show(s, st->p->nsteps, done, total,
			     (double)done * 1000.0 /
				 (apply_mono_ms() - t_start + 1.0));
		if (last)
			break;
		limit = next_limit(limit, took);
		/* Standbys that fall behind get time to catch up: the pause
		 * doubles while the lag is over the limit, and comes back
		 * to the plan's when it is not. */
		double lag = d->session_replica_lag_ms
				 ? d->session_replica_lag_ms(st->jr)
				 : 0;
		if (lag > st->o->max_replica_lag_ms) {
			pause = pause ? pause * 2 : 100;
			if (pause > PAUSE_MAX_MS)
				pause = PAUSE_MAX_MS;
		} else {
			pause = s->batch_pause_ms;
		}
		if (pause > 0)
			usleep((useconds_t)(pause * 1000));
	}
	if (st->o->progress)
		fputc('\n', stderr);
	if (run_each(st, x, env.after, env.nafter, e) < 0)
		goto out;
	ret = 1;
out:
	if (ret < 0 && st->o->progress)
		fputc('\n', stderr);
	dialect_envelope_release(&env);
	strbuf_release(&sql);
	return ret;
}
