/*
 * The differ for MySQL and MariaDB: two models (mysql.h's canonical
 * forms) into the statements that turn one into the other, as typed
 * changes (schema/diff.h).
 *
 * The order is by phase, each phase over the tables in the models'
 * order:
 *   1. foreign keys that go or change are dropped first: the server
 *      refuses to drop a key, a column or a table one still uses;
 *   2. views that go are dropped (a changed one is replaced in phase
 *      10: the server lets a view outlive the columns it reads);
 *   3. indexes, checks and primary keys that go or change are dropped;
 *   4. new tables are made (without their foreign keys);
 *   5. columns are added (in the target's place: AFTER the column
 *      before them), changed (MODIFY, the whole definition, as the
 *      server needs it), moved to the target's order, then dropped;
 *   6. table options (engine, charset, collation, row format, comment);
 *   7. primary keys, indexes and checks are added;
 *   8. foreign keys are added (every table they name exists now);
 *   9. tables that go are dropped;
 *  10. views are made or replaced (CREATE OR REPLACE VIEW), each after
 *      the views it reads; then routines and triggers.
 * Triggers and routines that go or change are dropped after the
 * foreign keys (phase 1), a partitioning that goes is removed before the
 * keys go, and a new or changed one is set after the keys are added
 * (a partitioned table's unique keys must hold its partitioning
 * columns) (diff_objects.c).
 * MySQL's DDL is not transactional: each statement commits on its own;
 * the planner decides how each one runs (ALGORITHM, LOCK).
 */
#include <stdlib.h>
#include <string.h>

#include "diff_internal.h"

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

diff_stmt *my_diff_emit(my_diff *d, int change, const char *schema,
			const char *table, const char *name, const void *before,
			const void *after, const void *parent_before,
			const void *parent_after, const strbuf *sql)
{
	strbuf obj = STRBUF_INIT;
	if (table) {
		my_qname(&obj, schema, table);
		strbuf_addch(&obj, '.');
		my_quote_ident(&obj, name);
	} else {
		my_qname(&obj, schema, name);
	}
	diff_stmt *s = diff_result_add(d->out, my_change_kind_name(change),
				       strbuf_str(&obj), strbuf_str(sql));
	strbuf_release(&obj);
	s->change = change;
	s->transactional = false;
	s->obj.kind = my_change_object_kind(change);
	s->obj.schema = arena_strdup(&d->out->arena, schema);
	s->obj.table = arena_strdup(&d->out->arena, table);
	s->obj.name = arena_strdup(&d->out->arena, name);
	s->before.obj = before;
	s->after.obj = after;
	s->before.parent = parent_before;
	s->after.parent = parent_after;
	return s;
}

static void alter_prefix(strbuf *sb, const m_table *t)
{
	strbuf_adds(sb, "ALTER TABLE ");
	my_qname(sb, t->schema, t->name);
	strbuf_addch(sb, ' ');
}

static const m_table *other_table(const model *m, const m_table *t)
{
	return model_find_table(m, t->schema, t->name);
}

static const m_index *find_index(const model *m, const char *schema,
				 const char *table, const char *name)
{
	for (int i = 0; i < m->nindexes; i++) {
		const m_index *x = &m->indexes[i];
		if (same(x->schema, schema) && same(x->table, table) &&
		    same(x->name, name))
			return x;
	}
	return NULL;
}

static const m_view *find_view(const model *m, const char *schema,
			       const char *name)
{
	for (int i = 0; i < m->nviews; i++)
		if (same(m->views[i].schema, schema) &&
		    same(m->views[i].name, name))
			return &m->views[i];
	return NULL;
}

/* A CHECK of its column's own (MariaDB's column-level one, mysql.h). */
static bool column_level(const m_constraint *k)
{
	return k->kind == M_CON_CHECK && k->ncolumns == 1;
}

/* A constraint that stays as it is: same kind, level and definition. */
static bool constraint_kept(const m_constraint *k, const m_table *b)
{
	const m_constraint *o =
	    b ? model_table_find_constraint(b, k->name) : NULL;
	return o && o->kind == k->kind && same(o->definition, k->definition) &&
	       column_level(o) == column_level(k);
}

static bool column_same(const m_table *a, const m_column *x, const m_table *b,
			const m_column *y);
static void column_def(strbuf *sb, const m_table *a, const m_table *b,
		       const m_column *y);

