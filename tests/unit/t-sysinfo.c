/*
 * t-sysinfo: sysinfo_read against fixture trees, against garbage, and
 * against this machine.
 *
 * Fixtures are tests/fixtures/sysroot/NAME/, found relative to the
 * working directory (the repository's root under make check), or under
 * $XT_TEST_FIXTURES when that is set.  Each test points $XT_SYSROOT at
 * one of them.  The garbage cases that would be too big or too odd to
 * commit (megabytes of noise, a FIFO, /dev/zero) are built at run time
 * in a temporary directory under $TMPDIR (default /tmp), removed after.
 */
#include <sys/stat.h>
#include <sys/utsname.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/env.h"
#include "lib/sysinfo.h"
#include "tests/unit/unit.h"

/*
 * Which cpuinfo line names the CPU depends on the architecture xt is
 * built for (as in libuv), so the fixtures' expected models do too.
 */
#define XEON "Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz"
#if defined(__aarch64__)
#define ON_X86_CPUINFO	"unknown"
#define ON_ARM64_CPUINFO "Neoverse-N1"
#define ON_EPYC_CPUINFO	"unknown"
#elif defined(__powerpc__) || defined(__mips__) || defined(__loongarch__)
#define MODEL_UNCHECKED	1
#else
#define ON_X86_CPUINFO	XEON
#define ON_ARM64_CPUINFO "unknown"
#define ON_EPYC_CPUINFO	"AMD EPYC"
#endif
#ifdef MODEL_UNCHECKED
#define ON_X86_CPUINFO	NULL
#define ON_ARM64_CPUINFO NULL
#define ON_EPYC_CPUINFO	NULL
#endif

#define SYSCONF_MEM (-2)	/* expect the sysconf fallback */

static const struct fixture {
	const char *dir;
	const char *release;
	const char *model;	/* NULL: not checked on this arch */
	long speed;
	long long memory;
	int docker, wsl;
} fixtures[] = {
	/* a Debian box with a cpufreq driver */
	{ "plain", "6.1.0-13-amd64", ON_X86_CPUINFO, 2394, 7861, 0, 0 },
	/* "cpu MHz" but no cpufreq: its integer part (Node 20+ says 0) */
	{ "vm", "6.1.0-13-amd64", ON_X86_CPUINFO, 2399, 7861, 0, 0 },
	/* neither: 0 */
	{ "nomhz", "6.1.0-13-amd64", ON_EPYC_CPUINFO, 0, 7861, 0, 0 },
	/* is-docker's three signs, each alone */
	{ "docker-env", "6.1.0-13-amd64", ON_X86_CPUINFO, 2399, 7861, 1, 0 },
	{ "docker-cgroup", "6.1.0-13-amd64", ON_X86_CPUINFO, 2399, 7861, 1, 0 },
	{ "docker-mountinfo", "6.1.0-13-amd64", ON_X86_CPUINFO, 2399, 7861, 1, 0 },
	/* is-wsl: the release, or /proc/version (WSL 1) */
	{ "wsl-release", "5.15.153.1-microsoft-standard-WSL2", ON_X86_CPUINFO,
	    2399, 7861, 0, 1 },
	{ "wsl-version", "6.1.0-13-amd64", ON_X86_CPUINFO, 2399, 7861, 0, 1 },
	/* ... but not inside a container */
	{ "wsl-docker", "5.15.153.1-microsoft-standard-WSL2", ON_X86_CPUINFO,
	    2399, 7861, 1, 0 },
	{ "wsl-podman", "5.15.153.1-microsoft-standard-WSL2", ON_X86_CPUINFO,
	    2399, 7861, 0, 0 },
	/* is-wsl's container check is an older is-docker's, blind to
	 * mountinfo: xmcp calls this box Docker and WSL at once */
	{ "wsl-mountinfo", "5.15.153.1-microsoft-standard-WSL2", ON_X86_CPUINFO,
	    2399, 7861, 1, 1 },
	/* a 512 MiB cgroup on a 64 GiB host: the host's total, as Node */
	{ "cgroup-limited", "6.1.0-13-amd64", ON_X86_CPUINFO, 2399, 64294, 0, 0 },
	{ "arm64", "6.1.0-13-cloud-arm64", ON_ARM64_CPUINFO, 0, 7861, 0, 0 },
	/* no colons, NULs, bad UTF-8, no numbers: unknowns, no crash */
	{ "garbage", "6.1.0\?\?-x\?\?", "unknown", 0, SYSCONF_MEM, 0, 0 },
};

static const char *fixture_root = "tests/fixtures/sysroot";

static long long
sysconf_mib(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);

	return (long long)(((unsigned long long)pages * (unsigned long long)size
	    + (1ULL << 19)) >> 20);
}

