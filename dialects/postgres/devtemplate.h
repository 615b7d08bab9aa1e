/*
 * The throwaway server's template cache (used by server.c only).
 *
 * initdb costs seconds; copying an initdb'd data directory costs a tenth
 * of that. So the first throwaway server of a given server build is
 * initdb'd as before and then copied into a per-user cache; every later
 * one is a copy of that template:
 *
 *   $XDG_CACHE_HOME/schemig/pg-template/      (else ~/.cache/...)
 *     <major>-<hash of the key>/
 *       data/                  an untouched initdb result
 *       key                    the key, written last
 *
 * The key names everything the result depends on: the server's version
 * and binary, the initdb options, the time zone initdb writes. Under
 * root the server runs as another user, so the cache is that user's: in
 * $XDG_CACHE_HOME when set, else $TMPDIR/schemig-pg-template-<uid>.
 *
 * The parent (possibly root) only finds, creates and checks the cache
 * directory; reading and writing inside it is done by a child running as
 * the server's user, through the directory's file descriptor.
 */
#ifndef SCHEMIG_PG_DEVTEMPLATE_H
#define SCHEMIG_PG_DEVTEMPLATE_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "../../util/error.h"

typedef struct devtemplate {
	char *path;  /* the cache directory */
	int cachefd; /* opened and checked, or -1: not used */
	error why;   /* why not used (for the log; never an error) */
	char *name;  /* the entry, "<major>-<hash>" */
	char *key;   /* the marker's exact content */
} devtemplate;

/*
 * Parent side: compute the key from the server binaries in `bindir`
 * (`version` is `postgres --version`), find the cache directory, create
 * it when missing (handed to `owner` when we are root) and check it:
 * every ancestor is root's, ours or owner's and writable by no one else
 * (or sticky), and the directory itself is owner's with mode 0700. Never
 * fails: when anything is off, cachefd is -1 and why.msg says what.
 * SCHEMIG_NO_TEMPLATE_CACHE=1 turns the cache off.
 */
void devtemplate_open(devtemplate *t, const char *bindir, int major,
		      const char *version, uid_t owner, gid_t group);
void devtemplate_close(devtemplate *t);

/*
 * Child side, as the server's user: copy a valid entry into "data" in
 * `dirfd`, with freshly written configuration files (postgresql.conf keeps
 * only the settings initdb writes; postgresql.auto.conf, pg_hba.conf and
 * pg_ident.conf are schemig's own), so that nothing planted in the
 * template's configuration runs. 0 when "data" is ready; -1 when there is
 * no usable entry (then "data" does not exist), the reason on `log`.
 */
int devtemplate_fill(const devtemplate *t, int dirfd, FILE *log);

/*
 * Child side, as the server's user, right after initdb made "data" in
 * `dirfd` and before the server first starts: copy it into a temporary
 * sibling of the entry, write the key, and rename it into place. When
 * another run got there first, its entry stands and ours is removed; an
 * entry in the way that is not valid (or `broken`: a copy of it did not
 * start) is replaced. 0 when the entry now exists.
 */
int devtemplate_publish(const devtemplate *t, int dirfd, bool broken,
			FILE *log);

#endif
