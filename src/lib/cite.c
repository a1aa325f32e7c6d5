#include "cite.h"

#include <stdint.h>
#include <string.h>

/*
 * Groups of the citation pattern:
 *   1  forge blob URL path       2, 3  its #L anchor range
 *   4  any other URL (skipped)
 *   5  path                      6, 7  `:12-30`, `:L12-L30`   8 more `, 40-50` ranges
 *   9, 10 `#L12-L30`             11, 12 `(lines 12-30)`  13 more ranges
 *   14 path followed by a colon and no number (malformed)
 *   15, 16 `†L12-L30` of a `【F:path†L12-L30】` reference
 */
#define NGROUPS 17

static const char *const framework_names[] = {
	"next", "node", "vue", "react", "express", "nuxt", "three", "chart", "d3", "socket",
	"moment", "ember", "backbone", "angular", "svelte", "deno", "bun", "alpine", "preact",
	"solid", "ext", "knockout", "handlebars", "underscore", "require", "p5", "anime",
};

int am_cite__scanner_init(am_cite_scanner *sc, const am_vocab *vocab)
{
	am_buf re = AM_BUF_INIT, exts = AM_BUF_INIT;
	int rc;

	/* File names are matched possessively, dot-separated part by part, the
	 * extension last: linear, where a lazy name followed by an alternation
	 * of extensions backtracks at every position of every word. */
	for (size_t i = 0; i < vocab->nterms[AM_VOCAB_EXTENSIONS]; i++) {
		const char *e = vocab->terms[AM_VOCAB_EXTENSIONS][i];
		if (*e == '.')
			e++;
		if (i)
			am_buf_putc(&exts, '|');
		am_re_quote(&exts, e, strlen(e));
	}
	/* Directory segments: plain names, Next.js `(group)` and `[param]`. */
#define SEG "(?:[\\w@+~.-]++|\\([\\w.-]++\\)|\\[[\\w.-]++\\])"
#define STEM "[\\w@+~-](?:[\\w@+~-]|\\.(?=[\\w@+~-]))*+"
#define DASH "\\s*(?:-|–|—|to)\\s*"
#define MORE "((?:\\s*,\\s*\\d+(?:" DASH "\\d+)?)*)"
	am_buf_printf(&re,
		/* 1-3: blob URLs of GitHub, GitLab, Gitea, Bitbucket ("src") */
		"https?://[^\\s/]+/(?:[^\\s/]+/)+?(?:-/)?(?:blob|src)/[^\\s/#?]+/([^\\s#?)\\]>`'\"]+)"
		"(?:[^\\s#]*#L(\\d+)(?:-L?(\\d+))?)?"
		/* 4: other URLs */
		"|((?:https?|ftp|file|wss?|memory|redis|postgres(?:ql)?|mysql|mongodb)://[^\\s)\\]>`'\"]*)"
		/* 5: a path */
		"|(?:(?<![\\w@./\\\\:-])|(?<=【F:))"
		"((?:\\.{1,2}/)*+/?(?:" SEG "/)*+"
		"(?:(?:Makefile|GNUmakefile|Dockerfile|Containerfile|Gemfile|Rakefile|Procfile|Justfile|"
		"Jenkinsfile|Vagrantfile|Brewfile|Podfile|Pipfile|Earthfile|Tiltfile|Caddyfile|Snakefile|"
		"Fastfile|Dangerfile|Guardfile|Berksfile|Capfile|Puppetfile|Cartfile|BUILD|WORKSPACE|"
		"\\.env(?:\\.[\\w-]+)?|\\.gitignore|\\.dockerignore)"
		"(?![\\w.-])"
		"|(?:[\\w@+~-]++\\.(?=[\\w@+~-]))++(?i:%s)(?![\\w@+~(-])"
		"|(?<=/)" STEM "(?=:\\d)))"
		"`?(?:"
		/* 6-8 :12-30, 40 (:L12-L30 too) */
		":L?(\\d+)(?:" DASH "L?(\\d+))?" MORE "(?![\\d.]\\d)"
		/* 9-10 #L12-L30 */
		"|#L(\\d+)(?:-L?(\\d+))?"
		/* 11-13 (lines 12-30) */
		"|,?\\s*\\(?\\s*(?i:lines?|ll?\\.|ln)\\s*(\\d+)(?:" DASH "(\\d+))?" MORE "\\s*\\)?"
		/* 14: `path:` with no number */
		"|(:)(?=[\\s`'\")\\]]|$)"
		/* 15-16 †L12-L30, in 【F:path†L12-L30】 */
		"|†L(\\d+)(?:-L?(\\d+))?"
		")?",
		am_buf_cstr(&exts));
#undef SEG
#undef STEM
#undef DASH
#undef MORE
	rc = am_re_new(&sc->re, re.ptr, 0);
	am_buf_free(&re);
	am_buf_free(&exts);
	return rc;
}

