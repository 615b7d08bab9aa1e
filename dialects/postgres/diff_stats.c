/*
 * Statistics objects (CREATE STATISTICS): dropped before the columns they
 * cover change and made once those columns and the functions their
 * expressions call exist; a changed one is dropped and made anew. Like
 * an index, one goes with its dropped or re-created table.
 */
#include "pg.h"

#include <string.h>

#include "diff_internal.h"

static void stats_drop(diff_ctx *c, const m_statistics *x)
{
	const char *q = diff_qname(c, x->schema, x->name);
	diff_on(diff_emit(c, PH_DROP_CONSTRAINT, PGC_DROP_STATISTICS, q,
			  arena_sprintf(&c->arena, "DROP STATISTICS %s", q)),
		0, x->schema, NULL, x->name, NULL);
}

static void stats_target(diff_ctx *c, const m_statistics *x, int phase)
{
	const char *q = diff_qname(c, x->schema, x->name);
	diff_item *it = diff_on(
	    diff_emit(c, phase, PGC_ALTER_STATISTICS, q,
		      arena_sprintf(&c->arena,
				    "ALTER STATISTICS %s SET STATISTICS %s", q,
				    x->stattarget ? x->stattarget : "-1")),
	    0, x->schema, NULL, x->name, NULL);
	it->o.follow = q;
}

static void stats_create(diff_ctx *c, const m_statistics *x)
{
	const char *q = diff_qname(c, x->schema, x->name);
	const m_view *v = diff_find_view(c->to, x->table_schema, x->table);
	/* On a materialized view: after the view, wherever its creation
	 * goes (schema/order.c). */
	bool mv = v && v->materialized;
	int phase = mv ? PH_VIEW_INDEX : PH_CONSTRAINT;
	diff_item *it = diff_on(diff_emit(c, phase, PGC_CREATE_STATISTICS, q,
					  diff_trim_sql(c, x->definition)),
				0, x->schema, NULL, x->name, NULL);
	if (mv)
		it->o.follow = diff_qname(c, x->table_schema, x->table);
	if (x->stattarget)
		stats_target(c, x, phase);
	diff_on(diff_comment(c, arena_sprintf(&c->arena, "STATISTICS %s", q), q,
			     NULL, x->comment),
		PGO_STATISTICS, x->schema, NULL, x->name, NULL);
}

int diff_statistics(diff_ctx *c, error *e)
{
	(void)e;
	const model *f = c->from, *t = c->to;
	MERGE_WALK(
	    f->nstatistics, t->nstatistics,
	    diff_cmp_qualified(f->statistics[i_].schema, f->statistics[i_].name,
			       t->statistics[j_].schema,
			       t->statistics[j_].name),
	    {
		    const m_statistics *x = &f->statistics[i_];
		    if ((model_find_table(t, x->table_schema, x->table) ||
			 diff_find_view(t, x->table_schema, x->table)) &&
			!diff_set_has(
			    &c->recreated,
			    diff_key(c, "rel", x->table_schema, x->table)))
			    stats_drop(c, x);
	    },
	    stats_create(c, &t->statistics[j_]),
	    {
		    const m_statistics *x = &f->statistics[i_];
		    const m_statistics *y = &t->statistics[j_];
		    const char *rel =
			diff_key(c, "rel", x->table_schema, x->table);
		    bool gone = diff_set_has(&c->recreated, rel);
		    bool readd = diff_set_has(&c->cols, rel);
		    if (gone || readd ||
			!diff_streq(x->definition, y->definition)) {
			    if (!gone)
				    stats_drop(c, x);
			    stats_create(c, y);
		    } else {
			    const char *q = diff_qname(c, y->schema, y->name);
			    if (!diff_streq(x->stattarget, y->stattarget))
				    stats_target(c, y, PH_CONSTRAINT);
			    diff_on(
				diff_comment(c,
					     arena_sprintf(&c->arena,
							   "STATISTICS %s", q),
					     q, x->comment, y->comment),
				PGO_STATISTICS, y->schema, NULL, y->name, NULL);
		    }
	    });
	return 0;
}
