/* xt-collect: the reference collector, on libmicrohttpd and SQLite. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <sqlite3.h>

#include "lib/batch.h"
#include "lib/buf.h"
#include "lib/json.h"
#include "lib/util.h"

#define DEFAULT_LISTEN	"127.0.0.1:8787"
#define DEFAULT_PATH	"/api/telemetry/events"
#define DEFAULT_DB	"xt-collect.db"
#define BODY_MAX	JSON_MAX_TEXT	/* 1 MiB, what xt-post may send */
#define BUDGET_MAX	(64 << 20)	/* bytes of bodies held at once */
#define CONN_MAX	512
#define TIMEOUT_DEFAULT	10		/* seconds; -t */
#define TIMEOUT_MAX	3600
#define BUSY_MS		5000		/* SQLite's wait for a lock */
#define FILE_MAX	(1 << 20)	/* a certificate or key file */

static const char *const synopsis[] = {
	"xt-collect [-c cert -k key] [-d db] [-l addr:port] [-p path] [-t seconds]",
	"xt-collect report [-d db] [-H file] [--since days]",
	NULL
};

/*
 * A TCP connection, tracked so that the main thread can cut one whose
 * request does not arrive whole in time: libmicrohttpd's own timeout
 * only notices silence, and a client sending a byte every few seconds
 * is never silent.
 */
struct conn {
	struct conn *prev, *next;
	int fd;
	time_t since;		/* connected, or its last request answered */
	int cut;
};

/* One request: its body, and what it holds of the budget. */
struct req {
	struct buf body;
	size_t reserved;
	int counted;		/* in srv.inflight */
};

static struct {
	const char *path;
	unsigned timeout;
	sqlite3 *db;
	sqlite3_stmt *batch, *event;
	size_t budget;		/* bytes of bodies held; MHD's thread only */
	int started;		/* MHD is up: its messages only in debug mode */
	/* shared by MHD's thread and the main thread, under lock */
	pthread_mutex_t lock;
	struct conn *conns;
	int inflight;		/* requests begun and not yet answered */
	int stopping;
} srv = { .lock = PTHREAD_MUTEX_INITIALIZER };

static struct batch the_batch;	/* MHD's one thread parses into it */

static const char schema[] =
	"PRAGMA journal_mode=WAL;"
	"PRAGMA synchronous=NORMAL;"
	"CREATE TABLE IF NOT EXISTS batches ("
	" sessionId TEXT PRIMARY KEY,"
	" received TEXT NOT NULL,"
	" events INTEGER NOT NULL"
	") WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS events ("
	" id INTEGER PRIMARY KEY,"
	" received TEXT NOT NULL,"
	" anonymousId TEXT NOT NULL,"
	" projectHash TEXT,"
	" sessionId TEXT NOT NULL,"
	" contextExtra TEXT,"
	" platform TEXT,"
	" systemRelease TEXT,"
	" arch TEXT,"
	" cpuCores INTEGER,"
	" cpuModel TEXT,"
	" cpuSpeed INTEGER,"
	" memoryTotal INTEGER,"
	" isDocker INTEGER,"
	" isWsl INTEGER,"
	" isCI INTEGER,"
	" ciName TEXT,"
	" metaExtra TEXT,"
	" eventName TEXT NOT NULL,"
	" timestamp TEXT NOT NULL,"
	" fields TEXT NOT NULL"
	");"
	"CREATE INDEX IF NOT EXISTS events_timestamp ON events(timestamp);";

static time_t
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static void
db_die(const char *what)
{
	xt_die(XT_EXIT_FAIL, "%s: %s", what, sqlite3_errmsg(srv.db));
}

/*
 * The database file: a regular file of ours, or none yet (SQLite makes
 * it, and its -wal and -shm, 0600 under our umask).
 */
static void
db_check_path(const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0) {
		if (errno == ENOENT)
			return;
		xt_die_errno(XT_EXIT_USAGE, "%s", path);
	}
	if (!S_ISREG(st.st_mode))
		xt_die(XT_EXIT_USAGE, "%s: not a regular file", path);
	if (st.st_uid != geteuid())
		xt_die(XT_EXIT_USAGE, "%s: owned by someone else", path);
}

