/* xt-event: build one event. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/batch.h"
#include "lib/buf.h"
#include "lib/fields.h"
#include "lib/json.h"
#include "lib/util.h"

#define EVENT_MAX	(FIELDS_MAX_BYTES + 1024)

static const char *const synopsis[] = {
	"xt-event [-f file] [-T time] name [key=value | key:=json ...]",
	NULL
};

/*
 * -T: YYYY-MM-DDTHH:MM:SS[.f[f[f]]]Z, the form JavaScript's
 * toISOString() prints, written back with exactly three digits into
 * out (at least 25 bytes) and checked as the collector checks it
 * (batch.h).
 */
static int
parse_time(const char *s, char *out, size_t outlen)
{
	char frac[4] = "000";
	const char *p = s + 19;
	size_t k;

	if (strlen(s) < 20 || outlen < 25)
		return -1;
	if (*p == '.') {
		for (k = 0, p++; k < 3 && *p >= '0' && *p <= '9'; k++, p++)
			frac[k] = *p;
		if (k == 0)
			return -1;
	}
	if (strcmp(p, "Z") != 0)
		return -1;
	snprintf(out, outlen, "%.19s.%sZ", s, frac);
	return batch_time_ok(out, 24) ? 0 : -1;
}

static void
now(char *out, size_t outlen)
{
	struct timespec ts;
	struct tm tm;
	char date[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
	if (snprintf(out, outlen, "%s.%03ldZ", date, ts.tv_nsec / 1000000) >=
	    (int)outlen)
		xt_die(XT_EXIT_FAIL, "the time does not fit");
}

static void
read_fields_file(struct fields *f, const char *path)
{
	char what[300], shown[256], why[300];
	struct buf text;
	int r;

	fields_show(shown, sizeof shown, path, strlen(path));
	if (snprintf(what, sizeof what, "file '%s'", shown) >= (int)sizeof what)
		xt_die(XT_EXIT_USAGE, "file name too long");
	buf_init(&text, FIELDS_MAX_BYTES);
	if (strcmp(path, "-") == 0)
		r = buf_read_fd(&text, STDIN_FILENO);
	else
		r = buf_read_file(&text, path, BUF_STREAM, NULL);
	if (r != 0)
		xt_die(XT_EXIT_USAGE, "%s: %s", what,
		    buf_read_error(&text, why, sizeof why));
	if (fields_add_object(f, text.data, text.len, what) != 0)
		xt_die(XT_EXIT_USAGE, "%s", f->why);
	buf_free(&text);
}

int
main(int argc, char *argv[])
{
	const char *file = NULL, *time_arg = NULL, *name, *problem;
	char stamp[40], shown[256], why[XT_SIZE_WORDS];
	struct fields f;
	struct buf out;
	int c, i;

	xt_init("xt-event");
	while ((c = getopt(argc, argv, "f:hT:V")) != -1) {
		switch (c) {
		case 'f': file = optarg; break;
		case 'h': xt_help(synopsis);
		case 'T': time_arg = optarg; break;
		case 'V': xt_version();
		default: xt_usage(synopsis);
		}
	}
	if (optind >= argc)
		xt_usage(synopsis);
	name = argv[optind++];
	if ((problem = batch_name_problem(name, strlen(name))) != NULL) {
		fields_show(shown, sizeof shown, name, strlen(name));
		xt_die(XT_EXIT_USAGE, "event name '%s': %s", shown, problem);
	}
	if (time_arg == NULL)
		now(stamp, sizeof stamp);
	else if (parse_time(time_arg, stamp, sizeof stamp) != 0) {
		fields_show(shown, sizeof shown, time_arg, strlen(time_arg));
		xt_die(XT_EXIT_USAGE, "time '%s': not YYYY-MM-DDTHH:MM:SS.sssZ",
		    shown);
	}

	fields_init(&f);
	if (file != NULL)
		read_fields_file(&f, file);
	for (i = optind; i < argc; i++)
		if (fields_add_word(&f, argv[i]) != 0)
			xt_die(XT_EXIT_USAGE, "%s", f.why);

	buf_init(&out, EVENT_MAX);
	buf_adds(&out, "{\"eventName\":");
	json_encode_string(&out, name, strlen(name));
	buf_adds(&out, ",\"timestamp\":\"");
	buf_adds(&out, stamp);
	buf_adds(&out, "\",\"fields\":{");
	buf_add(&out, f.members.data, f.members.len);
	buf_adds(&out, "}}");
	if (out.full)
		xt_die(XT_EXIT_USAGE, "the event is over %s",
		    xt_size(why, sizeof why, EVENT_MAX));
	xt_put_line(&out);
	buf_free(&out);
	fields_free(&f);
	xt_exit(XT_EXIT_OK);
}
