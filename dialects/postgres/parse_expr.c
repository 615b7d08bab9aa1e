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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>

#include "parse_internal.h"
#include "util/xalloc.h"
#include "pg.h"

typedef pp_env env_t;
static void expr(const env_t *env, strbuf *sb, const pnode *n);

static const char *op_name(pnode **names, size_t n)
{
	return n ? pp_sval(names[n - 1]) : NULL;
}

/* A string literal the server turns into a constant of a type it prints
 * bare: '5' as integer is 5, '1.5' as numeric is 1.5, 't' as boolean is
 * true (get_const_expr). */
static bool typed_literal(strbuf *sb, const char *v, const char *type)
{
	if (!type || !*v)
		return false;
	if (!strcmp(type, "boolean")) {
		static const char *const yes[] = {"t",	"true", "y", "yes",
						  "on", "1",	NULL};
		static const char *const no[] = {"f",	"false", "n", "no",
						 "off", "0",	 NULL};
		for (int i = 0; yes[i]; i++)
			if (!strcasecmp(v, yes[i])) {
				strbuf_adds(sb, "true");
				return true;
			}
		for (int i = 0; no[i]; i++)
			if (!strcasecmp(v, no[i])) {
				strbuf_adds(sb, "false");
				return true;
			}
		return false;
	}
	bool digits = true, dot = false;
	for (const char *p = v + (*v == '-'); *p; p++) {
		if (*p == '.' && !dot)
			dot = true;
		else if (*p < '0' || *p > '9')
			digits = false;
	}
	if (!digits || (*v == '-' && !v[1]))
		return false;
	if (!strcmp(type, "integer") && !dot && strlen(v) < 10) {
		if (*v == '-')
			strbuf_addf(sb, "'%s'::integer", v);
		else
			strbuf_adds(sb, v);
		return true;
	}
	if (!strcmp(type, "numeric") && dot && *v != '-' && *v != '.') {
		strbuf_adds(sb, v);
		return true;
	}
	return false;
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
	case PG_QUERY__A__CONST__VAL_SVAL: {
		const char *v = k->sval->sval;
		if (typed_literal(sb, v, type))
			return;
		/* The server stores a timestamp and prints it back in
		 * full: '2024-01-01 00:00:00'. */
		strbuf ts = STRBUF_INIT;
		bool stamp =
		    type && !strncmp(type, "timestamp with", 14) &&
		    pp_timestamp_literal(
			&ts, v, !strcmp(type, "timestamp with time zone"));
		pg_quote_literal_std(sb, stamp ? strbuf_str(&ts) : v);
		strbuf_release(&ts);
		strbuf_addf(sb, "::%s", type ? type : "text");
		return;
	}
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

/* nextval('s') and nextval('public.s'::regclass) both become
 * nextval('public.s'::regclass): a regclass constant prints qualified
 * under an empty search_path. */
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
	/* Qualified already? Look for a dot outside double quotes. */
	bool quoted = false, dot = false;
	for (const char *p = seq; *p && !dot; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (*p == '.' && !quoted)
			dot = true;
	}
	strbuf name = STRBUF_INIT;
	if (!dot)
		strbuf_adds(&name, "public.");
	strbuf_adds(&name, seq);
	strbuf_adds(sb, "nextval(");
	pg_quote_literal_std(sb, strbuf_str(&name));
	strbuf_adds(sb, "::regclass)");
	strbuf_release(&name);
	return true;
}

/* Light type inference, so that the casts the server would insert show
 * up in the same places: "(price > (0)::numeric)", "(email)::text". Only
 * column types, literals and a few well-known functions are known; an
 * unknown type means "print as written". */
static void strip_typmod(char *dst, size_t cap, const char *type)
{
	size_t k = 0;
	for (const char *p = type; *p && k + 1 < cap; p++) {
		if (*p == '(') {
			while (*p && *p != ')')
				p++;
			if (!*p)
				break;
			continue;
		}
		dst[k++] = *p;
	}
	dst[k] = 0;
}

static bool in_list(const char *s, const char *const *list)
{
	for (; s && *list; list++)
		if (!strcmp(s, *list))
			return true;
	return false;
}

static const char *const text_funcs[] = {
    "lower",   "upper",	  "btrim",	"ltrim",	  "rtrim",
    "substr",  "replace", "md5",	"left",		  "right",
    "initcap", "reverse", "split_part", "regexp_replace", NULL};
static const char *const int_funcs[] = {"length", "char_length", "octet_length",
					"strpos", NULL};
