/*
 * t-store: lib/store through its contract in store.h: where the config
 * file is, what reading makes of every kind of thing at that path, the
 * lookups, and what store_update writes, keeps, moves aside and locks.
 * Everything happens under a temporary directory (fixture.h).
 */
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/store.h"
#include "fixture.h"
#include "unit.h"

#define NOBODY 65534

static const char *
state_name(enum store_state s)
{
	switch (s) {
	case STORE_NOWHERE: return "NOWHERE";
	case STORE_MISSING: return "MISSING";
	case STORE_OK: return "OK";
	case STORE_CORRUPT: return "CORRUPT";
	case STORE_REFUSED: return "REFUSED";
	}
	return "?";
}

#define is_state(st, want, ...) \
	is_str(state_name((st)->state), state_name(want), __VA_ARGS__)

/* why contains part ("" matches only an empty why). */
#define why_has(st, part, ...) do {					\
	const char *unit_p = (part);					\
	if (!ok(unit_p[0] == '\0' ? (st)->why[0] == '\0' :		\
	    strstr((st)->why, unit_p) != NULL, __VA_ARGS__))		\
		printf("#   why:  '%s'\n#   want: '%s'\n", (st)->why, unit_p); \
} while (0)

static void
open_at(struct store *st, const char *path)
{
	setenv("XT_CONFIG", path, 1);
	store_open(st);
}

static int
update1(struct store *st, const char *key, const char *json, int if_missing)
{
	struct store_change ch;

	ch.key = key;
	ch.json = json;
	ch.if_missing = if_missing;
	return store_update(st, &ch, 1);
}

static void
test_locate(void)
{
	struct store st;
	char longpath[STORE_PATH_MAX + 100];

	store_open(&st);
	is_str(st.path, fx_path("xdg/xt/telemetry.json"),
	    "XDG_CONFIG_HOME/<app>/telemetry.json");
	is_state(&st, STORE_MISSING, "no file there: MISSING");
	ok(!st.ephemeral && st.why[0] == '\0', "not ephemeral, nothing to say");
	store_close(&st);

	setenv("XDG_CONFIG_HOME", "relative/dir", 1);
	store_open(&st);
	is_str(st.path, fx_path("home/.config/xt/telemetry.json"),
	    "a relative XDG_CONFIG_HOME is ignored, as XDG says: HOME");
	store_close(&st);
	setenv("XDG_CONFIG_HOME", "", 1);
	store_open(&st);
	is_str(st.path, fx_path("home/.config/xt/telemetry.json"),
	    "an empty XDG_CONFIG_HOME counts as unset");
	store_close(&st);
	unsetenv("XDG_CONFIG_HOME");
	store_open(&st);
	is_str(st.path, fx_path("home/.config/xt/telemetry.json"),
	    "no XDG_CONFIG_HOME: HOME/.config/<app>/telemetry.json");
	store_close(&st);
	setenv("XDG_CONFIG_HOME", fx_path("xdg"), 1);

	setenv("XT_CONFIG", fx_path("custom/my.json"), 1);
	setenv("CI", "true", 1);
	store_open(&st);
	is_str(st.path, fx_path("custom/my.json"), "XT_CONFIG comes first, "
	    "even on CI");
	ok(!st.ephemeral, "... and is not ephemeral");
	store_close(&st);
	setenv("XT_CONFIG", "", 1);
	store_open(&st);
	is_str(st.path, fx_path("tmp/.xt-cache/telemetry.json"),
	    "an empty XT_CONFIG counts as unset; CI=true: "
	    "TMPDIR/.<app>-cache/telemetry.json");
	ok(st.ephemeral, "... which is ephemeral");
	is_state(&st, STORE_MISSING, "... and MISSING");
	store_close(&st);
	unsetenv("XT_CONFIG");

	unsetenv("TMPDIR");
	store_open(&st);
	is_str(st.path, "/tmp/.xt-cache/telemetry.json", "CI, no TMPDIR: /tmp");
	store_close(&st);
	setenv("TMPDIR", "tmp", 1);
	store_open(&st);
	is_str(st.path, "/tmp/.xt-cache/telemetry.json",
	    "CI, a relative TMPDIR: /tmp");
	store_close(&st);
	setenv("TMPDIR", fx_path("tmp"), 1);

	setenv("CI", "false", 1);
	store_open(&st);
	is_str(st.path, fx_path("xdg/xt/telemetry.json"), "CI=false is not CI");
	ok(!st.ephemeral, "... not ephemeral");
	store_close(&st);
	unsetenv("CI");

	/* A container, by is-docker's /.dockerenv under XT_SYSROOT. */
	if (fx_mkdirs(fx_path("docker")) != 0 ||
	    fx_write(fx_path("docker/.dockerenv"), "") != 0)
		fx_bail("docker");
	setenv("XT_SYSROOT", fx_path("docker"), 1);
	store_open(&st);
	is_str(st.path, fx_path("tmp/.xt-cache/telemetry.json"),
	    "in a container: the ephemeral place too");
	ok(st.ephemeral, "... ephemeral");
	store_close(&st);
	setenv("XT_SYSROOT", fx_path("sysroot"), 1);

	unsetenv("XDG_CONFIG_HOME");
	unsetenv("HOME");
	store_open(&st);
	is_state(&st, STORE_NOWHERE, "no XDG_CONFIG_HOME, no HOME: NOWHERE");
	why_has(&st, "HOME is not set", "... and why says HOME is not set");
	is_str(st.path, "", "... and there is no path");
	errno = 0;
	ok(update1(&st, STORE_KEY_ENABLED, "false", 0) == -1 && errno == ENOENT,
	    "store_update on NOWHERE: -1, ENOENT");
	store_close(&st);
	setenv("HOME", "home", 1);
	store_open(&st);
	is_state(&st, STORE_NOWHERE, "a relative HOME: NOWHERE");
	why_has(&st, "HOME is not an absolute path", "... and why says so");
	store_close(&st);
	setenv("HOME", fx_path("home"), 1);

	memset(longpath, 'a', sizeof longpath - 1);
	longpath[0] = '/';
	longpath[sizeof longpath - 1] = '\0';
	setenv("XT_CONFIG", longpath, 1);
	store_open(&st);
	is_state(&st, STORE_NOWHERE, "an XT_CONFIG over STORE_PATH_MAX: NOWHERE");
	why_has(&st, "too long", "... its path is too long");
	store_close(&st);
	unsetenv("XT_CONFIG");
	setenv("XDG_CONFIG_HOME", fx_path("xdg"), 1);

	store_open_path(&st, longpath);
	is_state(&st, STORE_NOWHERE, "store_open_path, too long: NOWHERE");
	store_close(&st);
}

