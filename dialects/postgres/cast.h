/*
 * CREATE CAST in one canonical spelling, shared by the parser and
 * introspection (there is no pg_get_castdef()): both fill the same parts
 * and one function writes the statement as pg_dump writes it.
 */
#ifndef SCHEMIG_PG_CAST_H
#define SCHEMIG_PG_CAST_H

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

#endif
