/*
 * gstrvclassify.c — rvclassify: applies a classification head
 * (rv_model_head_logits) to every GstRvEmbeddingMeta, softmax (kernel
 * rv_softmax), then per stream (node, antenna): exponential smoothing of
 * the probabilities and a hysteresis decision, both in stream time
 * (gstrvdecision.h). Attaches an GstRvClassificationMeta (GstAnalyticsClsMtd
 * shape) and posts an "rvclassify" element message when a stream's decision
 * changes. Decisions follow the stream's GstRvMotionMeta
 * (gstrvmotiongate.h): a quiet stream only gets presence classes, a moving
 * one motion classes; the meta keeps the model's ungated probabilities.
 * Optionally emits 0xC5110007 classification packets (kernel
 * rv_classification_build, the same builder as the node firmware) on the
 * src pad, appended after the frame or instead of it, so udpsink can
 * forward results like node output.
 *
 * A stream makes no decision before it has run min-context of stream time.
 * When a stream that had a decision restarts (rvtemporalhead restarted it:
 * the node rebooted, changed channel, or its context was reset; seen as the
 * embedding's step going back), its decision becomes `unknown` (a message
 * with label-index -1, confidence 0) until min-context has passed again.
 * An `rvcsi-node` event saying a node went offline (gstrvnodeevent.h)
 * turns each of that node's streams into `offline` the same way and drops
 * their state; the event travels on downstream.
 *
 * Extra output buffers use GstBaseTransform's generate_output loop: the
 * packets made while transforming a frame are queued and returned by the
 * following generate_output calls.
 */
#include "gstrvclassify.h"
#include "gstrvelement.h"
#include "gstrvcounters.h"
#include "gstrvcsimeta.h"
#include "gstrvdecision.h"
#include "gstrvmessage.h"
#include "gstrvmodel.h"
#include "gstrvmotiongate.h"
#include "gstrvprops.h"
#include "gstrvstreamfilter.h"

#include <string.h>

#include "rv_classify.h"

GST_DEBUG_CATEGORY_STATIC (gst_rv_classify_debug);
#define GST_CAT_DEFAULT gst_rv_classify_debug

typedef enum
{
  GST_RV_EMIT_NONE = 0,
  GST_RV_EMIT_APPEND = 1,
  GST_RV_EMIT_ONLY = 2,
} GstRvEmitPackets;

/* At 100 Hz CSI: a frame weighs ~0.18 in the average and a change needs
 * ten frames; at 5 Hz feature state: little smoothing, one frame. */
#define DEFAULT_SMOOTHING_TIME  (50 * GST_MSECOND)
#define DEFAULT_MIN_CONFIDENCE  0.5
#define DEFAULT_HOLD_TIME       (100 * GST_MSECOND)
/* The empty/still choice of a quiet stream: a mean over its first second,
 * then a one-second average; the other class must lead it for a second.
 * (The real quiet recordings keep one decision with any hold; longer holds
 * cost simulated rooms their "empty" after a person leaves.) */
#define DEFAULT_PRESENCE_SMOOTHING_TIME GST_SECOND
#define DEFAULT_PRESENCE_HOLD_TIME      GST_SECOND
#define DEFAULT_MOTION_GATE             TRUE
#define DEFAULT_EMIT            GST_RV_EMIT_NONE
#define DEFAULT_PACKET_INTERVAL GST_SECOND
/* Cold start: the feature normalisers and the KV cache need about this much
 * context before the head's output means anything (docs/elements.md). */
#define DEFAULT_MIN_CONTEXT     (2 * GST_SECOND)

/* Labels of the decision messages a stream without a decision gets. */
#define LABEL_UNKNOWN "unknown"
#define LABEL_OFFLINE "offline"

enum
{
  PROP_0,
  PROP_MODEL,
  PROP_HEAD,
  PROP_SMOOTHING_TIME,
  PROP_MIN_CONFIDENCE,
  PROP_HOLD_TIME,
  PROP_PRESENCE_SMOOTHING_TIME,
  PROP_PRESENCE_HOLD_TIME,
  PROP_MOTION_GATE,
  PROP_EMIT_PACKETS,
  PROP_PACKET_INTERVAL,
  PROP_MAX_STREAMS,
  PROP_STREAM_TIMEOUT,
  PROP_MIN_CONTEXT,
  PROP_STATS,
};
G_STATIC_ASSERT (PROP_STREAM_TIMEOUT == PROP_MAX_STREAMS + 1);

