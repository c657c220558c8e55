/*
 * rv_attn_opt.c — the sparse forward the public entry points run.
 *
 * Same candidates and the same math as rv_attn_ref.c, arranged for speed:
 *  - query heads sharing a kv head (GQA/MQA group) are processed together,
 *    so each key and value row is loaded once per group;
 *  - candidates go in tiles of RV_ATTN_TILE: all scores of a tile first, one
 *    running-max update per tile (online softmax across tiles), then a
 *    branch-free vectorised exp and the weighted value sum;
 *  - dot / axpy / exp are the rv_vec.h _opt primitives;
 *  - on x86-64 the same loops also exist compiled for AVX2, chosen at run
 *    time (bit-identical results, about 1.5x faster where available).
 */
#include <math.h>

#include "rv_attn_impl.h"
#include "rv_vec.h"

/* Row pointers of candidates t0 .. t0+cnt-1 for kv head hk. */
RV_INLINE void tile_rows(rv_attn_run *r, uint64_t t0, uint32_t cnt, uint32_t hk)
{
    const rv_attn_cand *c = &r->cand;
    const uint32_t nwin = c->win_hi - c->win_lo + 1u;
    const size_t kvh = r->shape.kv_heads, dim = r->shape.dim;
    const size_t stride = kvh * dim;
    uint32_t u = 0;
    uint64_t t = t0, end = t0 + cnt;
    if (t < nwin) {
        uint64_t e = end < nwin ? end : nwin;
        size_t off = ((size_t)(c->win_lo + t) * kvh + hk) * dim;
        for (; t < e; t++, u++, off += stride) {
            r->kp[u] = r->k + off;
            r->vp[u] = r->v + off;
        }
    }
    for (; t < end && t - nwin < c->n_extra; t++, u++) {
        size_t off = ((size_t)c->extra[t - nwin] * kvh + hk) * dim;
        r->kp[u] = r->k + off;
        r->vp[u] = r->v + off;
    }
    for (; t < end; t++, u++) {
        size_t off = ((size_t)c->blocks[t - nwin - c->n_extra] * kvh + hk) * dim;
        r->kp[u] = r->lm_k + off;
        r->vp[u] = r->lm_v + off;
    }
}

/* One tile for the group of query rows qg[group][dim]. */
RV_INLINE void tile(rv_attn_run *r, const float *qg, uint32_t cnt)
{
    const uint32_t dim = r->shape.dim, group = r->group;
    float *sc = r->sc;
    for (uint32_t u = 0; u < cnt; u++) {
        const float *kr = r->kp[u];
        for (uint32_t g = 0; g < group; g++)
            sc[g * RV_ATTN_TILE + u] = rv_vec_dot_opt(qg + (size_t)g * dim, kr, dim) * r->scale;
    }
    for (uint32_t g = 0; g < group; g++) {
        float *s = sc + g * RV_ATTN_TILE;
        const float mt = rv_vec_max_opt(s, cnt);
        if (mt > r->m[g]) {
            /* exp(-inf) = 0 on the first tile clears nothing that matters. */
            float alpha = rv_vec_exp1_opt(r->m[g] - mt);
            rv_vec_scale_opt(r->acc + (size_t)g * dim, alpha, dim);
            r->l[g] *= alpha;
            r->m[g] = mt;
        }
        const float m = r->m[g];
        for (uint32_t u = 0; u < cnt; u++)
            s[u] -= m;
        rv_vec_exp_opt(s, cnt);
        r->l[g] += rv_vec_sum_opt(s, cnt);
    }
    for (uint32_t g = 0; g < group; g++)
        rv_vec_wsum_opt(r->acc + (size_t)g * dim, sc + g * RV_ATTN_TILE, r->vp, cnt, dim);
}

/* All queries; inlined into a baseline and an AVX2 wrapper (rv_vec.h). */
RV_INLINE void run_body(rv_attn_run *r)
{
    const rv_shape shape = r->shape;
    const uint32_t dim = shape.dim, group = r->group;
    const size_t gd = (size_t)group * dim;
    for (uint32_t i = 0; i < shape.seq; i++) {
        rv_attn_run_cand(r, i);
        const rv_attn_cand *c = &r->cand;
        /* nwin + n_extra <= seq (distinct positions), n_blocks <= seq */
        const uint64_t total = (uint64_t)(c->win_hi - c->win_lo + 1u) + c->n_extra + c->n_blocks;
        for (uint32_t hk = 0; hk < shape.kv_heads; hk++) {
            const size_t row = ((size_t)i * shape.q_heads + (size_t)hk * group) * dim;
            for (uint32_t g = 0; g < group; g++) {
                r->m[g] = -INFINITY;
                r->l[g] = 0.0f;
            }
            memset(r->acc, 0, gd * sizeof(float));
            for (uint64_t t0 = 0; t0 < total; t0 += RV_ATTN_TILE) {
                uint32_t cnt = total - t0 < RV_ATTN_TILE ? (uint32_t)(total - t0) : RV_ATTN_TILE;
                tile_rows(r, t0, cnt, hk);
                tile(r, r->q + row, cnt);
            }
            float *o = r->out + row;
            for (uint32_t g = 0; g < group; g++) {
                const float inv = 1.0f / r->l[g];
                for (uint32_t d = 0; d < dim; d++)
                    o[(size_t)g * dim + d] = r->acc[(size_t)g * dim + d] * inv;
            }
        }
    }
}

static void run_base(rv_attn_run *r)
{
    run_body(r);
}

RV_VEC_TARGET_AVX2 static void run_avx2(rv_attn_run *r)
{
    run_body(r);
}

void rv_attn_opt_run(rv_attn_run *r, bool avx2)
{
    if (avx2 && rv_vec_cpu_avx2())
        run_avx2(r);
    else
        run_base(r);
}

rv_status rv_attn_forward_opt(const rv_attn_cfg *cfg, rv_shape shape,
                              const float *q, const float *k, const float *v,
                              const uint8_t *keep, float *out,
                              void *ws, size_t ws_size)
{
    rv_attn_run r;
    rv_status st = rv_attn_prepare(&r, cfg, shape, q, k, v, keep, out, ws, ws_size);
    if (st != RV_OK || shape.seq == 0)
        return st;
    rv_attn_opt_run(&r, true);
    return RV_OK;
}
