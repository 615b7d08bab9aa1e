/*
 * REPLICA IDENTITY: what a table's UPDATE and DELETE log of the old row
 * for logical replication (model.h, m_table.replica_identity).
 *
 * ALTER TABLE ... REPLICA IDENTITY takes ACCESS EXCLUSIVE on the table
 * (and SHARE on the index for USING INDEX): seen in pg_locks on
 * PostgreSQL 15 inside the statement's transaction. The planner's default
 * for an ALTER of a table is that lock already.
 *
 * Ordering. USING INDEX needs its index: the statement goes after every
 * index and unique or primary key is made (PH_FK, after PH_CONSTRAINT).
 * Any other identity goes before the indexes and constraints are dropped
 * (PH_DROP_CONSTRAINT, generated before diff_indexes.c's drops, which the
 * phase keeps in generation order), so an index that stops being the
 * identity is released first. When the identity moves from an index that
 * is dropped to one that is made, the old one goes first: in between,
 * the server logs old rows as for NOTHING, which no single statement can
 * avoid (the new index does not exist yet, the old one is gone after).
 */
#include "pg.h"

#include <string.h>

#include "diff_internal.h"

static const m_index *find_index(const model *m, const char *schema,
				 const char *name)
{
	for (int i = 0; i < m->nindexes; i++)
		if (!strcmp(m->indexes[i].schema, schema) &&
		    !strcmp(m->indexes[i].name, name))
			return &m->indexes[i];
	return NULL;
}

/* The identity index of `b` is dropped and made again by this diff (its
 * definition, or its constraint's, changes; or the table's columns are
 * dropped and added again): the new one is not the identity until told. */
static bool index_remade(diff_ctx *c, const m_table *a, const m_table *b)
{
	const char *n = b->replica_index;
	if (diff_set_has(&c->cols, diff_key(c, "rel", a->schema, a->name)))
		return true;
	const m_index *x = find_index(c->from, a->schema, n),
		      *y = find_index(c->to, b->schema, n);
	if (x && y)
		return !diff_streq(x->definition, y->definition);
	const m_constraint *kx = model_table_find_constraint(a, n),
			   *ky = model_table_find_constraint(b, n);
	if (kx && ky)
		return kx->kind != ky->kind ||
		       !diff_streq(kx->definition, ky->definition);
	/* An index became a constraint or the other way round. */
	return (x || kx) != (y || ky) || (x && ky) || (kx && y);
}

static const char *identity_clause(diff_ctx *c, const m_table *t)
{
	switch (t->replica_identity) {
	case 'f':
		return "FULL";
	case 'n':
		return "NOTHING";
	case 'i': {
		strbuf sb = STRBUF_INIT;
		strbuf_adds(&sb, "USING INDEX ");
		pg_quote_ident(&sb, t->replica_index ? t->replica_index : "");
		const char *s = arena_strdup(&c->arena, strbuf_str(&sb));
		strbuf_release(&sb);
		return s;
	}
	default:
		return "DEFAULT";
	}
}

void diff_replica_identity(diff_ctx *c, const m_table *a, const m_table *b)
{
	bool same = a ? a->replica_identity == b->replica_identity &&
			    diff_streq(a->replica_index, b->replica_index)
		      : !b->replica_identity;
	bool remade = a && same && b->replica_identity == 'i' &&
		      b->replica_index && index_remade(c, a, b);
	if (same && !remade)
		return;
	bool uses_index = b->replica_identity == 'i';
	/* A new table's FULL or NOTHING comes right after it (the drops'
	 * phase would be before its creation). */
	int phase = uses_index ? PH_FK : a ? PH_DROP_CONSTRAINT : PH_TABLE;
	const char *q = diff_qname(c, b->schema, b->name);
	diff_item *it = diff_on(
	    diff_emit(c, phase, PGC_ALTER_REPLICA_IDENTITY, q,
		      arena_sprintf(&c->arena,
				    "ALTER TABLE %s REPLICA IDENTITY %s", q,
				    identity_clause(c, b))),
	    0, b->schema, NULL, b->name, NULL);
	if (!a)
		diff_need(c, it, diff_rel_key(c, b->schema, b->name));
}

bool diff_replica_drop_late(diff_ctx *c, const m_index *ix)
{
	const m_table *a = model_find_table(c->from, ix->schema, ix->table);
	const m_table *b = model_find_table(c->to, ix->schema, ix->table);
	if (!a || !b || a->replica_identity != 'i' || !a->replica_index ||
	    strcmp(a->replica_index, ix->name) || b->replica_identity != 'i' ||
	    diff_streq(b->replica_index, ix->name))
		return false;
	/* Another relation of that name made in its place (a constraint's
	 * index) needs the name free first. */
	if (model_table_find_constraint(b, ix->name) ||
	    find_index(c->to, ix->schema, ix->name))
		return false;
	/* A column of it that is dropped takes the index along, before a
	 * late DROP INDEX would run. By name in the definition: a false
	 * match only keeps the early drop. */
	for (int i = 0; i < a->ncolumns; i++)
		if (!model_table_find_column(b, a->columns[i].name) &&
		    strstr(ix->definition, a->columns[i].name))
			return false;
	return true;
}
