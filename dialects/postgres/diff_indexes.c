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
			!fn_gone(c, ix))
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
