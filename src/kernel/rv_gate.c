/*
 * rv_gate.c — FastGRNN salience gate, top-k keep masks, key pooling.
 * Contract in rv_gate.h; the gate is not a hot loop (one small matrix-vector
 * product per frame), so it is written plainly.
 */
#include <math.h>
#include <string.h>

#include "rv_gate.h"

#define RV_GATE_MAGIC 0x52564754u /* "RVGT" */

/* Header followed by six float regions, each RV_ALIGN aligned, at fixed
 * offsets from the header (no pointers into caller memory). */
struct rv_gate {
    uint32_t magic;
    uint32_t input, hidden;
    float zeta, nu;
    uint32_t off_wg, off_ug, off_wu, off_uu, off_bg, off_bu; /* floats from data start */
};

static size_t hdr_size(void)
{
    return rv_align_size(sizeof(struct rv_gate));
}

/* Float count of each region rounded to RV_ALIGN; false on overflow. */
static bool layout(uint32_t in, uint32_t hid, uint32_t off[6], size_t *floats)
{
    const size_t per = RV_ALIGN / sizeof(float);
    const uint64_t wi = (uint64_t)hid * in, hh = (uint64_t)hid * hid;
    const uint64_t sz[6] = { wi, hh, wi, hh, hid, hid };
    uint64_t total = 0;
    for (int r = 0; r < 6; r++) {
        off[r] = (uint32_t)total;
        total += (sz[r] + per - 1u) / per * per;
        if (total > UINT32_MAX)
            return false;
    }
    if (total > (SIZE_MAX - hdr_size() - RV_ALIGN) / sizeof(float))
        return false;
    *floats = (size_t)total;
    return true;
}

size_t rv_gate_mem_size(uint32_t input_dim, uint32_t hidden_dim)
{
    uint32_t off[6];
    size_t floats;
    if (input_dim == 0 || hidden_dim == 0 || hidden_dim > RV_GATE_MAX_HIDDEN ||
        !layout(input_dim, hidden_dim, off, &floats))
        return 0;
    return RV_ALIGN - 1u + hdr_size() + floats * sizeof(float);
}

static float *data(const rv_gate *g)
{
    return (float *)((unsigned char *)(uintptr_t)g + hdr_size());
}

/* Validate memory and dims, write the header; NULL if anything is wrong. */
static rv_gate *setup(void *mem, size_t mem_size, uint32_t in, uint32_t hid,
                      float zeta, float nu)
{
    const size_t need = rv_gate_mem_size(in, hid);
    if (!mem || need == 0 || mem_size < need || !isfinite(zeta) || !isfinite(nu))
        return NULL;
    uint32_t off[6];
    size_t floats = 0;
    if (!layout(in, hid, off, &floats))
        return NULL;
    rv_gate *g = rv_align_ptr(mem);
    g->magic = RV_GATE_MAGIC;
    g->input = in;
    g->hidden = hid;
    g->zeta = zeta;
    g->nu = nu;
    g->off_wg = off[0];
    g->off_ug = off[1];
    g->off_wu = off[2];
    g->off_uu = off[3];
    g->off_bg = off[4];
    g->off_bu = off[5];
    memset(data(g), 0, floats * sizeof(float));
    return g;
}

/* The spec's deterministic default weight of element i, matrix offset o. */
static float default_weight(uint32_t i, uint32_t o, float s)
{
    uint32_t h = (i + o) * 2654435761u + 0x9e3779b9u;
    return ((float)h / 4294967295.0f - 0.5f) * 2 * s * 0.1f;
}

static void fill_default(float *w, uint32_t count, uint32_t o, float s)
{
    for (uint32_t i = 0; i < count; i++)
        w[i] = default_weight(i, o, s);
}

rv_gate *rv_gate_init_default(void *mem, size_t mem_size,
                              uint32_t input_dim, uint32_t hidden_dim)
{
    rv_gate *g = setup(mem, mem_size, input_dim, hidden_dim, 1.0f, 0.0f);
    if (!g)
        return NULL;
    const float s = sqrtf(2.0f / (float)(input_dim + hidden_dim));
    const uint32_t wi = input_dim * hidden_dim, hh = hidden_dim * hidden_dim;
    float *d = data(g);
    fill_default(d + g->off_wg, wi, 0u, s);
    fill_default(d + g->off_ug, hh, 1000u, s);
    fill_default(d + g->off_wu, wi, 2000u, s);
    fill_default(d + g->off_uu, hh, 3000u, s);
    return g;
}

rv_gate *rv_gate_init_weights(void *mem, size_t mem_size,
                              uint32_t input_dim, uint32_t hidden_dim,
                              const float *wg, const float *ug, const float *bg,
                              const float *wu, const float *uu, const float *bu,
                              float zeta, float nu)
{
    if (!wg || !ug || !wu || !uu)
        return NULL;
    rv_gate *g = setup(mem, mem_size, input_dim, hidden_dim, zeta, nu);
    if (!g)
        return NULL;
    const size_t wi = (size_t)input_dim * hidden_dim, hh = (size_t)hidden_dim * hidden_dim;
    float *d = data(g);
    memcpy(d + g->off_wg, wg, wi * sizeof(float));
    memcpy(d + g->off_ug, ug, hh * sizeof(float));
    memcpy(d + g->off_wu, wu, wi * sizeof(float));
    memcpy(d + g->off_uu, uu, hh * sizeof(float));
    if (bg)
        memcpy(d + g->off_bg, bg, hidden_dim * sizeof(float));
    if (bu)
        memcpy(d + g->off_bu, bu, hidden_dim * sizeof(float));
    return g;
}

