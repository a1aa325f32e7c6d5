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

/* A file name's extension worth citing by: 1 to 10 letters and digits
 * after its last dot, with a name before it. */
static void add_extension(const char *path, void *payload)
{
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
	am_vocab_add(payload, AM_VOCAB_EXTENSIONS, ext); /* once: it keeps no duplicate */
}

int am_vocab_add_tree_extensions(am_vocab *vocab, const char *repo, const char *rev)
{
	am_git *g = NULL;
	am_git_tree *t = NULL;
	am_git_commit commit;
	int rc;

	if ((rc = am_git__open(&g, repo)) < 0)
		return rc;
	if ((rc = am_git__commit(&commit, g, rev ? rev : "HEAD")) < 0 || (rc = am_git__tree(&t, g, commit.id)) < 0)
		goto done;
	rc = am_git__each_file(t, add_extension, vocab);
done:
	am_git__tree_free(t);
	am_git__free(g);
	return rc;
}
