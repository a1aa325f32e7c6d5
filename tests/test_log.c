/* An audit's history (am_log_run) in a repository the test builds: the
 * revisions that changed the audit, oldest first across a rename, each
 * compiled (identical contents once) and diffed against the one before;
 * --since/--until; progress; errors; another revision's history; many
 * audits in one walk. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "auditmd/log.h"
#include "testrepo.h"

static test_fixture fx;
static am_buf audit_path; /* DIR/repo/docs/REVIEW.md */

#define V1 "# Audit\\n\\nDate: 2026-01-09\\n\\n### 1) Token leak\\n- Status: Open\\n- Evidence: `a.py:1`\\n\\n" \
	   "### 2) Weak hash\\n- Status: Open\\n- Evidence: `b.py:2`\\n"
#define V2 "# Audit\\n\\nDate: 2026-01-14\\n\\n### 1) Token leak\\n- Status: Resolved\\n- Evidence: `a.py:1`\\n\\n" \
	   "### 2) Weak hash\\n- Status: Open\\n- Evidence: `b.py:2`\\n\\n" \
	   "### 3) Missing rate limit\\n- Status: Open\\n- Evidence: `c.py:3`\\n"
#define V4 "# Audit\\n\\n### 1) Token leak\\n- Status: Open\\n- Evidence: `a.py:1`\\n\\n" \
	   "### 2) Weak hash\\n- Status: Wontfix\\n- Evidence: `b.py:2`\\n"

/*
 * c1 2026-01-10 Alice    docs/AUDIT.md V1: two open findings
 * c2 2026-01-12 Alice    code only
 * c3 2026-01-14 Bob      V2: #1 resolved, #3 new
 * c4 2026-01-16 Alice    docs/AUDIT.md renamed docs/REVIEW.md, unchanged
 * c5 2026-01-18 Alice    V1 again (the same blob as c1)
 * c6 2026-01-19T23:00-05:00 Carol  V4: #2 won't fix (the 20th in UTC)
 */
static const char fixture[] =
	"git init -q -b main repo && cd repo && mkdir docs\n"
	"printf '" V1 "' >docs/AUDIT.md && git add -A\n"
	"commit 2026-01-10T12:00:00Z 'audit: first draft' && id c1\n"
	"echo code >a.py && git add -A\n"
	"commit 2026-01-12T12:00:00Z 'code only' && id c2\n"
	"printf '" V2 "' >docs/AUDIT.md && git add -A\n"
	"commit 2026-01-14T12:00:00Z 'audit: one resolved, one new' 'Bob Builder' && id c3\n"
	"git mv docs/AUDIT.md docs/REVIEW.md\n"
	"commit 2026-01-16T12:00:00Z 'rename the audit' && id c4\n"
	"printf '" V1 "' >docs/REVIEW.md && git add -A\n"
	"commit 2026-01-18T12:00:00Z 'audit: back to the first draft' && id c5\n"
	"printf '" V4 "' >docs/REVIEW.md && git add -A\n"
	"commit 2026-01-19T23:00:00-05:00 'audit: wontfix' 'Carol Coder' && id c6\n";

static void setup(void)
{
	test_fixture_build(&fx, fixture);
	am_buf_printf(&audit_path, "%s/docs/REVIEW.md", fx.repo.ptr);
}

static void teardown(void)
{
	test_fixture_free(&fx);
	am_buf_free(&audit_path);
}

static am_log *run(const am_log_options *opts)
{
	am_log *log = NULL;
	int rc = am_log_run(&log, fx.repo.ptr, audit_path.ptr, opts);
	ck_assert_msg(rc == 0, "%s", am_error_last());
	ck_assert_ptr_nonnull(log);
	return log;
}

/* Which fixture commit an id is ("c3"), or "?". */
static const char *commit_name(const char *id)
{
	static char name[3];
	for (int k = 1; k <= 6; k++) {
		char file[8];
		snprintf(file, sizeof(file), "ids/c%d", k);
		char *want = test_read_line(fx.dir, file);
		int same = !strcmp(want, id);
		free(want);
		if (same) {
			snprintf(name, sizeof(name), "c%d", k);
			return name;
		}
	}
	return "?";
}

