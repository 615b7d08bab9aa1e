/*
 * Apply on PostgreSQL (dialect.h, "Apply: executing a plan for good"):
 * what an error code means to a retry, one-row queries, who blocks a
 * session, the standbys' lag, the database's apply lock and one
 * checkpointed backfill batch. The journal itself is journal.c.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/strbuf.h"
#include "../../util/xalloc.h"
#include "pg.h"
#include "session.h"

/*
 * SQLSTATEs by class: a five-character entry is one code, a
 * two-character one a whole class (the first two characters). Codes
 * come before classes: the first entry that matches decides.
 */
static const struct {
	const char *code;
	enum dialect_error_class cls;
} error_classes[] = {
    /* lock_not_available: lock_timeout expired (or NOWAIT). */
    {"55P03", DIALECT_ERR_LOCK_TIMEOUT},
    {"40P01", DIALECT_ERR_DEADLOCK}, /* deadlock_detected */
    /* serialization_failure: retried like a deadlock's victim. */
    {"40001", DIALECT_ERR_DEADLOCK},
    /* query_canceled is statement_timeout and a cancel request alike
     * (only the message tells them apart): exec knows when it cancelled
     * the statement itself and says DIALECT_ERR_CANCELED then. */
    {"57014", DIALECT_ERR_STATEMENT_TIMEOUT},
    /* The server ended the session: admin_shutdown, crash_shutdown,
     * cannot_connect_now, idle_session_timeout and
     * idle_in_transaction_session_timeout. */
    {"57P01", DIALECT_ERR_CONNECTION},
    {"57P02", DIALECT_ERR_CONNECTION},
    {"57P03", DIALECT_ERR_CONNECTION},
    {"57P05", DIALECT_ERR_CONNECTION},
    {"25P03", DIALECT_ERR_CONNECTION},
    {"08", DIALECT_ERR_CONNECTION}, /* connection exception */
    {"22", DIALECT_ERR_DATA},	    /* data exception: a cast, a range */
    {"23", DIALECT_ERR_DATA},	    /* integrity constraint violation */
};

enum dialect_error_class pg_error_class(const char *state)
{
	if (!state || strlen(state) != 5)
		return DIALECT_ERR_OTHER;
	for (size_t i = 0; i < sizeof(error_classes) / sizeof(*error_classes);
	     i++) {
		const char *code = error_classes[i].code;
		if (!strncmp(state, code, strlen(code)))
			return error_classes[i].cls;
	}
	return DIALECT_ERR_OTHER;
}

int pg_session_query(dialect_conn *c, const char *sql, char **values, int n,
		     dialect_run_result *res, error *e)
{
	for (int i = 0; i < n; i++)
		values[i] = NULL;
	/* The extended protocol (no parameters) takes one statement only:
	 * a second one is an error, never run. */
	PGresult *r = PQexecParams(c->pg, sql, 0, NULL, NULL, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(r);
	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
		pg_result_failed(c, r, res, e);
		PQclear(r);
		return -1;
	}
	int rows = st == PGRES_TUPLES_OK ? PQntuples(r) : 0;
	for (int i = 0; rows && i < n && i < PQnfields(r); i++)
		if (!PQgetisnull(r, 0, i))
			values[i] = xstrdup(PQgetvalue(r, 0, i));
	PQclear(r);
	return rows;
}

/* One text value of a query run for a measurement (never an error to
 * the caller); NULL when it fails or is NULL. */
static char *query_one(dialect_conn *c, const char *sql)
{
	char *v = NULL;
	error e = ERROR_INIT;
	if (pg_session_query(c, sql, &v, 1, NULL, &e) < 0)
		error_clear(&e);
	return v;
}

/*
 * pg_blocking_pids lists the sessions `of` waits for (holders and those
 * queued ahead of it); a prepared transaction shows as pid 0, with no
 * session in pg_stat_activity, so the join keeps it.
 */
