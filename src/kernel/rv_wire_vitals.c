/*
 * rv_wire_vitals.c — vitals 0xC5110002 (32 bytes) and fused CSI+mmWave
 * vitals 0xC5110004 (48 bytes). The two share bytes 0..27; in fused packets
 * bytes 14/15 carry mmwave_type/fusion_confidence and the mmWave block
 * starts at byte 28 (where plain vitals have a reserved u32), as the
 * firmware's packed struct lays it out.
 */
#include "rv_wire.h"
#include "rv_wire_le.h"

rv_status rv_vitals_decode(const uint8_t *buf, size_t len, rv_vitals *out)
{
    if (buf == NULL || out == NULL)
        return RV_ERR_NULL;
    if (len < 4u)
        return RV_ERR_TRUNCATED;
    uint32_t magic = rv_ld32(buf);
    bool fused;
    if (magic == RV_MAGIC_VITALS)
        fused = false;
    else if (magic == RV_MAGIC_FUSED_VITALS)
        fused = true;
    else
        return RV_ERR_MAGIC;
    size_t size = fused ? RV_FUSED_VITALS_SIZE : RV_VITALS_SIZE;
    if (len < size)
        return RV_ERR_TRUNCATED;
    if (len != size)
        return RV_ERR_LENGTH;

    memset(out, 0, sizeof *out);
    out->fused = fused;
    out->node_id = buf[4];
    out->flags = buf[5];
    out->breathing_centi_bpm = rv_ld16(buf + 6);
    out->heart_rate_bpm_e4 = rv_ld32(buf + 8);
    out->rssi = (int8_t)buf[12];
    out->n_persons = buf[13];
    out->motion_energy = rv_ldf32(buf + 16);
    out->presence_score = rv_ldf32(buf + 20);
    out->timestamp_ms = rv_ld32(buf + 24);
    if (fused) {
        out->mmwave_type = buf[14];
        out->fusion_confidence = buf[15];
        out->mmwave_hr = rv_ldf32(buf + 28);
        out->mmwave_br = rv_ldf32(buf + 32);
        out->distance_cm = rv_ldf32(buf + 36);
        out->targets = buf[40];
        out->confidence = buf[41];
    }
    return RV_OK;
}

rv_status rv_vitals_encode(const rv_vitals *v, bool fused, uint8_t *out,
                           size_t cap, size_t *written)
{
    size_t n = fused ? RV_FUSED_VITALS_SIZE : RV_VITALS_SIZE;
    rv_status st = rv_wire_out_check(v, out, cap, n, written);
    if (st != RV_OK)
        return st;

    memset(out, 0, n);   /* reserved bytes go out as zero */
    rv_st32(out, fused ? RV_MAGIC_FUSED_VITALS : RV_MAGIC_VITALS);
    out[4] = v->node_id;
    out[5] = v->flags;
    rv_st16(out + 6, v->breathing_centi_bpm);
    rv_st32(out + 8, v->heart_rate_bpm_e4);
    out[12] = (uint8_t)v->rssi;
    out[13] = v->n_persons;
    rv_stf32(out + 16, v->motion_energy);
    rv_stf32(out + 20, v->presence_score);
    rv_st32(out + 24, v->timestamp_ms);
    if (fused) {
        out[14] = v->mmwave_type;
        out[15] = v->fusion_confidence;
        rv_stf32(out + 28, v->mmwave_hr);
        rv_stf32(out + 32, v->mmwave_br);
        rv_stf32(out + 36, v->distance_cm);
        out[40] = v->targets;
        out[41] = v->confidence;
    }
    *written = n;
    return RV_OK;
}
