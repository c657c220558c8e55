/* gstrvcsimeta.c — registration, init/free/transform of the rvcsi metas. */
#include "gstrvcsimeta.h"

#include <string.h>

static const gchar *kind_nicks[RV_CSI_KIND_COUNT] = {
  "unknown", "csi-raw", "vitals", "features", "fused-vitals", "wasm-output",
  "csi-compressed", "feature-state", "classification", "mesh", "timesync",
};

const gchar *
rv_csi_packet_kind_nick (guint kind)
{
  return kind < RV_CSI_KIND_COUNT ? kind_nicks[kind] : "unknown";
}

/* ---------------------------------------------------------------- packet */

GType
rv_csi_packet_meta_api_get_type (void)
{
  static GType type;
  static const gchar *tags[] = { NULL };

  if (g_once_init_enter (&type)) {
    GType t = gst_meta_api_type_register ("RvCsiPacketMetaAPI", tags);
    g_once_init_leave (&type, t);
  }
  return type;
}

static gboolean
packet_meta_init (GstMeta * meta, gpointer params, GstBuffer * buffer)
{
  RvCsiPacketMeta *m = (RvCsiPacketMeta *) meta;
  (void) params;
  (void) buffer;
  m->node_id = 0;
  m->kind = RV_CSI_KIND_UNKNOWN;
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
  RvCsiPacketMeta *src = (RvCsiPacketMeta *) meta, *dst;
  (void) buffer;
  (void) data;
  /* The meta describes the whole packet: only plain copies keep it. */
  if (!GST_META_TRANSFORM_IS_COPY (type))
    return FALSE;
  dst = rv_csi_packet_meta_add (dest);
  if (!dst)
    return FALSE;
  memcpy ((guint8 *) dst + sizeof (GstMeta), (const guint8 *) src +
      sizeof (GstMeta), sizeof (RvCsiPacketMeta) - sizeof (GstMeta));
  return TRUE;
}

const GstMetaInfo *
rv_csi_packet_meta_get_info (void)
{
  static const GstMetaInfo *info;

  if (g_once_init_enter ((GstMetaInfo **) & info)) {
    const GstMetaInfo *i = gst_meta_register (rv_csi_packet_meta_api_get_type
        (), "RvCsiPacketMeta", sizeof (RvCsiPacketMeta), packet_meta_init,
        NULL, packet_meta_transform);
    g_once_init_leave ((GstMetaInfo **) & info, (GstMetaInfo *) i);
  }
  return info;
}

RvCsiPacketMeta *
rv_csi_packet_meta_add (GstBuffer * buf)
{
  return (RvCsiPacketMeta *) gst_buffer_add_meta (buf,
      rv_csi_packet_meta_get_info (), NULL);
}

/* ------------------------------------------------------------- embedding */

GType
rv_embedding_meta_api_get_type (void)
{
  static GType type;
  static const gchar *tags[] = { NULL };

  if (g_once_init_enter (&type)) {
    GType t = gst_meta_api_type_register ("RvEmbeddingMetaAPI", tags);
    g_once_init_leave (&type, t);
  }
  return type;
}

static gboolean
embedding_meta_init (GstMeta * meta, gpointer params, GstBuffer * buffer)
{
  RvEmbeddingMeta *m = (RvEmbeddingMeta *) meta;
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
  RvEmbeddingMeta *m = (RvEmbeddingMeta *) meta;
  (void) buffer;
  g_free (m->data);
  m->data = NULL;
}

