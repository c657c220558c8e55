/*
 * gstrvprops.h — the properties of the rvcsi elements, each described once.
 *
 * Most properties only store a value that the element reads under its
 * object lock (at start, or per buffer). Such a property is its GParamSpec
 * and its field in the instance struct (GST_RV_PROP_FIELD), and the
 * generic set_property/get_property copy between GValue and field under the
 * object lock, by the spec's value type: boolean (gboolean), int (gint),
 * uint (guint), uint64 (guint64, e.g. GstClockTime), double (gdouble, or
 * gfloat where the field is a float), enum (the C enum) and string (gchar *,
 * owned). gst_rv_props_init() gives every field its spec's default. The
 * strings are freed by the finalize that installing gives a class without
 * one of its own (it chains up to the parent's); a class with its own
 * finalize calls gst_rv_props_finalize() from it.
 *
 * A property with side effects (a value parsed or applied at once, a value
 * read back from elsewhere, a helper object's property) names its own set
 * and/or get (GST_RV_PROP_CUSTOM); the read-only `stats` structure is made
 * by the element's function (gst_rv_props_install_stats). So an element has
 * no set_property/get_property of its own: installing a property here makes
 * gst_rv_props_set_property/gst_rv_props_get_property the class's, and its
 * finalize unless the class has its own.
 */
#ifndef GST_RV_PROPS_H
#define GST_RV_PROPS_H

#include <gst/gst.h>

G_BEGIN_DECLS

/* The flags of a read-write property: changeable until start (READY) or at
 * any time (PLAYING). */
#define GST_RV_PARAM_READY \
  (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY)
#define GST_RV_PARAM_PLAYING \
  (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING)

/* Installs `pspec` as property `prop_id`, stored in the field of `size`
 * bytes at `offset` in the instance. The size must be the value type's
 * (else a critical, and the property is not installed); a double spec may
 * be stored in a gfloat. */
void gst_rv_props_install (GObjectClass * klass, guint prop_id,
    gsize offset, gsize size, GParamSpec * pspec);

/* Installs `pspec` as property `id` stored in `Type`'s `field`. */
#define GST_RV_PROP_FIELD(klass, id, Type, field, pspec) \
  gst_rv_props_install ((klass), (id), G_STRUCT_OFFSET (Type, field), \
      sizeof (((Type *) 0)->field), (pspec))

/* As gst_rv_props_install(), but `set` and `get` (either NULL: the field
 * copy) run instead of the copy, without the object lock held: they take
 * the locks they need and find the field with gst_rv_props_field(). */
void gst_rv_props_install_custom (GObjectClass * klass, guint prop_id,
    gsize offset, gsize size, GParamSpec * pspec,
    GObjectSetPropertyFunc set, GObjectGetPropertyFunc get);

#define GST_RV_PROP_CUSTOM(klass, id, Type, field, pspec, set, get) \
  gst_rv_props_install_custom ((klass), (id), G_STRUCT_OFFSET (Type, field), \
      sizeof (((Type *) 0)->field), (pspec), (set), (get))

/* The address of the field behind `pspec` in `object`. */
gpointer gst_rv_props_field (GObject * object, GParamSpec * pspec);

/* Makes an element's statistics; called with the object lock held. */
typedef GstStructure *(*GstRvPropsStatsFunc) (GObject * object);

/* Installs the read-only `stats` property (a GstStructure) as `prop_id`:
 * reading it returns what `make` returns, under the object lock. */
void gst_rv_props_install_stats (GObjectClass * klass, guint prop_id,
    const gchar * blurb, GstRvPropsStatsFunc make);

/* The class's set_property/get_property (set by the install functions);
 * other ids get GLib's invalid-property warning. */
void gst_rv_props_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
void gst_rv_props_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);

/* The GType of an enum property's values, registered as `name` on the first
 * call (thread-safe); `type` is the caller's static storage. */
GType gst_rv_props_enum_type (GType * type, const gchar * name,
    const GEnumValue * values);

/* From instance_init: every field that holds its property's value takes
 * the spec's default (a custom set is not called). */
void gst_rv_props_init (GObject * object);
/* From a class's own finalize: frees the string fields. */
void gst_rv_props_finalize (GObject * object);

G_END_DECLS
#endif
