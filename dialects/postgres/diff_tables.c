/*
 * Tables, their columns and constraints.
 */
#include "pg.h"

#include <stdlib.h>
#include <string.h>

#include "cast.h"
#include "diff_internal.h"
#include "identity.h"
#include "../../util/xalloc.h"

const char *diff_rel_key(diff_ctx *c, const char *schema, const char *name)
{
	return diff_key(c, "rel", schema, name);
}

const char *diff_col_key(diff_ctx *c, const char *prefix, const m_table *t,
			 const char *col)
{
	return diff_key3(c, prefix, t->schema, t->name, col);
}

/* Marks that other generators read: which columns go or retype (the
 * views, triggers and policies that depend on them step aside,
 * diff_deps.c), which
 * columns go (a sequence they own goes with them). */
int diff_tables_prepare(diff_ctx *c, error *e)
{
	const model *f = c->from, *t = c->to;
	MERGE_WALK(
	    f->ntables, t->ntables,
	    diff_cmp_qualified(f->tables[i_].schema, f->tables[i_].name,
			       t->tables[j_].schema, t->tables[j_].name),
	    (void)0, (void)0, {
		    const m_table *a = &f->tables[i_];
		    const m_table *b = &t->tables[j_];
		    for (int k = 0; k < a->ncolumns; k++) {
			    const m_column *x = &a->columns[k];
			    const m_column *y =
				model_table_find_column(b, x->name);
			    bool readd = y &&
					 !diff_streq(x->generated_expr,
						     y->generated_expr) &&
					 y->generated_expr;
			    if (!y || readd) {
				    diff_set_add(
					c, &c->cols,
					diff_col_key(c, "col", a, x->name));
			    }
			    if (readd)
				    diff_set_add(
					c, &c->cols,
					diff_rel_key(c, a->schema, a->name));
			    if (!y || readd || !diff_streq(x->type, y->type) ||
				!diff_streq(x->collation, y->collation)) {
				    diff_set_add(
					c, &c->cols,
					diff_col_key(c, "coltype", a, x->name));
			    }
		    }
	    });
	return diff_partition_prepare(c, e);
}

static const char *con_sql(diff_ctx *c, const m_table *t, const m_constraint *k,
			   bool add)
{
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "ALTER TABLE %s %s CONSTRAINT ",
		    diff_qname(c, t->schema, t->name), add ? "ADD" : "DROP");
	pg_quote_ident(&sb, k->name);
	/* An existing unique index the key would have made: taken over
	 * rather than dropped and built again (diff_indexes.c). */
	const m_index *ix =
	    add ? pg_key_reuses_index(c->from, c->to, t, k) : NULL;
	if (ix && !diff_set_has(&c->recreated,
				diff_key(c, "rel", t->schema, t->name))) {
		strbuf_addf(&sb, " %s USING INDEX ",
			    k->kind == M_CON_PRIMARY ? "PRIMARY KEY"
						     : "UNIQUE");
		pg_quote_ident(&sb, ix->name);
	} else if (add) {
		strbuf_addf(&sb, " %s%s", k->definition,
			    k->not_valid ? " NOT VALID" : "");
	}
	const char *s = arena_strdup(&c->arena, strbuf_str(&sb));
	strbuf_release(&sb);
	return s;
}

static void con_comment(diff_ctx *c, const m_table *t, const m_constraint *k,
			const char *old)
{
	strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, "CONSTRAINT ");
	pg_quote_ident(&sb, k->name);
	strbuf_addf(&sb, " ON %s", diff_qname(c, t->schema, t->name));
	diff_on(diff_comment(c, arena_strdup(&c->arena, strbuf_str(&sb)),
			     diff_qname3(c, t->schema, t->name, k->name), old,
			     k->comment),
		CHANGE_OBJ_CONSTRAINT, t->schema, t->name, k->name, NULL);
	strbuf_release(&sb);
}

static void con_add(diff_ctx *c, const m_table *t, const m_constraint *k)
{
	bool fk = k->kind == M_CON_FOREIGN;
	diff_item *it = diff_on(
	    diff_emit(c, fk ? PH_FK : PH_CONSTRAINT, CHANGE_ADD_CONSTRAINT,
		      diff_qname3(c, t->schema, t->name, k->name),
		      con_sql(c, t, k, true)),
	    CHANGE_OBJ_CONSTRAINT, t->schema, t->name, k->name, NULL);
	(void)it;
	con_comment(c, t, k, NULL);
}

