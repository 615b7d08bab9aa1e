/*
 * Drafting a plan with a model (issue 14: "the model drafts, the engine
 * proves"). The engine's plan is made first, as always; the model gets
 * the change list, that plan, its estimates, the environment's policy
 * and the safety rules, and answers with a plan of its own. Nothing it
 * drafts is trusted until it is checked: every statement parses and
 * touches only objects of the change set, no step takes a stronger lock
 * than the engine's step on the same table, and the drafted plan, run on
 * a throwaway copy of the source, reaches exactly the target fingerprint
 * and its rollback returns to the source one. A failure is sent back to
 * the model (a few repair rounds); after that, the engine's plan stands
 * and the reason is recorded. Never an unchecked statement in a plan.
 *
 * This module holds no SQL: parsing is dialect->draft_statements, locks
 * are dialect->lint's, the proof is exec/'s dry run.
 */
#ifndef SCHEMIG_DRAFT_H
#define SCHEMIG_DRAFT_H

#include <jansson.h>
#include <stdbool.h>

#include "../config/config.h"
#include "../llm/llm.h"
#include "../plan/plan.h"
#include "../schema/model.h"
#include "../source/source.h"
#include "../util/error.h"

#define DRAFT_DEFAULT_REPAIRS 2
/* The batch sizes a drafted backfill may ask for. */
#define DRAFT_MIN_BATCH 100
#define DRAFT_MAX_BATCH 50000

typedef struct draft_opts {
	const llm_opts *llm;
	const source_ctx *sc; /* the dialect; where the proof's copy is made */
	const char *from;     /* the source spec, loaded into that copy */
	const config_policy *policy; /* the environment's, or NULL */
	const char *from_url; /* the live source's URL (its table activity),
				 or NULL */
	int repairs;	      /* rounds after the first answer */
	bool progress;	      /* a line per stage on stderr */
	const char *what;     /* the command, in messages; NULL: "plan
				 --llm" */
} draft_opts;

/* What happened, for the caller's messages and tests. */
typedef struct draft_outcome {
	bool accepted; /* the plan's steps are the model's now */
	int requests;  /* answers asked for (cached ones included) */
	char *reason;  /* why the draft was not used (malloc'd), or NULL */
} draft_outcome;

/*
 * Draft `p` (the engine's finished plan from `from` to `to`) with the
 * model. On success the steps are replaced by the proven draft (each
 * drafted_by "<provider>/<model>", each explanation its note);
 * otherwise `p` keeps the engine's steps. Either way p->draft records
 * it (plan.h: who drafted, the model's summary and renames, or why the
 * draft was not used, which also goes to stderr); a plan without steps
 * asks no model and gets no record. Either way plan_finish has run. -1 only for
 * what is not the model's fault (the plan cannot be rendered); release `out`
 * with draft_outcome_release.
 */
int draft_plan(const draft_opts *o, const model *from, const model *to, plan *p,
	       draft_outcome *out, error *e);
void draft_outcome_release(draft_outcome *out);

/*
 * As draft_plan, with a recorded answer (`answer`: the JSON text of an
 * object of draft_answer_schema's shape) in place of a request: its
 * shape is checked (a recording can be edited), then the same static
 * checks, the same proof on a throwaway copy and the same fallback as a
 * live answer; no repair rounds. o->llm is not used (may be NULL); the
 * drafted steps record `drafted_by`. For `git schemig demo` when no
 * model is configured.
 */
int draft_replay(const draft_opts *o, const model *from, const model *to,
		 const char *answer, const char *drafted_by, plan *p,
		 draft_outcome *out, error *e);

/* --- The pure parts, for tests --- */

/* The JSON schema of the model's answer (strict: every property
 * required, no others). The caller decrefs. */
json_t *draft_answer_schema(void);

/* 3 for a lock that blocks reads and writes, 2 for one that blocks
 * writes, 1 for a weaker one, 0 for "none", by the plan's lock names;
 * an unknown name counts as 3. */
int draft_lock_rank(const char *lock);

/* Check the shape of an answer beyond what the schema says (non-empty
 * forward SQL, at least one step): 0, or -1 with the reason in `e`. */
int draft_answer_check(const json_t *answer, error *e);

#endif