static float dot(const float *a, const float *b, uint32_t n)
{
    float s = 0.0f;
    for (uint32_t e = 0; e < n; e++)
        s += a[e] * b[e];
    return s;
}

rv_status rv_gate_score(const rv_gate *g, const float *x, uint32_t n, float *salience)
{
    if (!g)
        return RV_ERR_NULL;
    if (g->magic != RV_GATE_MAGIC || g->hidden == 0 || g->hidden > RV_GATE_MAX_HIDDEN)
        return RV_ERR_BAD_OBJECT;
    if (n == 0)
        return RV_OK;
    if (!x || !salience)
        return RV_ERR_NULL;
    const uint32_t in = g->input, hid = g->hidden;
    if ((uint64_t)n * in > SIZE_MAX / sizeof(float))
        return RV_ERR_OVERFLOW;
    const float *d = data(g);
    const float *wg = d + g->off_wg, *ug = d + g->off_ug, *wu = d + g->off_wu;
    const float *uu = d + g->off_uu, *bg = d + g->off_bg, *bu = d + g->off_bu;
    float h[RV_GATE_MAX_HIDDEN], hn[RV_GATE_MAX_HIDDEN];
    memset(h, 0, hid * sizeof(float));
    for (uint32_t t = 0; t < n; t++) {
        const float *xt = x + (size_t)t * in;
        float norm2 = 0.0f;
        for (uint32_t r = 0; r < hid; r++) {
            float zg = dot(wg + (size_t)r * in, xt, in) + dot(ug + (size_t)r * hid, h, hid) + bg[r];
            float zu = dot(wu + (size_t)r * in, xt, in) + dot(uu + (size_t)r * hid, h, hid) + bu[r];
            float gate = 1.0f / (1.0f + expf(-zg));
            float c = tanhf(zu);
            float f = g->zeta * gate + g->nu;
            f = f < 0.0f ? 0.0f : (f > 1.0f ? 1.0f : f);
            hn[r] = f * h[r] + (1.0f - f) * c;
            norm2 += hn[r] * hn[r];
        }
        memcpy(h, hn, hid * sizeof(float));
        salience[t] = sqrtf(norm2);
    }
    return RV_OK;
}

/* Order-preserving map of a float to uint32: NaN lowest, -0 == +0. */
static uint32_t rank_key(float v)
{
    if (isnan(v))
        return 0u;
    if (v == 0.0f)
        v = 0.0f;
    uint32_t b;
    memcpy(&b, &v, sizeof b);
    return (b & 0x80000000u) ? ~b : (b | 0x80000000u);
}

rv_status rv_gate_topk(const float *salience, uint32_t n, uint32_t k, uint8_t *keep)
{
    if (n == 0)
        return RV_OK;
    if (!salience || !keep)
        return RV_ERR_NULL;
    if (k >= n) {
        memset(keep, 1, n);
        return RV_OK;
    }
    memset(keep, 0, n);
    if (k == 0)
        return RV_OK;
    /* Largest threshold T with at least k keys >= T: the k-th largest key,
     * built one bit at a time from the top. */
    uint32_t thr = 0;
    for (int bit = 31; bit >= 0; bit--) {
        const uint32_t cand = thr | (1u << bit);
        uint32_t count = 0;
        for (uint32_t j = 0; j < n; j++)
            count += rank_key(salience[j]) >= cand;
        if (count >= k)
            thr = cand;
    }
    /* Everything above T, then ties at T from the lowest index. */
    uint32_t kept = 0;
    for (uint32_t j = 0; j < n; j++)
        if (rank_key(salience[j]) > thr) {
            keep[j] = 1;
            kept++;
        }
    for (uint32_t j = 0; j < n && kept < k; j++)
        if (rank_key(salience[j]) == thr) {
            keep[j] = 1;
            kept++;
        }
    return RV_OK;
}

rv_status rv_gate_pool_keys(const float *k, uint32_t seq, uint32_t kv_heads, uint32_t dim,
                            float *out)
{
    if (kv_heads == 0 || dim == 0)
        return RV_ERR_SHAPE;
    if (seq == 0)
        return RV_OK;
    if (!k || !out)
        return RV_ERR_NULL;
    const uint64_t row = (uint64_t)kv_heads * dim; /* < 2^64 */
    if (row > SIZE_MAX / sizeof(float) / seq)
        return RV_ERR_OVERFLOW;
    const float heads = (float)kv_heads;
    for (uint32_t t = 0; t < seq; t++) {
        const float *kt = k + (size_t)t * kv_heads * dim;
        float *o = out + (size_t)t * dim;
        for (uint32_t d = 0; d < dim; d++) {
            float s = 0.0f;
            for (uint32_t h = 0; h < kv_heads; h++)
                s += kt[(size_t)h * dim + d];
            o[d] = s / heads;
        }
    }
    return RV_OK;
}
