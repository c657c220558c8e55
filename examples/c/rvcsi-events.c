/*
 * rvcsi-events — embed an rvcsi pipeline in a C application and print its
 * events from the bus: decision changes of rvclassify, streams starting
 * and stopping to move (rvtemporalhead's rvmotion), the source's
 * periodic statistics, warnings and errors, and the nodes going offline
 * and coming back (rvcsi-node events, read with a pad probe).
 *
 *   rvcsi-events                       live: UDP port 5005, built-in model
 *   rvcsi-events --help                usage and GStreamer's options
 *   rvcsi-events "filesrc location=cap.pcap ! pcapparse ! rvcsiparse ! \
 *       rvtemporalhead ! rvclassify ! fakesink sync=true"
 *
 * The plugin must be on GST_PLUGIN_PATH (e.g. GST_PLUGIN_PATH=build/gst).
 * The application reads the rvclassify metas too, through the getters of
 * gst/gstrvcsimeta.h (no link against the plugin needed).
 */
#include <gst/gst.h>
#include <glib-unix.h>

#include "gstrvcsimeta.h"
#include "gstrvnodeevent.h"

#define DEFAULT_PIPELINE "rvcsisrc port=5005 stats-interval=5000000000 ! " \
  "queue ! rvtemporalhead ! rvclassify ! fakesink name=sink sync=false"

static gboolean failed;

static gboolean
on_message (GstBus * bus, GstMessage * msg, gpointer data)
{
  GMainLoop *loop = data;
  GError *err = NULL;
  gchar *dbg = NULL;

  (void) bus;
  switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_ELEMENT:{
      const GstStructure *s = gst_message_get_structure (msg);
      guint node = 0, antenna = 0;
      guint64 ts = 0, received = 0, accepted = 0, dropped = 0;
      gdouble conf = 0, score = 0, threshold = 0;
      gboolean motion = FALSE;

      if (gst_structure_has_name (s, "rvclassify")) {
        const gchar *prev = gst_structure_get_string (s, "previous-label");
        gst_structure_get (s, "node", G_TYPE_UINT, &node, "antenna",
            G_TYPE_UINT, &antenna, "confidence", G_TYPE_DOUBLE, &conf,
            "timestamp", G_TYPE_UINT64, &ts, NULL);
        g_print ("%10.3f s  node %3u/%u  %s -> %s  (confidence %.2f)\n",
            (double) ts / GST_SECOND, node, antenna, prev && *prev ? prev :
            "-", gst_structure_get_string (s, "label"), conf);
      } else if (gst_structure_has_name (s, "rvmotion")) {
        gst_structure_get (s, "node", G_TYPE_UINT, &node, "antenna",
            G_TYPE_UINT, &antenna, "motion", G_TYPE_BOOLEAN, &motion,
            "score", G_TYPE_DOUBLE, &score, "threshold", G_TYPE_DOUBLE,
            &threshold, "stream-time", G_TYPE_UINT64, &ts, NULL);
        g_print ("%10.3f s  node %3u/%u  %s  (score %.3g, threshold %.3g)\n",
            (double) ts / GST_SECOND, node, antenna, motion ? "moving" :
            "quiet", score, threshold);
      } else if (g_str_has_suffix (gst_structure_get_name (s), "-stats")) {
        gst_structure_get (s, "received", G_TYPE_UINT64, &received,
            "accepted", G_TYPE_UINT64, &accepted, "dropped", G_TYPE_UINT64,
            &dropped, NULL);
        g_print ("stats %s: received %" G_GUINT64_FORMAT ", accepted %"
            G_GUINT64_FORMAT ", dropped %" G_GUINT64_FORMAT "\n",
            GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)), received, accepted,
            dropped);
      }
      break;
    }
    case GST_MESSAGE_WARNING:
      gst_message_parse_warning (msg, &err, &dbg);
      g_printerr ("warning: %s (%s)\n", err->message, dbg ? dbg : "");
      break;
    case GST_MESSAGE_ERROR:
      gst_message_parse_error (msg, &err, &dbg);
      g_printerr ("ERROR from %s: %s\n  %s\n",
          GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)), err->message,
          dbg ? dbg : "");
      failed = TRUE;
      g_main_loop_quit (loop);
      break;
    case GST_MESSAGE_EOS:
      g_main_loop_quit (loop);
      break;
    default:
      break;
  }
  g_clear_error (&err);
  g_free (dbg);
  return G_SOURCE_CONTINUE;
}

