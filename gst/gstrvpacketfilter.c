/* gstrvpacketfilter.c — the sources' shared packet filter: properties,
 * counters and filters (gstrvcsistats.c), source allowlist and rate limit
 * (kernel rv_net / rv_ratelimit) behind one lock. */
#include "gstrvpacketfilter.h"
#include "gstrvnodeevent.h"
#include "gstrvprops.h"

#include <string.h>

#include "rv_ratelimit.h"

GST_DEBUG_CATEGORY_STATIC (gst_rv_packet_filter_debug);
#define GST_CAT_DEFAULT gst_rv_packet_filter_debug

#define DEFAULT_ALLOWED_NODES     NULL
#define DEFAULT_KINDS             NULL
#define DEFAULT_ALLOWED_SOURCES   NULL
/* 2.5 times what 200 nodes at 100 Hz send through one gateway address. */
#define DEFAULT_SOURCE_RATE_LIMIT 50000
#define MAX_SOURCE_RATE_LIMIT     10000000

enum
{
  PROP_ALLOWED_NODES = GST_RV_PACKET_FILTER_PROP_FIRST,
  PROP_KINDS,
  PROP_STATS,
  PROP_ALLOWED_SOURCES,
  PROP_SOURCE_RATE_LIMIT,
};

/* A filter property as set, and why it was refused (NULL: in force). */
typedef struct
{
  gchar *spec;
  gchar *error;
} GstRvFilterSpec;

struct _GstRvPacketFilter
{
  GstElement *owner;
  gchar *stats_name;

  GMutex lock;                  /* guards everything below */
  GstRvFilterSpec nodes, kinds, sources;
  GstRvCsiStats stats;
  rv_net_cidr cidrs[GST_RV_PACKET_FILTER_MAX_CIDRS];
  gsize n_cidrs;                /* 0: every source address */
  guint rate_limit;             /* packets/s per address, 0 = off */
  gpointer rl_mem;              /* made on first use: parsers never need it */
  rv_ratelimit *rl;
};

GstRvPacketFilter *
gst_rv_packet_filter_new (GstElement * owner, const gchar * stats_name)
{
  GstRvPacketFilter *f = g_new0 (GstRvPacketFilter, 1);

  if (g_once_init_enter (&gst_rv_packet_filter_debug)) {
    GstDebugCategory *cat = NULL;
    GST_DEBUG_CATEGORY_INIT (cat, "rvpacketfilter", 0,
        "rvcsi sources' packet filter");
    g_once_init_leave (&gst_rv_packet_filter_debug, cat);
  }
  f->owner = owner;
  f->stats_name = g_strdup (stats_name);
  f->nodes.spec = g_strdup (DEFAULT_ALLOWED_NODES);
  f->kinds.spec = g_strdup (DEFAULT_KINDS);
  f->sources.spec = g_strdup (DEFAULT_ALLOWED_SOURCES);
  f->rate_limit = DEFAULT_SOURCE_RATE_LIMIT;
  g_mutex_init (&f->lock);
  gst_rv_csi_stats_init (&f->stats);
  return f;
}

static void
spec_clear (GstRvFilterSpec * s)
{
  g_clear_pointer (&s->spec, g_free);
  g_clear_pointer (&s->error, g_free);
}

void
gst_rv_packet_filter_free (GstRvPacketFilter * f)
{
  if (!f)
    return;
  g_mutex_clear (&f->lock);
  gst_rv_csi_stats_finalize (&f->stats);
  spec_clear (&f->nodes);
  spec_clear (&f->kinds);
  spec_clear (&f->sources);
  g_free (f->rl_mem);
  g_free (f->stats_name);
  g_free (f);
}

void
gst_rv_packet_filter_reset (GstRvPacketFilter * f)
{
  g_mutex_lock (&f->lock);
  gst_rv_csi_stats_clear (&f->stats);
  if (f->rl)
    rv_ratelimit_reset (f->rl);
  g_mutex_unlock (&f->lock);
}

static const gchar *
prop_name (guint prop_id)
{
  switch (prop_id) {
    case PROP_ALLOWED_NODES:
      return "allowed-nodes";
    case PROP_KINDS:
      return "kinds";
    default:
      return "allowed-sources";
  }
}

static guint
burst_for (guint rate)
{
  return MAX (1u, rate / 2u);
}

