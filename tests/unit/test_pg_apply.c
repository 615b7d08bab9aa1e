/*
 * The PostgreSQL side of apply on a real server (a database of its own):
 * the journal (setup twice, every operation, reading it back filtered,
 * in order, with hostile text; reading never creates it; unknown keys
 * refused), introspection leaving the journal out, checkpointed backfill
 * batches (every row updated once, across a simulated crash, rows
 * inserted later left alone, keyless tables too), the apply lock and its
 * holder, the sessions blocking another, error codes and details, and
 * the standbys' lag. The server comes from SCHEMIG_TEST_PG_URL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_server.h"
#include "dialects/dialect.h"
#include "dialects/postgres/session.h"
#include "schema/model.h"
#include "util/error.h"
#include "util/strbuf.h"

static const dialect *d = &dialect_postgres;
static char dbname[64];
static char *db_url;

static dialect_conn *connect_to(const char *url)
{
	dialect_conn *c = NULL;
	error e = ERROR_INIT;
	if (d->session_connect(url, &c, &e))
		fail_msg("connect: %s", e.msg);
	return c;
}

static void run(dialect_conn *c, const char *sql)
{
	dialect_run_result r = {.own_lock = -1};
	error e = ERROR_INIT;
	if (d->session_run(c, sql, &r, &e))
		fail_msg("%s: %s", sql, e.msg);
}

/* The first column of the first row (caller frees; NULL for a null). */
static char *one(dialect_conn *c, const char *sql)
{
	char *v = NULL;
	error e = ERROR_INIT;
	if (d->session_query(c, sql, &v, 1, NULL, &e) < 0)
		fail_msg("%s: %s", sql, e.msg);
	return v;
}

static long long num(dialect_conn *c, const char *sql)
{
	char *v = one(c, sql);
	assert_non_null(v);
	long long n = strtoll(v, NULL, 10);
	free(v);
	return n;
}

static void journal(dialect_conn *c, enum dialect_journal_op op,
		    const char *fields)
{
	json_error_t je;
	json_t *f = fields ? json_loads(fields, 0, &je) : NULL;
	if (fields && !f)
		fail_msg("bad JSON in the test: %s", je.text);
	strbuf sql = STRBUF_INIT;
	error e = ERROR_INIT;
	if (d->journal_sql(op, f, &sql, &e))
		fail_msg("journal_sql %d: %s", (int)op, e.msg);
	run(c, strbuf_str(&sql));
	strbuf_release(&sql);
	json_decref(f);
}

static json_t *read_journal(dialect_conn *c, const char *id, bool full)
{
	json_t *out = NULL;
	error e = ERROR_INIT;
	if (d->journal_read(c, id, full, &out, &e))
		fail_msg("journal_read: %s", e.msg);
	assert_true(json_is_array(out));
	return out;
}

static const char *str_of(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	if (!json_is_string(v))
		fail_msg("\"%s\" is not a string", key);
	return json_string_value(v);
}

/* ---- the journal ------------------------------------------------------ */

static void assert_step_json(const json_t *s, const char *phase, int n,
			     int attempts, const char *status)
{
	assert_string_equal(str_of(s, "phase"), phase);
	assert_int_equal(json_integer_value(json_object_get(s, "n")), n);
	assert_int_equal(json_integer_value(json_object_get(s, "attempts")),
			 attempts);
	assert_string_equal(str_of(s, "status"), status);
}

