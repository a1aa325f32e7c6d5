/*
 * paths.c: the path policy (see paths.h).
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
