/*
 * A server-printed query in the parser's spelling (pg_respell_query).
 */
#include <stdlib.h>

#include "parse_internal.h"
#include "parse_tree.h"
#include "pg.h"

static int deparse_first(const PgQuery__ParseResult *tree, arena *tree_arena,
			 void *arg, error *e)
{
	(void)tree_arena;
	(void)e;
	if (tree->n_stmts == 1)
		*(char **)arg = pp_deparse_stmt(tree->stmts[0]->stmt);
	return 0;
}

char *pg_respell_query(const char *query)
{
	char *out = NULL;
	error e = ERROR_INIT;
	pg_parse_tree(query, NULL, deparse_first, &out, &e);
	error_clear(&e);
	return out;
}
