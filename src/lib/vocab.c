#include "vocab.h"

#include <string.h>
#include <strings.h>

#include "source.h"

/* Built-in vocabularies: extend them in .auditmd.json, not here.
 *
 * Status words, by status, in English first and then German,
 * Portuguese, Spanish, French, Chinese and Japanese (docs/json.md lists
 * them). Marks without words come last: a word in the same status text
 * beats them ("🔍 DOCUMENTED" is documented), and an audit's legend beats
 * these defaults. */
static const char *const default_resolved[] = {
	"resolved", "fixed", "done", "completed", "complete", "closed", "implemented",
	"addressed", "mitigated", "remediated", "merged", "shipped", "verified fixed", "verified",
	"pass", "passed", "passing",
	"behoben", "erledigt", "gelöst", "geschlossen", "implementiert", "umgesetzt",
	"resolvido", "resolvida", "concluído", "concluída", "concluido", "corrigido", "corrigida",
	"feito", "implementado", "resuelto", "corregido", "completado", "cerrado", "corrigé",
	"résolu", "terminé", "fermé", "已修复", "已解决", "已完成", "已关闭", "修复完成", "対応済み",
	"修正済み", "解決済み", "完了", "修正済", "risolto", "risolta", "corretto", "corretta", "chiuso",
	"completato", "해결됨", "해결", "수정됨", "완료",
	"✅", "✔️", "✔", "☑️", "☑", "✓", "🟢 done",
	/* GitHub's emoji shortcodes */
	":white_check_mark:", ":heavy_check_mark:", ":ballot_box_with_check:",
};
static const char *const default_open[] = {
	"not fixed", "not resolved", "not done", "not started", "not implemented",
	"not addressed", "unresolved", "unfixed", "incomplete", "open", "todo", "to do",
	"pending", "outstanding", "unaddressed", "reopened", "re-opened", "new", "blocked",
	"planned", "scheduled", "needs work", "needs design", "needs spec", "needs decision", "backlog",
	"deferred", "postponed", "active", "not yet", "suspected", "confirmed", "reproduced",
	"missing", "can fix", "fehlt", "falta", "faltam", "falhando", "pendentes", "documented in",
	"tracked in", "filed as", "moved to",
	"offen", "ungelöst", "nicht behoben", "pendente", "aberto", "aberta", "em aberto",
	"não resolvido", "pendiente", "abierto", "ouvert", "en attente", "non résolu", "未修复",
	"待修复", "待处理", "未解决", "潜在风险", "治理风险", "未対応", "未着手", "aperto", "aperta",
	"in sospeso", "da fare", "미해결", "열림", "대기",
	"❌", "✗", "✘", "🔲", "⬜", "☐", "⛔", "🧊", "⚪", "⚠️", "⚠", "⏸️", "⏸",
	":x:", ":no_entry:", ":warning:", ":white_large_square:", ":black_square_button:", ":ice_cube:",
	":white_circle:", ":pause_button:",
};
static const char *const default_in_progress[] = {
	"partially fixed", "partially resolved", "partially done", "partially complete",
	"partially implemented", "partially", "partial", "in progress", "in-progress", "wip", "doing",
	"ongoing", "underway", "started", "in review", "under review", "investigating",
	"under investigation", "in bearbeitung", "teilweise behoben", "teilweise",
	"em andamento", "em progresso", "parcial", "parcialmente", "en progreso", "en curso",
	"en cours", "进行中", "修复中", "处理中", "等待人工验证", "対応中", "in corso", "in lavorazione",
	"진행 중", "진행중",
	"🚧", "🟡", "🔄", "🔎", "🔍", "⏳", "⌛",
	":construction:", ":yellow_circle:", ":arrows_counterclockwise:", ":mag:", ":mag_right:",
	":hourglass:", ":hourglass_flowing_sand:",
};
static const char *const default_wontfix[] = {
	"won't fix", "won’t fix", "wont fix", "wontfix", "will not fix", "not fixing", "will not be fixed",
	"won't be fixed", "won’t be fixed", "no fix planned", "no longer applicable", "no longer relevant",
	"no longer an issue", "not relevant",
	"acknowledged", "accepted", "risk accepted", "accepted risk", "ignored", "by design",
	"false positive", "not applicable", "n/a", "obsolete", "superseded", "won't do",
	"rejected", "declined", "invalid", "duplicate", "cleared", "not an issue", "not a bug",
	"no action", "no fix needed", "not needed", "reclassified", "none found", "no issues",
	"documented", "false-positive", "not found", "not reproducible", "cannot reproduce", "can't reproduce",
	"works as intended", "working as intended", "as designed", "design decision",
	"out of scope", "acceptable", "informational", "exempt", "exempted", "nicht fixbar", "kein fix", "kein bug",
	"kein fehler", "gewolltes verhalten", "beabsichtigt", "falsch positiv",
	"fehlalarm", "falso positivo", "não corrigir", "no se corregirá", "faux positif", "误报",
	"人工否定", "不修复", "已忽略", "対応不要",
};
static const char *const default_evidence_fields[] = {
	"evidence", "location", "locations", "file", "files", "lines", "line", "where",
	"source", "code", "affected file", "affected files", "affected code", "affected",
	"reference", "references", "found in", "path", "paths", "proof", "observed",
	"current state", "current", "problem", "issue", "description", "details", "context",
	"symptom", "symptoms", "root cause", "cause", "finding", "findings", "vulnerable code",
	"example", "examples", "occurrences", "instances", "sites", "call sites", "relevant files",
	"relevant file", "reproduction", "captured error", "datei", "dateien", "zeilen", "arquivos",
	"arquivo", "fichier", "archivo", "ubicación", "ubicacion", "localização", "localizacao",
	"emplacement", "posizione", "位置", "場所", "위치", "fundstelle",
};
static const char *const default_mention_fields[] = {
	"plan", "migration plan", "refactor steps", "exact refactor steps", "steps",
	"modern replacement", "replacement", "fix", "fixes", "fixed in", "fix applied", "solution",
	"suggested fix", "proposed fix", "recommendation", "recommendations", "recommended fix",
	"remediation", "action", "actions", "action items", "next steps", "todo", "to do",
	"files modified", "files changed", "modified files", "changes", "changes made", "change",
	"implementation", "approach", "proposal", "proposed solution", "resolution",
	"acceptance criteria", "tests", "test", "testing", "verification", "how to fix",
	"follow-up", "follow up", "mitigation", "work done", "done", "commit", "pr", "related",
	"see also", "see", "solução", "recomendação", "correção", "ação", "solución", "recomendación",
	"acción", "lösung", "empfehlung", "maßnahme", "recommandation", "correctif", "解决方案", "建议",
};
static const char *const default_finding_fields[] = {
	"status", "severity", "priority", "evidence", "location", "locations", "where", "file", "files",
	"impact", "risk", "recommendation", "fix", "remediation", "problem", "issue",
	"root cause", "affected", "affected files", "cwe", "cvss", "effort", "effort estimate",
	"solution", "category", "likelihood", "exploitability", "lines", "owner",
	"symptom", "symptoms", "cause", "reproduction", "steps to reproduce", "repro",
	"relevant files", "relevant file", "captured error", "error message", "expected behavior",
	"actual behavior", "workaround", "affected versions", "datei", "dateien", "arquivos", "arquivo",
	"finding", "verdict", "verification", "assessment",
	/* Portuguese, Spanish, German, French, Chinese */
	"impacto", "prioridade", "problema", "recomendação", "solução", "descrição", "severidade",
	"prioridad", "recomendación", "solución", "descripción", "severidad", "auswirkung",
	"priorität", "empfehlung", "lösung", "beschreibung", "schweregrad", "priorité", "problème",
	"recommandation", "sévérité", "gravité", "影响", "严重性", "优先级", "问题", "建议",
	/* their status, level and location fields, and Italian, Japanese, Korean */
	"estado", "situação", "situacao", "statut", "état", "etat", "stato", "状态", "状態", "ステータス", "상태",
	"gravedad", "gravidade", "gravità", "priorità", "重大度", "重要度", "優先度", "심각도", "우선순위",
	"ubicación", "ubicacion", "localização", "localizacao", "emplacement", "posizione", "位置", "場所",
	"위치", "fundstelle",
};
static const char *const default_date_fields[] = {
	"date", "last updated", "updated", "last update", "audit date", "date of audit",
	"generated", "created", "reviewed", "audited", "as of", "report date", "written",
};
static const char *const default_extensions[] = {
	"py", "pyi", "ts", "tsx", "js", "jsx", "mjs", "cjs", "go", "rs", "c", "h", "cc", "cpp",
	"cxx", "hpp", "hh", "java", "kt", "kts", "scala", "rb", "php", "cs", "fs", "swift", "m",
	"mm", "sh", "bash", "zsh", "fish", "ps1", "psm1", "bat", "cmd", "sql", "json", "jsonc",
	"yaml", "yml", "toml", "ini", "cfg", "conf", "env", "md", "mdx", "rst", "txt", "html",
	"htm", "css", "scss", "sass", "less", "vue", "svelte", "astro", "xml", "gradle", "lock",
	"tf", "tfvars", "hcl", "proto", "graphql", "gql", "jl", "r", "lua", "pl", "pm", "ex",
	"exs", "erl", "hrl", "dart", "zig", "nim", "ml", "mli", "hs", "clj", "cljs", "elm",
	"sol", "vy", "move", "cairo", "ipynb", "dockerfile", "mk", "cmake", "nix", "prisma",
	"tpl", "j2", "jinja", "ejs", "hbs", "mustache", "csv", "tsv", "plist", "csproj", "sln",
	"properties", "service", "rules", "nginx", "wasm", "d", "v", "sv", "vhd",
	/* Fortran, Vala, GPU, more C family and systems languages */
	"f", "f77", "f90", "f95", "f03", "f08", "for", "vala", "vapi", "cu", "cuh", "metal", "glsl",
	"hlsl", "wgsl", "hxx", "inl", "ipp", "tpp", "asm", "ld", "dts", "dtsi", "odin", "cr", "gleam",
	"purs", "lhs", "idr", "agda", "lean", "sml", "cljc", "edn", "groovy", "gvy", "sbt", "kt",
	"fsx", "fsi", "vb", "vbs", "pas", "adb", "ads", "cob", "cbl", "tcl", "rkt", "scm", "lisp",
	"el", "coffee", "pyx", "pxd", "pyw", "rmd", "qmd", "tex", "awk", "hx", "heex", "eex",
	/* smart contracts */
	"teal", "aleo", "clar", "tact", "nr", "circom", "leo", "fc",
	/* configuration, build and data */
	"tfstate", "nomad", "rego", "cue", "jsonnet", "libsonnet", "bicep", "dhall", "ron", "kdl",
	"jsonl", "ndjson", "avsc", "thrift", "capnp", "fbs", "xsd", "wsdl", "xaml", "razor",
	"cshtml", "aspx", "jsp", "erb", "haml", "slim", "twig", "liquid", "njk", "pug", "svg",
	"styl", "cabal", "gemspec", "podspec", "vbproj", "fsproj", "vcxproj", "props", "targets",
	"bzl", "bazel", "ninja", "build", "m4", "mod", "sum", "work", "patch", "adoc", "org",
	"pbxproj", "xcconfig", "storyboard", "xib", "entitlements", "psd1", "psql", "pgsql", "dbml",
	"mts", "cts", "svh", "vhdl", "bsv", "kts",
};

