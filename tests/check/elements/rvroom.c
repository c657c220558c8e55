/* rvroom element tests: the rooms property (valid and malformed), room
 * states per room on the bus and as GstRvRoomMeta, the room's label (blips
 * ignored, changes within 0.5 s; evidence-time), a confirmed fall as
 * one rvfall message (also through the descent's own motion, and
 * cancelled by getting up at once), a candidate dropped by getting up, and
 * a node going offline (rvcsi-node event), and states kept when a buffer
 * fails. Time is buffer stream time; buffers carry hand-made
 * classification and motion metas as rvclassify and rvtemporalhead attach
 * them. */
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>

#include "gstrvcsimeta.h"
#include "gstrvnodeevent.h"
#include "rvtestutil.h"

static const char *const labels[] = {
  "empty", "still", "walking", "fall", "lying", "unknown"
};

enum
{ EMPTY, STILL, WALKING, FALL, LYING, NC };
#define NL G_N_ELEMENTS (labels)
#define TICK (10 * GST_MSECOND)

/* Adds the metas of one frame of stream (node, 0) leaning on class k. */
static void
add_frame (GstBuffer * b, guint8 node, guint k, gfloat p, gboolean motion)
{
  GstRvClassificationMeta *cm = (GstRvClassificationMeta *)
      gst_buffer_add_meta (b, gst_meta_get_info ("GstRvClassificationMeta"),
      NULL);
  GstRvMotionMeta *mm = (GstRvMotionMeta *)
      gst_buffer_add_meta (b, gst_meta_get_info ("GstRvMotionMeta"), NULL);

  cm->length = NL;
  cm->class_quarks = g_new (GQuark, NL);
  cm->confidence_levels = g_new (gfloat, NL);
  cm->model_levels = g_new (gfloat, NL);
  for (guint i = 0; i < NL; i++) {
    cm->class_quarks[i] = g_quark_from_static_string (labels[i]);
    cm->model_levels[i] = i == k ? p : (1.0f - p) / (NL - 1);
    cm->confidence_levels[i] = cm->model_levels[i];
  }
  cm->node_id = node;
  cm->decision = (gint) k;
  mm->node_id = node;
  mm->motion = motion;
  mm->calibrated = TRUE;
  mm->threshold = 1.0f;
  mm->score = motion ? 4.0f : 0.25f;
}

static GstBuffer *
frame (guint8 node, guint k, gboolean motion, GstClockTime pts)
{
  GstBuffer *b = gst_buffer_new_allocate (NULL, 8, NULL);
  add_frame (b, node, k, 0.8f, motion);
  GST_BUFFER_PTS (b) = pts;
  return b;
}

static GstHarness *
room_harness (const gchar * props, GstBus ** bus)
{
  gchar *desc = g_strdup_printf ("rvroom %s", props ? props : "");
  GstHarness *h = rvt_harness (desc);
  g_free (desc);
  *bus = gst_bus_new ();
  gst_element_set_bus (h->element, *bus);
  gst_harness_set_src_caps_str (h, "application/x-rvcsi");
  return h;
}

/* Pushes `dur` of frames of nodes[0..n) at 100 Hz from t0, drains the
 * output; returns the time after the last frame. */
static GstClockTime
push_span (GstHarness * h, const guint8 * nodes, guint n, GstClockTime t0,
    GstClockTime dur, guint k, gboolean motion)
{
  GstClockTime t;
  for (t = t0; t < t0 + dur; t += TICK)
    for (guint i = 0; i < n; i++) {
      fail_unless_equals_int (gst_harness_push (h, frame (nodes[i], k, motion,
                  t)), GST_FLOW_OK);
      gst_buffer_unref (gst_harness_pull (h));
    }
  return t;
}

/* The last element message named `name` about `room` (NULL: any room);
 * counts them into *count. */
static GstStructure *
last_message (GstBus * bus, const gchar * name, const gchar * room,
    guint * count)
{
  GstStructure *last = NULL;
  GstMessage *m;
  *count = 0;
  while ((m = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT))) {
    const GstStructure *s = gst_message_get_structure (m);
    if (gst_structure_has_name (s, name) && (!room ||
            g_strcmp0 (gst_structure_get_string (s, "room"), room) == 0)) {
      if (last)
        gst_structure_free (last);
      last = gst_structure_copy (s);
      (*count)++;
    }
    gst_message_unref (m);
  }
  return last;
}

