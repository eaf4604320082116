/* Unit tests of lib/json: every malformed case is refused with the
 * right message at the right place; valid JSON round-trips. */
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"
#include "unit.h"

struct bad {
	const char *text;
	size_t line, byte;	/* where the error must point */
	const char *msg;	/* a part of the message */
};

static const struct bad bad[] = {
	/* structure */
	{ "[1,2,]", 1, 5, "trailing comma" },
	{ "{\"a\":1,}", 1, 7, "trailing comma" },
	{ "[1,,3]", 1, 4, "empty element" },
	{ "[,1]", 1, 2, "empty element" },
	{ "{,\"a\":1}", 1, 2, "empty member" },
	{ "[1 2]", 1, 4, "expected ','" },
	{ "{\"a\" 1}", 1, 6, "expected ':'" },
	{ "{\"a\":1 \"b\":2}", 1, 8, "expected ','" },
	{ "{\"a\"}", 1, 5, "expected ':'" },
	{ "{\"a\":}", 1, 6, "value expected" },
	{ "{1:2}", 1, 2, "key must be a string" },
	{ "{\"a\"::1}", 1, 6, "unexpected ':'" },
	{ "[1:2]", 1, 3, "expected ','" },
	{ "[1}", 1, 3, "unexpected '}'" },
	{ "]", 1, 1, "unexpected ']'" },
	{ "[1", 1, 3, "end of input" },
	{ "{\"a\":[1,2}", 1, 10, "unexpected '}'" },
	{ "", 1, 1, "no JSON value" },
	{ "  \n ", 2, 2, "no JSON value" },
	{ ",", 1, 1, "unexpected ','" },
	/* more than one root value */
	{ "1 2", 1, 3, "more than one JSON value" },
	{ "{} {}", 1, 4, "more than one JSON value" },
	{ "\"a\"\"b\"", 1, 4, "more than one JSON value" },
	{ "[] ,", 1, 4, "unexpected ','" },
	/* bare words and bad literals */
	{ "tru", 1, 1, "bad literal 'tru'" },
	{ "True", 1, 1, "not a JSON value" },
	{ "nul", 1, 1, "bad literal" },
	{ "falsey", 1, 1, "bad literal" },
	{ "[hello]", 1, 2, "not a JSON value: 'hello'" },
	{ "NaN", 1, 1, "not a JSON value" },
	{ "Infinity", 1, 1, "not a JSON value" },
	{ "undefined", 1, 1, "not a JSON value" },
	{ "'a'", 1, 1, "not a JSON value" },
	/* number grammar */
	{ "01", 1, 2, "leading zero" },
	{ "-01", 1, 3, "leading zero" },
	{ "1.", 1, 3, "digit expected after '.'" },
	{ ".5", 1, 1, "not a JSON value" },
	{ "+1", 1, 1, "not a JSON value" },
	{ "-", 1, 2, "digit expected" },
	{ "-a", 1, 2, "digit expected" },
	{ "1e", 1, 3, "in exponent" },
	{ "1e+", 1, 4, "in exponent" },
	{ "1.2.3", 1, 4, "bad number '1.2.3'" },
	{ "0x10", 1, 2, "bad number" },
	{ "1_000", 1, 2, "bad number" },
	{ "-Infinity", 1, 2, "digit expected" },
	/* string escapes */
	{ "\"\\x\"", 1, 2, "bad escape '\\x'" },
	{ "\"\\u12\"", 1, 2, "bad \\u escape" },
	{ "\"\\u12G4\"", 1, 2, "bad \\u escape" },
	{ "\"\\uD800\"", 1, 2, "lone high surrogate" },
	{ "\"\\uD800\\u0041\"", 1, 2, "lone high surrogate" },
	{ "\"\\uDC00\"", 1, 2, "lone low surrogate" },
	{ "\"ab\\uDBFF\"", 1, 4, "lone high surrogate" },
	{ "\"abc", 1, 1, "unterminated string" },
	{ "\"abc\\", 1, 1, "unterminated string" },
	{ "[\"a\", \"b]", 1, 7, "unterminated string" },
	/* raw control characters */
	{ "\"a\tb\"", 1, 3, "control character U+0009" },
	{ "\"a\nb\"", 1, 3, "control character U+000A" },
	{ "\"\x01\"", 1, 2, "control character U+0001" },
	{ "[\x01]", 1, 2, "control character U+0001 outside" },
	{ "[1,\x7f]", 1, 4, "unexpected byte 0x7F" },
	/* invalid UTF-8 */
	{ "\"\xff\"", 1, 2, "invalid UTF-8" },
	{ "\"\xc3\"", 1, 2, "invalid UTF-8" },
	{ "\"\xc0\xaf\"", 1, 2, "invalid UTF-8" },		/* overlong '/' */
	{ "\"\xe0\x80\xaf\"", 1, 2, "invalid UTF-8" },	/* overlong */
	{ "\"\xed\xa0\x80\"", 1, 2, "invalid UTF-8" },	/* encoded surrogate */
	{ "\"\xf4\x90\x80\x80\"", 1, 2, "invalid UTF-8" },	/* > U+10FFFF */
	{ "\"a\x80\"", 1, 3, "invalid UTF-8" },		/* lone continuation */
	{ "[\xc3\xa9]", 1, 2, "unexpected byte 0xC3" },	/* outside a string */
	/* lines and offsets */
	{ "{\n  \"a\": 1,\n  \"b\": tru\n}", 3, 8, "bad literal" },
	{ "[\n1,\n,2]", 3, 1, "empty element" },
};

