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

const char *am_diag_severity_name(am_diag_severity severity)
{
	switch (severity) {
	case AM_DIAG_ERROR: return "error";
	case AM_DIAG_NOTE: return "note";
	default: return "warning";
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