/* A diff's counts, " kind=n" each. */
static void describe_counts(am_buf *out, const am_diff *d)
{
	for (int k = 0; d && k < AM_CHANGE__COUNT; k++)
		if (d->counts[k])
			am_buf_printf(out, " %s=%zu", am_change_kind_name((am_change_kind)k), d->counts[k]);
}

/* One entry as "commit date path author open/closed findings [counts];". */
static void describe(am_buf *out, const am_log *log)
{
	for (size_t i = 0; i < log->nentries; i++) {
		const am_log_entry *e = &log->entries[i];
		am_buf_printf(out, "%s %s %s %s %zu/%zu %zu", commit_name(e->commit), e->date, e->path,
			      e->author, e->open, e->closed, e->report->nfindings);
		describe_counts(out, e->diff);
		am_buf_puts(out, ";\n");
	}
}

/* One log diffs on two threads (threads 0), or does all on the caller's
 * (1): the same log. */
static const unsigned walk_threads[] = { 0, 1 };

START_TEST(test_walk)
{
	am_log_options o = AM_LOG_OPTIONS_INIT;
	o.threads = walk_threads[_i];
	am_log *log = run(&o);
	am_buf got = AM_BUF_INIT;
	describe(&got, log);
	ck_assert_str_eq(am_buf_cstr(&got),
			 "c1 2026-01-10 docs/AUDIT.md Alice Auditor 2/0 2;\n"
			 "c3 2026-01-14 docs/AUDIT.md Bob Builder 2/1 3 resolved=1 new=1 open=1;\n"
			 "c5 2026-01-18 docs/REVIEW.md Alice Auditor 2/0 2 regressed=1 removed=1 open=1;\n"
			 "c6 2026-01-19 docs/REVIEW.md Carol Coder 1/1 2 resolved=1 open=1;\n");
	ck_assert_str_eq(log->path, "docs/REVIEW.md");
	ck_assert_ptr_null(log->entries[0].diff);
	/* Identical contents are compiled once and shared. */
	ck_assert_uint_eq(log->ncompiled, 3);
	ck_assert_ptr_eq(log->entries[0].report, log->entries[2].report);
	ck_assert_ptr_ne(log->entries[0].report, log->entries[1].report);
	/* Each report knows where it came from and what it says. */
	ck_assert(strstr(log->entries[1].report->source, "docs/AUDIT.md") != NULL);
	ck_assert_str_eq(log->entries[1].report->date, "2026-01-14");
	ck_assert_str_eq(log->entries[1].summary, "audit: one resolved, one new");
	ck_assert_int_eq(log->entries[3].time, 1768881600); /* 2026-01-20T04:00:00Z */
	am_log_free(log);
	am_buf_free(&got);
}
END_TEST

/* --since/--until keep entries by author date (the author's own day); a
 * kept entry keeps its diff against the revision before it. */
static const struct {
	const char *since, *until;
	const char *commits;
	int first_has_diff;
} ranges[] = {
	{ NULL, NULL, "c1 c3 c5 c6 ", 0 },
	{ "2026-01-14", NULL, "c3 c5 c6 ", 1 },
	{ NULL, "2026-01-14", "c1 c3 ", 0 },
	{ "2026-01-11", "2026-01-18", "c3 c5 ", 1 },
	{ "2026-01-19", "2026-01-19", "c6 ", 1 }, /* 04:00 UTC on the 20th, the 19th where it was written */
	{ "2026-01-20", NULL, "", 0 },
	{ "2026-02-01", "2026-01-01", "", 0 },
};

START_TEST(test_since_until)
{
	am_log_options o = AM_LOG_OPTIONS_INIT;
	o.since = ranges[_i].since;
	o.until = ranges[_i].until;
	am_log *log = run(&o);
	am_buf got = AM_BUF_INIT;
	for (size_t i = 0; i < log->nentries; i++)
		am_buf_printf(&got, "%s ", commit_name(log->entries[i].commit));
	ck_assert_str_eq(am_buf_cstr(&got), ranges[_i].commits);
	if (log->nentries)
		ck_assert_int_eq(log->entries[0].diff != NULL, ranges[_i].first_has_diff);
	am_log_free(log);
	am_buf_free(&got);
}
END_TEST

