/*
 * CREATE AGGREGATE (a DefineStmt of kind OBJECT_AGGREGATE): the model
 * keeps the statement in the canonical form aggregate.c writes, with the
 * support functions spelled and qualified as regproc prints them.
 */
#include <stdio.h>
#include <string.h>

#include "aggregate.h"
#include "parse_internal.h"
#include "pg.h"

/* A DefElem's value as text: a string, a number, or a bare word (which
 * the grammar hands over as a TypeName). */
static const char *def_text(pp_ctx *c, const pnode *arg)
{
	if (!arg)
		return NULL;
	switch (arg->node_case) {
	case NC(STRING):
		return arg->string->sval;
	case NC(INTEGER):
		return arena_sprintf(&c->m->arena, "%d", arg->integer->ival);
	case NC(FLOAT):
		return arg->float_->fval;
	case NC(BOOLEAN):
		return arg->boolean->boolval ? "true" : "false";
	case NC(TYPE_NAME):
		if (arg->type_name->n_names)
			return pp_sval(
			    arg->type_name->names[arg->type_name->n_names - 1]);
		return NULL;
	default:
		return NULL;
	}
}

/* defGetBoolean(): no value means true. */
static bool def_bool(pp_ctx *c, const pnode *arg)
{
	const char *v = def_text(c, arg);
	if (!v)
		return true;
	return strcasecmp(v, "false") && strcasecmp(v, "off") && strcmp(v, "0");
}

static char def_modify(pp_ctx *c, const pnode *arg)
{
	const char *v = def_text(c, arg);
	if (!v)
		return 0;
	if (!strcasecmp(v, "read_only"))
		return 'r';
	if (!strcasecmp(v, "shareable"))
		return 's';
	return 'w';
}

/* A type as format_type(oid, NULL) prints it: no modifier. */
static const char *def_type(pp_ctx *c, const pnode *arg)
{
	if (!arg || arg->node_case != NC(TYPE_NAME))
		return def_text(c, arg);
	strbuf sb = STRBUF_INIT;
	pp_type_name_nomod(&sb, arg->type_name);
	char *r = model_str(c->m, strbuf_str(&sb));
	strbuf_release(&sb);
	return r;
}

/* A support function; one outside pg_catalog is also a dependency. */
static const char *def_function(pp_ctx *c, m_function *f, const pnode *arg)
{
	const char *schema, *name;
	if (pp_resolve_ref(c, arg, true, &schema, &name))
		return NULL;
	if (schema && strcmp(schema, "pg_catalog")) {
		m_ref *d =
		    ARENA_PUSH(&c->m->arena, f->deps, f->ndeps, f->cdeps);
		d->schema = model_str(c->m, schema);
		d->name = model_str(c->m, name);
	}
	return pp_visible_ref(c, arg, true);
}

/* SORTOP = < or OPERATOR(schema.<): unqualified operators are taken to
 * be the built-in ones. */
static const char *def_operator(pp_ctx *c, const pnode *arg)
{
	if (!arg || arg->node_case != NC(LIST) || !arg->list->n_items)
		return def_text(c, arg);
	size_t n = arg->list->n_items;
	const char *op = pp_sval(arg->list->items[n - 1]);
	const char *schema = n >= 2 ? pp_sval(arg->list->items[n - 2]) : NULL;
	if (!op)
		return NULL;
	return pp_operator_ref(c, schema ? schema : "pg_catalog", op);
}

/* One argument as pg_get_function_arguments() prints it. */
static void add_arg(strbuf *sb, const PgQuery__FunctionParameter *p)
{
	if (p->mode == PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_VARIADIC)
		strbuf_adds(sb, "VARIADIC ");
	if (PP_STR(p->name)) {
		pg_quote_ident(sb, p->name);
		strbuf_addch(sb, ' ');
	}
	pp_type_name_nomod(sb, p->arg_type);
}

