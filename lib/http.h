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
 * is known by then).  TLS verification is always on; ca_file, if given,
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

enum http_outcome {
	HTTP_DELIVERED,		/* 2xx */
	HTTP_REFUSED,		/* a final non-2xx */
	HTTP_TEMPORARY		/* network error, 5xx, 408, 429: try later */
};

struct http_request {
	const char *url;
	const char *body;
	size_t len;
	const char *headers[HTTP_HEADERS_MAX];	/* "Name: value" */
	size_t nheaders;
	long timeout_ms;
	const char *ca_file;			/* or NULL */
};

struct http_result {
	enum http_outcome outcome;
	long status;		/* last HTTP status, 0 if none */
	int attempts;
	char why[256];	/* the last attempt's error, "" if none */
};

/* Is url an http:// or https:// URL with a host?  1 or 0. */
int http_url_ok(const char *url);

/* Is h a valid "Name: value" header line (token name, no CR/LF)?  1 or 0. */
int http_header_ok(const char *h);

/*
 * http_post: deliver req, reporting each attempt in debug mode.  Returns
 * 0 with res filled; -1 if libcurl could not even be set up (res->why).
 */
int http_post(const struct http_request *req, struct http_result *res);

#endif
