/* xt-id: print this installation's identity. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/buf.h"
#include "lib/consent.h"
#include "lib/ident.h"
#include "lib/json.h"
#include "lib/rand.h"
#include "lib/store.h"
#include "lib/util.h"

static const char *const synopsis[] = { "xt-id", NULL };

int
main(int argc, char *argv[])
{
	struct store st;
	struct ident id;
	struct buf out;
	char session[2 * 32 + 1];
	int c;

	xt_init("xt-id");
	while ((c = getopt(argc, argv, "hV")) != -1) {
		switch (c) {
		case 'h': xt_help(synopsis);
		case 'V': xt_version();
		default: xt_usage(synopsis);
		}
	}
	if (optind != argc)
		xt_usage(synopsis);

	store_open(&st);
	consent_or_exit(&st, 0);
	ident_or_exit(&st, &id, "output");
	if (rand_hex(session, 32) != 0)
		xt_die(XT_EXIT_FAIL, "%s", RAND_FAILED);

	buf_init(&out, 4096);
	buf_adds(&out, "{\"context\":{\"anonymousId\":");
	json_encode_string(&out, id.id, strlen(id.id));
	buf_adds(&out, ",\"sessionId\":");
	json_encode_string(&out, session, strlen(session));
	buf_adds(&out, "}}");
	ident_wipe(&id);
	store_close(&st);
	xt_put_line(&out);
	buf_free(&out);
	xt_exit(XT_EXIT_OK);
}