static void
db_open(const char *path)
{
	db_check_path(path);
	if (sqlite3_open_v2(path, &srv.db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK)
		db_die(path);
	sqlite3_busy_timeout(srv.db, BUSY_MS);
	if (sqlite3_exec(srv.db, schema, NULL, NULL, NULL) != SQLITE_OK)
		db_die(path);
	if (sqlite3_prepare_v2(srv.db, "INSERT OR IGNORE INTO batches "
	    "(sessionId, received, events) VALUES (?, ?, ?)", -1, &srv.batch,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(srv.db, "INSERT INTO events (received, "
	    "anonymousId, projectHash, sessionId, contextExtra, platform, "
	    "systemRelease, arch, cpuCores, cpuModel, cpuSpeed, memoryTotal, "
	    "isDocker, isWsl, isCI, ciName, metaExtra, eventName, timestamp, "
	    "fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?)", -1, &srv.event, NULL) != SQLITE_OK)
		db_die(path);
}

static void
db_close(void)
{
	sqlite3_finalize(srv.batch);
	sqlite3_finalize(srv.event);
	if (sqlite3_close(srv.db) != SQLITE_OK)
		db_die("closing the database");
}

static void
bind_str(sqlite3_stmt *st, int col, const struct batch *b,
    const struct batch_str *s)
{
	if (s->set)
		sqlite3_bind_text(st, col, batch_bytes(b, s), (int)s->len,
		    SQLITE_STATIC);
	else
		sqlite3_bind_null(st, col);
}

static void
bind_int(sqlite3_stmt *st, int col, const struct batch_int *v)
{
	if (v->set)
		sqlite3_bind_int64(st, col, v->v);
	else
		sqlite3_bind_null(st, col);
}

static void
bind_bool(sqlite3_stmt *st, int col, int v)
{
	if (v >= 0)
		sqlite3_bind_int(st, col, v);
	else
		sqlite3_bind_null(st, col);
}

static int
step_done(sqlite3_stmt *st)
{
	int r = sqlite3_step(st);

	sqlite3_reset(st);
	return r == SQLITE_DONE ? 0 : -1;
}

/*
 * Store b in one transaction: its session's row in batches, then one
 * row per event.  1 when stored, 0 when that session was stored
 * before (a retry: nothing changes), -1 on a database error (nothing
 * changes either).
 */
static int
db_store(const struct batch *b)
{
	struct sqlite3_stmt *st = srv.event;
	char received[32];
	struct timespec ts;
	struct tm tm;
	size_t i;
	int r = 1;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(received, sizeof received, "%Y-%m-%dT%H:%M:%SZ", &tm);

	if (sqlite3_exec(srv.db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(srv.batch, 1, b->session_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(srv.batch, 2, received, -1, SQLITE_STATIC);
	sqlite3_bind_int64(srv.batch, 3, (sqlite3_int64)b->nevents);
	if (step_done(srv.batch) != 0)
		goto fail;
	if (sqlite3_changes(srv.db) == 0) {
		r = 0;
		goto fail;
	}
	sqlite3_bind_text(st, 1, received, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, b->anonymous_id, -1, SQLITE_STATIC);
	if (b->project_hash[0] != '\0')
		sqlite3_bind_text(st, 3, b->project_hash, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 3);
	sqlite3_bind_text(st, 4, b->session_id, -1, SQLITE_STATIC);
	bind_str(st, 5, b, &b->context_extra);
	bind_str(st, 6, b, &b->platform);
	bind_str(st, 7, b, &b->system_release);
	bind_str(st, 8, b, &b->arch);
	bind_int(st, 9, &b->cpu_cores);
	bind_str(st, 10, b, &b->cpu_model);
	bind_int(st, 11, &b->cpu_speed);
	bind_int(st, 12, &b->memory_total);
	bind_bool(st, 13, b->is_docker);
	bind_bool(st, 14, b->is_wsl);
	bind_bool(st, 15, b->is_ci);
	bind_str(st, 16, b, &b->ci_name);
	bind_str(st, 17, b, &b->meta_extra);
	for (i = 0; i < b->nevents; i++) {
		const struct batch_event *e = &b->event[i];

		bind_str(st, 18, b, &e->name);
		sqlite3_bind_text(st, 19, e->timestamp, 24, SQLITE_STATIC);
		bind_str(st, 20, b, &e->fields);
		if (step_done(st) != 0)
			goto fail;
	}
	sqlite3_clear_bindings(st);
	if (sqlite3_exec(srv.db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	return 1;
fail:
	if (r != 0)
		xt_warnx("storing a batch: %s", sqlite3_errmsg(srv.db));
	sqlite3_clear_bindings(st);
	sqlite3_clear_bindings(srv.batch);
	sqlite3_exec(srv.db, "ROLLBACK", NULL, NULL, NULL);
	return r == 0 ? 0 : -1;
}

static enum MHD_Result
reply(struct MHD_Connection *c, unsigned status, const char *fmt, ...)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	va_list ap;
	char text[512];
	int n, stopping;

	va_start(ap, fmt);
	n = vsnprintf(text, sizeof text - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n > sizeof text - 2)
		n = sizeof text - 2;
	xt_debug("%u %.*s", status, n, text);
	text[n++] = '\n';
	resp = MHD_create_response_from_buffer((size_t)n, text,
	    MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "text/plain; charset=utf-8");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "POST");
	if (status == MHD_HTTP_SERVICE_UNAVAILABLE)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, "5");
	pthread_mutex_lock(&srv.lock);
	stopping = srv.stopping;
	pthread_mutex_unlock(&srv.lock);
	if (stopping)	/* so keep-alive clients go, and the stop comes */
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	ret = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* The whole body is here: check it, store it, answer. */
static enum MHD_Result
take(struct MHD_Connection *c, struct req *r)
{
	struct batch *b = &the_batch;
	enum MHD_Result ret;
	int stored;

	if (batch_parse(b, r->body.data, r->body.len) != 0) {
		ret = reply(c, MHD_HTTP_BAD_REQUEST, "%s", b->why);
		batch_free(b);
		return ret;
	}
	stored = db_store(b);
	if (stored > 0)
		ret = reply(c, MHD_HTTP_OK, "stored %zu event%s", b->nevents,
		    b->nevents == 1 ? "" : "s");
	else if (stored == 0)
		ret = reply(c, MHD_HTTP_OK, "already stored");
	else
		ret = reply(c, MHD_HTTP_SERVICE_UNAVAILABLE, "the database "
		    "failed; try again later");
	batch_free(b);
	return ret;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_size, void **req_cls)
{
	struct req *r = *req_cls;
	const char *cl;
	char *end;
	unsigned long long len = 0;

	(void)cls;
	(void)version;
	if (r == NULL) {	/* the headers are in; no body read yet */
		if ((r = calloc(1, sizeof *r)) == NULL)
			return MHD_NO;
		*req_cls = r;
		pthread_mutex_lock(&srv.lock);
		srv.inflight++;
		pthread_mutex_unlock(&srv.lock);
		r->counted = 1;
		buf_init(&r->body, BODY_MAX);
		if (strcmp(url, srv.path) != 0)
			return reply(c, MHD_HTTP_NOT_FOUND, "no such path: "
			    "POST payloads to %s", srv.path);
		if (strcmp(method, MHD_HTTP_METHOD_POST) != 0)
			return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only POST");
		cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl != NULL) {
			errno = 0;
			len = strtoull(cl, &end, 10);
			if (errno != 0 || end == cl || *end != '\0' || *cl == '-')
				return reply(c, MHD_HTTP_BAD_REQUEST,
				    "bad Content-Length");
			if (len > BODY_MAX)
				return reply(c, MHD_HTTP_CONTENT_TOO_LARGE,
				    "over %d bytes", BODY_MAX);
		}
		/* what this body will hold, all of it or up to the cap */
		r->reserved = cl != NULL ? (size_t)len : BODY_MAX;
		if (srv.budget + r->reserved > BUDGET_MAX) {
			r->reserved = 0;
			return reply(c, MHD_HTTP_SERVICE_UNAVAILABLE, "busy; try "
			    "again later");
		}
		srv.budget += r->reserved;
		return MHD_YES;
	}
	if (*upload_size != 0) {
		if (r->body.len + *upload_size > BODY_MAX)
			return MHD_NO;	/* chunked past the cap: cut */
		buf_add(&r->body, upload_data, *upload_size);
		*upload_size = 0;
		if (r->body.full)
			return MHD_NO;
		return MHD_YES;
	}
	return take(c, r);
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
    enum MHD_RequestTerminationCode code)
{
	const union MHD_ConnectionInfo *info;
	struct req *r = *req_cls;
	struct conn *k;

	(void)cls;
	(void)code;
	info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	k = info != NULL ? info->socket_context : NULL;
	pthread_mutex_lock(&srv.lock);
	if (r != NULL && r->counted)
		srv.inflight--;
	if (k != NULL)
		k->since = now_s();
	pthread_mutex_unlock(&srv.lock);
	if (r != NULL) {
		srv.budget -= r->reserved;
		buf_free(&r->body);
		free(r);
	}
	*req_cls = NULL;
}

static void
on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
    enum MHD_ConnectionNotificationCode code)
{
	const union MHD_ConnectionInfo *info;
	struct conn *k;

	(void)cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (info == NULL || (k = calloc(1, sizeof *k)) == NULL)
			return;
		k->fd = info->connect_fd;
		k->since = now_s();
		pthread_mutex_lock(&srv.lock);
		k->next = srv.conns;
		if (srv.conns != NULL)
			srv.conns->prev = k;
		srv.conns = k;
		pthread_mutex_unlock(&srv.lock);
		*socket_context = k;
		return;
	}
	if ((k = *socket_context) == NULL)
		return;
	pthread_mutex_lock(&srv.lock);
	if (k->prev != NULL)
		k->prev->next = k->next;
	else
		srv.conns = k->next;
	if (k->next != NULL)
		k->next->prev = k->prev;
	pthread_mutex_unlock(&srv.lock);
	free(k);
	*socket_context = NULL;
}

/*
 * Cut every connection whose request has taken longer than the timeout
 * since it connected or was last answered.  shutdown(2) only: the
 * descriptor stays libmicrohttpd's to close (it sees the end and lets
 * the connection go), and under the lock it is still open.
 */
static void
sweep(void)
{
	struct conn *k;
	time_t t = now_s();

	pthread_mutex_lock(&srv.lock);
	for (k = srv.conns; k != NULL; k = k->next)
		if (!k->cut && t - k->since > (time_t)srv.timeout) {
			shutdown(k->fd, SHUT_RDWR);
			k->cut = 1;
		}
	pthread_mutex_unlock(&srv.lock);
}

/* libmicrohttpd's messages: while starting, or in debug mode. */
static void
on_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;

	(void)cls;
	if (srv.started && !xt_debugging())
		return;
	vsnprintf(msg, sizeof msg, fmt, ap);
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	xt_warnx("libmicrohttpd: %s", msg);
}

/*
 * -l addr:port: a numeric IPv4 address, or an IPv6 one in brackets;
 * port 0 lets the kernel choose (the address printed says which).
 */
static void
parse_listen(const char *arg, struct sockaddr_storage *ss)
{
	struct addrinfo hints, *res;
	char host[64];
	const char *colon, *port;
	size_t n;
	int r;

	if (arg[0] == '[') {
		colon = strchr(arg, ']');
		if (colon == NULL || colon[1] != ':')
			goto bad;
		n = (size_t)(colon - arg - 1);
		port = colon + 2;
		arg++;
	} else {
		if ((colon = strrchr(arg, ':')) == NULL)
			goto bad;
		n = (size_t)(colon - arg);
		port = colon + 1;
	}
	if (n == 0 || n >= sizeof host || *port == '\0' ||
	    strspn(port, "0123456789") != strlen(port) || strlen(port) > 5 ||
	    atoi(port) > 65535)
		goto bad;
	memcpy(host, arg, n);
	host[n] = '\0';
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	if ((r = getaddrinfo(host, port, &hints, &res)) != 0)
		goto bad;
	memset(ss, 0, sizeof *ss);
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	return;
bad:
	xt_die(XT_EXIT_USAGE, "-l '%s': not ADDRESS:PORT (127.0.0.1:8787, "
	    "[::1]:8787)", arg);
}

static char *
read_file(const char *path)
{
	char why[64];
	struct buf b;

	buf_init(&b, FILE_MAX);
	if (buf_read_file(&b, path, BUF_STREAM, NULL) != 0)
		xt_die(XT_EXIT_USAGE, "%s: %s", path,
		    buf_read_error(&b, why, sizeof why));
	return b.data;	/* NUL-terminated, as struct buf keeps it */
}

static unsigned
parse_timeout(const char *s)
{
	char *end;
	unsigned long t;

	errno = 0;
	t = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || *s == '-' || t == 0 ||
	    t > TIMEOUT_MAX)
		xt_die(XT_EXIT_USAGE, "-t '%s': whole seconds, 1 to %d", s,
		    TIMEOUT_MAX);
	return (unsigned)t;
}

