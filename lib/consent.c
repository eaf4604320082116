/* consent: see consent.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ci.h"
#include "consent.h"
#include "env.h"

static void
decide(struct consent *c, int on, enum consent_source src, const char *name,
    const char *fmt, ...)
{
	va_list ap;

	c->on = on;
	c->source = src;
	c->source_name = name;
	va_start(ap, fmt);
	vsnprintf(c->why, sizeof c->why, fmt, ap);
	va_end(ap);
}

int
consent_policy_path(char *out, size_t outlen)
{
	const char *dir = env_get(ENV_SYSCONFDIR);
	int n;

	n = snprintf(out, outlen, "%s/%s/telemetry.json",
	    dir != NULL ? dir : "/etc", env_app());
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

/*
 * What a file says: 1 if it decided (c is filled), 0 if it is silent.
 * what is "config" or "policy".
 */
static int
file_says(struct consent *c, const struct store *st, enum consent_source src,
    const char *what)
{
	int v, r;

	switch (st->state) {
	case STORE_NOWHERE:
	case STORE_MISSING:
		return 0;
	case STORE_CORRUPT:
	case STORE_REFUSED:
		decide(c, 0, src, what, "the %s file cannot be used, so no "
		    "choice can be read from it: %s", what, st->why);
		return 1;
	case STORE_OK:
		break;
	}
	r = store_get_bool(st, STORE_KEY_ENABLED, &v);
	if (r == 0)
		return 0;
	if (r < 0)
		decide(c, 0, src, what, "%s in %s is not true or false",
		    STORE_KEY_ENABLED, st->path);
	else if (src == CONSENT_POLICY)
		decide(c, v, src, what, "%s by the system policy %s",
		    v ? "enabled" : "disabled", st->path);
	else
		decide(c, v, src, what, "%s in %s", v ? "enabled" : "disabled",
		    st->path);
	return 1;
}

void
consent_decide(struct consent *c, const struct store *user)
{
	const char *v;
	char path[STORE_PATH_MAX];
	struct store policy;
	int said;

	if ((v = getenv(ENV_DO_NOT_TRACK)) != NULL && v[0] != '\0' &&
	    strcmp(v, "0") != 0) {
		decide(c, 0, CONSENT_DO_NOT_TRACK, ENV_DO_NOT_TRACK,
		    "%s is set", ENV_DO_NOT_TRACK);
		return;
	}
	if (env_truthy(getenv(env_disabled_var()))) {
		decide(c, 0, CONSENT_APP_ENV, env_disabled_var(), "%s is set",
		    env_disabled_var());
		return;
	}
	/* A config that is not the user's own says nothing: whoever
	 * wrote it must not turn telemetry on, nor override the policy.
	 * It still counts as off. */
	if (user->state != STORE_REFUSED &&
	    file_says(c, user, CONSENT_CONFIG, "config"))
		return;
	if (consent_policy_path(path, sizeof path) == 0) {
		store_open_path(&policy, path);
		said = file_says(c, &policy, CONSENT_POLICY, "policy");
		store_close(&policy);
		if (said && (!c->on || user->state != STORE_REFUSED))
			return;
	}
	if (user->state == STORE_REFUSED) {
		decide(c, 0, CONSENT_CONFIG, "config", "the config is not "
		    "yours alone, so it is neither read nor written: %s",
		    user->why);
		return;
	}
	decide(c, 1, CONSENT_DEFAULT, "default",
	    "the default (nothing turned it off)");
}

void
consent_or_exit(const struct store *user, size_t drain)
{
	struct consent c;

	consent_decide(&c, user);
	if (!c.on) {
		if (drain > 0)
			xt_drain_stdin(drain);
		xt_debug("telemetry is off: %s", c.why);
		xt_exit(XT_EXIT_OK);
	}
	xt_debug("telemetry is on: %s", c.why);
}

