/* Pull-request mode (check.c) on a repository the test builds with fixed
 * dates: a base commit with an audit of four findings, and a head commit
 * that edits cited code, resolves two findings (one with its code edited,
 * one without) and adds findings whose new citations hold or not; the
 * same change in the working tree; a renamed audit; audits found by the
 * configuration and by looking. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "auditmd/check.h"
#include "auditmd/config.h"
#include "auditmd/discover.h"
#include "auditmd/json.h"
#include "testrepo.h"

static test_fixture fx;

/*
 * base 2026-01-10: src/app.py (20 lines), src/billing.py (30), src/auth.py
 *   (20), README.md (no citation), docs/AUDIT.md: F1-F3 open, F4 resolved.
 * head 2026-01-20: app.py line 6 edited (F1, resolved: confirmed),
 *   billing.py line 11 edited (F2, still open: touched), auth.py untouched
 *   (F3 resolved: unconfirmed), src/new.py added; the audit resolves F1
 *   and F3 and adds F5 (new.py holds, gone.py missing, app.py:100 past
 *   the end) and F6 (a missing file switched off by a comment).
 */
static const char fixture[] =
	"git init -q -b main repo && cd repo\n"
	"mkdir -p src docs\n"
	"seq -f 'app %g' 1 20 >src/app.py\n"
	"seq -f 'billing %g' 1 30 >src/billing.py\n"
	"seq -f 'auth %g' 1 20 >src/auth.py\n"
	"printf '# Readme\\n\\nNothing cited.\\n' >README.md\n"
	"cat >docs/AUDIT.md <<'EOF'\n"
	"# Audit\n"
	"Date: 2026-01-10\n"
	"\n"
	"### 1) Leak in app\n"
	"- Status: Open\n"
	"- Evidence: `src/app.py:5-8`\n"
	"\n"
	"### 2) Billing blocks\n"
	"- Status: Open\n"
	"- Evidence: `src/billing.py:10-12`\n"
	"\n"
	"### 3) Auth cookie\n"
	"- Status: Open\n"
	"- Evidence: `src/auth.py:3-4`\n"
	"\n"
	"### 4) Old thing\n"
	"- Status: Resolved\n"
	"- Evidence: `src/app.py:15`\n"
	"EOF\n"
	"git add -A\n"
	"commit 2026-01-10T12:00:00Z base\n"
	"id base\n"
	"cp docs/AUDIT.md ../AUDIT.base.md\n"
	/* The change, as a script: run here for head, and on a copy for the
	 * working tree. */
	"cat >../change.sh <<'EOF'\n"
	"sed -i 's/^app 6$/app six/' src/app.py\n"
	"sed -i 's/^billing 11$/billing eleven/' src/billing.py\n"
	"seq -f 'new %g' 1 5 >src/new.py\n"
	"sed -i -e '5s/Open/Resolved/' -e '13s/Open/Resolved/' docs/AUDIT.md\n"
	"cat >>docs/AUDIT.md <<'EOM'\n"
	"\n"
	"### 5) New problem\n"
	"- Status: Open\n"
	"- Evidence: `src/new.py:1-3`, `src/gone.py:1`, `src/app.py:100`\n"
	"\n"
	"### 6) Known gap\n"
	"- Status: Open\n"
	"<!-- auditmd-disable-next-line citation-missing -->\n"
	"- Evidence: `src/later.py:1`\n"
	"EOM\n"
	"EOF\n"
	"cp -a . ../worktree\n"
	"sh ../change.sh\n"
	"git add -A\n"
	"commit 2026-01-20T12:00:00Z head\n"
	"id head\n";

static void setup(void)
{
	test_fixture_build(&fx, fixture);
}

static void teardown(void)
{
	test_fixture_free(&fx);
}

static am_check *run_check(const char *repo, const char *base, const char *head, int worktree,
			   const char *audit, const am_vocab *vocab)
{
	am_check_options o = AM_CHECK_OPTIONS_INIT;
	const char *audits[1] = { audit };
	am_check *c = NULL;
	o.repo = repo;
	o.base = base;
	o.head = head;
	o.worktree = worktree;
	o.vocab = vocab;
	if (audit) {
		o.audits = audits;
		o.naudits = 1;
	}
	ck_assert_msg(am_check_run(&c, &o) == 0, "%s", am_error_last());
	return c;
}

