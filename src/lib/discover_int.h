/*
 * discover_int.h: the rules of which files are audits (discover.c), shared
 * by am_discover_audits (site) and check's pull-request mode, so that both
 * find the same audits in the same tree.
 */
#ifndef AM_DISCOVER_INT_H
#define AM_DISCOVER_INT_H

#include <stdbool.h>

#include "auditmd/model.h"

/* A Markdown file (.md, .markdown) outside hidden directories. */
bool am_discover__markdown(const char *path);
/* A compiled file that is an audit: a finding with an evidence citation. */
bool am_discover__is_audit(const am_report *r);
/* Whether an entry of the configuration's "audits" is a shell pattern,
 * and whether it names `path` (fnmatch(3): `*` stays within a directory,
 * a leading dot is matched only by a dot). */
bool am_discover__pattern(const char *entry);
bool am_discover__matches(const char *entry, const char *path);

#endif
