/*
 * rv_kv_decode_ref.c — the obviously-correct decode: per query head, per
 * candidate in plan order, one online-softmax update with libm expf, plain
 * one-accumulator dot products and the scalar fp16 conversion.
 */
#include <math.h>

#include "rv_f16.h"
#include "rv_kv_impl.h"
#include "rv_vec.h"

/* Row of kv head g as fp32: straight from fp32 storage, or widened into tmp. */
static const float *row_of(const rv_kv *kv, const unsigned char *base, uint32_t g,
                           bool f16, float *tmp)
{
    if (!f16)
        return (const float *)(const void *)base + (size_t)g * kv->dim;
    const uint16_t *h = (const uint16_t *)(const void *)base + (size_t)g * kv->dim;
    for (uint32_t d = 0; d < kv->dim; d++)
        tmp[d] = rv_f16_to_f32_ref(h[d]);
    return tmp;
}

typedef struct {
    const rv_kv *kv;
    const float *q;            /* this head's query */
    uint32_t g;                /* its kv head */
    float scale, m, l;
    float *acc, *tk, *tv;
} head_run;

static void visit(head_run *r, const unsigned char *kb, const unsigned char *vb,
                  bool f16)
{
    const uint32_t dim = r->kv->dim;
    const float *k = row_of(r->kv, kb, r->g, f16, r->tk);
    const float *v = row_of(r->kv, vb, r->g, f16, r->tv);
    const float s = rv_vec_dot_ref(r->q, k, dim) * r->scale;
    if (s > r->m) {
        const float corr = expf(r->m - s); /* 0 on the first candidate */
        r->l = r->l * corr + 1.0f;
        rv_vec_scale_ref(r->acc, corr, dim);
        rv_vec_axpy_ref(r->acc, 1.0f, v, dim);
        r->m = s;
    } else {
        const float p = expf(s - r->m);
        r->l += p;
        rv_vec_axpy_ref(r->acc, p, v, dim);
    }
}

rv_status rv_attn_decode_ref(const rv_attn_cfg *cfg, const rv_kv *kv, uint32_t q_heads,
                             const float *q, float *out, void *ws, size_t ws_size)
{
    rv_kv_ws w;
    const rv_status st = rv_kv_decode_prepare(cfg, kv, q_heads, q, out, ws, ws_size, &w);
    if (st != RV_OK)
        return st;
    const rv_kv_plan *pl = &w.plan;
    const uint32_t dim = kv->dim, group = q_heads / kv->kv_heads;
    const bool f16 = kv->f16;
    const size_t rb = (size_t)kv->row * kv->elem, rf = (size_t)kv->row * sizeof(float);
    const unsigned char *tk = rv_kv_at(kv, kv->off_k), *tv = rv_kv_at(kv, kv->off_v);
    const unsigned char *pk = rv_kv_at(kv, kv->off_pin_k), *pv = rv_kv_at(kv, kv->off_pin_v);
    const unsigned char *lk = rv_kv_at(kv, kv->off_lm_k), *lv = rv_kv_at(kv, kv->off_lm_v);

    for (uint32_t h = 0; h < q_heads; h++) {
        head_run r = { .kv = kv, .q = q + (size_t)h * dim, .g = h / group,
                       .scale = 1.0f / sqrtf((float)dim), .m = -INFINITY, .l = 0.0f,
                       .acc = w.acc, .tk = w.tmp, .tv = w.tmp + dim };
        for (uint32_t d = 0; d < dim; d++)
            r.acc[d] = 0.0f;
        uint32_t s = pl->win_slot;
        for (uint32_t t = 0; t < pl->n_win; t++) {
            visit(&r, tk + s * rb, tv + s * rb, f16);
            s = s + 1u == kv->capacity ? 0u : s + 1u;
        }
        for (uint32_t t = pl->pin_lo; t < pl->pin_hi; t++)
            if (rv_kv_pin_is_cand(cfg, kv, pl->i, t))
                visit(&r, pk + t * rb, pv + t * rb, f16);
        for (uint32_t t = 0; t < pl->n_tok; t++)
            visit(&r, tk + pl->tok[t] * rb, tv + pl->tok[t] * rb, f16);
        for (uint32_t t = 0; t < pl->n_blk; t++)
            visit(&r, lk + pl->blk[t] * rf, lv + pl->blk[t] * rf, false);
        float *o = out + (size_t)h * dim;
        for (uint32_t d = 0; d < dim; d++)
            o[d] = r.acc[d] / r.l;
    }
    return RV_OK;
}
