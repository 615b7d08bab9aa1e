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

/* True when index `a` names an enum this plan rebuilds (m_typeuse): it
 * must be gone before the enum's columns are converted (the server
 * would rebuild it with the old type), so it cannot wait beside its
 * replacement. */
static bool names_rebuilt_enum(pgp_ctx *c, const m_index *a)
{
	for (int k = 0; k < c->from->ntype_uses; k++) {
		const m_typeuse *u = &c->from->type_uses[k];
		if (u->kind == 'i' && !strcmp(u->schema, a->schema) &&
		    !strcmp(u->table, a->table) && !strcmp(u->name, a->name) &&
		    find_stmt(c, "rename_type",
			      pgp_qname(c, u->type.schema, u->type.name)) >= 0)
			return true;
	}
	return false;
}

/* The index is on a plain table that stays, in both models. */
static bool swappable(pgp_ctx *c, const m_index *a, const m_index *b)
{
	const char *qt = pgp_qname(c, a->schema, a->table);
	const m_table *t = strmap_get(&c->ifrom.tables, qt);
	const m_table *u = strmap_get(&c->ito.tables, qt);
	/* The same definition is rebuilt only because something it uses
	 * (an operator class, an operator) is made again in between: a
	 * replacement built first would use the old one. */
	return t && u && t->kind == 'r' && u->kind == 'r' &&
	       !strcmp(a->table, b->table) && !pgp_table_is_new(c, qt) &&
	       !names_rebuilt_enum(c, a) &&
	       strcmp(a->definition, b->definition);
}

/* A routine the index calls is dropped and made again between its drop
 * and its creation (diff_fnusers.c): the old index must be gone before
 * that, so it cannot stay while its replacement is built. */
