/*
 * rv_attn_cand.c — the candidate set of one query position (see
 * rv_attn_cand.h and docs/kernel.md for the semantics).
 *
 * The window is a contiguous range, so "is j already a candidate" is a range
 * test plus a linear search in the short extras list (O(G + log n) entries):
 * no O(n) bitmap, so the same code serves prefill and O(W + log len) decode.
 */
#include "rv_attn_cand.h"

/* Number of s = 1, 2, 4, ... with s < n. */
static uint32_t log_steps(uint32_t n)
{
    uint32_t c = 0;
    for (uint64_t s = 1; s < n; s <<= 1)
        c++;
    return c;
}

uint32_t rv_attn_cand_cap_tokens(const rv_attn_cfg *cfg, uint32_t n)
{
    uint64_t g = cfg->n_globals < n ? cfg->n_globals : n;
    uint64_t cap = g;
    if (cfg->log_stride)
        cap += (uint64_t)log_steps(n) * (cfg->causal ? 1u : 2u);
    /* Extras are distinct positions < n. */
    if (cap > n)
        cap = n;
    return (uint32_t)cap;
}

uint32_t rv_attn_cand_cap_blocks(const rv_attn_cfg *cfg, uint32_t n)
{
    if (!cfg->landmarks || n == 0 || cfg->block_size == 0)
        return 0;
    uint32_t nb = (uint32_t)(((uint64_t)n + cfg->block_size - 1u) / cfg->block_size);
    uint64_t cap = 3;
    if (cfg->log_stride)
        cap += (uint64_t)log_steps(nb) * (cfg->causal ? 1u : 2u);
    if (cap > nb)
        cap = nb;
    return (uint32_t)cap;
}

static bool in_list(const uint32_t *list, uint32_t len, uint32_t x)
{
    for (uint32_t t = 0; t < len; t++)
        if (list[t] == x)
            return true;
    return false;
}

static void add_extra(rv_attn_cand *c, uint32_t j, uint8_t is_global)
{
    c->extra[c->n_extra] = j;
    c->extra_is_global[c->n_extra] = is_global;
    c->n_extra++;
}

static void window_of(const rv_attn_cfg *cfg, uint32_t i, uint32_t n,
                      uint32_t *lo, uint32_t *hi)
{
    const uint32_t w = cfg->window;
    *lo = i > w ? i - w : 0u;
    if (cfg->causal) {
        *hi = i;
    } else {
        uint64_t h = (uint64_t)i + w;
        *hi = h > (uint64_t)(n - 1u) ? n - 1u : (uint32_t)h;
    }
}

static void build_tokens(const rv_attn_cfg *cfg, uint32_t i, uint32_t n,
                         rv_attn_cand *c)
{
    window_of(cfg, i, n, &c->win_lo, &c->win_hi);
    c->n_extra = 0;

    for (uint32_t t = 0; t < cfg->n_globals; t++) {
        uint32_t g = cfg->globals[t];
        if (g >= n || (cfg->causal && g > i))
            continue;
        if (g >= c->win_lo && g <= c->win_hi)
            continue;
        if (in_list(c->extra, c->n_extra, g))
            continue;
        add_extra(c, g, 1u);
    }
    if (!cfg->log_stride)
        return;
    /* Log-stride tokens are distinct from each other, so only the window and
     * the globals added above can collide with them. */
    const uint32_t n_glob = c->n_extra;
    for (uint64_t s = 1; s < n; s <<= 1) {
        if (i >= s) {
            uint32_t j = i - (uint32_t)s;
            if (j < c->win_lo && !in_list(c->extra, n_glob, j))
                add_extra(c, j, 0u);
        }
        if (!cfg->causal && (uint64_t)i + s < n) {
            uint32_t j = i + (uint32_t)s;
            if (j > c->win_hi && !in_list(c->extra, n_glob, j))
                add_extra(c, j, 0u);
        }
    }
}

static void add_block(rv_attn_cand *c, uint32_t b, bool noncausal, uint32_t cb)
{
    if (noncausal && b == cb)
        return;
    if (in_list(c->blocks, c->n_blocks, b))
        return;
    c->blocks[c->n_blocks++] = b;
}

static void build_blocks(const rv_attn_cfg *cfg, uint32_t i, uint32_t n,
                         rv_attn_cand *c)
{
    c->n_blocks = 0;
    if (!cfg->landmarks)
        return;
    const uint32_t bs = cfg->block_size;
    const uint32_t nb = (uint32_t)(((uint64_t)n + bs - 1u) / bs);
    const uint32_t cb = i / bs;
    const bool nc = !cfg->causal;
    const uint32_t avail = nc ? nb : (uint32_t)(((uint64_t)i + 1u) / bs);
    if (avail == 0)
        return;
    const uint32_t pivot = nc ? (cb < nb - 1u ? cb : nb - 1u) : avail - 1u;
    const uint32_t lo = pivot > 0 ? pivot - 1u : 0u;
    const uint32_t hi = (uint64_t)pivot + 1u < avail ? pivot + 1u : avail - 1u;
    for (uint32_t b = lo; b <= hi; b++)
        add_block(c, b, nc, cb);
    if (!cfg->log_stride)
        return;
    for (uint64_t s = 1; s < nb; s <<= 1) {
        if (pivot >= s)
            add_block(c, pivot - (uint32_t)s, nc, cb);
        if (nc && (uint64_t)pivot + s < nb)
            add_block(c, pivot + (uint32_t)s, nc, cb);
    }
}

void rv_attn_cand_build(const rv_attn_cfg *cfg, uint32_t i, uint32_t n,
                        rv_attn_cand *c)
{
    build_tokens(cfg, i, n, c);
    build_blocks(cfg, i, n, c);
}

/* j is one of cfg->globals. Only asked for log-stride positions, which are
 * < n and (causal) <= i, so every match is a valid global candidate. */
static bool is_global(const rv_attn_cfg *cfg, uint32_t j)
{
    return in_list(cfg->globals, cfg->n_globals, j);
}

uint64_t rv_attn_cand_count(const rv_attn_cfg *cfg, uint32_t i, uint32_t n)
{
    uint32_t lo, hi;
    window_of(cfg, i, n, &lo, &hi);
    uint64_t count = (uint64_t)(hi - lo) + 1u;
    /* Same decisions as build_tokens, without the extras list: a global
     * counts unless an earlier equal entry already did. */
    for (uint32_t t = 0; t < cfg->n_globals; t++) {
        uint32_t g = cfg->globals[t];
        if (g >= n || (cfg->causal && g > i) || (g >= lo && g <= hi))
            continue;
        if (!in_list(cfg->globals, t, g))
            count++;
    }
    if (cfg->log_stride) {
        for (uint64_t s = 1; s < n; s <<= 1) {
            if (i >= s && i - (uint32_t)s < lo && !is_global(cfg, i - (uint32_t)s))
                count++;
            if (!cfg->causal && (uint64_t)i + s < n && i + (uint32_t)s > hi &&
                !is_global(cfg, i + (uint32_t)s))
                count++;
        }
    }
    uint32_t blocks[RV_ATTN_CAND_MAX_BLOCKS];
    rv_attn_cand c = { .blocks = blocks };
    build_blocks(cfg, i, n, &c);
    return count + c.n_blocks;
}
