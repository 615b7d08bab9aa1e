/*
 * Column strategies: new columns whose default is volatile (backfilled in
 * batches instead of rewriting the table) and type changes (in place when
 * the server needs no rewrite, otherwise expand and contract: a shadow
 * column kept in sync by a trigger, a batched backfill, then a swap).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cast.h"
#include "pg.h"
#include "plan_internal.h"

static plan_step *at(pgp_ctx *c, int n)
{
	return &c->p->steps[n - 1];
}

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* True when `name(` is called in `expr` (as a whole word). */
static bool calls(const char *expr, const char *name)
{
	size_t l = strlen(name);
	for (const char *p = strstr(expr, name); p; p = strstr(p + 1, name)) {
		bool word = p == expr ||
			    !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
		if (word && p[l] == '(')
			return true;
	}
	return false;
}

/*
 * A default PostgreSQL must evaluate once per row. Since PostgreSQL 11, a
 * non-volatile default is evaluated once and stored in the catalog, so
 * the column is added without touching the rows; a volatile one rewrites
 * the table. A routine of the target schema counts as volatile unless
 * its definition says IMMUTABLE or STABLE (VOLATILE is the default).
 */
static bool default_is_volatile(pgp_ctx *c, const char *expr)
{
	static const char *const volatile_fns[] = {
	    "nextval",		"random",	    "gen_random_uuid",
	    "uuid_generate_v1", "uuid_generate_v4", "clock_timestamp",
	    "timeofday",	"setval",	    "txid_current",
	    "gen_random_bytes",
	};
	for (size_t i = 0; i < sizeof(volatile_fns) / sizeof(volatile_fns[0]);
	     i++)
		if (calls(expr, volatile_fns[i]))
			return true;
	for (int i = 0; i < c->to->nfunctions; i++) {
		const m_function *f = &c->to->functions[i];
		if (calls(expr, f->name) && f->definition &&
		    !strstr(f->definition, " IMMUTABLE") &&
		    !strstr(f->definition, " STABLE"))
			return true;
	}
	return false;
}

/* The table of a column statement in the source, unless the plan makes
 * it (an empty table needs no care). */
static const m_table *existing(pgp_ctx *c, const diff_stmt *st)
{
	const m_table *t = st->before.parent;
	if (!t || pgp_table_is_new(c, pgp_qname(c, t->schema, t->name)))
		return NULL;
	return t;
}

/* Statement `k` sets the default of the column statement `i` is about. */
static bool sets_default(pgp_ctx *c, int k, int i)
{
	return c->fwd.stmts[k].change == CHANGE_SET_DEFAULT &&
	       pgp_same_object(&c->fwd.stmts[k], &c->fwd.stmts[i]);
}

static const char *type_clause(pgp_ctx *c, const m_column *col)
{
	return col->collation
		   ? pgp_sprintf(c, "%s COLLATE %s", col->type, col->collation)
		   : col->type;
}

/* ---- new columns ------------------------------------------------------ */

static int add_volatile(pgp_ctx *c, int i, const m_table *t,
			const m_column *col)
{
	const char *obj = c->fwd.stmts[i].object;
	const char *qt = pgp_qname(c, t->schema, t->name);
	const char *qc = pgp_ident(c, col->name);
	bool tx;
	const char *rb = pgp_rollback_of(c, i, &tx);
	int a = pgp_step(c, "add_column_nullable", obj, qt,
			 pgp_sprintf(c, "ALTER TABLE %s ADD COLUMN %s %s;\n",
				     qt, qc, type_clause(c, col)),
			 "ACCESS EXCLUSIVE", HZ_ACCESS_EXCLUSIVE_LOCK)
		    ->n;
	at(c, a)->note = plan_str(c->p, "nullable and without a default: no "
					"rewrite, the lock is brief");
	plan_step_set_rollback(
	    c->p, at(c, a),
	    rb ? rb
	       : pgp_sprintf(c, "ALTER TABLE %s DROP COLUMN %s;\n", qt, qc));
	int d =
	    pgp_step(c, "set_default", obj, qt,
		     pgp_sprintf(c,
				 "ALTER TABLE %s ALTER COLUMN %s SET DEFAULT "
				 "%s;\n",
				 qt, qc, col->default_expr),
		     "ACCESS EXCLUSIVE", HZ_ACCESS_EXCLUSIVE_LOCK)
		->n;
	at(c, d)->note = plan_str(c->p, "new rows get the default from now on");
	plan_step_set_rollback(
	    c->p, at(c, d),
	    pgp_sprintf(c, "ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT;\n", qt,
			qc));
	int b = pgp_step_backfill(
	    c, obj, t, pgp_sprintf(c, "%s = %s", qc, col->default_expr),
	    pgp_sprintf(c, "%s IS NULL", qc));
	plan_step *s = at(c, b);
	s->note = plan_str(c->p, "one transaction per batch of keys, with a "
				 "pause between batches");
	plan_step_set_no_rollback(
	    c->p, s,
	    pgp_sprintf(c,
			"nothing to undo: the rollback of step %d drops "
			"the column",
			a));
	if (col->not_null)
		pgp_safe_set_not_null(c, t, col->name, obj, false);
	return 1;
}

