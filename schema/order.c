/*
 * Ordering (order.h): statements are sorted by phase; inside a phase, a
 * statement that needs a key comes after every statement of that phase
 * providing it (a topological sort, Kahn's algorithm with a min-heap on
 * generation order so that the result is deterministic). Needs with no provider
 * in the phase are satisfied by an earlier phase or by the database. Then the
 * brackets move next to their anchors (place_brackets).
 */
#include "order.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../util/strmap.h"
#include "../util/xalloc.h"

static int cmp_phase(const void *a, const void *b)
{
	const order_item *x = *(order_item *const *)a,
			 *y = *(order_item *const *)b;
	if (x->phase != y->phase)
		return x->phase < y->phase ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* key -> first provider (index into the phase), chained through next[]. */
typedef struct key_map {
	const char **keys;
	int *head;
	int nslots;
} key_map;

static unsigned long hash_key(const char *s)
{
	unsigned long h = 1469598103934665603UL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211UL;
	return h;
}

static int *map_slot(key_map *m, const char *key)
{
	unsigned long h = hash_key(key) & (m->nslots - 1);
	while (m->keys[h] && strcmp(m->keys[h], key))
		h = (h + 1) & (m->nslots - 1);
	if (!m->keys[h]) {
		m->keys[h] = key;
		m->head[h] = -1;
	}
	return &m->head[h];
}

/* The providers of a key, or -1 when nothing in the phase provides it.
 * Looking up must not insert: the table is sized for the provided keys
 * only, and a full table would make the probe loop above endless. */
static int map_first(const key_map *m, const char *key)
{
	unsigned long h = hash_key(key) & (m->nslots - 1);
	while (m->keys[h]) {
		if (!strcmp(m->keys[h], key))
			return m->head[h];
		h = (h + 1) & (m->nslots - 1);
	}
	return -1;
}

/* Min-heap of positions inside the phase: position order is seq order. */
static void heap_push(int *heap, int *n, int v)
{
	int i = (*n)++;
	heap[i] = v;
	while (i > 0 && heap[(i - 1) / 2] > heap[i]) {
		int p = (i - 1) / 2, t = heap[p];
		heap[p] = heap[i];
		heap[i] = t;
		i = p;
	}
}

static int heap_pop(int *heap, int *n)
{
	int top = heap[0];
	heap[0] = heap[--(*n)];
	for (int i = 0;;) {
		int l = 2 * i + 1, r = l + 1, m = i;
		if (l < *n && heap[l] < heap[m])
			m = l;
		if (r < *n && heap[r] < heap[m])
			m = r;
		if (m == i)
			break;
		int t = heap[m];
		heap[m] = heap[i];
		heap[i] = t;
		i = m;
	}
	return top;
}

/* Items in their final order, before the brackets move. */
typedef struct ordered {
	order_item **items;
	int n;
} ordered;

static void emit(ordered *out, order_item *it)
{
	out->items[out->n++] = it;
}

static void order_phase(order_item **items, int n, ordered *out)
{
	int nkeys = 0;
	for (int i = 0; i < n; i++)
		nkeys += items[i]->nprovides;
	if (!nkeys) {
		for (int i = 0; i < n; i++)
			emit(out, items[i]);
		return;
	}
	key_map map = {0};
	map.nslots = 16;
	while (map.nslots < nkeys * 2)
		map.nslots *= 2;
	map.keys = xcalloc((size_t)map.nslots, sizeof(*map.keys));
	map.head = xcalloc((size_t)map.nslots, sizeof(*map.head));
	int *next = xcalloc((size_t)nkeys, sizeof(int));
	int *owner = xcalloc((size_t)nkeys, sizeof(int));
	int k = 0;
	for (int i = 0; i < n; i++)
		for (int j = 0; j < items[i]->nprovides; j++) {
			int *h = map_slot(&map, items[i]->provides[j]);
			owner[k] = i;
			next[k] = *h;
			*h = k++;
		}

	/* Edges provider -> needer, as adjacency lists built in two passes. */
	int *indeg = xcalloc((size_t)n, sizeof(int));
	int *start = xcalloc((size_t)n + 1, sizeof(int));
	int nedges = 0;
	for (int pass = 0; pass < 2; pass++) {
		int *fill = pass ? xcalloc((size_t)n, sizeof(int)) : NULL;
		int *adj =
		    pass ? xcalloc((size_t)nedges + 1, sizeof(int)) : NULL;
		for (int i = 0; i < n; i++)
			for (int j = 0; j < items[i]->nneeds; j++) {
				int first = map_first(&map, items[i]->needs[j]);
				for (int p = first; p >= 0; p = next[p]) {
					int from = owner[p];
					if (from == i)
						continue;
					if (!pass) {
						start[from + 1]++;
						nedges++;
					} else {
						adj[start[from] +
						    fill[from]++] = i;
						indeg[i]++;
					}
				}
			}
		if (!pass) {
			for (int i = 0; i < n; i++)
				start[i + 1] += start[i];
			continue;
		}

		int *heap = xcalloc((size_t)n, sizeof(int));
		bool *done = xcalloc((size_t)n, sizeof(bool));
		int nheap = 0, ndone = 0, scan = 0;
		for (int i = 0; i < n; i++)
			if (!indeg[i])
				heap_push(heap, &nheap, i);
		while (ndone < n) {
			int v;
			if (nheap) {
				v = heap_pop(heap, &nheap);
			} else {
				/* A cycle: the statement generated first goes
				 * first; PostgreSQL will name the problem. */
				while (done[scan])
					scan++;
				v = scan;
			}
			if (done[v])
				continue;
			done[v] = true;
			ndone++;
			emit(out, items[v]);
			for (int a = start[v]; a < start[v + 1]; a++)
				if (--indeg[adj[a]] == 0 && !done[adj[a]])
					heap_push(heap, &nheap, adj[a]);
		}
		free(heap);
		free(done);
		free(fill);
		free(adj);
	}
	free(indeg);
	free(start);
	free(next);
	free(owner);
	free(map.keys);
	free(map.head);
}

/* Where an item ends up: sorted by (pos, rank, orig). */
typedef struct placed {
	int pos, rank, orig;
	order_item *it;
} placed;

static int cmp_placed(const void *a, const void *b)
{
	const placed *x = a, *y = b;
	if (x->pos != y->pos)
		return x->pos < y->pos ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return (x->orig > y->orig) - (x->orig < y->orig);
}

/* The relocated creation that `it` follows, by `follow` or by its own
 * object name or a prefix of it ("s.v.col" follows "s.v"), or -1. */
static int leader_of(const strmap *leaders, const order_item *it)
{
	const char *name = it->follow ? it->follow : it->object;
	if (!name)
		return -1;
	char *buf = xstrdup(name);
	intptr_t at = -1;
	for (;;) {
		if (strmap_get_int(leaders, buf, &at))
			break;
		char *dot = strrchr(buf, '.');
		if (!dot)
			break;
		*dot = '\0';
	}
	free(buf);
	return (int)at;
}

/*
 * Brackets (order.h): a ORDER_BEFORE item goes right before the
 * first statement of any of its anchors, a ORDER_AFTER item right after
 * the last one; several at one spot keep their order (dependents are
 * dropped first and made last). An item about a relocated creation's
 * object that came after it follows it there. A bracket whose anchors
 * emitted nothing stays where its phase put it.
 */
static void place_brackets(ordered *o)
{
	strmap first = STRMAP_INIT, last = STRMAP_INIT, leaders = STRMAP_INIT;
	bool any = false;
	for (int i = 0; i < o->n; i++) {
		const order_item *it = o->items[i];
		any |= it->naround > 0;
		if (it->anchor) {
			strmap_add_int(&first, it->anchor, i);
			strmap_put_int(&last, it->anchor, i);
		}
	}
	if (!any)
		goto out;
	placed *pl = xcalloc((size_t)o->n, sizeof(*pl));
	for (int i = 0; i < o->n; i++) {
		order_item *it = o->items[i];
		pl[i] = (placed){i, 1, i, it};
		int target = -1;
		for (int a = 0; a < it->naround; a++) {
			intptr_t p;
			if (!strmap_get_int(it->side == ORDER_BEFORE ? &first
								     : &last,
					    it->around[a], &p))
				continue;
			if (target < 0 ||
			    (it->side == ORDER_BEFORE ? p < target
						      : p > target))
				target = (int)p;
		}
		if (target >= 0) {
			pl[i].pos = target;
			pl[i].rank = it->side == ORDER_BEFORE ? 0 : 2;
			if (it->side == ORDER_AFTER)
				strmap_put_int(&leaders, it->object, i);
			continue;
		}
		if (it->naround)
			continue;
		int l = leader_of(&leaders, it);
		if (l >= 0 && l < i) {
			pl[i].pos = pl[l].pos;
			pl[i].rank = 2;
		}
	}
	qsort(pl, (size_t)o->n, sizeof(*pl), cmp_placed);
	for (int i = 0; i < o->n; i++)
		o->items[i] = pl[i].it;
	free(pl);
out:
	strmap_release(&first);
	strmap_release(&last);
	strmap_release(&leaders);
}

void order_sort(order_item **items, int n)
{
	if (!n)
		return;
	order_item **sorted = xmalloc((size_t)n * sizeof(*sorted));
	memcpy(sorted, items, (size_t)n * sizeof(*sorted));
	qsort(sorted, (size_t)n, sizeof(*sorted), cmp_phase);
	/* The input was copied: the result goes back into `items`. */
	ordered o = {items, 0};
	for (int i = 0; i < n;) {
		int j = i;
		while (j < n && sorted[j]->phase == sorted[i]->phase)
			j++;
		order_phase(sorted + i, j - i, &o);
		i = j;
	}
	place_brackets(&o);
	free(sorted);
}
