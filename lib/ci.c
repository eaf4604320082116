/*
 * ci: see ci.h.
 *
 * The vendor table follows ci-info 4.4.0 (vendors.json and index.js of
 * github.com/watson/ci-info, tag v4.4.0).  xmcp asks for ci-info ^4.3.1;
 * 4.4.0 is the newest 4.x and differs from 4.3.1 only by the Alpic row.
 * To follow a new ci-info release, compare its vendors.json with the
 * table below row by row: same order, same names.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "ci.h"
#include "env.h"

/*
 * How a row of the table matches.  These are the shapes of "env" in
 * ci-info's vendors.json, and no more.  As in JavaScript, where an
 * empty string is false, a variable set to "" counts as unset.
 */
enum ci_rule {
	CI_SET,		/* "env": "A"				A is set */
	CI_ALL,		/* "env": ["A", "B"]			both are set */
	CI_ANY,		/* "env": {"any": ["A", "B"]}		either is set */
	CI_EQUALS,	/* "env": {"A": "v"}			A is exactly v */
	CI_INCLUDES	/* "env": {"env": "A", "includes": "v"}	v is in A */
};

struct ci_vendor {
	const char *name;	/* ci-info's name, sent as ciName */
	enum ci_rule rule;
	const char *var[2];	/* var[1] only for CI_ALL and CI_ANY */
	const char *value;	/* only for CI_EQUALS and CI_INCLUDES */
};

/* In ci-info's order, which matters: see ci_detect. */
static const struct ci_vendor vendors[] = {
	{ "Agola CI",			CI_SET, { "AGOLA_GIT_REF" }, NULL },
	{ "Alpic",			CI_SET, { "ALPIC_HOST" }, NULL },
	{ "Appcircle",			CI_SET, { "AC_APPCIRCLE" }, NULL },
	{ "AppVeyor",			CI_SET, { "APPVEYOR" }, NULL },
	{ "AWS CodeBuild",		CI_SET, { "CODEBUILD_BUILD_ARN" }, NULL },
	{ "Azure Pipelines",		CI_SET, { "TF_BUILD" }, NULL },
	{ "Bamboo",			CI_SET, { "bamboo_planKey" }, NULL },
	{ "Bitbucket Pipelines",	CI_SET, { "BITBUCKET_COMMIT" }, NULL },
	{ "Bitrise",			CI_SET, { "BITRISE_IO" }, NULL },
	{ "Buddy",			CI_SET, { "BUDDY_WORKSPACE_ID" }, NULL },
	{ "Buildkite",			CI_SET, { "BUILDKITE" }, NULL },
	{ "CircleCI",			CI_SET, { "CIRCLECI" }, NULL },
	{ "Cirrus CI",			CI_SET, { "CIRRUS_CI" }, NULL },
	{ "Cloudflare Pages",		CI_SET, { "CF_PAGES" }, NULL },
	{ "Cloudflare Workers",		CI_SET, { "WORKERS_CI" }, NULL },
	{ "Codefresh",			CI_SET, { "CF_BUILD_ID" }, NULL },
	{ "Codemagic",			CI_SET, { "CM_BUILD_ID" }, NULL },
	{ "Codeship",			CI_EQUALS, { "CI_NAME" }, "codeship" },
	{ "Drone",			CI_SET, { "DRONE" }, NULL },
	{ "dsari",			CI_SET, { "DSARI" }, NULL },
	{ "Earthly",			CI_SET, { "EARTHLY_CI" }, NULL },
	{ "Expo Application Services",	CI_SET, { "EAS_BUILD" }, NULL },
	{ "Gerrit",			CI_SET, { "GERRIT_PROJECT" }, NULL },
	{ "Gitea Actions",		CI_SET, { "GITEA_ACTIONS" }, NULL },
	{ "GitHub Actions",		CI_SET, { "GITHUB_ACTIONS" }, NULL },
	{ "GitLab CI",			CI_SET, { "GITLAB_CI" }, NULL },
	{ "GoCD",			CI_SET, { "GO_PIPELINE_LABEL" }, NULL },
	{ "Google Cloud Build",		CI_SET, { "BUILDER_OUTPUT" }, NULL },
	{ "Harness CI",			CI_SET, { "HARNESS_BUILD_ID" }, NULL },
	/* Heroku's Node buildpack puts node here, at build time and on
	 * every running dyno alike: ci-info calls both CI. */
	{ "Heroku",			CI_INCLUDES, { "NODE" },
	    "/app/.heroku/node/bin/node" },
	{ "Hudson",			CI_SET, { "HUDSON_URL" }, NULL },
	/* BUILD_ID alone is only the generic "some CI" below. */
	{ "Jenkins",			CI_ALL, { "JENKINS_URL", "BUILD_ID" }, NULL },
	{ "LayerCI",			CI_SET, { "LAYERCI" }, NULL },
	{ "Magnum CI",			CI_SET, { "MAGNUM" }, NULL },
	{ "Netlify CI",			CI_SET, { "NETLIFY" }, NULL },
	{ "Nevercode",			CI_SET, { "NEVERCODE" }, NULL },
	{ "Prow",			CI_SET, { "PROW_JOB_ID" }, NULL },
	{ "ReleaseHub",			CI_SET, { "RELEASE_BUILD_ID" }, NULL },
	{ "Render",			CI_SET, { "RENDER" }, NULL },
	{ "Sail CI",			CI_SET, { "SAILCI" }, NULL },
	{ "Screwdriver",		CI_SET, { "SCREWDRIVER" }, NULL },
	{ "Semaphore",			CI_SET, { "SEMAPHORE" }, NULL },
	{ "Sourcehut",			CI_EQUALS, { "CI_NAME" }, "sourcehut" },
	{ "Strider CD",			CI_SET, { "STRIDER" }, NULL },
	{ "TaskCluster",		CI_ALL, { "TASK_ID", "RUN_ID" }, NULL },
	{ "TeamCity",			CI_SET, { "TEAMCITY_VERSION" }, NULL },
	{ "Travis CI",			CI_SET, { "TRAVIS" }, NULL },
	{ "Vela",			CI_SET, { "VELA" }, NULL },
	{ "Vercel",			CI_ANY, { "NOW_BUILDER", "VERCEL" }, NULL },
	{ "Visual Studio App Center",	CI_SET, { "APPCENTER_BUILD_ID" }, NULL },
	{ "Woodpecker",			CI_EQUALS, { "CI" }, "woodpecker" },
	{ "Xcode Cloud",		CI_SET, { "CI_XCODE_PROJECT" }, NULL },
	{ "Xcode Server",		CI_SET, { "XCS" }, NULL },
};

