/*
 * The safe strategies: each turns one differ statement that would block a
 * live table into steps that do not (the README's plan table). They
 * only apply to tables that exist in the source: a table the plan creates
 * is empty, and whatever runs on it is instant.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg.h"
#include "plan_internal.h"

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static plan_step *at(pgp_ctx *c, int n)
{
	return &c->p->steps[n - 1];
}

/* A name the plan adds for its own use: `base` plus `suffix`, within
 * PostgreSQL's 63 bytes. A cut alone would give two long names with the
 * same first bytes the same helper (two columns renamed aside to one
 * name fail), so a cut name ends with a hash of the whole name; the cut
 * falls on a character boundary, as the server rejects a broken UTF-8
 * sequence. */
const char *pgp_helper_name(pgp_ctx *c, const char *base, const char *suffix)
{
	size_t sl = strlen(suffix), l = strlen(base);
	if (l + sl <= 63)
		return pgp_sprintf(c, "%s%s", base, suffix);
	uint32_t h = 2166136261u; /* FNV-1a */
	for (const char *p = base; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	l = 63 - sl - 9;
	while (l > 0 && ((unsigned char)base[l] & 0xC0) == 0x80)
		l--;
	return pgp_sprintf(c, "%.*s_%08x%s", (int)l, base, (unsigned)h, suffix);
}

/* The statement's table in the source, unless the plan makes it (an
 * empty table needs no care). */
static const m_table *existing_table(pgp_ctx *c, const diff_stmt *st)
{
	const m_table *t = st->before.parent;
	if (!t || pgp_table_is_new(c, pgp_qname(c, t->schema, t->name)))
		return NULL;
	return t;
}

int pgp_batch_size(pgp_ctx *c, const char *qtable)
{
	if (c->p->settings.batch_size > 0)
		return c->p->settings.batch_size;
	const pgp_stats *s = pgp_table_stats(c, qtable);
	if (!s)
		return 5000;
	/* About a hundred batches, but never more than 5,000 rows: a batch
	 * holds its rows' locks until it commits, and a writer touching one
	 * of them waits that long (10,000-row batches of a 2M-row table
	 * made writers wait over 100 ms in bench/stall.sh). */
	long long b = s->rows / 100;
	return b < 1000 ? 1000 : b > 5000 ? 5000 : (int)b;
}

/* The one-column primary key of `t`, or NULL. */
const char *pgp_single_key(const m_table *t)
{
	const char *key = NULL;
	for (int i = 0; i < t->nconstraints; i++)
		if (t->constraints[i].kind == M_CON_PRIMARY &&
		    t->constraints[i].ncolumns == 1)
			key = t->constraints[i].columns[0];
	return key;
}

void pg_backfill_script(strbuf *out, const char *q, const char *k,
			const char *set, const char *pending, int batch,
			int pause_ms)
{
	strbuf body = STRBUF_INIT;
	if (k) {
		/* Keyset: each batch is the next `batch` keys, found through
		 * the primary key's index, updated and committed on its own,
		 * so no lock is held longer than one batch. It stops at the
		 * last key there was when it started: rows written since get
		 * their value from the default or the sync trigger, and
		 * chasing them would never end while writers insert. */
		strbuf_addf(
		    &body,
		    "\nDECLARE\n\tlo %s.%s%%TYPE;\n\thi %s.%s%%TYPE;\n"
		    "\tlast %s.%s%%TYPE;\nBEGIN\n"
		    "\tSELECT min(%s), max(%s) INTO lo, last FROM %s;\n"
		    "\tWHILE lo IS NOT NULL AND lo <= last LOOP\n"
		    "\t\tSELECT max(%s) INTO hi FROM (SELECT %s FROM %s WHERE "
		    "%s >= lo ORDER BY %s LIMIT %d) AS batch;\n"
		    "\t\tUPDATE %s SET %s WHERE %s >= lo AND %s <= hi AND "
		    "(%s);\n"
		    "\t\tCOMMIT;\n"
		    "\t\tPERFORM pg_sleep(%d / 1000.0);\n"
		    "\t\tSELECT min(%s) INTO lo FROM %s WHERE %s > hi;\n"
		    "\tEND LOOP;\nEND\n",
		    q, k, q, k, q, k, k, k, q, k, k, q, k, k, batch, q, set, k,
		    k, pending, pause_ms, k, q, k);
	} else {
		/* No one-column key: batches of physical row ids still
		 * pending; the predicate makes every pass shrink the set. */
		strbuf_addf(
		    &body,
		    "\nDECLARE\n\tn bigint;\nBEGIN\n\tLOOP\n"
		    "\t\tUPDATE %s SET %s WHERE ctid = ANY (ARRAY(SELECT ctid "
		    "FROM %s WHERE %s LIMIT %d));\n"
		    "\t\tGET DIAGNOSTICS n = ROW_COUNT;\n"
		    "\t\tEXIT WHEN n = 0;\n\t\tCOMMIT;\n"
		    "\t\tPERFORM pg_sleep(%d / 1000.0);\n\tEND LOOP;\nEND\n",
		    q, set, q, pending, batch, pause_ms);
	}
	/* A dollar-quote tag that does not occur in the body. */
	strbuf tag = STRBUF_INIT;
	strbuf_adds(&tag, "$schemig$");
	for (int n = 1; strstr(strbuf_str(&body), strbuf_str(&tag)); n++) {
		strbuf_reset(&tag);
		strbuf_addf(&tag, "$schemig%d$", n);
	}
	strbuf_addf(out, "DO %s%s%s;\n", strbuf_str(&tag), strbuf_str(&body),
		    strbuf_str(&tag));
	strbuf_release(&tag);
	strbuf_release(&body);
}

static const char *backfill_sql(pgp_ctx *c, const m_table *t, const char *set,
				const char *pending, int batch, int pause_ms)
{
	const char *key = pgp_single_key(t);
	strbuf sb = STRBUF_INIT;
	pg_backfill_script(&sb, pgp_qname(c, t->schema, t->name),
			   key ? pgp_ident(c, key) : NULL, set, pending, batch,
			   pause_ms);
	const char *sql = pgp_sprintf(c, "%s", strbuf_str(&sb));
	strbuf_release(&sb);
	return sql;
}

/*
 * The step runs the batches as one DO block (psql, the emitters); apply
 * runs them from the typed backfill instead, one checkpointed batch at a
 * time.
 */
int pgp_step_backfill(pgp_ctx *c, const char *obj, const m_table *t,
		      const char *set, const char *pending)
{
	const char *qt = pgp_qname(c, t->schema, t->name);
	int batch = pgp_batch_size(c, qt);
	int pause = c->p->settings.batch_pause_ms;
	int n = pgp_step(c, "backfill", obj, qt,
			 backfill_sql(c, t, set, pending, batch, pause),
			 "ROW EXCLUSIVE", HZ_BACKFILL | HZ_NOT_TRANSACTIONAL)
		    ->n;
	plan_step *s = &c->p->steps[n - 1];
	s->transactional = false;
	s->batch_size = batch;
	s->batch_pause_ms = pause;
	s->est_lock_ms = 0;
	plan_backfill *b = arena_alloc(&c->p->arena, sizeof(*b));
	const char *key = pgp_single_key(t);
	const m_column *kc = key ? model_table_find_column(t, key) : NULL;
	b->table = plan_str(c->p, qt);
	b->key = key ? plan_str(c->p, pgp_ident(c, key)) : NULL;
	b->key_type = kc ? plan_str(c->p, kc->type) : NULL;
	b->set = plan_str(c->p, set);
	b->pending = plan_str(c->p, pending);
	s->backfill = b;
	return n;
}

/* ---- indexes ---------------------------------------------------------- */

/* "CREATE [UNIQUE] INDEX name ..." with CONCURRENTLY after INDEX. */
static const char *concurrently(pgp_ctx *c, const char *def)
{
	const char *ix = strstr(def, "INDEX ");
	if (!ix)
		return NULL;
	return pgp_sprintf(c, "%.*sINDEX CONCURRENTLY %s", (int)(ix - def), def,
			   ix + 6);
}

/*
 * Two steps: remove an index a failed CREATE INDEX CONCURRENTLY left
 * INVALID (the source has no valid index by that name, so one that
 * exists is such a leftover, and the build would fail on the name), then
 * build `create_sql` (one CREATE ... INDEX CONCURRENTLY statement) outside
 * a transaction. Returns the build step's number.
 */
int pgp_build_index(pgp_ctx *c, const char *kind, const char *qindex,
		    const char *qtable, const char *create_sql,
		    const char *note)
{
	int n =
	    pgp_step(c, "drop_invalid_index", qindex, qtable,
		     pgp_sprintf(c, "DROP INDEX CONCURRENTLY IF EXISTS %s;\n",
				 qindex),
		     "SHARE UPDATE EXCLUSIVE", HZ_NOT_TRANSACTIONAL)
		->n;
	at(c, n)->transactional = false;
	at(c, n)->est_lock_ms = 0;
	plan_step_set_no_rollback(
	    c->p, at(c, n),
	    "nothing to undo: only removes an index left invalid by an "
	    "earlier failed attempt");
	at(c, n)->note = plan_str(c->p, "makes the next step safe to retry");
	n = pgp_step(c, kind, qindex, qtable, create_sql,
		     "SHARE UPDATE EXCLUSIVE",
		     HZ_INDEX_BUILD | HZ_NOT_TRANSACTIONAL | HZ_TABLE_SCAN)
		->n;
	plan_step *s = at(c, n);
	s->transactional = false;
	s->scans = true;
	s->est_lock_ms = pgp_est_ms(c, qtable, 2);
	s->note = plan_str(c->p, note);
	plan_step_set_rollback(
	    c->p, s,
	    pgp_sprintf(c, "DROP INDEX CONCURRENTLY IF EXISTS %s;\n", qindex));
	s->rollback_transactional = false;
	return n;
}

static int create_index(pgp_ctx *c, int i, const m_index *ix)
{
	const char *qtable = pgp_qname(c, ix->schema, ix->table);
	const m_table *t = c->fwd.stmts[i].before.parent;
	if (pgp_table_is_new(c, qtable) || (t && t->kind == 'p'))
		return 0;
	const char *def = concurrently(c, c->fwd.stmts[i].sql);
	if (!def)
		return 0;
	bool tx;
	(void)pgp_rollback_of(c, i, &tx); /* the reverse DROP INDEX */
	pgp_build_index(c, "create_index_concurrently", c->fwd.stmts[i].object,
			qtable, pgp_sprintf(c, "%s;\n", def),
			"built CONCURRENTLY: reads and writes go on during the "
			"build");
	return 1;
}

static int drop_index(pgp_ctx *c, int i, const m_index *ix)
{
	const char *qtable = pgp_qname(c, ix->schema, ix->table);
	const m_table *t = c->fwd.stmts[i].before.parent;
	if (t && t->kind == 'p')
		return 0;
	const char *q = c->fwd.stmts[i].object;
	bool tx;
	const char *rb = pgp_rollback_of(c, i, &tx);
	int n = pgp_step(c, "drop_index_concurrently", q, qtable,
			 pgp_sprintf(c, "DROP INDEX CONCURRENTLY %s;\n", q),
			 "SHARE UPDATE EXCLUSIVE", HZ_NOT_TRANSACTIONAL)
		    ->n;
	plan_step *s = at(c, n);
	s->transactional = false;
	s->est_lock_ms = 0;
	/* The rebuild runs CONCURRENTLY too when it is the only statement
	 * (a single statement is what a non-transactional step may hold). */
	const char *one = rb ? strstr(rb, ";\n") : NULL;
	if (rb && one && !one[2] && starts(rb, "CREATE")) {
		plan_step_set_rollback(c->p, s,
				       pgp_sprintf(c, "%s",
						   concurrently(c, rb)
						       ? concurrently(c, rb)
						       : rb));
		s->rollback_transactional = false;
	} else if (rb) {
		plan_step_set_rollback(c->p, s, rb);
		s->rollback_transactional = tx;
	} else {
		plan_step_set_no_rollback(c->p, s, "no reverse statement");
		s->hazards |= HZ_IRREVERSIBLE;
	}
	return 1;
}

int pgp_strategy_index(pgp_ctx *c, int i, error *e)
{
	(void)e;
	const diff_stmt *st = &c->fwd.stmts[i];
	if (st->change == CHANGE_CREATE_INDEX) {
		const m_index *ix = st->after.obj;
		return ix ? create_index(c, i, ix) : 0;
	}
	if (st->change == CHANGE_DROP_INDEX) {
		const m_index *ix = st->before.obj;
		return ix ? drop_index(c, i, ix) : 0;
	}
	return 0;
}

/* ---- constraints ------------------------------------------------------ */

/* The live source can only be asked about columns it has: a constraint
 * on a column this plan adds is checked by the server when it runs. */
static bool in_source(pgp_ctx *c, const char *schema, const char *table,
		      char **cols, int ncols)
{
	const m_table *t = model_find_table(c->from, schema, table);
	for (int j = 0; t && j < ncols; j++)
		if (!model_table_find_column(t, cols[j]))
			return false;
	return t != NULL;
}

static void check_columns(pgp_ctx *c, plan_check *k, const m_constraint *con)
{
	for (int j = 0; j < con->ncolumns; j++)
		*ARENA_PUSH(&c->p->arena, k->columns, k->ncolumns,
			    k->ccolumns) = plan_str(c->p, con->columns[j]);
}

static void con_reason(pgp_ctx *c, int n, const char *object, const char *what,
		       const m_table *t)
{
	at(c, n)->hazards |= HZ_BREAKS_OLD_CODE;
	plan_add_reason(c->p, n, object,
			"new %s on %s: the deployed code can write rows it "
			"rejects",
			what, pgp_qname(c, t->schema, t->name));
}

/* VALIDATE CONSTRAINT of `k` on `t` as its own step: a scan under SHARE
 * UPDATE EXCLUSIVE, which lets writes go on, with the verdict's count of
 * the rows it would reject. Returns the step's number. */
static int validate_step(pgp_ctx *c, int i, const m_table *t,
			 const m_constraint *k)
{
	const char *qt = pgp_qname(c, t->schema, t->name);
	bool fk = k->kind == M_CON_FOREIGN;
	int v =
	    pgp_step(c, "validate_constraint", c->fwd.stmts[i].object, qt,
		     pgp_sprintf(c, "ALTER TABLE %s VALIDATE CONSTRAINT %s;\n",
				 qt, pgp_ident(c, k->name)),
		     "SHARE UPDATE EXCLUSIVE", HZ_TABLE_SCAN)
		->n;
	at(c, v)->scans = true;
	at(c, v)->est_lock_ms = pgp_est_ms(c, qt, 1);
	at(c, v)->note =
	    plan_str(c->p, "checks existing rows while writes go on");
	if (!in_source(c, t->schema, t->name, k->columns, k->ncolumns) ||
	    (fk && !in_source(c, k->ref.schema, k->ref.name, k->ref_columns,
			      k->nref_columns)))
		return v;
	plan_check *ck =
	    plan_add_check(c->p, fk ? PLAN_CHECK_FOREIGN_KEY : PLAN_CHECK_CHECK,
			   v, t->schema, t->name);
	check_columns(c, ck, k);
	if (fk) {
		ck->ref_schema = plan_str(c->p, k->ref.schema);
		ck->ref_table = plan_str(c->p, k->ref.name);
		for (int j = 0; j < k->nref_columns; j++)
			*ARENA_PUSH(&c->p->arena, ck->ref_columns,
				    ck->nref_columns, ck->cref_columns) =
			    plan_str(c->p, k->ref_columns[j]);
	} else {
		const char *d = k->definition;
		if (starts(d, "CHECK "))
			d += 6;
		const char *ni = strstr(d, " NO INHERIT");
		ck->expr = plan_str(
		    c->p, ni ? pgp_sprintf(c, "%.*s", (int)(ni - d), d) : d);
	}
	return v;
}

/* The source holds `k` validated with the same definition: the target
 * only wants it NOT VALID, which the differ does by dropping it and
 * adding it again NOT VALID. */
static bool was_valid(pgp_ctx *c, const m_table *t, const m_constraint *k)
{
	const m_table *ft = model_find_table(c->from, t->schema, t->name);
	const m_constraint *x =
	    ft ? model_table_find_constraint(ft, k->name) : NULL;
	return x && !x->not_valid && k->not_valid && x->kind == k->kind &&
	       !strcmp(x->definition, k->definition);
}

/* FOREIGN KEY and CHECK: added NOT VALID (a brief lock, no scan), then
 * validated under SHARE UPDATE EXCLUSIVE, which lets writes go on. */
static int con_not_valid(pgp_ctx *c, int i, const m_table *t,
			 const m_constraint *k)
{
	const char *qt = pgp_qname(c, t->schema, t->name);
	const char *qk = pgp_ident(c, k->name);
	bool fk = k->kind == M_CON_FOREIGN;
	bool tx;
	const char *rb = pgp_rollback_of(c, i, &tx);
	int n = pgp_step(
		    c, fk ? "add_foreign_key_not_valid" : "add_check_not_valid",
		    c->fwd.stmts[i].object, qt,
		    pgp_sprintf(
			c, "ALTER TABLE %s ADD CONSTRAINT %s %s NOT VALID;\n",
			qt, qk, k->definition),
		    fk ? "SHARE ROW EXCLUSIVE" : "ACCESS EXCLUSIVE",
		    fk ? HZ_BLOCKS_WRITES : HZ_ACCESS_EXCLUSIVE_LOCK)
		    ->n;
	at(c, n)->note =
	    plan_str(c->p, "NOT VALID: no scan, the lock is brief");
	if (was_valid(c, t, k))
		/* Back to validated (not dropped, as the drop before this
		 * step would have it). The drop's rollback, which comes
		 * after this one, is the reverse diff's own VALIDATE: a
		 * no-op by then. */
		plan_step_set_rollback(
		    c->p, at(c, n),
		    pgp_sprintf(c, "ALTER TABLE %s VALIDATE CONSTRAINT %s;\n",
				qt, qk));
	else if (rb)
		plan_step_set_rollback(c->p, at(c, n), rb);
	else
		plan_step_set_rollback(
		    c->p, at(c, n),
		    pgp_sprintf(c, "ALTER TABLE %s DROP CONSTRAINT %s;\n", qt,
				qk));
	if (!pgp_in_source(&c->fwd.stmts[i]))
		con_reason(c, n, c->fwd.stmts[i].object,
			   fk ? "foreign key" : "check constraint", t);
	/* The desired schema says NOT VALID: the rows already there stay
	 * unchecked, so there is nothing to validate (see model.h). */
	if (k->not_valid)
		return 1;
	int v = validate_step(c, i, t, k);
	plan_step_set_no_rollback(c->p, at(c, v),
				  "nothing to undo: validation only reads");
	return 1;
}

/* A NOT VALID constraint the target wants validated. The server cannot
 * make it NOT VALID again: the rollback drops it and adds it back NOT
 * VALID (no scan). */
static int con_validate(pgp_ctx *c, int i)
{
	const diff_stmt *st = &c->fwd.stmts[i];
	const m_constraint *k = st->before.obj;
	const m_table *t = st->before.parent;
	const char *qt = pgp_qname(c, t->schema, t->name);
	const char *qk = pgp_ident(c, k->name);
	int v = validate_step(c, i, t, k);
	plan_step_set_rollback(
	    c->p, at(c, v),
	    pgp_sprintf(c,
			"ALTER TABLE %s DROP CONSTRAINT %s;\nALTER TABLE %s "
			"ADD CONSTRAINT %s %s NOT VALID;\n",
			qt, qk, qt, qk, k->definition));
	return 1;
}

/* UNIQUE and PRIMARY KEY: the index is built CONCURRENTLY first, then
 * attached as the constraint, which only takes a brief lock. The index
 * gets the constraint's name, as ADD CONSTRAINT ... USING INDEX renames
 * it to that anyway. */
static int con_using_index(pgp_ctx *c, int i, const m_table *t,
			   const m_constraint *k)
{
	bool pk = k->kind == M_CON_PRIMARY;
	const char *d = k->definition;
	d += pk ? strlen("PRIMARY KEY ") : strlen("UNIQUE ");
	bool nnd = starts(d, "NULLS NOT DISTINCT ");
	if (nnd)
		d += strlen("NULLS NOT DISTINCT ");
	if (*d != '(' || strstr(d, "USING INDEX TABLESPACE"))
		return 0;
	const char *defer = strstr(d, " DEFERRABLE");
	const char *keys =
	    defer ? pgp_sprintf(c, "%.*s", (int)(defer - d), d) : d;
	const char *qt = pgp_qname(c, t->schema, t->name);
	const char *qk = pgp_ident(c, k->name);
	const char *qi = pgp_qname(c, t->schema, k->name);
	/* "(a, b) INCLUDE (c) WITH (fillfactor=70)": NULLS NOT DISTINCT
	 * goes between INCLUDE and WITH in CREATE INDEX. */
	const char *with = strstr(keys, " WITH (");
	const char *cols =
	    with ? pgp_sprintf(c, "%.*s", (int)(with - keys), keys) : keys;
	int n = pgp_build_index(
	    c, "create_unique_index_concurrently", qi, qt,
	    pgp_sprintf(c,
			"CREATE UNIQUE INDEX CONCURRENTLY %s ON %s USING btree "
			"%s%s%s;\n",
			qk, qt, cols, nnd ? " NULLS NOT DISTINCT" : "",
			with ? with : ""),
	    "built CONCURRENTLY: writes go on");
	bool ask = in_source(c, t->schema, t->name, k->columns, k->ncolumns);
	if (ask) {
		plan_check *ck = plan_add_check(c->p, PLAN_CHECK_UNIQUE, n,
						t->schema, t->name);
		check_columns(c, ck, k);
	}
	bool tx;
	const char *rb = pgp_rollback_of(c, i, &tx);
	int a = pgp_step(
		    c, "add_constraint_using_index", c->fwd.stmts[i].object, qt,
		    pgp_sprintf(c,
				"ALTER TABLE %s ADD CONSTRAINT %s %s USING "
				"INDEX %s%s;\n",
				qt, qk, pk ? "PRIMARY KEY" : "UNIQUE", qk,
				defer ? defer : ""),
		    "ACCESS EXCLUSIVE", HZ_ACCESS_EXCLUSIVE_LOCK)
		    ->n;
	at(c, a)->note = plan_str(c->p, "attaches the built index: no scan");
	plan_step_set_rollback(
	    c->p, at(c, a),
	    rb ? rb
	       : pgp_sprintf(c, "ALTER TABLE %s DROP CONSTRAINT %s;\n", qt,
			     qk));
	/* A primary key also rejects NULLs, which the unique check
	 * ignores. */
	for (int j = 0; ask && pk && j < k->ncolumns; j++) {
		plan_check *nn = plan_add_check(c->p, PLAN_CHECK_NOT_NULL, a,
						t->schema, t->name);
		plan_check_add_column(c->p, nn, k->columns[j]);
	}
	if (!pgp_in_source(&c->fwd.stmts[i]))
		con_reason(c, a, c->fwd.stmts[i].object,
			   pk ? "primary key" : "unique key", t);
	return 1;
}

int pgp_strategy_constraint(pgp_ctx *c, int i, error *e)
{
	(void)e;
	const diff_stmt *st = &c->fwd.stmts[i];
	if (st->change == CHANGE_VALIDATE_CONSTRAINT &&
	    st->obj.kind == CHANGE_OBJ_CONSTRAINT && st->before.obj &&
	    st->before.parent)
		return con_validate(c, i);
	/* A domain's constraint is another object kind. */
	if (st->change != CHANGE_ADD_CONSTRAINT ||
	    st->obj.kind != CHANGE_OBJ_CONSTRAINT || !st->after.obj)
		return 0;
	const m_constraint *k = st->after.obj;
	const m_table *to_t = st->after.parent;
	const m_table *t = existing_table(c, st);
	if (!t || t->kind == 'p')
		return 0;
	switch (k->kind) {
	case M_CON_FOREIGN:
	case M_CON_CHECK:
		return con_not_valid(c, i, to_t, k);
	case M_CON_UNIQUE:
	case M_CON_PRIMARY: {
		const m_index *ix =
		    pg_key_reuses_index(c->from, c->to, to_t, k);
		if (ix && strstr(st->sql, " USING INDEX "))
			return pgp_key_reuse_index(c, i, to_t, k, ix);
		return con_using_index(c, i, to_t, k);
	}
	default:
		return 0;
	}
}

/* ---- NOT NULL --------------------------------------------------------- */

void pgp_safe_set_not_null(pgp_ctx *c, const m_table *t, const char *col,
			   const char *object, bool check_data)
{
	const char *qt = pgp_qname(c, t->schema, t->name);
	const char *qc = pgp_ident(c, col);
	const char *name = pgp_helper_name(c, col, "_not_null_schemig");
	const char *qk = pgp_ident(c, name);
	const char *add = pgp_sprintf(c,
				      "ALTER TABLE %s ADD CONSTRAINT %s CHECK "
				      "(%s IS NOT NULL) NOT VALID;\n",
				      qt, qk, qc);
	int n = pgp_step(c, "add_check_not_valid", object, qt, add,
			 "ACCESS EXCLUSIVE", HZ_ACCESS_EXCLUSIVE_LOCK)
		    ->n;
	at(c, n)->note =
	    plan_str(c->p, "a temporary check, NOT VALID: brief lock");
	plan_step_set_rollback(
	    c->p, at(c, n),
	    pgp_sprintf(c, "ALTER TABLE %s DROP CONSTRAINT IF EXISTS %s;\n", qt,
			qk));
	int v =
	    pgp_step(c, "validate_constraint", object, qt,
		     pgp_sprintf(c, "ALTER TABLE %s VALIDATE CONSTRAINT %s;\n",
				 qt, qk),
		     "SHARE UPDATE EXCLUSIVE", HZ_TABLE_SCAN)
		->n;
	at(c, v)->scans = true;
	at(c, v)->est_lock_ms = pgp_est_ms(c, qt, 1);
	at(c, v)->note = plan_str(c->p, "scans for NULLs while writes go on");
	plan_step_set_no_rollback(c->p, at(c, v),
				  "nothing to undo: validation only reads");
	if (check_data) {
		plan_check *ck = plan_add_check(c->p, PLAN_CHECK_NOT_NULL, v,
						t->schema, t->name);
		plan_check_add_column(c->p, ck, col);
	}
	int s =
	    pgp_step(
		c, "set_not_null", object, qt,
		pgp_sprintf(c, "ALTER TABLE %s ALTER COLUMN %s SET NOT NULL;\n",
			    qt, qc),
		"ACCESS EXCLUSIVE", HZ_ACCESS_EXCLUSIVE_LOCK)
		->n;
	at(c, s)->note = plan_str(
	    c->p, c->server_version >= 120000
		      ? "the validated check lets PostgreSQL skip the scan"
		      : "PostgreSQL before 12 scans the table under this lock");
	if (c->server_version < 120000) {
		at(c, s)->hazards |= HZ_TABLE_SCAN;
		at(c, s)->scans = true;
		at(c, s)->est_lock_ms = pgp_est_ms(c, qt, 1);
	}
	plan_step_set_rollback(
	    c->p, at(c, s),
	    pgp_sprintf(c, "ALTER TABLE %s ALTER COLUMN %s DROP NOT NULL;\n",
			qt, qc));
	int d = pgp_step(c, "drop_check", object, qt,
			 pgp_sprintf(c, "ALTER TABLE %s DROP CONSTRAINT %s;\n",
				     qt, qk),
			 "ACCESS EXCLUSIVE", HZ_ACCESS_EXCLUSIVE_LOCK)
		    ->n;
	at(c, d)->note =
	    plan_str(c->p, "the temporary check is no longer needed");
	plan_step_set_rollback(c->p, at(c, d), add);
}

int pgp_strategy_not_null(pgp_ctx *c, int i, error *e)
{
	const diff_stmt *st = &c->fwd.stmts[i];
	/* A domain's NOT NULL is another object kind. */
	if (st->change != CHANGE_SET_NOT_NULL ||
	    st->obj.kind != CHANGE_OBJ_COLUMN || !pgp_in_target(st) ||
	    !pgp_in_source(st))
		return 0;
	const m_column *col = st->after.obj;
	const m_table *t = existing_table(c, st);
	if (!t || t->kind == 'p')
		return 0;
	bool tx;
	(void)pgp_rollback_of(c, i, &tx); /* the reverse DROP NOT NULL */
	/* The differ sets the default after NOT NULL; the deployed code's
	 * inserts that leave the column out would fail in between, so the
	 * default comes first. */
	for (int j = i + 1; j < c->fwd.nstmts; j++) {
		char key[32];
		snprintf(key, sizeof(key), "#%d", j);
		if (c->fwd.stmts[j].change != CHANGE_SET_DEFAULT ||
		    !pgp_same_object(&c->fwd.stmts[j], st) ||
		    strmap_contains(&c->done, key))
			continue;
		if (pgp_plain(c, j, e))
			return -1;
		strmap_put(&c->done, key, NULL);
	}
	int first = c->p->nsteps + 1;
	pgp_safe_set_not_null(c, t, col->name, st->object, true);
	if (!col->default_expr) {
		at(c, first + 2)->hazards |= HZ_BREAKS_OLD_CODE;
		plan_add_reason(c->p, first + 2, st->object,
				"column %s becomes NOT NULL without a default: "
				"the deployed code may still leave it NULL",
				st->object);
	}
	return 1;
}

/* ---- enum values ------------------------------------------------------ */

int pgp_strategy_enum(pgp_ctx *c, int i, error *e)
{
	(void)e;
	const diff_stmt *st = &c->fwd.stmts[i];
	if (st->change != PGC_ADD_ENUM_VALUE)
		return 0;
	/* Before PostgreSQL 12, ADD VALUE cannot run in a transaction block;
	 * from 12 it can, but the value is usable only once committed: each
	 * step commits on its own, so later steps may use it. */
	bool tx = c->server_version >= 120000;
	int n = pgp_step(c, "add_enum_value", st->object, NULL,
			 pgp_sprintf(c, "%s;\n", st->sql), "none",
			 tx ? 0 : HZ_NOT_TRANSACTIONAL)
		    ->n;
	at(c, n)->transactional = tx;
	at(c, n)->note = plan_str(
	    c->p, tx ? "usable by the steps after it, once committed"
		     : "outside a transaction, as PostgreSQL before 12 needs");
	plan_step_set_no_rollback(
	    c->p, at(c, n),
	    "PostgreSQL cannot remove a value from an enum; it stays, unused");
	return 1;
}

/* ---- drops ------------------------------------------------------------ */

#define DEFER_PREFIX "_schemig_drop_"

/* With defer_drops, a table or column that goes away is renamed aside so
 * that the rollback can bring it back with its rows; a later plan, which
 * sees the renamed object, drops it for real. */
int pgp_strategy_drop(pgp_ctx *c, int i, error *e)
{
	(void)e;
	const diff_stmt *st = &c->fwd.stmts[i];
	bool table = st->change == CHANGE_DROP_TABLE;
	if (!c->p->settings.defer_drops ||
	    (!table && st->change != CHANGE_DROP_COLUMN))
		return 0;
	const char *qt, *aside, *fwd, *back;
	if (table) {
		const m_table *t = st->before.obj;
		if (!t || starts(t->name, DEFER_PREFIX) || pgp_in_target(st))
			return 0;
		qt = pgp_qname(c, t->schema, t->name);
		aside = pgp_ident(
		    c, pgp_helper_name(
			   c, pgp_sprintf(c, DEFER_PREFIX "%s", t->name), ""));
		fwd =
		    pgp_sprintf(c, "ALTER TABLE %s RENAME TO %s;\n", qt, aside);
		back = pgp_sprintf(
		    c, "ALTER TABLE %s RENAME TO %s;\n",
		    pgp_qname(
			c, t->schema,
			pgp_helper_name(
			    c, pgp_sprintf(c, DEFER_PREFIX "%s", t->name), "")),
		    pgp_ident(c, t->name));
	} else {
		const m_column *col = st->before.obj;
		const m_table *t = st->before.parent;
		if (!col || starts(col->name, DEFER_PREFIX) ||
		    pgp_in_target(st))
			return 0;
		qt = pgp_qname(c, t->schema, t->name);
		const char *name = pgp_helper_name(
		    c, pgp_sprintf(c, DEFER_PREFIX "%s", col->name), "");
		if (col->not_null && !col->default_expr)
			return 0; /* kept aside, it would reject new rows */
		aside = pgp_ident(c, name);
		fwd = pgp_sprintf(c, "ALTER TABLE %s RENAME COLUMN %s TO %s;\n",
				  qt, pgp_ident(c, col->name), aside);
		back =
		    pgp_sprintf(c, "ALTER TABLE %s RENAME COLUMN %s TO %s;\n",
				qt, aside, pgp_ident(c, col->name));
	}
	int n =
	    pgp_step(c, "rename_aside", st->object, qt, fwd, "ACCESS EXCLUSIVE",
		     HZ_ACCESS_EXCLUSIVE_LOCK | HZ_BREAKS_OLD_CODE)
		->n;
	plan_step_set_rollback(c->p, at(c, n), back);
	at(c, n)->note = plan_str(
	    c->p, "deferred drop: renamed aside with its data; the next plan "
		  "drops it");
	plan_add_reason(
	    c->p, n, st->object,
	    "%s %s goes away (renamed aside): the deployed code may "
	    "still use it",
	    table ? "table" : "column", st->object);
	bool tx;
	(void)pgp_rollback_of(c, i, &tx);
	return 1;
}
