/*
 * Sessions of the PostgreSQL dialect (dialect->session_*): a libpq
 * connection behind the opaque dialect_conn, with what the execution
 * core measures around each step: rows, the locks in pg_locks, table
 * and index sizes, the WAL position.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/strbuf.h"
#include "../../util/xalloc.h"
#include "conn.h"
#include "session.h"

/* Lock modes in increasing strength. */
const char *const pg_lock_modes[] = {
    "AccessShareLock",
    "RowShareLock",
    "RowExclusiveLock",
    "ShareUpdateExclusiveLock",
    "ShareLock",
    "ShareRowExclusiveLock",
    "ExclusiveLock",
    "AccessExclusiveLock",
    NULL,
};

/* The column a lock probe's rows come in, for session_run to find. */
#define PROBE_COLUMN "schemig_dry_run_lock"

static int lock_rank(const char *mode)
{
	for (int i = 0; pg_lock_modes[i]; i++)
		if (!strcmp(mode, pg_lock_modes[i]))
			return i;
	return -1;
}

static void quiet_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

int pg_session_connect(const char *url, dialect_conn **out, error *e)
{
	return pg_session_connect_as(url, NULL, NULL, out, e);
}

int pg_session_connect_as(const char *url, const char *user,
			  const char *password, dialect_conn **out, error *e)
{
	PGconn *pg;
	*out = NULL;
	if (pg_connect_as(url, user, password, &pg, e) < 0)
		return -1;
	/* The steps' NOTICEs ("does not exist, skipping") are expected. */
	PQsetNoticeProcessor(pg, quiet_notice, NULL);
	dialect_conn *c = xcalloc(1, sizeof(*c));
	c->pg = pg;
	c->pid = PQbackendPID(pg);
	*out = c;
	return 0;
}

void pg_session_close(dialect_conn *c)
{
	if (!c)
		return;
	PQfinish(c->pg);
	free(c);
}

/* The server's message without its trailing newline. */
static int run_failed(const char *msg, error *e)
{
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		n--;
	return error_set(e, EXIT_DB, "%.*s", (int)n, msg);
}

void pg_copy_cut(char *dst, size_t size, const char *src)
{
	size_t n = src ? strlen(src) : 0;
	if (n >= size) {
		/* Back up to the first byte of a UTF-8 sequence, so that the
		 * cut never leaves half a character. */
		n = size - 1;
		while (n && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

/*
 * The error code and detail of a failure. libpq's own errors (the
 * connection broke mid-statement) carry no SQLSTATE: a session that is
 * gone then reads as 08006 (connection_failure), which is what it is.
 */
static void fill_state(PGconn *pg, const PGresult *res, dialect_run_result *out)
{
	if (!out)
		return;
	const char *state =
	    res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if ((!state || !*state) && PQstatus(pg) == CONNECTION_BAD)
		state = "08006";
	pg_copy_cut(out->state, sizeof(out->state), state);
	pg_copy_cut(out->detail, sizeof(out->detail),
		    res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL)
			: NULL);
}

int pg_result_failed(dialect_conn *c, const PGresult *res,
		     dialect_run_result *out, error *e)
{
	fill_state(c->pg, res, out);
	return run_failed(
	    res ? PQresultErrorMessage(res) : PQerrorMessage(c->pg), e);
}

/*
 * Send `sql` and sum the rows every statement reports, and the strongest
 * of the session's own locks that a lock probe lists. Every result is
 * read, also after a failure, so that the session is ready for the next
 * statement (ROLLBACK after a failed transaction). A failure fills
 * out->state and out->detail; a success leaves them as they are (the
 * ROLLBACK after a failed body must not wipe the body's code).
 */
int pg_session_run(dialect_conn *c, const char *sql, dialect_run_result *out,
		   error *e)
{
	if (!PQsendQuery(c->pg, sql))
		return pg_result_failed(c, NULL, out, e);
	int ret = 0;
	PGresult *res;
	while ((res = PQgetResult(c->pg))) {
		ExecStatusType st = PQresultStatus(res);
		if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
		    st != PGRES_EMPTY_QUERY) {
			if (!ret)
				pg_result_failed(c, res, out, e);
			ret = -1;
		} else if (st == PGRES_TUPLES_OK && PQnfields(res) == 1 &&
			   !strcmp(PQfname(res, 0), PROBE_COLUMN)) {
			for (int i = 0; i < PQntuples(res); i++) {
				int k = lock_rank(PQgetvalue(res, i, 0));
				if (k > out->own_lock)
					out->own_lock = k;
			}
		} else if (st == PGRES_COMMAND_OK && *PQcmdTuples(res)) {
			out->rows += strtoll(PQcmdTuples(res), NULL, 10);
			out->counted = true;
		}
		PQclear(res);
	}
	return ret;
}

char *pg_session_lock_probe(dialect_conn *c, const char *table)
{
	char *lit = PQescapeLiteral(c->pg, table, strlen(table));
	if (!lit)
		return NULL;
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb,
		    "SELECT mode AS " PROBE_COLUMN " FROM pg_locks WHERE pid = "
		    "pg_backend_pid() AND granted AND locktype = 'relation' "
		    "AND relation = to_regclass(%s);\n",
		    lit);
	PQfreemem(lit);
	return strbuf_detach(&sb);
}

