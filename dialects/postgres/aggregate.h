/*
 * CREATE AGGREGATE in one canonical spelling, shared by the parser and
 * introspection: there is no pg_get_aggregatedef(), so both sides fill
 * the same parts and one function writes the statement, field for field
 * as pg_dump writes it.
 */
#ifndef SCHEMIG_PG_AGGREGATE_H
#define SCHEMIG_PG_AGGREGATE_H

#include <stdbool.h>

#include "../../util/strbuf.h"

/* Every text is spelled as the server prints it under an empty
 * search_path (regproc, format_type); NULL means "not given" (the
 * server's "-" function, 0 space, NULL initial value). */
typedef struct pg_agg_parts {
	const char *schema, *name;
	const char *args; /* pg_get_function_arguments(): "text",
			     "double precision ORDER BY anyelement";
			     "" for (*) */
	char kind;	  /* pg_aggregate.aggkind: 'n', 'o', 'h' */
	const char *sfunc, *stype, *sspace, *initcond;
	const char *finalfunc;
	bool finalextra;
	char finalmodify; /* 'r', 's', 'w'; 0 for the kind's default */
	const char *combinefunc, *serialfunc, *deserialfunc;
	const char *msfunc, *minvfunc, *mstype, *msspace, *minitcond;
	const char *mfinalfunc;
	bool mfinalextra;
	char mfinalmodify;
	const char *sortop; /* "OPERATOR(pg_catalog.<)" */
	char parallel;	    /* 's', 'r', or 'u'/0 for unsafe */
} pg_agg_parts;

/* "CREATE OR REPLACE AGGREGATE schema.name(args) (\n    SFUNC = ...\n)".
 * OR REPLACE like a function's definition: the same text serves to
 * create and to replace. */
void pg_aggregate_definition(strbuf *sb, const pg_agg_parts *a);

#endif
