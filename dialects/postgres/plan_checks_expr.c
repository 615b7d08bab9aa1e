/*
 * Which CHECK expressions a data check may evaluate on the live source.
 *
 * The expression comes from the schema file of a branch, which anyone who
 * can open a pull request writes, and the count runs on the database the
 * plan starts from, which may be production. A READ ONLY transaction
 * stops writes to tables, but not pg_terminate_backend(), pg_sleep(),
 * dblink, lo_export() or a user function with side effects outside the
 * database. So the whole counting query is parsed with libpg_query (the
 * server's own grammar) and runs only when it is exactly
 *
 *   SELECT count(*) FROM <table> WHERE NOT (<expression>)
 *
 * and every node of the expression is on an allow-list: column references,
 * constants, casts to built-in types, boolean logic, NULL tests, CASE,
 * COALESCE, NULLIF, GREATEST/LEAST, IN lists, BETWEEN, LIKE, SIMILAR TO,
 * the built-in operator symbols, and calls of the built-in functions
 * below, unqualified or qualified with pg_catalog. A sub-select, a
 * parameter, an aggregate or window clause, any other function or
 * operator, or a node kind this list does not know makes the check "not
 * checked", with what the expression uses.
 *
 * Unqualified names resolve through the search path, where pg_catalog
 * comes first: only an overload of the same name that the database's own
 * owners created in a schema on the path (an extension's) can be reached
 * besides the built-in one.
 *
 * Regular expressions (~, SIMILAR TO, regexp_*) can be slow on crafted
 * patterns; the engine checks for interrupts, so the data checks'
 * statement_timeout bounds them like any long count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse_internal.h"
#include "parse_tree.h"
#include "pg.h"
#include "plan_internal.h"

/* Built-in functions without side effects that CHECK constraints use,
 * including the ones the grammar calls for SQL syntax (SUBSTRING ...
 * FROM, POSITION ... IN, TRIM, EXTRACT, AT TIME ZONE, OVERLAPS, IS
 * NORMALIZED, SIMILAR TO). Nothing here allocates in proportion to an
 * argument (no repeat, lpad, rpad) or reads anything but its arguments
 * and the clock. Keep sorted (bsearch). */
static const char *const safe_funcs[] = {
    "abs",
    "array_length",
    "array_lower",
    "array_upper",
    "bit_length",
    "btrim",
    "cardinality",
    "ceil",
    "ceiling",
    "char_length",
    "character_length",
    "concat",
    "concat_ws",
    "date_part",
    "date_trunc",
    "div",
    "extract",
    "floor",
    "initcap",
    "is_normalized",
    "isempty",
    "isfinite",
    "json_array_length",
    "json_typeof",
    "jsonb_array_length",
    "jsonb_typeof",
    "left",
    "length",
    "like_escape",
    "lower",
    "lower_inc",
    "lower_inf",
    "ltrim",
    "md5",
    "mod",
    "normalize",
    "now",
    "num_nonnulls",
    "num_nulls",
    "octet_length",
    "overlaps",
    "position",
    "regexp_like",
    "regexp_match",
    "regexp_replace",
    "replace",
    "reverse",
    "right",
    "round",
    "rtrim",
    "sign",
    "similar_to_escape",
    "split_part",
    "starts_with",
    "strpos",
    "substr",
    "substring",
    "timezone",
    "to_char",
    "translate",
    "trunc",
    "upper",
    "upper_inc",
    "upper_inf",
};

/* Built-in operator symbols: comparison, arithmetic, concatenation,
 * LIKE and regular expressions, and the JSON and containment operators
 * CHECKs use. Keep sorted (bsearch). */
static const char *const safe_ops[] = {
    "!=", "!~", "!~*", "!~~", "!~~*", "#>", "#>>", "%",	 "&&",	"*", "+",
    "-",  "->", "->>", "/",   "<",    "<=", "<>",  "<@", "=",	">", ">=",
    "?",  "?&", "?|",  "@>",  "||",   "~",  "~*",  "~~", "~~*",
};

/* Built-in types a cast may name, as the grammar spells them in the tree
 * (integer is pg_catalog.int4, text is just text). Their input functions
 * read only the literal. Keep sorted (bsearch). */
static const char *const safe_types[] = {
    "bit",	   "bool",     "bpchar",  "bytea",  "char",    "cidr",
    "date",	   "float4",   "float8",  "inet",   "int2",    "int4",
    "int8",	   "interval", "json",	  "jsonb",  "macaddr", "macaddr8",
    "money",	   "name",     "numeric", "text",   "time",    "timestamp",
    "timestamptz", "timetz",   "uuid",	  "varbit", "varchar",
};

