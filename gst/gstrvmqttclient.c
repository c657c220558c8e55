/* gstrvmqttclient.c — bounded publish queue and reconnecting libmosquitto
 * connection for rvmqttsink (contract in gstrvmqttclient.h). */
#include "gstrvmqttclient.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <mosquitto.h>

GST_DEBUG_CATEGORY_STATIC (gst_rv_mqtt_client_debug);
#define GST_CAT_DEFAULT gst_rv_mqtt_client_debug

/* Messages handed to libmosquitto and not yet acknowledged (QoS 1/2) or
 * written (QoS 0). Enough for a local broker's round trip at tens of
 * thousands of messages per second; small because libmosquitto searches
 * its in-flight list linearly on every acknowledgement, and so that a
 * stalled broker stops the worker quickly, leaving the bounded queue to
 * absorb and drop. */
#define INFLIGHT_WINDOW 128
/* States are sent in batches: the first waits at most BATCH_WAIT_US for
 * others, and BATCH_MAX waiting start one at once. One wake-up, one
 * corked write and one batch of acknowledgements then serve many
 * messages instead of one each (for the broker too). Alarms never wait. */
#define BATCH_WAIT_US 1000
#define BATCH_MAX 64
#define BACKOFF_MIN_MS 250
#define BACKOFF_MAX_MS 30000
/* No CONNACK within this time: give up on this attempt (a stopped broker
 * still completes the TCP handshake in the kernel). */
#define CONNACK_TIMEOUT_US (10 * G_USEC_PER_SEC)

typedef enum { CONN_DOWN, CONN_CONNECTING, CONN_UP, CONN_FAILED } ConnState;

typedef struct {
  gchar *topic;
  gchar *payload;               /* GRefString, NULL = empty (deletion) */
  gboolean dirty;
  guint queued;                 /* messages on this topic in the queues */
} Retained;

typedef struct {
  gchar *topic;
  gchar *payload;               /* GRefString, NULL = empty */
  gboolean retain;
  Retained *stored;             /* queued retained message: its store entry */
} Msg;

struct _GstRvMqttClient {
  GstElement *owner;
  gchar *host, *will_topic;
  guint port, qos, keepalive, queue_size;
  struct mosquitto *mosq;
  GThread *thread;
  gint wake[2];

  GMutex lock;                  /* guards everything below up to "worker" */
  GQueue states, alarms;        /* of Msg */
  GHashTable *store;            /* topic -> Retained */
  GPtrArray *order;             /* Retained, in first-publication order */
  guint resync_pos, dirty;
  gboolean idle, stopping, failed, connected;
  gint64 stop_deadline;
  gint64 batch_start;           /* when the queues last became non-empty */
  guint64 published, dropped, alarms_dropped, connects;
  guint high_water, inflight;

  /* worker thread only */
  ConnState conn;
  gboolean ever_attempted, outage_reported;
  gint connack;
  gint64 next_attempt, attempt_started;
  guint backoff_ms;
  gchar *last_log;
};

/* Msg and Retained both own a topic and a GRefString payload. */
static void
topic_payload_clear (gchar * topic, gchar * payload)
{
  g_free (topic);
  if (payload)
    g_ref_string_release (payload);
}

static void
msg_free (Msg * m)
{
  topic_payload_clear (m->topic, m->payload);
  g_free (m);
}

static void
retained_free (Retained * r)
{
  topic_payload_clear (r->topic, r->payload);
  g_free (r);
}

static void
wake_worker (GstRvMqttClient * c)
{
  const gchar b = 1;
  if (write (c->wake[1], &b, 1) < 0 && errno != EAGAIN)
    GST_WARNING ("wake-up write failed: %s", g_strerror (errno));
}

/* ---- callbacks: run inside mosquitto_loop_read/write on the worker ---- */

