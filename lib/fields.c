/* fields: see fields.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fields.h"
#include "json.h"
#include "utf8.h"

#define SHOW_MAX 60

void
fields_init(struct fields *f)
{
	buf_init(&f->members, FIELDS_MAX_BYTES);
	buf_init(&f->keys, FIELDS_MAX * 1024 + FIELDS_MAX_BYTES);
	f->n = 0;
	f->why[0] = '\0';
}

void
fields_free(struct fields *f)
{
	buf_free(&f->members);
	buf_free(&f->keys);
}

void
fields_show(char *out, size_t outlen, const char *s, size_t n)
{
	size_t i = 0, o = 0, len;

	while (i < n && o + 8 < outlen) {
		unsigned char c = (unsigned char)s[i];

		if (o >= SHOW_MAX) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		len = utf8_char(s + i, n - i);
		if (c >= 0x20 && c != 0x7F && len > 0 && o + len < outlen) {
			/* printable ASCII, or a whole UTF-8 character */
			memcpy(out + o, s + i, len);
			o += len;
			i += len;
			continue;
		}
		o += (size_t)snprintf(out + o, outlen - o, "\\x%02X", c);
		i++;
	}
	out[o] = '\0';
}

static int
refuse(struct fields *f, const char *what, const char *s, size_t n,
    const char *fmt, ...)
{
	char shown[SHOW_MAX * 4 + 8];
	va_list ap;
	int k;

	fields_show(shown, sizeof shown, s, n);
	k = snprintf(f->why, sizeof f->why, "%s '%s': ", what, shown);
	if (k < 0 || (size_t)k >= sizeof f->why)
		k = 0;
	va_start(ap, fmt);
	vsnprintf(f->why + k, sizeof f->why - (size_t)k, fmt, ap);
	va_end(ap);
	return -1;
}

static int
has_key(const struct fields *f, const char *key, size_t n)
{
	const char *p = f->keys.data, *end;

	if (p == NULL)
		return 0;
	end = p + f->keys.len;
	while (p < end) {
		size_t len = strlen(p);
		if (len == n && memcmp(p, key, n) == 0)
			return 1;
		p += len + 1;
	}
	return 0;
}

void
fields_reserve(struct fields *f, const char *key)
{
	buf_add(&f->keys, key, strlen(key) + 1);
	f->n++;
}

/*
 * Check a key (raw bytes), then append "key": to the members.  The value
 * is appended by the caller; fields_commit checks the size after it.
 */
static int
begin(struct fields *f, const char *what, const char *word, size_t wlen,
    const char *key, size_t klen)
{
	size_t bad;

	if (klen == 0)
		return refuse(f, what, word, wlen, "empty key");
	if ((bad = utf8_check(key, klen)) < klen)
		return refuse(f, what, word, wlen, "invalid UTF-8 in the key "
		    "(byte %zu)", bad + 1);
	if (memchr(key, '\0', klen) != NULL)
		return refuse(f, what, word, wlen, "NUL in the key");
	if (has_key(f, key, klen))
		return refuse(f, what, word, wlen, "duplicate key");
	if (f->n >= FIELDS_MAX)
		return refuse(f, what, word, wlen, "more than %d fields",
		    FIELDS_MAX);
	f->n++;
	buf_add(&f->keys, key, klen);
	buf_addc(&f->keys, '\0');
	if (f->members.len > 0)
		buf_addc(&f->members, ',');
	json_encode_string(&f->members, key, klen);
	buf_addc(&f->members, ':');
	return 0;
}

/* Where a word started, to take it back whole when it is refused. */
struct mark {
	size_t members, keys, n;
};

static void
mark(const struct fields *f, struct mark *m)
{
	m->members = f->members.len;
	m->keys = f->keys.len;
	m->n = f->n;
}

static int
rollback(struct fields *f, const struct mark *m)
{
	f->members.len = m->members;
	f->members.full = 0;
	if (f->members.data != NULL)
		f->members.data[m->members] = '\0';
	f->keys.len = m->keys;
	f->keys.full = 0;
	if (f->keys.data != NULL)
		f->keys.data[m->keys] = '\0';
	f->n = m->n;
	return -1;
}

