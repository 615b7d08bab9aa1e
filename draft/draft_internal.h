/* Shared inside draft/ only. */
#ifndef SCHEMIG_DRAFT_INTERNAL_H
#define SCHEMIG_DRAFT_INTERNAL_H

#include "../schema/diff.h"
#include "../util/strbuf.h"
#include "draft.h"

/*
 * One drafting run: what every answer is checked and proven against.
 * The proof's copy is made from DDL text: o->from's own when it is a
 * file or git:REV, else (a live source) the source model rendered as
 * DDL by the dialect's differ (from nothing to it), checked once to
 * load back to the plan's source fingerprint before anything is asked.
 */
typedef struct draft_run {
	const draft_opts *o;
	const model *from; /* the source (borrowed) */
	diff_result diff;  /* from -> to: the change set */
	char *copy_sql;	   /* the rendered source; NULL: load o->from */
} draft_run;

/* 0 ready; 1 no draft can be proven (the reason in `why`: the live
 * source does not render to DDL that loads back exactly); -1 error.
 * Release with draft_run_release in every case. */
int draft_run_start(draft_run *r, const draft_opts *o, const model *from,
		    const model *to, const plan *p, strbuf *why, error *e);
void draft_run_release(draft_run *r);

/*
 * check.c: the answer's shape: every property of draft_answer_schema
 * present with its type, no others. A provider's strict structured
 * output should hold to it, but not every OpenAI-compatible server
 * enforces a schema, and a recording is a file anyone could edit. 0,
 * or 1 with the first difference in `why`.
 */
int draft_answer_shape(const json_t *answer, strbuf *why);

/*
 * check.c: turn `answer` into `dp` (a fresh plan carrying the engine
 * plan's header) after the static checks: every statement parses and
 * touches only the change set's objects (the diff and the engine plan
 * `p`), no step takes a stronger lock than the engine's step on the same
 * table, and every table the draft writes rows of or renames a column
 * of has sample rows (answer.samples) for the proof. 0 when it passed;
 * 1 with the failure in `why` (for the model and for the record); -1
 * only when something is wrong on our side.
 */
int draft_build(const draft_run *r, const plan *p, const json_t *answer,
		const char *drafted_by, plan *dp, strbuf *why, error *e);

/* prove.c: run `dp` on a fresh throwaway copy of the source, with the
 * answer's sample rows in it: 0 when it reached the target, every
 * sample's `after` values were there, its rollback reached the source
 * and the samples' `before` rows were back; 1 with the failure in
 * `why`; -1 when no copy could be made. */
int draft_prove(const draft_run *r, const plan *dp, const json_t *samples,
		strbuf *why, error *e);

/*
 * draft.c, shared with replay.c so that a recorded answer goes through
 * exactly what a model's does. draft_try_answer: `answer` through
 * draft_build, the proof, and adopted into `p` when both pass: 0
 * adopted (plan_finish has run); 1 rejected, the failure in `why`; 2
 * our side failed (no throwaway copy), its message in `why`, no round
 * can help; -1 when the adopted plan cannot be finished.
 */
int draft_try_answer(const draft_run *r, plan *p, const json_t *answer,
		     const char *drafted_by, strbuf *why, error *e);
/* The engine's plan stands: say why, in the plan and on stderr. */
int draft_fall_back(const draft_opts *o, plan *p, draft_outcome *out,
		    const char *reason, error *e);
/* A line per stage on stderr, when o->progress. */
void draft_progress(const draft_opts *o, const char *fmt, const char *arg);

#endif
