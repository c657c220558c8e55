/* gstrvvizlayout.c — page grid and card panels of rvcsiviz (see header). */
#include "gstrvvizlayout.h"

#include <math.h>

/* Title bar height: readable at 360p, not wasteful at 1080p. */
static gdouble
title_height (guint height)
{
  return MAX (16.0, round (height * 0.045));
}

void
gst_rv_viz_layout_page (guint width, guint height, guint n_nodes,
    guint per_page, guint page, GstRvVizPageLayout * out)
{
  guint count, cols, rows;

  per_page = MAX (per_page, 1);
  out->title = (GstRvVizRect) {
  0, 0, width, title_height (height)};
  out->n_pages = n_nodes ? (n_nodes + per_page - 1) / per_page : 1;
  page %= out->n_pages;
  out->first = page * per_page;
  count = n_nodes > out->first ? MIN (per_page, n_nodes - out->first) : 0;
  out->count = count;

  /* The smallest square-ish grid that holds them: 1, 2x1, 2x2, 3x2, 3x3,
   * 4x3, 4x4; on a 16:9 frame the cards stay wider than tall. */
  cols = 1;
  while (cols * cols < count)
    cols++;
  rows = count ? (count + cols - 1) / cols : 1;
  out->cols = cols;
  out->rows = rows;
}

void
gst_rv_viz_layout_card (guint width, guint height,
    const GstRvVizPageLayout * page, guint i, GstRvVizCardLayout * out)
{
  const gdouble gap = MAX (2.0, round (height * 0.006));
  gdouble top = page->title.h;
  gdouble cw = (width - gap) / (gdouble) page->cols;
  gdouble ch = (height - top - gap) / (gdouble) page->rows;
  guint c = i % page->cols, r = i / page->cols;
  GstRvVizRect k;
  gdouble hh, lh, eh, rest, y;

  k.x = gap + c * cw;
  k.y = top + gap + r * ch;
  k.w = cw - gap;
  k.h = ch - gap;
  out->card = k;

  hh = MAX (10.0, round (k.h * 0.11));
  lh = MAX (12.0, round (k.h * 0.16));
  eh = MAX (2.0, round (k.h * 0.03));
  rest = MAX (0.0, k.h - hh - lh - eh);
  y = k.y;
  out->header = (GstRvVizRect) {
  k.x, y, k.w, hh};
  y += hh;
  out->label = (GstRvVizRect) {
  k.x, y, k.w, lh};
  y += lh;
  out->embedding = (GstRvVizRect) {
  k.x, y, k.w, eh};
  y += eh;
  out->waterfall = (GstRvVizRect) {
  k.x, y, k.w, round (rest * 0.27)};
  y += out->waterfall.h;
  out->doppler = (GstRvVizRect) {
  k.x, y, k.w, round (rest * 0.18)};
  y += out->doppler.h;
  out->motion = (GstRvVizRect) {
  k.x, y, k.w, round (rest * 0.30)};
  y += out->motion.h;
  out->timeline = (GstRvVizRect) {
  k.x, y, k.w, k.y + k.h - y};
}
