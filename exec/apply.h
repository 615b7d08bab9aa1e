/*
 * Apply: a plan executed for good on an environment's database, on the
 * execution core (exec.h), so that the database ends at the plan's
 * target or back at its source, and the journal says which.
 *
 * Before the first statement: the plan's id matches its content (the
 * caller read it so), the live schema's fingerprint is the plan's source
 * (else the drift is shown), and the database's apply lock is taken (one
 * apply per database). While it runs, a journal in the database itself
 * (dialect->journal_sql) records the apply and every step; a
 * transactional step writes its "done" in its own transaction, a
 * backfill checkpoints each batch in the batch's transaction, so a
 * killed apply resumes where it stopped. A lock that is not granted is
 * retried with backoff, naming the sessions that held it; an error no
 * retry can fix undoes the steps done, in reverse, and proves the source
 * is back; when that fails too the apply escalates (exit 3) with the
 * whole trace.
 *
 * Every event also goes, as one JSON line, to the audit file, and an
 * escalation to the webhook when one is configured.
 */
#ifndef SCHEMIG_APPLY_H
#define SCHEMIG_APPLY_H

#include <jansson.h>
#include <stdbool.h>

#include "../config/config.h"
#include "../dialects/dialect.h"
#include "../llm/llm.h"
#include "../plan/plan.h"
#include "../source/source.h"
#include "../util/error.h"

/* Outcomes, as the journal and the audit trail name them. */
#define APPLY_APPLIED	  "applied"
#define APPLY_ROLLED_BACK "rolled_back"
#define APPLY_ESCALATED	  "escalated"
#define APPLY_RUNNING	  "running"
#define APPLY_PAUSED	  "paused" /* waiting for approvals */
#define APPLY_FAILED	  "failed" /* could not start: nothing ran */

/* What records a finished plan in the migration framework's history
 * (the emitter's record_applied, bound by the caller): statements for
 * the target database, appended to `sql`. */
typedef int (*apply_record_fn)(void *arg, const dialect *d, long long ms,
			       strbuf *sql, error *e);

typedef struct apply_opts {
	const source_ctx *sc; /* dialect, and loading `to` for diffs */
	const char *url;      /* the environment's database */
	const char *env;      /* its name */
	const char *to;	      /* the target's spec (remaining diffs), or
				 NULL */
	const char *commit, *pull_request, *actor; /* NULL: unknown */
	int wait_s;		/* wait this long for the apply lock */
	bool progress;		/* stderr is a terminal */
	const char *audit_file; /* JSON lines appended; NULL: none */
	const char *webhook;	/* URL escalations are posted to, or NULL */
	/* Lock timeouts and deadlocks: retried this many times, within
	 * this much time in all. */
	int max_retries;
	long long retry_total_ms;
	/* A backfill pauses longer while the standbys lag more than this. */
	double max_replica_lag_ms;
	apply_record_fn record; /* NULL: no framework to tell */
	void *record_arg;
	/* Guardrails (apply_policy.c), NULL when none: the environment's
	 * policy, the configuration its require_before names come from,
	 * and promote's --from environment. */
	const config_policy *policy;
	const config *cfg;
	const char *promote_from;
	/* The one-shot credential: the admin's URL (resolved; NULL: the
	 * steps run as o->url's login) and the login's lifetime. */
	const char *cred_admin_url;
	int cred_ttl_minutes;
	/* The dry run's report of this plan (`dry-run --format json`,
	 * checked by report_check_dry_run and its plan_id equal to the
	 * plan's by the caller), or NULL: its measured figures stand in
	 * for the plan's estimates at the policy's gate. */
	const json_t *dry_run;
	/* The report came from the replica's journal, which whoever can
	 * write that copy could have written: its figures only raise the
	 * estimates, never lower them. */
	bool dry_run_raises_only;
	/* Approvals from the platform too (apply_approvals.c): "github" or
	 * "gitlab" and the pull / merge request's number, from the CI's
	 * environment only; NULL: the journal's approvals only. */
	const char *approvals_platform;
	const char *approvals_pr;
	/* The model asked for remediation advice when the apply escalates
	 * (apply_advice.c), or NULL: nothing is sent anywhere. The advice
	 * joins the trace; schemig never runs it. */
	const llm_opts *llm;
} apply_opts;

/* Defaults: 5 retries within 5 minutes, 10 s of lag, no wait. */
void apply_opts_init(apply_opts *o);

/*
 * Execute `p` (id checked by the caller) on o->url, or resume the
 * unfinished apply of the same plan. Returns the exit code: 0 applied
 * (or nothing to do), 1 refused (drift, an unfinished other plan, the
 * lock held) or failed and rolled back to the source, 3 escalated
 * (EXIT_DB); -1 with `e` when it could not start (nothing changed).
 * The trace of a failure is on stderr and in the journal.
 */
int apply_run(const plan *p, const apply_opts *o, error *e);

/*
 * The plan of the unfinished apply in the journal of o->url, if any:
 * 1 and `p` filled (from the stored JSON, its id checked), 0 none.
 */
int apply_unfinished(const apply_opts *o, plan *p, error *e);

/*
 * Run the recorded rollback of the last applied plan: its steps'
 * rollbacks in reverse, journalled as an apply of direction
 * "rollback", then prove the database is at that plan's source.
 * Same exit codes as apply_run.
 */
int apply_rollback_last(const apply_opts *o, error *e);

/* The journal of `url` (dialect->journal_read): every apply, newest
 * first. */
int apply_history(const dialect *d, const char *url, json_t **out, error *e);
/* The history as text: one block per apply, its steps below it. */
void apply_format_history(const json_t *h, strbuf *out);

/* Record, in the journal of `url`, an approval of plan `plan_id` (64
 * hex digits) by the session's login role, and by `github_login` (NULL:
 * none), a login the caller confirmed with the platform (GitHub
 * Actions); *approver (malloc'd) names who was recorded. */
int apply_approve(const dialect *d, const char *url, const char *plan_id,
		  const char *comment, const char *github_login,
		  char **approver, error *e);

/* The one-shot logins on the server of `url` (dialect->credential_list),
 * for `git schemig doctor`, each with "state" (for people) and
 * "leftover": expired, or made for url's database while no apply runs
 * there (the next apply on it drops those). */
int apply_credential_leftovers(const dialect *d, const char *url, json_t **out,
			       error *e);

/* Async-signal-safe: stop the running apply (it rolls back the steps
 * done, as after a failure). */
void apply_interrupt(void);

#endif
