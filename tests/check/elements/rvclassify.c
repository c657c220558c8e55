/* rvclassify element tests: head, softmax, smoothing and hysteresis in
 * stream time, bus messages, classification meta, 0xC5110007 output, and
 * decisions gated by the stream's motion meta. */
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <glib/gstdio.h>

#include "gstrvcsimeta.h"
#include "gstrvnodeevent.h"
#include "rvtestutil.h"
#include "rvtestmodel.h"

#define D 8                     /* embedding dims of the probe model */
#define C 4

static gchar *probe_model, *presence_model;

/* Two presence classes (empty, still), two motion classes, one status. */
static const char *const presence_labels[] = {
  "walking", "still", "wave", "empty", "unknown"
};

#define P_WALKING 0
#define P_STILL 1
#define P_WAVE 2
#define P_EMPTY 3
#define P_UNKNOWN 4

static void
model_setup (void)
{
  probe_model = rvt_write_model (D, C, TRUE, 1);
  presence_model = rvt_write_model_labels (D, 5, TRUE, 1, RV_RVNE_INPUT_NONE,
      0, presence_labels);
}

static void
model_teardown (void)
{
  g_unlink (probe_model);
  g_free (probe_model);
  g_unlink (presence_model);
  g_free (presence_model);
}

static GstHarness *
model_harness (const gchar * model, const gchar * extra, GstBus ** bus)
{
  /* min-context=0 unless the test sets it: the other tests are about
   * smoothing and hysteresis from the first frame */
  gchar *desc = g_strdup_printf ("rvclassify model=%s min-context=0 %s",
      model, extra ? extra : "");
  GstHarness *h = rvt_harness (desc);

  g_free (desc);
  *bus = gst_bus_new ();
  gst_element_set_bus (h->element, *bus);
  gst_harness_set_src_caps_str (h, "application/x-rvcsi");
  return h;
}

static GstHarness *
cls_harness (const gchar * extra, GstBus ** bus)
{
  return model_harness (probe_model, extra, bus);
}

/* rvclassify with its default min-context, no smoothing or hold. */
static GstHarness *
rvt_harness_classify_default (GstBus ** bus)
{
  gchar *desc = g_strdup_printf ("rvclassify model=%s smoothing-time=0 "
      "hold-time=0", probe_model);
  GstHarness *h = rvt_harness (desc);

  g_free (desc);
  *bus = gst_bus_new ();
  gst_element_set_bus (h->element, *bus);
  gst_harness_set_src_caps_str (h, "application/x-rvcsi");
  return h;
}

/* A buffer whose embedding makes class `cls` lead by `margin` logits. */
static GstBuffer *
emb_buffer (guint8 node, guint cls, gfloat margin, GstClockTime pts)
{
  guint8 pkt[512];
  gsize n = rvt_csi_frame (node, 0, 0, pkt, sizeof pkt);
  GstBuffer *b = gst_buffer_new_memdup (pkt, n);
  const GstMetaInfo *info = gst_meta_get_info ("GstRvEmbeddingMeta");
  GstRvEmbeddingMeta *em;

  fail_unless (info != NULL);
  em = (GstRvEmbeddingMeta *) gst_buffer_add_meta (b, info, NULL);
  em->node_id = node;
  em->antenna = 0;
  em->dims = D;
  em->data = g_new0 (gfloat, D);
  em->data[cls] = margin;
  GST_BUFFER_PTS (b) = pts;
  return b;
}

/* The same with the stream's step (frames since its last restart) and
 * antenna, as rvtemporalhead sets them. */
static GstBuffer *
step_buffer (guint8 node, guint8 antenna, guint cls, guint64 step,
    GstClockTime pts)
{
  GstBuffer *b = emb_buffer (node, cls, 6.0f, pts);
  GstRvEmbeddingMeta *em = gst_rv_buffer_get_embedding_meta (b);

  em->antenna = antenna;
  em->step = step;
  return b;
}

static GstMessage *
pop_decision (GstBus * bus)
{
  GstMessage *m;
  while ((m = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT))) {
    if (gst_message_has_name (m, "rvclassify"))
      return m;
    gst_message_unref (m);
  }
  return NULL;
}

