/* gstrvprops.c — element properties described once (see gstrvprops.h). */
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

static void finalize_and_chain (GObject * object);

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
  /* an element's own finalize, set before or after, frees the fields */
  if (klass->finalize == G_OBJECT_CLASS (g_type_class_peek_parent
          (klass))->finalize)
    klass->finalize = finalize_and_chain;
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

/* Writes value into the field at p (the caller holds the object lock, or
 * is instance_init). */
static void
store (const GstRvPropField * f, gpointer p, const GValue * value)
{
  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (value))) {
    case G_TYPE_BOOLEAN:
      *(gboolean *) p = g_value_get_boolean (value);
      break;
    case G_TYPE_INT:
      *(gint *) p = g_value_get_int (value);
      break;
    case G_TYPE_ENUM:
      *(gint *) p = g_value_get_enum (value);
      break;
    case G_TYPE_UINT:
      *(guint *) p = g_value_get_uint (value);
      break;
    case G_TYPE_UINT64:
      *(guint64 *) p = g_value_get_uint64 (value);
      break;
    case G_TYPE_DOUBLE:
      if (f->size == sizeof (gfloat))
        *(gfloat *) p = (gfloat) g_value_get_double (value);
      else
        *(gdouble *) p = g_value_get_double (value);
      break;
    case G_TYPE_STRING:
      g_free (*(gchar **) p);
      *(gchar **) p = g_value_dup_string (value);
      break;
    default:
      g_assert_not_reached ();
  }
}

/* Reads the field at p into value (the caller holds the object lock). */
static void
load (const GstRvPropField * f, gconstpointer p, GValue * value)
{
  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (value))) {
    case G_TYPE_BOOLEAN:
      g_value_set_boolean (value, *(const gboolean *) p);
      break;
    case G_TYPE_INT:
      g_value_set_int (value, *(const gint *) p);
      break;
    case G_TYPE_ENUM:
      g_value_set_enum (value, *(const gint *) p);
      break;
    case G_TYPE_UINT:
      g_value_set_uint (value, *(const guint *) p);
      break;
    case G_TYPE_UINT64:
      g_value_set_uint64 (value, *(const guint64 *) p);
      break;
    case G_TYPE_DOUBLE:
      g_value_set_double (value, f->size == sizeof (gfloat) ?
          *(const gfloat *) p : *(const gdouble *) p);
      break;
    case G_TYPE_STRING:
      g_value_set_string (value, *(gchar * const *) p);
      break;
    default:
      g_assert_not_reached ();
  }
}

/* The field behind pspec, or NULL (and GLib's warning) for a property
 * not installed here. */
static const GstRvPropField *
field_or_warn (GObject * object, guint prop_id, GParamSpec * pspec)
{
  const GstRvPropField *f = field_of (pspec);

  if (!f)
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  return f;
}

void
gst_rv_props_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  const GstRvPropField *f = field_or_warn (object, prop_id, pspec);

  if (!f)
    return;
  if (f->set) {
    f->set (object, prop_id, value, pspec);
    return;
  }
  GST_OBJECT_LOCK (object);
  store (f, G_STRUCT_MEMBER_P (object, f->offset), value);
  GST_OBJECT_UNLOCK (object);
}

void
gst_rv_props_get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  const GstRvPropField *f = field_or_warn (object, prop_id, pspec);

  if (!f)
    return;
  if (f->get) {
    f->get (object, prop_id, value, pspec);
    return;
  }
  GST_OBJECT_LOCK (object);
  if (f->make)
    g_value_take_boxed (value, f->make (object));
  else
    load (f, G_STRUCT_MEMBER_P (object, f->offset), value);
  GST_OBJECT_UNLOCK (object);
}

/* Calls fn for each property of object's class whose field holds its
 * value. */
static void
foreach_value_field (GObject * object, void (*fn) (GParamSpec * pspec,
        const GstRvPropField * f, gpointer field))
{
  guint n;
  GParamSpec **specs =
      g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n);

  for (guint i = 0; i < n; i++) {
    const GstRvPropField *f = field_of (specs[i]);

    if (f && holds_value (f))
      fn (specs[i], f, G_STRUCT_MEMBER_P (object, f->offset));
  }
  g_free (specs);
}

static void
set_default (GParamSpec * pspec, const GstRvPropField * f, gpointer field)
{
  GValue v = G_VALUE_INIT;

  g_value_init (&v, G_PARAM_SPEC_VALUE_TYPE (pspec));
  g_param_value_set_default (pspec, &v);
  store (f, field, &v);
  g_value_unset (&v);
}

static void
free_string (GParamSpec * pspec, const GstRvPropField * f, gpointer field)
{
  (void) f;
  if (G_PARAM_SPEC_VALUE_TYPE (pspec) == G_TYPE_STRING)
    g_clear_pointer ((gchar **) field, g_free);
}

void
gst_rv_props_init (GObject * object)
{
  foreach_value_field (object, set_default);
}

void
gst_rv_props_finalize (GObject * object)
{
  foreach_value_field (object, free_string);
}

/* The finalize of a class that installs properties and has none of its
 * own: frees the fields, then chains up from the class that has it (the
 * topmost one, should a subclass inherit it or chain up to it). */
static void
finalize_and_chain (GObject * object)
{
  GObjectClass *klass = G_OBJECT_GET_CLASS (object);
  GObjectClass *parent;

  gst_rv_props_finalize (object);
  while (klass->finalize != finalize_and_chain)
    klass = g_type_class_peek_parent (klass);
  while ((parent = g_type_class_peek_parent (klass))->finalize ==
      finalize_and_chain)
    klass = parent;
  parent->finalize (object);
}

GType
gst_rv_props_enum_type (GType * type, const gchar * name,
    const GEnumValue * values)
{
  if (g_once_init_enter (type))
    g_once_init_leave (type, g_enum_register_static (name, values));
  return *type;
}
