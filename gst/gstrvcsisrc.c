/*
 * gstrvcsisrc.c — rvcsisrc: live push source of ESP32 CSI node packets.
 *
 * The socket is opened in NULL->READY (so `port=0` reads back the bound
 * port before the pipeline plays) and closed in READY->NULL. create()
 * serves accepted packets from the current receive batch and, when the batch
 * is used up, waits (cancellable, see unlock()) and pulls the next batch of
 * up to batch-size datagrams with one recvmmsg() call. Each datagram is
 * validated by the kernel decoder (gstrvpacketfilter.c); invalid ones are
 * counted by reason and never reach the src pad.
 *
 * Timestamps: each datagram's kernel receive time (SO_TIMESTAMPNS) is
 * moved onto the pipeline clock with the offset measured when its batch is
 * read; PTS is that minus the element's base time (running time at
 * arrival), and GstRvCsiPacketMeta.arrival holds the clock time itself.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE             /* recvmmsg */
#endif
#include "gstrvcsisrc.h"
#include "gstrvelement.h"
#include "gstrvcsimeta.h"
#include "gstrvpacketfilter.h"
#include "gstrvpads.h"
#include "gstrvprops.h"

#include <gio/gio.h>
#include <errno.h>
#include <string.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

GST_DEBUG_CATEGORY_STATIC (gst_rv_csi_src_debug);
#define GST_CAT_DEFAULT gst_rv_csi_src_debug

#define DEFAULT_ADDRESS         "0.0.0.0"
#define DEFAULT_PORT            5005
#define DEFAULT_MULTICAST_GROUP NULL
#define DEFAULT_MULTICAST_IFACE NULL
#define DEFAULT_BUFFER_SIZE     (4 * 1024 * 1024)
#define DEFAULT_BATCH_SIZE      64
#define DEFAULT_MAX_PACKET_SIZE 4096
#define DEFAULT_STATS_INTERVAL  GST_SECOND
/* Longest wait for packets between two checks for silent nodes. */
#define PRESENCE_CHECK_US       (G_USEC_PER_SEC / 4)

enum
{
  PROP_0,
  PROP_ADDRESS,
  PROP_PORT,
  PROP_MULTICAST_GROUP,
  PROP_MULTICAST_IFACE,
  PROP_BUFFER_SIZE,
  PROP_BATCH_SIZE,
  PROP_MAX_PACKET_SIZE,
  PROP_STATS_INTERVAL,
  /* allowed-nodes, kinds, stats: gstrvpacketfilter.h */
};

typedef struct
{
  guint slot;
  GstClockTime arrival;
  GstRvCsiPacketInfo info;
} GstRvAccepted;

/* Control data room per datagram: one struct timespec timestamp. */
#define CMSG_ROOM CMSG_SPACE (sizeof (struct timespec))

struct _GstRvCsiSrc
{
  GstPushSrc parent;

  /* properties (object lock) */
  gchar *address;
  gint port;
  gchar *multicast_group;
  gchar *multicast_iface;
  gint buffer_size;
  guint batch_size;
  guint max_packet_size;
  GstClockTime stats_interval;

  /* socket, opened in NULL->READY */
  GSocket *socket;
  GCancellable *cancellable;
  gint bound_port;

  /* receive batch (streaming thread only) */
  guint n_slots;
  guint slot_size;
  guint8 *slots;
  struct mmsghdr *msgs;
  struct iovec *iov;
  struct sockaddr_storage *addrs;
  guint8 *cmsgs;                /* per slot: SO_TIMESTAMPNS control data */
  GstRvAccepted *accepted;
  guint n_accepted, next_accepted;
  GstClockTime last_stats_post;

  GstRvPacketFilter *filter;    /* admission and counters, own lock */
};

#define gst_rv_csi_src_parent_class parent_class
GST_RV_ELEMENT_DEFINE (GstRvCsiSrc, gst_rv_csi_src,
    GST_TYPE_PUSH_SRC, rvcsisrc, "ESP32 CSI UDP source");