GST_START_TEST (test_meta_and_softmax)
{
  GstBus *bus;
  GstHarness *h = cls_harness ("smoothing-time=0 hold-time=0", &bus);
  GstBuffer *out;
  GstRvClassificationMeta *cm;
  gfloat sum = 0;

  gst_harness_push (h, emb_buffer (1, 2, 3.0f, 0));
  out = gst_harness_pull (h);
  cm = gst_rv_buffer_get_classification_meta (out);
  fail_unless (cm != NULL);
  fail_unless_equals_int (gst_rv_classification_meta_get_length (cm), C);
  for (gsize i = 0; i < C; i++)
    sum += gst_rv_classification_meta_get_level (cm, i);
  fail_unless (fabsf (sum - 1.0f) < 1e-5f);
  /* softmax of (0,0,3,0): e^3 / (3 + e^3) */
  fail_unless (fabsf (gst_rv_classification_meta_get_level (cm, 2) -
          (gfloat) (exp (3.0) / (3.0 + exp (3.0)))) < 1e-5f);
  fail_unless_equals_string (g_quark_to_string
      (gst_rv_classification_meta_get_quark (cm, 2)), "fall");
  fail_unless_equals_int (gst_rv_classification_meta_get_index_by_quark (cm,
          g_quark_from_string ("walking")), 1);
  fail_unless_equals_int (cm->decision, 2);
  fail_unless (cm->decision_changed);
  fail_unless_equals_int (cm->node_id, 1);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
  gst_object_unref (bus);
}

GST_END_TEST;

GST_START_TEST (test_hysteresis_and_messages)
{
  GstBus *bus;
  /* frames 1 s apart: a change needs three leading frames */
  GstHarness *h = cls_harness ("smoothing-time=0 hold-time=2000000000 "
      "min-confidence=0.6", &bus);
  GstMessage *m;
  const GstStructure *s;
  guint node = 0;
  gint idx = -1;
  gdouble conf = 0;
  guint64 ts = 0;

  /* class 1 strong for 2 frames (10 ms + 1 s): not yet */
  for (guint i = 0; i < 2; i++)
    gst_buffer_unref (gst_harness_push_and_pull (h, emb_buffer (4, 1, 4.0f,
                i * GST_SECOND)));
  fail_unless (pop_decision (bus) == NULL);
  gst_buffer_unref (gst_harness_push_and_pull (h, emb_buffer (4, 1, 4.0f,
              2 * GST_SECOND)));
  m = pop_decision (bus);
  fail_unless (m != NULL);
  s = gst_message_get_structure (m);
  fail_unless (gst_structure_get_uint (s, "node", &node));
  fail_unless (gst_structure_get_int (s, "label-index", &idx));
  fail_unless (gst_structure_get_double (s, "confidence", &conf));
  fail_unless (gst_structure_get_uint64 (s, "timestamp", &ts));
  fail_unless_equals_int (node, 4);
  fail_unless_equals_int (idx, 1);
  fail_unless_equals_string (gst_structure_get_string (s, "label"),
      "walking");
  fail_unless_equals_string (gst_structure_get_string (s, "previous-label"),
      "");
  fail_unless (conf > 0.9);
  fail_unless_equals_uint64 (ts, 2 * GST_SECOND);
  gst_message_unref (m);

  /* weak class 3 (below min-confidence) for many frames: no change */
  for (guint i = 0; i < 10; i++)
    gst_buffer_unref (gst_harness_push_and_pull (h, emb_buffer (4, 3, 0.5f,
                (3 + i) * GST_SECOND)));
  fail_unless (pop_decision (bus) == NULL);
  /* one strong frame of class 0 between: flicker suppressed */
  gst_buffer_unref (gst_harness_push_and_pull (h, emb_buffer (4, 0, 5.0f,
              13 * GST_SECOND)));
  gst_buffer_unref (gst_harness_push_and_pull (h, emb_buffer (4, 1, 5.0f,
              14 * GST_SECOND)));
  fail_unless (pop_decision (bus) == NULL);
  /* class 0 for 2 s: change 1 -> 0 */
  for (guint i = 0; i < 2; i++)
    gst_buffer_unref (gst_harness_push_and_pull (h, emb_buffer (4, 0, 5.0f,
                (15 + i) * GST_SECOND)));
  m = pop_decision (bus);
  fail_unless (m != NULL);
  s = gst_message_get_structure (m);
  fail_unless_equals_string (gst_structure_get_string (s, "label"), "empty");
  fail_unless_equals_string (gst_structure_get_string (s, "previous-label"),
      "walking");
  gst_message_unref (m);
  gst_harness_teardown (h);
  gst_object_unref (bus);
}

