/*
 * What depends on a column that changes.
 *
 * PostgreSQL refuses to drop or retype a column that a view's query or
 * a trigger's WHEN clause / UPDATE OF list uses (pg_depend), and nothing
 * else about the table matters to them: a trigger or view is rebuilt
 * only when one of the columns it depends on goes or changes type, and
 * then around exactly those statements (see "Brackets" in
 * diff_internal.h).
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
	it->side = side;
	for (int i = 0; i < nanchors; i++)
		*ARENA_PUSH(&c->arena, it->around, it->naround, it->caround) =
		    anchors[i];
}
