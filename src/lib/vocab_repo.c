/*
 * vocab_repo.c: the file extensions of a repository's tree, added to a
 * vocabulary so that an audit of that repository cites its files whatever
 * their language (`mortality.f:120` when the tree holds Fortran). The one
 * part of the vocabularies that reads git (through gitrepo.c).
 */
#include "auditmd/vocab.h"

#include <stdio.h>
#include <string.h>

#include "gitrepo.h"
#include "jobs.h"
#include "util.h"
#include "vocab.h"

struct am_extensions {
	am_strset seen;
	char **names;
	size_t n, cap;
	/* read on a thread: its tree, and how the reading ended */
	am_thread *reader;
	char *repo, *rev;
	int rc;
	char error[1024];
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

/* The extensions of e's tree, into e. */
static int read_tree(am_extensions *e)
{
	am_git *g = NULL;
	am_git_tree *t = NULL;
	am_git_commit commit;
	int rc;
	if ((rc = am_git__open(&g, e->repo)) == 0 && (rc = am_git__commit(&commit, g, e->rev ? e->rev : "HEAD")) == 0 &&
	    (rc = am_git__tree(&t, g, commit.id)) == 0)
		rc = am_git__each_file(t, add_extension, e);
	am_git__tree_free(t);
	am_git__free(g);
	return rc;
}

static void *read_on_thread(void *arg)
{
	am_extensions *e = arg;
	if ((e->rc = read_tree(e)) < 0)
		snprintf(e->error, sizeof(e->error), "%s", am_error_last());
	am_error_clear();
	return NULL;
}

/* Waits for e's reading; its failure, in the error slot. */
static int read_done(am_extensions *e)
{
	if (e->reader) {
		am_jobs__join(e->reader);
		e->reader = NULL;
		if (e->rc < 0)
			am_error_set("%s", e->error);
	}
	return e->rc;
}

int am_vocab_tree_extensions(am_extensions **out, const char *repo, const char *rev, unsigned threads)
{
	am_extensions *e = am_xcalloc(1, sizeof(*e));
	am_strset_init(&e->seen, 64);
	e->repo = am_xstrdup(repo);
	e->rev = rev ? am_xstrdup(rev) : NULL;
	*out = e;
	if (threads != 1 && am_jobs__start(&e->reader, read_on_thread, e) == 0)
		return 0;
	e->reader = NULL;
	int rc = read_tree(e);
	if (rc < 0) {
		am_extensions_free(e);
		*out = NULL;
	}
	return rc;
}

void am_extensions_free(am_extensions *e)
{
	if (!e)
		return;
	if (e->reader)
		am_jobs__join(e->reader);
	for (size_t i = 0; i < e->n; i++)
		free(e->names[i]);
	free(e->names);
	am_strset_free(&e->seen);
	free(e->repo);
	free(e->rev);
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

int am_vocab_add_extensions(am_vocab *vocab, am_extensions *exts, const char *const *texts,
			    const size_t *lens, size_t ntexts)
{
	am_strset fresh;
	int again = 0, rc;
	if (!exts)
		return 0;
	if ((rc = read_done(exts)) < 0)
		return rc;
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
	int rc = am_vocab_tree_extensions(&e, repo, rev, 1);
	if (rc == 0)
		am_vocab_add_extensions(vocab, e, NULL, NULL, 0);
	am_extensions_free(e);
	return rc;
}