GST_END_TEST;

/* Stream time from the first frame of class 2 until the decision switches
 * to it, for frames `period` apart. */
static GstClockTime
switch_delay (const gchar * props, GstClockTime period)
{
  GstBus *bus;
  GstHarness *h = cls_harness (props, &bus);
  GstClockTime t = 0, start;
  GstMessage *m;

  for (; t < GST_SECOND; t += period)
    gst_buffer_unref (gst_harness_push_and_pull (h, emb_buffer (1, 0, 6.0f,
                t)));
  m = pop_decision (bus);
  fail_unless (m != NULL);
  gst_message_unref (m);
  for (start = t; !(m = pop_decision (bus)) && t < start + 10 * GST_SECOND;
      t += period)
    gst_buffer_unref (gst_harness_push_and_pull (h, emb_buffer (1, 2, 6.0f,
                t)));
  fail_unless (m != NULL);
  gst_message_unref (m);
  gst_harness_teardown (h);
  gst_object_unref (bus);
  return t - period - start;
}

GST_START_TEST (test_smoothing_delays_change)
{
  /* 10 ms frames, a frame weighs 1 - exp(-10/95) ~ 0.1: p(2) after k frames
   * ~ 1 - 0.9^k >= 0.5 -> k = 7, i.e. the 7th frame (60 ms after the 1st) */
  GstClockTime d = switch_delay ("smoothing-time=95000000 hold-time=0 "
      "min-confidence=0.5", 10 * GST_MSECOND);

  fail_unless (d >= 50 * GST_MSECOND && d <= 70 * GST_MSECOND,
      "switched after %" GST_TIME_FORMAT, GST_TIME_ARGS (d));
}

GST_END_TEST;

/* The same settings give about the same delay at 100 Hz and at 5 Hz: the
 * point of measuring smoothing and hysteresis in stream time. */
GST_START_TEST (test_delays_are_stream_time)
{
  const gchar *props = "smoothing-time=300000000 hold-time=400000000 "
      "min-confidence=0.5";
  GstClockTime fast = switch_delay (props, 10 * GST_MSECOND);
  GstClockTime slow = switch_delay (props, 200 * GST_MSECOND);

  /* hold alone: the 400 ms need 41 frames at 10 ms (counted from the frame
   * that first leads), 3 at 200 ms; smoothing delays both by ~200 ms */
  GST_INFO ("switch after %" GST_TIME_FORMAT " at 100 Hz, %" GST_TIME_FORMAT
      " at 5 Hz", GST_TIME_ARGS (fast), GST_TIME_ARGS (slow));
  fail_unless (fast >= 400 * GST_MSECOND && fast <= 800 * GST_MSECOND);
  fail_unless (slow >= 400 * GST_MSECOND && slow <= 1000 * GST_MSECOND);
  fail_unless (ABS ((gint64) fast - (gint64) slow) <= 400 * GST_MSECOND,
      "%" GST_TIME_FORMAT " vs %" GST_TIME_FORMAT, GST_TIME_ARGS (fast),
      GST_TIME_ARGS (slow));
}

GST_END_TEST;

GST_START_TEST (test_emit_packets)
{
  GstBus *bus;
  GstHarness *h = cls_harness ("smoothing-time=0 hold-time=0 emit-packets=only "
      "packet-interval=1000000000", &bus);
  GstBuffer *out;
  GstMapInfo map;
  rv_pkt pkt;

  /* first frame: decision -> a packet instead of the frame */
  gst_harness_push (h, emb_buffer (6, 3, 4.0f, 0));
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 1);
  out = gst_harness_pull (h);
  gst_buffer_map (out, &map, GST_MAP_READ);
  fail_unless_equals_int (map.size, RV_CLASSIFICATION_SIZE);
  fail_unless_equals_int (rv_pkt_decode (map.data, map.size, &pkt), RV_OK);
  fail_unless_equals_int (pkt.kind, RV_PKT_CLASSIFICATION);
  fail_unless_equals_int (pkt.u.cls.node_id, 6);
  fail_unless_equals_int (pkt.u.cls.argmax, 3);
  fail_unless_equals_int (pkt.u.cls.n_classes, C);
  fail_unless (fabsf (pkt.u.cls.top1_minus_top2 - 4.0f) < 1e-5f);
  gst_buffer_unmap (out, &map);
  fail_unless_equals_int (gst_rv_buffer_get_csi_packet_meta (out)->kind,
      GST_RV_CSI_KIND_CLASSIFICATION);
  gst_buffer_unref (out);
  /* same decision 0.5 s later: nothing; 1 s later: periodic packet */
  gst_harness_push (h, emb_buffer (6, 3, 4.0f, 500 * GST_MSECOND));
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
  gst_harness_push (h, emb_buffer (6, 3, 4.0f, 1000 * GST_MSECOND));
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 1);
  gst_buffer_unref (gst_harness_pull (h));
  gst_harness_teardown (h);
  gst_object_unref (bus);
}

