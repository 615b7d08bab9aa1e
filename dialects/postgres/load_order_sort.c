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
	for (int i = 0; i < c->n; i++)
		for (int k = 0; k < c->st[i].ndefs; k++) {
			const lo_name *x = &c->st[i].defs[k];
			lo_history *hist = history_of(c, &h, &key, x, true);
			lo_event *ev =
			    ARENA_PUSH(&c->a, hist->ev, hist->n, hist->cap);
			ev->stmt = i;
			ev->schema = x->schema;
			ev->drop = c->st[i].drops;
		}
	for (int i = 0; i < c->n; i++) {
		lo_stmt *s = &c->st[i];
		for (int k = 0; k < s->ndefs; k++) {
			lo_history *hist =
			    history_of(c, &h, &key, &s->defs[k], false);
			int prev = -1;
			for (int m = 0; m < hist->n && hist->ev[m].stmt < i;
			     m++)
				if (same_schema(hist->ev[m].schema,
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
				if (ev->drop ||
				    !same_schema(ev->schema, x->schema))
					continue;
				if (ev->stmt < i)
					before = ev->stmt;
				else if (ev->stmt > i && after < 0)
					after = ev->stmt;
			}
			add_dep(c, i, before >= 0 ? before : after);
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

/*
 * Kahn's sort of statements [from, to), a stretch between barriers,
 * taking the earliest ready statement each time. Only dependencies
 * within the stretch count: an earlier stretch is loaded already, and a
 * later one cannot be reached without moving across a barrier. When
 * nothing is ready (a cycle), the earliest statement left goes next, as
 * in the file, and the server's error stands.
 */
static void sort_stretch(int from, int to, int *indeg, int *const *users,
			 const int *nusers, bool *placed, lo_heap *heap,
			 int *order, int *placed_n)
{
	int next_unplaced = from;
	for (int i = from; i < to; i++)
		if (!indeg[i])
			heap_push(heap, i);
	for (int left = to - from; left > 0; left--) {
		int i;
		if (heap->n) {
			i = heap_pop(heap);
		} else {
			while (placed[next_unplaced])
				next_unplaced++;
			i = next_unplaced;
		}
		placed[i] = true;
		order[(*placed_n)++] = i;
		for (int k = 0; k < nusers[i]; k++) {
			int u = users[i][k];
			if (!--indeg[u] && !placed[u])
				heap_push(heap, u);
		}
	}
}

int *lo_sort(lo_ctx *c)
{
	resolve(c);
	bool forward = false;
	for (int i = 0; i < c->n && !forward; i++)
		for (int k = 0; k < c->st[i].ndeps; k++)
			forward |= c->st[i].deps[k] > i;
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
	int *indeg = xcalloc((size_t)c->n, sizeof(int));
	int *nusers = xcalloc((size_t)c->n, sizeof(int));
	int **users = xcalloc((size_t)c->n, sizeof(int *));
	int *cusers = xcalloc((size_t)c->n, sizeof(int));
	for (int i = 0; i < c->n; i++)
		for (int k = 0; k < c->st[i].ndeps; k++) {
			int j = c->st[i].deps[k];
			if (stretch[j] != stretch[i])
				continue;
			indeg[i]++;
			*ARENA_PUSH(&c->a, users[j], nusers[j], cusers[j]) = i;
		}
	bool *placed = xcalloc((size_t)c->n, sizeof(bool));
	lo_heap heap = {xcalloc((size_t)c->n, sizeof(int)), 0};
	int *order = xcalloc((size_t)c->n, sizeof(int));
	int done = 0;
	for (int from = 0; from < c->n;) {
		int to = from;
		while (to < c->n && stretch[to] == stretch[from])
			to++;
		sort_stretch(from, to, indeg, users, nusers, placed, &heap,
			     order, &done);
		from = to;
	}
	bool same = true;
	for (int i = 0; i < c->n && same; i++)
		same = order[i] == i;
	if (same) {
		free(order);
		order = NULL;
	}
	free(stretch);
	free(indeg);
	free(nusers);
	free(users);
	free(cusers);
	free(placed);
	free(heap.v);
	return order;
}
