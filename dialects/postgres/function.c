/*
 * A function's parts in one spelling (see function.h).
 */
#include "function.h"

#include <string.h>

#include "pg.h"

static bool streq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* COST 1 for C and internal functions, 100 for the others. */
double pg_fn_default_cost(const char *language)
{
	bool native = language &&
		      (!strcmp(language, "c") || !strcmp(language, "internal"));
	return native ? 1 : 100;
}

/* ROWS 1000 for a set, none otherwise. */
double pg_fn_default_rows(bool returns_set)
{
	return returns_set ? 1000 : 0;
}

void pg_fn_attributes(strbuf *sb, const pg_fn_attrs *a)
{
	strbuf_adds(sb, "LANGUAGE ");
	pg_quote_ident(sb, a->language ? a->language : "sql");
	if (a->volatility == 'i')
		strbuf_adds(sb, " IMMUTABLE");
	else if (a->volatility == 's')
		strbuf_adds(sb, " STABLE");
	if (a->strict)
		strbuf_adds(sb, " STRICT");
	if (a->security_definer)
		strbuf_adds(sb, " SECURITY DEFINER");
	if (a->leakproof)
		strbuf_adds(sb, " LEAKPROOF");
	if (a->parallel == 's')
		strbuf_adds(sb, " PARALLEL SAFE");
	else if (a->parallel == 'r')
		strbuf_adds(sb, " PARALLEL RESTRICTED");
	if (a->cost != pg_fn_default_cost(a->language))
		strbuf_addf(sb, " COST %g", a->cost);
	if (a->rows != pg_fn_default_rows(a->returns_set))
		strbuf_addf(sb, " ROWS %g", a->rows);
	if (a->support)
		strbuf_addf(sb, " SUPPORT %s", a->support);
	if (a->transforms)
		strbuf_addf(sb, " TRANSFORM %s", a->transforms);
	if (a->module) {
		strbuf_adds(sb, " MODULE ");
		pg_quote_literal(sb, a->module);
	}
	for (int i = 0; i < a->nsets; i++)
		strbuf_addf(sb, " SET %s", a->sets[i]);
}

/* Both sides carry the parts: everything but aggregates, whose
 * definition is already written alike (aggregate.h). */
static bool have_parts(const m_function *a, const m_function *b)
{
	return a->attributes && b->attributes;
}

/* The first line of pg_get_functiondef() holds the name and the whole
 * argument list. */
static bool same_first_line(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");
	return la == lb && !strncmp(a, b, la);
}

bool pg_fn_same_header(const m_function *a, const m_function *b)
{
	if (!have_parts(a, b))
		return same_first_line(a->definition, b->definition);
	return streq(a->signature, b->signature) &&
	       streq(a->arg_defaults, b->arg_defaults);
}

bool pg_fn_same(const m_function *a, const m_function *b)
{
	if (!have_parts(a, b))
		return streq(a->definition, b->definition);
	/* A SQL-standard body (no `body`) is kept parsed by the server: only
	 * the whole definitions can tell. */
	bool bodies = a->body && b->body ? !strcmp(a->body, b->body)
					 : streq(a->definition, b->definition);
	return bodies && pg_fn_same_header(a, b) &&
	       streq(a->result, b->result) &&
	       streq(a->attributes, b->attributes);
}
