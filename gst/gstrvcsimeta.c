/* gstrvcsimeta.c — registration, init/free/transform of the rvcsi metas. */
#include "gstrvcsimeta.h"

#include <string.h>

static const gchar *kind_nicks[GST_RV_CSI_KIND_COUNT] = {
  "unknown", "csi-raw", "vitals", "features", "fused-vitals", "wasm-output",
  "csi-compressed", "feature-state", "classification", "mesh", "timesync",
};

const gchar *
gst_rv_csi_packet_kind_nick (guint kind)
{
  return kind < GST_RV_CSI_KIND_COUNT ? kind_nicks[kind] : "unknown";
}

/* ---------------------------------------------------------------- packet */

GType
gst_rv_csi_packet_meta_api_get_type (void)
{
  static GType type;
  static const gchar *tags[] = { NULL };

  if (g_once_init_enter (&type)) {
    GType t = gst_meta_api_type_register ("GstRvCsiPacketMetaAPI", tags);
    g_once_init_leave (&type, t);
  }
  return type;
}

static gboolean
packet_meta_init (GstMeta * meta, gpointer params, GstBuffer * buffer)
{
  GstRvCsiPacketMeta *m = (GstRvCsiPacketMeta *) meta;
  (void) params;
  (void) buffer;
  m->node_id = 0;
  m->kind = GST_RV_CSI_KIND_UNKNOWN;
  m->flags = 0;
  m->seq = 0;
  m->seq_gap = 0;
  m->arrival = GST_CLOCK_TIME_NONE;
  m->src_family = G_SOCKET_FAMILY_INVALID;
  m->src_port = 0;
  memset (m->src_addr, 0, sizeof m->src_addr);
  return TRUE;
}

static gboolean
packet_meta_transform (GstBuffer * dest, GstMeta * meta, GstBuffer * buffer,
    GQuark type, gpointer data)
{
  GstRvCsiPacketMeta *src = (GstRvCsiPacketMeta *) meta, *dst;
  (void) buffer;
  (void) data;
  /* The meta describes the whole packet: only plain copies keep it. */
  if (!GST_META_TRANSFORM_IS_COPY (type))
    return FALSE;
  dst = gst_rv_csi_packet_meta_add (dest);
  if (!dst)
    return FALSE;
  memcpy ((guint8 *) dst + sizeof (GstMeta), (const guint8 *) src +
      sizeof (GstMeta), sizeof (GstRvCsiPacketMeta) - sizeof (GstMeta));
  return TRUE;
}

const GstMetaInfo *
gst_rv_csi_packet_meta_get_info (void)
{
  static const GstMetaInfo *info;

  if (g_once_init_enter ((GstMetaInfo **) & info)) {
    const GstMetaInfo *i = gst_meta_register (gst_rv_csi_packet_meta_api_get_type
        (), "GstRvCsiPacketMeta", sizeof (GstRvCsiPacketMeta), packet_meta_init,
        NULL, packet_meta_transform);
    g_once_init_leave ((GstMetaInfo **) & info, (GstMetaInfo *) i);
  }
  return info;
}

GstRvCsiPacketMeta *
gst_rv_csi_packet_meta_add (GstBuffer * buf)
{
  return (GstRvCsiPacketMeta *) gst_buffer_add_meta (buf,
      gst_rv_csi_packet_meta_get_info (), NULL);
}

/* ------------------------------------------------------------- embedding */

GType
gst_rv_embedding_meta_api_get_type (void)
{
  static GType type;
  static const gchar *tags[] = { NULL };

  if (g_once_init_enter (&type)) {
    GType t = gst_meta_api_type_register ("GstRvEmbeddingMetaAPI", tags);
    g_once_init_leave (&type, t);
  }
  return type;
}

static gboolean
embedding_meta_init (GstMeta * meta, gpointer params, GstBuffer * buffer)
{
  GstRvEmbeddingMeta *m = (GstRvEmbeddingMeta *) meta;
  (void) params;
  (void) buffer;
  m->node_id = 0;
  m->antenna = 0;
  m->dims = 0;
  m->step = 0;
  m->data = NULL;
  m->model_id = 0;
  return TRUE;
}

static void
embedding_meta_free (GstMeta * meta, GstBuffer * buffer)
{
  GstRvEmbeddingMeta *m = (GstRvEmbeddingMeta *) meta;
  (void) buffer;
  g_free (m->data);
  m->data = NULL;
}

static gboolean
embedding_meta_transform (GstBuffer * dest, GstMeta * meta, GstBuffer * buffer,
    GQuark type, gpointer data)
{
  GstRvEmbeddingMeta *src = (GstRvEmbeddingMeta *) meta, *dst;
  (void) buffer;
  (void) data;
  if (!GST_META_TRANSFORM_IS_COPY (type))
    return FALSE;
  dst = gst_rv_embedding_meta_add (dest, src->dims);
  if (!dst)
    return FALSE;
  dst->node_id = src->node_id;
  dst->antenna = src->antenna;
  dst->step = src->step;
  dst->model_id = src->model_id;
  if (src->dims)
    memcpy (dst->data, src->data, src->dims * sizeof (gfloat));
  return TRUE;
}

