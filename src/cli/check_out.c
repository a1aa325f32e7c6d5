/*
 * check_out.c: the renderings of `auditmd check` for people and for
 * GitHub: compiler-style lines and the audits' changelogs; workflow
 * commands.
 */
#include "cli.h"
#include "text.h"

#define C(code) (color ? "\033[" code "m" : "")
#define RESET C("0")

/* Where a result is in its audit. */
static uint32_t item_line(const am_check_item *it)
{
	return it->kind == AM_CHECK_BROKEN ? it->citation->line : it->finding->line;
}

static uint32_t item_column(const am_check_item *it)
{
	return it->kind == AM_CHECK_BROKEN ? it->citation->column : it->finding->column;
}

/* "2 resolved, 1 new, 0 regressed, 0 removed" of one audit. */
static void changelog_counts(am_buf *b, const size_t *counts)
{
	am_buf_printf(b, "%zu resolved, %zu new, %zu regressed, %zu removed", counts[AM_CHANGE_RESOLVED],
		      counts[AM_CHANGE_NEW], counts[AM_CHANGE_REGRESSED], counts[AM_CHANGE_REMOVED]);
}

static void short_id(am_buf *b, const char *commit)
{
	am_buf_printf(b, "%.10s", commit);
}

int cli_write_check_text(FILE *fp, const am_check *c, bool color)
{
	static const char *const colors[AM_CHECK__COUNT] = { "\033[1;31m", "\033[2m", "\033[1;33m" };
	am_buf b = AM_BUF_INIT;
	am_buf_puts(&b, "check ");
	short_id(&b, c->base.commit);
	if (c->worktree) {
		am_buf_puts(&b, "..the working tree (HEAD ");
		short_id(&b, c->head.commit);
		am_buf_printf(&b, ") from %s", c->base.date);
	} else {
		am_buf_puts(&b, "..");
		short_id(&b, c->head.commit);
		am_buf_printf(&b, " (%s → %s)", c->base.date, c->head.date);
	}
	am_buf_printf(&b, ", %zu audit%s", c->naudits, c->naudits == 1 ? "" : "s");
	fprintf(fp, "%s", C("2"));
	cli_put_visible(fp, b.ptr);
	fprintf(fp, "%s\n", RESET);
	for (size_t i = 0; i < c->nitems; i++) {
		const am_check_item *it = &c->items[i];
		char *msg = am_check_message(it);
		cli_put_visible(fp, c->audits[it->audit].path);
		fprintf(fp, ":%u:%u: %s%s:%s ", item_line(it), item_column(it), color ? colors[it->kind] : "",
			am_level_name(am_check_kind_level(it->kind)), RESET);
		cli_put_visible(fp, msg);
		fputc('\n', fp);
		free(msg);
	}
	for (size_t i = 0; i < c->naudits; i++) {
		const am_check_audit *a = &c->audits[i];
		am_buf_clear(&b);
		am_buf_printf(&b, "%s (%s", a->path, am_check_audit_change_name(a->change));
		if (a->change == AM_CHECK_AUDIT_RENAMED)
			am_buf_printf(&b, " from %s", a->base_path);
		if (a->lines_changed)
			am_buf_printf(&b, ", %zu line%s written", a->lines_changed,
				      a->lines_changed == 1 ? "" : "s");
		if (a->verify)
			am_buf_printf(&b, ", %zu citation%s checked", a->verify->nresults,
				      a->verify->nresults == 1 ? "" : "s");
		am_buf_puts(&b, "): ");
		changelog_counts(&b, a->diff->counts);
		fputc('\n', fp);
		cli_put_visible(fp, b.ptr);
		fputc('\n', fp);
		for (size_t k = 0; k < a->diff->nchanges; k++) {
			const am_change *ch = &a->diff->changes[k];
			const am_finding *f = ch->new_finding ? ch->new_finding : ch->old_finding;
			if (ch->kind == AM_CHANGE_OPEN || ch->kind == AM_CHANGE_CLOSED)
				continue;
			fprintf(fp, "  %-10s %s ", am_change_kind_name(ch->kind), am_status_mark(f->status));
			cli_put_visible(fp, f->id);
			fputs("  ", fp);
			cli_put_visible(fp, f->title);
			fputc('\n', fp);
		}
	}
	char *summary = am_check_summary_text(c);
	fprintf(fp, "%s%s\n", c->naudits ? "\n" : "", summary);
	free(summary);
	am_buf_free(&b);
	return ferror(fp) ? AM_EIO : 0;
}

/* One workflow command: "::LEVEL file=F,line=L[,col=C],title=T::MESSAGE". */
static void command(FILE *fp, const char *level, const char *file, uint32_t line, uint32_t col,
		    const char *title, const char *message)
{
	fprintf(fp, "::%s file=", level);
	cli_gh_escape(fp, file, true);
	fprintf(fp, ",line=%u", line ? line : 1);
	if (col)
		fprintf(fp, ",col=%u", col);
	fputs(",title=", fp);
	cli_gh_escape(fp, title, true);
	fputs("::", fp);
	cli_gh_escape(fp, message, false);
	fputc('\n', fp);
}

int cli_write_check_github(FILE *fp, const am_check *c)
{
	/* Errors, warnings, notes: GitHub shows ten of each per step. */
	static const am_check_kind order[AM_CHECK__COUNT] = { AM_CHECK_BROKEN, AM_CHECK_UNCONFIRMED,
							      AM_CHECK_TOUCHED };
	static const char *const level[AM_CHECK__COUNT] = { "error", "notice", "warning" };
	am_buf title = AM_BUF_INIT, msg = AM_BUF_INIT;
	for (int k = 0; k < AM_CHECK__COUNT; k++)
		for (size_t i = 0; i < c->nitems; i++) {
			const am_check_item *it = &c->items[i];
			const char *audit = c->audits[it->audit].path;
			if (it->kind != order[k])
				continue;
			char *text = am_check_message(it);
			am_buf_clear(&title);
			am_buf_printf(&title, "auditmd check: %s (finding %s)", am_check_kind_name(it->kind),
				      it->finding->id);
			if (it->kind == AM_CHECK_TOUCHED && it->head_path) {
				/* On the edit, where the pull request shows it. */
				am_buf_clear(&msg);
				am_buf_printf(&msg, "%s (%s:%u)", text, audit, item_line(it));
				command(fp, level[it->kind], it->head_path, it->head_line, 0, title.ptr, msg.ptr);
			} else {
				command(fp, level[it->kind], audit, item_line(it), item_column(it), title.ptr,
					text);
			}
			free(text);
		}
	char *summary = am_check_summary_text(c);
	fputs("::notice title=auditmd check::", fp);
	cli_gh_escape(fp, summary, false);
	fputc('\n', fp);
	free(summary);
	am_buf_free(&title);
	am_buf_free(&msg);
	return ferror(fp) ? AM_EIO : 0;
}
