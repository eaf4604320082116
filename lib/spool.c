/* spool: see spool.h. */
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

#include "env.h"
#include "rand.h"
#include "spool.h"
#include "trust.h"
#include "util.h"

#define HEAD_PRE	"{\"context\":{\"projectHash\":\""
#define TAIL_PRE	"{\"context\":{\"sessionId\":\""
#define LINE_END	"\"}}\n"
#define BATCH_EXT	".jsonl"
#define TMP_EXT		".tmp"
#define LOCK_NAME	".lock"
#define REJECTED	"rejected"
#define SENT		"sent.jsonl"
#define SENT_OLD	"sent.jsonl.1"
#define LAST		"last-upload"
#define LAST_TMP	".last-upload.tmp"

static void
say(struct spool *sp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sp->why, sizeof sp->why, fmt, ap);
	va_end(ap);
}

static int
is_hex_id(const char *s, size_t n)
{
	return n == SPOOL_ID_LEN && xt_is_hex(s, n);
}

/* "ID.jsonl" -> 1 and the id; anything else 0. */
static int
batch_name(const char *name, char id[SPOOL_ID_LEN + 1])
{
	size_t n = strlen(name);

	if (n != SPOOL_ID_LEN + sizeof BATCH_EXT - 1 ||
	    strcmp(name + SPOOL_ID_LEN, BATCH_EXT) != 0 ||
	    !is_hex_id(name, SPOOL_ID_LEN))
		return 0;
	if (id != NULL) {
		memcpy(id, name, SPOOL_ID_LEN);
		id[SPOOL_ID_LEN] = '\0';
	}
	return 1;
}

/* ".ID.tmp": a batch being written. */
static int
tmp_name(const char *name)
{
	size_t n = strlen(name);

	return n == 1 + SPOOL_ID_LEN + sizeof TMP_EXT - 1 && name[0] == '.' &&
	    strcmp(name + 1 + SPOOL_ID_LEN, TMP_EXT) == 0 &&
	    is_hex_id(name + 1, SPOOL_ID_LEN);
}

/* The trust rule (trust.h) on sb, of type S_IFDIR or S_IFREG: 1, or 0
 * with why. */
static int
trusted(struct spool *sp, const struct stat *sb, mode_t type,
    const char *what)
{
	return trust_stat(sb, type, what, 0, sp->why, sizeof sp->why) ==
	    TRUST_OK;
}

/*
 * Open directory name in at (AT_FDCWD: a path), creating it (0700) when
 * create is set, and check it.  The fd, or -1 with why.
 */
