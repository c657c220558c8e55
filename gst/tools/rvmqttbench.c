/*
 * rvmqttbench — how many distinct node states per second rvmqttsink gets
 * through a local mosquitto to a subscriber, and at what CPU cost.
 *
 *   build/gst/rvmqttbench [--updates N] [--nodes N] [--qos Q] [--quick]
 *
 * It starts a private mosquitto on a free loopback port, forks a
 * subscriber process (so its CPU is not counted as the pipeline's) on
 * rvcsi/bench/node/+/state, and for each row pushes N classification
 * buffers through `appsrc block=true ! rvmqttsink`. Every buffer changes
 * its node's label, so every one must become a message: nothing may
 * coalesce. Rows: paced at fixed offered rates, and unpaced (as fast as
 * the pipeline goes). Back-pressure shows as a push rate below the offered
 * rate and as the longest single push.
 *
 * Reference, same run, same broker and subscriber: a bare libmosquitto
 * publisher in one thread (publish writes at once, acks read every 64
 * messages) sending payloads of the same size with the same QoS, unpaced:
 * the least a client can spend per message.
 *
 * CPU per 1,000 updates: user+system time of this process (pipeline:
 * streaming + publishing threads; or the reference publisher) and of the
 * broker, from getrusage() and /proc/<pid>/stat.
 */
#include <gst/gst.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <mosquitto.h>

#include "rvclsbuffer.h"
#include "rvmqttbroker.h"
#include "rvtoolopts.h"

#define TOPIC_FILTER "rvcsi/bench/node/+/state"

typedef struct {
  guint64 updates;
  guint nodes;
  guint qos;
  gboolean quick;
} Options;

/* ---- the subscriber process ---- */

typedef struct {
  guint64 cmd;                  /* 1 = reset, 2 = wait for n */
  guint64 n;
} SubCmd;

typedef struct {
  guint64 received;
  gint64 last_us;               /* CLOCK_MONOTONIC of the latest message */
} SubReply;

static int
subscriber_main (guint port, guint qos, int in, int out)
{
  GError *err = NULL;
  RvMqttSub *s = rv_mqtt_sub_new (port, TOPIC_FILTER, (int) qos, &err);
  SubCmd c;

  if (!s) {
    fprintf (stderr, "rvmqttbench: %s\n", err->message);
    return 1;
  }
  while (read (in, &c, sizeof c) == sizeof c) {
    SubReply r = { 0, 0 };
    if (c.cmd == 1) {
      rv_mqtt_sub_reset (s);
    } else {
      /* wait for n, or until nothing arrives for 5 s */
      guint64 seen = 0;
      while (!rv_mqtt_sub_wait_count (s, c.n, 5000)) {
        guint64 now = rv_mqtt_sub_count (s, NULL, NULL);
        if (now == seen)
          break;
        seen = now;
      }
      r.received = rv_mqtt_sub_count (s, NULL, &r.last_us);
    }
    if (write (out, &r, sizeof r) != sizeof r)
      break;
  }
  rv_mqtt_sub_free (s);
  return 0;
}

typedef struct {
  GPid pid;
  int to, from;
} Subscriber;

static gboolean
sub_call (Subscriber * sub, guint64 cmd, guint64 n, SubReply * r)
{
  SubCmd c = { cmd, n };
  return write (sub->to, &c, sizeof c) == sizeof c
      && read (sub->from, r, sizeof * r) == sizeof * r;
}

/* ---- CPU ---- */

