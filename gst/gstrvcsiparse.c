/*
 * gstrvcsiparse.c — rvcsiparse: one node packet per input buffer (UDP
 * payloads from pcapparse, appsrc, any packetised source) is validated with
 * the same kernel decoder and counters as rvcsisrc and gets the same
 * GstRvCsiPacketMeta, so replayed captures run through the same pipeline.
 *
 * Invalid buffers are dropped and counted. pcapparse stamps only the DTS
 * (capture time); the PTS is set from it so downstream per-stream timing
 * (rvtemporalhead's stream-timeout) sees capture time. Whether playback
 * follows the original timing is decided by the sink: sync=true plays at
 * capture pace, sync=false as fast as possible.
 *
 * Filters: the sources' packet filter (gstrvpacketfilter.h) without its
 * sender checks: buffers carry no source address.
 */
#include "gstrvcsiparse.h"
#include "gstrvelement.h"
#include "gstrvcsimeta.h"
#include "gstrvpacketfilter.h"
#include "gstrvpads.h"

GST_DEBUG_CATEGORY_STATIC (gst_rv_csi_parse_debug);
#define GST_CAT_DEFAULT gst_rv_csi_parse_debug

struct _GstRvCsiParse
{
  GstBaseTransform parent;

  GstRvPacketFilter *filter;    /* admission and counters, own lock */
};

#define gst_rv_csi_parse_parent_class parent_class
GST_RV_ELEMENT_DEFINE (GstRvCsiParse, gst_rv_csi_parse,
    GST_TYPE_BASE_TRANSFORM, rvcsiparse, "ESP32 CSI packet parser");

static void gst_rv_csi_parse_finalize (GObject * object);

static gboolean
gst_rv_csi_parse_start (GstBaseTransform * trans)
{
  GstRvCsiParse *self = GST_RV_CSI_PARSE (trans);

  gst_rv_packet_filter_reset (self->filter);
  return gst_rv_packet_filter_start (self->filter);
}

static GstClockTime
to_running (gpointer user_data, GstClockTime t)
{
  GstBaseTransform *trans = user_data;

  return gst_segment_to_running_time (&trans->segment, GST_FORMAT_TIME, t);
}

/* Node presence: a node silent for its offline time (seen from the stream
 * time of later packets, or at EOS) or back. */
static void
push_presence (GstRvCsiParse * self, GstClockTime now, gboolean all)
{
  GstBaseTransform *trans = GST_BASE_TRANSFORM (self);

  gst_rv_packet_filter_push_presence (self->filter, trans->srcpad, now, all,
      to_running, trans);
}

static GstFlowReturn
gst_rv_csi_parse_transform_ip (GstBaseTransform * trans, GstBuffer * buf)
{
  GstRvCsiParse *self = GST_RV_CSI_PARSE (trans);
  GstMapInfo map;
  GstRvCsiPacketInfo info;
  GstRvCsiPacketMeta *meta;
  gboolean ok;

  if (!GST_BUFFER_PTS_IS_VALID (buf))
    GST_BUFFER_PTS (buf) = GST_BUFFER_DTS (buf);
  if (!gst_buffer_map (buf, &map, GST_MAP_READ))
    return GST_BASE_TRANSFORM_FLOW_DROPPED;
  ok = gst_rv_packet_filter_admit (self->filter, map.data, map.size,
      GST_BUFFER_PTS (buf), &info);
  gst_buffer_unmap (buf, &map);
  if (!ok)
    return GST_BASE_TRANSFORM_FLOW_DROPPED;
  push_presence (self, GST_BUFFER_PTS (buf), FALSE);

  meta = GST_RV_CSI_PACKET_META_GET (buf);
  if (!meta)
    meta = gst_rv_csi_packet_meta_add (buf);
  gst_rv_csi_packet_meta_fill (meta, &info, GST_BUFFER_PTS (buf));
  return GST_FLOW_OK;
}

/* Whatever upstream calls its payload (or nothing, like pcapparse), what
 * comes out is node packets. */
static GstCaps *
gst_rv_csi_parse_transform_caps (GstBaseTransform * trans,
    GstPadDirection direction, GstCaps * caps, GstCaps * filter)
{
  GstCaps *res = direction == GST_PAD_SINK ?
      gst_static_pad_template_get_caps (&gst_rv_csi_src_template) :
      gst_caps_new_any ();

  (void) trans;
  (void) caps;
  if (filter) {
    GstCaps *tmp = gst_caps_intersect_full (filter, res,
        GST_CAPS_INTERSECT_FIRST);
    gst_caps_unref (res);
    res = tmp;
  }
  return res;
}

static gboolean
gst_rv_csi_parse_sink_event (GstBaseTransform * trans, GstEvent * event)
{
  GstRvCsiParse *self = GST_RV_CSI_PARSE (trans);

  if (GST_EVENT_TYPE (event) == GST_EVENT_EOS) {
    /* the capture ended: every node still online is gone */
    push_presence (self, GST_CLOCK_TIME_NONE, TRUE);
    gst_element_post_message (GST_ELEMENT (self),
        gst_message_new_element (GST_OBJECT (self),
            gst_rv_packet_filter_stats (self->filter)));
  }
  return GST_BASE_TRANSFORM_CLASS (parent_class)->sink_event (trans, event);
}

static void
gst_rv_csi_parse_class_init (GstRvCsiParseClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);

  gst_rv_packet_filter_install_properties (gobject_class,
      GST_RV_PACKET_FILTER_PACKETS, G_STRUCT_OFFSET (GstRvCsiParse, filter),
      "Same counters as rvcsisrc's stats (also posted as an "
      "\"rvcsiparse-stats\" element message at end of stream)");

  gst_element_class_set_static_metadata (element_class,
      "RuView CSI packet parser", "Codec/Parser/Network",
      "Validates one ESP32 CSI node packet per buffer (e.g. UDP payloads "
      "from pcapparse), drops and counts invalid ones, and attaches an "
      "GstRvCsiPacketMeta",
      "gst-rvcsi developers");
  gst_rv_element_class_add_sink_src (element_class,
      &gst_rv_any_sink_template, &gst_rv_csi_src_template);

  gobject_class->finalize = gst_rv_csi_parse_finalize;
  trans_class->start = GST_DEBUG_FUNCPTR (gst_rv_csi_parse_start);
  trans_class->transform_ip = GST_DEBUG_FUNCPTR (gst_rv_csi_parse_transform_ip);
  trans_class->sink_event = GST_DEBUG_FUNCPTR (gst_rv_csi_parse_sink_event);
  trans_class->transform_caps =
      GST_DEBUG_FUNCPTR (gst_rv_csi_parse_transform_caps);
  trans_class->passthrough_on_same_caps = FALSE;
}

static void
gst_rv_csi_parse_init (GstRvCsiParse * self)
{
  self->filter = gst_rv_packet_filter_new (GST_ELEMENT (self),
      "rvcsiparse-stats");
}

static void
gst_rv_csi_parse_finalize (GObject * object)
{
  GstRvCsiParse *self = GST_RV_CSI_PARSE (object);

  gst_rv_packet_filter_free (self->filter);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}
