#include "gitsrc.h"

#include <git2.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/xalloc.h"

static const char *git_message(void)
{
	const git_error *ge = git_error_last();
	return ge && ge->message ? ge->message : "unknown libgit2 error";
}

/*
 * Open the repository like git would: with an explicit start directory,
 * search upwards from it; without one, let libgit2 apply GIT_DIR,
 * GIT_WORK_TREE and GIT_CEILING_DIRECTORIES exactly as git does, which is
 * what a CI job that exports GIT_DIR for a bare clone expects.
 */
static int open_repo(git_repository **repo, const char *start)
{
	if (start)
		return git_repository_open_ext(repo, start, 0, NULL);
	return git_repository_open_ext(repo, NULL, GIT_REPOSITORY_OPEN_FROM_ENV,
				       NULL);
}

static char *strip_trailing_slash(const char *p)
{
	char *s = xstrdup(p);
	size_t n = strlen(s);
	while (n > 1 && s[n - 1] == '/')
		s[--n] = '\0';
	return s;
}

int gitsrc_discover(const char *start, char **root, error *e)
{
	git_repository *repo = NULL;
	int ret;

	*root = NULL;
	git_libgit2_init();
	int err = open_repo(&repo, start);
	if (err == GIT_ENOTFOUND) {
		ret = 0;
	} else if (err < 0) {
		ret = error_set(e, EXIT_USAGE, "cannot open git repository: %s",
				git_message());
	} else {
		const char *dir = git_repository_workdir(repo);
		*root =
		    strip_trailing_slash(dir ? dir : git_repository_path(repo));
		ret = 1;
	}
	git_repository_free(repo);
	git_libgit2_shutdown();
	return ret;
}

void gitsrc_files_release(gitsrc_files *f)
{
	for (int i = 0; i < f->n; i++) {
		free(f->items[i].name);
		free(f->items[i].text);
	}
	free(f->items);
	memset(f, 0, sizeof(*f));
}

