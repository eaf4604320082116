/*
 * util: what every xt program shares.
 *
 * - The exit codes of DESIGN.md, defined here and nowhere else.
 * - Diagnostics on stderr as "xt-NAME: message"; debug lines only when
 *   the user asked for them (<APP>_DEBUG_TELEMETRY or XT_DEBUG).
 * - Checked output: stdout is flushed and closed by xt_exit(), and a
 *   write error (full disk, closed pipe) turns into exit 1.
 * - Descriptors: all of a write, stdin drained.
 * - Sizes in words, for messages that name a limit ("64 KiB").
 * - xt_wipe: memset that the compiler may not elide, for secrets.
 *
 * Nothing here allocates.  (struct buf and reading files: buf.h.)
 */
#ifndef XT_UTIL_H
#define XT_UTIL_H

#include <stdarg.h>
#include <stddef.h>

struct buf;	/* buf.h */

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

/*
 * "xt-NAME: message\n" on stderr.  xt_warn appends ": strerror(errno)",
 * as warn(3) does; xt_warnx does not, as warnx(3).
 */
void xt_warn(const char *fmt, ...) XT_PRINTF(1, 2);
void xt_warnx(const char *fmt, ...) XT_PRINTF(1, 2);
/*
 * Then xt_exit(code): xt_die as xt_warnx (errx(3)), xt_die_errno as
 * xt_warn (err(3)).
 */
_Noreturn void xt_die(int code, const char *fmt, ...) XT_PRINTF(2, 3);
_Noreturn void xt_die_errno(int code, const char *fmt, ...) XT_PRINTF(2, 3);
/* "xt-NAME: debug: message\n", only in debug mode. */
void xt_debug(const char *fmt, ...) XT_PRINTF(1, 2);
int xt_debugging(void);
/* Was stderr closed when the program started (xt_init holds its place
 * with /dev/null, where nothing written is seen)?  1 or 0. */
int xt_stderr_closed(void);

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

/* 1 if s holds exactly n digits of lowercase hex (what xt_hex writes),
 * else 0.  Ids and hashes are checked with it. */
int xt_is_hex(const char *s, size_t n);

/*
 * xt_size: bytes in words, as a message names a limit: "64 KiB",
 * "1 MiB", "300 bytes", into out; returns out.  XT_SIZE_WORDS bytes
 * hold any.
 */
#define XT_SIZE_WORDS	32
const char *xt_size(char *out, size_t outlen, size_t bytes);

/*
 * Read stdin to its end, or until more than max bytes came, and drop
 * it: a program that has nothing to do (telemetry off) still lets the
 * writer into its pipe finish, and an endless stdin costs no more than
 * it would with telemetry on (where over max is refused).
 */
void xt_drain_stdin(size_t max);

/* Write all n bytes to fd, retrying short writes and EINTR.  0 or -1. */
int xt_write_all(int fd, const void *p, size_t n);

/*
 * xt_mkdirs: mkdir -p path; each directory it makes is 0700.  0, or -1
 * with errno and why ("cannot create PREFIX: ...") at the first that
 * is neither there nor made.
 */
int xt_mkdirs(const char *path, char *why, size_t whylen);

/*
 * Print a whole line (data plus '\n') on stdout.  Errors are noticed
 * by xt_exit.
 */
void xt_put_line(const struct buf *b);

#endif
