/*
 * What must step aside while a routine is dropped and made again (its
 * result type, kind or argument names change): PostgreSQL refuses to
 * drop a routine that a column default, a constraint (CHECK, EXCLUDE),
 * an expression index or a generated column uses. Views are re-created
 * by diff_views.c (calls_refn); this file takes care of the rest.
 *
 * A default, constraint or index is dropped in the phase of the
 * routine's drop, before it (it provides the "fnuser" key fn_drop
 * needs), and marked, so that diff_tables.c and diff_indexes.c do not
 * drop it again and make it again (in phases 30-40, after the routine
 * is made) when the desired schema still has it. A generated column
 * cannot step aside: ALTER COLUMN ... DROP EXPRESSION keeps the values
 * and there is no way to put the expression back without rewriting the
 * column, so the diff fails and names it.
 */
#include "pg.h"

#include "diff_internal.h"

static diff_item *early(diff_ctx *c, const m_function *a, int kind,
			const char *object, const char *sql)
{
	diff_item *it = diff_emit(c, PH_DROP_FUNCTION_EARLY, kind, object, sql);
	diff_provide(
	    c, it,
	    diff_key3(c, "fnuser", a->schema, a->name, a->identity_args));
	return it;
}

static void table_users(diff_ctx *c, const m_function *a, const m_table *t,
			strbuf *refused)
{
	const char *q = diff_qname(c, t->schema, t->name);
	strbuf sb = STRBUF_INIT;
	for (int i = 0; i < t->ncolumns; i++) {
		const m_column *col = &t->columns[i];
		const char *cq = diff_qname3(c, t->schema, t->name, col->name);
		if (diff_calls(col->generated_expr, a->name)) {
			strbuf_addf(refused, "%sgenerated column %s",
				    refused->len ? ", " : "", cq);
			continue;
		}
		if (!diff_calls(col->default_expr, a->name))
			continue;
		strbuf_reset(&sb);
		strbuf_addf(&sb, "ALTER TABLE %s ALTER COLUMN ", q);
		pg_quote_ident(&sb, col->name);
		strbuf_adds(&sb, " DROP DEFAULT");
		diff_on(early(c, a, CHANGE_DROP_DEFAULT, cq, strbuf_str(&sb)),
			CHANGE_OBJ_COLUMN, t->schema, t->name, col->name, NULL);
		diff_set_add(
		    c, &c->recreated,
		    diff_key3(c, "usedef", t->schema, t->name, col->name));
	}
	for (int i = 0; i < t->nconstraints; i++) {
		const m_constraint *k = &t->constraints[i];
		if (!diff_calls(k->definition, a->name))
			continue;
		strbuf_reset(&sb);
		strbuf_addf(&sb, "ALTER TABLE %s DROP CONSTRAINT ", q);
		pg_quote_ident(&sb, k->name);
		diff_on(early(c, a, CHANGE_DROP_CONSTRAINT,
			      diff_qname3(c, t->schema, t->name, k->name),
			      strbuf_str(&sb)),
			CHANGE_OBJ_CONSTRAINT, t->schema, t->name, k->name,
			NULL);
		diff_set_add(
		    c, &c->recreated,
		    diff_key3(c, "usecon", t->schema, t->name, k->name));
	}
	strbuf_release(&sb);
}

int diff_fn_users(diff_ctx *c, const m_function *a, const m_function *b,
		  error *e)
{
	const model *f = c->from;
	strbuf refused = STRBUF_INIT;
	for (int i = 0; i < f->ntables; i++)
		table_users(c, a, &f->tables[i], &refused);
	for (int i = 0; i < f->nindexes; i++) {
		const m_index *ix = &f->indexes[i];
		if (!diff_calls(ix->definition, a->name))
			continue;
		const char *q = diff_qname(c, ix->schema, ix->name);
		diff_on(early(c, a, CHANGE_DROP_INDEX, q,
			      arena_sprintf(&c->arena, "DROP INDEX %s", q)),
			CHANGE_OBJ_INDEX, ix->schema, ix->table, ix->name,
			NULL);
		diff_set_add(c, &c->recreated,
			     diff_key(c, "useidx", ix->schema, ix->name));
	}
	int rc = 0;
	if (refused.len) {
		strbuf sb = STRBUF_INIT;
		pg_quote_qualified(&sb, a->schema, a->name);
		rc = error_set(
		    e, EXIT_USAGE,
		    "%s(%s) must be dropped and created again (result %s -> "
		    "%s), but %s uses it, and a generation expression cannot "
		    "be taken away and put back; change the function and the "
		    "column in two migrations",
		    strbuf_str(&sb), a->identity_args ? a->identity_args : "",
		    a->result ? a->result : "none",
		    b->result ? b->result : "none", strbuf_str(&refused));
		strbuf_release(&sb);
	}
	strbuf_release(&refused);
	return rc;
}
