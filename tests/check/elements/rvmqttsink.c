/*
 * rvmqttsink tests against a real mosquitto that each test starts on a free
 * loopback port and stops (gst/tools/rvmqttbroker.c). Buffers carry the
 * classification meta as rvclassify sets it (gst/tools/rvclsbuffer.h).
 *
 * The binary also runs as a pipeline child process (`--child PORT SITE`)
 * for the Last Will and two-site tests, which must kill a real process.
 */
#include <gst/check/gstcheck.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <poll.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gstrvnodeevent.h"
#include "rvclsbuffer.h"
#include "rvmqttbroker.h"

#define WAIT_MS 10000

static GQuark labels[4];

static void
init_labels (void)
{
  labels[0] = g_quark_from_static_string ("empty");
  labels[1] = g_quark_from_static_string ("walking");
  labels[2] = g_quark_from_static_string ("sitting");
  labels[3] = g_quark_from_static_string ("fall");
}

static RvMqttBroker *
start_broker (const gchar * extra, gboolean tls)
{
  GError *err = NULL;
  RvMqttBroker *b = rv_mqtt_broker_start (extra, tls, &err);
  fail_unless (b != NULL, "broker: %s", err ? err->message : "?");
  return b;
}

static RvMqttSub *
subscribe (RvMqttBroker * b)
{
  GError *err = NULL;
  RvMqttSub *s = rv_mqtt_sub_new (b->port, "#", 1, &err);
  fail_unless (s != NULL, "subscriber: %s", err ? err->message : "?");
  return s;
}

static GstElement *
make_pipeline (const gchar * sink_props)
{
  GError *err = NULL;
  gchar *desc = g_strdup_printf ("appsrc name=src format=time "
      "caps=application/x-rvcsi ! rvmqttsink name=sink %s", sink_props);
  GstElement *p = gst_parse_launch (desc, &err);
  fail_unless (p != NULL, "pipeline: %s", err ? err->message : "?");
  g_free (desc);
  init_labels ();
  return p;
}

static GstElement *
start_pipeline (RvMqttBroker * b, const gchar * site, const gchar * more)
{
  gchar *props = g_strdup_printf ("host=127.0.0.1 port=%u site=%s %s",
      b->port, site, more ? more : "");
  GstElement *p = make_pipeline (props);
  g_free (props);
  fail_if (gst_element_set_state (p, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  return p;
}

static void
push (GstElement * p, guint8 node, guint8 antenna, gint label,
    gfloat conf, GstClockTime pts)
{
  GstElement *src = gst_bin_get_by_name (GST_BIN (p), "src");
  GstFlowReturn ret;
  GstBuffer *buf = rv_cls_buffer_new (node, antenna, labels, 4, label, conf,
      pts);
  g_signal_emit_by_name (src, "push-buffer", buf, &ret);
  gst_buffer_unref (buf);
  fail_unless_equals_int (ret, GST_FLOW_OK);
  gst_object_unref (src);
}

static void
stop_pipeline (GstElement * p)
{
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (p);
}

static JsonObject *
parse_object (const gchar * payload, JsonParser ** parser)
{
  GError *err = NULL;
  *parser = json_parser_new ();
  fail_unless (payload != NULL);
  fail_unless (json_parser_load_from_data (*parser, payload, -1, &err),
      "not JSON: %s (%s)", payload, err ? err->message : "");
  fail_unless (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (*parser)));
  return json_node_get_object (json_parser_get_root (*parser));
}

static gchar *
wait_json_member (RvMqttSub * s, const gchar * topic, const gchar * member,
    const gchar * want)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * 1000;
  while (g_get_monotonic_time () < deadline) {
    gchar *pl = rv_mqtt_sub_wait (s, topic, NULL, 200);
    if (pl && *pl) {
      JsonParser *jp;
      JsonObject *o = parse_object (pl, &jp);
      const gchar *v = json_object_has_member (o, member) &&
          !json_object_get_null_member (o, member) ?
          json_object_get_string_member (o, member) : NULL;
      gboolean ok = g_strcmp0 (v, want) == 0;
      g_object_unref (jp);
      if (ok)
        return pl;
    }
    g_free (pl);
    g_usleep (20000);
  }
  fail ("%s: %s never became '%s'", topic, member, want);
  return NULL;
}

/* Fails unless topic gets payload want (NULL: any) in time. */
static void
expect_msg (RvMqttSub * s, const gchar * topic, const gchar * want)
{
  gchar *pl = rv_mqtt_sub_wait (s, topic, want, WAIT_MS);
  fail_unless (pl != NULL, "%s: no '%s'", topic, want ? want : "message");
  g_free (pl);
}

