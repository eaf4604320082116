/*
 * t-fields: lib/fields through fields.h: HTTPie's key=value and
 * key:=json, every refusal with its message, a refused word leaving
 * nothing behind (a bug the fuzzer found once), the limits, objects
 * from a file, and fields_show's escaping.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fields.h"
#include "lib/json.h"
#include "unit.h"

static const char *
members(const struct fields *f)
{
	return f->members.data != NULL ? f->members.data : "";
}

/* The members wrapped in braces parse as one JSON object. */
static int
valid_object(const struct fields *f)
{
	struct json_doc doc;
	struct json_err err;
	struct buf obj;
	int r;

	buf_init(&obj, 2 * FIELDS_MAX_BYTES);
	buf_addc(&obj, '{');
	buf_add(&obj, f->members.data, f->members.len);
	buf_addc(&obj, '}');
	r = json_parse(&doc, obj.data, obj.len, &err) == 0 &&
	    json_typeof(&doc, JSON_ROOT) == JSON_OBJECT;
	if (r)
		json_free(&doc);
	buf_free(&obj);
	return r;
}

/* One word into a fresh struct fields: its members, or "ERR: err". */
static const char *
one(const char *word)
{
	static char out[1024];
	struct fields f;

	fields_init(&f);
	if (fields_add_word(&f, word) != 0)
		snprintf(out, sizeof out, "ERR: %s", f.why);
	else
		snprintf(out, sizeof out, "%s", members(&f));
	fields_free(&f);
	return out;
}

static void
test_words(void)
{
	static const struct {
		const char *word, *want;
	} cases[] = {
		{ "k=v", "\"k\":\"v\"" },
		{ "version=1.10", "\"version\":\"1.10\"" },
		{ "n=42", "\"n\":\"42\"" },
		{ "b=true", "\"b\":\"true\"" },
		{ "e=", "\"e\":\"\"" },
		{ "a=b=c", "\"a\":\"b=c\"" },
		{ "a=b:=c", "\"a\":\"b:=c\"" },
		{ "a:b=c", "\"a:b\":\"c\"" },
		{ "a::=1", "\"a:\":1" },
		{ "k\"\\=v\"\\", "\"k\\\"\\\\\":\"v\\\"\\\\\"" },
		{ "t=a\tb\nc\x01", "\"t\":\"a\\tb\\nc\\u0001\"" },
		{ "caf\xc3\xa9=\xe2\x82\xac", "\"caf\xc3\xa9\":\"\xe2\x82\xac\"" },
		{ "n:=1.50", "\"n\":1.50" },
		{ "big:=18446744073709551617", "\"big\":18446744073709551617" },
		{ "e:=1e400", "\"e\":1e400" },
		{ "m:=-0", "\"m\":-0" },
		{ "t:=true", "\"t\":true" },
		{ "f:=false", "\"f\":false" },
		{ "z:=null", "\"z\":null" },
		{ "s:=\"x\\u0041\"", "\"s\":\"xA\"" },
		{ "o:= {\"a\" : [1, 2, {}]} ", "\"o\":{\"a\":[1,2,{}]}" },
		{ "a:=[]", "\"a\":[]" },
		/* refusals */
		{ "novalue", "ERR: field 'novalue': no '=' (write key=value for "
		    "a string, key:=json for a JSON value)" },
		{ "", "ERR: field '': no '=' (write key=value for a string, "
		    "key:=json for a JSON value)" },
		{ "=v", "ERR: field '=v': empty key" },
		{ ":=1", "ERR: field ':=1': empty key" },
		{ "k\xff=v", "ERR: field 'k\\xFF=v': invalid UTF-8 in the key "
		    "(byte 2)" },
		{ "\xc3\xa9\xc3=v", "ERR: field '\xc3\xa9\\xC3=v': invalid UTF-8 "
		    "in the key (byte 3)" },
		{ "k=a\xc3", "ERR: field 'k=a\\xC3': invalid UTF-8 in the value "
		    "(byte 2)" },
		{ "k=\xed\xa0\x80", "ERR: field 'k=\\xED\\xA0\\x80': invalid "
		    "UTF-8 in the value (byte 1)" },
		{ "n:=1.2.3", "ERR: field 'n:=1.2.3': not a JSON value (byte 4: "
		    "bad number '1.2.3')" },
		{ "k:=", "ERR: field 'k:=': not a JSON value (byte 1: no JSON "
		    "value)" },
		{ "o:={\"a\":1,}", "ERR: field 'o:={\"a\":1,}': not a JSON value "
		    "(byte 7: trailing comma)" },
		{ "v:=hello", "ERR: field 'v:=hello': not a JSON value (byte 1: "
		    "not a JSON value: 'hello')" },
		{ "v:=1 2", "ERR: field 'v:=1 2': not a JSON value (byte 3: "
		    "more than one JSON value)" },
	};
	struct fields f;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		is_str(one(cases[i].word), cases[i].want, "%s",
		    strncmp(cases[i].want, "ERR: ", 5) == 0 ?
		    cases[i].want + 5 : cases[i].want);

	fields_init(&f);
	ok(fields_add_word(&f, "z=1") == 0 && fields_add_word(&f, "a:=2") == 0 &&
	    fields_add_word(&f, "m=3") == 0, "three words");
	is_str(members(&f), "\"z\":\"1\",\"a\":2,\"m\":\"3\"",
	    "... kept in the order given");
	is_int(f.n, 3, "... three fields");
	ok(valid_object(&f), "... a JSON object inside braces");
	fields_free(&f);
}

