/*
 * log.c: the revisions of an audit in git, compiled, then diffed. One
 * audit's log compiles its distinct revisions on two lanes (the older and
 * the newer half of their bytes, a cache each) or, when they are few, on
 * one; and diffs consecutive revisions on two threads. Many audits' logs
 * (am_log_run_many) take a thread each: one lane, one cache; a thread of
 * their own reads their blobs ahead, in the walk's order.
 */
#include "auditmd/log.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compile_cache.h"
#include "gitrepo.h"
#include "jobs.h"
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

/*
 * Blobs read ahead for many logs at once (am_log_run_many), by a thread of
 * their own, in the order of the walk: the newest first across every
 * audit. A pack keeps a newer version whole and an older one as a delta
 * of a newer one, often of another file like it (audits made from one
 * template): read in that order, each blob is a delta of one libgit2 has
 * just made and still holds, where reading audit by audit on two threads
 * made it resolve long chains again and again (twice the inflating). A
 * log takes a blob from here when it has been read, waiting for it while
 * the reader is on its way, and reads it itself when the reader did not
 * (a failure: the error is then its own) or is paused. The reader pauses
 * while it holds AHEAD_MAX_HELD bytes or more not yet taken, and passes
 * over a blob no log is still to take.
 */
#define AHEAD_MAX_HELD ((size_t)64 << 20)

typedef struct {
	am_git *g; /* the reader's handle */
	size_t max; /* bytes, a blob */
	size_t n;
	const char **ids; /* in the order read */
	am_strmap at;     /* blob id -> its place in ids */
	am_buf *texts;
	signed char *state; /* 0: not read yet, 1: read, -1: not read (a failure, or not wanted) */
	unsigned *uses;     /* logs still to take it, or to read it themselves */
	size_t next;        /* ids[0..next) are done */
	size_t held;        /* bytes read and not yet taken by every log */
	bool paused, stop;
	pthread_mutex_t lock;
	pthread_cond_t cond;
} read_ahead;

static void *ahead_run(void *arg)
{
	read_ahead *a = arg;
	for (size_t i = 0; i < a->n; i++) {
		pthread_mutex_lock(&a->lock);
		while (a->held >= AHEAD_MAX_HELD && !a->stop) {
			a->paused = true;
			pthread_cond_broadcast(&a->cond);
			pthread_cond_wait(&a->cond, &a->lock);
		}
		a->paused = false;
		bool stop = a->stop, wanted = a->uses[i] > 0;
		if (!stop && !wanted) {
			a->state[i] = -1;
			a->next = i + 1;
			pthread_cond_broadcast(&a->cond);
		}
		pthread_mutex_unlock(&a->lock);
		if (stop)
			break;
		if (!wanted)
			continue;
		am_buf text = AM_BUF_INIT;
		int rc = am_git__read_blob(&text, a->g, a->ids[i], a->ids[i], a->max);
		am_error_clear(); /* the log that reads it again reports it */
		pthread_mutex_lock(&a->lock);
		if (rc == 0 && a->uses[i]) {
			a->texts[i] = text;
			a->state[i] = 1;
			a->held += text.size;
		} else {
			am_buf_free(&text);
			a->state[i] = -1;
		}
		a->next = i + 1;
		pthread_cond_broadcast(&a->cond);
		pthread_mutex_unlock(&a->lock);
	}
	pthread_mutex_lock(&a->lock);
	a->stop = true; /* whatever is left, the logs read */
	pthread_cond_broadcast(&a->cond);
	pthread_mutex_unlock(&a->lock);
	return NULL;
}

/* The text of blob `id` read ahead, or NULL: the caller reads it (and is
 * no more one of the logs to take it). Given back with ahead_done. */
