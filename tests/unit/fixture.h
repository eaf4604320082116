/*
 * fixture.h: a private world for the unit tests that touch files, so
 * they never see the real user's HOME, config or environment:
 *
 *	fx_setup("t-store");	a temporary directory ROOT (under the
 *				caller's $TMPDIR, else /tmp) and an
 *				environment holding only PATH and
 *				HOME=ROOT/home, XDG_CONFIG_HOME=ROOT/xdg,
 *				TMPDIR=ROOT/tmp, XT_SYSROOT=ROOT/sysroot
 *				(empty: no container), XT_SYSCONFDIR=ROOT/etc
 *	fx_path("a/%s", x)	ROOT/a/x, a string valid until fx_cleanup
 *	fx_entries(dir)		how many entries dir holds
 *	fx_cleanup()		removes ROOT and all under it (0, or -1
 *				if anything is left behind)
 *
 * Any variable the machine had (CI, GITHUB_ACTIONS, DO_NOT_TRACK,
 * XT_*) is gone, so ci_detect says "not CI" and consent its default
 * until a test sets something.  Setup failures bail out of the test
 * ("Bail out!" is TAP's word for it).
 */
#ifndef XT_FIXTURE_H
#define XT_FIXTURE_H

#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__GNUC__) || defined(__clang__)
#define FX_UNUSED __attribute__((unused))
#define FX_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define FX_UNUSED
#define FX_PRINTF(f, a)
#endif

extern char **environ;

static char fx_root[1024];
static pid_t fx_owner;		/* the process that made ROOT */

static int fx_rmrf(const char *path);

/* Stop the test; the process that made ROOT removes it first. */
FX_UNUSED _Noreturn static void
fx_bail(const char *what)
{
	printf("Bail out! %s: %s\n", what, strerror(errno));
	fflush(stdout);
	if (fx_root[0] != '\0' && getpid() == fx_owner &&
	    chdir("/") == 0)
		(void)fx_rmrf(fx_root);
	exit(1);
}

static char **fx_paths;
static size_t fx_npaths;

FX_UNUSED FX_PRINTF(1, 2) static const char *
fx_path(const char *fmt, ...)
{
	char path[4096], *copy, **more;
	va_list ap;
	int n;

	n = snprintf(path, sizeof path, "%s/", fx_root);
	va_start(ap, fmt);
	vsnprintf(path + n, sizeof path - (size_t)n, fmt, ap);
	va_end(ap);
	if ((copy = malloc(strlen(path) + 1)) == NULL ||
	    (more = realloc(fx_paths, (fx_npaths + 1) * sizeof *more)) == NULL)
		fx_bail("malloc");
	strcpy(copy, path);
	fx_paths = more;
	fx_paths[fx_npaths++] = copy;
	return copy;
}

/* rm -rf path; symbolic links are removed, never followed.  0 or -1. */
static int
fx_rmrf(const char *path)
{
	struct stat sb;
	struct dirent *e;
	char sub[4096];
	DIR *d;
	int r = 0;

	if (lstat(path, &sb) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(sb.st_mode))
		return unlink(path);
	(void)chmod(path, 0700);	/* a test may have locked it */
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
		if (fx_rmrf(sub) != 0)
			r = -1;
	}
	closedir(d);
	return rmdir(path) == 0 ? r : -1;
}

/* mkdir -p ROOT-relative or absolute path, mode 0700.  0 or -1. */
FX_UNUSED static int
fx_mkdirs(const char *path)
{
	char p[4096], *s;

	snprintf(p, sizeof p, "%s", path);
	for (s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0700) != 0 && errno != EEXIST)
				return -1;
			*s = c;
			if (c == '\0')
				return 0;
		}
	}
}

/* Write n bytes to path (created 0600 or truncated).  0 or -1. */
FX_UNUSED static int
fx_write_n(const char *path, const char *data, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ssize_t w;

	if (fd < 0)
		return -1;
	w = n > 0 ? write(fd, data, n) : 0;
	if (close(fd) != 0 || w < 0 || (size_t)w != n)
		return -1;
	return 0;
}

FX_UNUSED static int
fx_write(const char *path, const char *text)
{
	return fx_write_n(path, text, strlen(text));
}

/* The user's config file (xdg/xt/telemetry.json) holding exactly text. */
FX_UNUSED static void
fx_config(const char *text)
{
	if (fx_mkdirs(fx_path("xdg/xt")) != 0 ||
	    fx_write(fx_path("xdg/xt/telemetry.json"), text) != 0)
		fx_bail("config");
}

/*
 * The whole of a (small) file as a string, in a static buffer that the
 * next call overwrites; NULL if it cannot be read.
 */
FX_UNUSED static const char *
fx_read(const char *path)
{
	static char text[128 * 1024];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return NULL;
	n = read(fd, text, sizeof text - 1);
	close(fd);
	if (n < 0)
		return NULL;
	text[n] = '\0';
	return text;
}

/* Permission bits of path (lstat), or -1. */
FX_UNUSED static int
fx_mode(const char *path)
{
	struct stat sb;

	return lstat(path, &sb) == 0 ? (int)(sb.st_mode & 07777) : -1;
}

/* Does path exist (lstat)? */
FX_UNUSED static int
fx_exists(const char *path)
{
	struct stat sb;

	return lstat(path, &sb) == 0;
}

/* How many entries dir holds besides . and .., or -1. */
FX_UNUSED static int
fx_entries(const char *dir)
{
	struct dirent *e;
	DIR *d = opendir(dir);
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

/* Every variable but PATH goes. */
FX_UNUSED static void
fx_clear_env(void)
{
	char name[1024];
	size_t i, n;

	for (i = 0; environ != NULL && environ[i] != NULL; ) {
		n = strcspn(environ[i], "=");
		if ((n == 4 && strncmp(environ[i], "PATH", 4) == 0) ||
		    n == 0 || n >= sizeof name) {
			i++;
			continue;
		}
		memcpy(name, environ[i], n);
		name[n] = '\0';
		if (unsetenv(name) != 0)
			i++;
		else
			i = 0;	/* environ may have moved */
	}
}

FX_UNUSED static void
fx_setup(const char *name)
{
	static const struct {
		const char *var, *dir;
	} dirs[] = {
		{ "HOME", "home" },
		{ "XDG_CONFIG_HOME", "xdg" },
		{ "TMPDIR", "tmp" },
		{ "XT_SYSROOT", "sysroot" },
		{ "XT_SYSCONFDIR", "etc" },
	};
	const char *tmp = getenv("TMPDIR");
	size_t i;

	if (tmp == NULL || tmp[0] != '/')
		tmp = "/tmp";
	snprintf(fx_root, sizeof fx_root, "%s/%s.XXXXXX", tmp, name);
	if (mkdtemp(fx_root) == NULL) {
		fx_root[0] = '\0';
		fx_bail("mkdtemp");
	}
	fx_owner = getpid();
	fx_clear_env();
	for (i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		if (mkdir(fx_path("%s", dirs[i].dir), 0700) != 0)
			fx_bail(dirs[i].dir);
		setenv(dirs[i].var, fx_path("%s", dirs[i].dir), 1);
	}
	umask(022);
}

/* Remove ROOT.  0, or -1 if anything is left behind. */
FX_UNUSED static int
fx_cleanup(void)
{
	int r = 0;

	if (chdir("/") != 0 || fx_rmrf(fx_root) != 0) {
		printf("# could not remove %s\n", fx_root);
		r = -1;
	}
	while (fx_npaths > 0)
		free(fx_paths[--fx_npaths]);
	free(fx_paths);
	fx_paths = NULL;
	return r;
}

#endif