/* Read path with store_open_path; its state and why. */
static void
check_read(const char *name, enum store_state want, const char *part)
{
	struct store st;

	store_open_path(&st, fx_path("states/%s", name));
	is_state(&st, want, "%s: %s", name, state_name(want));
	why_has(&st, part, "%s: why has '%s'", name, part);
	if (want == STORE_OK)
		ok(json_typeof(&st.doc, JSON_ROOT) == JSON_OBJECT, "%s: doc is the object",
		    name);
	store_close(&st);
}

/* A JSON object of exactly n bytes: {"k":"xxx...x"} */
static char *
object_of(size_t n)
{
	char *s = malloc(n + 1);

	memset(s, 'x', n);
	memcpy(s, "{\"k\":\"", 6);
	memcpy(s + n - 2, "\"}", 2);
	s[n] = '\0';
	return s;
}

static void
test_states(void)
{
	struct store st;
	pid_t pid;
	char *big;
	int status;

	if (fx_mkdirs(fx_path("states/dir")) != 0 ||
	    fx_write(fx_path("states/good"), "{\"a\": \"b\"}\n") != 0 ||
	    fx_write(fx_path("states/empty"), "") != 0 ||
	    fx_write(fx_path("states/truncated"),
	    "{\"telemetry.enabled\": tr") != 0 ||
	    fx_write(fx_path("states/array"), "[1, 2]\n") != 0 ||
	    fx_write(fx_path("states/string"), "\"x\"") != 0 ||
	    fx_write(fx_path("states/two"), "{} {}") != 0 ||
	    symlink("good", fx_path("states/symlink")) != 0 ||
	    symlink("nothing", fx_path("states/dangling")) != 0 ||
	    mkfifo(fx_path("states/fifo"), 0600) != 0)
		fx_bail("states");
	big = object_of(STORE_MAX);
	if (fx_write(fx_path("states/max"), big) != 0)
		fx_bail("max");
	free(big);
	big = object_of(STORE_MAX + 1);
	if (fx_write(fx_path("states/over"), big) != 0)
		fx_bail("over");
	free(big);

	check_read("none", STORE_MISSING, "");
	check_read("good", STORE_OK, "");
	check_read("empty", STORE_CORRUPT, "is not JSON");
	check_read("truncated", STORE_CORRUPT, "is not JSON");
	check_read("array", STORE_CORRUPT, "is not a JSON object");
	check_read("string", STORE_CORRUPT, "is not a JSON object");
	check_read("two", STORE_CORRUPT, "more than one JSON value");
	check_read("dir", STORE_REFUSED, "is a directory");
	check_read("symlink", STORE_REFUSED, "is a symbolic link");
	check_read("dangling", STORE_REFUSED, "is a symbolic link");
	/* A FIFO must not block: a watchdog kills the test if it does. */
	alarm(10);
	check_read("fifo", STORE_REFUSED, "is not a regular file");
	alarm(0);
	check_read("max", STORE_OK, "");
	check_read("over", STORE_CORRUPT, "over 64 KiB");
	check_read("good/x", STORE_REFUSED, "is not a directory");

	/* The same states through store_open and XT_CONFIG. */
	open_at(&st, fx_path("states/array"));
	is_state(&st, STORE_CORRUPT, "store_open reads XT_CONFIG's file: CORRUPT");
	why_has(&st, fx_path("states/array"), "... and why names the file");
	store_close(&st);
	unsetenv("XT_CONFIG");

	/* An unreadable file: as nobody when we are root (root reads all). */
	if (fx_write(fx_path("states/unreadable"), "{}") != 0 ||
	    chmod(fx_path("states/unreadable"), 0) != 0)
		fx_bail("unreadable");
	if (geteuid() != 0) {
		check_read("unreadable", STORE_CORRUPT, "cannot be read");
		return;
	}
	if (chmod(fx_root, 0711) != 0 || chmod(fx_path("states"), 0711) != 0)
		fx_bail("chmod");
	fflush(stdout);
	if ((pid = fork()) == 0) {
		if (setgid(NOBODY) != 0 || setuid(NOBODY) != 0)
			_exit(2);
		store_open_path(&st, fx_path("states/unreadable"));
		_exit(st.state == STORE_CORRUPT &&
		    strstr(st.why, "cannot be read") != NULL ? 0 : 1);
	}
	ok(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0, "unreadable (as uid %d): CORRUPT, "
	    "cannot be read", NOBODY);
	chmod(fx_root, 0700);
	chmod(fx_path("states"), 0700);
}