/* Print the address clients use, once it accepts connections. */
static void
announce(struct MHD_Daemon *d, int tls)
{
	const union MHD_DaemonInfo *info;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	char host[INET6_ADDRSTRLEN];
	int port;

	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_LISTEN_FD);
	if (info == NULL || getsockname(info->listen_fd, (struct sockaddr *)&ss,
	    &sl) != 0)
		xt_die(XT_EXIT_FAIL, "the listening socket: %s", strerror(errno));
	if (ss.ss_family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
		inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
		port = ntohs(a->sin6_port);
		printf("%s://[%s]:%d%s\n", tls ? "https" : "http", host, port,
		    srv.path);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;
		inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
		port = ntohs(a->sin_port);
		printf("%s://%s:%d%s\n", tls ? "https" : "http", host, port,
		    srv.path);
	}
	if (fflush(stdout) != 0)
		xt_die(XT_EXIT_FAIL, "stdout: %s", strerror(errno));
}

/*
 * Stopping: no new connections; the requests already begun are
 * answered (each told to close its connection) for up to the timeout;
 * then the rest are cut and the database is closed.
 */
static void
stop(struct MHD_Daemon *d)
{
	time_t until = now_s() + (time_t)srv.timeout;
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	int fd, busy;

	pthread_mutex_lock(&srv.lock);
	srv.stopping = 1;
	pthread_mutex_unlock(&srv.lock);
	if ((fd = MHD_quiesce_daemon(d)) >= 0)
		close(fd);
	for (;;) {
		pthread_mutex_lock(&srv.lock);
		busy = srv.inflight;
		pthread_mutex_unlock(&srv.lock);
		if (busy == 0 || now_s() > until)
			break;
		nanosleep(&tick, NULL);
	}
	MHD_stop_daemon(d);
	db_close();
}

