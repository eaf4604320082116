/*
 * t-consent: lib/consent through consent.h: the order in which the
 * sources speak, what each says and how it is named, and the first-run
 * notice: shown once on stderr, recorded, never shown on CI or when off.
 *
 * env_init reads XT_APP once per process, so the checks of another
 * application's name run first, in a child forked before anything here
 * has asked for the name; the child counts its checks for us.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/consent.h"
#include "lib/env.h"
#include "lib/store.h"
#include "fixture.h"
#include "unit.h"

static const char *
source_name(enum consent_source s)
{
	switch (s) {
	case CONSENT_DO_NOT_TRACK: return "CONSENT_DO_NOT_TRACK";
	case CONSENT_APP_ENV: return "CONSENT_APP_ENV";
	case CONSENT_CONFIG: return "CONSENT_CONFIG";
	case CONSENT_POLICY: return "CONSENT_POLICY";
	case CONSENT_DEFAULT: return "CONSENT_DEFAULT";
	}
	return "?";
}

/*
 * Decide with the user's store as store_open finds it; check on, the
 * source, its name and the reason (reason NULL: not checked; a reason
 * ending in '*' is a prefix).
 */
static void
decides(const char *what, int on, enum consent_source src, const char *name,
    const char *reason)
{
	struct store st;
	struct consent c;
	size_t n;

	store_open(&st);
	memset(&c, 0, sizeof c);
	c.on = -1;
	consent_decide(&c, &st);
	ok(c.on == on, "%s: %s", what, on ? "on" : "off");
	is_str(source_name(c.source), source_name(src), "%s: source", what);
	is_str(c.source_name, name, "%s: source_name", what);
	if (reason != NULL) {
		n = strlen(reason);
		if (n > 0 && reason[n - 1] == '*') {
			if (!ok(strncmp(c.why, reason, n - 1) == 0,
			    "%s: reason", what))
				printf("#   got:  '%s'\n#   want: '%s'\n",
				    c.why, reason);
		} else
			is_str(c.why, reason, "%s: reason", what);
	}
	store_close(&st);
}

#define DEFAULT_REASON "the default (nothing turned it off)"

/* consent_notice with stderr in a file; what it printed goes to out. */
static int
notice(struct store *st, char *out, size_t outlen)
{
	const char *text;
	int fd, saved, r;

	fflush(stderr);
	if ((fd = open(fx_path("stderr"), O_RDWR | O_CREAT | O_TRUNC, 0600)) < 0 ||
	    (saved = dup(2)) < 0 || dup2(fd, 2) != 2)
		fx_bail("stderr");
	r = consent_notice(st);
	fflush(stderr);
	if (dup2(saved, 2) != 2)
		fx_bail("dup2");
	close(saved);
	close(fd);
	text = fx_read(fx_path("stderr"));
	snprintf(out, outlen, "%s", text != NULL ? text : "(unreadable)");
	return r;
}

/* Open the user's store and run consent_notice on it. */
static int
notice_fresh(char *out, size_t outlen)
{
	struct store st;
	int r;

	store_open(&st);
	r = notice(&st, out, outlen);
	store_close(&st);
	return r;
}