static const struct {
	const char *const *terms;
	size_t n;
	const char *name;
} defaults[AM_VOCAB__COUNT] = {
#define L(a, name) { a, sizeof(a) / sizeof(a[0]), name }
	[AM_VOCAB_RESOLVED] = L(default_resolved, "resolved"),
	[AM_VOCAB_OPEN] = L(default_open, "open"),
	[AM_VOCAB_IN_PROGRESS] = L(default_in_progress, "in_progress"),
	[AM_VOCAB_WONTFIX] = L(default_wontfix, "wontfix"),
	[AM_VOCAB_EVIDENCE_FIELDS] = L(default_evidence_fields, "evidence_fields"),
	[AM_VOCAB_MENTION_FIELDS] = L(default_mention_fields, "mention_fields"),
	[AM_VOCAB_FINDING_FIELDS] = L(default_finding_fields, "finding_fields"),
	[AM_VOCAB_DATE_FIELDS] = L(default_date_fields, "date_fields"),
	[AM_VOCAB_EXTENSIONS] = L(default_extensions, "extensions"),
#undef L
};

const char *am_vocab_list_name(am_vocab_list list)
{
	return (unsigned)list < AM_VOCAB__COUNT ? defaults[list].name : NULL;
}

int am_vocab_new(am_vocab **out)
{
	am_vocab *v = am_xcalloc(1, sizeof(*v));
	for (int l = 0; l < AM_VOCAB__COUNT; l++)
		for (size_t i = 0; i < defaults[l].n; i++)
			am_vocab_add(v, (am_vocab_list)l, defaults[l].terms[i]);
	*out = v;
	return 0;
}

