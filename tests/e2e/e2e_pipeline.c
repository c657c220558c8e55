/*
 * End-to-end: rvsim -> UDP loopback -> rvcsisrc ! rvtemporalhead !
 * rvclassify (built-in models) -> bus messages, checked against the
 * simulator's ground truth; then the pcap rvsim wrote in the same run is
 * replayed (filesrc ! pcapparse ! rvcsiparse ! ...) and must give the same
 * decisions. A second test adds hostile traffic and impairments.
 *
 * Environment: RVSIM = path of the rvsim tool (set by meson).
 * Real time is unavoidable here (a real subprocess sends real datagrams);
 * waits are bounded polls on counters, never fixed sleeps standing in for
 * synchronisation.
 */
#include <gst/check/gstcheck.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "gstrvcsimeta.h"
#include "rvsim.h"
#include "rvsim_labels.h"
#include "rvsim_pcap.h"
#include "rv_wire.h"

#define N_NODES 4
#define RATE_HZ 100
#define DURATION_S 100          /* one pass of the demo scenario */
#define SPEED 5
/* Stated threshold: fraction of classified frames whose current decision
 * equals the simulator's true activity (transition lag and warm-up
 * included; apnea and lying count as "still"). The built-in model with the
 * default smoothing/hysteresis measures 0.614 on this session (seed 7),
 * 0.737 without the motion gate: decisions now follow rvtemporalhead's
 * motion detector, which holds much of this session's simulated motion
 * quiet (over a third of the walking and most of the gestures on these
 * four nodes; on the real recordings it misses under 0.5%), and a stream
 * held quiet reads empty or still. The margin covers float
 * differences between compilers, not a model regression. */
#define MIN_ACCURACY 0.55
/* Same for feature-state-only nodes (5 Hz) and the built-in state model:
 * measures 0.971 on its session (seed 11); 0.590 when smoothing and
 * hysteresis were counted in frames (a 10-frame hold is 2 s at 5 Hz). */
#define MIN_ACCURACY_STATE 0.90

typedef struct
{
  guint node;
  guint32 seq;
  gchar *label;
} Change;

typedef struct
{
  GMutex lock;
  guint64 seen;                 /* every buffer reaching the sink */
  guint64 classified[256];      /* buffers with a classification, per node */
  guint64 frames, correct, unlabelled;
  guint64 confusion[RVSIM_N_ACTIVITIES][16];  /* truth x decision index */
  const rvsim_labels *labels;
  gboolean replay;
  guint64 epoch_ns;
} Tally;

static GstPadProbeReturn
tally_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user)
{
  Tally *t = user;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  GstRvClassificationMeta *cm = gst_rv_buffer_get_classification_meta (buf);
  GstRvCsiPacketMeta *pm = gst_rv_buffer_get_csi_packet_meta (buf);
  double ts;
  int truth;

  (void) pad;
  g_mutex_lock (&t->lock);
  t->seen++;
  if (cm)
    t->classified[cm->node_id]++;
  g_mutex_unlock (&t->lock);
  if (!cm || !pm || !t->labels || cm->decision < 0)
    return GST_PAD_PROBE_OK;
  /* Simulated time of the frame: in a replay, its capture time (rvsim's
   * pcap clock is RVSIM_PCAP_EPOCH + simulated time); live, its sequence
   * number over the frame rate (seq restarts only on a reboot, which the
   * accuracy run does not have). */
  if (t->replay)
    ts = (double) pm->arrival / GST_SECOND - RVSIM_PCAP_EPOCH;
  else
    ts = (double) pm->seq / RATE_HZ;
  truth = rvsim_labels_activity_at (t->labels, cm->node_id, ts);
  g_mutex_lock (&t->lock);
  if (truth < 0) {
    t->unlabelled++;
  } else {
    const gchar *want = rvsim_activity_name (truth);
    /* The built-in model is trained with apnea and lying as "still"
     * (docs/training.md): a few seconds of CSI cannot tell them apart. */
    if (gst_rv_classification_meta_get_index_by_quark (cm,
            g_quark_from_string (want)) < 0 &&
        (truth == RVSIM_ACT_APNEA || truth == RVSIM_ACT_LYING))
      want = "still";
    t->frames++;
    if (truth < RVSIM_N_ACTIVITIES && cm->decision < 16)
      t->confusion[truth][cm->decision]++;
    if (g_strcmp0 (g_quark_to_string (cm->class_quarks[cm->decision]),
            want) == 0)
      t->correct++;
  }
  g_mutex_unlock (&t->lock);
  return GST_PAD_PROBE_OK;
}

