/*
 * gstrvdecision.h — one stream's decision in rvclassify: an exponential
 * average of class probabilities and a hysteresis over it, both measured in
 * stream time so a setting means the same at 100 Hz CSI and at 5 Hz
 * feature-state packets, and the motion gate.
 *
 * Each frame stands for the stream time since the stream's previous frame
 * (its gap); a stream's first frame, and a frame without a usable
 * timestamp, stands for GST_RV_DECISION_UNTIMED_GAP. A frame's weight in the
 * average is 1 - exp(-gap / smoothing_time). A label that is not the
 * decision becomes it once it has been the average's top class, with at
 * least min_confidence, on consecutive frames whose gaps add up to
 * hold_time. No decision is made before the stream has run min_context of
 * stream time (the gaps since its first frame add up to it): a cold
 * context gives confident nonsense.
 *
 * Motion gate (gstrvmotiongate.h says which gate a frame gets): classes are
 * presence or motion classes. Under GST_RV_GATE_PRESENCE only presence
 * classes can be decided, on their own average (presence_smoothing_time,
 * restarted at the start of each gated stretch and a plain mean until it
 * spans that long), and one presence class replaces another only after
 * leading for presence_hold_time: a quiet room keeps one decision. Under
 * GST_RV_GATE_MOTION only motion classes can be decided. Probabilities
 * are renormalised over the allowed classes. A decision the gate no longer
 * allows is replaced at once by the best allowed class: decisions never
 * contradict the motion detector. Not thread-safe.
 */
#ifndef GST_RV_DECISION_H
#define GST_RV_DECISION_H

#include <gst/gst.h>

G_BEGIN_DECLS

/* One 100 Hz CSI frame: what a frame with no known gap counts for. */
#define GST_RV_DECISION_UNTIMED_GAP (10 * GST_MSECOND)

typedef enum {
  GST_RV_CLASS_OTHER = 0,       /* neither (a status label): never gated in */
  GST_RV_CLASS_PRESENCE,        /* nobody moves: empty, still, ... */
  GST_RV_CLASS_MOTION,          /* somebody moves: walking, gestures, ... */
} GstRvClassKind;

typedef enum {
  GST_RV_GATE_NONE = 0,         /* every class can be decided */
  GST_RV_GATE_PRESENCE,         /* only presence classes */
  GST_RV_GATE_MOTION,           /* only motion classes */
} GstRvGate;

typedef struct {
  GstClockTime smoothing_time;  /* 0: each frame alone */
  GstClockTime hold_time;       /* 0: change on the first leading frame */
  gdouble min_confidence;
  GstClockTime min_context;     /* 0: decide from the first frame */
  GstClockTime presence_smoothing_time; /* 0: each frame alone */
  GstClockTime presence_hold_time;
} GstRvDecisionParams;

typedef struct {
  guint n_classes;
  gfloat *probs;                /* smoothed model probabilities, n_classes */
  gfloat *presence;             /* presence classes' average (gated stretch) */
  gfloat *levels;               /* what the decision is taken on: probs, or
                                 * the gated, renormalised levels */
  gboolean have_probs;
  GstClockTime presence_span;   /* stream time in presence; 0: restart */
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
 * running time `running` (GST_CLOCK_TIME_NONE if unknown), under `gate`
 * with the classes' kinds (GstRvClassKind per class; may be NULL with
 * GST_RV_GATE_NONE). Returns TRUE if the decision changed; the previous
 * one is then in *previous. */
gboolean gst_rv_decision_update (GstRvDecision * d,
    const GstRvDecisionParams * params, const gfloat * probs,
    const guint8 * kinds, GstRvGate gate, GstClockTime running,
    gint * previous);

G_END_DECLS

#endif /* GST_RV_DECISION_H */
