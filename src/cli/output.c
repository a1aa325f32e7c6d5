/*
 * output.c: where a command writes (-o FILE, or standard output).
 *
 * A regular file is written through a temporary file in its directory,
 * renamed over it on commit: a failed or interrupted run leaves any
 * previous file as it was. The new file gets the mode a plain `>` would
 * give it: an existing file's mode and owner, else 0666 less the umask. A
 * device or FIFO (/dev/null, /dev/stdout, a pipe) is written in place, since
 * renaming a file over it would replace the device. A symbolic link to
 * anything else is refused: following it would write wherever the link
 * points (a link planted in a shared directory), and replacing it would
 * lose it.
 *
 * SIGINT, SIGTERM and SIGHUP remove the temporary file: the handler unlinks
 * it (unlink is async-signal-safe) and raises the signal again with its
 * default action, so the exit status still says what stopped the run. The
 * path the handler needs is the program's one piece of mutable global
 * state: a signal handler has nowhere else to find it.
 *
 * A directory (a site) is written the same way: into a temporary
 * directory next to it, renamed over it on commit (exchanged with the one
 * there, which is then removed). A directory is not removed from a signal
 * handler: the handler notes the signal, the writer asks between files
 * (cli_outdir_interrupted), and the directory is removed before the
 * signal is raised again. An existing directory is replaced only when it
 * is empty or holds a site auditmd wrote (its .auditmd-site file): -o ~
 * must never lose a home directory.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <stdio.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static const int caught[] = { SIGINT, SIGTERM, SIGHUP };
#define NCAUGHT (sizeof(caught) / sizeof(caught[0]))

static char pending[PATH_MAX];          /* the temporary file while it exists */
static volatile sig_atomic_t armed;     /* pending names a file to remove */
static struct sigaction saved[NCAUGHT]; /* the dispositions before ours */

static void on_signal(int sig)
{
	if (armed)
		unlink(pending);
	/* SA_RESETHAND restored the default action: this one ends the run
	 * once the handler returns. */
	raise(sig);
}

static void block_signals(sigset_t *old)
{
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < NCAUGHT; i++)
		sigaddset(&set, caught[i]);
	pthread_sigmask(SIG_BLOCK, &set, old);
}

/* Installs the handler, except for signals that were ignored (a background
 * job's SIGINT): those stay ignored. Called with the signals blocked. */
static void arm(const char *tmp)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	memcpy(pending, tmp, strlen(tmp) + 1);
	armed = 1;
	for (size_t i = 0; i < NCAUGHT; i++) {
		sigaction(caught[i], NULL, &saved[i]);
		if (saved[i].sa_handler != SIG_IGN)
			sigaction(caught[i], &sa, NULL);
	}
}

/* Called with the signals blocked, once the temporary file is gone. */
static void disarm(void)
{
	armed = 0;
	for (size_t i = 0; i < NCAUGHT; i++)
		sigaction(caught[i], &saved[i], NULL);
}

/* The mode and owner of the file that replaces `st` (NULL: a new file). */
static void set_mode(int fd, const struct stat *st)
{
	mode_t mode;
	if (st) {
		mode = st->st_mode & 0777;
		/* Its group, when that can be kept; else its group's rights
		 * would go to ours. */
		if ((st->st_uid != geteuid() || st->st_gid != getegid()) &&
		    fchown(fd, st->st_uid, st->st_gid) != 0)
			mode &= ~(mode_t)0070;
	} else {
		mode_t mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	fchmod(fd, mode);
}

/* A device or FIFO, opened without O_TRUNC so that a regular file swapped
 * in since it was looked at is refused untouched. */
static int open_in_place(cli_output *o, const char *path)
{
	int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	struct stat st;
	if (fd < 0) {
		am_error_set("%s: %s", path, strerror(errno));
		return AM_EIO;
	}
	if (fstat(fd, &st) != 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode) ||
	    !(o->fp = fdopen(fd, "w"))) {
		am_error_set("%s: changed while it was opened", path);
		close(fd);
		return AM_EIO;
	}
	o->path = am_xstrdup(path);
	o->direct = true;
	return 0;
}

