/*
 * attn.h — training-time sparse causal/non-causal attention: a forward that
 * keeps every query's softmax probabilities, and its exact backward.
 *
 * The candidate set of each query comes from the kernel's own enumerator
 * (rv_attn_cand_build), so training visits exactly the tokens and landmark
 * blocks the kernel forward and decode visit, in the same order. A landmark's
 * key/value are the means of its block's rows (per kv head), so a landmark's
 * key/value gradient flows to each token of the block divided by the block's
 * token count.
 *
 * Layout: q [n][q_heads][dim], k and v [n][kv_heads][dim]; query head h reads
 * kv head h / (q_heads / kv_heads); scores dot(q, k) / sqrt(dim).
 */
#ifndef RVT_ATTN_H
#define RVT_ATTN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rv_attn.h"

#define RVT_ATTN_MAX_GLOBALS 16

/* The candidate lists of every query of a length-n sequence. */
typedef struct {
    rv_attn_cfg cfg;                 /* cfg.globals points at `globals` */
    uint32_t globals[RVT_ATTN_MAX_GLOBALS];
    uint32_t n, nb;                  /* tokens, blocks (ceil(n / block_size)) */
    uint32_t *off;                   /* [n + 1] candidate offsets per query */
    uint32_t *idx;                   /* [total] token position or block index */
    uint8_t  *is_block;              /* [total] 1 = landmark block */
    size_t total;
} rvt_attn_plan;

/* Returns false on bad cfg (block_size 0, too many globals) or no memory. */
bool rvt_attn_plan_build(rvt_attn_plan *p, const rv_attn_cfg *cfg, uint32_t n);
void rvt_attn_plan_free(rvt_attn_plan *p);

/* Per-call scratch: block means and their gradients. */
typedef struct {
    uint32_t q_heads, kv_heads, dim;
    double *kmean, *vmean;  /* [nb][kv_heads][dim] */
    double *dkm, *dvm;      /* [nb][kv_heads][dim] */
    double *dp;             /* [max candidates] */
} rvt_attn_buf;

bool rvt_attn_buf_alloc(rvt_attn_buf *b, const rvt_attn_plan *p,
                        uint32_t q_heads, uint32_t kv_heads, uint32_t dim);
void rvt_attn_buf_free(rvt_attn_buf *b);

/* Number of doubles the probs array of one forward needs (total * q_heads). */
size_t rvt_attn_probs_len(const rvt_attn_plan *p, uint32_t q_heads);

/* out [n][q_heads][dim]; probs [rvt_attn_probs_len] saved for backward
 * (query i, head h, candidate c at (off[i] * q_heads + h * cnt_i + c)). */
void rvt_attn_fwd(const rvt_attn_plan *p, rvt_attn_buf *b,
                  const double *q, const double *k, const double *v,
                  double *out, double *probs);

/* Accumulates dq, dk, dv (+=) from dout, using the probs of the forward on
 * the same q, k, v. b must hold that forward's block means. */
void rvt_attn_bwd(const rvt_attn_plan *p, rvt_attn_buf *b,
                  const double *q, const double *k, const double *v,
                  const double *probs, const double *dout,
                  double *dq, double *dk, double *dv);

#endif /* RVT_ATTN_H */
