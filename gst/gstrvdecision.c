/*
 * gstrvdecision.c — time-based smoothing and hysteresis of one stream's
 * class probabilities (see gstrvdecision.h).
 */
#include "gstrvdecision.h"

#include <math.h>

void
gst_rv_decision_init (GstRvDecision * d, guint n_classes)
{
  d->n_classes = n_classes;
  d->probs = g_new0 (gfloat, n_classes);
  gst_rv_decision_reset (d);
}

void
gst_rv_decision_reset (GstRvDecision * d)
{
  for (guint i = 0; i < d->n_classes; i++)
    d->probs[i] = 0.0f;
  d->have_probs = FALSE;
  d->decision = d->candidate = -1;
  d->held = 0;
  d->last_running = GST_CLOCK_TIME_NONE;
  d->context = 0;
}

void
gst_rv_decision_clear (GstRvDecision * d)
{
  g_clear_pointer (&d->probs, g_free);
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

gboolean
gst_rv_decision_update (GstRvDecision * d, const GstRvDecisionParams * params,
    const gfloat * probs, GstClockTime running, gint * previous)
{
  GstClockTime gap = frame_gap (d, running);
  gfloat weight = 1.0f;
  gint best = 0;

  if (d->have_probs && params->smoothing_time > 0)
    weight = (gfloat) - expm1 (-(gdouble) gap /
        (gdouble) params->smoothing_time);
  for (guint i = 0; i < d->n_classes; i++) {
    d->probs[i] += weight * (probs[i] - d->probs[i]);
    if (d->probs[i] > d->probs[best])
      best = (gint) i;
  }
  if (d->have_probs)
    d->context = d->context + gap < d->context ? GST_CLOCK_TIME_NONE - 1 :
        d->context + gap;
  d->have_probs = TRUE;

  if (best == d->decision) {
    d->candidate = best;
    d->held = 0;
    return FALSE;
  }
  if (best != d->candidate) {
    d->candidate = best;
    d->held = 0;
  }
  d->held = d->held + gap < d->held ? GST_CLOCK_TIME_NONE - 1 : d->held + gap;
  if (d->held < params->hold_time || d->context < params->min_context ||
      d->probs[best] < params->min_confidence)
    return FALSE;
  *previous = d->decision;
  d->decision = best;
  d->held = 0;
  return TRUE;
}
