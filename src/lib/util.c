#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if defined(__SSE2__) && defined(__x86_64__)
#include <emmintrin.h>
#endif

/* ---- allocation -------------------------------------------------------- */

static void oom(void)
{
	fputs("auditmd: out of memory\n", stderr);
	abort();
}

void *am_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *am_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *am_xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (!p)
		oom();
	return p;
}

char *am_xstrdup(const char *s)
{
	return am_xstrndup(s, strlen(s));
}

char *am_xstrndup(const char *s, size_t n)
{
	char *p = am_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void am_sort_strings(const char **v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), by_string);
}

void am_grow(void **arr, size_t *cap, size_t need, size_t size)
{
	size_t ncap;

	if (need <= *cap)
		return;
	ncap = *cap ? *cap : 8;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / size)
			oom();
		ncap *= 2;
	}
	*arr = am_xrealloc(*arr, ncap * size);
	*cap = ncap;
}

/* ---- errors ------------------------------------------------------------ */

static _Thread_local char error_msg[1024];

void am_error_vset(const char *fmt, va_list ap)
{
	vsnprintf(error_msg, sizeof(error_msg), fmt, ap);
	am_utf8_trim(error_msg); /* a long message may have been cut mid-character */
}

void am_error_set(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	am_error_vset(fmt, ap);
	va_end(ap);
}

const char *am_error_last(void)
{
	return error_msg;
}

void am_error_clear(void)
{
	error_msg[0] = '\0';
}

/* ---- spans ------------------------------------------------------------- */

am_span am_span_from(const char *s)
{
	am_span r = { s, s ? strlen(s) : 0 };
	return r;
}

am_span am_span_trim(am_span s)
{
	while (s.len && am_isspace((unsigned char)s.ptr[0])) {
		s.ptr++;
		s.len--;
	}
	while (s.len && am_isspace((unsigned char)s.ptr[s.len - 1]))
		s.len--;
	return s;
}

