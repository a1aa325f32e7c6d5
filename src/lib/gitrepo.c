#include "gitrepo.h"

#include <git2.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

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

/* The blob id of `path` in `tree`, or 0 when it is absent or not a file. */
static int entry_blob(git_oid *out, git_tree *tree, const char *path)
{
	git_tree_entry *e = NULL;
	int found = 0;
	if (git_tree_entry_bypath(&e, tree, path) == 0) {
		if (git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
			git_oid_cpy(out, git_tree_entry_id(e));
			found = 1;
		}
		git_tree_entry_free(e);
	}
	return found;
}

/* Where `path` of `tree` came from in `parent_tree` when it was renamed. */
static char *renamed_from(git_repository *repo, git_tree *parent_tree, git_tree *tree,
			  const char *path)
{
	git_diff *diff = NULL;
	git_diff_options dopts = GIT_DIFF_OPTIONS_INIT;
	git_diff_find_options fopts = GIT_DIFF_FIND_OPTIONS_INIT;
	char *from = NULL;

	fopts.flags = GIT_DIFF_FIND_RENAMES;
	if (git_diff_tree_to_tree(&diff, repo, parent_tree, tree, &dopts) < 0)
		return NULL;
	if (git_diff_find_similar(diff, &fopts) == 0) {
		size_t n = git_diff_num_deltas(diff);
		for (size_t i = 0; i < n; i++) {
			const git_diff_delta *d = git_diff_get_delta(diff, i);
			if (d->status == GIT_DELTA_RENAMED && !strcmp(d->new_file.path, path)) {
				from = am_xstrdup(d->old_file.path);
				break;
			}
		}
	}
	git_diff_free(diff);
	return from;
}

int am_git__history(am_git_revision **out, size_t *n, am_git *g, const char *path,
		    struct am_arena *arena)
{
	git_revwalk *walk = NULL;
	git_oid oid;
	am_git_revision *revs = NULL;
	size_t nrevs = 0, cap = 0;
	char *cur = am_xstrdup(path);
	int rc = 0;

	*out = NULL;
	*n = 0;
	if (git_revwalk_new(&walk, g->repo) < 0 || git_revwalk_push_head(walk) < 0) {
		rc = git_fail("HEAD");
		goto done;
	}
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
	git_revwalk_simplify_first_parent(walk);
	while (git_revwalk_next(&oid, walk) == 0) {
		git_commit *commit = NULL, *parent = NULL;
		git_tree *tree = NULL, *ptree = NULL;
		git_oid blob, pblob;
		if (git_commit_lookup(&commit, g->repo, &oid) < 0 || git_commit_tree(&tree, commit) < 0) {
			git_commit_free(commit);
			rc = git_fail("history");
			goto done;
		}
		if (!entry_blob(&blob, tree, cur)) {
			/* Not there (yet): the walk is past the file's creation. */
			git_tree_free(tree);
			git_commit_free(commit);
			if (nrevs)
				break;
			continue;
		}
		int has_parent = git_commit_parentcount(commit) > 0 &&
				 git_commit_parent(&parent, commit, 0) == 0 &&
				 git_commit_tree(&ptree, parent) == 0;
		int changed = 1;
		char *from = NULL;
		if (has_parent) {
			if (entry_blob(&pblob, ptree, cur))
				changed = !git_oid_equal(&blob, &pblob);
			else if ((from = renamed_from(g->repo, ptree, tree, cur)) != NULL)
				changed = !(entry_blob(&pblob, ptree, from) && git_oid_equal(&blob, &pblob));
		}
		if (changed) {
			am_grow((void **)&revs, &cap, nrevs + 1, sizeof(*revs));
			am_git_revision *r = &revs[nrevs++];
			const git_signature *a = git_commit_author(commit);
			git_oid_tostr(r->commit, sizeof(r->commit), &oid);
			git_oid_tostr(r->blob, sizeof(r->blob), &blob);
			r->path = am_arena_strdup(arena, cur);
			r->time = a->when.time;
			r->offset = a->when.offset;
			r->author = am_arena_strdup(arena, a->name ? a->name : "");
			const char *sum = git_commit_summary(commit);
			r->summary = am_arena_strdup(arena, sum ? sum : "");
		}
		if (from) {
			free(cur);
			cur = from;
		}
		if (has_parent && !from && !entry_blob(&pblob, ptree, cur)) {
			/* Created in this commit: nothing older to find. */
			git_tree_free(ptree);
			git_commit_free(parent);
			git_tree_free(tree);
			git_commit_free(commit);
			break;
		}
		git_tree_free(ptree);
		git_commit_free(parent);
		git_tree_free(tree);
		git_commit_free(commit);
	}
	/* Oldest first. */
	for (size_t i = 0; i < nrevs / 2; i++) {
		am_git_revision t = revs[i];
		revs[i] = revs[nrevs - 1 - i];
		revs[nrevs - 1 - i] = t;
	}
	*out = revs;
	*n = nrevs;
	revs = NULL;
done:
	free(revs);
	free(cur);
	git_revwalk_free(walk);
	return rc;
}

int am_git__read_blob(am_buf *out, am_git *g, const char *blob_hex, size_t max)
{
	git_oid oid;
	git_blob *blob = NULL;
	if (git_oid_fromstr(&oid, blob_hex) < 0 || git_blob_lookup(&blob, g->repo, &oid) < 0)
		return git_fail(blob_hex);
	if ((size_t)git_blob_rawsize(blob) > max) {
		am_error_set("blob %s: %lld bytes is over the size limit of %zu bytes", blob_hex,
			     (long long)git_blob_rawsize(blob), max);
		git_blob_free(blob);
		return AM_ELIMIT;
	}
	am_buf_clear(out);
	am_buf_put(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	return 0;
}

char *am_git__relative(am_git *g, const char *path)
{
	const char *wd = git_repository_workdir(g->repo);
	char *abs = realpath(path, NULL), *root = NULL, *rel = NULL;
	if (!wd)
		goto plain;
	root = realpath(wd, NULL);
	if (!abs || !root) {
		/* A path that does not exist in the working tree any more: take it
		 * as relative to the current directory inside the repository. */
		goto plain;
	}
	size_t rl = strlen(root);
	if (!strncmp(abs, root, rl) && abs[rl] == '/')
		rel = am_xstrdup(abs + rl + 1);
	free(abs);
	free(root);
	return rel;
plain:
	free(abs);
	free(root);
	return path[0] == '/' ? NULL : am_xstrdup(path);
}
