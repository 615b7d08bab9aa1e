/*
 * Text search in a DDL file: CREATE TEXT SEARCH DICTIONARY and
 * CONFIGURATION, ALTER ... (options) / ADD, ALTER, DROP MAPPING,
 * COMMENT and DROP. A configuration made with COPY = holds the mappings
 * it copied (the built-in ones are known offline, textsearch.c), so that
 * a file compares with a live database mapping for mapping.
 */
#include <string.h>

#include "parse_internal.h"
#include "pg.h"
#include "textsearch.h"

static m_ts_dict *find_dict(model *m, const char *schema, const char *name,
			    int *at)
{
	for (int i = 0; i < m->nts_dicts; i++)
		if (!strcmp(m->ts_dicts[i].schema, schema) &&
		    !strcmp(m->ts_dicts[i].name, name)) {
			*at = i;
			return &m->ts_dicts[i];
		}
	return NULL;
}

static m_ts_config *find_config(model *m, const char *schema, const char *name,
				int *at)
{
	for (int i = 0; i < m->nts_configs; i++)
		if (!strcmp(m->ts_configs[i].schema, schema) &&
		    !strcmp(m->ts_configs[i].name, name)) {
			*at = i;
			return &m->ts_configs[i];
		}
	return NULL;
}

/* A name list, or a TypeName (what the grammar makes of a bare name
 * in a definition), or a String (a keyword such as "default"). */
static int name_parts(const pnode *n, pnode ***items, size_t *count)
{
	if (n && n->node_case == NC(LIST)) {
		*items = n->list->items;
		*count = n->list->n_items;
		return 0;
	}
	if (n && n->node_case == NC(TYPE_NAME)) {
		*items = n->type_name->names;
		*count = n->type_name->n_names;
		return 0;
	}
	return -1;
}

/* A dictionary, template or parser as regdictionary and friends print
 * it under an empty search_path: unqualified in pg_catalog. An
 * unqualified name is a built-in one when the server has one of that
 * name, else the file's own (public). */
static char *visible(pp_ctx *c, const pnode *n, bool (*builtin)(const char *))
{
	const char *schema = NULL, *name = NULL;
	pnode **items;
	size_t count;
	if (n && n->node_case == NC(STRING)) {
		name = pp_sval(n);
	} else if (name_parts(n, &items, &count) ||
		   pp_qualname(items, count, &schema, &name)) {
		return NULL;
	} else if (count == 1) {
		schema = NULL;
	}
	if (!name)
		return NULL;
	if (!schema && !builtin(name))
		schema = "public";
	strbuf sb = STRBUF_INIT;
	pp_visible_name(&sb, schema, name);
	char *r = model_str(c->m, strbuf_str(&sb));
	strbuf_release(&sb);
	return r;
}

/* A DefElem's value as defGetString() reads it, and whether the server
 * serialises it unquoted (a number). */
static const char *def_value(pp_ctx *c, const pnode *a, bool *number)
{
	*number = false;
	if (!a)
		return NULL;
	switch (a->node_case) {
	case NC(STRING):
		return a->string->sval;
	case NC(INTEGER):
		*number = true;
		return arena_sprintf(&c->m->arena, "%d", a->integer->ival);
	case NC(FLOAT):
		*number = true;
		return a->float_->fval;
	case NC(BOOLEAN):
		return a->boolean->boolval ? "true" : "false";
	case NC(TYPE_NAME): {
		/* TypeNameToString(): the names joined with dots. */
		strbuf sb = STRBUF_INIT;
		for (size_t i = 0; i < a->type_name->n_names; i++) {
			if (i)
				strbuf_addch(&sb, '.');
			strbuf_adds(&sb, pp_sval(a->type_name->names[i])
					     ? pp_sval(a->type_name->names[i])
					     : "");
		}
		char *r = model_str(c->m, strbuf_str(&sb));
		strbuf_release(&sb);
		return r;
	}
	default:
		return NULL;
	}
}

/* The dictionary or configuration (objtype) a name list names: its array
 * position in *at, or NULL. */
static void *lookup(pp_ctx *c, int objtype, pnode **items, size_t n, int *at)
{
	const char *schema, *name;
	if (pp_qualname(items, n, &schema, &name))
		return NULL;
	if (objtype == PG_QUERY__OBJECT_TYPE__OBJECT_TSDICTIONARY)
		return find_dict(c->m, schema, name, at);
	return find_config(c->m, schema, name, at);
}

