/*
 * gstrvtemporalhead.c — rvtemporalhead: for every raw CSI frame (one
 * stream per node and antenna) or feature-state packet (one stream per
 * node), extract the feature vector (kernel rv_csi_feat_extract_ex /
 * rv_state_feat_from_packet), run one streaming step of the model backbone
 * (rv_model_step, per-stream KV caches in ring mode) and attach the
 * embedding as an GstRvEmbeddingMeta. Raw CSI streams also run the
 * kernel's motion detector (rv_motion.h) in stream time: every raw CSI
 * buffer gets one GstRvMotionMeta per antenna, and an "rvmotion" element
 * message is posted when a stream's motion state changes. In place; other
 * packets pass untouched.
 *
 * Streams live in a bounded table (max-streams, stream-timeout on buffer
 * running time, gstrvstreams.h). A stream restarts from an empty cache
 * when its node reboots (GST_RV_CSI_PACKET_FLAG_SEQ_RESET: the sources'
 * time-based sequence tracker, kernel rv_seq.h, saw the node restart its
 * sequence; every boot of a crash-looping node is one) or when more than
 * reset-gap sequence numbers went missing at once. Reordered and duplicate
 * packets pass without a step: feeding them would put an old frame after
 * newer ones.
 */
#include "gstrvtemporalhead.h"
#include "gstrvelement.h"
#include "gstrvcounters.h"
#include "gstrvcsimeta.h"
#include "gstrvdecision.h"
#include "gstrvmessage.h"
#include "gstrvmodel.h"
#include "gstrvprops.h"
#include "gstrvstreamfilter.h"

#include <string.h>

#include "rv_csi_features.h"
#include "rv_motion.h"
#include "rv_wire.h"

GST_DEBUG_CATEGORY_STATIC (gst_rv_temporal_head_debug);
#define GST_CAT_DEFAULT gst_rv_temporal_head_debug

#define DEFAULT_CACHE_FRAMES    256
#define DEFAULT_KV_PRECISION    RV_KV_F32
#define DEFAULT_RESET_ON_REBOOT TRUE
#define DEFAULT_RESET_GAP       100
#define DEFAULT_POLICY          GST_RV_STREAMS_REFUSE
#define DEFAULT_MOTION_SENSITIVITY ((gdouble) RV_MOTION_DEFAULT_SENSITIVITY)
#define DEFAULT_MOTION_CALIBRATION ((GstClockTime) RV_MOTION_DEFAULT_CALIBRATION_NS)

enum
{
  PROP_0,
  PROP_MODEL,
  PROP_STATE_MODEL,
  PROP_MAX_STREAMS,
  PROP_STREAM_TIMEOUT,
  PROP_CACHE_FRAMES,
  PROP_KV_PRECISION,
  PROP_RESET_ON_REBOOT,
  PROP_RESET_GAP,
  PROP_FULL_POLICY,
  PROP_MOTION_SENSITIVITY,
  PROP_MOTION_CALIBRATION,
  PROP_STATS,
};
G_STATIC_ASSERT (PROP_STREAM_TIMEOUT == PROP_MAX_STREAMS + 1);

typedef struct
{
  gboolean is_state;
  guint32 freq_mhz;             /* raw CSI: frequency the context is on */
  gpointer mem;                 /* rv_model_stream lives here */
  rv_model_stream *ms;
  rv_csi_feat_state feat;
  gboolean warned_subcarriers;  /* unsupported-count warning posted */
  /* raw CSI streams: the motion detector and what it last reported */
  gpointer motion_mem;
  rv_motion *motion;
  gfloat motion_sensitivity;    /* the setting the detector has */
  rv_motion_out motion_out;
  gboolean have_motion;         /* motion_out is valid */
  GstClockTime motion_time;     /* stream time of the last detector frame */
} GstRvHeadStream;

/* An unsupported subcarrier count seen on a stream for the first time;
 * posted once the object lock is released. */
typedef struct
{
  guint8 node, antenna;
  guint n_subcarriers;
} GstRvHeadWarning;

