/* gstrvcsiparse.h — rvcsiparse: validate packetised node packets (replay). */
#ifndef GST_RVCSI_PARSE_H
#define GST_RVCSI_PARSE_H

#include <gst/gst.h>
#include <gst/base/gstbasetransform.h>

G_BEGIN_DECLS

#define GST_TYPE_RVCSI_PARSE (gst_rvcsi_parse_get_type ())
G_DECLARE_FINAL_TYPE (GstRvCsiParse, gst_rvcsi_parse, GST, RVCSI_PARSE,
    GstBaseTransform)

GST_ELEMENT_REGISTER_DECLARE (rvcsiparse);

G_END_DECLS
#endif
