/* rvcsiparse element tests: validation, meta, pcap replay via pcapparse. */
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>

#include "gstrvcsimeta.h"
#include "gstrvnodeevent.h"
#include "rvtestutil.h"

static GstBuffer *
packet_buffer (const guint8 * data, gsize len, GstClockTime dts)
{
  GstBuffer *b = gst_buffer_new_memdup (data, len);
  GST_BUFFER_DTS (b) = dts;
  return b;
}

GST_START_TEST (test_validate_and_meta)
{
  GstHarness *h = gst_harness_new ("rvcsiparse");
  guint8 pkt[512];
  gsize n;
  GstBuffer *out;
  GstRvCsiPacketMeta *m;

  gst_harness_set_src_caps_str (h, "application/x-rvcsi");
  n = rvt_csi_frame (7, 100, 0, pkt, sizeof pkt);
  fail_unless_equals_int (gst_harness_push (h, packet_buffer (pkt, n,
              GST_SECOND)), GST_FLOW_OK);
  n = rvt_feature_state (7, 3, pkt, sizeof pkt);
  pkt[59] ^= 1;                 /* CRC */
  fail_unless_equals_int (gst_harness_push (h, packet_buffer (pkt, n,
              2 * GST_SECOND)), GST_FLOW_OK);
  n = rvt_csi_frame (7, 104, 0, pkt, sizeof pkt);
  fail_unless_equals_int (gst_harness_push (h, packet_buffer (pkt, n,
              3 * GST_SECOND)), GST_FLOW_OK);

  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 2);
  out = gst_harness_pull (h);
  m = gst_rv_buffer_get_csi_packet_meta (out);
  fail_unless (m != NULL);
  fail_unless_equals_int (m->node_id, 7);
  fail_unless_equals_int (m->seq, 100);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (out), GST_SECOND);
  fail_unless_equals_uint64 (m->arrival, GST_SECOND);
  fail_unless_equals_int (m->src_family, G_SOCKET_FAMILY_INVALID);
  fail_unless (gst_rv_csi_packet_meta_get_address (m) == NULL);
  gst_buffer_unref (out);
  out = gst_harness_pull (h);
  m = gst_rv_buffer_get_csi_packet_meta (out);
  fail_unless_equals_int (m->seq_gap, 3);
  gst_buffer_unref (out);

  fail_unless_equals_uint64 (rvt_stat (h->element, "dropped-crc"), 1);
  fail_unless_equals_uint64 (rvt_stat (h->element, "accepted"), 2);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_sequence_backward_and_duplicate)
{
  GstHarness *h = gst_harness_new ("rvcsiparse");
  /* 20 Hz; the duplicate and the reordered packet arrive just after the
   * packet before them, the reboot one period later */
  guint32 seqs[] = { 1000, 1001, 1001, 999, 1002, 5 };
  guint ms[] = { 0, 50, 51, 52, 100, 150 };
  guint16 want_flags[] = { GST_RV_CSI_PACKET_FLAG_FIRST, 0,
    GST_RV_CSI_PACKET_FLAG_DUPLICATE, GST_RV_CSI_PACKET_FLAG_SEQ_BACKWARD, 0,
    GST_RV_CSI_PACKET_FLAG_SEQ_RESET
  };
  guint8 pkt[512];

  gst_harness_set_src_caps_str (h, "application/x-rvcsi");
  for (guint i = 0; i < G_N_ELEMENTS (seqs); i++) {
    gsize n = rvt_csi_frame (1, seqs[i], 0, pkt, sizeof pkt);
    GstBuffer *out;
    GstRvCsiPacketMeta *m;

    gst_harness_push (h, packet_buffer (pkt, n, ms[i] * GST_MSECOND));
    out = gst_harness_pull (h);
    m = gst_rv_buffer_get_csi_packet_meta (out);
    fail_unless_equals_int (m->flags, want_flags[i]);
    fail_unless_equals_int (m->seq_gap, 0);
    gst_buffer_unref (out);
  }
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Pushes one CSI frame of `node` at `t`; pulls it. */
static void
push_node (GstHarness * h, guint8 node, guint32 seq, GstClockTime t)
{
  guint8 pkt[512];
  gsize n = rvt_csi_frame (node, seq, 0, pkt, sizeof pkt);

  fail_unless_equals_int (gst_harness_push (h, packet_buffer (pkt, n, t)),
      GST_FLOW_OK);
  gst_buffer_unref (gst_harness_pull (h));
}

/* The next rvcsi-node event downstream, if any (others are skipped). */
static gboolean
next_node_event (GstHarness * h, guint * node, gboolean * online,
    GstClockTime * t)
{
  GstEvent *ev;

  while ((ev = gst_harness_try_pull_event (h))) {
    gboolean is = gst_rv_node_event_parse (ev, node, online, t);
    gst_event_unref (ev);
    if (is)
      return TRUE;
  }
  return FALSE;
}

/* A copy of node `id`'s structure in the stats (NULL: not listed). */
static GstStructure *
node_struct (GstElement * e, guint id)
{
  GstStructure *st, *found = NULL;
  const GValue *nodes;

  g_object_get (e, "stats", &st, NULL);
  nodes = gst_structure_get_value (st, "nodes");
  for (guint i = 0; i < gst_value_array_get_size (nodes) && !found; i++) {
    const GstStructure *n =
        gst_value_get_structure (gst_value_array_get_value (nodes, i));
    guint nid = 0;
    gst_structure_get_uint (n, "id", &nid);
    if (nid == id)
      found = gst_structure_copy (n);
  }
  gst_structure_free (st);
  return found;
}

static guint64
node_stat (GstElement * e, guint id, const gchar * field)
{
  GstStructure *n = node_struct (e, id);
  guint64 v = G_MAXUINT64;

  if (n) {
    gst_structure_get_uint64 (n, field, &v);
    gst_structure_free (n);
  }
  return v;
}

static gboolean
node_online (GstElement * e, guint id)
{
  GstStructure *n = node_struct (e, id);
  gboolean online = FALSE;

  if (n) {
    gst_structure_get_boolean (n, "online", &online);
    gst_structure_free (n);
  }
  return online;
}

/* A silent node goes offline when later packets (of other nodes) show its
 * offline time has passed: max(5 s, 5 intervals), dated when it ran out;
 * it is back with its next packet; at EOS every node still online goes. */
GST_START_TEST (test_silent_node_offline_and_back)
{
  GstHarness *h = gst_harness_new ("rvcsiparse");
  GstClockTime t = 0, period = 50 * GST_MSECOND;
  guint32 seq1 = 0, seq2 = 0, seq3 = 0;
  guint node = 0;
  gboolean online = TRUE;
  GstClockTime when = 0;

  gst_harness_set_src_caps_str (h, "application/x-rvcsi");
  /* nodes 1 and 2 at 20 Hz, node 3 every 2 s (offline after 10 s) */
  for (; t < 2 * GST_SECOND; t += period) {
    push_node (h, 1, seq1++, t);
    push_node (h, 2, seq2++, t);
    if (t == 0)
      push_node (h, 3, seq3++, t);
  }
  fail_unless (node_online (h->element, 2));
  fail_unless (!next_node_event (h, &node, &online, &when));
  /* node 2 stops at 2 s, node 3 after its second packet; node 1 goes on */
  for (; t < 6950 * GST_MSECOND; t += period) {
    push_node (h, 1, seq1++, t);
    if (t == 2 * GST_SECOND)
      push_node (h, 3, seq3++, t);
    fail_if (next_node_event (h, &node, &online, &when),
        "node %u at %" GST_TIME_FORMAT, node, GST_TIME_ARGS (t));
  }
  push_node (h, 1, seq1++, t);
  fail_unless (next_node_event (h, &node, &online, &when));
  fail_unless_equals_int (node, 2);
  fail_unless (!online);
  fail_unless_equals_uint64 (when, 1950 * GST_MSECOND + 5 * GST_SECOND);
  fail_unless (!node_online (h->element, 2));
  fail_unless (node_online (h->element, 3));
  /* node 3's offline time is 5 of its 2 s intervals: 10 s after 2 s */
  for (t += period; t < 12 * GST_SECOND; t += period)
    push_node (h, 1, seq1++, t);
  fail_unless (!next_node_event (h, &node, &online, &when));
  push_node (h, 1, seq1++, t);
  fail_unless (next_node_event (h, &node, &online, &when));
  fail_unless_equals_int (node, 3);
  fail_unless_equals_uint64 (when, 12 * GST_SECOND);
  /* node 2 is back */
  push_node (h, 2, seq2++, t);
  fail_unless (next_node_event (h, &node, &online, &when));
  fail_unless_equals_int (node, 2);
  fail_unless (online);
  fail_unless_equals_uint64 (when, t);
  fail_unless (node_online (h->element, 2));
  /* end of the capture: nodes 1 and 2 are gone */
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  fail_unless (next_node_event (h, &node, &online, &when));
  fail_unless_equals_int (node, 1);
  fail_unless (!online);
  fail_unless (next_node_event (h, &node, &online, &when));
  fail_unless_equals_int (node, 2);
  fail_unless (!online);
  {
    GstStructure *st;
    guint n_online = 9;
    g_object_get (h->element, "stats", &st, NULL);
    fail_unless (gst_structure_get_uint (st, "nodes-online", &n_online));
    fail_unless_equals_int (n_online, 0);
    gst_structure_free (st);
  }
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A node that is silent for its offline time and then sends again, with no
 * other node in between, is reported offline and back in that order. */
GST_START_TEST (test_offline_found_by_own_packet)
{
  GstHarness *h = gst_harness_new ("rvcsiparse");
  guint node = 0;
  gboolean online = TRUE;
  GstClockTime when = 0;

  gst_harness_set_src_caps_str (h, "application/x-rvcsi");
  for (guint i = 0; i < 20; i++)
    push_node (h, 4, i, i * 100 * GST_MSECOND);
  push_node (h, 4, 20, 30 * GST_SECOND);
  fail_unless (next_node_event (h, &node, &online, &when));
  fail_unless (node == 4 && !online);
  fail_unless_equals_uint64 (when, 1900 * GST_MSECOND + 5 * GST_SECOND);
  fail_unless (next_node_event (h, &node, &online, &when));
  fail_unless (node == 4 && online);
  fail_unless_equals_uint64 (when, 30 * GST_SECOND);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Pushes one packet (raw CSI with a u32 sequence, or feature state with a
 * u16 one) at t and returns its meta's flags; *gap gets its seq_gap. */
static guint
push_seq (GstHarness * h, gboolean state, guint32 seq, GstClockTime t,
    guint32 * gap)
{
  guint8 pkt[512];
  gsize n = state ? rvt_feature_state (5, (guint16) seq, pkt, sizeof pkt) :
      rvt_csi_frame (5, seq, 0, pkt, sizeof pkt);
  GstBuffer *out;
  GstRvCsiPacketMeta *m;
  guint flags;

  fail_unless_equals_int (gst_harness_push (h, packet_buffer (pkt, n, t)),
      GST_FLOW_OK);
  out = gst_harness_pull (h);
  m = gst_rv_buffer_get_csi_packet_meta (out);
  flags = m->flags;
  *gap = m->seq_gap;
  gst_buffer_unref (out);
  return flags;
}

/* u16 (feature state) and u32 (raw CSI) sequences wrap around in order,
 * and a loss burst across the wrap is a gap, not a reboot, at 1, 20 and
 * 100 Hz. */
GST_START_TEST (test_wraparound_and_loss_bursts)
{
  static const guint rates[] = { 1, 20, 100 };

  for (guint r = 0; r < G_N_ELEMENTS (rates); r++)
    for (guint state = 0; state < 2; state++) {
      GstHarness *h = gst_harness_new ("rvcsiparse");
      GstClockTime period = GST_SECOND / rates[r], t = 0;
      guint32 top = state ? 0xffff : 0xffffffff, seq = top - 4, gap = 0;
      guint64 skipped = 0;

      gst_harness_set_src_caps_str (h, "application/x-rvcsi");
      fail_unless_equals_int (push_seq (h, state, seq, t, &gap),
          GST_RV_CSI_PACKET_FLAG_FIRST);
      for (guint i = 0; i < 10; i++) {
        seq = (seq + 1) & top;
        t += period;
        fail_unless_equals_int (push_seq (h, state, seq, t, &gap), 0);
        fail_unless_equals_int (gap, 0);
      }
      /* bursts of 3, 10 and 2 s worth of lost packets */
      for (guint b = 0; b < 3; b++) {
        guint lost = b == 0 ? 3 : b == 1 ? 10 : 2 * rates[r];
        seq = (seq + lost + 1) & top;
        t += (lost + 1) * period;
        fail_unless_equals_int (push_seq (h, state, seq, t, &gap), 0);
        fail_unless_equals_int (gap, lost);
        skipped += lost;
      }
      fail_unless_equals_uint64 (node_stat (h->element, 5, "seq-skipped"),
          skipped);
      fail_unless_equals_uint64 (node_stat (h->element, 5, "reboots"), 0);
      gst_harness_teardown (h);
    }
}

GST_END_TEST;

/* A classic pcap (microsecond, Ethernet) of UDP datagrams to port 5005. */
static GByteArray *
make_pcap (guint n_frames, guint invalid_every)
{
  GByteArray *a = g_byte_array_new ();
  guint8 hdr[24] = { 0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0xff, 0xff, 0, 0, 1, 0, 0, 0
  };

  g_byte_array_append (a, hdr, sizeof hdr);
  for (guint i = 0; i < n_frames; i++) {
    guint8 pkt[512], rec[16], eth[14] = { 0 }, ip[20] = { 0 }, udp[8];
    gsize n = rvt_csi_frame (2, i, 0, pkt, sizeof pkt);
    guint32 ts_us = 10000u * i, caplen;

    if (invalid_every && i % invalid_every == invalid_every - 1)
      pkt[30] ^= 0x55, n -= 10;     /* length now disagrees with header */
    caplen = (guint32) (14 + 20 + 8 + n);
    GST_WRITE_UINT32_LE (rec, 1700000000u + ts_us / 1000000u);
    GST_WRITE_UINT32_LE (rec + 4, ts_us % 1000000u);
    GST_WRITE_UINT32_LE (rec + 8, caplen);
    GST_WRITE_UINT32_LE (rec + 12, caplen);
    eth[12] = 0x08;
    ip[0] = 0x45;
    GST_WRITE_UINT16_BE (ip + 2, 20 + 8 + n);
    ip[8] = 64;
    ip[9] = 17;
    ip[12] = 192, ip[13] = 168, ip[14] = 1, ip[15] = 2;
    ip[16] = 192, ip[17] = 168, ip[18] = 1, ip[19] = 1;
    GST_WRITE_UINT16_BE (udp, 40000);
    GST_WRITE_UINT16_BE (udp + 2, 5005);
    GST_WRITE_UINT16_BE (udp + 4, 8 + n);
    GST_WRITE_UINT16_BE (udp + 6, 0);
    g_byte_array_append (a, rec, 16);
    g_byte_array_append (a, eth, 14);
    g_byte_array_append (a, ip, 20);
    g_byte_array_append (a, udp, 8);
    g_byte_array_append (a, pkt, n);
  }
  return a;
}

GST_START_TEST (test_pcap_replay)
{
  GstHarness *h = gst_harness_new_parse ("pcapparse ! rvcsiparse");
  GByteArray *pcap = make_pcap (50, 10);
  GstBuffer *in = gst_buffer_new_memdup (pcap->data, pcap->len);
  GstClockTime t0 = GST_CLOCK_TIME_NONE;
  guint got = 0;

  gst_harness_set_src_caps_str (h, "raw/x-pcap");
  fail_unless_equals_int (gst_harness_push (h, in), GST_FLOW_OK);
  gst_harness_push_event (h, gst_event_new_eos ());

  while (gst_harness_buffers_in_queue (h)) {
    GstBuffer *b = gst_harness_pull (h);
    GstRvCsiPacketMeta *m = gst_rv_buffer_get_csi_packet_meta (b);
    fail_unless (m != NULL);
    fail_unless_equals_int (m->node_id, 2);
    if (!GST_CLOCK_TIME_IS_VALID (t0))
      t0 = GST_BUFFER_PTS (b);
    /* capture timing preserved: 10 ms per frame */
    fail_unless_equals_uint64 (GST_BUFFER_PTS (b) - t0,
        m->seq * 10 * GST_MSECOND);
    got++;
    gst_buffer_unref (b);
  }
  fail_unless_equals_int (got, 45);
  {
    GstElement *e = gst_harness_find_element (h, "rvcsiparse");
    fail_unless_equals_uint64 (rvt_stat (e, "dropped-length"), 5);
    gst_object_unref (e);
  }
  g_byte_array_unref (pcap);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_bad_filter_fails_start)
{
  GstElement *p = gst_parse_launch ("fakesrc num-buffers=1 ! rvcsiparse "
      "kinds=nope ! fakesink", NULL);
  GstBus *bus = gst_element_get_bus (p);
  GstMessage *msg;

  gst_element_set_state (p, GST_STATE_PAUSED);
  msg = gst_bus_timed_pop_filtered (bus, 5 * GST_SECOND, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_unref (msg);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (p);
}

GST_END_TEST;

/* The filter properties apply while playing, like rvcsisrc's; a malformed
 * value is refused with a warning and the previous filter stays. */
GST_START_TEST (test_filter_changes_while_playing)
{
  GstHarness *h = rvt_harness ("rvcsiparse allowed-nodes=1");
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  guint8 pkt[512];
  gsize n;
  gchar *v = NULL;

  /* No source addresses here: the sender filters are rvcsisrc's alone. */
  fail_unless (g_object_class_find_property (G_OBJECT_GET_CLASS (h->element),
          "allowed-sources") == NULL);
  fail_unless (g_object_class_find_property (G_OBJECT_GET_CLASS (h->element),
          "source-rate-limit") == NULL);
  gst_element_set_bus (h->element, bus);
  gst_harness_set_src_caps_str (h, "application/x-rvcsi");
  n = rvt_csi_frame (2, 1, 0, pkt, sizeof pkt);
  gst_harness_push (h, packet_buffer (pkt, n, GST_SECOND));
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);

  g_object_set (h->element, "allowed-nodes", "2", NULL);
  gst_harness_push (h, packet_buffer (pkt, n, 2 * GST_SECOND));
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 1);

  g_object_set (h->element, "allowed-nodes", "2,x", NULL);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
  fail_unless (msg != NULL);
  gst_message_unref (msg);
  g_object_get (h->element, "allowed-nodes", &v, NULL);
  fail_unless_equals_string (v, "2,x");
  g_free (v);
  n = rvt_csi_frame (2, 2, 0, pkt, sizeof pkt);
  gst_harness_push (h, packet_buffer (pkt, n, 3 * GST_SECOND));
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 2);

  g_object_set (h->element, "kinds", "feature-state", NULL);
  n = rvt_csi_frame (2, 3, 0, pkt, sizeof pkt);
  gst_harness_push (h, packet_buffer (pkt, n, 4 * GST_SECOND));
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 2);
  fail_unless_equals_uint64 (rvt_stat (h->element, "dropped-node-filter"), 1);
  fail_unless_equals_uint64 (rvt_stat (h->element, "dropped-kind-filter"), 1);

  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

GST_END_TEST;

static Suite *
rvcsiparse_suite (void)
{
  Suite *s = suite_create ("rvcsiparse");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_validate_and_meta);
  tcase_add_test (tc, test_sequence_backward_and_duplicate);
  tcase_add_test (tc, test_silent_node_offline_and_back);
  tcase_add_test (tc, test_offline_found_by_own_packet);
  tcase_add_test (tc, test_wraparound_and_loss_bursts);
  tcase_add_test (tc, test_pcap_replay);
  tcase_add_test (tc, test_bad_filter_fails_start);
  tcase_add_test (tc, test_filter_changes_while_playing);
  return s;
}

GST_CHECK_MAIN (rvcsiparse);
