/* param.c — parameter tensor bookkeeping; see param.h. */
#include "param.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int rvt_params_add(rvt_params *p, const char *name, uint32_t rows,
                   uint32_t cols, rvt_init init, bool decay)
{
    if (p->n >= RVT_MAX_TENSORS || rows == 0 || cols == 0 || p->w)
        return -1;
    rvt_tensor *t = &p->t[p->n];
    snprintf(t->name, sizeof t->name, "%s", name);
    t->rows = rows;
    t->cols = cols;
    t->off = p->total;
    t->init = init;
    t->decay = decay;
    p->total += (size_t)rows * cols;
    return (int)p->n++;
}

bool rvt_params_alloc(rvt_params *p)
{
    p->w = calloc(p->total, sizeof(double));
    p->g = calloc(p->total, sizeof(double));
    p->m = calloc(p->total, sizeof(double));
    p->v = calloc(p->total, sizeof(double));
    if (!p->w || !p->g || !p->m || !p->v) {
        rvt_params_free(p);
        return false;
    }
    return true;
}

void rvt_params_free(rvt_params *p)
{
    free(p->w);
    free(p->g);
    free(p->m);
    free(p->v);
    p->w = p->g = p->m = p->v = NULL;
}

void rvt_params_init(rvt_params *p, rvt_rng *r)
{
    for (uint32_t i = 0; i < p->n; i++) {
        const rvt_tensor *t = &p->t[i];
        double *w = p->w + t->off;
        size_t cnt = (size_t)t->rows * t->cols;
        double a = sqrt(6.0 / (double)(t->rows + t->cols));
        for (size_t k = 0; k < cnt; k++) {
            switch (t->init) {
            case RVT_INIT_ZERO: w[k] = 0.0; break;
            case RVT_INIT_ONE: w[k] = 1.0; break;
            case RVT_INIT_XAVIER: w[k] = a * (2.0 * rvt_rng_uniform(r) - 1.0); break;
            case RVT_INIT_SMALL: w[k] = 0.5 * a * (2.0 * rvt_rng_uniform(r) - 1.0); break;
            }
        }
    }
    memset(p->m, 0, p->total * sizeof(double));
    memset(p->v, 0, p->total * sizeof(double));
}

void rvt_params_zero_grad(rvt_params *p)
{
    memset(p->g, 0, p->total * sizeof(double));
}

double *rvt_params_w(rvt_params *p, int idx)
{
    return p->w + p->t[idx].off;
}

double *rvt_params_g(rvt_params *p, int idx)
{
    return p->g + p->t[idx].off;
}

int rvt_params_find(const rvt_params *p, const char *name)
{
    for (uint32_t i = 0; i < p->n; i++)
        if (strcmp(p->t[i].name, name) == 0)
            return (int)i;
    return -1;
}
