/*
 * The dialect table's URL members, for the postgres dialect: claims_url
 * (which source specs are its databases) and url_with_database (another
 * database on the same server), in the URL and the key=value conninfo
 * forms. A password survives the derivation, since the new URL must log
 * in as the old one did, but never shows in an error. The last test
 * connects through a derived URL to the server the harness started
 * (SCHEMIG_TEST_PG_URL).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "test_server.h"
#include "dialects/dialect.h"

static const dialect *pg(void)
{
	return &dialect_postgres;
}

/* The value libpq reads for `key` in `conninfo` (caller frees), NULL when
 * the option is unset. */
static char *opt(const char *conninfo, const char *key)
{
	PQconninfoOption *opts = PQconninfoParse(conninfo, NULL);
	char *val = NULL;
	assert_non_null(opts);
	for (PQconninfoOption *o = opts; o->keyword; o++)
		if (!strcmp(o->keyword, key) && o->val)
			val = strdup(o->val);
	PQconninfoFree(opts);
	return val;
}

static void assert_opt(const char *conninfo, const char *key, const char *want)
{
	char *got = opt(conninfo, key);
	if (!want) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/* Every key of the NULL-ended key, value list `want` as libpq reads it in
 * `conninfo` (a NULL value: unset). */
static void assert_opts(const char *conninfo, const char *const *want)
{
	for (; *want; want += 2)
		assert_opt(conninfo, want[0], want[1]);
}

/* url_with_database must succeed; the result (caller frees). */
static char *derive(const char *url, const char *db)
{
	char *out = NULL;
	error e = ERROR_INIT;
	if (pg()->url_with_database(url, db, &out, &e) < 0)
		fail_msg("%s", e.msg);
	assert_non_null(out);
	return out;
}

static void test_claims_url(void **state)
{
	(void)state;
	assert_true(pg()->claims_url("postgres://u:pw@db/app"));
	assert_true(pg()->claims_url("postgresql:///postgres?host=/tmp/x"));
	/* A key=value string could as well be a file name: not a spec. */
	assert_false(pg()->claims_url("host=db dbname=app"));
	assert_false(pg()->claims_url("mysql://root@db/app"));
	assert_false(pg()->claims_url("postgresx://db/app"));
	assert_false(pg()->claims_url("POSTGRES://db/app"));
	assert_false(pg()->claims_url("db/schema.sql"));
	assert_false(pg()->claims_url(""));

	assert_ptr_equal(dialect_for_url("postgresql://db/app"), pg());
	assert_null(dialect_for_url("redis://cache/0"));
	assert_ptr_equal(dialect_for_url("mysql://root@db/app"),
			 dialect_find("mysql"));
	assert_ptr_equal(dialect_for_url("mariadb://root@db/app"),
			 dialect_find("mariadb"));
	assert_null(dialect_for_url("host=db"));
	strbuf forms = STRBUF_INIT;
	dialect_add_url_forms(&forms);
	assert_string_equal(forms.buf,
			    "postgres:// or mysql:// (or mariadb://)");
	strbuf_release(&forms);
}

/* A URL stays a URL: only its path changes, the password and every
 * other part are kept byte for byte. */
static void test_url_form(void **state)
{
	(void)state;
	char *u = derive("postgresql://app:s3cret@db.example:6432/app"
			 "?sslmode=require&application_name=x",
			 "shop");
	assert_string_equal(u, "postgresql://app:s3cret@db.example:6432/shop"
			       "?sslmode=require&application_name=x");
	assert_opt(u, "password", "s3cret");
	assert_opt(u, "dbname", "shop");
	free(u);

	/* The throwaway server's form: no host in the authority, a socket
	 * directory in the query. */
	u = derive("postgresql://postgres@/postgres?host=%2Ftmp%2Fs&port=5432",
		   "shop");
	assert_string_equal(
	    u, "postgresql://postgres@/shop?host=%2Ftmp%2Fs&port=5432");
	free(u);

	/* No path at all; a name that needs percent-encoding. */
	u = derive("postgres://u:p%40ss@db", "my db/ü");
	assert_opt(u, "dbname", "my db/ü");
	assert_opt(u, "password", "p@ss");
	assert_opt(u, "host", "db");
	assert_true(pg()->claims_url(u));
	free(u);
}

/* A URL that names its database in the query string, which would win
 * over the path: the result is key=value conninfo, complete all the
 * same. */
static void test_url_dbname_in_query(void **state)
{
	(void)state;
	char *u = derive("postgresql://u:pw@db:5433/app?dbname=other&"
			 "sslmode=disable",
			 "shop");
	assert_opts(u,
		    (const char *const[]){"dbname", "shop", "password", "pw",
					  "user", "u", "host", "db", "port",
					  "5433", "sslmode", "disable", NULL});
	free(u);
}

static void test_conninfo_form(void **state)
{
	(void)state;
	char *u = derive("host=db port=5433 user=app password='p w\\'x' "
			 "dbname=app connect_timeout=3",
			 "shop");
	assert_opts(u, (const char *const[]){"dbname", "shop", "password",
					     "p w'x", "user", "app", "host",
					     "db", "port", "5433",
					     "connect_timeout", "3", NULL});
	free(u);

	/* No database named: one is added. */
	u = derive("host=/tmp/sock", "shop");
	assert_opts(u,
		    (const char *const[]){"dbname", "shop", "host", "/tmp/sock",
					  "password", NULL, NULL});
	free(u);
}

/* libpq's own message quotes the string it cannot parse: the dialect's
 * message must not. */
static void test_unparsable(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "postgresql://u:hunter2@db/app?no_such_option=hunter2",
	    "postgresql://u:hunter2@db:notaport%zz/app",
	    /* libpq quotes the whole password back: "hunter2%zz". */
	    "postgresql://u:hunter2%zz@db/app",
	    "host=db password=hunter2 dbname",
	    "host=db password='hunter2",
	    NULL,
	};
	for (int i = 0; bad[i]; i++) {
		char *out = (char *)"untouched";
		error e = ERROR_INIT;
		assert_int_equal(
		    pg()->url_with_database(bad[i], "shop", &out, &e), -1);
		assert_null(out);
		assert_int_equal(e.code, EXIT_USAGE);
		assert_non_null(e.msg);
		assert_null(strstr(e.msg, "hunter2"));
		assert_non_null(strstr(e.msg, "shop"));
		error_clear(&e);
	}
}

/* The derived URL reaches the other database of the test server. */
static void test_real_server(void **state)
{
	(void)state;
	const char *url = test_server_url();
	char *u = derive(url, "template1");
	PGconn *c = PQconnectdb(u);
	assert_int_equal(PQstatus(c), CONNECTION_OK);
	PGresult *r = PQexec(c, "SELECT current_database()");
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	assert_string_equal(PQgetvalue(r, 0, 0), "template1");
	PQclear(r);
	PQfinish(c);
	free(u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_claims_url),
	    cmocka_unit_test(test_url_form),
	    cmocka_unit_test(test_url_dbname_in_query),
	    cmocka_unit_test(test_conninfo_form),
	    cmocka_unit_test(test_unparsable),
	    cmocka_unit_test(test_real_server),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
