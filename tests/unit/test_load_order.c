/* The order a schema file's statements are loaded in (pg_load_order,
 * dialects/postgres/load_order.c): forward references of each kind,
 * file order kept wherever it can be, barriers, cycles, drops, quoted
 * names, and the schema parser reading a file in the same order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pg_query.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialects/postgres/pg.h"
#include "util/strbuf.h"

/* The order pg_load_order gives for `sql` as "2 0 1", or "file" when it
 * keeps file order; the caller frees. */
static char *order_of(const char *sql)
{
	PgQuerySplitResult sp = pg_query_split_with_parser(sql);
	assert_null(sp.error);
	int *locs = calloc((size_t)sp.n_stmts + 1, sizeof(int));
	for (int i = 0; i < sp.n_stmts; i++)
		locs[i] = sp.stmts[i]->stmt_location;
	int *order = pg_load_order(sql, sp.n_stmts, locs);
	strbuf sb = STRBUF_INIT;
	for (int i = 0; order && i < sp.n_stmts; i++)
		strbuf_addf(&sb, "%s%d", i ? " " : "", order[i]);
	if (!order)
		strbuf_adds(&sb, "file");
	free(order);
	free(locs);
	pg_query_free_split_result(sp);
	return strbuf_detach(&sb);
}

static void expect_order(const char *sql, const char *want)
{
	char *got = order_of(sql);
	if (strcmp(got, want))
		print_error("order of:\n%s\ngot %s, want %s\n", sql, got, want);
	assert_string_equal(got, want);
	free(got);
}

/* A file already in order (pg_dump's shape) is loaded as written. */
static void test_in_order_file_untouched(void **state)
{
	(void)state;
	expect_order(
	    "CREATE SCHEMA app;\n"
	    "CREATE TYPE app.mood AS ENUM ('ok');\n"
	    "CREATE FUNCTION app.f() RETURNS int LANGUAGE sql AS $$ SELECT 1 "
	    "$$;\n"
	    "CREATE SEQUENCE app.s;\n"
	    "CREATE TABLE app.t (id int DEFAULT nextval('app.s'), m app.mood "
	    "CHECK (app.f() > 0));\n"
	    "CREATE TABLE app.u (t_id int REFERENCES app.t (id));\n"
	    "CREATE VIEW app.v AS SELECT id FROM app.t;\n"
	    "CREATE INDEX t_m ON app.t (m);\n"
	    "COMMENT ON TABLE app.t IS 'x';\n"
	    "ALTER TABLE app.u ADD CONSTRAINT k CHECK (t_id > 0);\n",
	    "file");
}

/* Each kind of forward reference moves its statement after the
 * definition, and nothing else moves. */
static void test_forward_references(void **state)
{
	(void)state;
	/* A foreign key. */
	expect_order("CREATE TABLE a (b_id int REFERENCES b (id));\n"
		     "CREATE TABLE b (id int PRIMARY KEY);",
		     "1 0");
	/* A view over a view over a table. */
	expect_order("CREATE VIEW v2 AS SELECT * FROM v1;\n"
		     "CREATE VIEW v1 AS SELECT * FROM t;\n"
		     "CREATE TABLE t (a int);",
		     "2 1 0");
	/* A default and a CHECK calling later functions. */
	expect_order("CREATE TABLE t (a int DEFAULT f(), b int CHECK (g(b)));\n"
		     "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS "
		     "$$ BEGIN RETURN 1; END $$;\n"
		     "CREATE FUNCTION g(int) RETURNS bool LANGUAGE sql "
		     "RETURN true;",
		     "1 2 0");
	/* A domain over a later domain; an enum. */
	expect_order("CREATE TABLE t (a d1, b e);\n"
		     "CREATE DOMAIN d1 AS d2;\n"
		     "CREATE TYPE e AS ENUM ('x');\n"
		     "CREATE DOMAIN d2 AS int;",
		     "2 3 1 0");
	/* A schema created last, a sequence named in a string. */
	expect_order("CREATE TABLE s.t (id int DEFAULT nextval('s.q'));\n"
		     "CREATE SEQUENCE s.q;\n"
		     "CREATE SCHEMA s;",
		     "2 1 0");
	/* An index, comments, a grant, an ALTER on a later table. */
	expect_order("CREATE INDEX i ON t (a);\n"
		     "COMMENT ON COLUMN t.a IS 'x';\n"
		     "COMMENT ON INDEX i IS 'y';\n"
		     "GRANT SELECT ON t TO PUBLIC;\n"
		     "ALTER TABLE t OWNER TO CURRENT_USER;\n"
		     "CREATE TABLE t (a int);",
		     "5 0 1 2 3 4");
	/* A trigger before its function; a partition before its parent. */
	expect_order("CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW "
		     "EXECUTE FUNCTION tf();\n"
		     "CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);\n"
		     "CREATE TABLE t (a int);\n"
		     "CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql "
		     "AS $$ BEGIN RETURN NEW; END $$;\n"
		     "CREATE TABLE p (a int) PARTITION BY LIST (a);",
		     "2 3 0 4 1");
}

