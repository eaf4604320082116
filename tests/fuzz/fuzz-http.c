/*
 * libFuzzer target for lib/http's checks of what the user gives
 * xt-post: the URL (-u, XT_ENDPOINT) and -H headers, and the URL as
 * diagnostics show it.  Input: URL, a NUL, a header line.  What is
 * accepted holds only what the contracts in http.h allow; what is
 * shown never holds credentials, the query, a header's value or an
 * unprintable byte.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7F)
			return 0;
	return 1;
}

static void
check_url(const char *url)
{
	char shown[HTTP_URL_SHOW_MAX], tiny[8];
	const char *auth;

	if (http_url_ok(url) && (!printable(url) ||
	    (strncasecmp(url, "http://", 7) != 0 &&
	    strncasecmp(url, "https://", 8) != 0)))
		abort();
	http_url_show(shown, sizeof shown, url);
	http_url_show(tiny, sizeof tiny, url);
	if (strlen(shown) >= sizeof shown || strlen(tiny) >= sizeof tiny)
		abort();
	if (!printable(shown) || strchr(shown, '?') != NULL ||
	    strchr(shown, '#') != NULL)
		abort();
	/* no user:password@ before the host (where a scheme:// starts
	 * the URL, before any '/') */
	if ((auth = strstr(shown, "://")) != NULL &&
	    (size_t)(auth - shown) < strcspn(shown, "/") &&
	    memchr(auth + 3, '@', strcspn(auth + 3, "/")) != NULL)
		abort();
}

static void
check_header(const char *h)
{
	static const char *const reserved[] = { "content-length",
		"transfer-encoding", "host", "content-type", "connection",
		"expect" };
	char shown[160], tiny[8];
	const char *colon, *v;
	size_t i, n;

	/* shown: the name only, no control byte, cut to fit */
	http_header_show(shown, sizeof shown, h);
	http_header_show(tiny, sizeof tiny, h);
	if (strlen(shown) >= sizeof shown || strlen(tiny) >= sizeof tiny)
		abort();
	for (v = shown; *v != '\0'; v++)
		if ((unsigned char)*v < 0x20 || (unsigned char)*v >= 0x7F)
			abort();
	if ((v = strchr(shown, ':')) != NULL && strcmp(v, ": ...") != 0)
		abort();
	if (!http_header_ok(h))
		return;
	if ((colon = strchr(h, ':')) == NULL || colon == h)
		abort();
	n = (size_t)(colon - h);
	for (i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
		if (strlen(reserved[i]) == n && strncasecmp(h, reserved[i], n) == 0)
			abort();
	for (v = colon + 1; *v != '\0'; v++)
		if (((unsigned char)*v < 0x20 && *v != '\t') ||
		    (unsigned char)*v >= 0x7F)
			abort();
	for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
		;
	if (*v == '\0')
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy, *header;

	if ((copy = malloc(size + 2)) == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = copy[size + 1] = '\0';
	header = copy + strlen(copy) + 1;
	if (header > copy + size)
		header = copy + size + 1;
	check_url(copy);
	check_header(header);
	check_header(copy);
	free(copy);
	return 0;
}
