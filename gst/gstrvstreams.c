/* gstrvstreams.c — bounded LRU stream table (see gstrvstreams.h). */
#include "gstrvstreams.h"
#include "gstrvprops.h"

GType
gst_rv_streams_policy_get_type (void)
{
  static GType type;
  static const GEnumValue values[] = {
    {GST_RV_STREAMS_REFUSE, "Refuse new streams while the table is full "
          "(established streams keep their state)", "refuse"},
    {GST_RV_STREAMS_EVICT_OLDEST, "Evict the least recently seen stream",
        "evict-oldest"},
    {0, NULL, NULL}
  };

  return gst_rv_props_enum_type (&type, "GstRvStreamsPolicy", values);
}

static void
entry_free (GstRvStreams * t, GstRvStreamEntry * e)
{
  if (t->free_data && e->data)
    t->free_data (e->data);
  g_free (e);
}

void
gst_rv_streams_init (GstRvStreams * t, guint max, GstRvStreamsPolicy policy,
    GDestroyNotify free_data)
{
  t->map = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_queue_init (&t->lru);
  t->max = max ? max : 1;
  t->policy = policy;
  t->free_data = free_data;
  t->created = t->expired = t->evicted = t->refused = 0;
}

void
gst_rv_streams_remove (GstRvStreams * t, GstRvStreamEntry * e)
{
  g_hash_table_remove (t->map, GUINT_TO_POINTER (e->key));
  g_queue_unlink (&t->lru, &e->link);
  entry_free (t, e);
}

void
gst_rv_streams_clear (GstRvStreams * t)
{
  while (t->lru.head)
    gst_rv_streams_remove (t, t->lru.head->data);
}

gboolean
gst_rv_event_restarts_streams (GstEvent * event)
{
  return GST_EVENT_TYPE (event) == GST_EVENT_FLUSH_STOP ||
      GST_EVENT_TYPE (event) == GST_EVENT_STREAM_START;
}

gboolean
gst_rv_streams_restart_on_event (GstRvStreams * t, gpointer owner,
    GstEvent * event)
{
  if (!gst_rv_event_restarts_streams (event))
    return FALSE;
  GST_OBJECT_LOCK (owner);
  if (t->map)
    gst_rv_streams_clear (t);
  GST_OBJECT_UNLOCK (owner);
  return TRUE;
}

void
gst_rv_streams_free (GstRvStreams * t)
{
  if (!t->map)
    return;
  gst_rv_streams_clear (t);
  g_hash_table_destroy (t->map);
  t->map = NULL;
}

void
gst_rv_streams_start (GstRvStreams * t, gpointer owner,
    const GstRvStreamsProps * props, GDestroyNotify free_data)
{
  GST_OBJECT_LOCK (owner);
  gst_rv_streams_init (t, props->max_streams, props->policy, free_data);
  GST_OBJECT_UNLOCK (owner);
}

void
gst_rv_streams_stop (GstRvStreams * t, gpointer owner)
{
  GST_OBJECT_LOCK (owner);
  gst_rv_streams_free (t);
  GST_OBJECT_UNLOCK (owner);
}

guint
gst_rv_streams_active (const GstRvStreams * t)
{
  return t->map ? g_hash_table_size (t->map) : 0;
}

GstRvStreamEntry *
gst_rv_streams_lookup (GstRvStreams * t, guint32 key, GstClockTime now)
{
  GstRvStreamEntry *e = g_hash_table_lookup (t->map, GUINT_TO_POINTER (key));

  if (!e)
    return NULL;
  if (GST_CLOCK_TIME_IS_VALID (now))
    e->last_seen = now;
  g_queue_unlink (&t->lru, &e->link);
  g_queue_push_tail_link (&t->lru, &e->link);
  return e;
}

guint
gst_rv_streams_expire (GstRvStreams * t, GstClockTime now, GstClockTime timeout)
{
  guint n = 0;

  if (!timeout || !GST_CLOCK_TIME_IS_VALID (now))
    return 0;
  while (t->lru.head) {
    GstRvStreamEntry *e = t->lru.head->data;
    if (GST_CLOCK_TIME_IS_VALID (e->last_seen) && e->last_seen + timeout > now)
      break;
    gst_rv_streams_remove (t, e);
    t->expired++;
    n++;
  }
  return n;
}

gboolean
gst_rv_streams_make_room (GstRvStreams * t, GstClockTime now, GstClockTime timeout)
{
  if (g_hash_table_size (t->map) < t->max)
    return TRUE;
  gst_rv_streams_expire (t, now, timeout);
  if (g_hash_table_size (t->map) < t->max)
    return TRUE;
  if (t->policy == GST_RV_STREAMS_EVICT_OLDEST && t->lru.head) {
    gst_rv_streams_remove (t, t->lru.head->data);
    t->evicted++;
    return TRUE;
  }
  t->refused++;
  return FALSE;
}

GstRvStreamEntry *
gst_rv_streams_insert (GstRvStreams * t, guint32 key, gpointer data, GstClockTime now)
{
  GstRvStreamEntry *e = g_new0 (GstRvStreamEntry, 1);

  e->key = key;
  e->last_seen = now;
  e->data = data;
  e->link.data = e;
  g_hash_table_insert (t->map, GUINT_TO_POINTER (key), e);
  g_queue_push_tail_link (&t->lru, &e->link);
  t->created++;
  return e;
}

guint
gst_rv_streams_remove_node (GstRvStreams * t, gpointer owner, guint node,
    void (*before) (GstRvStreamEntry * e, gpointer user_data),
    gpointer user_data)
{
  GList *l, *next;
  guint n = 0;

  GST_OBJECT_LOCK (owner);
  for (l = t->map ? t->lru.head : NULL; l; l = next) {
    GstRvStreamEntry *e = l->data;

    next = l->next;
    if ((e->key >> 8) != node)
      continue;
    if (before)
      before (e, user_data);
    gst_rv_streams_remove (t, e);
    n++;
  }
  GST_OBJECT_UNLOCK (owner);
  return n;
}

void
gst_rv_streams_install_properties (GObjectClass * klass, guint first_id,
    gsize offset, const gchar * max_streams_blurb,
    const gchar * stream_timeout_blurb)
{
  gst_rv_props_install (klass, first_id,
      offset + G_STRUCT_OFFSET (GstRvStreamsProps, max_streams),
      sizeof (guint), g_param_spec_uint ("max-streams", "Maximum streams",
          max_streams_blurb, 1, 65536, GST_RV_STREAMS_DEFAULT_MAX,
          GST_RV_PARAM_READY));
  gst_rv_props_install (klass, first_id + 1,
      offset + G_STRUCT_OFFSET (GstRvStreamsProps, stream_timeout),
      sizeof (GstClockTime), g_param_spec_uint64 ("stream-timeout",
          "Stream timeout", stream_timeout_blurb, 0, G_MAXUINT64,
          GST_RV_STREAMS_DEFAULT_TIMEOUT, GST_RV_PARAM_PLAYING));
}
