#include "text.h"

#include <string.h>

#include "cli.h"

#define C(code) (color ? "\033[" code "m" : "")
#define RESET C("0")

static const char *status_color(am_status s, bool color)
{
	switch (s) {
	case AM_STATUS_RESOLVED: return C("32");
	case AM_STATUS_IN_PROGRESS: return C("33");
	case AM_STATUS_OPEN: return C("31");
	default: return C("2");
	}
}

int cli_write_report_text(FILE *fp, const am_report *r, bool color)
{
	size_t counts[5] = { 0 };

	for (size_t i = 0; i < r->nfindings; i++)
		counts[r->findings[i].status]++;
	fputs(C("1"), fp);
	cli_put_visible(fp, r->title ? r->title : "(untitled audit)");
	fputs(RESET, fp);
	if (r->date) {
		fputs(" (", fp);
		cli_put_visible(fp, r->date);
		fputc(')', fp);
	}
	fprintf(fp, "\n%zu findings: %zu open, %zu in progress, %zu resolved, %zu won't fix",
		r->nfindings, counts[AM_STATUS_OPEN], counts[AM_STATUS_IN_PROGRESS],
		counts[AM_STATUS_RESOLVED], counts[AM_STATUS_WONTFIX]);
	if (counts[AM_STATUS_UNKNOWN])
		fprintf(fp, ", %zu unknown", counts[AM_STATUS_UNKNOWN]);
	fputs("\n", fp);

	for (size_t i = 0; i < r->nfindings; i++) {
		const am_finding *f = &r->findings[i];
		if (i == 0 || !am_finding_same_section(f, &r->findings[i - 1])) {
			fputc('\n', fp);
			if (f->nsection) {
				fputs(C("1"), fp);
				for (size_t k = 0; k < f->nsection; k++) {
					fputs(k ? " › " : "", fp);
					cli_put_visible(fp, f->section[k]);
				}
				fprintf(fp, "%s\n", RESET);
			}
		}
		fprintf(fp, "  %s%s%s ", status_color(f->status, color), am_status_mark(f->status), RESET);
		cli_put_visible(fp, f->id);
		fprintf(fp, "%*s ", strlen(f->id) < 8 ? (int)(8 - strlen(f->id)) : 0, "");
		cli_put_visible(fp, f->title);
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
			char *spec = am_citation_spec(ci->path, ci->start, ci->end);
			fprintf(fp, "             %s", C("36"));
			cli_put_visible(fp, spec);
			fprintf(fp, "%s\n", RESET);
			free(spec);
		}
	}
	return ferror(fp) ? AM_EIO : 0;
}

/* ---- diff ------------------------------------------------------------------ */

/* Display order: what needs attention first. */
static const am_change_kind kind_order[] = {
	AM_CHANGE_REGRESSED, AM_CHANGE_RESOLVED, AM_CHANGE_NEW, AM_CHANGE_REMOVED,
	AM_CHANGE_OPEN, AM_CHANGE_CLOSED,
};

static const char *kind_color(am_change_kind k, bool color)
{
	switch (k) {
	case AM_CHANGE_REGRESSED: return C("1;31");
	case AM_CHANGE_RESOLVED: return C("32");
	case AM_CHANGE_NEW: return C("33");
	case AM_CHANGE_REMOVED: return C("2");
	default: return "";
	}
}

static void number_label(am_buf *b, const am_finding *f)
{
	if (f->number)
		am_buf_printf(b, "#%s", f->number);
	else
		am_buf_puts(b, f->id);
}

static void put_changed(FILE *fp, unsigned changed, bool color)
{
	bool first = true;
	for (unsigned bit = 0; bit < AM_CHANGED__COUNT; bit++)
		if (changed & (1u << bit)) {
			fprintf(fp, "%s%s", first ? "  (" : ", ", am_changed_name(1u << bit));
			first = false;
		}
	if (!first)
		fprintf(fp, ")%s", "");
	(void)color;
}

/* One change: "  #6→#7      Old title → New title  [open → resolved]  (moved)". */
static void write_change(FILE *fp, const am_change *ch, const char *indent, am_buf *label,
			 bool color)
{
	const am_finding *a = ch->old_finding, *b = ch->new_finding;
	am_change_kind k = ch->kind;
	am_buf_clear(label);
	if (a && b && (ch->changed & AM_CHANGED_RENUMBERED)) {
		number_label(label, a);
		am_buf_puts(label, "→");
		number_label(label, b);
	} else {
		number_label(label, b ? b : a);
	}
	char *visible = am_visible(am_buf_cstr(label), label->size, AM_VISIBLE_TAB);
	am_buf_clear(label);
	am_buf_puts(label, visible);
	free(visible);
	/* Pad by characters, not bytes ("→" is three). */
	size_t width = 0;
	for (const char *p = label->ptr; *p; p++)
		width += ((unsigned char)*p & 0xC0) != 0x80;
	fprintf(fp, "%s  %s%s%s%*s ", indent, kind_color(k, color), label->ptr, RESET,
		width < 10 ? (int)(10 - width) : 0, "");
	if (a && b && (ch->changed & AM_CHANGED_RETITLED)) {
		cli_put_visible(fp, a->title);
		fprintf(fp, " %s→%s ", C("2"), RESET);
		cli_put_visible(fp, b->title);
	} else {
		cli_put_visible(fp, (b ? b : a)->title);
	}
	if (a && b && (ch->changed & AM_CHANGED_STATUS))
		fprintf(fp, "  [%s → %s]", am_status_name(a->status), am_status_name(b->status));
	else if (am_change_arrived_closed(ch))
		fprintf(fp, "  %s[already %s]%s", C("32"), am_status_name(b->status), RESET);
	else
		fprintf(fp, "  [%s]", am_status_name((b ? b : a)->status));
	put_changed(fp, ch->changed & ~(unsigned)(AM_CHANGED_STATUS | AM_CHANGED_RENUMBERED |
						AM_CHANGED_RETITLED), color);
	if (ch->matched_by == AM_MATCH_SIMILARITY)
		fprintf(fp, " %s~%.2f%s", C("2"), ch->similarity, RESET);
	if (ch->resolution == AM_RESOLUTION_UNCONFIRMED)
		fprintf(fp, "  %sunconfirmed: the cited code did not change%s", C("1;33"), RESET);
	fputc('\n', fp);
}