static void gst_rv_csi_src_get_port (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static void gst_rv_csi_src_finalize (GObject * object);
static GstStateChangeReturn gst_rv_csi_src_change_state (GstElement * element,
    GstStateChange transition);
static gboolean gst_rv_csi_src_start (GstBaseSrc * bsrc);
static gboolean gst_rv_csi_src_stop (GstBaseSrc * bsrc);
static gboolean gst_rv_csi_src_unlock (GstBaseSrc * bsrc);
static gboolean gst_rv_csi_src_unlock_stop (GstBaseSrc * bsrc);
static GstFlowReturn gst_rv_csi_src_create (GstPushSrc * psrc,
    GstBuffer ** buf);

static void
gst_rv_csi_src_class_init (GstRvCsiSrcClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSrcClass *basesrc_class = GST_BASE_SRC_CLASS (klass);
  GstPushSrcClass *pushsrc_class = GST_PUSH_SRC_CLASS (klass);

  GST_RV_PROP_FIELD (gobject_class, PROP_ADDRESS, GstRvCsiSrc, address,
      g_param_spec_string ("address", "Address",
          "Local address to bind: \"0.0.0.0\" (any IPv4), \"::\" (any IPv6, "
          "also IPv4 on dual-stack hosts) or one interface address. With "
          "multicast-group set, the group is joined on top of this",
          DEFAULT_ADDRESS, GST_RV_PARAM_READY));
  GST_RV_PROP_CUSTOM (gobject_class, PROP_PORT, GstRvCsiSrc, port,
      g_param_spec_int ("port", "Port",
          "UDP port the nodes send to. 0 binds any free port; read the "
          "property back in READY or later to learn which", 0, 65535,
          DEFAULT_PORT, GST_RV_PARAM_READY), NULL, gst_rv_csi_src_get_port);
  GST_RV_PROP_FIELD (gobject_class, PROP_MULTICAST_GROUP, GstRvCsiSrc,
      multicast_group,
      g_param_spec_string ("multicast-group", "Multicast group",
          "IPv4 or IPv6 multicast group to join (e.g. \"239.0.0.1\"); unset "
          "for unicast", DEFAULT_MULTICAST_GROUP,
          GST_RV_PARAM_READY));
  GST_RV_PROP_FIELD (gobject_class, PROP_MULTICAST_IFACE, GstRvCsiSrc,
      multicast_iface,
      g_param_spec_string ("multicast-iface", "Multicast interface",
          "Network interface name to join multicast-group on (e.g. "
          "\"eth0\"); unset lets the kernel choose",
          DEFAULT_MULTICAST_IFACE, GST_RV_PARAM_READY));
  GST_RV_PROP_FIELD (gobject_class, PROP_BUFFER_SIZE, GstRvCsiSrc, buffer_size,
      g_param_spec_int ("buffer-size", "Receive buffer size",
          "Socket receive buffer in bytes (SO_RCVBUF); 0 keeps the system "
          "default. The kernel caps it at net.core.rmem_max: raise that "
          "sysctl if a warning says the size was reduced", 0, G_MAXINT,
          DEFAULT_BUFFER_SIZE, GST_RV_PARAM_READY));
  GST_RV_PROP_FIELD (gobject_class, PROP_BATCH_SIZE, GstRvCsiSrc, batch_size,
      g_param_spec_uint ("batch-size", "Batch size",
          "Datagrams read per recvmmsg() call; larger batches cost fewer "
          "system calls at high packet rates", 1, 1024, DEFAULT_BATCH_SIZE,
          GST_RV_PARAM_READY));
  GST_RV_PROP_FIELD (gobject_class, PROP_MAX_PACKET_SIZE, GstRvCsiSrc,
      max_packet_size,
      g_param_spec_uint ("max-packet-size", "Maximum packet size",
          "Largest datagram in bytes; longer ones are dropped and counted "
          "as dropped-oversize (a 4-antenna, 256-subcarrier raw CSI frame "
          "is 2068 bytes)", 64, 65536, DEFAULT_MAX_PACKET_SIZE,
          GST_RV_PARAM_READY));
  GST_RV_PROP_FIELD (gobject_class, PROP_STATS_INTERVAL, GstRvCsiSrc,
      stats_interval,
      g_param_spec_uint64 ("stats-interval", "Stats interval",
          "Nanoseconds between \"rvcsisrc-stats\" element messages on the "
          "bus (pipeline clock); 0 disables them", 0, G_MAXUINT64,
          DEFAULT_STATS_INTERVAL, GST_RV_PARAM_PLAYING));
  gst_rv_packet_filter_install_properties (gobject_class,
      GST_RV_PACKET_FILTER_SOURCES, G_STRUCT_OFFSET (GstRvCsiSrc, filter),
      "Counters: received, accepted, dropped and dropped-<reason> "
      "(truncated, magic, length, crc, antennas, subcarriers, version, "
      "field, other, oversize, node-filter, kind-filter, source-filter, "
      "rate-limit), mesh-no-node (mesh packets of no known node), "
      "kind-<kind>, nodes-online, and nodes: one structure per node seen "
      "(id, packets, bytes, seq-skipped, reordered, duplicates, reboots, "
      "rate in packets/s over the last stats-interval (0 while "
      "stats-interval is 0), online, offline-count, interval, frequency, "
      "channel-changes)");

  gst_element_class_set_static_metadata (element_class,
      "RuView CSI UDP source", "Source/Network",
      "Receives ESP32 CSI node packets over UDP, validates them and pushes "
      "one buffer per packet with an GstRvCsiPacketMeta",
      "gst-rvcsi developers");
  gst_element_class_add_static_pad_template (element_class,
      &gst_rv_csi_src_template);

  gobject_class->finalize = gst_rv_csi_src_finalize;
  element_class->change_state = GST_DEBUG_FUNCPTR (gst_rv_csi_src_change_state);
  basesrc_class->start = GST_DEBUG_FUNCPTR (gst_rv_csi_src_start);
  basesrc_class->stop = GST_DEBUG_FUNCPTR (gst_rv_csi_src_stop);
  basesrc_class->unlock = GST_DEBUG_FUNCPTR (gst_rv_csi_src_unlock);
  basesrc_class->unlock_stop = GST_DEBUG_FUNCPTR (gst_rv_csi_src_unlock_stop);
  pushsrc_class->create = GST_DEBUG_FUNCPTR (gst_rv_csi_src_create);
}

static void
gst_rv_csi_src_init (GstRvCsiSrc * self)
{
  gst_rv_props_init (G_OBJECT (self));
  self->cancellable = g_cancellable_new ();
  self->filter = gst_rv_packet_filter_new (GST_ELEMENT (self),
      "rvcsisrc-stats");

  gst_base_src_set_live (GST_BASE_SRC (self), TRUE);
  gst_base_src_set_format (GST_BASE_SRC (self), GST_FORMAT_TIME);
}

static void
free_batch (GstRvCsiSrc * self)
{
  g_clear_pointer (&self->slots, g_free);
  g_clear_pointer (&self->msgs, g_free);
  g_clear_pointer (&self->iov, g_free);
  g_clear_pointer (&self->addrs, g_free);
  g_clear_pointer (&self->cmsgs, g_free);
  g_clear_pointer (&self->accepted, g_free);
  self->n_slots = 0;
  self->n_accepted = self->next_accepted = 0;
}

static void
gst_rv_csi_src_finalize (GObject * object)
{
  GstRvCsiSrc *self = GST_RV_CSI_SRC (object);

  g_clear_object (&self->socket);
  g_clear_object (&self->cancellable);
  free_batch (self);
  gst_rv_props_finalize (object);
  gst_rv_packet_filter_free (self->filter);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

/* port reads back the port the socket has once bound (port 0 binds any
 * free one). */
static void
gst_rv_csi_src_get_port (GObject * object, guint prop_id G_GNUC_UNUSED,
    GValue * value, GParamSpec * pspec G_GNUC_UNUSED)
{
  GstRvCsiSrc *self = GST_RV_CSI_SRC (object);

  GST_OBJECT_LOCK (self);
  g_value_set_int (value, self->socket ? self->bound_port : self->port);
  GST_OBJECT_UNLOCK (self);
}

/* ------------------------------------------------------------ socket */

static GInetAddress *
resolve_address (const gchar * host, GError ** err)
{
  GInetAddress *ia = g_inet_address_new_from_string (host);
  GResolver *resolver;
  GList *list;

  if (ia)
    return ia;
  resolver = g_resolver_get_default ();
  list = g_resolver_lookup_by_name (resolver, host, NULL, err);
  g_object_unref (resolver);
  if (!list)
    return NULL;
  ia = g_object_ref (list->data);
  g_resolver_free_addresses (list);
  return ia;
}

static gboolean
open_socket (GstRvCsiSrc * self)
{
  gchar *address, *group, *iface;
  gint port, bufsize;
  GInetAddress *bind_ia = NULL, *group_ia = NULL;
  GSocketAddress *bind_sa = NULL, *local = NULL;
  GSocket *sock = NULL;
  GError *err = NULL;
  gboolean ok = FALSE;

  GST_OBJECT_LOCK (self);
  address = g_strdup (self->address ? self->address : DEFAULT_ADDRESS);
  group = g_strdup (self->multicast_group);
  iface = g_strdup (self->multicast_iface);
  port = self->port;
  bufsize = self->buffer_size;
  GST_OBJECT_UNLOCK (self);

  if (!gst_rv_packet_filter_start (self->filter))
    goto done;

  bind_ia = resolve_address (address, &err);
  if (!bind_ia) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Could not resolve address \"%s\"", address),
        ("%s", err ? err->message : "unknown error"));
    goto done;
  }
  if (group && *group) {
    group_ia = g_inet_address_new_from_string (group);
    if (!group_ia || !g_inet_address_get_is_multicast (group_ia)) {
      GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
          ("multicast-group \"%s\" is not a multicast address", group),
          ("Use an IPv4 address in 224.0.0.0/4 or an IPv6 ff00::/8 address"));
      goto done;
    }
    /* Bind the group's family; any-address of that family if the bind
     * address is of the other one. */
    if (g_inet_address_get_family (group_ia) !=
        g_inet_address_get_family (bind_ia)) {
      g_object_unref (bind_ia);
      bind_ia = g_inet_address_new_any (g_inet_address_get_family (group_ia));
    }
  }

  sock = g_socket_new (g_inet_address_get_family (bind_ia),
      G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, &err);
  if (!sock) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ,
        ("Could not create a UDP socket"), ("%s", err->message));
    goto done;
  }
  g_socket_set_blocking (sock, FALSE);
  bind_sa = g_inet_socket_address_new (bind_ia, (guint16) port);
  if (!g_socket_bind (sock, bind_sa, group_ia != NULL, &err)) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ,
        ("Could not bind UDP port %d on %s", port, address),
        ("%s. Is another program using the port? Use port=0 to pick a free "
            "one.", err->message));
    goto done;
  }
  if (group_ia && !g_socket_join_multicast_group (sock, group_ia, FALSE,
          (iface && *iface) ? iface : NULL, &err)) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ,
        ("Could not join multicast group %s", group), ("%s", err->message));
    goto done;
  }
  if (bufsize > 0) {
    gint got = 0;
    if (!g_socket_set_option (sock, SOL_SOCKET, SO_RCVBUF, bufsize, &err)) {
      GST_WARNING_OBJECT (self, "SO_RCVBUF: %s", err->message);
      g_clear_error (&err);
    }
    /* Linux reports twice the size set (bookkeeping overhead), so a full
     * grant reads back >= bufsize. Above net.core.rmem_max only a process
     * with CAP_NET_ADMIN may go further (SO_RCVBUFFORCE, as udpsrc does). */
#ifdef SO_RCVBUFFORCE
    if (g_socket_get_option (sock, SOL_SOCKET, SO_RCVBUF, &got, NULL) &&
        got < bufsize)
      g_socket_set_option (sock, SOL_SOCKET, SO_RCVBUFFORCE, bufsize, NULL);
#endif
    if (g_socket_get_option (sock, SOL_SOCKET, SO_RCVBUF, &got, NULL) &&
        got < bufsize) {
      GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS,
          ("Receive buffer is %d bytes, less than the %d requested",
              got, bufsize),
          ("Raise net.core.rmem_max (sysctl -w net.core.rmem_max=%d) to avoid "
              "losing packets in bursts", bufsize));
    }
  }
  /* Kernel receive timestamps: arrival is when the datagram reached the
   * socket, not when this thread got round to reading it. */
  if (!g_socket_set_option (sock, SOL_SOCKET, SO_TIMESTAMPNS, 1, NULL))
    GST_WARNING_OBJECT (self, "no kernel receive timestamps; stamping on "
        "read");
  local = g_socket_get_local_address (sock, &err);
  if (!local) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ,
        ("Could not read back the bound address"), ("%s", err->message));
    goto done;
  }

  GST_OBJECT_LOCK (self);
  self->socket = g_object_ref (sock);
  self->bound_port =
      g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  GST_OBJECT_UNLOCK (self);
  GST_INFO_OBJECT (self, "bound %s port %d", address, self->bound_port);
  ok = TRUE;

