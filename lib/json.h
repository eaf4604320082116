/*
 * json: a strict JSON reader on jsmn, and a writer.
 *
 * Reader.  jsmn tokenizes but does not validate: it accepts trailing
 * commas, empty elements ([1,,3]), bare words, control characters and
 * several root values.  json_parse runs jsmn, then checks every token
 * and every byte between tokens against RFC 8259:
 *   - structure: exactly one root value, ',' and ':' where they belong
 *     and nowhere else, keys are strings, no trailing comma, no empty
 *     element, nesting at most JSON_MAX_DEPTH containers deep;
 *   - literals: true, false, null exactly; numbers by the RFC's grammar
 *     (no 01, 1., .5, +1, NaN, Infinity);
 *   - strings: only the RFC's escapes, \u surrogates in pairs, no raw
 *     control characters, valid UTF-8 (no overlong forms, no encoded
 *     surrogates, nothing above U+10FFFF);
 *   - no NUL byte, at most JSON_MAX_TEXT bytes.
 * Errors say what is wrong and where: line (1-based) and byte (1-based
 * offset within that line) of the offending byte.
 *
 * The document borrows the text (it must outlive the doc) and owns the
 * token array (json_free).  Numbers are never converted: their text is
 * kept exactly (18446744073709551617 and 1e400 survive a round trip).
 *
 * Writer.  Appends compact JSON to a struct buf (util.h): strings
 * escaped as jq -c does (\" \\ \b \f \n \r \t, other control characters
 * and DEL as \u00XX, everything else as UTF-8 bytes), numbers as their
 * original text.
 */
#ifndef XT_JSON_H
#define XT_JSON_H

#include <stddef.h>

#include "buf.h"

#define JSON_MAX_DEPTH	32		/* containers inside containers */
#define JSON_MAX_TEXT	(1 << 20)	/* bytes: the largest payload */

enum json_type {
	JSON_NULL,
	JSON_FALSE,
	JSON_TRUE,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT
};

/*
 * A parsed document.  Values in it are named by an int handle: the root
 * value is JSON_ROOT, others come from json_get and json_next.  A
 * handle is only meaningful with the doc that gave it.  The token
 * layout behind the handles is json.c's own.
 */
#define JSON_ROOT	0

struct json_tok;		/* private to json.c */

struct json_doc {
	const char *text;	/* borrowed: must outlive the doc */
	size_t len;
	struct json_tok *tok;	/* owned (json_free) */
	int ntok;
};

struct json_err {
	size_t line;		/* 1-based */
	size_t byte;		/* 1-based, within the line */
	char why[96];		/* "trailing comma", ... */
};

/*
 * json_parse: check text[0..len) and tokenize it into doc.  Returns 0;
 * or -1 and fills err (doc is then empty and needs no json_free, but
 * json_free is harmless).  Time and memory are linear in len, however
 * deep or wide the nesting (text nested deeper than JSON_MAX_DEPTH is
 * refused at the bracket that goes too deep, before anything past it
 * is read).  Memory: one array of tokens, proportional to the input,
 * which is at most JSON_MAX_TEXT bytes.
 */
int json_parse(struct json_doc *doc, const char *text, size_t len,
    struct json_err *err);
void json_free(struct json_doc *doc);

/* Format err as "line L, byte B: msg" into out (always terminated). */
void json_strerror(const struct json_err *err, char *out, size_t outlen);

/*
 * json_check_value: validate text as one JSON value (json_parse without
 * keeping the tokens).  Returns 0, or -1 with err.
 */
int json_check_value(const char *text, size_t len, struct json_err *err);

/*
 * What a value is.  json_typeof: its type.  json_count: the members of
 * an object or elements of an array, 0 for anything else.
 * json_text: the value's text exactly as written (a string with its
 * quotes, a number with all its digits), *len bytes inside doc->text.
 * json_nonempty: v is a string that decodes to at least one byte (what
 * JavaScript's `s || default` keeps).
 */
enum json_type json_typeof(const struct json_doc *doc, int v);
int json_count(const struct json_doc *doc, int v);
const char *json_text(const struct json_doc *doc, int v, size_t *len);
int json_nonempty(const struct json_doc *doc, int v);

/*
 * json_get: the value of member key of object obj, or -1 (obj is not
 * an object, or has no such member).  With duplicate keys, the last one,
 * as JavaScript's JSON.parse reads them.  Linear in obj's members.
 * json_streq: string v decodes to exactly s (0 for a non-string).
 */
int json_get(const struct json_doc *doc, int obj, const char *key);
int json_streq(const struct json_doc *doc, int v, const char *s);

/*
 * Walking a container, in document order:
 *
 *	struct json_iter it;
 *	json_iter(&it, doc, v);
 *	while (json_next(&it))
 *		use it.key (objects: the member's key, a string; arrays: -1),
 *		    it.value, it.index (0, 1, ...);
 *
 * For anything but an object or array json_next returns 0 at once.
 * Duplicate keys come each in its place: the iterator shows the text.
 * The iterator holds no memory; stopping early needs no clean-up.
 */
struct json_iter {
	int key, value, index;		/* the current member or element */
	const struct json_doc *doc;	/* private */
	int at, left, object;		/* private */
};

void json_iter(struct json_iter *it, const struct json_doc *doc, int v);
int json_next(struct json_iter *it);

/*
 * json_decode_string: append the decoded bytes of string v to out
 * (UTF-8; \u0000 becomes a NUL byte, so out->len is the length).
 * out is the caller's; check out->full when done.  Afterwards
 * out->data is never NULL, even for "": an empty key is a key, and its
 * bytes may be handed to memcpy and memcmp.
 */
void json_decode_string(const struct json_doc *doc, int v, struct buf *out);

/*
 * json_find_duplicate: the token of the first key that repeats an
 * earlier key of the same object (as decoded: "a" and "\u0061" are the
 * same key), anywhere in the document; -1 if none; -2 if out of
 * memory.  n log n in the keys of each object.
 */
int json_find_duplicate(const struct json_doc *doc);

/*
 * Writer: append to out (the caller's; check out->full when done).
 * json_encode_string: s[0..n) (valid UTF-8, utf8.h) as one JSON string.
 * json_encode_value: value v of doc compactly: strings re-escaped as
 * json_encode_string does, numbers as written, no white space.
 */
void json_encode_string(struct buf *out, const char *s, size_t n);
void json_encode_value(struct buf *out, const struct json_doc *doc, int v);

#endif
