/* format: see format.h. */
#include <stdio.h>
#include <string.h>

#include "env.h"
#include "format.h"
#include "rows.h"

int
format_parse(const char *s)
{
	if (strcmp(s, "payload") == 0)
		return FORMAT_PAYLOAD;
	if (strcmp(s, "rows") == 0)
		return FORMAT_ROWS;
	return -1;
}

int
format_choose(const char *flag, const struct store *st, char *why,
    size_t whylen)
{
	char buf[16];
	const char *v;
	int f;

	if (flag != NULL) {
		if ((f = format_parse(flag)) < 0)
			snprintf(why, whylen, "format '%s': payload or rows "
			    "expected", flag);
		return f;
	}
	if ((v = env_get(ENV_FORMAT)) != NULL) {
		if ((f = format_parse(v)) < 0)
			snprintf(why, whylen, "%s='%s': payload or rows "
			    "expected", ENV_FORMAT, v);
		return f;
	}
	if (st->state == STORE_OK &&
	    json_get(&st->doc, JSON_ROOT, STORE_KEY_FORMAT) >= 0) {
		if (!store_get_string(st, STORE_KEY_FORMAT, buf, sizeof buf) ||
		    (f = format_parse(buf)) < 0) {
			snprintf(why, whylen, "%s in %s: \"payload\" or \"rows\" "
			    "expected", STORE_KEY_FORMAT, st->path);
			return -1;
		}
		return f;
	}
	return FORMAT_PAYLOAD;
}

size_t
format_max(enum format f)
{
	return f == FORMAT_ROWS ? ROWS_MAX : PAYLOAD_MAX;
}

int
format_render(struct payload *p, enum format f, struct buf *out)
{
	return f == FORMAT_ROWS ? rows_render(p, out) : payload_render(p, out);
}
