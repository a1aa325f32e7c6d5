/*
 * gitrepo.h: the git module, the only one that touches libgit2.
 */
#ifndef AM_GITREPO_H
#define AM_GITREPO_H

#include "util.h"

/* Writes "1.5.1" into buf. */
void am_git__version(char *buf, size_t size);

typedef struct am_git am_git;

/*
 * Opens the repository at `path`, or the one containing it (searching
 * upward). Fails with AM_EGIT ("not a git repository", bare or corrupt
 * repositories are opened through the object database only).
 */
int am_git__open(am_git **out, const char *path);
void am_git__free(am_git *g);

/* Opens the same repository again (for another thread). */
int am_git__reopen(am_git **out, am_git *g);

/*
 * Reads the blob at `path` in revision `rev` into out. AM_ENOTFOUND with a
 * message for an unknown revision or a path missing in it; AM_EPARSE when
 * the path is not a file (a directory, a submodule); AM_ELIMIT over max.
 */
int am_git__read(am_buf *out, am_git *g, const char *rev, const char *path, size_t max);

/* One revision of a file in the history of a repository. */
typedef struct {
	char commit[41];   /* hex id */
	char blob[41];     /* hex id of the file's content */
	const char *path;  /* the file's path in that commit (renames followed) */
	int64_t time;      /* author time, seconds since the epoch */
	int offset;        /* author's UTC offset in minutes */
	const char *author;
	const char *summary; /* first line of the message */
	size_t walk;         /* its commit's place in the walk: 0 the newest */
} am_git_revision;

/*
 * The revisions of `path` (relative to the repository root) that changed
 * it, oldest first, following renames along the first-parent history of
 * HEAD; blobs over max bytes are not compared for renames. Strings live
 * in `arena`. *out is malloc'd (free()).
 */
int am_git__history(am_git_revision **out, size_t *n, am_git *g, const char *path, size_t max,
		    struct am_arena *arena);

/*
 * The same for npaths paths at once, along the first-parent history of
 * `rev` (NULL: HEAD), in one walk: out[i] and n[i] for paths[i] (each
 * malloc'd). AM_ENOTFOUND for an unknown revision.
 */
int am_git__histories(am_git_revision **out, size_t *n, am_git *g, const char *rev,
		      const char *const *paths, size_t npaths, size_t max, struct am_arena *arena);

/* Reads a blob by its hex id: at most max bytes, measured from the object
 * header first (AM_ELIMIT). `name` ("commit:path") names it in errors. */
int am_git__read_blob(am_buf *out, am_git *g, const char *blob_hex, const char *name, size_t max);

/* The path of `path` (a file in the working tree) relative to the root of
 * the repository's working directory, or NULL when it is outside. */
char *am_git__relative(am_git *g, const char *path);

/* A commit, resolved from any revision expression. */
typedef struct {
	char id[41];        /* hex id */
	int64_t time;       /* committer time, seconds since the epoch */
	int offset;         /* committer's UTC offset in minutes */
	char date[11];      /* committer date in its own time zone, YYYY-MM-DD */
} am_git_commit;

/* Resolves `rev` to a commit. AM_ENOTFOUND for an unknown revision. */
int am_git__commit(am_git_commit *out, am_git *g, const char *rev);

/*
 * The commit that wrote the revision of `path` found at `rev`: walking the
 * first parents back while the file's blob stays the same. AM_ENOTFOUND
 * when the path is not a file at rev.
 */
int am_git__writer(am_git_commit *out, am_git *g, const char *rev, const char *path);

/*
 * The last commit on the first-parent line of `rev` whose committer date
 * (in its own time zone) is on or before `date` (YYYY-MM-DD).
 * AM_ENOTFOUND when every commit is later.
 */
int am_git__commit_at_date(am_git_commit *out, am_git *g, const char *rev, const char *date);

/* 1 when the working-tree file `path` (relative to the root) has exactly
 * the content of HEAD's revision of it, 0 otherwise. */
int am_git__unmodified(am_git *g, const char *path);

/* 1 for a shallow clone. */
int am_git__is_shallow(am_git *g);

/* A tree, kept open for many lookups. */
typedef struct am_git_tree am_git_tree;

int am_git__tree(am_git_tree **out, am_git *g, const char *commit_hex);
void am_git__tree_free(am_git_tree *t);

typedef enum {
	AM_GIT_ENTRY_NONE = 0, /* no such path */
	AM_GIT_ENTRY_FILE,
	AM_GIT_ENTRY_LINK,      /* a symbolic link: never followed */
	AM_GIT_ENTRY_DIR,
	AM_GIT_ENTRY_SUBMODULE,
	AM_GIT_ENTRY_UNDER_LINK, /* a component of the path is a symbolic link */
	AM_GIT_ENTRY_SPECIAL,    /* on disk: a FIFO, socket or device, never opened */
} am_git_entry_kind;

typedef struct {
	am_git_entry_kind kind;
	char blob[41];
} am_git_entry;

/* Looks `path` (normalised, relative) up in the tree. */
void am_git__lookup(am_git_entry *out, am_git_tree *t, const char *path);

