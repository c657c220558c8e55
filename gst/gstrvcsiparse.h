/* gstrvcsiparse.h — rvcsiparse: validate packetised node packets (replay). */
#ifndef GST_RVCSI_PARSE_H
#define GST_RVCSI_PARSE_H

#include <gst/gst.h>
#include <gst/base/gstbasetransform.h>

G_BEGIN_DECLS

#define GST_TYPE_RV_CSI_PARSE (gst_rv_csi_parse_get_type ())
G_DECLARE_FINAL_TYPE (GstRvCsiParse, gst_rv_csi_parse, GST, RV_CSI_PARSE,
    GstBaseTransform)

GST_ELEMENT_REGISTER_DECLARE (rvcsiparse);

G_END_DECLS
#endif
