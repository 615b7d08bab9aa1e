/* A backfill's pace (exec/apply_pace.c): the next batch's size from the
 * batch times, bounded growth and shrinking, the pause from the waits,
 * the slow batches and the standbys' lag; the progress line; the
 * policy's batch_ms in .schemig.yml. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "exec/apply_internal.h"

/* A batch that took `took` ms, nobody waiting, no standby. */
static apply_batch_seen took(double ms)
{
	apply_batch_seen b = {
	    .took_ms = ms, .wait_ms = 0, .lag_ms = 0, .max_lag_ms = 10000};
	return b;
}

static void test_size_follows_the_time(void **state)
{
	(void)state;
	apply_pace p;
	apply_pace_init(&p, 30, 1000);
	assert_int_equal(p.limit, 1000);
	assert_true(p.pause_ms == 0);
	/* 15 ms for 1,000 rows: twice as many fit in 30 ms. */
	apply_batch_seen b = took(15);
	apply_pace_next(&p, &b);
	assert_int_equal(p.limit, 2000);
	/* 40 ms: scaled by 30/40. */
	b = took(40);
	apply_pace_next(&p, &b);
	assert_int_equal(p.limit, 1500);
	/* On target: unchanged. */
	b = took(30);
	apply_pace_next(&p, &b);
	assert_int_equal(p.limit, 1500);
	assert_int_equal(p.batches, 3);
}

static void test_size_is_bounded(void **state)
{
	(void)state;
	apply_pace p;
	apply_pace_init(&p, 30, 1000);
	/* Ten times too fast: only doubled. */
	apply_batch_seen b = took(3);
	apply_pace_next(&p, &b);
	assert_int_equal(p.limit, 2000);
	/* Under a millisecond: doubled too. */
	b = took(0.2);
	apply_pace_next(&p, &b);
	assert_int_equal(p.limit, 4000);
	/* Ten times too slow: only halved. */
	b = took(300);
	apply_pace_next(&p, &b);
	assert_int_equal(p.limit, 2000);
	/* Never past the maximum, however fast. */
	for (int i = 0; i < 20; i++) {
		b = took(1);
		apply_pace_next(&p, &b);
	}
	assert_int_equal(p.limit, PACE_MAX_ROWS);
	/* Never under the minimum, however slow. */
	for (int i = 0; i < 20; i++) {
		b = took(5000);
		apply_pace_next(&p, &b);
	}
	assert_int_equal(p.limit, PACE_MIN_ROWS);
	/* The first size is kept within the bounds too. */
	apply_pace_init(&p, 30, 5);
	assert_int_equal(p.limit, PACE_MIN_ROWS);
	apply_pace_init(&p, 30, 10000000);
	assert_int_equal(p.limit, PACE_MAX_ROWS);
	/* No target: the default. */
	apply_pace_init(&p, 0, 1000);
	assert_true(p.target_ms == PACE_TARGET_MS);
}

static void test_no_contention_no_pause(void **state)
{
	(void)state;
	apply_pace p;
	apply_pace_init(&p, 30, 1000);
	for (int i = 0; i < 10; i++) {
		apply_batch_seen b = took(20 + i);
		apply_pace_next(&p, &b);
		assert_true(p.pause_ms == 0);
	}
	/* Up to twice the aim is still no contention. */
	apply_batch_seen b = took(60);
	apply_pace_next(&p, &b);
	assert_true(p.pause_ms == 0);
	/* Waits unknown (the dialect does not say): none assumed. */
	b = took(25);
	b.wait_ms = -1;
	apply_pace_next(&p, &b);
	assert_true(p.pause_ms == 0);
}

static void test_waits_make_a_pause(void **state)
{
	(void)state;
	apply_pace p;
	apply_pace_init(&p, 30, 1000);
	/* A writer had waited 18 ms behind the batch: as long a pause. */
	apply_batch_seen b = took(30);
	b.wait_ms = 18;
	apply_pace_next(&p, &b);
	assert_true(p.pause_ms == 18);
	/* The next batch saw no one: no pause again. */
	b = took(30);
	apply_pace_next(&p, &b);
	assert_true(p.pause_ms == 0);
	/* A wait longer than the pause's bound is cut to it. */
	b = took(30);
	b.wait_ms = 60000;
	apply_pace_next(&p, &b);
	assert_true(p.pause_ms == PACE_PAUSE_MAX_MS);
}

