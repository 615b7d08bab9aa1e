/*
 * Which foreign keys must step aside while a migration runs: those whose
 * columns, referenced columns, or the unique key or index that backs
 * them change (diff_tables.c drops them before and adds them after).
 */
#include "pg.h"

#include <string.h>

#include "diff_internal.h"

/* The same column names in any order: PostgreSQL matches a foreign
 * key's referenced columns to a unique key as a set. */
static bool same_column_set(char *const *a, int na, char *const *b, int nb)
{
	if (na != nb)
		return false;
	for (int i = 0; i < na; i++) {
		bool found = false;
		for (int j = 0; j < nb && !found; j++)
			found = !strcmp(a[i], b[j]);
		if (!found)
			return false;
	}
	return true;
}

/* Does the plain unique index `ix` ("... USING method (a, b)" with no
 * expressions, options or predicate) cover exactly `cols`?  Only such an
 * index can back a foreign key. */
static bool index_on_columns(diff_ctx *c, const m_index *ix, char *const *cols,
			     int ncols)
{
	const char *u = ix->unique ? strstr(ix->definition, " USING ") : NULL;
	const char *open = u ? strchr(u, '(') : NULL;
	const char *close = open ? strchr(open, ')') : NULL;
	if (!close || strstr(close, " WHERE "))
		return false;
	strbuf want = STRBUF_INIT;
	const char *got =
	    arena_strndup(&c->arena, open + 1, (size_t)(close - open - 1));
	/* Compare as sets: every quoted column once, the same count. */
	int n = 1;
	for (const char *p = got; *p; p++)
		n += *p == ',';
	bool ok = n == ncols;
	for (int i = 0; ok && i < ncols; i++) {
		strbuf_reset(&want);
		pg_quote_ident(&want, cols[i]);
		const char *w = strbuf_str(&want);
		size_t wl = strlen(w);
		const char *p = got;
		ok = false;
		while (!ok && (p = strstr(p, w))) {
			ok = (p == got || p[-1] == ' ') &&
			     (p[wl] == ',' || !p[wl]);
			p++;
		}
	}
	strbuf_release(&want);
	return ok;
}

/* A foreign key whose columns, referenced columns or referenced unique
 * key change must be out of the way while they do.  Only the key that
 * backs it counts (same columns): dropping UNIQUE (slug) leaves a key
 * that references (id) alone. */
bool diff_fk_disturbed(diff_ctx *c, const m_table *t, const m_constraint *k)
{
	if (diff_set_has(&c->cols, diff_rel_key(c, t->schema, t->name)))
		return true;
	for (int i = 0; i < k->ncolumns; i++)
		if (diff_set_has(&c->cols,
				 diff_col_key(c, "coltype", t, k->columns[i])))
			return true;
	if (!k->ref.schema)
		return false;
	const m_table *ra =
	    model_find_table(c->from, k->ref.schema, k->ref.name);
	const m_table *rb = model_find_table(c->to, k->ref.schema, k->ref.name);
	/* A table neither schema defines is not touched by the migration. */
	if (!ra && !rb)
		return false;
	if (!ra || !rb)
		return true;
	if (diff_set_has(&c->cols, diff_rel_key(c, ra->schema, ra->name)))
		return true;
	for (int i = 0; i < k->nref_columns; i++)
		if (diff_set_has(&c->cols, diff_col_key(c, "coltype", ra,
							k->ref_columns[i])))
			return true;
	for (int i = 0; i < ra->nconstraints; i++) {
		const m_constraint *u = &ra->constraints[i];
		if (u->kind != M_CON_PRIMARY && u->kind != M_CON_UNIQUE)
			continue;
		const m_constraint *v =
		    model_table_find_constraint(rb, u->name);
		if (v && diff_streq(u->definition, v->definition))
			continue;
		if (same_column_set(u->columns, u->ncolumns, k->ref_columns,
				    k->nref_columns) ||
		    (v && same_column_set(v->columns, v->ncolumns,
					  k->ref_columns, k->nref_columns)))
			return true;
	}
	/* A unique index (not a constraint) can back it too. */
	for (int i = 0; i < c->from->nindexes; i++) {
		const m_index *x = &c->from->indexes[i];
		if (strcmp(x->schema, ra->schema) ||
		    strcmp(x->table, ra->name) ||
		    !index_on_columns(c, x, k->ref_columns, k->nref_columns))
			continue;
		const m_index *y = NULL;
		for (int j = 0; j < c->to->nindexes && !y; j++)
			if (!strcmp(c->to->indexes[j].schema, x->schema) &&
			    !strcmp(c->to->indexes[j].name, x->name))
				y = &c->to->indexes[j];
		/* Taken over by a new key: the same index stays under it. */
		if (!y && diff_index_reused_by_key(c, x))
			continue;
		if (!y || !diff_streq(x->definition, y->definition))
			return true;
	}
	return false;
}
