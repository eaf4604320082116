/*
 * http: deliver one payload with libcurl (DESIGN.md, "HTTP").
 *
 * POST with Content-Type: application/json and User-Agent: xt/VERSION,
 * plus the caller's extra headers.  The whole delivery, retry included,
 * ends by the deadline: timeout_ms for the attempts, plus the backoff.
 * One retry, after a random 500-1000 ms, on a network error (no
 * connection, reset, timeout, TLS failure), 5xx, 408 or 429, if time
 * remains; any other status that is not 2xx is final.  Redirects are
 * not followed (a 3xx is final).  The response body is read and thrown
 * away up to HTTP_BODY_MAX bytes; then the transfer is cut (the status
 * is known by then).  Response headers over HTTP_HEAD_MAX bytes cut the
 * transfer too, and are a temporary failure of their own (not the
 * status they came with); so is a transfer that times out after its
 * status line (trickled headers or body).  A status outside 100-599 is
 * no HTTP answer: HTTP_INVALID, final, not retried.  The CA bundle is
 * ca_bundle if given (CURL_CA_BUNDLE or SSL_CERT_FILE, as the curl tool
 * reads them), else libcurl's.  TLS verification is always on; ca_file, if given,
 * is trusted besides libcurl's default bundle.  Proxies come from the
 * usual environment variables (http_proxy, https_proxy, no_proxy), as
 * libcurl reads them.  Only http and https are spoken.  No signal is
 * used (CURLOPT_NOSIGNAL): the caller ignores SIGPIPE.
 */
#ifndef XT_HTTP_H
#define XT_HTTP_H

#include <stddef.h>

#define HTTP_BODY_MAX		(64 * 1024)
#define HTTP_HEADERS_MAX	32
#define HTTP_HEAD_MAX		(64 * 1024)	/* bytes of response headers */
#define HTTP_URL_SHOW_MAX	512		/* http_url_show's out, NUL included */

enum http_outcome {
	HTTP_DELIVERED,		/* 2xx */
	HTTP_REFUSED,		/* a final non-2xx */
	HTTP_TEMPORARY,		/* network error, 5xx, 408, 429: try later */
	HTTP_INVALID		/* a status outside 100-599: not HTTP, final */
};

struct http_request {
	const char *url;
	const char *body;
	size_t len;
	const char *headers[HTTP_HEADERS_MAX];	/* "Name: value" */
	size_t nheaders;
	long timeout_ms;
	const char *ca_file;			/* added to the bundle, or NULL */
	const char *ca_bundle;			/* replaces libcurl's, or NULL */
	const char *ca_dir;			/* CA directory, or NULL */
};

struct http_result {
	enum http_outcome outcome;
	long status;		/* last HTTP status, 0 if none */
	int attempts;
	char why[256];		/* the last attempt's error, "" if none: then
				 * status is the whole story */
};

/*
 * Is url an http:// or https:// URL that libcurl parses, with a host,
 * a port (if any) in 1-65535, and only printable ASCII (no space, no
 * control byte)?  1 or 0.  A URL refused here is bad input (exit 2),
 * never a network error.
 */
int http_url_ok(const char *url);

/*
 * http_url_show: url as it may be printed (CI logs keep what they are
 * given): without user:password@, without the query and fragment (they
 * may hold a key), bytes that are not printable ASCII as \xNN; cut to
 * fit outlen (HTTP_URL_SHOW_MAX is plenty).
 */
void http_url_show(char *out, size_t outlen, const char *url);

/*
 * http_header_show: header line h as a message may show it: its name
 * only, then ": ..." if it has a value (a value may be a key), bytes
 * that are not printable ASCII as \xNN; cut to fit outlen.
 */
void http_header_show(char *out, size_t outlen, const char *h);

/*
 * Is h a valid "Name: value" header line?  1 or 0.  The name is an RFC
 * 9110 token and none of the headers libcurl sets for the body and the
 * connection (Content-Length, Transfer-Encoding, Host, Content-Type,
 * Connection, Expect; any case); the value is not empty and holds only
 * printable ASCII, spaces and tabs (no CR, LF or other control byte).
 */
int http_header_ok(const char *h);

/*
 * http_post: deliver req, reporting each attempt in debug mode.  Returns
 * 0 with res filled; -1 if libcurl could not even be set up (res->why).
 */
int http_post(const struct http_request *req, struct http_result *res);

#endif
