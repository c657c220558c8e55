/*
 * param.h — the trainer's parameter tensors.
 *
 * All tensors of a model live in one contiguous double array (values), with
 * parallel arrays for gradients and the two Adam moments, so optimiser steps,
 * gradient norms and checkpoints are single loops. Training runs in double:
 * finite-difference checks are then tight, and the exported float weights
 * are a rounding of them.
 */
#ifndef RVT_PARAM_H
#define RVT_PARAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rng.h"

#define RVT_MAX_TENSORS 64
#define RVT_NAME_LEN 32

typedef enum {
    RVT_INIT_ZERO = 0,
    RVT_INIT_ONE,      /* norm gains */
    RVT_INIT_XAVIER,   /* uniform +-sqrt(6/(fan_in+fan_out)) */
    RVT_INIT_SMALL     /* uniform +-0.5*sqrt(6/(fan_in+fan_out)): residual branch outputs */
} rvt_init;

typedef struct {
    char name[RVT_NAME_LEN];
    uint32_t rows, cols;   /* matrices [rows][cols] = [out][in]; vectors rows=1 */
    size_t off;            /* offset into the arrays of rvt_params */
    rvt_init init;
    bool decay;            /* weight decay applies (matrices, not gains/biases) */
} rvt_tensor;

typedef struct {
    rvt_tensor t[RVT_MAX_TENSORS];
    uint32_t n;
    size_t total;
    double *w, *g, *m, *v; /* [total] each, owned */
} rvt_params;

/* Declare a tensor before rvt_params_alloc(); returns its index or -1. */
int  rvt_params_add(rvt_params *p, const char *name, uint32_t rows,
                    uint32_t cols, rvt_init init, bool decay);
bool rvt_params_alloc(rvt_params *p);            /* zeroes everything */
void rvt_params_free(rvt_params *p);
void rvt_params_init(rvt_params *p, rvt_rng *r); /* per tensor init scheme */
void rvt_params_zero_grad(rvt_params *p);
double *rvt_params_w(rvt_params *p, int idx);
double *rvt_params_g(rvt_params *p, int idx);
int  rvt_params_find(const rvt_params *p, const char *name);

#endif /* RVT_PARAM_H */
