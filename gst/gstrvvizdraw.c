/*
 * gstrvvizdraw.c — cairo/pango panels of rvcsiviz: title bar, and per node
 * a header (id, packet rate, loss, RSSI), the current decision, an
 * embedding strip, the amplitude waterfall (subcarrier bins x frames,
 * newest on the right), the motion score with its threshold and the
 * decision timeline with label names. An offline node is greyed out.
 */
#include "gstrvvizdraw.h"
#include "gstrvvizlayout.h"

#include <math.h>
#include <pango/pangocairo.h>

typedef struct
{
  gdouble r, g, b;
} Rgb;

static const Rgb BG = { 0.07, 0.08, 0.10 };
static const Rgb CARD = { 0.13, 0.14, 0.17 };
static const Rgb TEXT = { 0.92, 0.93, 0.95 };
static const Rgb DIM = { 0.60, 0.62, 0.66 };
static const Rgb MOTION = { 1.00, 0.55, 0.15 };
static const Rgb THRESH = { 0.95, 0.25, 0.25 };
static const Rgb STILL = { 0.35, 0.75, 0.45 };

/* Label colours: a label keeps its colour across nodes and frames. */
static const Rgb PALETTE[] = {
  {0.30, 0.60, 0.95}, {0.95, 0.45, 0.30}, {0.40, 0.80, 0.40},
  {0.85, 0.35, 0.75}, {0.95, 0.80, 0.25}, {0.30, 0.80, 0.85},
  {0.70, 0.55, 0.95}, {0.90, 0.60, 0.60},
};

static Rgb
label_color (GQuark label)
{
  const gchar *s = g_quark_to_string (label);
  return PALETTE[g_str_hash (s ? s : "") % G_N_ELEMENTS (PALETTE)];
}

static void
set_rgb (cairo_t * cr, Rgb c)
{
  cairo_set_source_rgb (cr, c.r, c.g, c.b);
}

static void
fill_rect (cairo_t * cr, const GstRvVizRect * r, Rgb c)
{
  set_rgb (cr, c);
  cairo_rectangle (cr, r->x, r->y, r->w, r->h);
  cairo_fill (cr);
}

/* Lays out str in a box of width w (ellipsized), pixel size px; align 0
 * left, 1 right, 2 centred. */
