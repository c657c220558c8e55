/* gstrvmessage.c — shared fields of per-stream element messages
 * (gstrvmessage.h). */
#include "gstrvmessage.h"

GstStructure *
gst_rv_stream_structure_new (const gchar * name, guint node, guint antenna,
    const gchar * firstfield, ...)
{
  GstStructure *s = gst_structure_new (name, "node", G_TYPE_UINT, node,
      "antenna", G_TYPE_UINT, antenna, NULL);
  va_list args;

  va_start (args, firstfield);
  gst_structure_set_valist (s, firstfield, args);
  va_end (args);
  return s;
}

GstClockTime
gst_rv_buffer_stream_time (const GstSegment * segment, GstBuffer * buf)
{
  return GST_BUFFER_PTS_IS_VALID (buf) ?
      gst_segment_to_stream_time (segment, GST_FORMAT_TIME,
      GST_BUFFER_PTS (buf)) : GST_CLOCK_TIME_NONE;
}

void
gst_rv_stream_structure_add_times (GstStructure * s, GstClockTime stream_time,
    const GstRvCsiPacketMeta * pm)
{
  gst_structure_set (s, "stream-time", G_TYPE_UINT64, (guint64) stream_time,
      "arrival", G_TYPE_UINT64, (guint64) (pm ? pm->arrival :
          GST_CLOCK_TIME_NONE), NULL);
}

void
gst_rv_post_queued_messages (GstElement * element, GQueue * msgs)
{
  while (!g_queue_is_empty (msgs))
    gst_element_post_message (element, g_queue_pop_head (msgs));
}
