/*
 * A new PRIMARY KEY or UNIQUE key that takes over an existing unique
 * index (ADD CONSTRAINT ... USING INDEX, pg_key_reuses_index): one step,
 * no build and no scan, with a rollback that gives the index back.
 */
#include <string.h>

#include "../../util/strbuf.h"
#include "pg.h"
#include "plan_internal.h"

/* A key that takes over an existing unique index (pg_key_reuses_index):
 * no build and no scan (uniqueness is enforced already), a brief lock.
 * Undone by dropping the key, which drops the index, and building the
 * index again. */
int pgp_key_reuse_index(pgp_ctx *c, int i, const m_table *t,
			const m_constraint *k, const m_index *ix)
{
	const char *qt = pgp_qname(c, t->schema, t->name);
	plan_step *step =
	    pgp_step(c, "add_constraint_using_index", c->fwd.stmts[i].object,
		     qt, pgp_sprintf(c, "%s;\n", c->fwd.stmts[i].sql),
		     "ACCESS EXCLUSIVE", HZ_ACCESS_EXCLUSIVE_LOCK);
	int a = step->n;
	step->note =
	    plan_str(c->p, "takes over the existing unique index: no scan");
	/* The source's foreign keys that the index backs come to depend on
	 * the key: they step aside while it goes and the index is built
	 * again. */
	strbuf pre = STRBUF_INIT, post = STRBUF_INIT;
	for (int ti = 0; ti < c->from->ntables; ti++) {
		const m_table *ct = &c->from->tables[ti];
		for (int ki = 0; ki < ct->nconstraints; ki++) {
			const m_constraint *fk = &ct->constraints[ki];
			if (fk->kind != M_CON_FOREIGN || !fk->ref.schema ||
			    strcmp(fk->ref.schema, t->schema) ||
			    strcmp(fk->ref.name, t->name) ||
			    !pg_same_column_set(fk->ref_columns,
						fk->nref_columns, k->columns,
						k->ncolumns))
				continue;
			const char *qc = pgp_qname(c, ct->schema, ct->name);
			const char *qf = pgp_ident(c, fk->name);
			strbuf_addf(&pre,
				    "ALTER TABLE %s DROP CONSTRAINT %s;\n", qc,
				    qf);
			strbuf_addf(&post,
				    "ALTER TABLE %s ADD CONSTRAINT %s %s%s;\n",
				    qc, qf, fk->definition,
				    fk->not_valid ? " NOT VALID" : "");
		}
	}
	plan_step_set_rollback(
	    c->p, step,
	    pgp_sprintf(c, "%sALTER TABLE %s DROP CONSTRAINT %s;\n%s;\n%s",
			strbuf_str(&pre), qt, pgp_ident(c, k->name),
			ix->definition, strbuf_str(&post)));
	strbuf_release(&pre);
	strbuf_release(&post);
	/* A primary key also rejects NULLs, which the index let in: asked
	 * of the source for the columns it has. */
	const m_table *src = model_find_table(c->from, t->schema, t->name);
	bool ask = k->kind == M_CON_PRIMARY && src;
	for (int j = 0; ask && j < k->ncolumns; j++)
		ask = model_table_find_column(src, k->columns[j]) != NULL;
	for (int j = 0; ask && j < k->ncolumns; j++) {
		plan_check *nn = plan_add_check(c->p, PLAN_CHECK_NOT_NULL, a,
						t->schema, t->name);
		plan_check_add_column(c->p, nn, k->columns[j]);
	}
	return 1;
}
