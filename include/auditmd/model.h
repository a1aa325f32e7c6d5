/*
 * model.h: the finding model an audit compiles to.
 *
 * The model depends on nothing else in the library. Every string in it is
 * valid, NUL-terminated UTF-8; positions are 1-based lines and byte columns
 * of the (normalised) audit text. A report owns everything reachable from it:
 * free it with am_report_free() and never free its parts.
 */
#ifndef AUDITMD_MODEL_H
#define AUDITMD_MODEL_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	AM_STATUS_UNKNOWN = 0, /**< the audit says something we cannot map */
	AM_STATUS_OPEN,
	AM_STATUS_IN_PROGRESS,
	AM_STATUS_RESOLVED,
	AM_STATUS_WONTFIX,
} am_status;

typedef enum {
	AM_PRIORITY_NONE = 0,
	AM_PRIORITY_HIGH,
	AM_PRIORITY_MEDIUM,
	AM_PRIORITY_LOW,
} am_priority;

typedef enum {
	AM_SEVERITY_NONE = 0,
	AM_SEVERITY_CRITICAL,
	AM_SEVERITY_HIGH,
	AM_SEVERITY_MEDIUM,
	AM_SEVERITY_LOW,
	AM_SEVERITY_INFO,
} am_severity;

/** Where a finding was written. */
typedef enum {
	AM_FINDING_HEADING = 0, /**< `### 3) Title` and its body */
	AM_FINDING_CHECKLIST,   /**< `- [ ] Title` */
	AM_FINDING_TABLE,       /**< a row of a register table */
	AM_FINDING_ITEM,        /**< a list item with an ID, finding fields, a status label or a level over cited lines */
} am_finding_kind;

/** A checklist item's box. */
typedef enum {
	AM_CHECKBOX_NONE = 0, /**< not a checklist item */
	AM_CHECKBOX_EMPTY,    /**< `- [ ] Title` */
	AM_CHECKBOX_TICKED,   /**< `- [x] Title` */
} am_checkbox;

typedef enum {
	AM_CITE_EVIDENCE = 0, /**< the finding's own text or an Evidence/Location field */
	AM_CITE_MENTION,      /**< plans, refactor steps, "files modified" */
} am_cite_role;

typedef struct {
	const char *path;    /**< as written, without line spec */
	uint32_t start, end; /**< 1-based, end >= start; both 0 for a whole file */
	am_cite_role role;
	uint32_t line, column; /**< position of the citation in the audit */
	int malformed;         /**< a zero, reversed or unreadable line spec */
	const char *field;     /**< field the citation was found in, or NULL */
} am_citation;

typedef struct {
	const char *name;  /**< as written, e.g. "Effort estimate" */
	const char *value; /**< plain text; inline code keeps its backticks */
	const char *value_md; /**< the value as Markdown (emphasis, links), for reports to show;
				   NULL when it is the value itself or unknown */
	uint32_t line;
} am_field;

/** A finding's parent_index when it has no parent. */
#define AM_NO_PARENT SIZE_MAX

typedef struct {
	const char *id;          /**< explicit ("H-01") or derived ("F3", "F-1a2b3c") */
	int id_explicit;         /**< 1 when the audit wrote the ID */
	const char *number;      /**< "3", or NULL */
	const char *title;       /**< without numbering or ID */
	const char *title_md;    /**< the title as Markdown (emphasis, links), for reports to
				      show; NULL when it is the title itself */
	const char *norm_title;  /**< lower-case words, no status marks: for matching */
	const char **section;    /**< heading path above the finding */
	size_t nsection;
	am_finding_kind kind;
	am_status status;
	const char *status_text; /**< the words the audit used, or NULL */
	am_priority priority;
	am_severity severity;
	am_field *fields;
	size_t nfields;
	am_citation *citations;
	size_t ncitations;
	const char *parent;      /**< id of the enclosing checklist finding, or NULL */
	size_t parent_index;     /**< that finding's index in the findings; AM_NO_PARENT without one */
	uint64_t text_hash;      /**< hash of the finding's normalised body text */
	uint32_t line, column;
	uint32_t end_line;       /**< last line of the finding's body */
	uint32_t ntasks, ntasks_done; /**< checklist items inside the finding */
	am_checkbox checkbox;    /**< a checklist item's own box; NONE for other kinds */
	am_status title_status;  /**< the status a mark at the edge of the title announces
				      ("Title (Resolved)", "✅ Title"); UNKNOWN without one */
	uint32_t title_mark_start, title_mark_end; /**< that mark's bytes in title */
	const char *title_shown_md; /**< the title's Markdown without that mark, or NULL
					 when it is the title's text without it */
} am_finding;