/*
 * Set on many services, none of which they name; ci-info's isCI looks
 * at them when no vendor matched (a matched vendor makes isCI true by
 * itself).  Its comments say who sets them: BUILD_ID Jenkins and
 * CloudBees, BUILD_NUMBER Jenkins and TeamCity, CI most of them,
 * CI_APP_ID, CI_BUILD_ID and CI_BUILD_NUMBER Appflow, CI_NAME Codeship
 * and others, CONTINUOUS_INTEGRATION Travis and Cirrus, RUN_ID
 * TaskCluster and dsari.
 */
static const char *const generic[] = {
	"BUILD_ID",
	"BUILD_NUMBER",
	"CI",
	"CI_APP_ID",
	"CI_BUILD_ID",
	"CI_BUILD_NUMBER",
	"CI_NAME",
	"CONTINUOUS_INTEGRATION",
	"RUN_ID",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int
vendor_matches(const struct ci_vendor *v)
{
	const char *s;

	switch (v->rule) {
	case CI_SET:
		return env_get(v->var[0]) != NULL;
	case CI_ALL:
		return env_get(v->var[0]) != NULL && env_get(v->var[1]) != NULL;
	case CI_ANY:
		return env_get(v->var[0]) != NULL || env_get(v->var[1]) != NULL;
	case CI_EQUALS:
		s = env_get(v->var[0]);
		return s != NULL && strcmp(s, v->value) == 0;
	case CI_INCLUDES:
		s = env_get(v->var[0]);
		return s != NULL && strstr(s, v->value) != NULL;
	}
	return 0;
}

void
ci_detect(struct ci_info *ci)
{
	const char *c = getenv("CI");
	size_t i;

	ci->is_ci = 0;
	ci->name = NULL;

	/* Exactly "false": not "FALSE", not "0", and not an empty CI=,
	 * which is merely unset. */
	if (c != NULL && strcmp(c, "false") == 0)
		return;

	/*
	 * ci-info walks all vendors and each match overwrites the name, so
	 * when several match, the last in table order wins: GITHUB_ACTIONS
	 * and TRAVIS both set give "Travis CI".  Kept, to send the same
	 * ciName as xmcp.
	 */
	for (i = 0; i < NELEM(vendors); i++)
		if (vendor_matches(&vendors[i]))
			ci->name = vendors[i].name;
	if (ci->name != NULL) {
		ci->is_ci = 1;
		return;
	}
	for (i = 0; i < NELEM(generic); i++)
		if (env_get(generic[i]) != NULL) {
			ci->is_ci = 1;
			return;
		}
}
