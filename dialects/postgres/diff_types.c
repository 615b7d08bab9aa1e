/*
 * Enums, domains, composite and range types (sequences: diff_sequences.c).
 */
#include "pg.h"

#include <inttypes.h>
#include <string.h>

#include "diff_internal.h"

/* A statement that uses `type` waits for the type's creation when both
 * are made in the same phase. */
static void need_type(diff_ctx *c, diff_item *it, const char *type)
{
	const char *s, *n;
	if (diff_type_ref(c, type, &s, &n))
		diff_need(c, it, diff_key(c, "type", s, n));
}

/* A dropped type that uses `type` goes before it. */
static void predrop_type(diff_ctx *c, diff_item *it, const char *type)
{
	const char *s, *n;
	if (diff_type_ref(c, type, &s, &n))
		diff_provide(c, it, diff_key(c, "predroptype", s, n));
}

diff_item *diff_type_comment(diff_ctx *c, const char *what, const char *q,
			     const char *old, const char *new)
{
	return diff_comment(c, arena_sprintf(&c->arena, "%s %s", what, q), q,
			    old, new);
}

static diff_item *type_drop(diff_ctx *c, const char *what, int objkind,
			    const char *schema, const char *name)
{
	const char *q = diff_qname(c, schema, name);
	diff_item *it = diff_on(
	    diff_emit(c, PH_DROP_TYPE,
		      strcmp(what, "DOMAIN") ? PGC_DROP_TYPE : PGC_DROP_DOMAIN,
		      q, arena_sprintf(&c->arena, "DROP %s %s", what, q)),
	    objkind, schema, NULL, name, NULL);
	it->destructive = true;
	diff_need(c, it, diff_key(c, "predroptype", schema, name));
	diff_provide(c, it, diff_key(c, "predrop", NULL, schema));
	return it;
}

static void enum_create(diff_ctx *c, const m_enum *en)
{
	const char *q = diff_qname(c, en->schema, en->name);
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "CREATE TYPE %s AS ENUM (", q);
	for (int i = 0; i < en->nlabels; i++) {
		if (i)
			strbuf_adds(&sb, ", ");
		pg_quote_literal(&sb, en->labels[i]);
	}
	strbuf_addch(&sb, ')');
	diff_item *it =
	    diff_on(diff_emit(c, PH_TYPE, PGC_CREATE_TYPE, q, strbuf_str(&sb)),
		    PGO_ENUM, en->schema, NULL, en->name, NULL);
	diff_provide(c, it, diff_key(c, "type", en->schema, en->name));
	diff_need(c, it, diff_key(c, "renamed", en->schema, en->name));
	diff_need(c, it, diff_key(c, "schema", NULL, en->schema));
	strbuf_release(&sb);
}

static int label_index(const m_enum *en, const char *label)
{
	for (int i = 0; i < en->nlabels; i++)
		if (!strcmp(en->labels[i], label))
			return i;
	return -1;
}

/* True when every old label is still there, in the same order: the new
 * labels can then be added in place. */
static bool enum_only_adds(const m_enum *a, const m_enum *b)
{
	int j = 0;
	for (int i = 0; i < b->nlabels && j < a->nlabels; i++)
		if (!strcmp(b->labels[i], a->labels[j]))
			j++;
	return j == a->nlabels;
}

static void enum_add_value(diff_ctx *c, const m_enum *en, const char *label,
			   const char *where, const char *other)
{
	const char *q = diff_qname(c, en->schema, en->name);
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "ALTER TYPE %s ADD VALUE ", q);
	pg_quote_literal(&sb, label);
	if (where) {
		strbuf_addf(&sb, " %s ", where);
		pg_quote_literal(&sb, other);
	}
	/* Allowed in a transaction block since PostgreSQL 12; the value
	 * just cannot be used before the transaction commits. */
	diff_on(diff_emit(c, PH_TYPE, PGC_ADD_ENUM_VALUE, q, strbuf_str(&sb)),
		0, en->schema, NULL, en->name, NULL);
	strbuf_release(&sb);
}