bool am_span_eq(am_span a, am_span b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

bool am_span_ieq(am_span a, am_span b)
{
	if (a.len != b.len)
		return false;
	for (size_t i = 0; i < a.len; i++)
		if (am_tolower((unsigned char)a.ptr[i]) != am_tolower((unsigned char)b.ptr[i]))
			return false;
	return true;
}

/* ---- buffers ----------------------------------------------------------- */

void am_buf_grow(am_buf *b, size_t extra)
{
	size_t need;

	if (extra > SIZE_MAX - b->size - 1)
		oom();
	need = b->size + extra + 1;
	if (need <= b->asize)
		return;
	size_t n = b->asize ? b->asize : 64;
	while (n < need)
		n = n + n / 2 + 16;
	b->ptr = am_xrealloc(b->ptr, n);
	b->asize = n;
}

void am_buf_put_slow(am_buf *b, const void *data, size_t len)
{
	am_buf_grow(b, len);
	if (len)
		memcpy(b->ptr + b->size, data, len);
	b->size += len;
	b->ptr[b->size] = '\0';
}

void am_buf_puts(am_buf *b, const char *s)
{
	am_buf_put(b, s, strlen(s));
}

void am_buf_put_int(am_buf *b, long long v)
{
	char num[24], *p = num + sizeof(num);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	am_buf_put(b, p, (size_t)(num + sizeof(num) - p));
}

int am_tenths(char out[AM_TENTHS_SIZE], double v)
{
	double a = signbit(v) ? -v : v, t = a * 10;
	/* Plain cases only: finite, under 1e12, and clear of a tie, where the
	 * product's rounding cannot turn the answer (printf rounds the exact
	 * binary value, half to even). */
	if (!(a < 1e12))
		return -1;
	unsigned long long f = (unsigned long long)t;
	double frac = t - (double)f;
	if (frac > 0.5 - 1e-6 && frac < 0.5 + 1e-6)
		return -1;
	unsigned long long n = f + (frac > 0.5), whole = n / 10;
	char digits[24], *p = digits + sizeof(digits);
	do
		*--p = (char)('0' + whole % 10);
	while ((whole /= 10) != 0);
	size_t len = 0;
	if (signbit(v))
		out[len++] = '-';
	memcpy(out + len, p, (size_t)(digits + sizeof(digits) - p));
	len += (size_t)(digits + sizeof(digits) - p);
	out[len++] = '.';
	out[len++] = (char)('0' + n % 10);
	out[len] = '\0';
	return (int)len;
}

void am_buf_put_tenths(am_buf *b, double v)
{
	char num[AM_TENTHS_SIZE];
	int n = am_tenths(num, v);
	if (n < 0)
		am_buf_printf(b, "%.1f", v);
	else
		am_buf_put(b, num, (size_t)n);
}

void am_buf_putc_slow(am_buf *b, int c)
{
	am_buf_grow(b, 1);
	b->ptr[b->size++] = (char)c;
	b->ptr[b->size] = '\0';
}

void am_buf_vprintf(am_buf *b, const char *fmt, va_list ap)
{
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	if (n > 0) {
		am_buf_grow(b, (size_t)n);
		vsnprintf(b->ptr + b->size, (size_t)n + 1, fmt, again);
		b->size += (size_t)n;
	}
	va_end(again);
}

void am_buf_printf(am_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	am_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void am_buf_clear(am_buf *b)
{
	am_buf_truncate(b, 0);
}

void am_buf_truncate(am_buf *b, size_t len)
{
	if (len < b->size) {
		b->size = len;
		b->ptr[len] = '\0';
	}
}

void am_buf_rtrim(am_buf *b)
{
	while (b->size && am_isspace((unsigned char)b->ptr[b->size - 1]))
		b->size--;
	if (b->ptr)
		b->ptr[b->size] = '\0';
}

char *am_buf_detach(am_buf *b)
{
	char *p = b->ptr ? b->ptr : am_xstrdup("");
	b->ptr = NULL;
	b->size = b->asize = 0;
	return p;
}

void am_buf_free(am_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->size = b->asize = 0;
}

int am_buf_read_fd(am_buf *b, int fd, const char *name, size_t max)
{
	for (;;) {
		if (b->asize - b->size < 4096 + 1)
			am_buf_grow(b, 65536);
		ssize_t n = read(fd, b->ptr + b->size, b->asize - b->size - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			am_error_set("%s: %s", name, strerror(errno));
			return AM_EIO;
		}
		if (n == 0)
			return 0;
		b->size += (size_t)n;
		b->ptr[b->size] = '\0';
		if (b->size > max)
			return AM_ELIMIT;
	}
}

/* ---- arena ------------------------------------------------------------- */

typedef struct arena_block {
	struct arena_block *next;
	size_t size, used;
	max_align_t data[];
} arena_block;

/* A block of the heap freed with the arena (am_arena_own). */
typedef struct arena_owned {
	struct arena_owned *next;
	void *p;
} arena_owned;

struct am_arena {
	arena_block *head;
	size_t total;
	arena_owned *owned;
};

#define ARENA_BLOCK (64 * 1024)

struct am_arena *am_arena_new(void)
{
	return am_xcalloc(1, sizeof(struct am_arena));
}

void am_arena_free(struct am_arena *a)
{
	if (!a)
		return;
	for (arena_owned *o = a->owned; o; o = o->next) /* the list is in the blocks */
		free(o->p);
	for (arena_block *b = a->head, *n; b; b = n) {
		n = b->next;
		free(b);
	}
	free(a);
}

/* `size` bytes, not zeroed: for copies. */
static void *arena_raw(struct am_arena *a, size_t size)
{
	arena_block *b = a->head;
	void *p;

	size = (size + 7) & ~(size_t)7;
	if (!b || b->size - b->used < size) {
		size_t bsize = size > ARENA_BLOCK / 4 ? size : ARENA_BLOCK;
		arena_block *nb = am_xmalloc(sizeof(arena_block) + bsize);
		nb->size = bsize;
		nb->used = 0;
		if (b && size > ARENA_BLOCK / 4) {
			/* A big allocation gets its own block behind the current one,
			 * so the current block keeps serving small requests. */
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			a->head = nb;
		}
		a->total += bsize;
		b = nb;
	}
	p = (char *)b->data + b->used;
	b->used += size;
	return p;
}

void *am_arena_alloc(struct am_arena *a, size_t size)
{
	void *p = arena_raw(a, size);
	memset(p, 0, size);
	return p;
}

char *am_arena_strndup(struct am_arena *a, const char *s, size_t n)
{
	char *p = arena_raw(a, n + 1);
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *am_arena_strdup(struct am_arena *a, const char *s)
{
	return s ? am_arena_strndup(a, s, strlen(s)) : NULL;
}

void *am_arena_memdup(struct am_arena *a, const void *p, size_t n, size_t size)
{
	void *r;
	if (!n)
		return NULL;
	r = arena_raw(a, n * size);
	memcpy(r, p, n * size);
	return r;
}

void am_arena_own(struct am_arena *a, void *p)
{
	if (!p)
		return;
	arena_owned *o = arena_raw(a, sizeof(*o));
	o->p = p;
	o->next = a->owned;
	a->owned = o;
}

void am_arena_adopt(struct am_arena *dst, struct am_arena *src)
{
	arena_block *last;

	if (!src)
		return;
	if (src->owned) {
		arena_owned *o = src->owned;
		while (o->next)
			o = o->next;
		o->next = dst->owned;
		dst->owned = src->owned;
	}
	if (src->head) {
		/* src's blocks go behind dst's current block, which keeps serving. */
		for (last = src->head; last->next; last = last->next)
			;
		if (dst->head) {
			last->next = dst->head->next;
			dst->head->next = src->head;
		} else {
			dst->head = src->head;
		}
		dst->total += src->total;
	}
	free(src);
}

size_t am_arena_used(const struct am_arena *a)
{
	return a->total;
}

/* ---- string set (open addressing, linear probing) ---------------------- */

void am_strset_init(am_strset *set, size_t hint)
{
	size_t cap = 16;
	while (cap < hint * 2)
		cap *= 2;
	set->slots = am_xcalloc(cap, sizeof(char *));
	set->cap = cap;
	set->n = 0;
}

void am_strset_free(am_strset *set)
{
	free(set->slots);
	set->slots = NULL;
	set->cap = set->n = 0;
}

static size_t strset_slot(const am_strset *set, const char *s)
{
	size_t mask = set->cap - 1;
	size_t i = (size_t)am_hash_mem(s, strlen(s)) & mask;
	while (set->slots[i] && strcmp(set->slots[i], s) != 0)
		i = (i + 1) & mask;
	return i;
}

bool am_strset_add(am_strset *set, const char *s)
{
	if ((set->n + 1) * 2 > set->cap) {
		am_strset bigger;
		am_strset_init(&bigger, set->cap);
		for (size_t i = 0; i < set->cap; i++)
			if (set->slots[i])
				bigger.slots[strset_slot(&bigger, set->slots[i])] = set->slots[i];
		bigger.n = set->n;
		free(set->slots);
		*set = bigger;
	}
	size_t i = strset_slot(set, s);
	if (set->slots[i])
		return false;
	set->slots[i] = s;
	set->n++;
	return true;
}

bool am_strset_has(const am_strset *set, const char *s)
{
	return set->slots[strset_slot(set, s)] != NULL;
}

/* ---- misc -------------------------------------------------------------- */

uint64_t am_hash64(const void *data, size_t len, uint64_t h)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

uint32_t am_count_lines(const char *s, size_t len)
{
	size_t n = 0, i = 0;
#if defined(__SSE2__) && defined(__x86_64__)
	/* Sixteen bytes at a time, each lane counting its line feeds up to
	 * 255 blocks, then summed. */
	const __m128i lf = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
	while (len - i >= 16) {
		size_t stop = i + ((len - i) / 16 < 255 ? (len - i) / 16 : 255) * 16;
		__m128i acc = zero;
		for (; i < stop; i += 16)
			acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(s + i)), lf));
		__m128i sum = _mm_sad_epu8(acc, zero);
		n += (size_t)_mm_cvtsi128_si64(sum) + (size_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(sum, sum));
	}
#endif
	for (; i < len; i++)
		n += s[i] == '\n';
	return (uint32_t)(n + (len && s[len - 1] != '\n'));
}

