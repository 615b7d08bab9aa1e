/*
 * Sources: files, directories, env:, git: (on a repository built here with
 * libgit2), URL schemes, scratch-database normalisation and the
 * throwaway server. Tests that need a server take its URL from
 * SCHEMIG_TEST_PG_URL, which the harness always sets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <git2.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_server.h"
#include "git/gitsrc.h"
#include "dialects/postgres/scratch.h"
#include "dialects/postgres/server.h"
#include "source/source.h"
#include "util/strbuf.h"

static char tmpdir[64];

/* A dialect whose parser only records what it was given, so that tests
 * see which files were read, in which order, under which names. */
static strbuf parse_log = STRBUF_INIT;

static int record_parse(model *m, const char *sql, const char *filename,
			error *e)
{
	(void)m;
	(void)e;
	strbuf_addf(&parse_log, "[%s]%s", filename, sql);
	return 0;
}

static const dialect recorder = {.name = "recorder", .parse = record_parse};

static source_ctx text_ctx(void)
{
	source_ctx c = {.dialect = &recorder, .schema_path = "db/schema.sql"};
	return c;
}

static void write_file(const char *dir, const char *name, const char *text)
{
	strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/%s", dir, name);
	FILE *f = fopen(p.buf, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	strbuf_release(&p);
}

static char *tmp_path(const char *name)
{
	strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/%s", tmpdir, name);
	return strbuf_detach(&p);
}

/* Load `spec`, expect failure; the message must hold every `want`. */
static void expect_fail(const source_ctx *c, const char *spec,
			const char *want1, const char *want2, const char *never)
{
	model *m = (model *)1;
	error e = ERROR_INIT;
	assert_int_equal(source_load(c, spec, &m, &e), -1);
	assert_null(m);
	assert_non_null(e.msg);
	if (want1 && !strstr(e.msg, want1))
		fail_msg("'%s' lacks '%s'", e.msg, want1);
	if (want2 && !strstr(e.msg, want2))
		fail_msg("'%s' lacks '%s'", e.msg, want2);
	if (never && strstr(e.msg, never))
		fail_msg("'%s' shows '%s'", e.msg, never);
	error_clear(&e);
}

static void load_ok(const source_ctx *c, const char *spec)
{
	model *m = NULL;
	error e = ERROR_INIT;
	strbuf_reset(&parse_log);
	if (source_load(c, spec, &m, &e) < 0)
		fail_msg("%s: %s", spec, e.msg);
	assert_non_null(m);
	model_free(m);
}

static void test_missing_file(void **state)
{
	(void)state;
	source_ctx c = text_ctx();
	expect_fail(&c, "no/such/schema.sql", "'no/such/schema.sql'",
		    "No such file", NULL);
	expect_fail(&c, "file:no/such.sql", "'no/such.sql'", NULL, NULL);
}

static void test_file(void **state)
{
	(void)state;
	source_ctx c = text_ctx();
	char *path = tmp_path("one.sql");
	write_file(tmpdir, "one.sql", "CREATE TABLE a ();");
	load_ok(&c, path);
	strbuf want = STRBUF_INIT;
	strbuf_addf(&want, "[%s]CREATE TABLE a ();", path);
	assert_string_equal(parse_log.buf, want.buf);

	strbuf_reset(&want);
	strbuf_addf(&want, "file:%s", path);
	load_ok(&c, want.buf);
	assert_non_null(strstr(parse_log.buf, "CREATE TABLE a"));
	strbuf_release(&want);
	free(path);
}

static void test_directory_in_name_order(void **state)
{
	(void)state;
	source_ctx c = text_ctx();
	char *dir = tmp_path("schema");
	assert_int_equal(mkdir(dir, 0700), 0);
	write_file(dir, "2_a.sql", "two;");
	write_file(dir, "10_b.sql", "ten;");
	write_file(dir, "1_z.sql", "one;");
	write_file(dir, "notes.txt", "not sql");

	load_ok(&c, dir);
	strbuf want = STRBUF_INIT;
	strbuf_addf(&want, "[%s/10_b.sql]ten;[%s/1_z.sql]one;[%s/2_a.sql]two;",
		    dir, dir, dir);
	assert_string_equal(parse_log.buf, want.buf);

	/* A trailing slash names the files the same way. */
	strbuf_reset(&want);
	strbuf_addf(&want, "%s/", dir);
	load_ok(&c, want.buf);
	assert_non_null(strstr(parse_log.buf, "schema/10_b.sql]"));
	assert_null(strstr(parse_log.buf, "//"));
	strbuf_release(&want);

	char *empty = tmp_path("empty");
	assert_int_equal(mkdir(empty, 0700), 0);
	expect_fail(&c, empty, "holds no .sql files", "empty", NULL);
	free(empty);
	free(dir);
}

static void test_env(void **state)
{
	(void)state;
	source_ctx c = text_ctx();
	enum source_kind k;
	error e = ERROR_INIT;

	unsetenv("SCHEMIG_TEST_UNSET_URL");
	expect_fail(&c, "env:SCHEMIG_TEST_UNSET_URL", "SCHEMIG_TEST_UNSET_URL",
		    "is not set", NULL);
	assert_int_equal(source_kind_of("env:SCHEMIG_TEST_UNSET_URL", &k, &e),
			 -1);
	assert_int_equal(e.code, EXIT_USAGE);
	error_clear(&e);

	/* The value is a secret: never echoed, even when it is wrong. */
	setenv("SCHEMIG_TEST_BAD_URL", "host=db password=hunter2", 1);
	expect_fail(&c, "env:SCHEMIG_TEST_BAD_URL", "SCHEMIG_TEST_BAD_URL",
		    "does not hold a database URL", "hunter2");
	setenv("SCHEMIG_TEST_BAD_URL", "mysql://u:hunter2@db/app", 1);
	expect_fail(&c, "env:SCHEMIG_TEST_BAD_URL",
		    "is a MySQL database, but the dialect is recorder",
		    "--dialect mysql", "hunter2");
	unsetenv("SCHEMIG_TEST_BAD_URL");
	expect_fail(&c, "env:", "needs a variable name", NULL, NULL);

	setenv("SCHEMIG_TEST_GOOD_URL", "postgres://u:hunter2@db/app", 1);
	char *url;
	assert_int_equal(
	    source_resolve_url("env:SCHEMIG_TEST_GOOD_URL", &url, &e), 0);
	assert_string_equal(url, "postgres://u:hunter2@db/app");
	free(url);
	assert_int_equal(source_kind_of("env:SCHEMIG_TEST_GOOD_URL", &k, &e),
			 0);
	assert_int_equal(k, SOURCE_LIVE);
	unsetenv("SCHEMIG_TEST_GOOD_URL");
}

static void test_bad_url_scheme(void **state)
{
	(void)state;
	source_ctx c = text_ctx();
	/* Another dialect's URL, under this one: named, never echoed. */
	expect_fail(&c, "mysql://root:hunter2@localhost/app",
		    "is a MySQL database, but the dialect is recorder", NULL,
		    "hunter2");
	expect_fail(&c, "mariadb://root@localhost/app", "is a MySQL database",
		    "dialect: mysql", NULL);
	expect_fail(&c, "sqlserver://sa:hunter2@localhost",
		    "dialect sqlserver is not supported yet", NULL, "hunter2");
	expect_fail(&c, "redis://u:hunter2@cache/0", "unknown URL scheme",
		    "'redis://'", "hunter2");
	expect_fail(&c, "git:", "needs a revision", NULL, NULL);
	expect_fail(&c, "", "empty source", NULL, NULL);
}

static void test_kinds(void **state)
{
	(void)state;
	static const struct {
		const char *spec;
		enum source_kind kind;
	} cases[] = {
	    {"postgres://localhost/app", SOURCE_LIVE},
	    {"postgresql:///app?host=/tmp", SOURCE_LIVE},
	    {"dev", SOURCE_LIVE},
	    {"db/schema.sql", SOURCE_TEXT},
	    {"file:dev", SOURCE_TEXT},
	    {"git:HEAD~1", SOURCE_TEXT},
	    {"git:main:db/schema.sql", SOURCE_TEXT},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum source_kind k;
		error e = ERROR_INIT;
		assert_int_equal(source_kind_of(cases[i].spec, &k, &e), 0);
		assert_int_equal(k, cases[i].kind);
	}
}

/* ---- git ------------------------------------------------------------ */

/* In a bare repository there is no index: build db/schema.sql's trees
 * by hand and commit them on top of HEAD. */
static void commit_tree(git_repository *repo, const char *schema)
{
	git_oid blob_id, db_id, root_id, commit_id, parent_id;
	git_treebuilder *tb;
	git_tree *root;
	git_signature *sig;
	git_commit *parent = NULL;

	assert_int_equal(
	    git_blob_create_from_buffer(&blob_id, repo, schema, strlen(schema)),
	    0);
	assert_int_equal(git_treebuilder_new(&tb, repo, NULL), 0);
	assert_int_equal(git_treebuilder_insert(NULL, tb, "schema.sql",
						&blob_id, GIT_FILEMODE_BLOB),
			 0);
	assert_int_equal(git_treebuilder_write(&db_id, tb), 0);
	git_treebuilder_free(tb);
	assert_int_equal(git_treebuilder_new(&tb, repo, NULL), 0);
	assert_int_equal(
	    git_treebuilder_insert(NULL, tb, "db", &db_id, GIT_FILEMODE_TREE),
	    0);
	assert_int_equal(git_treebuilder_write(&root_id, tb), 0);
	git_treebuilder_free(tb);
	assert_int_equal(git_tree_lookup(&root, repo, &root_id), 0);
	assert_int_equal(git_signature_new(&sig, "t", "t@example.com", 0, 0),
			 0);
	if (git_reference_name_to_id(&parent_id, repo, "HEAD") == 0)
		assert_int_equal(git_commit_lookup(&parent, repo, &parent_id),
				 0);
	assert_int_equal(git_commit_create_v(&commit_id, repo, "HEAD", sig, sig,
					     NULL, "bare", root, parent ? 1 : 0,
					     parent),
			 0);
	git_commit_free(parent);
	git_signature_free(sig);
	git_tree_free(root);
}

static void test_git(void **state)
{
	(void)state;
	char *work = tmp_path("repo"), *bare = tmp_path("bare.git");
	git_repository *repo;

	/* The working-tree repository is made with the module's own
	 * writer (it creates the repository and the db/ folder). */
	const char *paths1[] = {"db/schema.sql", "other.sql"};
	const char *texts1[] = {"CREATE TABLE v1 ();",
				"CREATE TABLE other ();"};
	const char *paths2[] = {"db/schema.sql", "db/extra.sql"};
	const char *texts2[] = {"CREATE TABLE v2 ();",
				"CREATE TABLE extra ();"};
	error ge = ERROR_INIT;
	if (gitsrc_commit_files(work, paths1, texts1, 2, "one", &ge) < 0 ||
	    gitsrc_commit_files(work, paths2, texts2, 2, "two", &ge) < 0)
		fail_msg("%s", ge.msg);
	git_libgit2_init();

	source_ctx c = text_ctx();
	c.repo_dir = work;
	load_ok(&c, "git:HEAD~1");
	assert_string_equal(parse_log.buf,
			    "[HEAD~1:db/schema.sql]CREATE TABLE v1 ();");
	load_ok(&c, "git:HEAD:db/schema.sql");
	assert_string_equal(parse_log.buf,
			    "[HEAD:db/schema.sql]CREATE TABLE v2 ();");
	load_ok(&c, "git:HEAD~1:other.sql");
	assert_string_equal(parse_log.buf,
			    "[HEAD~1:other.sql]CREATE TABLE other ();");
	/* A directory at a revision: its .sql files in name order. */
	load_ok(&c, "git:HEAD:db");
	assert_string_equal(parse_log.buf,
			    "[HEAD:db/extra.sql]CREATE TABLE extra ();"
			    "[HEAD:db/schema.sql]CREATE TABLE v2 ();");

	expect_fail(&c, "git:nosuchrev", "unknown revision 'nosuchrev'", NULL,
		    NULL);
	expect_fail(&c, "git:HEAD~7:db/schema.sql", "'HEAD~7'", NULL, NULL);
	expect_fail(&c, "git:HEAD~1:db/extra.sql", "'db/extra.sql'", "'HEAD~1'",
		    NULL);
	c.schema_path = "db/missing.sql";
	expect_fail(&c, "git:HEAD", "'db/missing.sql'", "'HEAD'", NULL);

	/* A bare repository, as CI may have it: no working tree. */
	assert_int_equal(git_repository_init(&repo, bare, 1), 0);
	commit_tree(repo, "CREATE TABLE b1 ();");
	commit_tree(repo, "CREATE TABLE b2 ();");
	git_repository_free(repo);
	c.repo_dir = bare;
	c.schema_path = "db/schema.sql";
	load_ok(&c, "git:HEAD~1");
	assert_string_equal(parse_log.buf,
			    "[HEAD~1:db/schema.sql]CREATE TABLE b1 ();");
	load_ok(&c, "git:HEAD");
	assert_string_equal(parse_log.buf,
			    "[HEAD:db/schema.sql]CREATE TABLE b2 ();");

	/* Outside any repository. */
	c.repo_dir = "/";
	expect_fail(&c, "git:HEAD", "needs a git repository", NULL, NULL);
	git_libgit2_shutdown();
	free(work);
	free(bare);
}

/* ---- with a server -------------------------------------------------- */

/* Scratch databases of this process still on the server. */
static int count_scratch(const char *url)
{
	PGconn *conn = PQconnectdb(url);
	assert_int_equal(PQstatus(conn), CONNECTION_OK);
	char sql[200];
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM pg_database WHERE datname LIKE "
		 "'schemig_scratch_%ld_%%'",
		 (long)getpid());
	PGresult *r = PQexec(conn, sql);
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	int n = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	PQfinish(conn);
	return n;
}

