/* util: see util.h. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "env.h"
#include "util.h"

const char *xt_progname = "xt";
static int debugging;

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
		if (fcntl(fd, F_GETFD) == -1 && errno == EBADF &&
		    open("/dev/null", fd == 2 ? O_WRONLY : O_RDONLY) != fd)
			abort();
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

void
buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->max = max;
	b->full = 0;
}

void
buf_free(struct buf *b)
{
	if (b->data != NULL) {
		xt_wipe(b->data, b->cap);
		free(b->data);
	}
	buf_init(b, b->max);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->full = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

static int
buf_grow(struct buf *b, size_t need)
{
	size_t cap;
	char *p;

	if (need <= b->cap)
		return 0;
	cap = b->cap != 0 ? b->cap : 256;
	while (cap < need)
		cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
	if (cap > b->max + 1)
		cap = b->max + 1;
	if (cap < need)
		return -1;
	/* realloc may leave the old copy behind: wipe by hand instead. */
	if ((p = malloc(cap)) == NULL)
		return -1;
	if (b->data != NULL) {
		memcpy(p, b->data, b->len + 1);
		xt_wipe(b->data, b->cap);
		free(b->data);
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->full)
		return;
	if (n > b->max - b->len || buf_grow(b, b->len + n + 1) != 0) {
		b->full = 1;
		return;
	}
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->full = 1;
		return;
	}
	if ((size_t)n < sizeof small) {
		buf_add(b, small, (size_t)n);
		return;
	}
	if (b->full || (size_t)n > b->max - b->len ||
	    buf_grow(b, b->len + (size_t)n + 1) != 0) {
		b->full = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

int
xt_read_all(int fd, struct buf *b)
{
	char chunk[8192];
	ssize_t n;

	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		if ((size_t)n > b->max - b->len) {
			xt_wipe(chunk, sizeof chunk);
			errno = EFBIG;
			return -1;
		}
		buf_add(b, chunk, (size_t)n);
	}
	xt_wipe(chunk, sizeof chunk);
	if (b->data == NULL)	/* empty input: still a valid empty string */
		buf_add(b, "", 0);
	if (b->full) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void
xt_drain_stdin(void)
{
	char chunk[8192];
	ssize_t n;

	while ((n = read(STDIN_FILENO, chunk, sizeof chunk)) > 0 ||
	    (n < 0 && errno == EINTR))
		;
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

void
xt_put_line(const struct buf *b)
{
	fwrite(b->data, 1, b->len, stdout);
	putchar('\n');
}
