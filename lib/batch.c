/* batch: check a received payload and take it apart (batch.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "json.h"
#include "utf8.h"
#include "util.h"

/* Room for every decoded string and every value's compact text. */
#define BATCH_TEXT_MAX	(2 * JSON_MAX_TEXT)

static int
fail(struct batch *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b->why, sizeof b->why, fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * A key as it may be shown in a message: printable ASCII only, at most
 * 40 bytes, so a hostile key cannot fill or garble the one line.
 */
static void
show_key(const struct json_doc *doc, int k, char *out, size_t outlen)
{
	struct buf s;
	size_t i, o = 0;

	buf_init(&s, 4096);
	json_decode_string(doc, k, &s);
	for (i = 0; i < s.len && o + 4 < outlen && i < 40; i++) {
		unsigned char c = (unsigned char)s.data[i];
		out[o++] = c >= 0x20 && c < 0x7F ? (char)c : '?';
	}
	if (i < s.len && o + 4 < outlen)
		out[o++] = '.', out[o++] = '.', out[o++] = '.';
	out[o] = '\0';
	buf_free(&s);
}

static void
keep_string(struct batch *b, const struct json_doc *doc, int i,
    struct batch_str *s)
{
	s->off = b->text.len;
	json_decode_string(doc, i, &b->text);
	s->len = b->text.len - s->off;
	s->set = 1;
}

static void
keep_value(struct batch *b, const struct json_doc *doc, int i,
    struct batch_str *s)
{
	s->off = b->text.len;
	json_encode_value(&b->text, doc, i);
	s->len = b->text.len - s->off;
	s->set = 1;
}

const char *
batch_bytes(const struct batch *b, const struct batch_str *s)
{
	return b->text.data + s->off;
}

static int
is_hex_id(const char *s, size_t n)
{
	return n == BATCH_HEX_ID && xt_is_hex(s, n);
}

/* A string token that holds 64 lowercase hex digits, copied to out. */
static int
hex_id(const struct json_doc *doc, int i, char out[BATCH_HEX_ID + 1])
{
	const char *s;
	size_t n;

	if (json_typeof(doc, i) != JSON_STRING)
		return 0;
	s = json_text(doc, i, &n);	/* hex digits need no escapes: "..." */
	if (n < 2 || !is_hex_id(s + 1, n - 2))
		return 0;
	memcpy(out, s + 1, BATCH_HEX_ID);
	out[BATCH_HEX_ID] = '\0';
	return 1;
}

const char *
batch_name_problem(const char *name, size_t n)
{
	static char over[XT_SIZE_WORDS + 8];
	size_t i;

	if (n == 0)
		return "empty";
	if (n > BATCH_NAME_MAX) {
		snprintf(over, sizeof over, "over %d bytes", BATCH_NAME_MAX);
		return over;
	}
	if (utf8_check(name, n) < n)
		return "invalid UTF-8";
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c < 0x20 || c == 0x7F ||
		    (c == 0xC2 && i + 1 < n && (unsigned char)name[i + 1] < 0xA0))
			return "not printable";
	}
	return NULL;
}

static int
digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

int
batch_time_ok(const char *s, size_t n)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, mo, d, h, mi, sec, ms, leap;

	if (n != 24 || digits(s, 4, &y) || s[4] != '-' ||
	    digits(s + 5, 2, &mo) || s[7] != '-' || digits(s + 8, 2, &d) ||
	    s[10] != 'T' || digits(s + 11, 2, &h) || s[13] != ':' ||
	    digits(s + 14, 2, &mi) || s[16] != ':' || digits(s + 17, 2, &sec) ||
	    s[19] != '.' || digits(s + 20, 3, &ms) || s[23] != 'Z')
		return 0;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return mo >= 1 && mo <= 12 && d >= 1 &&
	    d <= mdays[mo - 1] + (mo == 2 && leap) && h <= 23 && mi <= 59 &&
	    sec <= 59;
}


/*
 * The keys a batch keeps as they came (xt-hash -k, xt-meta -k), as one
 * compact object in the batch's text: extra_add appends a member,
 * opening the object at the first; extra_end closes it, if opened.
 */
static void
extra_add(struct buf *t, struct batch_str *x, const struct json_doc *doc,
    int k, int v)
{
	if (!x->set) {
		x->off = t->len;
		x->set = 1;
		buf_addc(t, '{');
	} else
		buf_addc(t, ',');
	json_encode_value(t, doc, k);
	buf_addc(t, ':');
	json_encode_value(t, doc, v);
}

static void
extra_end(struct buf *t, struct batch_str *x)
{
	if (x->set) {
		buf_addc(t, '}');
		x->len = t->len - x->off;
	}
}

