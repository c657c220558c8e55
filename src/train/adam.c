/* adam.c — Adam / AdamW step; see adam.h. */
#include "adam.h"

#include <math.h>

rvt_adam_cfg rvt_adam_defaults(void)
{
    rvt_adam_cfg c = { 3e-3, 0.9, 0.999, 1e-8, 0.0, 1.0 };
    return c;
}

double rvt_adam_step(rvt_params *p, const rvt_adam_cfg *cfg, uint64_t t)
{
    double ss = 0.0;
    for (size_t k = 0; k < p->total; k++)
        ss += p->g[k] * p->g[k];
    double norm = sqrt(ss);
    double scale = 1.0;
    if (cfg->clip_norm > 0.0 && norm > cfg->clip_norm)
        scale = cfg->clip_norm / norm;

    const double bc1 = 1.0 - pow(cfg->beta1, (double)t);
    const double bc2 = 1.0 - pow(cfg->beta2, (double)t);
    for (uint32_t i = 0; i < p->n; i++) {
        const rvt_tensor *tt = &p->t[i];
        const size_t lo = tt->off, hi = tt->off + (size_t)tt->rows * tt->cols;
        const double wd = tt->decay ? cfg->weight_decay : 0.0;
        for (size_t k = lo; k < hi; k++) {
            double g = p->g[k] * scale;
            p->m[k] = cfg->beta1 * p->m[k] + (1.0 - cfg->beta1) * g;
            p->v[k] = cfg->beta2 * p->v[k] + (1.0 - cfg->beta2) * g * g;
            double mh = p->m[k] / bc1, vh = p->v[k] / bc2;
            p->w[k] -= cfg->lr * (mh / (sqrt(vh) + cfg->eps) + wd * p->w[k]);
        }
    }
    return norm;
}