/* Waits for an ERROR or WARNING message and returns its text. */
static gchar *
wait_bus (GstElement * p, GstMessageType type)
{
  GstBus *bus = gst_element_get_bus (p);
  GstMessage *m = gst_bus_timed_pop_filtered (bus, WAIT_MS * GST_MSECOND,
      type);
  GError *err = NULL;
  gchar *text;
  fail_unless (m != NULL, "no %s on the bus", gst_message_type_get_name (type));
  if (type == GST_MESSAGE_ERROR)
    gst_message_parse_error (m, &err, NULL);
  else
    gst_message_parse_warning (m, &err, NULL);
  text = g_strdup (err->message);
  g_error_free (err);
  gst_message_unref (m);
  gst_object_unref (bus);
  return text;
}

static const gchar *discovery_keys[] = { "name", "unique_id", "state_topic",
  "value_template", "availability", "availability_mode", "device", "qos"
};

static void
check_discovery (RvMqttSub * s, const gchar * topic, const gchar * site,
    const gchar * device_class)
{
  gchar *pl = rv_mqtt_sub_wait (s, topic, NULL, WAIT_MS);
  JsonParser *jp;
  JsonObject *o, *dev;
  JsonArray *av;
  guint i;

  fail_unless (pl != NULL, "no discovery config on %s", topic);
  o = parse_object (pl, &jp);
  for (i = 0; i < G_N_ELEMENTS (discovery_keys); i++)
    fail_unless (json_object_has_member (o, discovery_keys[i]),
        "%s lacks %s: %s", topic, discovery_keys[i], pl);
  fail_unless (strstr (json_object_get_string_member (o, "unique_id"),
          site) != NULL);
  if (device_class) {
    fail_unless_equals_string (json_object_get_string_member (o,
            "device_class"), device_class);
  } else {
    fail_unless (json_object_has_member (o, "json_attributes_topic"));
  }
  fail_unless_equals_string (json_object_get_string_member (o, "state_topic"),
      "rvcsi/lab/node/1/state");
  av = json_object_get_array_member (o, "availability");
  fail_unless_equals_int (json_array_get_length (av), 2);
  fail_unless_equals_string (json_object_get_string_member
      (json_array_get_object_element (av, 0), "topic"),
      "rvcsi/lab/availability");
  fail_unless_equals_string (json_object_get_string_member
      (json_array_get_object_element (av, 1), "topic"),
      "rvcsi/lab/node/1/availability");
  dev = json_object_get_object_member (o, "device");
  fail_unless (json_array_get_length (json_object_get_array_member (dev,
              "identifiers")) == 1);
  g_object_unref (jp);
  g_free (pl);
}

GST_START_TEST (test_discovery_and_states)
{
  RvMqttBroker *b = start_broker (NULL, FALSE);
  RvMqttSub *s = subscribe (b);
  GstElement *p = start_pipeline (b, "lab", NULL);
  JsonParser *jp;
  JsonObject *o;
  gchar *pl;

  push (p, 1, 0, 1, 0.9f, 0);
  push (p, 2, 0, 0, 0.8f, 0);
  check_discovery (s, "homeassistant/binary_sensor/rvcsi_lab_node1/motion/"
      "config", "lab", "motion");
  check_discovery (s, "homeassistant/binary_sensor/rvcsi_lab_node1/"
      "occupancy/config", "lab", "occupancy");
  check_discovery (s, "homeassistant/sensor/rvcsi_lab_node1/activity/config",
      "lab", NULL);

  pl = wait_json_member (s, "rvcsi/lab/node/1/state", "label", "walking");
  o = parse_object (pl, &jp);
  fail_unless_equals_int (json_object_get_int_member (o, "node"), 1);
  fail_unless (json_object_get_boolean_member (o, "occupancy"));
  fail_unless (json_object_get_boolean_member (o, "online"));
  fail_unless (json_object_get_null_member (o, "motion"));
  fail_unless (json_object_get_null_member (o, "motion_score"));
  fail_unless (json_object_get_double_member (o, "confidence") > 0.89);
  fail_unless (json_object_has_member (o, "stream_time"));
  fail_unless (g_str_has_suffix (json_object_get_string_member (o,
              "updated"), "Z"));
  g_object_unref (jp);
  g_free (pl);

  pl = wait_json_member (s, "rvcsi/lab/node/2/state", "label", "empty");
  o = parse_object (pl, &jp);
  fail_if (json_object_get_boolean_member (o, "occupancy"));
  g_object_unref (jp);
  g_free (pl);

  expect_msg (s, "rvcsi/lab/node/1/availability", "online");
  expect_msg (s, "rvcsi/lab/availability", "online");

  /* Second antenna: an attribute of the node's state. */
  push (p, 1, 1, 2, 0.7f, 10 * GST_MSECOND);
  pl = rv_mqtt_sub_wait (s, "rvcsi/lab/node/1/state", NULL, WAIT_MS);
  while (pl && !strstr (pl, "antennas")) {
    g_free (pl);
    g_usleep (20000);
    pl = rv_mqtt_sub_wait (s, "rvcsi/lab/node/1/state", NULL, WAIT_MS);
  }
  o = parse_object (pl, &jp);
  fail_unless_equals_string (json_object_get_string_member (o, "label"),
      "walking");
  fail_unless_equals_string (json_object_get_string_member
      (json_object_get_object_member (json_object_get_object_member (o,
                  "antennas"), "1"), "label"), "sitting");
  g_object_unref (jp);
  g_free (pl);

  /* rvcsi-node event: node availability and the state's online flag. */
  {
    GstElement *src = gst_bin_get_by_name (GST_BIN (p), "src");
    gst_element_send_event (src, gst_rv_node_event_new (1, FALSE,
            20 * GST_MSECOND));
    gst_object_unref (src);
  }
  expect_msg (s, "rvcsi/lab/node/1/availability", "offline");

  stop_pipeline (p);
  /* A clean stop says the host is offline. */
  pl = rv_mqtt_sub_wait (s, "rvcsi/lab/availability", "offline", WAIT_MS);
  fail_unless (pl != NULL);
  g_free (pl);
  rv_mqtt_sub_free (s);
  rv_mqtt_broker_free (b);
}

