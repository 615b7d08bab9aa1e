/*
 * Views and materialized views.
 *
 * A view that changes, or that reads a column that changes type or goes,
 * or a function that is re-created, or another such view, is dropped
 * before the change and created again after it: one that only reads
 * such a column right around the statements that change it (a bracket,
 * diff_internal.h), anything else in the phases of drops and views. The
 * drop/create pair is always correct, where CREATE OR REPLACE VIEW fails as
 * soon as a column is renamed, removed or retyped, which the model cannot see.
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

static bool view_changed(diff_ctx *c, const m_view *a, const m_view *b)
{
	return a->materialized != b->materialized ||
	       (!diff_streq(a->definition, b->definition) &&
		!diff_view_uncomparable(c, a, b)) ||
	       !diff_streq(a->options, b->options) ||
	       !diff_streq(a->check_option, b->check_option);
}

static const char *view_word(const m_view *v)
{
	return v->materialized ? "MATERIALIZED VIEW" : "VIEW";
}

/* Dependencies on functions are not always known: a view whose query
 * calls a function of the same name as a re-created one ("name(") is
 * re-created too. A false match only costs a needless re-creation. */
static bool calls_refn(const diff_ctx *c, const char *def)
{
	for (int i = 0; def && i < c->nrefns; i++)
		if (diff_calls(def, c->refns[i]))
			return true;
	return false;
}

/* Why a from-view is dropped: `hard` for a reason of its own (it goes,
 * changes, calls a re-created function, reads such a view), which keeps
 * its drop and creation at their phases; else only for the columns it
 * reads, around the statements that change them (`anchors`). */
typedef struct view_mark {
	bool drop, hard;
	diff_anchors anchors;
} view_mark;

/* The from-views that read view `v` (edges sorted by key): [*lo, *hi). */
static void readers(diff_ctx *c, const dep_edge *edges, int nedges,
		    const m_view *v, int *lo, int *hi)
{
	dep_edge key = {diff_key(c, "rel", v->schema, v->name), -1};
	int l = 0, h = nedges;
	while (l < h) {
		int mid = l + (h - l) / 2;
		if (cmp_edge(&edges[mid], &key) < 0)
			l = mid + 1;
		else
			h = mid;
	}
	*lo = l;
	for (h = l; h < nedges && !strcmp(edges[h].key, key.key); h++)
		;
	*hi = h;
}

/* Mark the from-views that must be dropped, following the reverse
 * dependencies breadth-first: a view that reads a dropped view is
 * dropped too, `hard` when that one is, and inherits its anchors (so
 * that it goes before it and comes back after it). A view is queued
 * again only when its marks grow, which they do a bounded number of
 * times. */
static view_mark *views_to_drop(diff_ctx *c)
{
	const model *f = c->from;
	view_mark *marks = xcalloc((size_t)f->nviews + 1, sizeof(*marks));
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

	int cap = f->nviews + 1, head = 0, tail = 0;
	int *queue = xmalloc((size_t)cap * sizeof(int));
	for (int i = 0; i < f->nviews; i++) {
		const m_view *a = &f->views[i];
		const m_view *b = diff_find_view(c->to, a->schema, a->name);
		view_mark *m = &marks[i];
		m->hard =
		    !b || view_changed(c, a, b) ||
		    calls_refn(c, a->definition) ||
		    /* An operator it uses is made again (diff_opers.c). */
		    diff_set_has(&c->recreated, diff_key(c, "rebuild_view",
							 a->schema, a->name));
		for (int d = 0; d < a->ndeps && !m->hard; d++)
			m->hard = diff_set_has(&c->recreated,
					       diff_key(c, "fnname",
							a->deps[d].schema,
							a->deps[d].name));
		diff_colref_anchors(c, a->column_deps, a->ncolumn_deps,
				    &m->anchors, &m->hard);
		/* Naming a rebuilt enum: made again after the new type
		 * exists (around its columns when it reads changed ones). */
		m->hard |= !m->anchors.nkeys &&
			   diff_uses_rebuilt(c, 'v', a->schema, a->name, NULL);
		m->drop = m->hard || m->anchors.nkeys;
		if (m->drop)
			queue[tail++] = i;
	}
	/* A ring buffer: a view is in the queue at most once at a time. */
	bool *queued = xcalloc((size_t)f->nviews + 1, sizeof(bool));
	for (int i = 0; i < tail; i++)
		queued[queue[i]] = true;
	int inq = tail;
	tail %= cap;
	while (inq) {
		int v = queue[head];
		head = (head + 1) % cap;
		inq--;
		queued[v] = false;
		int lo, hi;
		readers(c, edges, nedges, &f->views[v], &lo, &hi);
		for (; lo < hi; lo++) {
			view_mark *r = &marks[edges[lo].view];
			bool grew = !r->drop || (marks[v].hard && !r->hard);
			r->drop = true;
			r->hard |= marks[v].hard;
			for (int a = 0; a < marks[v].anchors.nkeys; a++)
				grew |= diff_add_anchor(
				    c, &r->anchors, marks[v].anchors.keys[a]);
			if (grew && !queued[edges[lo].view]) {
				queued[edges[lo].view] = true;
				queue[tail] = edges[lo].view;
				tail = (tail + 1) % cap;
				inq++;
			}
		}
	}
	free(queued);
	free(queue);
	free(edges);
	return marks;
}

