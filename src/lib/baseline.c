/*
 * baseline.c: fingerprints of an earlier run, read from its JSON or SARIF,
 * and the problems of a run marked unchanged when the baseline holds them.
 *
 * The baseline is a multiset: a fingerprint it holds twice makes the first
 * two problems of that fingerprint unchanged and a third one new, so a
 * second citation of the same file by the same finding in the same state
 * is still noticed.
 */
#include "auditmd/baseline.h"

#include <stddef.h>
#include <string.h>

#include "json_int.h"
#include "util.h"
#include "verify_int.h"

struct am_baseline {
	am_baseline_kind kind;
	struct am_arena *arena; /* the fingerprints */
	am_strmap index;        /* fingerprint -> its slot in counts */
	size_t *counts;
	size_t nkeys, cap, total;
};

am_baseline *am_baseline_new(am_baseline_kind kind)
{
	am_baseline *b = am_xcalloc(1, sizeof(*b));
	b->kind = kind;
	b->arena = am_arena_new();
	am_strmap_init(&b->index, 64);
	return b;
}

void am_baseline_add(am_baseline *b, const char *fingerprint)
{
	size_t slot;
	if (!am_strmap_get(&b->index, fingerprint, &slot)) {
		am_grow((void **)&b->counts, &b->cap, b->nkeys + 1, sizeof(size_t));
		slot = b->nkeys++;
		b->counts[slot] = 0;
		am_strmap_put(&b->index, am_arena_strdup(b->arena, fingerprint), slot);
	}
	b->counts[slot]++;
	b->total++;
}

size_t am_baseline_count(const am_baseline *b, const char *fingerprint)
{
	size_t slot;
	return am_strmap_get(&b->index, fingerprint, &slot) ? b->counts[slot] : 0;
}

int am_baseline_has(const am_baseline *b, const char *fingerprint)
{
	return am_baseline_count(b, fingerprint) > 0;
}

size_t am_baseline_size(const am_baseline *b)
{
	return b->total;
}

am_baseline_kind am_baseline_kind_of(const am_baseline *b)
{
	return b->kind;
}

void am_baseline_free(am_baseline *b)
{
	if (!b)
		return;
	am_strmap_free(&b->index);
	free(b->counts);
	am_arena_free(b->arena);
	free(b);
}

/* ---- reading ------------------------------------------------------------------------ */

/* A string member, "" when absent or not a string. */
static const char *member(const struct json_t *object, const char *key)
{
	const char *s = am_json__str(am_json__get(object, key));
	return s ? s : "";
}

/* Whether the array `list` holds the string s. */
static bool list_has(const struct json_t *list, const char *s)
{
	for (size_t i = 0; i < am_json__size(list); i++) {
		const char *item = am_json__str(am_json__item(list, i));
		if (item && !strcmp(item, s))
			return true;
	}
	return false;
}

/* A fingerprint as the writers compute it, added. */
static void add_computed(am_baseline *b, const char *x, const char *y, const char *z)
{
	char fp[17];
	am_fingerprint(fp, x, y, z);
	am_baseline_add(b, fp);
}

/* results[] of a document of citations: problems[].fingerprint, or, for a
 * verify document written before the JSON had them, the fingerprints of
 * the state (not ok, not switched off) and of the warnings. */
static void read_results(am_baseline *b, const struct json_t *results)
{
	for (size_t i = 0; i < am_json__size(results); i++) {
		const struct json_t *r = am_json__item(results, i);
		const struct json_t *problems = am_json__get(r, "problems");
		if (am_json__kind(problems) == AM_JSON_ARRAY) {
			for (size_t k = 0; k < am_json__size(problems); k++) {
				const char *fp = member(am_json__item(problems, k), "fingerprint");
				if (*fp)
					am_baseline_add(b, fp);
			}
			continue;
		}
		const char *finding = member(r, "finding"), *path = member(r, "path");
		const char *state = member(r, "state");
		const struct json_t *warnings = am_json__get(r, "warnings");
		if (*state && strcmp(state, "ok") && !list_has(am_json__get(r, "suppressed"), state))
			add_computed(b, finding, path, state);
		for (size_t k = 0; k < am_json__size(warnings); k++) {
			const char *w = am_json__str(am_json__item(warnings, k));
			if (w)
				add_computed(b, finding, path, w);
		}
	}
}