done:
  g_clear_error (&err);
  g_clear_object (&local);
  g_clear_object (&bind_sa);
  g_clear_object (&sock);
  g_clear_object (&bind_ia);
  g_clear_object (&group_ia);
  g_free (address);
  g_free (group);
  g_free (iface);
  return ok;
}

static void
close_socket (GstRvCsiSrc * self)
{
  GSocket *sock;

  GST_OBJECT_LOCK (self);
  sock = self->socket;
  self->socket = NULL;
  GST_OBJECT_UNLOCK (self);
  if (sock) {
    g_socket_close (sock, NULL);
    g_object_unref (sock);
  }
}

static GstStateChangeReturn
gst_rv_csi_src_change_state (GstElement * element, GstStateChange transition)
{
  GstRvCsiSrc *self = GST_RV_CSI_SRC (element);
  GstStateChangeReturn ret;

  if (transition == GST_STATE_CHANGE_NULL_TO_READY && !open_socket (self))
    return GST_STATE_CHANGE_FAILURE;

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE) {
    if (transition == GST_STATE_CHANGE_NULL_TO_READY)
      close_socket (self);
    return ret;
  }
  if (transition == GST_STATE_CHANGE_READY_TO_NULL)
    close_socket (self);
  return ret;
}

/* ------------------------------------------------------------ streaming */

