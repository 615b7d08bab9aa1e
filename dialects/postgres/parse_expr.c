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
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>

#include "../../util/xalloc.h"
#include "parse_internal.h"
#include "pg.h"

typedef pp_env env_t;
static void expr(const env_t *env, strbuf *sb, const pnode *n);

/* expr() with the memo of pp_type_of() set up for this expression. */
static void expr_top(const env_t *env, strbuf *sb, const pnode *n)
{
	bool outer = pp_type_memo_open();
	expr(env, sb, n);
	if (outer)
		pp_type_memo_close();
}

static const char *op_name(pnode **names, size_t n)
{
	return n ? pp_sval(names[n - 1]) : NULL;
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

/* Print `n` converted to `target` the way ruleutils shows the implicit
 * cast: literals take the type ('x'::text), integers are wrapped
 * ((0)::numeric), anything else is wrapped and labelled ((a)::text). */
static void emit_as(const env_t *env, strbuf *sb, const pnode *n,
		    const char *target)
{
	if (!target) {
		expr(env, sb, n);
		return;
	}
	if (n->node_case == NC(A_CONST) && !n->a_const->isnull) {
		const PgQuery__AConst *k = n->a_const;
		if (k->val_case == PG_QUERY__A__CONST__VAL_SVAL) {
			pp_const_text(sb, k, target);
			return;
		}
		if (k->val_case == PG_QUERY__A__CONST__VAL_FVAL &&
		    !strcmp(target, "numeric")) {
			pp_const_text(sb, k, NULL);
			return;
		}
	}
	strbuf_addch(sb, '(');
	expr(env, sb, n);
	strbuf_addf(sb, ")::%s", target);
}

static void binary(const env_t *env, strbuf *sb, const pnode *l, const char *op,
		   const pnode *r)
{
	char a[128] = "", b[128] = "";
	const char *tl = NULL, *tr = NULL;
	if (pp_type_of(env, l, a, sizeof(a)) &&
	    pp_type_of(env, r, b, sizeof(b))) {
		const char *jt = pp_json_rhs_type(op, a);
		if (jt)
			tr = strcmp(b, "unknown") ? NULL : jt;
		else
			pp_binary_targets(a, b, &tl, &tr);
	}
	strbuf_addch(sb, '(');
	emit_as(env, sb, l, tl);
	strbuf_addf(sb, " %s ", op);
	emit_as(env, sb, r, tr);
	strbuf_addch(sb, ')');
}

static void func_call(const env_t *env, strbuf *sb, const PgQuery__FuncCall *f,
		      const pnode *n)
{
	if (!is_plain_call(f)) {
		pp_deparse_expr(sb, n);
		return;
	}
	if (pp_nextval_call(sb, f))
		return;
	const char *schema = NULL, *name = op_name(f->funcname, f->n_funcname);
	if (f->n_funcname >= 2)
		schema = pp_sval(f->funcname[f->n_funcname - 2]);
	pp_visible_name(sb, schema, name ? name : "?");
	strbuf_addch(sb, '(');
	bool textual = pp_textual_function(name);
	for (size_t i = 0; i < f->n_args; i++) {
		char t[128];
		if (i)
			strbuf_adds(sb, ", ");
		/* lower(varchar_col) runs on text: lower((col)::text). */
		bool vc = textual &&
			  pp_type_of(env, f->args[i], t, sizeof(t)) &&
			  !strcmp(t, "character varying");
		emit_as(env, sb, f->args[i], vc ? "text" : NULL);
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

/* x IN (a, b) is stored as x = ANY (ARRAY[a, b]); a varchar column
 * compares as text against an array of varchar literals. */
static void in_list_expr(const env_t *env, strbuf *sb, const PgQuery__AExpr *a,
			 const char *op)
{
	char lt[128] = "", et[128];
	bool known = pp_type_of(env, a->lexpr, lt, sizeof(lt));
	const PgQuery__List *l =
	    a->rexpr && a->rexpr->node_case == NC(LIST) ? a->rexpr->list : NULL;
	bool varchar = known && !strcmp(lt, "character varying");
	strbuf_addch(sb, '(');
	emit_as(env, sb, a->lexpr, varchar ? "text" : NULL);
	strbuf_addf(sb, " %s %s (%sARRAY[", op ? op : "=",
		    op && !strcmp(op, "<>") ? "ALL" : "ANY",
		    varchar ? "(" : "");
	for (size_t i = 0; l && i < l->n_items; i++) {
		const char *tl = NULL, *tr = NULL;
		if (i)
			strbuf_adds(sb, ", ");
		if (varchar) {
			tr = "character varying";
		} else if (known &&
			   pp_type_of(env, l->items[i], et, sizeof(et))) {
			pp_binary_targets(lt, et, &tl, &tr);
		}
		emit_as(env, sb, l->items[i], tr);
	}
	if (!l)
		expr(env, sb, a->rexpr);
	strbuf_adds(sb, varchar ? "])::text[]))" : "]))");
}

static void a_expr(const env_t *env, strbuf *sb, const PgQuery__AExpr *a,
		   const pnode *n)
{
	const char *op = op_name(a->name, a->n_name);
	switch (a->kind) {
	case PG_QUERY__A__EXPR__KIND__AEXPR_OP:
		if (a->lexpr) {
			binary(env, sb, a->lexpr, op ? op : "?", a->rexpr);
			return;
		}
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
		in_list_expr(env, sb, a, op);
		return;
	case PG_QUERY__A__EXPR__KIND__AEXPR_OP_ANY:
	case PG_QUERY__A__EXPR__KIND__AEXPR_OP_ALL:
		strbuf_addch(sb, '(');
		expr(env, sb, a->lexpr);
		strbuf_addf(sb, " %s %s (", op ? op : "=",
			    a->kind == PG_QUERY__A__EXPR__KIND__AEXPR_OP_ANY
				? "ANY"
				: "ALL");
		expr(env, sb, a->rexpr);
		strbuf_adds(sb, "))");
		return;
	case PG_QUERY__A__EXPR__KIND__AEXPR_LIKE:
	case PG_QUERY__A__EXPR__KIND__AEXPR_ILIKE:
		binary(env, sb, a->lexpr, op ? op : "~~", a->rexpr);
		return;
	case PG_QUERY__A__EXPR__KIND__AEXPR_DISTINCT:
	case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_DISTINCT: {
		bool neg =
		    a->kind == PG_QUERY__A__EXPR__KIND__AEXPR_NOT_DISTINCT;
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
	pp_deparse_expr(sb, n);
}

/* ARRAY[...]::t[]: the server casts each element to t instead of the
 * array (transformTypeCast hands the type down to transformArrayExpr),
 * and prints ARRAY[('a'::character varying)::text, 'b'::text]. */
static bool array_cast(const env_t *env, strbuf *sb, const pnode *a,
		       const char *type)
{
	size_t n = strlen(type);
	if (!a || a->node_case != NC(A_ARRAY_EXPR) || n < 3 ||
	    strcmp(type + n - 2, "[]") || strchr(type, '[') != type + n - 2)
		return false;
	char elem[128], bare[128];
	if (n - 2 >= sizeof(elem))
		return false;
	memcpy(elem, type, n - 2);
	elem[n - 2] = 0;
	pp_strip_typmod(bare, sizeof(bare), elem);
	const PgQuery__AArrayExpr *arr = a->a_array_expr;
	strbuf_adds(sb, "ARRAY[");
	for (size_t i = 0; i < arr->n_elements; i++) {
		char t[128];
		if (i)
			strbuf_adds(sb, ", ");
		bool same = pp_type_of(env, arr->elements[i], t, sizeof(t)) &&
			    !strcmp(t, bare);
		emit_as(env, sb, arr->elements[i], same ? NULL : elem);
	}
	strbuf_addch(sb, ']');
	return true;
}

static void type_cast(const env_t *env, strbuf *sb, const PgQuery__TypeCast *tc)
{
	strbuf type = STRBUF_INIT;
	pp_type_name(&type, tc->type_name, NULL);
	const pnode *a = tc->arg;
	if (array_cast(env, sb, a, strbuf_str(&type))) {
		/* printed element by element */
	} else if (a && a->node_case == NC(A_CONST) && !a->a_const->isnull) {
		const PgQuery__AConst *k = a->a_const;
		/* A typed literal is one constant: 'x'::t, '5'::bigint. */
		if (k->val_case == PG_QUERY__A__CONST__VAL_SVAL) {
			pp_const_text(sb, k, strbuf_str(&type));
		} else if ((k->val_case == PG_QUERY__A__CONST__VAL_IVAL &&
			    !strcmp(strbuf_str(&type), "integer")) ||
			   (k->val_case == PG_QUERY__A__CONST__VAL_FVAL &&
			    !strcmp(strbuf_str(&type), "numeric"))) {
			pp_const_text(sb, k, NULL);
		} else {
			/* An integer cast to another type is a conversion
			 * the server shows as (0)::numeric. */
			strbuf_addch(sb, '(');
			pp_const_text(sb, k, NULL);
			strbuf_addf(sb, ")::%s", strbuf_str(&type));
		}
	} else {
		strbuf_addch(sb, '(');
		expr(env, sb, a);
		strbuf_addf(sb, ")::%s", strbuf_str(&type));
	}
	strbuf_release(&type);
}

/* "a, b, c": the arguments of COALESCE, the elements of ARRAY[...]. */
static void expr_list(const env_t *env, strbuf *sb, pnode **items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_adds(sb, ", ");
		expr(env, sb, items[i]);
	}
}

/* A column reference; "value" alone is VALUE inside a domain check. */
static void column_ref(const env_t *env, strbuf *sb,
		       const PgQuery__ColumnRef *r)
{
	for (size_t i = 0; i < r->n_fields; i++) {
		const pnode *f = r->fields[i];
		if (i)
			strbuf_addch(sb, '.');
		if (f->node_case == NC(A_STAR))
			strbuf_addch(sb, '*');
		else if (env && env->value_type && r->n_fields == 1 &&
			 !strcmp(pp_sval(f), "value"))
			strbuf_adds(sb, "VALUE"); /* domain checks */
		else
			pg_quote_ident(sb, pp_sval(f));
	}
}

static void bool_expr(const env_t *env, strbuf *sb, const PgQuery__BoolExpr *b)
{
	if (b->boolop == PG_QUERY__BOOL_EXPR_TYPE__NOT_EXPR) {
		strbuf_adds(sb, "(NOT ");
		expr(env, sb, b->n_args ? b->args[0] : NULL);
		strbuf_addch(sb, ')');
		return;
	}
	strbuf_addch(sb, '(');
	for (size_t i = 0; i < b->n_args; i++) {
		if (i)
			strbuf_adds(
			    sb, b->boolop == PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR
				    ? " AND "
				    : " OR ");
		expr(env, sb, b->args[i]);
	}
	strbuf_addch(sb, ')');
}

static void boolean_test(const env_t *env, strbuf *sb,
			 const PgQuery__BooleanTest *bt)
{
	static const char *const t[] = {"",
					" IS TRUE",
					" IS NOT TRUE",
					" IS FALSE",
					" IS NOT FALSE",
					" IS UNKNOWN",
					" IS NOT UNKNOWN"};
	int k = bt->booltesttype;
	strbuf_addch(sb, '(');
	expr(env, sb, bt->arg);
	strbuf_addf(sb, "%s)", k >= 1 && k <= 6 ? t[k] : "");
}

/* CURRENT_DATE, CURRENT_TIMESTAMP(3), CURRENT_USER, ... as the server
 * prints them; anything else through the deparser. */
static void sqlvalue_function(strbuf *sb, const pnode *n)
{
	static const char *const names[] = {"",
					    "CURRENT_DATE",
					    "CURRENT_TIME",
					    "CURRENT_TIME",
					    "CURRENT_TIMESTAMP",
					    "CURRENT_TIMESTAMP",
					    "LOCALTIME",
					    "LOCALTIME",
					    "LOCALTIMESTAMP",
					    "LOCALTIMESTAMP",
					    "CURRENT_ROLE",
					    "CURRENT_USER",
					    "USER",
					    "SESSION_USER",
					    "CURRENT_CATALOG",
					    "CURRENT_SCHEMA"};
	int op = n->sqlvalue_function->op;
	if (op >= 1 && op < (int)(sizeof(names) / sizeof(*names))) {
		strbuf_adds(sb, names[op]);
		if (n->sqlvalue_function->typmod >= 0 &&
		    (op == 3 || op == 5 || op == 7 || op == 9))
			strbuf_addf(sb, "(%d)", n->sqlvalue_function->typmod);
		return;
	}
	pp_deparse_expr(sb, n);
}

static void expr(const env_t *env, strbuf *sb, const pnode *n)
{
	if (!n) {
		strbuf_adds(sb, "NULL");
		return;
	}
	switch (n->node_case) {
	case NC(A_CONST):
		pp_const_text(sb, n->a_const, NULL);
		return;
	case NC(COLUMN_REF):
		column_ref(env, sb, n->column_ref);
		return;
	case NC(A_EXPR):
		a_expr(env, sb, n->a_expr, n);
		return;
	case NC(BOOL_EXPR):
		bool_expr(env, sb, n->bool_expr);
		return;
	case NC(NULL_TEST):
		strbuf_addch(sb, '(');
		expr(env, sb, n->null_test->arg);
		strbuf_adds(sb, n->null_test->nulltesttype ==
					PG_QUERY__NULL_TEST_TYPE__IS_NULL
				    ? " IS NULL)"
				    : " IS NOT NULL)");
		return;
	case NC(BOOLEAN_TEST):
		boolean_test(env, sb, n->boolean_test);
		return;
	case NC(TYPE_CAST):
		type_cast(env, sb, n->type_cast);
		return;
	case NC(FUNC_CALL):
		func_call(env, sb, n->func_call, n);
		return;
	case NC(COALESCE_EXPR):
		strbuf_adds(sb, "COALESCE(");
		expr_list(env, sb, n->coalesce_expr->args,
			  n->coalesce_expr->n_args);
		strbuf_addch(sb, ')');
		return;
	case NC(A_ARRAY_EXPR):
		strbuf_adds(sb, "ARRAY[");
		expr_list(env, sb, n->a_array_expr->elements,
			  n->a_array_expr->n_elements);
		strbuf_addch(sb, ']');
		return;
	case NC(LIST):
		list_items(env, sb, n);
		return;
	case NC(SQLVALUE_FUNCTION):
		sqlvalue_function(sb, n);
		return;
	default:
		pp_deparse_expr(sb, n);
	}
}

void pp_expr_sb(strbuf *sb, const pnode *n)
{
	expr_top(NULL, sb, n);
}

void pp_expr_env(strbuf *sb, const pnode *n, const pp_env *env)
{
	expr_top(env, sb, n);
}

char *pp_expr(pp_ctx *c, const pnode *n, const char *cast_to, const pp_env *env)
{
	strbuf sb = STRBUF_INIT;
	if (cast_to && n->node_case == NC(A_CONST) &&
	    n->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL) {
		/* DEFAULT 'x' takes the column's type without its modifier:
		 * 'x'::character varying. */
		size_t cap = strlen(cast_to) + 1;
		char *type = xmalloc(cap);
		pp_strip_typmod(type, cap, cast_to);
		/* character without its length prints as bpchar. */
		pp_const_text(&sb, n->a_const,
			      strcmp(type, "character") ? type : "bpchar");
		free(type);
	} else {
		expr_top(env, &sb, n);
	}
	char *r = model_str(c->m, strbuf_str(&sb));
	strbuf_release(&sb);
	return r;
}

void pp_key_element(strbuf *sb, const char *column, const pnode *e,
		    const pp_env *env)
{
	if (PP_STR(column)) {
		pg_quote_ident(sb, column);
	} else if (e && e->node_case == NC(FUNC_CALL)) {
		/* The server leaves a bare function call unparenthesised,
		 * anything else gets (...). */
		pp_expr_env(sb, e, env);
	} else {
		strbuf_addch(sb, '(');
		pp_expr_env(sb, e, env);
		strbuf_addch(sb, ')');
	}
}