/* The argument list (with ORDER BY where the direct arguments end) and
 * the identity types. pg_get_function_arguments prints the last
 * argument twice when a variadic ordered-set aggregate has only direct
 * arguments: "VARIADIC "any" ORDER BY VARIADIC "any"". */
static void aggregate_args(const PgQuery__DefineStmt *s, strbuf *args,
			   strbuf *ids)
{
	if (s->n_args < 2 || s->args[0]->node_case != NC(LIST))
		return; /* (*) */
	const PgQuery__List *l = s->args[0]->list;
	int ndirect = s->args[1]->node_case == NC(INTEGER)
			  ? s->args[1]->integer->ival
			  : -1;
	for (size_t i = 0; i < l->n_items; i++) {
		const PgQuery__FunctionParameter *p =
		    l->items[i]->function_parameter;
		if (!p)
			continue;
		if (ndirect >= 0 && (int)i == ndirect)
			strbuf_adds(args, i ? " ORDER BY " : "ORDER BY ");
		else if (i)
			strbuf_adds(args, ", ");
		add_arg(args, p);
		if (ids->len)
			strbuf_adds(ids, ", ");
		pp_type_name_nomod(ids, p->arg_type);
	}
	if (ndirect >= 0 && (size_t)ndirect == l->n_items && l->n_items) {
		strbuf_adds(args, " ORDER BY ");
		add_arg(args, l->items[l->n_items - 1]->function_parameter);
	}
}

/* The result pg_get_function_result() reports: the final function's, or
 * the state type. A built-in final function's result is not known
 * offline; NULL then, which the differ treats as "may have changed". */
static const char *aggregate_result(pp_ctx *c, const pg_agg_parts *a,
				    const m_function *self)
{
	if (!a->finalfunc)
		return a->stype;
	for (int i = 0; i < c->m->nfunctions; i++) {
		const m_function *g = &c->m->functions[i];
		if (g == self || g->kind == 'a')
			continue;
		strbuf sb = STRBUF_INIT;
		pp_visible_name(&sb, g->schema, g->name);
		bool same = !strcmp(strbuf_str(&sb), a->finalfunc);
		strbuf_release(&sb);
		if (same)
			return g->result;
	}
	return NULL;
}

/* Fill the parts from the DefElems; unknown ones are reported. */
static void aggregate_options(pp_ctx *c, const PgQuery__DefineStmt *s,
			      m_function *f, pg_agg_parts *a, strbuf *args,
			      strbuf *ids)
{
	for (size_t i = 0; i < s->n_definition; i++) {
		if (s->definition[i]->node_case != NC(DEF_ELEM))
			continue;
		const PgQuery__DefElem *d = s->definition[i]->def_elem;
		const char *k = d->defname;
		const pnode *v = d->arg;
		if (!strcmp(k, "sfunc") || !strcmp(k, "sfunc1"))
			a->sfunc = def_function(c, f, v);
		else if (!strcmp(k, "stype") || !strcmp(k, "stype1"))
			a->stype = def_type(c, v);
		else if (!strcmp(k, "sspace"))
			a->sspace = def_text(c, v);
		else if (!strcmp(k, "initcond") || !strcmp(k, "initcond1"))
			a->initcond = def_text(c, v);
		else if (!strcmp(k, "finalfunc"))
			a->finalfunc = def_function(c, f, v);
		else if (!strcmp(k, "finalfunc_extra"))
			a->finalextra = def_bool(c, v);
		else if (!strcmp(k, "finalfunc_modify"))
			a->finalmodify = def_modify(c, v);
		else if (!strcmp(k, "combinefunc"))
			a->combinefunc = def_function(c, f, v);
		else if (!strcmp(k, "serialfunc"))
			a->serialfunc = def_function(c, f, v);
		else if (!strcmp(k, "deserialfunc"))
			a->deserialfunc = def_function(c, f, v);
		else if (!strcmp(k, "msfunc"))
			a->msfunc = def_function(c, f, v);
		else if (!strcmp(k, "minvfunc"))
			a->minvfunc = def_function(c, f, v);
		else if (!strcmp(k, "mstype"))
			a->mstype = def_type(c, v);
		else if (!strcmp(k, "msspace"))
			a->msspace = def_text(c, v);
		else if (!strcmp(k, "minitcond"))
			a->minitcond = def_text(c, v);
		else if (!strcmp(k, "mfinalfunc"))
			a->mfinalfunc = def_function(c, f, v);
		else if (!strcmp(k, "mfinalfunc_extra"))
			a->mfinalextra = def_bool(c, v);
		else if (!strcmp(k, "mfinalfunc_modify"))
			a->mfinalmodify = def_modify(c, v);
		else if (!strcmp(k, "sortop"))
			a->sortop = def_operator(c, v);
		else if (!strcmp(k, "hypothetical") && def_bool(c, v))
			a->kind = 'h';
		else if (!strcmp(k, "parallel") && def_text(c, v))
			a->parallel = (char)(def_text(c, v)[0] | 0x20);
		else if (!strcmp(k, "basetype") && s->oldstyle) {
			/* Old syntax: BASETYPE = ANY is (*). */
			const char *t = def_type(c, v);
			if (t && strcmp(t, "\"any\"")) {
				strbuf_adds(args, t);
				strbuf_adds(ids, t);
			}
		} else
			pp_warn(c,
				"aggregate \"%s\": attribute \"%s\" is not "
				"read; ignored",
				f->name, k);
	}
}

