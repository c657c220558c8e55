/*
 * gstrvmqttclient.h — the publishing side of rvmqttsink: one libmosquitto
 * connection driven by its own thread, fed through a bounded queue.
 *
 * The streaming thread calls gst_rv_mqtt_client_publish(), which never
 * blocks: it appends to a queue under a short mutex and wakes the worker.
 * The worker owns the mosquitto handle (no libmosquitto thread), connects,
 * reconnects with backoff, and publishes while fewer than a window of
 * messages wait for the broker's acknowledgement.
 *
 * Retained messages are also kept, last value per topic, in a store. The
 * store is what makes the broker consistent again after trouble:
 *  - on every (re)connect the whole store is published first;
 *  - a state dropped from a full queue marks its topic dirty, and dirty
 *    topics are published again from the store once the queue is empty.
 * An empty retained payload deletes the broker's retained message; it stays
 * in the store as such, so a reconnect repeats the deletion.
 *
 * Queues: states (retained and plain) drop their oldest entry when full;
 * alarms have their own queue of the same size and only drop when that one
 * is full. Both are counted (gst_rv_mqtt_client_get_stats()).
 *
 * Failures are posted on the owner element's bus from the worker thread:
 * unreachable broker = WARNING once per outage (keeps retrying); refused
 * credentials, rejected client id or a failed TLS handshake = ERROR (stops
 * retrying, gst_rv_mqtt_client_failed() turns TRUE).
 */
#ifndef GST_RV_MQTT_CLIENT_H
#define GST_RV_MQTT_CLIENT_H

#include <gst/gst.h>

G_BEGIN_DECLS

typedef struct _GstRvMqttClient GstRvMqttClient;

typedef struct {
  const gchar *host;
  guint port;
  const gchar *client_id;       /* NULL: libmosquitto generates one */
  const gchar *username;        /* NULL: anonymous */
  const gchar *password;
  const gchar *tls_ca;          /* set: TLS on, server verified against it */
  const gchar *tls_cert;        /* client certificate (with tls_key) */
  const gchar *tls_key;
  guint qos;
  guint keepalive;              /* seconds */
  guint queue_size;             /* per queue (states, alarms) */
  const gchar *will_topic;      /* retained "online" on connect, Last Will
                                 * "offline", "offline" on a clean stop */
} GstRvMqttClientConfig;

/* Checks the configuration (TLS files readable, ...) and sets up the
 * handle; NULL with an error saying what to change. */
GstRvMqttClient *gst_rv_mqtt_client_new (GstElement * owner,
    const GstRvMqttClientConfig * cfg, GError ** error);
/* Starts the worker thread (it connects in the background). */
void gst_rv_mqtt_client_start (GstRvMqttClient * c);
/* Publishes "offline" on the will topic, waits up to flush_ms for the
 * queue to drain, disconnects cleanly and joins the worker. */
void gst_rv_mqtt_client_stop (GstRvMqttClient * c, guint flush_ms);
void gst_rv_mqtt_client_free (GstRvMqttClient * c);

typedef enum {
  GST_RV_MQTT_STATE,            /* drop-oldest queue */
  GST_RV_MQTT_ALARM,            /* kept as long as the alarm queue allows */
} GstRvMqttClass;

/* Queues one message; takes ownership of payload (may be NULL = empty). */
void gst_rv_mqtt_client_publish (GstRvMqttClient * c, const gchar * topic,
    gchar * payload, gboolean retain, GstRvMqttClass klass);

/* TRUE after a fatal error (refused credentials, TLS). */
gboolean gst_rv_mqtt_client_failed (GstRvMqttClient * c);

/* Adds the counters to s: published, dropped, alarms-dropped, queued,
 * queue-high-water, connects, connected. */
void gst_rv_mqtt_client_get_stats (GstRvMqttClient * c, GstStructure * s);

G_END_DECLS
#endif
