/*
 * util.h: allocation, the growable buffer, borrowed slices, the arena and
 * the error slot. Private to the library.
 */
#ifndef AM_UTIL_H
#define AM_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <stdlib.h>
#include <string.h>

#include "auditmd/common.h"

#if defined(__GNUC__)
#define AM_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define AM_PRINTF(f, a)
#endif

/* Allocation: aborts on out-of-memory, never returns NULL. */
void *am_xmalloc(size_t size);
void *am_xcalloc(size_t n, size_t size);
void *am_xrealloc(void *ptr, size_t size);
char *am_xstrdup(const char *s);
char *am_xstrndup(const char *s, size_t n);
/* Sorts strings v[0..n) in strcmp order (n may be 0, v NULL then). */
void am_sort_strings(const char **v, size_t n);
/* Grows *arr (of *cap elements of `size` bytes) to hold at least `need`. */
void am_grow(void **arr, size_t *cap, size_t need, size_t size);

/* Error slot (thread-local). */
void am_error_set(const char *fmt, ...) AM_PRINTF(1, 2);
void am_error_vset(const char *fmt, va_list ap);

/* A borrowed slice of bytes. */
typedef struct {
	const char *ptr;
	size_t len;
} am_span;

#define AM_SPAN(s) ((am_span){ (s), sizeof(s) - 1 })
am_span am_span_from(const char *s);
am_span am_span_trim(am_span s);
bool am_span_eq(am_span a, am_span b);
bool am_span_ieq(am_span a, am_span b); /* ASCII case-insensitive */

/* A growable buffer, always NUL-terminated. */
typedef struct {
	char *ptr;
	size_t size;  /* bytes used, not counting the NUL */
	size_t asize; /* bytes allocated */
} am_buf;

#define AM_BUF_INIT { NULL, 0, 0 }
void am_buf_grow(am_buf *b, size_t extra);
void am_buf_put_slow(am_buf *b, const void *data, size_t len);
void am_buf_putc_slow(am_buf *b, int c);
/* Appending is inline when the buffer has room: the writers and the
 * normaliser append byte by byte. */
static inline void am_buf_put(am_buf *b, const void *data, size_t len)
{
	if (len && len < b->asize - b->size) { /* asize > size once allocated */
		memcpy(b->ptr + b->size, data, len);
		b->size += len;
		b->ptr[b->size] = '\0';
	} else {
		am_buf_put_slow(b, data, len);
	}
}
static inline void am_buf_putc(am_buf *b, int c)
{
	if (b->size + 1 < b->asize) {
		b->ptr[b->size++] = (char)c;
		b->ptr[b->size] = '\0';
	} else {
		am_buf_putc_slow(b, c);
	}
}
void am_buf_puts(am_buf *b, const char *s);
/* v in decimal, as "%lld" writes it. */
void am_buf_put_int(am_buf *b, long long v);
/* v as printf's "%.1f" writes it, mostly without printf. am_tenths
 * writes it in out (a NUL after it) and returns its length, or -1 for a
 * value it leaves to printf: not finite, 1e12 or more, or next to a tie. */
#define AM_TENTHS_SIZE 24
int am_tenths(char out[AM_TENTHS_SIZE], double v);
void am_buf_put_tenths(am_buf *b, double v);
/* A path as a URI reference: unreserved characters and '/' kept, the rest
 * percent-encoded. */
void am_buf_put_uri_path(am_buf *b, const char *path);
void am_buf_printf(am_buf *b, const char *fmt, ...) AM_PRINTF(2, 3);
void am_buf_vprintf(am_buf *b, const char *fmt, va_list ap);
void am_buf_clear(am_buf *b);
void am_buf_truncate(am_buf *b, size_t len);
/* Removes trailing ASCII white space. */
void am_buf_rtrim(am_buf *b);
/* Hands the bytes to the caller (free()), leaving b empty. */
char *am_buf_detach(am_buf *b);
void am_buf_free(am_buf *b);
/* Reads fd to its end, appending to b (grow b first to read a known size in
 * one go). Fails with AM_EIO ("NAME: reason") or with AM_ELIMIT, its message
 * left to the caller, once b holds more than max bytes. */
int am_buf_read_fd(am_buf *b, int fd, const char *name, size_t max);
static inline const char *am_buf_cstr(const am_buf *b) { return b->ptr ? b->ptr : ""; }

/* An arena: many small allocations freed at once. */
struct am_arena;
struct am_arena *am_arena_new(void);
void am_arena_free(struct am_arena *a);
void *am_arena_alloc(struct am_arena *a, size_t size); /* zeroed, 8-aligned */
char *am_arena_strndup(struct am_arena *a, const char *s, size_t n);
char *am_arena_strdup(struct am_arena *a, const char *s);
/* Copies `n` elements of `size` bytes; returns NULL for n == 0. */
void *am_arena_memdup(struct am_arena *a, const void *p, size_t n, size_t size);
size_t am_arena_used(const struct am_arena *a);
/* Moves every allocation of src into dst and frees src. */
void am_arena_adopt(struct am_arena *dst, struct am_arena *src);
/* p, from malloc (NULL: nothing), is freed when the arena is. */
void am_arena_own(struct am_arena *a, void *p);

/* A set of strings (borrowed: the caller keeps them alive). */
typedef struct {
	const char **slots;
	size_t cap, n;
} am_strset;
void am_strset_init(am_strset *set, size_t hint);
void am_strset_free(am_strset *set);
/* Adds s; false when it was already there. */
bool am_strset_add(am_strset *set, const char *s);
bool am_strset_has(const am_strset *set, const char *s);

/* A map from strings (borrowed) to indices; it grows as keys are added. */
typedef struct {
	const char **keys;
	size_t *vals;
	size_t cap, n;
} am_strmap;
void am_strmap_init(am_strmap *m, size_t hint);
void am_strmap_free(am_strmap *m);
void am_strmap_put(am_strmap *m, const char *key, size_t v); /* keeps an existing value */
void am_strmap_set(am_strmap *m, const char *key, size_t v); /* replaces it */
bool am_strmap_get(const am_strmap *m, const char *key, size_t *v);

/* FNV-1a, 64 bits. */
uint64_t am_hash64(const void *data, size_t len, uint64_t seed);
#define AM_HASH_SEED 0xcbf29ce484222325ULL
/* A hash of s[0..len) for tables in memory, eight bytes at a time: not
 * FNV, and free to change (nothing written out depends on it). */
uint64_t am_hash_mem(const void *s, size_t len);

/* The lines of s[0..len): its newlines, and one more when the last line
 * has none ("a\nb" and "a\nb\n" are two lines, "" none). */
uint32_t am_count_lines(const char *s, size_t len);
/* The fingerprint of a result: 16 hex digits of the hash of three parts
 * joined by \x1f (SARIF partialFingerprints, baselines). */
void am_fingerprint(char out[17], const char *a, const char *b, const char *c);

/* ASCII helpers that ignore the locale. */
static inline int am_isspace(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
static inline int am_isdigit(int c) { return c >= '0' && c <= '9'; }
static inline int am_isalpha(int c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static inline int am_isalnum(int c) { return am_isalpha(c) || am_isdigit(c); }
static inline int am_tolower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }
static inline int am_toupper(int c) { return (c >= 'a' && c <= 'z') ? c - 32 : c; }

/* Cuts an incomplete UTF-8 sequence off the end of s (after a truncating
 * snprintf). */
void am_utf8_trim(char *s);

/* Parses decimal digits into *out; fails (returns false) on overflow past max. */
bool am_parse_uint(const char *s, size_t len, uint32_t max, uint32_t *out);

#endif
