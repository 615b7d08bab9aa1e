/*
 * Changes of a table's partitioning.
 *
 * PostgreSQL cannot turn a plain table into a partitioned one (or back),
 * nor change a partition key, in place. Such a table is rebuilt: the old
 * one is renamed aside (its partitions too) and loses its keys and
 * indexes, whose names the new table takes; the new one is made with
 * the target's definition and partitions, the rows are copied, identity
 * sequences go on from the old ones' values, sequences owned by its
 * columns move over, and the old table is dropped. All of it is one
 * statement list (one change, PGC_REBUILD_TABLE), so that a plan runs it
 * in one transaction and undoes it with the reverse diff's rebuild.
 *
 * What depends on the table steps aside through the marks the other
 * generators already read: every column counts as changed (views,
 * triggers and policies that read them are made again) and the relation
 * as re-added (foreign keys that reference it are dropped and added
 * again). The table's own indexes, triggers, policies, statistics and
 * grants are made anew on the new table: the generators after
 * diff_tables see a source model without them (diff_partition_filter).
 *
 * A table that only moves into or out of a partitioned table keeps its
 * rows: DETACH PARTITION and ATTACH PARTITION around the usual changes.
 */
#include "pg.h"

#include <string.h>

#include "diff_internal.h"

/* The suffix of the names set aside during a rebuild. */
#define ASIDE		"_schemig_old"
#define SEQ_NEW		"_schemig_seq"
#define NAMEDATALEN_MAX 63

static const char *rebuild_key(diff_ctx *c, const char *schema,
			       const char *name)
{
	return diff_key(c, "rebuild", schema, name);
}

static bool rebuilt(diff_ctx *c, const char *schema, const char *name)
{
	return diff_set_has(&c->recreated, rebuild_key(c, schema, name));
}

/* The rebuilt table that table `t` of model `m` is rebuilt with: `t`
 * itself, or its nearest rebuilt ancestor through partition parents;
 * NULL when there is none. */
static const m_table *rebuilt_root(diff_ctx *c, const model *m,
				   const m_table *t)
{
	for (int depth = 0; t && depth < 32; depth++) {
		if (rebuilt(c, t->schema, t->name) &&
		    model_find_table(c->from, t->schema, t->name))
			return t;
		if (!t->parent.schema)
			return NULL;
		t = model_find_table(m, t->parent.schema, t->parent.name);
	}
	return NULL;
}

/* The common columns of `a` and `b` do not come in the same order, with
 * the new ones last: only a rebuild makes the order match. */
static bool order_differs(const m_table *a, const m_table *b)
{
	int j = 0;
	for (int i = 0; i < b->ncolumns; i++) {
		const char *name = b->columns[i].name;
		if (!model_table_find_column(a, name))
			continue;
		while (j < a->ncolumns &&
		       !model_table_find_column(b, a->columns[j].name))
			j++;
		if (j >= a->ncolumns || strcmp(a->columns[j].name, name))
			return true;
		j++;
	}
	/* A new column listed before a kept one is added last. */
	bool added = false;
	for (int i = 0; i < b->ncolumns; i++) {
		bool kept = model_table_find_column(a, b->columns[i].name);
		if (kept && added)
			return true;
		added |= !kept;
	}
	return false;
}

/* Different parents (or one and none): the table moves by DETACH and
 * ATTACH when it stays what it is and neither parent is rebuilt. */
static bool parent_differs(const m_table *a, const m_table *b)
{
	return diff_cmp_qualified(a->parent.schema, a->parent.name,
				  b->parent.schema, b->parent.name) != 0;
}

static bool needs_rebuild(diff_ctx *c, const m_table *a, const m_table *b)
{
	if (a->kind != b->kind ||
	    !diff_streq(a->partition_key, b->partition_key))
		return true;
	if (parent_differs(a, b))
		return false; /* a move, unless a parent is rebuilt */
	return c->from->strict_column_order || c->to->strict_column_order
		   ? a->ncolumns && order_differs(a, b)
		   : false;
}

