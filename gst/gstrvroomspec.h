/*
 * gstrvroomspec.h — rvroom's `rooms` property: which nodes form which
 * room.
 *
 *   kitchen=1,2,3;hall=4
 *
 * Rooms are separated by ';', a room is NAME=NODE[,NODE...]. Names are
 * 1-63 characters of [A-Za-z0-9_-] (they become MQTT topic levels); nodes
 * are 0-255, each in at most one room. Blanks around items are ignored.
 * An empty spec means one room "room" with every node.
 */
#ifndef GST_RV_ROOM_SPEC_H
#define GST_RV_ROOM_SPEC_H

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_RV_ROOM_DEFAULT_NAME "room"
#define GST_RV_ROOM_NONE 0xff

typedef struct {
  guint n_rooms;
  GQuark names[256];
  guint8 room_of[256];          /* node -> room index, GST_RV_ROOM_NONE */
} GstRvRoomSpec;

/* Fills spec; on a malformed value returns FALSE with a message saying
 * what is wrong and where (free with g_free). */
gboolean gst_rv_room_spec_parse (const gchar * text, GstRvRoomSpec * spec,
    gchar ** error);

G_END_DECLS
#endif /* GST_RV_ROOM_SPEC_H */
