/*
 * Backfills under apply (apply_internal.h): the typed backfill of a step
 * runs one batch per statement (dialect->backfill_batch_sql), each
 * batch's checkpoint written in the batch's own transaction, so a killed
 * apply resumes after the last committed batch and no row is written
 * twice. The batch size and the pause before the next batch follow what
 * each batch measured (apply_pace.c); the plan's batch size is the first
 * batch's, and its pause is the script form's only (psql, the emitters).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../util/xalloc.h"
#include "apply_internal.h"

/* One line, rewritten in place: "\r", and blanks where the line
 * before was longer (*width: its length). */
static void show(const plan_step *s, int nsteps, long long done,
		 long long total, double elapsed_ms, int *width)
{
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "schemig: step %d/%d: backfill %s: ", s->n, nsteps,
		    s->backfill->table);
	apply_pace_say(&sb, done, total, elapsed_ms);
	int len = (int)sb.len;
	fprintf(stderr, "\r%s%*s", strbuf_str(&sb),
		*width > len ? *width - len : 0, "");
	*width = len;
	strbuf_release(&sb);
}

/* Sleep `ms`, cut short by an interruption (checked every 100 ms). */
static void pause_for(double ms)
{
	while (ms > 0 && !exec_interrupted()) {
		double part = ms > 100 ? 100 : ms;
		usleep((useconds_t)(part * 1000));
		ms -= part;
	}
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

/* The backfill's figures, for the journal and the audit file. */
typedef struct bf_figures {
	long long rows;
	double paused_ms, max_wait_ms, max_batch_ms;
} bf_figures;

static void record_end(apply_state *st, const plan_step *s,
		       const apply_pace *pace, const bf_figures *f,
		       double elapsed, bool ok)
{
	apply_event(
	    st, "backfill_end",
	    json_pack("{s:i, s:s, s:b, s:I, s:i, s:i, s:f, s:f, s:f, s:f, "
		      "s:f}",
		      "step", s->n, "table", s->backfill->table, "ok", ok,
		      "rows", (json_int_t)f->rows, "batches", pace->batches,
		      "final_batch_size", pace->limit, "target_ms",
		      pace->target_ms, "elapsed_ms", elapsed, "paused_ms",
		      f->paused_ms, "max_wait_ms", f->max_wait_ms,
		      "max_batch_ms", f->max_batch_ms),
	    NULL);
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
	apply_pace pace;
	apply_pace_init(&pace,
			pol && pol->batch_ms > 0 ? (double)pol->batch_ms
						 : PACE_TARGET_MS,
			s->batch_size > 0 ? s->batch_size : 1000);
	long long done = 0, before = 0;
	long long total = s->est_rows;
	double t_start = apply_mono_ms();
	bf_figures fig = {0};
	int ret = -1, width = 0;
	/* Only the test suites set this: a backfill slow enough on a small
	 * table to be stopped in the middle (its pace would finish it at
	 * once). */
	const char *tp = getenv("SCHEMIG_TEST_BATCH_PAUSE_MS");
	double test_pause = tp ? atof(tp) : 0;

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
		char *v[3] = {NULL, NULL, NULL};
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
		if (d->backfill_batch_sql(s->backfill, st->id, s->n, pace.limit,
					  &sql, e) < 0)
			goto out;
		double t0 = apply_mono_ms();
		int rows =
		    d->session_query(x->run, strbuf_str(&sql), v, 3, res, e);
		apply_batch_seen seen = {.took_ms = apply_mono_ms() - t0,
					 .wait_ms = v[2] ? atof(v[2]) : -1};
		long long n = rows > 0 && v[0] ? atoll(v[0]) : 0;
		bool last = !v[1] || !strcmp(v[1], "t");
		for (int i = 0; i < 3; i++)
			free(v[i]);
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
		if (seen.wait_ms > fig.max_wait_ms)
			fig.max_wait_ms = seen.wait_ms;
		if (seen.took_ms > fig.max_batch_ms)
			fig.max_batch_ms = seen.took_ms;
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
			     apply_mono_ms() - t_start, &width);
		/* The last batch is measured too: the record's final size
		 * is the one the next batch would have taken. */
		seen.max_lag_ms = st->o->max_replica_lag_ms;
		seen.lag_ms = !last && d->session_replica_lag_ms
				  ? d->session_replica_lag_ms(st->jr)
				  : 0;
		apply_pace_next(&pace, &seen);
		if (last)
			break;
		double pause =
		    pace.pause_ms > test_pause ? pace.pause_ms : test_pause;
		fig.paused_ms += pause;
		pause_for(pause);
	}
	if (st->o->progress)
		fputc('\n', stderr);
	if (run_each(st, x, env.after, env.nafter, e) < 0)
		goto out;
	ret = 1;
out:
	if (ret < 0 && st->o->progress)
		fputc('\n', stderr);
	fig.rows = done;
	record_end(st, s, &pace, &fig, apply_mono_ms() - t_start, ret > 0);
	dialect_envelope_release(&env);
	strbuf_release(&sql);
	return ret;
}
