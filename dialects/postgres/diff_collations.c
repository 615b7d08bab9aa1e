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
	    diff_on(diff_emit(c, phase, PGC_DROP_COLLATION, q,
			      arena_sprintf(&c->arena, "DROP COLLATION %s", q)),
		    0, k->schema, NULL, k->name, NULL);
	it->destructive = true;
}

static void collation_create(diff_ctx *c, const m_collation *k)
{
	const char *q = diff_qname(c, k->schema, k->name);
	diff_on(diff_emit(c, PH_TYPE, PGC_CREATE_COLLATION, q, k->definition),
		0, k->schema, NULL, k->name, NULL);
	diff_on(diff_comment(c, arena_sprintf(&c->arena, "COLLATION %s", q), q,
			     NULL, k->comment),
		PGO_COLLATION, k->schema, NULL, k->name, NULL);
}

/* The users of collation `k` in the source model, or 0. */
static int collation_users(diff_ctx *c, const m_collation *k, strbuf *out)
{
	const char *q = diff_qname(c, k->schema, k->name);
	return diff_users(c, c->from, arena_sprintf(&c->arena, "COLLATE %s", q),
			  q, out);
}

int diff_collations(diff_ctx *c, error *e)
{
	const model *f = c->from, *t = c->to;
	int rc = 0;
	strbuf users = STRBUF_INIT;
	MERGE_WALK(
	    f->ncollations, t->ncollations,
	    diff_cmp_qualified(f->collations[i_].schema, f->collations[i_].name,
			       t->collations[j_].schema,
			       t->collations[j_].name),
	    collation_drop(c, &f->collations[i_], PH_DROP_TYPE),
	    collation_create(c, &t->collations[j_]), {
		    const m_collation *x = &f->collations[i_];
		    const m_collation *y = &t->collations[j_];
		    if (!diff_streq(x->definition, y->definition) && !rc &&
			collation_users(c, x, &users)) {
			    rc = error_set(
				e, EXIT_USAGE,
				"collation %s: changing its definition "
				"is not supported while it is used by %s; "
				"create a new collation and move them "
				"to it",
				diff_qname(c, x->schema, x->name),
				strbuf_str(&users));
		    } else if (!diff_streq(x->definition, y->definition)) {
			    collation_drop(c, x, PH_DROP_CONSTRAINT);
			    collation_create(c, y);
		    } else {
			    const char *q = diff_qname(c, y->schema, y->name);
			    diff_on(
				diff_comment(
				    c,
				    arena_sprintf(&c->arena, "COLLATION %s", q),
				    q, x->comment, y->comment),
				PGO_COLLATION, y->schema, NULL, y->name, NULL);
		    }
	    });
	strbuf_release(&users);
	return rc;
}
