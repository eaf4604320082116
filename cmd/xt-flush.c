/* xt-flush: spool events, return at once; a detached sender delivers them. */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/consent.h"
#include "lib/env.h"
#include "lib/format.h"
#include "lib/hash.h"
#include "lib/ident.h"
#include "lib/json.h"
#include "lib/payload.h"
#include "lib/project.h"
#include "lib/rand.h"
#include "lib/spool.h"
#include "lib/store.h"
#include "lib/util.h"

#define SENDER_CAP_S	30	/* the sender's whole life, children included */
#define SENDER_RESERVE_S 8	/* no batch is started later than this before
				 * the cap: xt-post's 5 s, its retry, a start */
#define CHILD_OUT_MAX	(64 * 1024)	/* bytes of xt-id's or xt-meta's line */
#define BINDIR_MAX	4096

static const char *const synopsis[] = { "xt-flush [-n]", NULL };

/* Where xt-id, xt-meta and xt-post are: beside this program. */
static char bindir[BINDIR_MAX];
/* The child running now, killed when the sender's time is up. */
static volatile pid_t running;

enum outcome { BATCH_DONE, BATCH_STOP };
#define RUN_OUT_OF_TIME 2

static void detach(const struct store *st);

/* path made absolute (against the current directory) into bindir. */
static int
absolute(const char *path)
{
	char cwd[BINDIR_MAX];
	int n;

	if (path[0] == '/')
		n = snprintf(bindir, sizeof bindir, "%s", path);
	else if (getcwd(cwd, sizeof cwd) == NULL)
		return -1;
	else
		n = snprintf(bindir, sizeof bindir, "%s/%s", cwd, path);
	return n < 0 || (size_t)n >= sizeof bindir ? -1 : 0;
}

/*
 * The directory of this executable: /proc/self/exe where there is one
 * (Linux), else argv[0] made absolute when it holds a '/', else the
 * first PATH entry holding an executable argv[0], as the shell found
 * it.  0 or -1.
 */
static int
find_bindir(const char *argv0)
{
	char path[BINDIR_MAX], *slash;
	const char *p, *end;
	ssize_t n;
	size_t len;
	int found = 0;

	n = readlink("/proc/self/exe", bindir, sizeof bindir - 1);
	if (n > 0) {
		bindir[n] = '\0';
	} else if (strchr(argv0, '/') != NULL) {
		if (absolute(argv0) != 0)
			return -1;
	} else {
		for (p = getenv("PATH"); !found && p != NULL && *p != '\0';
		    p = end + (*end != '\0')) {
			end = strchr(p, ':');
			if (end == NULL)
				end = p + strlen(p);
			len = (size_t)(end - p);
			if (len == 0 || len + strlen(argv0) + 2 > sizeof path)
				continue;
			memcpy(path, p, len);
			snprintf(path + len, sizeof path - len, "/%s", argv0);
			found = access(path, X_OK) == 0 && absolute(path) == 0;
		}
		if (!found)
			return -1;
	}
	if ((slash = strrchr(bindir, '/')) == NULL)
		return -1;
	slash[slash == bindir] = '\0';
	return 0;
}

/* Debug mode: the whole payload on stderr, however long. */
static void
debug_payload(const char *what, const struct buf *body)
{
	struct buf line;

	if (!xt_debugging())
		return;
	buf_init(&line, body->len + 128);
	buf_printf(&line, "%s: debug: %s: ", xt_progname, what);
	buf_add(&line, body->data, body->len);
	buf_addc(&line, '\n');
	(void)xt_write_all(STDERR_FILENO, line.data, line.len);
	buf_free(&line);
}

static void
on_alarm(int sig)
{
	static const char msg[] = "xt-flush: debug: the sender's 30 s are up: "
	    "its child is killed, the batch is kept\n";
	pid_t pid = running;

	(void)sig;
	if (pid > 0)
		kill(pid, SIGKILL);
	if (xt_debugging())
		(void)write(STDERR_FILENO, msg, sizeof msg - 1);
	_exit(XT_EXIT_TEMPFAIL);
}