GST_START_TEST (test_rooms_property)
{
  const gchar *bad[] = {
    "kitchen", "kitchen=", "kitchen=1,,2", "kit chen=1", "kitchen=256",
    "kitchen=1;hall=1", "kitchen=1;kitchen=2", ";kitchen=1", "kitchen=-1",
    "a=1;;b=2",
  };
  GstElement *e = gst_element_factory_make ("rvroom", NULL);
  GstBus *bus = gst_bus_new ();
  gchar *v;

  gst_element_set_bus (e, bus);
  g_object_set (e, "rooms", " kitchen = 1, 2 ,3; hall=4;", NULL);
  g_object_get (e, "rooms", &v, NULL);
  fail_unless_equals_string (v, " kitchen = 1, 2 ,3; hall=4;");
  g_free (v);
  fail_unless (gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING) == NULL);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
    GstMessage *m;
    GError *err = NULL;
    g_object_set (e, "rooms", bad[i], NULL);
    m = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
    fail_unless (m != NULL, "no warning for \"%s\"", bad[i]);
    gst_message_parse_warning (m, &err, NULL);
    fail_unless (strstr (err->message, bad[i]) != NULL, "%s", err->message);
    g_error_free (err);
    gst_message_unref (m);
  }
  /* the last value is invalid: the element refuses to start */
  fail_unless_equals_int (gst_element_set_state (e, GST_STATE_PAUSED),
      GST_STATE_CHANGE_FAILURE);
  {
    GstMessage *m = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    GError *err = NULL;
    gchar *dbg = NULL;
    fail_unless (m != NULL);
    gst_message_parse_error (m, &err, &dbg);
    fail_unless (strstr (err->message, "rooms") != NULL, "%s", err->message);
    fail_unless (strstr (dbg, "empty room") != NULL, "%s", dbg);
    g_error_free (err);
    g_free (dbg);
    gst_message_unref (m);
  }
  gst_element_set_state (e, GST_STATE_NULL);
  gst_object_unref (e);
  gst_object_unref (bus);
}

GST_END_TEST;

GST_START_TEST (test_two_rooms)
{
  GstBus *bus;
  GstHarness *h = room_harness ("rooms=kitchen=1,2;hall=3", &bus);
  const guint8 kitchen[] = { 1, 2 }, hall[] = { 3 };
  GstStructure *s;
  GstBuffer *b;
  GstRvRoomMeta *rm;
  guint n;
  gboolean occ;
  guint links;
  guint64 st;

  for (GstClockTime t = 0; t < 2 * GST_SECOND; t += TICK) {
    push_span (h, kitchen, 2, t, TICK, WALKING, TRUE);
    push_span (h, hall, 1, t, TICK, EMPTY, FALSE);
  }
  s = last_message (bus, "rvroom", "kitchen", &n);
  fail_unless (s != NULL);
  fail_unless_equals_string (gst_structure_get_string (s, "label"), "walking");
  fail_unless (gst_structure_get_boolean (s, "occupied", &occ) && occ);
  fail_unless (gst_structure_get_uint (s, "links", &links));
  fail_unless_equals_int (links, 2);
  gst_structure_free (s);
  /* hall: one link, an empty room (messages of both rooms were popped
   * above, so push one more hall frame) */
  b = frame (3, EMPTY, FALSE, 2 * GST_SECOND);
  fail_unless_equals_int (gst_harness_push (h, b), GST_FLOW_OK);
  b = gst_harness_pull (h);
  rm = gst_rv_buffer_get_room_meta (b);
  fail_unless (rm != NULL);
  fail_unless_equals_string (g_quark_to_string (rm->room), "hall");
  fail_unless_equals_string (g_quark_to_string (rm->label), "empty");
  fail_unless (!rm->occupied);
  fail_unless_equals_int (rm->links, 1);
  fail_unless_equals_uint64 (rm->stream_time, 2 * GST_SECOND);
  gst_buffer_unref (b);
  /* a node of no room passes without a room meta */
  fail_unless_equals_int (gst_harness_push (h, frame (9, EMPTY, FALSE,
              2 * GST_SECOND)), GST_FLOW_OK);
  b = gst_harness_pull (h);
  fail_unless (gst_rv_buffer_get_room_meta (b) == NULL);
  gst_buffer_unref (b);
  s = last_message (bus, "rvroom", "hall", &n);
  if (s) {
    fail_unless (gst_structure_get_uint64 (s, "stream-time", &st));
    gst_structure_free (s);
  }
  gst_harness_teardown (h);
  gst_object_unref (bus);
}

