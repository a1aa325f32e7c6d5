/*
 * opt.c: the command line parsed, explained and listed from each command's
 * table (opt.h).
 */
#include <getopt.h>
#include <string.h>

#include "cli.h"

/* --help: the column option texts start at, and the line width. */
#define HELP_COLUMN 24
#define HELP_WIDTH 79

/* Every command takes -h, --help; the tables do not repeat it. */
static const cli_opt help_option = {
	.type = CLI_OPT_SWITCH, .alias = 'h', .name = "help", .help = "show this help",
};

/* getopt_long's value for table entry i: past every short option. */
#define LONG_ONLY 256

static bool is_operand(const cli_opt *o)
{
	return o->type == CLI_OPT_AUDIT || o->type == CLI_OPT_OPERAND || o->type == CLI_OPT_OPERANDS;
}

/* An entry that is an option on the command line. */
static bool is_option(const cli_opt *o)
{
	return o->type >= CLI_OPT_SWITCH && o->name;
}

/* The index of the option called `name`. */
static size_t find_name(const cli_opt *table, const char *name)
{
	size_t i = 0;
	while (table[i].type != CLI_OPT_END && !(is_option(&table[i]) && !strcmp(table[i].name, name)))
		i++;
	return i;
}

bool cli_opt_has(const cli_opt *table, const char *name)
{
	return table[find_name(table, name)].type != CLI_OPT_END;
}

const cli_opt *cli_opt_formats(const cli_opt *table)
{
	for (const cli_opt *o = table; o->type != CLI_OPT_END; o++)
		if (o->type == CLI_OPT_FORMAT)
			return o;
	return NULL;
}

/* "a, b or c" */
static void put_alternatives(am_buf *b, const char *const *values)
{
	for (size_t i = 0; values[i]; i++)
		am_buf_printf(b, "%s%s", i == 0 ? "" : values[i + 1] ? ", " : " or ", values[i]);
}

static bool one_of(const char *arg, const char *const *values)
{
	for (size_t i = 0; values[i]; i++)
		if (!strcmp(arg, values[i]))
			return true;
	return false;
}

/* --format FMT: one of the option's formats. */
static bool format_known(const cli_opt *o, const char *format)
{
	am_buf list = AM_BUF_INIT;
	for (const cli_format *f = o->formats; f->name; f++) {
		if (!strcmp(format, f->name)) {
			am_buf_free(&list);
			return true;
		}
		am_buf_printf(&list, "%s%s", f == o->formats ? "" : ", ", f->name);
	}
	cli_error("--format: unknown format '%s' (%s)", format, am_buf_cstr(&list));
	am_buf_free(&list);
	return false;
}

/* "kind" for KINDS: what one of the names of a NAMES option is. */
static void put_noun(am_buf *b, const cli_opt *o)
{
	for (const char *p = o->value_name; p[1]; p++)
		am_buf_putc(b, am_tolower((unsigned char)*p));
}

/* The names of a NAMES option, "a, b, c; or none" (sep ", ", last "; or "). */
static void put_names(am_buf *b, const cli_opt *o, const char *sep, const char *last)
{
	for (int bit = 0; bit < o->count; bit++)
		am_buf_printf(b, "%s%s", bit ? sep : "", o->names(bit));
	am_buf_printf(b, "%snone", last);
}

/* The bit called p[0..len), or -1. */
static int find_name_bit(const cli_opt *o, const char *p, size_t len)
{
	for (int bit = 0; bit < o->count; bit++)
		if (strlen(o->names(bit)) == len && !strncmp(p, o->names(bit), len))
			return bit;
	return -1;
}

/* --OPTION A,B,C: the bits named into *mask; "none" alone, no bit. An
 * unknown or empty name ("a,,b", '') is an error. */
