/*
 * attn_brute.h — test-only, deliberately naive readings of the attention
 * spec (docs/kernel.md): the candidate set of one query via a seen[] bitmap
 * walked in the listed order, and attention in double precision over it.
 * Shared by the attention tests; never built into the kernel.
 */
#ifndef ATTN_BRUTE_H
#define ATTN_BRUTE_H

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rv_attn.h"

/* Test-only PRNG (xorshift32). */
static inline uint32_t rng_next(uint32_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return *x;
}

/* Brute force: walk the spec's list in order with a seen[] bitmap; emit the
 * visiting order of tokens (with a global flag) and blocks. */
typedef struct {
    uint32_t n_tok, n_blk;
    uint32_t tok[4096];
    uint8_t is_global[4096];
    uint32_t blk[4096];
} brute_set;

static inline void brute(const rv_attn_cfg *cfg, uint32_t i, uint32_t n, brute_set *o)
{
    uint8_t *seen = calloc(n, 1);
    ck_assert_ptr_nonnull(seen);
    o->n_tok = o->n_blk = 0;
    int64_t W = cfg->window;
    int64_t lo = (int64_t)i - W < 0 ? 0 : (int64_t)i - W;
    int64_t hi = cfg->causal ? (int64_t)i
                             : ((int64_t)i + W > (int64_t)n - 1 ? (int64_t)n - 1 : (int64_t)i + W);
    for (int64_t j = lo; j <= hi; j++) {
        seen[j] = 1;
        o->tok[o->n_tok] = (uint32_t)j;
        o->is_global[o->n_tok++] = 0;
    }
    for (uint32_t t = 0; t < cfg->n_globals; t++) {
        uint32_t g = cfg->globals[t];
        if (g < n && (!cfg->causal || g <= i) && !seen[g]) {
            seen[g] = 1;
            o->tok[o->n_tok] = g;
            o->is_global[o->n_tok++] = 1;
        }
    }
    if (cfg->log_stride) {
        for (int64_t s = 1; s < (int64_t)n; s *= 2) {
            int64_t a = (int64_t)i - s, b = (int64_t)i + s;
            if (a >= 0 && !seen[a]) {
                seen[a] = 1;
                o->tok[o->n_tok] = (uint32_t)a;
                o->is_global[o->n_tok++] = 0;
            }
            if (!cfg->causal && b < (int64_t)n && !seen[b]) {
                seen[b] = 1;
                o->tok[o->n_tok] = (uint32_t)b;
                o->is_global[o->n_tok++] = 0;
            }
        }
    }
    free(seen);
    if (!cfg->landmarks)
        return;
    int64_t B = cfg->block_size;
    int64_t nb = ((int64_t)n + B - 1) / B, cb = (int64_t)i / B;
    int64_t avail = cfg->causal ? ((int64_t)i + 1) / B : nb;
    if (avail == 0)
        return;
    int64_t pivot = cfg->causal ? avail - 1 : (cb < nb - 1 ? cb : nb - 1);
    uint8_t *bseen = calloc((size_t)nb, 1);
    ck_assert_ptr_nonnull(bseen);
    int64_t cand[256];
    int nc = 0;
    for (int64_t b = pivot - 1; b <= pivot + 1; b++)
        if (b >= 0 && b <= avail - 1)
            cand[nc++] = b;
    if (cfg->log_stride)
        for (int64_t s = 1; s < nb; s *= 2) {
            if (pivot - s >= 0)
                cand[nc++] = pivot - s;
            if (!cfg->causal && pivot + s < nb)
                cand[nc++] = pivot + s;
        }
    for (int t = 0; t < nc; t++) {
        int64_t b = cand[t];
        if (!cfg->causal && b == cb)
            continue;
        if (bseen[b])
            continue;
        bseen[b] = 1;
        o->blk[o->n_blk++] = (uint32_t)b;
    }
    free(bseen);
}


/* The generator of the golden inputs (see tests/data/golden/README.md). */
static inline void golden_fill(float *x, size_t n, uint32_t seed)
{
    uint32_t s = seed;
    for (size_t t = 0; t < n; t++) {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        x[t] = ((float)(s >> 8) * (1.0f / 16777216.0f) - 0.5f) * 4.0f;
    }
}