static void
test_bad(void)
{
	struct json_doc doc;
	struct json_err err;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const struct bad *b = &bad[i];
		int r;

		memset(&err, 0, sizeof err);
		r = json_parse(&doc, b->text, strlen(b->text), &err);
		ok(r == -1 && strstr(err.why, b->msg) != NULL &&
		    err.line == b->line && err.byte == b->byte,
		    "refuses %zu: %s", i, b->msg);
		if (r != -1 || strstr(err.why, b->msg) == NULL ||
		    err.line != b->line || err.byte != b->byte)
			printf("#   got: r=%d line %zu byte %zu: %s\n", r,
			    err.line, err.byte, err.why);
		if (r == 0)
			json_free(&doc);
	}
}

static void
test_nul_and_caps(void)
{
	struct json_doc doc;
	struct json_err err;
	char *big;
	size_t n;
	int i;

	ok(json_parse(&doc, "[1,\0 2]", 7, &err) == -1 &&
	    strstr(err.why, "NUL") != NULL && err.byte == 4,
	    "refuses a NUL byte, where it is");
	ok(json_parse(&doc, "\"a\0b\"", 5, &err) == -1 &&
	    strstr(err.why, "NUL") != NULL, "refuses a NUL byte in a string");

	/* 32 levels deep is fine, 33 is not */
	big = malloc(200);
	for (n = 0, i = 0; i < 32; i++)
		big[n++] = '[';
	for (i = 0; i < 32; i++)
		big[n++] = ']';
	ok(json_parse(&doc, big, n, &err) == 0, "32 levels of nesting");
	json_free(&doc);
	for (n = 0, i = 0; i < 33; i++)
		big[n++] = i % 2 ? '[' : '[';
	for (i = 0; i < 33; i++)
		big[n++] = ']';
	ok(json_parse(&doc, big, n, &err) == -1 &&
	    strstr(err.why, "nesting deeper than 32") != NULL && err.byte == 33,
	    "refuses 33 levels of nesting");
	for (n = 0, i = 0; i < 33; i++) {
		memcpy(big + n, "{\"a\":", 5);
		n += 5;
	}
	big[n++] = '1';
	for (i = 0; i < 33; i++)
		big[n++] = '}';
	ok(json_parse(&doc, big, n, &err) == -1 &&
	    strstr(err.why, "nesting") != NULL, "refuses 33 nested objects");
	free(big);

	n = JSON_MAX_TEXT + 1;
	big = malloc(n);
	memset(big, ' ', n);
	big[0] = '1';
	ok(json_parse(&doc, big, n, &err) == -1 &&
	    strstr(err.why, "over 1048576 bytes") != NULL,
	    "refuses input over the cap");
	ok(json_parse(&doc, big, n - 1, &err) == 0,
	    "accepts input at the cap");
	json_free(&doc);
	free(big);
}

/* Valid text and its compact form as jq -c prints it. */
static const char *const good[][2] = {
	{ "1", "1" },
	{ "-0", "-0" },
	{ "0.5", "0.5" },
	{ "18446744073709551617", "18446744073709551617" },
	{ "1e400", "1e400" },
	{ "-1.25E-7", "-1.25E-7" },
	{ "true", "true" },
	{ "null", "null" },
	{ " [ 1 , 2 ] ", "[1,2]" },
	{ "{ \"a\" : { \"b\" : [ ] } }", "{\"a\":{\"b\":[]}}" },
	{ "{}", "{}" },
	{ "\"\"", "\"\"" },
	{ "\"\\u00e9\"", "\"\xc3\xa9\"" },
	{ "\"\\ud83d\\ude00\"", "\"\xf0\x9f\x98\x80\"" },
	{ "\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"", "\"/\\b\\f\\n\\r\\t\\\"\\\\\"" },
	{ "\"\\u0001\\u001F\\u007f\"", "\"\\u0001\\u001f\\u007f\"" },
	{ "\"\x7f\"", "\"\\u007f\"" },
	{ "\"\\u0000\"", "\"\\u0000\"" },
	{ "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"",
	  "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"" },
	{ "[\"a\",[\"b\",{\"c\":[null,true,false]}],{}]",
	  "[\"a\",[\"b\",{\"c\":[null,true,false]}],{}]" },
	{ "\r\n\t{\"k\\n\":1}\n", "{\"k\\n\":1}" },
};

static void
test_good(void)
{
	struct json_doc doc;
	struct json_err err;
	struct buf out;
	size_t i;

	buf_init(&out, 4096);
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		buf_reset(&out);
		if (!ok(json_parse(&doc, good[i][0], strlen(good[i][0]),
		    &err) == 0, "accepts %s", good[i][1])) {
			printf("#   %s\n", err.why);
			continue;
		}
		json_encode_value(&out, &doc, 0);
		is_str(out.data, good[i][1], "writes %s", good[i][1]);
		json_free(&doc);
	}
	buf_free(&out);
}

