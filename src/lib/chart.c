/*
 * chart.c: the charts of the reports, as view values.
 *
 * A chart is drawn by its template as inline SVG from the coordinates
 * written here, in a viewBox that scales with the page: text scales with
 * it, so labels placed apart stay apart on a phone. Each chart carries a
 * title and a description (the SVG's <title> and <desc>) and its numbers,
 * which the template lays out as a table beside it.
 */
#include "chart.h"

#include <stdio.h>
#include <string.h>

/* Statuses along a bar: the open work first. */
static const am_status status_order[] = { AM_STATUS_OPEN, AM_STATUS_IN_PROGRESS, AM_STATUS_UNKNOWN,
					  AM_STATUS_WONTFIX, AM_STATUS_RESOLVED };
#define NSTATUSES (sizeof(status_order) / sizeof(status_order[0]))

/* ---- severity × status bars --------------------------------------------------------- */

#define BARS_W 480
#define BARS_LABEL 86 /* the severity names, left of the bars */
#define BARS_TOTAL 40 /* the totals, right of them */
#define BARS_ROW 30
#define BARS_BAR 20

void am_chart__bars(am_jw *w, const am_view_counts *c)
{
	size_t totals[AM_VIEW_SEVERITIES] = { 0 }, max = 0, rows = 0;
	bool present[NSTATUSES] = { false }; /* the statuses of the table's columns */
	am_buf desc = AM_BUF_INIT;

	for (size_t s = 0; s < AM_VIEW_SEVERITIES; s++) {
		for (size_t k = 0; k < NSTATUSES; k++) {
			totals[s] += c->by[am_view__severities[s]][status_order[k]];
			present[k] |= c->by[am_view__severities[s]][status_order[k]] > 0;
		}
		if (totals[s] > max)
			max = totals[s];
		rows += totals[s] > 0;
	}
	if (!rows) {
		am_jw_null(w);
		return;
	}
	double unit = (double)(BARS_W - BARS_LABEL - BARS_TOTAL) / (double)max;
	am_jw_object(w);
	am_view__int(w, "width", BARS_W);
	am_view__int(w, "height", (long long)(rows * BARS_ROW + 4));
	am_view__int(w, "total", (long long)c->total);
	am_view__str(w, "title", "Findings by severity and status");
	am_jw_key(w, "statuses");
	am_jw_array(w);
	for (size_t k = 0; k < NSTATUSES; k++) {
		if (!present[k])
			continue;
		am_jw_object(w);
		am_view__str(w, "status", am_status_name(status_order[k]));
		am_view__str(w, "status_label", am_status_label(status_order[k]));
		am_jw_object_end(w);
	}
	am_jw_array_end(w);
	am_jw_key(w, "rows");
	am_jw_array(w);
	size_t row = 0;
	for (size_t s = 0; s < AM_VIEW_SEVERITIES; s++) {
		am_severity sev = am_view__severities[s];
		if (!totals[s])
			continue;
		double y = 2 + (double)row++ * BARS_ROW, x = BARS_LABEL;
		am_jw_object(w);
		am_view__str(w, "severity", am_view__severity_key(sev));
		am_view__str(w, "label", am_view__severity_label(sev));
		am_view__coord(w, "y", y);
		am_view__coord(w, "text_y", y + BARS_BAR / 2.0 + 4);
		am_view__int(w, "total", (long long)totals[s]);
		am_view__coord(w, "total_x", BARS_LABEL + unit * (double)totals[s] + 6);
		am_buf_printf(&desc, "%s%s: %zu (", desc.size ? "; " : "", am_view__severity_label(sev), totals[s]);
		am_jw_key(w, "segments");
		am_jw_array(w);
		bool first = true;
		for (size_t k = 0; k < NSTATUSES; k++) {
			size_t n = c->by[sev][status_order[k]];
			if (!n)
				continue;
			am_jw_object(w);
			am_view__str(w, "status", am_status_name(status_order[k]));
			am_view__str(w, "status_label", am_status_label(status_order[k]));
			am_view__int(w, "count", (long long)n);
			am_view__coord(w, "x", x);
			am_view__coord(w, "width", unit * (double)n);
			am_jw_object_end(w);
			x += unit * (double)n;
			am_buf_printf(&desc, "%s%zu %s", first ? "" : ", ", n, am_status_label(status_order[k]));
			first = false;
		}
		am_buf_putc(&desc, ')');
		am_jw_array_end(w);
		am_jw_key(w, "cells");
		am_jw_array(w);
		for (size_t k = 0; k < NSTATUSES; k++) {
			if (!present[k])
				continue;
			am_jw_object(w);
			am_view__int(w, "count", (long long)c->by[sev][status_order[k]]);
			am_jw_object_end(w);
		}
		am_jw_array_end(w);
		am_jw_object_end(w);
	}
	am_jw_array_end(w);
	am_view__buf(w, "desc", &desc);
	am_jw_object_end(w);
	am_buf_free(&desc);
}