/* Attention in double over the brute-force candidate set; keep (may be NULL)
 * drops non-window, non-global tokens with keep[j] == 0. */
static inline void brute_attn(const rv_attn_cfg *cfg, rv_shape sh, const float *q,
                              const float *k, const float *v, const uint8_t *keep,
                              double *out)
{
    const uint32_t n = sh.seq, dim = sh.dim, kvh = sh.kv_heads, grp = sh.q_heads / sh.kv_heads;
    const uint32_t B = cfg->block_size, nb = (n + B - 1) / B;
    double *lk = calloc((size_t)nb * kvh * dim + 1, sizeof(double));
    double *lv = calloc((size_t)nb * kvh * dim + 1, sizeof(double));
    double *sc = malloc(sizeof(double) * 8192);
    brute_set *o = malloc(sizeof *o);
    ck_assert(lk && lv && sc && o);
    for (uint32_t b = 0; b < nb; b++) {
        uint32_t j1 = (b + 1) * B < n ? (b + 1) * B : n;
        for (uint32_t h = 0; h < kvh; h++)
            for (uint32_t d = 0; d < dim; d++) {
                double sk = 0, sv = 0;
                for (uint32_t j = b * B; j < j1; j++) {
                    sk += k[((size_t)j * kvh + h) * dim + d];
                    sv += v[((size_t)j * kvh + h) * dim + d];
                }
                lk[((size_t)b * kvh + h) * dim + d] = sk / (j1 - b * B);
                lv[((size_t)b * kvh + h) * dim + d] = sv / (j1 - b * B);
            }
    }
    for (uint32_t i = 0; i < n; i++) {
        brute(cfg, i, n, o);
        int64_t W = cfg->window;
        for (uint32_t h = 0; h < sh.q_heads; h++) {
            const uint32_t hk = h / grp;
            const float *qr = q + ((size_t)i * sh.q_heads + h) * dim;
            uint32_t ns = 0;
            double mx = -INFINITY;
            /* scores: tokens then blocks; dropped tokens get -inf */
            for (uint32_t t = 0; t < o->n_tok; t++) {
                uint32_t j = o->tok[t];
                int64_t dist = (int64_t)j - (int64_t)i;
                bool in_win = dist <= 0 ? -dist <= W : (!cfg->causal && dist <= W);
                double s = -INFINITY;
                if (!keep || in_win || o->is_global[t] || keep[j]) {
                    s = 0;
                    for (uint32_t d = 0; d < dim; d++)
                        s += (double)qr[d] * k[((size_t)j * kvh + hk) * dim + d];
                    s /= sqrt((double)dim);
                }
                sc[ns++] = s;
            }
            for (uint32_t t = 0; t < o->n_blk; t++) {
                double s = 0;
                for (uint32_t d = 0; d < dim; d++)
                    s += (double)qr[d] * lk[((size_t)o->blk[t] * kvh + hk) * dim + d];
                sc[ns++] = s / sqrt((double)dim);
            }
            for (uint32_t t = 0; t < ns; t++)
                mx = sc[t] > mx ? sc[t] : mx;
            double l = 0;
            for (uint32_t t = 0; t < ns; t++) {
                sc[t] = exp(sc[t] - mx);
                l += sc[t];
            }
            for (uint32_t d = 0; d < dim; d++) {
                double a = 0;
                for (uint32_t t = 0; t < o->n_tok; t++)
                    a += sc[t] * v[((size_t)o->tok[t] * kvh + hk) * dim + d];
                for (uint32_t t = 0; t < o->n_blk; t++)
                    a += sc[o->n_tok + t] * lv[((size_t)o->blk[t] * kvh + hk) * dim + d];
                out[((size_t)i * sh.q_heads + h) * dim + d] = a / l;
            }
        }
    }
    free(lk);
    free(lv);
    free(sc);
    free(o);
}

#endif /* ATTN_BRUTE_H */