static const char *const cmp_ops[] = {
    "=",   "<>",   "<", ">",  "<=", ">=",  "~~", "!~~",
    "~~*", "!~~*", "~", "!~", "~*", "!~*", NULL};

static int num_rank(const char *t)
{
	static const char *const r[] = {
	    "smallint", "integer",	    "bigint", "numeric",
	    "real",	"double precision", NULL};
	for (int i = 0; t && r[i]; i++)
		if (!strcmp(t, r[i]))
			return i + 1;
	return 0;
}

static bool type_of(const env_t *env, const pnode *n, char *buf, size_t cap);

static bool column_type(const env_t *env, const PgQuery__ColumnRef *r,
			char *buf, size_t cap)
{
	const char *name =
	    r->n_fields ? pp_sval(r->fields[r->n_fields - 1]) : NULL;
	if (!env || !name)
		return false;
	if (env->value_type && r->n_fields == 1 && !strcmp(name, "value")) {
		strip_typmod(buf, cap, env->value_type);
		return true;
	}
	const m_column *col =
	    env->table ? model_table_find_column(env->table, name) : NULL;
	if (!col || !col->type)
		return false;
	strip_typmod(buf, cap, col->type);
	return true;
}

/* The type both sides of a numeric operator meet in, or NULL. */
static const char *numeric_target(const char *lt, const char *rt)
{
	int a = num_rank(lt), b = num_rank(rt);
	if (!a || !b || a == b || (a <= 3 && b <= 3))
		return NULL;
	int hi = a > b ? a : b;
	return hi == 4 ? "numeric" : "double precision";
}

/* Which side of `l op r` gets cast to what (NULL: none). */
static void binary_targets(const char *lt, const char *rt, const char **tl,
			   const char **tr)
{
	*tl = *tr = NULL;
	if (!*lt || !*rt)
		return;
	const char *num = numeric_target(lt, rt);
	if (num) {
		*tl = strcmp(lt, num) ? num : NULL;
		*tr = strcmp(rt, num) ? num : NULL;
		return;
	}
	bool lu = !strcmp(lt, "unknown"), ru = !strcmp(rt, "unknown");
	bool lv = !strcmp(lt, "character varying"),
	     rv = !strcmp(rt, "character varying");
	if (lu && ru) {
		*tl = *tr = "text";
	} else if (lu || ru) {
		const char *other = lu ? rt : lt;
		const char *t = !strcmp(other, "character varying") ? "text"
				: !strcmp(other, "character")	    ? "bpchar"
								    : other;
		*tl = lu ? t : (lv ? "text" : NULL);
		*tr = ru ? t : (rv ? "text" : NULL);
	} else if ((lv || rv) &&
		   (lv || !strcmp(lt, "text") || !strcmp(lt, "name")) &&
		   (rv || !strcmp(rt, "text") || !strcmp(rt, "name"))) {
		*tl = lv ? "text" : NULL;
		*tr = rv ? "text" : NULL;
	}
}

/*
 * The json/jsonb operators take a key or path on the right, not a value
 * of the left side's type: an untyped literal there resolves to text
 * ("->>", "->", "?"), text[] ("#>", "#>>", "?|", "?&") or, for
 * containment, to the left type. NULL for any other operator.
 */
static const char *json_rhs_type(const char *op, const char *lt)
{
	if (!op || (strcmp(lt, "jsonb") && strcmp(lt, "json")))
		return NULL;
	if (!strcmp(op, "->>") || !strcmp(op, "->") || !strcmp(op, "?"))
		return "text";
	if (!strcmp(op, "#>") || !strcmp(op, "#>>") || !strcmp(op, "?|") ||
	    !strcmp(op, "?&"))
		return "text[]";
	if (!strcmp(op, "@>") || !strcmp(op, "<@"))
		return lt;
	return NULL;
}

/*
 * type_of() looks down the left operand at every level of an operator
 * chain, so `1+1+...+1` would cost the square of its length (a 4,400-term
 * sum took seconds). Within one top-level expression (one env), each
 * operator node's answer is kept: its type, or NULL for "unknown".
 */
typedef struct {
	const pnode *node;
	char *type;
} memo_slot;
typedef struct {
	memo_slot *slots;
	size_t cap, used;
} type_memo;
static _Thread_local type_memo *memo;

