/*
 * Emitters: a plan turned into the migration files a team commits, in the
 * form its framework expects (plain SQL, Flyway, Knex, Alembic), so that
 * the existing deploy keeps working.
 *
 * Every emitter keeps the plan's one promise about transactions: each
 * transactional step runs in a transaction of its own, with its
 * lock_timeout (and statement_timeout), and a step that cannot run in a
 * transaction (CREATE INDEX CONCURRENTLY, a batched backfill that commits
 * per batch, ADD VALUE before PostgreSQL 12) is never wrapped in one:
 * each framework's own way of running outside a transaction is used.
 *
 * An emitter only computes files (emit_set); emit_write puts them on disk,
 * refusing to overwrite anything.
 */
#ifndef SCHEMIG_EMIT_H
#define SCHEMIG_EMIT_H

#include <stdbool.h>

#include "../plan/plan.h"
#include "../schema/model.h"
#include "../util/arena.h"
#include "../util/error.h"
#include "../util/strbuf.h"

typedef struct emit_file {
	char *path;    /* relative to the migrations directory */
	char *content; /* the whole file */
} emit_file;

typedef struct emit_set {
	arena arena; /* owns every string below */
	M_ARRAY(emit_file, files);
} emit_set;

void emit_set_init(emit_set *s);
void emit_set_release(emit_set *s);
/* Append a file (strings copied). */
void emit_set_add(emit_set *s, const char *path, const char *content);

typedef struct emit_ctx {
	const plan *plan;
	const char *dir;  /* the migrations directory; may not exist yet */
	const char *root; /* the project root (where knexfile.js,
			     alembic.ini, package.json live) */
	const char *name; /* the migration's slug (emit_slug), never empty */
	long long now;	  /* generation time, seconds since the epoch:
			     SOURCE_DATE_EPOCH when set, else time() */
} emit_ctx;

typedef struct emitter {
	const char *name; /* "sql", "flyway", "knex", "alembic" */
	/* Compute the files for c->plan; may read c->dir and c->root
	 * (existing versions, the current head, the knexfile). */
	int (*generate)(const emit_ctx *c, emit_set *out, error *e);
} emitter;

extern const emitter emitter_sql, emitter_flyway, emitter_knex, emitter_alembic;

/* NULL when unknown. */
const emitter *emitter_find(const char *name);

/* ---- shared helpers (emitters/emit.c) ---------------------------------- */

/*
 * The header every file starts with, each line prefixed by `comment`
 * ("-- ", "// ", "# "): migration name, generation time (UTC, ISO 8601),
 * plan id, source and target fingerprints, "Backwards compatible:
 * YES/NO" with the reasons, and the hazards of the steps. No line of it
 * can end the comment early: newlines inside texts are flattened.
 */
void emit_header(const emit_ctx *c, const char *comment, strbuf *out);

/* A safe slug: lower-case ASCII letters, digits and '_', no leading or
 * trailing '_', at most 60 bytes; "migration" when nothing is left.
 * Malloc'd. */
char *emit_slug(const char *text);

/* "YYYYMMDDHHMMSS" (UTC) of `t`. */
void emit_timestamp(long long t, char out[15]);

/* True when a file under `dir` (not recursive) already holds the plan id
 * `id`: the plan was generated before. *path gets that file's name
 * (malloc'd) when true. */
bool emit_find_plan(const char *dir, const char *id, char **path);

/* Write every file under `dir` (created as needed), failing before
 * writing anything when one of them exists already. */
int emit_write(const emit_set *s, const char *dir, error *e);

#endif
