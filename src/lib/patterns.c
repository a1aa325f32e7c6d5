#define PCRE2_CODE_UNIT_WIDTH 8
#include "patterns.h"

#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * A compiled pattern is shared by every am_re of the same pattern and
 * options alive at once: compiling one with the JIT costs far more than
 * most matches, and each compile context (one per thread of a large
 * audit, one per revision) asks for the same ones. PCRE2 matches one
 * compiled pattern on several threads at once; each am_re keeps its own
 * match data.
 */
typedef struct shared_code {
	struct shared_code *next;
	pcre2_code *code;
	uint32_t opts;
	size_t refs;
	char pattern[];
} shared_code;

static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;
static shared_code *shared; /* under shared_lock */

struct am_re {
	shared_code *sc;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
};

/* The shared compiled pattern, made if none is alive; under shared_lock. */
static shared_code *code_for(const char *pattern, uint32_t opts)
{
	for (shared_code *sc = shared; sc; sc = sc->next)
		if (sc->opts == opts && !strcmp(sc->pattern, pattern)) {
			sc->refs++;
			return sc;
		}
	int errcode;
	PCRE2_SIZE erroff;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opts,
					 &errcode, &erroff, NULL);
	if (!code) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		am_error_set("pattern error at offset %zu: %s", (size_t)erroff, (char *)msg);
		return NULL;
	}
	/* The JIT is an optimisation: when it is not available, match without it. */
	(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	size_t len = strlen(pattern);
	shared_code *sc = am_xmalloc(sizeof(*sc) + len + 1);
	memcpy(sc->pattern, pattern, len + 1);
	sc->code = code;
	sc->opts = opts;
	sc->refs = 1;
	sc->next = shared;
	shared = sc;
	return sc;
}

int am_re_new(am_re **out, const char *pattern, uint32_t flags)
{
	uint32_t opts = PCRE2_UTF | PCRE2_NO_UTF_CHECK;
	am_re *re;

	*out = NULL;
	if (flags & AM_RE_CASELESS)
		opts |= PCRE2_CASELESS;
	if (flags & AM_RE_LITERAL)
		opts |= PCRE2_LITERAL;
	if (flags & AM_RE_MULTILINE)
		opts |= PCRE2_MULTILINE;
	pthread_mutex_lock(&shared_lock);
	shared_code *sc = code_for(pattern, opts);
	pthread_mutex_unlock(&shared_lock);
	if (!sc)
		return AM_EPARSE;
	re = am_xcalloc(1, sizeof(*re));
	re->sc = sc;
	re->md = pcre2_match_data_create_from_pattern(sc->code, NULL);
	re->mctx = pcre2_match_context_create(NULL);
	if (!re->md || !re->mctx)
		abort();
	/* Bounded work on adversarial text. */
	pcre2_set_match_limit(re->mctx, 10000000);
	pcre2_set_depth_limit(re->mctx, 10000);
	*out = re;
	return 0;
}

void am_re_free(am_re *re)
{
	if (!re)
		return;
	pcre2_match_data_free(re->md);
	pcre2_match_context_free(re->mctx);
	pthread_mutex_lock(&shared_lock);
	if (--re->sc->refs == 0) {
		shared_code **at = &shared;
		while (*at != re->sc)
			at = &(*at)->next;
		*at = re->sc->next;
		pcre2_code_free(re->sc->code);
		free(re->sc);
	}
	pthread_mutex_unlock(&shared_lock);
	free(re);
}

int am_re_match(am_re *re, const char *s, size_t len, size_t offset,
		am_re_group *groups, int ngroups)
{
	int rc;

	if (offset > len)
		return 0;
	rc = pcre2_match(re->sc->code, (PCRE2_SPTR)s, len, offset, PCRE2_NO_UTF_CHECK, re->md,
			 re->mctx);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(rc, msg, sizeof(msg));
		am_error_set("pattern match failed: %s", (char *)msg);
		return AM_ELIMIT;
	}
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->md);
	uint32_t count = pcre2_get_ovector_count(re->md);
	for (int i = 0; i < ngroups; i++) {
		if ((uint32_t)i < count && ov[2 * i] != PCRE2_UNSET) {
			groups[i].start = ov[2 * i];
			groups[i].end = ov[2 * i + 1];
		} else {
			groups[i].start = groups[i].end = SIZE_MAX;
		}
	}
	return rc == 0 ? ngroups : rc;
}

void am_re_quote(am_buf *b, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (strchr("\\^$.|?*+()[]{}#/-", s[i]) && s[i] != '\0') {
			if (s[i] == '#' || s[i] == '/' || s[i] == '-')
				am_buf_putc(b, s[i]); /* harmless outside classes and extended mode */
			else {
				am_buf_putc(b, '\\');
				am_buf_putc(b, s[i]);
			}
		} else if (s[i] == ' ') {
			am_buf_puts(b, "\\s+");
		} else {
			am_buf_putc(b, s[i]);
		}
	}
}

void am_re_version(char *buf, size_t size)
{
	char version[64] = "";
	pcre2_config(PCRE2_CONFIG_VERSION, version);
	snprintf(buf, size, "%s", version);
}
