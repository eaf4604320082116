/*
 * t-rows: lib/rows through rows.h: one flat object per event, in the
 * documented key order, fields as a JSON string with numbers as
 * written, the event's position; every refusal; each row read back by
 * the strict reader; nothing leaks after a failure (LeakSanitizer under
 * make check).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/rows.h"
#include "render.h"
#include "unit.h"

/* text (payload fragments) as the rows, or "ERR: why" */
#define rows(text) rendered(FORMAT_ROWS, (text))

#define CTX "{\"context\":{\"sessionId\":\"s\",\"anonymousId\":\"a\"," \
	"\"projectHash\":\"h\"}}\n"
#define TS "\"timestamp\":\"2026-11-24T17:21:00.001Z\""

static void
test_shape(void)
{
	is_str(rows(CTX "{\"meta\":{\"platform\":\"linux\",\"cpuCores\":2,"
	    "\"isCI\":false,\"ciName\":null}}\n"
	    "{\"eventName\":\"build:completed\"," TS ",\"fields\":"
	    "{\"success\":true,\"big\":18446744073709551617,\"e\":1e400}}\n"
	    "{\"eventName\":\"b\",\"timestamp\":\"2026-11-24T17:21:00.999Z\"}"),
	    "{\"anonymousId\":\"a\",\"projectHash\":\"h\",\"sessionId\":\"s\","
	    "\"platform\":\"linux\",\"cpuCores\":2,\"isCI\":false,"
	    "\"ciName\":null,\"eventIndex\":0,\"eventName\":\"build:completed\","
	    TS ",\"fields\":\"{\\\"success\\\":true,\\\"big\\\":"
	    "18446744073709551617,\\\"e\\\":1e400}\"}\n"
	    "{\"anonymousId\":\"a\",\"projectHash\":\"h\",\"sessionId\":\"s\","
	    "\"platform\":\"linux\",\"cpuCores\":2,\"isCI\":false,"
	    "\"ciName\":null,\"eventIndex\":1,\"eventName\":\"b\","
	    "\"timestamp\":\"2026-11-24T17:21:00.999Z\",\"fields\":\"{}\"}",
	    "context in xmcp's order, meta, position, event; fields a string "
	    "with numbers as written, {} when absent; no newline at the end");
	is_str(rows("{\"context\":{\"sessionId\":\"s\",\"x\":1}}\n"
	    "{\"events\":[{\"eventName\":\"a\"," TS ",\"fields\":{\"u\":"
	    "\"\\u00e9\\u20ac\\ud83d\\ude00\",\"q\":\"\\\"\\\\\\n\","
	    "\"o\":{\"p\":[1, {\"r\":null}]}}}]}"),
	    "{\"sessionId\":\"s\",\"x\":1,\"eventIndex\":0,\"eventName\":\"a\","
	    TS ",\"fields\":\"{\\\"u\\\":\\\"\xc3\xa9\xe2\x82\xac"
	    "\xf0\x9f\x98\x80\\\",\\\"q\\\":\\\"\\\\\\\"\\\\\\\\\\\\n\\\","
	    "\\\"o\\\":{\\\"p\\\":[1,{\\\"r\\\":null}]}}\"}",
	    "Unicode as UTF-8, escapes escaped twice, nested objects compact; "
	    "other context keys after xmcp's");
}

/* Every row of a big batch reads back as one flat object. */
static void
test_read_back(void)
{
	struct payload p;
	struct buf in, out;
	struct json_doc doc;
	struct json_err err;
	const char *line, *nl, *idx;
	size_t idxlen;
	int i, n = 0, good = 1;

	buf_init(&in, 1 << 20);
	buf_adds(&in, CTX "{\"meta\":{\"platform\":\"linux\"}}\n");
	for (i = 0; i < 1000; i++)
		buf_printf(&in, "{\"eventName\":\"e%d\"," TS ",\"fields\":"
		    "{\"i\":%d,\"s\":\"\\u0000\\t\"}}\n", i, i);
	payload_init(&p);
	buf_init(&out, ROWS_MAX);
	ok(payload_add_lines(&p, in.data, in.len) == 0 &&
	    rows_render(&p, &out) == 0, "1000 events render");
	for (line = out.data; good && line != NULL; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (json_parse(&doc, line, nl ? (size_t)(nl - line) :
		    strlen(line), &err) != 0) {
			good = 0;
			break;
		}
		good = json_typeof(&doc, JSON_ROOT) == JSON_OBJECT &&
		    json_typeof(&doc, json_get(&doc, JSON_ROOT, "fields")) ==
		    JSON_STRING &&
		    (idx = json_text(&doc, json_get(&doc, JSON_ROOT,
		    "eventIndex"), &idxlen)) != NULL &&
		    strtol(idx, NULL, 10) == n &&
		    idxlen == (size_t)(n < 10 ? 1 : n < 100 ? 2 : 3);
		json_free(&doc);
		n++;
	}
	ok(good && n == 1000, "... as 1000 rows the strict reader accepts "
	    "(%d read)", n);
	buf_free(&out);
	buf_free(&in);
	payload_free(&p);
}

