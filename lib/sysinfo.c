/*
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

/*
 * sysctl(3) is not POSIX, and the strict _POSIX_C_SOURCE the Makefile
 * sets hides it and the BSD types its header needs.  Lift that for this
 * file only, and only where sysctl is used: Linux keeps the strict
 * namespace.  Without _POSIX_C_SOURCE each of these systems shows its
 * whole namespace; the system's own macro says so explicitly too.
 */
#if defined(__APPLE__) || defined(__FreeBSD__) || defined(__DragonFly__) || \
    defined(__NetBSD__) || defined(__OpenBSD__)
#undef _POSIX_C_SOURCE
#if defined(__APPLE__)
#define _DARWIN_C_SOURCE
#elif defined(__NetBSD__)
#define _NETBSD_SOURCE
#elif defined(__OpenBSD__)
#define _BSD_SOURCE
#endif
#define XT_SYSCTL 1
#endif

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#ifdef XT_SYSCTL
#include <sys/sysctl.h>
#endif

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "env.h"
#include "sysinfo.h"
#include "utf8.h"

#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Bounds on what is read.  A whole file is read only to look for a
 * word in it (mountinfo can be long in a busy container), and then in
 * chunks; parsed files are read up to a small head, which holds all
 * their interesting lines on any real machine.
 */
#define SCAN_MAX	(8L << 20)	/* bytes searched in one file */
#define CHUNK		4096
#define PATH_CAP	4096		/* "$XT_SYSROOT/proc/..." */
#define HEAD		16384		/* cpuinfo: the first CPU's lines */

/* ---- strings ---- */

/*
 * Copy src[0..n) into dst[size] as a field: leading and trailing white
 * space dropped; bytes that are not valid UTF-8, and control
 * characters, become '?' (so any JSON writer or terminal takes it);
 * cut at a character boundary to fit; always NUL-terminated.
 */
static void
set_field(char *dst, size_t size, const char *src, size_t n)
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
static int
has(const char *hay, size_t n, const char *needle, int fold)
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

static int
sys_exists(const char *path)
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

#ifdef __linux__	/* only Linux parses files */
/* Read the head of the file that fits into buf[size - 1], NUL-terminate
 * it.  The byte count, or -1 if the file cannot be read. */
static long
sys_read(const char *path, char *buf, size_t size)
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
#endif

/*
 * Whether the file contains needle anywhere (case-insensitively if
 * fold; needle then in lower case), read in chunks that overlap by
 * strlen(needle) - 1 bytes so no match is lost at a seam.
 */
static int
sys_contains(const char *path, const char *needle, int fold)
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
		found = has(buf, have, needle, fold);
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
	set_field(dst, size, m, strlen(m));
}

/* ---- Linux ---- */

#ifdef __linux__

/* Parse a decimal number at *p, skipping blanks first.  -1 if none or
 * if it does not fit in a long long. */
static long long
parse_dec(const char *p, const char *end)
{
	long long v = 0;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p == end || *p < '0' || *p > '9')
		return -1;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		if (v > (LLONG_MAX - (*p - '0')) / 10)
			return -1;
		v = v * 10 + (*p - '0');
	}
	return v;
}

/*
 * The line of /proc/cpuinfo that names the CPU depends on the
 * architecture, and libuv picks it by the one it was built for; so do
 * we, with libuv's keys.  (With a fixture of another architecture's
 * cpuinfo, the answer is what Node on this one would say about it.)
 */
#if defined(__powerpc__)
static const char *const model_keys[] = { "cpu" };
#elif defined(__arm__)		/* "model name" since libuv 1.50 */
static const char *const model_keys[] = { "model name", "Processor" };
#elif defined(__aarch64__)
static const char *const model_keys[] = { "CPU part" };
#elif defined(__mips__)
static const char *const model_keys[] = { "cpu model" };
#elif defined(__loongarch__)
static const char *const model_keys[] = { "cpu family" };
#else
static const char *const model_keys[] = { "model name" };
#endif

#ifdef __aarch64__
/*
 * arm64 kernels give only a part number; libuv turns Arm's own parts
 * into names (the numbers are Arm's, from its technical reference
 * manuals) and anything else, including every non-Arm design, into
 * "unknown".  This is the list of libuv 1.52 (Neoverse-V2 is new there;
 * older Nodes call it "unknown").
 */
