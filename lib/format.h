/*
 * format: the shape xt-post sends a batch in, and which one this run
 * uses.  FORMAT_PAYLOAD is xmcp's payload (payload.h), FORMAT_ROWS one
 * flat object per event for a table (rows.h).  One place for the
 * choice, so that xt-flush -n and sent.jsonl show what xt-post sends:
 *
 *   the flag (xt-post -F), else $XT_FORMAT, else "telemetry.format" in
 *   the user's config, else payload.
 *
 * A value that is neither "payload" nor "rows" is bad input wherever it
 * is: the caller exits 2 with why, which names where it was (never the
 * config's other content).
 */
#ifndef XT_FORMAT_H
#define XT_FORMAT_H

#include <stddef.h>

#include "buf.h"
#include "payload.h"
#include "store.h"

enum format { FORMAT_PAYLOAD, FORMAT_ROWS };

/* "payload" or "rows": the format; anything else -1. */
int format_parse(const char *s);

/*
 * format_choose: the format for this run (see above); flag may be NULL.
 * The format, or -1 with why ("XT_FORMAT='x': payload or rows
 * expected").
 */
int format_choose(const char *flag, const struct store *st, char *why,
    size_t whylen);

/* The most bytes a batch takes in format f: the out->max it needs. */
size_t format_max(enum format f);

/*
 * format_render: p in format f into out (payload_render or
 * rows_render).  0, or -1 with p->why.
 */
int format_render(struct payload *p, enum format f, struct buf *out);

#endif