static void
on_connect (struct mosquitto *mosq, void *obj, int rc)
{
  GstRvMqttClient *c = obj;
  (void) mosq;
  c->connack = rc;
  if (rc != 0)
    return;
  c->conn = CONN_UP;
  c->backoff_ms = BACKOFF_MIN_MS;
  c->outage_reported = FALSE;
  g_mutex_lock (&c->lock);
  c->connected = TRUE;
  c->connects++;
  c->inflight = 0;
  c->resync_pos = 0;            /* publish the whole store again */
  g_mutex_unlock (&c->lock);
  GST_INFO_OBJECT (c->owner, "connected to %s:%u", c->host, c->port);
}

static void
on_publish (struct mosquitto *mosq, void *obj, int mid)
{
  GstRvMqttClient *c = obj;
  (void) mosq;
  (void) mid;
  g_mutex_lock (&c->lock);
  if (c->inflight)
    c->inflight--;
  c->published++;
  g_mutex_unlock (&c->lock);
}

static void
on_log (struct mosquitto *mosq, void *obj, int level, const char *str)
{
  GstRvMqttClient *c = obj;
  (void) mosq;
  if (level & (MOSQ_LOG_ERR | MOSQ_LOG_WARNING)) {
    g_free (c->last_log);
    c->last_log = g_strdup (str);
  }
  GST_LOG_OBJECT (c->owner, "libmosquitto: %s", str);
}

/* ---- failures ---- */

static gchar *
describe_rc (GstRvMqttClient * c, int rc, int err)
{
  if (rc == MOSQ_ERR_ERRNO)
    return g_strdup (g_strerror (err));
  if (rc == MOSQ_ERR_EAI)
    return g_strdup_printf ("cannot resolve host name '%s'", c->host);
  if ((rc == MOSQ_ERR_TLS || rc == MOSQ_ERR_TLS_HANDSHAKE) && c->last_log)
    return g_strdup_printf ("%s (%s)", mosquitto_strerror (rc), c->last_log);
  return g_strdup (mosquitto_strerror (rc));
}

static void
fail_fatal (GstRvMqttClient * c, const gchar * text, const gchar * debug)
{
  c->conn = CONN_FAILED;
  g_mutex_lock (&c->lock);
  c->failed = TRUE;
  c->connected = FALSE;
  g_mutex_unlock (&c->lock);
  GST_ELEMENT_ERROR (c->owner, RESOURCE, OPEN_WRITE, ("%s", text),
      ("%s", debug));
}

/* The connection attempt or session ended with rc (errno err). */
static void
connection_lost (GstRvMqttClient * c, int rc, int err)
{
  gchar *why = describe_rc (c, rc, err);
  gboolean was_up = c->conn == CONN_UP;
  gint connack = c->connack;

  c->connack = 0;
  g_mutex_lock (&c->lock);
  c->connected = FALSE;
  g_mutex_unlock (&c->lock);

  if (connack == 4 || connack == 5) {
    gchar *t = g_strdup_printf ("MQTT broker %s:%u refused the connection: "
        "%s. Check the username and password properties (and the broker's "
        "password file / ACL)", c->host, c->port,
        mosquitto_connack_string (connack));
    fail_fatal (c, t, why);
    g_free (t);
  } else if (connack == 1 || connack == 2) {
    gchar *t = g_strdup_printf ("MQTT broker %s:%u refused the connection: "
        "%s. Check the client-id property", c->host, c->port,
        mosquitto_connack_string (connack));
    fail_fatal (c, t, why);
    g_free (t);
  } else if (rc == MOSQ_ERR_TLS || rc == MOSQ_ERR_TLS_HANDSHAKE) {
    gchar *t = g_strdup_printf ("TLS with MQTT broker %s:%u failed: %s. "
        "Check that tls-ca signed the broker's certificate, that host matches "
        "its name, and tls-cert/tls-key if the broker wants a client "
        "certificate", c->host, c->port, why);
    fail_fatal (c, t, why);
    g_free (t);
  } else {
    if (!c->outage_reported) {
      if (was_up)
        GST_ELEMENT_WARNING (c->owner, RESOURCE, WRITE,
            ("Lost the connection to MQTT broker %s:%u (%s); reconnecting, "
                "states are queued and published again when it is back",
                c->host, c->port, why), ("rc %d", rc));
      else
        GST_ELEMENT_WARNING (c->owner, RESOURCE, OPEN_WRITE,
            ("Cannot connect to MQTT broker %s:%u: %s. Check host and port "
                "and that the broker is running; retrying", c->host, c->port,
                why), ("rc %d", rc));
      c->outage_reported = TRUE;
    }
    GST_DEBUG_OBJECT (c->owner, "connection down (%s), retry in %u ms", why,
        c->backoff_ms);
    c->conn = CONN_DOWN;
    c->next_attempt = g_get_monotonic_time () + c->backoff_ms * 1000;
    c->backoff_ms = MIN (c->backoff_ms * 2, BACKOFF_MAX_MS);
  }
  g_free (why);
}

