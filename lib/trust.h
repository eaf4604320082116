/*
 * trust: is this file or directory the user's own private state?
 *
 * xt keeps state (the config, the spool) only in places no one else can
 * have put there or changed: a directory or regular file that the
 * effective user owns and that neither group nor others may write.
 * Anything else (another user's file, a group- or world-writable place,
 * a symbolic link, a device, a FIFO, a socket, a directory where a file
 * should be) is refused: never read as state, never written, never
 * moved, never deleted.  The caller then acts as if telemetry were off
 * and says why (the why buffer).
 *
 * What is the user's but readable by others (0644 holding a salt, 0755)
 * is tightened when the caller asks (TRUST_TIGHTEN): the group and other
 * bits are cleared, so a secret is never left readable.  Tightening is
 * the only change these functions make, and only to what the user owns.
 *
 * Every check is on the object itself, through an open descriptor
 * (fstat, fchmod), so nothing can be swapped between the check and the
 * use.  The why buffers get "PATH belongs to another user (uid N)",
 * "PATH can be written by others (mode 0777)", "PATH is a symbolic
 * link", "PATH is a directory", "PATH is not a regular file", and the
 * like; never the file's content.
 */
#ifndef XT_TRUST_H
#define XT_TRUST_H

#include <sys/types.h>
#include <sys/stat.h>

#include <stddef.h>

enum {
	TRUST_TIGHTEN = 1,	/* clear group/other bits of what is ours */
	TRUST_NOFOLLOW = 2,	/* trust_dir: a symbolic link is refused */
	TRUST_ROOT = 4		/* root's is trusted too (a system file) */
};

enum trust_result {
	TRUST_OK = 0,		/* ours and private (perhaps just tightened) */
	TRUST_MISSING = 1,	/* nothing there (ENOENT, ENOTDIR) */
	TRUST_REFUSED = -1,	/* there, but not ours to use: why says why */
	TRUST_ERROR = -2	/* cannot tell (EACCES, EIO...): errno, why */
};

/*
 * trust_dir: dir is a directory we may keep state in.  Symbolic links
 * are followed (a dotfile manager's ~/.config link is fine) unless
 * TRUST_NOFOLLOW, which a shared place such as $TMPDIR needs.  With
 * TRUST_TIGHTEN a directory of ours open to others for reading becomes
 * 0700; use it only on directories xt made (never on a directory the
 * user named, which may be theirs for other uses).
 */
enum trust_result trust_dir(const char *dir, int flags, char *why,
    size_t whylen);

/*
 * trust_fd: the file open at fd (named path in messages) is a regular
 * file we may read or write as state.  With TRUST_TIGHTEN a file of
 * ours readable by others becomes 0600.  TRUST_OK or TRUST_REFUSED (or
 * TRUST_ERROR if fstat failed).
 */
enum trust_result trust_fd(int fd, const char *path, int flags, char *why,
    size_t whylen);

/*
 * trust_open: open path read-only without following a symbolic link or
 * blocking on a FIFO (O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC; the descriptor
 * is switched back to blocking), then trust_fd.  Returns the descriptor
 * (>= 0); or -1 with *res saying why not: TRUST_MISSING, TRUST_REFUSED
 * (why), or TRUST_ERROR (errno and why; a file of ours we may not read
 * is TRUST_ERROR with EACCES, a file of another user's TRUST_REFUSED).
 */
int trust_open(const char *path, int flags, enum trust_result *res,
    char *why, size_t whylen);

/*
 * trust_path: lstat path, without opening it: TRUST_MISSING, TRUST_OK
 * for a regular file of ours that others cannot write, else
 * TRUST_REFUSED (why).  For names a writer is about to replace or
 * remove (an older .corrupt copy, a stale temporary file).
 */
enum trust_result trust_path(const char *path, char *why, size_t whylen);

/*
 * trust_stat: the same rule on what fstat(2) or fstatat(2) already
 * gave, for a caller that works relative to an open directory (the
 * spool): sb must be of kind S_IFDIR or S_IFREG, the user's (or root's,
 * with TRUST_ROOT) and not writable by others.  TRUST_OK or
 * TRUST_REFUSED (why; whylen 0 for none).  Never tightens anything.
 */
enum trust_result trust_stat(const struct stat *sb, mode_t kind,
    const char *path, int flags, char *why, size_t whylen);

#endif
