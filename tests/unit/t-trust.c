/*
 * t-trust: lib/trust through its contract in trust.h: what is the
 * user's own private state, what is refused (and left exactly as it
 * was), and what is tightened.  Another user's things need root to
 * make; without root those checks are skipped.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/trust.h"
#include "fixture.h"
#include "unit.h"

#define NOBODY 65534

static const char *
result_name(int r)
{
	switch (r) {
	case TRUST_OK: return "OK";
	case TRUST_MISSING: return "MISSING";
	case TRUST_REFUSED: return "REFUSED";
	case TRUST_ERROR: return "ERROR";
	}
	return "?";
}

#define is_result(got, want, ...) \
	is_str(result_name(got), result_name(want), __VA_ARGS__)

static char why[512];

static void
test_dirs(void)
{
	const char *d = fx_path("d");
	struct stat sb;

	is_result(trust_dir(fx_path("none"), 0, why, sizeof why), TRUST_MISSING,
	    "a missing directory: MISSING");
	if (mkdir(d, 0700) != 0)
		fx_bail("mkdir");
	is_result(trust_dir(d, 0, why, sizeof why), TRUST_OK,
	    "a 0700 directory of ours: OK");
	if (chmod(d, 0755) != 0)
		fx_bail("chmod");
	is_result(trust_dir(d, 0, why, sizeof why), TRUST_OK,
	    "0755 without TRUST_TIGHTEN: OK");
	is_int(fx_mode(d), 0755, "... and left 0755");
	is_result(trust_dir(d, TRUST_TIGHTEN, why, sizeof why), TRUST_OK,
	    "0755 with TRUST_TIGHTEN: OK");
	is_int(fx_mode(d), 0700, "... and made 0700");
	if (chmod(d, 0770) != 0)
		fx_bail("chmod");
	is_result(trust_dir(d, TRUST_TIGHTEN, why, sizeof why), TRUST_REFUSED,
	    "0770 (group can write): REFUSED, even with TRUST_TIGHTEN");
	ok(strstr(why, "can be written by others (mode 0770)") != NULL,
	    "... why says so: %s", why);
	is_int(fx_mode(d), 0770, "... and it is left as it was");
	if (chmod(d, 0700) != 0 || symlink("d", fx_path("link")) != 0 ||
	    fx_write(fx_path("file"), "") != 0)
		fx_bail("link");
	is_result(trust_dir(fx_path("link"), 0, why, sizeof why), TRUST_OK,
	    "a link to a directory of ours: OK (a dotfile manager's)");
	is_result(trust_dir(fx_path("link"), TRUST_NOFOLLOW, why, sizeof why),
	    TRUST_REFUSED, "... with TRUST_NOFOLLOW: REFUSED");
	ok(strstr(why, "is a symbolic link") != NULL, "... why: %s", why);
	is_result(trust_dir(fx_path("file"), 0, why, sizeof why),
	    TRUST_REFUSED, "a file where a directory should be: REFUSED");
	if (geteuid() != 0) {
		ok(1, "another user's directory: REFUSED # SKIP needs root");
		return;
	}
	if (chown(d, NOBODY, NOBODY) != 0 || stat(d, &sb) != 0)
		fx_bail("chown");
	is_result(trust_dir(d, TRUST_TIGHTEN, why, sizeof why), TRUST_REFUSED,
	    "another user's directory: REFUSED");
	ok(strstr(why, "belongs to another user (uid 65534)") != NULL,
	    "... why: %s", why);
}

static void
test_files(void)
{
	const char *f = fx_path("f");
	enum trust_result r;
	struct stat sb, sa;
	int fd;

	fd = trust_open(fx_path("none"), 0, &r, why, sizeof why);
	ok(fd == -1, "trust_open of nothing: -1");
	is_result(r, TRUST_MISSING, "... MISSING");
	if (fx_write(f, "x") != 0 || chmod(f, 0644) != 0)
		fx_bail("write");
	fd = trust_open(f, 0, &r, why, sizeof why);
	ok(fd >= 0 && r == TRUST_OK, "a 0644 file of ours: open, OK");
	is_int(fx_mode(f), 0644, "... left 0644 without TRUST_TIGHTEN");
	close(fd);
	fd = trust_open(f, TRUST_TIGHTEN, &r, why, sizeof why);
	ok(fd >= 0 && r == TRUST_OK, "with TRUST_TIGHTEN: open, OK");
	is_int(fx_mode(f), 0600, "... and made 0600");
	close(fd);
	if (chmod(f, 0666) != 0 || stat(f, &sb) != 0)
		fx_bail("chmod");
	fd = trust_open(f, TRUST_TIGHTEN, &r, why, sizeof why);
	ok(fd == -1, "0666 (others can write): -1");
	is_result(r, TRUST_REFUSED, "... REFUSED");
	ok(stat(f, &sa) == 0 && sa.st_mode == sb.st_mode,
	    "... and left as it was");
	if (chmod(f, 0600) != 0 || symlink("f", fx_path("flink")) != 0 ||
	    mkfifo(fx_path("fifo"), 0600) != 0 || mkdir(fx_path("fdir"), 0700))
		fx_bail("kinds");
	ok(trust_open(fx_path("flink"), 0, &r, why, sizeof why) == -1 &&
	    r == TRUST_REFUSED && strstr(why, "symbolic link") != NULL,
	    "a symbolic link: REFUSED, never followed");
	alarm(10);	/* a FIFO must not block: it is never opened */
	ok(trust_open(fx_path("fifo"), 0, &r, why, sizeof why) == -1 &&
	    r == TRUST_REFUSED && strstr(why, "not a regular file") != NULL,
	    "a FIFO: REFUSED, without blocking");
	alarm(0);
	ok(trust_open(fx_path("fdir"), 0, &r, why, sizeof why) == -1 &&
	    r == TRUST_REFUSED && strstr(why, "is a directory") != NULL,
	    "a directory: REFUSED");
	is_result(trust_path(f, why, sizeof why), TRUST_OK,
	    "trust_path of a 0600 file of ours: OK");
	is_result(trust_path(fx_path("flink"), why, sizeof why), TRUST_REFUSED,
	    "trust_path of a link: REFUSED");
	is_result(trust_path(fx_path("none"), why, sizeof why), TRUST_MISSING,
	    "trust_path of nothing: MISSING");
	if (geteuid() != 0) {
		ok(1, "another user's file: REFUSED # SKIP needs root");
		return;
	}
	if (chown(f, NOBODY, NOBODY) != 0)
		fx_bail("chown");
	ok(trust_open(f, TRUST_TIGHTEN, &r, why, sizeof why) == -1 &&
	    r == TRUST_REFUSED && strstr(why, "belongs to another user") != NULL,
	    "another user's file: REFUSED");
	is_result(trust_path(f, why, sizeof why), TRUST_REFUSED,
	    "... trust_path too");
	fd = open(f, O_RDONLY);
	is_result(trust_fd(fd, f, 0, why, sizeof why), TRUST_REFUSED,
	    "... trust_fd too");
	close(fd);
}

