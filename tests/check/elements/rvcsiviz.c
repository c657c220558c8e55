/* rvcsiviz element tests: caps negotiation, frames on the running-time
 * grid (replay and live with the test clock), 0 to 20 nodes, a node going
 * offline, and a PNG snapshot whose label box changes with the decision. */
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>
#include <cairo.h>

#include "gstrvcsimeta.h"
#include "gstrvnodeevent.h"
#include "gstrvvizhistory.h"
#include "gstrvvizlayout.h"
#include "rvtestutil.h"

static const gchar *LABELS[] = { "empty", "still", "walking", "fall" };

#define MS (GST_MSECOND)

/* A raw CSI packet of `node` with the packet meta the parsers attach and,
 * when decision >= 0, the classification meta rvclassify attaches. */
static GstBuffer *
node_buffer (guint8 node, guint32 seq, GstClockTime pts, gint decision,
    gfloat conf)
{
  guint8 pkt[512];
  gsize n = rvt_csi_frame (node, seq, node + seq / 8, pkt, sizeof pkt);
  GstBuffer *b = gst_buffer_new_memdup (pkt, n);
  const GstMetaInfo *pi = gst_meta_get_info ("GstRvCsiPacketMeta");
  GstRvCsiPacketMeta *pm;

  fail_unless (pi != NULL);
  pm = (GstRvCsiPacketMeta *) gst_buffer_add_meta (b, pi, NULL);
  pm->node_id = node;
  pm->kind = GST_RV_CSI_KIND_CSI_RAW;
  pm->flags = seq ? 0 : GST_RV_CSI_PACKET_FLAG_FIRST;
  pm->seq = seq;
  pm->seq_gap = 0;
  if (decision >= 0) {
    const GstMetaInfo *ci = gst_meta_get_info ("GstRvClassificationMeta");
    GstRvClassificationMeta *cm;
    guint i;

    fail_unless (ci != NULL);
    cm = (GstRvClassificationMeta *) gst_buffer_add_meta (b, ci, NULL);
    cm->length = G_N_ELEMENTS (LABELS);
    cm->class_quarks = g_new0 (GQuark, cm->length);
    cm->confidence_levels = g_new0 (gfloat, cm->length);
    cm->model_levels = NULL;
    cm->motion_gated = FALSE;
    for (i = 0; i < cm->length; i++) {
      cm->class_quarks[i] = g_quark_from_static_string (LABELS[i]);
      cm->confidence_levels[i] = (gint) i == decision ? conf : 0.1f;
    }
    cm->node_id = node;
    cm->decision = decision;
    cm->decision_confidence = conf;
  }
  GST_BUFFER_PTS (b) = pts;
  return b;
}

static GstStaticPadTemplate h_src = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);
static GstStaticPadTemplate h_sink = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

/* The harness answers the latency query live or not; it must say so
 * before the element goes to PLAYING (the element asks then). */
/* A feature-state stream's classification (antenna 255) of `node`:
 * rvcsiviz shows the node's lowest antenna and must skip it. */
static GstBuffer *
state_stream_buffer (guint8 node, GstClockTime pts, gint decision)
{
  GstBuffer *b = node_buffer (node, 0, pts, decision, 0.95f);
  GstRvClassificationMeta *cm = gst_rv_buffer_get_classification_meta (b);
  GstRvCsiPacketMeta *pm = gst_rv_buffer_get_csi_packet_meta (b);

  cm->antenna = 255;
  fail_unless (gst_buffer_remove_meta (b, (GstMeta *) pm));
  return b;
}

/* The motion meta rvtemporalhead attaches to a raw CSI frame. */
static void
add_motion (GstBuffer * b, guint8 node, gboolean motion, gfloat score)
{
  const GstMetaInfo *mi = gst_meta_get_info ("GstRvMotionMeta");
  GstRvMotionMeta *mm;

  fail_unless (mi != NULL);
  mm = (GstRvMotionMeta *) gst_buffer_add_meta (b, mi, NULL);
  mm->node_id = node;
  mm->motion = motion;
  mm->calibrated = TRUE;
  mm->score = score;
  mm->threshold = 0.001f;
}

