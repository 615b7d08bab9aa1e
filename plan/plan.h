/*
 * The migration plan: what reviewers approve and what apply executes
 * (README, "The plan file").
 *
 * A diff says what must change; a plan says how, step by step, on a live
 * table: each step carries forward SQL, the SQL that undoes it (or why
 * none can exist), the lock it takes, whether it rewrites or scans, the
 * rows it touches, batch settings for backfills and named hazards. The
 * verdict says whether the application deployed now keeps working during
 * and after the migration, and, when the source is a live database,
 * whether the data lets each step succeed.
 *
 * Everything here is dialect-neutral: the safe strategies themselves are
 * the dialect's (dialect->plan), this module owns the data, its canonical
 * JSON form, its id and its renderings. A plan owns every string it holds
 * through its arena.
 */
#ifndef SCHEMIG_PLAN_H
#define SCHEMIG_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "../schema/model.h"
#include "../util/arena.h"
#include "../util/error.h"
#include "../util/strbuf.h"

#define PLAN_FORMAT_VERSION 1

/* Hazards, as bits. Their names (plan_hazard_name) are stable: they are
 * in plan files, reports, lint output and policy `deny` lists. */
enum plan_hazard {
	HZ_ACCESS_EXCLUSIVE_LOCK = 1u << 0, /* blocks reads and writes */
	HZ_BLOCKS_WRITES = 1u << 1,	    /* SHARE / SHARE ROW EXCLUSIVE */
	HZ_TABLE_REWRITE = 1u << 2,	    /* table and indexes rewritten */
	HZ_TABLE_SCAN = 1u << 3,	    /* whole table read */
	HZ_INDEX_BUILD = 1u << 4,
	HZ_BACKFILL = 1u << 5, /* updates every row, batched */
	HZ_DELETES_DATA = 1u << 6,
	HZ_NOT_TRANSACTIONAL = 1u << 7,
	HZ_IRREVERSIBLE = 1u << 8, /* the rollback cannot restore the data,
				      or the step has none */
	HZ_BREAKS_OLD_CODE = 1u << 9,
	HZ_WILL_FAIL = 1u << 10, /* the data check found rows it rejects */
};
#define PLAN_HAZARD_COUNT 11

/* "access_exclusive_lock", ...; NULL past the last. */
const char *plan_hazard_name(int bit_index);
/* Bit for a name, 0 when unknown. */
unsigned plan_hazard_from_name(const char *name);

/*
 * A question the verdict asks the live source's data before a step can
 * be trusted: run by the dialect (dialect->plan_check_data) when the
 * source is a database. Names are raw (unquoted); the dialect quotes.
 */
enum plan_check_kind {
	PLAN_CHECK_NOT_NULL,	/* rows where column IS NULL */
	PLAN_CHECK_UNIQUE,	/* rows sharing a value of `columns` */
	PLAN_CHECK_FOREIGN_KEY, /* rows of table with no match in ref_table */
	PLAN_CHECK_CHECK,	/* rows where NOT (expr) */
	PLAN_CHECK_NARROW,	/* values of column that do not fit `type` */
	PLAN_CHECK_ROWS,	/* any row at all (NOT NULL column added
				   without a default) */
	PLAN_CHECK_SEQUENCE,	/* the identity sequence of `columns` is
				   past the bounds in `expr` ("MINVALUE n
				   MAXVALUE m") */
};

typedef struct plan_check {
	enum plan_check_kind kind;
	int step; /* 1-based number of the step it guards */
	char *schema, *table;
	M_ARRAY(char *, columns);
	char *ref_schema, *ref_table; /* foreign key */
	M_ARRAY(char *, ref_columns);
	char *expr; /* CHECK expression (server spelling, no CHECK keyword) */
	char *type; /* narrowed type, canonical spelling */
	/* Filled by the run: */
	bool ran;	   /* false: no live source, or skipped */
	long long failing; /* rows that make the step fail */
	char *message;	   /* "will fail: 1,204 rows of orders have NULL
			      status", or why it was not checked */
} plan_check;

