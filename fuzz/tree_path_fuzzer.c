/*
 * tree_path_fuzzer: the paths auditmd reads. The path policy (paths.c),
 * the partial-path index, citation normalising and the working-tree reader
 * (gitrepo.c) on hostile names: "..", ".git", ".GIT", "git~1", slashes,
 * NUL bytes, backslashes.
 *
 * The input is lines. A line starting with "f" is an entry of the tree
 * (the bytes after it, NUL bytes and all: what a crafted tree could hold);
 * any other line is a cited path. Each cited path is normalised as a
 * citation is, looked up in the index, and read from a working tree the
 * target builds once: it holds files saying INSIDE, and git's directory,
 * a .GIT and a git~1 directory, a file next to the working tree and
 * links out saying SECRET, a FIFO and a directory.
 *
 * Promises checked: a path the policy accepts has no empty, ".", "..",
 * .git or backslash component; the index keeps only such paths, counts
 * exactly the entries a scan finds and keeps the first ten of them by
 * path; a normalised citation never climbs out; the working-tree reader
 * refuses every path the policy refuses, never opens a FIFO (it would
 * hang), and never returns anything but an INSIDE file.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gitrepo.h"
#include "paths.h"
#include "verify_int.h"

#include "fuzzer.h"

#define MAX_ENTRIES 256
#define KEEP 10

static char root[64];   /* the directory the target builds, removed at exit */
static am_git *repo;    /* root/wt, opened once */

static const char *const made[] = {
	/* paths relative to root; "/" at the end: a directory; "|" a FIFO;
	 * "->x" a symbolic link to x */
	"secret.txt", "wt/", "wt/.git/", "wt/.git/objects/", "wt/.git/refs/",
	"wt/.git/refs/heads/", "wt/.git/HEAD", "wt/.git/config", "wt/.GIT/", "wt/.GIT/config",
	"wt/git~1/", "wt/git~1/config", "wt/a/", "wt/a/b.txt", "wt/a/.git", "wt/dir/",
	"wt/dir/x.py", "wt/fifo|", "wt/up->..", "wt/abs->/", "wt/a/out->../../secret.txt",
};

static void build(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(root, sizeof(root), "%s/am-tree-path-XXXXXX", tmp && strlen(tmp) < 32 ? tmp : "/tmp");
	if (!mkdtemp(root))
		abort();
	for (size_t i = 0; i < sizeof(made) / sizeof(made[0]); i++) {
		char path[256], target[64] = "";
		const char *m = made[i], *arrow = strstr(m, "->");
		size_t len = arrow ? (size_t)(arrow - m) : strlen(m);
		snprintf(path, sizeof(path), "%s/%.*s", root, (int)len, m);
		size_t pl = strlen(path);
		if (arrow) {
			snprintf(target, sizeof(target), "%s", arrow + 2);
			if (symlink(target, path) < 0)
				abort();
		} else if (path[pl - 1] == '/') {
			if (mkdir(path, 0700) < 0)
				abort();
		} else if (path[pl - 1] == '|') {
			path[pl - 1] = '\0';
			if (mkfifo(path, 0600) < 0)
				abort();
		} else {
			FILE *f = fopen(path, "w");
			if (!f)
				abort();
			if (strstr(m, "HEAD"))
				fputs("ref: refs/heads/main\n", f);
			else if (!strcmp(m, "wt/.git/config"))
				fputs("[core]\n\trepositoryformatversion = 0\n\tbare = false\n# SECRET\n", f);
			else
				fputs(strncmp(m, "wt/", 3) || strstr(m, "git") ? "SECRET\n" : "INSIDE\n", f);
			fclose(f);
		}
	}
}

static void teardown(void)
{
	for (size_t i = sizeof(made) / sizeof(made[0]); i-- > 0;) {
		char path[256];
		const char *m = made[i], *arrow = strstr(m, "->");
		size_t len = arrow ? (size_t)(arrow - m) : strlen(m);
		if (m[len - 1] == '|')
			len--;
		snprintf(path, sizeof(path), "%s/%.*s", root, (int)len, m);
		if (!arrow && m[len - 1] == '/')
			rmdir(path);
		else
			unlink(path);
	}
	rmdir(root);
	am_git__free(repo);
}

/* The plain rules, written out again: a component that is empty, ".",
 * "..", holds '\\' or NUL, or is ".git" in any case. */
static bool plainly_bad(const char *p, size_t len)
{
	for (size_t from = 0; from <= len;) {
		const char *slash = memchr(p + from, '/', len - from);
		size_t to = slash ? (size_t)(slash - p) : len, n = to - from;
		const char *c = p + from;
		if (!n || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.') ||
		    memchr(c, '\\', n) || memchr(c, '\0', n))
			return true;
		if (n == 4 && c[0] == '.' && (c[1] | 0x20) == 'g' && (c[2] | 0x20) == 'i' &&
		    (c[3] | 0x20) == 't')
			return true;
		from = to + 1;
	}
	return false;
}

