/*
 * Identity columns' sequence options in one canonical spelling, shared by
 * the parser, the introspection and the differ.
 *
 * The canonical text lists only the options that differ from the server's
 * defaults for the column's type, in this order:
 * "START WITH 1000 INCREMENT BY 10 MINVALUE 5 MAXVALUE 9000 CACHE 20 CYCLE".
 * All defaults give NULL.
 */
#ifndef SCHEMIG_PG_IDENTITY_H
#define SCHEMIG_PG_IDENTITY_H

#include <stdbool.h>
#include <stdint.h>

#include "../../schema/model.h"
#include "../../util/strbuf.h"

/* The options of `q` (start, increment, min, max, cache, cycle hold the
 * sequence's actual values) for a column of type `type`; NULL when they
 * are all the defaults. The text lives in m's arena. */
char *pg_identity_canon(model *m, const char *type, const m_sequence *q);

/* The reverse: every value the canonical `opts` (may be NULL) stand for. */
void pg_identity_values(const char *type, const char *opts, m_sequence *q);

/* "SET START WITH 1 SET INCREMENT BY 1 ... SET NO CYCLE": what turns any
 * identity sequence of a `type` column into the one `opts` describes. */
void pg_identity_set_clauses(strbuf *sb, const char *type, const char *opts);

#endif