/* The counters of the stats structure, in its field order. */
typedef enum
{
  HEAD_FRAMES,
  HEAD_RESETS_REBOOT,
  HEAD_RESETS_GAP,
  HEAD_RESETS_CHANNEL,
  HEAD_SKIPPED_REORDERED,
  HEAD_SKIPPED_DUPLICATE,
  HEAD_SKIPPED_FEATURES,
  HEAD_SKIPPED_SUBCARRIERS,
  HEAD_SKIPPED_REFUSED,
  HEAD_PASSED,
  HEAD_MOTION_CHANGES,
  HEAD_MOTION_ERRORS,
  HEAD_N_COUNTERS
} GstRvHeadCounter;

static const gchar *const head_counter_names[HEAD_N_COUNTERS] = {
  "frames", "resets-reboot", "resets-gap", "resets-channel",
  "skipped-reordered", "skipped-duplicate", "skipped-features",
  "skipped-subcarriers", "skipped-refused", "passed-through",
  "motion-changes", "motion-errors",
};

struct _GstRvTemporalHead
{
  GstRvStreamFilter parent;     /* its stream table (max-streams,
                                 * stream-timeout, full-policy):
                                 * GstRvHeadStream */

  /* properties (object lock) */
  gchar *model_path, *state_model_path;
  guint cache_frames;
  rv_kv_precision kv_precision;
  gboolean reset_on_reboot;
  guint reset_gap;
  gdouble motion_sensitivity;
  GstClockTime motion_calibration;

  /* running state (streaming thread; stats under the object lock) */
  GstRvLoadedModel *csi_model, *state_model;
  rv_model_stream_opts opts;
  gpointer ws;
  gsize ws_size;
  gfloat x[RV_CSI_FEAT_DIM > RV_STATE_FEAT_DIM ? RV_CSI_FEAT_DIM :
      RV_STATE_FEAT_DIM];
  gfloat *emb;
  gsize csi_stream_bytes, state_stream_bytes;

  guint64 count[HEAD_N_COUNTERS];
  GstRvHeadWarning warn[RV_CSI_MAX_ANTENNAS];
  guint n_warn;
};

#define GST_TYPE_RV_KV_PRECISION (gst_rv_kv_precision_get_type ())
static GType
gst_rv_kv_precision_get_type (void)
{
  static GType type;
  static const GEnumValue values[] = {
    {RV_KV_F32, "32-bit float KV caches", "fp32"},
    {RV_KV_F16, "16-bit float KV caches (half the memory per stream)",
        "fp16"},
    {0, NULL, NULL}
  };
  return gst_rv_props_enum_type (&type, "GstRvKvPrecision", values);
}

#define gst_rv_temporal_head_parent_class parent_class
GST_RV_ELEMENT_DEFINE (GstRvTemporalHead, gst_rv_temporal_head,
    GST_TYPE_RV_STREAM_FILTER, rvtemporalhead,
    "streaming temporal-head backbone");

static void
head_stream_free (gpointer p)
{
  GstRvHeadStream *s = p;
  g_free (s->mem);
  g_free (s->motion_mem);
  g_free (s);
}

/* The stats property (object lock). */
static GstStructure *
make_stats (GObject * object)
{
  GstRvTemporalHead *self = GST_RV_TEMPORAL_HEAD (object);
  GstStructure *s = gst_structure_new ("rvtemporalhead-stats",
      "streams", G_TYPE_UINT, gst_rv_streams_active (&self->parent.streams),
      "streams-created", G_TYPE_UINT64, self->parent.streams.created,
      "streams-expired", G_TYPE_UINT64, self->parent.streams.expired,
      "streams-evicted", G_TYPE_UINT64, self->parent.streams.evicted,
      "streams-refused", G_TYPE_UINT64, self->parent.streams.refused, NULL);

  gst_rv_structure_set_counters (s, head_counter_names, self->count,
      HEAD_N_COUNTERS);
  gst_structure_set (s,
      "csi-stream-bytes", G_TYPE_UINT64, (guint64) self->csi_stream_bytes,
      "state-stream-bytes", G_TYPE_UINT64, (guint64) self->state_stream_bytes,
      NULL);
  return s;
}

/* A model that declares its input (.rvne INPT) must have been trained on
 * exactly the features this build computes; one without is only checked
 * by input_dim. */
