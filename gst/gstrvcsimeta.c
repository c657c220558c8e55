/* gstrvcsimeta.c — registration, init/free/transform of the rvcsi metas.
 *
 * The five metas differ only in their layout, their non-zero defaults and
 * the arrays some of them own: one table says that, and one set of
 * init/free/transform functions serves them all. */
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

/* ------------------------------------------------- per-meta differences */

static void
packet_defaults (GstMeta * meta)
{
  ((GstRvCsiPacketMeta *) meta)->arrival = GST_CLOCK_TIME_NONE;
}

static void
embedding_copy (GstMeta * meta, const GstMeta * from)
{
  GstRvEmbeddingMeta *m = (GstRvEmbeddingMeta *) meta;

  m->data = g_memdup2 (((const GstRvEmbeddingMeta *) from)->data,
      m->dims * sizeof (gfloat));
}

static void
embedding_free (GstMeta * meta)
{
  g_clear_pointer (&((GstRvEmbeddingMeta *) meta)->data, g_free);
}

static void
cls_defaults (GstMeta * meta)
{
  ((GstRvClassificationMeta *) meta)->decision = -1;
}

static void
cls_copy (GstMeta * meta, const GstMeta * from)
{
  GstRvClassificationMeta *m = (GstRvClassificationMeta *) meta;
  const GstRvClassificationMeta *f = (const GstRvClassificationMeta *) from;

  m->class_quarks = g_memdup2 (f->class_quarks, m->length * sizeof (GQuark));
  m->confidence_levels = g_memdup2 (f->confidence_levels,
      m->length * sizeof (gfloat));
  m->model_levels = g_memdup2 (f->model_levels, m->length * sizeof (gfloat));
}

static void
cls_free (GstMeta * meta)
{
  GstRvClassificationMeta *m = (GstRvClassificationMeta *) meta;

  g_clear_pointer (&m->class_quarks, g_free);
  g_clear_pointer (&m->confidence_levels, g_free);
  g_clear_pointer (&m->model_levels, g_free);
}

static void
room_defaults (GstMeta * meta)
{
  GstRvRoomMeta *m = (GstRvRoomMeta *) meta;

  m->label_index = -1;
  m->stream_time = GST_CLOCK_TIME_NONE;
  m->fall_node = -1;
  m->fall_onset = GST_CLOCK_TIME_NONE;
  m->fall_delay = GST_CLOCK_TIME_NONE;
}

typedef enum
{
  META_PACKET,
  META_EMBEDDING,
  META_CLASSIFICATION,
  META_MOTION,
  META_ROOM,
  META_COUNT
} MetaId;

typedef struct
{
  const gchar *api_name;        /* what applications look up by name */
  const gchar *impl_name;
  gsize size;
  void (*defaults) (GstMeta * meta);    /* non-zero fields of a new meta */
  void (*copy) (GstMeta * meta, const GstMeta * from);  /* owned arrays */
  void (*free) (GstMeta * meta);        /* owned arrays */
} MetaDesc;

static const MetaDesc metas[META_COUNT] = {
  [META_PACKET] = {"GstRvCsiPacketMetaAPI", "GstRvCsiPacketMeta",
      sizeof (GstRvCsiPacketMeta), packet_defaults, NULL, NULL},
  [META_EMBEDDING] = {"GstRvEmbeddingMetaAPI", "GstRvEmbeddingMeta",
      sizeof (GstRvEmbeddingMeta), NULL, embedding_copy, embedding_free},
  [META_CLASSIFICATION] = {"GstRvClassificationMetaAPI",
        "GstRvClassificationMeta", sizeof (GstRvClassificationMeta),
      cls_defaults, cls_copy, cls_free},
  [META_MOTION] = {"GstRvMotionMetaAPI", "GstRvMotionMeta",
      sizeof (GstRvMotionMeta), NULL, NULL, NULL},
  [META_ROOM] = {"GstRvRoomMetaAPI", "GstRvRoomMeta",
      sizeof (GstRvRoomMeta), room_defaults, NULL, NULL},
};

/* ------------------------------------------------------ shared machinery */

static GType api_types[META_COUNT];
static const GstMetaInfo *infos[META_COUNT];

static GType
meta_api_type (MetaId id)
{
  static const gchar *tags[] = { NULL };

  if (g_once_init_enter (&api_types[id])) {
    GType t = gst_meta_api_type_register (metas[id].api_name, tags);
    g_once_init_leave (&api_types[id], t);
  }
  return api_types[id];
}

