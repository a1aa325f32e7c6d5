/*
 * json_int.h: the JSON module's private entry points, for the other JSON
 * producers (diff, verify) and the template engine.
 */
#ifndef AM_JSON_INT_H
#define AM_JSON_INT_H

#include <jansson.h>
#include <stdio.h>

#include "auditmd/model.h"

json_t *am_json__report(const am_report *r);
json_t *am_json__finding(const am_finding *f);
json_t *am_json__citation(const am_citation *ci);
int am_json__write(FILE *stream, json_t *value, int flags);
const char *am_json__version(void);

#endif
