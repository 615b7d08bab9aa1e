/*
 * CREATE COLLATION, in the form pg_dump writes it (collation.h), so that
 * a file compared with a file needs no server.
 */
#include <string.h>
#include <strings.h>

#include "collation.h"
#include "parse_internal.h"
#include "pg.h"

m_collation *pp_find_collation(model *m, const char *schema, const char *name)
{
	for (int i = 0; i < m->ncollations; i++)
		if (!strcmp(m->collations[i].schema, schema) &&
		    !strcmp(m->collations[i].name, name))
			return &m->collations[i];
	return NULL;
}

/* An option's value as defGetString() reads it: a string, a word the
 * grammar took for a type name (provider = icu), a boolean keyword. */
static const char *def_text(const pnode *a)
{
	if (!a)
		return NULL;
	switch (a->node_case) {
	case NC(STRING):
		return a->string->sval;
	case NC(TYPE_NAME): {
		const PgQuery__TypeName *t = a->type_name;
		return t->n_names ? pp_sval(t->names[t->n_names - 1]) : NULL;
	}
	case NC(BOOLEAN):
		return a->boolean->boolval ? "true" : "false";
	case NC(INTEGER):
		return a->integer->ival ? "true" : "false";
	default:
		return NULL;
	}
}

static bool is_false(const char *v)
{
	return v && (!strcasecmp(v, "false") || !strcasecmp(v, "off") ||
		     !strcmp(v, "0") || !strcasecmp(v, "no"));
}

/* FROM another collation: the ones every database has are spelled out
 * (they are libc's "C" and "POSIX"); one this file made is copied. */
static bool copy_from(const pnode *arg, pg_coll_parts *p,
		      const char **from_schema, const char **from_name)
{
	const char *schema = NULL, *name = NULL;
	if (!arg || arg->node_case != NC(LIST) ||
	    pp_qualname(arg->list->items, arg->list->n_items, &schema, &name))
		return false;
	bool catalog = arg->list->n_items == 1 || !strcmp(schema, "pg_catalog");
	*from_schema = arg->list->n_items == 1 ? NULL : schema;
	*from_name = name;
	if (catalog && (!strcmp(name, "C") || !strcmp(name, "POSIX") ||
			!strcmp(name, "ucs_basic"))) {
		p->provider = 'c';
		p->collate = p->ctype = strcmp(name, "POSIX") ? "C" : "POSIX";
		return true;
	}
	return false;
}

int pp_create_collation(pp_ctx *c, const PgQuery__DefineStmt *s)
{
	const char *schema = NULL, *name = NULL;
	if (pp_qualname(s->defnames, s->n_defnames, &schema, &name))
		return pp_fail(c, "unusable name in CREATE COLLATION");
	if (pp_find_collation(c->m, schema, name)) {
		if (s->if_not_exists)
			return 0;
		return pp_fail(c, "collation \"%s.%s\" already exists", schema,
			       name);
	}
	pg_coll_parts p = {.schema = schema,
			   .name = name,
			   .provider = 'c',
			   .deterministic = true};
	const char *from_schema = NULL, *from_name = NULL;
	const m_collation *from = NULL;
	bool resolved = true;
	for (size_t i = 0; i < s->n_definition; i++) {
		const PgQuery__DefElem *d = s->definition[i]->def_elem;
		const char *v = def_text(d->arg);
		if (!strcmp(d->defname, "from")) {
			resolved =
			    copy_from(d->arg, &p, &from_schema, &from_name);
			if (!resolved && from_name)
				from = pp_find_collation(
				    c->m, from_schema ? from_schema : "public",
				    from_name);
		} else if (!strcmp(d->defname, "provider") && v) {
			p.provider = !strcasecmp(v, "icu")	 ? 'i'
				     : !strcasecmp(v, "builtin") ? 'b'
								 : 'c';
		} else if (!strcmp(d->defname, "deterministic")) {
			p.deterministic = !is_false(v);
		} else if (!strcmp(d->defname, "locale")) {
			p.locale = p.collate = p.ctype = v;
		} else if (!strcmp(d->defname, "lc_collate")) {
			p.collate = v;
		} else if (!strcmp(d->defname, "lc_ctype")) {
			p.ctype = v;
		} else if (!strcmp(d->defname, "rules")) {
			p.rules = v;
		}
		/* "version" is the library's, recorded by the server. */
	}
	strbuf sb = STRBUF_INIT;
	if (from) {
		/* A copy of a collation made earlier in this file: its
		 * definition under the new name. */
		const char *paren = strchr(from->definition, '(');
		strbuf_adds(&sb, "CREATE COLLATION ");
		pg_quote_qualified(&sb, schema, name);
		if (paren)
			strbuf_addf(&sb, " %s", paren);
		else
			strbuf_adds(&sb, strstr(from->definition, " FROM "));
	} else if (!resolved) {
		/* A collation of the server's (an ICU or libc locale it
		 * found at initdb): only a server knows what it holds. */
		strbuf_adds(&sb, "CREATE COLLATION ");
		pg_quote_qualified(&sb, schema, name);
		strbuf_adds(&sb, " FROM ");
		pg_quote_qualified(&sb, from_schema,
				   from_name ? from_name : "");
	} else {
		pg_collation_definition(&sb, &p);
	}
	m_collation *k = model_add_collation(c->m);
	k->schema = model_str(c->m, schema);
	k->name = model_str(c->m, name);
	k->definition = model_str(c->m, strbuf_str(&sb));
	strbuf_release(&sb);
	return 0;
}
