/* Shared by the unit tests of the PostgreSQL parser and differ that
 * work on two schema texts, without a server: parse, diff, find a
 * statement. Include after cmocka.h. */
#ifndef SCHEMIG_TEST_PG_DIFF_UTIL_H
#define SCHEMIG_TEST_PG_DIFF_UTIL_H

#include <stdlib.h>
#include <string.h>

#include "dialects/postgres/pg.h"
#include "schema/diff.h"

/* `sql` parsed into a new model; a parse error fails the test. */
static inline model *parse_ok(const char *sql)
{
	model *m = model_new();
	error e = ERROR_INIT;
	if (pg_parse(m, sql, "test.sql", &e))
		fail_msg("unexpected parse error: %s", e.msg);
	error_clear(&e);
	return m;
}

/* Diff two files; rc is pg_diff's, `msg` its error (caller frees). */
static inline int diff_files(const char *a, const char *b, diff_result *r,
			     char **msg)
{
	model *x = parse_ok(a), *y = parse_ok(b);
	error e = ERROR_INIT;
	diff_result_init(r);
	int rc = pg_diff(x, y, r, &e);
	*msg = e.msg ? strdup(e.msg) : NULL;
	error_clear(&e);
	model_free(x);
	model_free(y);
	return rc;
}

/* The first statement of `r` containing `needle`, or -1. */
static inline int find_sql(const diff_result *r, const char *needle)
{
	for (int i = 0; i < r->nstmts; i++)
		if (strstr(r->stmts[i].sql, needle))
			return i;
	return -1;
}

#endif
