/*
 * gstrvcsitextparse.c — rvcsitextparse: turns the serial/text logs of the
 * other ESP32 CSI firmwares (Espressif esp-csi csi_recv, ESP32-CSI-Tool)
 * into binary raw CSI frames (0xC5110001) with GstRvCsiPacketMeta, so they
 * feed the same rvtemporalhead/rvclassify pipeline as UDP nodes.
 *
 * Input is any byte stream (filesrc, a serial port via fdsrc); lines are
 * split on '\n'. Each CSI_DATA line is parsed by the kernel
 * (rv_csi_text_parse), re-encoded (rv_csi_frame_encode) and admitted by the
 * same counters as rvcsisrc. Other lines (boot logs, prompts) are dropped
 * and counted as dropped-text-prefix. A line longer than MAX_LINE bytes is
 * discarded, so memory stays bounded on garbage input.
 *
 * Timing: the radio's local_timestamp (microseconds, wraps every ~71 min;
 * unwrapped here) relative to the first line gives the PTS; ESP32-CSI-Tool
 * lines with real_time_set use their real timestamp instead.
 * Sequence: the esp-csi id field; ESP32-CSI-Tool has none, so lines are
 * numbered per node in arrival order.
 * Filters: the sources' packet filter (gstrvpacketfilter.h) without its
 * sender checks: text lines carry no source address.
 */
#include "gstrvcsitextparse.h"
#include "gstrvelement.h"
#include "gstrvcsimeta.h"
#include "gstrvpacketfilter.h"
#include "gstrvpads.h"
#include "gstrvprops.h"

#include <string.h>

#include "rv_csi_text.h"
#include "rv_wire.h"

GST_DEBUG_CATEGORY_STATIC (gst_rv_csi_text_parse_debug);
#define GST_CAT_DEFAULT gst_rv_csi_text_parse_debug

#define MAX_LINE (256 * 1024)
#define DEFAULT_NODE_ID -1

enum
{
  PROP_0,
  PROP_NODE_ID,
  /* allowed-nodes, kinds, stats: gstrvpacketfilter.h */
};

struct _GstRvCsiTextParse
{
  GstElement parent;
  GstPad *sinkpad, *srcpad;

  gint node_id;                 /* object lock */

  /* streaming thread */
  GByteArray *line;
  gboolean skipping;            /* inside an over-long line */
  gboolean need_segment;
  gboolean have_t0;
  guint64 t0_us, last_local, wrap_us;
  guint32 tool_seq[GST_RV_CSI_N_NODES];
  guint8 *frame;
  gsize frame_cap;
  int8_t *iq;

  GstRvPacketFilter *filter;    /* admission and counters, own lock */
};

#define gst_rv_csi_text_parse_parent_class parent_class
GST_RV_ELEMENT_DEFINE (GstRvCsiTextParse, gst_rv_csi_text_parse,
    GST_TYPE_ELEMENT, rvcsitextparse, "ESP32 CSI text log parser");

static void gst_rv_csi_text_parse_finalize (GObject * object);

/* Largest frame: 2 * RV_CSI_MAX_SUBCARRIERS I/Q values of one antenna. */
#define IQ_CAP (2u * RV_CSI_MAX_SUBCARRIERS)

static void
reset_stream (GstRvCsiTextParse * self)
{
  g_byte_array_set_size (self->line, 0);
  self->skipping = FALSE;
  self->need_segment = TRUE;
  self->have_t0 = FALSE;
  self->t0_us = self->last_local = self->wrap_us = 0;
  memset (self->tool_seq, 0, sizeof self->tool_seq);
}

static GstClockTime
line_time (GstRvCsiTextParse * self, const rv_csi_text_info * info)
{
  guint64 t;

  if (info->format == RV_CSI_TEXT_CSI_TOOL && info->real_time_set &&
      info->real_timestamp_us >= 0) {
    t = (guint64) info->real_timestamp_us;
  } else {
    /* 32-bit microsecond radio clock: count wraps. */
    if (self->have_t0 && info->local_timestamp_us < self->last_local &&
        self->last_local - info->local_timestamp_us > 0x80000000u)
      self->wrap_us += G_GUINT64_CONSTANT (1) << 32;
    self->last_local = info->local_timestamp_us;
    t = self->wrap_us + info->local_timestamp_us;
  }
  if (!self->have_t0) {
    self->have_t0 = TRUE;
    self->t0_us = t;
  }
  return t >= self->t0_us ? (t - self->t0_us) * GST_USECOND : 0;
}

