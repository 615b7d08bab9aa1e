/*
 * The canonical operator statements (opclass.h).
 */
#include "opclass.h"

#include <stdlib.h>
#include <string.h>

#include "pg.h"

void pg_operator_signature(strbuf *sb, const char *schema, const char *name,
			   const char *left, const char *right)
{
	/* An operator's name is a symbol: never quoted. */
	if (schema) {
		pg_quote_ident(sb, schema);
		strbuf_addch(sb, '.');
	}
	strbuf_addf(sb, "%s(%s, %s)", name, left ? left : "NONE",
		    right ? right : "NONE");
}

void pg_operator_definition(strbuf *sb, const pg_oper_parts *p)
{
	strbuf_adds(sb, "CREATE OPERATOR ");
	pg_quote_ident(sb, p->schema);
	strbuf_addf(sb, ".%s (FUNCTION = %s", p->name,
		    p->function ? p->function : "");
	if (p->left)
		strbuf_addf(sb, ", LEFTARG = %s", p->left);
	if (p->right)
		strbuf_addf(sb, ", RIGHTARG = %s", p->right);
	if (p->commutator)
		strbuf_addf(sb, ", COMMUTATOR = %s", p->commutator);
	if (p->negator)
		strbuf_addf(sb, ", NEGATOR = %s", p->negator);
	if (p->merges)
		strbuf_adds(sb, ", MERGES");
	if (p->hashes)
		strbuf_adds(sb, ", HASHES");
	strbuf_addch(sb, ')');
}

void pg_opmember_text(model *m, m_opmember *mb, const char *fn_args,
		      const char *order_family)
{
	strbuf sb = STRBUF_INIT;
	if (mb->kind == 'o') {
		strbuf_addf(&sb, "OPERATOR %d ", mb->number);
		pg_operator_signature(&sb, mb->schema, mb->name, mb->left,
				      mb->right);
		if (order_family)
			strbuf_addf(&sb, " FOR ORDER BY %s", order_family);
	} else {
		strbuf_addf(&sb, "FUNCTION %d (%s, %s) ", mb->number,
			    mb->left ? mb->left : "",
			    mb->right ? mb->right : "");
		/* Built-in support functions unqualified, as regproc
		 * prints them under an empty search_path. */
		pg_quote_qualified(
		    &sb,
		    mb->schema && strcmp(mb->schema, "pg_catalog") ? mb->schema
								   : NULL,
		    mb->name);
		strbuf_addf(&sb, "(%s)", fn_args ? fn_args : "");
	}
	mb->text = model_str(m, strbuf_str(&sb));
	strbuf_release(&sb);
}

static int cmp_s(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int cmp_member(const void *a, const void *b)
{
	const m_opmember *x = a, *y = b;
	/* 'o' before 'f': operators are listed first. */
	if (x->kind != y->kind)
		return x->kind == 'o' ? -1 : 1;
	if (x->number != y->number)
		return x->number < y->number ? -1 : 1;
	int r = cmp_s(x->left, y->left);
	if (!r)
		r = cmp_s(x->right, y->right);
	return r ? r : cmp_s(x->text, y->text);
}

void pg_opmembers_sort(m_opmember *mb, int n)
{
	if (n > 1)
		qsort(mb, (size_t)n, sizeof(*mb), cmp_member);
}

void pg_opclass_definition(strbuf *sb, const m_opclass *k, bool is_default,
			   const char *type, const char *storage)
{
	strbuf_adds(sb, "CREATE OPERATOR CLASS ");
	pg_quote_qualified(sb, k->schema, k->name);
	strbuf_addf(sb, " %sFOR TYPE %s USING ", is_default ? "DEFAULT " : "",
		    type ? type : "");
	pg_quote_ident(sb, k->method);
	strbuf_adds(sb, " FAMILY ");
	pg_quote_qualified(sb, k->family_schema, k->family);
	strbuf_adds(sb, " AS ");
	for (int i = 0; i < k->nmembers; i++)
		strbuf_addf(sb, "%s%s", i ? ", " : "", k->members[i].text);
	if (storage)
		strbuf_addf(sb, "%sSTORAGE %s", k->nmembers ? ", " : "",
			    storage);
}