/* Under the lock. */
static gboolean
set_sources (GstRvPacketFilter * f, const gchar * spec, GError ** err)
{
  rv_net_cidr cidrs[GST_RV_PACKET_FILTER_MAX_CIDRS];
  gsize len = spec ? strlen (spec) : 0, n = 0, off = 0, bad = 0, entry = 1;
  rv_status st = rv_net_cidr_list_parse (spec ? spec : "", len, cidrs,
      G_N_ELEMENTS (cidrs), &n, &off, &bad);
  gchar *what;

  if (st == RV_OK) {
    memcpy (f->cidrs, cidrs, n * sizeof cidrs[0]);
    f->n_cidrs = n;
    return TRUE;
  }
  for (gsize i = 0; i < off && i < len; i++)
    entry += spec[i] == ',';
  if (st == RV_ERR_SHORT_OUTPUT)
    what = g_strdup_printf ("more than %u entries",
        GST_RV_PACKET_FILTER_MAX_CIDRS);
  else if (bad == 0)
    what = g_strdup_printf ("entry %" G_GSIZE_FORMAT " is empty", entry);
  else if (st == RV_ERR_NET_PREFIX)
    what = g_strdup_printf ("entry %" G_GSIZE_FORMAT " \"%.*s\": the prefix "
        "length must be 0-32 for IPv4 or 0-128 for IPv6", entry, (int) bad,
        spec + off);
  else
    what = g_strdup_printf ("entry %" G_GSIZE_FORMAT " \"%.*s\" is not an "
        "IPv4 or IPv6 address (host names are not resolved)", entry,
        (int) bad, spec + off);
  g_set_error (err, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
      "invalid source list \"%s\": %s; expected addresses or networks "
      "separated by commas, e.g. \"192.168.1.0/24,fd00::/8\"", spec, what);
  g_free (what);
  return FALSE;
}

/* Under the lock: stores `value` and applies it if it parses. Returns the
 * parse error (for a warning) or NULL. */
static gchar *
apply_spec (GstRvPacketFilter * f, guint prop_id, const gchar * value)
{
  GstRvFilterSpec *s;
  GError *err = NULL;
  gboolean ok;

  switch (prop_id) {
    case PROP_ALLOWED_NODES:
      s = &f->nodes;
      ok = gst_rv_csi_stats_set_nodes (&f->stats, value, &err);
      break;
    case PROP_KINDS:
      s = &f->kinds;
      ok = gst_rv_csi_stats_set_kinds (&f->stats, value, &err);
      break;
    default:
      s = &f->sources;
      ok = set_sources (f, value, &err);
      break;
  }

  g_free (s->spec);
  s->spec = g_strdup (value);
  g_clear_pointer (&s->error, g_free);
  if (ok)
    return NULL;
  s->error = g_strdup (err->message);
  g_error_free (err);
  return g_strdup (s->error);
}

/* The element's filter, kept at the offset the properties were installed
 * with. */
static GstRvPacketFilter *
filter_of (GObject * object, GParamSpec * pspec)
{
  return *(GstRvPacketFilter **) gst_rv_props_field (object, pspec);
}

static void
set_property (GObject * object, guint prop_id, const GValue * value,
    GParamSpec * pspec)
{
  GstRvPacketFilter *f = filter_of (object, pspec);
  gchar *error;

  if (prop_id == PROP_SOURCE_RATE_LIMIT) {
    g_mutex_lock (&f->lock);
    f->rate_limit = g_value_get_uint (value);
    if (f->rl && f->rate_limit)
      rv_ratelimit_set_rate (f->rl, f->rate_limit, burst_for (f->rate_limit));
    g_mutex_unlock (&f->lock);
    return;
  }
  g_mutex_lock (&f->lock);
  error = apply_spec (f, prop_id, g_value_get_string (value));
  g_mutex_unlock (&f->lock);
  if (error) {
    GST_ELEMENT_WARNING (f->owner, RESOURCE, SETTINGS,
        ("Ignoring an invalid %s value; the previous filter stays in force",
            prop_name (prop_id)),
        ("%s", error));
    g_free (error);
  }
}

static void
get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  GstRvPacketFilter *f = filter_of (object, pspec);

  if (prop_id == PROP_STATS) {
    g_value_take_boxed (value, gst_rv_packet_filter_stats (f));
    return;
  }
  g_mutex_lock (&f->lock);
  switch (prop_id) {
    case PROP_ALLOWED_NODES:
      g_value_set_string (value, f->nodes.spec);
      break;
    case PROP_KINDS:
      g_value_set_string (value, f->kinds.spec);
      break;
    case PROP_ALLOWED_SOURCES:
      g_value_set_string (value, f->sources.spec);
      break;
    case PROP_SOURCE_RATE_LIMIT:
      g_value_set_uint (value, f->rate_limit);
      break;
  }
  g_mutex_unlock (&f->lock);
}

