/*
 * gstrvmqttsink.c — rvmqttsink: publishes each node's classification (and
 * motion) state to an MQTT broker, announces Home Assistant entities by
 * MQTT discovery, and follows node availability from `rvcsi-node` events.
 *
 * The streaming thread only decides what to publish and builds the JSON;
 * the connection, the bounded queue and reconnects live in
 * gstrvmqttclient.c, the payloads in gstrvmqttpayload.c. Rate limits run
 * on stream time, so replayed captures publish the same way as live ones.
 * Topics and payloads: docs/mqtt.md.
 */
#include "gstrvmqttsink.h"
#include "gstrvelement.h"

#include <math.h>
#include <string.h>

#include "gstrvcsimeta.h"
#include "gstrvnodeevent.h"
#include "gstrvmqttclient.h"
#include "gstrvmqttpayload.h"
#include "gstrvpads.h"
#include "gstrvprops.h"

GST_DEBUG_CATEGORY_STATIC (gst_rv_mqtt_sink_debug);
#define GST_CAT_DEFAULT gst_rv_mqtt_sink_debug

#define DEFAULT_HOST "localhost"
#define DEFAULT_PORT 1883
#define DEFAULT_TOPIC_PREFIX "rvcsi"
#define DEFAULT_DISCOVERY_PREFIX "homeassistant"
#define DEFAULT_QOS 1
#define DEFAULT_KEEPALIVE 30
#define DEFAULT_QUEUE_SIZE 16384
#define DEFAULT_SCORE_INTERVAL (250 * GST_MSECOND)
#define DEFAULT_HEARTBEAT_INTERVAL (60 * GST_SECOND)
#define DEFAULT_DISCOVERY_EXPIRY 0
/* How long stop() waits for the queue to reach the broker. */
#define STOP_FLUSH_MS 2000
#define MAX_NODES 256

enum
{
  PROP_0,
  PROP_HOST,
  PROP_PORT,
  PROP_CLIENT_ID,
  PROP_USERNAME,
  PROP_PASSWORD,
  PROP_TLS_CA,
  PROP_TLS_CERT,
  PROP_TLS_KEY,
  PROP_TOPIC_PREFIX,
  PROP_DISCOVERY_PREFIX,
  PROP_QOS,
  PROP_SITE,
  PROP_KEEPALIVE,
  PROP_QUEUE_SIZE,
  PROP_SCORE_INTERVAL,
  PROP_HEARTBEAT_INTERVAL,
  PROP_DISCOVERY_EXPIRY,
  PROP_STATS,
};

struct _GstRvMqttSink
{
  GstBaseSink parent;

  /* properties (object lock) */
  GstRvMqttClientConfig conn;   /* connection properties as the client
                                 * takes them (strings owned, through
                                 * gst_rv_props; will_topic unused) */
  gchar *topic_prefix, *discovery_prefix, *site;
  GstClockTime score_interval, heartbeat_interval, discovery_expiry;

  /* running (streaming thread; client and counters also read by stats) */
  GstRvMqttClient *client;
  gchar *run_site, *run_prefix, *run_discovery, *host_topic;
  GstRvMqttNode *nodes[MAX_NODES];
  gchar *state_topics[MAX_NODES];       /* made once per node */
  GstClockTime last_expiry_scan;
  guint64 states, ignored, expired;     /* object lock */
};

#define gst_rv_mqtt_sink_parent_class parent_class
GST_RV_ELEMENT_DEFINE (GstRvMqttSink, gst_rv_mqtt_sink,
    GST_TYPE_BASE_SINK, rvmqttsink, "MQTT / Home Assistant publisher");

/* ---- topics ---- */

static gchar *
node_topic (GstRvMqttSink * self, guint node, const gchar * leaf)
{
  return g_strdup_printf ("%s/%s/node/%u/%s", self->run_prefix,
      self->run_site, node, leaf);
}

static void
count (GstRvMqttSink * self, guint64 * counter)
{
  GST_OBJECT_LOCK (self);
  (*counter)++;
  GST_OBJECT_UNLOCK (self);
}