/* A NOT VALID constraint the desired schema wants validated. */
static void con_validate(diff_ctx *c, const m_table *t, const m_constraint *k)
{
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "ALTER TABLE %s VALIDATE CONSTRAINT ",
		    diff_qname(c, t->schema, t->name));
	pg_quote_ident(&sb, k->name);
	diff_on(diff_emit(c, k->kind == M_CON_FOREIGN ? PH_FK : PH_CONSTRAINT,
			  CHANGE_VALIDATE_CONSTRAINT,
			  diff_qname3(c, t->schema, t->name, k->name),
			  arena_strdup(&c->arena, strbuf_str(&sb))),
		CHANGE_OBJ_CONSTRAINT, t->schema, t->name, k->name, NULL);
	strbuf_release(&sb);
}

static void con_drop(diff_ctx *c, const m_table *t, const m_constraint *k);

/* Does foreign key `fk` reference key `k` of table `t`? */
static bool fk_uses_key(const m_constraint *fk, const m_table *t,
			const m_constraint *k)
{
	if (fk->kind != M_CON_FOREIGN || !fk->ref.schema ||
	    diff_cmp_qualified(fk->ref.schema, fk->ref.name, t->schema,
			       t->name) ||
	    fk->nref_columns != k->ncolumns)
		return false;
	for (int i = 0; i < k->ncolumns; i++)
		if (strcmp(fk->ref_columns[i], k->columns[i]))
			return false;
	return true;
}

/*
 * A key that goes while a table whose foreign key uses it goes too: the
 * table is dropped late (phase 70), the key early (14), and the server
 * refuses to drop a key a foreign key still needs. That foreign key is
 * dropped first (11), on its own; the table's drop follows later.
 */
void diff_drop_dropped_tables_fks(diff_ctx *c, const m_table *t,
				  const m_constraint *k)
{
	for (int i = 0; i < c->from->ntables; i++) {
		const m_table *r = &c->from->tables[i];
		if (model_find_table(c->to, r->schema, r->name))
			continue;
		for (int j = 0; j < r->nconstraints; j++)
			if (fk_uses_key(&r->constraints[j], t, k))
				con_drop(c, r, &r->constraints[j]);
	}
}

static void col_alter(diff_ctx *c, const m_table *t, const char *col, int kind,
		      const char *what, bool destructive);

/*
 * A partition's columns are its parent's (the model keeps none for
 * it), but the NOT NULL its own primary key put on them stays when the
 * key goes, where a partition made from the target has none: drop it,
 * unless the parent's column is NOT NULL too (then it is inherited).
 */
static void drop_partition_key_not_null(diff_ctx *c, const m_table *t,
					const m_constraint *k)
{
	const m_table *parent =
	    model_find_table(c->to, t->parent.schema, t->parent.name);
	for (int i = 0; parent && i < k->ncolumns; i++) {
		const m_column *pc =
		    model_table_find_column(parent, k->columns[i]);
		if (pc && !pc->not_null)
			col_alter(c, t, k->columns[i], CHANGE_DROP_NOT_NULL,
				  "DROP NOT NULL", false);
	}
}

static void con_drop(diff_ctx *c, const m_table *t, const m_constraint *k)
{
	if (k->kind == M_CON_PRIMARY || k->kind == M_CON_UNIQUE)
		diff_drop_dropped_tables_fks(c, t, k);
	if (k->kind == M_CON_PRIMARY && t->parent.schema && !t->ncolumns &&
	    model_find_table(c->to, t->schema, t->name))
		drop_partition_key_not_null(c, t, k);
	diff_on(diff_emit(c,
			  k->kind == M_CON_FOREIGN ? PH_DROP_FK
						   : PH_DROP_CONSTRAINT,
			  CHANGE_DROP_CONSTRAINT,
			  diff_qname3(c, t->schema, t->name, k->name),
			  con_sql(c, t, k, false)),
		CHANGE_OBJ_CONSTRAINT, t->schema, t->name, k->name, NULL);
}

static void col_comment(diff_ctx *c, const m_table *t, const m_column *col,
			const char *old)
{
	const char *q = diff_qname3(c, t->schema, t->name, col->name);
	diff_on(diff_comment(c, arena_sprintf(&c->arena, "COLUMN %s", q), q,
			     old, col->comment),
		CHANGE_OBJ_COLUMN, t->schema, t->name, col->name, NULL);
}

