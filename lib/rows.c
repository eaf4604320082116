/* rows: see rows.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rows.h"

/* The row's own columns, which no context or meta key may take. */
static const char *const own_keys[] = {
	"eventIndex", "eventName", "timestamp", "fields", NULL
};

/* xmcp's context keys, in its order (as payload.c writes them). */
static const char *const context_order[] = {
	"anonymousId", "projectHash", "sessionId", NULL
};

static int
refuse(struct payload *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->why, sizeof p->why, fmt, ap);
	va_end(ap);
	return -1;
}

static int
is_key(const struct member *m, const char *key)
{
	return m->keylen == strlen(key) && memcmp(m->key, key, m->keylen) == 0;
}

static int
digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		*v = *v * 10 + (s[i] - '0');
	}
	return 1;
}

int
rows_timestamp_ok(const char *s, size_t n)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
		30, 31 };
	int y, mo, d, h, mi, sec, ms, leap;

	if (n != 24 || !digits(s, 4, &y) || s[4] != '-' ||
	    !digits(s + 5, 2, &mo) || s[7] != '-' || !digits(s + 8, 2, &d) ||
	    s[10] != 'T' || !digits(s + 11, 2, &h) || s[13] != ':' ||
	    !digits(s + 14, 2, &mi) || s[16] != ':' ||
	    !digits(s + 17, 2, &sec) || s[19] != '.' ||
	    !digits(s + 20, 3, &ms) || s[23] != 'Z')
		return 0;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return y >= 1970 && y <= 2105 && mo >= 1 && mo <= 12 && d >= 1 &&
	    d <= mdays[mo - 1] + (mo == 2 && leap) && h <= 23 && mi <= 59 &&
	    sec <= 59;
}

/* A member of the row's prefix: ",key:value" (no comma for the first). */
static void
put_member(struct buf *out, const struct member *m)
{
	if (out->len > 1)
		buf_addc(out, ',');
	json_encode_string(out, m->key, m->keylen);
	buf_addc(out, ':');
	buf_add(out, m->value, m->valuelen);
}

/*
 * The part every row shares: "{" and the context and meta members.
 * Refuses a key that would be in a row twice.
 */
static int
prefix(struct payload *p, struct buf *out)
{
	const struct members *c = &p->context, *m = &p->meta;
	size_t i, j, k;
	int known, sid = 0;

	for (i = 0; i < c->n; i++)
		if (is_key(&c->m[i], "sessionId"))
			sid = c->m[i].valuelen > 2 && c->m[i].value[0] == '"';
	if (!sid)
		return refuse(p, "no sessionId (a non-empty string in the "
		    "context, as xt-id prints): rows need it to tell a resent "
		    "batch");
	for (k = 0; own_keys[k] != NULL; k++) {
		for (i = 0; i < c->n; i++)
			if (is_key(&c->m[i], own_keys[k]))
				return refuse(p, "context key \"%s\" is a "
				    "column of the row itself", own_keys[k]);
		for (i = 0; i < m->n; i++)
			if (is_key(&m->m[i], own_keys[k]))
				return refuse(p, "meta key \"%s\" is a column "
				    "of the row itself", own_keys[k]);
	}
	/* At most PAYLOAD_MAX_KEYS squared comparisons of short keys. */
	for (i = 0; i < m->n; i++)
		for (j = 0; j < c->n; j++)
			if (m->m[i].keylen == c->m[j].keylen &&
			    memcmp(m->m[i].key, c->m[j].key, c->m[j].keylen) == 0)
				return refuse(p, "meta key \"%.*s\" is also a "
				    "context key: a row has one of each",
				    (int)(c->m[j].keylen > 64 ? 64 :
				    c->m[j].keylen), c->m[j].key);

	buf_addc(out, '{');
	for (k = 0; context_order[k] != NULL; k++)
		for (i = 0; i < c->n; i++)
			if (is_key(&c->m[i], context_order[k]))
				put_member(out, &c->m[i]);
	for (i = 0; i < c->n; i++) {
		for (known = 0, k = 0; context_order[k] != NULL; k++)
			known |= is_key(&c->m[i], context_order[k]);
		if (!known)
			put_member(out, &c->m[i]);
	}
	for (i = 0; i < m->n; i++)
		put_member(out, &m->m[i]);
	return 0;
}

