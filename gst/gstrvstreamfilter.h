/*
 * gstrvstreamfilter.h — GstRvStreamFilter, the abstract base class of the
 * plugin's in-place analysers of node packets (rvtemporalhead, rvclassify,
 * rvroom), as GstVideoFilter is of video filters.
 *
 * It owns what they share: the always "sink" and "src" pads of
 * application/x-rvcsi, in-place transform without passthrough, start/stop,
 * and the sink events that change per-stream state:
 *
 *   - `rvcsi-node` (gstrvnodeevent.h): a node that went offline loses its
 *     streams in the table (`stream_offline` sees each one first); every
 *     such event then reaches `node_presence`.
 *   - FLUSH_STOP and STREAM_START (gst_rv_event_restarts_streams): every
 *     stream starts from scratch: the table is cleared, then `restart`.
 *
 * A subclass with a per-stream table (gst_rv_stream_filter_class_add_streams)
 * gets the `max-streams` and `stream-timeout` properties and the table
 * below, made after its `start` and freed before its `stop`. Subclasses keep
 * their metadata, their own properties and transform_ip.
 */
#ifndef GST_RV_STREAM_FILTER_H
#define GST_RV_STREAM_FILTER_H

#include <gst/gst.h>
#include <gst/base/gstbasetransform.h>

#include "gstrvstreams.h"

G_BEGIN_DECLS

#define GST_TYPE_RV_STREAM_FILTER (gst_rv_stream_filter_get_type ())
#define GST_RV_STREAM_FILTER(obj) \
  (G_TYPE_CHECK_INSTANCE_CAST ((obj), GST_TYPE_RV_STREAM_FILTER, \
      GstRvStreamFilter))
#define GST_RV_STREAM_FILTER_CLASS(klass) \
  (G_TYPE_CHECK_CLASS_CAST ((klass), GST_TYPE_RV_STREAM_FILTER, \
      GstRvStreamFilterClass))
#define GST_RV_STREAM_FILTER_GET_CLASS(obj) \
  (G_TYPE_INSTANCE_GET_CLASS ((obj), GST_TYPE_RV_STREAM_FILTER, \
      GstRvStreamFilterClass))

typedef struct _GstRvStreamFilter GstRvStreamFilter;
typedef struct _GstRvStreamFilterClass GstRvStreamFilterClass;

struct _GstRvStreamFilter
{
  GstBaseTransform parent;

  /* With a table (gst_rv_stream_filter_class_add_streams), under the object
   * lock: its properties and the table (empty map outside start..stop). */
  GstRvStreamsProps stream_props;
  GstRvStreams streams;
};

struct _GstRvStreamFilterClass
{
  GstBaseTransformClass parent_class;

  /* Frees a stream's data; set with the table's properties by
   * gst_rv_stream_filter_class_add_streams (NULL: no table). */
  GDestroyNotify stream_free;

  /* All optional; none is called with the object lock held unless said. */
  /* Before the table is made; FALSE (after an element error) fails. */
  gboolean (*start) (GstRvStreamFilter * filter);
  /* After the table is freed. */
  void (*stop) (GstRvStreamFilter * filter);
  /* Every stream starts from scratch (flush, new stream); after the table
   * is cleared. */
  void (*restart) (GstRvStreamFilter * filter);
  /* Each stream of a node that went offline, under the object lock, just
   * before the table drops it; messages go into msgs (posted after). */
  void (*stream_offline) (GstRvStreamFilter * filter, GstRvStreamEntry * e,
      GstClockTime stream_time, GQueue * msgs);
  /* A node went offline (after its streams were dropped) or came back. */
  void (*node_presence) (GstRvStreamFilter * filter, guint node,
      gboolean online, GstClockTime stream_time);
};

GType gst_rv_stream_filter_get_type (void);

/* Gives the class a per-stream table whose entries' data free_data frees,
 * and installs its max-streams and stream-timeout properties as
 * gst_rv_streams_install_properties does (ids first_id, first_id + 1). */
void gst_rv_stream_filter_class_add_streams (GstRvStreamFilterClass * klass,
    guint first_id, const gchar * max_streams_blurb,
    const gchar * stream_timeout_blurb, GDestroyNotify free_data);

/* for G_DECLARE_FINAL_TYPE of the subclasses */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstRvStreamFilter, gst_object_unref)

G_END_DECLS
#endif /* GST_RV_STREAM_FILTER_H */