void am_cite__scanner_free(am_cite_scanner *sc)
{
	am_re_free(sc->re);
	sc->re = NULL;
}

static bool is_framework_name(const char *path, size_t len)
{
	/* "Next.js", "Node.js": products, not files. */
	if (len < 4 || memcmp(path + len - 3, ".js", 3) != 0 || memchr(path, '/', len))
		return false;
	am_span stem = { path, len - 3 };
	for (size_t i = 0; i < sizeof(framework_names) / sizeof(framework_names[0]); i++)
		if (am_span_ieq(stem, am_span_from(framework_names[i])))
			return true;
	return false;
}

/* Parses one "12" or "12-30" (any dash, "to") range, written at offset
 * `at` of the text. */
static void parse_range(const char *s, size_t len, size_t at, am_cite_hit *hit)
{
	size_t i = 0, a0, a1, b0 = 0, b1 = 0;

	while (i < len && !am_isdigit((unsigned char)s[i]))
		i++;
	a0 = i;
	while (i < len && am_isdigit((unsigned char)s[i]))
		i++;
	a1 = i;
	while (i < len && !am_isdigit((unsigned char)s[i]))
		i++;
	if (i < len) {
		b0 = i;
		while (i < len && am_isdigit((unsigned char)s[i]))
			i++;
		b1 = i;
	}
	hit->malformed = 0;
	hit->start_off = at + a0;
	hit->start_len = a1 - a0;
	hit->end_off = at + b0;
	hit->end_len = b1 - b0;
	if (!am_parse_uint(s + a0, a1 - a0, AM_MAX_LINE, &hit->start) ||
	    (b1 > b0 && !am_parse_uint(s + b0, b1 - b0, AM_MAX_LINE, &hit->end))) {
		hit->start = hit->end = 0;
		hit->malformed = 1;
		return;
	}
	if (b1 == b0)
		hit->end = hit->start;
	if (hit->start == 0 || hit->end < hit->start)
		hit->malformed = 1;
}

static void set_range(const char *text, const am_re_group *a, const am_re_group *b,
		      am_cite_hit *hit)
{
	size_t end = am_re_has(b) ? b->end : a->end;
	parse_range(text + a->start, end - a->start, a->start, hit);
}

/* Calls cb for each extra range of a `, 40, 50-60` list. */
static int each_more(const char *text, const am_re_group *more, am_cite_hit *hit,
		     am_cite_cb cb, void *payload)
{
	size_t i, end, item;
	int rc;

	if (!am_re_has(more))
		return 0;
	i = more->start;
	end = more->end;
	while (i < end) {
		while (i < end && (text[i] == ',' || am_isspace((unsigned char)text[i])))
			i++;
		item = i;
		while (i < end && text[i] != ',')
			i++;
		if (i > item) {
			parse_range(text + item, i - item, item, hit);
			if ((rc = cb(hit, payload)) != 0)
				return rc;
		}
	}
	return 0;
}

static bool path_char(unsigned char c)
{
	return am_isalnum(c) || c == '_' || c == '@' || c == '+' || c == '~' || c == '.' ||
	       c == '/' || c == '-' || c == '(' || c == ')' || c == '[' || c == ']';
}

/*
 * Where the next citation can start: the beginning of the first token at or
 * after `from` that holds a file extension (".x"), a line number (":1"), a
 * URL ("://") or a name of the Makefile family. Text without any of these
 * is never handed to the pattern engine, and scanning starts at the token.
 */
