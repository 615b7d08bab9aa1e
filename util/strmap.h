/*
 * strmap: a hash map from NUL-terminated strings to `void *` values (or
 * small integers), for lookups that would otherwise scan a whole array.
 *
 * Open addressing with linear probing over a power-of-two table that is
 * never more than half full. Keys are COPIED into the map on insertion
 * and freed by strmap_release(), so a caller may pass a scratch buffer.
 * Entries are never removed one by one: a map whose contents went stale
 * is cleared (strmap_clear) and filled again. No global state.
 */
#ifndef SCHEMIG_STRMAP_H
#define SCHEMIG_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct strmap_entry {
	char *key; /* owned copy; NULL for an empty slot */
	size_t hash;
	void *value;
} strmap_entry;

typedef struct strmap {
	strmap_entry *slots;
	size_t cap;   /* 0 or a power of two */
	size_t count; /* keys held */
} strmap;

#define STRMAP_INIT                                                            \
	{                                                                      \
		NULL, 0, 0                                                     \
	}

void strmap_init(strmap *m);
/* Set `key` to `value`; returns true when the key was new. */
bool strmap_put(strmap *m, const char *key, void *value);
/* Add `key` only when absent (the first value stays); returns true when
 * it was added. */
bool strmap_add(strmap *m, const char *key, void *value);
/* The value of `key`, or NULL when absent (use strmap_find to tell an
 * absent key from a NULL value). */
void *strmap_get(const strmap *m, const char *key);
/* The entry of `key`, or NULL when absent. */
strmap_entry *strmap_find(const strmap *m, const char *key);
bool strmap_contains(const strmap *m, const char *key);

/* Integer values stored in the pointer slot. */
bool strmap_put_int(strmap *m, const char *key, intptr_t value);
bool strmap_add_int(strmap *m, const char *key, intptr_t value);
/* true and *value set when present. */
bool strmap_get_int(const strmap *m, const char *key, intptr_t *value);

/* Remove `key`; returns true when it was there. */
bool strmap_remove(strmap *m, const char *key);
/* Walk the entries in no particular order: start with *pos = 0; returns
 * NULL at the end. The map must not change during the walk, but values
 * may be written through the entries. */
strmap_entry *strmap_next(const strmap *m, size_t *pos);

/* Forget every key but keep the table for refilling. */
void strmap_clear(strmap *m);
/* Free the keys and the table; the map is empty and reusable. */
void strmap_release(strmap *m);

#endif
