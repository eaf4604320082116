/* gitconfig: see gitconfig.h. */
#include <string.h>
#include <strings.h>

#include "gitconfig.h"

static int
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_alnum(char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9');
}

/* git's isspace, less the newline: not \f or \v. */
static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

struct gc {
	const char *s;
	size_t n, i;
};

/* The next character, with "\r\n" read as "\n" (as git does); -1 at the end. */
static int
gc_peek(const struct gc *g)
{
	if (g->i >= g->n)
		return -1;
	if (g->s[g->i] == '\r' && g->i + 1 < g->n && g->s[g->i + 1] == '\n')
		return '\n';
	return (unsigned char)g->s[g->i];
}

static void
gc_skip(struct gc *g)
{
	if (g->s[g->i] == '\r' && g->i + 1 < g->n && g->s[g->i + 1] == '\n')
		g->i++;
	g->i++;
}

static void
gc_skip_line(struct gc *g)
{
	int c;

	while ((c = gc_peek(g)) != -1 && c != '\n')
		gc_skip(g);
}

/*
 * "[section]", "[section \"sub\"]" or the old "[section.sub]".  Sets
 * *match.  0, or -1 on a malformed header.
 */
static int
gc_header(struct gc *g, const char *section, const char *subsection,
    int *match)
{
	char name[256], sub[1024];
	size_t nl = 0, sl = 0;
	int c, has_sub = 0;
	char *dot;

	gc_skip(g);	/* '[' */
	while ((c = gc_peek(g)) != -1 && (is_alnum((char)c) || c == '-' ||
	    c == '.')) {
		if (nl + 1 >= sizeof name)
			return -1;
		name[nl++] = (char)c;
		gc_skip(g);
	}
	name[nl] = '\0';
	if (c == ']') {
		gc_skip(g);
		if ((dot = strchr(name, '.')) != NULL) {
			/* The old form: the subsection is lower-cased. */
			*dot = '\0';
			for (sl = 0; dot[1 + sl] != '\0'; sl++)
				sub[sl] = (char)(dot[1 + sl] >= 'A' &&
				    dot[1 + sl] <= 'Z' ? dot[1 + sl] - 'A' + 'a' :
				    dot[1 + sl]);
			sub[sl] = '\0';
			has_sub = 1;
		}
	} else if (c == ' ' || c == '\t') {
		while ((c = gc_peek(g)) == ' ' || c == '\t')
			gc_skip(g);
		if (c != '"')
			return -1;
		gc_skip(g);
		for (;;) {
			c = gc_peek(g);
			if (c == -1 || c == '\n')
				return -1;
			gc_skip(g);
			if (c == '"')
				break;
			if (c == '\\') {
				/* \" and \\; before anything else, dropped */
				c = gc_peek(g);
				if (c == -1 || c == '\n')
					return -1;
				gc_skip(g);
			}
			if (sl + 1 >= sizeof sub)
				return -1;
			sub[sl++] = (char)c;
		}
		sub[sl] = '\0';
		has_sub = 1;
		if (gc_peek(g) != ']')
			return -1;
		gc_skip(g);
	} else
		return -1;
	if (nl == 0)
		return -1;
	*match = strcasecmp(name, section) == 0 &&
	    (subsection == NULL ? !has_sub :
	    has_sub && strcmp(sub, subsection) == 0);
	return 0;
}

/*
 * A value after '=', up to the end of the line, into val, as git's
 * parse_value reads it: unquoted white space is dropped before the
 * value and after it, and inside it each such character becomes a
 * space; "..." quotes; \" \\ \n \t \b escape; a backslash before the
 * end of the line (or of the text) continues the value; ';' or '#'
 * outside quotes starts a comment.  0, or -1 where git fails too.
 */
static int
gc_value(struct gc *g, struct buf *val)
{
	int c, quoted = 0;
	size_t space = 0;	/* white space not yet known to be inside */

	for (;;) {
		c = gc_peek(g);
		if (c == -1 || c == '\n')
			return quoted ? -1 : 0;
		gc_skip(g);
		if (!quoted && is_blank((char)c)) {
			if (val->len > 0)
				space++;
			continue;
		}
		if (!quoted && (c == '#' || c == ';')) {
			gc_skip_line(g);
			return 0;
		}
		for (; space > 0; space--)
			buf_addc(val, ' ');
		if (c == '"') {
			quoted = !quoted;
			continue;
		}
		if (c == '\\') {
			c = gc_peek(g);
			if (c == -1)
				continue;	/* git reads the end as a newline */
			gc_skip(g);
			switch (c) {
			case '\n': continue;	/* line continuation */
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'b': c = '\b'; break;
			case '"': case '\\': break;
			default: return -1;
			}
		}
		buf_addc(val, (char)c);
	}
}

int
gitconfig_get(const char *text, size_t n, const char *section,
    const char *subsection, const char *key, struct buf *out)
{
	struct gc g = { text, n, 0 };
	struct buf val, last;
	char name[256];
	size_t nl;
	int c, match = 0, found = 0, r = -1;

	buf_init(&val, n + 1);
	buf_init(&last, n + 1);
	if (n >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		g.i = 3;	/* a byte-order mark, as git skips it */
	while ((c = gc_peek(&g)) != -1) {
		if (c == '\n' || is_blank((char)c)) {
			gc_skip(&g);
			continue;
		}
		if (c == '#' || c == ';') {
			gc_skip_line(&g);
			continue;
		}
		if (c == '[') {
			if (gc_header(&g, section, subsection, &match) != 0)
				goto out;
			continue;
		}
		if (!is_alpha((char)c))
			goto out;
		for (nl = 0; (c = gc_peek(&g)) != -1 &&
		    (is_alnum((char)c) || c == '-'); gc_skip(&g)) {
			if (nl + 1 >= sizeof name)
				goto out;
			name[nl++] = (char)c;
		}
		name[nl] = '\0';
		while ((c = gc_peek(&g)) == ' ' || c == '\t')
			gc_skip(&g);
		buf_reset(&val);
		if (c == '=') {
			gc_skip(&g);
			if (gc_value(&g, &val) != 0)
				goto out;
		} else if (c != -1 && c != '\n')
			goto out;
		/* else a bare name (a boolean true): git config --get
		 * prints it as an empty value */
		if (match && strcasecmp(name, key) == 0) {
			buf_reset(&last);
			buf_add(&last, val.data, val.len);
			found = 1;
		}
	}
	if (found)
		buf_add(out, last.data, last.len);
	r = found;
out:
	buf_free(&val);
	buf_free(&last);
	return r;
}
