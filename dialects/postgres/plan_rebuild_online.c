/*
 * A table rebuild planned online (plan_rebuild.c decides when).
 *
 * Instead of one transaction that holds ACCESS EXCLUSIVE on the table
 * for the whole copy, four kinds of steps:
 *
 *   1. prepare: the new table is made beside the old one under
 *      temporary names (its partitions, keys and indexes too, so nothing
 *      clashes with the old table's names), and a trigger on the old
 *      table mirrors each write into it (brief; SHARE ROW EXCLUSIVE on
 *      the old table for the trigger);
 *   2. copy: the old rows in batches of keys, checkpointed by apply like
 *      a backfill (plan_backfill.copy_into); reads and writes go on;
 *   3. swap: one brief transaction under ACCESS EXCLUSIVE: the sync
 *      trigger goes, the old table and its keys and indexes are renamed
 *      aside, the new one takes the real names, sequences follow, the
 *      rest of the new table's definition (triggers, grants, comments,
 *      policies, foreign keys NOT VALID) is made, and a reverse trigger
 *      mirrors each write of the new table into the old copy, so that
 *      the swap's rollback loses no row written after it (views that
 *      read the table join this step through plan_views.c); then the
 *      foreign keys are validated, each in a step of its own;
 *   4. drop the old copy; its rollback makes the old copy again from the
 *      new table's rows (holding off writes for that copy), so that the
 *      whole plan can be undone, as every plan can, back to the source.
 *
 * A table that does not qualify keeps the one blocking step, and the
 * reason names why.
 */
#include <stdlib.h>
#include <string.h>

#include "pg.h"
#include "plan_online.h"

/* Table `t` and its partitions (at any depth) in `m`, parents first. */
static void family(online *o, const model *m, const m_table *t,
		   const m_table ***out, int *n, int *cap, int depth)
{
	*ARENA_PUSH(&o->c->arena, *out, *n, *cap) = t;
	for (int i = 0; depth < 32 && i < m->ntables; i++)
		if (pgo_same(m->tables[i].parent.schema, t->schema) &&
		    pgo_same(m->tables[i].parent.name, t->name))
			family(o, m, &m->tables[i], out, n, cap, depth + 1);
}

/* All of `k`'s columns are copied (the trigger can name them). */
static bool copied_key(online *o, const m_constraint *k)
{
	for (int i = 0; i < k->ncolumns; i++)
		if (!pgo_in_list(o->cols, o->ncols, k->columns[i]))
			return false;
	return k->ncolumns > 0 && !k->deferrable;
}

/*
 * Why the table cannot be rebuilt online, or NULL: fills `o`. The copy
 * goes in the order of the old table's key (of one column or several),
 * each write is mirrored by it, and the new table needs a key the old
 * one's columns fill for the mirror's upsert.
 */
