/*
 * Light type inference for the expression printer (parse_expr.c), so that
 * the casts the server would insert show up in the same places:
 * "(price > (0)::numeric)", "(email)::text". Only column types, literals
 * and a few well-known functions are known; an unknown type means "print
 * as written".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse_internal.h"
#include "pg.h"
#include "util/xalloc.h"

typedef pp_env env_t;

static const char *op_name(pnode **names, size_t n)
{
	return n ? pp_sval(names[n - 1]) : NULL;
}

void pp_strip_typmod(char *dst, size_t cap, const char *type)
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

static bool column_type(const env_t *env, const PgQuery__ColumnRef *r,
			char *buf, size_t cap)
{
	const char *name =
	    r->n_fields ? pp_sval(r->fields[r->n_fields - 1]) : NULL;
	if (!env || !name)
		return false;
	if (env->value_type && r->n_fields == 1 && !strcmp(name, "value")) {
		pp_strip_typmod(buf, cap, env->value_type);
		return true;
	}
	const m_column *col =
	    env->table ? model_table_find_column(env->table, name) : NULL;
	if (!col || !col->type)
		return false;
	pp_strip_typmod(buf, cap, col->type);
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
void pp_binary_targets(const char *lt, const char *rt, const char **tl,
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
const char *pp_json_rhs_type(const char *op, const char *lt)
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

bool pp_type_of(const pp_env *env, const pnode *n, char *buf, size_t cap)
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
		pp_strip_typmod(buf, cap, strbuf_str(&ty));
		strbuf_release(&ty);
		return true;
	}
	case NC(A_EXPR): {
		const PgQuery__AExpr *x = n->a_expr;
		const char *op = op_name(x->name, x->n_name);
		if (x->kind == PG_QUERY__A__EXPR__KIND__AEXPR_NULLIF)
			return pp_type_of(env, x->lexpr, buf, cap);
		if (x->kind != PG_QUERY__A__EXPR__KIND__AEXPR_OP ||
		    in_list(op, cmp_ops)) {
			t = "boolean";
			break;
		}
		if (op && !strcmp(op, "||")) {
			t = "text";
			break;
		}
		bool hl = x->lexpr && pp_type_of(env, x->lexpr, a, sizeof(a));
		if (hl && pp_json_rhs_type(op, a)) {
			/* ->> and #>> give text, -> and #> the json type,
			 * the key tests and containment a boolean. */
			t = !strcmp(op, "->>") || !strcmp(op, "#>>") ? "text"
			    : !strcmp(op, "->") || !strcmp(op, "#>")
				? a
				: "boolean";
			break;
		}
		bool hr = pp_type_of(env, x->rexpr, b, sizeof(b));
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

bool pp_type_memo_open(void)
{
	if (memo)
		return false;
	memo = xcalloc(1, sizeof(*memo));
	return true;
}

void pp_type_memo_close(void)
{
	memo_free(memo);
	free(memo);
	memo = NULL;
}

bool pp_textual_function(const char *name)
{
	return in_list(name, text_funcs) || in_list(name, int_funcs);
}