/* What a struct fields holds, to see that a refusal changed nothing. */
struct snap {
	char *members;
	size_t len, keys, n;
};

static void
snap(const struct fields *f, struct snap *s)
{
	s->len = f->members.len;
	s->members = malloc(s->len + 1);
	memcpy(s->members, members(f), s->len + 1);
	s->keys = f->keys.len;
	s->n = f->n;
}

/* Is f as snapped (and its members still terminated)?  Frees the snap. */
static int
same(const struct fields *f, struct snap *s)
{
	int r = f->members.len == s->len &&
	    memcmp(members(f), s->members, s->len + 1) == 0 &&
	    f->keys.len == s->keys && f->n == s->n && !f->members.full &&
	    !f->keys.full;

	free(s->members);
	s->members = NULL;
	return r;
}

/* Every kind of refused word, after good ones, changes nothing. */
static void
test_refused_leaves_nothing(void)
{
	static const char *const bad[] = {
		"novalue", "=v", ":=1", "k\xff=v", "k=a\xc3", "new:=1.2.3",
		"new:=", "new:={\"a\":[1,}", "a=again", "a:=1", "b=again",
		"res=x",
	};
	struct fields f;
	struct snap s;
	size_t i;

	fields_init(&f);
	fields_reserve(&f, "res");
	ok(fields_add_word(&f, "a=1") == 0 && fields_add_word(&f, "b:={}") == 0,
	    "two good words");
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snap(&f, &s);
		ok(fields_add_word(&f, bad[i]) == -1 && f.why[0] != '\0',
		    "refused: %s", f.why);
		ok(same(&f, &s), "... and the fields are as they were");
	}
	ok(valid_object(&f), "still a JSON object");
	ok(fields_add_word(&f, "new=ok") == 0,
	    "a key from a refused word can still be given");
	is_str(members(&f), "\"a\":\"1\",\"b\":{},\"new\":\"ok\"", "... and is");
	fields_free(&f);
}

static void
test_reserve(void)
{
	struct fields f;
	char word[32];
	int i;

	fields_init(&f);
	fields_reserve(&f, "platform");
	fields_reserve(&f, "arch");
	is_int(f.n, 2, "reserved keys count as fields");
	is_str(members(&f), "", "... but are not members");
	ok(fields_add_word(&f, "platform=x") == -1, "a reserved key is taken");
	is_str(f.why, "field 'platform=x': duplicate key", "... a duplicate");
	ok(fields_add_word(&f, "Platform=x") == 0, "keys are case-sensitive");
	fields_free(&f);

	fields_init(&f);
	for (i = 0; i < FIELDS_MAX; i++) {
		snprintf(word, sizeof word, "r%d", i);
		fields_reserve(&f, word);
	}
	ok(fields_add_word(&f, "x=1") == -1, "%d reserved keys: no room left",
	    FIELDS_MAX);
	is_str(f.why, "field 'x=1': more than 256 fields", "... saying so");
	fields_free(&f);
}