/* Does column `col` of table (schema, name) change its type, charset or
 * collation between the models? */
static bool retyped(my_diff *d, const char *schema, const char *table,
		    const char *col)
{
	const m_table *a = model_find_table(d->from, schema, table);
	const m_table *b = model_find_table(d->to, schema, table);
	const m_column *x = a ? model_table_find_column(a, col) : NULL;
	const m_column *y = b ? model_table_find_column(b, col) : NULL;
	return x && y &&
	       (!same(x->type, y->type) || !same(x->charset, y->charset) ||
		!same(x->collation, y->collation) ||
		!same(a->collation, b->collation));
}

/*
 * The server refuses to change the type of a column a foreign key uses,
 * on either side ("Cannot change column used in a foreign key
 * constraint"): such a key is dropped first and added again after, even
 * when it stays as it is. `t` is the key's table in either model.
 */
static bool fk_retyped(my_diff *d, const m_table *t, const m_constraint *k)
{
	if (k->kind != M_CON_FOREIGN)
		return false;
	for (int i = 0; i < k->ncolumns; i++)
		if (retyped(d, t->schema, t->name, k->columns[i]))
			return true;
	const char *rs = k->ref.schema && *k->ref.schema ? k->ref.schema : "";
	for (int i = 0; k->ref.name && i < k->nref_columns; i++)
		if (retyped(d, rs, k->ref.name, k->ref_columns[i]))
			return true;
	return false;
}

/* --- phases 1 and 8: foreign keys --- */

static void drop_constraint(my_diff *d, const m_table *a, const m_table *b,
			    const m_constraint *k)
{
	strbuf sb = STRBUF_INIT;
	alter_prefix(&sb, a);
	if (column_level(k)) {
		/* Only the column's definition without it drops it. */
		strbuf_adds(&sb, "MODIFY COLUMN ");
		my_column_sql(&sb, model_table_find_column(a, k->columns[0]));
	} else if (k->kind == M_CON_PRIMARY) {
		my_diff_autoinc_drop_before(&sb, a, b, k->definition);
		strbuf_adds(&sb, "DROP PRIMARY KEY");
		my_diff_autoinc_drop_after(d, &sb, a, b, k->definition);
	} else {
		strbuf_adds(&sb, k->kind == M_CON_FOREIGN ? "DROP FOREIGN KEY "
							  : "DROP CONSTRAINT ");
		my_quote_ident(&sb, k->name);
	}
	my_diff_emit(d, CHANGE_DROP_CONSTRAINT, a->schema, a->name, k->name, k,
		     NULL, a, b, &sb);
	strbuf_release(&sb);
}

static void add_constraint(my_diff *d, const m_table *a, const m_table *b,
			   const m_constraint *k)
{
	strbuf sb = STRBUF_INIT;
	alter_prefix(&sb, b);
	if (column_level(k)) {
		/* Said in the column's definition (column_def). */
		strbuf_adds(&sb, "MODIFY COLUMN ");
		column_def(&sb, a, b,
			   model_table_find_column(b, k->columns[0]));
	} else {
		strbuf_adds(&sb, "ADD ");
		my_constraint_sql(&sb, k);
	}
	my_diff_emit(d, CHANGE_ADD_CONSTRAINT, b->schema, b->name, k->name,
		     NULL, k, a, b, &sb);
	strbuf_release(&sb);
}

/* Constraints of `kinds` of table a (from) that go or change; b is
 * the same table in the target, or NULL. A table that goes takes its
 * own constraints with it, but not the foreign keys that name it:
 * those are on other tables, which this loop visits too. */
static void drop_constraints(my_diff *d, const char *kinds, bool dropped_too)
{
	for (int i = 0; i < d->from->ntables; i++) {
		const m_table *a = &d->from->tables[i];
		const m_table *b = other_table(d->to, a);
		if (!b && !dropped_too)
			continue;
		for (int j = 0; j < a->nconstraints; j++) {
			const m_constraint *k = &a->constraints[j];
			/* A column that goes takes its own CHECK. */
			if (column_level(k) &&
			    (!b || !model_table_find_column(b, k->columns[0])))
				continue;
			if (strchr(kinds, k->kind) &&
			    (!constraint_kept(k, b) || fk_retyped(d, a, k)))
				drop_constraint(d, a, b, k);
		}
	}
}

