/*
 * rvsoak — soak benchmark of the rvcsi pipeline under a hostile node mix
 * (shipped tool; a program, not a unit test).
 *
 *   rvsoak [--duration S] [--nodes N] [--rate HZ] [--report S] [--seed N]
 *
 * appsrc ! rvcsiparse ! rvtemporalhead ! rvclassify ! fakesink with the
 * built-in models, fed in stream time (as fast as the CPU goes) by a
 * generator of N nodes at HZ raw CSI frames per second, where
 *   every 10th node (id % 10 == 1) crash-loops with 1, 2 or 3 s boots,
 *   every 10th (id % 10 == 2) hops channel 1 -> 6 -> 11 every 7 s,
 *   every 10th (id % 10 == 3) goes silent for 15 s of every 60 s,
 *   every packet is lost (2 %), duplicated (1 %) or held back behind the
 *   node's next one (1 %),
 * plus a flood of valid frames with spoofed node ids (N+1..255, 1000/s)
 * and garbage datagrams (500/s).
 *
 * Every --report seconds of stream time it prints a row: wall time,
 * packets, throughput, process RSS, live streams, decision messages and
 * stale decisions. A decision is stale when a node's stream still shows a
 * label from before its last restart (crash, channel hop), or a label while
 * the node has been silent for longer than its offline time. At the end it
 * checks that the counters add up (source, rvtemporalhead, rvclassify),
 * compares throughput with a clean run of the same nodes measured first
 * (ratio), and fails (exit 1) on a stale decision, counters that do not
 * add up, or RSS that grew by more than 8 MiB after the first quarter.
 */
#include <gst/gst.h>
#include <gst/app/gstappsrc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rv_wire.h"
#include "rvtoolframe.h"
#include "rvtoolopts.h"

#define MAX_NODES 200
#define SPOOF_PER_S 1000
#define GARBAGE_PER_S 500
#define SILENT_PERIOD_S 60.0
#define SILENT_FROM_S 30.0
#define SILENT_FOR_S 15.0
#define HOP_PERIOD_S 7.0
/* stream time a check waits for the pipeline to catch up */
#define SLACK_S 1.0
#define OFFLINE_S 5.0
#define RSS_GROWTH_MAX (8.0 * 1024 * 1024)

typedef struct
{
  guint32 seq;
  gint64 boot;                  /* crash-loop boot index */
  gdouble last_restart;         /* stream time of the last crash or hop */
  gboolean held;                /* a frame held back for reordering */
  guint8 held_pkt[160];
  gsize held_len;
  GstClockTime held_pts;
} Node;

typedef struct
{
  GQuark label;
  gboolean real;
  gdouble t;                    /* running time, s */
} Last;

typedef struct
{
  /* settings */
  guint n_nodes;
  gdouble rate, duration, report;
  gboolean hostile;
  guint64 seed;

  /* generator */
  Node nodes[MAX_NODES + 1];
  GRand *rng;
  guint64 pushed, csi_frames;

  /* bus (sync handler: streaming thread) */
  GMutex lock;
  GCond cond;
  gboolean eos, error;
  Last last[256];               /* antenna 0 of each node */
  guint64 decisions, unknown, offline;
} Soak;

static gboolean
crashes (guint id)
{
  return id % 10 == 1;
}

static gboolean
hops (guint id)
{
  return id % 10 == 2;
}

static gboolean
silent_at (guint id, gdouble t)
{
  gdouble ph = fmod (t, SILENT_PERIOD_S);
  return id % 10 == 3 && ph >= SILENT_FROM_S && ph < SILENT_FROM_S + SILENT_FOR_S;
}

static gdouble
crash_period (guint id)
{
  return 1.0 + (gdouble) ((id / 10) % 3);
}

static guint32
freq_at (guint id, gdouble t)
{
  static const guint32 ch[3] = { 2412, 2437, 2462 };
  return hops (id) ? ch[(guint) floor (t / HOP_PERIOD_S) % 3] : 2437;
}


/* `csi`: a valid raw CSI frame (the source must accept every one). */
static void
push (Soak * s, GstAppSrc * src, const guint8 * data, gsize len,
    GstClockTime pts, gboolean csi)
{
  GstBuffer *b = gst_buffer_new_memdup (data, len);

  GST_BUFFER_PTS (b) = GST_BUFFER_DTS (b) = pts;
  gst_app_src_push_buffer (src, b);
  s->pushed++;
  s->csi_frames += csi;
}