static const char *why_not(online *o)
{
	pgp_ctx *c = o->c;
	const diff_stmt *r = &c->fwd.stmts[o->ri];
	for (int j = 0; j < c->fwd.nstmts; j++)
		if (j != o->ri && c->fwd.stmts[j].change == PGC_REBUILD_TABLE)
			return "several tables are rebuilt together";
	o->schema = r->obj.schema;
	o->a = model_find_table(c->from, r->obj.schema, r->obj.name);
	o->b = model_find_table(c->to, r->obj.schema, r->obj.name);
	const m_table *a = o->a, *b = o->b;
	if (!a || !b || a->parent.schema || b->parent.schema)
		return "it is a partition";
	if (c->server_version && c->server_version < 110000)
		return "the server is older than PostgreSQL 11";
	/* Forced, the policies would judge the triggers' own writes. */
	if (a->rls_forced || b->rls_forced)
		return "row level security is forced on it";
	/* The primary key, else a unique key over NOT NULL columns. */
	for (int i = 0; i < a->nconstraints; i++)
		if (a->constraints[i].kind == M_CON_PRIMARY)
			o->ok = &a->constraints[i];
	for (int i = 0; !o->ok && i < a->nconstraints; i++) {
		const m_constraint *k = &a->constraints[i];
		bool fits = k->kind == M_CON_UNIQUE && !k->deferrable &&
			    k->ncolumns > 0;
		for (int j = 0; fits && j < k->ncolumns; j++) {
			const m_column *x =
			    model_table_find_column(a, k->columns[j]);
			fits = x && x->not_null;
		}
		if (fits)
			o->ok = k;
	}
	if (!o->ok || !o->ok->ncolumns)
		return "the old table has no primary key (nor a unique key of "
		       "NOT NULL columns) to copy its rows in batches by";
	for (int i = 0; i < b->ncolumns; i++) {
		const m_column *y = &b->columns[i];
		const m_column *x = model_table_find_column(a, y->name);
		if (y->generated_expr || !x)
			continue;
		*ARENA_PUSH(&c->arena, o->cols, o->ncols, o->ccols) = y->name;
		if (!x->generated_expr)
			*ARENA_PUSH(&c->arena, o->back, o->nback, o->cback) =
			    y->name;
	}
	for (int i = 0; i < o->ok->ncolumns; i++)
		if (!pgo_in_list(o->back, o->nback, o->ok->columns[i]))
			return pgp_sprintf(c,
					   "the new table has no plain column "
					   "%s of the old table's key",
					   o->ok->columns[i]);
	for (int pass = 0; pass < 2 && !o->nk; pass++)
		for (int i = 0; i < b->nconstraints && !o->nk; i++) {
			const m_constraint *k = &b->constraints[i];
			if (k->kind == (pass ? M_CON_UNIQUE : M_CON_PRIMARY) &&
			    copied_key(o, k))
				o->nk = k;
		}
	if (!o->nk)
		return "the new table has no primary or unique key whose "
		       "columns the old one has";
	/* The reverse trigger writes the old table's rows back: a column
	 * only it has must take a value of its own. */
	for (int i = 0; i < a->ncolumns; i++) {
		const m_column *x = &a->columns[i];
		if (x->not_null && !x->default_expr && !x->identity &&
		    !x->generated_expr &&
		    !pgo_in_list(o->back, o->nback, x->name))
			return pgp_sprintf(
			    c,
			    "column %s of the old table is NOT NULL without a "
			    "default and the new table has no such column: "
			    "rows written after the swap could not be kept "
			    "for its rollback",
			    x->name);
	}
	family(o, c->from, a, &o->oldp, &o->noldp, &o->coldp, 0);
	family(o, c->to, b, &o->newp, &o->nnewp, &o->cnewp, 0);
	/* Sequences that a column of the old table owns move to the new
	 * table's same column. */
	for (int i = 0; i < c->from->nsequences; i++) {
		const m_sequence *s = &c->from->sequences[i];
		if (!pgo_same(s->owner.schema, a->schema) ||
		    !pgo_same(s->owner.name, a->name))
			continue;
		const m_sequence *t = NULL;
		for (int j = 0; j < c->to->nsequences; j++)
			if (pgo_same(c->to->sequences[j].schema, s->schema) &&
			    pgo_same(c->to->sequences[j].name, s->name))
				t = &c->to->sequences[j];
		if (!t || !pgo_same(t->owner.name, b->name) ||
		    !pgo_same(t->owner_column, s->owner_column))
			return pgp_sprintf(c,
					   "sequence %s, owned by the old "
					   "table, changes with it",
					   s->name);
	}
	for (int i = 0; i < c->from->ntriggers; i++) {
		const m_trigger *t = &c->from->triggers[i];
		if (pgo_same(t->schema, a->schema) &&
		    pgo_same(t->table, a->name) && t->enabled != 'D')
			*ARENA_PUSH(&c->arena, o->trg, o->ntrg, o->ctrg) = t;
	}
	return NULL;
}

/* Does group statement `s` (after the rebuild) fit online? */
static const char *why_not_stmt(online *o, const diff_stmt *s)
{
	if (s->change == CHANGE_CREATE_INDEX && !pgo_index_on_new(o, s))
		return pgp_sprintf(o->c,
				   "index %s is not written as the new table's "
				   "temporary one could be",
				   s->object);
	if (s->obj.kind == CHANGE_OBJ_SEQUENCE)
		return "a sequence its columns own changes with it";
	return NULL;
}

