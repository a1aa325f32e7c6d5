/*
 * config.h: the configuration file, ".auditmd.json" (config.c).
 */
#ifndef AUDITMD_CONFIG_H
#define AUDITMD_CONFIG_H

#include <stddef.h>

#include "common.h"
#include "vocab.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Extends `vocab` from a configuration document (".auditmd.json"), and
 * switches lint rules off in it:
 *
 *   { "vocabulary": { "resolved": ["Shipped"], "open": ["Needs triage"], ... },
 *     "lint": { "disable": ["no-evidence"] },
 *     "audits": ["docs/AUDIT.md", "audits/review-*.md"] }
 *
 * ("audits", at the top of a repository, names its audits: am_vocab_audits();
 * `auditmd check` reads them when given none, `auditmd site` and
 * am_discover_audits() also take patterns, "*" within a directory.)
 *
 * `source` names the file in error messages. Returns 0 or AM_EPARSE with a
 * message naming the line and column.
 */
AM_EXTERN(int) am_config_load(am_vocab *vocab, const char *text, size_t len,
			      const char *source);

#ifdef __cplusplus
}
#endif

#endif
