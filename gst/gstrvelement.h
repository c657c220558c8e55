/*
 * gstrvelement.h — the GType boilerplate of the plugin's elements, written
 * once: the element type with its debug category and registration.
 */
#ifndef GST_RV_ELEMENT_H
#define GST_RV_ELEMENT_H

#include <gst/gst.h>

G_BEGIN_DECLS

/* G_DEFINE_TYPE_WITH_CODE of element TypeName, whose debug category
 * type_name##_debug (GST_DEBUG_CATEGORY_STATIC above) is named after the
 * element and initialised with the type, and its registration as element
 * `element` (plugin.c: GST_ELEMENT_REGISTER (element, plugin)). */
#define GST_RV_ELEMENT_DEFINE(TypeName, type_name, PARENT_TYPE, element,   \
    description)                                                          \
  G_DEFINE_TYPE_WITH_CODE (TypeName, type_name, PARENT_TYPE,              \
      GST_DEBUG_CATEGORY_INIT (type_name##_debug, #element, 0,            \
          description));                                                  \
  GST_ELEMENT_REGISTER_DEFINE (element, #element, GST_RANK_NONE,          \
      type_name##_get_type ())

G_END_DECLS
#endif /* GST_RV_ELEMENT_H */
