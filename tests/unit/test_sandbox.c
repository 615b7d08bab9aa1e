/*
 * The sandbox around schema files: the loader role of scratch databases,
 * the preparation that runs before a load (roles, extensions, owner
 * changes), and the throwaway server's files and environment. Tests that
 * need a server take its URL from SCHEMIG_TEST_PG_URL, which the harness
 * always sets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_server.h"
#include "dialects/postgres/pg.h"
#include "dialects/postgres/server.h"
#include "dialects/postgres/scratch.h"
#include "util/sandbox.h"
#include "util/strbuf.h"

/* The first column of the first row of `sql`, or "<error>". */
static char *query1(const char *url, const char *sql)
{
	PGconn *c = PQconnectdb(url);
	PGresult *r = PQexec(c, sql);
	char *v = strdup(PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r)
			     ? PQgetvalue(r, 0, 0)
			     : "<error>");
	PQclear(r);
	PQfinish(c);
	return v;
}

static void assert_query(const char *url, const char *sql, const char *want)
{
	char *got = query1(url, sql);
	if (strcmp(got, want))
		fail_msg("%s: got '%s', want '%s'", sql, got, want);
	free(got);
}

static void test_dollar_tag(void **state)
{
	(void)state;
	char *t = pg_dollar_tag("BEGIN END");
	assert_string_equal(t, "$schemig$");
	free(t);
	t = pg_dollar_tag("rolname = 'a$schemig$b'");
	assert_string_equal(t, "$schemig_1$");
	free(t);
	t = pg_dollar_tag("'$schemig$' '$schemig_1$'");
	assert_string_equal(t, "$schemig_2$");
	free(t);
}

/* A scratch database on the test server, owned by a per-run loader. */
static scratch *make_scratch(unsigned seq)
{
	error e = ERROR_INIT;
	scratch *s;
	if (scratch_create(test_server_url(), seq,
			   DIALECT_SCRATCH_SHARED | DIALECT_SCRATCH_LOADER, &s,
			   &e) < 0)
		fail_msg("%s", e.msg);
	assert_non_null(s->loader);
	assert_non_null(s->load_url);
	return s;
}

/*
 * The loader is no superuser, holds none of the roles that reach files
 * or programs, and RESET ROLE in its own session does not make it the
 * base URL's user. It and its database are dropped with the scratch.
 */
static void test_loader_session(void **state)
{
	(void)state;
	scratch *s = make_scratch(1);
	char *loader = strdup(s->loader), *url = strdup(s->url);

	strbuf sql = STRBUF_INIT;
	strbuf_addf(&sql, "RESET ROLE; SELECT current_user = '%s'", loader);
	assert_query(s->load_url, sql.buf, "t");
	assert_query(s->load_url,
		     "SELECT rolsuper OR rolcreaterole OR rolcreatedb FROM "
		     "pg_roles WHERE rolname = current_user",
		     "f");
	assert_query(s->load_url,
		     "SELECT pg_has_role('pg_read_server_files', 'MEMBER') OR "
		     "pg_has_role('pg_write_server_files', 'MEMBER') OR "
		     "pg_has_role('pg_execute_server_program', 'MEMBER')",
		     "f");
	assert_query(s->load_url, "SELECT pg_read_file('/etc/hostname')",
		     "<error>");
	/* It owns the database and may create in it. */
	assert_query(s->load_url,
		     "SELECT pg_get_userbyid(datdba) = current_user FROM "
		     "pg_database WHERE datname = current_database()",
		     "t");
	assert_query(s->load_url,
		     "CREATE TABLE mine (a int); SELECT count(*) FROM mine",
		     "0");
	scratch_drop(s);

	strbuf_reset(&sql);
	strbuf_addf(&sql, "SELECT count(*) FROM pg_roles WHERE rolname = '%s'",
		    loader);
	assert_query(test_server_url(), sql.buf, "0");
	strbuf_release(&sql);
	free(loader);
	free(url);
}