/* Constraints CREATE TABLE cannot hold: foreign keys (their tables may
 * come later) and NOT VALID ones (the server ignores NOT VALID in CREATE
 * TABLE and validates: the new table would not match a database loaded
 * from the file, where the constraint stays NOT VALID). */
static bool added_later(const m_constraint *k)
{
	return k->kind == M_CON_FOREIGN || k->not_valid;
}

const char *diff_table_create_sql(diff_ctx *c, const m_table *t)
{
	const char *q = diff_qname(c, t->schema, t->name);
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "CREATE %sTABLE %s", t->unlogged ? "UNLOGGED " : "",
		    q);
	bool partition = t->parent.schema != NULL;
	if (partition)
		strbuf_addf(&sb, " PARTITION OF %s",
			    diff_qname(c, t->parent.schema, t->parent.name));
	int n = 0;
	for (int i = 0; i < t->ncolumns; i++) {
		strbuf_adds(&sb, n++ ? ",\n\t" : " (\n\t");
		diff_column_def(&sb, &t->columns[i]);
	}
	for (int i = 0; i < t->nconstraints; i++) {
		const m_constraint *k = &t->constraints[i];
		if (added_later(k))
			continue;
		strbuf_adds(&sb, n++ ? ",\n\t" : " (\n\t");
		strbuf_adds(&sb, "CONSTRAINT ");
		pg_quote_ident(&sb, k->name);
		strbuf_addf(&sb, " %s", k->definition);
	}
	if (n)
		strbuf_adds(&sb, "\n)");
	else if (!partition)
		strbuf_adds(&sb, " ()");
	if (partition)
		strbuf_addf(&sb, " %s",
			    t->partition_bound ? t->partition_bound
					       : "DEFAULT");
	if (t->ninherits) {
		strbuf_adds(&sb, " INHERITS (");
		for (int i = 0; i < t->ninherits; i++) {
			if (i)
				strbuf_adds(&sb, ", ");
			pg_quote_qualified(&sb, t->inherits[i].schema,
					   t->inherits[i].name);
		}
		strbuf_addch(&sb, ')');
	}
	if (t->partition_key)
		strbuf_addf(&sb, " PARTITION BY %s", t->partition_key);
	if (t->options)
		strbuf_addf(&sb, " WITH (%s)", t->options);
	const char *s = arena_strdup(&c->arena, strbuf_str(&sb));
	strbuf_release(&sb);
	return s;
}

char *pg_table_create_sql(const m_table *t)
{
	diff_ctx c;
	memset(&c, 0, sizeof(c));
	char *sql = xstrdup(diff_table_create_sql(&c, t));
	arena_free(&c.arena);
	return sql;
}

static diff_item *table_create(diff_ctx *c, const m_table *t)
{
	const char *q = diff_qname(c, t->schema, t->name);
	diff_item *it = diff_on(diff_emit(c, PH_TABLE, CHANGE_CREATE_TABLE, q,
					  diff_table_create_sql(c, t)),
				0, t->schema, NULL, t->name, NULL);
	diff_provide(c, it, diff_rel_key(c, t->schema, t->name));
	diff_need(c, it, diff_key(c, "schema", NULL, t->schema));
	if (t->parent.schema)
		diff_need(c, it,
			  diff_rel_key(c, t->parent.schema, t->parent.name));
	for (int i = 0; i < t->ninherits; i++)
		diff_need(c, it,
			  diff_rel_key(c, t->inherits[i].schema,
				       t->inherits[i].name));
	diff_table_create_rest(c, t);
	return it;
}

void diff_table_create_rest(diff_ctx *c, const m_table *t)
{
	const char *q = diff_qname(c, t->schema, t->name);
	if (t->rls_enabled)
		diff_on(diff_emit(
			    c, PH_TABLE, PGC_ENABLE_RLS, q,
			    arena_sprintf(
				&c->arena,
				"ALTER TABLE %s ENABLE ROW LEVEL SECURITY", q)),
			0, t->schema, NULL, t->name, NULL);
	if (t->rls_forced)
		diff_on(diff_emit(c, PH_TABLE, PGC_FORCE_RLS, q,
				  arena_sprintf(
				      &c->arena,
				      "ALTER TABLE %s FORCE ROW LEVEL SECURITY",
				      q)),
			0, t->schema, NULL, t->name, NULL);
	diff_replica_identity(c, NULL, t);
	for (int i = 0; i < t->nconstraints; i++) {
		if (added_later(&t->constraints[i]))
			con_add(c, t, &t->constraints[i]);
		else
			con_comment(c, t, &t->constraints[i], NULL);
	}
	diff_on(diff_comment(c, arena_sprintf(&c->arena, "TABLE %s", q), q,
			     NULL, t->comment),
		CHANGE_OBJ_TABLE, t->schema, NULL, t->name, NULL);
	for (int i = 0; i < t->ncolumns; i++)
		col_comment(c, t, &t->columns[i], NULL);
}