/* issues[] of a lint document: their fingerprint, or one computed from
 * the rule, the finding and the text. */
static void read_issues(am_baseline *b, const struct json_t *issues)
{
	for (size_t i = 0; i < am_json__size(issues); i++) {
		const struct json_t *is = am_json__item(issues, i);
		const char *fp = member(is, "fingerprint");
		if (*fp)
			am_baseline_add(b, fp);
		else
			add_computed(b, member(is, "rule"), member(is, "finding"), member(is, "text"));
	}
}

/* results[] of a check document: their fingerprint. */
static void read_check(am_baseline *b, const struct json_t *results)
{
	for (size_t i = 0; i < am_json__size(results); i++) {
		const char *fp = member(am_json__item(results, i), "fingerprint");
		if (*fp)
			am_baseline_add(b, fp);
	}
}

/* The results of the runs of a SARIF log, by their auditmd fingerprints. */
static int read_sarif(am_baseline *b, const struct json_t *runs, const char *source)
{
	static const struct {
		const char *key;
		am_baseline_kind kind;
	} keys[] = { { "auditmdCitation/v1", AM_BASELINE_OF_CITATIONS },
		     { "auditmdLint/v1", AM_BASELINE_OF_LINT },
		     { "auditmdCheck/v1", AM_BASELINE_OF_CHECK } };
	size_t nresults = 0;
	for (size_t i = 0; i < am_json__size(runs); i++) {
		const struct json_t *results = am_json__get(am_json__item(runs, i), "results");
		for (size_t k = 0; k < am_json__size(results); k++) {
			const struct json_t *fps = am_json__get(am_json__item(results, k), "partialFingerprints");
			nresults++;
			for (size_t j = 0; j < sizeof(keys) / sizeof(keys[0]); j++) {
				const char *fp = am_json__str(am_json__get(fps, keys[j].key));
				if (!fp)
					continue;
				if (b->kind != AM_BASELINE_OF_NOTHING && b->kind != keys[j].kind) {
					am_error_set("%s: a SARIF log that mixes the results of several commands", source);
					return AM_EPARSE;
				}
				b->kind = keys[j].kind;
				am_baseline_add(b, fp);
			}
		}
	}
	if (nresults && !b->total) {
		am_error_set("%s: a SARIF log without auditmd's fingerprints (auditmdCitation/v1, "
			     "auditmdLint/v1, auditmdCheck/v1): not a baseline of auditmd",
			     source);
		return AM_EPARSE;
	}
	return 0;
}

int am_baseline_load(am_baseline **out, const char *text, size_t len, const char *source)
{
	struct json_t *doc = NULL;
	int rc;
	*out = NULL;
	if (!source)
		source = "baseline";
	if ((rc = am_json__load(&doc, text, len, source)) < 0)
		return rc;
	am_baseline *b = am_baseline_new(AM_BASELINE_OF_NOTHING);
	const char *schema = member(doc, "schema");
	const struct json_t *results = am_json__get(doc, "results"), *issues = am_json__get(doc, "issues");
	const struct json_t *runs = am_json__get(doc, "runs");
	bool ours = !strncmp(schema, "auditmd-", 8);
	if (!strncmp(schema, "auditmd-check/", 14) && am_json__kind(results) == AM_JSON_ARRAY) {
		b->kind = am_json__size(results) ? AM_BASELINE_OF_CHECK : AM_BASELINE_OF_NOTHING;
		read_check(b, results);
	} else if (ours && am_json__kind(results) == AM_JSON_ARRAY) {
		b->kind = am_json__size(results) ? AM_BASELINE_OF_CITATIONS : AM_BASELINE_OF_NOTHING;
		read_results(b, results);
	} else if (ours && am_json__kind(issues) == AM_JSON_ARRAY) {
		b->kind = am_json__size(issues) ? AM_BASELINE_OF_LINT : AM_BASELINE_OF_NOTHING;
		read_issues(b, issues);
	} else if (!strcmp(member(doc, "version"), "2.1.0") && am_json__kind(runs) == AM_JSON_ARRAY) {
		rc = read_sarif(b, runs, source);
	} else {
		am_error_set("%s: not a baseline: an earlier JSON (auditmd-verify/1, auditmd-lint/1, "
			     "auditmd-check/1) "
			     "or SARIF output of auditmd",
			     source);
		rc = AM_EPARSE;
	}
	am_json__free(doc);
	if (rc < 0) {
		am_baseline_free(b);
		return rc;
	}
	*out = b;
	return 0;
}

