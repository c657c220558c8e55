/* gstrvpacketfilter.c — the sources' shared packet filter: properties,
 * counters and filters (gstrvcsistats.c) behind one lock. */
#include "gstrvpacketfilter.h"
#include "gstrvnodeevent.h"

GST_DEBUG_CATEGORY_STATIC (gst_rv_packet_filter_debug);
#define GST_CAT_DEFAULT gst_rv_packet_filter_debug

#define DEFAULT_ALLOWED_NODES NULL
#define DEFAULT_KINDS         NULL

enum
{
  PROP_ALLOWED_NODES = GST_RV_PACKET_FILTER_PROP_FIRST,
  PROP_KINDS,
  PROP_STATS,
};

/* A filter property as set, and why it was refused (NULL: in force). */
typedef struct
{
  gchar *spec;
  gchar *error;
} GstRvFilterSpec;

struct _GstRvPacketFilter
{
  GstElement *owner;
  gchar *stats_name;

  GMutex lock;                  /* guards everything below */
  GstRvFilterSpec nodes, kinds;
  GstRvCsiStats stats;
};

void
gst_rv_packet_filter_install_properties (GObjectClass * klass,
    const gchar * stats_blurb)
{
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_PLAYING;

  g_object_class_install_property (klass, PROP_ALLOWED_NODES,
      g_param_spec_string ("allowed-nodes", "Allowed nodes",
          "Node ids to accept, as ids and ranges separated by commas "
          "(e.g. \"1,2,5-8\"); unset or empty accepts every node. Other "
          "nodes are dropped and counted as dropped-node-filter. Can be "
          "changed while playing", DEFAULT_ALLOWED_NODES, rw));
  g_object_class_install_property (klass, PROP_KINDS,
      g_param_spec_string ("kinds", "Packet kinds",
          "Packet kinds to accept, separated by commas, from: csi-raw, "
          "vitals, features, fused-vitals, wasm-output, csi-compressed, "
          "feature-state, classification, mesh, timesync; unset or empty "
          "accepts all. Others are counted as dropped-kind-filter. Can be "
          "changed while playing", DEFAULT_KINDS, rw));
  g_object_class_install_property (klass, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics", stats_blurb,
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
}

GstRvPacketFilter *
gst_rv_packet_filter_new (GstElement * owner, const gchar * stats_name)
{
  GstRvPacketFilter *f = g_new0 (GstRvPacketFilter, 1);

  if (g_once_init_enter (&gst_rv_packet_filter_debug)) {
    GstDebugCategory *cat = NULL;
    GST_DEBUG_CATEGORY_INIT (cat, "rvpacketfilter", 0,
        "rvcsi sources' packet filter");
    g_once_init_leave (&gst_rv_packet_filter_debug, cat);
  }
  f->owner = owner;
  f->stats_name = g_strdup (stats_name);
  f->nodes.spec = g_strdup (DEFAULT_ALLOWED_NODES);
  f->kinds.spec = g_strdup (DEFAULT_KINDS);
  g_mutex_init (&f->lock);
  gst_rv_csi_stats_init (&f->stats);
  return f;
}

static void
spec_clear (GstRvFilterSpec * s)
{
  g_clear_pointer (&s->spec, g_free);
  g_clear_pointer (&s->error, g_free);
}

void
gst_rv_packet_filter_free (GstRvPacketFilter * f)
{
  if (!f)
    return;
  g_mutex_clear (&f->lock);
  gst_rv_csi_stats_finalize (&f->stats);
  spec_clear (&f->nodes);
  spec_clear (&f->kinds);
  g_free (f->stats_name);
  g_free (f);
}

void
gst_rv_packet_filter_reset (GstRvPacketFilter * f)
{
  g_mutex_lock (&f->lock);
  gst_rv_csi_stats_clear (&f->stats);
  g_mutex_unlock (&f->lock);
}

/* Under the lock: stores `value` and applies it if it parses. Returns the
 * parse error (for a warning) or NULL. */
static gchar *
apply_spec (GstRvPacketFilter * f, guint prop_id, const gchar * value)
{
  GstRvFilterSpec *s = prop_id == PROP_ALLOWED_NODES ? &f->nodes : &f->kinds;
  GError *err = NULL;
  gboolean ok = prop_id == PROP_ALLOWED_NODES ?
      gst_rv_csi_stats_set_nodes (&f->stats, value, &err) :
      gst_rv_csi_stats_set_kinds (&f->stats, value, &err);

  g_free (s->spec);
  s->spec = g_strdup (value);
  g_clear_pointer (&s->error, g_free);
  if (ok)
    return NULL;
  s->error = g_strdup (err->message);
  g_error_free (err);
  return g_strdup (s->error);
}

gboolean
gst_rv_packet_filter_set_property (GstRvPacketFilter * f, guint prop_id,
    const GValue * value)
{
  gchar *error;

  if (prop_id != PROP_ALLOWED_NODES && prop_id != PROP_KINDS)
    return FALSE;
  g_mutex_lock (&f->lock);
  error = apply_spec (f, prop_id, g_value_get_string (value));
  g_mutex_unlock (&f->lock);
  if (error) {
    GST_ELEMENT_WARNING (f->owner, RESOURCE, SETTINGS,
        ("Ignoring an invalid %s value; the previous filter stays in force",
            prop_id == PROP_ALLOWED_NODES ? "allowed-nodes" : "kinds"),
        ("%s", error));
    g_free (error);
  }
  return TRUE;
}

gboolean
gst_rv_packet_filter_get_property (GstRvPacketFilter * f, guint prop_id,
    GValue * value)
{
  switch (prop_id) {
    case PROP_ALLOWED_NODES:
      g_mutex_lock (&f->lock);
      g_value_set_string (value, f->nodes.spec);
      g_mutex_unlock (&f->lock);
      return TRUE;
    case PROP_KINDS:
      g_mutex_lock (&f->lock);
      g_value_set_string (value, f->kinds.spec);
      g_mutex_unlock (&f->lock);
      return TRUE;
    case PROP_STATS:
      g_value_take_boxed (value, gst_rv_packet_filter_stats (f));
      return TRUE;
    default:
      return FALSE;
  }
}

gboolean
gst_rv_packet_filter_start (GstRvPacketFilter * f)
{
  gchar *error;
  const gchar *prop;

  g_mutex_lock (&f->lock);
  prop = f->nodes.error ? "allowed-nodes" : "kinds";
  error = g_strdup (f->nodes.error ? f->nodes.error : f->kinds.error);
  g_mutex_unlock (&f->lock);
  if (!error)
    return TRUE;
  GST_ELEMENT_ERROR (f->owner, RESOURCE, SETTINGS,
      ("Invalid %s property of %s", prop, GST_ELEMENT_NAME (f->owner)),
      ("%s", error));
  g_free (error);
  return FALSE;
}

gboolean
gst_rv_packet_filter_admit (GstRvPacketFilter * f, const guint8 * data,
    gsize len, GstClockTime now, GstRvCsiPacketInfo * info)
{
  gboolean ok;

  g_mutex_lock (&f->lock);
  ok = gst_rv_csi_stats_admit (&f->stats, data, len, now, info);
  g_mutex_unlock (&f->lock);
  return ok;
}

void
gst_rv_packet_filter_reject (GstRvPacketFilter * f, guint status)
{
  g_mutex_lock (&f->lock);
  f->stats.received++;
  f->stats.dropped_status[status < GST_RV_CSI_N_STATUS ? status : 0]++;
  g_mutex_unlock (&f->lock);
}

void
gst_rv_packet_filter_reject_oversize (GstRvPacketFilter * f)
{
  g_mutex_lock (&f->lock);
  f->stats.received++;
  f->stats.dropped_oversize++;
  g_mutex_unlock (&f->lock);
}

void
gst_rv_packet_filter_snapshot (GstRvPacketFilter * f, GstClockTime now)
{
  g_mutex_lock (&f->lock);
  gst_rv_csi_stats_snapshot (&f->stats, now);
  g_mutex_unlock (&f->lock);
}

GstStructure *
gst_rv_packet_filter_stats (GstRvPacketFilter * f)
{
  GstStructure *s;

  g_mutex_lock (&f->lock);
  s = gst_rv_csi_stats_to_structure (&f->stats, f->stats_name);
  g_mutex_unlock (&f->lock);
  return s;
}

GList *
gst_rv_packet_filter_presence_events (GstRvPacketFilter * f,
    GstClockTime now, gboolean all, GstRvToRunning to_running,
    gpointer user_data)
{
  GstRvNodeChange changes[GST_RV_NODE_CHANGES_MAX];
  GList *events = NULL;
  guint n;

  g_mutex_lock (&f->lock);
  n = gst_rv_csi_stats_presence (&f->stats, now, all, changes);
  g_mutex_unlock (&f->lock);
  for (guint i = 0; i < n; i++) {
    GstClockTime t = to_running ? to_running (user_data, changes[i].time) :
        changes[i].time;
    GST_INFO_OBJECT (f->owner, "node %u %s at %" GST_TIME_FORMAT,
        changes[i].node, changes[i].online ? "back" : "offline",
        GST_TIME_ARGS (t));
    events = g_list_prepend (events, gst_rv_node_event_new (changes[i].node,
            changes[i].online, t));
  }
  return g_list_reverse (events);
}
