/*
 * The parts of CREATE FUNCTION that function.h compares, spelled as the
 * server keeps them in pg_proc: the body as written, the attributes
 * with their defaults left out, the SET options as proconfig holds
 * them, the argument defaults as pg_get_expr prints them.
 */
#include <stdlib.h>
#include <string.h>

#include "../../util/xalloc.h"
#include "function.h"
#include "parse_internal.h"
#include "pg.h"

/* A DefElem's number (COST, ROWS): Integer or Float. */
static double def_number(const pnode *arg)
{
	if (arg && arg->node_case == NC(INTEGER))
		return arg->integer->ival;
	if (arg && arg->node_case == NC(FLOAT))
		return strtod(arg->float_->fval, NULL);
	return 0;
}

/* defGetBoolean(): no value means true. */
static bool def_true(const pnode *arg)
{
	if (!arg)
		return true;
	if (arg->node_case == NC(BOOLEAN))
		return arg->boolean->boolval;
	if (arg->node_case == NC(INTEGER))
		return arg->integer->ival != 0;
	return true;
}

/* The variables whose list elements the server quotes as identifiers
 * (GUC_LIST_QUOTE), and the few whose canonical name is not lower
 * case: proconfig holds the name as the server's table spells it. */
static bool list_quoted(const char *name)
{
	static const char *const quoted[] = {"search_path",
					     "temp_tablespaces",
					     "session_preload_libraries",
					     "shared_preload_libraries",
					     "local_preload_libraries",
					     NULL};
	for (int i = 0; quoted[i]; i++)
		if (!strcmp(name, quoted[i]))
			return true;
	return false;
}

static const char *guc_name(const char *name)
{
	static const char *const mixed[] = {"DateStyle", "IntervalStyle",
					    "TimeZone", NULL};
	for (int i = 0; mixed[i]; i++)
		if (!strcasecmp(name, mixed[i]))
			return mixed[i];
	return name;
}

/* "name=value" as flatten_set_variable_args() writes SET's values:
 * numbers as written, strings as they are (quoted as identifiers for
 * list variables), joined by ", ". NULL for SET ... TO DEFAULT, which
 * removes the setting. */
static char *set_item(pp_ctx *c, const PgQuery__VariableSetStmt *v)
{
	if (v->kind != PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE &&
	    v->kind != PG_QUERY__VARIABLE_SET_KIND__VAR_SET_CURRENT)
		return NULL;
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s=", guc_name(v->name));
	for (size_t i = 0; i < v->n_args; i++) {
		const pnode *a = v->args[i];
		if (i)
			strbuf_adds(&sb, ", ");
		const PgQuery__AConst *k =
		    a->node_case == NC(A_CONST) ? a->a_const : NULL;
		if (k && k->val_case == PG_QUERY__A__CONST__VAL_SVAL &&
		    list_quoted(v->name))
			pg_quote_ident(&sb, k->sval->sval);
		else if (k && k->val_case == PG_QUERY__A__CONST__VAL_SVAL)
			strbuf_adds(&sb, k->sval->sval);
		else if (k && k->val_case == PG_QUERY__A__CONST__VAL_IVAL)
			strbuf_addf(&sb, "%d", k->ival->ival);
		else if (k && k->val_case == PG_QUERY__A__CONST__VAL_FVAL)
			strbuf_adds(&sb, k->fval->fval);
		else
			pp_deparse_expr(&sb, a);
	}
	/* FROM CURRENT takes the session's value, which a file does not
	 * know: the text says so, and never matches a live value. */
	if (v->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_SET_CURRENT)
		strbuf_adds(&sb, "FROM CURRENT");
	char *r = model_str(c->m, strbuf_str(&sb));
	strbuf_release(&sb);
	return r;
}

/* proconfig: a variable set again keeps its place and takes the new
 * value; TO DEFAULT removes it (GUCArrayAdd / GUCArrayDelete). */
static void add_set(pp_ctx *c, const PgQuery__VariableSetStmt *v,
		    const char ***sets, int *nsets, int *csets)
{
	const char *name = guc_name(v->name);
	size_t len = strlen(name);
	const char *item = set_item(c, v);
	for (int i = 0; i < *nsets; i++) {
		if (strncmp((*sets)[i], name, len) || (*sets)[i][len] != '=')
			continue;
		if (item) {
			(*sets)[i] = item;
		} else {
			memmove(&(*sets)[i], &(*sets)[i + 1],
				sizeof(**sets) * (size_t)(*nsets - i - 1));
			(*nsets)--;
		}
		return;
	}
	if (item)
		*ARENA_PUSH(&c->m->arena, *sets, *nsets, *csets) = item;
}