static void count_progress(size_t done, size_t total, void *payload)
{
	am_buf_printf(payload, "%zu/%zu ", done, total);
}

/* Progress: before each distinct compile, then once at the end. */
START_TEST(test_progress)
{
	am_log_options o = AM_LOG_OPTIONS_INIT;
	am_buf calls = AM_BUF_INIT;
	o.progress = count_progress;
	o.payload = &calls;
	am_log *log = run(&o);
	ck_assert_str_eq(am_buf_cstr(&calls), "0/4 1/4 3/4 4/4 ");
	am_log_free(log);
	am_buf_free(&calls);
}
END_TEST

/* The history of another revision: --rev c3 ends there. */
START_TEST(test_rev)
{
	am_log_options o = AM_LOG_OPTIONS_INIT;
	char *c3 = test_read_line(fx.dir, "ids/c3");
	am_buf at = AM_BUF_INIT;
	am_log *log = NULL;
	o.rev = c3;
	am_buf_printf(&at, "%s/docs/AUDIT.md", fx.repo.ptr);
	/* docs/AUDIT.md is gone from the working tree; the path is the tree's. */
	ck_assert_int_eq(am_log_run_many(&log, fx.repo.ptr, (const char *[]){ "docs/AUDIT.md" }, NULL, 1, &o), 0);
	am_buf got = AM_BUF_INIT;
	describe(&got, log);
	ck_assert_str_eq(am_buf_cstr(&got), "c1 2026-01-10 docs/AUDIT.md Alice Auditor 2/0 2;\n"
					     "c3 2026-01-14 docs/AUDIT.md Bob Builder 2/1 3 resolved=1 new=1 open=1;\n");
	am_log_free(log);
	o.rev = "no-such-rev";
	ck_assert_int_eq(am_log_run_many(&log, fx.repo.ptr, (const char *[]){ "docs/AUDIT.md" }, NULL, 1, &o),
			 AM_ENOTFOUND);
	ck_assert_ptr_null(log);
	am_buf_free(&got);
	am_buf_free(&at);
	free(c3);
}
END_TEST

/* Many audits in one walk, on two threads: each log is the one am_log_run
 * makes; a path not in the history fails them all. */
START_TEST(test_many)
{
	am_log *logs[2] = { NULL, NULL }, *one = run(NULL);
	const char *paths[2] = { "docs/REVIEW.md", "docs/REVIEW.md" };
	ck_assert_int_eq(am_log_run_many(logs, fx.repo.ptr, paths, NULL, 2, NULL), 0);
	am_buf a = AM_BUF_INIT, b = AM_BUF_INIT, c = AM_BUF_INIT;
	describe(&a, one);
	describe(&b, logs[0]);
	describe(&c, logs[1]);
	ck_assert_str_eq(am_buf_cstr(&b), am_buf_cstr(&a));
	ck_assert_str_eq(am_buf_cstr(&c), am_buf_cstr(&a));
	ck_assert_uint_eq(logs[1]->ncompiled, 3);
	am_log_free(logs[0]);
	am_log_free(logs[1]);
	paths[1] = "docs/NOPE.md";
	ck_assert_int_eq(am_log_run_many(logs, fx.repo.ptr, paths, NULL, 2, NULL), AM_ENOTFOUND);
	ck_assert_ptr_null(logs[0]);
	ck_assert_ptr_null(logs[1]);
	ck_assert(strstr(am_error_last(), "docs/NOPE.md") != NULL);
	am_log_free(one);
	am_buf_free(&a);
	am_buf_free(&b);
	am_buf_free(&c);
}
END_TEST

/* Findings followed across revisions: renumbered and retitled they stay
 * one thread; removed and back, they take theirs up again. */
