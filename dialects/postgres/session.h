/*
 * Internal to the PostgreSQL dialect: its part of the dialect table's
 * "Sessions and the step envelope" block (see dialects/dialect.h).
 */
#ifndef SCHEMIG_PG_SESSION_H
#define SCHEMIG_PG_SESSION_H

#include <libpq-fe.h>

#include "../dialect.h"

/* A session: one libpq connection. */
struct dialect_conn {
	PGconn *pg;
	int pid; /* its backend, as pg_locks names it */
};

struct dialect_cancel {
	PGcancel *pg;
};

/* dialect->lock_modes: pg_locks' modes, weakest first. */
extern const char *const pg_lock_modes[];

/* dialect->step_envelope (envelope.c). */
int pg_step_envelope(const plan_settings *st, const plan_step *s, bool rollback,
		     dialect_envelope *out, error *e);

/* The session members (session.c, session_ident.c). */
int pg_session_connect(const char *url, dialect_conn **out, error *e);
void pg_session_close(dialect_conn *c);
int pg_session_run(dialect_conn *c, const char *sql, dialect_run_result *out,
		   error *e);
char *pg_session_lock_probe(dialect_conn *c, const char *table);
dialect_cancel *pg_session_cancel_new(dialect_conn *c);
void pg_session_cancel(dialect_cancel *k);
void pg_session_cancel_free(dialect_cancel *k);
char *pg_session_setting(dialect_conn *c, const char *name);
int pg_session_locks(dialect_conn *mon, dialect_conn *of, const char *table,
		     dialect_locks *out);
long long pg_session_table_bytes(dialect_conn *c, const char *table,
				 bool indexes);
long long pg_session_count_rows(dialect_conn *c, const char *table);
char *pg_session_log_position(dialect_conn *c);
long long pg_session_log_bytes(dialect_conn *c, const char *pos);
int pg_session_identity(dialect_conn *c, dialect_server_id *id, error *e);
bool pg_session_same_address(const char *a, const char *b);

/* Copy `src` (NULL: "") into dst[size], cut at a character boundary to
 * fit (session.c). */
void pg_copy_cut(char *dst, size_t size, const char *src);
/* A failed statement (`res`; NULL: libpq's own error on `c`): fill
 * out->state and out->detail (`out` may be NULL) and `e` (EXIT_DB, the
 * server's message). Returns -1 (session.c). */
int pg_result_failed(dialect_conn *c, const PGresult *res,
		     dialect_run_result *out, error *e);

/* --- Apply (apply.c, journal.c): see dialect.h's apply group --- */

/* The advisory lock key of apply_lock: the first 8 bytes of
 * SHA-256("schemig apply"), big-endian, as a signed 64-bit number
 * (0xe72c3b86f5120fd3). pg_locks shows it as classid 0xe72c3b86,
 * objid 0xf5120fd3, objsubid 1. */
#define PG_APPLY_LOCK_KEY (-1788989501149671469LL)

/* SQL: timestamptz `x` as ISO 8601 text in UTC, to the millisecond
 * ("2026-12-06T20:31:07.123Z"), whatever the session's TimeZone. */
#define PG_ISO_UTC(x)                                                          \
	"to_char((" x ") AT TIME ZONE 'UTC', "                                 \
	"'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

enum dialect_error_class pg_error_class(const char *state);
int pg_session_query(dialect_conn *c, const char *sql, char **values, int n,
		     dialect_run_result *res, error *e);
int pg_session_blockers(dialect_conn *mon, dialect_conn *of,
			dialect_blocker *out, int max);
double pg_session_replica_lag_ms(dialect_conn *c);
int pg_apply_lock(dialect_conn *c, const char *who, char **holder, error *e);
int pg_journal_sql(enum dialect_journal_op op, const json_t *f, strbuf *sql,
		   error *e);
int pg_journal_dry_run(dialect_conn *c, const char *plan_id, char **report,
		       error *e);
int pg_journal_approvals(dialect_conn *c, const char *plan_id, json_t **out,
			 error *e);
int pg_journal_read(dialect_conn *c, const char *id, bool full, json_t **out,
		    error *e);
int pg_backfill_batch_sql(const plan_backfill *b, const char *apply_id,
			  int step, int limit, strbuf *sql, error *e);
/* A batch of a table copy (copy.c); the step row a batch checkpoints in
 * and the column of the longest wait it caused (apply.c). */
int pg_copy_batch_sql(const plan_backfill *b, const char *apply_id, int step,
		      int limit, strbuf *sql, error *e);
void pg_batch_step_row(strbuf *sql, const char *apply_id, int step);
void pg_batch_waits_column(strbuf *sql, const plan_backfill *b);

/* One-shot credentials (credential.c). */
int pg_session_connect_as(const char *url, const char *user,
			  const char *password, dialect_conn **out, error *e);
int pg_credential_owners(dialect_conn *c, const plan *p, json_t **out,
			 error *e);
int pg_credential_create(dialect_conn *admin, const dialect_credential *cr,
			 error *e);
int pg_credential_journal_grant(dialect_conn *jr, const char *role, bool grant,
				error *e);
void pg_credential_handover_sql(const char *owner, strbuf *sql);
int pg_credential_list(dialect_conn *c, json_t **out, error *e);
int pg_credential_drop(dialect_conn *admin, const char *role, error *e);

#endif