/* ---- over the revisions of a log ------------------------------------------------------ */

#define LINE_W 640
#define LINE_H 240
#define LINE_LEFT 44
#define LINE_RIGHT 40
#define LINE_TOP 16
#define LINE_BOTTOM 50
/* The least room between two labels of the x axis, in viewBox units: a
 * date is ten characters of about six units. */
#define LABEL_GAP 80.0

typedef struct {
	size_t n, max;
} axis;

static double x_of(const axis *a, size_t i)
{
	double pw = LINE_W - LINE_LEFT - LINE_RIGHT;
	return a->n > 1 ? LINE_LEFT + pw * (double)i / (double)(a->n - 1) : LINE_LEFT + pw / 2;
}

static double y_of(const axis *a, size_t value)
{
	double ph = LINE_H - LINE_TOP - LINE_BOTTOM;
	return LINE_TOP + ph * (1.0 - (double)value / (double)a->max);
}

/* Point i of a polyline's points: "x,y", after a space but the first. */
static void put_point(am_buf *line, size_t i, double x, double y)
{
	if (i)
		am_buf_putc(line, ' ');
	am_buf_put_tenths(line, x);
	am_buf_putc(line, ',');
	am_buf_put_tenths(line, y);
}

/* Whether revision i carries a label: every step-th from the first, and the
 * last, whose nearest labelled neighbour gives way when it is too close. */
static bool labelled(const axis *a, size_t i)
{
	if (a->n <= 1)
		return true;
	double spacing = (LINE_W - LINE_LEFT - LINE_RIGHT) / (double)(a->n - 1);
	size_t step = (size_t)(LABEL_GAP / spacing), last = a->n - 1;
	if (step < 1 || (double)step * spacing < LABEL_GAP)
		step++;
	if (i == last)
		return true;
	return i % step == 0 && last - i >= step;
}

/* The distance between value ticks: 1, 2 or 5 times a power of ten, the
 * least that gives at most five steps up to max (0, 1, 2, 3 for 3; 0, 2,
 * 4, 6, 8, 9 for 9; 0, 5, 10 for 11). */
static size_t tick_step(size_t max)
{
	for (size_t power = 1;; power *= 10) {
		static const size_t mult[] = { 1, 2, 5 };
		for (size_t k = 0; k < 3; k++)
			if (max <= 5 * mult[k] * power)
				return mult[k] * power;
	}
}

static void tick(am_jw *w, const axis *a, size_t value)
{
	am_jw_object(w);
	am_view__coord(w, "y", y_of(a, value));
	am_view__int(w, "value", (long long)value);
	am_jw_object_end(w);
}

static void short_commit(char out[8], const char *commit)
{
	snprintf(out, 8, "%.7s", commit);
}

/* The frame every line chart shares: size, plot edges, axis labels and
 * value ticks. */
