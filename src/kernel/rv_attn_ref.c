/*
 * rv_attn_ref.c — the reference sparse forward: one query head at a time,
 * candidates in visiting order, per-candidate online softmax with libm expf.
 * Kept simple on purpose; rv_attn_opt.c must agree with it (tests check).
 */
#include <math.h>

#include "rv_attn_impl.h"
#include "rv_vec.h"

/* Key and value rows of candidate t (window, then extras, then blocks). */
static void cand_rows(const rv_attn_run *r, uint64_t t, uint32_t hk,
                      const float **kr, const float **vr)
{
    const rv_attn_cand *c = &r->cand;
    const uint32_t nwin = c->win_hi - c->win_lo + 1u;
    const size_t kvh = r->shape.kv_heads, dim = r->shape.dim;
    if (t < nwin + c->n_extra) {
        uint32_t j = t < nwin ? c->win_lo + (uint32_t)t : c->extra[t - nwin];
        size_t off = ((size_t)j * kvh + hk) * dim;
        *kr = r->k + off;
        *vr = r->v + off;
    } else {
        size_t off = ((size_t)c->blocks[t - nwin - c->n_extra] * kvh + hk) * dim;
        *kr = r->lm_k + off;
        *vr = r->lm_v + off;
    }
}

rv_status rv_attn_forward_ref(const rv_attn_cfg *cfg, rv_shape shape,
                              const float *q, const float *k, const float *v,
                              const uint8_t *keep, float *out,
                              void *ws, size_t ws_size)
{
    rv_attn_run r;
    rv_status st = rv_attn_prepare(&r, cfg, shape, q, k, v, keep, out, ws, ws_size);
    if (st != RV_OK || shape.seq == 0)
        return st;
    const uint32_t dim = shape.dim;
    float *acc = r.acc;
    for (uint32_t i = 0; i < shape.seq; i++) {
        rv_attn_run_cand(&r, i);
        const rv_attn_cand *c = &r.cand;
        const uint64_t total = (uint64_t)(c->win_hi - c->win_lo + 1u) + c->n_extra + c->n_blocks;
        for (uint32_t h = 0; h < shape.q_heads; h++) {
            const uint32_t hk = h / r.group;
            const float *qr = q + ((size_t)i * shape.q_heads + h) * dim;
            float m = -INFINITY, l = 0.0f;
            for (uint32_t d = 0; d < dim; d++)
                acc[d] = 0.0f;
            for (uint64_t t = 0; t < total; t++) {
                const float *kr, *vr;
                cand_rows(&r, t, hk, &kr, &vr);
                float s = rv_vec_dot_ref(qr, kr, dim) * r.scale;
                if (s > m) {
                    float alpha = expf(m - s);
                    rv_vec_scale_ref(acc, alpha, dim);
                    l *= alpha;
                    m = s;
                }
                float p = expf(s - m);
                l += p;
                rv_vec_axpy_ref(acc, p, vr, dim);
            }
            float *o = out + ((size_t)i * shape.q_heads + h) * dim;
            for (uint32_t d = 0; d < dim; d++)
                o[d] = acc[d] / l;
        }
    }
    return RV_OK;
}