static void
publish_state (GstRvMqttSink * self, GstRvMqttNode * n, GstClockTime t)
{
  gchar **topic = &self->state_topics[n->node];
  if (!*topic)
    *topic = node_topic (self, n->node, "state");
  gst_rv_mqtt_client_publish (self->client, *topic,
      gst_rv_mqtt_state_json (n, self->run_site, t), TRUE, GST_RV_MQTT_STATE);
  GST_LOG_OBJECT (self, "node %u state at %" GST_TIME_FORMAT, n->node,
      GST_TIME_ARGS (t));
  n->last_published = t;
  count (self, &self->states);
}

static void
publish_availability (GstRvMqttSink * self, GstRvMqttNode * n)
{
  gchar *topic = node_topic (self, n->node, "availability");
  gst_rv_mqtt_client_publish (self->client, topic,
      g_strdup (n->online ? "online" : "offline"), TRUE, GST_RV_MQTT_STATE);
  g_free (topic);
}

/* Discovery configs (present = TRUE) or their removal. */
static void
publish_discovery (GstRvMqttSink * self, GstRvMqttNode * n, gboolean present)
{
  gchar *state = node_topic (self, n->node, "state");
  gchar *avail = node_topic (self, n->node, "availability");
  GstRvMqttDiscovery d = { self->run_site, n->node, state, avail,
    self->host_topic, self->conn.qos
  };
  guint e;

  for (e = 0; e < GST_RV_MQTT_N_ENTITIES; e++) {
    gchar *topic = gst_rv_mqtt_discovery_topic (self->run_discovery,
        self->run_site, n->node, e);
    gst_rv_mqtt_client_publish (self->client, topic, present ?
        gst_rv_mqtt_discovery_json (&d, e) : NULL, TRUE, GST_RV_MQTT_STATE);
    g_free (topic);
  }
  g_free (state);
  g_free (avail);
}

static void
announce (GstRvMqttSink * self, GstRvMqttNode * n)
{
  if (self->run_discovery)
    publish_discovery (self, n, TRUE);
  publish_availability (self, n);
  n->announced = TRUE;
}

/* Nodes silent for discovery-expiry of stream time: their entities, state
 * and availability are removed (empty retained payloads). */
static void
expire_nodes (GstRvMqttSink * self, GstClockTime now, GstClockTime expiry)
{
  guint i;

  if (!expiry || !GST_CLOCK_TIME_IS_VALID (now))
    return;
  if (GST_CLOCK_TIME_IS_VALID (self->last_expiry_scan)
      && now < self->last_expiry_scan + MIN (expiry, GST_SECOND))
    return;
  self->last_expiry_scan = now;
  for (i = 0; i < MAX_NODES; i++) {
    GstRvMqttNode *n = self->nodes[i];
    gchar *topic;
    if (!n || !GST_CLOCK_TIME_IS_VALID (n->last_seen)
        || now < n->last_seen + expiry)
      continue;
    GST_INFO_OBJECT (self, "node %u silent for %" GST_TIME_FORMAT
        ": removing its entities", n->node, GST_TIME_ARGS (now - n->last_seen));
    if (self->run_discovery)
      publish_discovery (self, n, FALSE);
    topic = node_topic (self, n->node, "state");
    gst_rv_mqtt_client_publish (self->client, topic, NULL, TRUE,
        GST_RV_MQTT_STATE);
    g_free (topic);
    topic = node_topic (self, n->node, "availability");
    gst_rv_mqtt_client_publish (self->client, topic, NULL, TRUE,
        GST_RV_MQTT_STATE);
    g_free (topic);
    gst_rv_mqtt_node_free (n);
    self->nodes[i] = NULL;
    count (self, &self->expired);
  }
}