static void add_constraints(my_diff *d, const char *kinds, bool new_too)
{
	for (int i = 0; i < d->to->ntables; i++) {
		const m_table *b = &d->to->tables[i];
		const m_table *a = other_table(d->from, b);
		if (!a && !new_too)
			continue;
		for (int j = 0; j < b->nconstraints; j++) {
			const m_constraint *k = &b->constraints[j];
			if (!strchr(kinds, k->kind) || my_diff_made(d, k) ||
			    (constraint_kept(k, a) && !fk_retyped(d, b, k)))
				continue;
			/* A column added or changed (phase 5) was written
			 * with its own CHECK already. */
			if (column_level(k) && a) {
				const m_column *x =
				    model_table_find_column(a, k->columns[0]);
				const m_column *y =
				    model_table_find_column(b, k->columns[0]);
				if (!x || !y || !column_same(a, x, b, y))
					continue;
			}
			add_constraint(d, a, b, k);
		}
	}
}

/* --- phases 2 and 10: views --- */

/*
 * A view read by the parser and the same view read from a server: the
 * server rewrites a view's query (columns qualified, aliases added), so
 * the two texts never match. Such a pair is not a change but a
 * comparison left open (diff_result.unsettled, and noted as not
 * compared) until the file is loaded on a server to be read back.
 */
static bool view_kept(my_diff *d, const m_view *v, const model *m)
{
	const m_view *o = find_view(m, v->schema, v->name);
	if (!o)
		return false;
	/* The options are not rewritten: compared whatever the sides. */
	if (!same(o->options, v->options))
		return false;
	if (same(o->definition, v->definition) &&
	    same(o->check_option, v->check_option))
		return true;
	return d->from->introspected != d->to->introspected;
}

static void note_unsettled(my_diff *d)
{
	for (int i = 0; i < d->to->nviews; i++) {
		const m_view *v = &d->to->views[i];
		const m_view *o = find_view(d->from, v->schema, v->name);
		if (!o || d->from->introspected == d->to->introspected ||
		    !same(o->options, v->options) ||
		    (same(o->definition, v->definition) &&
		     same(o->check_option, v->check_option)))
			continue;
		strbuf sb = STRBUF_INIT;
		strbuf_adds(&sb, "view ");
		my_qname(&sb, v->schema, v->name);
		strbuf_adds(&sb, ": the file's query is not compared with the "
				 "server's rewritten text");
		diff_result_add_uncompared(d->out, strbuf_str(&sb));
		diff_result_add_unsettled(d->out, CHANGE_OBJ_VIEW, v->schema,
					  v->name, NULL);
		strbuf_release(&sb);
	}
}

/* A view of both models whose query or check option changed, both read
 * alike (both from a server, or both parsed): replaced in phase 10. */
static bool view_replaced(my_diff *d, const m_view *v)
{
	const m_view *o = find_view(d->from, v->schema, v->name);
	return o && !view_kept(d, v, d->from);
}

static void drop_views(my_diff *d)
{
	for (int i = d->from->nviews - 1; i >= 0; i--) {
		const m_view *v = &d->from->views[i];
		/* Only views that go: a changed one is replaced in place
		 * (the server lets a view outlive the columns it reads). */
		if (find_view(d->to, v->schema, v->name))
			continue;
		strbuf sb = STRBUF_INIT;
		strbuf_adds(&sb, "DROP VIEW ");
		my_qname(&sb, v->schema, v->name);
		my_diff_emit(d, CHANGE_DROP_VIEW, v->schema, NULL, v->name, v,
			     NULL, NULL, NULL, &sb);
		strbuf_release(&sb);
	}
}

/* Does the query of `v` name view `w` (as `w` or a bare word)? */
static bool view_reads(const m_view *v, const m_view *w)
{
	const char *q = v->definition ? v->definition : "";
	size_t n = strlen(w->name);
	for (const char *p = strstr(q, w->name); p;
	     p = strstr(p + 1, w->name)) {
		char before = p > q ? p[-1] : ' ';
		char after = p[n];
		bool word_b =
		    before == '`' ||
		    !(before == '_' || (before >= '0' && before <= '9') ||
		      ((before | 32) >= 'a' && (before | 32) <= 'z'));
		bool word_a =
		    after == '`' ||
		    !(after == '_' || (after >= '0' && after <= '9') ||
		      ((after | 32) >= 'a' && (after | 32) <= 'z'));
		if (word_b && word_a)
			return true;
	}
	return false;
}

