/* gstrvstreamfilter.c — base class of the in-place packet analysers (see
 * gstrvstreamfilter.h). */
#include "gstrvstreamfilter.h"
#include "gstrvmessage.h"
#include "gstrvnodeevent.h"
#include "gstrvpads.h"

GST_DEBUG_CATEGORY_STATIC (gst_rv_stream_filter_debug);
#define GST_CAT_DEFAULT gst_rv_stream_filter_debug

G_DEFINE_ABSTRACT_TYPE_WITH_CODE (GstRvStreamFilter, gst_rv_stream_filter,
    GST_TYPE_BASE_TRANSFORM,
    GST_DEBUG_CATEGORY_INIT (gst_rv_stream_filter_debug, "rvstreamfilter", 0,
        "base class of the rvcsi in-place analysers"));

static gboolean
gst_rv_stream_filter_start (GstBaseTransform * trans)
{
  GstRvStreamFilter *self = GST_RV_STREAM_FILTER (trans);
  GstRvStreamFilterClass *klass = GST_RV_STREAM_FILTER_GET_CLASS (self);

  if (klass->start && !klass->start (self))
    return FALSE;
  if (klass->stream_free)
    gst_rv_streams_start (&self->streams, self, &self->stream_props,
        klass->stream_free);
  return TRUE;
}

static gboolean
gst_rv_stream_filter_stop (GstBaseTransform * trans)
{
  GstRvStreamFilter *self = GST_RV_STREAM_FILTER (trans);
  GstRvStreamFilterClass *klass = GST_RV_STREAM_FILTER_GET_CLASS (self);

  gst_rv_streams_stop (&self->streams, self);
  if (klass->stop)
    klass->stop (self);
  return TRUE;
}

typedef struct
{
  GstRvStreamFilter *self;
  GstClockTime when;
  GQueue msgs;
} GstRvOffline;

static void
stream_offline (GstRvStreamEntry * e, gpointer user_data)
{
  GstRvOffline *o = user_data;

  GST_RV_STREAM_FILTER_GET_CLASS (o->self)->stream_offline (o->self, e,
      o->when, &o->msgs);
}

/* A silent node's context is stale: its streams are dropped, so that when
 * it is back they start from scratch. */
static void
node_offline (GstRvStreamFilter * self, guint node, GstClockTime when)
{
  GstRvStreamFilterClass *klass = GST_RV_STREAM_FILTER_GET_CLASS (self);
  GstRvOffline o = { self, when, G_QUEUE_INIT };

  gst_rv_streams_remove_node (&self->streams, self, node,
      klass->stream_offline ? stream_offline : NULL, &o);
  gst_rv_post_queued_messages (GST_ELEMENT (self), &o.msgs);
}

static gboolean
gst_rv_stream_filter_sink_event (GstBaseTransform * trans, GstEvent * event)
{
  GstRvStreamFilter *self = GST_RV_STREAM_FILTER (trans);
  GstRvStreamFilterClass *klass = GST_RV_STREAM_FILTER_GET_CLASS (self);
  guint node;
  gboolean online;
  GstClockTime when;

  if (gst_rv_node_event_parse (event, &node, &online, &when)) {
    GST_DEBUG_OBJECT (self, "node %u %s", node, online ? "back" : "offline");
    if (!online)
      node_offline (self, node, when);
    if (klass->node_presence)
      klass->node_presence (self, node, online, when);
  }
  if (gst_rv_streams_restart_on_event (&self->streams, self, event) &&
      klass->restart)
    klass->restart (self);
  return GST_BASE_TRANSFORM_CLASS (gst_rv_stream_filter_parent_class)->sink_event
      (trans, event);
}

void
gst_rv_stream_filter_class_add_streams (GstRvStreamFilterClass * klass,
    guint first_id, const gchar * max_streams_blurb,
    const gchar * stream_timeout_blurb, GDestroyNotify free_data)
{
  klass->stream_free = free_data;
  gst_rv_streams_install_properties (G_OBJECT_CLASS (klass), first_id,
      G_STRUCT_OFFSET (GstRvStreamFilter, stream_props), max_streams_blurb,
      stream_timeout_blurb);
}

static void
gst_rv_stream_filter_class_init (GstRvStreamFilterClass * klass)
{
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);

  gst_rv_element_class_add_sink_src (element_class,
      &gst_rv_csi_sink_template, &gst_rv_csi_src_template);
  trans_class->start = GST_DEBUG_FUNCPTR (gst_rv_stream_filter_start);
  trans_class->stop = GST_DEBUG_FUNCPTR (gst_rv_stream_filter_stop);
  trans_class->sink_event = GST_DEBUG_FUNCPTR (gst_rv_stream_filter_sink_event);
  trans_class->passthrough_on_same_caps = FALSE;
  gst_type_mark_as_plugin_api (GST_TYPE_RV_STREAM_FILTER, 0);
}

static void
gst_rv_stream_filter_init (GstRvStreamFilter * self G_GNUC_UNUSED)
{
}
