/*
 * Dry run: execute a plan on a copy of the database (a throwaway server
 * or a replica holding data), measure every step, prove that the plan
 * reaches its target and that its rollback returns to its source, and
 * leave the database exactly as it was found.
 *
 * The report is JSON (the format is fixed: see `report --dry-run`),
 * keys sorted; dryrun_format_text renders it for a terminal.
 */
#ifndef SCHEMIG_DRYRUN_H
#define SCHEMIG_DRYRUN_H

#include <jansson.h>
#include <stdbool.h>

#include "../config/config.h"
#include "../plan/plan.h"
#include "../source/source.h"
#include "../util/error.h"
#include "../util/strbuf.h"

#define DRYRUN_FORMAT_VERSION 1

typedef struct dryrun_opts {
	const source_ctx *sc;  /* dialect, and loading --from / --to */
	const char *url;       /* the database the plan runs on */
	const char *on;	       /* "dev" or the redacted URL, for the report */
	const char *from, *to; /* specs for the leftover diffs, or NULL */
	bool progress;	       /* one line per step on stderr */
	/* What the guard protects: every environment's url, and the plan's
	 * source when it is a database (ci pr). Either may be NULL. */
	const config *cfg;
	const char *source_url;
	/* What dryrun_guard says a refusal stops and why; NULL: "dry run"
	 * and why a dry run must not run there (replica/ says its own). */
	const char *guard_what, *guard_why;
	/* Optional: a check of the rows on the copy (draft/'s sample rows
	 * of a drafted data migration), after the forward steps and after
	 * the rollback: 0 held, 1 failed (the reason in `why`), -1 could
	 * not check (`e`). A failure makes the report not ok, with the
	 * reason as its error and proof.rows_forward / rows_rollback
	 * false. */
	int (*check_rows)(void *arg, const char *url, bool rollback,
			  strbuf *why, error *e);
	void *check_arg;
} dryrun_opts;

/*
 * Refuse (EXIT_USAGE, naming the environment) when o->url is the same
 * server and database as an environment's url in o->cfg or as
 * o->source_url, compared by the servers' identity (system identifier,
 * start time, port, database), not by URL text. A protected environment
 * that cannot be reached is compared by its connection parameters;
 * other unreachable or unset ones are skipped. A target whose identity
 * cannot be read is refused. dryrun_run calls it first.
 */
int dryrun_guard(const dryrun_opts *o, error *e);

/*
 * Run `p` on o->url. Returns -1 (with `e`) only when nothing could be
 * measured (no connection, the database is not the plan's source);
 * otherwise 0 and *report, whose "ok" says whether every step ran and
 * both proofs held. The caller json_decref's it.
 */
int dryrun_run(const plan *p, const dryrun_opts *o, json_t **report, error *e);

/* The fingerprint of the schema at `url` (plan_fingerprint of what the
 * dialect introspects there), malloc'd: what the dry run compares with
 * a plan's source and target. */
int dryrun_fingerprint(const dialect *d, const char *url, char **out, error *e);

/* Async-signal-safe: cancel the running statement and stop after it;
 * the steps done so far are rolled back. */
void dryrun_interrupt(void);

/*
 * Keep `report` in the journal of the database at `url` (the copy it ran
 * on: dialect->journal_dry_run), where apply on the environment whose
 * replica that is finds it. The journal is no part of a compared schema.
 */
int dryrun_record(const dialect *d, const char *url, const json_t *report,
		  error *e);
/* The report of plan `plan_id` recorded at `url`: 1 and *report, or 0
 * when there is none. */
int dryrun_recorded(const dialect *d, const char *url, const char *plan_id,
		    json_t **report, error *e);

/* ", a 10 % masked sample of production, projected" when the report
 * ran on a replica schemig made (its "replica" object); nothing
 * otherwise. */
void dryrun_replica_phrase(const json_t *report, strbuf *out);

/* The step table and the proof lines. */
void dryrun_format_text(const json_t *report, strbuf *out);

#endif