static void create_view(my_diff *d, const m_view *v, const m_view *old)
{
	strbuf sb = STRBUF_INIT;
	my_view_create_sql(&sb, v, old != NULL);
	my_diff_emit(d, CHANGE_CREATE_VIEW, v->schema, NULL, v->name, old, v,
		     NULL, NULL, &sb);
	strbuf_release(&sb);
}

/*
 * New and changed views, each after the views of the target it reads
 * that are made or replaced here too (the server checks a view's sources
 * when it is made); a cycle, which no server holds, is made in name
 * order.
 */
static void create_views(my_diff *d)
{
	int n = d->to->nviews, left = 0;
	char *todo = calloc((size_t)n + 1, 1);
	for (int i = 0; i < n; i++) {
		const m_view *v = &d->to->views[i];
		todo[i] = !find_view(d->from, v->schema, v->name) ||
			  view_replaced(d, v);
		left += todo[i];
	}
	while (left > 0) {
		bool progress = false;
		for (int i = 0; i < n; i++) {
			const m_view *v = &d->to->views[i];
			bool ready = todo[i];
			for (int j = 0; ready && j < n; j++)
				if (j != i && todo[j] &&
				    same(d->to->views[j].schema, v->schema) &&
				    view_reads(v, &d->to->views[j]))
					ready = false;
			if (!ready)
				continue;
			create_view(d, v,
				    find_view(d->from, v->schema, v->name));
			todo[i] = 0;
			left--;
			progress = true;
		}
		for (int i = 0; !progress && i < n; i++)
			if (todo[i]) {
				const m_view *v = &d->to->views[i];
				create_view(
				    d, v,
				    find_view(d->from, v->schema, v->name));
				todo[i] = 0;
				left--;
				progress = true;
			}
	}
	free(todo);
}

/* --- phases 3 and 7: indexes --- */

static bool index_kept(const m_index *x, const model *m)
{
	const m_index *o = find_index(m, x->schema, x->table, x->name);
	return o && same(o->definition, x->definition);
}

static void drop_indexes(my_diff *d)
{
	for (int i = 0; i < d->from->nindexes; i++) {
		const m_index *x = &d->from->indexes[i];
		const m_table *b = model_find_table(d->to, x->schema, x->table);
		/* A table that goes takes its indexes with it. */
		if (!b || index_kept(x, d->to))
			continue;
		/* ALTER TABLE, not DROP INDEX: MariaDB's DROP INDEX takes
		 * no ALGORITHM or LOCK, which the plan adds. */
		strbuf sb = STRBUF_INIT;
		const m_table *a =
		    model_find_table(d->from, x->schema, x->table);
		alter_prefix(&sb, a ? a : b);
		/* An AUTO_INCREMENT the key carries goes in the same ALTER. */
		if (a)
			my_diff_autoinc_drop_before(&sb, a, b, x->definition);
		strbuf_adds(&sb, "DROP INDEX ");
		my_quote_ident(&sb, x->name);
		my_diff_emit(d, CHANGE_DROP_INDEX, x->schema, x->table, x->name,
			     x, NULL, a, b, &sb);
		strbuf_release(&sb);
	}
}

static void create_indexes(my_diff *d)
{
	for (int i = 0; i < d->to->nindexes; i++) {
		const m_index *x = &d->to->indexes[i];
		const m_table *a =
		    model_find_table(d->from, x->schema, x->table);
		/* A new table is made with its indexes. */
		if (!a || index_kept(x, d->from) || my_diff_made(d, x))
			continue;
		strbuf sb = STRBUF_INIT;
		strbuf_adds(&sb, x->definition);
		my_diff_emit(d, CHANGE_CREATE_INDEX, x->schema, x->table,
			     x->name, NULL, x, a,
			     model_find_table(d->to, x->schema, x->table), &sb);
		strbuf_release(&sb);
	}
}

/* --- phases 4 and 9: tables --- */

static void create_tables(my_diff *d)
{
	for (int i = 0; i < d->to->ntables; i++) {
		const m_table *b = &d->to->tables[i];
		if (other_table(d->from, b))
			continue;
		strbuf sb = STRBUF_INIT;
		my_table_create_sql(&sb, d->to, b);
		my_diff_emit(d, CHANGE_CREATE_TABLE, b->schema, NULL, b->name,
			     NULL, b, NULL, NULL, &sb);
		strbuf_release(&sb);
	}
}

