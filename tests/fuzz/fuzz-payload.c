/*
 * libFuzzer target for lib/payload: any input lines either are refused
 * with a message naming a line, or render to one JSON object that the
 * strict reader accepts, with context, meta and events in that order.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/payload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
		if (strncmp(p.err, "line ", 5) != 0)
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
	}
	payload_free(&p);
	buf_free(&out);
	return 0;
}
