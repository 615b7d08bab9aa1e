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

/* FINALFUNC and its options, or the same for the moving-aggregate
 * mode (prefix "M"). */
static void add_final(strbuf *sb, const char *prefix, const char *func,
		      bool extra, char kind, char modify)
{
	if (!func)
		return;
	strbuf_addf(sb, ",\n    %sFINALFUNC = %s", prefix, func);
	if (extra)
		strbuf_addf(sb, ",\n    %sFINALFUNC_EXTRA", prefix);
	if (!modify || modify == default_modify(kind))
		return;
	strbuf_addf(sb, ",\n    %sFINALFUNC_MODIFY = %s", prefix,
		    modify == 'r'   ? "READ_ONLY"
		    : modify == 's' ? "SHAREABLE"
				    : "READ_WRITE");
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
	add_final(sb, "", a->finalfunc, a->finalextra, a->kind, a->finalmodify);
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
	add_final(sb, "M", a->mfinalfunc, a->mfinalextra, a->kind,
		  a->mfinalmodify);
	add_field(sb, "SORTOP", a->sortop);
	if (a->kind == 'h')
		strbuf_adds(sb, ",\n    HYPOTHETICAL");
	if (a->parallel == 's')
		strbuf_adds(sb, ",\n    PARALLEL = safe");
	else if (a->parallel == 'r')
		strbuf_adds(sb, ",\n    PARALLEL = restricted");
	strbuf_adds(sb, "\n)");
}
