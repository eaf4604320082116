/* xt-post: merge payload fragments from stdin and POST them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lib/buf.h"
#include "lib/consent.h"
#include "lib/env.h"
#include "lib/format.h"
#include "lib/http.h"
#include "lib/payload.h"
#include "lib/store.h"
#include "lib/util.h"

#define TIMEOUT_DEFAULT_MS	5000
#define TIMEOUT_MAX_S		600

static const char *const synopsis[] = {
	"xt-post [-n] [-F payload | rows] [-H 'name: value' ...] [-t seconds]",
	"        [-u url]",
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

/* Does request header line h have the name of line g (any case)? */
static int
same_name(const char *h, const char *g, size_t glen)
{
	return strncasecmp(h, g, glen) == 0 && h[glen] == ':';
}

/*
 * telemetry.headers, {"Name": "value", ...}: added after the -H ones,
 * except a name that -H gives (the command line wins).  The values are
 * credentials (a ClickHouse key): no message shows one.  The lines are
 * kept in lines, which must outlive req.
 */
static void
config_headers(const struct store *st, struct http_request *req,
    struct buf *lines)
{
	const struct json_doc *d = &st->doc;
	size_t off[HTTP_HEADERS_MAX], nfirst = req->nheaders, namelen, i;
	struct json_iter it;
	int o, dup;

	if (st->state != STORE_OK ||
	    (o = json_get(d, JSON_ROOT, STORE_KEY_HEADERS)) < 0)
		return;
	if (json_typeof(d, o) != JSON_OBJECT)
		xt_die(XT_EXIT_USAGE, "%s in %s: not an object of header names "
		    "and values", STORE_KEY_HEADERS, st->path);
	json_iter(&it, d, o);
	while (json_next(&it)) {
		size_t start = lines->len;

		json_decode_string(d, it.key, lines);
		namelen = lines->len - start;
		buf_adds(lines, ": ");
		if (json_typeof(d, it.value) == JSON_STRING)
			json_decode_string(d, it.value, lines);
		buf_addc(lines, '\0');
		if (lines->full)
			xt_die(XT_EXIT_USAGE, "%s in %s: too large",
			    STORE_KEY_HEADERS, st->path);
		if (json_typeof(d, it.value) != JSON_STRING || namelen == 0 ||
		    strlen(lines->data + start) != lines->len - start - 1 ||
		    !http_header_ok(lines->data + start))
			xt_die(XT_EXIT_USAGE, "%s in %s: member %d is not a "
			    "header name with a string value (printable ASCII, "
			    "a value, not a header libcurl sets)",
			    STORE_KEY_HEADERS, st->path, it.index + 1);
		for (dup = 0, i = 0; i < nfirst; i++)
			dup |= same_name(req->headers[i], lines->data + start,
			    namelen);
		if (dup) {
			xt_debug("header %.*s: -H's, not the config's",
			    (int)namelen, lines->data + start);
			lines->len = start;
			lines->data[start] = '\0';
			continue;
		}
		if (req->nheaders == HTTP_HEADERS_MAX)
			xt_die(XT_EXIT_USAGE, "more than %d headers with %s in %s",
			    HTTP_HEADERS_MAX, STORE_KEY_HEADERS, st->path);
		off[req->nheaders++] = start;
	}
	/* lines no longer grows: its bytes stay where they are */
	for (i = nfirst; i < req->nheaders; i++)
		req->headers[i] = lines->data + off[i];
}

/* The URL as diagnostics may print it (http_url_show). */
static const char *
shown(const char *url)
{
	static char out[HTTP_URL_SHOW_MAX];

	http_url_show(out, sizeof out, url);
	return out;
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
			    "URL", ENV_ENDPOINT, shown(url));
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

/* A refused header as diagnostics may print it (http_header_show). */
static const char *
shown_header(const char *h)
{
	static char out[160];

	http_header_show(out, sizeof out, h);
	return out;
}

