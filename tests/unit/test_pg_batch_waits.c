/*
 * The third column of a PostgreSQL backfill batch (backfill_batch_sql):
 * how long a session waiting for a lock on the table had waited when the
 * batch ended, which apply's pace turns into a pause. 0 with no one
 * waiting; above 0 while writers queue for a row another session holds
 * (the second of them waits for the row's tuple lock on the table), for
 * keyset and keyless batches alike; 0 again once they are through. The
 * server comes from SCHEMIG_TEST_PG_URL.
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
#include "util/error.h"
#include "util/strbuf.h"

static const dialect *d = &dialect_postgres;
static char dbname[64];
static char *db_url;

static void quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static PGconn *pq(void)
{
	PGconn *c = PQconnectdb(db_url);
	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("connect: %s", PQerrorMessage(c));
	PQsetNoticeProcessor(c, quiet, NULL);
	return c;
}

static void pq_run(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	ExecStatusType st = PQresultStatus(r);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		fail_msg("%s: %s", sql, PQerrorMessage(c));
	PQclear(r);
}

static long long pq_num(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
		fail_msg("%s: %s", sql, PQerrorMessage(c));
	long long n = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return n;
}

/* Journal operation `op` with fields `f` (stolen; NULL: none) on `j`. */
static void journal(dialect_conn *j, enum dialect_journal_op op, json_t *f)
{
	strbuf sql = STRBUF_INIT;
	error e = ERROR_INIT;
	dialect_run_result res = {.own_lock = -1};
	if (d->journal_sql(op, f, &sql, &e) < 0 ||
	    d->session_run(j, strbuf_str(&sql), &res, &e) < 0)
		fail_msg("journal: %s", e.msg);
	json_decref(f);
	strbuf_release(&sql);
}

/* A table of 1,000 rows, the journal, and step 1 of apply `id`. */
static void prepare(PGconn *c, const char *id)
{
	dialect_conn *j = NULL;
	error e = ERROR_INIT;
	pq_run(c, "DROP TABLE IF EXISTS bw; CREATE TABLE bw (id int PRIMARY"
		  " KEY, v int, w int); INSERT INTO bw (id) SELECT g FROM"
		  " generate_series(1, 1000) g");
	if (d->session_connect(db_url, &j, &e) < 0)
		fail_msg("connect: %s", e.msg);
	journal(j, JOURNAL_SETUP, NULL);
	journal(j, JOURNAL_APPLY_START, json_pack("{s:s}", "id", id));
	journal(j, JOURNAL_STEP_START,
		json_pack("{s:s, s:s, s:i}", "apply_id", id, "phase", "forward",
			  "n", 1));
	d->session_close(j);
}

/* One batch of `b`: its third column, as a number of ms. */
static double batch_wait(const plan_backfill *b, const char *id, int limit)
{
	dialect_conn *c = NULL;
	strbuf sql = STRBUF_INIT;
	error e = ERROR_INIT;
	char *v[3] = {NULL, NULL, NULL};
	if (d->session_connect(db_url, &c, &e) < 0 ||
	    d->backfill_batch_sql(b, id, 1, limit, &sql, &e) < 0 ||
	    d->session_query(c, strbuf_str(&sql), v, 3, NULL, &e) != 1)
		fail_msg("batch: %s", e.msg ? e.msg : "no row");
	assert_non_null(v[2]);
	double ms = atof(v[2]);
	for (int i = 0; i < 3; i++)
		free(v[i]);
	strbuf_release(&sql);
	d->session_close(c);
	return ms;
}

/* Row 1000 held by `holder`; two writers queued for it, the second on
 * the row's tuple lock, until it shows as waiting since some time. */
static void queue_writers(PGconn *holder, PGconn *w[2])
{
	pq_run(holder, "BEGIN; UPDATE bw SET w = 1 WHERE id = 1000");
	for (int i = 0; i < 2; i++) {
		w[i] = pq();
		if (!PQsendQuery(w[i], "UPDATE bw SET w = 2 WHERE id = 1000"))
			fail_msg("send: %s", PQerrorMessage(w[i]));
		/* One at a time: the second must queue behind the first. */
		for (int k = 0; k < 500; k++) {
			long long n = pq_num(
			    holder,
			    "SELECT count(*) FROM pg_locks WHERE NOT granted"
			    " AND waitstart IS NOT NULL");
			if (n == i + 1)
				break;
			usleep(10000);
		}
	}
	assert_int_equal(pq_num(holder, "SELECT count(*) FROM pg_locks WHERE"
					" NOT granted AND locktype = 'tuple'"
					" AND relation = 'bw'::regclass"),
			 1);
}

static void release_writers(PGconn *holder, PGconn *w[2])
{
	pq_run(holder, "COMMIT");
	for (int i = 0; i < 2; i++) {
		PGresult *r;
		while ((r = PQgetResult(w[i])))
			PQclear(r);
		PQfinish(w[i]);
	}
}

static void check_waits(const plan_backfill *b, const char *id)
{
	PGconn *c = pq(), *holder = pq(), *w[2];
	prepare(c, id);
	/* No one waits. */
	assert_true(batch_wait(b, id, 100) == 0);
	queue_writers(holder, w);
	/* The batch does not touch row 1000; the writers still wait. */
	assert_true(batch_wait(b, id, 100) > 0);
	release_writers(holder, w);
	assert_true(batch_wait(b, id, 100) == 0);
	assert_int_equal(pq_num(c, "SELECT w FROM bw WHERE id = 1000"), 2);
	/* Each batch did its rows all the same. */
	assert_int_equal(pq_num(c, "SELECT count(*) FROM bw WHERE v = 1"), 300);
	PQfinish(holder);
	PQfinish(c);
}

static void test_keyset_batch_waits(void **state)
{
	(void)state;
	static const plan_backfill b = {"public.bw", "id", "integer", "v = 1",
					"v IS NULL AND id < 1000"};
	check_waits(&b, "waits-keyset");
}

static void test_keyless_batch_waits(void **state)
{
	(void)state;
	static const plan_backfill b = {"public.bw", NULL, NULL, "v = 1",
					"v IS NULL AND id < 1000"};
	check_waits(&b, "waits-keyless");
}

static int setup(void **state)
{
	(void)state;
	error e = ERROR_INIT;
	if (d->url_with_database(test_server_url(), "postgres", &db_url, &e))
		fail_msg("url: %s", e.msg);
	PGconn *c = pq();
	snprintf(dbname, sizeof(dbname), "schemig_waits_%ld", (long)getpid());
	char sql[128];
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", dbname);
	pq_run(c, sql);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", dbname);
	pq_run(c, sql);
	PQfinish(c);
	free(db_url);
	if (d->url_with_database(test_server_url(), dbname, &db_url, &e))
		fail_msg("url: %s", e.msg);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(db_url);
	error e = ERROR_INIT;
	if (d->url_with_database(test_server_url(), "postgres", &db_url, &e))
		fail_msg("url: %s", e.msg);
	PGconn *c = pq();
	char sql[128];
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)",
		 dbname);
	pq_run(c, sql);
	PQfinish(c);
	free(db_url);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_keyset_batch_waits),
	    cmocka_unit_test(test_keyless_batch_waits),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
