/*
 * New bounds for an identity column's sequence (ALTER COLUMN ... SET
 * MINVALUE / SET MAXVALUE): the server refuses them when the sequence
 * already stands outside ("RESTART value (50) cannot be greater than
 * MAXVALUE (10)"). Only the data says so: each such step gets a data
 * check, run on a live source like the others (plan_checks.c).
 */
#include <inttypes.h>
#include <string.h>

#include "identity.h"
#include "plan_internal.h"

/* The step whose forward SQL holds `sql`, or 0. */
static int step_of(const plan *p, const char *sql)
{
	for (int i = 0; i < p->nsteps; i++)
		if (p->steps[i].forward && strstr(p->steps[i].forward, sql))
			return i + 1;
	return 0;
}

void pgp_check_identity_bounds(pgp_ctx *c)
{
	for (int i = 0; i < c->fwd.nstmts; i++) {
		const diff_stmt *d = &c->fwd.stmts[i];
		const m_column *col = d->after.obj;
		const m_table *t = d->after.parent;
		if (d->change != PGC_SET_IDENTITY_OPTIONS || !col || !t)
			continue;
		int n = step_of(c->p, d->sql);
		if (!n)
			continue;
		m_sequence q = {0};
		pg_identity_values(col->type, col->identity_options, &q);
		plan_check *k = plan_add_check(c->p, PLAN_CHECK_SEQUENCE, n,
					       t->schema, t->name);
		plan_check_add_column(c->p, k, col->name);
		k->expr = plan_str(c->p, pgp_sprintf(c,
						     "MINVALUE %" PRId64
						     " MAXVALUE %" PRId64,
						     q.min, q.max));
	}
}
