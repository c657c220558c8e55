/*
 * gstrvprops.h — element properties that are plain fields of the instance.
 *
 * Most properties of the rvcsi elements only store a value that the element
 * reads under its object lock (at start, or per buffer). Such a property is
 * described once, in class_init: its GParamSpec and its field in the
 * instance struct (GST_RV_PROP_FIELD). gst_rv_props_set_property() and
 * gst_rv_props_get_property() then copy between GValue and field under the
 * object lock, by the spec's value type: boolean (gboolean), int (gint),
 * uint (guint), uint64 (guint64, e.g. GstClockTime), double (gdouble, or
 * gfloat where the field is a float), enum (the C enum) and string (gchar *,
 * owned). gst_rv_props_init() gives every field its spec's default and
 * gst_rv_props_finalize() frees the strings. The read-only `stats`
 * structure of an element is one more such property.
 *
 * An element keeps its own code only for properties with side effects
 * (values it parses, changes it applies at once, statistics) and passes
 * every other id on to the generic functions; it can also use them as its
 * set_property/get_property directly.
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

/* Makes an element's statistics; called with the object lock held. */
typedef GstStructure *(*GstRvPropsStatsFunc) (GObject * object);

/* Installs the read-only `stats` property (a GstStructure) as `prop_id`:
 * reading it returns what `make` returns, under the object lock. */
void gst_rv_props_install_stats (GObjectClass * klass, guint prop_id,
    const gchar * blurb, GstRvPropsStatsFunc make);

/* set_property/get_property for field and stats properties; other ids get GLib's
 * invalid-property warning. Take the object lock: call them unlocked. */
void gst_rv_props_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
void gst_rv_props_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);

/* The GType of an enum property's values, registered as `name` on the first
 * call (thread-safe); `type` is the caller's static storage. */
GType gst_rv_props_enum_type (GType * type, const gchar * name,
    const GEnumValue * values);

/* From instance_init: every field property takes its spec's default. */
void gst_rv_props_init (GObject * object);
/* From finalize: frees the string fields. */
void gst_rv_props_finalize (GObject * object);

G_END_DECLS
#endif