START_TEST(test_follow)
{
	static const char *const revs[] = {
		"# F\n\n### 1) Alpha\n- Evidence: `a.py:1`\n\n### [B-1] Beta\n- Evidence: `b.py:1`\n",
		"# F\n\n### 1) Zero\n- Evidence: `z.py:1`\n\n### 2) Alpha\n- Evidence: `a.py:1`\n\n"
		"### [B-1] Gamma\n- Evidence: `b.py:1`\n",
		"# F\n\n### 1) Zero\n- Evidence: `z.py:1`\n\n### 2) Alpha\n- Evidence: `a.py:1`\n",
		"# F\n\n### 1) Zero\n- Evidence: `z.py:1`\n\n### 2) Alpha\n- Evidence: `a.py:1`\n\n"
		"### [B-1] Gamma again\n- Evidence: `b.py:9`\n",
	};
	am_report *r[4];
	am_log_entry e[4];
	am_log log = { 0 };
	memset(e, 0, sizeof(e));
	for (int i = 0; i < 4; i++) {
		r[i] = test_compile_str(revs[i]);
		e[i].report = r[i];
		if (i)
			ck_assert_int_eq(am_diff_run(&e[i].diff, r[i - 1], r[i], NULL), 0);
	}
	log.entries = e;
	log.nentries = 4;
	am_log_threads *t = NULL;
	ck_assert_int_eq(am_log_follow(&t, &log), 0);
	am_buf got = AM_BUF_INIT;
	for (size_t k = 0; k < t->nthreads; k++) {
		for (size_t p = 0; p < t->threads[k].nplaces; p++) {
			const am_log_place *at = &t->threads[k].places[p];
			ck_assert_uint_eq(t->thread[at->entry][at->finding], k);
			am_buf_printf(&got, "%zu:%s ", at->entry, r[at->entry]->findings[at->finding].title);
		}
		am_buf_puts(&got, "|");
	}
	ck_assert_str_eq(am_buf_cstr(&got), "0:Alpha 1:Alpha 2:Alpha 3:Alpha |0:Beta 1:Gamma 3:Gamma again |"
					     "1:Zero 2:Zero 3:Zero |");
	am_log_threads_free(t);
	am_log_threads_free(NULL);
	am_buf_free(&got);
	for (int i = 0; i < 4; i++) {
		am_diff_free(e[i].diff);
		am_report_free(r[i]);
	}
}
END_TEST

START_TEST(test_errors)
{
	am_log *log = (am_log *)1;
	am_log_options o = AM_LOG_OPTIONS_INIT;
	am_buf path = AM_BUF_INIT;

	/* The file was never in the history of HEAD. */
	am_buf_printf(&path, "%s/docs/NOPE.md", fx.repo.ptr);
	ck_assert_int_eq(am_log_run(&log, fx.repo.ptr, path.ptr, NULL), AM_ENOTFOUND);
	ck_assert_ptr_null(log);
	ck_assert(strstr(am_error_last(), "docs/NOPE.md") != NULL);

	/* A file outside the repository. */
	ck_assert_int_eq(am_log_run(&log, fx.repo.ptr, fx.dir, NULL), AM_ENOTFOUND);
	ck_assert(strstr(am_error_last(), "outside the repository") != NULL);

	/* Not a repository. */
	am_buf_clear(&path);
	am_buf_printf(&path, "%s/ids", fx.dir);
	ck_assert_int_eq(am_log_run(&log, path.ptr, audit_path.ptr, NULL), AM_EGIT);
	ck_assert(strstr(am_error_last(), "not a git repository") != NULL);

	/* Options of another version. */
	o.version = AM_LOG_OPTIONS_VERSION + 1;
	ck_assert_int_eq(am_log_run(&log, fx.repo.ptr, audit_path.ptr, &o), AM_EUSAGE);

	/* A revision over the size limit stops the walk, on two threads
	 * (threads 0) or one; the message is the reading's. */
	o.version = AM_LOG_OPTIONS_VERSION;
	o.max_size = 64;
	char first[256] = "";
	for (unsigned threads = 0; threads < 2; threads++) {
		o.threads = threads;
		am_error_clear();
		ck_assert_int_eq(am_log_run(&log, fx.repo.ptr, audit_path.ptr, &o), AM_ELIMIT);
		ck_assert_ptr_null(log);
		ck_assert_msg(strstr(am_error_last(), "over the size limit of 64 bytes") != NULL, "%s",
			      am_error_last());
		if (threads == 0)
			snprintf(first, sizeof(first), "%s", am_error_last());
		else
			ck_assert_str_eq(am_error_last(), first); /* the same revision named */
	}
	ck_assert(strstr(first, ":docs/") != NULL);
	am_log_free(NULL);
	am_buf_free(&path);
}
END_TEST