static void
cloexec(int fd)
{
	(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
}

/*
 * Run our program name (from bindir) with no shell: stdin from in (or
 * /dev/null), stdout into out (or /dev/null), stderr ours.  Returns its
 * exit status, or -1 if it could not be run or died by a signal.
 */
static int
run_child(const char *name, const struct buf *in, struct buf *out)
{
	char path[BINDIR_MAX + 32];
	char *argv[2];
	int inp[2] = { -1, -1 }, outp[2] = { -1, -1 }, status, devnull;
	sigset_t alrm, old;
	pid_t pid;

	if (snprintf(path, sizeof path, "%s/%s", bindir, name) >= (int)sizeof path)
		return -1;
	if ((in != NULL && pipe(inp) != 0) || (out != NULL && pipe(outp) != 0)) {
		xt_debug("pipe: %s", strerror(errno));
		if (inp[0] >= 0) {
			close(inp[0]);
			close(inp[1]);
		}
		return -1;
	}
	if (in != NULL) {
		cloexec(inp[0]);
		cloexec(inp[1]);
	}
	if (out != NULL) {
		cloexec(outp[0]);
		cloexec(outp[1]);
	}
	/* No alarm between the fork and knowing whom to kill. */
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	sigprocmask(SIG_BLOCK, &alrm, &old);
	pid = fork();
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		devnull = open("/dev/null", O_RDWR);
		if (dup2(in != NULL ? inp[0] : devnull, STDIN_FILENO) < 0 ||
		    dup2(out != NULL ? outp[1] : devnull, STDOUT_FILENO) < 0)
			_exit(127);
		if (devnull > STDERR_FILENO)
			close(devnull);
		argv[0] = path;
		argv[1] = NULL;
		execv(path, argv);
		_exit(127);
	}
	running = pid > 0 ? pid : 0;
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (in != NULL)
		close(inp[0]);
	if (out != NULL)
		close(outp[1]);
	if (pid < 0) {
		xt_debug("fork: %s", strerror(errno));
		if (in != NULL)
			close(inp[1]);
		if (out != NULL)
			close(outp[0]);
		return -1;
	}
	if (in != NULL) {
		(void)xt_write_all(inp[1], in->data, in->len);
		close(inp[1]);
	}
	if (out != NULL) {
		buf_reset(out);
		if (buf_read_fd(out, outp[0]) != 0)
			buf_reset(out);
		close(outp[0]);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	running = 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) != 127)
		return WEXITSTATUS(status);
	xt_debug("%s: %s", path, WIFEXITED(status) ? "could not be run" :
	    "killed by a signal");
	return -1;
}

/*
 * The payload of a batch: xt-id's line, xt-meta's, then the batch, whose
 * last line makes the batch id the sessionId.  body gets the payload,
 * which xt-post reads; with another format, sent gets the batch as
 * xt-post will send it (rows), for -n and sent.jsonl to show what left.
 * 0, or -1 with err.
 */
static int
compose(const struct buf *id, const struct buf *meta, const struct buf *batch,
    enum format fmt, struct buf *body, struct buf *sent, char *err,
    size_t errlen)
{
	static struct payload p;
	int r = -1;

	payload_init(&p);
	buf_reset(body);
	buf_reset(sent);
	if (payload_add_lines(&p, id->data, id->len) != 0 ||
	    payload_add_lines(&p, meta->data, meta->len) != 0 ||
	    payload_add_lines(&p, batch->data, batch->len) != 0 ||
	    payload_render(&p, body) != 0 ||
	    (fmt != FORMAT_PAYLOAD && format_render(&p, fmt, sent) != 0))
		snprintf(err, errlen, "%s", p.why);
	else
		r = 0;
	payload_free(&p);
	return r;
}

/* The sender's state for one run. */
struct sender {
	struct spool sp;
	int endpoint;		/* one is configured */
	struct buf id, meta;	/* xt-id's and xt-meta's lines, once a run */
	int have_idmeta;
	enum format fmt;	/* what xt-post sends: sent.jsonl logs it */
	struct buf batch, body, rows;
	char (*tried)[SPOOL_ID_LEN + 1];
	size_t ntried, captried;
	struct timespec t0;
};

static int
tried(const struct sender *s, const char *id)
{
	size_t i;

	for (i = 0; i < s->ntried; i++)
		if (strcmp(s->tried[i], id) == 0)
			return 1;
	return 0;
}

