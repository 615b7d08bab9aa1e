/*
 * The execution core: a plan's steps run on a database through the
 * plan's dialect only (dialect.h: sessions and the step envelope), each
 * in its envelope, measured (time, the strongest lock held and the time
 * spent waiting for locks, rows, table and index sizes, log bytes),
 * cancellable from a signal handler, and the steps done undone in
 * reverse when asked (after a failure or an interruption).
 *
 * What ran is typed (exec_step, exec_result) and has a JSON form
 * (exec_json.c), read back strictly. The dry run is this core plus its
 * proofs (dryrun.c); nothing here knows about proofs or reports.
 */
#ifndef SCHEMIG_EXEC_H
#define SCHEMIG_EXEC_H

#include <jansson.h>
#include <stdbool.h>

#include "../dialects/dialect.h"
#include "../plan/plan.h"
#include "../util/arena.h"
#include "../util/error.h"

/* One step as it ran (forward or rollback). Sizes, counts and times that
 * could not be measured are -1. */
typedef struct exec_step {
	int n;		     /* the plan's step number */
	char *kind, *object; /* copied from the plan; object may be NULL */
	char *table;	     /* the table measured, or NULL */
	bool ok;
	char *error; /* why it failed ("interrupted", the server's
			message), NULL when ok */
	double wall_ms;
	double lock_wait_ms;  /* waiting for a lock another session held */
	double lock_held_ms;  /* holding strongest_lock on the table */
	char *strongest_lock; /* a name of dialect->lock_modes, or NULL */
	long long rows;	      /* rows the step went through */
	long long table_bytes_before, table_bytes_after;
	long long index_bytes_before, index_bytes_after;
	long long log_bytes;   /* written to the server's log ("wal_bytes") */
	long long source_rows; /* the plan's estimate for the table */
	double projected_ms;   /* wall_ms scaled to source_rows */
} exec_step;

typedef struct exec_result {
	arena arena;		   /* owns every string and array below */
	M_ARRAY(exec_step, steps); /* forward, in order */
	M_ARRAY(exec_step, rollback_steps); /* in the order they ran */
	int failed_step;  /* the forward step that failed; 0: none */
	bool interrupted; /* exec_interrupt stopped the run */
} exec_result;

void exec_result_init(exec_result *r);
void exec_result_release(exec_result *r);

/* Why a step failed, beyond its message: what apply's retries and its
 * escalation trace need. */
typedef struct exec_failure {
	char state[6];	  /* the error code, "" when none */
	char detail[256]; /* the server's detail line, "" when none */
	bool interrupted; /* exec_interrupt stopped it */
	/* The limit of exec_ctx the watcher cancelled it for:
	 * "deadline_ms" or "hold_ms", NULL when none; and the lock time
	 * held then (ms). */
	const char *limit;
	double held_ms;
	/* The sessions it waited for, seen while it waited. */
	dialect_blocker blockers[DIALECT_BLOCKERS_MAX];
	int nblockers;
} exec_failure;

struct exec_ctx;
/* What a caller adds to the running of each step (apply's journal). */
typedef struct exec_hooks {
	/* Optional: SQL (statements ending ";") to run in a transactional
	 * step's own transaction, right before its commit. */
	void (*before_commit)(void *arg, const plan_step *s, bool rollback,
			      strbuf *sql);
	/* Optional: run step `s` in place of sending its SQL (a backfill
	 * batch by batch): 1 when it did (0 ran, -1 failed with `e` and
	 * res->state), 0 when the step is the core's to run. */
	int (*run)(void *arg, struct exec_ctx *x, const plan_step *s,
		   bool rollback, dialect_run_result *res, error *e);
	void *arg;
} exec_hooks;

/* A plan being run on one database. */
typedef struct exec_ctx {
	const dialect *d;
	const plan *p;
	dialect_conn *run;	 /* the steps' session */
	dialect_conn *mon;	 /* the session that watches it */
	bool progress;		 /* one line per step on stderr */
	const exec_hooks *hooks; /* NULL: none */
	/* Limits on the next forward step (apply's policy envelope; -1:
	 * none), enforced by the watcher, which cancels the running
	 * statement: at deadline_ms (the monotonic clock of
	 * CLOCK_MONOTONIC, in ms), or once the step has held its strongest
	 * lock on its table longer than hold_ms. A rollback is never
	 * cancelled. The caller sets them before each step. */
	double deadline_ms, hold_ms;
	/* Steps (1-based numbers) that changed the database, in order:
	 * what exec_undo undoes. */
	int *done;
	int ndone;
} exec_ctx;

/* Open the two sessions on `url` (EXIT_DB, URL redacted, on failure).
 * exec_close frees what it holds, also after a failure. */
int exec_open(exec_ctx *x, const dialect *d, const plan *p, const char *url,
	      bool progress, error *e);
/* The same, logged in as `user` with `password` (the one-shot
 * credential of an apply; dialect->session_connect_as). */
int exec_open_as(exec_ctx *x, const dialect *d, const plan *p, const char *url,
		 const char *user, const char *password, bool progress,
		 error *e);
void exec_close(exec_ctx *x);

/* Run the plan's steps in order into r->steps, stopping at the first
 * that fails (r->failed_step; r->interrupted when exec_interrupt
 * stopped it). True when every step ran. */
bool exec_forward(exec_ctx *x, exec_result *r);

/* Run step n (1-based) of the plan, forward or its rollback, measured,
 * into a new item of r->steps (r->rollback_steps), through the hooks.
 * True when it ran; otherwise *f (when not NULL) says why. x->done is
 * left to the caller. */
bool exec_step_run(exec_ctx *x, exec_result *r, int n, bool rollback,
		   exec_failure *f);

/* Has exec_interrupt been called since exec_interrupt_clear? */
bool exec_interrupted(void);

/* Run the rollbacks of the steps done, last first, into
 * r->rollback_steps, even after an interruption (a rollback restores
 * the database: it is never cancelled). True when every one ran. */
bool exec_undo(exec_ctx *x, exec_result *r);

/* Async-signal-safe: cancel the running forward statement and stop
 * after it. exec_interrupt_clear forgets an interruption (a caller's
 * run starts). */
void exec_interrupt(void);
void exec_interrupt_clear(void);

/* JSON (exec_json.c): {"steps": [...], "rollback_steps": [...],
 * "failed_step": n or null, "interrupted": bool}; each step an object
 * of every exec_step field, unknown values null. */
json_t *exec_step_json(const exec_step *s);
json_t *exec_result_json(const exec_result *r);
/* Strict: every key present with its type, no other key; a malformed
 * document fails (EXIT_USAGE) naming the key ("steps[1].wall_ms:
 * expected a number"). `r` is initialised here. */
int exec_result_from_json(const json_t *j, exec_result *r, error *e);

#endif
