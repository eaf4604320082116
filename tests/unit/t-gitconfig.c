/*
 * t-gitconfig: lib/gitconfig through gitconfig.h, on configs that trip
 * up readers; every expected value here is what git 2.39's
 * `git config -f FILE --get` gives.
 */
#include <string.h>

#include "lib/gitconfig.h"
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

int
main(void)
{
	test_gitconfig();
	return done();
}
