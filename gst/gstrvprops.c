/* gstrvprops.c — field properties (see gstrvprops.h). */
#include "gstrvprops.h"

/* Kept on the spec as qdata: where the value lives in the instance, and
 * what runs instead of copying it (NULL: the copy). */
typedef struct
{
  gsize offset;
  gsize size;
  GObjectSetPropertyFunc set;
  GObjectGetPropertyFunc get;
  GstRvPropsStatsFunc make;
} GstRvPropField;

/* Whether the field holds the property's value (else it is what the custom
 * set and get work on, e.g. a helper object). */
static gboolean
holds_value (const GstRvPropField * f)
{
  return !f->make && !(f->set && f->get);
}

static GQuark
field_quark (void)
{
  return g_quark_from_static_string ("gst-rv-props-field");
}

static gsize
storage_size (GParamSpec * pspec, gsize field_size)
{
  switch (G_TYPE_FUNDAMENTAL (G_PARAM_SPEC_VALUE_TYPE (pspec))) {
    case G_TYPE_BOOLEAN:
      return sizeof (gboolean);
    case G_TYPE_INT:
    case G_TYPE_ENUM:
      return sizeof (gint);
    case G_TYPE_UINT:
      return sizeof (guint);
    case G_TYPE_UINT64:
      return sizeof (guint64);
    case G_TYPE_DOUBLE:
      return field_size == sizeof (gfloat) ? sizeof (gfloat) : sizeof (gdouble);
    case G_TYPE_STRING:
      return sizeof (gchar *);
    default:
      return 0;
  }
}

static void
install (GObjectClass * klass, guint prop_id, GParamSpec * pspec,
    GstRvPropField f)
{
  if (holds_value (&f) && f.size != storage_size (pspec, f.size)) {
    g_critical ("property %s: a field of %" G_GSIZE_FORMAT " bytes cannot "
        "hold a %s", pspec->name, f.size,
        g_type_name (G_PARAM_SPEC_VALUE_TYPE (pspec)));
    g_param_spec_unref (g_param_spec_ref_sink (pspec));
    return;
  }
  g_param_spec_set_qdata_full (pspec, field_quark (),
      g_memdup2 (&f, sizeof (f)), g_free);
  klass->set_property = gst_rv_props_set_property;
  klass->get_property = gst_rv_props_get_property;
  g_object_class_install_property (klass, prop_id, pspec);
}

void
gst_rv_props_install (GObjectClass * klass, guint prop_id, gsize offset,
    gsize size, GParamSpec * pspec)
{
  gst_rv_props_install_custom (klass, prop_id, offset, size, pspec, NULL,
      NULL);
}

void
gst_rv_props_install_custom (GObjectClass * klass, guint prop_id,
    gsize offset, gsize size, GParamSpec * pspec,
    GObjectSetPropertyFunc set, GObjectGetPropertyFunc get)
{
  GstRvPropField f = { offset, size, set, get, NULL };

  install (klass, prop_id, pspec, f);
}

void
gst_rv_props_install_stats (GObjectClass * klass, guint prop_id,
    const gchar * blurb, GstRvPropsStatsFunc make)
{
  GstRvPropField f = { 0, 0, NULL, NULL, make };

  install (klass, prop_id, g_param_spec_boxed ("stats", "Statistics", blurb,
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS), f);
}

static const GstRvPropField *
field_of (GParamSpec * pspec)
{
  return g_param_spec_get_qdata (pspec, field_quark ());
}

gpointer
gst_rv_props_field (GObject * object, GParamSpec * pspec)
{
  const GstRvPropField *f = field_of (pspec);

  g_return_val_if_fail (f != NULL, NULL);
  return G_STRUCT_MEMBER_P (object, f->offset);
}

/* Copies between the field at p and value, into the field if `set` (the
 * caller holds the lock, or is instance_init). */
