/*
 * pg_url_redact: a password never survives, everything else does; and
 * source_spec_redact, which every message, plan file, migration header
 * and report shows a source through.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dialects/postgres/pg.h"
#include "source/source.h"

static void check(const char *url, const char *want)
{
	char *got = pg_url_redact(url);
	assert_non_null(got);
	assert_string_equal(got, want);
	/* Idempotent: a plan file's spec shown again stays the same. */
	char *again = pg_url_redact(got);
	assert_string_equal(again, got);
	free(again);
	free(got);
}

/* The redaction of `url` holds none of the secrets in the NULL-ended
 * list (raw or percent-encoded, as given). */
static void check_hidden(const char *url, ...)
{
	char *got = pg_url_redact(url);
	va_list ap;
	va_start(ap, url);
	for (const char *s; (s = va_arg(ap, const char *));)
		if (strstr(got, s))
			fail_msg("'%s' shows '%s' of '%s'", got, s, url);
	va_end(ap);
	free(got);
}

static void test_url_with_password(void **state)
{
	(void)state;
	check("postgres://user:secret@host/db", "postgres://user:***@host/db");
	check("postgresql://user:secret@host:5432/db?sslmode=require",
	      "postgresql://user:***@host:5432/db?sslmode=require");
	check("postgres://:secret@host/db", "postgres://host/db?password=***");
}

