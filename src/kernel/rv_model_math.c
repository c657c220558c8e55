/* rv_model_math.c — matvec, RMSNorm, rotary positions, SiLU and the
 * per-frame stages shared by prefill and streaming. */
#include <math.h>
#include <string.h>

#include "rv_model_int.h"
#include "rv_rvne_int.h"
#include "rv_vec.h"

void rv_model_matvec_ref(const float *W, uint32_t rows, uint32_t cols,
                         const float *x, float *y)
{
    for (uint32_t o = 0; o < rows; o++) {
        float s = 0.0f;
        for (uint32_t i = 0; i < cols; i++)
            s += W[(size_t)o * cols + i] * x[i];
        y[o] = s;
    }
}

/* Eight independent partial sums (vectorisable without reassociation),
 * combined in a fixed tree so every build gives the same result. */
RV_INLINE float lanes_sum(const float *acc)
{
    return ((acc[0] + acc[4]) + (acc[2] + acc[6])) +
           ((acc[1] + acc[5]) + (acc[3] + acc[7]));
}

/* The hot path (aligned fp32 weights, every frame on a node). The lanes
 * are named scalars rather than an array: the tail's lane index would
 * otherwise be a variable, which keeps an array in memory on MCUs (about
 * ten instructions per multiply-add on a Cortex-M4F). Same operations in
 * the same order as the array form, so the results are bit-identical. */
void rv_model_matvec_f32(const float *W, uint32_t rows, uint32_t cols,
                         const float *x, float *y)
{
    const uint32_t c8 = cols & ~7u, tail = cols - c8;
    const float *RV_RESTRICT xt = x + c8;
    for (uint32_t o = 0; o < rows; o++) {
        const float *RV_RESTRICT w = W + (size_t)o * cols;
        const float *RV_RESTRICT wt = w + c8;
        float a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        for (uint32_t i = 0; i < c8; i += 8u) {
            a0 += w[i] * x[i];
            a1 += w[i + 1u] * x[i + 1u];
            a2 += w[i + 2u] * x[i + 2u];
            a3 += w[i + 3u] * x[i + 3u];
            a4 += w[i + 4u] * x[i + 4u];
            a5 += w[i + 5u] * x[i + 5u];
            a6 += w[i + 6u] * x[i + 6u];
            a7 += w[i + 7u] * x[i + 7u];
        }
        if (tail > 0u) a0 += wt[0] * xt[0];
        if (tail > 1u) a1 += wt[1] * xt[1];
        if (tail > 2u) a2 += wt[2] * xt[2];
        if (tail > 3u) a3 += wt[3] * xt[3];
        if (tail > 4u) a4 += wt[4] * xt[4];
        if (tail > 5u) a5 += wt[5] * xt[5];
        if (tail > 6u) a6 += wt[6] * xt[6];
        y[o] = ((a0 + a4) + (a2 + a6)) + ((a1 + a5) + (a3 + a7));
    }
}

/* The same 8-lane order as rv_model_matvec_f32, one loop per encoding so
 * the element conversion is not re-decided per element. */
static void matvec_f16(const uint8_t *W, uint32_t rows, uint32_t cols,
                       const float *x, float *y)
{
    const uint32_t c8 = cols & ~7u;
    for (uint32_t o = 0; o < rows; o++) {
        const uint8_t *w = W + (size_t)o * cols * 2u;
        float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        for (uint32_t i = 0; i < c8; i += 8u)
            for (uint32_t j = 0; j < 8u; j++)
                acc[j] += rv_model_h2f(rv_ld16(w + 2u * (i + j))) * x[i + j];
        for (uint32_t i = c8; i < cols; i++)
            acc[i - c8] += rv_model_h2f(rv_ld16(w + 2u * i)) * x[i];
        y[o] = lanes_sum(acc);
    }
}

static void matvec_le32(const uint8_t *W, uint32_t rows, uint32_t cols,
                        const float *x, float *y)
{
    const uint32_t c8 = cols & ~7u;
    for (uint32_t o = 0; o < rows; o++) {
        const uint8_t *w = W + (size_t)o * cols * 4u;
        float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        for (uint32_t i = 0; i < c8; i += 8u)
            for (uint32_t j = 0; j < 8u; j++)
                acc[j] += rv_ldf32(w + 4u * (i + j)) * x[i + j];
        for (uint32_t i = c8; i < cols; i++)
            acc[i - c8] += rv_ldf32(w + 4u * i) * x[i];
        y[o] = lanes_sum(acc);
    }
}

void rv_model_matvec_bytes(const uint8_t *W, bool fp16, uint32_t rows,
                           uint32_t cols, const float *x, float *y)
{
    if (fp16)
        matvec_f16(W, rows, cols, x, y);
    else
        matvec_le32(W, rows, cols, x, y);
}

void rv_model_mat_apply(const rv_model *m, const rv_mmat *w, const float *x,
                        float *y)
{
    if (w->f)
        rv_model_matvec_f32(w->f, w->rows, w->cols, x, y);
    else
        rv_model_matvec_bytes(w->b, m->fp16, w->rows, w->cols, x, y);
}

void rv_model_rmsnorm(const float *x, const float *g, uint32_t n, float *y)
{
    float ss = 0.0f;
    for (uint32_t i = 0; i < n; i++)
        ss += x[i] * x[i];
    float r = 1.0f / sqrtf(ss / (float)n + RV_MODEL_NORM_EPS);
    for (uint32_t i = 0; i < n; i++)
        y[i] = g[i] * (x[i] * r);
}

/* sin and cos of x in [0, pi/4] by Taylor polynomials (truncation below
 * 2e-9): basic float operations only, so every IEEE target computes the
 * same bits (libm sinf/cosf differ between C libraries). */