static GstHarness *
viz_harness (const gchar * props, const gchar * sink_caps, gboolean live)
{
  gchar *desc = g_strdup_printf ("rvcsiviz %s", props ? props : "");
  GstElement *e = gst_parse_launch (desc, NULL);
  GstHarness *h = gst_harness_new_empty ();

  fail_unless (e != NULL);
  g_free (desc);
  gst_harness_set_live (h, live);
  gst_harness_add_element_full (h, e, &h_src, "sink", &h_sink, "src");
  gst_object_unref (e);
  gst_harness_set_sink_caps_str (h, sink_caps);
  gst_harness_set_src_caps_str (h, "application/x-rvcsi");
  gst_harness_play (h);
  return h;
}

static void
push (GstHarness * h, GstBuffer * b)
{
  fail_unless_equals_int (gst_harness_push (h, b), GST_FLOW_OK);
}

/* Pixel (x, y) of a mapped BGRx/BGRA frame as 0xRRGGBB. */
static guint32
pixel (GstVideoFrame * f, gint x, gint y)
{
  const guint8 *p = (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (f, 0)
      + y * GST_VIDEO_FRAME_PLANE_STRIDE (f, 0) + 4 * x;
  return ((guint32) p[2] << 16) | ((guint32) p[1] << 8) | p[0];
}

static void
map_frame (GstHarness * h, GstBuffer * b, GstVideoFrame * f)
{
  GstCaps *caps = gst_pad_get_current_caps (h->sinkpad);
  GstVideoInfo info;

  fail_unless (caps != NULL);
  fail_unless (gst_video_info_from_caps (&info, caps));
  gst_caps_unref (caps);
  fail_unless (gst_video_frame_map (f, &info, b, GST_MAP_READ));
}

/* Fraction of pixels in r that differ between two frames. */
static gdouble
region_diff (GstVideoFrame * a, GstVideoFrame * b, const GstRvVizRect * r)
{
  gint x, y, n = 0, d = 0;

  for (y = (gint) r->y; y < (gint) (r->y + r->h); y++)
    for (x = (gint) r->x; x < (gint) (r->x + r->w); x++, n++)
      d += pixel (a, x, y) != pixel (b, x, y);
  return n ? (gdouble) d / n : 0.0;
}

/* Mean brightness (0..255) of r. */
static gdouble
region_mean (GstVideoFrame * f, const GstRvVizRect * r)
{
  gint x, y, n = 0;
  gdouble s = 0;

  for (y = (gint) r->y; y < (gint) (r->y + r->h); y++)
    for (x = (gint) r->x; x < (gint) (r->x + r->w); x++, n++) {
      guint32 p = pixel (f, x, y);
      s += ((p >> 16) + ((p >> 8) & 0xff) + (p & 0xff)) / 3.0;
    }
  return n ? s / n : 0.0;
}

GST_START_TEST (test_caps_default)
{
  GstHarness *h = viz_harness (NULL, "video/x-raw", FALSE);
  GstCaps *caps;
  GstStructure *s;
  GstBuffer *out;
  gint w = 0, hh = 0, n = 0, d = 0;

  push (h, node_buffer (1, 0, 0, -1, 0));
  push (h, node_buffer (1, 1, 100 * MS, -1, 0));
  out = gst_harness_pull (h);
  caps = gst_pad_get_current_caps (h->sinkpad);
  s = gst_caps_get_structure (caps, 0);
  fail_unless (gst_structure_get_int (s, "width", &w));
  fail_unless (gst_structure_get_int (s, "height", &hh));
  fail_unless (gst_structure_get_fraction (s, "framerate", &n, &d));
  fail_unless_equals_int (w, 1280);
  fail_unless_equals_int (hh, 720);
  fail_unless_equals_int (n, 15);
  fail_unless_equals_int (d, 1);
  fail_unless_equals_string (gst_structure_get_string (s, "format"),
      G_BYTE_ORDER == G_LITTLE_ENDIAN ? "BGRx" : "xRGB");
  fail_unless_equals_int (gst_buffer_get_size (out), 1280 * 720 * 4);
  gst_caps_unref (caps);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_caps_downstream)
{
  GstHarness *h = viz_harness (NULL, "video/x-raw, format=BGRA, "
      "width=320, height=240, framerate=30/1", FALSE);
  GstBuffer *out;
  GstCaps *caps;

  push (h, node_buffer (1, 0, 0, -1, 0));
  push (h, node_buffer (1, 1, 40 * MS, -1, 0));
  out = gst_harness_pull (h);
  caps = gst_pad_get_current_caps (h->sinkpad);
  fail_unless (gst_caps_is_equal (caps,
          gst_caps_from_string ("video/x-raw, format=BGRA, width=320, "
              "height=240, framerate=30/1, pixel-aspect-ratio=1/1")));
  fail_unless_equals_int (gst_buffer_get_size (out), 320 * 240 * 4);
  fail_unless_equals_uint64 (GST_BUFFER_DURATION (out),
      gst_util_uint64_scale (GST_SECOND, 1, 30));
  gst_caps_unref (caps);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_caps_refused)
{
  GstHarness *h = viz_harness (NULL, "video/x-raw, format=I420", FALSE);

  fail_unless_equals_int (gst_harness_push (h, node_buffer (1, 0, 0, -1, 0)),
      GST_FLOW_NOT_NEGOTIATED);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Replay: frames come from input timestamps only, on the 10 fps grid,
 * whatever the push speed (no clock). */
GST_START_TEST (test_timing_replay)
{
  GstHarness *h = viz_harness (NULL,
      "video/x-raw, width=320, height=240, framerate=10/1", FALSE);
  GstBuffer *out;
  GstEvent *ev;
  guint i, n = 0;

  /* 1.010 s .. 2.000 s every 10 ms: the grid starts at 1.1 s (first frame
   * at or after the first input), frames 1.1 .. 1.9 are complete when
   * input passes them, 2.0 follows at EOS */
  for (i = 1; i <= 100; i++)
    push (h, node_buffer (1, i, GST_SECOND + i * 10 * MS, -1, 0));
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));

  /* stream-start, caps, segment before the first frame */
  ev = gst_harness_pull_event (h);
  fail_unless_equals_int (GST_EVENT_TYPE (ev), GST_EVENT_STREAM_START);
  gst_event_unref (ev);
  ev = gst_harness_pull_event (h);
  fail_unless_equals_int (GST_EVENT_TYPE (ev), GST_EVENT_CAPS);
  gst_event_unref (ev);
  ev = gst_harness_pull_event (h);
  fail_unless_equals_int (GST_EVENT_TYPE (ev), GST_EVENT_SEGMENT);
  gst_event_unref (ev);

  while ((out = gst_harness_try_pull (h))) {
    fail_unless_equals_uint64 (GST_BUFFER_PTS (out),
        (11 + n) * 100 * MS);
    fail_unless_equals_uint64 (GST_BUFFER_DURATION (out), 100 * MS);
    gst_buffer_unref (out);
    n++;
  }
  fail_unless_equals_int (n, 10);
  ev = gst_harness_pull_event (h);
  fail_unless_equals_int (GST_EVENT_TYPE (ev), GST_EVENT_EOS);
  gst_event_unref (ev);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A segment with a base offsets running time: frames follow it. */
GST_START_TEST (test_timing_segment)
{
  GstHarness *h = viz_harness (NULL,
      "video/x-raw, width=320, height=240, framerate=5/1", FALSE);
  GstSegment seg;
  GstBuffer *out;

  gst_segment_init (&seg, GST_FORMAT_TIME);
  seg.start = 10 * GST_SECOND;
  seg.base = GST_SECOND;
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&seg)));
  push (h, node_buffer (1, 0, 10 * GST_SECOND, -1, 0));
  push (h, node_buffer (1, 1, 10 * GST_SECOND + 250 * MS, -1, 0));
  out = gst_harness_pull (h);
  /* input running time 1.0 s -> frame 5 of the 5 fps grid */
  fail_unless_equals_uint64 (GST_BUFFER_PTS (out), GST_SECOND);
  gst_buffer_unref (out);
  out = gst_harness_pull (h);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (out), GST_SECOND + 200 * MS);
  gst_buffer_unref (out);
  fail_unless (gst_harness_try_pull (h) == NULL);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Live: a silent room still gets frames when the clock passes the grid. */
