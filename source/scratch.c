#include "scratch.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../dialects/postgres/pg.h"
#include "../util/strbuf.h"
#include "../util/xalloc.h"

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

/* The base URL's connection options with another database name. */
static char *conninfo_with_db(const char *base, const char *dbname)
{
	char *err = NULL;
	PQconninfoOption *opts = PQconninfoParse(base, &err);
	strbuf sb = STRBUF_INIT;
	PQfreemem(err);
	for (PQconninfoOption *o = opts; o && o->keyword; o++)
		if (o->val && *o->val && strcmp(o->keyword, "dbname"))
			conninfo_add(&sb, o->keyword, o->val);
	conninfo_add(&sb, "dbname", dbname);
	PQconninfoFree(opts);
	return strbuf_detach(&sb);
}

/*
 * Defence in depth: whatever a lower layer put in the message, no secret
 * of `url` leaves this function (the dialect's scrubber: redact.c).
 */
void scratch_scrub_password(error *e, const char *url)
{
	char *safe = url && e->msg ? pg_scrub_secrets(e->msg, url) : NULL;
	if (!safe)
		return;
	free(e->msg);
	e->msg = safe;
}

static void drop_sql(strbuf *sql, PGconn *conn, const char *dbname)
{
	strbuf_adds(sql, "DROP DATABASE IF EXISTS ");
	pg_quote_ident(sql, dbname);
	/* Sessions left by a failed load must not keep it alive. */
	if (PQserverVersion(conn) >= 130000)
		strbuf_adds(sql, " WITH (FORCE)");
}

static PGconn *connect_base(const char *base)
{
	/* A bounded wait for an unreachable server; a connect_timeout in
	 * the URL itself, expanded after it, still wins. */
	const char *keys[] = {"connect_timeout", "fallback_application_name",
			      "dbname", NULL};
	const char *vals[] = {"10", "git-schemig", base, NULL};
	return PQconnectdbParams(keys, vals, 1);
}

/*
 * The janitor process: it waits until the pipe closes. A byte first means
 * "dropped, nothing to do"; a bare end-of-file means schemig died before
 * dropping, so it drops the database itself. It ignores the signals that
 * reach the whole process group (Ctrl-C, a closing terminal) since its
 * work starts exactly then.
 */
static void janitor_run(int fd, const char *base, const char *dbname)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE};
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_IGN);
	int devnull = open("/dev/null", O_RDWR);
	if (devnull >= 0) {
		dup2(devnull, 0);
		dup2(devnull, 1);
	}
	char c;
	ssize_t n;
	while ((n = read(fd, &c, 1)) < 0 && errno == EINTR)
		;
	if (n == 1)
		_exit(0);
	for (int attempt = 0; attempt < 5; attempt++) {
		PGconn *conn = connect_base(base);
		bool done = false;
		if (PQstatus(conn) == CONNECTION_OK) {
			strbuf sql = STRBUF_INIT;
			drop_sql(&sql, conn, dbname);
			PGresult *r = PQexec(conn, sql.buf);
			done = PQresultStatus(r) == PGRES_COMMAND_OK;
			PQclear(r);
			strbuf_release(&sql);
		}
		PQfinish(conn);
		if (done)
			break;
		struct timespec ts = {0, 200 * 1000000L};
		nanosleep(&ts, NULL);
	}
	_exit(0);
}

static void janitor_start(scratch *s, const char *base)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0)
		return;
	pid_t pid = fork();
	if (!pid) {
		close(fds[1]);
		janitor_run(fds[0], base, s->dbname);
	}
	close(fds[0]);
	if (pid < 0) {
		close(fds[1]);
		return;
	}
	s->janitor = pid;
	s->janitor_fd = fds[1];
}

void scratch_drop(scratch *s)
{
	if (s->admin && s->dbname) {
		strbuf sql = STRBUF_INIT;
		drop_sql(&sql, s->admin, s->dbname);
		PGresult *r = PQexec(s->admin, sql.buf);
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			warn("cannot drop scratch database %s: %s", s->dbname,
			     PQresultErrorMessage(r));
		PQclear(r);
		strbuf_release(&sql);
	}
	if (s->janitor > 0) {
		/* Tell it we are done (whatever the outcome), then reap it. */
		ssize_t w = write(s->janitor_fd, "x", 1);
		(void)w;
		close(s->janitor_fd);
		while (waitpid(s->janitor, NULL, 0) < 0 && errno == EINTR)
			;
	}
	PQfinish(s->admin);
	free(s->dbname);
	free(s->url);
	memset(s, 0, sizeof(*s));
}

int scratch_create(const char *base, unsigned seq, bool janitor, scratch *s,
		   error *e)
{
	memset(s, 0, sizeof(*s));
	s->admin = connect_base(base);
	if (PQstatus(s->admin) != CONNECTION_OK) {
		char *r = pg_url_redact(base);
		char *msg = pg_conn_message(PQerrorMessage(s->admin), base);
		error_set(e, EXIT_DB, "cannot connect to scratch server %s: %s",
			  r, msg);
		free(msg);
		free(r);
		scratch_scrub_password(e, base);
		scratch_drop(s);
		return -1;
	}
	strbuf name = STRBUF_INIT, sql = STRBUF_INIT;
	strbuf_addf(&name, "schemig_scratch_%ld_%u", (long)getpid(), seq);
	/* template0: whatever was added to template1 is not part of the
	 * schema being normalised. */
	strbuf_addf(&sql, "CREATE DATABASE %s TEMPLATE template0", name.buf);
	PGresult *r = PQexec(s->admin, sql.buf);
	int ret = 0;
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		char *red = pg_url_redact(base);
		ret = error_set(e, EXIT_DB,
				"cannot create scratch database on %s: %s", red,
				PQresultErrorMessage(r));
		free(red);
	} else {
		s->dbname = strbuf_detach(&name);
		s->url = conninfo_with_db(base, s->dbname);
		if (janitor)
			janitor_start(s, base);
	}
	PQclear(r);
	strbuf_release(&name);
	strbuf_release(&sql);
	if (ret < 0)
		scratch_drop(s);
	return ret;
}