/* A model with the head this element applies and its label quarks. */
typedef struct
{
  GstRvLoadedModel *lm;
  guint head;
  guint n_classes;
  GQuark *quarks;
  guint8 *kinds;                /* GstRvClassKind per class */
  gboolean gated;               /* the labels allow motion gating */
} GstRvHead;

typedef struct
{
  const GstRvHead *head;
  GstRvDecision dec;
  guint32 packet_seq;
  GstClockTime last_packet;
  guint64 last_step;            /* embedding step of the previous frame */
} GstRvClsStream;

/* The counters of the stats structure, in its field order. */
typedef enum
{
  CLS_CLASSIFIED,
  CLS_CHANGES,
  CLS_PACKETS,
  CLS_UNMATCHED,
  CLS_RESTARTS,
  CLS_OFFLINE,
  CLS_GATED,
  CLS_N_COUNTERS
} GstRvClsCounter;

static const gchar *const cls_counter_names[CLS_N_COUNTERS] = {
  "classified", "decision-changes", "packets", "unmatched", "stream-restarts",
  "streams-offline", "motion-gated",
};

struct _GstRvClassify
{
  GstRvStreamFilter parent;     /* its stream table: GstRvClsStream */

  /* properties (object lock) */
  gchar *model_path;
  gchar *head_spec;
  GstRvDecisionParams decide;
  gboolean motion_gate;
  GstRvEmitPackets emit;
  GstClockTime packet_interval;

  /* running state */
  GstRvHead heads[2];
  guint n_heads;
  gboolean user_model;
  gfloat logits[RV_RVNE_MAX_DIM > 4096 ? 4096 : RV_RVNE_MAX_DIM];
  GQueue pending;               /* classification packets to push */
  gboolean warned_mismatch;
  gchar *mismatch_detail;       /* warning to post once unlocked */

  guint64 count[CLS_N_COUNTERS];
};

#define GST_TYPE_RV_EMIT_PACKETS (gst_rv_emit_packets_get_type ())
static GType
gst_rv_emit_packets_get_type (void)
{
  static GType type;
  static const GEnumValue values[] = {
    {GST_RV_EMIT_NONE, "Only metas and bus messages", "none"},
    {GST_RV_EMIT_APPEND, "Push 0xC5110007 classification packets after the "
          "frames", "append"},
    {GST_RV_EMIT_ONLY, "Push only 0xC5110007 classification packets (frames "
          "are dropped)", "only"},
    {0, NULL, NULL}
  };
  return gst_rv_props_enum_type (&type, "GstRvEmitPackets", values);
}

#define gst_rv_classify_parent_class parent_class
GST_RV_ELEMENT_DEFINE (GstRvClassify, gst_rv_classify,
    GST_TYPE_RV_STREAM_FILTER, rvclassify, "temporal-head classification");

static void
cls_stream_free (gpointer p)
{
  GstRvClsStream *s = p;
  gst_rv_decision_clear (&s->dec);
  g_free (s);
}

/* The stats property (object lock). */
static GstStructure *
make_stats (GObject * object)
{
  GstRvClassify *self = GST_RV_CLASSIFY (object);
  GstStructure *s = gst_structure_new ("rvclassify-stats",
      "streams", G_TYPE_UINT, gst_rv_streams_active (&self->parent.streams),
      "streams-refused", G_TYPE_UINT64, self->parent.streams.refused,
      "streams-expired", G_TYPE_UINT64, self->parent.streams.expired, NULL);

  gst_rv_structure_set_counters (s, cls_counter_names, self->count,
      CLS_N_COUNTERS);
  return s;
}

static void
clear_heads (GstRvClassify * self)
{
  for (guint i = 0; i < self->n_heads; i++) {
    g_clear_pointer (&self->heads[i].lm, gst_rv_loaded_model_unref);
    g_clear_pointer (&self->heads[i].quarks, g_free);
    g_clear_pointer (&self->heads[i].kinds, g_free);
  }
  self->n_heads = 0;
}