/* rvroom's states (on change, retained) and fall events (alarm queue). */
static void
publish_rooms (GstRvMqttSink * self, GstBuffer * buf)
{
  GType api = gst_rv_room_meta_api_get_type ();
  gpointer state = NULL;
  GstMeta *meta;

  while ((meta = gst_buffer_iterate_meta_filtered (buf, &state, api))) {
    GstRvRoomMeta *m = (GstRvRoomMeta *) meta;
    const gchar *room = g_quark_to_string (m->room);
    gchar *topic;
    if (m->changed) {
      topic = g_strdup_printf ("%s/%s/room/%s/state", self->run_prefix,
          self->run_site, room);
      gst_rv_mqtt_client_publish (self->client, topic,
          gst_rv_mqtt_room_json (m->room, m->label, m->confidence,
              m->occupied, m->links, m->stream_time, self->run_site), TRUE,
          GST_RV_MQTT_STATE);
      g_free (topic);
    }
    if (m->fall != GST_RV_ROOM_FALL_NONE) {
      topic = g_strdup_printf ("%s/%s/room/%s/fall", self->run_prefix,
          self->run_site, room);
      gst_rv_mqtt_client_publish (self->client, topic,
          gst_rv_mqtt_fall_json (m->room, m->fall == GST_RV_ROOM_FALL_CANCEL,
              m->fall_node, m->fall_onset, m->fall_confidence, m->fall_delay,
              self->run_site), FALSE, GST_RV_MQTT_ALARM);
      g_free (topic);
    }
  }
}

/* ---- streaming ---- */

static GstClockTime
buffer_stream_time (GstBaseSink * sink, GstBuffer * buf)
{
  GstClockTime ts = GST_BUFFER_PTS_IS_VALID (buf) ? GST_BUFFER_PTS (buf) :
      GST_BUFFER_DTS (buf);
  if (!GST_CLOCK_TIME_IS_VALID (ts) || sink->segment.format != GST_FORMAT_TIME)
    return ts;
  return gst_segment_to_stream_time (&sink->segment, GST_FORMAT_TIME, ts);
}

static GstFlowReturn
gst_rv_mqtt_sink_render (GstBaseSink * sink, GstBuffer * buf)
{
  GstRvMqttSink *self = GST_RV_MQTT_SINK (sink);
  GstRvClassificationMeta *cm = gst_rv_buffer_get_classification_meta (buf);
  GstRvMotionMeta *mm;
  GstClockTime t = buffer_stream_time (sink, buf);
  GstClockTime score_interval, heartbeat, expiry;
  GstRvMqttAntenna a;
  GstRvMqttNode *n;
  GstRvMqttChange ch;
  gboolean due;

  if (gst_rv_mqtt_client_failed (self->client))
    return GST_FLOW_ERROR;
  if (!cm) {
    count (self, &self->ignored);
    return GST_FLOW_OK;
  }
  publish_rooms (self, buf);

  GST_OBJECT_LOCK (self);
  score_interval = self->score_interval;
  heartbeat = self->heartbeat_interval;
  expiry = self->discovery_expiry;
  GST_OBJECT_UNLOCK (self);

  a.antenna = cm->antenna;
  a.label = cm->decision >= 0 ?
      gst_rv_classification_meta_get_quark (cm, (gsize) cm->decision) : 0;
  a.confidence = cm->decision >= 0 ? cm->decision_confidence : NAN;
  /* A detector without its quiet baseline yet has no opinion: null. */
  mm = gst_rv_motion_meta_find (buf, cm->node_id, cm->antenna);
  if (mm && mm->calibrated) {
    a.motion = mm->motion ? 1 : 0;
    a.score = mm->score;
  } else {
    a.motion = -1;
    a.score = NAN;
  }

  n = self->nodes[cm->node_id];
  if (!n)
    n = self->nodes[cm->node_id] = gst_rv_mqtt_node_new (cm->node_id);
  if (!n->announced)
    announce (self, n);
  if (GST_CLOCK_TIME_IS_VALID (t))
    n->last_seen = t;

  ch = gst_rv_mqtt_node_update (n, &a);
  if (!GST_CLOCK_TIME_IS_VALID (n->last_published))
    due = TRUE;
  else if (ch == GST_RV_MQTT_CHANGED)
    due = TRUE;
  else if (!GST_CLOCK_TIME_IS_VALID (t) || t < n->last_published)
    due = ch == GST_RV_MQTT_VALUES;     /* time went back: new segment */
  else if (ch == GST_RV_MQTT_VALUES && t - n->last_published >= score_interval)
    due = TRUE;
  else
    due = heartbeat && t - n->last_published >= heartbeat;
  if (due)
    publish_state (self, n, t);

  expire_nodes (self, t, expiry);
  return GST_FLOW_OK;
}

