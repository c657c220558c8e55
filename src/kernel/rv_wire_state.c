/*
 * rv_wire_state.c — feature state 0xC5110006 (ADR-081), 60 bytes:
 * u32 magic, u8 node_id, u8 mode, u16 seq, u64 ts_us, 9 x f32 (motion,
 * presence, respiration bpm/conf, heartbeat bpm/conf, anomaly, env_shift,
 * node_coherence), u16 quality_flags, u16 reserved, u32 CRC32 of bytes 0..55.
 */
#include "rv_wire.h"
#include "rv_wire_le.h"
#include "rv_crc32.h"

#define RV_STATE_CRC_AT 56u

rv_status rv_feature_state_decode(const uint8_t *buf, size_t len,
                                  rv_feature_state *out)
{
    rv_status st = rv_wire_in_check(buf, len, out, RV_MAGIC_FEATURE_STATE);
    if (st != RV_OK)
        return st;
    if (len < RV_FEATURE_STATE_SIZE)
        return RV_ERR_TRUNCATED;
    if (len != RV_FEATURE_STATE_SIZE)
        return RV_ERR_LENGTH;
    if (rv_crc32(buf, RV_STATE_CRC_AT) != rv_ld32(buf + RV_STATE_CRC_AT))
        return RV_ERR_CRC;

    memset(out, 0, sizeof *out);   /* padding too: decodes compare equal */
    out->node_id = buf[4];
    out->mode = buf[5];
    out->seq = rv_ld16(buf + 6);
    out->ts_us = rv_ld64(buf + 8);
    out->motion = rv_ldf32(buf + 16);
    out->presence = rv_ldf32(buf + 20);
    out->respiration_bpm = rv_ldf32(buf + 24);
    out->respiration_conf = rv_ldf32(buf + 28);
    out->heartbeat_bpm = rv_ldf32(buf + 32);
    out->heartbeat_conf = rv_ldf32(buf + 36);
    out->anomaly = rv_ldf32(buf + 40);
    out->env_shift = rv_ldf32(buf + 44);
    out->node_coherence = rv_ldf32(buf + 48);
    out->quality_flags = rv_ld16(buf + 52);
    return RV_OK;
}

rv_status rv_feature_state_encode(const rv_feature_state *s, uint8_t *out,
                                  size_t cap, size_t *written)
{
    rv_status st = rv_wire_out_check(s, out, cap, RV_FEATURE_STATE_SIZE, written);
    if (st != RV_OK)
        return st;
    rv_st32(out, RV_MAGIC_FEATURE_STATE);
    out[4] = s->node_id;
    out[5] = s->mode;
    rv_st16(out + 6, s->seq);
    rv_st64(out + 8, s->ts_us);
    rv_stf32(out + 16, s->motion);
    rv_stf32(out + 20, s->presence);
    rv_stf32(out + 24, s->respiration_bpm);
    rv_stf32(out + 28, s->respiration_conf);
    rv_stf32(out + 32, s->heartbeat_bpm);
    rv_stf32(out + 36, s->heartbeat_conf);
    rv_stf32(out + 40, s->anomaly);
    rv_stf32(out + 44, s->env_shift);
    rv_stf32(out + 48, s->node_coherence);
    rv_st16(out + 52, s->quality_flags);
    rv_st16(out + 54, 0);
    rv_st32(out + RV_STATE_CRC_AT, rv_crc32(out, RV_STATE_CRC_AT));
    *written = RV_FEATURE_STATE_SIZE;
    return RV_OK;
}
