/* http: see http.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "http.h"
#include "buf.h"
#include "rand.h"
#include "util.h"

#define CA_BUNDLE_MAX	(8 << 20)
#define RETRY_MIN_MS	100	/* less time left than this: no retry */

/* Bytes a URL or header may hold: printable ASCII (no controls, no
 * DEL, nothing that would need an encoding we would have to guess). */
static int
printable(unsigned char c)
{
	return c > 0x20 && c < 0x7F;
}

int
http_url_ok(const char *url)
{
	const unsigned char *p;
	const char *rest;
	char *host = NULL, *port = NULL;
	CURLU *u;
	long n;
	int ok = 0;

	for (p = (const unsigned char *)url; *p != '\0'; p++)
		if (!printable(*p))
			return 0;
	if (strncasecmp(url, "http://", 7) == 0)
		rest = url + 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		rest = url + 8;
	else
		return 0;
	if (rest[0] == '\0' || rest[0] == '/')
		return 0;
	/* libcurl's own parser: what it refuses (a port over 65535, an
	 * unclosed [IPv6 literal) is bad input, not a network error to be
	 * retried. */
	if ((u = curl_url()) == NULL)
		return 0;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    host != NULL && host[0] != '\0') {
		ok = 1;
		if (curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK &&
		    port != NULL) {
			n = strtol(port, NULL, 10);
			ok = n >= 1 && n <= 65535;
		}
	}
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return ok;
}

/*
 * Append byte c to out[0..*o) as a message may show it: as it is when
 * printable (a space too, with space), else as \xNN.  0, or -1 when it
 * does not fit (out is left as it was).  outlen > 0.
 */
static int
show_byte(char *out, size_t outlen, size_t *o, unsigned char c, int space)
{
	if (printable(c) || (space && c == ' ')) {
		if (*o + 1 >= outlen)
			return -1;
		out[(*o)++] = (char)c;
	} else {
		if (*o + 5 >= outlen)
			return -1;
		*o += (size_t)snprintf(out + *o, outlen - *o, "\\x%02X", c);
	}
	return 0;
}

void
http_url_show(char *out, size_t outlen, const char *url)
{
	const char *s, *auth, *end, *at = NULL;
	size_t o = 0;

	if (outlen == 0)
		return;
	/* scheme://[user:password@]host... : leave the credentials out */
	if ((auth = strstr(url, "://")) != NULL &&
	    (size_t)(auth - url) < strcspn(url, "/?#")) {
		auth += 3;
		end = auth + strcspn(auth, "/?#");
		for (s = auth; s < end; s++)
			if (*s == '@')
				at = s;
	}
	/* the query and fragment may hold a key: leave them out */
	for (s = url; *s != '\0' && *s != '?' && *s != '#'; s++) {
		unsigned char c = (unsigned char)*s;

		if (at != NULL && s >= auth && s <= at)
			continue;
		if (show_byte(out, outlen, &o, c, 0) != 0)
			break;
	}
	out[o] = '\0';
}

void
http_header_show(char *out, size_t outlen, const char *h)
{
	size_t o = 0;

	if (outlen == 0)
		return;
	for (; *h != '\0' && *h != ':'; h++)
		if (show_byte(out, outlen, &o, (unsigned char)*h, 1) != 0)
			break;
	out[o] = '\0';
	if (*h == ':' && o + 5 < outlen)
		memcpy(out + o, ": ...", 6);
}

/* Names libcurl sets itself (the body's framing, where it goes): a
 * header of the caller's must not override them. */
static const char *const reserved[] = {
	"Content-Length", "Transfer-Encoding", "Host", "Content-Type",
	"Connection", "Expect", NULL
};

