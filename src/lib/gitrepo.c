#include "gitrepo.h"

#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "jobs.h"
#include "paths.h"

void am_git__version(char *buf, size_t size)
{
	int major, minor, rev;
	git_libgit2_version(&major, &minor, &rev);
	snprintf(buf, size, "%d.%d.%d", major, minor, rev);
}

struct am_git {
	git_repository *repo;
};

/* libgit2 is set up once, on first need, and stays so until the process
 * ends: setting it up costs milliseconds (its TLS library reads the
 * system's certificates), and a command may open several repositories
 * one after the other. */
static pthread_once_t git_once = PTHREAD_ONCE_INIT;

static void git_setup(void)
{
	git_libgit2_init();
	/* Read objects as git does: zlib and pack checksums guard the bytes;
	 * hashing every blob again (SHA-1 with collision detection) was a
	 * fifth of a verify's time. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
}

static void git_init(void)
{
	pthread_once(&git_once, git_setup);
}

static int git_fail(const char *what)
{
	const git_error *e = git_error_last();
	am_error_set("%s: %s", what, e && e->message ? e->message : "git error");
	return AM_EGIT;
}

/*
 * A revision that did not resolve. libgit2 says "not found" both for a
 * name it does not know and for an object the name leads to that is not in
 * the object database: the error's class tells them apart. An unknown
 * revision is AM_ENOTFOUND; a missing or corrupt object, the repository's
 * fault, is AM_EGIT and says so. `where` is appended to the unknown case.
 */
static int rev_fail(const char *rev, const char *where)
{
	const git_error *e = git_error_last();
	const char *msg = e && e->message ? e->message : "";
	if (e && (e->klass == GIT_ERROR_ODB || e->klass == GIT_ERROR_ZLIB)) {
		am_error_set("%s: %s (%s)", rev,
			     strstr(msg, "not found") ? "an object it needs is missing from the repository"
						     : "an object it needs is corrupt",
			     msg);
		return AM_EGIT;
	}
	am_error_set("%s: unknown revision%s%s", rev, where ? " in " : "", where ? where : "");
	return AM_ENOTFOUND;
}

/* A revision that names something other than a commit (or whose commit
 * cannot be read). */
static int peel_fail(const char *rev)
{
	const git_error *e = git_error_last();
	if (e && (e->klass == GIT_ERROR_ODB || e->klass == GIT_ERROR_ZLIB))
		return rev_fail(rev, NULL);
	am_error_set("%s: not a commit", rev);
	return AM_ENOTFOUND;
}

int am_git__open(am_git **out, const char *path)
{
	git_repository *repo = NULL;

	*out = NULL;
	git_init();
	int rc = git_repository_open_ext(&repo, path ? path : ".", 0, NULL);
	if (rc < 0) {
		const git_error *e = git_error_last();
		const char *msg = e && e->message ? e->message : "";
		path = path ? path : ".";
		if (e && e->klass == GIT_ERROR_CONFIG && strstr(msg, "safe.directory"))
			/* libgit2 1.5 reports its ownership check so */
			am_error_set("%s: the repository belongs to another user (refused as git's "
				     "safe.directory check refuses it)", path);
		else if (rc == GIT_ENOTFOUND && (!e || e->klass == GIT_ERROR_REPOSITORY))
			am_error_set("%s: not a git repository (or any of the parent directories)", path);
		else
			am_error_set("%s: the git repository cannot be opened: %s", path, msg);
		return AM_EGIT;
	}
	*out = am_xcalloc(1, sizeof(am_git));
	(*out)->repo = repo;
	return 0;
}

int am_git__reopen(am_git **out, am_git *g)
{
	return am_git__open(out, git_repository_path(g->repo));
}

void am_git__free(am_git *g)
{
	if (!g)
		return;
	git_repository_free(g->repo);
	free(g);
}

/* The size of an object from its header: a loose object inflates a few
 * bytes, a packed one (a delta too) reads its headers only. Nothing is
 * loaded whole: every blob is measured so before it is read. */
static int object_size(size_t *out, git_repository *repo, const git_oid *id, const char *what)
{
	git_odb *odb = NULL;
	git_object_t type;
	int rc = 0;
	*out = 0;
	if (git_repository_odb(&odb, repo) < 0 || git_odb_read_header(out, &type, odb, id) < 0)
		rc = git_fail(what);
	git_odb_free(odb);
	return rc;
}

int am_git__read(am_buf *out, am_git *g, const char *rev, const char *path, size_t max)
{
	git_object *obj = NULL;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	git_blob *blob = NULL;
	int rc = 0;

	if (!am_path__ok(path, strlen(path))) {
		am_error_set("%s:%s: not a path auditmd reads (relative to the top of the repository, "
			     "no '.', '..' or .git component)", rev, path);
		return AM_ENOTFOUND;
	}
	if (git_revparse_single(&obj, g->repo, rev) < 0)
		return rev_fail(rev, git_repository_path(g->repo));
	if (git_object_peel((git_object **)&commit, obj, GIT_OBJECT_COMMIT) < 0) {
		rc = peel_fail(rev);
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
	size_t size;
	if ((rc = object_size(&size, g->repo, git_tree_entry_id(entry), rev)) < 0)
		goto done;
	if (size > max) {
		am_error_set("%s:%s: %zu bytes is over the size limit of %zu bytes (see --max-size)",
			     rev, path, size, max);
		rc = AM_ELIMIT;
		goto done;
	}
	if (git_blob_lookup(&blob, g->repo, git_tree_entry_id(entry)) < 0) {
		rc = git_fail(rev);
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
	if (am_path__ok(path, strlen(path)) && git_tree_entry_bypath(&e, tree, path) == 0) {
		if (git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
			git_oid_cpy(out, git_tree_entry_id(e));
			found = 1;
		}
		git_tree_entry_free(e);
	}
	return found;
}

/* ---- rename detection within a size limit ----------------------------------------- */

/* The size of the working-tree file at `path`, not through a link (a
 * link's own size: git hashes its target's name); SIZE_MAX when it is not a
 * path auditmd reads or cannot be measured. */
static size_t workdir_size(git_repository *repo, const char *path)
{
	struct stat st;
	am_buf full = AM_BUF_INIT;
	size_t size = SIZE_MAX;
	if (am_path__ok(path, strlen(path))) {
		am_buf_puts(&full, git_repository_workdir(repo));
		am_buf_puts(&full, path);
		if (lstat(full.ptr, &st) == 0 && (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)))
			size = (size_t)st.st_size;
	}
	am_buf_free(&full);
	return size;
}

/* Whether one side of a delta is at most max bytes: a blob measured from
 * its object header, a working-tree file with lstat. A side that is no
 * blob (absent, a directory, a submodule) is never read. */
static int side_within(bool *within, git_repository *repo, const git_diff_file *f, bool workdir,
		       size_t max)
{
	size_t size;
	*within = true;
	if (f->mode != GIT_FILEMODE_BLOB && f->mode != GIT_FILEMODE_BLOB_EXECUTABLE &&
	    f->mode != GIT_FILEMODE_LINK)
		return 0;
	if (workdir) {
		*within = workdir_size(repo, f->path) <= max;
		return 0;
	}
	/* A blob the object database lacks is a damaged repository, not a
	 * large file: the error goes up. */
	int rc = object_size(&size, repo, &f->id, f->path);
	*within = rc == 0 && size <= max;
	return rc;
}

/*
 * Rename detection that never loads a blob over `max` bytes. libgit2
 * compares whole contents, both sides of each pair it tries in memory, so
 * the files of a first diff that can take part (deleted, added, untracked,
 * type-changed) and are within the limit are diffed again on their own (a
 * pathspec of literal paths, which libgit2's iterators look up by binary
 * search), and the renames are found in that second diff. nt NULL: the
 * working tree. *out is NULL when no file can take part.
 */
static int find_renames(git_diff **out, git_repository *repo, git_tree *ot, git_tree *nt,
			const git_diff *first, git_diff_options dopts, size_t max)
{
	git_diff_find_options fopts = GIT_DIFF_FIND_OPTIONS_INIT;
	git_strarray spec = { NULL, 0 };
	size_t cap = 0;
	int rc = 0;

	*out = NULL;
	for (size_t i = 0, n = git_diff_num_deltas(first); i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(first, i);
		if (d->status != GIT_DELTA_DELETED && d->status != GIT_DELTA_ADDED &&
		    d->status != GIT_DELTA_UNTRACKED && d->status != GIT_DELTA_TYPECHANGE)
			continue;
		bool old_ok, new_ok;
		if ((rc = side_within(&old_ok, repo, &d->old_file, false, max)) < 0 ||
		    (rc = side_within(&new_ok, repo, &d->new_file, nt == NULL, max)) < 0) {
			free(spec.strings);
			return rc;
		}
		if (!old_ok || !new_ok)
			continue;
		am_grow((void **)&spec.strings, &cap, spec.count + 1, sizeof(char *));
		spec.strings[spec.count++] = (char *)d->new_file.path; /* old_file's too */
	}
	if (!spec.count)
		return 0; /* an empty pathspec would mean every file */
	dopts.pathspec = spec;
	dopts.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
	fopts.flags = GIT_DIFF_FIND_RENAMES | (nt ? 0 : GIT_DIFF_FIND_FOR_UNTRACKED);
	if ((nt ? git_diff_tree_to_tree(out, repo, ot, nt, &dopts)
		: git_diff_tree_to_workdir_with_index(out, repo, ot, &dopts)) < 0 ||
	    git_diff_find_similar(*out, &fopts) < 0)
		rc = git_fail("diff");
	free(spec.strings);
	return rc;
}

/* For a file over the limit that find_renames left out: the file added
 * with the very same blob (two trees only), found without reading either. */
static const git_diff_delta *moved_unchanged(git_repository *repo, const git_diff *diff,
					     const git_diff_delta *gone, size_t max)
{
	bool within;
	if (side_within(&within, repo, &gone->old_file, false, max) < 0 || within)
		return NULL; /* within the limit: find_renames had its say */
	for (size_t i = 0, n = git_diff_num_deltas(diff); i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		if (d->status == GIT_DELTA_ADDED && d->new_file.mode == gone->old_file.mode &&
		    git_oid_equal(&d->new_file.id, &gone->old_file.id))
			return d;
	}
	return NULL;
}

/* Where `path` of `tree` came from in `parent_tree` when it was renamed;
 * blobs over max bytes are not compared. */
static char *renamed_from(git_repository *repo, git_tree *parent_tree, git_tree *tree,
			  const char *path, size_t max)
{
	git_diff *diff = NULL, *renames = NULL;
	git_diff_options dopts = GIT_DIFF_OPTIONS_INIT;
	char *from = NULL;

	if (git_diff_tree_to_tree(&diff, repo, parent_tree, tree, &dopts) < 0)
		return NULL;
	if (find_renames(&renames, repo, parent_tree, tree, diff, dopts, max) == 0 && renames) {
		size_t n = git_diff_num_deltas(renames);
		for (size_t i = 0; i < n; i++) {
			const git_diff_delta *d = git_diff_get_delta(renames, i);
			if (d->status == GIT_DELTA_RENAMED && !strcmp(d->new_file.path, path) &&
			    am_path__ok(d->old_file.path, strlen(d->old_file.path))) {
				from = am_xstrdup(d->old_file.path);
				break;
			}
		}
	}
	am_error_clear();
	git_diff_free(renames);
	git_diff_free(diff);
	return from;
}

static int lookup_commit(git_commit **out, am_git *g, const char *rev);

/* One path followed through a walk. */
typedef struct {
	char *cur;          /* its name in the commit walked (renames followed back) */
	am_git_revision *revs;
	size_t n, cap;
	bool done;
	/* What cur is in the tree `known_tree` (the parent's, looked up with
	 * the commit before): the commit walked next has that tree. */
	bool known, known_found;
	git_oid known_tree, known_blob;
} followed;

/* Commit `oid` seen for path p: a revision when the path's blob changed
 * there; the path's older name when it was renamed; done once it was
 * created. */
static void follow(followed *p, am_git *g, const git_oid *oid, size_t step, git_commit *commit,
		   git_tree *tree, git_tree *ptree, size_t max, struct am_arena *arena)
{
	git_oid blob, pblob;
	bool known = p->known && git_oid_equal(&p->known_tree, git_tree_id(tree));
	bool found = known ? p->known_found : entry_blob(&blob, tree, p->cur);
	if (known && found)
		git_oid_cpy(&blob, &p->known_blob);
	p->known = false;
	if (!found) {
		/* Not there (yet): the walk is past the file's creation. */
		p->done = p->n > 0;
		return;
	}
	int changed = 1, pfound = 0;
	char *from = NULL;
	if (ptree) {
		if ((pfound = entry_blob(&pblob, ptree, p->cur)))
			changed = !git_oid_equal(&blob, &pblob);
		else if ((from = renamed_from(g->repo, ptree, tree, p->cur, max)) != NULL)
			changed = !((pfound = entry_blob(&pblob, ptree, from)) && git_oid_equal(&blob, &pblob));
		/* The next commit walked has ptree: where cur (from, when
		 * renamed) is there is known. */
		p->known = true;
		p->known_found = pfound;
		git_oid_cpy(&p->known_tree, git_tree_id(ptree));
		if (pfound)
			git_oid_cpy(&p->known_blob, &pblob);
	}
	if (changed) {
		am_grow((void **)&p->revs, &p->cap, p->n + 1, sizeof(*p->revs));
		am_git_revision *r = &p->revs[p->n++];
		const git_signature *a = git_commit_author(commit);
		git_oid_tostr(r->commit, sizeof(r->commit), oid);
		git_oid_tostr(r->blob, sizeof(r->blob), &blob);
		r->path = am_arena_strdup(arena, p->cur);
		r->time = a->when.time;
		r->offset = a->when.offset;
		r->author = am_arena_strdup(arena, a->name ? a->name : "");
		const char *sum = git_commit_summary(commit);
		r->summary = am_arena_strdup(arena, sum ? sum : "");
		r->walk = step;
	}
	if (from) {
		free(p->cur);
		p->cur = from;
	} else if (ptree && !pfound) {
		p->done = true; /* created in this commit: nothing older to find */
	}
}

int am_git__histories(am_git_revision **out, size_t *n, am_git *g, const char *rev,
		      const char *const *paths, size_t npaths, size_t max, struct am_arena *arena)
{
	git_revwalk *walk = NULL;
	git_commit *tip = NULL;
	git_oid oid;
	followed *f = am_xcalloc(npaths ? npaths : 1, sizeof(*f));
	size_t left = npaths;
	int rc = 0;

	for (size_t i = 0; i < npaths; i++) {
		f[i].cur = am_xstrdup(paths[i]);
		out[i] = NULL;
		n[i] = 0;
	}
	if ((rc = lookup_commit(&tip, g, rev ? rev : "HEAD")) < 0)
		goto done;
	if (git_revwalk_new(&walk, g->repo) < 0 || git_revwalk_push(walk, git_commit_id(tip)) < 0) {
		rc = git_fail(rev ? rev : "HEAD");
		goto done;
	}
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
	git_revwalk_simplify_first_parent(walk);
	/* One walk for every path: each commit's trees are read once. */
	for (size_t step = 0; left && git_revwalk_next(&oid, walk) == 0; step++) {
		git_commit *commit = NULL, *parent = NULL;
		git_tree *tree = NULL, *ptree = NULL;
		if (git_commit_lookup(&commit, g->repo, &oid) < 0 || git_commit_tree(&tree, commit) < 0) {
			git_commit_free(commit);
			rc = git_fail("history");
			goto done;
		}
		if (git_commit_parentcount(commit) > 0 && git_commit_parent(&parent, commit, 0) == 0 &&
		    git_commit_tree(&ptree, parent) < 0)
			ptree = NULL;
		for (size_t i = 0; i < npaths; i++)
			if (!f[i].done) {
				follow(&f[i], g, &oid, step, commit, tree, ptree, max, arena);
				left -= f[i].done;
			}
		git_tree_free(ptree);
		git_commit_free(parent);
		git_tree_free(tree);
		git_commit_free(commit);
	}
	/* Oldest first. */
	for (size_t k = 0; k < npaths; k++) {
		am_git_revision *revs = f[k].revs;
		for (size_t i = 0; i < f[k].n / 2; i++) {
			am_git_revision t = revs[i];
			revs[i] = revs[f[k].n - 1 - i];
			revs[f[k].n - 1 - i] = t;
		}
		out[k] = revs;
		n[k] = f[k].n;
		f[k].revs = NULL;
	}
done:
	for (size_t i = 0; i < npaths; i++) {
		free(f[i].revs);
		free(f[i].cur);
	}
	free(f);
	git_commit_free(tip);
	git_revwalk_free(walk);
	return rc;
}

int am_git__history(am_git_revision **out, size_t *n, am_git *g, const char *path, size_t max,
		    struct am_arena *arena)
{
	return am_git__histories(out, n, g, "HEAD", &path, 1, max, arena);
}

int am_git__read_blob(am_buf *out, am_git *g, const char *blob_hex, const char *name, size_t max)
{
	git_oid oid;
	git_blob *blob = NULL;
	size_t size;
	int rc;
	if (git_oid_fromstr(&oid, blob_hex) < 0)
		return git_fail(name);
	if ((rc = object_size(&size, g->repo, &oid, name)) < 0)
		return rc;
	if (size > max) {
		am_error_set("%s: %zu bytes is over the size limit of %zu bytes (see --max-size)", name,
			     size, max);
		return AM_ELIMIT;
	}
	if (git_blob_lookup(&blob, g->repo, &oid) < 0)
		return git_fail(name);
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
	if (!abs && path[0] == '/') {
		/* An absolute path to a file not on disk: its directory's. */
		const char *slash = strrchr(path, '/');
		char *dir = am_xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
		char *real = realpath(dir, NULL);
		if (real) {
			am_buf b = AM_BUF_INIT;
			am_buf_printf(&b, "%s/%s", strcmp(real, "/") ? real : "", slash + 1);
			abs = am_buf_detach(&b);
		}
		free(real);
		free(dir);
	}
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

static void fill_commit(am_git_commit *out, const git_commit *c)
{
	git_oid_tostr(out->id, sizeof(out->id), git_commit_id(c));
	out->time = (int64_t)git_commit_time(c);
	out->offset = git_commit_time_offset(c);
	time_t local = (time_t)(out->time + (int64_t)out->offset * 60);
	struct tm tm;
	gmtime_r(&local, &tm);
	if (!strftime(out->date, sizeof(out->date), "%Y-%m-%d", &tm))
		out->date[0] = '\0';
}

static int lookup_commit(git_commit **out, am_git *g, const char *rev)
{
	git_object *obj = NULL;
	*out = NULL;
	if (git_revparse_single(&obj, g->repo, rev) < 0)
		return rev_fail(rev, NULL);
	int rc = git_object_peel((git_object **)out, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	return rc < 0 ? peel_fail(rev) : 0;
}

int am_git__commit(am_git_commit *out, am_git *g, const char *rev)
{
	git_commit *c = NULL;
	int rc = lookup_commit(&c, g, rev);
	if (rc == 0)
		fill_commit(out, c);
	git_commit_free(c);
	return rc;
}

/* The blob of `path` in commit c (0 when absent). */
static int commit_blob(git_oid *out, git_commit *c, const char *path)
{
	git_tree *tree = NULL;
	int found = 0;
	if (git_commit_tree(&tree, c) == 0)
		found = entry_blob(out, tree, path);
	git_tree_free(tree);
	return found;
}

/* The walk reached a parent this clone does not have. */
static int shallow_end(const char *rev)
{
	const git_error *e = git_error_last();
	am_error_set("%s: history ends early (a shallow clone?): %s; fetch more history or pass --as-of",
		     rev, e && e->message ? e->message : "parent commit missing");
	return AM_EGIT;
}

int am_git__writer(am_git_commit *out, am_git *g, const char *rev, const char *path)
{
	git_commit *c = NULL;
	git_oid blob, pblob;
	int rc = lookup_commit(&c, g, rev);
	if (rc < 0)
		return rc;
	if (!commit_blob(&blob, c, path)) {
		am_error_set("%s:%s: no such file in that revision", rev, path);
		git_commit_free(c);
		return AM_ENOTFOUND;
	}
	for (;;) {
		git_commit *parent = NULL;
		if (git_commit_parentcount(c) == 0)
			break;
		if (git_commit_parent(&parent, c, 0) < 0) {
			git_commit_free(c);
			return shallow_end(rev);
		}
		if (!commit_blob(&pblob, parent, path) || !git_oid_equal(&blob, &pblob)) {
			git_commit_free(parent);
			break;
		}
		git_commit_free(c);
		c = parent;
	}
	fill_commit(out, c);
	git_commit_free(c);
	return 0;
}

int am_git__commit_at_date(am_git_commit *out, am_git *g, const char *rev, const char *date)
{
	git_commit *c = NULL;
	int rc = lookup_commit(&c, g, rev);
	if (rc < 0)
		return rc;
	for (;;) {
		am_git_commit info;
		fill_commit(&info, c);
		if (strcmp(info.date, date) <= 0) {
			*out = info;
			git_commit_free(c);
			return 0;
		}
		git_commit *parent = NULL;
		if (git_commit_parentcount(c) == 0)
			break;
		if (git_commit_parent(&parent, c, 0) < 0) {
			git_commit_free(c);
			return shallow_end(rev);
		}
		git_commit_free(c);
		c = parent;
	}
	git_commit_free(c);
	am_error_set("%s: no commit on or before %s", rev, date);
	return AM_ENOTFOUND;
}

int am_git__unmodified(am_git *g, const char *path)
{
	const char *wd = git_repository_workdir(g->repo);
	git_commit *head = NULL;
	git_oid in_head, on_disk;
	am_buf full = AM_BUF_INIT;
	int same = 0;
	if (!wd || lookup_commit(&head, g, "HEAD") < 0)
		return 0;
	am_buf_puts(&full, wd);
	am_buf_puts(&full, path);
	if (commit_blob(&in_head, head, path) &&
	    git_repository_hashfile(&on_disk, g->repo, full.ptr, GIT_OBJECT_BLOB, path) == 0)
		same = git_oid_equal(&in_head, &on_disk);
	am_buf_free(&full);
	git_commit_free(head);
	return same;
}

int am_git__is_shallow(am_git *g)
{
	return git_repository_is_shallow(g->repo) == 1;
}

struct am_git_tree {
	am_git *g;
	git_tree *tree;
};

int am_git__tree(am_git_tree **out, am_git *g, const char *commit_hex)
{
	git_commit *c = NULL;
	git_tree *tree = NULL;
	int rc = lookup_commit(&c, g, commit_hex);
	*out = NULL;
	if (rc < 0)
		return rc;
	if (git_commit_tree(&tree, c) < 0)
		rc = git_fail(commit_hex);
	git_commit_free(c);
	if (rc < 0)
		return rc;
	/* Trees are looked up again and again: let libgit2 cache big ones too. */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)1 << 20);
	*out = am_xcalloc(1, sizeof(**out));
	(*out)->g = g;
	(*out)->tree = tree;
	return 0;
}

void am_git__tree_free(am_git_tree *t)
{
	if (!t)
		return;
	git_tree_free(t->tree);
	free(t);
}

void am_git__lookup(am_git_entry *out, am_git_tree *t, const char *path)
{
	git_tree_entry *e = NULL;
	memset(out, 0, sizeof(*out));
	if (!am_path__ok(path, strlen(path)))
		return;
	if (git_tree_entry_bypath(&e, t->tree, path) < 0) {
		/* Is a leading component a symbolic link? */
		am_buf prefix = AM_BUF_INIT;
		for (const char *p = strchr(path, '/'); p; p = strchr(p + 1, '/')) {
			am_buf_clear(&prefix);
			am_buf_put(&prefix, path, (size_t)(p - path));
			git_tree_entry *pe = NULL;
			if (git_tree_entry_bypath(&pe, t->tree, prefix.ptr) < 0)
				break;
			int link = git_tree_entry_filemode(pe) == GIT_FILEMODE_LINK;
			git_tree_entry_free(pe);
			if (link) {
				out->kind = AM_GIT_ENTRY_UNDER_LINK;
				break;
			}
		}
		am_buf_free(&prefix);
		return;
	}
	switch (git_tree_entry_filemode(e)) {
	case GIT_FILEMODE_LINK: out->kind = AM_GIT_ENTRY_LINK; break;
	case GIT_FILEMODE_TREE: out->kind = AM_GIT_ENTRY_DIR; break;
	case GIT_FILEMODE_COMMIT: out->kind = AM_GIT_ENTRY_SUBMODULE; break;
	default: out->kind = AM_GIT_ENTRY_FILE; break;
	}
	git_oid_tostr(out->blob, sizeof(out->blob), git_tree_entry_id(e));
	git_tree_entry_free(e);
}

struct each_file {
	void (*fn)(const char *path, void *payload);
	void *payload;
	am_buf path;
};

static int each_file_cb(const char *root, const git_tree_entry *e, void *payload)
{
	struct each_file *ef = payload;
	const char *name = git_tree_entry_name(e);
	/* A tree entry named "..", ".git" or "a/b" (git mktree makes them) is
	 * never followed: a positive return skips a subtree. */
	if (!am_path__name_ok(name, strlen(name)))
		return 1;
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return 0;
	am_buf_clear(&ef->path);
	am_buf_puts(&ef->path, root);
	am_buf_puts(&ef->path, name);
	ef->fn(ef->path.ptr, ef->payload);
	return 0;
}

int am_git__each_file(am_git_tree *t, void (*fn)(const char *path, void *payload), void *payload)
{
	struct each_file ef = { fn, payload, AM_BUF_INIT };
	int rc = git_tree_walk(t->tree, GIT_TREEWALK_PRE, each_file_cb, &ef) < 0 ? git_fail("tree") : 0;
	am_buf_free(&ef.path);
	return rc;
}

int am_git__each_index_file(am_git *g, void (*fn)(const char *path, void *payload), void *payload)
{
	git_index *index = NULL;
	if (git_repository_index(&index, g->repo) < 0)
		return git_fail("index");
	for (size_t i = 0, n = git_index_entrycount(index); i < n; i++) {
		const git_index_entry *e = git_index_get_byindex(index, i);
		/* Files only (no links, no submodules), stage 0, at paths
		 * auditmd reads. */
		if (!e || GIT_INDEX_ENTRY_STAGE(e) != 0 ||
		    (e->mode != GIT_FILEMODE_BLOB && e->mode != GIT_FILEMODE_BLOB_EXECUTABLE) ||
		    !am_path__ok(e->path, strlen(e->path)))
			continue;
		fn(e->path, payload);
	}
	git_index_free(index);
	return 0;
}

static int patch_hunks(am_git_delta *ad, git_patch *patch, struct am_arena *arena);

/* A patch of two texts, as text whatever their bytes; context lines as
 * asked. */
static int text_patch(git_patch **out, const char *old_text, size_t old_len, const char *new_text,
		      size_t new_len, const char *name, uint32_t context)
{
	git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
	git_init(); /* needs no repository, so may come first */
	opts.flags |= GIT_DIFF_FORCE_TEXT;
	opts.context_lines = context;
	opts.interhunk_lines = 0;
	if (git_patch_from_buffers(out, old_text, old_len, name, new_text, new_len, name, &opts) < 0)
		return git_fail("diff");
	return 0;
}

int am_git__diff_text(am_buf *out, const char *old_text, size_t old_len, const char *new_text,
		      size_t new_len, const char *name)
{
	git_patch *patch = NULL;
	git_buf text = { 0 };
	int rc = text_patch(&patch, old_text, old_len, new_text, new_len, name, 3);
	if (rc == 0 && git_patch_to_buf(&text, patch) < 0)
		rc = git_fail("diff");
	else if (rc == 0 && git_patch_num_hunks(patch))
		am_buf_put(out, text.ptr, text.size);
	git_buf_dispose(&text);
	git_patch_free(patch);
	return rc;
}

int am_git__text_hunks(am_git_delta *out, const char *old_text, size_t old_len,
		       const char *new_text, size_t new_len, struct am_arena *arena)
{
	git_patch *patch = NULL;
	int rc = text_patch(&patch, old_text, old_len, new_text, new_len, NULL, 0);
	memset(out, 0, sizeof(*out));
	out->status = AM_GIT_DELTA_MODIFIED;
	if (rc == 0)
		rc = patch_hunks(out, patch, arena);
	git_patch_free(patch);
	return rc;
}

int am_git__blob_size(size_t *out, am_git *g, const char *blob_hex)
{
	git_oid oid;
	*out = 0;
	if (git_oid_fromstr(&oid, blob_hex) < 0)
		return git_fail(blob_hex);
	return object_size(out, g->repo, &oid, blob_hex);
}

struct am_git_blob {
	git_blob *blob;
};

int am_git__blob(am_git_blob **out, am_git *g, const char *blob_hex)
{
	git_oid oid;
	git_blob *blob = NULL;
	*out = NULL;
	if (git_oid_fromstr(&oid, blob_hex) < 0 || git_blob_lookup(&blob, g->repo, &oid) < 0)
		return git_fail(blob_hex);
	*out = am_xmalloc(sizeof(**out));
	(*out)->blob = blob;
	return 0;
}

const char *am_git__blob_data(const am_git_blob *b, size_t *len)
{
	*len = (size_t)git_blob_rawsize(b->blob);
	return git_blob_rawcontent(b->blob);
}

/* Binary as git decides it for diffs and grep: a NUL byte in the first
 * 8,000 bytes (xdiff's buffer_is_binary). */
static int data_is_binary(const char *data, size_t len)
{
	return len && memchr(data, 0, len < 8000 ? len : 8000) != NULL;
}

int am_git__blob_binary(const am_git_blob *b)
{
	size_t len;
	const char *data = am_git__blob_data(b, &len);
	return data_is_binary(data, len);
}

void am_git__blob_free(am_git_blob *b)
{
	if (!b)
		return;
	git_blob_free(b->blob);
	free(b);
}

int am_git__blob_hunks(am_git_delta *out, const am_git_blob *old_blob, const am_git_blob *new_blob,
		       struct am_arena *arena)
{
	git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
	git_patch *patch = NULL;
	int rc = 0;
	opts.flags |= GIT_DIFF_FORCE_TEXT;
	opts.context_lines = 0;
	opts.interhunk_lines = 0;
	memset(out, 0, sizeof(*out));
	out->status = AM_GIT_DELTA_MODIFIED;
	if (git_patch_from_blobs(&patch, old_blob->blob, NULL, new_blob->blob, NULL, &opts) < 0)
		rc = git_fail("diff");
	else
		rc = patch_hunks(out, patch, arena);
	git_patch_free(patch);
	return rc;
}

/* Hunks of a delta from the patch of its two sides; binary when git says so. */
static int patch_hunks(am_git_delta *ad, git_patch *patch, struct am_arena *arena)
{
	if (!patch || (git_patch_get_delta(patch)->flags & GIT_DIFF_FLAG_BINARY)) {
		ad->binary = 1;
		return 0;
	}
	ad->nhunks = git_patch_num_hunks(patch);
	ad->hunks = ad->nhunks ? am_arena_alloc(arena, ad->nhunks * sizeof(am_git_hunk)) : NULL;
	for (size_t h = 0; h < ad->nhunks; h++) {
		const git_diff_hunk *gh = NULL;
		size_t nlines;
		if (git_patch_get_hunk(&gh, &nlines, patch, h) < 0)
			return git_fail("diff");
		ad->hunks[h] = (am_git_hunk){ (uint32_t)gh->old_start, (uint32_t)gh->old_lines,
					      (uint32_t)gh->new_start, (uint32_t)gh->new_lines };
	}
	return 0;
}

/* Deltas whose two blobs are diffed (commit to commit): one job's share. */
typedef struct {
	git_repository *repo;
	am_git_delta *deltas;
	const size_t *which;     /* the deltas to diff: deltas[which[i]] */
	const git_oid (*ids)[2]; /* their old and new blob ids */
	size_t from, to;
	const git_diff_options *dopts;
	struct am_arena *arena;
} hunk_job;

/* The hunks between the two sides of a change, od[0..ol) and nd[0..nl),
 * diffed as buffers: libgit2 then looks up no diff driver, whose attribute
 * lookups (.gitattributes checked on disk for each file) cost more than
 * the diff. Binary as git decides it, from the content. `text` is
 * hunk_options's. */
static int buffer_hunks(am_git_delta *ad, const char *od, size_t ol, const char *nd, size_t nl,
			const git_diff_options *text, struct am_arena *arena)
{
	git_patch *patch = NULL;
	int rc;
	if (data_is_binary(od, ol) || data_is_binary(nd, nl)) {
		ad->binary = 1;
		return 0;
	}
	if (git_patch_from_buffers(&patch, od, ol, NULL, nd, nl, NULL, text) < 0)
		rc = git_fail("diff");
	else
		rc = patch_hunks(ad, patch, arena);
	git_patch_free(patch);
	return rc;
}

/* The options of every diff of two blobs: no context, hunks never joined;
 * whatever libgit2 would load past max, it takes as binary. */
static void diff_options(git_diff_options *o, size_t max)
{
	o->context_lines = 0;
	o->interhunk_lines = 0;
	if (max <= INT64_MAX)
		o->max_size = (git_off_t)max;
}

/* diff_options for two blobs diffed as buffers: binary is decided before. */
static void hunk_options(git_diff_options *o, size_t max)
{
	diff_options(o, max);
	o->flags |= GIT_DIFF_FORCE_TEXT;
}

static int blob_hunks(hunk_job *j, size_t i)
{
	git_blob *ob = NULL, *nb = NULL;
	git_patch *patch = NULL;
	am_git_delta *ad = &j->deltas[j->which[i]];
	int rc = 0;
	if (git_blob_lookup(&ob, j->repo, &j->ids[i][0]) < 0 ||
	    git_blob_lookup(&nb, j->repo, &j->ids[i][1]) < 0) {
		rc = git_fail("diff");
		goto done;
	}
	const char *od = git_blob_rawcontent(ob), *nd = git_blob_rawcontent(nb);
	size_t ol = (size_t)git_blob_rawsize(ob), nl = (size_t)git_blob_rawsize(nb);
	if (data_is_binary(od, ol) || data_is_binary(nd, nl)) {
		ad->binary = 1;
		goto done;
	}
	/* From the blobs, whose ids are known: from their bytes (buffer_hunks),
	 * libgit2 would hash both again (two thirds of the cost). Without a
	 * path, no diff driver is looked up. */
	if (git_patch_from_blobs(&patch, ob, NULL, nb, NULL, j->dopts) < 0)
		rc = git_fail("diff");
	else
		rc = patch_hunks(ad, patch, j->arena);
done:
	git_patch_free(patch);
	git_blob_free(ob);
	git_blob_free(nb);
	return rc;
}

static int hunk_job_run(void *job, void *payload)
{
	hunk_job *j = job;
	int rc = 0;
	for (size_t i = j->from; i < j->to && rc == 0; i++)
		rc = blob_hunks(j, i);
	return rc;
}

/* Below this many files to diff, one thread diffs them all. */
#define PARALLEL_MIN_DIFFS 64

/*
 * The hunks of n deltas between two commits. In two jobs (jobs.c) when
 * there are many: the second half with its own repository handle (libgit2
 * objects are not shared between threads) and its own arena, adopted
 * afterwards.
 */
static int diff_blobs(am_git *g, am_git_delta *deltas, const size_t *which,
		      const git_oid (*ids)[2], size_t n, size_t max, unsigned threads,
		      struct am_arena *arena)
{
	git_diff_options text = GIT_DIFF_OPTIONS_INIT;
	hunk_options(&text, max);
	hunk_job jobs[2] = { { g->repo, deltas, which, ids, 0, n, &text, arena } };
	size_t njobs = 1;
	am_git *g2 = NULL;
	int rc;
	if (threads != 1 && n >= PARALLEL_MIN_DIFFS && am_git__reopen(&g2, g) == 0) {
		jobs[1] = jobs[0];
		jobs[1].repo = g2->repo;
		jobs[1].from = jobs[0].to = n / 2;
		jobs[1].arena = am_arena_new();
		njobs = 2;
	}
	am_error_clear();
	rc = am_jobs__run(jobs, njobs, sizeof(hunk_job), hunk_job_run, NULL, threads);
	if (njobs == 2)
		am_arena_adopt(arena, jobs[1].arena);
	am_git__free(g2);
	return rc;
}

/* Whether the two sides of a change can be read, both at most max bytes;
 * the new side on disk when workdir. */
static int sides_fit(bool *fit, git_repository *repo, const git_diff_delta *d, bool workdir,
		     size_t max)
{
	size_t old_size, new_size;
	int rc = object_size(&old_size, repo, &d->old_file.id, d->old_file.path);
	if (rc < 0)
		return rc;
	if (workdir)
		new_size = workdir_size(repo, d->new_file.path);
	else if ((rc = object_size(&new_size, repo, &d->new_file.id, d->new_file.path)) < 0)
		return rc;
	*fit = old_size <= max && new_size <= max;
	return 0;
}

/* The trees of two commits (new_commit NULL: the old one's only); the
 * caller frees them, also when this fails. */
static int commit_trees(git_tree **ot, git_tree **nt, am_git *g, const char *old_commit,
			const char *new_commit)
{
	git_commit *oc = NULL, *nc = NULL;
	int rc;
	*ot = *nt = NULL;
	if ((rc = lookup_commit(&oc, g, old_commit)) == 0 &&
	    (!new_commit || (rc = lookup_commit(&nc, g, new_commit)) == 0) &&
	    (git_commit_tree(ot, oc) < 0 || (nc && git_commit_tree(nt, nc) < 0)))
		rc = git_fail("tree");
	git_commit_free(oc);
	git_commit_free(nc);
	return rc;
}

/* One am_git__changes: the diff and its renames, and the changes
 * gathered so far (the modified ones whose two blobs are diffed after,
 * in `todo`, by their ids). */
typedef struct {
	am_git *g;
	git_tree *ot, *nt;
	git_diff *diff, *renames;
	git_diff_options dopts;
	am_strmap renamed; /* old path -> its delta in `renames` */
	bool commits;      /* commit to commit, not commit to working tree */
	size_t max;
	struct am_arena *arena;
	am_git_delta *deltas;
	size_t ndeltas, cap;
	size_t *todo;
	git_oid (*ids)[2];
	size_t ntodo, captodo, capids;
} changes_run;

/* The diff between the two commits, or the first and the working tree
 * (uncommitted and untracked files count). */
static int open_diff(changes_run *x, const char *old_commit, const char *new_commit)
{
	git_repository *repo = x->g->repo;
	int rc;
	if ((rc = commit_trees(&x->ot, &x->nt, x->g, old_commit, new_commit)) < 0)
		return rc;
	diff_options(&x->dopts, x->max);
	if (x->commits) {
		rc = git_diff_tree_to_tree(&x->diff, repo, x->ot, x->nt, &x->dopts);
	} else if (!git_repository_workdir(repo)) {
		am_error_set("%s: a bare repository has no working tree", git_repository_path(repo));
		return AM_EGIT;
	} else {
		x->dopts.flags |= GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS;
		rc = git_diff_tree_to_workdir_with_index(&x->diff, repo, x->ot, &x->dopts);
	}
	return rc < 0 ? git_fail("diff") : 0;
}

/* Renames, looked for only when a wanted file is gone (a file moved
 * without git is seen as renamed too). */
static int index_renames(changes_run *x, int (*want)(const char *, void *), void *payload)
{
	size_t total = git_diff_num_deltas(x->diff);
	for (size_t i = 0; i < total; i++) {
		const git_diff_delta *d = git_diff_get_delta(x->diff, i);
		if ((d->status == GIT_DELTA_DELETED || d->status == GIT_DELTA_TYPECHANGE) &&
		    want(d->old_file.path, payload)) {
			int rc = find_renames(&x->renames, x->g->repo, x->ot, x->nt, x->diff, x->dopts, x->max);
			if (rc < 0)
				return rc;
			break;
		}
	}
	for (size_t i = 0, nr = x->renames ? git_diff_num_deltas(x->renames) : 0; i < nr; i++) {
		const git_diff_delta *d = git_diff_get_delta(x->renames, i);
		if (d->status == GIT_DELTA_RENAMED)
			am_strmap_put(&x->renamed, d->old_file.path, i);
	}
	return 0;
}

/* The hunks of change ad (delta `at` of diff `from`): its two blobs put
 * aside to be diffed together, or between a commit and the working tree
 * now. */
static int change_hunks(changes_run *x, am_git_delta *ad, git_diff *from, size_t at,
			const git_diff_delta *d)
{
	if (git_oid_equal(&d->old_file.id, &d->new_file.id))
		return 0; /* a pure rename */
	bool fit;
	int rc;
	if ((rc = sides_fit(&fit, x->g->repo, d, !x->commits, x->max)) < 0)
		return rc;
	if (!fit) {
		ad->too_large = 1; /* measured, never loaded */
		return 0;
	}
	if (x->commits) {
		/* Two blobs: diffed after the loop, maybe on two threads. */
		am_grow((void **)&x->ids, &x->capids, x->ntodo + 1, sizeof(*x->ids));
		x->ids[x->ntodo][0] = d->old_file.id;
		x->ids[x->ntodo][1] = d->new_file.id;
		am_grow((void **)&x->todo, &x->captodo, x->ntodo + 1, sizeof(*x->todo));
		x->todo[x->ntodo++] = (size_t)(ad - x->deltas);
		return 0;
	}
	git_patch *patch = NULL;
	if (git_patch_from_diff(&patch, from, at) < 0)
		return git_fail("diff");
	rc = patch_hunks(ad, patch, x->arena);
	git_patch_free(patch);
	return rc;
}

/* Delta i of the diff, when it is a change of a wanted file: modified,
 * deleted, renamed (moved unchanged, or found by the renames) or retyped. */
static int add_change(changes_run *x, size_t i, int (*want)(const char *, void *), void *payload)
{
	const git_diff_delta *d = git_diff_get_delta(x->diff, i);
	git_diff *from = x->diff; /* the diff d is in, at `at` */
	size_t at = i;
	am_git_delta_status st;
	switch (d->status) {
	case GIT_DELTA_MODIFIED: st = AM_GIT_DELTA_MODIFIED; break;
	case GIT_DELTA_DELETED: st = AM_GIT_DELTA_DELETED; break;
	case GIT_DELTA_TYPECHANGE: st = AM_GIT_DELTA_TYPECHANGE; break;
	default: return 0;
	}
	if (!want(d->old_file.path, payload))
		return 0;
	const git_diff_delta *moved = NULL;
	if (st != AM_GIT_DELTA_MODIFIED && am_strmap_get(&x->renamed, d->old_file.path, &at)) {
		from = x->renames;
		d = git_diff_get_delta(x->renames, at);
		st = AM_GIT_DELTA_RENAMED;
	} else if (st == AM_GIT_DELTA_DELETED && x->commits &&
		   (moved = moved_unchanged(x->g->repo, x->diff, d, x->max)) != NULL) {
		st = AM_GIT_DELTA_RENAMED;
	}
	/* A rename into a path auditmd never reads ("../x", ".git/x": a
	 * crafted tree) is followed no further than a deletion. */
	const char *new_path = (moved ? moved : d)->new_file.path;
	if (st == AM_GIT_DELTA_RENAMED && !am_path__ok(new_path, strlen(new_path)))
		st = AM_GIT_DELTA_DELETED;
	am_grow((void **)&x->deltas, &x->cap, x->ndeltas + 1, sizeof(*x->deltas));
	am_git_delta *ad = &x->deltas[x->ndeltas++];
	memset(ad, 0, sizeof(*ad));
	ad->status = st;
	ad->old_path = am_arena_strdup(x->arena, d->old_file.path);
	ad->new_path = st == AM_GIT_DELTA_DELETED ? ad->old_path : am_arena_strdup(x->arena, new_path);
	if ((st != AM_GIT_DELTA_MODIFIED && st != AM_GIT_DELTA_RENAMED) || moved)
		return 0;
	return change_hunks(x, ad, from, at, d);
}

int am_git__changes(am_git_delta **out, size_t *n, am_git *g, const char *old_commit,
		    const char *new_commit, int (*want)(const char *old_path, void *payload),
		    void *payload, size_t max, unsigned threads, struct am_arena *arena)
{
	changes_run x = { .g = g, .dopts = GIT_DIFF_OPTIONS_INIT, .commits = new_commit != NULL,
			  .max = max, .arena = arena };
	int rc;

	*out = NULL;
	*n = 0;
	am_strmap_init(&x.renamed, 16);
	if ((rc = open_diff(&x, old_commit, new_commit)) < 0 ||
	    (rc = index_renames(&x, want, payload)) < 0)
		goto done;
	for (size_t i = 0, total = git_diff_num_deltas(x.diff); i < total && rc == 0; i++)
		rc = add_change(&x, i, want, payload);
	if (rc == 0 && x.ntodo)
		rc = diff_blobs(g, x.deltas, x.todo, (const git_oid(*)[2])x.ids, x.ntodo, max, threads, arena);
	if (rc < 0)
		goto done;
	*out = x.deltas;
	*n = x.ndeltas;
	x.deltas = NULL;
done:
	am_strmap_free(&x.renamed);
	free(x.deltas);
	free(x.todo);
	free(x.ids);
	git_diff_free(x.renames);
	git_diff_free(x.diff);
	git_tree_free(x.ot);
	git_tree_free(x.nt);
	return rc;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const am_git_modified *)a)->path, ((const am_git_modified *)b)->path);
}

