/*
 * Planning a table rebuild (diff_partition.c: a partitioning change, or
 * a column order made to match with --strict-column-order).
 *
 * The rebuild is one step in one transaction, together with what must
 * not be missing between the old table and the new one: the foreign
 * keys that reference it are dropped in it and added back, the new
 * table's indexes, keys, triggers, policies, grants and comments are
 * made in it (the views that read it join it through plan_views.c). Its
 * rollback is the same group of the reverse diff, which rebuilds the
 * table the other way. It holds an ACCESS EXCLUSIVE lock for the copy:
 * the step says so, with the time the copy is estimated to take.
 *
 * A partition detached to a plain table is detached CONCURRENTLY on
 * PostgreSQL 14 and later (not in a transaction block; the server
 * refuses it while the parent has a default partition).
 */
#include <string.h>

#include "pg.h"
#include "plan_internal.h"

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Is (schema, name) the rebuilt table or one of its partitions, in
 * either model? */
static bool of_table(const model *m1, const model *m2, const char *schema,
		     const char *name, const diff_stmt *r)
{
	for (int pass = 0; pass < 2; pass++) {
		const model *m = pass ? m2 : m1;
		const m_table *t = model_find_table(m, schema, name);
		for (int depth = 0; t && depth < 32; depth++) {
			if (same(t->schema, r->obj.schema) &&
			    same(t->name, r->obj.name))
				return true;
			if (!t->parent.schema)
				break;
			t = model_find_table(m, t->parent.schema,
					     t->parent.name);
		}
	}
	return false;
}

/* A foreign key (either side of statement `s`) that references the
 * rebuilt table. */
static bool fk_to(const diff_stmt *s, const diff_stmt *r)
{
	if (s->obj.kind != CHANGE_OBJ_CONSTRAINT)
		return false;
	for (int side = 0; side < 2; side++) {
		const m_constraint *k = side ? s->after.obj : s->before.obj;
		if (k && k->kind == M_CON_FOREIGN &&
		    same(k->ref.schema, r->obj.schema) &&
		    same(k->ref.name, r->obj.name))
			return true;
	}
	return false;
}

/* A sequence (either side of `s`) owned by a column of the rebuilt
 * table: it is made before the new table that uses it, or goes after
 * the old one, in the same step. */
static bool owned_seq(const model *m1, const model *m2, const diff_stmt *s,
		      const diff_stmt *r)
{
	if (s->obj.kind != CHANGE_OBJ_SEQUENCE)
		return false;
	for (int side = 0; side < 2; side++) {
		const m_sequence *q = side ? s->after.obj : s->before.obj;
		if (q && q->owner.schema &&
		    of_table(m1, m2, q->owner.schema, q->owner.name, r))
			return true;
	}
	return false;
}

static const m_statistics *stats_of(const model *m, const diff_stmt *s)
{
	for (int i = 0; i < m->nstatistics; i++)
		if (same(m->statistics[i].schema, s->obj.schema) &&
		    same(m->statistics[i].name, s->obj.name))
			return &m->statistics[i];
	return NULL;
}

/* Does statement `j` of `d` belong to the rebuild `r` (statement `ri`)?
 * Before it: the drops of the foreign keys that reference the table and
 * of its own. After it: what the new table is made with. Either: the
 * sequences its columns own. */
static bool member(const model *m1, const model *m2, const diff_result *d,
		   int j, int ri)
{
	const diff_stmt *s = &d->stmts[j], *r = &d->stmts[ri];
	if (j == ri)
		return true;
	if (owned_seq(m1, m2, s, r))
		return true;
	if (j < ri)
		return s->change == CHANGE_DROP_CONSTRAINT &&
		       (fk_to(s, r) ||
			(s->obj.table &&
			 of_table(m1, m2, s->obj.schema, s->obj.table, r)));
	switch (s->change) {
	case CHANGE_ADD_CONSTRAINT:
	case CHANGE_VALIDATE_CONSTRAINT:
		if (fk_to(s, r))
			return true;
		break;
	case CHANGE_CREATE_INDEX:
	case CHANGE_CREATE_TRIGGER:
	case CHANGE_COMMENT:
	case CHANGE_GRANT:
	case PGC_ALTER_TRIGGER:
	case PGC_CREATE_POLICY:
	case PGC_CREATE_STATISTICS:
	case PGC_ENABLE_RLS:
	case PGC_FORCE_RLS:
	case PGC_ALTER_REPLICA_IDENTITY:
		break;
	default:
		return false;
	}
	const char *schema = s->obj.schema;
	const char *table = s->obj.table ? s->obj.table : s->obj.name;
	/* A statistics object is named on its own (by name only in the
	 * change): its table is in either model's. */
	if (s->obj.kind == PGO_STATISTICS) {
		const m_statistics *st = stats_of(m1, s);
		if (!st)
			st = stats_of(m2, s);
		schema = st ? st->table_schema : NULL;
		table = st ? st->table : NULL;
	}
	return schema && table && of_table(m1, m2, schema, table, r);
}

