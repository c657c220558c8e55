/*
 * adam.h — Adam with bias correction, decoupled weight decay (AdamW, only on
 * tensors flagged `decay`) and global gradient-norm clipping.
 */
#ifndef RVT_ADAM_H
#define RVT_ADAM_H

#include "param.h"

typedef struct {
    double lr, beta1, beta2, eps;
    double weight_decay;   /* decoupled, multiplied by lr; 0 = off */
    double clip_norm;      /* clip the global L2 gradient norm; 0 = off */
} rvt_adam_cfg;

rvt_adam_cfg rvt_adam_defaults(void);

/* One step (t counts from 1) using p->g; returns the pre-clip gradient norm. */
double rvt_adam_step(rvt_params *p, const rvt_adam_cfg *cfg, uint64_t t);

#endif /* RVT_ADAM_H */
