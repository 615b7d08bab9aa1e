/*
 * The canonical CREATE AGGREGATE text (see aggregate.h).
 */
#include "aggregate.h"

#include "pg.h"

/* The final function's default modify mode: READ_ONLY for a plain
 * aggregate, READ_WRITE for ordered-set and hypothetical ones. pg_dump
 * writes FINALFUNC_MODIFY only when it differs. */
static char default_modify(char kind)
{
	return kind == 'n' || !kind ? 'r' : 'w';
}

static void add_modify(strbuf *sb, const char *field, char kind, char modify)
{
	if (!modify || modify == default_modify(kind))
		return;
	strbuf_addf(sb, ",\n    %s = %s", field,
		    modify == 'r'   ? "READ_ONLY"
		    : modify == 's' ? "SHAREABLE"
				    : "READ_WRITE");
}

static void add_field(strbuf *sb, const char *field, const char *value)
{
	if (value)
		strbuf_addf(sb, ",\n    %s = %s", field, value);
}

static void add_literal(strbuf *sb, const char *field, const char *value)
{
	if (!value)
		return;
	strbuf_addf(sb, ",\n    %s = ", field);
	pg_quote_literal(sb, value);
}

void pg_aggregate_definition(strbuf *sb, const pg_agg_parts *a)
{
	strbuf_adds(sb, "CREATE OR REPLACE AGGREGATE ");
	pg_quote_qualified(sb, a->schema, a->name);
	strbuf_addf(sb, "(%s) (\n", a->args && *a->args ? a->args : "*");
	strbuf_addf(sb, "    SFUNC = %s,\n    STYPE = %s",
		    a->sfunc ? a->sfunc : "-", a->stype ? a->stype : "-");
	add_field(sb, "SSPACE", a->sspace);
	add_literal(sb, "INITCOND", a->initcond);
	if (a->finalfunc) {
		add_field(sb, "FINALFUNC", a->finalfunc);
		if (a->finalextra)
			strbuf_adds(sb, ",\n    FINALFUNC_EXTRA");
		add_modify(sb, "FINALFUNC_MODIFY", a->kind, a->finalmodify);
	}
	add_field(sb, "COMBINEFUNC", a->combinefunc);
	add_field(sb, "SERIALFUNC", a->serialfunc);
	add_field(sb, "DESERIALFUNC", a->deserialfunc);
	if (a->msfunc) {
		add_field(sb, "MSFUNC", a->msfunc);
		add_field(sb, "MINVFUNC", a->minvfunc);
		add_field(sb, "MSTYPE", a->mstype);
	}
	add_field(sb, "MSSPACE", a->msspace);
	add_literal(sb, "MINITCOND", a->minitcond);
	if (a->mfinalfunc) {
		add_field(sb, "MFINALFUNC", a->mfinalfunc);
		if (a->mfinalextra)
			strbuf_adds(sb, ",\n    MFINALFUNC_EXTRA");
		add_modify(sb, "MFINALFUNC_MODIFY", a->kind, a->mfinalmodify);
	}
	add_field(sb, "SORTOP", a->sortop);
	if (a->kind == 'h')
		strbuf_adds(sb, ",\n    HYPOTHETICAL");
	if (a->parallel == 's')
		strbuf_adds(sb, ",\n    PARALLEL = safe");
	else if (a->parallel == 'r')
		strbuf_adds(sb, ",\n    PARALLEL = restricted");
	strbuf_adds(sb, "\n)");
}
