/*
 * libFuzzer target for lib/json: whatever the input, json_parse must not
 * crash, and what it accepts must be written out as JSON it accepts
 * again and writes out the same way (the writer is canonical).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_doc doc, again;
	struct json_err err;
	struct buf out, out2;

	if (json_parse(&doc, (const char *)data, size, &err) != 0) {
		if (err.line == 0 || err.byte == 0 || err.msg[0] == '\0')
			abort();	/* every error says where and what */
		return 0;
	}
	buf_init(&out, 8 * (size_t)JSON_MAX_TEXT);
	buf_init(&out2, 8 * (size_t)JSON_MAX_TEXT);
	json_write_value(&out, &doc, 0);
	if (doc.tok[0].type == JSON_OBJECT)
		(void)json_get(&doc, 0, "telemetry.enabled");
	if (json_parse(&again, out.data, out.len, &err) != 0)
		abort();
	json_write_value(&out2, &again, 0);
	if (out.len != out2.len || memcmp(out.data, out2.data, out.len) != 0)
		abort();
	json_free(&again);
	json_free(&doc);
	buf_free(&out);
	buf_free(&out2);
	return 0;
}