int
http_header_ok(const char *h)
{
	const char *colon = strchr(h, ':'), *v;
	size_t n, i;

	if (colon == NULL || colon == h)
		return 0;
	n = (size_t)(colon - h);
	/* RFC 9110 token characters only in the name */
	if (strspn(h, "!#$%&'*+-.^_`|~0123456789"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") != n)
		return 0;
	for (i = 0; reserved[i] != NULL; i++)
		if (strlen(reserved[i]) == n &&
		    strncasecmp(h, reserved[i], n) == 0)
			return 0;
	/* The value: visible ASCII, spaces and tabs; not empty (to libcurl
	 * an empty value means "remove this header"). */
	for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
		;
	if (*v == '\0')
		return 0;
	for (; *v != '\0'; v++)
		if (!printable((unsigned char)*v) && *v != ' ' && *v != '\t')
			return 0;
	return 1;
}

static long
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void
sleep_ms(long ms)
{
	struct timespec t;

	t.tv_sec = ms / 1000;
	t.tv_nsec = (ms % 1000) * 1000000;
	while (nanosleep(&t, &t) != 0 && errno == EINTR)
		;
}

/*
 * What the response sends (its body, its headers) is counted and
 * dropped; past max bytes the transfer is cut (CURLE_WRITE_ERROR) and
 * got is left over max, so the caller can say which was too long.
 */
struct tally {
	size_t got, max;
};

static size_t
tally(char *data, size_t size, size_t n, void *arg)
{
	struct tally *t = arg;

	(void)data;
	if (n != 0 && size > (t->max - t->got) / n) {
		t->got = t->max + 1;
		return 0;
	}
	t->got += size * n;
	return size * n;
}

static int
append_file(struct buf *b, const char *path)
{
	int r;

	r = buf_read_file(b, path, BUF_STREAM, NULL);
	buf_addc(b, '\n');
	return r;
}

/*
 * libcurl's own bundle plus ca_file, as one PEM blob: CURLOPT_CAINFO
 * alone would replace the bundle, and an extra CA must not make every
 * other server untrusted.
 */
static int
ca_blob(CURL *c, const char *ca_bundle, const char *ca_file, struct buf *blob,
    char *err, size_t errlen)
{
	char *bundle = NULL;

	if (ca_bundle != NULL)
		bundle = (char *)ca_bundle;
	else if (curl_easy_getinfo(c, CURLINFO_CAINFO, &bundle) != CURLE_OK)
		bundle = NULL;
	if (bundle != NULL)
		(void)append_file(blob, bundle);	/* none is fine */
	if (append_file(blob, ca_file) != 0 || blob->full) {
		snprintf(err, errlen, "CA file %s: %s", ca_file,
		    blob->full ? "too large" : strerror(errno));
		return -1;
	}
	return 0;
}

static enum http_outcome
classify(CURLcode rc, long status, const struct tally *head)
{
	if (head->got > head->max)
		return HTTP_TEMPORARY;
	if ((rc == CURLE_OK || rc == CURLE_WRITE_ERROR) &&
	    (status < 100 || status > 599) && status != 0)
		return HTTP_INVALID;
	if ((rc == CURLE_OK || rc == CURLE_WRITE_ERROR) && status >= 200) {
		if (status < 300)
			return HTTP_DELIVERED;
		if (status == 408 || status == 429 || status >= 500)
			return HTTP_TEMPORARY;
		return HTTP_REFUSED;
	}
	return HTTP_TEMPORARY;	/* no answer: network, TLS, timeout */
}

static const char *const outcome_name[] = { "delivered", "refused",
	"temporary failure", "not HTTP" };

/* The request's headers: ours, then the caller's.  NULL: no memory. */
static struct curl_slist *
headers(const struct http_request *req)
{
	struct curl_slist *hdrs = NULL, *h;
	size_t i;

	/* "Expect:": the whole body at once, no 100-continue round trip. */
	for (i = 0; i < req->nheaders + 2; i++) {
		h = curl_slist_append(hdrs, i == 0 ?
		    "Content-Type: application/json" : i == 1 ? "Expect:" :
		    req->headers[i - 2]);
		if (h == NULL) {
			curl_slist_free_all(hdrs);
			return NULL;
		}
		hdrs = h;
	}
	return hdrs;
}

/* Everything an attempt needs that does not change between attempts. */
static void
setup(CURL *c, const struct http_request *req, struct curl_slist *hdrs,
    const char *agent, struct curl_blob *ca, char *errbuf,
    struct tally *body, struct tally *head)
{
	curl_easy_setopt(c, CURLOPT_URL, req->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->len);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_USERAGENT, agent);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, tally);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, body);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, tally);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, head);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	if (ca->len > 0)
		curl_easy_setopt(c, CURLOPT_CAINFO_BLOB, ca);
	/* libcurl reads no variable for its CA bundle; the curl tool
	 * reads these, and users expect the same of us.  With ca_file the
	 * blob holds the bundle already (ca_blob). */
	else if (req->ca_bundle != NULL)
		curl_easy_setopt(c, CURLOPT_CAINFO, req->ca_bundle);
	if (req->ca_dir != NULL)
		curl_easy_setopt(c, CURLOPT_CAPATH, req->ca_dir);
}

