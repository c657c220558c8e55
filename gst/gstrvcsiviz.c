/*
 * gstrvcsiviz.c — rvcsiviz: draws the rvcsi stream (packets, raw CSI and
 * the metas of rvtemporalhead and rvclassify, the rvcsi-node event) as
 * video, one card per node, with cairo and pango (gstrvvizdraw.c).
 *
 * Timing. Output frames lie on the running-time grid of the negotiated
 * framerate: frame n has PTS n / fps in an output segment whose running
 * time equals its timestamps. A frame shows everything whose running time
 * is at most its own, and is produced
 *   - when input (a buffer, a gap, a timed rvcsi-node event) passes it, on
 *     the streaming thread, so a capture replays the same at any speed;
 *   - in a live pipeline also when the clock passes it by the upstream
 *     latency without input (a silent room still shows), on the source
 *     pad's task, which waits on the pipeline clock like GstAggregator's
 *     live timeout (so tests drive it with the test clock).
 * render_lock orders the two producers; `lock` guards the state they share.
 */
#include "gstrvcsiviz.h"
#include "gstrvelement.h"
#include "gstrvcsimeta.h"
#include "gstrvnodeevent.h"
#include "gstrvpads.h"
#include "gstrvprops.h"
#include "gstrvvizdraw.h"
#include "gstrvvizhistory.h"

#include <cairo.h>
#include <gst/video/video.h>
#include <gst/video/gstvideopool.h>

#include "rv_wire.h"

GST_DEBUG_CATEGORY_STATIC (gst_rv_csi_viz_debug);
#define GST_CAT_DEFAULT gst_rv_csi_viz_debug

#define DEFAULT_WIDTH          1280
#define DEFAULT_HEIGHT         720
#define DEFAULT_FPS_N          15
#define DEFAULT_FPS_D          1
#define DEFAULT_HISTORY_TIME   (30 * GST_SECOND)
#define DEFAULT_NODES_PER_PAGE 16
#define DEFAULT_PAGE_TIME      (10 * GST_SECOND)

#define MAX_HISTORY_COLUMNS    4096

enum
{
  PROP_0,
  PROP_HISTORY_TIME,
  PROP_NODES_PER_PAGE,
  PROP_PAGE_TIME,
  PROP_FRAMES,
};

/* cairo's RGB24/ARGB32 are native-endian 32-bit words. */
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
#define VIZ_FORMATS "{ BGRx, BGRA }"
#define VIZ_OPAQUE GST_VIDEO_FORMAT_BGRx
#else
#define VIZ_FORMATS "{ xRGB, ARGB }"
#define VIZ_OPAQUE GST_VIDEO_FORMAT_xRGB
#endif

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("video/x-raw, format = (string) " VIZ_FORMATS ", "
        "width = (int) [ 160, 7680 ], height = (int) [ 120, 4320 ], "
        "framerate = (fraction) [ 1/1, 120/1 ], "
        "pixel-aspect-ratio = (fraction) 1/1"));

struct _GstRvCsiViz
{
  GstElement parent;
  GstPad *sinkpad, *srcpad;

  /* properties (object lock) */
  GstClockTime history_time;
  guint nodes_per_page;
  GstClockTime page_time;

  GMutex render_lock;           /* one producer renders and pushes at a time */
  PangoContext *pango;          /* fonts for drawing (render_lock) */

  GMutex lock;                  /* everything below */
  GCond cond;
  GstRvVizNode *nodes[256];     /* by node id */
  guint n_nodes;
  guint n_cols;                 /* history columns of every node */
  GstSegment segment;           /* input segment */
  GstVideoInfo vinfo;
  GstBufferPool *pool;          /* output buffers; replaced under render_lock */
  gboolean negotiated, started, need_segment;
  gboolean flushing, eos, playing;
  gboolean latency_checked, live;
  GstClockTime upstream_latency;
  GstClockID clock_id;
  guint64 next_frame;           /* index of the next frame on the grid */
  gboolean grid;                /* next_frame is valid */
  gboolean fresh;               /* input applied since the last frame */
  guint64 frames;
};

#define gst_rv_csi_viz_parent_class parent_class
GST_RV_ELEMENT_DEFINE (GstRvCsiViz, gst_rv_csi_viz,
    GST_TYPE_ELEMENT, rvcsiviz, "rvcsi dashboard video");

static void gst_rv_csi_viz_finalize (GObject * object);

/* ---- the frame grid (lock held) ---- */

static GstClockTime
frame_time (GstRvCsiViz * self, guint64 n)
{
  return gst_util_uint64_scale (n, GST_SECOND * GST_VIDEO_INFO_FPS_D
      (&self->vinfo), GST_VIDEO_INFO_FPS_N (&self->vinfo));
}

