/*
 * compile_checklist.c: checklist findings. A task-list item ("- [ ] Fix
 * the login", "> - [x] ~~Drop the cache~~") outside heading findings is a
 * finding: its title is a leading **bold** run or its first line, its box
 * gives its status unless a Status field in it says otherwise (a
 * contradiction is a status-conflict warning), and its nested task items
 * are findings too, with it as their parent. Hands on checklist findings
 * (parents as 1-based indices, made IDs by compile_post.c).
 */
#include <string.h>

#include "compile_int.h"

void am_compile__inl_drop(inl *t, size_t cut)
{
	if (cut > t->text.size)
		cut = t->text.size;
	memmove(t->text.ptr, t->text.ptr + cut, t->text.size - cut + 1);
	t->text.size -= cut;
	if (t->strong_end)
		t->strong_end = t->strong_end > cut ? t->strong_end - cut : 0;
	for (size_t k = 0; k < t->npos; k++) {
		if (t->pos[k].off >= cut) {
			t->pos[k].off -= cut;
		} else {
			t->pos[k].col += (uint32_t)(cut - t->pos[k].off);
			t->pos[k].off = 0;
		}
	}
}

/* Drops the "[x] " the task-list extension left in the text (in block
 * quotes). */
static void drop_marker(inl *t)
{
	if (t->text.size >= 3)
		am_compile__inl_drop(t, t->text.size >= 4 ? 4 : 3);
}

/* "- [x] **high** complexity — List exceeds ...": a leading bold run that
 * is only a level is a label, not the title; it gives the finding its
 * severity (or priority for P0..P4) and leaves the rest of the line as the
 * title. */
static void drop_level_label(ctx *c, builder *b, inl *t)
{
	am_priority p;
	am_severity sv;
	if (!t->starts_strong || !t->strong_end || t->strong_end > 16)
		return;
	am_span label = am_span_trim((am_span){ am_buf_cstr(&t->text), t->strong_end });
	if (!am_vocab__level(&c->vm, label.ptr, label.len, &p, &sv) || memchr(label.ptr, ' ', label.len))
		return;
	size_t cut = t->strong_end;
	const char *s = am_buf_cstr(&t->text);
	while (cut < t->text.size && (s[cut] == ' ' || s[cut] == ':' || s[cut] == '-'))
		cut++;
	if (cut >= t->text.size || s[cut] == '\n')
		return; /* nothing else on the line: the label is the title */
	if ((label.ptr[0] == 'P' || label.ptr[0] == 'p') && label.len == 2)
		am_compile__set_priority(b, p, AM_LEVEL_FROM_TITLE);
	else
		am_compile__set_severity(b, sv, AM_LEVEL_FROM_TITLE);
	am_compile__inl_drop(t, cut);
	t->starts_strong = false;
}

/* "- [x] List exceeds the threshold — **WONTFIX**: reason": a status
 * word after a dash and before a colon on the title line is the item's
 * verdict; it beats the box, and the title ends before it. Returns the
 * title's new length, or len. */
static size_t verdict(ctx *c, builder *b, const inl *t, size_t len)
{
	const char *s = am_buf_cstr(&t->text);
	static const char *const dashes[] = { " — ", " – ", " -- ", " - " };
	for (size_t d = 0; d < sizeof(dashes) / sizeof(dashes[0]); d++) {
		size_t n = strlen(dashes[d]);
		for (const char *p = s; (p = memmem(p, (size_t)(s + len - p), dashes[d], n)) != NULL; p++) {
			const char *w = p + n, *colon = memchr(w, ':', (size_t)(s + len - w));
			size_t a, e;
			if (!colon || colon - w > 40)
				continue;
			am_span v = am_span_trim((am_span){ w, (size_t)(colon - w) });
			am_status st = am_vocab__status_text(&c->vm, v.ptr, v.len, &a, &e);
			if (st == AM_STATUS_UNKNOWN || a > 0 || e != v.len)
				continue;
			b->f.status = st;
			b->f.status_text = am_arena_strndup(c->arena, v.ptr, v.len);
			b->status_from_field = true;
			return (size_t)(p - s);
		}
	}
	return len;
}

/* The length of an item's title: a leading **bold** run, else the first
 * line; "**Title:**" keeps its words, not the colon. */
static size_t item_title_len(const inl *t)
{
	const char *s = am_buf_cstr(&t->text);
	size_t len = 0;

	if (t->starts_strong && t->strong_end > 0) {
		len = t->strong_end;
	} else {
		while (len < t->text.size && s[len] != '\n')
			len++;
	}
	while (len > 0 && (s[len - 1] == ':' || s[len - 1] == ' '))
		len--;
	return len;
}

/*
 * The box says what a Status field (here or nested) does not, or says
 * with a mark alone ("⚠️ manual action required"); a ticked
 * box on an open item, or an empty one on a resolved item, is a
 * contradiction the field wins (a strike through the item, `struck`, is
 * its author's tick, not a contradiction).
 */