static void mark_done(pgp_ctx *c, int j)
{
	char key[32];
	snprintf(key, sizeof(key), "#%d", j);
	strmap_put(&c->done, key, NULL);
}

/* Does statement `j` of `d` belong to any rebuild of `d`? */
static bool in_group(const model *m1, const model *m2, const diff_result *d,
		     int j)
{
	for (int r = 0; r < d->nstmts; r++)
		if (d->stmts[r].change == PGC_REBUILD_TABLE &&
		    member(m1, m2, d, j, r))
			return true;
	return false;
}

/* The first rebuild of the forward diff, or -1. */
static int first_rebuild(const diff_result *d)
{
	for (int r = 0; r < d->nstmts; r++)
		if (d->stmts[r].change == PGC_REBUILD_TABLE)
			return r;
	return -1;
}

static bool group_member(pgp_ctx *c, int j)
{
	return in_group(c->from, c->to, &c->fwd, j);
}

static bool rev_group_member(pgp_ctx *c, int j)
{
	return in_group(c->to, c->from, &c->rev, j);
}

/*
 * The rebuild planned online (plan_rebuild_online.c) when its copy would
 * hold the lock long enough to matter (or for an unknown time) and the
 * table qualifies; NULL then, else why not.
 */
static const char *online(pgp_ctx *c, int ri, bool *done)
{
	const diff_stmt *r = &c->fwd.stmts[ri];
	const char *why = NULL;
	int min = c->p->settings.rebuild_online_ms;
	long long ms =
	    pgp_est_ms(c, pgp_qname(c, r->obj.schema, r->obj.name), 3);
	*done = false;
	if (ms >= 0 && ms < min)
		return pgp_sprintf(c,
				   "its copy is estimated at %lld ms, under "
				   "the %d ms from which a rebuild is planned "
				   "online (--rebuild-online-ms)",
				   ms, min);
	if (!pgp_rebuild_online(c, ri, group_member, rev_group_member, &why))
		return why;
	/* The reverse diff's rebuild is no step's rollback now. */
	for (int j = 0; j < c->rev.nstmts; j++)
		if (in_group(c->to, c->from, &c->rev, j))
			c->claimed[j] = true;
	*done = true;
	return NULL;
}

/*
 * All the rebuilds of a plan are one step: tables rebuilt together may
 * reference each other, and then what one rebuild's rollback must undo
 * depends on the other's (a foreign key goes with the table it is on).
 * The reverse diff's own order undoes all of them at once.
 */
static int rebuild_step(pgp_ctx *c, int ri)
{
	const diff_stmt *r = &c->fwd.stmts[ri];
	bool done;
	const char *why = online(c, ri, &done);
	if (done)
		return 1;
	strbuf fwd = STRBUF_INIT, back = STRBUF_INIT;
	bool destructive = false;
	for (int j = 0; j < c->fwd.nstmts; j++) {
		if (!in_group(c->from, c->to, &c->fwd, j))
			continue;
		strbuf_addf(&fwd, "%s;\n", c->fwd.stmts[j].sql);
		destructive |= c->fwd.stmts[j].destructive;
		mark_done(c, j);
	}
	for (int j = 0; j < c->rev.nstmts; j++) {
		if (c->claimed[j] || !in_group(c->to, c->from, &c->rev, j))
			continue;
		c->claimed[j] = true;
		strbuf_addf(&back, "%s;\n", c->rev.stmts[j].sql);
	}
	const char *qt = pgp_qname(c, r->obj.schema, r->obj.name);
	unsigned hz = HZ_ACCESS_EXCLUSIVE_LOCK | HZ_TABLE_REWRITE;
	if (destructive)
		hz |= HZ_DELETES_DATA;
	plan_step *st = pgp_step(c, r->kind, r->object, qt, strbuf_str(&fwd),
				 "ACCESS EXCLUSIVE", hz);
	st->rewrites = true;
	int n = st->n;
	long long ms = 0;
	for (int j = ri; j < c->fwd.nstmts; j++) {
		const diff_stmt *s = &c->fwd.stmts[j];
		if (s->change != PGC_REBUILD_TABLE)
			continue;
		const char *q = pgp_qname(c, s->obj.schema, s->obj.name);
		long long t = pgp_est_ms(c, q, 3);
		ms = ms < 0 || t < 0 ? -1 : ms + t;
		plan_add_reason(c->p, n, s->object,
				"table %s is rebuilt: its rows are copied "
				"into a new table in one transaction that "
				"holds an ACCESS EXCLUSIVE lock, so reads and "
				"writes wait for the whole copy (not planned "
				"online: %s)",
				s->object, why);
	}
	plan_step *sp = &c->p->steps[n - 1];
	sp->est_lock_ms = ms;
	sp->note = plan_str(c->p, "table copy: the new table is made, "
				  "filled and put in the old one's place in "
				  "one transaction");
	if (back.len)
		plan_step_set_rollback(c->p, sp, strbuf_str(&back));
	else
		plan_step_set_no_rollback(c->p, sp,
					  "the reverse diff does not rebuild "
					  "the table");
	strbuf_release(&fwd);
	strbuf_release(&back);
	return 1;
}