/* Index of the first frame at or after running time rt. */
static guint64
frame_at_or_after (GstRvCsiViz * self, GstClockTime rt)
{
  return gst_util_uint64_scale_ceil (rt, GST_VIDEO_INFO_FPS_N (&self->vinfo),
      GST_SECOND * GST_VIDEO_INFO_FPS_D (&self->vinfo));
}

static guint
history_columns (GstRvCsiViz * self)
{
  GstClockTime h;
  guint64 n;

  GST_OBJECT_LOCK (self);
  h = self->history_time;
  GST_OBJECT_UNLOCK (self);
  n = gst_util_uint64_scale (h, GST_VIDEO_INFO_FPS_N (&self->vinfo),
      GST_SECOND * GST_VIDEO_INFO_FPS_D (&self->vinfo));
  return (guint) CLAMP (n, 2, MAX_HISTORY_COLUMNS);
}

static void
resize_histories (GstRvCsiViz * self)
{
  guint i, cols = history_columns (self);

  if (cols == self->n_cols)
    return;
  self->n_cols = cols;
  for (i = 0; i < G_N_ELEMENTS (self->nodes); i++)
    if (self->nodes[i])
      gst_rv_viz_node_resize (self->nodes[i], cols);
}

static GstRvVizNode *
node_get (GstRvCsiViz * self, guint id)
{
  if (!self->nodes[id]) {
    self->nodes[id] = gst_rv_viz_node_new (id, self->n_cols ? self->n_cols :
        2);
    self->n_nodes++;
    GST_INFO_OBJECT (self, "node %u appeared (%u nodes)", id, self->n_nodes);
  }
  return self->nodes[id];
}

static void
clear_nodes (GstRvCsiViz * self)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (self->nodes); i++) {
    gst_rv_viz_node_free (self->nodes[i]);
    self->nodes[i] = NULL;
  }
  self->n_nodes = 0;
}

/* ---- negotiation (render_lock held) ---- */

static GstCaps *
fixate_src_caps (GstRvCsiViz * self)
{
  GstCaps *tmpl = gst_pad_get_pad_template_caps (self->srcpad);
  GstCaps *caps = gst_pad_peer_query_caps (self->srcpad, tmpl);
  GstStructure *s;

  gst_caps_unref (tmpl);
  if (gst_caps_is_empty (caps)) {
    gst_caps_unref (caps);
    return NULL;
  }
  caps = gst_caps_truncate (gst_caps_make_writable (caps));
  s = gst_caps_get_structure (caps, 0);
  gst_structure_fixate_field_nearest_int (s, "width", DEFAULT_WIDTH);
  gst_structure_fixate_field_nearest_int (s, "height", DEFAULT_HEIGHT);
  gst_structure_fixate_field_nearest_fraction (s, "framerate", DEFAULT_FPS_N,
      DEFAULT_FPS_D);
  gst_structure_fixate_field_string (s, "format",
      gst_video_format_to_string (VIZ_OPAQUE));
  return gst_caps_fixate (caps);
}

/* Makes pool (may be NULL) the one frames are drawn into, and retires the
 * previous one. */
static void
replace_pool (GstRvCsiViz * self, GstBufferPool * pool)
{
  GstBufferPool *old;

  g_mutex_lock (&self->lock);
  old = self->pool;
  self->pool = pool;
  g_mutex_unlock (&self->lock);
  if (old) {
    gst_buffer_pool_set_active (old, FALSE);
    gst_object_unref (old);
  }
}

/* The allocation query's pool (a sink's own buffers), else a video pool
 * of ours; drawing goes straight into them. */
static gboolean
decide_pool (GstRvCsiViz * self, GstCaps * caps, const GstVideoInfo * info)
{
  GstQuery *q = gst_query_new_allocation (caps, TRUE);
  GstBufferPool *pool = NULL;
  GstStructure *config;
  guint size = info->size, min = 0, max = 0;

  if (!gst_pad_peer_query (self->srcpad, q))
    GST_DEBUG_OBJECT (self, "no allocation answer downstream");
  if (gst_query_get_n_allocation_pools (q) > 0)
    gst_query_parse_nth_allocation_pool (q, 0, &pool, &size, &min, &max);
  if (!pool)
    pool = gst_video_buffer_pool_new ();
  config = gst_buffer_pool_get_config (pool);
  gst_buffer_pool_config_set_params (config, caps, MAX (size, info->size),
      min, max);
  if (gst_query_find_allocation_meta (q, GST_VIDEO_META_API_TYPE, NULL))
    gst_buffer_pool_config_add_option (config,
        GST_BUFFER_POOL_OPTION_VIDEO_META);
  gst_query_unref (q);
  if (!gst_buffer_pool_set_config (pool, config)) {
    /* a pool may adjust the config; take its adjustment once */
    config = gst_buffer_pool_get_config (pool);
    if (!gst_buffer_pool_config_validate_params (config, caps, info->size,
            min, max) || !gst_buffer_pool_set_config (pool, config)) {
      gst_object_unref (pool);
      return FALSE;
    }
  }
  if (!gst_buffer_pool_set_active (pool, TRUE)) {
    gst_object_unref (pool);
    return FALSE;
  }
  replace_pool (self, pool);
  return TRUE;
}