static void drop_tables(my_diff *d)
{
	for (int i = 0; i < d->from->ntables; i++) {
		const m_table *a = &d->from->tables[i];
		if (other_table(d->to, a))
			continue;
		strbuf sb = STRBUF_INIT;
		strbuf_adds(&sb, "DROP TABLE ");
		my_qname(&sb, a->schema, a->name);
		diff_stmt *s =
		    my_diff_emit(d, CHANGE_DROP_TABLE, a->schema, NULL, a->name,
				 a, NULL, NULL, NULL, &sb);
		s->destructive = true;
		strbuf_release(&sb);
	}
}

/* --- phase 6: table options --- */

int my_table_options_change_sql(strbuf *out, const m_table *a, const m_table *b)
{
	strbuf sb = STRBUF_INIT;
	if (!same(a->engine, b->engine) && b->engine)
		strbuf_addf(&sb, " ENGINE=%s", b->engine);
	/* A side that names no collation has its charset's default one,
	 * which only the server knows: the collations are compared when
	 * both sides name one. */
	if ((!same(a->charset, b->charset) ||
	     (a->collation && b->collation &&
	      !same(a->collation, b->collation))) &&
	    (b->charset || b->collation)) {
		if (b->charset)
			strbuf_addf(&sb, " DEFAULT CHARSET=%s", b->charset);
		if (b->collation)
			strbuf_addf(&sb, " COLLATE=%s", b->collation);
	}
	if (!same(a->row_format, b->row_format))
		strbuf_addf(&sb, " ROW_FORMAT=%s",
			    b->row_format ? b->row_format : "DEFAULT");
	/* Said with the row format: a table leaving COMPRESSED must also
	 * drop its KEY_BLOCK_SIZE, or strict mode refuses the change. */
	if (!same(a->key_block_size, b->key_block_size))
		strbuf_addf(&sb, " KEY_BLOCK_SIZE=%s",
			    b->key_block_size ? b->key_block_size : "0");
	if (!same(a->comment, b->comment)) {
		strbuf_adds(&sb, " COMMENT=");
		my_quote_text(&sb, b->comment ? b->comment : "");
	}
	int changed = sb.len > 0;
	if (changed) {
		strbuf_adds(out, "ALTER TABLE ");
		my_qname(out, b->schema, b->name);
		strbuf_adds(out, sb.buf);
	}
	strbuf_release(&sb);
	return changed;
}

static void alter_options(my_diff *d)
{
	for (int i = 0; i < d->to->ntables; i++) {
		const m_table *b = &d->to->tables[i];
		const m_table *a = other_table(d->from, b);
		strbuf sb = STRBUF_INIT;
		if (a && my_table_options_change_sql(&sb, a, b))
			my_diff_emit(d, MYC_ALTER_TABLE_OPTIONS, b->schema,
				     NULL, b->name, a, b, NULL, NULL, &sb);
		strbuf_release(&sb);
	}
}

/* --- phase 5: columns --- */

/*
 * A column's character set and collation are its own or its table's
 * default: a table whose default changes (phase 6, after the columns)
 * leaves its columns as they were, so a column that inherits must be
 * changed to the new default itself, and one that keeps its own says
 * so. Compared as what is in effect.
 */
static const char *eff(const char *own, const char *table_default,
		       const m_column *c)
{
	return own || !my_type_has_collation(c->type) ? own : table_default;
}

/* A table whose file says no charset or collation has the database's,
 * which only the live side knows: it counts as the other side's. */
static const char *either(const char *mine, const char *theirs)
{
	return mine ? mine : theirs;
}

/* VIRTUAL and STORED, or generated and not: the server changes neither
 * in place (MODIFY fails), so the column is dropped and added again. */
static bool generation_changes(const m_column *x, const m_column *y)
{
	return !x->generated_expr != !y->generated_expr ||
	       (x->generated_expr && x->gen_virtual != y->gen_virtual);
}