void am_vocab_free(am_vocab *v)
{
	if (!v)
		return;
	for (int l = 0; l < AM_VOCAB__COUNT; l++) {
		for (size_t i = 0; i < v->nterms[l]; i++)
			free(v->terms[l][i]);
		free(v->terms[l]);
	}
	free(v->index);
	for (size_t i = 0; i < v->ndisabled_rules; i++)
		free(v->disabled_rules[i]);
	free(v->disabled_rules);
	for (size_t i = 0; i < v->naudits; i++)
		free(v->audits[i]);
	free(v->audits);
	free(v);
}

int am_vocab_disable_rule(am_vocab *v, const char *rule)
{
	if (!rule || !*rule || strlen(rule) > 64) {
		am_error_set("a rule id is 1 to 64 bytes");
		return AM_EUSAGE;
	}
	if (!am_vocab_rule_enabled(v, rule))
		return 0;
	am_grow((void **)&v->disabled_rules, &v->cap_disabled_rules, v->ndisabled_rules + 1,
		sizeof(char *));
	v->disabled_rules[v->ndisabled_rules++] = am_xstrdup(rule);
	return 0;
}

int am_vocab_add_audit(am_vocab *v, const char *path)
{
	if (!path || !*path || strlen(path) > 4096) {
		am_error_set("an audit's path is 1 to 4096 bytes");
		return AM_EUSAGE;
	}
	am_grow((void **)&v->audits, &v->cap_audits, v->naudits + 1, sizeof(char *));
	v->audits[v->naudits++] = am_xstrdup(path);
	return 0;
}

const char *const *am_vocab_audits(const am_vocab *v, size_t *n)
{
	*n = v ? v->naudits : 0;
	return *n ? (const char *const *)v->audits : NULL;
}

int am_vocab_rule_enabled(const am_vocab *v, const char *rule)
{
	for (size_t i = 0; v && i < v->ndisabled_rules; i++)
		if (!strcmp(v->disabled_rules[i], rule))
			return 0;
	return 1;
}

static uint64_t term_hash(const char *s, size_t len)
{
	uint64_t h = AM_HASH_SEED;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)am_tolower((unsigned char)s[i])) * 0x100000001b3ULL;
	return h;
}

