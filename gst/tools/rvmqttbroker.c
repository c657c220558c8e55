/* rvmqttbroker.c — private mosquitto broker and subscriber for tests and
 * rvmqttbench (contract in rvmqttbroker.h). */
#include "rvmqttbroker.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <mosquitto.h>

static guint
free_port (GError ** error)
{
  GSocket *s = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
      G_SOCKET_PROTOCOL_TCP, error);
  GInetAddress *lo;
  GSocketAddress *sa, *bound;
  guint port = 0;

  if (!s)
    return 0;
  lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  sa = g_inet_socket_address_new (lo, 0);
  if (g_socket_bind (s, sa, FALSE, error)
      && (bound = g_socket_get_local_address (s, error))) {
    port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
    g_object_unref (bound);
  }
  g_object_unref (sa);
  g_object_unref (lo);
  g_object_unref (s);
  return port;
}

static gboolean
run (const gchar * dir, const gchar * cmdline, GError ** error)
{
  gchar **argv = NULL;
  gint status = 0;
  gchar *err_out = NULL;
  gboolean ok = g_shell_parse_argv (cmdline, NULL, &argv, error)
      && g_spawn_sync (dir, argv, NULL, G_SPAWN_SEARCH_PATH |
      G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err_out, &status, error);
  if (ok && !g_spawn_check_wait_status (status, NULL)) {
    g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "%s failed: %s",
        cmdline, err_out ? err_out : "");
    ok = FALSE;
  }
  g_strfreev (argv);
  g_free (err_out);
  return ok;
}

/* A CA, a server certificate it signed for 127.0.0.1/localhost, and an
 * unrelated CA (for "wrong CA" checks). EC keys: fast to generate. */
static gboolean
make_certs (const gchar * dir, GError ** error)
{
  const gchar *key = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
  gchar *ext = g_build_filename (dir, "san.ext", NULL);
  gboolean ok = g_file_set_contents (ext,
      "subjectAltName=IP:127.0.0.1,DNS:localhost\n", -1, error);
  gchar *c1 = g_strdup_printf ("openssl req -x509 %s -keyout ca.key "
      "-out ca.crt -days 2 -subj /CN=rvcsi-test-ca", key);
  gchar *c2 = g_strdup_printf ("openssl req %s -keyout server.key "
      "-out server.csr -subj /CN=localhost", key);
  gchar *c4 = g_strdup_printf ("openssl req -x509 %s -keyout other.key "
      "-out other.crt -days 2 -subj /CN=rvcsi-other-ca", key);

  ok = ok && run (dir, c1, error) && run (dir, c2, error)
      && run (dir, "openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key "
      "-CAcreateserial -out server.crt -days 2 -extfile san.ext", error)
      && run (dir, c4, error);
  g_free (c1);
  g_free (c2);
  g_free (c4);
  g_free (ext);
  return ok;
}

gchar *
rv_mqtt_broker_path (RvMqttBroker * b, const gchar * file)
{
  return g_build_filename (b->dir, file, NULL);
}

/* Plain connect(): GSocketClient would consult the proxy resolver
 * (libproxy, a thread, C++ exceptions) for a loopback probe. */
static gboolean
accepts (guint port)
{
  struct sockaddr_in sa;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  memset (&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons ((guint16) port);
  sa.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  ok = connect (fd, (struct sockaddr *) &sa, sizeof sa) == 0;
  close (fd);
  return ok;
}

/* The broker dies with the process that started it, so a test that fails
 * half-way (Check ends its process) leaves no broker behind. */
static void
die_with_parent (gpointer data)
{
  (void) data;
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGTERM);
#endif
}

static gboolean
spawn (RvMqttBroker * b, GError ** error)
{
  const gchar *exe = g_getenv ("RV_MOSQUITTO");
  gchar *argv[] = { (gchar *) (exe ? exe : "/usr/sbin/mosquitto"),
    (gchar *) "-c", b->conf, NULL
  };
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  if (!g_spawn_async (b->dir, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD |
          G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
          die_with_parent, NULL, &b->pid, error))
    return FALSE;
  /* A real process we do not control the start-up of: poll its port. */
  while (!accepts (b->port)) {
    int status;
    if (waitpid (b->pid, &status, WNOHANG) == b->pid) {
      b->pid = 0;
      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
          "mosquitto exited at start-up (config %s)", b->conf);
      return FALSE;
    }
    if (g_get_monotonic_time () > deadline) {
      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
          "mosquitto did not open port %u within 10 s", b->port);
      return FALSE;
    }
    g_usleep (20000);
  }
  return TRUE;
}

