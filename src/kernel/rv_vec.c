/*
 * rv_vec.c — reference float primitives: one accumulator, natural order.
 * The optimised twins live inline in rv_vec.h.
 */
#include <math.h>

#include "rv_vec.h"

float rv_vec_dot_ref(const float *a, const float *b, uint32_t n)
{
    float s = 0.0f;
    for (uint32_t d = 0; d < n; d++)
        s += a[d] * b[d];
    return s;
}

void rv_vec_scale_ref(float *x, float a, uint32_t n)
{
    for (uint32_t d = 0; d < n; d++)
        x[d] *= a;
}

void rv_vec_axpy_ref(float *y, float p, const float *x, uint32_t n)
{
    for (uint32_t d = 0; d < n; d++)
        y[d] += p * x[d];
}

void rv_vec_exp_ref(float *x, uint32_t n)
{
    for (uint32_t t = 0; t < n; t++)
        x[t] = expf(x[t]);
}

void rv_vec_wsum_ref(float *acc, const float *w, const float *const *rows,
                     uint32_t cnt, uint32_t dim)
{
    for (uint32_t u = 0; u < cnt; u++)
        rv_vec_axpy_ref(acc, w[u], rows[u], dim);
}

float rv_vec_sum_ref(const float *x, uint32_t n)
{
    float s = 0.0f;
    for (uint32_t t = 0; t < n; t++)
        s += x[t];
    return s;
}

float rv_vec_max_ref(const float *x, uint32_t n)
{
    float m = x[0];
    for (uint32_t t = 1; t < n; t++)
        m = x[t] > m ? x[t] : m;
    return m;
}
