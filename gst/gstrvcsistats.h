/*
 * gstrvcsistats.h — packet admission and counters behind the sources'
 * packet filter (gstrvpacketfilter.h).
 *
 * One GstRvCsiStats per filter: validates a datagram with the kernel decoder,
 * applies the node allowlist and kind filter, tracks per (node, kind)
 * sequence gaps and per-node counters. Node ids are one byte on the wire, so
 * the per-node tables are fixed arrays of 256 entries: memory does not grow
 * whatever node ids hostile traffic claims. Not thread-safe; the owning
 * GstRvPacketFilter serialises calls with its lock.
 */
#ifndef GST_RVCSI_STATS_H
#define GST_RVCSI_STATS_H

#include <gst/gst.h>
#include "gstrvcsimeta.h"
#include "rv_net.h"
#include "rv_seq.h"

G_BEGIN_DECLS

#define GST_RV_CSI_N_NODES 256
#define GST_RV_CSI_N_STATUS 128
#define GST_RV_CSI_SEQ_KINDS 4

typedef struct {
  guint64 packets;
  guint64 bytes;
  guint64 seq_skipped;     /* sequence numbers jumped over (not all lost:
                            * the firmware counts before its send gate) */
  guint64 reordered;       /* skipped numbers that arrived late */
  guint64 duplicates;
  guint64 reboots;         /* sequence restarts (rv_seq.h) */
  guint64 snap_packets;    /* packets at the last rate snapshot */
  gdouble rate;            /* packets/s over the last snapshot interval */
  GstClockTime last_seen;
  guint32 interval_us;     /* smoothed arrival interval, all kinds (0 = unknown) */
  guint8 presence;         /* GstRvNodePresence */
  guint64 offline_count;   /* times it went offline */
  guint32 freq_mhz;        /* frequency of its last raw CSI frame */
  guint64 channel_changes; /* raw CSI frames on a new frequency */
  rv_net_addr source;      /* sender of its last raw CSI packet */
} GstRvCsiNodeStats;

typedef enum {
  GST_RV_NODE_UNSEEN = 0,
  GST_RV_NODE_ONLINE,
  GST_RV_NODE_OFFLINE,
} GstRvNodePresence;

/* A node went offline or came back, at `time` (the admission time domain:
 * what the element passes as `now`). */
typedef struct {
  guint8 node;
  gboolean online;
  GstClockTime time;
} GstRvNodeChange;

/* A node is offline after max(GST_RV_NODE_OFFLINE_MIN, 5 of its own packet
 * intervals) without a packet. */
#define GST_RV_NODE_OFFLINE_MIN (5 * GST_SECOND)
#define GST_RV_NODE_OFFLINE_INTERVALS 5
/* Room gst_rv_csi_stats_presence() may need: every node back and offline. */
#define GST_RV_NODE_CHANGES_MAX (2 * GST_RV_CSI_N_NODES)

/* GstRvCsiStats.count: the stats structure's plain counters, in its field
 * order ("dropped" and the dropped-<reason> fields stand between BYTES and
 * DROPPED_OVERSIZE). */
typedef enum {
  GST_RV_CSI_RECEIVED,          /* datagrams / buffers seen */
  GST_RV_CSI_ACCEPTED,
  GST_RV_CSI_BYTES,
  GST_RV_CSI_DROPPED_OVERSIZE,  /* datagram larger than the receive slot */
  GST_RV_CSI_MESH_NO_NODE,      /* mesh packets no node could be found for */
  GST_RV_CSI_DROPPED_NODE,      /* valid, but node not in the allowlist */
  GST_RV_CSI_DROPPED_KIND,      /* valid, but kind filtered out */
  GST_RV_CSI_DROPPED_SOURCE,    /* source address not in allowed-sources */
  GST_RV_CSI_DROPPED_RATE,      /* over source-rate-limit */
  GST_RV_CSI_N_COUNTERS
} GstRvCsiCounter;

