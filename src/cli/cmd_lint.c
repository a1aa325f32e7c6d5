/*
 * cmd_lint.c: auditmd lint, an audit's own quality.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "text.h"

static const char lint_usage[] =
	"usage: auditmd lint AUDIT [--repo DIR] [--rev REV] [--format text|json|sarif|github]\n"
	"                    [--fail-on error|warning|none] [-q]\n"
	"\n"
	"Checks an audit's own quality. Each problem is one line,\n"
	"FILE:LINE:COL: warning|error: [rule-id] text. Rules: duplicate-id,\n"
	"duplicate-title, malformed-citation, no-evidence, resolved-without-evidence,\n"
	"status-conflict, no-date, bad-date, open-subtask, mojibake,\n"
	"too-many-citations; with --repo the citation states of 'auditmd verify'\n"
	"join in (citation-missing, citation-out_of_range, citation-deleted, ...).\n"
	"\n"
	"Switch rules off in .auditmd.json ({\"lint\": {\"disable\": [\"no-date\"]}}), or\n"
	"in the audit: <!-- auditmd-disable-next-line rule-id -->, on the line before;\n"
	"<!-- auditmd-disable-line rule-id --> on the line; <!-- auditmd-disable rule-id -->\n"
	"anywhere, for the whole file (no rule id: every rule).\n"
	"\n"
	"options:\n"
	"      --repo DIR        also verify the citations in this repository\n"
	"      --rev REV         with --repo: where the code is now (default HEAD)\n"
	"      --as-of REV       with --repo: auto (default), none, or a revision\n"
	"  -f, --format FMT      text (default), json, sarif or github\n"
	"      --fail-on LEVEL   exit 1 on an error (default), on any warning too, or\n"
	"                        never (none)\n"
	"  -o, --output FILE     write there (atomically) instead of standard output\n"
	"      --pretty          indent JSON and SARIF\n"
	"      --config FILE     configuration (default: nearest .auditmd.json upward)\n"
	"      --max-size N      refuse audits over N bytes (default 64M)\n"
	"  -q, --quiet           errors only: warnings are neither reported nor\n"
	"                        counted (--fail-on warning then fails on errors)\n"
	"  -h, --help            show this help\n"
	"\n"
	"exit codes: 0 success, 1 problems at the --fail-on level, 2 usage error,\n"
	"3 the audit could not be read, 4 git or system error\n";

static int write_text(FILE *fp, const am_lint *l, const char *name)
{
	for (size_t i = 0; i < l->nissues; i++) {
		const am_lint_issue *is = &l->issues[i];
		cli_put_visible(fp, name);
		fprintf(fp, ":%u:%u: %s: [%s] ", is->line, is->column,
			is->severity == AM_DIAG_ERROR ? "error" : "warning", is->rule);
		cli_put_visible(fp, is->text);
		fputc('\n', fp);
	}
	fprintf(fp, "%zu error%s, %zu warning%s", l->nerrors, l->nerrors == 1 ? "" : "s", l->nwarnings,
		l->nwarnings == 1 ? "" : "s");
	if (l->nsuppressed)
		fprintf(fp, " (%zu switched off in the audit or the configuration)", l->nsuppressed);
	fputc('\n', fp);
	return ferror(fp) ? AM_EIO : 0;
}

static int write_github(FILE *fp, const am_lint *l, const char *name)
{
	/* Errors first: GitHub shows ten of each per step. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < l->nissues; i++) {
			const am_lint_issue *is = &l->issues[i];
			if ((is->severity == AM_DIAG_ERROR) != (pass == 0))
				continue;
			fprintf(fp, "::%s file=", pass == 0 ? "error" : "warning");
			cli_gh_escape(fp, name, true);
			fprintf(fp, ",line=%u,col=%u,title=", is->line, is->column);
			cli_gh_escape(fp, is->rule, true);
			fputs("::", fp);
			cli_gh_escape(fp, is->text, false);
			fputc('\n', fp);
		}
	return ferror(fp) ? AM_EIO : 0;
}

/* -q: the warnings leave the result, as if they had not been found. */
static void drop_warnings(am_lint *l)
{
	size_t kept = 0;
	for (size_t i = 0; i < l->nissues; i++)
		if (l->issues[i].severity == AM_DIAG_ERROR)
			l->issues[kept++] = l->issues[i];
	l->nissues = kept;
	l->nwarnings = 0;
}

