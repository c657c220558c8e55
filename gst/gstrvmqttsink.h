/* gstrvmqttsink.h — rvmqttsink: classification (and motion) states to an
 * MQTT broker, with Home Assistant discovery. */
#ifndef GST_RV_MQTT_SINK_H
#define GST_RV_MQTT_SINK_H

#include <gst/gst.h>
#include <gst/base/gstbasesink.h>

G_BEGIN_DECLS

#define GST_TYPE_RV_MQTT_SINK (gst_rv_mqtt_sink_get_type ())
G_DECLARE_FINAL_TYPE (GstRvMqttSink, gst_rv_mqtt_sink, GST, RV_MQTT_SINK,
    GstBaseSink)

GST_ELEMENT_REGISTER_DECLARE (rvmqttsink);

G_END_DECLS
#endif
