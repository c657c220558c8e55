/*
 * gstrvcsimeta.h — buffer metas of the rvcsi plugin.
 *
 * Four metas travel on the buffers of an rvcsi pipeline:
 *
 *   GstRvCsiPacketMeta       rvcsisrc / rvcsiparse / rvcsitextparse: what
 *                            the packet is (node, kind, sequence, gap),
 *                            where it came from and when it arrived.
 *   GstRvEmbeddingMeta       rvtemporalhead: the stream's embedding after
 *                            this packet (one streaming step of the backbone).
 *   GstRvMotionMeta          rvtemporalhead: the stream's motion detector
 *                            state (raw CSI streams).
 *   GstRvClassificationMeta  rvclassify: per-class confidences shaped like
 *                            GStreamer 1.24's GstAnalyticsClsMtd (length,
 *                            per-index GQuark label and confidence level),
 *                            plus the stream's smoothed decision.
 *   GstRvRoomMeta            rvroom: the state of the room the buffer's
 *                            stream belongs to, and a fall event raised
 *                            or cancelled on this buffer.
 *
 * Applications do not link against the plugin: the API types are registered
 * by name ("GstRvCsiPacketMetaAPI", "GstRvEmbeddingMetaAPI",
 * "GstRvClassificationMetaAPI", "GstRvMotionMetaAPI", "GstRvRoomMetaAPI") and the static inline getters below look them
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
  GST_RV_CSI_KIND_UNKNOWN = 0,
  GST_RV_CSI_KIND_CSI_RAW,          /* 0xC5110001 raw CSI frame */
  GST_RV_CSI_KIND_VITALS,           /* 0xC5110002 */
  GST_RV_CSI_KIND_FEATURES,         /* 0xC5110003 feature vector */
  GST_RV_CSI_KIND_FUSED_VITALS,     /* 0xC5110004, 48-byte shape */
  GST_RV_CSI_KIND_WASM_OUTPUT,      /* 0xC5110004, 8+5n module-output shape */
  GST_RV_CSI_KIND_CSI_COMPRESSED,   /* 0xC5110005, passed through undecoded */
  GST_RV_CSI_KIND_FEATURE_STATE,    /* 0xC5110006 */
  GST_RV_CSI_KIND_CLASSIFICATION,   /* 0xC5110007 */
  GST_RV_CSI_KIND_MESH,             /* 0xC5118100 */
  GST_RV_CSI_KIND_TIMESYNC,         /* 0xC511A110 */
  GST_RV_CSI_KIND_COUNT
} GstRvCsiPacketKind;

/* GstRvCsiPacketMeta.flags: how the packet's sequence number relates to the
 * node's previous packets of the same kind, judged by number and arrival
 * time against the node's own rate (kernel rv_seq.h). */
#define GST_RV_CSI_PACKET_FLAG_SEQ_BACKWARD  (1u << 0) /* late: a skipped number arriving
                                                    * after newer ones (reordered) */
#define GST_RV_CSI_PACKET_FLAG_DUPLICATE     (1u << 1) /* a number already received */
#define GST_RV_CSI_PACKET_FLAG_FIRST         (1u << 2) /* first packet of this node+kind */
#define GST_RV_CSI_PACKET_FLAG_SEQ_RESET     (1u << 3) /* the node restarted its sequence
                                                    * (reboot): a new boot starts here */
#define GST_RV_CSI_PACKET_FLAG_CHANNEL       (1u << 4) /* raw CSI on another frequency than
                                                    * the node's previous raw CSI frame */
#define GST_RV_CSI_PACKET_FLAG_NO_NODE       (1u << 5) /* a mesh packet no node could be
                                                    * found for: node_id means nothing */

typedef struct {
  GstMeta meta;

  guint8 node_id;
  guint8 kind;            /* GstRvCsiPacketKind */
  guint16 flags;          /* GST_RV_CSI_PACKET_FLAG_* */
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
} GstRvCsiPacketMeta;

#define GST_RV_EMBEDDING_META_MAX_DIMS 1024

typedef struct {
  GstMeta meta;

  guint8 node_id;
  guint8 antenna;         /* stream key is (node_id, antenna) */
  guint16 dims;           /* number of floats in data */
  guint64 step;           /* frames this stream has seen since its last reset */
  gfloat *data;           /* owned by the meta */
  guint32 model_id;       /* CRC32 of the model blob that produced it */
} GstRvEmbeddingMeta;

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
  /* The model's own probabilities for this frame, before smoothing and
   * before motion gating (length entries, owned); later elements (rvroom's
   * fall detector) read the evidence here. */
  gfloat *model_levels;
  gboolean motion_gated;  /* TRUE when the decision was limited to presence
                           * classes (empty, still, ...): the motion detector
                           * holds the stream quiet or is not calibrated yet */
} GstRvClassificationMeta;

/* rvtemporalhead: the stream's motion detector state after this frame
 * (raw CSI streams only; feature-state streams carry none). */
typedef struct {
  GstMeta meta;

  guint8 node_id;
  guint8 antenna;
  gboolean motion;        /* hysteresis-held state */
  gboolean calibrated;    /* FALSE until the stream has a quiet baseline */
  gboolean changed;       /* TRUE on the buffer that changed `motion` */
  gfloat score;           /* detector statistic, same unit as threshold */
  gfloat threshold;
} GstRvMotionMeta;

/* GstRvRoomMeta.fall: what happened to a fall event on this buffer. */
typedef enum {
  GST_RV_ROOM_FALL_NONE = 0,
  GST_RV_ROOM_FALL_ALARM,       /* confirmed: the `rvfall` message */
  GST_RV_ROOM_FALL_CANCEL,      /* the person got up: `rvfall-cancel` */
} GstRvRoomFall;