static int
mark_tried(struct sender *s, const char *id)
{
	char (*more)[SPOOL_ID_LEN + 1];

	if (s->ntried == s->captried) {
		s->captried = s->captried ? 2 * s->captried : 64;
		more = realloc(s->tried, s->captried * sizeof *more);
		if (more == NULL)
			return -1;
		s->tried = more;
	}
	memcpy(s->tried[s->ntried++], id, SPOOL_ID_LEN + 1);
	return 0;
}

static long
elapsed_s(const struct sender *s)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)(t.tv_sec - s->t0.tv_sec);
}

static void
last(struct sender *s, const char *id, const char *result)
{
	if (spool_set_last(&s->sp, id, result) != 0)
		xt_debug("cannot record the result: %s", s->sp.why);
}

/* Deliver one batch.  BATCH_STOP: the endpoint is failing; stop here. */
static enum outcome
deliver(struct sender *s, const char *id)
{
	const struct buf *sent;
	char err[256], result[96];
	int rc;

	if (spool_read(&s->sp, id, &s->batch) != 0) {
		xt_debug("batch %s: not read, left as it is: %s", id, s->sp.why);
		return BATCH_DONE;
	}
	if (!s->have_idmeta) {
		if ((rc = run_child("xt-id", NULL, &s->id)) != 0 ||
		    s->id.len == 0) {
			xt_debug("xt-id: exit %d%s: the batches wait", rc,
			    rc == 0 ? " and no identity" : "");
			return BATCH_STOP;
		}
		if ((rc = run_child("xt-meta", NULL, &s->meta)) != 0) {
			xt_debug("xt-meta: exit %d: the batches wait", rc);
			return BATCH_STOP;
		}
		s->have_idmeta = 1;
	}
	if (compose(&s->id, &s->meta, &s->batch, s->fmt, &s->body, &s->rows,
	    err, sizeof err) != 0) {
		xt_debug("batch %s: %s: rejected", id, err);
		if (spool_reject(&s->sp, id) != 0)
			xt_debug("%s", s->sp.why);
		last(s, id, "rejected: not a payload");
		return BATCH_DONE;
	}
	sent = s->fmt == FORMAT_PAYLOAD ? &s->body : &s->rows;
	debug_payload(s->fmt == FORMAT_PAYLOAD ? "payload" : "rows", sent);
	rc = run_child("xt-post", &s->body, NULL);
	switch (rc) {
	case XT_EXIT_OK:
		xt_debug("batch %s: delivered: removed, logged in sent.jsonl", id);
		if (spool_log_sent(&s->sp, sent->data, sent->len) != 0)
			xt_debug("not logged: %s", s->sp.why);
		if (spool_remove(&s->sp, id) != 0)
			xt_debug("%s", s->sp.why);
		last(s, id, "delivered");
		return BATCH_DONE;
	case XT_EXIT_FAIL:
	case XT_EXIT_USAGE:
		xt_debug("batch %s: xt-post exit %d: refused for good: moved to "
		    "rejected/", id, rc);
		if (spool_reject(&s->sp, id) != 0)
			xt_debug("%s", s->sp.why);
		snprintf(result, sizeof result, "rejected (xt-post exit %d)", rc);
		last(s, id, result);
		return BATCH_DONE;
	default:
		xt_debug("batch %s: xt-post exit %d: kept for the next sender; "
		    "the rest wait too", id, rc);
		snprintf(result, sizeof result, "kept: temporary failure "
		    "(xt-post exit %d)", rc);
		last(s, id, result);
		return BATCH_STOP;
	}
}

/*
 * Under the lock: every batch not tried yet in this run, oldest first,
 * scanning again until a scan brings nothing new.  0: all tried; 1:
 * stop the run (the endpoint is failing); RUN_OUT_OF_TIME: batches
 * wait that there was no time for, the endpoint working.
 */
