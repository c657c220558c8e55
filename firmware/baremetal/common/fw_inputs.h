/*
 * fw_inputs.h — deterministic inputs shared by the runner and the budget
 * measurements (fw_inputs.c).
 */
#ifndef FW_INPUTS_H
#define FW_INPUTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rv_rvne.h"

#define FW_WINDOW      256u   /* window_len of every ABI run */
#define FW_MAX_DIM     64u
#define FW_MAX_CLASSES 32u

/* Uniform in [-1, 1), exact in fp32, from an integer hash. */
float fw_unit(uint32_t i, uint32_t seed);
void  fw_fill(float *x, uint32_t n, uint32_t seed, float scale);
/* Frame t of the fixed feature sequence (dim floats). */
void  fw_feature_frame(uint32_t t, uint32_t dim, float *x);

typedef struct {
    const uint8_t *blob;
    size_t len;
    rv_rvne_info info;
    uint32_t in_dim, n_cls;
} fw_model_src;

bool fw_model_source(fw_model_src *m);

#endif /* FW_INPUTS_H */