static GstFlowReturn
ensure_negotiated (GstRvCsiViz * self)
{
  GstVideoInfo info;
  GstCaps *caps;
  gboolean started, negotiated, need_segment;

  g_mutex_lock (&self->lock);
  started = self->started;
  negotiated = self->negotiated;
  g_mutex_unlock (&self->lock);

  if (!started) {
    gchar *id = gst_pad_create_stream_id (self->srcpad, GST_ELEMENT (self),
        "video");
    gst_pad_push_event (self->srcpad, gst_event_new_stream_start (id));
    g_free (id);
    g_mutex_lock (&self->lock);
    self->started = TRUE;
    g_mutex_unlock (&self->lock);
  }
  if (gst_pad_check_reconfigure (self->srcpad) || !negotiated) {
    caps = fixate_src_caps (self);
    if (!caps || !gst_video_info_from_caps (&info, caps)
        || GST_VIDEO_INFO_FPS_N (&info) <= 0) {
      if (caps)
        gst_caps_unref (caps);
      GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
          ("rvcsiviz found no video format downstream accepts."),
          ("It draws %s at a fixed framerate of at least 1/1: put "
              "videoconvert (and videorate) after it.", VIZ_FORMATS));
      gst_pad_mark_reconfigure (self->srcpad);
      return GST_FLOW_NOT_NEGOTIATED;
    }
    GST_INFO_OBJECT (self, "output %" GST_PTR_FORMAT, caps);
    if (!gst_pad_push_event (self->srcpad, gst_event_new_caps (caps))) {
      gst_caps_unref (caps);
      gst_pad_mark_reconfigure (self->srcpad);
      return GST_PAD_IS_FLUSHING (self->srcpad) ? GST_FLOW_FLUSHING :
          GST_FLOW_NOT_NEGOTIATED;
    }
    if (!decide_pool (self, caps, &info)) {
      gst_caps_unref (caps);
      GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
          ("rvcsiviz could not set up a pool of video buffers."), (NULL));
      return GST_FLOW_ERROR;
    }
    gst_caps_unref (caps);
    g_mutex_lock (&self->lock);
    if (self->negotiated && self->grid) {
      /* keep the next frame's time on the new grid */
      GstClockTime t = frame_time (self, self->next_frame);
      self->vinfo = info;
      self->next_frame = frame_at_or_after (self, t);
    } else {
      self->vinfo = info;
    }
    self->negotiated = TRUE;
    resize_histories (self);
    g_mutex_unlock (&self->lock);
  }

  g_mutex_lock (&self->lock);
  need_segment = self->need_segment;
  self->need_segment = FALSE;
  g_mutex_unlock (&self->lock);
  if (need_segment) {
    GstSegment seg;
    /* timestamps are running times: the default TIME segment maps them 1:1 */
    gst_segment_init (&seg, GST_FORMAT_TIME);
    gst_pad_push_event (self->srcpad, gst_event_new_segment (&seg));
  }
  return GST_FLOW_OK;
}

/* ---- rendering (render_lock held) ---- */

static gboolean
draw_frame (GstRvCsiViz * self, GstClockTime t, GstBuffer * buf)
{
  GstRvVizNode *list[256];
  GstRvVizScene sc;
  GstVideoFrame vf;
  cairo_surface_t *surf;
  cairo_t *cr;
  guint i, n = 0;
  GstClockTime page_time;
  gboolean alpha = GST_VIDEO_INFO_HAS_ALPHA (&self->vinfo);

  GST_OBJECT_LOCK (self);
  sc.per_page = self->nodes_per_page;
  page_time = self->page_time;
  GST_OBJECT_UNLOCK (self);

  resize_histories (self);
  for (i = 0; i < G_N_ELEMENTS (self->nodes); i++)
    if (self->nodes[i]) {
      gst_rv_viz_node_commit (self->nodes[i]);
      list[n++] = self->nodes[i];
    }
  sc.width = GST_VIDEO_INFO_WIDTH (&self->vinfo);
  sc.height = GST_VIDEO_INFO_HEIGHT (&self->vinfo);
  gst_util_fraction_to_double (GST_VIDEO_INFO_FPS_N (&self->vinfo),
      GST_VIDEO_INFO_FPS_D (&self->vinfo), &sc.fps);
  sc.running_time = t;
  sc.page = page_time ? (guint) (t / page_time) : 0;
  sc.nodes = list;
  sc.n_nodes = n;

  if (!gst_video_frame_map (&vf, &self->vinfo, buf, GST_MAP_WRITE))
    return FALSE;
  surf = cairo_image_surface_create_for_data (GST_VIDEO_FRAME_PLANE_DATA (&vf,
          0), alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, sc.width,
      sc.height, GST_VIDEO_FRAME_PLANE_STRIDE (&vf, 0));
  cr = cairo_create (surf);
  if (!self->pango)
    self->pango = gst_rv_viz_draw_context_new ();
  gst_rv_viz_draw (cr, self->pango, &sc);
  cairo_destroy (cr);
  cairo_surface_flush (surf);
  cairo_surface_destroy (surf);
  gst_video_frame_unmap (&vf);
  return TRUE;
}

