/*
 * The plan's data checks on a live database: a database of its own with
 * planted NULLs, duplicates, orphans, CHECK violations and oversize
 * values; every count must be exact, rows the server would let through
 * (NULL keys, trailing spaces, NaN) must not count, one failing query
 * must not stop the others, a CHECK expression calling anything but
 * allow-listed built-ins is never run, the server's error text never
 * reaches the plan, and a bad URL never shows its password.
 * The server comes from SCHEMIG_TEST_PG_URL, which the harness sets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_server.h"
#include "dialects/dialect.h"
#include "dialects/postgres/pg.h"
#include "plan/plan.h"
#include "util/strbuf.h"

static char dbname[64];
static char *db_url; /* conninfo of the test database */

static void conninfo_add(strbuf *sb, const char *key, const char *val)
{
	strbuf_addf(sb, "%s%s='", sb->len ? " " : "", key);
	for (; *val; val++) {
		if (*val == '\'' || *val == '\\')
			strbuf_addch(sb, '\\');
		strbuf_addch(sb, *val);
	}
	strbuf_addch(sb, '\'');
}

/* The server URL's options with another database name. */
static char *conninfo_with_db(const char *base, const char *db)
{
	char *err = NULL;
	PQconninfoOption *opts = PQconninfoParse(base, &err);
	strbuf sb = STRBUF_INIT;
	PQfreemem(err);
	assert_non_null(opts);
	for (PQconninfoOption *o = opts; o->keyword; o++)
		if (o->val && *o->val && strcmp(o->keyword, "dbname"))
			conninfo_add(&sb, o->keyword, o->val);
	conninfo_add(&sb, "dbname", db);
	PQconninfoFree(opts);
	return strbuf_detach(&sb);
}