int pp_create_aggregate(pp_ctx *c, const PgQuery__DefineStmt *s)
{
	const char *schema, *name;
	if (pp_qualname(s->defnames, s->n_defnames, &schema, &name))
		return pp_fail(c, "unusable aggregate name");
	strbuf args = STRBUF_INIT, ids = STRBUF_INIT, def = STRBUF_INIT;
	if (!s->oldstyle)
		aggregate_args(s, &args, &ids);
	int ret = 0;
	m_function *f = NULL;
	for (int i = 0; i < c->m->nfunctions && !f; i++) {
		m_function *g = &c->m->functions[i];
		if (!strcmp(g->schema, schema) && !strcmp(g->name, name) &&
		    !strcmp(g->identity_args, strbuf_str(&ids)))
			f = g;
	}
	if (f && !s->replace) {
		ret = pp_fail(c, "function %s.%s(%s) already exists", schema,
			      name, strbuf_str(&ids));
		goto out;
	}
	bool fresh = !f;
	if (fresh)
		f = model_add_function(c->m);
	memset(f, 0, sizeof(*f));
	f->schema = model_str(c->m, schema);
	f->name = model_str(c->m, name);
	f->kind = 'a';
	pg_agg_parts a = {.schema = f->schema, .name = f->name};
	a.kind = !s->oldstyle && s->n_args >= 2 &&
			 s->args[1]->node_case == NC(INTEGER) &&
			 s->args[1]->integer->ival >= 0
		     ? 'o'
		     : 'n';
	aggregate_options(c, s, f, &a, &args, &ids);
	a.args = strbuf_str(&args);
	pg_aggregate_definition(&def, &a);
	f->identity_args = model_str(c->m, strbuf_str(&ids));
	f->signature = model_str(c->m, strbuf_str(&args));
	f->definition = model_str(c->m, strbuf_str(&def));
	f->result = model_str(c->m, aggregate_result(c, &a, f));
	/* CREATE OR REPLACE keeps the privileges of the old one. */
	if (fresh)
		pp_grant_default(c, 'f', f->schema,
				 arena_sprintf(&c->m->arena, "%s(%s)", f->name,
					       f->identity_args));
out:
	strbuf_release(&args);
	strbuf_release(&ids);
	strbuf_release(&def);
	return ret;
}