static gboolean
input_fits (const GstRvLoadedModel * m, guint32 want_kind, guint32 want_layout)
{
  return m->info.input_kind == RV_RVNE_INPUT_NONE ||
      (m->info.input_kind == want_kind && m->info.input_layout == want_layout);
}

static GstRvLoadedModel *
load_model (GstRvTemporalHead * self, const gchar * path,
    GstRvModelBuiltin builtin, guint want_dim, const gchar * what)
{
  const guint32 want_kind = builtin == GST_RV_MODEL_BUILTIN_CSI ?
      RV_RVNE_INPUT_CSI : RV_RVNE_INPUT_FEATURE_STATE;
  const guint32 want_layout = builtin == GST_RV_MODEL_BUILTIN_CSI ?
      RV_CSI_FEAT_LAYOUT : RV_STATE_FEAT_LAYOUT;
  GError *err = NULL;
  GstRvLoadedModel *m = path && *path ? gst_rv_loaded_model_from_file (path, &err) :
      gst_rv_loaded_model_builtin (builtin, &err);

  if (!m) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ,
        ("Could not load the %s model", what), ("%s", err->message));
    g_clear_error (&err);
    return NULL;
  }
  if (rv_model_input_dim (m->model) != want_dim) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("The %s model does not fit its input", what),
        ("model %s takes %u inputs per frame but %s features have %u. "
            "Raw CSI models (property model) take %u inputs, feature-state "
            "models (property state-model) take %u", m->origin,
            rv_model_input_dim (m->model), what, want_dim,
            RV_CSI_FEAT_DIM, RV_STATE_FEAT_DIM));
    gst_rv_loaded_model_unref (m);
    return NULL;
  }
  if (!input_fits (m, want_kind, want_layout)) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("The %s model was trained on other features", what),
        ("model %s declares input \"%s\", layout %u; %s streams are fed "
            "\"%s\", layout %u, by this build (docs/features.md). Retrain "
            "it with this build's rvtrain", m->origin,
            rv_rvne_input_kind_name (m->info.input_kind),
            m->info.input_layout, what, rv_rvne_input_kind_name (want_kind),
            want_layout));
    gst_rv_loaded_model_unref (m);
    return NULL;
  }
  return m;
}

static gboolean
gst_rv_temporal_head_start (GstRvStreamFilter * filter)
{
  GstRvTemporalHead *self = GST_RV_TEMPORAL_HEAD (filter);
  gchar *path, *state_path;
  gsize ws1, ws2, d;

  GST_OBJECT_LOCK (self);
  path = g_strdup (self->model_path);
  state_path = g_strdup (self->state_model_path);
  self->opts.cache_frames = self->cache_frames;
  self->opts.precision = self->kv_precision;
  self->opts.ring = TRUE;
  self->opts.max_landmark_blocks = 0;
  GST_OBJECT_UNLOCK (self);

  self->csi_model = load_model (self, path, GST_RV_MODEL_BUILTIN_CSI,
      RV_CSI_FEAT_DIM, "raw CSI");
  if (self->csi_model)
    self->state_model = load_model (self, state_path, GST_RV_MODEL_BUILTIN_STATE,
        RV_STATE_FEAT_DIM, "feature-state");
  g_free (path);
  g_free (state_path);
  if (!self->csi_model || !self->state_model)
    goto fail;

  self->csi_stream_bytes = rv_model_stream_mem_size (self->csi_model->model,
      &self->opts);
  self->state_stream_bytes =
      rv_model_stream_mem_size (self->state_model->model, &self->opts);
  if (!self->csi_stream_bytes || !self->state_stream_bytes) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Invalid stream settings"), ("cache-frames=%u is not usable with "
            "this model", self->opts.cache_frames));
    goto fail;
  }
  self->csi_stream_bytes += sizeof (GstRvHeadStream) + rv_motion_state_size ();
  self->state_stream_bytes += sizeof (GstRvHeadStream);
  ws1 = rv_model_step_workspace_size (self->csi_model->model);
  ws2 = rv_model_step_workspace_size (self->state_model->model);
  self->ws_size = MAX (ws1, ws2);
  self->ws = g_malloc (self->ws_size ? self->ws_size : 1);
  d = MAX (rv_model_d_model (self->csi_model->model),
      rv_model_d_model (self->state_model->model));
  self->emb = g_new0 (gfloat, d);
  memset (self->count, 0, sizeof self->count);
  GST_INFO_OBJECT (self, "models: %s (%u-dim embedding), %s; %" G_GSIZE_FORMAT
      " bytes per CSI stream", self->csi_model->origin,
      rv_model_d_model (self->csi_model->model), self->state_model->origin,
      self->csi_stream_bytes);
  return TRUE;

