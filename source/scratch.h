/*
 * Scratch databases (inside source/ only): a database created on a
 * scratch server for one load, and dropped right after it.
 *
 * This is PostgreSQL-specific (CREATE DATABASE ... TEMPLATE template0);
 * it belongs in the dialect table once a second dialect needs it.
 */
#ifndef SCHEMIG_SCRATCH_H
#define SCHEMIG_SCRATCH_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <sys/types.h>

#include "../util/error.h"

typedef struct scratch {
	PGconn *admin; /* on the server's base database: CREATE/DROP */
	char *dbname;  /* schemig_scratch_<pid>_<n> */
	char *url;     /* conninfo of the scratch database */
	pid_t janitor; /* drops it if schemig dies first; 0 when none */
	int janitor_fd;
} scratch;

/*
 * Create scratch database number `seq` on `base`. With `janitor`, a
 * small child process drops it should this process die before
 * scratch_drop (a signal, even SIGKILL), so that a shared server does not
 * collect leftovers; a throwaway cluster needs none, it goes as a whole.
 */
int scratch_create(const char *base, unsigned seq, bool janitor, scratch *s,
		   error *e);

/* Drop the database (warning on failure) and release everything. */
void scratch_drop(scratch *s);

/* Replace the password of `url`, wherever it shows up in e's message. */
void scratch_scrub_password(error *e, const char *url);

#endif
