/* rvtemporalhead element tests: per-stream steps, resets, bounds, errors,
 * and the motion detector's meta, messages and properties. */
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <glib/gstdio.h>

#include "gstrvcsimeta.h"
#include "rv_csi_features.h"
#include "rvtestutil.h"
#include "rvtestmodel.h"

static gchar *csi_model, *state_model;

static void
models_setup (void)
{
  /* declared inputs, as rvtrain writes them (the other tests' models have
   * none: both must load) */
  csi_model = rvt_write_model_input (RV_CSI_FEAT_DIM, 4, FALSE, 1,
      RV_RVNE_INPUT_CSI, RV_CSI_FEAT_LAYOUT);
  state_model = rvt_write_model_input (RV_STATE_FEAT_DIM, 4, FALSE, 2,
      RV_RVNE_INPUT_FEATURE_STATE, RV_STATE_FEAT_LAYOUT);
}

static void
models_teardown (void)
{
  g_unlink (csi_model);
  g_unlink (state_model);
  g_free (csi_model);
  g_free (state_model);
}

static GstHarness *
head_harness (const gchar * extra)
{
  /* rvcsiparse in front provides the packet metas, as in real pipelines */
  gchar *desc = g_strdup_printf ("rvcsiparse ! rvtemporalhead model=%s "
      "state-model=%s %s", csi_model, state_model, extra ? extra : "");
  GstHarness *h = gst_harness_new_parse (desc);

  g_free (desc);
  gst_harness_set_src_caps_str (h, "application/x-rvcsi");
  return h;
}

/* Push one packet; return the output's embedding meta step (0 = none). */
static guint64
push_frame (GstHarness * h, guint8 node, guint32 seq, GstClockTime pts,
    guint8 * node_out)
{
  guint8 pkt[512];
  gsize n = rvt_csi_frame (node, seq, 1, pkt, sizeof pkt);
  GstBuffer *b = gst_buffer_new_memdup (pkt, n), *out;
  GstRvEmbeddingMeta *em;
  guint64 step = 0;

  GST_BUFFER_PTS (b) = pts;
  fail_unless_equals_int (gst_harness_push (h, b), GST_FLOW_OK);
  out = gst_harness_pull (h);
  em = gst_rv_buffer_get_embedding_meta (out);
  if (em) {
    fail_unless_equals_int (em->dims, RV_CSI_FEAT_DIM);
    for (guint i = 0; i < em->dims; i++)
      fail_unless (isfinite (em->data[i]));
    step = em->step;
    if (node_out)
      *node_out = em->node_id;
  }
  gst_buffer_unref (out);
  return step;
}

