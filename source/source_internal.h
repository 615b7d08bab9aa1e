/*
 * Inside source/: what source.c (specs, scratch databases, whole-file
 * loads) shares with partial.c (the partial route, schema/subset.h).
 */
#ifndef SCHEMIG_SOURCE_INTERNAL_H
#define SCHEMIG_SOURCE_INTERNAL_H

#include "../git/gitsrc.h"
#include "source.h"

/* DDL text gathered from a file, a directory or a revision: each piece
 * keeps its own name so that messages point at the right file. */
typedef struct text_set {
	gitsrc_files f;
} text_set;

int source_read_text(const source_ctx *ctx, const char *spec, text_set *t,
		     error *e);
/* The server scratch databases are made on (NULL, without an error, when
 * there is none), starting the throwaway server on first need. */
int source_scratch_base(const source_ctx *ctx, const char **base, error *e);
/* A new scratch database on `base` holding `t`; nothing left on failure. */
int source_scratch_fill(const source_ctx *ctx, const char *base,
			const text_set *t, dialect_scratch **out, error *e);
int source_load_introspect(const source_ctx *ctx, const char *url,
			   const char *label, model **out, error *e);
int source_load_parsed(const source_ctx *ctx, const text_set *t, model **out,
		       error *e);
/* "schemig: WHAT NAME..." on stderr when it is a terminal. */
void source_progress(const char *what, const char *name);

/*
 * The partial route: `text_spec` (DDL text) against `live_spec` (a live
 * database), the text normalised by loading only what differs
 * (schema/subset.h). 0: both models are loaded; 1: the whole file must be
 * loaded instead (it is that route's to report on errors), where
 * *live_out may already hold the live model, so that it is not read
 * twice.
 */
int source_load_partial(const source_ctx *ctx, const char *live_spec,
			const char *text_spec, model **live_out,
			model **text_out);

/* Drop the migration frameworks' bookkeeping tables from a model. */
void source_drop_framework_tables(model *m);

#endif
