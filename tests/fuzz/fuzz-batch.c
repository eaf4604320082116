/*
 * libFuzzer target for lib/batch: any input is either refused with a
 * one-line reason, or taken apart into 1 to 1000 events whose names,
 * timestamps and ids keep batch.h's rules and whose fields are JSON
 * the strict reader accepts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/batch.h"
#include "lib/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct batch b;
	struct json_err err;
	size_t i;

	if (batch_parse(&b, (const char *)data, size) != 0) {
		if (b.why[0] == '\0' || strchr(b.why, '\n') != NULL)
			abort();
	} else {
		if (b.nevents < 1 || b.nevents > BATCH_MAX_EVENTS ||
		    strlen(b.anonymous_id) != 64 || strlen(b.session_id) != 64)
			abort();
		for (i = 0; i < b.nevents; i++) {
			const struct batch_event *e = &b.event[i];
			if (batch_name_problem(batch_bytes(&b, &e->name),
			    e->name.len) != NULL ||
			    !batch_time_ok(e->timestamp, strlen(e->timestamp)) ||
			    json_check_value(batch_bytes(&b, &e->fields),
			    e->fields.len, &err) != 0)
				abort();
		}
	}
	batch_free(&b);
	return 0;
}