GST_START_TEST (test_steps_per_stream)
{
  GstHarness *h = head_harness (NULL);
  guint8 node = 0;

  for (guint i = 0; i < 5; i++) {
    fail_unless_equals_uint64 (push_frame (h, 1, i, i * 10 * GST_MSECOND,
            &node), i + 1);
    fail_unless_equals_int (node, 1);
    fail_unless_equals_uint64 (push_frame (h, 2, 100 + i,
            i * 10 * GST_MSECOND, &node), i + 1);
    fail_unless_equals_int (node, 2);
  }
  {
    GstStructure *s = NULL;
    guint streams = 0;
    guint64 frames = 0, bytes = 0;
    GstElement *e = gst_harness_find_element (h, "rvtemporalhead");
    g_object_get (e, "stats", &s, NULL);
    fail_unless (gst_structure_get_uint (s, "streams", &streams));
    fail_unless (gst_structure_get_uint64 (s, "frames", &frames));
    fail_unless (gst_structure_get_uint64 (s, "csi-stream-bytes", &bytes));
    fail_unless_equals_int (streams, 2);
    fail_unless_equals_uint64 (frames, 10);
    fail_unless (bytes > 0);
    gst_structure_free (s);
    gst_object_unref (e);
  }
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_same_input_same_embedding)
{
  /* Two streams fed identical frames give identical embeddings, and a
   * reset stream repeats its first embedding. */
  GstHarness *h = head_harness ("reset-gap=5");
  guint8 pkt[512];
  gfloat emb0[RV_CSI_FEAT_DIM];

  for (guint i = 0; i < 3; i++) {
    gsize n = rvt_csi_frame (1, i, 1, pkt, sizeof pkt);
    GstBuffer *b = gst_buffer_new_memdup (pkt, n), *out;
    GstRvEmbeddingMeta *em;

    GST_BUFFER_PTS (b) = i * GST_MSECOND;
    gst_harness_push (h, b);
    out = gst_harness_pull (h);
    em = gst_rv_buffer_get_embedding_meta (out);
    if (i == 0)
      memcpy (emb0, em->data, sizeof emb0);
    gst_buffer_unref (out);
  }
  /* gap of 10 > reset-gap 5: restart, and frame content of seq 0 again */
  {
    gsize n = rvt_csi_frame (1, 0, 1, pkt, sizeof pkt);
    GstBuffer *b, *out;
    GstRvEmbeddingMeta *em;
    /* same I/Q as seq 0, but a sequence number 10 further */
    GST_WRITE_UINT32_LE (pkt + 12, 13);
    b = gst_buffer_new_memdup (pkt, n);
    GST_BUFFER_PTS (b) = 10 * GST_MSECOND;
    gst_harness_push (h, b);
    out = gst_harness_pull (h);
    em = gst_rv_buffer_get_embedding_meta (out);
    fail_unless_equals_uint64 (em->step, 1);
    for (guint d = 0; d < RV_CSI_FEAT_DIM; d++)
      fail_unless (fabsf (em->data[d] - emb0[d]) < 1e-6f,
          "dim %u: %f vs %f", d, em->data[d], emb0[d]);
    gst_buffer_unref (out);
  }
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_reboot_and_reorder)
{
  GstHarness *h = head_harness (NULL);

  for (guint i = 0; i < 200; i++)
    push_frame (h, 3, 1000 + i, i * GST_MSECOND, NULL);
  /* a late packet: passes without a step */
  fail_unless_equals_uint64 (push_frame (h, 3, 1190, 201 * GST_MSECOND,
          NULL), 0);
  /* the node rebooted: sequence back to 0 -> fresh stream */
  fail_unless_equals_uint64 (push_frame (h, 3, 0, 202 * GST_MSECOND, NULL),
      1);
  fail_unless_equals_uint64 (push_frame (h, 3, 1, 203 * GST_MSECOND, NULL),
      2);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A node crash-looping with boots of boot_ms at hz: every boot restarts
 * the stream (step 1 on its first packet) and every packet is stepped. */
static void
crash_loop (guint hz, guint boot_ms, guint boots)
{
  GstHarness *h = head_harness (NULL);
  GstClockTime period = GST_SECOND / hz, t = 0;
  guint per_boot = MAX (1, boot_ms * hz / 1000);
  GstElement *head;
  GstStructure *st;
  guint64 v;

  for (guint b = 0; b < boots; b++)
    for (guint i = 0; i < per_boot; i++, t += period)
      fail_unless_equals_uint64 (push_frame (h, 4, i, t, NULL), i + 1);
  head = gst_harness_find_element (h, "rvtemporalhead");
  g_object_get (head, "stats", &st, NULL);
  gst_object_unref (head);
  fail_unless (gst_structure_get_uint64 (st, "resets-reboot", &v));
  fail_unless_equals_uint64 (v, boots - 1);
  fail_unless (gst_structure_get_uint64 (st, "frames", &v));
  fail_unless_equals_uint64 (v, (guint64) boots * per_boot);
  gst_structure_free (st);
  gst_harness_teardown (h);
}

GST_START_TEST (test_crash_loops_every_boot_classified)
{
  static const guint rates[] = { 1, 20, 100 };

  for (guint r = 0; r < G_N_ELEMENTS (rates); r++)
    for (guint boot = 1000; boot <= 3000; boot += 1000)
      crash_loop (rates[r], boot, 5);
}

GST_END_TEST;

GST_START_TEST (test_early_reboot_loses_nothing)
{
  static const guint rates[] = { 1, 20, 100 };

  for (guint r = 0; r < G_N_ELEMENTS (rates); r++) {
    GstHarness *h = head_harness (NULL);
    GstClockTime period = GST_SECOND / rates[r], t = 0;
    guint n = 2 * rates[r];

    for (guint i = 0; i < n; i++, t += period)
      push_frame (h, 5, 7000 + i, t, NULL);
    /* reboot after 2 s: the next 2 s are all stepped, in a fresh stream */
    for (guint i = 0; i < n; i++, t += period)
      fail_unless_equals_uint64 (push_frame (h, 5, i, t, NULL), i + 1);
    gst_harness_teardown (h);
  }
}

GST_END_TEST;

GST_START_TEST (test_reorder_and_duplicates_per_rate)
{
  static const guint rates[] = { 1, 20, 100 };

  for (guint r = 0; r < G_N_ELEMENTS (rates); r++) {
    GstHarness *h = head_harness (NULL);
    GstElement *head = gst_harness_find_element (h, "rvtemporalhead");
    GstClockTime period = GST_SECOND / rates[r], t = 0;
    GstStructure *st;
    guint64 v;
    guint i;

    for (i = 0; i < 10; i++, t += period)
      push_frame (h, 6, i, t, NULL);
    /* 11 overtakes 10, which arrives 2 ms later, then twice more */
    fail_unless_equals_uint64 (push_frame (h, 6, 11, t, NULL), 11);
    fail_unless_equals_uint64 (push_frame (h, 6, 10, t + 2 * GST_MSECOND,
            NULL), 0);
    fail_unless_equals_uint64 (push_frame (h, 6, 10, t + 3 * GST_MSECOND,
            NULL), 0);
    fail_unless_equals_uint64 (push_frame (h, 6, 11, t + 4 * GST_MSECOND,
            NULL), 0);
    fail_unless_equals_uint64 (push_frame (h, 6, 12, t + period, NULL), 12);
    g_object_get (head, "stats", &st, NULL);
    fail_unless (gst_structure_get_uint64 (st, "skipped-reordered", &v));
    fail_unless_equals_uint64 (v, 1);
    fail_unless (gst_structure_get_uint64 (st, "skipped-duplicate", &v));
    fail_unless_equals_uint64 (v, 2);
    fail_unless (gst_structure_get_uint64 (st, "resets-reboot", &v));
    fail_unless_equals_uint64 (v, 0);
    gst_structure_free (st);
    gst_object_unref (head);
    gst_harness_teardown (h);
  }
}

GST_END_TEST;

/* A channel hop (1 -> 6 -> 11, then to 5 GHz) restarts the raw CSI
 * stream each time; the stream stays (node, antenna); feature-state
 * streams carry no frequency and are not affected. */
GST_START_TEST (test_channel_hop_restarts_stream)
{
  static const guint freqs[] = { 2412, 2437, 2462, 5180 };
  GstHarness *h = head_harness (NULL);
  GstElement *head = gst_harness_find_element (h, "rvtemporalhead");
  GstClockTime t = 0, period = 50 * GST_MSECOND;
  guint32 seq = 0;
  GstStructure *st;
  guint64 v;
  guint streams = 0;

  for (guint c = 0; c < G_N_ELEMENTS (freqs); c++)
    for (guint i = 0; i < 10; i++, t += period) {
      guint8 pkt[512];
      gsize n = rvt_csi_frame_on (9, seq++, 1, freqs[c], pkt, sizeof pkt);
      GstBuffer *b = gst_buffer_new_memdup (pkt, n), *out;
      GstRvEmbeddingMeta *em;
      GstRvCsiPacketMeta *pm;

      GST_BUFFER_PTS (b) = t;
      out = gst_harness_push_and_pull (h, b);
      em = gst_rv_buffer_get_embedding_meta (out);
      pm = gst_rv_buffer_get_csi_packet_meta (out);
      fail_unless (em != NULL);
      fail_unless_equals_uint64 (em->step, i + 1);
      fail_unless_equals_int (! !(pm->flags & GST_RV_CSI_PACKET_FLAG_CHANNEL),
          c > 0 && i == 0);
      gst_buffer_unref (out);
      /* a feature-state stream of the same node alongside */
      n = rvt_feature_state (9, (guint16) (c * 10 + i), pkt, sizeof pkt);
      b = gst_buffer_new_memdup (pkt, n);
      GST_BUFFER_PTS (b) = t;
      out = gst_harness_push_and_pull (h, b);
      em = gst_rv_buffer_get_embedding_meta (out);
      fail_unless_equals_uint64 (em->step, c * 10 + i + 1);
      gst_buffer_unref (out);
    }
  g_object_get (head, "stats", &st, NULL);
  fail_unless (gst_structure_get_uint64 (st, "resets-channel", &v));
  fail_unless_equals_uint64 (v, 3);
  fail_unless (gst_structure_get_uint (st, "streams", &streams));
  fail_unless_equals_int (streams, 2);
  gst_structure_free (st);
  gst_object_unref (head);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_max_streams_and_timeout)
{
  GstHarness *h = head_harness ("max-streams=2 stream-timeout=1000000000");
  GstElement *e = gst_harness_find_element (h, "rvtemporalhead");
  GstStructure *s = NULL;
  guint64 refused = 0, expired = 0;

  fail_unless_equals_uint64 (push_frame (h, 1, 0, 0, NULL), 1);
  fail_unless_equals_uint64 (push_frame (h, 2, 0, 0, NULL), 1);
  /* full: node 3 refused, 1 and 2 keep their state */
  fail_unless_equals_uint64 (push_frame (h, 3, 0, 500 * GST_MSECOND, NULL),
      0);
  fail_unless_equals_uint64 (push_frame (h, 1, 1, 600 * GST_MSECOND, NULL),
      2);
  /* node 2 idle since 0: expired at 1.2 s, so node 3 gets its slot */
  fail_unless_equals_uint64 (push_frame (h, 3, 1, 1200 * GST_MSECOND, NULL),
      1);
  fail_unless_equals_uint64 (push_frame (h, 1, 2, 1300 * GST_MSECOND, NULL),
      3);
  g_object_get (e, "stats", &s, NULL);
  fail_unless (gst_structure_get_uint64 (s, "streams-refused", &refused));
  fail_unless (gst_structure_get_uint64 (s, "streams-expired", &expired));
  fail_unless_equals_uint64 (refused, 1);
  fail_unless_equals_uint64 (expired, 1);
  gst_structure_free (s);
  gst_object_unref (e);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_feature_state_and_passthrough)
{
  GstHarness *h = head_harness ("kv-precision=fp16");
  guint8 pkt[512];
  gsize n = rvt_feature_state (9, 4, pkt, sizeof pkt);
  GstBuffer *b = gst_buffer_new_memdup (pkt, n), *out;
  GstRvEmbeddingMeta *em;
  rv_vitals v;
  size_t written = 0;
  GstMapInfo map;

  GST_BUFFER_PTS (b) = 0;
  gst_harness_push (h, b);
  out = gst_harness_pull (h);
  em = gst_rv_buffer_get_embedding_meta (out);
  fail_unless (em != NULL);
  fail_unless_equals_int (em->dims, RV_STATE_FEAT_DIM);
  fail_unless_equals_int (em->node_id, 9);
  fail_unless_equals_int (em->antenna, 255);
  gst_buffer_unref (out);

  /* vitals: not used, passes untouched */
  memset (&v, 0, sizeof v);
  v.node_id = 9;
  fail_unless_equals_int (rv_vitals_encode (&v, FALSE, pkt, sizeof pkt,
          &written), RV_OK);
  b = gst_buffer_new_memdup (pkt, written);
  GST_BUFFER_PTS (b) = GST_MSECOND;
  gst_harness_push (h, b);
  out = gst_harness_pull (h);
  fail_unless (gst_rv_buffer_get_embedding_meta (out) == NULL);
  gst_buffer_map (out, &map, GST_MAP_READ);
  fail_unless (map.size == written && memcmp (map.data, pkt, written) == 0);
  gst_buffer_unmap (out, &map);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A frame of n subcarriers per antenna from node, with a smooth channel. */
static GstBuffer *
csi_buffer (guint8 node, guint32 seq, guint8 n_ant, guint16 n_sc,
    GstClockTime pts)
{
  static int8_t iq[2 * 2 * 384];
  static guint8 pkt[20 + sizeof iq];
  rv_csi_frame f;
  size_t written = 0;
  GstBuffer *b;

  for (guint p = 0; p < (guint) n_ant * n_sc; p++) {
    iq[2 * p] = (int8_t) (20.0 * sin (0.2 * p + 0.1 * seq));
    iq[2 * p + 1] = (int8_t) (30.0 + 10.0 * cos (0.2 * p));
  }
  memset (&f, 0, sizeof f);
  f.node_id = node;
  f.n_antennas = n_ant;
  f.n_subcarriers = n_sc;
  f.freq_mhz = 2437;
  f.seq = seq;
  f.rssi = -50;
  f.noise_floor = -95;
  f.iq = iq;
  fail_unless_equals_int (rv_csi_frame_encode (&f, pkt, sizeof pkt, &written),
      RV_OK);
  b = gst_buffer_new_memdup (pkt, written);
  GST_BUFFER_PTS (b) = pts;
  return b;
}

GST_START_TEST (test_subcarrier_layouts)
{
  /* Documented counts (a node mixing 64/128/192) give embeddings; an
   * unsupported count (300) is skipped, counted, and warned about once per
   * stream (node, antenna) on the bus, however many frames follow. */
  GstHarness *h = head_harness (NULL);
  GstElement *e = gst_harness_find_element (h, "rvtemporalhead");
  GstBus *bus = gst_bus_new ();
  static const guint16 mixed[] = { 64, 128, 192, 128, 64, 256, 384 };
  GstStructure *st = NULL;
  guint64 frames = 0, skipped = 0;
  GstMessage *msg;
  guint warnings = 0, seen_node2 = 0;

  gst_element_set_bus (e, bus);
  for (guint i = 0; i < G_N_ELEMENTS (mixed); i++) {
    GstBuffer *out;
    fail_unless_equals_int (gst_harness_push (h, csi_buffer (1, i, 1,
                mixed[i], i * 10 * GST_MSECOND)), GST_FLOW_OK);
    out = gst_harness_pull (h);
    fail_unless (gst_rv_buffer_get_embedding_meta (out) != NULL,
        "no embedding for %u subcarriers", mixed[i]);
    gst_buffer_unref (out);
  }
  for (guint i = 0; i < 5; i++) {
    gst_buffer_unref (gst_harness_push_and_pull (h, csi_buffer (2, i, 2, 300,
                (10 + i) * 10 * GST_MSECOND)));
    gst_buffer_unref (gst_harness_push_and_pull (h, csi_buffer (3, i, 1, 320,
                (10 + i) * 10 * GST_MSECOND)));
  }
  while ((msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING))) {
    GError *err = NULL;
    gst_message_parse_warning (msg, &err, NULL);
    fail_unless (strstr (err->message, "subcarriers") != NULL, "%s",
        err->message);
    if (strstr (err->message, "Node 2 "))
      seen_node2++;
    g_clear_error (&err);
    gst_message_unref (msg);
    warnings++;
  }
  /* node 2 has two antennas: two streams; node 3 one */
  fail_unless_equals_int (warnings, 3);
  fail_unless_equals_int (seen_node2, 2);
  g_object_get (e, "stats", &st, NULL);
  fail_unless (gst_structure_get_uint64 (st, "frames", &frames));
  fail_unless (gst_structure_get_uint64 (st, "skipped-subcarriers", &skipped));
  fail_unless_equals_uint64 (frames, G_N_ELEMENTS (mixed));
  fail_unless_equals_uint64 (skipped, 15);
  gst_structure_free (st);
  gst_element_set_bus (e, NULL);
  gst_object_unref (bus);
  gst_object_unref (e);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ---------------------------------------------------------------- motion */

/* A 64-subcarrier LLTF frame of a room: a fixed multipath shape with
 * +-1 LSB of noise, null DC and guard subcarriers; `moving` makes a person
 * sway it (each subcarrier's amplitude swings at 1.5 Hz with its own
 * phase, up to 40%). t_s is the frame's time in seconds. */
static GstBuffer *
room_frame (guint8 node, guint32 seq, gdouble t_s, gboolean moving,
    GRand * r)
{
  int8_t iq[128];
  guint8 pkt[512];
  gsize n;
  GstBuffer *b;

  for (guint k = 0; k < 64; k++) {
    gboolean null = k == 0 || (k >= 27 && k <= 37);
    gdouble a = 25.0 + 8.0 * sin (0.3 * k), ph = 0.2 * k;
    if (moving)
      a *= 1.0 + 0.4 * sin (2 * G_PI * 1.5 * t_s + 0.5 * k);
    a += g_rand_double_range (r, -1.0, 1.0);
    iq[2 * k] = null ? 0 : (int8_t) lrint (a * sin (ph));
    iq[2 * k + 1] = null ? 0 : (int8_t) lrint (a * cos (ph));
  }
  n = rvt_csi_encode (node, seq, 64, 2437, iq, pkt, sizeof pkt);
  b = gst_buffer_new_memdup (pkt, n);
  GST_BUFFER_PTS (b) = (GstClockTime) (t_s * GST_SECOND + 0.5);
  return b;
}

typedef struct
{
  GstHarness *h;
  GstBus *bus;
  GRand *rand;
  guint32 seq;
  gdouble t;                    /* next frame's time (s) */
  guint calibrated, moving, changed, metas;  /* frames seen with each */
  GstRvMotionMeta last;
} Room;

static void
room_open (Room * room, const gchar * props)
{
  memset (room, 0, sizeof *room);
  room->h = head_harness (props);
  room->bus = gst_bus_new ();
  gst_element_set_bus (room->h->element, room->bus);
  room->rand = g_rand_new_with_seed (7);
}

static void
room_close (Room * room)
{
  gst_harness_teardown (room->h);
  gst_object_unref (room->bus);
  g_rand_free (room->rand);
}

/* Plays `seconds` of the room at `hz`; counts the motion metas. */
static void
room_play (Room * room, gdouble seconds, gdouble hz, gboolean moving)
{
  gdouble end = room->t + seconds;

  room->calibrated = room->moving = room->changed = room->metas = 0;
  for (; room->t < end; room->t += 1.0 / hz) {
    GstBuffer *out = gst_harness_push_and_pull (room->h,
        room_frame (1, room->seq++, room->t, moving, room->rand));
    GstRvMotionMeta *mm = gst_rv_buffer_get_motion_meta (out);

    fail_unless (mm != NULL, "no motion meta at %.2f s", room->t);
    fail_unless_equals_int (mm->node_id, 1);
    fail_unless_equals_int (mm->antenna, 0);
    fail_unless (isfinite (mm->score) && isfinite (mm->threshold));
    fail_unless (!mm->motion || mm->calibrated);
    room->metas++;
    room->calibrated += mm->calibrated;
    room->moving += mm->motion;
    room->changed += mm->changed;
    room->last = *mm;
    gst_buffer_unref (out);
  }
}

/* The next rvmotion message, checked field by field, or NULL. */
static GstMessage *
pop_motion (GstBus * bus)
{
  GstMessage *m;

  while ((m = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT))) {
    const GstStructure *s = gst_message_get_structure (m);
    if (gst_structure_has_name (s, "rvmotion")) {
      static const struct
      {
        const gchar *name;
        GType type;
      } fields[] = {
        {"node", G_TYPE_UINT}, {"antenna", G_TYPE_UINT},
        {"motion", G_TYPE_BOOLEAN}, {"score", G_TYPE_DOUBLE},
        {"threshold", G_TYPE_DOUBLE}, {"stream-time", G_TYPE_UINT64},
        {"arrival", G_TYPE_UINT64},
      };
      fail_unless_equals_int (gst_structure_n_fields (s),
          G_N_ELEMENTS (fields));
      for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
        fail_unless (gst_structure_has_field_typed (s, fields[i].name,
                fields[i].type), "rvmotion field %s", fields[i].name);
      return m;
    }
    gst_message_unref (m);
  }
  return NULL;
}

static gboolean
motion_field (GstMessage * m)
{
  gboolean v = FALSE;
  gst_structure_get_boolean (gst_message_get_structure (m), "motion", &v);
  return v;
}

GST_START_TEST (test_motion_meta_and_messages)
{
  Room room;
  GstMessage *m;
  guint64 st = 0, arrival = 0;
  gdouble score = 0, threshold = 0;

  /* default settings: a quiet room calibrates and stays quiet */
  room_open (&room, NULL);
  room_play (&room, 6.0, 100, FALSE);
  fail_unless (room.last.calibrated);
  fail_unless_equals_int (room.moving, 0);
  fail_unless (pop_motion (room.bus) == NULL);

  /* a person moves: one message, motion = TRUE, within a second */
  room_play (&room, 1.0, 100, TRUE);
  fail_unless (room.moving > 50, "%u of 100 frames in motion", room.moving);
  m = pop_motion (room.bus);
  fail_unless (m != NULL);
  fail_unless (motion_field (m));
  fail_unless (gst_structure_get_uint64 (gst_message_get_structure (m),
          "stream-time", &st));
  fail_unless (gst_structure_get_double (gst_message_get_structure (m),
          "score", &score));
  fail_unless (gst_structure_get_double (gst_message_get_structure (m),
          "threshold", &threshold));
  fail_unless (gst_structure_get_uint64 (gst_message_get_structure (m),
          "arrival", &arrival));
  fail_unless (score > threshold);
  fail_unless (st >= 6 * GST_SECOND && st < 7 * GST_SECOND);
  /* rvcsiparse's arrival is the capture time: the frame's PTS here */
  fail_unless_equals_uint64 (arrival, st);
  gst_message_unref (m);
  room_play (&room, 2.0, 100, TRUE);
  fail_unless_equals_int (room.moving, room.metas);

  /* still again: motion = FALSE within a few seconds, one change */
  room_play (&room, 5.0, 100, FALSE);
  fail_unless (!room.last.motion);
  fail_unless_equals_int (room.changed, 1);
  m = pop_motion (room.bus);
  fail_unless (m != NULL);
  fail_if (motion_field (m));
  gst_message_unref (m);
  fail_unless (pop_motion (room.bus) == NULL);
  room_close (&room);
}

GST_END_TEST;

/* The detector works in stream time: calibration takes the same stream
 * time at 20 and at 150 frames per second. */
GST_START_TEST (test_motion_calibration_in_stream_time)
{
  const gdouble rates[] = { 20, 150 };

  for (guint i = 0; i < G_N_ELEMENTS (rates); i++) {
    Room room;
    room_open (&room, "motion-calibration-time=2000000000");
    room_play (&room, 1.5, rates[i], FALSE);
    fail_if (room.last.calibrated, "calibrated after 1.5 s at %.0f Hz",
        rates[i]);
    room_play (&room, 3.0, rates[i], FALSE);
    fail_unless (room.last.calibrated, "not calibrated after 4.5 s at "
        "%.0f Hz", rates[i]);
    room_close (&room);
  }
}

GST_END_TEST;

GST_START_TEST (test_motion_properties)
{
  Room room;
  GstElement *e;
  gdouble sens = 0;
  guint64 cal = 0;
  gfloat before;

  room_open (&room, NULL);
  e = gst_harness_find_element (room.h, "rvtemporalhead");
  g_object_get (e, "motion-sensitivity", &sens, "motion-calibration-time",
      &cal, NULL);
  fail_unless_equals_float (sens, 1.0);
  fail_unless_equals_uint64 (cal, 3 * GST_SECOND);
  room_play (&room, 5.0, 50, FALSE);
  fail_unless (room.last.calibrated);
  before = room.last.threshold;
  /* more sensitive, applied to the running stream: a lower threshold */
  g_object_set (e, "motion-sensitivity", 4.0, NULL);
  room_play (&room, 0.2, 50, FALSE);
  fail_unless (room.last.calibrated);
  fail_unless (room.last.threshold < before, "%f vs %f",
      room.last.threshold, before);
  gst_object_unref (e);
  room_close (&room);
}

GST_END_TEST;

/* A stream restarted by its node's reboot forgets its calibration and
 * reports the end of its motion; late frames carry the current state. */
GST_START_TEST (test_motion_reset_and_late_frames)
{
  Room room;
  GstMessage *m;
  GstBuffer *out;
  GstRvMotionMeta *mm;

  room_open (&room, NULL);
  room_play (&room, 5.0, 100, FALSE);
  room_play (&room, 2.0, 100, TRUE);
  fail_unless (room.last.motion);
  m = pop_motion (room.bus);
  fail_unless (m != NULL);
  gst_message_unref (m);

  /* late: same state, no change */
  out = gst_harness_push_and_pull (room.h, room_frame (1, room.seq - 5,
          room.t, TRUE, room.rand));
  mm = gst_rv_buffer_get_motion_meta (out);
  fail_unless (mm != NULL && mm->motion && !mm->changed);
  gst_buffer_unref (out);

  /* reboot: sequence back to 0 */
  room.seq = 0;
  room_play (&room, 0.5, 100, TRUE);
  fail_unless_equals_int (room.calibrated, 0);
  fail_unless_equals_int (room.moving, 0);
  fail_unless_equals_int (room.changed, 1);
  m = pop_motion (room.bus);
  fail_unless (m != NULL);
  fail_if (motion_field (m));
  gst_message_unref (m);
  room_close (&room);
}

GST_END_TEST;

/* A two-antenna frame is two streams: one motion meta each. */
GST_START_TEST (test_motion_meta_per_antenna)
{
  GstHarness *h = head_harness (NULL);
  GstBuffer *out = gst_harness_push_and_pull (h, csi_buffer (5, 0, 2, 64, 0));
  GType api = g_type_from_name ("GstRvMotionMetaAPI");
  gpointer state = NULL;
  GstMeta *meta;
  guint seen = 0;

  fail_unless (api != 0);
  while ((meta = gst_buffer_iterate_meta_filtered (out, &state, api))) {
    GstRvMotionMeta *mm = (GstRvMotionMeta *) meta;
    fail_unless_equals_int (mm->node_id, 5);
    fail_unless (mm->antenna < 2);
    fail_if (mm->calibrated || mm->motion || mm->changed);
    seen |= 1u << mm->antenna;
  }
  fail_unless_equals_int (seen, 3);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_no_motion_for_feature_state)
{
  Room room;
  guint8 pkt[512];

  room_open (&room, NULL);
  for (guint i = 0; i < 100; i++) {
    gsize n = rvt_feature_state (9, (guint16) i, pkt, sizeof pkt);
    GstBuffer *b = gst_buffer_new_memdup (pkt, n), *out;

    GST_BUFFER_PTS (b) = i * 200 * GST_MSECOND;
    out = gst_harness_push_and_pull (room.h, b);
    fail_unless (gst_rv_buffer_get_embedding_meta (out) != NULL);
    fail_unless (gst_rv_buffer_get_motion_meta (out) == NULL);
    gst_buffer_unref (out);
  }
  fail_unless (pop_motion (room.bus) == NULL);
  room_close (&room);
}

GST_END_TEST;

static void
expect_start_error (const gchar * desc, const gchar * needle)
{
  GstElement *p = gst_parse_launch (desc, NULL);
  GstBus *bus = gst_element_get_bus (p);
  GstMessage *msg;
  GError *err = NULL;
  gchar *dbg = NULL;

  fail_unless (p != NULL);
  gst_element_set_state (p, GST_STATE_PAUSED);
  msg = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "no error for %s", desc);
  gst_message_parse_error (msg, &err, &dbg);
  fail_unless (dbg && strstr (dbg, needle), "debug \"%s\" lacks \"%s\"",
      dbg, needle);
  g_clear_error (&err);
  g_free (dbg);
  gst_message_unref (msg);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (p);
}