dialect_cancel *pg_session_cancel_new(dialect_conn *c)
{
	PGcancel *pg = PQgetCancel(c->pg);
	if (!pg)
		return NULL;
	dialect_cancel *k = xcalloc(1, sizeof(*k));
	k->pg = pg;
	return k;
}

void pg_session_cancel(dialect_cancel *k)
{
	char buf[64];
	PQcancel(k->pg, buf, sizeof(buf));
}

void pg_session_cancel_free(dialect_cancel *k)
{
	if (!k)
		return;
	PQfreeCancel(k->pg);
	free(k);
}

/* One value of a one-parameter query; NULL when NULL or failing. */
static char *query_value(dialect_conn *c, const char *sql, const char *param)
{
	const char *params[1] = {param ? param : ""};
	PGresult *r = PQexecParams(c->pg, sql, 1, NULL, params, NULL, NULL, 0);
	char *v = NULL;
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
	    !PQgetisnull(r, 0, 0))
		v = xstrdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}

/* The same as a number; -1 when NULL or failing. */
static long long query_ll(dialect_conn *c, const char *sql, const char *param)
{
	char *v = query_value(c, sql, param);
	long long n = v ? strtoll(v, NULL, 10) : -1;
	free(v);
	return n;
}

char *pg_session_setting(dialect_conn *c, const char *name)
{
	return query_value(c, "SELECT current_setting($1)", name);
}

/*
 * One poll of pg_locks for session `of`: an ungranted request is a wait;
 * the strongest granted lock on the table is what it holds there.
 */
int pg_session_locks(dialect_conn *mon, dialect_conn *of, const char *table,
		     dialect_locks *out)
{
	char pid[16];
	snprintf(pid, sizeof(pid), "%d", of->pid);
	const char *params[2] = {pid, table ? table : ""};
	PGresult *r = PQexecParams(
	    mon->pg,
	    "SELECT mode, granted, coalesce(locktype = 'relation' AND "
	    "relation = to_regclass(nullif($2, '')), false) "
	    "FROM pg_locks WHERE pid = $1::int",
	    2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		PQclear(r);
		return -1;
	}
	out->waiting = false;
	out->strongest = -1;
	for (int i = 0; i < PQntuples(r); i++) {
		bool granted = *PQgetvalue(r, i, 1) == 't';
		if (!granted)
			out->waiting = true;
		else if (*PQgetvalue(r, i, 2) == 't') {
			int k = lock_rank(PQgetvalue(r, i, 0));
			if (k > out->strongest)
				out->strongest = k;
		}
	}
	PQclear(r);
	return 0;
}

long long pg_session_table_bytes(dialect_conn *c, const char *table,
				 bool indexes)
{
	return query_ll(c,
			indexes ? "SELECT pg_indexes_size(to_regclass("
				  "nullif($1, '')))"
				: "SELECT pg_table_size(to_regclass("
				  "nullif($1, '')))",
			table);
}

long long pg_session_count_rows(dialect_conn *c, const char *table)
{
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "SELECT count(*) FROM %s", table);
	PGresult *r = PQexec(c->pg, strbuf_str(&sb));
	long long n = -1;
	if (PQresultStatus(r) == PGRES_TUPLES_OK)
		n = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	strbuf_release(&sb);
	return n;
}

char *pg_session_log_position(dialect_conn *c)
{
	PGresult *r = PQexec(c->pg, "SELECT pg_current_wal_lsn()::text");
	char *v = NULL;
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		v = xstrdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}

long long pg_session_log_bytes(dialect_conn *c, const char *pos)
{
	return query_ll(c,
			"SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), "
			"$1::pg_lsn)::bigint",
			pos);
}
