#define PCRE2_CODE_UNIT_WIDTH 8
#include "patterns.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct am_re {
	pcre2_code *code;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
};

int am_re_new(am_re **out, const char *pattern, uint32_t flags)
{
	uint32_t opts = PCRE2_UTF | PCRE2_NO_UTF_CHECK;
	int errcode;
	PCRE2_SIZE erroff;
	am_re *re;

	*out = NULL;
	if (flags & AM_RE_CASELESS)
		opts |= PCRE2_CASELESS;
	if (flags & AM_RE_LITERAL)
		opts |= PCRE2_LITERAL;
	if (flags & AM_RE_MULTILINE)
		opts |= PCRE2_MULTILINE;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opts,
					 &errcode, &erroff, NULL);
	if (!code) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		am_error_set("pattern error at offset %zu: %s", (size_t)erroff, (char *)msg);
		return AM_EPARSE;
	}
	/* The JIT is an optimisation: when it is not available, match without it. */
	(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	re = am_xcalloc(1, sizeof(*re));
	re->code = code;
	re->md = pcre2_match_data_create_from_pattern(code, NULL);
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
	pcre2_code_free(re->code);
	free(re);
}

int am_re_match(am_re *re, const char *s, size_t len, size_t offset,
		am_re_group *groups, int ngroups)
{
	int rc;

	if (offset > len)
		return 0;
	rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, offset, PCRE2_NO_UTF_CHECK, re->md,
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
