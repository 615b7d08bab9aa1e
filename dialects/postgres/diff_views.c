/*
 * Views and materialized views.
 *
 * A view that changes, or that reads a table whose columns change type or
 * go, or a function that is re-created, or another such view, is dropped
 * before the change and created again after it. The drop/create pair is
 * always correct, where CREATE OR REPLACE VIEW fails as soon as a column
 * is renamed, removed or retyped, which the model cannot see.
 */
#include "pg.h"

#include <stdlib.h>
#include <string.h>

#include "../../util/xalloc.h"
#include "diff_internal.h"

typedef struct dep_edge {
	const char *key; /* the relation or function read */
	int view;	 /* index of the from view that reads it */
} dep_edge;

static int cmp_edge(const void *a, const void *b)
{
	const dep_edge *x = a, *y = b;
	int r = strcmp(x->key, y->key);
	return r ? r : (x->view > y->view) - (x->view < y->view);
}

static bool view_changed(const m_view *a, const m_view *b)
{
	return a->materialized != b->materialized ||
	       !diff_streq(a->definition, b->definition) ||
	       !diff_streq(a->options, b->options) ||
	       !diff_streq(a->check_option, b->check_option);
}

static const char *view_word(const m_view *v)
{
	return v->materialized ? "MATERIALIZED VIEW" : "VIEW";
}

