/*
 * Whole-tree helpers: libpg_query's deparser (for statements and for the
 * expressions parse_expr.c does not print itself), and a walk over every
 * message of a parse tree, through the protobuf descriptors, to find the
 * relations a view reads and the columns a check names.
 */
#include <stdlib.h>
#include <string.h>

#include "parse_internal.h"
#include "pg.h"

/* Deparse `stmt` as the only statement of a parse tree. A template tree
 * from "SELECT 1" supplies every field the deparser expects; we borrow
 * it, swap our node in and put the original back before freeing. */
static char *deparse_with(const pnode *stmt, const pnode *target_val)
{
	PgQueryProtobufParseResult r = pg_query_parse_protobuf("SELECT 1");
	if (r.error) {
		pg_query_free_protobuf_parse_result(r);
		return NULL;
	}
	PgQuery__ParseResult *tree = pg_query__parse_result__unpack(
	    NULL, r.parse_tree.len, (const uint8_t *)r.parse_tree.data);
	pg_query_free_protobuf_parse_result(r);
	if (!tree)
		return NULL;
	PgQuery__RawStmt *raw = tree->stmts[0];
	pnode *saved_stmt = raw->stmt;
	PgQuery__ResTarget *rt =
	    saved_stmt->select_stmt->target_list[0]->res_target;
	pnode *saved_val = rt->val;
	if (stmt)
		raw->stmt = (pnode *)stmt;
	else
		rt->val = (pnode *)target_val;

	size_t len = pg_query__parse_result__get_packed_size(tree);
	uint8_t *buf = malloc(len ? len : 1);
	char *out = NULL;
	if (buf) {
		pg_query__parse_result__pack(tree, buf);
		PgQueryProtobuf pb = {len, (char *)buf};
		PgQueryDeparseResult d = pg_query_deparse_protobuf(pb);
		if (!d.error && d.query)
			out = strdup(d.query);
		pg_query_free_deparse_result(d);
		free(buf);
	}
	raw->stmt = saved_stmt;
	rt->val = saved_val;
	protobuf_c_message_free_unpacked(&tree->base, NULL);
	return out;
}

char *pp_deparse_stmt(const pnode *stmt)
{
	return deparse_with(stmt, NULL);
}

void pp_deparse_expr(strbuf *sb, const pnode *n)
{
	char *s = deparse_with(NULL, n);
	if (!s) {
		strbuf_adds(sb, "?");
		return;
	}
	strbuf_adds(sb, strncmp(s, "SELECT ", 7) ? s : s + 7);
	free(s);
}

const char *pp_index_colname(const pnode *n)
{
	if (!n)
		return NULL;
	switch (n->node_case) {
	case NC(COLUMN_REF): {
		const PgQuery__ColumnRef *r = n->column_ref;
		return r->n_fields ? pp_sval(r->fields[r->n_fields - 1]) : NULL;
	}
	case NC(FUNC_CALL): {
		const PgQuery__FuncCall *f = n->func_call;
		return f->n_funcname ? pp_sval(f->funcname[f->n_funcname - 1])
				     : NULL;
	}
	case NC(TYPE_CAST): {
		const char *s = pp_index_colname(n->type_cast->arg);
		const PgQuery__TypeName *t = n->type_cast->type_name;
		if (!s && t->n_names)
			s = pp_sval(t->names[t->n_names - 1]);
		return s;
	}
	case NC(A_EXPR):
		return n->a_expr->kind == PG_QUERY__A__EXPR__KIND__AEXPR_NULLIF
			   ? "nullif"
			   : NULL;
	case NC(CASE_EXPR):
		return "case";
	case NC(A_ARRAY_EXPR):
		return "array";
	case NC(COALESCE_EXPR):
		return "coalesce";
	case NC(ROW_EXPR):
		return "row";
	case NC(MIN_MAX_EXPR):
		return n->min_max_expr->op == PG_QUERY__MIN_MAX_OP__IS_GREATEST
			   ? "greatest"
			   : "least";
	default:
		return NULL;
	}
}

/* Walk every message below `msg` through the protobuf descriptors, so
 * that no node kind that can hold a relation is forgotten. */