static int cmp_name(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

typedef struct vet_state {
	strbuf *why; /* filled with the first reason to refuse */
} vet_state;

/* "pg_catalog.f" or "f" on `list`; anything qualified otherwise is not
 * a built-in. Fills `shown` with the name as written, quoted (an
 * operator's symbol, which the grammar makes of + - * / < > = ~ ! @ # %
 * ^ & | ` ? only, as it is). */
static bool builtin_name(pnode **names, size_t n, const char *const *list,
			 size_t nlist, strbuf *shown)
{
	bool op = list == safe_ops;
	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_addch(shown, '.');
		const char *s = pp_sval(names[i]);
		if (op && i == n - 1 && s &&
		    strspn(s, "+-*/<>=~!@#%^&|`?") == strlen(s))
			strbuf_adds(shown, s);
		else
			pg_quote_ident(shown, s ? s : "?");
	}
	if (n == 2) {
		const char *schema = pp_sval(names[0]);
		if (!schema || strcmp(schema, "pg_catalog"))
			return false;
	} else if (n != 1) {
		return false;
	}
	const char *last = pp_sval(names[n - 1]);
	return last && bsearch(last, list, nlist, sizeof(list[0]), cmp_name);
}

static void refuse(vet_state *v, const char *fmt, const char *arg)
{
	if (!v->why->len)
		strbuf_addf(v->why, fmt, arg);
}

/* An operator name list: "=" or OPERATOR(pg_catalog.=). */
static void vet_operator(vet_state *v, const PgQuery__AExpr *a)
{
	strbuf shown = STRBUF_INIT;
	switch (a->kind) {
	case PG_QUERY__A__EXPR__KIND__AEXPR_OP:
	case PG_QUERY__A__EXPR__KIND__AEXPR_OP_ANY:
	case PG_QUERY__A__EXPR__KIND__AEXPR_OP_ALL:
		if (!builtin_name(a->name, a->n_name, safe_ops,
				  sizeof(safe_ops) / sizeof(safe_ops[0]),
				  &shown))
			refuse(v, "expression uses operator %s",
			       strbuf_str(&shown));
		break;
	case PG_QUERY__A__EXPR__KIND__AEXPR_DISTINCT:
	case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_DISTINCT:
	case PG_QUERY__A__EXPR__KIND__AEXPR_NULLIF:
	case PG_QUERY__A__EXPR__KIND__AEXPR_IN:
	case PG_QUERY__A__EXPR__KIND__AEXPR_LIKE:
	case PG_QUERY__A__EXPR__KIND__AEXPR_ILIKE:
	case PG_QUERY__A__EXPR__KIND__AEXPR_SIMILAR:
	case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN:
	case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN:
	case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN_SYM:
	case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN_SYM:
		/* The grammar names the operator itself ("=", "~~"); only
		 * OPERATOR(schema.op) could name another, and that is the
		 * OP kind above. Still refuse a qualified name. */
		if (a->n_name > 1)
			refuse(v, "%s", "expression uses a qualified operator");
		break;
	default:
		refuse(v, "%s", "expression uses an unknown operator form");
	}
	strbuf_release(&shown);
}

static void vet_call(vet_state *v, const PgQuery__FuncCall *f)
{
	strbuf shown = STRBUF_INIT;
	if (!builtin_name(f->funcname, f->n_funcname, safe_funcs,
			  sizeof(safe_funcs) / sizeof(safe_funcs[0]), &shown)) {
		strbuf_adds(&shown, "()");
		refuse(v, "expression calls %s", strbuf_str(&shown));
	} else if (f->n_agg_order || f->agg_filter || f->over ||
		   f->agg_within_group || f->agg_star || f->agg_distinct ||
		   f->func_variadic) {
		refuse(v, "%s",
		       "expression uses an aggregate, window or VARIADIC "
		       "call");
	}
	strbuf_release(&shown);
}

static void vet_type(vet_state *v, const PgQuery__TypeName *t)
{
	strbuf shown = STRBUF_INIT;
	if (t->setof || t->pct_type ||
	    !builtin_name(t->names, t->n_names, safe_types,
			  sizeof(safe_types) / sizeof(safe_types[0]), &shown))
		refuse(v, "expression casts to %s",
		       shown.len ? strbuf_str(&shown) : "a %TYPE");
	/* Type modifiers are constants ("varchar(20)"), never calls. */
	for (size_t i = 0; i < t->n_typmods; i++)
		if (t->typmods[i]->node_case != NC(A_CONST))
			refuse(v, "%s",
			       "expression has a computed type modifier");
	strbuf_release(&shown);
}