/* ---- the queue ---- */

void
gst_rv_mqtt_client_publish (GstRvMqttClient * c, const gchar * topic,
    gchar * payload, gboolean retain, GstRvMqttClass klass)
{
  Msg *m = g_new0 (Msg, 1);
  GQueue *q = klass == GST_RV_MQTT_ALARM ? &c->alarms : &c->states;

  m->topic = g_strdup (topic);
  m->payload = payload && *payload ? g_ref_string_new (payload) : NULL;
  m->retain = retain;
  g_free (payload);

  g_mutex_lock (&c->lock);
  if (retain) {
    Retained *r = g_hash_table_lookup (c->store, topic);
    if (!r) {
      r = g_new0 (Retained, 1);
      r->topic = g_strdup (topic);
      g_hash_table_insert (c->store, r->topic, r);
      g_ptr_array_add (c->order, r);
    } else if (r->payload) {
      g_ref_string_release (r->payload);
    }
    r->payload = m->payload ? g_ref_string_acquire (m->payload) : NULL;
    r->queued++;
    m->stored = r;
  }
  if (c->states.length == 0 && c->alarms.length == 0)
    c->batch_start = g_get_monotonic_time ();
  if (q->length >= c->queue_size) {
    Msg *old = g_queue_pop_head (q);
    Retained *r = old->stored;
    if (r) {
      r->queued--;
      /* a newer message on the topic still waits: nothing is lost */
      if (!r->queued && !r->dirty) {
        r->dirty = TRUE;
        c->dirty++;
      }
    }
    if (klass == GST_RV_MQTT_ALARM)
      c->alarms_dropped++;
    else
      c->dropped++;
    msg_free (old);
  }
  g_queue_push_tail (q, m);
  c->high_water = MAX (c->high_water, c->states.length + c->alarms.length);
  if (c->idle) {
    c->idle = FALSE;
    wake_worker (c);
  }
  g_mutex_unlock (&c->lock);
}

static Msg *
retained_msg (Retained * r)
{
  Msg *m = g_new0 (Msg, 1);
  m->topic = g_strdup (r->topic);
  m->payload = r->payload ? g_ref_string_acquire (r->payload) : NULL;
  m->retain = TRUE;
  return m;
}

static Msg *
pop_queued (GQueue * q)
{
  Msg *m = g_queue_pop_head (q);
  if (m->stored) {
    m->stored->queued--;
    m->stored = NULL;
  }
  return m;
}

/* Next message to send, under the lock: the store after a (re)connect
 * (topics without a newer message in the queue), then alarms, states, and
 * finally topics whose queued state was dropped. */
