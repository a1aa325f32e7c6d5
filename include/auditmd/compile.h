/*
 * compile.h: Markdown audit -> finding model.
 */
#ifndef AUDITMD_COMPILE_H
#define AUDITMD_COMPILE_H

#include "common.h"
#include "model.h"
#include "vocab.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The patterns a compile needs (status words, citations, dates, titles),
 * compiled once for a vocabulary and kept for many audits: compiling them
 * costs more than compiling a short audit. One thread at a time.
 */
typedef struct am_compiler am_compiler;

typedef struct {
	unsigned int version;
	const char *source;   /**< name for positions and diagnostics, e.g. a path */
	size_t max_size;      /**< bytes; 0 means AM_DEFAULT_MAX_SIZE */
	const am_vocab *vocab; /**< NULL for the built-in vocabulary */
	unsigned threads;     /**< 1: one thread; 0: two for audits of split_min bytes or more */
	/**
	 * Bytes from which an audit is cut in parts (when it has a place to
	 * cut), each parsed and walked in turn and freed once walked: in
	 * pieces on two threads at once, or part after part on one thread
	 * when threads is 1; 0 means AM_DEFAULT_SPLIT_MIN, SIZE_MAX never
	 * cut. The result is the same either way: tests set it low to compare
	 * small audits compiled cut and whole.
	 */
	size_t split_min;
	/** Patterns compiled before (am_compiler_new), with the vocabulary they
	 * were compiled for, which then replaces `vocab`; NULL: compiled for
	 * this audit. */
	am_compiler *compiler;
} am_compile_options;

#define AM_COMPILE_OPTIONS_VERSION 2
#define AM_COMPILE_OPTIONS_INIT { AM_COMPILE_OPTIONS_VERSION, NULL, 0, NULL, 0, 0, NULL }
#define AM_DEFAULT_MAX_SIZE ((size_t)64 << 20)
#define AM_DEFAULT_SPLIT_MIN ((size_t)1 << 20)

/** Documented limits: exceeding one is an AM_ELIMIT error, not a slow death. */
#define AM_MAX_FINDINGS 1000000
#define AM_MAX_CITATIONS_PER_FINDING 10000
/** Lists and block quotes, and inline elements (emphasis, strong, links),
 * nest at most this deep. */
#define AM_MAX_NESTING 256
/** A line of a table (its header, delimiter row or a body row) holds at most
 * this many '|' cell separators: the GFM table parser takes time quadratic
 * in the cells of a row. */
#define AM_MAX_TABLE_CELLS 128

/**
 * Compiles the audit in `text` (`len` bytes) into `*out`.
 *
 * Returns 0, or AM_EPARSE (invalid UTF-8, NUL byte, UTF-16; the message names
 * line and column), AM_ELIMIT (too large, nested too deep, a table row with
 * too many cells, too many findings). Problems in the audit that do not
 * stop compiling are in (*out)->diags. The caller frees *out with
 * am_report_free().
 */
AM_EXTERN(int) am_compile(am_report **out, const char *text, size_t len,
			  const am_compile_options *opts);

/**
 * Compiles the patterns for `vocab` (NULL: the built-in vocabulary, which
 * must outlive the compiler otherwise) into *out, to pass to am_compile()
 * in the options of many audits. Free with am_compiler_free().
 */
AM_EXTERN(int) am_compiler_new(am_compiler **out, const am_vocab *vocab);
AM_EXTERN(void) am_compiler_free(am_compiler *compiler);

#ifdef __cplusplus
}
#endif

#endif