static gboolean
add_head (GstRvClassify * self, GstRvLoadedModel * lm, const gchar * spec)
{
  GstRvHead *h = &self->heads[self->n_heads];
  gint idx = gst_rv_loaded_model_find_head (lm, spec);
  guint n;

  if (idx < 0) {
    GString *names = g_string_new (NULL);
    for (guint i = 0; i < rv_model_n_heads (lm->model); i++) {
      size_t len = 0;
      const char *s = rv_model_head_name (lm->model, i, &len);
      g_string_append_printf (names, "%s%u=%.*s", i ? ", " : "", i,
          (int) len, s ? s : "");
    }
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Model has no classification head \"%s\"", spec),
        ("model %s has heads: %s. Set head to one of the names or indices",
            lm->origin, names->str));
    g_string_free (names, TRUE);
    gst_rv_loaded_model_unref (lm);
    return FALSE;
  }
  n = rv_model_n_classes (lm->model, (guint) idx);
  if (n > G_N_ELEMENTS (self->logits)) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Model head has too many classes"), ("%u classes, at most %u",
            n, (guint) G_N_ELEMENTS (self->logits)));
    gst_rv_loaded_model_unref (lm);
    return FALSE;
  }
  h->lm = lm;
  h->head = (guint) idx;
  h->n_classes = n;
  h->quarks = g_new0 (GQuark, n);
  for (guint c = 0; c < n; c++) {
    gchar *label = gst_rv_loaded_model_label (lm, h->head, c);
    h->quarks[c] = g_quark_from_string (label);
    g_free (label);
  }
  h->kinds = g_new0 (guint8, n);
  h->gated = gst_rv_class_kinds_from_labels (h->quarks, n, h->kinds);
  if (!h->gated)
    GST_INFO_OBJECT (self, "model %s head %u has no presence and motion "
        "labels to gate", lm->origin, h->head);
  self->n_heads++;
  return TRUE;
}

static gboolean
gst_rv_classify_start (GstRvStreamFilter * filter)
{
  GstRvClassify *self = GST_RV_CLASSIFY (filter);
  gchar *path, *head;
  GError *err = NULL;
  gboolean ok = TRUE;

  GST_OBJECT_LOCK (self);
  path = g_strdup (self->model_path);
  head = g_strdup (self->head_spec);
  GST_OBJECT_UNLOCK (self);

  clear_heads (self);
  self->user_model = path && *path;
  if (self->user_model) {
    GstRvLoadedModel *lm = gst_rv_loaded_model_from_file (path, &err);
    ok = lm && add_head (self, lm, head);
  } else {
    GstRvLoadedModel *a = gst_rv_loaded_model_builtin (GST_RV_MODEL_BUILTIN_CSI, &err);
    GstRvLoadedModel *b = a ? gst_rv_loaded_model_builtin (GST_RV_MODEL_BUILTIN_STATE,
        &err) : NULL;
    ok = a && b && add_head (self, a, head);
    if (ok)
      ok = add_head (self, b, head);
    else if (b)
      gst_rv_loaded_model_unref (b);
    else if (a && !ok && !b)
      gst_rv_loaded_model_unref (a);
  }
  if (err) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ,
        ("Could not load the classification model"), ("%s", err->message));
    g_clear_error (&err);
  }
  g_free (path);
  g_free (head);
  if (!ok) {
    clear_heads (self);
    return FALSE;
  }
  memset (self->count, 0, sizeof self->count);
  self->warned_mismatch = FALSE;
  return TRUE;
}

/* Flush or new stream: packets made before it are not sent. */
static void
gst_rv_classify_restart (GstRvStreamFilter * filter)
{
  GstRvClassify *self = GST_RV_CLASSIFY (filter);

  g_queue_clear_full (&self->pending, (GDestroyNotify) gst_buffer_unref);
}

static void
gst_rv_classify_stop (GstRvStreamFilter * filter)
{
  gst_rv_classify_restart (filter);
  clear_heads (GST_RV_CLASSIFY (filter));
}

/* A decision message for a stream that has no decision (any more): label
 * `unknown` (restarted) or `offline` (its node went silent). */
