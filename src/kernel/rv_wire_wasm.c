/*
 * rv_wire_wasm.c — WASM module output (ADR-040): u32 magic, u8 node_id,
 * u8 module_id, u16 event_count, then event_count x {u8 type, f32 value},
 * 8 + 5n bytes. Older firmware sends it on 0xC5110004 (shared with fused
 * vitals), newer on 0xC5110007 (shared with classification); the packet
 * length tells them apart because 48 and 40 are never 8 + 5n.
 */
#include "rv_wire.h"
#include "rv_wire_le.h"
#include "rv_wire_int.h"

bool rv_wasm_shape_ok(const uint8_t *buf, size_t len)
{
    if (len < RV_WASM_HEADER_SIZE + RV_WASM_EVENT_SIZE)
        return false;
    if ((len - RV_WASM_HEADER_SIZE) % RV_WASM_EVENT_SIZE != 0u)
        return false;
    return rv_ld16(buf + 6) == (len - RV_WASM_HEADER_SIZE) / RV_WASM_EVENT_SIZE;
}

rv_status rv_wasm_output_decode(const uint8_t *buf, size_t len,
                                rv_wasm_output *out)
{
    if (buf == NULL || out == NULL)
        return RV_ERR_NULL;
    if (len < 4u)
        return RV_ERR_TRUNCATED;
    uint32_t magic = rv_ld32(buf);
    if (magic != RV_MAGIC_FUSED_VITALS && magic != RV_MAGIC_WASM_OUTPUT_ALT)
        return RV_ERR_MAGIC;
    if (len < RV_WASM_HEADER_SIZE)
        return RV_ERR_TRUNCATED;
    uint16_t n = rv_ld16(buf + 6);
    if ((len - RV_WASM_HEADER_SIZE) % RV_WASM_EVENT_SIZE != 0u ||
        (len - RV_WASM_HEADER_SIZE) / RV_WASM_EVENT_SIZE != n)
        return RV_ERR_LENGTH;
    if (n == 0u || n > RV_WASM_MAX_EVENTS)
        return RV_ERR_FIELD;

    memset(out, 0, sizeof *out);   /* unused event slots read as zero */
    out->magic = magic;
    out->node_id = buf[4];
    out->module_id = buf[5];
    out->n_events = n;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *e = buf + RV_WASM_HEADER_SIZE + RV_WASM_EVENT_SIZE * i;
        out->type[i] = e[0];
        out->value[i] = rv_ldf32(e + 1);
    }
    return RV_OK;
}

rv_status rv_wasm_output_encode(const rv_wasm_output *w, uint8_t *out,
                                size_t cap, size_t *written)
{
    if (w == NULL || out == NULL || written == NULL)
        return RV_ERR_NULL;
    *written = 0;
    uint32_t magic = w->magic == 0u ? RV_MAGIC_FUSED_VITALS : w->magic;
    if (magic != RV_MAGIC_FUSED_VITALS && magic != RV_MAGIC_WASM_OUTPUT_ALT)
        return RV_ERR_ARG;
    if (w->n_events == 0u || w->n_events > RV_WASM_MAX_EVENTS)
        return RV_ERR_FIELD;
    size_t n = RV_WASM_HEADER_SIZE + RV_WASM_EVENT_SIZE * (size_t)w->n_events;
    rv_status st = rv_wire_out_check(w, out, cap, n, written);
    if (st != RV_OK)
        return st;
    rv_st32(out, magic);
    out[4] = w->node_id;
    out[5] = w->module_id;
    rv_st16(out + 6, w->n_events);
    for (size_t i = 0; i < w->n_events; i++) {
        uint8_t *e = out + RV_WASM_HEADER_SIZE + RV_WASM_EVENT_SIZE * i;
        e[0] = w->type[i];
        rv_stf32(e + 1, w->value[i]);
    }
    *written = n;
    return RV_OK;
}