/* One frame of node `id` at stream time t, with the impairments. */
static void
node_frame (Soak * s, GstAppSrc * src, guint id, gdouble t)
{
  Node *n = &s->nodes[id];
  guint8 pkt[160];
  gsize len;
  GstClockTime pts = (GstClockTime) (t * GST_SECOND);
  gdouble u = g_rand_double (s->rng);

  if (s->hostile && crashes (id)) {
    gint64 boot = (gint64) floor (t / crash_period (id));
    if (boot != n->boot) {
      n->boot = boot;
      n->seq = 0;
      n->last_restart = t;
    }
  }
  if (s->hostile && hops (id) && freq_at (id, t) !=
      freq_at (id, t - 1.0 / s->rate))
    n->last_restart = t;
  if (s->hostile && silent_at (id, t)) {
    n->seq++;
    return;
  }
  len = rv_tool_csi_frame (pkt, sizeof pkt, (guint8) id, n->seq++,
      s->hostile ? freq_at (id, t) : 2437, 0.5 + 0.5 * sin (0.3 * t + id));
  if (s->hostile && u < 0.02)
    return;                     /* lost on the way */
  if (s->hostile && u < 0.03 && !n->held && n->seq > 1) {
    memcpy (n->held_pkt, pkt, len);
    n->held_len = len;
    n->held_pts = pts;
    n->held = TRUE;
    return;
  }
  push (s, src, pkt, len, pts, TRUE);
  if (s->hostile && u < 0.04)
    push (s, src, pkt, len, pts, TRUE); /* duplicated */
  if (n->held) {
    push (s, src, n->held_pkt, n->held_len, pts, TRUE);
    n->held = FALSE;
  }
}

static void
flood (Soak * s, GstAppSrc * src, gdouble t, gdouble dt)
{
  guint spoof = (guint) (SPOOF_PER_S * dt + g_rand_double (s->rng));
  guint junk = (guint) (GARBAGE_PER_S * dt + g_rand_double (s->rng));
  GstClockTime pts = (GstClockTime) (t * GST_SECOND);
  guint8 pkt[160];

  for (guint i = 0; i < spoof; i++) {
    guint8 id = (guint8) g_rand_int_range (s->rng, s->n_nodes + 1, 256);
    gsize len = rv_tool_csi_frame (pkt, sizeof pkt, id, g_rand_int (s->rng),
        2437, 1.0);
    push (s, src, pkt, len, pts, TRUE);
  }
  for (guint i = 0; i < junk; i++) {
    gsize len = 1 + g_rand_int_range (s->rng, 0, sizeof pkt);
    for (gsize k = 0; k < len; k++)
      pkt[k] = (guint8) g_rand_int (s->rng);
    if (len >= 6 && g_rand_boolean (s->rng)) {
      /* right magic, bad body (no antennas: never a valid frame by chance) */
      GST_WRITE_UINT32_LE (pkt, RV_MAGIC_CSI_RAW);
      pkt[5] = 0;
    }
    push (s, src, pkt, len, pts, FALSE);
  }
}

static GstBusSyncReply
on_message (GstBus * bus, GstMessage * m, gpointer data)
{
  Soak *s = data;
  const GstStructure *st = gst_message_get_structure (m);

  (void) bus;
  g_mutex_lock (&s->lock);
  if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_EOS) {
    s->eos = TRUE;
    g_cond_signal (&s->cond);
  } else if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ERROR) {
    GError *err = NULL;
    gst_message_parse_error (m, &err, NULL);
    g_printerr ("rvsoak: pipeline error: %s\n", err->message);
    g_clear_error (&err);
    s->error = s->eos = TRUE;
    g_cond_signal (&s->cond);
  } else if (st && gst_structure_has_name (st, "rvclassify")) {
    guint node = 0, antenna = 0;
    guint64 ts = 0;
    const gchar *label = gst_structure_get_string (st, "label");

    gst_structure_get_uint (st, "node", &node);
    gst_structure_get_uint (st, "antenna", &antenna);
    gst_structure_get_uint64 (st, "timestamp", &ts);
    s->decisions++;
    if (!g_strcmp0 (label, "unknown"))
      s->unknown++;
    else if (!g_strcmp0 (label, "offline"))
      s->offline++;
    if (antenna == 0 && node < 256) {
      Last *l = &s->last[node];
      l->label = g_quark_from_string (label);
      l->real = g_strcmp0 (label, "unknown") && g_strcmp0 (label, "offline");
      l->t = (gdouble) ts / GST_SECOND;
    }
  }
  g_mutex_unlock (&s->lock);
  gst_message_unref (m);
  return GST_BUS_DROP;          /* nothing accumulates on the bus */
}