static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static void exec_ok(const char *url, const char *sql)
{
	PGconn *conn = PQconnectdb(url);
	if (PQstatus(conn) != CONNECTION_OK)
		fail_msg("connect: %s", PQerrorMessage(conn));
	PQsetNoticeProcessor(conn, quiet, NULL);
	PGresult *r = PQexec(conn, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("%s: %s", sql, PQresultErrorMessage(r));
	PQclear(r);
	PQfinish(conn);
}

/*
 * The planted data. Counts the checks must find:
 *   orders.status NULL: 7; orders.customer_id orphans: 5 (3 NULL not
 *   counted); orders CHECK (qty > 0): 4 (2 NULL qty not counted);
 *   orders.small out of smallint: 2; orders.price over numeric(5,2): 3
 *   (NaN fits); orders rows: 20.
 *   users.email duplicated: 7 rows in 3 groups (4 NULL emails not
 *   counted); (tenant, email): 4 rows in 2 groups; users.name over
 *   varchar(20): 6 (one with trailing spaces only fits).
 *   "Sales Data"."Order Items": "select" NULL: 3; we"ird duplicated: 4
 *   rows in 2 groups; ("select", "Qty") orphans against "Ref Table": 2;
 *   CHECK ("Qty" > 0): 1.
 */
static const char setup_sql[] =
    "CREATE TABLE customers (id int PRIMARY KEY, name text);"
    "INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 10) g;"
    "CREATE TABLE orders (id int PRIMARY KEY, status text, customer_id int,"
    "  qty int, small bigint, price numeric);"
    /* 20 rows: 1..7 NULL status; 8..12 orphans, 13..15 NULL customer;
     * 16..19 qty <= 0, 20 and 1 NULL qty. */
    "INSERT INTO orders SELECT g, CASE WHEN g <= 7 THEN NULL ELSE 'new' END,"
    "  CASE WHEN g BETWEEN 8 AND 12 THEN 100 + g"
    "       WHEN g BETWEEN 13 AND 15 THEN NULL ELSE g % 10 + 1 END,"
    "  CASE WHEN g BETWEEN 16 AND 19 THEN 16 - g"
    "       WHEN g IN (1, 20) THEN NULL ELSE g END,"
    "  g, 1 FROM generate_series(1, 20) g;"
    "UPDATE orders SET small = 40000 WHERE id = 1;"
    "UPDATE orders SET small = -40000 WHERE id = 2;"
    "UPDATE orders SET small = 32767 WHERE id = 3;"
    "UPDATE orders SET small = -32768 WHERE id = 4;"
    "UPDATE orders SET price = 999.99 WHERE id = 5;"
    "UPDATE orders SET price = 999.995 WHERE id = 6;"
    "UPDATE orders SET price = 1000 WHERE id = 7;"
    "UPDATE orders SET price = -1234.5 WHERE id = 8;"
    "UPDATE orders SET price = 'NaN' WHERE id = 9;"
    "UPDATE orders SET price = -999.994 WHERE id = 10;"
    "CREATE TABLE users (id serial PRIMARY KEY, tenant int, email text,"
    "  name text);"
    "INSERT INTO users (tenant, email, name) VALUES"
    "  (1, 'a', 'x'), (1, 'a', 'x'), (1, 'b', 'x'), (1, 'b', 'x'),"
    "  (1, 'c', 'x'), (NULL, 'c', 'x'), (NULL, 'c', 'x'),"
    "  (1, NULL, 'x'), (1, NULL, 'x'), (1, NULL, 'x'), (1, NULL, 'x'),"
    "  (1, 'd', repeat('n', 21)), (1, 'e', repeat('n', 30)),"
    "  (1, 'f', repeat('é', 25)), (1, 'g', repeat('n', 100)),"
    "  (1, 'h', repeat('n', 19) || 'xy'), (1, 'i', repeat('n', 22) || ' '),"
    "  (1, 'j', repeat('n', 20)), (1, 'k', repeat('n', 20) || '   '),"
    "  (1, 'l', repeat('é', 20)), (1, 'm', NULL);"
    "CREATE TABLE empty_one (id int);"
    "CREATE TABLE slow (id int); INSERT INTO slow VALUES (1);"
    "CREATE TABLE log (x int);"
    "CREATE FUNCTION bump() RETURNS int LANGUAGE sql VOLATILE AS"
    "  $$ INSERT INTO log VALUES (1) RETURNING 1 $$;"
    "CREATE SCHEMA \"Sales Data\";"
    "CREATE TABLE \"Sales Data\".\"Ref Table\" (\"Key\" int, \"Qty\" int,"
    "  PRIMARY KEY (\"Key\", \"Qty\"));"
    "INSERT INTO \"Sales Data\".\"Ref Table\" VALUES (1, 1), (2, 2);"
    "CREATE TABLE \"Sales Data\".\"Order Items\" (\"select\" int,"
    "  \"we\"\"ird\" text, \"Qty\" int);"
    "INSERT INTO \"Sales Data\".\"Order Items\" VALUES"
    "  (1, 'p', 1), (2, 'p', 2), (1, 'q', 2), (NULL, 'q', 1),"
    "  (NULL, 'r', 5), (NULL, NULL, 0), (3, NULL, 3);";

static int setup(void **state)
{
	(void)state;
	const char *url = test_server_url();
	char sql[128];
	snprintf(dbname, sizeof(dbname), "schemig_checks_%ld", (long)getpid());
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", dbname);
	exec_ok(url, sql);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", dbname);
	exec_ok(url, sql);
	db_url = conninfo_with_db(url, dbname);
	exec_ok(db_url, setup_sql);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char sql[128];
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)",
		 dbname);
	exec_ok(test_server_url(), sql);
	free(db_url);
	return 0;
}

/* A check guarding a step of its own; `cols` ends with NULL. */
static plan_check *add_check(plan *p, enum plan_check_kind kind,
			     const char *schema, const char *table,
			     const char *const *cols)
{
	plan_step *s = plan_add_step(p, "test_step", table, table, "SELECT;\n");
	plan_check *c = plan_add_check(p, kind, s->n, schema, table);
	for (int i = 0; cols && cols[i]; i++)
		plan_check_add_column(p, c, cols[i]);
	return c;
}

static void add_ref_columns(plan *p, plan_check *c, const char *ref_schema,
			    const char *ref_table, const char *const *cols)
{
	c->ref_schema = plan_str(p, ref_schema);
	c->ref_table = plan_str(p, ref_table);
	for (int i = 0; cols[i]; i++)
		plan_check_add_ref_column(p, c, cols[i]);
}

