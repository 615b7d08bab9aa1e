#include "strmap.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* FNV-1a: short keys (identifiers), no need for anything stronger. */
static size_t hash_str(const char *s)
{
	uint64_t h = 14695981039346656037ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return (size_t)(h ^ (h >> 32));
}

void strmap_init(strmap *m)
{
	m->slots = NULL;
	m->cap = 0;
	m->count = 0;
}

/* The slot that holds `key`, or the empty slot where it would go. */
static strmap_entry *probe(const strmap *m, const char *key, size_t h)
{
	size_t mask = m->cap - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		strmap_entry *e = &m->slots[i];
		if (!e->key || (e->hash == h && !strcmp(e->key, key)))
			return e;
	}
}

static void grow(strmap *m)
{
	strmap_entry *old = m->slots;
	size_t oldcap = m->cap;
	m->cap = oldcap ? oldcap * 2 : 16;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].key)
			*probe(m, old[i].key, old[i].hash) = old[i];
	free(old);
}

static bool insert(strmap *m, const char *key, void *value, bool replace)
{
	/* Keep the table at most half full so probes stay short. */
	if ((m->count + 1) * 2 > m->cap)
		grow(m);
	size_t h = hash_str(key);
	strmap_entry *e = probe(m, key, h);
	if (e->key) {
		if (replace)
			e->value = value;
		return false;
	}
	e->key = xstrdup(key);
	e->hash = h;
	e->value = value;
	m->count++;
	return true;
}

bool strmap_put(strmap *m, const char *key, void *value)
{
	return insert(m, key, value, true);
}

bool strmap_add(strmap *m, const char *key, void *value)
{
	return insert(m, key, value, false);
}

strmap_entry *strmap_find(const strmap *m, const char *key)
{
	if (!m->count)
		return NULL;
	strmap_entry *e = probe(m, key, hash_str(key));
	return e->key ? e : NULL;
}

void *strmap_get(const strmap *m, const char *key)
{
	strmap_entry *e = strmap_find(m, key);
	return e ? e->value : NULL;
}

bool strmap_contains(const strmap *m, const char *key)
{
	return strmap_find(m, key) != NULL;
}

bool strmap_put_int(strmap *m, const char *key, intptr_t value)
{
	return insert(m, key, (void *)value, true);
}

bool strmap_add_int(strmap *m, const char *key, intptr_t value)
{
	return insert(m, key, (void *)value, false);
}

bool strmap_get_int(const strmap *m, const char *key, intptr_t *value)
{
	strmap_entry *e = strmap_find(m, key);
	if (!e)
		return false;
	*value = (intptr_t)e->value;
	return true;
}

bool strmap_remove(strmap *m, const char *key)
{
	strmap_entry *e = strmap_find(m, key);
	if (!e)
		return false;
	free(e->key);
	e->key = NULL;
	m->count--;
	/* Backward-shift deletion: move later members of the probe run
	 * into the hole when their home slot allows it, so that lookups
	 * never stop early at the freed slot. */
	size_t mask = m->cap - 1;
	size_t hole = (size_t)(e - m->slots);
	for (size_t i = (hole + 1) & mask; m->slots[i].key;
	     i = (i + 1) & mask) {
		size_t home = m->slots[i].hash & mask;
		/* Distance from home to i versus home to the hole. */
		if (((i - home) & mask) >= ((i - hole) & mask)) {
			m->slots[hole] = m->slots[i];
			m->slots[i].key = NULL;
			hole = i;
		}
	}
	return true;
}

strmap_entry *strmap_next(const strmap *m, size_t *pos)
{
	for (; *pos < m->cap; (*pos)++)
		if (m->slots[*pos].key)
			return &m->slots[(*pos)++];
	return NULL;
}

void strmap_clear(strmap *m)
{
	for (size_t i = 0; i < m->cap; i++) {
		free(m->slots[i].key);
		m->slots[i].key = NULL;
	}
	m->count = 0;
}

void strmap_release(strmap *m)
{
	strmap_clear(m);
	free(m->slots);
	strmap_init(m);
}