/* A foreign key the group adds: its constraint, else NULL. */
static const m_constraint *fk_added(const diff_stmt *s)
{
	const m_constraint *k = s->after.obj;
	return s->change == CHANGE_ADD_CONSTRAINT &&
		       s->obj.kind == CHANGE_OBJ_CONSTRAINT && k &&
		       k->kind == M_CON_FOREIGN
		   ? k
		   : NULL;
}

static int prepare_step(online *o, const char *qa)
{
	pgp_ctx *c = o->c;
	strbuf fwd = STRBUF_INIT, back = STRBUF_INIT;
	for (int i = 0; i < o->nnewp; i++) {
		char *sql = pg_table_create_sql(
		    pgo_as_named(o, o->newp[i], pgo_tmp_name));
		strbuf_addf(&fwd, "%s;\n", sql);
		free(sql);
	}
	for (int j = o->ri + 1; j < c->fwd.nstmts; j++)
		if (strmap_get(&c->done, pgp_sprintf(c, "#%d", j)) == o &&
		    c->fwd.stmts[j].change == CHANGE_CREATE_INDEX)
			strbuf_addf(&fwd, "%s;\n",
				    pgo_index_on_new(o, &c->fwd.stmts[j]));
	const char *qn = pgo_q(o, pgo_tmp_name(o, o->b->name));
	pgo_sync_sql(o, &fwd, pgo_sync_fn(o), qa, qn, o->cols, o->ncols, o->nk);
	pgo_drop_sync_sql(o, &back, pgo_sync_fn(o), qa);
	strbuf_addf(&back, "DROP TABLE IF EXISTS %s;\n", qn);
	plan_step *st = pgp_step(c, "rebuild_prepare", qa, qa, strbuf_str(&fwd),
				 "SHARE ROW EXCLUSIVE", HZ_BLOCKS_WRITES);
	int n = st->n;
	plan_step *sp = &c->p->steps[n - 1];
	sp->est_lock_ms = 0;
	sp->note = plan_str(c->p, "online rebuild: the new table is made "
				  "beside the old one under temporary names, "
				  "and a trigger copies each write of the old "
				  "table into it");
	plan_step_set_rollback(c->p, sp, strbuf_str(&back));
	strbuf_release(&fwd);
	strbuf_release(&back);
	return n;
}

static int copy_step(online *o, const char *qa)
{
	pgp_ctx *c = o->c;
	const char *qn = pgo_q(o, pgo_tmp_name(o, o->b->name));
	const char *cols = pgo_names(o, o->cols, o->ncols, "");
	int batch = pgp_batch_size(c, qa);
	int pause = c->p->settings.batch_pause_ms;
	plan_step *st = pgp_step(
	    c, "rebuild_copy", qa, qa,
	    pgo_copy_script(o, qa, qn, cols, batch, pause), "ROW SHARE",
	    HZ_TABLE_REWRITE | HZ_BACKFILL | HZ_NOT_TRANSACTIONAL);
	int n = st->n;
	plan_step *s = &c->p->steps[n - 1];
	s->transactional = false;
	s->rewrites = true;
	s->batch_size = batch;
	s->batch_pause_ms = pause;
	/* ROW SHARE, a batch at a time, blocks no read or write. */
	s->est_lock_ms = 0;
	long long ms = pgp_est_ms(c, qa, 3);
	s->note = plan_str(
	    c->p, ms >= 0 ? pgp_sprintf(c,
					"table copy, estimated ~%lld ms: the "
					"rows go into the new table in batches "
					"of keys while reads and writes go on",
					ms)
			  : "table copy (time unknown): the rows go into the "
			    "new table in batches of keys while reads and "
			    "writes go on");
	plan_backfill *b = arena_alloc(&c->p->arena, sizeof(*b));
	const char **k, **kt;
	pgo_key_of(o, &k, &kt);
	b->table = plan_str(c->p, qa);
	b->key = pgo_json_strings(o, k, o->ok->ncolumns);
	b->key_type = pgo_json_strings(o, kt, o->ok->ncolumns);
	b->copy_into = plan_str(c->p, qn);
	b->columns = plan_str(c->p, cols);
	s->backfill = b;
	plan_step_set_no_rollback(c->p, s,
				  "nothing to undo: the rows are in the new "
				  "table, which the first step's rollback "
				  "drops");
	return n;
}

