/*
 * libFuzzer target for lib/fields (xt-event's words): the input is a
 * list of NUL-separated words; each is taken or refused with a message,
 * and what is taken always makes a valid JSON object.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fields.h"
#include "lib/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fields f;
	struct json_doc doc;
	struct json_err err;
	struct buf obj;
	char *copy, *word, *end;

	if ((copy = malloc(size + 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	fields_init(&f);
	for (word = copy, end = copy + size; word <= end; word += strlen(word) + 1)
		if (fields_add_word(&f, word) != 0 && f.why[0] == '\0')
			abort();
	buf_init(&obj, 2 * FIELDS_MAX_BYTES);
	buf_addc(&obj, '{');
	buf_add(&obj, f.members.data, f.members.len);
	buf_addc(&obj, '}');
	if (json_parse(&doc, obj.data, obj.len, &err) != 0)
		abort();
	json_free(&doc);
	buf_free(&obj);
	fields_free(&f);
	free(copy);
	return 0;
}
