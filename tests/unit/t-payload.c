/*
 * t-payload: lib/payload through payload.h: fragments merge into xmcp's
 * shape and key order, every refusal names its line, the limits hold,
 * and nothing leaks after a failure (LeakSanitizer runs under make
 * check).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/payload.h"
#include "render.h"
#include "unit.h"

/* text (payload fragments) as the payload, or "ERR: why" */
#define merged(text) rendered(FORMAT_PAYLOAD, (text))

static void
test_merge(void)
{
	is_str(merged("{\"eventName\":\"a\",\"timestamp\":\"t1\","
	    "\"fields\":{\"n\":1}}\n{\"eventName\":\"b\"}\n"),
	    "{\"context\":{},\"meta\":{},\"events\":[{\"eventName\":\"a\","
	    "\"timestamp\":\"t1\",\"fields\":{\"n\":1}},{\"eventName\":\"b\"}]}",
	    "events are appended in order; empty context and meta");
	is_str(merged(
	    "{\"context\":{\"sessionId\":\"s1\",\"extra\":1}}\n"
	    "{\"meta\":{\"platform\":\"linux\",\"cpuCores\":2}}\n"
	    "{\"context\":{\"projectHash\":\"p\",\"anonymousId\":\"a\","
	    "\"sessionId\":\"s2\"}}\n"
	    "{\"meta\":{\"platform\":\"darwin\",\"arch\":\"arm64\"}}\n"
	    "{\"eventName\":\"e\"}"),
	    "{\"context\":{\"anonymousId\":\"a\",\"projectHash\":\"p\","
	    "\"sessionId\":\"s2\",\"extra\":1},\"meta\":{\"platform\":\"darwin\","
	    "\"cpuCores\":2,\"arch\":\"arm64\"},\"events\":[{\"eventName\":\"e\"}]}",
	    "context and meta merge key by key, a later value in the earlier "
	    "place; context in xmcp's order, then others as first seen");
	is_str(merged("{\"context\":{\"z\":1,\"y\":2,\"sessionId\":3}}\n"
	    "{\"eventName\":\"e\"}"),
	    "{\"context\":{\"sessionId\":3,\"z\":1,\"y\":2},\"meta\":{},"
	    "\"events\":[{\"eventName\":\"e\"}]}",
	    "unknown context keys keep their order after xmcp's");
	is_str(merged("{\"context\":{\"anonymous\\u0049d\":\"x\",\"a\":1,"
	    "\"a\":2}}\n{\"eventName\":\"\\u0041\\/\"}"),
	    "{\"context\":{\"anonymousId\":\"x\",\"a\":2},\"meta\":{},"
	    "\"events\":[{\"eventName\":\"A/\"}]}",
	    "keys are compared decoded; a duplicate key keeps its last value; "
	    "strings are re-escaped");

	/* A whole payload, as xmcp sends it, is a fragment too. */
	is_str(merged("{\"context\":{\"anonymousId\":\"i\",\"projectHash\":\"h\","
	    "\"sessionId\":\"s\"},\"meta\":{\"platform\":\"linux\","
	    "\"systemRelease\":\"6.1.0\",\"arch\":\"x64\",\"cpuCores\":2,"
	    "\"cpuModel\":\"m\",\"cpuSpeed\":2400,\"memoryTotal\":24105,"
	    "\"isDocker\":false,\"isWsl\":false,\"isCI\":true,"
	    "\"ciName\":null},\"events\":[{\"eventName\":\"build:completed\","
	    "\"timestamp\":\"2026-11-24T17:21:00.001Z\",\"fields\":{}}]}"),
	    "{\"context\":{\"anonymousId\":\"i\",\"projectHash\":\"h\","
	    "\"sessionId\":\"s\"},\"meta\":{\"platform\":\"linux\","
	    "\"systemRelease\":\"6.1.0\",\"arch\":\"x64\",\"cpuCores\":2,"
	    "\"cpuModel\":\"m\",\"cpuSpeed\":2400,\"memoryTotal\":24105,"
	    "\"isDocker\":false,\"isWsl\":false,\"isCI\":true,"
	    "\"ciName\":null},\"events\":[{\"eventName\":\"build:completed\","
	    "\"timestamp\":\"2026-11-24T17:21:00.001Z\",\"fields\":{}}]}",
	    "a whole payload on one line comes out as it went in");
	is_str(merged("{\"eventName\":\"first\"}\n"
	    "{\"events\":[{\"eventName\":\"second\"},{\"eventName\":\"third\"}],"
	    "\"context\":{\"sessionId\":\"s\"}}\n{\"events\":[]}\n"
	    "{\"eventName\":\"fourth\"}"),
	    "{\"context\":{\"sessionId\":\"s\"},\"meta\":{},\"events\":["
	    "{\"eventName\":\"first\"},{\"eventName\":\"second\"},"
	    "{\"eventName\":\"third\"},{\"eventName\":\"fourth\"}]}",
	    "events arrays append in order; an empty one adds nothing");

	is_str(merged("\n   \n{\"eventName\":\"a\"}\r\n\t\r\n\n"
	    "{ \"eventName\" : \"b\" }  \r\n\n"),
	    "{\"context\":{},\"meta\":{},\"events\":[{\"eventName\":\"a\"},"
	    "{\"eventName\":\"b\"}]}",
	    "blank lines are skipped, CRLF and spaces are fine");
	is_str(merged("{\"eventName\":\"n\",\"fields\":{\"big\":"
	    "18446744073709551617,\"e\":1e400,\"f\":1.50,\"z\":-0,"
	    "\"x\":[1, {\"y\" : \"z\"}]}}\n"
	    "{\"meta\":{\"memoryTotal\":24105.0,\"cpuSpeed\":2.4E3}}"),
	    "{\"context\":{},\"meta\":{\"memoryTotal\":24105.0,\"cpuSpeed\":2.4E3},"
	    "\"events\":[{\"eventName\":\"n\",\"fields\":{\"big\":"
	    "18446744073709551617,\"e\":1e400,\"f\":1.50,\"z\":-0,"
	    "\"x\":[1,{\"y\":\"z\"}]}}]}",
	    "numbers keep their text; values are written compactly");
	is_str(merged("{\"eventName\":\"x\",\"context\":{\"a\":1}}"),
	    "{\"context\":{},\"meta\":{},\"events\":[{\"eventName\":\"x\","
	    "\"context\":{\"a\":1}}]}",
	    "an object with eventName is an event, whatever else it holds");
}

