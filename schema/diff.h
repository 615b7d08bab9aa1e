/*
 * The result of a diff: an ordered list of statements, each naming what
 * it changes, ready to print as a migration script or as JSON.
 */
#ifndef SCHEMIG_DIFF_H
#define SCHEMIG_DIFF_H

#include <stdbool.h>

#include "../util/arena.h"
#include "../util/error.h"
#include "../util/strbuf.h"

typedef struct diff_stmt {
	char *kind;	    /* stable name: "create_table", "add_column",
			       "alter_column_type", "drop_index", ... */
	char *object;	    /* the object it changes, qualified and quoted:
			       "public.orders", "public.orders.status" */
	char *sql;	    /* one statement, without the trailing ';' */
	bool transactional; /* false for what cannot run in a transaction
			       block (e.g. ALTER TYPE ... ADD VALUE before
			       PostgreSQL 12) */
	bool destructive;   /* drops data or an object that holds data */
} diff_stmt;

typedef struct diff_result {
	arena arena; /* owns every string below */
	diff_stmt *stmts;
	int nstmts, cstmts;
	/* What one side holds that the model cannot represent (the
	 * sources' warnings): it was not compared, so the two sides cannot
	 * be called equal. */
	char **uncompared;
	int nuncompared, cuncompared;
} diff_result;

void diff_result_init(diff_result *r);
void diff_result_release(diff_result *r);
/* Append a statement; strings are copied into the result's arena. */
diff_stmt *diff_result_add(diff_result *r, const char *kind, const char *object,
			   const char *sql);

/* Note something that was not compared (copied into the arena; a
 * message already noted is not repeated). */
void diff_result_add_uncompared(diff_result *r, const char *what);
/* True when the two sides may differ: statements, or anything that was
 * not compared. */
bool diff_result_differs(const diff_result *r);

/* Render as a script psql can run as is ("sql"), as JSON ("json") or as
 * a short human summary ("text"). */
void diff_result_format_sql(const diff_result *r, strbuf *out);
void diff_result_format_text(const diff_result *r, strbuf *out);
int diff_result_format_json(const diff_result *r, strbuf *out, error *e);

#endif
