/* json: see json.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* jsmn is a header-only tokenizer: this file is its only user.  Its
 * non-strict mode is used on purpose: strict mode refuses a bare
 * top-level number ("1" alone) and we check everything ourselves.
 * Parent links keep it linear: without them every ',' and every closing
 * bracket scans back over all the tokens before it. */
#define JSMN_STATIC
#define JSMN_PARENT_LINKS
#include <jsmn.h>

#include <limits.h>

#include "json.h"
#include "utf8.h"

struct json_tok {
	enum json_type type;
	int start, end;	/* bytes [start, end) of the text; strings include quotes */
	int size;	/* arrays: elements; objects: members; else 0 */
	int next;	/* index of the first token after this value */
};

struct frame {
	int tok;	/* container token, or -1 for the document itself */
	int count;	/* tokens seen directly inside */
	int after;	/* where the text after the last of them starts */
};

struct parse {
	const char *s;
	size_t n;
	struct json_err *err;
};

static int
fail(const struct parse *p, size_t at, const char *fmt, ...)
{
	struct json_err *e = p->err;
	size_t i, linestart = 0;
	va_list ap;

	e->line = 1;
	for (i = 0; i < at && i < p->n; i++)
		if (p->s[i] == '\n') {
			e->line++;
			linestart = i + 1;
		}
	e->byte = at - linestart + 1;
	va_start(ap, fmt);
	vsnprintf(e->why, sizeof e->why, fmt, ap);
	va_end(ap);
	return -1;
}

void
json_strerror(const struct json_err *err, char *out, size_t outlen)
{
	snprintf(out, outlen, "line %zu, byte %zu: %s", err->line, err->byte,
	    err->why);
}

static int
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The value of 4 hex digits at s[i..i+4), or -1. */
static long
hex4(const char *s, size_t n, size_t i)
{
	long v = 0;
	size_t k;

	if (i + 4 > n)
		return -1;
	for (k = i; k < i + 4; k++) {
		char c = s[k];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/*
 * Check the string whose opening quote is at q.  Returns the offset just
 * past its closing quote, or -1.
 */
static long
check_string(const struct parse *p, size_t q)
{
	const char *s = p->s;
	size_t n = p->n, i = q + 1, k;
	long u, lo;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"')
			return (long)i + 1;
		if (c == '\\') {
			if (i + 1 >= n)
				break;
			switch (s[i + 1]) {
			case '"': case '\\': case '/':
			case 'b': case 'f': case 'n': case 'r': case 't':
				i += 2;
				continue;
			case 'u':
				if ((u = hex4(s, n, i + 2)) < 0)
					return fail(p, i, "bad \\u escape: "
					    "4 hex digits expected");
				if (u >= 0xDC00 && u <= 0xDFFF)
					return fail(p, i, "lone low surrogate "
					    "\\u%04lX", u);
				if (u < 0xD800 || u > 0xDBFF) {
					i += 6;
					continue;
				}
				if (i + 7 < n && s[i + 6] == '\\' &&
				    s[i + 7] == 'u' &&
				    (lo = hex4(s, n, i + 8)) >= 0xDC00 &&
				    lo <= 0xDFFF) {
					i += 12;
					continue;
				}
				return fail(p, i, "lone high surrogate \\u%04lX"
				    " (a low surrogate \\uDC00-\\uDFFF must "
				    "follow)", u);
			default:
				if ((unsigned char)s[i + 1] > 0x20 &&
				    (unsigned char)s[i + 1] < 0x7F)
					return fail(p, i, "bad escape '\\%c'",
					    s[i + 1]);
				return fail(p, i, "bad escape");
			}
		}
		if (c < 0x20)
			return fail(p, i, "control character U+%04X in string "
			    "(write it as \\u%04X)", c, c);
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((k = utf8_char(s + i, n - i)) == 0)
			return fail(p, i, "invalid UTF-8 (byte 0x%02X)", c);
		i += k;
	}
	return fail(p, q, "unterminated string");
}

/* Show at most 24 bytes of a primitive in a message. */
#define SHOW(s, a, b) (int)((b) - (a) > 24 ? 24 : (b) - (a)), (s) + (a)

static int
check_number(const struct parse *p, size_t a, size_t b)
{
	const char *s = p->s;
	size_t i = a;

	if (s[i] == '-')
		i++;
	if (i == b || !is_digit(s[i]))
		return fail(p, i, "bad number '%.*s': digit expected",
		    SHOW(s, a, b));
	if (s[i] == '0') {
		i++;
		if (i < b && is_digit(s[i]))
			return fail(p, i, "bad number '%.*s': leading zero",
			    SHOW(s, a, b));
	} else
		while (i < b && is_digit(s[i]))
			i++;
	if (i < b && s[i] == '.') {
		i++;
		if (i == b || !is_digit(s[i]))
			return fail(p, i, "bad number '%.*s': digit expected "
			    "after '.'", SHOW(s, a, b));
		while (i < b && is_digit(s[i]))
			i++;
	}
	if (i < b && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < b && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i == b || !is_digit(s[i]))
			return fail(p, i, "bad number '%.*s': digit expected "
			    "in exponent", SHOW(s, a, b));
		while (i < b && is_digit(s[i]))
			i++;
	}
	if (i != b)
		return fail(p, i, "bad number '%.*s'", SHOW(s, a, b));
	return 0;
}