static void test_live_and_normalised(void **state)
{
	(void)state;
	const char *url = test_server_url();
	source_state st = {0};
	source_ctx c = {.dialect = &dialect_postgres,
			.dev_url = url,
			.normalise = true,
			.state = &st};
	model *live = NULL, *file = NULL;
	error e = ERROR_INIT;

	char *path = tmp_path("norm.sql");
	write_file(tmpdir, "norm.sql",
		   "CREATE TABLE schemig_norm_t (id int4 PRIMARY KEY, "
		   "name varchar(20) DEFAULT 'x');\n");
	if (source_load_pair(&c, url, path, &live, &file, &e) < 0)
		fail_msg("%s", e.msg);
	assert_non_null(live);
	assert_non_null(file);
	m_table *t = model_find_table(file, "public", "schemig_norm_t");
	assert_non_null(t);
	/* Dropped again, and no throwaway server was needed. */
	assert_int_equal(count_scratch(url), 0);
	assert_null(st.dev);
	model_free(live);
	model_free(file);

	/* A script the server rejects: the error names the file, and the
	 * scratch database is dropped all the same. */
	write_file(tmpdir, "norm.sql", "CREATE TABLE t (a no_such_type);\n");
	expect_fail(&c, path, "norm.sql", NULL, NULL);
	assert_int_equal(count_scratch(url), 0);
	source_state_release(&st);
	free(path);
}

