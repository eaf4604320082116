/* Unit tests of lib/util and lib/env. */
#include <sys/stat.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/buf.h"
#include "lib/env.h"
#include "lib/hash.h"
#include "lib/rand.h"
#include "lib/util.h"
#include "fixture.h"
#include "unit.h"

static void
test_buf(void)
{
	struct buf b;
	int i;

	buf_init(&b, 10);
	buf_adds(&b, "hello");
	buf_addc(&b, ' ');
	ok(b.len == 6 && strcmp(b.data, "hello ") == 0 && !b.full,
	    "appends and stays terminated");
	buf_adds(&b, "world");
	ok(b.full && b.len == 6 && strcmp(b.data, "hello ") == 0,
	    "an append past max is dropped whole and sets full");
	buf_adds(&b, "x");
	ok(b.len == 6, "nothing is appended once full");
	buf_reset(&b);
	ok(b.len == 0 && !b.full && b.data[0] == '\0', "reset empties");
	buf_printf(&b, "%d-%s", 42, "x");
	is_str(b.data, "42-x", "printf");
	buf_free(&b);

	buf_init(&b, 1 << 20);
	for (i = 0; i < 1000; i++)
		buf_printf(&b, "%0300d", i);
	ok(!b.full && b.len == 300000, "grows past the small printf buffer");
	buf_free(&b);
	ok(b.data == NULL && b.len == 0, "free resets");
}

static void
test_read_all(void)
{
	struct buf b;
	int p[2];

	ok(pipe(p) == 0, "pipe");
	ok(write(p[1], "0123456789abc", 13) == 13, "write");
	close(p[1]);
	buf_init(&b, 10);
	errno = 0;
	ok(buf_read_fd(&b, p[0]) == -1 && errno == EFBIG,
	    "read_all refuses more than max with EFBIG");
	close(p[0]);
	buf_free(&b);

	ok(pipe(p) == 0, "pipe");
	close(p[1]);
	buf_init(&b, 10);
	ok(buf_read_fd(&b, p[0]) == 0 && b.len == 0 && b.data != NULL &&
	    b.data[0] == '\0', "empty input is an empty string");
	close(p[0]);
	buf_free(&b);
}

/* One way to read a file: regular files only unless asked, capped. */
static void
test_read_file(void)
{
	struct stat sb;
	struct buf b;

	ok(fx_write(fx_path("f"), "0123456789abc") == 0 &&
	    symlink("f", fx_path("link")) == 0 &&
	    mkfifo(fx_path("fifo"), 0600) == 0 && fx_mkdirs(fx_path("d")) == 0,
	    "a file, a link to it, a FIFO, a directory");
	buf_init(&b, 100);
	ok(buf_read_file(&b, fx_path("f"), 0, &sb) == 0 && b.len == 13 &&
	    strcmp(b.data, "0123456789abc") == 0 && sb.st_size == 13,
	    "reads a regular file whole, and gives its stat");
	buf_reset(&b);
	ok(buf_read_file(&b, fx_path("link"), 0, NULL) == 0 && b.len == 13,
	    "follows a link by default");
	errno = 0;
	ok(buf_read_file(&b, fx_path("link"), BUF_NOFOLLOW, NULL) == -1 &&
	    errno == ELOOP, "BUF_NOFOLLOW: a link is ELOOP");
	errno = 0;
	ok(buf_read_file(&b, fx_path("fifo"), 0, NULL) == -1 &&
	    errno == ENODEV, "a FIFO is refused at once (ENODEV), no hang");
	errno = 0;
	ok(buf_read_file(&b, fx_path("d"), BUF_STREAM, NULL) == -1 &&
	    errno == EISDIR, "a directory is EISDIR, even with BUF_STREAM");
	errno = 0;
	ok(buf_read_file(&b, fx_path("none"), 0, NULL) == -1 &&
	    errno == ENOENT, "a missing file is ENOENT");
	buf_free(&b);

	buf_init(&b, 10);
	errno = 0;
	ok(buf_read_file(&b, fx_path("f"), 0, NULL) == -1 && errno == EFBIG,
	    "over max is EFBIG");
	buf_reset(&b);
	ok(buf_read_file(&b, fx_path("f"), BUF_HEAD, NULL) == 0 &&
	    strcmp(b.data, "0123456789") == 0, "BUF_HEAD: the first max bytes");
	buf_free(&b);
	buf_init(&b, 64 * 1024);
	errno = EFBIG;
	{
		char why[64], size[XT_SIZE_WORDS];

		is_str(buf_read_error(&b, why, sizeof why), "over 64 KiB",
		    "read_error names the cap in words");
		is_str(xt_size(size, sizeof size, 1 << 20), "1 MiB", "1 MiB");
		is_str(xt_size(size, sizeof size, 1536), "1536 bytes",
		    "not a whole KiB: bytes");
	}
	buf_free(&b);
}