static int parse_names(const cli_opt *o, const char *list, unsigned *mask)
{
	*mask = 0;
	if (!strcmp(list, "none"))
		return 0;
	for (const char *p = list;; p++) {
		size_t len = strcspn(p, ",");
		int bit = find_name_bit(o, p, len);
		if (bit < 0) {
			am_buf noun = AM_BUF_INIT, names = AM_BUF_INIT;
			put_noun(&noun, o);
			put_names(&names, o, ", ", "; or ");
			if (len)
				cli_error("--%s: unknown %s '%.*s' (%s)", o->name, noun.ptr, (int)len, p, names.ptr);
			else
				cli_error("--%s: an empty %s in '%s' (%s)", o->name, noun.ptr, list, names.ptr);
			am_buf_free(&noun);
			am_buf_free(&names);
			return -1;
		}
		*mask |= 1u << bit;
		if (!p[len])
			return 0;
		p += len;
	}
}

/* Stores one option's value in the job: 0, or -1 with the error printed. */
static int store(const cli_opt *o, cli_job *job, const char *arg)
{
	char *field = (char *)job + o->field;
	switch (o->type) {
	case CLI_OPT_SWITCH:
		*(int *)field = o->value;
		return 0;
	case CLI_OPT_FORMAT:
		if (!format_known(o, arg))
			return -1;
		*(const char **)field = arg;
		return 0;
	case CLI_OPT_CHOICE:
	case CLI_OPT_THREADS:
		if (!one_of(arg, o->values)) {
			am_buf list = AM_BUF_INIT;
			put_alternatives(&list, o->values);
			cli_error("--%s: '%s' is not %s", o->name, arg, list.ptr);
			am_buf_free(&list);
			return -1;
		}
		if (o->type == CLI_OPT_THREADS)
			*(unsigned *)field = strcmp(arg, "auto") ? (unsigned)atoi(arg) : 0;
		else
			*(const char **)field = arg;
		return 0;
	case CLI_OPT_SIZE:
		return cli_size_option(o->name, arg, (size_t *)field);
	case CLI_OPT_NAMES:
		return parse_names(o, arg, (unsigned *)field);
	case CLI_OPT_PARSE:
		return o->parse(field, arg, o);
	default:
		*(const char **)field = arg;
		return 0;
	}
}

/* One error line for a refused option: unknown, or missing its value. */
static void refused(const char *command, char **argv)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "";
	if (optopt && optopt != '?' && arg[0] == '-' && arg[1] != '-')
		cli_error("%s: option '-%c' is unknown or needs a value (see 'auditmd %s --help')",
			  command, optopt, command);
	else
		cli_error("%s: option '%s' is unknown or needs a value (see 'auditmd %s --help')",
			  command, arg, command);
}

/* The operands: as many as the table lists (or more, when its last takes
 * any number), standard input for one audit at most. */
static int check_operands(const char *command, const cli_opt *table, char **operands, int n)
{
	am_buf names = AM_BUF_INIT;
	int want = 0, stdin_audits = 0;
	bool more = false; /* any number after those */
	for (const cli_opt *o = table; o->type != CLI_OPT_END; o++) {
		if (o->type == CLI_OPT_OPERANDS)
			more = true;
		if (!is_operand(o) || o->type == CLI_OPT_OPERANDS)
			continue;
		if (want < n && o->type == CLI_OPT_AUDIT && !strcmp(operands[want], "-"))
			stdin_audits++;
		am_buf_printf(&names, "%s%s", want ? " and " : "", o->name);
		want++;
	}
	if (more && n >= want) {
		am_buf_free(&names);
		return 0;
	}
	if (n != want)
		cli_error("%s takes %s%s (see 'auditmd %s --help')", command,
			  want == 1 ? "exactly one " : "", names.ptr, command);
	else if (stdin_audits > 1)
		cli_error("%s: only one of %s can be standard input", command, names.ptr);
	am_buf_free(&names);
	return n != want || stdin_audits > 1 ? -1 : 0;
}

/* What the options given require and exclude. */
static int check_given(const char *command, const cli_opt *table, const bool *given)
{
	for (size_t i = 0; table[i].type != CLI_OPT_END; i++) {
		const cli_opt *o = &table[i];
		if (o->required && !given[i]) {
			cli_error("%s: --%s %s is needed (see 'auditmd %s --help')", command, o->name,
				  o->value_name, command);
			return -1;
		}
		if (!given[i])
			continue;
		if (o->requires && !given[find_name(table, o->requires)]) {
			const cli_opt *r = &table[find_name(table, o->requires)];
			cli_error("%s: --%s needs --%s %s", command, o->name, r->name, r->value_name);
			return -1;
		}
		if (o->excludes && given[find_name(table, o->excludes)]) {
			cli_error("%s: --%s and --%s cannot be given together; give one", command, o->name,
				  o->excludes);
			return -1;
		}
	}
	return 0;
}