static const struct { const char *part, *name; } arm_parts[] = {
	{ "0x811", "ARM810" },		{ "0x920", "ARM920" },
	{ "0x922", "ARM922" },		{ "0x926", "ARM926" },
	{ "0x940", "ARM940" },		{ "0x946", "ARM946" },
	{ "0x966", "ARM966" },		{ "0xa20", "ARM1020" },
	{ "0xa22", "ARM1022" },		{ "0xa26", "ARM1026" },
	{ "0xb02", "ARM11 MPCore" },	{ "0xb36", "ARM1136" },
	{ "0xb56", "ARM1156" },		{ "0xb76", "ARM1176" },
	{ "0xc05", "Cortex-A5" },	{ "0xc07", "Cortex-A7" },
	{ "0xc08", "Cortex-A8" },	{ "0xc09", "Cortex-A9" },
	{ "0xc0d", "Cortex-A17" },	{ "0xc0f", "Cortex-A15" },
	{ "0xc0e", "Cortex-A17" },	{ "0xc14", "Cortex-R4" },
	{ "0xc15", "Cortex-R5" },	{ "0xc17", "Cortex-R7" },
	{ "0xc18", "Cortex-R8" },	{ "0xc20", "Cortex-M0" },
	{ "0xc21", "Cortex-M1" },	{ "0xc23", "Cortex-M3" },
	{ "0xc24", "Cortex-M4" },	{ "0xc27", "Cortex-M7" },
	{ "0xc60", "Cortex-M0+" },	{ "0xd01", "Cortex-A32" },
	{ "0xd03", "Cortex-A53" },	{ "0xd04", "Cortex-A35" },
	{ "0xd05", "Cortex-A55" },	{ "0xd06", "Cortex-A65" },
	{ "0xd07", "Cortex-A57" },	{ "0xd08", "Cortex-A72" },
	{ "0xd09", "Cortex-A73" },	{ "0xd0a", "Cortex-A75" },
	{ "0xd0b", "Cortex-A76" },	{ "0xd0c", "Neoverse-N1" },
	{ "0xd0d", "Cortex-A77" },	{ "0xd0e", "Cortex-A76AE" },
	{ "0xd13", "Cortex-R52" },	{ "0xd20", "Cortex-M23" },
	{ "0xd21", "Cortex-M33" },	{ "0xd41", "Cortex-A78" },
	{ "0xd42", "Cortex-A78AE" },	{ "0xd4a", "Neoverse-E1" },
	{ "0xd4b", "Cortex-A78C" },	{ "0xd4f", "Neoverse-V2" },
};
#endif

/*
 * libuv keeps at most 63 bytes of a model (a char[64]); so do we, so
 * a long name is cut where Node cuts it (though on a character
 * boundary, where Node may split one).
 */
#define LIBUV_MODEL_MAX 64

/*
 * The first line of cpuinfo whose key is one of model_keys, which on
 * every kernel is in the first CPU's paragraph.  libuv says "unknown"
 * when there is none, and so do we.
 */
static void
linux_cpu_model(char *dst, size_t size)
{
	char buf[HEAD];
	char *line, *end, *nl, *colon, *k;
	size_t i, cap = size < LIBUV_MODEL_MAX ? size : LIBUV_MODEL_MAX;
	long n;

	set_field(dst, size, "unknown", 7);
	if ((n = sys_read("/proc/cpuinfo", buf, sizeof buf)) <= 0)
		return;
	end = buf + n;
	for (line = buf; line < end; line = nl + 1) {
		if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			nl = end;	/* last, or cut by HEAD: still a line */
		colon = memchr(line, ':', (size_t)(nl - line));
		if (colon == NULL)
			continue;
		for (k = colon; k > line && (k[-1] == ' ' || k[-1] == '\t');)
			k--;
		for (i = 0; i < NELEM(model_keys); i++)
			if ((size_t)(k - line) == strlen(model_keys[i]) &&
			    memcmp(line, model_keys[i], (size_t)(k - line)) == 0)
				break;
		if (i == NELEM(model_keys))
			continue;
#ifdef __aarch64__
		{
			char part[16];

			set_field(part, sizeof part, colon + 1,
			    (size_t)(nl - colon - 1));
			for (i = 0; i < NELEM(arm_parts); i++)
				if (strcmp(part, arm_parts[i].part) == 0) {
					set_field(dst, cap, arm_parts[i].name,
					    strlen(arm_parts[i].name));
					break;
				}
		}
#else
		set_field(dst, cap, colon + 1, (size_t)(nl - colon - 1));
		if (dst[0] == '\0')
			set_field(dst, size, "unknown", 7);
#endif
		return;
	}
}

/*
 * libuv 1.45 and later take the speed only from cpufreq's
 * scaling_cur_freq, in kHz, and say 0 where the kernel has no cpufreq
 * driver, as in most VMs.  There /proc/cpuinfo still has a "cpu MHz"
 * line (what older libuv read), and a real speed says more than 0: so
 * that line, as an integer (its fraction dropped), comes second.  No
 * cpufreq and no such line (ARM, many containers): 0.
 */