static int
send_all(struct sender *s)
{
	struct spool_list l;
	size_t i;
	int fresh, stop = 0, kept = 0;

	do {
		if (spool_scan(&s->sp, 1, time(NULL), &l) != 0) {
			xt_debug("%s", s->sp.why);
			return 1;
		}
		xt_debug("%zu batch%s waiting (%lld bytes)", l.n,
		    l.n == 1 ? "" : "es", l.bytes);
		for (fresh = 0, i = 0; i < l.n && !stop; i++) {
			const char *id = l.b[i].id;

			if (tried(s, id))
				continue;
			if (mark_tried(s, id) != 0) {
				stop = 1;
				break;
			}
			fresh = 1;
			if (!s->endpoint) {
				xt_debug("batch %s: kept: no endpoint (%s or %s "
				    "in the config)", id, ENV_ENDPOINT,
				    STORE_KEY_ENDPOINT);
				if (!kept++)
					last(s, id, "kept: no endpoint configured");
				continue;
			}
			if (elapsed_s(s) > SENDER_CAP_S - SENDER_RESERVE_S) {
				xt_debug("out of time for the rest");
				stop = RUN_OUT_OF_TIME;
				break;
			}
			if (deliver(s, id) == BATCH_STOP)
				stop = 1;
		}
		spool_list_free(&l);
	} while (fresh && !stop);
	return stop;
}

/* Is a batch waiting that this run has not tried?  (Without the lock.) */
static int
untried_waiting(struct sender *s)
{
	struct spool_list l;
	size_t i;
	int found = 0;

	if (spool_scan(&s->sp, 0, 0, &l) != 0)
		return 0;
	for (i = 0; i < l.n && !found; i++)
		found = !tried(s, l.b[i].id);
	spool_list_free(&l);
	return found;
}

/*
 * The sender: deliver what the spool holds, one batch at a time, within
 * SENDER_CAP_S.  Only one runs per spool: the lock is taken without
 * waiting, and a sender that finds it held leaves.  The holder scans
 * again after letting go, so a batch whose sender left is not stranded.
 */
static void
sender(const struct store *st)
{
	static struct sender s;
	struct sigaction sa;
	char url[2048];
	int r;

	memset(&s, 0, sizeof s);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	alarm(SENDER_CAP_S);
	clock_gettime(CLOCK_MONOTONIC, &s.t0);
	if (spool_open(&s.sp, st, 0) != 0) {
		xt_debug("sender: %s", s.sp.why);
		return;
	}
	s.endpoint = env_get(ENV_ENDPOINT) != NULL ||
	    store_get_string(st, STORE_KEY_ENDPOINT, url, sizeof url);
	/* The caller checked it; a config changed since then makes xt-post
	 * refuse the batches, and the log shows the payload. */
	if ((r = format_choose(NULL, st, url, sizeof url)) < 0) {
		xt_debug("%s", url);
		r = FORMAT_PAYLOAD;
	}
	s.fmt = (enum format)r;
	buf_init(&s.id, CHILD_OUT_MAX);
	buf_init(&s.meta, CHILD_OUT_MAX);
	buf_init(&s.batch, SPOOL_BATCH_MAX);
	buf_init(&s.body, PAYLOAD_MAX);
	buf_init(&s.rows, format_max(s.fmt));
	for (;;) {
		if ((r = spool_lock(&s.sp)) == 0) {
			xt_debug("another sender holds the spool's lock: it "
			    "delivers what is waiting");
			break;
		}
		if (r < 0) {
			xt_debug("%s", s.sp.why);
			break;
		}
		r = send_all(&s);
		spool_unlock(&s.sp);
		/* A flush whose sender found the lock held has left its
		 * batch for us: look once more, now that it is free. */
		if (r != 0 || !untried_waiting(&s))
			break;
		xt_debug("a batch arrived while the lock was held: again");
	}
	alarm(0);
	buf_free(&s.id);
	buf_free(&s.meta);
	buf_free(&s.batch);
	buf_free(&s.body);
	buf_free(&s.rows);
	free(s.tried);
	spool_close(&s.sp);
	/*
	 * Out of time with the endpoint working: a backlog (after an outage,
	 * say) is not left for some later flush.  A successor, detached as
	 * this one is, takes over now that the lock is free; each sender
	 * still ends within the cap, and each delivers at least one batch
	 * or stops the chain.
	 */
	if (r == RUN_OUT_OF_TIME) {
		if (xt_debugging())
			xt_debug("out of time: the rest wait for the next sender");
		else
			detach(st);
	}
}

