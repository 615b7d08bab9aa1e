/*
 * A key made from an existing index: ALTER TABLE ... ADD [CONSTRAINT c]
 * PRIMARY KEY / UNIQUE USING INDEX i (parse_table.c's constraints hand
 * it here).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/xalloc.h"
#include "parse_internal.h"
#include "pg.h"

/*
 * The key columns of index `ix` as its canonical definition lists them
 * ("CREATE UNIQUE INDEX i ON s.t USING btree (a, \"B c\")"): 0, or -1
 * when the index is not one the server lets back a key (partial, an
 * expression, an operator class or a sort order, INCLUDE columns).
 */
static int plain_index_columns(const m_index *ix, char ***cols, size_t *ncols)
{
	const char *d =
	    ix->definition ? strstr(ix->definition, " USING ") : NULL;
	const char *open = d ? strchr(d, '(') : NULL;
	const char *close = open ? strchr(open, ')') : NULL;
	size_t cap = 0;
	if (!open || !close || close[1] != '\0')
		return -1;
	for (const char *p = open + 1; p < close;) {
		strbuf name = STRBUF_INIT;
		if (*p == '"') {
			for (p++; p < close; p++) {
				if (*p == '"' && p[1] == '"')
					strbuf_addch(&name, *p++);
				else if (*p == '"')
					break;
				else
					strbuf_addch(&name, *p);
			}
			p++;
		} else {
			while (p < close && (isalnum((unsigned char)*p) ||
					     *p == '_' || *p == '$'))
				strbuf_addch(&name, *p++);
		}
		bool ok = name.len && (p == close || !strncmp(p, ", ", 2));
		if (ok) {
			ALLOC_GROW(*cols, *ncols + 1, cap);
			(*cols)[(*ncols)++] = strbuf_detach(&name);
		}
		strbuf_release(&name);
		if (!ok)
			return -1;
		p += p == close ? 0 : 2;
	}
	return *ncols ? 0 : -1;
}

/*
 * ADD CONSTRAINT ... PRIMARY KEY / UNIQUE USING INDEX i: the existing
 * unique index becomes the constraint's (renamed to the constraint's
 * name, when it has one), so it leaves the model's index list, as the
 * catalog then lists the constraint alone.
 */
int pp_add_using_index(pp_ctx *c, m_table *t, const pp_con *p, char kind)
{
	const char *iname = p->k->indexname;
	m_index *ix = NULL;
	int at = -1;
	for (int i = 0; i < c->m->nindexes; i++)
		if (!strcmp(c->m->indexes[i].schema, t->schema) &&
		    !strcmp(c->m->indexes[i].name, iname)) {
			ix = &c->m->indexes[i];
			at = i;
		}
	if (!ix)
		return pp_fail(c, "index \"%s\" does not exist", iname), -1;
	char **cols = NULL;
	size_t ncols = 0;
	if (!ix->unique || strcmp(ix->table, t->name) ||
	    plain_index_columns(ix, &cols, &ncols) < 0) {
		for (size_t i = 0; i < ncols; i++)
			free(cols[i]);
		free(cols);
		return pp_fail(c,
			       "index \"%s\" cannot back a key of %s: it must "
			       "be a unique index of its plain columns",
			       iname, t->name),
		       -1;
	}
	const char *name = PP_STR(p->k->conname) ? p->k->conname : iname;
	m_constraint *k = pp_new_con(c, t, name);
	int ret = k ? 0 : -1;
	if (k) {
		strbuf sb = STRBUF_INIT;
		strbuf_adds(&sb, kind == 'p' ? "PRIMARY KEY " : "UNIQUE ");
		pp_quoted_list(&sb, cols, (int)ncols);
		pp_deferrable_suffix(&sb, p);
		k->kind = kind;
		k->deferrable = p->deferrable;
		k->deferred = p->deferred;
		k->definition = model_str(c->m, strbuf_str(&sb));
		strbuf_release(&sb);
		for (size_t i = 0; i < ncols; i++) {
			*ARENA_PUSH(&c->m->arena, k->columns, k->ncolumns,
				    k->ccolumns) = model_str(c->m, cols[i]);
			m_column *col = model_table_find_column(t, cols[i]);
			if (col && kind == 'p')
				col->not_null = true;
		}
		PP_REMOVE_AT(c->m->indexes, c->m->nindexes, at);
		pp_names_stale(c); /* the name maps index that array */
	}
	for (size_t i = 0; i < ncols; i++)
		free(cols[i]);
	free(cols);
	return ret;
}