static void frame(am_jw *w, const am_log *log, const axis *a)
{
	char sh[8];
	am_view__int(w, "width", LINE_W);
	am_view__int(w, "height", LINE_H);
	am_view__int(w, "left", LINE_LEFT);
	am_view__int(w, "right", LINE_W - LINE_RIGHT);
	am_view__int(w, "top", LINE_TOP);
	am_view__int(w, "bottom", LINE_H - LINE_BOTTOM);
	am_view__int(w, "label_y", LINE_H - LINE_BOTTOM + 18);
	am_view__int(w, "max", (long long)a->max);
	am_jw_key(w, "labels");
	am_jw_array(w);
	for (size_t i = 0; i < log->nentries; i++) {
		if (!labelled(a, i))
			continue;
		short_commit(sh, log->entries[i].commit);
		am_jw_object(w);
		am_view__coord(w, "x", x_of(a, i));
		am_view__str(w, "date", log->entries[i].date);
		am_view__str(w, "commit", sh);
		am_jw_object_end(w);
	}
	am_jw_array_end(w);
	am_jw_key(w, "ticks");
	am_jw_array(w);
	size_t step = tick_step(a->max), last = 0;
	for (size_t v = 0; v <= a->max; v += step) {
		tick(w, a, v);
		last = v;
	}
	/* The top too, unless a round value sits close below it. */
	if (last < a->max && (a->max - last) * 2 >= step)
		tick(w, a, a->max);
	am_jw_array_end(w);
}

void am_chart__burndown(am_jw *w, const am_log *log)
{
	axis a = { log->nentries, 1 };
	am_buf open_line = AM_BUF_INIT, closed_line = AM_BUF_INIT, desc = AM_BUF_INIT;
	char sh[8];

	for (size_t i = 0; i < log->nentries; i++) {
		const am_log_entry *e = &log->entries[i];
		if (e->open > a.max)
			a.max = e->open;
		if (e->closed > a.max)
			a.max = e->closed;
	}
	for (size_t i = 0; i < log->nentries; i++) {
		const am_log_entry *e = &log->entries[i];
		put_point(&open_line, i, x_of(&a, i), y_of(&a, e->open));
		put_point(&closed_line, i, x_of(&a, i), y_of(&a, e->closed));
	}
	am_jw_object(w);
	frame(w, log, &a);
	am_view__str(w, "title", "Open and closed findings per revision");
	if (log->nentries) {
		const am_log_entry *f = &log->entries[0], *l = &log->entries[log->nentries - 1];
		am_buf_printf(&desc, "%zu revisions: %zu open and %zu closed on %s, %zu open and %zu closed on %s",
			      log->nentries, f->open, f->closed, f->date, l->open, l->closed, l->date);
	}
	am_view__buf(w, "desc", &desc);
	am_view__buf(w, "open_points", &open_line);
	am_view__buf(w, "closed_points", &closed_line);
	am_jw_key(w, "points");
	am_jw_array(w);
	for (size_t i = 0; i < log->nentries; i++) {
		const am_log_entry *e = &log->entries[i];
		am_jw_object(w);
		am_view__coord(w, "x", x_of(&a, i));
		am_view__coord(w, "y_open", y_of(&a, e->open));
		am_view__coord(w, "y_closed", y_of(&a, e->closed));
		am_view__int(w, "open", (long long)e->open);
		am_view__int(w, "closed", (long long)e->closed);
		am_view__str(w, "date", e->date);
		short_commit(sh, e->commit);
		am_view__str(w, "commit", sh);
		am_jw_object_end(w);
	}
	am_jw_array_end(w);
	am_jw_object_end(w);
	am_buf_free(&open_line);
	am_buf_free(&closed_line);
	am_buf_free(&desc);
}