/* One row: the prefix, then event e of doc, which is number index
 * (0-based) of the batch. */
static int
row(struct payload *p, struct buf *out, const struct buf *pre,
    const struct json_doc *doc, int e, size_t index, struct buf *fields)
{
	struct json_iter it;
	const char *text;
	size_t len;
	int name = -1, ts = -1, f = -1;

	json_iter(&it, doc, e);
	while (json_next(&it)) {
		/* the last of duplicate keys wins, as in json_get */
		if (json_streq(doc, it.key, "eventName"))
			name = it.value;
		else if (json_streq(doc, it.key, "timestamp"))
			ts = it.value;
		else if (json_streq(doc, it.key, "fields"))
			f = it.value;
		else
			return refuse(p, "event %zu: a key other than "
			    "eventName, timestamp and fields: rows carry only "
			    "those", index + 1);
	}
	if (ts < 0)
		return refuse(p, "event %zu: no timestamp", index + 1);
	text = json_text(doc, ts, &len);
	if (json_typeof(doc, ts) != JSON_STRING ||
	    !rows_timestamp_ok(text + 1, len - 2))
		return refuse(p, "event %zu: timestamp is not "
		    "YYYY-MM-DDTHH:MM:SS.sssZ in UTC, 1970 to 2105", index + 1);
	if (f >= 0 && json_typeof(doc, f) != JSON_OBJECT)
		return refuse(p, "event %zu: fields is not an object",
		    index + 1);

	if (index > 0)
		buf_addc(out, '\n');
	buf_add(out, pre->data, pre->len);
	buf_printf(out, "%s\"eventIndex\":%zu,\"eventName\":",
	    pre->len > 1 ? "," : "", index);
	json_encode_value(out, doc, name);
	buf_adds(out, ",\"timestamp\":");
	json_encode_value(out, doc, ts);
	buf_adds(out, ",\"fields\":");
	buf_reset(fields);
	if (f >= 0)
		json_encode_value(fields, doc, f);
	else
		buf_adds(fields, "{}");
	json_encode_string(out, fields->data, fields->len);
	buf_addc(out, '}');
	return 0;
}

int
rows_render(struct payload *p, struct buf *out)
{
	struct buf pre, events, fields;
	struct json_doc doc;
	struct json_err err;
	struct json_iter it;
	int r = -1;

	if (p->nevents == 0)
		return refuse(p, "no events");
	buf_init(&pre, PAYLOAD_MAX);
	buf_init(&events, JSON_MAX_TEXT);
	buf_init(&fields, JSON_MAX_TEXT);
	memset(&doc, 0, sizeof doc);
	if (prefix(p, &pre) != 0)
		goto out;
	/* The events as one array, to walk them with the reader. */
	buf_addc(&events, '[');
	buf_add(&events, p->events.data, p->events.len);
	buf_addc(&events, ']');
	if (pre.full || events.full) {
		refuse(p, "the payload is over %d bytes", PAYLOAD_MAX);
		goto out;
	}
	if (json_parse(&doc, events.data, events.len, &err) != 0) {
		/* payload.c wrote them: this is a bug, not bad input */
		refuse(p, "the events do not read back: byte %zu: %s",
		    err.byte, err.why);
		goto out;
	}
	json_iter(&it, &doc, JSON_ROOT);
	while (json_next(&it))
		if (row(p, out, &pre, &doc, it.value, (size_t)it.index,
		    &fields) != 0)
			goto out;
	if (out->full || fields.full) {
		refuse(p, "the rows are over %d bytes",
		    out->full ? (int)out->max : JSON_MAX_TEXT);
		goto out;
	}
	r = 0;
out:
	json_free(&doc);
	buf_free(&pre);
	buf_free(&events);
	buf_free(&fields);
	return r;
}
