/*
 * gstrvcsimeta.h — buffer metas of the rvcsi plugin.
 *
 * Three metas travel on the buffers of an rvcsi pipeline:
 *
 *   RvCsiPacketMeta       rvcsisrc / rvcsiparse / rvcsitextparse: what the
 *                         packet is (node, kind, sequence, gap), where it
 *                         came from and when it arrived.
 *   RvEmbeddingMeta       rvtemporalhead: the stream's embedding after this
 *                         packet (one streaming step of the backbone).
 *   RvClassificationMeta  rvclassify: per-class confidences shaped like
 *                         GStreamer 1.24's GstAnalyticsClsMtd (length,
 *                         per-index GQuark label and confidence level), plus
 *                         the stream's smoothed decision.
 *
 * Applications do not link against the plugin: the API types are registered
 * by name ("RvCsiPacketMetaAPI", "RvEmbeddingMetaAPI",
 * "RvClassificationMetaAPI") and the static inline getters below look them
 * up with g_type_from_name(), so including this header is enough.
 * The layouts below are the plugin's ABI: fields are appended, never
 * reordered.
 */
#ifndef GST_RVCSI_META_H
#define GST_RVCSI_META_H

#include <gst/gst.h>
#include <gio/gio.h>

G_BEGIN_DECLS

/* Packet kinds, same values as the kernel's rv_pkt_kind (rv_wire.h). */
typedef enum {
  RV_CSI_KIND_UNKNOWN = 0,
  RV_CSI_KIND_CSI_RAW,          /* 0xC5110001 raw CSI frame */
  RV_CSI_KIND_VITALS,           /* 0xC5110002 */
  RV_CSI_KIND_FEATURES,         /* 0xC5110003 feature vector */
  RV_CSI_KIND_FUSED_VITALS,     /* 0xC5110004, 48-byte shape */
  RV_CSI_KIND_WASM_OUTPUT,      /* 0xC5110004, 8+5n module-output shape */
  RV_CSI_KIND_CSI_COMPRESSED,   /* 0xC5110005, passed through undecoded */
  RV_CSI_KIND_FEATURE_STATE,    /* 0xC5110006 */
  RV_CSI_KIND_CLASSIFICATION,   /* 0xC5110007 */
  RV_CSI_KIND_MESH,             /* 0xC5118100 */
  RV_CSI_KIND_TIMESYNC,         /* 0xC511A110 */
  RV_CSI_KIND_COUNT
} RvCsiPacketKind;

/* RvCsiPacketMeta.flags */
#define RV_CSI_PACKET_FLAG_SEQ_BACKWARD  (1u << 0) /* seq went back: reorder or node reboot */
#define RV_CSI_PACKET_FLAG_DUPLICATE     (1u << 1) /* same seq as the previous packet */
#define RV_CSI_PACKET_FLAG_FIRST         (1u << 2) /* first packet of this node+kind */
#define RV_CSI_PACKET_FLAG_SEQ_RESET     (1u << 3) /* seq went back by more than
                                                    * RV_CSI_SEQ_REORDER_WINDOW:
                                                    * the node restarted */
#define RV_CSI_SEQ_REORDER_WINDOW 64

typedef struct {
  GstMeta meta;

  guint8 node_id;
  guint8 kind;            /* RvCsiPacketKind */
  guint16 flags;          /* RV_CSI_PACKET_FLAG_* */
  guint32 seq;            /* the packet's sequence field, 0 if it has none */
  guint32 seq_gap;        /* sequence numbers missing since this node's
                           * previous packet of the same kind (0 = none) */
  GstClockTime arrival;   /* pipeline clock time on receipt (rvcsisrc), or
                           * the capture timestamp (parsers) */
  /* Source address: family is G_SOCKET_FAMILY_INVALID when unknown
   * (replayed captures), IPV4 (4 bytes used) or IPV6 (16 bytes). */
  guint8 src_family;
  guint16 src_port;
  guint8 src_addr[16];
} RvCsiPacketMeta;

#define RV_EMBEDDING_META_MAX_DIMS 1024

typedef struct {
  GstMeta meta;

  guint8 node_id;
  guint8 antenna;         /* stream key is (node_id, antenna) */
  guint16 dims;           /* number of floats in data */
  guint64 step;           /* frames this stream has seen since its last reset */
  gfloat *data;           /* owned by the meta */
  guint32 model_id;       /* CRC32 of the model blob that produced it */
} RvEmbeddingMeta;

