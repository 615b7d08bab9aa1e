/*
 * Constants as the server prints them (get_const_expr): literals of the
 * types it prints bare, negative numbers quoted, timestamps in full,
 * bit strings; and nextval() calls with their sequence qualified. Used
 * by parse_expr.c, which prints whole expressions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>

#include "parse_internal.h"
#include "pg.h"

/* A string literal the server turns into a constant of a type it prints
 * bare: '5' as integer is 5, '1.5' as numeric is 1.5, 't' as boolean is
 * true (get_const_expr). */
static bool typed_literal(strbuf *sb, const char *v, const char *type)
{
	if (!type || !*v)
		return false;
	if (!strcmp(type, "boolean")) {
		static const char *const yes[] = {"t",	"true", "y", "yes",
						  "on", "1",	NULL};
		static const char *const no[] = {"f",	"false", "n", "no",
						 "off", "0",	 NULL};
		for (int i = 0; yes[i]; i++)
			if (!strcasecmp(v, yes[i])) {
				strbuf_adds(sb, "true");
				return true;
			}
		for (int i = 0; no[i]; i++)
			if (!strcasecmp(v, no[i])) {
				strbuf_adds(sb, "false");
				return true;
			}
		return false;
	}
	bool digits = true, dot = false;
	for (const char *p = v + (*v == '-'); *p; p++) {
		if (*p == '.' && !dot)
			dot = true;
		else if (*p < '0' || *p > '9')
			digits = false;
	}
	if (!digits || (*v == '-' && !v[1]))
		return false;
	if (!strcmp(type, "integer") && !dot && strlen(v) < 10) {
		if (*v == '-')
			strbuf_addf(sb, "'%s'::integer", v);
		else
			strbuf_adds(sb, v);
		return true;
	}
	if (!strcmp(type, "numeric") && dot && *v != '-' && *v != '.') {
		strbuf_adds(sb, v);
		return true;
	}
	return false;
}

void pp_const_text(strbuf *sb, const PgQuery__AConst *k, const char *type)
{
	if (k->isnull) {
		strbuf_adds(sb, "NULL");
		return;
	}
	switch (k->val_case) {
	case PG_QUERY__A__CONST__VAL_IVAL:
		/* Negative constants are quoted so they re-read as one
		 * constant, as the server's get_const_expr does. */
		if (k->ival->ival < 0)
			strbuf_addf(sb, "'%d'::integer", k->ival->ival);
		else
			strbuf_addf(sb, "%d", k->ival->ival);
		return;
	case PG_QUERY__A__CONST__VAL_FVAL:
		if (k->fval->fval[0] == '-')
			strbuf_addf(sb, "'%s'::numeric", k->fval->fval);
		else
			strbuf_adds(sb, k->fval->fval);
		return;
	case PG_QUERY__A__CONST__VAL_BOOLVAL:
		strbuf_adds(sb, k->boolval->boolval ? "true" : "false");
		return;
	case PG_QUERY__A__CONST__VAL_SVAL: {
		const char *v = k->sval->sval;
		if (typed_literal(sb, v, type))
			return;
		/* The server stores a timestamp and prints it back in
		 * full: '2024-01-01 00:00:00'. */
		strbuf ts = STRBUF_INIT;
		bool stamp =
		    type && !strncmp(type, "timestamp with", 14) &&
		    pp_timestamp_literal(
			&ts, v, !strcmp(type, "timestamp with time zone"));
		pg_quote_literal_std(sb, stamp ? strbuf_str(&ts) : v);
		strbuf_release(&ts);
		strbuf_addf(sb, "::%s", type ? type : "text");
		return;
	}
	case PG_QUERY__A__CONST__VAL_BSVAL: {
		/* B'101' / X'1F' -> the server shows bit strings quoted. */
		const char *b = k->bsval->bsval;
		strbuf_addf(sb, "%s'%s'", b[0] == 'x' ? "X" : "B", b + 1);
		return;
	}
	default:
		strbuf_adds(sb, "NULL");
	}
}

/* nextval('s') and nextval('public.s'::regclass) both become
 * nextval('public.s'::regclass): a regclass constant prints qualified
 * under an empty search_path. */
bool pp_nextval_call(strbuf *sb, const PgQuery__FuncCall *f)
{
	const char *fn =
	    f->n_funcname ? pp_sval(f->funcname[f->n_funcname - 1]) : NULL;
	if (!fn || strcmp(fn, "nextval") || f->n_args != 1)
		return false;
	const pnode *a = f->args[0];
	if (a->node_case == NC(TYPE_CAST))
		a = a->type_cast->arg;
	if (!a || a->node_case != NC(A_CONST) ||
	    a->a_const->val_case != PG_QUERY__A__CONST__VAL_SVAL)
		return false;
	const char *seq = a->a_const->sval->sval;
	/* Qualified already? Look for a dot outside double quotes. */
	bool quoted = false, dot = false;
	for (const char *p = seq; *p && !dot; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (*p == '.' && !quoted)
			dot = true;
	}
	strbuf name = STRBUF_INIT;
	if (!dot)
		strbuf_adds(&name, "public.");
	strbuf_adds(&name, seq);
	strbuf_adds(sb, "nextval(");
	pg_quote_literal_std(sb, strbuf_str(&name));
	strbuf_adds(sb, "::regclass)");
	strbuf_release(&name);
	return true;
}
