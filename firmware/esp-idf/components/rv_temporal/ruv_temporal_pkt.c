/*
 * ruv_temporal_pkt.c — classify() logits -> 0xC5110007 packet, through the
 * kernel's encoder (rv_classification_encode) so node and host share one
 * definition of the bytes.
 */
#include <math.h>
#include <string.h>

#include "ruv_temporal_pkt.h"
#include "rv_wire.h"

esp_err_t ruv_temporal_pkt_build(const float *logits, uint32_t n_classes,
                                 uint8_t node_id, uint64_t ts_us, uint32_t seq,
                                 uint8_t *out, size_t out_len)
{
    if (!logits || !out || n_classes < 2u || n_classes > 256u)
        return ESP_ERR_INVALID_ARG;
    if (out_len < RUV_TEMPORAL_PKT_SIZE)
        return ESP_ERR_INVALID_SIZE;
    uint32_t best = 0;
    for (uint32_t i = 0; i < n_classes; i++) {
        if (!isfinite(logits[i]))
            return ESP_ERR_INVALID_ARG;
        if (logits[i] > logits[best])
            best = i;
    }
    float second = -INFINITY;
    for (uint32_t i = 0; i < n_classes; i++)
        if (i != best && logits[i] > second)
            second = logits[i];

    rv_classification c;
    memset(&c, 0, sizeof(c));
    c.version = 1;
    c.n_classes = (uint16_t)n_classes;
    c.node_id = node_id;
    c.ts_us = ts_us;
    c.seq = seq;
    c.argmax = (uint8_t)best;
    c.top_logit = logits[best];
    c.top1_minus_top2 = logits[best] - second;
    size_t written = 0;
    if (rv_classification_encode(&c, out, out_len, &written) != RV_OK ||
        written != RUV_TEMPORAL_PKT_SIZE)
        return ESP_FAIL;
    return ESP_OK;
}
