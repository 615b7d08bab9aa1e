/*
 * MySQL/MariaDB servers and databases of schemig's own: the dialect
 * table's server_* members (a throwaway MariaDB, server.c) and its
 * scratch_*, load_script and exec_script members (scratch databases on
 * any server, scratch.c, and the loading of a schema file into one,
 * load.c).
 */
#ifndef SCHEMIG_MYSQL_SERVER_H
#define SCHEMIG_MYSQL_SERVER_H

#include "../../util/error.h"
#include "../dialect.h"

/* What starting a throwaway server needs, for messages. */
#define MYSRV_NEEDS                                                            \
	"a throwaway MariaDB (mariadbd and mariadb-install-db, from the "      \
	"mariadb-server package)"

/* 1 when mariadbd and mariadb-install-db are found, else 0. */
int mysrv_available(error *e);
/* Install, start and wait for a server on a unix socket in a new
 * temporary directory (*out published before anything exists). */
int mysrv_start(dialect_server **out, error *e);
/* mysql://USER@localhost/?socket=DIR/mysqld.sock, USER our unix user. */
const char *mysrv_url(const dialect_server *s);
/* "MariaDB 10.11.6" (caller frees). */
char *mysrv_describe(const dialect_server *s);
const char *mysrv_dir(const dialect_server *s);
/* Seconds the start took (install, start, first answer). */
double mysrv_start_seconds(const dialect_server *s);
/* Kill the server (or install-db) and remove the directory, with
 * system calls only (async-signal-safe); mysrv_stop also frees. */
void mysrv_abort(dialect_server *s);
void mysrv_stop(dialect_server *s);

/*
 * Scratch database `seq` on the server of `base`:
 * schemig_scratch_<pid>_<seq>_<random>. With DIALECT_SCRATCH_SHARED a
 * child process drops it (and its loader account) when schemig dies
 * before mysc_drop, even by SIGKILL. With DIALECT_SCRATCH_LOADER files
 * are loaded as an account of its own that may touch that database
 * only (when the base URL's user may make one; else a warning).
 */
int mysc_create(const char *base, unsigned seq, unsigned flags,
		dialect_scratch **out, error *e);
const char *mysc_url(const dialect_scratch *s);
const char *mysc_load_url(const dialect_scratch *s);
const char *mysc_loader(const dialect_scratch *s);
void mysc_drop(dialect_scratch *s);

/* The URL of database `dbname` on the server of `url`. */
int mysc_url_with_database(const char *url, const char *dbname, char **out,
			   error *e);
/* The password of `url` masked wherever it shows up in e's message. */
void mysc_scrub_secrets(error *e, const char *url);

/*
 * A user's schema file into the database of `url`, one statement per
 * call: statements are split by the dialect's lexer (DELIMITER and
 * executable comments understood), screened before any runs (a
 * statement that may reach beyond the database fails EXIT_USAGE with
 * "file:line: ..."), and a statement the server rejects fails EXIT_USAGE
 * with "file:line: <the server's message>".
 */
int my_load_script(const char *url, const char *sql, const char *filename,
		   error *e);
/* The same for trusted text (schemig's own), as EXIT_DB failures. */
int my_exec_script(const char *url, const char *sql, const char *filename,
		   error *e);

#endif
