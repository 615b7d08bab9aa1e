/*
 * Expressions as text.
 *
 * The live side spells expressions with the server's pg_get_expr(), which
 * puts every operator, boolean and null test in parentheses and labels
 * literals with their type ("(price > 0)", "'x'::text"). Without a server
 * we cannot know every type, but printing the common node kinds the same
 * way makes most defaults and checks match byte for byte, and makes
 * equivalent spellings in two files (a>0, (a > 0), ((a>0))) compare equal.
 * Everything else goes through libpg_query's deparser, which is already
 * deterministic.
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
	PgQuery__ResTarget *rt = saved_stmt->select_stmt->target_list[0]->res_target;
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

static void deparse_expr(strbuf *sb, const pnode *n)
{
	char *s = deparse_with(NULL, n);
	if (!s) {
		strbuf_adds(sb, "?");
		return;
	}
	strbuf_adds(sb, strncmp(s, "SELECT ", 7) ? s : s + 7);
	free(s);
}

typedef pp_env env_t;
static void expr(const env_t *env, strbuf *sb, const pnode *n);

static const char *op_name(pnode **names, size_t n)
{
	return n ? pp_sval(names[n - 1]) : NULL;
}

static void const_text(strbuf *sb, const PgQuery__AConst *k, const char *type)
{
	if (k->isnull) {
		strbuf_adds(sb, "NULL");
		return;
	}
	switch (k->val_case) {
	case PG_QUERY__A__CONST__VAL_IVAL:
		/* Negative constants are quoted so they re-read as one
		 * constant, as the server's get_const_expr does. */
		if (k->ival->ival < 0)
			strbuf_addf(sb, "'%d'::integer", k->ival->ival);
		else
			strbuf_addf(sb, "%d", k->ival->ival);
		return;
	case PG_QUERY__A__CONST__VAL_FVAL:
		if (k->fval->fval[0] == '-')
			strbuf_addf(sb, "'%s'::numeric", k->fval->fval);
		else
			strbuf_adds(sb, k->fval->fval);
		return;
	case PG_QUERY__A__CONST__VAL_BOOLVAL:
		strbuf_adds(sb, k->boolval->boolval ? "true" : "false");
		return;
	case PG_QUERY__A__CONST__VAL_SVAL:
		pg_quote_literal(sb, k->sval->sval);
		strbuf_addf(sb, "::%s", type ? type : "text");
		return;
	case PG_QUERY__A__CONST__VAL_BSVAL: {
		/* B'101' / X'1F' -> the server shows bit strings quoted. */
		const char *b = k->bsval->bsval;
		strbuf_addf(sb, "%s'%s'", b[0] == 'x' ? "X" : "B", b + 1);
		return;
	}
	default:
		strbuf_adds(sb, "NULL");
	}
}

static bool is_plain_call(const PgQuery__FuncCall *f)
{
	if (f->n_agg_order || f->agg_filter || f->over || f->agg_star ||
	    f->agg_distinct || f->func_variadic || f->agg_within_group ||
	    f->funcformat == PG_QUERY__COERCION_FORM__COERCE_SQL_SYNTAX)
		return false;
	for (size_t i = 0; i < f->n_args; i++)
		if (f->args[i]->node_case == NC(NAMED_ARG_EXPR))
			return false;
	return true;
}

/* nextval('public.s'::regclass) and nextval('s') both become
 * nextval('s'::regclass): a regclass constant prints unqualified when
 * the sequence is on the search_path. */
static bool nextval_call(strbuf *sb, const PgQuery__FuncCall *f)
{
	const char *fn = op_name(f->funcname, f->n_funcname);
	if (!fn || strcmp(fn, "nextval") || f->n_args != 1)
		return false;
	const pnode *a = f->args[0];
	if (a->node_case == NC(TYPE_CAST))
		a = a->type_cast->arg;
	if (!a || a->node_case != NC(A_CONST) ||
	    a->a_const->val_case != PG_QUERY__A__CONST__VAL_SVAL)
		return false;
	const char *seq = a->a_const->sval->sval;
	if (!strncmp(seq, "public.", 7))
		seq += 7;
	strbuf_adds(sb, "nextval(");
	pg_quote_literal(sb, seq);
	strbuf_adds(sb, "::regclass)");
	return true;
}

