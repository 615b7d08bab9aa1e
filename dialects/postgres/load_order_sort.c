/*
 * Ordering a schema file's statements (see load_order.c): each name a
 * statement uses resolved to the statement that defines it, then a
 * topological sort that keeps file order wherever it can.
 */
#include <stdlib.h>
#include <string.h>

#include "../../util/strbuf.h"
#include "../../util/strmap.h"
#include "../../util/xalloc.h"
#include "load_order.h"

/* One event in a name's history: a statement defining or dropping it. */
typedef struct lo_event {
	int stmt;
	const char *schema;
	bool drop;
	bool shape; /* adds columns or keys to it (lo_stmt.shapes) */
} lo_event;

typedef struct lo_history {
	lo_event *ev; /* in file order */
	int n, cap;
} lo_history;

static bool same_schema(const char *a, const char *b)
{
	return !a || !b || !strcmp(a, b);
}

static lo_history *history_of(lo_ctx *c, strmap *h, strbuf *key,
			      const lo_name *x, bool make)
{
	strbuf_reset(key);
	strbuf_addf(key, "%d:%s", x->ns, x->name);
	lo_history *hist = strmap_get(h, key->buf);
	if (!hist && make) {
		hist = arena_alloc(&c->a, sizeof(*hist));
		strmap_put(h, key->buf, hist);
	}
	return hist;
}

static void add_dep(lo_ctx *c, int i, int j)
{
	lo_stmt *s = &c->st[i];
	if (j >= 0 && j != i)
		*ARENA_PUSH(&c->a, s->deps, s->ndeps, s->cdeps) = j;
}

static void add_soft_dep(lo_ctx *c, int i, int j)
{
	lo_stmt *s = &c->st[i];
	if (j != i)
		*ARENA_PUSH(&c->a, s->soft, s->nsoft, s->csoft) = j;
}

static void add_event(lo_ctx *c, strmap *h, strbuf *key, int i,
		      const lo_name *x, bool shape)
{
	lo_history *hist = history_of(c, h, key, x, true);
	lo_event *ev = ARENA_PUSH(&c->a, hist->ev, hist->n, hist->cap);
	ev->stmt = i;
	ev->schema = x->schema;
	ev->drop = !shape && c->st[i].drops;
	ev->shape = shape;
}

static bool defines(const lo_stmt *s, const lo_name *x)
{
	for (int k = 0; k < s->ndefs; k++)
		if (s->defs[k].ns == x->ns &&
		    !strcmp(s->defs[k].name, x->name) &&
		    same_schema(s->defs[k].schema, x->schema))
			return true;
	return false;
}

/*
 * The statements each one must follow. A name resolves to its last
 * definition before the statement, else to its first one after (a
 * forward reference, the case this is all for): so a file already in
 * order has only backward edges. A definition or a drop follows the
 * previous event of its name, so that DROP x; CREATE x keep their order.
 */
static void resolve(lo_ctx *c)
{
	strmap h;
	strbuf key = STRBUF_INIT;
	strmap_init(&h);
	for (int i = 0; i < c->n; i++) {
		for (int k = 0; k < c->st[i].ndefs; k++)
			add_event(c, &h, &key, i, &c->st[i].defs[k], false);
		for (int k = 0; k < c->st[i].nshapes; k++)
			add_event(c, &h, &key, i, &c->st[i].shapes[k], true);
	}
	for (int i = 0; i < c->n; i++) {
		lo_stmt *s = &c->st[i];
		for (int k = 0; k < s->ndefs; k++) {
			lo_history *hist =
			    history_of(c, &h, &key, &s->defs[k], false);
			int prev = -1;
			for (int m = 0; m < hist->n && hist->ev[m].stmt < i;
			     m++)
				if (!hist->ev[m].shape &&
				    same_schema(hist->ev[m].schema,
						s->defs[k].schema))
					prev = hist->ev[m].stmt;
			add_dep(c, i, prev);
		}
		for (int k = 0; k < s->nrefs; k++) {
			const lo_name *x = &s->refs[k];
			lo_history *hist = history_of(c, &h, &key, x, false);
			if (!hist || defines(s, x))
				continue;
			int before = -1, after = -1;
			for (int m = 0; m < hist->n; m++) {
				const lo_event *ev = &hist->ev[m];
				if (ev->drop || ev->shape ||
				    !same_schema(ev->schema, x->schema))
					continue;
				if (ev->stmt < i)
					before = ev->stmt;
				else if (ev->stmt > i && after < 0)
					after = ev->stmt;
			}
			add_dep(c, i, before >= 0 ? before : after);
			/* A forward reference means the object as the file
			 * leaves it: after the columns and keys added to it
			 * later. Only a "should": such an ALTER may itself
			 * name this statement's object (a foreign key back),
			 * and a cycle gives these up first. */
			for (int m = 0; before < 0 && after >= 0 && m < hist->n;
			     m++)
				if (hist->ev[m].shape &&
				    hist->ev[m].stmt > after &&
				    same_schema(hist->ev[m].schema, x->schema))
					add_soft_dep(c, i, hist->ev[m].stmt);
		}
	}
	strbuf_release(&key);
	strmap_release(&h);
}

/* A binary min-heap of statement numbers: the next to load is the
 * earliest in the file among those ready. */
typedef struct lo_heap {
	int *v;
	int n;
} lo_heap;