GST_START_TEST (test_model_errors)
{
  gchar *corrupt = rvt_write_model (RV_CSI_FEAT_DIM, 4, FALSE, 3), *contents = NULL;
  gsize len = 0;
  gchar *desc, *needle;

  expect_start_error ("fakesrc num-buffers=1 ! rvtemporalhead "
      "model=/nonexistent/x.rvne ! fakesink", "/nonexistent/x.rvne");
  /* flip a weight byte: CRC mismatch */
  fail_unless (g_file_get_contents (corrupt, &contents, &len, NULL));
  contents[40] ^= 0x10;
  fail_unless (g_file_set_contents (corrupt, contents, len, NULL));
  desc = g_strdup_printf ("fakesrc num-buffers=1 ! rvtemporalhead model=%s "
      "! fakesink", corrupt);
  expect_start_error (desc, "CRC");
  g_free (desc);
  /* truncated */
  fail_unless (g_file_set_contents (corrupt, contents, 20, NULL));
  desc = g_strdup_printf ("fakesrc num-buffers=1 ! rvtemporalhead model=%s "
      "! fakesink", corrupt);
  expect_start_error (desc, corrupt);
  g_free (desc);
  /* a feature-state model given as the CSI model */
  desc = g_strdup_printf ("fakesrc num-buffers=1 ! rvtemporalhead model=%s "
      "! fakesink", state_model);
  expect_start_error (desc, "state-model");
  g_free (desc);
  /* the right size, but trained on other features: raw CSI features, or
   * an older CSI feature layout */
  g_unlink (corrupt);
  g_free (corrupt);
  corrupt = rvt_write_model_input (RV_CSI_FEAT_DIM, 4, FALSE, 4,
      RV_RVNE_INPUT_CSI_RAW, RV_CSI_FEAT_LAYOUT);
  desc = g_strdup_printf ("fakesrc num-buffers=1 ! rvtemporalhead model=%s "
      "! fakesink", corrupt);
  expect_start_error (desc, "raw CSI features");
  g_free (desc);
  g_unlink (corrupt);
  g_free (corrupt);
  corrupt = rvt_write_model_input (RV_CSI_FEAT_DIM, 4, FALSE, 4,
      RV_RVNE_INPUT_CSI, RV_CSI_FEAT_LAYOUT + 1);
  desc = g_strdup_printf ("fakesrc num-buffers=1 ! rvtemporalhead model=%s "
      "! fakesink", corrupt);
  needle = g_strdup_printf ("\"CSI features\", layout %u",
      RV_CSI_FEAT_LAYOUT + 1);
  expect_start_error (desc, needle);
  g_free (needle);
  g_free (desc);
  g_unlink (corrupt);
  g_free (corrupt);
  g_free (contents);
}