uint64_t am_hash_mem(const void *data, size_t len)
{
	const unsigned char *s = data;
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ len, w;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	w = 0;
	if (len > i)
		memcpy(&w, s + i, len - i);
	h = (h ^ w) * 0xff51afd7ed558ccdULL;
	h ^= h >> 29;
	return h * 0xc4ceb9fe1a85ec53ULL ^ (h >> 32);
}

void am_fingerprint(char out[17], const char *a, const char *b, const char *c)
{
	uint64_t h = AM_HASH_SEED;
	h = am_hash64(a, strlen(a), h);
	h = am_hash64("\x1f", 1, h);
	h = am_hash64(b, strlen(b), h);
	h = am_hash64("\x1f", 1, h);
	h = am_hash64(c, strlen(c), h);
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

bool am_parse_uint(const char *s, size_t len, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;
	if (!len)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!am_isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
		if (v > max)
			return false;
	}
	*out = (uint32_t)v;
	return true;
}

void am_buf_put_uri_path(am_buf *b, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (am_isalnum(*p) || strchr("-._~/", *p)) {
			am_buf_putc(b, *p);
		} else {
			am_buf_putc(b, '%');
			am_buf_putc(b, hex[*p >> 4]);
			am_buf_putc(b, hex[*p & 15]);
		}
	}
}