/* One attempt with left ms to go: res gets its status and outcome. */
static void
attempt(CURL *c, const struct http_request *req, struct http_result *res,
    char *errbuf, struct tally *body, struct tally *head, long left)
{
	char shown[HTTP_URL_SHOW_MAX];
	CURLcode rc;
	long t0;

	res->attempts++;
	body->got = head->got = 0;
	errbuf[0] = '\0';
	res->status = 0;
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, left);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, left);
	http_url_show(shown, sizeof shown, req->url);
	xt_debug("attempt %d: POST %zu bytes to %s (%ld ms left)",
	    res->attempts, req->len, shown, left);
	t0 = now_ms();
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res->status);
	res->outcome = classify(rc, res->status, head);
	if (head->got > head->max)
		snprintf(res->why, sizeof res->why, "the response headers "
		    "are over %d KiB", HTTP_HEAD_MAX / 1024);
	else if (res->outcome == HTTP_INVALID)
		snprintf(res->why, sizeof res->why, "HTTP %ld is no HTTP "
		    "status (100-599)", res->status);
	else if (rc != CURLE_OK && res->outcome != HTTP_DELIVERED)
		snprintf(res->why, sizeof res->why, "%s",
		    errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc));
	else
		res->why[0] = '\0';
	if (res->why[0] == '\0')
		xt_debug("attempt %d: HTTP %ld after %ld ms: %s",
		    res->attempts, res->status, now_ms() - t0,
		    outcome_name[res->outcome]);
	else
		xt_debug("attempt %d: %s after %ld ms: %s", res->attempts,
		    res->why, now_ms() - t0, outcome_name[res->outcome]);
}

/* 500 to 1000 ms, at random, so that clients do not retry in step. */
static long
backoff_ms(void)
{
	unsigned char r[2];

	if (rand_bytes(r, sizeof r) != 0)
		r[0] = r[1] = 0;
	return 500 + (long)(((unsigned)r[0] << 8 | r[1]) % 501);
}

int
http_post(const struct http_request *req, struct http_result *res)
{
	char errbuf[CURL_ERROR_SIZE], agent[64];
	struct curl_slist *hdrs = NULL;
	struct curl_blob ca;
	struct buf blob;
	CURL *c = NULL;
	long deadline, backoff;
	struct tally body = { 0, HTTP_BODY_MAX }, head = { 0, HTTP_HEAD_MAX };
	int ret = -1;

	memset(res, 0, sizeof *res);
	buf_init(&blob, CA_BUNDLE_MAX);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
	    (c = curl_easy_init()) == NULL) {
		snprintf(res->why, sizeof res->why, "libcurl cannot start");
		goto out;
	}
	if ((hdrs = headers(req)) == NULL) {
		snprintf(res->why, sizeof res->why, "out of memory");
		goto out;
	}
	if (req->ca_file != NULL &&
	    ca_blob(c, req->ca_bundle, req->ca_file, &blob, res->why,
	    sizeof res->why) != 0)
		goto out;
	snprintf(agent, sizeof agent, "xt/%s", XT_VERSION);
	ca.data = blob.data;
	ca.len = blob.len;
	ca.flags = CURL_BLOB_NOCOPY;
	setup(c, req, hdrs, agent, &ca, errbuf, &body, &head);

	deadline = now_ms() + req->timeout_ms;
	for (;;) {
		attempt(c, req, res, errbuf, &body, &head,
		    deadline - now_ms());
		if (res->outcome != HTTP_TEMPORARY || res->attempts == 2)
			break;
		backoff = backoff_ms();
		if (deadline - now_ms() < RETRY_MIN_MS) {
			xt_debug("no time left to retry");
			break;
		}
		/* The backoff does not eat into the retry's time. */
		xt_debug("retrying in %ld ms", backoff);
		sleep_ms(backoff);
		deadline += backoff;
	}
	ret = 0;
out:
	if (c != NULL)
		curl_easy_cleanup(c);
	curl_slist_free_all(hdrs);
	curl_global_cleanup();
	buf_free(&blob);
	return ret;
}
