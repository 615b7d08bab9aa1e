/*
 * Redefined indexes: the differ drops the old index early and creates
 * the new one late, which leaves the table without it in between (and
 * builds the new one while nothing serves its queries). Here the new
 * definition is built first, CONCURRENTLY, under a temporary name; then
 * the old index is dropped CONCURRENTLY and the new one takes its name.
 * Queries always have one of the two.
 */
#include <stdio.h>
#include <string.h>

#include "pg.h"
#include "plan_internal.h"

static plan_step *at(pgp_ctx *c, int n)
{
	return &c->p->steps[n - 1];
}

static void mark_done(pgp_ctx *c, int j)
{
	char key[32];
	snprintf(key, sizeof(key), "#%d", j);
	strmap_put(&c->done, key, NULL);
}

static int find_stmt(pgp_ctx *c, const char *kind, const char *object)
{
	for (int j = 0; j < c->fwd.nstmts; j++)
		if (!strcmp(c->fwd.stmts[j].kind, kind) &&
		    !strcmp(c->fwd.stmts[j].object, object))
			return j;
	return -1;
}

/* The index is on a plain table that stays, in both models. */
static bool swappable(pgp_ctx *c, const m_index *a, const m_index *b)
{
	const char *qt = pgp_qname(c, a->schema, a->table);
	const m_table *t = strmap_get(&c->ifrom.tables, qt);
	const m_table *u = strmap_get(&c->ito.tables, qt);
	return t && u && t->kind == 'r' && u->kind == 'r' &&
	       !strcmp(a->table, b->table) && !pgp_table_is_new(c, qt);
}

/* "CREATE [UNIQUE] INDEX name ON ..." as CONCURRENTLY, named `tmp`. */
static const char *build_as(pgp_ctx *c, const char *def, const char *name,
			    const char *tmp)
{
	const char *ix = strstr(def, "INDEX ");
	const char *on = strstr(def, " ON ");
	if (!ix || !on)
		return NULL;
	(void)name;
	return pgp_sprintf(c, "%.*sINDEX CONCURRENTLY %s%s;\n", (int)(ix - def),
			   def, tmp, on);
}

int pgp_strategy_index_swap(pgp_ctx *c, int i, error *e)
{
	(void)e;
	const diff_stmt *st = &c->fwd.stmts[i];
	if (!strcmp(st->kind, "drop_index")) {
		/* Kept until its replacement is built (at the create). */
		const m_index *a = strmap_get(&c->ifrom.indexes, st->object);
		const m_index *b = strmap_get(&c->ito.indexes, st->object);
		if (!a || !b || !swappable(c, a, b) ||
		    find_stmt(c, "create_index", st->object) < 0)
			return 0;
		return 1;
	}
	if (strcmp(st->kind, "create_index"))
		return 0;
	const m_index *a = strmap_get(&c->ifrom.indexes, st->object);
	const m_index *b = strmap_get(&c->ito.indexes, st->object);
	int drop = find_stmt(c, "drop_index", st->object);
	if (!a || !b || !swappable(c, a, b) || drop < 0 || drop > i)
		return 0;

	const char *qt = pgp_qname(c, b->schema, b->table);
	char tmpname[64];
	snprintf(tmpname, sizeof(tmpname), "%.48s_schemig_new", b->name);
	const char *qtmp = pgp_qname(c, b->schema, tmpname);
	const char *build =
	    build_as(c, st->sql, b->name, pgp_ident(c, tmpname));
	if (!build)
		return 0;
	bool tx;
	const char *old_create = pgp_rollback_of(c, drop, &tx);
	(void)pgp_rollback_of(c, i, &tx);

	int n =
	    pgp_step(
		c, "drop_invalid_index", qtmp, qt,
		pgp_sprintf(c, "DROP INDEX CONCURRENTLY IF EXISTS %s;\n", qtmp),
		"SHARE UPDATE EXCLUSIVE", HZ_NOT_TRANSACTIONAL)
		->n;
	at(c, n)->transactional = false;
	plan_step_set_no_rollback(c->p, at(c, n),
				  "nothing to undo: only removes a leftover of "
				  "an earlier failed attempt");
	n = pgp_step(c, "create_index_concurrently", qtmp, qt, build,
		     "SHARE UPDATE EXCLUSIVE",
		     HZ_INDEX_BUILD | HZ_NOT_TRANSACTIONAL | HZ_TABLE_SCAN)
		->n;
	plan_step *s = at(c, n);
	s->transactional = false;
	s->scans = true;
	s->est_lock_ms = pgp_est_ms(c, qt, 2);
	s->note = plan_str(c->p, "the new definition, built beside the old "
				 "index: queries keep one of the two");
	plan_step_set_rollback(
	    c->p, s,
	    pgp_sprintf(c, "DROP INDEX CONCURRENTLY IF EXISTS %s;\n", qtmp));
	s->rollback_transactional = false;

	n = pgp_step(c, "drop_index_concurrently", st->object, qt,
		     pgp_sprintf(c, "DROP INDEX CONCURRENTLY IF EXISTS %s;\n",
				 st->object),
		     "SHARE UPDATE EXCLUSIVE", HZ_NOT_TRANSACTIONAL)
		->n;
	s = at(c, n);
	s->transactional = false;
	const char *rebuild =
	    old_create ? build_as(c, old_create, a->name, pgp_ident(c, a->name))
		       : NULL;
	if (rebuild && !strstr(strstr(old_create, ";\n") + 2, ";")) {
		plan_step_set_rollback(c->p, s, rebuild);
		s->rollback_transactional = false;
	} else if (old_create) {
		plan_step_set_rollback(c->p, s, old_create);
	} else {
		plan_step_set_no_rollback(c->p, s, "no reverse statement");
	}

	n = pgp_step(c, "rename_index", st->object, qt,
		     pgp_sprintf(c, "ALTER INDEX %s RENAME TO %s;\n", qtmp,
				 pgp_ident(c, b->name)),
		     "SHARE UPDATE EXCLUSIVE", 0)
		->n;
	at(c, n)->note = plan_str(c->p, "the new index takes the old name");
	plan_step_set_rollback(c->p, at(c, n),
			       pgp_sprintf(c, "ALTER INDEX %s RENAME TO %s;\n",
					   st->object, pgp_ident(c, tmpname)));
	mark_done(c, drop);
	return 1;
}