static void func_call(const env_t *env, strbuf *sb, const PgQuery__FuncCall *f, const pnode *n)
{
	if (!is_plain_call(f)) {
		deparse_expr(sb, n);
		return;
	}
	if (nextval_call(sb, f))
		return;
	const char *schema = NULL, *name = op_name(f->funcname, f->n_funcname);
	if (f->n_funcname >= 2)
		schema = pp_sval(f->funcname[f->n_funcname - 2]);
	pp_visible_name(sb, schema, name ? name : "?");
	strbuf_addch(sb, '(');
	for (size_t i = 0; i < f->n_args; i++) {
		if (i)
			strbuf_adds(sb, ", ");
		expr(env, sb, f->args[i]);
	}
	strbuf_addch(sb, ')');
}

static void list_items(const env_t *env, strbuf *sb, const pnode *l)
{
	if (l->node_case != NC(LIST)) {
		expr(env, sb, l);
		return;
	}
	for (size_t i = 0; i < l->list->n_items; i++) {
		if (i)
			strbuf_adds(sb, ", ");
		expr(env, sb, l->list->items[i]);
	}
}

static void a_expr(const env_t *env, strbuf *sb, const PgQuery__AExpr *a, const pnode *n)
{
	const char *op = op_name(a->name, a->n_name);
	switch (a->kind) {
	case PG_QUERY__A__EXPR__KIND__AEXPR_OP:
		strbuf_addch(sb, '(');
		if (a->lexpr) {
			expr(env, sb, a->lexpr);
			strbuf_addch(sb, ' ');
		}
		strbuf_addf(sb, "%s ", op ? op : "?");
		expr(env, sb, a->rexpr);
		strbuf_addch(sb, ')');
		return;
	case PG_QUERY__A__EXPR__KIND__AEXPR_IN:
		/* x IN (a, b) is stored as x = ANY (ARRAY[a, b]). */
		strbuf_addch(sb, '(');
		expr(env, sb, a->lexpr);
		strbuf_addf(sb, " %s %s (ARRAY[", op ? op : "=",
			    op && !strcmp(op, "<>") ? "ALL" : "ANY");
		list_items(env, sb, a->rexpr);
		strbuf_adds(sb, "]))");
		return;
	case PG_QUERY__A__EXPR__KIND__AEXPR_OP_ANY:
	case PG_QUERY__A__EXPR__KIND__AEXPR_OP_ALL:
		strbuf_addch(sb, '(');
		expr(env, sb, a->lexpr);
		strbuf_addf(sb, " %s %s (", op ? op : "=",
			    a->kind == PG_QUERY__A__EXPR__KIND__AEXPR_OP_ANY ? "ANY"
									       : "ALL");
		expr(env, sb, a->rexpr);
		strbuf_adds(sb, "))");
		return;
	case PG_QUERY__A__EXPR__KIND__AEXPR_LIKE:
	case PG_QUERY__A__EXPR__KIND__AEXPR_ILIKE:
		strbuf_addch(sb, '(');
		expr(env, sb, a->lexpr);
		strbuf_addf(sb, " %s ", op ? op : "~~");
		expr(env, sb, a->rexpr);
		strbuf_addch(sb, ')');
		return;
	case PG_QUERY__A__EXPR__KIND__AEXPR_DISTINCT:
	case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_DISTINCT: {
		bool neg = a->kind == PG_QUERY__A__EXPR__KIND__AEXPR_NOT_DISTINCT;
		strbuf_adds(sb, neg ? "(NOT (" : "(");
		expr(env, sb, a->lexpr);
		strbuf_adds(sb, " IS DISTINCT FROM ");
		expr(env, sb, a->rexpr);
		strbuf_adds(sb, neg ? "))" : ")");
		return;
	}
	case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN:
	case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN:
		/* The server expands BETWEEN into two comparisons. */
		if (a->rexpr && a->rexpr->node_case == NC(LIST) &&
		    a->rexpr->list->n_items == 2) {
			bool neg = a->kind ==
				   PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN;
			strbuf_adds(sb, "((");
			expr(env, sb, a->lexpr);
			strbuf_adds(sb, neg ? " < " : " >= ");
			expr(env, sb, a->rexpr->list->items[0]);
			strbuf_adds(sb, neg ? ") OR (" : ") AND (");
			expr(env, sb, a->lexpr);
			strbuf_adds(sb, neg ? " > " : " <= ");
			expr(env, sb, a->rexpr->list->items[1]);
			strbuf_adds(sb, "))");
			return;
		}
		break;
	case PG_QUERY__A__EXPR__KIND__AEXPR_NULLIF:
		strbuf_adds(sb, "NULLIF(");
		expr(env, sb, a->lexpr);
		strbuf_adds(sb, ", ");
		expr(env, sb, a->rexpr);
		strbuf_addch(sb, ')');
		return;
	default:
		break;
	}
	deparse_expr(sb, n);
}

