/*
 * What a view reads (m_view.deps), for the partial scratch load
 * (schema/subset.c): a view whose definition changed is loaded with the
 * relations it reads, or the server refuses to create it. MySQL gives no
 * dependency list on either side (MariaDB has no VIEW_TABLE_USAGE), so
 * the view's query is tokenised by the parser's lexer and every name in
 * it that is a table or view of the same database counts. A column that
 * happens to be named like a table adds a dependency that is not one:
 * that only loads one table more.
 */
#include <string.h>
#include <strings.h>

#include "mysql.h"
#include "parse_internal.h"

static const char *schema_of(const char *s)
{
	return s ? s : "";
}

/* Is `name` a table or view of schema `schema` in `m` (its own
 * spelling, or NULL)? Names compare without case, as the server does
 * on the file systems it runs on. */
static const char *relation(const model *m, const char *schema,
			    const char *name)
{
	for (int i = 0; i < m->ntables; i++)
		if (!strcmp(schema_of(m->tables[i].schema), schema) &&
		    !strcasecmp(m->tables[i].name, name))
			return m->tables[i].name;
	for (int i = 0; i < m->nviews; i++)
		if (!strcmp(schema_of(m->views[i].schema), schema) &&
		    !strcasecmp(m->views[i].name, name))
			return m->views[i].name;
	return NULL;
}

static void add_dep(model *m, m_view *v, const char *name)
{
	for (int i = 0; i < v->ndeps; i++)
		if (!strcmp(v->deps[i].name, name))
			return;
	if (!strcmp(v->name, name))
		return;
	m_ref *r = ARENA_PUSH(&m->arena, v->deps, v->ndeps, v->cdeps);
	r->schema = model_str(m, schema_of(v->schema));
	r->name = model_str(m, name);
}

void my_view_deps(model *m)
{
	for (int i = 0; i < m->nviews; i++) {
		m_view *v = &m->views[i];
		if (!v->definition || v->ndeps)
			continue;
		model *scratch = model_new();
		error e = ERROR_INIT;
		my_ctx c = {.m = scratch,
			    .e = &e,
			    .filename = "(view)",
			    .src = v->definition,
			    .cur_db = ""};
		if (my_lex(&c) == 0)
			for (int t = 0; t < c.ntoks; t++) {
				const my_tok *k = &c.toks[t];
				if (k->kind != MT_WORD && k->kind != MT_QIDENT)
					continue;
				const char *r =
				    relation(m, schema_of(v->schema), k->text);
				if (r)
					add_dep(m, v, r);
			}
		error_clear(&e);
		model_free(scratch);
	}
}
