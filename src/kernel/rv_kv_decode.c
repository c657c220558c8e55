/*
 * rv_kv_decode.c — decode argument checks, workspace, and the plan: the
 * candidate set of the newest token mapped onto cache storage.
 *
 * The candidates come from the shared enumerator (rv_attn_cand.h) at the
 * causal query i = len-1, so decode visits what a causal forward visits at
 * its last position. In ring mode positions are rebased by a block-aligned
 * M no newer than anything the cache still holds: the enumerator then runs
 * on (i - M, n = i - M + 1), which keeps every offset and block relation
 * intact and fits uint32 however long the stream has run; everything below
 * M is gone from the cache except pinned tokens, handled separately.
 */
#include <math.h>

#include "rv_kv_impl.h"

static bool mul_sz(size_t a, size_t b, size_t *r)
{
    if (a != 0 && b > SIZE_MAX / a)
        return false;
    *r = a * b;
    return true;
}

static bool add_region(size_t *acc, size_t bytes)
{
    if (bytes > SIZE_MAX - RV_ALIGN)
        return false;
    const size_t a = rv_align_size(bytes);
    if (*acc > SIZE_MAX - a)
        return false;
    *acc += a;
    return true;
}

static void *take(unsigned char **p, size_t bytes)
{
    void *r = *p;
    *p += rv_align_size(bytes);
    return r;
}

/* Decode is causal whatever the caller's cfg says. */
static rv_attn_cfg causal_of(const rv_attn_cfg *cfg)
{
    rv_attn_cfg c = *cfg;
    c.causal = true;
    return c;
}

/* Workspace bytes (0 on overflow) and the candidate array capacities. */
static size_t ws_need(const rv_attn_cfg *cfg, uint32_t q_heads, uint32_t dim,
                      size_t *cap_tok, size_t *cap_blk)
{
    const rv_attn_cfg c = causal_of(cfg);
    /* Bounds that hold for every n the enumerator can be asked about. */
    const size_t cap_t = rv_attn_cand_cap_tokens(&c, UINT32_MAX);
    const size_t cap_b = rv_attn_cand_cap_blocks(&c, UINT32_MAX);
    *cap_tok = cap_t;
    *cap_blk = cap_b;
    size_t acc, sc, tmp, total = RV_ALIGN - 1u;
    if (!mul_sz(q_heads, dim, &acc) || !mul_sz(acc, sizeof(float), &acc) ||
        !mul_sz(q_heads, RV_KV_CHUNK * sizeof(float), &sc) ||
        !mul_sz(1u + RV_KV_CHUNK, dim, &tmp) || !mul_sz(tmp, sizeof(float), &tmp))
        return 0;
    if (!add_region(&total, cap_t * sizeof(uint32_t)) ||
        !add_region(&total, cap_t) ||
        !add_region(&total, cap_b * sizeof(uint32_t)) ||
        !add_region(&total, (size_t)cfg->n_globals * sizeof(uint32_t)) ||
        !add_region(&total, acc) ||
        !add_region(&total, (size_t)q_heads * sizeof(float)) ||
        !add_region(&total, (size_t)q_heads * sizeof(float)) ||
        !add_region(&total, sc) || !add_region(&total, tmp) ||
        !add_region(&total, RV_KV_CHUNK * sizeof(void *)) ||
        !add_region(&total, RV_KV_CHUNK * sizeof(void *)) ||
        !add_region(&total, RV_KV_CHUNK * sizeof(void *)))
        return 0;
    return total;
}

size_t rv_attn_decode_workspace_size(const rv_attn_cfg *cfg, uint32_t q_heads,
                                     uint32_t dim)
{
    if (!cfg || cfg->block_size == 0 || (cfg->n_globals > 0 && !cfg->globals) ||
        q_heads == 0 || dim == 0)
        return 0;
    size_t cap_t, cap_b;
    return ws_need(cfg, q_heads, dim, &cap_t, &cap_b);
}

/* Ring slot of absolute position p, oldest <= p < len, without a division. */
static uint32_t slot_of(const rv_kv *kv, uint64_t p)
{
    const uint32_t d = (uint32_t)(kv->len - p); /* 1..capacity */
    return kv->head >= d ? kv->head - d : kv->head + (kv->capacity - d);
}

static bool is_global(const rv_attn_cfg *cfg, uint64_t p)
{
    for (uint32_t t = 0; t < cfg->n_globals; t++)
        if (cfg->globals[t] == p)
            return true;
    return false;
}

bool rv_kv_pin_is_cand(const rv_attn_cfg *cfg, const rv_kv *kv, uint64_t i,
                       uint32_t t)
{
    const uint32_t *pp = (const uint32_t *)(const void *)rv_kv_at(kv, kv->off_pin_pos);
    const uint64_t p = pp[t];
    const uint64_t off = i - p;
    if (off <= cfg->window || is_global(cfg, p))
        return true;
    return cfg->log_stride && (off & (off - 1u)) == 0;
}

