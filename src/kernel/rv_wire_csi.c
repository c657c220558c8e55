/*
 * rv_wire_csi.c — raw CSI frame 0xC5110001 (ADR-018): 20-byte header then
 * n_antennas * n_subcarriers (imag, real) int8 pairs. Decoding is a
 * zero-copy view; the datagram length must match the header exactly.
 */
#include "rv_wire.h"
#include "rv_wire_le.h"

size_t rv_csi_frame_size(uint8_t n_antennas, uint16_t n_subcarriers)
{
    if (n_antennas == 0u || n_antennas > RV_CSI_MAX_ANTENNAS ||
        n_subcarriers == 0u || n_subcarriers > RV_CSI_MAX_SUBCARRIERS)
        return 0;
    /* at most 20 + 2 * 4 * 4096: no overflow even with a 16-bit size_t */
    return RV_CSI_HEADER_SIZE + 2u * (size_t)n_antennas * (size_t)n_subcarriers;
}

rv_status rv_csi_frame_decode(const uint8_t *buf, size_t len, rv_csi_frame *out)
{
    rv_status st = rv_wire_in_check(buf, len, out, RV_MAGIC_CSI_RAW);
    if (st != RV_OK)
        return st;
    if (len < RV_CSI_HEADER_SIZE)
        return RV_ERR_TRUNCATED;

    uint8_t n_ant = buf[5];
    uint16_t n_sc = rv_ld16(buf + 6);   /* u16: 256-subcarrier frames exist */
    if (n_ant == 0u || n_ant > RV_CSI_MAX_ANTENNAS)
        return RV_ERR_ANTENNAS;
    if (n_sc == 0u || n_sc > RV_CSI_MAX_SUBCARRIERS)
        return RV_ERR_SUBCARRIERS;
    if (len != rv_csi_frame_size(n_ant, n_sc))
        return RV_ERR_LENGTH;

    memset(out, 0, sizeof *out);   /* padding too: decodes compare equal */
    out->node_id = buf[4];
    out->n_antennas = n_ant;
    out->n_subcarriers = n_sc;
    out->freq_mhz = rv_ld32(buf + 8);
    out->seq = rv_ld32(buf + 12);
    out->rssi = (int8_t)buf[16];
    out->noise_floor = (int8_t)buf[17];
    out->ppdu_type = buf[18];
    out->flags = buf[19];
    /* int8_t and uint8_t share representation; the view stays read-only */
    out->iq = (const int8_t *)(const void *)(buf + RV_CSI_HEADER_SIZE);
    return RV_OK;
}

rv_status rv_csi_frame_encode(const rv_csi_frame *f, uint8_t *out, size_t cap,
                              size_t *written)
{
    if (f == NULL || out == NULL || written == NULL)
        return RV_ERR_NULL;
    *written = 0;
    if (f->n_antennas == 0u || f->n_antennas > RV_CSI_MAX_ANTENNAS)
        return RV_ERR_ANTENNAS;
    if (f->n_subcarriers == 0u || f->n_subcarriers > RV_CSI_MAX_SUBCARRIERS)
        return RV_ERR_SUBCARRIERS;
    if (f->iq == NULL)
        return RV_ERR_NULL;
    size_t n = rv_csi_frame_size(f->n_antennas, f->n_subcarriers);
    rv_status st = rv_wire_out_check(f, out, cap, n, written);
    if (st != RV_OK)
        return st;

    rv_st32(out, RV_MAGIC_CSI_RAW);
    out[4] = f->node_id;
    out[5] = f->n_antennas;
    rv_st16(out + 6, f->n_subcarriers);
    rv_st32(out + 8, f->freq_mhz);
    rv_st32(out + 12, f->seq);
    out[16] = (uint8_t)f->rssi;
    out[17] = (uint8_t)f->noise_floor;
    out[18] = f->ppdu_type;
    out[19] = f->flags;
    /* memmove: the caller may encode a frame decoded from this very buffer */
    memmove(out + RV_CSI_HEADER_SIZE, f->iq, n - RV_CSI_HEADER_SIZE);
    *written = n;
    return RV_OK;
}
