/*
 * gstrvmqttpayload.h — what rvmqttsink knows about a node, and the JSON it
 * publishes about it (docs/mqtt.md has the payloads with examples).
 *
 * A node's state is its first (lowest) antenna's stream; the other
 * antennas travel in the state's "antennas" object. Payloads are built
 * with json-glib, never by hand.
 */
#ifndef GST_RV_MQTT_PAYLOAD_H
#define GST_RV_MQTT_PAYLOAD_H

#include <gst/gst.h>

G_BEGIN_DECLS

typedef struct {
  guint8 antenna;
  GQuark label;                 /* 0: no decision yet (published as null) */
  gfloat confidence;
  gint motion;                  /* -1: no motion meta (null), 0, 1 */
  gfloat score;                 /* motion_score; NAN with no motion meta */
} GstRvMqttAntenna;

typedef struct {
  guint node;
  gboolean online;
  gboolean announced;           /* discovery + availability published */
  GstClockTime last_seen;       /* stream time of its latest buffer */
  GstClockTime last_published;  /* stream time of its latest state */
  GArray *antennas;             /* GstRvMqttAntenna, sorted by antenna */
} GstRvMqttNode;

typedef enum {
  GST_RV_MQTT_UNCHANGED,
  GST_RV_MQTT_VALUES,           /* only confidence / motion_score moved */
  GST_RV_MQTT_CHANGED,          /* label or motion changed, or new antenna */
} GstRvMqttChange;

GstRvMqttNode *gst_rv_mqtt_node_new (guint node);
void gst_rv_mqtt_node_free (GstRvMqttNode * n);
/* Records one antenna's latest values and says how much changed. */
GstRvMqttChange gst_rv_mqtt_node_update (GstRvMqttNode * n,
    const GstRvMqttAntenna * a);

/* TRUE unless the label is absent, "empty", "unknown" or "offline". */
gboolean gst_rv_mqtt_label_occupied (GQuark label);

/* The retained state payload (newly allocated). stream_time: of the buffer
 * or event behind it, GST_CLOCK_TIME_NONE = null. */
gchar *gst_rv_mqtt_state_json (const GstRvMqttNode * n, const gchar * site,
    GstClockTime stream_time);

/* rvroom's room state (retained, room/<room>/state) and a fall alarm or
 * cancel (room/<room>/fall) from a GstRvRoomMeta (newly allocated). */
gchar *gst_rv_mqtt_room_json (const GQuark room, GQuark label,
    gdouble confidence, gboolean occupied, guint links,
    GstClockTime stream_time, const gchar * site);
gchar *gst_rv_mqtt_fall_json (GQuark room, gboolean cancel, gint node,
    GstClockTime onset, gdouble confidence, GstClockTime delay,
    const gchar * site);

/* Home Assistant entities of one node. */
typedef enum {
  GST_RV_MQTT_ENTITY_MOTION,
  GST_RV_MQTT_ENTITY_OCCUPANCY,
  GST_RV_MQTT_ENTITY_ACTIVITY,
  GST_RV_MQTT_N_ENTITIES
} GstRvMqttEntity;

typedef struct {
  const gchar *site;
  guint node;
  const gchar *state_topic;
  const gchar *node_availability_topic;
  const gchar *host_availability_topic;
  guint qos;
} GstRvMqttDiscovery;

/* "<discovery-prefix>/<component>/rvcsi_<site>_node<id>/<object>/config"
 * (site reduced to the characters Home Assistant allows in ids). */
gchar *gst_rv_mqtt_discovery_topic (const gchar * discovery_prefix,
    const gchar * site, guint node, GstRvMqttEntity e);
gchar *gst_rv_mqtt_discovery_json (const GstRvMqttDiscovery * d,
    GstRvMqttEntity e);

G_END_DECLS
#endif
