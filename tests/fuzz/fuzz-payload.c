/*
 * libFuzzer target for lib/payload and lib/rows: any input lines either
 * are refused with a message naming a line, or render to one JSON
 * object that the strict reader accepts, with context, meta and events
 * in that order; and as rows, either are refused with a reason, or
 * render to one flat object per event, each accepted by the strict
 * reader, with eventIndex counting from 0 and fields a string.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/payload.h"
#include "lib/rows.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_rows(struct payload *p)
{
	struct json_doc doc;
	struct json_err err;
	struct buf out;
	const char *line, *end, *nl;
	size_t n = 0, len;
	int k;

	buf_init(&out, ROWS_MAX);
	if (rows_render(p, &out) != 0) {
		if (p->why[0] == '\0')
			abort();
		buf_free(&out);
		return;
	}
	for (line = out.data, end = out.data + out.len; ; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (json_parse(&doc, line, (size_t)((nl ? nl : end) - line),
		    &err) != 0 || json_typeof(&doc, JSON_ROOT) != JSON_OBJECT)
			abort();
		if ((k = json_get(&doc, JSON_ROOT, "fields")) < 0 ||
		    json_typeof(&doc, k) != JSON_STRING ||
		    (k = json_get(&doc, JSON_ROOT, "eventIndex")) < 0 ||
		    json_typeof(&doc, k) != JSON_NUMBER ||
		    (size_t)strtoul(json_text(&doc, k, &len), NULL, 10) != n)
			abort();
		json_free(&doc);
		n++;
		if (nl == NULL)
			break;
	}
	if (n != p->nevents)
		abort();
	buf_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct payload p;
	struct json_doc doc;
	struct json_err err;
	struct json_iter it;
	struct buf out;

	payload_init(&p);
	buf_init(&out, 2 * (size_t)PAYLOAD_MAX);
	if (payload_add_lines(&p, (const char *)data, size) != 0) {
		if (strncmp(p.why, "line ", 5) != 0)
			abort();
	} else if (payload_render(&p, &out) == 0) {
		if (json_parse(&doc, out.data, out.len, &err) != 0 ||
		    json_typeof(&doc, JSON_ROOT) != JSON_OBJECT ||
		    json_count(&doc, JSON_ROOT) != 3 ||
		    (json_iter(&it, &doc, JSON_ROOT), !json_next(&it)) ||
		    !json_streq(&doc, it.key, "context") ||
		    json_count(&doc, json_get(&doc, JSON_ROOT, "events")) == 0)
			abort();
		json_free(&doc);
		check_rows(&p);
	}
	payload_free(&p);
	buf_free(&out);
	return 0;
}
