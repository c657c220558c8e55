/*
 * rv_attn_impl.h — internal: argument validation, workspace layout and the
 * two sparse forward implementations behind rv_attn_forward{,_gated}.
 *
 * rv_attn_forward_ref is the obvious one: per query head, per candidate in
 * visiting order, an online softmax update with libm expf and one-accumulator
 * dot products. rv_attn_forward_opt is the one the public entry points run:
 * query heads sharing a kv head are processed together (each key/value row is
 * loaded once per group), candidates in tiles of RV_ATTN_TILE (online softmax
 * with one max update per tile) and the rv_vec.h _opt primitives. Both take
 * keep == NULL for the ungated forward and use the same workspace layout.
 */
#ifndef RV_ATTN_IMPL_H
#define RV_ATTN_IMPL_H

#include "rv_attn.h"
#include "rv_attn_cand.h"

#define RV_ATTN_TILE 64u

typedef struct {
    /* inputs, validated */
    const rv_attn_cfg *cfg;
    rv_shape shape;
    uint32_t group;            /* q_heads / kv_heads */
    float scale;               /* 1 / sqrt(dim) */
    const float *q, *k, *v;
    const uint8_t *keep;       /* NULL: ungated */
    float *out;
    /* workspace regions (RV_ALIGN aligned) */
    float *lm_k, *lm_v;        /* [nb][kv_heads][dim] block means; NULL without landmarks */
    rv_attn_cand cand;         /* arrays sized by rv_attn_cand_cap_* */
    float *acc;                /* [group][dim] */
    float *m, *l;              /* [group] running max and denominator */
    float *sc;                 /* [group][RV_ATTN_TILE] scores, then weights */
    const float **kp, **vp;    /* [RV_ATTN_TILE] key / value rows of a tile */
} rv_attn_run;

/* cfg and shape checks shared by every entry point (not the pointers). */
rv_status rv_attn_check_cfg(const rv_attn_cfg *cfg);
rv_status rv_attn_check_shape(rv_shape shape);

/* Bytes of workspace for the sparse forward, or RV_ERR_OVERFLOW. */
rv_status rv_attn_ws_need(const rv_attn_cfg *cfg, rv_shape shape, size_t *need);

/* Validate every argument, carve the workspace and compute the landmark
 * means. With shape.seq == 0 it returns RV_OK without touching anything and
 * the caller must return at once. keep == NULL means ungated. */
rv_status rv_attn_prepare(rv_attn_run *r, const rv_attn_cfg *cfg, rv_shape shape,
                          const float *q, const float *k, const float *v,
                          const uint8_t *keep, float *out,
                          void *ws, size_t ws_size);

/* Build the candidates of query i into r->cand and apply the keep mask. */
void rv_attn_run_cand(rv_attn_run *r, uint32_t i);

/* The optimised loops over a prepared run; avx2 = use the AVX2 build when
 * the CPU has it (rv_vec.h), else the baseline build. Tests run both. */
void rv_attn_opt_run(rv_attn_run *r, bool avx2);

rv_status rv_attn_forward_ref(const rv_attn_cfg *cfg, rv_shape shape,
                              const float *q, const float *k, const float *v,
                              const uint8_t *keep, float *out,
                              void *ws, size_t ws_size);
rv_status rv_attn_forward_opt(const rv_attn_cfg *cfg, rv_shape shape,
                              const float *q, const float *k, const float *v,
                              const uint8_t *keep, float *out,
                              void *ws, size_t ws_size);

#endif /* RV_ATTN_IMPL_H */