static memo_slot *memo_find(const type_memo *m, const pnode *n)
{
	size_t i = ((uintptr_t)n >> 4) & (m->cap - 1);
	while (m->slots[i].node && m->slots[i].node != n)
		i = (i + 1) & (m->cap - 1);
	return &m->slots[i];
}

static void memo_put(type_memo *m, const pnode *n, const char *type)
{
	if (2 * (m->used + 1) > m->cap) {
		type_memo bigger = {
		    xcalloc(m->cap ? 2 * m->cap : 64, sizeof(memo_slot)),
		    m->cap ? 2 * m->cap : 64, m->used};
		for (size_t i = 0; i < m->cap; i++)
			if (m->slots[i].node)
				*memo_find(&bigger, m->slots[i].node) =
				    m->slots[i];
		free(m->slots);
		*m = bigger;
	}
	memo_slot *s = memo_find(m, n);
	s->node = n;
	s->type = type ? xstrdup(type) : NULL;
	m->used++;
}

static void memo_free(type_memo *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].type);
	free(m->slots);
}

static bool type_of_node(const env_t *env, const pnode *n, char *buf,
			 size_t cap);

static bool type_of(const env_t *env, const pnode *n, char *buf, size_t cap)
{
	if (!memo || !n || n->node_case != NC(A_EXPR))
		return type_of_node(env, n, buf, cap);
	if (memo->cap) {
		const memo_slot *s = memo_find(memo, n);
		if (s->node) {
			if (s->type)
				snprintf(buf, cap, "%s", s->type);
			return s->type != NULL;
		}
	}
	bool known = type_of_node(env, n, buf, cap);
	memo_put(memo, n, known ? buf : NULL);
	return known;
}

/* expr() with the memo of type_of() set up for this expression. */
static void expr_top(const env_t *env, strbuf *sb, const pnode *n)
{
	type_memo m = {0};
	bool outer = !memo;
	if (outer)
		memo = &m;
	expr(env, sb, n);
	if (outer) {
		memo_free(&m);
		memo = NULL;
	}
}