/* The slot of a (lower-case) term, or of the empty place where it would go. */
static struct am_vocab_slot *index_slot(const am_vocab *v, const char *s, size_t len)
{
	size_t mask = v->index_cap - 1;
	size_t i = (size_t)term_hash(s, len) & mask;
	while (v->index[i].term) {
		const char *t = v->index[i].term;
		if (v->index[i].len == len) {
			size_t k = 0;
			while (k < len && (unsigned char)t[k] == am_tolower((unsigned char)s[k]))
				k++;
			if (k == len)
				return &v->index[i];
		}
		i = (i + 1) & mask;
	}
	return &v->index[i];
}

static void index_add(am_vocab *v, const char *term, am_vocab_list list)
{
	if ((v->index_n + 1) * 2 > v->index_cap) {
		struct am_vocab_slot *old = v->index;
		size_t oldcap = v->index_cap;
		v->index_cap = oldcap ? oldcap * 2 : 256;
		v->index = am_xcalloc(v->index_cap, sizeof(*v->index));
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].term)
				*index_slot(v, old[i].term, old[i].len) = old[i];
		free(old);
	}
	size_t len = strlen(term);
	struct am_vocab_slot *slot = index_slot(v, term, len);
	if (!slot->term) {
		slot->term = term;
		slot->len = (uint32_t)len;
		v->index_n++;
		if (len > v->index_longest)
			v->index_longest = len;
	}
	slot->lists |= 1u << list;
}

int am_vocab_add(am_vocab *v, am_vocab_list list, const char *term)
{
	am_span t;
	char *copy;

	if ((unsigned)list >= AM_VOCAB__COUNT || !term) {
		am_error_set("invalid vocabulary list");
		return AM_EUSAGE;
	}
	t = am_span_trim(am_span_from(term));
	if (!t.len || t.len > 200) {
		am_error_set("vocabulary term must be 1 to 200 bytes");
		return AM_EUSAGE;
	}
	if (am_vocab__has(v, list, t))
		return 0;
	copy = am_xstrndup(t.ptr, t.len);
	for (size_t i = 0; i < t.len; i++)
		copy[i] = (char)am_tolower((unsigned char)copy[i]);
	am_grow((void **)&v->terms[list], &v->cap[list], v->nterms[list] + 1, sizeof(char *));
	v->terms[list][v->nterms[list]++] = copy;
	index_add(v, copy, list);
	return 0;
}

bool am_vocab__has(const am_vocab *v, am_vocab_list list, am_span name)
{
	name = am_span_trim(name);
	if (!v->index_cap)
		return false;
	if (name.len <= v->index_longest) {
		const struct am_vocab_slot *slot = index_slot(v, name.ptr, name.len);
		if (slot->term && (slot->lists & (1u << list)))
			return true;
	}
	/* "Solution (Concrete, No Hand-Waving)": the name before its qualifier. */
	const char *open = name.len > 2 && name.ptr[name.len - 1] == ')' ? memchr(name.ptr, '(', name.len) : NULL;
	if (!open || open == name.ptr)
		return false;
	am_span core = am_span_trim((am_span){ name.ptr, (size_t)(open - name.ptr) });
	if (core.len > v->index_longest)
		return false;
	const struct am_vocab_slot *slot = index_slot(v, core.ptr, core.len);
	return slot->term && (slot->lists & (1u << list));
}

static const am_vocab_list status_lists[] = {
	AM_VOCAB_WONTFIX, AM_VOCAB_OPEN, AM_VOCAB_IN_PROGRESS, AM_VOCAB_RESOLVED,
};
static const am_status status_of_list[] = {
	AM_STATUS_WONTFIX, AM_STATUS_OPEN, AM_STATUS_IN_PROGRESS, AM_STATUS_RESOLVED,
};

/*
 * Match order within a bucket: longest term first, then the lists in the
 * order above.
 */
static int term_order(const void *a, const void *b)
{
	const am_status_term *x = a, *y = b;
	unsigned char fx = (unsigned char)x->term[0], fy = (unsigned char)y->term[0];
	if (fx != fy)
		return fx < fy ? -1 : 1;
	/* The longest term first ("documented in" before "documented"), then
	 * the lists in the order above. */
	if (x->len != y->len)
		return x->len < y->len ? 1 : -1;
	int lx = 0, ly = 0;
	for (int i = 0; i < 4; i++) {
		if (status_of_list[i] == x->status)
			lx = i;
		if (status_of_list[i] == y->status)
			ly = i;
	}
	return lx < ly ? -1 : lx > ly ? 1 : 0;
}

/* Status words that say little on their own: another status word in the
 * same text wins ("CONFIRMED - BY DESIGN" is by design). */
static const char *const weak_terms[] = { "confirmed", "suspected", "new", "active", "verified" };

