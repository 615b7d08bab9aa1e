/*
 * Sessions on MySQL and MariaDB (dialect.h, "Sessions and the step
 * envelope" and "Apply"): shared by session.c, apply.c and journal.c
 * only.
 */
#ifndef SCHEMIG_MYSQL_SESSION_H
#define SCHEMIG_MYSQL_SESSION_H

#include "../dialect.h"
#include "conn.h"

struct dialect_conn {
	MYSQL *my;
	unsigned long id; /* the server's connection id (KILL QUERY id) */
	char *url;	  /* to reach the server again (a cancel) */
};

/* dialect members (session.c) */
int my_session_connect(const char *url, dialect_conn **out, error *e);
void my_session_close(dialect_conn *c);
int my_session_run(dialect_conn *c, const char *sql, dialect_run_result *out,
		   error *e);
int my_session_query(dialect_conn *c, const char *sql, char **values, int n,
		     dialect_run_result *res, error *e);
dialect_cancel *my_session_cancel_new(dialect_conn *c);
void my_session_cancel(dialect_cancel *k);
void my_session_cancel_free(dialect_cancel *k);
char *my_session_setting(dialect_conn *c, const char *name);
long long my_session_table_bytes(dialect_conn *c, const char *table,
				 bool indexes);
long long my_session_count_rows(dialect_conn *c, const char *table);
int my_session_identity(dialect_conn *c, dialect_server_id *out, error *e);
bool my_session_same_address(const char *a, const char *b);

/* apply.c */
extern const char *const my_lock_modes[];
enum dialect_error_class my_error_class(const char *state);
int my_session_locks(dialect_conn *mon, dialect_conn *of, const char *table,
		     dialect_locks *out);
int my_session_blockers(dialect_conn *mon, dialect_conn *of,
			dialect_blocker *out, int max);
double my_session_replica_lag_ms(dialect_conn *c);
int my_apply_lock(dialect_conn *c, const char *who, char **holder, error *e);

/* journal.c */
int my_journal_sql(enum dialect_journal_op op, const json_t *f, strbuf *sql,
		   error *e);
int my_journal_read(dialect_conn *c, const char *id, bool full, json_t **out,
		    error *e);
int my_journal_approvals(dialect_conn *c, const char *plan_id, json_t **out,
			 error *e);
int my_journal_dry_run(dialect_conn *c, const char *plan_id, char **report,
		       error *e);

/* credential.c */
int my_session_connect_as(const char *url, const char *user,
			  const char *password, dialect_conn **out, error *e);
int my_credential_owners(dialect_conn *c, const plan *p, json_t **out,
			 error *e);
int my_credential_create(dialect_conn *admin, const dialect_credential *cr,
			 error *e);
int my_credential_journal_grant(dialect_conn *jr, const char *role, bool grant,
				error *e);
void my_credential_handover_sql(const char *owner, strbuf *sql);
int my_credential_list(dialect_conn *c, json_t **out, error *e);
int my_credential_drop(dialect_conn *admin, const char *role, error *e);

/* plan_backfill.c */
int my_backfill_batch_sql(const plan_backfill *b, const char *apply_id,
			  int step, int limit, strbuf *sql, error *e);

/* A table named as plans name it ("`t`" or "`db`.`t`") split into its
 * raw parts (malloc'd; *schema "" for none). -1 when it is not a name
 * of that form: nothing of it then reaches SQL. */
int my_split_qname(const char *q, char **schema, char **name);
/* "`db`.`t`", or the literal DATABASE() for the URL's own, as a
 * condition on INFORMATION_SCHEMA: "TABLE_SCHEMA = ... AND TABLE_NAME =
 * ...". -1 when `table` is not a plan's table name. */
int my_table_condition(strbuf *sb, const char *table);
/* `msg` cut to fit `size` bytes, never halfway through a character. */
void my_copy_cut(char *dst, size_t size, const char *src);

#endif
