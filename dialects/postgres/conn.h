/*
 * Internal to the PostgreSQL dialect: opening a libpq connection with
 * messages that never show a password.
 */
#ifndef SCHEMIG_PG_CONN_H
#define SCHEMIG_PG_CONN_H

#include <libpq-fe.h>

#include "../../util/error.h"

/* Connect to `url` (postgres:// URL or conninfo). On failure fills `e`
 * with EXIT_DB and a message naming the redacted URL. */
int pg_connect(const char *url, PGconn **out, error *e);
/* The same as login `user` with `password` (never shown) instead of the
 * URL's own. */
int pg_connect_as(const char *url, const char *user, const char *password,
		  PGconn **out, error *e);

/* Run one statement that returns no rows; on failure fills `e` with
 * EXIT_DB and the server's message prefixed by `what`. */
int pg_run(PGconn *conn, const char *sql, const char *what, error *e);
/* Fill `e` (EXIT_DB) with "what: " and the failed result's message,
 * trimmed; -1. */
int pg_result_fail(const PGresult *r, const char *what, error *e);

#endif
