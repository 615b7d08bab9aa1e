#include "scratch.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/rand.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pg.h"
#include "server_url.h"
#include "../../util/strbuf.h"
#include "../../util/xalloc.h"

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

/* One statement; its error message into `err` (when given) on failure. */
static int run_cmd(PGconn *conn, const char *sql, strbuf *err)
{
	PGresult *r = PQexec(conn, sql);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK ||
		 PQresultStatus(r) == PGRES_TUPLES_OK;
	if (!ok && err) {
		strbuf_adds(err, PQresultErrorMessage(r));
		strbuf_trim(err);
	}
	PQclear(r);
	return ok ? 0 : -1;
}

/*
 * Drop the database, then the per-run loader role that owned it (NULL:
 * none). Two statements: DROP DATABASE refuses to share a query string.
 */
static int drop_scratch(PGconn *conn, const char *dbname, const char *role,
			strbuf *err)
{
	strbuf sql = STRBUF_INIT;
	strbuf_adds(&sql, "DROP DATABASE IF EXISTS ");
	pg_quote_ident(&sql, dbname);
	/* Sessions left by a failed load must not keep it alive. */
	if (PQserverVersion(conn) >= 130000)
		strbuf_adds(&sql, " WITH (FORCE)");
	int ret = run_cmd(conn, sql.buf, err);
	if (!ret && role) {
		strbuf_reset(&sql);
		strbuf_adds(&sql, "DROP ROLE IF EXISTS ");
		pg_quote_ident(&sql, role);
		ret = run_cmd(conn, sql.buf, err);
	}
	strbuf_release(&sql);
	return ret;
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
static void janitor_run(int fd, const char *base, const char *dbname,
			const char *role)
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
		if (PQstatus(conn) == CONNECTION_OK)
			done = !drop_scratch(conn, dbname, role, NULL);
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
		janitor_run(fds[0], base, s->dbname,
			    s->drop_loader ? s->loader : NULL);
	}
	close(fds[0]);
	if (pid < 0) {
		close(fds[1]);
		return;
	}
	s->janitor = pid;
	s->janitor_fd = fds[1];
}

const char *scratch_url(const scratch *s)
{
	return s->url;
}

const char *scratch_load_url(const scratch *s)
{
	return s->load_url;
}

const char *scratch_loader(const scratch *s)
{
	return s->loader;
}

void scratch_drop(scratch *s)
{
	if (!s)
		return;
	strbuf err = STRBUF_INIT;
	if (s->admin && s->dbname &&
	    drop_scratch(s->admin, s->dbname, s->drop_loader ? s->loader : NULL,
			 &err) < 0)
		warn("cannot drop scratch database %s%s%s: %s", s->dbname,
		     s->drop_loader ? " or role " : "",
		     s->drop_loader ? s->loader : "", err.buf);
	strbuf_release(&err);
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
	free(s->load_url);
	free(s->loader);
	free(s);
}

/* One boolean the admin connection answers; false when it cannot. */
static bool admin_bool(scratch *s, const char *sql)
{
	PGresult *r = PQexec(s->admin, sql);
	bool yes = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
		   !strcmp(PQgetvalue(r, 0, 0), "t");
	PQclear(r);
	return yes;
}

static int create_db(scratch *s, const char *owner, strbuf *err)
{
	strbuf sql = STRBUF_INIT;
	/* template0: whatever was added to template1 is not part of the
	 * schema being normalised. */
	strbuf_addf(&sql, "CREATE DATABASE %s", s->dbname);
	if (owner) {
		strbuf_adds(&sql, " OWNER ");
		pg_quote_ident(&sql, owner);
	}
	strbuf_adds(&sql, " TEMPLATE template0");
	/*
	 * PostgreSQL 15 copies the template by writing each of its pages to
	 * the WAL, which spares a shared server the two checkpoints of the
	 * old file copy. A server running with fsync off is a throwaway one
	 * (ours, or a test rig) whose checkpoints cost nothing, and there the
	 * file copy makes a scratch database in half the time.
	 */
	if (admin_bool(s, "SELECT current_setting('server_version_num')::int "
			  ">= 150000 AND current_setting('fsync') = 'off'"))
		strbuf_adds(&sql, " STRATEGY FILE_COPY");
	int ret = run_cmd(s->admin, sql.buf, err);
	strbuf_release(&sql);
	return ret;
}