static GstMessage *
no_decision_message (GstRvClassify * self, guint node, guint antenna,
    const gchar * label, const gchar * previous, const gchar * reason,
    GstClockTime running, GstClockTime stream_time,
    const GstRvCsiPacketMeta * pm)
{
  GstStructure *st = gst_rv_stream_structure_new ("rvclassify", node,
      antenna,
      "label", G_TYPE_STRING, label,
      "label-index", G_TYPE_INT, -1,
      "confidence", G_TYPE_DOUBLE, 0.0,
      "previous-label", G_TYPE_STRING, previous ? previous : "",
      "reason", G_TYPE_STRING, reason,
      "timestamp", G_TYPE_UINT64, (guint64) running, NULL);

  gst_rv_stream_structure_add_times (st, stream_time, pm);
  gst_structure_set (st, "seq", G_TYPE_UINT, pm ? pm->seq : 0u, NULL);
  return gst_message_new_element (GST_OBJECT (self), st);
}

static const gchar *
decision_label (const GstRvClsStream * s)
{
  return s->dec.decision >= 0 ?
      g_quark_to_string (s->head->quarks[s->dec.decision]) : NULL;
}

/* The node went silent: each of its streams reads `offline` and loses its
 * state, so a node that comes back starts from a cold context (called under
 * the object lock). */
static void
gst_rv_classify_stream_offline (GstRvStreamFilter * filter,
    GstRvStreamEntry * e, GstClockTime when, GQueue * msgs)
{
  GstRvClassify *self = GST_RV_CLASSIFY (filter);

  self->count[CLS_OFFLINE]++;
  g_queue_push_tail (msgs, no_decision_message (self, e->key >> 8,
          e->key & 0xff, LABEL_OFFLINE, decision_label (e->data), "offline",
          when, when, NULL));
}

static const GstRvHead *
find_head (GstRvClassify * self, const GstRvEmbeddingMeta * em)
{
  for (guint i = 0; i < self->n_heads; i++) {
    const GstRvHead *h = &self->heads[i];
    if (self->user_model) {
      if (rv_model_d_model (h->lm->model) == em->dims)
        return h;
    } else if (h->lm->id == em->model_id) {
      return h;
    }
  }
  return NULL;
}

static GstBuffer *
make_packet (GstRvClassify * self, GstRvClsStream * s, const GstRvEmbeddingMeta * em,
    GstBuffer * frame, GstClockTime running)
{
  guint8 out[RV_CLASSIFICATION_SIZE];
  size_t written = 0;
  const rv_classification_hdr hdr = { em->node_id,
    GST_CLOCK_TIME_IS_VALID (running) ? running / GST_USECOND : 0,
    s->packet_seq++
  };
  GstBuffer *buf;
  GstRvCsiPacketMeta *pm;

  if (rv_classification_build (self->logits, s->head->n_classes,
          s->dec.decision >= 0 ? s->dec.decision : s->dec.candidate, &hdr,
          out, sizeof out, &written) != RV_OK)
    return NULL;
  buf = gst_buffer_new_memdup (out, written);
  GST_BUFFER_PTS (buf) = GST_BUFFER_PTS (frame);
  GST_BUFFER_DTS (buf) = GST_BUFFER_DTS (frame);
  pm = gst_rv_csi_packet_meta_add (buf);
  pm->node_id = em->node_id;
  pm->kind = GST_RV_CSI_KIND_CLASSIFICATION;
  pm->seq = hdr.seq;
  pm->arrival = GST_BUFFER_PTS (frame);
  return buf;
}

static GstMessage *
change_message (GstRvClassify * self, const GstRvClsStream * s,
    const GstRvEmbeddingMeta * em, gint prev, GstBuffer * buf,
    GstClockTime running, const GstRvCsiPacketMeta * pm)
{
  GstStructure *st = gst_rv_stream_structure_new ("rvclassify",
      em->node_id, em->antenna,
      "label", G_TYPE_STRING, g_quark_to_string (s->head->quarks[s->dec.decision]),
      "label-index", G_TYPE_INT, s->dec.decision,
      "confidence", G_TYPE_DOUBLE, (gdouble) s->dec.levels[s->dec.decision],
      "previous-label", G_TYPE_STRING, prev >= 0 ?
      g_quark_to_string (s->head->quarks[prev]) : "",
      "timestamp", G_TYPE_UINT64, (guint64) running, NULL);

  gst_rv_stream_structure_add_times (st, gst_rv_buffer_stream_time
      (&GST_BASE_TRANSFORM (self)->segment, buf), pm);
  gst_structure_set (st, "seq", G_TYPE_UINT, pm ? pm->seq : 0u, NULL);
  return gst_message_new_element (GST_OBJECT (self), st);
}