/* Our caps and TIME segment, once, before the first frame or event. */
static void
push_segment (GstRvCsiTextParse * self)
{
  GstSegment seg;
  GstCaps *caps;

  if (!self->need_segment)
    return;
  caps = gst_static_pad_template_get_caps (&gst_rv_csi_src_template);
  gst_pad_push_event (self->srcpad, gst_event_new_caps (caps));
  gst_caps_unref (caps);
  gst_segment_init (&seg, GST_FORMAT_TIME);
  gst_pad_push_event (self->srcpad, gst_event_new_segment (&seg));
  self->need_segment = FALSE;
}

/* Node presence: a node silent for its offline time, seen from the time of
 * later lines (or at EOS), or back. */
static void
push_presence (GstRvCsiTextParse * self, GstClockTime now, gboolean all)
{
  gst_rv_packet_filter_push_presence (self->filter, self->srcpad, now, all,
      NULL, NULL);
}

static GstFlowReturn
handle_line (GstRvCsiTextParse * self, const gchar * text, gsize len)
{
  rv_csi_text_info info;
  rv_csi_frame frame;
  GstRvCsiPacketInfo pinfo;
  rv_status st;
  gsize written = 0;
  GstClockTime pts;
  gboolean ok;
  gint node_override;
  GstBuffer *buf;
  GstRvCsiPacketMeta *meta;

  /* Blank lines carry nothing; not worth a counter. */
  while (len && (text[len - 1] == '\r' || text[len - 1] == ' '))
    len--;
  if (!len)
    return GST_FLOW_OK;

  st = rv_csi_text_parse (text, len, &info, &frame, self->iq, IQ_CAP);
  if (st != RV_OK) {
    gst_rv_packet_filter_reject (self->filter, st);
    GST_LOG_OBJECT (self, "dropped line: %s", rv_status_str (st));
    return GST_FLOW_OK;
  }
  GST_OBJECT_LOCK (self);
  node_override = self->node_id;
  GST_OBJECT_UNLOCK (self);
  if (node_override >= 0)
    frame.node_id = (uint8_t) node_override;
  if (!info.has_id)
    frame.seq = self->tool_seq[frame.node_id]++;

  st = rv_csi_frame_encode (&frame, self->frame, self->frame_cap, &written);
  if (st != RV_OK) {
    gst_rv_packet_filter_reject (self->filter, st);
    return GST_FLOW_OK;
  }
  pts = line_time (self, &info);
  ok = gst_rv_packet_filter_admit (self->filter, self->frame, written, pts,
      &pinfo);
  if (!ok)
    return GST_FLOW_OK;

  push_segment (self);
  /* its TIME segment starts at 0: stream time is the line time */
  push_presence (self, pts, FALSE);
  buf = gst_buffer_new_memdup (self->frame, written);
  GST_BUFFER_PTS (buf) = GST_BUFFER_DTS (buf) = pts;
  meta = gst_rv_csi_packet_meta_add (buf);
  gst_rv_csi_packet_meta_fill (meta, &pinfo, pts);
  return gst_pad_push (self->srcpad, buf);
}

static GstFlowReturn
gst_rv_csi_text_parse_chain (GstPad * pad, GstObject * parent, GstBuffer * buf)
{
  GstRvCsiTextParse *self = GST_RV_CSI_TEXT_PARSE (parent);
  GstFlowReturn ret = GST_FLOW_OK;
  GstMapInfo map;
  gsize pos = 0;

  (void) pad;
  if (!gst_buffer_map (buf, &map, GST_MAP_READ)) {
    gst_buffer_unref (buf);
    return GST_FLOW_ERROR;
  }
  while (pos < map.size && ret == GST_FLOW_OK) {
    const guint8 *nl = memchr (map.data + pos, '\n', map.size - pos);
    gsize end = nl ? (gsize) (nl - map.data) : map.size;
    gsize chunk = end - pos;

    if (!self->skipping) {
      if (self->line->len + chunk > MAX_LINE) {
        gst_rv_packet_filter_reject (self->filter, RV_ERR_TEXT_FIELDS);
        g_byte_array_set_size (self->line, 0);
        self->skipping = TRUE;
      } else {
        g_byte_array_append (self->line, map.data + pos, (guint) chunk);
      }
    }
    pos = end;
    if (nl) {
      pos++;
      if (!self->skipping)
        ret = handle_line (self, (const gchar *) self->line->data,
            self->line->len);
      g_byte_array_set_size (self->line, 0);
      self->skipping = FALSE;
    }
  }
  gst_buffer_unmap (buf, &map);
  gst_buffer_unref (buf);
  return ret;
}

