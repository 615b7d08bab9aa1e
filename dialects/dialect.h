/*
 * A dialect is a table of functions: everything above dialects/ speaks
 * only the schema model and this interface, so adding a database means
 * adding a folder, not editing the differ or the commands.
 */
#ifndef SCHEMIG_DIALECT_H
#define SCHEMIG_DIALECT_H

#include <jansson.h>
#include <stdbool.h>

#include "../schema/diff.h"
#include "../schema/model.h"
#include "../lint/lint.h"
#include "../plan/plan.h"
#include "../util/error.h"
#include "../util/strbuf.h"

/* A scratch database about to be loaded with a schema file. */
typedef struct scratch_target {
	const char *url;    /* the database, as its (privileged) creator */
	const char *loader; /* the role the file is loaded as, in a session
			       of its own; NULL: the creator itself */
	bool own_server;    /* a throwaway cluster of schemig's own */
	/* The schemas the file's unqualified names resolve through, first
	 * to last, NULL-terminated; NULL: the server's default. They are
	 * made to exist in the scratch database and become its path. */
	const char *const *search_path;
} scratch_target;

/* --- Servers and databases --- */
/* A scratch database of the dialect's (scratch_create). */
typedef struct dialect_scratch dialect_scratch;
/* A throwaway server of the dialect's (server_start). */
typedef struct dialect_server dialect_server;

/* scratch_create flags. */
/* A server that outlives us (--dev-url): the database must be dropped
 * even if schemig dies first, and what it creates for the load (a loader
 * role) is its own. Without it: the dialect's own throwaway server, which
 * goes as a whole. */
#define DIALECT_SCRATCH_SHARED 1u
/* Files will be loaded: the database belongs to a least-privileged
 * loader, reached through scratch_load_url. */
#define DIALECT_SCRATCH_LOADER 2u

/* --- Sessions and the step envelope: types --- */

/* The most statements an envelope puts on either side of a body. */
#define DIALECT_ENVELOPE_MAX 4

/*
 * How one plan step runs: the statements before its body (the timeouts),
 * the body, the statements after it, and whether all of them form one
 * transaction. Statements carry no terminator (no ";"): each rendering
 * adds its own (psql lines, one driver call per statement, ...).
 * Filled by dialect->step_envelope, released by dialect_envelope_release.
 */
typedef struct dialect_envelope {
	/* begin, before, body, after, commit run as one transaction; begin,
	 * commit and abort (what ends the transaction after a failure) are
	 * the dialect's own static text, NULL when false. */
	bool transaction;
	const char *begin, *commit, *abort;
	char *before[DIALECT_ENVELOPE_MAX]; /* owned by the envelope */
	int nbefore;
	const char *body; /* the step's forward or rollback SQL, borrowed */
	/* A body a client script must fence (a MySQL routine or trigger,
	 * whose BEGIN ... END holds ";"): the line that opens the fence,
	 * what ends the body inside it and the line that closes it, the
	 * dialect's static text; NULL when the body needs none. Sessions
	 * and drivers send the body as one statement and ignore them. */
	const char *fence_open, *fence_end, *fence_close;
	char *after[DIALECT_ENVELOPE_MAX]; /* owned by the envelope */
	int nafter;
	/* Session state this step leaves behind (a non-transactional step's
	 * SETs): what a script runs once, at its end, after the last step,
	 * when any step's envelope has some. Static text of the dialect,
	 * valid after the envelope is released. */
	const char *const *finish;
	int nfinish;
} dialect_envelope;

/* Free what `env` owns; it can be filled again. */
void dialect_envelope_release(dialect_envelope *env);

/* A session on a database (a connection), opaque: the dialect's own. */
typedef struct dialect_conn dialect_conn;
/* What cancels a session's running statement from a signal handler. */
typedef struct dialect_cancel dialect_cancel;