GST_END_TEST;

static void
push_motion (GstElement * p, gboolean calibrated, gboolean motion,
    gfloat score, GstClockTime pts)
{
  GstElement *src = gst_bin_get_by_name (GST_BIN (p), "src");
  GstFlowReturn ret;
  GstBuffer *buf = rv_cls_buffer_new (1, 0, labels, 4, 1, 0.9f, pts);
  /* another stream's meta on the same buffer must not be taken */
  rv_cls_buffer_add_motion (buf, 2, 0, TRUE, FALSE, 9.0f);
  rv_cls_buffer_add_motion (buf, 1, 0, calibrated, motion, score);
  g_signal_emit_by_name (src, "push-buffer", buf, &ret);
  gst_buffer_unref (buf);
  fail_unless_equals_int (ret, GST_FLOW_OK);
  gst_object_unref (src);
}

/* motion / motion_score from the stream's GstRvMotionMeta; null before
 * the detector is calibrated. */
GST_START_TEST (test_motion)
{
  RvMqttBroker *b = start_broker (NULL, FALSE);
  RvMqttSub *s = subscribe (b);
  GstElement *p = start_pipeline (b, "lab", "discovery-prefix=\"\"");
  const gchar *topic = "rvcsi/lab/node/1/state";
  JsonParser *jp;
  JsonObject *o;
  gchar *pl;

  push_motion (p, FALSE, FALSE, 0.0f, 0);
  pl = wait_json_member (s, topic, "label", "walking");
  o = parse_object (pl, &jp);
  fail_unless (json_object_get_null_member (o, "motion"));
  fail_unless (json_object_get_null_member (o, "motion_score"));
  g_object_unref (jp);
  g_free (pl);

  push_motion (p, TRUE, TRUE, 2.5f, 10 * GST_MSECOND);
  pl = rv_mqtt_sub_wait (s, topic, NULL, WAIT_MS);
  while (pl && !strstr (pl, "\"motion\":true")) {
    g_free (pl);
    g_usleep (20000);
    pl = rv_mqtt_sub_wait (s, topic, NULL, WAIT_MS);
  }
  o = parse_object (pl, &jp);
  fail_unless (json_object_get_boolean_member (o, "motion"));
  fail_unless (fabs (json_object_get_double_member (o, "motion_score") - 2.5)
      < 1e-6);
  g_object_unref (jp);
  g_free (pl);
  stop_pipeline (p);
  rv_mqtt_sub_free (s);
  rv_mqtt_broker_free (b);
}

GST_END_TEST;

/* Only label/motion changes publish at once; score/confidence moves wait
 * for score-interval, and a heartbeat repeats an unchanged state. */
