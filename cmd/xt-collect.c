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
		xt_die(XT_EXIT_USAGE, "%s: %s", path, strerror(errno));
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
		ret = reply(c, MHD_HTTP_BAD_REQUEST, "%s", b->err);
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
	struct buf b;
	int fd;

	buf_init(&b, FILE_MAX);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		xt_die(XT_EXIT_USAGE, "%s: %s", path, strerror(errno));
	if (xt_read_all(fd, &b) != 0)
		xt_die(XT_EXIT_USAGE, "%s: %s", path, errno == EFBIG ?
		    "over 1 MiB" : strerror(errno));
	close(fd);
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

int
main(int argc, char *argv[])
{
	xt_init("xt-collect");
	return serve(argc, argv);
}
