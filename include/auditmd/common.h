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

/** A library libauditmd uses, and the version of it in use. */
typedef struct {
	const char *name;  /**< "cmark-gfm", "libgit2", "PCRE2", "Jansson" */
	char version[64];  /**< as the library reports it: "1.5.1", "10.42 2022-12-11" */
} am_library;

/**
 * The libraries libauditmd uses, in the order `auditmd --version` lists
 * them: fills at most n entries of out and returns how many there are.
 */
AM_EXTERN(size_t) am_libraries(am_library *out, size_t n);

#ifdef __cplusplus
}
#endif

#endif