static int swap_step(online *o, const char *qa, int *nvalidate,
		     const char ***validate)
{
	pgp_ctx *c = o->c;
	const char *qaside = pgo_q(o, pgo_aside_name(o, o->a->name));
	strbuf fwd = STRBUF_INIT, back = STRBUF_INIT, readd = STRBUF_INIT;
	int nv = 0, cv = 0;
	const char **v = NULL;
	/* The tables first, in the order a writer's statement takes them
	 * (the table, then what its trigger writes), before any other table
	 * a foreign key joins to them: a writer holding the table and
	 * waiting for a referencing table would deadlock with a step that
	 * took them the other way round. */
	strbuf_addf(&fwd, "LOCK TABLE %s, %s IN ACCESS EXCLUSIVE MODE;\n", qa,
		    pgo_q(o, pgo_tmp_name(o, o->b->name)));
	strbuf_addf(&back, "LOCK TABLE %s, %s IN ACCESS EXCLUSIVE MODE;\n", qa,
		    qaside);
	pgo_drop_sync_sql(o, &fwd, pgo_sync_fn(o), qa);
	/* Foreign keys of other tables that reference the old table: they
	 * would follow it aside. Its own (and its partitions') stay on the
	 * old copy. */
	for (int j = 0; j < o->ri; j++) {
		const diff_stmt *s = &c->fwd.stmts[j];
		if (strmap_get(&c->done, pgp_sprintf(c, "#%d", j)) != o)
			continue;
		const m_constraint *k = s->before.obj;
		bool own = false;
		for (int i = 0; i < o->noldp; i++)
			own |= pgo_same(s->obj.table, o->oldp[i]->name);
		if (s->obj.table && !own &&
		    !pgo_is_new_table(o, s->obj.table)) {
			strbuf_addf(&fwd, "%s;\n", s->sql);
			if (k && s->obj.kind == CHANGE_OBJ_CONSTRAINT)
				strbuf_addf(
				    &readd,
				    "ALTER TABLE %s ADD CONSTRAINT %s %s%s;\n",
				    pgp_qname(c, s->obj.schema, s->obj.table),
				    pgp_ident(c, k->name), k->definition,
				    k->not_valid ? " NOT VALID" : "");
		}
	}
	pgo_rename_family(o, &fwd, o->oldp, o->noldp, c->from, pgo_real_name,
			  pgo_aside_name);
	pgo_statistics(o, &fwd, c->from, pgo_real_name, pgo_aside_name);
	pgo_old_triggers(o, &fwd, qaside, false);
	pgo_rename_family(o, &fwd, o->newp, o->nnewp, c->to, pgo_tmp_name,
			  pgo_real_name);
	pgo_carry_sequences(o, &fwd, true);
	for (int j = o->ri + 1; j < c->fwd.nstmts; j++) {
		const diff_stmt *s = &c->fwd.stmts[j];
		if (strmap_get(&c->done, pgp_sprintf(c, "#%d", j)) != o ||
		    s->change == CHANGE_CREATE_INDEX)
			continue;
		const char *qt = s->obj.table
				     ? pgp_qname(c, s->obj.schema, s->obj.table)
				     : NULL;
		/* Validations: object, table, statement. */
		if (s->change == CHANGE_VALIDATE_CONSTRAINT) {
			*ARENA_PUSH(&c->arena, v, nv, cv) = s->object;
			*ARENA_PUSH(&c->arena, v, nv, cv) = qt;
			*ARENA_PUSH(&c->arena, v, nv, cv) =
			    pgp_sprintf(c, "%s;\n", s->sql);
			continue;
		}
		const m_constraint *k = fk_added(s);
		if (k && !k->not_valid) {
			/* Checked by a later step, not under this lock. */
			strbuf_addf(&fwd, "%s NOT VALID;\n", s->sql);
			*ARENA_PUSH(&c->arena, v, nv, cv) = s->object;
			*ARENA_PUSH(&c->arena, v, nv, cv) = qt;
			*ARENA_PUSH(&c->arena, v, nv, cv) = pgp_sprintf(
			    c, "ALTER TABLE %s VALIDATE CONSTRAINT %s;\n", qt,
			    pgp_ident(c, k->name));
		} else {
			strbuf_addf(&fwd, "%s;\n", s->sql);
		}
		/* Another table's foreign key to the new one: it would keep
		 * the new table from going in the rollbacks. */
		if (k && qt && !pgo_is_new_table(o, s->obj.table))
			strbuf_addf(&back,
				    "ALTER TABLE %s DROP CONSTRAINT IF EXISTS "
				    "%s;\n",
				    qt, pgp_ident(c, k->name));
	}
	pgo_sync_sql(o, &fwd, pgo_back_fn(o), qa, qaside, o->back, o->nback,
		     NULL);

	/* The rollback: the new table and the old one trade names again,
	 * the old one takes the writes, the new one is mirrored again. */
	pgo_drop_sync_sql(o, &back, pgo_back_fn(o), qa);
	pgo_statistics(o, &back, c->to, NULL, NULL);
	pgo_rename_family(o, &back, o->newp, o->nnewp, c->to, pgo_real_name,
			  pgo_tmp_name);
	pgo_old_triggers(o, &back, qaside, true);
	pgo_rename_family(o, &back, o->oldp, o->noldp, c->from, pgo_aside_name,
			  pgo_real_name);
	pgo_statistics(o, &back, c->from, pgo_aside_name, pgo_real_name);
	pgo_carry_sequences(o, &back, false);
	/* What the old table had besides its definition, made again by the
	 * reverse diff: all of it idempotent, for the old copy the swap set
	 * aside has it already, one made again by the drop's rollback does
	 * not (a policy is dropped first). */
	for (int j = 0; j < c->rev.nstmts; j++) {
		const diff_stmt *s = &c->rev.stmts[j];
		int k = s->change;
		if (!o->in_rev(c, j) ||
		    (k != CHANGE_COMMENT && k != CHANGE_GRANT &&
		     k != PGC_ENABLE_RLS && k != PGC_FORCE_RLS &&
		     k != PGC_ALTER_REPLICA_IDENTITY && k != PGC_CREATE_POLICY))
			continue;
		if (k == PGC_CREATE_POLICY && s->obj.table && s->obj.name)
			strbuf_addf(&back, "DROP POLICY IF EXISTS %s ON %s;\n",
				    pgp_ident(c, s->obj.name),
				    pgp_qname(c, s->obj.schema, s->obj.table));
		strbuf_addf(&back, "%s;\n", s->sql);
	}
	strbuf_adds(&back, strbuf_str(&readd));
	pgo_sync_sql(o, &back, pgo_sync_fn(o), qa,
		     pgo_q(o, pgo_tmp_name(o, o->b->name)), o->cols, o->ncols,
		     o->nk);

	plan_step *st = pgp_step(c, "rebuild_swap", qa, qa, strbuf_str(&fwd),
				 "ACCESS EXCLUSIVE", HZ_ACCESS_EXCLUSIVE_LOCK);
	int n = st->n;
	plan_step *sp = &c->p->steps[n - 1];
	sp->est_lock_ms = 0;
	sp->note =
	    plan_str(c->p, "online rebuild: the new table takes the old one's "
			   "name in one brief transaction; a trigger copies "
			   "each later write into the old table, kept aside "
			   "for the rollback");
	plan_step_set_rollback(c->p, sp, strbuf_str(&back));
	strbuf_release(&fwd);
	strbuf_release(&back);
	strbuf_release(&readd);
	*nvalidate = nv;
	*validate = v;
	return n;
}

