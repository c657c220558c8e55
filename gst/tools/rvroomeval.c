/*
 * rvroomeval — event-level fall metrics and room-level accuracy of rvroom
 * on held-out simulated sessions (docs/rooms.md, "Measured").
 *
 * For every (scenario, seed) it runs rvsim (pcap + labels into a temporary
 * directory), replays the pcap through
 *   filesrc ! pcapparse ! rvcsiparse ! rvtemporalhead ! rvclassify ! rvroom
 * (both run --model when given, else their built-in default) and
 * scores, per buffer, the room's label and occupancy against the
 * simulator's truth, and each link's own decision the same way (the best
 * single link is the reference measured in the same run). Falls are scored
 * as events (rvfallscore.h). `--preset false-alarms` is the false-alarm
 * benchmark: 40 simulated hours of hard negatives on held-out seeds.
 */
#include <gst/gst.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gstrvcsimeta.h"
#include "rvfallscore.h"
#include "rvtoolopts.h"
#include "rvsim.h"
#include "rvsim_labels.h"
#include "rvsim_pcap.h"

#define PROG "rvroomeval"
#define MAX_NODES 8

static gchar *opt_rvsim, *opt_scenarios, *opt_preset;
static gchar *opt_receiver = (gchar *) "fixed";
static gchar *opt_placement = (gchar *) "perimeter";
static gint opt_skew = 0, opt_jitter = 0;
/* -1: from the preset */
static gint opt_seed = -1, opt_seeds = -1, opt_nodes = -1, opt_duration = -1,
    opt_rate = -1;
static gchar *opt_rvroom = (gchar *) "";
static gchar *opt_dump;
static gchar *opt_model;        /* both model properties; NULL: built-in */
/* Checks for the e2e test: exit 1 when a figure is worse (-1 = none). */
static gdouble opt_min_caught = -1, opt_min_room = -1, opt_min_occupancy = -1,
    opt_max_fa = -1, opt_min_gain = -1000;

static const GOptionEntry entries[] = {
  {"rvsim", 0, 0, G_OPTION_ARG_FILENAME, &opt_rvsim,
      "the rvsim tool (default: rvsim next to this tool, then PATH)", "PATH"},
  {"preset", 0, 0, G_OPTION_ARG_STRING, &opt_preset,
      "events (default): the options' defaults below; false-alarms: the "
      "false-alarm benchmark, --scenarios hard-negatives --seeds 40 --seed "
      "9101 --duration 3600 --nodes 2 (40 simulated hours at 100 Hz, about "
      "30 min of one core); options given explicitly override it", "NAME"},
  {"scenarios", 0, 0, G_OPTION_ARG_STRING, &opt_scenarios,
      "comma-separated rvsim scenarios (default fall,sit,walking,gestures,random)",
      "LIST"},
  {"seed", 0, 0, G_OPTION_ARG_INT, &opt_seed,
      "first held-out seed (default 9001; training uses low seeds)", "S"},
  {"seeds", 0, 0, G_OPTION_ARG_INT, &opt_seeds,
      "seeds per scenario (default 2)", "N"},
  {"nodes", 0, 0, G_OPTION_ARG_INT, &opt_nodes, "nodes in the room (default 3)",
      "N"},
  {"duration", 0, 0, G_OPTION_ARG_INT, &opt_duration,
      "seconds per session (default 300)", "S"},
  {"rate", 0, 0, G_OPTION_ARG_INT, &opt_rate,
      "CSI frames per second per node (default 100; real nodes send 20-150)",
      "HZ"},
  {"placement", 0, 0, G_OPTION_ARG_STRING, &opt_placement,
      "rvsim node placement: perimeter or random (default perimeter)", "MODE"},
  {"node-skew", 0, 0, G_OPTION_ARG_INT, &opt_skew,
      "rvsim: each node's packets arrive a fixed U(0, MS) ms late (default 0)",
      "MS"},
  {"node-jitter", 0, 0, G_OPTION_ARG_INT, &opt_jitter,
      "rvsim: plus |N(0,1)| x MS ms per packet (default 0)", "MS"},
  {"receiver", 0, 0, G_OPTION_ARG_STRING, &opt_receiver,
      "rvsim receiver model: fixed or calibrated (default fixed)", "MODEL"},
  {"model", 0, 0, G_OPTION_ARG_FILENAME, &opt_model,
      "the .rvne CSI model rvtemporalhead runs (its model property; default: "
      "the built-in default model) and whose head rvclassify applies; rvroom "
      "reads its classes, so a model with a lying class confirms falls on "
      "lying", "FILE"},
  {"rvroom", 0, 0, G_OPTION_ARG_STRING, &opt_rvroom,
      "extra rvroom properties, e.g. \"fall-threshold=0.4\"", "PROPS"},
  {"dump", 0, 0, G_OPTION_ARG_FILENAME, &opt_dump,
      "also write every fused frame (link evidence, truth, room state) to "
      "FILE as text, for offline fusion experiments", "FILE"},
  {"min-caught", 0, 0, G_OPTION_ARG_DOUBLE, &opt_min_caught,
      "exit 1 if under this % of falls are caught within 10 s", "PCT"},
  {"min-room", 0, 0, G_OPTION_ARG_DOUBLE, &opt_min_room,
      "exit 1 if room activity accuracy is under this %", "PCT"},
  {"min-gain", 0, 0, G_OPTION_ARG_DOUBLE, &opt_min_gain,
      "exit 1 if room activity accuracy is not this many points above the "
      "best single link's decisions (mean over runs)", "PTS"},
  {"min-occupancy", 0, 0, G_OPTION_ARG_DOUBLE, &opt_min_occupancy,
      "exit 1 if occupancy accuracy is under this %", "PCT"},
  {"max-false-alarms", 0, 0, G_OPTION_ARG_DOUBLE, &opt_max_fa,
      "exit 1 if there are more false fall alarms than this in total", "N"},
  G_OPTION_ENTRY_NULL
};

