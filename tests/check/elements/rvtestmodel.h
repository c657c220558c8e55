/* rvtestmodel.h — small .rvne files for element tests, written with the
 * kernel's writer: random backbones, and a "probe" model whose head reads
 * the first embedding dims directly (logit c = embedding[c]). */
#ifndef RV_TEST_MODEL_H
#define RV_TEST_MODEL_H

#include <glib.h>
#include <glib/gstdio.h>
#include <gst/check/gstcheck.h>

#include "rv_rvne.h"

static const char *const rvt_labels[] = { "empty", "walking", "fall", "sit" };

/* Writes a v2 model declaring input kind/layout (RV_RVNE_INPUT_NONE: no
 * INPT section) whose head has the given class labels (n_classes of them)
 * to a new temp file; returns its path (g_free). */
static inline gchar *
rvt_write_model_labels (guint input_dim, guint n_classes, gboolean probe,
    guint32 seed, guint32 input_kind, guint32 input_layout,
    const char *const *labels)
{
  rv_rvne_spec spec;
  rv_rvne_head_spec head = { "activity", labels };
  rv_status st = RV_OK;
  GRand *r = g_rand_new_with_seed (seed);
  guint64 n;
  gfloat *w;
  size_t size, written = 0;
  guint8 *out;
  gchar *path = NULL;
  gint fd;

  memset (&spec, 0, sizeof spec);
  spec.version = RV_RVNE_VERSION;
  spec.arch.input_dim = input_dim;
  spec.arch.q_heads = 2;
  spec.arch.kv_heads = 1;
  spec.arch.head_dim = 8;
  spec.arch.n_layers = 1;
  spec.arch.d_model = input_dim;
  spec.arch.n_heads = 1;
  spec.arch.head_classes[0] = n_classes;
  spec.heads = &head;
  spec.input_kind = input_kind;
  spec.input_layout = input_layout;
  n = rv_rvne_weight_count (&spec.arch);
  fail_unless (n > 0);
  w = g_new0 (gfloat, n);
  for (guint64 i = 0; i < n; i++)
    w[i] = probe ? 0.0f : (gfloat) g_rand_double_range (r, -0.3, 0.3);
  if (probe) {
    /* head W [C][D]: logit c = e[c]. Zero attention leaves e = x. */
    for (guint32 t = 0; t < rv_rvne_tensor_count (&spec.arch); t++) {
      rv_rvne_tensor tt;
      fail_unless_equals_int (rv_rvne_tensor_at (&spec.arch, t, &tt), RV_OK);
      if (tt.kind == RV_RVNE_T_HEAD_W)
        for (guint c = 0; c < n_classes; c++)
          w[tt.offset + (guint64) c * tt.cols + c] = 1.0f;
    }
  }
  size = rv_rvne_write_size (&spec, &st);
  fail_unless (size > 0, "write_size: %d", st);
  out = g_malloc (size);
  fail_unless_equals_int (rv_rvne_write (&spec, w, n, out, size, &written),
      RV_OK);
  fd = g_file_open_tmp ("rvtest-XXXXXX.rvne", &path, NULL);
  fail_unless (fd >= 0);
  close (fd);
  fail_unless (g_file_set_contents (path, (const gchar *) out, written,
          NULL));
  g_free (out);
  g_free (w);
  g_rand_free (r);
  return path;
}

/* The same with the labels rvt_labels. */
static inline gchar *
rvt_write_model_input (guint input_dim, guint n_classes, gboolean probe,
    guint32 seed, guint32 input_kind, guint32 input_layout)
{
  return rvt_write_model_labels (input_dim, n_classes, probe, seed,
      input_kind, input_layout, rvt_labels);
}

/* The same without an input declaration. */
static inline gchar *
rvt_write_model (guint input_dim, guint n_classes, gboolean probe,
    guint32 seed)
{
  return rvt_write_model_input (input_dim, n_classes, probe, seed,
      RV_RVNE_INPUT_NONE, 0);
}

#endif