static void
test_lookup(void)
{
	const char *text = "{\"a\":1,\"b\":{\"c\":[1,2,3]},\"d\\u00e9\":\"x\","
	    "\"a\":2,\"s\":\"tab\\there\"}";
	struct json_doc doc;
	struct json_err err;
	struct buf out;
	struct json_iter it;
	const char *t;
	size_t n;
	int b, c, k;

	ok(json_parse(&doc, text, strlen(text), &err) == 0, "parses object");
	is_int(json_count(&doc, JSON_ROOT), 5, "object has 5 members");
	k = json_get(&doc, JSON_ROOT, "a");
	t = json_text(&doc, k, &n);
	ok(k > 0 && json_typeof(&doc, k) == JSON_NUMBER && n == 1 &&
	    t[0] == '2', "duplicate key: the last wins");
	b = json_get(&doc, JSON_ROOT, "b");
	c = json_get(&doc, b, "c");
	ok(c > 0 && json_typeof(&doc, c) == JSON_ARRAY &&
	    json_count(&doc, c) == 3, "nested lookup");
	ok(json_get(&doc, JSON_ROOT, "d\xc3\xa9") > 0,
	    "lookup decodes escaped keys");
	ok(json_get(&doc, JSON_ROOT, "z") == -1, "missing key");
	ok(json_get(&doc, c, "a") == -1, "lookup in an array");
	ok(json_get(&doc, -1, "a") == -1 && json_count(&doc, 999) == 0 &&
	    json_typeof(&doc, 999) == JSON_NULL, "a bad handle finds nothing");
	t = json_text(&doc, b, &n);
	ok(n == 13 && memcmp(t, "{\"c\":[1,2,3]}", 13) == 0,
	    "text is the value as written");

	/* The iterator: members in order, duplicates each in its place,
	 * nested values skipped whole. */
	buf_init(&out, 100);
	json_iter(&it, &doc, JSON_ROOT);
	while (json_next(&it)) {
		json_decode_string(&doc, it.key, &out);
		buf_printf(&out, "%d:%d,", it.index,
		    (int)json_typeof(&doc, it.value));
	}
	is_str(out.data, "a0:3,b1:6,d\xc3\xa9" "2:4,a3:3,s4:4,",
	    "the iterator walks the members in order");
	buf_reset(&out);
	json_iter(&it, &doc, c);
	while (json_next(&it)) {
		t = json_text(&doc, it.value, &n);
		buf_printf(&out, "%d%.*s%d,", it.key, (int)n, t, it.index);
	}
	is_str(out.data, "-110,-121,-132,", "the iterator walks an array");
	json_iter(&it, &doc, k);
	ok(!json_next(&it), "a number has no members");
	ok(json_nonempty(&doc, json_get(&doc, JSON_ROOT, "s")) &&
	    !json_nonempty(&doc, k), "nonempty: a string with bytes");
	buf_free(&out);
	buf_init(&out, 100);
	json_decode_string(&doc, json_get(&doc, JSON_ROOT, "s"), &out);
	is_str(out.data, "tab\there", "string decodes");
	ok(json_streq(&doc, json_get(&doc, JSON_ROOT, "s"), "tab\there") &&
	    !json_streq(&doc, json_get(&doc, JSON_ROOT, "s"), "tab\the"),
	    "streq compares decoded text");
	buf_free(&out);
	json_free(&doc);
}

static void
test_writer(void)
{
	struct buf out;

	buf_init(&out, 100);
	json_encode_string(&out, "a\"b\\c\x01\x7f\n\xc3\xa9/", 11);
	is_str(out.data, "\"a\\\"b\\\\c\\u0001\\u007f\\n\xc3\xa9/\"",
	    "encode_string escapes as jq -c");
	buf_reset(&out);
	json_encode_string(&out, "", 0);
	is_str(out.data, "\"\"", "empty string");
	buf_free(&out);

	buf_init(&out, 4);
	json_encode_string(&out, "abcdef", 6);
	ok(out.full, "a capped buffer reports it is full");
	buf_free(&out);
}

int
main(void)
{
	test_bad();
	test_nul_and_caps();
	test_good();
	test_lookup();
	test_writer();
	return done();
}
