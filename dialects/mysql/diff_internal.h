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
	/* Keys of `to` already written with an AUTO_INCREMENT column
	 * (diff_autoinc.c): the key phases skip them. */
	const void **made;
	int nmade;
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

/* diff_autoinc.c: an AUTO_INCREMENT column always leads a key. */
/* Does key definition `def` start with column `col`? */
bool my_diff_key_leads(const char *def, const char *col);
bool my_diff_made(const my_diff *d, const void *key);
/* After "ADD COLUMN y" / "MODIFY COLUMN y" (x: the column before, or
 * NULL): ", ADD <its key>" when y becomes AUTO_INCREMENT and its key is
 * new. */
void my_diff_autoinc_added(my_diff *d, strbuf *sb, const m_table *a,
			   const m_table *b, const m_column *x,
			   const m_column *y);
/* Around the drop of key `def` of table a: "MODIFY COLUMN x ..., "
 * before it when the AUTO_INCREMENT column it leads stops being one
 * (true when written), ", ADD <new key>" after it when it stays one. */
bool my_diff_autoinc_drop_before(strbuf *sb, const m_table *a, const m_table *b,
				 const char *def);
void my_diff_autoinc_drop_after(my_diff *d, strbuf *sb, const m_table *a,
				const m_table *b, const char *def);

#endif