static void
test_lookups(void)
{
	struct store st;
	char out[64];
	int v;

	if (fx_write(fx_path("lookups.json"), "{\"s\": \"abc\", \"e\": \"\", "
	    "\"n\": 1, \"t\": true, \"f\": false, \"z\": null, "
	    "\"nul\": \"a\\u0000b\", \"u\": \"caf\\u00e9\\n\", "
	    "\"eight\": \"12345678\", \"d\": \"first\", \"d\": \"last\"}") != 0)
		fx_bail("lookups");
	store_open_path(&st, fx_path("lookups.json"));
	is_state(&st, STORE_OK, "lookups: OK");
	strcpy(out, "unchanged");
	ok(store_get_string(&st, "s", out, sizeof out) == 1, "a string: 1");
	is_str(out, "abc", "... its value");
	strcpy(out, "unchanged");
	ok(store_get_string(&st, "e", out, sizeof out) == 0,
	    "an empty string is not found");
	is_str(out, "unchanged", "... and out is untouched");
	ok(store_get_string(&st, "n", out, sizeof out) == 0, "a number: 0");
	ok(store_get_string(&st, "t", out, sizeof out) == 0, "a boolean: 0");
	ok(store_get_string(&st, "absent", out, sizeof out) == 0, "absent: 0");
	ok(store_get_string(&st, "nul", out, sizeof out) == 0,
	    "a string with a NUL in it: 0");
	ok(store_get_string(&st, "u", out, sizeof out) == 1 &&
	    strcmp(out, "caf\xc3\xa9\n") == 0, "escapes are decoded");
	ok(store_get_string(&st, "eight", out, 8) == 0,
	    "a value that does not fit (with its NUL): 0");
	ok(store_get_string(&st, "eight", out, 9) == 1 &&
	    strcmp(out, "12345678") == 0, "... and one that just fits: 1");
	ok(store_get_string(&st, "d", out, sizeof out) == 1 &&
	    strcmp(out, "last") == 0, "a duplicate key: the last value");

	v = -7;
	ok(store_get_bool(&st, "t", &v) == 1 && v == 1, "true: 1, value 1");
	v = -7;
	ok(store_get_bool(&st, "f", &v) == 1 && v == 0, "false: 1, value 0");
	v = -7;
	ok(store_get_bool(&st, "absent", &v) == 0 && v == -7,
	    "absent: 0, value untouched");
	ok(store_get_bool(&st, "n", &v) == -1, "a number is not a boolean: -1");
	ok(store_get_bool(&st, "s", &v) == -1, "a string \"abc\": -1");
	ok(store_get_bool(&st, "z", &v) == -1, "null: -1");
	store_close(&st);
	is_state(&st, STORE_NOWHERE, "a closed store is NOWHERE");
	ok(st.text.data == NULL, "... and holds no text");

	if (fx_write(fx_path("lookups.json"), "[true]") != 0)
		fx_bail("lookups");
	store_open_path(&st, fx_path("lookups.json"));
	v = -7;
	ok(store_get_bool(&st, "0", &v) == 0 && v == -7 &&
	    store_get_string(&st, "0", out, sizeof out) == 0,
	    "a CORRUPT store has no keys");
	store_close(&st);
	store_open_path(&st, fx_path("nothing.json"));
	ok(store_get_bool(&st, "t", &v) == 0 &&
	    store_get_string(&st, "s", out, sizeof out) == 0,
	    "a MISSING store has no keys");
	store_close(&st);
}

