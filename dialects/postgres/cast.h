/*
 * CREATE CAST in one canonical spelling, shared by the parser and
 * introspection (there is no pg_get_castdef()): both fill the same parts
 * and one function writes the statement as pg_dump writes it.
 */
#ifndef SCHEMIG_PG_CAST_H
#define SCHEMIG_PG_CAST_H

#include <stdbool.h>

#include "../../schema/model.h"
#include "../../util/strbuf.h"

typedef struct pg_cast_parts {
	const char *source, *target; /* format_type(oid, NULL) spelling */
	char method;		     /* pg_cast.castmethod: 'f' function,
					'b' binary coercible, 'i' inout */
	char context;		     /* pg_cast.castcontext: 'e', 'a', 'i' */
	/* WITH FUNCTION: schema NULL (or pg_catalog) for a built-in one;
	 * args as oidvectortypes() prints them. */
	const char *fn_schema, *fn_name, *fn_args;
} pg_cast_parts;

/* "CREATE CAST (public.mood AS integer) WITH FUNCTION
 * public.mood_int(public.mood) AS ASSIGNMENT". */
void pg_cast_definition(strbuf *sb, const pg_cast_parts *p);

/* "(public.mood AS integer)": what DROP CAST and COMMENT ON CAST name. */
void pg_cast_target(strbuf *sb, const char *source, const char *target);

/*
 * How ALTER TABLE ... ALTER COLUMN ... TYPE converts the values of a
 * column from type `from` to type `to` (canonical spellings, model.h):
 * appends to `sb` the USING expression for `expr` (a quoted column, or
 * NEW."c" in a trigger) and returns true; returns false, appending
 * nothing, when the server is known to have no cast between the two (the
 * caller refuses the change rather than write a migration that fails).
 *
 * `expr::to` in general; `expr::text::to` between two enums (there is
 * no cast between enums, each has one from and to text), element-wise
 * for arrays of them. A type this function does not know (a domain, an
 * extension's type) is given `expr::to`, as before: only pairs of
 * built-in types are refused. `src` and `dst` are the models the two
 * types come from: their enums, and the casts of `dst`.
 */
bool pg_cast_using(strbuf *sb, const model *src, const model *dst,
		   const char *expr, const char *from, const char *to);

#endif
