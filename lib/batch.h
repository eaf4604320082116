/*
 * batch: check a received payload (DESIGN.md, "Payload") the way a
 * collector must before it stores anything, and take it apart into the
 * values of one row per event.
 *
 * A batch is what xt-post sends: one JSON object (json.h's strict
 * reader) with exactly the keys
 *   - "context": an object with "anonymousId" and "sessionId" and,
 *     optionally, "projectHash", each 64 lowercase hex digits; any other
 *     key must hold 64 lowercase hex digits too (xt-hash -k KEY) and is
 *     kept in context_extra;
 *   - "meta": an object; the keys xt-meta writes must have its types
 *     (platform, systemRelease, arch, cpuModel: strings; cpuCores,
 *     cpuSpeed, memoryTotal: whole numbers; isDocker, isWsl, isCI:
 *     booleans; ciName: a string or null), any of them may be missing,
 *     and any other key (xt-meta -k) is kept in meta_extra;
 *   - "events": an array of 1 to BATCH_MAX_EVENTS objects, each with
 *     "eventName" (1 to 128 bytes of printable UTF-8, as xt-event
 *     allows), "timestamp" (YYYY-MM-DDTHH:MM:SS.sssZ, a real UTC time,
 *     as xt-event writes it) and optionally "fields" (an object), and no
 *     other key.
 * Strings in meta are at most BATCH_MAX_STRING bytes with no control
 * characters, so a report can print them.  The text is at most
 * JSON_MAX_TEXT (1 MiB) bytes.
 *
 * Anything else is refused with a one-line reason in err that names
 * the place ("events[2].timestamp: not YYYY-MM-DDTHH:MM:SS.sssZ").
 * Values are decoded; fields, context_extra and meta_extra are compact
 * JSON text (json_encode_value), numbers as their original text.
 */
#ifndef XT_BATCH_H
#define XT_BATCH_H

#include <stddef.h>

#include "buf.h"

#define BATCH_MAX_EVENTS	1000
#define BATCH_MAX_STRING	1024
#define BATCH_NAME_MAX		128	/* bytes of an event name */
#define BATCH_HEX_ID		64	/* hex digits of an id */

/* A string in batch.text: [off, off + len).  set is 0 when absent. */
struct batch_str {
	size_t off, len;
	int set;
};

/* A whole number from meta; set is 0 when absent. */
struct batch_int {
	long long v;
	int set;
};

struct batch_event {
	struct batch_str name;
	char timestamp[25];		/* YYYY-MM-DDTHH:MM:SS.sssZ */
	struct batch_str fields;	/* "{}" when absent */
};

struct batch {
	char anonymous_id[BATCH_HEX_ID + 1];
	char session_id[BATCH_HEX_ID + 1];
	char project_hash[BATCH_HEX_ID + 1];	/* "" when absent */
	struct batch_str context_extra;		/* unset when none */
	struct batch_str platform, system_release, arch, cpu_model, ci_name;
	struct batch_int cpu_cores, cpu_speed, memory_total;
	int is_docker, is_wsl, is_ci;		/* 0, 1, or -1 when absent */
	struct batch_str meta_extra;		/* unset when none */
	struct batch_event event[BATCH_MAX_EVENTS];
	size_t nevents;
	struct buf text;	/* owns every batch_str's bytes */
	char why[200];
};

/*
 * batch_parse: check text[0..len) and fill b (which the caller need
 * not clear: batch_parse does; a struct batch is large, keep it static
 * or on the heap).  0, or -1 with b->why.  Call batch_free after
 * either.  Time and memory are linear in len.
 */
int batch_parse(struct batch *b, const char *text, size_t len);
void batch_free(struct batch *b);

/* The bytes of s (not NUL-terminated; s->len of them). */
const char *batch_bytes(const struct batch *b, const struct batch_str *s);

/*
 * The rules above for one value, for programs that make them:
 * batch_name_problem says why name[0..n) is not an event name, or NULL;
 * batch_time_ok tells whether s[0..n) is a timestamp as xt-event
 * writes it.
 */
const char *batch_name_problem(const char *name, size_t n);
int batch_time_ok(const char *s, size_t n);

#endif
