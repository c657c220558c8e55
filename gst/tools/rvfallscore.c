/* rvfallscore.c — fall events against rvsim's truth (rvfallscore.h). */
#include "rvfallscore.h"

#include <math.h>

#define CATCH_S 10.0
#define ONSET_SLACK_S 2.0
/* Up again this soon after the impact: a recovered fall (fall_recover
 * gets up 0.5-2 s after it). */
#define RECOVER_S 2.0

void
gst_rv_fall_score_init (GstRvFallScore * s)
{
  memset (s, 0, sizeof *s);
  s->delays = g_array_new (FALSE, FALSE, sizeof (double));
}

void
gst_rv_fall_score_clear (GstRvFallScore * s)
{
  g_array_free (s->delays, TRUE);
  s->delays = NULL;
}

static gboolean
in_fall_episode (const rvsim_label_room * rm)
{
  return rm->activity == RVSIM_ACT_FALL || rm->action == RVSIM_ACTION_FALL
      || rm->action == RVSIM_ACTION_FALL_RECOVER;
}

/* The first unmatched alarm with its onset near the fall's, or NULL;
 * cancelled ones only when want_cancelled. */
static GstRvFallAlarm *
match (GArray * alarms, gboolean * used, const rvsim_label_fall * f,
    gboolean want_cancelled)
{
  for (guint j = 0; j < alarms->len; j++) {
    GstRvFallAlarm *a = &g_array_index (alarms, GstRvFallAlarm, j);
    if (!used[j] && (want_cancelled || !a->cancelled) &&
        fabs (a->onset_s - f->onset) <= ONSET_SLACK_S) {
      used[j] = TRUE;
      return a;
    }
  }
  return NULL;
}

void
gst_rv_fall_score_session (GstRvFallScore * s, const rvsim_labels * l,
    GArray * alarms, guint * falls, guint * caught, guint * false_alarms)
{
  gboolean *used = g_new0 (gboolean, alarms->len + 1);
  int prev_action = RVSIM_ACTION_NONE;

  *falls = *caught = *false_alarms = 0;
  for (size_t i = 0; i < l->n_falls; i++) {
    const rvsim_label_fall *f = &l->falls[i];
    GstRvFallAlarm *a;

    if (f->action == RVSIM_ACTION_FALL_RECOVER || f->up - f->impact < RECOVER_S) {
      s->recovered++;
      if ((a = match (alarms, used, f, TRUE)) && !a->cancelled)
        s->recovered_alarmed++;
      continue;
    }
    (*falls)++;
    a = match (alarms, used, f, FALSE);
    if (a && a->alarm_s - f->onset <= CATCH_S) {
      double d = a->alarm_s - f->onset;
      (*caught)++;
      g_array_append_val (s->delays, d);
    } else if (!a) {
      match (alarms, used, f, TRUE);    /* raised, then cancelled */
    }
  }
  for (guint j = 0; j < alarms->len; j++) {
    const GstRvFallAlarm *a = &g_array_index (alarms, GstRvFallAlarm, j);
    const rvsim_label_room *rm;
    s->cancels += a->cancelled;
    if (used[j] || a->cancelled)
      continue;
    (*false_alarms)++;
    rm = rvsim_labels_room_at (l, a->onset_s);
    if (rm && rm->activity >= 0)
      s->fa_act[rm->activity]++;
    if (rm && rm->action >= 0)
      s->fa_action[rm->action]++;
  }
  for (size_t i = 0; i < l->n_room; i++) {
    const rvsim_label_room *rm = &l->room[i];
    double h = (rm->end - rm->start) / 3600.0;
    if (rm->action >= 0 && rm->action != prev_action &&
        rm->action != RVSIM_ACTION_NONE)
      s->episodes[rm->action]++;
    prev_action = rm->action;
    if (in_fall_episode (rm))
      continue;
    if (rm->activity >= 0)
      s->act_h[rm->activity] += h;
    if (rm->action >= 0)
      s->action_h[rm->action] += h;
  }
  s->falls += *falls;
  s->caught += *caught;
  s->false_alarms += *false_alarms;
  g_free (used);
}

double
gst_rv_fall_score_non_fall_hours (const GstRvFallScore * s)
{
  double h = 0.0;
  for (int a = 0; a < RVSIM_N_ACTIVITIES; a++)
    h += s->act_h[a];
  return h;
}

static int
cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

void
gst_rv_fall_score_print (const GstRvFallScore * s, FILE * out)
{
  double h = gst_rv_fall_score_non_fall_hours (s);
  gboolean scripted = FALSE;

  g_array_sort (s->delays, cmp_double);
  fprintf (out, "falls caught in 10 s    %u of %u (%.1f %%), median delay "
      "%.2f s, %u alarms cancelled\n", s->caught, s->falls, s->falls ?
      100.0 * s->caught / s->falls : 0.0, s->delays->len ?
      g_array_index (s->delays, double, s->delays->len / 2) : NAN, s->cancels);
  fprintf (out, "recovered falls         %u (up within %.0f s of impact), "
      "%u with an alarm left standing\n", s->recovered, RECOVER_S,
      s->recovered_alarmed);
  fprintf (out, "false alarms            %u in %.2f h of non-fall activity "
      "(%.3f per hour)\n", s->false_alarms, h, h > 0 ? s->false_alarms / h :
      0.0);
  fprintf (out, "%-12s %8s %6s %8s\n", "activity", "hours", "FA", "FA/h");
  for (int a = 0; a < RVSIM_N_ACTIVITIES; a++)
    if (s->act_h[a] > 0)
      fprintf (out, "%-12s %8.3f %6u %8.2f\n", rvsim_activity_name (a),
          s->act_h[a], s->fa_act[a], s->fa_act[a] / s->act_h[a]);
  for (int a = 1; a < RVSIM_N_ACTIONS; a++)
    scripted |= s->episodes[a] > 0;
  if (!scripted)
    return;
  /* Scripted actions: an alarm is charged to the action at its onset; per
   * episode is the figure for short ones (a fast sit lasts under 1 s). */
  fprintf (out, "%-12s %8s %8s %6s %8s\n", "action", "episodes", "hours",
      "FA", "FA/h");
  for (int a = 0; a < RVSIM_N_ACTIONS; a++)
    if (s->action_h[a] > 0)
      fprintf (out, "%-12s %8u %8.3f %6u %8.2f\n", a ? rvsim_action_name (a)
          : "(ordinary)", s->episodes[a], s->action_h[a], s->fa_action[a],
          s->fa_action[a] / s->action_h[a]);
}