static long
linux_cpu_speed(void)
{
	char buf[HEAD];
	char *line, *end, *nl, *colon, *k;
	long long khz, mhz;
	long n;

	n = sys_read("/sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq",
	    buf, sizeof buf);
	if (n > 0 && (khz = parse_dec(buf, buf + n)) >= 0 &&
	    khz / 1000 <= LONG_MAX)
		return (long)(khz / 1000);
	if ((n = sys_read("/proc/cpuinfo", buf, sizeof buf)) <= 0)
		return 0;
	end = buf + n;
	for (line = buf; line < end; line = nl + 1) {
		if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			nl = end;
		if ((colon = memchr(line, ':', (size_t)(nl - line))) == NULL)
			continue;
		for (k = colon; k > line && (k[-1] == ' ' || k[-1] == '\t');)
			k--;
		if (k - line != 7 || memcmp(line, "cpu MHz", 7) != 0)
			continue;
		/* parse_dec stops at the '.': the integer part */
		if ((mhz = parse_dec(colon + 1, nl)) < 0 || mhz > LONG_MAX)
			return 0;
		return (long)mhz;
	}
	return 0;
}

/*
 * MemTotal from /proc/meminfo, in MiB; -1 if it is not there.  This is
 * the kernel's total, which is what os.totalmem() reports even in a
 * container whose cgroup allows far less: the cgroup files are not
 * read.
 */
static long long
linux_memory(void)
{
	char buf[4096];		/* MemTotal is the first line */
	char *p, *end, *nl;
	long long kb;
	long n;

	if ((n = sys_read("/proc/meminfo", buf, sizeof buf)) <= 0)
		return -1;
	end = buf + n;
	for (p = buf; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if ((size_t)(nl - p) > 9 && memcmp(p, "MemTotal:", 9) == 0) {
			if ((kb = parse_dec(p + 9, nl)) < 0)
				return -1;
			/* round(kB * 1024 / 2^20) */
			return (kb + 512) / 1024;
		}
	}
	return -1;
}

/*
 * Where Linux publishes uname's release.  Reading it here (rather than
 * only calling uname) lets a test tree under $XT_SYSROOT stand for a
 * WSL kernel; on a real system the two agree.  Missing or empty: dst
 * stays empty and uname answers.
 */
static void
linux_release(char *dst, size_t size)
{
	char buf[256];
	long n;

	if ((n = sys_read("/proc/sys/kernel/osrelease", buf, sizeof buf)) > 0)
		set_field(dst, size, buf, (size_t)n);
}

/*
 * is-inside-container 1.0.0, which is-wsl asks: podman's marker, or
 * is-docker 3.0.0, an older is-docker than xmcp's own that does not
 * look at mountinfo.  So a WSL box whose only sign of Docker is in
 * mountinfo is both isDocker and isWsl in xmcp; kept.
 */
static int
inside_container(void)
{
	return sys_exists("/run/.containerenv") || sys_exists("/.dockerenv") ||
	    sys_contains("/proc/self/cgroup", "docker", 0);
}

/* is-wsl 3.1.0: on "linux" (not Android), "microsoft" in any case in
 * the release or /proc/version, and not in a container. */
static int
linux_is_wsl(const struct sysinfo *si)
{
	if (strcmp(si->platform, "linux") != 0)
		return 0;
	if (!has(si->release, strlen(si->release), "microsoft", 1) &&
	    !sys_contains("/proc/version", "microsoft", 1))
		return 0;
	return !inside_container();
}

#endif /* __linux__ */

/* ---- BSD and macOS: sysctl, as libuv ---- */

#ifdef XT_SYSCTL

/* A sysctl string's length: up to its NUL, which len counts. */
static size_t
text_len(const char *buf, size_t len)
{
	const char *nul = memchr(buf, '\0', len);

	return nul != NULL ? (size_t)(nul - buf) : len;
}

#ifndef __OpenBSD__
/* An integer of whatever width the kernel gives (int, long, 64 bits). */
static int
sysctl_uint(const char *name, uint64_t *v)
{
	union { uint32_t u32; uint64_t u64; } u;
	size_t len = sizeof u;

	memset(&u, 0, sizeof u);
	if (sysctlbyname(name, &u, &len, NULL, 0) != 0)
		return -1;
	if (len == sizeof u.u32)
		*v = u.u32;
	else if (len == sizeof u.u64)
		*v = u.u64;
	else
		return -1;
	return 0;
}

static int
sysctl_text(const char *name, char *dst, size_t size)
{
	char buf[512];
	size_t len = sizeof buf;

	if (sysctlbyname(name, buf, &len, NULL, 0) != 0 || len == 0)
		return -1;
	set_field(dst, size, buf, text_len(buf, len));
	return dst[0] != '\0' ? 0 : -1;
}
#endif