/* The filter's properties on the element class: specs here, values and
 * side effects in the filter (its lock, not the object lock). */
static void
install (GObjectClass * klass, guint prop_id, gsize filter_offset,
    GParamSpec * pspec)
{
  gst_rv_props_install_custom (klass, prop_id, filter_offset,
      sizeof (GstRvPacketFilter *), pspec, set_property, get_property);
}

void
gst_rv_packet_filter_install_properties (GObjectClass * klass,
    GstRvPacketFilterProps which, gsize filter_offset,
    const gchar * stats_blurb)
{
  install (klass, PROP_ALLOWED_NODES, filter_offset,
      g_param_spec_string ("allowed-nodes", "Allowed nodes",
          "Node ids to accept, as ids and ranges separated by commas "
          "(e.g. \"1,2,5-8\"); unset or empty accepts every node. Other "
          "nodes are dropped and counted as dropped-node-filter. Can be "
          "changed while playing", DEFAULT_ALLOWED_NODES,
          GST_RV_PARAM_PLAYING));
  install (klass, PROP_KINDS, filter_offset,
      g_param_spec_string ("kinds", "Packet kinds",
          "Packet kinds to accept, separated by commas, from: csi-raw, "
          "vitals, features, fused-vitals, wasm-output, csi-compressed, "
          "feature-state, classification, mesh, timesync; unset or empty "
          "accepts all. Others are counted as dropped-kind-filter. Can be "
          "changed while playing", DEFAULT_KINDS, GST_RV_PARAM_PLAYING));
  install (klass, PROP_STATS, filter_offset,
      g_param_spec_boxed ("stats", "Statistics", stats_blurb,
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  if (!(which & GST_RV_PACKET_FILTER_SOURCES))
    return;
  install (klass, PROP_ALLOWED_SOURCES, filter_offset,
      g_param_spec_string ("allowed-sources", "Allowed source addresses",
          "Sender addresses to accept, as IPv4/IPv6 addresses or networks "
          "in CIDR notation separated by commas (e.g. "
          "\"192.168.1.0/24,fd00::/8\"); unset or empty accepts every "
          "address. Datagrams from other addresses are dropped before "
          "decoding and counted as dropped-source-filter. Node ids are "
          "spoofable, addresses much less so on a switched LAN (see "
          "docs/security.md). Can be changed while playing",
          DEFAULT_ALLOWED_SOURCES, GST_RV_PARAM_PLAYING));
  install (klass, PROP_SOURCE_RATE_LIMIT, filter_offset,
      g_param_spec_uint ("source-rate-limit", "Rate limit per source",
          "Datagrams per second accepted from one sender address (a token "
          "bucket holding half a second's worth; the last "
          G_STRINGIFY (GST_RV_PACKET_FILTER_MAX_SOURCES) " addresses "
          "seen are tracked); the rest is counted as dropped-rate-limit. "
          "0 disables the limit. A gateway, or rvsim, sends every node from "
          "one address: the default passes 200 nodes at 100 Hz with room "
          "to spare. Can be changed while playing", 0,
          MAX_SOURCE_RATE_LIMIT, DEFAULT_SOURCE_RATE_LIMIT,
          GST_RV_PARAM_PLAYING));
}

gboolean
gst_rv_packet_filter_start (GstRvPacketFilter * f)
{
  gchar *error;
  guint prop;

  g_mutex_lock (&f->lock);
  prop = f->nodes.error ? PROP_ALLOWED_NODES : f->kinds.error ? PROP_KINDS :
      PROP_ALLOWED_SOURCES;
  error = g_strdup (f->nodes.error ? f->nodes.error : f->kinds.error ?
      f->kinds.error : f->sources.error);
  g_mutex_unlock (&f->lock);
  if (!error)
    return TRUE;
  GST_ELEMENT_ERROR (f->owner, RESOURCE, SETTINGS,
      ("Invalid %s property of %s", prop_name (prop),
          GST_ELEMENT_NAME (f->owner)),
      ("%s", error));
  g_free (error);
  return FALSE;
}

/* Under the lock; FALSE if the table cannot be made (then no limit). */
static gboolean
ensure_ratelimit (GstRvPacketFilter * f)
{
  rv_ratelimit_opts o;
  gsize size;

  if (f->rl)
    return TRUE;
  o.max_sources = GST_RV_PACKET_FILTER_MAX_SOURCES;
  o.rate = f->rate_limit;
  o.burst = burst_for (f->rate_limit);
  o.seed = ((guint64) g_random_int () << 32) | g_random_int ();
  size = rv_ratelimit_mem_size (&o);
  f->rl_mem = g_malloc (size);
  f->rl = rv_ratelimit_init (f->rl_mem, size, &o);
  return f->rl != NULL;
}

gboolean
gst_rv_packet_filter_admit_source (GstRvPacketFilter * f,
    const rv_net_addr * src, GstClockTime arrival)
{
  gboolean ok = TRUE;

  g_mutex_lock (&f->lock);
  if (f->n_cidrs && !rv_net_cidr_list_match (f->cidrs, f->n_cidrs, src)) {
    f->stats.count[GST_RV_CSI_RECEIVED]++;
    f->stats.count[GST_RV_CSI_DROPPED_SOURCE]++;
    ok = FALSE;
  } else if (f->rate_limit && GST_CLOCK_TIME_IS_VALID (arrival) &&
      ensure_ratelimit (f) &&
      !rv_ratelimit_allow (f->rl, src, arrival / GST_USECOND)) {
    f->stats.count[GST_RV_CSI_RECEIVED]++;
    f->stats.count[GST_RV_CSI_DROPPED_RATE]++;
    ok = FALSE;
  }
  g_mutex_unlock (&f->lock);
  return ok;
}

gboolean
gst_rv_packet_filter_admit (GstRvPacketFilter * f, const guint8 * data,
    gsize len, GstClockTime now, GstRvCsiPacketInfo * info)
{
  return gst_rv_packet_filter_admit_from (f, NULL, data, len, now, info);
}

gboolean
gst_rv_packet_filter_admit_from (GstRvPacketFilter * f,
    const rv_net_addr * src, const guint8 * data, gsize len,
    GstClockTime now, GstRvCsiPacketInfo * info)
{
  gboolean ok;

  g_mutex_lock (&f->lock);
  ok = gst_rv_csi_stats_admit_from (&f->stats, src, data, len, now, info);
  g_mutex_unlock (&f->lock);
  return ok;
}

void
gst_rv_packet_filter_reject (GstRvPacketFilter * f, guint status)
{
  g_mutex_lock (&f->lock);
  f->stats.count[GST_RV_CSI_RECEIVED]++;
  f->stats.dropped_status[status < GST_RV_CSI_N_STATUS ? status : 0]++;
  g_mutex_unlock (&f->lock);
}

void
gst_rv_packet_filter_reject_oversize (GstRvPacketFilter * f)
{
  g_mutex_lock (&f->lock);
  f->stats.count[GST_RV_CSI_RECEIVED]++;
  f->stats.count[GST_RV_CSI_DROPPED_OVERSIZE]++;
  g_mutex_unlock (&f->lock);
}

void
gst_rv_packet_filter_snapshot (GstRvPacketFilter * f, GstClockTime now)
{
  g_mutex_lock (&f->lock);
  gst_rv_csi_stats_snapshot (&f->stats, now);
  g_mutex_unlock (&f->lock);
}

GstStructure *
gst_rv_packet_filter_stats (GstRvPacketFilter * f)
{
  GstStructure *s;

  g_mutex_lock (&f->lock);
  s = gst_rv_csi_stats_to_structure (&f->stats, f->stats_name);
  g_mutex_unlock (&f->lock);
  return s;
}

void
gst_rv_packet_filter_push_presence (GstRvPacketFilter * f, GstPad * pad,
    GstClockTime now, gboolean all, GstRvToRunning to_running,
    gpointer user_data)
{
  GstRvNodeChange changes[GST_RV_NODE_CHANGES_MAX];
  guint n;

  g_mutex_lock (&f->lock);
  n = gst_rv_csi_stats_presence (&f->stats, now, all, changes);
  g_mutex_unlock (&f->lock);
  for (guint i = 0; i < n; i++) {
    GstClockTime t = to_running ? to_running (user_data, changes[i].time) :
        changes[i].time;
    GST_INFO_OBJECT (f->owner, "node %u %s at %" GST_TIME_FORMAT,
        changes[i].node, changes[i].online ? "back" : "offline",
        GST_TIME_ARGS (t));
    gst_pad_push_event (pad, gst_rv_node_event_new (changes[i].node,
            changes[i].online, t));
  }
}
