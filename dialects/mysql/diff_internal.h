/*
 * Shared between the MySQL differ's files (diff.c, diff_objects.c): the
 * differ's state and the one function that appends a statement.
 */
#ifndef SCHEMIG_MY_DIFF_INTERNAL_H
#define SCHEMIG_MY_DIFF_INTERNAL_H

#include "mysql.h"

typedef struct my_diff {
	const model *from, *to;
	diff_result *out;
} my_diff;

/* Append one statement with its change as data. */
diff_stmt *my_diff_emit(my_diff *d, int change, const char *schema,
			const char *table, const char *name, const void *before,
			const void *after, const void *parent_before,
			const void *parent_after, const strbuf *sql);

/* diff_objects.c: triggers and routines go first (their bodies may use
 * what changes) and come back last; partitioning changes. */
void my_diff_drop_triggers(my_diff *d);
void my_diff_drop_routines(my_diff *d);
void my_diff_create_routines(my_diff *d);
void my_diff_create_triggers(my_diff *d);
void my_diff_remove_partitioning(my_diff *d);
void my_diff_partitioning(my_diff *d);

#endif