/* Calls fn for every file (blob) of the tree, with its full path. */
int am_git__each_file(am_git_tree *t, void (*fn)(const char *path, void *payload), void *payload);

/* Calls fn for every file of the index (the staging area: what the next
 * commit holds): regular files at paths auditmd reads, with their path. */
int am_git__each_index_file(am_git *g, void (*fn)(const char *path, void *payload), void *payload);

/*
 * A unified diff of two texts, as `git diff` prints it (3 lines of
 * context, "a/NAME" and "b/NAME"), appended to out; nothing when they are
 * the same.
 */
int am_git__diff_text(am_buf *out, const char *old_text, size_t old_len, const char *new_text,
		      size_t new_len, const char *name);

/*
 * The size of a blob without loading it; AM_EGIT when it cannot be read.
 */
int am_git__blob_size(size_t *out, am_git *g, const char *blob_hex);

/* A loaded blob; data stays valid until am_git__blob_free(). */
typedef struct am_git_blob am_git_blob;
int am_git__blob(am_git_blob **out, am_git *g, const char *blob_hex);
const char *am_git__blob_data(const am_git_blob *b, size_t *len);
int am_git__blob_binary(const am_git_blob *b);
void am_git__blob_free(am_git_blob *b);

/* One hunk of a diff without context: old lines [old_start, old_start +
 * old_lines) were replaced by new lines [new_start, new_start + new_lines).
 * With old_lines == 0 the new lines come after old line old_start. */
typedef struct {
	uint32_t old_start, old_lines, new_start, new_lines;
} am_git_hunk;

typedef enum {
	AM_GIT_DELTA_MODIFIED = 1,
	AM_GIT_DELTA_DELETED,
	AM_GIT_DELTA_RENAMED,
	AM_GIT_DELTA_TYPECHANGE, /* became a link, a directory or a submodule */
} am_git_delta_status;

/* What happened to one file between two commits. */
typedef struct {
	am_git_delta_status status;
	const char *old_path, *new_path;
	am_git_hunk *hunks; /* NULL for DELETED, binary and too large files */
	size_t nhunks;
	int binary;
	int too_large;      /* a side over the size limit: measured, not read */
} am_git_delta;

/* A file whose content (or mode) differs between two commits at the same
 * path, as a diff of the two trees shows it (no renames); a regular file
 * on both sides. */
typedef struct {
	const char *path;
	char old_blob[41], new_blob[41]; /* hex ids */
} am_git_modified;

/*
 * The modified files between two commits, sorted by path: a comparison of
 * the two trees, no blob read. Arrays and strings live in `arena`.
 */
int am_git__modified(am_git_modified **out, size_t *n, am_git *g, const char *old_commit,
		     const char *new_commit, struct am_arena *arena);

/* The modified file named `path` among m[0..n), or NULL. */
const am_git_modified *am_git__modified_find(const am_git_modified *m, size_t n, const char *path);

/*
 * The change of modified file m as am_git__changes gives it, from the bytes
 * of its old side, old_data[0..old_len), already read: the new side is
 * read once (when at most max bytes, measured first; else too_large) and
 * the two are diffed. Hunks live in `arena`.
 */
int am_git__diff_read(am_git_delta *out, am_git *g, const am_git_modified *m, const char *old_data,
		      size_t old_len, size_t max, struct am_arena *arena);

/* 1 when the repository has a working tree (not bare). */
int am_git__has_workdir(am_git *g);

/*
 * The working tree, read through the file system without ever following a
 * symbolic link (each component is opened with O_NOFOLLOW). Lookup sets
 * kind (FILE, LINK, UNDER_LINK, DIR, SPECIAL or NONE; no blob id). Read
 * opens regular files only, never blocking, and fails with AM_ENOTFOUND
 * (missing or not a regular file), AM_ELIMIT over max, AM_EIO; *binary as
 * git would say.
 */
void am_git__workdir_lookup(am_git_entry *out, am_git *g, const char *path);
int am_git__workdir_read(am_buf *out, int *binary, am_git *g, const char *path, size_t max);

/*
 * The files that changed between two commits (renames detected), limited
 * to those whose old path `want` accepts; hunks are computed for those
 * only, between two commits on two threads unless `threads` is 1. No file
 * over max bytes is read: its size is taken from the object header (or
 * lstat on disk), a change with such a side is too_large, and such files
 * take no part in rename detection. Arrays and strings live in `arena`.
 * new_commit NULL: against the working tree (untracked files included).
 */
int am_git__changes(am_git_delta **out, size_t *n, am_git *g, const char *old_commit,
		    const char *new_commit, int (*want)(const char *old_path, void *payload),
		    void *payload, size_t max, unsigned threads, struct am_arena *arena);

/*
 * The hunks (no context) between two texts in memory, or two blobs, as a
 * MODIFIED delta without paths; hunks in arena. (From blobs, no byte is
 * hashed again: cheaper.)
 */
int am_git__text_hunks(am_git_delta *out, const char *old_text, size_t old_len,
		       const char *new_text, size_t new_len, struct am_arena *arena);
int am_git__blob_hunks(am_git_delta *out, const am_git_blob *old_blob, const am_git_blob *new_blob,
		       struct am_arena *arena);

#endif