/*
 * A backfill as data, for apply to run batch by batch with a checkpoint
 * (dialect->backfill_batch_sql): the forward SQL of its step runs the
 * same batches in one script, for psql and the emitters. The fragments
 * are the engine's, quoted by the dialect.
 */
typedef struct plan_backfill {
	char *table;	/* quoted, qualified */
	char *key;	/* the one-column primary key, quoted; NULL: none
			   (batches of physical rows still pending) */
	char *key_type; /* its type, as the dialect spells it */
	char *set;	/* the assignments: "col = expr"; NULL for a copy */
	char *pending;	/* what a row still to do satisfies; NULL for a
			   copy */
	/* A table copy (an online rebuild) instead of an update: each
	 * batch inserts the next keys of `table` into `copy_into` (quoted,
	 * qualified), `columns` (quoted, comma separated) on both sides;
	 * NULL for an update. A copy's `key` and `key_type` are JSON
	 * arrays (as text) of the key's columns (quoted) and their types:
	 * its key may have several columns. */
	char *copy_into;
	char *columns;
} plan_backfill;

typedef struct plan_step {
	int n;		    /* 1-based, in execution order */
	char *kind;	    /* stable name: "create_index_concurrently",
			       "add_foreign_key_not_valid", "validate_constraint",
			       "backfill", "add_column", ... */
	char *object;	    /* the object it changes, quoted, qualified */
	char *table;	    /* the table whose lock matters, quoted, or NULL */
	char *forward;	    /* SQL: one or more statements, each ending
			       ";" and a newline */
	char *rollback;	    /* SQL undoing this step, or NULL */
	char *no_rollback;  /* why there is none, when rollback is NULL */
	bool transactional; /* may run inside a transaction block */
	bool rollback_transactional;
	char *lock; /* strongest lock: "ACCESS EXCLUSIVE", "SHARE
		       UPDATE EXCLUSIVE", ..., "none" */
	bool rewrites, scans;
	long long est_rows;    /* rows of `table`; -1 unknown */
	long long est_lock_ms; /* time the strongest lock is held; -1
				  unknown */
	int batch_size;	       /* backfills: rows per transaction; else 0 */
	int batch_pause_ms;
	plan_backfill *backfill; /* backfills: the batches as data; else
				    NULL (absent from the JSON) */
	unsigned hazards;	 /* enum plan_hazard bits */
	/* Outside a transaction a step can be cut short after the server
	 * did its work but before the journal said so: a guard is one
	 * query (the dialect's) whose one row's first column is "1" when
	 * the work of the forward SQL (of the rollback) is already there,
	 * so that running the step again skips it instead of failing.
	 * NULL: the SQL is safe to repeat as it is. */
	char *guard, *rollback_guard;
	char *drafted_by; /* "engine" or "llm" */
	char *note;	  /* one line: why this form was chosen */
} plan_step;

/* One reason the deployed application may break. */
typedef struct plan_reason {
	int step; /* 1-based */
	char *object;
	char *reason;
} plan_reason;

/* A rename the user declared: --rename table.old=new or
 * --rename schema.table=new_table. */
typedef struct plan_rename {
	char *schema, *table; /* table holding the column, or the table */
	char *column;	      /* NULL for a table rename */
	char *new_name;
} plan_rename;

/* A rename the model recognised (drafting, draft/): names as it wrote
 * them, and its reason. */
typedef struct plan_draft_rename {
	char *from, *to, *reason;
} plan_draft_rename;

/*
 * The record of a model's draft (plan --llm): who drafted, whether the
 * proven draft replaced the engine's steps, the model's own summary and
 * the renames it recognised, or why the draft was not used. The
 * summary, reasons and renames are model output: whoever renders them
 * for people escapes them as any other plan text.
 */
typedef struct plan_draft {
	char *by;      /* "<provider>/<model>", or NULL */
	bool accepted; /* the steps are the model's (drafted_by) */
	char *summary; /* the model's paragraph, or NULL */
	char *reason;  /* why the draft was not used, or NULL */
	M_ARRAY(plan_draft_rename, renames);
} plan_draft;

