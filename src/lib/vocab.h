/*
 * vocab.h: the vocabularies (status words, field names, extensions) and the
 * recognisers built from them.
 */
#ifndef AM_VOCAB_H
#define AM_VOCAB_H

#include "auditmd/compile.h"
#include "patterns.h"
#include "util.h"

struct am_vocab {
	char **terms[AM_VOCAB__COUNT];
	size_t nterms[AM_VOCAB__COUNT];
	size_t cap[AM_VOCAB__COUNT];
	/* Every term once, lower case, with the lists it is in (a bit each):
	 * an open-addressing table for am_vocab__has. */
	struct am_vocab_slot {
		const char *term;
		uint32_t lists;
		uint32_t len; /* strlen(term) */
	} *index;
	size_t index_cap, index_n;
	size_t index_longest; /* the longest term's length: a longer name is none */
	/* Lint rules switched off by the configuration. */
	char **disabled_rules;
	size_t ndisabled_rules, cap_disabled_rules;
	/* The audits the configuration lists ("audits"). */
	char **audits;
	size_t naudits, cap_audits;
};

/* How much a status term says: in a status text with several, the
 * highest rank wins, then the first. */
enum {
	AM_TERM_WEAK = 1,   /* a word that says little alone: "confirmed", "new" */
	AM_TERM_MARK = 2,   /* a mark alone: "✅", "⬜" */
	AM_TERM_LEGEND = 3, /* defined by the audit's own legend */
	AM_TERM_STRONG = 4, /* any other status word */
};

/* Recognisers compiled from one vocabulary, for one compile at a time. */
typedef struct {
	const char *term; /* lower case */
	size_t len;
	am_status status;
	unsigned char rank;      /* AM_TERM_* */
	bool level_word;         /* also a level ("informational"): no status in titles */
	unsigned char second;    /* its second byte when a plain letter or digit, else 0 */
} am_status_term;

typedef struct {
	const am_vocab *vocab;
	/* Status terms bucketed by their first byte, each bucket in match order. */
	am_status_term *terms;
	size_t nterms;
	uint32_t bucket[257];
	am_re *level; /* critical|high|...|P0-P4 */
	/* The audit's own marks and words (its legend), tried first; owned. */
	am_status_term *doc;
	size_t ndoc, capdoc;
} am_vocab_matcher;

int am_vocab__matcher_init(am_vocab_matcher *m, const am_vocab *vocab);
void am_vocab__matcher_free(am_vocab_matcher *m);
/* Forgets the audit's own terms (am_vocab__matcher_define), and only them. */
void am_vocab__matcher_forget(am_vocab_matcher *m);

/*
 * The first status term in text[0..len) (a title, a heading): its status,
 * and its span in start and end. AM_STATUS_UNKNOWN when there is none.
 * Level words ("Informational") are not statuses here.
 */
am_status am_vocab__status(am_vocab_matcher *m, const char *text, size_t len,
			   size_t *start, size_t *end);

/*
 * The status a whole status text gives (a Status field, a status cell):
 * after the last arrow ("Open → Fixed"), the first plain status word, else
 * the audit's own term, else a mark, else a weak word, so "🔍 DOCUMENTED"
 * is documented, "CONFIRMED - BY DESIGN" by design and "✅ NEW" resolved.
 */
am_status am_vocab__status_text(am_vocab_matcher *m, const char *text, size_t len,
				size_t *start, size_t *end);

/* True when text[0..len) is made of marks only ("✅", "⬜ ", "[x]"): a
 * status that says less than a word or a checkbox. */
bool am_vocab__is_mark(const char *text, size_t len);

/* Defines in dst the audit's terms defined in src (src's first). */
void am_vocab__matcher_share(am_vocab_matcher *dst, const am_vocab_matcher *src);

/* Defines a status term for this audit only (its legend: "⛔ = blocked");
 * the first definition of a term wins. AM_EUSAGE for an empty term. */
int am_vocab__matcher_define(am_vocab_matcher *m, const char *term, size_t len, am_status status);

/* The first priority or severity word (High, P1, Critical...) in text. */
int am_vocab__level(am_vocab_matcher *m, const char *text, size_t len,
		    am_priority *priority, am_severity *severity);

/* A level cell or field value that is a colour alone: 🔴 critical (a
 * high priority), 🟠 high, 🟡 medium, 🟢 low, 🔵 informational (a low
 * priority). Only where a level is expected: elsewhere 🔴 is a status. */
bool am_vocab__level_mark(const char *text, size_t len, am_priority *priority, am_severity *severity);

enum { AM_LEVEL_WORD = 1, AM_LEVEL_WORD_P = 2 };

/* The next level word in text from *off (advanced past it):
 * AM_LEVEL_WORD_P for a P-token ("P1", "Priority 1"), AM_LEVEL_WORD for a
 * word ("High", "Kritisch"), 0 when there is none. */
int am_vocab__level_next(am_vocab_matcher *m, const char *text, size_t len, size_t *off,
			 am_priority *priority, am_severity *severity);

typedef enum {
	AM_FIELD_OTHER = 0,
	AM_FIELD_EVIDENCE, /* citations are evidence */
	AM_FIELD_MENTION,  /* citations are mentions */
} am_field_role;

/* True when `name` (any case, surrounding space ignored) is in list. */
bool am_vocab__has(const am_vocab *v, am_vocab_list list, am_span name);

#endif