/* Renders and pushes the next frame of the grid if it still is the frame
 * `expect` (another producer may have pushed it meanwhile). */
static GstFlowReturn
render_next (GstRvCsiViz * self, guint64 expect)
{
  GstFlowReturn ret = ensure_negotiated (self);
  GstBufferPool *pool;
  GstBuffer *buf = NULL;
  GstClockTime t;
  gboolean drawn;

  if (ret != GST_FLOW_OK)
    return ret;
  /* acquire outside `lock`: a sink's pool may block until it returns a
   * buffer, and flush-start needs `lock` to set the pool flushing */
  g_mutex_lock (&self->lock);
  pool = self->pool ? gst_object_ref (self->pool) : NULL;
  g_mutex_unlock (&self->lock);
  if (!pool)
    return GST_FLOW_FLUSHING;
  ret = gst_buffer_pool_acquire_buffer (pool, &buf, NULL);
  gst_object_unref (pool);
  if (ret != GST_FLOW_OK)
    return ret;

  g_mutex_lock (&self->lock);
  if (self->flushing || !self->grid || self->next_frame != expect) {
    ret = self->flushing ? GST_FLOW_FLUSHING : GST_FLOW_OK;
    g_mutex_unlock (&self->lock);
    gst_buffer_unref (buf);
    return ret;
  }
  t = frame_time (self, expect);
  drawn = draw_frame (self, t, buf);
  self->next_frame = expect + 1;
  /* the live timeout waits for the frame just drawn: re-arm it */
  if (self->clock_id)
    gst_clock_id_unschedule (self->clock_id);
  self->fresh = FALSE;
  self->frames++;
  GST_BUFFER_PTS (buf) = t;
  GST_BUFFER_DURATION (buf) = frame_time (self, expect + 1) - t;
  GST_BUFFER_OFFSET (buf) = expect;
  g_mutex_unlock (&self->lock);
  if (!drawn) {
    gst_buffer_unref (buf);
    GST_ELEMENT_ERROR (self, RESOURCE, WRITE, ("Could not map a video frame."),
        (NULL));
    return GST_FLOW_ERROR;
  }
  GST_LOG_OBJECT (self, "frame %" G_GUINT64_FORMAT " at %" GST_TIME_FORMAT,
      expect, GST_TIME_ARGS (t));
  return gst_pad_push (self->srcpad, buf);
}

/* Pushes every frame of the grid before running time rt (input reached
 * rt, so their content is complete); starts the grid at rt. */
static GstFlowReturn
advance_to (GstRvCsiViz * self, GstClockTime rt)
{
  GstFlowReturn ret = GST_FLOW_OK;

  if (!GST_CLOCK_TIME_IS_VALID (rt))
    return GST_FLOW_OK;
  ret = ensure_negotiated (self);
  if (ret != GST_FLOW_OK)
    return ret;
  for (;;) {
    guint64 n;
    g_mutex_lock (&self->lock);
    if (!self->grid) {
      self->next_frame = frame_at_or_after (self, rt);
      self->grid = TRUE;
      g_cond_broadcast (&self->cond);
    }
    n = self->next_frame;
    if (self->flushing || frame_time (self, n) >= rt) {
      ret = self->flushing ? GST_FLOW_FLUSHING : GST_FLOW_OK;
      g_mutex_unlock (&self->lock);
      return ret;
    }
    g_mutex_unlock (&self->lock);
    ret = render_next (self, n);
    if (ret != GST_FLOW_OK)
      return ret;
  }
}

/* ---- input (lock held) ---- */