static void box_status(ctx *c, builder *b, int state, bool struck, am_md_node *item)
{
	b->f.checkbox = state == 1 ? AM_CHECKBOX_TICKED : AM_CHECKBOX_EMPTY;
	if (b->f.status == AM_STATUS_UNKNOWN || b->status_from_mark) {
		b->f.status = state == 1 ? AM_STATUS_RESOLVED : AM_STATUS_OPEN;
		if (!b->f.status_text)
			b->f.status_text = state == 1 ? "[x]" : "[ ]";
	} else if (state == 1 ? b->f.status == AM_STATUS_OPEN || b->f.status == AM_STATUS_IN_PROGRESS
			      : b->f.status == AM_STATUS_RESOLVED && !struck) {
		am_compile__diag(c, AM_DIAG_WARNING, LINE(c, item), am_md_start_column(item), "status-conflict",
				 "the box of '%s' is %s but its status is '%s' (%s)", b->f.title,
				 state == 1 ? "ticked" : "empty", b->f.status_text ? b->f.status_text : "",
				 am_status_name(b->f.status));
	}
}

void am_compile__checklist_finding(ctx *c, am_md_node *item, size_t parent, int depth)
{
	builder b;
	node_list sub = { NULL, 0, 0 };
	am_md_node *first = am_md_first_child(item);
	bool para = first && am_md_type_of(first) == AM_MD_PARAGRAPH;
	bool marker;
	inl t;

	if (depth > AM_MAX_NESTING) {
		am_compile__error(c, AM_ELIMIT, LINE(c, item), am_md_start_column(item),
				  "task lists nested deeper than the limit of 256 levels");
		return;
	}
	am_compile__builder_init(c, &b);
	am_compile__inl_init(c, &t);
	int state = am_compile__item_task(item, &marker);
	if (para)
		am_compile__inl_render(c, first, &t);
	if (marker)
		drop_marker(&t);
	drop_level_label(c, &b, &t);
	size_t title_len = verdict(c, &b, &t, item_title_len(&t));
	bool said = b.status_from_field;
	am_compile__builder_title(c, &b, &t, title_len, item);
	if (said)
		b.status_from_field = true;
	if (!b.f.title[0])
		b.f.title = "(untitled)";
	b.f.parent_index = parent;
	am_compile__hash_text(&b, am_buf_cstr(&t.text), t.text.size);
	am_compile__scan_cites(c, &b, &t, 0, t.text.size, AM_CITE_EVIDENCE, NULL);
	am_compile__scan_links(c, &b, &t, AM_CITE_EVIDENCE, NULL);
	/* The body: what follows the title paragraph, or the whole item. */
	for (am_md_node *k = para ? am_md_next(first) : first; k; k = am_md_next(k))
		am_compile__body_block(c, &b, k, AM_CITE_EVIDENCE, NULL, NULL, &sub, depth + 1);
	box_status(c, &b, state, t.all_struck, item);
	am_compile__finish_finding(c, &b, AM_FINDING_CHECKLIST, END_LINE(c, item));
	/* The ID is assigned later; refer to the parent by its index. */
	size_t me = c->nfindings - 1;
	am_compile__builder_free(&b);
	am_compile__inl_free(c, &t);
	for (size_t i = 0; i < sub.n && !c->error; i++)
		am_compile__checklist_finding(c, sub.items[i], me, depth + 1);
	free(sub.items);
}

void am_compile__find_checklists(ctx *c, am_md_node *n, int depth)
{
	if (depth > AM_MAX_NESTING) {
		am_compile__error(c, AM_ELIMIT, LINE(c, n), am_md_start_column(n),
				  "lists or block quotes nested deeper than the limit of 256 levels");
		return;
	}
	item_schemes schemes;
	/* A legend's items are definitions, not findings. */
	bool list = am_md_type_of(n) == AM_MD_LIST &&
		    !am_compile__announces_legend(am_compile__line_above(c, LINE(c, n)));
	if (list)
		am_compile__list_schemes(c, n, &schemes);
	for (am_md_node *k = am_md_first_child(n); k && !c->error; k = am_md_next(k)) {
		am_md_type type = am_md_type_of(k);
		bool marker;
		if (type == AM_MD_ITEM && am_compile__item_task(k, &marker) >= 0)
			am_compile__checklist_finding(c, k, AM_NO_PARENT, depth + 1);
		else if (list && type == AM_MD_ITEM &&
			 am_compile__item_finding(c, k, &schemes, am_md_list_ordered(n), depth + 1))
			continue;
		else if (type == AM_MD_LIST || type == AM_MD_ITEM || type == AM_MD_BLOCK_QUOTE)
			am_compile__find_checklists(c, k, depth + 1);
	}
}