static void
test_refusals(void)
{
	static const struct {
		const char *text, *err;
	} bad[] = {
		{ "{\"eventName\":\"a\"}\n{\"eventName\":\"b\",}",
		    "ERR: line 2: not JSON: byte 17: trailing comma" },
		{ "{\"eventName\":\"a\"}\n\n  \n[1]\n{\"eventName\":\"b\"}",
		    "ERR: line 4: not a JSON object" },
		{ "\"eventName\"", "ERR: line 1: not a JSON object" },
		{ "{\"foo\":1}", "ERR: line 1: not a payload fragment: an event "
		    "(with eventName) or an object of context, meta and events "
		    "was expected" },
		{ "{\"context\":{},\"foo\":1}", "ERR: line 1: not a payload "
		    "fragment: an event (with eventName) or an object of "
		    "context, meta and events was expected" },
		{ "{\"context\":[]}", "ERR: line 1: \"context\" is not an object" },
		{ "{\"meta\":\"m\"}", "ERR: line 1: \"meta\" is not an object" },
		{ "{\"events\":{}}", "ERR: line 1: \"events\" is not an array" },
		{ "{\"events\":[{\"eventName\":\"a\"},{\"x\":1}]}",
		    "ERR: line 1: events[1] is not an event (an object with an "
		    "eventName)" },
		{ "{\"events\":[{\"eventName\":\"\"}]}",
		    "ERR: line 1: events[0] is not an event (an object with an "
		    "eventName)" },
		{ "{\"events\":[\"e\"]}", "ERR: line 1: events[0] is not an "
		    "event (an object with an eventName)" },
		{ "{\"eventName\":\"\"}",
		    "ERR: line 1: eventName is not a non-empty string" },
		{ "{\"eventName\":1}",
		    "ERR: line 1: eventName is not a non-empty string" },
		{ "{\"eventName\":null}",
		    "ERR: line 1: eventName is not a non-empty string" },
		{ "{}", "ERR: line 1: an empty object is no fragment" },
		{ "{\"context\":{\"a\":1}}", "ERR: no events" },
		{ "", "ERR: no events" },
		{ "\n\n", "ERR: no events" },
		{ "{\"eventName\":\"a\"} {}", "ERR: line 1: not JSON: byte 19: "
		    "more than one JSON value" },
	};
	struct payload p;
	struct buf out;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		is_str(merged(bad[i].text), bad[i].err, "refused: %s",
		    bad[i].err + 5);

	/* A refused line merges nothing, though its first key was good. */
	payload_init(&p);
	buf_init(&out, PAYLOAD_MAX);
	ok(payload_add_lines(&p, "{\"eventName\":\"a\"}\n", 18) == 0,
	    "one line");
	ok(payload_add_lines(&p, "{\"context\":{\"k\":1},\"meta\":[]}", 29) == -1,
	    "a second call, a refused line");
	is_str(p.why, "line 2: \"meta\" is not an object",
	    "... the line count goes on across calls");
	is_int(p.context.n, 0, "... its context was not merged");
	ok(payload_render(&p, &out) == 0 && strcmp(out.data,
	    "{\"context\":{},\"meta\":{},\"events\":[{\"eventName\":\"a\"}]}")
	    == 0, "... what came before renders alone");
	buf_free(&out);
	payload_free(&p);
}

