/*
 * gstrvpacketfilter.h — the packet filter shared by the sources
 * (rvcsisrc, rvcsiparse, rvcsitextparse).
 *
 * One GstRvPacketFilter per element owns admission (kernel decode, node
 * allowlist, kind filter), the counters behind the `stats` property
 * (gstrvcsistats.h) and the lock that guards them. Every call takes that
 * lock itself; elements never hold their object lock while calling in, so
 * the two locks never nest.
 */
#ifndef GST_RV_PACKET_FILTER_H
#define GST_RV_PACKET_FILTER_H

#include <gst/gst.h>
#include "gstrvcsistats.h"

G_BEGIN_DECLS

typedef struct _GstRvPacketFilter GstRvPacketFilter;

/* `owner` is the element (not referenced: it owns the filter); `stats_name`
 * names the stats structure, e.g. "rvcsisrc-stats". */
GstRvPacketFilter *gst_rv_packet_filter_new (GstElement * owner,
    const gchar * stats_name);
void gst_rv_packet_filter_free (GstRvPacketFilter * f);

/* Clears counters and sequence state; the filters stay. */
void gst_rv_packet_filter_reset (GstRvPacketFilter * f);

/* Node allowlist "1,2,5-8" and kind list "csi-raw,feature-state"; NULL or
 * "" accepts all. FALSE + error (filter unchanged) if malformed. */
gboolean gst_rv_packet_filter_set_nodes (GstRvPacketFilter * f,
    const gchar * spec, GError ** err);
gboolean gst_rv_packet_filter_set_kinds (GstRvPacketFilter * f,
    const gchar * spec, GError ** err);

/* Validates one packet. TRUE: accepted, *info filled. FALSE: dropped and
 * counted. */
gboolean gst_rv_packet_filter_admit (GstRvPacketFilter * f,
    const guint8 * data, gsize len, GstClockTime now,
    GstRvCsiPacketInfo * info);
/* Counts a packet dropped before admission: by kernel status (text lines
 * that do not parse) or as oversize (status RV_OK). */
void gst_rv_packet_filter_reject (GstRvPacketFilter * f, guint status);
void gst_rv_packet_filter_reject_oversize (GstRvPacketFilter * f);

/* Recomputes per-node rates over the time since the previous snapshot. */
void gst_rv_packet_filter_snapshot (GstRvPacketFilter * f, GstClockTime now);
/* The counters as a new structure (docs/elements.md, Counters). */
GstStructure *gst_rv_packet_filter_stats (GstRvPacketFilter * f);

G_END_DECLS
#endif
