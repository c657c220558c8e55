/*
 * rv_attn.h — sparse attention over window, global, log-stride tokens and
 * block landmarks; the dense reference; the edge counter.
 *
 * Tensors are dense row-major float arrays [seq][heads][dim]. q has q_heads,
 * k and v have kv_heads; q_heads % kv_heads == 0 and query head h reads
 * key/value head h / (q_heads / kv_heads) (MHA, GQA and MQA in one call).
 * The exact candidate-set semantics are documented in docs/kernel.md.
 *
 * Memory: callers pass a workspace of at least *_workspace_size() bytes with
 * malloc alignment; no call allocates, none keeps state between calls.
 *
 * Errors (nothing is written on any of them): RV_ERR_NULL for a NULL cfg,
 * NULL globals with n_globals > 0, NULL q/k/v/out/keep/ws; RV_ERR_BLOCK_SIZE
 * for block_size 0; RV_ERR_SHAPE for a zero dim/q_heads/kv_heads or
 * q_heads % kv_heads != 0; RV_ERR_OVERFLOW when a size does not fit size_t;
 * RV_ERR_WORKSPACE when ws_size is below the size query. seq == 0 returns
 * RV_OK after the cfg/shape checks without touching any pointer (they may be
 * NULL). Size queries return 0 for arguments the call would reject;
 * rv_attn_count_edges returns 0 for an invalid cfg.
 */
#ifndef RV_ATTN_H
#define RV_ATTN_H

#include "rv_base.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    uint32_t window, block_size;
    const uint32_t *globals; uint32_t n_globals;
    bool causal, log_stride, landmarks;
} rv_attn_cfg;

typedef struct { uint32_t seq, q_heads, kv_heads, dim; } rv_shape;

size_t    rv_attn_workspace_size(const rv_attn_cfg *cfg, rv_shape shape);
rv_status rv_attn_forward(const rv_attn_cfg *cfg, rv_shape shape,
                          const float *q, const float *k, const float *v,
                          float *out, void *ws, size_t ws_size);
rv_status rv_attn_forward_gated(const rv_attn_cfg *cfg, rv_shape shape,
                          const float *q, const float *k, const float *v,
                          const uint8_t *keep /* [seq], nonzero = keep */,
                          float *out, void *ws, size_t ws_size);
size_t    rv_attn_dense_workspace_size(rv_shape shape);
rv_status rv_attn_dense(rv_shape shape, bool causal,
                        const float *q, const float *k, const float *v,
                        float *out, void *ws, size_t ws_size);
uint64_t  rv_attn_count_edges(const rv_attn_cfg *cfg, uint32_t seq);

#ifdef __cplusplus
}
#endif
#endif /* RV_ATTN_H */
