/*
 * gstrvroom.c — rvroom: fuses the per-link classifications of rvclassify
 * (GstRvClassificationMeta: ungated model_levels and gated decisions) and
 * rvtemporalhead's motion detector (GstRvMotionMeta) into one decision per
 * room, and raises fall alarms confirmed over time. The numeric work is the
 * kernel's rv_room (rv_room.h); this element maps streams to rooms
 * (`rooms`, gstrvroomspec.h), class labels to roles, stream time in, and
 * messages and GstRvRoomMeta out. In place: buffers pass unchanged.
 *
 * An `rvcsi-node` event (gstrvnodeevent.h) saying a node went offline takes
 * its links out of its room at once; the event travels on downstream.
 */
#include "gstrvroom.h"
#include "gstrvelement.h"
#include "gstrvcsimeta.h"
#include "gstrvmessage.h"
#include "gstrvmotiongate.h"
#include "gstrvprops.h"
#include "gstrvroomspec.h"
#include "gstrvstreamfilter.h"

#include <string.h>

#include "rv_room.h"

GST_DEBUG_CATEGORY_STATIC (gst_rv_room_debug);
#define GST_CAT_DEFAULT gst_rv_room_debug

#define DEFAULT_ROOMS          NULL
#define DEFAULT_TOLERANCE      RV_ROOM_DEFAULT_TOLERANCE_NS
#define DEFAULT_MIN_LINK_WEIGHT RV_ROOM_DEFAULT_MIN_WEIGHT
#define DEFAULT_HOLD_TIME      RV_ROOM_DEFAULT_HOLD_NS
#define DEFAULT_SWITCH_TIME    RV_ROOM_DEFAULT_SWITCH_NS
#define DEFAULT_EVIDENCE_TIME  RV_ROOM_DEFAULT_EVIDENCE_NS
#define DEFAULT_FALL_THRESHOLD RV_ROOM_DEFAULT_FALL_THRESHOLD
#define DEFAULT_FALL_WINDOW    RV_ROOM_DEFAULT_FALL_WINDOW_NS
#define DEFAULT_FALL_CONFIRM   RV_ROOM_DEFAULT_FALL_CONFIRM_NS
#define DEFAULT_FALL_CANCEL    RV_ROOM_DEFAULT_FALL_CANCEL_NS

enum
{
  PROP_0,
  PROP_ROOMS,
  PROP_TOLERANCE,
  PROP_MIN_LINK_WEIGHT,
  PROP_HOLD_TIME,
  PROP_SWITCH_TIME,
  PROP_EVIDENCE_TIME,
  PROP_FALL_THRESHOLD,
  PROP_FALL_WINDOW,
  PROP_FALL_CONFIRM,
  PROP_FALL_CANCEL,
};

struct _GstRvRoom
{
  GstRvStreamFilter parent;     /* no stream table: links live in rv_room */

  /* properties (object lock) */
  gchar *rooms_text;
  gchar *rooms_error;           /* why rooms_text is invalid, or NULL */
  GstRvRoomSpec spec;
  rv_room_config cfg;

  /* streaming thread */
  GstRvRoomSpec active;
  gpointer *rooms;              /* active.n_rooms kernel rooms */
  gsize n_classes;
  GQuark *labels;               /* the classes the rooms were made for */
};

GST_RV_ELEMENT_DEFINE (GstRvRoom, gst_rv_room,
    GST_TYPE_RV_STREAM_FILTER, rvroom, "RuView room fusion and fall events");

static void gst_rv_room_finalize (GObject * object);

static void
free_rooms (GstRvRoom * self)
{
  if (self->rooms) {
    for (guint i = 0; i < self->active.n_rooms; i++)
      g_free (self->rooms[i]);
    g_clear_pointer (&self->rooms, g_free);
  }
  g_clear_pointer (&self->labels, g_free);
  self->n_classes = 0;
}

