/*
 * rvfallscore.h — rvroomeval's fall events scored against rvsim's truth
 * (docs/rooms.md, "Measured").
 *
 * A fall (a `fall` line of the label file, any person) is caught when an
 * rvfall alarm that was not cancelled, with its onset within 2 s of the
 * true onset, is raised within 10 s of it. A fall the person starts to get
 * up from within 2 s of the impact (`fall_recover`, or a random timeline
 * that stands up at once) is a recovered fall: the rule is not meant to
 * alarm on it (an alarm on it is cancelled or not raised), so it is
 * counted apart, neither caught nor false. Every other alarm not
 * cancelled is a false alarm, charged to the room's true activity and
 * scripted action at its onset. Non-fall hours are the room truth's spans
 * outside fall episodes.
 */
#ifndef RV_FALL_SCORE_H
#define RV_FALL_SCORE_H

#include <gst/gst.h>
#include <stdio.h>

#include "rvsim.h"
#include "rvsim_labels.h"

/* An rvfall (and its rvfall-cancel) as rvroomeval saw it, in seconds of
 * simulated time. */
typedef struct {
  double onset_s, alarm_s;
  gboolean cancelled;
} GstRvFallAlarm;

typedef struct {
  guint falls, caught, cancels, recovered, recovered_alarmed, false_alarms;
  GArray *delays;               /* double, s, of the caught falls */
  double act_h[RVSIM_N_ACTIVITIES];
  guint fa_act[RVSIM_N_ACTIVITIES];
  double action_h[RVSIM_N_ACTIONS];
  guint episodes[RVSIM_N_ACTIONS], fa_action[RVSIM_N_ACTIONS];
} GstRvFallScore;

void gst_rv_fall_score_init (GstRvFallScore * s);
void gst_rv_fall_score_clear (GstRvFallScore * s);
/* Scores one session's alarms (GstRvFallAlarm) against its labels; adds
 * to s and returns that session's falls, caught falls and false alarms. */
void gst_rv_fall_score_session (GstRvFallScore * s, const rvsim_labels * l,
    GArray * alarms, guint * falls, guint * caught, guint * false_alarms);
double gst_rv_fall_score_non_fall_hours (const GstRvFallScore * s);
/* The totals, false alarms per hour per activity and per scripted action. */
void gst_rv_fall_score_print (const GstRvFallScore * s, FILE * out);

#endif /* RV_FALL_SCORE_H */