/* The checks that run with XT_APP=my-tool (in the child). */
static void
other_app(void)
{
	char path[STORE_PATH_MAX], out[2048];
	struct store st;

	is_str(env_app(), "my-tool", "XT_APP=my-tool: the app's name");
	is_str(env_disabled_var(), "MY_TOOL_TELEMETRY_DISABLED",
	    "XT_APP=my-tool: MY_TOOL_TELEMETRY_DISABLED");
	setenv("MY_TOOL_TELEMETRY_DISABLED", "1", 1);
	decides("XT_APP=my-tool, MY_TOOL_TELEMETRY_DISABLED=1", 0,
	    CONSENT_APP_ENV, "MY_TOOL_TELEMETRY_DISABLED",
	    "MY_TOOL_TELEMETRY_DISABLED is set");
	unsetenv("MY_TOOL_TELEMETRY_DISABLED");
	setenv("XT_TELEMETRY_DISABLED", "1", 1);
	decides("XT_APP=my-tool, XT_TELEMETRY_DISABLED=1 is another app's",
	    1, CONSENT_DEFAULT, "default", DEFAULT_REASON);
	unsetenv("XT_TELEMETRY_DISABLED");

	ok(consent_policy_path(path, sizeof path) == 0,
	    "XT_APP=my-tool: the policy path");
	is_str(path, fx_path("etc/my-tool/telemetry.json"),
	    "... is XT_SYSCONFDIR/my-tool/telemetry.json");
	if (fx_mkdirs(fx_path("etc/xt")) != 0 ||
	    fx_write(fx_path("etc/xt/telemetry.json"),
	    "{\"telemetry.enabled\": false}") != 0)
		fx_bail("policy");
	decides("XT_APP=my-tool: xt's policy does not apply", 1,
	    CONSENT_DEFAULT, "default", DEFAULT_REASON);
	if (fx_mkdirs(fx_path("etc/my-tool")) != 0 ||
	    fx_write(path, "{\"telemetry.enabled\": false}") != 0)
		fx_bail("policy");
	decides("XT_APP=my-tool: its own policy does", 0, CONSENT_POLICY,
	    "policy", NULL);
	if (fx_rmrf(fx_path("etc/my-tool")) != 0 ||
	    fx_rmrf(fx_path("etc/xt")) != 0)
		fx_bail("rm");

	store_open(&st);
	is_str(st.path, fx_path("xdg/my-tool/telemetry.json"),
	    "XT_APP=my-tool: the config is XDG_CONFIG_HOME/my-tool/...");
	ok(notice(&st, out, sizeof out) == 1, "XT_APP=my-tool: the notice");
	ok(strncmp(out, "\nmy-tool collects anonymous usage data", 38) == 0,
	    "... names the app");
	ok(strstr(out, "To turn it off: XT_APP=my-tool xt-consent disable, "
	    "or set DO_NOT_TRACK=1 or MY_TOOL_TELEMETRY_DISABLED=1.") != NULL,
	    "... and its ways to turn it off");
	store_close(&st);
	ok(fx_exists(fx_path("xdg/my-tool/telemetry.json")),
	    "... and is recorded in my-tool's config");
}

static void
test_other_app(void)
{
	int p[2], counts[2], status, got;
	pid_t pid;

	fflush(stdout);
	if (pipe(p) != 0)
		fx_bail("pipe");
	if ((pid = fork()) == 0) {
		close(p[0]);
		setenv("XT_APP", "my-tool", 1);
		other_app();
		counts[0] = unit_run;
		counts[1] = unit_failed;
		_exit(write(p[1], counts, sizeof counts) == sizeof counts ? 0 : 1);
	}
	close(p[1]);
	got = pid > 0 && read(p[0], counts, sizeof counts) == sizeof counts;
	close(p[0]);
	if (got) {
		unit_run = counts[0];
		unit_failed = counts[1];
	}
	ok(got && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0, "the XT_APP=my-tool checks ran to the end");
	ok(!fx_exists(fx_path("xdg/xt")), "... and left xt's config alone");
	fx_rmrf(fx_path("xdg/my-tool"));
}

static void
test_environment(void)
{
	static const char *const dnt_off[] = { "1", "false", "yes", "true" };
	static const char *const app_on[] = { "", "0", "false", "FALSE", "False" };
	static const char *const app_off[] = { "true", "1", "yes", "no" };
	size_t i;

	decides("nothing set", 1, CONSENT_DEFAULT, "default", DEFAULT_REASON);
	setenv("DO_NOT_TRACK", "", 1);
	decides("DO_NOT_TRACK=''", 1, CONSENT_DEFAULT, "default", DEFAULT_REASON);
	setenv("DO_NOT_TRACK", "0", 1);
	decides("DO_NOT_TRACK=0", 1, CONSENT_DEFAULT, "default", DEFAULT_REASON);
	for (i = 0; i < sizeof dnt_off / sizeof dnt_off[0]; i++) {
		setenv("DO_NOT_TRACK", dnt_off[i], 1);
		decides(dnt_off[i], 0, CONSENT_DO_NOT_TRACK, "DO_NOT_TRACK",
		    "DO_NOT_TRACK is set");
	}
	unsetenv("DO_NOT_TRACK");

	for (i = 0; i < sizeof app_on / sizeof app_on[0]; i++) {
		setenv("XT_TELEMETRY_DISABLED", app_on[i], 1);
		decides(app_on[i], 1, CONSENT_DEFAULT, "default", DEFAULT_REASON);
	}
	for (i = 0; i < sizeof app_off / sizeof app_off[0]; i++) {
		setenv("XT_TELEMETRY_DISABLED", app_off[i], 1);
		decides(app_off[i], 0, CONSENT_APP_ENV, "XT_TELEMETRY_DISABLED",
		    "XT_TELEMETRY_DISABLED is set");
	}
	setenv("DO_NOT_TRACK", "1", 1);
	decides("DO_NOT_TRACK=1 and XT_TELEMETRY_DISABLED=no: DO_NOT_TRACK "
	    "comes first", 0, CONSENT_DO_NOT_TRACK, "DO_NOT_TRACK", NULL);
	setenv("DO_NOT_TRACK", "0", 1);
	decides("DO_NOT_TRACK=0 and XT_TELEMETRY_DISABLED=no", 0,
	    CONSENT_APP_ENV, "XT_TELEMETRY_DISABLED", NULL);
	unsetenv("DO_NOT_TRACK");
	unsetenv("XT_TELEMETRY_DISABLED");
	ok(!fx_exists(fx_path("xdg/xt")), "deciding writes nothing");
}