static void heap_push(lo_heap *h, int x)
{
	int i = h->n++;
	for (; i && h->v[(i - 1) / 2] > x; i = (i - 1) / 2)
		h->v[i] = h->v[(i - 1) / 2];
	h->v[i] = x;
}

static int heap_pop(lo_heap *h)
{
	int top = h->v[0], x = h->v[--h->n], i = 0;
	for (;;) {
		int l = 2 * i + 1, m = l;
		if (l >= h->n)
			break;
		if (l + 1 < h->n && h->v[l + 1] < h->v[l])
			m = l + 1;
		if (h->v[m] >= x)
			break;
		h->v[i] = h->v[m];
		i = m;
	}
	if (h->n)
		h->v[i] = x;
	return top;
}

/* The graph being sorted: for each statement, how many of its
 * dependencies (and of those the hard ones) are not placed yet, and the
 * statements that wait on it (2 * number, + 1 for a soft dependency). */
typedef struct lo_graph {
	int *indeg, *hard;
	int **users;
	int *nusers, *cusers;
	bool *placed;
	lo_heap heap;
	int *order;
	int done;
	bool broke_hard; /* a statement went before what it needs */
} lo_graph;

static void place(lo_graph *g, int i)
{
	g->placed[i] = true;
	g->order[g->done++] = i;
	for (int k = 0; k < g->nusers[i]; k++) {
		int u = g->users[i][k] / 2;
		g->hard[u] -= !(g->users[i][k] % 2);
		if (!--g->indeg[u] && !g->placed[u])
			heap_push(&g->heap, u);
	}
}

/*
 * Kahn's sort of statements [from, to), a stretch between barriers,
 * taking the earliest ready statement each time. Only dependencies
 * within the stretch count: an earlier stretch is loaded already, and a
 * later one cannot be reached without moving across a barrier. When
 * nothing is ready (a cycle), the earliest statement whose hard
 * dependencies are all placed goes next, giving up its soft ones; when
 * there is none, the earliest statement left, as in the file, and the
 * server's error stands.
 */
static void sort_stretch(lo_graph *g, int from, int to)
{
	for (int i = from; i < to; i++)
		if (!g->indeg[i])
			heap_push(&g->heap, i);
	for (int left = to - from; left > 0; left--) {
		if (g->heap.n) {
			place(g, heap_pop(&g->heap));
			continue;
		}
		int pick = -1;
		for (int i = from; i < to && pick < 0; i++)
			if (!g->placed[i] && !g->hard[i])
				pick = i;
		for (int i = from; i < to && pick < 0; i++)
			if (!g->placed[i]) {
				pick = i;
				g->broke_hard = true;
			}
		place(g, pick);
	}
}

static void add_edge(lo_ctx *c, lo_graph *g, const int *stretch, int i, int j,
		     bool soft)
{
	if (stretch[j] != stretch[i])
		return;
	g->indeg[i]++;
	g->hard[i] += !soft;
	*ARENA_PUSH(&c->a, g->users[j], g->nusers[j], g->cusers[j]) =
	    2 * i + soft;
}

int *lo_sort(lo_ctx *c)
{
	resolve(c);
	bool forward = false;
	for (int i = 0; i < c->n && !forward; i++) {
		for (int k = 0; k < c->st[i].ndeps; k++)
			forward |= c->st[i].deps[k] > i;
		for (int k = 0; k < c->st[i].nsoft; k++)
			forward |= c->st[i].soft[k] > i;
	}
	/* All in order already: the file is loaded as written. */
	if (!forward)
		return NULL;

	/* The stretch each statement is in: a barrier is one of its own. */
	int *stretch = xcalloc((size_t)c->n, sizeof(int));
	for (int i = 0, s = 0; i < c->n; i++) {
		if (c->st[i].barrier && i)
			s++;
		stretch[i] = s;
		if (c->st[i].barrier)
			s++;
	}
	size_t n = (size_t)c->n;
	lo_graph g = {.indeg = xcalloc(n, sizeof(int)),
		      .hard = xcalloc(n, sizeof(int)),
		      .users = xcalloc(n, sizeof(int *)),
		      .nusers = xcalloc(n, sizeof(int)),
		      .cusers = xcalloc(n, sizeof(int)),
		      .placed = xcalloc(n, sizeof(bool)),
		      .heap = {xcalloc(n, sizeof(int)), 0},
		      .order = xcalloc(n, sizeof(int))};
	for (int i = 0; i < c->n; i++) {
		for (int k = 0; k < c->st[i].ndeps; k++)
			add_edge(c, &g, stretch, i, c->st[i].deps[k], false);
		for (int k = 0; k < c->st[i].nsoft; k++)
			add_edge(c, &g, stretch, i, c->st[i].soft[k], true);
	}
	for (int from = 0; from < c->n;) {
		int to = from;
		while (to < c->n && stretch[to] == stretch[from])
			to++;
		sort_stretch(&g, from, to);
		from = to;
	}
	c->hard_cycle = g.broke_hard;
	bool same = true;
	for (int i = 0; i < c->n && same; i++)
		same = g.order[i] == i;
	if (same) {
		free(g.order);
		g.order = NULL;
	}
	free(stretch);
	free(g.indeg);
	free(g.hard);
	free(g.users);
	free(g.nusers);
	free(g.cusers);
	free(g.placed);
	free(g.heap.v);
	return g.order;
}