GST_END_TEST;

static Suite *
rvtemporalhead_suite (void)
{
  Suite *s = suite_create ("rvtemporalhead");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_unchecked_fixture (tc, models_setup, models_teardown);
  tcase_add_test (tc, test_steps_per_stream);
  tcase_add_test (tc, test_same_input_same_embedding);
  tcase_add_test (tc, test_reboot_and_reorder);
  tcase_add_test (tc, test_crash_loops_every_boot_classified);
  tcase_add_test (tc, test_early_reboot_loses_nothing);
  tcase_add_test (tc, test_reorder_and_duplicates_per_rate);
  tcase_add_test (tc, test_channel_hop_restarts_stream);
  tcase_add_test (tc, test_max_streams_and_timeout);
  tcase_add_test (tc, test_feature_state_and_passthrough);
  tcase_add_test (tc, test_model_errors);
  tcase_add_test (tc, test_subcarrier_layouts);
  tcase_add_test (tc, test_motion_meta_and_messages);
  tcase_add_test (tc, test_motion_calibration_in_stream_time);
  tcase_add_test (tc, test_motion_properties);
  tcase_add_test (tc, test_motion_reset_and_late_frames);
  tcase_add_test (tc, test_no_motion_for_feature_state);
  tcase_add_test (tc, test_motion_meta_per_antenna);
  return s;
}

GST_CHECK_MAIN (rvtemporalhead);
