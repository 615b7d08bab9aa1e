/*
 * Scratch databases on a MySQL or MariaDB server (server.h): made for one
 * load and dropped right after it, on schemig's throwaway MariaDB or on
 * a server that outlives us (--dev-url).
 */
#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../util/strbuf.h"
#include "../../util/xalloc.h"
#include "conn.h"
#include "mysql.h"

struct dialect_scratch {
	MYSQL *admin;	/* on the base URL: CREATE / DROP */
	char *base;	/* the base URL (the janitor reconnects with it) */
	char *dbname;	/* schemig_scratch_<pid>_<seq>_<random> */
	char *url;	/* the database as the base URL's user */
	char *loader;	/* the account files are loaded as; NULL: none */
	char *load_url; /* the database as `loader`, with its password */
	bool made;	/* CREATE DATABASE ran: there is something to drop */
	pid_t janitor;	/* drops it if schemig dies first; 0: none */
	int janitor_fd;
};

/* The host part of loader accounts: any, since the server sees a TCP
 * client by address and a socket client as localhost. */
#define LOADER_HOST "%"

static void add_encoded(strbuf *sb, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~", c))
			strbuf_addch(sb, (char)c);
		else
			strbuf_addf(sb, "%%%02X", c);
	}
}

/* `u` as a URL, with database `db` and, when `user` is given, that user
 * and password instead of u's. */
static char *compose_url(const my_url *u, const char *db, const char *user,
			 const char *password)
{
	strbuf sb = STRBUF_INIT;
	const char *usr = user ? user : u->user;
	const char *pw = user ? password : u->password;
	strbuf_adds(&sb, "mysql://");
	if (usr) {
		add_encoded(&sb, usr);
		if (pw) {
			strbuf_addch(&sb, ':');
			add_encoded(&sb, pw);
		}
		strbuf_addch(&sb, '@');
	}
	if (u->host && strchr(u->host, ':'))
		strbuf_addf(&sb, "[%s]", u->host);
	else if (u->host)
		add_encoded(&sb, u->host);
	else
		strbuf_adds(&sb, "localhost");
	if (u->port)
		strbuf_addf(&sb, ":%u", u->port);
	strbuf_addch(&sb, '/');
	if (db)
		add_encoded(&sb, db);
	if (u->socket) {
		strbuf_adds(&sb, "?socket=");
		add_encoded(&sb, u->socket);
	}
	return strbuf_detach(&sb);
}

int mysc_url_with_database(const char *url, const char *dbname, char **out,
			   error *e)
{
	my_url u;
	*out = NULL;
	error pe = ERROR_INIT;
	/* The parser's message may quote a piece of the URL: say only
	 * that it does not parse. */
	if (my_url_parse(url, &u, &pe) < 0) {
		error_clear(&pe);
		return error_set(e, EXIT_USAGE,
				 "the MySQL URL does not parse (mysql://"
				 "user[:password]@host[:port]/database"
				 "[?socket=PATH])");
	}
	*out = compose_url(&u, dbname, NULL, NULL);
	my_url_release(&u);
	return 0;
}

/* Replace every occurrence of `secret` in *msg by "***". */
static void mask(char **msg, const char *secret)
{
	if (!secret || strlen(secret) < 1 || !strstr(*msg, secret))
		return;
	strbuf sb = STRBUF_INIT;
	const char *p = *msg, *hit;
	size_t n = strlen(secret);
	while ((hit = strstr(p, secret))) {
		strbuf_add(&sb, p, (size_t)(hit - p));
		strbuf_adds(&sb, "***");
		p = hit + n;
	}
	strbuf_adds(&sb, p);
	free(*msg);
	*msg = strbuf_detach(&sb);
}

