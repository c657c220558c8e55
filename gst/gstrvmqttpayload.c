/* gstrvmqttpayload.c — node bookkeeping and JSON payloads of rvmqttsink. */
#include "gstrvmqttpayload.h"

#include <math.h>
#include <string.h>
#include <json-glib/json-glib.h>

#ifndef RVCSI_VERSION
#define RVCSI_VERSION "0"
#endif

GstRvMqttNode *
gst_rv_mqtt_node_new (guint node)
{
  GstRvMqttNode *n = g_new0 (GstRvMqttNode, 1);
  n->node = node;
  n->online = TRUE;
  n->last_seen = n->last_published = GST_CLOCK_TIME_NONE;
  n->antennas = g_array_new (FALSE, FALSE, sizeof (GstRvMqttAntenna));
  return n;
}

void
gst_rv_mqtt_node_free (GstRvMqttNode * n)
{
  g_array_free (n->antennas, TRUE);
  g_free (n);
}

GstRvMqttChange
gst_rv_mqtt_node_update (GstRvMqttNode * n, const GstRvMqttAntenna * a)
{
  guint i;
  GstRvMqttAntenna *cur;
  GstRvMqttChange ch;

  for (i = 0; i < n->antennas->len; i++) {
    cur = &g_array_index (n->antennas, GstRvMqttAntenna, i);
    if (cur->antenna == a->antenna)
      break;
    if (cur->antenna > a->antenna) {
      g_array_insert_vals (n->antennas, i, a, 1);
      return GST_RV_MQTT_CHANGED;
    }
  }
  if (i == n->antennas->len) {
    g_array_append_vals (n->antennas, a, 1);
    return GST_RV_MQTT_CHANGED;
  }
  if (cur->label != a->label || cur->motion != a->motion)
    ch = GST_RV_MQTT_CHANGED;
  else if (cur->confidence != a->confidence
      || memcmp (&cur->score, &a->score, sizeof a->score) != 0)
    ch = GST_RV_MQTT_VALUES;
  else
    ch = GST_RV_MQTT_UNCHANGED;
  *cur = *a;
  return ch;
}

gboolean
gst_rv_mqtt_label_occupied (GQuark label)
{
  const gchar *s = g_quark_to_string (label);
  return s && *s && strcmp (s, "empty") != 0 && strcmp (s, "unknown") != 0
      && strcmp (s, "offline") != 0;
}

/* v rounded to 1/scale (scale 0: as is); null when not finite. Three
 * decimals are plenty for probabilities and times. */
static void
add_rounded (JsonBuilder * b, const gchar * name, gdouble v, gdouble scale)
{
  json_builder_set_member_name (b, name);
  if (isfinite (v) && scale > 0)
    json_builder_add_double_value (b, round (v * scale) / scale);
  else if (isfinite (v))
    json_builder_add_double_value (b, v);
  else
    json_builder_add_null_value (b);
}

static void
add_antenna_fields (JsonBuilder * b, const GstRvMqttAntenna * a)
{
  const gchar *label = a->label ? g_quark_to_string (a->label) : NULL;

  json_builder_set_member_name (b, "label");
  if (label)
    json_builder_add_string_value (b, label);
  else
    json_builder_add_null_value (b);
  add_rounded (b, "confidence", a->confidence, 1000.0);
  json_builder_set_member_name (b, "occupancy");
  json_builder_add_boolean_value (b, gst_rv_mqtt_label_occupied (a->label));
  json_builder_set_member_name (b, "motion");
  if (a->motion < 0)
    json_builder_add_null_value (b);
  else
    json_builder_add_boolean_value (b, a->motion > 0);
  /* the detector's unit can be small (1e-4): not rounded */
  add_rounded (b, "motion_score", a->motion < 0 ? NAN : a->score, 0.0);
}

static gchar *
to_json (JsonBuilder * b)
{
  JsonGenerator *g = json_generator_new ();
  JsonNode *root = json_builder_get_root (b);
  gchar *s;

  json_generator_set_root (g, root);
  s = json_generator_to_data (g, NULL);
  json_node_unref (root);
  g_object_unref (g);
  g_object_unref (b);
  return s;
}