static gboolean
gst_rv_csi_src_start (GstBaseSrc * bsrc)
{
  GstRvCsiSrc *self = GST_RV_CSI_SRC (bsrc);
  guint n, size;

  GST_OBJECT_LOCK (self);
  n = self->batch_size;
  size = self->max_packet_size;
  GST_OBJECT_UNLOCK (self);

  free_batch (self);
  /* One spare byte per slot: a datagram that fills it is oversize. */
  self->slot_size = size + 1;
  self->n_slots = n;
  self->slots = g_malloc ((gsize) n * self->slot_size);
  self->msgs = g_new0 (struct mmsghdr, n);
  self->iov = g_new0 (struct iovec, n);
  self->addrs = g_new0 (struct sockaddr_storage, n);
  self->cmsgs = g_malloc0 ((gsize) n * CMSG_ROOM);
  self->accepted = g_new0 (GstRvAccepted, n);
  self->last_stats_post = GST_CLOCK_TIME_NONE;

  gst_rv_packet_filter_reset (self->filter);
  return TRUE;
}

static gboolean
gst_rv_csi_src_stop (GstBaseSrc * bsrc)
{
  free_batch (GST_RV_CSI_SRC (bsrc));
  return TRUE;
}

static gboolean
gst_rv_csi_src_unlock (GstBaseSrc * bsrc)
{
  GstRvCsiSrc *self = GST_RV_CSI_SRC (bsrc);

  g_cancellable_cancel (self->cancellable);
  return TRUE;
}