static void
test_update_creates(void)
{
	struct store st;
	mode_t old = umask(0);	/* the modes must not depend on it */
	int v;

	open_at(&st, fx_path("new/a/b/telemetry.json"));
	is_state(&st, STORE_MISSING, "a new place: MISSING");
	ok(update1(&st, STORE_KEY_ENABLED, "false", 0) == 0, "store_update: 0");
	is_int(fx_mode(fx_path("new")), 0700, "new directories are 0700");
	is_int(fx_mode(fx_path("new/a")), 0700, "... all of them");
	is_int(fx_mode(fx_path("new/a/b")), 0700, "... down to the file's");
	is_int(fx_mode(fx_path("new/a/b/telemetry.json")), 0600,
	    "the file is 0600");
	is_int(fx_mode(fx_path("new/a/b/telemetry.json.lock")), 0600,
	    "the lock file is 0600");
	is_str(fx_read(fx_path("new/a/b/telemetry.json")),
	    "{\n  \"telemetry.enabled\": false\n}\n",
	    "the text, as xmcp writes it");
	is_int(fx_entries(fx_path("new/a/b")), 2,
	    "no temporary file is left: the file and its lock");
	is_state(&st, STORE_OK, "the store now holds the file: OK");
	ok(store_get_bool(&st, STORE_KEY_ENABLED, &v) == 1 && v == 0,
	    "... with the new value");
	store_close(&st);
	umask(old);

	if (fx_write(fx_path("afile"), "") != 0)
		fx_bail("afile");
	open_at(&st, fx_path("afile/telemetry.json"));
	is_state(&st, STORE_REFUSED, "a path under a regular file: REFUSED");
	ok(update1(&st, STORE_KEY_ENABLED, "false", 0) == -1,
	    "... and store_update fails");
	why_has(&st, "is not a directory", "... saying why");
	store_close(&st);
	unsetenv("XT_CONFIG");
}

/* Write text at path, open it, apply n changes; 0 when it worked. */
static int
rewrite(const char *path, const char *text, const struct store_change *ch,
    size_t n)
{
	struct store st;
	int r;

	if (fx_write(path, text) != 0)
		fx_bail(path);
	open_at(&st, path);
	r = store_update(&st, ch, n);
	store_close(&st);
	return r;
}