static const MetaDesc *
meta_desc (const GstMeta * meta)
{
  guint id;

  for (id = 0; id < META_COUNT; id++)
    if (meta->info->api == api_types[id])
      return &metas[id];
  g_return_val_if_reached (NULL);
}

static gboolean
meta_init (GstMeta * meta, gpointer params, GstBuffer * buffer)
{
  const MetaDesc *d = meta_desc (meta);

  (void) params;
  (void) buffer;
  memset ((guint8 *) meta + sizeof (GstMeta), 0, d->size - sizeof (GstMeta));
  if (d->defaults)
    d->defaults (meta);
  return TRUE;
}

static void
meta_free (GstMeta * meta, GstBuffer * buffer)
{
  const MetaDesc *d = meta_desc (meta);

  (void) buffer;
  if (d->free)
    d->free (meta);
}

static gboolean
meta_transform (GstBuffer * dest, GstMeta * meta, GstBuffer * buffer,
    GQuark type, gpointer data)
{
  const MetaDesc *d = meta_desc (meta);
  GstMeta *dst;

  (void) buffer;
  (void) data;
  /* A meta describes the packet or stream step the buffer carries: copies
   * keep it, other transforms (scaling, ...) drop it. */
  if (!GST_META_TRANSFORM_IS_COPY (type))
    return FALSE;
  dst = gst_buffer_add_meta (dest, meta->info, NULL);
  if (!dst)
    return FALSE;
  memcpy ((guint8 *) dst + sizeof (GstMeta),
      (const guint8 *) meta + sizeof (GstMeta), d->size - sizeof (GstMeta));
  if (d->copy)
    d->copy (dst, meta);
  return TRUE;
}

static const GstMetaInfo *
meta_info (MetaId id)
{
  if (g_once_init_enter ((GstMetaInfo **) & infos[id])) {
    const GstMetaInfo *i = gst_meta_register (meta_api_type (id),
        metas[id].impl_name, metas[id].size, meta_init, meta_free,
        meta_transform);
    g_once_init_leave ((GstMetaInfo **) & infos[id], (GstMetaInfo *) i);
  }
  return infos[id];
}

/* The public api_get_type / get_info pair of one meta. */
#define GST_RV_META_DEFINE(prefix, id)                                  \
  GType prefix##_api_get_type (void) { return meta_api_type (id); }     \
  const GstMetaInfo *prefix##_get_info (void) { return meta_info (id); }

GST_RV_META_DEFINE (gst_rv_csi_packet_meta, META_PACKET)
GST_RV_META_DEFINE (gst_rv_embedding_meta, META_EMBEDDING)
GST_RV_META_DEFINE (gst_rv_classification_meta, META_CLASSIFICATION)
GST_RV_META_DEFINE (gst_rv_motion_meta, META_MOTION)
GST_RV_META_DEFINE (gst_rv_room_meta, META_ROOM)

/* ---------------------------------------------------------- constructors */

GstRvCsiPacketMeta *
gst_rv_csi_packet_meta_add (GstBuffer * buf)
{
  return (GstRvCsiPacketMeta *) gst_buffer_add_meta (buf,
      meta_info (META_PACKET), NULL);
}

GstRvMotionMeta *
gst_rv_motion_meta_add (GstBuffer * buf)
{
  return (GstRvMotionMeta *) gst_buffer_add_meta (buf,
      meta_info (META_MOTION), NULL);
}

GstRvRoomMeta *
gst_rv_room_meta_add (GstBuffer * buf)
{
  return (GstRvRoomMeta *) gst_buffer_add_meta (buf, meta_info (META_ROOM),
      NULL);
}

GstRvEmbeddingMeta *
gst_rv_embedding_meta_add (GstBuffer * buf, guint dims)
{
  GstRvEmbeddingMeta *m;

  if (dims > GST_RV_EMBEDDING_META_MAX_DIMS)
    return NULL;
  m = (GstRvEmbeddingMeta *) gst_buffer_add_meta (buf,
      meta_info (META_EMBEDDING), NULL);
  if (!m)
    return NULL;
  m->dims = (guint16) dims;
  m->data = dims ? g_new0 (gfloat, dims) : NULL;
  return m;
}

GstRvClassificationMeta *
gst_rv_classification_meta_add (GstBuffer * buf, gsize length,
    const GQuark * quarks)
{
  GstRvClassificationMeta *m = (GstRvClassificationMeta *)
      gst_buffer_add_meta (buf, meta_info (META_CLASSIFICATION), NULL);

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