static void type_cast(const env_t *env, strbuf *sb, const PgQuery__TypeCast *tc)
{
	strbuf type = STRBUF_INIT;
	pp_type_name(&type, tc->type_name, NULL);
	const pnode *a = tc->arg;
	if (a && a->node_case == NC(A_CONST) && !a->a_const->isnull) {
		const PgQuery__AConst *k = a->a_const;
		/* A typed literal is one constant: 'x'::t, '5'::bigint. */
		if (k->val_case == PG_QUERY__A__CONST__VAL_SVAL) {
			const_text(sb, k, strbuf_str(&type));
		} else if (k->val_case == PG_QUERY__A__CONST__VAL_IVAL &&
			   !strcmp(strbuf_str(&type), "integer")) {
			const_text(sb, k, NULL);
		} else {
			strbuf sub = STRBUF_INIT;
			const_text(&sub, k, NULL);
			const char *s = strbuf_str(&sub);
			/* '-1'::integer::bigint -> '-1'::bigint */
			const char *q = strstr(s, "'::");
			if (s[0] == '\'' && q)
				strbuf_add(sb, s, (size_t)(q - s) + 1);
			else
				strbuf_addf(sb, "'%s'", s);
			strbuf_addf(sb, "::%s", strbuf_str(&type));
			strbuf_release(&sub);
		}
	} else {
		strbuf_addch(sb, '(');
		expr(env, sb, a);
		strbuf_addf(sb, ")::%s", strbuf_str(&type));
	}
	strbuf_release(&type);
}

static void expr(const env_t *env, strbuf *sb, const pnode *n)
{
	if (!n) {
		strbuf_adds(sb, "NULL");
		return;
	}
	switch (n->node_case) {
	case NC(A_CONST):
		const_text(sb, n->a_const, NULL);
		return;
	case NC(COLUMN_REF):
		for (size_t i = 0; i < n->column_ref->n_fields; i++) {
			const pnode *f = n->column_ref->fields[i];
			if (i)
				strbuf_addch(sb, '.');
			if (f->node_case == NC(A_STAR))
				strbuf_addch(sb, '*');
			else
				pg_quote_ident(sb, pp_sval(f));
		}
		return;
	case NC(A_EXPR):
		a_expr(env, sb, n->a_expr, n);
		return;
	case NC(BOOL_EXPR): {
		const PgQuery__BoolExpr *b = n->bool_expr;
		if (b->boolop == PG_QUERY__BOOL_EXPR_TYPE__NOT_EXPR) {
			strbuf_adds(sb, "(NOT ");
			expr(env, sb, b->n_args ? b->args[0] : NULL);
			strbuf_addch(sb, ')');
			return;
		}
		strbuf_addch(sb, '(');
		for (size_t i = 0; i < b->n_args; i++) {
			if (i)
				strbuf_adds(sb, b->boolop ==
							PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR
						? " AND "
						: " OR ");
			expr(env, sb, b->args[i]);
		}
		strbuf_addch(sb, ')');
		return;
	}
	case NC(NULL_TEST):
		strbuf_addch(sb, '(');
		expr(env, sb, n->null_test->arg);
		strbuf_adds(sb, n->null_test->nulltesttype ==
						PG_QUERY__NULL_TEST_TYPE__IS_NULL
					? " IS NULL)"
					: " IS NOT NULL)");
		return;
	case NC(BOOLEAN_TEST): {
		static const char *const t[] = {"",	    " IS TRUE",
						" IS NOT TRUE", " IS FALSE",
						" IS NOT FALSE", " IS UNKNOWN",
						" IS NOT UNKNOWN"};
		int k = n->boolean_test->booltesttype;
		strbuf_addch(sb, '(');
		expr(env, sb, n->boolean_test->arg);
		strbuf_addf(sb, "%s)", k >= 1 && k <= 6 ? t[k] : "");
		return;
	}
	case NC(TYPE_CAST):
		type_cast(env, sb, n->type_cast);
		return;
	case NC(FUNC_CALL):
		func_call(env, sb, n->func_call, n);
		return;
	case NC(COALESCE_EXPR):
		strbuf_adds(sb, "COALESCE(");
		for (size_t i = 0; i < n->coalesce_expr->n_args; i++) {
			if (i)
				strbuf_adds(sb, ", ");
			expr(env, sb, n->coalesce_expr->args[i]);
		}
		strbuf_addch(sb, ')');
		return;
	case NC(A_ARRAY_EXPR):
		strbuf_adds(sb, "ARRAY[");
		for (size_t i = 0; i < n->a_array_expr->n_elements; i++) {
			if (i)
				strbuf_adds(sb, ", ");
			expr(env, sb, n->a_array_expr->elements[i]);
		}
		strbuf_addch(sb, ']');
		return;
	case NC(LIST):
		list_items(env, sb, n);
		return;
	default:
		deparse_expr(sb, n);
	}
}

