/*
 * Column and index column settings: statistics targets, storage and
 * attribute options (n_distinct). Each is one ALTER on an existing
 * column, after the tables and indexes are in their final shape.
 */
#include "pg.h"

#include <string.h>

#include "diff_internal.h"

static const char *storage_word(char st)
{
	switch (st) {
	case 'p':
		return "PLAIN";
	case 'e':
		return "EXTERNAL";
	case 'm':
		return "MAIN";
	default:
		return "EXTENDED";
	}
}

/* Is option item `item` ("k=v") in the comma-separated list? With
 * key_only, any value of the same key counts. */
static bool has_option(const char *list, const char *item, bool key_only)
{
	size_t len = key_only ? strcspn(item, "=") : strlen(item);
	for (const char *p = list; p && *p;) {
		size_t n = strcspn(p, ",");
		if (key_only
			? n > len && !strncmp(p, item, len) && p[len] == '='
			: n == len && !strncmp(p, item, len))
			return true;
		p += n;
		if (*p)
			p++;
	}
	return false;
}

/* RESET (keys gone) and SET (items new or changed). */
static void options_change(diff_ctx *c, const char *prefix, const m_table *t,
			   const m_column *col, const char *obj,
			   const char *old, const char *new)
{
	strbuf reset = STRBUF_INIT, set = STRBUF_INIT;
	for (int pass = 0; pass < 2; pass++) {
		const char *list = pass ? new : old;
		for (const char *p = list; p && *p;) {
			size_t n = strcspn(p, ",");
			char *item = arena_strndup(&c->arena, p, n);
			if (!pass && !has_option(new, item, true)) {
				strbuf_adds(&reset, reset.len ? ", " : "");
				strbuf_add(&reset, item, strcspn(item, "="));
			} else if (pass && !has_option(old, item, false)) {
				strbuf_addf(&set, "%s%s", set.len ? ", " : "",
					    item);
			}
			p += n;
			if (*p)
				p++;
		}
	}
	if (reset.len)
		diff_on(diff_emit(c, PH_CONSTRAINT, PGC_SET_COLUMN_OPTIONS, obj,
				  arena_sprintf(&c->arena, "%s RESET (%s)",
						prefix, strbuf_str(&reset))),
			0, t->schema, t->name, col->name, NULL);
	if (set.len)
		diff_on(diff_emit(c, PH_CONSTRAINT, PGC_SET_COLUMN_OPTIONS, obj,
				  arena_sprintf(&c->arena, "%s SET (%s)",
						prefix, strbuf_str(&set))),
			0, t->schema, t->name, col->name, NULL);
	strbuf_release(&reset);
	strbuf_release(&set);
}

static void column_settings(diff_ctx *c, const m_table *t, const m_column *a,
			    const m_column *b)
{
	const char *obj = diff_qname3(c, t->schema, t->name, b->name);
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "ALTER TABLE %s ALTER COLUMN ",
		    diff_qname(c, t->schema, t->name));
	pg_quote_ident(&sb, b->name);
	const char *prefix = arena_strdup(&c->arena, strbuf_str(&sb));
	strbuf_release(&sb);
	if (!diff_streq(a ? a->stattarget : NULL, b->stattarget))
		diff_on(diff_emit(c, PH_CONSTRAINT, PGC_SET_STATISTICS, obj,
				  arena_sprintf(
				      &c->arena, "%s SET STATISTICS %s", prefix,
				      b->stattarget ? b->stattarget : "-1")),
			0, t->schema, t->name, b->name, NULL);
	char old_st = a ? a->storage : 0;
	if (old_st != b->storage) {
		/* Back to the type's default, as either side knows it. */
		char st = b->storage		 ? b->storage
			  : b->type_storage	 ? b->type_storage
			  : a && a->type_storage ? a->type_storage
						 : 'x';
		diff_on(diff_emit(c, PH_CONSTRAINT, PGC_SET_STORAGE, obj,
				  arena_sprintf(&c->arena, "%s SET STORAGE %s",
						prefix, storage_word(st))),
			0, t->schema, t->name, b->name, NULL);
	}
	if (!diff_streq(a ? a->options : NULL, b->options))
		options_change(c, prefix, t, b, obj, a ? a->options : NULL,
			       b->options);
}

/* "n=m,..." lists: SET STATISTICS for every column whose target is
 * new or changed, -1 for those gone. */
static void index_settings(diff_ctx *c, const m_index *x, const char *old)
{
	const char *q = diff_qname(c, x->schema, x->name);
	for (int pass = 0; pass < 2; pass++) {
		const char *list = pass ? x->stattargets : old;
		for (const char *p = list; p && *p;) {
			size_t n = strcspn(p, ",");
			char *item = arena_strndup(&c->arena, p, n);
			size_t eq = strcspn(item, "=");
			bool emit =
			    pass ? !has_option(old, item, false)
				 : !has_option(x->stattargets, item, true);
			if (emit && item[eq])
				diff_on(
				    diff_emit(
					c, PH_TRIGGER, PGC_SET_STATISTICS, q,
					arena_sprintf(
					    &c->arena,
					    "ALTER INDEX %s ALTER COLUMN %.*s "
					    "SET STATISTICS %s",
					    q, (int)eq, item,
					    pass ? item + eq + 1 : "-1")),
				    CHANGE_OBJ_INDEX, x->schema, x->table,
				    x->name, NULL);
			p += n;
			if (*p)
				p++;
		}
	}
}

int diff_settings(diff_ctx *c, error *e)
{
	(void)e;
	const model *f = c->from, *t = c->to;
	for (int i = 0; i < t->ntables; i++) {
		const m_table *b = &t->tables[i];
		const m_table *a = model_find_table(f, b->schema, b->name);
		for (int k = 0; k < b->ncolumns; k++) {
			const m_column *cb = &b->columns[k];
			const m_column *ca =
			    a ? model_table_find_column(a, cb->name) : NULL;
			column_settings(c, b, ca, cb);
		}
	}
	/* An index whose definition changes is created anew, without its
	 * old settings. */
	MERGE_WALK(
	    f->nindexes, t->nindexes,
	    diff_cmp_qualified(f->indexes[i_].schema, f->indexes[i_].name,
			       t->indexes[j_].schema, t->indexes[j_].name),
	    (void)0, index_settings(c, &t->indexes[j_], NULL), {
		    const m_index *a = &f->indexes[i_];
		    const m_index *b = &t->indexes[j_];
		    index_settings(c, b,
				   diff_streq(a->definition, b->definition)
				       ? a->stattargets
				       : NULL);
	    });
	return 0;
}