static int
serve(int argc, char *argv[])
{
	const char *listen_arg = DEFAULT_LISTEN, *db = DEFAULT_DB;
	const char *cert_path = NULL, *key_path = NULL;
	char *cert = NULL, *key = NULL;
	struct sockaddr_storage ss;
	struct MHD_Daemon *d;
	unsigned flags;
	sigset_t sigs;
	struct timespec second = { 1, 0 };
	int c, sig;

	srv.path = DEFAULT_PATH;
	srv.timeout = TIMEOUT_DEFAULT;
	while ((c = getopt(argc, argv, "c:d:hk:l:p:t:V")) != -1) {
		switch (c) {
		case 'c': cert_path = optarg; break;
		case 'd': db = optarg; break;
		case 'h': xt_help(synopsis);
		case 'k': key_path = optarg; break;
		case 'l': listen_arg = optarg; break;
		case 'p': srv.path = optarg; break;
		case 't': srv.timeout = parse_timeout(optarg); break;
		case 'V': xt_version();
		default: xt_usage(synopsis);
		}
	}
	if (optind != argc || (cert_path == NULL) != (key_path == NULL))
		xt_usage(synopsis);
	if (srv.path[0] != '/')
		xt_die(XT_EXIT_USAGE, "-p '%s': not a path starting with /",
		    srv.path);
	parse_listen(listen_arg, &ss);
	flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (cert_path != NULL) {
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
			xt_die(XT_EXIT_USAGE, "-c, -k: this libmicrohttpd has "
			    "no TLS; use a reverse proxy");
		cert = read_file(cert_path);
		key = read_file(key_path);
		flags |= MHD_USE_TLS;
	}

	umask(077);
	db_open(db);

	/* Signals wait for the main thread, which MHD's thread inherits. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);

	d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, NULL,
	    MHD_OPTION_EXTERNAL_LOGGER, on_log, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONN_MAX,
	    MHD_OPTION_CONNECTION_TIMEOUT, srv.timeout,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
	    MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
	    cert != NULL ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, cert,
	    MHD_OPTION_HTTPS_MEM_KEY, key,
	    MHD_OPTION_END);
	if (d == NULL)
		xt_die(XT_EXIT_FAIL, "cannot listen on %s%s", listen_arg,
		    cert != NULL ? " with that certificate and key" : "");
	srv.started = 1;
	if (key != NULL)
		xt_wipe(key, strlen(key));
	announce(d, cert != NULL);

	for (;;) {
		sig = sigtimedwait(&sigs, NULL, &second);
		if (sig > 0)
			break;
		sweep();
	}
	stop(d);
	free(cert);
	free(key);
	xt_exit(XT_EXIT_OK);
}

/*
 * The report: SQL over the events table, each section one table of
 * text cells.  A share table's last column is a fraction (0 to 1) that
 * only the HTML page draws, as a bar.
 */
#define REPORT_DAYS_MAX		36500
#define REPORT_FILL_MAX		1000	/* days a chart fills with zeros */

struct table {
	const char *title, *note;
	int ncol;		/* printed columns */
	const char *head[4];
	int right[4];		/* numbers: aligned right */
	int bar;		/* a fraction follows the printed columns */
	int chart;		/* the HTML page draws columns 0 and 1: 1 above
				   the table, 2 instead of it */
	char **cell;		/* nrow * (ncol + bar), owned */
	size_t nrow;
};

static sqlite3 *rdb;
static char since_ts[32];	/* "" for all time */

#define SINCE	" timestamp >= ?1 "
#define UPLOADS	"WITH u AS (SELECT sessionId, platform, arch, isCI, ciName, " \
	"cpuCores, memoryTotal FROM events WHERE" SINCE "GROUP BY sessionId) "
#define SHARE	"count(*), printf('%.1f%%', 100.0 * count(*) / " \
	"sum(count(*)) OVER ()), 1.0 * count(*) / sum(count(*)) OVER ()"

static void
report_db_die(const char *what)
{
	xt_die(XT_EXIT_FAIL, "%s: %s", what, sqlite3_errmsg(rdb));
}

static sqlite3_stmt *
query(const char *sql)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(rdb, sql, -1, &st, NULL) != SQLITE_OK)
		report_db_die("query");
	sqlite3_bind_text(st, 1, since_ts, -1, SQLITE_STATIC);
	return st;
}

