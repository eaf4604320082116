/*
 * t-project: lib/project through project.h: project_id's order in
 * temporary directories: package.json, the git remote origin URL found
 * by every way git finds its directory, the current directory.  (The
 * config reader itself: t-gitconfig.)
 */
#include <sys/stat.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/project.h"
#include "fixture.h"
#include "unit.h"

#define ORIGIN "[remote \"origin\"]\n"

/*
 * Whether ROOT has no .git above it: where it has, "no repository here"
 * cannot be shown, as project_id rightly finds that one.
 */
static int isolated;

/* Is there a .git in dir or above it? */
static int
git_above(const char *dir)
{
	char p[PATH_MAX], *slash;

	snprintf(p, sizeof p, "%s", dir);
	for (;;) {
		char probe[PATH_MAX + 8];

		snprintf(probe, sizeof probe, "%s/.git", p);
		if (fx_exists(probe))
			return 1;
		if ((slash = strrchr(p, '/')) == NULL || slash == p)
			break;
		*slash = '\0';
	}
	return fx_exists("/.git");
}

/* project_id in dir: its source, and the id in out (static). */
static int
id_in(const char *dir, const char **id)
{
	static char text[8192];
	struct buf out;
	int r;

	if (chdir(dir) != 0)
		fx_bail(dir);
	buf_init(&out, 8192);
	buf_adds(&out, "pre:");
	r = project_id(&out);
	snprintf(text, sizeof text, "%s", strncmp(out.data, "pre:", 4) == 0 ?
	    out.data + 4 : "(out was not appended to)");
	buf_free(&out);
	*id = text;
	return r;
}

static const char *
cwd_of(const char *dir)
{
	static char cwd[PATH_MAX];

	if (chdir(dir) != 0 || getcwd(cwd, sizeof cwd) == NULL)
		fx_bail(dir);
	return cwd;
}

static void
write_in(const char *path, const char *text)
{
	char dir[4096], *slash;

	snprintf(dir, sizeof dir, "%s", path);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	if (fx_mkdirs(dir) != 0 || fx_write(path, text) != 0)
		fx_bail(path);
}

static void
test_package_json(void)
{
	static const struct {
		const char *what, *json, *id;
	} cases[] = {
		{ "name and version", "{\"name\": \"my-app\", \"version\": "
		    "\"2.3.4\", \"private\": true}", "my-app@2.3.4" },
		{ "no name", "{\"version\": \"2.3.4\"}", "unknown@2.3.4" },
		{ "no version", "{\"name\": \"my-app\"}", "my-app@0.0.0" },
		{ "empty strings", "{\"name\": \"\", \"version\": \"\"}",
		    "unknown@0.0.0" },
		{ "an empty object", "{}", "unknown@0.0.0" },
		{ "not strings", "{\"name\": 1, \"version\": [\"1\"]}",
		    "unknown@0.0.0" },
		{ "escapes", "{\"name\": \"@s/caf\\u00e9\", \"version\": "
		    "\"1.0.0-rc.1\"}", "@s/caf\xc3\xa9@1.0.0-rc.1" },
		{ "a duplicate name: the last", "{\"name\": \"a\", \"name\": \"b\","
		    " \"version\": \"1\"}", "b@1" },
	};
	static const char *const skipped[] = {
		"[\"my-app\"]", "\"my-app\"", "null", "{\"name\": \"a\",}", "",
	};
	const char *id, *dir = fx_path("pkg");
	size_t i;
	int r;

	/* A git repository under it: package.json must win. */
	write_in(fx_path("pkg/.git/config"), ORIGIN "\turl = https://e/pkg.git\n");
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		write_in(fx_path("pkg/package.json"), cases[i].json);
		r = id_in(dir, &id);
		is_int(r, PROJECT_PACKAGE_JSON, "package.json, %s: its source",
		    cases[i].what);
		is_str(id, cases[i].id, "package.json, %s: the id", cases[i].what);
	}
	for (i = 0; i < sizeof skipped / sizeof skipped[0]; i++) {
		write_in(fx_path("pkg/package.json"), skipped[i]);
		r = id_in(dir, &id);
		ok(r == PROJECT_GIT && strcmp(id, "https://e/pkg.git") == 0,
		    "a package.json of '%s' is skipped: the git URL", skipped[i]);
	}
	if (fx_rmrf(fx_path("pkg/package.json")) != 0 ||
	    mkdir(fx_path("pkg/package.json"), 0700) != 0)
		fx_bail("mkdir");
	ok(id_in(dir, &id) == PROJECT_GIT, "a directory package.json is skipped");

	/* Only ./package.json counts, not a parent's. */
	fx_rmrf(fx_path("pkg/package.json"));
	write_in(fx_path("pkg/package.json"), "{\"name\": \"top\"}");
	write_in(fx_path("pkg/sub/keep"), "");
	ok(id_in(fx_path("pkg/sub"), &id) == PROJECT_GIT &&
	    strcmp(id, "https://e/pkg.git") == 0,
	    "a parent's package.json is not used; the repository above is");
	fx_rmrf(dir);
}