const GstMetaInfo *
gst_rv_embedding_meta_get_info (void)
{
  static const GstMetaInfo *info;

  if (g_once_init_enter ((GstMetaInfo **) & info)) {
    const GstMetaInfo *i = gst_meta_register (gst_rv_embedding_meta_api_get_type
        (), "GstRvEmbeddingMeta", sizeof (GstRvEmbeddingMeta), embedding_meta_init,
        embedding_meta_free, embedding_meta_transform);
    g_once_init_leave ((GstMetaInfo **) & info, (GstMetaInfo *) i);
  }
  return info;
}

GstRvEmbeddingMeta *
gst_rv_embedding_meta_add (GstBuffer * buf, guint dims)
{
  GstRvEmbeddingMeta *m;

  if (dims > GST_RV_EMBEDDING_META_MAX_DIMS)
    return NULL;
  m = (GstRvEmbeddingMeta *) gst_buffer_add_meta (buf,
      gst_rv_embedding_meta_get_info (), NULL);
  if (!m)
    return NULL;
  m->dims = (guint16) dims;
  m->data = dims ? g_new0 (gfloat, dims) : NULL;
  return m;
}

/* -------------------------------------------------------- classification */

GType
gst_rv_classification_meta_api_get_type (void)
{
  static GType type;
  static const gchar *tags[] = { NULL };

  if (g_once_init_enter (&type)) {
    GType t = gst_meta_api_type_register ("GstRvClassificationMetaAPI", tags);
    g_once_init_leave (&type, t);
  }
  return type;
}

static gboolean
cls_meta_init (GstMeta * meta, gpointer params, GstBuffer * buffer)
{
  GstRvClassificationMeta *m = (GstRvClassificationMeta *) meta;
  (void) params;
  (void) buffer;
  m->length = 0;
  m->class_quarks = NULL;
  m->confidence_levels = NULL;
  m->node_id = 0;
  m->antenna = 0;
  m->decision = -1;
  m->decision_confidence = 0.0f;
  m->decision_changed = FALSE;
  m->model_levels = NULL;
  m->motion_gated = FALSE;
  return TRUE;
}

static void
cls_meta_free (GstMeta * meta, GstBuffer * buffer)
{
  GstRvClassificationMeta *m = (GstRvClassificationMeta *) meta;
  (void) buffer;
  g_free (m->class_quarks);
  g_free (m->confidence_levels);
  g_free (m->model_levels);
  m->class_quarks = NULL;
  m->confidence_levels = NULL;
  m->model_levels = NULL;
}

static gboolean
cls_meta_transform (GstBuffer * dest, GstMeta * meta, GstBuffer * buffer,
    GQuark type, gpointer data)
{
  GstRvClassificationMeta *src = (GstRvClassificationMeta *) meta, *dst;
  (void) buffer;
  (void) data;
  if (!GST_META_TRANSFORM_IS_COPY (type))
    return FALSE;
  dst = gst_rv_classification_meta_add (dest, src->length, src->class_quarks);
  if (!dst)
    return FALSE;
  if (src->length) {
    memcpy (dst->confidence_levels, src->confidence_levels,
        src->length * sizeof (gfloat));
    memcpy (dst->model_levels, src->model_levels,
        src->length * sizeof (gfloat));
  }
  dst->node_id = src->node_id;
  dst->antenna = src->antenna;
  dst->decision = src->decision;
  dst->decision_confidence = src->decision_confidence;
  dst->decision_changed = src->decision_changed;
  dst->motion_gated = src->motion_gated;
  return TRUE;
}

const GstMetaInfo *
gst_rv_classification_meta_get_info (void)
{
  static const GstMetaInfo *info;

  if (g_once_init_enter ((GstMetaInfo **) & info)) {
    const GstMetaInfo *i =
        gst_meta_register (gst_rv_classification_meta_api_get_type (),
        "GstRvClassificationMeta", sizeof (GstRvClassificationMeta), cls_meta_init,
        cls_meta_free, cls_meta_transform);
    g_once_init_leave ((GstMetaInfo **) & info, (GstMetaInfo *) i);
  }
  return info;
}

GstRvClassificationMeta *
gst_rv_classification_meta_add (GstBuffer * buf, gsize length,
    const GQuark * quarks)
{
  GstRvClassificationMeta *m = (GstRvClassificationMeta *) gst_buffer_add_meta (buf,
      gst_rv_classification_meta_get_info (), NULL);

  if (!m)
    return NULL;
  m->length = length;
  if (length) {
    m->class_quarks = g_new0 (GQuark, length);
    m->confidence_levels = g_new0 (gfloat, length);
    m->model_levels = g_new0 (gfloat, length);
    if (quarks)
      memcpy (m->class_quarks, quarks, length * sizeof (GQuark));
  }
  return m;
}

/* ---------------------------------------------------------------- motion */

GType
gst_rv_motion_meta_api_get_type (void)
{
  static GType type;
  static const gchar *tags[] = { NULL };

  if (g_once_init_enter (&type)) {
    GType t = gst_meta_api_type_register ("GstRvMotionMetaAPI", tags);
    g_once_init_leave (&type, t);
  }
  return type;
}

