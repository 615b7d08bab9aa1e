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

#endif
