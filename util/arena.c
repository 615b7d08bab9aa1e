#include "arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "xalloc.h"

struct arena_block {
	arena_block *next;
	size_t used, size;
	/* Aligned payload follows. */
	_Alignas(16) unsigned char data[];
};

#define ARENA_BLOCK 65536

void *arena_alloc(arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	arena_block *b = a->head;
	if (!b || b->size - b->used < n) {
		/* Large requests get a block of their own, so that one huge
		 * array does not waste the rest of a shared block. */
		size_t size = n > ARENA_BLOCK / 4 ? n : ARENA_BLOCK;
		b = xmalloc(sizeof(*b) + size);
		b->size = size;
		b->used = 0;
		if (n > ARENA_BLOCK / 4 && a->head) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	void *p = b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	if (!s)
		return NULL;
	size_t len = strnlen(s, n);
	char *p = arena_alloc(a, len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *arena_strdup(arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_sprintf(arena *a, const char *fmt, ...)
{
	strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	char *p = arena_strndup(a, strbuf_str(&sb), sb.len);
	strbuf_release(&sb);
	return p;
}

void *arena_grow(arena *a, void *old, size_t old_bytes, size_t new_bytes)
{
	void *p = arena_alloc(a, new_bytes);
	if (old && old_bytes)
		memcpy(p, old, old_bytes);
	return p;
}

void arena_free(arena *a)
{
	arena_block *b = a->head;
	while (b) {
		arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
}