static long
online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n >= 1 ? n : 1;
}

static void
check_fixture(const struct fixture *f)
{
	struct sysinfo si;
	char root[1024];

	snprintf(root, sizeof root, "%s/%s", fixture_root, f->dir);
	setenv(ENV_SYSROOT, root, 1);
	sysinfo_read(&si);
	is_str(si.platform, "linux", "%s: platform", f->dir);
	is_str(si.release, f->release, "%s: release", f->dir);
	is_int(si.cpu_cores, online_cpus(), "%s: cores are the machine's",
	    f->dir);
	if (f->model != NULL)
		is_str(si.cpu_model, f->model, "%s: cpu model", f->dir);
	is_int(si.cpu_speed, f->speed, "%s: cpu speed", f->dir);
	is_int(si.memory_total, f->memory == SYSCONF_MEM ? sysconf_mib() :
	    f->memory, "%s: memory", f->dir);
	is_int(si.is_docker, f->docker, "%s: is_docker", f->dir);
	is_int(si.is_wsl, f->wsl, "%s: is_wsl", f->dir);
	is_int(sysinfo_is_docker(), f->docker, "%s: sysinfo_is_docker",
	    f->dir);
}

/* ---- garbage built at run time ---- */

static char tmp[1024];
static char made[64][1100];
static int nmade;

/* Create tmp/path (and its directories), remembering them for cleanup. */
static FILE *
make(const char *path)
{
	char p[1100], *s;
	FILE *fp;

	if (nmade + 16 > (int)(sizeof made / sizeof made[0])) {
		printf("Bail out! too many files\n");
		exit(1);
	}
	snprintf(p, sizeof p, "%s/%s", tmp, path);
	for (s = p + strlen(tmp) + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		if (mkdir(p, 0700) == 0)
			snprintf(made[nmade++], sizeof made[0], "%s", p);
		*s = '/';
	}
	snprintf(made[nmade++], sizeof made[0], "%s", p);
	if ((fp = fopen(p, "w")) == NULL) {
		printf("Bail out! %s: cannot create\n", p);
		exit(1);
	}
	return fp;
}

static void
noise(FILE *fp, long n)
{
	unsigned long x = 12345;

	while (n-- > 0) {
		x = x * 1103515245 + 12345;
		putc((int)(x >> 16 & 0xff), fp);
	}
}

static void
cleanup(void)
{
	while (nmade > 0) {
		const char *p = made[--nmade];
		if (unlink(p) != 0)
			rmdir(p);
	}
	rmdir(tmp);
}