static guint8
label_role (const gchar * label)
{
  static const gchar *const presence[] = { GST_RV_PRESENCE_LABELS, NULL };
  static const gchar *const status[] = { GST_RV_STATUS_LABELS, NULL };
  guint8 role = 0;

  if (g_strv_contains (presence, label))
    role |= RV_ROOM_ROLE_PRESENCE;
  if (g_strv_contains (status, label))
    role |= RV_ROOM_ROLE_STATUS;
  if (g_str_equal (label, "empty"))
    role |= RV_ROOM_ROLE_EMPTY;
  if (g_str_equal (label, "fall"))
    role |= RV_ROOM_ROLE_FALL;
  if (g_str_equal (label, "lying"))
    role |= RV_ROOM_ROLE_DOWN;
  if (g_str_equal (label, "stand_up") || g_str_equal (label, "walking"))
    role |= RV_ROOM_ROLE_UP;
  return role;
}

/* (Re)makes the kernel rooms for the classes of cm; FALSE (with an element
 * error) if the model's classes cannot be fused. */
static gboolean
ensure_rooms (GstRvRoom * self, const GstRvClassificationMeta * cm)
{
  rv_room_config cfg;
  guint8 down = 0;

  if (self->rooms && cm->length == self->n_classes &&
      memcmp (cm->class_quarks, self->labels, cm->length * sizeof (GQuark)) == 0)
    return TRUE;
  if (cm->length == 0 || cm->length > RV_ROOM_MAX_CLASSES) {
    GST_ELEMENT_ERROR (self, STREAM, FORMAT,
        ("rvroom fuses models of 1 to %u classes; this one has %"
            G_GSIZE_FORMAT, RV_ROOM_MAX_CLASSES, cm->length), (NULL));
    return FALSE;
  }
  free_rooms (self);
  GST_OBJECT_LOCK (self);
  self->active = self->spec;
  cfg = self->cfg;
  GST_OBJECT_UNLOCK (self);
  cfg.n_classes = (uint32_t) cm->length;
  for (gsize k = 0; k < cm->length; k++) {
    cfg.roles[k] = label_role (g_quark_to_string (cm->class_quarks[k]));
    down |= cfg.roles[k] & RV_ROOM_ROLE_DOWN;
  }
  /* Models trained with lying merged into still (the default CSI model):
   * after an impact, still is the body staying low. */
  for (gsize k = 0; k < cm->length && !down; k++)
    if (g_str_equal (g_quark_to_string (cm->class_quarks[k]), "still"))
      cfg.roles[k] |= RV_ROOM_ROLE_DOWN;
  self->rooms = g_new0 (gpointer, self->active.n_rooms);
  for (guint i = 0; i < self->active.n_rooms; i++) {
    rv_room *r;
    self->rooms[i] = g_malloc (rv_room_mem_size ());
    if (rv_room_init (&r, self->rooms[i], rv_room_mem_size (), &cfg) != RV_OK) {
      GST_ELEMENT_ERROR (self, LIBRARY, SETTINGS,
          ("rvroom's fall-confirm must not exceed fall-window"), (NULL));
      free_rooms (self);
      return FALSE;
    }
  }
  self->n_classes = cm->length;
  self->labels = g_memdup2 (cm->class_quarks, cm->length * sizeof (GQuark));
  return TRUE;
}

static GstMessage *
state_message (GstRvRoom * self, GQuark room, const rv_room_state * st)
{
  const gchar *label = st->label >= 0 ?
      g_quark_to_string (self->labels[st->label]) : "unknown";
  return gst_message_new_element (GST_OBJECT (self),
      gst_structure_new ("rvroom",
          "room", G_TYPE_STRING, g_quark_to_string (room),
          "label", G_TYPE_STRING, label,
          "label-index", G_TYPE_INT, (gint) st->label,
          "confidence", G_TYPE_DOUBLE, (gdouble) st->confidence,
          "occupied", G_TYPE_BOOLEAN, st->occupied,
          "links", G_TYPE_UINT, st->links,
          "stream-time", G_TYPE_UINT64, st->t_ns, NULL));
}

