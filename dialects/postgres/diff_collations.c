/*
 * Collations: made with the types, before any column or domain that
 * uses one; dropped once nothing that stays refers to them. A changed
 * one is dropped early and made again (a column still using it makes
 * the server refuse: a collation cannot be altered in place).
 */
#include "pg.h"

#include "diff_internal.h"

static void collation_drop(diff_ctx *c, const m_collation *k, int phase)
{
	const char *q = diff_qname(c, k->schema, k->name);
	diff_item *it =
	    diff_emit(c, phase, "drop_collation", q,
		      arena_sprintf(&c->arena, "DROP COLLATION %s", q));
	it->destructive = true;
}

static void collation_create(diff_ctx *c, const m_collation *k)
{
	const char *q = diff_qname(c, k->schema, k->name);
	diff_emit(c, PH_TYPE, "create_collation", q, k->definition);
	diff_comment(c, arena_sprintf(&c->arena, "COLLATION %s", q), q, NULL,
		     k->comment);
}

int diff_collations(diff_ctx *c, error *e)
{
	(void)e;
	const model *f = c->from, *t = c->to;
	MERGE_WALK(
	    f->ncollations, t->ncollations,
	    diff_cmp_qualified(f->collations[i_].schema, f->collations[i_].name,
			       t->collations[j_].schema,
			       t->collations[j_].name),
	    collation_drop(c, &f->collations[i_], PH_DROP_TYPE),
	    collation_create(c, &t->collations[j_]), {
		    const m_collation *x = &f->collations[i_];
		    const m_collation *y = &t->collations[j_];
		    if (!diff_streq(x->definition, y->definition)) {
			    collation_drop(c, x, PH_DROP_CONSTRAINT);
			    collation_create(c, y);
		    } else {
			    const char *q = diff_qname(c, y->schema, y->name);
			    diff_comment(
				c, arena_sprintf(&c->arena, "COLLATION %s", q),
				q, x->comment, y->comment);
		    }
	    });
	return 0;
}