static void
test_limits(void)
{
	struct fields f;
	struct snap s;
	char word[32], *big;
	size_t n;
	int i, r = 0;

	fields_init(&f);
	for (i = 0; i < FIELDS_MAX; i++) {
		snprintf(word, sizeof word, "k%d:=%d", i, i);
		r |= fields_add_word(&f, word);
	}
	ok(r == 0 && f.n == FIELDS_MAX, "%d fields: fine", FIELDS_MAX);
	snap(&f, &s);
	ok(fields_add_word(&f, "one=more") == -1, "one more: refused");
	is_str(f.why, "field 'one=more': more than 256 fields", "... saying so");
	ok(same(&f, &s), "... nothing added");
	fields_free(&f);

	/* "a":"xxx...": 6 bytes more than the x's */
	n = FIELDS_MAX_BYTES - 6;
	big = malloc(n + 3);
	memcpy(big, "a=", 2);
	memset(big + 2, 'x', n);
	big[n + 2] = '\0';
	fields_init(&f);
	ok(fields_add_word(&f, big) == 0 && f.members.len == FIELDS_MAX_BYTES,
	    "exactly %d bytes of JSON: fine", FIELDS_MAX_BYTES);
	snap(&f, &s);
	ok(fields_add_word(&f, "b=1") == -1, "a field more: refused");
	ok(strstr(f.why, "the fields are over 65536 bytes of JSON") != NULL,
	    "... saying so: %s", f.why);
	ok(same(&f, &s), "... and nothing of it is left");
	fields_free(&f);

	big[n + 1] = '\0';	/* one x fewer: room for nothing else */
	fields_init(&f);
	ok(fields_add_word(&f, "first=1") == 0, "a first field");
	snap(&f, &s);
	ok(fields_add_word(&f, big) == -1, "then one too big: refused");
	ok(same(&f, &s), "... the fields are as they were");
	ok(fields_add_word(&f, "a=y") == 0 && valid_object(&f),
	    "... its key is free again, the object valid");
	is_str(members(&f), "\"first\":\"1\",\"a\":\"y\"", "... and holds both");
	fields_free(&f);

	/* The escaped size counts: q quotes make "a":"\"\"..." of 6 + 2q. */
	memset(big + 2, '"', (FIELDS_MAX_BYTES - 6) / 2 + 1);
	big[2 + (FIELDS_MAX_BYTES - 6) / 2] = '\0';
	fields_init(&f);
	ok(fields_add_word(&f, big) == 0 && f.members.len == FIELDS_MAX_BYTES,
	    "quotes that make exactly %d bytes once escaped: fine",
	    FIELDS_MAX_BYTES);
	fields_free(&f);
	big[2 + (FIELDS_MAX_BYTES - 6) / 2] = '"';
	big[2 + (FIELDS_MAX_BYTES - 6) / 2 + 1] = '\0';
	fields_init(&f);
	ok(fields_add_word(&f, big) == -1 && f.members.len == 0 && f.n == 0,
	    "one quote more: refused, nothing left");
	fields_free(&f);
	free(big);
}

static void
test_object(void)
{
	struct fields f;
	const char *text;

	fields_init(&f);
	ok(fields_add_word(&f, "w=1") == 0, "a word");
	text = "{\"a\": 1, \"b\": \"x\\u00e9\", \"c\": {\"d\": [1, 2.50]}}";
	ok(fields_add_object(&f, text, strlen(text), "file 'f.json'") == 0,
	    "an object of three members");
	is_str(members(&f), "\"w\":\"1\",\"a\":1,\"b\":\"x\xc3\xa9\","
	    "\"c\":{\"d\":[1,2.50]}", "... appended in order, compact");
	is_int(f.n, 4, "... four fields");
	ok(fields_add_object(&f, "{}", 2, "file 'e.json'") == 0 && f.n == 4,
	    "an empty object adds nothing");

	ok(fields_add_object(&f, "{\"c\":1,}", 8, "file 'f.json'") == -1,
	    "not JSON: refused");
	is_str(f.why, "file 'f.json': not JSON: line 1, byte 7: trailing comma",
	    "... naming the source, line and byte");
	ok(fields_add_object(&f, "[1]", 3, "file 'f.json'") == -1, "an array: "
	    "refused");
	is_str(f.why, "file 'f.json': not a JSON object", "... saying so");
	ok(fields_add_object(&f, "{\"w\":2}", 7, "file 'f.json'") == -1,
	    "a key given as a word already: refused");
	is_str(f.why, "file 'f.json': key 'w': duplicate key", "... saying so");
	ok(fields_add_object(&f, "{\"x\\u0000y\":1}", 14, "file 'f.json'") == -1,
	    "a key with a NUL: refused");
	is_str(f.why, "file 'f.json': key 'x\\x00y': NUL in the key",
	    "... shown escaped");
	ok(fields_add_object(&f, "{\"n\":1,\"n\":2}", 13, "file 'f.json'") == -1,
	    "a duplicate key in the object: refused");
	is_str(f.why, "file 'f.json': key 'n': duplicate key", "... saying so");
	ok(valid_object(&f) && strstr(members(&f), "\"n\":2") == NULL,
	    "a refused member leaves nothing of itself");
	fields_free(&f);
}