int diff_partition_prepare(diff_ctx *c, error *e)
{
	const model *f = c->from, *t = c->to;
	MERGE_WALK(f->ntables, t->ntables,
		   diff_cmp_qualified(f->tables[i_].schema, f->tables[i_].name,
				      t->tables[j_].schema, t->tables[j_].name),
		   (void)0, (void)0, {
			   const m_table *a = &f->tables[i_];
			   if (needs_rebuild(c, a, &t->tables[j_]))
				   diff_set_add(
				       c, &c->recreated,
				       rebuild_key(c, a->schema, a->name));
		   });
	/* The server would shorten a longer name set aside, maybe onto
	 * another's. */
	for (int i = 0; i < f->ntables; i++) {
		const m_table *a = &f->tables[i];
		if (rebuilt_root(c, f, a) &&
		    strlen(a->name) + strlen(ASIDE) > NAMEDATALEN_MAX)
			return error_set(e, EXIT_USAGE,
					 "table %s: its name is too long to "
					 "set it aside while it is rebuilt",
					 diff_qname(c, a->schema, a->name));
	}
	/* What reads or references a rebuilt table steps aside: each of its
	 * columns counts as changed, the relation as added again. */
	for (int i = 0; i < f->ntables; i++) {
		const m_table *a = &f->tables[i];
		if (!rebuilt(c, a->schema, a->name))
			continue;
		const char *q = diff_qname(c, a->schema, a->name);
		/* An inheritance child would keep the old table alive (and a
		 * partitioned table can have none). */
		for (int k = 0; k < f->ntables; k++)
			for (int h = 0; h < f->tables[k].ninherits; h++)
				if (!diff_cmp_qualified(
					f->tables[k].inherits[h].schema,
					f->tables[k].inherits[h].name,
					a->schema, a->name))
					return error_set(
					    e, EXIT_USAGE,
					    "table %s must be rebuilt (its "
					    "partitioning or column order "
					    "changes), but %s inherits from "
					    "it: not supported; detach the "
					    "child first (NO INHERIT)",
					    q,
					    diff_qname(c, f->tables[k].schema,
						       f->tables[k].name));
		diff_set_add(c, &c->cols, diff_rel_key(c, a->schema, a->name));
		for (int k = 0; k < a->ncolumns; k++)
			diff_set_add(
			    c, &c->cols,
			    diff_col_key(c, "coltype", a, a->columns[k].name));
	}
	return 0;
}

/* The column list of `cols` quoted, comma separated. */
static void add_names(strbuf *sb, const char *const *cols, int n)
{
	for (int i = 0; i < n; i++) {
		if (i)
			strbuf_adds(sb, ", ");
		pg_quote_ident(sb, cols[i]);
	}
}

/* The identity sequence the new table's column `col` is made with,
 * unqualified: the old table's still holds the usual name. */
static const char *seq_new_name(diff_ctx *c, const m_table *b, const char *col)
{
	return arena_sprintf(&c->arena, "%.20s_%.20s%s", b->name, col, SEQ_NEW);
}

/* The name PostgreSQL gives an identity sequence ("t_id_seq"), or NULL
 * when it would shorten it (then the new one keeps its own name). */
static const char *seq_usual_name(diff_ctx *c, const m_table *b,
				  const char *col)
{
	if (strlen(b->name) + strlen(col) + 5 > NAMEDATALEN_MAX)
		return NULL;
	return arena_sprintf(&c->arena, "%s_%s_seq", b->name, col);
}

/* `b` with its identity columns naming their new sequence. */
static const m_table *with_new_sequences(diff_ctx *c, const m_table *b)
{
	m_table *t = arena_alloc(&c->arena, sizeof(*t));
	*t = *b;
	t->columns = arena_alloc(&c->arena,
				 sizeof(m_column) * (size_t)(b->ncolumns + 1));
	for (int i = 0; i < b->ncolumns; i++) {
		m_column *col = &t->columns[i];
		*col = b->columns[i];
		if (!col->identity)
			continue;
		strbuf sb = STRBUF_INIT;
		strbuf_adds(&sb, "SEQUENCE NAME ");
		pg_quote_qualified(&sb, b->schema,
				   seq_new_name(c, b, col->name));
		if (col->identity_options)
			strbuf_addf(&sb, " %s", col->identity_options);
		col->identity_options =
		    arena_strdup(&c->arena, strbuf_str(&sb));
		strbuf_release(&sb);
	}
	return t;
}