static gboolean
gst_rv_csi_src_unlock_stop (GstBaseSrc * bsrc)
{
  GstRvCsiSrc *self = GST_RV_CSI_SRC (bsrc);

  g_cancellable_reset (self->cancellable);
  return TRUE;
}

static GstClockTime
clock_now (GstRvCsiSrc * self)
{
  GstClock *clock = gst_element_get_clock (GST_ELEMENT (self));
  GstClockTime now;

  if (!clock)
    return GST_CLOCK_TIME_NONE;
  now = gst_clock_get_time (clock);
  gst_object_unref (clock);
  return now;
}

static void
maybe_post_stats (GstRvCsiSrc * self, GstClockTime now)
{
  GstClockTime interval;
  GstStructure *s;

  GST_OBJECT_LOCK (self);
  interval = self->stats_interval;
  GST_OBJECT_UNLOCK (self);
  if (!interval || !GST_CLOCK_TIME_IS_VALID (now))
    return;
  if (!GST_CLOCK_TIME_IS_VALID (self->last_stats_post)) {
    self->last_stats_post = now;
    gst_rv_packet_filter_snapshot (self->filter, now);
    return;
  }
  if (now < self->last_stats_post + interval)
    return;
  self->last_stats_post = now;
  gst_rv_packet_filter_snapshot (self->filter, now);
  s = gst_rv_packet_filter_stats (self->filter);
  gst_element_post_message (GST_ELEMENT (self),
      gst_message_new_element (GST_OBJECT (self), s));
}

static GstClockTime
to_running (gpointer user_data, GstClockTime t)
{
  GstClockTime base = gst_element_get_base_time (GST_ELEMENT (user_data));

  return GST_CLOCK_TIME_IS_VALID (t) && t >= base ? t - base : 0;
}