static gboolean
gst_rv_csi_text_parse_sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event)
{
  GstRvCsiTextParse *self = GST_RV_CSI_TEXT_PARSE (parent);

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_CAPS:
    case GST_EVENT_SEGMENT:
      /* Replaced by our own caps and TIME segment before the first frame. */
      gst_event_unref (event);
      return TRUE;
    case GST_EVENT_FLUSH_STOP:
      reset_stream (self);
      break;
    case GST_EVENT_EOS:{
      GstStructure *s;

      /* A last line without a newline still counts. */
      if (self->line->len && !self->skipping)
        handle_line (self, (const gchar *) self->line->data, self->line->len);
      g_byte_array_set_size (self->line, 0);
      push_segment (self);
      /* the capture ended: every node still online is gone */
      push_presence (self, GST_CLOCK_TIME_NONE, TRUE);
      s = gst_rv_packet_filter_stats (self->filter);
      gst_element_post_message (GST_ELEMENT (self),
          gst_message_new_element (GST_OBJECT (self), s));
      break;
    }
    default:
      break;
  }
  return gst_pad_event_default (pad, parent, event);
}

static GstStateChangeReturn
gst_rv_csi_text_parse_change_state (GstElement * element,
    GstStateChange transition)
{
  GstRvCsiTextParse *self = GST_RV_CSI_TEXT_PARSE (element);

  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED) {
    reset_stream (self);
    gst_rv_packet_filter_reset (self->filter);
    if (!gst_rv_packet_filter_start (self->filter))
      return GST_STATE_CHANGE_FAILURE;
  }
  return GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
}

static void
gst_rv_csi_text_parse_class_init (GstRvCsiTextParseClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  GST_RV_PROP_FIELD (gobject_class, PROP_NODE_ID, GstRvCsiTextParse, node_id,
      g_param_spec_int ("node-id", "Node id",
          "Node id given to every frame; -1 takes the last byte of the "
          "MAC address printed on each line", -1, 255, DEFAULT_NODE_ID,
          GST_RV_PARAM_PLAYING));
  gst_rv_packet_filter_install_properties (gobject_class,
      GST_RV_PACKET_FILTER_PACKETS,
      G_STRUCT_OFFSET (GstRvCsiTextParse, filter),
      "Same counters as rvcsisrc's stats, plus dropped-text-prefix "
      "(not a CSI_DATA line), dropped-text-fields, dropped-text-number "
      "and dropped-text-array once they occur; posted as an "
      "\"rvcsitextparse-stats\" element message at end of stream");

  gst_element_class_set_static_metadata (element_class,
      "RuView CSI text log parser", "Codec/Parser",
      "Parses CSI_DATA lines of Espressif esp-csi and ESP32-CSI-Tool serial "
      "logs into raw CSI frame packets (0xC5110001) with GstRvCsiPacketMeta",
      "gst-rvcsi developers");
  gst_rv_element_class_add_sink_src (element_class,
      &gst_rv_any_sink_template, &gst_rv_csi_src_template);

  gobject_class->finalize = gst_rv_csi_text_parse_finalize;
  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_rv_csi_text_parse_change_state);
}

static void
gst_rv_csi_text_parse_init (GstRvCsiTextParse * self)
{
  self->sinkpad = gst_pad_new_from_static_template (&gst_rv_any_sink_template,
      "sink");
  gst_pad_set_chain_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_rv_csi_text_parse_chain));
  gst_pad_set_event_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_rv_csi_text_parse_sink_event));
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);
  self->srcpad = gst_pad_new_from_static_template (&gst_rv_csi_src_template,
      "src");
  gst_pad_use_fixed_caps (self->srcpad);
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);

  gst_rv_props_init (G_OBJECT (self));
  self->line = g_byte_array_new ();
  self->iq = g_malloc (IQ_CAP);
  self->frame_cap = RV_CSI_HEADER_SIZE + IQ_CAP;
  self->frame = g_malloc (self->frame_cap);
  self->filter = gst_rv_packet_filter_new (GST_ELEMENT (self),
      "rvcsitextparse-stats");
  reset_stream (self);
}

static void
gst_rv_csi_text_parse_finalize (GObject * object)
{
  GstRvCsiTextParse *self = GST_RV_CSI_TEXT_PARSE (object);

  g_byte_array_unref (self->line);
  g_free (self->frame);
  g_free (self->iq);
  gst_rv_packet_filter_free (self->filter);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}