static void
test_update_keeps(void)
{
	static const struct store_change two[] = {
		{ STORE_KEY_ENABLED, "false", 0 },
		{ STORE_KEY_NOTIFIED, "\"1795878331979\"", 0 },
	};
	static const struct store_change once[] = {
		{ "id", "\"new\"", 1 },		/* kept: "keep" */
		{ "salt", "\"s2\"", 1 },		/* "" is missing */
		{ "x", "2", 1 },			/* not a string */
		{ "y", "\"y\"", 1 },			/* absent */
	};
	static const struct store_change dup[] = { { "c", "4", 0 } };
	static const struct store_change dupset[] = { { "a", "5", 0 } };
	const char *path = fx_path("keeps/telemetry.json");

	if (fx_mkdirs(fx_path("keeps")) != 0)
		fx_bail("keeps");
	ok(rewrite(path, "{\"z\":1.50, \"telemetry.enabled\":true, "
	    "\"a\": {\"x\": [1, 2]}, \"m\": \"\\u00e9\"}", two, 2) == 0,
	    "an update of a file with unknown keys");
	is_str(fx_read(path), "{\n  \"z\": 1.50,\n  \"telemetry.enabled\": false,"
	    "\n  \"a\": {\"x\":[1,2]},\n  \"m\": \"\xc3\xa9\",\n"
	    "  \"telemetry.notifiedAt\": \"1795878331979\"\n}\n",
	    "unknown keys kept in their order, the value changed in its place, "
	    "the new key last, numbers as written");

	ok(rewrite(path, "{\"id\": \"keep\", "
	    "\"salt\": \"\", \"x\": 1}", once, 4) == 0,
	    "an update with if_missing");
	is_str(fx_read(path), "{\n  \"id\": \"keep\",\n"
	    "  \"salt\": \"s2\",\n  \"x\": 2,\n  \"y\": \"y\"\n}\n",
	    "if_missing keeps a non-empty string, replaces an empty string "
	    "and a non-string, adds an absent key");
	ok(rewrite(path, "{\"id\": \"keep\"}",
	    &(struct store_change){ "id", "\"new\"", 0 }, 1) == 0 &&
	    strcmp(fx_read(path), "{\n  \"id\": \"new\"\n}\n")
	    == 0, "without if_missing a string is replaced");

	ok(rewrite(path, "{\"a\": 1, \"b\": 2, \"a\": 3}", dup, 1) == 0,
	    "an update of a file with a duplicate key");
	is_str(fx_read(path), "{\n  \"a\": 3,\n  \"b\": 2,\n  \"c\": 4\n}\n",
	    "the duplicate is written once, in its first place, with its "
	    "last value");
	ok(rewrite(path, "{\"a\": 1, \"a\": 2}", dupset, 1) == 0 &&
	    strcmp(fx_read(path), "{\n  \"a\": 5\n}\n") == 0,
	    "a change to a duplicated key is written once");
	ok(rewrite(path, "{}", NULL, 0) == 0 &&
	    strcmp(fx_read(path), "{}") == 0, "no changes to {}: untouched");
	unsetenv("XT_CONFIG");
}

