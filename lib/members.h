/*
 * members: the members of JSON objects, merged the way JavaScript reads
 * them (JSON.parse with duplicate keys, Object.assign, the spread
 * {...a, ...b}): a key seen again keeps its first place and takes the
 * later value.  One place for that rule: the payload merges fragments'
 * context and meta with it, the store rewrites a config file with it.
 *
 * Each member is a decoded key (any bytes, NUL included) and its value
 * as compact JSON text (json_encode_value).  The set owns copies of
 * both; members_free wipes and frees them.  A key is found through a
 * hash index, so merging n members costs time linear in n.
 */
#ifndef XT_MEMBERS_H
#define XT_MEMBERS_H

#include <stddef.h>

#include "json.h"

struct member {
	char *key;		/* decoded, NUL-terminated, owned */
	size_t keylen;
	char *value;		/* compact JSON text, NUL-terminated, owned */
	size_t valuelen;
};

struct members {
	struct member *m;	/* m[0..n): in the order keys were first seen */
	size_t n;
	size_t max;		/* at most this many keys */
	size_t *index;		/* private: hash slots, 1 + position, 0 free */
	size_t nslots;		/* private */
	size_t cap;		/* private: room in m */
};

/* An empty set that will hold at most max keys.  Allocates nothing. */
void members_init(struct members *ms, size_t max);
void members_free(struct members *ms);

/*
 * members_put: key takes value: in its place if it is there, else as a
 * new member at the end.  Returns 0; -1 with errno ENOMEM (nothing
 * changed), or E2BIG when the key is new and there are max already.
 */
int members_put(struct members *ms, const char *key, size_t keylen,
    const char *value, size_t valuelen);

/*
 * members_merge: each member of object obj of doc, in order, by
 * members_put.  Returns 0, or -1 with errno as members_put's, having
 * merged the members before the one that failed.
 */
int members_merge(struct members *ms, const struct json_doc *doc, int obj);

/* The member with this key, or NULL. */
const struct member *members_get(const struct members *ms, const char *key,
    size_t keylen);

#endif