/* A term made of marks only (emoji, symbols, "[x]"), no letters: "✅". */
static bool is_mark_term(const char *t)
{
	for (const unsigned char *p = (const unsigned char *)t; *p;) {
		if (*p < 0x80) {
			if (am_isalnum(*p))
				return false;
			p++;
			continue;
		}
		size_t n = am_utf8_seqlen(p, strlen((const char *)p));
		if (n < 2)
			return false;
		uint32_t cp = *p & (0x7F >> n);
		for (size_t k = 1; k < n; k++)
			cp = cp << 6 | (p[k] & 0x3F);
		/* General punctuation, arrows, symbols, dingbats, CJK symbols,
		 * variation selectors and the emoji planes are marks; letters
		 * of any script are words. */
		bool mark = (cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x2E00 && cp <= 0x2E7F) ||
			    (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
			    (cp >= 0x1F000 && cp <= 0x1FAFF) || cp == 0x200D;
		if (!mark)
			return false;
		p += n;
	}
	return true;
}

bool am_vocab__is_mark(const char *text, size_t len)
{
	char buf[64];
	am_span t = am_span_trim((am_span){ text, len });
	if (!t.len || t.len >= sizeof(buf))
		return false;
	memcpy(buf, t.ptr, t.len);
	buf[t.len] = '\0';
	return is_mark_term(buf);
}

static void classify_term(am_vocab_matcher *m, am_status_term *t)
{
	t->rank = AM_TERM_STRONG;
	if (is_mark_term(t->term))
		t->rank = AM_TERM_MARK;
	for (size_t i = 0; i < sizeof(weak_terms) / sizeof(weak_terms[0]); i++)
		if (!strcmp(t->term, weak_terms[i]))
			t->rank = AM_TERM_WEAK;
	am_re_group g[1];
	t->level_word = am_re_match(m->level, t->term, t->len, 0, g, 1) > 0 && g[0].start == 0 &&
			g[0].end == t->len;
}

int am_vocab__matcher_init(am_vocab_matcher *m, const am_vocab *vocab)
{
	size_t n = 0;

	memset(m, 0, sizeof(*m));
	m->vocab = vocab;
	int rc = am_re_new(&m->level,
			   "(?<![A-Za-z0-9_])(critical|crit|blocker|high|major|medium|med|moderate|"
			   "low|minor|trivial|info|informational|nice to have|p[0-4]|priority[ -]?[0-4]|"
			   /* German, Portuguese, Spanish, French */
			   "kritisch|hoch|mittel|niedrig|gering|hinweis|"
			   "cr[ií]tic[oa]|alt[oa]|médi[oa]|baix[oa]|baj[oa]|"
			   "critique|[ée]lev[ée]e?|moyenne?|faible|"
			   /* Spanish and Italian medium and low; Chinese, Japanese, Korean */
			   "medi[oa]|bass[oa]|严重|紧急|高|中|低|重大|치명적|높음|중간|낮음)(?![A-Za-z0-9_])",
			   AM_RE_CASELESS);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < 4; i++)
		n += vocab->nterms[status_lists[i]];
	m->terms = am_xcalloc(n ? n : 1, sizeof(am_status_term));
	for (size_t i = 0; i < 4; i++) {
		am_vocab_list l = status_lists[i];
		for (size_t k = 0; k < vocab->nterms[l]; k++) {
			am_status_term *t = &m->terms[m->nterms++];
			t->term = vocab->terms[l][k];
			t->len = strlen(vocab->terms[l][k]);
			t->status = status_of_list[i];
			t->second = t->len > 1 && am_isalnum((unsigned char)t->term[1]) ? (unsigned char)t->term[1] : 0;
			classify_term(m, t);
		}
	}
	qsort(m->terms, m->nterms, sizeof(am_status_term), term_order);
	for (size_t i = 0, b = 0; b <= 256; b++) {
		while (i < m->nterms && (unsigned char)m->terms[i].term[0] < b)
			i++;
		m->bucket[b] = (uint32_t)i;
	}
	return 0;
}

void am_vocab__matcher_forget(am_vocab_matcher *m)
{
	for (size_t i = 0; i < m->ndoc; i++)
		free((char *)m->doc[i].term);
	free(m->doc);
	m->doc = NULL;
	m->ndoc = m->capdoc = 0;
}

void am_vocab__matcher_free(am_vocab_matcher *m)
{
	am_vocab__matcher_forget(m);
	free(m->terms);
	am_re_free(m->level);
	m->terms = NULL;
	m->level = NULL;
}

int am_vocab__matcher_define(am_vocab_matcher *m, const char *term, size_t len, am_status status)
{
	am_span t = am_span_trim((am_span){ term, len });
	if (!t.len || t.len > 200 || status == AM_STATUS_UNKNOWN)
		return AM_EUSAGE;
	for (size_t i = 0; i < m->ndoc; i++)
		if (m->doc[i].len == t.len && !strncasecmp(m->doc[i].term, t.ptr, t.len))
			return 0; /* the first definition wins */
	am_grow((void **)&m->doc, &m->capdoc, m->ndoc + 1, sizeof(am_status_term));
	char *copy = am_xstrndup(t.ptr, t.len);
	for (size_t i = 0; i < t.len; i++)
		copy[i] = (char)am_tolower((unsigned char)copy[i]);
	am_status_term *d = &m->doc[m->ndoc++];
	memset(d, 0, sizeof(*d));
	d->term = copy;
	d->len = t.len;
	d->status = status;
	classify_term(m, d);
	d->rank = AM_TERM_LEGEND;
	return 0;
}

void am_vocab__matcher_share(am_vocab_matcher *dst, const am_vocab_matcher *src)
{
	for (size_t i = 0; i < src->ndoc; i++)
		am_vocab__matcher_define(dst, src->doc[i].term, src->doc[i].len, src->doc[i].status);
}

static bool is_word(unsigned char c)
{
	return am_isalnum(c) || c == '_';
}

