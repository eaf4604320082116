/* rand: see rand.h. */
#include <bearssl.h>

#include "rand.h"
#include "util.h"

static br_hmac_drbg_context drbg;
static int seeded, no_seeder;

static int
seed(void)
{
	br_prng_seeder seeder;

	if (seeded)
		return 0;
	seeder = no_seeder ? 0 : br_prng_seeder_system(NULL);
	if (seeder == 0)
		return -1;
	br_hmac_drbg_init(&drbg, &br_sha256_vtable, NULL, 0);
	if (!seeder(&drbg.vtable))
		return -1;
	seeded = 1;
	return 0;
}

int
rand_bytes(void *out, size_t n)
{
	if (seed() != 0)
		return -1;
	br_hmac_drbg_generate(&drbg, out, n);
	return 0;
}

int
rand_hex(char *out, size_t n)
{
	unsigned char b[64];

	if (n > sizeof b || rand_bytes(b, n) != 0)
		return -1;
	xt_hex(out, b, n);
	xt_wipe(b, sizeof b);
	return 0;
}

void
rand_test_no_seeder(int none)
{
	xt_wipe(&drbg, sizeof drbg);
	seeded = 0;
	no_seeder = none;
}