/* Partitions of (schema, name) in `m`, in model order (parents before
 * their own partitions through the recursion of the callers). */
static void each_partition(diff_ctx *c, const model *m, const m_table *p,
			   void (*fn)(diff_ctx *, const m_table *, void *),
			   void *arg, int depth)
{
	if (depth > 32)
		return;
	for (int i = 0; i < m->ntables; i++) {
		const m_table *t = &m->tables[i];
		if (t->parent.schema &&
		    !diff_cmp_qualified(t->parent.schema, t->parent.name,
					p->schema, p->name)) {
			fn(c, t, arg);
			each_partition(c, m, t, fn, arg, depth + 1);
		}
	}
}

/* Old side: rename aside, drop the keys and indexes whose names the new
 * table takes (its foreign keys are gone already, drop_fks). */
static void set_aside(diff_ctx *c, const m_table *a, void *arg)
{
	strbuf *sb = arg;
	const char *q = diff_qname(c, a->schema, a->name);
	const char *aside = arena_sprintf(&c->arena, "%s%s", a->name, ASIDE);
	strbuf_addf(sb, "ALTER TABLE %s RENAME TO ", q);
	pg_quote_ident(sb, aside);
	strbuf_adds(sb, ";\n");
	const char *qa = diff_qname(c, a->schema, aside);
	for (int i = 0; i < a->nconstraints; i++) {
		const m_constraint *k = &a->constraints[i];
		if (k->kind != M_CON_PRIMARY && k->kind != M_CON_UNIQUE &&
		    k->kind != M_CON_EXCLUDE)
			continue;
		strbuf_addf(sb, "ALTER TABLE %s DROP CONSTRAINT ", qa);
		pg_quote_ident(sb, k->name);
		strbuf_adds(sb, ";\n");
	}
	for (int i = 0; i < c->from->nindexes; i++) {
		const m_index *x = &c->from->indexes[i];
		if (!strcmp(x->schema, a->schema) && !strcmp(x->table, a->name))
			strbuf_addf(sb, "DROP INDEX %s;\n",
				    diff_qname(c, x->schema, x->name));
	}
}

typedef struct create_arg {
	strbuf *sb;
	diff_item *it;
	M_ARRAY(const m_table *, made);
} create_arg;

static void create_part(diff_ctx *c, const m_table *b, void *arg)
{
	create_arg *ca = arg;
	strbuf_addf(ca->sb, "%s;\n", diff_table_create_sql(c, b));
	diff_set_add(c, &c->recreated,
		     diff_key(c, "rebuild_new", b->schema, b->name));
	*ARENA_PUSH(&c->arena, ca->made, ca->nmade, ca->cmade) = b;
}

/* The copy: every column of the target that the old table has and that
 * is not computed. */
static void copy_rows(diff_ctx *c, strbuf *sb, const m_table *a,
		      const m_table *b)
{
	const char **cols = NULL;
	int n = 0, cap = 0;
	bool always = false;
	for (int i = 0; i < b->ncolumns; i++) {
		const m_column *y = &b->columns[i];
		if (y->generated_expr || !model_table_find_column(a, y->name))
			continue;
		*ARENA_PUSH(&c->arena, cols, n, cap) = y->name;
		always |= y->identity == 'a';
	}
	if (!n)
		return;
	strbuf_addf(sb, "INSERT INTO %s (", diff_qname(c, b->schema, b->name));
	add_names(sb, cols, n);
	strbuf_addf(sb, ")%s SELECT ",
		    always ? " OVERRIDING SYSTEM VALUE" : "");
	add_names(sb, cols, n);
	strbuf_addf(
	    sb, " FROM %s;\n",
	    diff_qname(c, a->schema,
		       arena_sprintf(&c->arena, "%s%s", a->name, ASIDE)));
}

/* Identity columns go on where the old ones were; a never used sequence
 * (NULL last value) stays at its start. */