gchar *
gst_rv_mqtt_state_json (const GstRvMqttNode * n, const gchar * site,
    GstClockTime stream_time)
{
  JsonBuilder *b = json_builder_new ();
  GDateTime *now = g_date_time_new_now_utc ();
  gchar *updated = g_date_time_format_iso8601 (now);
  const GstRvMqttAntenna *first = n->antennas->len ?
      &g_array_index (n->antennas, GstRvMqttAntenna, 0) : NULL;
  GstRvMqttAntenna none = { 0, 0, NAN, -1, NAN };
  guint i;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "node");
  json_builder_add_int_value (b, n->node);
  json_builder_set_member_name (b, "site");
  json_builder_add_string_value (b, site);
  json_builder_set_member_name (b, "antenna");
  json_builder_add_int_value (b, first ? first->antenna : 0);
  add_antenna_fields (b, first ? first : &none);
  json_builder_set_member_name (b, "online");
  json_builder_add_boolean_value (b, n->online);
  add_rounded (b, "stream_time", GST_CLOCK_TIME_IS_VALID (stream_time) ?
      (gdouble) stream_time / GST_SECOND : NAN, 1000.0);
  json_builder_set_member_name (b, "updated");
  json_builder_add_string_value (b, updated);
  if (n->antennas->len > 1) {
    json_builder_set_member_name (b, "antennas");
    json_builder_begin_object (b);
    for (i = 1; i < n->antennas->len; i++) {
      const GstRvMqttAntenna *a =
          &g_array_index (n->antennas, GstRvMqttAntenna, i);
      gchar key[4];
      g_snprintf (key, sizeof key, "%u", a->antenna);
      json_builder_set_member_name (b, key);
      json_builder_begin_object (b);
      add_antenna_fields (b, a);
      json_builder_end_object (b);
    }
    json_builder_end_object (b);
  }
  json_builder_end_object (b);

  g_free (updated);
  g_date_time_unref (now);
  return to_json (b);
}

/* ---- rooms (rvroom) ---- */

static void
add_room_head (JsonBuilder * b, GQuark room, const gchar * site)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "room");
  json_builder_add_string_value (b, g_quark_to_string (room));
  json_builder_set_member_name (b, "site");
  json_builder_add_string_value (b, site);
}

static void
add_seconds (JsonBuilder * b, const gchar * name, GstClockTime t)
{
  add_rounded (b, name, GST_CLOCK_TIME_IS_VALID (t) ?
      (gdouble) t / GST_SECOND : NAN, 1000.0);
}

gchar *
gst_rv_mqtt_room_json (const GQuark room, GQuark label, gdouble confidence,
    gboolean occupied, guint links, GstClockTime stream_time,
    const gchar * site)
{
  JsonBuilder *b = json_builder_new ();

  add_room_head (b, room, site);
  json_builder_set_member_name (b, "label");
  if (label)
    json_builder_add_string_value (b, g_quark_to_string (label));
  else
    json_builder_add_null_value (b);
  add_rounded (b, "confidence", confidence, 1000.0);
  json_builder_set_member_name (b, "occupied");
  json_builder_add_boolean_value (b, occupied);
  json_builder_set_member_name (b, "links");
  json_builder_add_int_value (b, links);
  add_seconds (b, "stream_time", stream_time);
  json_builder_end_object (b);
  return to_json (b);
}

gchar *
gst_rv_mqtt_fall_json (GQuark room, gboolean cancel, gint node,
    GstClockTime onset, gdouble confidence, GstClockTime delay,
    const gchar * site)
{
  JsonBuilder *b = json_builder_new ();

  add_room_head (b, room, site);
  json_builder_set_member_name (b, "event");
  json_builder_add_string_value (b, cancel ? "cancel" : "fall");
  json_builder_set_member_name (b, "node");
  if (node >= 0)
    json_builder_add_int_value (b, node);
  else
    json_builder_add_null_value (b);
  add_seconds (b, "onset", onset);
  add_rounded (b, "confidence", confidence, 1000.0);
  add_seconds (b, "delay", delay);
  json_builder_end_object (b);
  return to_json (b);
}