static void
garbage_at_run_time(void)
{
	static const char *const files[] = { "proc/cpuinfo",
	    "proc/meminfo", "proc/version", "proc/self/cgroup",
	    "proc/self/mountinfo", "proc/sys/kernel/osrelease",
	    "sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq" };
	const char *t = getenv("TMPDIR");
	struct sysinfo si;
	char p[1100];
	FILE *fp;
	long i;

	snprintf(tmp, sizeof tmp, "%s/t-sysinfo.XXXXXX",
	    t != NULL && t[0] != '\0' ? t : "/tmp");
	if (mkdtemp(tmp) == NULL) {
		ok(0, "mkdtemp");
		return;
	}
	setenv(ENV_SYSROOT, tmp, 1);

	/* A megabyte of noise for every file. */
	for (i = 0; i < (long)(sizeof files / sizeof files[0]); i++) {
		fp = make(files[i]);
		noise(fp, 1L << 20);
		fclose(fp);
	}
	sysinfo_read(&si);
	ok(strlen(si.release) < sizeof si.release, "noise: release bounded");
	ok(strlen(si.cpu_model) < 64, "noise: model within libuv's 63 bytes");
	ok(si.cpu_speed >= 0, "noise: speed %ld", si.cpu_speed);
	is_int(si.memory_total, sysconf_mib(), "noise: memory from sysconf");

	/* One 100 kB line: the model is cut where libuv cuts it, at 63
	 * bytes, but not inside the "\xc3\xa9" that straddles them. */
	fp = make("proc/cpuinfo");
	fputs("processor\t: 0\nmodel name\t: xy", fp);
	for (i = 0; i < 25000; i++)
		fputs("\xc3\xa9" "AB", fp);
	fputs("\ncpu MHz\t\t: 1\n", fp);
	fclose(fp);
	/* MemTotal pushed past the head that is read by a long line. */
	fp = make("proc/meminfo");
	fputs("Junk: ", fp);
	for (i = 0; i < 8000; i++)
		putc('x', fp);
	fputs("\nMemTotal: 1024 kB\n", fp);
	fclose(fp);
	/* A number too big for anything. */
	fp = make("sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq");
	fputs("99999999999999999999999999\n", fp);
	fclose(fp);
	/* A surrogate, an overlong '/', past U+10FFFF, then a real
	 * 4-byte character and a tab: each bad byte becomes one '?'. */
	fp = make("proc/sys/kernel/osrelease");
	fputs("  r\xed\xa0\x80|\xc0\xaf|\xf4\x90\x80\x80|\xf0\x9f\x98\x80\t. \n", fp);
	fclose(fp);
	/* The marker across the seam between two 4096-byte reads. */
	fp = make("proc/self/mountinfo");
	for (i = 0; i < 4090; i++)
		putc('m', fp);
	fputs("/docker/containers/x\n", fp);
	fclose(fp);
	sysinfo_read(&si);
#if !defined(__aarch64__) && !defined(MODEL_UNCHECKED)
	is_int(strlen(si.cpu_model), 62,
	    "huge line: model cut before a character at byte 63");
	ok(strncmp(si.cpu_model, "xy\xc3\xa9" "AB", 6) == 0 &&
	    strcmp(si.cpu_model + 58, "\xc3\xa9" "AB") == 0,
	    "huge line: whole characters only");
#endif
	is_str(si.release, "r???|??|????|\xf0\x9f\x98\x80?.",
	    "bad UTF-8 and controls become '?', blanks trimmed");
	is_int(si.memory_total, sysconf_mib(), "MemTotal past the head");
	is_int(si.cpu_speed, 0, "speed overflowing: 0");
	is_int(si.is_docker, 1, "mountinfo marker across a read seam");

	/* A FIFO must not hang us, a device must not feed us forever. */
	snprintf(p, sizeof p, "%s/proc/cpuinfo", tmp);
	unlink(p);
	if (mkfifo(p, 0600) != 0)
		ok(0, "mkfifo");
	snprintf(p, sizeof p, "%s/proc/self/mountinfo", tmp);
	unlink(p);
	if (symlink("/dev/zero", p) != 0)
		ok(0, "symlink");
	sysinfo_read(&si);
	is_str(si.cpu_model, "unknown", "cpuinfo a FIFO: unknown, no hang");
	is_int(si.is_docker, 0, "mountinfo /dev/zero: refused");

	/* Nothing there at all. */
	snprintf(p, sizeof p, "%s/nowhere", tmp);
	setenv(ENV_SYSROOT, p, 1);
	sysinfo_read(&si);
	is_str(si.cpu_model, "unknown", "empty root: model unknown");
	is_int(si.cpu_speed, 0, "empty root: speed 0");
	is_int(si.memory_total, sysconf_mib(), "empty root: memory from sysconf");
	is_int(si.is_docker, 0, "empty root: not docker");
	ok(si.release[0] != '\0', "empty root: release from uname");

	cleanup();
}

/* ---- this machine ---- */

static void
real_machine(const char *sysroot)
{
	struct sysinfo si;
	struct utsname u;
	char line[256];
	long long kb = -1;
	FILE *fp;

	if (sysroot == NULL)
		unsetenv(ENV_SYSROOT);
	else
		setenv(ENV_SYSROOT, sysroot, 1);
	sysinfo_read(&si);
	is_int(si.cpu_cores, online_cpus(), "real: cpu_cores");
	if ((fp = fopen("/proc/meminfo", "r")) != NULL) {
		while (fgets(line, sizeof line, fp) != NULL)
			if (sscanf(line, "MemTotal: %lld kB", &kb) == 1)
				break;
		fclose(fp);
	}
	is_int(si.memory_total, (kb + 512) / 1024,
	    "real: memory_total = round(MemTotal/1024)");
	uname(&u);
	is_str(si.release, u.release, "real: release is uname's");
	ok(si.arch[0] != '\0', "real: arch %s", si.arch);
	ok(si.cpu_model[0] != '\0', "real: cpu model %s", si.cpu_model);
	if (access("/.dockerenv", F_OK) == 0)
		is_int(si.is_docker, 1, "real: /.dockerenv is docker");
#if defined(__x86_64__)
	is_str(si.arch, "x64", "real: x86_64 is x64");
#elif defined(__aarch64__)
	is_str(si.arch, "arm64", "real: aarch64 is arm64");
#endif
}

int
main(void)
{
	const char *e = getenv("XT_TEST_FIXTURES");
	size_t i;

	if (e != NULL && e[0] != '\0')
		fixture_root = e;
	for (i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++)
		check_fixture(&fixtures[i]);
	garbage_at_run_time();
	real_machine(NULL);
	real_machine("");	/* empty is unset */
	return done();
}