/*
 * A longer history (21 revisions, 20 distinct: the 11th is the 9th again):
 * one log compiles its distinct revisions on two lanes (threads 0) or one
 * (threads 1), the same log either way; and a size limit that "rev 12"
 * is the first revision over names that one, whichever lane met a
 * revision over it first.
 */
static const char long_history[] =
	"git init -q -b main repo && cd repo && mkdir docs\n"
	"printf '# Audit\\n\\n' >docs/AUDIT.md\n"
	"for i in $(seq 1 20); do\n"
	"  if [ $i != 10 ]; then\n"
	"    printf '### %d) Finding number %d\\n- Status: %s\\n- Evidence: `src/f%d.py:%d`\\n\\n' \\\n"
	"      $i $i $([ $((i % 3)) = 0 ] && echo Resolved || echo Open) $i $i >>docs/AUDIT.md\n"
	"  else echo >>docs/AUDIT.md; fi\n"
	"  git add -A && commit 2026-01-$(printf %02d $i)T12:00:00Z \"rev $i\" && id r$i\n"
	"  [ $i = 9 ] && cp docs/AUDIT.md ../r9.md\n"
	"  [ $i = 10 ] && cp ../r9.md docs/AUDIT.md && git add -A && commit 2026-01-10T13:00:00Z 'back' && id r10b\n"
	"  true\n"
	"done\n";

/* Progress on two lanes: how far both are, never back, then the end. */
typedef struct {
	size_t calls, last, total;
	bool back;
} progress_seen;

static void see_progress(size_t done, size_t total, void *payload)
{
	progress_seen *p = payload;
	p->back |= p->calls && done < p->last;
	p->calls++;
	p->last = done;
	p->total = total;
}

