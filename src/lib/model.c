#include "auditmd/model.h"

#include "util.h"

void am_report_free(am_report *report)
{
	if (!report)
		return;
	am_arena_free(report->arena);
	free(report);
}

const char *am_status_name(am_status status)
{
	switch (status) {
	case AM_STATUS_OPEN: return "open";
	case AM_STATUS_IN_PROGRESS: return "in_progress";
	case AM_STATUS_RESOLVED: return "resolved";
	case AM_STATUS_WONTFIX: return "wontfix";
	default: return "unknown";
	}
}

const char *am_priority_name(am_priority priority)
{
	switch (priority) {
	case AM_PRIORITY_HIGH: return "high";
	case AM_PRIORITY_MEDIUM: return "medium";
	case AM_PRIORITY_LOW: return "low";
	default: return NULL;
	}
}

const char *am_severity_name(am_severity severity)
{
	switch (severity) {
	case AM_SEVERITY_CRITICAL: return "critical";
	case AM_SEVERITY_HIGH: return "high";
	case AM_SEVERITY_MEDIUM: return "medium";
	case AM_SEVERITY_LOW: return "low";
	case AM_SEVERITY_INFO: return "info";
	default: return NULL;
	}
}

const char *am_finding_kind_name(am_finding_kind kind)
{
	switch (kind) {
	case AM_FINDING_CHECKLIST: return "checklist";
	case AM_FINDING_TABLE: return "table";
	case AM_FINDING_ITEM: return "item";
	default: return "heading";
	}
}

const char *am_cite_role_name(am_cite_role role)
{
	return role == AM_CITE_MENTION ? "mention" : "evidence";
}

const char *am_status_label(am_status status)
{
	switch (status) {
	case AM_STATUS_OPEN: return "open";
	case AM_STATUS_IN_PROGRESS: return "in progress";
	case AM_STATUS_RESOLVED: return "resolved";
	case AM_STATUS_WONTFIX: return "won't fix";
	default: return "unknown";
	}
}

/* No word in s[0..len): no ASCII letter or digit, no two-byte letter
 * (accented Latin, Greek, Cyrillic); marks, punctuation, emoji. */
static bool only_marks(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if ((ch < 0x80 && am_isalnum(ch)) || (ch >= 0xC0 && ch < 0xE0))
			return false;
	}
	return true;
}

/* The length of the separator that ends s[0..len): a space, a bracket,
 * a dash (ASCII, en or em), a colon, a bar or a comma; 0 for none. */
static size_t separator_before(const char *s, size_t len)
{
	if (len && strchr(" \t([{-:|,", s[len - 1]))
		return 1;
	if (len >= 3 && (!memcmp(s + len - 3, "–", 3) || !memcmp(s + len - 3, "—", 3)))
		return 3;
	return 0;
}

static size_t separator_after(const char *s, size_t len)
{
	if (len && strchr(" \t)]}-:|,.", s[0]))
		return 1;
	if (len >= 3 && (!memcmp(s, "–", 3) || !memcmp(s, "—", 3)))
		return 3;
	return 0;
}

char *am_finding_display_title(const am_finding *f)
{
	const char *t = f->title ? f->title : "";
	size_t len = strlen(t), a = f->title_mark_start, e = f->title_mark_end, from = 0, to = len;
	if (f->title_status == AM_STATUS_UNKNOWN || f->title_status != f->status || e <= a || e > len)
		return am_xstrdup(t);
	if (only_marks(t + e, len - e)) {
		/* A suffix, and what follows it: "Title (Resolved)", "Title - FIXED ✅". */
		to = a;
		for (size_t k; (k = separator_before(t, to)) > 0;)
			to -= k;
	} else if (only_marks(t, a)) {
		/* A prefix: "✅ Title", "[FIXED] Title". */
		from = e;
		for (size_t k; (k = separator_after(t + from, len - from)) > 0;)
			from += k;
	}
	if (from >= to || (from == 0 && to == len))
		return am_xstrdup(t);
	return am_xstrndup(t + from, to - from);
}

int am_status_is_closed(am_status status)
{
	return status == AM_STATUS_RESOLVED || status == AM_STATUS_WONTFIX;
}

const char *am_status_mark(am_status status)
{
	switch (status) {
	case AM_STATUS_RESOLVED: return "✓";
	case AM_STATUS_WONTFIX: return "–";
	case AM_STATUS_IN_PROGRESS: return "◐";
	case AM_STATUS_OPEN: return "○";
	default: return "?";
	}
}

int am_finding_same_section(const am_finding *a, const am_finding *b)
{
	if (a->nsection != b->nsection)
		return 0;
	for (size_t i = 0; i < a->nsection; i++)
		if (strcmp(a->section[i], b->section[i]))
			return 0;
	return 1;
}