/*
 * The old copy made again, as it was beside the new table after the
 * swap, for the swap's rollback to put back: its definition under the
 * names set aside (keys, indexes, statistics), its own foreign keys and
 * NOT VALID constraints, its triggers (disabled), the reverse trigger,
 * then the rows from the new table (the trigger, made first, holds off
 * writes until the copy commits). Grants, comments, policies and row
 * security the swap's rollback makes again on the old table.
 */
static const char *old_copy_sql(online *o, const char *qa, bool *loses)
{
	pgp_ctx *c = o->c;
	strbuf sb = STRBUF_INIT;
	/* The table before a table its foreign keys reference (as the
	 * swap). */
	strbuf_addf(&sb, "LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE;\n", qa);
	for (int i = 0; i < o->b->ncolumns; i++) {
		const m_column *y = &o->b->columns[i];
		const char *usual = pgo_seq_name(o, y->name, false);
		if (y->identity && usual)
			strbuf_addf(
			    &sb, "ALTER SEQUENCE %s RENAME TO %s;\n",
			    pgo_q(o, usual),
			    pgp_ident(c, pgo_seq_name(o, y->name, true)));
	}
	for (int i = 0; i < o->noldp; i++) {
		char *sql = pg_table_create_sql(
		    pgo_as_named(o, o->oldp[i], pgo_aside_name));
		strbuf_addf(&sb, "%s;\n", sql);
		free(sql);
	}
	for (int i = 0; i < o->noldp; i++) {
		const m_table *t = o->oldp[i];
		const char *qt = pgo_q(o, pgo_aside_name(o, t->name));
		for (int k = 0; k < t->nconstraints; k++) {
			const m_constraint *x = &t->constraints[k];
			if (x->kind == M_CON_FOREIGN || x->not_valid)
				strbuf_addf(&sb,
					    "ALTER TABLE %s ADD CONSTRAINT %s "
					    "%s%s;\n",
					    qt, pgp_ident(c, x->name),
					    x->definition,
					    x->not_valid ? " NOT VALID" : "");
		}
		for (int k = 0; k < c->from->nindexes; k++) {
			const m_index *x = &c->from->indexes[k];
			if (pgo_same(x->schema, t->schema) &&
			    pgo_same(x->table, t->name))
				strbuf_addf(&sb, "%s;\n",
					    pgo_index_renamed(o, x->definition,
							      x->name, t->name,
							      pgo_aside_name));
		}
	}
	for (int k = 0; k < c->from->nstatistics; k++) {
		const m_statistics *x = &c->from->statistics[k];
		if (pgo_same(x->table_schema, o->schema) &&
		    pgo_same(x->table, o->a->name))
			strbuf_addf(
			    &sb, "%s;\n",
			    pgo_statistics_renamed(o, x, pgo_aside_name));
	}
	const char *qaside = pgo_q(o, pgo_aside_name(o, o->a->name));
	for (int k = 0; k < c->from->ntriggers; k++) {
		const m_trigger *x = &c->from->triggers[k];
		if (pgo_same(x->schema, o->schema) &&
		    pgo_same(x->table, o->a->name))
			strbuf_addf(&sb,
				    "%s;\nALTER TABLE %s DISABLE TRIGGER %s;\n",
				    pgo_trigger_renamed(o, x, pgo_aside_name),
				    qaside, pgp_ident(c, x->name));
	}
	pgo_sync_sql(o, &sb, pgo_back_fn(o), qa, qaside, o->back, o->nback,
		     NULL);
	const char *cols = pgo_names(o, o->back, o->nback, "");
	strbuf_addf(
	    &sb,
	    "INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM "
	    "%s ON CONFLICT DO NOTHING;\n",
	    qaside, cols, cols, qa);
	*loses = false;
	for (int i = 0; i < o->a->ncolumns; i++)
		if (!pgo_in_list(o->back, o->nback, o->a->columns[i].name) &&
		    !o->a->columns[i].generated_expr)
			*loses = true;
	const char *out = pgp_sprintf(c, "%s", strbuf_str(&sb));
	strbuf_release(&sb);
	return out;
}

