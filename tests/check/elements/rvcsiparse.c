/* rvcsiparse element tests: validation, meta, pcap replay via pcapparse. */
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>

#include "gstrvcsimeta.h"
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
  fail_unless_equals_uint64 (rvt_stat (gst_harness_find_element (h,
              "rvcsiparse"), "dropped-length"), 5);
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
  tcase_add_test (tc, test_pcap_replay);
  tcase_add_test (tc, test_bad_filter_fails_start);
  tcase_add_test (tc, test_filter_changes_while_playing);
  return s;
}

GST_CHECK_MAIN (rvcsiparse);
