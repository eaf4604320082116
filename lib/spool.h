/*
 * spool: the batches xt-flush keeps until a sender delivers them, the
 * sender's lock, and the local log of what was sent (DESIGN.md,
 * "Upload: xt-flush and the spool").
 *
 * Where (spool_locate), the application's state directory ROOT:
 *   - with the ephemeral config (CI, a container: store.h),
 *     $TMPDIR/.<app>-cache, beside the config;
 *   - else $XDG_STATE_HOME/<app> (an absolute XDG_STATE_HOME only, as
 *     the XDG specification says), else $HOME/.local/state/<app>.
 * In it:
 *   ROOT/telemetry/spool/ID.jsonl	one batch; ID is 64 lowercase hex
 *					digits, the payload's sessionId
 *   ROOT/telemetry/spool/.ID.tmp	a batch being written
 *   ROOT/telemetry/spool/.lock	the sender's single-instance lock
 *   ROOT/telemetry/spool/rejected/	batches the collector refused for
 *					good, the newest SPOOL_REJECTED_MAX
 *   ROOT/telemetry/sent.jsonl	every batch delivered, as sent (a
 *					payload, or its rows), a line each;
 *					past SPOOL_SENT_MAX bytes it becomes
 *					sent.jsonl.1 (one older file kept)
 *   ROOT/telemetry/last-upload	the last attempt, one line of text:
 *					"TIME ID RESULT", TIME in UTC as
 *					2026-12-01T10:00:00Z
 *
 * A batch file is three parts, each whole lines that xt-post accepts:
 *	{"context":{"projectHash":"<64 hex>"}}
 *	the caller's lines, as given (each already checked as an event or
 *	a fragment)
 *	{"context":{"sessionId":"ID"}}
 * The last line comes after everything the caller wrote, so when the
 * sender puts xt-id's line first, the batch id wins as the sessionId
 * (DESIGN.md's merge rule: a later line wins) on every retry.  A batch
 * is written to .ID.tmp and renamed, without fsync: a crash may leave a
 * partial file, and a file whose first and last lines are not exactly
 * these (spool_batch_check) is never read as a batch.
 *
 * Trust: every directory above (ROOT, telemetry, spool, rejected) and
 * every file read or written is opened without following a symbolic
 * link and must be a directory (or a regular file) owned by this user
 * and writable by no one else; anything else is refused and left
 * exactly as it was.  A batch-named file that is not ours is neither
 * read, counted, nor removed.  Directories we create are 0700, files
 * 0600.  Parents of ROOT are created (0700) when missing, and not
 * checked: they are the user's home.
 *
 * Nothing here forks or prints (but xt_debug); the caller decides.
 */
#ifndef XT_SPOOL_H
#define XT_SPOOL_H

#include <stddef.h>
#include <time.h>

#include "store.h"
#include "buf.h"

#define SPOOL_ID_LEN		64			/* hex digits */
#define SPOOL_INPUT_MAX		(1 << 20)		/* bytes of the caller's lines */
#define SPOOL_BATCH_MAX		(SPOOL_INPUT_MAX + 256)	/* with the two lines we add */
#define SPOOL_MAX		(1 << 20)		/* all batches together */
#define SPOOL_AGE_MAX		(7 * 24 * 3600)		/* seconds a batch is kept */
#define SPOOL_REJECTED_MAX	16			/* files in rejected/ */
#define SPOOL_SENT_MAX		(256 * 1024)		/* bytes of sent.jsonl */
#define SPOOL_PATH_MAX		4096

struct spool {
	char root[SPOOL_PATH_MAX];	/* the application's state directory */
	char dir[SPOOL_PATH_MAX];	/* ROOT/telemetry/spool */
	int tfd;			/* ROOT/telemetry, or -1 */
	int sfd;			/* the spool directory, or -1 */
	int lockfd;			/* held lock, or -1 */
	char why[512];			/* why the last call failed */
};

/* One batch found by spool_scan. */
struct spool_batch {
	char id[SPOOL_ID_LEN + 1];
	time_t mtime;
	long mtime_ns;
	long long size;
};

struct spool_list {
	struct spool_batch *b;	/* oldest first; owned (spool_list_free) */
	size_t n;
	long long bytes;
};

/*
 * spool_open: locate the spool for this application (st: the user's
 * config, opened by the caller, says whether it is the ephemeral one)
 * and open its directories, creating them when create is set.  0; or
 * -1 with sp->why (errno ENOENT: not there and not created).  Whatever
 * the outcome, spool_close is safe and sp->dir names the place.
 */
int spool_open(struct spool *sp, const struct store *st, int create);
void spool_close(struct spool *sp);

/* A new batch id: SPOOL_ID_LEN random hex digits and a NUL.  0 or -1. */
int spool_new_id(char id[SPOOL_ID_LEN + 1]);

/*
 * spool_format: append the text of a batch (see above) to out: the
 * project hash line, lines[0..len) (a newline added when the last line
 * lacks one), the batch id line.
 */
void spool_format(struct buf *out, const char *id, const char *project_hash,
    const char *lines, size_t len);

/*
 * spool_batch_check: is text[0..len) a whole batch with this id (first
 * and last lines exactly as spool_format writes them)?  1 or 0.  Reads
 * nothing else; the lines between are checked by whoever parses them.
 */
int spool_batch_check(const char *id, const char *text, size_t len);

/* spool_put: write a batch (spool_format) as ID.jsonl, atomically. 0 or -1. */
int spool_put(struct spool *sp, const char *id, const char *project_hash,
    const char *lines, size_t len);

/*
 * spool_lock: take the sender's lock without waiting.  1: held (until
 * spool_unlock or exit); 0: another process holds it; -1: error (why).
 */
int spool_lock(struct spool *sp);
void spool_unlock(struct spool *sp);

/*
 * spool_scan: the batches waiting, oldest first (mtime, then id).  With
 * prune (only under the lock), first removes our own batches older
 * than SPOOL_AGE_MAX, our own temporary files older than that, and the
 * oldest batches while all of them together are over SPOOL_MAX, saying
 * each in debug mode; now is the current time.  0, or -1 with why.
 */
int spool_scan(struct spool *sp, int prune, time_t now, struct spool_list *out);
void spool_list_free(struct spool_list *l);

/*
 * spool_read: read batch id into out (max SPOOL_BATCH_MAX), checking
 * that it is ours (see Trust) and whole (spool_batch_check).  0; -1
 * with why when it is not (it is then left as it is).
 */
int spool_read(struct spool *sp, const char *id, struct buf *out);

/* The end of a batch: delivered (remove it) or refused (to rejected/). 0 or -1. */
int spool_remove(struct spool *sp, const char *id);
int spool_reject(struct spool *sp, const char *id);

/* Append payload[0..len) (what was sent: a payload, or rows) and a
 * newline to sent.jsonl, rotating it first when it would pass
 * SPOOL_SENT_MAX.  0 or -1. */
int spool_log_sent(struct spool *sp, const char *payload, size_t len);

/* Record the last attempt: batch id and a short result ("delivered"). */
int spool_set_last(struct spool *sp, const char *id, const char *result);

/*
 * spool_status: for xt-consent status.  Changes nothing: what is there,
 * counted without pruning.  waiting is -1 when the spool cannot be
 * read (why says why; 0 and why "" when there is none yet).  last_time
 * and last_result are "" when no upload was recorded.
 */
struct spool_status {
	char dir[SPOOL_PATH_MAX];
	long waiting;
	char last_time[40];
	char last_result[160];
	char why[512];
};
void spool_status(const struct store *st, struct spool_status *ss);

#endif
