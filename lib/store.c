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
#include "trust.h"

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

/* The directory part of path into out ("." for a bare name). */
static void
dir_of(const char *path, char *out, size_t outlen)
{
	const char *slash = strrchr(path, '/');
	size_t n;

	if (slash == NULL) {
		snprintf(out, outlen, ".");
		return;
	}
	n = slash == path ? 1 : (size_t)(slash - path);
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, path, n);
	out[n] = '\0';
}

/*
 * The parser's message without what it quotes of the text: a config's
 * bad token may be its salt, and diagnostics go to CI logs.
 */
static void
unquoted(const struct json_err *jerr, char *out, size_t outlen)
{
	char *q;

	json_strerror(jerr, out, outlen);
	if ((q = strchr(out, '\'')) != NULL) {
		while (q > out && (q[-1] == ' ' || q[-1] == ':'))
			q--;
		*q = '\0';
	}
}

/* Is the string at token k exactly n lowercase hex digits? */
static int
is_hex_string(const struct json_doc *d, int k, size_t n)
{
	const char *t;
	size_t len;

	if (json_typeof(d, k) != JSON_STRING)
		return 0;
	t = json_text(d, k, &len);	/* with its quotes */
	return len == n + 2 && xt_is_hex(t + 1, n);
}

/*
 * The identity, where there is one, is what ident.c makes: anonymousId
 * 64 and salt 32 lowercase hex digits.  Anything else ("x", a number, a
 * known salt of another length) is a corrupt config, never used.
 * 0, or -1 with why (which never quotes the value).
 */
static int
check_identity(const struct json_doc *d, const char *path, char *why,
    size_t whylen)
{
	static const struct {
		const char *key;
		size_t hex;
	} id[] = { { STORE_KEY_ID, 64 }, { STORE_KEY_SALT, 32 } };
	size_t i;
	int k;

	for (i = 0; i < sizeof id / sizeof id[0]; i++)
		if ((k = json_get(d, JSON_ROOT, id[i].key)) >= 0 &&
		    !is_hex_string(d, k, id[i].hex)) {
			snprintf(why, whylen, "%s in %s is not %zu lowercase "
			    "hex digits", id[i].key, path, id[i].hex);
			return -1;
		}
	return 0;
}

/* Parse st->text into st->doc; sets st->state (OK or CORRUPT). */
static void
parse(struct store *st)
{
	struct json_err jerr;
	char msg[160];

	st->state = STORE_CORRUPT;
	if (json_parse(&st->doc, st->text.data, st->text.len, &jerr) != 0) {
		unquoted(&jerr, msg, sizeof msg);
		say(st, "%s is not JSON: %s", st->path, msg);
	} else if (json_typeof(&st->doc, JSON_ROOT) != JSON_OBJECT) {
		json_free(&st->doc);
		say(st, "%s is not a JSON object", st->path);
	} else if (check_identity(&st->doc, st->path, st->why,
	    sizeof st->why) != 0)
		json_free(&st->doc);
	else
		st->state = STORE_OK;
}

/*
 * Read st->path when it and its directory pass trust.h's rule with
 * these flags; anything else is STORE_REFUSED and left as it is.  A
 * file we may not read (mode 000) is corrupt, so a new choice can
 * replace it.
 */
static void
load_trusted(struct store *st, int dirflags, int fileflags)
{
	char dir[STORE_PATH_MAX], msg[160];
	enum trust_result tr;
	int fd;

	dir_of(st->path, dir, sizeof dir);
	if ((tr = trust_dir(dir, dirflags, st->why, sizeof st->why)) ==
	    TRUST_OK)
		fd = trust_open(st->path, fileflags, &tr, st->why,
		    sizeof st->why);
	else
		fd = -1;
	if (fd < 0) {
		st->state = tr == TRUST_MISSING ? STORE_MISSING :
		    tr == TRUST_REFUSED ? STORE_REFUSED : STORE_CORRUPT;
		if (tr == TRUST_MISSING)
			st->why[0] = '\0';
		return;
	}
	if (buf_read_fd(&st->text, fd) != 0) {
		st->state = STORE_CORRUPT;
		say(st, "%s cannot be read: %s", st->path,
		    buf_read_error(&st->text, msg, sizeof msg));
	} else
		parse(st);
	close(fd);
}

/*
 * Read st->path into st->text and parse it; sets st->state.  The
 * user's config must be theirs alone (what others may only read is
 * tightened); the system policy file may be root's too, but no more
 * than the user's config may anyone else be able to write it: then it
 * is no policy, only a file someone put there.
 */
static void
load(struct store *st)
{
	reset(st);
	if (st->user)
		load_trusted(st, st->dirflags, TRUST_TIGHTEN);
	else
		load_trusted(st, TRUST_ROOT, TRUST_ROOT);
}