static void enum_add_values(diff_ctx *c, const m_enum *a, const m_enum *b)
{
	/* Leading new labels go BEFORE the first kept one, nearest first;
	 * every later one goes AFTER its predecessor, which exists by then. */
	int first_kept = -1;
	for (int i = 0; i < b->nlabels && first_kept < 0; i++)
		if (label_index(a, b->labels[i]) >= 0)
			first_kept = i;
	if (first_kept < 0) {
		for (int i = 0; i < b->nlabels; i++)
			enum_add_value(c, b, b->labels[i], i ? "AFTER" : NULL,
				       i ? b->labels[i - 1] : NULL);
		return;
	}
	for (int i = first_kept - 1; i >= 0; i--)
		enum_add_value(c, b, b->labels[i], "BEFORE", b->labels[i + 1]);
	for (int i = first_kept + 1; i < b->nlabels; i++)
		if (label_index(a, b->labels[i]) < 0)
			enum_add_value(c, b, b->labels[i], "AFTER",
				       b->labels[i - 1]);
}

/* Labels removed or reordered: rename the old type aside, create the new
 * one, move every column over through text, drop the old type. */
static void enum_rebuild(diff_ctx *c, const m_enum *a, const m_enum *b)
{
	const char *q = diff_qname(c, a->schema, a->name);
	const char *old_name =
	    arena_sprintf(&c->arena, "%.48s_schemig_old", a->name);
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "ALTER TYPE %s RENAME TO ", q);
	pg_quote_ident(&sb, old_name);
	diff_item *it =
	    diff_on(diff_emit(c, PH_TYPE, PGC_RENAME_TYPE, q, strbuf_str(&sb)),
		    0, a->schema, NULL, a->name, NULL);
	diff_provide(c, it, diff_key(c, "renamed", a->schema, a->name));
	*ARENA_PUSH(&c->arena, c->rebuilt, c->nrebuilt, c->crebuilt) = q;
	diff_set_add(c, &c->rebuilt_types,
		     diff_key(c, "type", a->schema, a->name));
	/* Privileges stay with the renamed type: grant them again. */
	diff_set_add(c, &c->recreated, diff_key(c, "type", a->schema, a->name));
	enum_create(c, b);

	const char *arr = arena_sprintf(&c->arena, "%s[]", q);
	for (int i = 0; i < c->from->ntables; i++) {
		const m_table *ft = &c->from->tables[i];
		const m_table *tt =
		    model_find_table(c->to, ft->schema, ft->name);
		if (!tt)
			continue;
		const char *tq = diff_qname(c, ft->schema, ft->name);
		for (int k = 0; k < ft->ncolumns; k++) {
			const m_column *fc = &ft->columns[k];
			bool is_arr = !strcmp(fc->type, arr);
			if (strcmp(fc->type, q) && !is_arr)
				continue;
			const m_column *tc =
			    model_table_find_column(tt, fc->name);
			if (!tc || strcmp(tc->type, fc->type))
				continue;
			/* What reads the column steps aside around these
			 * statements only (diff_deps.c). */
			diff_set_add(c, &c->cols,
				     diff_key3(c, "coltype", ft->schema,
					       ft->name, fc->name));
			c->anchor =
			    diff_col_anchor(c, ft->schema, ft->name, fc->name);
			const char *obj =
			    diff_qname3(c, ft->schema, ft->name, fc->name);
			strbuf col = STRBUF_INIT;
			pg_quote_ident(&col, fc->name);
			if (fc->default_expr)
				diff_on(
				    diff_emit(
					c, PH_TABLE, CHANGE_DROP_DEFAULT, obj,
					arena_sprintf(&c->arena,
						      "ALTER TABLE %s ALTER "
						      "COLUMN %s DROP DEFAULT",
						      tq, strbuf_str(&col))),
				    0, ft->schema, ft->name, fc->name, NULL);
			diff_item *alt = diff_on(
			    diff_emit(
				c, PH_TABLE, CHANGE_ALTER_COLUMN_TYPE, obj,
				arena_sprintf(&c->arena,
					      "ALTER TABLE %s ALTER COLUMN %s "
					      "TYPE %s USING %s::text%s::%s",
					      tq, strbuf_str(&col), fc->type,
					      strbuf_str(&col),
					      is_arr ? "[]" : "", fc->type)),
			    0, ft->schema, ft->name, fc->name, NULL);
			/* Only a removed label can lose a value. */
			for (int l = 0; l < a->nlabels; l++)
				if (label_index(b, a->labels[l]) < 0)
					alt->destructive = true;
			if (tc->default_expr)
				diff_on(
				    diff_emit(c, PH_TABLE, CHANGE_SET_DEFAULT,
					      obj,
					      arena_sprintf(
						  &c->arena,
						  "ALTER TABLE %s ALTER "
						  "COLUMN %s SET DEFAULT %s",
						  tq, strbuf_str(&col),
						  tc->default_expr)),
				    0, ft->schema, ft->name, fc->name, NULL);
			c->anchor = NULL;
			strbuf_release(&col);
		}
	}
	diff_item *d = type_drop(c, "TYPE", PGO_ENUM, a->schema, old_name);
	d->destructive = false;
	strbuf_release(&sb);
}

