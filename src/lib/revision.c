/*
 * revision.c: files read from an audit's git repository by revision and
 * path (revision.h), through the git module.
 */
#include "auditmd/config.h"
#include "auditmd/revision.h"

#include "gitrepo.h"

/* The largest configuration file read. */
#define CONFIG_MAX ((size_t)1 << 20)

int am_revision_read(char **out, size_t *len, const char *repo, const char *rev,
		     const char *path, size_t max_size)
{
	am_git *g = NULL;
	am_buf blob = AM_BUF_INIT;
	int rc;

	*out = NULL;
	*len = 0;
	if ((rc = am_git__open(&g, repo ? repo : ".")) == 0)
		rc = am_git__read(&blob, g, rev, path, max_size ? max_size : AM_DEFAULT_MAX_SIZE);
	am_git__free(g);
	if (rc < 0) {
		am_buf_free(&blob);
		return rc;
	}
	*len = blob.size;
	*out = am_buf_detach(&blob);
	return 0;
}

int am_revision_config_load(am_vocab *vocab, const char *repo, const char *rev, const char *path)
{
	am_buf dir = AM_BUF_INIT, file = AM_BUF_INIT, text = AM_BUF_INIT, name = AM_BUF_INIT;
	am_git *g = NULL;
	int rc = 0;

	if (am_git__open(&g, repo ? repo : ".") < 0) {
		/* Reading the audit will say what is wrong with the repository. */
		am_error_clear();
		goto done;
	}
	am_buf_puts(&dir, path);
	for (;;) {
		const char *slash = dir.size ? memrchr(dir.ptr, '/', dir.size) : NULL;
		am_buf_truncate(&dir, slash ? (size_t)(slash - dir.ptr) : 0);
		am_buf_clear(&file);
		am_buf_printf(&file, "%s%s.auditmd.json", am_buf_cstr(&dir), dir.size ? "/" : "");
		am_buf_clear(&text);
		rc = am_git__read(&text, g, rev, file.ptr, CONFIG_MAX);
		if (rc == 0) {
			am_buf_printf(&name, "%s:%s", rev, file.ptr);
			rc = am_config_load(vocab, am_buf_cstr(&text), text.size, name.ptr);
			break;
		}
		if (rc != AM_ENOTFOUND && rc != AM_EPARSE)
			break;
		/* None here (or an unknown revision): one directory up. */
		rc = 0;
		am_error_clear();
		if (!dir.size)
			break;
	}
done:
	am_git__free(g);
	am_buf_free(&dir);
	am_buf_free(&file);
	am_buf_free(&text);
	am_buf_free(&name);
	return rc;
}
