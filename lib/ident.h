/*
 * ident: this installation's identity, the config's anonymousId (32
 * random bytes, hex) and salt (16 random bytes, hex), created together
 * the first time either is needed, exactly once however many processes
 * race to do it (store_update's lock and re-read).
 */
#ifndef XT_IDENT_H
#define XT_IDENT_H

#include "store.h"

#define IDENT_MAX 256	/* bytes of either value, NUL included */

struct ident {
	char id[IDENT_MAX];
	char salt[IDENT_MAX];	/* secret: ident_wipe when done */
};

enum ident_result {
	IDENT_OK = 0,
	IDENT_NOPLACE = -1,	/* cannot be stored: st->why says why */
	IDENT_BUSY = -2,	/* the config's lock stayed busy */
	IDENT_NORANDOM = -3	/* no source of randomness (rand.h) */
};

/* Read the identity from st (opened by the caller), creating it if needed. */
enum ident_result ident_get(struct store *st, struct ident *out);
void ident_wipe(struct ident *id);

/*
 * For the programs that need the identity (xt-id, xt-hash): ident_get,
 * or exit as DESIGN.md says: no place to keep it is telemetry that
 * cannot happen (debug says why, "what" naming what is not printed;
 * exit 0); a busy lock is temporary (75); no randomness is final (1).
 */
void ident_or_exit(struct store *st, struct ident *out, const char *what);

#endif