static bool ends_with_component(const char *f, const char *q)
{
	size_t fl = strlen(f), ql = strlen(q);
	return fl > ql && f[fl - ql - 1] == '/' && !strcmp(f + fl - ql, q);
}

static int by_path(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* What the working tree gives for `path`: only INSIDE files, never
 * anything through a refused path, never a FIFO. */
static void read_worktree(const char *path)
{
	am_git_entry e;
	am_buf out = AM_BUF_INIT;
	int binary = 0;
	bool ok = am_path__ok(path, strlen(path));
	am_git__workdir_lookup(&e, repo, path);
	int rc = am_git__workdir_read(&out, &binary, repo, path, 4096);
	if (!ok) {
		AM_FUZZ_CHECK(e.kind == AM_GIT_ENTRY_NONE);
		AM_FUZZ_CHECK(rc < 0);
	}
	if (!strcmp(path, "fifo"))
		AM_FUZZ_CHECK(e.kind == AM_GIT_ENTRY_SPECIAL);
	AM_FUZZ_CHECK((rc == 0) == (e.kind == AM_GIT_ENTRY_FILE));
	if (rc == 0)
		AM_FUZZ_CHECK(!strcmp(am_buf_cstr(&out), "INSIDE\n"));
	am_buf_free(&out);
	am_error_clear();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *entries[MAX_ENTRIES], *queries[MAX_ENTRIES];
	size_t nentries = 0, nqueries = 0;
	am_path_index *ix;
	am_buf norm = AM_BUF_INIT;

	if (!repo) {
		char wt[96];
		build();
		atexit(teardown);
		snprintf(wt, sizeof(wt), "%s/wt", root);
		if (am_git__open(&repo, wt) < 0)
			abort();
	}
	ix = am_path__index_new();
	char *copy = malloc(size + 1);
	if (!copy)
		abort();
	memcpy(copy, data, size);
	copy[size] = '\n';
	for (size_t from = 0; from < size;) {
		char *nl = memchr(copy + from, '\n', size + 1 - from);
		size_t len = (size_t)(nl - copy) - from;
		char *line = copy + from;
		*nl = '\0';
		if (len && line[0] == 'f') {
			/* an entry: all its bytes, NUL bytes too */
			bool bad = plainly_bad(line + 1, len - 1);
			int added = am_path__index_add(ix, line + 1, len - 1);
			AM_FUZZ_CHECK(added == am_path__ok(line + 1, len - 1));
			if (bad)
				AM_FUZZ_CHECK(!added);
			if (added && nentries < MAX_ENTRIES)
				entries[nentries++] = line + 1; /* no NUL inside: it passed */
		} else if (nqueries < MAX_ENTRIES) {
			queries[nqueries++] = line; /* up to its first NUL, as C reads it */
		}
		from += len + 1;
	}
	for (size_t i = 0; i < nqueries; i++) {
		const char *q = queries[i];
		/* A citation's path, normalised: nothing that climbs out. */
		int nr = am_verify__normalise_path(&norm, q);
		if (nr == 0) {
			AM_FUZZ_CHECK(norm.ptr[0] != '/');
			AM_FUZZ_CHECK(strcmp(norm.ptr, "..") && strncmp(norm.ptr, "../", 3) &&
				      !strstr(norm.ptr, "/../") && !strstr(norm.ptr, "//"));
		}
		/* The index against a scan of what was added. */
		const char *kept[KEEP], *match[MAX_ENTRIES];
		size_t total = am_path__index_find(ix, q, kept, KEEP), want = 0;
		for (size_t k = 0; k < nentries; k++)
			if (ends_with_component(entries[k], q))
				match[want++] = entries[k];
		if (nentries < MAX_ENTRIES)
			AM_FUZZ_CHECK(total == want);
		qsort(match, want, sizeof(char *), by_path);
		for (size_t k = 0; k < total && k < KEEP; k++) {
			AM_FUZZ_CHECK(am_path__ok(kept[k], strlen(kept[k])));
			AM_FUZZ_CHECK(ends_with_component(kept[k], q));
			if (nentries < MAX_ENTRIES)
				AM_FUZZ_CHECK(!strcmp(kept[k], match[k]));
			read_worktree(kept[k]);
		}
		/* The working tree, for the raw path and the normalised one. */
		read_worktree(q);
		if (nr == 0)
			read_worktree(norm.ptr);
	}
	am_buf_free(&norm);
	am_path__index_free(ix);
	free(copy);
	return 0;
}