int pgp_strategy_add_column(pgp_ctx *c, int i, error *e)
{
	const diff_stmt *st = &c->fwd.stmts[i];
	if (st->change != CHANGE_ADD_COLUMN || !st->after.obj)
		return 0;
	const m_table *t = existing(c, st);
	if (!t)
		return 0;
	const char *qt = pgp_qname(c, t->schema, t->name);
	const m_column *col = st->after.obj;
	if (col->default_expr && !col->generated_expr && !col->identity &&
	    t->kind == 'r' && default_is_volatile(c, col->default_expr))
		return add_volatile(c, i, t, col);
	if (pgp_plain(c, i, e))
		return -1;
	plan_step *s = at(c, c->p->nsteps);
	if (col->identity || col->generated_expr ||
	    (col->default_expr && c->server_version < 110000) ||
	    (col->default_expr && default_is_volatile(c, col->default_expr))) {
		s->hazards |= HZ_TABLE_REWRITE;
		s->rewrites = true;
		s->est_lock_ms = pgp_est_ms(c, qt, 3);
		s->note = plan_str(c->p, "rewrites the table under ACCESS "
					 "EXCLUSIVE (identity, generated or "
					 "per-row default)");
	} else if (col->not_null && !col->default_expr) {
		s->hazards |= HZ_BREAKS_OLD_CODE;
		plan_add_reason(c->p, s->n, st->object,
				"new column %s is NOT NULL without a default: "
				"the deployed code's inserts will fail",
				st->object);
		plan_check *k = plan_add_check(c->p, PLAN_CHECK_ROWS, s->n,
					       t->schema, t->name);
		plan_check_add_column(c->p, k, col->name);
		s = at(c, c->p->nsteps);
	} else {
		s->note = plan_str(c->p, col->default_expr
					     ? "the default is stored in the "
					       "catalog: no rewrite"
					     : "no rewrite; the lock is brief");
	}
	return 1;
}

/* ---- type changes ----------------------------------------------------- */

static long type_arg(const char *type, const char *prefix, long *scale)
{
	const char *p = type + strlen(prefix);
	char *end;
	long n = strtol(p, &end, 10);
	*scale = *end == ',' ? strtol(end + 1, NULL, 10) : 0;
	return n;
}

bool pgp_type_change_in_place(const char *from, const char *to)
{
	static const char vc[] = "character varying(", num[] = "numeric(";
	long s1, s2;
	if (starts(from, vc) || !strcmp(from, "character varying") ||
	    !strcmp(from, "text")) {
		/* varchar(n) -> varchar(m >= n), varchar or text: the same
		 * bytes, and no value can be too long. */
		if (!strcmp(to, "text") || !strcmp(to, "character varying"))
			return true;
		if (starts(from, vc) && starts(to, vc))
			return type_arg(to, vc, &s2) >= type_arg(from, vc, &s1);
		return false;
	}
	if (starts(from, num)) {
		if (!strcmp(to, "numeric"))
			return true;
		if (starts(to, num)) {
			long p1 = type_arg(from, num, &s1),
			     p2 = type_arg(to, num, &s2);
			return s1 == s2 && p2 >= p1;
		}
	}
	return false;
}