/* "3 new", or "3 new (1 already closed)": findings that arrive resolved
 * or won't fix are told from new open ones. */
static void put_new(FILE *fp, const am_diff *d)
{
	fprintf(fp, "%zu new", d->counts[AM_CHANGE_NEW]);
	if (d->new_closed)
		fprintf(fp, " (%zu already closed)", d->new_closed);
}

/* The changes of a diff grouped by kind, worst first. Unchanged open and
 * closed findings are listed with `all`, else counted on one line; with
 * `quiet` they are left out. */
static void write_groups(FILE *fp, const am_diff *d, const char *indent, bool color, bool all,
			 bool quiet)
{
	am_buf label = AM_BUF_INIT;
	for (size_t g = 0; g < sizeof(kind_order) / sizeof(kind_order[0]); g++) {
		am_change_kind k = kind_order[g];
		if (!d->counts[k])
			continue;
		size_t shown = 0;
		for (size_t i = 0; i < d->nchanges; i++) {
			const am_change *ch = &d->changes[i];
			if (ch->kind != k)
				continue;
			if ((k == AM_CHANGE_OPEN || k == AM_CHANGE_CLOSED) && !ch->changed && !all)
				continue;
			if (!shown++)
				fprintf(fp, "\n%s%s%s%s\n", indent, kind_color(k, color),
					am_change_kind_heading(k), RESET);
			write_change(fp, ch, indent, &label, color);
		}
		if (!shown && !quiet && (k == AM_CHANGE_OPEN || k == AM_CHANGE_CLOSED))
			fprintf(fp, "\n%s%s: %zu, unchanged (--all lists them)\n", indent,
				am_change_kind_heading(k), d->counts[k]);
	}
	am_buf_free(&label);
}

int cli_write_diff_text(FILE *fp, const am_diff *d, bool color, bool all)
{
	const am_report *o = d->old_report, *n = d->new_report;

	fputs(C("1"), fp);
	cli_put_visible(fp, n->title ? n->title : (o->title ? o->title : "audit"));
	fprintf(fp, "%s: ", RESET);
	cli_put_visible(fp, o->date ? o->date : (o->source ? o->source : "old"));
	fputs(" → ", fp);
	cli_put_visible(fp, n->date ? n->date : (n->source ? n->source : "new"));
	fputc('\n', fp);
	fprintf(fp, "%zu resolved, ", d->counts[AM_CHANGE_RESOLVED]);
	put_new(fp, d);
	fprintf(fp, ", %zu regressed, %zu removed, %zu still open, %zu still closed\n",
		d->counts[AM_CHANGE_REGRESSED], d->counts[AM_CHANGE_REMOVED], d->counts[AM_CHANGE_OPEN],
		d->counts[AM_CHANGE_CLOSED]);
	if (d->counts[AM_CHANGE_RESOLVED] && !d->resolution_checked && d->resolution_skipped) {
		fprintf(fp, "%sresolutions not checked against the code: ", C("2"));
		cli_put_visible(fp, d->resolution_skipped);
		fprintf(fp, "%s\n", RESET);
	}
	write_groups(fp, d, "", color, all, false);
	return ferror(fp) ? AM_EIO : 0;
}

/* ---- log ------------------------------------------------------------------- */

int cli_write_log_text(FILE *fp, const am_log *log, bool color)
{
	const am_report *last = log->nentries ? log->entries[log->nentries - 1].report : NULL;
	fputs(C("1"), fp);
	cli_put_visible(fp, last && last->title ? last->title : log->path);
	fprintf(fp, "%s: ", RESET);
	cli_put_visible(fp, log->path);
	fprintf(fp, ", %zu revision%s\n", log->nentries, log->nentries == 1 ? "" : "s");
	/* Newest first, as changelogs are read. */
	for (size_t i = log->nentries; i-- > 0;) {
		const am_log_entry *e = &log->entries[i];
		fprintf(fp, "\n%s%s %.10s%s", C("1"), e->date, e->commit, RESET);
		if (e->summary && *e->summary) {
			fputs("  ", fp);
			cli_put_visible(fp, e->summary);
		}
		if (e->author) {
			fputs(" — ", fp);
			cli_put_visible(fp, e->author);
		}
		if (e->report->date && strcmp(e->report->date, e->date)) {
			fputs(" (audit dated ", fp);
			cli_put_visible(fp, e->report->date);
			fputc(')', fp);
		}
		fprintf(fp, "\n%zu findings: %zu open, %zu closed", e->report->nfindings, e->open, e->closed);
		if (!e->diff) {
			fputs(" (first revision)\n", fp);
			continue;
		}
		fprintf(fp, "; %zu resolved, ", e->diff->counts[AM_CHANGE_RESOLVED]);
		put_new(fp, e->diff);
		fprintf(fp, ", %zu regressed, %zu removed\n", e->diff->counts[AM_CHANGE_REGRESSED],
			e->diff->counts[AM_CHANGE_REMOVED]);
		write_groups(fp, e->diff, "  ", color, false, true);
	}
	return ferror(fp) ? AM_EIO : 0;
}