static void table_drop(diff_ctx *c, const m_table *t)
{
	const char *q = diff_qname(c, t->schema, t->name);
	/* A view of the same name takes its place in phase 60: the table
	 * must be gone by then (after the views that read it). */
	int phase = diff_find_view(c->to, t->schema, t->name) ? PH_DROP_VIEW
							      : PH_DROP_TABLE;
	diff_item *it =
	    diff_on(diff_emit(c, phase, CHANGE_DROP_TABLE, q,
			      arena_sprintf(&c->arena, "DROP TABLE %s", q)),
		    0, t->schema, NULL, t->name, NULL);
	it->destructive = true;
	/* Partitions and inheritance children go before their parents. */
	diff_need(c, it, diff_key(c, "predroprel", t->schema, t->name));
	if (t->parent.schema)
		diff_provide(c, it,
			     diff_key(c, "predroprel", t->parent.schema,
				      t->parent.name));
	for (int i = 0; i < t->ninherits; i++)
		diff_provide(c, it,
			     diff_key(c, "predroprel", t->inherits[i].schema,
				      t->inherits[i].name));
	diff_provide(c, it, diff_key(c, "predrop", NULL, t->schema));
	/* Foreign keys between two dropped tables would make the order of
	 * the drops matter (and cycles impossible): drop them first. */
	for (int i = 0; i < t->nconstraints; i++) {
		const m_constraint *k = &t->constraints[i];
		if (k->kind == M_CON_FOREIGN && k->ref.schema &&
		    diff_cmp_qualified(k->ref.schema, k->ref.name, t->schema,
				       t->name) &&
		    !model_find_table(c->to, k->ref.schema, k->ref.name))
			con_drop(c, t, k);
	}
}

/* Widening changes keep every value; anything else may lose data. */
static bool type_widens(const char *from, const char *to)
{
	static const char *const widen[][2] = {
	    {"smallint", "integer"},
	    {"smallint", "bigint"},
	    {"integer", "bigint"},
	    {"real", "double precision"},
	    {"character varying", "text"},
	    {"text", "character varying"},
	    {"timestamp without time zone", "timestamp with time zone"},
	};
	for (size_t i = 0; i < sizeof(widen) / sizeof(widen[0]); i++)
		if (!strcmp(from, widen[i][0]) && !strcmp(to, widen[i][1]))
			return true;
	if (!strcmp(to, "text") && (!strncmp(from, "character varying(", 18) ||
				    !strncmp(from, "character(", 10)))
		return true;
	/* varchar(n) -> varchar(m), numeric(p,s) -> numeric(q,s): wider
	 * when the length or precision grows and the scale stays. */
	const char *kinds[] = {"character varying(", "numeric("};
	for (size_t i = 0; i < 2; i++) {
		size_t l = strlen(kinds[i]);
		if (strncmp(from, kinds[i], l))
			continue;
		if (!strcmp(to, "character varying") && i == 0)
			return true;
		if (!strcmp(to, "numeric") && i == 1)
			return true;
		if (strncmp(to, kinds[i], l))
			return false;
		char *e1, *e2;
		long a = strtol(from + l, &e1, 10), b = strtol(to + l, &e2, 10);
		const char *s1 = strchr(e1, ','), *s2 = strchr(e2, ',');
		if (b < a)
			return false;
		if (!s1 && !s2)
			return true;
		return s1 && s2 && atol(s1 + 1) == atol(s2 + 1) &&
		       b - atol(s2 + 1) >= a - atol(s1 + 1);
	}
	return false;
}

