/* members: see members.h. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "members.h"

void
members_init(struct members *ms, size_t max)
{
	memset(ms, 0, sizeof *ms);
	ms->max = max;
}

void
members_free(struct members *ms)
{
	size_t i;

	for (i = 0; i < ms->n; i++) {
		xt_wipe(ms->m[i].key, ms->m[i].keylen);
		xt_wipe(ms->m[i].value, ms->m[i].valuelen);
		free(ms->m[i].key);
		free(ms->m[i].value);
	}
	free(ms->m);
	free(ms->index);
	members_init(ms, ms->max);
}

/* FNV-1a: keys are short, and an attacker gains nothing by collisions
 * beyond what max keys cost already. */
static size_t
hash(const char *key, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)key[i];
		h *= 16777619u;
	}
	return h;
}

/* The slot that holds key, or the free slot where it would go. */
static size_t
slot(const struct members *ms, const char *key, size_t keylen)
{
	size_t s = hash(key, keylen) & (ms->nslots - 1), k;
	const struct member *m;

	while ((k = ms->index[s]) != 0) {
		m = &ms->m[k - 1];
		if (m->keylen == keylen && memcmp(m->key, key, keylen) == 0)
			break;
		s = (s + 1) & (ms->nslots - 1);
	}
	return s;
}

/* Room for one more member, and a table at most half full. */
static int
grow(struct members *ms)
{
	struct member *m;
	size_t *index, n, i;

	if (ms->n == ms->cap) {
		n = ms->cap != 0 ? 2 * ms->cap : 16;
		if ((m = realloc(ms->m, n * sizeof *m)) == NULL)
			return -1;
		ms->m = m;
		ms->cap = n;
	}
	if (2 * (ms->n + 1) <= ms->nslots)
		return 0;
	n = ms->nslots != 0 ? 2 * ms->nslots : 32;
	if ((index = calloc(n, sizeof *index)) == NULL)
		return -1;
	free(ms->index);
	ms->index = index;
	ms->nslots = n;
	for (i = 0; i < ms->n; i++)
		ms->index[slot(ms, ms->m[i].key, ms->m[i].keylen)] = i + 1;
	return 0;
}

static char *
dup_bytes(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d != NULL) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

const struct member *
members_get(const struct members *ms, const char *key, size_t keylen)
{
	size_t k;

	if (ms->nslots == 0)
		return NULL;
	k = ms->index[slot(ms, key, keylen)];
	return k != 0 ? &ms->m[k - 1] : NULL;
}

int
members_put(struct members *ms, const char *key, size_t keylen,
    const char *value, size_t valuelen)
{
	struct member *m = (struct member *)members_get(ms, key, keylen);
	char *v;

	if ((v = dup_bytes(value, valuelen)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	if (m == NULL) {
		if (ms->n == ms->max) {
			free(v);
			errno = E2BIG;
			return -1;
		}
		if (grow(ms) != 0) {
			free(v);
			errno = ENOMEM;
			return -1;
		}
		m = &ms->m[ms->n];
		if ((m->key = dup_bytes(key, keylen)) == NULL) {
			free(v);
			errno = ENOMEM;
			return -1;
		}
		m->keylen = keylen;
		ms->index[slot(ms, key, keylen)] = ++ms->n;
	} else {
		xt_wipe(m->value, m->valuelen);
		free(m->value);
	}
	m->value = v;
	m->valuelen = valuelen;
	return 0;
}

int
members_merge(struct members *ms, const struct json_doc *doc, int obj)
{
	struct buf key, value;
	struct json_iter it;
	int r = 0;

	buf_init(&key, JSON_MAX_TEXT);
	buf_init(&value, JSON_MAX_TEXT);
	json_iter(&it, doc, obj);
	while (json_next(&it)) {
		buf_reset(&key);
		buf_reset(&value);
		json_decode_string(doc, it.key, &key);
		json_encode_value(&value, doc, it.value);
		if (key.full || value.full) {
			errno = ENOMEM;
			r = -1;
			break;
		}
		if ((r = members_put(ms, key.data, key.len, value.data,
		    value.len)) != 0)
			break;
	}
	buf_free(&key);
	buf_free(&value);
	return r;
}
