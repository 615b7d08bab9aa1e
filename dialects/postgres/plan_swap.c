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

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* The first forward statement of `kind` about the object named so. */
static int find_named(pgp_ctx *c, int kind, const char *schema,
		      const char *table, const char *name)
{
	for (int j = 0; j < c->fwd.nstmts; j++) {
		const change_object *o = &c->fwd.stmts[j].obj;
		if (c->fwd.stmts[j].change == kind && same(o->schema, schema) &&
		    same(o->table, table) && same(o->name, name))
			return j;
	}
	return -1;
}

/* The first forward statement of `kind` about the object of `st`. */
static int find_stmt(pgp_ctx *c, int kind, const diff_stmt *st)
{
	for (int j = 0; j < c->fwd.nstmts; j++)
		if (c->fwd.stmts[j].change == kind &&
		    pgp_same_object(&c->fwd.stmts[j], st))
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
		    find_named(c, PGC_RENAME_TYPE, u->type.schema, NULL,
			       u->type.name) >= 0)
			return true;
	}
	return false;
}

/* The index is on a plain table that stays, in both models. */
static bool swappable(pgp_ctx *c, const m_index *a, const m_index *b)
{
	const char *qt = pgp_qname(c, a->schema, a->table);
	const m_table *t = model_find_table(c->from, a->schema, a->table);
	const m_table *u = model_find_table(c->to, a->schema, a->table);
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
static bool routine_between(pgp_ctx *c, const diff_stmt *st)
{
	int drop = find_stmt(c, CHANGE_DROP_INDEX, st);
	int create = find_stmt(c, CHANGE_CREATE_INDEX, st);
	for (int j = drop + 1; drop >= 0 && j < create; j++)
		if (c->fwd.stmts[j].change == CHANGE_DROP_FUNCTION)
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
	if (st->change == CHANGE_DROP_INDEX) {
		/* Kept until its replacement is built (at the create). */
		const m_index *a = st->before.obj, *b = st->after.obj;
		if (!a || !b || !swappable(c, a, b) ||
		    find_stmt(c, CHANGE_CREATE_INDEX, st) < 0 ||
		    routine_between(c, st))
			return 0;
		return 1;
	}
	if (st->change != CHANGE_CREATE_INDEX)
		return 0;
	const m_index *a = st->before.obj, *b = st->after.obj;
	int drop = find_stmt(c, CHANGE_DROP_INDEX, st);
	if (!a || !b || !swappable(c, a, b) || drop < 0 || drop > i ||
	    routine_between(c, st))
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
		s->hazards |= HZ_IRREVERSIBLE;
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
/* Statement `s` is about one of the `n` columns `cols` of table
 * schema.table. */
static bool on_columns(const diff_stmt *s, const char *schema,
		       const char *table, char **cols, int n)
{
	if (s->obj.kind != CHANGE_OBJ_COLUMN || !same(s->obj.schema, schema) ||
	    !same(s->obj.table, table))
		return false;
	for (int k = 0; k < n; k++)
		if (same(s->obj.name, cols[k]))
			return true;
	return false;
}

static bool fk_disturbed(pgp_ctx *c, const m_table *t, const m_constraint *k)
{
	for (int j = 0; j < c->fwd.nstmts; j++) {
		const diff_stmt *s = &c->fwd.stmts[j];
		if ((s->change == CHANGE_ALTER_COLUMN_TYPE ||
		     s->change == CHANGE_DROP_COLUMN) &&
		    (on_columns(s, t->schema, t->name, k->columns,
				k->ncolumns) ||
		     on_columns(s, k->ref.schema, k->ref.name, k->ref_columns,
				k->nref_columns)))
			return true;
		if (s->change != CHANGE_DROP_CONSTRAINT &&
		    s->change != CHANGE_DROP_INDEX &&
		    s->change != CHANGE_DROP_TABLE)
			continue;
		const m_table *st = s->before.parent;
		const m_constraint *con =
		    s->obj.kind == CHANGE_OBJ_CONSTRAINT ? s->before.obj : NULL;
		if (con && con->kind != M_CON_FOREIGN &&
		    !strcmp(st->name, k->ref.name) &&
		    !strcmp(st->schema, k->ref.schema))
			return true;
		const m_index *ix =
		    s->obj.kind == CHANGE_OBJ_INDEX ? s->before.obj : NULL;
		if (ix && ix->unique && !strcmp(ix->table, k->ref.name) &&
		    !strcmp(ix->schema, k->ref.schema))
			return true;
		if (s->obj.kind == CHANGE_OBJ_TABLE &&
		    same(s->obj.schema, k->ref.schema) &&
		    same(s->obj.name, k->ref.name))
			return true;
	}
	return false;
}

/* The foreign key of `st` in both models, on its table in the source. */
static bool fk_swappable(pgp_ctx *c, const diff_stmt *st,
			 const m_constraint **a, const m_constraint **b)
{
	if (st->obj.kind != CHANGE_OBJ_CONSTRAINT)
		return false;
	*a = st->before.obj;
	*b = st->after.obj;
	if (!*a || !*b || (*a)->kind != M_CON_FOREIGN ||
	    (*b)->kind != M_CON_FOREIGN)
		return false;
	const m_constraint *x = *a, *y = *b;
	const m_table *t = st->before.parent;
	const char *qt = pgp_qname(c, t->schema, t->name);
	return t->kind == 'r' && !pgp_table_is_new(c, qt) &&
	       same_strings(x->columns, x->ncolumns, y->columns, y->ncolumns) &&
	       same_strings(x->ref_columns, x->nref_columns, y->ref_columns,
			    y->nref_columns) &&
	       !strcmp(x->ref.schema, y->ref.schema) &&
	       !strcmp(x->ref.name, y->ref.name) && !fk_disturbed(c, t, x);
}

int pgp_strategy_fk_swap(pgp_ctx *c, int i, error *e)
{
	(void)e;
	const diff_stmt *st = &c->fwd.stmts[i];
	const m_constraint *a, *b;
	if (st->change == CHANGE_DROP_CONSTRAINT)
		return fk_swappable(c, st, &a, &b) &&
		       find_stmt(c, CHANGE_ADD_CONSTRAINT, st) > i;
	if (st->change != CHANGE_ADD_CONSTRAINT)
		return 0;
	int drop = find_stmt(c, CHANGE_DROP_CONSTRAINT, st);
	if (drop < 0 || drop > i || !fk_swappable(c, st, &a, &b))
		return 0;
	const m_table *t = st->before.parent;
	const char *qt = pgp_qname(c, t->schema, t->name);
	const char *qk = pgp_ident(c, a->name);
	char tmpname[64];
	snprintf(tmpname, sizeof(tmpname), "%.48s_schemig_new", a->name);
	const char *qtmp = pgp_ident(c, tmpname);
	bool tx;
	(void)pgp_rollback_of(c, drop, &tx);
	(void)pgp_rollback_of(c, i, &tx);

	int n = pgp_step(c, "add_foreign_key_not_valid",
			 pgp_sprintf(c, "%s.%s", qt, qtmp), qt,
			 pgp_sprintf(c,
				     "ALTER TABLE %s ADD CONSTRAINT %s %s NOT "
				     "VALID;\n",
				     qt, qtmp, b->definition),
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
			qt, qk, qtmp, qt, qk, a->definition));
	return 1;
}