/* A process that dies without dropping its scratch database (SIGKILL,
 * here a bare _exit) leaves it to the janitor, which drops it. */
static void test_scratch_janitor(void **state)
{
	(void)state;
	const char *url = test_server_url();
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		scratch *s;
		error e = ERROR_INIT;
		_exit(scratch_create(url, 1, DIALECT_SCRATCH_SHARED, &s, &e) < 0
			  ? 2
			  : 0);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(WEXITSTATUS(status), 0);

	char sql[200];
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM pg_database WHERE datname = "
		 "'schemig_scratch_%ld_1'",
		 (long)pid);
	PGconn *conn = PQconnectdb(url);
	assert_int_equal(PQstatus(conn), CONNECTION_OK);
	int left = 1;
	for (int i = 0; i < 100 && left; i++) {
		PGresult *r = PQexec(conn, sql);
		left = atoi(PQgetvalue(r, 0, 0));
		PQclear(r);
		if (left)
			usleep(50000);
	}
	PQfinish(conn);
	assert_int_equal(left, 0);
}

static void test_wrong_password_not_shown(void **state)
{
	(void)state;
	source_ctx c = {.dialect = &dialect_postgres};
	/* An unreachable server with a password in the URL. */
	expect_fail(&c,
		    "postgresql://u:Hunter2Secret@/app?host=/nonexistent-dir"
		    "&port=1",
		    NULL, NULL, "Hunter2Secret");
}