/* A process killed before scratch_drop leaves the database and the
 * loader role to the janitor. */
static void test_loader_janitor(void **state)
{
	(void)state;
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		scratch *s;
		error e = ERROR_INIT;
		close(fds[0]);
		if (scratch_create(test_server_url(), 7,
				   DIALECT_SCRATCH_SHARED |
				       DIALECT_SCRATCH_LOADER,
				   &s, &e) < 0 ||
		    !s->loader)
			_exit(2);
		dprintf(fds[1], "%s", s->loader);
		_exit(0);
	}
	close(fds[1]);
	char name[128] = "";
	ssize_t n = read(fds[0], name, sizeof(name) - 1);
	close(fds[0]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_true(n > 0);
	name[n] = '\0';

	strbuf sql = STRBUF_INIT;
	strbuf_addf(&sql, "SELECT count(*) FROM pg_roles WHERE rolname = '%s'",
		    name);
	char *left = NULL;
	for (int i = 0; i < 100; i++) {
		free(left);
		left = query1(test_server_url(), sql.buf);
		if (!strcmp(left, "0"))
			break;
		usleep(50000);
	}
	assert_string_equal(left, "0");
	free(left);
	strbuf_release(&sql);
}

/*
 * A role whose name holds the DO block's usual tag: the block picks
 * another tag, so the role is created (not a syntax error, nor SQL made
 * of the name), and the loader may act as it.
 */
static void test_role_named_like_the_tag(void **state)
{
	(void)state;
	scratch *s = make_scratch(2);
	const char *sql = "CREATE TABLE r (a int);\n"
			  "GRANT SELECT ON r TO \"a$schemig$ b\";\n"
			  "CREATE SCHEMA app AUTHORIZATION \"a$schemig$ b\";\n";
	scratch_target t = {
	    .url = s->url, .loader = s->loader, .own_server = true};
	char *text = NULL;
	error e = ERROR_INIT;
	if (pg_prepare_scratch(&t, sql, "roles.sql", &text, &e) < 0)
		fail_msg("%s", e.msg);
	if (pg_load_script(s->load_url, text ? text : sql, "roles.sql", &e) < 0)
		fail_msg("%s", e.msg);
	free(text);
	assert_query(s->url,
		     "SELECT count(*) FROM pg_roles WHERE rolname = "
		     "'a$schemig$ b' AND NOT rolcanlogin",
		     "1");
	assert_query(s->url,
		     "SELECT pg_get_userbyid(nspowner) FROM pg_namespace "
		     "WHERE nspname = 'app'",
		     "a$schemig$ b");
	scratch_drop(s);
	PGconn *c = PQconnectdb(test_server_url());
	PQclear(PQexec(c, "DROP ROLE IF EXISTS \"a$schemig$ b\""));
	PQfinish(c);
}

/* Owner changes and pre-created extensions are blanked, lines kept; an
 * extension that reaches files is refused with file, line and name. */