static void
add_change (GstMessage * m, GPtrArray * into)
{
  const GstStructure *s = gst_message_get_structure (m);
  Change *c;
  guint seq = 0;

  if (!gst_structure_has_name (s, "rvclassify"))
    return;
  /* A replay ends with EOS, where the parser reports every node offline;
   * the live run has no end of stream: compare the decisions only. */
  if (g_strcmp0 (gst_structure_get_string (s, "label"), "offline") == 0)
    return;
  c = g_new0 (Change, 1);
  gst_structure_get_uint (s, "node", &c->node);
  gst_structure_get_uint (s, "seq", &seq);
  c->seq = seq;
  c->label = g_strdup (gst_structure_get_string (s, "label"));
  g_ptr_array_add (into, c);
}

static GPtrArray *
collect_changes (GstBus * bus, GPtrArray * into)
{
  GstMessage *m;

  while ((m = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT |
              GST_MESSAGE_ERROR))) {
    fail_if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ERROR, "pipeline error");
    add_change (m, into);
    gst_message_unref (m);
  }
  return into;
}

static void
change_free (gpointer p)
{
  Change *c = p;
  g_free (c->label);
  g_free (c);
}

static guint64
stat_u64 (GstElement * e, const gchar * field)
{
  GstStructure *s = NULL;
  guint64 v = 0;
  g_object_get (e, "stats", &s, NULL);
  gst_structure_get_uint64 (s, field, &v);
  gst_structure_free (s);
  return v;
}

/* Poll until the source has seen no new datagram for `quiet_ms` and every
 * accepted packet reached the sink; bounded by limit_s. */
static void
wait_drained (GstElement * src, Tally * t, guint quiet_ms, guint limit_s)
{
  guint64 last = G_MAXUINT64;
  gint64 deadline = g_get_monotonic_time () + limit_s * G_USEC_PER_SEC;
  gint64 since = g_get_monotonic_time ();

  while (g_get_monotonic_time () < deadline) {
    guint64 now = stat_u64 (src, "received"), seen;
    g_mutex_lock (&t->lock);
    seen = t->seen;
    g_mutex_unlock (&t->lock);
    if (now != last) {
      last = now;
      since = g_get_monotonic_time ();
    } else if (g_get_monotonic_time () - since > quiet_ms * 1000 &&
        seen >= stat_u64 (src, "accepted")) {
      return;
    }
    g_usleep (20 * 1000);
  }
  fail ("pipeline did not drain within %u s", limit_s);
}

typedef struct
{
  gchar *dir, *pcap, *labels_path;
  rvsim_labels labels;
} Session;

static gboolean
run_rvsim (Session * ses, guint port, const gchar * extra)
{
  const gchar *rvsim = g_getenv ("RVSIM");
  gchar *cmd;
  gint status = -1;
  GError *err = NULL;
  gboolean ok;

  fail_unless (rvsim != NULL, "RVSIM not set");
  cmd = g_strdup_printf ("%s --nodes %d --rate %d --duration %d --seed 7 "
      "--scenario demo --udp 127.0.0.1:%u --speed %d --pcap %s --labels %s "
      "--quiet %s", rvsim, N_NODES, RATE_HZ, DURATION_S, port, SPEED,
      ses->pcap, ses->labels_path, extra ? extra : "");
  ok = g_spawn_command_line_sync (cmd, NULL, NULL, &status, &err);
  fail_unless (ok, "spawn %s: %s", cmd, err ? err->message : "");
  fail_unless (g_spawn_check_wait_status (status, NULL), "rvsim failed: %s",
      cmd);
  g_free (cmd);
  return TRUE;
}

