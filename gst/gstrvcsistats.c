/* gstrvcsistats.c — packet admission (kernel decode + filters) and counters. */
#include "gstrvcsistats.h"
#include "gstrvcounters.h"

#include <stdlib.h>
#include <string.h>

#include "rv_wire.h"

G_STATIC_ASSERT ((int) GST_RV_CSI_KIND_COUNT == (int) RV_PKT_KIND_COUNT);
G_STATIC_ASSERT ((int) GST_RV_CSI_KIND_CSI_RAW == (int) RV_PKT_CSI_RAW);
G_STATIC_ASSERT ((int) GST_RV_CSI_KIND_FEATURE_STATE == (int) RV_PKT_FEATURE_STATE);
G_STATIC_ASSERT ((int) GST_RV_CSI_KIND_CLASSIFICATION ==
    (int) RV_PKT_CLASSIFICATION);
G_STATIC_ASSERT ((int) GST_RV_CSI_KIND_TIMESYNC == (int) RV_PKT_TIMESYNC);

#define ALL_KINDS ((1u << GST_RV_CSI_KIND_COUNT) - 1u)

/* Reasons always present in the stats structure, so users see zeros. */
static const guint listed_reasons[] = {
  RV_ERR_TRUNCATED, RV_ERR_MAGIC, RV_ERR_LENGTH, RV_ERR_CRC, RV_ERR_ANTENNAS,
  RV_ERR_SUBCARRIERS, RV_ERR_VERSION, RV_ERR_FIELD,
};

const gchar *
gst_rv_csi_drop_reason_name (guint status)
{
  switch (status) {
    case RV_ERR_TRUNCATED:
      return "truncated";
    case RV_ERR_MAGIC:
      return "magic";
    case RV_ERR_LENGTH:
      return "length";
    case RV_ERR_CRC:
      return "crc";
    case RV_ERR_ANTENNAS:
      return "antennas";
    case RV_ERR_SUBCARRIERS:
      return "subcarriers";
    case RV_ERR_VERSION:
      return "version";
    case RV_ERR_FIELD:
      return "field";
    case RV_ERR_TEXT_PREFIX:
      return "text-prefix";
    case RV_ERR_TEXT_FIELDS:
      return "text-fields";
    case RV_ERR_TEXT_NUMBER:
      return "text-number";
    case RV_ERR_TEXT_ARRAY:
      return "text-array";
    default:
      return "other";
  }
}

void
gst_rv_csi_stats_clear (GstRvCsiStats * s)
{
  memset (s->count, 0, sizeof s->count);
  memset (s->dropped_status, 0, sizeof s->dropped_status);
  memset (s->kinds, 0, sizeof s->kinds);
  s->snap_time = GST_CLOCK_TIME_NONE;
  memset (s->nodes, 0, sizeof s->nodes);
  for (guint i = 0; i < GST_RV_CSI_N_NODES; i++)
    s->nodes[i].last_seen = GST_CLOCK_TIME_NONE;
  memset (s->seq, 0, sizeof (rv_seq_state) * GST_RV_CSI_N_NODES *
      GST_RV_CSI_SEQ_KINDS);
  s->n_pending = 0;
}

void
gst_rv_csi_stats_init (GstRvCsiStats * s)
{
  memset (s, 0, sizeof *s);
  s->seq = g_new0 (rv_seq_state, GST_RV_CSI_N_NODES * GST_RV_CSI_SEQ_KINDS);
  s->node_filter = FALSE;
  s->kind_mask = ALL_KINDS;
  gst_rv_csi_stats_clear (s);
}

void
gst_rv_csi_stats_finalize (GstRvCsiStats * s)
{
  g_clear_pointer (&s->seq, g_free);
}

static gboolean
parse_uint (const gchar * p, guint max, guint * out)
{
  gchar *end = NULL;
  guint64 v;

  while (*p == ' ')
    p++;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  v = g_ascii_strtoull (p, &end, 10);
  while (end && *end == ' ')
    end++;
  if (!end || *end != '\0' || v > max)
    return FALSE;
  *out = (guint) v;
  return TRUE;
}

/* Feeds each comma-separated entry of spec to add(), stopping at the
 * first one it refuses. */
static gboolean
each_entry (const gchar * spec, gboolean (*add) (gchar * entry, gpointer acc),
    gpointer acc)
{
  gchar **parts = g_strsplit (spec, ",", -1);
  gboolean ok = TRUE;

  for (guint i = 0; parts[i] && ok; i++)
    ok = add (parts[i], acc);
  g_strfreev (parts);
  return ok;
}