static void
test_refusals(void)
{
	static const struct {
		const char *text, *err;
	} bad[] = {
		{ "{\"eventName\":\"a\"," TS "}",
		    "ERR: no sessionId (a non-empty string in the context, as "
		    "xt-id prints): rows need it to tell a resent batch" },
		{ "{\"context\":{\"sessionId\":\"\"}}\n{\"eventName\":\"a\","
		    TS "}", "ERR: no sessionId (a non-empty string in the "
		    "context, as xt-id prints): rows need it to tell a resent "
		    "batch" },
		{ "{\"context\":{\"sessionId\":7}}\n{\"eventName\":\"a\","
		    TS "}", "ERR: no sessionId (a non-empty string in the "
		    "context, as xt-id prints): rows need it to tell a resent "
		    "batch" },
		{ CTX "{\"meta\":{\"sessionId\":\"x\"}}\n{\"eventName\":\"a\","
		    TS "}", "ERR: meta key \"sessionId\" is also a context "
		    "key: a row has one of each" },
		{ CTX "{\"meta\":{\"eventName\":\"x\"}}\n{\"eventName\":\"a\","
		    TS "}", "ERR: meta key \"eventName\" is a column of the "
		    "row itself" },
		{ "{\"context\":{\"sessionId\":\"s\",\"fields\":1}}\n"
		    "{\"eventName\":\"a\"," TS "}", "ERR: context key "
		    "\"fields\" is a column of the row itself" },
		{ CTX "{\"meta\":{\"eventIndex\":1}}\n{\"eventName\":\"a\","
		    TS "}", "ERR: meta key \"eventIndex\" is a column of the "
		    "row itself" },
		{ CTX "{\"eventName\":\"a\"," TS "}\n{\"eventName\":\"b\"}",
		    "ERR: event 2: no timestamp" },
		{ CTX "{\"eventName\":\"a\"," TS ",\"x\":1}",
		    "ERR: event 1: a key other than eventName, timestamp and "
		    "fields: rows carry only those" },
		{ CTX "{\"eventName\":\"a\"," TS ",\"fields\":[1]}",
		    "ERR: event 1: fields is not an object" },
		{ CTX "{\"eventName\":\"a\"," TS ",\"fields\":null}",
		    "ERR: event 1: fields is not an object" },
		{ CTX "{\"eventName\":\"a\",\"timestamp\":1795878331979}",
		    "ERR: event 1: timestamp is not YYYY-MM-DDTHH:MM:SS.sssZ in "
		    "UTC, 1970 to 2105" },
		{ CTX "{\"eventName\":\"a\",\"timestamp\":"
		    "\"2026-11-24T17:21:00Z\"}", "ERR: event 1: timestamp is "
		    "not YYYY-MM-DDTHH:MM:SS.sssZ in UTC, 1970 to 2105" },
		{ CTX, "ERR: no events" },
	};
	static const char *const times[] = {
		"2026-11-24T17:21:00.001Z", "1970-01-01T00:00:00.000Z",
		"2105-12-31T23:59:59.999Z", "2024-02-29T12:00:00.000Z",
		"2000-02-29T12:00:00.000Z",
	};
	static const char *const bad_times[] = {
		"2026-11-24T17:21:00.001", "2026-11-24 17:21:00.001Z",
		"2026-11-24T17:21:00.01Z", "2026-11-24T17:21:00.0010Z",
		"2026-11-24T17:21:00Z", "1969-12-31T23:59:59.999Z",
		"2106-01-01T00:00:00.000Z", "2026-13-01T00:00:00.000Z",
		"2026-00-01T00:00:00.000Z", "2026-02-29T00:00:00.000Z",
		"1900-02-29T00:00:00.000Z", "2026-04-31T00:00:00.000Z",
		"2026-11-00T00:00:00.000Z", "2026-11-24T24:00:00.000Z",
		"2026-11-24T23:60:00.000Z", "2026-11-24T23:59:60.000Z",
		"2026-11-24T17:21:00.001+00:00", "+026-11-24T17:21:00.001Z",
		"2026-11-24t17:21:00.001Z", "2026-11-24T17:21:00.001z", "",
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		is_str(rows(bad[i].text), bad[i].err, "refused: %s",
		    bad[i].err + 5);
	for (i = 0; i < sizeof times / sizeof times[0]; i++)
		ok(rows_timestamp_ok(times[i], strlen(times[i])),
		    "timestamp %s", times[i]);
	for (i = 0; i < sizeof bad_times / sizeof bad_times[0]; i++)
		ok(!rows_timestamp_ok(bad_times[i], strlen(bad_times[i])),
		    "not a timestamp: '%s'", bad_times[i]);
}

/* Rows larger than the caller's buffer: refused, nothing half-done. */
static void
test_limit(void)
{
	struct payload p;
	struct buf out;
	const char *in = CTX "{\"eventName\":\"a\"," TS "}";

	payload_init(&p);
	buf_init(&out, 64);
	ok(payload_add_lines(&p, in, strlen(in)) == 0 &&
	    rows_render(&p, &out) == -1, "rows over the buffer's max fail");
	is_str(p.why, "the rows are over 64 bytes", "... and say so");
	buf_free(&out);
	payload_free(&p);
}

int
main(void)
{
	test_shape();
	test_read_back();
	test_refusals();
	test_limit();
	return done();
}
