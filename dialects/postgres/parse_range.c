/*
 * CREATE TYPE ... AS RANGE.
 */
#include <string.h>

#include "parse_internal.h"
#include "pg.h"

/* The name list a parameter holds: its TypeName's names (function,
 * operator class, collation and type names all arrive as one). */
static int param_names(const pnode *arg, pnode ***items, size_t *n)
{
	if (!arg)
		return -1;
	if (arg->node_case == NC(TYPE_NAME)) {
		*items = arg->type_name->names;
		*n = arg->type_name->n_names;
		return 0;
	}
	if (arg->node_case == NC(LIST)) {
		*items = arg->list->items;
		*n = arg->list->n_items;
		return 0;
	}
	return -1;
}

int pp_resolve_ref(pp_ctx *c, const pnode *arg, bool function,
		   const char **schema, const char **name)
{
	pnode **items = NULL;
	size_t n = 0;
	*schema = NULL;
	*name = NULL;
	if (!arg)
		return -1;
	if (arg->node_case == NC(STRING)) {
		*name = pp_sval(arg);
	} else if (param_names(arg, &items, &n)) {
		return -1;
	} else if (n == 1) {
		*name = pp_sval(items[0]);
		for (int i = 0; function && *name && i < c->m->nfunctions; i++)
			if (!strcmp(c->m->functions[i].schema, "public") &&
			    !strcmp(c->m->functions[i].name, *name))
				*schema = "public";
	} else if (n >= 2) {
		*schema = pp_sval(items[n - 2]);
		*name = pp_sval(items[n - 1]);
	}
	return *name ? 0 : -1;
}

char *pp_visible_ref(pp_ctx *c, const pnode *arg, bool function)
{
	const char *schema, *name;
	if (pp_resolve_ref(c, arg, function, &schema, &name))
		return NULL;
	strbuf sb = STRBUF_INIT;
	pp_visible_name(&sb, schema, name);
	char *r = model_str(c->m, strbuf_str(&sb));
	strbuf_release(&sb);
	return r;
}

/* The multirange name only when it is not the one the server would
 * pick: the first "range" becomes "multirange", else "_multirange". */
static char *multirange_name(pp_ctx *c, const m_range *g, const pnode *arg)
{
	pnode **items;
	size_t n;
	const char *schema, *name;
	if (param_names(arg, &items, &n) ||
	    pp_qualname(items, n, &schema, &name))
		return NULL;
	if (n == 1)
		schema = g->schema;
	strbuf dflt = STRBUF_INIT;
	const char *p = strstr(g->name, "range");
	if (p) {
		strbuf_add(&dflt, g->name, (size_t)(p - g->name));
		strbuf_addf(&dflt, "multi%s", p);
	} else {
		strbuf_addf(&dflt, "%s_multirange", g->name);
	}
	bool same =
	    !strcmp(schema, g->schema) && !strcmp(name, strbuf_str(&dflt));
	strbuf_release(&dflt);
	if (same)
		return NULL;
	strbuf sb = STRBUF_INIT;
	pp_visible_name(&sb, schema, name);
	char *r = model_str(c->m, strbuf_str(&sb));
	strbuf_release(&sb);
	return r;
}

int pp_create_range(pp_ctx *c, const PgQuery__CreateRangeStmt *s)
{
	const char *schema, *name;
	if (pp_qualname(s->type_name, s->n_type_name, &schema, &name))
		return pp_fail(c, "unusable type name in CREATE TYPE");
	m_range *g = model_add_range(c->m);
	g->schema = model_str(c->m, schema);
	g->name = model_str(c->m, name);
	for (size_t i = 0; i < s->n_params; i++) {
		if (s->params[i]->node_case != NC(DEF_ELEM))
			continue;
		const PgQuery__DefElem *d = s->params[i]->def_elem;
		const char *k = d->defname;
		if (!strcmp(k, "subtype") && d->arg &&
		    d->arg->node_case == NC(TYPE_NAME))
			g->subtype = pp_type_str(c, d->arg->type_name);
		else if (!strcmp(k, "subtype_opclass"))
			g->subtype_opclass = pp_visible_ref(c, d->arg, false);
		else if (!strcmp(k, "collation"))
			g->collation = pp_visible_ref(c, d->arg, false);
		else if (!strcmp(k, "canonical"))
			g->canonical = pp_visible_ref(c, d->arg, true);
		else if (!strcmp(k, "subtype_diff"))
			g->subtype_diff = pp_visible_ref(c, d->arg, true);
		else if (!strcmp(k, "multirange_type_name"))
			g->multirange = multirange_name(c, g, d->arg);
	}
	if (!g->subtype)
		return pp_fail(c, "type attribute \"subtype\" is required");
	return 0;
}