/* A statement naming a later table follows the columns and keys later
 * ALTERs add to it; should such an ALTER name the statement's own object
 * (a foreign key back), that wish is given up. */
static void test_later_alters(void **state)
{
	(void)state;
	expect_order("CREATE TABLE a (b_id int REFERENCES b (id));\n"
		     "CREATE TABLE b (id int);\n"
		     "CREATE INDEX bi ON b (id);\n"
		     "ALTER TABLE b ADD PRIMARY KEY (id);\n"
		     "CREATE VIEW v AS SELECT x FROM c;\n"
		     "CREATE TABLE c (id int);\n"
		     "ALTER TABLE c ADD COLUMN x int;",
		     "1 2 3 0 5 6 4");
	expect_order("CREATE TABLE a (id int PRIMARY KEY, b_id int "
		     "REFERENCES b (id));\n"
		     "CREATE TABLE b (id int PRIMARY KEY);\n"
		     "ALTER TABLE b ADD COLUMN a_id int REFERENCES a (id);",
		     "1 0 2");
}

/* A statement that does not depend on a moved one keeps its place
 * relative to the others: the earliest ready statement goes first. */
static void test_stable(void **state)
{
	(void)state;
	expect_order("CREATE VIEW v AS SELECT * FROM t;\n"
		     "CREATE TABLE x (a int);\n"
		     "CREATE TABLE t (a int);\n"
		     "CREATE TABLE y (a int);",
		     "1 2 0 3");
}

/* String bodies: LANGUAGE sql is checked at creation (ordered), PL/pgSQL
 * is not (left alone). */
static void test_function_bodies(void **state)
{
	(void)state;
	expect_order("CREATE FUNCTION n() RETURNS bigint LANGUAGE sql AS "
		     "$$ SELECT count(*) FROM t $$;\n"
		     "CREATE TABLE t (a int);",
		     "1 0");
	expect_order("CREATE FUNCTION n() RETURNS bigint LANGUAGE sql "
		     "BEGIN ATOMIC SELECT count(*) FROM t; END;\n"
		     "CREATE TABLE t (a int);",
		     "1 0");
	expect_order("CREATE FUNCTION n() RETURNS bigint LANGUAGE plpgsql AS "
		     "$$ BEGIN RETURN (SELECT count(*) FROM t); END $$;\n"
		     "CREATE TABLE t (a int);",
		     "file");
	/* With check_function_bodies off (pg_dump's way), a string body is
	 * not checked at creation: the dump is loaded as written; back on,
	 * it is. */
	expect_order("SELECT pg_catalog.set_config('check_function_bodies', "
		     "'false', false);\n"
		     "CREATE FUNCTION n() RETURNS bigint LANGUAGE sql AS "
		     "$$ SELECT count(*) FROM t $$;\n"
		     "CREATE TABLE t (a int);",
		     "file");
	expect_order("SET check_function_bodies = off;\n"
		     "RESET check_function_bodies;\n"
		     "CREATE FUNCTION n() RETURNS bigint LANGUAGE sql AS "
		     "$$ SELECT count(*) FROM t $$;\n"
		     "CREATE TABLE t (a int);",
		     "0 1 3 2");
}

/* Nothing moves across a SET (what follows must still see it), but a
 * stretch between two is ordered. */