fail:
  g_clear_pointer (&self->csi_model, gst_rv_loaded_model_unref);
  g_clear_pointer (&self->state_model, gst_rv_loaded_model_unref);
  return FALSE;
}

static void
gst_rv_temporal_head_stop (GstRvStreamFilter * filter)
{
  GstRvTemporalHead *self = GST_RV_TEMPORAL_HEAD (filter);

  g_clear_pointer (&self->ws, g_free);
  g_clear_pointer (&self->emb, g_free);
  g_clear_pointer (&self->csi_model, gst_rv_loaded_model_unref);
  g_clear_pointer (&self->state_model, gst_rv_loaded_model_unref);
}

static GstRvHeadStream *
get_stream (GstRvTemporalHead * self, guint8 node, guint8 antenna,
    gboolean is_state, GstClockTime now)
{
  guint32 key = GST_RV_STREAM_KEY (node, antenna);
  GstRvStreamEntry *e = gst_rv_streams_lookup (&self->parent.streams, key, now);
  GstRvLoadedModel *lm = is_state ? self->state_model : self->csi_model;
  GstRvHeadStream *s;
  gsize size;
  rv_status st = RV_OK;

  if (e)
    return e->data;
  if (!gst_rv_streams_make_room (&self->parent.streams, now,
      self->parent.stream_props.stream_timeout))
    return NULL;
  size = rv_model_stream_mem_size (lm->model, &self->opts);
  s = g_new0 (GstRvHeadStream, 1);
  s->is_state = is_state;
  s->mem = g_malloc (size);
  s->ms = rv_model_stream_init (s->mem, size, lm->model, &self->opts, &st);
  s->motion_time = GST_CLOCK_TIME_NONE;
  if (!is_state) {
    rv_motion_cfg cfg;
    rv_motion_cfg_default (&cfg);
    cfg.sensitivity = (float) self->motion_sensitivity;
    cfg.calibration_ns = self->motion_calibration;
    s->motion_sensitivity = cfg.sensitivity;
    s->motion_mem = g_malloc (rv_motion_state_size ());
    s->motion = rv_motion_init (s->motion_mem, rv_motion_state_size (), &cfg);
  }
  if (!s->ms || (!is_state && (!s->motion ||
              rv_csi_feat_init (&s->feat, 0) != RV_OK))) {
    GST_WARNING_OBJECT (self, "stream init failed: %s", rv_status_str (st));
    head_stream_free (s);
    return NULL;
  }
  gst_rv_streams_insert (&self->parent.streams, key, s, now);
  return s;
}

/* Back to an empty context and an uncalibrated detector. The last reported
 * motion state is kept so that the next frame reports the change if the
 * stream was moving. */
static void
reset_stream (GstRvHeadStream * s)
{
  rv_model_stream_reset (s->ms);
  if (!s->is_state) {
    rv_csi_feat_reset (&s->feat);
    rv_motion_reset (s->motion);
  }
}

/* Stream time for the detector: the buffer's running time, or for an
 * untimed buffer the previous frame's plus one untimed frame. */
static GstClockTime
motion_time (GstRvHeadStream * s, GstClockTime now)
{
  if (GST_CLOCK_TIME_IS_VALID (now))
    return now;
  return GST_CLOCK_TIME_IS_VALID (s->motion_time) ?
      s->motion_time + GST_RV_DECISION_UNTIMED_GAP : 0;
}

