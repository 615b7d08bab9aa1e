/* Shared inside draft/ only. */
#ifndef SCHEMIG_DRAFT_INTERNAL_H
#define SCHEMIG_DRAFT_INTERNAL_H

#include "../schema/diff.h"
#include "../util/strbuf.h"
#include "draft.h"

/*
 * check.c: turn `answer` into `dp` (a fresh plan carrying the engine
 * plan's header) after the static checks: every statement parses and
 * touches only the change set's objects (`diff` and the engine plan
 * `p`), no step takes a stronger lock than the engine's step on the same
 * table. 0 when it passed; 1 with the failure in `why` (for the model
 * and for the record); -1 only when something is wrong on our side.
 */
int draft_build(const dialect *d, const plan *p, const diff_result *diff,
		const json_t *answer, const char *drafted_by, plan *dp,
		strbuf *why, error *e);

/* prove.c: run `dp` on a fresh throwaway copy of o->from: 0 when it
 * reached the target and its rollback the source; 1 with the failure in
 * `why`; -1 when no copy could be made. */
int draft_prove(const draft_opts *o, const plan *dp, strbuf *why, error *e);

/*
 * draft.c, shared with replay.c so that a recorded answer goes through
 * exactly what a model's does. draft_try_answer: `answer` through
 * draft_build, the proof, and adopted into `p` when both pass: 0
 * adopted (plan_finish has run); 1 rejected, the failure in `why`; 2
 * our side failed (no throwaway copy), its message in `why`, no round
 * can help; -1 when the adopted plan cannot be finished.
 */
int draft_try_answer(const draft_opts *o, plan *p, const diff_result *diff,
		     const json_t *answer, const char *drafted_by, strbuf *why,
		     error *e);
/* The engine's plan stands: say why, in the plan and on stderr. */
int draft_fall_back(plan *p, draft_outcome *out, const char *reason, error *e);
/* A line per stage on stderr, when o->progress. */
void draft_progress(const draft_opts *o, const char *fmt, const char *arg);

#endif
