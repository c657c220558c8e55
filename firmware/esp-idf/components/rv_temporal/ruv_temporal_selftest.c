/*
 * ruv_temporal_selftest.c — ruv_temporal_kernel_self_test(): known-answer
 * checks that prove the kernel was built and linked correctly for this
 * core (float ABI, FPU enabled, libm), without hard-coded outputs:
 *   1. CRC32 of "123456789" is the standard check value 0xCBF43926;
 *   2. sparse attention with a window covering the whole sequence equals
 *      the dense causal reference (1e-5);
 *   3. streaming decode of every position from a KV cache equals the causal
 *      sparse forward at that position (1e-5), with windows, globals,
 *      log-stride and landmarks on.
 * The tensors and workspaces (6.5 KB on a 32-bit MCU, mostly the decode
 * workspace) come from one ruv_temporal_mem_alloc() block that is freed
 * before returning; the stack use is a few hundred bytes.
 */
#include <math.h>
#include <string.h>

#include "ruv_temporal.h"
#include "rv_attn.h"
#include "rv_crc32.h"
#include "rv_kv.h"

#define ST_SEQ   12u
#define ST_QH    2u
#define ST_KVH   1u
#define ST_DIM   4u
#define ST_TOL   1e-5f

/* Deterministic values in [-1, 1) from an integer hash: identical on every
 * target, no libm involved. */
static void fill(float *x, uint32_t n, uint32_t seed)
{
    for (uint32_t i = 0; i < n; i++) {
        uint32_t h = (i + seed) * 2654435761u ^ 0x9e3779b9u;
        h ^= h >> 15;
        h *= 0x85ebca6bu;
        h ^= h >> 13;
        x[i] = (float)(h >> 8) * (2.0f / 16777216.0f) - 1.0f;
    }
}

static bool close_all(const float *a, const float *b, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (!(fabsf(a[i] - b[i]) <= ST_TOL))
            return false;
    return true;
}

/* Carves `size` bytes from the pool; NULL when it does not fit. */
static void *take(uint8_t **at, uint8_t *end, size_t size)
{
    uint8_t *p = *at;
    size = rv_align_size(size);
    if (size > (size_t)(end - p))
        return NULL;
    *at = p + size;
    return p;
}

#define QN (ST_SEQ * ST_QH * ST_DIM)
#define KN (ST_SEQ * ST_KVH * ST_DIM)

static const uint32_t st_globals[1] = { 0u };

static esp_err_t run_checks(uint8_t *pool, size_t pool_size)
{
    static const uint8_t check[9] = { '1', '2', '3', '4', '5', '6', '7', '8', '9' };
    if (rv_crc32(check, sizeof(check)) != 0xCBF43926u)
        return ESP_FAIL;

    uint8_t *at = pool, *end = pool + pool_size;
    float *q = take(&at, end, QN * sizeof(float));
    float *k = take(&at, end, KN * sizeof(float));
    float *v = take(&at, end, KN * sizeof(float));
    float *out = take(&at, end, QN * sizeof(float));
    float *ref = take(&at, end, QN * sizeof(float));
    if (!q || !k || !v || !out || !ref)
        return ESP_FAIL;
    fill(q, QN, 1u);
    fill(k, KN, 2u);
    fill(v, KN, 3u);
    const rv_shape shape = { ST_SEQ, ST_QH, ST_KVH, ST_DIM };
    uint8_t *mark = at;

    /* 2. a window covering the whole sequence == dense causal attention */
    const rv_attn_cfg full = { ST_SEQ, 4u, NULL, 0u, true, false, false };
    size_t ws_n = rv_attn_workspace_size(&full, shape);
    size_t dws_n = rv_attn_dense_workspace_size(shape);
    void *ws = take(&at, end, ws_n), *dws = take(&at, end, dws_n);
    if (!ws || !dws ||
        rv_attn_forward(&full, shape, q, k, v, out, ws, ws_n) != RV_OK ||
        rv_attn_dense(shape, true, q, k, v, ref, dws, dws_n) != RV_OK ||
        !close_all(out, ref, QN))
        return ESP_FAIL;

    /* 3. decode at every position == sparse forward at that position */
    const rv_attn_cfg cfg = { 2u, 4u, st_globals, 1u, true, true, true };
    at = mark;
    ws_n = rv_attn_workspace_size(&cfg, shape);
    size_t kv_n = rv_kv_mem_size(ST_SEQ, ST_KVH, ST_DIM, cfg.block_size);
    size_t dec_n = rv_attn_decode_workspace_size(&cfg, ST_QH, ST_DIM);
    ws = take(&at, end, ws_n);
    void *kvm = take(&at, end, kv_n), *dec = take(&at, end, dec_n);
    if (!ws || !kvm || !dec ||
        rv_attn_forward(&cfg, shape, q, k, v, ref, ws, ws_n) != RV_OK)
        return ESP_FAIL;
    rv_kv *kv = rv_kv_init(kvm, kv_n, ST_SEQ, ST_KVH, ST_DIM, cfg.block_size);
    if (!kv)
        return ESP_FAIL;
    const uint32_t qrow = ST_QH * ST_DIM, kvrow = ST_KVH * ST_DIM;
    for (uint32_t i = 0; i < ST_SEQ; i++) {
        if (rv_kv_append(kv, k + i * kvrow, v + i * kvrow) != RV_OK ||
            rv_attn_decode(&cfg, kv, ST_QH, q + i * qrow, out, dec, dec_n) != RV_OK ||
            !close_all(out, ref + i * qrow, qrow))
            return ESP_FAIL;
    }
    return ESP_OK;
}

/* Bytes the checks carve from the pool (the larger of the two phases). */
static size_t pool_size(void)
{
    const rv_shape shape = { ST_SEQ, ST_QH, ST_KVH, ST_DIM };
    const rv_attn_cfg full = { ST_SEQ, 4u, NULL, 0u, true, false, false };
    const rv_attn_cfg cfg = { 2u, 4u, st_globals, 1u, true, true, true };
    size_t tensors = 3u * rv_align_size(QN * sizeof(float)) +
                     2u * rv_align_size(KN * sizeof(float));
    size_t a = rv_align_size(rv_attn_workspace_size(&full, shape)) +
               rv_align_size(rv_attn_dense_workspace_size(shape));
    size_t b = rv_align_size(rv_attn_workspace_size(&cfg, shape)) +
               rv_align_size(rv_kv_mem_size(ST_SEQ, ST_KVH, ST_DIM, cfg.block_size)) +
               rv_align_size(rv_attn_decode_workspace_size(&cfg, ST_QH, ST_DIM));
    return tensors + (a > b ? a : b) + RV_ALIGN;
}

esp_err_t ruv_temporal_kernel_self_test(void)
{
    size_t n = pool_size();
    void *raw = ruv_temporal_mem_alloc(n);
    if (!raw)
        return ESP_ERR_NO_MEM;
    uint8_t *pool = rv_align_ptr(raw);
    esp_err_t err = run_checks(pool, n - (size_t)(pool - (uint8_t *)raw));
    ruv_temporal_mem_free(raw);
    return err;
}
