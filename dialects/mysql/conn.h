/*
 * Connections to MySQL and MariaDB through libmariadb (the MySQL C API).
 *
 * URL form (mysql:// and mariadb:// are the same):
 *
 *   mysql://user[:password]@host[:port]/[database][?socket=PATH]
 *
 * user, password, database and the socket path are percent-decoded; host
 * may be "[v6 address]"; with socket= the host is ignored and the unix
 * socket is used. The password never appears in a message: errors name
 * the user, the host (or socket) and the database only.
 */
#ifndef SCHEMIG_MYSQL_CONN_H
#define SCHEMIG_MYSQL_CONN_H

#include <mysql.h>
#include <stdbool.h>

#include "../../util/error.h"
#include "../../util/strbuf.h"

typedef struct my_url {
	char *user, *password; /* NULL when absent */
	char *host;	       /* NULL: localhost */
	unsigned int port;     /* 0: the default (3306) */
	char *database;	       /* NULL or "": none */
	char *socket;	       /* NULL: TCP (or the client's default socket) */
} my_url;

/* Whether `url` has the mysql:// or mariadb:// scheme. */
bool my_url_is_mysql(const char *url);
/* Split `url`; every field malloc'd. */
int my_url_parse(const char *url, my_url *out, error *e);
void my_url_release(my_url *u);
/* "user@host:port, database db" or "user@localhost (socket PATH),
 * database db": never the password. */
void my_url_describe(strbuf *sb, const my_url *u);
/* The URL with its password replaced by "***" (malloc'd). */
char *my_url_redact(const char *url);

/* Connect with utf8mb4; *out is set only on success. The server takes
 * one statement per call: a text holding two fails. */
int my_connect(const char *url, MYSQL **out, error *e);
/* The same, taking scripts of several statements: for trusted text only
 * (the tests' DDL), never for anything built from a schema file. */
int my_connect_script(const char *url, MYSQL **out, error *e);

/* Run statements that return no rows. `what` names the step in an error. */
int my_exec(MYSQL *c, const char *sql, const char *what, error *e);

/* A whole result in memory: rows[i][j] is NULL for SQL NULL. */
typedef struct my_rows {
	MYSQL_RES *res;
	MYSQL_ROW *rows;
	int n, ncols;
	MYSQL_FIELD *fields;
} my_rows;

/* Run one query that returns rows and keep them all. */
int my_query(MYSQL *c, const char *sql, my_rows *out, const char *what,
	     error *e);
void my_rows_release(my_rows *r);
/* The column named `name` (case-insensitive), or -1. */
int my_rows_col(const my_rows *r, const char *name);
/* The value, or NULL for SQL NULL and for col -1. */
const char *my_rows_val(const my_rows *r, int row, int col);

#endif