static void test_slow_batch_makes_a_pause(void **state)
{
	(void)state;
	apply_pace p;
	apply_pace_init(&p, 30, 5000);
	/* The first batch's size is the plan's guess: 200 ms is a wrong
	 * size, not a busy server. */
	apply_batch_seen b = took(200);
	apply_pace_next(&p, &b);
	assert_true(p.pause_ms == 0);
	assert_int_equal(p.limit, 2500);
	/* Sized for 30 ms, it took 100: the 40 ms past twice the aim are
	 * given back. */
	b = took(100);
	apply_pace_next(&p, &b);
	assert_true(p.pause_ms == 40);
	assert_int_equal(p.limit, 1250);
	/* A wait longer than that wins. */
	b = took(100);
	b.wait_ms = 90;
	apply_pace_next(&p, &b);
	assert_true(p.pause_ms == 90);
}

static void test_lagging_standbys_double_the_pause(void **state)
{
	(void)state;
	apply_pace p;
	apply_pace_init(&p, 30, 1000);
	double want[] = {100, 200, 400, 800};
	for (int i = 0; i < 4; i++) {
		apply_batch_seen b = took(30);
		b.lag_ms = 20000;
		apply_pace_next(&p, &b);
		assert_true(p.pause_ms == want[i]);
	}
	for (int i = 0; i < 20; i++) {
		apply_batch_seen b = took(30);
		b.lag_ms = 20000;
		apply_pace_next(&p, &b);
	}
	assert_true(p.pause_ms == PACE_PAUSE_MAX_MS);
	/* Caught up: back to no pause at once. */
	apply_batch_seen b = took(30);
	apply_pace_next(&p, &b);
	assert_true(p.pause_ms == 0);
	/* A lag that cannot be read (-1) is not a lag. */
	b = took(30);
	b.lag_ms = -1;
	apply_pace_next(&p, &b);
	assert_true(p.pause_ms == 0);
}

static void assert_says(long long done, long long total, double ms,
			const char *want)
{
	strbuf sb = STRBUF_INIT;
	apply_pace_say(&sb, done, total, ms);
	assert_string_equal(strbuf_str(&sb), want);
	strbuf_release(&sb);
}

static void test_progress_line(void **state)
{
	(void)state;
	assert_says(20000, 100000, 250,
		    "20,000 / 100,000 rows, 80,000 rows/s, ETA 1 s");
	assert_says(1500000, 2000000, 30000,
		    "1,500,000 / 2,000,000 rows, 50,000 rows/s, ETA 10 s");
	assert_says(1000, 2000000, 10000,
		    "1,000 / 2,000,000 rows, 100 rows/s, ETA 5 h 33 m");
	assert_says(600, 60600, 1000,
		    "600 / 60,600 rows, 600 rows/s, ETA 1 m 40 s");
	/* No estimate, or past it: no total, no ETA. */
	assert_says(999, -1, 1000, "999 rows, 999 rows/s");
	assert_says(3000, 2000, 1000, "3,000 rows, 3,000 rows/s");
	/* No time yet: no rate to tell. */
	assert_says(0, 100, 0, "0 / 100 rows, 0 rows/s");
}

/* .schemig.yml with `policy` as the environment's policy. */
static int load_policy(const char *policy, config **c, error *e)
{
	char path[4096];
	const char *tmp = getenv("TMPDIR");
	snprintf(path, sizeof(path), "%s/pace-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fprintf(f, "environments:\n  prod:\n    url: env:X\n    policy: %s\n",
		policy);
	fclose(f);
	int rc = config_load(path, c, e);
	unlink(path);
	return rc;
}

static void test_policy_batch_ms(void **state)
{
	(void)state;
	config *c = NULL;
	error e = ERROR_INIT;
	assert_int_equal(load_policy("{ batch_ms: 50 }", &c, &e), 0);
	assert_int_equal(config_find_env(c, "prod")->policy.batch_ms, 50);
	config_free(c);
	c = NULL;
	/* Unset: -1, the default. */
	assert_int_equal(load_policy("{ max_rows: 10 }", &c, &e), 0);
	assert_int_equal(config_find_env(c, "prod")->policy.batch_ms, -1);
	config_free(c);
	c = NULL;
	assert_int_equal(load_policy("{ batch_ms: 0 }", &c, &e), -1);
	assert_non_null(strstr(e.msg, "environments.prod.policy.batch_ms must "
				      "be at least 1"));
	error_clear(&e);
	assert_int_equal(load_policy("{ batch_ms: fast }", &c, &e), -1);
	assert_non_null(strstr(e.msg, "batch_ms"));
	error_clear(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_size_follows_the_time),
	    cmocka_unit_test(test_size_is_bounded),
	    cmocka_unit_test(test_no_contention_no_pause),
	    cmocka_unit_test(test_waits_make_a_pause),
	    cmocka_unit_test(test_slow_batch_makes_a_pause),
	    cmocka_unit_test(test_lagging_standbys_double_the_pause),
	    cmocka_unit_test(test_progress_line),
	    cmocka_unit_test(test_policy_batch_ms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
