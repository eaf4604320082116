/* project: see project.h. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "env.h"
#include "json.h"
#include "gitconfig.h"
#include "project.h"

#define PROJECT_PATH_MAX 4096

/* ./package.json's name@version; 0 if there is none we can use. */
static int
package_json(struct buf *out)
{
	static const struct {
		const char *key, *missing;
	} part[] = { { "name", "unknown" }, { "version", "0.0.0" } };
	struct json_doc doc;
	struct json_err err;
	struct buf text;
	size_t i;
	int k, found = 0;

	buf_init(&text, JSON_MAX_TEXT);
	if (buf_read_file(&text, "package.json", 0, NULL) != 0 ||
	    json_parse(&doc, text.data, text.len, &err) != 0)
		goto done;
	if (json_typeof(&doc, JSON_ROOT) == JSON_OBJECT) {
		for (i = 0; i < 2; i++) {
			if (i == 1)
				buf_addc(out, '@');
			k = json_get(&doc, JSON_ROOT, part[i].key);
			/* JavaScript's `x || default`: "" is missing too. */
			if (json_nonempty(&doc, k))
				json_decode_string(&doc, k, out);
			else
				buf_adds(out, part[i].missing);
		}
		found = 1;
	}
	json_free(&doc);
done:
	buf_free(&text);
	return found;
}

/* Join dir and a possibly relative path into out.  0 or -1. */
static int
join(char *out, size_t outlen, const char *dir, const char *path)
{
	int n;

	if (path[0] == '/')
		n = snprintf(out, outlen, "%s", path);
	else
		n = snprintf(out, outlen, "%s/%s", dir, path);
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

/* The first line of a small file, without its newline.  0 or -1. */
static int
first_line(const char *path, char *out, size_t outlen)
{
	struct buf b;
	size_t k;
	int r = -1;

	buf_init(&b, outlen - 1);
	if (buf_read_file(&b, path, 0, NULL) == 0 && b.len > 0) {
		for (k = 0; k < b.len && b.data[k] != '\n' && b.data[k] != '\r'; k++)
			;
		memcpy(out, b.data, k);
		out[k] = '\0';
		r = 0;
	}
	buf_free(&b);
	return r;
}

/* The repository's git directory, as git would find it from here. */
static int
find_gitdir(char *out, size_t outlen)
{
	char dir[PROJECT_PATH_MAX], dotgit[PROJECT_PATH_MAX], line[PROJECT_PATH_MAX];
	const char *v;
	struct stat sb;
	char *slash;

	if ((v = env_get("GIT_DIR")) != NULL)
		return join(out, outlen, ".", v);
	if (getcwd(dir, sizeof dir) == NULL)
		return -1;
	for (;;) {
		if (join(dotgit, sizeof dotgit, strcmp(dir, "/") == 0 ? "" : dir,
		    ".git") != 0)
			return -1;
		if (stat(dotgit, &sb) == 0) {
			if (S_ISDIR(sb.st_mode))
				return join(out, outlen, ".", dotgit);
			if (S_ISREG(sb.st_mode) &&
			    first_line(dotgit, line, sizeof line) == 0 &&
			    strncmp(line, "gitdir: ", 8) == 0)
				return join(out, outlen, dir, line + 8);
		}
		if (strcmp(dir, "/") == 0)
			return -1;
		slash = strrchr(dir, '/');
		if (slash == dir)
			dir[1] = '\0';
		else
			*slash = '\0';
	}
}

/* The git remote origin URL; 0 if there is none. */
static int
git_origin(struct buf *out)
{
	char gitdir[PROJECT_PATH_MAX], path[PROJECT_PATH_MAX], line[PROJECT_PATH_MAX];
	struct buf text;
	int found = 0;
	size_t before = out->len;

	if (find_gitdir(gitdir, sizeof gitdir) != 0)
		return 0;
	/* A linked worktree keeps its config in the common directory. */
	if (join(path, sizeof path, gitdir, "commondir") == 0 &&
	    first_line(path, line, sizeof line) == 0 &&
	    join(path, sizeof path, gitdir, line) == 0 &&
	    strlen(path) + 1 < sizeof gitdir)
		strcpy(gitdir, path);
	if (join(path, sizeof path, gitdir, "config") != 0)
		return 0;
	buf_init(&text, GITCONFIG_MAX);
	if (buf_read_file(&text, path, 0, NULL) == 0 &&
	    gitconfig_get(text.data, text.len, "remote", "origin", "url",
	    out) == 1)
		found = out->len > before;
	buf_free(&text);
	return found;
}

int
project_id(struct buf *out)
{
	char cwd[PROJECT_PATH_MAX];

	if (package_json(out))
		return PROJECT_PACKAGE_JSON;
	if (git_origin(out))
		return PROJECT_GIT;
	if (getcwd(cwd, sizeof cwd) == NULL)
		return -1;
	buf_adds(out, cwd);
	return PROJECT_DIRECTORY;
}