/* The same for ALTER, which warns about one the file does not define. */
static void *lookup_altered(pp_ctx *c, int objtype, pnode **items, size_t n)
{
	int at;
	void *x = lookup(c, objtype, items, n, &at);
	if (!x)
		pp_warn(c,
			"ALTER TEXT SEARCH %s of one this file does not "
			"define; ignored",
			objtype == PG_QUERY__OBJECT_TYPE__OBJECT_TSDICTIONARY
			    ? "DICTIONARY"
			    : "CONFIGURATION");
	return x;
}

/* A COMMENT's or DROP's object: a name list (or TypeName). */
static void *find_named(pp_ctx *c, int objtype, const pnode *o, int *at)
{
	pnode **items;
	size_t count;
	if (name_parts(o, &items, &count))
		return NULL;
	return lookup(c, objtype, items, count, at);
}

/* ---- dictionaries ---------------------------------------------------- */

/* ALTER TEXT SEARCH DICTIONARY ... (options), as AlterTSDictionary()
 * merges them: an option given again is removed from where it was and
 * appended (with its new value; without one, only removed). */
static void merge_options(pp_ctx *c, m_ts_dict *d, pnode **opts, size_t n)
{
	strbuf kept = STRBUF_INIT, key = STRBUF_INIT;
	const char *cur = d->options;
	for (size_t i = 0; i < n; i++) {
		const PgQuery__DefElem *o = opts[i]->def_elem;
		strbuf_reset(&key);
		pg_quote_ident(&key, o->defname);
		strbuf_reset(&kept);
		const char *p = cur, *k, *end;
		size_t klen;
		while (p && *p) {
			const char *start = p;
			p = pg_ts_next_option(p, &k, &klen, &end);
			if (klen == key.len && !strncmp(k, key.buf, klen))
				continue;
			if (kept.len)
				strbuf_adds(&kept, ", ");
			strbuf_add(&kept, start, (size_t)(end - start));
		}
		bool number;
		const char *v = def_value(c, o->arg, &number);
		if (v)
			pg_ts_dict_option(&kept, o->defname, v, number);
		cur = kept.len ? model_str(c->m, strbuf_str(&kept)) : NULL;
	}
	d->options = (char *)cur;
	strbuf_release(&kept);
	strbuf_release(&key);
}

static int create_dict(pp_ctx *c, const char *schema, const char *name,
		       const PgQuery__DefineStmt *s)
{
	int at;
	if (find_dict(c->m, schema, name, &at))
		return pp_fail(
		    c, "text search dictionary \"%s.%s\" already exists",
		    schema, name);
	m_ts_dict *d = model_add_ts_dict(c->m);
	d->schema = model_str(c->m, schema);
	d->name = model_str(c->m, name);
	strbuf opts = STRBUF_INIT;
	for (size_t i = 0; i < s->n_definition; i++) {
		const PgQuery__DefElem *o = s->definition[i]->def_elem;
		bool number;
		if (!strcmp(o->defname, "template")) {
			d->template_name =
			    visible(c, o->arg, pg_ts_builtin_template);
			continue;
		}
		const char *v = def_value(c, o->arg, &number);
		if (v)
			pg_ts_dict_option(&opts, o->defname, v, number);
	}
	if (opts.len)
		d->options = model_str(c->m, strbuf_str(&opts));
	strbuf_release(&opts);
	if (!d->template_name)
		return pp_fail(c, "text search template is required");
	return 0;
}

int pp_alter_ts_dict(pp_ctx *c, const PgQuery__AlterTSDictionaryStmt *s)
{
	m_ts_dict *d =
	    lookup_altered(c, PG_QUERY__OBJECT_TYPE__OBJECT_TSDICTIONARY,
			   s->dictname, s->n_dictname);
	if (!d)
		return 0;
	merge_options(c, d, s->options, s->n_options);
	return 0;
}

/* ---- configurations -------------------------------------------------- */

static m_ts_map *find_map(m_ts_config *cfg, const char *token)
{
	for (int i = 0; i < cfg->nmappings; i++)
		if (!strcmp(cfg->mappings[i].token, token))
			return &cfg->mappings[i];
	return NULL;
}