/* True when `type` (a canonical type) holds domain `d` inside a
 * composite type or an array: "public.code[]", or a composite of `m`
 * with such an attribute, at any depth (`depth` bounds a cycle the
 * server would refuse anyway). */
static bool holds_domain(diff_ctx *c, const model *m, const char *type,
			 const m_domain *d, bool nested, int depth)
{
	const char *s, *n;
	if (depth > 16 || !diff_type_ref(c, type, &s, &n))
		return false;
	bool array = type[strlen(type) - 1] == ']';
	if (!strcmp(s, d->schema) && !strcmp(n, d->name))
		return nested || array;
	for (int i = 0; i < m->ncomposites; i++) {
		const m_composite *ct = &m->composites[i];
		if (strcmp(ct->schema, s) || strcmp(ct->name, n))
			continue;
		for (int k = 0; k < ct->nattrs; k++)
			if (holds_domain(c, m, ct->attrs[k].type, d, true,
					 depth + 1))
				return true;
	}
	return false;
}

/* The first column ("s.t.col") that exists before the migration and
 * keeps holding domain `d` inside a composite type or an array, or NULL.
 * ALTER DOMAIN ... ADD CONSTRAINT (and SET NOT NULL) cannot check the
 * values of such a column: PostgreSQL refuses ("cannot alter type ...
 * because column ... uses it"); only NOT VALID is allowed. */
static const char *domain_nested_use(diff_ctx *c, const m_domain *d)
{
	for (int i = 0; i < c->from->ntables; i++) {
		const m_table *ft = &c->from->tables[i];
		const m_table *tt =
		    model_find_table(c->to, ft->schema, ft->name);
		for (int k = 0; tt && k < ft->ncolumns; k++) {
			const m_column *fc = &ft->columns[k];
			const m_column *tc =
			    model_table_find_column(tt, fc->name);
			if (tc && diff_streq(fc->type, tc->type) &&
			    holds_domain(c, c->from, fc->type, d, false, 0))
				return diff_qname3(c, ft->schema, ft->name,
						   fc->name);
		}
	}
	return NULL;
}

