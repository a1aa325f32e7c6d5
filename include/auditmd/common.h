/*
 * auditmd - audit reports written in Markdown, as data.
 *
 * common.h: export macro, version, error codes and the error slot shared by
 * every module of the library.
 */
#ifndef AUDITMD_COMMON_H
#define AUDITMD_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "auditmd/version.h" /* AUDITMD_VERSION, generated from meson.build */

#ifdef __cplusplus
extern "C" {
#endif

#if defined(AUDITMD_BUILDING) && defined(__GNUC__)
#define AM_EXTERN(type) __attribute__((visibility("default"))) type
#else
#define AM_EXTERN(type) type
#endif

/** Return codes: 0 is success, every failure is negative. */
enum {
	AM_OK = 0,
	AM_ERROR = -1,     /**< generic failure */
	AM_ENOTFOUND = -3, /**< a file, revision or object does not exist */
	AM_EPARSE = -4,    /**< the input is not what it should be (encoding, syntax) */
	AM_EGIT = -5,      /**< the git repository could not be read */
	AM_EIO = -6,       /**< a read or write failed */
	AM_ELIMIT = -7,    /**< a documented limit was exceeded */
	AM_EUSAGE = -8,    /**< invalid arguments */
};

/**
 * The message of the last failure on this thread, or "" when none was set.
 * The string is borrowed: it stays valid until the next failing call on this
 * thread.
 */
AM_EXTERN(const char *) am_error_last(void);

/** Clears the error slot of this thread. */
AM_EXTERN(void) am_error_clear(void);

/**
 * The version of the library loaded ("MAJOR.MINOR.PATCH"), which may differ
 * from the AUDITMD_VERSION a program was compiled with. Borrowed, static.
 */
AM_EXTERN(const char *) am_version(void);

/** A library libauditmd is built on, and the version of it loaded. */
typedef struct {
	const char *name;  /**< "cmark-gfm", "libgit2", "PCRE2" or "Jansson"; static */
	char version[64];  /**< as the library reports it, e.g. "1.9.0" */
} am_library_version;

/** How many libraries am_library_versions() names. */
#define AM_LIBRARY_VERSIONS 4

/**
 * Fills out[0..n) with the libraries libauditmd uses, in the order
 * cmark-gfm, libgit2, PCRE2, Jansson, and the versions loaded at run time.
 * Returns how many there are (AM_LIBRARY_VERSIONS), which may be more than
 * n. Needs no other call first.
 */
AM_EXTERN(size_t) am_library_versions(am_library_version *out, size_t n);

#ifdef __cplusplus
}
#endif

#endif
