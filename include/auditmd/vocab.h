/*
 * vocab.h: the vocabularies the compiler and the linter read audits with
 * (vocab.c).
 */
#ifndef AUDITMD_VOCAB_H
#define AUDITMD_VOCAB_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The vocabularies the compiler recognises: status words and marks, priority
 * and severity words, field names, file extensions. Built-in defaults can be
 * extended from a configuration file (see am_config_load in config.h).
 */
typedef struct am_vocab am_vocab;

/** A new vocabulary holding the built-in tables. Free with am_vocab_free(). */
AM_EXTERN(int) am_vocab_new(am_vocab **out);
AM_EXTERN(void) am_vocab_free(am_vocab *vocab);

/** Vocabulary lists that a configuration can extend. */
typedef enum {
	AM_VOCAB_RESOLVED = 0, /**< words meaning resolved ("Fixed", "✅") */
	AM_VOCAB_OPEN,
	AM_VOCAB_IN_PROGRESS,
	AM_VOCAB_WONTFIX,
	AM_VOCAB_EVIDENCE_FIELDS, /**< fields whose citations are evidence */
	AM_VOCAB_MENTION_FIELDS,  /**< fields whose citations are mentions */
	AM_VOCAB_FINDING_FIELDS,  /**< field names that mark a heading as a finding */
	AM_VOCAB_DATE_FIELDS,     /**< metadata keys holding the audit's date */
	AM_VOCAB_EXTENSIONS,      /**< file extensions of bare citations */
	AM_VOCAB__COUNT
} am_vocab_list;

/**
 * Adds one term to a list. Terms are matched case-insensitively on word
 * boundaries; a term may be several words or an emoji. Changes take effect
 * at the next compile.
 */
AM_EXTERN(int) am_vocab_add(am_vocab *vocab, am_vocab_list list, const char *term);

/**
 * Switches a lint rule off (the configuration's "lint": {"disable": [...]}),
 * and tells whether one is on.
 */
AM_EXTERN(int) am_vocab_disable_rule(am_vocab *vocab, const char *rule);
AM_EXTERN(int) am_vocab_rule_enabled(const am_vocab *vocab, const char *rule);

/**
 * The audits of a repository, as its configuration lists them ("audits":
 * paths relative to the repository's root): `auditmd check` reads these
 * when it is given none. Add appends one (1 to 4096 bytes; AM_EUSAGE
 * otherwise); the list is borrowed from the vocabulary (NULL when empty).
 */
AM_EXTERN(int) am_vocab_add_audit(am_vocab *vocab, const char *path);
AM_EXTERN(const char *const *) am_vocab_audits(const am_vocab *vocab, size_t *n);

/**
 * Adds to the `extensions` list every file extension found in the tree of
 * `rev` (NULL: HEAD) of the git repository at `repo`, so that citations of
 * any language the audited code is written in are recognised. Fails with
 * AM_EGIT (not a repository, damaged) or AM_ENOTFOUND (unknown revision).
 */
AM_EXTERN(int) am_vocab_add_tree_extensions(am_vocab *vocab, const char *repo, const char *rev);

/**
 * The same in two steps, so that reading the tree can go on while an audit
 * is compiled. am_vocab_tree_extensions reads the extensions of the tree
 * (each once, lower case) into a list of its own, touching no vocabulary:
 * on a thread of the library's own unless `threads` is 1, returning at
 * once; else here, failing as am_vocab_add_tree_extensions fails.
 * am_vocab_add_extensions waits for the reading (its failure is then its
 * own), adds the extensions to `vocab`, and returns 1 when one it did not
 * have is written after a dot, or through an entity, in one of
 * texts[0..ntexts) (lens their lengths): an audit of those texts compiled
 * with `vocab` before may cite differently now, and is to be compiled
 * again. Else 0. am_extensions_free waits for the reading too.
 */
typedef struct am_extensions am_extensions;
AM_EXTERN(int) am_vocab_tree_extensions(am_extensions **out, const char *repo, const char *rev, unsigned threads);
AM_EXTERN(int) am_vocab_add_extensions(am_vocab *vocab, am_extensions *exts, const char *const *texts,
				       const size_t *lens, size_t ntexts);
AM_EXTERN(void) am_extensions_free(am_extensions *exts);

/** The name of a list as written in the configuration file ("resolved", ...). */
AM_EXTERN(const char *) am_vocab_list_name(am_vocab_list list);

#ifdef __cplusplus
}
#endif

#endif
