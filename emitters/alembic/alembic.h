/*
 * The Alembic emitter's internals, shared by its two files: alembic.c
 * renders the revision file, alembic_head.c finds where it goes and which
 * revision it follows.
 */
#ifndef SCHEMIG_EMIT_ALEMBIC_H
#define SCHEMIG_EMIT_ALEMBIC_H

#include "../../util/error.h"
#include "../../util/strbuf.h"
#include "../emit.h"

/*
 * Append `s` as a double-quoted Python 3 str literal that evaluates to
 * exactly `s`: backslash, quote and control characters escaped, every
 * non-ASCII character written as \uXXXX or \UXXXXXXXX, so the literal is
 * plain ASCII whatever the file's encoding is taken to be. -1 (nothing
 * usable appended) when `s` is not valid UTF-8: no Python str could hold
 * it, and the server would refuse it anyway.
 */
int alembic_py_string(strbuf *out, const char *s);

/*
 * Where the revision goes: *versions gets the directory Alembic scans
 * (malloc'd) and *prefix the path of that directory relative to c->dir
 * ("versions/" or ""). c->dir may be the script location (holding env.py
 * and versions/) or its versions/ directory; when the project's
 * alembic.ini names another script_location, that is an error naming it.
 */
int alembic_find_versions(const emit_ctx *c, char **versions,
			  const char **prefix, error *e);

/*
 * The single head of the revisions in `versions`, as Alembic computes it:
 * every revision that no other one names in its down_revision. *head is
 * NULL when there is no revision yet, else malloc'd. Several heads are an
 * error (EXIT_USAGE) naming them; a revision already called `rev` too,
 * unless `regenerate`: then it is left out, as before it was written.
 */
int alembic_find_head(const char *versions, const char *rev, bool regenerate,
		      char **head, error *e);

/*
 * The revision id of the revision file at `path` and the ids it revises
 * (its down_revision: none, one, or several for a merge), read as
 * alembic_find_head reads them. *id and every (*downs)[i] malloc'd, and
 * the array; free with alembic_revision_free. A file without a readable
 * `revision = "..."` fails naming it.
 */
int alembic_read_revision(const char *path, char **id, char ***downs,
			  int *ndowns, error *e);
void alembic_revision_free(char *id, char **downs, int ndowns);

#endif
