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
 *   4. drop the old copy (no rollback).
 *
 * A table that does not qualify keeps the one blocking step, and the
 * reason names why.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/xalloc.h"
#include "pg.h"
#include "plan_internal.h"

#define NEW_SUFFIX   "_schemig_new"
#define ASIDE_SUFFIX "_schemig_old" /* as diff_partition.c's */
#define SEQ_SUFFIX   "_schemig_seq" /* as diff_partition.c's */

typedef struct online {
	pgp_ctx *c;
	int ri;
	const m_table *a, *b; /* old (source), new (target) */
	const char *schema;
	const m_constraint *ok;		 /* the old table's key */
	const m_constraint *nk;		 /* the new table's conflict key */
	M_ARRAY(const char *, cols);	 /* copied columns, raw */
	M_ARRAY(const char *, back);	 /* columns written back, raw */
	M_ARRAY(const m_table *, oldp);	 /* the old table and partitions */
	M_ARRAY(const m_table *, newp);	 /* the new table and partitions */
	M_ARRAY(const m_trigger *, trg); /* the old table's enabled ones */
} online;

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static const char *tmp_name(online *o, const char *name)
{
	return pgp_helper_name(o->c, name, NEW_SUFFIX);
}

static const char *aside_name(online *o, const char *name)
{
	return pgp_helper_name(o->c, name, ASIDE_SUFFIX);
}

static const char *q(online *o, const char *name)
{
	return pgp_qname(o->c, o->schema, name);
}

static bool in_list(const char *const *l, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(l[i], s))
			return true;
	return false;
}

/* The quoted, comma-separated list of `cols`, each after `prefix`. */
static const char *names(online *o, const char *const *cols, int n,
			 const char *prefix)
{
	strbuf sb = STRBUF_INIT;
	for (int i = 0; i < n; i++) {
		strbuf_addf(&sb, "%s%s", i ? ", " : "", prefix);
		pg_quote_ident(&sb, cols[i]);
	}
	const char *s = pgp_sprintf(o->c, "%s", strbuf_str(&sb));
	strbuf_release(&sb);
	return s;
}

/* Table `t` and its partitions (at any depth) in `m`, parents first. */
static void family(online *o, const model *m, const m_table *t,
		   const m_table ***out, int *n, int *cap, int depth)
{
	*ARENA_PUSH(&o->c->arena, *out, *n, *cap) = t;
	for (int i = 0; depth < 32 && i < m->ntables; i++)
		if (same(m->tables[i].parent.schema, t->schema) &&
		    same(m->tables[i].parent.name, t->name))
			family(o, m, &m->tables[i], out, n, cap, depth + 1);
}

static bool is_new_table(online *o, const char *name)
{
	for (int i = 0; i < o->nnewp; i++)
		if (!strcmp(o->newp[i]->name, name))
			return true;
	return false;
}

/* A key whose name is an index's: it must not clash while both tables
 * exist. */
static bool has_index(const m_constraint *k)
{
	return k->kind == M_CON_PRIMARY || k->kind == M_CON_UNIQUE ||
	       k->kind == M_CON_EXCLUDE;
}

/* All of `k`'s columns are copied (the trigger can name them). */
static bool copied_key(online *o, const m_constraint *k)
{
	for (int i = 0; i < k->ncolumns; i++)
		if (!in_list(o->cols, o->ncols, k->columns[i]))
			return false;
	return k->ncolumns > 0 && !k->deferrable;
}

/* "CREATE [UNIQUE] INDEX name ON table USING ..." of the group's
 * statement `s`, on the new table's temporary names; NULL when it does
 * not read exactly so. */
