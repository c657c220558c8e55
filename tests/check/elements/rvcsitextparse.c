/* rvcsitextparse element tests: esp-csi and ESP32-CSI-Tool lines. */
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>

#include "gstrvcsimeta.h"
#include "gstrvnodeevent.h"
#include "rvtestutil.h"

/* esp-csi csi_recv line with 64 (imag, real) pairs, node MAC ..:0a. */
static gchar *
esp_csi_line (guint id, guint32 local_ts)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "CSI_DATA,%u,aa:bb:cc:dd:ee:0a,-45,11,1,7,0,0,0,"
      "0,0,0,0,-96,0,6,0,%u,0,120,0,128,0,\"[", id, local_ts);
  for (guint i = 0; i < 128; i++)
    g_string_append_printf (s, "%s%d", i ? "," : "", (gint) (i % 40) - 20);
  g_string_append (s, "]\"\n");
  return g_string_free (s, FALSE);
}

static GstBuffer *
text_buffer (const gchar * t)
{
  return gst_buffer_new_memdup (t, strlen (t));
}

GST_START_TEST (test_esp_csi_lines)
{
  GstHarness *h = gst_harness_new ("rvcsitextparse");

  gst_harness_set_src_caps_str (h, "text/plain");
  gchar *l1 = esp_csi_line (5, 1000000), *l2 = esp_csi_line (6, 1010000);
  gchar *all = g_strconcat ("I (123) boot: ESP-IDF v5.1\n", l1, "garbage\r\n",
      l2, NULL);
  gsize half = strlen (all) / 2;
  GstBuffer *out;
  GstRvCsiPacketMeta *m;
  rv_pkt pkt;
  GstMapInfo map;

  /* split in the middle of a line: lines span buffers */
  gst_harness_push (h, gst_buffer_new_memdup (all, half));
  gst_harness_push (h, text_buffer (all + half));
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 2);

  out = gst_harness_pull (h);
  m = gst_rv_buffer_get_csi_packet_meta (out);
  fail_unless (m != NULL);
  fail_unless_equals_int (m->node_id, 0x0a);
  fail_unless_equals_int (m->seq, 5);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (out), 0);
  gst_buffer_map (out, &map, GST_MAP_READ);
  fail_unless_equals_int (rv_pkt_decode (map.data, map.size, &pkt), RV_OK);
  fail_unless_equals_int (pkt.kind, RV_PKT_CSI_RAW);
  fail_unless_equals_int (pkt.u.csi.n_subcarriers, 64);
  fail_unless_equals_int (pkt.u.csi.rssi, -45);
  fail_unless_equals_int (pkt.u.csi.iq[1], -19);
  gst_buffer_unmap (out, &map);
  gst_buffer_unref (out);

  out = gst_harness_pull (h);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (out), 10 * GST_MSECOND);
  gst_buffer_unref (out);

  fail_unless_equals_uint64 (rvt_stat (h->element, "dropped-text-prefix"), 2);
  fail_unless_equals_uint64 (rvt_stat (h->element, "accepted"), 2);
  g_free (l1);
  g_free (l2);
  g_free (all);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_node_override_and_wrap)
{
  GstHarness *h = rvt_harness ("rvcsitextparse node-id=42");

  gst_harness_set_src_caps_str (h, "text/plain");
  gchar *l1 = esp_csi_line (1, 0xfffff000u), *l2 = esp_csi_line (2, 0x1000);
  GstBuffer *out;

  gst_harness_push (h, text_buffer (l1));
  gst_harness_push (h, text_buffer (l2));
  out = gst_harness_pull (h);
  fail_unless_equals_int (gst_rv_buffer_get_csi_packet_meta (out)->node_id, 42);
  gst_buffer_unref (out);
  out = gst_harness_pull (h);
  /* the 32-bit radio clock wrapped: 0x2000 us later, not 71 minutes back */
  fail_unless_equals_uint64 (GST_BUFFER_PTS (out), 0x2000 * GST_USECOND);
  gst_buffer_unref (out);
  g_free (l1);
  g_free (l2);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_garbage_bounded)
{
  GstHarness *h = gst_harness_new ("rvcsitextparse");

  gst_harness_set_src_caps_str (h, "text/plain");
  GRand *r = g_rand_new_with_seed (7);
  guint8 junk[4096];

  /* 2 MB without a newline, then random text with newlines */
  memset (junk, 'x', sizeof junk);
  for (guint i = 0; i < 512; i++)
    gst_harness_push (h, gst_buffer_new_memdup (junk, sizeof junk));
  for (guint i = 0; i < 64; i++) {
    for (guint k = 0; k < sizeof junk; k++)
      junk[k] = (guint8) g_rand_int (r);
    gst_harness_push (h, gst_buffer_new_memdup (junk, sizeof junk));
  }
  gst_harness_push_event (h, gst_event_new_eos ());
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
  fail_unless (rvt_stat (h->element, "dropped") > 0);
  g_rand_free (r);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ESP32-CSI-Tool CSV: no sequence field (lines are numbered per node) and
 * a real timestamp in decimal seconds when real_time_set is 1. */
static gchar *
csi_tool_line (const gchar * real_ts)
{
  GString *s = g_string_new ("CSI_DATA,STA,aa:bb:cc:dd:ee:05,-50,11,1,7,0,0,"
      "0,0,0,0,0,-95,0,6,0,123456,0,100,0,1,");

  g_string_append_printf (s, "%s,128,[", real_ts);
  for (guint i = 0; i < 128; i++)
    g_string_append_printf (s, "%d ", (gint) (i % 30) - 15);
  g_string_append (s, "]\n");
  return g_string_free (s, FALSE);
}

GST_START_TEST (test_csi_tool_lines)
{
  GstHarness *h = gst_harness_new ("rvcsitextparse");
  gchar *l1 = csi_tool_line ("1700000000.500000");
  gchar *l2 = csi_tool_line ("1700000000.750000");
  GstBuffer *out;
  GstRvCsiPacketMeta *m;

  gst_harness_set_src_caps_str (h, "text/plain");
  gst_harness_push (h, text_buffer (l1));
  gst_harness_push (h, text_buffer (l2));
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 2);
  out = gst_harness_pull (h);
  m = gst_rv_buffer_get_csi_packet_meta (out);
  fail_unless_equals_int (m->node_id, 5);
  fail_unless_equals_int (m->seq, 0);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (out), 0);
  gst_buffer_unref (out);
  out = gst_harness_pull (h);
  m = gst_rv_buffer_get_csi_packet_meta (out);
  fail_unless_equals_int (m->seq, 1);
  fail_unless_equals_int (m->seq_gap, 0);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (out), 250 * GST_MSECOND);
  gst_buffer_unref (out);
  g_free (l1);
  g_free (l2);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* The sources' shared filter: node allowlist on the MAC-derived id,
 * changeable while playing; a malformed list fails the start. */