GST_START_TEST (test_timing_live)
{
  GstHarness *h = viz_harness (NULL,
      "video/x-raw, width=320, height=240, framerate=10/1", TRUE);
  GstBuffer *out;
  GstTestClock *tc;
  guint i;

  gst_harness_use_testclock (h);
  tc = gst_harness_get_testclock (h);
  for (i = 0; i < 3; i++) {
    fail_unless (gst_harness_crank_single_clock_wait (h));
    out = gst_harness_pull (h);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (out), i * 100 * MS);
    fail_unless_equals_uint64 (gst_clock_get_time (GST_CLOCK (tc)),
        i * 100 * MS);
    gst_buffer_unref (out);
  }
  /* input at 250 ms is drawn in the 300 ms frame; the clock still drives */
  push (h, node_buffer (1, 0, 250 * MS, -1, 0));
  fail_unless (gst_harness_try_pull (h) == NULL);
  fail_unless (gst_harness_crank_single_clock_wait (h));
  out = gst_harness_pull (h);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (out), 300 * MS);
  gst_buffer_unref (out);
  /* input passing a boundary produces that frame before the clock does */
  push (h, node_buffer (1, 1, 420 * MS, -1, 0));
  out = gst_harness_pull (h);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (out), 400 * MS);
  gst_buffer_unref (out);
  fail_unless (gst_harness_crank_single_clock_wait (h));
  out = gst_harness_pull (h);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (out), 500 * MS);
  gst_buffer_unref (out);
  gst_object_unref (tc);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* 0, 1, 4, 9, 16 nodes on one page, 20 on two: every card of page 1 is
 * drawn where the layout puts it. */