static void test_journal_round_trip(void **state)
{
	(void)state;
	dialect_conn *c = connect_to(db_url);
	run(c, "DROP SCHEMA IF EXISTS schemig CASCADE");
	journal(c, JOURNAL_SETUP, NULL);
	journal(c, JOURNAL_SETUP, NULL); /* again: nothing to do */
	journal(c, JOURNAL_APPLY_START,
		"{\"id\": \"a1\", \"env\": \"prod\", \"plan_id\": \"p1\","
		" \"plan\": \"{\\\"steps\\\": []}\", \"direction\": \"apply\","
		" \"rollback_of\": null, \"commit\": \"abc123\","
		" \"pull_request\": 12, \"actor\": \"O'Brien \\\\ ops\","
		" \"before_sql\": \"CREATE TABLE t ();\", \"changes\": [1, 2],"
		" \"outcome\": \"running\"}");
	/* Out of order on purpose: read back forward 1, 2, then rollback. */
	journal(c, JOURNAL_STEP_START,
		"{\"apply_id\": \"a1\", \"phase\": \"rollback\", \"n\": 1}");
	journal(c, JOURNAL_STEP_START,
		"{\"apply_id\": \"a1\", \"phase\": \"forward\", \"n\": 2,"
		" \"kind\": \"backfill\", \"object\": \"public.t\"}");
	journal(c, JOURNAL_STEP_START,
		"{\"apply_id\": \"a1\", \"phase\": \"forward\", \"n\": 1,"
		" \"kind\": \"add_column\", \"object\": \"public.t.c\"}");
	journal(c, JOURNAL_STEP_END,
		"{\"apply_id\": \"a1\", \"phase\": \"forward\", \"n\": 1,"
		" \"status\": \"failed\", \"sqlstate\": \"55P03\","
		" \"message\": \"canceling statement due to lock timeout\"}");
	/* The retry: attempts 2, status and finished reset, the failure's
	 * code kept until the step ends again. */
	journal(c, JOURNAL_STEP_START,
		"{\"apply_id\": \"a1\", \"phase\": \"forward\", \"n\": 1}");
	char *finished = one(c, "SELECT finished FROM schemig.apply_steps"
				" WHERE n = 1 AND phase = 'forward'");
	assert_null(finished);
	journal(c, JOURNAL_STEP_END,
		"{\"apply_id\": \"a1\", \"phase\": \"forward\", \"n\": 1,"
		" \"status\": \"done\", \"rows\": 5, \"lock_wait_ms\": 1.5,"
		" \"lock_held_ms\": 2, \"lock\": \"ACCESS EXCLUSIVE\","
		" \"sqlstate\": null, \"message\": null}");
	journal(c, JOURNAL_EVENT,
		"{\"apply_id\": \"a1\", \"event\": {\"what\": \"retry\"}}");
	journal(c, JOURNAL_APPLY_END,
		"{\"id\": \"a1\", \"outcome\": \"applied\", \"trace\": null}");
	journal(c, JOURNAL_APPLY_START,
		"{\"id\": \"a2\", \"direction\": \"rollback\","
		" \"rollback_of\": \"a1\", \"outcome\": \"running\"}");

	json_t *all = read_journal(c, NULL, false);
	assert_int_equal(json_array_size(all), 2);
	json_t *a2 = json_array_get(all, 0), *a1 = json_array_get(all, 1);
	assert_string_equal(str_of(a2, "id"), "a2"); /* newest first */
	assert_string_equal(str_of(a2, "rollback_of"), "a1");
	assert_true(json_is_null(json_object_get(a2, "finished")));
	assert_int_equal(json_array_size(json_object_get(a2, "steps")), 0);
	assert_string_equal(str_of(a1, "id"), "a1");
	assert_string_equal(str_of(a1, "actor"), "O'Brien \\ ops");
	assert_string_equal(str_of(a1, "pull_request"), "12");
	assert_string_equal(str_of(a1, "outcome"), "applied");
	assert_true(json_is_null(json_object_get(a1, "trace")));
	assert_null(json_object_get(a1, "plan")); /* not full */
	assert_null(json_object_get(a1, "changes"));
	assert_null(json_object_get(a1, "before_sql"));
	const char *started = str_of(a1, "started");
	assert_int_equal(strlen(started), strlen("2026-12-06T20:31:07.123Z"));
	assert_int_equal(started[10], 'T');
	assert_int_equal(started[23], 'Z');
	assert_true(strcmp(str_of(a1, "finished"), started) >= 0);

	json_t *st = json_object_get(a1, "steps");
	assert_int_equal(json_array_size(st), 3);
	json_t *s1 = json_array_get(st, 0);
	assert_step_json(s1, "forward", 1, 2, "done");
	assert_string_equal(str_of(s1, "kind"), "add_column");
	assert_int_equal(json_integer_value(json_object_get(s1, "rows")), 5);
	assert_true(json_real_value(json_object_get(s1, "lock_wait_ms")) ==
		    1.5);
	assert_true(json_real_value(json_object_get(s1, "lock_held_ms")) ==
		    2.0);
	assert_string_equal(str_of(s1, "lock"), "ACCESS EXCLUSIVE");
	assert_true(json_is_null(json_object_get(s1, "sqlstate")));
	assert_true(json_is_null(json_object_get(s1, "checkpoint")));
	assert_true(strcmp(str_of(s1, "finished"), str_of(s1, "started")) >= 0);
	assert_step_json(json_array_get(st, 1), "forward", 2, 1, "running");
	assert_step_json(json_array_get(st, 2), "rollback", 1, 1, "running");
	json_decref(all);

	json_t *only = read_journal(c, "a1", true);
	assert_int_equal(json_array_size(only), 1);
	json_t *full = json_array_get(only, 0);
	assert_string_equal(str_of(full, "plan"), "{\"steps\": []}");
	assert_string_equal(str_of(full, "changes"), "[1,2]");
	assert_string_equal(str_of(full, "before_sql"), "CREATE TABLE t ();");
	json_decref(only);

	char *ev = one(c, "SELECT event FROM schemig.apply_events");
	assert_string_equal(ev, "{\"what\":\"retry\"}");
	free(ev);
	d->session_close(c);
}

