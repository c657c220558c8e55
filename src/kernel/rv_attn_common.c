/*
 * rv_attn_common.c — what every attention entry point shares: argument
 * validation, the workspace size and layout, block landmark means, the
 * edge counter and the public sparse entry points.
 */
#include <math.h>
#include <string.h>

#include "rv_attn_impl.h"

rv_status rv_attn_check_cfg(const rv_attn_cfg *cfg)
{
    if (!cfg)
        return RV_ERR_NULL;
    if (cfg->block_size == 0)
        return RV_ERR_BLOCK_SIZE;
    if (cfg->n_globals > 0 && !cfg->globals)
        return RV_ERR_NULL;
    return RV_OK;
}

rv_status rv_attn_check_shape(rv_shape shape)
{
    if (shape.dim == 0 || shape.q_heads == 0 || shape.kv_heads == 0 ||
        shape.q_heads % shape.kv_heads != 0)
        return RV_ERR_SHAPE;
    return RV_OK;
}

/* size_t arithmetic that reports overflow instead of wrapping. */
static bool mul_sz(size_t a, size_t b, size_t *r)
{
    if (a != 0 && b > SIZE_MAX / a)
        return false;
    *r = a * b;
    return true;
}

/* *acc += rv_align_size(bytes) */
static bool add_region(size_t *acc, size_t bytes)
{
    if (bytes > SIZE_MAX - RV_ALIGN)
        return false;
    size_t a = rv_align_size(bytes);
    if (*acc > SIZE_MAX - a)
        return false;
    *acc += a;
    return true;
}

static uint32_t n_blocks_of(const rv_attn_cfg *cfg, uint32_t n)
{
    return (uint32_t)(((uint64_t)n + cfg->block_size - 1u) / cfg->block_size);
}

rv_status rv_attn_ws_need(const rv_attn_cfg *cfg, rv_shape shape, size_t *need)
{
    const uint32_t group = shape.q_heads / shape.kv_heads;
    size_t tq, tkv, lm = 0, acc, sc, total = RV_ALIGN - 1u;
    /* The tensors themselves must be addressable with size_t offsets. */
    if (!mul_sz(shape.seq, shape.q_heads, &tq) || !mul_sz(tq, shape.dim, &tq) ||
        !mul_sz(tq, sizeof(float), &tq) ||
        !mul_sz(shape.seq, shape.kv_heads, &tkv) || !mul_sz(tkv, shape.dim, &tkv) ||
        !mul_sz(tkv, sizeof(float), &tkv))
        return RV_ERR_OVERFLOW;
    if (cfg->landmarks &&
        (!mul_sz(n_blocks_of(cfg, shape.seq), shape.kv_heads, &lm) ||
         !mul_sz(lm, shape.dim, &lm) || !mul_sz(lm, sizeof(float), &lm)))
        return RV_ERR_OVERFLOW;
    const size_t cap_t = rv_attn_cand_cap_tokens(cfg, shape.seq);
    const size_t cap_b = rv_attn_cand_cap_blocks(cfg, shape.seq);
    if (!mul_sz(group, shape.dim, &acc) || !mul_sz(acc, sizeof(float), &acc) ||
        !mul_sz(group, RV_ATTN_TILE * sizeof(float), &sc))
        return RV_ERR_OVERFLOW;
    if (!add_region(&total, lm) || !add_region(&total, lm) ||
        !add_region(&total, cap_t * sizeof(uint32_t)) ||
        !add_region(&total, cap_t) ||
        !add_region(&total, cap_b * sizeof(uint32_t)) ||
        !add_region(&total, acc) ||
        !add_region(&total, (size_t)group * sizeof(float)) ||
        !add_region(&total, (size_t)group * sizeof(float)) ||
        !add_region(&total, sc) ||
        !add_region(&total, RV_ATTN_TILE * sizeof(const float *)) ||
        !add_region(&total, RV_ATTN_TILE * sizeof(const float *)))
        return RV_ERR_OVERFLOW;
    *need = total;
    return RV_OK;
}

size_t rv_attn_workspace_size(const rv_attn_cfg *cfg, rv_shape shape)
{
    size_t need;
    if (rv_attn_check_cfg(cfg) != RV_OK || rv_attn_check_shape(shape) != RV_OK ||
        rv_attn_ws_need(cfg, shape, &need) != RV_OK)
        return 0;
    return need;
}

/* Hand out the next aligned region of bytes; the layout mirrors ws_need. */
static void *take(unsigned char **p, size_t bytes)
{
    void *r = *p;
    *p += rv_align_size(bytes);
    return r;
}

/* Landmark key/value of block b, kv head h: the mean of the block's rows.
 * Rows are summed in ascending order, then divided by the row count. */
