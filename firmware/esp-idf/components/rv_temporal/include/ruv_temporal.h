/*
 * ruv_temporal.h — the on-device temporal head's C ABI, as the RuView node
 * firmware calls it (same names, arguments and esp_err_t conventions as the
 * ADR-095 seeds), implemented over the gst-rvcsi kernel (rv_model, .rvne).
 *
 * Lifecycle: init() validates the .rvne blob, checks it against input_dim and
 * n_classes, and makes the context in ONE allocation (ruv_temporal_mem_alloc,
 * see below); push()/classify() never allocate. destroy() frees it.
 *
 * Semantics: push() runs one streaming step of the model (per-layer KV caches
 * holding the newest window_len frames, ring mode: it runs forever in fixed
 * memory); classify() applies the blob's first classification head to the
 * newest frame's embedding. So the work is spread over the frames and
 * classify is cheap. classify() needs ruv_temporal_min_frames() frames first
 * (the attention window + 1, at most window_len) so the first result sees a
 * full local context.
 *
 * Threading: not synchronised. One task owns a context (temporal_task.c).
 *
 * Return codes (esp_err_t, ESP-IDF values):
 *   ruv_temporal_init
 *     ESP_OK
 *     ESP_ERR_INVALID_ARG      out_ctx/weights NULL, weights_len 0, a zero
 *                              dimension, window_len > RUV_TEMPORAL_MAX_WINDOW,
 *                              or the blob's input_dim / first head's class
 *                              count differ from input_dim / n_classes, or a
 *                              malformed header field or section
 *     ESP_ERR_INVALID_SIZE     blob shorter than its header+CRC, or its length
 *                              disagrees with the header
 *     ESP_ERR_INVALID_CRC      CRC32 footer does not match (corrupt blob)
 *     ESP_ERR_INVALID_VERSION  .rvne version not 1 or 2
 *     ESP_ERR_NOT_SUPPORTED    not an .rvne blob (magic), unknown flags or an
 *                              unknown critical section
 *     ESP_ERR_NO_MEM           the one allocation failed
 *   ruv_temporal_push
 *     ESP_OK; ESP_ERR_INVALID_ARG (NULL, or a NaN/Inf value: the frame is
 *     dropped and the stream is untouched); ESP_FAIL (finite values that
 *     overflow the model's activations: the window starts over, classify()
 *     waits for min_frames again); ESP_ERR_INVALID_STATE (context
 *     destroyed — detected while its memory is still mapped, see destroy)
 *   ruv_temporal_classify
 *     ESP_OK; ESP_ERR_INVALID_ARG (NULL, or n_classes differs from init);
 *     ESP_ERR_INVALID_STATE (fewer than ruv_temporal_min_frames() frames, or
 *     destroyed)
 *   ruv_temporal_kernel_self_test
 *     ESP_OK, ESP_FAIL when a kernel known-answer check fails,
 *     ESP_ERR_NO_MEM when its scratch block cannot be allocated.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "esp_err.h"
#ifdef ESP_PLATFORM
#include "sdkconfig.h"      /* the Kconfig defaults below */
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Upper bound on window_len (frames of KV cache per layer). */
#define RUV_TEMPORAL_MAX_WINDOW 65535u

typedef struct ruv_temporal_ctx ruv_temporal_ctx_t;

/* weights: a .rvne blob (v1 or v2) that must stay valid and unchanged for
 * the context's lifetime (it is referenced, not copied: keep it in flash). */
esp_err_t ruv_temporal_init(const uint8_t *weights,
                            size_t weights_len,
                            uint32_t input_dim,
                            uint32_t window_len,
                            uint32_t n_classes,
                            ruv_temporal_ctx_t **out_ctx);

/* One feature frame of input_dim floats. No allocation. */
esp_err_t ruv_temporal_push(ruv_temporal_ctx_t *ctx, const float *frame);

