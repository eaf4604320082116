/*
 * sysinfo-linux: sysinfo's part on Linux, from /proc and /sys as libuv
 * reads them (src/unix/linux.c), and is-wsl's rule.  See sysinfo-os.h.
 */
#include <limits.h>
#include <string.h>

#include "sysinfo-os.h"

#ifdef SYSINFO_LINUX


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
 * The first line of text[0..n) ("key<blanks>: value", as /proc/cpuinfo
 * and /proc/meminfo write them) whose key is one of keys[0..nkeys):
 * its value (after the colon) is [*value, *end).  0 if there is none.
 * A last line without a newline (the end of the file, or of the head
 * read) is still a line.
 */
static int
proc_find(const char *text, size_t n, const char *const keys[],
    size_t nkeys, const char **value, const char **end)
{
	const char *line, *stop = text + n, *nl, *colon, *k;
	size_t i;

	for (line = text; line < stop; line = nl + 1) {
		if ((nl = memchr(line, '\n', (size_t)(stop - line))) == NULL)
			nl = stop;
		if ((colon = memchr(line, ':', (size_t)(nl - line))) == NULL)
			continue;
		for (k = colon; k > line && (k[-1] == ' ' || k[-1] == '\t');)
			k--;
		for (i = 0; i < nkeys; i++)
			if ((size_t)(k - line) == strlen(keys[i]) &&
			    memcmp(line, keys[i], (size_t)(k - line)) == 0) {
				*value = colon + 1;
				*end = nl;
				return 1;
			}
	}
	return 0;
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
	const char *v, *end;
	size_t cap = size < LIBUV_MODEL_MAX ? size : LIBUV_MODEL_MAX;
	long n;

	sysinfo_field(dst, size, "unknown", 7);
	if ((n = sysinfo_head("/proc/cpuinfo", buf, sizeof buf)) <= 0 ||
	    !proc_find(buf, (size_t)n, model_keys, NELEM(model_keys), &v, &end))
		return;
#ifdef __aarch64__
	{
		char part[16];
		size_t i;

		sysinfo_field(part, sizeof part, v, (size_t)(end - v));
		for (i = 0; i < NELEM(arm_parts); i++)
			if (strcmp(part, arm_parts[i].part) == 0) {
				sysinfo_field(dst, cap, arm_parts[i].name,
				    strlen(arm_parts[i].name));
				break;
			}
	}
#else
	sysinfo_field(dst, cap, v, (size_t)(end - v));
	if (dst[0] == '\0')
		sysinfo_field(dst, size, "unknown", 7);
#endif
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
	static const char *const key[] = { "cpu MHz" };
	char buf[HEAD];
	const char *v, *end;
	long long khz, mhz;
	long n;

	n = sysinfo_head("/sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq",
	    buf, sizeof buf);
	if (n > 0 && (khz = parse_dec(buf, buf + n)) >= 0 &&
	    khz / 1000 <= LONG_MAX)
		return (long)(khz / 1000);
	if ((n = sysinfo_head("/proc/cpuinfo", buf, sizeof buf)) <= 0 ||
	    !proc_find(buf, (size_t)n, key, 1, &v, &end))
		return 0;
	/* parse_dec stops at the '.': the integer part */
	if ((mhz = parse_dec(v, end)) < 0 || mhz > LONG_MAX)
		return 0;
	return (long)mhz;
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
	static const char *const key[] = { "MemTotal" };
	char buf[4096];		/* MemTotal is the first line */
	const char *v, *end;
	long long kb;
	long n;

	if ((n = sysinfo_head("/proc/meminfo", buf, sizeof buf)) <= 0 ||
	    !proc_find(buf, (size_t)n, key, 1, &v, &end) ||
	    (kb = parse_dec(v, end)) < 0)
		return -1;
	/* round(kB * 1024 / 2^20) */
	return (kb + 512) / 1024;
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

	if ((n = sysinfo_head("/proc/sys/kernel/osrelease", buf, sizeof buf)) > 0)
		sysinfo_field(dst, size, buf, (size_t)n);
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
	return sysinfo_exists("/run/.containerenv") || sysinfo_exists("/.dockerenv") ||
	    sysinfo_has("/proc/self/cgroup", "docker", 0);
}

/* is-wsl 3.1.0: on "linux" (not Android), "microsoft" in any case in
 * the release or /proc/version, and not in a container. */
int
sysinfo_os_is_wsl(const struct sysinfo *si)
{
	if (strcmp(si->platform, "linux") != 0)
		return 0;
	if (!sysinfo_in(si->release, strlen(si->release), "microsoft", 1) &&
	    !sysinfo_has("/proc/version", "microsoft", 1))
		return 0;
	return !inside_container();
}

void
sysinfo_os(struct sysinfo *si)
{
	linux_release(si->release, sizeof si->release);
	linux_cpu_model(si->cpu_model, sizeof si->cpu_model);
	si->cpu_speed = linux_cpu_speed();
	si->memory_total = linux_memory();
}

#endif /* SYSINFO_LINUX */
