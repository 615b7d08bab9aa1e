/*
 * The differ's items in their final order: schema/order.c sorts them by
 * the phases and keys the generators gave them (diff_internal.h says
 * why each phase is where it is); here they become the result's
 * statements, with each change as data.
 */
#include <stdlib.h>
#include <string.h>

#include "../../schema/order.h"
#include "../../util/xalloc.h"
#include "diff_internal.h"

static const char *dup_opt(diff_result *r, const char *s)
{
	return s ? arena_strdup(&r->arena, s) : NULL;
}

static const char **dup_keys(diff_result *r, const char *const *keys, int n)
{
	if (!n)
		return NULL;
	const char **out = arena_alloc(&r->arena, (size_t)n * sizeof(*out));
	for (int i = 0; i < n; i++)
		out[i] = arena_strdup(&r->arena, keys[i]);
	return out;
}

/* The item as a statement of the result, with the change as data: the
 * object's names copied into the result's arena (the context's goes at
 * the end of pg_diff), the object found in both models. */
static void change_fill(diff_ctx *c, const diff_item *it, diff_result *out)
{
	diff_stmt *s = diff_result_add(out, pg_change_kind_name(it->kind),
				       it->o.object, it->sql);
	s->destructive = it->destructive;
	s->transactional = it->transactional;
	s->change = it->kind;
	s->rewrites = it->rewrites;
	s->scans = it->scans;
	s->obj.kind = it->obj.kind;
	s->obj.schema = dup_opt(out, it->obj.schema);
	s->obj.table = dup_opt(out, it->obj.table);
	s->obj.name = dup_opt(out, it->obj.name);
	s->obj.sub = dup_opt(out, it->obj.sub);
	if (s->obj.name) {
		s->before = pg_change_find(c->from, &s->obj);
		s->after = pg_change_find(c->to, &s->obj);
	}
	s->provides = dup_keys(out, it->o.provides, it->o.nprovides);
	s->nprovides = it->o.nprovides;
	s->needs = dup_keys(out, it->o.needs, it->o.nneeds);
	s->nneeds = it->o.nneeds;
}

void diff_order(diff_ctx *c, diff_result *out)
{
	if (!c->nitems)
		return;
	order_item **items = xmalloc((size_t)c->nitems * sizeof(*items));
	for (int i = 0; i < c->nitems; i++)
		items[i] = &c->items[i]->o;
	order_sort(items, c->nitems);
	/* `o` is a diff_item's first member. */
	for (int i = 0; i < c->nitems; i++)
		change_fill(c, (const diff_item *)items[i], out);
	free(items);
}