static int
check_primitive(const struct parse *p, size_t a, size_t b,
    enum json_type *type)
{
	static const struct {
		const char *word;
		enum json_type type;
	} lit[] = {
		{ "true", JSON_TRUE }, { "false", JSON_FALSE },
		{ "null", JSON_NULL },
	};
	const char *s = p->s;
	size_t k;

	if (s[a] == '-' || is_digit(s[a])) {
		*type = JSON_NUMBER;
		return check_number(p, a, b);
	}
	for (k = 0; k < sizeof lit / sizeof lit[0]; k++)
		if (b - a == strlen(lit[k].word) &&
		    memcmp(s + a, lit[k].word, b - a) == 0) {
			*type = lit[k].type;
			return 0;
		}
	for (k = 0; k < sizeof lit / sizeof lit[0]; k++)
		if (s[a] == lit[k].word[0])
			return fail(p, a, "bad literal '%.*s' (%s expected)",
			    SHOW(s, a, b), lit[k].word);
	return fail(p, a, "not a JSON value: '%.*s'", SHOW(s, a, b));
}

/* A byte jsmn refused outside a string, from at onwards. */
static int
fail_unexpected(const struct parse *p, size_t at)
{
	size_t i;

	for (i = at; i < p->n; i++) {
		unsigned char c = (unsigned char)p->s[i];
		if (c < 0x20 && !is_ws((char)c))
			return fail(p, i, "control character U+%04X outside "
			    "a string", c);
		if (c >= 0x7F)
			return fail(p, i, "unexpected byte 0x%02X outside a "
			    "string", c);
	}
	return fail(p, at, "unexpected '%c'", p->s[at]);
}

/* Turn a jsmn error into a precise message. */
static int
fail_jsmn(const struct parse *p, int r, size_t pos)
{
	const char *s = p->s;

	if (pos < p->n && s[pos] == '"') {
		if (check_string(p, pos) < 0)
			return -1;
	}
	if (r == JSMN_ERROR_PART)
		return fail(p, p->n, "unexpected end of input");
	if (pos < p->n && (s[pos] == ']' || s[pos] == '}'))
		return fail(p, pos, "unexpected '%c'", s[pos]);
	if (pos < p->n)
		return fail_unexpected(p, pos);
	return fail(p, pos, "invalid JSON");
}

/* "unexpected ','" and the like; suffix says where, or is "". */
static int
fail_char(const struct parse *p, size_t at, const char *suffix)
{
	unsigned char c = (unsigned char)p->s[at];

	if (c > 0x20 && c < 0x7F)
		return fail(p, at, "unexpected '%c'%s", c, suffix);
	return fail(p, at, "unexpected byte 0x%02X%s", c, suffix);
}