static void set_map(pp_ctx *c, m_ts_config *cfg, const char *token,
		    const char *dicts)
{
	m_ts_map *map = find_map(cfg, token);
	if (!map) {
		map = ARENA_PUSH(&c->m->arena, cfg->mappings, cfg->nmappings,
				 cfg->cmappings);
		map->token = model_str(c->m, token);
	}
	map->dicts = model_str(c->m, dicts);
}

/* COPY = another configuration: a built-in one from what schemig knows
 * of it, one made earlier in this file from the model. */
static int copy_config(pp_ctx *c, m_ts_config *cfg, const pnode *arg)
{
	const char *schema = NULL, *name = NULL;
	pnode **items;
	size_t count;
	if (name_parts(arg, &items, &count) ||
	    pp_qualname(items, count, &schema, &name))
		return pp_fail(c, "unusable name in COPY");
	const char *tokens[PG_TS_BUILTIN_TOKENS], *dicts[PG_TS_BUILTIN_TOKENS];
	int n = -1, at;
	if (count == 1 || !strcmp(schema, "pg_catalog"))
		n = pg_ts_builtin_mappings(name, tokens, dicts);
	if (n >= 0) {
		cfg->parser = model_str(c->m, "\"default\"");
		for (int i = 0; i < n; i++)
			set_map(c, cfg, tokens[i], dicts[i]);
		return 0;
	}
	const m_ts_config *from = find_config(c->m, schema, name, &at);
	if (!from) {
		/* Only a server knows what it would copy: never equal. */
		pp_warn(c,
			"COPY of text search configuration %s.%s, which "
			"this file does not define: its mappings are not "
			"known",
			schema, name);
		cfg->parser = model_str(c->m, "\"default\"");
		return 0;
	}
	cfg->parser = from->parser;
	/* set_map may grow the array `from` lives in: index, not pointer. */
	int nfrom = from->nmappings, src = at;
	for (int i = 0; i < nfrom; i++)
		set_map(c, cfg, c->m->ts_configs[src].mappings[i].token,
			c->m->ts_configs[src].mappings[i].dicts);
	return 0;
}

static int create_config(pp_ctx *c, const char *schema, const char *name,
			 const PgQuery__DefineStmt *s)
{
	int at;
	if (find_config(c->m, schema, name, &at))
		return pp_fail(c,
			       "text search configuration \"%s.%s\" already "
			       "exists",
			       schema, name);
	m_ts_config *cfg = model_add_ts_config(c->m);
	cfg->schema = model_str(c->m, schema);
	cfg->name = model_str(c->m, name);
	int idx = c->m->nts_configs - 1;
	for (size_t i = 0; i < s->n_definition; i++) {
		const PgQuery__DefElem *o = s->definition[i]->def_elem;
		if (!strcmp(o->defname, "parser"))
			c->m->ts_configs[idx].parser =
			    visible(c, o->arg, pg_ts_builtin_parser);
		else if (!strcmp(o->defname, "copy") &&
			 copy_config(c, &c->m->ts_configs[idx], o->arg))
			return -1;
	}
	if (!c->m->ts_configs[idx].parser)
		return pp_fail(c, "text search parser is required");
	return 0;
}

/* The dictionaries of a mapping, comma-space, as the model spells them. */
static char *dict_list(pp_ctx *c, pnode **dicts, size_t n, size_t from)
{
	strbuf sb = STRBUF_INIT;
	for (size_t i = from; i < n; i++) {
		char *d = visible(c, dicts[i], pg_ts_builtin_dict);
		if (!d)
			continue;
		if (sb.len)
			strbuf_adds(&sb, ", ");
		strbuf_adds(&sb, d);
	}
	char *r = model_str(c->m, strbuf_str(&sb));
	strbuf_release(&sb);
	return r;
}

/* ALTER MAPPING [FOR ...] REPLACE old WITH new: in every list (of the
 * tokens named, or all), the old dictionary becomes the new one. */
static void replace_dict(pp_ctx *c, m_ts_config *cfg, const char *old,
			 const char *new, const char *token)
{
	for (int i = 0; i < cfg->nmappings; i++) {
		m_ts_map *map = &cfg->mappings[i];
		if (token && strcmp(map->token, token))
			continue;
		strbuf sb = STRBUF_INIT;
		const char *p = map->dicts;
		while (p && *p) {
			const char *e = strstr(p, ", ");
			size_t l = e ? (size_t)(e - p) : strlen(p);
			if (sb.len)
				strbuf_adds(&sb, ", ");
			if (l == strlen(old) && !strncmp(p, old, l))
				strbuf_adds(&sb, new);
			else
				strbuf_add(&sb, p, l);
			p = e ? e + 2 : NULL;
		}
		map->dicts = model_str(c->m, strbuf_str(&sb));
		strbuf_release(&sb);
	}
}