/* Streams of real nodes showing a label they should not show any more. */
static guint
count_stale (Soak * s, gdouble now)
{
  guint stale = 0;

  g_mutex_lock (&s->lock);
  for (guint id = 1; id <= s->n_nodes; id++) {
    const Last *l = &s->last[id];
    const Node *n = &s->nodes[id];
    gdouble ph = fmod (now, SILENT_PERIOD_S);

    if (!l->real)
      continue;
    if (n->last_restart > l->t && n->last_restart < now - SLACK_S) {
      stale++;
      g_printerr ("rvsoak: stale: node %u shows %s from %.2f s, restarted "
          "at %.2f s\n", id, g_quark_to_string (l->label), l->t,
          n->last_restart);
    } else if (silent_at (id, now) && ph > SILENT_FROM_S + OFFLINE_S +
        SLACK_S) {
      stale++;
      g_printerr ("rvsoak: stale: node %u silent since %.2f s still shows "
          "%s\n", id, now - ph + SILENT_FROM_S, g_quark_to_string (l->label));
    }
  }
  g_mutex_unlock (&s->lock);
  return stale;
}

static gdouble
rss_bytes (void)
{
  gchar *txt = NULL;
  gdouble rss = 0;

  if (g_file_get_contents ("/proc/self/statm", &txt, NULL, NULL)) {
    unsigned long pages = 0, res = 0;
    if (sscanf (txt, "%lu %lu", &pages, &res) == 2)
      rss = (gdouble) res * (gdouble) sysconf (_SC_PAGESIZE);
  }
  g_free (txt);
  return rss;
}

static guint64
stat_u64 (const GstStructure * st, const gchar * f)
{
  guint64 v = 0;
  gst_structure_get_uint64 (st, f, &v);
  return v;
}

typedef struct
{
  gdouble wall, frames_per_s, rss_first, rss_last;
  guint stale;
  gboolean counters_ok;
} Result;

static gboolean
check_counters (GstElement * parse, GstElement * head, GstElement * cls,
    Soak * s)
{
  GstStructure *ps, *hs, *cs;
  guint64 sum = 0, frames, csi;
  gboolean ok = TRUE;

  g_object_get (parse, "stats", &ps, NULL);
  g_object_get (head, "stats", &hs, NULL);
  g_object_get (cls, "stats", &cs, NULL);
  csi = stat_u64 (ps, "kind-csi-raw");
#define CHECK(cond, ...) do { if (!(cond)) { ok = FALSE; \
      g_printerr ("rvsoak: counters: " __VA_ARGS__); g_printerr ("\n"); } \
  } while (0)
  CHECK (stat_u64 (ps, "received") == s->pushed, "source received %"
      G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " pushed",
      stat_u64 (ps, "received"), s->pushed);
  CHECK (stat_u64 (ps, "accepted") + stat_u64 (ps, "dropped") ==
      stat_u64 (ps, "received"), "accepted + dropped != received");
  CHECK (csi == s->csi_frames, "source accepted %" G_GUINT64_FORMAT
      " raw CSI of %" G_GUINT64_FORMAT " valid sent", csi, s->csi_frames);
  frames = stat_u64 (hs, "frames");
  for (gint i = 0; i < gst_structure_n_fields (hs); i++) {
    const gchar *f = gst_structure_nth_field_name (hs, i);
    if (g_str_has_prefix (f, "skipped-"))
      sum += stat_u64 (hs, f);
  }
  CHECK (frames + sum == csi, "head frames %" G_GUINT64_FORMAT " + skipped %"
      G_GUINT64_FORMAT " != %" G_GUINT64_FORMAT " raw CSI", frames, sum, csi);
  CHECK (stat_u64 (cs, "classified") + stat_u64 (cs, "unmatched") +
      stat_u64 (cs, "streams-refused") == frames, "rvclassify classified %"
      G_GUINT64_FORMAT " + refused %" G_GUINT64_FORMAT " != %"
      G_GUINT64_FORMAT " embeddings", stat_u64 (cs, "classified"),
      stat_u64 (cs, "streams-refused"), frames);