static void
apply_buffer (GstRvCsiViz * self, GstBuffer * buf)
{
  GstRvCsiPacketMeta *pm = GST_RV_CSI_PACKET_META_GET (buf);
  GstRvEmbeddingMeta *em = gst_rv_buffer_get_embedding_meta (buf);
  GstRvClassificationMeta *cm = gst_rv_buffer_get_classification_meta (buf);
  GstRvMotionMeta *mm = gst_rv_buffer_get_motion_meta (buf);
  GstRvVizNode *n;
  gint id = pm ? pm->node_id : em ? em->node_id : cm ? cm->node_id :
      mm ? mm->node_id : -1;

  if (id < 0) {
    GST_LOG_OBJECT (self, "buffer without rvcsi metas, ignored");
    return;
  }
  n = node_get (self, (guint) id);
  n->online = TRUE;
  self->fresh = TRUE;
  if (pm) {
    gst_rv_viz_node_add_packet (n, (pm->flags & (GST_RV_CSI_PACKET_FLAG_FIRST
                | GST_RV_CSI_PACKET_FLAG_SEQ_RESET)) ? 0 : pm->seq_gap);
    if (pm->kind == GST_RV_CSI_KIND_CSI_RAW) {
      GstMapInfo map;
      rv_csi_frame f;
      if (gst_buffer_map (buf, &map, GST_MAP_READ)) {
        if (rv_csi_frame_decode (map.data, map.size, &f) == RV_OK)
          gst_rv_viz_node_add_csi (n, &f);
        gst_buffer_unmap (buf, &map);
      }
    }
  }
  /* metas of other streams of this node than the one shown are skipped */
  if (em && em->antenna > n->antenna)
    em = NULL;
  if (mm && mm->antenna > n->antenna)
    mm = NULL;
  if (cm && cm->antenna > n->antenna)
    cm = NULL;
  if (em || mm || cm)
    n->antenna = em ? em->antenna : mm ? mm->antenna : cm->antenna;
  if (em)
    gst_rv_viz_node_set_embedding (n, em->data, em->dims, em->step);
  if (mm) {
    n->has_motion = TRUE;
    n->motion = mm->motion;
    n->motion_calibrated = mm->calibrated;
    n->motion_score = mm->score;
    n->motion_threshold = mm->threshold;
  }
  if (cm && cm->decision >= 0 && (gsize) cm->decision < cm->length) {
    n->label = cm->class_quarks[cm->decision];
    n->confidence = cm->decision_confidence;
    n->gated = cm->motion_gated;
  } else if (cm) {
    n->gated = cm->motion_gated;
  }
}

static GstClockTime
running_time (GstRvCsiViz * self, GstClockTime ts)
{
  if (!GST_CLOCK_TIME_IS_VALID (ts) || self->segment.format != GST_FORMAT_TIME)
    return GST_CLOCK_TIME_NONE;
  return gst_segment_to_running_time (&self->segment, GST_FORMAT_TIME, ts);
}

static GstFlowReturn
gst_rv_csi_viz_chain (G_GNUC_UNUSED GstPad * pad, GstObject * parent,
    GstBuffer * buf)
{
  GstRvCsiViz *self = GST_RV_CSI_VIZ (parent);
  GstClockTime ts = GST_BUFFER_PTS_IS_VALID (buf) ? GST_BUFFER_PTS (buf) :
      GST_BUFFER_DTS (buf), rt;
  GstFlowReturn ret;

  g_mutex_lock (&self->lock);
  rt = running_time (self, ts);
  g_mutex_unlock (&self->lock);

  g_mutex_lock (&self->render_lock);
  ret = advance_to (self, rt);
  if (ret == GST_FLOW_OK) {
    g_mutex_lock (&self->lock);
    apply_buffer (self, buf);
    g_mutex_unlock (&self->lock);
  }
  g_mutex_unlock (&self->render_lock);
  gst_buffer_unref (buf);
  return ret;
}

/* ---- the live timeout (source pad task) ---- */

static void
check_latency (GstRvCsiViz * self)
{
  GstQuery *q = gst_query_new_latency ();
  gboolean live = FALSE;
  GstClockTime min = 0, max = GST_CLOCK_TIME_NONE;

  if (gst_pad_peer_query (self->sinkpad, q))
    gst_query_parse_latency (q, &live, &min, &max);
  gst_query_unref (q);
  g_mutex_lock (&self->lock);
  self->live = live;
  self->upstream_latency = GST_CLOCK_TIME_IS_VALID (min) ? min : 0;
  self->latency_checked = TRUE;
  g_mutex_unlock (&self->lock);
  GST_DEBUG_OBJECT (self, "upstream live %d, latency %" GST_TIME_FORMAT, live,
      GST_TIME_ARGS (min));
}