void pp_expr_sb(strbuf *sb, const pnode *n)
{
	expr(env, sb, n);
}

void pp_expr_paren(strbuf *sb, const pnode *n)
{
	size_t start = sb->len;
	expr(env, sb, n);
	const char *s = sb->buf ? sb->buf + start : "";
	/* Already enclosed as a whole? "(a) OR (b)" is not. */
	bool whole = s[0] == '(';
	int depth = 0;
	for (size_t i = 0; whole && s[i]; i++) {
		if (s[i] == '\'') {
			for (i++; s[i] && s[i] != '\''; i++)
				;
			if (!s[i])
				break;
			continue;
		}
		if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && --depth == 0 && s[i + 1])
			whole = false;
	}
	if (!whole) {
		strbuf tmp = STRBUF_INIT;
		strbuf_addf(&tmp, "(%s)", s);
		strbuf_setlen(sb, start);
		strbuf_adds(sb, strbuf_str(&tmp));
		strbuf_release(&tmp);
	}
}

char *pp_expr(pp_ctx *c, const pnode *n, const char *cast_to)
{
	strbuf sb = STRBUF_INIT;
	if (cast_to && n->node_case == NC(A_CONST) &&
	    n->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL) {
		/* DEFAULT 'x' takes the column's type without its modifier:
		 * 'x'::character varying. */
		strbuf type = STRBUF_INIT;
		for (const char *p = cast_to; *p; p++) {
			if (*p == '(') {
				while (*p && *p != ')')
					p++;
				if (!*p)
					break;
				continue;
			}
			strbuf_addch(&type, *p);
		}
		const_text(&sb, n->a_const, strbuf_str(&type));
		strbuf_release(&type);
	} else {
		expr(env, &sb, n);
	}
	char *r = model_str(c->m, strbuf_str(&sb));
	strbuf_release(&sb);
	return r;
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
	case NC(FUNC_CALL):
		return op_name(n->func_call->funcname, n->func_call->n_funcname);
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
static void walk(const ProtobufCMessage *msg,
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
			uint32_t which = *(const uint32_t *)(base + f->quantifier_offset);
			if (which != f->id)
				continue;
		}
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t n = *(const size_t *)(base + f->quantifier_offset);
			ProtobufCMessage *const *arr =
				*(ProtobufCMessage *const *const *)(base + f->offset);
			for (size_t k = 0; k < n; k++)
				walk(arr[k], fn, data);
		} else {
			walk(*(ProtobufCMessage *const *)(base + f->offset), fn,
			     data);
		}
	}
}

typedef struct deps_state {
	pp_ctx *c;
	m_view *v;
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
		const char **n = realloc(st->ctes, sizeof(*n) * (size_t)st->cctes);
		if (!n)
			abort();
		st->ctes = n;
	}
	st->ctes[st->nctes++] = ((const PgQuery__CommonTableExpr *)msg)->ctename;
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
	for (int i = 0; i < st->v->ndeps; i++)
		if (!strcmp(st->v->deps[i].schema, schema) &&
		    !strcmp(st->v->deps[i].name, rv->relname))
			return;
	m_ref *r = ARENA_PUSH(&st->c->m->arena, st->v->deps, st->v->ndeps,
			      st->v->cdeps);
	r->schema = model_str(st->c->m, schema);
	r->name = model_str(st->c->m, rv->relname);
}

void pp_collect_deps(pp_ctx *c, const pnode *query, m_view *v)
{
	deps_state st = {c, v, NULL, 0, 0};
	walk(&query->base, collect_cte, &st);
	walk(&query->base, collect_rel, &st);
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
	const char *s = r->n_fields ? pp_sval(r->fields[r->n_fields - 1]) : NULL;
	if (!s)
		return;
	for (int i = 0; i < st->nseen; i++)
		if (!strcmp(st->seen[i], s))
			return;
	if (st->nseen == st->cseen) {
		st->cseen = st->cseen ? st->cseen * 2 : 4;
		const char **n = realloc(st->seen, sizeof(*n) * (size_t)st->cseen);
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
		walk(&n->base, collect_colref, &st);
	free(st.seen);
	*first = st.first;
	*count = st.count;
}