static Msg *
next_msg (GstRvMqttClient * c, gboolean * from_store, gboolean * alarm)
{
  *from_store = TRUE;
  *alarm = FALSE;
  while (c->resync_pos < c->order->len) {
    Retained *r = g_ptr_array_index (c->order, c->resync_pos++);
    if (r->queued)
      continue;                 /* the queue delivers its latest value */
    if (r->dirty) {
      r->dirty = FALSE;
      c->dirty--;
    }
    return retained_msg (r);
  }
  *from_store = FALSE;
  if (c->alarms.length) {
    *alarm = TRUE;
    return pop_queued (&c->alarms);
  }
  if (c->states.length)
    return pop_queued (&c->states);
  if (c->dirty) {
    guint i;
    for (i = 0; i < c->order->len; i++) {
      Retained *r = g_ptr_array_index (c->order, i);
      if (r->dirty) {
        r->dirty = FALSE;
        c->dirty--;
        *from_store = TRUE;
        return retained_msg (r);
      }
    }
  }
  return NULL;
}

static int pump_batch (GstRvMqttClient * c);

/* Under the lock: is there something to send now (not waiting for a
 * batch to fill)? */
static gboolean
send_now (GstRvMqttClient * c, gint64 now)
{
  guint queued = c->states.length + c->alarms.length;
  if (c->conn != CONN_UP || c->inflight >= INFLIGHT_WINDOW)
    return FALSE;
  if (c->resync_pos < c->order->len || c->alarms.length || c->stopping
      || queued >= BATCH_MAX || (c->dirty && !queued))
    return TRUE;
  return queued && now - c->batch_start >= BATCH_WAIT_US;
}

static void
cork (GstRvMqttClient * c, int on)
{
#ifdef TCP_CORK
  int fd = mosquitto_socket (c->mosq);
  if (fd >= 0)
    setsockopt (fd, IPPROTO_TCP, TCP_CORK, &on, sizeof on);
#else
  (void) c;
  (void) on;
#endif
}

/* Sends while the session is up and the window has room, once a batch is
 * due; corked, so that a batch leaves in as few segments as it fits. */
static int
pump (GstRvMqttClient * c)
{
  int rc;
  g_mutex_lock (&c->lock);
  if (!send_now (c, g_get_monotonic_time ())) {
    g_mutex_unlock (&c->lock);
    return MOSQ_ERR_SUCCESS;
  }
  g_mutex_unlock (&c->lock);
  cork (c, 1);
  rc = pump_batch (c);
  cork (c, 0);
  return rc;
}

static int
pump_batch (GstRvMqttClient * c)
{
  for (;;) {
    gboolean from_store, alarm;
    Msg *m;
    int rc;

    g_mutex_lock (&c->lock);
    if (c->conn != CONN_UP || c->inflight >= INFLIGHT_WINDOW
        || !(m = next_msg (c, &from_store, &alarm))) {
      g_mutex_unlock (&c->lock);
      return MOSQ_ERR_SUCCESS;
    }
    c->inflight++;
    g_mutex_unlock (&c->lock);

    rc = mosquitto_publish (c->mosq, NULL, m->topic,
        m->payload ? (int) strlen (m->payload) : 0, m->payload,
        (int) c->qos, m->retain);
    if (rc == MOSQ_ERR_SUCCESS) {
      msg_free (m);
      continue;
    }
    g_mutex_lock (&c->lock);
    c->inflight--;
    if (rc == MOSQ_ERR_PAYLOAD_SIZE || rc == MOSQ_ERR_MALFORMED_UTF8
        || rc == MOSQ_ERR_INVAL) {
      /* Not a connection problem: this message can never be sent. */
      GST_WARNING_OBJECT (c->owner, "dropping unpublishable message on %s: %s",
          m->topic, mosquitto_strerror (rc));
      c->dropped++;
      msg_free (m);
      g_mutex_unlock (&c->lock);
      continue;
    }
    /* Store messages come back with the next resync; queued ones wait. */
    if (from_store) {
      msg_free (m);
    } else {
      if (m->retain && (m->stored = g_hash_table_lookup (c->store, m->topic)))
        m->stored->queued++;
      g_queue_push_head (alarm ? &c->alarms : &c->states, m);
    }
    g_mutex_unlock (&c->lock);
    return rc;
  }
}