/* Node presence from the pipeline clock: runs while waiting for packets
 * too, so a node is reported offline even when every node is silent. */
static void
push_presence (GstRvCsiSrc * self, GstClockTime now)
{
  gst_rv_packet_filter_push_presence (self->filter, GST_BASE_SRC_PAD (self),
      now, FALSE, to_running, self);
}

/* Read up to n_slots datagrams without blocking. Returns the count, 0 when
 * nothing is pending, -1 on a socket error. */
static gint
receive_batch (GstRvCsiSrc * self, gint fd)
{
  guint i;
  gint n;

  for (i = 0; i < self->n_slots; i++) {
    self->iov[i].iov_base = self->slots + (gsize) i * self->slot_size;
    self->iov[i].iov_len = self->slot_size;
    memset (&self->msgs[i].msg_hdr, 0, sizeof (struct msghdr));
    self->msgs[i].msg_hdr.msg_iov = &self->iov[i];
    self->msgs[i].msg_hdr.msg_iovlen = 1;
    self->msgs[i].msg_hdr.msg_name = &self->addrs[i];
    self->msgs[i].msg_hdr.msg_namelen = sizeof (struct sockaddr_storage);
    self->msgs[i].msg_hdr.msg_control = self->cmsgs + (gsize) i * CMSG_ROOM;
    self->msgs[i].msg_hdr.msg_controllen = CMSG_ROOM;
    self->msgs[i].msg_len = 0;
  }
  do {
    n = recvmmsg (fd, self->msgs, self->n_slots, MSG_DONTWAIT, NULL);
  } while (n < 0 && errno == EINTR);
  if (n < 0)
    return (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -1;
  return n;
}

/* Kernel receive time of datagram m on the pipeline clock: its
 * CLOCK_REALTIME stamp moved by the clock offset measured for this batch.
 * Falls back to the read time; never later than it. */
static GstClockTime
arrival_time (const struct msghdr *m, GstClockTime now, gint64 real_now_ns)
{
  struct cmsghdr *c;

  if (!GST_CLOCK_TIME_IS_VALID (now))
    return now;
  for (c = CMSG_FIRSTHDR (m); c; c = CMSG_NXTHDR ((struct msghdr *) m, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
      struct timespec ts;
      gint64 k, age;
      memcpy (&ts, CMSG_DATA (c), sizeof ts);
      k = (gint64) ts.tv_sec * GST_SECOND + ts.tv_nsec;
      age = real_now_ns - k;
      if (age <= 0)
        return now;
      return (GstClockTime) age < now ? now - (GstClockTime) age : 0;
    }
  }
  return now;
}

/* The sender as the filter and the meta see it: an IPv4 node seen through
 * a dual-stack "::" socket is IPv4. Returns the port. */
static guint16
sender_address (const struct sockaddr_storage *ss, rv_net_addr * a)
{
  memset (a, 0, sizeof *a);
  if (ss->ss_family == AF_INET) {
    const struct sockaddr_in *in = (const struct sockaddr_in *) ss;
    a->family = RV_NET_IPV4;
    memcpy (a->addr, &in->sin_addr, 4);
    return g_ntohs (in->sin_port);
  }
  if (ss->ss_family == AF_INET6) {
    const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *) ss;
    a->family = RV_NET_IPV6;
    memcpy (a->addr, &in6->sin6_addr, 16);
    rv_net_addr_unmap (a);
    return g_ntohs (in6->sin6_port);
  }
  return 0;
}

static void
fill_address (GstRvCsiPacketMeta * meta, const struct sockaddr_storage *ss)
{
  rv_net_addr a;

  meta->src_port = sender_address (ss, &a);
  if (a.family == RV_NET_NONE)
    return;
  meta->src_family = a.family == RV_NET_IPV4 ? G_SOCKET_FAMILY_IPV4 :
      G_SOCKET_FAMILY_IPV6;
  memcpy (meta->src_addr, a.addr, sizeof meta->src_addr);
}

/* Sender checks (allowed-sources, source-rate-limit) come first, so a
 * flood from a refused address costs no decoding. */