/* Close every descriptor from low up (those /proc/self/fd lists, or all
 * up to a bound where there is no /proc). */
static void
close_from(int low)
{
	int fds[256], n, i, fd;
	struct dirent *e;
	long max;
	DIR *d;

	do {
		if ((d = opendir("/proc/self/fd")) == NULL) {
			max = sysconf(_SC_OPEN_MAX);
			if (max < 0 || max > 65536)
				max = 65536;
			for (fd = low; fd < max; fd++)
				close(fd);
			return;
		}
		n = 0;
		while ((e = readdir(d)) != NULL && n < (int)(sizeof fds / sizeof fds[0]))
			if ((fd = atoi(e->d_name)) >= low && fd != dirfd(d) &&
			    e->d_name[0] != '.')
				fds[n++] = fd;
		closedir(d);
		for (i = 0; i < n; i++)
			close(fds[i]);
	} while (n == (int)(sizeof fds / sizeof fds[0]));
}

/*
 * Start the sender, detached: fork; the child leaves the caller's
 * session (setsid), puts its standard streams on /dev/null, closes
 * every other descriptor, forks the sender and exits.  We return once
 * that child has exited, so the sender already exists in its own
 * session: killing the caller's process group from then on never
 * reaches it, and it holds none of the caller's pipes.
 */