int pp_alter_ts_config(pp_ctx *c, const PgQuery__AlterTSConfigurationStmt *s)
{
	m_ts_config *cfg =
	    lookup_altered(c, PG_QUERY__OBJECT_TYPE__OBJECT_TSCONFIGURATION,
			   s->cfgname, s->n_cfgname);
	if (!cfg)
		return 0;
	switch (s->kind) {
	case PG_QUERY__ALTER_TSCONFIG_TYPE__ALTER_TSCONFIG_ADD_MAPPING:
	case PG_QUERY__ALTER_TSCONFIG_TYPE__ALTER_TSCONFIG_ALTER_MAPPING_FOR_TOKEN: {
		char *dicts = dict_list(c, s->dicts, s->n_dicts, 0);
		for (size_t i = 0; i < s->n_tokentype; i++)
			if (pp_sval(s->tokentype[i]))
				set_map(c, cfg, pp_sval(s->tokentype[i]),
					dicts);
		break;
	}
	case PG_QUERY__ALTER_TSCONFIG_TYPE__ALTER_TSCONFIG_REPLACE_DICT:
	case PG_QUERY__ALTER_TSCONFIG_TYPE__ALTER_TSCONFIG_REPLACE_DICT_FOR_TOKEN: {
		if (s->n_dicts != 2)
			return pp_fail(c, "ALTER MAPPING REPLACE takes two "
					  "dictionaries");
		char *old = dict_list(c, s->dicts, 1, 0);
		char *new = dict_list(c, s->dicts, 2, 1);
		if (!s->n_tokentype)
			replace_dict(c, cfg, old, new, NULL);
		for (size_t i = 0; i < s->n_tokentype; i++)
			if (pp_sval(s->tokentype[i]))
				replace_dict(c, cfg, old, new,
					     pp_sval(s->tokentype[i]));
		break;
	}
	case PG_QUERY__ALTER_TSCONFIG_TYPE__ALTER_TSCONFIG_DROP_MAPPING:
		for (size_t i = 0; i < s->n_tokentype; i++)
			for (int j = 0; j < cfg->nmappings; j++)
				if (pp_sval(s->tokentype[i]) &&
				    !strcmp(cfg->mappings[j].token,
					    pp_sval(s->tokentype[i]))) {
					PP_REMOVE_AT(cfg->mappings,
						     cfg->nmappings, j);
					break;
				}
		break;
	default:
		break;
	}
	return 0;
}

int pp_create_ts(pp_ctx *c, const PgQuery__DefineStmt *s)
{
	const char *schema = NULL, *name = NULL;
	if (pp_qualname(s->defnames, s->n_defnames, &schema, &name))
		return pp_fail(c, "unusable name in CREATE TEXT SEARCH");
	if (s->kind == PG_QUERY__OBJECT_TYPE__OBJECT_TSDICTIONARY)
		return create_dict(c, schema, name, s);
	return create_config(c, schema, name, s);
}

/* ---- COMMENT and DROP ------------------------------------------------ */

int pp_comment_ts(pp_ctx *c, int objtype, const pnode *o, const char *text)
{
	int at;
	if (!find_named(c, objtype, o, &at))
		return -1;
	char *t = text ? model_str(c->m, text) : NULL;
	if (objtype == PG_QUERY__OBJECT_TYPE__OBJECT_TSDICTIONARY)
		c->m->ts_dicts[at].comment = t;
	else
		c->m->ts_configs[at].comment = t;
	return 0;
}

bool pp_drop_ts(pp_ctx *c, int objtype, const pnode *o)
{
	int at;
	if (!find_named(c, objtype, o, &at))
		return false;
	if (objtype == PG_QUERY__OBJECT_TYPE__OBJECT_TSDICTIONARY)
		PP_REMOVE_AT(c->m->ts_dicts, c->m->nts_dicts, at);
	else
		PP_REMOVE_AT(c->m->ts_configs, c->m->nts_configs, at);
	return true;
}
