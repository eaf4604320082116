/*
 * t-ci: ci_detect against ci-info's rules, through the environment.
 *
 * The test includes lib/ci.c itself, so it can walk the vendor table:
 * every row is tried, and the variables cleared between cases are the
 * ones the table names, so a new row is covered without editing this
 * file.  (Link it without lib/ci.o; from lib/libxt.a the archive's copy
 * is never pulled in, since this file defines everything ci.o does.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ci.c"
#include "tests/unit/unit.h"

static void
clear_all(void)
{
	size_t i;

	for (i = 0; i < NELEM(vendors); i++) {
		unsetenv(vendors[i].var[0]);
		if (vendors[i].var[1] != NULL)
			unsetenv(vendors[i].var[1]);
	}
	for (i = 0; i < NELEM(generic); i++)
		unsetenv(generic[i]);
}

static void
expect(const char *what, int is_ci, const char *name)
{
	struct ci_info ci;

	ci_detect(&ci);
	is_int(ci.is_ci, is_ci, "%s: is_ci", what);
	is_str(ci.name != NULL ? ci.name : "(null)",
	    name != NULL ? name : "(null)", "%s: name", what);
}

static int
is_generic(const char *var)
{
	size_t i;

	for (i = 0; i < NELEM(generic); i++)
		if (strcmp(generic[i], var) == 0)
			return 1;
	return 0;
}

/* Make row v match in the simplest way its rule allows. */
static void
satisfy(const struct ci_vendor *v)
{
	switch (v->rule) {
	case CI_SET:
	case CI_ANY:
		setenv(v->var[0], "true", 1);
		break;
	case CI_ALL:
		setenv(v->var[0], "1", 1);
		setenv(v->var[1], "1", 1);
		break;
	case CI_EQUALS:
		setenv(v->var[0], v->value, 1);
		break;
	case CI_INCLUDES:
		setenv(v->var[0], v->value, 1);
		break;
	}
}

static void
every_row(void)
{
	char what[128];
	size_t i;

	for (i = 0; i < NELEM(vendors); i++) {
		const struct ci_vendor *v = &vendors[i];

		clear_all();
		satisfy(v);
		snprintf(what, sizeof what, "row %zu (%s)", i, v->name);
		expect(what, 1, v->name);

		/* The same row with CI=false: nothing at all. */
		if (strcmp(v->var[0], "CI") != 0) {
			setenv("CI", "false", 1);
			snprintf(what, sizeof what, "%s with CI=false", v->name);
			expect(what, 0, NULL);
		}
	}
}

/* Only var=value in the environment: is it CI (and which), as want? */
static void
only(const char *var, const char *value, int is_ci, const char *name,
    const char *why)
{
	char what[160];

	clear_all();
	setenv(var, value, 1);
	snprintf(what, sizeof what, "%s=\"%s\" %s", var, value, why);
	expect(what, is_ci, name);
}

/* The rule kinds, one edge each. */
static void
rule_edges(void)
{
	size_t i;

	for (i = 0; i < NELEM(vendors); i++) {
		const struct ci_vendor *v = &vendors[i];

		switch (v->rule) {
		case CI_SET:
			only(v->var[0], "", 0, NULL, "is unset");
			break;
		case CI_ANY:
			only(v->var[1], "1", 1, v->name, "alone: second of any");
			break;
		case CI_ALL:
			/* One of two is not the vendor, but may still be a
			 * generic variable (Jenkins' BUILD_ID). */
			only(v->var[0], "1", is_generic(v->var[0]), NULL,
			    "alone: one of all");
			only(v->var[1], "1", is_generic(v->var[1]), NULL,
			    "alone: one of all");
			break;
		case CI_EQUALS:
			only(v->var[0], "Other", is_generic(v->var[0]), NULL,
			    "is not the value");
			break;
		case CI_INCLUDES:
			only(v->var[0], "x", 0, NULL, "does not include it");
			break;
		}
	}
}

static void
generic_alone(void)
{
	char what[128];
	size_t i;

	for (i = 0; i < NELEM(generic); i++) {
		clear_all();
		setenv(generic[i], "1", 1);
		snprintf(what, sizeof what, "generic %s alone", generic[i]);
		expect(what, 1, NULL);
		setenv(generic[i], "", 1);
		snprintf(what, sizeof what, "generic %s empty", generic[i]);
		expect(what, 0, NULL);
	}
}

/* Cases written out by hand, not from the table, so a mistyped row
 * cannot test itself. */
static void
by_hand(void)
{
	clear_all();
	expect("no CI at all", 0, NULL);

	clear_all();
	setenv("GITHUB_ACTIONS", "true", 1);
	setenv("CI", "true", 1);
	expect("GitHub Actions", 1, "GitHub Actions");

	only("CI_NAME", "codeship", 1, "Codeship", "by hand");
	setenv("CI_NAME", "Codeship", 1);
	expect("CI_NAME=Codeship (case matters)", 1, NULL);

	only("NODE", "/usr/bin/env /app/.heroku/node/bin/node --x", 1,
	    "Heroku", "includes the Heroku path");

	only("NOW_BUILDER", "1", 1, "Vercel", "by hand");

	clear_all();
	setenv("TASK_ID", "a", 1);
	setenv("RUN_ID", "b", 1);
	expect("TASK_ID and RUN_ID", 1, "TaskCluster");

	clear_all();
	setenv("JENKINS_URL", "http://j", 1);
	setenv("BUILD_ID", "7", 1);
	expect("JENKINS_URL and BUILD_ID", 1, "Jenkins");

	only("CI", "woodpecker", 1, "Woodpecker", "by hand");

	/* ci-info lets the last matching vendor win. */
	clear_all();
	setenv("GITHUB_ACTIONS", "true", 1);
	setenv("TRAVIS", "true", 1);
	expect("GitHub Actions and Travis: the later row", 1, "Travis CI");
	setenv("AGOLA_GIT_REF", "x", 1);
	expect("and Agola, an earlier row", 1, "Travis CI");

	/* The guard is the exact string "false". */
	clear_all();
	setenv("CI", "false", 1);
	setenv("BUILD_NUMBER", "3", 1);
	expect("CI=false with BUILD_NUMBER", 0, NULL);
	setenv("CI", "FALSE", 1);
	expect("CI=FALSE is a true value", 1, NULL);
	setenv("CI", "0", 1);
	unsetenv("BUILD_NUMBER");
	expect("CI=0 is a true value", 1, NULL);
	setenv("CI", "", 1);
	expect("CI= is unset", 0, NULL);

	/* 53 rows in ci-info 4.4.0: a lost row shows here. */
	is_int(NELEM(vendors), 53, "table has ci-info 4.4.0's 53 vendors");
}

int
main(void)
{
	every_row();
	rule_edges();
	generic_alone();
	by_hand();
	clear_all();
	return done();
}