/* A paused apply resumed is running and unfinished again; the login it
 * ran as is kept; a journal of an earlier version gets its columns back
 * at setup; a dry run's report is kept per plan, the last one counting. */
static void test_journal_resume_upgrade_dry_runs(void **state)
{
	(void)state;
	dialect_conn *c = connect_to(db_url);
	error e = ERROR_INIT;
	run(c, "DROP SCHEMA IF EXISTS schemig CASCADE");
	journal(c, JOURNAL_SETUP, NULL);
	journal(c, JOURNAL_APPLY_START,
		"{\"id\": \"a3\", \"outcome\": \"running\"}");
	journal(c, JOURNAL_APPLY_END,
		"{\"id\": \"a3\", \"outcome\": \"paused\"}");
	char *f = one(c, "SELECT finished IS NOT NULL FROM schemig.applies");
	assert_string_equal(f, "t");
	free(f);
	journal(c, JOURNAL_APPLY_END,
		"{\"id\": \"a3\", \"outcome\": \"running\"}");
	f = one(c, "SELECT outcome || ' ' || (finished IS NULL) FROM "
		   "schemig.applies");
	assert_string_equal(f, "running true");
	free(f);
	journal(c, JOURNAL_APPLY_END,
		"{\"id\": \"a3\", \"outcome\": \"applied\", "
		"\"credential\": \"schemig_0123456789ab_cdef0123\"}");
	json_t *all = read_journal(c, NULL, false);
	assert_string_equal(str_of(json_array_get(all, 0), "credential"),
			    "schemig_0123456789ab_cdef0123");
	json_decref(all);

	run(c, "ALTER TABLE schemig.applies DROP COLUMN credential");
	journal(c, JOURNAL_SETUP, NULL);
	f = one(c, "SELECT count(*) FROM pg_attribute WHERE attrelid = "
		   "'schemig.applies'::regclass AND attname = 'credential' "
		   "AND NOT attisdropped");
	assert_string_equal(f, "1");
	free(f);

	char *report = NULL;
	assert_int_equal(d->journal_dry_run(c, "p9", &report, &e), 0);
	assert_null(report);
	journal(c, JOURNAL_DRY_RUN,
		"{\"plan_id\": \"p9\", \"report\": \"{\\\"ok\\\": false}\"}");
	journal(c, JOURNAL_DRY_RUN,
		"{\"plan_id\": \"p9\", \"report\": \"{\\\"ok\\\": true}\"}");
	assert_int_equal(d->journal_dry_run(c, "p9", &report, &e), 1);
	assert_string_equal(report, "{\"ok\": true}");
	free(report);
	f = one(c, "SELECT count(*) FROM schemig.dry_runs");
	assert_string_equal(f, "1");
	free(f);
	d->session_close(c);
}