/*
 * The text between two tokens: white space around exactly one want
 * character (or none when want is 0).  f says where we are.
 */
static int
check_gap(const struct parse *p, const struct frame *f,
    const struct json_tok *tok, size_t a, size_t b)
{
	const char *s = p->s;
	enum json_type in = f->tok < 0 ? JSON_NULL : tok[f->tok].type;
	char want = 0;
	size_t i = a;

	if (f->tok < 0 && f->count > 0)
		return fail(p, b, "more than one JSON value");
	if (in == JSON_ARRAY && f->count > 0)
		want = ',';
	else if (in == JSON_OBJECT && f->count > 0)
		want = f->count % 2 ? ':' : ',';
	while (i < b && is_ws(s[i]))
		i++;
	if (want != 0) {
		if (i == b || s[i] != want) {
			if (want == ':')
				return fail(p, i, "expected ':' after key");
			return fail(p, i, "expected ',' between %s",
			    in == JSON_ARRAY ? "values" : "members");
		}
		i++;
		while (i < b && is_ws(s[i]))
			i++;
	}
	if (i == b)
		return 0;
	if (s[i] == ',' && in == JSON_ARRAY)
		return fail(p, i, "empty element");
	if (s[i] == ',' && in == JSON_OBJECT)
		return fail(p, i, "empty member");
	return fail_char(p, i, "");
}

/* The end of container f: only white space may be left inside it. */
static int
close_frame(const struct parse *p, const struct frame *f,
    struct json_tok *tok)
{
	const char *s = p->s;
	struct json_tok *t = &tok[f->tok];
	size_t i = (size_t)f->after, b = (size_t)t->end - 1;

	while (i < b && is_ws(s[i]))
		i++;
	if (i < b) {
		if (s[i] == ',' && f->count > 0 &&
		    (t->type == JSON_ARRAY || f->count % 2 == 0))
			return fail(p, i, "trailing comma");
		if (s[i] == ':' && t->type == JSON_OBJECT && f->count % 2)
			return fail(p, b, "value expected after ':'");
		return fail_char(p, i, "");
	}
	if (t->type == JSON_OBJECT && f->count % 2)
		return fail(p, b, "expected ':' after key");
	t->size = t->type == JSON_OBJECT ? f->count / 2 : f->count;
	return 0;
}

static int
walk(const struct parse *p, const jsmntok_t *jt, struct json_tok *tok,
    int ntok)
{
	struct frame stack[JSON_MAX_DEPTH + 1];
	int sp = 0, i;

	stack[0].tok = -1;
	stack[0].count = 0;
	stack[0].after = 0;
	for (i = 0; i < ntok; i++) {
		int rs = jt[i].start, re = jt[i].end;
		struct frame *f;

		if (jt[i].type == JSMN_STRING) {
			rs--;	/* jsmn leaves the quotes out */
			re++;
		}
		while (sp > 0 && rs >= tok[stack[sp].tok].end) {
			if (close_frame(p, &stack[sp], tok) < 0)
				return -1;
			tok[stack[sp].tok].next = i;
			sp--;
			stack[sp].after = tok[stack[sp + 1].tok].end;
		}
		f = &stack[sp];
		if (check_gap(p, f, tok, (size_t)f->after, (size_t)rs) < 0)
			return -1;
		if (f->tok >= 0 && tok[f->tok].type == JSON_OBJECT &&
		    f->count % 2 == 0 && jt[i].type != JSMN_STRING)
			return fail(p, (size_t)rs, "object key must be a string");
		tok[i].start = rs;
		tok[i].end = re;
		tok[i].size = 0;
		tok[i].next = i + 1;
		f->count++;
		switch (jt[i].type) {
		case JSMN_STRING:
			if (check_string(p, (size_t)rs) < 0)
				return -1;
			tok[i].type = JSON_STRING;
			f->after = re;
			break;
		case JSMN_PRIMITIVE:
			if (check_primitive(p, (size_t)rs, (size_t)re,
			    &tok[i].type) < 0)
				return -1;
			f->after = re;
			break;
		case JSMN_OBJECT:
		case JSMN_ARRAY:
			if (sp == JSON_MAX_DEPTH)
				return fail(p, (size_t)rs, "nesting deeper than %d",
				    JSON_MAX_DEPTH);
			tok[i].type = jt[i].type == JSMN_OBJECT ? JSON_OBJECT :
			    JSON_ARRAY;
			sp++;
			stack[sp].tok = i;
			stack[sp].count = 0;
			stack[sp].after = rs + 1;
			break;
		default:
			return fail(p, (size_t)rs, "invalid JSON");
		}
	}
	while (sp > 0) {
		if (close_frame(p, &stack[sp], tok) < 0)
			return -1;
		tok[stack[sp].tok].next = ntok;
		sp--;
		stack[sp].after = tok[stack[sp + 1].tok].end;
	}
	if (stack[0].count == 0)
		return fail(p, p->n, "no JSON value");
	{
		size_t k = (size_t)stack[0].after;
		while (k < p->n && is_ws(p->s[k]))
			k++;
		if (k < p->n)
			return fail_char(p, k, " after the value");
	}
	return 0;
}