/* {"context":{"k0":0,...}} with keys [from, to) */
static char *
context_of(int from, int to)
{
	struct buf b;
	int i;

	buf_init(&b, 1 << 20);
	buf_adds(&b, "{\"context\":{");
	for (i = from; i < to; i++)
		buf_printf(&b, "%s\"k%d\":%d", i > from ? "," : "", i, i);
	buf_adds(&b, "}}\n");
	return b.data;	/* the caller frees */
}

static void
test_key_limit(void)
{
	struct payload p;
	struct buf m;
	char *a, *b;
	int i;

	a = context_of(0, PAYLOAD_MAX_KEYS);
	payload_init(&p);
	ok(payload_add_lines(&p, a, strlen(a)) == 0 &&
	    p.context.n == PAYLOAD_MAX_KEYS, "%d context keys: fine",
	    PAYLOAD_MAX_KEYS);
	ok(payload_add_lines(&p, a, strlen(a)) == 0 &&
	    p.context.n == PAYLOAD_MAX_KEYS, "... the same keys again: fine");
	b = context_of(PAYLOAD_MAX_KEYS, PAYLOAD_MAX_KEYS + 1);
	ok(payload_add_lines(&p, b, strlen(b)) == -1, "one more: refused");
	is_str(p.why, "line 3: context: more than 512 keys", "... saying so");
	payload_free(&p);
	free(a);
	free(b);

	/* Over the limit in the middle of one object: the members merged
	 * before the refusal must still be freed. */
	a = context_of(0, PAYLOAD_MAX_KEYS + 10);
	payload_init(&p);
	ok(payload_add_lines(&p, a, strlen(a)) == -1,
	    "%d keys in one line: refused", PAYLOAD_MAX_KEYS + 10);
	is_str(p.why, "line 1: context: more than 512 keys", "... saying so");
	payload_free(&p);
	ok(p.context.n == 0, "payload_free after it empties the payload");
	free(a);

	buf_init(&m, 1 << 20);
	buf_adds(&m, "{\"meta\":{");
	for (i = 0; i <= PAYLOAD_MAX_KEYS; i++)
		buf_printf(&m, "%s\"m%d\":true", i > 0 ? "," : "", i);
	buf_adds(&m, "}}");
	payload_init(&p);
	ok(payload_add_lines(&p, m.data, m.len) == -1 &&
	    strcmp(p.why, "line 1: meta: more than 512 keys") == 0,
	    "meta has the same limit");
	payload_free(&p);
	buf_free(&m);
}

/* {"eventName":"big","fields":{"s":"xxx..."}} of n bytes */
static char *
event_of(size_t n)
{
	static const char head[] = "{\"eventName\":\"big\",\"fields\":{\"s\":\"";
	char *s = malloc(n + 2);

	memset(s, 'x', n);
	memcpy(s, head, sizeof head - 1);
	memcpy(s + n - 3, "\"}}", 3);
	s[n] = '\n';
	s[n + 1] = '\0';
	return s;
}

static void
test_size_limit(void)
{
	struct payload p;
	struct buf out;
	char *e;

	e = event_of(600 * 1024);
	payload_init(&p);
	ok(payload_add_lines(&p, e, strlen(e)) == 0, "an event of 600 KiB");
	ok(payload_add_lines(&p, e, strlen(e)) == -1,
	    "... and another: refused");
	is_str(p.why, "line 2: the events are over 1048576 bytes",
	    "... the events are over PAYLOAD_MAX");
	payload_free(&p);
	free(e);

	/* The events fit; the whole payload does not. */
	e = event_of(PAYLOAD_MAX - 10);
	payload_init(&p);
	buf_init(&out, 2 * PAYLOAD_MAX);
	ok(payload_add_lines(&p, e, strlen(e)) == 0,
	    "an event just under PAYLOAD_MAX");
	ok(payload_add_lines(&p, "{\"context\":{\"sessionId\":\"s\"}}", 29) == 0,
	    "... and a context");
	ok(payload_render(&p, &out) == -1, "render: -1");
	is_str(p.why, "the payload is over 1048576 bytes", "... saying why");
	buf_free(&out);

	/* A caller's buffer too small for the payload is refused too. */
	buf_init(&out, 100);
	ok(payload_render(&p, &out) == -1 &&
	    strcmp(p.why, "the payload is over 1048576 bytes") == 0,
	    "a full output buffer: -1");
	buf_free(&out);
	payload_free(&p);
	free(e);

	e = event_of(PAYLOAD_MAX - 64);
	payload_init(&p);
	buf_init(&out, PAYLOAD_MAX);
	ok(payload_add_lines(&p, e, strlen(e)) == 0 &&
	    payload_render(&p, &out) == 0 && out.len == PAYLOAD_MAX - 64 +
	    strlen("{\"context\":{},\"meta\":{},\"events\":[]}"),
	    "a payload just under PAYLOAD_MAX renders whole");
	buf_free(&out);
	payload_free(&p);
	free(e);
}

int
main(void)
{
	test_merge();
	test_refusals();
	test_key_limit();
	test_size_limit();
	return done();
}