static void
table_fill(struct table *t, const char *sql)
{
	sqlite3_stmt *st = query(sql);
	int ncell = t->ncol + t->bar, i, r;
	size_t cap = 0;

	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (t->nrow == cap) {
			cap = cap ? 2 * cap : 16;
			t->cell = realloc(t->cell, cap * (size_t)ncell * sizeof *t->cell);
			if (t->cell == NULL)
				xt_die(XT_EXIT_FAIL, "out of memory");
		}
		for (i = 0; i < ncell; i++) {
			const unsigned char *s = sqlite3_column_text(st, i);
			char *c = strdup(s != NULL ? (const char *)s : "");

			if (c == NULL)
				xt_die(XT_EXIT_FAIL, "out of memory");
			t->cell[t->nrow * (size_t)ncell + (size_t)i] = c;
		}
		t->nrow++;
	}
	if (r != SQLITE_DONE)
		report_db_die("query");
	sqlite3_finalize(st);
}

static const char *
cell(const struct table *t, size_t row, int col)
{
	return t->cell[row * (size_t)(t->ncol + t->bar) + (size_t)col];
}

static void
table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nrow * (size_t)(t->ncol + t->bar); i++)
		free(t->cell[i]);
	free(t->cell);
}

enum { T_DAYS, T_DAYNAME, T_WEEKS, T_PLATFORM, T_CI, T_CINAME, T_CPU,
    T_MEMORY, T_COUNT };

static struct table tables[T_COUNT] = {
	[T_DAYS] = { "Events per day", NULL, 2, { "day", "events" },
	    { 0, 1 }, 0, 2, NULL, 0 },
	[T_DAYNAME] = { "Events per day and name", NULL, 3,
	    { "day", "event", "count" }, { 0, 0, 1 }, 0, 0, NULL, 0 },
	[T_WEEKS] = { "Installs per week", "distinct anonymousIds; weeks "
	    "start on Monday", 2, { "week", "installs" }, { 0, 1 }, 0, 1,
	    NULL, 0 },
	[T_PLATFORM] = { "Platform and architecture", "share of uploads",
	    4, { "platform", "arch", "uploads", "share" }, { 0, 0, 1, 1 }, 1,
	    0, NULL, 0 },
	[T_CI] = { "CI", "share of uploads", 3, { "where", "uploads",
	    "share" }, { 0, 1, 1 }, 1, 0, NULL, 0 },
	[T_CINAME] = { "CI services", "share of uploads from CI", 3,
	    { "service", "uploads", "share" }, { 0, 1, 1 }, 1, 0, NULL, 0 },
	[T_CPU] = { "CPU cores", "share of uploads", 3, { "cores",
	    "uploads", "share" }, { 0, 1, 1 }, 1, 0, NULL, 0 },
	[T_MEMORY] = { "Memory", "share of uploads", 3, { "memory",
	    "uploads", "share" }, { 0, 1, 1 }, 1, 0, NULL, 0 },
};

static const char *const table_sql[T_COUNT] = {
	/* every day from the first to the last, so gaps show as gaps */
	[T_DAYS] = "WITH RECURSIVE b(lo, hi) AS (SELECT date(min(timestamp)), "
	    "date(max(timestamp)) FROM events WHERE" SINCE "), d(day) AS "
	    "(SELECT lo FROM b WHERE lo IS NOT NULL UNION ALL SELECT "
	    "date(day, '+1 day') FROM d, b WHERE day < hi AND "
	    "julianday(hi) - julianday(lo) < 1000) "
	    "SELECT day, (SELECT count(*) FROM events WHERE timestamp >= day "
	    "AND timestamp < date(day, '+1 day') AND" SINCE ") FROM d "
	    "UNION SELECT substr(timestamp, 1, 10), count(*) FROM events "
	    "WHERE" SINCE "GROUP BY 1 ORDER BY 1",
	[T_DAYNAME] = "SELECT substr(timestamp, 1, 10), eventName, count(*) "
	    "FROM events WHERE" SINCE "GROUP BY 1, 2 ORDER BY 1, 2",
	[T_WEEKS] = "SELECT date(substr(timestamp, 1, 10), 'weekday 0', "
	    "'-6 days'), count(DISTINCT anonymousId) FROM events WHERE" SINCE
	    "GROUP BY 1 ORDER BY 1",
	[T_PLATFORM] = UPLOADS "SELECT coalesce(platform, 'unknown'), "
	    "coalesce(arch, 'unknown'), " SHARE " FROM u GROUP BY 1, 2 "
	    "ORDER BY 3 DESC, 1, 2",
	[T_CI] = UPLOADS "SELECT CASE isCI WHEN 1 THEN 'CI' WHEN 0 THEN "
	    "'not CI' ELSE 'unknown' END, " SHARE " FROM u GROUP BY 1 "
	    "ORDER BY 2 DESC, 1",
	[T_CINAME] = UPLOADS "SELECT coalesce(ciName, 'unnamed'), " SHARE
	    " FROM u WHERE isCI = 1 GROUP BY 1 ORDER BY 2 DESC, 1",
	[T_CPU] = UPLOADS "SELECT CASE WHEN cpuCores IS NULL THEN 'unknown' "
	    "WHEN cpuCores <= 1 THEN '1' WHEN cpuCores <= 2 THEN '2' "
	    "WHEN cpuCores <= 4 THEN '3-4' WHEN cpuCores <= 8 THEN '5-8' "
	    "WHEN cpuCores <= 16 THEN '9-16' WHEN cpuCores <= 32 THEN '17-32' "
	    "ELSE '33+' END, " SHARE ", coalesce(min(cpuCores), 1e9) FROM u "
	    "GROUP BY 1 ORDER BY 5",
	[T_MEMORY] = UPLOADS "SELECT CASE WHEN memoryTotal IS NULL THEN "
	    "'unknown' WHEN memoryTotal <= 2048 THEN 'up to 2 GiB' "
	    "WHEN memoryTotal <= 4096 THEN '2-4 GiB' "
	    "WHEN memoryTotal <= 8192 THEN '4-8 GiB' "
	    "WHEN memoryTotal <= 16384 THEN '8-16 GiB' "
	    "WHEN memoryTotal <= 32768 THEN '16-32 GiB' "
	    "WHEN memoryTotal <= 65536 THEN '32-64 GiB' "
	    "ELSE 'over 64 GiB' END, " SHARE ", coalesce(min(memoryTotal), "
	    "1e18) FROM u GROUP BY 1 ORDER BY 5",
};