static int
open_dir(struct spool *sp, int at, const char *name, const char *path,
    int create)
{
	struct stat sb;
	int fd;

	if (create && mkdirat(at, name, 0700) != 0 && errno != EEXIST) {
		say(sp, "cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		if (e == ENOENT)
			say(sp, "%s does not exist", path);
		else if (e == ELOOP || e == ENOTDIR)
			say(sp, "%s is not a directory (or is a symbolic link)",
			    path);
		else
			say(sp, "%s: %s", path, strerror(e));
		errno = e;
		return -1;
	}
	if (fstat(fd, &sb) != 0 || !trusted(sp, &sb, S_IFDIR, path)) {
		close(fd);
		errno = EPERM;
		return -1;
	}
	return fd;
}

static int
locate(struct spool *sp, const struct store *st)
{
	const char *v, *app = env_app();
	int n;

	if (st->ephemeral && (v = strrchr(st->path, '/')) != NULL) {
		/* the config's own directory, $TMPDIR/.<app>-cache */
		n = snprintf(sp->root, sizeof sp->root, "%.*s",
		    (int)(v - st->path), st->path);
	} else if ((v = env_get("XDG_STATE_HOME")) != NULL && v[0] == '/') {
		n = snprintf(sp->root, sizeof sp->root, "%s/%s", v, app);
	} else if ((v = env_get("HOME")) != NULL && v[0] == '/') {
		n = snprintf(sp->root, sizeof sp->root, "%s/.local/state/%s",
		    v, app);
	} else {
		say(sp, "no place for the spool: HOME is %s",
		    getenv("HOME") == NULL ? "not set" : "not an absolute path");
		errno = ENOENT;
		return -1;
	}
	if (n < 0 || (size_t)n >= sizeof sp->root ||
	    (n = snprintf(sp->dir, sizeof sp->dir, "%s/telemetry/spool",
	    sp->root)) < 0 || (size_t)n >= sizeof sp->dir) {
		sp->root[0] = sp->dir[0] = '\0';
		say(sp, "no place for the spool: its path is too long");
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int
spool_open(struct spool *sp, const struct store *st, int create)
{
	char path[SPOOL_PATH_MAX + 16];
	int rfd;

	memset(sp, 0, sizeof *sp);
	sp->tfd = sp->sfd = sp->lockfd = -1;
	if (locate(sp, st) != 0)
		return -1;
	if (create) {
		char *slash;

		snprintf(path, sizeof path, "%s", sp->root);
		if ((slash = strrchr(path, '/')) != NULL && slash != path) {
			*slash = '\0';
			/* unchecked: open_dir says what is wrong */
			(void)xt_mkdirs(path, sp->why, sizeof sp->why);
		}
	}
	if ((rfd = open_dir(sp, AT_FDCWD, sp->root, sp->root, create)) < 0)
		return -1;
	snprintf(path, sizeof path, "%s/telemetry", sp->root);
	sp->tfd = open_dir(sp, rfd, "telemetry", path, create);
	close(rfd);
	if (sp->tfd < 0)
		return -1;
	if ((sp->sfd = open_dir(sp, sp->tfd, "spool", sp->dir, create)) < 0) {
		close(sp->tfd);
		sp->tfd = -1;
		return -1;
	}
	return 0;
}

void
spool_close(struct spool *sp)
{
	if (sp->lockfd >= 0)
		close(sp->lockfd);
	if (sp->sfd >= 0)
		close(sp->sfd);
	if (sp->tfd >= 0)
		close(sp->tfd);
	sp->lockfd = sp->sfd = sp->tfd = -1;
}

int
spool_new_id(char id[SPOOL_ID_LEN + 1])
{
	return rand_hex(id, SPOOL_ID_LEN / 2);
}

void
spool_format(struct buf *out, const char *id, const char *project_hash,
    const char *lines, size_t len)
{
	buf_adds(out, HEAD_PRE);
	buf_adds(out, project_hash);
	buf_adds(out, LINE_END);
	buf_add(out, lines, len);
	if (len > 0 && lines[len - 1] != '\n')
		buf_addc(out, '\n');
	buf_adds(out, TAIL_PRE);
	buf_adds(out, id);
	buf_adds(out, LINE_END);
}

int
spool_batch_check(const char *id, const char *text, size_t len)
{
	const size_t hlen = sizeof HEAD_PRE - 1 + SPOOL_ID_LEN + sizeof LINE_END - 1;
	const size_t tlen = sizeof TAIL_PRE - 1 + SPOOL_ID_LEN + sizeof LINE_END - 1;
	const char *tail;

	if (len < hlen + tlen || !is_hex_id(id, strlen(id)))
		return 0;
	if (memcmp(text, HEAD_PRE, sizeof HEAD_PRE - 1) != 0 ||
	    !is_hex_id(text + sizeof HEAD_PRE - 1, SPOOL_ID_LEN) ||
	    memcmp(text + hlen - (sizeof LINE_END - 1), LINE_END,
	    sizeof LINE_END - 1) != 0)
		return 0;
	tail = text + len - tlen;
	/* the last line must be a line of its own */
	if (tail[-1] != '\n' ||
	    memcmp(tail, TAIL_PRE, sizeof TAIL_PRE - 1) != 0 ||
	    memcmp(tail + sizeof TAIL_PRE - 1, id, SPOOL_ID_LEN) != 0 ||
	    memcmp(tail + sizeof TAIL_PRE - 1 + SPOOL_ID_LEN, LINE_END,
	    sizeof LINE_END - 1) != 0)
		return 0;
	return 1;
}

int
spool_put(struct spool *sp, const char *id, const char *project_hash,
    const char *lines, size_t len)
{
	char tmp[SPOOL_ID_LEN + 8], name[SPOOL_ID_LEN + 8];
	struct buf text;
	int fd, r = -1, e;

	snprintf(tmp, sizeof tmp, ".%s%s", id, TMP_EXT);
	snprintf(name, sizeof name, "%s%s", id, BATCH_EXT);
	buf_init(&text, SPOOL_BATCH_MAX);
	spool_format(&text, id, project_hash, lines, len);
	if (text.full) {
		say(sp, "the batch is over %d bytes", SPOOL_BATCH_MAX);
		buf_free(&text);
		errno = EFBIG;
		return -1;
	}
	fd = openat(sp->sfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd < 0) {
		say(sp, "cannot create %s/%s: %s", sp->dir, tmp, strerror(errno));
		buf_free(&text);
		return -1;
	}
	if (xt_write_all(fd, text.data, text.len) != 0 || close(fd) != 0) {
		e = errno;
		say(sp, "cannot write %s/%s: %s", sp->dir, tmp, strerror(e));
		(void)unlinkat(sp->sfd, tmp, 0);
	} else if (renameat(sp->sfd, tmp, sp->sfd, name) != 0) {
		e = errno;
		say(sp, "cannot rename %s/%s: %s", sp->dir, tmp, strerror(e));
		(void)unlinkat(sp->sfd, tmp, 0);
	} else
		r = 0;
	buf_free(&text);
	return r;
}

int
spool_lock(struct spool *sp)
{
	struct flock fl;
	struct stat sb;
	int fd;

	if (sp->lockfd >= 0)
		return 1;
	fd = openat(sp->sfd, LOCK_NAME, O_RDWR | O_CREAT | O_NOFOLLOW |
	    O_NONBLOCK | O_CLOEXEC, 0600);
	if (fd < 0) {
		say(sp, "cannot open %s/%s: %s", sp->dir, LOCK_NAME,
		    strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) != 0 || !trusted(sp, &sb, S_IFREG, LOCK_NAME)) {
		close(fd);
		return -1;
	}
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_SETLK, &fl) != 0) {
		int e = errno;

		close(fd);
		if (e == EACCES || e == EAGAIN)
			return 0;
		say(sp, "cannot lock %s/%s: %s", sp->dir, LOCK_NAME, strerror(e));
		return -1;
	}
	sp->lockfd = fd;
	return 1;
}

void
spool_unlock(struct spool *sp)
{
	if (sp->lockfd >= 0)
		close(sp->lockfd);	/* releases the lock */
	sp->lockfd = -1;
}

static int
older(const struct spool_batch *a, const struct spool_batch *b)
{
	if (a->mtime != b->mtime)
		return a->mtime < b->mtime ? -1 : 1;
	if (a->mtime_ns != b->mtime_ns)
		return a->mtime_ns < b->mtime_ns ? -1 : 1;
	return strcmp(a->id, b->id);
}

static int
cmp_batch(const void *a, const void *b)
{
	return older(a, b);
}

void
spool_list_free(struct spool_list *l)
{
	free(l->b);
	l->b = NULL;
	l->n = 0;
	l->bytes = 0;
}

/* Remove name from dir fd, saying so in debug mode. */
static void
drop(struct spool *sp, int dfd, const char *name, const char *why)
{
	if (unlinkat(dfd, name, 0) == 0)
		xt_debug("%s/%s: dropped: %s", sp->dir, name, why);
}

int
spool_scan(struct spool *sp, int prune, time_t now, struct spool_list *out)
{
	struct spool_batch *more;
	struct dirent *e;
	struct stat sb;
	size_t cap = 0, i, keep;
	long long total;
	DIR *d;
	int fd;

	memset(out, 0, sizeof *out);
	if ((fd = openat(sp->sfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    (d = fdopendir(fd)) == NULL) {
		say(sp, "cannot read %s: %s", sp->dir, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		struct spool_batch b;
		int isbatch = batch_name(e->d_name, b.id);

		if (!isbatch && !(prune && tmp_name(e->d_name)))
			continue;
		/* Another user's file, a link, a directory: not ours, left alone. */
		if (fstatat(sp->sfd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 ||
		    trust_stat(&sb, S_IFREG, e->d_name, 0, NULL, 0) != TRUST_OK)
			continue;
		if (prune && (now - sb.st_mtime > SPOOL_AGE_MAX)) {
			drop(sp, sp->sfd, e->d_name, "older than 7 days");
			continue;
		}
		if (!isbatch)
			continue;
		if (out->n == cap) {
			cap = cap ? 2 * cap : 64;
			if ((more = realloc(out->b, cap * sizeof *more)) == NULL) {
				say(sp, "out of memory");
				closedir(d);
				spool_list_free(out);
				return -1;
			}
			out->b = more;
		}
		b.mtime = sb.st_mtim.tv_sec;
		b.mtime_ns = sb.st_mtim.tv_nsec;
		b.size = (long long)sb.st_size;
		out->b[out->n++] = b;
	}
	closedir(d);
	if (out->n > 0)
		qsort(out->b, out->n, sizeof *out->b, cmp_batch);
	/* The newest that fit in SPOOL_MAX together are kept. */
	for (total = 0, keep = out->n; keep > 0; keep--) {
		if (total + out->b[keep - 1].size > SPOOL_MAX)
			break;
		total += out->b[keep - 1].size;
	}
	if (prune && keep > 0) {
		char name[SPOOL_ID_LEN + 8], size[XT_SIZE_WORDS];
		char over[XT_SIZE_WORDS + 16];

		snprintf(over, sizeof over, "the spool is over %s",
		    xt_size(size, sizeof size, SPOOL_MAX));
		for (i = 0; i < keep; i++) {
			snprintf(name, sizeof name, "%s%s", out->b[i].id, BATCH_EXT);
			drop(sp, sp->sfd, name, over);
		}
		memmove(out->b, out->b + keep, (out->n - keep) * sizeof *out->b);
		out->n -= keep;
	}
	for (out->bytes = 0, i = 0; i < out->n; i++)
		out->bytes += out->b[i].size;
	return 0;
}

/* Open file name in dir fd for reading, checking trust.  fd or -1. */
static int
open_trusted(struct spool *sp, int dfd, const char *name, const char *what)
{
	struct stat sb;
	int fd;

	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		say(sp, "%s: %s", what, errno == ELOOP ?
		    "a symbolic link" : strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) != 0 || !trusted(sp, &sb, S_IFREG, what)) {
		close(fd);
		return -1;
	}
	return fd;
}

int
spool_read(struct spool *sp, const char *id, struct buf *out)
{
	char name[SPOOL_ID_LEN + 8];
	int fd, r;

	snprintf(name, sizeof name, "%s%s", id, BATCH_EXT);
	if ((fd = open_trusted(sp, sp->sfd, name, name)) < 0)
		return -1;
	buf_reset(out);
	r = buf_read_fd(out, fd);
	close(fd);
	if (r != 0) {
		say(sp, "%s: %s", name, errno == EFBIG ? "too big for a batch" :
		    strerror(errno));
		return -1;
	}
	if (!spool_batch_check(id, out->data, out->len)) {
		say(sp, "%s: not a whole batch", name);
		return -1;
	}
	return 0;
}

int
spool_remove(struct spool *sp, const char *id)
{
	char name[SPOOL_ID_LEN + 8];

	snprintf(name, sizeof name, "%s%s", id, BATCH_EXT);
	if (unlinkat(sp->sfd, name, 0) != 0) {
		say(sp, "cannot remove %s/%s: %s", sp->dir, name, strerror(errno));
		return -1;
	}
	return 0;
}

int
spool_reject(struct spool *sp, const char *id)
{
	char name[SPOOL_ID_LEN + 8], path[SPOOL_PATH_MAX + 16];
	struct spool_list l;
	struct spool sub;
	size_t i;
	int rfd, r = 0, n;

	snprintf(name, sizeof name, "%s%s", id, BATCH_EXT);
	n = snprintf(path, sizeof path, "%s/%s", sp->dir, REJECTED);
	if (n < 0 || (size_t)n >= sizeof sub.dir) {
		say(sp, "%s/%s: path too long", sp->dir, REJECTED);
		return -1;
	}
	if ((rfd = open_dir(sp, sp->sfd, REJECTED, path, 1)) < 0)
		return -1;
	if (renameat(sp->sfd, name, rfd, name) != 0) {
		say(sp, "cannot move %s to %s: %s", name, path, strerror(errno));
		close(rfd);
		return -1;
	}
	/* The newest SPOOL_REJECTED_MAX are kept. */
	memset(&sub, 0, sizeof sub);
	memcpy(sub.dir, path, (size_t)n + 1);
	sub.sfd = rfd;
	sub.tfd = sub.lockfd = -1;
	if (spool_scan(&sub, 0, 0, &l) == 0) {
		for (i = 0; i + SPOOL_REJECTED_MAX < l.n; i++) {
			snprintf(name, sizeof name, "%s%s", l.b[i].id, BATCH_EXT);
			drop(&sub, rfd, name, "more than 16 rejected batches");
		}
		spool_list_free(&l);
	}
	close(rfd);
	return r;
}

/* Open (creating) a file for appending in dir fd, checking trust. */
static int
open_append(struct spool *sp, const char *name, struct stat *sb)
{
	int fd;

	fd = openat(sp->tfd, name, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW |
	    O_NONBLOCK | O_CLOEXEC, 0600);
	if (fd < 0) {
		say(sp, "cannot open %s/../%s: %s", sp->dir, name,
		    errno == ELOOP ? "a symbolic link" : strerror(errno));
		return -1;
	}
	if (fstat(fd, sb) != 0 || !trusted(sp, sb, S_IFREG, name)) {
		close(fd);
		return -1;
	}
	return fd;
}

int
spool_log_sent(struct spool *sp, const char *payload, size_t len)
{
	struct stat sb;
	int fd, r = 0;

	if ((fd = open_append(sp, SENT, &sb)) < 0)
		return -1;
	if (sb.st_size > 0 && (long long)sb.st_size + (long long)len + 1 >
	    SPOOL_SENT_MAX) {
		close(fd);
		if (renameat(sp->tfd, SENT, sp->tfd, SENT_OLD) != 0) {
			say(sp, "cannot move %s to %s: %s", SENT, SENT_OLD,
			    strerror(errno));
			return -1;
		}
		if ((fd = open_append(sp, SENT, &sb)) < 0)
			return -1;
	}
	if (xt_write_all(fd, payload, len) != 0 ||
	    xt_write_all(fd, "\n", 1) != 0) {
		say(sp, "cannot write %s: %s", SENT, strerror(errno));
		r = -1;
	}
	close(fd);
	return r;
}

int
spool_set_last(struct spool *sp, const char *id, const char *result)
{
	char line[256], stamp[32];
	struct tm tm;
	time_t now = time(NULL);
	int fd, n;

	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return -1;
	n = snprintf(line, sizeof line, "%s %s %s\n", stamp, id, result);
	if (n < 0 || (size_t)n >= sizeof line)
		return -1;
	(void)unlinkat(sp->tfd, LAST_TMP, 0);
	fd = openat(sp->tfd, LAST_TMP, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd < 0) {
		say(sp, "cannot write %s: %s", LAST_TMP, strerror(errno));
		return -1;
	}
	if (xt_write_all(fd, line, (size_t)n) != 0 || close(fd) != 0 ||
	    renameat(sp->tfd, LAST_TMP, sp->tfd, LAST) != 0) {
		say(sp, "cannot write %s: %s", LAST, strerror(errno));
		(void)unlinkat(sp->tfd, LAST_TMP, 0);
		return -1;
	}
	return 0;
}

void
spool_status(const struct store *st, struct spool_status *ss)
{
	struct spool sp;
	struct spool_list l;
	struct buf last;
	char *sp1, *sp2;
	int fd;

	memset(ss, 0, sizeof *ss);
	if (spool_open(&sp, st, 0) != 0) {
		snprintf(ss->dir, sizeof ss->dir, "%s", sp.dir);
		ss->waiting = errno == ENOENT ? 0 : -1;
		if (ss->waiting < 0 || sp.dir[0] == '\0')
			snprintf(ss->why, sizeof ss->why, "%s", sp.why);
		spool_close(&sp);
		return;
	}
	snprintf(ss->dir, sizeof ss->dir, "%s", sp.dir);
	if (spool_scan(&sp, 0, 0, &l) == 0) {
		ss->waiting = (long)l.n;
		spool_list_free(&l);
	} else {
		ss->waiting = -1;
		snprintf(ss->why, sizeof ss->why, "%s", sp.why);
	}
	buf_init(&last, 255);
	if ((fd = open_trusted(&sp, sp.tfd, LAST, LAST)) >= 0) {
		/* "TIME ID RESULT\n" */
		if (buf_read_fd(&last, fd) == 0 && last.len > 0 &&
		    last.data[last.len - 1] == '\n' &&
		    (sp1 = strchr(last.data, ' ')) != NULL &&
		    (sp2 = strchr(sp1 + 1, ' ')) != NULL) {
			last.data[last.len - 1] = '\0';
			*sp1 = '\0';
			snprintf(ss->last_time, sizeof ss->last_time, "%s",
			    last.data);
			snprintf(ss->last_result, sizeof ss->last_result, "%s",
			    sp2 + 1);
		}
		close(fd);
	}
	buf_free(&last);
	spool_close(&sp);
}
