/*
 * env: the environment variables xt reads, each named once here.
 *
 * One installed xt serves many tools: XT_APP names the tool ("xt" when
 * unset), and the tool's own variables derive from it by upper-casing
 * and turning every character that is not a letter or digit into '_':
 * XT_APP=xmcp reads XMCP_TELEMETRY_DISABLED and XMCP_DEBUG_TELEMETRY,
 * XT_APP=my-tool reads MY_TOOL_TELEMETRY_DISABLED.
 *
 * The application name is part of file paths, so it is checked: 1 to 64
 * bytes of [a-z0-9._-], not starting with '.' or '-'.
 */
#ifndef XT_ENV_H
#define XT_ENV_H

#define ENV_APP			"XT_APP"
#define ENV_CONFIG		"XT_CONFIG"
#define ENV_SYSCONFDIR		"XT_SYSCONFDIR"
#define ENV_DEBUG		"XT_DEBUG"
#define ENV_ENDPOINT		"XT_ENDPOINT"
#define ENV_FORMAT		"XT_FORMAT"
#define ENV_CA_FILE		"XT_CA_FILE"
/* read by the curl tool, not by libcurl: xt-post reads them as curl does */
#define ENV_CURL_CA_BUNDLE	"CURL_CA_BUNDLE"
#define ENV_SSL_CERT_FILE	"SSL_CERT_FILE"
#define ENV_SSL_CERT_DIR	"SSL_CERT_DIR"
#define ENV_NOTICE_URL		"XT_NOTICE_URL"
#define ENV_SYSROOT		"XT_SYSROOT"
#define ENV_DO_NOT_TRACK	"DO_NOT_TRACK"
#define SUFFIX_DISABLED		"_TELEMETRY_DISABLED"
#define SUFFIX_DEBUG		"_DEBUG_TELEMETRY"

#define APP_DEFAULT	"xt"
#define APP_MAX		64

/*
 * env_init: read and check XT_APP.  Returns 0, or -1 when XT_APP is set
 * but not a valid name (the name is then the default, so messages can
 * still be printed).  Called by xt_init; idempotent.
 */
int env_init(void);

const char *env_app(void);		/* "xt", "xmcp", ... */
const char *env_disabled_var(void);	/* "XT_TELEMETRY_DISABLED", ... */
const char *env_debug_var(void);	/* "XT_DEBUG_TELEMETRY", ... */

/*
 * env_get: getenv, but an empty value counts as unset (returns NULL),
 * as a user who writes FOO= means "no FOO".
 */
const char *env_get(const char *name);

/*
 * env_truthy: whether a flag variable's value turns its feature on:
 * anything but unset, empty, "0" or (case-insensitively) "false".
 */
int env_truthy(const char *value);

/* Debug mode: <APP>_DEBUG_TELEMETRY or XT_DEBUG truthy. */
int env_debug(void);

#endif