/* Every setting has a default (plan_settings_init) and a CLI option. */
typedef struct plan_settings {
	int lock_timeout_ms;	  /* 2000: a waiting lock blocks everyone */
	int statement_timeout_ms; /* transactional steps that neither scan
				     nor rewrite (10000); 0 = none */
	int batch_size;		  /* 0: chosen from the table's size */
	int batch_pause_ms;	  /* 50 */
	bool allow_rewrite;	  /* type changes rewrite in place, flagged,
				     instead of expand and contract */
	bool defer_drops;	  /* rename aside instead of dropping */
	bool data_checks;	  /* query the live source's data (true) */
	int server_version;	  /* server_version_num of the target server;
				     0: the source's, else 150000 */
	/* --strict-column-order: rebuild a table whose columns the target
	 * orders otherwise. Not in the plan file: its steps hold the
	 * rebuild already. */
	bool strict_column_order;
	/* --rebuild-online-ms: a rebuild whose copy is estimated to take
	 * at least this long (or an unknown time) is planned online (a
	 * copy in batches, then a brief swap); a shorter one stays one
	 * blocking step, whose rollback restores everything. Not in the
	 * plan file: its steps hold the choice. */
	int rebuild_online_ms;
} plan_settings;

typedef struct plan {
	arena arena; /* owns everything below */
	int format;  /* PLAN_FORMAT_VERSION */
	char id[65]; /* SHA-256 hex of the canonical JSON without "id" */
	char *dialect;
	char *source, *target;	     /* the specs, passwords redacted */
	char *source_fp, *target_fp; /* "sha256:<hex>" of the schemas */
	plan_settings settings;
	M_ARRAY(plan_step, steps);
	M_ARRAY(plan_reason, reasons);
	M_ARRAY(plan_check, checks);
	M_ARRAY(plan_rename, renames);
	plan_draft *draft; /* NULL: no model was asked (and no "draft" key
			      in the JSON, so such a plan's id is as
			      before) */
	bool compatible;   /* no reasons */
	bool will_fail;	   /* a data check found failing rows */
} plan;

void plan_settings_init(plan_settings *s);
void plan_init(plan *p);
void plan_release(plan *p);

/* Append a step (numbered in order); strings are copied. Defaults:
 * drafted_by "engine", lock "none", transactional and
 * rollback_transactional true, est_rows and est_lock_ms -1.
 * Steps live in one array that grows: the pointer returned stays valid
 * only until the next plan_add_step; keep the number (s->n, the step is
 * p->steps[n - 1]) across adds. The same holds for plan_add_check and
 * plan_add_rename. */
plan_step *plan_add_step(plan *p, const char *kind, const char *object,
			 const char *table, const char *forward);
void plan_step_set_rollback(plan *p, plan_step *s, const char *sql);
void plan_step_set_no_rollback(plan *p, plan_step *s, const char *why);
void plan_add_reason(plan *p, int step, const char *object, const char *fmt,
		     ...) __attribute__((format(printf, 4, 5)));
plan_check *plan_add_check(plan *p, enum plan_check_kind kind, int step,
			   const char *schema, const char *table);
/* Copy a string into the plan's arena; NULL for NULL. */
char *plan_str(plan *p, const char *s);
/* Append a (raw) column name to a check's columns / ref_columns. */
void plan_check_add_column(plan *p, plan_check *c, const char *column);
void plan_check_add_ref_column(plan *p, plan_check *c, const char *column);
/* Append a declared rename (column NULL for a table rename). */
plan_rename *plan_add_rename(plan *p, const char *schema, const char *table,
			     const char *column, const char *new_name);

/* The plan's draft record, made empty on first use (in the arena). */
plan_draft *plan_draft_get(plan *p);
/* Append a rename the model recognised to the draft record. */
void plan_draft_add_rename(plan *p, const char *from, const char *to,
			   const char *reason);

