/* xt-post: merge payload fragments from stdin and POST them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/consent.h"
#include "lib/env.h"
#include "lib/http.h"
#include "lib/payload.h"
#include "lib/store.h"
#include "lib/util.h"

#define TIMEOUT_DEFAULT_MS	5000
#define TIMEOUT_MAX_S		600

static const char *const synopsis[] = {
	"xt-post [-n] [-H 'name: value' ...] [-t seconds] [-u url]",
	NULL
};

static long
parse_timeout(const char *s)
{
	char *end;
	double t;

	errno = 0;
	t = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(t > 0) ||
	    t > TIMEOUT_MAX_S)
		xt_die(XT_EXIT_USAGE, "timeout '%s': seconds, more than 0 and "
		    "at most %d", s, TIMEOUT_MAX_S);
	return (long)(t * 1000 + 0.5) > 0 ? (long)(t * 1000 + 0.5) : 1;
}

/* -u, else XT_ENDPOINT, else telemetry.endpoint; NULL if none. */
static const char *
endpoint(const char *flag, const struct store *st, char *buf, size_t len)
{
	const char *url;

	if (flag != NULL)
		return flag;
	if ((url = env_get(ENV_ENDPOINT)) != NULL) {
		if (!http_url_ok(url))
			xt_die(XT_EXIT_USAGE, "%s='%s': not an http or https "
			    "URL", ENV_ENDPOINT, url);
		return url;
	}
	if (store_get_string(st, STORE_KEY_ENDPOINT, buf, len)) {
		if (!http_url_ok(buf))
			xt_die(XT_EXIT_USAGE, "%s in %s: not an http or https "
			    "URL", STORE_KEY_ENDPOINT, st->path);
		return buf;
	}
	return NULL;
}

int
main(int argc, char *argv[])
{
	static struct payload p;
	struct http_request req;
	struct http_result res;
	struct store st;
	struct buf in, body;
	const char *url_flag = NULL, *url;
	char url_buf[2048];
	int c, nflag = 0;

	xt_init("xt-post");
	memset(&req, 0, sizeof req);
	req.timeout_ms = TIMEOUT_DEFAULT_MS;
	while ((c = getopt(argc, argv, "hH:nt:u:V")) != -1) {
		switch (c) {
		case 'h': xt_help(synopsis);
		case 'H':
			if (!http_header_ok(optarg))
				xt_die(XT_EXIT_USAGE, "header '%s': not "
				    "'Name: value'", optarg);
			if (req.nheaders == HTTP_HEADERS_MAX)
				xt_die(XT_EXIT_USAGE, "more than %d headers",
				    HTTP_HEADERS_MAX);
			req.headers[req.nheaders++] = optarg;
			break;
		case 'n': nflag = 1; break;
		case 't': req.timeout_ms = parse_timeout(optarg); break;
		case 'u':
			if (!http_url_ok(optarg))
				xt_die(XT_EXIT_USAGE, "'%s': not an http or "
				    "https URL", optarg);
			url_flag = optarg;
			break;
		case 'V': xt_version();
		default: xt_usage(synopsis);
		}
	}
	if (optind != argc)
		xt_usage(synopsis);

	store_open(&st);
	consent_or_exit(&st, 1);

	buf_init(&in, PAYLOAD_MAX);
	if (xt_read_all(STDIN_FILENO, &in) != 0)
		xt_die(XT_EXIT_USAGE, "stdin: %s", errno == EFBIG ?
		    "over 1 MiB" : strerror(errno));
	payload_init(&p);
	buf_init(&body, PAYLOAD_MAX);
	if (payload_add_lines(&p, in.data, in.len) != 0 ||
	    payload_render(&p, &body) != 0)
		xt_die(XT_EXIT_USAGE, "%s; nothing sent", p.err);
	payload_free(&p);
	buf_free(&in);
	xt_debug("payload: %s", body.len < 900 ? body.data : "(over 900 bytes)");
	if (nflag) {
		xt_put_line(&body);
		xt_exit(XT_EXIT_OK);
	}

	if ((url = endpoint(url_flag, &st, url_buf, sizeof url_buf)) == NULL) {
		xt_debug("no endpoint (-u, %s or %s in the config): nothing "
		    "sent", ENV_ENDPOINT, STORE_KEY_ENDPOINT);
		xt_exit(XT_EXIT_OK);
	}
	req.url = url;
	req.body = body.data;
	req.len = body.len;
	req.ca_file = env_get(ENV_CA_FILE);
	if (http_post(&req, &res) != 0)
		xt_die(XT_EXIT_USAGE, "%s", res.error);
	store_close(&st);
	buf_free(&body);
	switch (res.outcome) {
	case HTTP_DELIVERED:
		xt_exit(XT_EXIT_OK);
	case HTTP_REFUSED:
		xt_die(XT_EXIT_FAIL, "%s: HTTP %ld: refused, not retried", url,
		    res.status);
	case HTTP_TEMPORARY:
		if (res.status != 0)
			xt_die(XT_EXIT_TEMPFAIL, "%s: HTTP %ld (%d attempt%s): "
			    "try again later", url, res.status, res.attempts,
			    res.attempts > 1 ? "s" : "");
		xt_die(XT_EXIT_TEMPFAIL, "%s: %s (%d attempt%s): try again "
		    "later", url, res.error, res.attempts,
		    res.attempts > 1 ? "s" : "");
	}
	xt_exit(XT_EXIT_FAIL);
}
