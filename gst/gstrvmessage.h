/*
 * gstrvmessage.h — the fields every per-stream element message of the
 * plugin shares (rvclassify's "rvclassify", rvtemporalhead's "rvmotion"):
 * which stream it is about, and when, on the two clocks applications match
 * messages by.
 *
 *   node, antenna   (guint) the stream (antenna 255: feature-state stream)
 *   stream-time     (guint64 ns) the buffer's PTS as segment stream time:
 *                   for a replayed capture, the capture's own timeline
 *   arrival         (guint64 ns) pipeline clock time on receipt (rvcsisrc),
 *                   or the capture timestamp (parsers); NONE if unknown
 */
#ifndef GST_RV_MESSAGE_H
#define GST_RV_MESSAGE_H

#include <gst/gst.h>

#include "gstrvcsimeta.h"

G_BEGIN_DECLS

/* A new structure `name` with node and antenna, then the NULL-terminated
 * fields given as for gst_structure_new(). */
GstStructure *gst_rv_stream_structure_new (const gchar * name, guint node,
    guint antenna, const gchar * firstfield, ...) G_GNUC_NULL_TERMINATED;

/* buf's PTS as stream time in segment (GST_CLOCK_TIME_NONE without one). */
GstClockTime gst_rv_buffer_stream_time (const GstSegment * segment,
    GstBuffer * buf);

/* Appends stream-time and arrival (from pm; NONE without one). */
void gst_rv_stream_structure_add_times (GstStructure * s,
    GstClockTime stream_time, const GstRvCsiPacketMeta * pm);

/* Posts and empties msgs (GstMessage), oldest first: elements queue their
 * messages while they hold their object lock and post them once unlocked. */
void gst_rv_post_queued_messages (GstElement * element, GQueue * msgs);

G_END_DECLS
#endif /* GST_RV_MESSAGE_H */