/* "kind finding path:start-end;" for each item, in order. */
static void describe(am_buf *b, const am_check *c)
{
	am_buf_clear(b);
	for (size_t i = 0; i < c->nitems; i++) {
		const am_check_item *it = &c->items[i];
		const char *path = it->citation ? it->citation->path : it->path;
		uint32_t s = it->kind == AM_CHECK_BROKEN ? it->citation->start : it->start;
		am_buf_printf(b, "%s %s %s:%u", am_check_kind_name(it->kind), it->finding->id, path, s);
		if (it->kind == AM_CHECK_BROKEN)
			am_buf_printf(b, " %s", am_verify_state_name(it->result->state));
		if (it->kind == AM_CHECK_TOUCHED)
			am_buf_printf(b, " at %s:%u", it->head_path, it->head_line);
		am_buf_puts(b, ";");
	}
}

/* The audit's path as the working tree names it. */
static char *audit_file(const char *repo, const char *path)
{
	am_buf b = AM_BUF_INIT;
	am_buf_printf(&b, "%s/%s", repo, path);
	return am_buf_detach(&b);
}

static const char expected[] =
	"touched F2 src/billing.py:10 at src/billing.py:11;"
	"unconfirmed F3 src/auth.py:3;"
	"broken F5 src/gone.py:1 missing;"
	"broken F5 src/app.py:100 out_of_range;";

/* The items of docs/AUDIT.md's check base..head, described, are `want`. */
static void expect_items(const char *base, const char *head, const char *want)
{
	char *file = audit_file(fx.repo.ptr, "docs/AUDIT.md");
	am_buf got = AM_BUF_INIT;
	am_check *c = run_check(fx.repo.ptr, base, head, 0, file, NULL);
	describe(&got, c);
	ck_assert_str_eq(am_buf_cstr(&got), want);
	am_check_free(c);
	am_buf_free(&got);
	free(file);
}

START_TEST(test_check_commits)
{
	char *file = audit_file(fx.repo.ptr, "docs/AUDIT.md");
	am_check *c = run_check(fx.repo.ptr, "HEAD~1", "HEAD", 0, file, NULL);
	am_buf got = AM_BUF_INIT;
	char *base = test_read_line(fx.dir, "ids/base"), *head = test_read_line(fx.dir, "ids/head");
	ck_assert_str_eq(c->base.commit, base);
	ck_assert_str_eq(c->head.commit, head);
	ck_assert_str_eq(c->base.date, "2026-01-10");
	ck_assert_uint_eq(c->naudits, 1);
	const am_check_audit *a = &c->audits[0];
	ck_assert_str_eq(a->path, "docs/AUDIT.md");
	ck_assert_str_eq(a->base_path, "docs/AUDIT.md");
	ck_assert_int_eq(a->change, AM_CHECK_AUDIT_EDITED);
	ck_assert_str_eq(a->base_as_of, base);
	/* Two status lines, and nine lines added at the end. */
	ck_assert_uint_eq(a->lines_changed, 11);
	describe(&got, c);
	ck_assert_str_eq(am_buf_cstr(&got), expected);
	ck_assert_uint_eq(c->counts[AM_CHECK_BROKEN], 2);
	ck_assert_uint_eq(c->counts[AM_CHECK_TOUCHED], 1);
	ck_assert_uint_eq(c->counts[AM_CHECK_UNCONFIRMED], 1);
	ck_assert_uint_eq(c->changes[AM_CHANGE_RESOLVED], 2);
	ck_assert_uint_eq(c->changes[AM_CHANGE_NEW], 2);
	ck_assert_uint_eq(c->changes[AM_CHANGE_OPEN], 1);
	ck_assert_uint_eq(c->changes[AM_CHANGE_CLOSED], 1);
	/* The citations the change wrote were checked, the switched-off one
	 * among them: 4 (new.py, gone.py, app.py:100, later.py). */
	ck_assert_ptr_nonnull(a->verify);
	ck_assert_uint_eq(a->verify->nresults, 4);
	ck_assert_uint_eq(a->verify->nsuppressed, 1);
	/* What fails: broken by default; a kind of change when asked. */
	ck_assert(am_check_fails(c, AM_CHECK_FAIL_KIND(AM_CHECK_BROKEN)));
	ck_assert(am_check_fails(c, AM_CHECK_FAIL_CHANGE(AM_CHANGE_NEW)));
	ck_assert(!am_check_fails(c, AM_CHECK_FAIL_CHANGE(AM_CHANGE_REGRESSED)));
	ck_assert(!am_check_fails(c, 0));
	/* Fingerprints do not depend on lines, and differ between results. */
	ck_assert_str_ne(c->items[2].fingerprint, c->items[3].fingerprint);
	am_check_free(c);
	/* The same change seen backwards: nothing cited was written. */
	c = run_check(fx.repo.ptr, "HEAD", "HEAD~1", 0, file, NULL);
	ck_assert_uint_eq(c->counts[AM_CHECK_BROKEN], 0);
	ck_assert_uint_eq(c->changes[AM_CHANGE_REGRESSED], 2);
	ck_assert_uint_eq(c->changes[AM_CHANGE_REMOVED], 2);
	am_check_free(c);
	/* No change: nothing to say. */
	c = run_check(fx.repo.ptr, "HEAD", "HEAD", 0, file, NULL);
	ck_assert_uint_eq(c->nitems, 0);
	ck_assert_int_eq(c->audits[0].change, AM_CHECK_AUDIT_UNCHANGED);
	ck_assert_ptr_eq(c->audits[0].base, c->audits[0].head);
	am_check_free(c);
	free(base);
	free(head);
	free(file);
	am_buf_free(&got);
}
END_TEST

