/*
 * audit-summary: what changed between two revisions of an audit, through
 * the public libauditmd API only.
 *
 *   cc audit-summary.c $(pkg-config --cflags --libs auditmd) -o audit-summary
 *   ./audit-summary OLD.md NEW.md
 */
#include <stdio.h>
#include <stdlib.h>

#include <auditmd/auditmd.h>

/* Reads the audit at `path` and compiles it into *out (the caller frees). */
static int compile_file(am_report **out, const char *path)
{
	am_compile_options opts = AM_COMPILE_OPTIONS_INIT;
	FILE *fp = NULL;
	char *text = NULL;
	long len = -1;
	int rc = AM_EIO;

	if ((fp = fopen(path, "rb")) && fseek(fp, 0, SEEK_END) == 0)
		len = ftell(fp);
	if (len < 0 || fseek(fp, 0, SEEK_SET) != 0 || !(text = malloc((size_t)len + 1)) ||
	    fread(text, 1, (size_t)len, fp) != (size_t)len) {
		fprintf(stderr, "audit-summary: %s: could not be read\n", path);
		goto done;
	}
	opts.source = path;
	if ((rc = am_compile(out, text, (size_t)len, &opts)) < 0)
		fprintf(stderr, "audit-summary: %s\n", am_error_last());
done:
	free(text);
	if (fp)
		fclose(fp);
	return rc;
}

int main(int argc, char **argv)
{
	am_diff_options opts = AM_DIFF_OPTIONS_INIT;
	am_report *old_report = NULL, *new_report = NULL;
	am_diff *diff = NULL;
	int status = 1;

	if (argc != 3) {
		fprintf(stderr, "usage: %s OLD.md NEW.md\n", argv[0]);
		return 2;
	}
	if (compile_file(&old_report, argv[1]) < 0 || compile_file(&new_report, argv[2]) < 0)
		goto done;
	if (am_diff_run(&diff, old_report, new_report, &opts) < 0) {
		fprintf(stderr, "audit-summary: %s\n", am_error_last());
		goto done;
	}

	for (int kind = 0; kind < AM_CHANGE__COUNT; kind++)
		printf("%s %zu\n", am_change_kind_name(kind), diff->counts[kind]);
	/* Among the new ones: those that arrive already resolved or won't fix. */
	printf("new_closed %zu\n", diff->new_closed);
	for (size_t i = 0; i < diff->nchanges; i++) {
		const am_change *change = &diff->changes[i];
		if (change->kind == AM_CHANGE_RESOLVED)
			printf("resolved: %s %s\n", change->new_finding->id, change->new_finding->title);
	}
	status = 0;

done:
	am_diff_free(diff);
	am_report_free(new_report);
	am_report_free(old_report);
	return status;
}
