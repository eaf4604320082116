/*
 * render.h: for the unit tests of payload.c and rows.c.  rendered(f,
 * text): payload fragments (text, lines as xt-post reads them) in
 * format f (format.h), or "ERR: " and the payload's why; a static
 * string that the next call overwrites.
 */
#ifndef XT_RENDER_H
#define XT_RENDER_H

#include <stdio.h>
#include <string.h>

#include "lib/format.h"

static const char *
rendered(enum format f, const char *text)
{
	static char result[16384];
	struct payload p;
	struct buf out;

	payload_init(&p);
	buf_init(&out, format_max(f));
	if (payload_add_lines(&p, text, strlen(text)) != 0 ||
	    format_render(&p, f, &out) != 0)
		snprintf(result, sizeof result, "ERR: %s", p.why);
	else
		snprintf(result, sizeof result, "%s", out.data);
	buf_free(&out);
	payload_free(&p);
	return result;
}

#endif
