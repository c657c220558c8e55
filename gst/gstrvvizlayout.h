/*
 * gstrvvizlayout.h — where rvcsiviz draws what: a title bar, then a grid
 * of node cards (at most `per_page` nodes per page), each card split into
 * its panels. Pure arithmetic on the frame size, shared with the tests
 * (they compare the pixels of a card's label box).
 */
#ifndef GST_RV_VIZ_LAYOUT_H
#define GST_RV_VIZ_LAYOUT_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gdouble x, y, w, h;
} GstRvVizRect;

typedef struct
{
  GstRvVizRect card;
  GstRvVizRect header;          /* node name, packet rate and loss */
  GstRvVizRect label;           /* current decision and confidence */
  GstRvVizRect embedding;       /* embedding strip */
  GstRvVizRect waterfall;       /* amplitude, subcarrier x time */
  GstRvVizRect doppler;         /* Doppler spectrogram, frequency x time */
  GstRvVizRect motion;          /* motion score trace and threshold */
  GstRvVizRect timeline;        /* decision timeline */
} GstRvVizCardLayout;

typedef struct
{
  GstRvVizRect title;
  guint cols, rows;             /* grid of this page */
  guint n_pages;
  guint first, count;           /* nodes (in id order) on this page */
} GstRvVizPageLayout;

/* Lays out page `page` (wrapped) of `n_nodes` nodes, `per_page` at most
 * per page, on a width x height frame. */
void gst_rv_viz_layout_page (guint width, guint height, guint n_nodes,
    guint per_page, guint page, GstRvVizPageLayout * out);
/* Card `i` (0-based on the page) of a page laid out above. */
void gst_rv_viz_layout_card (guint width, guint height,
    const GstRvVizPageLayout * page, guint i, GstRvVizCardLayout * out);

G_END_DECLS
#endif