GST_START_TEST (test_rate_limits)
{
  RvMqttBroker *b = start_broker (NULL, FALSE);
  RvMqttSub *s = subscribe (b);
  GstElement *p = start_pipeline (b, "lab", "discovery-prefix=\"\" "
      "score-interval=1000000000 heartbeat-interval=5000000000");
  const gchar *topic = "rvcsi/lab/node/1/state";
  GstClockTime t;
  guint64 n;

  push (p, 1, 0, 1, 0.50f, 0);
  /* confidence moves every 10 ms for 2.5 s: states at 0, 1 s, 2 s */
  for (t = 10 * GST_MSECOND; t <= 2500 * GST_MSECOND; t += 10 * GST_MSECOND)
    push (p, 1, 0, 1, 0.5f + (gfloat) (t / GST_MSECOND) * 1e-4f, t);
  push (p, 1, 0, 2, 0.9f, t);   /* label change: at once */
  g_free (wait_json_member (s, topic, "label", "sitting"));
  fail_unless_equals_int (rv_mqtt_sub_count (s, topic, NULL), 4);
  /* unchanged for 5 s of stream time: one heartbeat */
  n = rv_mqtt_sub_count (s, NULL, NULL);
  push (p, 1, 0, 2, 0.9f, t + 5 * GST_SECOND);
  fail_unless (rv_mqtt_sub_wait_count (s, n + 1, WAIT_MS));
  fail_unless_equals_int (rv_mqtt_sub_count (s, topic, NULL), 5);
  stop_pipeline (p);
  rv_mqtt_sub_free (s);
  rv_mqtt_broker_free (b);
}

GST_END_TEST;

GST_START_TEST (test_broker_restart)
{
  RvMqttBroker *b = start_broker (NULL, FALSE);
  RvMqttSub *s = subscribe (b);
  GstElement *p = start_pipeline (b, "lab", NULL);
  GError *err = NULL;
  GstStructure *st;
  guint64 connects = 0;

  push (p, 1, 0, 1, 0.9f, 0);
  g_free (wait_json_member (s, "rvcsi/lab/node/1/state", "label", "walking"));
  /* The new broker has no retained messages (persistence false): all it
   * knows after the restart is what the sink publishes again. */
  fail_unless (rv_mqtt_broker_restart (b, &err), "%s",
      err ? err->message : "");
  rv_mqtt_sub_reset (s);
  g_free (wait_json_member (s, "rvcsi/lab/node/1/state", "label",
          "walking"));
  expect_msg (s, "homeassistant/binary_sensor/rvcsi_lab_node1/"
          "motion/config", NULL);
  expect_msg (s, "homeassistant/sensor/rvcsi_lab_node1/"
          "activity/config", NULL);
  expect_msg (s, "rvcsi/lab/node/1/availability",
          "online");
  expect_msg (s, "rvcsi/lab/availability", "online");
  /* and streaming goes on */
  push (p, 1, 0, 2, 0.9f, GST_SECOND);
  g_free (wait_json_member (s, "rvcsi/lab/node/1/state", "label", "sitting"));
  g_object_get (gst_bin_get_by_name (GST_BIN (p), "sink"), "stats", &st,
      NULL);
  gst_structure_get_uint64 (st, "connects", &connects);
  fail_unless (connects >= 2);
  gst_structure_free (st);
  stop_pipeline (p);
  rv_mqtt_sub_free (s);
  rv_mqtt_broker_free (b);
}

GST_END_TEST;

GST_START_TEST (test_refused_password)
{
  gchar *dir = g_dir_make_tmp ("rvmqtt-pw-XXXXXX", NULL);
  gchar *pw = g_build_filename (dir, "passwd", NULL);
  gchar *cmd = g_strdup_printf ("mosquitto_passwd -c -b %s rv secret", pw);
  gchar *conf = g_strdup_printf ("allow_anonymous false\npassword_file %s",
      pw);
  RvMqttBroker *b;
  GError *err = NULL;
  GstElement *p;
  gchar *text;

  /* the password file must exist before the broker reads it */
  fail_unless (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, &err));
  b = start_broker (conf, FALSE);
  p = start_pipeline (b, "lab", "username=rv password=wrong");
  text = wait_bus (p, GST_MESSAGE_ERROR);
  fail_unless (strstr (text, "username and password") != NULL, "%s", text);
  g_free (text);
  stop_pipeline (p);

  /* the right password connects */
  p = start_pipeline (b, "lab", "username=rv password=secret");
  {
    GstElement *sink = gst_bin_get_by_name (GST_BIN (p), "sink");
    gboolean connected = FALSE;
    gint64 deadline = g_get_monotonic_time () + WAIT_MS * 1000;
    while (!connected && g_get_monotonic_time () < deadline) {
      GstStructure *st;
      g_object_get (sink, "stats", &st, NULL);
      gst_structure_get_boolean (st, "connected", &connected);
      gst_structure_free (st);
      g_usleep (20000);
    }
    fail_unless (connected);
    gst_object_unref (sink);
  }
  stop_pipeline (p);
  rv_mqtt_broker_free (b);
  g_unlink (pw);
  g_rmdir (dir);
  g_free (conf);
  g_free (cmd);
  g_free (pw);
  g_free (dir);
}