static const gchar *
restart_reason (const GstRvCsiPacketMeta * pm)
{
  if (pm && (pm->flags & GST_RV_CSI_PACKET_FLAG_SEQ_RESET))
    return "reboot";
  if (pm && (pm->flags & GST_RV_CSI_PACKET_FLAG_CHANNEL))
    return "channel";
  return "restart";
}

/* rvtemporalhead restarted the stream (its step went back): forget the
 * smoothed probabilities and the decision; say so if there was one. */
static void
check_restart (GstRvClassify * self, GstRvClsStream * s,
    const GstRvEmbeddingMeta * em, const GstRvCsiPacketMeta * pm,
    GstBuffer * buf, GstClockTime running, GQueue * msgs)
{
  gboolean restarted = em->step && s->last_step && em->step <= s->last_step;

  s->last_step = em->step;
  if (!restarted)
    return;
  self->count[CLS_RESTARTS]++;
  if (s->dec.decision >= 0) {
    GstClockTime st = gst_rv_buffer_stream_time
        (&GST_BASE_TRANSFORM (self)->segment, buf);
    g_queue_push_tail (msgs, no_decision_message (self, em->node_id,
            em->antenna, LABEL_UNKNOWN, decision_label (s),
            restart_reason (pm), running, st, pm));
    self->count[CLS_CHANGES]++;
  }
  gst_rv_decision_reset (&s->dec);
}

/* Runs under the object lock: messages go to *msgs and are posted after
 * it is released (posting takes the element's lock). */
static void
classify_one (GstRvClassify * self, GstBuffer * buf, GstRvEmbeddingMeta * em,
    const GstRvCsiPacketMeta * pm, GstClockTime running, GQueue * msgs)
{
  const GstRvHead *h = find_head (self, em);
  guint32 key = GST_RV_STREAM_KEY (em->node_id, em->antenna);
  GstRvStreamEntry *e;
  GstRvClsStream *s;
  GstRvClassificationMeta *cm;
  gfloat p[G_N_ELEMENTS (self->logits)];
  gint prev = -1;
  gboolean changed = FALSE;
  GstRvGate gate;

  if (!h) {
    self->count[CLS_UNMATCHED]++;
    if (!self->warned_mismatch) {
      self->warned_mismatch = TRUE;
      self->mismatch_detail = g_strdup_printf ("embedding of %u dims from "
          "model %08x has no matching head; set rvclassify's model to the "
          ".rvne file rvtemporalhead uses", em->dims, em->model_id);
    }
    return;
  }
  if (rv_model_head_logits (h->lm->model, h->head, em->data,
          self->logits) != RV_OK)
    return;

  e = gst_rv_streams_lookup (&self->parent.streams, key, running);
  if (e && ((GstRvClsStream *) e->data)->head != h) {
    gst_rv_streams_remove (&self->parent.streams, e);
    e = NULL;
  }
  if (!e) {
    if (!gst_rv_streams_make_room (&self->parent.streams, running,
        self->parent.stream_props.stream_timeout))
      return;
    s = g_new0 (GstRvClsStream, 1);
    s->head = h;
    gst_rv_decision_init (&s->dec, h->n_classes);
    s->last_packet = GST_CLOCK_TIME_NONE;
    e = gst_rv_streams_insert (&self->parent.streams, key, s, running);
  }
  s = e->data;
  check_restart (self, s, em, pm, buf, running, msgs);

  if (rv_softmax (self->logits, p, h->n_classes) != RV_OK)
    return;
  gate = h->gated && self->motion_gate ? gst_rv_motion_gate (gst_rv_motion_meta_find (buf,
          em->node_id, em->antenna)) : GST_RV_GATE_NONE;
  changed = gst_rv_decision_update (&s->dec, &self->decide, p, h->kinds, gate,
      running, &prev);
  self->count[CLS_CLASSIFIED]++;
  if (gate == GST_RV_GATE_PRESENCE)
    self->count[CLS_GATED]++;
  if (changed)
    self->count[CLS_CHANGES]++;

  cm = gst_rv_classification_meta_add (buf, h->n_classes, h->quarks);
  memcpy (cm->confidence_levels, s->dec.levels,
      h->n_classes * sizeof (gfloat));
  memcpy (cm->model_levels, p, h->n_classes * sizeof (gfloat));
  cm->motion_gated = gate == GST_RV_GATE_PRESENCE;
  cm->node_id = em->node_id;
  cm->antenna = em->antenna;
  cm->decision = s->dec.decision;
  cm->decision_confidence = s->dec.decision >= 0 ?
      s->dec.levels[s->dec.decision] : 0.0f;
  cm->decision_changed = changed;

  if (changed)
    g_queue_push_tail (msgs, change_message (self, s, em, prev, buf, running,
            pm));

  /* Before the first decision, packets carry the smoothed argmax (what an
   * on-device head would send). */
  if (self->emit != GST_RV_EMIT_NONE && (changed ||
          !GST_CLOCK_TIME_IS_VALID (s->last_packet) ||
          !GST_CLOCK_TIME_IS_VALID (running) ||
          running >= s->last_packet + self->packet_interval)) {
    GstBuffer *pkt = make_packet (self, s, em, buf, running);
    if (pkt) {
      g_queue_push_tail (&self->pending, pkt);
      s->last_packet = running;
      self->count[CLS_PACKETS]++;
    }
  }
}