/* "7" or "5-8" into the allow bitmap. */
static gboolean
add_nodes (gchar * entry, gpointer allow)
{
  gchar *dash = strchr (entry, '-');
  guint lo, hi;

  if (dash)
    *dash = '\0';
  if (!parse_uint (entry, 255, &lo))
    return FALSE;
  hi = lo;
  if (dash && (!parse_uint (dash + 1, 255, &hi) || hi < lo))
    return FALSE;
  for (guint n = lo; n <= hi; n++)
    ((guint8 *) allow)[n / 8] |= (guint8) (1u << (n % 8));
  return TRUE;
}

/* A kind nick into the kind mask. */
static gboolean
add_kind (gchar * entry, gpointer mask)
{
  const gchar *name = g_strstrip (entry);

  for (guint k = 1; k < GST_RV_CSI_KIND_COUNT; k++) {
    if (g_strcmp0 (name, rv_pkt_kind_name ((rv_pkt_kind) k)) == 0) {
      *(guint32 *) mask |= 1u << k;
      return TRUE;
    }
  }
  return FALSE;
}

gboolean
gst_rv_csi_stats_set_nodes (GstRvCsiStats * s, const gchar * spec, GError ** err)
{
  guint8 allow[GST_RV_CSI_N_NODES / 8] = { 0 };

  if (!spec || !*spec) {
    s->node_filter = FALSE;
    return TRUE;
  }
  if (!each_entry (spec, add_nodes, allow)) {
    g_set_error (err, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "invalid node list \"%s\": expected node ids 0-255 and ranges "
        "separated by commas, e.g. \"1,2,5-8\"", spec);
    return FALSE;
  }
  memcpy (s->node_allow, allow, sizeof allow);
  s->node_filter = TRUE;
  return TRUE;
}

gboolean
gst_rv_csi_stats_set_kinds (GstRvCsiStats * s, const gchar * spec, GError ** err)
{
  guint32 mask = 0;
  GString *names;

  if (!spec || !*spec) {
    s->kind_mask = ALL_KINDS;
    return TRUE;
  }
  if (each_entry (spec, add_kind, &mask)) {
    s->kind_mask = mask;
    return TRUE;
  }
  names = g_string_new (NULL);
  for (guint k = 1; k < GST_RV_CSI_KIND_COUNT; k++)
    g_string_append_printf (names, "%s%s", k > 1 ? ", " : "",
        rv_pkt_kind_name ((rv_pkt_kind) k));
  g_set_error (err, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
      "invalid kind list \"%s\": expected comma-separated kinds from: %s",
      spec, names->str);
  g_string_free (names, TRUE);
  return FALSE;
}

/* Sequence width per kind (0: the kind carries no sequence number) and
 * its slot in the per-node tracker table. */
static guint
seq_bits (guint kind, guint * slot)
{
  switch (kind) {
    case GST_RV_CSI_KIND_CSI_RAW:
      *slot = 0;
      return 32;
    case GST_RV_CSI_KIND_CLASSIFICATION:
      *slot = 1;
      return 32;
    case GST_RV_CSI_KIND_FEATURES:
      *slot = 2;
      return 16;
    case GST_RV_CSI_KIND_FEATURE_STATE:
      *slot = 3;
      return 16;
    default:
      return 0;
  }
}

static void
track_seq (GstRvCsiStats * s, GstRvCsiPacketInfo * info, GstClockTime now)
{
  guint slot = 0, bits = seq_bits (info->kind, &slot);
  GstRvCsiNodeStats *ns = &s->nodes[info->node_id];
  rv_seq_state *st;
  guint32 skipped = 0;

  info->seq_gap = 0;
  info->flags = 0;
  if (!bits)
    return;
  st = &s->seq[info->node_id * GST_RV_CSI_SEQ_KINDS + slot];
  if (!st->mask)
    rv_seq_init (st, bits);
  switch (rv_seq_track (st, info->seq, GST_CLOCK_TIME_IS_VALID (now) ?
          now / GST_USECOND : RV_SEQ_TIME_NONE, &skipped)) {
    case RV_SEQ_FIRST:
      info->flags |= GST_RV_CSI_PACKET_FLAG_FIRST;
      break;
    case RV_SEQ_GAP:
      info->seq_gap = skipped;
      ns->seq_skipped += skipped;
      break;
    case RV_SEQ_DUPLICATE:
      info->flags |= GST_RV_CSI_PACKET_FLAG_DUPLICATE;
      ns->duplicates++;
      break;
    case RV_SEQ_REORDERED:
      info->flags |= GST_RV_CSI_PACKET_FLAG_SEQ_BACKWARD;
      ns->reordered++;
      break;
    case RV_SEQ_REBOOT:
      info->flags |= GST_RV_CSI_PACKET_FLAG_SEQ_RESET;
      ns->reboots++;
      break;
    default:
      break;
  }
}

