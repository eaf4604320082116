/*
 * rand: random bytes for identifiers (anonymousId, salt, sessionId),
 * from BearSSL's HMAC-DRBG over SHA-256, seeded once per process by
 * br_prng_seeder_system (getrandom(2) or /dev/urandom, as BearSSL was
 * built).  There is no fallback to a weak source: without a seeder,
 * every call fails, and the programs exit 1 saying so.
 */
#ifndef XT_RAND_H
#define XT_RAND_H

#include <stddef.h>

/* Fill out with n random bytes.  0, or -1 when no seed source exists. */
int rand_bytes(void *out, size_t n);

/*
 * Write n random bytes as 2n lowercase hex digits and a NUL into out
 * (2n + 1 bytes).  n is at most 64.  0, or -1 as rand_bytes.
 */
int rand_hex(char *out, size_t n);

/* The message for a -1 from the functions above. */
#define RAND_FAILED "no system source of randomness (BearSSL has no seeder " \
	"for this system); refusing to make identifiers from a weak one"

/*
 * For tests: forget the seed and pretend the system has no seeder
 * (none != 0) or has one again (none == 0).
 */
void rand_test_no_seeder(int none);

#endif
