/* gstrvvizhistory.c — per-node history rings of rvcsiviz (see the header). */
#include "gstrvvizhistory.h"

#include <math.h>
#include <string.h>

GstRvVizNode *
gst_rv_viz_node_new (guint8 node_id, guint n_cols)
{
  GstRvVizNode *n = g_new0 (GstRvVizNode, 1);

  n->node_id = node_id;
  n->online = TRUE;
  n->antenna = G_MAXUINT8;
  gst_rv_viz_node_resize (n, n_cols);
  return n;
}

void
gst_rv_viz_node_free (GstRvVizNode * n)
{
  if (!n)
    return;
  g_free (n->cols);
  g_free (n);
}

void
gst_rv_viz_node_resize (GstRvVizNode * n, guint n_cols)
{
  g_free (n->cols);
  n->n_cols = MAX (n_cols, 1);
  n->cols = g_new0 (GstRvVizColumn, n->n_cols);
  n->head = n->filled = 0;
}

void
gst_rv_viz_node_add_packet (GstRvVizNode * n, guint seq_gap)
{
  n->packets++;
  n->total_packets++;
  /* A gap this large is a reboot or a reordering, not loss the card can
   * show as a percentage. */
  if (seq_gap < 1000) {
    n->lost += seq_gap;
    n->total_lost += seq_gap;
  }
}

void
gst_rv_viz_node_add_csi (GstRvVizNode * n, const rv_csi_frame * f)
{
  guint ns = f->n_subcarriers, b;
  gfloat mean = 0.0f;

  if (ns == 0 || f->n_antennas == 0 || f->iq == NULL)
    return;
  n->n_subcarriers = ns;
  n->rssi = f->rssi;
  /* Antenna 0, subcarrier s into bin s * BINS / ns: every bin gets the mean
   * of its subcarriers (fewer subcarriers than bins repeat them). */
  for (b = 0; b < GST_RV_VIZ_BINS; b++) {
    guint s0 = b * ns / GST_RV_VIZ_BINS;
    guint s1 = MAX ((b + 1) * ns / GST_RV_VIZ_BINS, s0 + 1);
    gfloat sum = 0.0f;
    guint s;

    for (s = s0; s < s1 && s < ns; s++) {
      gfloat im = f->iq[2 * s], re = f->iq[2 * s + 1];
      sum += sqrtf (re * re + im * im);
    }
    n->amp_acc[b] += sum / (gfloat) (s1 - s0);
    mean += sum / (gfloat) (s1 - s0);
  }
  n->amp_n++;
  n->dop_in[n->dop_head] = mean / GST_RV_VIZ_BINS;
  n->dop_head = (n->dop_head + 1) % GST_RV_VIZ_DOPPLER_WINDOW;
  if (n->dop_n < GST_RV_VIZ_DOPPLER_WINDOW)
    n->dop_n++;
}

/* Power spectrum of the last WINDOW mean amplitudes: mean removed, Hann
 * window, one DFT bin per output bin (64 x 32 products per frame). */
static void
doppler_spectrum (const GstRvVizNode * n, gfloat * out)
{
  const guint w = GST_RV_VIZ_DOPPLER_WINDOW;
  gfloat x[GST_RV_VIZ_DOPPLER_WINDOW], mean = 0.0f;
  guint i, k;

  for (i = 0; i < w; i++) {
    x[i] = n->dop_in[(n->dop_head + i) % w];
    mean += x[i];
  }
  gfloat c[GST_RV_VIZ_DOPPLER_WINDOW], sn[GST_RV_VIZ_DOPPLER_WINDOW];

  mean /= (gfloat) w;
  for (i = 0; i < w; i++) {
    c[i] = cosf (2.0f * (gfloat) G_PI * (gfloat) i / (gfloat) w);
    sn[i] = sinf (2.0f * (gfloat) G_PI * (gfloat) i / (gfloat) w);
    x[i] = (x[i] - mean) * (0.5f - 0.5f * c[i]);
  }
  for (k = 1; k <= GST_RV_VIZ_DOPPLER_BINS; k++) {
    gfloat re = 0.0f, im = 0.0f;
    for (i = 0; i < w; i++) {
      re += x[i] * c[k * i % w];
      im -= x[i] * sn[k * i % w];
    }
    out[k - 1] = log10f (re * re + im * im + 1e-6f);
  }
}

void
gst_rv_viz_node_set_embedding (GstRvVizNode * n, const gfloat * data,
    guint dims, guint64 step)
{
  n->n_emb = MIN (dims, GST_RV_VIZ_EMB_DIMS);
  if (data && n->n_emb)
    memcpy (n->emb, data, n->n_emb * sizeof (gfloat));
  n->emb_step = step;
}

void
gst_rv_viz_node_commit (GstRvVizNode * n)
{
  GstRvVizColumn *c = &n->cols[n->head];
  guint b;

  memset (c, 0, sizeof *c);
  if (n->amp_n) {
    for (b = 0; b < GST_RV_VIZ_BINS; b++)
      c->amp[b] = n->amp_acc[b] / (gfloat) n->amp_n;
    c->has_amp = TRUE;
    /* a full window of packets, and a new one in this frame */
    if (n->dop_n == GST_RV_VIZ_DOPPLER_WINDOW) {
      doppler_spectrum (n, c->doppler);
      c->has_doppler = TRUE;
    }
  }
  c->has_motion = n->has_motion;
  c->motion = n->motion;
  c->motion_score = n->motion_score;
  c->motion_threshold = n->motion_threshold;
  c->label = n->label;
  c->confidence = n->confidence;
  c->packets = (guint16) MIN (n->packets, G_MAXUINT16);
  c->lost = (guint16) MIN (n->lost, G_MAXUINT16);
  c->online = n->online;

  memset (n->amp_acc, 0, sizeof n->amp_acc);
  n->amp_n = 0;
  n->packets = n->lost = 0;
  n->head = (n->head + 1) % n->n_cols;
  if (n->filled < n->n_cols)
    n->filled++;
}

const GstRvVizColumn *
gst_rv_viz_node_column (const GstRvVizNode * n, guint age)
{
  if (age >= n->filled)
    return NULL;
  return &n->cols[(n->head + n->n_cols - 1 - age) % n->n_cols];
}

void
gst_rv_viz_node_rate (const GstRvVizNode * n, guint n_frames, gdouble fps,
    gdouble * pkt_per_s, gdouble * loss)
{
  guint64 pk = 0, lo = 0;
  guint i, k = MIN (n_frames, n->filled);

  for (i = 0; i < k; i++) {
    const GstRvVizColumn *c = gst_rv_viz_node_column (n, i);
    pk += c->packets;
    lo += c->lost;
  }
  *pkt_per_s = k ? (gdouble) pk * fps / k : 0.0;
  *loss = (pk + lo) ? (gdouble) lo / (gdouble) (pk + lo) : 0.0;
}