/*
 * Create the loader role: LOGIN and nothing else, and none of the
 * predefined roles that reach files or programs. On a shared server it
 * gets a random password, sent to the server only as a SCRAM/MD5
 * verifier so that not even the server's statement log sees it; on our
 * own cluster (trust authentication) it needs none and is made once.
 */
static int create_loader(scratch *s, const char *password, strbuf *err)
{
	strbuf sql = STRBUF_INIT;
	int ret = 0;
	if (!password) {
		strbuf_adds(&sql, "SELECT EXISTS (SELECT FROM pg_roles WHERE "
				  "rolname = ");
		pg_quote_literal(&sql, s->loader);
		strbuf_adds(&sql, ")");
		bool exists = admin_bool(s, sql.buf);
		strbuf_release(&sql);
		if (exists)
			return 0;
	}
	strbuf_reset(&sql);
	strbuf_adds(&sql, "CREATE ROLE ");
	pg_quote_ident(&sql, s->loader);
	strbuf_adds(&sql, " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
			  "NOREPLICATION NOBYPASSRLS");
	if (password) {
		char *verifier =
		    PQencryptPasswordConn(s->admin, password, s->loader, NULL);
		if (!verifier) {
			strbuf_adds(err, PQerrorMessage(s->admin));
			strbuf_release(&sql);
			return -1;
		}
		strbuf_adds(&sql, " PASSWORD ");
		pg_quote_literal(&sql, verifier);
		PQfreemem(verifier);
	}
	ret = run_cmd(s->admin, sql.buf, err);
	/* A non-superuser creator may make a database owned by the role
	 * only as a member of it. */
	if (!ret && !admin_bool(s, "SELECT rolsuper FROM pg_roles WHERE "
				   "rolname = current_user")) {
		strbuf_reset(&sql);
		strbuf_adds(&sql, "GRANT ");
		pg_quote_ident(&sql, s->loader);
		strbuf_adds(&sql, " TO CURRENT_USER");
		ret = run_cmd(s->admin, sql.buf, err);
	}
	strbuf_release(&sql);
	return ret;
}

/* Log in as the loader once: a shared server's pg_hba.conf may not let
 * it in (peer authentication, a role list). */
static int check_loader_login(scratch *s, strbuf *err)
{
	const char *keys[] = {"connect_timeout", "dbname", NULL};
	const char *vals[] = {"10", s->load_url, NULL};
	PGconn *c = PQconnectdbParams(keys, vals, 1);
	int ret = PQstatus(c) == CONNECTION_OK ? 0 : -1;
	if (ret < 0) {
		strbuf_adds(err, PQerrorMessage(c));
		strbuf_trim(err);
	}
	PQfinish(c);
	return ret;
}

/*
 * Before PostgreSQL 15 the public schema belongs to the bootstrap
 * superuser; the database's owner should own it, as it does from 15 on
 * (pg_database_owner). Best effort: PUBLIC may CREATE there anyway.
 */
static void hand_over_public(scratch *s)
{
	if (PQserverVersion(s->admin) >= 150000)
		return;
	PGconn *c = PQconnectdb(s->url);
	strbuf sql = STRBUF_INIT;
	strbuf_adds(&sql, "ALTER SCHEMA public OWNER TO ");
	pg_quote_ident(&sql, s->loader);
	if (PQstatus(c) == CONNECTION_OK)
		PQclear(PQexec(c, sql.buf));
	strbuf_release(&sql);
	PQfinish(c);
}

static char *random_hex(size_t bytes)
{
	unsigned char raw[32];
	strbuf sb = STRBUF_INIT;
	if (bytes > sizeof(raw) || RAND_bytes(raw, (int)bytes) != 1)
		return NULL;
	for (size_t i = 0; i < bytes; i++)
		strbuf_addf(&sb, "%02x", raw[i]);
	return strbuf_detach(&sb);
}

/*
 * Which role loads the files: on our own cluster the fixed role
 * SCRATCH_LOADER_ROLE; on a shared server a role of this run's own (named
 * after the database, random password), when the URL's user may create
 * roles. *password is set for the latter (the caller frees it).
 */
