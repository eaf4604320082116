/* xt-event: build one event. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/buf.h"
#include "lib/fields.h"
#include "lib/json.h"
#include "lib/utf8.h"
#include "lib/util.h"

#define NAME_MAX_BYTES	128
#define EVENT_MAX	(FIELDS_MAX_BYTES + 1024)

static const char *const synopsis[] = {
	"xt-event [-f file] [-T time] name [key=value | key:=json ...]",
	NULL
};

/*
 * An event name: 1 to NAME_MAX_BYTES bytes of printable UTF-8 (no C0 or
 * C1 control characters, no DEL).
 */
static const char *
name_problem(const char *name)
{
	static char over[XT_SIZE_WORDS + 8];
	size_t n = strlen(name), i;

	if (n == 0)
		return "empty";
	if (n > NAME_MAX_BYTES) {
		snprintf(over, sizeof over, "over %d bytes", NAME_MAX_BYTES);
		return over;
	}
	if (utf8_check(name, n) < n)
		return "invalid UTF-8";
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c < 0x20 || c == 0x7F ||
		    (c == 0xC2 && (unsigned char)name[i + 1] < 0xA0))
			return "not printable";
	}
	return NULL;
}

static int
digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/*
 * -T: YYYY-MM-DDTHH:MM:SS[.f[f[f]]]Z, the form JavaScript's
 * toISOString() prints, written back with exactly three digits.
 */
static int
parse_time(const char *s, char *out, size_t outlen)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, mo, d, h, mi, sec, ms = 0, k, leap;
	const char *p = s + 19;

	if (strlen(s) < 20 || digits(s, 4, &y) || s[4] != '-' ||
	    digits(s + 5, 2, &mo) || s[7] != '-' || digits(s + 8, 2, &d) ||
	    s[10] != 'T' || digits(s + 11, 2, &h) || s[13] != ':' ||
	    digits(s + 14, 2, &mi) || s[16] != ':' || digits(s + 17, 2, &sec))
		return -1;
	if (*p == '.') {
		for (k = 0, p++; k < 3 && *p >= '0' && *p <= '9'; k++, p++)
			ms = ms * 10 + (*p - '0');
		if (k == 0)
			return -1;
		for (; k < 3; k++)
			ms *= 10;
	}
	if (strcmp(p, "Z") != 0)
		return -1;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (mo < 1 || mo > 12 || d < 1 ||
	    d > mdays[mo - 1] + (mo == 2 && leap) || h > 23 || mi > 59 ||
	    sec > 59)
		return -1;
	k = snprintf(out, outlen, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, mo,
	    d, h, mi, sec, ms);
	return k < 0 || (size_t)k >= outlen ? -1 : 0;
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
	if ((problem = name_problem(name)) != NULL) {
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