int pg_session_blockers(dialect_conn *mon, dialect_conn *of,
			dialect_blocker *out, int max)
{
	if (max <= 0)
		return -1;
	char pid[16], lim[16];
	snprintf(pid, sizeof(pid), "%d", of->pid);
	snprintf(lim, sizeof(lim), "%d", max);
	const char *params[2] = {pid, lim};
	PGresult *r = PQexecParams(
	    mon->pg,
	    "SELECT b.pid, coalesce(a.application_name, ''),"
	    " coalesce(a.state, ''),"
	    " coalesce(" PG_ISO_UTC(
		"a.query_start") ", ''),"
				 " coalesce(left(a.query, 200), '')"
				 " FROM (SELECT DISTINCT "
				 "unnest(pg_blocking_pids($1::int)) AS pid)"
				 " AS b LEFT JOIN pg_stat_activity a ON a.pid "
				 "= b.pid"
				 " ORDER BY b.pid LIMIT $2::int",
	    2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		PQclear(r);
		return -1;
	}
	int n = PQntuples(r);
	for (int i = 0; i < n; i++) {
		dialect_blocker *b = &out[i];
		b->pid = strtoll(PQgetvalue(r, i, 0), NULL, 10);
		pg_copy_cut(b->application, sizeof(b->application),
			    PQgetvalue(r, i, 1));
		pg_copy_cut(b->state, sizeof(b->state), PQgetvalue(r, i, 2));
		pg_copy_cut(b->query_start, sizeof(b->query_start),
			    PQgetvalue(r, i, 3));
		pg_copy_cut(b->query, sizeof(b->query), PQgetvalue(r, i, 4));
	}
	PQclear(r);
	return n;
}

/*
 * A role without pg_read_all_stats sees its standbys' rows with their
 * state and lags NULL: that is "cannot be read" (-1), not "no lag".
 */
double pg_session_replica_lag_ms(dialect_conn *c)
{
	char *v = query_one(
	    c, "SELECT CASE WHEN bool_or(state IS NULL) THEN -1"
	       " ELSE coalesce(max(extract(epoch FROM replay_lag) * 1000), 0)"
	       " END::float8 FROM pg_stat_replication");
	double ms = v ? strtod(v, NULL) : -1;
	free(v);
	return ms;
}

/*
 * Who holds the apply lock, from pg_locks (a bigint advisory key shows
 * as classid = its high half, objid = its low half, objsubid 1) and the
 * holder's session: since when is its session's start, which is when
 * that apply began. NULL when no one holds it (any more).
 */
static char *lock_holder(dialect_conn *c)
{
	unsigned long long k = (unsigned long long)PG_APPLY_LOCK_KEY;
	strbuf sb = STRBUF_INIT;
	strbuf_addf(
	    &sb,
	    "SELECT coalesce(a.application_name, ''), l.pid,"
	    " " PG_ISO_UTC(
		"a.backend_start") " FROM pg_locks l"
				   " LEFT JOIN pg_stat_activity a ON a.pid = "
				   "l.pid"
				   " WHERE l.locktype = 'advisory' AND "
				   "l.granted"
				   " AND l.database = (SELECT oid FROM "
				   "pg_database"
				   " WHERE datname = current_database())"
				   " AND l.classid = '%llu' AND l.objid = "
				   "'%llu' AND l.objsubid = 1"
				   " AND l.pid <> pg_backend_pid() LIMIT 1",
	    k >> 32, k & 0xffffffffULL);
	char *v[3];
	error e = ERROR_INIT;
	int rows = pg_session_query(c, strbuf_str(&sb), v, 3, NULL, &e);
	error_clear(&e);
	strbuf_reset(&sb);
	char *who = NULL;
	if (rows > 0) {
		strbuf_addf(&sb, "application '%s', pid %s", v[0] ? v[0] : "",
			    v[1] ? v[1] : "?");
		if (v[2])
			strbuf_addf(&sb, ", since %s", v[2]);
		who = strbuf_detach(&sb);
	}
	for (int i = 0; i < 3; i++)
		free(v[i]);
	strbuf_release(&sb);
	return who;
}

