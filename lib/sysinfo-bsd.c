/*
 * sysinfo-bsd: sysinfo's part on the BSDs and macOS, from sysctl(3) as
 * libuv reads it (src/unix/darwin.c, freebsd.c, openbsd.c, netbsd.c).
 * See sysinfo-os.h.
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
#endif

#include "sysinfo-os.h"

#ifdef SYSINFO_BSD

#include <sys/types.h>
#include <sys/sysctl.h>

#include <stdint.h>
#include <string.h>


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
	sysinfo_field(dst, size, buf, text_len(buf, len));
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
		sysinfo_field(si->cpu_model, sizeof si->cpu_model, buf,
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


void
sysinfo_os(struct sysinfo *si)
{
	bsd_cpu(si);
	si->memory_total = bsd_memory();
}

int
sysinfo_os_is_wsl(const struct sysinfo *si)
{
	(void)si;
	return 0;
}

#endif /* SYSINFO_BSD */