/* Can the old copy be made again from the model's definitions? */
static bool old_copy_known(online *o)
{
	pgp_ctx *c = o->c;
	for (int i = 0; i < o->noldp; i++)
		for (int k = 0; k < c->from->nindexes; k++) {
			const m_index *x = &c->from->indexes[k];
			if (pgo_same(x->schema, o->oldp[i]->schema) &&
			    pgo_same(x->table, o->oldp[i]->name) &&
			    !pgo_index_renamed(o, x->definition, x->name,
					       o->oldp[i]->name,
					       pgo_aside_name))
				return false;
		}
	for (int k = 0; k < c->from->nstatistics; k++) {
		const m_statistics *x = &c->from->statistics[k];
		if (pgo_same(x->table, o->a->name) &&
		    !pgo_statistics_renamed(o, x, pgo_aside_name))
			return false;
	}
	for (int k = 0; k < c->from->ntriggers; k++) {
		const m_trigger *x = &c->from->triggers[k];
		if (pgo_same(x->schema, o->schema) &&
		    pgo_same(x->table, o->a->name) &&
		    !pgo_trigger_renamed(o, x, pgo_aside_name))
			return false;
	}
	return true;
}

static void drop_old_step(online *o, const char *qa)
{
	pgp_ctx *c = o->c;
	strbuf fwd = STRBUF_INIT;
	pgo_drop_sync_sql(o, &fwd, pgo_back_fn(o), qa);
	strbuf_addf(&fwd, "DROP TABLE %s;\n",
		    pgo_q(o, pgo_aside_name(o, o->a->name)));
	/* The identity sequences take their usual names, which the old
	 * table's held (as diff_partition.c names them). */
	for (int i = 0; i < o->b->ncolumns; i++) {
		const m_column *y = &o->b->columns[i];
		const char *usual = pgo_seq_name(o, y->name, false);
		if (y->identity && usual)
			strbuf_addf(&fwd, "ALTER SEQUENCE %s RENAME TO %s;\n",
				    pgo_q(o, pgo_seq_name(o, y->name, true)),
				    pgp_ident(c, usual));
	}
	bool loses = true;
	const char *back =
	    old_copy_known(o) ? old_copy_sql(o, qa, &loses) : NULL;
	unsigned hz = HZ_BLOCKS_WRITES | HZ_DELETES_DATA;
	if (!back || loses)
		hz |= HZ_IRREVERSIBLE;
	plan_step *st = pgp_step(c, "rebuild_drop_old", qa, qa,
				 strbuf_str(&fwd), "SHARE ROW EXCLUSIVE", hz);
	plan_step *sp = &c->p->steps[st->n - 1];
	sp->est_lock_ms = 0;
	sp->note = plan_str(
	    c->p, back ? "online rebuild: the old copy of the table is "
			 "dropped; its rollback makes it again from the new "
			 "table's rows, holding off writes for that copy"
		       : "online rebuild: the old copy of the table is "
			 "dropped");
	if (back)
		plan_step_set_rollback(c->p, sp, back);
	else
		plan_step_set_no_rollback(c->p, sp,
					  "the old copy of the table is "
					  "dropped: its definition cannot be "
					  "written again from the model");
	strbuf_release(&fwd);
}