RvMqttBroker *
rv_mqtt_broker_start (const gchar * extra, gboolean tls, GError ** error)
{
  RvMqttBroker *b = g_new0 (RvMqttBroker, 1);
  GString *conf = g_string_new (NULL);
  gboolean ok;

  b->dir = g_dir_make_tmp ("rvmqtt-XXXXXX", error);
  if (!b->dir || !(b->port = free_port (error))
      || (tls && (!(b->tls_port = free_port (error))
              || !make_certs (b->dir, error)))) {
    rv_mqtt_broker_free (b);
    return NULL;
  }
  b->extra = g_strdup (extra ? extra : "");
  b->conf = g_build_filename (b->dir, "mosquitto.conf", NULL);
  /* user root: keep the privileges of the test (mosquitto would otherwise
   * switch to user mosquitto, who cannot read the temporary directory). */
  g_string_append_printf (conf, "user root\npersistence false\n"
      "set_tcp_nodelay true\n"
      "log_dest file %s/mosquitto.log\nlog_type all\n"
      "listener %u 127.0.0.1\n", b->dir, b->port);
  if (tls)
    g_string_append_printf (conf, "listener %u 127.0.0.1\ncafile %s/ca.crt\n"
        "certfile %s/server.crt\nkeyfile %s/server.key\n", b->tls_port, b->dir,
        b->dir, b->dir);
  g_string_append_printf (conf, "%s\n", b->extra);
  if (!strstr (b->extra, "allow_anonymous"))
    g_string_append (conf, "allow_anonymous true\n");
  ok = g_file_set_contents (b->conf, conf->str, -1, error) && spawn (b, error);
  g_string_free (conf, TRUE);
  if (!ok) {
    rv_mqtt_broker_free (b);
    return NULL;
  }
  return b;
}

void
rv_mqtt_broker_signal (RvMqttBroker * b, int sig)
{
  if (b->pid > 0)
    kill (b->pid, sig);
}

void
rv_mqtt_broker_kill (RvMqttBroker * b)
{
  int status;
  if (b->pid <= 0)
    return;
  kill (b->pid, SIGTERM);
  kill (b->pid, SIGCONT);       /* a stopped broker must run to exit */
  while (waitpid (b->pid, &status, 0) < 0 && errno == EINTR);
  g_spawn_close_pid (b->pid);
  b->pid = 0;
}

gboolean
rv_mqtt_broker_restart (RvMqttBroker * b, GError ** error)
{
  rv_mqtt_broker_kill (b);
  return spawn (b, error);
}

static void
rm_rf (const gchar * dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const gchar *name;
  if (!d)
    return;
  while ((name = g_dir_read_name (d))) {
    gchar *p = g_build_filename (dir, name, NULL);
    g_unlink (p);
    g_free (p);
  }
  g_dir_close (d);
  g_rmdir (dir);
}

void
rv_mqtt_broker_free (RvMqttBroker * b)
{
  if (!b)
    return;
  rv_mqtt_broker_kill (b);
  if (b->dir && !g_getenv ("RV_MQTT_KEEP"))
    rm_rf (b->dir);
  g_free (b->dir);
  g_free (b->conf);
  g_free (b->extra);
  g_free (b);
}

/* ---- subscriber ---- */

typedef struct {
  gchar *payload;
  guint count;
} Topic;

struct _RvMqttSub {
  struct mosquitto *mosq;
  gchar *pattern;
  int qos;
  GMutex lock;
  GCond cond;
  GHashTable *topics;           /* topic -> Topic */
  guint64 total;
  gint64 last_us;
  gboolean subscribed;
};

static void
topic_free (Topic * t)
{
  g_free (t->payload);
  g_free (t);
}

static void
sub_on_connect (struct mosquitto *mosq, void *obj, int rc)
{
  RvMqttSub *s = obj;
  if (rc == 0)
    mosquitto_subscribe (mosq, NULL, s->pattern, s->qos);
}

static void
sub_on_subscribe (struct mosquitto *mosq, void *obj, int mid, int n,
    const int *granted)
{
  RvMqttSub *s = obj;
  (void) mosq;
  (void) mid;
  (void) n;
  (void) granted;
  g_mutex_lock (&s->lock);
  s->subscribed = TRUE;
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
}

static void
sub_on_message (struct mosquitto *mosq, void *obj,
    const struct mosquitto_message *m)
{
  RvMqttSub *s = obj;
  Topic *t;
  (void) mosq;
  g_mutex_lock (&s->lock);
  t = g_hash_table_lookup (s->topics, m->topic);
  if (!t) {
    t = g_new0 (Topic, 1);
    g_hash_table_insert (s->topics, g_strdup (m->topic), t);
  }
  g_free (t->payload);
  t->payload = g_strndup (m->payload ? m->payload : "", m->payloadlen);
  t->count++;
  s->total++;
  s->last_us = g_get_monotonic_time ();
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
}

