/* Unit tests of lib/utf8. */
#include <string.h>

#include "lib/utf8.h"
#include "unit.h"

static void
test_check(void)
{
	is_int(utf8_check("abc", 3), 3, "ASCII is UTF-8");
	is_int(utf8_check("a\xc3\xa9z", 4), 4, "2-byte sequence");
	is_int(utf8_check("ab\xc3", 3), 2, "truncated sequence");
	is_int(utf8_check("\xed\xbf\xbf", 3), 0, "encoded surrogate");
	is_int(utf8_check("\xf0\x9f\x98\x80", 4), 4, "4-byte sequence");
	is_int(utf8_check("x\xf8\x88\x80\x80\x80", 6), 1, "5-byte form");
}

/* One character at a time: every edge of RFC 3629's table. */
static void
test_char(void)
{
	static const struct {
		const char *s;
		size_t want;
		const char *what;
	} c[] = {
		{ "a", 1, "ASCII" },
		{ "\x7f", 1, "DEL is a character (callers refuse controls)" },
		{ "\x80", 0, "a lone continuation byte" },
		{ "\xc1\xbf", 0, "overlong 2-byte form" },
		{ "\xc2\x80", 2, "U+0080" },
		{ "\xdf\xbf", 2, "U+07FF" },
		{ "\xe0\x9f\xbf", 0, "overlong 3-byte form" },
		{ "\xe0\xa0\x80", 3, "U+0800" },
		{ "\xed\x9f\xbf", 3, "U+D7FF" },
		{ "\xed\xa0\x80", 0, "U+D800, a surrogate" },
		{ "\xee\x80\x80", 3, "U+E000" },
		{ "\xf0\x8f\xbf\xbf", 0, "overlong 4-byte form" },
		{ "\xf0\x90\x80\x80", 4, "U+10000" },
		{ "\xf4\x8f\xbf\xbf", 4, "U+10FFFF" },
		{ "\xf4\x90\x80\x80", 0, "above U+10FFFF" },
		{ "\xf5\x80\x80\x80", 0, "a lead byte past F4" },
		{ "\xe2\x82", 0, "cut short" },
	};
	size_t i;

	for (i = 0; i < sizeof c / sizeof c[0]; i++)
		is_int(utf8_char(c[i].s, strlen(c[i].s)), c[i].want, "%s",
		    c[i].what);
}

int
main(void)
{
	test_check();
	test_char();
	return done();
}