/* The same change, uncommitted: the working tree is the head. */
START_TEST(test_check_worktree)
{
	am_buf wt = AM_BUF_INIT, got = AM_BUF_INIT;
	am_buf_printf(&wt, "%s/worktree", fx.dir);
	ck_assert_int_eq(test_sh(wt.ptr, "sh ../change.sh"), 0);
	char *file = audit_file(wt.ptr, "docs/AUDIT.md");
	am_check *c = run_check(wt.ptr, "HEAD", NULL, 1, file, NULL);
	ck_assert(c->worktree);
	describe(&got, c);
	ck_assert_str_eq(am_buf_cstr(&got), expected);
	am_check_free(c);
	free(file);
	am_buf_free(&wt);
	am_buf_free(&got);
}
END_TEST

/* A renamed and edited audit is compared with where it was. */
START_TEST(test_check_renamed_audit)
{
	ck_assert_int_eq(test_sh(fx.repo.ptr, "git mv docs/AUDIT.md docs/SECURITY.md && "
					      "sed -i 's/^- Evidence: `src\\/app.py:15`$/- Evidence: `src\\/app.py:16`/' docs/SECURITY.md && "
					      "git add -A && commit 2026-01-21T12:00:00Z rename"),
			 0);
	char *file = audit_file(fx.repo.ptr, "docs/SECURITY.md");
	am_check *c = run_check(fx.repo.ptr, "HEAD~1", "HEAD", 0, file, NULL);
	const am_check_audit *a = &c->audits[0];
	ck_assert_int_eq(a->change, AM_CHECK_AUDIT_RENAMED);
	ck_assert_str_eq(a->path, "docs/SECURITY.md");
	ck_assert_str_eq(a->base_path, "docs/AUDIT.md");
	ck_assert_uint_eq(a->lines_changed, 1);
	ck_assert_uint_eq(c->nitems, 0); /* app.py:16 holds */
	ck_assert_uint_eq(c->changes[AM_CHANGE_NEW] + c->changes[AM_CHANGE_REMOVED], 0);
	am_check_free(c);
	free(file);
}
END_TEST

/* A resolution whose code was edited after the audit said open, but
 * before the change that says resolved, is confirmed: no warning, and no
 * notice of an edit the change did not make. */
START_TEST(test_check_edited_before)
{
	ck_assert_int_eq(test_sh(fx.repo.ptr, "sed -i 's/^billing 12$/billing twelve/' src/billing.py && "
					      "git add -A && commit 2026-01-21T12:00:00Z code && "
					      "sed -i '9s/Open/Resolved/' docs/AUDIT.md && "
					      "git add -A && commit 2026-01-22T12:00:00Z resolved"),
			 0);
	char *file = audit_file(fx.repo.ptr, "docs/AUDIT.md");
	am_check *c = run_check(fx.repo.ptr, "HEAD~1", "HEAD", 0, file, NULL);
	ck_assert_uint_eq(c->changes[AM_CHANGE_RESOLVED], 1);
	ck_assert_uint_eq(c->nitems, 0);
	am_check_free(c);
	free(file);
	/* The code change alone: a notice for F2, whose lines it edits. */
	expect_items("HEAD~2", "HEAD~1", "touched F2 src/billing.py:10 at src/billing.py:12;");
}
END_TEST