static gboolean
motion_meta_init (GstMeta * meta, gpointer params, GstBuffer * buffer)
{
  GstRvMotionMeta *m = (GstRvMotionMeta *) meta;
  (void) params;
  (void) buffer;
  m->node_id = 0;
  m->antenna = 0;
  m->motion = FALSE;
  m->calibrated = FALSE;
  m->changed = FALSE;
  m->score = 0.0f;
  m->threshold = 0.0f;
  return TRUE;
}

static gboolean
motion_meta_transform (GstBuffer * dest, GstMeta * meta, GstBuffer * buffer,
    GQuark type, gpointer data)
{
  GstRvMotionMeta *src = (GstRvMotionMeta *) meta, *dst;
  (void) buffer;
  (void) data;
  if (!GST_META_TRANSFORM_IS_COPY (type))
    return FALSE;
  dst = gst_rv_motion_meta_add (dest);
  if (!dst)
    return FALSE;
  memcpy ((guint8 *) dst + sizeof (GstMeta), (const guint8 *) src +
      sizeof (GstMeta), sizeof (GstRvMotionMeta) - sizeof (GstMeta));
  return TRUE;
}

const GstMetaInfo *
gst_rv_motion_meta_get_info (void)
{
  static const GstMetaInfo *info;

  if (g_once_init_enter ((GstMetaInfo **) & info)) {
    const GstMetaInfo *i = gst_meta_register (gst_rv_motion_meta_api_get_type
        (), "GstRvMotionMeta", sizeof (GstRvMotionMeta), motion_meta_init,
        NULL, motion_meta_transform);
    g_once_init_leave ((GstMetaInfo **) & info, (GstMetaInfo *) i);
  }
  return info;
}

GstRvMotionMeta *
gst_rv_motion_meta_add (GstBuffer * buf)
{
  return (GstRvMotionMeta *) gst_buffer_add_meta (buf,
      gst_rv_motion_meta_get_info (), NULL);
}

GstRvMotionMeta *
gst_rv_motion_meta_find (GstBuffer * buf, guint8 node, guint8 antenna)
{
  GType api = gst_rv_motion_meta_api_get_type ();
  gpointer state = NULL;
  GstMeta *meta;

  while ((meta = gst_buffer_iterate_meta_filtered (buf, &state, api))) {
    GstRvMotionMeta *m = (GstRvMotionMeta *) meta;
    if (m->node_id == node && m->antenna == antenna)
      return m;
  }
  return NULL;
}

/* ------------------------------------------------------------------ room */

GType
gst_rv_room_meta_api_get_type (void)
{
  static GType type;
  static const gchar *tags[] = { NULL };

  if (g_once_init_enter (&type)) {
    GType t = gst_meta_api_type_register ("GstRvRoomMetaAPI", tags);
    g_once_init_leave (&type, t);
  }
  return type;
}

static gboolean
room_meta_init (GstMeta * meta, gpointer params, GstBuffer * buffer)
{
  GstRvRoomMeta *m = (GstRvRoomMeta *) meta;
  (void) params;
  (void) buffer;
  memset ((guint8 *) m + sizeof (GstMeta), 0,
      sizeof (GstRvRoomMeta) - sizeof (GstMeta));
  m->label_index = -1;
  m->stream_time = GST_CLOCK_TIME_NONE;
  m->fall_node = -1;
  m->fall_onset = GST_CLOCK_TIME_NONE;
  m->fall_delay = GST_CLOCK_TIME_NONE;
  return TRUE;
}

static gboolean
room_meta_transform (GstBuffer * dest, GstMeta * meta, GstBuffer * buffer,
    GQuark type, gpointer data)
{
  GstRvRoomMeta *src = (GstRvRoomMeta *) meta, *dst;
  (void) buffer;
  (void) data;
  if (!GST_META_TRANSFORM_IS_COPY (type))
    return FALSE;
  dst = gst_rv_room_meta_add (dest);
  if (!dst)
    return FALSE;
  memcpy ((guint8 *) dst + sizeof (GstMeta), (const guint8 *) src +
      sizeof (GstMeta), sizeof (GstRvRoomMeta) - sizeof (GstMeta));
  return TRUE;
}

const GstMetaInfo *
gst_rv_room_meta_get_info (void)
{
  static const GstMetaInfo *info;

  if (g_once_init_enter ((GstMetaInfo **) & info)) {
    const GstMetaInfo *i = gst_meta_register (gst_rv_room_meta_api_get_type
        (), "GstRvRoomMeta", sizeof (GstRvRoomMeta), room_meta_init,
        NULL, room_meta_transform);
    g_once_init_leave ((GstMetaInfo **) & info, (GstMetaInfo *) i);
  }
  return info;
}

GstRvRoomMeta *
gst_rv_room_meta_add (GstBuffer * buf)
{
  return (GstRvRoomMeta *) gst_buffer_add_meta (buf,
      gst_rv_room_meta_get_info (), NULL);
}
