/* hash: see hash.h. */
#include <bearssl.h>

#include "hash.h"
#include "util.h"

void
hash_salted(char *out, const char *salt, size_t saltlen, const void *value,
    size_t n)
{
	br_sha256_context ctx;
	unsigned char digest[br_sha256_SIZE];

	br_sha256_init(&ctx);
	br_sha256_update(&ctx, salt, saltlen);
	br_sha256_update(&ctx, value, n);
	br_sha256_out(&ctx, digest);
	xt_hex(out, digest, sizeof digest);
	xt_wipe(&ctx, sizeof ctx);
	xt_wipe(digest, sizeof digest);
}
