/* util: see util.h. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "env.h"
#include "util.h"

const char *xt_progname = "xt";
static int debugging;
static int stderr_closed;

void
xt_init(const char *progname)
{
	struct sigaction sa;
	int fd;

	xt_progname = progname;
	/*
	 * A closed standard descriptor would be reused by the next open(),
	 * and our output would land in the config file.  Hold its place
	 * with /dev/null; stdout read-only, so that writing to it still
	 * fails as writing to a closed stdout does.
	 */
	for (fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
			if (fd == 2)
				stderr_closed = 1;
			if (open("/dev/null", fd == 2 ? O_WRONLY : O_RDONLY) != fd)
				abort();
		}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGPIPE, &sa, NULL);
	if (env_init() != 0)
		xt_die(XT_EXIT_USAGE, "%s='%s': not a valid application name "
		    "(1-%d of a-z 0-9 . _ -)", ENV_APP, getenv(ENV_APP),
		    APP_MAX);
	debugging = env_debug();
}

static void
vwarn(int errnum, const char *prefix, const char *fmt, va_list ap)
{
	/* One fprintf per piece, but stderr is unbuffered: build the line
	 * first so concurrent processes do not interleave mid-line. */
	char line[1024];
	int n, m;

	n = snprintf(line, sizeof line, "%s: %s", xt_progname, prefix);
	if (n < 0 || (size_t)n >= sizeof line)
		n = 0;
	m = vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
	if (m < 0)
		m = 0;
	n += m;
	if ((size_t)n >= sizeof line - 1)
		n = (int)sizeof line - 2;	/* truncated: keep the newline */
	if (errnum != 0) {
		m = snprintf(line + n, sizeof line - (size_t)n - 1, ": %s",
		    strerror(errnum));
		if (m > 0)
			n += m;
		if ((size_t)n >= sizeof line - 1)
			n = (int)sizeof line - 2;
	}
	line[n++] = '\n';
	(void)xt_write_all(STDERR_FILENO, line, (size_t)n);
}

void
xt_warn(const char *fmt, ...)
{
	int e = errno;
	va_list ap;

	va_start(ap, fmt);
	vwarn(e != 0 ? e : EIO, "", fmt, ap);
	va_end(ap);
}

void
xt_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(0, "", fmt, ap);
	va_end(ap);
}

void
xt_die(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(0, "", fmt, ap);
	va_end(ap);
	xt_exit(code);
}

void
xt_die_errno(int code, const char *fmt, ...)
{
	int e = errno;
	va_list ap;

	va_start(ap, fmt);
	vwarn(e != 0 ? e : EIO, "", fmt, ap);
	va_end(ap);
	xt_exit(code);
}

void
xt_debug(const char *fmt, ...)
{
	va_list ap;

	if (!debugging)
		return;
	va_start(ap, fmt);
	vwarn(0, "debug: ", fmt, ap);
	va_end(ap);
}

int
xt_debugging(void)
{
	return debugging;
}

int
xt_stderr_closed(void)
{
	return stderr_closed;
}

void
xt_exit(int code)
{
	int failed = fflush(stdout) != 0 || ferror(stdout);

	if (fclose(stdout) != 0)
		failed = 1;
	if (failed && code == XT_EXIT_OK) {
		xt_warn("stdout");
		code = XT_EXIT_FAIL;
	}
	exit(code);
}

static void
put_synopsis(FILE *f, const char *const synopsis[])
{
	size_t i;

	for (i = 0; synopsis[i] != NULL; i++)
		fprintf(f, "%s %s\n", i == 0 ? "usage:" : "      ", synopsis[i]);
}

void
xt_usage(const char *const synopsis[])
{
	put_synopsis(stderr, synopsis);
	xt_exit(XT_EXIT_USAGE);
}

void
xt_help(const char *const synopsis[])
{
	put_synopsis(stdout, synopsis);
	xt_exit(XT_EXIT_OK);
}

void
xt_version(void)
{
	printf("%s %s\n", xt_progname, XT_VERSION);
	xt_exit(XT_EXIT_OK);
}

void
xt_wipe(void *p, size_t n)
{
	/* A call through a volatile pointer cannot be proven dead. */
	static void *(*const volatile wipe)(void *, int, size_t) = memset;

	wipe(p, 0, n);
}

void
xt_hex(char *out, const void *in, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *b = in;
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = '\0';
}

int
xt_is_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

const char *
xt_size(char *out, size_t outlen, size_t bytes)
{
	if (bytes >= 1 << 20 && bytes % (1 << 20) == 0)
		snprintf(out, outlen, "%zu MiB", bytes >> 20);
	else if (bytes >= 1 << 10 && bytes % (1 << 10) == 0)
		snprintf(out, outlen, "%zu KiB", bytes >> 10);
	else
		snprintf(out, outlen, "%zu bytes", bytes);
	return out;
}

void
xt_drain_stdin(size_t max)
{
	char chunk[8192];
	size_t got = 0;
	ssize_t n;

	while (got <= max && ((n = read(STDIN_FILENO, chunk, sizeof chunk)) > 0 ||
	    (n < 0 && errno == EINTR)))
		if (n > 0)
			got += (size_t)n;
}

int
xt_write_all(int fd, const void *p, size_t n)
{
	const char *s = p;
	ssize_t w;

	while (n > 0) {
		w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

int
xt_mkdirs(const char *path, char *why, size_t whylen)
{
	char dir[4096];
	size_t i, n = strlen(path);
	int e;

	if (n >= sizeof dir) {
		snprintf(why, whylen, "cannot create %s: %s", path,
		    strerror(ENAMETOOLONG));
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(dir, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (dir[i] != '/' && dir[i] != '\0')
			continue;
		dir[i] = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			e = errno;
			snprintf(why, whylen, "cannot create %s: %s", dir,
			    strerror(e));
			errno = e;
			return -1;
		}
		dir[i] = path[i];
	}
	return 0;
}

void
xt_put_line(const struct buf *b)
{
	fwrite(b->data, 1, b->len, stdout);
	putchar('\n');
}