static gboolean
gst_rv_mqtt_sink_event (GstBaseSink * sink, GstEvent * event)
{
  GstRvMqttSink *self = GST_RV_MQTT_SINK (sink);
  guint node;
  gboolean online;
  GstClockTime t;

  if (gst_rv_node_event_parse (event, &node, &online, &t) && self->client
      && node < MAX_NODES && self->nodes[node]) {
    GstRvMqttNode *n = self->nodes[node];
    GST_DEBUG_OBJECT (self, "node %u %s", node, online ? "back" : "offline");
    if (n->online != online) {
      n->online = online;
      publish_availability (self, n);
      publish_state (self, n, t);
    }
  }
  return GST_BASE_SINK_CLASS (parent_class)->event (sink, event);
}

/* ---- start / stop ---- */

static void
clear_run (GstRvMqttSink * self)
{
  guint i;
  for (i = 0; i < MAX_NODES; i++) {
    g_clear_pointer (&self->nodes[i], gst_rv_mqtt_node_free);
    g_clear_pointer (&self->state_topics[i], g_free);
  }
  g_clear_pointer (&self->run_site, g_free);
  g_clear_pointer (&self->run_prefix, g_free);
  g_clear_pointer (&self->run_discovery, g_free);
  g_clear_pointer (&self->host_topic, g_free);
}

/* A topic level must not hold MQTT wildcards; a site is one level. */
static gboolean
valid_level (const gchar * s, gboolean allow_slash)
{
  return s && *s && !strpbrk (s, allow_slash ? "+#" : "+#/")
      && s[0] != '/' && s[strlen (s) - 1] != '/';
}

static gboolean
gst_rv_mqtt_sink_start (GstBaseSink * sink)
{
  GstRvMqttSink *self = GST_RV_MQTT_SINK (sink);
  GstRvMqttClientConfig cfg;
  GError *err = NULL;
  gboolean ok = TRUE;

  GST_OBJECT_LOCK (self);
  self->run_site = g_strdup (self->site && *self->site ? self->site :
      g_get_host_name ());
  self->run_prefix = g_strdup (self->topic_prefix);
  self->run_discovery = self->discovery_prefix && *self->discovery_prefix ?
      g_strdup (self->discovery_prefix) : NULL;
  if (!valid_level (self->run_site, FALSE)
      || !valid_level (self->run_prefix, TRUE)
      || (self->run_discovery && !valid_level (self->run_discovery, TRUE)))
    ok = FALSE;
  self->host_topic = g_strdup_printf ("%s/%s/availability", self->run_prefix,
      self->run_site);
  cfg = self->conn;
  cfg.will_topic = self->host_topic;
  if (ok)
    self->client = gst_rv_mqtt_client_new (GST_ELEMENT (self), &cfg, &err);
  GST_OBJECT_UNLOCK (self);

  if (!ok) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Invalid MQTT topic settings: site '%s', topic-prefix '%s', "
            "discovery-prefix '%s'", self->run_site, self->run_prefix,
            self->run_discovery ? self->run_discovery : ""),
        ("each must be non-empty, contain no '+' or '#' and not start or end "
            "with '/'; site is one topic level (no '/')"));
    clear_run (self);
    return FALSE;
  }
  if (!self->client) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("%s", err->message),
        (NULL));
    g_clear_error (&err);
    clear_run (self);
    return FALSE;
  }
  GST_OBJECT_LOCK (self);
  self->states = self->ignored = self->expired = 0;
  GST_OBJECT_UNLOCK (self);
  self->last_expiry_scan = GST_CLOCK_TIME_NONE;
  gst_rv_mqtt_client_start (self->client);
  return TRUE;
}

