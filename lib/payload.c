/* payload: see payload.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "payload.h"

/* xmcp's context keys, in its order; others follow as first seen. */
static const char *const context_order[] = {
	"anonymousId", "projectHash", "sessionId", NULL
};

static int
refuse(struct payload *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(p->why, sizeof p->why, "line %zu: ", p->line);
	if (n < 0 || (size_t)n >= sizeof p->why)
		n = 0;
	va_start(ap, fmt);
	vsnprintf(p->why + n, sizeof p->why - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

void
payload_init(struct payload *p)
{
	memset(p, 0, sizeof *p);
	members_init(&p->context, PAYLOAD_MAX_KEYS);
	members_init(&p->meta, PAYLOAD_MAX_KEYS);
	buf_init(&p->events, PAYLOAD_MAX);
}

void
payload_free(struct payload *p)
{
	members_free(&p->context);
	members_free(&p->meta);
	buf_free(&p->events);
}

/* Merge object i of doc into o, key by key, a later value winning. */
static int
merge(struct payload *p, struct members *o, const struct json_doc *doc,
    int i, const char *what)
{
	if (members_merge(o, doc, i) == 0)
		return 0;
	if (errno == E2BIG)
		return refuse(p, "%s: more than %d keys", what,
		    PAYLOAD_MAX_KEYS);
	return refuse(p, "%s: out of memory", what);
}

static int
is_event(const struct json_doc *doc, int i)
{
	int k;

	return json_typeof(doc, i) == JSON_OBJECT &&
	    (k = json_get(doc, i, "eventName")) >= 0 && json_nonempty(doc, k);
}

static void
append_event(struct payload *p, const struct json_doc *doc, int i)
{
	if (p->nevents > 0)
		buf_addc(&p->events, ',');
	json_encode_value(&p->events, doc, i);
	p->nevents++;
}

/* One fragment: the root object of doc. */
static int
add_fragment(struct payload *p, const struct json_doc *doc)
{
	struct json_iter it, ev;
	int k, v;

	if (json_typeof(doc, JSON_ROOT) != JSON_OBJECT)
		return refuse(p, "not a JSON object");
	if (json_get(doc, JSON_ROOT, "eventName") >= 0) {
		if (!is_event(doc, JSON_ROOT))
			return refuse(p, "eventName is not a non-empty string");
		append_event(p, doc, JSON_ROOT);
		return 0;
	}
	if (json_count(doc, JSON_ROOT) == 0)
		return refuse(p, "an empty object is no fragment");
	/* Check the whole line before merging any of it. */
	json_iter(&it, doc, JSON_ROOT);
	while (json_next(&it)) {
		k = it.key;
		v = it.value;
		if (json_streq(doc, k, "context") || json_streq(doc, k, "meta")) {
			if (json_typeof(doc, v) != JSON_OBJECT)
				return refuse(p, "\"%s\" is not an object",
				    json_streq(doc, k, "meta") ? "meta" : "context");
		} else if (json_streq(doc, k, "events")) {
			if (json_typeof(doc, v) != JSON_ARRAY)
				return refuse(p, "\"events\" is not an array");
			json_iter(&ev, doc, v);
			while (json_next(&ev))
				if (!is_event(doc, ev.value))
					return refuse(p, "events[%d] is not an "
					    "event (an object with an "
					    "eventName)", ev.index);
		} else
			return refuse(p, "not a payload fragment: an event "
			    "(with eventName) or an object of context, meta "
			    "and events was expected");
	}
	json_iter(&it, doc, JSON_ROOT);
	while (json_next(&it)) {
		k = it.key;
		v = it.value;
		if (json_streq(doc, k, "context")) {
			if (merge(p, &p->context, doc, v, "context") != 0)
				return -1;
		} else if (json_streq(doc, k, "meta")) {
			if (merge(p, &p->meta, doc, v, "meta") != 0)
				return -1;
		} else {
			json_iter(&ev, doc, v);
			while (json_next(&ev))
				append_event(p, doc, ev.value);
		}
	}
	return 0;
}

int
payload_add_lines(struct payload *p, const char *text, size_t len)
{
	const char *line = text, *end = text + len, *nl;
	struct json_doc doc;
	struct json_err err;
	size_t n, k;
	int r;

	while (line < end) {
		p->line++;
		nl = memchr(line, '\n', (size_t)(end - line));
		n = (size_t)((nl != NULL ? nl : end) - line);
		for (k = 0; k < n && (line[k] == ' ' || line[k] == '\t' ||
		    line[k] == '\r'); k++)
			;
		if (k < n) {
			if (json_parse(&doc, line, n, &err) != 0)
				return refuse(p, "not JSON: byte %zu: %s",
				    err.byte, err.why);
			r = add_fragment(p, &doc);
			json_free(&doc);
			if (r != 0)
				return -1;
			if (p->events.full)
				return refuse(p, "the events are over %d bytes",
				    PAYLOAD_MAX);
		}
		if (nl == NULL)
			break;
		line = nl + 1;
	}
	return 0;
}

static int
is_key(const struct member *m, const char *key)
{
	return m->keylen == strlen(key) && memcmp(m->key, key, m->keylen) == 0;
}

static void
render_member(struct buf *out, const struct member *m, int *first)
{
	if (!*first)
		buf_addc(out, ',');
	*first = 0;
	json_encode_string(out, m->key, m->keylen);
	buf_addc(out, ':');
	buf_add(out, m->value, m->valuelen);
}

int
payload_render(struct payload *p, struct buf *out)
{
	const struct members *o = &p->context;
	const struct member *m;
	size_t i, k;
	int first = 1, known;

	if (p->nevents == 0) {
		snprintf(p->why, sizeof p->why, "no events");
		return -1;
	}
	buf_adds(out, "{\"context\":{");
	for (k = 0; context_order[k] != NULL; k++)
		if ((m = members_get(o, context_order[k],
		    strlen(context_order[k]))) != NULL)
			render_member(out, m, &first);
	for (i = 0; i < o->n; i++) {
		for (known = 0, k = 0; context_order[k] != NULL; k++)
			known |= is_key(&o->m[i], context_order[k]);
		if (!known)
			render_member(out, &o->m[i], &first);
	}
	buf_adds(out, "},\"meta\":{");
	for (first = 1, i = 0; i < p->meta.n; i++)
		render_member(out, &p->meta.m[i], &first);
	buf_adds(out, "},\"events\":[");
	buf_add(out, p->events.data, p->events.len);
	buf_adds(out, "]}");
	if (out->full || out->len > PAYLOAD_MAX) {
		snprintf(p->why, sizeof p->why, "the payload is over %d bytes",
		    PAYLOAD_MAX);
		return -1;
	}
	return 0;
}
