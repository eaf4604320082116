/* utf8: see utf8.h. */
#include "utf8.h"

static int
is_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

size_t
utf8_char(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c < 0xC2)		/* continuation byte, or overlong 2-byte form */
		return 0;
	if (c < 0xE0)
		return n >= 2 && is_cont(s[1]) ? 2 : 0;
	if (c < 0xF0) {
		if (n < 3 || !is_cont(s[1]) || !is_cont(s[2]))
			return 0;
		if (c == 0xE0 && s[1] < 0xA0)	/* overlong */
			return 0;
		if (c == 0xED && s[1] >= 0xA0)	/* UTF-16 surrogate */
			return 0;
		return 3;
	}
	if (c < 0xF5) {
		if (n < 4 || !is_cont(s[1]) || !is_cont(s[2]) ||
		    !is_cont(s[3]))
			return 0;
		if (c == 0xF0 && s[1] < 0x90)	/* overlong */
			return 0;
		if (c == 0xF4 && s[1] >= 0x90)	/* above U+10FFFF */
			return 0;
		return 4;
	}
	return 0;
}

size_t
utf8_check(const char *s, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		if ((k = utf8_char(s + i, n - i)) == 0)
			return i;
		i += k;
	}
	return n;
}
