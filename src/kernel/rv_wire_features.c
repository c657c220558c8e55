/*
 * rv_wire_features.c — feature vector 0xC5110003 (ADR-069), 48 bytes:
 * u32 magic, u8 node_id, u8 reserved, u16 seq, i64 ts_us, f32 features[8].
 */
#include "rv_wire.h"
#include "rv_wire_le.h"

rv_status rv_feature_vector_decode(const uint8_t *buf, size_t len,
                                   rv_feature_vector *out)
{
    rv_status st = rv_wire_in_check(buf, len, out, RV_MAGIC_FEATURES);
    if (st != RV_OK)
        return st;
    if (len < RV_FEATURES_SIZE)
        return RV_ERR_TRUNCATED;
    if (len != RV_FEATURES_SIZE)
        return RV_ERR_LENGTH;

    memset(out, 0, sizeof *out);   /* padding too: decodes compare equal */
    out->node_id = buf[4];
    out->seq = rv_ld16(buf + 6);
    out->ts_us = (int64_t)rv_ld64(buf + 8);
    for (size_t i = 0; i < 8u; i++)
        out->features[i] = rv_ldf32(buf + 16 + 4 * i);
    return RV_OK;
}

rv_status rv_feature_vector_encode(const rv_feature_vector *f, uint8_t *out,
                                   size_t cap, size_t *written)
{
    rv_status st = rv_wire_out_check(f, out, cap, RV_FEATURES_SIZE, written);
    if (st != RV_OK)
        return st;
    rv_st32(out, RV_MAGIC_FEATURES);
    out[4] = f->node_id;
    out[5] = 0;
    rv_st16(out + 6, f->seq);
    rv_st64(out + 8, (uint64_t)f->ts_us);
    for (size_t i = 0; i < 8u; i++)
        rv_stf32(out + 16 + 4 * i, f->features[i]);
    *written = RV_FEATURES_SIZE;
    return RV_OK;
}