static void
gst_rv_csi_viz_loop (GstRvCsiViz * self)
{
  GstClock *clock;
  GstClockTime base, deadline;
  GstClockID id;
  GstClockReturn cret;
  guint64 n;
  GstFlowReturn ret;

  g_mutex_lock (&self->lock);
  while (!self->flushing && !(self->playing && !self->eos
          && self->latency_checked && self->live && self->grid)) {
    if (self->playing && !self->eos && !self->latency_checked) {
      g_mutex_unlock (&self->lock);
      check_latency (self);
      g_mutex_lock (&self->lock);
      continue;
    }
    if (self->playing && !self->eos && self->live && !self->grid) {
      /* live and no input yet: start the grid at the clock's running time */
      g_mutex_unlock (&self->lock);
      g_mutex_lock (&self->render_lock);
      ret = ensure_negotiated (self);
      clock = gst_element_get_clock (GST_ELEMENT (self));
      g_mutex_lock (&self->lock);
      if (ret == GST_FLOW_OK && clock && !self->grid) {
        GstClockTime now = gst_clock_get_time (clock);
        base = gst_element_get_base_time (GST_ELEMENT (self));
        self->next_frame = frame_at_or_after (self, now > base ? now - base :
            0);
        self->grid = TRUE;
      }
      g_mutex_unlock (&self->lock);
      g_mutex_unlock (&self->render_lock);
      if (clock)
        gst_object_unref (clock);
      g_mutex_lock (&self->lock);
      if (ret != GST_FLOW_OK)
        goto pause;
      /* no clock yet: the first input starts the grid instead */
      if (!self->grid && !self->flushing)
        g_cond_wait (&self->cond, &self->lock);
      continue;
    }
    g_cond_wait (&self->cond, &self->lock);
  }
  if (self->flushing)
    goto pause;

  clock = gst_element_get_clock (GST_ELEMENT (self));
  if (!clock) {
    g_cond_wait (&self->cond, &self->lock);
    g_mutex_unlock (&self->lock);
    return;
  }
  n = self->next_frame;
  base = gst_element_get_base_time (GST_ELEMENT (self));
  deadline = base + frame_time (self, n) + self->upstream_latency;
  id = self->clock_id = gst_clock_new_single_shot_id (clock, deadline);
  gst_object_unref (clock);
  g_mutex_unlock (&self->lock);

  cret = gst_clock_id_wait (id, NULL);

  g_mutex_lock (&self->lock);
  self->clock_id = NULL;
  gst_clock_id_unref (id);
  if (self->flushing)
    goto pause;
  g_mutex_unlock (&self->lock);
  if (cret == GST_CLOCK_UNSCHEDULED)
    return;

  g_mutex_lock (&self->render_lock);
  ret = render_next (self, n);
  g_mutex_unlock (&self->render_lock);
  if (ret == GST_FLOW_OK)
    return;
  GST_DEBUG_OBJECT (self, "pausing task: %s", gst_flow_get_name (ret));
  if (ret == GST_FLOW_NOT_LINKED || ret < GST_FLOW_EOS)
    GST_ELEMENT_FLOW_ERROR (self, ret);
  gst_pad_pause_task (self->srcpad);
  return;

pause:
  g_mutex_unlock (&self->lock);
  gst_pad_pause_task (self->srcpad);
}