/*
 * A real password check: the harness's server makes role schemig_pw give
 * its password (scram-sha-256). A wrong one must be refused as a database
 * error (exit 3) that names the problem and never shows the password.
 */
static void test_wrong_password_refused(void **state)
{
	(void)state;
	PQconninfoOption *opts = PQconninfoParse(test_server_url(), NULL);
	assert_non_null(opts);
	char *host = NULL, *port = NULL;
	for (PQconninfoOption *o = opts; o->keyword; o++) {
		if (!strcmp(o->keyword, "host") && o->val)
			host = strdup(o->val);
		else if (!strcmp(o->keyword, "port") && o->val)
			port = strdup(o->val);
	}
	PQconninfoFree(opts);
	assert_non_null(host);
	strbuf url = STRBUF_INIT;
	strbuf_addf(&url,
		    "postgresql://schemig_pw:Wr0ngSecret99@/postgres"
		    "?host=%s&port=%s",
		    host, port ? port : "5432");

	source_ctx c = {.dialect = &dialect_postgres};
	model *m = NULL;
	error e = ERROR_INIT;
	assert_int_equal(source_load(&c, url.buf, &m, &e), -1);
	assert_null(m);
	assert_int_equal(e.code, EXIT_DB);
	if (!strstr(e.msg, "password authentication failed"))
		fail_msg("'%s' does not say the password was wrong", e.msg);
	if (strstr(e.msg, "Wr0ngSecret99"))
		fail_msg("'%s' shows the password", e.msg);
	error_clear(&e);

	/* The right password works, which proves the check is real. */
	strbuf_reset(&url);
	strbuf_addf(&url,
		    "postgresql://schemig_pw:right-password@/postgres"
		    "?host=%s&port=%s",
		    host, port ? port : "5432");
	load_ok(&c, url.buf);
	strbuf_release(&url);
	free(host);
	free(port);
}

