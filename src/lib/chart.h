/*
 * chart.h: the charts of the reports, as view values: coordinates a
 * template writes into inline SVG (no script), a title and a description
 * for screen readers, and the numbers for the table beside each chart.
 */
#ifndef AM_CHART_H
#define AM_CHART_H

#include "auditmd/log.h"

#include "view.h"

/* Findings by severity and status as stacked bars, one a severity that
 * has findings; null when there are none. */
void am_chart__bars(am_jw *w, const am_view_counts *c);

/* The open and closed findings of each revision of a log (a burndown),
 * its x axis labelled with the date and short commit of as many
 * revisions as fit without overlapping. */
void am_chart__burndown(am_jw *w, const am_log *log);

/* The open findings of each severity over the revisions of a log; null
 * when no revision has an open finding. */
void am_chart__trend(am_jw *w, const am_log *log);

/* A small line of the open findings over the revisions of a log. */
void am_chart__sparkline(am_jw *w, const am_log *log);

#endif