int am_git__modified(am_git_modified **out, size_t *n, am_git *g, const char *old_commit,
		     const char *new_commit, struct am_arena *arena)
{
	git_tree *ot = NULL, *nt = NULL;
	git_diff *diff = NULL;
	am_git_modified *mods = NULL;
	size_t nmods = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = commit_trees(&ot, &nt, g, old_commit, new_commit)) < 0)
		goto done;
	if (git_diff_tree_to_tree(&diff, g->repo, ot, nt, NULL) < 0) {
		rc = git_fail("diff");
		goto done;
	}
	for (size_t i = 0, total = git_diff_num_deltas(diff); i < total; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		if (d->status != GIT_DELTA_MODIFIED ||
		    (d->old_file.mode != GIT_FILEMODE_BLOB && d->old_file.mode != GIT_FILEMODE_BLOB_EXECUTABLE) ||
		    (d->new_file.mode != GIT_FILEMODE_BLOB && d->new_file.mode != GIT_FILEMODE_BLOB_EXECUTABLE))
			continue;
		am_grow((void **)&mods, &cap, nmods + 1, sizeof(*mods));
		am_git_modified *m = &mods[nmods++];
		m->path = am_arena_strdup(arena, d->old_file.path);
		git_oid_tostr(m->old_blob, sizeof(m->old_blob), &d->old_file.id);
		git_oid_tostr(m->new_blob, sizeof(m->new_blob), &d->new_file.id);
	}
	if (nmods) {
		qsort(mods, nmods, sizeof(*mods), by_path);
		*out = am_arena_memdup(arena, mods, nmods, sizeof(*mods));
	}
	*n = nmods;
	rc = 0;
