/* MySQL sessions and what apply builds on them (dialects/mysql/split.c,
 * session.c, apply.c, journal.c, plan_guard.c): statements cut by the
 * lexer, plan table names split safely, error numbers classed, the
 * journal's statements; and on the harness's MariaDB
 * (SCHEMIG_TEST_MY_URL; skipped, saying so, without it): a text of
 * several statements, a query's last row, a statement cancelled from
 * another thread, the apply lock refused to a second session. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dialects/mysql/mysql.h"
#include "dialects/mysql/session.h"

static char *span(const char *sql, const my_span *s)
{
	return strndup(sql + s->start, s->end - s->start);
}

static void test_split(void **state)
{
	(void)state;
	const char *sql =
	    "SET @a = 'x;y';\n"
	    "-- a comment; with a semicolon\n"
	    "CREATE TABLE `t;1` (id int) /* ; */ ;\n"
	    "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN\n"
	    "  SET NEW.a = CASE WHEN NEW.b THEN 1 ELSE 2 END;\n"
	    "  IF NEW.a > 1 THEN SET NEW.a = 0; END IF;\n"
	    "END;\n"
	    "BEGIN;\n"
	    "SELECT 1";
	my_span *sp = NULL;
	int n = 0;
	error e = ERROR_INIT;
	assert_int_equal(my_split(sql, "t.sql", &sp, &n, &e), 0);
	assert_int_equal(n, 5);
	const char *want[] = {
	    "SET @a = 'x;y'", "CREATE TABLE `t;1` (id int) /* ; */",
	    "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN\n"
	    "  SET NEW.a = CASE WHEN NEW.b THEN 1 ELSE 2 END;\n"
	    "  IF NEW.a > 1 THEN SET NEW.a = 0; END IF;\n"
	    "END",
	    "BEGIN", "SELECT 1"};
	for (int i = 0; i < n; i++) {
		char *s = span(sql, &sp[i]);
		assert_string_equal(s, want[i]);
		free(s);
	}
	assert_int_equal(sp[2].line, 4);
	free(sp);
	/* An unterminated string is the lexer's error, with its place. */
	assert_int_equal(my_split("SELECT 'x", "q.sql", &sp, &n, &e), -1);
	assert_non_null(strstr(e.msg, "q.sql:1:"));
	error_clear(&e);
}

static void test_qname_and_classes(void **state)
{
	(void)state;
	char *s, *t;
	assert_int_equal(my_split_qname("`a``b`.`c`", &s, &t), 0);
	assert_string_equal(s, "a`b");
	assert_string_equal(t, "c");
	free(s);
	free(t);
	assert_int_equal(my_split_qname("`t`", &s, &t), 0);
	assert_string_equal(s, "");
	free(s);
	free(t);
	/* Not a name of the plan's form: nothing of it reaches SQL. */
	assert_int_equal(my_split_qname("t; DROP TABLE x", &s, &t), -1);
	assert_int_equal(my_split_qname("`t` x", &s, &t), -1);
	assert_int_equal(my_split_qname("`t", &s, &t), -1);
	assert_int_equal(my_error_class("1205"), DIALECT_ERR_LOCK_TIMEOUT);
	assert_int_equal(my_error_class("1213"), DIALECT_ERR_DEADLOCK);
	assert_int_equal(my_error_class("1317"), DIALECT_ERR_CANCELED);
	assert_int_equal(my_error_class("2013"), DIALECT_ERR_CONNECTION);
	assert_int_equal(my_error_class("1062"), DIALECT_ERR_DATA);
	assert_int_equal(my_error_class("1064"), DIALECT_ERR_OTHER);
	assert_int_equal(my_error_class("HY000"), DIALECT_ERR_OTHER);
}

static void test_journal_sql(void **state)
{
	(void)state;
	strbuf sb = STRBUF_INIT;
	error e = ERROR_INIT;
	json_t *f = json_pack("{s:s, s:s, s:i, s:s}", "apply_id", "a'1",
			      "phase", "forward", "n", 3, "kind", "add_column");
	assert_int_equal(my_journal_sql(JOURNAL_STEP_START, f, &sb, &e), 0);
	/* Quoted values, reserved column names in backticks, an upsert
	 * that counts the attempt. */
	assert_non_null(strstr(sb.buf, "'a''1'"));
	assert_non_null(strstr(sb.buf, "ON DUPLICATE KEY UPDATE `attempts` = "
				       "COALESCE(`attempts`, 0) + 1"));
	json_decref(f);
	strbuf_reset(&sb);
	/* The server sets db, never the caller. */
	f = json_pack("{s:s, s:s}", "id", "x", "db", "other");
	assert_int_equal(my_journal_sql(JOURNAL_APPLY_START, f, &sb, &e), -1);
	assert_non_null(strstr(e.msg, "unknown column 'db'"));
	error_clear(&e);
	json_decref(f);
	strbuf_reset(&sb);
	assert_int_equal(my_journal_sql(JOURNAL_SETUP, NULL, &sb, &e), 0);
	assert_non_null(strstr(sb.buf, "CREATE TABLE IF NOT EXISTS "
				       "`schemig`.`apply_steps`"));
	strbuf_release(&sb);
}