static void domain_check(diff_ctx *c, const m_domain *d, const m_constraint *k,
			 bool add)
{
	const char *q = diff_qname(c, d->schema, d->name);
	/* Only a domain of the from side can be held by existing columns. */
	const char *nested = add && diff_has_type(c->from, d->schema, d->name)
				 ? domain_nested_use(c, d)
				 : NULL;
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "ALTER DOMAIN %s %s CONSTRAINT ", q,
		    add ? "ADD" : "DROP");
	pg_quote_ident(&sb, k->name);
	if (add)
		strbuf_addf(&sb, " %s%s", k->definition,
			    nested ? " NOT VALID" : "");
	diff_on(diff_emit(c, add ? PH_DOMAIN_CHECK : PH_DROP_CONSTRAINT,
			  nested ? PGC_ADD_DOMAIN_CHECK_NOT_VALID
			  : add	 ? CHANGE_ADD_CONSTRAINT
				 : CHANGE_DROP_CONSTRAINT,
			  diff_qname3(c, d->schema, d->name, k->name),
			  strbuf_str(&sb)),
		PGO_DOMAIN_CONSTRAINT, d->schema, d->name, k->name, NULL);
	strbuf_release(&sb);
	if (add) {
		strbuf_reset(&sb);
		strbuf_adds(&sb, "CONSTRAINT ");
		pg_quote_ident(&sb, k->name);
		strbuf_addf(&sb, " ON DOMAIN %s", q);
		diff_on(
		    diff_comment(c, arena_strdup(&c->arena, strbuf_str(&sb)),
				 diff_qname3(c, d->schema, d->name, k->name),
				 NULL, k->comment),
		    PGO_DOMAIN_CONSTRAINT, d->schema, d->name, k->name, NULL);
		strbuf_release(&sb);
	}
}

static void domain_create(diff_ctx *c, const m_domain *d)
{
	const char *q = diff_qname(c, d->schema, d->name);
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "CREATE DOMAIN %s AS %s", q, d->base_type);
	if (d->collation)
		strbuf_addf(&sb, " COLLATE %s", d->collation);
	if (d->default_expr)
		strbuf_addf(&sb, " DEFAULT %s", d->default_expr);
	if (d->not_null)
		strbuf_adds(&sb, " NOT NULL");
	diff_item *it = diff_on(
	    diff_emit(c, PH_TYPE, PGC_CREATE_DOMAIN, q, strbuf_str(&sb)), 0,
	    d->schema, NULL, d->name, NULL);
	diff_provide(c, it, diff_key(c, "type", d->schema, d->name));
	diff_need(c, it, diff_key(c, "schema", NULL, d->schema));
	need_type(c, it, d->base_type);
	strbuf_release(&sb);
	/* Checks may call functions, which come after types; they come
	 * before the tables whose columns may hold the domain. */
	for (int i = 0; i < d->nchecks; i++)
		if (d->checks[i].kind != M_CON_NOTNULL)
			domain_check(c, d, &d->checks[i], true);
	diff_on(diff_type_comment(c, "DOMAIN", q, NULL, d->comment), PGO_DOMAIN,
		d->schema, NULL, d->name, NULL);
}