GST_START_TEST (test_nodes)
{
  static const guint counts[] = { 0, 1, 4, 9, 16, 20 };
  guint c;

  for (c = 0; c < G_N_ELEMENTS (counts); c++) {
    guint n = counts[c], i;
    GstHarness *h = viz_harness ("page-time=0",
        "video/x-raw, width=640, height=360, framerate=10/1", FALSE);
    GstRvVizPageLayout page;
    GstVideoFrame f;
    GstBuffer *out;
    guint32 bg, card0 = 0;

    for (i = 0; i < n; i++)
      push (h, node_buffer (i + 1, 0, 0, i % 4, 0.8f));
    /* a gap (no node or a silent room) moves time on as input does */
    fail_unless (gst_harness_push_event (h, gst_event_new_gap (0,
                150 * MS)));
    out = gst_harness_pull (h);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (out), 0);
    map_frame (h, out, &f);
    gst_rv_viz_layout_page (640, 360, n, 16, 0, &page);
    fail_unless_equals_int (page.count, MIN (n, 16));
    fail_unless_equals_int (page.n_pages, n > 16 ? 2 : 1);
    bg = pixel (&f, 0, 359);
    for (i = 0; i < page.count; i++) {
      GstRvVizCardLayout k;
      guint32 p;
      gst_rv_viz_layout_card (640, 360, &page, i, &k);
      /* the card's header background, just inside its corner */
      p = pixel (&f, (gint) k.card.x + 1, (gint) k.card.y + 1);
      fail_if (p == bg, "%u nodes: card %u not drawn", n, i);
      if (i == 0)
        card0 = p;
      fail_unless_equals_int (p, card0);
    }
    if (n == 0) {
      /* "waiting for nodes" in the middle */
      gint x, ink = 0;
      for (x = 0; x < 640; x++)
        ink += pixel (&f, x, 360 * 0.45 + 10) != bg;
      fail_unless (ink > 20, "no waiting text (%d)", ink);
    }
    gst_video_frame_unmap (&f);
    gst_buffer_unref (out);
    gst_harness_teardown (h);
  }
}