GstClockTime
gst_rv_csi_stats_offline_after (const GstRvCsiNodeStats * n)
{
  GstClockTime t = (GstClockTime) n->interval_us * GST_USECOND *
      GST_RV_NODE_OFFLINE_INTERVALS;

  return MAX (t, GST_RV_NODE_OFFLINE_MIN);
}

static void
add_change (GstRvCsiStats * s, guint node, gboolean online, GstClockTime t)
{
  GstRvNodeChange *c;

  if (s->n_pending >= GST_RV_NODE_CHANGES_MAX)
    return;
  c = &s->pending[s->n_pending++];
  c->node = (guint8) node;
  c->online = online;
  c->time = t;
}

static void
go_offline (GstRvCsiStats * s, guint node, GstRvNodeChange * out, guint * n)
{
  GstRvCsiNodeStats *ns = &s->nodes[node];

  ns->presence = GST_RV_NODE_OFFLINE;
  ns->offline_count++;
  out[*n].node = (guint8) node;
  out[*n].online = FALSE;
  out[*n].time = ns->last_seen + gst_rv_csi_stats_offline_after (ns);
  (*n)++;
}

/* A packet of `node` at `now`: learn its rate; a node that was offline (or
 * silent for its offline time without anyone noticing) is back. */
static void
node_seen (GstRvCsiStats * s, guint node, GstClockTime now)
{
  GstRvCsiNodeStats *ns = &s->nodes[node];

  if (!GST_CLOCK_TIME_IS_VALID (now))
    return;
  if (ns->presence == GST_RV_NODE_ONLINE &&
      GST_CLOCK_TIME_IS_VALID (ns->last_seen) && now > ns->last_seen &&
      now - ns->last_seen >= gst_rv_csi_stats_offline_after (ns)) {
    GstRvNodeChange c;
    guint n = 0;
    go_offline (s, node, &c, &n);
    add_change (s, node, FALSE, c.time);
  }
  if (ns->presence == GST_RV_NODE_OFFLINE)
    add_change (s, node, TRUE, now);
  if (GST_CLOCK_TIME_IS_VALID (ns->last_seen) && now > ns->last_seen &&
      ns->presence == GST_RV_NODE_ONLINE)
    rv_seq_interval_update (&ns->interval_us, (now - ns->last_seen) /
        GST_USECOND);
  ns->presence = GST_RV_NODE_ONLINE;
  if (!GST_CLOCK_TIME_IS_VALID (ns->last_seen) || now > ns->last_seen)
    ns->last_seen = now;
}

guint
gst_rv_csi_stats_presence (GstRvCsiStats * s, GstClockTime now,
    gboolean all, GstRvNodeChange * out)
{
  guint n = s->n_pending;

  memcpy (out, s->pending, n * sizeof *out);
  s->n_pending = 0;
  for (guint i = 0; i < GST_RV_CSI_N_NODES; i++) {
    const GstRvCsiNodeStats *ns = &s->nodes[i];

    if (ns->presence != GST_RV_NODE_ONLINE ||
        !GST_CLOCK_TIME_IS_VALID (ns->last_seen))
      continue;
    if (all || (GST_CLOCK_TIME_IS_VALID (now) && now > ns->last_seen &&
            now - ns->last_seen >= gst_rv_csi_stats_offline_after (ns)))
      go_offline (s, i, out, &n);
  }
  return n;
}

/* The one node whose raw CSI comes from src; -1 if none or several (a
 * gateway sending for many nodes). */
static gint
mesh_node (const GstRvCsiStats * s, const rv_net_addr * src)
{
  gint found = -1;

  if (!src || src->family == RV_NET_NONE)
    return -1;
  for (guint i = 0; i < GST_RV_CSI_N_NODES; i++) {
    const rv_net_addr *ns = &s->nodes[i].source;
    if (ns->family != src->family ||
        memcmp (ns->addr, src->addr, sizeof ns->addr) != 0)
      continue;
    if (found >= 0)
      return -1;
    found = (gint) i;
  }
  return found;
}

