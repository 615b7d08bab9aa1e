/*
 * What the dialects' throwaway servers share: a directory for them, the
 * files and environment their programs get, and their removal from a
 * signal handler (system calls only).
 */
#ifndef SCHEMIG_SANDBOX_H
#define SCHEMIG_SANDBOX_H

/*
 * Create file `name` in directory `dirfd` for writing: a new file only
 * (O_EXCL), never through a symlink (O_NOFOLLOW). The fd or -1 (errno).
 * Called after dropping privileges, so that the file is the server
 * user's from the start.
 */
int sandbox_create_file(int dirfd, const char *name);

/* The environment a server's programs run with: PATH, LANG, LC_* and TZ
 * only, a NULL-ended array of environ's own strings; the caller frees
 * the array only. */
char **sandbox_minimal_env(void);

/* $TMPDIR when short enough for a socket path in it, else /tmp: where the
 * servers' directories go. */
const char *sandbox_tmp_base(void);

/*
 * Remove `name` in `dirfd` (a tree or a file) with system calls only
 * (async-signal-safe), never following a symlink.
 */
void sandbox_remove_tree(int dirfd, const char *name);

#endif
