/*
 * sysinfo-os: the inside of sysinfo, shared by sysinfo.c and the one
 * file per operating system (sysinfo-linux.c, sysinfo-bsd.c,
 * sysinfo-other.c), exactly one of which is built in (SYSINFO_OS says
 * which).  Nothing outside lib/sysinfo*.c includes it: sysinfo.h is the
 * module's boundary.
 */
#ifndef XT_SYSINFO_OS_H
#define XT_SYSINFO_OS_H

#include <stddef.h>

#include "sysinfo.h"

#if defined(__linux__)
#define SYSINFO_LINUX	1
#elif defined(__APPLE__) || defined(__FreeBSD__) || defined(__DragonFly__) || \
    defined(__NetBSD__) || defined(__OpenBSD__)
#define SYSINFO_BSD	1
#else
#define SYSINFO_OTHER	1
#endif

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Bounds on what is read.  A whole file is read only to look for a
 * word in it (mountinfo can be long in a busy container), and then in
 * chunks; parsed files are read up to a small head, which holds all
 * their interesting lines on any real machine.
 */
#define SCAN_MAX	(8L << 20)	/* bytes searched in one file */
#define PATH_CAP	4096		/* "$XT_SYSROOT/proc/..." */
#define HEAD		16384		/* cpuinfo: the first CPU's lines */

/*
 * The system's part (one definition, in the file for this system):
 * sysinfo_os fills what only the system knows: release (left empty,
 * uname(2) answers), cpu_model, cpu_speed, memory_total (left -1,
 * sysconf answers).  sysinfo_os_is_wsl: is this Linux WSL (called on
 * "linux" only).
 */
void sysinfo_os(struct sysinfo *si);
int sysinfo_os_is_wsl(const struct sysinfo *si);

/*
 * Shared helpers (sysinfo.c).  sysinfo_field: copy src[0..n) into
 * dst[size] as a field (see sysinfo.h: trimmed, valid UTF-8, cut on a
 * character boundary, terminated).  sysinfo_in: needle in hay[0..n)
 * (case-insensitively if fold; needle then in lower case).
 * sysinfo_exists, sysinfo_head, sysinfo_has: the file at
 * "$XT_SYSROOT<path>" exists; its head, as much as fits into buf[size -
 * 1], terminated (the byte count, or -1); it contains needle somewhere
 * (read in pieces, at most SCAN_MAX bytes).
 */
void sysinfo_field(char *dst, size_t size, const char *src, size_t n);
int sysinfo_in(const char *hay, size_t n, const char *needle, int fold);
int sysinfo_exists(const char *path);
long sysinfo_head(const char *path, char *buf, size_t size);
int sysinfo_has(const char *path, const char *needle, int fold);

#endif
