/*
 * Column and index column settings that pg_dump writes as ALTER
 * statements: statistics targets, storage and attribute options
 * (n_distinct). They change plans and TOAST, not the shape of a table,
 * but a schema that loses them is not the same schema.
 */
#include <stdlib.h>
#include <string.h>

#include "../../util/xalloc.h"
#include "parse_internal.h"
#include "pg.h"

char pp_type_storage(const char *type)
{
	/* typstorage of the built-in types a column commonly has; arrays
	 * are extended. Fixed-length types are plain. */
	static const struct {
		const char *type;
		char storage;
	} known[] = {
	    {"text", 'x'},
	    {"character varying", 'x'},
	    {"character", 'x'},
	    {"bytea", 'x'},
	    {"json", 'x'},
	    {"jsonb", 'x'},
	    {"xml", 'x'},
	    {"tsvector", 'x'},
	    {"numeric", 'm'},
	    {"inet", 'm'},
	    {"cidr", 'm'},
	    {"integer", 'p'},
	    {"bigint", 'p'},
	    {"smallint", 'p'},
	    {"boolean", 'p'},
	    {"real", 'p'},
	    {"double precision", 'p'},
	    {"date", 'p'},
	    {"uuid", 'p'},
	    {"timestamp", 'p'},
	};
	if (!type)
		return 0;
	size_t n = strlen(type);
	if (n > 2 && !strcmp(type + n - 2, "[]"))
		return 'x';
	size_t base = strcspn(type, "(");
	for (size_t i = 0; i < sizeof(known) / sizeof(*known); i++)
		if (strlen(known[i].type) <= base &&
		    !strncmp(type, known[i].type, strlen(known[i].type)) &&
		    (base == strlen(known[i].type) || type[base] == '('))
			return known[i].storage;
	if (!strncmp(type, "timestamp", 9) || !strncmp(type, "time", 4))
		return 'p';
	return 0;
}

static int cmp_option(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* attoptions after SET (k=v) or RESET (k): sorted "k=v" items. */
static char *merge_options(pp_ctx *c, const char *old, const pnode *list,
			   bool reset)
{
	char **items = NULL;
	size_t n = 0, alloc = 0;
	char *copy = old ? xstrdup(old) : NULL, *save = NULL;
	for (char *p = copy ? strtok_r(copy, ",", &save) : NULL; p;
	     p = strtok_r(NULL, ",", &save)) {
		ALLOC_GROW(items, n + 1, alloc);
		items[n++] = p;
	}
	for (size_t i = 0;
	     list && list->node_case == NC(LIST) && i < list->list->n_items;
	     i++) {
		const pnode *it = list->list->items[i];
		if (it->node_case != NC(DEF_ELEM))
			continue;
		const PgQuery__DefElem *d = it->def_elem;
		size_t klen = strlen(d->defname);
		for (size_t k = 0; k < n; k++)
			if (!strncmp(items[k], d->defname, klen) &&
			    items[k][klen] == '=')
				items[k--] = items[--n];
		if (reset)
			continue;
		const pnode *v = d->arg;
		ALLOC_GROW(items, n + 1, alloc);
		if (v && v->node_case == NC(INTEGER))
			items[n++] =
			    arena_sprintf(&c->m->arena, "%s=%d", d->defname,
					  v->integer->ival);
		else
			items[n++] = arena_sprintf(
			    &c->m->arena, "%s=%s", d->defname,
			    !v				 ? "true"
			    : v->node_case == NC(STRING) ? v->string->sval
			    : v->node_case == NC(FLOAT)	 ? v->float_->fval
							 : "");
	}
	if (n)
		qsort(items, n, sizeof(char *), cmp_option);
	strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < n; i++)
		strbuf_addf(&sb, "%s%s", i ? "," : "", items[i]);
	char *r = sb.len ? model_str(c->m, strbuf_str(&sb)) : NULL;
	strbuf_release(&sb);
	free(items);
	free(copy);
	return r;
}

static int stattarget_of(const PgQuery__AlterTableCmd *cmd)
{
	return cmd->def && cmd->def->node_case == NC(INTEGER)
		   ? cmd->def->integer->ival
		   : -1;
}

int pp_alter_column_settings(pp_ctx *c, m_table *t,
			     const PgQuery__AlterTableCmd *cmd)
{
	m_column *col =
	    PP_STR(cmd->name) ? model_table_find_column(t, cmd->name) : NULL;
	if (!col) {
		pp_warn(c,
			"column settings of \"%s.%s\": no such column; "
			"ignored",
			t->schema, t->name);
		return 0;
	}
	switch (cmd->subtype) {
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetStatistics: {
		int n = stattarget_of(cmd);
		col->stattarget =
		    n < 0 ? NULL : arena_sprintf(&c->m->arena, "%d", n);
		break;
	}
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetStorage: {
		const char *v = pp_sval(cmd->def);
		char st = !v			       ? 0
			  : !strcasecmp(v, "plain")    ? 'p'
			  : !strcasecmp(v, "external") ? 'e'
			  : !strcasecmp(v, "main")     ? 'm'
			  : !strcasecmp(v, "extended") ? 'x'
						       : 0;
		/* The model holds only what differs from the type's
		 * default, as introspection does. */
		col->type_storage = pp_type_storage(col->type);
		col->storage = st == col->type_storage ? 0 : st;
		break;
	}
	default:
		col->options = merge_options(
		    c, col->options, cmd->def,
		    cmd->subtype ==
			PG_QUERY__ALTER_TABLE_TYPE__AT_ResetOptions);
	}
	return 0;
}

void pp_alter_index_stattarget(pp_ctx *c, const PgQuery__RangeVar *rv,
			       const PgQuery__AlterTableCmd *cmd)
{
	m_index *x = pp_lookup_index(c, pp_rv_schema(rv), rv->relname);
	if (!x || cmd->num <= 0) {
		pp_warn(c,
			"statistics target of index \"%s\" not read: "
			"unknown index or column; ignored",
			rv->relname);
		return;
	}
	/* "n=m" by column number, kept in column order. */
	strbuf sb = STRBUF_INIT;
	int n = stattarget_of(cmd);
	bool placed = false;
	const char *p = x->stattargets;
	while (p && *p) {
		int col = atoi(p);
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (!placed && col >= cmd->num) {
			if (n >= 0)
				strbuf_addf(&sb, "%s%d=%d", sb.len ? "," : "",
					    cmd->num, n);
			placed = true;
		}
		if (col != cmd->num) {
			strbuf_addf(&sb, "%s", sb.len ? "," : "");
			strbuf_add(&sb, p, len);
		}
		p = end ? end + 1 : NULL;
	}
	if (!placed && n >= 0)
		strbuf_addf(&sb, "%s%d=%d", sb.len ? "," : "", cmd->num, n);
	x->stattargets = sb.len ? model_str(c->m, strbuf_str(&sb)) : NULL;
	strbuf_release(&sb);
}
