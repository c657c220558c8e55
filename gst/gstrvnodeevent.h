/*
 * gstrvnodeevent.h — the `rvcsi-node` event: a node went offline or came
 * back.
 *
 * A silent node sends no buffers, so the sources (rvcsisrc, rvcsiparse,
 * rvcsitextparse) announce it downstream with a serialized custom event
 * whose structure is named "rvcsi-node":
 *
 *   node         guint     the node id
 *   online       gboolean  FALSE: the node went silent; TRUE: it is back
 *   stream-time  guint64   stream (running) time of the change, ns
 *
 * Every element of the plugin forwards it. Applications can read it with a
 * pad probe (GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM) and the parser below,
 * which is static inline so that no link to the plugin is needed.
 */
#ifndef GST_RV_NODE_EVENT_H
#define GST_RV_NODE_EVENT_H

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_RV_NODE_EVENT_NAME "rvcsi-node"

static inline GstEvent *
gst_rv_node_event_new (guint node, gboolean online, GstClockTime stream_time)
{
  return gst_event_new_custom (GST_EVENT_CUSTOM_DOWNSTREAM,
      gst_structure_new (GST_RV_NODE_EVENT_NAME,
          "node", G_TYPE_UINT, node,
          "online", G_TYPE_BOOLEAN, online,
          "stream-time", G_TYPE_UINT64, (guint64) stream_time, NULL));
}

/* TRUE if ev is an rvcsi-node event; the out arguments may be NULL. */
static inline gboolean
gst_rv_node_event_parse (GstEvent * ev, guint * node, gboolean * online,
    GstClockTime * stream_time)
{
  const GstStructure *s;
  guint n = 0;
  gboolean on = FALSE;
  guint64 t = GST_CLOCK_TIME_NONE;

  if (GST_EVENT_TYPE (ev) != GST_EVENT_CUSTOM_DOWNSTREAM)
    return FALSE;
  s = gst_event_get_structure (ev);
  if (s == NULL || !gst_structure_has_name (s, GST_RV_NODE_EVENT_NAME))
    return FALSE;
  if (!gst_structure_get_uint (s, "node", &n)
      || !gst_structure_get_boolean (s, "online", &on))
    return FALSE;
  gst_structure_get_uint64 (s, "stream-time", &t);
  if (node)
    *node = n;
  if (online)
    *online = on;
  if (stream_time)
    *stream_time = t;
  return TRUE;
}

/* TRUE if ev says a node went offline (what an element that drops a silent
 * node's state acts on); the out arguments may be NULL. */
static inline gboolean
gst_rv_node_event_parse_offline (GstEvent * ev, guint * node,
    GstClockTime * stream_time)
{
  gboolean online = TRUE;

  return gst_rv_node_event_parse (ev, node, &online, stream_time) && !online;
}

G_END_DECLS

#endif /* GST_RV_NODE_EVENT_H */