/* A byte that ends a primitive, as jsmn reads one. */
static int
ends_primitive(char c)
{
	return c == ':' || c == ',' || c == ']' || c == '}' || is_ws(c);
}

/*
 * Even with parent links, jsmn finds the container a closing bracket
 * closes by climbing from the last token, one step per open container:
 * quadratic in the depth.  Nesting past JSON_MAX_DEPTH is refused
 * anyway, so jsmn never reads past the bracket that goes too deep: this
 * is the length of the text up to and including it (lexed as jsmn lexes,
 * so the cut falls between tokens), or n when there is none.
 */
static size_t
depth_cut(const char *s, size_t n)
{
	size_t i = 0;
	int depth = 0;

	while (i < n) {
		switch (s[i]) {
		case '{':
		case '[':
			if (++depth > JSON_MAX_DEPTH)
				return i + 1;
			i++;
			break;
		case '}':
		case ']':
			if (--depth < 0)
				return n;	/* jsmn stops here */
			i++;
			break;
		case '"':
			for (i++; i < n && s[i] != '"'; i++)
				if (s[i] == '\\')
					i++;
			i++;
			break;
		case ',':
		case ':':
			i++;
			break;
		default:
			if (is_ws(s[i]))
				i++;
			else
				while (i < n && !ends_primitive(s[i]))
					i++;
			break;
		}
	}
	return n;
}

int
json_parse(struct json_doc *doc, const char *text, size_t len,
    struct json_err *err)
{
	struct parse p;
	jsmn_parser jp;
	jsmntok_t *jt = NULL;
	struct json_tok *tok = NULL;
	const char *nul;
	size_t cut;
	int count, r;

	memset(doc, 0, sizeof *doc);
	p.s = text;
	p.n = len;
	p.err = err;
	if (len > JSON_MAX_TEXT)
		return fail(&p, JSON_MAX_TEXT, "input over %d bytes",
		    JSON_MAX_TEXT);
	if ((nul = memchr(text, '\0', len)) != NULL)
		return fail(&p, (size_t)(nul - text), "NUL byte");

	cut = depth_cut(text, len);

