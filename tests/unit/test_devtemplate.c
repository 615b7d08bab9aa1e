/*
 * The throwaway server's template cache (dialects/postgres/devtemplate.c): a
 * second start copies the template instead of running initdb; a template with
 * another key, damaged files, planted configuration or a cache directory
 * of someone else's is never used as is, and the server still starts;
 * two first starts at once both succeed and leave one entry.
 *
 * The cache lives in a temporary XDG_CACHE_HOME, never the user's own.
 * Each start leaves its evidence in the server's directory: initdb.log
 * only when initdb ran, template.log saying why the cache was or was
 * not used, publish.log when initdb's result was offered to the cache.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dialects/postgres/server.h"
#include "dialects/postgres/devtemplate.h"
#include "util/sandbox.h"
#include "util/strbuf.h"

static char cache_home[64];

/* The logs of one start, read while its server runs. */
typedef struct start_logs {
	bool initdb;	       /* initdb.log exists */
	bool retried;	       /* server-template.log exists */
	strbuf templ, publish; /* template.log, publish.log ("" if none) */
	char *show_preload;    /* SHOW shared_preload_libraries */
} start_logs;

/* A log in the server's directory, "" when there is none. */
static void read_log(int dirfd, const char *name, strbuf *out)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		strbuf_read_fd(out, fd);
		close(fd);
	}
	if (!out->buf)
		strbuf_adds(out, "");
}