/* Length of text matched by `term` at text[0..], or 0. Spaces in a term
 * match any run of white space; ASCII and Latin-1 letters match in any
 * case ("CONCLUÍDO" is "concluído"). */
static size_t match_term(const char *text, size_t len, const am_status_term *t)
{
	size_t i = 0;
	for (size_t k = 0; k < t->len; k++) {
		unsigned char tc = (unsigned char)t->term[k];
		if (tc == ' ') {
			if (i >= len || !am_isspace((unsigned char)text[i]))
				return 0;
			while (i < len && am_isspace((unsigned char)text[i]))
				i++;
			continue;
		}
		if (i >= len)
			return 0;
		unsigned char xc = (unsigned char)text[i];
		bool latin1_upper = k > 0 && (unsigned char)t->term[k - 1] == 0xC3 && tc >= 0xA0 &&
				    tc <= 0xBE && tc != 0xB7 && xc == tc - 0x20;
		if (am_tolower(xc) != tc && !latin1_upper)
			return 0;
		i++;
	}
	if (is_word((unsigned char)t->term[t->len - 1]) && i < len && is_word((unsigned char)text[i]))
		return 0;
	return i;
}

/* The word that ends just before text[p] (skipping spaces), in *w. */
static size_t word_before(const char *text, size_t p, char *w, size_t wsize)
{
	size_t e = p;
	while (e > 0 && (text[e - 1] == ' ' || text[e - 1] == '\t'))
		e--;
	size_t b = e;
	while (b > 0 && (is_word((unsigned char)text[b - 1]) || text[b - 1] == '\'' ||
			 (unsigned char)text[b - 1] >= 0x80))
		b--;
	size_t n = e - b < wsize - 1 ? e - b : wsize - 1;
	for (size_t i = 0; i < n; i++)
		w[i] = (char)am_tolower((unsigned char)text[b + i]);
	w[n] = '\0';
	return b;
}

/* "cannot be done", "not yet fixed", "never resolved", "not acceptable":
 * a closing word under a negation. */
static bool negated(const char *text, size_t p)
{
	static const char *const skip[] = { "be", "been", "yet", "fully", "really", "actually", "ever" };
	static const char *const neg[] = { "not", "cannot", "can't", "can’t", "never", "isn't",
					   "isn’t", "wasn't", "wasn’t", "aren't", "no" };
	char w[16];
	for (int hops = 0; hops < 3 && p > 0; hops++) {
		p = word_before(text, p, w, sizeof(w));
		bool skipped = false;
		for (size_t i = 0; i < sizeof(neg) / sizeof(neg[0]); i++)
			if (!strcmp(w, neg[i]))
				return true;
		for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
			if (!strcmp(w, skip[i]))
				skipped = true;
		if (!skipped)
			return false;
	}
	return false;
}

/* The status term at text[p], the audit's own (its legend) first, then the
 * built-in and configured ones, longest first; *n its length. */
static const am_status_term *term_at(const am_vocab_matcher *m, const char *text, size_t len,
				     size_t p, size_t *n)
{
	for (size_t i = 0; i < m->ndoc; i++)
		if ((*n = match_term(text + p, len - p, &m->doc[i])) != 0)
			return &m->doc[i];
	unsigned char lc = (unsigned char)am_tolower((unsigned char)text[p]);
	unsigned char second = p + 1 < len ? (unsigned char)am_tolower((unsigned char)text[p + 1]) : 0;
	for (uint32_t i = m->bucket[lc]; i < m->bucket[lc + 1]; i++) {
		const am_status_term *t = &m->terms[i];
		if (t->second && t->second != second)
			continue; /* the second letter tells most apart at once */
		if ((*n = match_term(text + p, len - p, t)) != 0)
			return t;
	}
	return NULL;
}

/* The status a matched term gives where it stands: a closing word under a
 * negation ("not fixed", "not acceptable") is open. */
static am_status term_status(const am_status_term *t, const char *text, size_t p)
{
	if (t->status != AM_STATUS_OPEN && t->status != AM_STATUS_IN_PROGRESS && negated(text, p))
		return AM_STATUS_OPEN;
	return t->status;
}

/* Calls back for each status term in text, left to right, until it
 * returns true. */
static const am_status_term *next_term(const am_vocab_matcher *m, const char *text, size_t len,
				       size_t *p, size_t *n)
{
	for (; *p < len; (*p)++) {
		unsigned char c = (unsigned char)text[*p];
		if (is_word(c) && *p > 0 && is_word((unsigned char)text[*p - 1]))
			continue; /* not at a word start */
		if ((c & 0xC0) == 0x80)
			continue; /* inside a UTF-8 sequence */
		const am_status_term *t = term_at(m, text, len, *p, n);
		if (t)
			return t;
	}
	return NULL;
}

am_status am_vocab__status(am_vocab_matcher *m, const char *text, size_t len,
			   size_t *start, size_t *end)
{
	size_t n;
	for (size_t p = 0; p < len; p++) {
		const am_status_term *t = next_term(m, text, len, &p, &n);
		if (!t)
			break;
		/* "Informational" is a status in a status field, a severity in
		 * a title or a heading. */
		if (t->level_word && t->rank != AM_TERM_LEGEND)
			continue;
		if (start)
			*start = p;
		if (end)
			*end = p + n;
		return term_status(t, text, p);
	}
	return AM_STATUS_UNKNOWN;
}