static void
session_init (Session * ses)
{
  ses->dir = g_dir_make_tmp ("rv-e2e-XXXXXX", NULL);
  ses->pcap = g_build_filename (ses->dir, "session.pcap", NULL);
  ses->labels_path = g_build_filename (ses->dir, "session.jsonl", NULL);
  memset (&ses->labels, 0, sizeof ses->labels);
}

static void
session_clear (Session * ses)
{
  rvsim_labels_free (&ses->labels);
  g_unlink (ses->pcap);
  g_unlink (ses->labels_path);
  g_rmdir (ses->dir);
  g_free (ses->pcap);
  g_free (ses->labels_path);
  g_free (ses->dir);
}

static GstStructure *last_head_stats;

/* Decisions that depend on the frames alone, not on their timestamps: the
 * live run (sent SPEED times faster than real time) and its replay (the
 * capture's simulated timestamps) must then decide identically. The motion
 * detector works in stream time, so the gate is off here. */
#define TIMING_FREE "smoothing-time=0 hold-time=0 min-context=0 motion-gate=false"

/* The live pipeline: an unbounded queue right after the source keeps the
 * socket drained even when a slow (sanitizer) build lags behind. */
#define LIVE "rvcsisrc name=src port=0 address=127.0.0.1 stats-interval=0 ! " \
  "queue max-size-buffers=0 max-size-bytes=0 max-size-time=0 ! " \
  "rvtemporalhead name=head %s ! rvclassify name=cls " TIMING_FREE " ! " \
  "fakesink name=sink " \
  "sync=false async=false"

