/* gstrvpads.c — node-packet pad templates (gstrvpads.h). */
#include "gstrvpads.h"

GstStaticPadTemplate gst_rv_csi_sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS (GST_RV_CSI_CAPS));
GstStaticPadTemplate gst_rv_csi_src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS (GST_RV_CSI_CAPS));
GstStaticPadTemplate gst_rv_any_sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

void
gst_rv_element_class_add_sink_src (GstElementClass * klass,
    GstStaticPadTemplate * sink, GstStaticPadTemplate * src)
{
  gst_element_class_add_static_pad_template (klass, sink);
  gst_element_class_add_static_pad_template (klass, src);
}
