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
};

/* "schema\x1fname" in `sb` (reset); NULL parts read as "". */
const char *subset_key(strbuf *sb, const char *schema, const char *name);
bool subset_is_dirty(const subset *s, const char *schema, const char *name);
/* Load (schema, name) for what needs it, unless it is dirty anyway. */
void subset_need(subset *s, const char *schema, const char *name);

#endif