#define COLS(...)                                                              \
	(const char *const[])                                                  \
	{                                                                      \
		__VA_ARGS__, NULL                                              \
	}

static void expect(const plan *p, int i, bool ran, long long failing,
		   const char *message)
{
	const plan_check *c = &p->checks[i];
	if (c->ran != ran || c->failing != failing || !c->message ||
	    strcmp(c->message, message))
		fail_msg("check %d: got ran=%d failing=%lld \"%s\", want "
			 "ran=%d failing=%lld \"%s\"",
			 i, c->ran, c->failing, c->message ? c->message : "",
			 ran, failing, message);
	bool flagged = p->steps[c->step - 1].hazards & HZ_WILL_FAIL;
	if (flagged != (ran && failing > 0))
		fail_msg("check %d: step %d will_fail hazard is %d", i, c->step,
			 flagged);
}

static void test_counts_on_plain_tables(void **state)
{
	(void)state;
	plan p;
	error e = ERROR_INIT;
	plan_init(&p);

	add_check(&p, PLAN_CHECK_NOT_NULL, "public", "orders", COLS("status"));
	add_check(&p, PLAN_CHECK_NOT_NULL, "public", "orders", COLS("id"));
	add_check(&p, PLAN_CHECK_UNIQUE, "public", "users", COLS("email"));
	add_check(&p, PLAN_CHECK_UNIQUE, "public", "users",
		  COLS("tenant", "email"));
	add_check(&p, PLAN_CHECK_UNIQUE, "public", "users", COLS("id"));
	plan_check *c = add_check(&p, PLAN_CHECK_FOREIGN_KEY, "public",
				  "orders", COLS("customer_id"));
	add_ref_columns(&p, c, "public", "customers", COLS("id"));
	c = add_check(&p, PLAN_CHECK_FOREIGN_KEY, NULL, "orders", COLS("id"));
	add_ref_columns(&p, c, NULL, "orders", COLS("id"));
	c = add_check(&p, PLAN_CHECK_CHECK, "public", "orders", NULL);
	c->expr = plan_str(&p, "qty > 0");
	/* The server's spelling, parenthesised already. */
	c = add_check(&p, PLAN_CHECK_CHECK, "public", "orders", COLS("qty"));
	c->expr = plan_str(&p, "((qty > 0))");
	c = add_check(&p, PLAN_CHECK_CHECK, "public", "orders", COLS("qty"));
	c->expr = plan_str(&p, "(qty > 0) OR (status = ')(')");
	c = add_check(&p, PLAN_CHECK_NARROW, "public", "users", COLS("name"));
	c->type = plan_str(&p, "character varying(20)");
	c = add_check(&p, PLAN_CHECK_NARROW, "public", "users", COLS("name"));
	c->type = plan_str(&p, "character(30)");
	c = add_check(&p, PLAN_CHECK_NARROW, "public", "orders", COLS("small"));
	c->type = plan_str(&p, "smallint");
	c = add_check(&p, PLAN_CHECK_NARROW, "public", "orders", COLS("small"));
	c->type = plan_str(&p, "integer");
	c = add_check(&p, PLAN_CHECK_NARROW, "public", "orders", COLS("price"));
	c->type = plan_str(&p, "numeric(5,2)");
	c = add_check(&p, PLAN_CHECK_NARROW, "public", "orders", COLS("price"));
	c->type = plan_str(&p, "numeric(6,2)");
	c = add_check(&p, PLAN_CHECK_NARROW, "public", "orders", COLS("price"));
	c->type = plan_str(&p, "numeric(2,3)");
	c = add_check(&p, PLAN_CHECK_NARROW, "public", "orders", COLS("price"));
	c->type = plan_str(&p, "numeric(1,-3)");
	c = add_check(&p, PLAN_CHECK_NARROW, "public", "orders", COLS("price"));
	c->type = plan_str(&p, "timestamp with time zone");
	c = add_check(&p, PLAN_CHECK_ROWS, "public", "orders", COLS("x"));
	c = add_check(&p, PLAN_CHECK_ROWS, "public", "orders", NULL);
	c = add_check(&p, PLAN_CHECK_ROWS, "public", "empty_one", COLS("x"));

	assert_int_equal(pg_plan_check_data(db_url, &p, &e), 0);
	assert_null(e.msg);

	int i = 0;
	expect(&p, i++, true, 7,
	       "will fail: 7 rows of orders have NULL status");
	expect(&p, i++, true, 0, "ok: no NULL id in orders");
	expect(&p, i++, true, 7,
	       "will fail: 7 rows of users share a duplicated (email) in 3 "
	       "groups");
	expect(&p, i++, true, 4,
	       "will fail: 4 rows of users share a duplicated (tenant, "
	       "email) in 2 groups");
	expect(&p, i++, true, 0, "ok: no duplicated (id) in users");
	expect(&p, i++, true, 5,
	       "will fail: 5 rows of orders reference a missing customers "
	       "row (customer_id)");
	expect(&p, i++, true, 0,
	       "ok: no row of orders references a missing orders row (id)");
	expect(&p, i++, true, 4,
	       "will fail: 4 rows of orders violate CHECK (qty > 0)");
	expect(&p, i++, true, 4,
	       "will fail: 4 rows of orders violate CHECK ((qty > 0))");
	expect(&p, i++, true, 4,
	       "will fail: 4 rows of orders violate CHECK ((qty > 0) OR "
	       "(status = ')('))");
	expect(&p, i++, true, 6,
	       "will fail: 6 rows of users have name values that do not fit "
	       "character varying(20)");
	expect(&p, i++, true, 1,
	       "will fail: 1 row of users has a name value that does not fit "
	       "character(30)");
	expect(&p, i++, true, 2,
	       "will fail: 2 rows of orders have small values that do not "
	       "fit smallint");
	expect(&p, i++, true, 0,
	       "ok: every small value in orders fits integer");
	expect(&p, i++, true, 3,
	       "will fail: 3 rows of orders have price values that do not "
	       "fit numeric(5,2)");
	expect(&p, i++, true, 0,
	       "ok: every price value in orders fits numeric(6,2)");
	/* Below 0.1: only NaN fits; hundreds and thousands: all fit. */
	expect(&p, i++, true, 19,
	       "will fail: 19 rows of orders have price values that do not "
	       "fit numeric(2,3)");
	expect(&p, i++, true, 0,
	       "ok: every price value in orders fits numeric(1,-3)");
	expect(&p, i++, false, 0,
	       "not checked: no data check for a change to timestamp with "
	       "time zone");
	expect(&p, i++, true, 20,
	       "will fail: orders has 20 rows and the new column x is NOT "
	       "NULL without a default");
	expect(&p, i++, true, 20,
	       "will fail: orders has 20 rows and a new column is NOT NULL "
	       "without a default");
	expect(&p, i++, true, 0, "ok: empty_one is empty");
	assert_int_equal(i, p.nchecks);
	plan_release(&p);
}