static gboolean
gst_rv_mqtt_sink_stop (GstBaseSink * sink)
{
  GstRvMqttSink *self = GST_RV_MQTT_SINK (sink);
  GstRvMqttClient *client;

  if (self->client)
    gst_rv_mqtt_client_stop (self->client, STOP_FLUSH_MS);
  GST_OBJECT_LOCK (self);
  client = self->client;
  self->client = NULL;
  GST_OBJECT_UNLOCK (self);
  gst_rv_mqtt_client_free (client);
  clear_run (self);
  return TRUE;
}

/* ---- properties ---- */

/* The stats property (object lock). */
static GstStructure *
make_stats (GObject * object)
{
  GstRvMqttSink *self = GST_RV_MQTT_SINK (object);

  GstStructure *s = gst_structure_new ("rvmqttsink-stats",
      "states", G_TYPE_UINT64, self->states,
      "ignored", G_TYPE_UINT64, self->ignored,
      "expired", G_TYPE_UINT64, self->expired, NULL);
  if (self->client)
    gst_rv_mqtt_client_get_stats (self->client, s);
  else
    gst_structure_set (s, "published", G_TYPE_UINT64, (guint64) 0,
        "dropped", G_TYPE_UINT64, (guint64) 0,
        "alarms-dropped", G_TYPE_UINT64, (guint64) 0,
        "queued", G_TYPE_UINT, 0, "queue-high-water", G_TYPE_UINT, 0,
        "connects", G_TYPE_UINT64, (guint64) 0,
        "connected", G_TYPE_BOOLEAN, FALSE, NULL);
  return s;
}

static void
gst_rv_mqtt_sink_init (GstRvMqttSink * self)
{
  gst_rv_props_init (G_OBJECT (self));
  /* Publishing is not tied to the clock: states leave as they come. */
  gst_base_sink_set_sync (GST_BASE_SINK (self), FALSE);
  gst_base_sink_set_qos_enabled (GST_BASE_SINK (self), FALSE);
}

#define STR_PROP(id, field, name, nick, blurb, def) \
  GST_RV_PROP_FIELD (gobject_class, id, GstRvMqttSink, field, \
      g_param_spec_string (name, nick, blurb, def, GST_RV_PARAM_READY))
#define U64_PROP(id, field, name, nick, blurb, def) \
  GST_RV_PROP_FIELD (gobject_class, id, GstRvMqttSink, field, \
      g_param_spec_uint64 (name, nick, blurb, 0, G_MAXUINT64, def, \
          GST_RV_PARAM_PLAYING))