/* ---- the worker ---- */

static gboolean
drained (GstRvMqttClient * c)
{
  return c->states.length == 0 && c->alarms.length == 0 && c->dirty == 0
      && c->resync_pos >= c->order->len && c->inflight == 0;
}

static void
try_connect (GstRvMqttClient * c)
{
  int rc;

  c->attempt_started = g_get_monotonic_time ();
  if (!c->ever_attempted)
    rc = mosquitto_connect_async (c->mosq, c->host, (int) c->port,
        (int) c->keepalive);
  else
    rc = mosquitto_reconnect_async (c->mosq);
  c->ever_attempted = TRUE;
  if (rc == MOSQ_ERR_SUCCESS || rc == MOSQ_ERR_CONN_PENDING)
    c->conn = CONN_CONNECTING;
  else
    connection_lost (c, rc, errno);
}

static gpointer
worker (gpointer data)
{
  GstRvMqttClient *c = data;
  gchar drain[64];

  c->conn = CONN_DOWN;
  c->backoff_ms = BACKOFF_MIN_MS;
  c->next_attempt = 0;

  for (;;) {
    struct pollfd pfd[2];
    gint64 now = g_get_monotonic_time ();
    gint timeout_ms = 1000, nfds = 1, rc = MOSQ_ERR_SUCCESS;
    gboolean stop;

    g_mutex_lock (&c->lock);
    stop = c->stopping && (c->conn != CONN_UP || drained (c)
        || now >= c->stop_deadline);
    g_mutex_unlock (&c->lock);
    if (stop)
      break;

    if (c->conn == CONN_DOWN && now >= c->next_attempt)
      try_connect (c);
    if (c->conn == CONN_CONNECTING
        && now - c->attempt_started > CONNACK_TIMEOUT_US) {
      mosquitto_disconnect (c->mosq);
      connection_lost (c, MOSQ_ERR_TIMEOUT, 0);
    }
    if (c->conn == CONN_UP && (rc = pump (c)) != MOSQ_ERR_SUCCESS)
      connection_lost (c, rc, errno);

    pfd[0].fd = c->wake[0];
    pfd[0].events = POLLIN;
    pfd[1].fd = -1;
    if (c->conn == CONN_CONNECTING || c->conn == CONN_UP) {
      pfd[1].fd = mosquitto_socket (c->mosq);
      pfd[1].events = POLLIN | (mosquitto_want_write (c->mosq) ? POLLOUT : 0);
      nfds = 2;
    } else if (c->conn == CONN_DOWN) {
      timeout_ms = (gint) CLAMP ((c->next_attempt - now) / 1000, 0, 1000);
    }

    g_mutex_lock (&c->lock);
    now = g_get_monotonic_time ();
    /* Woken by publish() only when there is room and nothing waits yet
     * (a waiting batch has its own timer). */
    c->idle = c->conn == CONN_UP && c->inflight < INFLIGHT_WINDOW
        && !c->states.length && !c->alarms.length;
    if (c->stopping)
      timeout_ms = MIN (timeout_ms, 50);
    if (send_now (c, now))
      timeout_ms = 0;
    else if (c->conn == CONN_UP && c->inflight < INFLIGHT_WINDOW
        && (c->states.length || c->alarms.length))
      timeout_ms = MIN (timeout_ms, 1 + (gint) ((BATCH_WAIT_US -
                  (now - c->batch_start)) / 1000));
    g_mutex_unlock (&c->lock);

    if (poll (pfd, nfds, timeout_ms) < 0 && errno != EINTR) {
      GST_ERROR_OBJECT (c->owner, "poll: %s", g_strerror (errno));
      break;
    }
    if (pfd[0].revents & POLLIN)
      while (read (c->wake[0], drain, sizeof drain) > 0);

    if (nfds == 2 && pfd[1].fd >= 0) {
      if (pfd[1].revents & (POLLIN | POLLHUP | POLLERR))
        rc = mosquitto_loop_read (c->mosq, 1);
      if (rc == MOSQ_ERR_SUCCESS && (pfd[1].revents & POLLOUT))
        rc = mosquitto_loop_write (c->mosq, 1);
      if (rc == MOSQ_ERR_SUCCESS)
        rc = mosquitto_loop_misc (c->mosq);
      if (rc != MOSQ_ERR_SUCCESS && c->conn != CONN_FAILED)
        connection_lost (c, rc, errno);
    }
  }

  if (c->conn == CONN_UP || c->conn == CONN_CONNECTING) {
    mosquitto_disconnect (c->mosq);
    mosquitto_loop_write (c->mosq, 1);
  }
  g_mutex_lock (&c->lock);
  c->connected = FALSE;
  g_mutex_unlock (&c->lock);
  return NULL;
}

