/*
 * utf8: what is valid UTF-8, decided in one place for every reader of
 * text that must be UTF-8 (JSON strings, event names and field values,
 * the strings sysinfo reads from /proc).  Valid is RFC 3629's: no
 * overlong forms, no encoded UTF-16 surrogates (U+D800-U+DFFF), nothing
 * above U+10FFFF, no 5- or 6-byte forms.  Nothing here allocates.
 */
#ifndef XT_UTF8_H
#define XT_UTF8_H

#include <stddef.h>

/*
 * utf8_char: the length (1 to 4) of the valid character that starts at
 * s, where n > 0 bytes are left; 0 when the bytes there are not one.
 */
size_t utf8_char(const char *s, size_t n);

/*
 * utf8_check: the offset of the first byte of s[0..n) that is not part
 * of a valid character, or n when all of it is valid.
 */
size_t utf8_check(const char *s, size_t n);

#endif