static void
test_hex_and_hash(void)
{
	char out[HASH_HEX_LEN + 1], h[9];
	unsigned char raw[4] = { 0x00, 0x9f, 0xa0, 0xff };

	xt_hex(h, raw, 4);
	is_str(h, "009fa0ff", "hex is lowercase, two digits a byte");
	/* printf '%s' "0123456789abcdef0123456789abcdefmy-app@1.0.0" | sha256sum */
	hash_salted(out, "0123456789abcdef0123456789abcdef", 32, "my-app@1.0.0", 12);
	is_str(out, "416f6801ea33b3050f93d4b386a6387f52a4f11c2ffa98403cdf832832e5a6f4",
	    "hash_salted is sha256(salt . value)");
	hash_salted(out, "", 0, "abc", 3);
	is_str(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	    "the SHA-256 test vector for abc");
}

static void
test_rand(void)
{
	char a[65], b[65];

	ok(rand_hex(a, 32) == 0 && rand_hex(b, 32) == 0, "rand_hex works");
	ok(strlen(a) == 64 && strspn(a, "0123456789abcdef") == 64,
	    "64 lowercase hex digits");
	ok(strcmp(a, b) != 0, "two draws differ");
	ok(rand_hex(a, 65) == -1, "more than 64 bytes is refused");
	rand_test_no_seeder(1);
	ok(rand_hex(a, 16) == -1, "no seeder: rand fails, no weak fallback");
	rand_test_no_seeder(0);
	ok(rand_hex(a, 16) == 0, "a seeder again: rand works");
}

static void
test_env(void)
{
	unsetenv("XT_APP");
	ok(env_init() == 0, "env_init");
	is_str(env_app(), "xt", "the default app");
	is_str(env_disabled_var(), "XT_TELEMETRY_DISABLED", "its disabled variable");
	is_str(env_debug_var(), "XT_DEBUG_TELEMETRY", "its debug variable");
	ok(env_truthy("1") && env_truthy("true") && env_truthy("yes") &&
	    env_truthy("anything"), "truthy values");
	ok(!env_truthy(NULL) && !env_truthy("") && !env_truthy("0") &&
	    !env_truthy("false") && !env_truthy("FALSE") && !env_truthy("False"),
	    "falsy values");
	setenv("EMPTY_VAR", "", 1);
	ok(env_get("EMPTY_VAR") == NULL, "an empty variable counts as unset");
}

static void
test_wipe(void)
{
	char secret[16];

	memcpy(secret, "0123456789abcdef", 16);
	xt_wipe(secret, sizeof secret);
	ok(secret[0] == 0 && secret[15] == 0 && memchr(secret, '7', 16) == NULL,
	    "wipe zeroes");
}

static void
test_mkdirs(void)
{
	char why[256];

	ok(xt_mkdirs(fx_path("a/b/c"), why, sizeof why) == 0 &&
	    fx_mode(fx_path("a")) == 0700 && fx_mode(fx_path("a/b/c")) == 0700,
	    "xt_mkdirs makes each missing directory, 0700");
	ok(xt_mkdirs(fx_path("a/b/c/"), why, sizeof why) == 0,
	    "... and is content when they are there (a trailing / too)");
	if (fx_write(fx_path("a/file"), "x") != 0)
		fx_bail("file");
	errno = 0;
	ok(xt_mkdirs(fx_path("a/file/d/e"), why, sizeof why) == -1 &&
	    errno == ENOTDIR, "a file in the way: -1, ENOTDIR");
	ok(strstr(why, "cannot create ") != NULL &&
	    strstr(why, "a/file/d: ") != NULL, "... why names the prefix: %s",
	    why);
}

int
main(void)
{
	test_buf();
	test_read_all();
	fx_setup("t-util");	/* the files of the next two */
	test_read_file();
	test_mkdirs();
	ok(fx_cleanup() == 0, "cleanup");
	test_hex_and_hash();
	test_rand();
	test_env();
	test_wipe();
	return done();
}
