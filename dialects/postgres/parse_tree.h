/*
 * The one way into libpg_query's parse tree: every command that parses
 * SQL (the schema parser, the linter, the role finder) goes through
 * pg_parse_tree, which bounds how deep a tree may be and parses on a
 * thread whose stack holds the deepest tree it lets through.
 */
#ifndef SCHEMIG_PG_PARSE_TREE_H
#define SCHEMIG_PG_PARSE_TREE_H

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include "../../util/arena.h"
#include "../../util/error.h"

/*
 * How many parse-tree nodes may nest in one statement. The server's own
 * limit is its stack (max_stack_depth, 2 MB by default), which turns
 * away `SELECT 1+1+...+1` at about 4,000 terms (one node each); 10,000
 * lets through anything a server with a raised max_stack_depth takes,
 * and keeps protobuf-c's recursive unpack and schemig's own recursive
 * walks over the tree far inside PG_TREE_STACK.
 */
#define PG_TREE_MAX_DEPTH 10000
/*
 * The stack of the parsing thread. Measured on the ASan build (the
 * hungriest): a tree at PG_TREE_MAX_DEPTH (a 9,990-term sum in a CHECK or
 * a view, 4,990 nested ARRAYs, 3,000 nested sub-selects) parses, walks
 * and diffs in 32 MiB but not in 16; libpg_query's parse of the longest
 * run of tokens the pre-scan lets through (a 49,990-term sum) needs the
 * same. 256 MiB leaves 8 times that. The stack is only reserved: pages
 * are touched as deep as a tree goes.
 */
#ifndef PG_TREE_STACK
#define PG_TREE_STACK ((size_t)256 << 20)
#endif

/* Called on the parsing thread with the unpacked tree; `tree_arena`
 * owns the tree (anything put into it must be allocated there). */
typedef int (*pg_tree_fn)(const PgQuery__ParseResult *tree, arena *tree_arena,
			  void *arg, error *e);

/*
 * Parse `sql` and call fn with its tree. A syntax error, or a statement
 * nested deeper than PG_TREE_MAX_DEPTH, fails with EXIT_USAGE and
 * "filename:line:column: message" (the line and column of the error);
 * otherwise returns what fn returns.
 */
int pg_parse_tree(const char *sql, const char *filename, pg_tree_fn fn,
		  void *arg, error *e);

/* The same with a given stack size and depth limit (tests measure). */
int pg_parse_tree_with(const char *sql, const char *filename, pg_tree_fn fn,
		       void *arg, size_t stack, int max_depth, error *e);

/*
 * A text's statements kept packed (libpg_query's protobuf bytes, a few
 * times the text) and unpacked one at a time: the schema parser's way
 * through a big file, whose whole unpacked tree would take about twenty
 * times the text.
 */
typedef struct pg_stmt_list pg_stmt_list;

/* Called on the parsing thread, like pg_tree_fn. */
typedef int (*pg_list_fn)(const pg_stmt_list *l, void *arg, error *e);

/* Parse `sql` as pg_parse_tree does and call fn with its statements. */
int pg_parse_list(const char *sql, const char *filename, pg_list_fn fn,
		  void *arg, error *e);

size_t pg_stmt_list_count(const pg_stmt_list *l);

/* Statement i, unpacked into `a` (which owns it; anything put into it
 * must be allocated there too), its locations counted from the start
 * of the whole text; NULL past the end or when its bytes do not
 * unpack. */
PgQuery__RawStmt *pg_stmt_list_get(const pg_stmt_list *l, size_t i, arena *a);
/* The same with its locations left counting from the start of the
 * piece it was parsed in: cheaper, for a reader that never looks at a
 * location (the load order). */
PgQuery__RawStmt *pg_stmt_list_peek(const pg_stmt_list *l, size_t i, arena *a);

/* The size of the pieces a long text is parsed in (a text longer than
 * two is split); 0 restores the default, 1 MiB. For the tests, which
 * split small texts. */
void pg_parse_tree_set_piece_bytes(size_t n);

/* 1-based line and column (in characters, as the server counts) of the
 * byte offset `off` in `sql`. */
void pg_text_position(const char *sql, int off, int *line, int *col);

#endif