GST_END_TEST;

GST_START_TEST (test_emit_append)
{
  GstBus *bus;
  GstHarness *h = cls_harness ("smoothing-time=0 hold-time=0 "
      "emit-packets=append", &bus);

  gst_harness_push (h, emb_buffer (6, 3, 4.0f, 0));
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 2);
  gst_harness_teardown (h);
  gst_object_unref (bus);
}

GST_END_TEST;

GST_START_TEST (test_bad_head_and_values)
{
  gchar *desc = g_strdup_printf ("fakesrc num-buffers=1 ! rvclassify "
      "model=%s head=nosuch ! fakesink", probe_model);
  GstElement *p = gst_parse_launch (desc, NULL);
  GstBus *bus = gst_element_get_bus (p);
  GstMessage *msg;
  GError *err = NULL;
  gchar *dbg = NULL;

  gst_element_set_state (p, GST_STATE_PAUSED);
  msg = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &err, &dbg);
  fail_unless (strstr (dbg, "activity") != NULL, "%s", dbg);
  g_clear_error (&err);
  g_free (dbg);
  gst_message_unref (msg);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (p);
  g_free (desc);
}

GST_END_TEST;

GST_START_TEST (test_streams_bounded)
{
  GstBus *bus;
  GstHarness *h = cls_harness ("smoothing-time=0 hold-time=0 max-streams=4",
      &bus);
  GstElement *e = gst_harness_find_element (h, "rvclassify");
  GstStructure *s = NULL;
  guint streams = 0;

  for (guint i = 0; i < 1000; i++)
    gst_buffer_unref (gst_harness_push_and_pull (h, emb_buffer ((guint8) i,
                i % C, 3.0f, i * GST_MSECOND)));
  g_object_get (e, "stats", &s, NULL);
  fail_unless (gst_structure_get_uint (s, "streams", &streams));
  fail_unless (streams <= 4);
  gst_structure_free (s);
  gst_object_unref (e);
  gst_harness_teardown (h);
  gst_object_unref (bus);
}

GST_END_TEST;

static void
expect_label (GstBus * bus, const gchar * label, gint index,
    const gchar * previous, GstClockTime ts)
{
  GstMessage *m = pop_decision (bus);
  const GstStructure *s;
  gint idx = -2;
  gdouble conf = -1;
  guint64 t = 0;

  fail_unless (m != NULL, "no decision message, wanted %s", label);
  s = gst_message_get_structure (m);
  fail_unless_equals_string (gst_structure_get_string (s, "label"), label);
  fail_unless (gst_structure_get_int (s, "label-index", &idx));
  fail_unless_equals_int (idx, index);
  fail_unless (gst_structure_get_double (s, "confidence", &conf));
  if (index < 0)
    fail_unless (conf == 0.0);
  if (previous)
    fail_unless_equals_string (gst_structure_get_string (s,
            "previous-label"), previous);
  fail_unless (gst_structure_get_uint64 (s, "timestamp", &t));
  fail_unless_equals_uint64 (t, ts);
  gst_message_unref (m);
}

/* No decision before min-context of stream time, whatever the rate: the
 * first one comes on the frame at 2 s (default), at 1, 20 and 100 Hz. */
