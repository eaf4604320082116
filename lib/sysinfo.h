/*
 * sysinfo: a description of this machine, as Node's os module and the
 * npm packages is-docker and is-wsl give it to xmcp.  This is the only
 * module with operating-system-specific code, one file per system
 * (sysinfo-linux.c: /proc and /sys; sysinfo-bsd.c: sysctl on the BSDs
 * and macOS; sysinfo-other.c), all behind this interface.
 *
 * Every file it reads (/proc/..., /sys/..., /.dockerenv,
 * /run/.containerenv) is opened under the prefix $XT_SYSROOT (unset or
 * empty: none), so tests can point it at fixture trees.  System calls
 * are not redirected: uname(2) and sysconf(3) always describe the
 * running kernel.  The kernel release is read from
 * <root>/proc/sys/kernel/osrelease, where Linux publishes the same
 * string uname gives, and from uname when that file is missing or
 * empty; so a fixture tree can stand for a WSL kernel.
 *
 * Where a value cannot be read, the field gets its "unknown" value
 * (below), or the same fallback Node takes; a missing, malformed,
 * binary or endless file never crashes it or makes it wait.  Files are
 * read through fixed buffers: at most 16 KiB of cpuinfo and 4 KiB of
 * meminfo (the lines wanted are near the top), and at most 8 MiB of a
 * file that is searched for a word (mountinfo can be long).
 *
 * Nothing here reports a path, host name, user name, IP or MAC address.
 * No allocation but a file's head while it is parsed; every string is
 * a fixed-size field, valid UTF-8 (a
 * byte that is not, or a control character, becomes '?'), without
 * leading or trailing blanks, truncated to fit on a character boundary
 * and always NUL-terminated.
 */
#ifndef XT_SYSINFO_H
#define XT_SYSINFO_H

struct sysinfo {
	/* Node's process.platform: linux, darwin, freebsd, openbsd,
	 * netbsd, sunos, aix, android, ...; fixed when xt is built. */
	char platform[16];
	/* Node's process.arch: x64, arm64, ia32, arm, ppc64, s390x,
	 * riscv64, loong64, mips, mipsel, ...; fixed when xt is built. */
	char arch[16];
	char release[128];	/* os.release(): uname -r */
	long cpu_cores;		/* online CPUs, at least 1 (not a cgroup's share) */
	/*
	 * os.cpus()[0].model.  Linux: the architecture's line of
	 * /proc/cpuinfo as libuv reads it (on arm64 the "CPU part" turned
	 * into a name), at most 63 bytes as in libuv, "unknown" where libuv
	 * says so.  "" only where nothing could be asked at all (xmcp sends
	 * null when Node has no CPU list).
	 */
	char cpu_model[128];
	/* MHz, an integer, 0 where unknown.  Linux: cpufreq's
	 * scaling_cur_freq of cpu0, as Node 20+; else the integer part of
	 * the first "cpu MHz" line of /proc/cpuinfo (where Node says 0). */
	long cpu_speed;
	/* round(total bytes / 2^20), as the xt-meta issue asks (xmcp
	 * itself truncates with Math.trunc; the two differ by at most 1);
	 * the kernel's total even under a cgroup limit. */
	long long memory_total;
	/* is-docker 4: /.dockerenv exists, "docker" in /proc/self/cgroup,
	 * or "/docker/containers/" in /proc/self/mountinfo. */
	int is_docker;
	/* is-wsl 3.1: Linux, "microsoft" in any case in the release or in
	 * /proc/version, and not inside a container by is-inside-container
	 * 1.0's rule (/run/.containerenv, /.dockerenv, "docker" in
	 * /proc/self/cgroup; not mountinfo). */
	int is_wsl;
};

/* Fill si.  Fields that cannot be read get their "unknown" value. */
void sysinfo_read(struct sysinfo *si);

/* Just the container check (is_docker), for callers that need no more
 * (store.c).  Reads files on every call; nothing is cached. */
int sysinfo_is_docker(void);

#endif
