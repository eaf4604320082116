/* env: see env.h. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "env.h"

static char app[APP_MAX + 1] = APP_DEFAULT;
static char disabled_var[APP_MAX + sizeof SUFFIX_DISABLED];
static char debug_var[APP_MAX + sizeof SUFFIX_DEBUG];
static int initialized;

static int
app_valid(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > APP_MAX || s[0] == '.' || s[0] == '-')
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

/* "my-tool" + "_TELEMETRY_DISABLED" -> "MY_TOOL_TELEMETRY_DISABLED" */
static void
derive(char *out, const char *name, const char *suffix)
{
	size_t i;

	for (i = 0; name[i] != '\0'; i++) {
		char c = name[i];
		if (c >= 'a' && c <= 'z')
			out[i] = (char)(c - 'a' + 'A');
		else if (c >= '0' && c <= '9')
			out[i] = c;
		else
			out[i] = '_';
	}
	strcpy(out + i, suffix);
}

int
env_init(void)
{
	const char *v = env_get(ENV_APP);
	int ok = 1;

	if (initialized)
		return 0;
	initialized = 1;
	if (v != NULL) {
		if (app_valid(v))
			strcpy(app, v);
		else
			ok = 0;
	}
	derive(disabled_var, app, SUFFIX_DISABLED);
	derive(debug_var, app, SUFFIX_DEBUG);
	return ok ? 0 : -1;
}

const char *
env_app(void)
{
	env_init();
	return app;
}

const char *
env_disabled_var(void)
{
	env_init();
	return disabled_var;
}

const char *
env_debug_var(void)
{
	env_init();
	return debug_var;
}

const char *
env_get(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

int
env_truthy(const char *v)
{
	return v != NULL && v[0] != '\0' && strcmp(v, "0") != 0 &&
	    strcasecmp(v, "false") != 0;
}

int
env_debug(void)
{
	return env_truthy(getenv(env_debug_var())) ||
	    env_truthy(getenv(ENV_DEBUG));
}