static void
locate(struct store *st)
{
	const char *v, *app = env_app();
	struct ci_info ci;
	int r;

	st->ephemeral = 0;
	st->state = STORE_NOWHERE;
	/* The directory is xt's own, to be kept private, unless the user
	 * named the file: XT_CONFIG's directory may be theirs for more. */
	st->dirflags = TRUST_TIGHTEN;
	if ((v = env_get(ENV_CONFIG)) != NULL) {
		st->dirflags = 0;
		r = path_fmt(st->path, sizeof st->path, "%s", v);
	} else if (ci_detect(&ci), ci.is_ci || sysinfo_is_docker()) {
		v = env_get("TMPDIR");
		if (v == NULL || v[0] != '/')
			v = "/tmp";
		st->ephemeral = 1;
		/* shared with other users: the directory itself, never what
		 * a link planted there points to */
		st->dirflags = TRUST_TIGHTEN | TRUST_NOFOLLOW;
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
	st->user = 1;
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
store_open_text(struct store *st, const char *text, size_t len)
{
	char msg[XT_SIZE_WORDS];

	memset(st, 0, sizeof *st);
	buf_init(&st->text, STORE_MAX);
	st->user = 1;
	snprintf(st->path, sizeof st->path, "(text)");
	if (len > STORE_MAX) {
		st->state = STORE_CORRUPT;
		say(st, "%s cannot be read: over %s", st->path,
		    xt_size(msg, sizeof msg, STORE_MAX));
		return;
	}
	buf_add(&st->text, text, len);
	if (st->text.full) {
		st->state = STORE_CORRUPT;
		say(st, "%s: out of memory", st->path);
		return;
	}
	parse(st);
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
 * Move a corrupt config (a regular file of ours: anything else is
 * refused, never moved) aside to NAME.corrupt.  An older NAME.corrupt
 * is replaced only when it is itself a regular file of ours; anything
 * else there (a directory, a link, another user's file) is left as it
 * is and this one goes to NAME.corrupt.XXXXXX instead, so nothing is
 * ever deleted and nothing blocks a new choice.
 */
static int
move_aside(struct store *st)
{
	char aside[STORE_PATH_MAX], why[sizeof st->why];
	int fd;

	if (path_fmt(aside, sizeof aside, "%s.corrupt", st->path) != 0) {
		say(st, "path too long");
		return -1;
	}
	if (trust_path(aside, why, sizeof why) < 0) {
		xt_debug("%s", why);
		if (path_fmt(aside, sizeof aside, "%s.corrupt.XXXXXX",
		    st->path) != 0 || (fd = mkstemp(aside)) < 0) {
			say(st, "cannot move %s aside: %s", st->path,
			    strerror(errno));
			return -1;
		}
		close(fd);
	}
	if (rename(st->path, aside) != 0) {
		say(st, "cannot move %s aside: %s", st->path, strerror(errno));
		return -1;
	}
	xt_debug("the config was unusable (%s); moved it to %s", st->why,
	    aside);
	return 0;
}

/* The temporary file's name: PATH.tmp-XXXXXX (mkstemp). */
#define TMP_SUFFIX	".tmp-"
#define TMP_RANDOM	6

/*
 * A writer killed between mkstemp and rename leaves its temporary file,
 * which holds the salt.  Under the lock no other writer has one, so
 * every regular file of ours named as ours are is stale: remove it.
 */
static void
clean_stale(const char *dir, const char *path)
{
	const char *base = strrchr(path, '/');
	char full[STORE_PATH_MAX], why[8];
	struct dirent *e;
	size_t blen, i;
	DIR *d;

	base = base != NULL ? base + 1 : path;
	blen = strlen(base);
	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		const char *n = e->d_name, *r;

		if (strncmp(n, base, blen) != 0 ||
		    strncmp(n + blen, TMP_SUFFIX, strlen(TMP_SUFFIX)) != 0)
			continue;
		r = n + blen + strlen(TMP_SUFFIX);
		if (strlen(r) != TMP_RANDOM)
			continue;
		for (i = 0; i < TMP_RANDOM; i++)
			if (!((r[i] >= 'a' && r[i] <= 'z') ||
			    (r[i] >= 'A' && r[i] <= 'Z') ||
			    (r[i] >= '0' && r[i] <= '9')))
				break;
		if (i < TMP_RANDOM ||
		    path_fmt(full, sizeof full, "%s/%s", dir, n) != 0 ||
		    trust_path(full, why, sizeof why) != TRUST_OK)
			continue;
		if (unlink(full) == 0)
			xt_debug("removed %s, left by a writer that was killed",
			    full);
	}
	closedir(d);
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

/*
 * The writer checks its own work before it replaces anything: the new
 * text must be a config its reader takes, every change must be in it,
 * and an identity the old file had must be there unchanged.  A file
 * that fails this is never written (0, or -1 with why).
 */
static int
verify(struct store *st, const struct store_change *ch, size_t n,
    const struct buf *text)
{
	static const char *const ident[] = { STORE_KEY_ID, STORE_KEY_SALT };
	struct json_doc doc;
	struct json_err jerr;
	struct buf was, now;
	char msg[160];
	size_t i;
	int k, kw, bad = 0;

	if (json_parse(&doc, text->data, text->len, &jerr) != 0) {
		unquoted(&jerr, msg, sizeof msg);
		say(st, "not writing %s: the new text would not be JSON: %s",
		    st->path, msg);
		return -1;
	}
	if (json_typeof(&doc, JSON_ROOT) != JSON_OBJECT ||
	    check_identity(&doc, st->path, msg, sizeof msg) != 0) {
		say(st, "not writing %s: the new text would be no config",
		    st->path);
		json_free(&doc);
		return -1;
	}
	for (i = 0; i < n && !bad; i++)
		bad = json_get(&doc, JSON_ROOT, ch[i].key) < 0;
	buf_init(&was, STORE_MAX);
	buf_init(&now, STORE_MAX);
	for (i = 0; i < 2 && !bad && st->state == STORE_OK; i++) {
		if ((kw = json_get(&st->doc, JSON_ROOT, ident[i])) < 0)
			continue;
		if ((k = json_get(&doc, JSON_ROOT, ident[i])) < 0) {
			bad = 1;
			break;
		}
		buf_reset(&was);
		buf_reset(&now);
		json_encode_value(&was, &st->doc, kw);
		json_encode_value(&now, &doc, k);
		bad = was.len != now.len ||
		    memcmp(was.data, now.data, was.len) != 0;
	}
	buf_free(&was);
	buf_free(&now);
	json_free(&doc);
	if (bad) {
		say(st, "not writing %s: the new text would lose a value",
		    st->path);
		return -1;
	}
	return 0;
}

int
store_render(struct store *st, const struct store_change *ch, size_t n,
    struct buf *out)
{
	char msg[XT_SIZE_WORDS];
	int changed = render(st, ch, n, out);

	if (changed < 0) {
		errno = ENOMEM;
		say(st, "%s: out of memory", st->path);
		return -1;
	}
	if (changed == 0 && st->state == STORE_OK)
		return 0;
	if (out->full) {
		errno = EFBIG;
		say(st, "%s would be over %s", st->path,
		    xt_size(msg, sizeof msg, STORE_MAX));
		return -1;
	}
	if (verify(st, ch, n, out) != 0) {
		errno = EINVAL;
		return -1;
	}
	return changed;
}

/* Write text to a new file beside st->path, then rename it over. */
static int
replace_file(struct store *st, const char *dir, const struct buf *text)
{
	char tmp[STORE_PATH_MAX];
	int fd, dfd, saved;

	if (path_fmt(tmp, sizeof tmp, "%s" TMP_SUFFIX "XXXXXX", st->path) != 0) {
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

/* The lock file: created 0600, else a regular file of ours.  fd or -1. */
static int
open_lock(struct store *st, const char *lockpath)
{
	enum trust_result tr;
	int fd;

	if ((tr = trust_path(lockpath, st->why, sizeof st->why)) != TRUST_OK &&
	    tr != TRUST_MISSING) {
		errno = EPERM;
		return -1;
	}
	fd = open(lockpath, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK |
	    O_NOCTTY | O_CLOEXEC, 0600);
	if (fd < 0) {
		say(st, "cannot create %s: %s", lockpath, strerror(errno));
		return -1;
	}
	if (trust_fd(fd, lockpath, 0, st->why, sizeof st->why) != TRUST_OK) {
		close(fd);
		errno = EPERM;
		return -1;
	}
	return fd;
}

int
store_update(struct store *st, const struct store_change *ch, size_t n)
{
	char dir[STORE_PATH_MAX], lockpath[STORE_PATH_MAX];
	struct buf text;
	int lockfd, r = -1, saved, changed;

	if (st->state == STORE_NOWHERE) {
		errno = ENOENT;
		return -1;
	}
	if (path_fmt(lockpath, sizeof lockpath, "%s.lock", st->path) != 0) {
		say(st, "path too long");
		return -1;
	}
	dir_of(st->path, dir, sizeof dir);
	/* What is not ours is refused before anything is made beside it
	 * (XT_CONFIG=/dev/null must not even leave /dev/null.lock). */
	load(st);
	if (st->state == STORE_REFUSED) {
		errno = EPERM;
		return -1;
	}
	if (xt_mkdirs(dir, st->why, sizeof st->why) != 0)
		return -1;
	if (trust_dir(dir, st->dirflags, st->why, sizeof st->why) != TRUST_OK) {
		st->state = STORE_REFUSED;
		errno = EPERM;
		return -1;
	}
	if ((lockfd = open_lock(st, lockpath)) < 0)
		return -1;
	if (lock_wait(lockfd) != 0) {
		saved = errno;
		say(st, "cannot lock %s: %s", lockpath, errno == EWOULDBLOCK ?
		    "another process holds it" : strerror(errno));
		close(lockfd);
		errno = saved;
		return -1;
	}
	load(st);	/* under the lock, the file as it is now */
	if (st->state == STORE_REFUSED) {
		errno = EPERM;
		goto out;
	}
	clean_stale(dir, st->path);
	if (st->state == STORE_CORRUPT && move_aside(st) != 0)
		goto out;
	buf_init(&text, STORE_MAX);
	changed = store_render(st, ch, n, &text);
	if (changed == 0 && st->state == STORE_OK) {
		r = 0;	/* nothing to change: no write */
	} else if (changed < 0) {
		;	/* why and errno say what */
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