static void test_names_needing_quotes(void **state)
{
	(void)state;
	plan p;
	error e = ERROR_INIT;
	plan_init(&p);
	const char *s = "Sales Data", *t = "Order Items";

	add_check(&p, PLAN_CHECK_NOT_NULL, s, t, COLS("select"));
	add_check(&p, PLAN_CHECK_UNIQUE, s, t, COLS("we\"ird"));
	plan_check *c =
	    add_check(&p, PLAN_CHECK_FOREIGN_KEY, s, t, COLS("select", "Qty"));
	add_ref_columns(&p, c, s, "Ref Table", COLS("Key", "Qty"));
	c = add_check(&p, PLAN_CHECK_CHECK, s, t, NULL);
	c->expr = plan_str(&p, "\"Qty\" > 0");
	c = add_check(&p, PLAN_CHECK_NARROW, s, t, COLS("we\"ird"));
	c->type = plan_str(&p, "character varying(1)");

	assert_int_equal(pg_plan_check_data(db_url, &p, &e), 0);
	int i = 0;
	expect(&p, i++, true, 3,
	       "will fail: 3 rows of \"Sales Data\".\"Order Items\" have "
	       "NULL \"select\"");
	expect(&p, i++, true, 4,
	       "will fail: 4 rows of \"Sales Data\".\"Order Items\" share a "
	       "duplicated (\"we\"\"ird\") in 2 groups");
	expect(&p, i++, true, 2,
	       "will fail: 2 rows of \"Sales Data\".\"Order Items\" reference "
	       "a missing \"Sales Data\".\"Ref Table\" row (\"select\", "
	       "\"Qty\")");
	expect(&p, i++, true, 1,
	       "will fail: 1 row of \"Sales Data\".\"Order Items\" violates "
	       "CHECK (\"Qty\" > 0)");
	expect(&p, i++, true, 0,
	       "ok: every \"we\"\"ird\" value in \"Sales Data\".\"Order "
	       "Items\" fits character varying(1)");
	plan_release(&p);
}