static void carry_identities(diff_ctx *c, strbuf *sb, const m_table *a,
			     const m_table *b)
{
	for (int i = 0; i < b->ncolumns; i++) {
		const m_column *y = &b->columns[i];
		const m_column *x = model_table_find_column(a, y->name);
		if (!y->identity || !x || !x->identity)
			continue;
		strbuf lit = STRBUF_INIT;
		pg_quote_qualified(&lit, b->schema,
				   seq_new_name(c, b, y->name));
		strbuf_adds(sb, "SELECT setval(");
		pg_quote_literal(sb, strbuf_str(&lit));
		strbuf_reset(&lit);
		pg_quote_qualified(
		    &lit, a->schema,
		    arena_sprintf(&c->arena, "%s%s", a->name, ASIDE));
		strbuf_adds(sb, ", pg_sequence_last_value(pg_get_serial_"
				"sequence(");
		pg_quote_literal(sb, strbuf_str(&lit));
		strbuf_adds(sb, ", ");
		pg_quote_literal(sb, x->name);
		strbuf_adds(sb, ")::regclass));\n");
		strbuf_release(&lit);
	}
}

/* After the old table is gone: the new identity sequences take the
 * usual names. */
static void name_identities(diff_ctx *c, strbuf *sb, const m_table *b)
{
	for (int i = 0; i < b->ncolumns; i++) {
		const m_column *y = &b->columns[i];
		const char *usual = seq_usual_name(c, b, y->name);
		if (!y->identity || !usual)
			continue;
		strbuf_addf(
		    sb, "ALTER SEQUENCE %s RENAME TO ",
		    diff_qname(c, b->schema, seq_new_name(c, b, y->name)));
		pg_quote_ident(sb, usual);
		strbuf_adds(sb, ";\n");
	}
}

/* Sequences owned by the old table's columns would go with it. */
static void release_owned(diff_ctx *c, strbuf *sb, const m_table *a,
			  const m_table *b, bool release)
{
	const model *m = release ? c->from : c->to;
	for (int i = 0; i < m->nsequences; i++) {
		const m_sequence *s = &m->sequences[i];
		if (!s->owner.schema ||
		    diff_cmp_qualified(s->owner.schema, s->owner.name,
				       a->schema, a->name))
			continue;
		/* One the target drops with its column goes with the old
		 * table (diff_sequences.c leaves it to the column); one it
		 * drops alone is released, for diff_sequences.c to drop. */
		if (release && !diff_find_sequence(c->to, s->schema, s->name) &&
		    !(b && model_table_find_column(b, s->owner_column)))
			continue;
		strbuf_addf(sb, "ALTER SEQUENCE %s OWNED BY ",
			    diff_qname(c, s->schema, s->name));
		if (release)
			strbuf_adds(sb, "NONE");
		else
			strbuf_adds(sb, diff_qname3(c, a->schema, a->name,
						    s->owner_column));
		strbuf_adds(sb, ";\n");
	}
}

/*
 * Before any rebuild (phase 11): the old table's own foreign keys (one
 * may reference a key that this or another rebuild drops), and those of
 * tables the target drops that use its keys (they go late, its keys
 * now).
 */
static void drop_fks(diff_ctx *c, const m_table *a)
{
	for (int i = 0; i < a->nconstraints; i++) {
		const m_constraint *k = &a->constraints[i];
		if (k->kind == M_CON_PRIMARY || k->kind == M_CON_UNIQUE)
			diff_drop_dropped_tables_fks(c, a, k);
		if (k->kind != M_CON_FOREIGN)
			continue;
		strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "ALTER TABLE %s DROP CONSTRAINT ",
			    diff_qname(c, a->schema, a->name));
		pg_quote_ident(&sb, k->name);
		diff_on(diff_emit(c, PH_DROP_FK, CHANGE_DROP_CONSTRAINT,
				  diff_qname3(c, a->schema, a->name, k->name),
				  strbuf_str(&sb)),
			CHANGE_OBJ_CONSTRAINT, a->schema, a->name, k->name,
			NULL);
		strbuf_release(&sb);
	}
}