GST_END_TEST;

GST_START_TEST (test_fall_event)
{
  GstBus *bus;
  GstHarness *h = room_harness (NULL, &bus);
  const guint8 one[] = { 4 };
  GstStructure *s;
  GstClockTime t;
  guint n;
  gint node;
  guint64 onset, delay;
  gdouble conf;

  t = push_span (h, one, 1, 0, 2 * GST_SECOND, STILL, FALSE);
  t = push_span (h, one, 1, t, 700 * GST_MSECOND, FALL, TRUE);
  t = push_span (h, one, 1, t, 8 * GST_SECOND, LYING, FALSE);
  s = last_message (bus, "rvfall", "room", &n);
  fail_unless_equals_int (n, 1);
  fail_unless (gst_structure_get_int (s, "node", &node));
  fail_unless_equals_int (node, 4);
  fail_unless (gst_structure_get_uint64 (s, "stream-time", &onset));
  fail_unless (onset >= 2 * GST_SECOND && onset <= 2300 * GST_MSECOND,
      "onset %" GST_TIME_FORMAT, GST_TIME_ARGS (onset));
  fail_unless (gst_structure_get_uint64 (s, "delay", &delay));
  fail_unless (delay >= 3 * GST_SECOND && delay <= 5 * GST_SECOND);
  fail_unless (gst_structure_get_double (s, "confidence", &conf) && conf > 0.5);
  gst_structure_free (s);
  /* getting up long after the alarm is no cancel */
  push_span (h, one, 1, t, 3 * GST_SECOND, WALKING, TRUE);
  s = last_message (bus, "rvfall-cancel", NULL, &n);
  fail_unless_equals_int (n, 0);
  fail_unless (s == NULL);
  gst_harness_teardown (h);
  gst_object_unref (bus);
}

GST_END_TEST;

GST_START_TEST (test_fall_descent_then_cancel)
{
  /* the room reads walking for 1 s after the impact (the descent), then
   * lying: one alarm; walking 0.5 s after it: cancelled, same onset */
  GstBus *bus;
  GstHarness *h = room_harness ("fall-confirm=3000000000", &bus);
  const guint8 two[] = { 1, 2 };
  GstStructure *s;
  GstClockTime t;
  guint n;
  guint64 onset, cancel_onset;

  t = push_span (h, two, 2, 0, 2 * GST_SECOND, STILL, FALSE);
  t = push_span (h, two, 2, t, 700 * GST_MSECOND, FALL, TRUE);
  t = push_span (h, two, 2, t, GST_SECOND, WALKING, TRUE);
  t = push_span (h, two, 2, t, 3500 * GST_MSECOND, LYING, FALSE);
  s = last_message (bus, "rvfall", "room", &n);
  fail_unless_equals_int (n, 1);
  fail_unless (gst_structure_get_uint64 (s, "stream-time", &onset));
  gst_structure_free (s);
  push_span (h, two, 2, t, GST_SECOND, WALKING, TRUE);
  s = last_message (bus, "rvfall-cancel", "room", &n);
  fail_unless_equals_int (n, 1);
  fail_unless (gst_structure_get_uint64 (s, "stream-time", &cancel_onset));
  fail_unless_equals_uint64 (cancel_onset, onset);
  gst_structure_free (s);
  gst_harness_teardown (h);
  gst_object_unref (bus);
}

GST_END_TEST;