static GPtrArray *
run_live (Session * ses, Tally * tally, const gchar * head_props,
    const gchar * rvsim_extra, void (*during) (guint port, GstElement * src,
        gpointer),
    gpointer during_data, GstElement ** keep_src, GstElement ** keep_head)
{
  gchar *desc = g_strdup_printf (LIVE, head_props);
  GstElement *p = gst_parse_launch (desc, NULL);
  GstElement *src = gst_bin_get_by_name (GST_BIN (p), "src");
  GstElement *head = gst_bin_get_by_name (GST_BIN (p), "head");
  GstElement *sink = gst_bin_get_by_name (GST_BIN (p), "sink");
  GstPad *pad = gst_element_get_static_pad (sink, "sink");
  GstBus *bus = gst_element_get_bus (p);
  GPtrArray *changes = g_ptr_array_new_with_free_func (change_free);
  gint port = 0;

  fail_unless_equals_int (gst_element_set_state (p, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);
  g_object_get (src, "port", &port, NULL);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, tally_probe, tally,
      NULL);
  fail_if (gst_element_set_state (p, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  if (during)
    during ((guint) port, src, during_data);
  run_rvsim (ses, (guint) port, rvsim_extra);
  wait_drained (src, tally, 300, 300);
  collect_changes (bus, changes);
  /* while streams are still live (stop frees them) */
  g_clear_pointer (&last_head_stats, gst_structure_free);
  g_object_get (head, "stats", &last_head_stats, NULL);
  if (keep_src)
    *keep_src = gst_object_ref (src);
  if (keep_head)
    *keep_head = gst_object_ref (head);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (pad);
  gst_object_unref (sink);
  gst_object_unref (head);
  gst_object_unref (src);
  gst_object_unref (bus);
  gst_object_unref (p);
  g_free (desc);
  return changes;
}

static void
print_changes (const gchar * what, GPtrArray * ch)
{
  for (guint i = 0; i < ch->len; i++) {
    Change *c = g_ptr_array_index (ch, i);
    GST_INFO ("%s: node %u seq %u -> %s", what, c->node, c->seq, c->label);
  }
}

/* Plays the session's capture through rvcsiparse <parse_props> !
 * rvtemporalhead ! rvclassify <cls_props>; returns the decision changes. */
static GPtrArray *
replay_session (Session * ses, Tally * tally, const gchar * parse_props,
    const gchar * cls_props, guint64 * accepted)
{
  gchar *desc = g_strdup_printf ("filesrc location=%s ! pcapparse ! "
      "rvcsiparse name=parse %s ! rvtemporalhead ! rvclassify %s ! "
      "fakesink name=sink sync=false", ses->pcap, parse_props, cls_props);
  GstElement *p = gst_parse_launch (desc, NULL);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (p), "sink");
  GstPad *pad = gst_element_get_static_pad (sink, "sink");
  GstBus *bus = gst_element_get_bus (p);
  GPtrArray *changes = g_ptr_array_new_with_free_func (change_free);
  GstMessage *m;

  if (tally)
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, tally_probe, tally,
        NULL);
  gst_element_set_state (p, GST_STATE_PLAYING);
  /* timed_pop_filtered drops what the filter excludes: take decisions
   * (element messages) while waiting for EOS */
  while ((m = gst_bus_timed_pop_filtered (bus, 300 * GST_SECOND,
              GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_ELEMENT))) {
    GstMessageType type = GST_MESSAGE_TYPE (m);
    fail_if (type == GST_MESSAGE_ERROR, "replay error");
    if (type == GST_MESSAGE_ELEMENT)
      add_change (m, changes);
    gst_message_unref (m);
    if (type == GST_MESSAGE_EOS)
      break;
  }
  fail_unless (m != NULL, "replay did not finish");
  if (accepted) {
    GstElement *parse = gst_bin_get_by_name (GST_BIN (p), "parse");
    *accepted = stat_u64 (parse, "accepted");
    gst_object_unref (parse);
  }
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (pad);
  gst_object_unref (sink);
  gst_object_unref (bus);
  gst_object_unref (p);
  g_free (desc);
  return changes;
}

