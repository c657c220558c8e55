/*
 * ruv_temporal_pkt.h — builds the 40-byte temporal-head classification
 * packet (magic 0xC5110007, version 1, CRC32 over bytes 0..35; layout in
 * docs/wire-format.md) from a classify() result. Pure function: the
 * FreeRTOS task (temporal_task.c) calls it and hands the bytes to the
 * node's UDP sender; host tests decode its output with rv_pkt_decode.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "esp_err.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RUV_TEMPORAL_PKT_SIZE 40u

/* argmax = lowest index of the largest logit; top1_minus_top2 = its margin
 * over the best other class (>= 0). Returns ESP_ERR_INVALID_ARG for NULL,
 * n_classes outside 2..256 or a NaN/Inf logit, ESP_ERR_INVALID_SIZE when
 * out_len < RUV_TEMPORAL_PKT_SIZE. */
esp_err_t ruv_temporal_pkt_build(const float *logits, uint32_t n_classes,
                                 uint8_t node_id, uint64_t ts_us, uint32_t seq,
                                 uint8_t *out, size_t out_len);

#ifdef __cplusplus
}
#endif
