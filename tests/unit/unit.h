/*
 * unit.h: a TAP producer for the unit tests of lib/, small enough to
 * include in each test.  Every check prints "ok N - what" or "not ok N -
 * what" with where it failed; done() prints the plan and returns the
 * exit status for main.
 *
 *	int main(void) { ok(1 + 1 == 2, "addition"); return done(); }
 */
#ifndef XT_UNIT_H
#define XT_UNIT_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int unit_run, unit_failed;

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 4, 5)))
#endif
static int
unit_ok(int cond, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	unit_run++;
	printf("%sok %d - ", cond ? "" : "not ", unit_run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond) {
		unit_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	fflush(stdout);
	return cond;
}

#define ok(cond, ...) unit_ok((cond) != 0, __FILE__, __LINE__, __VA_ARGS__)

/* is_str: equal strings, showing both when they differ. */
#define is_str(got, want, ...) do {					\
	const char *unit_g = (got), *unit_w = (want);			\
	if (!ok(unit_g != NULL && strcmp(unit_g, unit_w) == 0, __VA_ARGS__)) \
		printf("#   got:  '%s'\n#   want: '%s'\n",			\
		    unit_g != NULL ? unit_g : "(null)", unit_w);		\
} while (0)

#define is_int(got, want, ...) do {					\
	long long unit_g = (got), unit_w = (want);			\
	if (!ok(unit_g == unit_w, __VA_ARGS__))				\
		printf("#   got:  %lld\n#   want: %lld\n", unit_g, unit_w);	\
} while (0)

static int
done(void)
{
	printf("1..%d\n", unit_run);
	if (unit_failed)
		printf("# failed %d of %d\n", unit_failed, unit_run);
	return unit_failed != 0;
}

#endif