static int domain_alter(diff_ctx *c, const m_domain *a, const m_domain *b,
			error *e)
{
	const char *q = diff_qname(c, b->schema, b->name);
	if (!diff_streq(a->base_type, b->base_type) ||
	    !diff_streq(a->collation, b->collation))
		return error_set(e, EXIT_USAGE,
				 "domain %s: changing the base type or "
				 "collation of a domain is not supported; "
				 "create a new domain and move the columns",
				 q);
	if (!diff_streq(a->default_expr, b->default_expr)) {
		if (b->default_expr)
			diff_on(diff_emit(c, PH_TYPE, CHANGE_SET_DEFAULT, q,
					  arena_sprintf(
					      &c->arena,
					      "ALTER DOMAIN %s SET DEFAULT %s",
					      q, b->default_expr)),
				PGO_DOMAIN, b->schema, NULL, b->name, NULL);
		else
			diff_on(
			    diff_emit(c, PH_TYPE, CHANGE_DROP_DEFAULT, q,
				      arena_sprintf(
					  &c->arena,
					  "ALTER DOMAIN %s DROP DEFAULT", q)),
			    PGO_DOMAIN, b->schema, NULL, b->name, NULL);
	}
	if (a->not_null != b->not_null)
		diff_on(diff_emit(c, b->not_null ? PH_DOMAIN_CHECK : PH_TYPE,
				  b->not_null ? CHANGE_SET_NOT_NULL
					      : CHANGE_DROP_NOT_NULL,
				  q,
				  arena_sprintf(
				      &c->arena, "ALTER DOMAIN %s %s NOT NULL",
				      q, b->not_null ? "SET" : "DROP")),
			PGO_DOMAIN, b->schema, NULL, b->name, NULL);
	int i = 0, j = 0;
	while (i < a->nchecks || j < b->nchecks) {
		int r = i >= a->nchecks ? 1
			: j >= b->nchecks
			    ? -1
			    : diff_strcmp(a->checks[i].name, b->checks[j].name);
		if (r < 0) {
			domain_check(c, a, &a->checks[i++], false);
		} else if (r > 0) {
			domain_check(c, b, &b->checks[j++], true);
		} else {
			if (!diff_streq(a->checks[i].definition,
					b->checks[j].definition)) {
				domain_check(c, a, &a->checks[i], false);
				domain_check(c, b, &b->checks[j], true);
			}
			i++, j++;
		}
	}
	diff_on(diff_type_comment(c, "DOMAIN", q, a->comment, b->comment),
		PGO_DOMAIN, b->schema, NULL, b->name, NULL);
	return 0;
}

void diff_column_def(strbuf *sb, const m_column *col)
{
	pg_quote_ident(sb, col->name);
	strbuf_addf(sb, " %s", col->type);
	if (col->collation)
		strbuf_addf(sb, " COLLATE %s", col->collation);
	if (col->generated_expr)
		strbuf_addf(sb, " GENERATED ALWAYS AS (%s) STORED",
			    col->generated_expr);
	if (col->identity)
		strbuf_addf(sb, " GENERATED %s AS IDENTITY%s%s%s",
			    col->identity == 'a' ? "ALWAYS" : "BY DEFAULT",
			    col->identity_options ? " (" : "",
			    col->identity_options ? col->identity_options : "",
			    col->identity_options ? ")" : "");
	if (col->default_expr && !col->identity && !col->generated_expr)
		strbuf_addf(sb, " DEFAULT %s", col->default_expr);
	if (col->not_null)
		strbuf_adds(sb, " NOT NULL");
}

static void attr_def(strbuf *sb, const m_column *col)
{
	pg_quote_ident(sb, col->name);
	strbuf_addf(sb, " %s", col->type);
	if (col->collation)
		strbuf_addf(sb, " COLLATE %s", col->collation);
}

/* COMMENT ON COLUMN type.attr: attributes are columns to COMMENT. */
static void attr_comment(diff_ctx *c, const m_composite *ct, const m_column *y,
			 const char *old)
{
	const char *obj = diff_qname3(c, ct->schema, ct->name, y->name);
	diff_on(diff_comment(c, arena_sprintf(&c->arena, "COLUMN %s", obj), obj,
			     old, y->comment),
		PGO_ATTRIBUTE, ct->schema, ct->name, y->name, NULL);
}