#undef CHECK
  if (s->hostile) {
    gchar *a = gst_structure_to_string (hs), *b = gst_structure_to_string (cs);
    g_print ("rvtemporalhead: %s\nrvclassify: %s\n", a, b);
    g_free (a);
    g_free (b);
  }
  gst_structure_free (ps);
  gst_structure_free (hs);
  gst_structure_free (cs);
  return ok;
}

static Result
run (Soak * s)
{
  Result r = { 0 };
  GError *err = NULL;
  GstElement *p = gst_parse_launch ("appsrc name=src format=time block=true "
      "max-bytes=65536 caps=application/x-rvcsi ! rvcsiparse name=parse ! "
      "rvtemporalhead name=head max-streams=512 ! rvclassify name=cls "
      "max-streams=512 ! fakesink sync=false", &err);
  GstElement *src, *parse, *head, *cls;
  GstBus *bus;
  gdouble dt = 1.0 / s->rate, next_report = s->report;
  gint64 t0;
  guint64 ticks = (guint64) ceil (s->duration * s->rate);

  if (!p) {
    g_printerr ("rvsoak: %s (is GST_PLUGIN_PATH set?)\n", err->message);
    exit (2);
  }
  src = gst_bin_get_by_name (GST_BIN (p), "src");
  parse = gst_bin_get_by_name (GST_BIN (p), "parse");
  head = gst_bin_get_by_name (GST_BIN (p), "head");
  cls = gst_bin_get_by_name (GST_BIN (p), "cls");
  bus = gst_element_get_bus (p);
  gst_bus_set_sync_handler (bus, on_message, s, NULL);
  gst_element_set_state (p, GST_STATE_PLAYING);
  if (s->hostile)
    g_print ("%9s %8s %10s %11s %8s %8s %9s %8s %8s %6s\n", "stream s",
        "wall s", "packets", "packets/s", "RSS MiB", "streams", "decisions",
        "unknown", "offline", "stale");
  t0 = g_get_monotonic_time ();
  for (guint64 k = 0; k < ticks && !s->error; k++) {
    gdouble t = (gdouble) k * dt;
    for (guint id = 1; id <= s->n_nodes; id++)
      node_frame (s, GST_APP_SRC (src), id, t + (id - 1) * dt / s->n_nodes);
    if (s->hostile)
      flood (s, GST_APP_SRC (src), t, dt);
    if (t + dt >= next_report) {
      gdouble wall = (g_get_monotonic_time () - t0) / 1e6, rss = rss_bytes ();
      guint stale = count_stale (s, t), streams = 0;
      GstStructure *hs;

      g_object_get (head, "stats", &hs, NULL);
      gst_structure_get_uint (hs, "streams", &streams);
      gst_structure_free (hs);
      if (!r.rss_first && t >= s->duration / 4)
        r.rss_first = rss;
      r.rss_last = rss;
      r.stale += stale;
      if (s->hostile) {
        g_mutex_lock (&s->lock);
        g_print ("%9.0f %8.1f %10" G_GUINT64_FORMAT " %11.0f %8.1f %8u %9"
            G_GUINT64_FORMAT " %8" G_GUINT64_FORMAT " %8" G_GUINT64_FORMAT
            " %6u\n", next_report, wall, s->pushed, s->pushed / MAX (wall,
                1e-9), rss / 1048576.0, streams, s->decisions, s->unknown,
            s->offline, stale);
        g_mutex_unlock (&s->lock);
      }
      next_report += s->report;
    }
  }
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  g_mutex_lock (&s->lock);
  while (!s->eos)
    g_cond_wait (&s->cond, &s->lock);
  g_mutex_unlock (&s->lock);
  r.wall = (g_get_monotonic_time () - t0) / 1e6;
  r.frames_per_s = s->csi_frames / MAX (r.wall, 1e-9);
  r.counters_ok = !s->error && check_counters (parse, head, cls, s);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_bus_set_sync_handler (bus, NULL, NULL, NULL);
  gst_object_unref (bus);
  gst_object_unref (src);
  gst_object_unref (parse);
  gst_object_unref (head);
  gst_object_unref (cls);
  gst_object_unref (p);
  return r;
}

