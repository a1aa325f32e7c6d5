/*
 * log.c: the revisions of an audit in git, compiled and diffed in turn.
 */
#include "auditmd/log.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "compile_cache.h"
#include "gitrepo.h"
#include "util.h"

struct am_log_private {
	struct am_arena *arena;
	am_report **reports; /* one per distinct blob */
	size_t nreports;
};

static void iso_date(char out[11], int64_t t, int offset_minutes)
{
	time_t local = (time_t)(t + (int64_t)offset_minutes * 60);
	struct tm tm;
	gmtime_r(&local, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* The report of revision `rev` (its blob read and compiled with cache
 * cc), in *out: owned by the caller. */
static int compile_revision(am_report **out, am_git *g, const am_git_revision *rev, am_buf *blob,
			    size_t max, const am_log_options *opts, am_compile_cache *cc)
{
	am_compile_options copts = AM_COMPILE_OPTIONS_INIT;
	char source[160];
	int rc;

	snprintf(source, sizeof(source), "%.12s:%s", rev->commit, rev->path);
	am_utf8_trim(source);
	copts.source = source;
	copts.vocab = opts ? opts->vocab : NULL;
	copts.max_size = opts ? opts->max_size : 0;
	if ((rc = am_git__read_blob(blob, g, rev->blob, source, max)) < 0)
		return rc;
	return am_compile__cached(out, blob->ptr ? blob->ptr : "", blob->size, &copts, cc);
}

/* The entries of revs[0..nrevs), oldest first, each compiled (identical
 * contents once: the same blob id, the same report) and diffed against
 * the one before. The revisions of one audit share most of their text:
 * one cache compiles them all (compile_cache.h), and the reports go
 * together with the log. */
static int walk_revisions(am_log *log, am_git *g, const am_git_revision *revs, size_t nrevs, size_t max,
			  const am_log_options *opts)
{
	am_compile_cache *cache = am_compile__cache_new();
	const char **blob_ids = am_xcalloc(nrevs, sizeof(char *));
	const am_report *prev = NULL;
	am_buf blob = AM_BUF_INIT;
	int rc = 0;

	for (size_t i = 0; i < nrevs && rc == 0; i++) {
		am_log_entry *e = &log->entries[log->nentries];
		const am_report *r = NULL;
		for (size_t k = 0; k < log->priv->nreports && !r; k++)
			if (!strcmp(blob_ids[k], revs[i].blob))
				r = log->priv->reports[k];
		if (!r) {
			am_report *nr = NULL;
			if (opts && opts->progress)
				opts->progress(i, nrevs, opts->payload);
			if ((rc = compile_revision(&nr, g, &revs[i], &blob, max, opts, cache)) < 0)
				break;
			blob_ids[log->priv->nreports] = revs[i].blob;
			log->priv->reports[log->priv->nreports++] = nr;
			r = nr;
		}
		memcpy(e->commit, revs[i].commit, sizeof(e->commit));
		iso_date(e->date, revs[i].time, revs[i].offset);
		e->time = revs[i].time;
		e->author = revs[i].author;
		e->summary = revs[i].summary;
		e->path = revs[i].path;
		e->report = r;
		for (size_t k = 0; k < r->nfindings; k++) {
			if (am_status_is_closed(r->findings[k].status))
				e->closed++;
			else
				e->open++;
		}
		if (prev && (rc = am_diff_run(&e->diff, prev, r, NULL)) < 0)
			break;
		prev = r;
		log->nentries++;
	}
	am_buf_free(&blob);
	free(blob_ids);
	am_compile__cache_free(cache);
	return rc;
}

/* --since/--until keep the entries in range; each keeps its diff against
 * the revision before it, in range or not. */
static void keep_in_range(am_log *log, const am_log_options *opts)
{
	size_t k = 0;
	if (!opts || (!opts->since && !opts->until))
		return;
	for (size_t i = 0; i < log->nentries; i++) {
		am_log_entry *e = &log->entries[i];
		bool keep = (!opts->since || strcmp(e->date, opts->since) >= 0) &&
			    (!opts->until || strcmp(e->date, opts->until) <= 0);
		if (keep)
			log->entries[k++] = *e;
		else
			am_diff_free(e->diff);
	}
	log->nentries = k;
}

int am_log_run(am_log **out, const char *repo, const char *path, const am_log_options *opts)
{
	am_git *g = NULL;
	am_git_revision *revs = NULL;
	size_t nrevs = 0;
	am_log *log = NULL;
	char *rel = NULL;
	int rc;

	*out = NULL;
	if (opts && opts->version != AM_LOG_OPTIONS_VERSION) {
		am_error_set("am_log_run: unsupported options version %u", opts->version);
		return AM_EUSAGE;
	}
	if ((rc = am_git__open(&g, repo ? repo : ".")) < 0)
		return rc;
	rel = am_git__relative(g, path);
	if (!rel) {
		am_error_set("%s: outside the repository", path);
		rc = AM_ENOTFOUND;
		goto done;
	}
	log = am_xcalloc(1, sizeof(*log));
	log->priv = am_xcalloc(1, sizeof(*log->priv));
	log->priv->arena = am_arena_new();
	log->path = am_arena_strdup(log->priv->arena, rel);
	size_t max = opts && opts->max_size ? opts->max_size : AM_DEFAULT_MAX_SIZE;
	if ((rc = am_git__history(&revs, &nrevs, g, rel, max, log->priv->arena)) < 0)
		goto done;
	if (!nrevs) {
		am_error_set("%s: not in the history of HEAD", rel);
		rc = AM_ENOTFOUND;
		goto done;
	}
	log->entries = am_xcalloc(nrevs, sizeof(am_log_entry));
	log->priv->reports = am_xcalloc(nrevs, sizeof(am_report *));
	if ((rc = walk_revisions(log, g, revs, nrevs, max, opts)) < 0)
		goto done;
	log->ncompiled = log->priv->nreports;
	if (opts && opts->progress)
		opts->progress(nrevs, nrevs, opts->payload);
	keep_in_range(log, opts);
	*out = log;
	log = NULL;
	rc = 0;
done:
	am_log_free(log);
	free(revs);
	free(rel);
	am_git__free(g);
	return rc;
}

void am_log_free(am_log *log)
{
	if (!log)
		return;
	for (size_t i = 0; i < log->nentries; i++)
		am_diff_free(log->entries[i].diff);
	if (log->priv) {
		for (size_t i = 0; i < log->priv->nreports; i++)
			am_report_free(log->priv->reports[i]);
		free(log->priv->reports);
		am_arena_free(log->priv->arena);
		free(log->priv);
	}
	free(log->entries);
	free(log);
}
