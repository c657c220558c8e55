/* gstrvcsitextparse.h — rvcsitextparse: esp-csi / ESP32-CSI-Tool text logs. */
#ifndef GST_RVCSI_TEXT_PARSE_H
#define GST_RVCSI_TEXT_PARSE_H

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_RV_CSI_TEXT_PARSE (gst_rv_csi_text_parse_get_type ())
G_DECLARE_FINAL_TYPE (GstRvCsiTextParse, gst_rv_csi_text_parse, GST,
    RV_CSI_TEXT_PARSE, GstElement)

GST_ELEMENT_REGISTER_DECLARE (rvcsitextparse);

G_END_DECLS
#endif
