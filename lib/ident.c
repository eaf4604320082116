/* ident: see ident.h. */
#include <errno.h>
#include <stdio.h>

#include "ident.h"
#include "rand.h"
#include "util.h"

static int
have(const struct store *st, struct ident *out)
{
	return store_get_string(st, STORE_KEY_ID, out->id, sizeof out->id) &&
	    store_get_string(st, STORE_KEY_SALT, out->salt, sizeof out->salt);
}

enum ident_result
ident_get(struct store *st, struct ident *out)
{
	/* "\"" + 64 hex + "\"" */
	char id[2 * 32 + 3], salt[2 * 16 + 3];
	struct store_change ch[2];
	enum ident_result r = IDENT_OK;

	if (have(st, out))
		return IDENT_OK;
	if (st->state == STORE_NOWHERE)
		return IDENT_NOPLACE;
	id[0] = salt[0] = '"';
	if (rand_hex(id + 1, 32) != 0 || rand_hex(salt + 1, 16) != 0) {
		xt_wipe(salt, sizeof salt);
		return IDENT_NORANDOM;
	}
	id[sizeof id - 2] = salt[sizeof salt - 2] = '"';
	id[sizeof id - 1] = salt[sizeof salt - 1] = '\0';
	/* if_missing: another process may have won the race; keep its. */
	ch[0].key = STORE_KEY_ID;
	ch[0].json = id;
	ch[0].if_missing = 1;
	ch[1].key = STORE_KEY_SALT;
	ch[1].json = salt;
	ch[1].if_missing = 1;
	if (store_update(st, ch, 2) != 0)
		r = errno == EWOULDBLOCK ? IDENT_BUSY : IDENT_NOPLACE;
	else if (!have(st, out)) {
		snprintf(st->why, sizeof st->why, "%.250s has no identity after "
		    "writing it", st->path);
		r = IDENT_NOPLACE;
	}
	xt_wipe(salt, sizeof salt);
	return r;
}

void
ident_wipe(struct ident *id)
{
	xt_wipe(id, sizeof *id);
}

void
ident_or_exit(struct store *st, struct ident *out, const char *what)
{
	switch (ident_get(st, out)) {
	case IDENT_OK:
		return;
	case IDENT_NOPLACE:
		xt_debug("no identity, so no %s: %s", what, st->why);
		xt_exit(XT_EXIT_OK);
	case IDENT_BUSY:
		xt_die(XT_EXIT_TEMPFAIL, "%s", st->why);
	case IDENT_NORANDOM:
		xt_die(XT_EXIT_FAIL, "%s", RAND_FAILED);
	}
}