typedef struct {
  GstMeta meta;

  /* GstAnalyticsClsMtd shape: index i has a label quark and a level. */
  gsize length;
  GQuark *class_quarks;   /* owned by the meta */
  gfloat *confidence_levels;  /* softmax probabilities (smoothed), owned */

  guint8 node_id;
  guint8 antenna;
  gint decision;          /* index of the stream's current decision, -1 = none yet */
  gfloat decision_confidence;
  gboolean decision_changed;  /* TRUE on the buffer that changed it */
} RvClassificationMeta;

GType rv_csi_packet_meta_api_get_type (void);
GType rv_embedding_meta_api_get_type (void);
GType rv_classification_meta_api_get_type (void);
const GstMetaInfo *rv_csi_packet_meta_get_info (void);
const GstMetaInfo *rv_embedding_meta_get_info (void);
const GstMetaInfo *rv_classification_meta_get_info (void);

/* Plugin-internal constructors (the plugin links these; apps read metas). */
RvCsiPacketMeta *rv_csi_packet_meta_add (GstBuffer * buf);
RvEmbeddingMeta *rv_embedding_meta_add (GstBuffer * buf, guint dims);
RvClassificationMeta *rv_classification_meta_add (GstBuffer * buf,
    gsize length, const GQuark * quarks);

/* Plugin-internal lookup with the cached API type (the inline getters
 * below resolve the type by name on every call, fine for applications). */
#define RV_CSI_PACKET_META_GET(buf) ((RvCsiPacketMeta *) \
    gst_buffer_get_meta ((buf), rv_csi_packet_meta_api_get_type ()))

/* "csi-raw", "feature-state", ... (same names as the kernel). */
const gchar *rv_csi_packet_kind_nick (guint kind);

/* ---- application-side getters: no link to the plugin needed ---- */

static inline RvCsiPacketMeta *
rv_buffer_get_csi_packet_meta (GstBuffer * buf)
{
  GType t = g_type_from_name ("RvCsiPacketMetaAPI");
  return t ? (RvCsiPacketMeta *) gst_buffer_get_meta (buf, t) : NULL;
}

static inline RvEmbeddingMeta *
rv_buffer_get_embedding_meta (GstBuffer * buf)
{
  GType t = g_type_from_name ("RvEmbeddingMetaAPI");
  return t ? (RvEmbeddingMeta *) gst_buffer_get_meta (buf, t) : NULL;
}

static inline RvClassificationMeta *
rv_buffer_get_classification_meta (GstBuffer * buf)
{
  GType t = g_type_from_name ("RvClassificationMetaAPI");
  return t ? (RvClassificationMeta *) gst_buffer_get_meta (buf, t) : NULL;
}

/* Source address as a new GSocketAddress (NULL when unknown). */
static inline GSocketAddress *
rv_csi_packet_meta_get_address (const RvCsiPacketMeta * m)
{
  GInetAddress *ia;
  GSocketAddress *sa;
  if (m->src_family == G_SOCKET_FAMILY_IPV4)
    ia = g_inet_address_new_from_bytes (m->src_addr, G_SOCKET_FAMILY_IPV4);
  else if (m->src_family == G_SOCKET_FAMILY_IPV6)
    ia = g_inet_address_new_from_bytes (m->src_addr, G_SOCKET_FAMILY_IPV6);
  else
    return NULL;
  sa = g_inet_socket_address_new (ia, m->src_port);
  g_object_unref (ia);
  return sa;
}

/* GstAnalyticsClsMtd-style accessors: moving to GstAnalytics (1.24) is a
 * rename of these calls. */
static inline gsize
rv_classification_meta_get_length (const RvClassificationMeta * m)
{
  return m->length;
}

static inline gfloat
rv_classification_meta_get_level (const RvClassificationMeta * m, gsize i)
{
  return i < m->length ? m->confidence_levels[i] : 0.0f;
}

static inline GQuark
rv_classification_meta_get_quark (const RvClassificationMeta * m, gsize i)
{
  return i < m->length ? m->class_quarks[i] : 0;
}

static inline gint
rv_classification_meta_get_index_by_quark (const RvClassificationMeta * m,
    GQuark q)
{
  gsize i;
  for (i = 0; i < m->length; i++)
    if (m->class_quarks[i] == q)
      return (gint) i;
  return -1;
}

G_END_DECLS
#endif /* GST_RVCSI_META_H */