static GstMessage *
motion_message (GstRvTemporalHead * self, const GstRvMotionMeta * mm,
    GstBuffer * buf, const GstRvCsiPacketMeta * pm)
{
  GstStructure *st = gst_rv_stream_structure_new ("rvmotion",
      mm->node_id, mm->antenna,
      "motion", G_TYPE_BOOLEAN, mm->motion,
      "score", G_TYPE_DOUBLE, (gdouble) mm->score,
      "threshold", G_TYPE_DOUBLE, (gdouble) mm->threshold, NULL);

  gst_rv_stream_structure_add_times (st, gst_rv_buffer_stream_time
      (&GST_BASE_TRANSFORM (self)->segment, buf), pm);
  return gst_message_new_element (GST_OBJECT (self), st);
}

/* Runs the stream's detector on this frame (fresh = in order; a late or
 * duplicate frame only reports the current state) and attaches the state
 * as a GstRvMotionMeta. A change of state queues an "rvmotion" message. */
static void
motion_step (GstRvTemporalHead * self, GstRvHeadStream * s, GstBuffer * buf,
    const rv_pkt * pkt, guint8 node, guint8 antenna, gboolean fresh,
    const GstRvCsiPacketMeta * pm, GstClockTime now, GQueue * msgs)
{
  gboolean was = s->have_motion && s->motion_out.motion;
  GstRvMotionMeta *mm;

  if (fresh) {
    rv_motion_out out;
    GstClockTime t = motion_time (s, now);
    rv_status st;

    if (s->motion_sensitivity != (gfloat) self->motion_sensitivity) {
      s->motion_sensitivity = (gfloat) self->motion_sensitivity;
      rv_motion_set_sensitivity (s->motion, s->motion_sensitivity);
    }
    st = rv_motion_push (s->motion, &pkt->u.csi, antenna, t, &out);
    if (st != RV_OK) {
      GST_LOG_OBJECT (self, "node %u antenna %u: no motion state: %s", node,
          antenna, rv_status_str (st));
      self->count[HEAD_MOTION_ERRORS]++;
    } else {
      s->motion_out = out;
      s->have_motion = TRUE;
      s->motion_time = t;
    }
  }
  if (!s->have_motion)
    return;
  mm = gst_rv_motion_meta_add (buf);
  mm->node_id = node;
  mm->antenna = antenna;
  mm->motion = s->motion_out.motion;
  mm->calibrated = s->motion_out.calibrated;
  mm->changed = fresh && mm->motion != was;
  mm->score = s->motion_out.score;
  mm->threshold = s->motion_out.threshold;
  if (mm->changed) {
    self->count[HEAD_MOTION_CHANGES]++;
    g_queue_push_tail (msgs, motion_message (self, mm, buf, pm));
  }
}

/* One step of one stream; TRUE when an embedding meta was attached.
 * Motion messages are queued on msgs, to be posted without the lock. */
