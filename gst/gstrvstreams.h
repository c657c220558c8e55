/*
 * gstrvstreams.h — bounded per-stream table for rvtemporalhead and
 * rvclassify.
 *
 * A stream is keyed by a 32-bit key (node id << 8 | antenna). Entries are
 * kept in least-recently-seen order so idle streams expire in O(1) per
 * expiry (stream-timeout) and the table never holds more than max entries
 * (max-streams): when full, idle streams are expired first; then either
 * the new stream is refused (GST_RV_STREAMS_REFUSE: established streams keep
 * their state under a flood of new ids) or the least recently seen stream
 * is evicted (GST_RV_STREAMS_EVICT_OLDEST). Not thread-safe.
 */
#ifndef GST_RV_STREAMS_H
#define GST_RV_STREAMS_H

#include <gst/gst.h>

G_BEGIN_DECLS

typedef enum {
  GST_RV_STREAMS_REFUSE = 0,
  GST_RV_STREAMS_EVICT_OLDEST = 1,
} GstRvStreamsPolicy;

#define GST_TYPE_RV_STREAMS_POLICY (gst_rv_streams_policy_get_type ())
GType gst_rv_streams_policy_get_type (void);

typedef struct {
  guint32 key;
  GstClockTime last_seen;       /* running time of the last buffer */
  GList link;                   /* in the table's LRU queue */
  gpointer data;
} GstRvStreamEntry;

typedef struct {
  GHashTable *map;              /* key -> GstRvStreamEntry */
  GQueue lru;                   /* head: least recently seen */
  guint max;
  GstRvStreamsPolicy policy;
  GDestroyNotify free_data;
  /* counters */
  guint64 created, expired, evicted, refused;
} GstRvStreams;

/* The table's properties: the two of gst_rv_streams_install_properties
 * below, and the policy of an element that exposes it (rvtemporalhead's
 * full-policy; else GST_RV_STREAMS_REFUSE). */
typedef struct {
  guint max_streams;            /* applied at start (GST_PARAM_MUTABLE_READY) */
  GstClockTime stream_timeout;  /* 0 = never; can change while playing */
  GstRvStreamsPolicy policy;    /* applied at start */
} GstRvStreamsProps;

void gst_rv_streams_init (GstRvStreams * t, guint max, GstRvStreamsPolicy policy,
    GDestroyNotify free_data);
void gst_rv_streams_clear (GstRvStreams * t);  /* frees all entries, keeps counters */
void gst_rv_streams_free (GstRvStreams * t);
/* An element's table is guarded by its object lock (the stats property
 * reads it from other threads). At start: gst_rv_streams_init() under
 * owner's object lock, max and policy from props; at stop:
 * gst_rv_streams_free() under it. */
void gst_rv_streams_start (GstRvStreams * t, gpointer owner,
    const GstRvStreamsProps * props, GDestroyNotify free_data);
void gst_rv_streams_stop (GstRvStreams * t, gpointer owner);
/* Streams in the table now (0 when it is not started). */
guint gst_rv_streams_active (const GstRvStreams * t);

#define GST_RV_STREAM_KEY(node, antenna) (((guint32) (node) << 8) | (guint32) (antenna))

/* Existing entry (marked seen at now) or NULL. */
GstRvStreamEntry *gst_rv_streams_lookup (GstRvStreams * t, guint32 key, GstClockTime now);
/* Drop entries not seen for longer than timeout (0 = never). */
guint gst_rv_streams_expire (GstRvStreams * t, GstClockTime now, GstClockTime timeout);
/* Room for one more stream? May expire/evict per policy. */
gboolean gst_rv_streams_make_room (GstRvStreams * t, GstClockTime now,
    GstClockTime timeout);
/* Insert a new entry (caller made room); takes data. */
GstRvStreamEntry *gst_rv_streams_insert (GstRvStreams * t, guint32 key, gpointer data,
    GstClockTime now);
void gst_rv_streams_remove (GstRvStreams * t, GstRvStreamEntry * e);
/* The node went offline: removes every stream of `node` (all antennas)
 * under owner's object lock, which guards t; `before` (may be NULL) sees
 * each entry first, also under that lock. Returns how many were removed. */
guint gst_rv_streams_remove_node (GstRvStreams * t, gpointer owner,
    guint node, void (*before) (GstRvStreamEntry * e, gpointer user_data),
    gpointer user_data);

/* TRUE for the events after which every stream starts from scratch (old
 * context is stale): FLUSH_STOP and STREAM_START. */
gboolean gst_rv_event_restarts_streams (GstEvent * event);
/* On such an event clears t under owner's object lock, which guards it,
 * and returns TRUE; FALSE for other events. */
gboolean gst_rv_streams_restart_on_event (GstRvStreams * t, gpointer owner,
    GstEvent * event);

/* The table's two properties, max-streams and stream-timeout, as
 * rvtemporalhead and rvclassify expose them: one definition of their
 * defaults, ranges and flags. They are field properties (gstrvprops.h) of
 * a GstRvStreamsProps in the element's instance, `offset` bytes in,
 * guarded by the object lock; the element numbers them `first_id`
 * (max-streams) and `first_id + 1` (stream-timeout), and says in the
 * blurbs what a stream is to it. */
#define GST_RV_STREAMS_DEFAULT_MAX      256
#define GST_RV_STREAMS_DEFAULT_TIMEOUT  (30 * GST_SECOND)

void gst_rv_streams_install_properties (GObjectClass * klass, guint first_id,
    gsize offset, const gchar * max_streams_blurb,
    const gchar * stream_timeout_blurb);

G_END_DECLS
#endif