static void
gst_rv_mqtt_sink_class_init (GstRvMqttSinkClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSinkClass *sink_class = GST_BASE_SINK_CLASS (klass);

  STR_PROP (PROP_HOST, conn.host, "host", "Host",
      "MQTT broker host name or address", DEFAULT_HOST);
  GST_RV_PROP_FIELD (gobject_class, PROP_PORT, GstRvMqttSink, conn.port,
      g_param_spec_uint ("port", "Port", "MQTT broker port (8883 is the usual "
          "TLS port)", 1, 65535, DEFAULT_PORT, GST_RV_PARAM_READY));
  STR_PROP (PROP_CLIENT_ID, conn.client_id, "client-id", "Client id",
      "MQTT client id; unset = a random one. Two clients with one id "
      "disconnect each other", NULL);
  STR_PROP (PROP_USERNAME, conn.username, "username", "User name",
      "User name for the broker; unset = anonymous", NULL);
  STR_PROP (PROP_PASSWORD, conn.password, "password", "Password",
      "Password for the broker (with username)", NULL);
  STR_PROP (PROP_TLS_CA, conn.tls_ca, "tls-ca", "TLS CA file",
      "PEM file of the CA that signed the broker's certificate; set = "
      "connect with TLS", NULL);
  STR_PROP (PROP_TLS_CERT, conn.tls_cert, "tls-cert", "TLS client certificate",
      "PEM client certificate, for brokers that require one (with tls-key)",
      NULL);
  STR_PROP (PROP_TLS_KEY, conn.tls_key, "tls-key", "TLS client key",
      "PEM private key of tls-cert (unencrypted)", NULL);
  STR_PROP (PROP_TOPIC_PREFIX, topic_prefix, "topic-prefix", "Topic prefix",
      "First level(s) of every state topic: "
      "<topic-prefix>/<site>/node/<id>/state", DEFAULT_TOPIC_PREFIX);
  STR_PROP (PROP_DISCOVERY_PREFIX, discovery_prefix, "discovery-prefix",
      "Discovery prefix",
      "Home Assistant MQTT discovery prefix; empty = no discovery",
      DEFAULT_DISCOVERY_PREFIX);
  GST_RV_PROP_FIELD (gobject_class, PROP_QOS, GstRvMqttSink, conn.qos,
      g_param_spec_uint ("qos", "QoS", "MQTT quality of service of every "
          "message (0 at most once, 1 at least once, 2 exactly once)", 0, 2,
          DEFAULT_QOS, GST_RV_PARAM_READY));
  STR_PROP (PROP_SITE, site, "site", "Site", "Id of this pipeline host in "
      "topics and unique ids (one topic level); unset = the host name", NULL);
  GST_RV_PROP_FIELD (gobject_class, PROP_KEEPALIVE, GstRvMqttSink,
      conn.keepalive,
      g_param_spec_uint ("keepalive", "Keepalive", "Seconds between MQTT "
          "pings; a broker silent for 1.5x this is treated as gone", 5, 65535,
          DEFAULT_KEEPALIVE, GST_RV_PARAM_READY));
  GST_RV_PROP_FIELD (gobject_class, PROP_QUEUE_SIZE, GstRvMqttSink,
      conn.queue_size,
      g_param_spec_uint ("queue-size", "Queue size", "Messages waiting for "
          "the broker; when full the oldest state is dropped (counted in "
          "stats, the latest state is re-sent)", 1, G_MAXINT,
          DEFAULT_QUEUE_SIZE, GST_RV_PARAM_READY));
  U64_PROP (PROP_SCORE_INTERVAL, score_interval, "score-interval",
      "Score interval", "Minimum stream time (ns) between a node's states "
      "when only motion_score or confidence moved; label and motion "
      "changes are published at once", DEFAULT_SCORE_INTERVAL);
  U64_PROP (PROP_HEARTBEAT_INTERVAL, heartbeat_interval, "heartbeat-interval",
      "Heartbeat interval", "A node's state is published again after this "
      "much stream time (ns) without a change; 0 = only on change",
      DEFAULT_HEARTBEAT_INTERVAL);
  U64_PROP (PROP_DISCOVERY_EXPIRY, discovery_expiry, "discovery-expiry",
      "Discovery expiry", "Remove a node's Home Assistant entities and "
      "retained state after it sent nothing for this much stream time "
      "(ns); 0 = never", DEFAULT_DISCOVERY_EXPIRY);
  gst_rv_props_install_stats (gobject_class, PROP_STATS, "Counters: states, "
      "published, dropped (oldest states dropped from a full queue), "
      "alarms-dropped, queued, queue-high-water, connects, connected, "
      "ignored (buffers without a classification), expired (nodes)",
      make_stats);

  gst_element_class_set_static_metadata (element_class, "RV MQTT sink",
      "Sink/Network", "Publishes rvclassify states (label, confidence, "
      "motion) to an MQTT broker with Home Assistant discovery",
      "gst-rvcsi");
  gst_element_class_add_static_pad_template (element_class,
      &gst_rv_csi_sink_template);

  sink_class->start = GST_DEBUG_FUNCPTR (gst_rv_mqtt_sink_start);
  sink_class->stop = GST_DEBUG_FUNCPTR (gst_rv_mqtt_sink_stop);
  sink_class->render = GST_DEBUG_FUNCPTR (gst_rv_mqtt_sink_render);
  sink_class->event = GST_DEBUG_FUNCPTR (gst_rv_mqtt_sink_event);
}
