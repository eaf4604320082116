/*
 * libFuzzer target for lib/store's reader and writer together: read the
 * input as a config, update it as the programs do (create the identity
 * if missing, record a choice and the notice), render, read again.  What
 * the writer produces must always parse as a config, hold the changes,
 * and keep the identity the input had; rendering it again with the same
 * changes must change nothing.  The writer may refuse only for size.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NEW_ID		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define NEW_SALT	"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static const struct store_change changes[] = {
	{ STORE_KEY_ID, "\"" NEW_ID "\"", 1 },
	{ STORE_KEY_SALT, "\"" NEW_SALT "\"", 1 },
	{ STORE_KEY_ENABLED, "false", 0 },
	{ STORE_KEY_NOTIFIED, "\"1795878331979\"", 1 },
};
#define NCHANGES (sizeof changes / sizeof changes[0])

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store st, again;
	struct buf out, out2;
	char id[256], salt[256], id2[256], salt2[256];
	int had_id = 0, had_salt = 0, v, r;

	store_open_text(&st, (const char *)data, size);
	if (st.state != STORE_OK && st.state != STORE_CORRUPT)
		abort();
	if (st.state == STORE_CORRUPT && st.why[0] == '\0')
		abort();	/* every refusal says why */
	if (st.state == STORE_OK) {
		had_id = store_get_string(&st, STORE_KEY_ID, id, sizeof id);
		had_salt = store_get_string(&st, STORE_KEY_SALT, salt,
		    sizeof salt);
	}
	buf_init(&out, STORE_MAX);
	r = store_render(&st, changes, NCHANGES, &out);
	if (r < 0) {
		if (errno != EFBIG)
			abort();	/* only size may stop the writer */
		goto done;
	}
	if (r == 0) {	/* nothing to change: the input is the file */
		buf_reset(&out);
		buf_add(&out, data, size);
	}
	store_open_text(&again, out.data, out.len);
	if (again.state != STORE_OK)
		abort();	/* never a file its own reader refuses */
	if (!store_get_string(&again, STORE_KEY_ID, id2, sizeof id2) ||
	    !store_get_string(&again, STORE_KEY_SALT, salt2, sizeof salt2) ||
	    strcmp(id2, had_id ? id : NEW_ID) != 0 ||
	    strcmp(salt2, had_salt ? salt : NEW_SALT) != 0)
		abort();	/* the identity kept, or the new one */
	if (store_get_bool(&again, STORE_KEY_ENABLED, &v) != 1 || v != 0)
		abort();
	buf_init(&out2, STORE_MAX);
	if (store_render(&again, changes, NCHANGES, &out2) != 0)
		abort();	/* rendering is stable */
	buf_free(&out2);
	store_close(&again);
done:
	buf_free(&out);
	store_close(&st);
	return 0;
}