static bool routine_between(pgp_ctx *c, const char *object)
{
	int drop = find_stmt(c, "drop_index", object);
	int create = find_stmt(c, "create_index", object);
	for (int j = drop + 1; drop >= 0 && j < create; j++)
		if (!strcmp(c->fwd.stmts[j].kind, "drop_function"))
			return true;
	return false;
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
	/* `def` may come with its own ";\n" (a reverse statement). */
	size_t l = strlen(on);
	while (l && (on[l - 1] == '\n' || on[l - 1] == ';' || on[l - 1] == ' '))
		l--;
	return pgp_sprintf(c, "%.*sINDEX CONCURRENTLY %s%.*s;\n",
			   (int)(ix - def), def, tmp, (int)l, on);
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
		    find_stmt(c, "create_index", st->object) < 0 ||
		    routine_between(c, st->object))
			return 0;
		return 1;
	}
	if (strcmp(st->kind, "create_index"))
		return 0;
	const m_index *a = strmap_get(&c->ifrom.indexes, st->object);
	const m_index *b = strmap_get(&c->ito.indexes, st->object);
	int drop = find_stmt(c, "drop_index", st->object);
	if (!a || !b || !swappable(c, a, b) || drop < 0 || drop > i ||
	    routine_between(c, st->object))
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

	pgp_build_index(c, "create_index_concurrently", qtmp, qt, build,
			"the new definition, built beside the old "
			"index: queries keep one of the two");
	plan_step *s;
	int n =
	    pgp_step(c, "drop_index_concurrently", st->object, qt,
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

/*
 * A foreign key whose actions or timing change (same columns, same
 * referenced key): the differ drops it early and adds it late, leaving
 * the table unprotected in between. Here the new one is added NOT VALID
 * under a temporary name and validated while the old one still guards
 * writes; then one brief transaction drops the old and renames the new.
 */
static bool same_strings(char **a, int na, char **b, int nb)
{
	if (na != nb)
		return false;
	for (int k = 0; k < na; k++)
		if (strcmp(a[k], b[k]))
			return false;
	return true;
}

/* The referenced key, or the columns on either side, change in this
 * plan: then the old key must go early, as the differ has it. */
static bool fk_disturbed(pgp_ctx *c, const m_table *t, const m_constraint *k)
{
	const char *qt = pgp_qname(c, t->schema, t->name);
	const char *qr = pgp_qname(c, k->ref.schema, k->ref.name);
	for (int j = 0; j < c->fwd.nstmts; j++) {
		const diff_stmt *s = &c->fwd.stmts[j];
		if (!strcmp(s->kind, "alter_column_type") ||
		    !strcmp(s->kind, "drop_column")) {
			for (int n = 0; n < k->ncolumns; n++)
				if (!strcmp(s->object,
					    pgp_sprintf(
						c, "%s.%s", qt,
						pgp_ident(c, k->columns[n]))))
					return true;
			for (int n = 0; n < k->nref_columns; n++)
				if (!strcmp(
					s->object,
					pgp_sprintf(
					    c, "%s.%s", qr,
					    pgp_ident(c, k->ref_columns[n]))))
					return true;
		}
		if (!strcmp(s->kind, "drop_constraint") ||
		    !strcmp(s->kind, "drop_index") ||
		    !strcmp(s->kind, "drop_table")) {
			const pgp_con *pc =
			    strmap_get(&c->ifrom.cons, s->object);
			if (pc && pc->con->kind != M_CON_FOREIGN &&
			    !strcmp(pc->table->name, k->ref.name) &&
			    !strcmp(pc->table->schema, k->ref.schema))
				return true;
			const m_index *ix =
			    strmap_get(&c->ifrom.indexes, s->object);
			if (ix && ix->unique &&
			    !strcmp(ix->table, k->ref.name) &&
			    !strcmp(ix->schema, k->ref.schema))
				return true;
			if (!strcmp(s->object, qr))
				return true;
		}
	}
	return false;
}

static bool fk_swappable(pgp_ctx *c, const char *object, const pgp_con **a,
			 const pgp_con **b)
{
	*a = strmap_get(&c->ifrom.cons, object);
	*b = strmap_get(&c->ito.cons, object);
	if (!*a || !*b || (*a)->con->kind != M_CON_FOREIGN ||
	    (*b)->con->kind != M_CON_FOREIGN)
		return false;
	const m_constraint *x = (*a)->con, *y = (*b)->con;
	const char *qt = pgp_qname(c, (*a)->table->schema, (*a)->table->name);
	return (*a)->table->kind == 'r' && !pgp_table_is_new(c, qt) &&
	       same_strings(x->columns, x->ncolumns, y->columns, y->ncolumns) &&
	       same_strings(x->ref_columns, x->nref_columns, y->ref_columns,
			    y->nref_columns) &&
	       !strcmp(x->ref.schema, y->ref.schema) &&
	       !strcmp(x->ref.name, y->ref.name) &&
	       !fk_disturbed(c, (*a)->table, x);
}

int pgp_strategy_fk_swap(pgp_ctx *c, int i, error *e)
{
	(void)e;
	const diff_stmt *st = &c->fwd.stmts[i];
	const pgp_con *a, *b;
	if (!strcmp(st->kind, "drop_constraint"))
		return fk_swappable(c, st->object, &a, &b) &&
		       find_stmt(c, "add_constraint", st->object) > i;
	if (strcmp(st->kind, "add_constraint"))
		return 0;
	int drop = find_stmt(c, "drop_constraint", st->object);
	if (drop < 0 || drop > i || !fk_swappable(c, st->object, &a, &b))
		return 0;
	const m_table *t = a->table;
	const char *qt = pgp_qname(c, t->schema, t->name);
	const char *qk = pgp_ident(c, a->con->name);
	char tmpname[64];
	snprintf(tmpname, sizeof(tmpname), "%.48s_schemig_new", a->con->name);
	const char *qtmp = pgp_ident(c, tmpname);
	bool tx;
	(void)pgp_rollback_of(c, drop, &tx);
	(void)pgp_rollback_of(c, i, &tx);

	int n = pgp_step(c, "add_foreign_key_not_valid",
			 pgp_sprintf(c, "%s.%s", qt, qtmp), qt,
			 pgp_sprintf(c,
				     "ALTER TABLE %s ADD CONSTRAINT %s %s NOT "
				     "VALID;\n",
				     qt, qtmp, b->con->definition),
			 "SHARE ROW EXCLUSIVE", HZ_BLOCKS_WRITES)
		    ->n;
	at(c, n)->note = plan_str(c->p, "the new definition beside the old "
					"one, which keeps guarding writes");
	plan_step_set_rollback(
	    c->p, at(c, n),
	    pgp_sprintf(c, "ALTER TABLE %s DROP CONSTRAINT IF EXISTS %s;\n", qt,
			qtmp));
	n = pgp_step(c, "validate_constraint",
		     pgp_sprintf(c, "%s.%s", qt, qtmp), qt,
		     pgp_sprintf(c, "ALTER TABLE %s VALIDATE CONSTRAINT %s;\n",
				 qt, qtmp),
		     "SHARE UPDATE EXCLUSIVE", HZ_TABLE_SCAN)
		->n;
	at(c, n)->scans = true;
	at(c, n)->est_lock_ms = pgp_est_ms(c, qt, 1);
	plan_step_set_no_rollback(c->p, at(c, n),
				  "nothing to undo: validation only reads");
	n = pgp_step(c, "swap_constraint", st->object, qt,
		     pgp_sprintf(c,
				 "ALTER TABLE %s DROP CONSTRAINT %s;\n"
				 "ALTER TABLE %s RENAME CONSTRAINT %s TO %s;\n",
				 qt, qk, qt, qtmp, qk),
		     "ACCESS EXCLUSIVE", HZ_ACCESS_EXCLUSIVE_LOCK)
		->n;
	at(c, n)->note =
	    plan_str(c->p, "the validated new key takes the old one's name");
	plan_step_set_rollback(
	    c->p, at(c, n),
	    pgp_sprintf(c,
			"ALTER TABLE %s RENAME CONSTRAINT %s TO %s;\n"
			"ALTER TABLE %s ADD CONSTRAINT %s %s;\n",
			qt, qk, qtmp, qt, qk, a->con->definition));
	return 1;
}