static void
set_flushing (GstRvCsiViz * self, gboolean flushing)
{
  g_mutex_lock (&self->lock);
  self->flushing = flushing;
  if (self->pool)
    gst_buffer_pool_set_flushing (self->pool, flushing);
  if (self->clock_id)
    gst_clock_id_unschedule (self->clock_id);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

static gboolean
start_task (GstRvCsiViz * self)
{
  return gst_pad_start_task (self->srcpad,
      (GstTaskFunction) gst_rv_csi_viz_loop, self, NULL);
}

static gboolean
gst_rv_csi_viz_src_activate_mode (GstPad * pad, GstObject * parent,
    GstPadMode mode, gboolean active)
{
  GstRvCsiViz *self = GST_RV_CSI_VIZ (parent);

  if (mode != GST_PAD_MODE_PUSH)
    return FALSE;
  if (active) {
    set_flushing (self, FALSE);
    return start_task (self);
  }
  set_flushing (self, TRUE);
  return gst_pad_stop_task (pad);
}

/* ---- events and queries ---- */

static gboolean
gst_rv_csi_viz_sink_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  GstRvCsiViz *self = GST_RV_CSI_VIZ (parent);
  guint node;
  gboolean online;
  GstClockTime st;

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_STREAM_START:
    case GST_EVENT_CAPS:
      /* the output is our own video stream */
      gst_event_unref (event);
      return TRUE;
    case GST_EVENT_SEGMENT:
      g_mutex_lock (&self->lock);
      gst_event_copy_segment (event, &self->segment);
      g_mutex_unlock (&self->lock);
      gst_event_unref (event);
      return TRUE;
    case GST_EVENT_GAP:{
      GstClockTime ts, dur, start, end;
      gst_event_parse_gap (event, &ts, &dur);
      g_mutex_lock (&self->lock);
      start = running_time (self, ts);
      end = GST_CLOCK_TIME_IS_VALID (dur) ? running_time (self, ts + dur) :
          start;
      g_mutex_unlock (&self->lock);
      /* no input from start to end: the frames up to end are complete */
      g_mutex_lock (&self->render_lock);
      if (advance_to (self, start) == GST_FLOW_OK)
        advance_to (self, end);
      g_mutex_unlock (&self->render_lock);
      gst_event_unref (event);
      return TRUE;
    }
    case GST_EVENT_CUSTOM_DOWNSTREAM:
      if (gst_rv_node_event_parse (event, &node, &online, &st) && node < 256) {
        GST_INFO_OBJECT (self, "node %u %s", node, online ? "back" : "offline");
        g_mutex_lock (&self->render_lock);
        advance_to (self, st);
        g_mutex_lock (&self->lock);
        node_get (self, node)->online = online;
        self->fresh = TRUE;
        g_mutex_unlock (&self->lock);
        g_mutex_unlock (&self->render_lock);
        gst_event_unref (event);
        return TRUE;
      }
      break;
    case GST_EVENT_EOS:{
      guint64 n;
      gboolean last;
      g_mutex_lock (&self->render_lock);
      g_mutex_lock (&self->lock);
      /* the input after the last full frame gets one more frame */
      last = self->grid && self->fresh;
      n = self->next_frame;
      g_mutex_unlock (&self->lock);
      /* downstream gets stream-start, caps and segment before EOS */
      if (ensure_negotiated (self) == GST_FLOW_OK && last)
        render_next (self, n);
      g_mutex_lock (&self->lock);
      self->eos = TRUE;
      g_mutex_unlock (&self->lock);
      g_mutex_unlock (&self->render_lock);
      break;
    }
    case GST_EVENT_FLUSH_START:
      gst_pad_push_event (self->srcpad, event);
      set_flushing (self, TRUE);
      return TRUE;
    case GST_EVENT_FLUSH_STOP:
      g_mutex_lock (&self->render_lock);
      set_flushing (self, FALSE);
      g_mutex_lock (&self->lock);
      gst_segment_init (&self->segment, GST_FORMAT_UNDEFINED);
      self->grid = FALSE;
      self->eos = FALSE;
      self->need_segment = TRUE;
      g_mutex_unlock (&self->lock);
      g_mutex_unlock (&self->render_lock);
      gst_pad_push_event (self->srcpad, event);
      start_task (self);
      return TRUE;
    default:
      break;
  }
  return gst_pad_event_default (pad, parent, event);
}

static gboolean
gst_rv_csi_viz_src_query (GstPad * pad, GstObject * parent, GstQuery * query)
{
  GstRvCsiViz *self = GST_RV_CSI_VIZ (parent);

  if (GST_QUERY_TYPE (query) == GST_QUERY_LATENCY) {
    gboolean live;
    GstClockTime min, max, frame;

    if (!gst_pad_peer_query (self->sinkpad, query))
      return FALSE;
    gst_query_parse_latency (query, &live, &min, &max);
    g_mutex_lock (&self->lock);
    self->live = live;
    self->upstream_latency = min;
    self->latency_checked = TRUE;
    /* a frame is pushed once its interval is over: one frame of latency */
    frame = self->negotiated ? frame_time (self, 1) :
        gst_util_uint64_scale (GST_SECOND, DEFAULT_FPS_D, DEFAULT_FPS_N);
    g_mutex_unlock (&self->lock);
    gst_query_set_latency (query, live, min + frame,
        GST_CLOCK_TIME_IS_VALID (max) ? max + frame : max);
    return TRUE;
  }
  return gst_pad_query_default (pad, parent, query);
}

static GstStateChangeReturn
gst_rv_csi_viz_change_state (GstElement * element, GstStateChange transition)
{
  GstRvCsiViz *self = GST_RV_CSI_VIZ (element);
  GstStateChangeReturn ret;

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      g_mutex_lock (&self->lock);
      gst_segment_init (&self->segment, GST_FORMAT_UNDEFINED);
      self->negotiated = self->started = self->grid = FALSE;
      self->need_segment = TRUE;
      self->eos = self->fresh = FALSE;
      self->latency_checked = self->live = FALSE;
      self->frames = 0;
      self->n_cols = 0;
      g_mutex_unlock (&self->lock);
      break;
    case GST_STATE_CHANGE_PAUSED_TO_PLAYING:
      g_mutex_lock (&self->lock);
      self->playing = TRUE;
      /* upstream's liveness and latency are asked again on every start */
      self->latency_checked = FALSE;
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->lock);
      break;
    case GST_STATE_CHANGE_PLAYING_TO_PAUSED:
      g_mutex_lock (&self->lock);
      self->playing = FALSE;
      if (self->clock_id)
        gst_clock_id_unschedule (self->clock_id);
      g_mutex_unlock (&self->lock);
      break;
    default:
      break;
  }
  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY) {
    g_mutex_lock (&self->render_lock);
    g_clear_object (&self->pango);
    replace_pool (self, NULL);
    g_mutex_unlock (&self->render_lock);
    g_mutex_lock (&self->lock);
    clear_nodes (self);
    g_mutex_unlock (&self->lock);
  }
  return ret;
}

