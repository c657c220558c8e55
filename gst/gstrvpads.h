/*
 * gstrvpads.h — the caps and pad templates of node-packet pads, shared by
 * every element of the plugin so the media type is written once.
 *
 * `application/x-rvcsi`: one ESP32 node packet per buffer, any kind, with
 * a GstRvCsiPacketMeta (docs/elements.md, Caps). The parsers' sink pads
 * take anything (pcapparse sends no caps at all).
 */
#ifndef GST_RV_PADS_H
#define GST_RV_PADS_H

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_RV_CSI_CAPS "application/x-rvcsi"

extern GstStaticPadTemplate gst_rv_csi_sink_template;   /* "sink", node packets */
extern GstStaticPadTemplate gst_rv_csi_src_template;    /* "src", node packets */
extern GstStaticPadTemplate gst_rv_any_sink_template;   /* "sink", any caps */

/* Adds the pad templates of an element with one "sink" and one "src" pad. */
void gst_rv_element_class_add_sink_src (GstElementClass * klass,
    GstStaticPadTemplate * sink, GstStaticPadTemplate * src);

G_END_DECLS
#endif