static const char *base_url(void)
{
	const char *url = getenv("SCHEMIG_TEST_MY_URL");
	if (!url || !*url) {
		print_message(
		    "skipped: SCHEMIG_TEST_MY_URL not set (tests/run.sh "
		    "starts a MariaDB and sets it)\n");
		skip();
	}
	return url;
}

static void test_run_and_query(void **state)
{
	(void)state;
	const char *url = base_url();
	dialect_conn *c;
	error e = ERROR_INIT;
	assert_int_equal(my_session_connect(url, &c, &e), 0);
	dialect_run_result r = {.own_lock = -1};
	assert_int_equal(
	    my_session_run(c,
			   "DROP DATABASE IF EXISTS ut_sess; CREATE DATABASE "
			   "ut_sess; CREATE TABLE ut_sess.t (id int PRIMARY "
			   "KEY, v varchar(5));\nINSERT INTO ut_sess.t VALUES "
			   "(1, 'a;b'), (2, 'c');\n",
			   &r, &e),
	    0);
	assert_true(r.counted);
	assert_int_equal(r.rows, 2);
	char *v[2] = {NULL, NULL};
	assert_int_equal(my_session_query(c,
					  "SET @x = 2; SELECT id, v FROM "
					  "ut_sess.t WHERE id = @x",
					  v, 2, NULL, &e),
			 1);
	assert_string_equal(v[0], "2");
	assert_string_equal(v[1], "c");
	free(v[0]);
	free(v[1]);
	/* A failure gives the server's number and message. */
	r = (dialect_run_result){.own_lock = -1};
	assert_int_equal(
	    my_session_run(c, "INSERT INTO ut_sess.t VALUES (1, 'x')", &r, &e),
	    -1);
	assert_string_equal(r.state, "1062");
	assert_non_null(strstr(e.msg, "Duplicate entry"));
	error_clear(&e);
	my_session_run(c, "DROP DATABASE ut_sess", &r, &e);
	my_session_close(c);
}

typedef struct canceller {
	dialect_cancel *k;
} canceller;

static void *cancel_soon(void *arg)
{
	canceller *x = arg;
	usleep(300 * 1000);
	my_session_cancel(x->k);
	return NULL;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_cancel_and_lock(void **state)
{
	(void)state;
	const char *url = base_url();
	dialect_conn *a, *b;
	error e = ERROR_INIT;
	assert_int_equal(my_session_connect(url, &a, &e), 0);
	assert_int_equal(my_session_connect(url, &b, &e), 0);
	/* KILL QUERY from the handle's thread stops a 10 s sleep. */
	canceller x = {.k = my_session_cancel_new(a)};
	assert_non_null(x.k);
	pthread_t th;
	pthread_create(&th, NULL, cancel_soon, &x);
	double t0 = now_s();
	dialect_run_result r = {.own_lock = -1};
	char *v = NULL;
	int rows = my_session_query(a, "SELECT SLEEP(10)", &v, 1, &r, &e);
	double took = now_s() - t0;
	pthread_join(th, NULL);
	my_session_cancel_free(x.k);
	/* MariaDB ends an interrupted SLEEP with its value 1 or error
	 * 1317, depending on the version: either way, at once. */
	assert_true(took < 5);
	if (rows < 0) {
		assert_string_equal(r.state, "1317");
		error_clear(&e);
	} else {
		assert_string_equal(v, "1");
	}
	free(v);
	/* The apply lock: the second session is told who holds it. */
	char *holder = NULL;
	assert_int_equal(my_apply_lock(a, "test", &holder, &e), 1);
	assert_null(holder);
	assert_int_equal(my_apply_lock(b, "test", &holder, &e), 0);
	assert_non_null(holder);
	assert_non_null(strstr(holder, "connection "));
	free(holder);
	/* Closing the holder frees it; the server notices in a moment. */
	my_session_close(a);
	int got = 0;
	for (int i = 0; i < 40 && got != 1; i++) {
		got = my_apply_lock(b, "test", &holder, &e);
		free(holder);
		holder = NULL;
		if (got != 1)
			usleep(50 * 1000);
	}
	my_session_close(b);
	assert_int_equal(got, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_split),
	    cmocka_unit_test(test_qname_and_classes),
	    cmocka_unit_test(test_journal_sql),
	    cmocka_unit_test(test_run_and_query),
	    cmocka_unit_test(test_cancel_and_lock),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
