/* Unit tests of lib/members: the last value wins, at its first place. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lib/members.h"
#include "unit.h"

/* The members as k=v,k=v */
static const char *
show(const struct members *ms)
{
	static char out[4096];
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < ms->n && o < sizeof out - 64; i++)
		o += (size_t)snprintf(out + o, sizeof out - o, "%s%s=%s",
		    i > 0 ? "," : "", ms->m[i].key, ms->m[i].value);
	return out;
}

static void
test_put(void)
{
	struct members ms;
	const struct member *m;

	members_init(&ms, 3);
	ok(members_put(&ms, "a", 1, "1", 1) == 0 &&
	    members_put(&ms, "b", 1, "2", 1) == 0 &&
	    members_put(&ms, "a", 1, "3", 1) == 0, "puts");
	is_str(show(&ms), "a=3,b=2", "a key seen again keeps its place, "
	    "takes the later value");
	ok(members_put(&ms, "a\0x", 3, "4", 1) == 0 && ms.n == 3 &&
	    (m = members_get(&ms, "a\0x", 3)) != NULL &&
	    strcmp(m->value, "4") == 0, "a key with a NUL is its own key");
	errno = 0;
	ok(members_put(&ms, "c", 1, "5", 1) == -1 && errno == E2BIG &&
	    ms.n == 3, "a new key past max is E2BIG, and nothing changes");
	ok(members_put(&ms, "b", 1, "6", 1) == 0, "an old key past max is "
	    "still replaced");
	ok(members_get(&ms, "c", 1) == NULL && members_get(&ms, "", 0) == NULL,
	    "get of a missing key");
	members_free(&ms);
	ok(ms.n == 0 && ms.m == NULL && ms.max == 3, "free empties, keeps max");
}

static void
test_many(void)
{
	struct members ms;
	char key[16], value[16];
	int i, good = 1;

	members_init(&ms, 100000);
	for (i = 0; i < 20000; i++) {
		snprintf(key, sizeof key, "k%d", i % 5000);
		snprintf(value, sizeof value, "%d", i);
		good &= members_put(&ms, key, strlen(key), value,
		    strlen(value)) == 0;
	}
	ok(good && ms.n == 5000, "5000 keys put 4 times each");
	ok(strcmp(ms.m[0].key, "k0") == 0 && strcmp(ms.m[0].value, "15000") == 0 &&
	    strcmp(ms.m[4999].key, "k4999") == 0 &&
	    strcmp(ms.m[4999].value, "19999") == 0,
	    "first places and last values through every rehash");
	members_free(&ms);
}

static void
test_merge(void)
{
	const char *text = "{\"b\":1,\"a\":{\"x\": [1, \"\\u00e9\"]},\"b\":true}";
	struct json_doc doc;
	struct json_err err;
	struct members ms;

	members_init(&ms, 10);
	ok(json_parse(&doc, text, strlen(text), &err) == 0 &&
	    members_merge(&ms, &doc, JSON_ROOT) == 0, "merges an object");
	is_str(show(&ms), "b=true,a={\"x\":[1,\"\xc3\xa9\"]}",
	    "values compact, duplicates merged");
	ok(members_merge(&ms, &doc, json_get(&doc, JSON_ROOT, "a")) == 0 &&
	    ms.n == 3, "merges a nested object into the same set");
	json_free(&doc);
	members_free(&ms);
}

int
main(void)
{
	test_put();
	test_many();
	test_merge();
	return done();
}