RvMqttSub *
rv_mqtt_sub_new (guint port, const gchar * pattern, int qos, GError ** error)
{
  RvMqttSub *s = g_new0 (RvMqttSub, 1);
  int rc;

  mosquitto_lib_init ();
  g_mutex_init (&s->lock);
  g_cond_init (&s->cond);
  s->pattern = g_strdup (pattern);
  s->qos = qos;
  s->topics = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      (GDestroyNotify) topic_free);
  s->mosq = mosquitto_new (NULL, TRUE, s);
  mosquitto_connect_callback_set (s->mosq, sub_on_connect);
  mosquitto_message_callback_set (s->mosq, sub_on_message);
  mosquitto_subscribe_callback_set (s->mosq, sub_on_subscribe);
  mosquitto_reconnect_delay_set (s->mosq, 1, 1, false);
  mosquitto_int_option (s->mosq, MOSQ_OPT_TCP_NODELAY, 1);
  rc = mosquitto_connect (s->mosq, "127.0.0.1", (int) port, 30);
  if (rc == MOSQ_ERR_SUCCESS)
    rc = mosquitto_loop_start (s->mosq);
  if (rc != MOSQ_ERR_SUCCESS) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
        "subscriber cannot connect to 127.0.0.1:%u: %s", port,
        mosquitto_strerror (rc));
    rv_mqtt_sub_free (s);
    return NULL;
  }
  /* Only once the broker confirmed the subscription is nothing missed. */
  {
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    gboolean ok;
    g_mutex_lock (&s->lock);
    while (!s->subscribed
        && g_cond_wait_until (&s->cond, &s->lock, deadline));
    ok = s->subscribed;
    g_mutex_unlock (&s->lock);
    if (!ok) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
          "subscription to '%s' not acknowledged within 10 s", pattern);
      rv_mqtt_sub_free (s);
      return NULL;
    }
  }
  return s;
}

void
rv_mqtt_sub_free (RvMqttSub * s)
{
  if (!s)
    return;
  if (s->mosq) {
    mosquitto_disconnect (s->mosq);
    mosquitto_loop_stop (s->mosq, TRUE);
    mosquitto_destroy (s->mosq);
  }
  g_hash_table_destroy (s->topics);
  g_mutex_clear (&s->lock);
  g_cond_clear (&s->cond);
  g_free (s->pattern);
  g_free (s);
}

guint64
rv_mqtt_sub_count (RvMqttSub * s, const gchar * topic, gint64 * last_us)
{
  guint64 n;
  g_mutex_lock (&s->lock);
  if (topic) {
    Topic *t = g_hash_table_lookup (s->topics, topic);
    n = t ? t->count : 0;
  } else {
    n = s->total;
  }
  if (last_us)
    *last_us = s->last_us;
  g_mutex_unlock (&s->lock);
  return n;
}

gchar *
rv_mqtt_sub_wait (RvMqttSub * s, const gchar * topic, const gchar * want,
    guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gchar *res = NULL;

  g_mutex_lock (&s->lock);
  for (;;) {
    Topic *t = g_hash_table_lookup (s->topics, topic);
    if (t && (!want || g_strcmp0 (t->payload, want) == 0)) {
      res = g_strdup (t->payload);
      break;
    }
    if (!g_cond_wait_until (&s->cond, &s->lock, deadline))
      break;
  }
  g_mutex_unlock (&s->lock);
  return res;
}

gboolean
rv_mqtt_sub_wait_count (RvMqttSub * s, guint64 n, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gboolean ok;

  g_mutex_lock (&s->lock);
  while (s->total < n && g_cond_wait_until (&s->cond, &s->lock, deadline));
  ok = s->total >= n;
  g_mutex_unlock (&s->lock);
  return ok;
}

static gint
cmp_str (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const gchar * const *) a, *(const gchar * const *) b);
}

gchar **
rv_mqtt_sub_topics (RvMqttSub * s)
{
  GPtrArray *a = g_ptr_array_new ();
  GHashTableIter it;
  gpointer k;

  g_mutex_lock (&s->lock);
  g_hash_table_iter_init (&it, s->topics);
  while (g_hash_table_iter_next (&it, &k, NULL))
    g_ptr_array_add (a, g_strdup (k));
  g_mutex_unlock (&s->lock);
  g_ptr_array_sort (a, cmp_str);
  g_ptr_array_add (a, NULL);
  return (gchar **) g_ptr_array_free (a, FALSE);
}

void
rv_mqtt_sub_reset (RvMqttSub * s)
{
  g_mutex_lock (&s->lock);
  g_hash_table_remove_all (s->topics);
  s->total = 0;
  g_mutex_unlock (&s->lock);
}
