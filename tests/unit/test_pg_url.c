/*
 * pg_url_redact: a password never survives, everything else does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "dialects/postgres/pg.h"

static void check(const char *url, const char *want)
{
	char *got = pg_url_redact(url);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_url_with_password(void **state)
{
	(void)state;
	check("postgres://user:secret@host/db", "postgres://user:***@host/db");
	check("postgresql://user:secret@host:5432/db?sslmode=require",
	      "postgresql://user:***@host:5432/db?sslmode=require");
}

static void test_url_without_password(void **state)
{
	(void)state;
	check("postgres://user@host/db", "postgres://user@host/db");
	check("postgres://host/db", "postgres://host/db");
	check("postgresql:///db?host=/run/pg", "postgresql:///db?host=/run/pg");
}

static void test_url_percent_encoded(void **state)
{
	(void)state;
	check("postgres://user:p%40ss%2Fw@host/db",
	      "postgres://user:***@host/db");
	check("postgres://us%3Aer:pa%3Ass@host/db",
	      "postgres://us%3Aer:***@host/db");
}

static void test_url_password_parameter(void **state)
{
	(void)state;
	check("postgres://host/db?password=abc&sslmode=require",
	      "postgres://host/db?password=***&sslmode=require");
	check("postgres://u@host/db?sslmode=disable&password=abc",
	      "postgres://u@host/db?sslmode=disable&password=***");
}

static void test_conninfo(void **state)
{
	(void)state;
	check("host=h user=u password=secret dbname=d",
	      "host=h user=u password=*** dbname=d");
	check("password = 'it\\'s secret' host=h", "password = *** host=h");
	check("host=h dbname=d", "host=h dbname=d");
	/* Only the keyword itself, not a value that contains it. */
	check("dbname=password host=h", "dbname=password host=h");
}

static void test_null_and_empty(void **state)
{
	(void)state;
	assert_null(pg_url_redact(NULL));
	check("", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_url_with_password),
	    cmocka_unit_test(test_url_without_password),
	    cmocka_unit_test(test_url_percent_encoded),
	    cmocka_unit_test(test_url_password_parameter),
	    cmocka_unit_test(test_conninfo),
	    cmocka_unit_test(test_null_and_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