/* getopt_long's tables for `table`: longopts (freed by the caller) and
 * shortopts. */
static struct option *getopt_tables(const cli_opt *table, size_t n, am_buf *shortopts)
{
	struct option *longopts = am_xcalloc(n + 2, sizeof(*longopts));
	size_t nlong = 0;
	for (size_t i = 0; i < n; i++) {
		const cli_opt *o = &table[i];
		if (!is_option(o))
			continue;
		longopts[nlong].name = o->name;
		longopts[nlong].has_arg = o->type == CLI_OPT_SWITCH ? no_argument : required_argument;
		longopts[nlong++].val = LONG_ONLY + (int)i;
		if (o->alias)
			am_buf_printf(shortopts, "%c%s", o->alias, o->type == CLI_OPT_SWITCH ? "" : ":");
	}
	longopts[nlong].name = help_option.name;
	longopts[nlong].val = help_option.alias;
	am_buf_putc(shortopts, help_option.alias);
	return longopts;
}

int cli_opt_parse(const cli_opt *table, cli_job *job, int argc, char **argv)
{
	const char *command = argv[0];
	size_t n = 0;
	while (table[n].type != CLI_OPT_END)
		n++;
	am_buf shortopts = AM_BUF_INIT;
	struct option *longopts = getopt_tables(table, n, &shortopts);
	bool *given = am_xcalloc(n + 1, sizeof(*given));
	int c, index, rc = -1;

	optind = 1;
	opterr = 0; /* refused options are reported as auditmd errors */
	for (;;) {
		index = -1;
		if ((c = getopt_long(argc, argv, shortopts.ptr, longopts, &index)) == -1)
			break;
		if (c == '?') {
			refused(command, argv);
			goto done;
		}
		/* No option takes an empty value: "-o ''" is a slip, not a file name. */
		if (optarg && !*optarg) {
			if (index >= 0)
				cli_error("%s: option '--%s' needs a value, not an empty string", command,
					  longopts[index].name);
			else
				cli_error("%s: option '-%c' needs a value, not an empty string", command, c);
			goto done;
		}
		if (c == help_option.alias) {
			cli_opt_help(stdout, command, table);
			rc = -2;
			goto done;
		}
		size_t i = 0;
		if (c >= LONG_ONLY)
			i = (size_t)(c - LONG_ONLY);
		else
			while (!is_option(&table[i]) || table[i].alias != c)
				i++;
		given[i] = true;
		if (store(&table[i], job, optarg) < 0)
			goto done;
	}
	if (check_operands(command, table, argv + optind, argc - optind) < 0 ||
	    check_given(command, table, given) < 0)
		goto done;
	job->operands = argv + optind;
	rc = 0;
done:
	free(longopts);
	free(given);
	am_buf_free(&shortopts);
	return rc;
}

/* ---- --help ------------------------------------------------------------------ */

/*
 * Writes `text` from column `col`, wrapped at HELP_WIDTH on spaces, later
 * lines starting at column `indent`; ends the line. A word in brackets
 * ("[--format FMT]") is not broken.
 */
static void put_wrapped(FILE *fp, const char *text, size_t col, size_t indent)
{
	const char *p = text;
	bool first = true;
	while (*p) {
		const char *close = *p == '[' ? strchr(p, ']') : NULL;
		size_t word = close ? (size_t)(close - p) + 1 : strcspn(p, " ");
		if (!first && col + 1 + word > HELP_WIDTH) {
			fprintf(fp, "\n%*s", (int)indent, "");
			col = indent;
			first = true;
		}
		if (!first) {
			fputc(' ', fp);
			col++;
		}
		fwrite(p, 1, word, fp);
		col += word;
		first = false;
		p += word;
		while (*p == ' ')
			p++;
	}
	fputc('\n', fp);
}