static GstMessage *
fall_message (GstRvRoom * self, GQuark room, const rv_room_fall * f)
{
  if (f->kind == RV_ROOM_FALL_CANCEL)
    return gst_message_new_element (GST_OBJECT (self),
        gst_structure_new ("rvfall-cancel",
            "room", G_TYPE_STRING, g_quark_to_string (room),
            "stream-time", G_TYPE_UINT64, f->onset_ns, NULL));
  return gst_message_new_element (GST_OBJECT (self),
      gst_structure_new ("rvfall",
          "room", G_TYPE_STRING, g_quark_to_string (room),
          "node", G_TYPE_INT, (gint) f->node,
          "stream-time", G_TYPE_UINT64, f->onset_ns,
          "confidence", G_TYPE_DOUBLE, (gdouble) f->confidence,
          "delay", G_TYPE_UINT64, f->delay_ns, NULL));
}

static void
fill_meta (GstRvRoomMeta * m, GstRvRoom * self, GQuark room,
    const rv_room_state * st, gboolean changed, const rv_room_fall * f)
{
  m->room = room;
  m->label_index = st->label;
  m->label = st->label >= 0 ? self->labels[st->label] : 0;
  m->confidence = st->confidence;
  m->occupied = st->occupied;
  m->links = st->links;
  m->stream_time = st->t_ns;
  m->changed = changed;
  if (f->kind != RV_ROOM_FALL_NONE) {
    m->fall = f->kind == RV_ROOM_FALL_ALARM ? GST_RV_ROOM_FALL_ALARM :
        GST_RV_ROOM_FALL_CANCEL;
    m->fall_node = f->node;
    m->fall_onset = f->onset_ns;
    m->fall_confidence = f->confidence;
    m->fall_delay = f->delay_ns;
  }
}

static void
fuse_one (GstRvRoom * self, GstBuffer * buf, const GstRvClassificationMeta * cm,
    GstClockTime t, GQueue * msgs)
{
  guint ri = self->active.room_of[cm->node_id];
  GQuark room;
  GstRvMotionMeta *mm;
  rv_room_obs obs = { 0 };
  rv_room_state st;
  rv_room_fall f;
  int changed;
  rv_status s;

  if (ri == GST_RV_ROOM_NONE)
    return;
  room = self->active.names[ri];
  mm = gst_rv_motion_meta_find (buf, cm->node_id, cm->antenna);
  obs.node = cm->node_id;
  obs.antenna = cm->antenna;
  obs.t_ns = t;
  obs.levels = cm->model_levels;
  obs.decision = cm->decision;
  if (mm) {
    obs.has_motion = 1;
    obs.motion = mm->motion;
    obs.calibrated = mm->calibrated;
    obs.score = mm->score;
    obs.threshold = mm->threshold;
  }
  s = rv_room_push (self->rooms[ri], &obs, &st, &changed, &f);
  if (s != RV_OK) {
    GST_LOG_OBJECT (self, "frame of node %u antenna %u not fused: %s",
        cm->node_id, cm->antenna, rv_status_str (s));
    return;
  }
  fill_meta (gst_rv_room_meta_add (buf), self, room, &st, changed, &f);
  if (changed)
    g_queue_push_tail (msgs, state_message (self, room, &st));
  if (f.kind != RV_ROOM_FALL_NONE)
    g_queue_push_tail (msgs, fall_message (self, room, &f));
}

static GstFlowReturn
gst_rv_room_transform_ip (GstBaseTransform * trans, GstBuffer * buf)
{
  GstRvRoom *self = GST_RV_ROOM (trans);
  GType api = gst_rv_classification_meta_api_get_type ();
  GstRvClassificationMeta *cms[8];
  gpointer state = NULL;
  GstMeta *meta;
  guint n = 0;
  GQueue msgs = G_QUEUE_INIT;
  GstFlowReturn ret = GST_FLOW_OK;
  GstClockTime t = gst_rv_buffer_stream_time (&trans->segment, buf);

  if (!GST_CLOCK_TIME_IS_VALID (t))
    return GST_FLOW_OK;
  /* Collect first: adding room metas while iterating is unsafe. */
  while ((meta = gst_buffer_iterate_meta_filtered (buf, &state, api)) &&
      n < G_N_ELEMENTS (cms))
    cms[n++] = (GstRvClassificationMeta *) meta;
  for (guint i = 0; i < n; i++) {
    if (!cms[i]->model_levels)
      continue;
    if (!ensure_rooms (self, cms[i])) {
      ret = GST_FLOW_ERROR;
      break;
    }
    fuse_one (self, buf, cms[i], t, &msgs);
  }
  /* States already fused from this buffer's earlier links still count. */
  gst_rv_post_queued_messages (GST_ELEMENT (self), &msgs);
  return ret;
}