static const am_buf *ahead_take(read_ahead *a, const char *id, size_t *slot)
{
	if (!a || !am_strmap_get(&a->at, id, slot))
		return NULL;
	pthread_mutex_lock(&a->lock);
	while (*slot >= a->next && !a->paused && !a->stop)
		pthread_cond_wait(&a->cond, &a->lock);
	const am_buf *text = *slot < a->next && a->state[*slot] == 1 ? &a->texts[*slot] : NULL;
	if (!text && a->uses[*slot])
		a->uses[*slot]--;
	pthread_mutex_unlock(&a->lock);
	return text;
}

static void ahead_done(read_ahead *a, size_t slot)
{
	pthread_mutex_lock(&a->lock);
	if (a->state[slot] == 1 && !--a->uses[slot]) {
		a->held -= a->texts[slot].size;
		am_buf_free(&a->texts[slot]);
		a->state[slot] = -1;
		pthread_cond_broadcast(&a->cond);
	}
	pthread_mutex_unlock(&a->lock);
}

typedef struct {
	size_t walk, log;
	const char *id;
} ahead_item;

static int by_walk(const void *x, const void *y)
{
	const ahead_item *a = x, *b = y;
	return a->walk < b->walk ? -1 : a->walk > b->walk ? 1 : a->log < b->log ? -1 : a->log > b->log;
}

/* The reader of the blobs of revs[i][0..nrevs[i]) for i < n, started on a
 * handle of its own (when it cannot be, nothing is read ahead). */
static read_ahead *ahead_start(am_thread **thread, am_git *g, am_git_revision *const *revs,
			       const size_t *nrevs, size_t n, size_t max)
{
	size_t total = 0, k = 0;
	for (size_t i = 0; i < n; i++)
		total += nrevs[i];
	read_ahead *a = am_xcalloc(1, sizeof(*a));
	ahead_item *items = am_xmalloc((total ? total : 1) * sizeof(*items));
	for (size_t i = 0; i < n; i++)
		for (size_t r = 0; r < nrevs[i]; r++)
			items[k++] = (ahead_item){ revs[i][r].walk, i, revs[i][r].blob };
	qsort(items, total, sizeof(*items), by_walk);
	a->ids = am_xmalloc((total ? total : 1) * sizeof(char *));
	a->uses = am_xcalloc(total ? total : 1, sizeof(unsigned));
	am_strmap_init(&a->at, total);
	for (k = 0; k < total; k++) {
		size_t slot;
		if (!am_strmap_get(&a->at, items[k].id, &slot)) {
			slot = a->n++;
			a->ids[slot] = items[k].id;
			am_strmap_put(&a->at, items[k].id, slot);
		}
	}
	/* One use a log that has the blob, however often it comes back. */
	size_t *last_log = am_xmalloc((a->n ? a->n : 1) * sizeof(size_t));
	for (size_t s = 0; s < a->n; s++)
		last_log[s] = SIZE_MAX;
	for (size_t i = 0; i < n; i++)
		for (size_t r = 0; r < nrevs[i]; r++) {
			size_t slot;
			am_strmap_get(&a->at, revs[i][r].blob, &slot);
			if (last_log[slot] != i) {
				last_log[slot] = i;
				a->uses[slot]++;
			}
		}
	free(last_log);
	free(items);
	a->texts = am_xcalloc(a->n ? a->n : 1, sizeof(am_buf));
	a->state = am_xcalloc(a->n ? a->n : 1, 1);
	a->max = max;
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->cond, NULL);
	if (am_git__reopen(&a->g, g) < 0 || am_jobs__start(thread, ahead_run, a) < 0) {
		am_error_clear();
		a->stop = true; /* nothing is read ahead */
		*thread = NULL;
	}
	return a;
}

static void ahead_free(read_ahead *a, am_thread *thread)
{
	if (!a)
		return;
	pthread_mutex_lock(&a->lock);
	a->stop = true;
	pthread_cond_broadcast(&a->cond);
	pthread_mutex_unlock(&a->lock);
	am_jobs__join(thread);
	for (size_t i = 0; i < a->n; i++)
		am_buf_free(&a->texts[i]);
	free(a->texts);
	free(a->state);
	free(a->uses);
	free(a->ids);
	am_strmap_free(&a->at);
	pthread_mutex_destroy(&a->lock);
	pthread_cond_destroy(&a->cond);
	am_git__free(a->g);
	free(a);
}