static gboolean
step_stream (GstRvTemporalHead * self, GstBuffer * buf, const rv_pkt * pkt,
    guint8 node, guint8 antenna, const GstRvCsiPacketMeta * pm,
    GstClockTime now, GQueue * msgs)
{
  gboolean is_state = pkt->kind == RV_PKT_FEATURE_STATE;
  GstRvLoadedModel *lm = is_state ? self->state_model : self->csi_model;
  GstRvHeadStream *s = get_stream (self, node, antenna, is_state, now);
  GstRvEmbeddingMeta *em;
  rv_status st;
  guint d;

  if (!s) {
    self->count[HEAD_SKIPPED_REFUSED]++;
    return FALSE;
  }
  if (pm && (pm->flags & GST_RV_CSI_PACKET_FLAG_SEQ_RESET)) {
    if (self->reset_on_reboot) {
      reset_stream (s);
      self->count[HEAD_RESETS_REBOOT]++;
    }
  } else if (pm && (pm->flags & GST_RV_CSI_PACKET_FLAG_SEQ_BACKWARD)) {
    if (!is_state)
      motion_step (self, s, buf, pkt, node, antenna, FALSE, pm, now, msgs);
    self->count[HEAD_SKIPPED_REORDERED]++;
    return FALSE;
  } else if (pm && (pm->flags & GST_RV_CSI_PACKET_FLAG_DUPLICATE)) {
    if (!is_state)
      motion_step (self, s, buf, pkt, node, antenna, FALSE, pm, now, msgs);
    self->count[HEAD_SKIPPED_DUPLICATE]++;
    return FALSE;
  } else if (pm && self->reset_gap && pm->seq_gap > self->reset_gap) {
    reset_stream (s);
    self->count[HEAD_RESETS_GAP]++;
  }
  /* CSI from another channel is another channel: the features and the
   * context of the old one do not carry over (the stream identity does). */
  if (!is_state) {
    if (s->freq_mhz && s->freq_mhz != pkt->u.csi.freq_mhz) {
      reset_stream (s);
      self->count[HEAD_RESETS_CHANNEL]++;
    }
    s->freq_mhz = pkt->u.csi.freq_mhz;
  }
  if (!is_state)
    motion_step (self, s, buf, pkt, node, antenna, TRUE, pm, now, msgs);

  st = is_state ? rv_state_feat_from_packet (&pkt->u.state, self->x) :
      rv_csi_feat_extract_ex (&s->feat, &pkt->u.csi, antenna, self->x, NULL);
  if (st == RV_ERR_SUBCARRIERS) {
    self->count[HEAD_SKIPPED_SUBCARRIERS]++;
    if (!s->warned_subcarriers && self->n_warn < G_N_ELEMENTS (self->warn)) {
      s->warned_subcarriers = TRUE;
      self->warn[self->n_warn++] = (GstRvHeadWarning) {
      node, antenna, pkt->u.csi.n_subcarriers};
    }
    return FALSE;
  }
  if (st != RV_OK) {
    GST_LOG_OBJECT (self, "node %u: no features: %s", node,
        rv_status_str (st));
    self->count[HEAD_SKIPPED_FEATURES]++;
    return FALSE;
  }
  st = rv_model_step (lm->model, s->ms, self->x, self->emb, self->ws,
      self->ws_size);
  if (st != RV_OK) {
    GST_LOG_OBJECT (self, "node %u: step failed: %s", node,
        rv_status_str (st));
    self->count[HEAD_SKIPPED_FEATURES]++;
    return FALSE;
  }
  d = rv_model_d_model (lm->model);
  em = gst_rv_embedding_meta_add (buf, d);
  if (!em)
    return FALSE;
  em->node_id = node;
  em->antenna = antenna;
  em->step = rv_model_stream_pos (s->ms);
  em->model_id = lm->id;
  memcpy (em->data, self->emb, d * sizeof (gfloat));
  self->count[HEAD_FRAMES]++;
  return TRUE;
}

static GstFlowReturn
gst_rv_temporal_head_transform_ip (GstBaseTransform * trans, GstBuffer * buf)
{
  GstRvTemporalHead *self = GST_RV_TEMPORAL_HEAD (trans);
  GstRvCsiPacketMeta *pm = GST_RV_CSI_PACKET_META_GET (buf);
  GstClockTime now = GST_CLOCK_TIME_NONE;
  GstMapInfo map;
  rv_pkt pkt;
  guint8 node;
  GstRvHeadWarning warn[RV_CSI_MAX_ANTENNAS];
  guint n_warn;
  GQueue msgs = G_QUEUE_INIT;

  if (pm && pm->kind != GST_RV_CSI_KIND_CSI_RAW &&
      pm->kind != GST_RV_CSI_KIND_FEATURE_STATE) {
    GST_OBJECT_LOCK (self);
    self->count[HEAD_PASSED]++;
    GST_OBJECT_UNLOCK (self);
    return GST_FLOW_OK;
  }
  if (!gst_buffer_map (buf, &map, GST_MAP_READ))
    return GST_FLOW_OK;
  if (rv_pkt_decode (map.data, map.size, &pkt) != RV_OK ||
      (pkt.kind != RV_PKT_CSI_RAW && pkt.kind != RV_PKT_FEATURE_STATE)) {
    gst_buffer_unmap (buf, &map);
    GST_OBJECT_LOCK (self);
    self->count[HEAD_PASSED]++;
    GST_OBJECT_UNLOCK (self);
    return GST_FLOW_OK;
  }
  if (GST_BUFFER_PTS_IS_VALID (buf))
    now = gst_segment_to_running_time (&trans->segment, GST_FORMAT_TIME,
        GST_BUFFER_PTS (buf));
  node = rv_pkt_node_id (&pkt);

  GST_OBJECT_LOCK (self);
  gst_rv_streams_expire (&self->parent.streams, now,
      self->parent.stream_props.stream_timeout);
  if (pkt.kind == RV_PKT_FEATURE_STATE) {
    step_stream (self, buf, &pkt, node, GST_RV_STATE_STREAM_ANTENNA, pm, now,
        &msgs);
  } else {
    for (guint a = 0; a < pkt.u.csi.n_antennas; a++)
      step_stream (self, buf, &pkt, node, (guint8) a, pm, now, &msgs);
  }
  n_warn = self->n_warn;
  memcpy (warn, self->warn, sizeof (warn));
  self->n_warn = 0;
  GST_OBJECT_UNLOCK (self);
  gst_buffer_unmap (buf, &map);
  /* posting takes the object lock: after releasing it */
  for (guint i = 0; i < n_warn; i++)
    GST_ELEMENT_WARNING (self, STREAM, FORMAT,
        ("Node %u antenna %u sends CSI frames with %u subcarriers, a count "
            "with no known ESP32 layout; its frames are skipped.",
            warn[i].node, warn[i].antenna, warn[i].n_subcarriers),
        ("supported I/Q pair counts: 53, 57, 64, 114, 117, 128, 192, 234, "
            "245, 256, 384, and other counts up to %u taken as one frequency "
            "axis (docs/features.md); counted in stats skipped-subcarriers",
            RV_CSI_FEAT_MAX_SC));
  gst_rv_post_queued_messages (GST_ELEMENT (self), &msgs);
  return GST_FLOW_OK;
}