GST_START_TEST (test_fall_dropped_when_up)
{
  /* impact, low for 2 s, then up and walking: no alarm */
  GstBus *bus;
  GstHarness *h = room_harness (NULL, &bus);
  const guint8 one[] = { 1 };
  GstStructure *s;
  GstClockTime t;
  guint n;

  t = push_span (h, one, 1, 0, 2 * GST_SECOND, STILL, FALSE);
  t = push_span (h, one, 1, t, 700 * GST_MSECOND, FALL, TRUE);
  t = push_span (h, one, 1, t, 2 * GST_SECOND, LYING, FALSE);
  push_span (h, one, 1, t, 10 * GST_SECOND, WALKING, TRUE);
  s = last_message (bus, "rvfall", NULL, &n);
  fail_unless_equals_int (n, 0);
  fail_unless (s == NULL);
  gst_harness_teardown (h);
  gst_object_unref (bus);
}

GST_END_TEST;

GST_START_TEST (test_node_offline)
{
  GstBus *bus;
  GstHarness *h = room_harness ("fall-window=9000000000", &bus);
  const guint8 two[] = { 1, 2 }, one[] = { 1 };
  GstStructure *s;
  GstEvent *ev;
  guint n, links, node;
  GstClockTime t;
  gboolean online;

  t = push_span (h, two, 2, 0, GST_SECOND, STILL, FALSE);
  fail_unless (gst_harness_push_event (h, gst_rv_node_event_new (2, FALSE, t)));
  /* the event travels on */
  while ((ev = gst_harness_try_pull_event (h))) {
    gboolean mine = gst_rv_node_event_parse (ev, &node, &online, NULL);
    gst_event_unref (ev);
    if (mine)
      break;
  }
  fail_unless (ev != NULL);
  fail_unless_equals_int (node, 2);
  fail_unless (!online);
  s = last_message (bus, "rvroom", NULL, &n);
  if (s)
    gst_structure_free (s);
  push_span (h, one, 1, t, TICK, STILL, FALSE);
  s = last_message (bus, "rvroom", "room", &n);
  fail_unless_equals_int (n, 1);
  fail_unless (gst_structure_get_uint (s, "links", &links));
  fail_unless_equals_int (links, 1);
  fail_unless_equals_string (gst_structure_get_string (s, "label"), "still");
  gst_structure_free (s);
  g_object_get (h->element, "fall-window", &t, NULL);
  fail_unless_equals_uint64 (t, 9 * GST_SECOND);
  gst_harness_teardown (h);
  gst_object_unref (bus);
}

GST_END_TEST;

/* The room ignores a 30 ms blip and posts a lasting change within 0.5 s
 * of stream time. */
GST_START_TEST (test_label_follows_models)
{
  static const guint8 nodes[] = { 1, 2, 3 };
  GstBus *bus;
  GstHarness *h = room_harness (NULL, &bus);
  GstStructure *s;
  GstClockTime t, change = 0;
  guint n;

  t = push_span (h, nodes, 3, 0, GST_SECOND, WALKING, TRUE);
  s = last_message (bus, "rvroom", "room", &n);
  fail_unless (s != NULL);
  fail_unless_equals_string (gst_structure_get_string (s, "label"), "walking");
  gst_structure_free (s);
  t = push_span (h, nodes, 3, t, 30 * GST_MSECOND, STILL, TRUE);
  t = push_span (h, nodes, 3, t, GST_SECOND, WALKING, TRUE);
  s = last_message (bus, "rvroom", "room", &n);
  fail_unless_equals_int (n, 0);
  change = t;
  t = push_span (h, nodes, 3, t, GST_SECOND, STILL, FALSE);
  s = last_message (bus, "rvroom", "room", &n);
  fail_unless_equals_int (n, 1);
  fail_unless_equals_string (gst_structure_get_string (s, "label"), "still");
  fail_unless (gst_structure_get_uint64 (s, "stream-time", &t));
  fail_unless (t - change <= 500 * GST_MSECOND);
  gst_structure_free (s);
  gst_harness_teardown (h);
  gst_object_unref (bus);
}

GST_END_TEST;

