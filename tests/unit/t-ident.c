/*
 * t-ident: lib/ident through ident.h: an identity is created once, read
 * back the same, joins an xmcp config without replacing its id, fails
 * cleanly with nowhere to keep it or no randomness, and twenty processes
 * racing to create it create one.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/ident.h"
#include "lib/rand.h"
#include "lib/store.h"
#include "fixture.h"
#include "unit.h"

#define RACERS 20

static int
is_hex(const char *s, size_t n)
{
	return strlen(s) == n && strspn(s, "0123456789abcdef") == n;
}

/* How many times needle occurs in s. */
static int
count(const char *s, const char *needle)
{
	int n = 0;

	while (s != NULL && (s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

static void
test_create(void)
{
	const char *path = fx_path("xdg/xt/telemetry.json");
	struct ident a, b;
	struct store st;
	struct stat s1, s2;
	char text[1024];

	store_open(&st);
	is_int(ident_get(&st, &a), IDENT_OK, "a fresh config: IDENT_OK");
	ok(is_hex(a.id, 64), "the id is 64 lowercase hex digits: %s", a.id);
	ok(is_hex(a.salt, 32), "the salt is 32 lowercase hex digits");
	snprintf(text, sizeof text, "{\n  \"telemetry.anonymousId\": \"%s\",\n"
	    "  \"telemetry.salt\": \"%s\"\n}\n", a.id, a.salt);
	is_str(fx_read(path), text, "both are written to the config");
	is_int(fx_mode(path), 0600, "... which is 0600");
	ok(stat(path, &s1) == 0, "stat");
	is_int(ident_get(&st, &b), IDENT_OK, "a second call: IDENT_OK");
	ok(strcmp(a.id, b.id) == 0 && strcmp(a.salt, b.salt) == 0,
	    "... the same identity");
	store_close(&st);

	store_open(&st);
	memset(&b, 0, sizeof b);
	is_int(ident_get(&st, &b), IDENT_OK, "read again from the file: IDENT_OK");
	ok(strcmp(a.id, b.id) == 0 && strcmp(a.salt, b.salt) == 0,
	    "... the same identity");
	ok(stat(path, &s2) == 0 && s1.st_ino == s2.st_ino &&
	    s1.st_mtime == s2.st_mtime, "... and the file was not rewritten");
	store_close(&st);

	ident_wipe(&b);
	ok(b.id[0] == '\0' && b.salt[0] == '\0' &&
	    memchr(b.salt, a.salt[0], sizeof b.salt) == NULL,
	    "ident_wipe zeroes it");
	ident_wipe(&a);
	fx_rmrf(fx_path("xdg/xt"));
}

static void
test_existing(void)
{
	const char *path = fx_path("xdg/xt/telemetry.json");
	struct ident id;
	struct store st;
	char text[1024];

	/* xmcp wrote an id (32 random bytes, hex, as ours), no salt yet */
	fx_config("{\"telemetry.enabled\": true, \"telemetry.anonymousId\": "
	    "\"e7a140dc7cfd594f0c1654babef9457f9070533326e7acc38d4515b50e869dc9\"}");
	store_open(&st);
	is_int(ident_get(&st, &id), IDENT_OK, "an xmcp config with an id: "
	    "IDENT_OK");
	is_str(id.id, "e7a140dc7cfd594f0c1654babef9457f9070533326e7acc38d4515b50e869dc9",
	    "... its anonymousId is kept");
	ok(is_hex(id.salt, 32), "... and a salt added");
	snprintf(text, sizeof text, "{\n  \"telemetry.enabled\": true,\n"
	    "  \"telemetry.anonymousId\": \"e7a140dc7cfd594f0c1654babef9457f9070533326e7acc38d4515b50e869dc9\","
	    "\n  \"telemetry.salt\": \"%s\"\n}\n", id.salt);
	is_str(fx_read(path), text, "... the file keeps xmcp's keys and order");
	store_close(&st);
	ident_wipe(&id);

	fx_config("{\"telemetry.salt\": \"0123456789abcdef0123456789abcdef\"}");
	store_open(&st);
	is_int(ident_get(&st, &id), IDENT_OK, "a salt but no id: IDENT_OK");
	ok(is_hex(id.id, 64), "... an id is created");
	is_str(id.salt, "0123456789abcdef0123456789abcdef", "... the salt kept");
	store_close(&st);

	fx_config("{\"telemetry.anonymousId\": \"\", \"telemetry.salt\": 5}");
	store_open(&st);
	is_int(ident_get(&st, &id), IDENT_OK, "an empty id and a salt that is "
	    "no string: IDENT_OK");
	ok(is_hex(id.id, 64) && is_hex(id.salt, 32), "... both are created");
	store_close(&st);

	fx_config("{\"telemetry.anonymousId\": ");
	store_open(&st);
	is_int(ident_get(&st, &id), IDENT_OK, "a corrupt config: IDENT_OK");
	ok(is_hex(id.id, 64), "... a new identity");
	is_str(fx_read(fx_path("xdg/xt/telemetry.json.corrupt")),
	    "{\"telemetry.anonymousId\": ", "... the old file moved aside");
	store_close(&st);
	ident_wipe(&id);
	fx_rmrf(fx_path("xdg/xt"));
}

static void
test_failures(void)
{
	struct ident id;
	struct store st;

	unsetenv("XDG_CONFIG_HOME");
	unsetenv("HOME");
	store_open(&st);
	is_int(ident_get(&st, &id), IDENT_NOPLACE, "no HOME: IDENT_NOPLACE");
	ok(strstr(st.why, "HOME") != NULL, "... st->why says why: %s", st.why);
	store_close(&st);
	setenv("HOME", fx_path("home"), 1);
	setenv("XDG_CONFIG_HOME", fx_path("xdg"), 1);

	if (fx_write(fx_path("afile"), "") != 0)
		fx_bail("afile");
	setenv("XT_CONFIG", fx_path("afile/telemetry.json"), 1);
	store_open(&st);
	is_int(ident_get(&st, &id), IDENT_NOPLACE, "an unwritable place: "
	    "IDENT_NOPLACE");
	ok(strstr(st.why, "is not a directory") != NULL, "... st->why says why");
	store_close(&st);
	unsetenv("XT_CONFIG");

	rand_test_no_seeder(1);
	store_open(&st);
	is_int(ident_get(&st, &id), IDENT_NORANDOM, "no randomness: "
	    "IDENT_NORANDOM");
	store_close(&st);
	rand_test_no_seeder(0);
	ok(!fx_exists(fx_path("xdg/xt")), "... and nothing is written");

	fx_config("{\"telemetry.anonymousId\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\", \"telemetry.salt\": \"0123456789abcdef0123456789abcdef\"}");
	rand_test_no_seeder(1);
	store_open(&st);
	is_int(ident_get(&st, &id), IDENT_OK, "no randomness, but an identity "
	    "there already: IDENT_OK");
	ok(strcmp(id.id, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa") == 0 &&
	    strcmp(id.salt, "0123456789abcdef0123456789abcdef") == 0,
	    "... the one there");
	store_close(&st);
	rand_test_no_seeder(0);
	fx_rmrf(fx_path("xdg/xt"));
}

struct result {
	int r;
	char id[IDENT_MAX];
	char draw[33];	/* a random draw after ident_get */
};

/*
 * RACERS processes wait on one pipe, are let go at once, and each calls
 * ident_get on the same fresh config.  Each reseeds its generator first
 * (a forked one would repeat the parent's draws, and identical ids would
 * then prove nothing), and reports a later draw to show it did.
 */
static void
test_race(void)
{
	struct result res[RACERS];
	int start[2], out[2], status, i, j, exited = 0, same = 1, distinct = 1;
	pid_t pid[RACERS];
	struct store st;
	struct ident id;
	char c;

	if (pipe(start) != 0 || pipe(out) != 0)
		fx_bail("pipe");
	fflush(stdout);
	for (i = 0; i < RACERS; i++) {
		if ((pid[i] = fork()) == 0) {
			struct result me;

			close(start[1]);
			close(out[0]);
			memset(&me, 0, sizeof me);
			rand_test_no_seeder(0);
			if (read(start[0], &c, 1) != 0)
				_exit(2);
			store_open(&st);
			me.r = ident_get(&st, &id);
			snprintf(me.id, sizeof me.id, "%s", id.id);
			if (rand_hex(me.draw, 16) != 0)
				_exit(3);
			_exit(write(out[1], &me, sizeof me) == sizeof me ? 0 : 4);
		}
		if (pid[i] < 0)
			fx_bail("fork");
	}
	close(start[0]);
	close(out[1]);
	close(start[1]);	/* go */
	for (i = 0; i < RACERS; i++)
		if (read(out[0], &res[i], sizeof res[i]) != sizeof res[i])
			break;
	close(out[0]);
	for (j = 0; j < RACERS; j++)
		if (waitpid(pid[j], &status, 0) == pid[j] && WIFEXITED(status) &&
		    WEXITSTATUS(status) == 0)
			exited++;
	is_int(exited, RACERS, "%d racing processes all finished", RACERS);
	is_int(i, RACERS, "... and reported");
	for (j = 0; j < i; j++) {
		if (res[j].r != IDENT_OK || strcmp(res[j].id, res[0].id) != 0)
			same = 0;
		if (j > 0 && strcmp(res[j].draw, res[j - 1].draw) == 0)
			distinct = 0;
	}
	ok(same && i == RACERS && is_hex(res[0].id, 64),
	    "... every one got IDENT_OK and the same id");
	ok(distinct, "... though each drew its own random numbers");
	store_open(&st);
	ok(ident_get(&st, &id) == IDENT_OK && strcmp(id.id, res[0].id) == 0,
	    "... the id in the file");
	is_int(count(fx_read(fx_path("xdg/xt/telemetry.json")),
	    "telemetry.anonymousId"), 1, "... which has one anonymousId");
	store_close(&st);
	ident_wipe(&id);
}

int
main(void)
{
	fx_setup("t-ident");
	test_create();
	test_existing();
	test_failures();
	test_race();
	ok(fx_cleanup() == 0, "the temporary directory is removed");
	return done();
}
