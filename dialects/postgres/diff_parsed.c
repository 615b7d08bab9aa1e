/*
 * An introspected side against a parsed one (diff --parse). Most of the
 * model is spelled alike by both: the parser prints types, names and
 * expressions as the server's deparsers do. A query is not: the server
 * keeps a view's query (and a SQL-standard function body) as a parsed
 * tree and prints it back with its own casts, qualifications and
 * parentheses, which only the server can reproduce. The server's text
 * is parsed and deparsed as the file's was; when the two still differ,
 * nothing can tell whether the objects do, so no statement is made and
 * the object is noted as not compared (the result "may differ").
 */
#include "pg.h"

#include <stdlib.h>
#include <string.h>

#include "diff_internal.h"
#include "function.h"

/* "view public.v: its query is not compared ..."; `args` follows a
 * function's name. */
static void not_compared(diff_ctx *c, const char *what, const char *schema,
			 const char *name, const char *args, const char *part)
{
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s ", what);
	pg_quote_qualified(&sb, schema, name);
	if (args)
		strbuf_addf(&sb, "(%s)", args);
	strbuf_addf(&sb,
		    ": its %s is not compared by --parse; use the default "
		    "route",
		    part);
	diff_result_add_uncompared(c->result, strbuf_str(&sb));
	strbuf_release(&sb);
}

/* The server's text (`live`) in the parser's spelling equals the
 * parsed side's (`parsed`). */
static bool same_respelled(const char *live, const char *parsed)
{
	char *respelled = live ? pg_respell_query(live) : NULL;
	bool same = respelled && parsed && !strcmp(respelled, parsed);
	free(respelled);
	return same;
}

bool diff_view_uncomparable(diff_ctx *c, const m_view *a, const m_view *b)
{
	if (!c->mixed)
		return false;
	const m_view *live = c->from->introspected ? a : b;
	const m_view *parsed = live == a ? b : a;
	if (!same_respelled(live->definition, parsed->definition)) {
		not_compared(c, a->materialized ? "materialized view" : "view",
			     a->schema, a->name, NULL, "query");
		diff_result_add_unsettled(c->result, CHANGE_OBJ_VIEW, a->schema,
					  a->name, NULL);
	}
	return true;
}

bool diff_fn_uncomparable(diff_ctx *c, const m_function *a, const m_function *b)
{
	/* Only SQL-standard bodies on both sides (parts without a body)
	 * that agree on everything else. */
	if (!c->mixed || !a->attributes || !b->attributes || a->body ||
	    b->body || !pg_fn_same_header(a, b) ||
	    !diff_streq(a->result, b->result) ||
	    !diff_streq(a->attributes, b->attributes) ||
	    diff_streq(a->definition, b->definition))
		return false;
	not_compared(c, a->kind == 'p' ? "procedure" : "function", a->schema,
		     a->name, a->identity_args, "SQL-standard body");
	diff_result_add_unsettled(c->result, CHANGE_OBJ_FUNCTION, a->schema,
				  a->name, a->identity_args);
	return true;
}