static void col_alter(diff_ctx *c, const m_table *t, const char *col, int kind,
		      const char *what, bool destructive)
{
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "ALTER TABLE %s ALTER COLUMN ",
		    diff_qname(c, t->schema, t->name));
	pg_quote_ident(&sb, col);
	strbuf_addf(&sb, " %s", what);
	diff_item *it = diff_on(
	    diff_emit(c, PH_TABLE, kind,
		      diff_qname3(c, t->schema, t->name, col), strbuf_str(&sb)),
	    0, t->schema, t->name, col, NULL);
	it->destructive = destructive;
	strbuf_release(&sb);
}

static void col_add(diff_ctx *c, const m_table *t, const m_column *col)
{
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "ALTER TABLE %s ADD COLUMN ",
		    diff_qname(c, t->schema, t->name));
	diff_column_def(&sb, col);
	diff_on(diff_emit(c, PH_TABLE, CHANGE_ADD_COLUMN,
			  diff_qname3(c, t->schema, t->name, col->name),
			  strbuf_str(&sb)),
		0, t->schema, t->name, col->name, NULL);
	strbuf_release(&sb);
}

static void col_drop(diff_ctx *c, const m_table *t, const m_column *col,
		     bool destructive)
{
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "ALTER TABLE %s DROP COLUMN ",
		    diff_qname(c, t->schema, t->name));
	pg_quote_ident(&sb, col->name);
	diff_item *it =
	    diff_on(diff_emit(c, PH_TABLE, CHANGE_DROP_COLUMN,
			      diff_qname3(c, t->schema, t->name, col->name),
			      strbuf_str(&sb)),
		    0, t->schema, t->name, col->name, NULL);
	it->destructive = destructive;
	strbuf_release(&sb);
}

/* A default that names a rebuilt enum keeps the old type, which could
 * then not be dropped: it is set again once the new type exists. The
 * enum's own columns are converted by diff_types.c, defaults and all. */
static bool default_names_rebuilt(diff_ctx *c, const m_table *t,
				  const m_column *x)
{
	const char *s, *n;
	if (!x->default_expr ||
	    !diff_uses_rebuilt(c, 'd', t->schema, t->name, x->name))
		return false;
	return !diff_type_ref(c, x->type, &s, &n) ||
	       !diff_set_has(&c->rebuilt_types, diff_key(c, "type", s, n));
}

/* One column in both models. The steps go in the one order PostgreSQL
 * accepts for every combination: identity and default out of the way,
 * type, NOT NULL, identity and default back, NOT NULL dropped last. A
 * type change the server has no cast for is refused before any of its
 * statements is emitted (a generated column made anew needs none). */