void am_chart__trend(am_jw *w, const am_log *log)
{
	axis a = { log->nentries, 0 };
	am_view_counts *counts = am_xcalloc(log->nentries ? log->nentries : 1, sizeof(*counts));
	size_t open[AM_VIEW_SEVERITIES] = { 0 }; /* the most open at once, per severity */
	am_buf line = AM_BUF_INIT, desc = AM_BUF_INIT;
	char sh[8];

	for (size_t i = 0; i < log->nentries; i++) {
		am_view__count_findings(&counts[i], log->entries[i].report);
		for (size_t s = 0; s < AM_VIEW_SEVERITIES; s++) {
			const size_t *by = counts[i].by[am_view__severities[s]];
			size_t n = by[AM_STATUS_OPEN] + by[AM_STATUS_IN_PROGRESS];
			if (n > open[s])
				open[s] = n;
			if (n > a.max)
				a.max = n;
		}
	}
	if (!a.max) {
		am_jw_null(w);
		free(counts);
		return;
	}
	am_jw_object(w);
	frame(w, log, &a);
	am_view__str(w, "title", "Open findings per severity");
	am_jw_key(w, "series");
	am_jw_array(w);
	for (size_t s = 0; s < AM_VIEW_SEVERITIES; s++) {
		am_severity sev = am_view__severities[s];
		if (!open[s])
			continue;
		am_buf_clear(&line);
		for (size_t i = 0; i < log->nentries; i++) {
			const size_t *by = counts[i].by[sev];
			put_point(&line, i, x_of(&a, i), y_of(&a, by[AM_STATUS_OPEN] + by[AM_STATUS_IN_PROGRESS]));
		}
		const size_t *now = counts[log->nentries - 1].by[sev];
		am_buf_printf(&desc, "%s%s: at most %zu, %zu now", desc.size ? "; " : "", am_view__severity_label(sev),
			      open[s], now[AM_STATUS_OPEN] + now[AM_STATUS_IN_PROGRESS]);
		am_jw_object(w);
		am_view__str(w, "severity", am_view__severity_key(sev));
		am_view__str(w, "label", am_view__severity_label(sev));
		am_view__buf(w, "points", &line);
		am_jw_object_end(w);
	}
	am_jw_array_end(w);
	am_view__buf(w, "desc", &desc);
	/* The numbers: a row a revision, a cell a severity charted. */
	am_jw_key(w, "rows");
	am_jw_array(w);
	for (size_t i = 0; i < log->nentries; i++) {
		am_jw_object(w);
		am_view__str(w, "date", log->entries[i].date);
		short_commit(sh, log->entries[i].commit);
		am_view__str(w, "commit", sh);
		am_jw_key(w, "cells");
		am_jw_array(w);
		for (size_t s = 0; s < AM_VIEW_SEVERITIES; s++) {
			if (!open[s])
				continue;
			const size_t *by = counts[i].by[am_view__severities[s]];
			am_jw_object(w);
			am_view__int(w, "count", (long long)(by[AM_STATUS_OPEN] + by[AM_STATUS_IN_PROGRESS]));
			am_jw_object_end(w);
		}
		am_jw_array_end(w);
		am_jw_object_end(w);
	}
	am_jw_array_end(w);
	am_jw_object_end(w);
	am_buf_free(&line);
	am_buf_free(&desc);
	free(counts);
}

#define SPARK_W 120
#define SPARK_H 32
#define SPARK_PAD 3

void am_chart__sparkline(am_jw *w, const am_log *log)
{
	size_t max = 1, most = 0;
	am_buf line = AM_BUF_INIT, desc = AM_BUF_INIT;
	for (size_t i = 0; i < log->nentries; i++)
		if (log->entries[i].open > most)
			most = log->entries[i].open;
	max = most ? most : 1;
	double pw = SPARK_W - 2 * SPARK_PAD, ph = SPARK_H - 2 * SPARK_PAD, x = 0, y = 0;
	for (size_t i = 0; i < log->nentries; i++) {
		x = SPARK_PAD + (log->nentries > 1 ? pw * (double)i / (double)(log->nentries - 1) : pw / 2);
		y = SPARK_PAD + ph * (1.0 - (double)log->entries[i].open / (double)max);
		put_point(&line, i, x, y);
	}
	if (log->nentries)
		am_buf_printf(&desc, "%zu open in the first of %zu revisions, %zu now, %zu at most",
			      log->entries[0].open, log->nentries, log->entries[log->nentries - 1].open, most);
	am_jw_object(w);
	am_view__int(w, "width", SPARK_W);
	am_view__int(w, "height", SPARK_H);
	am_view__buf(w, "points", &line);
	am_view__coord(w, "end_x", x);
	am_view__coord(w, "end_y", y);
	am_view__buf(w, "desc", &desc);
	am_jw_object_end(w);
	am_buf_free(&line);
	am_buf_free(&desc);
}