int pg_apply_lock(dialect_conn *c, const char *who, char **holder, error *e)
{
	*holder = NULL;
	strbuf sb = STRBUF_INIT;
	char *v = NULL;
	/* set_config, not SET: a SET statement takes no literal from a
	 * parameter, and the name is quoted like any value. */
	strbuf_adds(&sb, "SELECT set_config('application_name', ");
	pg_quote_literal(&sb, who);
	strbuf_adds(&sb, ", false)");
	int rc = pg_session_query(c, strbuf_str(&sb), &v, 1, NULL, e);
	free(v);
	strbuf_reset(&sb);
	if (rc < 0) {
		strbuf_release(&sb);
		error_prefix(e, "naming the session");
		return -1;
	}
	/* Session-level: held until the session closes (or dies), so a
	 * killed apply frees it with its connection. */
	strbuf_addf(&sb, "SELECT pg_try_advisory_lock(%lld)",
		    (long long)PG_APPLY_LOCK_KEY);
	/* The holder may let go between the attempt and the look-up: try
	 * again, a few times, before naming no one. */
	for (int attempt = 0; attempt < 3; attempt++) {
		rc = pg_session_query(c, strbuf_str(&sb), &v, 1, NULL, e);
		bool taken = rc > 0 && v && !strcmp(v, "t");
		free(v);
		v = NULL;
		if (rc < 0) {
			error_prefix(e, "taking the apply lock");
			break;
		}
		if (taken) {
			rc = 1;
			break;
		}
		rc = 0;
		if ((*holder = lock_holder(c)))
			break;
	}
	if (rc == 0 && !*holder)
		*holder = xstrdup("another session");
	strbuf_release(&sb);
	return rc;
}

/* ---- backfill batches ------------------------------------------------ */

/* The journal's step row a backfill checkpoints in. */
void pg_batch_step_row(strbuf *sql, const char *apply_id, int step)
{
	strbuf_adds(sql, "apply_id = ");
	pg_quote_literal(sql, apply_id);
	strbuf_addf(sql, " AND phase = 'forward' AND n = %d", step);
}

/*
 * The batch's third column: how long (ms) the session that had waited
 * longest for a lock on the table, or for the batch's own transaction (a
 * writer touching one of the batch's rows), had been waiting when the
 * batch ended its work; 0 when no one waited. Apply's pause follows it.
 * pg_locks.waitstart is PostgreSQL 14's: through to_jsonb, a server
 * without it reports 0 instead of failing the batch.
 */
void pg_batch_waits_column(strbuf *sql, const plan_backfill *b)
{
	strbuf_adds(sql, ", (SELECT coalesce(max(extract(epoch FROM"
			 " clock_timestamp() - (to_jsonb(l) ->> 'waitstart')"
			 "::timestamptz) * 1000), 0)::float8 FROM pg_locks l"
			 " WHERE NOT l.granted AND (l.relation = ");
	pg_quote_literal(sql, b->table);
	strbuf_adds(sql, "::regclass OR l.transactionid = (SELECT"
			 " m.transactionid FROM pg_locks m WHERE m.pid ="
			 " pg_backend_pid() AND m.locktype = 'transactionid'"
			 " AND m.granted LIMIT 1)))");
}

/*
 * Keyset batches. `st` reads (and locks) the step row; `bounds` is the
 * checkpoint and the end key, both cast back to the key's type so that
 * keys compare as the key's index orders them; the first batch sets the
 * end to the last key there is now (rows inserted since get their value
 * from the default or the sync trigger, as in the DO-block form). The
 * two branches of `batch` keep each scan an index range scan: one after
 * the checkpoint, one (first batch) from the start. `upd` updates the
 * batch's key range, rows still pending only; `cp` moves the checkpoint
 * to the batch's last key and adds the rows. No step row: no batch, and
 * the statement returns no row.
 */
