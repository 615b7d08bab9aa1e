/*
 * Allocation wrappers that never return NULL: running out of memory is
 * not an error schemig can recover from, so it aborts with a message.
 */
#ifndef SCHEMIG_XALLOC_H
#define SCHEMIG_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Grow an array so that it holds at least `need` items. */
#define ALLOC_GROW(arr, need, alloc)                                           \
	do {                                                                   \
		if ((size_t)(need) > (size_t)(alloc)) {                        \
			size_t alloc_grow_n_ =                                 \
			    (alloc) ? (size_t)(alloc)*2 : 8;                   \
			while (alloc_grow_n_ < (size_t)(need))                 \
				alloc_grow_n_ *= 2;                            \
			(arr) =                                                \
			    xrealloc((arr), alloc_grow_n_ * sizeof(*(arr)));   \
			(alloc) = alloc_grow_n_;                               \
		}                                                              \
	} while (0)

#endif
