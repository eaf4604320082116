/*
 * sysinfo: see sysinfo.h.  This file holds what every system shares
 * (files under $XT_SYSROOT, Node's platform and arch names, the
 * fallbacks); what differs lives in sysinfo-linux.c, sysinfo-bsd.c
 * (the BSDs and macOS) and sysinfo-other.c, behind sysinfo-os.h.
 *
 * sysinfo: see sysinfo.h.
 *
 * Sources, and the Node / npm code each one follows:
 *   platform, arch	process.platform, process.arch: predefined macros
 *   release		os.release(): uname(2)
 *   cpu_*		os.cpus() of libuv 1.45 and later (what current Node
 *			20, 22 and 24 bundle; the Node 20.20.2 of xmcp's
 *			conformance payload has 1.46): src/unix/linux.c,
 *			darwin.c, freebsd.c, openbsd.c, netbsd.c
 *   memory_total	os.totalmem() in MiB, rounded to the nearest (the
 *			issue's round(bytes / 2^20); older xmcp truncated)
 *   is_docker		is-docker 4.0.0
 *   is_wsl		is-wsl 3.1.0 with is-inside-container 1.0.0
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "env.h"
#include "sysinfo-os.h"
#include "utf8.h"

#define CHUNK		4096

/* ---- strings ---- */

/*
 * Copy src[0..n) into dst[size] as a field: leading and trailing white
 * space dropped; bytes that are not valid UTF-8, and control
 * characters, become '?' (so any JSON writer or terminal takes it);
 * cut at a character boundary to fit; always NUL-terminated.
 */
void
sysinfo_field(char *dst, size_t size, const char *src, size_t n)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t i = 0, o = 0, len;

	while (n > 0 && (s[n - 1] == ' ' || (s[n - 1] >= '\t' &&
	    s[n - 1] <= '\r')))
		n--;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (i < n) {
		unsigned char c = s[i];

		len = utf8_char(src + i, n - i);
		if (len == 0 || (len == 1 && (c < 0x20 || c == 0x7f))) {
			if (o + 1 >= size)
				break;
			dst[o++] = '?';
			i += len == 0 ? 1 : len;
			continue;
		}
		if (o + len >= size)
			break;
		memcpy(dst + o, s + i, len);
		o += len;
		i += len;
	}
	while (o > 0 && dst[o - 1] == ' ')	/* a cut can end in a space */
		o--;
	dst[o] = '\0';
}

static unsigned char
lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* Whether needle (NUL-terminated, lower case if fold) is in hay[0..n). */
int
sysinfo_in(const char *hay, size_t n, const char *needle, int fold)
{
	size_t m = strlen(needle), i, k;

	for (i = 0; m <= n && i <= n - m; i++) {
		for (k = 0; k < m; k++) {
			unsigned char h = (unsigned char)hay[i + k];
			if ((fold ? lower(h) : h) != (unsigned char)needle[k])
				break;
		}
		if (k == m)
			return 1;
	}
	return 0;
}

/* ---- files under $XT_SYSROOT ---- */

