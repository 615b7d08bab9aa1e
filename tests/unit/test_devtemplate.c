/*
 * The throwaway server's template cache (source/devtemplate.c): a second
 * start copies the template instead of running initdb; a template with
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

#include "source/devserver.h"
#include "source/devtemplate.h"
#include "util/strbuf.h"

static char cache_home[64];

/* The logs of one start, read while its server runs. */
typedef struct start_logs {
	bool initdb;	       /* initdb.log exists */
	bool retried;	       /* server-template.log exists */
	strbuf templ, publish; /* template.log, publish.log ("" if none) */
	char *show_preload;    /* SHOW shared_preload_libraries */
} start_logs;

static void read_log(const char *dir, const char *name, strbuf *out)
{
	strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/%s", dir, name);
	strbuf_read_file(out, p.buf);
	if (!out->buf)
		strbuf_adds(out, "");
	strbuf_release(&p);
}

static bool exists_in(const char *dir, const char *name)
{
	strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/%s", dir, name);
	bool ok = access(p.buf, F_OK) == 0;
	strbuf_release(&p);
	return ok;
}

/* Start a server (it must start and answer), note its logs, stop it. */
static void start_once(start_logs *l)
{
	devserver *d = NULL;
	error e = ERROR_INIT;
	memset(l, 0, sizeof(*l));
	if (devserver_start(&d, &e) < 0)
		fail_msg("the server did not start: %s", e.msg);
	const char *dir = devserver_dir(d);
	l->initdb = exists_in(dir, "initdb.log");
	l->retried = exists_in(dir, "server-template.log");
	read_log(dir, "template.log", &l->templ);
	read_log(dir, "publish.log", &l->publish);
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

/* The cache directory and its one entry ("" when there is none);
 * `tmp_left` counts leftover temporary siblings. */
static void cache_entry(const char *home, strbuf *cache, strbuf *entry,
			int *entries, int *tmp_left)
{
	strbuf_addf(cache, "%s/schemig/pg-template", home);
	*entries = *tmp_left = 0;
	DIR *dir = opendir(cache->buf);
	assert_non_null(dir);
	struct dirent *de;
	while ((de = readdir(dir))) {
		if (de->d_name[0] != '.') {
			(*entries)++;
			strbuf_reset(entry);
			strbuf_addf(entry, "%s/%s", cache->buf, de->d_name);
		} else if (!strncmp(de->d_name, ".tmp-", 5))
			(*tmp_left)++;
	}
	closedir(dir);
	if (!entry->buf)
		strbuf_adds(entry, "");
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

	strbuf cache = STRBUF_INIT, entry = STRBUF_INIT;
	int n, tmp;
	cache_entry(cache_home, &cache, &entry, &n, &tmp);
	assert_int_equal(n, 1);
	assert_int_equal(tmp, 0);
	struct stat st;
	assert_int_equal(stat(cache.buf, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	strbuf_release(&cache);
	strbuf_release(&entry);
}

/* Configuration planted in the template never reaches a server: a copy
 * gets its configuration files fresh. A preload library that does not
 * exist would stop the server from starting at all. */
static void test_planted_config_not_used(void **state)
{
	(void)state;
	strbuf cache = STRBUF_INIT, entry = STRBUF_INIT, p = STRBUF_INIT;
	int n, tmp;
	cache_entry(cache_home, &cache, &entry, &n, &tmp);
	assert_int_equal(n, 1);
	const char *files[] = {"postgresql.auto.conf", "postgresql.conf"};
	for (size_t i = 0; i < 2; i++) {
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/data/%s", entry.buf, files[i]);
		append_to(p.buf,
			  "shared_preload_libraries = 'schemig_evil'\n"
			  "session_preload_libraries = 'schemig_evil'\n");
	}
	start_logs l;
	start_once(&l);
	assert_false(l.initdb);
	assert_contains(&l.templ, "template: copied");
	assert_string_equal(l.show_preload, "");
	release_logs(&l);
	strbuf_release(&cache);
	strbuf_release(&entry);
	strbuf_release(&p);
}

/* (b) A template with another key is not used; initdb's result replaces
 * it, and the next start is warm again. */
static void test_wrong_key_replaced(void **state)
{
	(void)state;
	strbuf cache = STRBUF_INIT, entry = STRBUF_INIT, p = STRBUF_INIT;
	int n, tmp;
	cache_entry(cache_home, &cache, &entry, &n, &tmp);
	strbuf_addf(&p, "%s/key", entry.buf);
	append_to(p.buf, "something else\n");

	start_logs l;
	start_once(&l);
	assert_true(l.initdb);
	assert_contains(&l.templ, "its key differs");
	assert_contains(&l.publish, "template: published");
	release_logs(&l);

	start_once(&l);
	assert_false(l.initdb);
	assert_contains(&l.templ, "template: copied");
	release_logs(&l);
	strbuf_release(&cache);
	strbuf_release(&entry);
	strbuf_release(&p);
}

/* (b) A template whose files are damaged (the key still right): the copy
 * does not start, so the server starts over from initdb, and that
 * replaces the template. */
static void test_damaged_template_replaced(void **state)
{
	(void)state;
	strbuf cache = STRBUF_INIT, entry = STRBUF_INIT, p = STRBUF_INIT;
	int n, tmp;
	cache_entry(cache_home, &cache, &entry, &n, &tmp);
	strbuf_addf(&p, "%s/data/global/pg_control", entry.buf);
	assert_int_equal(unlink(p.buf), 0);

	start_logs l;
	start_once(&l);
	assert_contains(&l.templ, "template: copied");
	assert_true(l.retried);
	assert_true(l.initdb);
	assert_contains(&l.publish, "template: removed");
	assert_contains(&l.publish, "template: published");
	release_logs(&l);

	start_once(&l);
	assert_false(l.initdb);
	assert_false(l.retried);
	release_logs(&l);
	strbuf_release(&cache);
	strbuf_release(&entry);
	strbuf_release(&p);
}

/* (b) A cache directory of another user's, or below a directory anyone
 * may write to, is not used: the server starts from initdb and nothing
 * is written into that cache. */
static void test_foreign_cache_ignored(void **state)
{
	(void)state;
	strbuf cache = STRBUF_INIT, entry = STRBUF_INIT, parent = STRBUF_INIT;
	int n, tmp;
	cache_entry(cache_home, &cache, &entry, &n, &tmp);
	strbuf_addf(&parent, "%s/schemig", cache_home);
	devtemplate t;

	/* Writable by others, not sticky: anyone could swap what is below. */
	assert_int_equal(chmod(parent.buf, 0777), 0);
	devtemplate_open(&t, "/nonexistent", 1, "v", geteuid(), getegid());
	assert_int_equal(t.cachefd, -1);
	assert_non_null(strstr(t.why, "writable by others"));
	devtemplate_close(&t);
	assert_int_equal(chmod(parent.buf, 0755), 0);

	/* Off by request. */
	setenv("SCHEMIG_NO_TEMPLATE_CACHE", "1", 1);
	devtemplate_open(&t, "/nonexistent", 1, "v", geteuid(), getegid());
	assert_int_equal(t.cachefd, -1);
	assert_non_null(strstr(t.why, "SCHEMIG_NO_TEMPLATE_CACHE"));
	devtemplate_close(&t);
	unsetenv("SCHEMIG_NO_TEMPLATE_CACHE");

	if (geteuid()) {
		/* chown needs root; the rest was checked above. */
		strbuf_release(&cache);
		strbuf_release(&entry);
		strbuf_release(&parent);
		skip();
	}
	struct stat before, after;
	assert_int_equal(stat(cache.buf, &before), 0);
	assert_int_equal(chown(cache.buf, 54321, 54321), 0);
	start_logs l;
	start_once(&l);
	assert_true(l.initdb);
	assert_contains(&l.templ, "not the server user's");
	assert_int_equal(l.publish.len, 0);
	release_logs(&l);
	/* Untouched: still one entry, the same one. */
	strbuf e2 = STRBUF_INIT, c2 = STRBUF_INIT;
	cache_entry(cache_home, &c2, &e2, &n, &tmp);
	assert_int_equal(n, 1);
	assert_string_equal(e2.buf, entry.buf);
	assert_int_equal(tmp, 0);
	assert_int_equal(chown(cache.buf, before.st_uid, before.st_gid), 0);
	assert_int_equal(stat(cache.buf, &after), 0);
	assert_int_equal(after.st_uid, before.st_uid);
	strbuf_release(&e2);
	strbuf_release(&c2);
	strbuf_release(&cache);
	strbuf_release(&entry);
	strbuf_release(&parent);
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
			exit(ok ? 0 : 1);
		}
	}
	for (int i = 0; i < 2; i++) {
		int status;
		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	strbuf cache = STRBUF_INIT, entry = STRBUF_INIT;
	int n, tmp;
	cache_entry(home, &cache, &entry, &n, &tmp);
	assert_int_equal(n, 1);
	assert_int_equal(tmp, 0);
	start_logs l;
	start_once(&l);
	assert_false(l.initdb);
	assert_contains(&l.templ, "template: copied");
	release_logs(&l);
	setenv("XDG_CACHE_HOME", cache_home, 1);
	strbuf cmd = STRBUF_INIT;
	strbuf_addf(&cmd, "rm -rf '%s'", home);
	assert_int_equal(system(cmd.buf), 0);
	strbuf_release(&cmd);
	strbuf_release(&cache);
	strbuf_release(&entry);
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
	strbuf cmd = STRBUF_INIT;
	strbuf_addf(&cmd, "rm -rf '%s'", cache_home);
	int r = system(cmd.buf);
	strbuf_release(&cmd);
	return r;
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
