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
  RV_MODEL_BUILTIN_CSI,         /* raw CSI frames, input RV_CSI_FEAT_DIM */
  RV_MODEL_BUILTIN_STATE,       /* feature-state packets, RV_STATE_FEAT_DIM */
} RvModelBuiltin;

typedef struct {
  gint refcount;
  GBytes *blob;                 /* keeps the weights alive (zero copy) */
  rv_rvne_info info;
  rv_model *model;
  gpointer mem;
  guint32 id;                   /* CRC32 of the blob */
  gchar *origin;                /* file path or "built-in csi" / "built-in state" */
} RvLoadedModel;

RvLoadedModel *rv_loaded_model_from_file (const gchar * path, GError ** err);
RvLoadedModel *rv_loaded_model_builtin (RvModelBuiltin which, GError ** err);
RvLoadedModel *rv_loaded_model_ref (RvLoadedModel * m);
void rv_loaded_model_unref (RvLoadedModel * m);

/* Label of class c of head h as a NUL-terminated new string. */
gchar *rv_loaded_model_label (const RvLoadedModel * m, guint head, guint c);
/* Head index for "name" or a decimal index; -1 if none. NULL/"" -> 0. */
gint rv_loaded_model_find_head (const RvLoadedModel * m, const gchar * spec);

G_END_DECLS
#endif