GST_END_TEST;

/* Pages take turns every page-time of running time. */
GST_START_TEST (test_pages)
{
  GstHarness *h = viz_harness ("nodes-per-page=4 page-time=1000000000",
      "video/x-raw, width=320, height=240, framerate=2/1", FALSE);
  GstBuffer *a, *b;
  guint i, frames = 0;
  guint64 f = 0;

  for (i = 0; i < 6; i++)
    push (h, node_buffer (i + 1, 0, 0, 1, 0.9f));
  push (h, node_buffer (1, 1, 1100 * MS, 1, 0.9f));
  a = gst_harness_pull (h);     /* 0.0 s: page 1 (nodes 1-4) */
  gst_buffer_unref (gst_harness_pull (h));      /* 0.5 s */
  b = gst_harness_pull (h);     /* 1.0 s: page 2 (nodes 5, 6) */
  fail_unless_equals_uint64 (GST_BUFFER_PTS (b), GST_SECOND);
  {
    GstMapInfo ma, mb;
    gst_buffer_map (a, &ma, GST_MAP_READ);
    gst_buffer_map (b, &mb, GST_MAP_READ);
    fail_if (memcmp (ma.data, mb.data, ma.size) == 0);
    gst_buffer_unmap (a, &ma);
    gst_buffer_unmap (b, &mb);
  }
  g_object_get (h->element, "frames", &f, NULL);
  frames = (guint) f;
  fail_unless_equals_int (frames, 3);
  gst_buffer_unref (a);
  gst_buffer_unref (b);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_node_offline)
{
  GstHarness *h = viz_harness (NULL,
      "video/x-raw, width=640, height=360, framerate=10/1", FALSE);
  GstRvVizPageLayout page;
  GstRvVizCardLayout k1, k2;
  GstVideoFrame fa, fb, fc;
  GstBuffer *a, *b, *c;
  guint i;

  gst_rv_viz_layout_page (640, 360, 2, 16, 0, &page);
  gst_rv_viz_layout_card (640, 360, &page, 0, &k1);
  gst_rv_viz_layout_card (640, 360, &page, 1, &k2);
  for (i = 0; i < 10; i++) {
    push (h, node_buffer (1, i, i * 10 * MS, 2, 0.9f));
    push (h, node_buffer (2, i, i * 10 * MS + 5 * MS, 2, 0.9f));
  }
  push (h, node_buffer (1, 10, 100 * MS, 2, 0.9f));
  push (h, node_buffer (1, 11, 110 * MS, 2, 0.9f));
  a = gst_harness_pull (h);     /* 0 ms */
  gst_buffer_unref (a);
  a = gst_harness_pull (h);     /* 100 ms, both online */

  /* node 2 goes silent at 150 ms; node 1 carries on */
  fail_unless (gst_harness_push_event (h, gst_rv_node_event_new (2, FALSE,
              150 * MS)));
  push (h, node_buffer (1, 12, 210 * MS, 2, 0.9f));
  b = gst_harness_pull (h);     /* 200 ms, node 2 offline */
  fail_unless_equals_uint64 (GST_BUFFER_PTS (b), 200 * MS);

  fail_unless (gst_harness_push_event (h, gst_rv_node_event_new (2, TRUE,
              250 * MS)));
  push (h, node_buffer (1, 13, 310 * MS, 2, 0.9f));
  c = gst_harness_pull (h);     /* 300 ms, back */

  map_frame (h, a, &fa);
  map_frame (h, b, &fb);
  map_frame (h, c, &fc);
  /* the offline card is dimmed; the other card is not */
  fail_unless (region_mean (&fb, &k2.label) < 0.6 * region_mean (&fa,
          &k2.label));
  fail_unless (region_mean (&fb, &k1.label) > 0.9 * region_mean (&fa,
          &k1.label));
  fail_unless (region_mean (&fc, &k2.label) > 0.9 * region_mean (&fa,
          &k2.label));
  gst_video_frame_unmap (&fa);
  gst_video_frame_unmap (&fb);
  gst_video_frame_unmap (&fc);
  gst_buffer_unref (a);
  gst_buffer_unref (b);
  gst_buffer_unref (c);
  gst_harness_teardown (h);
}