/* ---- Home Assistant discovery ---- */

static const struct {
  const gchar *component, *object, *name, *device_class, *value_template,
      *icon;
} entities[GST_RV_MQTT_N_ENTITIES] = {
  {"binary_sensor", "motion", "Motion", "motion",
        /* null motion (no detector on this stream) renders None = unknown */
        "{% if value_json.motion is none %}None{% elif value_json.motion %}ON"
        "{% else %}OFF{% endif %}", NULL},
  {"binary_sensor", "occupancy", "Occupancy", "occupancy",
      "{{ 'ON' if value_json.occupancy else 'OFF' }}", NULL},
  {"sensor", "activity", "Activity", NULL,
      "{{ value_json.label if value_json.label is not none else 'unknown' }}",
      "mdi:human"},
};

/* Home Assistant ids allow [a-zA-Z0-9_-]; anything else becomes '_'. */
static gchar *
device_id (const gchar * site, guint node)
{
  gchar *id = g_strdup_printf ("rvcsi_%s_node%u", site, node);
  gchar *p;
  for (p = id; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-')
      *p = '_';
  return id;
}

gchar *
gst_rv_mqtt_discovery_topic (const gchar * discovery_prefix,
    const gchar * site, guint node, GstRvMqttEntity e)
{
  gchar *id = device_id (site, node);
  gchar *t = g_strdup_printf ("%s/%s/%s/%s/config", discovery_prefix,
      entities[e].component, id, entities[e].object);
  g_free (id);
  return t;
}

static void
add_string (JsonBuilder * b, const gchar * name, const gchar * v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, v);
}

static void
add_availability (JsonBuilder * b, const gchar * topic)
{
  json_builder_begin_object (b);
  add_string (b, "topic", topic);
  add_string (b, "payload_available", "online");
  add_string (b, "payload_not_available", "offline");
  json_builder_end_object (b);
}

gchar *
gst_rv_mqtt_discovery_json (const GstRvMqttDiscovery * d, GstRvMqttEntity e)
{
  JsonBuilder *b = json_builder_new ();
  gchar *id = device_id (d->site, d->node);
  gchar *uid = g_strdup_printf ("%s_%s", id, entities[e].object);
  gchar *dev_name = g_strdup_printf ("rvcsi %s node %u", d->site, d->node);

  json_builder_begin_object (b);
  add_string (b, "name", entities[e].name);
  add_string (b, "unique_id", uid);
  add_string (b, "state_topic", d->state_topic);
  add_string (b, "value_template", entities[e].value_template);
  if (entities[e].device_class)
    add_string (b, "device_class", entities[e].device_class);
  if (g_str_equal (entities[e].component, "binary_sensor")) {
    add_string (b, "payload_on", "ON");
    add_string (b, "payload_off", "OFF");
  } else {
    add_string (b, "json_attributes_topic", d->state_topic);
  }
  if (entities[e].icon)
    add_string (b, "icon", entities[e].icon);
  json_builder_set_member_name (b, "qos");
  json_builder_add_int_value (b, d->qos);

  /* Available only while both the pipeline host and the node are. */
  json_builder_set_member_name (b, "availability");
  json_builder_begin_array (b);
  add_availability (b, d->host_availability_topic);
  add_availability (b, d->node_availability_topic);
  json_builder_end_array (b);
  add_string (b, "availability_mode", "all");

  json_builder_set_member_name (b, "device");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "identifiers");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, id);
  json_builder_end_array (b);
  add_string (b, "name", dev_name);
  add_string (b, "manufacturer", "gst-rvcsi");
  add_string (b, "model", "WiFi CSI sensing node");
  add_string (b, "sw_version", RVCSI_VERSION);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "origin");
  json_builder_begin_object (b);
  add_string (b, "name", "gst-rvcsi rvmqttsink");
  add_string (b, "sw_version", RVCSI_VERSION);
  json_builder_end_object (b);
  json_builder_end_object (b);

  g_free (dev_name);
  g_free (uid);
  g_free (id);
  return to_json (b);
}