gboolean
gst_rv_csi_stats_admit (GstRvCsiStats * s, const guint8 * data, gsize len,
    GstClockTime now, GstRvCsiPacketInfo * info)
{
  return gst_rv_csi_stats_admit_from (s, NULL, data, len, now, info);
}

gboolean
gst_rv_csi_stats_admit_from (GstRvCsiStats * s, const rv_net_addr * src,
    const guint8 * data, gsize len, GstClockTime now,
    GstRvCsiPacketInfo * info)
{
  rv_pkt pkt;
  rv_status st;
  guint node, kind;
  gboolean no_node = FALSE;

  s->count[GST_RV_CSI_RECEIVED]++;
  st = rv_pkt_decode (data, len, &pkt);
  if (st != RV_OK) {
    s->dropped_status[(guint) st < GST_RV_CSI_N_STATUS ? (guint) st : 0]++;
    return FALSE;
  }
  kind = (guint) pkt.kind;
  if (kind >= GST_RV_CSI_KIND_COUNT) {
    s->dropped_status[RV_ERR_MAGIC]++;
    return FALSE;
  }
  node = rv_pkt_node_id (&pkt);
  if (pkt.kind == RV_PKT_MESH) {
    gint n = mesh_node (s, src);
    no_node = n < 0;
    node = no_node ? 0 : (guint) n;
  }
  if (!(s->kind_mask & (1u << kind))) {
    s->count[GST_RV_CSI_DROPPED_KIND]++;
    return FALSE;
  }
  if (s->node_filter && (no_node ||
          !(s->node_allow[node / 8] & (1u << (node % 8))))) {
    s->count[GST_RV_CSI_DROPPED_NODE]++;
    return FALSE;
  }
  info->node_id = (guint8) node;
  info->kind = (guint8) kind;
  info->seq = rv_pkt_seq (&pkt);
  s->count[GST_RV_CSI_ACCEPTED]++;
  s->count[GST_RV_CSI_BYTES] += len;
  s->kinds[kind]++;
  if (no_node) {
    info->flags = GST_RV_CSI_PACKET_FLAG_NO_NODE;
    info->seq_gap = 0;
    s->count[GST_RV_CSI_MESH_NO_NODE]++;
    return TRUE;
  }
  track_seq (s, info, now);
  if (pkt.kind == RV_PKT_CSI_RAW) {
    GstRvCsiNodeStats *ns = &s->nodes[node];
    if (ns->freq_mhz && ns->freq_mhz != pkt.u.csi.freq_mhz) {
      info->flags |= GST_RV_CSI_PACKET_FLAG_CHANNEL;
      ns->channel_changes++;
    }
    ns->freq_mhz = pkt.u.csi.freq_mhz;
    if (src && src->family != RV_NET_NONE)
      ns->source = *src;
  }
  s->nodes[node].packets++;
  s->nodes[node].bytes += len;
  node_seen (s, node, now);
  return TRUE;
}

void
gst_rv_csi_packet_meta_fill (GstRvCsiPacketMeta * m, const GstRvCsiPacketInfo * info,
    GstClockTime arrival)
{
  m->node_id = info->node_id;
  m->kind = info->kind;
  m->flags = info->flags;
  m->seq = info->seq;
  m->seq_gap = info->seq_gap;
  m->arrival = arrival;
}

void
gst_rv_csi_stats_snapshot (GstRvCsiStats * s, GstClockTime now)
{
  gdouble dt;

  if (!GST_CLOCK_TIME_IS_VALID (now))
    return;
  if (!GST_CLOCK_TIME_IS_VALID (s->snap_time) || now <= s->snap_time) {
    for (guint i = 0; i < GST_RV_CSI_N_NODES; i++)
      s->nodes[i].snap_packets = s->nodes[i].packets;
    s->snap_time = now;
    return;
  }
  dt = (gdouble) (now - s->snap_time) / GST_SECOND;
  for (guint i = 0; i < GST_RV_CSI_N_NODES; i++) {
    GstRvCsiNodeStats *n = &s->nodes[i];
    n->rate = (gdouble) (n->packets - n->snap_packets) / dt;
    n->snap_packets = n->packets;
  }
  s->snap_time = now;
}

static const gchar *const counter_names[GST_RV_CSI_N_COUNTERS] = {
  "received", "accepted", "bytes", "dropped-oversize", "mesh-no-node",
  "dropped-node-filter", "dropped-kind-filter", "dropped-source-filter",
  "dropped-rate-limit",
};

