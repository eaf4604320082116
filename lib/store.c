/* store: see store.h. */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ci.h"
#include "env.h"
#include "members.h"
#include "store.h"
#include "sysinfo.h"

static void
say(struct store *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->why, sizeof st->why, fmt, ap);
	va_end(ap);
}

/* Format into out; -1 (ENAMETOOLONG) if it does not fit. */
static int
path_fmt(char *out, size_t outlen, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, outlen, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= outlen) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

static void
reset(struct store *st)
{
	json_free(&st->doc);
	if (st->text.data != NULL)
		buf_free(&st->text);
	buf_init(&st->text, STORE_MAX);
	st->why[0] = '\0';
}

/* Read st->path into st->text and parse it; sets st->state. */
static void
load(struct store *st)
{
	struct json_err jerr;
	struct stat sb;
	char msg[160];

	reset(st);
	st->state = STORE_CORRUPT;
	if (buf_read_file(&st->text, st->path, BUF_NOFOLLOW, &sb) != 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			st->state = STORE_MISSING;
		else if (errno == ELOOP)
			say(st, "%s is a symbolic link", st->path);
		else if (errno == EISDIR)
			say(st, "%s is a directory", st->path);
		else if (errno == ENODEV)
			say(st, "%s is not a regular file", st->path);
		else
			say(st, "%s cannot be read: %s", st->path,
			    buf_read_error(&st->text, msg, sizeof msg));
	} else if (json_parse(&st->doc, st->text.data, st->text.len, &jerr) != 0) {
		json_strerror(&jerr, msg, sizeof msg);
		say(st, "%s is not JSON: %s", st->path, msg);
	} else if (json_typeof(&st->doc, JSON_ROOT) != JSON_OBJECT) {
		json_free(&st->doc);
		say(st, "%s is not a JSON object", st->path);
	} else
		st->state = STORE_OK;
}

