/*
 * The canonical CREATE CAST statement (cast.h).
 */
#include "cast.h"

#include <string.h>

#include "pg.h"

void pg_cast_target(strbuf *sb, const char *source, const char *target)
{
	strbuf_addf(sb, "(%s AS %s)", source, target);
}

void pg_cast_definition(strbuf *sb, const pg_cast_parts *p)
{
	strbuf_adds(sb, "CREATE CAST ");
	pg_cast_target(sb, p->source, p->target);
	if (p->method == 'f') {
		strbuf_adds(sb, " WITH FUNCTION ");
		if (p->fn_schema && strcmp(p->fn_schema, "pg_catalog"))
			pg_quote_qualified(sb, p->fn_schema, p->fn_name);
		else
			pg_quote_ident(sb, p->fn_name ? p->fn_name : "");
		strbuf_addf(sb, "(%s)", p->fn_args ? p->fn_args : "");
	} else if (p->method == 'i') {
		strbuf_adds(sb, " WITH INOUT");
	} else {
		strbuf_adds(sb, " WITHOUT FUNCTION");
	}
	if (p->context == 'a')
		strbuf_adds(sb, " AS ASSIGNMENT");
	else if (p->context == 'i')
		strbuf_adds(sb, " AS IMPLICIT");
}
