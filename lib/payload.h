/*
 * payload: merge JSON Lines fragments into one payload (DESIGN.md,
 * "Payload"), in xmcp's shape and key order:
 *
 *	{"context":{...},"meta":{...},"events":[...]}
 *
 * Each line is one JSON object (json.h's strict reader) of one of these
 * shapes; anything else is refused, naming the line:
 *   - an event: an object with a string "eventName" (and, from
 *     xt-event, "timestamp" and "fields"), appended to events;
 *   - an object whose keys are among "context" (an object), "meta" (an
 *     object) and "events" (an array of events): context and meta merge
 *     key by key, a later line's value winning in the earlier one's
 *     place (members.h); events are appended.  So a whole payload is a
 *     fragment too.
 * Lines of only white space are skipped.
 *
 * Context keys are written in xmcp's order (anonymousId, projectHash,
 * sessionId), then any others in the order first seen; meta keys in the
 * order first seen.  Values are written compactly, numbers as their
 * original text.
 */
#ifndef XT_PAYLOAD_H
#define XT_PAYLOAD_H

#include <stddef.h>

#include "json.h"
#include "members.h"
#include "buf.h"

#define PAYLOAD_MAX		(1 << 20)	/* bytes of payload we send */
#define PAYLOAD_MAX_KEYS	512		/* context and meta keys, each */

struct payload {
	struct members context, meta;	/* each at most PAYLOAD_MAX_KEYS */
	struct buf events;	/* event objects, comma-separated */
	size_t nevents;
	size_t line;		/* lines read so far */
	char why[256];		/* why the last call failed */
};

void payload_init(struct payload *p);
void payload_free(struct payload *p);

/*
 * payload_add_lines: every line of text[0..len) (the last one need not
 * end in a newline).  0, or -1 with p->why naming the line ("line 3:
 * not JSON: byte 5: trailing comma").
 */
int payload_add_lines(struct payload *p, const char *text, size_t len);

/*
 * payload_render: the payload as one line of JSON (no newline) into
 * out.  -1 with p->why when there are no events, or when it would be
 * over PAYLOAD_MAX bytes.
 */
int payload_render(struct payload *p, struct buf *out);

#endif