static void files_add(gitsrc_files *f, const char *rev, const char *path,
		      const git_blob *blob)
{
	ALLOC_GROW(f->items, f->n + 1, f->alloc);
	gitsrc_file *it = &f->items[f->n++];
	size_t len = strlen(rev) + strlen(path) + 2;
	it->name = xmalloc(len);
	snprintf(it->name, len, "%s:%s", rev, path);
	it->text =
	    xstrndup(git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
}

static bool has_sql_suffix(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && !strcmp(name + n - 4, ".sql");
}

static int cmp_entry_name(const void *a, const void *b)
{
	return strcmp(git_tree_entry_name(*(const git_tree_entry *const *)a),
		      git_tree_entry_name(*(const git_tree_entry *const *)b));
}

/* A directory at REV: its .sql blobs in byte order of their names, the
 * same order a directory in the working tree is read in. */
static int read_tree_dir(git_repository *repo, const git_tree *tree,
			 const char *rev, const char *dir, gitsrc_files *out,
			 error *e)
{
	size_t n = git_tree_entrycount(tree), nsql = 0;
	const git_tree_entry **sql = xcalloc(n ? n : 1, sizeof(*sql));
	int ret = 0;

	for (size_t i = 0; i < n; i++) {
		const git_tree_entry *te = git_tree_entry_byindex(tree, i);
		if (git_tree_entry_type(te) == GIT_OBJECT_BLOB &&
		    has_sql_suffix(git_tree_entry_name(te)))
			sql[nsql++] = te;
	}
	qsort(sql, nsql, sizeof(*sql), cmp_entry_name);
	if (!nsql)
		ret = error_set(e, EXIT_USAGE,
				"'%s' holds no .sql files at revision '%s'",
				*dir ? dir : "/", rev);
	for (size_t i = 0; i < nsql && !ret; i++) {
		git_blob *blob;
		strbuf pb = STRBUF_INIT;
		strbuf_addf(&pb, "%s%s%s", dir, *dir ? "/" : "",
			    git_tree_entry_name(sql[i]));
		char *path = strbuf_detach(&pb);
		if (git_blob_lookup(&blob, repo, git_tree_entry_id(sql[i])) <
		    0) {
			ret = error_set(e, EXIT_USAGE,
					"cannot read '%s' at revision '%s': %s",
					path, rev, git_message());
		} else {
			files_add(out, rev, path, blob);
			git_blob_free(blob);
		}
		free(path);
	}
	free(sql);
	return ret;
}

/* "./db/schema.sql", "/db/schema.sql" and "db/schema.sql/" all name the
 * same entry of the tree. */
static char *tree_path(const char *path)
{
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	while (*path == '/')
		path++;
	char *p = xstrdup(path);
	size_t n = strlen(p);
	while (n && p[n - 1] == '/')
		p[--n] = '\0';
	return p;
}

static int read_at(git_repository *repo, const char *rev, const char *path,
		   gitsrc_files *out, error *e)
{
	git_object *obj = NULL, *treeobj = NULL;
	git_tree_entry *entry = NULL;
	git_object *target = NULL;
	int ret = 0;

	int err = git_revparse_single(&obj, repo, rev);
	if (err == GIT_ENOTFOUND || err == GIT_EINVALIDSPEC ||
	    err == GIT_EAMBIGUOUS) {
		/* CI checkouts are often shallow: say so, since the fix is
		 * fetching more history, not a different revision. */
		ret =
		    error_set(e, EXIT_USAGE,
			      "unknown revision '%s' in this repository%s", rev,
			      git_repository_is_shallow(repo) == 1
				  ? " (a shallow clone: fetch more "
				    "history, e.g. fetch-depth: 0)"
				  : "");
		goto out;
	} else if (err < 0) {
		ret =
		    error_set(e, EXIT_USAGE, "cannot resolve revision '%s': %s",
			      rev, git_message());
		goto out;
	}
	if (git_object_peel(&treeobj, obj, GIT_OBJECT_TREE) < 0) {
		ret = error_set(e, EXIT_USAGE,
				"revision '%s' does not name a commit", rev);
		goto out;
	}
	const git_tree *tree = (const git_tree *)treeobj;
	if (!*path) {
		ret = read_tree_dir(repo, tree, rev, path, out, e);
		goto out;
	}
	err = git_tree_entry_bypath(&entry, tree, path);
	if (err == GIT_ENOTFOUND) {
		ret = error_set(e, EXIT_USAGE,
				"'%s' does not exist at revision '%s'", path,
				rev);
		goto out;
	} else if (err < 0) {
		ret = error_set(e, EXIT_USAGE,
				"cannot look up '%s' at revision '%s': %s",
				path, rev, git_message());
		goto out;
	}
	if (git_tree_entry_to_object(&target, repo, entry) < 0) {
		ret = error_set(e, EXIT_USAGE,
				"cannot read '%s' at revision '%s': %s", path,
				rev, git_message());
		goto out;
	}
	switch (git_object_type(target)) {
	case GIT_OBJECT_BLOB:
		files_add(out, rev, path, (const git_blob *)target);
		break;
	case GIT_OBJECT_TREE:
		ret = read_tree_dir(repo, (const git_tree *)target, rev, path,
				    out, e);
		break;
	default:
		ret =
		    error_set(e, EXIT_USAGE,
			      "'%s' at revision '%s' is not a file", path, rev);
	}
out:
	git_object_free(target);
	git_tree_entry_free(entry);
	git_object_free(treeobj);
	git_object_free(obj);
	return ret;
}

int gitsrc_read(const char *repo_dir, const char *rev, const char *path,
		gitsrc_files *out, error *e)
{
	git_repository *repo = NULL;
	int ret;

	if (!rev || !*rev)
		return error_set(e, EXIT_USAGE,
				 "git: source needs a revision (git:REV or "
				 "git:REV:PATH)");
	git_libgit2_init();
	int err = open_repo(&repo, repo_dir);
	if (err == GIT_ENOTFOUND && (strstr(git_message(), "owned") ||
				     strstr(git_message(), "safe.directory"))) {
		/* libgit2 1.5 reports a repository of another user, which
		 * safe.directory does not name, as not found, and names
		 * the missing setting rather than the owner. */
		ret =
		    error_set(e, EXIT_USAGE,
			      "git:%s: the repository above '%s' is not owned "
			      "by the current user; name it in git's "
			      "safe.directory setting to read it",
			      rev, repo_dir ? repo_dir : ".");
	} else if (err == GIT_ENOTFOUND) {
		ret = error_set(e, EXIT_USAGE,
				"git:%s needs a git repository, and '%s' is "
				"not inside one",
				rev, repo_dir ? repo_dir : ".");
	} else if (err < 0) {
		ret = error_set(e, EXIT_USAGE, "cannot open git repository: %s",
				git_message());
	} else {
		char *p = tree_path(path ? path : "");
		ret = read_at(repo, rev, p, out, e);
		free(p);
	}
	git_repository_free(repo);
	git_libgit2_shutdown();
	if (ret < 0)
		gitsrc_files_release(out);
	return ret;
}

int gitsrc_head(const char *repo_dir, char out[41], error *e)
{
	git_repository *repo = NULL;
	git_oid oid;
	int ret = 0;
	out[0] = '\0';
	git_libgit2_init();
	if (open_repo(&repo, repo_dir) < 0 ||
	    git_reference_name_to_id(&oid, repo, "HEAD") < 0)
		ret = error_set(e, EXIT_USAGE, "cannot read HEAD: %s",
				git_message());
	else
		git_oid_tostr(out, 41, &oid);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return ret;
}