static void
test_no_change(void)
{
	static const struct store_change same[] = {
		{ STORE_KEY_ENABLED, "false", 0 },
		{ STORE_KEY_ID, "\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"", 1 },
	};
	const char *path = fx_path("same/telemetry.json");
	struct store st;
	struct stat before, after;

	if (fx_mkdirs(fx_path("same")) != 0 ||
	    fx_write(path, "{\"telemetry.enabled\":false,"
	    "\"telemetry.anonymousId\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}") != 0 ||
	    stat(path, &before) != 0)
		fx_bail("same");
	open_at(&st, path);
	ok(store_update(&st, same, 2) == 0, "an update that changes nothing: 0");
	ok(stat(path, &after) == 0 && after.st_ino == before.st_ino &&
	    after.st_mtime == before.st_mtime, "... writes nothing: the same "
	    "inode and mtime");
	is_str(fx_read(path), "{\"telemetry.enabled\":false,"
	    "\"telemetry.anonymousId\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}", "... and the same text, "
	    "even formatted as another writer did");
	is_state(&st, STORE_OK, "... the store holds the file as found");
	store_close(&st);
	unsetenv("XT_CONFIG");
}

/* Make a thing of kind at path. */
static void
make_thing(const char *kind, const char *path)
{
	char *big, inside[STORE_PATH_MAX];
	int r;

	snprintf(inside, sizeof inside, "%s/inside", path);
	if (strcmp(kind, "truncated file") == 0)
		r = fx_write(path, "{\"telemetry.enabled\": fa");
	else if (strcmp(kind, "array") == 0)
		r = fx_write(path, "[\"telemetry.enabled\", false]");
	else if (strcmp(kind, "bad anonymousId") == 0)
		r = fx_write(path, "{\"telemetry.anonymousId\": \"x\"}");
	else if (strcmp(kind, "directory") == 0)
		r = mkdir(path, 0700);
	else if (strcmp(kind, "non-empty directory") == 0)
		r = mkdir(path, 0700) != 0 ? -1 : fx_write(inside, "x");
	else if (strcmp(kind, "symbolic link") == 0)
		r = symlink("../target.json", path);
	else if (strcmp(kind, "FIFO") == 0)
		r = mkfifo(path, 0600);
	else if (strcmp(kind, "file open to others") == 0)
		r = fx_write(path, "{}") != 0 ? -1 : chmod(path, 0666);
	else {
		big = object_of(STORE_MAX + 1);
		r = fx_write(path, big);
		free(big);
	}
	if (r != 0)
		fx_bail(kind);
}

static const char *
an(const char *kind)
{
	return strchr("aeiouAEIOU", kind[0]) != NULL ? "an" : "a";
}

/*
 * Files that are not xt's are never renamed, rewritten or deleted: a
 * directory, link or FIFO where the config should be is refused and
 * left as it is; an unusable regular file of ours is moved aside, and
 * an older .corrupt is replaced only when it is a regular file of ours.
 */
static void
test_corrupt(void)
{
	static const char *const corrupt[] = {
		"truncated file", "array", "over 64 KiB", "bad anonymousId",
	};
	static const char *const refused[] = {
		"directory", "non-empty directory", "symbolic link", "FIFO",
		"file open to others",
	};
	const char *path = fx_path("corrupt/telemetry.json");
	const char *aside = fx_path("corrupt/telemetry.json.corrupt");
	char before[8192];
	struct store st;
	struct stat sb, sa;
	size_t i, k;
	int v, r;

	if (fx_mkdirs(fx_path("corrupt")) != 0 ||
	    fx_write(fx_path("target.json"), "{\"target\": 1}") != 0)
		fx_bail("corrupt");
	for (i = 0; i < sizeof corrupt / sizeof corrupt[0]; i++) {
		if (fx_rmrf(path) != 0)
			fx_bail("rm");
		make_thing(corrupt[i], path);
		snprintf(before, sizeof before, "%.8000s", fx_read(path));
		open_at(&st, path);
		is_state(&st, STORE_CORRUPT, "%s %s: CORRUPT", an(corrupt[i]),
		    corrupt[i]);
		ok(strstr(st.why, "\"x\"") == NULL &&
		    strstr(st.why, "'x'") == NULL, "... why quotes no value");
		ok(update1(&st, STORE_KEY_ENABLED, "false", 0) == 0,
		    "... store_update replaces it: 0");
		if (st.state != STORE_OK)
			printf("#   why: %s\n", st.why);
		ok(st.state == STORE_OK && store_get_bool(&st,
		    STORE_KEY_ENABLED, &v) == 1 && v == 0,
		    "... and the store holds the new file");
		is_str(fx_read(path), "{\n  \"telemetry.enabled\": false\n}\n",
		    "... a fresh file with just the change");
		ok(lstat(aside, &sb) == 0 && S_ISREG(sb.st_mode) &&
		    strncmp(fx_read(aside), before, strlen(before)) == 0,
		    "... the %s is telemetry.json.corrupt now, replacing the "
		    "older one", corrupt[i]);
		store_close(&st);
	}

	for (i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		if (fx_rmrf(path) != 0 || fx_rmrf(aside) != 0 ||
		    fx_rmrf(fx_path("corrupt/telemetry.json.lock")) != 0)
			fx_bail("rm");
		make_thing(refused[i], path);
		if (lstat(path, &sb) != 0)
			fx_bail("lstat");
		open_at(&st, path);
		is_state(&st, STORE_REFUSED, "%s %s: REFUSED", an(refused[i]),
		    refused[i]);
		errno = 0;
		r = update1(&st, STORE_KEY_ENABLED, "false", 0);
		ok(r == -1 && errno == EPERM, "... store_update: -1, EPERM");
		why_has(&st, path, "... why names it: %s", st.why);
		ok(lstat(path, &sa) == 0 && sa.st_ino == sb.st_ino &&
		    sa.st_mode == sb.st_mode && sa.st_mtime == sb.st_mtime,
		    "... left exactly as it was");
		ok(!fx_exists(aside) &&
		    !fx_exists(fx_path("corrupt/telemetry.json.lock")),
		    "... nothing made beside it");
		store_close(&st);
	}
	is_str(fx_read(fx_path("target.json")), "{\"target\": 1}",
	    "a symbolic link's target is never touched");

	/* An older .corrupt that is not a regular file of ours stays. */
	for (i = 0; i < 4; i++) {
		if (fx_rmrf(path) != 0 || fx_rmrf(aside) != 0)
			fx_bail("rm");
		make_thing(refused[i], aside);
		make_thing("truncated file", path);
		if (lstat(aside, &sb) != 0)
			fx_bail("lstat");
		open_at(&st, path);
		ok(update1(&st, STORE_KEY_ENABLED, "false", 0) == 0,
		    "an older .corrupt that is %s %s: the update works",
		    an(refused[i]), refused[i]);
		ok(lstat(aside, &sa) == 0 && sa.st_ino == sb.st_ino &&
		    sa.st_mode == sb.st_mode, "... and leaves it as it was");
		if (i == 1)
			is_str(fx_read(fx_path("corrupt/telemetry.json.corrupt/"
			    "inside")), "x", "... with what is in it");
		store_close(&st);
	}
	k = (size_t)fx_entries(fx_path("corrupt"));
	is_int(k, 7, "each corrupt file went to a .corrupt.XXXXXX of its own: "
	    "the file, .lock, .corrupt, 4 copies");
	unsetenv("XT_CONFIG");
}

static int lock_ready[2], lock_go[2];
static volatile sig_atomic_t go_sent;

static void
send_go(int sig)
{
	ssize_t w;

	(void)sig;
	go_sent = 1;
	w = write(lock_go[1], "G", 1);
	(void)w;
}

/*
 * The lock: a child holds telemetry.json.lock's fcntl lock while the
 * parent's store_update waits for it.  The child lets go only when the
 * parent is inside store_update (a timer in the parent sends "go" down
 * a pipe), and writes the file just before: so store_update can only
 * return after the child let go, and must have re-read the file under
 * the lock.
 */
static void
test_lock(void)
{
	const char *path = fx_path("lock/telemetry.json");
	const char *lockpath = fx_path("lock/telemetry.json.lock");
	struct itimerval it;
	struct sigaction sa, old;
	struct flock fl;
	struct store st;
	pid_t pid;
	char c;
	int status, r, fd;

	if (fx_mkdirs(fx_path("lock")) != 0 ||
	    fx_write(path, "{\"before\": 1}") != 0 ||
	    pipe(lock_ready) != 0 || pipe(lock_go) != 0)
		fx_bail("lock");
	fflush(stdout);
	if ((pid = fork()) == 0) {
		close(lock_ready[0]);
		close(lock_go[1]);
		memset(&fl, 0, sizeof fl);
		fl.l_type = F_WRLCK;
		fl.l_whence = SEEK_SET;
		if ((fd = open(lockpath, O_RDWR | O_CREAT, 0600)) < 0 ||
		    fcntl(fd, F_SETLK, &fl) != 0 ||
		    write(lock_ready[1], "L", 1) != 1 ||
		    read(lock_go[0], &c, 1) != 1)
			_exit(2);
		/* Under the lock, a writer the parent must not overwrite. */
		if (fx_write(fx_path("lock/child.tmp"),
		    "{\"held\": \"by the child\"}") != 0 ||
		    rename(fx_path("lock/child.tmp"), path) != 0)
			_exit(3);
		_exit(0);	/* lets go of the lock */
	}
	close(lock_ready[1]);
	close(lock_go[0]);
	ok(pid > 0 && read(lock_ready[0], &c, 1) == 1 && c == 'L',
	    "a child holds the lock");

	open_at(&st, path);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = send_go;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, &old);
	memset(&it, 0, sizeof it);
	it.it_value.tv_usec = 50000;
	go_sent = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	r = update1(&st, STORE_KEY_ENABLED, "false", 0);
	ok(go_sent, "store_update returned only after the child was told "
	    "to let go");
	ok(r == 0, "... and then it succeeded");
	is_str(fx_read(path), "{\n  \"held\": \"by the child\",\n"
	    "  \"telemetry.enabled\": false\n}\n",
	    "it re-read the file under the lock: the child's write is kept");
	ok(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0, "the child did its part");
	sigaction(SIGALRM, &old, NULL);
	close(lock_ready[0]);
	close(lock_go[1]);

	/* Nobody holds it now: at once. */
	ok(update1(&st, STORE_KEY_ENABLED, "true", 0) == 0 &&
	    strstr(fx_read(path), "\"telemetry.enabled\": true") != NULL,
	    "a free lock: store_update goes ahead");
	store_close(&st);
	unsetenv("XT_CONFIG");
}