/* A frame rvroom cannot fuse (a model of more classes than it takes)
 * fails the buffer with an error, but the states that the buffer's other
 * links already changed are still posted. */
GST_START_TEST (test_states_kept_on_error)
{
  static const guint8 nodes[] = { 1 };
  GstBus *bus;
  GstHarness *h = room_harness (NULL, &bus);
  GstClockTime t;
  GstMessage *m;
  guint n, errors = 0;
  gchar *label = NULL;

  t = push_span (h, nodes, 1, 0, GST_SECOND, WALKING, TRUE);
  gst_structure_free (last_message (bus, "rvroom", "room", &n));
  for (GstClockTime end = t + GST_SECOND; t < end; t += TICK) {
    GstBuffer *b = frame (1, STILL, FALSE, t);
    /* Added after node 1's frame, so rvroom meets it second. */
    GstRvClassificationMeta *bad = (GstRvClassificationMeta *)
        gst_buffer_add_meta (b, gst_meta_get_info ("GstRvClassificationMeta"),
        NULL);
    bad->length = 40;           /* rvroom fuses at most 32 classes */
    bad->class_quarks = g_new0 (GQuark, bad->length);
    bad->model_levels = g_new0 (gfloat, bad->length);
    bad->confidence_levels = g_new0 (gfloat, bad->length);
    bad->node_id = 2;
    fail_unless_equals_int (gst_harness_push (h, b), GST_FLOW_ERROR);
  }
  while ((m = gst_bus_pop (bus))) {
    const GstStructure *s = gst_message_get_structure (m);
    if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ERROR)
      errors++;
    else if (s && gst_structure_has_name (s, "rvroom")) {
      g_free (label);
      label = g_strdup (gst_structure_get_string (s, "label"));
    }
    gst_message_unref (m);
  }
  fail_unless (errors > 0);
  fail_unless_equals_string (label, "still");
  g_free (label);
  gst_harness_teardown (h);
  gst_object_unref (bus);
}

GST_END_TEST;

/* evidence-time reaches the room: a 1 s evidence time follows the same
 * change later than the default. */
GST_START_TEST (test_evidence_time)
{
  static const guint8 nodes[] = { 1, 2, 3 };
  GstClockTime took[2];

  for (guint i = 0; i < 2; i++) {
    GstBus *bus;
    GstHarness *h = room_harness (i ? "evidence-time=1000000000" : NULL, &bus);
    GstStructure *s;
    GstClockTime t, t_msg;
    guint n;

    t = push_span (h, nodes, 3, 0, GST_SECOND, WALKING, TRUE);
    gst_structure_free (last_message (bus, "rvroom", "room", &n));
    push_span (h, nodes, 3, t, 3 * GST_SECOND, STILL, FALSE);
    s = last_message (bus, "rvroom", "room", &n);
    fail_unless (s != NULL);
    fail_unless_equals_string (gst_structure_get_string (s, "label"), "still");
    fail_unless (gst_structure_get_uint64 (s, "stream-time", &t_msg));
    took[i] = t_msg - t;
    gst_structure_free (s);
    gst_harness_teardown (h);
    gst_object_unref (bus);
  }
  fail_unless (took[1] > took[0], "%" GST_TIME_FORMAT " !> %" GST_TIME_FORMAT,
      GST_TIME_ARGS (took[1]), GST_TIME_ARGS (took[0]));
}

GST_END_TEST;

static Suite *
rvroom_suite (void)
{
  Suite *s = suite_create ("rvroom");
  TCase *tc = tcase_create ("general");

  tcase_add_test (tc, test_rooms_property);
  tcase_add_test (tc, test_two_rooms);
  tcase_add_test (tc, test_label_follows_models);
  tcase_add_test (tc, test_evidence_time);
  tcase_add_test (tc, test_fall_event);
  tcase_add_test (tc, test_fall_descent_then_cancel);
  tcase_add_test (tc, test_fall_dropped_when_up);
  tcase_add_test (tc, test_node_offline);
  tcase_add_test (tc, test_states_kept_on_error);
  suite_add_tcase (s, tc);
  return s;
}

GST_CHECK_MAIN (rvroom);