/* The parent gives its partitions keys, foreign keys, CHECKs or indexes
 * (as diff_partition.c asks before writing the detach). */

/*
 * DETACH ... CONCURRENTLY leaves a CHECK constraint that repeats the
 * partition's bound; the server names it after the table and the first
 * column of the key ("t_col_check"). Only a key of one plain column is
 * taken, so that the name is known; NULL otherwise.
 */
static const char *detach_check_name(pgp_ctx *c, const m_table *parent,
				     const m_table *a)
{
	const char *k = parent->partition_key;
	const char *open = k ? strchr(k, '(') : NULL;
	if (!open)
		return NULL;
	size_t n = 0;
	for (const char *p = open + 1; *p != ')'; p++, n++)
		if (!*p || !((*p >= 'a' && *p <= 'z') ||
			     (*p >= '0' && *p <= '9') || *p == '_'))
			return NULL;
	if (!n || strlen(a->name) + n + 7 > 63)
		return NULL;
	const char *name =
	    pgp_sprintf(c, "%s_%.*s_check", a->name, (int)n, open + 1);
	return model_table_find_constraint(a, name) ? NULL : name;
}

/* DETACH PARTITION ... CONCURRENTLY: a partition that leaves for good
 * (a plain table in the target), on a server that has it, when the
 * parent has no default partition. */
static int detach_concurrently(pgp_ctx *c, int i)
{
	const diff_stmt *s = &c->fwd.stmts[i];
	const m_table *a = s->before.obj, *b = s->after.obj;
	if (c->server_version < 140000 || !a || !b || b->parent.schema ||
	    !a->parent.schema)
		return 0;
	for (int k = 0; k < c->from->ntables; k++) {
		const m_table *t = &c->from->tables[k];
		if (t->parent.schema &&
		    same(t->parent.schema, a->parent.schema) &&
		    same(t->parent.name, a->parent.name) &&
		    (!t->partition_bound ||
		     !strcmp(t->partition_bound, "DEFAULT")))
			return 0;
	}
	const m_table *parent =
	    model_find_table(c->from, a->parent.schema, a->parent.name);
	/* What the partition has from its parent is dropped in the same
	 * block as the detach (diff_partition.c), which CONCURRENTLY cannot
	 * run in. */
	if (!parent || pg_parent_gives_partitions(c->from, parent))
		return 0;
	const char *check = detach_check_name(c, parent, a);
	if (!check || model_table_find_constraint(b, check))
		return 0;
	const char *qt = pgp_qname(c, a->schema, a->name);
	plan_step *st = pgp_step(
	    c, s->kind, s->object, qt,
	    pgp_sprintf(c, "ALTER TABLE %s DETACH PARTITION %s CONCURRENTLY;\n",
			pgp_qname(c, a->parent.schema, a->parent.name), qt),
	    "SHARE UPDATE EXCLUSIVE", HZ_NOT_TRANSACTIONAL);
	st->transactional = false;
	plan_step *sp = &c->p->steps[st->n - 1];
	sp->note = plan_str(c->p, "detached CONCURRENTLY: reads and writes "
				  "on the parent go on");
	bool tx;
	const char *rb = pgp_rollback_of(c, i, &tx);
	if (rb) {
		plan_step_set_rollback(c->p, sp, rb);
		sp->rollback_transactional = tx;
	} else {
		plan_step_set_no_rollback(c->p, sp,
					  "nothing to undo separately");
	}
	/* The constraint the detach added, which the target does not
	 * have; put back, it would spare the rollback's ATTACH its scan,
	 * but the rollback must end at the source's schema. */
	plan_step *dr = pgp_step(
	    c, "drop_constraint",
	    pgp_sprintf(c, "%s.%s", qt, pgp_ident(c, check)), qt,
	    pgp_sprintf(c, "ALTER TABLE %s DROP CONSTRAINT IF EXISTS %s;\n", qt,
			pgp_ident(c, check)),
	    "ACCESS EXCLUSIVE", HZ_ACCESS_EXCLUSIVE_LOCK);
	plan_step_set_no_rollback(c->p, &c->p->steps[dr->n - 1],
				  "made by the detach; the rollback's ATTACH "
				  "does not need it");
	return 1;
}

int pgp_strategy_rebuild(pgp_ctx *c, int i, error *e)
{
	(void)e;
	if (c->fwd.stmts[i].change == PGC_DETACH_PARTITION)
		return detach_concurrently(c, i);
	int ri = first_rebuild(&c->fwd);
	if (ri < 0 || !in_group(c->from, c->to, &c->fwd, i))
		return 0;
	/* What comes before the first rebuild goes into its step. */
	if (i < ri)
		return 1;
	return rebuild_step(c, ri);
}
