/*
 * The little of git that sources need, through libgit2: finding the
 * repository the way `git rev-parse` does, and reading a file (or a
 * directory of .sql files) as committed at a revision. Works in bare
 * repositories and shallow CI checkouts alike, since nothing touches
 * the working tree or the index.
 */
#ifndef SCHEMIG_GITSRC_H
#define SCHEMIG_GITSRC_H

#include "../util/error.h"
#include "../util/strbuf.h"

/*
 * Find the repository holding `start` (NULL: the current directory,
 * honouring GIT_DIR and GIT_CEILING_DIRECTORIES like git). Returns 1 and
 * sets *root (the working tree, or the git directory of a bare
 * repository; the caller frees it) when found, 0 when `start` is not
 * inside a repository, -1 on error.
 */
int gitsrc_discover(const char *start, char **root, error *e);

/* One file read from a revision. */
typedef struct gitsrc_file {
	char *name; /* "REV:path", for messages */
	char *text;
} gitsrc_file;

typedef struct gitsrc_files {
	gitsrc_file *items;
	int n, alloc;
} gitsrc_files;

/*
 * Read `path` (relative to the repository root) as committed at `rev`
 * (anything git_revparse_single accepts: HEAD~1, a tag, a branch, an
 * object id) in the repository found from `repo_dir` (NULL: the current
 * directory). A blob gives one file; a tree gives its .sql files in name
 * order. Errors name the revision, and the path when it is missing.
 */
int gitsrc_read(const char *repo_dir, const char *rev, const char *path,
		gitsrc_files *out, error *e);

void gitsrc_files_release(gitsrc_files *f);

/*
 * Write `n` files (paths relative to `dir`) and commit them on the
 * current branch of the repository at `dir`, creating the repository
 * when there is none. Used to build the demo's sample repository.
 */
int gitsrc_commit_files(const char *dir, const char *const *paths,
			const char *const *texts, int n, const char *message,
			error *e);

/* The commit HEAD points at, as 40 hex digits (out[41]), in the
 * repository at or above `repo_dir`. */
int gitsrc_head(const char *repo_dir, char out[41], error *e);

#endif