static int col_diff(diff_ctx *c, const m_table *t, const m_column *x,
		    const m_column *y, error *e)
{
	if (!diff_streq(x->generated_expr, y->generated_expr)) {
		if (!y->generated_expr) {
			col_alter(c, t, y->name, PGC_DROP_EXPRESSION,
				  "DROP EXPRESSION", false);
		} else {
			/* A generation expression cannot be changed in place:
			 * the column is computed again from its inputs. */
			col_drop(c, t, x, false);
			col_add(c, t, y);
			col_comment(c, t, y, NULL);
			return 0;
		}
	}
	strbuf using = STRBUF_INIT;
	if (!diff_streq(x->type, y->type)) {
		strbuf col = STRBUF_INIT;
		pg_quote_ident(&col, y->name);
		bool ok = pg_cast_using(&using, c->from, c->to,
					strbuf_str(&col), x->type, y->type);
		strbuf_release(&col);
		if (!ok) {
			strbuf_release(&using);
			return error_set(
			    e, EXIT_USAGE,
			    "%s: %s cannot become %s: the server has no "
			    "cast between them, and schemig does not guess "
			    "a USING expression. Change the column in steps "
			    "(add a column of the new type, fill it, drop "
			    "the old one) or write this migration by hand",
			    diff_qname3(c, t->schema, t->name, y->name),
			    x->type, y->type);
		}
	}
	bool retype = !diff_streq(x->type, y->type) ||
		      !diff_streq(x->collation, y->collation);
	if (x->identity && !y->identity)
		col_alter(c, t, y->name, PGC_DROP_IDENTITY, "DROP IDENTITY",
			  false);
	/* A default dropped already, for a routine it calls that is made
	 * again (diff_fnusers.c), is set again. */
	const char *xdefault =
	    diff_set_has(&c->recreated,
			 diff_key3(c, "usedef", t->schema, t->name, x->name))
		? NULL
		: x->default_expr;
	bool default_changed = !diff_streq(xdefault, y->default_expr) ||
			       default_names_rebuilt(c, t, x);
	if (xdefault && (default_changed || retype))
		col_alter(c, t, y->name, CHANGE_DROP_DEFAULT, "DROP DEFAULT",
			  false);
	if (retype) {
		strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "TYPE %s", y->type);
		if (y->collation)
			strbuf_addf(&sb, " COLLATE %s", y->collation);
		else if (x->collation)
			strbuf_adds(&sb, " COLLATE \"default\"");
		if (!diff_streq(x->type, y->type))
			strbuf_addf(&sb, " USING %s", strbuf_str(&using));
		col_alter(c, t, y->name, CHANGE_ALTER_COLUMN_TYPE,
			  strbuf_str(&sb),
			  !diff_streq(x->type, y->type) &&
			      !type_widens(x->type, y->type));
		strbuf_release(&sb);
	}
	if (y->not_null && !x->not_null)
		col_alter(c, t, y->name, CHANGE_SET_NOT_NULL, "SET NOT NULL",
			  false);
	if (y->identity && !x->identity)
		col_alter(c, t, y->name, PGC_ADD_IDENTITY,
			  arena_sprintf(
			      &c->arena, "ADD GENERATED %s AS IDENTITY%s%s%s",
			      y->identity == 'a' ? "ALWAYS" : "BY DEFAULT",
			      y->identity_options ? " (" : "",
			      y->identity_options ? y->identity_options : "",
			      y->identity_options ? ")" : ""),
			  false);
	else if (y->identity && x->identity != y->identity)
		col_alter(c, t, y->name, PGC_SET_IDENTITY,
			  y->identity == 'a' ? "SET GENERATED ALWAYS"
					     : "SET GENERATED BY DEFAULT",
			  false);
	if (y->identity && x->identity &&
	    !diff_streq(x->identity_options, y->identity_options)) {
		/* Every option, so that those going back to their default
		 * are reset too. */
		strbuf sb = STRBUF_INIT;
		pg_identity_set_clauses(&sb, y->type, y->identity_options);
		col_alter(c, t, y->name, PGC_SET_IDENTITY_OPTIONS,
			  strbuf_str(&sb), false);
		strbuf_release(&sb);
	}
	if (y->default_expr && (default_changed || retype))
		col_alter(
		    c, t, y->name, CHANGE_SET_DEFAULT,
		    arena_sprintf(&c->arena, "SET DEFAULT %s", y->default_expr),
		    false);
	if (!y->not_null && x->not_null)
		col_alter(c, t, y->name, CHANGE_DROP_NOT_NULL, "DROP NOT NULL",
			  false);
	col_comment(c, t, y, x->comment);
	strbuf_release(&using);
	return 0;
}

static void options_diff(diff_ctx *c, const m_table *a, const m_table *b)
{
	const char *q = diff_qname(c, b->schema, b->name);
	/* RESET every option that is no longer set, then SET the new list. */
	if (a->options) {
		strbuf keys = STRBUF_INIT;
		const char *p = a->options;
		while (*p) {
			while (*p == ' ' || *p == ',')
				p++;
			const char *eq = strchr(p, '=');
			if (!eq)
				break;
			const char *key =
			    arena_strndup(&c->arena, p, (size_t)(eq - p));
			const char *in_b =
			    b->options ? strstr(b->options, key) : NULL;
			bool kept = in_b && in_b[strlen(key)] == '=' &&
				    (in_b == b->options || in_b[-1] == ' ' ||
				     in_b[-1] == ',');
			if (!kept)
				strbuf_addf(&keys, "%s%s", keys.len ? ", " : "",
					    key);
			const char *comma = strchr(eq, ',');
			p = comma ? comma : eq + strlen(eq);
		}
		if (keys.len)
			diff_on(
			    diff_emit(c, PH_TABLE, PGC_ALTER_TABLE_OPTIONS, q,
				      arena_sprintf(&c->arena,
						    "ALTER TABLE %s RESET (%s)",
						    q, strbuf_str(&keys))),
			    0, b->schema, NULL, b->name, NULL);
		strbuf_release(&keys);
	}
	if (b->options)
		diff_on(diff_emit(c, PH_TABLE, PGC_ALTER_TABLE_OPTIONS, q,
				  arena_sprintf(&c->arena,
						"ALTER TABLE %s SET (%s)", q,
						b->options)),
			0, b->schema, NULL, b->name, NULL);
}