static void test_url_without_password(void **state)
{
	(void)state;
	check("postgres://user@host/db", "postgres://user@host/db");
	check("postgres://host/db", "postgres://host/db");
	check("postgres://host", "postgres://host");
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

/* A raw '/' or '@' in the password: libpq splits it into host, port and
 * database name, so none of its pieces may be echoed. */
static void test_url_raw_slash_or_at(void **state)
{
	(void)state;
	check("postgres://alice:S3c/retPW@host/db", PG_UNPARSABLE_CONNINFO);
	check("postgres://alice:12/retPW@host/db", PG_UNPARSABLE_CONNINFO);
	check("postgres://alice:S3c@retPW@host/db", PG_UNPARSABLE_CONNINFO);
	check_hidden("postgres://u:Qx7/Zk9@h", "Qx7", "Zk9", NULL);
	/* '?' and ':' in the password are the user info's own. */
	check("postgres://u:a?b:c@h/db", "postgres://u:***@h/db");
}

static void test_one_character_password(void **state)
{
	(void)state;
	check("postgres://u:x@h/db", "postgres://u:***@h/db");
	check("postgres://h/db?password=x", "postgres://h/db?password=***");
	check("password=x host=h", "password=*** host=h");
}

static void test_url_password_parameter(void **state)
{
	(void)state;
	check("postgres://host/db?password=abc&sslmode=require",
	      "postgres://host/db?password=***&sslmode=require");
	check("postgres://u@host/db?sslmode=disable&password=abc",
	      "postgres://u:***@host/db?sslmode=disable");
	check("postgres://u@host/db?sslpassword=keyPW&sslmode=require",
	      "postgres://u@host/db?sslmode=require&sslpassword=***");
}

static void test_duplicate_and_encoded_keys(void **state)
{
	(void)state;
	check("postgres://h/db?password=first1&password=second2",
	      "postgres://h/db?password=***");
	check_hidden("postgres://h/db?password=first1&password=second2",
		     "first1", "second2", NULL);
	/* libpq decodes parameter names too: "pass%77ord" is "password". */
	check("postgres://h/db?pass%77ord=hidden9",
	      "postgres://h/db?password=***");
	check("postgres://h/db?ssl%70assword=hidden9&%73slmode=disable",
	      "postgres://h/db?sslmode=disable&sslpassword=***");
	check("password=one1 password=two2 host=h", "password=*** host=h");
}

static void test_multi_host(void **state)
{
	(void)state;
	check("postgresql://u:pw@h1:5432,h2:5433/db?target_session_attrs=any",
	      "postgresql://u:***@h1:5432,h2:5433/db"
	      "?target_session_attrs=any");
	check("postgresql://u:pw@h1,h2/db?port=5433",
	      "postgresql://u:***@h1,h2/db?port=5433");
	check("postgresql://u:pw@[::1]:5432,h2/db",
	      "postgresql://u:***@[::1]:5432,h2/db");
	check("postgresql://u:pw@/db?host=/run/a,/run/b",
	      "postgresql://u:***@/db?host=/run/a,/run/b");
}

static void test_conninfo(void **state)
{
	(void)state;
	check("host=h user=u password=secret dbname=d",
	      "user=u password=*** dbname=d host=h");
	check("password = 'it\\'s secret' host=h", "password=*** host=h");
	check("password='a b' host=h", "password=*** host=h");
	check("sslpassword='k e y' host=h sslmode=require",
	      "host=h sslmode=require sslpassword=***");
	check("host=h dbname=d", "dbname=d host=h");
	/* Only the keyword itself, not a value that contains it. */
	check("dbname=password host=h", "dbname=password host=h");
	check("dbname='my db' application_name='it\\'s'",
	      "dbname='my db' application_name='it\\'s'");
}

/* A string libpq cannot parse is never echoed, not even in part. */
static void test_unparsable(void **state)
{
	(void)state;
	check("postgres://h/db?password=a=b", PG_UNPARSABLE_CONNINFO);
	check("postgres://u:pw@h/db?bogus=1", PG_UNPARSABLE_CONNINFO);
	check("postgres://u:p%zzw@h/db", PG_UNPARSABLE_CONNINFO);
	check("password=a b host=h", PG_UNPARSABLE_CONNINFO);
	check("password='unterminated host=h", PG_UNPARSABLE_CONNINFO);
	check("mysql://u:pw@h/db", PG_UNPARSABLE_CONNINFO);
}

static void test_null_and_empty(void **state)
{
	(void)state;
	assert_null(pg_url_redact(NULL));
	check("", "");
}

/* Every secret a scrubbed message held is masked; a short one only
 * where it stands alone, so the message stays readable. */
static void test_scrub(void **state)
{
	(void)state;
	char *s = pg_scrub_secrets("bad: longsecret and keyPW2 here\n",
				   "postgres://u:longsecret@h/db?"
				   "sslpassword=keyPW2");
	assert_string_equal(s, "bad: *** and *** here");
	free(s);
	s = pg_scrub_secrets("password authentication failed for \"a\"",
			     "postgres://u:a@h/db");
	assert_string_equal(s, "password authentication failed for \"***\"");
	free(s);
	assert_null(pg_scrub_secrets("x", "postgres://h/db?password=a=b"));
	s = pg_conn_message("invalid token \"pw=a=b\"",
			    "postgres://h/db?password=a=b");
	assert_null(strstr(s, "a=b"));
	free(s);
}

static void check_spec(const char *spec, const char *want)
{
	char *got = source_spec_redact(&dialect_postgres, spec);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_source_specs(void **state)
{
	(void)state;
	/* env:NAME names a variable: its value is never shown. */
	check_spec("env:DATABASE_URL", "env:DATABASE_URL");
	check_spec("dev", "dev");
	check_spec("db/schema.sql", "db/schema.sql");
	check_spec("file:db/schema.sql", "file:db/schema.sql");
	check_spec("git:main:db/schema.sql", "git:main:db/schema.sql");
	check_spec("postgres://u:pw@h/db", "postgres://u:***@h/db");
	check_spec("postgres://u:a/b@h/db", PG_UNPARSABLE_CONNINFO);
	/* Not a source, but typed where one goes: shown redacted. */
	check_spec("host=h password=pw", "password=*** host=h");
	check_spec("u:pw@h", PG_UNPARSABLE_CONNINFO);
	assert_null(source_spec_redact(&dialect_postgres, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_url_with_password),
	    cmocka_unit_test(test_url_without_password),
	    cmocka_unit_test(test_url_percent_encoded),
	    cmocka_unit_test(test_url_raw_slash_or_at),
	    cmocka_unit_test(test_one_character_password),
	    cmocka_unit_test(test_url_password_parameter),
	    cmocka_unit_test(test_duplicate_and_encoded_keys),
	    cmocka_unit_test(test_multi_host),
	    cmocka_unit_test(test_conninfo),
	    cmocka_unit_test(test_unparsable),
	    cmocka_unit_test(test_null_and_empty),
	    cmocka_unit_test(test_scrub),
	    cmocka_unit_test(test_source_specs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