static void
gst_rv_room_node_presence (GstRvStreamFilter * filter, guint node,
    gboolean online, GstClockTime stream_time G_GNUC_UNUSED)
{
  GstRvRoom *self = GST_RV_ROOM (filter);

  if (self->rooms && node < 256 &&
      self->active.room_of[node] != GST_RV_ROOM_NONE)
    rv_room_set_node_online (self->rooms[self->active.room_of[node]],
        (uint8_t) node, online);
}

/* Stop, flush or new stream: the rooms are remade on the next classified
 * frame. */
static void
gst_rv_room_reset (GstRvStreamFilter * filter)
{
  free_rooms (GST_RV_ROOM (filter));
}

static gboolean
gst_rv_room_start (GstRvStreamFilter * filter)
{
  GstRvRoom *self = GST_RV_ROOM (filter);
  gchar *error;

  GST_OBJECT_LOCK (self);
  error = g_strdup (self->rooms_error);
  GST_OBJECT_UNLOCK (self);
  if (error) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Invalid rooms property of %s", GST_ELEMENT_NAME (self)),
        ("%s", error));
    g_free (error);
    return FALSE;
  }
  return TRUE;
}

static void
set_rooms (GstRvRoom * self, const gchar * text)
{
  GstRvRoomSpec spec;
  gchar *error = NULL;
  gboolean ok = gst_rv_room_spec_parse (text, &spec, &error);

  GST_OBJECT_LOCK (self);
  g_free (self->rooms_text);
  self->rooms_text = g_strdup (text);
  g_free (self->rooms_error);
  self->rooms_error = error;
  if (ok)
    self->spec = spec;
  GST_OBJECT_UNLOCK (self);
  if (!ok)
    GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS,
        ("Invalid rooms value \"%s\"; the element will not start with it",
            text), ("%s", error));
}

static void
gst_rv_room_set_rooms (GObject * object, guint prop_id G_GNUC_UNUSED,
    const GValue * value, GParamSpec * pspec G_GNUC_UNUSED)
{
  set_rooms (GST_RV_ROOM (object), g_value_get_string (value));
}

#define TIME_PROP(id, field, name, nick, blurb, max, def) \
  GST_RV_PROP_FIELD (gobject_class, id, GstRvRoom, cfg.field, \
      g_param_spec_uint64 (name, nick, blurb, 1, max, def, GST_RV_PARAM_READY))

