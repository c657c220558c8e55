/* gstrvcsisrc.h — rvcsisrc: live UDP source of ESP32 CSI node packets. */
#ifndef GST_RVCSI_SRC_H
#define GST_RVCSI_SRC_H

#include <gst/gst.h>
#include <gst/base/gstpushsrc.h>

G_BEGIN_DECLS

#define GST_TYPE_RV_CSI_SRC (gst_rv_csi_src_get_type ())
G_DECLARE_FINAL_TYPE (GstRvCsiSrc, gst_rv_csi_src, GST, RV_CSI_SRC, GstPushSrc)

GST_ELEMENT_REGISTER_DECLARE (rvcsisrc);

G_END_DECLS
#endif