static int
commit(struct fields *f, const struct mark *m, const char *what,
    const char *word, size_t wlen)
{
	if (f->members.full || f->keys.full) {
		rollback(f, m);
		return refuse(f, what, word, wlen, "the fields are over %d "
		    "bytes of JSON", FIELDS_MAX_BYTES);
	}
	return 0;
}

int
fields_add_word(struct fields *f, const char *word)
{
	size_t wlen = strlen(word), klen, vlen, bad;
	const char *eq = strchr(word, '='), *value;
	struct json_doc doc;
	struct json_err err;
	struct mark m;
	int json;

	if (eq == NULL)
		return refuse(f, "field", word, wlen, "no '=' (write key=value "
		    "for a string, key:=json for a JSON value)");
	json = eq > word && eq[-1] == ':';
	klen = (size_t)(eq - word) - (json ? 1 : 0);
	value = eq + 1;
	vlen = strlen(value);
	/* The value first: a refused word must leave nothing behind. */
	if (!json && (bad = utf8_check(value, vlen)) < vlen)
		return refuse(f, "field", word, wlen, "invalid UTF-8 in the "
		    "value (byte %zu)", bad + 1);
	if (json && json_parse(&doc, value, vlen, &err) != 0)
		return refuse(f, "field", word, wlen, "not a JSON value "
		    "(byte %zu: %s)", err.byte, err.why);
	/* jq -c keeps the last of two equal keys; we promise its output,
	 * so a value where that would matter is refused, as a duplicate
	 * field name is. */
	if (json && json_find_duplicate(&doc) != -1) {
		json_free(&doc);
		return refuse(f, "field", word, wlen, "a duplicate key inside "
		    "the JSON value");
	}
	mark(f, &m);
	if (begin(f, "field", word, wlen, word, klen) != 0) {
		if (json)
			json_free(&doc);
		return -1;
	}
	if (json) {
		json_encode_value(&f->members, &doc, JSON_ROOT);
		json_free(&doc);
	} else
		json_encode_string(&f->members, value, vlen);
	return commit(f, &m, "field", word, wlen);
}

int
fields_add_object(struct fields *f, const char *text, size_t len,
    const char *what)
{
	struct json_doc doc;
	struct json_err err;
	struct buf key;
	char msg[sizeof f->why];
	struct json_iter it;
	struct mark mk;
	int r = 0;

	if (json_parse(&doc, text, len, &err) != 0) {
		json_strerror(&err, msg, sizeof msg);
		if (snprintf(f->why, sizeof f->why, "%s: not JSON: %s", what,
		    msg) >= (int)sizeof f->why)
			f->why[sizeof f->why - 1] = '\0';	/* shortened */
		return -1;
	}
	if (json_typeof(&doc, JSON_ROOT) != JSON_OBJECT) {
		json_free(&doc);
		snprintf(f->why, sizeof f->why, "%s: not a JSON object", what);
		return -1;
	}
	buf_init(&key, FIELDS_MAX_BYTES);
	json_iter(&it, &doc, JSON_ROOT);
	while (json_next(&it)) {
		buf_reset(&key);
		json_decode_string(&doc, it.key, &key);
		mark(f, &mk);
		if (begin(f, "key", key.data, key.len, key.data, key.len) != 0 ||
		    (json_encode_value(&f->members, &doc, it.value),
		    commit(f, &mk, "key", key.data, key.len)) != 0) {
			snprintf(msg, sizeof msg, "%s", f->why);
			if (snprintf(f->why, sizeof f->why, "%s: %s", what,
			    msg) >= (int)sizeof f->why)
				f->why[sizeof f->why - 1] = '\0';	/* shortened */
			r = -1;
			break;
		}
	}
	/* A duplicate at the top was refused by name above; one deeper
	 * is refused as it is in key:=json. */
	if (r == 0 && json_find_duplicate(&doc) != -1) {
		snprintf(f->why, sizeof f->why, "%s: a duplicate key inside a "
		    "value", what);
		r = -1;
	}
	buf_free(&key);
	json_free(&doc);
	return r;
}
