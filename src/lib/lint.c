/*
 * lint.c: rules about an audit's own quality. The compiler's diagnostics
 * are rules too; the verifier's states join in when a verification is given.
 */
#include "auditmd/lint.h"

#include <stdio.h>
#include <string.h>

#include "cite.h"
#include "util.h"
#include "verify_int.h"
#include "vocab.h"

struct am_lint_private {
	struct am_arena *arena;
};

static const am_lint_rule rules[] = {
	{ "duplicate-id", AM_DIAG_ERROR, "Two findings use the same explicit ID." },
	{ "duplicate-title", AM_DIAG_WARNING, "Two findings have the same title." },
	{ "malformed-citation", AM_DIAG_ERROR, "A citation's line numbers are zero, reversed or missing." },
	{ "no-evidence", AM_DIAG_WARNING, "An open finding cites no file:line evidence." },
	{ "resolved-without-evidence", AM_DIAG_WARNING,
	  "A resolved finding cites nothing and names no commit, pull request or fix." },
	{ "status-conflict", AM_DIAG_WARNING,
	  "Two statuses of one finding disagree (heading and Status field, or a table row)." },
	{ "unknown-status", AM_DIAG_WARNING,
	  "A finding's status words map to no status (add them to the vocabulary in .auditmd.json)." },
	{ "summary-mismatch", AM_DIAG_WARNING,
	  "The audit's own count table disagrees with the findings it contains." },
	{ "no-date", AM_DIAG_WARNING, "The audit has no date." },
	{ "bad-date", AM_DIAG_WARNING, "The audit's date field cannot be read as a date." },
	{ "open-subtask", AM_DIAG_WARNING, "A resolved finding still has open checklist items." },
	{ "mojibake", AM_DIAG_WARNING, "Mis-decoded characters were repaired." },
	{ "too-many-citations", AM_DIAG_WARNING, "A finding has more citations than the limit." },
	{ "citation-missing", AM_DIAG_ERROR, "A cited file does not exist." },
	{ "citation-out_of_range", AM_DIAG_ERROR, "Cited lines are past the end of the file." },
	{ "citation-outside_repo", AM_DIAG_ERROR, "A citation points outside the repository." },
	{ "citation-deleted", AM_DIAG_ERROR, "The cited lines are gone." },
	{ "citation-changed", AM_DIAG_WARNING, "The cited lines were edited since the audit." },
	{ "citation-moved", AM_DIAG_WARNING, "The cited lines moved." },
	{ "citation-renamed", AM_DIAG_WARNING, "The cited file was renamed." },
	{ "citation-not_text", AM_DIAG_WARNING, "A cited file is binary." },
	{ "citation-ambiguous", AM_DIAG_WARNING, "A partial path matches several files." },
	{ "citation-symlink", AM_DIAG_WARNING, "A cited path is a symbolic link." },
	{ "citation-not_file", AM_DIAG_WARNING, "A cited path is a directory, a submodule, a FIFO or a device." },
	{ "citation-too_large", AM_DIAG_WARNING, "A cited file is over the size limit." },
	{ "citation-malformed", AM_DIAG_WARNING, "A citation's line numbers cannot be read." },
	{ "citation-symbol_missing", AM_DIAG_WARNING, "None of the finding's symbols is in the cited lines." },
	{ "citation-unconfirmed", AM_DIAG_WARNING, "Resolved, but the cited code did not change." },
	{ NULL, 0, NULL },
};

const am_lint_rule *am_lint_rules(void)
{
	return rules;
}

static const am_lint_rule *rule_of(const char *id)
{
	for (const am_lint_rule *r = rules; r->id; r++)
		if (!strcmp(r->id, id))
			return r;
	return NULL;
}

/* Switches from the audit's comments: per line, or for the whole file. */
typedef struct {
	uint32_t line;   /* 0: the whole file */
	const char *rules; /* space-separated ids; "" for every rule */
} switch_off;

typedef struct {
	struct am_arena *arena;
	const am_lint_options *o;
	am_lint_issue *issues;
	size_t n, cap;
	switch_off *offs;
	size_t noffs, capoffs;
	size_t suppressed;
} lctx;

static bool ids_have(const char *ids, const char *rule)
{
	if (!*ids)
		return true;
	size_t rl = strlen(rule);
	for (const char *p = ids; *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		const char *e = p;
		while (*e && *e != ' ' && *e != ',')
			e++;
		if ((size_t)(e - p) == rl && !memcmp(p, rule, rl))
			return true;
		p = e;
	}
	return false;
}