/* ---- applying ----------------------------------------------------------------------- */

/* Takes one occurrence of fingerprint from the baseline: true when there
 * was one left (used[] counts those taken, *taken all of them). */
static bool take(const am_baseline *b, size_t *used, size_t *taken, const char *fingerprint)
{
	size_t slot;
	if (!am_strmap_get(&b->index, fingerprint, &slot) || used[slot] >= b->counts[slot])
		return false;
	used[slot]++;
	(*taken)++;
	return true;
}

static int wrong_kind(const am_baseline *b, am_baseline_kind want)
{
	static const char *const what[] = { [AM_BASELINE_OF_CITATIONS] = "citations",
					    [AM_BASELINE_OF_LINT] = "lint issues",
					    [AM_BASELINE_OF_CHECK] = "check results" };
	if (b->kind == AM_BASELINE_OF_NOTHING || b->kind == want)
		return 0;
	am_error_set("a baseline of %s, not of %s", what[b->kind], what[want]);
	return AM_EUSAGE;
}

int am_baseline_apply(am_verify *v, const am_baseline *b)
{
	am_verify_problem p[AM_VERIFY_MAX_PROBLEMS];
	int rc;
	if ((rc = wrong_kind(b, AM_BASELINE_OF_CITATIONS)) < 0)
		return rc;
	size_t *used = am_xcalloc(b->nkeys ? b->nkeys : 1, sizeof(size_t)), taken = 0;
	v->baseline = 1;
	for (size_t i = 0; i < v->nresults; i++) {
		am_verify_result *r = &v->results[i];
		size_t n = am_verify_problems(p, v, r);
		r->unchanged = 0;
		for (size_t k = 0; k < n; k++)
			if (take(b, used, &taken, p[k].fingerprint))
				r->unchanged |= am_verify__unchanged_bit(p[k].warning);
	}
	v->baseline_absent = b->total - taken;
	free(used);
	return 0;
}

/* Marks each of n results (an array of `size`-byte elements, each with a
 * char[17] fingerprint at `fingerprint` and an am_baseline_state at
 * `state`) new or unchanged, lint issues and check results alike; returns
 * how many of the baseline's fingerprints no result took (absent). */
static size_t mark(const am_baseline *b, void *results, size_t n, size_t size, size_t fingerprint,
		   size_t state)
{
	size_t *used = am_xcalloc(b->nkeys ? b->nkeys : 1, sizeof(size_t)), taken = 0;
	for (size_t i = 0; i < n; i++) {
		char *r = (char *)results + i * size;
		*(am_baseline_state *)(r + state) = take(b, used, &taken, r + fingerprint) ? AM_BASELINE_UNCHANGED
											   : AM_BASELINE_NEW;
	}
	free(used);
	return b->total - taken;
}

int am_baseline_apply_lint(am_lint *l, const am_baseline *b)
{
	int rc;
	if ((rc = wrong_kind(b, AM_BASELINE_OF_LINT)) < 0)
		return rc;
	l->baseline = 1;
	l->baseline_absent = mark(b, l->issues, l->nissues, sizeof(am_lint_issue),
				  offsetof(am_lint_issue, fingerprint), offsetof(am_lint_issue, baseline));
	return 0;
}

int am_baseline_apply_check(am_check *c, const am_baseline *b)
{
	int rc;
	if ((rc = wrong_kind(b, AM_BASELINE_OF_CHECK)) < 0)
		return rc;
	c->baseline = 1;
	c->baseline_absent = mark(b, c->items, c->nitems, sizeof(am_check_item),
				  offsetof(am_check_item, fingerprint), offsetof(am_check_item, baseline));
	return 0;
}