static GstFlowReturn
gst_rv_classify_transform_ip (GstBaseTransform * trans, GstBuffer * buf)
{
  GstRvClassify *self = GST_RV_CLASSIFY (trans);
  GstRvCsiPacketMeta *pm = GST_RV_CSI_PACKET_META_GET (buf);
  GType api = gst_rv_embedding_meta_api_get_type ();
  GstClockTime running = GST_CLOCK_TIME_NONE;
  gpointer state = NULL;
  GstMeta *meta;
  GQueue msgs = G_QUEUE_INIT;

  if (GST_BUFFER_PTS_IS_VALID (buf))
    running = gst_segment_to_running_time (&trans->segment, GST_FORMAT_TIME,
        GST_BUFFER_PTS (buf));
  GST_OBJECT_LOCK (self);
  gst_rv_streams_expire (&self->parent.streams, running,
      self->parent.stream_props.stream_timeout);
  /* Collect first: adding classification metas while iterating is unsafe. */
  {
    GstRvEmbeddingMeta *ems[8];
    guint n = 0;
    while ((meta = gst_buffer_iterate_meta_filtered (buf, &state, api)) &&
        n < G_N_ELEMENTS (ems))
      ems[n++] = (GstRvEmbeddingMeta *) meta;
    for (guint i = 0; i < n; i++)
      classify_one (self, buf, ems[i], pm, running, &msgs);
  }
  GST_OBJECT_UNLOCK (self);

  gst_rv_post_queued_messages (GST_ELEMENT (self), &msgs);
  if (self->mismatch_detail) {
    GST_ELEMENT_WARNING (self, STREAM, FORMAT,
        ("Embeddings do not match rvclassify's model"), ("%s",
            self->mismatch_detail));
    g_clear_pointer (&self->mismatch_detail, g_free);
  }
  return GST_FLOW_OK;
}

static GstFlowReturn
gst_rv_classify_generate_output (GstBaseTransform * trans, GstBuffer ** outbuf)
{
  GstRvClassify *self = GST_RV_CLASSIFY (trans);
  GstFlowReturn ret;
  GstRvEmitPackets emit;

  *outbuf = NULL;
  if (!g_queue_is_empty (&self->pending)) {
    *outbuf = g_queue_pop_head (&self->pending);
    return GST_FLOW_OK;
  }
  ret = GST_BASE_TRANSFORM_CLASS (parent_class)->generate_output (trans,
      outbuf);
  GST_OBJECT_LOCK (self);
  emit = self->emit;
  GST_OBJECT_UNLOCK (self);
  if (ret == GST_FLOW_OK && *outbuf && emit == GST_RV_EMIT_ONLY) {
    gst_buffer_unref (*outbuf);
    *outbuf = g_queue_pop_head (&self->pending);
  }
  return ret;
}