/* ---- life cycle ---- */

static gboolean
check_readable (const gchar * prop, const gchar * path, GError ** error)
{
  if (!path || !*path || g_access (path, R_OK) == 0)
    return TRUE;
  g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ,
      "%s file '%s' cannot be read: %s", prop, path, g_strerror (errno));
  return FALSE;
}

GstRvMqttClient *
gst_rv_mqtt_client_new (GstElement * owner, const GstRvMqttClientConfig * cfg,
    GError ** error)
{
  GstRvMqttClient *c;
  int rc = MOSQ_ERR_SUCCESS;
  static gsize once;

  if (g_once_init_enter (&once)) {
    GST_DEBUG_CATEGORY_INIT (gst_rv_mqtt_client_debug, "rvmqttclient", 0,
        "rvmqttsink connection");
    mosquitto_lib_init ();
    g_once_init_leave (&once, 1);
  }
  if (!check_readable ("tls-ca", cfg->tls_ca, error)
      || !check_readable ("tls-cert", cfg->tls_cert, error)
      || !check_readable ("tls-key", cfg->tls_key, error))
    return NULL;
  if ((cfg->tls_cert && *cfg->tls_cert) != (cfg->tls_key && *cfg->tls_key)) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
        "tls-cert and tls-key go together: set both or neither");
    return NULL;
  }
  if ((cfg->tls_cert && *cfg->tls_cert) && !(cfg->tls_ca && *cfg->tls_ca)) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
        "tls-cert needs tls-ca (the CA that signed the broker's certificate)");
    return NULL;
  }

  c = g_new0 (GstRvMqttClient, 1);
  c->owner = owner;
  c->host = g_strdup (cfg->host);
  c->port = cfg->port;
  c->qos = cfg->qos;
  c->keepalive = MAX (cfg->keepalive, 5);
  c->queue_size = MAX (cfg->queue_size, 1);
  c->will_topic = g_strdup (cfg->will_topic);
  c->wake[0] = c->wake[1] = -1;
  g_mutex_init (&c->lock);
  g_queue_init (&c->states);
  g_queue_init (&c->alarms);
  c->store = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
      (GDestroyNotify) retained_free);
  c->order = g_ptr_array_new ();

  if (!g_unix_open_pipe (c->wake, FD_CLOEXEC, error)
      || !g_unix_set_fd_nonblocking (c->wake[0], TRUE, error)
      || !g_unix_set_fd_nonblocking (c->wake[1], TRUE, error))
    goto fail;

  c->mosq = mosquitto_new (cfg->client_id && *cfg->client_id ?
      cfg->client_id : NULL, TRUE, c);
  if (!c->mosq) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
        "cannot create an MQTT client: %s", g_strerror (errno));
    goto fail;
  }
  mosquitto_connect_callback_set (c->mosq, on_connect);
  mosquitto_publish_callback_set (c->mosq, on_publish);
  mosquitto_log_callback_set (c->mosq, on_log);
  /* libmosquitto's own window is ours: it never holds back messages. */
  mosquitto_max_inflight_messages_set (c->mosq, INFLIGHT_WINDOW);
  /* States are small and latency matters more than packet count. */
  mosquitto_int_option (c->mosq, MOSQ_OPT_TCP_NODELAY, 1);

  if (cfg->username && *cfg->username)
    rc = mosquitto_username_pw_set (c->mosq, cfg->username, cfg->password);
  if (rc == MOSQ_ERR_SUCCESS && c->will_topic)
    rc = mosquitto_will_set (c->mosq, c->will_topic, 7, "offline",
        (int) c->qos, TRUE);
  if (rc == MOSQ_ERR_SUCCESS && cfg->tls_ca && *cfg->tls_ca)
    rc = mosquitto_tls_set (c->mosq, cfg->tls_ca, NULL,
        cfg->tls_cert && *cfg->tls_cert ? cfg->tls_cert : NULL,
        cfg->tls_key && *cfg->tls_key ? cfg->tls_key : NULL, NULL);
  if (rc != MOSQ_ERR_SUCCESS) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
        "invalid MQTT settings (username, will topic or TLS files): %s",
        mosquitto_strerror (rc));
    goto fail;
  }
  if (c->will_topic)
    gst_rv_mqtt_client_publish (c, c->will_topic, g_strdup ("online"), TRUE,
        GST_RV_MQTT_STATE);
  return c;

