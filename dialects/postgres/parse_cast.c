/*
 * CREATE CAST, COMMENT ON CAST and DROP CAST: the model keeps the
 * statement in the canonical form cast.c writes (the form pg_dump
 * writes), with the function resolved as introspection names it.
 */
#include <string.h>

#include "cast.h"
#include "parse_internal.h"
#include "pg.h"

/* The key of a cast: its two types as format_type(oid, NULL) prints
 * them. -1 when the name list is not two type names. */
static int cast_types(pp_ctx *c, const PgQuery__TypeName *s,
		      const PgQuery__TypeName *t, const char **source,
		      const char **target)
{
	if (!s || !t)
		return -1;
	strbuf sb = STRBUF_INIT;
	pp_type_name_nomod(&sb, s);
	*source = model_str(c->m, strbuf_str(&sb));
	strbuf_reset(&sb);
	pp_type_name_nomod(&sb, t);
	*target = model_str(c->m, strbuf_str(&sb));
	strbuf_release(&sb);
	return 0;
}

/* COMMENT ON CAST and DROP CAST name a cast by a list of two types. */
static m_cast *find_cast_node(pp_ctx *c, const pnode *o, int *at)
{
	const char *source, *target;
	if (!o || o->node_case != NC(LIST) || o->list->n_items != 2 ||
	    o->list->items[0]->node_case != NC(TYPE_NAME) ||
	    o->list->items[1]->node_case != NC(TYPE_NAME) ||
	    cast_types(c, o->list->items[0]->type_name,
		       o->list->items[1]->type_name, &source, &target))
		return NULL;
	for (int i = 0; i < c->m->ncasts; i++)
		if (!strcmp(c->m->casts[i].source, source) &&
		    !strcmp(c->m->casts[i].target, target)) {
			*at = i;
			return &c->m->casts[i];
		}
	return NULL;
}

/* WITH FUNCTION name[(args)]: an unqualified name is the file's own
 * function in public when it defines one, else a built-in one; without
 * an argument list, the one function of that name the file defines. */
static void cast_function(pp_ctx *c, const PgQuery__ObjectWithArgs *f,
			  m_cast *k, pg_cast_parts *p)
{
	const char *schema = NULL, *name = NULL;
	if (f->n_objname == 1) {
		name = pp_sval(f->objname[0]);
		for (int i = 0; name && i < c->m->nfunctions; i++)
			if (!strcmp(c->m->functions[i].schema, "public") &&
			    !strcmp(c->m->functions[i].name, name))
				schema = "public";
	} else if (pp_qualname(f->objname, f->n_objname, &schema, &name)) {
		return;
	}
	strbuf args = STRBUF_INIT;
	for (size_t i = 0; i < f->n_objargs; i++) {
		if (i)
			strbuf_adds(&args, ", ");
		pp_type_name_nomod(&args, f->objargs[i]->type_name);
	}
	const char *fn_args = model_str(c->m, strbuf_str(&args));
	strbuf_release(&args);
	for (int i = 0; f->args_unspecified && i < c->m->nfunctions; i++)
		if (!strcmp(c->m->functions[i].schema, schema ? schema : "") &&
		    !strcmp(c->m->functions[i].name, name))
			fn_args = c->m->functions[i].identity_args;
	if (schema && !strcmp(schema, "pg_catalog"))
		schema = NULL;
	p->fn_schema = schema;
	p->fn_name = name;
	p->fn_args = fn_args;
	/* A built-in function is no dependency: keep pg_catalog's. */
	k->function.schema = model_str(c->m, schema ? schema : "pg_catalog");
	k->function.name = model_str(c->m, name);
	k->function_args = model_str(c->m, fn_args);
}

int pp_create_cast(pp_ctx *c, const PgQuery__CreateCastStmt *s)
{
	pg_cast_parts p = {0};
	if (cast_types(c, s->sourcetype, s->targettype, &p.source, &p.target))
		return pp_fail(c, "unusable types in CREATE CAST");
	for (int i = 0; i < c->m->ncasts; i++)
		if (!strcmp(c->m->casts[i].source, p.source) &&
		    !strcmp(c->m->casts[i].target, p.target))
			return pp_fail(c,
				       "cast from type %s to type %s already "
				       "exists",
				       p.source, p.target);
	m_cast *k = model_add_cast(c->m);
	k->source = (char *)p.source;
	k->target = (char *)p.target;
	p.method = s->func ? 'f' : s->inout ? 'i' : 'b';
	p.context =
	    s->context == PG_QUERY__COERCION_CONTEXT__COERCION_IMPLICIT ? 'i'
	    : s->context == PG_QUERY__COERCION_CONTEXT__COERCION_ASSIGNMENT
		? 'a'
		: 'e';
	if (s->func)
		cast_function(c, s->func, k, &p);
	strbuf sb = STRBUF_INIT;
	pg_cast_definition(&sb, &p);
	k->definition = model_str(c->m, strbuf_str(&sb));
	strbuf_release(&sb);
	return 0;
}

int pp_comment_cast(pp_ctx *c, const pnode *o, const char *text)
{
	int at;
	m_cast *k = find_cast_node(c, o, &at);
	if (!k)
		return -1;
	k->comment = text ? model_str(c->m, text) : NULL;
	return 0;
}

bool pp_drop_cast(pp_ctx *c, const pnode *o)
{
	int at;
	if (!find_cast_node(c, o, &at))
		return false;
	PP_REMOVE_AT(c->m->casts, c->m->ncasts, at);
	return true;
}
