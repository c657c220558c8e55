/*
 * rv_wire_class.c — temporal-head classification 0xC5110007 (ADR-095),
 * 40 bytes: u32 magic, u16 version (1), u16 n_classes (>= 2), u8 node_id,
 * u8 reserved[3], u64 ts_us, u32 seq, u8 argmax (< n_classes),
 * u8 reserved2[3], f32 top_logit, f32 top1_minus_top2, u32 CRC32 of 0..35.
 */
#include "rv_wire.h"
#include "rv_wire_le.h"
#include "rv_crc32.h"

#define RV_CLASS_CRC_AT 36u
#define RV_CLASS_VERSION 1u

static rv_status rv_class_fields_check(uint16_t version, uint16_t n_classes,
                                       uint8_t argmax)
{
    if (version != RV_CLASS_VERSION)
        return RV_ERR_VERSION;
    if (n_classes < 2u || argmax >= n_classes)
        return RV_ERR_FIELD;
    return RV_OK;
}

rv_status rv_classification_decode(const uint8_t *buf, size_t len,
                                   rv_classification *out)
{
    rv_status st = rv_wire_in_check(buf, len, out, RV_MAGIC_CLASSIFICATION);
    if (st != RV_OK)
        return st;
    if (len < RV_CLASSIFICATION_SIZE)
        return RV_ERR_TRUNCATED;
    if (len != RV_CLASSIFICATION_SIZE)
        return RV_ERR_LENGTH;
    if (rv_crc32(buf, RV_CLASS_CRC_AT) != rv_ld32(buf + RV_CLASS_CRC_AT))
        return RV_ERR_CRC;
    st = rv_class_fields_check(rv_ld16(buf + 4), rv_ld16(buf + 6), buf[24]);
    if (st != RV_OK)
        return st;

    memset(out, 0, sizeof *out);   /* padding too: decodes compare equal */
    out->version = rv_ld16(buf + 4);
    out->n_classes = rv_ld16(buf + 6);
    out->node_id = buf[8];
    out->ts_us = rv_ld64(buf + 12);
    out->seq = rv_ld32(buf + 20);
    out->argmax = buf[24];
    out->top_logit = rv_ldf32(buf + 28);
    out->top1_minus_top2 = rv_ldf32(buf + 32);
    return RV_OK;
}

rv_status rv_classification_encode(const rv_classification *c, uint8_t *out,
                                   size_t cap, size_t *written)
{
    if (c == NULL || out == NULL || written == NULL)
        return RV_ERR_NULL;
    *written = 0;
    rv_status st = rv_class_fields_check(c->version, c->n_classes, c->argmax);
    if (st != RV_OK)
        return st;
    st = rv_wire_out_check(c, out, cap, RV_CLASSIFICATION_SIZE, written);
    if (st != RV_OK)
        return st;
    memset(out, 0, RV_CLASSIFICATION_SIZE);
    rv_st32(out, RV_MAGIC_CLASSIFICATION);
    rv_st16(out + 4, c->version);
    rv_st16(out + 6, c->n_classes);
    out[8] = c->node_id;
    rv_st64(out + 12, c->ts_us);
    rv_st32(out + 20, c->seq);
    out[24] = c->argmax;
    rv_stf32(out + 28, c->top_logit);
    rv_stf32(out + 32, c->top1_minus_top2);
    rv_st32(out + RV_CLASS_CRC_AT, rv_crc32(out, RV_CLASS_CRC_AT));
    *written = RV_CLASSIFICATION_SIZE;
    return RV_OK;
}
