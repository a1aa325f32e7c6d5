#include "text.h"

#include <string.h>

#include "cli.h"

#define C(code) (color ? "\033[" code "m" : "")
#define RESET C("0")

static const char *mark(am_status s)
{
	switch (s) {
	case AM_STATUS_RESOLVED: return "✓";
	case AM_STATUS_WONTFIX: return "–";
	case AM_STATUS_IN_PROGRESS: return "◐";
	case AM_STATUS_OPEN: return "○";
	default: return "?";
	}
}

static const char *status_color(am_status s, bool color)
{
	switch (s) {
	case AM_STATUS_RESOLVED: return C("32");
	case AM_STATUS_IN_PROGRESS: return C("33");
	case AM_STATUS_OPEN: return C("31");
	default: return C("2");
	}
}

static bool same_section(const am_finding *a, const am_finding *b)
{
	if (a->nsection != b->nsection)
		return false;
	for (size_t i = 0; i < a->nsection; i++)
		if (strcmp(a->section[i], b->section[i]))
			return false;
	return true;
}

int cli_write_report_text(FILE *fp, const am_report *r, bool color)
{
	size_t counts[5] = { 0 };

	for (size_t i = 0; i < r->nfindings; i++)
		counts[r->findings[i].status]++;
	fprintf(fp, "%s%s%s", C("1"), r->title ? r->title : "(untitled audit)", RESET);
	if (r->date)
		fprintf(fp, " (%s)", r->date);
	fprintf(fp, "\n%zu findings: %zu open, %zu in progress, %zu resolved, %zu won't fix",
		r->nfindings, counts[AM_STATUS_OPEN], counts[AM_STATUS_IN_PROGRESS],
		counts[AM_STATUS_RESOLVED], counts[AM_STATUS_WONTFIX]);
	if (counts[AM_STATUS_UNKNOWN])
		fprintf(fp, ", %zu unknown", counts[AM_STATUS_UNKNOWN]);
	fputs("\n", fp);

	for (size_t i = 0; i < r->nfindings; i++) {
		const am_finding *f = &r->findings[i];
		if (i == 0 || !same_section(f, &r->findings[i - 1])) {
			fputc('\n', fp);
			if (f->nsection) {
				fputs(C("1"), fp);
				for (size_t k = 0; k < f->nsection; k++)
					fprintf(fp, "%s%s", k ? " › " : "", f->section[k]);
				fprintf(fp, "%s\n", RESET);
			}
		}
		fprintf(fp, "  %s%s%s %-8s %s", status_color(f->status, color), mark(f->status), RESET,
			f->id, f->title);
		const char *p = am_priority_name(f->priority), *s = am_severity_name(f->severity);
		if (s)
			fprintf(fp, "  %s[%s]%s", C("35"), s, RESET);
		else if (p)
			fprintf(fp, "  %s[%s priority]%s", C("35"), p, RESET);
		fputc('\n', fp);
		for (size_t k = 0; k < f->ncitations; k++) {
			const am_citation *ci = &f->citations[k];
			if (ci->role != AM_CITE_EVIDENCE)
				continue;
			fprintf(fp, "             %s%s", C("36"), ci->path);
			if (ci->start && ci->end != ci->start)
				fprintf(fp, ":%u-%u", ci->start, ci->end);
			else if (ci->start)
				fprintf(fp, ":%u", ci->start);
			fprintf(fp, "%s\n", RESET);
		}
	}
	return ferror(fp) ? AM_EIO : 0;
}
