/* gstrvcounters.c — counters into stats structures (gstrvcounters.h). */
#include "gstrvcounters.h"

void
gst_rv_structure_set_counters (GstStructure * s, const gchar * const *names,
    const guint64 * values, guint n)
{
  for (guint i = 0; i < n; i++)
    gst_structure_set (s, names[i], G_TYPE_UINT64, values[i], NULL);
}
