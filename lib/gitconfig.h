/*
 * gitconfig: a reader of git's config file format (git-config(1),
 * "CONFIGURATION FILE"), enough to answer `git config --get` for one
 * key without running git: sections and subsections, comments, quoted
 * values with git's escapes, line continuations.  It never runs a
 * program or reads another file: include.path and url.*.insteadOf are
 * not applied (git config --get does not apply insteadOf either).
 * Linear in the text; nothing is kept between calls.
 */
#ifndef XT_GITCONFIG_H
#define XT_GITCONFIG_H

#include <stddef.h>

#include "buf.h"

#define GITCONFIG_MAX	(1 << 20)	/* bytes of a config file we read */

/*
 * gitconfig_get: parse a git config file's text (n bytes) and append the
 * value of the last "key" in [section "subsection"] to out (section and
 * key compare case-insensitively, subsection exactly, as git does), as
 * `git config --get` prints it: white space inside an unquoted value
 * turns into spaces, and a bare key (a boolean) has an empty value.
 * Returns 1 when found, 0 when not, -1 when the text is not a valid git
 * config (then nothing is appended).
 */
int gitconfig_get(const char *text, size_t n, const char *section,
    const char *subsection, const char *key, struct buf *out);

#endif