static const char *
show(const char *s, size_t n, size_t outlen)
{
	static char out[512];

	memset(out, '#', sizeof out);
	fields_show(out, outlen, s, n);
	return out;
}

static void
test_show(void)
{
	static const struct {
		const char *s;
		size_t n;
		const char *want;
	} cases[] = {
		{ "abc", 3, "abc" },
		{ "", 0, "" },
		{ "a\tb\n\r", 5, "a\\x09b\\x0A\\x0D" },
		{ "\x01\x1f\x7f", 3, "\\x01\\x1F\\x7F" },
		{ "a\0b", 3, "a\\x00b" },
		{ "\xff\xfe", 2, "\\xFF\\xFE" },
		{ "\xc3", 1, "\\xC3" },
		{ "\xc3(", 2, "\\xC3(" },
		{ "\xc0\x80", 2, "\\xC0\\x80" },		/* overlong */
		{ "\xed\xa0\x80", 3, "\\xED\\xA0\\x80" },	/* a surrogate */
		{ "\x80", 1, "\\x80" },
		{ "caf\xc3\xa9", 5, "caf\xc3\xa9" },
		{ "\xe2\x82\xac \xf0\x9f\x98\x80", 8, "\xe2\x82\xac \xf0\x9f\x98\x80" },
		{ "\xf0\x9f\x98", 3, "\\xF0\\x9F\\x98" },	/* cut short */
	};
	char sixty[61], more[200], want[200];
	const char *got;
	size_t i, outlen;
	int fits = 1;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		is_str(show(cases[i].s, cases[i].n, 256), cases[i].want,
		    "fields_show: %s", cases[i].want);

	memset(sixty, 'a', 60);
	sixty[60] = '\0';
	is_str(show(sixty, 60, 256), sixty, "60 bytes are shown whole");
	memset(more, 'a', 100);
	snprintf(want, sizeof want, "%s...", sixty);
	is_str(show(more, 61, 256), want, "61: 60 and '...'");
	is_str(show(more, 100, 256), want, "100: 60 and '...'");
	memset(more, 0xff, 100);
	got = show(more, 100, 256);
	ok(strncmp(got, "\\xFF\\xFF", 8) == 0 && strlen(got) == 60 + 3 &&
	    strcmp(got + 60, "...") == 0, "escapes count towards the 60: %s", got);
	memcpy(more, sixty, 59);
	memcpy(more + 59, "\xc3\xa9zz", 4);
	got = show(more, 63, 256);
	ok(strncmp(got + 59, "\xc3\xa9...", 5) == 0 && strlen(got) == 64,
	    "a character across the 60 is kept whole");

	/* Whatever outlen, the result is terminated inside it. */
	memset(more, 0xff, 100);
	for (outlen = 9; outlen < 80; outlen++) {
		got = show(more, 100, outlen);
		if (memchr(got, '\0', outlen) == NULL || got[outlen] != '#')
			fits = 0;
	}
	ok(fits, "a small out is never overrun");
}

int
main(void)
{
	test_words();
	test_refused_leaves_nothing();
	test_reserve();
	test_limits();
	test_object();
	test_show();
	return done();
}