static void
set_text (PangoLayout * pl, const gchar * str, gdouble w, gdouble px,
    gboolean bold, gint align)
{
  PangoFontDescription *fd = pango_font_description_from_string ("Sans");

  pango_font_description_set_absolute_size (fd, MAX (px, 4.0) * PANGO_SCALE);
  pango_font_description_set_weight (fd,
      bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (pl, fd);
  pango_font_description_free (fd);
  pango_layout_set_width (pl, (gint) (MAX (w, 1.0) * PANGO_SCALE));
  pango_layout_set_ellipsize (pl, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (pl, align == 2 ? PANGO_ALIGN_CENTER :
      align ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
  pango_layout_set_text (pl, str, -1);
}

/* Text at (x, y), laid out as set_text() does, in colour c. */
static void
text (cairo_t * cr, PangoLayout * pl, const gchar * str, gdouble x, gdouble y,
    gdouble w, gdouble px, gboolean bold, gint align, Rgb c)
{
  set_text (pl, str, w, px, bold, align);
  set_rgb (cr, c);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, pl);
}

/* A small label on a busy panel: text on a dark backing so it stays
 * legible over the heat images and traces. */
static void
tag (cairo_t * cr, PangoLayout * pl, const gchar * str, const GstRvVizRect * r,
    gdouble px)
{
  PangoRectangle ink, log;

  set_text (pl, str, r->w - 6, px, FALSE, 0);
  pango_layout_get_pixel_extents (pl, &ink, &log);
  cairo_set_source_rgba (cr, 0.0, 0.0, 0.0, 0.6);
  cairo_rectangle (cr, r->x, r->y, MIN (log.width + 6.0, r->w),
      MIN (log.height + 2.0, r->h));
  cairo_fill (cr);
  set_rgb (cr, TEXT);
  cairo_move_to (cr, r->x + 3, r->y + 1);
  pango_cairo_show_layout (cr, pl);
}

/* Amplitude to colour: dark blue -> cyan -> yellow -> white. */
static guint32
heat (gdouble v)
{
  gdouble r, g, b;
  v = CLAMP (v, 0.0, 1.0);
  r = CLAMP (2.0 * v - 0.6, 0.0, 1.0);
  g = CLAMP (1.6 * v - 0.1, 0.0, 1.0);
  b = CLAMP (0.35 + 1.2 * v - 1.5 * v * v, 0.0, 1.0) + CLAMP (v - 0.85, 0, 1);
  b = MIN (b, 1.0);
  return 0xff000000u | ((guint32) (r * 255) << 16) | ((guint32) (g * 255) << 8)
      | (guint32) (b * 255);
}

/* One history as a heat image: `rows` values per column (row 0 at the
 * bottom), newest column on the right, colours spanning the values shown
 * at or above `floor`, at most `max_span` below the largest (0: no
 * limit); columns without values stay dark. */
typedef const gfloat *(*ColumnValues) (const GstRvVizColumn * c);

static void
draw_heat (cairo_t * cr, const GstRvVizNode * n, const GstRvVizRect * r,
    guint rows, ColumnValues values, gfloat floor, gfloat max_span)
{
  guint cols = n->n_cols, age, b;
  gfloat lo = G_MAXFLOAT, hi = -G_MAXFLOAT, span;
  cairo_surface_t *img;
  guint32 *pix;
  gint stride;

  for (age = 0; age < n->filled; age++) {
    const gfloat *v = values (gst_rv_viz_node_column (n, age));
    for (b = 0; v && b < rows; b++)
      if (v[b] >= floor) {
        lo = MIN (lo, v[b]);
        hi = MAX (hi, v[b]);
      }
  }
  if (hi < lo)
    lo = hi = 0.0f;
  if (max_span > 0.0f)
    lo = MAX (lo, hi - max_span);
  span = MAX (hi - lo, 1e-3f);
  img = cairo_image_surface_create (CAIRO_FORMAT_RGB24, cols, rows);
  cairo_surface_flush (img);
  pix = (guint32 *) cairo_image_surface_get_data (img);
  stride = cairo_image_surface_get_stride (img) / 4;
  for (age = 0; age < cols; age++) {
    const GstRvVizColumn *c = gst_rv_viz_node_column (n, age);
    const gfloat *v = c ? values (c) : NULL;
    guint x = cols - 1 - age;
    for (b = 0; b < rows; b++)
      pix[(rows - 1 - b) * stride + x] = v ? heat ((v[b] - lo) / span) :
          0xff101216u;
  }
  cairo_surface_mark_dirty (img);
  cairo_save (cr);
  cairo_rectangle (cr, r->x, r->y, r->w, r->h);
  cairo_clip (cr);
  cairo_translate (cr, r->x, r->y);
  cairo_scale (cr, r->w / cols, r->h / rows);
  cairo_set_source_surface (cr, img, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_surface_destroy (img);
}

static const gfloat *
amplitudes (const GstRvVizColumn * c)
{
  return c->has_amp ? c->amp : NULL;
}

static const gfloat *
doppler (const GstRvVizColumn * c)
{
  return c->has_doppler ? c->doppler : NULL;
}

static void
draw_waterfall (cairo_t * cr, const GstRvVizNode * n, const GstRvVizRect * r,
    PangoLayout * pl, gdouble px)
{
  gchar s[48];

  fill_rect (cr, r, BG);
  if (r->h < 2 || r->w < 2)
    return;
  if (n->n_subcarriers == 0) {
    text (cr, pl, "no raw CSI", r->x + 4, r->y + 2, r->w - 8, px, FALSE, 0,
        DIM);
    return;
  }
  /* null subcarriers (amplitude under 1) left out of the colour range so
   * they do not flatten the rest */
  draw_heat (cr, n, r, GST_RV_VIZ_BINS, amplitudes, 1.0f, 0.0f);
  g_snprintf (s, sizeof s, "%u subcarriers", n->n_subcarriers);
  tag (cr, pl, s, r, px * 0.85);
}

/* Doppler: frequency (0 Hz at the bottom, half the packet rate at the top)
 * x frames, log power. */
static void
draw_doppler (cairo_t * cr, const GstRvVizNode * n, const GstRvVizRect * r,
    PangoLayout * pl, gdouble px, gdouble pkt_per_s)
{
  gchar s[48];

  fill_rect (cr, r, BG);
  if (r->h < 2 || r->w < 2 || n->n_subcarriers == 0)
    return;
  /* log10 power: the top 30 dB */
  draw_heat (cr, n, r, GST_RV_VIZ_DOPPLER_BINS, doppler, -G_MAXFLOAT, 3.0f);
  g_snprintf (s, sizeof s, "Doppler 0-%.0f Hz", pkt_per_s / 2.0);
  tag (cr, pl, s, r, px * 0.85);
}

static void
draw_motion (cairo_t * cr, const GstRvVizNode * n, const GstRvVizRect * r,
    PangoLayout * pl, gdouble px)
{
  guint cols = n->n_cols, age;
  gdouble top = 0.0, dx = r->w / cols;
  gboolean any = FALSE;

  fill_rect (cr, r, (Rgb) {
      0.10, 0.11, 0.13});
  for (age = 0; age < n->filled; age++) {
    const GstRvVizColumn *c = gst_rv_viz_node_column (n, age);
    if (c->has_motion) {
      top = MAX (top, MAX (c->motion_score, 1.5 * c->motion_threshold));
      any = TRUE;
    }
  }
  if (!any) {
    text (cr, pl, "motion: no detector output", r->x + 4, r->y + 2, r->w - 8,
        px * 0.85, FALSE, 0, DIM);
    return;
  }
  top = top > 0 ? top : 1.0;
  cairo_save (cr);
  cairo_rectangle (cr, r->x, r->y, r->w, r->h);
  cairo_clip (cr);
  /* motion-held frames tinted */
  for (age = 0; age < n->filled; age++) {
    const GstRvVizColumn *c = gst_rv_viz_node_column (n, age);
    if (c->has_motion && c->motion) {
      cairo_set_source_rgba (cr, MOTION.r, MOTION.g, MOTION.b, 0.18);
      cairo_rectangle (cr, r->x + r->w - (age + 1) * dx, r->y, dx + 0.5, r->h);
      cairo_fill (cr);
    }
  }
  /* threshold (of the newest frame) dashed */
  {
    const GstRvVizColumn *c = gst_rv_viz_node_column (n, 0);
    gdouble y = r->y + r->h * (1.0 - c->motion_threshold / top);
    const gdouble dash[] = { 4.0, 3.0 };
    cairo_set_dash (cr, dash, 2, 0);
    set_rgb (cr, THRESH);
    cairo_set_line_width (cr, 1.0);
    cairo_move_to (cr, r->x, y);
    cairo_line_to (cr, r->x + r->w, y);
    cairo_stroke (cr);
    cairo_set_dash (cr, NULL, 0, 0);
  }
  set_rgb (cr, MOTION);
  cairo_set_line_width (cr, MAX (1.0, px / 8.0));
  {
    gboolean pen = FALSE;
    for (age = n->filled; age-- > 0;) {
      const GstRvVizColumn *c = gst_rv_viz_node_column (n, age);
      gdouble x = r->x + r->w - (age + 0.5) * dx;
      gdouble y = r->y + r->h * (1.0 - CLAMP (c->motion_score / top, 0, 1));
      if (!c->has_motion) {
        pen = FALSE;
        continue;
      }
      if (pen)
        cairo_line_to (cr, x, y);
      else
        cairo_move_to (cr, x, y);
      pen = TRUE;
    }
    cairo_stroke (cr);
  }
  cairo_restore (cr);
  {
    gchar s[64];
    g_snprintf (s, sizeof s, "motion %.3g / %.3g%s", n->motion_score,
        n->motion_threshold, n->motion_calibrated ? "" : " (calibrating)");
    tag (cr, pl, s, r, px * 0.85);
  }
}

static void
draw_timeline (cairo_t * cr, const GstRvVizNode * n, const GstRvVizRect * r,
    PangoLayout * pl, gdouble px)
{
  guint cols = n->n_cols, age;
  gdouble dx = r->w / cols;
  gdouble name_right = r->x + r->w + 1.0;

  fill_rect (cr, r, BG);
  cairo_save (cr);
  cairo_rectangle (cr, r->x, r->y, r->w, r->h);
  cairo_clip (cr);
  for (age = 0; age < n->filled; age++) {
    const GstRvVizColumn *c = gst_rv_viz_node_column (n, age);
    gdouble x = r->x + r->w - (age + 1) * dx;
    gdouble bh = r->h * CLAMP (c->confidence, 0.0, 1.0);
    Rgb col;
    if (!c->label)
      continue;
    col = label_color (c->label);
    /* band height is the confidence, a faint full band behind it */
    cairo_set_source_rgba (cr, col.r, col.g, col.b, 0.30);
    cairo_rectangle (cr, x, r->y, dx + 0.5, r->h);
    cairo_fill (cr);
    set_rgb (cr, col);
    cairo_rectangle (cr, x, r->y + r->h - bh, dx + 0.5, bh);
    cairo_fill (cr);
  }
  /* label names where each decision began, newest first, if they fit */
  for (age = 0; age < n->filled; age++) {
    const GstRvVizColumn *c = gst_rv_viz_node_column (n, age);
    const GstRvVizColumn *older = gst_rv_viz_node_column (n, age + 1);
    gdouble x;
    if (!c->label || (older && older->label == c->label))
      continue;
    x = r->x + r->w - (age + 1) * dx;
    if (name_right - x > px * 3) {
      text (cr, pl, g_quark_to_string (c->label), x + 2, r->y + 1,
          name_right - x - 3, px * 0.85, TRUE, 0, TEXT);
      name_right = x;
      set_rgb (cr, TEXT);
      cairo_rectangle (cr, x, r->y, 1.0, r->h);
      cairo_fill (cr);
    }
  }
  cairo_restore (cr);
}

static void
draw_embedding (cairo_t * cr, const GstRvVizNode * n, const GstRvVizRect * r)
{
  guint i;
  gdouble w;
  gfloat peak = 1e-6f;

  fill_rect (cr, r, BG);
  if (!n->n_emb)
    return;
  for (i = 0; i < n->n_emb; i++)
    peak = MAX (peak, fabsf (n->emb[i]));
  w = r->w / n->n_emb;
  for (i = 0; i < n->n_emb; i++) {
    gdouble v = n->emb[i] / peak;
    /* diverging: blue negative, orange positive */
    if (v >= 0)
      cairo_set_source_rgb (cr, 0.2 + 0.75 * v, 0.2 + 0.4 * v, 0.2);
    else
      cairo_set_source_rgb (cr, 0.2, 0.2 - 0.1 * v, 0.2 - 0.75 * v);
    cairo_rectangle (cr, r->x + i * w, r->y, w + 0.5, r->h);
    cairo_fill (cr);
  }
}

static void
draw_card (cairo_t * cr, PangoLayout * pl, const GstRvVizScene * sc,
    const GstRvVizNode * n, const GstRvVizCardLayout * k)
{
  const GstRvVizRect *l = &k->label;
  gchar s[128];
  /* text follows the card's size, not too large on a wide single row */
  gdouble px = MAX (7.0, MIN (k->header.h * 0.62, k->card.w / 30.0));
  gdouble lpx = MIN (l->h * 0.62, k->card.w / 14.0);
  gdouble rate, loss;

  fill_rect (cr, &k->card, CARD);
  /* header: node, packet rate, loss, RSSI */
  gst_rv_viz_node_rate (n, (guint) MAX (1.0, sc->fps * 2.0), sc->fps, &rate,
      &loss);
  g_snprintf (s, sizeof s, "node %u", n->node_id);
  text (cr, pl, s, k->header.x + 4, k->header.y + 1, k->header.w * 0.4, px,
      TRUE, 0, TEXT);
  if (n->n_subcarriers)
    g_snprintf (s, sizeof s, "%.1f pkt/s  loss %.1f%%  %d dBm", rate,
        100.0 * loss, n->rssi);
  else
    g_snprintf (s, sizeof s, "%.1f pkt/s  loss %.1f%%", rate, 100.0 * loss);
  text (cr, pl, s, k->header.x + k->header.w * 0.3, k->header.y + 1,
      k->header.w * 0.7 - 4, px * 0.9, FALSE, 1, DIM);

  /* decision box: label in its colour, confidence, motion badge */
  if (n->label) {
    Rgb c = label_color (n->label);
    cairo_set_source_rgba (cr, c.r, c.g, c.b, 0.35);
    cairo_rectangle (cr, l->x, l->y, l->w, l->h);
    cairo_fill (cr);
    g_snprintf (s, sizeof s, "%s  %.0f%%%s", g_quark_to_string (n->label),
        100.0 * n->confidence, n->gated && n->has_motion ? "  (held)" : "");
  } else {
    g_snprintf (s, sizeof s, "no decision yet");
  }
  text (cr, pl, s, l->x + 4, l->y + (l->h - lpx * 1.15) / 2, l->w * 0.72 - 4,
      lpx, TRUE, 0, n->label ? TEXT : DIM);
  if (n->has_motion) {
    Rgb c = n->motion ? MOTION : STILL;
    text (cr, pl, n->motion ? "MOTION" : "still", l->x + l->w * 0.72,
        l->y + (l->h - lpx * 0.85) / 2, l->w * 0.28 - 4, lpx * 0.7, TRUE, 1,
        c);
  }

  draw_embedding (cr, n, &k->embedding);
  draw_waterfall (cr, n, &k->waterfall, pl, px * 0.9);
  draw_doppler (cr, n, &k->doppler, pl, px * 0.9, rate);
  draw_motion (cr, n, &k->motion, pl, px * 0.9);
  draw_timeline (cr, n, &k->timeline, pl, px * 0.9);

  if (!n->online) {
    cairo_set_source_rgba (cr, 0.05, 0.05, 0.05, 0.72);
    cairo_rectangle (cr, k->card.x, k->label.y, k->card.w,
        k->card.h - (k->label.y - k->card.y));
    cairo_fill (cr);
    text (cr, pl, "OFFLINE", k->card.x, k->card.y + k->card.h * 0.45,
        k->card.w * 0.5 + px * 3, px * 1.8, TRUE, 1, THRESH);
  }
}

PangoContext *
gst_rv_viz_draw_context_new (void)
{
  PangoFontMap *fm = pango_cairo_font_map_new ();
  PangoContext *ctx = pango_font_map_create_context (fm);

  g_object_unref (fm);
  return ctx;
}

void
gst_rv_viz_draw (cairo_t * cr, PangoContext * ctx, const GstRvVizScene * sc)
{
  GstRvVizPageLayout page;
  PangoLayout *pl;
  gchar s[160];
  guint64 t = sc->running_time / (1000 * G_GUINT64_CONSTANT (1000000));
  guint i, offline = 0;

  gst_rv_viz_layout_page (sc->width, sc->height, sc->n_nodes, sc->per_page,
      sc->page, &page);
  pango_cairo_update_context (cr, ctx);
  pl = pango_layout_new (ctx);
  set_rgb (cr, BG);
  cairo_paint (cr);

  for (i = 0; i < sc->n_nodes; i++)
    offline += !sc->nodes[i]->online;
  if (offline)
    g_snprintf (s, sizeof s, "rvcsi  %u node%s (%u offline)  %02u:%02u:%02u",
        sc->n_nodes, sc->n_nodes == 1 ? "" : "s", offline,
        (guint) (t / 3600), (guint) (t / 60 % 60), (guint) (t % 60));
  else
    g_snprintf (s, sizeof s, "rvcsi  %u node%s  %02u:%02u:%02u", sc->n_nodes,
        sc->n_nodes == 1 ? "" : "s", (guint) (t / 3600),
        (guint) (t / 60 % 60), (guint) (t % 60));
  text (cr, pl, s, 6, page.title.h * 0.15, page.title.w * 0.7,
      page.title.h * 0.6, TRUE, 0, TEXT);
  if (page.n_pages > 1) {
    g_snprintf (s, sizeof s, "page %u/%u", sc->page % page.n_pages + 1,
        page.n_pages);
    text (cr, pl, s, page.title.w * 0.7, page.title.h * 0.15,
        page.title.w * 0.3 - 6, page.title.h * 0.6, FALSE, 1, DIM);
  }

  if (sc->n_nodes == 0) {
    text (cr, pl, "waiting for nodes", 0, sc->height * 0.45, sc->width,
        sc->height * 0.06, FALSE, 2, DIM);
  }
  for (i = 0; i < page.count; i++) {
    GstRvVizCardLayout k;
    gst_rv_viz_layout_card (sc->width, sc->height, &page, i, &k);
    draw_card (cr, pl, sc, sc->nodes[page.first + i], &k);
  }
  g_object_unref (pl);
}