/* What running statements on a session reported. */
typedef struct dialect_run_result {
	long long rows; /* rows the statements said they affected */
	bool counted;	/* some statement reported a row count */
	int own_lock;	/* strongest lock (index in dialect->lock_modes)
			   that a session_lock_probe in the text saw; -1 */
	/* The failed statement's error code (PostgreSQL's SQLSTATE) and
	 * the server's detail line, "" when none (or nothing failed). */
	char state[6];
	char detail[256];
} dialect_run_result;

/* How apply meets a failed statement: dialect->error_class of the
 * error code in dialect_run_result.state. */
enum dialect_error_class {
	DIALECT_ERR_OTHER = 0,	       /* not retried, remediated */
	DIALECT_ERR_LOCK_TIMEOUT,      /* a lock was not granted in time */
	DIALECT_ERR_DEADLOCK,	       /* chosen as a deadlock's victim */
	DIALECT_ERR_STATEMENT_TIMEOUT, /* the statement ran too long */
	DIALECT_ERR_DATA,	       /* the rows reject the change: a
					  constraint, a duplicate key, a cast */
	DIALECT_ERR_CONNECTION,	       /* the session was lost */
	DIALECT_ERR_CANCELED,	       /* cancelled (an interruption) */
};

/* A session that holds what another waits for, as the server shows it
 * (strings cut to fit). */
typedef struct dialect_blocker {
	long long pid;
	char application[64];
	char state[32];	      /* "idle in transaction", "active", ... */
	char query_start[40]; /* ISO 8601, UTC */
	char query[201];      /* its query's first 200 characters */
} dialect_blocker;
#define DIALECT_BLOCKERS_MAX 8

/* A one-shot login (dialect->credential_create). */
typedef struct dialect_credential {
	const char *name;     /* "schemig_<12 of the plan id>_<8 random>" */
	const char *password; /* random; sent to the server as a verifier */
	int ttl_minutes;
	const json_t *owners; /* the roles it joins (credential_owners) */
	const char *database; /* the database it is for, and the apply: */
	const char *apply_id; /* both recorded with the role */
} dialect_credential;

/* What the journal of applies records: the operations of
 * dialect->journal_sql. */
enum dialect_journal_op {
	JOURNAL_SETUP,	     /* create the journal when missing */
	JOURNAL_APPLY_START, /* a new apply (insert) */
	JOURNAL_APPLY_END,   /* its outcome (update) */
	JOURNAL_STEP_START,  /* a step starts (insert or update) */
	JOURNAL_STEP_END,    /* a step ended (update) */
	JOURNAL_EVENT,	     /* one audit event (insert) */
	JOURNAL_APPROVE,     /* an approval of a plan (upsert) */
	JOURNAL_DRY_RUN,     /* a dry run's report, on the copy (upsert) */
};

/* The locks one session holds on a table and waits for, as another
 * session sees them at one instant. */
typedef struct dialect_locks {
	int strongest; /* granted on the table: index in lock_modes, -1 */
	bool waiting;  /* some request of the session is not granted */
} dialect_locks;

/* Who a server is, by what it says, not by how it was reached: two
 * URLs for one database give the same identity. Strings malloc'd,
 * freed by dialect_server_id_release. */
typedef struct dialect_server_id {
	char *system;  /* the cluster's identifier; NULL when the role may
			  not read it (the other facts then decide) */
	char *started; /* when the server started */
	char *port;
	char *database;
} dialect_server_id;

void dialect_server_id_release(dialect_server_id *id);
/* Same server and database: every fact both sides know is equal. */
bool dialect_server_id_same(const dialect_server_id *a,
			    const dialect_server_id *b);

struct replica_job;