static void
gst_rv_room_class_init (GstRvRoomClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);
  GstRvStreamFilterClass *filter_class = GST_RV_STREAM_FILTER_CLASS (klass);

  GST_RV_PROP_CUSTOM (gobject_class, PROP_ROOMS, GstRvRoom, rooms_text,
      g_param_spec_string ("rooms", "Rooms",
          "Which nodes form which room: NAME=NODE,NODE;NAME=NODE (e.g. "
          "\"kitchen=1,2,3;hall=4\"). Names are letters, digits, '_' and "
          "'-'; a node is in one room; nodes of no room are ignored. Unset: "
          "every node in one room called \"room\"", DEFAULT_ROOMS,
          GST_RV_PARAM_READY), gst_rv_room_set_rooms, NULL);
  TIME_PROP (PROP_TOLERANCE, tolerance_ns, "tolerance", "Alignment tolerance",
      "Stream time (ns) a link's newest frame may lag the room's newest "
      "frame and still count; covers the nodes' different latency and "
      "jitter (links are aligned by arrival, nodes have no common clock)",
      60 * GST_SECOND, DEFAULT_TOLERANCE);
  GST_RV_PROP_FIELD (gobject_class, PROP_MIN_LINK_WEIGHT, GstRvRoom,
      cfg.min_weight,
      g_param_spec_double ("min-link-weight", "Minimum link weight",
          "A link whose quality weight (certainty x agreement with the room "
          "x motion SNR x packet rate, measured online) is under this "
          "fraction of the best link's is left out of the room", 0.0, 0.99,
          DEFAULT_MIN_LINK_WEIGHT, GST_RV_PARAM_READY));
  GST_RV_PROP_FIELD (gobject_class, PROP_HOLD_TIME, GstRvRoom, cfg.hold_ns,
      g_param_spec_uint64 ("hold-time", "Hold time",
          "Stream time (ns) a new room label must lead before the room "
          "changes (0: as soon as the room's filtered belief changes)", 0,
          60 * GST_SECOND, DEFAULT_HOLD_TIME, GST_RV_PARAM_READY));
  TIME_PROP (PROP_SWITCH_TIME, switch_ns, "switch-time", "Switch time",
      "Stream time (ns) over which the room's belief forgets its label "
      "(the activity may have changed); longer: steadier, slower to follow",
      600 * GST_SECOND, DEFAULT_SWITCH_TIME);
  TIME_PROP (PROP_EVIDENCE_TIME, evidence_ns, "evidence-time",
      "Evidence time", "Stream time (ns) the links' newest frames must cover "
      "to count as one full frame of evidence; longer: fewer label changes, "
      "slower to follow", 60 * GST_SECOND, DEFAULT_EVIDENCE_TIME);
  GST_RV_PROP_FIELD (gobject_class, PROP_FALL_THRESHOLD, GstRvRoom,
      cfg.fall_threshold,
      g_param_spec_double ("fall-threshold", "Fall threshold",
          "Room fall probability (fused, before motion gating) that counts as "
          "an impact and starts a fall candidate", 0.01, 0.99,
          DEFAULT_FALL_THRESHOLD, GST_RV_PARAM_READY));
  TIME_PROP (PROP_FALL_WINDOW, fall_window_ns, "fall-window", "Fall window",
      "Stream time (ns) after the impact within which the fall must be "
      "confirmed, or the candidate is dropped", 600 * GST_SECOND,
      DEFAULT_FALL_WINDOW);
  TIME_PROP (PROP_FALL_CONFIRM, fall_confirm_ns, "fall-confirm",
      "Fall confirmation", "Stream time (ns) the room must stay on lying (or fall) in a row to "
      "confirm a fall and post rvfall; at most fall-window",
      600 * GST_SECOND, DEFAULT_FALL_CONFIRM);
  TIME_PROP (PROP_FALL_CANCEL, fall_cancel_ns, "fall-cancel",
      "Fall cancel window", "Stream time (ns) after an alarm during which getting up (stand_up or "
      "walking) posts rvfall-cancel", 600 * GST_SECOND, DEFAULT_FALL_CANCEL);

  gst_element_class_set_static_metadata (element_class,
      "RuView room", "Filter/Analyzer",
      "Fuses the links (node, antenna) of each room, weighted by their "
      "own quality, into one room decision; posts \"rvroom\" (room, label, "
      "confidence, occupied, links, stream-time) on change, \"rvfall\" "
      "(room, node, stream-time, confidence, delay) when a fall is "
      "confirmed and \"rvfall-cancel\" (room, stream-time) when the person "
      "gets up; attaches GstRvRoomMeta",
      "gst-rvcsi developers");

  gobject_class->finalize = gst_rv_room_finalize;
  filter_class->start = GST_DEBUG_FUNCPTR (gst_rv_room_start);
  filter_class->stop = GST_DEBUG_FUNCPTR (gst_rv_room_reset);
  filter_class->restart = GST_DEBUG_FUNCPTR (gst_rv_room_reset);
  filter_class->node_presence = GST_DEBUG_FUNCPTR (gst_rv_room_node_presence);
  trans_class->transform_ip = GST_DEBUG_FUNCPTR (gst_rv_room_transform_ip);
}

static void
gst_rv_room_init (GstRvRoom * self)
{
  gchar *error = NULL;

  rv_room_config_default (&self->cfg, 1);
  gst_rv_room_spec_parse (NULL, &self->spec, &error);
}

static void
gst_rv_room_finalize (GObject * object)
{
  GstRvRoom *self = GST_RV_ROOM (object);

  free_rooms (self);
  g_free (self->rooms_error);
  gst_rv_props_finalize (object);
  G_OBJECT_CLASS (gst_rv_room_parent_class)->finalize (object);
}
