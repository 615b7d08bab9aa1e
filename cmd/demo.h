/* Shared by the parts of `git schemig demo` (cmd/demo.c). */
#ifndef SCHEMIG_CMD_DEMO_H
#define SCHEMIG_CMD_DEMO_H

#include "../dialects/dialect.h"
#include "cmd.h"

/*
 * The drafting stage (cmd/demo_draft.c): plan the change from the
 * database at `url` to `target_sql` (a schema text; written into `dir`),
 * then let the model configured in the environment draft it, or replay
 * `recorded` (a model answer's JSON text) when none is, and print what
 * was sent, the checks, the proof and the drafted plan. A rejected draft
 * is shown, not an error: -1 only when the stage itself cannot run.
 */
int demo_draft_stage(cmd_ctx *ctx, const dialect *d, const char *url,
		     const char *dir, const char *target_sql,
		     const char *recorded, error *e);

#endif
