/* schema/order.c, the ordering any dialect's differ uses: phases, keys
 * inside a phase, generation order as the tie-break, brackets around
 * their anchors and what follows a moved item. No dialect involved. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "schema/order.h"

#define MAXI 8

typedef struct fixture {
	order_item items[MAXI];
	order_item *ptrs[MAXI];
	const char *keys[MAXI][2]; /* storage for provides/needs */
	int n;
} fixture;

static order_item *add(fixture *f, const char *name, int phase)
{
	order_item *it = &f->items[f->n];
	memset(it, 0, sizeof(*it));
	it->phase = phase;
	it->seq = f->n;
	it->object = name;
	f->ptrs[f->n] = it;
	f->n++;
	return it;
}

static void provide(order_item *it, const char **slot, const char *key)
{
	*slot = key;
	it->provides = slot;
	it->nprovides = 1;
}

static void need(order_item *it, const char **slot, const char *key)
{
	*slot = key;
	it->needs = slot;
	it->nneeds = 1;
}

static void assert_order(fixture *f, const char *const *want)
{
	order_sort(f->ptrs, f->n);
	for (int i = 0; i < f->n; i++)
		assert_string_equal(f->ptrs[i]->object, want[i]);
}

/* Phases first; inside one, a need comes after its provider even when
 * generated before it; otherwise generation order. */
static void test_phases_and_keys(void **state)
{
	(void)state;
	fixture f = {.n = 0};
	add(&f, "late", 30);
	need(add(&f, "view_b", 20), &f.keys[1][0], "a");
	provide(add(&f, "view_a", 20), &f.keys[2][0], "a");
	add(&f, "early", 10);
	need(add(&f, "other", 20), &f.keys[4][0], "nobody"); /* met before */
	static const char *const want[] = {"early", "view_a", "view_b", "other",
					   "late"};
	assert_order(&f, want);
}

/* A bracket drop goes right before its anchor's first change, its
 * creation right after the last one, and the creation's comment
 * ("s.v.col" under "s.v") follows it there. */
static void test_brackets(void **state)
{
	(void)state;
	fixture f = {.n = 0};
	order_item *drop = add(&f, "s.v", 12);
	add(&f, "s.unrelated", 14);
	order_item *c1 = add(&f, "s.t.a", 30);
	order_item *c2 = add(&f, "s.t.a#2", 30);
	add(&f, "s.t2", 30);
	order_item *make = add(&f, "s.v", 60);
	add(&f, "s.v.col", 64);
	static const char *anchor[] = {"colchg a"};
	c1->anchor = c2->anchor = anchor[0];
	drop->around = make->around = anchor;
	drop->naround = make->naround = 1;
	drop->side = ORDER_BEFORE;
	make->side = ORDER_AFTER;
	static const char *const want[] = {
	    "s.unrelated", "s.v", "s.t.a", "s.t.a#2", "s.v", "s.v.col", "s.t2"};
	assert_order(&f, want);
	assert_ptr_equal(f.ptrs[1], drop);
	assert_ptr_equal(f.ptrs[4], make);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_phases_and_keys),
	    cmocka_unit_test(test_brackets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