/* The log of one path from its revisions (oldest first): each distinct
 * content compiled once, and each revision diffed against the one before.
 * The revisions of one audit share most of their text: one cache compiles
 * them (compile_cache.h: what a revision shares with those before is taken
 * as it was compiled), and the reports go together with the log. */
typedef struct {
	am_git *g;
	const am_vocab *vocab;
	const am_log_options *opts;
	am_compile_cache *cache;
	am_buf blob;
	read_ahead *ahead; /* blobs read ahead, or NULL */
} compiling;

/* The name of a revision's blob in messages: "<commit>:<path>". */
static void blob_name(char *out, size_t size, const am_git_revision *rev)
{
	snprintf(out, size, "%.12s:%s", rev->commit, rev->path);
	am_utf8_trim(out);
}

/* The report of revision rev, compiled. */
static int compile_revision(am_report **out, compiling *x, const am_git_revision *rev)
{
	const am_log_options *opts = x->opts;
	am_compile_options copts = AM_COMPILE_OPTIONS_INIT;
	char source[160];
	blob_name(source, sizeof(source), rev);
	copts.source = source;
	copts.max_size = opts ? opts->max_size : 0;
	copts.vocab = x->vocab;
	size_t max = opts && opts->max_size ? opts->max_size : AM_DEFAULT_MAX_SIZE, slot;
	const am_buf *read = ahead_take(x->ahead, rev->blob, &slot);
	int rc = read ? 0 : am_git__read_blob(&x->blob, x->g, rev->blob, source, max);
	const am_buf *blob = read ? read : &x->blob;
	*out = NULL;
	if (rc == 0)
		rc = am_compile__cached(out, blob->ptr ? blob->ptr : "", blob->size, &copts, x->cache);
	if (read)
		ahead_done(x->ahead, slot);
	return rc;
}

/* The distinct blobs of revs[0..n), in the order they first appear:
 * first[k] is the revision of blob k, of[i] the blob of revision i.
 * Returns their number. */
static size_t distinct_blobs(const am_git_revision *revs, size_t n, size_t *first, size_t *of)
{
	am_strmap seen;
	size_t nd = 0;
	am_strmap_init(&seen, n);
	for (size_t i = 0; i < n; i++) {
		size_t k;
		if (!am_strmap_get(&seen, revs[i].blob, &k)) {
			k = nd++;
			first[k] = i;
			am_strmap_put(&seen, revs[i].blob, k);
		}
		of[i] = k;
	}
	am_strmap_free(&seen);
	return nd;
}

/*
 * One lane of the compile: the distinct blobs [from, to), the newest
 * first, with a compiling context of its own (repository handle, cache:
 * each revision is mostly the one after). Newest first because a pack
 * keeps a file's newest version whole and each older one as a delta of
 * the next: read so, each resolves from the one just read, which libgit2
 * still holds (oldest first took a third longer). A failure at blob k
 * makes every lane pass over the blobs after k, and the failure reported
 * is the first in order, as one lane's.
 */
typedef struct {
	compiling x;
	const am_git_revision *revs;
	const size_t *first;
	size_t nrevs, from, to;
	am_report **reports;
	atomic_size_t *limit; /* blobs from here are not compiled: the first failure */
	atomic_size_t *done;  /* blobs compiled, by every lane */
	bool progress;        /* this lane says how far the lanes are (the caller's thread's) */
	int rc;
	size_t failed; /* the blob that failed, when rc < 0 */
	char error[1024];
} lane;

