#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

void cli_error(const char *fmt, ...)
{
	am_buf msg = AM_BUF_INIT, line = AM_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	am_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	/* One error, one line, whatever names or text it quotes. */
	char *visible = am_visible(am_buf_cstr(&msg), msg.size, AM_VISIBLE_TAB);
	am_buf_printf(&line, "auditmd: error: %s\n", visible);
	fwrite(line.ptr, 1, line.size, stderr);
	free(visible);
	am_buf_free(&msg);
	am_buf_free(&line);
}

void cli_put_visible(FILE *fp, const char *s)
{
	size_t len = strlen(s);
	if (!am_visible_changes(s, len, AM_VISIBLE_TAB)) {
		fwrite(s, 1, len, fp);
		return;
	}
	char *visible = am_visible(s, len, AM_VISIBLE_TAB);
	fputs(visible, fp);
	free(visible);
}

int cli_exit_for(int rc)
{
	switch (rc) {
	case 0: return EXIT_OK;
	case AM_EUSAGE: return EXIT_USAGE;
	case AM_EPARSE:
	case AM_ELIMIT:
	case AM_ENOTFOUND: return EXIT_INPUT;
	case AM_EIO:
	case AM_EGIT:
	default: return EXIT_SYSTEM;
	}
}

/* Reads fd to its end; `hint` is its expected size (a regular file's), read
 * in one go into a buffer of that size. */
static int read_fd(int fd, const char *name, size_t max, size_t hint, char **out, size_t *len)
{
	am_buf b = AM_BUF_INIT;
	am_buf_grow(&b, hint + 4096); /* room left for the read that says EOF */
	int rc = am_buf_read_fd(&b, fd, name, max);
	if (rc == AM_ELIMIT)
		am_error_set("%s: over the size limit of %zu bytes (see --max-size)", name, max);
	if (rc < 0) {
		am_buf_free(&b);
		return rc;
	}
	*len = b.size;
	*out = am_buf_detach(&b);
	return 0;
}

int cli_read_file(const char *path, size_t max, char **out, size_t *len)
{
	struct stat st;
	int fd, rc;

	*out = NULL;
	*len = 0;
	if (!strcmp(path, "-"))
		return read_fd(STDIN_FILENO, "<stdin>", max, 0, out, len);
	fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		am_error_set("%s: %s", path, strerror(e));
		/* The input cannot be read (exit 3), as opposed to a system failure. */
		return e == ENOENT || e == EACCES || e == EPERM || e == ENOTDIR || e == ELOOP ||
				       e == ENAMETOOLONG
			       ? AM_ENOTFOUND
			       : AM_EIO;
	}
	if (fstat(fd, &st) < 0) {
		am_error_set("%s: %s", path, strerror(errno));
		close(fd);
		return AM_EIO;
	}
	if (S_ISDIR(st.st_mode)) {
		am_error_set("%s: is a directory, not an audit file", path);
		close(fd);
		return AM_EPARSE;
	}
	if (!S_ISREG(st.st_mode)) {
		am_error_set("%s: not a regular file (a FIFO or device); pipe it through '-' instead",
			     path);
		close(fd);
		return AM_EPARSE;
	}
	if ((size_t)st.st_size > max) {
		am_error_set("%s: %lld bytes is over the size limit of %zu bytes (see --max-size)",
			     path, (long long)st.st_size, max);
		close(fd);
		return AM_ELIMIT;
	}
	fcntl(fd, F_SETFL, 0);
	rc = read_fd(fd, path, max, (size_t)st.st_size, out, len);
	close(fd);
	return rc;
}

/*
 * Why a .auditmd.json open on fd, in directory `dir`, is not to be trusted,
 * or NULL when it is. Anyone who could have written it other than the
 * user (or root) makes it someone else's configuration: it must be a
 * regular file owned by the user or root and writable by nobody else (its
 * group may write when that is the user's own primary group), in
 * a directory owned by the user or root that not everyone can write to
 * (the temporary directory, sticky or not).
 */
static const char *untrusted(int fd, const char *dir)
{
	struct stat st, dst;
	uid_t me = geteuid();
	if (fstat(fd, &st) < 0 || stat(dir, &dst) < 0)
		return "cannot be examined";
	if (!S_ISREG(st.st_mode))
		return "not a regular file";
	if (st.st_uid != me && st.st_uid != 0)
		return "owned by another user";
	/* Group write is the user's own when the group is the user's primary
	 * group (a umask of 002 with a group per user, as Debian sets up). */
	if ((st.st_mode & S_IWOTH) || ((st.st_mode & S_IWGRP) && st.st_gid != getegid()))
		return "writable by group or others (chmod go-w)";
	if (dst.st_mode & S_IWOTH)
		return "in a directory anyone can write to";
	if (dst.st_uid != me && dst.st_uid != 0)
		return "in a directory owned by another user";
	return NULL;
}