GST_START_TEST (test_min_context_same_at_every_rate)
{
  static const guint rates[] = { 1, 20, 100 };

  for (guint r = 0; r < G_N_ELEMENTS (rates); r++) {
    GstBus *bus;
    GstHarness *h = rvt_harness_classify_default (&bus);
    GstClockTime period = GST_SECOND / rates[r], t;

    for (t = 0; t < 2 * GST_SECOND; t += period) {
      gst_buffer_unref (gst_harness_push_and_pull (h, emb_buffer (1, 2, 6.0f,
                  t)));
      fail_unless (pop_decision (bus) == NULL, "decision at %" GST_TIME_FORMAT
          " at %u Hz", GST_TIME_ARGS (t), rates[r]);
    }
    gst_buffer_unref (gst_harness_push_and_pull (h, emb_buffer (1, 2, 6.0f,
                t)));
    expect_label (bus, "fall", 2, "", 2 * GST_SECOND);
    gst_harness_teardown (h);
    gst_object_unref (bus);
  }
}

GST_END_TEST;

/* A stream restarted upstream (its step goes back: reboot, channel change)
 * reads "unknown" until min-context has passed again. */
GST_START_TEST (test_restart_posts_unknown)
{
  GstBus *bus;
  GstHarness *h = cls_harness ("smoothing-time=0 hold-time=0 "
      "min-context=1000000000", &bus);
  GstClockTime period = 50 * GST_MSECOND, t = 0;
  guint64 step = 1;
  GstStructure *st;
  guint64 v;

  for (; t <= GST_SECOND; t += period)
    gst_buffer_unref (gst_harness_push_and_pull (h, step_buffer (3, 0, 1,
                step++, t)));
  expect_label (bus, "walking", 1, "", GST_SECOND);
  /* the node rebooted at t: step 1 again */
  step = 1;
  gst_buffer_unref (gst_harness_push_and_pull (h, step_buffer (3, 0, 2,
              step++, t)));
  expect_label (bus, "unknown", -1, "walking", t);
  for (GstClockTime r = t; t < r + GST_SECOND; ) {
    t += period;
    gst_buffer_unref (gst_harness_push_and_pull (h, step_buffer (3, 0, 2,
                step++, t)));
    if (t < r + GST_SECOND)
      fail_unless (pop_decision (bus) == NULL);
  }
  expect_label (bus, "fall", 2, "", t);
  /* a restart before any decision says nothing */
  for (guint i = 0; i < 3; i++)
    gst_buffer_unref (gst_harness_push_and_pull (h, step_buffer (3, 0, 2,
                1 + i, t += period)));
  fail_unless (pop_decision (bus) != NULL);     /* unknown after "fall" */
  gst_buffer_unref (gst_harness_push_and_pull (h, step_buffer (3, 0, 2, 1,
              t += period)));
  fail_unless (pop_decision (bus) == NULL);
  {
    GstElement *e = gst_harness_find_element (h, "rvclassify");
    g_object_get (e, "stats", &st, NULL);
    gst_object_unref (e);
  }
  fail_unless (gst_structure_get_uint64 (st, "stream-restarts", &v));
  fail_unless_equals_uint64 (v, 3);
  gst_structure_free (st);
  gst_harness_teardown (h);
  gst_object_unref (bus);
}

GST_END_TEST;

/* rvcsi-node offline: every stream of that node reads "offline" and loses
 * its state; other nodes keep theirs; the event goes on downstream; when
 * the node is back its decisions resume after min-context. */
GST_START_TEST (test_offline_event)
{
  GstBus *bus;
  GstHarness *h = cls_harness ("smoothing-time=0 hold-time=0 "
      "min-context=500000000", &bus);
  GstElement *e = gst_harness_find_element (h, "rvclassify");
  GstClockTime t = 0, period = 100 * GST_MSECOND;
  GstEvent *ev;
  GstStructure *st;
  guint streams = 0, node = 0;
  gboolean online = TRUE, got = FALSE;

  for (; t <= 500 * GST_MSECOND; t += period) {
    gst_buffer_unref (gst_harness_push_and_pull (h, step_buffer (7, 0, 1,
                1 + t / period, t)));
    gst_buffer_unref (gst_harness_push_and_pull (h, step_buffer (7, 1, 1,
                1 + t / period, t)));
    gst_buffer_unref (gst_harness_push_and_pull (h, step_buffer (8, 0, 3,
                1 + t / period, t)));
  }
  for (guint i = 0; i < 3; i++)
    fail_unless (pop_decision (bus) != NULL);
  fail_unless (gst_harness_push_event (h, gst_rv_node_event_new (7, FALSE,
              6 * GST_SECOND)));
  for (guint a = 0; a < 2; a++)
    expect_label (bus, "offline", -1, "walking", 6 * GST_SECOND);
  fail_unless (pop_decision (bus) == NULL);
  while ((ev = gst_harness_try_pull_event (h))) {
    if (gst_rv_node_event_parse (ev, &node, &online, NULL))
      got = TRUE;
    gst_event_unref (ev);
  }
  fail_unless (got && node == 7 && !online);
  g_object_get (e, "stats", &st, NULL);
  fail_unless (gst_structure_get_uint (st, "streams", &streams));
  fail_unless_equals_int (streams, 1);
  gst_structure_free (st);

  /* back: a cold stream, no decision for min-context */
  for (GstClockTime b = t = 7 * GST_SECOND; t < b + 500 * GST_MSECOND;
      t += period) {
    gst_buffer_unref (gst_harness_push_and_pull (h, step_buffer (7, 0, 2,
                1 + (t - b) / period, t)));
    fail_unless (pop_decision (bus) == NULL);
  }
  gst_buffer_unref (gst_harness_push_and_pull (h, step_buffer (7, 0, 2, 6,
              t)));
  expect_label (bus, "fall", 2, "", t);
  gst_object_unref (e);
  gst_harness_teardown (h);
  gst_object_unref (bus);
}