static void
test_git(void)
{
	const char *id, *cwd;
	int r;

	/* .git directory, from the top and from below */
	write_in(fx_path("g1/.git/config"), "[core]\n\tbare = false\n"
	    ORIGIN "\turl = https://e/one.git\n\tfetch = x\n");
	write_in(fx_path("g1/a/b/keep"), "");
	r = id_in(fx_path("g1"), &id);
	is_int(r, PROJECT_GIT, "a .git directory: the git source");
	is_str(id, "https://e/one.git", "... its origin URL");
	r = id_in(fx_path("g1/a/b"), &id);
	ok(r == PROJECT_GIT && strcmp(id, "https://e/one.git") == 0,
	    "... found from a subdirectory too");

	/* .git file pointing elsewhere, relative and absolute */
	write_in(fx_path("store/two.git/config"), ORIGIN "\turl = two\n");
	write_in(fx_path("g2/.git"), "gitdir: ../store/two.git\n");
	r = id_in(fx_path("g2"), &id);
	ok(r == PROJECT_GIT && strcmp(id, "two") == 0,
	    "a .git file with a relative gitdir: %s", id);
	{
		char line[4096];

		snprintf(line, sizeof line, "gitdir: %s\r\n",
		    fx_path("store/two.git"));
		write_in(fx_path("g3/.git"), line);
	}
	write_in(fx_path("g3/sub/keep"), "");
	r = id_in(fx_path("g3/sub"), &id);
	ok(r == PROJECT_GIT && strcmp(id, "two") == 0,
	    "a .git file with an absolute gitdir (CRLF), from below: %s", id);

	/* a linked worktree: its gitdir's commondir holds the config */
	write_in(fx_path("main/.git/config"), ORIGIN "\turl = main-url\n");
	write_in(fx_path("main/.git/worktrees/wt/commondir"), "../..\n");
	write_in(fx_path("main/.git/worktrees/wt/HEAD"), "ref: refs/heads/wt\n");
	{
		char line[4096];

		snprintf(line, sizeof line, "gitdir: %s\n",
		    fx_path("main/.git/worktrees/wt"));
		write_in(fx_path("wt/.git"), line);
	}
	r = id_in(fx_path("wt"), &id);
	ok(r == PROJECT_GIT && strcmp(id, "main-url") == 0,
	    "a worktree: the common directory's config: %s", id);

	/* GIT_DIR, relative to the current directory, wins over .git */
	write_in(fx_path("g1/other.git/config"), ORIGIN "\turl = from-GIT_DIR\n");
	setenv("GIT_DIR", "../../other.git", 1);
	r = id_in(fx_path("g1/a/b"), &id);
	ok(r == PROJECT_GIT && strcmp(id, "from-GIT_DIR") == 0,
	    "GIT_DIR, relative: %s", id);
	setenv("GIT_DIR", fx_path("g1/a"), 1);
	r = id_in(fx_path("g1/a/b"), &id);
	cwd = cwd_of(fx_path("g1/a/b"));
	ok(r == PROJECT_DIRECTORY && strcmp(id, cwd) == 0,
	    "GIT_DIR without a config: the directory, not .git above");
	unsetenv("GIT_DIR");

	/* a repository without origin, or with an empty url */
	write_in(fx_path("g4/.git/config"), "[remote \"upstream\"]\n\turl = u\n");
	r = id_in(fx_path("g4"), &id);
	cwd = cwd_of(fx_path("g4"));
	ok(r == PROJECT_DIRECTORY && strcmp(id, cwd) == 0,
	    "no origin: the directory");
	write_in(fx_path("g4/.git/config"), ORIGIN "\turl\n");
	r = id_in(fx_path("g4"), &id);
	ok(r == PROJECT_DIRECTORY && strcmp(id, cwd) == 0,
	    "a bare url (empty, as git prints it): the directory");
	write_in(fx_path("g4/.git/config"), ORIGIN "\turl = \"unterminated\n");
	r = id_in(fx_path("g4"), &id);
	ok(r == PROJECT_DIRECTORY && strcmp(id, cwd) == 0,
	    "a config git would refuse: the directory");
	write_in(fx_path("g5/.git"), "not a gitdir line\n");
	r = id_in(fx_path("g5"), &id);
	cwd = cwd_of(fx_path("g5"));
	if (isolated)
		ok(r == PROJECT_DIRECTORY && strcmp(id, cwd) == 0,
		    "a .git file without a gitdir line: no repository");
	else
		ok(1, "a .git file without a gitdir line: no repository # SKIP "
		    "%s is inside a git repository", fx_root);
}

static void
test_directory(void)
{
	const char *id, *cwd;
	int r;

	write_in(fx_path("plain/deep/keep"), "");
	cwd = cwd_of(fx_path("plain/deep"));
	if (!isolated) {
		ok(1, "no package.json, no git: the directory # SKIP %s is "
		    "inside a git repository", fx_root);
		return;
	}
	r = id_in(fx_path("plain/deep"), &id);
	is_int(r, PROJECT_DIRECTORY, "no package.json, no git: the directory");
	is_str(id, cwd, "... as getcwd gives it");
}

int
main(void)
{
	fx_setup("t-project");
	isolated = !git_above(fx_root);
	test_package_json();
	test_git();
	test_directory();
	ok(fx_cleanup() == 0, "the temporary directory is removed");
	return done();
}