GST_START_TEST (test_allowed_nodes)
{
  GstHarness *h = rvt_harness ("rvcsitextparse allowed-nodes=7");
  gchar *l1 = esp_csi_line (1, 1000000), *l2 = esp_csi_line (2, 1010000);
  GstElement *bad;

  gst_harness_set_src_caps_str (h, "text/plain");
  gst_harness_push (h, text_buffer (l1));
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
  g_object_set (h->element, "allowed-nodes", "10", NULL);       /* 0x0a */
  gst_harness_push (h, text_buffer (l2));
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 1);
  fail_unless_equals_uint64 (rvt_stat (h->element, "dropped-node-filter"), 1);
  gst_harness_teardown (h);

  bad = gst_element_factory_make ("rvcsitextparse", NULL);
  g_object_set (bad, "kinds", "csi-raw,nope", NULL);
  fail_unless_equals_int (gst_element_set_state (bad, GST_STATE_PAUSED),
      GST_STATE_CHANGE_FAILURE);
  gst_element_set_state (bad, GST_STATE_NULL);
  gst_object_unref (bad);
  g_free (l1);
  g_free (l2);
}

GST_END_TEST;

/* Node presence from the lines' own time: the node (MAC ..:0a = node 10)
 * sends at 10 Hz for 1 s, then after 7 s of silence again: offline 5 s
 * after its last line, back with the new one; at EOS offline again. */
GST_START_TEST (test_silent_node_offline_and_back)
{
  GstHarness *h = gst_harness_new ("rvcsitextparse");
  GString *text = g_string_new (NULL);
  GstEvent *ev;
  guint node = 0, n_events = 0;
  gboolean online = TRUE, want[3] = { FALSE, TRUE, FALSE };
  GstClockTime t = 0, when[3] = { 0 };

  gst_harness_set_src_caps_str (h, "text/plain");
  for (guint i = 0; i <= 10; i++) {
    gchar *l = esp_csi_line (i, 1000000 + i * 100000);
    g_string_append (text, l);
    g_free (l);
  }
  {
    gchar *l = esp_csi_line (11, 1000000 + 8000000);
    g_string_append (text, l);
    g_free (l);
  }
  fail_unless_equals_int (gst_harness_push (h, text_buffer (text->str)),
      GST_FLOW_OK);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  while ((ev = gst_harness_try_pull_event (h))) {
    if (gst_rv_node_event_parse (ev, &node, &online, &t)) {
      fail_unless (n_events < 3);
      fail_unless_equals_int (node, 10);
      fail_unless_equals_int (online, want[n_events]);
      when[n_events++] = t;
    }
    gst_event_unref (ev);
  }
  fail_unless_equals_int (n_events, 3);
  /* line time is relative to the first line: last at 1 s, back at 8 s */
  fail_unless_equals_uint64 (when[0], 6 * GST_SECOND);
  fail_unless_equals_uint64 (when[1], 8 * GST_SECOND);
  g_string_free (text, TRUE);
  gst_harness_teardown (h);
}

GST_END_TEST;

static Suite *
rvcsitextparse_suite (void)
{
  Suite *s = suite_create ("rvcsitextparse");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_esp_csi_lines);
  tcase_add_test (tc, test_node_override_and_wrap);
  tcase_add_test (tc, test_garbage_bounded);
  tcase_add_test (tc, test_csi_tool_lines);
  tcase_add_test (tc, test_allowed_nodes);
  tcase_add_test (tc, test_silent_node_offline_and_back);
  return s;
}

GST_CHECK_MAIN (rvcsitextparse);