void mysc_scrub_secrets(error *e, const char *url)
{
	my_url u;
	error pe = ERROR_INIT;
	if (!e->msg || !url || my_url_parse(url, &u, &pe) < 0) {
		error_clear(&pe);
		return;
	}
	/* The password as written (percent-encoded) and as decoded. */
	if (u.password && *u.password) {
		const char *at = strrchr(url, '@');
		const char *colon = strchr(strstr(url, "://") + 3, ':');
		if (at && colon && colon < at) {
			char *raw =
			    xstrndup(colon + 1, (size_t)(at - colon - 1));
			mask(&e->msg, raw);
			free(raw);
		}
		mask(&e->msg, u.password);
	}
	my_url_release(&u);
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

/* mysql_native_password's stored form of `pw`: "*" and the upper-case hex
 * of SHA1(SHA1(pw)). Sent instead of the password, so that not even the
 * server's statement log sees it. */
static void native_hash(strbuf *sb, const char *pw)
{
	unsigned char h1[SHA_DIGEST_LENGTH], h2[SHA_DIGEST_LENGTH];
	SHA1((const unsigned char *)pw, strlen(pw), h1);
	SHA1(h1, sizeof(h1), h2);
	strbuf_addch(sb, '*');
	for (size_t i = 0; i < sizeof(h2); i++)
		strbuf_addf(sb, "%02X", h2[i]);
}

/* The database and its loader (NULL: none) dropped on `c`. */
static int drop_on(MYSQL *c, const char *dbname, const char *loader, error *e)
{
	strbuf sql = STRBUF_INIT;
	strbuf_adds(&sql, "DROP DATABASE IF EXISTS ");
	my_quote_ident(&sql, dbname);
	int ret = my_exec(c, sql.buf, "DROP DATABASE", e);
	if (!ret && loader) {
		strbuf_reset(&sql);
		strbuf_adds(&sql, "DROP USER IF EXISTS ");
		my_quote_literal(&sql, loader);
		strbuf_addf(&sql, "@'%s'", LOADER_HOST);
		ret = my_exec(c, sql.buf, "DROP USER", e);
	}
	strbuf_release(&sql);
	return ret;
}

/*
 * The janitor: a child that waits until the pipe closes. A byte first
 * means "dropped, nothing to do"; a bare end-of-file means schemig died
 * before dropping (even by SIGKILL), so it drops the database itself.
 * It ignores the signals that reach the whole process group, since its
 * work starts exactly then, and holds no descriptor of the parent's but
 * its pipe, so that it keeps no other janitor's pipe open.
 */
static void janitor_run(int fd, const char *base, const char *dbname,
			const char *loader)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE};
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_IGN);
	int devnull = open("/dev/null", O_RDWR);
	if (devnull >= 0) {
		dup2(devnull, 0);
		dup2(devnull, 1);
	}
	for (int k = 3; k < 1024; k++)
		if (k != fd)
			close(k);
	char ch;
	ssize_t n;
	while ((n = read(fd, &ch, 1)) < 0 && errno == EINTR)
		;
	if (n == 1)
		_exit(0);
	for (int attempt = 0; attempt < 5; attempt++) {
		MYSQL *c = NULL;
		error e = ERROR_INIT;
		bool done = my_connect(base, &c, &e) == 0 &&
			    drop_on(c, dbname, loader, &e) == 0;
		if (c)
			mysql_close(c);
		error_clear(&e);
		if (done)
			break;
		struct timespec ts = {0, 200 * 1000000L};
		nanosleep(&ts, NULL);
	}
	_exit(0);
}

static void janitor_start(dialect_scratch *s)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0)
		return;
	pid_t pid = fork();
	if (!pid)
		janitor_run(fds[0], s->base, s->dbname, s->loader);
	close(fds[0]);
	if (pid < 0) {
		close(fds[1]);
		return;
	}
	s->janitor = pid;
	s->janitor_fd = fds[1];
}

const char *mysc_url(const dialect_scratch *s)
{
	return s->url;
}

const char *mysc_load_url(const dialect_scratch *s)
{
	return s->load_url;
}

const char *mysc_loader(const dialect_scratch *s)
{
	return s->loader;
}

void mysc_drop(dialect_scratch *s)
{
	if (!s)
		return;
	error e = ERROR_INIT;
	if (s->admin && s->made &&
	    drop_on(s->admin, s->dbname, s->loader, &e) < 0)
		warn("cannot drop scratch database %s: %s", s->dbname,
		     e.msg ? e.msg : "");
	error_clear(&e);
	if (s->janitor > 0) {
		/* Tell it we are done (whatever the outcome), then reap. */
		ssize_t w = write(s->janitor_fd, "x", 1);
		(void)w;
		close(s->janitor_fd);
		while (waitpid(s->janitor, NULL, 0) < 0 && errno == EINTR)
			;
	}
	if (s->admin)
		mysql_close(s->admin);
	free(s->base);
	free(s->dbname);
	free(s->url);
	free(s->loader);
	free(s->load_url);
	free(s);
}

/* Give up on the loader: say why, and load with the base URL's own
 * privileges, as a PostgreSQL server whose user may not make roles. */
static void forget_loader(dialect_scratch *s, const char *why)
{
	warn("cannot load as an account of its own on the scratch server "
	     "(%s): schema files are loaded with the dev URL's own "
	     "privileges",
	     why);
	strbuf sql = STRBUF_INIT;
	error ignored = ERROR_INIT;
	strbuf_adds(&sql, "DROP USER IF EXISTS ");
	my_quote_literal(&sql, s->loader);
	strbuf_addf(&sql, "@'%s'", LOADER_HOST);
	my_exec(s->admin, sql.buf, "DROP USER", &ignored);
	error_clear(&ignored);
	strbuf_release(&sql);
	free(s->loader);
	free(s->load_url);
	s->loader = s->load_url = NULL;
}

/*
 * The loader: an account with every privilege on the scratch database
 * and on nothing else (no FILE, no SUPER, nothing global), its password
 * random and sent as a hash only. The database's name is escaped in the
 * GRANT, where `_` would match any character.
 */