static void composite_create(diff_ctx *c, const m_composite *ct)
{
	const char *q = diff_qname(c, ct->schema, ct->name);
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "CREATE TYPE %s AS (", q);
	for (int i = 0; i < ct->nattrs; i++) {
		if (i)
			strbuf_adds(&sb, ", ");
		attr_def(&sb, &ct->attrs[i]);
	}
	strbuf_addch(&sb, ')');
	diff_item *it =
	    diff_on(diff_emit(c, PH_TYPE, PGC_CREATE_TYPE, q, strbuf_str(&sb)),
		    PGO_COMPOSITE, ct->schema, NULL, ct->name, NULL);
	diff_provide(c, it, diff_key(c, "type", ct->schema, ct->name));
	diff_need(c, it, diff_key(c, "schema", NULL, ct->schema));
	for (int i = 0; i < ct->nattrs; i++)
		need_type(c, it, ct->attrs[i].type);
	strbuf_release(&sb);
	diff_on(diff_type_comment(c, "TYPE", q, NULL, ct->comment),
		PGO_COMPOSITE, ct->schema, NULL, ct->name, NULL);
	for (int i = 0; i < ct->nattrs; i++)
		attr_comment(c, ct, &ct->attrs[i], NULL);
}

static void composite_alter(diff_ctx *c, const m_composite *a,
			    const m_composite *b)
{
	const char *q = diff_qname(c, b->schema, b->name);
	strbuf sb = STRBUF_INIT;
	for (int i = 0; i < a->nattrs; i++) {
		const m_column *x = &a->attrs[i];
		bool kept = false;
		for (int j = 0; j < b->nattrs && !kept; j++)
			kept = !strcmp(b->attrs[j].name, x->name);
		if (kept)
			continue;
		strbuf_reset(&sb);
		strbuf_addf(&sb, "ALTER TYPE %s DROP ATTRIBUTE ", q);
		pg_quote_ident(&sb, x->name);
		diff_item *it = diff_on(
		    diff_emit(c, PH_TYPE, PGC_DROP_ATTRIBUTE,
			      diff_qname3(c, a->schema, a->name, x->name),
			      strbuf_str(&sb)),
		    0, a->schema, a->name, x->name, NULL);
		it->destructive = true;
	}
	for (int j = 0; j < b->nattrs; j++) {
		const m_column *y = &b->attrs[j];
		const m_column *x = NULL;
		for (int i = 0; i < a->nattrs && !x; i++)
			if (!strcmp(a->attrs[i].name, y->name))
				x = &a->attrs[i];
		strbuf_reset(&sb);
		const char *obj = diff_qname3(c, b->schema, b->name, y->name);
		if (!x) {
			strbuf_addf(&sb, "ALTER TYPE %s ADD ATTRIBUTE ", q);
			attr_def(&sb, y);
			diff_item *it =
			    diff_on(diff_emit(c, PH_TYPE, PGC_ADD_ATTRIBUTE,
					      obj, strbuf_str(&sb)),
				    0, b->schema, b->name, y->name, NULL);
			need_type(c, it, y->type);
		} else if (!diff_streq(x->type, y->type) ||
			   !diff_streq(x->collation, y->collation)) {
			strbuf_addf(&sb, "ALTER TYPE %s ALTER ATTRIBUTE ", q);
			pg_quote_ident(&sb, y->name);
			strbuf_addf(&sb, " TYPE %s", y->type);
			if (y->collation)
				strbuf_addf(&sb, " COLLATE %s", y->collation);
			diff_item *it =
			    diff_on(diff_emit(c, PH_TYPE, PGC_ALTER_ATTRIBUTE,
					      obj, strbuf_str(&sb)),
				    0, b->schema, b->name, y->name, NULL);
			it->destructive = true;
			need_type(c, it, y->type);
		}
		attr_comment(c, b, y, x ? x->comment : NULL);
	}
	strbuf_release(&sb);
	diff_on(diff_type_comment(c, "TYPE", q, a->comment, b->comment),
		PGO_COMPOSITE, b->schema, NULL, b->name, NULL);
}

/* A range's subtype_diff of the schema's own ("s.f", unquoted) must
 * exist first: the range then goes with the functions, after it. */