typedef struct {
  guint64 frames, room_ok, occ_ok;
  guint64 link_frames[MAX_NODES + 1], link_ok[MAX_NODES + 1];
  guint64 link_model_ok[MAX_NODES + 1]; /* the link's ungated argmax */
} Score;

typedef struct {
  const rvsim_labels *labels;
  Score sc;
  GArray *alarms;               /* GstRvFallAlarm */
  FILE *dump;                   /* --dump, or NULL */
  const gchar *scenario;
  gint seed;
  guint warnings;               /* pipeline warnings posted */
} Run;

/* The model's class for the truth, or NULL when the model has none (the
 * default model merges lying and apnea into still). */
static const gchar *
truth_label (const GstRvClassificationMeta * cm, int act)
{
  const gchar *want = rvsim_activity_name (act);
  if (gst_rv_classification_meta_get_index_by_quark (cm,
          g_quark_from_string (want)) >= 0)
    return want;
  if (act == RVSIM_ACT_APNEA || act == RVSIM_ACT_LYING)
    return "still";
  return NULL;
}

static gsize
model_argmax (const GstRvClassificationMeta * cm)
{
  gsize best = 0;
  for (gsize k = 1; k < cm->length; k++)
    if (cm->model_levels[k] > cm->model_levels[best])
      best = k;
  return best;
}

static double
sim_time (GstBuffer * buf)
{
  GstRvCsiPacketMeta *pm = gst_rv_buffer_get_csi_packet_meta (buf);
  return pm ? (double) pm->arrival / GST_SECOND - RVSIM_PCAP_EPOCH : -1.0;
}

/* One --dump line: what rvroom was given for this frame, the truth and
 * the room's state after it (docs/rooms.md, "Experiments"). */
