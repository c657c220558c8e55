/*
 * ruv_temporal_pkt.c — classify() logits -> 0xC5110007 packet: the kernel
 * builds it (rv_classification_build, as rvclassify does on the host), so
 * node and host share one definition of the result and of the bytes.
 */
#include "ruv_temporal_pkt.h"
#include "rv_classify.h"

esp_err_t ruv_temporal_pkt_build(const float *logits, uint32_t n_classes,
                                 uint8_t node_id, uint64_t ts_us, uint32_t seq,
                                 uint8_t *out, size_t out_len)
{
    const rv_classification_hdr hdr = { node_id, ts_us, seq };
    size_t written = 0;

    switch (rv_classification_build(logits, n_classes, -1, &hdr, out, out_len,
                                    &written)) {
    case RV_OK:
        return written == RUV_TEMPORAL_PKT_SIZE ? ESP_OK : ESP_FAIL;
    case RV_ERR_SHORT_OUTPUT:
        return ESP_ERR_INVALID_SIZE;
    case RV_ERR_NULL:
    case RV_ERR_ARG:
    case RV_ERR_NOT_FINITE:
        return ESP_ERR_INVALID_ARG;
    default:
        return ESP_FAIL;
    }
}