	/* First pass counts tokens (and catches string errors). */
	jsmn_init(&jp);
	count = jsmn_parse(&jp, text, cut, NULL, 0);
	if (count < 0)
		return fail_jsmn(&p, count, jp.pos);
	if (count == 0) {
		size_t k = 0;
		while (k < len && is_ws(text[k]))
			k++;
		if (k < len)
			return fail_char(&p, k, "");
		return fail(&p, len, "no JSON value");
	}
	if ((jt = calloc((size_t)count, sizeof *jt)) == NULL ||
	    (tok = calloc((size_t)count, sizeof *tok)) == NULL) {
		free(jt);
		return fail(&p, 0, "out of memory");
	}
	jsmn_init(&jp);
	r = jsmn_parse(&jp, text, cut, jt, (unsigned)count);
	if (r == JSMN_ERROR_PART && cut < len) {
		/*
		 * The text was cut at a bracket too deep: the containers
		 * still open have no end.  Walk what there is, so errors
		 * before the cut are found in the same order as ever; the
		 * walk stops at the last token, the bracket too deep.
		 */
		int i;

		r = (int)jp.toknext;
		for (i = 0; i < r; i++)
			if (jt[i].end < 0)
				jt[i].end = INT_MAX;
		if (walk(&p, jt, tok, r) == 0)
			fail(&p, cut - 1, "nesting deeper than %d",
			    JSON_MAX_DEPTH);
		goto bad;
	}
	if (r < 0) {
		fail_jsmn(&p, r, jp.pos);
		goto bad;
	}
	if (walk(&p, jt, tok, r) < 0)
		goto bad;
	free(jt);
	doc->text = text;
	doc->len = len;
	doc->tok = tok;
	doc->ntok = r;
	return 0;
bad:
	free(jt);
	free(tok);
	return -1;
}

void
json_free(struct json_doc *doc)
{
	free(doc->tok);
	memset(doc, 0, sizeof *doc);
}

int
json_check_value(const char *text, size_t len, struct json_err *err)
{
	struct json_doc doc;

	if (json_parse(&doc, text, len, err) < 0)
		return -1;
	json_free(&doc);
	return 0;
}

/*
 * Decode one character of a checked string at s (not at its closing
 * quote) into out; returns the input bytes used, sets *outlen.
 */
static size_t
decode_char(const char *s, char out[4], size_t *outlen)
{
	unsigned long u;
	size_t used;

	if (s[0] != '\\') {
		size_t k = utf8_char(s, 4);
		memcpy(out, s, k);
		*outlen = k;
		return k;
	}
	switch (s[1]) {
	case 'b': out[0] = '\b'; break;
	case 'f': out[0] = '\f'; break;
	case 'n': out[0] = '\n'; break;
	case 'r': out[0] = '\r'; break;
	case 't': out[0] = '\t'; break;
	case 'u':
		u = (unsigned long)hex4(s, 6, 2);
		used = 6;
		if (u >= 0xD800 && u <= 0xDBFF) {
			u = 0x10000 + ((u - 0xD800) << 10) +
			    ((unsigned long)hex4(s + 6, 6, 2) - 0xDC00);
			used = 12;
		}
		if (u < 0x80) {
			out[0] = (char)u;
			*outlen = 1;
		} else if (u < 0x800) {
			out[0] = (char)(0xC0 | (u >> 6));
			out[1] = (char)(0x80 | (u & 0x3F));
			*outlen = 2;
		} else if (u < 0x10000) {
			out[0] = (char)(0xE0 | (u >> 12));
			out[1] = (char)(0x80 | ((u >> 6) & 0x3F));
			out[2] = (char)(0x80 | (u & 0x3F));
			*outlen = 3;
		} else {
			out[0] = (char)(0xF0 | (u >> 18));
			out[1] = (char)(0x80 | ((u >> 12) & 0x3F));
			out[2] = (char)(0x80 | ((u >> 6) & 0x3F));
			out[3] = (char)(0x80 | (u & 0x3F));
			*outlen = 4;
		}
		return used;
	default:	/* " \ / */
		out[0] = s[1];
		break;
	}
	*outlen = 1;
	return 2;
}

