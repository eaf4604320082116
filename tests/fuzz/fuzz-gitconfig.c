/* libFuzzer target for lib/gitconfig, the git config reader. */
#include <stdint.h>
#include <stdlib.h>

#include "lib/gitconfig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf out;
	int r;

	buf_init(&out, size + 1);
	r = gitconfig_get((const char *)data, size, "remote", "origin", "url",
	    &out);
	if (r < -1 || r > 1 || (r != 1 && out.len != 0) || out.len > size)
		abort();
	buf_free(&out);
	return 0;
}