static void
copy (const GstRvPropField * f, gpointer p, GValue * value, gboolean set)
{
  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (value))) {
    case G_TYPE_BOOLEAN:
      if (set)
        *(gboolean *) p = g_value_get_boolean (value);
      else
        g_value_set_boolean (value, *(gboolean *) p);
      break;
    case G_TYPE_INT:
      if (set)
        *(gint *) p = g_value_get_int (value);
      else
        g_value_set_int (value, *(gint *) p);
      break;
    case G_TYPE_ENUM:
      if (set)
        *(gint *) p = g_value_get_enum (value);
      else
        g_value_set_enum (value, *(gint *) p);
      break;
    case G_TYPE_UINT:
      if (set)
        *(guint *) p = g_value_get_uint (value);
      else
        g_value_set_uint (value, *(guint *) p);
      break;
    case G_TYPE_UINT64:
      if (set)
        *(guint64 *) p = g_value_get_uint64 (value);
      else
        g_value_set_uint64 (value, *(guint64 *) p);
      break;
    case G_TYPE_DOUBLE:
      if (set && f->size == sizeof (gfloat))
        *(gfloat *) p = (gfloat) g_value_get_double (value);
      else if (set)
        *(gdouble *) p = g_value_get_double (value);
      else
        g_value_set_double (value, f->size == sizeof (gfloat) ?
            *(gfloat *) p : *(gdouble *) p);
      break;
    case G_TYPE_STRING:
      if (set) {
        g_free (*(gchar **) p);
        *(gchar **) p = g_value_dup_string (value);
      } else {
        g_value_set_string (value, *(gchar **) p);
      }
      break;
    default:
      g_assert_not_reached ();
  }
}

void
gst_rv_props_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  const GstRvPropField *f = field_of (pspec);

  if (!f) {
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    return;
  }
  if (f->set) {
    f->set (object, prop_id, value, pspec);
    return;
  }
  GST_OBJECT_LOCK (object);
  copy (f, G_STRUCT_MEMBER_P (object, f->offset), (GValue *) value, TRUE);
  GST_OBJECT_UNLOCK (object);
}

void
gst_rv_props_get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  const GstRvPropField *f = field_of (pspec);

  if (!f) {
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    return;
  }
  if (f->get) {
    f->get (object, prop_id, value, pspec);
    return;
  }
  GST_OBJECT_LOCK (object);
  if (f->make)
    g_value_take_boxed (value, f->make (object));
  else
    copy (f, G_STRUCT_MEMBER_P (object, f->offset), value, FALSE);
  GST_OBJECT_UNLOCK (object);
}

void
gst_rv_props_init (GObject * object)
{
  guint n;
  GParamSpec **specs =
      g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n);

  for (guint i = 0; i < n; i++) {
    const GstRvPropField *f = field_of (specs[i]);
    GValue v = G_VALUE_INIT;

    if (!f || !holds_value (f))
      continue;
    g_value_init (&v, G_PARAM_SPEC_VALUE_TYPE (specs[i]));
    g_param_value_set_default (specs[i], &v);
    copy (f, G_STRUCT_MEMBER_P (object, f->offset), &v, TRUE);
    g_value_unset (&v);
  }
  g_free (specs);
}

void
gst_rv_props_finalize (GObject * object)
{
  guint n;
  GParamSpec **specs =
      g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n);

  for (guint i = 0; i < n; i++) {
    const GstRvPropField *f = field_of (specs[i]);

    if (f && holds_value (f) &&
        G_PARAM_SPEC_VALUE_TYPE (specs[i]) == G_TYPE_STRING)
      g_clear_pointer ((gchar **) G_STRUCT_MEMBER_P (object, f->offset),
          g_free);
  }
  g_free (specs);
}

GType
gst_rv_props_enum_type (GType * type, const gchar * name,
    const GEnumValue * values)
{
  if (g_once_init_enter (type))
    g_once_init_leave (type, g_enum_register_static (name, values));
  return *type;
}