typedef enum {
	AM_DIAG_WARNING = 0,
	AM_DIAG_ERROR,
	AM_DIAG_NOTE, /**< worth knowing, never a failure (lint: drift of a closed finding) */
} am_diag_severity;

/** A problem in an audit, reported while compiling goes on. */
typedef struct {
	am_diag_severity severity;
	uint32_t line, column;
	const char *code; /**< a stable identifier, e.g. "no-evidence" */
	const char *text;
} am_diag;

/**
 * A row of the audit's own count table ("| High | 12 | 9 | 3 |"): what the
 * audit says it contains, for checking against the findings it does
 * contain (lint's summary-mismatch). Such tables are never findings.
 */
typedef struct {
	const char *label;      /**< the row's first cell: "High", "TOTAL" */
	am_severity severity;   /**< the level the label names, or NONE */
	int is_total;           /**< the label says total, sum, overall or all */
	long total, closed, open; /**< the counts of those columns; -1 where the table has none */
	uint32_t line, column;
} am_summary_row;

typedef struct am_arena am_arena;

typedef struct {
	const char *source;      /**< the name the audit was read as, or NULL */
	const char *title;       /**< first H1, or NULL */
	const char *date;        /**< ISO 8601 (YYYY-MM-DD), or NULL */
	am_field *metadata;
	size_t nmetadata;
	am_finding *findings;
	size_t nfindings;
	am_diag *diags;
	size_t ndiags;
	int mojibake_repaired;   /**< number of mojibake sequences repaired */
	am_arena *arena;         /**< owns every string and array above and below */
	am_summary_row *summary; /**< rows of the audit's count tables, in order */
	size_t nsummary;
} am_report;

/** Frees a report and everything it owns; NULL is accepted. */
AM_EXTERN(void) am_report_free(am_report *report);

/** Names used in the JSON contract: "open", "in_progress", ... */
AM_EXTERN(const char *) am_status_name(am_status status);
AM_EXTERN(const char *) am_priority_name(am_priority priority);  /**< NULL for NONE */
AM_EXTERN(const char *) am_severity_name(am_severity severity);  /**< NULL for NONE */
/** "error", "warning" or "note". */
AM_EXTERN(const char *) am_diag_severity_name(am_diag_severity severity);
AM_EXTERN(const char *) am_finding_kind_name(am_finding_kind kind);
AM_EXTERN(const char *) am_cite_role_name(am_cite_role role);

/**
 * A citation as it is written: "path:10-52", "path:48", or "path" for a
 * whole file (start 0). free() it.
 */
AM_EXTERN(char *) am_citation_spec(const char *path, uint32_t start, uint32_t end);

/**
 * The words reports print for a status: "open", "in progress",
 * "resolved", "won't fix", "unknown". Static.
 */
AM_EXTERN(const char *) am_status_label(am_status status);

/**
 * The title as a report shows it beside the finding's status: without the
 * mark at its edge that announces the status the finding has ("Title
 * (Resolved)" → "Title" when resolved; kept when another status won, so
 * that the conflict shows). The model keeps the title as written. With
 * `markdown`, as Markdown (title_md). free() it.
 */
AM_EXTERN(char *) am_finding_display_title(const am_finding *f, int markdown);

/** 1 for RESOLVED and WONTFIX. */
AM_EXTERN(int) am_status_is_closed(am_status status);

/**
 * The mark reports print before a status: "✓" resolved, "–" won't fix,
 * "◐" in progress, "○" open, "?" unknown. Static.
 */
AM_EXTERN(const char *) am_status_mark(am_status status);

/** 1 when two findings stand under the same chain of section headings. */
AM_EXTERN(int) am_finding_same_section(const am_finding *a, const am_finding *b);

#ifdef __cplusplus
}
#endif

#endif
