/*
 * rv_kv.h — streaming KV cache with incrementally maintained block landmarks,
 * and the one-token decode step.
 *
 * The cache lives inside caller memory (rv_kv_mem_size / rv_kv_init). An
 * append costs O(kv_heads*dim); a decode step costs O(window + globals +
 * log len) and never allocates or scans O(len) state. Positions are
 * absolute and count on in uint64_t.
 *
 * rv_kv_init() makes an fp32 cache that returns RV_ERR_FULL when full.
 * rv_kv_init_ex() adds fp16 storage and ring mode (bounded memory for endless
 * streams); docs/kernel.md documents exactly where ring-mode results differ
 * from an unbounded cache.
 */
#ifndef RV_KV_H
#define RV_KV_H

#include "rv_attn.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rv_kv rv_kv;               /* lives inside caller memory */

typedef enum { RV_KV_F32 = 0, RV_KV_F16 = 1 } rv_kv_precision;

typedef struct {
    uint32_t capacity;        /* tokens stored (ring: newest `capacity` tokens) */
    uint32_t kv_heads, dim, block_size;
    rv_kv_precision precision;
    bool ring;                /* full cache evicts the oldest token instead of RV_ERR_FULL */
    uint32_t max_landmark_blocks; /* ring: completed-block means retained
                                     (0 = default, 2 * ceil(capacity / block_size)) */
    const uint32_t *pinned;   /* ring: absolute positions kept forever (e.g. globals) */
    uint32_t n_pinned;        /* at most RV_KV_MAX_PINNED; duplicates allowed */
    uint64_t first_pos;       /* ring: absolute position of the first token
                                 (a multiple of block_size; 0 normally) */
} rv_kv_opts;

#define RV_KV_MAX_PINNED 1024u

size_t    rv_kv_mem_size(uint32_t capacity, uint32_t kv_heads, uint32_t dim,
                         uint32_t block_size);
rv_kv    *rv_kv_init(void *mem, size_t mem_size, uint32_t capacity,
                     uint32_t kv_heads, uint32_t dim, uint32_t block_size);
size_t    rv_kv_mem_size_ex(const rv_kv_opts *opts);
rv_kv    *rv_kv_init_ex(void *mem, size_t mem_size, const rv_kv_opts *opts);
/* Sizes return 0 and inits NULL for any invalid argument: zero capacity,
 * heads, dim or block_size, bad precision, too many pinned positions, a
 * first_pos outside ring mode or not block aligned, sizes that overflow,
 * mem NULL or smaller than the size query. Non-ring caches ignore
 * max_landmark_blocks and pinned (they keep every token and block). */

/* Append one token. RV_ERR_FULL (non-ring cache at capacity) and
 * RV_ERR_NOT_FINITE (a NaN/inf value, or one that overflows fp16 storage)
 * leave the cache unchanged. */
rv_status rv_kv_append(rv_kv *kv, const float *k, const float *v); /* [kv_heads][dim] each */
void      rv_kv_reset(rv_kv *kv);          /* back to empty; keeps the layout */
/* Absolute position of the next token: first_pos + tokens appended since
 * init/reset (0 for a foreign pointer). Counts on past capacity in ring mode. */
uint64_t  rv_kv_len(const rv_kv *kv);
/* Tokens a decode can still see in the ring (min(len - first_pos, capacity)). */
uint32_t  rv_kv_stored(const rv_kv *kv);

/*
 * Decode the query of the newest token (position len-1) against the cache:
 * the result of a causal rv_attn_forward over all len tokens at its last
 * position (cfg->causal is ignored: decode is causal). cfg->block_size must
 * equal the cache's. In ring mode, candidates the cache no longer holds are
 * skipped (docs/kernel.md). Workspace depends on cfg, q_heads and dim only.
 * Errors: RV_ERR_NULL, RV_ERR_BAD_OBJECT, RV_ERR_BLOCK_SIZE, RV_ERR_SHAPE
 * (q_heads zero or not a multiple of kv_heads), RV_ERR_MISMATCH (block_size),
 * RV_ERR_WORKSPACE, RV_ERR_OVERFLOW, RV_ERR_EMPTY.
 */
size_t    rv_attn_decode_workspace_size(const rv_attn_cfg *cfg, uint32_t q_heads,
                                        uint32_t dim);
rv_status rv_attn_decode(const rv_attn_cfg *cfg, const rv_kv *kv, uint32_t q_heads,
                         const float *q /* [q_heads][dim] */, float *out,
                         void *ws, size_t ws_size);

#ifdef __cplusplus
}
#endif
#endif /* RV_KV_H */
