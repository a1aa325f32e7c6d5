#include "gitrepo.h"

#include <git2.h>
#include <stdio.h>

void am_git__version(char *buf, size_t size)
{
	int major, minor, rev;
	git_libgit2_version(&major, &minor, &rev);
	snprintf(buf, size, "%d.%d.%d", major, minor, rev);
}

struct am_git {
	git_repository *repo;
};

static int git_fail(const char *what)
{
	const git_error *e = git_error_last();
	am_error_set("%s: %s", what, e && e->message ? e->message : "git error");
	return AM_EGIT;
}

int am_git__open(am_git **out, const char *path)
{
	git_repository *repo = NULL;

	*out = NULL;
	git_libgit2_init();
	if (git_repository_open_ext(&repo, path ? path : ".", 0, NULL) < 0) {
		am_error_set("%s: not a git repository (or any of the parent directories)",
			     path ? path : ".");
		return AM_EGIT;
	}
	*out = am_xcalloc(1, sizeof(am_git));
	(*out)->repo = repo;
	return 0;
}

void am_git__free(am_git *g)
{
	if (!g)
		return;
	git_repository_free(g->repo);
	free(g);
	git_libgit2_shutdown();
}

int am_git__read(am_buf *out, am_git *g, const char *rev, const char *path, size_t max)
{
	git_object *obj = NULL;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	git_blob *blob = NULL;
	int rc = 0;

	if (git_revparse_single(&obj, g->repo, rev) < 0) {
		am_error_set("%s: unknown revision in %s", rev, git_repository_path(g->repo));
		return AM_ENOTFOUND;
	}
	if (git_object_peel((git_object **)&commit, obj, GIT_OBJECT_COMMIT) < 0) {
		am_error_set("%s: not a commit", rev);
		rc = AM_ENOTFOUND;
		goto done;
	}
	if (git_commit_tree(&tree, commit) < 0) {
		rc = git_fail(rev);
		goto done;
	}
	if (git_tree_entry_bypath(&entry, tree, path) < 0) {
		am_error_set("%s:%s: no such path in revision %s", rev, path, rev);
		rc = AM_ENOTFOUND;
		goto done;
	}
	if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB) {
		am_error_set("%s:%s: not a file in revision %s (a directory or submodule)", rev, path, rev);
		rc = AM_EPARSE;
		goto done;
	}
	if (git_tree_entry_filemode(entry) == GIT_FILEMODE_LINK) {
		am_error_set("%s:%s: a symbolic link, not followed", rev, path);
		rc = AM_EPARSE;
		goto done;
	}
	if (git_blob_lookup(&blob, g->repo, git_tree_entry_id(entry)) < 0) {
		rc = git_fail(rev);
		goto done;
	}
	if ((size_t)git_blob_rawsize(blob) > max) {
		am_error_set("%s:%s: %lld bytes is over the size limit of %zu bytes (see --max-size)",
			     rev, path, (long long)git_blob_rawsize(blob), max);
		rc = AM_ELIMIT;
		goto done;
	}
	am_buf_clear(out);
	am_buf_put(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
done:
	git_blob_free(blob);
	git_tree_entry_free(entry);
	git_tree_free(tree);
	git_commit_free(commit);
	git_object_free(obj);
	return rc;
}