static void drop_part_fks(diff_ctx *c, const m_table *a, void *arg)
{
	(void)arg;
	drop_fks(c, a);
}

static void rebuild(diff_ctx *c, const m_table *a, const m_table *b)
{
	drop_fks(c, a);
	each_partition(c, c->from, a, drop_part_fks, NULL, 0);
	const char *q = diff_qname(c, b->schema, b->name);
	strbuf sb = STRBUF_INIT;
	set_aside(c, a, &sb);
	each_partition(c, c->from, a, set_aside, &sb, 0);
	strbuf_addf(&sb, "%s;\n",
		    diff_table_create_sql(c, with_new_sequences(c, b)));
	create_arg ca = {.sb = &sb};
	each_partition(c, c->to, b, create_part, &ca, 0);
	copy_rows(c, &sb, a, b);
	carry_identities(c, &sb, a, b);
	release_owned(c, &sb, a, b, true);
	strbuf_addf(
	    &sb, "DROP TABLE %s;\n",
	    diff_qname(c, a->schema,
		       arena_sprintf(&c->arena, "%s%s", a->name, ASIDE)));
	name_identities(c, &sb, b);
	release_owned(c, &sb, b, NULL, false);
	/* One item: its SQL ends without the last ';' like every other. */
	const char *sql = diff_trim_sql(c, strbuf_str(&sb));
	strbuf_release(&sb);
	diff_item *it =
	    diff_on(diff_emit(c, PH_TABLE, PGC_REBUILD_TABLE, q, sql), 0,
		    b->schema, NULL, b->name, NULL);
	it->rewrites = true;
	for (int i = 0; i < a->ncolumns; i++)
		if (!model_table_find_column(b, a->columns[i].name))
			it->destructive = true;
	diff_provide(c, it, diff_rel_key(c, b->schema, b->name));
	diff_need(c, it, diff_key(c, "schema", NULL, b->schema));
	for (int i = 0; i < ca.nmade; i++) {
		const m_table *p = ca.made[i];
		diff_provide(c, it, diff_rel_key(c, p->schema, p->name));
		diff_need(c, it, diff_key(c, "schema", NULL, p->schema));
	}
	diff_table_create_rest(c, b);
	for (int i = 0; i < ca.nmade; i++)
		diff_table_create_rest(c, ca.made[i]);
}

int diff_partition_take(diff_ctx *c, const m_table *a, const m_table *b,
			const char **after, error *e)
{
	*after = NULL;
	if (a && b && rebuilt(c, a->schema, a->name) &&
	    !(a->parent.schema &&
	      rebuilt_root(c, c->from,
			   model_find_table(c->from, a->parent.schema,
					    a->parent.name)))) {
		rebuild(c, a, b);
		return PART_DONE;
	}
	const m_table *ra = a ? rebuilt_root(c, c->from, a) : NULL;
	const m_table *rb = b ? rebuilt_root(c, c->to, b) : NULL;
	/* Made by the rebuild of its new parent. */
	if (b && rb && (!a || ra))
		return PART_DONE;
	/* An existing table the rebuild would make again under its name. */
	if (a && b && rb && !ra)
		return error_set(e, EXIT_USAGE,
				 "table %s becomes a partition of %s, which "
				 "is rebuilt: not supported in one migration; "
				 "attach it in a second one",
				 diff_qname(c, b->schema, b->name),
				 diff_qname(c, rb->schema, rb->name));
	if (a && ra) {
		if (!b)
			return PART_DONE; /* dropped with the old table */
		/* Left the rebuilt table under its own name: made anew once
		 * the old one is out of the way. */
		*after = diff_rel_key(c, ra->schema, ra->name);
		return PART_CREATE;
	}
	return PART_NONE;
}

/* The table with the columns it has as a partition: its parent's. */
static const m_table *with_parent_columns(diff_ctx *c, const model *m,
					  const m_table *t)
{
	const m_table *p =
	    t->parent.schema
		? model_find_table(m, t->parent.schema, t->parent.name)
		: NULL;
	m_table *x = arena_alloc(&c->arena, sizeof(*x));
	*x = *t;
	memset(&x->parent, 0, sizeof(x->parent));
	x->partition_bound = NULL;
	if (p && !t->ncolumns) {
		x->columns = p->columns;
		x->ncolumns = p->ncolumns;
	}
	return x;
}

