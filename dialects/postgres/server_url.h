/*
 * Connection strings of servers and their databases: the dialect table's
 * claims_url and url_with_database, and the conninfo the scratch
 * databases are reached through.
 */
#ifndef SCHEMIG_PG_SERVER_URL_H
#define SCHEMIG_PG_SERVER_URL_H

#include <stdbool.h>

#include "../../util/error.h"

/* "postgres://..." or "postgresql://...": the URL forms libpq takes. */
bool server_claims_url(const char *spec);

/*
 * The connection string of database `dbname` on the server of `url`
 * (dialect.h's url_with_database): a postgres:// URL stays one, with
 * only its path replaced; a key=value string (or a URL whose database is
 * not named by its path) becomes key=value conninfo.
 */
int server_url_with_database(const char *url, const char *dbname, char **out,
			     error *e);

/*
 * `base`'s connection options, as key=value conninfo, with another
 * database name and, when `user` is given, as that user with `password`
 * (NULL: none; the base URL's password is never handed to another
 * user). The caller frees it.
 */
char *server_conninfo_with(const char *base, const char *dbname,
			   const char *user, const char *password);

#endif
