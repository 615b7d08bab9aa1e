/*
 * arena: bump allocator that owns every string and array of one schema
 * model, so a model is freed in one call and no object needs its own
 * destructor.
 */
#ifndef SCHEMIG_ARENA_H
#define SCHEMIG_ARENA_H

#include <stddef.h>

typedef struct arena_block arena_block;
typedef struct arena {
	arena_block *head;
} arena;

#define ARENA_INIT                                                             \
	{                                                                      \
		NULL                                                           \
	}

void *arena_alloc(arena *a, size_t n);	     /* zeroed, 16-byte aligned */
char *arena_strdup(arena *a, const char *s); /* NULL stays NULL */
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_sprintf(arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Grow an array owned by the arena (the old block stays until free). */
void *arena_grow(arena *a, void *old, size_t old_bytes, size_t new_bytes);
void arena_free(arena *a);

/* Append one zeroed item to an arena array `arr` of `n` items with
 * capacity `cap`; evaluates to a pointer to the new item. */
#define ARENA_PUSH(a, arr, n, cap)                                             \
	((n) >= (cap) ? ((arr) = arena_grow(                                   \
			     (a), (arr), (size_t)(cap) * sizeof(*(arr)),       \
			     (size_t)((cap) ? (cap)*2 : 4) * sizeof(*(arr))),  \
			 (cap) = (cap) ? (cap)*2 : 4)                          \
		      : 0,                                                     \
	 &(arr)[(n)++])

#endif