/* Start a server (it must start and answer), note its logs, stop it. */
static void start_once(start_logs *l)
{
	devserver *d = NULL;
	error e = ERROR_INIT;
	memset(l, 0, sizeof(*l));
	if (devserver_start(&d, &e) < 0)
		fail_msg("the server did not start: %s", e.msg);
	int dfd = open(devserver_dir(d), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(dfd >= 0);
	l->initdb = !faccessat(dfd, "initdb.log", F_OK, 0);
	l->retried = !faccessat(dfd, "server-template.log", F_OK, 0);
	read_log(dfd, "template.log", &l->templ);
	read_log(dfd, "publish.log", &l->publish);
	close(dfd);
	PGconn *c = PQconnectdb(devserver_url(d));
	assert_int_equal(PQstatus(c), CONNECTION_OK);
	PGresult *r = PQexec(c, "SHOW shared_preload_libraries");
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	l->show_preload = strdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	PQfinish(c);
	devserver_stop(d);
}

static void release_logs(start_logs *l)
{
	strbuf_release(&l->templ);
	strbuf_release(&l->publish);
	free(l->show_preload);
}

static void assert_contains(const strbuf *sb, const char *needle)
{
	if (!sb->buf || !strstr(sb->buf, needle))
		fail_msg("'%s' not in:\n%s", needle, sb->buf ? sb->buf : "");
}

/* What a cache directory holds. */
typedef struct cache_view {
	strbuf dir;   /* HOME/schemig/pg-template */
	strbuf entry; /* its (last) entry, "" when none */
	strbuf file;  /* scratch: a path inside the entry */
	int entries;  /* entries */
	int tmp_left; /* leftover temporary siblings */
} cache_view;

static void view_cache(cache_view *v, const char *home)
{
	memset(v, 0, sizeof(*v));
	strbuf_addf(&v->dir, "%s/schemig/pg-template", home);
	DIR *dir = opendir(v->dir.buf);
	assert_non_null(dir);
	struct dirent *de;
	while ((de = readdir(dir))) {
		if (de->d_name[0] != '.') {
			v->entries++;
			strbuf_reset(&v->entry);
			strbuf_addf(&v->entry, "%s/%s", v->dir.buf, de->d_name);
		} else if (!strncmp(de->d_name, ".tmp-", 5))
			v->tmp_left++;
	}
	closedir(dir);
	if (!v->entry.buf)
		strbuf_adds(&v->entry, "");
}

/* The path of `name` inside the entry (valid until the next call). */
static const char *entry_file(cache_view *v, const char *name)
{
	strbuf_reset(&v->file);
	strbuf_addf(&v->file, "%s/%s", v->entry.buf, name);
	return v->file.buf;
}

static void release_view(cache_view *v)
{
	strbuf_release(&v->dir);
	strbuf_release(&v->entry);
	strbuf_release(&v->file);
}

static void append_to(const char *path, const char *text)
{
	FILE *f = fopen(path, "a");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* (a) The first start runs initdb and publishes its result; the second
 * copies it and runs no initdb. */
static void test_second_start_uses_cache(void **state)
{
	(void)state;
	start_logs l;
	start_once(&l);
	assert_true(l.initdb);
	assert_contains(&l.templ, "not there yet");
	assert_contains(&l.publish, "template: published");
	release_logs(&l);

	start_once(&l);
	assert_false(l.initdb);
	assert_contains(&l.templ, "template: copied");
	assert_int_equal(l.publish.len, 0);
	release_logs(&l);

	cache_view v;
	view_cache(&v, cache_home);
	assert_int_equal(v.entries, 1);
	assert_int_equal(v.tmp_left, 0);
	struct stat st;
	assert_int_equal(stat(v.dir.buf, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	release_view(&v);
}

/* Configuration planted in the template never reaches a server: a copy
 * gets its configuration files fresh. A preload library that does not
 * exist would stop the server from starting at all. */
static void test_planted_config_not_used(void **state)
{
	(void)state;
	cache_view v;
	view_cache(&v, cache_home);
	assert_int_equal(v.entries, 1);
	const char *files[] = {"data/postgresql.auto.conf",
			       "data/postgresql.conf"};
	for (size_t i = 0; i < 2; i++)
		append_to(entry_file(&v, files[i]),
			  "shared_preload_libraries = 'schemig_evil'\n"
			  "session_preload_libraries = 'schemig_evil'\n");
	release_view(&v);

	start_logs l;
	start_once(&l);
	assert_false(l.initdb);
	assert_contains(&l.templ, "template: copied");
	assert_string_equal(l.show_preload, "");
	release_logs(&l);
}

/* Spoil the one entry with `spoil`, start (the server must start from
 * initdb), and start again (warm: the entry was replaced). */
static void spoil_then_start(void (*spoil)(cache_view *v), start_logs *l)
{
	cache_view v;
	view_cache(&v, cache_home);
	assert_int_equal(v.entries, 1);
	spoil(&v);
	release_view(&v);
	start_once(l);
	assert_true(l->initdb);
	assert_contains(&l->publish, "template: published");

	start_logs again;
	start_once(&again);
	assert_false(again.initdb);
	assert_false(again.retried);
	assert_contains(&again.templ, "template: copied");
	release_logs(&again);
}

static void append_to_key(cache_view *v)
{
	append_to(entry_file(v, "key"), "something else\n");
}

static void remove_pg_control(cache_view *v)
{
	assert_int_equal(unlink(entry_file(v, "data/global/pg_control")), 0);
}

/* (b) A template with another key is not used; initdb's result replaces
 * it. */
static void test_wrong_key_replaced(void **state)
{
	(void)state;
	start_logs l;
	spoil_then_start(append_to_key, &l);
	assert_contains(&l.templ, "its key differs");
	release_logs(&l);
}

/* (b) A template whose files are damaged (the key still right): the copy
 * does not start, so the server starts over from initdb, and that
 * replaces the template. */
static void test_damaged_template_replaced(void **state)
{
	(void)state;
	start_logs l;
	spoil_then_start(remove_pg_control, &l);
	assert_contains(&l.templ, "template: copied");
	assert_true(l.retried);
	assert_contains(&l.publish, "template: removed");
	release_logs(&l);
}

/* (b) A cache directory of another user's, or below a directory anyone
 * may write to, is not used: the server starts from initdb and nothing
 * is written into that cache. */
static void test_foreign_cache_ignored(void **state)
{
	(void)state;
	strbuf parent = STRBUF_INIT;
	strbuf_addf(&parent, "%s/schemig", cache_home);
	devtemplate t;

	/* Writable by others, not sticky: anyone could swap what is below. */
	assert_int_equal(chmod(parent.buf, 0777), 0);
	devtemplate_open(&t, "/nonexistent", 1, "v", geteuid(), getegid());
	assert_int_equal(t.cachefd, -1);
	assert_non_null(strstr(t.why.msg, "writable by others"));
	devtemplate_close(&t);
	assert_int_equal(chmod(parent.buf, 0755), 0);
	strbuf_release(&parent);

	/* Off by request. */
	setenv("SCHEMIG_NO_TEMPLATE_CACHE", "1", 1);
	devtemplate_open(&t, "/nonexistent", 1, "v", geteuid(), getegid());
	assert_int_equal(t.cachefd, -1);
	assert_non_null(strstr(t.why.msg, "SCHEMIG_NO_TEMPLATE_CACHE"));
	devtemplate_close(&t);
	unsetenv("SCHEMIG_NO_TEMPLATE_CACHE");

	/* chown needs root; the rest was checked above. */
	if (geteuid())
		skip();
	cache_view before, after;
	struct stat st;
	view_cache(&before, cache_home);
	assert_int_equal(stat(before.dir.buf, &st), 0);
	assert_int_equal(chown(before.dir.buf, 54321, 54321), 0);
	start_logs l;
	start_once(&l);
	assert_true(l.initdb);
	assert_contains(&l.templ, "not the server user's");
	assert_int_equal(l.publish.len, 0);
	release_logs(&l);
	/* Untouched: still one entry, the same one. */
	view_cache(&after, cache_home);
	assert_int_equal(after.entries, 1);
	assert_int_equal(after.tmp_left, 0);
	assert_string_equal(after.entry.buf, before.entry.buf);
	assert_int_equal(chown(before.dir.buf, st.st_uid, st.st_gid), 0);
	release_view(&before);
	release_view(&after);
}

/* (c) Two first starts at once, on an empty cache: both servers start,
 * and the cache ends with one valid entry and no leftovers. */
static void test_concurrent_first_starts(void **state)
{
	(void)state;
	char home[] = "/tmp/schemig-test-cache2-XXXXXX";
	assert_non_null(mkdtemp(home));
	assert_int_equal(chmod(home, 0755), 0);
	setenv("XDG_CACHE_HOME", home, 1);
	pid_t pids[2];
	for (int i = 0; i < 2; i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (!pids[i]) {
			devserver *d = NULL;
			error e = ERROR_INIT;
			int ok = devserver_start(&d, &e) == 0 &&
				 PQping(devserver_url(d)) == PQPING_OK;
			if (!ok)
				fprintf(stderr, "start %d: %s\n", i,
					e.msg ? e.msg : "no ping");
			error_clear(&e);
			devserver_stop(d);
			/* _exit: the leak check at exit would also count what
			 * the parent still holds (a failed test's logs). */
			_exit(ok ? 0 : 1);
		}
	}
	for (int i = 0; i < 2; i++) {
		int status;
		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	cache_view v;
	view_cache(&v, home);
	assert_int_equal(v.entries, 1);
	assert_int_equal(v.tmp_left, 0);
	release_view(&v);
	start_logs l;
	start_once(&l);
	assert_false(l.initdb);
	assert_contains(&l.templ, "template: copied");
	release_logs(&l);
	setenv("XDG_CACHE_HOME", cache_home, 1);
	sandbox_remove_tree(AT_FDCWD, home);
}

static int setup(void **state)
{
	(void)state;
	snprintf(cache_home, sizeof(cache_home),
		 "/tmp/schemig-test-cache-XXXXXX");
	/* The server's user (nobody, under root) must reach the cache. */
	if (!mkdtemp(cache_home) || chmod(cache_home, 0755) < 0)
		return -1;
	unsetenv("SCHEMIG_NO_TEMPLATE_CACHE");
	return setenv("XDG_CACHE_HOME", cache_home, 1);
}

static int teardown(void **state)
{
	(void)state;
	sandbox_remove_tree(AT_FDCWD, cache_home);
	return 0;
}

int main(void)
{
	/* In this order: each test after the first starts from the cache
	 * the ones before it left. */
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_second_start_uses_cache),
	    cmocka_unit_test(test_planted_config_not_used),
	    cmocka_unit_test(test_wrong_key_replaced),
	    cmocka_unit_test(test_damaged_template_replaced),
	    cmocka_unit_test(test_foreign_cache_ignored),
	    cmocka_unit_test(test_concurrent_first_starts),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