GST_START_TEST (test_live_accuracy_and_replay)
{
  Session ses;
  Tally tally = { 0 };
  GPtrArray *live, *replay;
  gchar err[256];
  double acc;
  guint per_node[N_NODES + 1] = { 0 };
  GstElement *live_src = NULL;
  guint64 live_accepted, replay_accepted = 0;

  session_init (&ses);
  g_mutex_init (&tally.lock);
  /* rvsim writes the labels during the live run; they are read after it
   * (the live probe only counts buffers). */
  live = run_live (&ses, &tally, "", NULL, NULL, NULL, &live_src, NULL);
  live_accepted = stat_u64 (live_src, "accepted");
  gst_object_unref (live_src);
  fail_unless_equals_int (rvsim_labels_read_file (ses.labels_path,
          &ses.labels, err, sizeof err), RVSIM_LABELS_OK);

  /* Replay the same session: with the live run's settings for the
   * comparison below, then with the default settings for the accuracy. */
  replay = replay_session (&ses, NULL, "", TIMING_FREE, &replay_accepted);
  tally.labels = &ses.labels;
  tally.replay = TRUE;
  g_ptr_array_unref (replay_session (&ses, &tally, "", "", NULL));

  for (guint a = 0; a < RVSIM_N_ACTIVITIES; a++) {
    GString *row = g_string_new (NULL);
    for (guint d = 0; d < 16; d++)
      if (tally.confusion[a][d])
        g_string_append_printf (row, " %u:%" G_GUINT64_FORMAT, d,
            tally.confusion[a][d]);
    g_print ("truth %-10s ->%s\n", rvsim_activity_name (a), row->str);
    g_string_free (row, TRUE);
  }
  print_changes ("live", live);
  print_changes ("replay", replay);
  acc = tally.frames ? (double) tally.correct / (double) tally.frames : 0.0;
  g_print ("e2e: %" G_GUINT64_FORMAT " classified frames, decision accuracy "
      "%.3f (threshold %.2f); without smoothing/hysteresis %u decision "
      "changes live, %u replayed\n", tally.frames, acc, MIN_ACCURACY,
      live->len, replay->len);
  fail_unless (tally.frames > N_NODES * RATE_HZ * DURATION_S / 2);
  fail_unless (acc >= MIN_ACCURACY, "accuracy %.3f below %.2f", acc,
      MIN_ACCURACY);

  /* Same packets first (a loss on the live side would make the decision
   * comparison meaningless), then same decisions. */
  fail_unless_equals_uint64 (live_accepted, replay_accepted);
  /* Same session, same decisions: identical change sequence per node. */
  fail_unless_equals_int (live->len, replay->len);
  for (guint i = 0; i < live->len; i++) {
    Change *a = g_ptr_array_index (live, i), *b = NULL;
    guint k = 0;
    /* messages of different nodes may interleave differently: compare the
     * k-th change of each node */
    for (guint j = 0; j < i; j++)
      if (((Change *) g_ptr_array_index (live, j))->node == a->node)
        k++;
    for (guint j = 0, seen = 0; j < replay->len; j++) {
      Change *c = g_ptr_array_index (replay, j);
      if (c->node == a->node && seen++ == k) {
        b = c;
        break;
      }
    }
    fail_unless (b != NULL);
    fail_unless_equals_int (a->seq, b->seq);
    fail_unless_equals_string (a->label, b->label);
    if (a->node <= N_NODES)
      per_node[a->node]++;
  }
  for (guint n = 1; n <= N_NODES; n++)
    fail_unless (per_node[n] >= 3, "node %u changed decision %u times", n,
        per_node[n]);

  g_ptr_array_unref (live);
  g_ptr_array_unref (replay);
  g_mutex_clear (&tally.lock);
  session_clear (&ses);
}

GST_END_TEST;

/* Hostile traffic sent from a thread while rvsim plays the session with
 * 20% loss, reordering, duplicates and a node reboot. */
typedef struct
{
  guint port;
  GstElement *src;
  GThread *thread;
} Hostile;

static gpointer
hostile_thread (gpointer data)
{
  Hostile *h = data;
  GSocket *s = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
      G_SOCKET_PROTOCOL_UDP, NULL);
  GInetAddress *lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *to = g_inet_socket_address_new (lo, (guint16) h->port);
  GRand *r = g_rand_new_with_seed (99);
  guint8 pkt[600];
  int8_t iq[128];

  memset (iq, 5, sizeof iq);
  /* Start once the legitimate nodes are streaming (bounded wait): the
   * test shows that established streams survive the flood. */
  for (guint w = 0; w < 3000 && stat_u64 (h->src, "accepted") < 400; w++)
    g_usleep (10 * 1000);
  for (guint i = 0; i < 10000; i++) {
    gsize n = 0;
    switch (i % 4) {
      case 0:                  /* random bytes */
        n = (gsize) g_rand_int_range (r, 0, sizeof pkt);
        for (gsize k = 0; k < n; k++)
          pkt[k] = (guint8) g_rand_int (r);
        break;
      case 1:{                 /* truncated raw CSI */
        rv_csi_frame f = { 0 };
        size_t w = 0;
        f.node_id = 1;
        f.n_antennas = 1;
        f.n_subcarriers = 64;
        f.iq = iq;
        rv_csi_frame_encode (&f, pkt, sizeof pkt, &w);
        n = (gsize) g_rand_int_range (r, 0, (gint) w);
        break;
      }
      case 2:{                 /* feature state with a wrong CRC */
        rv_feature_state st = { 0 };
        size_t w = 0;
        st.node_id = 2;
        rv_feature_state_encode (&st, pkt, sizeof pkt, &w);
        pkt[w - 1] ^= 0x5a;
        n = w;
        break;
      }
      default:{                /* valid frame from a spoofed node id */
        rv_csi_frame f = { 0 };
        size_t w = 0;
        f.node_id = (uint8_t) (10 + i % 246);
        f.n_antennas = 1;
        f.n_subcarriers = 64;
        f.seq = i;
        f.iq = iq;
        rv_csi_frame_encode (&f, pkt, sizeof pkt, &w);
        n = w;
        break;
      }
    }
    g_socket_send_to (s, to, (const gchar *) pkt, n, NULL, NULL);
    if (i % 100 == 99)
      g_usleep (10 * 1000);     /* spread over the session (~1 s of 20 s) */
  }
  g_rand_free (r);
  g_object_unref (to);
  g_object_unref (lo);
  g_object_unref (s);
  return NULL;
}