GST_END_TEST;

/* The motion state rvtemporalhead would attach for stream (node, 0). */
typedef enum
{
  UNCALIBRATED,
  QUIET,
  MOVING,
} MotionState;

static GstBuffer *
gated_buffer (guint8 node, guint cls, gfloat margin, GstClockTime pts,
    MotionState state)
{
  GstBuffer *b = emb_buffer (node, cls, margin, pts);
  const GstMetaInfo *info = gst_meta_get_info ("GstRvMotionMeta");
  GstRvMotionMeta *mm;

  fail_unless (info != NULL);
  mm = (GstRvMotionMeta *) gst_buffer_add_meta (b, info, NULL);
  mm->node_id = node;
  mm->antenna = 0;
  mm->calibrated = state != UNCALIBRATED;
  mm->motion = state == MOVING;
  mm->score = state == MOVING ? 2.0f : 0.5f;
  mm->threshold = 1.0f;
  return b;
}

/* Pushes one gated frame; returns its decision (-1: none) and checks the
 * meta's ungated model levels against the embedding. */
static gint
push_gated (GstHarness * h, guint8 node, guint cls, gfloat margin,
    GstClockTime pts, MotionState state, gboolean * gated)
{
  GstBuffer *out = gst_harness_push_and_pull (h, gated_buffer (node, cls,
          margin, pts, state));
  GstRvClassificationMeta *cm = gst_rv_buffer_get_classification_meta (out);
  gint d;

  fail_unless (cm != NULL);
  fail_unless (cm->model_levels != NULL);
  /* the model's own view: cls leads whatever the gate says */
  for (gsize i = 0; i < cm->length; i++)
    if (i != cls)
      fail_unless (cm->model_levels[cls] > cm->model_levels[i]);
  if (gated)
    *gated = cm->motion_gated;
  d = cm->decision;
  gst_buffer_unref (out);
  return d;
}

GST_START_TEST (test_quiet_stream_never_gets_motion_class)
{
  GstBus *bus;
  GstHarness *h = model_harness (presence_model, NULL, &bus);
  gboolean gated = FALSE;
  gint d = -1;

  /* the model insists on "wave" for 5 s of a quiet stream */
  for (guint i = 0; i < 500; i++) {
    d = push_gated (h, 1, P_WAVE, 6.0f, i * 10 * GST_MSECOND, QUIET, &gated);
    fail_unless (d < 0 || d == P_STILL || d == P_EMPTY, "decision %d", d);
    fail_unless (gated);
  }
  fail_unless (d >= 0);
  /* uncalibrated: the same, presence only */
  for (guint i = 0; i < 100; i++) {
    d = push_gated (h, 2, P_WALKING, 6.0f, i * 10 * GST_MSECOND,
        UNCALIBRATED, &gated);
    fail_unless (d < 0 || d == P_STILL || d == P_EMPTY, "decision %d", d);
    fail_unless (gated);
  }
  fail_unless (d >= 0);
  gst_harness_teardown (h);
  gst_object_unref (bus);
}

GST_END_TEST;

