/*
 * buf: a growable byte buffer with a hard cap, for text that must be
 * built whole before any of it is used (a payload, an event, a file
 * read in) and must never grow past what we allow; and filling one
 * from a descriptor or a file, the one way every xt program reads a
 * file.
 *
 * struct buf: bytes at data[0..len), always followed by a NUL that is
 * not counted.  Appends past max bytes, or a failed allocation, set
 * full and are dropped: check full once when done rather than after
 * every append.  The buffer owns data; buf_free wipes and frees it
 * (it may have held a secret).  buf_init allocates nothing.
 */
#ifndef XT_BUF_H
#define XT_BUF_H

#include <sys/stat.h>

#include <stddef.h>

#include "util.h"

struct buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
	int full;
};

void buf_init(struct buf *b, size_t max);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);		/* len = 0, full = 0; keeps memory */
void buf_add(struct buf *b, const void *p, size_t n);
void buf_addc(struct buf *b, char c);
void buf_adds(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) XT_PRINTF(2, 3);

/*
 * buf_read_fd: read fd to its end into b.  Returns 0, or -1 with errno
 * set (EFBIG when more than b->max bytes arrived; the rest is not read).
 */
int buf_read_fd(struct buf *b, int fd);

/*
 * buf_read_file: read the file at path whole into b (at most b->max
 * bytes).  It must be a regular file: it is opened with O_NONBLOCK, so
 * a FIFO planted at the path cannot hang us, and a directory, FIFO or
 * device is refused.  Flags:
 *   BUF_NOFOLLOW  a symbolic link is refused (ELOOP), never followed;
 *   BUF_STREAM    a FIFO or device is read too, to its end (the user
 *                 named it: xt-event -f <(...)); a directory is not;
 *   BUF_HEAD      a longer file is no error: b gets its first b->max
 *                 bytes (a /proc file whose wanted lines come first).
 * If sb is not NULL it gets the file's fstat(2) once it is open.
 * Returns 0, or -1 with errno: open's (ENOENT, ELOOP, ...), EISDIR (a
 * directory), ENODEV (not a regular file), EFBIG (over b->max bytes),
 * or read's.
 *
 * buf_open_file: just the opening and checking, for a reader that
 * scans a file in pieces; the descriptor, or -1 with errno as above.
 */
#define BUF_NOFOLLOW	1
#define BUF_STREAM	2
#define BUF_HEAD	4
int buf_read_file(struct buf *b, const char *path, int flags,
    struct stat *sb);
int buf_open_file(const char *path, int flags, struct stat *sb);

/*
 * buf_read_error: why filling b failed, from errno, into out: "over
 * 64 KiB" (EFBIG: b->max in words) or strerror(errno).  Returns out.
 */
const char *buf_read_error(const struct buf *b, char *out, size_t outlen);

#endif

