/*
 * windows_file.h — the labelled windows rvtrain trains on, written to a file
 * for offline analysis (rvtrain --dump-windows;
 * scripts/analysis/feature-ceiling.py reads it). Layout, all little-endian
 * (docs/training.md §6):
 *
 *   "RVTW"  u32 version (1)  u32 in_dim  u32 seq_len  u32 n_classes
 *   n_classes x 32-byte class names (NUL-padded)
 *   u32 n_windows
 *   per window: u32 stream id, u32 split (0 train, 1 test),
 *               seq_len x in_dim f32 features, seq_len x i32 labels (-1 = none)
 */
#ifndef RVT_WINDOWS_FILE_H
#define RVT_WINDOWS_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "classes.h"
#include "dataset.h"

#define RVT_WINDOWS_VERSION 1u

/* Write tr (split 0) then te (split 1; may be empty). Both share in_dim and
 * seq_len. false with a message in err on an I/O error. */
bool rvt_windows_write(const char *path, const rvt_dataset *tr,
                       const rvt_dataset *te, const rvt_classes *cls,
                       char *err, size_t err_len);

#endif /* RVT_WINDOWS_FILE_H */
