/*
 * gstrvmodel.h — loading .rvne models for rvtemporalhead / rvclassify.
 *
 * A model is read from a file (or taken from the kernel's built-in
 * defaults), parsed and validated by the kernel (rv_rvne_parse,
 * rv_model_init); failures come back as a GError whose message names the
 * file, the kernel's reason and the byte offset, for GST_ELEMENT_ERROR.
 */
#ifndef GST_RV_MODEL_H
#define GST_RV_MODEL_H

#include <gst/gst.h>

#include "rv_model.h"

G_BEGIN_DECLS

typedef enum {
  GST_RV_MODEL_BUILTIN_CSI,         /* raw CSI frames, input RV_CSI_FEAT_DIM */
  GST_RV_MODEL_BUILTIN_STATE,       /* feature-state packets, RV_STATE_FEAT_DIM */
} GstRvModelBuiltin;

typedef struct {
  gint refcount;
  GBytes *blob;                 /* keeps the weights alive (zero copy) */
  rv_rvne_info info;
  rv_model *model;
  gpointer mem;
  guint32 id;                   /* CRC32 of the blob */
  gchar *origin;                /* file path or "built-in csi" / "built-in state" */
} GstRvLoadedModel;

GstRvLoadedModel *gst_rv_loaded_model_from_file (const gchar * path, GError ** err);
GstRvLoadedModel *gst_rv_loaded_model_builtin (GstRvModelBuiltin which, GError ** err);
GstRvLoadedModel *gst_rv_loaded_model_ref (GstRvLoadedModel * m);
void gst_rv_loaded_model_unref (GstRvLoadedModel * m);

/* Label of class c of head h as a NUL-terminated new string. */
gchar *gst_rv_loaded_model_label (const GstRvLoadedModel * m, guint head, guint c);
/* Head index for "name" or a decimal index; -1 if none. NULL/"" -> 0. */
gint gst_rv_loaded_model_find_head (const GstRvLoadedModel * m, const gchar * spec);

G_END_DECLS
#endif