/* The user's config file holds text. */
static void
policy(const char *text)
{
	if (fx_mkdirs(fx_path("etc/xt")) != 0 ||
	    fx_write(fx_path("etc/xt/telemetry.json"), text) != 0)
		fx_bail("policy");
}

static void
test_files(void)
{
	char reason[STORE_PATH_MAX + 100], path[STORE_PATH_MAX];
	const char *cfg = fx_path("xdg/xt/telemetry.json");
	const char *pol = fx_path("etc/xt/telemetry.json");
	char *longdir;

	fx_config("{\"telemetry.enabled\": true}");
	snprintf(reason, sizeof reason, "enabled in %s", cfg);
	decides("config true", 1, CONSENT_CONFIG, "config", reason);
	fx_config("{\"telemetry.enabled\": false}");
	snprintf(reason, sizeof reason, "disabled in %s", cfg);
	decides("config false", 0, CONSENT_CONFIG, "config", reason);
	snprintf(reason, sizeof reason, "telemetry.enabled in %s is not true "
	    "or false", cfg);
	fx_config("{\"telemetry.enabled\": \"false\"}");
	decides("config \"false\" (a string)", 0, CONSENT_CONFIG, "config",
	    reason);
	fx_config("{\"telemetry.enabled\": null}");
	decides("config null", 0, CONSENT_CONFIG, "config", reason);
	fx_config("{\"telemetry.enabled\": 1}");
	decides("config 1", 0, CONSENT_CONFIG, "config", reason);
	snprintf(reason, sizeof reason, "the config file cannot be used, so no "
	    "choice can be read from it: %s is not JSON*", cfg);
	fx_config("{\"telemetry.enabled\": tru");
	decides("a corrupt config", 0, CONSENT_CONFIG, "config", reason);
	ok(!fx_exists(fx_path("xdg/xt/telemetry.json.corrupt")) &&
	    strcmp(fx_read(cfg), "{\"telemetry.enabled\": tru") == 0,
	    "... left as it is");
	fx_config("{\"telemetry.anonymousId\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}");
	decides("a config without telemetry.enabled is silent", 1,
	    CONSENT_DEFAULT, "default", DEFAULT_REASON);

	policy("{\"telemetry.enabled\": false}");
	snprintf(reason, sizeof reason, "disabled by the system policy %s", pol);
	decides("policy false", 0, CONSENT_POLICY, "policy", reason);
	fx_config("{\"telemetry.enabled\": true}");
	decides("config true and policy false: the config wins", 1,
	    CONSENT_CONFIG, "config", NULL);
	setenv("XT_TELEMETRY_DISABLED", "1", 1);
	decides("config true and XT_TELEMETRY_DISABLED=1: the environment "
	    "wins", 0, CONSENT_APP_ENV, "XT_TELEMETRY_DISABLED", NULL);
	unsetenv("XT_TELEMETRY_DISABLED");
	fx_config("{}");
	policy("{\"telemetry.enabled\": true}");
	snprintf(reason, sizeof reason, "enabled by the system policy %s", pol);
	decides("policy true", 1, CONSENT_POLICY, "policy", reason);
	policy("{\"telemetry.enabled\": \"yes\"}");
	snprintf(reason, sizeof reason, "telemetry.enabled in %s is not true "
	    "or false", pol);
	decides("policy \"yes\"", 0, CONSENT_POLICY, "policy", reason);
	policy("[false]");
	snprintf(reason, sizeof reason, "the policy file cannot be used, so no "
	    "choice can be read from it: %s is not a JSON object", pol);
	decides("a corrupt policy", 0, CONSENT_POLICY, "policy", reason);
	if (fx_rmrf(pol) != 0 || mkdir(pol, 0700) != 0)
		fx_bail("policy dir");
	decides("a directory for the policy", 0, CONSENT_POLICY, "policy",
	    "the policy file cannot be used*");
	if (fx_rmrf(pol) != 0)
		fx_bail("rm");
	policy("{\"telemetry.enabled\": false}");

	/* No place for the config at all: the policy still speaks. */
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("HOME");
	decides("no HOME, policy false", 0, CONSENT_POLICY, "policy", NULL);
	setenv("HOME", fx_path("home"), 1);
	setenv("XDG_CONFIG_HOME", fx_path("xdg"), 1);

	unsetenv("XT_SYSCONFDIR");
	ok(consent_policy_path(path, sizeof path) == 0 &&
	    strcmp(path, "/etc/xt/telemetry.json") == 0,
	    "no XT_SYSCONFDIR: /etc/xt/telemetry.json");
	ok(consent_policy_path(path, 10) == -1, "a path that does not fit: -1");
	longdir = malloc(STORE_PATH_MAX + 1);
	memset(longdir, 'd', STORE_PATH_MAX);
	longdir[0] = '/';
	longdir[STORE_PATH_MAX] = '\0';
	setenv("XT_SYSCONFDIR", longdir, 1);
	free(longdir);
	decides("a policy path too long to look at: the default", 1,
	    CONSENT_DEFAULT, "default", DEFAULT_REASON);
	setenv("XT_SYSCONFDIR", fx_path("etc"), 1);

	if (fx_rmrf(fx_path("etc/xt")) != 0 || fx_rmrf(fx_path("xdg/xt")) != 0)
		fx_bail("rm");
}