static int make_loader(dialect_scratch *s, const my_url *u, error *e)
{
	char *password = random_hex(24);
	if (!password)
		return error_set(e, EXIT_DB, "no random bytes for a password");
	strbuf sql = STRBUF_INIT, db = STRBUF_INIT;
	strbuf_adds(&sql, "CREATE USER ");
	my_quote_literal(&sql, s->loader);
	strbuf_addf(&sql, "@'%s' IDENTIFIED BY PASSWORD '", LOADER_HOST);
	native_hash(&sql, password);
	strbuf_addch(&sql, '\'');
	int ret = my_exec(s->admin, sql.buf, "CREATE USER", e);
	/* MySQL 8 knows no IDENTIFIED BY PASSWORD (a syntax error, 1064):
	 * there the password itself, which MySQL's logs print rewritten. */
	if (ret < 0 && mysql_errno(s->admin) == 1064) {
		error_clear(e);
		strbuf_reset(&sql);
		strbuf_adds(&sql, "CREATE USER ");
		my_quote_literal(&sql, s->loader);
		strbuf_addf(&sql, "@'%s' IDENTIFIED BY ", LOADER_HOST);
		my_quote_literal(&sql, password);
		ret = my_exec(s->admin, sql.buf, "CREATE USER", e);
		if (ret < 0 && e->msg)
			mask(&e->msg, password);
	}
	if (!ret) {
		for (const char *p = s->dbname; *p; p++) {
			if (*p == '_' || *p == '%')
				strbuf_addch(&db, '\\');
			strbuf_addch(&db, *p);
		}
		strbuf_reset(&sql);
		strbuf_adds(&sql, "GRANT ALL PRIVILEGES ON ");
		my_quote_ident(&sql, db.buf);
		strbuf_adds(&sql, ".* TO ");
		my_quote_literal(&sql, s->loader);
		strbuf_addf(&sql, "@'%s'", LOADER_HOST);
		ret = my_exec(s->admin, sql.buf, "GRANT", e);
	}
	if (!ret) {
		s->load_url = compose_url(u, s->dbname, s->loader, password);
		MYSQL *c;
		/* A login once: the server may not let the account in
		 * (an anonymous account shadowing it, a plugin policy). */
		ret = my_connect(s->load_url, &c, e);
		if (!ret)
			mysql_close(c);
	}
	strbuf_release(&db);
	strbuf_release(&sql);
	free(password);
	return ret;
}

int mysc_create(const char *base, unsigned seq, unsigned flags,
		dialect_scratch **out, error *e)
{
	my_url u;
	*out = NULL;
	if (my_url_parse(base, &u, e) < 0)
		return -1;
	dialect_scratch *s = xcalloc(1, sizeof(*s));
	s->base = xstrdup(base);
	if (my_connect(base, &s->admin, e) < 0) {
		error_prefix(e, "scratch server");
		goto fail;
	}
	char *tag = random_hex(4);
	strbuf name = STRBUF_INIT;
	/* The random part: two runs with the same pid (containers) on one
	 * shared server never meet. */
	strbuf_addf(&name, "schemig_scratch_%ld_%u_%s", (long)getpid(), seq,
		    tag ? tag : "0");
	s->dbname = strbuf_detach(&name);
	if (flags & DIALECT_SCRATCH_LOADER) {
		strbuf ln = STRBUF_INIT;
		/* An account name is at most 80 characters (32 on MySQL
		 * before 5.7): the pid and the random tag suffice. */
		strbuf_addf(&ln, "schemig_ld_%ld_%s", (long)getpid(),
			    tag ? tag : "0");
		s->loader = strbuf_detach(&ln);
	}
	free(tag);
	/* Started before anything exists, so that it knows both names. */
	if (flags & DIALECT_SCRATCH_SHARED)
		janitor_start(s);
	strbuf sql = STRBUF_INIT;
	/* The server's own defaults (utf8mb4 on ours): a file's tables
	 * without a charset of their own get what a fresh database on
	 * that server gives them. */
	strbuf_adds(&sql, "CREATE DATABASE ");
	my_quote_ident(&sql, s->dbname);
	int ret = my_exec(s->admin, sql.buf, "CREATE DATABASE", e);
	s->made = ret == 0;
	strbuf_release(&sql);
	if (ret < 0) {
		char *red = my_url_redact(base);
		error_prefix(e, "cannot create a scratch database on %s", red);
		free(red);
		goto fail;
	}
	s->url = compose_url(&u, s->dbname, NULL, NULL);
	if (s->loader) {
		error le = ERROR_INIT;
		if (make_loader(s, &u, &le) < 0) {
			mysc_scrub_secrets(&le, s->load_url);
			forget_loader(s, le.msg ? le.msg : "");
		}
		error_clear(&le);
	}
	my_url_release(&u);
	*out = s;
	return 0;
fail:
	mysc_scrub_secrets(e, base);
	my_url_release(&u);
	mysc_drop(s);
	return -1;
}
