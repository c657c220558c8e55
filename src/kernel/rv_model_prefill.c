/* rv_model_prefill.c — the model over a window of n frames (positions
 * 0..n-1), layer by layer with the causal sparse attention forward. */
#include <string.h>

#include "rv_model_int.h"

typedef struct {
    float *h, *q, *k, *v, *a, *u, *z, *cs;
    void *aws;
    size_t aws_size;
} prefill_ws;

/* Carve the workspace (base NULL: measure). Returns 0 on overflow. */
static size_t carve(const rv_model *m, uint32_t n, uint8_t *base, prefill_ws *w)
{
    const uint64_t QD = (uint64_t)m->hq * m->hd, KD = (uint64_t)m->hkv * m->hd;
    rv_shape sh = { n, m->hq, m->hkv, m->hd };
    size_t aws = rv_attn_workspace_size(&m->cfg, sh);
    if (aws == 0u)
        return 0;
    uint64_t sizes[8] = {
        (uint64_t)n * m->d, (uint64_t)n * QD, (uint64_t)n * KD, (uint64_t)n * KD,
        (uint64_t)n * QD, m->din > m->d ? m->din : m->d, m->f ? m->f : 1u,
        m->pairs ? 2u * (uint64_t)m->pairs : 1u
    };
    float **dst[8] = { &w->h, &w->q, &w->k, &w->v, &w->a, &w->u, &w->z, &w->cs };
    uint64_t off = 0;
    for (int i = 0; i < 8; i++) {
        uint64_t bytes = sizes[i] * sizeof(float);
        if (bytes / sizeof(float) != sizes[i] || bytes > (uint64_t)SIZE_MAX / 2u)
            return 0;
        if (base)
            *dst[i] = (float *)(void *)(base + off);
        off += (bytes + RV_ALIGN - 1u) & ~(uint64_t)(RV_ALIGN - 1u);
    }
    if (base) {
        w->aws = base + off;
        w->aws_size = aws;
    }
    off += aws;
    if (off > (uint64_t)SIZE_MAX - RV_ALIGN)
        return 0;
    return (size_t)off;
}

size_t rv_model_prefill_workspace_size(const rv_model *m, uint32_t n)
{
    if (!rv_model_ok(m) || n == 0u)
        return 0;
    prefill_ws w;
    size_t s = carve(m, n, NULL, &w);
    return s ? s + RV_ALIGN - 1u : 0u;
}

rv_status rv_model_prefill(const rv_model *m, const float *x, uint32_t n,
                           float *embeddings, void *ws, size_t ws_size)
{
    if (!m || !x || !embeddings || !ws)
        return RV_ERR_NULL;
    if (!rv_model_ok(m))
        return RV_ERR_BAD_OBJECT;
    if (n == 0u)
        return RV_ERR_ARG;
    size_t need = rv_model_prefill_workspace_size(m, n);
    if (need == 0u)
        return RV_ERR_OVERFLOW;
    if (ws_size < need)
        return RV_ERR_WORKSPACE;
    if (!rv_model_all_finite(x, (size_t)n * m->din))
        return RV_ERR_NOT_FINITE;
    prefill_ws w;
    carve(m, n, rv_align_ptr(ws), &w);
    const size_t QD = (size_t)m->hq * m->hd, KD = (size_t)m->hkv * m->hd;

    for (uint32_t i = 0; i < n; i++)
        rv_model_frame_in(m, x + (size_t)i * m->din, w.h + (size_t)i * m->d, w.u);
    rv_shape sh = { n, m->hq, m->hkv, m->hd };
    for (uint32_t l = 0; l < m->nl; l++) {
        for (uint32_t i = 0; i < n; i++) {
            if (m->pairs)
                rv_model_rope_cs(m->periods, m->pairs, i, w.cs);
            rv_model_frame_qkv(m, l, w.h + (size_t)i * m->d, w.u, w.cs,
                               w.q + i * QD, w.k + i * KD, w.v + i * KD);
        }
        /* finite weights can still overflow: report it, never feed inf on */
        if (!rv_model_all_bounded(w.q, n * QD) || !rv_model_all_bounded(w.k, n * KD) ||
            !rv_model_all_bounded(w.v, n * KD))
            return RV_ERR_NOT_FINITE;
        rv_status st = rv_attn_forward(&m->cfg, sh, w.q, w.k, w.v, w.a,
                                       w.aws, w.aws_size);
        if (st != RV_OK)
            return st;
        for (uint32_t i = 0; i < n; i++)
            rv_model_frame_out(m, l, w.a + i * QD, w.h + (size_t)i * m->d, w.u, w.z);
    }
    for (uint32_t i = 0; i < n; i++)
        rv_model_frame_final(m, w.h + (size_t)i * m->d, embeddings + (size_t)i * m->d);
    return rv_model_all_finite(embeddings, (size_t)n * m->d) ? RV_OK : RV_ERR_NOT_FINITE;
}