static void landmarks(rv_attn_run *r)
{
    const uint32_t n = r->shape.seq, kvh = r->shape.kv_heads, dim = r->shape.dim;
    const uint32_t bs = r->cfg->block_size, nb = n_blocks_of(r->cfg, n);
    const size_t row = (size_t)kvh * dim;
    for (uint32_t b = 0; b < nb; b++) {
        const uint32_t j0 = b * bs;
        const uint32_t cnt = n - j0 < bs ? n - j0 : bs;
        float *mk = r->lm_k + (size_t)b * row, *mv = r->lm_v + (size_t)b * row;
        memset(mk, 0, row * sizeof(float));
        memset(mv, 0, row * sizeof(float));
        for (uint32_t j = j0; j < j0 + cnt; j++) {
            const float *kr = r->k + (size_t)j * row, *vr = r->v + (size_t)j * row;
            for (size_t e = 0; e < row; e++) {
                mk[e] += kr[e];
                mv[e] += vr[e];
            }
        }
        const float c = (float)cnt;
        for (size_t e = 0; e < row; e++) {
            mk[e] /= c;
            mv[e] /= c;
        }
    }
}

rv_status rv_attn_prepare(rv_attn_run *r, const rv_attn_cfg *cfg, rv_shape shape,
                          const float *q, const float *k, const float *v,
                          const uint8_t *keep, float *out,
                          void *ws, size_t ws_size)
{
    rv_status st = rv_attn_check_cfg(cfg);
    if (st == RV_OK)
        st = rv_attn_check_shape(shape);
    if (st != RV_OK || shape.seq == 0)
        return st;
    if (!q || !k || !v || !out)
        return RV_ERR_NULL;
    size_t need;
    st = rv_attn_ws_need(cfg, shape, &need);
    if (st != RV_OK)
        return st;
    if (!ws)
        return RV_ERR_NULL;
    if (ws_size < need)
        return RV_ERR_WORKSPACE;

    const uint32_t group = shape.q_heads / shape.kv_heads;
    const size_t cap_t = rv_attn_cand_cap_tokens(cfg, shape.seq);
    const size_t cap_b = rv_attn_cand_cap_blocks(cfg, shape.seq);
    size_t lm = cfg->landmarks
        ? (size_t)n_blocks_of(cfg, shape.seq) * shape.kv_heads * shape.dim * sizeof(float)
        : 0;
    unsigned char *p = rv_align_ptr(ws);
    r->cfg = cfg;
    r->shape = shape;
    r->group = group;
    r->scale = 1.0f / sqrtf((float)shape.dim);
    r->q = q;
    r->k = k;
    r->v = v;
    r->keep = keep;
    r->out = out;
    r->lm_k = take(&p, lm);
    r->lm_v = take(&p, lm);
    r->cand.extra = take(&p, cap_t * sizeof(uint32_t));
    r->cand.extra_is_global = take(&p, cap_t);
    r->cand.blocks = take(&p, cap_b * sizeof(uint32_t));
    r->acc = take(&p, (size_t)group * shape.dim * sizeof(float));
    r->m = take(&p, (size_t)group * sizeof(float));
    r->l = take(&p, (size_t)group * sizeof(float));
    r->sc = take(&p, (size_t)group * RV_ATTN_TILE * sizeof(float));
    r->kp = take(&p, RV_ATTN_TILE * sizeof(const float *));
    r->vp = take(&p, RV_ATTN_TILE * sizeof(const float *));
    if (cfg->landmarks)
        landmarks(r);
    else
        r->lm_k = r->lm_v = NULL;
    return RV_OK;
}

void rv_attn_run_cand(rv_attn_run *r, uint32_t i)
{
    rv_attn_cand *c = &r->cand;
    rv_attn_cand_build(r->cfg, i, r->shape.seq, c);
    if (!r->keep)
        return;
    /* Gate: extras are outside the window; keep globals and masked-in ones. */
    uint32_t kept = 0;
    for (uint32_t t = 0; t < c->n_extra; t++) {
        if (c->extra_is_global[t] || r->keep[c->extra[t]]) {
            c->extra[kept] = c->extra[t];
            c->extra_is_global[kept] = c->extra_is_global[t];
            kept++;
        }
    }
    c->n_extra = kept;
}

uint64_t rv_attn_count_edges(const rv_attn_cfg *cfg, uint32_t seq)
{
    if (rv_attn_check_cfg(cfg) != RV_OK)
        return 0;
    uint64_t e = 0;
    for (uint32_t i = 0; i < seq; i++)
        e += rv_attn_cand_count(cfg, i, seq);
    return e;
}

rv_status rv_attn_forward(const rv_attn_cfg *cfg, rv_shape shape,
                          const float *q, const float *k, const float *v,
                          float *out, void *ws, size_t ws_size)
{
    return rv_attn_forward_opt(cfg, shape, q, k, v, NULL, out, ws, ws_size);
}

rv_status rv_attn_forward_gated(const rv_attn_cfg *cfg, rv_shape shape,
                                const float *q, const float *k, const float *v,
                                const uint8_t *keep, float *out,
                                void *ws, size_t ws_size)
{
    rv_status st = rv_attn_check_cfg(cfg);
    if (st == RV_OK)
        st = rv_attn_check_shape(shape);
    if (st != RV_OK || shape.seq == 0)
        return st;
    if (!keep)
        return RV_ERR_NULL;
    return rv_attn_forward_opt(cfg, shape, q, k, v, keep, out, ws, ws_size);
}