struct summary {
	char events[24], uploads[24], installs[24], first[32], last[32];
};

/* "s" unless the count is one */
static const char *
plural(const char *count)
{
	return strcmp(count, "1") == 0 ? "" : "s";
}

static void
summarize(struct summary *s)
{
	sqlite3_stmt *st = query("SELECT count(*), count(DISTINCT sessionId), "
	    "count(DISTINCT anonymousId), coalesce(min(timestamp), ''), "
	    "coalesce(max(timestamp), '') FROM events WHERE" SINCE);

	if (sqlite3_step(st) != SQLITE_ROW)
		report_db_die("query");
	snprintf(s->events, sizeof s->events, "%s", sqlite3_column_text(st, 0));
	snprintf(s->uploads, sizeof s->uploads, "%s", sqlite3_column_text(st, 1));
	snprintf(s->installs, sizeof s->installs, "%s", sqlite3_column_text(st, 2));
	snprintf(s->first, sizeof s->first, "%.10s", sqlite3_column_text(st, 3));
	snprintf(s->last, sizeof s->last, "%.10s", sqlite3_column_text(st, 4));
	sqlite3_finalize(st);
}

/* Characters a terminal shows one column wide, near enough: not UTF-8 continuation bytes. */
static size_t
width(const char *s)
{
	size_t w = 0;

	for (; *s != '\0'; s++)
		w += ((unsigned char)*s & 0xC0) != 0x80;
	return w;
}

/* A cell on a terminal: no control character gets through. */
static void
put_text(struct buf *o, const char *s)
{
	for (; *s != '\0'; s++)
		buf_addc(o, (unsigned char)*s < 0x20 || *s == 0x7F ? '?' : *s);
}

static void
text_table(struct buf *o, const struct table *t)
{
	size_t w[4] = { 0 }, r, k;
	int c;

	buf_printf(o, "\n%s", t->title);
	if (t->note != NULL)
		buf_printf(o, " (%s)", t->note);
	buf_addc(o, '\n');
	for (c = 0; c < t->ncol; c++) {
		w[c] = width(t->head[c]);
		for (r = 0; r < t->nrow; r++)
			if (width(cell(t, r, c)) > w[c])
				w[c] = width(cell(t, r, c));
	}
	for (r = 0; r <= t->nrow; r++) {
		for (c = 0; c < t->ncol; c++) {
			const char *s = r == 0 ? t->head[c] : cell(t, r - 1, c);
			size_t pad = w[c] - width(s);

			if (c > 0)
				buf_adds(o, "  ");
			if (t->right[c])
				for (k = 0; k < pad; k++)
					buf_addc(o, ' ');
			put_text(o, s);
			if (!t->right[c] && c + 1 < t->ncol)
				for (k = 0; k < pad; k++)
					buf_addc(o, ' ');
		}
		buf_addc(o, '\n');
	}
	if (t->nrow == 0)
		buf_adds(o, "(none)\n");
}

static void
put_html(struct buf *o, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&': buf_adds(o, "&amp;"); break;
		case '<': buf_adds(o, "&lt;"); break;
		case '>': buf_adds(o, "&gt;"); break;
		case '"': buf_adds(o, "&quot;"); break;
		default:
			buf_addc(o, (unsigned char)*s < 0x20 || *s == 0x7F ?
			    '?' : *s);
		}
	}
}

/*
 * A column chart of column 1 over column 0, as inline SVG: the bars
 * stretch with the page, their height is in em so text zoom scales
 * it, and each bar's <title> names its day and count.  The labels are
 * HTML around it, so they zoom and wrap as text does.
 */