/* A failing query (broken expression, missing table, a lock held by
 * someone else) is "not checked" with its SQLSTATE, and the checks after
 * it still run. */
static void test_failures_do_not_stop_the_others(void **state)
{
	(void)state;
	plan p;
	error e = ERROR_INIT;
	plan_init(&p);
	p.settings.statement_timeout_ms = 1000;
	p.settings.lock_timeout_ms = 200;

	plan_check *c =
	    add_check(&p, PLAN_CHECK_CHECK, "public", "orders", NULL);
	c->expr = plan_str(&p, "no_such_column > 0");
	add_check(&p, PLAN_CHECK_NOT_NULL, "public", "orders", COLS("status"));
	add_check(&p, PLAN_CHECK_NOT_NULL, "public", "no_such_table",
		  COLS("x"));
	add_check(&p, PLAN_CHECK_NOT_NULL, "public", "slow", COLS("id"));
	c = add_check(&p, PLAN_CHECK_CHECK, "public", "orders", NULL);
	c->expr = plan_str(&p, "qty > 0");

	/* A migration in progress elsewhere holds slow's strongest lock. */
	PGconn *locker = PQconnectdb(db_url);
	PQclear(PQexec(locker, "BEGIN; LOCK TABLE slow IN ACCESS EXCLUSIVE "
			       "MODE"));
	assert_int_equal(pg_plan_check_data(db_url, &p, &e), 0);
	PQclear(PQexec(locker, "ROLLBACK"));
	PQfinish(locker);

	expect(&p, 0, false, 0,
	       "not checked: check failed on the server: SQLSTATE 42703 (no "
	       "such column)");
	expect(&p, 1, true, 7, "will fail: 7 rows of orders have NULL status");
	expect(&p, 2, false, 0,
	       "not checked: check failed on the server: SQLSTATE 42P01 (no "
	       "such table)");
	expect(&p, 3, false, 0,
	       "not checked: check failed on the server: SQLSTATE 55P03 (lock "
	       "timeout)");
	expect(&p, 4, true, 4,
	       "will fail: 4 rows of orders violate CHECK (qty > 0)");
	plan_release(&p);
}

static long long count_rows(const char *table)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	PGconn *conn = PQconnectdb(db_url);
	PGresult *r = PQexec(conn, sql);
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	long long n = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	PQfinish(conn);
	return n;
}

/*
 * A CHECK expression comes from a branch's schema file: anything but the
 * allow-listed built-ins is never sent to the live database. pg_sleep
 * would hold the plan (no statement timeout here), pg_terminate_backend
 * would end the session of the checks after it, bump() writes to log;
 * text closing the parenthesis early must not smuggle in a sub-select,
 * a second statement or a UNION.
 */