static void
dump_frame (Run * r, GstBuffer * buf, const GstRvClassificationMeta * cm,
    const GstRvRoomMeta * rm, double t, int act, const gchar * want)
{
  GstRvMotionMeta *mm = gst_rv_buffer_get_motion_meta (buf);
  static gboolean header;

  if (!header) {
    fputs ("# scenario seed pts sim_t node antenna act truth decision "
        "has_motion motion calibrated score threshold room occupied levels:",
        r->dump);
    for (gsize k = 0; k < cm->length; k++)
      fprintf (r->dump, " %s", g_quark_to_string (cm->class_quarks[k]));
    fputc ('\n', r->dump);
    header = TRUE;
  }
  fprintf (r->dump, "%s %d %" G_GUINT64_FORMAT " %.4f %u %u %d %d %d %d %d %d "
      "%g %g %d %d", r->scenario, r->seed, GST_BUFFER_PTS (buf), t,
      cm->node_id, cm->antenna, act, want ?
      gst_rv_classification_meta_get_index_by_quark (cm,
          g_quark_from_string (want)) : -1, cm->decision, mm != NULL,
      mm ? mm->motion : 0, mm ? mm->calibrated : 0, mm ? mm->score : 0.0f,
      mm ? mm->threshold : 0.0f, rm->label_index, rm->occupied);
  for (gsize k = 0; k < cm->length; k++)
    fprintf (r->dump, " %.5g", cm->model_levels[k]);
  fputc ('\n', r->dump);
}

static GstPadProbeReturn
probe (GstPad * pad, GstPadProbeInfo * info, gpointer user)
{
  Run *r = user;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  GstRvClassificationMeta *cm = gst_rv_buffer_get_classification_meta (buf);
  GstRvRoomMeta *rm = gst_rv_buffer_get_room_meta (buf);
  double t = sim_time (buf);
  int act;
  const gchar *want;
  (void) pad;

  if (!cm || !rm || t < 0)
    return GST_PAD_PROBE_OK;
  act = rvsim_labels_activity_at (r->labels, 1, t);
  want = act >= 0 ? truth_label (cm, act) : NULL;
  if (r->dump && cm->model_levels)
    dump_frame (r, buf, cm, rm, t, act, want);
  if (cm->decision < 0 || rm->label_index < 0 || !want)
    return GST_PAD_PROBE_OK;
  r->sc.frames++;
  r->sc.room_ok += g_str_equal (g_quark_to_string (rm->label), want);
  r->sc.occ_ok += rm->occupied == (act != RVSIM_ACT_EMPTY);
  if (cm->node_id <= MAX_NODES) {
    r->sc.link_frames[cm->node_id]++;
    r->sc.link_ok[cm->node_id] += g_str_equal (g_quark_to_string
        (cm->class_quarks[cm->decision]), want);
    r->sc.link_model_ok[cm->node_id] += g_str_equal (g_quark_to_string
        (cm->class_quarks[model_argmax (cm)]), want);
  }
  return GST_PAD_PROBE_OK;
}