static void pick_loader(scratch *s, unsigned flags, char **password)
{
	*password = NULL;
	if (!(flags & DIALECT_SCRATCH_LOADER))
		return;
	if (!(flags & DIALECT_SCRATCH_SHARED)) {
		s->loader = xstrdup(SCRATCH_LOADER_ROLE);
		return;
	}
	if (!admin_bool(s, "SELECT rolsuper OR rolcreaterole FROM pg_roles "
			   "WHERE rolname = current_user")) {
		warn("the scratch server's user may not create roles: schema "
		     "files are loaded with the dev URL's own privileges");
		return;
	}
	char *tag = random_hex(4);
	*password = random_hex(24);
	if (!tag || !*password) {
		free(tag);
		free(*password);
		*password = NULL;
		warn("no random bytes for a loader role's password: schema "
		     "files are loaded with the dev URL's own privileges");
		return;
	}
	strbuf name = STRBUF_INIT;
	strbuf_addf(&name, "schemig_loader_%ld_%s", (long)getpid(), tag);
	s->loader = strbuf_detach(&name);
	s->drop_loader = true;
	free(tag);
}

/* Give up on the loader of a shared server: say so, and load as the
 * dev URL's user, as before loaders existed. */
static void forget_loader(scratch *s, const char *why)
{
	warn("cannot load as a role of its own on the scratch server (%s): "
	     "schema files are loaded with the dev URL's own privileges",
	     why);
	if (s->drop_loader) {
		strbuf sql = STRBUF_INIT;
		strbuf_adds(&sql, "DROP ROLE IF EXISTS ");
		pg_quote_ident(&sql, s->loader);
		run_cmd(s->admin, sql.buf, NULL);
		strbuf_release(&sql);
	}
	free(s->loader);
	free(s->load_url);
	s->loader = s->load_url = NULL;
	s->drop_loader = false;
}

/* The database, owned by the loader when there is one. On a shared
 * server a loader that cannot be made or cannot log in is given up
 * (forget_loader); on our own cluster that is an error. */
static int create_owned_db(scratch *s, const char *base, unsigned flags,
			   const char *password, strbuf *err)
{
	if (s->loader && create_loader(s, password, err) < 0) {
		if (!(flags & DIALECT_SCRATCH_SHARED))
			return -1;
		forget_loader(s, err->buf);
		strbuf_reset(err);
	}
	if (create_db(s, s->loader, err) < 0)
		return -1;
	s->url = server_conninfo_with(base, s->dbname, NULL, NULL);
	if (!s->loader)
		return 0;
	s->load_url =
	    server_conninfo_with(base, s->dbname, s->loader, password);
	if (check_loader_login(s, err) < 0) {
		if (!(flags & DIALECT_SCRATCH_SHARED))
			return -1;
		/* The database goes first: the role owns it. */
		drop_scratch(s->admin, s->dbname, NULL, NULL);
		forget_loader(s, err->buf);
		strbuf_reset(err);
		return create_db(s, NULL, err);
	}
	hand_over_public(s);
	return 0;
}

int scratch_create(const char *base, unsigned seq, unsigned flags,
		   scratch **out, error *e)
{
	scratch *s = xcalloc(1, sizeof(*s));
	*out = NULL;
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
	strbuf name = STRBUF_INIT, err = STRBUF_INIT;
	strbuf_addf(&name, "schemig_scratch_%ld_%u", (long)getpid(), seq);
	s->dbname = strbuf_detach(&name);
	char *password = NULL;
	pick_loader(s, flags, &password);
	/* Started before anything exists, so that it knows both names. */
	if (flags & DIALECT_SCRATCH_SHARED)
		janitor_start(s, base);
	int ret = 0;
	if (create_owned_db(s, base, flags, password, &err) < 0) {
		char *red = pg_url_redact(base);
		ret = error_set(e, EXIT_DB,
				"cannot create scratch database on %s: %s", red,
				err.buf);
		free(red);
		scratch_scrub_password(e, base);
		if (password)
			scratch_scrub_password(e, s->load_url);
	}
	free(password);
	strbuf_release(&err);
	if (ret < 0)
		scratch_drop(s);
	else
		*out = s;
	return ret;
}