/* A cited file renamed after the audit said open, then edited by the
 * change: the edit is found where the file went (the change's diff made
 * ahead holds the cited paths; the one it went to is diffed after). */
START_TEST(test_check_followed_elsewhere)
{
	ck_assert_int_eq(test_sh(fx.repo.ptr, "git mv src/billing.py src/pay.py && "
					      "git add -A && commit 2026-01-21T12:00:00Z move && "
					      "sed -i '11s/.*/billing ELEVEN/' src/pay.py && "
					      "git add -A && commit 2026-01-22T12:00:00Z edit"),
			 0);
	expect_items("HEAD~1", "HEAD", "touched F2 src/billing.py:10 at src/pay.py:11;");
}
END_TEST

/* Without audits given: the configuration's list; else every Markdown
 * file that cites (README.md cites nothing). A given audit that is in
 * neither revision, or outside the working tree, is an error. */
START_TEST(test_check_which_audits)
{
	am_check *c = run_check(fx.repo.ptr, "HEAD~1", "HEAD", 0, NULL, NULL);
	ck_assert_uint_eq(c->naudits, 1);
	ck_assert_str_eq(c->audits[0].path, "docs/AUDIT.md");
	am_check_free(c);

	am_vocab *v = NULL;
	am_vocab_new(&v);
	ck_assert_int_eq(am_vocab_add_audit(v, "README.md"), 0);
	c = run_check(fx.repo.ptr, "HEAD~1", "HEAD", 0, NULL, v);
	ck_assert_uint_eq(c->naudits, 1);
	ck_assert_str_eq(c->audits[0].path, "README.md");
	ck_assert_int_eq(c->audits[0].change, AM_CHECK_AUDIT_UNCHANGED);
	am_check_free(c);
	am_vocab_free(v);

	am_check_options o = AM_CHECK_OPTIONS_INIT;
	char *missing = audit_file(fx.repo.ptr, "docs/NOPE.md");
	const char *audits[1] = { missing };
	o.repo = fx.repo.ptr;
	o.base = "HEAD~1";
	o.audits = audits;
	o.naudits = 1;
	ck_assert_int_eq(am_check_run(&c, &o), AM_ENOTFOUND);
	ck_assert_str_eq(am_error_last(), "docs/NOPE.md: no such audit at HEAD~1 nor at HEAD");
	audits[0] = "/etc/passwd";
	ck_assert_int_eq(am_check_run(&c, &o), AM_EUSAGE);
	ck_assert_str_eq(am_error_last(), "/etc/passwd: not a file of the repository's working tree");
	o.audits = NULL;
	o.naudits = 0;
	o.base = "nosuchrev";
	ck_assert_int_eq(am_check_run(&c, &o), AM_ENOTFOUND);
	o.base = NULL;
	ck_assert_int_eq(am_check_run(&c, &o), AM_EUSAGE);
	ck_assert_ptr_null(c);
	free(missing);
}
END_TEST

/*
 * Without audits given, check finds the audits `auditmd site` finds
 * (am_discover_audits) in the same tree: Markdown outside hidden
 * directories with a finding that cites evidence (not prose that cites,
 * not a finding without evidence), and the files the configuration's
 * patterns name.
 */
#define DISCOVER_AUDIT "# A\\n\\n### 1) Leak\\n- Status: Open\\n- Evidence: `src/a.py:1`\\n"
static const char discover_fixture[] =
	"git init -q -b main repo && cd repo\n"
	"mkdir -p docs audits .github src\n"
	"echo 'x = 1' >src/a.py\n"
	"git add -A && commit 2026-01-09T12:00:00Z 'code' && id d0\n"
	"printf '" DISCOVER_AUDIT "' >docs/AUDIT.md\n"
	"printf '" DISCOVER_AUDIT "' >audits/b.markdown\n"
	"printf '" DISCOVER_AUDIT "' >.github/x.md\n"
	"printf '# Readme\\n\\nSee `src/a.py:1`.\\n' >README.md\n"
	"printf '# Plan\\n\\n### 1) Later\\n- Status: Open\\n' >plan.md\n"
	"git add -A && commit 2026-01-10T12:00:00Z 'audits' && id d1\n"
	"echo '{\"audits\": [\"docs/*.md\", \"*.md\"]}' >../audits.json\n";