/* "not_null", "unique", "foreign_key", "check", "narrow", "rows"; NULL
 * for a value out of range. */
const char *plan_check_kind_name(enum plan_check_kind kind);
/* 0 and *out set, or -1 for an unknown name. */
int plan_check_kind_from_name(const char *name, enum plan_check_kind *out);

/* Lowercase hex SHA-256 of `len` bytes. */
void plan_sha256_hex(const void *data, size_t len, char out[65]);
/* The id the plan's content gives: SHA-256 hex of its canonical JSON
 * without the "id" key. plan_finish stores it in p->id; apply compares
 * it with a stored one. */
int plan_compute_id(const plan *p, char out[65], error *e);

/* The id of the change a plan makes, apart from one environment's rows:
 * SHA-256 hex over the dialect, both fingerprints and every step's kind,
 * object, forward and rollback SQL (a backfill's data for its SQL) and
 * transactions; no estimate, check, note or batch size. A migration
 * committed for review and the plan apply makes on production have the
 * same change id when they run the same statements. */
int plan_change_id(const plan *p, char out[65], error *e);

/* Fill compatible / will_fail from reasons and checks, mark the steps
 * whose data check found failing rows with HZ_WILL_FAIL, and compute id.
 * Call once every step, reason and check is in (again after any change:
 * the id covers everything). */
int plan_finish(plan *p, error *e);

/* "sha256:<hex>" of a schema: the hash of its canonical serialisation
 * (model_canonical), so a live database and its DDL file have the same
 * fingerprint, and a new version of schemig that renders SQL
 * differently keeps it. `m` must be sorted. */
struct dialect;
int plan_fingerprint(const struct dialect *d, const model *m, arena *a,
		     char **out, error *e);

/* Canonical JSON: keys sorted, compact, UTF-8 (not \u-escaped), one
 * trailing newline. NULL strings are JSON null; "batch" is null when
 * batch_size and batch_pause_ms are both 0. */
int plan_to_json(const plan *p, strbuf *out, error *e);
/* Read a plan file, refusing one whose id does not match its content
 * (unless `trust_id`). `filename` is used in messages: malformed JSON
 * gives "FILE:line:column: ...", a missing, unknown or mistyped key
 * "FILE: steps[3].forward: expected a string" (array indexes from 0).
 * `p` must be fresh from plan_init; on failure, plan_release it. */
int plan_from_json(plan *p, const char *text, const char *filename,
		   bool trust_id, error *e);

/* Renderings. "text" and "markdown" show the draft record when there
 * is one (who drafted, used or why not, the summary, the renames, each
 * drafted step's explanation); the model's words are escaped for
 * Markdown by strbuf_add_markdown, as in the review report. "sql" is a
 * psql script: each step wrapped in its
 * dialect's envelope (dialect->step_envelope: its own transaction with
 * local timeouts, or session settings reset at the end of the script);
 * `rollback` renders the rollbacks in reverse order (steps without one
 * become comments). */
void plan_format_text(const plan *p, strbuf *out);
void plan_format_markdown(const plan *p, strbuf *out);
void plan_format_sql(const plan *p, bool rollback, strbuf *out);
/* plan_format_sql without its header comment lines: the steps only (for
 * emitters, which write a header of their own). */
void plan_format_sql_body(const plan *p, bool rollback, strbuf *out);

struct dialect_envelope;
/* The envelope of step `s` of `p` (forward, or its rollback), by the
 * dialect the plan names (the default dialect when it names none):
 * see dialect->step_envelope. */
int plan_step_envelope(const plan *p, const plan_step *s, bool rollback,
		       struct dialect_envelope *out, error *e);
/* An envelope as psql runs it: each statement on a line of its own
 * ending ";", the body as written (a newline added when missing), and
 * `before_commit` (verbatim, or NULL) right before the commit. */
void plan_format_envelope(const struct dialect_envelope *env,
			  const char *before_commit, strbuf *out);
/* The script-end statements of `env`, one line each ending ";". */
void plan_format_finish(const struct dialect_envelope *env, strbuf *out);

#endif
