/* gstrvprops.c — element properties described once (see gstrvprops.h). */
#include "gstrvprops.h"

/* How a field holds a value of one type: one row per fundamental value
 * type and C storage (a double spec may be kept in a gfloat), so that the
 * size check and the two copies cannot disagree. */
typedef struct
{
  GType type;
  gsize size;
  /* value into the field (the object lock held, or in instance_init) */
  void (*store) (gpointer field, const GValue * value);
  /* the field into value (the object lock held) */
  void (*load) (gconstpointer field, GValue * value);
} GstRvPropStorage;

/* store_NAME and load_NAME of a ctype field, through g_value_get_VTYPE
 * and g_value_set_VTYPE. */
#define SCALAR_STORAGE(name, ctype, vtype)                              \
  static void                                                           \
  store_##name (gpointer field, const GValue * value)                   \
  {                                                                     \
    *(ctype *) field = (ctype) g_value_get_##vtype (value);             \
  }                                                                     \
                                                                        \
  static void                                                           \
  load_##name (gconstpointer field, GValue * value)                     \
  {                                                                     \
    g_value_set_##vtype (value, *(const ctype *) field);                \
  }

SCALAR_STORAGE (boolean, gboolean, boolean)
SCALAR_STORAGE (int, gint, int)
SCALAR_STORAGE (enum, gint, enum)
SCALAR_STORAGE (uint, guint, uint)
SCALAR_STORAGE (uint64, guint64, uint64)
SCALAR_STORAGE (double, gdouble, double)
SCALAR_STORAGE (float, gfloat, double)

/* Strings are owned by the field. */
static void
store_string (gpointer field, const GValue * value)
{
  g_free (*(gchar **) field);
  *(gchar **) field = g_value_dup_string (value);
}

static void
load_string (gconstpointer field, GValue * value)
{
  g_value_set_string (value, *(gchar * const *) field);
}

static const GstRvPropStorage storages[] = {
  {G_TYPE_BOOLEAN, sizeof (gboolean), store_boolean, load_boolean},
  {G_TYPE_INT, sizeof (gint), store_int, load_int},
  {G_TYPE_ENUM, sizeof (gint), store_enum, load_enum},
  {G_TYPE_UINT, sizeof (guint), store_uint, load_uint},
  {G_TYPE_UINT64, sizeof (guint64), store_uint64, load_uint64},
  {G_TYPE_DOUBLE, sizeof (gdouble), store_double, load_double},
  {G_TYPE_DOUBLE, sizeof (gfloat), store_float, load_float},
  {G_TYPE_STRING, sizeof (gchar *), store_string, load_string},
};

/* How a field of size bytes holds pspec's values, or NULL if it cannot. */
static const GstRvPropStorage *
storage_for (GParamSpec * pspec, gsize size)
{
  GType type = G_TYPE_FUNDAMENTAL (G_PARAM_SPEC_VALUE_TYPE (pspec));

  for (guint i = 0; i < G_N_ELEMENTS (storages); i++)
    if (storages[i].type == type && storages[i].size == size)
      return &storages[i];
  return NULL;
}

/* Kept on the spec as qdata: where the value lives in the instance, how
 * (NULL where the field does not hold the value), and what runs instead
 * of copying it (NULL: the copy). */
typedef struct
{
  gsize offset;
  const GstRvPropStorage *storage;
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

static void finalize_and_chain (GObject * object);

static void
install (GObjectClass * klass, guint prop_id, GParamSpec * pspec,
    GstRvPropField f, gsize size)
{
  if (holds_value (&f) && !(f.storage = storage_for (pspec, size))) {
    g_critical ("property %s: a field of %" G_GSIZE_FORMAT " bytes cannot "
        "hold a %s", pspec->name, size,
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
  GstRvPropField f = { offset, NULL, set, get, NULL };

  install (klass, prop_id, pspec, f, size);
}

void
gst_rv_props_install_stats (GObjectClass * klass, guint prop_id,
    const gchar * blurb, GstRvPropsStatsFunc make)
{
  GstRvPropField f = { 0, NULL, NULL, NULL, make };

  install (klass, prop_id, g_param_spec_boxed ("stats", "Statistics", blurb,
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS), f,
      0);
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
  f->storage->store (G_STRUCT_MEMBER_P (object, f->offset), value);
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
    f->storage->load (G_STRUCT_MEMBER_P (object, f->offset), value);
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
  f->storage->store (field, &v);
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
