/*
 * Internal to apply (apply.c, apply_steps.c, apply_batch.c,
 * apply_audit.c): the state of one apply and the helpers they share.
 */
#ifndef SCHEMIG_APPLY_INTERNAL_H
#define SCHEMIG_APPLY_INTERNAL_H

#include <stdio.h>

#include "apply.h"
#include "exec.h"

/* What the journal says of one step of the running apply. */
typedef struct apply_mark {
	bool done;    /* its forward ran and committed */
	bool started; /* a row exists, not done: killed or failed there */
	bool undone;  /* its rollback ran */
} apply_mark;

typedef struct apply_state {
	const apply_opts *o;
	const dialect *d;
	const plan *p;
	bool rollback_run; /* direction "rollback": the plan's rollbacks */
	char id[33];	   /* this apply's id in the journal */
	dialect_conn *jr;  /* the journal's session; holds the apply lock */
	exec_ctx x;
	exec_hooks hooks;
	exec_result res;
	apply_mark *marks; /* [nsteps + 1], by step number */
	model *before;	   /* the source schema, for remaining diffs */
	FILE *audit;
	int seq;	 /* events written */
	bool in_journal; /* the apply's row exists: events go there too */
	/* The one-shot login the steps run as (apply_credential.c):
	 * live while it exists on the server. */
	char cred_name[64];
	char cred_password[65];
	char *cred_owner; /* what it creates goes to this role */
	bool cred_live;
	/* The envelope during the run (apply_steps.c): the plan as exec
	 * runs it (st->p with the policy's lock_timeout), the monotonic
	 * time past which the run stops (max_duration_s; -1: none) and
	 * when it started, and the limits (APPLY_LIMIT_*) that the
	 * approvals of the step being run lift. None of it counts before
	 * apply_envelope_start (a rollback of the last plan runs without). */
	bool enveloped;
	plan run_plan;
	double deadline_ms, started_ms;
	unsigned over;	 /* limits over_limits found the step past */
	unsigned exempt; /* of the step running: approved past them */
	/* The failure that stopped the run, for the trace. */
	json_t *failure;
	json_t *rolled_back; /* step numbers undone by remediation */
} apply_state;

/* Run journal operation `op` with fields `f` (stolen; NULL for none) on
 * the journal's session. */
int apply_journal(apply_state *st, enum dialect_journal_op op, json_t *f,
		  error *e);
/* A journal row's fields for step `n` of phase forward / rollback. */
json_t *apply_step_key(const apply_state *st, int n, bool rollback);

/* Record an event (fields stolen): journal, audit file, and stderr when
 * `say` is not NULL (a line for people). Never fails the apply: an
 * audit that cannot be written is reported once. */
void apply_event(apply_state *st, const char *type, json_t *fields,
		 const char *say);
/* Open the audit file (its directory made when missing). */
int apply_audit_open(apply_state *st, error *e);
/* POST `trace` to o->webhook, retried; a failure is reported on
 * stderr, never the URL's secrets. */
void apply_webhook(const apply_state *st, const json_t *trace);

/* exec hooks: the journal's "done" in each step's transaction, and
 * backfills batch by batch (apply_batch.c). */
void apply_before_commit(void *arg, const plan_step *s, bool rollback,
			 strbuf *sql);
int apply_run_backfill(void *arg, exec_ctx *x, const plan_step *s,
		       bool rollback, dialect_run_result *res, error *e);

/*
 * A backfill's pace (apply_pace.c, which explains the rule): the next
 * batch's rows and the pause before it, from what each batch measured.
 */
#define PACE_TARGET_MS	  30.0 /* a batch's aim without a policy's */
#define PACE_MIN_ROWS	  100
#define PACE_MAX_ROWS	  100000
#define PACE_PAUSE_MAX_MS 10000.0

typedef struct apply_pace {
	double target_ms; /* what a batch aims at */
	int min_rows, max_rows;
	int limit;	     /* rows of the next batch */
	double pause_ms;     /* to wait before the next batch */
	double lag_pause_ms; /* the standbys' share of it (doubling) */
	int batches;	     /* measured so far */
} apply_pace;

/* What one batch measured. */
typedef struct apply_batch_seen {
	double took_ms; /* its statement, round trip included */
	/* The longest a session had waited for a lock on the table (or on
	 * the batch's transaction) when the batch ended; <= 0: none or
	 * unknown. */
	double wait_ms;
	/* The standbys' lag and the most allowed (< 0: no limit). */
	double lag_ms, max_lag_ms;
} apply_batch_seen;

/* Start at `first_limit` rows (kept within the bounds) with no pause;
 * target_ms <= 0 means PACE_TARGET_MS. */
void apply_pace_init(apply_pace *p, double target_ms, int first_limit);
/* After a batch: p->limit and p->pause_ms for the next one. */
void apply_pace_next(apply_pace *p, const apply_batch_seen *b);
/* "12,000 / 50,000 rows, 80,000 rows/s, ETA 1 s" into sb (no total nor
 * ETA when total <= 0 or already passed). */