/* The argument defaults, as pg_get_expr(proargdefaults) lists them. */
static char *arg_defaults(pp_ctx *c, const PgQuery__CreateFunctionStmt *s)
{
	strbuf sb = STRBUF_INIT, type = STRBUF_INIT;
	for (size_t i = 0; i < s->n_parameters; i++) {
		const PgQuery__FunctionParameter *p =
		    s->parameters[i]->function_parameter;
		if (!p->defexpr)
			continue;
		strbuf_reset(&type);
		pp_type_name_nomod(&type, p->arg_type);
		if (sb.len)
			strbuf_adds(&sb, ", ");
		strbuf_adds(&sb,
			    pp_expr(c, p->defexpr, strbuf_str(&type), NULL));
	}
	char *r = sb.len ? model_str(c->m, strbuf_str(&sb)) : NULL;
	strbuf_release(&sb);
	strbuf_release(&type);
	return r;
}

/* TRANSFORM FOR TYPE a, FOR TYPE b: the types, comma-space. */
static const char *transforms(pp_ctx *c, const pnode *arg)
{
	if (!arg || arg->node_case != NC(LIST))
		return NULL;
	strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < arg->list->n_items; i++) {
		const pnode *t = arg->list->items[i];
		if (t->node_case != NC(TYPE_NAME))
			continue;
		if (sb.len)
			strbuf_adds(&sb, ", ");
		pp_type_name_nomod(&sb, t->type_name);
	}
	const char *r = sb.len ? model_str(c->m, strbuf_str(&sb)) : NULL;
	strbuf_release(&sb);
	return r;
}

void pp_function_parts(pp_ctx *c, const PgQuery__CreateFunctionStmt *s,
		       m_function *f)
{
	pg_fn_attrs a = {.volatility = 'v', .parallel = 'u', .cost = -1};
	const char **sets = NULL;
	int csets = 0;
	bool rows_given = false;
	a.returns_set = s->return_type && s->return_type->setof;
	for (size_t i = 0; i < s->n_parameters; i++)
		if (s->parameters[i]->function_parameter->mode ==
		    PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_TABLE)
			a.returns_set = true;
	for (size_t i = 0; i < s->n_options; i++) {
		if (s->options[i]->node_case != NC(DEF_ELEM))
			continue;
		const PgQuery__DefElem *d = s->options[i]->def_elem;
		const char *k = d->defname;
		const pnode *arg = d->arg;
		if (!strcmp(k, "language"))
			a.language = pp_sval(arg);
		else if (!strcmp(k, "volatility") && pp_sval(arg))
			a.volatility = *pp_sval(arg);
		else if (!strcmp(k, "parallel") && pp_sval(arg))
			a.parallel = *pp_sval(arg);
		else if (!strcmp(k, "strict"))
			a.strict = def_true(arg);
		else if (!strcmp(k, "security"))
			a.security_definer = def_true(arg);
		else if (!strcmp(k, "leakproof"))
			a.leakproof = def_true(arg);
		else if (!strcmp(k, "cost"))
			a.cost = def_number(arg);
		else if (!strcmp(k, "rows")) {
			a.rows = def_number(arg);
			rows_given = true;
		} else if (!strcmp(k, "support"))
			a.support = pp_visible_ref(c, arg, true);
		else if (!strcmp(k, "transform"))
			a.transforms = transforms(c, arg);
		else if (!strcmp(k, "set") && arg &&
			 arg->node_case == NC(VARIABLE_SET_STMT))
			add_set(c, arg->variable_set_stmt, &sets, &a.nsets,
				&csets);
		else if (!strcmp(k, "as") && arg &&
			 arg->node_case == NC(LIST)) {
			const PgQuery__List *l = arg->list;
			/* AS 'file', 'symbol': probin, prosrc. */
			if (l->n_items == 2)
				a.module = pp_sval(l->items[0]);
			if (l->n_items)
				f->body = model_str(
				    c->m, pp_sval(l->items[l->n_items - 1]));
		}
	}
	if (!a.language)
		a.language = "sql";
	/* The server's defaults where the statement gives none. */
	if (a.cost < 0)
		a.cost = pg_fn_default_cost(a.language);
	if (!rows_given)
		a.rows = pg_fn_default_rows(a.returns_set);
	a.sets = sets;
	if (s->sql_body)
		f->body = NULL;
	strbuf sb = STRBUF_INIT;
	pg_fn_attributes(&sb, &a);
	f->attributes = model_str(c->m, strbuf_str(&sb));
	strbuf_release(&sb);
	f->arg_defaults = arg_defaults(c, s);
}