static void test_hostile_expressions_not_run(void **state)
{
	(void)state;
	plan p;
	error e = ERROR_INIT;
	plan_init(&p);
	p.settings.statement_timeout_ms = 0;
	static const struct {
		const char *expr, *why;
	} hostile[] = {
	    {"pg_sleep(5) IS NULL", "expression calls pg_sleep()"},
	    {"pg_catalog.pg_sleep(5) IS NULL",
	     "expression calls pg_catalog.pg_sleep()"},
	    {"pg_terminate_backend(pg_backend_pid())",
	     "expression calls pg_terminate_backend()"},
	    {"bump() > 0", "expression calls bump()"},
	    {"public.bump() > 0", "expression calls public.bump()"},
	    {"length(bump()::text) > 0", "expression calls bump()"},
	    {"qty > (SELECT count(*) FROM log)",
	     "expression holds a sub-select"},
	    {"qty > 0) OR (SELECT bump() > 0", "expression holds a sub-select"},
	    {"true); SELECT bump(", "expression is not a single condition"},
	    {"true) UNION SELECT bump() WHERE (true",
	     "expression is not a single condition"},
	    {"true) GROUP BY (bump()", "expression is not a single condition"},
	    {"qty OPERATOR(public.>) 0", "expression uses operator public.>"},
	    {"qty::regclass IS NULL", "expression casts to regclass"},
	    {"count(*) OVER () > 0", "expression calls count()"},
	    {"qty > $1", "expression uses ParamRef"},
	    {"qty > 0 --", "expression does not parse"},
	};
	size_t n = sizeof(hostile) / sizeof(hostile[0]);
	for (size_t i = 0; i < n; i++) {
		plan_check *c =
		    add_check(&p, PLAN_CHECK_CHECK, "public", "slow", NULL);
		c->expr = plan_str(&p, hostile[i].expr);
	}
	plan_check *c =
	    add_check(&p, PLAN_CHECK_CHECK, "public", "orders", NULL);
	c->expr = plan_str(&p, "qty > 0");

	assert_int_equal(pg_plan_check_data(db_url, &p, &e), 0);

	for (size_t i = 0; i < n; i++) {
		char want[160];
		snprintf(want, sizeof(want), "not checked: %s", hostile[i].why);
		expect(&p, (int)i, false, 0, want);
	}
	/* The session survived and the next check ran. */
	expect(&p, (int)n, true, 4,
	       "will fail: 4 rows of orders violate CHECK (qty > 0)");
	assert_int_equal(count_rows("log"), 0);
	plan_release(&p);
}

/* An identity sequence's new bounds: read from the plan as two numbers,
 * whatever else a tampered plan file holds; the messages name the
 * numbers, not the text. users.id is a serial at 21. */
static void test_sequence_bounds(void **state)
{
	(void)state;
	plan p;
	error e = ERROR_INIT;
	plan_init(&p);
	static const char *const exprs[] = {
	    "MINVALUE 1 MAXVALUE 10); SELECT bump(); --",
	    "MINVALUE 1 MAXVALUE 100",
	    "MAXVALUE 5",
	};
	for (int i = 0; i < 3; i++) {
		plan_check *c = add_check(&p, PLAN_CHECK_SEQUENCE, "public",
					  "users", COLS("id"));
		c->expr = plan_str(&p, exprs[i]);
	}
	assert_int_equal(pg_plan_check_data(db_url, &p, &e), 0);
	expect(&p, 0, true, 1,
	       "will fail: the identity sequence of users.id is at a value "
	       "outside its new bounds (MINVALUE 1 MAXVALUE 10)");
	expect(&p, 1, true, 0,
	       "ok: the identity sequence of users.id is within its new "
	       "bounds (MINVALUE 1 MAXVALUE 100)");
	expect(&p, 2, false, 0, "not checked: no sequence bounds given");
	assert_int_equal(count_rows("log"), 0);
	plan_release(&p);
}

/* Expressions made only of allow-listed functions, operators and casts,
 * in the server's spelling too, still count exactly. */
static void test_allowed_expressions_count(void **state)
{
	(void)state;
	plan p;
	error e = ERROR_INIT;
	plan_init(&p);
	/* qty: 1 and 20 NULL, 2..15 themselves, 16..19 0, -1, -2, -3;
	 * status NULL for 1..7, else 'new'. greatest() skips NULLs: 6. */
	static const struct {
		const char *expr;
		long long failing;
	} allowed[] = {
	    {"(qty IN (1, 2, 3)) OR (abs(qty) > 3)", 4},
	    {"greatest(qty, 0) > 0", 6},
	    {"nullif(qty, 2) IS NOT NULL", 3},
	    {"CASE WHEN qty < 0 THEN false ELSE true END", 3},
	    {"(qty = ANY (ARRAY[1, 2, 3]))", 16},
	    {"((qty)::numeric(10,2) >= (0)::numeric)", 3},
	    {"((upper(status) = 'NEW'::text) AND "
	     "(pg_catalog.char_length(btrim(status)) = 3))",
	     0},
	    {"((status)::text ~~ 'n%'::text) AND (status ~ '^ne')", 0},
	    {"coalesce(qty, 1) BETWEEN 1 AND 15", 4},
	    {"qty IS DISTINCT FROM 0 AND position('e' IN status) = 2", 1},
	    {"substring(status FROM 1 FOR 1) = 'n' OR length(status) = 0", 0},
	};
	size_t n = sizeof(allowed) / sizeof(allowed[0]);
	for (size_t i = 0; i < n; i++) {
		plan_check *c =
		    add_check(&p, PLAN_CHECK_CHECK, "public", "orders", NULL);
		c->expr = plan_str(&p, allowed[i].expr);
	}
	assert_int_equal(pg_plan_check_data(db_url, &p, &e), 0);
	for (size_t i = 0; i < n; i++) {
		const plan_check *c = &p.checks[i];
		if (!c->ran || c->failing != allowed[i].failing)
			fail_msg("%s: ran=%d failing=%lld (want %lld): %s",
				 allowed[i].expr, c->ran, c->failing,
				 allowed[i].failing, c->message);
	}
	plan_release(&p);
}

