/*
 * store: the config file, telemetry.json (DESIGN.md, "State").
 *
 * Where (store_open):
 *   1. $XT_CONFIG, if set;
 *   2. on CI or in a container (ci.h, sysinfo.h), $TMPDIR/.<app>-cache/
 *      telemetry.json, as xmcp keeps its file in an ephemeral place there
 *      ($TMPDIR unset or relative: /tmp).  That directory is shared with
 *      other users: it must not be a symbolic link;
 *   3. $XDG_CONFIG_HOME/<app>/telemetry.json (absolute paths only, as the
 *      XDG specification says);
 *   4. $HOME/.config/<app>/telemetry.json;
 *   5. nowhere: no HOME.  Reading finds nothing, writing fails.
 *
 * Trust (trust.h): the user's config is only ever a regular file that
 * the user owns and no one else can write, in a directory the user owns
 * and no one else can write.  Anything else (another user's file or
 * directory, a group- or world-writable one, a symbolic link, a
 * directory, device or FIFO where the file should be) is STORE_REFUSED:
 * never read, never written, never moved, and store_update fails with
 * EPERM.  What is the user's but readable by others is tightened on
 * read: the file to 0600, and xt's own directory (not XT_CONFIG's,
 * which the user chose) to 0700.  The system policy file
 * (store_open_path) is read by the same rule but may be root's too: a
 * regular file owned by root or the user, in such a directory, that no
 * one else can write; else it is STORE_REFUSED.  It is never tightened.
 *
 * Format: one JSON object with xmcp's flat keys (STORE_KEY_*).  Keys we
 * do not know are kept, in their order, when we rewrite the file; any
 * key the reader takes is a key (an empty one, one holding \u0000); a
 * key given twice is written once, with its last value.
 *
 * Reading never fails: the outcome is a state.  A regular file of ours
 * that cannot be used (not JSON, not an object, over STORE_MAX bytes,
 * unreadable, an anonymousId that is not 64 or a salt that is not 32
 * lowercase hex digits) is STORE_CORRUPT, with why.  Messages never
 * quote the file's content (it holds the salt).  Nothing is changed by
 * reading but the modes above.
 *
 * Writing (store_update) refuses what is not ours before it creates
 * anything, then takes the lock (telemetry.json.lock, fcntl, at most
 * STORE_LOCK_WAIT_MS), re-reads the file under it, removes temporary
 * files of ours that a killed writer left (telemetry.json.tmp-XXXXXX),
 * moves a corrupt file aside to telemetry.json.corrupt (replacing an
 * older one only if that is a regular file of ours; else to
 * telemetry.json.corrupt.XXXXXX: nothing is ever deleted), applies the
 * changes, checks that its reader takes the new text and that it keeps
 * the identity (else writes nothing: EINVAL), writes a temporary file
 * in the same directory (mkstemp: 0600, never through a symbolic link),
 * fsyncs it, renames it over the file and fsyncs the directory.
 * Directories it creates are 0700.  So a hundred processes racing to
 * create an identity create exactly one.
 *
 * The file holds the salt: st->text is wiped when the store is closed.
 */
#ifndef XT_STORE_H
#define XT_STORE_H

#include <stddef.h>

#include "json.h"
#include "buf.h"

#define STORE_KEY_ID		"telemetry.anonymousId"
#define STORE_KEY_SALT		"telemetry.salt"
#define STORE_KEY_NOTIFIED	"telemetry.notifiedAt"
#define STORE_KEY_ENABLED	"telemetry.enabled"
#define STORE_KEY_ENDPOINT	"telemetry.endpoint"
#define STORE_KEY_FORMAT	"telemetry.format"
#define STORE_KEY_HEADERS	"telemetry.headers"

#define STORE_MAX		(64 * 1024)	/* bytes of config file */
#define STORE_PATH_MAX		4096
#define STORE_LOCK_WAIT_MS	10000

enum store_state {
	STORE_NOWHERE,		/* no location (why says why) */
	STORE_MISSING,		/* located; no file there */
	STORE_OK,		/* read and parsed: doc is usable */
	STORE_CORRUPT,		/* ours, but unusable (why says why) */
	STORE_REFUSED		/* not ours to read or write (why says why) */
};

struct store {
	char path[STORE_PATH_MAX];
	enum store_state state;
	int ephemeral;		/* the CI/container location */
	int user;		/* the user's config: trust rules apply */
	int dirflags;		/* trust_dir's flags for its directory */
	char why[320];
	struct buf text;	/* the file's bytes (wiped on close) */
	struct json_doc doc;	/* when STORE_OK: tok[0] is the object */
};

/* Locate the user's config file and read it. */
void store_open(struct store *st);
/* Read the file at path (the system policy file, for one). */
void store_open_path(struct store *st, const char *path);
/*
 * A store over text in memory, read as the user's config file would be
 * (for tests and fuzzing: store_render works on it, store_update must
 * not be called).  path is "(text)".
 */
void store_open_text(struct store *st, const char *text, size_t len);
/* Wipe and free; st can be opened again. */
void store_close(struct store *st);

/*
 * Lookups on a STORE_OK store.  store_get_string copies the decoded
 * string value of key into out and returns 1 when it is a non-empty
 * string that fits (outlen includes the NUL); else returns 0.
 * store_get_bool returns 1 and sets *value when key is true or false,
 * 0 when key is absent, -1 when key is there but not a boolean.
 */
int store_get_string(const struct store *st, const char *key, char *out,
    size_t outlen);
int store_get_bool(const struct store *st, const char *key, int *value);

/*
 * A change: set key to json (the text of one JSON value).  With
 * if_missing, an existing non-empty string value is kept instead: that
 * is how an identity is created once.
 */
struct store_change {
	const char *key;
	const char *json;
	int if_missing;
};

/*
 * store_update: apply n changes under the lock (see above).  On return
 * the store holds the file as written (or as found, if nothing had to
 * change).  Returns 0, or -1 with st->why saying what failed and errno
 * set (EWOULDBLOCK: the lock stayed busy, retrying may work; EPERM: the
 * file or its directory is refused, see Trust; EINVAL: the new text
 * failed the writer's own check, nothing was written).
 */
int store_update(struct store *st, const struct store_change *ch, size_t n);

/*
 * store_render: the text store_update would write for st (as it was
 * read) and these changes, into out, checked as store_update checks it
 * (its reader takes it, the changes and the identity are in it).
 * Returns how many values changed (0: with a STORE_OK store, nothing
 * to write), or -1 with why and errno (EFBIG: over STORE_MAX; EINVAL:
 * the check failed; ENOMEM).
 */
int store_render(struct store *st, const struct store_change *ch, size_t n,
    struct buf *out);

#endif