static void build_plan(const rv_attn_cfg *cfg, const rv_kv *kv, rv_kv_ws *w)
{
    rv_kv_plan *pl = &w->plan;
    const uint64_t i = kv->len - 1u;
    const uint64_t bs = kv->block_size;
    const uint64_t oldest = rv_kv_oldest(kv);
    const uint64_t first_blk = rv_kv_first_block(kv);
    uint64_t base = first_blk * bs < oldest ? first_blk * bs : oldest;
    base -= base % bs;
    pl->i = i;

    /* Globals the ring still holds, rebased; older ones are pinned or gone. */
    rv_attn_cfg c = causal_of(cfg);
    uint32_t ng = 0;
    for (uint32_t t = 0; t < cfg->n_globals; t++) {
        const uint64_t g = cfg->globals[t];
        if (g >= oldest && g <= i)
            w->gl[ng++] = (uint32_t)(g - base);
    }
    c.globals = w->gl;
    c.n_globals = ng;
    const uint32_t ir = (uint32_t)(i - base);
    rv_attn_cand_build(&c, ir, ir + 1u, &w->cand);

    uint64_t lo = base + w->cand.win_lo;
    if (lo < oldest)
        lo = oldest;
    pl->n_win = (uint32_t)(i - lo + 1u);
    pl->win_slot = slot_of(kv, lo);

    /* Pinned entries below the ring: [first stored at/after start, next_pin). */
    const uint32_t *pp = (const uint32_t *)(const void *)rv_kv_at(kv, kv->off_pin_pos);
    uint32_t t = 0;
    while (t < kv->next_pin && pp[t] < kv->start)
        t++;
    pl->pin_lo = t;
    while (t < kv->next_pin && pp[t] < oldest)
        t++;
    pl->pin_hi = t;

    /* Extras and blocks, filtered in place onto storage slots. */
    pl->tok = w->cand.extra;
    pl->n_tok = 0;
    for (uint32_t e = 0; e < w->cand.n_extra; e++) {
        const uint64_t j = base + w->cand.extra[e];
        if (j >= oldest)
            pl->tok[pl->n_tok++] = slot_of(kv, j);
    }
    pl->blk = w->cand.blocks;
    pl->n_blk = 0;
    if (w->cand.n_blocks == 0)
        return;
    const uint64_t done = rv_kv_blocks_done(kv);
    const uint32_t newest = (uint32_t)((done - 1u) % kv->n_lm);
    const uint64_t bbase = base / bs;
    for (uint32_t e = 0; e < w->cand.n_blocks; e++) {
        const uint64_t b = bbase + w->cand.blocks[e];
        if (b < first_blk)
            continue;
        const uint32_t d = (uint32_t)(done - 1u - b); /* < n_lm */
        pl->blk[pl->n_blk++] = newest >= d ? newest - d : newest + (kv->n_lm - d);
    }
}

rv_status rv_kv_decode_prepare(const rv_attn_cfg *cfg, const rv_kv *kv,
                               uint32_t q_heads, const float *q, const float *out,
                               void *ws, size_t ws_size, rv_kv_ws *w)
{
    if (!cfg || !kv || !q || !out || !ws)
        return RV_ERR_NULL;
    if (!rv_kv_valid(kv))
        return RV_ERR_BAD_OBJECT;
    if (cfg->block_size == 0)
        return RV_ERR_BLOCK_SIZE;
    if (cfg->n_globals > 0 && !cfg->globals)
        return RV_ERR_NULL;
    if (q_heads == 0 || q_heads % kv->kv_heads != 0)
        return RV_ERR_SHAPE;
    if (cfg->block_size != kv->block_size)
        return RV_ERR_MISMATCH;
    size_t cap_t, cap_b;
    const size_t need = ws_need(cfg, q_heads, kv->dim, &cap_t, &cap_b);
    if (need == 0)
        return RV_ERR_OVERFLOW;
    if (ws_size < need)
        return RV_ERR_WORKSPACE;
    if (kv->len == kv->start)
        return RV_ERR_EMPTY;

    const size_t dim = kv->dim;
    unsigned char *p = rv_align_ptr(ws);
    w->cand.extra = take(&p, cap_t * sizeof(uint32_t));
    w->cand.extra_is_global = take(&p, cap_t);
    w->cand.blocks = take(&p, cap_b * sizeof(uint32_t));
    w->gl = take(&p, (size_t)cfg->n_globals * sizeof(uint32_t));
    w->acc = take(&p, (size_t)q_heads * dim * sizeof(float));
    w->m = take(&p, (size_t)q_heads * sizeof(float));
    w->l = take(&p, (size_t)q_heads * sizeof(float));
    w->sc = take(&p, (size_t)q_heads * RV_KV_CHUNK * sizeof(float));
    w->tmp = take(&p, (1u + RV_KV_CHUNK) * dim * sizeof(float));
    w->rk = take(&p, RV_KV_CHUNK * sizeof(void *));
    w->rv = take(&p, RV_KV_CHUNK * sizeof(void *));
    w->vp = take(&p, RV_KV_CHUNK * sizeof(void *));
    build_plan(cfg, kv, w);
    return RV_OK;
}

rv_status rv_attn_decode(const rv_attn_cfg *cfg, const rv_kv *kv, uint32_t q_heads,
                         const float *q, float *out, void *ws, size_t ws_size)
{
    return rv_attn_decode_opt(cfg, kv, q_heads, q, out, ws, ws_size);
}
