/*
 * sysinfo-other: sysinfo's part where xt knows no better source than
 * POSIX (uname and sysconf, in sysinfo.c): nothing more to fill.  See
 * sysinfo-os.h.
 */
#include "sysinfo-os.h"

#ifdef SYSINFO_OTHER

void
sysinfo_os(struct sysinfo *si)
{
	(void)si;
}

int
sysinfo_os_is_wsl(const struct sysinfo *si)
{
	(void)si;
	return 0;
}

#endif /* SYSINFO_OTHER */
