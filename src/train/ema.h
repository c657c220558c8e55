/*
 * ema.h — an exponential moving average of the weights (Polyak averaging).
 *
 * A shadow copy of the parameter values, updated after every optimiser step
 * as shadow = decay * shadow + (1 - decay) * w, starting from the weights
 * training starts with (no bias correction: the starting weights keep a
 * share decay^steps). The average of a noisy trajectory sits nearer the
 * bottom of the valley than any one point of it, so validation, best-epoch
 * selection and export read the shadow when averaging is on.
 */
#ifndef RVT_EMA_H
#define RVT_EMA_H

#include <stdbool.h>
#include <stddef.h>

#include "param.h"

typedef struct {
    double decay;   /* 0 <= decay < 1; 0: the shadow is the latest weights */
    double *w;      /* [total], owned */
    size_t total;
} rvt_ema;

/* Shadow = p's current weights. Returns false on allocation failure or a
 * decay outside [0, 1). */
bool rvt_ema_init(rvt_ema *e, const rvt_params *p, double decay);
void rvt_ema_free(rvt_ema *e);
/* shadow = decay * shadow + (1 - decay) * p->w */
void rvt_ema_update(rvt_ema *e, const rvt_params *p);
/* Exchange p's weights and the shadow (pointer swap: exact, no copy).
 * Call twice to return to training. */
void rvt_ema_swap(rvt_ema *e, rvt_params *p);

#endif /* RVT_EMA_H */
