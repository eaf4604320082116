/*
 * rows: a merged payload (payload.h) as rows, one flat JSON object per
 * event, for a table that loads JSON Lines (ClickHouse's JSONEachRow;
 * DESIGN.md, "Where events land"):
 *
 *	{"anonymousId":...,"projectHash":...,"sessionId":...,
 *	 <each meta key>:...,"eventIndex":0,"eventName":...,
 *	 "timestamp":"2026-11-24T17:21:00.001Z","fields":"{\"n\":1}"}
 *
 * Each row holds, in this order: the context keys (xmcp's order, then
 * others as first seen), the meta keys (as first seen), eventIndex (the
 * event's 0-based position in the batch: with the sessionId it names
 * the row, so a resent batch can be recognised), eventName and
 * timestamp as the event has them, and fields as one JSON string whose
 * content is the event's fields object written compactly ("{}" when the
 * event has none); numbers everywhere keep their original text.  Rows
 * are separated by '\n'; there is none after the last.
 *
 * What a row cannot carry is refused (-1, p->why naming the event by its
 * 1-based position), so a table never gets a row it cannot load:
 *   - no context sessionId that is a non-empty string;
 *   - a key that would appear twice in a row (a meta key that is also a
 *     context key, or either one named eventIndex, eventName, timestamp
 *     or fields);
 *   - an event with a key other than eventName, timestamp and fields,
 *     with fields that are not an object, or with no timestamp of
 *     exactly the form YYYY-MM-DDTHH:MM:SS.sssZ (what xt-event and
 *     JavaScript's toISOString() write) for a real UTC date and time in
 *     the years 1970 to 2105 (what a ClickHouse DateTime holds);
 *   - rows over ROWS_MAX bytes in all.
 */
#ifndef XT_ROWS_H
#define XT_ROWS_H

#include "payload.h"
#include "util.h"

/*
 * Rows repeat the context and meta for every event, so they are larger
 * than the payload they come from; the payload's own caps bound them.
 */
#define ROWS_MAX	(16 << 20)

/*
 * rows_render: p's rows into out (the caller's, with a max of at least
 * ROWS_MAX to hold the largest).  0, or -1 with p->why saying why (out
 * then holds part of the rows: do not send it).
 */
int rows_render(struct payload *p, struct buf *out);

/*
 * rows_timestamp_ok: whether s[0..n) is a timestamp a row may carry
 * (see above).  1 or 0.
 */
int rows_timestamp_ok(const char *s, size_t n);

#endif