static void keyset_batch(strbuf *sql, const plan_backfill *b,
			 const char *apply_id, int step, int limit)
{
	const char *t = b->table, *k = b->key, *kt = b->key_type;
	strbuf_adds(sql, "WITH st AS (SELECT checkpoint, backfill_end"
			 " FROM schemig.apply_steps WHERE ");
	pg_batch_step_row(sql, apply_id, step);
	strbuf_adds(sql, " FOR UPDATE),\n");
	strbuf_addf(sql,
		    "bounds AS (SELECT checkpoint::%s AS lo,"
		    " coalesce(backfill_end::%s,"
		    " (SELECT %s FROM %s ORDER BY %s DESC LIMIT 1)) AS hi"
		    " FROM st),\n",
		    kt, kt, k, t, k);
	strbuf_addf(
	    sql,
	    "batch AS ((SELECT %s AS bk FROM %s"
	    " WHERE (SELECT lo FROM bounds) IS NOT NULL"
	    " AND %s > (SELECT lo FROM bounds)"
	    " AND %s <= (SELECT hi FROM bounds) ORDER BY %s LIMIT %d)"
	    " UNION ALL (SELECT %s FROM %s"
	    " WHERE (SELECT lo FROM bounds) IS NULL"
	    " AND %s <= (SELECT hi FROM bounds) ORDER BY %s LIMIT %d)),\n",
	    k, t, k, k, k, limit, k, t, k, k, limit);
	strbuf_adds(sql,
		    "span AS (SELECT"
		    " (SELECT bk FROM batch ORDER BY bk LIMIT 1) AS first_key,"
		    " (SELECT bk FROM batch ORDER BY bk DESC LIMIT 1)"
		    " AS last_key, (SELECT count(*) FROM batch) AS picked),\n");
	strbuf_addf(sql,
		    "upd AS (UPDATE %s SET %s WHERE %s >= (SELECT first_key"
		    " FROM span) AND %s <= (SELECT last_key FROM span)"
		    " AND (%s) RETURNING 1),\n",
		    t, b->set, k, k, b->pending);
	strbuf_adds(sql,
		    "done AS (SELECT count(*) AS updated FROM upd),\n"
		    "cp AS (UPDATE schemig.apply_steps SET checkpoint ="
		    " coalesce((SELECT last_key FROM span)::text, checkpoint),"
		    " backfill_end = coalesce(backfill_end,"
		    " (SELECT hi FROM bounds)::text),"
		    " rows = coalesce(rows, 0) + (SELECT updated FROM done)"
		    " WHERE ");
	pg_batch_step_row(sql, apply_id, step);
	strbuf_addf(sql,
		    ")\nSELECT (SELECT updated FROM done),"
		    " (SELECT picked FROM span) < %d OR (SELECT last_key FROM"
		    " span) >= (SELECT hi FROM bounds)",
		    limit);
	pg_batch_waits_column(sql, b);
	strbuf_adds(sql, " FROM st");
}

/*
 * No one-column key: like the DO-block form, the next `limit` rows
 * still pending, by physical row id; `pending` is checked again in the
 * UPDATE, so a row a writer changed meanwhile is not done twice. It is
 * done when fewer than `limit` rows were pending.
 */
static void keyless_batch(strbuf *sql, const plan_backfill *b,
			  const char *apply_id, int step, int limit)
{
	strbuf_adds(sql, "WITH st AS (SELECT FROM schemig.apply_steps WHERE ");
	pg_batch_step_row(sql, apply_id, step);
	strbuf_adds(sql, " FOR UPDATE),\n");
	strbuf_addf(sql,
		    "picked AS (SELECT ctid AS id FROM %s WHERE EXISTS"
		    " (SELECT FROM st) AND (%s) LIMIT %d),\n"
		    "upd AS (UPDATE %s SET %s WHERE ctid = ANY (ARRAY(SELECT id"
		    " FROM picked)) AND (%s) RETURNING 1),\n",
		    b->table, b->pending, limit, b->table, b->set, b->pending);
	strbuf_adds(sql,
		    "done AS (SELECT count(*) AS updated FROM upd),\n"
		    "cp AS (UPDATE schemig.apply_steps SET rows ="
		    " coalesce(rows, 0) + (SELECT updated FROM done) WHERE ");
	pg_batch_step_row(sql, apply_id, step);
	strbuf_addf(sql,
		    ")\nSELECT (SELECT updated FROM done),"
		    " (SELECT count(*) FROM picked) < %d",
		    limit);
	pg_batch_waits_column(sql, b);
	strbuf_adds(sql, " FROM st");
}

int pg_backfill_batch_sql(const plan_backfill *b, const char *apply_id,
			  int step, int limit, strbuf *sql, error *e)
{
	if (b && b->copy_into)
		return pg_copy_batch_sql(b, apply_id, step, limit, sql, e);
	if (!b || !b->table || !b->set || !b->pending || !apply_id)
		return error_set(e, EXIT_USAGE,
				 "backfill batch: incomplete backfill");
	if (b->key && !b->key_type)
		return error_set(e, EXIT_USAGE,
				 "backfill batch of %s: key %s has no type",
				 b->table, b->key);
	if (step < 1 || limit < 1)
		return error_set(e, EXIT_USAGE,
				 "backfill batch of %s: step %d, limit %d",
				 b->table, step, limit);
	if (b->key)
		keyset_batch(sql, b, apply_id, step, limit);
	else
		keyless_batch(sql, b, apply_id, step, limit);
	return 0;
}
