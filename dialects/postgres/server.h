/*
 * A throwaway PostgreSQL cluster: the `dev` source and the scratch server
 * that file sources are normalised on when no --dev-url is configured.
 *
 * It lives in a fresh temporary directory, listens only on a unix socket
 * inside that directory (no TCP port, so it never clashes with another
 * server), runs with fsync off, and is removed with its directory when
 * stopped. When schemig runs as root, initdb and postgres run as an
 * unprivileged user (SCHEMIG_DEV_USER, default "nobody"), since both
 * refuse to run as root.
 *
 * The sandbox: initdb and postgres get only PATH, LANG, LC_* and TZ from
 * schemig's environment, and under root every file in the directory is
 * created by the unprivileged user itself (never opened, or read back,
 * through a symlink by root). Schema files are loaded as a non-superuser
 * role (scratch.h), so the superuser URL below is for introspection and
 * preparation only.
 */
#ifndef SCHEMIG_PG_SERVER_H
#define SCHEMIG_PG_SERVER_H

#include "../../util/error.h"

/* The dialect table's dialect_server, for PostgreSQL. */
typedef struct dialect_server devserver;

/*
 * Find the server binaries: $SCHEMIG_PG_BINDIR, else `pg_config --bindir`
 * when it holds initdb, else the highest /usr/lib/postgresql/N/bin, else
 * initdb on PATH. Sets *bindir (caller frees) or fails naming where it
 * looked.
 */
int devserver_find_bindir(char **bindir, error *e);

/*
 * The dialect table's server_available: 1 when the binaries are found, 0
 * when not; -1 only for an explicit but wrong SCHEMIG_PG_BINDIR.
 */
int devserver_available(error *e);

/*
 * Create, start and wait for a cluster. *out is set as soon as there is
 * something to clean up, so that a signal handler reaching *out can
 * remove a half-started server too; on failure everything is removed and
 * *out is NULL again.
 */
int devserver_start(devserver **out, error *e);

/* A postgresql:// URL for the "postgres" database as user "postgres". */
const char *devserver_url(const devserver *d);
/* The temporary directory (data directory and socket live inside). */
const char *devserver_dir(const devserver *d);
/* The server's major version, e.g. 15. */
int devserver_major(const devserver *d);
/* "PostgreSQL 15" (the caller frees): the dialect's server_describe. */
char *devserver_describe(const devserver *d);

/* initdb's options after -D DIR, NULL-ended (the template cache's key
 * names them). */
extern const char *const devserver_initdb_args[];

/* Shut down (fast), remove the directory and free. NULL is fine. */
void devserver_stop(devserver *d);

/*
 * The part of devserver_stop that is async-signal-safe: stop the server
 * (or a running initdb) and remove the directory, without freeing. For
 * signal handlers; devserver_stop afterwards is still fine.
 */
void devserver_abort(devserver *d);

#endif