static bool range_needs_fn(diff_ctx *c, diff_item *it, const m_range *g)
{
	const char *f = g->subtype_diff;
	const char *dot = f ? strchr(f, '.') : NULL;
	if (!dot || strchr(f, '"'))
		return false;
	if (it)
		diff_need(
		    c, it,
		    diff_key3(c, "fn",
			      arena_strndup(&c->arena, f, (size_t)(dot - f)),
			      dot + 1,
			      arena_sprintf(&c->arena, "%s, %s", g->subtype,
					    g->subtype)));
	return true;
}

/* A range whose subtype_diff is the schema's own goes before that
 * function is dropped, after the functions that take the range. */
static void range_drop_early(diff_ctx *c, const m_range *g)
{
	const char *q = diff_qname(c, g->schema, g->name);
	diff_item *it =
	    diff_on(diff_emit(c, PH_DROP_SEQUENCE, PGC_DROP_TYPE, q,
			      arena_sprintf(&c->arena, "DROP TYPE %s", q)),
		    PGO_RANGE, g->schema, NULL, g->name, NULL);
	it->destructive = true;
	diff_need(c, it, diff_key(c, "predroptype", g->schema, g->name));
	const char *f = g->subtype_diff, *dot = strchr(f, '.');
	diff_provide(c, it,
		     diff_key3(c, "fnuser",
			       arena_strndup(&c->arena, f, (size_t)(dot - f)),
			       dot + 1,
			       arena_sprintf(&c->arena, "%s, %s", g->subtype,
					     g->subtype)));
}

static void range_create(diff_ctx *c, const m_range *g)
{
	const char *q = diff_qname(c, g->schema, g->name);
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "CREATE TYPE %s AS RANGE (SUBTYPE = %s", q,
		    g->subtype);
	if (g->subtype_opclass)
		strbuf_addf(&sb, ", SUBTYPE_OPCLASS = %s", g->subtype_opclass);
	if (g->collation)
		strbuf_addf(&sb, ", COLLATION = %s", g->collation);
	if (g->canonical)
		strbuf_addf(&sb, ", CANONICAL = %s", g->canonical);
	if (g->subtype_diff)
		strbuf_addf(&sb, ", SUBTYPE_DIFF = %s", g->subtype_diff);
	if (g->multirange)
		strbuf_addf(&sb, ", MULTIRANGE_TYPE_NAME = %s", g->multirange);
	strbuf_addch(&sb, ')');
	diff_item *it = diff_on(
	    diff_emit(c, range_needs_fn(c, NULL, g) ? PH_FUNCTION : PH_TYPE,
		      PGC_CREATE_TYPE, q, strbuf_str(&sb)),
	    PGO_RANGE, g->schema, NULL, g->name, NULL);
	diff_provide(c, it, diff_key(c, "type", g->schema, g->name));
	diff_need(c, it, diff_key(c, "schema", NULL, g->schema));
	need_type(c, it, g->subtype);
	range_needs_fn(c, it, g);
	strbuf_release(&sb);
	diff_on(diff_type_comment(c, "TYPE", q, NULL, g->comment), PGO_RANGE,
		g->schema, NULL, g->name, NULL);
}

static bool range_same(const m_range *a, const m_range *b)
{
	return diff_streq(a->subtype, b->subtype) &&
	       diff_streq(a->subtype_opclass, b->subtype_opclass) &&
	       diff_streq(a->collation, b->collation) &&
	       diff_streq(a->canonical, b->canonical) &&
	       diff_streq(a->subtype_diff, b->subtype_diff) &&
	       diff_streq(a->multirange, b->multirange);
}

/* No ALTER TYPE changes a range's definition: any change drops it early
 * (before the types phase re-creates it) and creates it again. */
static void range_diff(diff_ctx *c, const m_range *a, const m_range *b)
{
	const char *q = diff_qname(c, b->schema, b->name);
	if (range_same(a, b)) {
		diff_on(diff_type_comment(c, "TYPE", q, a->comment, b->comment),
			PGO_RANGE, b->schema, NULL, b->name, NULL);
		return;
	}
	diff_item *it =
	    diff_on(diff_emit(c, PH_DROP_CONSTRAINT, PGC_DROP_TYPE, q,
			      arena_sprintf(&c->arena, "DROP TYPE %s", q)),
		    PGO_RANGE, b->schema, NULL, b->name, NULL);
	it->destructive = true;
	range_create(c, b);
}