static bool type_of_node(const env_t *env, const pnode *n, char *buf,
			 size_t cap)
{
	char a[128], b[128];
	const char *t = NULL;
	if (!n)
		return false;
	switch (n->node_case) {
	case NC(COLUMN_REF):
		return column_type(env, n->column_ref, buf, cap);
	case NC(A_CONST):
		switch (n->a_const->val_case) {
		case PG_QUERY__A__CONST__VAL_IVAL:
			t = "integer";
			break;
		case PG_QUERY__A__CONST__VAL_FVAL:
			t = "numeric";
			break;
		case PG_QUERY__A__CONST__VAL_SVAL:
			t = "unknown";
			break;
		case PG_QUERY__A__CONST__VAL_BOOLVAL:
			t = "boolean";
			break;
		default:
			return false;
		}
		break;
	case NC(TYPE_CAST): {
		strbuf ty = STRBUF_INIT;
		pp_type_name(&ty, n->type_cast->type_name, NULL);
		strip_typmod(buf, cap, strbuf_str(&ty));
		strbuf_release(&ty);
		return true;
	}
	case NC(A_EXPR): {
		const PgQuery__AExpr *x = n->a_expr;
		const char *op = op_name(x->name, x->n_name);
		if (x->kind == PG_QUERY__A__EXPR__KIND__AEXPR_NULLIF)
			return type_of(env, x->lexpr, buf, cap);
		if (x->kind != PG_QUERY__A__EXPR__KIND__AEXPR_OP ||
		    in_list(op, cmp_ops)) {
			t = "boolean";
			break;
		}
		if (op && !strcmp(op, "||")) {
			t = "text";
			break;
		}
		bool hl = x->lexpr && type_of(env, x->lexpr, a, sizeof(a));
		if (hl && json_rhs_type(op, a)) {
			/* ->> and #>> give text, -> and #> the json type,
			 * the key tests and containment a boolean. */
			t = !strcmp(op, "->>") || !strcmp(op, "#>>") ? "text"
			    : !strcmp(op, "->") || !strcmp(op, "#>")
				? a
				: "boolean";
			break;
		}
		bool hr = type_of(env, x->rexpr, b, sizeof(b));
		if (!hr)
			return false;
		if (!hl) {
			if (x->lexpr)
				return false;
			t = b; /* prefix operator */
			break;
		}
		const char *num = numeric_target(a, b);
		t = num ? num : (num_rank(a) >= num_rank(b) ? a : b);
		break;
	}
	case NC(BOOL_EXPR):
	case NC(NULL_TEST):
	case NC(BOOLEAN_TEST):
		t = "boolean";
		break;
	case NC(FUNC_CALL): {
		const char *fn =
		    op_name(n->func_call->funcname, n->func_call->n_funcname);
		if (in_list(fn, text_funcs))
			t = "text";
		else if (in_list(fn, int_funcs))
			t = "integer";
		else if (fn && !strcmp(fn, "now"))
			t = "timestamp with time zone";
		else
			return false;
		break;
	}
	case NC(SQLVALUE_FUNCTION):
		switch (n->sqlvalue_function->op) {
		case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_DATE:
			t = "date";
			break;
		case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP:
		case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP_N:
			t = "timestamp with time zone";
			break;
		case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP:
		case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP_N:
			t = "timestamp without time zone";
			break;
		case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_ROLE:
		case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_USER:
		case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_SESSION_USER:
		case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_USER:
		case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_CATALOG:
		case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_SCHEMA:
			t = "name";
			break;
		default:
			return false;
		}
		break;
	default:
		return false;
	}
	snprintf(buf, cap, "%s", t);
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
			const_text(sb, k, target);
			return;
		}
		if (k->val_case == PG_QUERY__A__CONST__VAL_FVAL &&
		    !strcmp(target, "numeric")) {
			const_text(sb, k, NULL);
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
	if (type_of(env, l, a, sizeof(a)) && type_of(env, r, b, sizeof(b))) {
		const char *jt = json_rhs_type(op, a);
		if (jt)
			tr = strcmp(b, "unknown") ? NULL : jt;
		else
			binary_targets(a, b, &tl, &tr);
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
	if (nextval_call(sb, f))
		return;
	const char *schema = NULL, *name = op_name(f->funcname, f->n_funcname);
	if (f->n_funcname >= 2)
		schema = pp_sval(f->funcname[f->n_funcname - 2]);
	pp_visible_name(sb, schema, name ? name : "?");
	strbuf_addch(sb, '(');
	bool textual = in_list(name, text_funcs) || in_list(name, int_funcs);
	for (size_t i = 0; i < f->n_args; i++) {
		char t[128];
		if (i)
			strbuf_adds(sb, ", ");
		/* lower(varchar_col) runs on text: lower((col)::text). */
		bool vc = textual && type_of(env, f->args[i], t, sizeof(t)) &&
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
	bool known = type_of(env, a->lexpr, lt, sizeof(lt));
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
		} else if (known && type_of(env, l->items[i], et, sizeof(et))) {
			binary_targets(lt, et, &tl, &tr);
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
	strip_typmod(bare, sizeof(bare), elem);
	const PgQuery__AArrayExpr *arr = a->a_array_expr;
	strbuf_adds(sb, "ARRAY[");
	for (size_t i = 0; i < arr->n_elements; i++) {
		char t[128];
		if (i)
			strbuf_adds(sb, ", ");
		bool same = type_of(env, arr->elements[i], t, sizeof(t)) &&
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
			const_text(sb, k, strbuf_str(&type));
		} else if ((k->val_case == PG_QUERY__A__CONST__VAL_IVAL &&
			    !strcmp(strbuf_str(&type), "integer")) ||
			   (k->val_case == PG_QUERY__A__CONST__VAL_FVAL &&
			    !strcmp(strbuf_str(&type), "numeric"))) {
			const_text(sb, k, NULL);
		} else {
			/* An integer cast to another type is a conversion
			 * the server shows as (0)::numeric. */
			strbuf_addch(sb, '(');
			const_text(sb, k, NULL);
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
			else if (env && env->value_type &&
				 n->column_ref->n_fields == 1 &&
				 !strcmp(pp_sval(f), "value"))
				strbuf_adds(sb, "VALUE"); /* domain checks */
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
				strbuf_adds(
				    sb,
				    b->boolop ==
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
		static const char *const t[] = {"",
						" IS TRUE",
						" IS NOT TRUE",
						" IS FALSE",
						" IS NOT FALSE",
						" IS UNKNOWN",
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
	case NC(SQLVALUE_FUNCTION): {
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
				strbuf_addf(sb, "(%d)",
					    n->sqlvalue_function->typmod);
			return;
		}
		pp_deparse_expr(sb, n);
		return;
	}
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
		/* character without its length prints as bpchar. */
		const_text(&sb, n->a_const,
			   strcmp(strbuf_str(&type), "character")
			       ? strbuf_str(&type)
			       : "bpchar");
		strbuf_release(&type);
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
