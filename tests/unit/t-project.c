/*
 * t-project: lib/project through project.h: gitconfig_get on configs
 * that trip up readers (every expected value here is what git 2.39's
 * `git config -f FILE --get` gives), and project_id's order in
 * temporary directories: package.json, the git remote origin URL found
 * by every way git finds its directory, the current directory.
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

static const struct gc_case {
	const char *what, *text;
	const char *section, *subsection, *key;
	int r;
	const char *value;
} gc_cases[] = {
	{ "the plain form", ORIGIN "\turl = https://e/a.git\n",
	    "remote", "origin", "url", 1, "https://e/a.git" },
	{ "no newline at the end", ORIGIN "\turl = https://e/a.git",
	    "remote", "origin", "url", 1, "https://e/a.git" },
	{ "no spaces around =", ORIGIN "url=x\n", "remote", "origin", "url", 1,
	    "x" },
	{ "quoted ; and #", ORIGIN "\turl = \"https://x/a;b#c\" ; comment\n",
	    "remote", "origin", "url", 1, "https://x/a;b#c" },
	{ "an unquoted # starts a comment", ORIGIN "\turl = https://x/a # c\n",
	    "remote", "origin", "url", 1, "https://x/a" },
	{ "an unquoted ; starts a comment", ORIGIN "\turl = a;b\n",
	    "remote", "origin", "url", 1, "a" },
	{ "quotes in the middle", ORIGIN "\turl = a\"b c\"d\n",
	    "remote", "origin", "url", 1, "ab cd" },
	{ "escapes", ORIGIN "\turl = a\\\"b\\\\c\\nd\\te\\bf\n",
	    "remote", "origin", "url", 1, "a\"b\\c\nd\te\bf" },
	{ "escapes inside quotes", ORIGIN "\turl = \"\\\"\\t\"\n",
	    "remote", "origin", "url", 1, "\"\t" },
	{ "a line continuation", ORIGIN "\turl = abc\\\n   def\n",
	    "remote", "origin", "url", 1, "abc   def" },
	{ "a continuation inside quotes", ORIGIN "\turl = \"a\\\nb\"\n",
	    "remote", "origin", "url", 1, "ab" },
	{ "a continuation first: the blanks after it go",
	    ORIGIN "\turl = \\\n   x\n", "remote", "origin", "url", 1, "x" },
	{ "a backslash at the very end continues into nothing",
	    ORIGIN "\turl = abc\\", "remote", "origin", "url", 1, "abc" },
	{ "a comment ends a line, continuation and all",
	    ORIGIN "\turl = a ; c \\\n\tpushurl = y\n",
	    "remote", "origin", "url", 1, "a" },
	{ "blanks inside become spaces, around go",
	    ORIGIN "\turl = \t a\tb \t c \t\n", "remote", "origin", "url", 1,
	    "a b   c" },
	{ "a lone CR is a blank", ORIGIN "\turl = a\rb\r\n",
	    "remote", "origin", "url", 1, "a b" },
	{ "quoted blanks stay", ORIGIN "\turl = \"  a\t \" \n",
	    "remote", "origin", "url", 1, "  a\t " },
	{ "blanks after an empty quote go", ORIGIN "\turl = \"\"  x\n",
	    "remote", "origin", "url", 1, "x" },
	{ "form feed and vertical tab are no blanks",
	    ORIGIN "\turl = a\fb\v\n", "remote", "origin", "url", 1, "a\fb\v" },
	{ "an empty value", ORIGIN "\turl =\n", "remote", "origin", "url", 1, "" },
	{ "a bare key: found, empty", ORIGIN "\turl\n",
	    "remote", "origin", "url", 1, "" },
	{ "a bare key, then blanks", ORIGIN "\turl \t\n",
	    "remote", "origin", "url", 1, "" },
	{ "the old [remote.Origin] form: lower-cased",
	    "[remote.Origin]\n\turl = old\n", "remote", "origin", "url", 1, "old" },
	{ "... so it never matches Origin", "[remote.Origin]\n\turl = old\n",
	    "remote", "Origin", "url", 0, "" },
	{ "section and key in any case", "[REMOTE \"origin\"]\n\tURL = up\n",
	    "remote", "origin", "url", 1, "up" },
	{ "the subsection exactly", "[remote \"Origin\"]\n\turl = up\n",
	    "remote", "origin", "url", 0, "" },
	{ "an escape in the subsection", "[remote \"or\\igin\"]\n\turl = e\n",
	    "remote", "origin", "url", 1, "e" },
	{ "a tab before the subsection", "[remote\t\"origin\"]\n\turl = t\n",
	    "remote", "origin", "url", 1, "t" },
	{ "a key on the header's line", "[remote \"origin\"] url = inline\n",
	    "remote", "origin", "url", 1, "inline" },
	{ "the last value wins", ORIGIN "\turl = a\n[core]\n\turl = c\n"
	    ORIGIN "\turl = b\n\tURL = B\n", "remote", "origin", "url", 1, "B" },
	{ "another remote's url is not ours",
	    "[remote \"upstream\"]\n\turl = u\n", "remote", "origin", "url", 0,
	    "" },
	{ "a key of another section is not ours", "[core]\n\turl = c\n",
	    "remote", "origin", "url", 0, "" },
	{ "a similar key is not ours", ORIGIN "\turl2 = a\n\tpushurl = b\n"
	    "\tx-url = c\n", "remote", "origin", "url", 0, "" },
	{ "a section without subsection", "[core]\n\tbare = false\n",
	    "core", NULL, "bare", 1, "false" },
	{ "... does not match one with", "[core \"x\"]\n\tbare = false\n",
	    "core", NULL, "bare", 0, "" },
	{ "include.path is not followed", "[include]\n\tpath = other\n",
	    "remote", "origin", "url", 0, "" },
	{ "a byte-order mark", "\xef\xbb\xbf" ORIGIN "\turl = bom\n",
	    "remote", "origin", "url", 1, "bom" },
	{ "CRLF lines", "[remote \"origin\"]\r\n\turl = crlf\r\n",
	    "remote", "origin", "url", 1, "crlf" },
	{ "comments and blank lines", "# c\n; c\n\n  \t\n" ORIGIN
	    "  # c\n\turl = c ; c\n", "remote", "origin", "url", 1, "c" },
	{ "empty text", "", "remote", "origin", "url", 0, "" },
	/* what git refuses */
	{ "a header without its ]", ORIGIN "\turl = x\n[remote \"origin\"\n",
	    "remote", "origin", "url", -1, "" },
	{ "an unquoted subsection", "[remote origin]\n\turl = x\n",
	    "remote", "origin", "url", -1, "" },
	{ "a blank before ]", "[remote \"origin\" ]\n\turl = x\n",
	    "remote", "origin", "url", -1, "" },
	{ "a newline in the subsection", "[remote \"ori\ngin\"]\n\turl = x\n",
	    "remote", "origin", "url", -1, "" },
	{ "an unterminated header", "[remote", "remote", "origin", "url", -1,
	    "" },
	{ "a bad character in a section name", "[re*mote]\n",
	    "remote", "origin", "url", -1, "" },
	{ "a bad escape", ORIGIN "\turl = a\\qb\n", "remote", "origin", "url",
	    -1, "" },
	{ "an unterminated quote", ORIGIN "\turl = \"abc\n", "remote", "origin",
	    "url", -1, "" },
	{ "junk after a key", ORIGIN "\turl x\n", "remote", "origin", "url",
	    -1, "" },
	{ "a comment after a bare key", ORIGIN "\turl ; c\n",
	    "remote", "origin", "url", -1, "" },
	{ "a dot in a key", ORIGIN "\turl.x = y\n", "remote", "origin", "url",
	    -1, "" },
	{ "a key starting with a digit", ORIGIN "\t1url = y\n",
	    "remote", "origin", "url", -1, "" },
	{ "a form feed before a key", ORIGIN "\f url = y\n",
	    "remote", "origin", "url", -1, "" },
	{ "refused even after a match", ORIGIN "\turl = good\n\t= bad\n",
	    "remote", "origin", "url", -1, "" },
};

static void
test_gitconfig(void)
{
	const struct gc_case *c;
	struct buf out;
	size_t i;
	int r;

	for (i = 0; i < sizeof gc_cases / sizeof gc_cases[0]; i++) {
		c = &gc_cases[i];
		buf_init(&out, 4096);
		buf_adds(&out, "pre:");
		r = gitconfig_get(c->text, strlen(c->text), c->section,
		    c->subsection, c->key, &out);
		is_int(r, c->r, "gitconfig: %s: %d", c->what, c->r);
		if (r == 1)
			is_str(out.data + 4, c->value, "gitconfig: %s: the value",
			    c->what);
		else
			ok(out.len == 4, "gitconfig: %s: nothing appended",
			    c->what);
		buf_free(&out);
	}
}

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
	test_gitconfig();
	test_package_json();
	test_git();
	test_directory();
	ok(fx_cleanup() == 0, "the temporary directory is removed");
	return done();
}
