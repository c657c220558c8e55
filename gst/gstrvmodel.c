/* gstrvmodel.c — .rvne loading with actionable errors (see gstrvmodel.h). */
#include "gstrvmodel.h"

#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>

#include "rv_default_models.h"

static GstRvLoadedModel *
load_bytes (GBytes * blob, const gchar * origin, GError ** err)
{
  GstRvLoadedModel *m = g_new0 (GstRvLoadedModel, 1);
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (blob, &len);
  rv_status st;
  size_t size;

  m->refcount = 1;
  m->blob = g_bytes_ref (blob);
  m->origin = g_strdup (origin);
  st = rv_rvne_parse (data, len, &m->info);
  if (st != RV_OK) {
    g_set_error (err, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "model %s is not a valid .rvne file: %s (at byte %" G_GSIZE_FORMAT
        "%s%s)", origin, rv_status_str (st), (gsize) m->info.err_offset,
        m->info.err_detail ? ": " : "",
        m->info.err_detail ? m->info.err_detail : "");
    gst_rv_loaded_model_unref (m);
    return NULL;
  }
  size = rv_model_mem_size (&m->info);
  m->mem = g_malloc (size ? size : 1);
  m->model = rv_model_init (m->mem, size, &m->info, &st);
  if (!m->model) {
    g_set_error (err, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "model %s cannot be built: %s", origin, rv_status_str (st));
    gst_rv_loaded_model_unref (m);
    return NULL;
  }
  m->id = m->info.crc;
  return m;
}

GstRvLoadedModel *
gst_rv_loaded_model_from_file (const gchar * path, GError ** err)
{
  gchar *contents = NULL;
  gsize len = 0;
  GError *ferr = NULL;
  GBytes *blob;
  GstRvLoadedModel *m;

  if (!g_file_get_contents (path, &contents, &len, &ferr)) {
    g_set_error (err, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
        "cannot read model file: %s. Set the model property to an .rvne "
        "file, or leave it unset for the built-in model", ferr->message);
    g_clear_error (&ferr);
    return NULL;
  }
  blob = g_bytes_new_take (contents, len);
  m = load_bytes (blob, path, err);
  g_bytes_unref (blob);
  return m;
}

GstRvLoadedModel *
gst_rv_loaded_model_builtin (GstRvModelBuiltin which, GError ** err)
{
  size_t len = 0;
  const uint8_t *data = which == GST_RV_MODEL_BUILTIN_CSI ?
      rv_default_model_csi (&len) : rv_default_model_state (&len);
  GBytes *blob;
  GstRvLoadedModel *m;

  if (!data || !len) {
    g_set_error (err, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
        "the built-in %s model is missing from this build",
        which == GST_RV_MODEL_BUILTIN_CSI ? "CSI" : "feature-state");
    return NULL;
  }
  blob = g_bytes_new_static (data, len);
  m = load_bytes (blob, which == GST_RV_MODEL_BUILTIN_CSI ? "built-in csi" :
      "built-in state", err);
  g_bytes_unref (blob);
  return m;
}

GstRvLoadedModel *
gst_rv_loaded_model_ref (GstRvLoadedModel * m)
{
  g_atomic_int_inc (&m->refcount);
  return m;
}

void
gst_rv_loaded_model_unref (GstRvLoadedModel * m)
{
  if (!m || !g_atomic_int_dec_and_test (&m->refcount))
    return;
  g_bytes_unref (m->blob);
  g_free (m->mem);
  g_free (m->origin);
  g_free (m);
}

gchar *
gst_rv_loaded_model_label (const GstRvLoadedModel * m, guint head, guint c)
{
  size_t len = 0;
  const char *s = rv_model_label (m->model, head, c, &len);

  return s ? g_strndup (s, len) : g_strdup_printf ("class%u", c);
}

gint
gst_rv_loaded_model_find_head (const GstRvLoadedModel * m, const gchar * spec)
{
  gchar *end = NULL;
  guint64 v;
  gint32 h;

  if (!spec || !*spec)
    return 0;
  h = rv_model_find_head (m->model, spec, strlen (spec));
  if (h >= 0)
    return h;
  v = g_ascii_strtoull (spec, &end, 10);
  if (end && *end == '\0' && end != spec && v < rv_model_n_heads (m->model))
    return (gint) v;
  return -1;
}
