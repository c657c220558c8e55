/* gstrvroomspec.c — parser of rvroom's `rooms` property (gstrvroomspec.h). */
#include "gstrvroomspec.h"

#include <string.h>

#define NAME_MAX_LEN 63

static gboolean
valid_name (const gchar * s)
{
  gsize n = strlen (s);
  if (n == 0 || n > NAME_MAX_LEN)
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isalnum (*s) && *s != '_' && *s != '-')
      return FALSE;
  return TRUE;
}

static gboolean
blank (const gchar * s)
{
  for (; s && *s; s++)
    if (!g_ascii_isspace (*s))
      return FALSE;
  return TRUE;
}

static gboolean
parse_room (GstRvRoomSpec * spec, gchar * item, gchar ** error)
{
  gchar *eq = strchr (item, '=');
  gchar **nodes;
  gboolean ok = TRUE;
  guint idx = spec->n_rooms;

  if (!eq) {
    *error = g_strdup_printf ("room \"%s\" has no '=': write NAME=NODE,NODE",
        item);
    return FALSE;
  }
  *eq = '\0';
  g_strstrip (item);
  if (!valid_name (item)) {
    *error = g_strdup_printf ("room name \"%s\" must be 1-%d characters of "
        "letters, digits, '_' or '-'", item, NAME_MAX_LEN);
    return FALSE;
  }
  for (guint i = 0; i < spec->n_rooms; i++)
    if (spec->names[i] == g_quark_from_string (item)) {
      *error = g_strdup_printf ("room \"%s\" is listed twice", item);
      return FALSE;
    }
  spec->names[idx] = g_quark_from_string (item);
  nodes = g_strsplit (eq + 1, ",", -1);
  if (!nodes[0] || !*g_strstrip (nodes[0])) {
    *error = g_strdup_printf ("room \"%s\" lists no nodes", item);
    ok = FALSE;
  }
  for (guint i = 0; ok && nodes[i]; i++) {
    gchar *n = g_strstrip (nodes[i]);
    guint64 v;
    if (!g_ascii_string_to_unsigned (n, 10, 0, 255, &v, NULL)) {
      *error = g_strdup_printf ("node \"%s\" of room \"%s\" is not a number "
          "0-255", n, item);
      ok = FALSE;
    } else if (spec->room_of[v] != GST_RV_ROOM_NONE) {
      *error = g_strdup_printf ("node %u is in room \"%s\" and in room "
          "\"%s\": a node belongs to one room", (guint) v,
          g_quark_to_string (spec->names[spec->room_of[v]]), item);
      ok = FALSE;
    } else
      spec->room_of[v] = (guint8) idx;
  }
  g_strfreev (nodes);
  if (ok)
    spec->n_rooms++;
  return ok;
}

gboolean
gst_rv_room_spec_parse (const gchar * text, GstRvRoomSpec * spec,
    gchar ** error)
{
  gchar **items;
  gboolean ok = TRUE;

  *error = NULL;
  memset (spec, 0, sizeof *spec);
  memset (spec->room_of, GST_RV_ROOM_NONE, sizeof spec->room_of);
  if (blank (text)) {
    spec->n_rooms = 1;
    spec->names[0] = g_quark_from_static_string (GST_RV_ROOM_DEFAULT_NAME);
    memset (spec->room_of, 0, sizeof spec->room_of);
    return TRUE;
  }
  items = g_strsplit (text, ";", -1);
  for (guint i = 0; ok && items[i]; i++) {
    gchar *item = g_strstrip (items[i]);
    if (!*item) {
      if (items[i + 1] == NULL && i > 0)
        break;                  /* one trailing ';' */
      *error = g_strdup_printf ("empty room at position %u: separate rooms "
          "with a single ';'", i + 1);
      ok = FALSE;
    } else if (spec->n_rooms == G_N_ELEMENTS (spec->names) - 1) {
      *error = g_strdup ("more than 255 rooms");
      ok = FALSE;
    } else
      ok = parse_room (spec, item, error);
  }
  g_strfreev (items);
  return ok;
}
