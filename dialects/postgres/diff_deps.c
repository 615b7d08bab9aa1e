/*
 * What depends on a column that changes.
 *
 * PostgreSQL refuses to drop or retype a column that a view's query, a
 * trigger's WHEN clause / UPDATE OF list or a policy's clauses use
 * (pg_depend), and nothing else about the table matters to them: a
 * trigger, view or policy is rebuilt only when one of the columns it
 * depends on goes or changes type, and then around exactly those
 * statements (see "Brackets" in diff_internal.h).
 */
#include <string.h>

#include "diff_internal.h"

const char *diff_col_anchor(diff_ctx *c, const char *schema, const char *table,
			    const char *col)
{
	return diff_key3(c, "colchg", schema, table, col);
}

bool diff_col_changes(diff_ctx *c, const char *schema, const char *table,
		      const char *col)
{
	return diff_set_has(&c->cols,
			    diff_key3(c, "coltype", schema, table, col));
}

bool diff_colref_anchor(diff_ctx *c, const m_colref *r, const char **anchor)
{
	*anchor = NULL;
	if (strcmp(r->column, "*")) {
		if (diff_col_changes(c, r->schema, r->table, r->column))
			*anchor =
			    diff_col_anchor(c, r->schema, r->table, r->column);
		return false;
	}
	const m_table *t = model_find_table(c->from, r->schema, r->table);
	for (int k = 0; t && k < t->ncolumns; k++)
		if (diff_col_changes(c, r->schema, r->table,
				     t->columns[k].name))
			return true;
	return false;
}

int diff_trigger_anchors(diff_ctx *c, const m_trigger *tg,
			 const char ***anchors)
{
	int n = 0, cap = 0;
	*anchors = NULL;
	for (int i = 0; i < tg->ncolumns; i++)
		if (diff_col_changes(c, tg->schema, tg->table, tg->columns[i]))
			*ARENA_PUSH(&c->arena, *anchors, n, cap) =
			    diff_col_anchor(c, tg->schema, tg->table,
					    tg->columns[i]);
	return n;
}

void diff_bracket(diff_ctx *c, diff_item *it, int side,
		  const char *const *anchors, int nanchors)
{
	it->o.side = side;
	for (int i = 0; i < nanchors; i++)
		*ARENA_PUSH(&c->arena, it->o.around, it->o.naround,
			    it->o.caround) = anchors[i];
}

bool diff_add_anchor(diff_ctx *c, diff_anchors *a, const char *key)
{
	for (int i = 0; i < a->nkeys; i++)
		if (!strcmp(a->keys[i], key))
			return false;
	*ARENA_PUSH(&c->arena, a->keys, a->nkeys, a->ckeys) = key;
	return true;
}

void diff_colref_anchors(diff_ctx *c, const m_colref *refs, int n,
			 diff_anchors *a, bool *hard)
{
	for (int d = 0; d < n; d++) {
		const m_colref *r = &refs[d];
		if (strcmp(r->column, "*")) {
			if (diff_col_changes(c, r->schema, r->table, r->column))
				diff_add_anchor(c, a,
						diff_col_anchor(c, r->schema,
								r->table,
								r->column));
			continue;
		}
		/* A "*" from a file (a reference the parser could not
		 * expand) may stand for any column: a change to one of them
		 * rebuilds the object at its phases. */
		const m_table *t =
		    model_find_table(c->from, r->schema, r->table);
		for (int k = 0; t && k < t->ncolumns; k++)
			if (diff_col_changes(c, r->schema, r->table,
					     t->columns[k].name))
				*hard = true;
	}
}

static const char *use_key(diff_ctx *c, char kind, const char *schema,
			   const char *table, const char *name)
{
	return arena_sprintf(&c->arena, "%c\x1f%s\x1f%s\x1f%s", kind, schema,
			     table ? table : "", name ? name : "");
}

void diff_mark_rebuilt_uses(diff_ctx *c)
{
	if (!c->rebuilt_types.used)
		return;
	for (int i = 0; i < c->from->ntype_uses; i++) {
		const m_typeuse *u = &c->from->type_uses[i];
		if (diff_set_has(
			&c->rebuilt_types,
			diff_key(c, "type", u->type.schema, u->type.name)))
			diff_set_add(
			    c, &c->rebuilt_uses,
			    use_key(c, u->kind, u->schema, u->table, u->name));
	}
}

bool diff_uses_rebuilt(diff_ctx *c, char kind, const char *schema,
		       const char *table, const char *name)
{
	return c->rebuilt_uses.used &&
	       diff_set_has(&c->rebuilt_uses,
			    use_key(c, kind, schema, table, name));
}