done:
	free(mods);
	git_diff_free(diff);
	git_tree_free(ot);
	git_tree_free(nt);
	return rc;
}

const am_git_modified *am_git__modified_find(const am_git_modified *m, size_t n, const char *path)
{
	am_git_modified key;
	key.path = path;
	return n ? bsearch(&key, m, n, sizeof(*m), by_path) : NULL;
}

int am_git__diff_read(am_git_delta *out, am_git *g, const am_git_modified *m, const char *old_data,
		      size_t old_len, size_t max, struct am_arena *arena)
{
	git_oid id;
	git_blob *nb = NULL;
	git_diff_options text = GIT_DIFF_OPTIONS_INIT;
	size_t size;
	int rc;

	memset(out, 0, sizeof(*out));
	out->status = AM_GIT_DELTA_MODIFIED;
	out->old_path = out->new_path = m->path;
	if (!strcmp(m->old_blob, m->new_blob))
		return 0; /* the mode alone changed */
	if (git_oid_fromstr(&id, m->new_blob) < 0)
		return git_fail(m->path);
	if ((rc = object_size(&size, g->repo, &id, m->path)) < 0)
		return rc;
	if (size > max) {
		out->too_large = 1; /* measured, never loaded */
		return 0;
	}
	if (git_blob_lookup(&nb, g->repo, &id) < 0)
		return git_fail("diff");
	hunk_options(&text, max);
	rc = buffer_hunks(out, old_data, old_len, git_blob_rawcontent(nb), (size_t)git_blob_rawsize(nb),
			  &text, arena);
	git_blob_free(nb);
	return rc;
}