fail:
  gst_rv_mqtt_client_free (c);
  return NULL;
}

void
gst_rv_mqtt_client_start (GstRvMqttClient * c)
{
  c->thread = g_thread_new ("rvmqttsink", worker, c);
}

void
gst_rv_mqtt_client_stop (GstRvMqttClient * c, guint flush_ms)
{
  if (!c->thread)
    return;
  if (c->will_topic)
    gst_rv_mqtt_client_publish (c, c->will_topic, g_strdup ("offline"), TRUE,
        GST_RV_MQTT_STATE);
  g_mutex_lock (&c->lock);
  c->stopping = TRUE;
  c->stop_deadline = g_get_monotonic_time () + (gint64) flush_ms * 1000;
  wake_worker (c);
  g_mutex_unlock (&c->lock);
  g_thread_join (c->thread);
  c->thread = NULL;
}

void
gst_rv_mqtt_client_free (GstRvMqttClient * c)
{
  if (!c)
    return;
  gst_rv_mqtt_client_stop (c, 0);
  if (c->mosq)
    mosquitto_destroy (c->mosq);
  g_queue_clear_full (&c->states, (GDestroyNotify) msg_free);
  g_queue_clear_full (&c->alarms, (GDestroyNotify) msg_free);
  g_ptr_array_free (c->order, TRUE);
  g_hash_table_destroy (c->store);
  if (c->wake[0] >= 0)
    close (c->wake[0]);
  if (c->wake[1] >= 0)
    close (c->wake[1]);
  g_mutex_clear (&c->lock);
  g_free (c->host);
  g_free (c->will_topic);
  g_free (c->last_log);
  g_free (c);
}

gboolean
gst_rv_mqtt_client_failed (GstRvMqttClient * c)
{
  gboolean f;
  g_mutex_lock (&c->lock);
  f = c->failed;
  g_mutex_unlock (&c->lock);
  return f;
}

void
gst_rv_mqtt_client_get_stats (GstRvMqttClient * c, GstStructure * s)
{
  g_mutex_lock (&c->lock);
  gst_structure_set (s,
      "published", G_TYPE_UINT64, c->published,
      "dropped", G_TYPE_UINT64, c->dropped,
      "alarms-dropped", G_TYPE_UINT64, c->alarms_dropped,
      "queued", G_TYPE_UINT, c->states.length + c->alarms.length,
      "queue-high-water", G_TYPE_UINT, c->high_water,
      "connects", G_TYPE_UINT64, c->connects,
      "connected", G_TYPE_BOOLEAN, c->connected, NULL);
  g_mutex_unlock (&c->lock);
}