static void
html_chart(struct buf *o, const struct table *t)
{
	double max = 0, v;
	size_t r;

	if (t->nrow == 0)
		return;
	for (r = 0; r < t->nrow; r++)
		if ((v = atof(cell(t, r, 1))) > max)
			max = v;
	if (max <= 0)
		max = 1;
	buf_printf(o, "<figure><div class=\"axis\">%.0f</div>\n", max);
	buf_printf(o, "<svg class=\"chart\" viewBox=\"0 0 %zu 100\" "
	    "preserveAspectRatio=\"none\" role=\"img\" aria-label=\"",
	    t->nrow * 10);
	put_html(o, t->title);
	buf_adds(o, "\">\n<rect class=\"grid\" x=\"0\" y=\"99.5\" width=\"100%\" "
	    "height=\"0.5\"/>\n");
	for (r = 0; r < t->nrow; r++) {
		double h = 100.0 * atof(cell(t, r, 1)) / max;
		buf_printf(o, "<rect class=\"bar\" x=\"%zu.5\" y=\"%.2f\" "
		    "width=\"9\" height=\"%.2f\"><title>", r * 10, 100 - h, h);
		put_html(o, cell(t, r, 0));
		buf_adds(o, ": ");
		put_html(o, cell(t, r, 1));
		buf_adds(o, "</title></rect>\n");
	}
	buf_adds(o, "</svg>\n<div class=\"axis\"><span>");
	put_html(o, cell(t, 0, 0));
	buf_adds(o, "</span><span>");
	put_html(o, cell(t, t->nrow - 1, 0));
	buf_adds(o, "</span></div></figure>\n");
}

static void
html_table(struct buf *o, const struct table *t)
{
	size_t r;
	int c;

	buf_adds(o, "<h2>");
	put_html(o, t->title);
	buf_adds(o, "</h2>\n");
	if (t->note != NULL) {
		buf_adds(o, "<p class=\"note\">");
		put_html(o, t->note);
		buf_adds(o, "</p>\n");
	}
	if (t->chart)
		html_chart(o, t);
	if (t->chart == 2 && t->nrow > 0)
		return;
	if (t->nrow == 0) {
		buf_adds(o, "<p>None.</p>\n");
		return;
	}
	buf_adds(o, "<table>\n<thead><tr>");
	for (c = 0; c < t->ncol; c++) {
		buf_printf(o, "<th%s>", t->right[c] ? " class=\"n\"" : "");
		put_html(o, t->head[c]);
		buf_adds(o, "</th>");
	}
	if (t->bar)
		buf_adds(o, "<th><span class=\"hidden\">bar</span></th>");
	buf_adds(o, "</tr></thead>\n<tbody>\n");
	for (r = 0; r < t->nrow; r++) {
		buf_adds(o, "<tr>");
		for (c = 0; c < t->ncol; c++) {
			buf_printf(o, "<td%s>", t->right[c] ? " class=\"n\"" : "");
			put_html(o, cell(t, r, c));
			buf_adds(o, "</td>");
		}
		if (t->bar)
			buf_printf(o, "<td class=\"barcell\"><svg class=\"bar\" "
			    "viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" "
			    "aria-hidden=\"true\"><rect class=\"grid\" width=\"100\" "
			    "height=\"10\"/><rect class=\"bar\" width=\"%.2f\" "
			    "height=\"10\"/></svg></td>",
			    100 * atof(cell(t, r, t->ncol)));
		buf_adds(o, "</tr>\n");
	}
	buf_adds(o, "</tbody>\n</table>\n");
}

static const char html_head[] =
	"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	"<meta name=\"color-scheme\" content=\"light dark\">\n"
	"<title>Telemetry report</title>\n<style>\n"
	":root { color-scheme: light dark; --fg: #1f2328; --bg: #ffffff; "
	"--muted: #59636e; --bar: #0969da; --grid: #d1d9e0; }\n"
	"@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; "
	"--bg: #0d1117; --muted: #9198a1; --bar: #4493f8; --grid: #30363d; } }\n"
	"body { font: 100%/1.5 system-ui, sans-serif; color: var(--fg); "
	"background: var(--bg); max-width: 48em; margin: 2em auto; "
	"padding: 0 1em; }\n"
	"h1 { font-size: 1.6em; margin-bottom: .2em; }\n"
	"h2 { font-size: 1.2em; margin: 1.8em 0 .2em; }\n"
	".note, .axis, .meta { color: var(--muted); font-size: .9em; }\n"
	".note { margin: 0 0 .5em; }\n"
	"table { border-collapse: collapse; }\n"
	"th, td { padding: .15em 1.2em .15em 0; text-align: left; }\n"
	"th { border-bottom: 1px solid var(--grid); }\n"
	".n { text-align: right; font-variant-numeric: tabular-nums; }\n"
	".barcell { width: 12em; }\n"
	"svg.bar { display: block; width: 12em; height: 1em; }\n"
	"svg.chart { display: block; width: 100%; height: 10em; }\n"
	"figure { margin: .5em 0 1em; }\n"
	".axis { display: flex; justify-content: space-between; }\n"
	"rect.bar { fill: var(--bar); }\n"
	"rect.grid { fill: var(--grid); }\n"
	".hidden { position: absolute; left: -999em; }\n"
	"</style>\n</head>\n<body>\n";

static void
html_page(struct buf *o, const char *db, const struct summary *s)
{
	int i;

	buf_adds(o, html_head);
	buf_adds(o, "<h1>Telemetry report</h1>\n<p class=\"meta\">");
	put_html(o, db);
	buf_printf(o, ", by xt-collect %s%s%s</p>\n", XT_VERSION,
	    since_ts[0] != '\0' ? ", events since " : "", since_ts);
	buf_printf(o, "<p><strong id=\"events\">%s</strong> event%s in "
	    "<strong id=\"uploads\">%s</strong> upload%s from "
	    "<strong id=\"installs\">%s</strong> install%s", s->events,
	    plural(s->events), s->uploads, plural(s->uploads), s->installs,
	    plural(s->installs));
	if (s->first[0] != '\0') {
		buf_adds(o, ", ");
		put_html(o, s->first);
		buf_adds(o, " to ");
		put_html(o, s->last);
	}
	buf_adds(o, ".</p>\n");
	for (i = 0; i < T_COUNT; i++)
		html_table(o, &tables[i]);
	buf_adds(o, "</body>\n</html>\n");
}