int pgp_rebuild_online(pgp_ctx *c, int ri, bool (*in)(pgp_ctx *, int),
		       bool (*in_rev)(pgp_ctx *, int), const char **why)
{
	online o = {.c = c, .ri = ri, .in_rev = in_rev};
	*why = why_not(&o);
	for (int j = 0; !*why && j < c->fwd.nstmts; j++)
		if (j > ri && in(c, j))
			*why = why_not_stmt(&o, &c->fwd.stmts[j]);
	if (*why)
		return 0;
	/* The group's statements, marked as this rebuild's. */
	for (int j = 0; j < c->fwd.nstmts; j++)
		if (in(c, j))
			strmap_put(&c->done, pgp_sprintf(c, "#%d", j), &o);
	const char *qa = pgo_q(&o, o.a->name);
	prepare_step(&o, qa);
	copy_step(&o, qa);
	int nv;
	const char **v;
	swap_step(&o, qa, &nv, &v);
	/* Each validation scans its table under SHARE UPDATE EXCLUSIVE,
	 * which blocks no read or write. */
	for (int i = 0; i + 2 < nv; i += 3) {
		plan_step *st =
		    pgp_step(c, "validate_constraint", v[i], v[i + 1], v[i + 2],
			     "SHARE UPDATE EXCLUSIVE", HZ_TABLE_SCAN);
		plan_step *sp = &c->p->steps[st->n - 1];
		sp->scans = true;
		sp->est_lock_ms = pgp_est_ms(c, v[i + 1], 1);
		plan_step_set_no_rollback(c->p, sp, "nothing to undo");
	}
	drop_old_step(&o, qa);
	/* `o` goes out of scope: the marks become the usual ones. */
	for (int j = 0; j < c->fwd.nstmts; j++)
		if (strmap_get(&c->done, pgp_sprintf(c, "#%d", j)) == &o)
			strmap_put(&c->done, pgp_sprintf(c, "#%d", j), NULL);
	return 1;
}