/* On CI: TMPDIR/.xt-cache must be ours, a directory, and private. */
static void
test_private_cache(void)
{
	const char *cache = fx_path("tmp/.xt-cache");
	struct store st;
	int r;

	setenv("CI", "true", 1);
	store_open(&st);
	ok(st.ephemeral && update1(&st, STORE_KEY_ENABLED, "false", 0) == 0,
	    "CI: store_update in the ephemeral place");
	is_int(fx_mode(cache), 0700, "... creates the cache directory 0700");
	ok(fx_exists(fx_path("tmp/.xt-cache/telemetry.json")), "... and the file");
	store_close(&st);

	if (chmod(cache, 0755) != 0)
		fx_bail("chmod");
	store_open(&st);
	ok(update1(&st, STORE_KEY_ENABLED, "true", 0) == 0,
	    "a cache directory that is 0755: store_update works");
	is_int(fx_mode(cache), 0700, "... and makes it 0700");
	store_close(&st);

	if (fx_rmrf(cache) != 0 || fx_mkdirs(fx_path("elsewhere")) != 0 ||
	    symlink(fx_path("elsewhere"), cache) != 0)
		fx_bail("symlink");
	store_open(&st);
	errno = 0;
	r = update1(&st, STORE_KEY_ENABLED, "false", 0);
	ok(r == -1 && errno == EPERM, "a symbolic link for the cache "
	    "directory: -1, EPERM");
	why_has(&st, "is a symbolic link", "... saying it is a link");
	is_int(fx_entries(fx_path("elsewhere")), 0,
	    "... and nothing is written where it points");
	store_close(&st);

	if (fx_rmrf(cache) != 0 || fx_write(cache, "") != 0)
		fx_bail("file");
	store_open(&st);
	ok(update1(&st, STORE_KEY_ENABLED, "false", 0) == -1,
	    "a file for the cache directory: -1");
	why_has(&st, "is not a directory", "... saying it is not a directory");
	store_close(&st);

	if (fx_rmrf(cache) != 0 || mkdir(cache, 0700) != 0)
		fx_bail("mkdir");
	if (geteuid() != 0) {
		ok(1, "another user's cache directory is refused # SKIP "
		    "needs root to give a directory away");
		ok(1, "... saying whose it is # SKIP needs root");
	} else {
		if (chown(cache, NOBODY, NOBODY) != 0)
			fx_bail("chown");
		store_open(&st);
		errno = 0;
		r = update1(&st, STORE_KEY_ENABLED, "false", 0);
		ok(r == -1 && errno == EPERM,
		    "another user's cache directory is refused: -1, EPERM");
		why_has(&st, "belongs to another user", "... saying whose it is");
		store_close(&st);
	}
	ok(!fx_exists(fx_path("tmp/.xt-cache/telemetry.json")),
	    "... and nothing is written in it");
	fx_rmrf(cache);
	unsetenv("CI");
}

