/*
 * t-spool: lib/spool through its contract in spool.h: where the spool
 * is, the batch format and what is (not) a whole batch, writing and
 * scanning, the caps, rejected/, sent.jsonl's rotation, the lock, the
 * status, and the trust rule.  Everything under a temporary directory
 * (fixture.h).
 */
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/spool.h"
#include "lib/store.h"
#include "fixture.h"
#include "unit.h"

static char id1[SPOOL_ID_LEN + 1], id2[SPOOL_ID_LEN + 1];
static const char hash[] =
    "7777777777777777777777777777777777777777777777777777777777777777";

static void
open_spool(struct spool *sp, int create)
{
	struct store st;

	store_open(&st);
	(void)spool_open(sp, &st, create);
	store_close(&st);
}

/* Set a file's mtime to now - ago seconds. */
static void
age(const char *path, long ago)
{
	struct timeval tv[2];

	gettimeofday(&tv[0], NULL);
	tv[0].tv_sec -= ago;
	tv[1] = tv[0];
	if (utimes(path, tv) != 0)
		fx_bail("utimes");
}

static const char *
batch_path(const char *id)
{
	return fx_path("state/xt/telemetry/spool/%s.jsonl", id);
}

static void
test_format(void)
{
	struct buf b;

	buf_init(&b, 4096);
	spool_format(&b, id1, hash, "{\"eventName\":\"a\"}", 17);
	ok(spool_batch_check(id1, b.data, b.len), "a formatted batch is whole");
	ok(!spool_batch_check(id2, b.data, b.len), "... with its own id only");
	ok(!spool_batch_check(id1, b.data, b.len - 1), "cut short: not whole");
	ok(!spool_batch_check(id1, b.data + 1, b.len - 1), "no first line: not whole");
	ok(strstr(b.data, "{\"eventName\":\"a\"}\n{\"context\":{\"sessionId\"") != NULL,
	    "a newline is added after a last line without one");
	ok(!spool_batch_check(id1, "", 0), "empty: not whole");
	ok(!spool_batch_check("xyz", b.data, b.len), "a bad id: not whole");
	buf_free(&b);
}

static void
test_put_scan_read(void)
{
	struct spool sp;
	struct spool_list l;
	struct buf b;
	struct stat sb;

	open_spool(&sp, 0);
	ok(sp.sfd < 0 && errno == ENOENT, "no spool yet: not created when not asked");
	spool_close(&sp);
	ok(!fx_exists(fx_path("state/xt")), "... nothing made");

	open_spool(&sp, 1);
	ok(sp.sfd >= 0, "created when asked: %s", sp.why);
	is_str(sp.dir, fx_path("state/xt/telemetry/spool"), "under XDG_STATE_HOME/<app>");
	is_int(fx_mode(fx_path("state/xt")), 0700, "ROOT 0700");
	is_int(fx_mode(fx_path("state/xt/telemetry/spool")), 0700, "spool 0700");
	ok(spool_put(&sp, id1, hash, "{\"eventName\":\"a\"}\n", 18) == 0, "put");
	ok(stat(batch_path(id1), &sb) == 0 && (sb.st_mode & 0777) == 0600,
	    "a batch is 0600");
	ok(!fx_exists(fx_path("state/xt/telemetry/spool/.%s.tmp", id1)),
	    "no temporary file left");
	ok(spool_put(&sp, id2, hash, "{\"eventName\":\"b\"}", 17) == 0, "put another");
	age(batch_path(id1), 60);
	ok(spool_scan(&sp, 0, time(NULL), &l) == 0 && l.n == 2, "two batches");
	ok(l.n == 2 && strcmp(l.b[0].id, id1) == 0, "oldest first");
	spool_list_free(&l);

	buf_init(&b, SPOOL_BATCH_MAX);
	ok(spool_read(&sp, id1, &b) == 0, "read back");
	ok(strstr(b.data, "\"eventName\":\"a\"") != NULL, "... with its line");
	fx_write(batch_path(id1), "{\"context\":{}}\n");
	ok(spool_read(&sp, id1, &b) != 0 && strstr(sp.why, "not a whole batch"),
	    "a file not in the format is not read: %s", sp.why);
	ok(spool_remove(&sp, id1) == 0 && !fx_exists(batch_path(id1)), "remove");
	buf_free(&b);
	spool_close(&sp);
}

static void
test_caps(void)
{
	struct spool sp;
	struct spool_list l;
	char id[SPOOL_ID_LEN + 1], *big;
	int i;

	fx_rmrf(fx_path("state"));
	open_spool(&sp, 1);
	big = malloc(300 * 1024);
	memset(big, ' ', 300 * 1024);
	memcpy(big, "{\"eventName\":\"x\"}", 17);
	for (i = 0; i < 5; i++) {
		snprintf(id, sizeof id, "%064d", i);
		spool_put(&sp, id, hash, big, 300 * 1024);
		age(batch_path(id), 1000 - i);
	}
	snprintf(id, sizeof id, "%064d", 9);
	spool_put(&sp, id, hash, "{\"eventName\":\"old\"}", 19);
	age(batch_path(id), SPOOL_AGE_MAX + 10);
	ok(spool_scan(&sp, 0, time(NULL), &l) == 0 && l.n == 6,
	    "without prune everything is listed");
	spool_list_free(&l);
	ok(spool_scan(&sp, 1, time(NULL), &l) == 0 && l.n == 3,
	    "pruned: the old one, and the oldest over 1 MiB, dropped");
	ok(l.bytes <= SPOOL_MAX, "what is left is within 1 MiB");
	snprintf(id, sizeof id, "%064d", 2);
	ok(l.n == 3 && strcmp(l.b[0].id, id) == 0, "the newest kept");
	spool_list_free(&l);
	free(big);

	for (i = 0; i < 20; i++) {
		snprintf(id, sizeof id, "%064d", 100 + i);
		spool_put(&sp, id, hash, "{\"eventName\":\"r\"}", 17);
		age(batch_path(id), 100 - i);
		spool_reject(&sp, id);
	}
	is_int(fx_entries(fx_path("state/xt/telemetry/spool/rejected")),
	    SPOOL_REJECTED_MAX, "rejected/ keeps the newest 16");
	snprintf(id, sizeof id, "%064d", 119);
	ok(fx_exists(fx_path("state/xt/telemetry/spool/rejected/%s.jsonl", id)),
	    "... the last one among them");
	spool_close(&sp);
}