/* "→", "⇒", "➜", "➔", "➡", "⟶": an arrow of three bytes at s. */
static bool is_arrow(const char *s)
{
	static const char *const arrows[] = { "→", "⇒", "➜", "➔", "➡", "⟶" };
	for (size_t k = 0; k < sizeof(arrows) / sizeof(arrows[0]); k++)
		if (!memcmp(s, arrows[k], 3))
			return true;
	return false;
}

am_status am_vocab__status_text(am_vocab_matcher *m, const char *text, size_t len,
				size_t *start, size_t *end)
{
	const am_status_term *best = NULL;
	size_t best_p = 0, best_n = 0, from = 0, n;

	/* "Open → Fixed", "Open => In progress": the status after the last
	 * arrow. */
	for (size_t i = 0; i + 1 < len; i++)
		if (!memcmp(text + i, "->", 2) || !memcmp(text + i, "=>", 2))
			from = i + 2;
		else if (i + 2 < len && (unsigned char)text[i] == 0xE2 && is_arrow(text + i))
			from = i + 3;
	for (size_t p = from; p < len; p++) {
		const am_status_term *t = next_term(m, text, len, &p, &n);
		if (!t)
			break;
		if (!best || t->rank > best->rank) {
			best = t;
			best_p = p;
			best_n = n;
			if (t->rank == AM_TERM_STRONG)
				break; /* the first plain status word says it */
		}
		p += n - 1;
	}
	if (!best)
		return AM_STATUS_UNKNOWN;
	if (start)
		*start = best_p;
	if (end)
		*end = best_p + best_n;
	return term_status(best, text, best_p);
}

/* The level a matched word names (lower case, Latin-1 folded). */
static int level_of_word(const char *w, am_priority *priority, am_severity *severity)
{
	static const struct {
		const char *word;
		am_priority p;
		am_severity s;
	} levels[] = {
		{ "critical", AM_PRIORITY_HIGH, AM_SEVERITY_CRITICAL },
		{ "crit", AM_PRIORITY_HIGH, AM_SEVERITY_CRITICAL },
		{ "blocker", AM_PRIORITY_HIGH, AM_SEVERITY_CRITICAL },
		{ "p0", AM_PRIORITY_HIGH, AM_SEVERITY_CRITICAL },
		{ "high", AM_PRIORITY_HIGH, AM_SEVERITY_HIGH },
		{ "major", AM_PRIORITY_HIGH, AM_SEVERITY_HIGH },
		{ "p1", AM_PRIORITY_HIGH, AM_SEVERITY_HIGH },
		{ "medium", AM_PRIORITY_MEDIUM, AM_SEVERITY_MEDIUM },
		{ "med", AM_PRIORITY_MEDIUM, AM_SEVERITY_MEDIUM },
		{ "moderate", AM_PRIORITY_MEDIUM, AM_SEVERITY_MEDIUM },
		{ "p2", AM_PRIORITY_MEDIUM, AM_SEVERITY_MEDIUM },
		{ "low", AM_PRIORITY_LOW, AM_SEVERITY_LOW },
		{ "minor", AM_PRIORITY_LOW, AM_SEVERITY_LOW },
		{ "trivial", AM_PRIORITY_LOW, AM_SEVERITY_LOW },
		{ "nice to have", AM_PRIORITY_LOW, AM_SEVERITY_LOW },
		{ "p3", AM_PRIORITY_LOW, AM_SEVERITY_LOW },
		{ "p4", AM_PRIORITY_LOW, AM_SEVERITY_INFO },
		{ "info", AM_PRIORITY_LOW, AM_SEVERITY_INFO },
		{ "informational", AM_PRIORITY_LOW, AM_SEVERITY_INFO },
		{ "kritisch", AM_PRIORITY_HIGH, AM_SEVERITY_CRITICAL },
		{ "crítico", AM_PRIORITY_HIGH, AM_SEVERITY_CRITICAL },
		{ "crítica", AM_PRIORITY_HIGH, AM_SEVERITY_CRITICAL },
		{ "critico", AM_PRIORITY_HIGH, AM_SEVERITY_CRITICAL },
		{ "critica", AM_PRIORITY_HIGH, AM_SEVERITY_CRITICAL },
		{ "critique", AM_PRIORITY_HIGH, AM_SEVERITY_CRITICAL },
		{ "hoch", AM_PRIORITY_HIGH, AM_SEVERITY_HIGH },
		{ "alto", AM_PRIORITY_HIGH, AM_SEVERITY_HIGH },
		{ "alta", AM_PRIORITY_HIGH, AM_SEVERITY_HIGH },
		{ "élevé", AM_PRIORITY_HIGH, AM_SEVERITY_HIGH },
		{ "élevée", AM_PRIORITY_HIGH, AM_SEVERITY_HIGH },
		{ "eleve", AM_PRIORITY_HIGH, AM_SEVERITY_HIGH },
		{ "elevee", AM_PRIORITY_HIGH, AM_SEVERITY_HIGH },
		{ "mittel", AM_PRIORITY_MEDIUM, AM_SEVERITY_MEDIUM },
		{ "médio", AM_PRIORITY_MEDIUM, AM_SEVERITY_MEDIUM },
		{ "média", AM_PRIORITY_MEDIUM, AM_SEVERITY_MEDIUM },
		{ "moyen", AM_PRIORITY_MEDIUM, AM_SEVERITY_MEDIUM },
		{ "moyenne", AM_PRIORITY_MEDIUM, AM_SEVERITY_MEDIUM },
		{ "niedrig", AM_PRIORITY_LOW, AM_SEVERITY_LOW },
		{ "gering", AM_PRIORITY_LOW, AM_SEVERITY_LOW },
		{ "baixo", AM_PRIORITY_LOW, AM_SEVERITY_LOW },
		{ "baixa", AM_PRIORITY_LOW, AM_SEVERITY_LOW },
		{ "bajo", AM_PRIORITY_LOW, AM_SEVERITY_LOW },
		{ "baja", AM_PRIORITY_LOW, AM_SEVERITY_LOW },
		{ "faible", AM_PRIORITY_LOW, AM_SEVERITY_LOW },
		{ "hinweis", AM_PRIORITY_LOW, AM_SEVERITY_INFO },
		{ "media", AM_PRIORITY_MEDIUM, AM_SEVERITY_MEDIUM },
		{ "medio", AM_PRIORITY_MEDIUM, AM_SEVERITY_MEDIUM },
		{ "bassa", AM_PRIORITY_LOW, AM_SEVERITY_LOW },
		{ "basso", AM_PRIORITY_LOW, AM_SEVERITY_LOW },
		{ "严重", AM_PRIORITY_HIGH, AM_SEVERITY_CRITICAL },
		{ "紧急", AM_PRIORITY_HIGH, AM_SEVERITY_CRITICAL },
		{ "重大", AM_PRIORITY_HIGH, AM_SEVERITY_CRITICAL },
		{ "치명적", AM_PRIORITY_HIGH, AM_SEVERITY_CRITICAL },
		{ "高", AM_PRIORITY_HIGH, AM_SEVERITY_HIGH },
		{ "높음", AM_PRIORITY_HIGH, AM_SEVERITY_HIGH },
		{ "中", AM_PRIORITY_MEDIUM, AM_SEVERITY_MEDIUM },
		{ "중간", AM_PRIORITY_MEDIUM, AM_SEVERITY_MEDIUM },
		{ "低", AM_PRIORITY_LOW, AM_SEVERITY_LOW },
		{ "낮음", AM_PRIORITY_LOW, AM_SEVERITY_LOW },
	};
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (!strcmp(w, levels[i].word)) {
			*priority = levels[i].p;
			*severity = levels[i].s;
			return 1;
		}
	return 0;
}