int cli_output_open(cli_output *o, const char *path)
{
	struct stat st, lst;
	bool exists;

	memset(o, 0, sizeof(*o));
	if (!path || !strcmp(path, "-")) {
		o->fp = stdout;
		return 0;
	}
	exists = lstat(path, &lst) == 0;
	if (exists && S_ISLNK(lst.st_mode)) {
		if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
			return open_in_place(o, path);
		am_error_set("%s: is a symbolic link; -o neither follows nor replaces one "
			     "(give the file it points to, or '-' for standard output)",
			     path);
		return AM_EIO;
	}
	if (exists && S_ISDIR(lst.st_mode)) {
		am_error_set("%s: is a directory", path);
		return AM_EIO;
	}
	if (exists && !S_ISREG(lst.st_mode))
		return open_in_place(o, path);
	if (exists && faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) != 0) {
		am_error_set("%s: %s", path, strerror(errno));
		return AM_EIO;
	}

	am_buf tmp = AM_BUF_INIT;
	char *dup = am_xstrdup(path);
	char *base = am_xstrdup(path);
	am_buf_printf(&tmp, "%s/.%s.XXXXXX", dirname(dup), basename(base));
	free(dup);
	free(base);
	if (tmp.size >= sizeof(pending)) {
		am_error_set("%s: the path is too long", path);
		am_buf_free(&tmp);
		return AM_EIO;
	}
	sigset_t old;
	block_signals(&old);
	int fd = mkstemp(tmp.ptr);
	if (fd >= 0)
		arm(tmp.ptr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (fd < 0) {
		am_error_set("%s: cannot create a file there: %s", path, strerror(errno));
		am_buf_free(&tmp);
		return AM_EIO;
	}
	set_mode(fd, exists ? &lst : NULL);
	o->path = am_xstrdup(path);
	o->tmp = am_buf_detach(&tmp);
	o->fp = fdopen(fd, "w");
	if (!o->fp) {
		am_error_set("%s: %s", path, strerror(errno));
		close(fd);
		cli_output_abort(o);
		return AM_EIO;
	}
	return 0;
}

/* Ends a temporary file: renamed over the destination (commit) or
 * removed. Returns 0, or -1 with errno set when the rename failed. */
static int finish_tmp(cli_output *o, bool commit)
{
	sigset_t old;
	int rc = 0, e = 0;
	block_signals(&old);
	if (commit && rename(o->tmp, o->path) != 0) {
		e = errno;
		rc = -1;
	}
	if (!commit || rc != 0)
		unlink(o->tmp);
	disarm();
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = e;
	return rc;
}

int cli_output_commit(cli_output *o)
{
	int rc = 0;

	if (!o->tmp) {
		if (fflush(o->fp) != 0 || ferror(o->fp)) {
			am_error_set("%s: write failed: %s", o->path ? o->path : "<stdout>", strerror(errno));
			rc = AM_EIO;
		}
		if (o->direct && fclose(o->fp) != 0 && rc == 0) {
			am_error_set("%s: write failed: %s", o->path, strerror(errno));
			rc = AM_EIO;
		}
		free(o->path);
		o->path = NULL;
		o->fp = NULL;
		return rc;
	}
	if (fflush(o->fp) != 0 || ferror(o->fp) || fsync(fileno(o->fp)) != 0) {
		am_error_set("%s: write failed: %s", o->path, strerror(errno));
		cli_output_abort(o);
		return AM_EIO;
	}
	if (fclose(o->fp) != 0) {
		o->fp = NULL;
		am_error_set("%s: write failed: %s", o->path, strerror(errno));
		cli_output_abort(o);
		return AM_EIO;
	}
	o->fp = NULL;
	if (finish_tmp(o, true) != 0) {
		am_error_set("%s: %s", o->path, strerror(errno));
		rc = AM_EIO;
	}
	free(o->tmp);
	free(o->path);
	o->tmp = o->path = NULL;
	return rc;
}

void cli_output_abort(cli_output *o)
{
	if (o->tmp) {
		if (o->fp)
			fclose(o->fp);
		finish_tmp(o, false);
	} else if (o->direct && o->fp) {
		fclose(o->fp);
	}
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof(*o));
}

/* ---- directories ------------------------------------------------------------------ */

#define SITE_MARK ".auditmd-site"

static volatile sig_atomic_t dir_signal; /* the signal caught while a directory was written */

static void on_dir_signal(int sig)
{
	dir_signal = sig;
}