GST_START_TEST (test_motion_forces_motion_class)
{
  GstBus *bus;
  /* a long hold: gate changes must not wait for it */
  GstHarness *h = model_harness (presence_model, "hold-time=5000000000",
      &bus);
  GstRvClassificationMeta *cm;
  GstBuffer *out;
  GstMessage *m;
  const GstStructure *s;
  GstClockTime t = 0;
  gint d = -1;
  gboolean gated = TRUE;

  for (; t < 6 * GST_SECOND; t += 10 * GST_MSECOND)
    d = push_gated (h, 3, P_EMPTY, 6.0f, t, QUIET, NULL);
  fail_unless_equals_int (d, P_EMPTY);
  m = pop_decision (bus);
  fail_unless (m != NULL);
  gst_message_unref (m);

  /* The detector says motion while the model still says empty: the
   * decision becomes the best motion class on this very frame. */
  out = gst_harness_push_and_pull (h, gated_buffer (3, P_EMPTY, 6.0f, t,
          MOVING));
  cm = gst_rv_buffer_get_classification_meta (out);
  fail_unless (cm->decision == P_WALKING || cm->decision == P_WAVE);
  fail_unless (cm->decision_changed);
  fail_if (cm->motion_gated);
  /* gated levels: only motion classes, renormalised; model levels intact */
  fail_unless_equals_float (cm->confidence_levels[P_EMPTY], 0.0f);
  fail_unless_equals_float (cm->confidence_levels[P_STILL], 0.0f);
  fail_unless (fabsf (cm->confidence_levels[P_WALKING] +
          cm->confidence_levels[P_WAVE] - 1.0f) < 1e-5f);
  fail_unless (cm->model_levels[P_EMPTY] > 0.9f);
  gst_buffer_unref (out);
  m = pop_decision (bus);
  fail_unless (m != NULL);
  s = gst_message_get_structure (m);
  fail_unless_equals_string (gst_structure_get_string (s, "previous-label"),
      "empty");
  gst_message_unref (m);

  /* Within motion the model picks among motion classes (with the hold). */
  for (t += 10 * GST_MSECOND; t < 12 * GST_SECOND; t += 10 * GST_MSECOND)
    d = push_gated (h, 3, P_WAVE, 6.0f, t, MOVING, &gated);
  fail_unless_equals_int (d, P_WAVE);
  fail_if (gated);
  /* quiet again: back to presence at once */
  d = push_gated (h, 3, P_WAVE, 6.0f, t, QUIET, &gated);
  fail_unless (d == P_STILL || d == P_EMPTY, "decision %d", d);
  fail_unless (gated);
  gst_harness_teardown (h);
  gst_object_unref (bus);
}

GST_END_TEST;

/* A quiet stream whose model flips between empty and still keeps one
 * decision; a lasting change of presence class goes through after
 * presence-hold-time of stream time, at any frame rate. */
static GstClockTime
presence_switch (GstClockTime period, guint * changes_while_flipping)
{
  GstBus *bus;
  GstHarness *h = model_harness (presence_model, "presence-hold-time="
      "3000000000 presence-smoothing-time=1000000000", &bus);
  GstClockTime t = 0, start;
  GstMessage *m;
  guint n = 0;

  /* 10 s: still twice as often as empty, alternating by frame */
  for (guint i = 0; t < 10 * GST_SECOND; t += period, i++)
    push_gated (h, 4, i % 3 == 2 ? P_EMPTY : P_STILL, 4.0f, t, QUIET, NULL);
  while ((m = pop_decision (bus))) {
    n++;
    gst_message_unref (m);
  }
  *changes_while_flipping = n;
  /* then empty only */
  for (start = t; !(m = pop_decision (bus)) && t < start + 20 * GST_SECOND;
      t += period)
    push_gated (h, 4, P_EMPTY, 4.0f, t, QUIET, NULL);
  fail_unless (m != NULL);
  fail_unless_equals_string (gst_structure_get_string
      (gst_message_get_structure (m), "label"), "empty");
  gst_message_unref (m);
  gst_harness_teardown (h);
  gst_object_unref (bus);
  return t - period - start;
}

