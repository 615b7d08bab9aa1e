/*
 * What the dialects' journals (dialect->journal_sql, journal_read) share:
 * the journal described as data, one table of columns per journal table,
 * and the checks and values every dialect's statements are built from.
 * The DDL and the statements themselves stay the dialect's.
 */
#ifndef SCHEMIG_DIALECT_JOURNAL_H
#define SCHEMIG_DIALECT_JOURNAL_H

#include <jansson.h>

#include "../util/error.h"
#include "../util/strbuf.h"

enum jtype { J_TEXT, J_INT, J_REAL, J_TIME };

#define JC_KEY	  1u /* identifies the row: required, never updated */
#define JC_FULL	  2u /* journal_read gives it only when `full` */
#define JC_SERVER 4u /* the server sets it (its clock, a counter) */

typedef struct jcol {
	const char *name;
	const char *sql_type; /* the dialect's */
	enum jtype type;
	unsigned flags;
} jcol;

typedef struct jtable {
	const char *name;	 /* the table's */
	const char *title;	 /* in messages */
	const jcol *cols;	 /* ending with a NULL name */
	const char *constraints; /* the dialect's DDL */
} jtable;

/* Column `name` of `t`, or NULL. */
const jcol *journal_find_col(const jtable *t, const char *name);

/* Every key of `f` must be a column the caller may set: a typo or a
 * server-set column is a programming error, named, and never reaches
 * the SQL. The row's key columns must all be there. */
int journal_check_keys(const jtable *t, const json_t *f, error *e);

/* One value as SQL: null is NULL; everything else a literal quoted by
 * `quote` (numbers and booleans too: an untyped literal takes the
 * column's type), an object or array as its compact JSON text. */
void journal_add_value(strbuf *sql, const json_t *v,
		       void (*quote)(strbuf *sb, const char *s));

#endif