static bool column_same(const m_table *a, const m_column *x, const m_table *b,
			const m_column *y)
{
	return same(x->type, y->type) &&
	       same(eff(x->collation, either(a->collation, b->collation), x),
		    eff(y->collation, either(b->collation, a->collation), y)) &&
	       same(eff(x->charset, either(a->charset, b->charset), x),
		    eff(y->charset, either(b->charset, a->charset), y)) &&
	       same(x->default_expr, y->default_expr) &&
	       same(x->generated_expr, y->generated_expr) &&
	       x->gen_virtual == y->gen_virtual && x->not_null == y->not_null &&
	       same(x->comment, y->comment) &&
	       x->auto_increment == y->auto_increment &&
	       same(x->on_update, y->on_update) && x->invisible == y->invisible;
}

static void place(strbuf *sb, const m_table *b, int i)
{
	if (i == 0) {
		strbuf_adds(sb, " FIRST");
	} else {
		strbuf_adds(sb, " AFTER ");
		my_quote_ident(sb, b->columns[i - 1].name);
	}
}

/* y's definition, its table's new default said when that changes. */
static void column_def(strbuf *sb, const m_table *a, const m_table *b,
		       const m_column *y)
{
	bool moved =
	    !same(a->charset, b->charset) || !same(a->collation, b->collation);
	my_column_sql_in(sb, y, moved ? b->charset : NULL,
			 moved ? b->collation : NULL);
	/* MODIFY COLUMN replaces the column's own CHECK too. */
	const m_constraint *ck = my_column_check(b, y->name);
	if (ck)
		strbuf_addf(sb, " %s", ck->definition);
}

/* Move `name` in the simulated order to just after `after` (NULL:
 * first). */
static void order_place(const char **order, int len, const char *name,
			const char *after)
{
	int k = 0;
	while (k < len && strcmp(order[k], name))
		k++;
	if (k == len)
		return;
	memmove(order + k, order + k + 1,
		(size_t)(len - k - 1) * sizeof(*order));
	int at = 0;
	if (after) {
		while (at < len - 1 && strcmp(order[at], after))
			at++;
		at = at < len - 1 ? at + 1 : len - 1;
	}
	memmove(order + at + 1, order + at,
		(size_t)(len - 1 - at) * sizeof(*order));
	order[at] = name;
}

/* Column b->columns[i] dropped and added again in its target place
 * (generation_changes); `order` follows. */
static void regenerate(my_diff *d, const m_table *a, const m_table *b, int i,
		       const m_column *x, const char **order, int len)
{
	const m_column *y = &b->columns[i];
	strbuf sb = STRBUF_INIT;
	alter_prefix(&sb, a);
	strbuf_adds(&sb, "DROP COLUMN ");
	my_quote_ident(&sb, x->name);
	diff_stmt *s = my_diff_emit(d, CHANGE_DROP_COLUMN, a->schema, a->name,
				    x->name, x, NULL, a, b, &sb);
	/* A stored column's values are computed again; a plain column
	 * made generated loses its own. */
	s->destructive = !x->generated_expr;
	strbuf_reset(&sb);
	alter_prefix(&sb, b);
	strbuf_adds(&sb, "ADD COLUMN ");
	column_def(&sb, a, b, y);
	place(&sb, b, i);
	my_diff_emit(d, CHANGE_ADD_COLUMN, b->schema, b->name, y->name, NULL, y,
		     a, b, &sb);
	strbuf_release(&sb);
	order_place(order, len, y->name, i ? b->columns[i - 1].name : NULL);
}

/*
 * The columns of one table that stays. `order` simulates the table's
 * column order as the statements change it, so that a column is moved
 * only where the order still differs from the target's.
 */
