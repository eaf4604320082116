/* buf: see buf.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"

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

/* Read fd to its end into b; with head, stop quietly at b->max bytes. */
static int
read_fd(struct buf *b, int fd, int head)
{
	char chunk[8192];
	size_t want;
	ssize_t n;

	for (;;) {
		want = sizeof chunk;
		if (head && b->max - b->len < want)
			want = b->max - b->len;
		if (want == 0)
			break;
		n = read(fd, chunk, want);
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

int
buf_read_fd(struct buf *b, int fd)
{
	return read_fd(b, fd, 0);
}

int
buf_open_file(const char *path, int flags, struct stat *sb)
{
	struct stat own;
	int fd, saved;

	if (sb == NULL)
		sb = &own;
	fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC |
	    (flags & BUF_STREAM ? 0 : O_NONBLOCK) |
	    (flags & BUF_NOFOLLOW ? O_NOFOLLOW : 0));
	if (fd < 0)
		return -1;
	if (fstat(fd, sb) != 0)
		goto fail;
	if (S_ISDIR(sb->st_mode)) {
		errno = EISDIR;
		goto fail;
	}
	if (!S_ISREG(sb->st_mode) && !(flags & BUF_STREAM)) {
		errno = ENODEV;
		goto fail;
	}
	return fd;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

int
buf_read_file(struct buf *b, const char *path, int flags, struct stat *sb)
{
	int fd, r, saved;

	if ((fd = buf_open_file(path, flags, sb)) < 0)
		return -1;
	r = read_fd(b, fd, flags & BUF_HEAD);
	saved = errno;
	close(fd);
	errno = saved;
	return r;
}

const char *
buf_read_error(const struct buf *b, char *out, size_t outlen)
{
	char size[XT_SIZE_WORDS];

	if (errno == EFBIG)
		snprintf(out, outlen, "over %s", xt_size(size, sizeof size,
		    b->max));
	else
		snprintf(out, outlen, "%s", strerror(errno));
	return out;
}