void
json_decode_string(const struct json_doc *doc, int i, struct buf *out)
{
	const char *s = doc->text;
	size_t k = (size_t)doc->tok[i].start + 1, end = (size_t)doc->tok[i].end - 1;
	char c[4];
	size_t n;

	buf_add(out, "", 0);	/* out->data is a string even when "" */
	while (k < end) {
		k += decode_char(s + k, c, &n);
		buf_add(out, c, n);
	}
}

struct keyref {
	const char *key;
	size_t len;
	int tok;
};

static int
keyref_cmp(const void *a, const void *b)
{
	const struct keyref *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = n > 0 ? memcmp(x->key, y->key, n) : 0;

	if (c != 0)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->tok - y->tok;
}

int
json_find_duplicate(const struct json_doc *doc)
{
	struct keyref *ref = NULL;
	struct json_iter it;
	size_t *off = NULL;
	struct buf keys;
	int i, m, n, found = -1;

	buf_init(&keys, 8 * (size_t)JSON_MAX_TEXT);
	for (i = 0; i < doc->ntok && found < 0; i++) {
		if (doc->tok[i].type != JSON_OBJECT || doc->tok[i].size < 2)
			continue;
		n = doc->tok[i].size;
		free(ref);
		free(off);
		ref = calloc((size_t)n, sizeof *ref);
		off = calloc((size_t)n, sizeof *off);
		if (ref == NULL || off == NULL) {
			found = -2;
			break;
		}
		buf_reset(&keys);
		json_iter(&it, doc, i);
		for (m = 0; m < n && json_next(&it); m++) {
			off[m] = keys.len;
			json_decode_string(doc, it.key, &keys);
			ref[m].len = keys.len - off[m];
			ref[m].tok = it.key;
		}
		if (keys.full) {
			found = -2;
			break;
		}
		for (m = 0; m < n; m++)
			ref[m].key = keys.data + off[m];
		qsort(ref, (size_t)n, sizeof *ref, keyref_cmp);
		for (m = 1; m < n; m++)
			if (ref[m].len == ref[m - 1].len && (ref[m].len == 0 ||
			    memcmp(ref[m].key, ref[m - 1].key, ref[m].len) == 0) &&
			    (found < 0 || ref[m].tok < found))
				found = ref[m].tok;
	}
	free(ref);
	free(off);
	buf_free(&keys);
	return found;
}

int
json_streq(const struct json_doc *doc, int i, const char *want)
{
	const char *s = doc->text;
	size_t k, end, wlen = strlen(want), w = 0;
	char c[4];
	size_t n;

	if (json_typeof(doc, i) != JSON_STRING)
		return 0;
	k = (size_t)doc->tok[i].start + 1;
	end = (size_t)doc->tok[i].end - 1;
	/* Fast path: no escapes, compare in place. */
	if (end - k == wlen && memchr(s + k, '\\', end - k) == NULL)
		return memcmp(s + k, want, wlen) == 0;
	while (k < end) {
		k += decode_char(s + k, c, &n);
		if (n > wlen - w || memcmp(c, want + w, n) != 0)
			return 0;
		w += n;
	}
	return w == wlen;
}

static int
valid(const struct json_doc *doc, int v)
{
	return v >= 0 && v < doc->ntok;
}

enum json_type
json_typeof(const struct json_doc *doc, int v)
{
	return valid(doc, v) ? doc->tok[v].type : JSON_NULL;
}

int
json_count(const struct json_doc *doc, int v)
{
	return valid(doc, v) ? doc->tok[v].size : 0;
}

const char *
json_text(const struct json_doc *doc, int v, size_t *len)
{
	if (!valid(doc, v)) {
		*len = 0;
		return "";
	}
	*len = (size_t)(doc->tok[v].end - doc->tok[v].start);
	return doc->text + doc->tok[v].start;
}

int
json_nonempty(const struct json_doc *doc, int v)
{
	return valid(doc, v) && doc->tok[v].type == JSON_STRING &&
	    doc->tok[v].end - doc->tok[v].start > 2;
}

