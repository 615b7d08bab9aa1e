/* A long text parsed a piece at a time (parse_tree.c): the statements,
 * their locations and lengths, the nodes' locations, the errors'
 * positions and the model are those of the whole text; a piece that
 * would end inside a statement (a BEGIN ATOMIC body, which the scanner
 * splits at its semicolons) falls back to the whole parse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialects/postgres/parse_tree.h"
#include "dialects/postgres/pg.h"
#include "util/strbuf.h"

/* Pieces of 16 KiB (pg_parse_tree_set_piece_bytes): a text of 48 KiB
 * is split in three, and the test stays quick under ASan. */
#define PIECE (16 << 10)
#define BIG   (48 << 10)

typedef struct text {
	strbuf sb;
	int *locs; /* where each statement starts */
	int *vcol; /* where its column "v" is named */
	int *semi; /* where its ';' is */
	int n, cap;
} text;

static void add_stmt(text *t, const char *fmt, int i)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 1024;
		t->locs = realloc(t->locs, (size_t)t->cap * sizeof(int));
		t->vcol = realloc(t->vcol, (size_t)t->cap * sizeof(int));
		t->semi = realloc(t->semi, (size_t)t->cap * sizeof(int));
	}
	t->locs[t->n] = (int)t->sb.len;
	strbuf_addf(&t->sb, fmt, i);
	const char *v = strstr(strbuf_str(&t->sb) + t->locs[t->n], " v ");
	t->vcol[t->n] = v ? (int)(v + 1 - strbuf_str(&t->sb)) : -1;
	t->semi[t->n] =
	    (int)(strrchr(strbuf_str(&t->sb), ';') - strbuf_str(&t->sb));
	t->n++;
}

/* Tables (with a comment line now and then) until the text is `size`
 * bytes long. */
static void fill(text *t, int size)
{
	for (int i = t->n; (int)t->sb.len < size; i++) {
		if (i % 100 == 0)
			strbuf_addf(&t->sb, "-- part %d\n", i / 100);
		add_stmt(t,
			 "CREATE TABLE t%06d (id int PRIMARY KEY, "
			 "v text DEFAULT 'x;y');\n",
			 i);
	}
}

static void text_free(text *t)
{
	strbuf_release(&t->sb);
	free(t->locs);
	free(t->vcol);
	free(t->semi);
}

/*
 * The callbacks run on the parser's thread, where cmocka's assertions
 * (a longjmp to the test's thread) cannot: they count what differs,
 * and the test asserts after.
 */
typedef struct seen {
	const text *t;
	int checked, wrong;
	size_t count;
} seen;

static bool stmt_ok(const text *t, size_t i, const PgQuery__RawStmt *rs)
{
	const char *sql = strbuf_str(&t->sb);
	if (!rs || i >= (size_t)t->n || !rs->stmt || !rs->stmt->create_stmt ||
	    rs->stmt->create_stmt->n_table_elts < 2)
		return false;
	const PgQuery__ColumnDef *v =
	    rs->stmt->create_stmt->table_elts[1]->column_def;
	(void)sql;
	/* A statement's text starts after the ';' before it (comments and
	 * blanks included) and runs to its own ';', which stmt_len leaves
	 * out. */
	return rs->stmt_location == (i ? t->semi[i - 1] + 1 : 0) &&
	       rs->stmt_location + rs->stmt_len == t->semi[i] && v &&
	       v->location == t->vcol[i];
}

static int tree_fn(const PgQuery__ParseResult *tree, arena *a, void *arg,
		   error *e)
{
	(void)a;
	(void)e;
	seen *s = arg;
	s->count = tree->n_stmts;
	for (size_t i = 0; i < tree->n_stmts; i++, s->checked++)
		s->wrong += !stmt_ok(s->t, i, tree->stmts[i]);
	return 0;
}

static int list_fn(const pg_stmt_list *l, void *arg, error *e)
{
	(void)e;
	seen *s = arg;
	s->count = pg_stmt_list_count(l);
	for (size_t i = 0; i < s->count; i++, s->checked++) {
		arena a = ARENA_INIT;
		s->wrong += !stmt_ok(s->t, i, pg_stmt_list_get(l, i, &a));
		arena_free(&a);
	}
	s->wrong += pg_stmt_list_get(l, s->count, NULL) != NULL;
	return 0;
}