/* Node kinds that evaluate nothing but their children, which the walk
 * visits too. */
static bool plain_node(const ProtobufCMessageDescriptor *d)
{
	static const ProtobufCMessageDescriptor *const ok[] = {
	    &pg_query__node__descriptor,
	    &pg_query__list__descriptor,
	    &pg_query__string__descriptor,
	    &pg_query__integer__descriptor,
	    &pg_query__float__descriptor,
	    &pg_query__boolean__descriptor,
	    &pg_query__bit_string__descriptor,
	    &pg_query__a__const__descriptor,
	    &pg_query__column_ref__descriptor,
	    &pg_query__type_cast__descriptor,
	    &pg_query__bool_expr__descriptor,
	    &pg_query__null_test__descriptor,
	    &pg_query__boolean_test__descriptor,
	    &pg_query__coalesce_expr__descriptor,
	    &pg_query__min_max_expr__descriptor,
	    &pg_query__case_expr__descriptor,
	    &pg_query__case_when__descriptor,
	    &pg_query__a__array_expr__descriptor,
	    &pg_query__sqlvalue_function__descriptor,
	    &pg_query__collate_clause__descriptor,
	    &pg_query__a__indirection__descriptor,
	    &pg_query__a__indices__descriptor,
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (d == ok[i])
			return true;
	return false;
}

static void vet_node(const ProtobufCMessage *msg, void *data)
{
	vet_state *v = data;
	const ProtobufCMessageDescriptor *d = msg->descriptor;
	if (v->why->len)
		return;
	if (d == &pg_query__func_call__descriptor)
		vet_call(v, (const PgQuery__FuncCall *)msg);
	else if (d == &pg_query__a__expr__descriptor)
		vet_operator(v, (const PgQuery__AExpr *)msg);
	else if (d == &pg_query__type_name__descriptor)
		vet_type(v, (const PgQuery__TypeName *)msg);
	else if (d == &pg_query__sub_link__descriptor)
		refuse(v, "%s", "expression holds a sub-select");
	else if (!plain_node(d))
		refuse(v, "expression uses %s", d->short_name);
}

/* The statement is SELECT <one target> FROM <one table> WHERE <cond>
 * and nothing else: no second statement, set operation, CTE, GROUP BY,
 * HAVING, ORDER BY, LIMIT, INTO or locking clause that text closing the
 * parenthesis early could have added. */
static const PgQuery__Node *lone_condition(const PgQuery__ParseResult *tree)
{
	if (tree->n_stmts != 1 || !tree->stmts[0]->stmt ||
	    tree->stmts[0]->stmt->node_case != NC(SELECT_STMT))
		return NULL;
	const PgQuery__SelectStmt *s = tree->stmts[0]->stmt->select_stmt;
	if (s->n_distinct_clause || s->into_clause || s->n_target_list != 1 ||
	    s->n_from_clause != 1 || !s->where_clause || s->n_group_clause ||
	    s->having_clause || s->n_window_clause || s->n_values_lists ||
	    s->n_sort_clause || s->limit_offset || s->limit_count ||
	    s->n_locking_clause || s->with_clause || s->larg || s->rarg ||
	    s->op != PG_QUERY__SET_OPERATION__SETOP_NONE)
		return NULL;
	if (s->from_clause[0]->node_case != NC(RANGE_VAR))
		return NULL;
	return s->where_clause;
}

/* Runs on pg_parse_tree's thread, which holds the deepest tree it lets
 * through: the walk must. */
static int vet_tree(const PgQuery__ParseResult *tree, arena *tree_arena,
		    void *arg, error *e)
{
	strbuf *why = arg;
	(void)tree_arena;
	(void)e;
	const PgQuery__Node *cond = lone_condition(tree);
	vet_state v = {why};
	if (!cond)
		strbuf_adds(why, "expression is not a single condition");
	else
		pp_walk(&cond->base, vet_node, &v);
	return 0;
}

int pgp_vet_check_query(const char *sql, strbuf *why)
{
	error e = ERROR_INIT;
	/* The parser's message quotes the text (and a tree nested too
	 * deeply is refused the same way): say it in our own words only. */
	if (pg_parse_tree(sql, NULL, vet_tree, why, &e) < 0) {
		error_clear(&e);
		strbuf_reset(why);
		strbuf_adds(why, "expression does not parse");
		return -1;
	}
	return why->len ? -1 : 0;
}