/* Does `text` mention the quoted identifier `qc` as a word? Conservative:
 * a false positive only means the safe fallback. */
static bool mentions(const char *text, const char *qc)
{
	if (!text)
		return false;
	size_t l = strlen(qc);
	for (const char *p = strstr(text, qc); p; p = strstr(p + 1, qc)) {
		bool left = p == text ||
			    !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
		bool right = !(isalnum((unsigned char)p[l]) || p[l] == '_');
		if (left && right)
			return true;
	}
	return false;
}

/* Why expand and contract cannot be used for this column (NULL: it can):
 * what refers to the column would be lost when the old one is dropped. */
static const char *expand_blocker(pgp_ctx *c, const m_table *t,
				  const m_column *x, const m_column *y)
{
	const char *qc = pgp_ident(c, x->name);
	if (t->kind != 'r' || t->ninherits || t->parent.schema)
		return "partitioned or inherited table";
	if (x->identity || x->generated_expr || y->identity ||
	    y->generated_expr)
		return "identity or generated column";
	const model *ms[2] = {c->from, c->to};
	for (int m = 0; m < 2; m++) {
		const m_table *mt = model_find_table(ms[m], t->schema, t->name);
		if (!mt)
			continue;
		for (int k = 0; k < mt->nconstraints; k++)
			if (mentions(mt->constraints[k].definition, qc) ||
			    mentions(mt->constraints[k].definition, x->name))
				return "a constraint uses the column";
		for (int k = 0; k < mt->ncolumns; k++)
			if (mt->columns[k].generated_expr)
				return "the table has generated columns";
		for (int k = 0; k < ms[m]->ntables; k++)
			for (int r = 0; r < ms[m]->tables[k].ninherits; r++)
				if (!strcmp(ms[m]->tables[k].inherits[r].name,
					    t->name))
					return "the table has children";
		for (int k = 0; k < ms[m]->nindexes; k++) {
			const m_index *ix = &ms[m]->indexes[k];
			if (!strcmp(ix->schema, t->schema) &&
			    !strcmp(ix->table, t->name) &&
			    (mentions(ix->definition, qc) ||
			     mentions(ix->definition, x->name)))
				return "an index uses the column";
		}
		for (int k = 0; k < ms[m]->ntriggers; k++)
			if (!strcmp(ms[m]->triggers[k].schema, t->schema) &&
			    !strcmp(ms[m]->triggers[k].table, t->name))
				return "the table has triggers";
		for (int k = 0; k < ms[m]->npolicies; k++)
			if (!strcmp(ms[m]->policies[k].schema, t->schema) &&
			    !strcmp(ms[m]->policies[k].table, t->name))
				return "the table has row security policies";
		for (int k = 0; k < ms[m]->ngrants; k++)
			if (ms[m]->grants[k].column &&
			    !strcmp(ms[m]->grants[k].column, x->name) &&
			    !strcmp(ms[m]->grants[k].name, t->name))
				return "the column has its own privileges";
		for (int k = 0; k < ms[m]->nsequences; k++)
			if (ms[m]->sequences[k].owner_column &&
			    !strcmp(ms[m]->sequences[k].owner_column,
				    x->name) &&
			    !strcmp(ms[m]->sequences[k].owner.name, t->name))
				return "a sequence is owned by the column";
	}
	return NULL;
}

typedef struct retype {
	const m_table *t;
	const m_column *x, *y; /* before, after */
	const char *qt, *qc;
} retype;

/* The forward statement that changes the type of the column statement
 * `i` is about, after `i`. */
static int retype_stmt_after(pgp_ctx *c, int i)
{
	for (int j = i + 1; j < c->fwd.nstmts; j++)
		if (c->fwd.stmts[j].change == CHANGE_ALTER_COLUMN_TYPE &&
		    pgp_same_object(&c->fwd.stmts[j], &c->fwd.stmts[i]))
			return j;
	return -1;
}

/* The column of statement `st` in both models (a domain's default is
 * another object kind). */
