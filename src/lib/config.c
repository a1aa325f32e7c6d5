/*
 * config.c: the configuration file, ".auditmd.json": the vocabulary lists
 * it extends, the lint rules it switches off and the audits it lists. json.c reads the JSON;
 * this file says what its members mean, and what is wrong with them.
 */
#include "auditmd/config.h"

#include <string.h>

#include "json_int.h"
#include "util.h"

typedef struct {
	am_vocab *vocab;
	const char *source;
} reading;

/* "resolved": ["Shipped", ...]: terms added to the list so named. */
static int vocabulary_list(const char *key, struct json_t *list, void *payload)
{
	reading *r = payload;
	int which = -1;
	for (int l = 0; l < AM_VOCAB__COUNT; l++)
		if (!strcmp(key, am_vocab_list_name((am_vocab_list)l)))
			which = l;
	if (which < 0) {
		am_error_set("%s: unknown vocabulary list \"%s\"", r->source, key);
		return AM_EPARSE;
	}
	if (am_json__kind(list) != AM_JSON_ARRAY) {
		am_error_set("%s: vocabulary \"%s\" must be a list of strings", r->source, key);
		return AM_EPARSE;
	}
	for (size_t i = 0; i < am_json__size(list); i++) {
		const char *term = am_json__str(am_json__item(list, i));
		if (!term || am_vocab_add(r->vocab, (am_vocab_list)which, term) < 0) {
			am_error_set("%s: vocabulary \"%s\" item %zu must be a string of 1 to 200 bytes",
				     r->source, key, i + 1);
			return AM_EPARSE;
		}
	}
	return 0;
}

/* "lint": {"disable": ["rule-id", ...]}, and nothing else. */
static int lint_rules(const reading *r, const struct json_t *lint)
{
	const struct json_t *disable = am_json__get(lint, "disable");
	if (am_json__kind(lint) != AM_JSON_OBJECT || am_json__size(lint) != (disable ? 1u : 0u) ||
	    (disable && am_json__kind(disable) != AM_JSON_ARRAY)) {
		am_error_set("%s: \"lint\" must be {\"disable\": [rule ids]}", r->source);
		return AM_EPARSE;
	}
	for (size_t i = 0; i < am_json__size(disable); i++) {
		const char *rule = am_json__str(am_json__item(disable, i));
		if (!rule || am_vocab_disable_rule(r->vocab, rule) < 0) {
			am_error_set("%s: lint \"disable\" item %zu must be a rule id", r->source, i + 1);
			return AM_EPARSE;
		}
	}
	return 0;
}

/* "audits": ["docs/AUDIT.md", ...], paths relative to the repository root. */
static int audit_list(const reading *r, const struct json_t *audits)
{
	if (am_json__kind(audits) != AM_JSON_ARRAY) {
		am_error_set("%s: \"audits\" must be a list of paths", r->source);
		return AM_EPARSE;
	}
	for (size_t i = 0; i < am_json__size(audits); i++) {
		const char *path = am_json__str(am_json__item(audits, i));
		if (!path || am_vocab_add_audit(r->vocab, path) < 0) {
			am_error_set("%s: \"audits\" item %zu must be a path of 1 to 4096 bytes", r->source,
				     i + 1);
			return AM_EPARSE;
		}
	}
	return 0;
}

int am_config_load(am_vocab *vocab, const char *text, size_t len, const char *source)
{
	reading r = { vocab, source ? source : "<config>" };
	struct json_t *root = NULL, *voc, *lint, *audits;
	int rc;

	if ((rc = am_json__load_strict(&root, text, len, r.source)) < 0)
		return rc;
	if (am_json__kind(root) != AM_JSON_OBJECT) {
		am_error_set("%s:1:1: the configuration must be a JSON object", r.source);
		rc = AM_EPARSE;
		goto done;
	}
	voc = am_json__get(root, "vocabulary");
	if (voc && am_json__kind(voc) != AM_JSON_OBJECT) {
		am_error_set("%s: \"vocabulary\" must be an object of lists", r.source);
		rc = AM_EPARSE;
		goto done;
	}
	if (voc && (rc = am_json__each_member(voc, vocabulary_list, &r)) < 0)
		goto done;
	lint = am_json__get(root, "lint");
	if (lint && (rc = lint_rules(&r, lint)) < 0)
		goto done;
	audits = am_json__get(root, "audits");
	if (audits)
		rc = audit_list(&r, audits);
done:
	am_json__free(root);
	return rc;
}
