/*
 * rvclsbuffer.h — a buffer as rvclassify sends it (GstRvClassificationMeta
 * with a decision), for driving rvmqttsink from tests and rvmqttbench
 * without a model. Header-only; needs the rvcsi plugin loaded (the meta is
 * looked up by name).
 */
#ifndef RV_CLS_BUFFER_H
#define RV_CLS_BUFFER_H

#include <gst/gst.h>
#include "gstrvcsimeta.h"

/* n labels; decision indexes them (-1 = none yet). */
static inline GstBuffer *
rv_cls_buffer_new (guint8 node, guint8 antenna, const GQuark * labels,
    gsize n, gint decision, gfloat confidence, GstClockTime pts)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, 4, NULL);
  const GstMetaInfo *info = gst_meta_get_info ("GstRvClassificationMeta");
  GstRvClassificationMeta *m;
  gsize i;

  g_return_val_if_fail (info != NULL, buf);
  gst_buffer_memset (buf, 0, 0, 4);
  GST_BUFFER_PTS (buf) = pts;
  m = (GstRvClassificationMeta *) gst_buffer_add_meta (buf, info, NULL);
  m->length = n;
  m->class_quarks = g_new0 (GQuark, n);
  m->confidence_levels = g_new0 (gfloat, n);
  m->model_levels = g_new0 (gfloat, n);
  for (i = 0; i < n; i++) {
    m->class_quarks[i] = labels[i];
    m->confidence_levels[i] = (gint) i == decision ? confidence :
        (1.0f - confidence) / (gfloat) (n > 1 ? n - 1 : 1);
    m->model_levels[i] = m->confidence_levels[i];
  }
  m->node_id = node;
  m->antenna = antenna;
  m->decision = decision;
  m->decision_confidence = confidence;
  m->decision_changed = TRUE;
  return buf;
}

/* Adds the motion meta rvtemporalhead attaches to a raw CSI stream. */
static inline void
rv_cls_buffer_add_motion (GstBuffer * buf, guint8 node, guint8 antenna,
    gboolean calibrated, gboolean motion, gfloat score)
{
  const GstMetaInfo *info = gst_meta_get_info ("GstRvMotionMeta");
  GstRvMotionMeta *m;

  g_return_if_fail (info != NULL);
  m = (GstRvMotionMeta *) gst_buffer_add_meta (buf, info, NULL);
  m->node_id = node;
  m->antenna = antenna;
  m->calibrated = calibrated;
  m->motion = motion;
  m->score = score;
  m->threshold = 1.0f;
}

#endif