GST_END_TEST;

GST_START_TEST (test_tls)
{
  RvMqttBroker *b = start_broker (NULL, TRUE);
  RvMqttSub *s = subscribe (b);
  gchar *ca = rv_mqtt_broker_path (b, "ca.crt");
  gchar *other = rv_mqtt_broker_path (b, "other.crt");
  gchar *props = g_strdup_printf ("host=127.0.0.1 port=%u site=lab tls-ca=%s",
      b->tls_port, ca);
  GstElement *p = make_pipeline (props);
  gchar *text;

  fail_if (gst_element_set_state (p, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  push (p, 1, 0, 1, 0.9f, 0);
  g_free (wait_json_member (s, "rvcsi/lab/node/1/state", "label", "walking"));
  stop_pipeline (p);
  g_free (props);

  /* a CA that did not sign the broker's certificate: a clear, fatal error */
  props = g_strdup_printf ("host=127.0.0.1 port=%u site=lab tls-ca=%s",
      b->tls_port, other);
  p = make_pipeline (props);
  gst_element_set_state (p, GST_STATE_PLAYING);
  text = wait_bus (p, GST_MESSAGE_ERROR);
  fail_unless (strstr (text, "TLS") != NULL, "%s", text);
  g_free (text);
  stop_pipeline (p);
  g_free (props);

  /* an unreadable CA file fails the state change */
  p = make_pipeline ("tls-ca=/nonexistent/ca.crt");
  fail_unless (gst_element_set_state (p, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  text = wait_bus (p, GST_MESSAGE_ERROR);
  fail_unless (strstr (text, "tls-ca") != NULL, "%s", text);
  g_free (text);
  stop_pipeline (p);

  g_free (ca);
  g_free (other);
  rv_mqtt_sub_free (s);
  rv_mqtt_broker_free (b);
}

GST_END_TEST;

GST_START_TEST (test_bad_host)
{
  GstElement *p = make_pipeline ("host=no-such-host.invalid site=lab");
  gchar *text;

  fail_if (gst_element_set_state (p, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  text = wait_bus (p, GST_MESSAGE_WARNING);
  fail_unless (strstr (text, "no-such-host.invalid") != NULL, "%s", text);
  g_free (text);
  stop_pipeline (p);
}

GST_END_TEST;

/* Stalled broker: the pipeline never waits for it. */
GST_START_TEST (test_stalled_broker)
{
  RvMqttBroker *b = start_broker (NULL, FALSE);
  RvMqttSub *s = subscribe (b);
  GstElement *p = start_pipeline (b, "lab", "queue-size=256 "
      "discovery-prefix=\"\"");
  GstElement *sink = gst_bin_get_by_name (GST_BIN (p), "sink");
  GstStructure *st;
  guint64 dropped = 0;
  guint queued = 0, i;
  gint64 t0;

  push (p, 1, 0, 1, 0.9f, 0);
  g_free (wait_json_member (s, "rvcsi/lab/node/1/state", "label", "walking"));
  rv_mqtt_broker_signal (b, SIGSTOP);
  t0 = g_get_monotonic_time ();
  for (i = 1; i <= 20000; i++)
    push (p, 1 + i % 8, 0, (gint) (i % 3), 0.9f, i * GST_MSECOND);
  /* 20,000 distinct states into a stopped broker in bounded time (a
   * blocking sink would never return; the bound leaves room for a loaded
   * machine and the sanitizer build) */
  fail_unless (g_get_monotonic_time () - t0 < 30 * G_USEC_PER_SEC);
  g_object_get (sink, "stats", &st, NULL);
  gst_structure_get_uint64 (st, "dropped", &dropped);
  gst_structure_get_uint (st, "queued", &queued);
  gst_structure_free (st);
  fail_unless (dropped > 0);
  fail_unless (queued <= 256);

  /* Back: every node's latest state arrives (dropped ones re-sent). */
  rv_mqtt_broker_signal (b, SIGCONT);
  for (i = 19993; i <= 20000; i++) {
    gchar topic[64];
    g_snprintf (topic, sizeof topic, "rvcsi/lab/node/%u/state", 1 + i % 8);
    g_free (wait_json_member (s, topic, "label",
            g_quark_to_string (labels[i % 3])));
  }
  gst_object_unref (sink);
  stop_pipeline (p);
  rv_mqtt_sub_free (s);
  rv_mqtt_broker_free (b);
}

GST_END_TEST;

GST_START_TEST (test_discovery_expiry)
{
  RvMqttBroker *b = start_broker (NULL, FALSE);
  RvMqttSub *s = subscribe (b);
  GstElement *p = start_pipeline (b, "lab", "discovery-expiry=2000000000");
  const gchar *cfg = "homeassistant/binary_sensor/rvcsi_lab_node1/motion/"
      "config";
  GstClockTime t;
  gchar *pl;

  push (p, 1, 0, 1, 0.9f, 0);
  pl = rv_mqtt_sub_wait (s, cfg, NULL, WAIT_MS);
  fail_unless (pl && *pl);
  g_free (pl);
  for (t = 0; t <= 3 * GST_SECOND; t += 100 * GST_MSECOND)
    push (p, 2, 0, 1, 0.9f, t);
  /* node 1 silent for > 2 s of stream time: its configs are removed */
  pl = rv_mqtt_sub_wait (s, cfg, "", WAIT_MS);
  fail_unless (pl != NULL, "config of node 1 not removed");
  g_free (pl);
  expect_msg (s, "rvcsi/lab/node/1/state", "");
  pl = rv_mqtt_sub_wait (s, "homeassistant/binary_sensor/rvcsi_lab_node2/"
      "motion/config", NULL, WAIT_MS);
  fail_unless (pl && *pl);
  g_free (pl);
  stop_pipeline (p);
  rv_mqtt_sub_free (s);
  rv_mqtt_broker_free (b);
}

GST_END_TEST;

/* rvroom's GstRvRoomMeta: a changed room state is published retained on
 * room/<room>/state, a fall alarm on room/<room>/fall. */
GST_START_TEST (test_rooms)
{
  RvMqttBroker *b = start_broker (NULL, FALSE);
  RvMqttSub *s = subscribe (b);
  GstElement *p = start_pipeline (b, "lab", "discovery-prefix=\"\"");
  GstElement *src = gst_bin_get_by_name (GST_BIN (p), "src");
  GstBuffer *buf = rv_cls_buffer_new (1, 0, labels, 4, 1, 0.9f, 0);
  GstRvRoomMeta *rm = (GstRvRoomMeta *) gst_buffer_add_meta (buf,
      gst_meta_get_info ("GstRvRoomMeta"), NULL);
  GstFlowReturn ret;
  JsonParser *jp;
  JsonObject *o;
  gchar *pl;

  rm->room = g_quark_from_static_string ("kitchen");
  rm->label = labels[1];
  rm->label_index = 1;
  rm->confidence = 0.75f;
  rm->occupied = TRUE;
  rm->links = 3;
  rm->stream_time = 2 * GST_SECOND;
  rm->changed = TRUE;
  rm->fall = GST_RV_ROOM_FALL_ALARM;
  rm->fall_node = 2;
  rm->fall_onset = GST_SECOND;
  rm->fall_confidence = 0.8f;
  rm->fall_delay = 3500 * GST_MSECOND;
  g_signal_emit_by_name (src, "push-buffer", buf, &ret);
  gst_buffer_unref (buf);
  fail_unless_equals_int (ret, GST_FLOW_OK);
  gst_object_unref (src);

  pl = wait_json_member (s, "rvcsi/lab/room/kitchen/state", "label",
      g_quark_to_string (labels[1]));
  o = parse_object (pl, &jp);
  fail_unless_equals_string (json_object_get_string_member (o, "room"),
      "kitchen");
  fail_unless (json_object_get_boolean_member (o, "occupied"));
  fail_unless_equals_int (json_object_get_int_member (o, "links"), 3);
  fail_unless (fabs (json_object_get_double_member (o, "stream_time") - 2.0)
      < 1e-6);
  g_object_unref (jp);
  g_free (pl);
  pl = wait_json_member (s, "rvcsi/lab/room/kitchen/fall", "event", "fall");
  o = parse_object (pl, &jp);
  fail_unless_equals_int (json_object_get_int_member (o, "node"), 2);
  fail_unless (fabs (json_object_get_double_member (o, "onset") - 1.0) < 1e-6);
  fail_unless (fabs (json_object_get_double_member (o, "delay") - 3.5) < 1e-6);
  g_object_unref (jp);
  g_free (pl);
  stop_pipeline (p);
  rv_mqtt_sub_free (s);
  rv_mqtt_broker_free (b);
}

GST_END_TEST;

/* The whole chain on simulated nodes (rvsim capture): every node appears
 * with its three entities and a state carrying a label and motion. */
GST_START_TEST (test_simulated_house)
{
  RvMqttBroker *b = start_broker (NULL, FALSE);
  RvMqttSub *s = subscribe (b);
  gchar *pcap = rv_mqtt_broker_path (b, "house.pcap");
  gchar *cmd = g_strdup_printf ("%s --nodes 2 --scenario walking --duration 8 "
      "--seed 5 --pcap %s", g_getenv ("RVSIM"), pcap);
  gchar *desc, *pl;
  GstElement *p;
  GstBus *bus;
  GstMessage *m;
  GError *err = NULL;
  guint node, e;

  fail_unless (g_getenv ("RVSIM") != NULL);
  fail_unless (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, &err), "%s",
      err ? err->message : "");
  desc = g_strdup_printf ("filesrc location=%s ! pcapparse ! rvcsiparse ! "
      "rvtemporalhead ! rvclassify ! rvmqttsink host=127.0.0.1 port=%u "
      "site=sim", pcap, b->port);
  p = gst_parse_launch (desc, &err);
  fail_unless (p != NULL, "%s", err ? err->message : "");
  gst_element_set_state (p, GST_STATE_PLAYING);
  bus = gst_element_get_bus (p);
  m = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (m && GST_MESSAGE_TYPE (m) == GST_MESSAGE_EOS);
  gst_message_unref (m);
  gst_object_unref (bus);

  for (node = 1; node <= 2; node++) {
    static const gchar *ent[] = { "binary_sensor/rvcsi_sim_node%u/motion",
      "binary_sensor/rvcsi_sim_node%u/occupancy",
      "sensor/rvcsi_sim_node%u/activity"
    };
    gchar topic[96], fmt[96];
    JsonParser *jp;
    JsonObject *o;
    for (e = 0; e < G_N_ELEMENTS (ent); e++) {
      g_snprintf (fmt, sizeof fmt, "homeassistant/%s/config", ent[e]);
      g_snprintf (topic, sizeof topic, fmt, node);
      pl = rv_mqtt_sub_wait (s, topic, NULL, WAIT_MS);
      fail_unless (pl && *pl, "no %s", topic);
      g_free (pl);
    }
    g_snprintf (topic, sizeof topic, "rvcsi/sim/node/%u/state", node);
    pl = rv_mqtt_sub_wait (s, topic, NULL, WAIT_MS);
    o = parse_object (pl, &jp);
    fail_if (json_object_get_null_member (o, "label"), "%s", pl);
    fail_if (json_object_get_null_member (o, "motion"), "%s", pl);
    g_object_unref (jp);
    g_free (pl);
  }
  stop_pipeline (p);
  g_free (desc);
  g_free (cmd);
  g_free (pcap);
  rv_mqtt_sub_free (s);
  rv_mqtt_broker_free (b);
}

GST_END_TEST;

/* examples/python/rvcsi_mqtt_subscribe.py (Debian's python3-paho-mqtt)
 * prints the node's state from a running pipeline. */
GST_START_TEST (test_python_example)
{
  RvMqttBroker *b = start_broker (NULL, FALSE);
  GstElement *p = start_pipeline (b, "pysite", NULL);
  gchar *script = g_build_filename (g_getenv ("RV_SOURCE_DIR"), "examples",
      "python", "rvcsi_mqtt_subscribe.py", NULL);
  gchar *port = g_strdup_printf ("%u", b->port);
  gchar *argv[] = { (gchar *) "/usr/bin/python3", (gchar *) "-u", script,
    (gchar *) "--host", (gchar *) "127.0.0.1", (gchar *) "--port", port, NULL
  };
  GString *out = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * 1000;
  GError *err = NULL;
  GPid pid;
  gint fd;
  int status;

  fail_unless (g_getenv ("RV_SOURCE_DIR") != NULL);
  push (p, 3, 0, 1, 0.9f, 0);
  fail_unless (g_spawn_async_with_pipes (NULL, argv, NULL,
          G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, NULL, &fd, NULL, &err),
      "%s", err ? err->message : "");
  fail_unless (g_unix_set_fd_nonblocking (fd, TRUE, NULL));
  /* the retained state reaches a subscriber that comes later */
  while (!strstr (out->str, "node   3  walking")
      && g_get_monotonic_time () < deadline) {
    struct pollfd pfd = { fd, POLLIN, 0 };
    gchar buf[512];
    gssize n;
    if (poll (&pfd, 1, 100) > 0 && (n = read (fd, buf, sizeof buf)) > 0)
      g_string_append_len (out, buf, n);
  }
  kill (pid, SIGTERM);
  waitpid (pid, &status, 0);
  g_spawn_close_pid (pid);
  close (fd);
  fail_unless (strstr (out->str, "node   3  walking") != NULL,
      "subscriber printed: %s", out->str);
  fail_unless (strstr (out->str, "pysite") != NULL);
  g_string_free (out, TRUE);
  g_free (port);
  g_free (script);
  stop_pipeline (p);
  rv_mqtt_broker_free (b);
}

GST_END_TEST;

/* ---- child pipeline processes ---- */

/* No Check assertions here: this process is not a Check test. */
static int
child_main (const gchar * port, const gchar * site)
{
  gchar *desc;
  GstElement *p, *src;
  GstBuffer *buf;
  GstFlowReturn ret = GST_FLOW_ERROR;
  guint i;

  gst_init (NULL, NULL);
  init_labels ();
  desc = g_strdup_printf ("appsrc name=src format=time "
      "caps=application/x-rvcsi ! rvmqttsink host=127.0.0.1 port=%s site=%s",
      port, site);
  p = gst_parse_launch (desc, NULL);
  g_free (desc);
  if (!p)
    return 1;
  gst_element_set_state (p, GST_STATE_PLAYING);
  src = gst_bin_get_by_name (GST_BIN (p), "src");
  buf = rv_cls_buffer_new (1, 0, labels, 4, 1, 0.9f, 0);
  g_signal_emit_by_name (src, "push-buffer", buf, &ret);
  gst_buffer_unref (buf);
  gst_object_unref (src);
  /* until the test kills it (SIGKILL), at most a minute */
  for (i = 0; i < 600 && ret == GST_FLOW_OK; i++)
    g_usleep (100000);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (p);
  return ret == GST_FLOW_OK ? 0 : 1;
}

static GPid
spawn_child (RvMqttBroker * b, const gchar * site)
{
  gchar *port = g_strdup_printf ("%u", b->port);
  gchar *argv[] = { (gchar *) "/proc/self/exe", (gchar *) "--child", port,
    (gchar *) site, NULL
  };
  GError *err = NULL;
  GPid pid = 0;
  fail_unless (g_spawn_async (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
          NULL, NULL, &pid, &err), "%s", err ? err->message : "");
  g_free (port);
  return pid;
}

static void
kill_child (GPid pid)
{
  int status;
  kill (pid, SIGKILL);
  waitpid (pid, &status, 0);
  g_spawn_close_pid (pid);
}

GST_START_TEST (test_last_will)
{
  RvMqttBroker *b = start_broker (NULL, FALSE);
  RvMqttSub *s = subscribe (b);
  GPid pid = spawn_child (b, "willtest");

  expect_msg (s, "rvcsi/willtest/availability", "online");
  g_free (wait_json_member (s, "rvcsi/willtest/node/1/state", "label",
          "walking"));
  kill_child (pid);
  /* the broker publishes the Last Will once the socket closes */
  expect_msg (s, "rvcsi/willtest/availability", "offline");
  rv_mqtt_sub_free (s);
  rv_mqtt_broker_free (b);
}

GST_END_TEST;

/* Scale-out: two pipeline hosts (sites) on one broker, one subscriber. */
GST_START_TEST (test_two_sites)
{
  RvMqttBroker *b = start_broker (NULL, FALSE);
  RvMqttSub *s = subscribe (b);
  GPid a = spawn_child (b, "house-a");
  GPid c = spawn_child (b, "house-b");

  g_free (wait_json_member (s, "rvcsi/house-a/node/1/state", "label",
          "walking"));
  g_free (wait_json_member (s, "rvcsi/house-b/node/1/state", "label",
          "walking"));
  /* same node id, two devices in Home Assistant */
  expect_msg (s, "homeassistant/sensor/"
          "rvcsi_house-a_node1/activity/config", NULL);
  expect_msg (s, "homeassistant/sensor/"
          "rvcsi_house-b_node1/activity/config", NULL);
  kill_child (a);
  kill_child (c);
  rv_mqtt_sub_free (s);
  rv_mqtt_broker_free (b);
}

GST_END_TEST;

static Suite *
rvmqttsink_suite (void)
{
  Suite *s = suite_create ("rvmqttsink");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_discovery_and_states);
  tcase_add_test (tc, test_motion);
  tcase_add_test (tc, test_rate_limits);
  tcase_add_test (tc, test_broker_restart);
  tcase_add_test (tc, test_refused_password);
  tcase_add_test (tc, test_tls);
  tcase_add_test (tc, test_bad_host);
  tcase_add_test (tc, test_stalled_broker);
  tcase_add_test (tc, test_discovery_expiry);
  tcase_add_test (tc, test_simulated_house);
  tcase_add_test (tc, test_python_example);
  tcase_add_test (tc, test_last_will);
  tcase_add_test (tc, test_two_sites);
  tcase_add_test (tc, test_rooms);
  return s;
}

int
main (int argc, char **argv)
{
  if (argc == 4 && strcmp (argv[1], "--child") == 0)
    return child_main (argv[2], argv[3]);
  gst_check_init (&argc, &argv);
  return gst_check_run_suite (rvmqttsink_suite (), "rvmqttsink", __FILE__);
}