static void
start_hostile (guint port, GstElement * src, gpointer data)
{
  Hostile *h = data;
  h->port = port;
  h->src = src;
  h->thread = g_thread_new ("hostile", hostile_thread, h);
}

GST_START_TEST (test_hostile_session)
{
  Session ses;
  Tally tally = { 0 };
  Hostile hostile = { 0 };
  GPtrArray *live;
  GstElement *src = NULL, *head = NULL;
  GstStructure *hs = NULL;
  guint streams = 0;
  guint per_node[N_NODES + 1] = { 0 };

  session_init (&ses);
  g_mutex_init (&tally.lock);
  live = run_live (&ses, &tally, "max-streams=64", "--loss 0.2 --reorder 0.05 --dup 0.02 "
      "--reboot-at 40:2", start_hostile, &hostile, &src, &head);
  g_thread_join (hostile.thread);

  fail_unless (stat_u64 (src, "dropped-magic") + stat_u64 (src,
          "dropped-truncated") + stat_u64 (src, "dropped-length") > 2000);
  fail_unless (stat_u64 (src, "dropped-crc") >= 2000);
  hs = gst_structure_copy (last_head_stats);
  fail_unless (gst_structure_get_uint (hs, "streams", &streams));
  /* the spoofed ids filled the table up to max-streams and no further
   * (refused > 0 below); the legitimate nodes, there first, kept their
   * streams (refuse policy); spoofed ids that went silent were reported
   * offline by the source and their streams freed */
  fail_unless (streams >= N_NODES && streams <= 64, "%u streams", streams);
  {
    guint64 refused = 0, reboots = 0, late = 0, dups = 0;
    fail_unless (gst_structure_get_uint64 (hs, "skipped-refused", &refused));
    fail_unless (gst_structure_get_uint64 (hs, "resets-reboot", &reboots));
    fail_unless (gst_structure_get_uint64 (hs, "skipped-reordered", &late));
    fail_unless (gst_structure_get_uint64 (hs, "skipped-duplicate", &dups));
    fail_unless (refused > 0);
    /* node 2's reboot restarted its stream; reordered/duplicate frames
     * were counted, not fed to the model */
    fail_unless (reboots >= 1);
    fail_unless (late > 0);
    fail_unless (dups > 0);
  }
  /* the loss shows as per-node sequence gaps in the source's stats */
  {
    GstStructure *ss = NULL;
    const GValue *nodes;
    guint64 gaps = 0;
    g_object_get (src, "stats", &ss, NULL);
    nodes = gst_structure_get_value (ss, "nodes");
    for (guint i = 0; i < gst_value_array_get_size (nodes); i++) {
      const GstStructure *n =
          gst_value_get_structure (gst_value_array_get_value (nodes, i));
      guint id = 0;
      guint64 g = 0;
      gst_structure_get_uint (n, "id", &id);
      gst_structure_get_uint64 (n, "seq-skipped", &g);
      if (id >= 1 && id <= N_NODES)
        gaps += g;
    }
    fail_unless (gaps > N_NODES * RATE_HZ * DURATION_S / 10, "gaps %"
        G_GUINT64_FORMAT, gaps);
    gst_structure_free (ss);
  }
  {
    gchar *txt = gst_structure_to_string (hs);
    g_print ("e2e hostile: src %" G_GUINT64_FORMAT " received, %"
        G_GUINT64_FORMAT " dropped; head: %s\n", stat_u64 (src, "received"),
        stat_u64 (src, "dropped"), txt);
    g_free (txt);
  }
  gst_structure_free (hs);
  for (guint i = 0; i < live->len; i++) {
    Change *c = g_ptr_array_index (live, i);
    if (c->node >= 1 && c->node <= N_NODES)
      per_node[c->node]++;
  }
  /* The legitimate nodes kept being classified through the attack: at
   * least half of what survived 20% loss, and each reached a decision. */
  for (guint n = 1; n <= N_NODES; n++) {
    guint64 expect = (guint64) (RATE_HZ * DURATION_S * 0.8 * 0.5);
    fail_unless (tally.classified[n] >= expect, "node %u: %" G_GUINT64_FORMAT
        " frames classified, want >= %" G_GUINT64_FORMAT, n,
        tally.classified[n], expect);
    fail_unless (per_node[n] >= 1, "node %u: no decision", n);
  }

  gst_object_unref (src);
  gst_object_unref (head);
  g_ptr_array_unref (live);
  g_clear_pointer (&last_head_stats, gst_structure_free);
  g_mutex_clear (&tally.lock);
  session_clear (&ses);
}