static bool ref_in(const m_ref *refs, int n, const m_ref *r)
{
	for (int i = 0; i < n; i++)
		if (!diff_cmp_qualified(refs[i].schema, refs[i].name, r->schema,
					r->name))
			return true;
	return false;
}

/* ALTER TABLE ... <how> ROW LEVEL SECURITY on table `b`. */
static void rls_alter(diff_ctx *c, const m_table *b, const char *how)
{
	const char *q = diff_qname(c, b->schema, b->name);
	diff_on(diff_emit(c, PH_TABLE, PGC_ALTER_RLS, q,
			  arena_sprintf(&c->arena,
					"ALTER TABLE %s %s ROW LEVEL SECURITY",
					q, how)),
		0, b->schema, NULL, b->name, NULL);
}

static int table_alter_body(diff_ctx *c, const m_table *a, const m_table *b,
			    error *e);

static int table_alter(diff_ctx *c, const m_table *a, const m_table *b,
		       error *e)
{
	/* A table moving into or out of a partitioned table (kind and key
	 * changes are rebuilds, diff_partition.c): DETACH first, then the
	 * usual changes on the columns it has as a partition (its parent's),
	 * ATTACH last. */
	const m_table *a0 = a, *b0 = b;
	if (diff_partition_moves(c, a0, b0, &a, &b)) {
		int rc = table_alter_body(c, a, b, e);
		diff_partition_attach(c, a0, b0);
		return rc;
	}
	diff_partition_bound(c, a, b);
	return table_alter_body(c, a, b, e);
}