int cmd_lint(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "repo", required_argument, NULL, 'R' },
		{ "rev", required_argument, NULL, 'r' },
		{ "as-of", required_argument, NULL, 'A' },
		{ "format", required_argument, NULL, 'f' },
		{ "fail-on", required_argument, NULL, 'F' },
		{ "output", required_argument, NULL, 'o' },
		{ "pretty", no_argument, NULL, 'P' },
		{ "config", required_argument, NULL, 'C' },
		{ "max-size", required_argument, NULL, 'M' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = "text", *output = NULL, *config = NULL, *fail_on = "error";
	size_t max_size = AM_DEFAULT_MAX_SIZE;
	bool pretty = false, quiet = false;
	am_verify_options vopts = AM_VERIFY_OPTIONS_INIT;
	am_lint_options lopts = AM_LINT_OPTIONS_INIT;
	am_vocab *vocab = NULL;
	am_report *report = NULL;
	am_verify *v = NULL;
	am_lint *l = NULL;
	cli_origin origin = { 0 };
	cli_output out = { 0 };
	int c, rc, exit_code = EXIT_OK;

	vopts.repo = NULL;
	optind = 1;
	while ((c = cli_getopt(argc, argv, "f:o:qh", longopts, "lint")) != -1) {
		switch (c) {
		case 'R': vopts.repo = optarg; break;
		case 'r': vopts.target = optarg; break;
		case 'A': vopts.as_of = optarg; break;
		case 'f': format = optarg; break;
		case 'F': fail_on = optarg; break;
		case 'o': output = optarg; break;
		case 'P': pretty = true; break;
		case 'C': config = optarg; break;
		case 'q': quiet = true; break;
		case 'M':
			if (cli_size_option("max-size", optarg, &max_size) < 0)
				return EXIT_USAGE;
			break;
		case 'h': fputs(lint_usage, stdout); return EXIT_OK;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		cli_error("lint takes one AUDIT (see 'auditmd lint --help')");
		return EXIT_USAGE;
	}
	if (!cli_format_known(format, (const char *const[]){ "text", "json", "sarif", "github", NULL }))
		return EXIT_USAGE;
	if (!vopts.repo && (vopts.target || vopts.as_of)) {
		cli_error("lint: --%s needs --repo, the repository the citations are verified in",
			  vopts.target ? "rev" : "as-of");
		return EXIT_USAGE;
	}
	if (strcmp(fail_on, "error") && strcmp(fail_on, "warning") && strcmp(fail_on, "none")) {
		cli_error("--fail-on: '%s' is not error, warning or none", fail_on);
		return EXIT_USAGE;
	}
	const char *spec = argv[optind];
	if ((rc = cli_load_vocab(&vocab, config, spec, vopts.repo)) < 0) {
		cli_error("%s", am_error_last());
		exit_code = cli_exit_for(rc);
		goto done;
	}
	if ((rc = cli_load_audit_from(&report, &origin, spec, vopts.repo, vocab, max_size, 0)) < 0) {
		cli_error("%s", am_error_last());
		exit_code = cli_exit_for(rc);
		goto done;
	}
	if (vopts.repo) {
		vopts.audit_rev = origin.rev;
		vopts.audit_path = origin.path;
		vopts.vocab = vocab;
		if ((rc = am_verify_run(&v, report, &vopts)) < 0) {
			cli_error("%s", am_error_last());
			exit_code = EXIT_SYSTEM;
			goto done;
		}
	}
	lopts.vocab = vocab;
	lopts.text = origin.text;
	lopts.len = origin.len;
	lopts.verify = v;
	if ((rc = am_lint_run(&l, report, &lopts)) < 0) {
		cli_error("%s", am_error_last());
		exit_code = EXIT_SYSTEM;
		goto done;
	}
	if (quiet)
		drop_warnings(l);
	if ((rc = cli_output_open(&out, output)) < 0) {
		cli_error("%s", am_error_last());
		exit_code = EXIT_SYSTEM;
		goto done;
	}
	const char *name = v && v->audit_path ? v->audit_path : origin.path ? origin.path : report->source;
	if (!strcmp(format, "json"))
		rc = am_lint_write_json(out.fp, l, pretty ? AM_JSON_PRETTY : 0);
	else if (!strcmp(format, "sarif"))
		rc = am_lint_write_sarif(out.fp, l, name, pretty ? AM_JSON_PRETTY : 0);
	else if (!strcmp(format, "github"))
		rc = write_github(out.fp, l, name);
	else
		rc = write_text(out.fp, l, report->source);
	if (rc == 0)
		rc = cli_output_commit(&out);
	else
		cli_output_abort(&out);
	if (rc < 0) {
		cli_error("%s", am_error_last());
		exit_code = EXIT_SYSTEM;
		goto done;
	}
	if ((!strcmp(fail_on, "error") && l->nerrors) ||
	    (!strcmp(fail_on, "warning") && (l->nerrors || l->nwarnings)))
		exit_code = EXIT_CHECK;
done:
	am_lint_free(l);
	am_verify_free(v);
	am_report_free(report);
	am_vocab_free(vocab);
	cli_origin_free(&origin);
	return exit_code;
}