static int by_path(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The audits check finds (vocab: the configuration it is given) and
 * those site finds (the configuration in the tree), sorted, are `want`. */
static void same_audits(const char *repo, const am_vocab *vocab, const char *want)
{
	am_check *c = run_check(repo, "HEAD~1", "HEAD", 0, NULL, vocab);
	char **found = NULL;
	size_t n = 0;
	ck_assert_int_eq(am_discover_audits(&found, &n, repo, NULL), 0);
	const char **paths = am_xcalloc(c->naudits + 1, sizeof(char *));
	for (size_t i = 0; i < c->naudits; i++)
		paths[i] = c->audits[i].path;
	qsort(paths, c->naudits, sizeof(char *), by_path);
	am_buf got = AM_BUF_INIT, site = AM_BUF_INIT;
	for (size_t i = 0; i < c->naudits; i++)
		am_buf_printf(&got, "%s ", paths[i]);
	for (size_t i = 0; i < n; i++)
		am_buf_printf(&site, "%s ", found[i]);
	ck_assert_str_eq(am_buf_cstr(&got), want);
	ck_assert_str_eq(am_buf_cstr(&site), want);
	free(paths);
	am_buf_free(&got);
	am_buf_free(&site);
	am_discover_free(found, n);
	am_check_free(c);
}

START_TEST(test_check_discovers_as_site)
{
	test_fixture df;
	test_fixture_build(&df, discover_fixture);
	same_audits(df.repo.ptr, NULL, "audits/b.markdown docs/AUDIT.md ");
	/* The configuration's list, committed (site reads it from the tree)
	 * and given (as the command line loads it for check): a pattern
	 * names the files at head. */
	ck_assert_int_eq(test_sh(df.repo.ptr, "cp ../audits.json .auditmd.json && git add -A && "
					      "commit 2026-01-11T12:00:00Z config"),
			 0);
	size_t len;
	char *json = test_read(df.dir, "audits.json", &len);
	am_vocab *v = NULL;
	am_vocab_new(&v);
	ck_assert_int_eq(am_config_load(v, json, len, "audits.json"), 0);
	same_audits(df.repo.ptr, v, "README.md docs/AUDIT.md plan.md ");
	am_vocab_free(v);
	free(json);
	test_fixture_free(&df);
}
END_TEST

/* An audit added by the change: all its lines are new, each finding is. */
START_TEST(test_check_added_audit)
{
	ck_assert_int_eq(test_sh(fx.repo.ptr, "git mv docs/AUDIT.md AUDIT.md && "
					      "printf 'Other text.\\n' >docs/AUDIT.md && git add docs && "
					      "commit 2026-01-21T12:00:00Z move"),
			 0);
	char *file = audit_file(fx.repo.ptr, "AUDIT.md");
	am_check *c = run_check(fx.repo.ptr, "HEAD~1", "HEAD", 0, file, NULL);
	const am_check_audit *a = &c->audits[0];
	ck_assert_int_eq(a->change, AM_CHECK_AUDIT_ADDED);
	ck_assert_ptr_null(a->base_path);
	ck_assert_ptr_null(a->base);
	ck_assert_uint_eq(c->changes[AM_CHANGE_NEW], 6);
	ck_assert_uint_eq(c->counts[AM_CHECK_BROKEN], 2);
	am_check_free(c);
	free(file);
}
END_TEST

/* The options of a check of one audit in the fixture's repository. */
static am_check_options one_audit(const char **audits)
{
	am_check_options o = AM_CHECK_OPTIONS_INIT;
	o.repo = fx.repo.ptr;
	o.audits = audits;
	o.naudits = 1;
	return o;
}

/* The items of docs/AUDIT.md's check base..head on one thread and on two
 * (the change's diff made ahead), described, are `want` both times. */
static void expect_items_both_ways(const char *base, const char *head, const char *want)
{
	char *file = audit_file(fx.repo.ptr, "docs/AUDIT.md");
	const char *audits[1] = { file };
	am_check_options o = one_audit(audits);
	am_buf got = AM_BUF_INIT;
	o.base = base;
	o.head = head;
	for (unsigned threads = 1; threads <= 2; threads++) {
		am_check *c = NULL;
		o.threads = threads;
		ck_assert_msg(am_check_run(&c, &o) == 0, "%s", am_error_last());
		describe(&got, c);
		ck_assert_str_eq(am_buf_cstr(&got), want);
		am_check_free(c);
	}
	am_buf_free(&got);
	free(file);
}

/* Runs from base to head that fail over a limit, the error starting with
 * `named` and saying `says`. */
typedef struct {
	const char *base, *head, *named;
} failing_run;

static void expect_failing_runs(am_check_options *o, const failing_run *runs, size_t n, const char *says)
{
	for (size_t i = 0; i < n; i++) {
		am_check *c = NULL;
		o->base = runs[i].base;
		o->head = runs[i].head;
		am_error_clear();
		ck_assert_int_eq(am_check_run(&c, o), AM_ELIMIT);
		ck_assert_ptr_null(c);
		ck_assert_msg(!strncmp(am_error_last(), runs[i].named, strlen(runs[i].named)) &&
				      strstr(am_error_last(), says),
			      "%s..%s: %s", runs[i].base, runs[i].head, am_error_last());
	}
}

/* The two revisions are compiled one after the other, base first, head
 * from base's compile: either one's error is the check's, the head's
 * first, with its name. */
START_TEST(test_check_compile_errors)
{
	/* A table row of 200 cells: over the parser's limit. */
	ck_assert_int_eq(test_sh(fx.repo.ptr, "cp docs/AUDIT.md ../good.md && "
					      "{ printf '\\n| a | b |\\n|---|---|\\n'; "
					      "for i in $(seq 200); do printf '| x '; done; printf '|\\n'; } "
					      ">>docs/AUDIT.md && "
					      "git add -A && commit 2026-01-21T12:00:00Z wide && "
					      "cp ../good.md docs/AUDIT.md && git add -A && commit 2026-01-22T12:00:00Z narrow"),
			 0);
	char *file = audit_file(fx.repo.ptr, "docs/AUDIT.md");
	const char *audits[1] = { file };
	am_check_options o = one_audit(audits);
	static const failing_run runs[] = {
		{ "HEAD~1", "HEAD", "HEAD~1:docs/AUDIT.md:" }, /* the base's */
		{ "HEAD~2", "HEAD~1", "docs/AUDIT.md:" },      /* the head's */
		{ "HEAD~1", "HEAD~1", "docs/AUDIT.md:" },      /* both, the same */
	};
	expect_failing_runs(&o, runs, sizeof(runs) / sizeof(runs[0]), "more than 128 cells");
	free(file);
}
END_TEST

/* An audit's two revisions are read at once (base on a thread, through a
 * repository handle of its own): one over the size limit fails the run
 * naming that revision; when both are, head's is named, as when they were
 * read one after the other. */
START_TEST(test_check_read_errors)
{
	/* HEAD~2 big, HEAD~1 bigger, HEAD small again. */
	ck_assert_int_eq(test_sh(fx.repo.ptr, "cp docs/AUDIT.md ../small.md && seq -f 'filler line %g' 1 400 "
					      ">>docs/AUDIT.md && git add -A && commit 2026-01-21T12:00:00Z big && "
					      "git show HEAD:docs/AUDIT.md | wc -c >../big_size && "
					      "seq -f 'more filler %g' 1 50 >>docs/AUDIT.md && git add -A && "
					      "commit 2026-01-21T13:00:00Z bigger && "
					      "cp ../small.md docs/AUDIT.md && git add -A && "
					      "commit 2026-01-22T12:00:00Z small"),
			 0);
	char *file = audit_file(fx.repo.ptr, "docs/AUDIT.md");
	size_t len;
	char *text = test_read(fx.dir, "big_size", &len);
	const char *audits[1] = { file };
	am_check_options o = one_audit(audits);
	am_check *c = NULL;
	o.max_size = (size_t)strtoul(text, NULL, 10) - 1;
	free(text);
	static const failing_run runs[] = {
		{ "HEAD~2", "HEAD", "HEAD~2:docs/AUDIT.md: over the size limit" },   /* the base's */
		{ "HEAD~3", "HEAD~1", "HEAD~1:docs/AUDIT.md: over the size limit" }, /* the head's */
		{ "HEAD~2", "HEAD~1", "HEAD~1:docs/AUDIT.md: over the size limit" }, /* both: head's */
	};
	expect_failing_runs(&o, runs, sizeof(runs) / sizeof(runs[0]), "");
	/* Under the limit, the change from bigger to small reads as ever. */
	o.base = "HEAD~1";
	o.head = "HEAD";
	o.max_size = 0;
	ck_assert_msg(am_check_run(&c, &o) == 0, "%s", am_error_last());
	ck_assert_uint_eq(c->naudits, 1);
	ck_assert_int_eq(c->audits[0].change, AM_CHECK_AUDIT_EDITED);
	am_check_free(c);
	free(file);
}
END_TEST

/* Revision `rev` of docs/AUDIT.md compiled alone, as JSON. */
static char *compiled_alone(const char *rev, const char *source)
{
	am_buf cmd = AM_BUF_INIT;
	am_buf_printf(&cmd, "git show %s:docs/AUDIT.md >../alone.md", rev);
	ck_assert_int_eq(test_sh(fx.repo.ptr, cmd.ptr), 0);
	size_t len;
	char *text = test_read(fx.dir, "alone.md", &len), *json = NULL;
	am_compile_options co = AM_COMPILE_OPTIONS_INIT;
	am_report *r = NULL;
	co.source = source;
	ck_assert_int_eq(am_compile(&r, text, len, &co), 0);
	ck_assert_int_eq(am_report_to_json(&json, r, 0), 0);
	am_report_free(r);
	free(text);
	am_buf_free(&cmd);
	return json;
}

/* The check base..head of docs/AUDIT.md on `threads` threads: its two
 * reports are what each revision compiles to alone; whether head's
 * findings share base's strings (head compiled from base's compile)
 * is `shared`. */
static void expect_compiled(const char *base, const char *head, unsigned threads, bool shared)
{
	char *file = audit_file(fx.repo.ptr, "docs/AUDIT.md");
	const char *audits[1] = { file };
	am_check_options o = one_audit(audits);
	am_buf name = AM_BUF_INIT;
	am_check *c = NULL;
	char *got = NULL;
	o.base = base;
	o.head = head;
	o.threads = threads;
	ck_assert_msg(am_check_run(&c, &o) == 0, "%s", am_error_last());
	const am_check_audit *a = &c->audits[0];
	ck_assert_int_eq(a->change, AM_CHECK_AUDIT_EDITED);
	am_buf_printf(&name, "%s:docs/AUDIT.md", base);
	char *want = compiled_alone(base, name.ptr);
	ck_assert_int_eq(am_report_to_json(&got, a->base, 0), 0);
	ck_assert_str_eq(got, want);
	free(got);
	free(want);
	want = compiled_alone(head, "docs/AUDIT.md");
	ck_assert_int_eq(am_report_to_json(&got, a->head, 0), 0);
	ck_assert_str_eq(got, want);
	/* The first finding is the same text in both. */
	ck_assert_str_eq(a->head->findings[0].title, a->base->findings[0].title);
	ck_assert(shared == (a->head->findings[0].title == a->base->findings[0].title));
	free(got);
	free(want);
	am_check_free(c);
	am_buf_free(&name);
	free(file);
}

/* A large audit's head is compiled from base's compile when the change
 * kept most of its text (what the two share is taken, not compiled
 * again), and on its own when the change rewrote most of it: either way
 * each report is what its revision compiles to alone, with the diff
 * made ahead on a thread of its own and without. */
START_TEST(test_check_compiles_head_from_base)
{
	ck_assert_int_eq(test_sh(fx.repo.ptr,
				 "for i in $(seq 5 400); do printf '\n### %d) Finding %d\n- Status: Open\n"
				 "- Evidence: `src/app.py:%d`\n' $i $i $((i % 20 + 1)); done >>docs/AUDIT.md && "
				 "git add -A && commit 2026-01-21T12:00:00Z many && "
				 "sed -i -e '/^### 7)/,/Status/s/Open/Resolved/' -e '/^### 300)/,/Status/s/Open/Resolved/' "
				 "docs/AUDIT.md && git add -A && commit 2026-01-22T12:00:00Z resolved && "
				 "sed -i -e 's/Finding/Issue/' -e 's/Status: Open/Status: In progress/' "
				 "-e 's|src/app.py:|src/auth.py:|' docs/AUDIT.md && "
				 "git add -A && commit 2026-01-23T12:00:00Z rewritten"),
			 0);
	for (unsigned threads = 1; threads <= 2; threads++) {
		expect_compiled("HEAD~2", "HEAD~1", threads, true);
		expect_compiled("HEAD~1", "HEAD", threads, false);
	}
	/* Two findings resolved without their code edited. */
	expect_items("HEAD~2", "HEAD~1", "unconfirmed F7 src/app.py:8;unconfirmed F300 src/app.py:1;");
}
END_TEST

/* A cited path that the audit's text writes otherwise than its citation
 * reads (a Markdown escape) is located at base and followed through the
 * change all the same, with the diff made ahead and without. */
START_TEST(test_check_escaped_path)
{
	ck_assert_int_eq(test_sh(fx.repo.ptr,
				 "seq -f 'pay %g' 1 30 >src/pay_day.py && "
				 "printf '\n### 7) Payday\n- Status: Open\n- Evidence: src/pay\\_day.py:10-12\n' "
				 ">>docs/AUDIT.md && git add -A && commit 2026-01-21T12:00:00Z payday && "
				 "sed -i 's/^pay 11$/pay eleven/' src/pay_day.py && "
				 "git add -A && commit 2026-01-22T12:00:00Z edit"),
			 0);
	expect_items_both_ways("HEAD~1", "HEAD", "touched F7 src/pay_day.py:10 at src/pay_day.py:11;");
}
END_TEST

/* A base revision the compiler normalises (CRLF line ends) is read for
 * its cited paths as the compiler reads it; one it rejects (not UTF-8)
 * fails the run as compiling it says, with the diff made ahead and
 * without. */
START_TEST(test_check_base_as_compiled)
{
	ck_assert_int_eq(test_sh(fx.repo.ptr,
				 "sed -i 's/$/\r/' docs/AUDIT.md && git add -A && commit 2026-01-21T12:00:00Z crlf && "
				 "sed -i 's/^billing 12$/billing twelve/' src/billing.py && "
				 "sed -i 's/^### 2) Billing blocks/### 2) Billing blocks calls/' docs/AUDIT.md && "
				 "git add -A && commit 2026-01-22T12:00:00Z edit && "
				 "cp docs/AUDIT.md ../good.md && printf '\n### 7) Caf\351\n- Status: Open\n' >>docs/AUDIT.md && "
				 "git add -A && commit 2026-01-23T12:00:00Z latin1 && "
				 "sed -i 's/^billing 13$/billing thirteen/' src/billing.py && "
				 "cp ../good.md docs/AUDIT.md && git add -A && commit 2026-01-24T12:00:00Z fixed"),
			 0);
	expect_items_both_ways("HEAD~3", "HEAD~2", "touched F2 src/billing.py:10 at src/billing.py:12;");
	char *file = audit_file(fx.repo.ptr, "docs/AUDIT.md");
	const char *audits[1] = { file };
	am_check_options o = one_audit(audits);
	o.base = "HEAD~1";
	o.head = "HEAD";
	for (unsigned threads = 1; threads <= 2; threads++) {
		am_check *c = NULL;
		o.threads = threads;
		am_error_clear();
		ck_assert_int_eq(am_check_run(&c, &o), AM_EPARSE);
		ck_assert_ptr_null(c);
		ck_assert_msg(!strncmp(am_error_last(), "HEAD~1:docs/AUDIT.md:", 21) &&
				      strstr(am_error_last(), "UTF-8"),
			      "%s", am_error_last());
	}
	free(file);
}
END_TEST

START_TEST(test_check_names)
{
	ck_assert_str_eq(am_check_kind_name(AM_CHECK_TOUCHED), "touched");
	ck_assert_str_eq(am_check_audit_change_name(AM_CHECK_AUDIT_RENAMED), "renamed");
	ck_assert_uint_eq(AM_CHECK_FAIL_CHANGE(AM_CHANGE_REGRESSED), 1u << 3);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("check");
	TCase *tc = tcase_create("check");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_check_commits);
	tcase_add_test(tc, test_check_worktree);
	tcase_add_test(tc, test_check_renamed_audit);
	tcase_add_test(tc, test_check_followed_elsewhere);
	tcase_add_test(tc, test_check_edited_before);
	tcase_add_test(tc, test_check_which_audits);
	tcase_add_test(tc, test_check_discovers_as_site);
	tcase_add_test(tc, test_check_added_audit);
	tcase_add_test(tc, test_check_compile_errors);
	tcase_add_test(tc, test_check_read_errors);
	tcase_add_test(tc, test_check_compiles_head_from_base);
	tcase_add_test(tc, test_check_escaped_path);
	tcase_add_test(tc, test_check_base_as_compiled);
	tcase_add_test(tc, test_check_names);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
