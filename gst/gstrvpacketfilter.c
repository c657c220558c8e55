/* gstrvpacketfilter.c — the sources' shared packet filter: counters and
 * filters (gstrvcsistats.c) behind one lock. */
#include "gstrvpacketfilter.h"

struct _GstRvPacketFilter
{
  GstElement *owner;
  gchar *stats_name;

  GMutex lock;                  /* guards stats */
  GstRvCsiStats stats;
};

GstRvPacketFilter *
gst_rv_packet_filter_new (GstElement * owner, const gchar * stats_name)
{
  GstRvPacketFilter *f = g_new0 (GstRvPacketFilter, 1);

  f->owner = owner;
  f->stats_name = g_strdup (stats_name);
  g_mutex_init (&f->lock);
  gst_rv_csi_stats_init (&f->stats);
  return f;
}

void
gst_rv_packet_filter_free (GstRvPacketFilter * f)
{
  if (!f)
    return;
  g_mutex_clear (&f->lock);
  gst_rv_csi_stats_finalize (&f->stats);
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

gboolean
gst_rv_packet_filter_set_nodes (GstRvPacketFilter * f, const gchar * spec,
    GError ** err)
{
  gboolean ok;

  g_mutex_lock (&f->lock);
  ok = gst_rv_csi_stats_set_nodes (&f->stats, spec, err);
  g_mutex_unlock (&f->lock);
  return ok;
}

gboolean
gst_rv_packet_filter_set_kinds (GstRvPacketFilter * f, const gchar * spec,
    GError ** err)
{
  gboolean ok;

  g_mutex_lock (&f->lock);
  ok = gst_rv_csi_stats_set_kinds (&f->stats, spec, err);
  g_mutex_unlock (&f->lock);
  return ok;
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