static void sincos_q(float x, float *s, float *c)
{
    float x2 = x * x;
    *s = x * (1.0f + x2 * (-1.0f / 6.0f + x2 * (1.0f / 120.0f +
              x2 * (-1.0f / 5040.0f + x2 * (1.0f / 362880.0f)))));
    *c = 1.0f + x2 * (-0.5f + x2 * (1.0f / 24.0f + x2 * (-1.0f / 720.0f +
              x2 * (1.0f / 40320.0f + x2 * (-1.0f / 3628800.0f)))));
}

void rv_model_rope_cs(const uint32_t *periods, uint32_t pairs, uint64_t pos,
                      float *cs)
{
    for (uint32_t r = 0; r < pairs; r++) {
        /* theta = 2*pi*m/P with the quadrant and the reflection about pi/4
         * found in exact integer arithmetic: theta = q*pi/2 + phi. */
        uint32_t P = periods[r];
        uint32_t m = (uint32_t)(pos % P);
        uint32_t n4 = 4u * m;                     /* m < 2^24: no overflow */
        uint32_t q = n4 / P, rem = n4 - q * P;    /* phi = (pi/2) rem/P */
        bool refl = 2u * rem > P;
        uint32_t rr = refl ? P - rem : rem;       /* <= P/2: angle <= pi/4 */
        float x = 1.57079632679489662f * ((float)rr / (float)P);
        float s0, c0;
        sincos_q(x, &s0, &c0);
        if (refl) {
            float t = s0;
            s0 = c0;
            c0 = t;
        }
        float sn, cn;
        switch (q) {
        case 0: sn = s0; cn = c0; break;
        case 1: sn = c0; cn = -s0; break;
        case 2: sn = -s0; cn = -c0; break;
        default: sn = -c0; cn = s0; break;
        }
        cs[2u * r] = cn;
        cs[2u * r + 1u] = sn;
    }
}

void rv_model_rope_apply(float *v, uint32_t heads, uint32_t hd, uint32_t pairs,
                         const float *cs)
{
    for (uint32_t t = 0; t < heads; t++) {
        float *p = v + (size_t)t * hd;
        for (uint32_t r = 0; r < pairs; r++) {
            float c = cs[2u * r], s = cs[2u * r + 1u];
            float a = p[2u * r], b = p[2u * r + 1u];
            p[2u * r] = a * c - b * s;
            p[2u * r + 1u] = a * s + b * c;
        }
    }
}

float rv_model_silu(float t)
{
    /* exp only of non-positive arguments (rv_vec_exp1_opt's domain, and no
     * overflow): t * sigmoid(t) with e = exp(-|t|). */
    float e = rv_vec_exp1_opt(-fabsf(t));
    float sg = t >= 0.0f ? 1.0f / (1.0f + e) : e / (1.0f + e);
    return t * sg;
}

bool rv_model_all_finite(const float *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!rv_rvne_finite(x[i]))
            return false;
    return true;
}

bool rv_model_all_bounded(const float *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(fabsf(x[i]) <= RV_MODEL_MAX_ACT))   /* false for NaN too */
            return false;
    return true;
}

void rv_model_frame_in(const rv_model *m, const float *x, float *h, float *u)
{
    const float *in = x;
    if (m->fmean) {
        for (uint32_t i = 0; i < m->din; i++)
            u[i] = (x[i] - m->fmean[i]) * m->finv[i];
        in = u;
    }
    if (m->w_in.rows) {
        rv_model_mat_apply(m, &m->w_in, in, h);
        for (uint32_t i = 0; i < m->d; i++)
            h[i] += m->b_in[i];
    } else if (in != h) {
        memcpy(h, in, sizeof(float) * m->d);
    }
}

void rv_model_frame_qkv(const rv_model *m, uint32_t l, const float *h, float *u,
                        const float *cs, float *q, float *k, float *v)
{
    const rv_mlayer *L = &m->layers[l];
    const float *in = h;
    if (m->norm) {
        rv_model_rmsnorm(h, L->g_attn, m->d, u);
        in = u;
    }
    rv_model_mat_apply(m, &L->wq, in, q);
    rv_model_mat_apply(m, &L->wk, in, k);
    rv_model_mat_apply(m, &L->wv, in, v);
    if (m->pairs) {
        rv_model_rope_apply(q, m->hq, m->hd, m->pairs, cs);
        rv_model_rope_apply(k, m->hkv, m->hd, m->pairs, cs);
    }
}

void rv_model_frame_out(const rv_model *m, uint32_t l, const float *a, float *h,
                        float *u, float *z)
{
    const rv_mlayer *L = &m->layers[l];
    rv_model_mat_apply(m, &L->wo, a, u);
    for (uint32_t i = 0; i < m->d; i++)
        h[i] += u[i];
    if (m->f == 0u)
        return;
    const float *in = h;
    if (m->norm) {
        rv_model_rmsnorm(h, L->g_ffn, m->d, u);
        in = u;
    }
    rv_model_mat_apply(m, &L->w1, in, z);
    for (uint32_t j = 0; j < m->f; j++)
        z[j] = rv_model_silu(z[j] + L->b1[j]);
    rv_model_mat_apply(m, &L->w2, z, u);
    for (uint32_t i = 0; i < m->d; i++)
        h[i] += u[i] + L->b2[i];
}

void rv_model_frame_final(const rv_model *m, const float *h, float *e)
{
    if (m->norm)
        rv_model_rmsnorm(h, m->g_final, m->d, e);
    else
        memcpy(e, h, sizeof(float) * m->d);
}