void
json_iter(struct json_iter *it, const struct json_doc *doc, int v)
{
	it->doc = doc;
	it->key = it->value = -1;
	it->index = -1;
	it->object = json_typeof(doc, v) == JSON_OBJECT;
	it->left = it->object || json_typeof(doc, v) == JSON_ARRAY ?
	    doc->tok[v].size : 0;
	it->at = v + 1;
}

int
json_next(struct json_iter *it)
{
	if (it->left == 0)
		return 0;
	it->left--;
	it->index++;
	if (it->object) {
		it->key = it->at;
		it->value = it->at + 1;
	} else {
		it->key = -1;
		it->value = it->at;
	}
	it->at = it->doc->tok[it->value].next;
	return 1;
}

int
json_get(const struct json_doc *doc, int obj, const char *key)
{
	struct json_iter it;
	int found = -1;

	json_iter(&it, doc, obj);
	if (!it.object)
		return -1;
	while (json_next(&it))
		if (json_streq(doc, it.key, key))
			found = it.value;
	return found;
}

/* Append one decoded character, escaped as jq -c does. */
static void
write_char(struct buf *out, const char *c, size_t n)
{
	unsigned char b = (unsigned char)c[0];

	if (n > 1) {
		buf_add(out, c, n);
		return;
	}
	switch (b) {
	case '"': buf_add(out, "\\\"", 2); return;
	case '\\': buf_add(out, "\\\\", 2); return;
	case '\b': buf_add(out, "\\b", 2); return;
	case '\f': buf_add(out, "\\f", 2); return;
	case '\n': buf_add(out, "\\n", 2); return;
	case '\r': buf_add(out, "\\r", 2); return;
	case '\t': buf_add(out, "\\t", 2); return;
	}
	if (b < 0x20 || b == 0x7F)
		buf_printf(out, "\\u%04x", b);
	else
		buf_addc(out, (char)b);
}

static int
plain(unsigned char b)
{
	return b >= 0x20 && b != '"' && b != '\\' && b != 0x7F;
}

void
json_encode_string(struct buf *out, const char *s, size_t n)
{
	size_t i = 0, run;

	buf_addc(out, '"');
	while (i < n) {
		for (run = i; run < n && plain((unsigned char)s[run]); run++)
			;
		buf_add(out, s + i, run - i);
		if (run < n)
			write_char(out, s + run, 1);
		i = run + 1;
	}
	buf_addc(out, '"');
}

static void
write_decoded(struct buf *out, const struct json_doc *doc, int i)
{
	const char *s = doc->text;
	size_t k = (size_t)doc->tok[i].start + 1, end = (size_t)doc->tok[i].end - 1;
	char c[4];
	size_t n;

	buf_addc(out, '"');
	while (k < end) {
		if (s[k] != '\\') {	/* checked: plain bytes go as they are */
			size_t run = k;
			while (run < end && s[run] != '\\' && s[run] != 0x7F)
				run++;
			if (run > k) {
				buf_add(out, s + k, run - k);
				k = run;
				continue;
			}
		}
		k += decode_char(s + k, c, &n);
		write_char(out, c, n);
	}
	buf_addc(out, '"');
}

void
json_encode_value(struct buf *out, const struct json_doc *doc, int i)
{
	const struct json_tok *t = &doc->tok[i];
	struct json_iter it;

	switch (t->type) {
	case JSON_STRING:
		write_decoded(out, doc, i);
		break;
	case JSON_ARRAY:
	case JSON_OBJECT:
		buf_addc(out, t->type == JSON_ARRAY ? '[' : '{');
		json_iter(&it, doc, i);
		while (json_next(&it)) {
			if (it.index > 0)
				buf_addc(out, ',');
			if (it.key >= 0) {
				write_decoded(out, doc, it.key);
				buf_addc(out, ':');
			}
			json_encode_value(out, doc, it.value);
		}
		buf_addc(out, t->type == JSON_ARRAY ? ']' : '}');
		break;
	default:
		buf_add(out, doc->text + t->start, (size_t)(t->end - t->start));
		break;
	}
}