/* Everything but the partition bound. */
static int table_alter_body(diff_ctx *c, const m_table *a, const m_table *b,
			    error *e)
{
	const char *q = diff_qname(c, b->schema, b->name);
	/* SET LOGGED / UNLOGGED writes the table anew. */
	if (a->unlogged != b->unlogged)
		diff_on(diff_emit(
			    c, PH_TABLE, PGC_ALTER_TABLE_LOGGED, q,
			    arena_sprintf(&c->arena, "ALTER TABLE %s SET %s", q,
					  b->unlogged ? "UNLOGGED" : "LOGGED")),
			0, b->schema, NULL, b->name, NULL)
		    ->rewrites = true;
	if (!diff_streq(a->options, b->options))
		options_diff(c, a, b);
	for (int i = 0; i < a->ninherits; i++)
		if (!ref_in(b->inherits, b->ninherits, &a->inherits[i]))
			diff_on(
			    diff_emit(c, PH_TABLE, PGC_NO_INHERIT, q,
				      arena_sprintf(
					  &c->arena,
					  "ALTER TABLE %s NO INHERIT %s", q,
					  diff_qname(c, a->inherits[i].schema,
						     a->inherits[i].name))),
			    0, b->schema, NULL, b->name, NULL);
	/* Columns: drops first (in from order), then changes and additions
	 * in the desired attribute order. */
	for (int i = 0; i < a->ncolumns; i++)
		if (!model_table_find_column(b, a->columns[i].name)) {
			c->anchor = diff_col_anchor(c, a->schema, a->name,
						    a->columns[i].name);
			col_drop(c, a, &a->columns[i], true);
			c->anchor = NULL;
		}
	for (int i = 0; i < b->ncolumns; i++) {
		const m_column *y = &b->columns[i];
		const m_column *x = model_table_find_column(a, y->name);
		if (!x) {
			col_add(c, b, y);
			col_comment(c, b, y, NULL);
		} else {
			/* The statements of a column that goes or changes
			 * type are what its triggers and views step aside
			 * for (diff_deps.c). */
			if (diff_col_changes(c, a->schema, a->name, x->name))
				c->anchor = diff_col_anchor(c, a->schema,
							    a->name, x->name);
			int rc = col_diff(c, b, x, y, e);
			c->anchor = NULL;
			if (rc)
				return rc;
		}
	}

	/* A new parent's columns must exist in the child first. */
	for (int i = 0; i < b->ninherits; i++)
		if (!ref_in(a->inherits, a->ninherits, &b->inherits[i])) {
			diff_item *it = diff_on(
			    diff_emit(c, PH_TABLE, PGC_INHERIT, q,
				      arena_sprintf(
					  &c->arena,
					  "ALTER TABLE %s INHERIT %s", q,
					  diff_qname(c, b->inherits[i].schema,
						     b->inherits[i].name))),
			    0, b->schema, NULL, b->name, NULL);
			diff_need(c, it,
				  diff_rel_key(c, b->inherits[i].schema,
					       b->inherits[i].name));
		}

	diff_replica_identity(c, a, b);

	/* Constraints by name; a changed one is dropped and added. Every
	 * constraint of a table whose columns are dropped and added again
	 * is rebuilt: the column drop takes it away. */
	bool readd =
	    diff_set_has(&c->cols, diff_rel_key(c, a->schema, a->name));
	/* One dropped already for a routine it calls that is made again
	 * (diff_fnusers.c) is only added again. */
#define CON_GONE(k)                                                            \
	diff_set_has(&c->recreated,                                            \
		     diff_key3(c, "usecon", a->schema, a->name, (k)->name))
	MERGE_WALK(
	    a->nconstraints, b->nconstraints,
	    diff_strcmp(a->constraints[i_].name, b->constraints[j_].name),
	    {
		    if (!CON_GONE(&a->constraints[i_]))
			    con_drop(c, a, &a->constraints[i_]);
	    },
	    con_add(c, b, &b->constraints[j_]),
	    {
		    const m_constraint *x = &a->constraints[i_];
		    const m_constraint *y = &b->constraints[j_];
		    bool gone = CON_GONE(x);
		    /* A check that names a rebuilt enum or reads a column of
		     * it: re-created by the server with the old type when a
		     * column is converted, it goes before and comes back. */
		    if (gone || readd || x->kind != y->kind ||
			/* An operator or class it uses is made again. */
			diff_set_has(&c->recreated,
				     diff_key3(c, "rebuild_con", a->schema,
					       a->name, x->name)) ||
			!diff_streq(x->definition, y->definition) ||
			(x->kind == M_CON_CHECK &&
			 diff_uses_rebuilt(c, 'c', a->schema, a->name,
					   x->name)) ||
			(y->kind == M_CON_FOREIGN &&
			 diff_fk_disturbed(c, a, x)) ||
			/* Wanted NOT VALID over a validated one: the server
			 * cannot unvalidate, it is added again NOT VALID. */
			(y->not_valid && !x->not_valid)) {
			    if (!gone)
				    con_drop(c, a, x);
			    con_add(c, b, y);
		    } else {
			    /* Validated wanted over a NOT VALID one. */
			    if (x->not_valid && !y->not_valid)
				    con_validate(c, b, y);
			    con_comment(c, b, y, x->comment);
		    }
	    });
#undef CON_GONE

	if (a->rls_enabled != b->rls_enabled)
		rls_alter(c, b, b->rls_enabled ? "ENABLE" : "DISABLE");
	if (a->rls_forced != b->rls_forced)
		rls_alter(c, b, b->rls_forced ? "FORCE" : "NO FORCE");
	diff_on(diff_comment(c, arena_sprintf(&c->arena, "TABLE %s", q), q,
			     a->comment, b->comment),
		CHANGE_OBJ_TABLE, b->schema, NULL, b->name, NULL);
	return 0;
}

/* One table in either model or both; rebuilds and their partitions
 * are diff_partition.c's. */
static int table_pair(diff_ctx *c, const m_table *a, const m_table *b, error *e)
{
	const char *after;
	switch (diff_partition_take(c, a, b, &after, e)) {
	case -1:
		return -1;
	case PART_DONE:
		return 0;
	case PART_CREATE:
		diff_need(c, table_create(c, b), after);
		return 0;
	default:
		break;
	}
	if (!a)
		table_create(c, b);
	else if (!b)
		table_drop(c, a);
	else
		return table_alter(c, a, b, e);
	return 0;
}

int diff_tables(diff_ctx *c, error *e)
{
	const model *f = c->from, *t = c->to;
	int rc = 0;
	MERGE_WALK(f->ntables, t->ntables,
		   diff_cmp_qualified(f->tables[i_].schema, f->tables[i_].name,
				      t->tables[j_].schema, t->tables[j_].name),
		   table_pair(c, &f->tables[i_], NULL, e),
		   table_pair(c, NULL, &t->tables[j_], e), {
			   if (!rc &&
			       table_pair(c, &f->tables[i_], &t->tables[j_], e))
				   rc = -1;
		   });
	diff_partition_filter(c);
	return rc;
}
