/*
 * hash: xmcp's one-way hash.  sha256(salt || value) as 64 lowercase hex
 * digits, where salt is the salt's hex string as stored in the config
 * (the same bytes xmcp hashes), so
 *	printf '%s' "$salt$value" | sha256sum
 * gives the same digits.  BearSSL's SHA-256; the hash state, which
 * holds salt-derived bytes, is wiped before returning.  The caller owns
 * the salt and wipes it (xt_wipe) when done.
 */
#ifndef XT_HASH_H
#define XT_HASH_H

#include <stddef.h>

#define HASH_HEX_LEN 64

/* out: HASH_HEX_LEN + 1 bytes. */
void hash_salted(char *out, const char *salt, size_t saltlen,
    const void *value, size_t n);

#endif
