/*
 * mustache_fuzzer: the template engine (mustache.c) with the template and
 * the JSON data both from the input.
 *
 * Input: TEMPLATE NUL DATA. Without a NUL byte the whole input is the
 * template; data that is not JSON is replaced by a fixed object, so every
 * template is rendered. Partials come from the fixed set in partials.h.
 *
 * The render streams to a sink under small limits (OUTPUT_LIMIT bytes,
 * STEP_LIMIT steps beyond the bytes written), so that templates whose
 * sections multiply end quickly, as they must under the real limits.
 *
 * Promises checked: a failed parse or render is a documented code with a
 * message ("NAME:LINE:COL: ..." for a limit); the sink never gets more than
 * the output limit; a template renders the same bytes twice, and
 * am_template_render (into memory, default limits) gives them too.
 */
#include <string.h>

#include "json_int.h"
#include "mustache.h"

#include "fuzzer.h"
#include "partials.h"

static const char default_data[] =
	"{\"text\": \"<b>&\\\"'</b>\", \"content\": \"c\", \"a\": {\"b\": {\"c\": 1.5}},"
	" \"list\": [1, \"two\", null, true, false, {\"name\": \"n\"}, [], {}],"
	" \"nodes\": [{\"content\": \"x\", \"nodes\": []}], \"template\": \"node\","
	" \"value\": 0, \"empty\": \"\", \"zero\": 0, \"big\": 1e308}";

#define OUTPUT_LIMIT ((size_t)1 << 20)
#define STEP_LIMIT ((uint64_t)1 << 20)

static int keep(const char *bytes, size_t len, void *payload)
{
	am_buf_put(payload, bytes, len);
	return 0;
}

/* "...:LINE:COL: ..." somewhere in the message. */
static bool has_position(const char *msg)
{
	for (const char *p = msg; (p = strchr(p, ':')) != NULL; p++) {
		const char *q = p + 1;
		size_t digits = strspn(q, "0123456789");
		if (digits && q[digits] == ':' && strspn(q + digits + 1, "0123456789") &&
		    q[digits + 1 + strspn(q + digits + 1, "0123456789")] == ':')
			return true;
	}
	return false;
}

/* One streamed render under the small limits; checks what every render
 * promises. */
static int stream(am_buf *got, const am_template *tpl, const json_t *values)
{
	am_template_write_options o = { am_fuzz_load_partial, NULL, keep, got, OUTPUT_LIMIT,
					STEP_LIMIT };
	int rc = am_template_write(tpl, values, &o);
	AM_FUZZ_CHECK(got->size <= OUTPUT_LIMIT);
	if (rc < 0) {
		AM_FUZZ_CHECK(rc == AM_EPARSE || rc == AM_ELIMIT);
		AM_FUZZ_CHECK(am_error_last()[0] != '\0');
		AM_FUZZ_CHECK(has_position(am_error_last()));
	}
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *nul = size ? memchr(text, '\0', size) : NULL;
	size_t tpl_len = nul ? (size_t)(nul - text) : size;
	am_template *tpl = NULL;
	json_t *values = NULL;
	am_buf first = AM_BUF_INIT, second = AM_BUF_INIT, out = AM_BUF_INIT;
	int rc;

	rc = am_template_parse(&tpl, text, tpl_len, "fuzz");
	if (rc < 0) {
		AM_FUZZ_CHECK(rc == AM_EPARSE || rc == AM_ELIMIT);
		AM_FUZZ_CHECK(tpl == NULL && am_error_last()[0] != '\0');
		goto done;
	}
	if (!nul || am_json__load(&values, nul + 1, size - tpl_len - 1, "fuzz.json") < 0) {
		rc = am_json__load(&values, default_data, sizeof(default_data) - 1, "default");
		AM_FUZZ_CHECK(rc == 0);
	}
	if ((rc = stream(&first, tpl, values)) < 0)
		goto done;
	rc = stream(&second, tpl, values);
	AM_FUZZ_CHECK(rc == 0 && second.size == first.size &&
		      !memcmp(am_buf_cstr(&second), am_buf_cstr(&first), first.size));
	/* Into memory, with the default limits, the same bytes after "x". The
	 * small step limit held, so the default one holds too. */
	am_buf_puts(&out, "x");
	rc = am_template_render(&out, tpl, values, am_fuzz_load_partial, NULL);
	AM_FUZZ_CHECK(rc == 0 && out.ptr && out.ptr[0] == 'x' && out.ptr[out.size] == '\0');
	AM_FUZZ_CHECK(out.size == first.size + 1 &&
		      !memcmp(out.ptr + 1, am_buf_cstr(&first), first.size));
done:
	am_buf_free(&out);
	am_buf_free(&first);
	am_buf_free(&second);
	am_template_free(tpl);
	json_decref(values);
	am_error_clear();
	return 0;
}