static const char *index_on_new(online *o, const diff_stmt *s)
{
	pgp_ctx *c = o->c;
	const char *sql = s->sql, *p;
	if (!s->obj.table || !s->obj.name || !is_new_table(o, s->obj.table) ||
	    !same(s->obj.schema, o->schema))
		return NULL;
	if (!strncmp(sql, "CREATE INDEX ", 13))
		p = sql + 13;
	else if (!strncmp(sql, "CREATE UNIQUE INDEX ", 20))
		p = sql + 20;
	else
		return NULL;
	const char *qi = pgp_ident(c, s->obj.name);
	const char *qt = pgp_qname(c, s->obj.schema, s->obj.table);
	size_t li = strlen(qi), lt = strlen(qt);
	if (strncmp(p, qi, li) || strncmp(p + li, " ON ", 4) ||
	    strncmp(p + li + 4, qt, lt) ||
	    strncmp(p + li + 4 + lt, " USING ", 7))
		return NULL;
	return pgp_sprintf(c, "%.*s%s ON %s%s", (int)(p - sql), sql,
			   pgp_ident(c, tmp_name(o, s->obj.name)),
			   q(o, tmp_name(o, s->obj.table)), p + li + 4 + lt);
}

/* `t` under its temporary name, its keys too, its parent's temporary
 * name, its identity columns with a sequence of their own. */
static const m_table *as_new(online *o, const m_table *t)
{
	arena *ar = &o->c->arena;
	m_table *x = arena_alloc(ar, sizeof(*x));
	*x = *t;
	x->name = (char *)tmp_name(o, t->name);
	if (t->parent.schema)
		x->parent.name = (char *)tmp_name(o, t->parent.name);
	x->constraints = arena_alloc(ar, sizeof(m_constraint) *
					     (size_t)(t->nconstraints + 1));
	for (int i = 0; i < t->nconstraints; i++) {
		x->constraints[i] = t->constraints[i];
		if (has_index(&t->constraints[i]))
			x->constraints[i].name =
			    (char *)tmp_name(o, t->constraints[i].name);
	}
	x->columns =
	    arena_alloc(ar, sizeof(m_column) * (size_t)(t->ncolumns + 1));
	for (int i = 0; i < t->ncolumns; i++) {
		m_column *col = &x->columns[i];
		*col = t->columns[i];
		if (!col->identity)
			continue;
		const char *seq = pgp_sprintf(o->c, "%.20s_%.20s%s", t->name,
					      col->name, SEQ_SUFFIX);
		col->identity_options = (char *)pgp_sprintf(
		    o->c, "SEQUENCE NAME %s%s%s", q(o, seq),
		    col->identity_options ? " " : "",
		    col->identity_options ? col->identity_options : "");
	}
	return x;
}

/* The mirroring trigger: each write of `src` made in `dst` too, by the
 * old key; `conflict` the key of `dst` an insert meets. SECURITY
 * DEFINER: the writer needs no privilege on a table it does not know. */
static void sync_sql(online *o, strbuf *sb, const char *fn, const char *src,
		     const char *dst, const char *const *cols, int ncols,
		     const m_constraint *conflict)
{
	const char *qfn = q(o, fn);
	const m_constraint *ok = o->ok;
	if (!conflict)
		conflict = ok;
	strbuf_addf(sb,
		    "CREATE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql "
		    "SECURITY DEFINER SET search_path = pg_catalog, pg_temp "
		    "AS $schemig$\nBEGIN\n"
		    "\tIF TG_OP <> 'INSERT' THEN\n"
		    "\t\tDELETE FROM %s WHERE ",
		    qfn, dst);
	for (int i = 0; i < ok->ncolumns; i++) {
		const char *k = pgp_ident(o->c, ok->columns[i]);
		strbuf_addf(sb, "%s%s = OLD.%s", i ? " AND " : "", k, k);
	}
	strbuf_addf(sb,
		    ";\n\tEND IF;\n"
		    "\tIF TG_OP <> 'DELETE' THEN\n"
		    "\t\tINSERT INTO %s (%s) OVERRIDING SYSTEM VALUE VALUES "
		    "(%s) ON CONFLICT (%s) ",
		    dst, names(o, cols, ncols, ""),
		    names(o, cols, ncols, "NEW."),
		    names(o, (const char *const *)conflict->columns,
			  conflict->ncolumns, ""));
	/* The key's own columns are equal already; a partition key must not
	 * be set (the row would move). */
	int set = 0;
	for (int i = 0; i < ncols; i++) {
		if (in_list((const char *const *)conflict->columns,
			    conflict->ncolumns, cols[i]))
			continue;
		strbuf_adds(sb, set++ ? ", " : "DO UPDATE SET ");
		pg_quote_ident(sb, cols[i]);
		strbuf_adds(sb, " = EXCLUDED.");
		pg_quote_ident(sb, cols[i]);
	}
	if (!set)
		strbuf_adds(sb, "DO NOTHING");
	strbuf_addf(sb,
		    ";\n\tEND IF;\n\tRETURN NULL;\nEND\n$schemig$;\n"
		    "CREATE TRIGGER %s AFTER INSERT OR UPDATE OR DELETE ON %s "
		    "FOR EACH ROW EXECUTE FUNCTION %s();\n",
		    pgp_ident(o->c, fn), src, qfn);
}

