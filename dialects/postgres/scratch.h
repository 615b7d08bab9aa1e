/*
 * Scratch databases: a database created on a scratch server for one
 * load, and dropped right after it. The dialect table's scratch_*
 * members (dialects/dialect.h); source/ reaches them only through it.
 */
#ifndef SCHEMIG_PG_SCRATCH_H
#define SCHEMIG_PG_SCRATCH_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <sys/types.h>

#include "../../util/error.h"
#include "../dialect.h"

/* The dialect table's dialect_scratch, for PostgreSQL. */
typedef struct dialect_scratch scratch;
struct dialect_scratch {
	PGconn *admin;	  /* on the server's base database: CREATE/DROP */
	char *dbname;	  /* schemig_scratch_<pid>_<n> */
	char *url;	  /* conninfo of the scratch database, as the base
			     URL's user: preparation and introspection */
	char *loader;	  /* the role files are loaded as; NULL: none, load
			     as the base URL's user (url) */
	char *load_url;	  /* conninfo of the scratch database as `loader`
			     (with its password); NULL when no loader */
	bool drop_loader; /* the loader is this database's own: dropped
			     with it */
	pid_t janitor;	  /* drops it if schemig dies first; 0 when none */
	int janitor_fd;
};

/* scratch_create flags (DIALECT_SCRATCH_*), as PostgreSQL reads them:
 * DIALECT_SCRATCH_SHARED, a server that outlives us (--dev-url): a
 * janitor process, and a loader role of this database's own; without it,
 * our throwaway cluster. DIALECT_SCRATCH_LOADER: files will be loaded,
 * the database is owned by a loader role. */

/* The loader role on schemig's own throwaway cluster. */
#define SCRATCH_LOADER_ROLE "schemig_loader"

/*
 * Create scratch database number `seq` on `base` into *out (freed by
 * scratch_drop; NULL on failure). With DIALECT_SCRATCH_SHARED, a
 * small child process drops it (and its loader role) should this process
 * die before scratch_drop (a signal, even SIGKILL), so that a shared
 * server does not collect leftovers; a throwaway cluster needs none, it
 * goes as a whole.
 *
 * With DIALECT_SCRATCH_LOADER the database is owned by a non-superuser
 * LOGIN role (NOCREATEDB NOCREATEROLE, no predefined roles such as
 * pg_read_server_files or pg_execute_server_program), and files are to
 * be loaded through load_url, a connection of that role's own: a file
 * cannot RESET ROLE its way back to the base URL's user. On a shared server the
 * role gets a random password, which is never printed, and is dropped
 * with the database; when the base URL's user may not create roles, or
 * the role cannot log in, one warning says so and files are loaded as
 * before, with the base URL's privileges.
 */
int scratch_create(const char *base, unsigned seq, unsigned flags,
		   scratch **out, error *e);

/* The dialect table's accessors: s->url, s->load_url, s->loader. */
const char *scratch_url(const scratch *s);
const char *scratch_load_url(const scratch *s);
const char *scratch_loader(const scratch *s);

/* Drop the database and its own loader role (warning on failure) and
 * free everything. NULL is fine. */
void scratch_drop(scratch *s);

/* Replace the password of `url`, wherever it shows up in e's message. */
void scratch_scrub_password(error *e, const char *url);

#endif
