/* gstrvroom.h — rvroom: room decisions and fall events from several links. */
#ifndef GST_RV_ROOM_H
#define GST_RV_ROOM_H

#include <gst/gst.h>
#include "gstrvstreamfilter.h"

G_BEGIN_DECLS

#define GST_TYPE_RV_ROOM (gst_rv_room_get_type ())
G_DECLARE_FINAL_TYPE (GstRvRoom, gst_rv_room, GST, RV_ROOM, GstRvStreamFilter)

GST_ELEMENT_REGISTER_DECLARE (rvroom);

G_END_DECLS
#endif
