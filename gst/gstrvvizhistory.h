/*
 * gstrvvizhistory.h — rvcsiviz's per-node history: what each node did in
 * every output frame of the last `history-time`, one column per frame.
 *
 * The element feeds a node's packets into its accumulators (amplitudes,
 * packet and loss counts) and latest state (motion, decision, embedding),
 * then closes one column per rendered frame. Drawing reads the columns
 * newest first. No drawing and no GStreamer types here, only GLib.
 */
#ifndef GST_RV_VIZ_HISTORY_H
#define GST_RV_VIZ_HISTORY_H

#include <glib.h>

#include "rv_wire.h"

G_BEGIN_DECLS

/* Waterfall rows: subcarriers are averaged into this many bins. */
#define GST_RV_VIZ_BINS 64
/* Doppler spectrogram: the power spectrum of the node's mean CSI amplitude
 * over its last WINDOW packets, frequencies 1..BINS of WINDOW (0 Hz left
 * out), i.e. up to half the packet rate. */
#define GST_RV_VIZ_DOPPLER_WINDOW 64
#define GST_RV_VIZ_DOPPLER_BINS (GST_RV_VIZ_DOPPLER_WINDOW / 2)
/* Embedding dimensions kept for the card's embedding strip. */
#define GST_RV_VIZ_EMB_DIMS 64

typedef struct
{
  gfloat amp[GST_RV_VIZ_BINS];  /* mean |CSI| per bin over the frame */
  gboolean has_amp;
  gfloat doppler[GST_RV_VIZ_DOPPLER_BINS];  /* log10 power per frequency */
  gboolean has_doppler;
  gboolean has_motion, motion;
  gfloat motion_score, motion_threshold;
  GQuark label;                 /* 0: no decision */
  gfloat confidence;
  guint16 packets, lost;
  gboolean online;
} GstRvVizColumn;

typedef struct
{
  guint8 node_id;
  gboolean online;
  /* the stream shown: the node's lowest antenna seen (255 = feature-state
   * stream), so a node with several streams does not flicker between them */
  guint8 antenna;

  /* latest state, kept across frames */
  gboolean has_motion, motion, motion_calibrated;
  gfloat motion_score, motion_threshold;
  GQuark label;
  gfloat confidence;
  gboolean gated;
  guint n_emb;
  gfloat emb[GST_RV_VIZ_EMB_DIMS];
  guint64 emb_step;
  guint n_subcarriers;          /* of the latest raw CSI frame, 0 = none */
  gint rssi;

  /* mean amplitude of the last packets, for the Doppler spectrum */
  gfloat dop_in[GST_RV_VIZ_DOPPLER_WINDOW];
  guint dop_head, dop_n;

  /* accumulated since the last column */
  gfloat amp_acc[GST_RV_VIZ_BINS];
  guint amp_n;
  guint packets, lost;
  guint64 total_packets, total_lost;

  /* column ring, `filled` valid, newest at head - 1 */
  GstRvVizColumn *cols;
  guint n_cols, head, filled;
} GstRvVizNode;

GstRvVizNode *gst_rv_viz_node_new (guint8 node_id, guint n_cols);
void gst_rv_viz_node_free (GstRvVizNode * n);
/* Drops the columns and resizes the ring (new framerate or history time). */
void gst_rv_viz_node_resize (GstRvVizNode * n, guint n_cols);

/* One packet of this node; seq_gap packets were lost before it. */
void gst_rv_viz_node_add_packet (GstRvVizNode * n, guint seq_gap);
/* A decoded raw CSI frame: amplitudes of antenna 0, binned. */
void gst_rv_viz_node_add_csi (GstRvVizNode * n, const rv_csi_frame * f);
void gst_rv_viz_node_set_embedding (GstRvVizNode * n, const gfloat * data,
    guint dims, guint64 step);
/* Closes the frame: appends one column from the accumulators. */
void gst_rv_viz_node_commit (GstRvVizNode * n);

/* Column `age` frames back (0 = newest), NULL past the filled part. */
const GstRvVizColumn *gst_rv_viz_node_column (const GstRvVizNode * n,
    guint age);
/* Packets per second and lost fraction over the last `n_frames` columns
 * at `fps` frames per second. */
void gst_rv_viz_node_rate (const GstRvVizNode * n, guint n_frames, gdouble fps,
    gdouble * pkt_per_s, gdouble * loss);

G_END_DECLS
#endif