static void alter_columns(my_diff *d, const m_table *a, const m_table *b)
{
	int n = a->ncolumns + b->ncolumns;
	const char **order = calloc((size_t)n + 1, sizeof(*order));
	int len = 0;
	for (int i = 0; i < a->ncolumns; i++)
		order[len++] = a->columns[i].name;
	/* Adds, in the target's place. */
	for (int i = 0; i < b->ncolumns; i++) {
		const m_column *y = &b->columns[i];
		if (model_table_find_column(a, y->name))
			continue;
		strbuf sb = STRBUF_INIT;
		alter_prefix(&sb, b);
		strbuf_adds(&sb, "ADD COLUMN ");
		column_def(&sb, a, b, y);
		place(&sb, b, i);
		my_diff_autoinc_added(d, &sb, a, b, NULL, y);
		my_diff_emit(d, CHANGE_ADD_COLUMN, b->schema, b->name, y->name,
			     NULL, y, a, b, &sb);
		strbuf_release(&sb);
		int at = 0;
		if (i > 0)
			for (at = 0; at < len; at++)
				if (!strcmp(order[at],
					    b->columns[i - 1].name)) {
					at++;
					break;
				}
		memmove(order + at + 1, order + at,
			(size_t)(len - at) * sizeof(*order));
		order[at] = y->name;
		len++;
	}
	/* Changes. */
	for (int i = 0; i < b->ncolumns; i++) {
		const m_column *y = &b->columns[i];
		const m_column *x = model_table_find_column(a, y->name);
		if (!x || column_same(a, x, b, y))
			continue;
		if (generation_changes(x, y)) {
			regenerate(d, a, b, i, x, order, len);
			continue;
		}
		strbuf sb = STRBUF_INIT;
		alter_prefix(&sb, b);
		strbuf_adds(&sb, "MODIFY COLUMN ");
		column_def(&sb, a, b, y);
		my_diff_autoinc_added(d, &sb, a, b, x, y);
		diff_stmt *s = my_diff_emit(d, MYC_MODIFY_COLUMN, b->schema,
					    b->name, y->name, x, y, a, b, &sb);
		s->rewrites = !same(x->type, y->type);
		strbuf_release(&sb);
	}
	/* Drops leave the order of the rest as it is. */
	for (int i = 0; i < a->ncolumns; i++) {
		const m_column *x = &a->columns[i];
		if (model_table_find_column(b, x->name))
			continue;
		strbuf sb = STRBUF_INIT;
		alter_prefix(&sb, a);
		strbuf_adds(&sb, "DROP COLUMN ");
		my_quote_ident(&sb, x->name);
		diff_stmt *s =
		    my_diff_emit(d, CHANGE_DROP_COLUMN, a->schema, a->name,
				 x->name, x, NULL, a, b, &sb);
		s->destructive = true;
		strbuf_release(&sb);
		for (int k = 0; k < len; k++)
			if (!strcmp(order[k], x->name)) {
				memmove(order + k, order + k + 1,
					(size_t)(len - k - 1) * sizeof(*order));
				len--;
				break;
			}
	}
	/* Moves: walk the target's order; a column not where it should be
	 * goes after the one before it. */
	for (int i = 0; i < b->ncolumns && i < len; i++) {
		if (!strcmp(order[i], b->columns[i].name))
			continue;
		const m_column *y = &b->columns[i];
		strbuf sb = STRBUF_INIT;
		alter_prefix(&sb, b);
		strbuf_adds(&sb, "MODIFY COLUMN ");
		column_def(&sb, a, b, y);
		place(&sb, b, i);
		diff_stmt *s = my_diff_emit(
		    d, MYC_MOVE_COLUMN, b->schema, b->name, y->name,
		    model_table_find_column(a, y->name), y, a, b, &sb);
		s->rewrites = true;
		strbuf_release(&sb);
		int k = i;
		while (k < len && strcmp(order[k], y->name))
			k++;
		if (k == len)
			break;
		memmove(order + i + 1, order + i,
			(size_t)(k - i) * sizeof(*order));
		order[i] = y->name;
	}
	free(order);
}

static void columns(my_diff *d)
{
	for (int i = 0; i < d->to->ntables; i++) {
		const m_table *b = &d->to->tables[i];
		const m_table *a = other_table(d->from, b);
		if (a)
			alter_columns(d, a, b);
	}
}

int my_diff_models(const model *from, const model *to, diff_result *out,
		   error *e)
{
	(void)e;
	my_diff d = {from, to, out, NULL, 0};
	drop_constraints(&d, "f", true);
	my_diff_drop_triggers(&d);
	my_diff_drop_routines(&d);
	drop_views(&d);
	my_diff_remove_partitioning(&d);
	drop_indexes(&d);
	drop_constraints(&d, "pc", false);
	create_tables(&d);
	columns(&d);
	alter_options(&d);
	add_constraints(&d, "p", false);
	create_indexes(&d);
	add_constraints(&d, "c", false);
	my_diff_partitioning(&d);
	add_constraints(&d, "f", true);
	drop_tables(&d);
	create_views(&d);
	my_diff_create_routines(&d);
	my_diff_create_triggers(&d);
	free(d.made);
	note_unsettled(&d);
	return 0;
}