/* rvroom: one per room a stream of this buffer belongs to. */
typedef struct {
  GstMeta meta;

  GQuark room;            /* the room's name */
  GQuark label;           /* the room's label, 0 before the first */
  gint label_index;       /* class index, -1 before the first */
  gfloat confidence;
  gboolean occupied;
  guint links;            /* links (node, antenna) used */
  GstClockTime stream_time;  /* of the newest contributing buffer */
  gboolean changed;       /* TRUE on the buffer that changed the state */
  guint8 fall;            /* GstRvRoomFall */
  gint fall_node;         /* node that saw it best, -1 */
  GstClockTime fall_onset;   /* stream time of the impact */
  gfloat fall_confidence;
  GstClockTime fall_delay;   /* onset -> alarm, ns */
} GstRvRoomMeta;

GType gst_rv_csi_packet_meta_api_get_type (void);
GType gst_rv_embedding_meta_api_get_type (void);
GType gst_rv_classification_meta_api_get_type (void);
GType gst_rv_motion_meta_api_get_type (void);
GType gst_rv_room_meta_api_get_type (void);
const GstMetaInfo *gst_rv_csi_packet_meta_get_info (void);
const GstMetaInfo *gst_rv_embedding_meta_get_info (void);
const GstMetaInfo *gst_rv_classification_meta_get_info (void);
const GstMetaInfo *gst_rv_motion_meta_get_info (void);
const GstMetaInfo *gst_rv_room_meta_get_info (void);

/* Plugin-internal constructors (the plugin links these; apps read metas). */
GstRvCsiPacketMeta *gst_rv_csi_packet_meta_add (GstBuffer * buf);
GstRvEmbeddingMeta *gst_rv_embedding_meta_add (GstBuffer * buf, guint dims);
GstRvClassificationMeta *gst_rv_classification_meta_add (GstBuffer * buf,
    gsize length, const GQuark * quarks);
GstRvMotionMeta *gst_rv_motion_meta_add (GstBuffer * buf);
GstRvRoomMeta *gst_rv_room_meta_add (GstBuffer * buf);

/* Plugin-internal lookup with the cached API type (the inline getters
 * below resolve the type by name on every call, fine for applications). */
#define GST_RV_CSI_PACKET_META_GET(buf) ((GstRvCsiPacketMeta *) \
    gst_buffer_get_meta ((buf), gst_rv_csi_packet_meta_api_get_type ()))
/* The motion meta of stream (node, antenna) on buf, or NULL. */
GstRvMotionMeta *gst_rv_motion_meta_find (GstBuffer * buf, guint8 node,
    guint8 antenna);

/* "csi-raw", "feature-state", ... (same names as the kernel). */
const gchar *gst_rv_csi_packet_kind_nick (guint kind);

/* ---- application-side getters: no link to the plugin needed ---- */

/* The meta whose API type is registered under api_name, or NULL (also
 * while the plugin is not loaded). */
static inline GstMeta *
gst_rv_buffer_get_meta_by_api_name (GstBuffer * buf, const gchar * api_name)
{
  GType t = g_type_from_name (api_name);
  return t ? gst_buffer_get_meta (buf, t) : NULL;
}

/* GstRvCsiPacketMeta *gst_rv_buffer_get_csi_packet_meta (GstBuffer *buf);
 * and the same for the embedding, classification and motion metas. */
#define GST_RV_BUFFER_META_GETTER(Type, getter, api_name)              \
  static inline Type *                                                  \
  getter (GstBuffer * buf)                                              \
  {                                                                     \
    return (Type *) gst_rv_buffer_get_meta_by_api_name (buf, api_name); \
  }
GST_RV_BUFFER_META_GETTER (GstRvCsiPacketMeta,
    gst_rv_buffer_get_csi_packet_meta, "GstRvCsiPacketMetaAPI")
GST_RV_BUFFER_META_GETTER (GstRvEmbeddingMeta,
    gst_rv_buffer_get_embedding_meta, "GstRvEmbeddingMetaAPI")
GST_RV_BUFFER_META_GETTER (GstRvClassificationMeta,
    gst_rv_buffer_get_classification_meta, "GstRvClassificationMetaAPI")
GST_RV_BUFFER_META_GETTER (GstRvMotionMeta,
    gst_rv_buffer_get_motion_meta, "GstRvMotionMetaAPI")
/* The first room meta; iterate with gst_buffer_iterate_meta_filtered() and
 * g_type_from_name ("GstRvRoomMetaAPI") when streams of several rooms
 * share a buffer. */
GST_RV_BUFFER_META_GETTER (GstRvRoomMeta,
    gst_rv_buffer_get_room_meta, "GstRvRoomMetaAPI")

/* Source address as a new GSocketAddress (NULL when unknown). */
static inline GSocketAddress *
gst_rv_csi_packet_meta_get_address (const GstRvCsiPacketMeta * m)
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
gst_rv_classification_meta_get_length (const GstRvClassificationMeta * m)
{
  return m->length;
}

static inline gfloat
gst_rv_classification_meta_get_level (const GstRvClassificationMeta * m, gsize i)
{
  return i < m->length ? m->confidence_levels[i] : 0.0f;
}

static inline GQuark
gst_rv_classification_meta_get_quark (const GstRvClassificationMeta * m, gsize i)
{
  return i < m->length ? m->class_quarks[i] : 0;
}

static inline gint
gst_rv_classification_meta_get_index_by_quark (const GstRvClassificationMeta * m,
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