GST_END_TEST;

static void
write_png (GstVideoFrame * f, const gchar * name)
{
  const gchar *dir = g_getenv ("RV_BUILD_DIR");
  gchar *path = g_build_filename (dir ? dir : ".", name, NULL);
  cairo_surface_t *s = cairo_image_surface_create_for_data (
      GST_VIDEO_FRAME_PLANE_DATA (f, 0), CAIRO_FORMAT_RGB24,
      GST_VIDEO_FRAME_WIDTH (f), GST_VIDEO_FRAME_HEIGHT (f),
      GST_VIDEO_FRAME_PLANE_STRIDE (f, 0));

  fail_unless_equals_int (cairo_surface_write_to_png (s, path),
      CAIRO_STATUS_SUCCESS);
  GST_INFO ("wrote %s", path);
  cairo_surface_destroy (s);
  g_free (path);
}

/* Pixels of r whose colour is close to the motion trace's orange. */
static guint
orange_pixels (GstVideoFrame * f, const GstRvVizRect * r)
{
  gint x, y;
  guint n = 0;

  for (y = (gint) r->y; y < (gint) (r->y + r->h); y++)
    for (x = (gint) r->x; x < (gint) (r->x + r->w); x++) {
      guint32 p = pixel (f, x, y);
      n += (p >> 16) > 200 && ((p >> 8) & 0xff) > 100
          && ((p >> 8) & 0xff) < 180 && (p & 0xff) < 80;
    }
  return n;
}

/* The motion panel traces the score; the decision box says MOTION or
 * still with the held state. */
GST_START_TEST (test_motion)
{
  GstHarness *h = viz_harness (NULL,
      "video/x-raw, width=640, height=360, framerate=10/1", FALSE);
  GstRvVizPageLayout page;
  GstRvVizCardLayout k;
  GstVideoFrame fq, fm;
  GstBuffer *quiet = NULL, *moving = NULL, *out;
  GstRvVizRect badge;
  guint i;

  for (i = 0; i < 200; i++) {
    gboolean m = i >= 100;
    GstBuffer *b = node_buffer (1, i, i * 10 * MS, 2, 0.8f);
    add_motion (b, 1, m, m ? 0.004f + 0.002f * (i % 7) : 0.0004f);
    push (h, b);
    while ((out = gst_harness_try_pull (h))) {
      if (GST_BUFFER_PTS (out) == 900 * MS)
        gst_buffer_replace (&quiet, out);
      if (GST_BUFFER_PTS (out) == 1900 * MS)
        gst_buffer_replace (&moving, out);
      gst_buffer_unref (out);
    }
  }
  fail_unless (quiet != NULL && moving != NULL);
  map_frame (h, quiet, &fq);
  map_frame (h, moving, &fm);
  write_png (&fm, "rvcsiviz-motion.png");
  gst_rv_viz_layout_page (640, 360, 1, 16, 0, &page);
  gst_rv_viz_layout_card (640, 360, &page, 0, &k);
  /* quiet: a flat trace near the bottom; moving: a tall one */
  fail_unless (orange_pixels (&fq, &k.motion) > 20);
  fail_unless (orange_pixels (&fm, &k.motion) > 2 * orange_pixels (&fq,
          &k.motion), "%u vs %u", orange_pixels (&fm, &k.motion),
      orange_pixels (&fq, &k.motion));
  /* the right part of the decision box: still -> MOTION */
  badge = k.label;
  badge.x += badge.w * 0.72;
  badge.w *= 0.28;
  fail_unless (region_diff (&fq, &fm, &badge) > 0.05);
  fail_unless (orange_pixels (&fm, &badge) > orange_pixels (&fq, &badge));
  gst_video_frame_unmap (&fq);
  gst_video_frame_unmap (&fm);
  gst_buffer_unref (quiet);
  gst_buffer_unref (moving);
  gst_harness_teardown (h);
}