static void
gst_rv_temporal_head_class_init (GstRvTemporalHeadClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);
  GstRvStreamFilterClass *filter_class = GST_RV_STREAM_FILTER_CLASS (klass);

  GST_RV_PROP_FIELD (gobject_class, PROP_MODEL, GstRvTemporalHead,
      model_path,
      g_param_spec_string ("model", "Model",
          "Path of the .rvne model run on raw CSI frames (its input_dim must "
          "be the kernel's CSI feature count, docs/features.md); unset uses "
          "the built-in default model", NULL,
          GST_RV_PARAM_READY));
  GST_RV_PROP_FIELD (gobject_class, PROP_STATE_MODEL, GstRvTemporalHead,
      state_model_path,
      g_param_spec_string ("state-model", "Feature-state model",
          "Path of the .rvne model run on feature-state packets (0xC5110006, "
          "input_dim 9) of nodes that send only those; unset uses the "
          "built-in default", NULL,
          GST_RV_PARAM_READY));
  gst_rv_stream_filter_class_add_streams (filter_class, PROP_MAX_STREAMS,
      "Streams (node, antenna) kept at once; memory is at most this "
      "times the per-stream size (see the stats property). What happens "
      "to new streams when full is set by full-policy",
      "Nanoseconds of buffer running time without a packet after which "
      "a stream is dropped (and restarts from scratch if it comes "
      "back); 0 keeps streams until max-streams forces them out",
      head_stream_free);
  GST_RV_PROP_FIELD (gobject_class, PROP_CACHE_FRAMES, GstRvTemporalHead,
      cache_frames,
      g_param_spec_uint ("cache-frames", "Cache frames",
          "Frames of context each stream's KV caches hold (a ring: older "
          "frames survive only as block landmarks). 256 frames is 2.56 s "
          "at 100 Hz", 1, 1 << 20, DEFAULT_CACHE_FRAMES,
          GST_RV_PARAM_READY));
  GST_RV_PROP_FIELD (gobject_class, PROP_KV_PRECISION, GstRvTemporalHead,
      kv_precision,
      g_param_spec_enum ("kv-precision", "KV precision",
          "Storage of the KV caches: fp16 halves the memory per stream",
          GST_TYPE_RV_KV_PRECISION, DEFAULT_KV_PRECISION,
          GST_RV_PARAM_READY));
  GST_RV_PROP_FIELD (gobject_class, PROP_RESET_ON_REBOOT, GstRvTemporalHead,
      reset_on_reboot,
      g_param_spec_boolean ("reset-on-reboot", "Reset on reboot",
          "Restart a stream when its node restarts its sequence (a reboot, "
          "told from reordering by arrival time and the node's own rate)", DEFAULT_RESET_ON_REBOOT,
          GST_RV_PARAM_PLAYING));
  GST_RV_PROP_FIELD (gobject_class, PROP_RESET_GAP, GstRvTemporalHead,
      reset_gap,
      g_param_spec_uint ("reset-gap", "Reset gap",
          "Restart a stream when more than this many sequence numbers are "
          "missing at once (context is stale); 0 never restarts on gaps",
          0, G_MAXUINT32, DEFAULT_RESET_GAP, GST_RV_PARAM_PLAYING));
  GST_RV_PROP_FIELD (gobject_class, PROP_FULL_POLICY, GstRvTemporalHead,
      parent.stream_props.policy,
      g_param_spec_enum ("full-policy", "Full policy",
          "What a new stream gets when max-streams streams are active and "
          "none has timed out", GST_TYPE_RV_STREAMS_POLICY, DEFAULT_POLICY,
          GST_RV_PARAM_READY));
  GST_RV_PROP_FIELD (gobject_class, PROP_MOTION_SENSITIVITY, GstRvTemporalHead,
      motion_sensitivity,
      g_param_spec_double ("motion-sensitivity", "Motion sensitivity",
          "Scales how readily raw CSI streams report motion (rvmotion, "
          "GstRvMotionMeta): the detector's threshold, a multiple of the "
          "stream's calibrated quiet level, is divided by this. 1 suits ordinary rooms; 2 reports "
          "smaller movements (and more false alarms), 0.5 only larger ones. "
          "Changes apply to running streams at once", 0.01, 100.0,
          DEFAULT_MOTION_SENSITIVITY, GST_RV_PARAM_PLAYING));
  GST_RV_PROP_FIELD (gobject_class, PROP_MOTION_CALIBRATION, GstRvTemporalHead,
      motion_calibration,
      g_param_spec_uint64 ("motion-calibration-time",
          "Motion calibration time",
          "Stream time (ns) of quiet CSI the motion detector learns a "
          "stream's baseline from; calibration is automatic (a stream that "
          "starts in motion calibrates once it is quiet) and repeats after "
          "a stream restarts. Until calibrated, a stream reports no motion "
          "and rvclassify decides only between presence classes. Applies to "
          "streams created after the change", RV_MOTION_MIN_CALIBRATION_NS,
          RV_MOTION_MAX_CALIBRATION_NS, DEFAULT_MOTION_CALIBRATION,
          GST_RV_PARAM_PLAYING));
  gst_rv_props_install_stats (gobject_class, PROP_STATS,
      "streams (active), streams-created/-expired/-evicted/-refused, "
      "frames (steps run), resets-reboot, resets-gap, resets-channel "
      "(raw CSI on a new channel or frequency), skipped-reordered "
      "and skipped-duplicate (late or repeated packets: no step), "
      "skipped-features (frame unusable), "
      "skipped-refused (table full), passed-through (other packets), "
      "motion-changes (rvmotion messages), motion-errors (frames the "
      "motion detector rejected), csi-stream-bytes and state-stream-bytes (memory per stream)",
      make_stats);

  gst_element_class_set_static_metadata (element_class,
      "RuView temporal head", "Filter/Analyzer",
      "Runs one streaming step of the temporal-head model per CSI frame or "
      "feature-state packet, per node and antenna, and attaches the "
      "embedding as an GstRvEmbeddingMeta; runs a calibrated motion "
      "detector per raw CSI stream, attaches a GstRvMotionMeta and posts an "
      "\"rvmotion\" element message (node, antenna, motion, score, "
      "threshold, stream-time, arrival) when a stream's state changes",
      "gst-rvcsi developers");

  filter_class->start = GST_DEBUG_FUNCPTR (gst_rv_temporal_head_start);
  filter_class->stop = GST_DEBUG_FUNCPTR (gst_rv_temporal_head_stop);
  trans_class->transform_ip =
      GST_DEBUG_FUNCPTR (gst_rv_temporal_head_transform_ip);
  gst_type_mark_as_plugin_api (GST_TYPE_RV_KV_PRECISION, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_RV_STREAMS_POLICY, 0);
}

static void
gst_rv_temporal_head_init (GstRvTemporalHead * self)
{
  gst_rv_props_init (G_OBJECT (self));
}
