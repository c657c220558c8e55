/* gstrvclassify.h — rvclassify: per-stream decisions from embeddings. */
#ifndef GST_RV_CLASSIFY_H
#define GST_RV_CLASSIFY_H

#include <gst/gst.h>
#include "gstrvstreamfilter.h"

G_BEGIN_DECLS

#define GST_TYPE_RV_CLASSIFY (gst_rv_classify_get_type ())
G_DECLARE_FINAL_TYPE (GstRvClassify, gst_rv_classify, GST, RV_CLASSIFY,
    GstRvStreamFilter)

GST_ELEMENT_REGISTER_DECLARE (rvclassify);

G_END_DECLS
#endif