void pp_walk(const ProtobufCMessage *msg,
	     void (*fn)(const ProtobufCMessage *, void *), void *data)
{
	if (!msg)
		return;
	fn(msg, data);
	const ProtobufCMessageDescriptor *d = msg->descriptor;
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		if (f->type != PROTOBUF_C_TYPE_MESSAGE)
			continue;
		const char *base = (const char *)msg;
		if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
			uint32_t which =
			    *(const uint32_t *)(base + f->quantifier_offset);
			if (which != f->id)
				continue;
		}
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t n =
			    *(const size_t *)(base + f->quantifier_offset);
			ProtobufCMessage *const *arr = *(
			    ProtobufCMessage *const *const *)(base + f->offset);
			for (size_t k = 0; k < n; k++)
				pp_walk(arr[k], fn, data);
		} else {
			pp_walk(*(ProtobufCMessage *const *)(base + f->offset),
				fn, data);
		}
	}
}

typedef struct deps_state {
	pp_ctx *c;
	const pp_reads *r;
	const char **ctes;
	int nctes, cctes;
} deps_state;

static void collect_cte(const ProtobufCMessage *msg, void *data)
{
	deps_state *st = data;
	if (msg->descriptor != &pg_query__common_table_expr__descriptor)
		return;
	if (st->nctes == st->cctes) {
		st->cctes = st->cctes ? st->cctes * 2 : 4;
		const char **n =
		    realloc(st->ctes, sizeof(*n) * (size_t)st->cctes);
		if (!n)
			abort();
		st->ctes = n;
	}
	st->ctes[st->nctes++] =
	    ((const PgQuery__CommonTableExpr *)msg)->ctename;
}

static void collect_rel(const ProtobufCMessage *msg, void *data)
{
	deps_state *st = data;
	if (msg->descriptor != &pg_query__range_var__descriptor)
		return;
	const PgQuery__RangeVar *rv = (const PgQuery__RangeVar *)msg;
	bool qualified = rv->schemaname && *rv->schemaname;
	for (int i = 0; !qualified && i < st->nctes; i++)
		if (!strcmp(st->ctes[i], rv->relname))
			return;
	const char *schema = pp_rv_schema(rv);
	if (!qualified) {
		/* Qualify the name in the tree itself, so the deparsed
		 * query reads like pg_dump's (which runs with an empty
		 * search_path). An absent name is protobuf-c's shared
		 * default "", never freed; the copy lives in the tree's
		 * arena and goes with the tree. */
		PgQuery__RangeVar *w = (PgQuery__RangeVar *)rv;
		w->schemaname = arena_strdup(st->c->tree, "public");
	}
	const pp_reads *rd = st->r;
	for (int i = 0; i < *rd->ndeps; i++)
		if (!strcmp((*rd->deps)[i].schema, schema) &&
		    !strcmp((*rd->deps)[i].name, rv->relname))
			return;
	m_ref *r =
	    ARENA_PUSH(&st->c->m->arena, *rd->deps, *rd->ndeps, *rd->cdeps);
	r->schema = model_str(st->c->m, schema);
	r->name = model_str(st->c->m, rv->relname);
}

void pp_collect_deps(pp_ctx *c, pnode *query, const pp_reads *r)
{
	deps_state st = {c, r, NULL, 0, 0};
	pp_walk(&query->base, collect_cte, &st);
	pp_walk(&query->base, collect_rel, &st);
	free(st.ctes);
}

typedef struct colref_state {
	const char *first;
	int count;
	const char **seen;
	int nseen, cseen;
} colref_state;

static void collect_colref(const ProtobufCMessage *msg, void *data)
{
	colref_state *st = data;
	if (msg->descriptor != &pg_query__column_ref__descriptor)
		return;
	const PgQuery__ColumnRef *r = (const PgQuery__ColumnRef *)msg;
	const char *s =
	    r->n_fields ? pp_sval(r->fields[r->n_fields - 1]) : NULL;
	if (!s)
		return;
	for (int i = 0; i < st->nseen; i++)
		if (!strcmp(st->seen[i], s))
			return;
	if (st->nseen == st->cseen) {
		st->cseen = st->cseen ? st->cseen * 2 : 4;
		const char **n =
		    realloc(st->seen, sizeof(*n) * (size_t)st->cseen);
		if (!n)
			abort();
		st->seen = n;
	}
	st->seen[st->nseen++] = s;
	if (!st->first)
		st->first = s;
	st->count++;
}

void pp_column_refs(const pnode *n, const char **first, int *count)
{
	colref_state st = {NULL, 0, NULL, 0, 0};
	if (n)
		pp_walk(&n->base, collect_colref, &st);
	free(st.seen);
	*first = st.first;
	*count = st.count;
}