/* trust_stat: the rule on a stat result; TRUST_ROOT: root's is fine. */
static void
test_stat(void)
{
	struct stat sb;

	if (fx_write(fx_path("s"), "") != 0 || chmod(fx_path("s"), 0600) != 0 ||
	    stat(fx_path("s"), &sb) != 0)
		fx_bail("s");
	is_result(trust_stat(&sb, S_IFREG, "s", 0, why, sizeof why), TRUST_OK,
	    "trust_stat: a 0600 file of ours as a file: OK");
	is_result(trust_stat(&sb, S_IFDIR, "s", 0, why, sizeof why),
	    TRUST_REFUSED, "... as a directory: REFUSED");
	ok(strstr(why, "s is not a directory") != NULL, "... why: %s", why);
	sb.st_mode |= 0002;
	is_result(trust_stat(&sb, S_IFREG, "s", 0, why, sizeof why),
	    TRUST_REFUSED, "... others can write it: REFUSED");
	ok(strstr(why, "can be written by others (mode 0602)") != NULL,
	    "... why: %s", why);
	is_result(trust_stat(&sb, S_IFREG, "s", 0, NULL, 0), TRUST_REFUSED,
	    "... with no why buffer too");
	if (stat(fx_path("."), &sb) != 0)
		fx_bail("stat");
	is_result(trust_stat(&sb, S_IFDIR, "d", 0, why, sizeof why), TRUST_OK,
	    "our 0700 directory as a directory: OK");
	if (stat("/", &sb) != 0 || sb.st_uid != 0 || (sb.st_mode & 022) != 0) {
		ok(1, "TRUST_ROOT # SKIP / is not root's 0755 here");
		return;
	}
	is_result(trust_stat(&sb, S_IFDIR, "/", TRUST_ROOT, why, sizeof why),
	    TRUST_OK, "/, root's, with TRUST_ROOT: OK");
	is_result(trust_dir("/", TRUST_ROOT, why, sizeof why), TRUST_OK,
	    "... trust_dir too");
	if (geteuid() != 0) {
		is_result(trust_stat(&sb, S_IFDIR, "/", 0, why, sizeof why),
		    TRUST_REFUSED, "/, root's, without TRUST_ROOT: REFUSED");
		return;
	}
	sb.st_uid = NOBODY;
	is_result(trust_stat(&sb, S_IFDIR, "/", TRUST_ROOT, why, sizeof why),
	    TRUST_REFUSED, "nobody's, even with TRUST_ROOT: REFUSED");
}

int
main(void)
{
	fx_setup("t-trust");
	test_dirs();
	test_files();
	test_stat();
	ok(fx_cleanup() == 0, "the temporary directory is removed");
	return done();
}