START_TEST(test_lanes)
{
	test_fixture lf;
	test_fixture_build(&lf, long_history);
	am_buf path = AM_BUF_INIT, one = AM_BUF_INIT, two = AM_BUF_INIT;
	am_buf_printf(&path, "%s/docs/AUDIT.md", lf.repo.ptr);
	for (unsigned threads = 0; threads < 2; threads++) {
		am_log_options o = AM_LOG_OPTIONS_INIT;
		am_log *log = NULL;
		progress_seen seen = { 0, 0, 0, false };
		o.threads = threads;
		o.progress = see_progress;
		o.payload = &seen;
		ck_assert_msg(am_log_run(&log, lf.repo.ptr, path.ptr, &o) == 0, "%s", am_error_last());
		ck_assert(!seen.back);
		ck_assert_uint_eq(seen.last, 21);
		ck_assert_uint_eq(seen.total, 21);
		/* One call a distinct revision on one lane; on two, one for each
		 * the caller's thread compiles (at least one), then the end. */
		if (threads == 1)
			ck_assert_uint_eq(seen.calls, 21);
		else
			ck_assert(seen.calls >= 2 && seen.calls <= 21);
		am_buf *got = threads ? &one : &two;
		for (size_t i = 0; i < log->nentries; i++) {
			const am_log_entry *e = &log->entries[i];
			am_buf_printf(got, "%.7s %zu/%zu", e->commit, e->open, e->closed);
			for (size_t k = 0; k < e->report->nfindings; k++)
				am_buf_printf(got, " %s", e->report->findings[k].title);
			describe_counts(got, e->diff);
			am_buf_puts(got, ";\n");
		}
		ck_assert_uint_eq(log->nentries, 21);
		ck_assert_uint_eq(log->ncompiled, 20); /* r10b is r9 again */
		ck_assert_uint_eq(log->entries[20].report->nfindings, 19);
		am_log_free(log);
	}
	ck_assert_str_eq(one.ptr, two.ptr);

	/* "rev 12" is the first revision over the limit. */
	char *r11 = test_read_line(lf.dir, "ids/r11"), *r12 = test_read_line(lf.dir, "ids/r12");
	size_t len;
	char *text = NULL;
	am_buf cmd = AM_BUF_INIT;
	am_buf_printf(&cmd, "git -C '%s' show %s:docs/AUDIT.md | wc -c >'%s/size11'", lf.repo.ptr, r11, lf.dir);
	ck_assert_int_eq(system(cmd.ptr), 0);
	text = test_read(lf.dir, "size11", &len);
	size_t limit = (size_t)strtoul(text, NULL, 10);
	free(text);
	char first[512] = "";
	for (unsigned threads = 0; threads < 2; threads++) {
		am_log_options o = AM_LOG_OPTIONS_INIT;
		am_log *log = NULL;
		o.threads = threads;
		o.max_size = limit;
		am_error_clear();
		ck_assert_int_eq(am_log_run(&log, lf.repo.ptr, path.ptr, &o), AM_ELIMIT);
		ck_assert_ptr_null(log);
		ck_assert_msg(strncmp(am_error_last(), r12, 12) == 0, "%s (r12 %s)", am_error_last(), r12);
		if (threads == 0)
			snprintf(first, sizeof(first), "%s", am_error_last());
		else
			ck_assert_str_eq(am_error_last(), first);
	}
	free(r11);
	free(r12);
	am_buf_free(&cmd);
	am_buf_free(&path);
	am_buf_free(&one);
	am_buf_free(&two);
	test_fixture_free(&lf);
}
END_TEST

/*
 * Three audits made from one template, edited in turn over 36 commits
 * (two at once in some, one with the content another had): the blobs of
 * am_log_run_many are read ahead in the walk's order, newest first across
 * the audits, and each log is still the one am_log_run makes, on two
 * threads or one; and a size limit that only b.md's last revision (a long
 * note added at the end) is over fails as am_log_run fails on b.md.
 */
static const char three_audits[] =
	"git init -q -b main repo && cd repo && mkdir docs\n"
	"for f in a b c; do printf '# Audit %s\\n\\n' $f >docs/$f.md; done\n"
	"git add -A && commit 2026-02-01T00:00:00Z start\n"
	"for i in $(seq 1 36); do\n"
	"  f=$(echo a b c | cut -d' ' -f$((i % 3 + 1)))\n"
	"  printf '### %d) Finding %d of %s\\n- Status: %s\\n- Evidence: `src/%s%d.py:%d`\\n\\n' \\\n"
	"    $i $i $f $([ $((i % 4)) = 0 ] && echo Resolved || echo Open) $f $i $i >>docs/$f.md\n"
	"  [ $((i % 5)) = 0 ] && printf -- '- Note: revisited %d\\n' $i >>docs/a.md\n"
	"  [ $i = 30 ] && cp docs/c.md docs/b.md\n"
	"  git add -A && commit 2026-02-$(printf %02d $((i % 28 + 1)))T$(printf %02d $((i % 24))):00:00Z \"edit $i\"\n"
	"done\n"
	"printf -- '- Note: %s\\n' $(seq -s- 1 300) >>docs/b.md\n"
	"git add -A && commit 2026-03-01T00:00:00Z 'long note'\n";

static void describe_log(am_buf *out, const am_log *log)
{
	for (size_t i = 0; i < log->nentries; i++) {
		const am_log_entry *e = &log->entries[i];
		am_buf_printf(out, "%.7s %s %zu/%zu", e->commit, e->path, e->open, e->closed);
		for (size_t k = 0; k < e->report->nfindings; k++)
			am_buf_printf(out, " %s", e->report->findings[k].title);
		describe_counts(out, e->diff);
		am_buf_puts(out, ";\n");
	}
}