static bool ident_char(char ch)
{
	return ch == '_' || (ch >= 'a' && ch <= 'z') ||
	       (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       (unsigned char)ch >= 0x80;
}

/* Dependencies on functions are not always known: a view whose query
 * calls a function of the same name as a re-created one ("name(") is
 * re-created too. A false match only costs a needless re-creation. */
static bool calls_refn(const diff_ctx *c, const char *def)
{
	for (int i = 0; def && i < c->nrefns; i++) {
		size_t n = strlen(c->refns[i]);
		for (const char *p = strstr(def, c->refns[i]); p;
		     p = strstr(p + 1, c->refns[i]))
			if ((p == def || !ident_char(p[-1])) &&
			    (p[n] == '(' || (p[n] == '"' && p[n + 1] == '(')))
				return true;
	}
	return false;
}

/* Mark from-views that must be dropped, following the reverse
 * dependencies breadth-first so that the cost stays O(n log n). */
static bool *views_to_drop(diff_ctx *c)
{
	const model *f = c->from;
	bool *drop = xcalloc((size_t)f->nviews + 1, sizeof(bool));
	int nedges = 0;
	for (int i = 0; i < f->nviews; i++)
		nedges += f->views[i].ndeps;
	dep_edge *edges = xmalloc(((size_t)nedges + 1) * sizeof(*edges));
	int k = 0;
	for (int i = 0; i < f->nviews; i++)
		for (int d = 0; d < f->views[i].ndeps; d++) {
			edges[k].key =
			    diff_key(c, "rel", f->views[i].deps[d].schema,
				     f->views[i].deps[d].name);
			edges[k++].view = i;
		}
	qsort(edges, (size_t)nedges, sizeof(*edges), cmp_edge);

	int *queue = xmalloc(((size_t)f->nviews + 1) * sizeof(int));
	int head = 0, tail = 0;
	for (int i = 0; i < f->nviews; i++) {
		const m_view *a = &f->views[i];
		const m_view *b = diff_find_view(c->to, a->schema, a->name);
		bool dirty =
		    !b || view_changed(a, b) || calls_refn(c, a->definition);
		for (int d = 0; d < a->ndeps && !dirty; d++)
			dirty =
			    diff_set_has(&c->changed_tables,
					 diff_key(c, "rel", a->deps[d].schema,
						  a->deps[d].name)) ||
			    diff_set_has(&c->recreated,
					 diff_key(c, "fnname",
						  a->deps[d].schema,
						  a->deps[d].name));
		if (dirty) {
			drop[i] = true;
			queue[tail++] = i;
		}
	}
	while (head < tail) {
		const m_view *v = &f->views[queue[head++]];
		dep_edge key = {diff_key(c, "rel", v->schema, v->name), -1};
		int lo = 0, hi = nedges;
		while (lo < hi) {
			int mid = lo + (hi - lo) / 2;
			if (cmp_edge(&edges[mid], &key) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < nedges && !strcmp(edges[lo].key, key.key); lo++)
			if (!drop[edges[lo].view]) {
				drop[edges[lo].view] = true;
				queue[tail++] = edges[lo].view;
			}
	}
	free(queue);
	free(edges);
	return drop;
}

static void view_drop(diff_ctx *c, const m_view *v)
{
	const char *q = diff_qname(c, v->schema, v->name);
	diff_item *it =
	    diff_emit(c, PH_DROP_VIEW, "drop_view", q,
		      arena_sprintf(&c->arena, "DROP %s %s", view_word(v), q));
	/* Dependents first: each drop clears the way for what it reads. */
	diff_need(c, it, diff_key(c, "predroprel", v->schema, v->name));
	for (int d = 0; d < v->ndeps; d++)
		diff_provide(c, it,
			     diff_key(c, "predroprel", v->deps[d].schema,
				      v->deps[d].name));
}

static void view_comments(diff_ctx *c, const m_view *a, const m_view *b)
{
	const char *q = diff_qname(c, b->schema, b->name);
	diff_comment(c, arena_sprintf(&c->arena, "%s %s", view_word(b), q), q,
		     a ? a->comment : NULL, b->comment);
	/* Column comments are "col\tcomment", sorted: merge them. */
	int na = a ? a->ncolumn_comments : 0;
	strbuf sb = STRBUF_INIT;
	int i = 0, j = 0;
	while (i < na || j < b->ncolumn_comments) {
		const char *x = i < na ? a->column_comments[i] : NULL;
		const char *y =
		    j < b->ncolumn_comments ? b->column_comments[j] : NULL;
		size_t lx = x ? strcspn(x, "\t") : 0,
		       ly = y ? strcspn(y, "\t") : 0;
		int r;
		if (!x)
			r = 1;
		else if (!y)
			r = -1;
		else {
			size_t l = lx < ly ? lx : ly;
			r = strncmp(x, y, l);
			if (!r)
				r = (lx > ly) - (lx < ly);
		}
		const char *col = r <= 0 ? x : y;
		size_t lc = r <= 0 ? lx : ly;
		const char *old = r <= 0 && x[lx] ? x + lx + 1 : NULL;
		const char *new = r >= 0 && y[ly] ? y + ly + 1 : NULL;
		if (r <= 0)
			i++;
		if (r >= 0)
			j++;
		strbuf_reset(&sb);
		pg_quote_qualified(&sb, b->schema, b->name);
		strbuf_addch(&sb, '.');
		pg_quote_ident(&sb, arena_strndup(&c->arena, col, lc));
		const char *obj = arena_strdup(&c->arena, strbuf_str(&sb));
		diff_comment(c, arena_sprintf(&c->arena, "COLUMN %s", obj), obj,
			     old, new);
	}
	strbuf_release(&sb);
}

static void view_create(diff_ctx *c, const m_view *v)
{
	const char *q = diff_qname(c, v->schema, v->name);
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "CREATE %s %s", view_word(v), q);
	if (v->options)
		strbuf_addf(&sb, " WITH (%s)", v->options);
	strbuf_addf(&sb, " AS\n%s", diff_trim_sql(c, v->definition));
	if (v->check_option && !v->materialized)
		strbuf_addf(&sb, "\n WITH %s CHECK OPTION",
			    !strcmp(v->check_option, "local") ? "LOCAL"
							      : "CASCADED");
	diff_item *it = diff_emit(c, PH_VIEW,
				  v->materialized ? "create_materialized_view"
						  : "create_view",
				  q, strbuf_str(&sb));
	diff_provide(c, it, diff_key(c, "rel", v->schema, v->name));
	for (int d = 0; d < v->ndeps; d++)
		diff_need(
		    c, it,
		    diff_key(c, "rel", v->deps[d].schema, v->deps[d].name));
	strbuf_release(&sb);
}

int diff_views(diff_ctx *c, error *e)
{
	(void)e;
	const model *f = c->from, *t = c->to;
	bool *drop = views_to_drop(c);
	for (int i = 0; i < f->nviews; i++) {
		if (!drop[i])
			continue;
		view_drop(c, &f->views[i]);
		if (diff_find_view(t, f->views[i].schema, f->views[i].name))
			diff_set_add(c, &c->recreated,
				     diff_key(c, "rel", f->views[i].schema,
					      f->views[i].name));
	}
	for (int j = 0; j < t->nviews; j++) {
		const m_view *b = &t->views[j];
		const m_view *a = diff_find_view(f, b->schema, b->name);
		bool recreate = !a || drop[a - f->views];
		if (recreate)
			view_create(c, b);
		view_comments(c, recreate ? NULL : a, b);
	}
	free(drop);
	return 0;
}
