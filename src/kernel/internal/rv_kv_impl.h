/*
 * rv_kv_impl.h — internal: layout of the KV cache object and the two decode
 * implementations (reference and optimised) behind rv_attn_decode.
 *
 * Storage (all regions RV_ALIGN aligned, addressed by byte offsets from the
 * object so a relocated copy of the memory stays valid):
 *   tokens   k, v   [capacity][kv_heads][dim]  fp32 or fp16; token at absolute
 *                   position p lives in slot (p - start) % capacity
 *   block    sum_k, sum_v [kv_heads][dim] fp32 running sums of the open block
 *   landmark lm_k, lm_v [n_lm][kv_heads][dim] fp32 means of completed blocks;
 *                   block b in slot b % n_lm (the newest n_lm completed blocks)
 *   pinned   pin_pos [n_pin] ascending absolute positions, pin_k, pin_v
 *                   [n_pin][kv_heads][dim] in token precision (ring mode only)
 */
#ifndef RV_KV_IMPL_H
#define RV_KV_IMPL_H

#include "rv_kv.h"
#include "rv_attn_cand.h"

#define RV_KV_MAGIC 0x564b5652u   /* "RVKV" */
/* Decode processes candidates in chunks of this many rows: one softmax
 * rescale per chunk, workspace independent of window and length. */
#define RV_KV_CHUNK 64u

/* Hint that memory is about to be read (no effect on results). */
#if defined(__GNUC__) || defined(__clang__)
#define RV_PREFETCH(p) __builtin_prefetch((p), 0, 3)
#else
#define RV_PREFETCH(p) ((void)(p))
#endif

struct rv_kv {
    uint32_t magic;
    uint32_t capacity, kv_heads, dim, block_size;
    uint32_t row;              /* kv_heads * dim */
    uint32_t elem;             /* bytes per stored token value: 4 or 2 */
    uint32_t n_lm;             /* landmark slots */
    uint32_t n_pin;            /* pinned positions (ring mode) */
    uint32_t next_pin;         /* index of the first pinned position >= len */
    uint32_t head;             /* slot of the next token to append */
    uint32_t blk_fill;         /* tokens in the open block */
    bool ring, f16;
    uint64_t start;            /* absolute position of the first token */
    uint64_t len;              /* absolute position of the next token */
    size_t total;              /* bytes from the object start to the end */
    size_t off_k, off_v, off_sum_k, off_sum_v, off_lm_k, off_lm_v;
    size_t off_pin_pos, off_pin_k, off_pin_v;
};

/* Pointers into the object. */
RV_INLINE unsigned char *rv_kv_at(const rv_kv *kv, size_t off)
{
    return (unsigned char *)(uintptr_t)kv + off;
}

/* Number of complete blocks appended so far, the first retained one, and
 * the oldest absolute position still held in the token ring. */
RV_INLINE uint64_t rv_kv_blocks_done(const rv_kv *kv)
{
    return kv->len / kv->block_size;
}
RV_INLINE uint64_t rv_kv_first_block(const rv_kv *kv)
{
    const uint64_t done = rv_kv_blocks_done(kv);
    const uint64_t first = kv->start / kv->block_size;
    return done - first > kv->n_lm ? done - kv->n_lm : first;
}
RV_INLINE uint64_t rv_kv_oldest(const rv_kv *kv)
{
    return kv->len - kv->start > kv->capacity ? kv->len - kv->capacity : kv->start;
}

/* Validates the object tag; false for NULL, misaligned or foreign memory. */
bool rv_kv_valid(const rv_kv *kv);

/*
 * The decode plan: what a decode step visits, in order, with every position
 * already mapped to storage. Candidates of the causal query i = len-1 that
 * the cache no longer holds (ring mode) are left out here.
 *   1. window tokens in the ring: n_win consecutive slots from win_slot
 *      (wrapping at capacity)
 *   2. pinned tokens that have left the ring: pinned entries pin_lo..pin_hi-1
 *      for which rv_kv_pin_is_cand() holds
 *   3. global / log-stride tokens in the ring: tok[0..n_tok) slots
 *   4. landmark blocks: blk[0..n_blk) landmark slots
 */
typedef struct {
    uint64_t i;                /* absolute query position, len-1 */
    uint32_t win_slot, n_win;
    uint32_t pin_lo, pin_hi;
    uint32_t n_tok, n_blk;
    uint32_t *tok, *blk;
} rv_kv_plan;

/* Workspace carving shared by both decoders. */
typedef struct {
    rv_kv_plan plan;
    rv_attn_cand cand;
    uint32_t *gl;              /* [n_globals] globals rebased for the enumerator */
    float *acc;                /* [q_heads][dim] */
    float *m, *l;              /* [q_heads] */
    float *sc;                 /* [q_heads][RV_KV_CHUNK] scores, then weights */
    float *tmp;                /* [1 + RV_KV_CHUNK][dim] fp16 rows widened */
    const unsigned char **rk, **rv; /* [RV_KV_CHUNK] stored rows (kv head 0) */
    const float **vp;          /* [RV_KV_CHUNK] fp32 value rows of one kv head */
} rv_kv_ws;

/* Pinned entry t (already out of the ring) is a candidate of the query. */
bool rv_kv_pin_is_cand(const rv_attn_cfg *cfg, const rv_kv *kv, uint64_t i,
                       uint32_t t);

/* Validate decode arguments, carve ws, build the plan. */
rv_status rv_kv_decode_prepare(const rv_attn_cfg *cfg, const rv_kv *kv,
                               uint32_t q_heads, const float *q, const float *out,
                               void *ws, size_t ws_size, rv_kv_ws *w);

rv_status rv_attn_decode_ref(const rv_attn_cfg *cfg, const rv_kv *kv, uint32_t q_heads,
                             const float *q, float *out, void *ws, size_t ws_size);
rv_status rv_attn_decode_opt(const rv_attn_cfg *cfg, const rv_kv *kv, uint32_t q_heads,
                             const float *q, float *out, void *ws, size_t ws_size);
/* The optimised decode with the AVX2 build allowed (when the CPU has it) or
 * not; rv_attn_decode_opt allows it. Both give bit-identical results. */
rv_status rv_attn_decode_opt_isa(const rv_attn_cfg *cfg, const rv_kv *kv, uint32_t q_heads,
                                 const float *q, float *out, void *ws, size_t ws_size,
                                 bool avx2);

#endif /* RV_KV_IMPL_H */