/* "<root><path>" into buf; -1 if it does not fit (then nothing is read). */
static int
sys_path(char *buf, size_t size, const char *path)
{
	const char *root = env_get(ENV_SYSROOT);
	int n;

	n = snprintf(buf, size, "%s%s", root != NULL ? root : "", path);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

int
sysinfo_exists(const char *path)
{
	char p[PATH_CAP];
	struct stat st;

	return sys_path(p, sizeof p, path) == 0 && stat(p, &st) == 0;
}

/*
 * Open a regular file for reading (buf.h: a FIFO planted at the path
 * cannot hang us, and a device cannot feed us forever; /proc and /sys
 * files are regular).
 */
static int
sys_open(const char *path)
{
	char p[PATH_CAP];

	if (sys_path(p, sizeof p, path) != 0)
		return -1;
	return buf_open_file(p, 0, NULL);
}

/* Read the head of the file that fits into buf[size - 1], NUL-terminate
 * it.  The byte count, or -1 if the file cannot be read. */
long
sysinfo_head(const char *path, char *buf, size_t size)
{
	char p[PATH_CAP];
	struct buf b;
	long n = -1;

	if (sys_path(p, sizeof p, path) != 0)
		return -1;
	buf_init(&b, size - 1);
	if (buf_read_file(&b, p, BUF_HEAD, NULL) == 0) {
		memcpy(buf, b.data, b.len + 1);
		n = (long)b.len;
	}
	buf_free(&b);
	return n;
}

/*
 * Whether the file contains needle anywhere (case-insensitively if
 * fold; needle then in lower case), read in chunks that overlap by
 * strlen(needle) - 1 bytes so no match is lost at a seam.
 */
int
sysinfo_has(const char *path, const char *needle, int fold)
{
	char buf[CHUNK];
	size_t keep = strlen(needle) - 1, have = 0;
	long total = 0;
	ssize_t r;
	int fd, found = 0;

	if ((fd = sys_open(path)) < 0)
		return 0;
	while (!found && total < SCAN_MAX) {
		r = read(fd, buf + have, sizeof buf - have);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		total += r;
		have += (size_t)r;
		found = sysinfo_in(buf, have, needle, fold);
		if (have > keep) {
			memmove(buf, buf + have - keep, keep);
			have = keep;
		}
	}
	close(fd);
	return found;
}

/* ---- platform and arch: Node's names, fixed when xt is built ---- */

static const char *
node_platform(void)
{
#if defined(__ANDROID__)
	return "android";	/* before __linux__, which Android also has */
#elif defined(__linux__)
	return "linux";
#elif defined(__APPLE__)
	return "darwin";
#elif defined(__FreeBSD__)
	return "freebsd";
#elif defined(__OpenBSD__)
	return "openbsd";
#elif defined(__NetBSD__)
	return "netbsd";
#elif defined(__sun)
	return "sunos";
#elif defined(_AIX)
	return "aix";
#elif defined(__CYGWIN__)
	return "cygwin";
#elif defined(__HAIKU__)
	return "haiku";
#elif defined(__MVS__)
	return "os390";
#else
	return NULL;		/* uname's sysname, lower-cased */
#endif
}

static const char *
node_arch(void)
{
#if defined(__x86_64__) || defined(__amd64__)
	return "x64";
#elif defined(__i386__)
	return "ia32";
#elif defined(__aarch64__)
	return "arm64";
#elif defined(__arm__)
	return "arm";
#elif defined(__powerpc64__)
	return "ppc64";		/* little- and big-endian alike, as Node */
#elif defined(__powerpc__)
	return "ppc";
#elif defined(__s390x__)
	return "s390x";
#elif defined(__s390__)
	return "s390";
#elif defined(__riscv) && __riscv_xlen == 64
	return "riscv64";
#elif defined(__loongarch64)
	return "loong64";
#elif defined(__mips64) && defined(__MIPSEL__)
	return "mips64el";
#elif defined(__mips__) && defined(__MIPSEL__)
	return "mipsel";
#elif defined(__mips__)
	return "mips";
#else
	return NULL;		/* uname's machine, see arch_from_machine */
#endif
}

/* For a compiler none of the macros above knows: uname's machine in
 * Node's words where they differ, else as it is. */
static void
arch_from_machine(char *dst, size_t size, const char *m)
{
	static const struct { const char *machine, *node; } map[] = {
		{ "x86_64", "x64" }, { "amd64", "x64" }, { "i386", "ia32" },
		{ "i486", "ia32" }, { "i586", "ia32" }, { "i686", "ia32" },
		{ "aarch64", "arm64" }, { "arm64", "arm64" },
		{ "ppc64le", "ppc64" }, { "loongarch64", "loong64" },
	};
	size_t i;

	for (i = 0; i < NELEM(map); i++)
		if (strcmp(m, map[i].machine) == 0) {
			m = map[i].node;
			break;
		}
	if (strncmp(m, "arm", 3) == 0 && strcmp(m, "arm64") != 0)
		m = "arm";
	sysinfo_field(dst, size, m, strlen(m));
}

/* ---- everywhere ---- */

/* sysconf's view, for systems without a better source.  -1 if none. */
static long long
sysconf_memory(void)
{
#if defined(_SC_PHYS_PAGES) && defined(_SC_PAGESIZE)
	long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);

	if (pages > 0 && size > 0 &&
	    (unsigned long long)pages <= ULLONG_MAX / (unsigned long long)size)
		return (long long)(((unsigned long long)pages *
		    (unsigned long long)size + (1ULL << 19)) >> 20);
#endif
	return -1;
}

/*
 * Online CPUs.  _SC_NPROCESSORS_ONLN is not POSIX, but glibc, musl,
 * the BSDs and macOS have it.  It counts what os.cpus() counts on
 * Linux (the cpuN lines of /proc/stat): CPUs online, not the share a
 * cgroup or affinity mask allows.
 */
static long
cpu_cores(void)
{
#ifdef _SC_NPROCESSORS_ONLN
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n >= 1)
		return n;
#endif
	return 1;
}

int
sysinfo_is_docker(void)
{
	/* is-docker 4.0.0 looks on every platform; so do we. */
	return sysinfo_exists("/.dockerenv") ||
	    sysinfo_has("/proc/self/cgroup", "docker", 0) ||
	    sysinfo_has("/proc/self/mountinfo", "/docker/containers/", 0);
}

void
sysinfo_read(struct sysinfo *si)
{
	struct utsname u;
	const char *p;
	int have_uname;
	size_t i;

	memset(si, 0, sizeof *si);
	have_uname = uname(&u) >= 0;

	if ((p = node_platform()) != NULL)
		sysinfo_field(si->platform, sizeof si->platform, p, strlen(p));
	else if (have_uname) {
		sysinfo_field(si->platform, sizeof si->platform, u.sysname,
		    strlen(u.sysname));
		for (i = 0; si->platform[i] != '\0'; i++)
			si->platform[i] = (char)lower(
			    (unsigned char)si->platform[i]);
	}
	if ((p = node_arch()) != NULL)
		sysinfo_field(si->arch, sizeof si->arch, p, strlen(p));
	else if (have_uname)
		arch_from_machine(si->arch, sizeof si->arch, u.machine);

	si->memory_total = -1;
	sysinfo_os(si);
	if (si->release[0] == '\0' && have_uname)
		sysinfo_field(si->release, sizeof si->release, u.release,
		    strlen(u.release));

	si->cpu_cores = cpu_cores();
	/* What libuv also falls back to on Linux (sysinfo(2) there). */
	if (si->memory_total < 0)
		si->memory_total = sysconf_memory();
	if (si->memory_total < 0)
		si->memory_total = 0;

	si->is_docker = sysinfo_is_docker();
	if (strcmp(si->platform, "linux") == 0)
		si->is_wsl = sysinfo_os_is_wsl(si);
}
