/*
 * rv_kv_decode_opt.c — the decode rv_attn_decode runs.
 *
 * Rows are gathered in plan order into chunks of up to RV_KV_CHUNK. Per kv
 * head, every key row of a chunk is loaded once and scored against all the
 * query heads that share it (MQA/GQA), the chunk gets one running-max
 * update per query head (exact online softmax, one rescale per chunk), the
 * weights are exponentiated as a vector, and every value row is loaded once
 * for all heads of the group. fp16 rows are widened a chunk at a time with
 * the vectorised converter. Same results as rv_attn_decode_ref to rounding.
 */
#include <math.h>

#include "rv_f16.h"
#include "rv_kv_impl.h"
#include "rv_vec.h"

typedef struct {
    const rv_kv *kv;
    rv_kv_ws *w;
    const float *q;
    uint32_t q_heads, group;
    float scale;
    uint32_t n;                /* rows gathered in the current chunk */
    bool f16;                  /* the current chunk holds fp16 token rows */
} run;

static void chunk_head(run *r, uint32_t g)
{
    rv_kv_ws *w = r->w;
    const uint32_t dim = r->kv->dim, n = r->n, group = r->group;
    if (r->f16) {
        float *tk = w->tmp, *tv = w->tmp + (size_t)RV_KV_CHUNK * dim;
        const size_t off = (size_t)g * dim;
        for (uint32_t c = 0; c < n; c++) {
            rv_f16_to_f32_opt((const uint16_t *)(const void *)w->rk[c] + off,
                              tk + (size_t)c * dim, dim);
            rv_f16_to_f32_opt((const uint16_t *)(const void *)w->rv[c] + off,
                              tv + (size_t)c * dim, dim);
            w->kp[c] = tk + (size_t)c * dim;
            w->vp[c] = tv + (size_t)c * dim;
        }
    } else {
        for (uint32_t c = 0; c < n; c++) {
            w->kp[c] = (const float *)(const void *)w->rk[c] + (size_t)g * dim;
            w->vp[c] = (const float *)(const void *)w->rv[c] + (size_t)g * dim;
        }
    }
    const uint32_t h0 = g * group;
    const float *q = r->q + (size_t)h0 * dim;
    float *sc = w->sc; /* [group][RV_KV_CHUNK] */
    for (uint32_t c = 0; c < n; c++) {
        const float *k = w->kp[c];
        for (uint32_t h = 0; h < group; h++)
            sc[h * RV_KV_CHUNK + c] = rv_vec_dot_opt(q + (size_t)h * dim, k, dim) * r->scale;
    }
    for (uint32_t h = 0; h < group; h++) {
        float *s = sc + h * RV_KV_CHUNK;
        float *acc = w->acc + (size_t)(h0 + h) * dim;
        float mx = s[0];
        for (uint32_t c = 1; c < n; c++)
            mx = s[c] > mx ? s[c] : mx;
        float m = w->m[h0 + h], l = w->l[h0 + h];
        if (mx > m) {
            const float corr = rv_vec_exp1_opt(m - mx); /* 0 on the first chunk */
            l *= corr;
            rv_vec_scale_opt(acc, corr, dim);
            m = mx;
        }
        for (uint32_t c = 0; c < n; c++)
            s[c] -= m;
        rv_vec_exp_opt(s, n);
        for (uint32_t c = 0; c < n; c++)
            l += s[c];
        w->m[h0 + h] = m;
        w->l[h0 + h] = l;
    }
    for (uint32_t c = 0; c < n; c++) {
        const float *v = w->vp[c];
        for (uint32_t h = 0; h < group; h++)
            rv_vec_axpy_opt(w->acc + (size_t)(h0 + h) * dim, sc[h * RV_KV_CHUNK + c], v, dim);
    }
}

static void flush(run *r)
{
    if (r->n == 0)
        return;
    for (uint32_t g = 0; g < r->kv->kv_heads; g++)
        chunk_head(r, g);
    r->n = 0;
}

static void push(run *r, const unsigned char *kb, const unsigned char *vb, bool f16)
{
    if (r->n == RV_KV_CHUNK || (r->n > 0 && f16 != r->f16))
        flush(r);
    r->f16 = f16;
    r->w->rk[r->n] = kb;
    r->w->rv[r->n] = vb;
    r->n++;
}

rv_status rv_attn_decode_opt(const rv_attn_cfg *cfg, const rv_kv *kv, uint32_t q_heads,
                             const float *q, float *out, void *ws, size_t ws_size)
{
    rv_kv_ws w;
    const rv_status st = rv_kv_decode_prepare(cfg, kv, q_heads, q, out, ws, ws_size, &w);
    if (st != RV_OK)
        return st;
    const rv_kv_plan *pl = &w.plan;
    const uint32_t dim = kv->dim;
    const bool f16 = kv->f16;
    const size_t rb = (size_t)kv->row * kv->elem, rf = (size_t)kv->row * sizeof(float);
    const unsigned char *tk = rv_kv_at(kv, kv->off_k), *tv = rv_kv_at(kv, kv->off_v);
    const unsigned char *pk = rv_kv_at(kv, kv->off_pin_k), *pv = rv_kv_at(kv, kv->off_pin_v);
    const unsigned char *lk = rv_kv_at(kv, kv->off_lm_k), *lv = rv_kv_at(kv, kv->off_lm_v);

    for (uint32_t h = 0; h < q_heads; h++) {
        w.m[h] = -INFINITY;
        w.l[h] = 0.0f;
    }
    for (size_t e = 0; e < (size_t)q_heads * dim; e++)
        w.acc[e] = 0.0f;

    run r = { .kv = kv, .w = &w, .q = q, .q_heads = q_heads,
              .group = q_heads / kv->kv_heads, .scale = 1.0f / sqrtf((float)dim) };
    uint32_t s = pl->win_slot;
    for (uint32_t t = 0; t < pl->n_win; t++) {
        push(&r, tk + s * rb, tv + s * rb, f16);
        s = s + 1u == kv->capacity ? 0u : s + 1u;
    }
    for (uint32_t t = pl->pin_lo; t < pl->pin_hi; t++)
        if (rv_kv_pin_is_cand(cfg, kv, pl->i, t))
            push(&r, pk + t * rb, pv + t * rb, f16);
    for (uint32_t t = 0; t < pl->n_tok; t++)
        push(&r, tk + pl->tok[t] * rb, tv + pl->tok[t] * rb, f16);
    for (uint32_t t = 0; t < pl->n_blk; t++)
        push(&r, lk + pl->blk[t] * rf, lv + pl->blk[t] * rf, false);
    flush(&r);

    for (uint32_t h = 0; h < q_heads; h++) {
        const float inv = 1.0f / w.l[h];
        float *o = out + (size_t)h * dim;
        const float *a = w.acc + (size_t)h * dim;
        for (uint32_t d = 0; d < dim; d++)
            o[d] = a[d] * inv;
    }
    return RV_OK;
}
