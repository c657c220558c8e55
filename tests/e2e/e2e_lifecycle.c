/*
 * e2e_lifecycle.c — node lifecycle end to end at 20 Hz: rvsim's crash
 * loop, reboot and channel-hop options written to a capture, replayed
 * through rvcsiparse ! rvtemporalhead ! rvclassify (built-in models,
 * default min-context of 2 s). No decision is ever stale: after every
 * restart a stream that had a decision reads "unknown", no real decision
 * comes before min-context, and every boot is classified.
 */
#include <gst/check/gstcheck.h>
#include <glib/gstdio.h>
#include <math.h>

#include "rvsim.h"
#include "rvsim_pcap.h"

#define RATE_HZ 20
#define MIN_CONTEXT_S 2.0
/* one frame at 20 Hz plus rvsim's timing jitter */
#define SLACK_S 0.08

typedef struct
{
  guint node;
  gchar *label;
  gchar *reason;
  gdouble t;                    /* running time, s */
} Msg;

typedef struct
{
  GPtrArray *msgs;
  GstStructure *head_stats;
  guint64 csi_packets;
} Run;

static void
msg_free (gpointer p)
{
  Msg *m = p;
  g_free (m->label);
  g_free (m->reason);
  g_free (m);
}

/* Writes the session to a capture; returns the raw CSI packets written. */
static guint64
write_capture (const rvsim_config * cfg, const gchar * path)
{
  char err[160] = "";
  rvsim_session *s = rvsim_session_new (cfg, err, sizeof err);
  int st = 0;
  rvsim_pcap_writer *w = rvsim_pcap_writer_open (path, &st);
  rvsim_packet p;
  guint64 n = 0;

  fail_unless (s != NULL, "rvsim: %s", err);
  fail_unless (w != NULL, "pcap: %s", rvsim_pcap_status_str (st));
  while (rvsim_session_next (s, &p)) {
    fail_unless_equals_int (rvsim_pcap_write_udp (w, p.t, p.node, p.data,
            p.len), RVSIM_PCAP_OK);
    n += p.magic == 0xC5110001u;
  }
  fail_unless_equals_int (rvsim_pcap_writer_close (w), RVSIM_PCAP_OK);
  rvsim_session_free (s);
  return n;
}

static Run
replay (const rvsim_config * cfg)
{
  gchar *dir = g_dir_make_tmp ("rv-lifecycle-XXXXXX", NULL);
  gchar *pcap = g_build_filename (dir, "s.pcap", NULL);
  gchar *desc;
  GstElement *p, *head;
  GstBus *bus;
  GstMessage *m;
  Run r = { g_ptr_array_new_with_free_func (msg_free), NULL, 0 };

  r.csi_packets = write_capture (cfg, pcap);
  desc = g_strdup_printf ("filesrc location=%s ! pcapparse ! rvcsiparse ! "
      "rvtemporalhead name=head ! rvclassify ! fakesink sync=false", pcap);
  p = gst_parse_launch (desc, NULL);
  fail_unless (p != NULL);
  bus = gst_element_get_bus (p);
  gst_element_set_state (p, GST_STATE_PLAYING);
  while ((m = gst_bus_timed_pop_filtered (bus, 120 * GST_SECOND,
              GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_ELEMENT))) {
    const GstStructure *s = gst_message_get_structure (m);
    gboolean eos = GST_MESSAGE_TYPE (m) == GST_MESSAGE_EOS;

    fail_if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ERROR, "pipeline error");
    if (s && gst_structure_has_name (s, "rvclassify")) {
      Msg *x = g_new0 (Msg, 1);
      guint64 ts = 0;
      gst_structure_get_uint (s, "node", &x->node);
      gst_structure_get_uint64 (s, "timestamp", &ts);
      x->t = (gdouble) ts / GST_SECOND;
      x->label = g_strdup (gst_structure_get_string (s, "label"));
      x->reason = g_strdup (gst_structure_get_string (s, "reason"));
      g_ptr_array_add (r.msgs, x);
    }
    gst_message_unref (m);
    if (eos)
      break;
  }
  fail_unless (m != NULL, "replay did not finish");
  head = gst_bin_get_by_name (GST_BIN (p), "head");
  g_object_get (head, "stats", &r.head_stats, NULL);
  gst_object_unref (head);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (p);
  g_unlink (pcap);
  g_rmdir (dir);
  g_free (pcap);
  g_free (dir);
  g_free (desc);
  return r;
}

static void
run_clear (Run * r)
{
  g_ptr_array_unref (r->msgs);
  gst_structure_free (r->head_stats);
}

static guint64
head_stat (const Run * r, const gchar * f)
{
  guint64 v = G_MAXUINT64;
  fail_unless (gst_structure_get_uint64 (r->head_stats, f, &v), "%s", f);
  return v;
}

static gboolean
is_real (const Msg * m)
{
  return g_strcmp0 (m->label, "unknown") != 0 &&
      g_strcmp0 (m->label, "offline") != 0;
}

static void
base_config (rvsim_config * c, guint nodes, gdouble duration)
{
  rvsim_config_default (c);
  c->n_nodes = nodes;
  c->rate_hz = RATE_HZ;
  c->duration_s = duration;
  c->seed = 11;
  c->scenario = "demo";
}

/* Node 1 crash-loops with 2.5 s boots (longer than min-context), node 2
 * reboots once (2 s down), node 3 is healthy. */
