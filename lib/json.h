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

#include "util.h"

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

struct json_tok {
	enum json_type type;
	int start, end;	/* bytes [start, end) of the text; strings include quotes */
	int size;	/* arrays: elements; objects: members; else 0 */
	int next;	/* index of the first token after this value */
};

struct json_doc {
	const char *text;	/* borrowed */
	size_t len;
	struct json_tok *tok;	/* owned; tok[0] is the root value */
	int ntok;
};

struct json_err {
	size_t line;		/* 1-based */
	size_t byte;		/* 1-based, within the line */
	char msg[96];		/* "trailing comma", ... */
};

/*
 * json_parse: check text[0..len) and tokenize it into doc.  Returns 0;
 * or -1 and fills err (doc is then empty and needs no json_free, but
 * json_free is harmless).  Memory: one array of tokens, proportional to
 * the input, which is at most JSON_MAX_TEXT bytes.
 */
int json_parse(struct json_doc *doc, const char *text, size_t len,
    struct json_err *err);
void json_free(struct json_doc *doc);

/* Format err as "line L, byte B: msg" into out (always terminated). */
void json_strerror(const struct json_err *err, char *out, size_t outlen);

/*
 * Lookups.  i is a token index.  json_get returns the index of the value
 * of member key of object i (the last one, as JavaScript's JSON.parse
 * does with duplicate keys), or -1.  json_streq tells whether string
 * token i decodes to exactly s.
 *
 * To walk object i: for (k = i + 1, n = 0; n < tok[i].size; n++,
 * k = tok[k + 1].next) { key k, value k + 1 }.  Arrays: the same with
 * one token per element and k = tok[k].next.
 */
int json_get(const struct json_doc *doc, int obj, const char *key);
int json_streq(const struct json_doc *doc, int i, const char *s);

/*
 * json_string: append the decoded bytes of string token i to out
 * (UTF-8; \u0000 becomes a NUL byte, so out->len is the length).
 */
void json_string(const struct json_doc *doc, int i, struct buf *out);

/*
 * json_utf8_check: the offset of the first byte of s[0..n) that is not
 * part of valid UTF-8, or n when all of it is.
 */
size_t json_utf8_check(const char *s, size_t n);

/*
 * json_check_value: validate text as one JSON value (json_parse without
 * keeping the tokens).  Returns 0, or -1 with err.
 */
int json_check_value(const char *text, size_t len, struct json_err *err);

/* Writer: append s[0..n) (valid UTF-8) as a JSON string. */
void json_write_string(struct buf *out, const char *s, size_t n);
/*
 * Append the value at token i compactly: strings re-escaped as
 * json_write_string does, numbers as written, no white space.
 */
void json_write_value(struct buf *out, const struct json_doc *doc, int i);

#endif