/* ---- column dependencies ---------------------------------------------- */

typedef struct strlist {
	const char **items;
	int n, cap;
} strlist;

static void strlist_add(strlist *l, const char *s)
{
	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->items[i], s))
			return;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		const char **n = realloc(l->items, sizeof(*n) * (size_t)l->cap);
		if (!n)
			abort();
		l->items = n;
	}
	l->items[l->n++] = s;
}

typedef struct names_state {
	strlist names;	/* every column name the query mentions */
	strlist bare;	/* one-part references: a column or a whole row */
	strlist dotted; /* the last part of x.col references */
	strlist rels;	/* relation names and aliases in FROM */
	bool star;	/* "*", "x.*" or NATURAL JOIN: every column */
} names_state;

static void names_release(names_state *st)
{
	free(st->names.items);
	free(st->bare.items);
	free(st->dotted.items);
	free(st->rels.items);
}

static void collect_names(const ProtobufCMessage *msg, void *data)
{
	names_state *st = data;
	if (msg->descriptor == &pg_query__column_ref__descriptor) {
		const PgQuery__ColumnRef *r = (const PgQuery__ColumnRef *)msg;
		if (!r->n_fields)
			return;
		const pnode *last = r->fields[r->n_fields - 1];
		if (last->node_case == NC(A_STAR)) {
			st->star = true;
			return;
		}
		const char *s = pp_sval(last);
		if (!s)
			return;
		strlist_add(&st->names, s);
		strlist_add(r->n_fields == 1 ? &st->bare : &st->dotted, s);
	} else if (msg->descriptor == &pg_query__range_var__descriptor) {
		const PgQuery__RangeVar *rv = (const PgQuery__RangeVar *)msg;
		strlist_add(&st->rels, rv->relname);
		if (rv->alias && PP_STR(rv->alias->aliasname))
			strlist_add(&st->rels, rv->alias->aliasname);
	} else if (msg->descriptor == &pg_query__join_expr__descriptor) {
		const PgQuery__JoinExpr *j = (const PgQuery__JoinExpr *)msg;
		if (j->is_natural)
			st->star = true;
		for (size_t i = 0; i < j->n_using_clause; i++)
			if (pp_sval(j->using_clause[i]))
				strlist_add(&st->names,
					    pp_sval(j->using_clause[i]));
	}
}

/*
 * The columns a view's query reads, without a server: every name the
 * query mentions, for every relation it reads (names are not resolved
 * to one relation, so this is a superset). A star, a NATURAL JOIN or a
 * whole-row reference (a bare relation name or alias) stands for every
 * column ("*"), as the server expands them at creation.
 */
void pp_collect_column_deps(pp_ctx *c, pnode *query, const pp_reads *rd)
{
	names_state st;
	memset(&st, 0, sizeof(st));
	pp_walk(&query->base, collect_names, &st);
	for (int i = 0; i < st.bare.n && !st.star; i++)
		for (int k = 0; k < st.rels.n && !st.star; k++)
			st.star = !strcmp(st.bare.items[i], st.rels.items[k]);
	for (int d = 0; d < *rd->ndeps; d++) {
		int n = st.star ? 1 : st.names.n;
		for (int i = 0; i < n; i++) {
			m_colref *r = ARENA_PUSH(&c->m->arena, *rd->cols,
						 *rd->ncols, *rd->ccols);
			r->schema = (*rd->deps)[d].schema;
			r->table = (*rd->deps)[d].name;
			r->column =
			    model_str(c->m, st.star ? "*" : st.names.items[i]);
		}
	}
	names_release(&st);
}