/* A failed cast quotes the row value in the server's message: the plan
 * keeps only the SQLSTATE. */
static void test_server_message_not_copied(void **state)
{
	(void)state;
	plan p;
	error e = ERROR_INIT;
	plan_init(&p);
	exec_ok(db_url,
		"CREATE TABLE codes (code text);"
		"INSERT INTO codes VALUES ('1'), ('planted-secret-42')");
	plan_check *c =
	    add_check(&p, PLAN_CHECK_CHECK, "public", "codes", NULL);
	c->expr = plan_str(&p, "((code)::integer > 0)");
	assert_int_equal(pg_plan_check_data(db_url, &p, &e), 0);
	expect(&p, 0, false, 0,
	       "not checked: check failed on the server: SQLSTATE 22P02");
	assert_null(strstr(p.checks[0].message, "planted-secret"));
	plan_release(&p);
	exec_ok(db_url, "DROP TABLE codes");
}

static void test_thousands_separator(void **state)
{
	(void)state;
	plan p;
	error e = ERROR_INIT;
	plan_init(&p);
	exec_ok(db_url, "CREATE TABLE big AS SELECT NULL::int AS v "
			"FROM generate_series(1, 1234567)");
	add_check(&p, PLAN_CHECK_NOT_NULL, "public", "big", COLS("v"));
	assert_int_equal(pg_plan_check_data(db_url, &p, &e), 0);
	expect(&p, 0, true, 1234567,
	       "will fail: 1,234,567 rows of big have NULL v");
	plan_release(&p);
	exec_ok(db_url, "DROP TABLE big");
}

static void test_bad_url_redacted(void **state)
{
	(void)state;
	plan p;
	error e = ERROR_INIT;
	plan_init(&p);
	add_check(&p, PLAN_CHECK_NOT_NULL, "public", "orders", COLS("status"));
	int rc = pg_plan_check_data("postgresql://postgres:s3cret@/nodb"
				    "?host=/nonexistent-schemig-dir&port=1",
				    &p, &e);
	assert_int_equal(rc, -1);
	assert_int_equal(e.code, EXIT_DB);
	assert_non_null(e.msg);
	if (strstr(e.msg, "s3cret"))
		fail_msg("password in message: %s", e.msg);
	assert_non_null(strstr(e.msg, "***"));
	assert_false(p.checks[0].ran);
	error_clear(&e);
	plan_release(&p);
}

static void test_dialect_table(void **state)
{
	(void)state;
	assert_ptr_equal(dialect_postgres.plan_check_data, pg_plan_check_data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_counts_on_plain_tables),
	    cmocka_unit_test(test_names_needing_quotes),
	    cmocka_unit_test(test_failures_do_not_stop_the_others),
	    cmocka_unit_test(test_hostile_expressions_not_run),
	    cmocka_unit_test(test_sequence_bounds),
	    cmocka_unit_test(test_allowed_expressions_count),
	    cmocka_unit_test(test_server_message_not_copied),
	    cmocka_unit_test(test_thousands_separator),
	    cmocka_unit_test(test_bad_url_redacted),
	    cmocka_unit_test(test_dialect_table),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
