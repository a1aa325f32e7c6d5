/*
 * partials.h: the fixed set of partials and parents the template fuzzers
 * resolve {{> name}} and {{< name}} from. Names and texts follow the
 * Mustache specification's tests, plus a few that only misbehave: one that
 * includes itself forever, one that does not parse.
 */
#ifndef AM_FUZZ_PARTIALS_H
#define AM_FUZZ_PARTIALS_H

#include <string.h>

#include "mustache.h"
#include "util.h"

static const struct {
	const char *name, *text;
} am_fuzz_partials[] = {
	{ "partial", "*{{text}}*" },
	{ "p", "|\n{{{content}}}\n|\n" },
	{ "content", "Hello, world!" },
	{ "text", "from partial" },
	{ "include", "{{$var}}var in include{{/var}}" },
	{ "node", "{{content}}<{{#nodes}}{{>node}}{{/nodes}}>" },
	{ "dyn", "{{content}}<{{#nodes}}{{>*template}}{{/nodes}}>" },
	{ "outer", "*{{a}} {{>inner}}*" },
	{ "inner", "{{b}}!" },
	{ "delim", ".{{value}}. {{= | | =}} .|value|." },
	{ "parent", "{{$foo}}default content{{/foo}} {{$bar}}{{<parent2}}{{/parent2}}{{/bar}}" },
	{ "parent2", "{{$foo}}parent2 default content{{/foo}} {{<parent}}{{$bar}}don't recurse{{/bar}}{{/parent}}" },
	{ "older", "{{<grandParent}}{{$a}}o{{/a}}{{/grandParent}}" },
	{ "grandParent", "{{$a}}g{{/a}}" },
	{ "standalone", "Hi,\n  {{$block}}\n  {{/block}}\n" },
	{ "nested", "{{#nested}}{{$block}}You say {{fruit}}.{{/block}}{{/nested}}" },
	{ "row", "{{#.}}[{{name}}{{#children}}{{>row}}{{/children}}]{{/.}}" },
	{ "loop", "{{>loop}}" },
	{ "broken", "{{#open}} never closed" },
	{ "", "empty name" },
};

/* An am_partial_loader over am_fuzz_partials; payload unused. */
static inline int am_fuzz_load_partial(char **out, size_t *outlen, const char *name,
				       void *payload)
{
	(void)payload;
	for (size_t i = 0; i < sizeof(am_fuzz_partials) / sizeof(am_fuzz_partials[0]); i++) {
		if (!strcmp(name, am_fuzz_partials[i].name)) {
			*outlen = strlen(am_fuzz_partials[i].text);
			*out = am_xstrndup(am_fuzz_partials[i].text, *outlen);
			return 0;
		}
	}
	return AM_ENOTFOUND;
}

#endif
