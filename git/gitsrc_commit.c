#include "gitsrc.h"

#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../util/strbuf.h"

static int git_fail(error *e, const char *what)
{
	const git_error *ge = git_error_last();
	return error_set(e, EXIT_USAGE, "%s: %s", what,
			 ge && ge->message ? ge->message : "libgit2 error");
}

/* mkdir -p for the parent directories of dir/rel. */
static int write_file(const char *dir, const char *rel, const char *text,
		      error *e)
{
	strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/%s", dir, rel);
	for (char *p = path.buf + strlen(dir) + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(path.buf, 0755);
		*p = '/';
	}
	FILE *f = fopen(path.buf, "w");
	int ret = 0;
	if (!f || fputs(text, f) == EOF)
		ret = error_set(e, EXIT_USAGE, "cannot write %s", path.buf);
	if (f && fclose(f) != 0 && !ret)
		ret = error_set(e, EXIT_USAGE, "cannot write %s", path.buf);
	strbuf_release(&path);
	return ret;
}

int gitsrc_commit_files(const char *dir, const char *const *paths,
			const char *const *texts, int n, const char *message,
			error *e)
{
	git_repository *repo = NULL;
	git_index *index = NULL;
	git_tree *tree = NULL;
	git_signature *sig = NULL;
	git_commit *parent = NULL;
	git_oid tree_id, commit_id;
	int ret = -1;

	git_libgit2_init();
	if (git_repository_open(&repo, dir) < 0 &&
	    git_repository_init(&repo, dir, 0) < 0) {
		git_fail(e, "cannot create repository");
		goto out;
	}
	for (int i = 0; i < n; i++)
		if (write_file(dir, paths[i], texts[i], e) < 0)
			goto out;
	if (git_repository_index(&index, repo) < 0)
		goto fail;
	for (int i = 0; i < n; i++)
		if (git_index_add_bypath(index, paths[i]) < 0)
			goto fail;
	if (git_index_write(index) < 0 ||
	    git_index_write_tree(&tree_id, index) < 0 ||
	    git_tree_lookup(&tree, repo, &tree_id) < 0)
		goto fail;
	/* A fixed identity: the sample repository must not depend on the
	 * user's git configuration. */
	if (git_signature_now(&sig, "schemig demo", "demo@schemig.invalid") < 0)
		goto fail;
	/* The first commit has no parent; later ones follow HEAD. */
	git_object *head = NULL;
	if (git_revparse_single(&head, repo, "HEAD") == 0) {
		git_object_peel((git_object **)&parent, head,
				GIT_OBJECT_COMMIT);
		git_object_free(head);
	}
	const git_commit *parents[1] = {parent};
	if (git_commit_create(&commit_id, repo, "HEAD", sig, sig, NULL, message,
			      tree, parent ? 1 : 0, parents) < 0)
		goto fail;
	ret = 0;
	goto out;
fail:
	git_fail(e, "cannot commit the sample files");
out:
	git_commit_free(parent);
	git_signature_free(sig);
	git_tree_free(tree);
	git_index_free(index);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return ret;
}