/* The values an option takes, as "a|b|c", or its value's name. */
static void put_value(am_buf *b, const cli_opt *o)
{
	if (o->type == CLI_OPT_FORMAT) {
		for (const cli_format *f = o->formats; f->name; f++)
			am_buf_printf(b, "%s%s", f == o->formats ? "" : "|", f->name);
	} else if (o->values) {
		for (size_t i = 0; o->values[i]; i++)
			am_buf_printf(b, "%s%s", i ? "|" : "", o->values[i]);
	} else if (o->value_name) {
		am_buf_puts(b, o->value_name);
	}
}

/* "usage: auditmd diff OLD NEW [--format json|text|md|html] ... [options]" */
static void usage_line(FILE *fp, const char *command, const cli_opt *table)
{
	am_buf line = AM_BUF_INIT;
	size_t indent = strlen("usage: auditmd ") + strlen(command) + 1;
	for (const cli_opt *o = table; o->type != CLI_OPT_END; o++)
		if (is_operand(o))
			am_buf_printf(&line, o->type == CLI_OPT_OPERANDS ? "%s[%s]" : "%s%s",
				      line.size ? " " : "", o->name);
	for (const cli_opt *o = table; o->type != CLI_OPT_END; o++) {
		if (!is_option(o) || (!o->in_usage && !o->required))
			continue;
		am_buf_printf(&line, o->required ? " --%s" : " [--%s", o->name);
		if (o->type != CLI_OPT_SWITCH)
			am_buf_putc(&line, ' ');
		put_value(&line, o);
		if (!o->required)
			am_buf_putc(&line, ']');
	}
	am_buf_puts(&line, " [options]");
	fprintf(fp, "usage: auditmd %s ", command);
	put_wrapped(fp, line.ptr, indent, indent);
	am_buf_free(&line);
}

/* "  -f, --format FMT      text (default on a terminal), ..." */
static void option_help(FILE *fp, const cli_opt *o)
{
	am_buf left = AM_BUF_INIT;
	if (o->alias)
		am_buf_printf(&left, "  -%c, --%s", o->alias, o->name);
	else
		am_buf_printf(&left, "      --%s", o->name);
	if (o->type != CLI_OPT_SWITCH)
		am_buf_printf(&left, " %s", o->value_name);
	size_t col = left.size + 2 > HELP_COLUMN ? left.size + 2 : HELP_COLUMN;
	fprintf(fp, "%s%*s", left.ptr, (int)(col - left.size), "");
	put_wrapped(fp, o->help, col, HELP_COLUMN);
	am_buf_free(&left);
}

void cli_opt_help(FILE *fp, const char *name, const cli_opt *table)
{
	const cli_opt *o;
	usage_line(fp, name, table);
	for (o = table; o->type != CLI_OPT_END; o++)
		if (o->type == CLI_OPT_ABOUT)
			fprintf(fp, "\n%s", o->help);
	fputs("\noptions:\n", fp);
	for (o = table; o->type != CLI_OPT_END; o++)
		if (is_option(o))
			option_help(fp, o);
	option_help(fp, &help_option);
	for (o = table; o->type != CLI_OPT_END; o++)
		if (o->type == CLI_OPT_NOTES)
			fprintf(fp, "\n%s", o->help);
}

/* ---- the listing for tests -------------------------------------------------------- */

static void list_option(FILE *fp, const char *name, const cli_opt *o)
{
	am_buf values = AM_BUF_INIT;
	if (o->type == CLI_OPT_NAMES) {
		put_names(&values, o, " ", " ");
	} else if (o->type == CLI_OPT_FORMAT || o->values) {
		put_value(&values, o);
		for (char *p = values.ptr; *p; p++)
			if (*p == '|')
				*p = ' ';
	}
	fprintf(fp, "option\t%s\t", name);
	if (o->alias)
		fprintf(fp, "-%c", o->alias);
	fprintf(fp, "\t--%s\t%s\t%s\n", o->name, o->type == CLI_OPT_SWITCH ? "" : o->value_name,
		am_buf_cstr(&values));
	am_buf_free(&values);
}

void cli_opt_list(FILE *fp, const char *name, const cli_opt *table)
{
	for (const cli_opt *o = table; o->type != CLI_OPT_END; o++)
		if (is_option(o))
			list_option(fp, name, o);
	list_option(fp, name, &help_option);
}
