/*
 * gstrvvizdraw.h — rvcsiviz's drawing: one video frame of node cards with
 * cairo and pango, from the per-node histories (gstrvvizhistory.h) laid out
 * by gstrvvizlayout.h.
 */
#ifndef GST_RV_VIZ_DRAW_H
#define GST_RV_VIZ_DRAW_H

#include <cairo.h>
#include <glib.h>
#include <pango/pango.h>

#include "gstrvvizhistory.h"

G_BEGIN_DECLS

typedef struct
{
  guint width, height;
  gdouble fps;
  guint64 running_time;         /* ns, shown in the title bar */
  guint per_page, page;
  GstRvVizNode *const *nodes;   /* in node id order */
  guint n_nodes;
} GstRvVizScene;

/* The element owns one font map and context (pango's default font map is
 * one per thread, and the drawing thread changes between the streaming
 * thread and the live task). */
PangoContext *gst_rv_viz_draw_context_new (void);
void gst_rv_viz_draw (cairo_t * cr, PangoContext * ctx,
    const GstRvVizScene * scene);

G_END_DECLS
#endif