static void
gst_rv_classify_class_init (GstRvClassifyClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);
  GstRvStreamFilterClass *filter_class = GST_RV_STREAM_FILTER_CLASS (klass);

  GST_RV_PROP_FIELD (gobject_class, PROP_MODEL, GstRvClassify, model_path,
      g_param_spec_string ("model", "Model",
          "Path of the .rvne file whose classification head to apply (the "
          "same file as rvtemporalhead's model, or a head-only retrain with "
          "the same embedding size); unset uses the built-in models, "
          "matched to each embedding's producer", NULL,
          GST_RV_PARAM_READY));
  GST_RV_PROP_FIELD (gobject_class, PROP_HEAD, GstRvClassify, head_spec,
      g_param_spec_string ("head", "Head",
          "Classification head to apply, by name or index (models may carry "
          "several, e.g. activity and breathing quality); unset uses head 0",
          NULL, GST_RV_PARAM_READY));
  GST_RV_PROP_FIELD (gobject_class, PROP_SMOOTHING_TIME, GstRvClassify,
      decide.smoothing_time,
      g_param_spec_uint64 ("smoothing-time", "Smoothing time",
          "Time constant (ns) of the per-stream exponential average of class "
          "probabilities: a frame weighs 1 - exp(-gap / smoothing-time), gap "
          "being the stream time since the stream's previous frame. 0 uses "
          "each frame alone", 0, 3600 * GST_SECOND, DEFAULT_SMOOTHING_TIME,
          GST_RV_PARAM_PLAYING));
  GST_RV_PROP_FIELD (gobject_class, PROP_MIN_CONFIDENCE, GstRvClassify,
      decide.min_confidence,
      g_param_spec_double ("min-confidence", "Minimum confidence",
          "Smoothed probability a label needs before it can become a "
          "stream's decision", 0.0, 1.0, DEFAULT_MIN_CONFIDENCE,
          GST_RV_PARAM_PLAYING));
  GST_RV_PROP_FIELD (gobject_class, PROP_HOLD_TIME, GstRvClassify,
      decide.hold_time,
      g_param_spec_uint64 ("hold-time", "Hold time",
          "Stream time (ns) a new label must lead, on consecutive frames and "
          "with min-confidence, before the decision changes; suppresses "
          "flicker. Each frame counts for the gap since the stream's "
          "previous frame (10 ms if unknown). 0 changes on the first frame",
          0, 3600 * GST_SECOND, DEFAULT_HOLD_TIME,
          GST_RV_PARAM_PLAYING));
  GST_RV_PROP_FIELD (gobject_class, PROP_PRESENCE_SMOOTHING_TIME, GstRvClassify,
      decide.presence_smoothing_time,
      g_param_spec_uint64 ("presence-smoothing-time",
          "Presence smoothing time",
          "While rvtemporalhead's motion detector holds a raw CSI stream "
          "quiet, only presence classes (empty, still, lying, apnea) can be "
          "decided, on their own average: this is its time constant (ns). "
          "The average restarts with every quiet stretch and is a plain mean "
          "until the stretch is this long; 0 uses each frame alone", 0,
          3600 * GST_SECOND, DEFAULT_PRESENCE_SMOOTHING_TIME,
          GST_RV_PARAM_PLAYING));
  GST_RV_PROP_FIELD (gobject_class, PROP_PRESENCE_HOLD_TIME, GstRvClassify,
      decide.presence_hold_time,
      g_param_spec_uint64 ("presence-hold-time", "Presence hold time",
          "Stream time (ns) one presence class must lead another before a "
          "quiet stream's decision changes between them (e.g. empty to "
          "still); keeps a quiet room at one decision. Changes to or from "
          "motion classes follow the motion detector at once", 0,
          3600 * GST_SECOND, DEFAULT_PRESENCE_HOLD_TIME,
          GST_RV_PARAM_PLAYING));
  GST_RV_PROP_FIELD (gobject_class, PROP_MOTION_GATE, GstRvClassify,
      motion_gate,
      g_param_spec_boolean ("motion-gate", "Motion gate",
          "Keep decisions consistent with rvtemporalhead's motion detector: "
          "a raw CSI stream it holds quiet (or has not calibrated yet) gets "
          "only presence classes, a moving one only motion classes. FALSE "
          "decides as the model alone says (the meta's model_levels carry "
          "the model's view either way)", DEFAULT_MOTION_GATE,
          GST_RV_PARAM_PLAYING));
  GST_RV_PROP_FIELD (gobject_class, PROP_EMIT_PACKETS, GstRvClassify, emit,
      g_param_spec_enum ("emit-packets", "Emit packets",
          "Also output 0xC5110007 classification packets (one per decision "
          "change, and one per packet-interval otherwise; argmax is the "
          "decision, or the smoothed top class before the first decision) "
          "so that e.g. udpsink forwards them like node output",
          GST_TYPE_RV_EMIT_PACKETS, DEFAULT_EMIT, GST_RV_PARAM_READY));
  GST_RV_PROP_FIELD (gobject_class, PROP_PACKET_INTERVAL, GstRvClassify,
      packet_interval,
      g_param_spec_uint64 ("packet-interval", "Packet interval",
          "Nanoseconds of running time between classification packets of "
          "one stream when the decision does not change", 0, G_MAXUINT64,
          DEFAULT_PACKET_INTERVAL, GST_RV_PARAM_PLAYING));
  gst_rv_stream_filter_class_add_streams (filter_class, PROP_MAX_STREAMS,
      "Streams (node, antenna) tracked at once; further streams are not "
      "classified until one times out",
      "Nanoseconds of running time without an embedding after which a "
      "stream's decision is forgotten; 0 never", cls_stream_free);
  GST_RV_PROP_FIELD (gobject_class, PROP_MIN_CONTEXT, GstRvClassify,
      decide.min_context,
      g_param_spec_uint64 ("min-context", "Minimum context",
          "Stream time (ns) a stream runs, from its first frame or its "
          "last restart (reboot, channel change, node back online), before "
          "its first decision; the same at every packet rate. Until then "
          "the stream has no decision (a restarted one reads \"unknown\"). "
          "0 decides from the first frame", 0, 3600 * GST_SECOND,
          DEFAULT_MIN_CONTEXT, GST_RV_PARAM_PLAYING));
  gst_rv_props_install_stats (gobject_class, PROP_STATS,
      "streams (active), streams-refused, streams-expired, classified "
      "(embeddings), decision-changes, packets (emitted), unmatched "
      "(embeddings no loaded head fits), stream-restarts (streams "
      "restarted upstream), streams-offline (streams dropped because "
      "their node went offline), motion-gated (embeddings decided among "
      "presence classes only)", make_stats);

  gst_element_class_set_static_metadata (element_class,
      "RuView classifier", "Filter/Analyzer",
      "Classifies GstRvEmbeddingMeta per stream with smoothing and hysteresis, "
      "consistent with the stream's motion detector (a quiet stream gets "
      "only presence classes, a moving one only motion classes), "
      "attaches an GstRvClassificationMeta, posts an \"rvclassify\" element "
      "message (node, antenna, label, label-index, confidence, "
      "previous-label, timestamp, stream-time, arrival, seq) when a "
      "stream's decision changes (to \"unknown\" when the stream restarts, "
      "\"offline\" when its node goes silent), and can emit 0xC5110007 "
      "packets",
      "gst-rvcsi developers");

  filter_class->start = GST_DEBUG_FUNCPTR (gst_rv_classify_start);
  filter_class->stop = GST_DEBUG_FUNCPTR (gst_rv_classify_stop);
  filter_class->restart = GST_DEBUG_FUNCPTR (gst_rv_classify_restart);
  filter_class->stream_offline =
      GST_DEBUG_FUNCPTR (gst_rv_classify_stream_offline);
  trans_class->transform_ip = GST_DEBUG_FUNCPTR (gst_rv_classify_transform_ip);
  trans_class->generate_output =
      GST_DEBUG_FUNCPTR (gst_rv_classify_generate_output);
  gst_type_mark_as_plugin_api (GST_TYPE_RV_EMIT_PACKETS, 0);
}

static void
gst_rv_classify_init (GstRvClassify * self)
{
  gst_rv_props_init (G_OBJECT (self));
  g_queue_init (&self->pending);
}