/* Writes n_classes logits (n_classes must equal init's). No allocation. */
esp_err_t ruv_temporal_classify(ruv_temporal_ctx_t *ctx,
                                float *logits,
                                uint32_t n_classes);

/* Frees the context; NULL is fine. The context is marked dead first, so a
 * push/classify on a destroyed context whose memory is still mapped (a
 * static arena, or a heap block not yet reused) returns
 * ESP_ERR_INVALID_STATE; after the heap reuses the block that cannot be
 * guaranteed — do not use a context after destroy. */
void ruv_temporal_destroy(ruv_temporal_ctx_t *ctx);

/* Known-answer checks of the kernel (CRC32, sparse attention forward vs the
 * dense reference, streaming decode vs forward); run once at boot before
 * making a context. Borrows one block (6.5 KB on a 32-bit MCU) from
 * ruv_temporal_mem_alloc and frees it before returning. */
esp_err_t ruv_temporal_kernel_self_test(void);

/* ---- additions beyond the seeds' ABI ---- */

/* KV cache precision, fixed at build time (Kconfig TEMPORAL_KV_FP16):
 * 0 = fp32, 1 = fp16 (half the cache RAM, conversion on every read). */
#ifndef RUV_TEMPORAL_KV_FP16
#if defined(CONFIG_TEMPORAL_KV_FP16) && CONFIG_TEMPORAL_KV_FP16
#define RUV_TEMPORAL_KV_FP16 1
#else
#define RUV_TEMPORAL_KV_FP16 0
#endif
#endif

/* Landmark blocks kept per layer, fixed at build time (Kconfig
 * TEMPORAL_LANDMARK_BLOCKS); 0 = the KV cache's default. */
#ifndef RUV_TEMPORAL_LANDMARK_BLOCKS
#if defined(CONFIG_TEMPORAL_LANDMARK_BLOCKS)
#define RUV_TEMPORAL_LANDMARK_BLOCKS CONFIG_TEMPORAL_LANDMARK_BLOCKS
#else
#define RUV_TEMPORAL_LANDMARK_BLOCKS 0
#endif
#endif

/* Options init() takes from the build (Kconfig); init_ex() from the caller. */
typedef struct {
    bool kv_fp16;                 /* KV cache in binary16: half the token RAM */
    uint32_t max_landmark_blocks; /* block means kept per layer; 0 = the KV
                                     cache's default (reach twice the window) */
} ruv_temporal_opts;

/* init() with explicit options (opts NULL = the build's defaults). */
esp_err_t ruv_temporal_init_ex(const uint8_t *weights, size_t weights_len,
                               uint32_t input_dim, uint32_t window_len,
                               uint32_t n_classes, const ruv_temporal_opts *opts,
                               ruv_temporal_ctx_t **out_ctx);

/* Bytes init()/init_ex() allocate for this blob and window (0 if the blob
 * does not parse or window_len is out of range). */
size_t   ruv_temporal_mem_size(const uint8_t *weights, size_t weights_len,
                               uint32_t window_len);
size_t   ruv_temporal_mem_size_ex(const uint8_t *weights, size_t weights_len,
                                  uint32_t window_len, const ruv_temporal_opts *opts);
/* Frames pushed since init (0 for NULL). */
uint64_t ruv_temporal_frames(const ruv_temporal_ctx_t *ctx);
/* Frames needed before classify() succeeds (0 for NULL). */
uint32_t ruv_temporal_min_frames(const ruv_temporal_ctx_t *ctx);

/* The allocator init()/destroy() use, called exactly once each per context.
 * ruv_temporal_alloc.c defines weak defaults (heap_caps_malloc with
 * MALLOC_CAP_8BIT under ESP-IDF, malloc elsewhere); a firmware or a
 * bare-metal build overrides them with its own (e.g. a static arena). */
void *ruv_temporal_mem_alloc(size_t size);
void  ruv_temporal_mem_free(void *p);

#ifdef __cplusplus
}
#endif