static gboolean
embedding_meta_transform (GstBuffer * dest, GstMeta * meta, GstBuffer * buffer,
    GQuark type, gpointer data)
{
  RvEmbeddingMeta *src = (RvEmbeddingMeta *) meta, *dst;
  (void) buffer;
  (void) data;
  if (!GST_META_TRANSFORM_IS_COPY (type))
    return FALSE;
  dst = rv_embedding_meta_add (dest, src->dims);
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
rv_embedding_meta_get_info (void)
{
  static const GstMetaInfo *info;

  if (g_once_init_enter ((GstMetaInfo **) & info)) {
    const GstMetaInfo *i = gst_meta_register (rv_embedding_meta_api_get_type
        (), "RvEmbeddingMeta", sizeof (RvEmbeddingMeta), embedding_meta_init,
        embedding_meta_free, embedding_meta_transform);
    g_once_init_leave ((GstMetaInfo **) & info, (GstMetaInfo *) i);
  }
  return info;
}

RvEmbeddingMeta *
rv_embedding_meta_add (GstBuffer * buf, guint dims)
{
  RvEmbeddingMeta *m;

  if (dims > RV_EMBEDDING_META_MAX_DIMS)
    return NULL;
  m = (RvEmbeddingMeta *) gst_buffer_add_meta (buf,
      rv_embedding_meta_get_info (), NULL);
  if (!m)
    return NULL;
  m->dims = (guint16) dims;
  m->data = dims ? g_new0 (gfloat, dims) : NULL;
  return m;
}

/* -------------------------------------------------------- classification */

GType
rv_classification_meta_api_get_type (void)
{
  static GType type;
  static const gchar *tags[] = { NULL };

  if (g_once_init_enter (&type)) {
    GType t = gst_meta_api_type_register ("RvClassificationMetaAPI", tags);
    g_once_init_leave (&type, t);
  }
  return type;
}

static gboolean
cls_meta_init (GstMeta * meta, gpointer params, GstBuffer * buffer)
{
  RvClassificationMeta *m = (RvClassificationMeta *) meta;
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
  return TRUE;
}

static void
cls_meta_free (GstMeta * meta, GstBuffer * buffer)
{
  RvClassificationMeta *m = (RvClassificationMeta *) meta;
  (void) buffer;
  g_free (m->class_quarks);
  g_free (m->confidence_levels);
  m->class_quarks = NULL;
  m->confidence_levels = NULL;
}

static gboolean
cls_meta_transform (GstBuffer * dest, GstMeta * meta, GstBuffer * buffer,
    GQuark type, gpointer data)
{
  RvClassificationMeta *src = (RvClassificationMeta *) meta, *dst;
  (void) buffer;
  (void) data;
  if (!GST_META_TRANSFORM_IS_COPY (type))
    return FALSE;
  dst = rv_classification_meta_add (dest, src->length, src->class_quarks);
  if (!dst)
    return FALSE;
  if (src->length)
    memcpy (dst->confidence_levels, src->confidence_levels,
        src->length * sizeof (gfloat));
  dst->node_id = src->node_id;
  dst->antenna = src->antenna;
  dst->decision = src->decision;
  dst->decision_confidence = src->decision_confidence;
  dst->decision_changed = src->decision_changed;
  return TRUE;
}

const GstMetaInfo *
rv_classification_meta_get_info (void)
{
  static const GstMetaInfo *info;

  if (g_once_init_enter ((GstMetaInfo **) & info)) {
    const GstMetaInfo *i =
        gst_meta_register (rv_classification_meta_api_get_type (),
        "RvClassificationMeta", sizeof (RvClassificationMeta), cls_meta_init,
        cls_meta_free, cls_meta_transform);
    g_once_init_leave ((GstMetaInfo **) & info, (GstMetaInfo *) i);
  }
  return info;
}

RvClassificationMeta *
rv_classification_meta_add (GstBuffer * buf, gsize length,
    const GQuark * quarks)
{
  RvClassificationMeta *m = (RvClassificationMeta *) gst_buffer_add_meta (buf,
      rv_classification_meta_get_info (), NULL);

  if (!m)
    return NULL;
  m->length = length;
  if (length) {
    m->class_quarks = g_new0 (GQuark, length);
    m->confidence_levels = g_new0 (gfloat, length);
    if (quarks)
      memcpy (m->class_quarks, quarks, length * sizeof (GQuark));
  }
  return m;
}