static bool switched_off(const lctx *c, const char *rule, uint32_t line)
{
	if (c->o->vocab && !am_vocab_rule_enabled(c->o->vocab, rule))
		return true;
	for (size_t i = 0; i < c->noffs; i++)
		if ((c->offs[i].line == 0 || c->offs[i].line == line) && ids_have(c->offs[i].rules, rule))
			return true;
	return false;
}

static void issue(lctx *c, const char *rule, am_diag_severity sev, uint32_t line, uint32_t col,
		  const char *finding, const char *fmt, ...) AM_PRINTF(7, 8);

static void issue(lctx *c, const char *rule, am_diag_severity sev, uint32_t line, uint32_t col,
		  const char *finding, const char *fmt, ...)
{
	if (switched_off(c, rule, line)) {
		c->suppressed++;
		return;
	}
	char text[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	am_utf8_trim(text);
	am_grow((void **)&c->issues, &c->cap, c->n + 1, sizeof(am_lint_issue));
	am_lint_issue *is = &c->issues[c->n++];
	is->rule = rule;
	is->severity = sev;
	is->line = line ? line : 1;
	is->column = col ? col : 1;
	is->finding = finding;
	is->text = am_arena_strdup(c->arena, text);
	is->baseline = AM_BASELINE_NONE;
	am_fingerprint(is->fingerprint, rule, finding ? finding : "", is->text);
}

/* "<!-- auditmd-disable-next-line a b -->" and its siblings. */
static void read_switches(lctx *c)
{
	const char *s = c->o->text, *end = s ? s + c->o->len : NULL, *counted = s;
	uint32_t line = 1;
	/* From comment to comment; the lines between counted at once. */
	for (const char *p = s; p && p < end; p += 4) {
		if (!(p = memmem(p, (size_t)(end - p), "<!--", 4)))
			break;
		line += am_count_lines(counted, (size_t)(p - counted)) -
			(p > counted && p[-1] != '\n'); /* newlines, not lines */
		counted = p;
		const char *q = p + 4;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		static const struct {
			const char *word;
			int where; /* 1 next line, 0 this line, -1 file */
		} kinds[] = { { "auditmd-disable-next-line", 1 }, { "auditmd-disable-line", 0 },
			      { "auditmd-disable", -1 } };
		for (size_t k = 0; k < 3; k++) {
			size_t wl = strlen(kinds[k].word);
			if ((size_t)(end - q) < wl || memcmp(q, kinds[k].word, wl) ||
			    (q + wl < end && q[wl] != ' ' && q[wl] != '\t' && q[wl] != '-'))
				continue;
			const char *ids = q + wl, *close = NULL;
			for (const char *r = ids; r + 3 <= end; r++) {
				if (*r == '\n')
					break;
				if (!memcmp(r, "-->", 3)) {
					close = r;
					break;
				}
			}
			if (!close)
				break;
			am_span span = am_span_trim((am_span){ ids, (size_t)(close - ids) });
			am_grow((void **)&c->offs, &c->capoffs, c->noffs + 1, sizeof(switch_off));
			c->offs[c->noffs].line = kinds[k].where < 0 ? 0 : line + (uint32_t)kinds[k].where;
			c->offs[c->noffs].rules = am_arena_strndup(c->arena, span.ptr, span.len);
			c->noffs++;
			break;
		}
	}
}

/* Findings by line, to find the one a diagnostic is about. */
typedef struct {
	uint32_t line;
	size_t index;
} line_entry;

static int by_line(const void *a, const void *b)
{
	const line_entry *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static const am_finding *finding_at(const am_report *r, const line_entry *lines, uint32_t line)
{
	size_t lo = 0, hi = r->nfindings;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (lines[mid].line < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->nfindings && lines[lo].line == line ? &r->findings[lines[lo].index] : NULL;
}

/* The status a title's suffix states: "(Resolved)", "[WONTFIX]", "- FIXED ✅". */
static am_status title_status(am_vocab_matcher *m, const char *title)
{
	size_t len = strlen(title);
	while (len && (title[len - 1] == ' ' || title[len - 1] == '.'))
		len--;
	if (!len)
		return AM_STATUS_UNKNOWN;
	size_t from = len;
	char close = title[len - 1];
	if (close == ')' || close == ']') {
		char open = close == ')' ? '(' : '[';
		while (from > 0 && title[from - 1] != open)
			from--;
		if (!from)
			return AM_STATUS_UNKNOWN;
	} else {
		const char *dash = NULL;
		for (const char *p = title; p + 3 <= title + len; p++)
			if (!memcmp(p, " - ", 3) || (p + 5 <= title + len && !memcmp(p, " \xe2\x80\x94 ", 5)))
				dash = p;
		if (!dash)
			return AM_STATUS_UNKNOWN;
		from = (size_t)(dash - title) + 1;
	}
	return am_vocab__status(m, title + from, len - from, NULL, NULL);
}

static bool names_a_fix(const am_finding *f)
{
	static const char *const words[] = { "fix", "resolution", "resolved", "commit", "pull request",
					     "pr", "verification", "verified", "patch", "remediation" };
	for (size_t i = 0; i < f->nfields; i++)
		for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++)
			if (am_span_ieq(am_span_from(f->fields[i].name), am_span_from(words[k])) ||
			    (strlen(words[k]) > 2 && strcasestr(f->fields[i].name, words[k]) == f->fields[i].name))
				return true;
	/* "Fixed in a1b2c3d", "Resolved by #123": a commit or a pull request. */
	const char *s = f->status_text ? f->status_text : "";
	for (const char *p = s; *p; p++) {
		if (*p == '#' && am_isdigit((unsigned char)p[1]))
			return true;
		size_t hex = 0;
		while (strchr("0123456789abcdef", p[hex]) && p[hex])
			hex++;
		if (hex >= 7 && (p == s || !am_isalnum((unsigned char)p[-1])))
			return true;
	}
	return false;
}

static void check_findings(lctx *c, const am_report *r, am_vocab_matcher *m)
{
	am_strmap titles, ids;
	size_t k;
	am_strmap_init(&titles, r->nfindings);
	am_strmap_init(&ids, r->nfindings);
	for (size_t i = 0; i < r->nfindings; i++)
		am_strmap_put(&ids, r->findings[i].id, i);
	for (size_t i = 0; i < r->nfindings; i++) {
		const am_finding *f = &r->findings[i];
		/* Duplicated titles: the second one is reported. */
		if (f->norm_title && f->norm_title[0]) {
			if (am_strmap_get(&titles, f->norm_title, &k))
				issue(c, "duplicate-title", AM_DIAG_WARNING, f->line, f->column, f->id,
				      "finding '%s' has the title of %s on line %u", f->title,
				      r->findings[k].id, r->findings[k].line);
			else
				am_strmap_put(&titles, f->norm_title, i);
		}
		/* A status in the heading that the finding's status contradicts. */
		am_status ts = title_status(m, f->title);
		if (ts != AM_STATUS_UNKNOWN && f->status != AM_STATUS_UNKNOWN &&
		    am_status_is_closed(ts) != am_status_is_closed(f->status))
			issue(c, "status-conflict", AM_DIAG_WARNING, f->line, f->column, f->id,
			      "the heading of '%s' says %s but its status is '%s' (%s)", f->title,
			      am_status_name(ts), f->status_text ? f->status_text : "", am_status_name(f->status));
		if (f->status == AM_STATUS_UNKNOWN) {
			char word[64];
			snprintf(word, sizeof(word), "%s", f->status_text ? f->status_text : "");
			am_utf8_trim(word);
			issue(c, "unknown-status", AM_DIAG_WARNING, f->line, f->column, f->id,
			      "the status of '%s' is '%s', which maps to no status; map it in .auditmd.json, "
			      "e.g. {\"vocabulary\": {\"resolved\": [\"%s\"]}} (or open, in_progress, wontfix)",
			      f->title, word, word);
		}
		if (f->status == AM_STATUS_RESOLVED && !f->ncitations && !names_a_fix(f))
			issue(c, "resolved-without-evidence", AM_DIAG_WARNING, f->line, f->column, f->id,
			      "finding '%s' is resolved but cites nothing and names no fix, commit or pull request",
			      f->title);
		if (f->status == AM_STATUS_RESOLVED && f->ntasks > f->ntasks_done)
			issue(c, "open-subtask", AM_DIAG_WARNING, f->line, f->column, f->id,
			      "finding '%s' is resolved but %u of its %u checklist items are open", f->title,
			      f->ntasks - f->ntasks_done, f->ntasks);
		if (f->parent && !am_status_is_closed(f->status) && am_strmap_get(&ids, f->parent, &k) &&
		    r->findings[k].status == AM_STATUS_RESOLVED)
			issue(c, "open-subtask", AM_DIAG_WARNING, f->line, f->column, f->id,
			      "'%s' is still open under the resolved '%s'", f->title, r->findings[k].title);
	}
	am_strmap_free(&titles);
	am_strmap_free(&ids);
}

/* What the findings give for a summary row: all of them (a total row) or
 * those of its level, and how many of those are closed and open. */
static void count_findings(const am_report *r, const am_summary_row *row, long *total, long *closed,
			   long *open)
{
	*total = *closed = *open = 0;
	for (size_t i = 0; i < r->nfindings; i++) {
		const am_finding *f = &r->findings[i];
		if (!row->is_total && f->severity != row->severity)
			continue;
		if (row->is_total && !f->severity && r->nsummary > 1)
			continue; /* a total of levels counts the findings that have one */
		(*total)++;
		if (am_status_is_closed(f->status))
			(*closed)++;
		else
			(*open)++;
	}
}

/* The audit's count table ("| High | 12 | 9 | 3 |") against its findings.
 * Only when the findings carry levels at all (else the table counts what
 * the compiler cannot see), one warning per disagreeing count. */
static void check_summary(lctx *c, const am_report *r)
{
	bool levels = false;
	for (size_t i = 0; i < r->nfindings && !levels; i++)
		levels = r->findings[i].severity != AM_SEVERITY_NONE;
	if (!levels)
		return;
	for (size_t i = 0; i < r->nsummary; i++) {
		const am_summary_row *row = &r->summary[i];
		const long want[3] = { row->total, row->closed, row->open };
		static const char *const what[] = { "findings", "closed", "open" };
		long got[3];
		count_findings(r, row, &got[0], &got[1], &got[2]);
		for (int k = 0; k < 3; k++)
			if (want[k] >= 0 && want[k] != got[k])
				issue(c, "summary-mismatch", AM_DIAG_WARNING, row->line, row->column, NULL,
				      "the summary row '%s' says %ld %s; the findings give %ld", row->label,
				      want[k], what[k], got[k]);
	}
}

static void check_date(lctx *c, const am_report *r, const am_vocab *vocab)
{
	if (r->date)
		return;
	for (size_t i = 0; i < r->nmetadata; i++) {
		const am_field *fl = &r->metadata[i];
		if (am_vocab__has(vocab, AM_VOCAB_DATE_FIELDS, am_span_from(fl->name))) {
			issue(c, "bad-date", AM_DIAG_WARNING, fl->line, 1, NULL,
			      "'%s: %s' is not a date auditmd can read (YYYY-MM-DD, 'January 15, 2026', ...)",
			      fl->name, fl->value);
			return;
		}
	}
	issue(c, "no-date", AM_DIAG_WARNING, 1, 1, NULL,
	      "the audit has no date (a 'Date:' line), so its revisions cannot be placed in time");
}

static void check_diags(lctx *c, const am_report *r)
{
	line_entry *lines = am_xmalloc((r->nfindings + 1) * sizeof(line_entry));
	for (size_t i = 0; i < r->nfindings; i++)
		lines[i] = (line_entry){ r->findings[i].line, i };
	if (r->nfindings)
		qsort(lines, r->nfindings, sizeof(line_entry), by_line);
	for (size_t i = 0; i < r->ndiags; i++) {
		const am_diag *d = &r->diags[i];
		const am_lint_rule *rule = rule_of(d->code);
		if (!rule)
			continue;
		const am_finding *f = finding_at(r, lines, d->line);
		/* A closed finding needs evidence of its fix, not of its problem. */
		if (!strcmp(d->code, "no-evidence") && f && am_status_is_closed(f->status))
			continue;
		issue(c, rule->id, rule->severity, d->line, d->column, f ? f->id : NULL, "%s", d->text);
	}
	free(lines);
}

/* The verification's problems at their level (am_verify_problems): a
 * note stays a note. */
static void check_verify(lctx *c, const am_verify *v)
{
	static const am_diag_severity severity[] = { [AM_LEVEL_NOTE] = AM_DIAG_NOTE,
						      [AM_LEVEL_WARNING] = AM_DIAG_WARNING,
						      [AM_LEVEL_ERROR] = AM_DIAG_ERROR };
	am_verify_problem p[AM_VERIFY_MAX_PROBLEMS];
	am_buf text = AM_BUF_INIT;
	for (size_t i = 0; i < v->nresults; i++) {
		const am_verify_result *res = &v->results[i];
		const am_citation *ci = res->citation;
		size_t n = am_verify_problems(p, v, res);
		for (size_t k = 0; k < n; k++) {
			char id[48];
			snprintf(id, sizeof(id), "citation-%s", p[k].rule);
			const am_lint_rule *rule = rule_of(id);
			/* malformed: the compiler's malformed-citation says it. */
			if (!rule || (!p[k].warning && res->state == AM_VERIFY_MALFORMED))
				continue;
			am_buf_clear(&text);
			am_cite__spec(&text, ci->path, ci->start, ci->end);
			am_buf_puts(&text, ": ");
			am_verify__problem_text(&text, &p[k]);
			issue(c, rule->id, severity[p[k].level], ci->line, ci->column, res->finding->id, "%s",
			      am_buf_cstr(&text));
		}
	}
	am_buf_free(&text);
}

int am_lint_suppress(am_verify *v, const am_lint_options *opts)
{
	if (!opts || opts->version != AM_LINT_OPTIONS_VERSION) {
		am_error_set("am_lint_suppress: unsupported options version %u", opts ? opts->version : 0);
		return AM_EUSAGE;
	}
	lctx c = { 0 };
	c.arena = am_arena_new();
	c.o = opts;
	read_switches(&c);
	for (size_t i = 0; i < v->nresults; i++) {
		am_verify_result *r = &v->results[i];
		char id[48];
		if (r->state != AM_VERIFY_OK && !r->state_suppressed) {
			snprintf(id, sizeof(id), "citation-%s", am_verify_state_name(r->state));
			if (switched_off(&c, id, r->citation->line)) {
				r->state_suppressed = 1;
				v->nsuppressed++;
			}
		}
		for (unsigned b = 0; b < AM_VERIFY_WARN__COUNT; b++) {
			if (!(r->warnings & (1u << b)))
				continue;
			snprintf(id, sizeof(id), "citation-%s", am_verify_warning_name(1u << b));
			if (switched_off(&c, id, r->citation->line)) {
				r->warnings &= ~(1u << b);
				r->warnings_suppressed |= 1u << b;
				v->warning_counts[b]--;
				v->nsuppressed++;
			}
		}
	}
	free(c.offs);
	am_arena_free(c.arena);
	return 0;
}

static int by_position(const void *a, const void *b)
{
	const am_lint_issue *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->column != y->column)
		return x->column < y->column ? -1 : 1;
	return strcmp(x->rule, y->rule);
}

int am_lint_run(am_lint **out, const am_report *report, const am_lint_options *opts)
{
	am_lint_options defaults = AM_LINT_OPTIONS_INIT;
	const am_lint_options *o = opts ? opts : &defaults;
	am_vocab *own = NULL;
	const am_vocab *vocab = o->vocab;
	am_vocab_matcher m;
	int rc;

	*out = NULL;
	if (opts && opts->version != AM_LINT_OPTIONS_VERSION) {
		am_error_set("am_lint_run: unsupported options version %u", opts->version);
		return AM_EUSAGE;
	}
	if (!vocab) {
		am_vocab_new(&own);
		vocab = own;
	}
	if ((rc = am_vocab__matcher_init(&m, vocab)) < 0) {
		am_vocab_free(own);
		return rc;
	}
	am_lint *l = am_xcalloc(1, sizeof(*l));
	l->priv = am_xcalloc(1, sizeof(*l->priv));
	l->priv->arena = am_arena_new();
	l->report = report;
	lctx c = { 0 };
	c.arena = l->priv->arena;
	c.o = o;
	read_switches(&c);
	check_diags(&c, report);
	check_findings(&c, report, &m);
	check_summary(&c, report);
	check_date(&c, report, vocab);
	if (o->verify)
		check_verify(&c, o->verify);
	if (c.n)
		qsort(c.issues, c.n, sizeof(*c.issues), by_position);
	l->issues = c.issues;
	l->nissues = c.n;
	l->nsuppressed = c.suppressed;
	for (size_t i = 0; i < c.n; i++) {
		if (c.issues[i].severity == AM_DIAG_ERROR)
			l->nerrors++;
		else if (c.issues[i].severity == AM_DIAG_NOTE)
			l->nnotes++;
		else
			l->nwarnings++;
	}
	free(c.offs);
	am_vocab__matcher_free(&m);
	am_vocab_free(own);
	*out = l;
	return 0;
}

void am_lint_tally(am_tally *out, const am_lint *l)
{
	memset(out, 0, sizeof(*out));
	out->suppressed = l->nsuppressed;
	out->absent = l->baseline_absent;
	for (size_t i = 0; i < l->nissues; i++) {
		const am_lint_issue *is = &l->issues[i];
		bool unchanged = is->baseline == AM_BASELINE_UNCHANGED;
		out->unchanged += unchanged;
		if (is->severity == AM_DIAG_ERROR) {
			out->errors++;
			out->new_errors += !unchanged;
		} else if (is->severity == AM_DIAG_NOTE) {
			out->notes++;
		} else {
			out->warnings++;
			out->new_warnings += !unchanged;
		}
	}
}

void am_lint_free(am_lint *l)
{
	if (!l)
		return;
	free(l->issues);
	if (l->priv)
		am_arena_free(l->priv->arena);
	free(l->priv);
	free(l);
}
