/*
 * util: what every xt program shares.
 *
 * - The exit codes of DESIGN.md, defined here and nowhere else.
 * - Diagnostics on stderr as "xt-NAME: message"; debug lines only when
 *   the user asked for them (<APP>_DEBUG_TELEMETRY or XT_DEBUG).
 * - Checked output: stdout is flushed and closed by xt_exit(), and a
 *   write error (full disk, closed pipe) turns into exit 1.
 * - struct buf: a growable byte buffer with a hard cap, for output that
 *   must be built whole before any of it is printed.
 * - xt_wipe: memset that the compiler may not elide, for secrets.
 *
 * Nothing here allocates except struct buf.
 */
#ifndef XT_UTIL_H
#define XT_UTIL_H

#include <stdarg.h>
#include <stddef.h>

enum xt_exit {
	XT_EXIT_OK = 0,		/* done; also: telemetry is off */
	XT_EXIT_FAIL = 1,	/* failed for good (4xx, or stdout failed) */
	XT_EXIT_USAGE = 2,	/* usage error or bad input; nothing sent or written */
	XT_EXIT_TEMPFAIL = 75	/* temporary failure; retrying later may work */
};

#if defined(__GNUC__) || defined(__clang__)
#define XT_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define XT_PRINTF(f, a)
#endif

/*
 * xt_init: call first in main.  Sets the name used in diagnostics
 * (a fixed "xt-id", not argv[0], so messages read the same through a
 * symlink), ignores SIGPIPE so a closed pipe is a write error rather
 * than a silent death, and reads the application name (env.h).  An
 * invalid XT_APP is a usage error: it exits 2 with a message.
 */
void xt_init(const char *progname);
extern const char *xt_progname;

/* "xt-NAME: message\n" on stderr.  xt_warn appends ": strerror(errno)". */
void xt_warn(const char *fmt, ...) XT_PRINTF(1, 2);
void xt_warnx(const char *fmt, ...) XT_PRINTF(1, 2);
/* As xt_warnx, then xt_exit(code). */
_Noreturn void xt_die(int code, const char *fmt, ...) XT_PRINTF(2, 3);
/* "xt-NAME: debug: message\n", only in debug mode. */
void xt_debug(const char *fmt, ...) XT_PRINTF(1, 2);
int xt_debugging(void);

/*
 * xt_exit: flush and close stdout, then exit with code.  If stdout
 * could not be written, says so and exits XT_EXIT_FAIL instead (unless
 * code is already an error).
 */
_Noreturn void xt_exit(int code);

/*
 * xt_usage: print "usage: SYNOPSIS" to stderr and exit 2.  The synopsis
 * is the man page's SYNOPSIS, one string per line.
 */
_Noreturn void xt_usage(const char *const synopsis[]);
/* -h: the same text on stdout, exit 0.  -V: "xt-NAME VERSION", exit 0. */
_Noreturn void xt_help(const char *const synopsis[]);
_Noreturn void xt_version(void);

/* Overwrite n bytes at p with zeros in a way the compiler keeps. */
void xt_wipe(void *p, size_t n);

/* Write n bytes as 2n lowercase hex digits and a NUL into out. */
void xt_hex(char *out, const void *in, size_t n);

/*
 * struct buf: bytes at data[0..len), always followed by a NUL that is
 * not counted.  Appends past max bytes, or a failed allocation, set
 * full and are dropped: check full once when done rather than after
 * every append.  The buffer owns data; buf_free wipes and frees it.
 */
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
 * xt_read_all: read fd to end into b.  Returns 0, or -1 with errno set
 * (EFBIG when more than b->max bytes arrived; the rest is not read).
 */
int xt_read_all(int fd, struct buf *b);

/*
 * Read stdin to its end and drop it: a program that has nothing to do
 * (telemetry off) still lets the writer into its pipe finish.
 */
void xt_drain_stdin(void);

/* Write all n bytes to fd, retrying short writes and EINTR.  0 or -1. */
int xt_write_all(int fd, const void *p, size_t n);

/*
 * Print a whole line (data plus '\n') on stdout.  Errors are noticed
 * by xt_exit.
 */
void xt_put_line(const struct buf *b);

#endif