static void test_pieces_are_the_whole(void **state)
{
	(void)state;
	text t = {STRBUF_INIT};
	fill(&t, BIG);
	error e = ERROR_INIT;
	seen s = {&t, 0, 0, 0};
	assert_int_equal(
	    pg_parse_tree(strbuf_str(&t.sb), "big.sql", tree_fn, &s, &e), 0);
	assert_int_equal(s.count, t.n);
	assert_int_equal(s.checked, t.n);
	assert_int_equal(s.wrong, 0);
	s = (seen){&t, 0, 0, 0};
	assert_int_equal(
	    pg_parse_list(strbuf_str(&t.sb), "big.sql", list_fn, &s, &e), 0);
	assert_int_equal(s.count, t.n);
	assert_int_equal(s.checked, t.n);
	assert_int_equal(s.wrong, 0);

	/* The model: every table, the last one's default whole. */
	model *m = model_new();
	assert_int_equal(pg_parse(m, strbuf_str(&t.sb), "big.sql", &e), 0);
	assert_int_equal(m->ntables, t.n);
	char last[16];
	snprintf(last, sizeof(last), "t%06d", t.n - 1);
	const m_table *x = model_find_table(m, "public", last);
	assert_non_null(x);
	assert_string_equal(x->columns[1].default_expr, "'x;y'::text");
	model_free(m);
	text_free(&t);
}

static int no_call(const PgQuery__ParseResult *tree, arena *a, void *arg,
		   error *e)
{
	(void)tree;
	(void)a;
	(void)e;
	*(bool *)arg = true;
	return -1;
}

static void test_error_positions(void **state)
{
	(void)state;
	text t = {STRBUF_INIT};
	fill(&t, BIG);
	/* A syntax error in the last piece, and its line. */
	int line = 1;
	for (size_t i = 0; i < t.sb.len; i++)
		line += strbuf_str(&t.sb)[i] == '\n';
	strbuf_adds(&t.sb, "CREATE TABLE oops (id int,);\n");
	error e = ERROR_INIT;
	bool called = false;
	assert_int_equal(
	    pg_parse_tree(strbuf_str(&t.sb), "big.sql", no_call, &called, &e),
	    -1);
	assert_false(called);
	char want[128];
	snprintf(want, sizeof(want),
		 "big.sql:%d:27: syntax error at or near \")\"", line);
	assert_string_equal(e.msg, want);
	error_clear(&e);
	model *m = model_new();
	assert_int_equal(pg_parse(m, strbuf_str(&t.sb), "big.sql", &e), -1);
	assert_string_equal(e.msg, want);
	error_clear(&e);
	model_free(m);
	text_free(&t);
}

static void test_atomic_body_across_pieces(void **state)
{
	(void)state;
	text t = {STRBUF_INIT};
	/* The function starts just before the first piece's end, so the
	 * scanner's split puts a piece boundary inside its body. */
	fill(&t, PIECE - 200);
	while (t.sb.len < PIECE - 30)
		strbuf_addch(&t.sb, '\n');
	add_stmt(&t,
		 "CREATE FUNCTION f%d() RETURNS int LANGUAGE sql\n"
		 "BEGIN ATOMIC\n SELECT 1;\n SELECT 2;\n SELECT 3;\n"
		 " SELECT 4;\n SELECT 5;\n SELECT 6;\nEND;\n",
		 1);
	int n0 = t.n;
	fill(&t, BIG);
	error e = ERROR_INIT;
	model *m = model_new();
	assert_int_equal(pg_parse(m, strbuf_str(&t.sb), "big.sql", &e), 0);
	assert_int_equal(m->ntables, t.n - 1);
	assert_int_equal(m->nfunctions, 1);
	assert_true(n0 > 1);
	model_free(m);
	text_free(&t);
}

int main(void)
{
	pg_parse_tree_set_piece_bytes(PIECE);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pieces_are_the_whole),
	    cmocka_unit_test(test_error_positions),
	    cmocka_unit_test(test_atomic_body_across_pieces),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