/*
 * The configuration on disk for the audit `near` (a path; "-": the current
 * directory): the first .auditmd.json, from the audit's directory upward,
 * that is a file and passes untrusted(). The search stops at the top of
 * the audit's repository (the first directory holding .git) or at the root
 * of the file system. A directory of that name is passed over; a file that
 * is not trusted is passed over with a warning. Returns its fd (read from
 * it: no second open) with its path in *path, or -1.
 */
static int find_config_on_disk(am_buf *path, const char *near)
{
	char dir[4096];
	int found = -1;
	am_buf_clear(path);
	if (near && strcmp(near, "-") != 0) {
		char *dup = am_xstrdup(near);
		snprintf(dir, sizeof(dir), "%s", dirname(dup));
		free(dup);
	} else if (!getcwd(dir, sizeof(dir))) {
		return -1;
	}
	char *abs = realpath(dir, NULL);
	if (!abs)
		return -1;
	for (;;) {
		bool root = !strcmp(abs, "/");
		struct stat st;
		am_buf_clear(path);
		am_buf_printf(path, "%s/.auditmd.json", root ? "" : abs);
		/* Only a regular file is opened (a FIFO would block, a device
		 * act); untrusted() checks again what was opened. */
		const char *why = NULL;
		if (stat(path->ptr, &st) != 0 || S_ISDIR(st.st_mode)) {
			/* none here */
		} else if (!S_ISREG(st.st_mode)) {
			why = "not a regular file";
		} else {
			int fd = open(path->ptr, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
			why = fd < 0 ? strerror(errno) : untrusted(fd, root ? "/" : abs);
			if (fd >= 0 && !why) {
				found = fd;
				break;
			}
			if (fd >= 0)
				close(fd);
		}
		if (why)
			fprintf(stderr, "auditmd: warning: %s: ignored: %s\n", path->ptr, why);
		am_buf_clear(path);
		am_buf_printf(path, "%s/.git", root ? "" : abs);
		bool top = root || lstat(path->ptr, &st) == 0;
		am_buf_clear(path);
		if (top)
			break;
		char *slash = strrchr(abs, '/');
		if (slash == abs)
			abs[1] = '\0';
		else
			*slash = '\0';
	}
	free(abs);
	return found;
}

int cli_load_vocab(am_vocab **out, const char *config, const char *near, const char *repo)
{
	am_buf path = AM_BUF_INIT;
	char *data = NULL;
	size_t len = 0;
	int rc = 0;

	am_vocab_new(out);
	if (config) {
		am_buf_puts(&path, config);
	} else if (near && cli_is_revpath(near)) {
		const char *colon = strchr(near, ':');
		am_buf_put(&path, near, (size_t)(colon - near));
		rc = am_revision_config_load(*out, repo, path.ptr, colon + 1);
		goto done;
	} else {
		int fd = find_config_on_disk(&path, near);
		if (fd < 0)
			goto done;
		fcntl(fd, F_SETFL, 0);
		rc = read_fd(fd, path.ptr, 1 << 20, 0, &data, &len);
		close(fd);
		if (rc == 0)
			rc = am_config_load(*out, data, len, path.ptr);
		goto done;
	}
	rc = cli_read_file(path.ptr, 1 << 20, &data, &len);
	if (rc == 0)
		rc = am_config_load(*out, data, len, path.ptr);
done:
	free(data);
	am_buf_free(&path);
	if (rc < 0) {
		am_vocab_free(*out);
		*out = NULL;
	}
	return rc;
}

bool cli_use_color(FILE *fp)
{
	const char *nc = getenv("NO_COLOR");
	if (nc && *nc)
		return false;
	return isatty(fileno(fp));
}

int cli_parse_size(const char *s, size_t *out)
{
	char *end;
	if (!am_isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	unsigned shift = 0;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	default: break;
	}
	if (*end || v == 0 || errno == ERANGE || v > (SIZE_MAX >> shift))
		return -1;
	*out = (size_t)(v << shift);
	return 0;
}

int cli_size_option(const char *name, const char *arg, size_t *out)
{
	if (cli_parse_size(arg, out) == 0)
		return 0;
	cli_error("--%s: '%s' is not a size", name, arg);
	return -1;
}

void cli_gh_escape(FILE *fp, const char *s, bool property)
{
	/* Line endings are encoded below; the other controls are shown. */
	char *visible = am_visible(s, strlen(s), AM_VISIBLE_TAB | AM_VISIBLE_NEWLINE);
	for (const char *p = visible; *p; p++) {
		switch (*p) {
		case '%': fputs("%25", fp); break;
		case '\r': fputs("%0D", fp); break;
		case '\n': fputs("%0A", fp); break;
		case ':': fputs(property ? "%3A" : ":", fp); break;
		case ',': fputs(property ? "%2C" : ",", fp); break;
		default: fputc(*p, fp);
		}
	}
	free(visible);
}
