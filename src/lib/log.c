/*
 * log.c: the revisions of an audit in git, compiled and diffed in turn.
 */
#include "auditmd/log.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

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

int am_log_run(am_log **out, const char *repo, const char *path, const am_log_options *opts)
{
	am_git *g = NULL;
	am_git_revision *revs = NULL;
	size_t nrevs = 0;
	am_log *log = NULL;
	char *rel = NULL;
	am_buf blob = AM_BUF_INIT;
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
	/* Identical contents are compiled once: blob id -> report. */
	const char **blob_ids = am_xcalloc(nrevs, sizeof(char *));
	const am_report *prev = NULL;
	for (size_t i = 0; i < nrevs; i++) {
		am_log_entry *e = &log->entries[log->nentries];
		const am_report *r = NULL;
		for (size_t k = 0; k < log->priv->nreports; k++)
			if (!strcmp(blob_ids[k], revs[i].blob))
				r = log->priv->reports[k];
		if (!r) {
			if (opts && opts->progress)
				opts->progress(i, nrevs, opts->payload);
			am_compile_options copts = AM_COMPILE_OPTIONS_INIT;
			char source[160];
			snprintf(source, sizeof(source), "%.12s:%s", revs[i].commit, revs[i].path);
			am_utf8_trim(source);
			copts.source = source;
			copts.vocab = opts ? opts->vocab : NULL;
			copts.max_size = opts ? opts->max_size : 0;
			rc = am_git__read_blob(&blob, g, revs[i].blob, source, max);
			am_report *nr = NULL;
			if (rc == 0)
				rc = am_compile(&nr, blob.ptr ? blob.ptr : "", blob.size, &copts);
			if (rc < 0) {
				free(blob_ids);
				goto done;
			}
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
		if (prev && (rc = am_diff_run(&e->diff, prev, r, NULL)) < 0) {
			free(blob_ids);
			goto done;
		}
		prev = r;
		log->nentries++;
	}
	free(blob_ids);
	log->ncompiled = log->priv->nreports;
	if (opts && opts->progress)
		opts->progress(nrevs, nrevs, opts->payload);

	/* --since/--until keep the entries in range; each keeps its diff
	 * against the revision before it, in range or not. */
	if (opts && (opts->since || opts->until)) {
		size_t k = 0;
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
	*out = log;
	log = NULL;
	rc = 0;
done:
	am_log_free(log);
	free(revs);
	free(rel);
	am_buf_free(&blob);
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