static void test_journal_refuses_unknown_keys(void **state)
{
	(void)state;
	static const struct {
		enum dialect_journal_op op;
		const char *fields, *needle;
	} bad[] = {
	    {JOURNAL_APPLY_START, "{\"id\": \"x\", \"bogus\": 1}", "'bogus'"},
	    {JOURNAL_APPLY_END, "{\"id\": \"x\", \"started\": \"now\"}",
	     "'started'"},
	    {JOURNAL_STEP_END, "{\"apply_id\": \"x\", \"phase\": \"forward\"}",
	     "'n'"},
	    {JOURNAL_EVENT, "{\"apply_id\": \"x\", \"id\": 1}", "'id'"},
	    {JOURNAL_STEP_START,
	     "{\"apply_id\": \"x\", \"phase\": \"forward\", \"n\": 1, "
	     "\"x; DROP TABLE t\": 1}",
	     "'x; DROP TABLE t'"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		json_t *f = json_loads(bad[i].fields, 0, NULL);
		strbuf sql = STRBUF_INIT;
		error e = ERROR_INIT;
		assert_int_equal(d->journal_sql(bad[i].op, f, &sql, &e), -1);
		assert_int_equal(e.code, EXIT_USAGE);
		assert_non_null(strstr(e.msg, bad[i].needle));
		assert_int_equal(sql.len, 0); /* nothing written */
		error_clear(&e);
		strbuf_release(&sql);
		json_decref(f);
	}
}

static void test_journal_read_creates_nothing(void **state)
{
	(void)state;
	dialect_conn *c = connect_to(db_url);
	run(c, "DROP SCHEMA IF EXISTS schemig CASCADE");
	json_t *out = read_journal(c, NULL, true);
	assert_int_equal(json_array_size(out), 0);
	json_decref(out);
	out = read_journal(c, "a1", false);
	assert_int_equal(json_array_size(out), 0);
	json_decref(out);
	char *ns = one(c, "SELECT to_regnamespace('schemig')::text");
	assert_null(ns);
	d->session_close(c);
}

/* ---- introspection ---------------------------------------------------- */

static model *introspect(void)
{
	model *m = model_new();
	error e = ERROR_INIT;
	if (d->introspect(m, db_url, &e))
		fail_msg("introspect: %s", e.msg);
	model_sort(m);
	return m;
}

/* The journal, its rows, its sequence and a grant on it change nothing
 * of what the database compares as. */
static void test_introspection_leaves_journal_out(void **state)
{
	(void)state;
	dialect_conn *c = connect_to(db_url);
	run(c, "DROP SCHEMA IF EXISTS schemig CASCADE;"
	       "CREATE TABLE IF NOT EXISTS items (id int PRIMARY KEY,"
	       " name text)");
	model *before = introspect();
	journal(c, JOURNAL_SETUP, NULL);
	journal(c, JOURNAL_APPLY_START, "{\"id\": \"i1\"}");
	journal(c, JOURNAL_STEP_START,
		"{\"apply_id\": \"i1\", \"phase\": \"forward\", \"n\": 1}");
	journal(c, JOURNAL_EVENT, "{\"apply_id\": \"i1\", \"event\": \"{}\"}");
	run(c, "GRANT SELECT ON schemig.applies TO PUBLIC;"
	       "GRANT USAGE ON SCHEMA schemig TO PUBLIC;"
	       "COMMENT ON SCHEMA schemig IS 'journal'");
	model *after = introspect();
	diff_result r;
	diff_result_init(&r);
	error e = ERROR_INIT;
	if (d->diff(before, after, &r, &e))
		fail_msg("diff: %s", e.msg);
	for (int i = 0; i < r.nstmts; i++)
		fprintf(stderr, "unexpected: %s\n", r.stmts[i].sql);
	assert_int_equal(r.nstmts, 0);
	strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	model_canonical(before, &a);
	model_canonical(after, &b);
	assert_string_equal(strbuf_str(&a), strbuf_str(&b));
	assert_non_null(strstr(strbuf_str(&a), "items"));
	strbuf_release(&a);
	strbuf_release(&b);
	diff_result_release(&r);
	model_free(before);
	model_free(after);
	d->session_close(c);
}

/* ---- backfill batches ------------------------------------------------- */

/* `name`: rows 1..rows, v NULL; `touched` counts each row's updates
 * (a BEFORE UPDATE trigger). */
static void make_table(dialect_conn *c, const char *name, bool key, int rows)
{
	strbuf sql = STRBUF_INIT;
	strbuf_addf(
	    &sql,
	    "DROP TABLE IF EXISTS %s;"
	    "CREATE TABLE %s (id int%s, v int, touched int"
	    " NOT NULL DEFAULT 0);"
	    "INSERT INTO %s (id) SELECT g FROM generate_series(1, %d) g;"
	    "CREATE OR REPLACE FUNCTION count_update() RETURNS trigger"
	    " LANGUAGE plpgsql AS $$ BEGIN"
	    " NEW.touched := OLD.touched + 1; RETURN NEW; END $$;"
	    "CREATE TRIGGER counting BEFORE UPDATE ON %s"
	    " FOR EACH ROW EXECUTE FUNCTION count_update()",
	    name, name, key ? " PRIMARY KEY" : "", name, rows, name);
	run(c, strbuf_str(&sql));
	strbuf_release(&sql);
}

static void start_step(dialect_conn *c, const char *apply_id, int step)
{
	char f[160];
	snprintf(f, sizeof(f), "{\"id\": \"%s\"}", apply_id);
	journal(c, JOURNAL_APPLY_START, f);
	snprintf(f, sizeof(f),
		 "{\"apply_id\": \"%s\", \"phase\": \"forward\", \"n\": %d}",
		 apply_id, step);
	journal(c, JOURNAL_STEP_START, f);
}

/* A session with the journal, table `name` (make_table; NULL: none)
 * and step `step` of a new apply `apply_id` started. */
static dialect_conn *backfill_start(const char *name, bool key, int rows,
				    const char *apply_id, int step)
{
	dialect_conn *c = connect_to(db_url);
	journal(c, JOURNAL_SETUP, NULL);
	if (name)
		make_table(c, name, key, rows);
	start_step(c, apply_id, step);
	return c;
}

/* One batch: the rows it updated; *done set from its second column. */
static long long batch(dialect_conn *c, const plan_backfill *b,
		       const char *apply_id, int step, int limit, bool *done)
{
	strbuf sql = STRBUF_INIT;
	error e = ERROR_INIT;
	char *v[2];
	if (d->backfill_batch_sql(b, apply_id, step, limit, &sql, &e))
		fail_msg("backfill_batch_sql: %s", e.msg);
	int rows = d->session_query(c, strbuf_str(&sql), v, 2, NULL, &e);
	if (rows < 0)
		fail_msg("batch: %s\n%s", e.msg, strbuf_str(&sql));
	assert_int_equal(rows, 1);
	assert_non_null(v[0]);
	assert_non_null(v[1]);
	long long n = strtoll(v[0], NULL, 10);
	*done = !strcmp(v[1], "t");
	free(v[0]);
	free(v[1]);
	strbuf_release(&sql);
	return n;
}

/* Batches until done (at most `max`); returns how many ran. */
static int batches(dialect_conn *c, const plan_backfill *b,
		   const char *apply_id, int step, int limit, int max,
		   long long *updated)
{
	bool done = false;
	int n = 0;
	while (!done && n < max) {
		*updated += batch(c, b, apply_id, step, limit, &done);
		n++;
	}
	assert_true(done);
	return n;
}

static void assert_step(dialect_conn *c, const char *apply_id, int step,
			const char *checkpoint, const char *end, long long rows)
{
	char sql[256];
	snprintf(sql, sizeof(sql),
		 "SELECT coalesce(checkpoint, '-') || ' ' ||"
		 " coalesce(backfill_end, '-') || ' ' || rows"
		 " FROM schemig.apply_steps WHERE apply_id = '%s'"
		 " AND phase = 'forward' AND n = %d",
		 apply_id, step);
	char want[96];
	snprintf(want, sizeof(want), "%s %s %lld", checkpoint, end, rows);
	char *got = one(c, sql);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static const plan_backfill keyed = {"public.bf", "id", "integer", "v = id * 2",
				    "v IS NULL"};

static void test_backfill_keyset(void **state)
{
	(void)state;
	dialect_conn *c = backfill_start("bf", true, 10000, "k1", 3);
	long long updated = 0;
	bool done;
	updated += batch(c, &keyed, "k1", 3, 1000, &done);
	assert_false(done);
	assert_step(c, "k1", 3, "1000", "10000", 1000);
	/* Written after the backfill began: past its end, left alone. */
	run(c, "INSERT INTO bf (id) SELECT g FROM generate_series(10001,"
	       " 10100) g");
	int n = 1 + batches(c, &keyed, "k1", 3, 1000, 20, &updated);
	assert_int_equal(n, 10);
	assert_int_equal(updated, 10000);
	assert_step(c, "k1", 3, "10000", "10000", 10000);
	assert_int_equal(num(c, "SELECT count(*) FROM bf WHERE id <= 10000"
				" AND touched = 1 AND v = id * 2"),
			 10000);
	assert_int_equal(num(c, "SELECT count(*) FROM bf WHERE id > 10000"
				" AND touched = 0 AND v IS NULL"),
			 100);
	/* A batch after the end does nothing and says so. */
	assert_int_equal(batch(c, &keyed, "k1", 3, 1000, &done), 0);
	assert_true(done);
	/* No step row: no batch, no row. */
	strbuf sql = STRBUF_INIT;
	error e = ERROR_INIT;
	char *v[2];
	assert_int_equal(
	    d->backfill_batch_sql(&keyed, "nobody", 3, 1000, &sql, &e), 0);
	assert_int_equal(d->session_query(c, strbuf_str(&sql), v, 2, NULL, &e),
			 0);
	strbuf_release(&sql);
	d->session_close(c);
}

/* Three batches, then the process dies; a new one resumes the same
 * apply's step (STEP_START again) and each row is still updated once.
 * Every row stays pending (v = v + 1 for ever): only the checkpoint
 * keeps a row from being updated again. */
static void test_backfill_resumes(void **state)
{
	(void)state;
	const plan_backfill again = {"public.bf", "id", "integer",
				     "v = coalesce(v, 0) + 1", "true"};
	dialect_conn *c = backfill_start("bf", true, 10000, "k2", 1);
	long long updated = 0;
	bool done;
	for (int i = 0; i < 3; i++)
		updated += batch(c, &again, "k2", 1, 1000, &done);
	assert_false(done);
	d->session_close(c);

	c = connect_to(db_url);
	journal(c, JOURNAL_STEP_START,
		"{\"apply_id\": \"k2\", \"phase\": \"forward\", \"n\": 1}");
	assert_step(c, "k2", 1, "3000", "10000", 3000);
	batches(c, &again, "k2", 1, 1000, 20, &updated);
	assert_int_equal(updated, 10000);
	assert_step(c, "k2", 1, "10000", "10000", 10000);
	assert_int_equal(num(c, "SELECT count(*) FROM bf WHERE touched = 1"
				" AND v = 1"),
			 10000);
	assert_int_equal(num(c, "SELECT count(*) FROM bf WHERE touched <> 1"),
			 0);
	assert_int_equal(num(c, "SELECT attempts FROM schemig.apply_steps"
				" WHERE apply_id = 'k2'"),
			 2);
	d->session_close(c);
}

/* Keys compared as text would go 1, 10, 100, 1000, 1001, ...: a text
 * key's checkpoint must compare as text, an integer's as an integer
 * (test_backfill_keyset); here the key is text and not in insert order. */
static void test_backfill_text_key(void **state)
{
	(void)state;
	dialect_conn *c = backfill_start(NULL, false, 0, "t1", 1);
	run(c, "DROP TABLE IF EXISTS tk;"
	       "CREATE TABLE tk (k text COLLATE \"C\" PRIMARY KEY, v int);"
	       "INSERT INTO tk (k) SELECT md5(g::text) FROM"
	       " generate_series(1, 2500) g");
	const plan_backfill b = {"public.tk", "k", "text", "v = 1",
				 "v IS NULL"};
	long long updated = 0;
	assert_int_equal(batches(c, &b, "t1", 1, 1000, 10, &updated), 3);
	assert_int_equal(updated, 2500);
	assert_int_equal(num(c, "SELECT count(*) FROM tk WHERE v IS NULL"), 0);
	d->session_close(c);
}

static void test_backfill_keyless(void **state)
{
	(void)state;
	dialect_conn *c = backfill_start("nk", false, 2500, "n1", 2);
	const plan_backfill b = {"public.nk", NULL, NULL, "v = id + 1",
				 "v IS NULL"};
	long long updated = 0;
	assert_int_equal(batches(c, &b, "n1", 2, 1000, 10, &updated), 3);
	assert_int_equal(updated, 2500);
	assert_step(c, "n1", 2, "-", "-", 2500);
	assert_int_equal(num(c, "SELECT count(*) FROM nk WHERE touched = 1"
				" AND v = id + 1"),
			 2500);
	d->session_close(c);
}

static void test_backfill_refuses_bad_input(void **state)
{
	(void)state;
	const plan_backfill nokeytype = {"public.bf", "id", NULL, "v = 1",
					 "v IS NULL"};
	strbuf sql = STRBUF_INIT;
	error e = ERROR_INIT;
	assert_int_equal(
	    d->backfill_batch_sql(&nokeytype, "a", 1, 100, &sql, &e), -1);
	assert_int_equal(e.code, EXIT_USAGE);
	error_clear(&e);
	assert_int_equal(d->backfill_batch_sql(&keyed, "a", 1, 0, &sql, &e),
			 -1);
	error_clear(&e);
	/* The apply id is a literal, whatever it holds. */
	assert_int_equal(d->backfill_batch_sql(&keyed, "a'; DROP TABLE bf; --",
					       1, 10, &sql, &e),
			 0);
	assert_non_null(strstr(strbuf_str(&sql), "'a''; DROP TABLE bf; --'"));
	strbuf_release(&sql);
}

/* ---- the apply lock --------------------------------------------------- */

static void test_apply_lock(void **state)
{
	(void)state;
	dialect_conn *s1 = connect_to(db_url), *s2 = connect_to(db_url);
	error e = ERROR_INIT;
	char *holder = NULL;
	/* The documented key is what it says it is. */
	assert_int_equal(num(s1, "SELECT ('x' || left(encode(sha256("
				 "'schemig apply'), 'hex'), 16))::bit(64)"
				 "::bigint"),
			 PG_APPLY_LOCK_KEY);
	assert_int_equal(d->apply_lock(s1, "schemig test one", &holder, &e), 1);
	assert_null(holder);
	char *name = one(s1, "SELECT current_setting('application_name')");
	assert_string_equal(name, "schemig test one");
	free(name);
	assert_int_equal(d->apply_lock(s2, "it's \\ two", &holder, &e), 0);
	assert_non_null(holder);
	char want[96];
	snprintf(want, sizeof(want),
		 "application 'schemig test one', pid %d,"
		 " since ",
		 s1->pid);
	if (strncmp(holder, want, strlen(want)))
		fail_msg("holder: %s", holder);
	assert_int_equal(holder[strlen(holder) - 1], 'Z');
	free(holder);
	holder = NULL;
	name = one(s2, "SELECT current_setting('application_name')");
	assert_string_equal(name, "it's \\ two");
	free(name);
	d->session_close(s1);
	/* The server ends s1's backend a moment after it closes. */
	int rc = 0;
	for (int i = 0; i < 100 && rc != 1; i++) {
		free(holder);
		holder = NULL;
		rc = d->apply_lock(s2, "schemig test two", &holder, &e);
		if (rc != 1)
			usleep(50000);
	}
	assert_int_equal(rc, 1);
	assert_null(holder);
	d->session_close(s2);
}

/* ---- blockers, error codes -------------------------------------------- */

static bool utf8_whole(const char *s)
{
	while (*s) {
		uint32_t cp;
		int n = strbuf_utf8_decode((const unsigned char *)s, &cp);
		if (n <= 0)
			return false;
		s += n;
	}
	return true;
}

/* Drain a query sent with PQsendQuery; its first error's SQLSTATE. */
static char *drain(PGconn *pg)
{
	char *state = NULL;
	PGresult *r;
	while ((r = PQgetResult(pg))) {
		const char *s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		if (s && !state)
			state = strdup(s);
		PQclear(r);
	}
	return state;
}

static void test_blockers(void **state)
{
	(void)state;
	dialect_conn *a = connect_to(db_url), *b = connect_to(db_url),
		     *mon = connect_to(db_url);
	run(a, "CREATE TABLE IF NOT EXISTS blk (id int);"
	       "SET application_name = 'holder A'");
	dialect_blocker out[DIALECT_BLOCKERS_MAX];
	assert_int_equal(d->session_blockers(mon, b, out, 8), 0);
	/* 300 characters of query, multibyte: cut at 200 characters and
	 * then to the struct's bytes, never inside a character. */
	strbuf q = STRBUF_INIT;
	strbuf_adds(&q, "BEGIN; LOCK TABLE blk IN ACCESS EXCLUSIVE MODE; -- ");
	while (q.len < 400)
		strbuf_adds(&q, "\xc3\xa9");
	run(a, strbuf_str(&q));
	assert_true(PQsendQuery(b->pg, "SELECT count(*) FROM blk"));
	int n = 0;
	for (int i = 0; i < 100 && n == 0; i++) {
		n = d->session_blockers(mon, b, out, 8);
		if (n == 0)
			usleep(50000);
	}
	assert_int_equal(n, 1);
	assert_int_equal(out[0].pid, a->pid);
	assert_string_equal(out[0].application, "holder A");
	assert_string_equal(out[0].state, "idle in transaction");
	assert_int_equal(strlen(out[0].query_start), 24);
	assert_true(strlen(out[0].query) < sizeof(out[0].query));
	assert_true(strlen(out[0].query) > 100);
	assert_true(utf8_whole(out[0].query));
	assert_memory_equal(out[0].query, strbuf_str(&q), strlen(out[0].query));
	strbuf_release(&q);

	/* A lock not granted within lock_timeout: 55P03, a lock timeout. */
	dialect_conn *w = connect_to(db_url);
	dialect_run_result r = {.own_lock = -1};
	error e = ERROR_INIT;
	assert_int_equal(d->session_run(w,
					"SET lock_timeout = '50ms';"
					" LOCK TABLE blk",
					&r, &e),
			 -1);
	assert_string_equal(r.state, "55P03");
	assert_int_equal(d->error_class(r.state), DIALECT_ERR_LOCK_TIMEOUT);
	error_clear(&e);
	d->session_close(w);

	run(a, "COMMIT");
	char *st = drain(b->pg);
	assert_null(st);
	assert_int_equal(d->session_blockers(mon, b, out, 8), 0);
	d->session_close(a);
	d->session_close(b);
	d->session_close(mon);
}

static void test_error_state(void **state)
{
	(void)state;
	dialect_conn *c = connect_to(db_url);
	dialect_run_result r = {.own_lock = -1};
	error e = ERROR_INIT;
	assert_int_equal(
	    d->session_run(c, "SELECT * FROM no_such_table", &r, &e), -1);
	assert_string_equal(r.state, "42P01");
	assert_string_equal(r.detail, "");
	assert_int_equal(e.code, EXIT_DB);
	error_clear(&e);
	/* What runs after a failure (the ROLLBACK) keeps its code. */
	assert_int_equal(d->session_run(c, "SELECT 1", &r, &e), 0);
	assert_string_equal(r.state, "42P01");

	run(c, "DROP TABLE IF EXISTS dup; CREATE TABLE dup (id int PRIMARY"
	       " KEY); INSERT INTO dup VALUES (1)");
	dialect_run_result q = {.own_lock = -1};
	char *v[2] = {NULL, NULL};
	assert_int_equal(
	    d->session_query(c, "INSERT INTO dup VALUES (1)", v, 2, &q, &e),
	    -1);
	assert_string_equal(q.state, "23505");
	assert_string_equal(q.detail, "Key (id)=(1) already exists.");
	assert_int_equal(e.code, EXIT_DB);
	assert_non_null(strstr(e.msg, "duplicate key value"));
	assert_null(v[0]);
	error_clear(&e);
	memset(&r, 0, sizeof(r));
	assert_int_equal(
	    d->session_run(c, "INSERT INTO dup VALUES (1)", &r, &e), -1);
	assert_string_equal(r.detail, "Key (id)=(1) already exists.");
	assert_int_equal(d->error_class(r.state), DIALECT_ERR_DATA);
	error_clear(&e);

	/* A detail longer than the struct: cut, whole characters. */
	assert_int_equal(d->session_run(c,
					"DO $$ BEGIN RAISE EXCEPTION 'x' USING"
					" DETAIL = repeat('\xc3\xa9', 300);"
					" END $$",
					&r, &e),
			 -1);
	assert_string_equal(r.state, "P0001");
	assert_int_equal(strlen(r.detail), 254);
	assert_true(utf8_whole(r.detail));
	error_clear(&e);

	/* statement_timeout: 57014. */
	assert_int_equal(d->session_run(c,
					"SET statement_timeout = '20ms';"
					" SELECT pg_sleep(2)",
					&r, &e),
			 -1);
	assert_string_equal(r.state, "57014");
	assert_int_equal(d->error_class(r.state),
			 DIALECT_ERR_STATEMENT_TIMEOUT);
	error_clear(&e);
	run(c, "RESET statement_timeout");

	/* One statement only; rows counted, nulls as NULL. */
	assert_int_equal(
	    d->session_query(c, "SELECT 1; SELECT 2", v, 1, NULL, &e), -1);
	error_clear(&e);
	assert_int_equal(d->session_query(c,
					  "SELECT g, NULL FROM"
					  " generate_series(7, 9) g",
					  v, 2, NULL, &e),
			 3);
	assert_string_equal(v[0], "7");
	assert_null(v[1]);
	free(v[0]);
	assert_int_equal(
	    d->session_query(c, "SELECT 1 WHERE false", v, 2, NULL, &e), 0);
	assert_null(v[0]);

	/* The session killed under it: a connection error. */
	dialect_conn *k = connect_to(db_url);
	char sql[64];
	snprintf(sql, sizeof(sql), "SELECT pg_terminate_backend(%d)", k->pid);
	free(one(c, sql));
	usleep(100000);
	memset(&r, 0, sizeof(r));
	assert_int_equal(d->session_run(k, "SELECT 1", &r, &e), -1);
	assert_int_equal(d->error_class(r.state), DIALECT_ERR_CONNECTION);
	error_clear(&e);
	d->session_close(k);
	d->session_close(c);
}

static void test_error_class_table(void **state)
{
	(void)state;
	static const struct {
		const char *state;
		enum dialect_error_class cls;
	} cases[] = {
	    {"55P03", DIALECT_ERR_LOCK_TIMEOUT},
	    {"40P01", DIALECT_ERR_DEADLOCK},
	    {"40001", DIALECT_ERR_DEADLOCK},
	    {"57014", DIALECT_ERR_STATEMENT_TIMEOUT},
	    {"23505", DIALECT_ERR_DATA},
	    {"23514", DIALECT_ERR_DATA},
	    {"22P02", DIALECT_ERR_DATA},
	    {"08006", DIALECT_ERR_CONNECTION},
	    {"57P01", DIALECT_ERR_CONNECTION},
	    {"57P04", DIALECT_ERR_OTHER},
	    {"42P01", DIALECT_ERR_OTHER},
	    {"", DIALECT_ERR_OTHER},
	    {"23", DIALECT_ERR_OTHER},
	    {NULL, DIALECT_ERR_OTHER},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		assert_int_equal(d->error_class(cases[i].state), cases[i].cls);
}

static void test_replica_lag(void **state)
{
	(void)state;
	dialect_conn *c = connect_to(db_url);
	assert_true(d->session_replica_lag_ms(c) == 0);
	d->session_close(c);
}

static int setup(void **state)
{
	(void)state;
	dialect_conn *c = connect_to(test_server_url());
	char sql[128];
	snprintf(dbname, sizeof(dbname), "schemig_apply_%ld", (long)getpid());
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", dbname);
	run(c, sql);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", dbname);
	run(c, sql);
	d->session_close(c);
	error e = ERROR_INIT;
	if (d->url_with_database(test_server_url(), dbname, &db_url, &e))
		fail_msg("url: %s", e.msg);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	dialect_conn *c = connect_to(test_server_url());
	char sql[128];
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)",
		 dbname);
	run(c, sql);
	d->session_close(c);
	free(db_url);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_journal_round_trip),
	    cmocka_unit_test(test_journal_resume_upgrade_dry_runs),
	    cmocka_unit_test(test_journal_refuses_unknown_keys),
	    cmocka_unit_test(test_journal_read_creates_nothing),
	    cmocka_unit_test(test_introspection_leaves_journal_out),
	    cmocka_unit_test(test_backfill_keyset),
	    cmocka_unit_test(test_backfill_resumes),
	    cmocka_unit_test(test_backfill_text_key),
	    cmocka_unit_test(test_backfill_keyless),
	    cmocka_unit_test(test_backfill_refuses_bad_input),
	    cmocka_unit_test(test_apply_lock),
	    cmocka_unit_test(test_blockers),
	    cmocka_unit_test(test_error_state),
	    cmocka_unit_test(test_error_class_table),
	    cmocka_unit_test(test_replica_lag),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
