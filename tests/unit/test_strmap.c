/* strmap: put/get, first-wins adds, integer values, growth past many
 * resizes, clearing and reuse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "util/strmap.h"

static void test_put_get(void **state)
{
	(void)state;
	strmap m = STRMAP_INIT;
	int a = 1, b = 2;
	assert_null(strmap_get(&m, "missing"));
	assert_false(strmap_contains(&m, "missing"));
	assert_true(strmap_put(&m, "a", &a));
	assert_true(strmap_put(&m, "b", &b));
	assert_ptr_equal(strmap_get(&m, "a"), &a);
	assert_ptr_equal(strmap_get(&m, "b"), &b);
	/* put replaces, add keeps the first value */
	assert_false(strmap_put(&m, "a", &b));
	assert_ptr_equal(strmap_get(&m, "a"), &b);
	assert_false(strmap_add(&m, "a", &a));
	assert_ptr_equal(strmap_get(&m, "a"), &b);
	/* an empty key is a key like any other; a NULL value is found */
	assert_true(strmap_put(&m, "", NULL));
	assert_true(strmap_contains(&m, ""));
	assert_non_null(strmap_find(&m, ""));
	assert_null(strmap_get(&m, ""));
	assert_int_equal(m.count, 3);
	strmap_release(&m);
	assert_int_equal(m.count, 0);
	assert_null(strmap_get(&m, "a"));
}

static void test_keys_are_copied(void **state)
{
	(void)state;
	strmap m;
	strmap_init(&m);
	char buf[16];
	snprintf(buf, sizeof(buf), "key");
	strmap_put_int(&m, buf, 7);
	/* Reusing the caller's buffer must not change the stored key. */
	snprintf(buf, sizeof(buf), "other");
	intptr_t v = 0;
	assert_true(strmap_get_int(&m, "key", &v));
	assert_int_equal(v, 7);
	assert_false(strmap_get_int(&m, "other", &v));
	strmap_release(&m);
}

static void test_many_and_clear(void **state)
{
	(void)state;
	strmap m = STRMAP_INIT;
	char key[32];
	for (int i = 0; i < 20000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		assert_true(strmap_add_int(&m, key, i));
	}
	assert_int_equal(m.count, 20000);
	for (int i = 0; i < 20000; i++) {
		intptr_t v = -1;
		snprintf(key, sizeof(key), "k%d", i);
		assert_true(strmap_get_int(&m, key, &v));
		assert_int_equal(v, i);
	}
	assert_false(strmap_contains(&m, "k20000"));
	/* first value wins with add, last with put */
	assert_false(strmap_add_int(&m, "k5", 99));
	intptr_t v = 0;
	strmap_get_int(&m, "k5", &v);
	assert_int_equal(v, 5);
	assert_false(strmap_put_int(&m, "k5", 99));
	strmap_get_int(&m, "k5", &v);
	assert_int_equal(v, 99);

	size_t cap = m.cap;
	strmap_clear(&m);
	assert_int_equal(m.count, 0);
	assert_int_equal(m.cap, cap);
	assert_false(strmap_contains(&m, "k1"));
	assert_true(strmap_add_int(&m, "k1", 1));
	assert_true(strmap_contains(&m, "k1"));
	strmap_release(&m);
	/* a released map can be used again */
	assert_true(strmap_put(&m, "again", NULL));
	strmap_release(&m);
}

/* Removing keys from the middle of probe runs must keep every other key
 * reachable; the walk sees each remaining key once. */
static void test_remove_and_walk(void **state)
{
	(void)state;
	strmap m = STRMAP_INIT;
	char key[32];
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		strmap_put_int(&m, key, i);
	}
	for (int i = 0; i < 5000; i += 3) {
		snprintf(key, sizeof(key), "k%d", i);
		assert_true(strmap_remove(&m, key));
		assert_false(strmap_remove(&m, key));
	}
	for (int i = 0; i < 5000; i++) {
		intptr_t v = -1;
		snprintf(key, sizeof(key), "k%d", i);
		assert_int_equal(strmap_get_int(&m, key, &v), i % 3 != 0);
		if (i % 3)
			assert_int_equal(v, i);
	}
	size_t pos = 0, seen = 0;
	long sum = 0;
	strmap_entry *e;
	while ((e = strmap_next(&m, &pos))) {
		seen++;
		sum += (long)(intptr_t)e->value;
		e->value = (void *)((intptr_t)e->value + 1);
	}
	assert_int_equal(seen, m.count);
	long want = 0;
	for (int i = 0; i < 5000; i++)
		if (i % 3)
			want += i;
	assert_int_equal(sum, want);
	intptr_t v = 0;
	assert_true(strmap_get_int(&m, "k1", &v));
	assert_int_equal(v, 2);
	assert_false(strmap_remove(&m, "absent"));
	strmap_release(&m);
	assert_false(strmap_remove(&m, "k1"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_put_get),
	    cmocka_unit_test(test_keys_are_copied),
	    cmocka_unit_test(test_many_and_clear),
	    cmocka_unit_test(test_remove_and_walk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
