/*
 * Indexes: dropped and created by name; an index goes with its dropped
 * or re-created table or materialized view.
 */
#include "pg.h"

#include <string.h>

#include "diff_internal.h"

static bool is_matview(const model *m, const char *schema, const char *name)
{
	const m_view *v = diff_find_view(m, schema, name);
	return v && v->materialized;
}

/*
 * A unique index that goes while its table gains a new primary key or
 * unique constraint (of another name) is most likely what that key
 * replaces: keep it until the key is in place, so that uniqueness is
 * never unenforced in between.
 */
static bool key_replaces(diff_ctx *c, const m_index *ix)
{
	const m_table *nt = model_find_table(c->to, ix->schema, ix->table);
	const m_table *ot = model_find_table(c->from, ix->schema, ix->table);
	if (!ix->unique || !nt || !ot)
		return false;
	for (int i = 0; i < nt->nconstraints; i++) {
		const m_constraint *k = &nt->constraints[i];
		if ((k->kind == M_CON_PRIMARY || k->kind == M_CON_UNIQUE) &&
		    strcmp(k->name, ix->name) &&
		    !model_table_find_constraint(ot, k->name))
			return true;
	}
	return false;
}

/*
 * What follows "CREATE [UNIQUE] INDEX name ON table " in an index's
 * definition (method, keys, INCLUDE, WITH, WHERE), or NULL when the
 * definition does not start that way (an ON ONLY one, say).
 */
static const char *index_tail(const m_index *ix)
{
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "CREATE %sINDEX ", ix->unique ? "UNIQUE " : "");
	pg_quote_ident(&sb, ix->name);
	strbuf_adds(&sb, " ON ");
	pg_quote_qualified(&sb, ix->schema, ix->table);
	strbuf_addch(&sb, ' ');
	size_t n = sb.len;
	bool same = !strncmp(ix->definition, sb.buf, n);
	strbuf_release(&sb);
	return same ? ix->definition + n : NULL;
}

/*
 * A partition's own index that the target no longer lists, while the
 * partitioned table's index that it matches is an INVALID one (made ON
 * ONLY, not every partition's index attached yet) the target wants
 * whole: that index is made again, and CREATE INDEX on a partitioned
 * table attaches a partition's matching index rather than building
 * another, so the partition's index stays (now the parent's) instead of
 * being dropped and built again. (Not for a parent index that is new:
 * no statement could undo the attaching, and a plan's rollback must
 * give the partition its own index back.)
 */
static bool attached_by_new_parent(diff_ctx *c, const m_index *ix)
{
	const m_table *pt = model_find_table(c->to, ix->schema, ix->table);
	const char *tail = index_tail(ix);
	if (!pt || !pt->parent.schema || !tail)
		return false;
	for (int i = 0; i < c->to->nindexes; i++) {
		const m_index *y = &c->to->indexes[i];
		if (strcmp(y->schema, pt->parent.schema) ||
		    strcmp(y->table, pt->parent.name) ||
		    y->unique != ix->unique)
			continue;
		const char *ytail = index_tail(y);
		if (!ytail || strcmp(ytail, tail))
			continue;
		const m_index *old =
		    diff_find_index(c->from, y->schema, y->name);
		const char *only =
		    old ? strstr(old->definition, " ON ONLY ") : NULL;
		if (only &&
		    !strncmp(old->definition, y->definition,
			     (size_t)(only - old->definition)) &&
		    !strncmp(y->definition + (only - old->definition), " ON ",
			     4) &&
		    !strcmp(only + strlen(" ON ONLY "),
			    y->definition + (only - old->definition) + 4))
			return true;
	}
	return false;
}

/* "(a, b)" of a key that ADD CONSTRAINT ... USING INDEX can take as it
 * is (no INCLUDE, storage options, NULLS NOT DISTINCT or deferral, which
 * the index would have to match too), else NULL. */
static const char *plain_key_columns(const m_constraint *k)
{
	const char *d = k->definition;
	if (k->kind == M_CON_PRIMARY && !strncmp(d, "PRIMARY KEY (", 13))
		d += 12;
	else if (k->kind == M_CON_UNIQUE && !strncmp(d, "UNIQUE (", 8))
		d += 7;
	else
		return NULL;
	const char *close = strchr(d, ')');
	return close && !close[1] ? d : NULL;
}

/* Would key k of table t (in `to`) make an index identical to ix? */
static bool key_makes(const m_table *t, const m_constraint *k,
		      const m_index *ix)
{
	const char *cols = plain_key_columns(k);
	const char *tail = cols ? index_tail(ix) : NULL;
	return tail && ix->unique && !strcmp(ix->schema, t->schema) &&
	       !strcmp(ix->table, t->name) &&
	       !strncmp(tail, "USING btree ", 12) && !strcmp(tail + 12, cols);
}

const m_index *pg_key_reuses_index(const model *from, const model *to,
				   const m_table *t, const m_constraint *k)
{
	const m_table *ot = model_find_table(from, t->schema, t->name);
	if (!ot || model_table_find_constraint(ot, k->name) ||
	    !plain_key_columns(k))
		return NULL;
	for (int i = 0; i < from->nindexes; i++) {
		const m_index *ix = &from->indexes[i];
		if (!key_makes(t, k, ix) ||
		    diff_find_index(to, ix->schema, ix->name))
			continue;
		/* One index serves one key: the first new one that would
		 * make it (in the table's constraint order) takes it. */
		bool earlier = false;
		for (const m_constraint *o = t->constraints; o < k; o++)
			earlier |= !model_table_find_constraint(ot, o->name) &&
				   key_makes(t, o, ix);
		if (!earlier)
			return ix;
	}
	return NULL;
}