static void
bsd_cpu(struct sysinfo *si)
{
	uint64_t v = 0;

#if defined(__APPLE__)
	if (sysctl_text("machdep.cpu.brand_string", si->cpu_model,
	    sizeof si->cpu_model) != 0)
		sysctl_text("hw.model", si->cpu_model, sizeof si->cpu_model);
	/* Hz.  Apple silicon has none; Node then makes up 2400, we say 0. */
	if (sysctl_uint("hw.cpufrequency", &v) == 0)
		si->cpu_speed = (long)(v / 1000000);
#elif defined(__FreeBSD__) || defined(__DragonFly__)
#if defined(__arm__) || defined(__aarch64__)
	/* No hw.model or hw.clockrate on FreeBSD's ARM ports (libuv). */
	sysctl_text("hw.machine", si->cpu_model, sizeof si->cpu_model);
#else
	sysctl_text("hw.model", si->cpu_model, sizeof si->cpu_model);
	if (sysctl_uint("hw.clockrate", &v) == 0)	/* MHz */
		si->cpu_speed = (long)v;
#endif
#elif defined(__NetBSD__)
	if (sysctl_text("machdep.cpu_brand", si->cpu_model,
	    sizeof si->cpu_model) != 0)
		sysctl_text("hw.model", si->cpu_model, sizeof si->cpu_model);
	if (sysctl_uint("machdep.tsc_freq", &v) == 0)	/* Hz, x86 only */
		si->cpu_speed = (long)(v / 1000000);
#elif defined(__OpenBSD__)
	int mib[2] = { CTL_HW, HW_MODEL };
	char buf[512];
	size_t len = sizeof buf;
	int mhz;

	if (sysctl(mib, 2, buf, &len, NULL, 0) == 0 && len > 0)
		set_field(si->cpu_model, sizeof si->cpu_model, buf,
		    text_len(buf, len));
	mib[1] = HW_CPUSPEED;
	len = sizeof mhz;
	if (sysctl(mib, 2, &mhz, &len, NULL, 0) == 0 && mhz > 0)
		si->cpu_speed = mhz;
#endif
	(void)v;	/* not every branch needs it */
}

/* Physical memory in MiB, -1 if unknown. */
static long long
bsd_memory(void)
{
	uint64_t v = 0;

#if defined(__APPLE__)
	if (sysctl_uint("hw.memsize", &v) != 0)
		return -1;
#elif defined(__NetBSD__)
	if (sysctl_uint("hw.physmem64", &v) != 0)
		return -1;
#elif defined(__OpenBSD__)
	int mib[2] = { CTL_HW, HW_PHYSMEM64 };
	int64_t m;
	size_t len = sizeof m;

	if (sysctl(mib, 2, &m, &len, NULL, 0) != 0 || m < 0)
		return -1;
	v = (uint64_t)m;
#else
	if (sysctl_uint("hw.physmem", &v) != 0)
		return -1;
#endif
	return (long long)((v + (1ULL << 19)) >> 20);
}

#endif /* XT_SYSCTL */

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
	return sys_exists("/.dockerenv") ||
	    sys_contains("/proc/self/cgroup", "docker", 0) ||
	    sys_contains("/proc/self/mountinfo", "/docker/containers/", 0);
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
		set_field(si->platform, sizeof si->platform, p, strlen(p));
	else if (have_uname) {
		set_field(si->platform, sizeof si->platform, u.sysname,
		    strlen(u.sysname));
		for (i = 0; si->platform[i] != '\0'; i++)
			si->platform[i] = (char)lower(
			    (unsigned char)si->platform[i]);
	}
	if ((p = node_arch()) != NULL)
		set_field(si->arch, sizeof si->arch, p, strlen(p));
	else if (have_uname)
		arch_from_machine(si->arch, sizeof si->arch, u.machine);

#ifdef __linux__
	linux_release(si->release, sizeof si->release);
#endif
	if (si->release[0] == '\0' && have_uname)
		set_field(si->release, sizeof si->release, u.release,
		    strlen(u.release));

	si->cpu_cores = cpu_cores();
	si->memory_total = -1;
#if defined(__linux__)
	linux_cpu_model(si->cpu_model, sizeof si->cpu_model);
	si->cpu_speed = linux_cpu_speed();
	si->memory_total = linux_memory();
#elif defined(XT_SYSCTL)
	bsd_cpu(si);
	si->memory_total = bsd_memory();
#endif
	/* What libuv also falls back to on Linux (sysinfo(2) there). */
	if (si->memory_total < 0)
		si->memory_total = sysconf_memory();
	if (si->memory_total < 0)
		si->memory_total = 0;

	si->is_docker = sysinfo_is_docker();
#ifdef __linux__
	si->is_wsl = linux_is_wsl(si);
#endif
}