static void
text_page(struct buf *o, const char *db, const struct summary *s)
{
	int i;

	buf_adds(o, "Telemetry report: ");
	put_text(o, db);
	if (since_ts[0] != '\0')
		buf_printf(o, ", events since %s", since_ts);
	buf_printf(o, "\n%s event%s in %s upload%s from %s install%s",
	    s->events, plural(s->events), s->uploads, plural(s->uploads),
	    s->installs, plural(s->installs));
	if (s->first[0] != '\0') {
		buf_adds(o, ", ");
		put_text(o, s->first);
		buf_adds(o, " to ");
		put_text(o, s->last);
	}
	buf_adds(o, ".\n");
	for (i = 0; i < T_COUNT; i++)
		if (i != T_DAYS)	/* the day-and-name table says it all */
			text_table(o, &tables[i]);
}

/* -H FILE: whole or not at all, by a temporary file and rename. */
static void
write_html(const char *path, const struct buf *o)
{
	struct stat st;
	char tmp[4096];
	int fd;

	if (strcmp(path, "-") == 0) {
		fwrite(o->data, 1, o->len, stdout);
		return;
	}
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
		xt_die(XT_EXIT_USAGE, "-H %s: not a regular file", path);
	if (snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= (int)sizeof tmp)
		xt_die(XT_EXIT_USAGE, "-H %s: name too long", path);
	if ((fd = mkstemp(tmp)) < 0)
		xt_die(XT_EXIT_FAIL, "-H %s: %s", path, strerror(errno));
	if (xt_write_all(fd, o->data, o->len) != 0 || fchmod(fd, 0644) != 0 ||
	    fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		xt_die(XT_EXIT_FAIL, "-H %s: %s", path, strerror(e));
	}
}

static const char *
report_db_open(const char *path)
{
	sqlite3_stmt *st;
	struct stat sb;

	if (stat(path, &sb) != 0)
		xt_die(XT_EXIT_USAGE, "%s: %s", path, strerror(errno));
	if (!S_ISREG(sb.st_mode))
		xt_die(XT_EXIT_USAGE, "%s: not a regular file", path);
	/* read and write: a WAL database may need its -shm made */
	if (sqlite3_open_v2(path, &rdb, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		report_db_die(path);
	sqlite3_busy_timeout(rdb, BUSY_MS);
	if (sqlite3_exec(rdb, "PRAGMA query_only=1", NULL, NULL, NULL) != SQLITE_OK)
		report_db_die(path);
	if (sqlite3_prepare_v2(rdb, "SELECT 1 FROM sqlite_master WHERE "
	    "type = 'table' AND name = 'events'", -1, &st, NULL) != SQLITE_OK) {
		if (sqlite3_errcode(rdb) == SQLITE_NOTADB)
			xt_die(XT_EXIT_USAGE, "%s: not a database", path);
		report_db_die(path);
	}
	if (sqlite3_step(st) != SQLITE_ROW)
		xt_die(XT_EXIT_USAGE, "%s: not an xt-collect database", path);
	sqlite3_finalize(st);
	return path;
}

static int
report(int argc, char *argv[])
{
	const char *db = DEFAULT_DB, *html = NULL, *arg;
	struct summary sum;
	struct buf out;
	long days = 0;
	char *end;
	int i;

	for (i = 1; i < argc; i++) {
		arg = argv[i];
		if (strcmp(arg, "-h") == 0)
			xt_help(synopsis);
		else if (strcmp(arg, "-V") == 0)
			xt_version();
		else if (strcmp(arg, "-d") == 0 && i + 1 < argc)
			db = argv[++i];
		else if (strcmp(arg, "-H") == 0 && i + 1 < argc)
			html = argv[++i];
		else if ((strcmp(arg, "--since") == 0 && i + 1 < argc) ||
		    strncmp(arg, "--since=", 8) == 0) {
			arg = arg[7] == '=' ? arg + 8 : argv[++i];
			errno = 0;
			days = strtol(arg, &end, 10);
			if (errno != 0 || end == arg || *end != '\0' ||
			    days < 1 || days > REPORT_DAYS_MAX)
				xt_die(XT_EXIT_USAGE, "--since '%s': days, 1 to "
				    "%d", arg, REPORT_DAYS_MAX);
		} else
			xt_usage(synopsis);
	}
	if (days > 0) {
		time_t t = time(NULL) - (time_t)days * 86400;
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(since_ts, sizeof since_ts, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
	}
	report_db_open(db);
	summarize(&sum);
	for (i = 0; i < T_COUNT; i++)
		table_fill(&tables[i], table_sql[i]);
	buf_init(&out, (size_t)1 << 30);
	if (html != NULL)
		html_page(&out, db, &sum);
	else
		text_page(&out, db, &sum);
	if (out.full)
		xt_die(XT_EXIT_FAIL, "the report is over 1 GiB");
	if (html != NULL)
		write_html(html, &out);
	else
		fwrite(out.data, 1, out.len, stdout);
	for (i = 0; i < T_COUNT; i++)
		table_free(&tables[i]);
	buf_free(&out);
	if (sqlite3_close(rdb) != SQLITE_OK)
		report_db_die(db);
	xt_exit(XT_EXIT_OK);
}

int
main(int argc, char *argv[])
{
	xt_init("xt-collect");
	if (argc > 1 && strcmp(argv[1], "report") == 0)
		return report(argc - 1, argv + 1);
	return serve(argc, argv);
}