bool diff_index_reused_by_key(diff_ctx *c, const m_index *ix)
{
	const m_table *t = model_find_table(c->to, ix->schema, ix->table);
	if (!t || diff_set_has(&c->recreated,
			       diff_key(c, "rel", ix->schema, ix->table)))
		return false;
	for (int i = 0; i < t->nconstraints; i++)
		if (pg_key_reuses_index(c->from, c->to, t,
					&t->constraints[i]) == ix)
			return true;
	return false;
}

static void index_drop(diff_ctx *c, const m_index *ix)
{
	const char *q = diff_qname(c, ix->schema, ix->name);
	int phase = diff_replica_drop_late(c, ix) || key_replaces(c, ix)
			? PH_FK
			: PH_DROP_CONSTRAINT;
	diff_on(diff_emit(c, phase, CHANGE_DROP_INDEX, q,
			  arena_sprintf(&c->arena, "DROP INDEX %s", q)),
		0, ix->schema, ix->table, ix->name, NULL);
}

static void index_create(diff_ctx *c, const m_index *ix)
{
	const char *q = diff_qname(c, ix->schema, ix->name);
	bool mv = is_matview(c->to, ix->schema, ix->table);
	const char *sql = diff_trim_sql(c, ix->definition);
	/* "ON ONLY" on a partitioned table would leave its partitions
	 * without the index: always build it on the whole tree. */
	const char *only = strstr(sql, " ON ONLY ");
	if (only)
		sql = arena_sprintf(&c->arena, "%.*s ON %s", (int)(only - sql),
				    sql, only + strlen(" ON ONLY "));
	diff_item *it = diff_on(diff_emit(c, mv ? PH_VIEW_INDEX : PH_CONSTRAINT,
					  CHANGE_CREATE_INDEX, q, sql),
				0, ix->schema, ix->table, ix->name, NULL);
	/* A re-created materialized view's index comes right after it,
	 * wherever the view's creation goes (schema/order.c). */
	if (mv)
		it->o.follow = diff_qname(c, ix->schema, ix->table);
	diff_on(diff_comment(c, arena_sprintf(&c->arena, "INDEX %s", q), q,
			     NULL, ix->comment),
		CHANGE_OBJ_INDEX, ix->schema, ix->table, ix->name, NULL);
}

/* Dropped already for a routine it calls that is made again
 * (diff_fnusers.c): only made again. */
static bool fn_gone(diff_ctx *c, const m_index *ix)
{
	return diff_set_has(&c->recreated,
			    diff_key(c, "useidx", ix->schema, ix->name));
}

int diff_indexes(diff_ctx *c, error *e)
{
	(void)e;
	const model *f = c->from, *t = c->to;
	MERGE_WALK(
	    f->nindexes, t->nindexes,
	    diff_cmp_qualified(f->indexes[i_].schema, f->indexes[i_].name,
			       t->indexes[j_].schema, t->indexes[j_].name),
	    {
		    const m_index *ix = &f->indexes[i_];
		    /* An index goes with its dropped or re-created table
		     * or materialized view. */
		    if ((model_find_table(t, ix->schema, ix->table) ||
			 diff_find_view(t, ix->schema, ix->table)) &&
			!diff_set_has(
			    &c->recreated,
			    diff_key(c, "rel", ix->schema, ix->table)) &&
			!fn_gone(c, ix) && !attached_by_new_parent(c, ix) &&
			!diff_index_reused_by_key(c, ix))
			    index_drop(c, ix);
	    },
	    index_create(c, &t->indexes[j_]),
	    {
		    const m_index *x = &f->indexes[i_];
		    const m_index *y = &t->indexes[j_];
		    bool gone = diff_set_has(
			&c->recreated, diff_key(c, "rel", x->schema, x->table));
		    bool readd = diff_set_has(
			&c->cols, diff_key(c, "rel", x->schema, x->table));
		    /* An operator class it uses is made again; or its
		     * expression or predicate names a rebuilt enum: the
		     * server would re-create it with the old type when the
		     * column is converted ("operator does not exist"); it
		     * goes before and comes back after. */
		    bool rebuild = diff_set_has(
			&c->recreated,
			diff_key(c, "rebuild_index", x->schema, x->name));
		    bool dropped = gone || fn_gone(c, x);
		    if (dropped || readd || rebuild ||
			diff_uses_rebuilt(c, 'i', x->schema, x->table,
					  x->name) ||
			!diff_streq(x->definition, y->definition)) {
			    if (!dropped)
				    index_drop(c, x);
			    index_create(c, y);
		    } else {
			    const char *q = diff_qname(c, y->schema, y->name);
			    diff_on(diff_comment(
					c,
					arena_sprintf(&c->arena, "INDEX %s", q),
					q, x->comment, y->comment),
				    CHANGE_OBJ_INDEX, y->schema, y->table,
				    y->name, NULL);
		    }
	    });
	return 0;
}