GstStructure *
gst_rv_csi_stats_to_structure (const GstRvCsiStats * s, const gchar * name)
{
  GstStructure *st = gst_structure_new_empty (name);
  guint64 dropped = 0;
  guint64 other = 0;
  GValue nodes = G_VALUE_INIT;

  /* every dropped-* counter (mesh-no-node packets are accepted) */
  for (guint i = GST_RV_CSI_DROPPED_OVERSIZE; i < GST_RV_CSI_N_COUNTERS; i++)
    if (i != GST_RV_CSI_MESH_NO_NODE)
      dropped += s->count[i];
  for (guint i = 0; i < GST_RV_CSI_N_STATUS; i++)
    dropped += s->dropped_status[i];
  for (guint i = 0; i < GST_RV_CSI_N_STATUS; i++)
    if (g_strcmp0 (gst_rv_csi_drop_reason_name (i), "other") == 0)
      other += s->dropped_status[i];

  gst_rv_structure_set_counters (st, counter_names, s->count,
      GST_RV_CSI_DROPPED_OVERSIZE);
  gst_structure_set (st, "dropped", G_TYPE_UINT64, dropped, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (listed_reasons); i++) {
    gchar *f = g_strdup_printf ("dropped-%s",
        gst_rv_csi_drop_reason_name (listed_reasons[i]));
    gst_structure_set (st, f, G_TYPE_UINT64,
        s->dropped_status[listed_reasons[i]], NULL);
    g_free (f);
  }
  /* Text-line reasons (rvcsitextparse) appear once they occurred. */
  for (guint i = RV_ERR_TEXT_PREFIX; i <= RV_ERR_TEXT_ARRAY; i++) {
    gchar *f;
    if (!s->dropped_status[i])
      continue;
    f = g_strdup_printf ("dropped-%s", gst_rv_csi_drop_reason_name (i));
    gst_structure_set (st, f, G_TYPE_UINT64, s->dropped_status[i], NULL);
    g_free (f);
  }
  gst_structure_set (st, "dropped-other", G_TYPE_UINT64, other, NULL);
  gst_rv_structure_set_counters (st,
      counter_names + GST_RV_CSI_DROPPED_OVERSIZE,
      s->count + GST_RV_CSI_DROPPED_OVERSIZE,
      GST_RV_CSI_N_COUNTERS - GST_RV_CSI_DROPPED_OVERSIZE);
  for (guint k = 1; k < GST_RV_CSI_KIND_COUNT; k++) {
    gchar *f = g_strdup_printf ("kind-%s", gst_rv_csi_packet_kind_nick (k));
    gst_structure_set (st, f, G_TYPE_UINT64, s->kinds[k], NULL);
    g_free (f);
  }

  g_value_init (&nodes, GST_TYPE_ARRAY);
  for (guint i = 0; i < GST_RV_CSI_N_NODES; i++) {
    const GstRvCsiNodeStats *n = &s->nodes[i];
    GValue v = G_VALUE_INIT;

    if (!n->packets)
      continue;
    g_value_init (&v, GST_TYPE_STRUCTURE);
    g_value_take_boxed (&v, gst_structure_new ("node",
            "id", G_TYPE_UINT, i,
            "packets", G_TYPE_UINT64, n->packets,
            "bytes", G_TYPE_UINT64, n->bytes,
            "seq-skipped", G_TYPE_UINT64, n->seq_skipped,
            "reordered", G_TYPE_UINT64, n->reordered,
            "duplicates", G_TYPE_UINT64, n->duplicates,
            "reboots", G_TYPE_UINT64, n->reboots,
            "online", G_TYPE_BOOLEAN, n->presence == GST_RV_NODE_ONLINE,
            "offline-count", G_TYPE_UINT64, n->offline_count,
            "channel-changes", G_TYPE_UINT64, n->channel_changes,
            "frequency", G_TYPE_UINT, n->freq_mhz,
            "interval", G_TYPE_UINT64, (guint64) n->interval_us * GST_USECOND,
            "rate", G_TYPE_DOUBLE, n->rate, NULL));
    gst_value_array_append_and_take_value (&nodes, &v);
  }
  {
    guint online = 0;
    for (guint i = 0; i < GST_RV_CSI_N_NODES; i++)
      online += s->nodes[i].presence == GST_RV_NODE_ONLINE;
    gst_structure_set (st, "nodes-online", G_TYPE_UINT, online, NULL);
  }
  gst_structure_take_value (st, "nodes", &nodes);
  return st;
}