/* ---- the working tree, read without following symbolic links ---------------------- */

int am_git__has_workdir(am_git *g)
{
	return git_repository_workdir(g->repo) != NULL;
}

/*
 * Opens the directory holding `path` (relative, normalised) under the
 * working tree, one component at a time with O_NOFOLLOW, so no link leads
 * outside. A path with a "..", "." or .git component (see paths.h) is
 * refused before anything is opened: ".." is a directory, not a link, and
 * O_NOFOLLOW would let it climb out. Returns the directory's fd and the
 * last component in *leaf, or -1 with *kind NONE or UNDER_LINK.
 */
static int open_parent(am_git *g, const char *path, const char **leaf, am_git_entry_kind *kind)
{
	*kind = AM_GIT_ENTRY_NONE;
	if (!am_path__ok(path, strlen(path)))
		return -1;
	int dfd = open(git_repository_workdir(g->repo), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	const char *p = path;
	for (const char *slash; (slash = strchr(p, '/')) != NULL; p = slash + 1) {
		char comp[256];
		size_t n = (size_t)(slash - p);
		if (!n || n >= sizeof(comp)) {
			close(dfd);
			return -1;
		}
		memcpy(comp, p, n);
		comp[n] = '\0';
		int fd = openat(dfd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			struct stat st;
			if (fstatat(dfd, comp, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
				*kind = AM_GIT_ENTRY_UNDER_LINK;
			close(dfd);
			return -1;
		}
		close(dfd);
		dfd = fd;
	}
	*leaf = p;
	return dfd;
}

void am_git__workdir_lookup(am_git_entry *out, am_git *g, const char *path)
{
	const char *leaf;
	struct stat st;
	memset(out, 0, sizeof(*out));
	int dfd = open_parent(g, path, &leaf, &out->kind);
	if (dfd < 0)
		return;
	if (fstatat(dfd, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISLNK(st.st_mode))
			out->kind = AM_GIT_ENTRY_LINK;
		else if (S_ISDIR(st.st_mode))
			out->kind = AM_GIT_ENTRY_DIR;
		else if (S_ISREG(st.st_mode))
			out->kind = AM_GIT_ENTRY_FILE;
		else
			out->kind = AM_GIT_ENTRY_SPECIAL;
	}
	close(dfd);
}

int am_git__workdir_read(am_buf *out, int *binary, am_git *g, const char *path, size_t max)
{
	const char *leaf;
	am_git_entry_kind kind;
	struct stat st;
	int rc = 0;
	int dfd = open_parent(g, path, &leaf, &kind);
	if (dfd < 0) {
		am_error_set("%s: not in the working tree", path);
		return AM_ENOTFOUND;
	}
	/* Only a regular file is opened: opening a FIFO could wait for a
	 * writer, a device could act. O_NONBLOCK covers a swap after fstatat. */
	int fd = fstatat(dfd, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode)
			 ? openat(dfd, leaf, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC | O_NONBLOCK)
			 : -1;
	close(dfd);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		am_error_set("%s: not a regular file in the working tree", path);
		return AM_ENOTFOUND;
	}
	if ((size_t)st.st_size > max) {
		close(fd);
		am_error_set("%s: over the size limit", path);
		return AM_ELIMIT;
	}
	am_buf_clear(out);
	am_buf_grow(out, (size_t)st.st_size + 1);
	for (;;) {
		char chunk[65536];
		ssize_t got = read(fd, chunk, sizeof(chunk));
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			am_error_set("%s: %s", path, strerror(errno));
			rc = AM_EIO;
			break;
		}
		if (got == 0)
			break;
		if (out->size + (size_t)got > max) {
			am_error_set("%s: over the size limit", path);
			rc = AM_ELIMIT;
			break;
		}
		am_buf_put(out, chunk, (size_t)got);
	}
	close(fd);
	*binary = rc == 0 && data_is_binary(am_buf_cstr(out), out->size);
	return rc;
}
