/*
 * project: the project's own id, the value xt-hash hashes when given no
 * operand (DESIGN.md, "Identity and hashing").  Only its hash may leave
 * the machine; the id itself may hold a path or a URL with a user name.
 *
 * In order, the first that exists:
 *   1. ./package.json: name@version, as xmcp: a missing (or empty, or
 *      not a string) name is "unknown", a missing version "0.0.0".  A
 *      package.json that is not a JSON object is skipped, as xmcp's
 *      JSON.parse failure falls through;
 *   2. the git remote "origin" URL, as `git config --get
 *      remote.origin.url` prints it (Next.js's project id), read from
 *      the repository's config file without running git: $GIT_DIR, or
 *      the first .git (directory, or file "gitdir: ...") found from the
 *      current directory upwards; a linked worktree's "commondir" is
 *      followed.  include.path and url.*.insteadOf are not applied
 *      (git config --get does not apply insteadOf either);
 *   3. the current directory (getcwd), as xmcp's fallback.
 */
#ifndef XT_PROJECT_H
#define XT_PROJECT_H

#include "buf.h"

enum project_source { PROJECT_PACKAGE_JSON, PROJECT_GIT, PROJECT_DIRECTORY };

/* Append the project's id to out.  Returns its source, or -1 if even
 * the current directory cannot be had (errno set). */
int project_id(struct buf *out);

#endif
