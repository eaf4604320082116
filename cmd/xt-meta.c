/* xt-meta: describe the machine, as xmcp's metadata does. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/buf.h"
#include "lib/ci.h"
#include "lib/fields.h"
#include "lib/json.h"
#include "lib/sysinfo.h"
#include "lib/util.h"

static const char *const synopsis[] = {
	"xt-meta [-k key=value | -k key:=json ...]",
	NULL
};

/* xmcp 1.1.3's keys, in its order. */
static const char *const keys[] = {
	"platform", "systemRelease", "arch", "cpuCores", "cpuModel",
	"cpuSpeed", "memoryTotal", "isDocker", "isWsl", "isCI", "ciName",
	NULL
};

static void
put_string(struct buf *b, const char *key, const char *value)
{
	buf_printf(b, "\"%s\":", key);
	if (value == NULL || value[0] == '\0')
		buf_adds(b, "null");
	else
		json_encode_string(b, value, strlen(value));
	buf_addc(b, ',');
}

int
main(int argc, char *argv[])
{
	struct sysinfo si;
	struct ci_info ci;
	struct fields extra;
	struct buf out;
	int c, i;

	xt_init("xt-meta");
	fields_init(&extra);
	for (i = 0; keys[i] != NULL; i++)
		fields_reserve(&extra, keys[i]);
	while ((c = getopt(argc, argv, "hk:V")) != -1) {
		switch (c) {
		case 'h': xt_help(synopsis);
		case 'k':
			if (fields_add_word(&extra, optarg) != 0)
				xt_die(XT_EXIT_USAGE, "%s", extra.why);
			break;
		case 'V': xt_version();
		default: xt_usage(synopsis);
		}
	}
	if (optind != argc)
		xt_usage(synopsis);

	sysinfo_read(&si);
	ci_detect(&ci);
	buf_init(&out, 2 * FIELDS_MAX_BYTES);
	buf_adds(&out, "{\"meta\":{");
	put_string(&out, "platform", si.platform);
	put_string(&out, "systemRelease", si.release);
	put_string(&out, "arch", si.arch);
	buf_printf(&out, "\"cpuCores\":%ld,", si.cpu_cores);
	put_string(&out, "cpuModel", si.cpu_model);
	buf_printf(&out, "\"cpuSpeed\":%ld,", si.cpu_speed);
	buf_printf(&out, "\"memoryTotal\":%lld,", si.memory_total);
	buf_printf(&out, "\"isDocker\":%s,", si.is_docker ? "true" : "false");
	buf_printf(&out, "\"isWsl\":%s,", si.is_wsl ? "true" : "false");
	buf_printf(&out, "\"isCI\":%s,", ci.is_ci ? "true" : "false");
	buf_adds(&out, "\"ciName\":");
	if (ci.is_ci && ci.name != NULL)
		json_encode_string(&out, ci.name, strlen(ci.name));
	else
		buf_adds(&out, "null");
	if (extra.members.len > 0) {
		buf_addc(&out, ',');
		buf_add(&out, extra.members.data, extra.members.len);
	}
	buf_adds(&out, "}}");
	if (out.full)
		xt_die(XT_EXIT_USAGE, "the description is over %d bytes",
		    2 * FIELDS_MAX_BYTES);
	xt_put_line(&out);
	buf_free(&out);
	fields_free(&extra);
	xt_exit(XT_EXIT_OK);
}
