/* gstrvcsiviz.h — rvcsiviz: renders the rvcsi stream as dashboard video. */
#ifndef GST_RV_CSI_VIZ_H
#define GST_RV_CSI_VIZ_H

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_RV_CSI_VIZ (gst_rv_csi_viz_get_type ())
G_DECLARE_FINAL_TYPE (GstRvCsiViz, gst_rv_csi_viz, GST, RV_CSI_VIZ,
    GstElement)

GST_ELEMENT_REGISTER_DECLARE (rvcsiviz);

G_END_DECLS
#endif
