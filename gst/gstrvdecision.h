/*
 * gstrvdecision.h — one stream's decision in rvclassify: an exponential
 * average of class probabilities and a hysteresis over it, both measured in
 * stream time so a setting means the same at 100 Hz CSI and at 5 Hz
 * feature-state packets.
 *
 * Each frame stands for the stream time since the stream's previous frame
 * (its gap); a stream's first frame, and a frame without a usable
 * timestamp, stands for GST_RV_DECISION_UNTIMED_GAP. A frame's weight in the
 * average is 1 - exp(-gap / smoothing_time). A label that is not the
 * decision becomes it once it has been the average's top class, with at
 * least min_confidence, on consecutive frames whose gaps add up to
 * hold_time. No decision is made before the stream has run min_context of
 * stream time (the gaps since its first frame add up to it): a cold
 * context gives confident nonsense. Not thread-safe.
 */
#ifndef GST_RV_DECISION_H
#define GST_RV_DECISION_H

#include <gst/gst.h>

G_BEGIN_DECLS

/* One 100 Hz CSI frame: what a frame with no known gap counts for. */
#define GST_RV_DECISION_UNTIMED_GAP (10 * GST_MSECOND)

typedef struct {
  GstClockTime smoothing_time;  /* 0: each frame alone */
  GstClockTime hold_time;       /* 0: change on the first leading frame */
  gdouble min_confidence;
  GstClockTime min_context;     /* 0: decide from the first frame */
} GstRvDecisionParams;

typedef struct {
  guint n_classes;
  gfloat *probs;                /* smoothed, n_classes */
  gboolean have_probs;
  gint decision;                /* -1 until the first decision */
  gint candidate;               /* top class of the average, -1 at start */
  GstClockTime held;            /* stream time the candidate has led */
  GstClockTime last_running;    /* running time of the previous frame */
  GstClockTime context;         /* stream time since the first frame */
} GstRvDecision;

void gst_rv_decision_init (GstRvDecision * d, guint n_classes);
void gst_rv_decision_clear (GstRvDecision * d);
/* Back to the state after init: no probabilities, no decision, no context. */
void gst_rv_decision_reset (GstRvDecision * d);

/* Feeds one frame's class probabilities (n_classes, summing to 1) at
 * running time `running` (GST_CLOCK_TIME_NONE if unknown). Returns TRUE if
 * the decision changed; the previous one is then in *previous. */
gboolean gst_rv_decision_update (GstRvDecision * d, const GstRvDecisionParams * params,
    const gfloat * probs, GstClockTime running, gint * previous);

G_END_DECLS

#endif /* GST_RV_DECISION_H */
