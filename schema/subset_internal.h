/*
 * Inside schema/subset.h: subset.c chooses the relations, subset_merge.c
 * completes the scratch model with the clean ones.
 */
#ifndef SCHEMIG_SUBSET_INTERNAL_H
#define SCHEMIG_SUBSET_INTERNAL_H

#include <stdbool.h>

#include "../util/strbuf.h"
#include "../util/strmap.h"
#include "subset.h"

struct subset {
	strmap dirty;  /* "schema\x1fname" of the relations loaded whole */
	strmap needed; /* ... and of those loaded only for a dirty one */
	strmap names;  /* every name a statement of the parsed diff named */
	/* What a dirty table keeps unchanged is not loaded but copied from
	 * the live model: its foreign keys ("schema\x1ftable\x1fname"),
	 * which would need their targets loaded, and its plain indexes
	 * ("schema\x1fname"), a file each on the server. */
	strmap borrowed_fks;
	strmap borrowed_indexes;
};

/* Keep the items of an array that `cond` holds for, in place. */
#define SUBSET_KEEP(arr, n, cond)                                              \
	do {                                                                   \
		int k_ = 0;                                                    \
		for (int i_ = 0; i_ < (n); i_++)                               \
			if (cond(&(arr)[i_]))                                  \
				(arr)[k_++] = (arr)[i_];                       \
		(n) = k_;                                                      \
	} while (0)

/* "schema\x1fname" in `sb` (reset); NULL parts read as "". */
const char *subset_key(strbuf *sb, const char *schema, const char *name);
bool subset_is_dirty(const subset *s, const char *schema, const char *name);
/* "schema\x1ftable\x1fname" in `sb` (reset). */
const char *subset_key3(strbuf *sb, const char *schema, const char *table,
			const char *name);
/* Load (schema, name) for what needs it, unless it is dirty anyway. */
void subset_need(subset *s, const char *schema, const char *name);

#endif
