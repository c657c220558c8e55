/*
 * rv_attn_cand.h — internal: the candidate set of one query position.
 *
 * Shared by the prefill forward (any i in [0, n)) and the streaming decode
 * (i = len-1, causal), so both visit exactly the same candidates in the same
 * order: window tokens ascending, then globals, then log-stride tokens (both
 * deduplicated against the window and each other, first occurrence wins),
 * then landmark blocks (local, then log-stride; deduplicated).
 *
 * Building the set costs O(n_globals + log n) and touches no O(n) state.
 */
#ifndef RV_ATTN_CAND_H
#define RV_ATTN_CAND_H

#include "rv_attn.h"

/* Flag bit in rv_attn_cand.extra_is_global: the extra token is a global. */
typedef struct {
    uint32_t win_lo, win_hi;   /* window tokens win_lo..win_hi inclusive (always contains i) */
    uint32_t n_extra;          /* global/log-stride tokens outside the window */
    uint32_t *extra;           /* [cap_tokens] absolute positions, visiting order */
    uint8_t  *extra_is_global; /* [cap_tokens] 1 when that token is a global */
    uint32_t n_blocks;         /* landmark blocks to visit */
    uint32_t *blocks;          /* [cap_blocks] block indices, visiting order */
} rv_attn_cand;

/* Upper bounds for the caller's arrays at sequence length n. */
uint32_t rv_attn_cand_cap_tokens(const rv_attn_cfg *cfg, uint32_t n);
uint32_t rv_attn_cand_cap_blocks(const rv_attn_cfg *cfg, uint32_t n);

/* Fill c (whose arrays have the capacities above) for query i < n.
 * cfg must already be validated (block_size > 0). */
void rv_attn_cand_build(const rv_attn_cfg *cfg, uint32_t i, uint32_t n,
                        rv_attn_cand *c);

/* rv_attn_cand_cap_blocks() never exceeds this (3 local + 2 per power of 2). */
#define RV_ATTN_CAND_MAX_BLOCKS 67u

/* Number of candidates (tokens + landmark blocks) of query i < n, the same
 * as win_hi - win_lo + 1 + n_extra + n_blocks of rv_attn_cand_build, without
 * caller arrays (O(n_globals^2 + n_globals log n)). cfg must be validated. */
uint64_t rv_attn_cand_count(const rv_attn_cfg *cfg, uint32_t i, uint32_t n);

#endif /* RV_ATTN_CAND_H */