void apply_pace_say(strbuf *sb, long long done, long long total,
		    double elapsed_ms);

/* Run step n (forward, or its rollback), journalled, retrying what
 * waits for a lock (apply_steps.c). 0 ran; -1 failed (st->failure
 * says how). */
int apply_step(apply_state *st, int n, bool rollback);

/* The guardrails of a new apply (apply_policy.c): denied kinds and
 * hazards, the window, the environments that must apply first. 1 go, 0
 * refused (said on stderr and in the audit), -1 error. */
int apply_policy_check(apply_state *st, error *e);
/* Before step n: a step past the policy's limits runs only with enough
 * approvals of the plan; otherwise the apply pauses there (journalled,
 * said on stderr). 1 go, 0 paused, -1 error. */
int apply_policy_gate(apply_state *st, int n, error *e);
/* The approvals of st->p that count (apply_approvals.c): the journal's
 * and the platform's, one per person, the pull request's author left
 * out: a JSON array of {approver, source, ...}. */
int apply_approvals_collect(apply_state *st, json_t **out, error *e);

/* The one-shot credential (apply_credential.c): sweep leftovers, make
 * this run's login (when o->cred_admin_url). Its password stays in
 * st until apply_credential_wipe. */
int apply_credential_open(apply_state *st, error *e);
void apply_credential_wipe(apply_state *st);
/* Hand over what it made, close the steps' sessions, drop the login;
 * failures are reported, never fatal. */
void apply_credential_close(apply_state *st);
/* The limits of the policy a step can be past (apply_state.over). */
#define APPLY_LIMIT_LOCK 1u /* max_lock_ms */
#define APPLY_LIMIT_ROWS 2u /* max_rows */

/* The envelope while the steps run (apply_steps.c). apply_envelope_start
 * before the first step: the policy's lock_timeout into st->run_plan,
 * which exec then runs, and the deadline. apply_past_deadline: when
 * max_duration_s has passed, st->failure says so (step n) and it is
 * true. */
void apply_envelope_start(apply_state *st);
bool apply_past_deadline(apply_state *st, int n);
/* "policy: max_duration_s 30 s (the apply has run 31.2 s)" into sb. */
void apply_say_deadline(const apply_state *st, strbuf *sb);

/* The kill points tests use (SCHEMIG_TEST_KILL=WHAT:N): the process
 * kills itself with SIGKILL there, as a crash would. */
void apply_test_kill(const char *what, int n);

/* apply.c, shared with the rollback (apply_history.c). */
int apply_state_open(apply_state *st, const apply_opts *o, const plan *p,
		     error *e);
void apply_state_release(apply_state *st);
/* The journal's session, and the apply lock: 1 taken, 0 held (said on
 * stderr), -1 error. */
int apply_take_lock(apply_state *st, error *e);
/* Set the journal up and read it all (newest first). */
int apply_journal_all(apply_state *st, json_t **all, error *e);
/* The newest apply that is running or escalated (borrowed), or NULL. */
json_t *apply_find_unfinished(json_t *all);
/* 1: `u` is st->p's apply, resumed (id, marks, before); 0: another
 * plan's, refused on stderr. */
int apply_check_unfinished(apply_state *st, json_t *u, error *e);
int apply_new_id(char out[33], error *e);
int apply_open_exec(apply_state *st, error *e);
/* The live schema as planning loads it, and its fingerprint (fp may be
 * NULL). */
int apply_live_model(const apply_state *st, model **m, char **fp, error *e);
/* Is the live schema at fingerprint `want`? -1: cannot tell (e). */
int apply_live_is(const apply_state *st, const char *want, error *e);
int apply_journal_start(apply_state *st, const char *rollback_of, error *e);
int apply_journal_end(apply_state *st, const char *outcome, const json_t *trace,
		      error *e);
/* Print, journal, audit and post the trace; returns EXIT_DB. */
int apply_escalate(apply_state *st, const char *why);

/* The model's remediation advice on an escalation (apply_advice.c),
 * when o->llm: asked once with the plan's steps, the failure's code and
 * redacted primary message, the steps undone, the remaining diffs and
 * the environment's name (never row data, never credentials), added to
 * `trace` as "advice" ({"error"} when the model failed). Never run. */
void apply_advice(const apply_state *st, json_t *trace);
/* The advice of `trace` as a block for people, on stderr; nothing when
 * it has none. */
void apply_advice_say(const json_t *trace);
/* The first line of a server message (its severity prefix dropped), with
 * every double- or single-quoted token that is not a name written in
 * `sql` (the plan's SQL) replaced by <redacted>: the server quotes the
 * values it failed on there. Appended to `out`. */
void apply_advice_redact(const char *message, const char *sql, strbuf *out);
double apply_mono_ms(void);

/* ISO 8601 UTC now, into buf[32]. */
void apply_now_iso(char buf[32]);

#endif
