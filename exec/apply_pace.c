/*
 * The pace of a backfill under apply (apply_internal.h): how many rows
 * the next batch takes and how long apply waits before it, from what the
 * batches before it measured. Pure functions of their inputs: no clock,
 * no server (tests/unit/test_apply_pace.c).
 *
 * Size. A batch holds the row locks of every row it updates until it
 * commits, so a writer touching one of them waits up to the batch's
 * whole time: each batch aims at target_ms (30 ms by default; the
 * policy's batch_ms). The next size is this one scaled by target/took,
 * but at most doubled or halved at once (one odd batch is not a trend),
 * and kept within [min_rows, max_rows].
 *
 * Pause. Nothing is gained by pausing when no one else wants the table:
 * a small table is done in about the time its updates take. Apply
 * pauses only for what it observed:
 *   - writes waiting on the table when a batch finished its work (the
 *     dialect's batch reports the longest such wait): the backfill then
 *     idles as long as they had waited, so that at most about half of
 *     the time some writer is held up behind it;
 *   - a batch that took more than twice its aim: its size was chosen
 *     from the batch before (at most doubled, aimed at target_ms), so
 *     it was slowed by other work on the server (writers' row locks it
 *     waited for, CPU, I/O), and the time past twice the aim is given
 *     back. The first batch is exempt: its size is the plan's guess,
 *     not a measurement;
 *   - standbys lagging more than the allowed lag: the pause doubles
 *     (from 100 ms, up to PACE_PAUSE_MAX_MS) until they catch up.
 * The largest of the three applies.
 */
#include <stdio.h>

#include "apply_internal.h"

void apply_pace_init(apply_pace *p, double target_ms, int first_limit)
{
	p->target_ms = target_ms > 0 ? target_ms : PACE_TARGET_MS;
	p->min_rows = PACE_MIN_ROWS;
	p->max_rows = PACE_MAX_ROWS;
	p->limit = first_limit < p->min_rows   ? p->min_rows
		   : first_limit > p->max_rows ? p->max_rows
					       : first_limit;
	p->pause_ms = 0;
	p->lag_pause_ms = 0;
	p->batches = 0;
}

static double clamp(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

void apply_pace_next(apply_pace *p, const apply_batch_seen *b)
{
	p->batches++;
	/* Under a millisecond says nothing about the rate: grow. */
	double f = b->took_ms > 1.0 ? p->target_ms / b->took_ms : 2.0;
	f = clamp(f, 0.5, 2.0);
	double n = clamp((double)p->limit * f, (double)p->min_rows,
			 (double)p->max_rows);

	double pause = b->wait_ms > 0 ? b->wait_ms : 0;
	double slow = b->took_ms - 2.0 * p->target_ms;
	if (p->batches > 1 && slow > pause)
		pause = slow;
	if (b->max_lag_ms >= 0 && b->lag_ms > b->max_lag_ms) {
		p->lag_pause_ms =
		    p->lag_pause_ms > 0 ? p->lag_pause_ms * 2 : 100.0;
		if (p->lag_pause_ms > PACE_PAUSE_MAX_MS)
			p->lag_pause_ms = PACE_PAUSE_MAX_MS;
	} else {
		p->lag_pause_ms = 0;
	}
	if (p->lag_pause_ms > pause)
		pause = p->lag_pause_ms;
	p->limit = (int)n;
	p->pause_ms = clamp(pause, 0, PACE_PAUSE_MAX_MS);
}

/* "1 m 05 s", "42 s": an ETA is a rough figure. */
static void add_duration(strbuf *sb, double s)
{
	long long t = (long long)(s + 0.5);
	if (t >= 3600)
		strbuf_addf(sb, "%lld h %02lld m", t / 3600, t % 3600 / 60);
	else if (t >= 60)
		strbuf_addf(sb, "%lld m %02lld s", t / 60, t % 60);
	else
		strbuf_addf(sb, "%lld s", t);
}

void apply_pace_say(strbuf *sb, long long done, long long total,
		    double elapsed_ms)
{
	double rate = elapsed_ms > 0 ? (double)done * 1000.0 / elapsed_ms : 0.0;
	strbuf_add_count(sb, done);
	/* The estimate may be short of what there is: past it, no total
	 * and no ETA rather than a wrong one. */
	if (total > 0 && done <= total) {
		strbuf_adds(sb, " / ");
		strbuf_add_count(sb, total);
	}
	strbuf_adds(sb, " rows, ");
	strbuf_add_count(sb, (long long)(rate + 0.5));
	strbuf_adds(sb, " rows/s");
	if (total > 0 && done <= total && rate > 0) {
		strbuf_adds(sb, ", ETA ");
		add_duration(sb, (double)(total - done) / rate);
	}
}