static void *run_lane(void *arg)
{
	lane *l = arg;
	const am_log_options *opts = l->x.opts;
	for (size_t k = l->to; k-- > l->from;) {
		if (k >= atomic_load(l->limit))
			continue; /* after a failure: not needed */
		if (l->progress && opts && opts->progress)
			opts->progress(l->first[atomic_load(l->done)], l->nrevs, opts->payload);
		int rc = compile_revision(&l->reports[k], &l->x, &l->revs[l->first[k]]);
		atomic_fetch_add(l->done, 1);
		if (rc < 0) {
			l->rc = rc;
			l->failed = k;
			snprintf(l->error, sizeof(l->error), "%s", am_error_last());
			for (size_t cur = atomic_load(l->limit); k < cur;)
				if (atomic_compare_exchange_weak(l->limit, &cur, k))
					break;
		}
	}
	return NULL;
}

/* The next entry: revision rev and its report r (its changes since the
 * entry before come later: diff_entries). */
static void add_entry(am_log *log, const am_git_revision *rev, const am_report *r)
{
	am_log_entry *e = &log->entries[log->nentries];
	struct am_arena *arena = log->priv->arena;
	memcpy(e->commit, rev->commit, sizeof(e->commit));
	iso_date(e->date, rev->time, rev->offset);
	e->time = rev->time;
	e->author = am_arena_strdup(arena, rev->author);
	e->summary = am_arena_strdup(arena, rev->summary);
	e->path = am_arena_strdup(arena, rev->path);
	e->report = r;
	for (size_t k = 0; k < r->nfindings; k++) {
		if (am_status_is_closed(r->findings[k].status))
			e->closed++;
		else
			e->open++;
	}
	log->nentries++;
}

/* One job: entry i's changes since the entry before. */
static int diff_job_run(void *job, void *payload)
{
	am_log_entry *entries = payload;
	size_t i = *(size_t *)job;
	return am_diff_run(&entries[i].diff, entries[i - 1].report, entries[i].report, NULL);
}

/* Each entry's changes since the one before, on up to `threads` threads. */
static int diff_entries(am_log *log, unsigned threads)
{
	size_t n = log->nentries > 1 ? log->nentries - 1 : 0;
	size_t *jobs = am_xmalloc((n ? n : 1) * sizeof(size_t));
	for (size_t k = 0; k < n; k++)
		jobs[k] = k + 1;
	int rc = am_jobs__run(jobs, n, sizeof(size_t), diff_job_run, log->entries, threads);
	free(jobs);
	return rc;
}

/* --since/--until keep the entries in range; each keeps its diff against
 * the revision before it, in range or not. */
