/*
 * Who uses an object that cannot be altered in place (a collation, a
 * text search configuration): the differ names them when it must refuse
 * to drop and re-create it, and re-indexes them when its behaviour
 * changes under them.
 */
#include "pg.h"

#include <string.h>

#include "diff_internal.h"

static void add_user(strbuf *out, int *n, const char *what, const char *name)
{
	strbuf_addf(out, "%s%s %s", *n ? ", " : "", what, name);
	(*n)++;
}

static bool has(const char *text, const char *needle)
{
	return needle && text && strstr(text, needle);
}

int diff_users(diff_ctx *c, const model *m, const char *needle,
	       const char *collation, strbuf *out)
{
	int n = 0;
	for (int i = 0; i < m->ntables; i++) {
		const m_table *t = &m->tables[i];
		for (int j = 0; j < t->ncolumns; j++) {
			const m_column *col = &t->columns[j];
			if ((collation &&
			     diff_streq(col->collation, collation)) ||
			    has(col->default_expr, needle) ||
			    has(col->generated_expr, needle))
				add_user(out, &n, "column",
					 diff_qname3(c, t->schema, t->name,
						     col->name));
		}
		for (int j = 0; j < t->nconstraints; j++)
			if (has(t->constraints[j].definition, needle))
				add_user(out, &n, "constraint",
					 diff_qname3(c, t->schema, t->name,
						     t->constraints[j].name));
	}
	for (int i = 0; i < m->nindexes; i++)
		if (has(m->indexes[i].definition, needle))
			add_user(out, &n, "index",
				 diff_qname(c, m->indexes[i].schema,
					    m->indexes[i].name));
	for (int i = 0; i < m->nviews; i++)
		if (has(m->views[i].definition, needle))
			add_user(out, &n, "view",
				 diff_qname(c, m->views[i].schema,
					    m->views[i].name));
	for (int i = 0; collation && i < m->ndomains; i++)
		if (diff_streq(m->domains[i].collation, collation))
			add_user(out, &n, "domain",
				 diff_qname(c, m->domains[i].schema,
					    m->domains[i].name));
	for (int i = 0; collation && i < m->ncomposites; i++)
		for (int j = 0; j < m->composites[i].nattrs; j++)
			if (diff_streq(m->composites[i].attrs[j].collation,
				       collation))
				add_user(out, &n, "attribute",
					 diff_qname3(
					     c, m->composites[i].schema,
					     m->composites[i].name,
					     m->composites[i].attrs[j].name));
	for (int i = 0; collation && i < m->nranges; i++)
		if (diff_streq(m->ranges[i].collation, collation))
			add_user(out, &n, "range type",
				 diff_qname(c, m->ranges[i].schema,
					    m->ranges[i].name));
	return n;
}