GST_START_TEST (test_presence_choice_is_stable)
{
  guint n100 = 0, n10 = 0;
  GstClockTime fast = presence_switch (10 * GST_MSECOND, &n100);
  GstClockTime slow = presence_switch (100 * GST_MSECOND, &n10);

  /* one decision (still) while the model flips */
  fail_unless_equals_int (n100, 1);
  fail_unless_equals_int (n10, 1);
  /* empty must lead 3 s after the average turns (under a second) */
  GST_INFO ("presence switch after %" GST_TIME_FORMAT " at 100 Hz, %"
      GST_TIME_FORMAT " at 10 Hz", GST_TIME_ARGS (fast), GST_TIME_ARGS (slow));
  fail_unless (fast >= 3 * GST_SECOND && fast <= 4500 * GST_MSECOND);
  fail_unless (slow >= 3 * GST_SECOND && slow <= 4500 * GST_MSECOND);
  fail_unless (ABS ((gint64) fast - (gint64) slow) <= 300 * GST_MSECOND);
}

GST_END_TEST;

GST_START_TEST (test_other_streams_not_gated)
{
  GstBus *bus;
  GstHarness *h = model_harness (presence_model, "hold-time=0", &bus);
  gboolean gated = TRUE;
  GstBuffer *out;
  GstRvClassificationMeta *cm;

  /* a motion meta of another stream does not gate this one */
  out = gated_buffer (5, P_WAVE, 6.0f, 0, QUIET);
  gst_rv_buffer_get_motion_meta (out)->node_id = 6;
  out = gst_harness_push_and_pull (h, out);
  cm = gst_rv_buffer_get_classification_meta (out);
  fail_unless_equals_int (cm->decision, P_WAVE);
  fail_if (cm->motion_gated);
  gst_buffer_unref (out);
  /* the gate switched off: the model decides alone */
  g_object_set (h->element, "motion-gate", FALSE, NULL);
  out = gst_harness_push_and_pull (h, gated_buffer (8, P_WAVE, 6.0f, 0,
          QUIET));
  cm = gst_rv_buffer_get_classification_meta (out);
  fail_unless_equals_int (cm->decision, P_WAVE);
  fail_if (cm->motion_gated);
  gst_buffer_unref (out);
  g_object_set (h->element, "motion-gate", TRUE, NULL);
  /* no motion meta (feature-state streams): the model decides alone */
  out = gst_harness_push_and_pull (h, emb_buffer (7, P_WALKING, 6.0f, 0));
  cm = gst_rv_buffer_get_classification_meta (out);
  fail_unless_equals_int (cm->decision, P_WALKING);
  fail_if (cm->motion_gated);
  gst_buffer_unref (out);
  (void) gated;
  gst_harness_teardown (h);
  gst_object_unref (bus);
}

GST_END_TEST;

GST_START_TEST (test_gating_properties)
{
  GstElement *e = gst_element_factory_make ("rvclassify", NULL);
  guint64 hold = 0, smooth = 0;
  gboolean gate = FALSE;

  g_object_get (e, "presence-hold-time", &hold, "presence-smoothing-time",
      &smooth, "motion-gate", &gate, NULL);
  fail_unless (gate);
  fail_unless_equals_uint64 (hold, GST_SECOND);
  fail_unless_equals_uint64 (smooth, GST_SECOND);
  g_object_set (e, "presence-hold-time", (guint64) 3 * GST_SECOND, NULL);
  g_object_get (e, "presence-hold-time", &hold, NULL);
  fail_unless_equals_uint64 (hold, 3 * GST_SECOND);
  gst_object_unref (e);
}

GST_END_TEST;

static Suite *
rvclassify_suite (void)
{
  Suite *s = suite_create ("rvclassify");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_unchecked_fixture (tc, model_setup, model_teardown);
  tcase_add_test (tc, test_meta_and_softmax);
  tcase_add_test (tc, test_hysteresis_and_messages);
  tcase_add_test (tc, test_smoothing_delays_change);
  tcase_add_test (tc, test_delays_are_stream_time);
  tcase_add_test (tc, test_emit_packets);
  tcase_add_test (tc, test_emit_append);
  tcase_add_test (tc, test_bad_head_and_values);
  tcase_add_test (tc, test_streams_bounded);
  tcase_add_test (tc, test_min_context_same_at_every_rate);
  tcase_add_test (tc, test_restart_posts_unknown);
  tcase_add_test (tc, test_offline_event);
  tcase_add_test (tc, test_quiet_stream_never_gets_motion_class);
  tcase_add_test (tc, test_motion_forces_motion_class);
  tcase_add_test (tc, test_presence_choice_is_stable);
  tcase_add_test (tc, test_other_streams_not_gated);
  tcase_add_test (tc, test_gating_properties);
  return s;
}

GST_CHECK_MAIN (rvclassify);