static void keep_in_range(am_log *log, const am_log_options *opts)
{
	if (!opts || (!opts->since && !opts->until))
		return;
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

/* Below this many distinct blobs, one lane compiles them all. */
#define LANES_MIN 8

/* Where the second lane starts: half of the blobs' bytes before it (the
 * work of a revision grows with its size), or half of the blobs. */
static size_t lane_split(am_git *g, const am_git_revision *revs, const size_t *first, size_t nd)
{
	size_t *sizes = am_xmalloc(nd * sizeof(size_t)), total = 0, sum = 0, k = 0;
	for (size_t i = 0; i < nd; i++) {
		if (am_git__blob_size(&sizes[i], g, revs[first[i]].blob) < 0) {
			am_error_clear();
			free(sizes);
			return nd / 2;
		}
		total += sizes[i];
	}
	while (k < nd - 1 && sum + sizes[k] <= total / 2)
		sum += sizes[k++];
	free(sizes);
	return k ? k : 1;
}

/*
 * The reports of the nd distinct blobs (first[k]: the revision of blob k)
 * into reports[0..nd), each lane through a cache of its own: on two lanes
 * when two threads are allowed and there are enough blobs, the older and
 * the newer half of their bytes, else on one. The first failure in blob
 * order is the error; what was compiled stays in reports (for
 * am_log_free).
 */
static int compile_blobs(am_report **reports, am_git *g, read_ahead *ahead, const am_vocab *vocab,
			 const am_log_options *opts, unsigned threads, const am_git_revision *revs, size_t nrevs,
			 const size_t *first, size_t nd)
{
	size_t nlanes = threads > 1 && nd >= LANES_MIN ? 2 : 1;
	size_t split = nlanes == 2 ? lane_split(g, revs, first, nd) : nd;
	atomic_size_t limit, done;
	lane lanes[2];
	am_thread *other = NULL;
	int rc = 0;

	atomic_init(&limit, nd);
	atomic_init(&done, 0);
	memset(lanes, 0, sizeof(lanes));
	for (size_t k = 0; k < nlanes; k++) {
		lane *l = &lanes[k];
		l->x = (compiling){ .g = g, .vocab = vocab, .opts = opts, .blob = AM_BUF_INIT, .ahead = ahead };
		l->revs = revs;
		l->first = first;
		l->nrevs = nrevs;
		l->from = k ? split : 0;
		l->to = k || nlanes == 1 ? nd : split;
		l->reports = reports;
		l->limit = &limit;
		l->done = &done;
		l->progress = k == 0;
		l->x.cache = am_compile__cache_new();
	}
	if (rc == 0 && nlanes == 2 &&
	    (am_git__reopen(&lanes[1].x.g, g) < 0 || am_jobs__start(&other, run_lane, &lanes[1]) < 0)) {
		/* One lane after all: the other takes none. */
		am_error_clear();
		am_git__free(lanes[1].x.g);
		lanes[1].x.g = NULL;
		lanes[0].to = nd;
		nlanes = 1;
	}
	if (rc == 0) {
		run_lane(&lanes[0]);
		am_jobs__join(other);
		const lane *failed = NULL;
		for (size_t k = 0; k < nlanes; k++)
			if (lanes[k].rc < 0 && (!failed || lanes[k].failed < failed->failed))
				failed = &lanes[k];
		if (failed) {
			am_error_set("%s", failed->error);
			rc = failed->rc;
		}
	}
	/* Both lanes: one made and left unused has a cache too. */
	for (size_t k = 0; k < 2; k++) {
		am_buf_free(&lanes[k].x.blob);
		am_compile__cache_free(lanes[k].x.cache);
		if (k > 0)
			am_git__free(lanes[k].x.g);
	}
	return rc;
}

/* The log of path from its revisions, compiled on up to `threads`
 * threads. */
static int build(am_log **out, am_git *g, read_ahead *ahead, const char *path, const am_git_revision *revs,
		 size_t nrevs, const am_vocab *vocab, const am_log_options *opts, unsigned threads)
{
	am_log *log = am_xcalloc(1, sizeof(*log));
	size_t *first = NULL, *of = NULL;
	int rc = 0;

	*out = NULL;
	log->priv = am_xcalloc(1, sizeof(*log->priv));
	log->priv->arena = am_arena_new();
	log->path = am_arena_strdup(log->priv->arena, path);
	if (!nrevs) {
		am_error_set("%s: not in the history of %s", path, opts && opts->rev ? opts->rev : "HEAD");
		rc = AM_ENOTFOUND;
		goto done;
	}
	log->entries = am_xcalloc(nrevs, sizeof(am_log_entry));
	log->priv->reports = am_xcalloc(nrevs, sizeof(am_report *));
	/* Identical contents are compiled once. */
	first = am_xmalloc(nrevs * sizeof(size_t));
	of = am_xmalloc(nrevs * sizeof(size_t));
	size_t nd = distinct_blobs(revs, nrevs, first, of);
	rc = compile_blobs(log->priv->reports, g, ahead, vocab, opts, threads, revs, nrevs, first, nd);
	log->priv->nreports = nd; /* those compiled, freed with the log on a failure */
	if (rc < 0)
		goto done;
	for (size_t i = 0; i < nrevs; i++)
		add_entry(log, &revs[i], log->priv->reports[of[i]]);
	if ((rc = diff_entries(log, threads)) < 0)
		goto done;
	log->ncompiled = log->priv->nreports;
	if (opts && opts->progress)
		opts->progress(nrevs, nrevs, opts->payload);
	keep_in_range(log, opts);
	*out = log;
	log = NULL;
done:
	free(first);
	free(of);
	am_log_free(log);
	return rc;
}

static int check_version(const am_log_options *opts)
{
	if (opts && opts->version != AM_LOG_OPTIONS_VERSION) {
		am_error_set("am_log_run: unsupported options version %u", opts->version);
		return AM_EUSAGE;
	}
	return 0;
}

int am_log_run(am_log **out, const char *repo, const char *path, const am_log_options *opts)
{
	am_git *g = NULL;
	am_git_revision *revs = NULL;
	size_t nrevs = 0;
	struct am_arena *arena = NULL;
	char *rel = NULL;
	int rc;

	*out = NULL;
	if ((rc = check_version(opts)) < 0 || (rc = am_git__open(&g, repo ? repo : ".")) < 0)
		return rc;
	rel = am_git__relative(g, path);
	if (!rel) {
		am_error_set("%s: outside the repository", path);
		rc = AM_ENOTFOUND;
		goto done;
	}
	arena = am_arena_new();
	const char *one = rel;
	size_t max = opts && opts->max_size ? opts->max_size : AM_DEFAULT_MAX_SIZE;
	if ((rc = am_git__histories(&revs, &nrevs, g, opts ? opts->rev : NULL, &one, 1, max, arena)) == 0)
		rc = build(out, g, NULL, rel, revs, nrevs, opts ? opts->vocab : NULL, opts,
			   opts && opts->threads ? opts->threads : 2);
done:
	free(revs);
	free(rel);
	am_arena_free(arena);
	am_git__free(g);
	return rc;
}

/* One log of many, built on any thread with its own repository handle. */
typedef struct {
	am_git *g;
	const char *path;
	const am_vocab *vocab;
	am_git_revision *revs;
	size_t nrevs;
	read_ahead *ahead;
	am_log *log;
} log_job;

static int log_job_run(void *job, void *payload)
{
	log_job *j = job;
	/* Many logs share the threads: one each. */
	return build(&j->log, j->g, j->ahead, j->path, j->revs, j->nrevs, j->vocab, payload, 1);
}

int am_log_run_many(am_log **out, const char *repo, const char *const *paths, const am_vocab *const *vocabs,
		    size_t n, const am_log_options *opts)
{
	am_git *g = NULL;
	am_git_revision **revs = am_xcalloc(n ? n : 1, sizeof(*revs));
	size_t *nrevs = am_xcalloc(n ? n : 1, sizeof(*nrevs));
	log_job *jobs = am_xcalloc(n ? n : 1, sizeof(*jobs));
	struct am_arena *arena = am_arena_new();
	am_log_options one = AM_LOG_OPTIONS_INIT;
	read_ahead *ahead = NULL;
	am_thread *reader = NULL;
	int rc;

	for (size_t i = 0; i < n; i++)
		out[i] = NULL;
	if (opts)
		one = *opts;
	one.progress = NULL; /* from several threads at once: none */
	if ((rc = check_version(opts)) < 0 || (rc = am_git__open(&g, repo ? repo : ".")) < 0)
		goto done;
	size_t max = opts && opts->max_size ? opts->max_size : AM_DEFAULT_MAX_SIZE;
	if ((rc = am_git__histories(revs, nrevs, g, one.rev, paths, n, max, arena)) < 0)
		goto done;
	if (one.threads != 1 && n > 1)
		ahead = ahead_start(&reader, g, revs, nrevs, n, max);
	for (size_t i = 0; i < n && rc == 0; i++) {
		jobs[i] = (log_job){ NULL, paths[i], vocabs && vocabs[i] ? vocabs[i] : one.vocab, revs[i],
				     nrevs[i], ahead, NULL };
		rc = am_git__reopen(&jobs[i].g, g);
	}
	if (rc == 0)
		rc = am_jobs__run(jobs, n, sizeof(*jobs), log_job_run, &one, opts ? opts->threads : 0);
	ahead_free(ahead, reader);
	for (size_t i = 0; i < n; i++) {
		out[i] = rc == 0 ? jobs[i].log : NULL;
		if (rc < 0)
			am_log_free(jobs[i].log);
		am_git__free(jobs[i].g);
		free(revs[i]);
	}
done:
	free(jobs);
	free(revs);
	free(nrevs);
	am_arena_free(arena);
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

/* ---- findings followed ---------------------------------------------------------- */

static size_t new_thread(am_log_threads *t, size_t *cap)
{
	am_grow((void **)&t->threads, cap, t->nthreads + 1, sizeof(am_log_thread));
	memset(&t->threads[t->nthreads], 0, sizeof(am_log_thread));
	return t->nthreads++;
}

static void place(am_log_threads *t, size_t th, size_t entry, size_t finding)
{
	am_log_thread *x = &t->threads[th];
	x->places = am_xrealloc(x->places, (x->nplaces + 1) * sizeof(am_log_place));
	x->places[x->nplaces++] = (am_log_place){ entry, finding };
	t->thread[entry][finding] = th;
}

/* The thread a finding new in entry e takes up again: one gone before e
 * of the same explicit ID, else of the same title; SIZE_MAX for none. */
static size_t comeback(const am_log_threads *t, const am_strmap *by_id, const am_strmap *by_title,
		       const am_finding *f, size_t e)
{
	size_t th;
	if (f->id_explicit && am_strmap_get(by_id, f->id, &th) && t->threads[th].places[t->threads[th].nplaces - 1].entry < e - 1)
		return th;
	if (f->norm_title && *f->norm_title && am_strmap_get(by_title, f->norm_title, &th) &&
	    t->threads[th].places[t->threads[th].nplaces - 1].entry < e - 1)
		return th;
	return SIZE_MAX;
}

int am_log_follow(am_log_threads **out, const am_log *log)
{
	am_log_threads *t = am_xcalloc(1, sizeof(*t));
	am_strmap by_id, by_title; /* the last thread of each ID and title */
	size_t cap = 0;

	am_strmap_init(&by_id, 64);
	am_strmap_init(&by_title, 64);
	t->nentries = log->nentries;
	t->thread = am_xcalloc(log->nentries ? log->nentries : 1, sizeof(size_t *));
	for (size_t e = 0; e < log->nentries; e++) {
		const am_report *r = log->entries[e].report;
		const am_diff *d = log->entries[e].diff;
		t->thread[e] = am_xcalloc(r->nfindings ? r->nfindings : 1, sizeof(size_t));
		for (size_t k = 0; k < r->nfindings; k++)
			t->thread[e][k] = SIZE_MAX;
		/* The first entry's diff, if any, is against a revision left out. */
		if (e > 0 && d) {
			const am_report *prev = log->entries[e - 1].report;
			for (size_t i = 0; i < d->nchanges; i++) {
				const am_change *ch = &d->changes[i];
				if (ch->old_finding && ch->new_finding)
					place(t, t->thread[e - 1][ch->old_finding - prev->findings], e,
					      (size_t)(ch->new_finding - r->findings));
			}
		}
		for (size_t k = 0; k < r->nfindings; k++) {
			const am_finding *f = &r->findings[k];
			if (t->thread[e][k] == SIZE_MAX) {
				size_t th = e > 0 ? comeback(t, &by_id, &by_title, f, e) : SIZE_MAX;
				place(t, th != SIZE_MAX ? th : new_thread(t, &cap), e, k);
			}
			if (f->id_explicit)
				am_strmap_set(&by_id, f->id, t->thread[e][k]);
			if (f->norm_title && *f->norm_title)
				am_strmap_set(&by_title, f->norm_title, t->thread[e][k]);
		}
	}
	am_strmap_free(&by_id);
	am_strmap_free(&by_title);
	*out = t;
	return 0;
}

void am_log_threads_free(am_log_threads *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nthreads; i++)
		free(t->threads[i].places);
	for (size_t e = 0; e < t->nentries; e++)
		free(t->thread[e]);
	free(t->thread);
	free(t->threads);
	free(t);
}