static bool find_retype(pgp_ctx *c, const diff_stmt *st, retype *r)
{
	if (st->obj.kind != CHANGE_OBJ_COLUMN || !st->before.obj ||
	    !st->after.obj)
		return false;
	const m_table *a = st->before.parent;
	r->qt = pgp_qname(c, a->schema, a->name);
	r->t = existing(c, st);
	r->x = st->before.obj;
	r->y = st->after.obj;
	r->qc = pgp_ident(c, r->x->name);
	return r->t != NULL;
}

/* Expand and contract applies: a real type change, no rewrite-free path,
 * not told to rewrite, and nothing else tied to the column. */
static bool expands(pgp_ctx *c, const retype *r)
{
	return strcmp(r->x->type, r->y->type) &&
	       !pgp_type_change_in_place(r->x->type, r->y->type) &&
	       !c->p->settings.allow_rewrite &&
	       !expand_blocker(c, r->t, r->x, r->y);
}

/* `expr` converted from the column's type `from` to `to` as the
 * differ's USING does (cast.h: two enums go through text). `back`: the
 * rollback's direction, the types of the target going to the source.
 * The differ refuses a change without a cast, so the plain cast below is
 * only ever a fallback. */
static const char *convert(pgp_ctx *c, const char *expr, const char *from,
			   const char *to, bool back)
{
	strbuf sb = STRBUF_INIT;
	if (!pg_cast_using(&sb, back ? c->to : c->from, back ? c->from : c->to,
			   expr, from, to))
		strbuf_addf(&sb, "%s::%s", expr, to);
	const char *s = pgp_sprintf(c, "%s", strbuf_str(&sb));
	strbuf_release(&sb);
	return s;
}

static void mark_done(pgp_ctx *c, int j)
{
	char key[32];
	snprintf(key, sizeof(key), "#%d", j);
	strmap_put(&c->done, key, NULL);
}

static void narrowing(pgp_ctx *c, int n, const retype *r, const char *obj)
{
	at(c, n)->hazards |= HZ_BREAKS_OLD_CODE;
	plan_add_reason(c->p, n, obj,
			"column %s narrows from %s to %s: existing values and "
			"the deployed code's writes may not fit",
			obj, r->x->type, r->y->type);
	plan_check *k = plan_add_check(c->p, PLAN_CHECK_NARROW, n, r->t->schema,
				       r->t->name);
	*ARENA_PUSH(&c->p->arena, k->columns, k->ncolumns, k->ccolumns) =
	    plan_str(c->p, r->x->name);
	k->type = plan_str(c->p, r->y->type);
}

/* The names expand and contract gives its helpers, and the steps it
 * has made so far. */
typedef struct ec_plan {
	const char *obj;
	const char *qs;	  /* the shadow column, quoted */
	const char *fn;	  /* the sync function, qualified */
	const char *trg;  /* the sync trigger, quoted */
	const char *cast; /* the old column cast to the new type */
	const char *chk;  /* the NOT NULL check, or NULL */
	int add;	  /* the step that adds the shadow column */
} ec_plan;

static void ec_names(pgp_ctx *c, int i, const retype *r, ec_plan *e)
{
	e->obj = c->fwd.stmts[i].object;
	const char *schema = r->t->schema;
	/* Helper names within 63 bytes, distinct for distinct columns. */
	const char *shadow = pgp_helper_name(
	    c, pgp_sprintf(c, "_schemig_new_%s", r->x->name), "");
	e->qs = pgp_ident(c, shadow);
	e->fn = pgp_qname(c, schema,
			  pgp_helper_name(c,
					  pgp_sprintf(c, "_schemig_sync_%s_%s",
						      r->t->name, r->x->name),
					  ""));
	e->trg = pgp_ident(
	    c, pgp_helper_name(
		   c, pgp_sprintf(c, "_schemig_sync_%s", r->x->name), ""));
	e->cast = convert(c, pgp_sprintf(c, "(%s)", r->qc), r->x->type,
			  r->y->type, false);
}

/* Expand: the shadow column with the new type, and the trigger that
 * keeps it in step with every write. */
