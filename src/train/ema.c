/* ema.c — moving average of the weights; see ema.h. */
#include "ema.h"

#include <stdlib.h>
#include <string.h>

bool rvt_ema_init(rvt_ema *e, const rvt_params *p, double decay)
{
    e->w = NULL;
    e->total = 0;
    e->decay = decay;
    if (!(decay >= 0.0 && decay < 1.0) || !p->w)
        return false;
    e->w = malloc(p->total * sizeof *e->w);
    if (!e->w)
        return false;
    memcpy(e->w, p->w, p->total * sizeof *e->w);
    e->total = p->total;
    return true;
}

void rvt_ema_free(rvt_ema *e)
{
    free(e->w);
    e->w = NULL;
    e->total = 0;
}

void rvt_ema_update(rvt_ema *e, const rvt_params *p)
{
    const double d = e->decay, c = 1.0 - e->decay;
    for (size_t k = 0; k < e->total; k++)
        e->w[k] = d * e->w[k] + c * p->w[k];
}

void rvt_ema_swap(rvt_ema *e, rvt_params *p)
{
    double *t = p->w;
    p->w = e->w;
    e->w = t;
}