static void test_prepare_text(void **state)
{
	(void)state;
	scratch *s = make_scratch(3);
	scratch_target t = {.url = s->url, .loader = s->loader};
	const char *sql = "CREATE TABLE t (a int);\n"
			  "ALTER TABLE t OWNER TO postgres;\n"
			  "CREATE EXTENSION pg_stat_statements;\n"
			  "COMMENT ON EXTENSION pg_stat_statements IS 'x';\n"
			  "CREATE EXTENSION IF NOT EXISTS pgcrypto;\n";
	char *text = NULL;
	error e = ERROR_INIT;
	if (pg_prepare_scratch(&t, sql, "p.sql", &text, &e) < 0)
		fail_msg("%s", e.msg);
	assert_non_null(text);
	assert_int_equal(strlen(text), strlen(sql));
	assert_non_null(strstr(text, "CREATE TABLE t (a int);\n"));
	assert_null(strstr(text, "OWNER"));
	assert_null(strstr(text, "pg_stat_statements"));
	/* Trusted: left to the loader, which owns the database. */
	assert_non_null(
	    strstr(text, "CREATE EXTENSION IF NOT EXISTS pgcrypto"));
	if (pg_load_script(s->load_url, text, "p.sql", &e) < 0)
		fail_msg("%s", e.msg);
	free(text);
	assert_query(s->url,
		     "SELECT string_agg(extname, ',' ORDER BY extname) FROM "
		     "pg_extension",
		     "pg_stat_statements,pgcrypto,plpgsql");

	text = NULL;
	if (pg_prepare_scratch(&t, "SELECT 1;\n\nCREATE EXTENSION file_fdw;\n",
			       "f.sql", &text, &e) == 0)
		fail_msg("file_fdw was not refused");
	assert_null(text);
	assert_int_equal(e.code, EXIT_USAGE);
	if (!strstr(e.msg, "f.sql:3: CREATE EXTENSION file_fdw"))
		fail_msg("'%s' does not name file, line and extension", e.msg);
	error_clear(&e);
	assert_query(s->url,
		     "SELECT count(*) FROM pg_extension WHERE extname = "
		     "'file_fdw'",
		     "0");
	scratch_drop(s);
}

/* The server's log is created new, by its user, never through a planted
 * symlink or over a planted file. */
static void test_create_file_refuses_planted(void **state)
{
	(void)state;
	char dir[] = "/tmp/schemig-test-sandbox-XXXXXX";
	assert_non_null(mkdtemp(dir));
	strbuf target = STRBUF_INIT, link = STRBUF_INIT, plain = STRBUF_INIT;
	strbuf_addf(&target, "%s/target", dir);
	strbuf_addf(&link, "%s/server.log", dir);
	strbuf_addf(&plain, "%s/initdb.log", dir);
	int fd = open(target.buf, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(symlink(target.buf, link.buf), 0);
	fd = open(plain.buf, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	close(fd);

	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(dfd >= 0);
	errno = 0;
	assert_int_equal(sandbox_create_file(dfd, "server.log"), -1);
	assert_int_equal(errno, EEXIST);
	assert_int_equal(sandbox_create_file(dfd, "initdb.log"), -1);
	fd = sandbox_create_file(dfd, "fresh.log");
	assert_true(fd >= 0);
	struct stat st;
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	close(fd);
	close(dfd);
	/* The symlink's target was never opened for writing. */
	assert_int_equal(stat(target.buf, &st), 0);
	assert_int_equal(st.st_size, 0);

	strbuf cmd = STRBUF_INIT;
	strbuf_addf(&cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd.buf), 0);
	strbuf_release(&cmd);
	strbuf_release(&target);
	strbuf_release(&link);
	strbuf_release(&plain);
}

static void test_minimal_env(void **state)
{
	(void)state;
	setenv("SCHEMIG_TEST_SECRET", "sekrit-unit", 1);
	setenv("GITHUB_TOKEN", "ghp_unit", 1);
	setenv("LC_ALL", "C", 1);
	char **env = sandbox_minimal_env();
	bool path = false, lc = false;
	for (char **v = env; *v; v++) {
		if (strstr(*v, "sekrit-unit") || strstr(*v, "ghp_unit") ||
		    !strncmp(*v, "DATABASE_URL=", 13))
			fail_msg("'%s' reaches the server", *v);
		path |= !strncmp(*v, "PATH=", 5);
		lc |= !strcmp(*v, "LC_ALL=C");
	}
	free(env);
	assert_true(path);
	assert_true(lc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dollar_tag),
	    cmocka_unit_test(test_loader_session),
	    cmocka_unit_test(test_loader_janitor),
	    cmocka_unit_test(test_role_named_like_the_tag),
	    cmocka_unit_test(test_prepare_text),
	    cmocka_unit_test(test_create_file_refuses_planted),
	    cmocka_unit_test(test_minimal_env),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