static void test_devserver(void **state)
{
	(void)state;
	devserver *d = NULL;
	error e = ERROR_INIT;
	if (devserver_start(&d, &e) < 0)
		fail_msg("%s", e.msg);
	char *dir = strdup(devserver_dir(d));
	struct stat st;
	assert_int_equal(stat(dir, &st), 0);
	assert_true(devserver_major(d) >= 10);

	PGconn *conn = PQconnectdb(devserver_url(d));
	assert_int_equal(PQstatus(conn), CONNECTION_OK);
	PGresult *r = PQexec(conn, "SELECT 6 * 7");
	assert_string_equal(PQgetvalue(r, 0, 0), "42");
	PQclear(r);
	PQfinish(conn);
	/* Only a unix socket in its own directory. */
	assert_non_null(strstr(devserver_url(d), "host="));

	devserver_stop(d);
	assert_int_equal(stat(dir, &st), -1);
	free(dir);
}

static void test_dev_source(void **state)
{
	(void)state;
	source_state st = {0};
	source_ctx c = {.dialect = &dialect_postgres, .state = &st};
	model *m = NULL;
	error e = ERROR_INIT;
	if (source_load(&c, "dev", &m, &e) < 0)
		fail_msg("%s", e.msg);
	assert_non_null(st.dev);
	char *dir = strdup(devserver_dir(st.dev));
	assert_int_equal(m->ntables, 0);
	assert_int_equal(m->nviews, 0);
	assert_int_equal(m->nfunctions, 0);
	model_free(m);

	/* A file compared with dev is normalised on the same server. */
	char *path = tmp_path("dev.sql");
	write_file(tmpdir, "dev.sql", "CREATE TABLE d (a int);");
	model *from = NULL, *to = NULL;
	c.normalise = false;
	if (source_load_pair(&c, "dev", path, &from, &to, &e) < 0)
		fail_msg("%s", e.msg);
	assert_int_equal(from->ntables, 0);
	assert_non_null(model_find_table(to, "public", "d"));
	model_free(from);
	model_free(to);

	/* Roles are the cluster's: a file that grants to a role, or hands
	 * a table to one, still loads on the throwaway cluster. */
	write_file(tmpdir, "roles.sql",
		   "CREATE TABLE r (a int);\n"
		   "ALTER TABLE r OWNER TO \"Fresh Owner\";\n"
		   "GRANT SELECT ON r TO fresh_reader;\n");
	char *rpath = tmp_path("roles.sql");
	if (source_load_pair(&c, "dev", rpath, &from, &to, &e) < 0)
		fail_msg("%s", e.msg);
	assert_int_equal(to->ngrants, 1);
	assert_string_equal(to->grants[0].grantee, "fresh_reader");
	model_free(from);
	model_free(to);
	free(rpath);

	source_state_release(&st);
	assert_null(st.dev);
	struct stat sb;
	assert_int_equal(stat(dir, &sb), -1);
	free(dir);
	free(path);
}

/* ---- fixture ---------------------------------------------------------- */

static int rm_rf(const char *path)
{
	strbuf cmd = STRBUF_INIT;
	strbuf_addf(&cmd, "rm -rf '%s'", path);
	int r = system(cmd.buf);
	strbuf_release(&cmd);
	return r;
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/schemig-test-source-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	strbuf_release(&parse_log);
	return rm_rf(tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_missing_file),
	    cmocka_unit_test(test_file),
	    cmocka_unit_test(test_directory_in_name_order),
	    cmocka_unit_test(test_env),
	    cmocka_unit_test(test_bad_url_scheme),
	    cmocka_unit_test(test_kinds),
	    cmocka_unit_test(test_git),
	    cmocka_unit_test(test_live_and_normalised),
	    cmocka_unit_test(test_scratch_janitor),
	    cmocka_unit_test(test_wrong_password_not_shown),
	    cmocka_unit_test(test_wrong_password_refused),
	    cmocka_unit_test(test_devserver),
	    cmocka_unit_test(test_dev_source),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