void am_utf8_trim(char *s)
{
	size_t len = strlen(s), i = len;
	/* Back over continuation bytes to the lead byte of the last character. */
	while (i > 0 && len - i < 4 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0)
		return;
	unsigned char lead = (unsigned char)s[i - 1];
	size_t need = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
	if (len - (i - 1) < need)
		s[i - 1] = '\0';
}

void am_strmap_init(am_strmap *m, size_t hint)
{
	m->n = 0;
	m->cap = 16;
	while (m->cap < hint * 2 + 16)
		m->cap *= 2;
	m->keys = am_xcalloc(m->cap, sizeof(char *));
	m->vals = am_xcalloc(m->cap, sizeof(size_t));
}

void am_strmap_free(am_strmap *m)
{
	free(m->keys);
	free(m->vals);
}

static size_t strmap_slot(const am_strmap *m, const char *key)
{
	size_t i = (size_t)am_hash_mem(key, strlen(key)) & (m->cap - 1);
	while (m->keys[i] && strcmp(m->keys[i], key))
		i = (i + 1) & (m->cap - 1);
	return i;
}

/* Keeps the table at most half full. */
static void strmap_reserve(am_strmap *m)
{
	if ((m->n + 1) * 2 <= m->cap)
		return;
	am_strmap bigger;
	am_strmap_init(&bigger, m->cap);
	for (size_t i = 0; i < m->cap; i++)
		if (m->keys[i]) {
			size_t j = strmap_slot(&bigger, m->keys[i]);
			bigger.keys[j] = m->keys[i];
			bigger.vals[j] = m->vals[i];
		}
	bigger.n = m->n;
	am_strmap_free(m);
	*m = bigger;
}

void am_strmap_put(am_strmap *m, const char *key, size_t v)
{
	strmap_reserve(m);
	size_t i = strmap_slot(m, key);
	if (!m->keys[i]) {
		m->keys[i] = key;
		m->vals[i] = v;
		m->n++;
	}
}

void am_strmap_set(am_strmap *m, const char *key, size_t v)
{
	strmap_reserve(m);
	size_t i = strmap_slot(m, key);
	m->n += !m->keys[i];
	m->keys[i] = key;
	m->vals[i] = v;
}

bool am_strmap_get(const am_strmap *m, const char *key, size_t *v)
{
	size_t i = strmap_slot(m, key);
	if (!m->keys[i])
		return false;
	*v = m->vals[i];
	return true;
}