int
main(int argc, char *argv[])
{
	static struct payload p;
	struct http_request req;
	struct http_result res;
	struct store st;
	struct buf in, body, hdr_lines;
	const char *url_flag = NULL, *format_flag = NULL, *url;
	char fwhy[STORE_PATH_MAX + 64];
	int fmt;
	char url_buf[2048], why[64];
	int c, nflag = 0;

	xt_init("xt-post");
	memset(&req, 0, sizeof req);
	req.timeout_ms = TIMEOUT_DEFAULT_MS;
	while ((c = getopt(argc, argv, "F:hH:nt:u:V")) != -1) {
		switch (c) {
		case 'F':
			if (format_parse(optarg) < 0)
				xt_die(XT_EXIT_USAGE, "format '%s': payload or "
				    "rows expected", optarg);
			format_flag = optarg;
			break;
		case 'h': xt_help(synopsis);
		case 'H':
			if (!http_header_ok(optarg))
				xt_die(XT_EXIT_USAGE, "header '%s': not "
				    "'Name: value' (printable ASCII, a value, "
				    "not a header libcurl sets)",
				    shown_header(optarg));
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
				    "https URL", shown(optarg));
			url_flag = optarg;
			break;
		case 'V': xt_version();
		default: xt_usage(synopsis);
		}
	}
	if (optind != argc)
		xt_usage(synopsis);

	store_open(&st);
	consent_or_exit(&st, PAYLOAD_MAX);

	buf_init(&in, PAYLOAD_MAX);
	if (buf_read_fd(&in, STDIN_FILENO) != 0)
		xt_die(XT_EXIT_USAGE, "stdin: %s",
		    buf_read_error(&in, why, sizeof why));
	if ((fmt = format_choose(format_flag, &st, fwhy, sizeof fwhy)) < 0)
		xt_die(XT_EXIT_USAGE, "%s", fwhy);
	payload_init(&p);
	buf_init(&body, format_max((enum format)fmt));
	if (payload_add_lines(&p, in.data, in.len) != 0 ||
	    format_render(&p, (enum format)fmt, &body) != 0)
		xt_die(XT_EXIT_USAGE, "%s; nothing sent", p.why);
	payload_free(&p);
	buf_free(&in);
	xt_debug("%s: %s", fmt == FORMAT_ROWS ? "rows" : "payload",
	    body.len < 900 ? body.data : "(over 900 bytes)");
	if (nflag) {
		xt_put_line(&body);
		xt_exit(XT_EXIT_OK);
	}

	if ((url = endpoint(url_flag, &st, url_buf, sizeof url_buf)) == NULL) {
		xt_debug("no endpoint (-u, %s or %s in the config): nothing "
		    "sent", ENV_ENDPOINT, STORE_KEY_ENDPOINT);
		xt_exit(XT_EXIT_OK);
	}
	buf_init(&hdr_lines, 64 * 1024);
	config_headers(&st, &req, &hdr_lines);
	req.url = url;
	req.body = body.data;
	req.len = body.len;
	req.ca_file = env_get(ENV_CA_FILE);
	req.ca_bundle = env_get(ENV_CURL_CA_BUNDLE) != NULL ?
	    env_get(ENV_CURL_CA_BUNDLE) : env_get(ENV_SSL_CERT_FILE);
	req.ca_dir = env_get(ENV_SSL_CERT_DIR);
	if (http_post(&req, &res) != 0)
		xt_die(XT_EXIT_USAGE, "%s", res.why);
	store_close(&st);
	buf_free(&body);
	buf_free(&hdr_lines);
	url = shown(url);
	switch (res.outcome) {
	case HTTP_DELIVERED:
		xt_exit(XT_EXIT_OK);
	case HTTP_REFUSED:
		xt_die(XT_EXIT_FAIL, "%s: HTTP %ld: refused, not retried", url,
		    res.status);
	case HTTP_INVALID:
		xt_die(XT_EXIT_FAIL, "%s: %s: not an HTTP server's answer, "
		    "not retried", url, res.why);
	case HTTP_TEMPORARY:
		if (res.why[0] == '\0')
			xt_die(XT_EXIT_TEMPFAIL, "%s: HTTP %ld (%d attempt%s): "
			    "try again later", url, res.status, res.attempts,
			    res.attempts > 1 ? "s" : "");
		/* the real cause, not a status that came before it */
		xt_die(XT_EXIT_TEMPFAIL, "%s: %s (%d attempt%s): try again "
		    "later", url, res.why, res.attempts,
		    res.attempts > 1 ? "s" : "");
	}
	xt_exit(XT_EXIT_FAIL);
}