typedef struct dialect {
	const char *name; /* "postgres" */

	/* Parse DDL text into `m` (appending). `filename` is used in
	 * messages: malformed SQL fails with "file:line:column: message";
	 * statements the model does not hold become model warnings naming
	 * file:line and the statement kind. */
	int (*parse)(model *m, const char *sql, const char *filename, error *e);

	/* Read the live schema behind a connection URL into `m`. */
	int (*introspect)(model *m, const char *url, error *e);

	/* Run a script (many statements) on a server, e.g. to load a DDL
	 * file into a throwaway database. */
	int (*exec_script)(const char *url, const char *sql,
			   const char *filename, error *e);

	/* Optional: exec_script for the user's own DDL file, where a
	 * statement the server rejects is an input error (EXIT_USAGE). */
	int (*load_script)(const char *url, const char *sql,
			   const char *filename, error *e);

	/* Optional: prepare a scratch database for loading one script as
	 * t->loader: create the cluster-wide roles it names (own server
	 * only), the extensions only a superuser may create and that are
	 * safe to have. Sets *load_sql (caller frees; NULL: load `sql` as
	 * it is) to the text to load, with the statements that preparing
	 * already did blanked. A statement that cannot be loaded safely
	 * fails with "file:line: ...". */
	int (*prepare_scratch)(const scratch_target *t, const char *sql,
			       const char *filename, char **load_sql, error *e);

	/* Optional: the schemas unqualified names resolve through in a
	 * session on `url`, first to last, only those that exist (the
	 * connecting role's effective path). *out is NULL-terminated and
	 * malloc'd, items too (dialect_free_names), or NULL when the path
	 * is the server's plain default and nothing needs doing. */
	int (*search_path)(const char *url, char ***out, error *e);

	/* Turn the differences between two models into an ordered list of
	 * statements that turns `from` into `to`. */
	int (*diff)(const model *from, const model *to, diff_result *out,
		    error *e);

	/* Append `ident` quoted by the dialect's rules (only when needed). */
	void (*quote_ident)(strbuf *sb, const char *ident);
	/* Append `s` as a string literal, by the dialect's rules. */
	void (*quote_literal)(strbuf *sb, const char *s);

	/* A copy of a connection URL with its password masked (malloc'd). */
	char *(*redact_url)(const char *url);

	/* Optional: the safe plan for turning `from` into `to`. `p` comes
	 * with its settings and declared renames filled in; the dialect
	 * appends steps, reasons and data checks. Declared renames are
	 * applied to `from` first, as the server would apply them. `from_url`
	 * is the live source (table statistics, server version), NULL for DDL
	 * text. */
	int (*plan)(model *from, const model *to, const char *from_url, plan *p,
		    error *e);

	/* Optional: run the plan's data checks against the live source,
	 * read-only, filling each check's result. */
	int (*plan_check_data)(const char *url, plan *p, error *e);

	/* Optional: report the hazards of hand-written migration SQL,
	 * appending findings to `out` (one call per file: what one file
	 * creates is remembered in out->state for the next). A syntax
	 * error fails with "file:line:column: message". */
	int (*lint)(const char *sql, const char *filename, lint_result *out,
		    error *e);
	/* The rules `lint` knows, ending with a NULL name. */
	const lint_rule *lint_rules;

	/* --- Servers and databases --- */

	/* The database's name in messages ("PostgreSQL"). */
	const char *title;
	/* The URL forms claims_url accepts, for messages ("postgres://");
	 * several are joined with " or ". */
	const char *url_forms;

	/* Does `spec` name a database of this dialect (by its URL scheme)?
	 * Only URL forms are claimed: a bare key=value string could as
	 * well be a file name, so a source spec never is one. */
	bool (*claims_url)(const char *spec);

	/* Set *out (caller frees) to the connection string of database
	 * `dbname` on the server of `url`, with the same user, password and
	 * options; `url` may be any form the dialect connects with. A `url`
	 * that does not parse fails with EXIT_USAGE and a message that never
	 * echoes it (it may hold a password). */
	int (*url_with_database)(const char *url, const char *dbname,
				 char **out, error *e);

	/* Optional: mask the secrets of `url` (its password) wherever they
	 * show up in e's message; defence in depth for messages from lower
	 * layers. NULL: messages are left as they are. */
	void (*scrub_secrets)(error *e, const char *url);

	/* Optional (NULL: DDL text is never normalised through a server,
	 * it is parsed): create scratch database number `seq` (unique in
	 * this process) on the server of `base_url`, with DIALECT_SCRATCH_*
	 * `flags`. With DIALECT_SCRATCH_SHARED it must be dropped even when
	 * schemig is killed (SIGKILL) before scratch_drop. *out is the
	 * caller's, released with scratch_drop; on failure nothing is left
	 * behind, *out is NULL and the message names the server redacted
	 * (EXIT_DB). */
	int (*scratch_create)(const char *base_url, unsigned seq,
			      unsigned flags, dialect_scratch **out, error *e);
	/* The scratch database's connection string, as base_url's user:
	 * preparation and introspection. Owned by `s`. */
	const char *(*scratch_url)(const dialect_scratch *s);
	/* The connection string files are loaded through (as the loader);
	 * NULL when files are loaded through scratch_url. Owned by `s`. */
	const char *(*scratch_load_url)(const dialect_scratch *s);
	/* The loader's name (for prepare_scratch); NULL: none. Owned by
	 * `s`. */
	const char *(*scratch_loader)(const dialect_scratch *s);
	/* Drop the database and what was made for it (a warning on
	 * failure, never an error) and free `s`. NULL is fine. */
	void (*scratch_drop)(dialect_scratch *s);

	/* Optional, with the server_* members below (all NULL: the dialect
	 * has no throwaway servers, and the core says so naming the
	 * dialect): what starting one needs, in messages, e.g. the server
	 * binaries and the program that creates a data directory. */
	const char *server_needs;
	/* 1 when a throwaway server can be started here, 0 when it cannot
	 * (the core then parses DDL text instead), -1 with `e` set when the
	 * user asked for a way of starting one that does not work. */
	int (*server_available)(error *e);
	/* Create, start and wait for a throwaway server. *out is set as
	 * soon as there is something to clean up, so that a signal handler
	 * reaching it can abort a half-started server; on failure
	 * everything is removed and *out is NULL again. */
	int (*server_start)(dialect_server **out, error *e);
	/* A connection string for the server's default database as its
	 * superuser. Owned by `s`. */
	const char *(*server_url)(const dialect_server *s);
	/* What was started, for people ("PostgreSQL 15"); caller frees. */
	char *(*server_describe)(const dialect_server *s);
	/* Optional: the directory the server lives in (its logs), for
	 * diagnostics; NULL: it has none. Owned by `s`. */
	const char *(*server_dir)(const dialect_server *s);
	/* Shut the server down, remove what it left and free `s`. NULL is
	 * fine; so is a server server_abort already stopped. */
	void (*server_stop)(dialect_server *s);
	/* The async-signal-safe part of server_stop, for signal handlers:
	 * stop and remove, without freeing. NULL is fine. */
	void (*server_abort)(dialect_server *s);

	/* --- Sessions and the step envelope --- */

	/* How step `s` of a plan with settings `st` runs, forward or
	 * (`rollback`) its rollback: fills *out (zeroed first; release it
	 * with dialect_envelope_release, also after a failure). Every
	 * rendering of a plan (plan --format sql, the emitters) and every
	 * execution of one (the dry run, tests/tools/pgload) wraps steps
	 * with it, so a dialect states its transaction and timeout rules
	 * once. Fails (EXIT_USAGE, naming the step) when the step cannot
	 * run on this dialect as planned. */
	int (*step_envelope)(const plan_settings *st, const plan_step *s,
			     bool rollback, dialect_envelope *out, error *e);
	/* How a person runs a generated SQL script (the sql emitter's
	 * comment): statement by statement, stopping at the first error.
	 * NULL: PostgreSQL's psql line. */
	const char *script_runner;

	/* The lock modes sessions report, weakest first, ending with NULL
	 * (the names reports show). */
	const char *const *lock_modes;

	/* Open a session on `url`. Fails with EXIT_DB and a message naming
	 * the redacted URL. The caller closes *out with session_close. The
	 * server's notices are not shown (a step's "does not exist,
	 * skipping" is expected). */
	int (*session_connect)(const char *url, dialect_conn **out, error *e);
	/* Close a session (NULL: nothing). */
	void (*session_close)(dialect_conn *c);

	/* Run `sql` (one or more statements) on `c`, adding to *out (which
	 * the caller initialises: rows 0, own_lock -1) what each statement
	 * reported. A statement that fails: -1 and EXIT_DB with the
	 * server's first message, as it gave it (trailing blanks cut); the
	 * statements after it are not run. */
	int (*session_run)(dialect_conn *c, const char *sql,
			   dialect_run_result *out, error *e);

	/* Optional: a statement (malloc'd) that, sent inside a step's
	 * transaction before its commit, makes session_run report in
	 * own_lock the strongest lock the session holds on `table` (a
	 * brief strong lock slips between two session_locks polls). NULL:
	 * the polls alone count. */
	char *(*session_lock_probe)(dialect_conn *c, const char *table);

	/* A cancel handle for `c`'s running statement (caller frees it with
	 * session_cancel_free), NULL when none can be made. */
	dialect_cancel *(*session_cancel_new)(dialect_conn *c);
	/* Async-signal-safe: ask the server to cancel the statement running
	 * on the session the handle was made for. */
	void (*session_cancel)(dialect_cancel *k);
	void (*session_cancel_free)(dialect_cancel *k);

	/* The current value of setting `name` on `c` (malloc'd), NULL when
	 * it cannot be read. */
	char *(*session_setting)(dialect_conn *c, const char *name);

	/* From session `mon`, the locks session `of` holds on `table`
	 * (quoted, qualified; NULL: none counted as held) and whether it
	 * waits for any. -1 (nothing filled) when they cannot be read. */
	int (*session_locks)(dialect_conn *mon, dialect_conn *of,
			     const char *table, dialect_locks *out);

	/* Bytes of `table` (quoted, qualified) without its indexes, or of
	 * its indexes (`indexes`); -1 when unknown or NULL. */
	long long (*session_table_bytes)(dialect_conn *c, const char *table,
					 bool indexes);
	/* The rows of `table` now; -1 when they cannot be counted. */
	long long (*session_count_rows)(dialect_conn *c, const char *table);

	/* Optional: the server's write-ahead log position now (malloc'd
	 * text, NULL unknown), and the bytes written since `pos` (-1
	 * unknown). NULL members: log bytes are reported as unknown. */
	char *(*session_log_position)(dialect_conn *c);
	long long (*session_log_bytes)(dialect_conn *c, const char *pos);

	/* Who the server behind `c` is. A server that answers but will not
	 * say: -1, EXIT_USAGE and its message alone (the caller names the
	 * server). */
	int (*session_identity)(dialect_conn *c, dialect_server_id *out,
				error *e);
	/* Do two connection URLs name the same host, port and database?
	 * (for a server that cannot be reached to ask its identity) */
	bool (*session_same_address)(const char *a, const char *b);

	/* --- Apply: executing a plan for good (exec/apply.h) --- */

	/* Optional group: a dialect without it cannot apply. */

	/* The class of an error code (dialect_run_result.state). */
	enum dialect_error_class (*error_class)(const char *state);

	/* Run `sql` (one statement) and copy its first row's first `n`
	 * columns into values[0..n-1] (malloc'd; NULL for a null). Returns
	 * the number of rows (0: values all NULL), or -1 with EXIT_DB and
	 * res->state / res->detail filled (res may be NULL). */
	int (*session_query)(dialect_conn *c, const char *sql, char **values,
			     int n, dialect_run_result *res, error *e);

	/* From `mon`, the sessions that block `of` now (at most `max`):
	 * their number, 0 when it waits for no one, -1 when unknown. */
	int (*session_blockers)(dialect_conn *mon, dialect_conn *of,
				dialect_blocker *out, int max);

	/* The longest replay lag of the server's standbys in ms; 0 when it
	 * has none, -1 when it cannot be read. */
	double (*session_replica_lag_ms)(dialect_conn *c);

	/* Name session `c` `who` (as other sessions see it) and take the
	 * database's apply lock, held until the session closes, without
	 * waiting: 1 taken; 0 held by another session, *holder (malloc'd)
	 * saying who ("application 'git-schemig apply', pid 4242, since
	 * 2026-12-06 20:31:07+00"); -1 on error. */
	int (*apply_lock)(dialect_conn *c, const char *who, char **holder,
			  error *e);

	/*
	 * The journal: a `schemig` schema (or the dialect's equivalent) in
	 * the target database, never part of a compared schema (introspect
	 * leaves it out). journal_sql appends to `sql` the statement(s)
	 * of `op` with the values of `f`, a JSON object whose keys are the
	 * journal's columns:
	 *   applies: id (text, chosen by apply), env, plan_id, plan (the
	 *     plan's JSON text), direction ("apply" | "rollback"),
	 *     rollback_of (an apply id or null), commit, pull_request, actor,
	 *     before_sql (the source schema's creation script), changes
	 *     (JSON text), outcome ("running", "applied", "rolled_back",
	 *     "failed", "escalated", "interrupted"), trace (JSON text or
	 *     null); started and finished are the server's clock, set by
	 *     APPLY_START and APPLY_END.
	 *   steps (apply_id, phase, n identify one; phase "forward" |
	 *     "rollback"): kind, object, status ("running", "done",
	 *     "failed"), attempts, rows, lock_wait_ms, lock_held_ms, lock,
	 *     sqlstate, message; started (STEP_START) and finished
	 *     (STEP_END) by the server's clock; checkpoint and backfill_end
	 *     are written by backfill batches only.
	 *   events: apply_id, event (JSON text); at by the server's clock.
	 * A key absent from `f` leaves its column as it is (STEP_START on a
	 * step row that exists resets status, started and finished and
	 * adds one to attempts). Values are quoted by the dialect's rules.
	 * JOURNAL_SETUP takes f = NULL. STEP_END is sent inside a step's
	 * transaction: it must report no row count (session_run would add
	 * it to the step's rows).
	 */
	int (*journal_sql)(enum dialect_journal_op op, const json_t *f,
			   strbuf *sql, error *e);
	/* (journal_sql, continued) approvals: plan_id, comment and login
	 * (a platform login the caller confirmed, "github:NAME"); the
	 * approver is the session's login role as the server knows it,
	 * never a value of `f`, so an approval cannot name someone else.
	 * One per approver, login and plan (approving again replaces it). */
	/* The approvals of `plan_id`: a JSON array of {plan_id, approver,
	 * login, comment, at}, oldest first; empty when there is no
	 * journal. `login` is "" unless the row was written by the reading
	 * session's own login role (the one that applies). */
	int (*journal_approvals)(dialect_conn *c, const char *plan_id,
				 json_t **out, error *e);
	/* (journal_sql, continued) dry runs: plan_id and report (the
	 * dry run's JSON text), one per plan, the last replacing the
	 * others. The report of `plan_id` recorded on `c`'s database
	 * (malloc'd): 1, or 0 when there is none. */
	int (*journal_dry_run)(dialect_conn *c, const char *plan_id,
			       char **report, error *e);
	/* Every apply of the journal, newest first: a JSON array of
	 * objects with the applies' columns (started and finished as ISO
	 * 8601 text, plan and changes and before_sql left out unless
	 * `full`) and "steps": the step rows, by phase then n. An empty
	 * array when the journal does not exist. `id`: that apply only. */
	int (*journal_read)(dialect_conn *c, const char *id, bool full,
			    json_t **out, error *e);

	/*
	 * One batch of backfill `b` (plan_step.backfill) of step `step` of
	 * apply `apply_id`: a single statement, so one transaction, that
	 * updates the next `limit` rows still pending after the key
	 * checkpointed in the journal's step row, up to the last key there
	 * was when the backfill started (backfill_end, set by the first
	 * batch), and checkpoints the batch's last key and adds its rows
	 * there. Its one row: (rows updated, "t" when no row is left, the
	 * longest wait in ms of a session waiting for a lock on the table
	 * or on the batch's transaction when it ended: 0 none; a third
	 * column that is absent or NULL: unknown).
	 * Rows are never updated twice: a resumed backfill continues after
	 * the last committed batch.
	 */
	int (*backfill_batch_sql)(const plan_backfill *b, const char *apply_id,
				  int step, int limit, strbuf *sql, error *e);

	/*
	 * --- One-shot credentials (exec/apply.h; optional group) ---
	 *
	 * A login that exists for one apply: made on an admin session
	 * before the first step, member of the roles that own what the
	 * plan touches and of nothing else, dropped on every exit. Its
	 * password lives in the process only: never in a message, a
	 * statement the server could log, or a file.
	 */

	/* A session on `url` as login `user` with `password` instead of
	 * the URL's own; messages name the redacted URL and the user. */
	int (*session_connect_as)(const char *url, const char *user,
				  const char *password, dialect_conn **out,
				  error *e);
	/* The roles that own the objects `p` touches (existing ones; for
	 * a new object, whoever owns its schema): a JSON array of names,
	 * each once. EXIT_USAGE naming the object when an owner is a
	 * superuser (a one-shot login cannot stand in for one) or when no
	 * owner can be found. */
	int (*credential_owners)(dialect_conn *c, const plan *p, json_t **out,
				 error *e);
	/* On the admin session: create `cr`, a login valid for
	 * cr->ttl_minutes by the server's clock, at most 3 connections,
	 * member of cr->owners; the password is sent as a verifier only. */
	int (*credential_create)(dialect_conn *admin,
				 const dialect_credential *cr, error *e);
	/* On the journal's session (the journal's owner): let `role` write
	 * the journal's rows (a step's "done" is written in the step's own
	 * transaction), or take that back. */
	int (*credential_journal_grant)(dialect_conn *jr, const char *role,
					bool grant, error *e);
	/* Statements for the end of each transaction the credential runs:
	 * whatever it created goes to `owner`, so it never owns an object
	 * past a commit. No row count. */
	void (*credential_handover_sql)(const char *owner, strbuf *sql);
	/* Every one-shot login on the server: a JSON array of {name,
	 * database (the one it was made for), apply_id, valid_until (ISO
	 * 8601), expired (bool)}. */
	int (*credential_list)(dialect_conn *c, json_t **out, error *e);
	/* On the admin session: drop login `role` (1), or 0 when there is
	 * none. */
	int (*credential_drop)(dialect_conn *admin, const char *role, error *e);

	/* --- Changes --- */
	/* The stable name ("add_column", ...) of a change kind `diff`
	 * puts in diff_stmt.change: a neutral change_kind or one of the
	 * dialect's own (from CHANGE_DIALECT_BASE). A static string; NULL
	 * for a kind the dialect does not make. */
	const char *(*change_kind_name)(int kind);

	/* --- Drafts (draft/; optional: NULL, no model may draft) --- */
	/* The statements of `sql` (one step a model drafted), parsed by
	 * the dialect's own parser, as a JSON array (caller decrefs): per
	 * statement {kind: the parser's name for it ("index_stmt"), known:
	 * whether `objects` is complete for this kind (false for what the
	 * dialect cannot see into: DO blocks, functions, SET), objects:
	 * every relation or other named object it touches, qualified and
	 * quoted as diff_stmt.object spells them ("public.orders")}.
	 * Text that does not parse fails with EXIT_USAGE and
	 * "filename:line:column: message". draft/ decides what is allowed.
	 */
	int (*draft_statements)(const char *sql, const char *filename,
				json_t **out, error *e);
	/*
	 * The sample rows of a drafted data migration, on the proof's
	 * throwaway copy at `url` (never anywhere else). `samples` is the
	 * model's array of {table: named as diff_stmt.object names it,
	 * before and after: [{column: a plain name, value: text or
	 * null}]}; each value goes to the server as a parameter, read as
	 * its column's type. DRAFT_SAMPLES_LOAD inserts every `before`
	 * row; _FORWARD checks that a row holds every `after` value;
	 * _ROLLBACK that a row holds every `before` value again. 0 held;
	 * 1 failed, the first failure in `why` naming the sample and the
	 * server's message; -1 no connection (`e`).
	 */
	int (*draft_samples)(const char *url, const json_t *samples, int phase,
			     strbuf *why, error *e);
	/* What the model is told about the tables `tables` (a JSON array
	 * of names as diff_stmt.object spells them) of the live source at
	 * `url`, never their rows: an object by name of {rows,
	 * total_bytes, index_bytes, indexes, writes_per_s, observed_s};
	 * a table not there is left out. */
	int (*draft_table_stats)(const char *url, const json_t *tables,
				 json_t **out, error *e);
	/*
	 * Step `s` of drafted plan `dp`, whose forward SQL is one UPDATE
	 * (a data migration), made the dialect's batched backfill when the
	 * statement allows it (plan_step.backfill, the script as forward
	 * SQL, batch settings, kind "backfill"; s->batch_size when it is
	 * set, the model's choice): 1 when it did, 0 when the
	 * statement is left as the model wrote it (not a plain UPDATE of
	 * one table of `from` with a one-column key). -1 on error.
	 */
	int (*draft_backfill)(const model *from, plan *dp, plan_step *s,
			      error *e);

	/* --- Replicas (replica/replica.h) --- */

	/*
	 * Optional (NULL: the dialect makes no replicas, and `replica`
	 * says so): fill job->target_url with job->source's schema and
	 * its tables' rows, masked and sampled as `job` says, streamed
	 * from the source without landing anywhere unmasked; record the
	 * source's sizes there for replica_read. All or nothing: a
	 * failure or an interruption leaves no half-filled copy. Fills
	 * the counts of `job` and its tables.
	 */
	int (*replica_fill)(struct replica_job *job, error *e);
	/* What a replica's database says of itself: 1 and *out ({
	 * environment, made_at, fingerprint, sample_pct, masked_columns,
	 * tables: {"schema.table": {source_rows, rows}}}), 0 when `url`
	 * is no replica schemig made, -1 on error. */
	int (*replica_read)(const char *url, json_t **out, error *e);
	/* Drop the replica's database at `url` (refused, EXIT_USAGE, when
	 * it is not a copy schemig made). */
	int (*replica_drop)(const char *url, error *e);
} dialect;

enum { DRAFT_SAMPLES_LOAD, DRAFT_SAMPLES_FORWARD, DRAFT_SAMPLES_ROLLBACK };

/* NULL when unknown. */
const dialect *dialect_find(const char *name);

/* Free a NULL-terminated list of malloc'd names (search_path's). */
void dialect_free_names(char **names);
/* Make `d` known to dialect_find and dialect_for_url, for the rest of
 * the process (a dialect built outside this tree, or a test's own).
 * -1 when another dialect has its name or the table is full. */
int dialect_register(const dialect *d);
/* For a dialect name or URL scheme of a database that is planned but not
 * supported yet ("mariadb"), the dialect it will be ("mysql"); NULL
 * otherwise. */
const char *dialect_planned(const char *name);

/* The dialect whose claims_url accepts `spec`; NULL when none does. */
const dialect *dialect_for_url(const char *spec);

/* Append the url_forms of every known dialect to `sb`, joined with
 * " or " ("postgres://"). */
void dialect_add_url_forms(strbuf *sb);

extern const dialect dialect_postgres;
extern const dialect dialect_mysql;

#endif