int am_vocab__level_next(am_vocab_matcher *m, const char *text, size_t len, size_t *off,
			 am_priority *priority, am_severity *severity)
{
	am_re_group g[2];
	char w[24];

	while (*off < len && am_re_match(m->level, text, len, *off, g, 2) > 0) {
		size_t n = g[1].end - g[1].start, k = 0;
		*off = g[0].end > g[0].start ? g[0].end : g[0].start + 1;
		const unsigned char *p = (const unsigned char *)text + g[1].start;
		for (size_t i = 0; i < n && k + 1 < sizeof(w); i++) {
			unsigned char ch = p[i];
			/* "MÉDIA": Latin-1 capitals folded like ASCII ones. */
			if (i > 0 && p[i - 1] == 0xC3 && ch >= 0x80 && ch <= 0x9E && ch != 0x97)
				ch += 0x20;
			w[k++] = (char)am_tolower(ch);
		}
		w[k] = '\0';
		/* "Priority 1", "priority-2": the same as P1, P2. */
		bool spelled = !strncmp(w, "priority", 8);
		if (spelled) {
			w[0] = 'p';
			w[1] = w[k - 1];
			w[2] = '\0';
		}
		if (level_of_word(w, priority, severity))
			return w[0] == 'p' && am_isdigit((unsigned char)w[1]) && !w[2] ? AM_LEVEL_WORD_P : AM_LEVEL_WORD;
	}
	return 0;
}

bool am_vocab__level_mark(const char *text, size_t len, am_priority *priority, am_severity *severity)
{
	/* The colours of the usual scale, red to blue. */
	static const struct {
		const char *mark;
		am_priority priority;
		am_severity severity;
	} marks[] = {
		{ "🔴", AM_PRIORITY_HIGH, AM_SEVERITY_CRITICAL }, { "🟠", AM_PRIORITY_HIGH, AM_SEVERITY_HIGH },
		{ "🟡", AM_PRIORITY_MEDIUM, AM_SEVERITY_MEDIUM }, { "🟢", AM_PRIORITY_LOW, AM_SEVERITY_LOW },
		{ "🔵", AM_PRIORITY_LOW, AM_SEVERITY_INFO },
	};
	am_span v = am_span_trim((am_span){ text, len });
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (am_span_eq(v, am_span_from(marks[i].mark))) {
			*priority = marks[i].priority;
			*severity = marks[i].severity;
			return true;
		}
	return false;
}

int am_vocab__level(am_vocab_matcher *m, const char *text, size_t len,
		    am_priority *priority, am_severity *severity)
{
	size_t off = 0;
	return am_vocab__level_next(m, text, len, &off, priority, severity) != 0;
}