bool cli_outdir_interrupted(void)
{
	return dir_signal != 0;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

static void remove_tree(const char *path)
{
	nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Whether the directory at path may be replaced: empty, or a site
 * (then *site). */
static int replaceable(const char *path, bool *site_there)
{
	am_buf mark = AM_BUF_INIT;
	struct stat st;
	bool site;
	am_buf_printf(&mark, "%s/" SITE_MARK, path);
	site = lstat(mark.ptr, &st) == 0 && S_ISREG(st.st_mode);
	am_buf_free(&mark);
	*site_there = site;
	if (site)
		return 0;
	DIR *d = opendir(path);
	struct dirent *e;
	bool empty = d != NULL;
	while (d && (e = readdir(d)))
		empty &= !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	if (empty)
		return 0;
	am_error_set("%s: not empty and not a site auditmd wrote (no %s); refusing to replace it", path,
		     SITE_MARK);
	return AM_EIO;
}

int cli_outdir_open(cli_outdir *o, const char *path)
{
	struct stat st;
	memset(o, 0, sizeof(*o));
	if (!path || !*path || !strcmp(path, "-")) {
		am_error_set("a site is a directory: -o DIR");
		return AM_EUSAGE;
	}
	if (lstat(path, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			am_error_set("%s: %s", path,
				     S_ISLNK(st.st_mode) ? "is a symbolic link; -o neither follows nor replaces one"
							 : "exists and is not a directory");
			return AM_EIO;
		}
		int rc = replaceable(path, &o->previous);
		if (rc < 0)
			return rc;
	}
	am_buf tmp = AM_BUF_INIT;
	char *dup = am_xstrdup(path), *base = am_xstrdup(path);
	am_buf_printf(&tmp, "%s/.%s.XXXXXX", dirname(dup), basename(base));
	free(dup);
	free(base);
	if (!mkdtemp(tmp.ptr)) {
		am_error_set("%s: cannot create a directory there: %s", path, strerror(errno));
		am_buf_free(&tmp);
		return AM_EIO;
	}
	/* The mode a plain mkdir gives, not mkdtemp's 0700. */
	mode_t mask = umask(0);
	umask(mask);
	chmod(tmp.ptr, 0777 & ~mask);
	o->path = am_xstrdup(path);
	o->tmp = am_buf_detach(&tmp);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_dir_signal;
	sigemptyset(&sa.sa_mask);
	dir_signal = 0;
	for (size_t i = 0; i < NCAUGHT; i++) {
		sigaction(caught[i], NULL, &saved[i]);
		if (saved[i].sa_handler != SIG_IGN)
			sigaction(caught[i], &sa, NULL);
	}
	return 0;
}

/* Puts the handlers back; raises the signal caught, if any, once the
 * directory is gone. */
static void dir_done(void)
{
	for (size_t i = 0; i < NCAUGHT; i++)
		sigaction(caught[i], &saved[i], NULL);
	if (dir_signal) {
		signal(dir_signal, SIG_DFL);
		raise(dir_signal);
	}
}

int cli_outdir_commit(cli_outdir *o)
{
	am_buf mark = AM_BUF_INIT;
	FILE *fp;
	int rc = 0;
	struct stat st;

	am_buf_printf(&mark, "%s/" SITE_MARK, o->tmp);
	if (!(fp = fopen(mark.ptr, "w")) || fputs("auditmd site\n", fp) < 0 || fclose(fp) != 0) {
		am_error_set("%s: write failed: %s", mark.ptr, strerror(errno));
		rc = AM_EIO;
	}
	am_buf_free(&mark);
	if (rc == 0 && cli_outdir_interrupted())
		rc = AM_ERROR;
	/* Into place: over nothing or an empty directory, else exchanged in
	 * one step with the site there, which is then removed. */
	if (rc == 0 && rename(o->tmp, o->path) != 0 &&
	    ((errno != ENOTEMPTY && errno != EEXIST) || lstat(o->path, &st) != 0 || !S_ISDIR(st.st_mode) ||
	     renameat2(AT_FDCWD, o->tmp, AT_FDCWD, o->path, RENAME_EXCHANGE) != 0)) {
		am_error_set("%s: %s", o->path, strerror(errno));
		rc = AM_EIO;
	}
	remove_tree(o->tmp); /* the old site, or this one when it failed */
	free(o->tmp);
	free(o->path);
	o->tmp = o->path = NULL;
	dir_done();
	return rc;
}

void cli_outdir_abort(cli_outdir *o)
{
	if (o->tmp)
		remove_tree(o->tmp);
	free(o->tmp);
	free(o->path);
	o->tmp = o->path = NULL;
	dir_done();
}