bool pg_parent_gives_partitions(const model *m, const m_table *parent)
{
	if (parent->nconstraints)
		return true;
	for (int i = 0; i < m->nindexes; i++)
		if (!strcmp(m->indexes[i].schema, parent->schema) &&
		    !strcmp(m->indexes[i].table, parent->name))
			return true;
	return false;
}

/*
 * A detached partition keeps, as its own, what it had from its parent:
 * the indexes attached to the parent's (those of its keys too), the
 * foreign keys cloned from the parent's, the parent's CHECKs. The model
 * lists none of them (they are the parent's), under names the server
 * chose; the target's plain table makes its own. So their names are read
 * from the catalog before the detach and they are dropped after it, in
 * one block (names quoted by format()).
 */
static const char *detach_clean_sql(diff_ctx *c, const m_table *a,
				    const char *qparent, const char *q)
{
	strbuf lit = STRBUF_INIT, sb = STRBUF_INIT;
	pg_quote_literal(&lit, q);
	strbuf_addf(&sb,
		    "DO $schemig$\nDECLARE\n"
		    "\tpart regclass := %s::regclass;\n"
		    "\tcons text[];\n\tidx text[];\n\tn text;\nBEGIN\n",
		    strbuf_str(&lit));
	strbuf_adds(
	    &sb, "\tSELECT coalesce(array_agg(k.conname), '{}') INTO cons\n"
		 "\t  FROM pg_catalog.pg_constraint k WHERE k.conrelid = part\n"
		 "\t  AND (k.conparentid <> 0 OR (k.contype = 'c' AND NOT "
		 "k.conislocal));\n"
		 "\tSELECT coalesce(array_agg(i.relname), '{}') INTO idx\n"
		 "\t  FROM pg_catalog.pg_index x\n"
		 "\t  JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid\n"
		 "\t  WHERE x.indrelid = part AND EXISTS (SELECT 1 FROM "
		 "pg_catalog.pg_inherits h WHERE h.inhrelid = i.oid)\n"
		 "\t  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k "
		 "WHERE k.conindid = i.oid AND k.conrelid = part);\n");
	strbuf_addf(&sb, "\tALTER TABLE %s DETACH PARTITION %s;\n", qparent, q);
	strbuf_reset(&lit);
	pg_quote_literal(&lit, a->schema);
	strbuf_addf(&sb,
		    "\tFOREACH n IN ARRAY cons LOOP\n"
		    "\t\tEXECUTE format('ALTER TABLE %%s DROP CONSTRAINT IF "
		    "EXISTS %%I', part, n);\n"
		    "\tEND LOOP;\n"
		    "\tFOREACH n IN ARRAY idx LOOP\n"
		    "\t\tEXECUTE format('DROP INDEX IF EXISTS %%I.%%I', %s, "
		    "n);\n"
		    "\tEND LOOP;\nEND\n$schemig$",
		    strbuf_str(&lit));
	const char *out = arena_strdup(&c->arena, strbuf_str(&sb));
	strbuf_release(&lit);
	strbuf_release(&sb);
	return out;
}

bool diff_partition_moves(diff_ctx *c, const m_table *a, const m_table *b,
			  const m_table **a2, const m_table **b2)
{
	if (!parent_differs(a, b))
		return false;
	*a2 = with_parent_columns(c, c->from, a);
	*b2 = with_parent_columns(c, c->to, b);
	if (!a->parent.schema)
		return true;
	/* The detached table keeps the parent's columns as its own. */
	const char *q = diff_qname(c, a->schema, a->name);
	const char *p = diff_qname(c, a->parent.schema, a->parent.name);
	const m_table *parent =
	    model_find_table(c->from, a->parent.schema, a->parent.name);
	diff_on(diff_emit(c, PH_TABLE, PGC_DETACH_PARTITION, q,
			  parent && pg_parent_gives_partitions(c->from, parent)
			      ? detach_clean_sql(c, a, p, q)
			      : arena_sprintf(&c->arena,
					      "ALTER TABLE %s DETACH "
					      "PARTITION %s",
					      p, q)),
		0, a->schema, NULL, a->name, NULL);
	return true;
}

