/*
 * rv_model.h — the temporal-head model: a small pre-norm transformer over a
 * stream of feature frames with causal sparse attention, run either as a
 * prefill over a window or frame by frame with per-layer KV caches.
 *
 * The math (every tensor, order, constant) is docs/model.md; the file
 * format is rv_rvne.h / docs/rvne-format.md.
 *
 * Memory: the model lives in caller memory (rv_model_mem_size) and points
 * into the blob's bytes (zero copy): keep the blob alive and unchanged. A
 * stream (KV caches + position) lives in caller memory sized by
 * rv_model_stream_mem_size; a step takes a caller workspace of
 * rv_model_step_workspace_size bytes (shareable between streams of one
 * thread) and never allocates. All memory needs only malloc alignment.
 *
 * Prefill (positions 0..n-1) and streaming from a fresh/reset stream give
 * the same embeddings within 1e-4 while no frame has been evicted.
 */
#ifndef RV_MODEL_H
#define RV_MODEL_H

#include "rv_base.h"
#include "rv_attn.h"
#include "rv_kv.h"
#include "rv_rvne.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RV_MODEL_NORM_EPS 1e-5f

typedef struct rv_model rv_model;                /* lives inside caller memory */
typedef struct rv_model_stream rv_model_stream;  /* lives inside caller memory */

/* ---- model ---- */

/* Bytes for the model object of a parsed blob (0 if info is NULL). */
size_t    rv_model_mem_size(const rv_rvne_info *info);
/* Build a model from a parsed blob. Returns NULL and sets *status
 * (RV_ERR_NULL, RV_ERR_MEM when mem_size is short, RV_ERR_MODEL when the
 * info is inconsistent). The info must come from rv_rvne_parse of the
 * blob; it is copied, the blob is referenced. */
rv_model *rv_model_init(void *mem, size_t mem_size, const rv_rvne_info *info,
                        rv_status *status);

/* Flag for the _ex variants: convert the weights once into model memory as
 * fp32 (4 bytes per weight of extra RAM); fp16 or unaligned blobs then run
 * at fp32 speed. The blob must still outlive the model (labels point into
 * it). Results are identical to the in-place model. */
#define RV_MODEL_EXPAND_F32 0x1u
size_t    rv_model_mem_size_ex(const rv_rvne_info *info, uint32_t flags);
rv_model *rv_model_init_ex(void *mem, size_t mem_size, const rv_rvne_info *info,
                           uint32_t flags, rv_status *status);

uint32_t  rv_model_input_dim(const rv_model *m);
uint32_t  rv_model_d_model(const rv_model *m);     /* embedding size */
uint32_t  rv_model_n_layers(const rv_model *m);
uint32_t  rv_model_n_heads(const rv_model *m);     /* classification heads */
uint32_t  rv_model_n_classes(const rv_model *m, uint32_t head); /* 0 if no such head */
/* Index of the head with this name (len bytes), or -1. */
int32_t   rv_model_find_head(const rv_model *m, const char *name, size_t len);
/* Head name / class label: pointer into the blob (or into the model for
 * the v1 defaults "default" / "class<c>"), not NUL-terminated; NULL when
 * out of range. */
const char *rv_model_head_name(const rv_model *m, uint32_t head, size_t *len);
const char *rv_model_label(const rv_model *m, uint32_t head, uint32_t cls,
                           size_t *len);
/* Attention config the model runs with (causal; globals point into m). */
const rv_attn_cfg  *rv_model_attn_cfg(const rv_model *m);
/* The parsed blob the model was built from (copy held by the model). */
const rv_rvne_info *rv_model_info(const rv_model *m);

/* logits[n_classes(head)] = W_head e (+ b_head). */
rv_status rv_model_head_logits(const rv_model *m, uint32_t head,
                               const float *embedding, float *logits);

/* ---- prefill over a window: positions 0..n-1 ---- */

size_t    rv_model_prefill_workspace_size(const rv_model *m, uint32_t n);
/* x [n][input_dim] -> embeddings [n][d_model]. RV_ERR_ARG (n == 0),
 * RV_ERR_WORKSPACE, RV_ERR_NOT_FINITE (input or activation overflow). */
rv_status rv_model_prefill(const rv_model *m, const float *x, uint32_t n,
                           float *embeddings, void *ws, size_t ws_size);

/* ---- streaming: one frame in, one embedding out ---- */

typedef struct {
    uint32_t cache_frames;          /* KV cache capacity per layer (>= 1) */
    rv_kv_precision precision;      /* RV_KV_F32 or RV_KV_F16 */
    bool ring;                      /* evict the oldest frame when full */
    uint32_t max_landmark_blocks;   /* ring: retained block means (0 = kv default) */
} rv_model_stream_opts;

size_t    rv_model_stream_mem_size(const rv_model *m, const rv_model_stream_opts *o);
/* NULL and *status on error (RV_ERR_MEM one byte short, RV_ERR_ARG bad opts). */
rv_model_stream *rv_model_stream_init(void *mem, size_t mem_size,
                                      const rv_model *m,
                                      const rv_model_stream_opts *o,
                                      rv_status *status);
/* Back to position 0 with empty caches. */
void      rv_model_stream_reset(rv_model_stream *s);
/* Frames consumed since init/reset (= position of the next frame). */
uint64_t  rv_model_stream_pos(const rv_model_stream *s);

size_t    rv_model_step_workspace_size(const rv_model *m);
/* Consume frame x [input_dim] at the stream's position, write its
 * embedding [d_model]. RV_ERR_NOT_FINITE (stream untouched) for NaN/Inf
 * input, RV_ERR_FULL when a non-ring cache is full (stream untouched),
 * RV_ERR_MISMATCH when s was made for another model, RV_ERR_WORKSPACE.
 * Activation overflow (q/k/v beyond 1e15) is RV_ERR_NOT_FINITE; after the
 * first layer the stream then refuses steps (RV_ERR_BAD_OBJECT) until
 * rv_model_stream_reset (docs/model.md, "Errors never silently poison a stream"). */
rv_status rv_model_step(const rv_model *m, rv_model_stream *s, const float *x,
                        float *embedding, void *ws, size_t ws_size);

/* ---- helpers ---- */

/* Default rotary periods: P_r = llround(4 * 1024^(r/(n_pairs-1))), P_0 = 4
 * when n_pairs == 1. RV_ERR_ARG when n_pairs == 0. */
rv_status rv_model_rope_default_periods(uint32_t n_pairs, uint32_t *periods);

#ifdef __cplusplus
}
#endif
#endif /* RV_MODEL_H */
