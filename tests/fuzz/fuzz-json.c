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
	struct buf out, out2, key;
	struct json_iter it;

	if (json_parse(&doc, (const char *)data, size, &err) != 0) {
		if (err.line == 0 || err.byte == 0 || err.why[0] == '\0')
			abort();	/* every error says where and what */
		return 0;
	}
	buf_init(&out, 8 * (size_t)JSON_MAX_TEXT);
	buf_init(&out2, 8 * (size_t)JSON_MAX_TEXT);
	json_encode_value(&out, &doc, JSON_ROOT);
	/* Every member the iterator shows is found by its key, at it or
	 * at a later duplicate. */
	json_iter(&it, &doc, JSON_ROOT);
	buf_init(&key, JSON_MAX_TEXT);
	while (json_next(&it)) {
		if (it.key < 0)
			continue;
		buf_reset(&key);
		json_decode_string(&doc, it.key, &key);
		if (memchr(key.data, '\0', key.len) == NULL &&
		    json_get(&doc, JSON_ROOT, key.data) < it.value)
			abort();
	}
	buf_free(&key);
	if (json_parse(&again, out.data, out.len, &err) != 0)
		abort();
	json_encode_value(&out2, &again, JSON_ROOT);
	if (out.len != out2.len || memcmp(out.data, out2.data, out.len) != 0)
		abort();
	json_free(&again);
	json_free(&doc);
	buf_free(&out);
	buf_free(&out2);
	return 0;
}