/* Count buffers whose stream decision is set, straight from the metas. */
static GstPadProbeReturn
count_decisions (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  GstRvClassificationMeta *m =
      gst_rv_buffer_get_classification_meta (GST_PAD_PROBE_INFO_BUFFER (info));
  (void) pad;
  if (m && m->decision >= 0)
    (*(guint64 *) data)++;
  return GST_PAD_PROBE_OK;
}

/* Node presence straight from the stream: the rvcsi-node event. */
static GstPadProbeReturn
print_presence (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  guint node;
  gboolean online;
  GstClockTime t;

  (void) pad;
  (void) data;
  if (gst_rv_node_event_parse (GST_PAD_PROBE_INFO_EVENT (info), &node,
          &online, &t))
    g_print ("%10.3f s  node %3u  %s\n", GST_CLOCK_TIME_IS_VALID (t) ?
        (double) t / GST_SECOND : 0.0, node, online ? "back" : "offline");
  return GST_PAD_PROBE_OK;
}

static gboolean
on_sigint (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

int
main (int argc, char **argv)
{
  GError *err = NULL;
  GstElement *pipeline, *sink;
  GMainLoop *loop;
  GstBus *bus;
  guint64 decided = 0;

  GOptionContext *ctx = g_option_context_new ("[PIPELINE]");

  g_option_context_set_summary (ctx, "Runs an rvcsi pipeline (a "
      "gst-launch-1.0 description; default: \"" DEFAULT_PIPELINE "\") "
      "and prints its decision changes, statistics, node presence, warnings "
      "and errors. Name the sink \"sink\" to count decided buffers. The "
      "plugin must be on GST_PLUGIN_PATH.");
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    g_printerr ("rvcsi-events: %s (see rvcsi-events --help)\n",
        err->message);
    g_option_context_free (ctx);
    return 2;
  }
  g_option_context_free (ctx);
  if (argc > 2) {
    g_printerr ("rvcsi-events: give the pipeline as one argument (quote "
        "it); see rvcsi-events --help\n");
    return 2;
  }
  pipeline = gst_parse_launch (argc > 1 ? argv[1] : DEFAULT_PIPELINE, &err);
  if (!pipeline) {
    g_printerr ("cannot build pipeline: %s (is GST_PLUGIN_PATH set?)\n",
        err->message);
    return 1;
  }
  loop = g_main_loop_new (NULL, FALSE);
  bus = gst_element_get_bus (pipeline);
  gst_bus_add_watch (bus, on_message, loop);
  sink = GST_IS_BIN (pipeline) ?
      gst_bin_get_by_name (GST_BIN (pipeline), "sink") : NULL;
  if (sink) {
    GstPad *pad = gst_element_get_static_pad (sink, "sink");
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, count_decisions,
        &decided, NULL);
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
        print_presence, NULL, NULL);
    gst_object_unref (pad);
    gst_object_unref (sink);
  }
  g_unix_signal_add (SIGINT, on_sigint, loop);
  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE) {
    /* The element that failed said why on the bus. */
    GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    failed = TRUE;
    if (msg) {
      on_message (bus, msg, loop);
      gst_message_unref (msg);
    }
  } else {
    g_main_loop_run (loop);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_print ("%" G_GUINT64_FORMAT " buffers carried a decision\n", decided);
  gst_bus_remove_watch (bus);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
  g_main_loop_unref (loop);
  return failed ? 1 : 0;
}
