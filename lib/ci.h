/*
 * ci: is this process running on a continuous-integration service, and
 * which one.  The same answers as the npm package ci-info 4.x (which
 * xmcp and Next.js use; ci.c names the exact release), from one data
 * table in ci.c: a vendor's name, the environment variables that mark
 * it, and the value one must have or contain where ci-info asks for one.
 *
 * ci-info's rules, kept here:
 * - CI=false (exactly "false") means "not CI", whatever else is set.
 * - A variable set to the empty string counts as unset.
 * - A vendor matches when its markers are present (with the expected
 *   value where the table gives one); when several match, the LAST in
 *   table order wins, as ci-info's loop overwrites its name.
 * - Without a vendor, the generic variables (BUILD_ID, BUILD_NUMBER, CI,
 *   CI_APP_ID, CI_BUILD_ID, CI_BUILD_NUMBER, CI_NAME,
 *   CONTINUOUS_INTEGRATION, RUN_ID) still make is_ci true, with no name.
 * - name != NULL implies is_ci, so xmcp's ciName ((isCI && name) || null)
 *   is simply name.
 *
 * Reads the environment on every call (nothing is cached); no
 * allocation, no files.  name points to a static string.
 */
#ifndef XT_CI_H
#define XT_CI_H

struct ci_info {
	int is_ci;		/* 1 on CI, else 0 */
	const char *name;	/* vendor's name ("GitHub Actions"), or NULL */
};

void ci_detect(struct ci_info *ci);

#endif