/* A JSON number's text is zero (0, -0, 0.0, 0e5): falsy in JavaScript. */
static int
is_zero(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && s[i] != 'e' && s[i] != 'E'; i++)
		if (s[i] >= '1' && s[i] <= '9')
			return 0;
	return 1;
}

/* notifiedAt is there and, as JavaScript reads it, true. */
static int
notified(const struct store *st)
{
	const char *text;
	size_t len;
	enum json_type type;
	int k;

	if (st->state != STORE_OK ||
	    (k = json_get(&st->doc, JSON_ROOT, STORE_KEY_NOTIFIED)) < 0)
		return 0;
	type = json_typeof(&st->doc, k);
	text = json_text(&st->doc, k, &len);
	return !(type == JSON_NULL || type == JSON_FALSE ||
	    (type == JSON_STRING && len == 2) ||
	    (type == JSON_NUMBER && is_zero(text, len)));
}

/* Record notifiedAt now, unless another process did.  1 if it was
 * this one, 0 if another, -1 if it cannot be recorded (st->why). */
static int
record_notice(struct store *user)
{
	struct store_change ch;
	struct timespec now;
	char stamp[32], theirs[32];

	clock_gettime(CLOCK_REALTIME, &now);
	snprintf(stamp, sizeof stamp, "\"%lld\"",
	    (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000);
	ch.key = STORE_KEY_NOTIFIED;
	ch.json = stamp;
	ch.if_missing = 1;
	if (store_update(user, &ch, 1) != 0)
		return -1;
	stamp[strlen(stamp) - 1] = '\0';
	return store_get_string(user, STORE_KEY_NOTIFIED, theirs,
	    sizeof theirs) && strcmp(theirs, stamp + 1) == 0;
}

int
consent_notice(struct store *user)
{
	struct consent c;
	struct ci_info ci;
	struct buf text;
	char cmd[APP_MAX + 40];
	const char *url, *app = env_app();
	int r;

	consent_decide(&c, user);
	if (!c.on)
		return 0;
	if (notified(user))
		return 0;
	ci_detect(&ci);
	if (ci.is_ci) {
		/* Under the lock another process may have recorded it
		 * first: then that process counts it, not this one. */
		if ((r = record_notice(user)) == 1)
			xt_debug("notice recorded, not shown: this is CI");
		return r;
	}
	/*
	 * A notice that cannot be recorded would be shown on every run:
	 * first make sure there is a place to record it (an update with
	 * no change writes only a missing file), and read again what is
	 * there now, under the lock.
	 */
	if (store_update(user, NULL, 0) != 0)
		return -1;
	if (notified(user))
		return 0;
	if (strcmp(app, APP_DEFAULT) == 0)
		snprintf(cmd, sizeof cmd, "xt-consent disable");
	else
		snprintf(cmd, sizeof cmd, "XT_APP=%s xt-consent disable", app);
	url = env_get(ENV_NOTICE_URL);
	buf_init(&text, 4096);
	buf_printf(&text,
	    "\n%s collects anonymous usage data: a random install ID, a salted "
	    "hash of the\nproject name, the operating system, CPU and memory, "
	    "and build events.\nNo personal information is collected.\n"
	    "To turn it off: %s, or set DO_NOT_TRACK=1 "
	    "or %s=1.\n", app, cmd, env_disabled_var());
	if (url != NULL)
		buf_printf(&text, "Learn more: %s\n", url);
	buf_addc(&text, '\n');
	/*
	 * Recorded only once it was shown: a notice written to a closed
	 * stderr or a full disk was never seen.  (Two programs starting
	 * at the same instant may then both show it; better twice than
	 * never.)
	 */
	if (xt_stderr_closed() || text.full ||
	    xt_write_all(STDERR_FILENO, text.data, text.len) != 0) {
		snprintf(user->why, sizeof user->why, "the notice could not "
		    "be shown: %s", xt_stderr_closed() ? "stderr is closed" :
		    strerror(errno));
		buf_free(&text);
		return -1;
	}
	buf_free(&text);
	return record_notice(user) < 0 ? -1 : 1;
}
