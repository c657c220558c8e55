/*
 * dataset.h — fixed-length training windows: features [seq_len][in_dim]
 * (float, exactly what the kernel model consumes) and a label per frame
 * (class index, or -1 = not trained/evaluated: feature warm-up, too little
 * context, unlabelled time).
 */
#ifndef RVT_DATASET_H
#define RVT_DATASET_H

#include <stdbool.h>
#include <stdint.h>

#include "rng.h"

typedef struct {
    uint32_t in_dim, seq_len;
    uint32_t n_seq, cap;
    float *x;        /* [cap][seq_len][in_dim] */
    int32_t *y;      /* [cap][seq_len] */
    uint32_t *src;   /* [cap] id of the recording/stream the window came from */
} rvt_dataset;

bool rvt_dataset_init(rvt_dataset *ds, uint32_t in_dim, uint32_t seq_len);
void rvt_dataset_free(rvt_dataset *ds);
/* Append one window (copied). */
bool rvt_dataset_add(rvt_dataset *ds, const float *x, const int32_t *y,
                     uint32_t src);

/* Cut a labelled stream of T frames into windows of seq_len frames every
 * `stride` frames (the last window is aligned to the stream's end). In each
 * window the first `ctx_min` frames are unlabelled (-1) unless the window
 * starts at the stream's start: a frame is judged with at least that much
 * history, as it is when streaming. Returns the number of windows added. */
uint32_t rvt_dataset_add_stream(rvt_dataset *ds, const float *x,
                                const int32_t *y, uint32_t T, uint32_t stride,
                                uint32_t ctx_min, uint32_t src);

/* Labelled frames per class (counts[n_classes]); labels >= n_classes are
 * ignored. */
void rvt_dataset_class_counts(const rvt_dataset *ds, uint32_t n_classes,
                              uint64_t *counts);

/* Sources with this bit set stay in training, never in validation (e.g.
 * simulated sessions on a receiver the model is not judged on). */
#define RVT_SRC_NO_VAL 0x80000000u

/* Move every window whose src falls in the validation share (by a hash of
 * src and seed, so whole recordings go to one side) from ds to val. When that
 * leaves either side empty, windows are split instead (every k-th). */
bool rvt_dataset_split(rvt_dataset *ds, rvt_dataset *val, double val_frac,
                       uint64_t seed);

/* A tiny separable task: segments of random class (8..40 frames) whose
 * frames are the class's pattern (dim c mod in_dim high, jittered by
 * task_seed) plus noise
 * (drawn from sample_seed: a second sample of the same task is a held-out
 * set). */
bool rvt_dataset_synthetic(rvt_dataset *ds, uint32_t n_seq, uint32_t n_classes,
                           double noise, uint64_t task_seed, uint64_t sample_seed);

#endif /* RVT_DATASET_H */