static void test_barriers(void **state)
{
	(void)state;
	expect_order("CREATE TABLE a (b_id int REFERENCES b (id));\n"
		     "SET search_path = other;\n"
		     "CREATE TABLE b (id int PRIMARY KEY);",
		     "file");
	expect_order("SET search_path = other;\n"
		     "CREATE VIEW v AS SELECT * FROM t;\n"
		     "CREATE TABLE t (a int);\n"
		     "SELECT pg_catalog.set_config('search_path', '', false);\n"
		     "CREATE VIEW w AS SELECT * FROM u;\n"
		     "CREATE TABLE u (a int);",
		     "0 2 1 3 5 4");
}

/* An inline foreign key cycle cannot be ordered: file order, and the
 * server's error. DROP then CREATE keep their order. */
static void test_cycles_and_drops(void **state)
{
	(void)state;
	expect_order("CREATE TABLE x (id int PRIMARY KEY, y_id int "
		     "REFERENCES y (id));\n"
		     "CREATE TABLE y (id int PRIMARY KEY, x_id int "
		     "REFERENCES x (id));\n"
		     "CREATE TABLE z (x_id int REFERENCES x (id));",
		     "file");
	expect_order("CREATE VIEW v AS SELECT * FROM t;\n"
		     "DROP TABLE IF EXISTS t;\n"
		     "CREATE TABLE t (a int);",
		     "1 2 0");
	expect_order("DROP FUNCTION IF EXISTS f();\n"
		     "CREATE FUNCTION f() RETURNS int LANGUAGE sql RETURN 1;",
		     "file");
}

/* Quoted names keep their case, unquoted ones fold, in identifiers and
 * in regclass strings alike. */
static void test_quoted_names(void **state)
{
	(void)state;
	expect_order("CREATE TABLE \"S\".t (x \"S\".\"T\", "
		     "n int DEFAULT nextval('\"S\".Seq'));\n"
		     "CREATE SEQUENCE \"S\".seq;\n"
		     "CREATE TYPE \"S\".\"T\" AS ENUM ('a');\n"
		     "CREATE SCHEMA \"S\";",
		     "3 1 2 0");
	/* "T" and t are different types: no dependency. */
	expect_order("CREATE TABLE a (x \"T\");\n"
		     "CREATE TYPE t AS ENUM ('a');",
		     "file");
}

/* What cannot be read is loaded as written. */
static void test_unreadable(void **state)
{
	(void)state;
	int locs[] = {0, 10};
	/* A syntax error. */
	assert_null(pg_load_order("CREATE TABL a (b int REFERENCES b);\n"
				  "CREATE TABLE b (id int);",
				  2, locs));
	/* A split that does not match the parse. */
	int wrong[] = {0, 3};
	assert_null(pg_load_order("CREATE VIEW v AS SELECT * FROM t;\n"
				  "CREATE TABLE t (a int);",
				  2, wrong));
}

/* The schema parser reads the statements in the same order, and an
 * error still names its own line. */
static void test_parser_order(void **state)
{
	(void)state;
	model *m = model_new();
	error e = ERROR_INIT;
	assert_int_equal(pg_parse(m,
				  "CREATE INDEX i ON t (a);\n"
				  "COMMENT ON TABLE t IS 'x';\n"
				  "CREATE TABLE t (a int);\n",
				  "x.sql", &e),
			 0);
	model_free(m);
	m = model_new();
	assert_int_equal(pg_parse(m,
				  "CREATE INDEX i ON t (a);\n"
				  "\n"
				  "CREATE INDEX j ON nowhere (a);\n"
				  "CREATE TABLE t (a int);\n",
				  "x.sql", &e),
			 -1);
	assert_non_null(strstr(e.msg, "x.sql:3"));
	error_clear(&e);
	model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_in_order_file_untouched),
	    cmocka_unit_test(test_forward_references),
	    cmocka_unit_test(test_later_alters),
	    cmocka_unit_test(test_stable),
	    cmocka_unit_test(test_function_bodies),
	    cmocka_unit_test(test_barriers),
	    cmocka_unit_test(test_cycles_and_drops),
	    cmocka_unit_test(test_quoted_names),
	    cmocka_unit_test(test_unreadable),
	    cmocka_unit_test(test_parser_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