int diff_types(diff_ctx *c, error *e)
{
	const model *f = c->from, *t = c->to;
	MERGE_WALK(
	    f->nenums, t->nenums,
	    diff_cmp_qualified(f->enums[i_].schema, f->enums[i_].name,
			       t->enums[j_].schema, t->enums[j_].name),
	    type_drop(c, "TYPE", PGO_ENUM, f->enums[i_].schema,
		      f->enums[i_].name),
	    {
		    enum_create(c, &t->enums[j_]);
		    diff_on(diff_type_comment(c, "TYPE",
					      diff_qname(c, t->enums[j_].schema,
							 t->enums[j_].name),
					      NULL, t->enums[j_].comment),
			    PGO_ENUM, t->enums[j_].schema, NULL,
			    t->enums[j_].name, NULL);
	    },
	    {
		    const m_enum *a = &f->enums[i_];
		    const m_enum *b = &t->enums[j_];
		    bool same = a->nlabels == b->nlabels;
		    for (int k = 0; same && k < a->nlabels; k++)
			    same = !strcmp(a->labels[k], b->labels[k]);
		    if (!same && enum_only_adds(a, b))
			    enum_add_values(c, a, b);
		    else if (!same)
			    enum_rebuild(c, a, b);
		    diff_on(
			diff_type_comment(
			    c, "TYPE", diff_qname(c, b->schema, b->name),
			    same || enum_only_adds(a, b) ? a->comment : NULL,
			    b->comment),
			PGO_ENUM, b->schema, NULL, b->name, NULL);
	    });

	int rc = 0;
	MERGE_WALK(
	    f->ndomains, t->ndomains,
	    diff_cmp_qualified(f->domains[i_].schema, f->domains[i_].name,
			       t->domains[j_].schema, t->domains[j_].name),
	    predrop_type(c,
			 type_drop(c, "DOMAIN", PGO_DOMAIN,
				   f->domains[i_].schema, f->domains[i_].name),
			 f->domains[i_].base_type),
	    domain_create(c, &t->domains[j_]), {
		    if (!rc &&
			domain_alter(c, &f->domains[i_], &t->domains[j_], e))
			    rc = -1;
	    });
	if (rc)
		return rc;

	MERGE_WALK(
	    f->ncomposites, t->ncomposites,
	    diff_cmp_qualified(f->composites[i_].schema, f->composites[i_].name,
			       t->composites[j_].schema,
			       t->composites[j_].name),
	    {
		    const m_composite *ct = &f->composites[i_];
		    diff_item *it = type_drop(c, "TYPE", PGO_COMPOSITE,
					      ct->schema, ct->name);
		    for (int k = 0; k < ct->nattrs; k++)
			    predrop_type(c, it, ct->attrs[k].type);
	    },
	    composite_create(c, &t->composites[j_]),
	    composite_alter(c, &f->composites[i_], &t->composites[j_]));

	MERGE_WALK(
	    f->nranges, t->nranges,
	    diff_cmp_qualified(f->ranges[i_].schema, f->ranges[i_].name,
			       t->ranges[j_].schema, t->ranges[j_].name),
	    {
		    const m_range *g = &f->ranges[i_];
		    if (range_needs_fn(c, NULL, g))
			    range_drop_early(c, g);
		    else
			    predrop_type(c,
					 type_drop(c, "TYPE", PGO_RANGE,
						   g->schema, g->name),
					 g->subtype);
	    },
	    range_create(c, &t->ranges[j_]),
	    range_diff(c, &f->ranges[i_], &t->ranges[j_]));
	return 0;
}
