/*
 * consent: is telemetry on, and who decided (DESIGN.md, "Consent").
 *
 * The first source that speaks wins:
 *   1. DO_NOT_TRACK set to anything but "" or "0": off;
 *   2. <APP>_TELEMETRY_DISABLED set to anything but "", "0" or "false"
 *      (any case): off;
 *   3. the user's config (store.h): telemetry.enabled true or false;
 *   4. the system policy file $XT_SYSCONFDIR/<app>/telemetry.json
 *      (default /etc/<app>/telemetry.json): telemetry.enabled;
 *   5. default: on.
 * A config or policy file that exists but cannot be read or understood
 * (corrupt, unreadable, telemetry.enabled not a boolean) speaks, and
 * says off: a choice we cannot read might have been "no", so we fail
 * closed.  Only writing a new choice (xt-consent enable or disable)
 * replaces it.
 *
 * consent_decide reads the environment and, unless it already decided,
 * the two files; it writes nothing.
 */
#ifndef XT_CONSENT_H
#define XT_CONSENT_H

#include "store.h"

enum consent_source {
	CONSENT_DO_NOT_TRACK,
	CONSENT_APP_ENV,	/* <APP>_TELEMETRY_DISABLED */
	CONSENT_CONFIG,
	CONSENT_POLICY,
	CONSENT_DEFAULT
};

struct consent {
	int on;
	enum consent_source source;
	const char *source_name;	/* "DO_NOT_TRACK", "XT_TELEMETRY_DISABLED", "config", "policy", "default" */
	char why[400];		/* "DO_NOT_TRACK is set", ... */
};

/* Decide from the environment, the user's store (already opened by the
 * caller) and the policy file. */
void consent_decide(struct consent *c, const struct store *user);

/* The policy file's path for this application. 0, or -1 if too long. */
int consent_policy_path(char *out, size_t outlen);

/*
 * For the programs that hold state (xt-id, xt-hash, xt-post, xt-flush):
 * when telemetry is off, say why in debug mode and xt_exit(0), so a
 * pipeline in a build script goes on as if nothing happened.  With
 * drain > 0, stdin is read first (to its end, or past drain bytes: the
 * cap the program has when on), so its writer does not fail.
 */
void consent_or_exit(const struct store *user, size_t drain);

/*
 * The first-run notice (DESIGN.md, "Consent"): when telemetry is on and
 * telemetry.notifiedAt is not set, print the notice on stderr (never
 * stdout; not on CI, where nobody reads it, as xmcp) and, only once it
 * was written whole, record notifiedAt, milliseconds since the epoch as
 * a JSON string.  Returns 1 if it was shown (or recorded, on CI), 0 if
 * not due, -1 if it could not be shown (stderr closed at start, a write
 * error such as 2>/dev/full: then it is not recorded, and shows next
 * time) or not recorded (st->why says which).
 */
int consent_notice(struct store *user);

#endif