GST_END_TEST;

/* Nodes that send only feature-state packets (0xC5110006, ~5 Hz) are
 * classified by the built-in feature-state model. */
GST_START_TEST (test_feature_state_replay)
{
  Session ses;
  Tally tally = { 0 };
  const gchar *rvsim = g_getenv ("RVSIM");
  gchar *cmd, err[256];
  gint status = -1;
  GPtrArray *changes;
  double acc;

  session_init (&ses);
  g_mutex_init (&tally.lock);
  fail_unless (rvsim != NULL);
  cmd = g_strdup_printf ("%s --nodes %d --duration %d --seed 11 --scenario "
      "demo --feature-state --pcap %s --labels %s --quiet", rvsim, N_NODES,
      DURATION_S, ses.pcap, ses.labels_path);
  fail_unless (g_spawn_command_line_sync (cmd, NULL, NULL, &status, NULL));
  fail_unless (g_spawn_check_wait_status (status, NULL));
  fail_unless_equals_int (rvsim_labels_read_file (ses.labels_path,
          &ses.labels, err, sizeof err), RVSIM_LABELS_OK);
  tally.labels = &ses.labels;
  tally.replay = TRUE;

  changes = replay_session (&ses, &tally, "kinds=feature-state", "", NULL);
  acc = tally.frames ? (double) tally.correct / (double) tally.frames : 0.0;
  g_print ("e2e feature-state: %" G_GUINT64_FORMAT " classified packets, "
      "decision accuracy %.3f (threshold %.2f), %u decision changes\n",
      tally.frames, acc, MIN_ACCURACY_STATE, changes->len);
  /* ~5 Hz per node over the session, most of them with a decision */
  fail_unless (tally.frames > N_NODES * 5 * DURATION_S / 2);
  fail_unless (acc >= MIN_ACCURACY_STATE, "accuracy %.3f", acc);
  fail_unless (changes->len >= N_NODES);

  g_ptr_array_unref (changes);
  g_free (cmd);
  g_mutex_clear (&tally.lock);
  session_clear (&ses);
}

GST_END_TEST;

static Suite *
e2e_suite (void)
{
  Suite *s = suite_create ("e2e");
  TCase *tc = tcase_create ("pipeline");

  tcase_set_timeout (tc, 600);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_live_accuracy_and_replay);
  tcase_add_test (tc, test_hostile_session);
  tcase_add_test (tc, test_feature_state_replay);
  return s;
}

GST_CHECK_MAIN (e2e);