void diff_partition_bound(diff_ctx *c, const m_table *a, const m_table *b)
{
	if (!b->parent.schema ||
	    diff_streq(a->partition_bound, b->partition_bound))
		return;
	const char *q = diff_qname(c, b->schema, b->name);
	const char *p = diff_qname(c, b->parent.schema, b->parent.name);
	diff_on(diff_emit(c, PH_TABLE, PGC_DETACH_PARTITION, q,
			  arena_sprintf(&c->arena,
					"ALTER TABLE %s DETACH PARTITION %s", p,
					q)),
		0, b->schema, NULL, b->name, NULL);
	/* Attaching checks every row against the bound. */
	diff_on(diff_emit(c, PH_TABLE, PGC_ATTACH_PARTITION, q,
			  arena_sprintf(&c->arena,
					"ALTER TABLE %s ATTACH PARTITION %s %s",
					p, q, b->partition_bound)),
		0, b->schema, NULL, b->name, NULL)
	    ->scans = true;
}

void diff_partition_attach(diff_ctx *c, const m_table *a, const m_table *b)
{
	if (!b->parent.schema || !parent_differs(a, b))
		return;
	const char *q = diff_qname(c, b->schema, b->name);
	/* Attaching checks every row against the bound; it follows the
	 * table's own changes (its columns must match the parent's). */
	diff_item *it = diff_on(
	    diff_emit(c, PH_TABLE, PGC_ATTACH_PARTITION, q,
		      arena_sprintf(
			  &c->arena, "ALTER TABLE %s ATTACH PARTITION %s %s",
			  diff_qname(c, b->parent.schema, b->parent.name), q,
			  b->partition_bound ? b->partition_bound : "DEFAULT")),
	    0, b->schema, NULL, b->name, NULL);
	it->scans = true;
	diff_need(c, it, diff_rel_key(c, b->parent.schema, b->parent.name));
}

/* Keep what is not on a rebuilt table (or its old partitions). The
 * arrays live in the result's arena: the statements' `before` point
 * into them (diff_order.c) after the context is gone. */
#define FILTER(type, field, SCHEMA, TABLE)                                     \
	do {                                                                   \
		type *out_ =                                                   \
		    arena_alloc(&c->result->arena,                             \
				sizeof(type) * (size_t)(f->n##field + 1));     \
		int n_ = 0;                                                    \
		for (int i_ = 0; i_ < f->n##field; i_++) {                     \
			const type *x_ = &f->field[i_];                        \
			if (!gone(c, (SCHEMA), (TABLE)))                       \
				out_[n_++] = *x_;                              \
		}                                                              \
		m->field = out_;                                               \
		m->n##field = n_;                                              \
		m->c##field = n_;                                              \
	} while (0)

static bool gone(diff_ctx *c, const char *schema, const char *table)
{
	if (!schema || !table)
		return false;
	const m_table *t = model_find_table(c->from, schema, table);
	return t && rebuilt_root(c, c->from, t);
}

void diff_partition_filter(diff_ctx *c)
{
	if (!c->recreated.used)
		return;
	bool any = false;
	for (int i = 0; i < c->from->ntables && !any; i++)
		any = rebuilt(c, c->from->tables[i].schema,
			      c->from->tables[i].name);
	if (!any)
		return;
	const model *f = c->from;
	model *m = arena_alloc(&c->arena, sizeof(*m));
	*m = *f;
	FILTER(m_index, indexes, x_->schema, x_->table);
	FILTER(m_trigger, triggers, x_->schema, x_->table);
	FILTER(m_policy, policies, x_->schema, x_->table);
	FILTER(m_statistics, statistics, x_->table_schema, x_->table);
	FILTER(m_grant, grants, x_->objkind == 'r' ? x_->schema : NULL,
	       x_->name);
	c->from = m;
}