START_TEST(test_many_read_ahead)
{
	test_fixture tf;
	test_fixture_build(&tf, three_audits);
	const char *paths[3] = { "docs/a.md", "docs/b.md", "docs/c.md" };
	am_buf want[3] = { AM_BUF_INIT, AM_BUF_INIT, AM_BUF_INIT };
	size_t biggest_b = 0;
	for (int i = 0; i < 3; i++) {
		am_buf path = AM_BUF_INIT;
		am_log *log = NULL;
		am_buf_printf(&path, "%s/%s", tf.repo.ptr, paths[i]);
		ck_assert_msg(am_log_run(&log, tf.repo.ptr, path.ptr, NULL) == 0, "%s", am_error_last());
		ck_assert_uint_ge(log->nentries, 12);
		describe_log(&want[i], log);
		for (size_t k = 0; i == 1 && k < log->nentries; k++)
			if (log->entries[k].report->nfindings > biggest_b)
				biggest_b = log->entries[k].report->nfindings;
		am_log_free(log);
		am_buf_free(&path);
	}
	ck_assert_uint_gt(biggest_b, 0);
	for (unsigned threads = 0; threads < 2; threads++) {
		am_log_options o = AM_LOG_OPTIONS_INIT;
		am_log *logs[3] = { NULL, NULL, NULL };
		o.threads = threads;
		ck_assert_msg(am_log_run_many(logs, tf.repo.ptr, paths, NULL, 3, &o) == 0, "%s", am_error_last());
		for (int i = 0; i < 3; i++) {
			am_buf got = AM_BUF_INIT;
			describe_log(&got, logs[i]);
			ck_assert_str_eq(am_buf_cstr(&got), am_buf_cstr(&want[i]));
			am_buf_free(&got);
			am_log_free(logs[i]);
		}
	}
	/* One byte under b.md's last revision, the largest blob of all. */
	am_buf cmd = AM_BUF_INIT;
	am_buf_printf(&cmd, "git -C '%s' show HEAD:docs/b.md | wc -c >'%s/size_b'", tf.repo.ptr, tf.dir);
	ck_assert_int_eq(system(cmd.ptr), 0);
	size_t len;
	char *text = test_read(tf.dir, "size_b", &len);
	size_t limit = (size_t)strtoul(text, NULL, 10) - 1;
	free(text);
	am_log_options o = AM_LOG_OPTIONS_INIT;
	am_log *log = NULL, *logs[3] = { NULL, NULL, NULL };
	am_buf path = AM_BUF_INIT;
	am_buf_printf(&path, "%s/docs/b.md", tf.repo.ptr);
	o.max_size = limit;
	ck_assert_int_eq(am_log_run(&log, tf.repo.ptr, path.ptr, &o), AM_ELIMIT);
	char one[512];
	snprintf(one, sizeof(one), "%s", am_error_last());
	const char *just_b[1] = { "docs/b.md" };
	ck_assert_int_eq(am_log_run_many(logs, tf.repo.ptr, just_b, NULL, 1, &o), AM_ELIMIT);
	ck_assert_str_eq(am_error_last(), one);
	ck_assert_int_eq(am_log_run_many(logs, tf.repo.ptr, paths, NULL, 3, &o), AM_ELIMIT);
	ck_assert_str_eq(am_error_last(), one);
	ck_assert_ptr_null(logs[0]);
	ck_assert_ptr_null(logs[1]);
	ck_assert_ptr_null(logs[2]);
	am_buf_free(&path);
	am_buf_free(&cmd);
	for (int i = 0; i < 3; i++)
		am_buf_free(&want[i]);
	test_fixture_free(&tf);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("log");
	tcase_add_unchecked_fixture(tc, setup, teardown);
	TEST_LOOP(tc, test_walk, walk_threads);
	TEST_LOOP(tc, test_since_until, ranges);
	tcase_add_test(tc, test_progress);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_rev);
	tcase_add_test(tc, test_many);
	tcase_add_test(tc, test_follow);
	tcase_add_test(tc, test_lanes);
	tcase_add_test(tc, test_many_read_ahead);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