static int
parse_context(struct batch *b, const struct json_doc *doc, int ctx)
{
	char key[64], id[BATCH_HEX_ID + 1];
	struct buf *t = &b->text;
	struct json_iter it;
	int k;

	if (json_typeof(doc, ctx) != JSON_OBJECT)
		return fail(b, "context: not an object");
	json_iter(&it, doc, ctx);
	while (json_next(&it)) {
		char *dst = id;

		k = it.key;
		if (json_streq(doc, k, "anonymousId"))
			dst = b->anonymous_id;
		else if (json_streq(doc, k, "sessionId"))
			dst = b->session_id;
		else if (json_streq(doc, k, "projectHash"))
			dst = b->project_hash;
		if (!hex_id(doc, it.value, dst)) {
			show_key(doc, k, key, sizeof key);
			return fail(b, "context.%s: not 64 lowercase hex digits", key);
		}
		if (dst != id)
			continue;
		/* xt-hash -k KEY: another salted hash, kept as it came */
		extra_add(t, &b->context_extra, doc, k, it.value);
	}
	extra_end(t, &b->context_extra);
	if (b->anonymous_id[0] == '\0')
		return fail(b, "context.anonymousId: missing");
	if (b->session_id[0] == '\0')
		return fail(b, "context.sessionId: missing");
	return 0;
}

/* A meta string: decoded, at most BATCH_MAX_STRING bytes, no controls. */
static int
meta_string(struct batch *b, const struct json_doc *doc, int i,
    struct batch_str *s, const char *name, int nullable)
{
	size_t k;
	const char *p;

	if (nullable && json_typeof(doc, i) == JSON_NULL)
		return 0;
	if (json_typeof(doc, i) != JSON_STRING)
		return fail(b, "meta.%s: not a string%s", name,
		    nullable ? " or null" : "");
	keep_string(b, doc, i, s);
	if (s->len > BATCH_MAX_STRING)
		return fail(b, "meta.%s: over %d bytes", name, BATCH_MAX_STRING);
	p = batch_bytes(b, s);
	for (k = 0; k < s->len; k++)
		if ((unsigned char)p[k] < 0x20 || p[k] == 0x7F)
			return fail(b, "meta.%s: a control character", name);
	return 0;
}

/* A whole number, 0 to 10^15: no sign, fraction or exponent. */
static int
meta_int(struct batch *b, const struct json_doc *doc, int i,
    struct batch_int *v, const char *name)
{
	const char *s;
	size_t n, k;

	if (json_typeof(doc, i) != JSON_NUMBER)
		return fail(b, "meta.%s: not a number", name);
	s = json_text(doc, i, &n);
	if (n > 15)
		return fail(b, "meta.%s: too large", name);
	v->v = 0;
	for (k = 0; k < n; k++) {
		if (s[k] < '0' || s[k] > '9')
			return fail(b, "meta.%s: not a whole number", name);
		v->v = v->v * 10 + (s[k] - '0');
	}
	v->set = 1;
	return 0;
}

static int
meta_bool(struct batch *b, const struct json_doc *doc, int i, int *v,
    const char *name)
{
	if (json_typeof(doc, i) == JSON_TRUE)
		*v = 1;
	else if (json_typeof(doc, i) == JSON_FALSE)
		*v = 0;
	else
		return fail(b, "meta.%s: not true or false", name);
	return 0;
}

static int
parse_meta(struct batch *b, const struct json_doc *doc, int meta)
{
	struct buf *t = &b->text;
	struct json_iter it;
	int k, v, r;

	if (json_typeof(doc, meta) != JSON_OBJECT)
		return fail(b, "meta: not an object");
	json_iter(&it, doc, meta);
	while (json_next(&it)) {
		k = it.key;
		v = it.value;
		if (json_streq(doc, k, "platform"))
			r = meta_string(b, doc, v, &b->platform, "platform", 0);
		else if (json_streq(doc, k, "systemRelease"))
			r = meta_string(b, doc, v, &b->system_release, "systemRelease", 0);
		else if (json_streq(doc, k, "arch"))
			r = meta_string(b, doc, v, &b->arch, "arch", 0);
		else if (json_streq(doc, k, "cpuModel"))
			r = meta_string(b, doc, v, &b->cpu_model, "cpuModel", 0);
		else if (json_streq(doc, k, "ciName"))
			r = meta_string(b, doc, v, &b->ci_name, "ciName", 1);
		else if (json_streq(doc, k, "cpuCores"))
			r = meta_int(b, doc, v, &b->cpu_cores, "cpuCores");
		else if (json_streq(doc, k, "cpuSpeed"))
			r = meta_int(b, doc, v, &b->cpu_speed, "cpuSpeed");
		else if (json_streq(doc, k, "memoryTotal"))
			r = meta_int(b, doc, v, &b->memory_total, "memoryTotal");
		else if (json_streq(doc, k, "isDocker"))
			r = meta_bool(b, doc, v, &b->is_docker, "isDocker");
		else if (json_streq(doc, k, "isWsl"))
			r = meta_bool(b, doc, v, &b->is_wsl, "isWsl");
		else if (json_streq(doc, k, "isCI"))
			r = meta_bool(b, doc, v, &b->is_ci, "isCI");
		else {
			/* xt-meta -k KEY=VALUE: the maintainer's own */
			extra_add(t, &b->meta_extra, doc, k, v);
			r = 0;
		}
		if (r != 0)
			return r;
	}
	extra_end(t, &b->meta_extra);
	return 0;
}