void pp_policy_column_deps(pp_ctx *c, pnode *expr, m_policy *p)
{
	if (!expr)
		return;
	/* The clause reads its table's columns and those of the relations
	 * its subqueries name: collected as for a view's query. */
	m_ref *deps = NULL;
	int ndeps = 0, cdeps = 0;
	m_ref *self = ARENA_PUSH(&c->m->arena, deps, ndeps, cdeps);
	self->schema = p->schema;
	self->name = p->table;
	pp_reads r = {&deps,	       &ndeps,		 &cdeps,
		      &p->column_deps, &p->ncolumn_deps, &p->ccolumn_deps};
	pp_collect_deps(c, expr, &r);
	pp_collect_column_deps(c, expr, &r);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void pp_trigger_columns(pp_ctx *c, const PgQuery__CreateTrigStmt *s,
			m_trigger *g)
{
	names_state st;
	memset(&st, 0, sizeof(st));
	if (s->when_clause)
		pp_walk(&s->when_clause->base, collect_names, &st);
	/* NEW.a names a; a bare NEW or NEW.* is the whole row, which pins
	 * no column on the server either. */
	for (int i = 0; i < st.dotted.n; i++)
		*ARENA_PUSH(&c->m->arena, g->columns, g->ncolumns,
			    g->ccolumns) = model_str(c->m, st.dotted.items[i]);
	for (size_t i = 0; i < s->n_columns; i++) {
		const char *col = pp_sval(s->columns[i]);
		bool seen = !col;
		for (int k = 0; k < g->ncolumns && !seen; k++)
			seen = !strcmp(g->columns[k], col);
		if (!seen)
			*ARENA_PUSH(&c->m->arena, g->columns, g->ncolumns,
				    g->ccolumns) = model_str(c->m, col);
	}
	if (g->ncolumns > 1)
		qsort(g->columns, (size_t)g->ncolumns, sizeof(char *), cmp_str);
	names_release(&st);
}

/* ---- enums an expression uses (m_typeuse) ----------------------------- */

typedef struct typeuse_state {
	pp_ctx *c;
	const m_table *table; /* whose column references count, or NULL */
	m_typeuse use;	      /* the object; the type is set per hit */
} typeuse_state;

static const m_enum *enum_named(pp_ctx *c, const char *schema, const char *name)
{
	for (int i = 0; i < c->m->nenums; i++)
		if (!strcmp(c->m->enums[i].schema, schema) &&
		    !strcmp(c->m->enums[i].name, name))
			return &c->m->enums[i];
	return NULL;
}

/* The enum a column's canonical type names ("public.mood" or
 * "public.mood[]"), or NULL. */
static const m_enum *column_enum(pp_ctx *c, const char *type)
{
	strbuf sb = STRBUF_INIT;
	const m_enum *hit = NULL;
	for (int i = 0; i < c->m->nenums && !hit; i++) {
		strbuf_reset(&sb);
		pp_visible_name(&sb, c->m->enums[i].schema,
				c->m->enums[i].name);
		size_t l = sb.len;
		if (!strncmp(type, strbuf_str(&sb), l) &&
		    (!type[l] || !strcmp(type + l, "[]")))
			hit = &c->m->enums[i];
	}
	strbuf_release(&sb);
	return hit;
}

static void add_use(typeuse_state *st, const m_enum *e)
{
	if (!e)
		return;
	model *m = st->c->m;
	m_typeuse *u =
	    ARENA_PUSH(&m->arena, m->type_uses, m->ntype_uses, m->ctype_uses);
	*u = st->use;
	u->type.schema = e->schema;
	u->type.name = e->name;
}

static void collect_typeuse(const ProtobufCMessage *msg, void *data)
{
	typeuse_state *st = data;
	if (msg->descriptor == &pg_query__type_name__descriptor) {
		/* A cast or a typed literal: an unqualified name is the
		 * file's own in public, as pp_type_name spells it. */
		const PgQuery__TypeName *tn = (const PgQuery__TypeName *)msg;
		const char *schema = tn->n_names >= 2
					 ? pp_sval(tn->names[tn->n_names - 2])
					 : "public";
		const char *name =
		    tn->n_names ? pp_sval(tn->names[tn->n_names - 1]) : NULL;
		if (schema && name)
			add_use(st, enum_named(st->c, schema, name));
	} else if (st->table &&
		   msg->descriptor == &pg_query__column_ref__descriptor) {
		/* A column of the enum: its constants take the type too. */
		const PgQuery__ColumnRef *r = (const PgQuery__ColumnRef *)msg;
		const char *s =
		    r->n_fields ? pp_sval(r->fields[r->n_fields - 1]) : NULL;
		const m_column *col =
		    s ? model_table_find_column(st->table, s) : NULL;
		if (col)
			add_use(st, column_enum(st->c, col->type));
	}
}

void pp_note_type_uses(pp_ctx *c, const pnode *expr, const m_table *columns_of,
		       char kind, const char *schema, const char *table,
		       const char *name)
{
	if (!expr || !c->m->nenums)
		return;
	typeuse_state st = {
	    c,
	    columns_of,
	    {kind, (char *)schema, (char *)table, (char *)name, {NULL, NULL}}};
	pp_walk(&expr->base, collect_typeuse, &st);
}