static void
test_too_big(void)
{
	const char *path = fx_path("big/telemetry.json");
	struct store st;
	struct stat before, after;
	char *text = object_of(STORE_MAX - 20);
	int r;

	if (fx_mkdirs(fx_path("big")) != 0 || fx_write(path, text) != 0 ||
	    stat(path, &before) != 0)
		fx_bail("big");
	open_at(&st, path);
	is_state(&st, STORE_OK, "a file just under 64 KiB: OK");
	errno = 0;
	r = update1(&st, STORE_KEY_NOTIFIED, "\"1795878331979\"", 0);
	ok(r == -1 && errno == EFBIG, "a change that would make it over "
	    "64 KiB: -1, EFBIG");
	why_has(&st, "would be over 64 KiB", "... saying so");
	ok(stat(path, &after) == 0 && after.st_ino == before.st_ino &&
	    strcmp(fx_read(path), text) == 0, "... and the file is unchanged");
	store_close(&st);
	free(text);
	unsetenv("XT_CONFIG");
}

int
main(void)
{
	fx_setup("t-store");
	test_locate();
	test_states();
	test_lookups();
	test_update_creates();
	test_update_keeps();
	test_no_change();
	test_corrupt();
	test_lock();
	test_private_cache();
	test_too_big();
	ok(fx_cleanup() == 0, "the temporary directory is removed");
	return done();
}