static gdouble
self_cpu_s (void)
{
  struct rusage ru;
  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
      (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static gdouble
pid_cpu_s (GPid pid)
{
  gchar *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  gchar *text = NULL;
  gdouble s = 0;
  if (g_file_get_contents (path, &text, NULL, NULL)) {
    /* fields after the ")" of comm: state is 3rd, utime 14th, stime 15th */
    const gchar *p = strrchr (text, ')');
    unsigned long ut = 0, st = 0;
    if (p && sscanf (p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
            "%lu %lu", &ut, &st) == 2)
      s = (gdouble) (ut + st) / (gdouble) sysconf (_SC_CLK_TCK);
  }
  g_free (text);
  g_free (path);
  return s;
}

/* ---- one row ---- */

typedef struct {
  const gchar *name;
  guint64 sent, received, dropped;
  gdouble offered, push_rate, recv_rate, max_push_ms, cpu_ms, broker_ms;
} Row;

static GQuark labels[3];

static Row
run_sink (const Options * o, RvMqttBroker * b, Subscriber * sub,
    gdouble offered, const gchar * name)
{
  Row row = { name, 0, 0, 0, offered, 0, 0, 0, 0, 0 };
  gchar *desc = g_strdup_printf ("appsrc name=src format=time block=true "
      "max-buffers=1024 caps=application/x-rvcsi ! rvmqttsink name=sink "
      "host=127.0.0.1 port=%u site=bench qos=%u discovery-prefix=\"\" "
      "heartbeat-interval=0", b->port, o->qos);
  GError *err = NULL;
  GstElement *p = gst_parse_launch (desc, &err), *src, *sink;
  GstStructure *st;
  SubReply r;
  gint64 t0, t1, next;
  gdouble cpu0, bcpu0;
  guint64 i, per_node = 0;

  g_free (desc);
  if (!p) {
    fprintf (stderr, "rvmqttbench: %s\n", err->message);
    exit (1);
  }
  src = gst_bin_get_by_name (GST_BIN (p), "src");
  sink = gst_bin_get_by_name (GST_BIN (p), "sink");
  gst_element_set_state (p, GST_STATE_PLAYING);
  /* announce every node first (availability + first state), then count */
  for (i = 0; i < o->nodes; i++) {
    GstBuffer *buf = rv_cls_buffer_new ((guint8) (i + 1), 0, labels, 3, 0,
        0.5f, 0);
    GstFlowReturn ret;
    g_signal_emit_by_name (src, "push-buffer", buf, &ret);
    gst_buffer_unref (buf);
  }
  sub_call (sub, 2, o->nodes, &r);
  sub_call (sub, 1, 0, &r);

  cpu0 = self_cpu_s ();
  bcpu0 = pid_cpu_s (b->pid);
  t0 = next = g_get_monotonic_time ();
  for (i = 0; i < o->updates; i++) {
    guint node = (guint) (i % o->nodes);
    GstBuffer *buf;
    GstFlowReturn ret;
    gint64 a, d;

    if (node == 0)
      per_node++;
    /* each node alternates walking/sitting: every buffer is a change */
    buf = rv_cls_buffer_new ((guint8) (node + 1), 0, labels, 3,
        1 + (gint) (per_node % 2), 0.9f, (per_node + 1) * GST_MSECOND);
    if (offered > 0 && i % 64 == 0) {
      next = t0 + (gint64) ((gdouble) i * 1e6 / offered);
      while (g_get_monotonic_time () < next)
        g_usleep (MIN (200, next - g_get_monotonic_time ()));
    }
    a = g_get_monotonic_time ();
    g_signal_emit_by_name (src, "push-buffer", buf, &ret);
    d = g_get_monotonic_time () - a;
    row.max_push_ms = MAX (row.max_push_ms, d / 1000.0);
    gst_buffer_unref (buf);
    if (ret != GST_FLOW_OK) {
      fprintf (stderr, "rvmqttbench: push returned %s\n",
          gst_flow_get_name (ret));
      exit (1);
    }
  }
  t1 = g_get_monotonic_time ();
  sub_call (sub, 2, o->updates, &r);
  row.cpu_ms = (self_cpu_s () - cpu0) * 1e3 * 1000.0 / (gdouble) o->updates;
  row.broker_ms = (pid_cpu_s (b->pid) - bcpu0) * 1e3 * 1000.0 /
      (gdouble) o->updates;
  g_object_get (sink, "stats", &st, NULL);
  gst_structure_get_uint64 (st, "dropped", &row.dropped);
  gst_structure_free (st);
  row.sent = o->updates;
  row.received = r.received;
  row.push_rate = o->updates / ((t1 - t0) / 1e6);
  row.recv_rate = r.received / ((MAX (r.last_us, t1) - t0) / 1e6);

  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (src);
  gst_object_unref (sink);
  gst_object_unref (p);
  sub_call (sub, 1, 0, &r);
  return row;
}

static void
on_ref_publish (struct mosquitto *m, void *obj, int mid)
{
  (void) m;
  (void) mid;
  (*(guint64 *) obj)++;
}

/* Reference: bare libmosquitto publisher, same payload size and QoS. */
static Row
run_reference (const Options * o, RvMqttBroker * b, Subscriber * sub)
{
  Row row = { "libmosquitto publisher (reference)", 0, 0, 0, 0, 0, 0, 0, 0,
    0
  };
  guint64 acked = 0;
  struct mosquitto *m = mosquitto_new (NULL, TRUE, &acked);
  /* the size of a typical state payload (docs/mqtt.md) */
  gchar payload[232];
  SubReply r;
  gint64 t0, t1;
  gdouble cpu0, bcpu0;
  guint64 i;

  memset (payload, 'x', sizeof payload);
  mosquitto_max_inflight_messages_set (m, 128);   /* as rvmqttsink */
  mosquitto_publish_callback_set (m, on_ref_publish);
  mosquitto_int_option (m, MOSQ_OPT_TCP_NODELAY, 1);
  /* No network thread: publish writes at once, the loop reads acks. */
  if (mosquitto_connect (m, "127.0.0.1", (int) b->port, 30) != MOSQ_ERR_SUCCESS) {
    fprintf (stderr, "rvmqttbench: reference publisher cannot connect\n");
    exit (1);
  }
  cpu0 = self_cpu_s ();
  bcpu0 = pid_cpu_s (b->pid);
  t0 = g_get_monotonic_time ();
  for (i = 0; i < o->updates; i++) {
    gchar topic[64];
    g_snprintf (topic, sizeof topic, "rvcsi/bench/node/%u/state",
        (guint) (i % o->nodes) + 1);
    payload[0] = (gchar) ('a' + i % 26);
    mosquitto_publish (m, NULL, topic, sizeof payload, payload, (int) o->qos,
        TRUE);
    if (i % 64 == 63)
      mosquitto_loop (m, 0, 1);
  }
  while (acked < o->updates && mosquitto_loop (m, 100, 1) == MOSQ_ERR_SUCCESS);
  t1 = g_get_monotonic_time ();
  sub_call (sub, 2, o->updates, &r);
  row.cpu_ms = (self_cpu_s () - cpu0) * 1e6 / (gdouble) o->updates;
  row.broker_ms = (pid_cpu_s (b->pid) - bcpu0) * 1e6 / (gdouble) o->updates;
  row.sent = o->updates;
  row.received = r.received;
  row.push_rate = o->updates / ((t1 - t0) / 1e6);
  row.recv_rate = r.received / ((MAX (r.last_us, t1) - t0) / 1e6);
  mosquitto_disconnect (m);
  mosquitto_destroy (m);
  sub_call (sub, 1, 0, &r);
  return row;
}

static void
print_row (const Row * r)
{
  gchar offered[32];
  if (r->offered > 0)
    g_snprintf (offered, sizeof offered, "%.0f", r->offered);
  else
    g_strlcpy (offered, "max", sizeof offered);
  printf ("| %s | %s | %" G_GUINT64_FORMAT " | %.0f | %.2f | %"
      G_GUINT64_FORMAT " | %.0f | %" G_GUINT64_FORMAT " | %.1f | %.1f |\n",
      r->name, offered, r->sent, r->push_rate, r->max_push_ms, r->received,
      r->recv_rate, r->dropped, r->cpu_ms, r->broker_ms);
}

/* Forks the subscriber process (call before any thread exists). */
static gboolean
start_subscriber (guint port, guint qos, Subscriber * sub)
{
  int to_child[2], from_child[2];

  if (pipe (to_child) < 0 || pipe (from_child) < 0) {
    perror ("rvmqttbench: pipe");
    return FALSE;
  }
  fflush (NULL);
  sub->pid = fork ();
  if (sub->pid < 0) {
    perror ("rvmqttbench: fork");
    return FALSE;
  }
  if (sub->pid == 0) {
    close (to_child[1]);
    close (from_child[0]);
    _exit (subscriber_main (port, qos, to_child[0], from_child[1]));
  }
  close (to_child[0]);
  close (from_child[1]);
  sub->to = to_child[1];
  sub->from = from_child[0];
  return TRUE;
}

/* The run's conditions (load average included) and the table header. */
static void
print_header (const Options * o, guint port)
{
  gchar *load = NULL;

  g_file_get_contents ("/proc/loadavg", &load, NULL, NULL);
  printf ("rvmqttbench: %" G_GUINT64_FORMAT " distinct state updates per "
      "row over %u nodes, QoS %u, mosquitto on 127.0.0.1:%u, subscriber in "
      "its own process; %u CPUs, load average %s\n", o->updates, o->nodes,
      o->qos, port, g_get_num_processors (), load ? g_strchomp (load) : "?");
  g_free (load);
  printf ("| publisher | offered/s | updates | pushed/s | longest push ms | "
      "received | received/s | dropped | CPU ms per 1000 (process) | "
      "CPU ms per 1000 (broker) |\n|---|---|---|---|---|---|---|---|---|---|\n");
}

/* Fills o from argv; -1 to go on, else the exit status. */
static int
parse_args (int *argc, char ***argv, Options * o)
{
  gint64 updates = (gint64) o->updates;
  gint nodes = (gint) o->nodes, qos = (gint) o->qos;
  GOptionEntry entries[] = {
    {"updates", 0, 0, G_OPTION_ARG_INT64, &updates,
        "Node states per row, 1000..100000000 (default 200000)", "N"},
    {"nodes", 0, 0, G_OPTION_ARG_INT, &nodes,
        "Nodes the states rotate over, 1..255 (default 64)", "N"},
    {"qos", 0, 0, G_OPTION_ARG_INT, &qos, "MQTT QoS 0..2 (default 1)", "Q"},
    {"quick", 0, 0, G_OPTION_ARG_NONE, &o->quick,
        "At most 20000 updates per row (CI smoke run)", NULL},
    G_OPTION_ENTRY_NULL
  };

  if (!gst_rv_tool_parse_options ("rvmqttbench", "Distinct node states per "
          "second through rvmqttsink and a private mosquitto to a subscriber, "
          "against a bare libmosquitto publisher (docs/mqtt.md). GStreamer "
          "starts after the subscriber process is forked, so GStreamer's "
          "options are not taken.", entries, FALSE, argc, argv))
    return 2;
  if (updates < 1000 || updates > 100000000)
    return gst_rv_tool_usage_error ("rvmqttbench", "--updates: %" G_GINT64_FORMAT
        " is not in 1000..100000000", updates);
  if (nodes < 1 || nodes > 255)
    return gst_rv_tool_usage_error ("rvmqttbench", "--nodes: %d is not in "
        "1..255", nodes);
  if (qos < 0 || qos > 2)
    return gst_rv_tool_usage_error ("rvmqttbench", "--qos: %d is not in 0..2",
        qos);
  o->updates = (guint64) updates;
  o->nodes = (guint) nodes;
  o->qos = (guint) qos;
  return -1;
}

int
main (int argc, char **argv)
{
  Options o = { 200000, 64, 1, FALSE };
  /* broker: no limits on what it holds for the subscriber */
  const gchar *conf = "max_inflight_messages 0\nmax_queued_messages 0\n";
  static const gdouble rates[] = { 10000, 20000, 40000, 0 };
  GError *err = NULL;
  RvMqttBroker *b;
  Subscriber sub;
  guint i;
  Row rows[5];
  guint nrows = 0;
  int st;

  st = parse_args (&argc, &argv, &o);
  if (st >= 0)
    return st;
  if (o.quick)
    o.updates = MIN (o.updates, 20000);

  b = rv_mqtt_broker_start (conf, FALSE, &err);
  if (!b) {
    fprintf (stderr, "rvmqttbench: cannot start mosquitto: %s\n",
        err->message);
    return 1;
  }
  /* the subscriber process, before any thread exists here */
  if (!start_subscriber (b->port, o.qos, &sub))
    return 1;

  gst_init (&argc, &argv);
  {
    /* also makes the plugin register its metas */
    GstElement *probe = gst_element_factory_make ("rvmqttsink", NULL);
    if (!probe) {
      fprintf (stderr, "rvmqttbench: rvmqttsink not found; set "
          "GST_PLUGIN_PATH=build/gst\n");
      return 1;
    }
    gst_object_unref (probe);
  }
  labels[0] = g_quark_from_static_string ("empty");
  labels[1] = g_quark_from_static_string ("walking");
  labels[2] = g_quark_from_static_string ("sitting");

  print_header (&o, b->port);
  rows[nrows] = run_reference (&o, b, &sub);
  print_row (&rows[nrows++]);
  for (i = 0; i < G_N_ELEMENTS (rates); i++) {
    if (o.quick && rates[i] != 20000)
      continue;
    rows[nrows] = run_sink (&o, b, &sub, rates[i], "rvmqttsink");
    print_row (&rows[nrows++]);
    fflush (stdout);
  }
  printf ("\nrvmqttsink CPU per update vs the bare publisher: %.2fx "
      "(last row)\n", rows[nrows - 1].cpu_ms / MAX (rows[0].cpu_ms, 1e-9));

  close (sub.to);
  close (sub.from);
  waitpid (sub.pid, NULL, 0);
  rv_mqtt_broker_free (b);
  /* Drops are allowed (counted, and the latest states are re-sent);
   * a message neither received nor counted is a bug. */
  for (i = 1; i < nrows; i++)
    if (rows[i].received + rows[i].dropped < rows[i].sent) {
      fprintf (stderr, "rvmqttbench: %" G_GUINT64_FORMAT " updates neither "
          "received nor counted as dropped\n", rows[i].sent -
          rows[i].received - rows[i].dropped);
      return 3;
    }
  return 0;
}