static long long
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

#define NOTICE_XT "\nxt collects anonymous usage data: a random install ID, " \
	"a salted hash of the\nproject name, the operating system, CPU and " \
	"memory, and build events.\nNo personal information is collected.\n" \
	"To turn it off: xt-consent disable, or set DO_NOT_TRACK=1 or " \
	"XT_TELEMETRY_DISABLED=1.\n"

static void
test_notice(void)
{
	const char *cfg = fx_path("xdg/xt/telemetry.json");
	char out[2048], stamp[64];
	long long t0, t1, at;
	struct store st;
	int v;

	t0 = now_ms();
	store_open(&st);
	ok(notice(&st, out, sizeof out) == 1, "the first time: the notice, 1");
	t1 = now_ms();
	is_str(out, NOTICE_XT "\n", "... on stderr, this text");
	ok(store_get_string(&st, STORE_KEY_NOTIFIED, stamp, sizeof stamp) == 1,
	    "... the store holds telemetry.notifiedAt");
	ok(strlen(stamp) == 13 && strspn(stamp, "0123456789") == 13,
	    "... a string of 13 digits: '%s'", stamp);
	at = atoll(stamp);
	ok(at >= t0 && at <= t1, "... milliseconds since the epoch, now");
	ok(notice(&st, out, sizeof out) == 0 && out[0] == '\0',
	    "a second time, same store: 0, nothing printed");
	store_close(&st);
	ok(notice_fresh(out, sizeof out) == 0 && out[0] == '\0',
	    "a second time, read again: 0, nothing printed");
	ok(strstr(fx_read(cfg), stamp) != NULL, "the file holds the stamp");

	fx_config("{\"telemetry.notifiedAt\": \"\", \"telemetry.enabled\": true, "
	    "\"other\": [1]}");
	setenv("XT_NOTICE_URL", "https://example.invalid/telemetry", 1);
	ok(notice_fresh(out, sizeof out) == 1, "notifiedAt \"\" is not set: 1");
	is_str(out, NOTICE_XT "Learn more: https://example.invalid/telemetry\n\n",
	    "... with XT_NOTICE_URL, the notice says where to learn more");
	store_open(&st);
	ok(store_get_string(&st, STORE_KEY_NOTIFIED, stamp, sizeof stamp) == 1 &&
	    strlen(stamp) == 13 && store_get_bool(&st, STORE_KEY_ENABLED, &v) == 1
	    && v == 1 && json_get(&st.doc, 0, "other") >= 0,
	    "... recorded, the other keys kept");
	store_close(&st);
	unsetenv("XT_NOTICE_URL");
	fx_config("{\"telemetry.notifiedAt\": null}");
	ok(notice_fresh(out, sizeof out) == 1 && strcmp(out, NOTICE_XT "\n") == 0,
	    "notifiedAt null is not set either: shown");
	fx_config("{\"telemetry.notifiedAt\": false}");
	ok(notice_fresh(out, sizeof out) == 1, "... nor false");
	fx_config("{\"telemetry.notifiedAt\": 0}");
	ok(notice_fresh(out, sizeof out) == 1, "... nor 0, falsy as in xmcp");
	fx_config("{\"telemetry.notifiedAt\": -0.0e3}");
	ok(notice_fresh(out, sizeof out) == 1, "... nor -0.0e3");
	fx_config("{\"telemetry.notifiedAt\": 1795878331979}");
	ok(notice_fresh(out, sizeof out) == 0, "a number that is not 0 is set");

	/* Another process records it between our read and our update. */
	if (fx_rmrf(cfg) != 0)
		fx_bail("rm");
	store_open(&st);
	fx_config("{\"telemetry.notifiedAt\": \"1795878331979\"}");
	ok(notice(&st, out, sizeof out) == 0 && out[0] == '\0',
	    "recorded by another process under the lock: 0, not shown");
	ok(store_get_string(&st, STORE_KEY_NOTIFIED, stamp, sizeof stamp) == 1 &&
	    strcmp(stamp, "1795878331979") == 0, "... its stamp is kept");
	store_close(&st);

	/* Off: nothing shown, nothing written. */
	if (fx_rmrf(fx_path("xdg/xt")) != 0)
		fx_bail("rm");
	setenv("DO_NOT_TRACK", "1", 1);
	ok(notice_fresh(out, sizeof out) == 0 && out[0] == '\0',
	    "telemetry off: 0, nothing printed");
	ok(!fx_exists(fx_path("xdg/xt")), "... and nothing written");
	unsetenv("DO_NOT_TRACK");
	fx_config("{\"telemetry.enabled\": false}");
	ok(notice_fresh(out, sizeof out) == 0 && out[0] == '\0' &&
	    strcmp(fx_read(cfg), "{\"telemetry.enabled\": false}") == 0,
	    "off in the config: 0, nothing printed or written");
	fx_config("{\"telemetry.enabled\": fals");
	ok(notice_fresh(out, sizeof out) == 0 && out[0] == '\0' &&
	    !fx_exists(fx_path("xdg/xt/telemetry.json.corrupt")),
	    "a corrupt config: off, so not shown, and not moved aside");

	/* CI: recorded, not shown (in the ephemeral place). */
	setenv("CI", "true", 1);
	store_open(&st);
	ok(notice(&st, out, sizeof out) == 1 && out[0] == '\0',
	    "CI: 1, but nothing printed");
	ok(store_get_string(&st, STORE_KEY_NOTIFIED, stamp, sizeof stamp) == 1 &&
	    strlen(stamp) == 13, "... and recorded");
	ok(strstr(st.path, "/tmp/.xt-cache/") != NULL &&
	    fx_exists(fx_path("tmp/.xt-cache/telemetry.json")),
	    "... in the ephemeral place");
	store_close(&st);
	unsetenv("CI");

	/* Where a directory should be, a file: the config is refused, so
	 * telemetry is off and there is no notice to show. */
	if (fx_write(fx_path("afile"), "") != 0)
		fx_bail("afile");
	setenv("XT_CONFIG", fx_path("afile/telemetry.json"), 1);
	store_open(&st);
	ok(notice(&st, out, sizeof out) == 0, "a refused config: 0 (off)");
	is_str(out, "", "... and not shown");
	ok(st.why[0] != '\0', "... st->why says why: %s", st.why);
	store_close(&st);
	unsetenv("XT_CONFIG");
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("HOME");
	store_open(&st);
	ok(notice(&st, out, sizeof out) == -1 && out[0] == '\0',
	    "no HOME: -1, not shown");
	store_close(&st);
	setenv("HOME", fx_path("home"), 1);
	setenv("XDG_CONFIG_HOME", fx_path("xdg"), 1);
}

int
main(void)
{
	fx_setup("t-consent");
	test_other_app();	/* first: before anything reads XT_APP */
	test_environment();
	test_files();
	test_notice();
	ok(fx_cleanup() == 0, "the temporary directory is removed");
	return done();
}