static int
parse_event(struct batch *b, const struct json_doc *doc, int i, size_t idx)
{
	struct batch_event *e = &b->event[idx];
	char key[64];
	const char *s, *problem;
	size_t len;
	struct json_iter it;
	int k, ts = 0;

	memset(e, 0, sizeof *e);
	if (json_typeof(doc, i) != JSON_OBJECT)
		return fail(b, "events[%zu]: not an object", idx);
	json_iter(&it, doc, i);
	while (json_next(&it)) {
		k = it.key;
		if (json_streq(doc, k, "eventName")) {
			if (json_typeof(doc, it.value) != JSON_STRING)
				return fail(b, "events[%zu].eventName: not a "
				    "string", idx);
			keep_string(b, doc, it.value, &e->name);
		} else if (json_streq(doc, k, "timestamp")) {
			if (json_typeof(doc, it.value) != JSON_STRING ||
			    (s = json_text(doc, it.value, &len), !batch_time_ok(s + 1, len - 2)))
				return fail(b, "events[%zu].timestamp: not "
				    "YYYY-MM-DDTHH:MM:SS.sssZ", idx);
			memcpy(e->timestamp, s + 1, 24);
			e->timestamp[24] = '\0';
			ts = 1;
		} else if (json_streq(doc, k, "fields")) {
			if (json_typeof(doc, it.value) != JSON_OBJECT)
				return fail(b, "events[%zu].fields: not an "
				    "object", idx);
			keep_value(b, doc, it.value, &e->fields);
		} else {
			show_key(doc, k, key, sizeof key);
			return fail(b, "events[%zu]: unknown key \"%s\"", idx, key);
		}
	}
	if (!e->name.set)
		return fail(b, "events[%zu].eventName: missing", idx);
	if ((problem = batch_name_problem(batch_bytes(b, &e->name),
	    e->name.len)) != NULL)
		return fail(b, "events[%zu].eventName: %s", idx, problem);
	if (!ts)
		return fail(b, "events[%zu].timestamp: missing", idx);
	if (!e->fields.set) {
		e->fields.off = b->text.len;
		buf_adds(&b->text, "{}");
		e->fields.len = 2;
		e->fields.set = 1;
	}
	return 0;
}

static int
parse_events(struct batch *b, const struct json_doc *doc, int arr)
{
	struct json_iter it;

	if (json_typeof(doc, arr) != JSON_ARRAY)
		return fail(b, "events: not an array");
	if (json_count(doc, arr) == 0)
		return fail(b, "events: empty");
	if (json_count(doc, arr) > BATCH_MAX_EVENTS)
		return fail(b, "events: over %d", BATCH_MAX_EVENTS);
	json_iter(&it, doc, arr);
	while (json_next(&it))
		if (parse_event(b, doc, it.value, b->nevents++) != 0)
			return -1;
	return 0;
}

static int
parse_root(struct batch *b, const struct json_doc *doc)
{
	char key[64];
	struct json_iter it;
	int k, ctx = -1, meta = -1, events = -1;

	if (json_typeof(doc, JSON_ROOT) != JSON_OBJECT)
		return fail(b, "not a JSON object");
	json_iter(&it, doc, JSON_ROOT);
	while (json_next(&it)) {
		k = it.key;
		if (json_streq(doc, k, "context"))
			ctx = it.value;
		else if (json_streq(doc, k, "meta"))
			meta = it.value;
		else if (json_streq(doc, k, "events"))
			events = it.value;
		else {
			show_key(doc, k, key, sizeof key);
			return fail(b, "unknown key \"%s\"", key);
		}
	}
	if (ctx < 0)
		return fail(b, "context: missing");
	if (meta < 0)
		return fail(b, "meta: missing");
	if (events < 0)
		return fail(b, "events: missing");
	if (parse_context(b, doc, ctx) != 0 || parse_meta(b, doc, meta) != 0 ||
	    parse_events(b, doc, events) != 0)
		return -1;
	if (b->text.full)
		return fail(b, "too large");
	return 0;
}

int
batch_parse(struct batch *b, const char *text, size_t len)
{
	struct json_doc doc;
	struct json_err jerr;
	char where[160];
	int r;

	memset(b, 0, offsetof(struct batch, event));
	b->is_docker = b->is_wsl = b->is_ci = -1;
	b->nevents = 0;
	b->why[0] = '\0';
	buf_init(&b->text, BATCH_TEXT_MAX);
	if (len > JSON_MAX_TEXT)
		return fail(b, "over %d bytes", JSON_MAX_TEXT);
	if (json_parse(&doc, text, len, &jerr) != 0) {
		json_strerror(&jerr, where, sizeof where);
		return fail(b, "not JSON: %s", where);
	}
	r = parse_root(b, &doc);
	json_free(&doc);
	return r;
}

void
batch_free(struct batch *b)
{
	buf_free(&b->text);
}