static void
admit_batch (GstRvCsiSrc * self, guint n, GstClockTime now)
{
  guint i;
  gint64 real_now_ns = g_get_real_time () * 1000;

  self->n_accepted = self->next_accepted = 0;
  for (i = 0; i < n; i++) {
    const struct mmsghdr *m = &self->msgs[i];
    GstRvAccepted *a = &self->accepted[self->n_accepted];
    GstClockTime arrival = arrival_time (&m->msg_hdr, now, real_now_ns);
    rv_net_addr src;

    sender_address (&self->addrs[i], &src);
    if (!gst_rv_packet_filter_admit_source (self->filter, &src, arrival))
      continue;
    if ((m->msg_hdr.msg_flags & MSG_TRUNC) || m->msg_len >= self->slot_size) {
      gst_rv_packet_filter_reject_oversize (self->filter);
      continue;
    }
    /* the sequence tracker judges by each datagram's own arrival */
    a->arrival = arrival;
    if (gst_rv_packet_filter_admit_from (self->filter, &src, self->slots +
            (gsize) i * self->slot_size, m->msg_len, a->arrival, &a->info)) {
      a->slot = i;
      self->n_accepted++;
    }
  }
}

static GstBuffer *
make_buffer (GstRvCsiSrc * self, const GstRvAccepted * a)
{
  const struct mmsghdr *m = &self->msgs[a->slot];
  GstBuffer *buf = gst_buffer_new_memdup (self->slots +
      (gsize) a->slot * self->slot_size, m->msg_len);
  GstRvCsiPacketMeta *meta = gst_rv_csi_packet_meta_add (buf);
  GstClockTime base = gst_element_get_base_time (GST_ELEMENT (self));

  gst_rv_csi_packet_meta_fill (meta, &a->info, a->arrival);
  fill_address (meta, &self->addrs[a->slot]);
  if (GST_CLOCK_TIME_IS_VALID (a->arrival) && a->arrival >= base)
    GST_BUFFER_PTS (buf) = a->arrival - base;
  GST_BUFFER_DTS (buf) = GST_BUFFER_PTS (buf);
  return buf;
}

static GstFlowReturn
gst_rv_csi_src_create (GstPushSrc * psrc, GstBuffer ** outbuf)
{
  GstRvCsiSrc *self = GST_RV_CSI_SRC (psrc);
  GSocket *sock;
  GstFlowReturn ret = GST_FLOW_OK;

  GST_OBJECT_LOCK (self);
  sock = self->socket ? g_object_ref (self->socket) : NULL;
  GST_OBJECT_UNLOCK (self);
  if (!sock) {
    GST_ELEMENT_ERROR (self, RESOURCE, READ, ("Socket is not open"), (NULL));
    return GST_FLOW_ERROR;
  }

  while (self->next_accepted >= self->n_accepted) {
    GError *err = NULL;
    GstClockTime interval, now;
    gint64 timeout_us;
    gint n;

    n = receive_batch (self, g_socket_get_fd (sock));
    if (n < 0) {
      GST_ELEMENT_ERROR (self, RESOURCE, READ, ("Error receiving from the "
              "UDP socket"), ("recvmmsg: %s", g_strerror (errno)));
      ret = GST_FLOW_ERROR;
      break;
    }
    now = clock_now (self);
    /* Stats first: a message covers the packets before this batch, so
     * rates are exact over [previous post, now). */
    maybe_post_stats (self, now);
    if (n > 0) {
      admit_batch (self, (guint) n, now);
      /* a node that is back says so before its packets */
      push_presence (self, now);
      continue;
    }
    push_presence (self, now);

    /* Nothing pending: wait, waking up for the next stats message and to
     * notice silent nodes. */
    GST_OBJECT_LOCK (self);
    interval = self->stats_interval;
    GST_OBJECT_UNLOCK (self);
    timeout_us = PRESENCE_CHECK_US;
    if (interval)
      timeout_us = MIN ((gint64) (interval / GST_USECOND), timeout_us);
    if (!g_socket_condition_timed_wait (sock, G_IO_IN, timeout_us,
            self->cancellable, &err)) {
      if (g_error_matches (err, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
        g_clear_error (&err);
        ret = GST_FLOW_FLUSHING;
        break;
      }
      if (!g_error_matches (err, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)) {
        GST_ELEMENT_ERROR (self, RESOURCE, READ, ("Error waiting for UDP "
                "packets"), ("%s", err->message));
        g_clear_error (&err);
        ret = GST_FLOW_ERROR;
        break;
      }
      g_clear_error (&err);
    }
  }
  if (ret == GST_FLOW_OK)
    *outbuf = make_buffer (self, &self->accepted[self->next_accepted++]);
  g_object_unref (sock);
  return ret;
}
