/*
 * rv_kv_decode_opt.c — the decode rv_attn_decode runs.
 *
 * Rows are gathered in plan order into chunks of up to RV_KV_CHUNK. Per kv
 * head, every key row of a chunk is loaded once and scored against all the
 * query heads that share it (MQA/GQA), the chunk gets one running-max
 * update per query head (exact online softmax, one rescale per chunk), the
 * weights are exponentiated as a vector, and every value row is loaded once
 * for all heads of the group (acc_rows: the additions of a sequence of
 * rv_vec_axpy_ref calls, as the reference does, with the accumulator in
 * registers). fp16 rows are widened with the inline finite-half converter:
 * value rows once per chunk, key rows one at a time. Rows outside the window
 * are prefetched first. Same results as rv_attn_decode_ref to rounding.
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
    bool avx2;                 /* run the AVX2 build of the chunk loop */
} run;

/* acc[d] += sum over c of p[c] * v_c[d], c ascending. A tile of acc lives in
 * registers across the whole chunk; 32 lanes (four independent add chains
 * on 8-wide vectors) hide the add latency, then 8, then single lanes. */
RV_INLINE void acc_rows(float *RV_RESTRICT acc, const float *RV_RESTRICT p,
                        const float *const *vp, uint32_t n, uint32_t dim)
{
    uint32_t d = 0;
    for (; d + 32u <= dim; d += 32u) {
        float a0[8], a1[8], a2[8], a3[8];
        for (uint32_t u = 0; u < 8u; u++) {
            a0[u] = acc[d + u];
            a1[u] = acc[d + 8u + u];
            a2[u] = acc[d + 16u + u];
            a3[u] = acc[d + 24u + u];
        }
        for (uint32_t c = 0; c < n; c++) {
            const float pc = p[c];
            const float *RV_RESTRICT v = vp[c] + d;
            for (uint32_t u = 0; u < 8u; u++)
                a0[u] += pc * v[u];
            for (uint32_t u = 0; u < 8u; u++)
                a1[u] += pc * v[8u + u];
            for (uint32_t u = 0; u < 8u; u++)
                a2[u] += pc * v[16u + u];
            for (uint32_t u = 0; u < 8u; u++)
                a3[u] += pc * v[24u + u];
        }
        for (uint32_t u = 0; u < 8u; u++) {
            acc[d + u] = a0[u];
            acc[d + 8u + u] = a1[u];
            acc[d + 16u + u] = a2[u];
            acc[d + 24u + u] = a3[u];
        }
    }
    for (; d + 8u <= dim; d += 8u) {
        float a[8];
        for (uint32_t u = 0; u < 8u; u++)
            a[u] = acc[d + u];
        for (uint32_t c = 0; c < n; c++) {
            const float pc = p[c];
            const float *RV_RESTRICT v = vp[c] + d;
            for (uint32_t u = 0; u < 8u; u++)
                a[u] += pc * v[u];
        }
        for (uint32_t u = 0; u < 8u; u++)
            acc[d + u] = a[u];
    }
    for (; d < dim; d++) {
        float a = acc[d];
        for (uint32_t c = 0; c < n; c++)
            a += p[c] * vp[c][d];
        acc[d] = a;
    }
}

/* One chunk, one kv head (inlined into a baseline and an AVX2 build). */
RV_INLINE void chunk_head(run *r, uint32_t g)
{
    rv_kv_ws *w = r->w;
    const uint32_t dim = r->kv->dim, n = r->n, group = r->group;
    /* fp16: value rows are widened once per chunk (every head reads them
     * all), key rows one at a time as they are scored. */
    float *tk = w->tmp, *tv = w->tmp + dim;
    const size_t off = (size_t)g * dim;
    if (r->f16) {
        for (uint32_t c = 0; c < n; c++) {
            rv_f16_to_f32_finite_opt((const uint16_t *)(const void *)w->rv[c] + off,
                                     tv + (size_t)c * dim, dim);
            w->vp[c] = tv + (size_t)c * dim;
        }
    } else {
        for (uint32_t c = 0; c < n; c++)
            w->vp[c] = (const float *)(const void *)w->rv[c] + off;
    }
    const uint32_t h0 = g * group;
    const float *q = r->q + (size_t)h0 * dim;
    float *sc = w->sc; /* [group][RV_KV_CHUNK] */
    for (uint32_t c = 0; c < n; c++) {
        const float *k = (const float *)(const void *)w->rk[c] + off;
        if (r->f16) {
            rv_f16_to_f32_finite_opt((const uint16_t *)(const void *)w->rk[c] + off, tk, dim);
            k = tk;
        }
        for (uint32_t h = 0; h < group; h++)
            sc[h * RV_KV_CHUNK + c] = rv_vec_dot_opt(q + (size_t)h * dim, k, dim) * r->scale;
    }
    for (uint32_t h = 0; h < group; h++) {
        float *s = sc + h * RV_KV_CHUNK;
        float *acc = w->acc + (size_t)(h0 + h) * dim;
        const float mx = rv_vec_max_opt(s, n);
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
        acc_rows(acc, s, w->vp, n, dim);
    }
}

static void chunk_base(run *r)
{
    for (uint32_t g = 0; g < r->kv->kv_heads; g++)
        chunk_head(r, g);
}

/* Same C compiled for AVX2 (rv_vec.h): bit-identical results, wider lanes. */
RV_VEC_TARGET_AVX2 static void chunk_avx2(run *r)
{
    for (uint32_t g = 0; g < r->kv->kv_heads; g++)
        chunk_head(r, g);
}

static void flush(run *r)
{
    if (r->n == 0)
        return;
    if (r->avx2)
        chunk_avx2(r);
    else
        chunk_base(r);
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

static void prefetch_row(const unsigned char *k, const unsigned char *v, size_t bytes)
{
    for (size_t o = 0; o < bytes; o += 64u) {
        RV_PREFETCH(k + o);
        RV_PREFETCH(v + o);
    }
}

rv_status rv_attn_decode_opt(const rv_attn_cfg *cfg, const rv_kv *kv, uint32_t q_heads,
                             const float *q, float *out, void *ws, size_t ws_size)
{
    return rv_attn_decode_opt_isa(cfg, kv, q_heads, q, out, ws, ws_size, rv_vec_cpu_avx2());
}

rv_status rv_attn_decode_opt_isa(const rv_attn_cfg *cfg, const rv_kv *kv, uint32_t q_heads,
                                 const float *q, float *out, void *ws, size_t ws_size,
                                 bool avx2)
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

    /* Global, log-stride and landmark rows are scattered and mostly cold
     * (the window is recent and warm): start fetching them now so the misses
     * overlap the window's arithmetic. */
    for (uint32_t t = 0; t < pl->n_tok; t++)
        prefetch_row(tk + pl->tok[t] * rb, tv + pl->tok[t] * rb, rb);
    for (uint32_t t = 0; t < pl->n_blk; t++)
        prefetch_row(lk + pl->blk[t] * rf, lv + pl->blk[t] * rf, rf);

    run r = { .kv = kv, .w = &w, .q = q, .q_heads = q_heads,
              .group = q_heads / kv->kv_heads, .scale = 1.0f / sqrtf((float)dim),
              .avx2 = avx2 && rv_vec_cpu_avx2() };
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