static void ec_expand(pgp_ctx *c, const retype *r, ec_plan *e)
{
	const char *obj = e->obj, *qs = e->qs, *fn = e->fn, *trg = e->trg;
	int a = pgp_step(c, "add_shadow_column", obj, r->qt,
			 pgp_sprintf(c, "ALTER TABLE %s ADD COLUMN %s %s;\n",
				     r->qt, qs, type_clause(c, r->y)),
			 "ACCESS EXCLUSIVE", HZ_ACCESS_EXCLUSIVE_LOCK)
		    ->n;
	at(c, a)->note = plan_str(c->p, "expand: the new type beside the old "
					"column, no rewrite");
	plan_step_set_rollback(
	    c->p, at(c, a),
	    pgp_sprintf(c, "ALTER TABLE %s DROP COLUMN IF EXISTS %s;\n", r->qt,
			qs));

	const char *body =
	    pgp_sprintf(c, "\nBEGIN\n\tNEW.%s := %s;\n\tRETURN NEW;\nEND\n", qs,
			convert(c, pgp_sprintf(c, "(NEW.%s)", r->qc),
				r->x->type, r->y->type, false));
	int s = pgp_step(c, "create_sync_trigger", obj, r->qt,
			 pgp_sprintf(
			     c,
			     "CREATE FUNCTION %s() RETURNS trigger LANGUAGE "
			     "plpgsql AS $schemig_sync$%s$schemig_sync$;\n"
			     "CREATE TRIGGER %s BEFORE INSERT OR UPDATE ON %s "
			     "FOR EACH ROW EXECUTE FUNCTION %s();\n",
			     fn, body, trg, r->qt, fn),
			 "SHARE ROW EXCLUSIVE", HZ_BLOCKS_WRITES)
		    ->n;
	at(c, s)->note = plan_str(c->p, "keeps the new column in step with "
					"every write until the swap");
	plan_step_set_rollback(
	    c->p, at(c, s),
	    pgp_sprintf(c,
			"DROP TRIGGER IF EXISTS %s ON %s;\nDROP FUNCTION IF "
			"EXISTS %s();\n",
			trg, r->qt, fn));

	e->add = a;
}

/* Copy the old values into the shadow column, in batches. */
static void ec_backfill(pgp_ctx *c, int i, const retype *r, ec_plan *e)
{
	const char *obj = e->obj, *qs = e->qs, *cast = e->cast;
	int a = e->add;
	int b = pgp_step_backfill(
	    c, obj, r->t, pgp_sprintf(c, "%s = %s", qs, cast),
	    pgp_sprintf(c, "%s IS DISTINCT FROM %s", qs, cast));
	plan_step *bs = at(c, b);
	bs->note = plan_str(c->p, "copies the old values in batches, one "
				  "transaction each");
	plan_step_set_no_rollback(
	    c->p, bs,
	    pgp_sprintf(c,
			"nothing to undo: the rollback of step %d drops "
			"the new column",
			a));
	if (strcmp(r->x->type, r->y->type) && c->fwd.stmts[i].destructive)
		narrowing(c, b, r, obj);
}

/* NOT NULL carried over without a scan under the swap's lock: a
 * validated check on the new column lets SET NOT NULL skip it. */
static void ec_not_null(pgp_ctx *c, const retype *r, ec_plan *e)
{
	const char *obj = e->obj, *qs = e->qs, *chk = NULL;
	if (r->x->not_null && r->y->not_null) {
		chk = pgp_ident(
		    c,
		    pgp_helper_name(
			c, pgp_sprintf(c, "_schemig_nn_%s", r->x->name), ""));
		int k =
		    pgp_step(c, "add_check_not_valid", obj, r->qt,
			     pgp_sprintf(c,
					 "ALTER TABLE %s ADD CONSTRAINT %s "
					 "CHECK (%s IS NOT NULL) NOT VALID;\n",
					 r->qt, chk, qs),
			     "ACCESS EXCLUSIVE", HZ_ACCESS_EXCLUSIVE_LOCK)
			->n;
		plan_step_set_rollback(
		    c->p, at(c, k),
		    pgp_sprintf(
			c, "ALTER TABLE %s DROP CONSTRAINT IF EXISTS %s;\n",
			r->qt, chk));
		int v =
		    pgp_step(c, "validate_constraint", obj, r->qt,
			     pgp_sprintf(
				 c, "ALTER TABLE %s VALIDATE CONSTRAINT %s;\n",
				 r->qt, chk),
			     "SHARE UPDATE EXCLUSIVE", HZ_TABLE_SCAN)
			->n;
		at(c, v)->scans = true;
		at(c, v)->est_lock_ms = pgp_est_ms(c, r->qt, 1);
		plan_step_set_no_rollback(
		    c->p, at(c, v), "nothing to undo: validation only reads");
	}
	e->chk = chk;
}

