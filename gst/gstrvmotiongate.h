/*
 * gstrvmotiongate.h — how rvclassify keeps its decisions consistent with
 * rvtemporalhead's motion detector (GstRvMotionMeta).
 *
 * Class sets come from the model's labels, never from indices:
 *   presence  GST_RV_PRESENCE_LABELS: nobody moves (empty room, a person
 *             still, lying, or with apnea);
 *   other     GST_RV_STATUS_LABELS: statuses, not activities (never chosen
 *             by the gate);
 *   motion    every other label (walking, sit_down, stand_up, fall, the
 *             gestures, ...).
 *
 * The gate of one frame of stream (node, antenna):
 *   no motion meta for the stream (feature-state streams, antenna 255; a
 *     pipeline without the detector)          -> GST_RV_GATE_NONE
 *   detector not calibrated yet                -> GST_RV_GATE_PRESENCE
 *     (safest: no activity is claimed before the detector can confirm it)
 *   calibrated, quiet                          -> GST_RV_GATE_PRESENCE
 *   motion                                     -> GST_RV_GATE_MOTION
 * A model without at least one presence and one motion label is not gated.
 */
#ifndef GST_RV_MOTION_GATE_H
#define GST_RV_MOTION_GATE_H

#include <gst/gst.h>

#include "gstrvcsimeta.h"
#include "gstrvdecision.h"

G_BEGIN_DECLS

#define GST_RV_PRESENCE_LABELS "empty", "still", "lying", "apnea"
#define GST_RV_STATUS_LABELS "unknown", "offline"

/* Fills kinds[n] (GstRvClassKind) from the label quarks; TRUE when the
 * model can be gated (it has presence and motion labels). */
gboolean gst_rv_class_kinds_from_labels (const GQuark * labels, guint n,
    guint8 * kinds);

/* The gate for a frame whose stream has motion meta mm (NULL: none). */
GstRvGate gst_rv_motion_gate (const GstRvMotionMeta * mm);

G_END_DECLS
#endif /* GST_RV_MOTION_GATE_H */