GST_END_TEST;


/* Snapshot: 2 nodes for 3 s at 1280x720; node 1's decision changes from
 * walking to fall. The frame is not blank, node 1's label box changes,
 * node 2's (same decision on antenna 0; its feature-state stream, not
 * shown, says fall) does not. */
GST_START_TEST (test_snapshot_png)
{
  GstHarness *h = viz_harness (NULL,
      "video/x-raw, width=1280, height=720, framerate=10/1", FALSE);
  GstRvVizPageLayout page;
  GstRvVizCardLayout k1, k2;
  GstVideoFrame fa, fb;
  GstBuffer *a = NULL, *b = NULL, *out;
  GHashTable *colours = g_hash_table_new (NULL, NULL);
  guint i, x, y, non_bg = 0;
  guint32 bg;

  for (i = 0; i < 300; i++) {
    gint d1 = i < 200 ? 2 : 3;
    push (h, node_buffer (1, i, i * 10 * MS, d1, 0.6f + 0.001f * (i % 100)));
    push (h, node_buffer (2, i, i * 10 * MS + 5 * MS, 1, 0.7f));
    /* node 2 also has a feature-state stream deciding otherwise, last
     * before every frame boundary */
    if (i % 10 == 9)
      push (h, state_stream_buffer (2, i * 10 * MS + 7 * MS, 3));
    while ((out = gst_harness_try_pull (h))) {
      if (GST_BUFFER_PTS (out) == 1900 * MS)
        gst_buffer_replace (&a, out);
      if (GST_BUFFER_PTS (out) == 2900 * MS)
        gst_buffer_replace (&b, out);
      gst_buffer_unref (out);
    }
  }
  push (h, node_buffer (1, 300, 3000 * MS, 3, 0.9f));
  while ((out = gst_harness_try_pull (h))) {
    if (GST_BUFFER_PTS (out) == 2900 * MS)
      gst_buffer_replace (&b, out);
    gst_buffer_unref (out);
  }
  fail_unless (a != NULL && b != NULL);
  map_frame (h, a, &fa);
  map_frame (h, b, &fb);
  write_png (&fa, "rvcsiviz-walking.png");
  write_png (&fb, "rvcsiviz-fall.png");

  bg = pixel (&fb, 0, 719);
  for (y = 0; y < 720; y += 2)
    for (x = 0; x < 1280; x += 2) {
      guint32 p = pixel (&fb, x, y);
      non_bg += p != bg;
      g_hash_table_add (colours, GUINT_TO_POINTER (p));
    }
  fail_unless (non_bg > 640 * 360 / 3, "mostly blank: %u", non_bg);
  fail_unless (g_hash_table_size (colours) > 100, "%u colours",
      g_hash_table_size (colours));

  gst_rv_viz_layout_page (1280, 720, 2, 16, 0, &page);
  gst_rv_viz_layout_card (1280, 720, &page, 0, &k1);
  gst_rv_viz_layout_card (1280, 720, &page, 1, &k2);
  fail_unless (region_diff (&fa, &fb, &k1.label) > 0.2,
      "label box of the changed decision: %.3f", region_diff (&fa, &fb,
          &k1.label));
  fail_unless (region_diff (&fa, &fb, &k2.label) < 0.01,
      "label box of the unchanged decision: %.3f", region_diff (&fa, &fb,
          &k2.label));
  /* node 1 says fall, node 2 (antenna 0) still: other colour and text */
  {
    GstRvVizRect l2 = k2.label;
    gint dx, dy, d = 0, n = 0;
    for (dy = 0; dy < (gint) l2.h; dy++)
      for (dx = 0; dx < (gint) l2.w; dx++, n++)
        d += pixel (&fb, (gint) k1.label.x + dx, (gint) k1.label.y + dy) !=
            pixel (&fb, (gint) l2.x + dx, (gint) l2.y + dy);
    fail_unless (d > n / 2, "node 2 shows node 1's decision (%d/%d)", d, n);
  }
  gst_video_frame_unmap (&fa);
  gst_video_frame_unmap (&fb);
  gst_buffer_unref (a);
  gst_buffer_unref (b);
  g_hash_table_destroy (colours);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* The Doppler column of a node whose mean amplitude swings at 12.5 Hz in
 * 100 Hz packets peaks at 12.5 Hz: bin 8 of 64 (index 7, 0 Hz left out). */
GST_START_TEST (test_doppler)
{
  GstRvVizNode *n = gst_rv_viz_node_new (1, 32);
  const GstRvVizColumn *c;
  guint i, p, best = 0;

  for (i = 0; i < 200; i++) {
    int8_t iq[2 * 64];
    rv_csi_frame f;
    gdouble a = 40.0 + 20.0 * sin (2.0 * G_PI * 12.5 * i / 100.0);

    for (p = 0; p < 64; p++) {
      iq[2 * p] = 0;
      iq[2 * p + 1] = (int8_t) a;
    }
    memset (&f, 0, sizeof f);
    f.n_antennas = 1;
    f.n_subcarriers = 64;
    f.iq = iq;
    gst_rv_viz_node_add_csi (n, &f);
    if (i % 10 == 9)
      gst_rv_viz_node_commit (n);
  }
  c = gst_rv_viz_node_column (n, 0);
  fail_unless (c != NULL && c->has_doppler);
  for (i = 1; i < GST_RV_VIZ_DOPPLER_BINS; i++)
    if (c->doppler[i] > c->doppler[best])
      best = i;
  fail_unless_equals_int (best, 7);
  /* far from the tone the power is orders of magnitude lower */
  fail_unless (c->doppler[7] - c->doppler[20] > 3.0f);
  /* the first frames, before a full window, have none */
  fail_if (gst_rv_viz_node_column (n, 19)->has_doppler);
  gst_rv_viz_node_free (n);
}

GST_END_TEST;

static Suite *
rvcsiviz_suite (void)
{
  Suite *s = suite_create ("rvcsiviz");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_caps_default);
  tcase_add_test (tc, test_caps_downstream);
  tcase_add_test (tc, test_caps_refused);
  tcase_add_test (tc, test_timing_replay);
  tcase_add_test (tc, test_timing_segment);
  tcase_add_test (tc, test_timing_live);
  tcase_add_test (tc, test_nodes);
  tcase_add_test (tc, test_pages);
  tcase_add_test (tc, test_node_offline);
  tcase_add_test (tc, test_snapshot_png);
  tcase_add_test (tc, test_motion);
  tcase_add_test (tc, test_doppler);
  return s;
}

GST_CHECK_MAIN (rvcsiviz);