/* Contract: the shadow column takes the old one's name, in one brief
 * transaction; its rollback goes back to the old type. */
static void ec_swap(pgp_ctx *c, int i, const retype *r, ec_plan *e)
{
	const char *obj = e->obj, *qs = e->qs, *fn = e->fn, *trg = e->trg,
		   *chk = e->chk;
	strbuf sw = STRBUF_INIT;
	strbuf_addf(&sw, "DROP TRIGGER %s ON %s;\nDROP FUNCTION %s();\n", trg,
		    r->qt, fn);
	strbuf_addf(&sw, "ALTER TABLE %s DROP COLUMN %s;\n", r->qt, r->qc);
	strbuf_addf(&sw, "ALTER TABLE %s RENAME COLUMN %s TO %s;\n", r->qt, qs,
		    r->qc);
	if (r->y->default_expr)
		strbuf_addf(&sw,
			    "ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s;\n",
			    r->qt, r->qc, r->y->default_expr);
	if (chk)
		strbuf_addf(&sw,
			    "ALTER TABLE %s ALTER COLUMN %s SET NOT NULL;\n"
			    "ALTER TABLE %s DROP CONSTRAINT %s;\n",
			    r->qt, r->qc, r->qt, chk);
	if (r->y->comment) {
		strbuf_addf(&sw, "COMMENT ON COLUMN %s.%s IS ", r->qt, r->qc);
		pg_quote_literal(&sw, r->y->comment);
		strbuf_adds(&sw, ";\n");
	}
	int w = pgp_step(c, "swap_column", obj, r->qt, strbuf_str(&sw),
			 "ACCESS EXCLUSIVE",
			 HZ_ACCESS_EXCLUSIVE_LOCK | HZ_DELETES_DATA)
		    ->n;
	strbuf_release(&sw);
	at(c, w)->note = plan_str(
	    c->p, "contract: the new column takes the old one's name in one "
		  "brief transaction; it is now the table's last column (code "
		  "that relies on column order, e.g. INSERT without a column "
		  "list, must name its columns)");
	/* The swap sets the target default itself: the differ's own
	 * SET DEFAULT after the type change would only repeat it. */
	for (int k = i + 1; k < c->fwd.nstmts; k++)
		if (sets_default(c, k, i)) {
			bool tx2;
			(void)pgp_rollback_of(c, k, &tx2);
			mark_done(c, k);
		}

	/* Back to the old type: a rewrite, but a rollback restores the
	 * values, which matters more than its lock. */
	strbuf rb = STRBUF_INIT;
	strbuf_addf(&rb, "ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT;\n",
		    r->qt, r->qc);
	strbuf_addf(&rb, "ALTER TABLE %s ALTER COLUMN %s TYPE %s USING %s;\n",
		    r->qt, r->qc, type_clause(c, r->x),
		    convert(c, pgp_sprintf(c, "(%s)", r->qc), r->y->type,
			    r->x->type, true));
	if (r->x->default_expr)
		strbuf_addf(&rb,
			    "ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s;\n",
			    r->qt, r->qc, r->x->default_expr);
	if (r->x->not_null && !r->y->not_null)
		strbuf_addf(&rb,
			    "ALTER TABLE %s ALTER COLUMN %s SET NOT NULL;\n",
			    r->qt, r->qc);
	if (r->x->comment && !r->y->comment) {
		strbuf_addf(&rb, "COMMENT ON COLUMN %s.%s IS ", r->qt, r->qc);
		pg_quote_literal(&rb, r->x->comment);
		strbuf_adds(&rb, ";\n");
	}
	plan_step_set_rollback(c->p, at(c, w), strbuf_str(&rb));
	strbuf_release(&rb);
}

