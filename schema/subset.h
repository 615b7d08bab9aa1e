/*
 * Partial normalisation: the exact comparison of a schema file with a
 * live database without loading the whole file into a scratch database.
 *
 * A live database is read in the server's spelling; a file is exact only
 * once the server has loaded it and printed it back. Loading a file of
 * thousands of tables costs many times what reading the catalog does,
 * yet most of its relations are, to the differ, the live ones already.
 * So the file is parsed, the parse is compared with the live model, and
 * only what that comparison finds different (or cannot settle, like a
 * view's query) is loaded, with what it needs to load. The exact model of
 * the file is then the scratch database's model for those relations and
 * the live model's own for every other relation, which the comparison
 * found equal to the file's.
 *
 *   subset_select   which relations are "dirty", from the parsed diff
 *   subset_model    the part of the parsed model to load
 *   subset_merge    the scratch model completed with the clean relations
 *
 * Relations are tables, views and materialized views; what belongs to one
 * (its indexes, triggers, policies, statistics, grants, owned sequences
 * and type uses) goes with it. Every other object (schemas, types,
 * functions, extensions, standalone sequences, ...) is always loaded, so
 * the scratch model holds it exactly.
 */
#ifndef SCHEMIG_SUBSET_H
#define SCHEMIG_SUBSET_H

#include <stdbool.h>

#include "diff.h"
#include "model.h"

typedef struct subset subset;

/*
 * The relations of `live` and `parsed` that differ: named by a statement
 * of `dr` (the differ's output from `live` to `parsed`) or by one of its
 * unsettled objects, with the views that read them and the partitions and
 * children of those tables. *out is NULL (and the return 0) when the
 * models hold what a partial load cannot reproduce faithfully (objects
 * whose users span relations: operators and their classes; statements
 * the parser could not model); the caller then loads the whole file.
 */
int subset_select(const model *live, const model *parsed, const diff_result *dr,
		  subset **out);

/* How many relations are dirty (loaded whole), and how many more are
 * loaded only because a dirty one needs them. */
int subset_count_dirty(const subset *s);
int subset_count_needed(const subset *s);

/*
 * What to load: every object of `parsed` that is not a relation, the
 * dirty relations with all that belongs to them, and the relations they
 * need (foreign key targets, what a view or a SQL-standard function body
 * reads, partition and inheritance parents) reduced to what makes them
 * usable as such: columns, keys and unique indexes, no foreign keys of
 * their own. What a dirty table keeps as `live` has it (a foreign key,
 * a plain index the comparison named nowhere and spells alike) is left
 * out too and taken from `live` by subset_merge. A new model that
 * borrows `parsed`'s strings: free it (model_free) before `parsed`.
 */
model *subset_model(subset *s, const model *live, const model *parsed);

/*
 * Complete `scratch` (read from a database loaded with subset_model's
 * rendering) into the exact model of the whole file: what belongs to
 * clean relations is removed from it and copied from `live`. `scratch`
 * owns every string afterwards; it is sorted.
 */
void subset_merge(const subset *s, model *scratch, const model *live);

void subset_free(subset *s);

#endif