typedef struct {
  /* admission */
  guint8 node_allow[GST_RV_CSI_N_NODES / 8];
  gboolean node_filter;    /* FALSE: every node id is accepted */
  guint32 kind_mask;       /* bit k set: GstRvCsiPacketKind k accepted */

  /* counters */
  guint64 count[GST_RV_CSI_N_COUNTERS];       /* GstRvCsiCounter */
  guint64 dropped_status[GST_RV_CSI_N_STATUS];  /* by kernel rv_status */
  guint64 kinds[GST_RV_CSI_KIND_COUNT];
  GstClockTime snap_time;
  GstRvCsiNodeStats nodes[GST_RV_CSI_N_NODES];
  /* per node and sequenced kind (raw CSI, features, feature state,
   * classification): GST_RV_CSI_N_NODES * GST_RV_CSI_SEQ_KINDS, owned */
  rv_seq_state *seq;
  /* presence changes found by admission, not yet taken */
  GstRvNodeChange pending[GST_RV_NODE_CHANGES_MAX];
  guint n_pending;
} GstRvCsiStats;

/* What admission learned about an accepted packet. */
typedef struct {
  guint8 node_id;
  guint8 kind;
  guint16 flags;
  guint32 seq;
  guint32 seq_gap;
} GstRvCsiPacketInfo;

void gst_rv_csi_stats_init (GstRvCsiStats * s);
/* Frees what init allocated. */
void gst_rv_csi_stats_finalize (GstRvCsiStats * s);
/* Clears counters and sequence state, keeps the filters. */
void gst_rv_csi_stats_clear (GstRvCsiStats * s);

/* "1,2,5-8" (ids 0..255); NULL or "" accepts all. FALSE + error if bad. */
gboolean gst_rv_csi_stats_set_nodes (GstRvCsiStats * s, const gchar * spec,
    GError ** err);
/* "csi-raw,feature-state" (kind nicks); NULL or "" accepts all. */
gboolean gst_rv_csi_stats_set_kinds (GstRvCsiStats * s, const gchar * spec,
    GError ** err);

/* Validate one packet. TRUE: accepted, *info filled. FALSE: dropped and
 * counted (by kernel status or filter). */
gboolean gst_rv_csi_stats_admit (GstRvCsiStats * s, const guint8 * data, gsize len,
    GstClockTime now, GstRvCsiPacketInfo * info);
/* The same for a datagram from `src` (NULL or RV_NET_NONE: unknown). Mesh packets carry no
 * one-byte node id: they are attributed to the node whose raw CSI comes
 * from the same address (when exactly one does); otherwise they count as
 * mesh traffic of no node (GST_RV_CSI_PACKET_FLAG_NO_NODE, mesh-no-node),
 * never as node 0. allowed-nodes filters attributed mesh packets by their
 * node and drops unattributed ones. */
gboolean gst_rv_csi_stats_admit_from (GstRvCsiStats * s,
    const rv_net_addr * src, const guint8 * data, gsize len,
    GstClockTime now, GstRvCsiPacketInfo * info);

/* Fill a packet meta from admission info. */
void gst_rv_csi_packet_meta_fill (GstRvCsiPacketMeta * m, const GstRvCsiPacketInfo * info,
    GstClockTime arrival);

/* Presence changes since the last call, oldest first: nodes that came back
 * (found by admission), then nodes silent for their offline time as of
 * `now` (GST_CLOCK_TIME_NONE: none), or every online node when `all` (end
 * of stream). An offline change is dated when the node's offline time ran
 * out, so the result does not depend on when this is called. Returns the
 * count written to out (room: GST_RV_NODE_CHANGES_MAX). */
guint gst_rv_csi_stats_presence (GstRvCsiStats * s, GstClockTime now,
    gboolean all, GstRvNodeChange * out);
/* max(5 s, 5 of the node's packet intervals). */
GstClockTime gst_rv_csi_stats_offline_after (const GstRvCsiNodeStats * n);

/* Recompute per-node rates over the time since the previous snapshot. */
void gst_rv_csi_stats_snapshot (GstRvCsiStats * s, GstClockTime now);

/* Counters as a new GstStructure called `name` (documented in
 * docs/elements.md): received, accepted, dropped, dropped-<reason>,
 * kind-<nick>, nodes (array of per-node structures). */
GstStructure *gst_rv_csi_stats_to_structure (const GstRvCsiStats * s,
    const gchar * name);

/* Short stable names of drop reasons, e.g. "crc", "truncated". */
const gchar *gst_rv_csi_drop_reason_name (guint status);

G_END_DECLS
#endif
