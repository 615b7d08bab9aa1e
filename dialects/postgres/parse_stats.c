/*
 * CREATE STATISTICS and ALTER STATISTICS ... SET STATISTICS: extended
 * statistics, written in the form pg_get_statisticsobjdef() prints so
 * that a file compared with a file needs no server.
 */
#include <stdlib.h>
#include <string.h>

#include "../../util/xalloc.h"
#include "parse_internal.h"
#include "pg.h"

/* The kinds in the server's order; a statistics object without a kinds
 * list has them all. */
static const char *const stat_kinds[] = {"ndistinct", "dependencies", "mcv"};
enum { NKINDS = sizeof(stat_kinds) / sizeof(*stat_kinds) };

static m_statistics *find_stats(model *m, const char *schema, const char *name)
{
	for (int i = 0; i < m->nstatistics; i++)
		if (!strcmp(m->statistics[i].schema, schema) &&
		    !strcmp(m->statistics[i].name, name))
			return &m->statistics[i];
	return NULL;
}

static int column_pos(const m_table *t, const char *name)
{
	for (int i = 0; t && i < t->ncolumns; i++)
		if (!strcmp(t->columns[i].name, name))
			return i;
	return -1;
}

typedef struct stat_col {
	const char *name;
	int pos;
} stat_col;

static int cmp_stat_col(const void *a, const void *b)
{
	const stat_col *x = a, *y = b;
	return (x->pos > y->pos) - (x->pos < y->pos);
}

/* "(dependencies, mcv) " or "" when every kind is on: the server leaves
 * the list out then, and for a lone expression (which has no kinds). */
static int add_kinds(pp_ctx *c, strbuf *sb, const PgQuery__CreateStatsStmt *s,
		     int ncols)
{
	bool on[NKINDS] = {false};
	int non = 0;
	for (size_t i = 0; i < s->n_stat_types; i++) {
		const char *k = pp_sval(s->stat_types[i]);
		int j = 0;
		while (j < NKINDS && (!k || strcmp(k, stat_kinds[j])))
			j++;
		if (j == NKINDS)
			return pp_fail(c, "unrecognized statistics kind \"%s\"",
				       k ? k : "?");
		non += !on[j];
		on[j] = true;
	}
	if (!non || non == NKINDS || ncols <= 1)
		return 0;
	strbuf_adds(sb, " (");
	for (int j = 0, n = 0; j < NKINDS; j++)
		if (on[j])
			strbuf_addf(sb, "%s%s", n++ ? ", " : "", stat_kinds[j]);
	strbuf_addch(sb, ')');
	return 0;
}

int pp_create_stats(pp_ctx *c, const PgQuery__CreateStatsStmt *s)
{
	const char *schema = NULL, *name = NULL;
	if (s->n_relations != 1 || s->relations[0]->node_case != NC(RANGE_VAR))
		return pp_fail(c, "CREATE STATISTICS needs exactly one table");
	const PgQuery__RangeVar *rv = s->relations[0]->range_var;
	if (!s->n_defnames ||
	    pp_qualname(s->defnames, s->n_defnames, &schema, &name))
		return pp_fail(c, "CREATE STATISTICS without a name is not "
				  "supported");
	/* An unqualified statistics object goes where its table is. */
	if (s->n_defnames == 1)
		schema = pp_rv_schema(rv);
	if (find_stats(c->m, schema, name)) {
		if (s->if_not_exists)
			return 0;
		return pp_fail(c, "statistics object \"%s.%s\" already exists",
			       schema, name);
	}
	const m_table *t = pp_lookup_table(c, pp_rv_schema(rv), rv->relname);
	if (!t && !pp_lookup_view(c, pp_rv_schema(rv), rv->relname))
		return pp_fail(c,
			       "CREATE STATISTICS on unknown table \"%s.%s\"",
			       pp_rv_schema(rv), rv->relname);

	/* Plain columns come first, in attribute order (the server keeps
	 * their numbers sorted), then the expressions as written. */
	stat_col *cols = xcalloc(s->n_exprs + 1, sizeof(*cols));
	int ncols = 0;
	for (size_t i = 0; i < s->n_exprs; i++) {
		const PgQuery__StatsElem *el = s->exprs[i]->stats_elem;
		if (!PP_STR(el->name))
			continue;
		cols[ncols].name = el->name;
		cols[ncols].pos = column_pos(t, el->name);
		ncols++;
	}
	qsort(cols, (size_t)ncols, sizeof(*cols), cmp_stat_col);

	strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, "CREATE STATISTICS ");
	pg_quote_qualified(&sb, schema, name);
	if (add_kinds(c, &sb, s, (int)s->n_exprs) < 0) {
		free(cols);
		strbuf_release(&sb);
		return -1;
	}
	strbuf_adds(&sb, " ON ");
	for (int i = 0; i < ncols; i++) {
		if (i)
			strbuf_adds(&sb, ", ");
		pg_quote_ident(&sb, cols[i].name);
	}
	free(cols);
	pp_env env = {t, NULL};
	int n = ncols;
	for (size_t i = 0; i < s->n_exprs; i++) {
		const PgQuery__StatsElem *el = s->exprs[i]->stats_elem;
		if (PP_STR(el->name))
			continue;
		strbuf_adds(&sb, n++ ? ", (" : "(");
		pp_expr_env(&sb, el->expr, &env);
		strbuf_addch(&sb, ')');
	}
	strbuf_adds(&sb, " FROM ");
	pg_quote_qualified(&sb, pp_rv_schema(rv), rv->relname);

	m_statistics *x = model_add_statistics(c->m);
	x->schema = model_str(c->m, schema);
	x->name = model_str(c->m, name);
	x->table_schema = model_str(c->m, pp_rv_schema(rv));
	x->table = model_str(c->m, rv->relname);
	x->definition = model_str(c->m, strbuf_str(&sb));
	x->comment = model_str(c->m, PP_STR(s->stxcomment));
	strbuf_release(&sb);
	return 0;
}

int pp_alter_stats(pp_ctx *c, const PgQuery__AlterStatsStmt *s)
{
	const char *schema = NULL, *name = NULL;
	if (pp_qualname(s->defnames, s->n_defnames, &schema, &name))
		return pp_fail(c, "ALTER STATISTICS: unusable name");
	m_statistics *x = find_stats(c->m, schema, name);
	if (!x) {
		if (s->missing_ok)
			return 0;
		return pp_fail(c, "statistics object \"%s.%s\" does not exist",
			       schema, name);
	}
	x->stattarget =
	    s->stxstattarget < 0
		? NULL
		: arena_sprintf(&c->m->arena, "%d", (int)s->stxstattarget);
	return 0;
}

/* COMMENT ON STATISTICS: -1 when the file defines no such object. */
int pp_comment_stats(pp_ctx *c, const pnode *o, const char *text)
{
	const char *schema = NULL, *name = NULL;
	if (!o || o->node_case != NC(LIST) ||
	    pp_qualname(o->list->items, o->list->n_items, &schema, &name))
		return -1;
	m_statistics *x = find_stats(c->m, schema, name);
	if (!x)
		return -1;
	x->comment = text ? model_str(c->m, text) : NULL;
	return 0;
}