static gboolean
run_pipeline (const gchar * pcap, Run * r)
{
  gchar *desc = g_strdup_printf ("filesrc location=\"%s\" ! pcapparse ! "
      "rvcsiparse ! rvtemporalhead name=head ! rvclassify name=cls ! "
      "rvroom name=room %s ! "
      "fakesink sync=false", pcap, opt_rvroom);
  GError *err = NULL;
  GstElement *p = gst_parse_launch (desc, &err);
  GstElement *room;
  GstPad *src;
  GstBus *bus;
  gboolean ok = TRUE, done = FALSE;

  g_free (desc);
  if (!p) {
    g_printerr (PROG ": %s\n", err->message);
    g_error_free (err);
    return FALSE;
  }
  if (opt_model) {
    /* Set, not written into the description: a path needs no quoting.
     * rvclassify applies the same file's head to the embeddings. */
    for (guint i = 0; i < 2; i++) {
      GstElement *e = gst_bin_get_by_name (GST_BIN (p), i ? "cls" : "head");
      g_object_set (e, "model", opt_model, NULL);
      gst_object_unref (e);
    }
  }
  room = gst_bin_get_by_name (GST_BIN (p), "room");
  src = gst_element_get_static_pad (room, "src");
  gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_BUFFER, probe, r, NULL);
  gst_object_unref (src);
  gst_object_unref (room);
  bus = gst_element_get_bus (p);
  gst_element_set_state (p, GST_STATE_PLAYING);
  while (!done) {
    GstMessage *m = gst_bus_timed_pop (bus, GST_CLOCK_TIME_NONE);
    const GstStructure *s = gst_message_get_structure (m);
    switch (GST_MESSAGE_TYPE (m)) {
      case GST_MESSAGE_EOS:
        done = TRUE;
        break;
      case GST_MESSAGE_ERROR:{
        GError *e = NULL;
        gst_message_parse_error (m, &e, NULL);
        g_printerr (PROG ": pipeline error: %s\n", e->message);
        g_error_free (e);
        ok = FALSE;
        done = TRUE;
        break;
      }
      case GST_MESSAGE_WARNING:{
        /* e.g. embeddings no head matches: nothing would be scored */
        GError *e = NULL;
        gst_message_parse_warning (m, &e, NULL);
        g_printerr (PROG ": pipeline warning: %s\n", e->message);
        g_error_free (e);
        r->warnings++;
        break;
      }
      case GST_MESSAGE_ELEMENT:{
        guint64 onset, delay;
        if (gst_structure_has_name (s, "rvfall") &&
            gst_structure_get_uint64 (s, "stream-time", &onset) &&
            gst_structure_get_uint64 (s, "delay", &delay)) {
          GstRvFallAlarm a = { (double) onset / GST_SECOND,
            (double) (onset + delay) / GST_SECOND, FALSE
          };
          g_array_append_val (r->alarms, a);
        } else if (gst_structure_has_name (s, "rvfall-cancel") &&
            gst_structure_get_uint64 (s, "stream-time", &onset)) {
          for (guint i = 0; i < r->alarms->len; i++) {
            GstRvFallAlarm *a = &g_array_index (r->alarms, GstRvFallAlarm, i);
            if (fabs (a->onset_s - (double) onset / GST_SECOND) < 1e-6)
              a->cancelled = TRUE;
          }
        }
        break;
      }
      default:
        break;
    }
    gst_message_unref (m);
  }
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (p);
  return ok;
}

static gchar *
find_rvsim (const gchar * argv0)
{
  gchar *dir, *path;
  if (opt_rvsim)
    return g_strdup (opt_rvsim);
  /* build tree: build/gst/rvroomeval next to build/src/tools/rvsim */
  dir = g_path_get_dirname (argv0);
  path = g_build_filename (dir, "..", "src", "tools", "rvsim", NULL);
  g_free (dir);
  if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    return path;
  g_free (path);
  return g_find_program_in_path ("rvsim");
}

/* Fills the options not given from --preset; FALSE for an unknown one. */
static gboolean
apply_preset (void)
{
  gboolean fa = opt_preset && g_str_equal (opt_preset, "false-alarms");

  if (opt_preset && !fa && !g_str_equal (opt_preset, "events"))
    return FALSE;
  if (!opt_scenarios)
    opt_scenarios = (gchar *) (fa ? "hard-negatives" :
        "fall,sit,walking,gestures,random");
  if (opt_seed < 0)
    opt_seed = fa ? 9101 : 9001;
  if (opt_seeds < 0)
    opt_seeds = fa ? 40 : 2;
  if (opt_duration < 0)
    opt_duration = fa ? 3600 : 300;
  /* 100 Hz even for the long run: the default model reads its context in
   * frames (trained at 100 Hz) and sees no fall at 20 Hz, so a slower
   * benchmark would count the alarms of a detector that never fires. */
  if (opt_rate < 0)
    opt_rate = 100;
  if (opt_nodes < 0)
    opt_nodes = fa ? 2 : 3;
  return TRUE;
}