static void
soak_init (Soak * s, guint nodes, gdouble rate, gdouble duration,
    gdouble report, guint64 seed, gboolean hostile)
{
  memset (s, 0, sizeof *s);
  s->n_nodes = nodes;
  s->rate = rate;
  s->duration = duration;
  s->report = report;
  s->hostile = hostile;
  s->rng = g_rand_new_with_seed ((guint32) seed);
  for (guint i = 0; i <= MAX_NODES; i++)
    s->nodes[i].last_restart = -1;
  g_mutex_init (&s->lock);
  g_cond_init (&s->cond);
}

static void
soak_clear (Soak * s)
{
  g_rand_free (s->rng);
  g_mutex_clear (&s->lock);
  g_cond_clear (&s->cond);
}

int
main (int argc, char **argv)
{
  gdouble duration = 600, rate = 20, report = 60;
  gint nodes = 200;
  gint64 seed = 1;
  GOptionEntry entries[] = {
    {"duration", 0, 0, G_OPTION_ARG_DOUBLE, &duration,
        "Stream seconds of hostile traffic (default 600)", "S"},
    {"nodes", 0, 0, G_OPTION_ARG_INT, &nodes, "Real nodes, 1..200 "
          "(default 200)", "N"},
    {"rate", 0, 0, G_OPTION_ARG_DOUBLE, &rate, "Raw CSI frames per second "
          "per node, 1..100 (default 20)", "HZ"},
    {"report", 0, 0, G_OPTION_ARG_DOUBLE, &report, "Stream seconds between "
          "rows (default 60)", "S"},
    {"seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Random seed (default 1)", "N"},
    G_OPTION_ENTRY_NULL
  };
  Soak clean, hostile;
  Result ref, res;
  gdouble growth;
  gboolean ok;

  if (!gst_rv_tool_parse_options ("rvsoak", "Soak benchmark: the rvcsi "
          "pipeline under crash loops, channel hops, silent nodes, loss, "
          "reordering, duplicates, spoofed-id floods and garbage; RSS, stale "
          "decisions and counters (exit 1 when one fails). Needs the plugin "
          "on GST_PLUGIN_PATH.", entries, TRUE, &argc, &argv))
    return 2;
  if (nodes < 1 || nodes > MAX_NODES || !(rate >= 1 && rate <= 100) ||
      !(duration >= 1 && duration <= 7 * 86400) || !(report > 0))
    return gst_rv_tool_usage_error ("rvsoak", "--nodes 1..%d, --rate 1..100, "
        "--duration 1 s..1 week, --report > 0", MAX_NODES);

  /* reference: the same nodes, clean, in this run */
  soak_init (&clean, (guint) nodes, rate, MIN (duration, 30), duration,
      (guint64) seed, FALSE);
  ref = run (&clean);
  soak_clear (&clean);

  soak_init (&hostile, (guint) nodes, rate, duration, report, (guint64) seed,
      TRUE);
  res = run (&hostile);
  growth = res.rss_last - res.rss_first;
  g_print ("\nclean   %u nodes x %.0f Hz: %.0f frames/s\n", nodes == 0 ? 0 :
      (guint) nodes, rate, ref.frames_per_s);
  g_print ("hostile %u nodes x %.0f Hz + %u spoofed/s + %u garbage/s: %.0f "
      "frames/s (%.2f x clean), %.0f s of stream in %.1f s\n", (guint) nodes,
      rate, SPOOF_PER_S, GARBAGE_PER_S, res.frames_per_s,
      res.frames_per_s / MAX (ref.frames_per_s, 1e-9), duration, res.wall);
  g_print ("RSS %.1f MiB after the first quarter, %.1f MiB at the end "
      "(%+.2f MiB); stale decisions %u; counters %s\n",
      res.rss_first / 1048576.0, res.rss_last / 1048576.0,
      growth / 1048576.0, res.stale, res.counters_ok ? "add up" : "DO NOT "
      "ADD UP");
  ok = ref.counters_ok && res.counters_ok && res.stale == 0 &&
      growth <= RSS_GROWTH_MAX;
  soak_clear (&hostile);
  return ok ? 0 : 1;
}
