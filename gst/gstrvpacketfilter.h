/*
 * gstrvpacketfilter.h — the packet filter shared by the sources
 * (rvcsisrc, rvcsiparse, rvcsitextparse).
 *
 * One GstRvPacketFilter per element owns admission (kernel decode, node
 * allowlist, kind filter), the counters behind the `stats` property
 * (gstrvcsistats.h), the properties `allowed-nodes`, `kinds` and `stats`
 * (specs, get/set) and the lock that guards all of them. Where a source
 * address exists (rvcsisrc) it adds `allowed-sources` (CIDR allowlist,
 * kernel rv_net.h) and `source-rate-limit` (token bucket per address,
 * kernel rv_ratelimit.h); the parsers see no addresses and do not install
 * them. The properties behave the same in every source: a valid new value
 * applies at once, also in PLAYING; a malformed one is refused with a
 * warning on the bus (the previous filter stays in force) and, if still
 * set, fails the element's start with an error.
 *
 * Locking: every call takes the filter's lock itself. Elements keep their
 * own fields under the object lock and never call the filter while holding
 * it, so the two locks never nest.
 */
#ifndef GST_RV_PACKET_FILTER_H
#define GST_RV_PACKET_FILTER_H

#include <gst/gst.h>
#include "gstrvcsistats.h"
#include "rv_net.h"

G_BEGIN_DECLS

typedef struct _GstRvPacketFilter GstRvPacketFilter;

/* Property ids from here on belong to the filter; an element numbers its
 * own properties below it. */
#define GST_RV_PACKET_FILTER_PROP_FIRST 0x100

typedef enum {
  GST_RV_PACKET_FILTER_PACKETS = 0,         /* allowed-nodes, kinds, stats */
  GST_RV_PACKET_FILTER_SOURCES = 1 << 0,    /* + allowed-sources, source-rate-limit */
} GstRvPacketFilterProps;

/* Entries in allowed-sources; addresses the rate limit tracks at once. */
#define GST_RV_PACKET_FILTER_MAX_CIDRS    64
#define GST_RV_PACKET_FILTER_MAX_SOURCES  1024

/* Installs the filter's properties on an element class whose instances keep
 * their GstRvPacketFilter pointer at `filter_offset` (field properties of
 * gstrvprops.h whose set and get run in the filter, under its lock).
 * `stats_blurb` describes the element's stats property. */
void gst_rv_packet_filter_install_properties (GObjectClass * klass,
    GstRvPacketFilterProps which, gsize filter_offset,
    const gchar * stats_blurb);
/* For the element's start: FALSE, with an error posted on the element,
 * while a filter property holds a malformed value. */
gboolean gst_rv_packet_filter_start (GstRvPacketFilter * f);

/* `owner` is the element (not referenced: it owns the filter); `stats_name`
 * names the stats structure, e.g. "rvcsisrc-stats". */
GstRvPacketFilter *gst_rv_packet_filter_new (GstElement * owner,
    const gchar * stats_name);
void gst_rv_packet_filter_free (GstRvPacketFilter * f);

/* Clears counters and sequence state; the filters stay. */
void gst_rv_packet_filter_reset (GstRvPacketFilter * f);

/* For elements with source addresses, before anything else is looked at:
 * TRUE if `src` (IPv4-mapped addresses unmapped, rv_net_addr_unmap) passes
 * allowed-sources and source-rate-limit at `arrival` (any monotonic clock;
 * GST_CLOCK_TIME_NONE skips the rate limit). FALSE: the datagram is
 * counted as received and dropped-source-filter / dropped-rate-limit. */
gboolean gst_rv_packet_filter_admit_source (GstRvPacketFilter * f,
    const rv_net_addr * src, GstClockTime arrival);

/* Validates one packet. TRUE: accepted, *info filled. FALSE: dropped and
 * counted. */
gboolean gst_rv_packet_filter_admit (GstRvPacketFilter * f,
    const guint8 * data, gsize len, GstClockTime now,
    GstRvCsiPacketInfo * info);
/* The same for a datagram from `src` (NULL: unknown), which lets mesh
 * packets be attributed to their node (gst_rv_csi_stats_admit_from). */
gboolean gst_rv_packet_filter_admit_from (GstRvPacketFilter * f,
    const rv_net_addr * src, const guint8 * data, gsize len,
    GstClockTime now, GstRvCsiPacketInfo * info);
/* Count a packet dropped before admission: by kernel status (a text line
 * that does not parse), or as larger than the receive slot. */
void gst_rv_packet_filter_reject (GstRvPacketFilter * f, guint status);
void gst_rv_packet_filter_reject_oversize (GstRvPacketFilter * f);

/* Pushes node presence changes (gst_rv_csi_stats_presence) on pad as
 * rvcsi-node events (gstrvnodeevent.h), oldest first; call it unlocked.
 * `now` and the changes' times are in the admission time domain;
 * `to_running` maps them to the events' stream-time (NULL: unchanged). */
typedef GstClockTime (*GstRvToRunning) (gpointer user_data, GstClockTime t);
void gst_rv_packet_filter_push_presence (GstRvPacketFilter * f, GstPad * pad,
    GstClockTime now, gboolean all, GstRvToRunning to_running,
    gpointer user_data);

/* Recomputes per-node rates over the time since the previous snapshot. */
void gst_rv_packet_filter_snapshot (GstRvPacketFilter * f, GstClockTime now);
/* The counters as a new structure (docs/elements.md, Counters). */
GstStructure *gst_rv_packet_filter_stats (GstRvPacketFilter * f);

G_END_DECLS
#endif
