/*
 * paths.c: the path policy (see paths.h) and the partial-path index.
 *
 * The index keeps each file with its length and sorts them by the bytes
 * of the path read backwards. The files whose path ends with "/" + q are
 * then exactly those whose reversed path starts with reversed(q) + "/": a
 * contiguous run, found by two binary searches. It costs one pointer and
 * one length per file, where a hash of every suffix would cost one entry
 * per path component.
 */
#include "paths.h"

/* Code points HFS+ leaves out of names when it compares them (git's
 * is_hfs_dotgit): U+200C-U+200F, U+202A-U+202E, U+206A-U+206F and U+FEFF.
 * The length of the one starting s[0..len), or 0. */
static size_t hfs_ignorable(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	if (len < 3)
		return 0;
	if (u[0] == 0xe2 && u[1] == 0x80 && ((u[2] >= 0x8c && u[2] <= 0x8f) || (u[2] >= 0xaa && u[2] <= 0xae)))
		return 3;
	if (u[0] == 0xe2 && u[1] == 0x81 && u[2] >= 0xaa && u[2] <= 0xaf)
		return 3;
	if (u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf)
		return 3;
	return 0;
}

/* Whether name[0..len) starts with `word` (lower case), ignoring case and
 * HFS+'s ignorable code points; *used is the bytes it took. */
static bool starts_folded(const char *name, size_t len, const char *word, size_t *used)
{
	size_t i = 0, skip;
	for (const char *w = word; *w; w++) {
		while ((skip = hfs_ignorable(name + i, len - i)) != 0)
			i += skip;
		if (i >= len || am_tolower((unsigned char)name[i]) != *w)
			return false;
		i++;
	}
	while ((skip = hfs_ignorable(name + i, len - i)) != 0)
		i += skip;
	*used = i;
	return true;
}

/* What NTFS drops from the end of a name: dots and spaces, or a stream
 * (":$DATA", "::$INDEX_ALLOCATION") after them. */
static bool ntfs_ignored(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == ':')
			return true;
		if (s[i] != '.' && s[i] != ' ')
			return false;
	}
	return true;
}

static bool is_dotgit(const char *name, size_t len)
{
	size_t used;
	return (starts_folded(name, len, ".git", &used) || starts_folded(name, len, "git~1", &used)) &&
	       ntfs_ignored(name + used, len - used);
}

bool am_path__name_ok(const char *name, size_t len)
{
	if (!len || (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
		return false;
	for (size_t i = 0; i < len; i++)
		if (name[i] == '/' || name[i] == '\\' || name[i] == '\0')
			return false;
	return !is_dotgit(name, len);
}

bool am_path__ok(const char *path, size_t len)
{
	if (!len)
		return false;
	for (size_t from = 0; from <= len;) {
		const char *slash = memchr(path + from, '/', len - from);
		size_t to = slash ? (size_t)(slash - path) : len;
		if (!am_path__name_ok(path + from, to - from))
			return false;
		from = to + 1;
	}
	return true;
}

/* ---- the partial-path index --------------------------------------------- */

typedef struct {
	const char *path;
	size_t len;
} entry;

struct am_path_index {
	struct am_arena *arena;
	entry *files;
	size_t n, cap;
	bool sorted;
};

am_path_index *am_path__index_new(void)
{
	am_path_index *ix = am_xcalloc(1, sizeof(*ix));
	ix->arena = am_arena_new();
	ix->sorted = true;
	return ix;
}

void am_path__index_free(am_path_index *ix)
{
	if (!ix)
		return;
	free(ix->files);
	am_arena_free(ix->arena);
	free(ix);
}

int am_path__index_add(am_path_index *ix, const char *path, size_t len)
{
	if (!am_path__ok(path, len))
		return 0;
	am_grow((void **)&ix->files, &ix->cap, ix->n + 1, sizeof(entry));
	ix->files[ix->n++] = (entry){ am_arena_strndup(ix->arena, path, len), len };
	ix->sorted = false;
	return 1;
}

size_t am_path__index_size(const am_path_index *ix)
{
	return ix->n;
}

/* Compares two paths read backwards, byte by byte (unsigned); a path that
 * ends first comes first. */
static int by_reversed(const void *a, const void *b)
{
	const entry *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	for (size_t k = 1; k <= n; k++) {
		unsigned char cx = (unsigned char)x->path[x->len - k], cy = (unsigned char)y->path[y->len - k];
		if (cx != cy)
			return cx < cy ? -1 : 1;
	}
	return x->len < y->len ? -1 : x->len > y->len;
}

/* Where f stands against the key reversed(q) + "/", compared over the
 * key's length only: 0 when f's reversed path starts with the key, that
 * is when f ends with "/" + q. The order agrees with by_reversed. */
static int against_key(const entry *f, const char *q, size_t qlen)
{
	for (size_t k = 0; k <= qlen; k++) {
		if (k >= f->len)
			return -1;
		unsigned char cf = (unsigned char)f->path[f->len - 1 - k];
		unsigned char ck = k < qlen ? (unsigned char)q[qlen - 1 - k] : '/';
		if (cf != ck)
			return cf < ck ? -1 : 1;
	}
	return 0;
}

/* The first file at or after the key (strict: after it) in the order. */
static size_t bound(const am_path_index *ix, const char *q, size_t qlen, bool strict)
{
	size_t lo = 0, hi = ix->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = against_key(&ix->files[mid], q, qlen);
		if (c < 0 || (strict && c == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t am_path__index_find(am_path_index *ix, const char *path, const char **out, size_t max)
{
	if (!ix->sorted) {
		qsort(ix->files, ix->n, sizeof(entry), by_reversed);
		ix->sorted = true;
	}
	size_t qlen = strlen(path);
	size_t from = bound(ix, path, qlen, false), to = bound(ix, path, qlen, true);
	/* The `max` first by path: one pass, each kept in order. A file ends
	 * a few distinct paths only (one per component), so over every lookup
	 * of a run these passes add up to the size of the index. */
	size_t k = 0;
	for (size_t i = from; i < to; i++) {
		const char *f = ix->files[i].path;
		size_t at = k;
		while (at > 0 && strcmp(out[at - 1], f) > 0)
			at--;
		if (at >= max)
			continue;
		if (k < max)
			k++;
		memmove(out + at + 1, out + at, (k - 1 - at) * sizeof(char *));
		out[at] = f;
	}
	return to - from;
}