static void drop_sync_sql(online *o, strbuf *sb, const char *fn, const char *on)
{
	strbuf_addf(sb, "DROP TRIGGER IF EXISTS %s ON %s;\n",
		    pgp_ident(o->c, fn), on);
	strbuf_addf(sb, "DROP FUNCTION IF EXISTS %s();\n", q(o, fn));
}

static const char *sync_fn(online *o)
{
	return pgp_helper_name(o->c, o->b->name, "_schemig_sync");
}

static const char *back_fn(online *o)
{
	return pgp_helper_name(o->c, o->b->name, "_schemig_back");
}

/*
 * Why the table cannot be rebuilt online, or NULL: fills `o`. The copy
 * goes in the order of the old table's one-column key, each write is
 * mirrored by it, and the new table needs a key the old one's columns
 * fill for the mirror's upsert.
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
		if (!in_list(o->back, o->nback, o->ok->columns[i]))
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
		    !x->generated_expr && !in_list(o->back, o->nback, x->name))
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
		if (!same(s->owner.schema, a->schema) ||
		    !same(s->owner.name, a->name))
			continue;
		const m_sequence *t = NULL;
		for (int j = 0; j < c->to->nsequences; j++)
			if (same(c->to->sequences[j].schema, s->schema) &&
			    same(c->to->sequences[j].name, s->name))
				t = &c->to->sequences[j];
		if (!t || !same(t->owner.name, b->name) ||
		    !same(t->owner_column, s->owner_column))
			return pgp_sprintf(c,
					   "sequence %s, owned by the old "
					   "table, changes with it",
					   s->name);
	}
	for (int i = 0; i < c->from->ntriggers; i++) {
		const m_trigger *t = &c->from->triggers[i];
		if (same(t->schema, a->schema) && same(t->table, a->name) &&
		    t->enabled != 'D')
			*ARENA_PUSH(&c->arena, o->trg, o->ntrg, o->ctrg) = t;
	}
	return NULL;
}

/* Does group statement `s` (after the rebuild) fit online? */
static const char *why_not_stmt(online *o, const diff_stmt *s)
{
	if (s->change == CHANGE_CREATE_INDEX && !index_on_new(o, s))
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

/* A name as it is at one moment of the swap: real, temporary, aside. */
typedef const char *(*namer)(online *, const char *);

static const char *real_name(online *o, const char *n)
{
	(void)o;
	return n;
}

/* Tables `ts` (described by model `m`), their keys and indexes, from
 * the names `from` gives to those `to` gives. */
static void rename_family(online *o, strbuf *sb, const m_table *const *ts,
			  int n, const model *m, namer from, namer to)
{
	pgp_ctx *c = o->c;
	for (int i = 0; i < n; i++)
		strbuf_addf(sb, "ALTER TABLE %s RENAME TO %s;\n",
			    q(o, from(o, ts[i]->name)),
			    pgp_ident(c, to(o, ts[i]->name)));
	for (int i = 0; i < n; i++) {
		const m_table *t = ts[i];
		for (int k = 0; k < t->nconstraints; k++)
			if (has_index(&t->constraints[k]))
				strbuf_addf(
				    sb,
				    "ALTER TABLE %s RENAME CONSTRAINT %s "
				    "TO %s;\n",
				    q(o, to(o, t->name)),
				    pgp_ident(c,
					      from(o, t->constraints[k].name)),
				    pgp_ident(c,
					      to(o, t->constraints[k].name)));
		for (int k = 0; k < m->nindexes; k++) {
			const m_index *x = &m->indexes[k];
			if (same(x->schema, t->schema) &&
			    same(x->table, t->name))
				strbuf_addf(sb,
					    "ALTER INDEX %s RENAME TO %s;\n",
					    q(o, from(o, x->name)),
					    pgp_ident(c, to(o, x->name)));
		}
	}
}

/* Statistics objects of the table in model `m` (their names are the
 * schema's): the old table's renamed from the names `from` gives to
 * those `to` gives, or (`to` NULL) the new table's dropped. */
static void statistics(online *o, strbuf *sb, const model *m, namer from,
		       namer to)
{
	for (int i = 0; i < m->nstatistics; i++) {
		const m_statistics *x = &m->statistics[i];
		if (!same(x->table_schema, o->schema) ||
		    !same(x->table, o->a->name))
			continue;
		if (to)
			strbuf_addf(
			    sb, "ALTER STATISTICS %s RENAME TO %s;\n",
			    pgp_qname(o->c, x->schema, from(o, x->name)),
			    pgp_ident(o->c, to(o, x->name)));
		else
			strbuf_addf(sb, "DROP STATISTICS IF EXISTS %s;\n",
				    pgp_qname(o->c, x->schema, x->name));
	}
}

/* Identity columns of both tables: the sequence of the table that takes
 * the writes from now goes on from the other's. */
static void carry_sequences(online *o, strbuf *sb, bool forward)
{
	for (int i = 0; i < o->b->ncolumns; i++) {
		const m_column *y = &o->b->columns[i];
		const m_column *x = model_table_find_column(o->a, y->name);
		if (!y->identity || !x || !x->identity)
			continue;
		strbuf tmp = STRBUF_INIT, old = STRBUF_INIT;
		pg_quote_literal(
		    &tmp, q(o, pgp_sprintf(o->c, "%.20s_%.20s%s", o->b->name,
					   y->name, SEQ_SUFFIX)));
		/* The old table is aside in the forward swap, back under
		 * its name in the rollback. */
		pg_quote_literal(&old, forward ? q(o, aside_name(o, o->a->name))
					       : q(o, o->a->name));
		strbuf col = STRBUF_INIT;
		pg_quote_literal(&col, x->name);
		const char *os = pgp_sprintf(
		    o->c, "pg_get_serial_sequence(%s, %s)::regclass",
		    strbuf_str(&old), strbuf_str(&col));
		if (forward)
			strbuf_addf(sb,
				    "SELECT setval(%s::regclass, "
				    "pg_sequence_last_value(%s));\n",
				    strbuf_str(&tmp), os);
		else
			strbuf_addf(sb,
				    "SELECT setval(%s, pg_sequence_last_value("
				    "%s::regclass));\n",
				    os, strbuf_str(&tmp));
		strbuf_release(&tmp);
		strbuf_release(&old);
		strbuf_release(&col);
	}
	/* Sequences owned by a column (serial): owned by the table that
	 * now holds the real name. */
	for (int i = 0; i < o->c->from->nsequences; i++) {
		const m_sequence *s = &o->c->from->sequences[i];
		if (same(s->owner.schema, o->a->schema) &&
		    same(s->owner.name, o->a->name))
			strbuf_addf(sb, "ALTER SEQUENCE %s OWNED BY %s.%s;\n",
				    pgp_qname(o->c, s->schema, s->name),
				    q(o, o->a->name),
				    pgp_ident(o->c, s->owner_column));
	}
}

static int prepare_step(online *o, const char *qa)
{
	pgp_ctx *c = o->c;
	strbuf fwd = STRBUF_INIT, back = STRBUF_INIT;
	for (int i = 0; i < o->nnewp; i++) {
		char *sql = pg_table_create_sql(as_new(o, o->newp[i]));
		strbuf_addf(&fwd, "%s;\n", sql);
		free(sql);
	}
	for (int j = o->ri + 1; j < c->fwd.nstmts; j++)
		if (strmap_get(&c->done, pgp_sprintf(c, "#%d", j)) == o &&
		    c->fwd.stmts[j].change == CHANGE_CREATE_INDEX)
			strbuf_addf(&fwd, "%s;\n",
				    index_on_new(o, &c->fwd.stmts[j]));
	const char *qn = q(o, tmp_name(o, o->b->name));
	sync_sql(o, &fwd, sync_fn(o), qa, qn, o->cols, o->ncols, o->nk);
	drop_sync_sql(o, &back, sync_fn(o), qa);
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

/* The old key's columns (quoted) and types. */
static void key_of(online *o, const char ***k, const char ***kt)
{
	int n = o->ok->ncolumns;
	*k = arena_alloc(&o->c->arena, sizeof(char *) * (size_t)(n + 1));
	*kt = arena_alloc(&o->c->arena, sizeof(char *) * (size_t)(n + 1));
	for (int i = 0; i < n; i++) {
		const m_column *x =
		    model_table_find_column(o->a, o->ok->columns[i]);
		(*k)[i] = pgp_ident(o->c, o->ok->columns[i]);
		(*kt)[i] = x ? x->type : "text";
	}
}

/* The copy as one script (psql, the emitters): batches of keys in the
 * key's order, each committed, as apply's batches (copy.c) but with the
 * last key in a variable. */
static const char *copy_script(online *o, const char *qa, const char *qn,
			       const char *cols, int batch, int pause)
{
	const char **k, **kt;
	int n = o->ok->ncolumns;
	key_of(o, &k, &kt);
	strbuf row = STRBUF_INIT, ord = STRBUF_INIT, desc = STRBUF_INIT,
	       js = STRBUF_INIT, lo = STRBUF_INIT, hi = STRBUF_INIT;
	pg_copy_key_sql(&row, PG_KEY_ROW, k, kt, n, NULL);
	pg_copy_key_sql(&ord, PG_KEY_ORDER, k, kt, n, NULL);
	pg_copy_key_sql(&desc, PG_KEY_DESC, k, kt, n, NULL);
	pg_copy_key_sql(&js, PG_KEY_JSON, k, kt, n, NULL);
	pg_copy_key_sql(&lo, PG_KEY_VALUE, k, kt, n, "schemig_lo");
	pg_copy_key_sql(&hi, PG_KEY_VALUE, k, kt, n, "schemig_last");
	const char *s = pgp_sprintf(
	    o->c,
	    "DO $schemig$\nDECLARE\n\tschemig_lo jsonb;\n"
	    "\tschemig_next jsonb;\n\tschemig_last jsonb;\nBEGIN\n"
	    "\tSELECT %s INTO schemig_last FROM %s ORDER BY %s LIMIT 1;\n"
	    "\tLOOP\n"
	    "\t\tWITH batch AS (SELECT %s FROM %s WHERE (schemig_lo IS NULL "
	    "OR %s > %s) AND %s <= %s ORDER BY %s LIMIT %d FOR SHARE),\n"
	    "\t\tins AS (INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE SELECT "
	    "%s FROM batch ON CONFLICT DO NOTHING)\n"
	    "\t\tSELECT %s INTO schemig_next FROM batch ORDER BY %s LIMIT "
	    "1;\n"
	    "\t\tEXIT WHEN schemig_next IS NULL;\n"
	    "\t\tschemig_lo := schemig_next;\n"
	    "\t\tCOMMIT;\n\t\tPERFORM pg_sleep(%d / 1000.0);\n\tEND LOOP;\n"
	    "END\n$schemig$;\n",
	    js.buf, qa, desc.buf, cols, qa, row.buf, lo.buf, row.buf, hi.buf,
	    ord.buf, batch, qn, cols, cols, js.buf, desc.buf, pause);
	strbuf_release(&row);
	strbuf_release(&ord);
	strbuf_release(&desc);
	strbuf_release(&js);
	strbuf_release(&lo);
	strbuf_release(&hi);
	return s;
}

/* A JSON array (as text) of `n` strings. */
static char *json_strings(online *o, const char *const *v, int n)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	char *text = json_dumps(a, JSON_COMPACT);
	char *out = plan_str(o->c->p, text);
	free(text);
	json_decref(a);
	return out;
}

static int copy_step(online *o, const char *qa)
{
	pgp_ctx *c = o->c;
	const char *qn = q(o, tmp_name(o, o->b->name));
	const char *cols = names(o, o->cols, o->ncols, "");
	int batch = pgp_batch_size(c, qa);
	int pause = c->p->settings.batch_pause_ms;
	plan_step *st =
	    pgp_step(c, "rebuild_copy", qa, qa,
		     copy_script(o, qa, qn, cols, batch, pause), "ROW SHARE",
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
	key_of(o, &k, &kt);
	b->table = plan_str(c->p, qa);
	b->key = json_strings(o, k, o->ok->ncolumns);
	b->key_type = json_strings(o, kt, o->ok->ncolumns);
	b->copy_into = plan_str(c->p, qn);
	b->columns = plan_str(c->p, cols);
	s->backfill = b;
	plan_step_set_no_rollback(c->p, s,
				  "nothing to undo: the rows are in the new "
				  "table, which the first step's rollback "
				  "drops");
	return n;
}

/* The old table's enabled triggers, off while it is the copy aside (the
 * reverse trigger's writes are no application's). */
static void old_triggers(online *o, strbuf *sb, const char *on, bool enable)
{
	for (int i = 0; i < o->ntrg; i++)
		strbuf_addf(sb, "ALTER TABLE %s %s TRIGGER %s;\n", on,
			    enable ? "ENABLE" : "DISABLE",
			    pgp_ident(o->c, o->trg[i]->name));
}

static int swap_step(online *o, const char *qa, int *nvalidate,
		     const char ***validate)
{
	pgp_ctx *c = o->c;
	const char *qaside = q(o, aside_name(o, o->a->name));
	strbuf fwd = STRBUF_INIT, back = STRBUF_INIT, readd = STRBUF_INIT;
	int nv = 0, cv = 0;
	const char **v = NULL;
	strbuf_addf(&fwd, "LOCK TABLE %s, %s IN ACCESS EXCLUSIVE MODE;\n", qa,
		    q(o, tmp_name(o, o->b->name)));
	drop_sync_sql(o, &fwd, sync_fn(o), qa);
	/* Foreign keys of other tables that reference the old table: they
	 * would follow it aside. Its own stay on the old copy. */
	for (int j = 0; j < o->ri; j++) {
		const diff_stmt *s = &c->fwd.stmts[j];
		if (strmap_get(&c->done, pgp_sprintf(c, "#%d", j)) != o)
			continue;
		const m_constraint *k = s->before.obj;
		if (s->obj.table && !is_new_table(o, s->obj.table) &&
		    !same(s->obj.table, o->a->name)) {
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
	rename_family(o, &fwd, o->oldp, o->noldp, c->from, real_name,
		      aside_name);
	statistics(o, &fwd, c->from, real_name, aside_name);
	old_triggers(o, &fwd, qaside, false);
	rename_family(o, &fwd, o->newp, o->nnewp, c->to, tmp_name, real_name);
	carry_sequences(o, &fwd, true);
	for (int j = o->ri + 1; j < c->fwd.nstmts; j++) {
		const diff_stmt *s = &c->fwd.stmts[j];
		if (strmap_get(&c->done, pgp_sprintf(c, "#%d", j)) != o ||
		    s->change == CHANGE_CREATE_INDEX)
			continue;
		const char *qt = s->obj.table
				     ? pgp_qname(c, s->obj.schema, s->obj.table)
				     : NULL;
		if (s->change == CHANGE_VALIDATE_CONSTRAINT) {
			*ARENA_PUSH(&c->arena, v, nv, cv) =
			    pgp_sprintf(c, "%s;\n", s->sql);
			continue;
		}
		const m_constraint *k = fk_added(s);
		if (k && !k->not_valid) {
			/* Checked by a later step, not under this lock. */
			strbuf_addf(&fwd, "%s NOT VALID;\n", s->sql);
			*ARENA_PUSH(&c->arena, v, nv, cv) = pgp_sprintf(
			    c, "ALTER TABLE %s VALIDATE CONSTRAINT %s;\n", qt,
			    pgp_ident(c, k->name));
		} else {
			strbuf_addf(&fwd, "%s;\n", s->sql);
		}
		/* Another table's foreign key to the new one: it would keep
		 * the new table from going in the rollbacks. */
		if (k && qt && !is_new_table(o, s->obj.table))
			strbuf_addf(&back,
				    "ALTER TABLE %s DROP CONSTRAINT IF EXISTS "
				    "%s;\n",
				    qt, pgp_ident(c, k->name));
	}
	sync_sql(o, &fwd, back_fn(o), qa, qaside, o->back, o->nback, NULL);

	/* The rollback: the new table and the old one trade names again,
	 * the old one takes the writes, the new one is mirrored again. */
	drop_sync_sql(o, &back, back_fn(o), qa);
	statistics(o, &back, c->to, NULL, NULL);
	rename_family(o, &back, o->newp, o->nnewp, c->to, real_name, tmp_name);
	old_triggers(o, &back, qaside, true);
	rename_family(o, &back, o->oldp, o->noldp, c->from, aside_name,
		      real_name);
	statistics(o, &back, c->from, aside_name, real_name);
	carry_sequences(o, &back, false);
	strbuf_adds(&back, strbuf_str(&readd));
	sync_sql(o, &back, sync_fn(o), qa, q(o, tmp_name(o, o->b->name)),
		 o->cols, o->ncols, o->nk);

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

static void drop_old_step(online *o, const char *qa)
{
	pgp_ctx *c = o->c;
	strbuf fwd = STRBUF_INIT;
	drop_sync_sql(o, &fwd, back_fn(o), qa);
	strbuf_addf(&fwd, "DROP TABLE %s;\n", q(o, aside_name(o, o->a->name)));
	/* The identity sequences take their usual names, which the old
	 * table's held (as diff_partition.c names them). */
	for (int i = 0; i < o->b->ncolumns; i++) {
		const m_column *y = &o->b->columns[i];
		if (!y->identity ||
		    strlen(o->b->name) + strlen(y->name) + 5 > 63)
			continue;
		strbuf_addf(&fwd, "ALTER SEQUENCE %s RENAME TO %s;\n",
			    q(o, pgp_sprintf(c, "%.20s_%.20s%s", o->b->name,
					     y->name, SEQ_SUFFIX)),
			    pgp_ident(c, pgp_sprintf(c, "%s_%s_seq", o->b->name,
						     y->name)));
	}
	plan_step *st =
	    pgp_step(c, "rebuild_drop_old", qa, qa, strbuf_str(&fwd),
		     "SHARE ROW EXCLUSIVE",
		     HZ_BLOCKS_WRITES | HZ_DELETES_DATA | HZ_IRREVERSIBLE);
	plan_step *sp = &c->p->steps[st->n - 1];
	sp->est_lock_ms = 0;
	sp->note = plan_str(c->p, "online rebuild: the old copy of the table "
				  "is dropped");
	plan_step_set_no_rollback(c->p, sp,
				  "the old copy of the table is dropped: "
				  "nothing brings it back");
	strbuf_release(&fwd);
}

int pgp_rebuild_online(pgp_ctx *c, int ri, bool (*in)(pgp_ctx *, int),
		       const char **why)
{
	online o = {.c = c, .ri = ri};
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
	const char *qa = q(&o, o.a->name);
	prepare_step(&o, qa);
	copy_step(&o, qa);
	int nv;
	const char **v;
	swap_step(&o, qa, &nv, &v);
	for (int i = 0; i < nv; i++) {
		plan_step *st =
		    pgp_step(c, "validate_constraint", qa, qa, v[i],
			     "SHARE UPDATE EXCLUSIVE", HZ_TABLE_SCAN);
		plan_step *sp = &c->p->steps[st->n - 1];
		sp->scans = true;
		sp->est_lock_ms = 0;
		plan_step_set_no_rollback(c->p, sp, "nothing to undo");
	}
	drop_old_step(&o, qa);
	/* `o` goes out of scope: the marks become the usual ones. */
	for (int j = 0; j < c->fwd.nstmts; j++)
		if (strmap_get(&c->done, pgp_sprintf(c, "#%d", j)) == &o)
			strmap_put(&c->done, pgp_sprintf(c, "#%d", j), NULL);
	return 1;
}
