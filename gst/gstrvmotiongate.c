/* gstrvmotiongate.c — class sets and the motion gate (gstrvmotiongate.h). */
#include "gstrvmotiongate.h"

static gboolean
label_in (const gchar * label, const gchar * const *set)
{
  for (; *set; set++)
    if (g_str_equal (label, *set))
      return TRUE;
  return FALSE;
}

gboolean
gst_rv_class_kinds_from_labels (const GQuark * labels, guint n, guint8 * kinds)
{
  static const gchar *const presence[] = { GST_RV_PRESENCE_LABELS, NULL };
  static const gchar *const status[] = { GST_RV_STATUS_LABELS, NULL };
  guint n_presence = 0, n_motion = 0;

  for (guint i = 0; i < n; i++) {
    const gchar *label = g_quark_to_string (labels[i]);
    if (label_in (label, presence)) {
      kinds[i] = GST_RV_CLASS_PRESENCE;
      n_presence++;
    } else if (label_in (label, status)) {
      kinds[i] = GST_RV_CLASS_OTHER;
    } else {
      kinds[i] = GST_RV_CLASS_MOTION;
      n_motion++;
    }
  }
  return n_presence > 0 && n_motion > 0;
}

GstRvGate
gst_rv_motion_gate (const GstRvMotionMeta * mm)
{
  if (!mm)
    return GST_RV_GATE_NONE;
  return mm->calibrated && mm->motion ? GST_RV_GATE_MOTION :
      GST_RV_GATE_PRESENCE;
}
