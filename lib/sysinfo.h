/*
 * sysinfo: a description of this machine, as Node's os module and the
 * npm packages is-docker and is-wsl give it to xmcp.  This is the only
 * module with operating-system-specific code; everything Linux-only
 * (/proc, /sys) stays inside sysinfo.c behind this interface.
 *
 * The Linux readers prefix every absolute path they open with
 * $XT_SYSROOT (unset: "/"), a testing aid so tests can point them at
 * fixture trees.  uname(2) is not affected by it.
 *
 * Nothing here reports a path, host name, user name, IP or MAC address.
 * No allocation; every string is a fixed-size field, truncated to fit
 * on a UTF-8 character boundary and always NUL-terminated.
 */
#ifndef XT_SYSINFO_H
#define XT_SYSINFO_H

struct sysinfo {
	char platform[16];	/* Node's process.platform: linux, darwin, freebsd, openbsd, netbsd, sunos, aix */
	char arch[16];		/* Node's process.arch: x64, arm64, ia32, arm, ppc64, s390x, riscv64, loong64, mips, ... */
	char release[128];	/* uname -r */
	long cpu_cores;		/* online CPUs, at least 1 */
	char cpu_model[128];	/* as os.cpus()[0].model; "" where unknown */
	long cpu_speed;		/* MHz, an integer, 0 where unknown */
	long long memory_total;	/* round(total bytes / 2^20) */
	int is_docker;		/* /.dockerenv, "docker" in /proc/self/cgroup, "/docker/containers/" in /proc/self/mountinfo */
	int is_wsl;		/* "microsoft" in the kernel release or /proc/version; 0 inside a container */
};

/* Fill si.  Fields that cannot be read get their "unknown" value. */
void sysinfo_read(struct sysinfo *si);

/* Just the container check, for callers that need no more (store.c). */
int sysinfo_is_docker(void);

#endif
