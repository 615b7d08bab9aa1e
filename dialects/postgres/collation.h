/*
 * CREATE COLLATION in one canonical spelling, shared by the parser and
 * introspection: both fill the same parts and one function writes the
 * statement as pg_dump writes it.
 */
#ifndef SCHEMIG_PG_COLLATION_H
#define SCHEMIG_PG_COLLATION_H

#include <stdbool.h>

#include "../../util/strbuf.h"

typedef struct pg_coll_parts {
	const char *schema, *name;
	char provider; /* pg_collation.collprovider: 'c' libc, 'i' icu,
			  'b' builtin */
	bool deterministic;
	const char *collate, *ctype; /* libc */
	const char *locale;	     /* icu and builtin */
	const char *rules;	     /* icu rules, or NULL */
} pg_coll_parts;

/* "CREATE COLLATION public.ci (provider = icu, deterministic = false,
 * locale = 'und-u-ks-level2')". */
void pg_collation_definition(strbuf *sb, const pg_coll_parts *p);

#endif