int
main (int argc, char **argv)
{
  gchar **scen, *rvsim, *tmp;
  Score total = { 0 };
  GstRvFallScore fs;
  double best_link_sum = 0.0, best_model_sum = 0.0;
  guint runs = 0;
  gboolean status_fail = FALSE;
  FILE *dump = NULL;

  if (!gst_rv_tool_parse_options (PROG, "- rvroom fall events and room "
          "accuracy on held-out rvsim sessions", entries, TRUE, &argc, &argv))
    return 2;
  if (!apply_preset ())
    return gst_rv_tool_usage_error (PROG, "unknown --preset \"%s\": events "
        "or false-alarms", opt_preset);
  if (opt_seeds < 1 || opt_nodes < 1 || opt_nodes > MAX_NODES ||
      opt_duration < 10 || opt_rate < 1 || opt_rate > 1000)
    return gst_rv_tool_usage_error (PROG, "--seeds >= 1, --nodes 1-%d, "
        "--duration >= 10 and --rate 1-1000 are required", MAX_NODES);
  if (!g_str_equal (opt_placement, "perimeter") &&
      !g_str_equal (opt_placement, "random"))
    return gst_rv_tool_usage_error (PROG, "unknown --placement \"%s\": "
        "perimeter or random", opt_placement);
  if (opt_skew < 0 || opt_skew > 10000 || opt_jitter < 0 || opt_jitter > 10000)
    return gst_rv_tool_usage_error (PROG, "--node-skew and --node-jitter "
        "are 0-10000 ms");
  if (opt_model && !g_file_test (opt_model, G_FILE_TEST_IS_REGULAR))
    return gst_rv_tool_usage_error (PROG, "--model: no such file \"%s\"",
        opt_model);
  rvsim = find_rvsim (argv[0]);
  if (!rvsim)
    return gst_rv_tool_usage_error (PROG, "rvsim not found: pass --rvsim");
  if (opt_dump && !(dump = fopen (opt_dump, "w")))
    return gst_rv_tool_usage_error (PROG, "cannot write %s: %s", opt_dump,
        g_strerror (errno));
  tmp = g_dir_make_tmp ("rvroomeval-XXXXXX", NULL);
  scen = g_strsplit (opt_scenarios, ",", -1);
  gst_rv_fall_score_init (&fs);
  printf ("# rvroomeval: gst-rvcsi %s (rvsim of the same version), "
      "receiver %s, %d nodes at %d Hz, %d s per session, seeds %d..%d, "
      "placement %s, skew %d ms, jitter %d ms, model %s, rvroom %s\n",
      RVCSI_VERSION, opt_receiver, opt_nodes, opt_rate, opt_duration,
      opt_seed, opt_seed + opt_seeds - 1, opt_placement, opt_skew, opt_jitter,
      opt_model ? opt_model : "(built-in default)",
      *opt_rvroom ? opt_rvroom : "(defaults)");
  printf ("%-10s %5s %8s %8s %8s %8s %6s %6s %4s\n", "scenario", "seed",
      "room%", "best1%", "best1m%", "occ%", "falls", "caught", "FA");
  for (guint si = 0; scen[si]; si++) {
    for (gint k = 0; k < opt_seeds; k++) {
      gint seed = opt_seed + k;
      gchar *pcap = g_build_filename (tmp, "s.pcap", NULL);
      gchar *lab = g_build_filename (tmp, "s.jsonl", NULL);
      gchar *cmd = g_strdup_printf ("\"%s\" --nodes %d --rate %d --duration "
          "%d --seed %d --scenario %s --receiver %s --placement %s "
          "--node-skew %d --node-jitter %d --pcap \"%s\" --labels \"%s\" "
          "--quiet", rvsim, opt_nodes, opt_rate, opt_duration, seed, scen[si],
          opt_receiver, opt_placement, opt_skew, opt_jitter, pcap, lab);
      gint status = 1;
      rvsim_labels labels = { 0 };
      char err[256];
      Run r = { 0 };
      guint run_falls = 0, run_caught = 0, run_fa = 0;
      double best = 0.0, best_model = 0.0;

      if (!g_spawn_command_line_sync (cmd, NULL, NULL, &status, NULL) ||
          !g_spawn_check_wait_status (status, NULL)) {
        g_printerr (PROG ": rvsim failed: %s\n", cmd);
        return 1;
      }
      if (rvsim_labels_read_file (lab, &labels, err, sizeof err) != 0) {
        g_printerr (PROG ": %s: %s\n", lab, err);
        return 1;
      }
      r.labels = &labels;
      r.dump = dump;
      r.scenario = scen[si];
      r.seed = seed;
      r.alarms = g_array_new (FALSE, FALSE, sizeof (GstRvFallAlarm));
      if (!run_pipeline (pcap, &r))
        return 1;
      if (r.warnings) {
        g_printerr (PROG ": %s seed %d: %u pipeline warnings; its figures "
            "would not be the pipeline's\n", scen[si], seed, r.warnings);
        return 1;
      }
      gst_rv_fall_score_session (&fs, &labels, r.alarms, &run_falls,
          &run_caught, &run_fa);
      for (guint n = 1; n <= MAX_NODES; n++)
        if (r.sc.link_frames[n]) {
          best = MAX (best, (double) r.sc.link_ok[n] / r.sc.link_frames[n]);
          best_model = MAX (best_model, (double) r.sc.link_model_ok[n] /
              r.sc.link_frames[n]);
        }
      printf ("%-10s %5d %8.1f %8.1f %8.1f %8.1f %6u %6u %4u\n", scen[si],
          seed, r.sc.frames ? 100.0 * r.sc.room_ok / r.sc.frames : 0.0,
          100.0 * best, 100.0 * best_model, r.sc.frames ? 100.0 * r.sc.occ_ok / r.sc.frames : 0.0,
          run_falls, run_caught, run_fa);
      fflush (stdout);
      total.frames += r.sc.frames;
      total.room_ok += r.sc.room_ok;
      total.occ_ok += r.sc.occ_ok;
      best_link_sum += best;
      best_model_sum += best_model;
      runs++;
      g_array_free (r.alarms, TRUE);
      rvsim_labels_free (&labels);
      g_unlink (pcap);
      g_unlink (lab);
      g_free (pcap);
      g_free (lab);
      g_free (cmd);
    }
  }
  {
    printf ("\nroom activity accuracy  %.1f %% of %" G_GUINT64_FORMAT
        " frames (best single link, mean over runs: %.1f %%; its model's "
        "ungated argmax: %.1f %%)\n",
        total.frames ? 100.0 * total.room_ok / total.frames : 0.0,
        total.frames, runs ? 100.0 * best_link_sum / runs : 0.0,
        runs ? 100.0 * best_model_sum / runs : 0.0);
    printf ("occupancy accuracy      %.2f %%\n",
        total.frames ? 100.0 * total.occ_ok / total.frames : 0.0);
    gst_rv_fall_score_print (&fs, stdout);
  }
  {
    double pc = fs.falls ? 100.0 * fs.caught / fs.falls : 100.0;
    double pr = total.frames ? 100.0 * total.room_ok / total.frames : 0.0;
    double po = total.frames ? 100.0 * total.occ_ok / total.frames : 0.0;
    if ((opt_min_caught >= 0 && pc < opt_min_caught) ||
        (opt_min_room >= 0 && pr < opt_min_room) ||
        (opt_min_gain > -1000 && runs && pr - 100.0 * best_link_sum / runs <
            opt_min_gain) ||
        (opt_min_occupancy >= 0 && po < opt_min_occupancy) ||
        (opt_max_fa >= 0 && fs.false_alarms > opt_max_fa)) {
      g_printerr (PROG ": below the required figures (--min-*/--max-*)\n");
      status_fail = TRUE;
    }
  }
  if (dump && fclose (dump) != 0) {
    g_printerr (PROG ": writing %s: %s\n", opt_dump, g_strerror (errno));
    status_fail = TRUE;
  }
  gst_rv_fall_score_clear (&fs);
  g_strfreev (scen);
  g_rmdir (tmp);
  g_free (tmp);
  g_free (rvsim);
  return status_fail ? 1 : 0;
}
