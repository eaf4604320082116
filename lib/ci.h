/*
 * ci: is this process running on a continuous-integration service, and
 * which one.  The same answers as the npm package ci-info 4.x (which
 * xmcp and Next.js use), from one data table in ci.c: a vendor's name,
 * the environment variable that marks it, and the value it must have
 * (or any non-empty value).
 *
 * ci-info's rules, kept here:
 * - CI=false (exactly "false") means "not CI", whatever else is set.
 * - A vendor matches when its marker variable is present (with the
 *   expected value where the table gives one); the first vendor in
 *   table order wins.
 * - Without a vendor, the generic variables (BUILD_ID, BUILD_NUMBER, CI,
 *   CI_APP_ID, CI_BUILD_ID, CI_BUILD_NUMBER, CI_NAME,
 *   CONTINUOUS_INTEGRATION, RUN_ID) still make is_ci true, with no name.
 *
 * Reads the environment only; no allocation, no files.
 */
#ifndef XT_CI_H
#define XT_CI_H

struct ci_info {
	int is_ci;		/* 1 on CI, else 0 */
	const char *name;	/* vendor's name ("GitHub Actions"), or NULL */
};

void ci_detect(struct ci_info *ci);

#endif