static void
test_sent(void)
{
	struct spool sp;
	char *fill;
	const char *text;

	fx_rmrf(fx_path("state"));
	open_spool(&sp, 1);
	ok(spool_log_sent(&sp, "{\"a\":1}", 7) == 0, "log a payload");
	is_str(fx_read(fx_path("state/xt/telemetry/sent.jsonl")), "{\"a\":1}\n",
	    "one line");
	is_int(fx_mode(fx_path("state/xt/telemetry/sent.jsonl")), 0600, "0600");
	fill = malloc(SPOOL_SENT_MAX);
	memset(fill, 'x', SPOOL_SENT_MAX - 10);
	fill[SPOOL_SENT_MAX - 11] = '\0';
	ok(spool_log_sent(&sp, fill, strlen(fill)) == 0, "a big one");
	ok(spool_log_sent(&sp, "{\"b\":2}", 7) == 0, "and one more");
	text = fx_read(fx_path("state/xt/telemetry/sent.jsonl"));
	is_str(text, "{\"b\":2}\n", "past 256 KiB a new file begins");
	ok(fx_exists(fx_path("state/xt/telemetry/sent.jsonl.1")), "the older one kept");
	free(fill);
	spool_close(&sp);
}

static void
test_lock_status(void)
{
	struct spool a, b;
	struct spool_status ss;
	struct store st;
	int status;
	pid_t pid;

	fx_rmrf(fx_path("state"));
	open_spool(&a, 1);
	open_spool(&b, 0);
	is_int(spool_lock(&a), 1, "the lock is taken");
	pid = fork();
	if (pid == 0)
		_exit(spool_lock(&b) == 0 ? 0 : 1);
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "another process finds it held, without waiting");
	spool_unlock(&a);
	is_int(spool_lock(&b), 1, "free again once let go");
	spool_unlock(&b);

	spool_put(&a, id1, hash, "{\"eventName\":\"a\"}", 17);
	spool_set_last(&a, id1, "delivered");
	store_open(&st);
	spool_status(&st, &ss);
	store_close(&st);
	is_int(ss.waiting, 1, "status: one batch waiting");
	is_str(ss.last_result, "delivered", "status: the last result");
	ok(strlen(ss.last_time) == 20 && ss.last_time[19] == 'Z', "status: the time, UTC");
	spool_close(&a);
	spool_close(&b);
}

static void
test_trust(void)
{
	struct spool sp;
	struct spool_list l;

	fx_rmrf(fx_path("state"));
	open_spool(&sp, 1);
	spool_close(&sp);
	chmod(fx_path("state/xt/telemetry/spool"), 0770);
	open_spool(&sp, 1);
	ok(sp.sfd < 0 && strstr(sp.why, "can be written by others"),
	    "a group-writable spool is refused: %s", sp.why);
	is_int(fx_mode(fx_path("state/xt/telemetry/spool")), 0770, "... and left as it is");
	spool_close(&sp);
	chmod(fx_path("state/xt/telemetry/spool"), 0700);

	open_spool(&sp, 1);
	fx_write(batch_path(id2), "x");
	chmod(batch_path(id2), 0620);
	ok(spool_scan(&sp, 1, time(NULL), &l) == 0 && l.n == 0,
	    "a group-writable batch is not listed");
	ok(fx_exists(batch_path(id2)), "... nor removed");
	spool_list_free(&l);
	if (geteuid() == 0) {
		chmod(batch_path(id2), 0600);
		if (chown(batch_path(id2), 65534, 65534) != 0)
			fx_bail("chown");
		age(batch_path(id2), SPOOL_AGE_MAX + 100);
		ok(spool_scan(&sp, 1, time(NULL), &l) == 0 && l.n == 0,
		    "another user's batch is not listed");
		ok(fx_exists(batch_path(id2)), "... nor removed, however old");
		spool_list_free(&l);
	}
	spool_close(&sp);
}

int
main(void)
{
	fx_setup("t-spool");
	setenv("XDG_STATE_HOME", fx_path("state"), 1);
	memset(id1, 'a', SPOOL_ID_LEN);
	memset(id2, 'b', SPOOL_ID_LEN);
	test_format();
	test_put_scan_read();
	test_caps();
	test_sent();
	test_lock_status();
	test_trust();
	ok(fx_cleanup() == 0, "nothing left behind");
	return done();
}
