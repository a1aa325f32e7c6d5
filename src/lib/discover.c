/*
 * discover.c: which files of a repository are audits (discover.h): those
 * its configuration lists, else the Markdown files that compile to
 * findings with evidence. Read from git's object database only.
 */
#include "auditmd/discover.h"

#include <fnmatch.h>
#include <strings.h>

#include "auditmd/compile.h"
#include "auditmd/config.h"
#include "discover_int.h"
#include "gitrepo.h"
#include "util.h"

#define CONFIG_MAX ((size_t)1 << 20)

typedef struct {
	char **paths;
	size_t n, cap;
} path_list;

static void add(path_list *l, const char *path)
{
	am_grow((void **)&l->paths, &l->cap, l->n + 1, sizeof(char *));
	l->paths[l->n++] = am_xstrdup(path);
}

bool am_discover__markdown(const char *path)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
	if (!dot || (slash && dot < slash) || (strcasecmp(dot, ".md") && strcasecmp(dot, ".markdown")))
		return false;
	for (const char *p = path; p; p = strchr(p, '/')) {
		if (*p == '/')
			p++;
		if (*p == '.')
			return false;
	}
	return true;
}

static void collect(const char *path, void *payload)
{
	path_list *files = payload;
	add(files, path);
}

bool am_discover__is_audit(const am_report *r)
{
	for (size_t i = 0; i < r->nfindings; i++)
		for (size_t k = 0; k < r->findings[i].ncitations; k++)
			if (r->findings[i].citations[k].role == AM_CITE_EVIDENCE)
				return true;
	return false;
}

bool am_discover__pattern(const char *entry)
{
	return strpbrk(entry, "*?[") != NULL;
}

bool am_discover__matches(const char *entry, const char *path)
{
	return fnmatch(entry, path, FNM_PATHNAME | FNM_PERIOD) == 0;
}

/* Whether the file at `path` compiles to a finding with an evidence
 * citation. */
static bool has_evidence(am_git *g, am_git_tree *t, const char *path, am_compiler *compiler, size_t max)
{
	am_git_entry e;
	am_buf text = AM_BUF_INIT;
	am_report *r = NULL;
	size_t size = 0;
	bool found = false;
	am_git__lookup(&e, t, path);
	if (e.kind != AM_GIT_ENTRY_FILE || am_git__blob_size(&size, g, e.blob) < 0 || size > max ||
	    am_git__read_blob(&text, g, e.blob, path, max) < 0)
		goto done;
	am_compile_options o = AM_COMPILE_OPTIONS_INIT;
	o.source = path;
	o.compiler = compiler;
	o.max_size = max;
	if (am_compile(&r, am_buf_cstr(&text), text.size, &o) < 0)
		goto done;
	found = am_discover__is_audit(r);
done:
	am_error_clear(); /* a file that is no audit is not an error */
	am_report_free(r);
	am_buf_free(&text);
	return found;
}

/* The files the configuration's list names. */
static int listed(path_list *out, const path_list *files, const char *const *patterns, size_t npatterns,
		  const char *name)
{
	for (size_t k = 0; k < npatterns; k++) {
		bool pattern = am_discover__pattern(patterns[k]), any = false;
		for (size_t i = 0; i < files->n; i++)
			if (am_discover__matches(patterns[k], files->paths[i])) {
				add(out, files->paths[i]);
				any = true;
			}
		if (!any && !pattern) {
			am_error_set("%s: \"audits\" lists %s, which is not a file of the repository", name,
				     patterns[k]);
			return AM_ENOTFOUND;
		}
	}
	return 0;
}

int am_discover_audits(char ***out, size_t *n, const char *repo, const am_discover_options *opts)
{
	const char *rev = opts && opts->rev ? opts->rev : "HEAD";
	size_t max = opts && opts->max_size ? opts->max_size : AM_DEFAULT_MAX_SIZE;
	am_git *g = NULL;
	am_git_tree *t = NULL;
	am_git_commit c;
	am_compiler *compiler = NULL;
	am_vocab *vocab = NULL;
	path_list files = { 0 }, found = { 0 };
	am_buf config = AM_BUF_INIT, name = AM_BUF_INIT;
	int rc;

	*out = NULL;
	*n = 0;
	if (opts && opts->version != AM_DISCOVER_OPTIONS_VERSION) {
		am_error_set("am_discover_audits: unsupported options version %u", opts->version);
		return AM_EUSAGE;
	}
	if ((rc = am_git__open(&g, repo ? repo : ".")) < 0 || (rc = am_git__commit(&c, g, rev)) < 0 ||
	    (rc = am_git__tree(&t, g, c.id)) < 0 || (rc = am_git__each_file(t, collect, &files)) < 0)
		goto done;
	/* The configuration at the top of the tree: its list (am_vocab_audits),
	 * its vocabulary. */
	am_buf_printf(&name, "%s:.auditmd.json", rev);
	rc = am_git__read(&config, g, rev, ".auditmd.json", CONFIG_MAX);
	if (rc == 0) {
		am_vocab_new(&vocab);
		if ((rc = am_config_load(vocab, am_buf_cstr(&config), config.size, name.ptr)) < 0)
			goto done;
		size_t npatterns = 0;
		const char *const *patterns = am_vocab_audits(vocab, &npatterns);
		if (npatterns) {
			rc = listed(&found, &files, patterns, npatterns, name.ptr);
			goto sort;
		}
	} else if (rc != AM_ENOTFOUND && rc != AM_EPARSE) {
		goto done;
	}
	am_error_clear();
	if ((rc = am_compiler_new(&compiler, opts && opts->vocab ? opts->vocab : vocab)) < 0)
		goto done;
	for (size_t i = 0; i < files.n; i++)
		if (am_discover__markdown(files.paths[i]) && has_evidence(g, t, files.paths[i], compiler, max))
			add(&found, files.paths[i]);
	rc = 0;
sort:
	if (rc < 0)
		goto done;
	am_sort_strings((const char **)found.paths, found.n);
	/* Each once: two patterns may name the same file. */
	size_t k = 0;
	for (size_t i = 0; i < found.n; i++) {
		if (k && !strcmp(found.paths[k - 1], found.paths[i]))
			free(found.paths[i]);
		else
			found.paths[k++] = found.paths[i];
	}
	found.n = k;
	*out = found.paths;
	*n = found.n;
	found.paths = NULL;
	found.n = 0;
done:
	am_discover_free(found.paths, found.n);
	am_discover_free(files.paths, files.n);
	am_compiler_free(compiler);
	am_vocab_free(vocab);
	am_buf_free(&config);
	am_buf_free(&name);
	am_git__tree_free(t);
	am_git__free(g);
	return rc;
}

void am_discover_free(char **paths, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}
