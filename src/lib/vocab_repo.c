/*
 * vocab_repo.c: the file extensions of a repository's tree, added to a
 * vocabulary so that an audit of that repository cites its files whatever
 * their language (`mortality.f:120` when the tree holds Fortran). The one
 * part of the vocabularies that reads git (through gitrepo.c).
 */
#include "auditmd/vocab.h"

#include <string.h>

#include "gitrepo.h"
#include "util.h"
#include "vocab.h"

struct am_extensions {
	am_strset seen;
	char **names;
	size_t n, cap;
};

/* A file name's extension worth citing by: 1 to 10 letters and digits
 * after its last dot, with a name before it. */
static void add_extension(const char *path, void *payload)
{
	am_extensions *e = payload;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	if (!dot || dot == base || !dot[1] || strlen(dot + 1) > 10)
		return;
	char ext[12];
	size_t n = 0;
	for (const char *p = dot + 1; *p; p++) {
		if (!am_isalnum((unsigned char)*p))
			return;
		ext[n++] = (char)am_tolower((unsigned char)*p);
	}
	ext[n] = '\0';
	if (am_strset_has(&e->seen, ext))
		return;
	am_grow((void **)&e->names, &e->cap, e->n + 1, sizeof(char *));
	e->names[e->n] = am_xstrdup(ext);
	am_strset_add(&e->seen, e->names[e->n++]); /* the set borrows the copy */
}

int am_vocab_tree_extensions(am_extensions **out, const char *repo, const char *rev)
{
	am_git *g = NULL;
	am_git_tree *t = NULL;
	am_git_commit commit;
	am_extensions *e = am_xcalloc(1, sizeof(*e));
	int rc;

	*out = NULL;
	am_strset_init(&e->seen, 64);
	if ((rc = am_git__open(&g, repo)) < 0 || (rc = am_git__commit(&commit, g, rev ? rev : "HEAD")) < 0 ||
	    (rc = am_git__tree(&t, g, commit.id)) < 0 || (rc = am_git__each_file(t, add_extension, e)) < 0) {
		am_extensions_free(e);
		e = NULL;
	}
	am_git__tree_free(t);
	am_git__free(g);
	*out = e;
	return rc;
}

void am_extensions_free(am_extensions *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->n; i++)
		free(e->names[i]);
	free(e->names);
	am_strset_free(&e->seen);
	free(e);
}

/* Whether a name of `fresh` is written right after a dot in text[0..len):
 * the letters and digits after each dot, lower case, looked up. More than
 * the citation pattern takes (it wants no word character after them): a
 * yes costs a compile, a wrong no a citation. Citations are read in text
 * whose entities are decoded (`x&#46;f90`): any entity is a yes. */
static bool written(const am_strset *fresh, const char *text, size_t len)
{
	for (const char *p = text, *end = text + len; (p = memchr(p, '&', (size_t)(end - p))) != NULL; p++)
		if (p + 1 < end && (p[1] == '#' || am_isalpha((unsigned char)p[1])))
			return true;
	for (const char *p = text, *end = text + len; (p = memchr(p, '.', (size_t)(end - p))) != NULL;) {
		char ext[12];
		size_t n = 0;
		for (p++; p < end && am_isalnum((unsigned char)*p) && n < 11; p++)
			ext[n++] = (char)am_tolower((unsigned char)*p);
		ext[n] = '\0';
		if (n && n <= 10 && am_strset_has(fresh, ext))
			return true;
	}
	return false;
}

int am_vocab_add_extensions(am_vocab *vocab, const am_extensions *exts, const char *const *texts,
			    const size_t *lens, size_t ntexts)
{
	am_strset fresh;
	int again = 0;
	if (!exts)
		return 0;
	am_strset_init(&fresh, exts->n);
	for (size_t i = 0; i < exts->n; i++)
		if (!am_vocab__has(vocab, AM_VOCAB_EXTENSIONS, am_span_from(exts->names[i]))) {
			am_vocab_add(vocab, AM_VOCAB_EXTENSIONS, exts->names[i]);
			am_strset_add(&fresh, exts->names[i]);
		}
	for (size_t i = 0; fresh.n && i < ntexts && !again; i++)
		again = texts[i] && written(&fresh, texts[i], lens[i]);
	am_strset_free(&fresh);
	return again;
}

int am_vocab_add_tree_extensions(am_vocab *vocab, const char *repo, const char *rev)
{
	am_extensions *e = NULL;
	int rc = am_vocab_tree_extensions(&e, repo, rev);
	if (rc == 0)
		am_vocab_add_extensions(vocab, e, NULL, NULL, 0);
	am_extensions_free(e);
	return rc;
}