/* ---- properties ---- */

/* frames: counted under the state lock, not the object lock. */
static void
gst_rv_csi_viz_get_frames (GObject * object, guint prop_id G_GNUC_UNUSED,
    GValue * value, GParamSpec * pspec G_GNUC_UNUSED)
{
  GstRvCsiViz *self = GST_RV_CSI_VIZ (object);

  g_mutex_lock (&self->lock);
  g_value_set_uint64 (value, self->frames);
  g_mutex_unlock (&self->lock);
}

static void
gst_rv_csi_viz_class_init (GstRvCsiVizClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  GST_RV_PROP_FIELD (gobject_class, PROP_HISTORY_TIME, GstRvCsiViz,
      history_time,
      g_param_spec_uint64 ("history-time", "History time",
          "How much of the past (ns) the waterfall, motion trace and decision "
          "timeline show, right edge = now", GST_SECOND, 600 * GST_SECOND,
          DEFAULT_HISTORY_TIME, GST_RV_PARAM_PLAYING));
  GST_RV_PROP_FIELD (gobject_class, PROP_NODES_PER_PAGE, GstRvCsiViz,
      nodes_per_page,
      g_param_spec_uint ("nodes-per-page", "Nodes per page",
          "Node cards drawn at once (a grid); more nodes are shown in pages "
          "that take turns every page-time", 1, 64, DEFAULT_NODES_PER_PAGE,
          GST_RV_PARAM_PLAYING));
  GST_RV_PROP_FIELD (gobject_class, PROP_PAGE_TIME, GstRvCsiViz, page_time,
      g_param_spec_uint64 ("page-time", "Page time",
          "How long (ns of running time) each page of nodes is shown when "
          "there are more than nodes-per-page; 0 shows the first page only",
          0, G_MAXUINT64, DEFAULT_PAGE_TIME, GST_RV_PARAM_PLAYING));
  GST_RV_PROP_CUSTOM (gobject_class, PROP_FRAMES, GstRvCsiViz, frames,
      g_param_spec_uint64 ("frames", "Frames",
          "Video frames produced since the element started", 0, G_MAXUINT64,
          0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS), NULL,
      gst_rv_csi_viz_get_frames);

  gst_element_class_set_static_metadata (element_class,
      "rvcsi dashboard video", "Visualization",
      "Draws each node's CSI amplitude waterfall, motion score, decision "
      "timeline, packet rate and loss as video (cairo/pango)",
      "gst-rvcsi");
  gst_rv_element_class_add_sink_src (element_class,
      &gst_rv_csi_sink_template, &src_template);

  gobject_class->finalize = gst_rv_csi_viz_finalize;
  element_class->change_state = gst_rv_csi_viz_change_state;
}

static void
gst_rv_csi_viz_init (GstRvCsiViz * self)
{
  gst_rv_props_init (G_OBJECT (self));
  g_mutex_init (&self->lock);
  g_mutex_init (&self->render_lock);
  g_cond_init (&self->cond);
  gst_segment_init (&self->segment, GST_FORMAT_UNDEFINED);
  gst_video_info_init (&self->vinfo);

  self->sinkpad = gst_pad_new_from_static_template (&gst_rv_csi_sink_template,
      "sink");
  gst_pad_set_chain_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_rv_csi_viz_chain));
  gst_pad_set_event_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_rv_csi_viz_sink_event));
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);

  self->srcpad = gst_pad_new_from_static_template (&src_template, "src");
  gst_pad_set_activatemode_function (self->srcpad,
      GST_DEBUG_FUNCPTR (gst_rv_csi_viz_src_activate_mode));
  gst_pad_set_query_function (self->srcpad,
      GST_DEBUG_FUNCPTR (gst_rv_csi_viz_src_query));
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);
}

static void
gst_rv_csi_viz_finalize (GObject * object)
{
  GstRvCsiViz *self = GST_RV_CSI_VIZ (object);

  clear_nodes (self);
  g_clear_object (&self->pango);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->render_lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}
