/* xt-consent: show or change the user's choice about telemetry. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/buf.h"
#include "lib/consent.h"
#include "lib/env.h"
#include "lib/json.h"
#include "lib/spool.h"
#include "lib/store.h"
#include "lib/util.h"

static const char *const synopsis[] = {
	"xt-consent [-j | -q] [status]",
	"xt-consent [-q] enable | disable",
	"xt-consent notice",
	NULL
};

static int jflag, qflag;

static void
status(const struct store *st)
{
	static struct spool_status ss;
	struct consent c;
	struct buf out;

	consent_decide(&c, st);
	if (qflag)
		xt_exit(c.on ? XT_EXIT_OK : XT_EXIT_FAIL);
	spool_status(st, &ss);
	buf_init(&out, 16384);
	if (jflag) {
		buf_printf(&out, "{\"enabled\":%s,\"source\":",
		    c.on ? "true" : "false");
		json_encode_string(&out, c.source_name, strlen(c.source_name));
		buf_adds(&out, ",\"reason\":");
		json_encode_string(&out, c.why, strlen(c.why));
		buf_adds(&out, ",\"app\":");
		json_encode_string(&out, env_app(), strlen(env_app()));
		buf_adds(&out, ",\"config\":");
		if (st->state == STORE_NOWHERE)
			buf_adds(&out, "null");
		else
			json_encode_string(&out, st->path, strlen(st->path));
		buf_adds(&out, ",\"spool\":");
		if (ss.dir[0] == '\0')
			buf_adds(&out, "null");
		else
			json_encode_string(&out, ss.dir, strlen(ss.dir));
		buf_printf(&out, ",\"waiting\":%ld", ss.waiting);
		if (ss.waiting < 0) {
			buf_adds(&out, ",\"spoolError\":");
			json_encode_string(&out, ss.why, strlen(ss.why));
		}
		buf_adds(&out, ",\"lastUpload\":");
		if (ss.last_time[0] == '\0')
			buf_adds(&out, "null");
		else {
			buf_adds(&out, "{\"time\":");
			json_encode_string(&out, ss.last_time, strlen(ss.last_time));
			buf_adds(&out, ",\"result\":");
			json_encode_string(&out, ss.last_result,
			    strlen(ss.last_result));
			buf_addc(&out, '}');
		}
		buf_addc(&out, '}');
	} else {
		buf_printf(&out, "%s: %s\n", c.on ? "on" : "off", c.why);
		if (st->state == STORE_NOWHERE)
			buf_printf(&out, "config: none (%s)\n", st->why);
		else
			buf_printf(&out, "config: %s\n", st->path);
		if (ss.dir[0] == '\0')
			buf_printf(&out, "spool: none (%s)\n", ss.why);
		else if (ss.waiting < 0)
			buf_printf(&out, "spool: %s: unusable: %s\n", ss.dir,
			    ss.why);
		else
			buf_printf(&out, "spool: %s: %ld batch%s waiting\n",
			    ss.dir, ss.waiting, ss.waiting == 1 ? "" : "es");
		if (ss.last_time[0] == '\0')
			buf_adds(&out, "last upload: none");
		else
			buf_printf(&out, "last upload: %s: %s", ss.last_time,
			    ss.last_result);
	}
	xt_put_line(&out);
	buf_free(&out);
}

static void
set_enabled(struct store *st, int on)
{
	struct store_change ch = { STORE_KEY_ENABLED, on ? "true" : "false", 0 };
	struct consent c;

	if (store_update(st, &ch, 1) != 0) {
		int busy = errno == EWOULDBLOCK;

		xt_warnx("cannot record the choice: %s", st->why);
		if (st->state == STORE_REFUSED)
			xt_warnx("it is left as it is, and telemetry counts as "
			    "off while it is there");
		if (!on)
			xt_warnx("to turn telemetry off without a config file, "
			    "set DO_NOT_TRACK=1 or %s=1", env_disabled_var());
		xt_exit(busy ? XT_EXIT_TEMPFAIL : XT_EXIT_FAIL);
	}
	if (qflag)
		return;
	consent_decide(&c, st);
	printf("telemetry %s in %s\n", on ? "enabled" : "disabled", st->path);
	if (c.on != on)
		printf("but it stays %s: %s\n", c.on ? "on" : "off", c.why);
}

int
main(int argc, char *argv[])
{
	const char *cmd = "status";
	struct store st;
	int c;

	xt_init("xt-consent");
	while ((c = getopt(argc, argv, "hjqV")) != -1) {
		switch (c) {
		case 'h': xt_help(synopsis);
		case 'j': jflag = 1; break;
		case 'q': qflag = 1; break;
		case 'V': xt_version();
		default: xt_usage(synopsis);
		}
	}
	if (argc - optind > 1 || (jflag && qflag))
		xt_usage(synopsis);
	if (optind < argc)
		cmd = argv[optind];
	if (strcmp(cmd, "status") != 0 && strcmp(cmd, "enable") != 0 &&
	    strcmp(cmd, "disable") != 0 && strcmp(cmd, "notice") != 0)
		xt_usage(synopsis);
	if (jflag && strcmp(cmd, "status") != 0)
		xt_usage(synopsis);
	if (qflag && strcmp(cmd, "notice") == 0)
		xt_usage(synopsis);

	store_open(&st);
	if (strcmp(cmd, "status") == 0)
		status(&st);
	else if (strcmp(cmd, "notice") == 0) {
		if (consent_notice(&st) < 0)
			xt_debug("the notice cannot be recorded, so it is not "
			    "shown: %s", st.why);
	} else
		set_enabled(&st, strcmp(cmd, "enable") == 0);
	store_close(&st);
	xt_exit(XT_EXIT_OK);
}
