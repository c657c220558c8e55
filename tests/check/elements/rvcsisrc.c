/* rvcsisrc element tests: loopback UDP with port=0, test clock. */
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/check/gsttestclock.h>

#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "gstrvcsimeta.h"
#include "gstrvnodeevent.h"
#include "rvtestutil.h"

static GstHarness *
start_src (const gchar * props, guint16 * port)
{
  GstHarness *h = rvt_harness (props);
  GstElement *src = h->element;
  gint p = 0;

  gst_harness_use_testclock (h);
  fail_unless_equals_int (gst_element_set_state (src, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);
  g_object_get (src, "port", &p, NULL);
  fail_unless (p > 0 && p < 65536);
  *port = (guint16) p;
  gst_harness_play (h);
  return h;
}

GST_START_TEST (test_port_zero_reads_back)
{
  GstElement *src = gst_element_factory_make ("rvcsisrc", NULL);
  gint port = -1;

  fail_unless (src != NULL);
  g_object_set (src, "port", 0, NULL);
  fail_unless_equals_int (gst_element_set_state (src, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);
  g_object_get (src, "port", &port, NULL);
  fail_unless (port > 0);
  gst_element_set_state (src, GST_STATE_NULL);
  g_object_get (src, "port", &port, NULL);
  fail_unless_equals_int (port, 0);
  gst_object_unref (src);
}

GST_END_TEST;

GST_START_TEST (test_packets_meta_and_drops)
{
  guint16 port;
  GstHarness *h = start_src ("rvcsisrc port=0 stats-interval=0", &port);
  GSocket *tx = rvt_sender ();
  guint8 pkt[512];
  gsize n;
  GstBuffer *buf;
  GstRvCsiPacketMeta *m;
  GstTestClock *clock = gst_harness_get_testclock (h);

  gst_test_clock_set_time (clock, 5 * GST_SECOND);

  n = rvt_csi_frame (3, 10, 0, pkt, sizeof pkt);
  fail_unless_equals_int (n, 148);
  rvt_send (tx, port, pkt, n);
  /* wrong CRC */
  n = rvt_feature_state (3, 1, pkt, sizeof pkt);
  pkt[20] ^= 0xff;
  rvt_send (tx, port, pkt, n);
  /* truncated and random bytes */
  rvt_send (tx, port, pkt, 3);
  rvt_send (tx, port, (const guint8 *) "\x12\x34\x56\x78garbage", 11);
  /* raw CSI whose length disagrees with its header */
  n = rvt_csi_frame (3, 11, 0, pkt, sizeof pkt);
  rvt_send (tx, port, pkt, n - 1);
  /* seq 12 after 10: one missing */
  n = rvt_csi_frame (3, 12, 0, pkt, sizeof pkt);
  rvt_send (tx, port, pkt, n);

  buf = gst_harness_pull (h);
  m = gst_rv_buffer_get_csi_packet_meta (buf);
  fail_unless (m != NULL);
  fail_unless_equals_int (m->node_id, 3);
  fail_unless_equals_int (m->kind, GST_RV_CSI_KIND_CSI_RAW);
  fail_unless_equals_int (m->seq, 10);
  fail_unless_equals_int (m->seq_gap, 0);
  fail_unless (m->flags & GST_RV_CSI_PACKET_FLAG_FIRST);
  fail_unless_equals_int (m->src_family, G_SOCKET_FAMILY_IPV4);
  fail_unless_equals_int (m->src_port, rvt_local_port (tx));
  fail_unless_equals_int (m->src_addr[0], 127);
  /* kernel receive time moved onto the (test) clock: at or just before
   * the 5 s the clock showed when the batch was read */
  fail_unless (m->arrival <= 5 * GST_SECOND &&
      m->arrival > 4 * GST_SECOND, "arrival %" GST_TIME_FORMAT,
      GST_TIME_ARGS (m->arrival));
  fail_unless_equals_uint64 (GST_BUFFER_PTS (buf),
      m->arrival - gst_element_get_base_time (h->element));
  fail_unless_equals_int (gst_buffer_get_size (buf), 148);
  {
    GSocketAddress *sa = gst_rv_csi_packet_meta_get_address (m);
    fail_unless (sa != NULL);
    fail_unless_equals_int (g_inet_socket_address_get_port
        (G_INET_SOCKET_ADDRESS (sa)), rvt_local_port (tx));
    g_object_unref (sa);
  }
  gst_buffer_unref (buf);

  buf = gst_harness_pull (h);
  m = gst_rv_buffer_get_csi_packet_meta (buf);
  fail_unless_equals_int (m->seq, 12);
  fail_unless_equals_int (m->seq_gap, 1);
  gst_buffer_unref (buf);

  fail_unless_equals_uint64 (rvt_stat (h->element, "received"), 6);
  fail_unless_equals_uint64 (rvt_stat (h->element, "accepted"), 2);
  fail_unless_equals_uint64 (rvt_stat (h->element, "dropped"), 4);
  fail_unless_equals_uint64 (rvt_stat (h->element, "dropped-crc"), 1);
  fail_unless_equals_uint64 (rvt_stat (h->element, "dropped-truncated"), 1);
  fail_unless_equals_uint64 (rvt_stat (h->element, "dropped-magic"), 1);
  fail_unless_equals_uint64 (rvt_stat (h->element, "dropped-length"), 1);
  fail_unless_equals_uint64 (rvt_stat (h->element, "kind-csi-raw"), 2);

  gst_object_unref (clock);
  g_object_unref (tx);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_filters)
{
  guint16 port;
  GstHarness *h = start_src ("rvcsisrc port=0 stats-interval=0 "
      "allowed-nodes=1,5-7 kinds=feature-state", &port);
  GSocket *tx = rvt_sender ();
  guint8 pkt[512];
  gsize n;
  GstBuffer *buf;
  GstRvCsiPacketMeta *m;

  n = rvt_feature_state (3, 1, pkt, sizeof pkt);        /* node filtered */
  rvt_send (tx, port, pkt, n);
  n = rvt_csi_frame (6, 1, 0, pkt, sizeof pkt); /* kind filtered */
  rvt_send (tx, port, pkt, n);
  n = rvt_feature_state (6, 7, pkt, sizeof pkt);
  rvt_send (tx, port, pkt, n);

  buf = gst_harness_pull (h);
  m = gst_rv_buffer_get_csi_packet_meta (buf);
  fail_unless_equals_int (m->node_id, 6);
  fail_unless_equals_int (m->kind, GST_RV_CSI_KIND_FEATURE_STATE);
  fail_unless_equals_int (m->seq, 7);
  gst_buffer_unref (buf);
  fail_unless_equals_uint64 (rvt_stat (h->element, "dropped-node-filter"), 1);
  fail_unless_equals_uint64 (rvt_stat (h->element, "dropped-kind-filter"), 1);

  g_object_unref (tx);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A sender on another loopback address (127.0.0.x). */
static GSocket *
sender_on (const gchar * ip)
{
  GError *err = NULL;
  GSocket *s = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
      G_SOCKET_PROTOCOL_UDP, &err);
  GSocketAddress *sa = g_inet_socket_address_new_from_string (ip, 0);

  fail_unless (s != NULL);
  fail_unless (g_socket_bind (s, sa, FALSE, &err), "%s", err ? err->message :
      "");
  g_object_unref (sa);
  return s;
}

static gsize
mesh_packet (guint8 * out, gsize cap)
{
  static const guint8 health[16] = { 0xA1, 0xB2, 0xC3, 0xD4, 0, 1, 2, 3 };
  rv_mesh_msg m;
  size_t written = 0;

  memset (&m, 0, sizeof m);
  m.version = RV_MESH_VERSION;
  m.msg_type = 3;
  m.payload = health;
  m.payload_len = sizeof health;
  fail_unless_equals_int (rv_mesh_encode (&m, out, cap, &written), RV_OK);
  return written;
}

static GstRvCsiPacketMeta *
pull_meta (GstHarness * h, GstBuffer ** buf)
{
  *buf = gst_harness_pull (h);
  return gst_rv_buffer_get_csi_packet_meta (*buf);
}

/* Mesh packets name no node: one from an address whose raw CSI names node
 * 1 is node 1's (allowed-nodes=1 lets it through); one from an address
 * with no CSI yet, or shared by several nodes (a gateway), is mesh traffic
 * of no node, never node 0. */
GST_START_TEST (test_mesh_attribution)
{
  guint16 port;
  GstHarness *h = start_src ("rvcsisrc port=0 stats-interval=0", &port);
  GSocket *a = sender_on ("127.0.0.1"), *b = sender_on ("127.0.0.2");
  guint8 pkt[512];
  gsize n;
  GstBuffer *buf;
  GstRvCsiPacketMeta *m;
  GstStructure *st;
  const GValue *nodes;

  n = mesh_packet (pkt, sizeof pkt);      /* nobody's yet */
  rvt_send (b, port, pkt, n);
  m = pull_meta (h, &buf);
  fail_unless_equals_int (m->kind, GST_RV_CSI_KIND_MESH);
  fail_unless (m->flags & GST_RV_CSI_PACKET_FLAG_NO_NODE);
  gst_buffer_unref (buf);

  n = rvt_csi_frame (1, 0, 0, pkt, sizeof pkt);
  rvt_send (a, port, pkt, n);
  gst_buffer_unref (gst_harness_pull (h));
  n = mesh_packet (pkt, sizeof pkt);
  rvt_send (a, port, pkt, n);
  m = pull_meta (h, &buf);
  fail_unless_equals_int (m->node_id, 1);
  fail_unless (!(m->flags & GST_RV_CSI_PACKET_FLAG_NO_NODE));
  gst_buffer_unref (buf);

  /* only node 1 allowed: its own mesh packet passes, the anonymous one not */
  g_object_set (h->element, "allowed-nodes", "1", NULL);
  rvt_send (b, port, pkt, n);
  rvt_send (a, port, pkt, n);
  m = pull_meta (h, &buf);
  fail_unless_equals_int (m->node_id, 1);
  gst_buffer_unref (buf);
  fail_unless_equals_uint64 (rvt_stat (h->element, "dropped-node-filter"), 1);

  /* node 2 from the same address: a gateway; its mesh is nobody's */
  g_object_set (h->element, "allowed-nodes", "", NULL);
  n = rvt_csi_frame (2, 0, 0, pkt, sizeof pkt);
  rvt_send (a, port, pkt, n);
  gst_buffer_unref (gst_harness_pull (h));
  n = mesh_packet (pkt, sizeof pkt);
  rvt_send (a, port, pkt, n);
  m = pull_meta (h, &buf);
  fail_unless (m->flags & GST_RV_CSI_PACKET_FLAG_NO_NODE);
  gst_buffer_unref (buf);

  fail_unless_equals_uint64 (rvt_stat (h->element, "mesh-no-node"), 2);
  g_object_get (h->element, "stats", &st, NULL);
  nodes = gst_structure_get_value (st, "nodes");
  for (guint i = 0; i < gst_value_array_get_size (nodes); i++) {
    const GstStructure *nd =
        gst_value_get_structure (gst_value_array_get_value (nodes, i));
    guint id = 0;
    guint64 packets = 0;
    gst_structure_get_uint (nd, "id", &id);
    gst_structure_get_uint64 (nd, "packets", &packets);
    fail_unless (id != 0, "phantom node 0");
    if (id == 1)
      fail_unless_equals_uint64 (packets, 3);   /* CSI + 2 mesh */
  }
  gst_structure_free (st);
  g_object_unref (a);
  g_object_unref (b);
  gst_harness_teardown (h);
}

GST_END_TEST;

static GstMessage *
find_element_message (GstBus * bus, const gchar * name)
{
  GstMessage *msg;

  while ((msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT))) {
    if (gst_message_has_name (msg, name))
      return msg;
    gst_message_unref (msg);
  }
  return NULL;
}

GST_START_TEST (test_stats_message_on_test_clock)
{
  GstHarness *h = rvt_harness ("rvcsisrc port=0 stats-interval=1000000000");
  GstTestClock *clock;
  GstBus *bus = gst_bus_new ();
  gint port = 0;
  GSocket *tx = rvt_sender ();
  guint8 pkt[512];
  gsize n;
  GstMessage *msg;
  const GstStructure *s;
  const GValue *nodes, *node;
  guint64 accepted = 0;
  gdouble rate = 0;

  /* Clock at 10 s before playing: the first stats snapshot is at 10 s. */
  gst_harness_use_testclock (h);
  clock = gst_harness_get_testclock (h);
  gst_test_clock_set_time (clock, 10 * GST_SECOND);
  gst_element_set_bus (h->element, bus);
  fail_unless_equals_int (gst_element_set_state (h->element,
          GST_STATE_READY), GST_STATE_CHANGE_SUCCESS);
  g_object_get (h->element, "port", &port, NULL);
  gst_harness_play (h);
  for (guint i = 0; i < 4; i++) {
    n = rvt_csi_frame (9, i, 0, pkt, sizeof pkt);
    rvt_send (tx, port, pkt, n);
    gst_buffer_unref (gst_harness_pull (h));
  }
  fail_unless (find_element_message (bus, "rvcsisrc-stats") == NULL);

  /* 2 s later (test clock) the next packet triggers a stats message. */
  gst_test_clock_set_time (clock, 12 * GST_SECOND);
  n = rvt_csi_frame (9, 4, 0, pkt, sizeof pkt);
  rvt_send (tx, port, pkt, n);
  gst_buffer_unref (gst_harness_pull (h));

  msg = find_element_message (bus, "rvcsisrc-stats");
  fail_unless (msg != NULL);
  s = gst_message_get_structure (msg);
  fail_unless (gst_structure_get_uint64 (s, "accepted", &accepted));
  /* the message covers what arrived before 12 s: 4 packets over 2 s */
  fail_unless_equals_uint64 (accepted, 4);
  nodes = gst_structure_get_value (s, "nodes");
  fail_unless_equals_int (gst_value_array_get_size (nodes), 1);
  node = gst_value_array_get_value (nodes, 0);
  fail_unless (gst_structure_get_double (gst_value_get_structure (node),
          "rate", &rate));
  fail_unless (fabs (rate - 2.0) < 1e-9, "rate %f", rate);
  gst_message_unref (msg);

  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_object_unref (clock);
  g_object_unref (tx);
  gst_harness_teardown (h);
}

GST_END_TEST;

static guint
nodes_online (GstElement * e)
{
  GstStructure *st = NULL;
  guint n = G_MAXUINT;

  g_object_get (e, "stats", &st, NULL);
  fail_unless (gst_structure_get_uint (st, "nodes-online", &n));
  gst_structure_free (st);
  return n;
}

/* Waits for the next rvcsi-node event downstream (other events skipped). */
static void
pull_node_event (GstHarness * h, guint * node, gboolean * online,
    GstClockTime * t)
{
  for (;;) {
    GstEvent *ev = gst_harness_pull_event (h);
    gboolean is;

    fail_unless (ev != NULL, "no rvcsi-node event");
    is = gst_rv_node_event_parse (ev, node, online, t);
    gst_event_unref (ev);
    if (is)
      return;
  }
}

/* Every node silent: rvcsisrc notices from its clock while it waits, and
 * reports the node offline 5 s after its last packet; its next packet
 * brings it back, the event before the packet. */
GST_START_TEST (test_silent_node_offline_from_clock)
{
  GstHarness *h = rvt_harness ("rvcsisrc port=0 stats-interval=0");
  GstTestClock *clock;
  gint port = 0;
  GSocket *tx = rvt_sender ();
  guint8 pkt[512];
  gsize n;
  guint node = 0;
  gboolean online = TRUE;
  GstClockTime when = 0;
  GstEvent *ev;

  gst_harness_use_testclock (h);
  clock = gst_harness_get_testclock (h);
  gst_test_clock_set_time (clock, 10 * GST_SECOND);
  fail_unless_equals_int (gst_element_set_state (h->element,
          GST_STATE_READY), GST_STATE_CHANGE_SUCCESS);
  g_object_get (h->element, "port", &port, NULL);
  gst_harness_play (h);
  for (guint i = 0; i < 3; i++) {
    n = rvt_csi_frame (12, i, 0, pkt, sizeof pkt);
    rvt_send (tx, port, pkt, n);
    gst_buffer_unref (gst_harness_pull (h));
  }
  fail_unless_equals_int (nodes_online (h->element), 1);
  gst_test_clock_set_time (clock, 16 * GST_SECOND);
  pull_node_event (h, &node, &online, &when);
  fail_unless_equals_int (node, 12);
  fail_unless (!online);
  /* dated 5 s after the last packet's arrival (10 s, less the time it
   * waited in the socket) */
  fail_unless (when <= 15 * GST_SECOND && when > 14 * GST_SECOND,
      "%" GST_TIME_FORMAT, GST_TIME_ARGS (when));
  fail_unless_equals_int (nodes_online (h->element), 0);

  n = rvt_csi_frame (12, 3, 0, pkt, sizeof pkt);
  rvt_send (tx, port, pkt, n);
  pull_node_event (h, &node, &online, &when);
  fail_unless (node == 12 && online);
  fail_unless (when <= 16 * GST_SECOND && when > 15 * GST_SECOND);
  /* the event came before the packet: nothing else queued in between */
  while ((ev = gst_harness_try_pull_event (h)))
    gst_event_unref (ev);
  gst_buffer_unref (gst_harness_pull (h));
  gst_object_unref (clock);
  g_object_unref (tx);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_hostile_traffic)
{
  guint16 port;
  GstHarness *h = start_src ("rvcsisrc port=0 stats-interval=0", &port);
  GSocket *tx = rvt_sender ();
  GRand *rand = g_rand_new_with_seed (42);
  guint8 pkt[700];
  guint valid = 0, invalid = 0;
  GstStructure *st = NULL;
  const GValue *nodes;

  /* Rounds of: random datagrams (random length, random bytes, or a valid
   * header with damage), 10,000 spoofed node ids overall, then one
   * legitimate frame that must come out. Pulling each round keeps the
   * socket buffer from overflowing. */
  for (guint round = 0; round < 200; round++) {
    for (guint k = 0; k < 50; k++) {
      gsize n;
      guint r = g_rand_int_range (rand, 0, 4);
      if (r == 0) {
        n = (gsize) g_rand_int_range (rand, 0, sizeof pkt);
        for (gsize i = 0; i < n; i++)
          pkt[i] = (guint8) g_rand_int (rand);
        /* keep random junk from starting with a valid magic */
        if (n >= 4)
          pkt[3] = 0x00;
        rvt_send (tx, port, pkt, n);
        invalid++;
      } else if (r == 1) {
        n = rvt_feature_state ((guint8) g_rand_int (rand), 1, pkt,
            sizeof pkt);
        pkt[g_rand_int_range (rand, 4, 56)] ^= 0x40;  /* CRC now wrong */
        rvt_send (tx, port, pkt, n);
        invalid++;
      } else if (r == 2) {
        n = rvt_csi_frame ((guint8) g_rand_int (rand), round, 0, pkt,
            sizeof pkt);
        rvt_send (tx, port, pkt, g_rand_int_range (rand, 0, (gint) n));
        invalid++;
      } else {
        /* valid packet from a spoofed node id */
        n = rvt_csi_frame ((guint8) (round * 50 + k), round, 0, pkt,
            sizeof pkt);
        rvt_send (tx, port, pkt, n);
        valid++;
      }
    }
    {
      gsize n = rvt_csi_frame (200, round, 1, pkt, sizeof pkt);
      rvt_send (tx, port, pkt, n);
      valid++;
    }
    /* drain this round */
    while (TRUE) {
      GstBuffer *b = gst_harness_pull (h);
      GstRvCsiPacketMeta *m = gst_rv_buffer_get_csi_packet_meta (b);
      gboolean legit = m->node_id == 200 && m->seq == round;
      fail_unless (m->kind == GST_RV_CSI_KIND_CSI_RAW);
      gst_buffer_unref (b);
      if (legit)
        break;
    }
  }
  fail_unless_equals_uint64 (rvt_stat (h->element, "accepted"), valid);
  fail_unless_equals_uint64 (rvt_stat (h->element, "dropped"), invalid);
  fail_unless_equals_uint64 (rvt_stat (h->element, "received"),
      valid + invalid);
  /* Per-node table is bounded by the 8-bit node id space. */
  g_object_get (h->element, "stats", &st, NULL);
  nodes = gst_structure_get_value (st, "nodes");
  fail_unless (gst_value_array_get_size (nodes) <= 256);
  gst_structure_free (st);

  g_rand_free (rand);
  g_object_unref (tx);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_invalid_properties_error_on_state_change)
{
  const gchar *bad[] = {
    "rvcsisrc port=0 allowed-nodes=1,x",
    "rvcsisrc port=0 allowed-nodes=300",
    "rvcsisrc port=0 kinds=csi-raw,bogus",
    "rvcsisrc port=0 allowed-sources=10.0.0.0/33",
    "rvcsisrc port=0 allowed-sources=my-gateway.lan",
    "rvcsisrc port=0 multicast-group=10.0.0.1",
    "rvcsisrc port=0 address=no.such.host.invalid",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
    GstElement *p = gst_parse_launch (bad[i], NULL);
    GstElement *src = NULL;
    GstBus *bus = gst_bus_new ();
    GstMessage *msg;
    GError *err = NULL;
    gchar *dbg = NULL;

    fail_unless (p != NULL && !GST_IS_BIN (p));
    src = gst_object_ref (p);
    gst_element_set_bus (src, bus);
    fail_unless_equals_int (gst_element_set_state (src, GST_STATE_READY),
        GST_STATE_CHANGE_FAILURE);
    msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    fail_unless (msg != NULL, "no error for %s", bad[i]);
    gst_message_parse_error (msg, &err, &dbg);
    fail_unless (err->message && *err->message);
    fail_unless (dbg && *dbg);
    GST_INFO ("%s -> %s (%s)", bad[i], err->message, dbg);
    g_clear_error (&err);
    g_free (dbg);
    gst_message_unref (msg);
    gst_element_set_state (src, GST_STATE_NULL);
    gst_element_set_bus (src, NULL);
    gst_object_unref (bus);
    gst_object_unref (src);
    gst_object_unref (p);
  }
}

GST_END_TEST;

GST_START_TEST (test_port_in_use)
{
  GstElement *a = gst_element_factory_make ("rvcsisrc", NULL);
  GstElement *b = gst_element_factory_make ("rvcsisrc", NULL);
  GstBus *bus = gst_bus_new ();
  gint port = 0;

  g_object_set (a, "port", 0, NULL);
  fail_unless_equals_int (gst_element_set_state (a, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);
  g_object_get (a, "port", &port, NULL);
  g_object_set (b, "port", port, "address", "127.0.0.1", NULL);
  gst_element_set_bus (b, bus);
  fail_unless_equals_int (gst_element_set_state (b, GST_STATE_READY),
      GST_STATE_CHANGE_FAILURE);
  fail_unless (gst_bus_have_pending (bus));
  gst_element_set_bus (b, NULL);
  gst_element_set_state (a, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (a);
  gst_object_unref (b);
}

GST_END_TEST;

GST_START_TEST (test_ipv6_loopback)
{
  GstHarness *h;
  GSocket *tx;
  GError *err = NULL;
  GInetAddress *lo6 = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);
  GSocketAddress *sa;
  guint8 pkt[256];
  gsize n;
  gint port = 0;
  GstBuffer *buf;
  GstRvCsiPacketMeta *m;

  tx = g_socket_new (G_SOCKET_FAMILY_IPV6, G_SOCKET_TYPE_DATAGRAM,
      G_SOCKET_PROTOCOL_UDP, &err);
  if (!tx) {
    /* host without IPv6 */
    g_clear_error (&err);
    g_object_unref (lo6);
    return;
  }
  h = rvt_harness ("rvcsisrc address=::1 port=0 stats-interval=0");
  if (gst_element_set_state (h->element, GST_STATE_READY) !=
      GST_STATE_CHANGE_SUCCESS) {
    /* no ::1 configured */
    gst_harness_teardown (h);
    g_object_unref (tx);
    g_object_unref (lo6);
    return;
  }
  g_object_get (h->element, "port", &port, NULL);
  gst_harness_play (h);
  n = rvt_csi_frame (4, 1, 0, pkt, sizeof pkt);
  sa = g_inet_socket_address_new (lo6, (guint16) port);
  fail_unless (g_socket_send_to (tx, sa, (const gchar *) pkt, n, NULL,
          NULL) == (gssize) n);
  buf = gst_harness_pull (h);
  m = gst_rv_buffer_get_csi_packet_meta (buf);
  fail_unless_equals_int (m->src_family, G_SOCKET_FAMILY_IPV6);
  fail_unless_equals_int (m->src_addr[15], 1);
  gst_buffer_unref (buf);
  g_object_unref (sa);
  g_object_unref (lo6);
  g_object_unref (tx);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_multicast_loopback)
{
  GstHarness *h = rvt_harness ("rvcsisrc multicast-group=239.255.7.7 "
      "multicast-iface=lo port=0 stats-interval=0");
  GSocket *tx;
  struct in_addr lo;
  GInetAddress *grp;
  GSocketAddress *to;
  guint8 pkt[256];
  gsize n;
  gint port = 0;
  GstBuffer *buf;

  if (gst_element_set_state (h->element, GST_STATE_READY) !=
      GST_STATE_CHANGE_SUCCESS) {
    /* no multicast on this host's loopback: nothing to test */
    gst_harness_teardown (h);
    return;
  }
  g_object_get (h->element, "port", &port, NULL);
  gst_harness_play (h);
  tx = rvt_sender ();
  lo.s_addr = htonl (INADDR_LOOPBACK);
  fail_unless (setsockopt (g_socket_get_fd (tx), IPPROTO_IP, IP_MULTICAST_IF,
          &lo, sizeof lo) == 0);
  g_socket_set_multicast_loopback (tx, TRUE);
  grp = g_inet_address_new_from_string ("239.255.7.7");
  to = g_inet_socket_address_new (grp, (guint16) port);
  n = rvt_csi_frame (12, 1, 0, pkt, sizeof pkt);
  fail_unless (g_socket_send_to (tx, to, (const gchar *) pkt, n, NULL,
          NULL) == (gssize) n);
  buf = gst_harness_pull (h);
  fail_unless_equals_int (gst_rv_buffer_get_csi_packet_meta (buf)->node_id, 12);
  gst_buffer_unref (buf);
  g_object_unref (to);
  g_object_unref (grp);
  g_object_unref (tx);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_dual_stack_ipv4_sender)
{
  GstHarness *h = rvt_harness ("rvcsisrc address=:: port=0 stats-interval=0");
  GSocket *tx, *tx2;
  guint8 pkt[256];
  gsize n;
  gint port = 0;
  GstBuffer *buf;
  GstRvCsiPacketMeta *m;

  if (gst_element_set_state (h->element, GST_STATE_READY) !=
      GST_STATE_CHANGE_SUCCESS) {
    /* host without IPv6 */
    gst_harness_teardown (h);
    return;
  }
  g_object_get (h->element, "port", &port, NULL);
  gst_harness_play (h);
  tx = rvt_sender ();
  n = rvt_csi_frame (5, 1, 0, pkt, sizeof pkt);
  rvt_send (tx, (guint16) port, pkt, n);
  buf = gst_harness_pull (h);
  m = gst_rv_buffer_get_csi_packet_meta (buf);
  /* the v4-mapped source address is reported as plain IPv4 */
  fail_unless_equals_int (m->src_family, G_SOCKET_FAMILY_IPV4);
  fail_unless_equals_int (m->src_addr[0], 127);
  fail_unless_equals_int (m->src_port, rvt_local_port (tx));
  gst_buffer_unref (buf);

  /* ... and allowed-sources sees it as IPv4 too: 127.0.0.2 matches its
   * IPv4 entry, 127.0.0.1 matches nothing. */
  g_object_set (h->element, "allowed-sources", "::1,127.0.0.2", NULL);
  tx2 = rvt_sender_at ("127.0.0.2");
  n = rvt_csi_frame (5, 2, 0, pkt, sizeof pkt);
  rvt_send (tx, (guint16) port, pkt, n);
  n = rvt_csi_frame (5, 3, 0, pkt, sizeof pkt);
  rvt_send (tx2, (guint16) port, pkt, n);
  buf = gst_harness_pull (h);
  fail_unless_equals_int (gst_rv_buffer_get_csi_packet_meta (buf)->seq, 3);
  gst_buffer_unref (buf);
  fail_unless_equals_uint64 (rvt_stat (h->element, "dropped-source-filter"),
      1);
  g_object_unref (tx2);
  g_object_unref (tx);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Node ids are spoofable: a packet naming node 1 from an address outside
 * allowed-sources is dropped before decoding, whatever id it claims. */
GST_START_TEST (test_spoofed_ids_from_disallowed_address)
{
  guint16 port;
  GstHarness *h = start_src ("rvcsisrc port=0 address=0.0.0.0 "
      "stats-interval=0 allowed-sources=127.0.0.1,fd00::/8", &port);
  GSocket *node = rvt_sender_at ("127.0.0.1");
  GSocket *spoof = rvt_sender_at ("127.0.0.2");
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  guint8 pkt[512];
  gsize n;
  GstBuffer *buf;
  GstRvCsiPacketMeta *m;

  gst_element_set_bus (h->element, bus);
  n = rvt_csi_frame (1, 10, 0, pkt, sizeof pkt);
  rvt_send (node, port, pkt, n);
  n = rvt_csi_frame (1, 11, 3, pkt, sizeof pkt);        /* spoofed node 1 */
  rvt_send (spoof, port, pkt, n);
  n = rvt_feature_state (9, 1, pkt, sizeof pkt);
  rvt_send (spoof, port, pkt, n);
  n = rvt_csi_frame (1, 12, 0, pkt, sizeof pkt);
  rvt_send (node, port, pkt, n);

  for (guint32 want = 10; want <= 12; want += 2) {
    buf = gst_harness_pull (h);
    m = gst_rv_buffer_get_csi_packet_meta (buf);
    fail_unless_equals_int (m->node_id, 1);
    fail_unless_equals_int (m->seq, want);
    gst_buffer_unref (buf);
  }
  fail_unless_equals_uint64 (rvt_stat (h->element, "dropped-source-filter"),
      2);
  fail_unless_equals_uint64 (rvt_stat (h->element, "received"), 4);
  fail_unless_equals_uint64 (rvt_stat (h->element, "dropped"), 2);

  /* A malformed list is refused with a warning naming the entry; the
   * allowlist in force stays. */
  g_object_set (h->element, "allowed-sources", "127.0.0.0/8,10.0.0.300",
      NULL);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
  fail_unless (msg != NULL);
  {
    GError *err = NULL;
    gchar *dbg = NULL;
    gst_message_parse_warning (msg, &err, &dbg);
    fail_unless (strstr (dbg, "entry 2 \"10.0.0.300\"") != NULL, "%s", dbg);
    g_error_free (err);
    g_free (dbg);
  }
  gst_message_unref (msg);
  n = rvt_csi_frame (1, 13, 0, pkt, sizeof pkt);
  rvt_send (spoof, port, pkt, n);
  n = rvt_csi_frame (1, 14, 0, pkt, sizeof pkt);
  rvt_send (node, port, pkt, n);
  buf = gst_harness_pull (h);   /* read after 13: 13 was judged already */
  fail_unless_equals_int (gst_rv_buffer_get_csi_packet_meta (buf)->seq, 14);
  gst_buffer_unref (buf);

  /* Changed while playing: the whole loopback network is let in. */
  g_object_set (h->element, "allowed-sources", "127.0.0.0/8", NULL);
  n = rvt_csi_frame (2, 1, 0, pkt, sizeof pkt);
  rvt_send (spoof, port, pkt, n);
  buf = gst_harness_pull (h);
  m = gst_rv_buffer_get_csi_packet_meta (buf);
  fail_unless_equals_int (m->node_id, 2);
  fail_unless_equals_int (m->src_addr[3], 2);
  gst_buffer_unref (buf);
  fail_unless_equals_uint64 (rvt_stat (h->element, "dropped-source-filter"),
      3);

  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  g_object_unref (node);
  g_object_unref (spoof);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* One host floods; a real node on another address keeps every packet. The
 * test clock stands still, so every datagram arrives at the same instant
 * and a bucket holds exactly its depth (half a second at the limit). */
GST_START_TEST (test_flood_while_real_node_keeps_rate)
{
  guint16 port;
  GstHarness *h = start_src ("rvcsisrc port=0 stats-interval=0 "
      "source-rate-limit=20", &port);
  GstTestClock *clock = GST_TEST_CLOCK (gst_harness_get_testclock (h));
  GSocket *node = rvt_sender_at ("127.0.0.3");
  GSocket *flood = rvt_sender_at ("127.0.0.2");
  guint8 pkt[512], fpkt[512];
  gsize n, fn = rvt_csi_frame (50, 1, 0, fpkt, sizeof fpkt);
  guint node_got = 0, flood_got = 0;
  gboolean done = FALSE;

  for (guint i = 0; i < 500; i++) {
    rvt_send (flood, port, fpkt, fn);
    if (i % 100 == 50) {
      n = rvt_csi_frame (1, i, 0, pkt, sizeof pkt);
      rvt_send (node, port, pkt, n);
    }
  }
  n = rvt_csi_frame (1, 9999, 0, pkt, sizeof pkt);      /* marker */
  rvt_send (node, port, pkt, n);
  while (!done) {
    GstBuffer *buf = gst_harness_pull (h);
    GstRvCsiPacketMeta *m = gst_rv_buffer_get_csi_packet_meta (buf);
    if (m->node_id == 1) {
      node_got++;
      done = m->seq == 9999;
    } else {
      flood_got++;
    }
    gst_buffer_unref (buf);
  }
  fail_unless_equals_int (node_got, 6);
  fail_unless_equals_int (flood_got, 10);
  fail_unless_equals_uint64 (rvt_stat (h->element, "dropped-rate-limit"),
      490);

  /* A second later the flood's bucket is full again: ten more. */
  gst_test_clock_advance_time (clock, GST_SECOND);
  for (guint i = 0; i < 100; i++)
    rvt_send (flood, port, fpkt, fn);
  rvt_send (node, port, pkt, n);
  for (done = FALSE, flood_got = 0; !done;) {
    GstBuffer *buf = gst_harness_pull (h);
    GstRvCsiPacketMeta *m = gst_rv_buffer_get_csi_packet_meta (buf);
    done = m->node_id == 1;
    flood_got += !done;
    gst_buffer_unref (buf);
  }
  fail_unless_equals_int (flood_got, 10);

  /* 0 turns the limit off. */
  g_object_set (h->element, "source-rate-limit", 0, NULL);
  for (guint i = 0; i < 100; i++)
    rvt_send (flood, port, fpkt, fn);
  for (guint i = 0; i < 100; i++)
    gst_buffer_unref (gst_harness_pull (h));
  fail_unless_equals_uint64 (rvt_stat (h->element, "dropped-rate-limit"),
      580);

  gst_object_unref (clock);
  g_object_unref (node);
  g_object_unref (flood);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* The default limit lets a gateway (or rvsim) through: every node of a
 * site arrives from one address. 3000 datagrams at once pass. */
GST_START_TEST (test_default_limit_passes_a_gateway)
{
  guint16 port;
  GstHarness *h = start_src ("rvcsisrc port=0 stats-interval=0", &port);
  GSocket *gw = rvt_sender ();
  guint8 pkt[512];
  guint limit = 0;

  g_object_get (h->element, "source-rate-limit", &limit, NULL);
  fail_unless (limit >= 2 * 200 * 100, "default %u", limit);
  for (guint i = 0; i < 3000; i++) {
    gsize n = rvt_csi_frame ((guint8) (i % 200), i / 200, 0, pkt, sizeof pkt);
    rvt_send (gw, port, pkt, n);
  }
  for (guint i = 0; i < 3000; i++)
    gst_buffer_unref (gst_harness_pull (h));
  fail_unless_equals_uint64 (rvt_stat (h->element, "dropped-rate-limit"), 0);
  g_object_unref (gw);
  gst_harness_teardown (h);
}

GST_END_TEST;

static Suite *
rvcsisrc_suite (void)
{
  Suite *s = suite_create ("rvcsisrc");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_port_zero_reads_back);
  tcase_add_test (tc, test_packets_meta_and_drops);
  tcase_add_test (tc, test_filters);
  tcase_add_test (tc, test_mesh_attribution);
  tcase_add_test (tc, test_stats_message_on_test_clock);
  tcase_add_test (tc, test_silent_node_offline_from_clock);
  tcase_add_test (tc, test_hostile_traffic);
  tcase_add_test (tc, test_invalid_properties_error_on_state_change);
  tcase_add_test (tc, test_port_in_use);
  tcase_add_test (tc, test_ipv6_loopback);
  tcase_add_test (tc, test_multicast_loopback);
  tcase_add_test (tc, test_dual_stack_ipv4_sender);
  tcase_add_test (tc, test_spoofed_ids_from_disallowed_address);
  tcase_add_test (tc, test_flood_while_real_node_keeps_rate);
  tcase_add_test (tc, test_default_limit_passes_a_gateway);
  return s;
}

GST_CHECK_MAIN (rvcsisrc);
