/*
 * gstrvdecision.c — time-based smoothing, hysteresis and motion gating of
 * one stream's class probabilities (see gstrvdecision.h).
 */
#include "gstrvdecision.h"

#include <math.h>

void
gst_rv_decision_init (GstRvDecision * d, guint n_classes)
{
  d->n_classes = n_classes;
  d->probs = g_new0 (gfloat, n_classes);
  d->presence = g_new0 (gfloat, n_classes);
  d->levels = g_new0 (gfloat, n_classes);
  gst_rv_decision_reset (d);
}

void
gst_rv_decision_reset (GstRvDecision * d)
{
  for (guint i = 0; i < d->n_classes; i++)
    d->probs[i] = d->presence[i] = d->levels[i] = 0.0f;
  d->have_probs = FALSE;
  d->presence_span = 0;
  d->decision = d->candidate = -1;
  d->held = 0;
  d->last_running = GST_CLOCK_TIME_NONE;
  d->context = 0;
}

void
gst_rv_decision_clear (GstRvDecision * d)
{
  g_clear_pointer (&d->probs, g_free);
  g_clear_pointer (&d->presence, g_free);
  g_clear_pointer (&d->levels, g_free);
}

/* Stream time this frame stands for. Timestamps that do not advance
 * (missing, a new segment, duplicates) count as an untimed frame rather
 * than as nothing, so such a stream is still smoothed and decided. */
static GstClockTime
frame_gap (GstRvDecision * d, GstClockTime running)
{
  GstClockTime gap = GST_RV_DECISION_UNTIMED_GAP;

  if (GST_CLOCK_TIME_IS_VALID (running)) {
    if (GST_CLOCK_TIME_IS_VALID (d->last_running) && running > d->last_running)
      gap = running - d->last_running;
    d->last_running = running;
  }
  return gap;
}

static gfloat
ema_weight (GstClockTime gap, GstClockTime tau)
{
  return tau > 0 ? (gfloat) - expm1 (-(gdouble) gap / (gdouble) tau) : 1.0f;
}

static gboolean
allowed (const guint8 * kinds, GstRvGate gate, gint c)
{
  if (gate == GST_RV_GATE_PRESENCE)
    return kinds[c] == GST_RV_CLASS_PRESENCE;
  if (gate == GST_RV_GATE_MOTION)
    return kinds[c] == GST_RV_CLASS_MOTION;
  return TRUE;
}

/* The presence classes' average over the current gated stretch: each
 * frame's presence probabilities renormalised, a plain mean while the
 * stretch is shorter than the time constant (so its start is not one
 * frame's word), then exponential. */
static void
update_presence (GstRvDecision * d, const GstRvDecisionParams * params,
    const gfloat * probs, const guint8 * kinds, GstClockTime gap)
{
  gfloat q = 0.0f, w;

  for (guint i = 0; i < d->n_classes; i++)
    if (kinds[i] == GST_RV_CLASS_PRESENCE)
      q += probs[i];
  if (q <= 0.0f)
    return;
  w = d->presence_span ? ema_weight (gap, params->presence_smoothing_time) :
      1.0f;
  w = MAX (w, (gfloat) ((gdouble) gap / (gdouble) (d->presence_span + gap)));
  for (guint i = 0; i < d->n_classes; i++)
    if (kinds[i] == GST_RV_CLASS_PRESENCE)
      d->presence[i] += w * (probs[i] / q - d->presence[i]);
  d->presence_span += gap;
}

/* levels: what the decision is taken on under this gate. */
static void
gate_levels (GstRvDecision * d, const guint8 * kinds, GstRvGate gate)
{
  gfloat sum = 0.0f;

  for (guint i = 0; i < d->n_classes; i++) {
    if (!allowed (kinds, gate, (gint) i))
      d->levels[i] = 0.0f;
    else
      d->levels[i] = gate == GST_RV_GATE_PRESENCE ? d->presence[i] :
          d->probs[i];
    sum += d->levels[i];
  }
  if (gate != GST_RV_GATE_NONE && sum > 0.0f)
    for (guint i = 0; i < d->n_classes; i++)
      d->levels[i] /= sum;
}

gboolean
gst_rv_decision_update (GstRvDecision * d, const GstRvDecisionParams * params,
    const gfloat * probs, const guint8 * kinds, GstRvGate gate,
    GstClockTime running, gint * previous)
{
  GstClockTime gap = frame_gap (d, running);
  GstClockTime hold = params->hold_time;
  gfloat weight = d->have_probs ? ema_weight (gap, params->smoothing_time) :
      1.0f;
  gint best = -1;

  if (!kinds)
    gate = GST_RV_GATE_NONE;
  for (guint i = 0; i < d->n_classes; i++)
    d->probs[i] += weight * (probs[i] - d->probs[i]);
  if (d->have_probs)
    d->context = d->context + gap < d->context ? GST_CLOCK_TIME_NONE - 1 :
        d->context + gap;
  d->have_probs = TRUE;
  if (gate == GST_RV_GATE_PRESENCE)
    update_presence (d, params, probs, kinds, gap);
  else
    d->presence_span = 0;
  gate_levels (d, kinds, gate);
  for (guint i = 0; i < d->n_classes; i++)
    if (allowed (kinds, gate, (gint) i) && (best < 0 ||
            d->levels[i] > d->levels[best]))
      best = (gint) i;
  if (best < 0)
    return FALSE;

  /* The gate no longer allows the decision: replace it now. */
  if (d->decision >= 0 && d->decision != best &&
      !allowed (kinds, gate, d->decision)) {
    *previous = d->decision;
    d->decision = d->candidate = best;
    d->held = 0;
    return TRUE;
  }
  if (best == d->decision) {
    d->candidate = best;
    d->held = 0;
    return FALSE;
  }
  if (best != d->candidate) {
    d->candidate = best;
    d->held = 0;
  }
  if (gate == GST_RV_GATE_PRESENCE && d->decision >= 0 &&
      kinds[d->decision] == GST_RV_CLASS_PRESENCE)
    hold = params->presence_hold_time;
  d->held = d->held + gap < d->held ? GST_CLOCK_TIME_NONE - 1 : d->held + gap;
  if (d->held < hold || d->context < params->min_context ||
      d->levels[best] < params->min_confidence)
    return FALSE;
  *previous = d->decision;
  d->decision = best;
  d->held = 0;
  return TRUE;
}
