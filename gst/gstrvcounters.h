/*
 * gstrvcounters.h — the guint64 counters of an element's stats structure.
 *
 * An element keeps its counters in an array indexed by its own enum and
 * names them once, in a table beside the enum; the stats structure then
 * takes them in one call, and a reset is one memset.
 */
#ifndef GST_RV_COUNTERS_H
#define GST_RV_COUNTERS_H

#include <gst/gst.h>

G_BEGIN_DECLS

/* Sets the fields names[0..n) of s to values[0..n), as G_TYPE_UINT64. */
void gst_rv_structure_set_counters (GstStructure * s,
    const gchar * const *names, const guint64 * values, guint n);

G_END_DECLS
#endif /* GST_RV_COUNTERS_H */