static int expand_contract(pgp_ctx *c, int i, const retype *r)
{
	ec_plan e = {0};
	bool tx;
	ec_names(c, i, r, &e);
	(void)pgp_rollback_of(c, i, &tx);
	ec_expand(c, r, &e);
	ec_backfill(c, i, r, &e);
	ec_not_null(c, r, &e);
	ec_swap(c, i, r, &e);
	return 1;
}

/* Statements of the differ that expand and contract takes over: the
 * default is dropped and set again around an in-place type change, but
 * the swap sets the new column's default itself, and the old column must
 * keep its default for the deployed code until then. */
static int retype_in_one_step(pgp_ctx *c, int i, int j, error *e);

static int swallow_default(pgp_ctx *c, int i, error *e)
{
	const diff_stmt *st = &c->fwd.stmts[i];
	retype r;
	int j = retype_stmt_after(c, i);
	if (j < 0 || !find_retype(c, st, &r))
		return 0;
	if (!expands(c, &r))
		return retype_in_one_step(c, i, j, e);
	bool tx;
	(void)pgp_rollback_of(c, i, &tx);
	/* The set_default after the type change goes with the swap too. */
	for (int k = j + 1; k < c->fwd.nstmts; k++)
		if (sets_default(c, k, i)) {
			(void)pgp_rollback_of(c, k, &tx);
			mark_done(c, k);
		}
	return 1;
}

int pgp_strategy_retype(pgp_ctx *c, int i, error *e)
{
	const diff_stmt *st = &c->fwd.stmts[i];
	if (st->change == CHANGE_DROP_DEFAULT)
		return swallow_default(c, i, e);
	if (st->change != CHANGE_ALTER_COLUMN_TYPE)
		return 0;
	retype r;
	if (!find_retype(c, st, &r))
		return 0;
	if (expands(c, &r)) {
		int rc = expand_contract(c, i, &r);
		if (rc)
			return rc;
	}
	if (pgp_plain(c, i, e))
		return -1;
	plan_step *s = at(c, c->p->nsteps);
	bool same = !strcmp(r.x->type, r.y->type);
	if (!same && pgp_type_change_in_place(r.x->type, r.y->type)) {
		s->note =
		    plan_str(c->p, "binary-compatible: no rewrite, the lock "
				   "is brief");
		return 1;
	}
	s->hazards |= HZ_TABLE_REWRITE;
	s->rewrites = true;
	s->est_lock_ms = pgp_est_ms(c, r.qt, 3);
	const char *why = same ? NULL : expand_blocker(c, r.t, r.x, r.y);
	s->note = plan_str(
	    c->p,
	    same ? "a new collation rebuilds the column's indexes"
	    : c->p->settings.allow_rewrite
		? "rewrites the table under ACCESS EXCLUSIVE (allowed by "
		  "--allow-rewrite)"
		: pgp_sprintf(c,
			      "rewrites the table under ACCESS EXCLUSIVE: "
			      "expand and contract is not possible (%s)",
			      why ? why : "name too long"));
	if (!same && st->destructive)
		narrowing(c, s->n, &r, st->object);
	return 1;
}

/*
 * A type change done in place (rewrite or binary-compatible) with the
 * differ's DROP DEFAULT before it and SET DEFAULT after it: one step, one
 * transaction. As separate steps, inserts between them would get no
 * default (NULL, or an error on a NOT NULL column), and a plan stopped
 * by lock_timeout at the type change would leave the column without its
 * default. The lock is the type change's anyway.
 */
static int retype_in_one_step(pgp_ctx *c, int i, int j, error *e)
{
	int first = c->p->nsteps + 1;
	if (pgp_plain(c, i, e))
		return -1;
	mark_done(c, j);
	int r = pgp_strategy_retype(c, j, e);
	if (r < 0 || (!r && pgp_plain(c, j, e)))
		return -1;
	for (int k = j + 1; k < c->fwd.nstmts; k++)
		if (sets_default(c, k, i)) {
			mark_done(c, k);
			if (pgp_plain(c, k, e))
				return -1;
		}
	pgp_merge_steps(c, first, c->p->nsteps, first + 1);
	return 1;
}