/* Whether any byte of w is '.', ':' or 'f' (haszero, "Bit Twiddling Hacks"). */
static inline bool may_start(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	uint64_t d = w ^ (ones * '.'), k = w ^ (ones * ':'), f = w ^ (ones * 'f');
	return (((d - ones) & ~d) | ((k - ones) & ~k) | ((f - ones) & ~f)) & highs;
}

static size_t next_candidate(const char *text, size_t len, size_t from)
{
	for (size_t i = from; i < len; i++) {
		/* Eight bytes at a time while none can start one. */
		while (i + 8 <= len) {
			uint64_t w;
			memcpy(&w, text + i, 8);
			if (may_start(w))
				break;
			i += 8;
		}
		if (i >= len)
			break;
		unsigned char c = (unsigned char)text[i];
		bool hit = false;
		if (c == '.' && i + 1 < len && am_isalpha((unsigned char)text[i + 1]))
			hit = true;
		else if (c == ':' && i + 1 < len &&
			 (am_isdigit((unsigned char)text[i + 1]) || text[i + 1] == '/'))
			hit = true;
		else if (c == 'f' && i + 3 < len && !memcmp(text + i, "file", 4))
			hit = true;
		if (!hit)
			continue;
		size_t start = i;
		while (start > from && path_char((unsigned char)text[start - 1]))
			start--;
		return start;
	}
	return len;
}

int am_cite__scan(am_cite_scanner *sc, const char *text, size_t len, am_cite_cb cb,
		  void *payload)
{
	am_re_group g[NGROUPS];
	size_t off = 0;
	int n = 0, rc;

	while ((off = next_candidate(text, len, off)) < len &&
	       (n = am_re_match(sc->re, text, len, off, g, NGROUPS)) > 0) {
		am_cite_hit hit;
		memset(&hit, 0, sizeof(hit));
		off = g[0].end > g[0].start ? g[0].end : g[0].start + 1;
		hit.off = g[0].start;
		hit.len = g[0].end - g[0].start;
		if (am_re_has(&g[1])) {
			hit.path_off = g[1].start;
			hit.path_len = g[1].end - g[1].start;
			if (am_re_has(&g[2]))
				set_range(text, &g[2], &g[3], &hit);
			if ((rc = cb(&hit, payload)) != 0)
				return rc;
			continue;
		}
		if (!am_re_has(&g[5]))
			continue; /* a URL that is not a citation */
		hit.path_off = g[5].start;
		hit.path_len = g[5].end - g[5].start;
		bool has_lines = am_re_has(&g[6]) || am_re_has(&g[9]) || am_re_has(&g[11]) || am_re_has(&g[15]);
		if (!has_lines && is_framework_name(text + hit.path_off, hit.path_len))
			continue;
		if (am_re_has(&g[6]))
			set_range(text, &g[6], &g[7], &hit);
		else if (am_re_has(&g[9]))
			set_range(text, &g[9], &g[10], &hit);
		else if (am_re_has(&g[11]))
			set_range(text, &g[11], &g[12], &hit);
		else if (am_re_has(&g[15]))
			set_range(text, &g[15], &g[16], &hit);
		else if (am_re_has(&g[14]) && g[14].end < len && text[g[14].end] == '`')
			hit.malformed = 1; /* `file.py:` in code: a line number is missing */
		if ((rc = cb(&hit, payload)) != 0)
			return rc;
		if ((rc = each_more(text, am_re_has(&g[6]) ? &g[8] : &g[13], &hit, cb, payload)) != 0)
			return rc;
	}
	return n < 0 ? n : 0;
}

void am_cite__spec(am_buf *b, const char *path, uint32_t start, uint32_t end)
{
	am_buf_puts(b, path);
	if (start) {
		am_buf_printf(b, ":%u", start);
		if (end != start)
			am_buf_printf(b, "-%u", end);
	}
}

char *am_citation_spec(const char *path, uint32_t start, uint32_t end)
{
	am_buf b = AM_BUF_INIT;
	am_cite__spec(&b, path, start, end);
	return am_buf_detach(&b);
}