static diff_item *view_drop(diff_ctx *c, const m_view *v)
{
	const char *q = diff_qname(c, v->schema, v->name);
	diff_item *it = diff_on(
	    diff_emit(c, PH_DROP_VIEW, CHANGE_DROP_VIEW, q,
		      arena_sprintf(&c->arena, "DROP %s %s", view_word(v), q)),
	    0, v->schema, NULL, v->name, NULL);
	/* Dependents first: each drop clears the way for what it reads. */
	diff_need(c, it, diff_key(c, "predroprel", v->schema, v->name));
	for (int d = 0; d < v->ndeps; d++)
		diff_provide(c, it,
			     diff_key(c, "predroprel", v->deps[d].schema,
				      v->deps[d].name));
	return it;
}

static void view_comments(diff_ctx *c, const m_view *a, const m_view *b)
{
	const char *q = diff_qname(c, b->schema, b->name);
	diff_on(diff_comment(c,
			     arena_sprintf(&c->arena, "%s %s", view_word(b), q),
			     q, a ? a->comment : NULL, b->comment),
		CHANGE_OBJ_VIEW, b->schema, NULL, b->name, NULL);
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
		const char *cname = arena_strndup(&c->arena, col, lc);
		pg_quote_ident(&sb, cname);
		const char *obj = arena_strdup(&c->arena, strbuf_str(&sb));
		diff_on(diff_comment(c,
				     arena_sprintf(&c->arena, "COLUMN %s", obj),
				     obj, old, new),
			CHANGE_OBJ_COLUMN, b->schema, b->name, cname, NULL);
	}
	strbuf_release(&sb);
}

static diff_item *view_create(diff_ctx *c, const m_view *v)
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
	diff_item *it =
	    diff_on(diff_emit(c, PH_VIEW,
			      v->materialized ? PGC_CREATE_MATERIALIZED_VIEW
					      : CHANGE_CREATE_VIEW,
			      q, strbuf_str(&sb)),
		    0, v->schema, NULL, v->name, NULL);
	diff_provide(c, it, diff_key(c, "rel", v->schema, v->name));
	for (int d = 0; d < v->ndeps; d++)
		diff_need(
		    c, it,
		    diff_key(c, "rel", v->deps[d].schema, v->deps[d].name));
	strbuf_release(&sb);
	return it;
}

int diff_views(diff_ctx *c, error *e)
{
	(void)e;
	const model *f = c->from, *t = c->to;
	view_mark *marks = views_to_drop(c);
	for (int i = 0; i < f->nviews; i++) {
		const view_mark *m = &marks[i];
		if (!m->drop)
			continue;
		diff_item *it = view_drop(c, &f->views[i]);
		if (!m->hard)
			diff_bracket(c, it, DIFF_BEFORE, m->anchors.keys,
				     m->anchors.nkeys);
		if (diff_find_view(t, f->views[i].schema, f->views[i].name))
			diff_set_add(c, &c->recreated,
				     diff_key(c, "rel", f->views[i].schema,
					      f->views[i].name));
	}
	for (int j = 0; j < t->nviews; j++) {
		const m_view *b = &t->views[j];
		const m_view *a = diff_find_view(f, b->schema, b->name);
		const view_mark *m = a ? &marks[a - f->views] : NULL;
		bool recreate = !a || m->drop;
		if (recreate) {
			diff_item *it = view_create(c, b);
			if (m && !m->hard)
				diff_bracket(c, it, DIFF_AFTER, m->anchors.keys,
					     m->anchors.nkeys);
		}
		view_comments(c, recreate ? NULL : a, b);
	}
	free(marks);
	return 0;
}
