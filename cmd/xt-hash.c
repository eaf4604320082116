/* xt-hash: the salted one-way hash of a value, or of the project's id. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/buf.h"
#include "lib/consent.h"
#include "lib/hash.h"
#include "lib/ident.h"
#include "lib/json.h"
#include "lib/project.h"
#include "lib/store.h"
#include "lib/util.h"

#define KEY_DEFAULT	"projectHash"
#define KEY_MAX		64
#define VALUE_MAX	JSON_MAX_TEXT

static const char *const synopsis[] = { "xt-hash [-k key] [value | -]", NULL };

/* A context key: 1 to KEY_MAX of [A-Za-z0-9_.-]. */
static int
key_valid(const char *k)
{
	size_t n = strlen(k);

	return n > 0 && n <= KEY_MAX &&
	    strspn(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_.-") == n;
}

int
main(int argc, char *argv[])
{
	static const char *const source[] = { "package.json", "git remote origin", "directory" };
	const char *key = KEY_DEFAULT, *operand = NULL;
	char digest[HASH_HEX_LEN + 1], why[64];
	struct store st;
	struct ident id;
	struct buf value, out;
	int c, from;

	xt_init("xt-hash");
	while ((c = getopt(argc, argv, "hk:V")) != -1) {
		switch (c) {
		case 'h': xt_help(synopsis);
		case 'k': key = optarg; break;
		case 'V': xt_version();
		default: xt_usage(synopsis);
		}
	}
	if (argc - optind > 1)
		xt_usage(synopsis);
	if (optind < argc)
		operand = argv[optind];
	if (!key_valid(key))
		xt_die(XT_EXIT_USAGE, "key '%s': 1 to %d of A-Z a-z 0-9 _ . -",
		    key, KEY_MAX);

	store_open(&st);
	consent_or_exit(&st, operand != NULL && strcmp(operand, "-") == 0 ?
	    VALUE_MAX : 0);

	buf_init(&value, VALUE_MAX);
	if (operand == NULL) {
		if ((from = project_id(&value)) < 0)
			xt_die_errno(XT_EXIT_FAIL, "no project id: the "
			    "current directory is unknown");
		xt_debug("hashing the project id from %s", source[from]);
	} else if (strcmp(operand, "-") == 0) {
		if (buf_read_fd(&value, STDIN_FILENO) != 0)
			xt_die(XT_EXIT_USAGE, "stdin: %s",
			    buf_read_error(&value, why, sizeof why));
		/* A line, as $(...) would take it: one trailing newline is
		 * not part of the value. */
		if (value.len > 0 && value.data[value.len - 1] == '\n')
			value.data[--value.len] = '\0';
	} else
		buf_adds(&value, operand);

	ident_or_exit(&st, &id, "hash");
	hash_salted(digest, id.salt, strlen(id.salt), value.data, value.len);
	ident_wipe(&id);
	store_close(&st);
	buf_free(&value);

	buf_init(&out, 4096);
	buf_adds(&out, "{\"context\":{");
	json_encode_string(&out, key, strlen(key));
	buf_addc(&out, ':');
	json_encode_string(&out, digest, HASH_HEX_LEN);
	buf_adds(&out, "}}");
	xt_put_line(&out);
	buf_free(&out);
	xt_exit(XT_EXIT_OK);
}
