/* trust: see trust.h. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "trust.h"

static void
say(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (whylen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
}

/* The checks every kind shares: ours (or root's, with TRUST_ROOT), and
 * nobody else may write it. */
static enum trust_result
check_owner_mode(const struct stat *sb, const char *path, int flags,
    char *why, size_t whylen)
{
	if (sb->st_uid != geteuid() &&
	    !((flags & TRUST_ROOT) && sb->st_uid == 0)) {
		say(why, whylen, "%s belongs to another user (uid %ld)", path,
		    (long)sb->st_uid);
		return TRUST_REFUSED;
	}
	if ((sb->st_mode & 022) != 0) {
		say(why, whylen, "%s can be written by others (mode %04o)",
		    path, (unsigned)(sb->st_mode & 07777));
		return TRUST_REFUSED;
	}
	return TRUST_OK;
}

/* A regular file, ours, nobody else may write it (sb from [fl]stat). */
static enum trust_result
check_file(const struct stat *sb, const char *path, int flags, char *why,
    size_t whylen)
{
	if (S_ISLNK(sb->st_mode)) {
		say(why, whylen, "%s is a symbolic link", path);
		return TRUST_REFUSED;
	}
	if (S_ISDIR(sb->st_mode)) {
		say(why, whylen, "%s is a directory", path);
		return TRUST_REFUSED;
	}
	if (!S_ISREG(sb->st_mode)) {
		say(why, whylen, "%s is not a regular file", path);
		return TRUST_REFUSED;
	}
	return check_owner_mode(sb, path, flags, why, whylen);
}

enum trust_result
trust_dir(const char *dir, int flags, char *why, size_t whylen)
{
	struct stat sb, fsb;
	enum trust_result r;
	int fd, nofollow = flags & TRUST_NOFOLLOW;

	if ((nofollow ? lstat(dir, &sb) : stat(dir, &sb)) != 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return TRUST_MISSING;
		say(why, whylen, "%s: %s", dir, strerror(errno));
		return TRUST_ERROR;
	}
	if (S_ISLNK(sb.st_mode)) {
		say(why, whylen, "%s is a symbolic link, not a directory", dir);
		return TRUST_REFUSED;
	}
	if (!S_ISDIR(sb.st_mode)) {
		say(why, whylen, "%s is not a directory", dir);
		return TRUST_REFUSED;
	}
	/* The checks on the directory itself, held open: it cannot be
	 * swapped for another between the check and the chmod. */
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
	    (nofollow ? O_NOFOLLOW : 0));
	if (fd >= 0) {
		if (fstat(fd, &fsb) == 0 && fsb.st_dev == sb.st_dev &&
		    fsb.st_ino == sb.st_ino)
			sb = fsb;
		else {
			close(fd);
			say(why, whylen, "%s changed while it was checked", dir);
			return TRUST_REFUSED;
		}
	}
	if ((r = check_owner_mode(&sb, dir, flags, why, whylen)) == TRUST_OK &&
	    (flags & TRUST_TIGHTEN) && (sb.st_mode & 077) != 0)
		/* A read-only file system cannot be tightened; what it holds
		 * is no more exposed for our trying. */
		(void)(fd >= 0 ? fchmod(fd, sb.st_mode & 0700) :
		    chmod(dir, sb.st_mode & 0700));
	if (fd >= 0)
		close(fd);
	return r;
}

enum trust_result
trust_fd(int fd, const char *path, int flags, char *why, size_t whylen)
{
	struct stat sb;
	enum trust_result r;

	if (fstat(fd, &sb) != 0) {
		say(why, whylen, "%s: %s", path, strerror(errno));
		return TRUST_ERROR;
	}
	if ((r = check_file(&sb, path, flags, why, whylen)) == TRUST_OK &&
	    (flags & TRUST_TIGHTEN) && (sb.st_mode & 077) != 0)
		(void)fchmod(fd, sb.st_mode & 0700);
	return r;
}

int
trust_open(const char *path, int flags, enum trust_result *res, char *why,
    size_t whylen)
{
	struct stat sb, fsb;
	int fd, saved;

	/* lstat first: a device or FIFO is refused without being opened
	 * (opening some devices does things). */
	if (lstat(path, &sb) != 0) {
		if (errno == ENOENT || errno == ENOTDIR) {
			*res = TRUST_MISSING;
			return -1;
		}
		saved = errno;
		say(why, whylen, "%s cannot be read: %s", path, strerror(errno));
		*res = TRUST_ERROR;
		errno = saved;
		return -1;
	}
	if ((*res = check_file(&sb, path, flags, why, whylen)) != TRUST_OK)
		return -1;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
	    O_CLOEXEC);
	if (fd < 0) {
		saved = errno;
		if (errno == ENOENT) {
			*res = TRUST_MISSING;
			return -1;
		}
		say(why, whylen, "%s cannot be read: %s", path, strerror(errno));
		*res = TRUST_ERROR;
		errno = saved;
		return -1;
	}
	if (fstat(fd, &fsb) != 0 || fsb.st_dev != sb.st_dev ||
	    fsb.st_ino != sb.st_ino) {
		close(fd);
		say(why, whylen, "%s changed while it was checked", path);
		*res = TRUST_REFUSED;
		return -1;
	}
	if ((*res = trust_fd(fd, path, flags, why, whylen)) != TRUST_OK) {
		close(fd);
		return -1;
	}
	(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

enum trust_result
trust_path(const char *path, char *why, size_t whylen)
{
	struct stat sb;

	if (lstat(path, &sb) != 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return TRUST_MISSING;
		say(why, whylen, "%s: %s", path, strerror(errno));
		return TRUST_ERROR;
	}
	return check_file(&sb, path, 0, why, whylen);
}

enum trust_result
trust_stat(const struct stat *sb, mode_t kind, const char *path, int flags,
    char *why, size_t whylen)
{
	if (kind != S_IFDIR)
		return check_file(sb, path, flags, why, whylen);
	if (!S_ISDIR(sb->st_mode)) {
		say(why, whylen, "%s is not a directory", path);
		return TRUST_REFUSED;
	}
	return check_owner_mode(sb, path, flags, why, whylen);
}
