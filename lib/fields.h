/*
 * fields: the field words of xt-event (and xt-meta -k), with HTTPie's
 * split that removes the guessing:
 *
 *	key=value	value is always a string ("version=1.10" stays "1.10")
 *	key:=json	json must be one valid JSON value (json.h's strict
 *			reader): a number (kept as written: 1e400 stays
 *			1e400), true, false, null, a string, object or array
 *
 * The key is everything before the first '=' (less a ':' right before
 * it).  A word is refused, with a message naming it, when it has no '=',
 * an empty key, a key already given, invalid UTF-8 in key or value, a
 * value that is not JSON; or when it would make more than FIELDS_MAX
 * fields or more than FIELDS_MAX_BYTES bytes of JSON.
 *
 * The members are kept in the order given, as compact JSON text
 * ("k":v,"k2":v2, no braces), ready to be written inside an object.
 */
#ifndef XT_FIELDS_H
#define XT_FIELDS_H

#include <stddef.h>

#include "buf.h"

#define FIELDS_MAX		256
#define FIELDS_MAX_BYTES	(64 * 1024)

struct fields {
	struct buf members;	/* "\"k\":v,\"k2\":v2" */
	struct buf keys;	/* every key so far, each followed by a NUL */
	size_t n;		/* fields so far, reserved keys included */
	char why[512];		/* why the last call failed */
};

void fields_init(struct fields *f);
void fields_free(struct fields *f);

/*
 * fields_reserve: a key that is taken already (xt-meta's own keys), so a
 * word using it is a duplicate.  Counts towards FIELDS_MAX.
 */
void fields_reserve(struct fields *f, const char *key);

/* Add one word.  0, or -1 with f->why ("field 'x:=1.2.3': ..."). */
int fields_add_word(struct fields *f, const char *word);

/*
 * Add every member of the JSON object text[0..len), in order (xt-event
 * -f).  what names the source in messages ("file 'f.json'").  0 or -1.
 */
int fields_add_object(struct fields *f, const char *text, size_t len,
    const char *what);

/*
 * fields_show: the word as it may be printed in a message: at most
 * about 60 bytes, bytes that are not printable ASCII as \xNN.
 */
void fields_show(char *out, size_t outlen, const char *s, size_t n);

#endif
