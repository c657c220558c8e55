/* gstrvtemporalhead.h — rvtemporalhead: per-stream streaming backbone step. */
#ifndef GST_RV_TEMPORAL_HEAD_H
#define GST_RV_TEMPORAL_HEAD_H

#include <gst/gst.h>
#include "gstrvstreamfilter.h"

G_BEGIN_DECLS

#define GST_TYPE_RV_TEMPORAL_HEAD (gst_rv_temporal_head_get_type ())
G_DECLARE_FINAL_TYPE (GstRvTemporalHead, gst_rv_temporal_head, GST,
    RV_TEMPORAL_HEAD, GstRvStreamFilter)

GST_ELEMENT_REGISTER_DECLARE (rvtemporalhead);

/* Antenna value of feature-state streams in stream keys and metas. */
#define GST_RV_STATE_STREAM_ANTENNA 255

G_END_DECLS
#endif