GST_START_TEST (test_crash_loop_and_reboot)
{
  rvsim_config c;
  Run r;
  guint boots_with_decision = 0, last_boot = G_MAXUINT;
  const gdouble period = 2.5;

  base_config (&c, 3, 30.0);
  c.crash_loop_s = period;
  c.crash_loop_node = 1;
  c.reboot_at_s = 10.0;
  c.reboot_node = 2;
  r = replay (&c);

  /* every boot of node 1 (11 restarts) and node 2's reboot restarted the
   * stream; nothing was thrown away as late */
  fail_unless_equals_uint64 (head_stat (&r, "resets-reboot"), 11 + 1);
  fail_unless_equals_uint64 (head_stat (&r, "skipped-reordered"), 0);
  fail_unless_equals_uint64 (head_stat (&r, "skipped-duplicate"), 0);
  fail_unless_equals_uint64 (head_stat (&r, "frames"), r.csi_packets);

  for (guint i = 0; i < r.msgs->len; i++) {
    Msg *m = g_ptr_array_index (r.msgs, i);
    gdouble phase = fmod (m->t, period);
    guint boot = (guint) floor ((m->t + SLACK_S) / period);

    GST_INFO ("node %u %.3f s %s (%s)", m->node, m->t, m->label,
        m->reason ? m->reason : "");
    if (m->node != 1 || !g_strcmp0 (m->label, "offline"))
      continue;
    if (is_real (m)) {
      /* never before min-context in its boot */
      fail_unless (phase >= MIN_CONTEXT_S - SLACK_S, "%s at %.3f s", m->label,
          m->t);
      if (boot != last_boot)
        boots_with_decision++;
      last_boot = boot;
    } else {
      /* "unknown" comes with a restart, at a boot's first frame */
      fail_unless (phase < SLACK_S || phase > period - SLACK_S,
          "unknown at %.3f s", m->t);
      fail_unless_equals_string (m->reason, "reboot");
    }
  }
  /* no label outlives its boot: after a real decision of node 1, the
   * next message of node 1 is "unknown" at the next boot (or offline) */
  for (guint i = 0; i < r.msgs->len; i++) {
    Msg *m = g_ptr_array_index (r.msgs, i), *next = NULL;
    if (m->node != 1 || !is_real (m))
      continue;
    for (guint j = i + 1; j < r.msgs->len && !next; j++)
      if (((Msg *) g_ptr_array_index (r.msgs, j))->node == 1)
        next = g_ptr_array_index (r.msgs, j);
    fail_unless (next != NULL, "%s at %.3f s never cleared", m->label, m->t);
    fail_unless (!is_real (next) ||
        floor ((next->t + SLACK_S) / period) == floor ((m->t + SLACK_S) /
            period), "%s at %.3f s then %s at %.3f s", m->label, m->t,
        next->label, next->t);
  }
  /* classified in (almost) every boot, not only the first */
  fail_unless (boots_with_decision >= 6, "decisions in %u of 12 boots",
      boots_with_decision);
  g_print ("e2e lifecycle: node 1 crash-looping every %.1f s: decisions in "
      "%u of 12 boots; %" G_GUINT64_FORMAT " stream restarts\n", period,
      boots_with_decision, head_stat (&r, "resets-reboot"));
  run_clear (&r);
}

GST_END_TEST;

/* Boots shorter than min-context: the node never has a decision, so it
 * never shows a label at all (and no stale one). */
GST_START_TEST (test_short_boots_never_decide)
{
  rvsim_config c;
  Run r;

  base_config (&c, 2, 15.0);
  c.crash_loop_s = 1.5;
  c.crash_loop_node = 0;        /* every node */
  c.boot_time_s = 0.2;
  r = replay (&c);
  fail_unless (head_stat (&r, "resets-reboot") >= 2 * 8);
  for (guint i = 0; i < r.msgs->len; i++) {
    Msg *m = g_ptr_array_index (r.msgs, i);
    fail_unless_equals_string (m->label, "offline");
  }
  run_clear (&r);
}

GST_END_TEST;

/* Channel hops every 4 s: each restarts the stream (resets-channel) and a
 * stream that had a decision reads "unknown" with reason "channel". */
GST_START_TEST (test_channel_hops)
{
  rvsim_config c;
  Run r;
  guint unknown = 0;

  base_config (&c, 2, 20.0);
  c.channel_hop_s = 4.0;
  r = replay (&c);
  fail_unless_equals_uint64 (head_stat (&r, "resets-channel"), 2 * 4);
  for (guint i = 0; i < r.msgs->len; i++) {
    Msg *m = g_ptr_array_index (r.msgs, i);
    gdouble phase = fmod (m->t, 4.0);
    if (!g_strcmp0 (m->label, "unknown")) {
      fail_unless_equals_string (m->reason, "channel");
      unknown++;
    } else if (is_real (m)) {
      fail_unless (phase >= MIN_CONTEXT_S - SLACK_S, "%s at %.3f s",
          m->label, m->t);
    }
  }
  fail_unless (unknown >= 2, "%u unknown", unknown);
  run_clear (&r);
}

GST_END_TEST;

static Suite *
lifecycle_suite (void)
{
  Suite *s = suite_create ("e2e_lifecycle");
  TCase *tc = tcase_create ("lifecycle");

  tcase_set_timeout (tc, 300);
  tcase_add_test (tc, test_crash_loop_and_reboot);
  tcase_add_test (tc, test_short_boots_never_decide);
  tcase_add_test (tc, test_channel_hops);
  suite_add_tcase (s, tc);
  return s;
}

GST_CHECK_MAIN (lifecycle);
