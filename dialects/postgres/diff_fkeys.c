/*
 * Which foreign keys must step aside while a migration runs: those whose
 * columns, referenced columns, or the unique key or index that backs
 * them change (diff_tables.c drops them before and adds them after).
 */
#include "pg.h"

#include <string.h>

#include "diff_internal.h"

bool pg_same_column_set(char *const *a, int na, char *const *b, int nb)
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

static int cmp_index_table(const void *a, const void *b)
{
	const m_index *x = *(const m_index *const *)a,
		      *y = *(const m_index *const *)b;
	return diff_cmp_qualified(x->schema, x->table, y->schema, y->table);
}

/* The indexes of `from` on table `t` (its schema and name), *n of them. */
static const m_index *const *from_indexes_of(diff_ctx *c, const m_table *t,
					     int *n)
{
	if (!c->from_by_table) {
		c->nfrom_by_table = c->from->nindexes;
		c->from_by_table =
		    arena_alloc(&c->arena, sizeof(m_index *) *
					       (size_t)(c->nfrom_by_table + 1));
		for (int i = 0; i < c->nfrom_by_table; i++)
			c->from_by_table[i] = &c->from->indexes[i];
		qsort(c->from_by_table, (size_t)c->nfrom_by_table,
		      sizeof(m_index *), cmp_index_table);
	}
	/* The first index on t, then as many as follow. */
	int lo = 0, hi = c->nfrom_by_table;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		const m_index *x = c->from_by_table[mid];
		if (diff_cmp_qualified(x->schema, x->table, t->schema,
				       t->name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	int end = lo;
	while (end < c->nfrom_by_table &&
	       !diff_cmp_qualified(c->from_by_table[end]->schema,
				   c->from_by_table[end]->table, t->schema,
				   t->name))
		end++;
	*n = end - lo;
	return c->from_by_table + lo;
}

/* The index of `to` named (schema, name): `to` is sorted by them. */
static const m_index *to_index(diff_ctx *c, const char *schema,
			       const char *name)
{
	int lo = 0, hi = c->to->nindexes - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		const m_index *y = &c->to->indexes[mid];
		int r = diff_cmp_qualified(schema, name, y->schema, y->name);
		if (!r)
			return y;
		if (r < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	/* Binary search needs a sorted model; a miss is rare enough here
	 * to be confirmed by a scan. */
	for (int i = 0; i < c->to->nindexes; i++)
		if (!diff_cmp_qualified(schema, name, c->to->indexes[i].schema,
					c->to->indexes[i].name))
			return &c->to->indexes[i];
	return NULL;
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
		if (pg_same_column_set(u->columns, u->ncolumns, k->ref_columns,
				       k->nref_columns) ||
		    (v && pg_same_column_set(v->columns, v->ncolumns,
					     k->ref_columns, k->nref_columns)))
			return true;
	}
	/* A unique index (not a constraint) can back it too. */
	int n;
	const m_index *const *xs = from_indexes_of(c, ra, &n);
	for (int i = 0; i < n; i++) {
		const m_index *x = xs[i];
		if (!index_on_columns(c, x, k->ref_columns, k->nref_columns))
			continue;
		const m_index *y = to_index(c, x->schema, x->name);
		/* Taken over by a new key: the same index stays under it. */
		if (!y && diff_index_reused_by_key(c, x))
			continue;
		if (!y || !diff_streq(x->definition, y->definition))
			return true;
	}
	return false;
}