/* dir is a directory, by statfn (stat or lstat).  0, or -1 with why. */
static int
is_dir(struct store *st, const char *dir, struct stat *sb,
    int (*statfn)(const char *, struct stat *))
{
	if (statfn(dir, sb) != 0) {
		say(st, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(sb->st_mode)) {
		errno = ENOTDIR;
		say(st, "%s is not a directory", dir);
		return -1;
	}
	return 0;
}

/*
 * The shared temporary directory: the cache directory must be ours, a
 * real directory, and private.  Returns 0, or -1 with why.
 */
static int
check_private_dir(struct store *st, const char *dir)
{
	struct stat sb;

	/* lstat: the shared directory itself, never what a link points to */
	if (is_dir(st, dir, &sb, lstat) != 0)
		return -1;
	if (sb.st_uid != geteuid()) {
		errno = EPERM;
		say(st, "%s belongs to another user (uid %ld)", dir,
		    (long)sb.st_uid);
		return -1;
	}
	if ((sb.st_mode & 077) != 0 && chmod(dir, 0700) != 0) {
		say(st, "%s: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}

static void
locate(struct store *st)
{
	const char *v, *app = env_app();
	struct ci_info ci;
	int r;

	st->ephemeral = 0;
	st->state = STORE_NOWHERE;
	if ((v = env_get(ENV_CONFIG)) != NULL) {
		r = path_fmt(st->path, sizeof st->path, "%s", v);
	} else if (ci_detect(&ci), ci.is_ci || sysinfo_is_docker()) {
		v = env_get("TMPDIR");
		if (v == NULL || v[0] != '/')
			v = "/tmp";
		st->ephemeral = 1;
		r = path_fmt(st->path, sizeof st->path,
		    "%s/.%s-cache/telemetry.json", v, app);
	} else if ((v = env_get("XDG_CONFIG_HOME")) != NULL && v[0] == '/') {
		r = path_fmt(st->path, sizeof st->path, "%s/%s/telemetry.json",
		    v, app);
	} else if ((v = env_get("HOME")) != NULL && v[0] == '/') {
		r = path_fmt(st->path, sizeof st->path,
		    "%s/.config/%s/telemetry.json", v, app);
	} else {
		st->path[0] = '\0';
		say(st, "no place for the config: HOME is %s",
		    getenv("HOME") == NULL ? "not set" : "not an absolute path");
		return;
	}
	if (r != 0) {
		st->path[0] = '\0';
		say(st, "no place for the config: its path is too long");
		return;
	}
	st->state = STORE_MISSING;
}

void
store_open(struct store *st)
{
	memset(st, 0, sizeof *st);
	buf_init(&st->text, STORE_MAX);
	locate(st);
	if (st->state != STORE_NOWHERE)
		load(st);
}

void
store_open_path(struct store *st, const char *path)
{
	memset(st, 0, sizeof *st);
	buf_init(&st->text, STORE_MAX);
	if (path_fmt(st->path, sizeof st->path, "%s", path) != 0) {
		st->state = STORE_NOWHERE;
		say(st, "path too long");
		return;
	}
	load(st);
}

void
store_close(struct store *st)
{
	reset(st);
	xt_wipe(st, sizeof *st);
	st->state = STORE_NOWHERE;
}

int
store_get_string(const struct store *st, const char *key, char *out,
    size_t outlen)
{
	struct buf b;
	int k, found = 0;

	if (st->state != STORE_OK ||
	    (k = json_get(&st->doc, JSON_ROOT, key)) < 0 ||
	    json_typeof(&st->doc, k) != JSON_STRING)
		return 0;
	buf_init(&b, outlen - 1);
	json_decode_string(&st->doc, k, &b);
	if (!b.full && b.len > 0 && memchr(b.data, '\0', b.len) == NULL) {
		memcpy(out, b.data, b.len + 1);
		found = 1;
	}
	buf_free(&b);
	return found;
}

int
store_get_bool(const struct store *st, const char *key, int *value)
{
	int k;

	if (st->state != STORE_OK ||
	    (k = json_get(&st->doc, JSON_ROOT, key)) < 0)
		return 0;
	if (json_typeof(&st->doc, k) == JSON_TRUE ||
	    json_typeof(&st->doc, k) == JSON_FALSE) {
		*value = json_typeof(&st->doc, k) == JSON_TRUE;
		return 1;
	}
	return -1;
}

/* mkdir -p of the directory part of path; new directories are 0700. */
static int
make_dirs(struct store *st, char *dir)
{
	struct stat sb;
	char *p;

	for (p = dir + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		{
			char c = *p;
			*p = '\0';
			if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
				say(st, "cannot create %s: %s", dir,
				    strerror(errno));
				*p = c;
				return -1;
			}
			*p = c;
		}
		if (*p == '\0')
			break;
	}
	return is_dir(st, dir, &sb, stat);
}

static long
elapsed_ms(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)(t.tv_sec - t0->tv_sec) * 1000 +
	    (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/*
 * Take the write lock on fd, waiting at most STORE_LOCK_WAIT_MS.  Poll
 * rather than F_SETLKW: a stopped process holding the lock must cost a
 * build a bounded wait, not forever.
 */
static int
lock_wait(int fd)
{
	struct flock fl;
	struct timespec t0, nap;
	long wait_us = 500;

	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (fcntl(fd, F_SETLK, &fl) == 0)
			return 0;
		if (errno != EACCES && errno != EAGAIN && errno != EINTR)
			return -1;
		if (elapsed_ms(&t0) >= STORE_LOCK_WAIT_MS) {
			errno = EWOULDBLOCK;
			return -1;
		}
		nap.tv_sec = 0;
		nap.tv_nsec = wait_us * 1000;
		nanosleep(&nap, NULL);
		if (wait_us < 50000)
			wait_us *= 2;
	}
}

/*
 * Remove name (in the directory at) and, if it is a directory, what is in
 * it, at most depth levels down.  Symbolic links are removed, never
 * followed.  0 or -1.
 */
static int
remove_older(int at, const char *name, int depth)
{
	struct stat sb;
	struct dirent *e;
	DIR *d;
	int fd;

	if (fstatat(at, name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(sb.st_mode))
		return unlinkat(at, name, 0);
	if (depth > 0 && (fd = openat(at, name,
	    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) >= 0) {
		if ((d = fdopendir(fd)) == NULL)
			close(fd);
		else {
			while ((e = readdir(d)) != NULL)
				if (strcmp(e->d_name, ".") != 0 &&
				    strcmp(e->d_name, "..") != 0)
					(void)remove_older(dirfd(d), e->d_name,
					    depth - 1);
			closedir(d);
		}
	}
	return unlinkat(at, name, AT_REMOVEDIR);
}

/* Move a corrupt file (or directory) aside, replacing an older one. */
static int
move_aside(struct store *st)
{
	char aside[STORE_PATH_MAX];

	if (path_fmt(aside, sizeof aside, "%s.corrupt", st->path) != 0) {
		say(st, "path too long");
		return -1;
	}
	if (rename(st->path, aside) == 0)
		goto moved;
	/*
	 * An older .corrupt is in the way: of another kind (file vs
	 * directory), or a directory with things in it, which rename does
	 * not replace.  It is older news than this one; were it kept, no
	 * later disable could replace a corrupt config.
	 */
	if (remove_older(AT_FDCWD, aside, 8) == 0 &&
	    rename(st->path, aside) == 0)
		goto moved;
	say(st, "cannot move %s aside: %s", st->path, strerror(errno));
	return -1;
moved:
	xt_debug("the config was unusable (%s); moved it to %s", st->why,
	    aside);
	return 0;
}

/* Does the change set key's value (1), or leave it as it is (0)? */
static int
applies(const struct store *st, const struct store_change *c)
{
	int k;

	if (!c->if_missing || st->state != STORE_OK)
		return 1;
	k = json_get(&st->doc, JSON_ROOT, c->key);
	return !json_nonempty(&st->doc, k);
}

static const struct store_change *
find_change(const struct store *st, const struct store_change *ch, size_t n,
    const struct member *m)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(ch[i].key) == m->keylen &&
		    memcmp(ch[i].key, m->key, m->keylen) == 0)
			return applies(st, &ch[i]) ? &ch[i] : NULL;
	return NULL;
}

static void
put_member(struct buf *out, int *first, const char *key, size_t keylen)
{
	buf_adds(out, *first ? "{\n  " : ",\n  ");
	*first = 0;
	json_encode_string(out, key, keylen);
	buf_adds(out, ": ");
}

/*
 * The new text of the file, as xmcp writes it (two-space indent), keys
 * in their old order, each once with its last value (members.h), new
 * keys last.  Returns how many values changed, or -1 (out of memory).
 */
static int
render(const struct store *st, const struct store_change *ch, size_t n,
    struct buf *out)
{
	const struct store_change *c;
	const struct member *m;
	struct members old;
	int first = 1, changed = 0;
	size_t i;

	members_init(&old, STORE_MAX);
	if (st->state == STORE_OK &&
	    members_merge(&old, &st->doc, JSON_ROOT) != 0) {
		members_free(&old);
		return -1;
	}
	for (i = 0; i < old.n; i++) {
		m = &old.m[i];
		put_member(out, &first, m->key, m->keylen);
		c = find_change(st, ch, n, m);
		if (c != NULL && strcmp(m->value, c->json) != 0) {
			buf_adds(out, c->json);
			changed++;
		} else
			buf_add(out, m->value, m->valuelen);
	}
	for (i = 0; i < n; i++) {
		if (members_get(&old, ch[i].key, strlen(ch[i].key)) != NULL)
			continue;
		put_member(out, &first, ch[i].key, strlen(ch[i].key));
		buf_adds(out, ch[i].json);
		changed++;
	}
	buf_adds(out, first ? "{}\n" : "\n}\n");
	members_free(&old);
	return changed;
}

/* Write text to a new file beside st->path, then rename it over. */
static int
replace_file(struct store *st, const char *dir, const struct buf *text)
{
	char tmp[STORE_PATH_MAX];
	int fd, dfd, saved;

	if (path_fmt(tmp, sizeof tmp, "%s.XXXXXX", st->path) != 0) {
		say(st, "path too long");
		return -1;
	}
	if ((fd = mkstemp(tmp)) < 0) {
		say(st, "cannot write in %s: %s", dir, strerror(errno));
		return -1;
	}
	if (fchmod(fd, 0600) != 0 ||
	    xt_write_all(fd, text->data, text->len) != 0 ||
	    fsync(fd) != 0) {
		saved = errno;
		close(fd);
		unlink(tmp);
		errno = saved;
		say(st, "cannot write %s: %s", tmp, strerror(errno));
		return -1;
	}
	if (close(fd) != 0 || rename(tmp, st->path) != 0) {
		saved = errno;
		unlink(tmp);
		errno = saved;
		say(st, "cannot write %s: %s", st->path, strerror(errno));
		return -1;
	}
	/* The rename is durable once the directory is. */
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	return 0;
}

int
store_update(struct store *st, const struct store_change *ch, size_t n)
{
	char dir[STORE_PATH_MAX], lockpath[STORE_PATH_MAX], *slash;
	char msg[XT_SIZE_WORDS];
	struct buf text;
	int lockfd, r = -1, saved, changed;

	if (st->state == STORE_NOWHERE) {
		errno = ENOENT;
		return -1;
	}
	if (path_fmt(dir, sizeof dir, "%s", st->path) != 0 ||
	    path_fmt(lockpath, sizeof lockpath, "%s.lock", st->path) != 0) {
		say(st, "path too long");
		return -1;
	}
	if ((slash = strrchr(dir, '/')) == NULL)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	if (make_dirs(st, dir) != 0)
		return -1;
	if (st->ephemeral && check_private_dir(st, dir) != 0)
		return -1;
	lockfd = open(lockpath, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (lockfd < 0) {
		say(st, "cannot create %s: %s", lockpath, strerror(errno));
		return -1;
	}
	if (lock_wait(lockfd) != 0) {
		saved = errno;
		say(st, "cannot lock %s: %s", lockpath, errno == EWOULDBLOCK ?
		    "another process holds it" : strerror(errno));
		close(lockfd);
		errno = saved;
		return -1;
	}
	load(st);	/* under the lock, the file as it is now */
	if (st->state == STORE_CORRUPT && move_aside(st) != 0)
		goto out;
	buf_init(&text, STORE_MAX);
	if ((changed = render(st, ch, n, &text)) == 0 && st->state == STORE_OK) {
		r = 0;	/* nothing to change: no write */
	} else if (changed < 0) {
		errno = ENOMEM;
		say(st, "%s: out of memory", st->path);
	} else if (text.full) {
		errno = EFBIG;
		say(st, "%s would be over %s", st->path,
		    xt_size(msg, sizeof msg, STORE_MAX));
	} else if (replace_file(st, dir, &text) == 0) {
		r = 0;
		load(st);
	}
	buf_free(&text);
out:
	saved = errno;
	close(lockfd);	/* releases the lock */
	errno = saved;
	return r;
}