static void
detach(const struct store *st)
{
	int status, fd;
	pid_t pid;

	if ((pid = fork()) < 0) {
		xt_debug("fork: %s: the batch waits for the next flush",
		    strerror(errno));
		return;
	}
	if (pid == 0) {
		if (setsid() < 0 || (fd = open("/dev/null", O_RDWR)) < 0)
			_exit(1);
		if (dup2(fd, STDIN_FILENO) < 0 || dup2(fd, STDOUT_FILENO) < 0 ||
		    dup2(fd, STDERR_FILENO) < 0)
			_exit(1);
		close_from(STDERR_FILENO + 1);
		if (chdir("/") != 0)
			_exit(1);
		umask(077);
		if ((pid = fork()) == 0) {
			sender(st);
			_exit(0);
		}
		_exit(pid < 0);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
}

/* The identity for -n, read and never created: a throwaway one if
 * there is none yet (the first real flush makes the real one). */
static void
preview_ident(const struct store *st, struct ident *id)
{
	if (store_get_string(st, STORE_KEY_ID, id->id, sizeof id->id) &&
	    store_get_string(st, STORE_KEY_SALT, id->salt, sizeof id->salt))
		return;
	xt_debug("no identity yet: the preview uses a throwaway one");
	if (rand_hex(id->id, 32) != 0 || rand_hex(id->salt, 16) != 0)
		xt_die(XT_EXIT_FAIL, "%s", RAND_FAILED);
}

/* -n: what the sender would send, built here; nothing written. */
static void
preview(const struct ident *ident, const char *batch_id, const char *hash,
    const struct buf *in, enum format fmt)
{
	struct buf id, meta, batch, body, rows;
	char err[256], session[2 * 32 + 1];
	int rc;

	buf_init(&id, CHILD_OUT_MAX);
	buf_init(&meta, CHILD_OUT_MAX);
	buf_init(&batch, SPOOL_BATCH_MAX);
	buf_init(&body, PAYLOAD_MAX);
	buf_init(&rows, format_max(fmt));
	/* xt-id's line, as xt-id would print it (it would make the
	 * identity: -n must not). */
	if (rand_hex(session, 32) != 0)
		xt_die(XT_EXIT_FAIL, "%s", RAND_FAILED);
	buf_adds(&id, "{\"context\":{\"anonymousId\":");
	json_encode_string(&id, ident->id, strlen(ident->id));
	buf_adds(&id, ",\"sessionId\":");
	json_encode_string(&id, session, strlen(session));
	buf_adds(&id, "}}\n");
	if ((rc = run_child("xt-meta", NULL, &meta)) != 0)
		xt_die(XT_EXIT_FAIL, "%s/xt-meta: exit %d", bindir, rc);
	spool_format(&batch, batch_id, hash, in->data, in->len);
	if (compose(&id, &meta, &batch, fmt, &body, &rows, err,
	    sizeof err) != 0)
		xt_die(XT_EXIT_USAGE, "%s", err);
	xt_put_line(fmt == FORMAT_PAYLOAD ? &body : &rows);
	buf_free(&id);
	buf_free(&meta);
	buf_free(&batch);
	buf_free(&body);
	buf_free(&rows);
}

/* Is there nothing but white space? */
static int
blank(const struct buf *b)
{
	size_t i;

	for (i = 0; i < b->len; i++)
		if (b->data[i] == '\0' || strchr(" \t\r\n", b->data[i]) == NULL)
			return 0;
	return 1;
}

int
main(int argc, char *argv[])
{
	static struct payload p;
	char hash[HASH_HEX_LEN + 1], batch_id[SPOOL_ID_LEN + 1];
	struct store st;
	struct spool sp;
	struct ident id;
	struct buf in, project;
	char why[STORE_PATH_MAX + 64];
	int c, fmt, nflag = 0;

	xt_init("xt-flush");
	while ((c = getopt(argc, argv, "hnV")) != -1) {
		switch (c) {
		case 'h': xt_help(synopsis);
		case 'n': nflag = 1; break;
		case 'V': xt_version();
		default: xt_usage(synopsis);
		}
	}
	if (optind != argc)
		xt_usage(synopsis);

	store_open(&st);
	consent_or_exit(&st, SPOOL_INPUT_MAX);

	buf_init(&in, SPOOL_INPUT_MAX);
	if (buf_read_fd(&in, STDIN_FILENO) != 0)
		xt_die(XT_EXIT_USAGE, "stdin: %s; nothing spooled",
		    buf_read_error(&in, why, sizeof why));
	/* The format xt-post will send, checked as it checks it. */
	if ((fmt = format_choose(NULL, &st, why, sizeof why)) < 0)
		xt_die(XT_EXIT_USAGE, "%s; nothing spooled", why);
	if (blank(&in)) {
		xt_debug("no events on stdin: nothing to do");
		xt_exit(XT_EXIT_OK);
	}
	payload_init(&p);
	if (payload_add_lines(&p, in.data, in.len) != 0)
		xt_die(XT_EXIT_USAGE, "%s; nothing spooled", p.why);
	if (p.nevents == 0)
		xt_die(XT_EXIT_USAGE, "no events in the input; nothing spooled");
	payload_free(&p);
	if (find_bindir(argv[0]) != 0)
		xt_debug("cannot find this program's directory: the sender "
		    "will keep the batch");

	if (nflag)
		preview_ident(&st, &id);
	else {
		if (consent_notice(&st) < 0)
			xt_debug("the notice cannot be recorded, so it is not "
			    "shown: %s", st.why);
		ident_or_exit(&st, &id, "batch");
	}
	/* The caller's project, hashed here: the sender runs in "/". */
	buf_init(&project, JSON_MAX_TEXT);
	if (project_id(&project) < 0)
		xt_die(XT_EXIT_FAIL, "no project id: the current directory is "
		    "unknown: %s", strerror(errno));
	hash_salted(hash, id.salt, strlen(id.salt), project.data, project.len);
	xt_wipe(id.salt, sizeof id.salt);
	buf_free(&project);
	if (spool_new_id(batch_id) != 0)
		xt_die(XT_EXIT_FAIL, "%s", RAND_FAILED);

	if (nflag) {
		preview(&id, batch_id, hash, &in, (enum format)fmt);
		ident_wipe(&id);
		xt_exit(XT_EXIT_OK);
	}
	ident_wipe(&id);

	if (spool_open(&sp, &st, 1) != 0) {
		xt_debug("cannot spool, so nothing is sent: %s", sp.why);
		xt_exit(XT_EXIT_OK);
	}
	if (spool_put(&sp, batch_id, hash, in.data, in.len) != 0) {
		xt_debug("cannot spool, so nothing is sent: %s", sp.why);
		xt_exit(XT_EXIT_OK);
	}
	xt_debug("batch %s spooled in %s", batch_id, sp.dir);
	spool_close(&sp);
	buf_free(&in);
	fflush(stdout);
	if (xt_debugging()) {
		xt_debug("debug mode: the sender runs here, in the foreground");
		sender(&st);
	} else
		detach(&st);
	store_close(&st);
	xt_exit(XT_EXIT_OK);
}
