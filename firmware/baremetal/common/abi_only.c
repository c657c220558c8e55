/*
 * abi_only.c — the smallest program that uses the whole node-side ABI
 * (init/push/classify/destroy/self-test and the packet builder), linked by
 * `fwtool.py budgets` only to measure the code a node firmware pulls in
 * from the kernel and the shim after --gc-sections.
 */
#include <stddef.h>
#include <stdint.h>

#include "fw_port.h"
#include "ruv_temporal.h"
#include "ruv_temporal_pkt.h"
#include "rv_default_models.h"

int fw_main(void)
{
    float x[64] = { 0 }, logits[64];
    uint8_t pkt[RUV_TEMPORAL_PKT_SIZE];
    ruv_temporal_ctx_t *ctx = NULL;
    size_t blob_len;
    const uint8_t *blob = rv_default_model_state(&blob_len);
    if (ruv_temporal_kernel_self_test() != ESP_OK ||
        ruv_temporal_init(blob, blob_len, 9, 256, 9, &ctx) != ESP_OK)
        return 1;
    (void)ruv_temporal_push(ctx, x);
    if (ruv_temporal_classify(ctx, logits, 9) == ESP_OK)
        (void)ruv_temporal_pkt_build(logits, 9, 1, 0, 0, pkt, sizeof(pkt));
    ruv_temporal_destroy(ctx);
    return 0;
}
