/*
 * rv_wire_misc.c — packets we recognise and check but do not interpret:
 * compressed CSI 0xC5110005 (header only: the body is a delta against a
 * frame the receiver may never have seen), mesh control 0xC5118100
 * (envelope + CRC; payload left to the caller) and time-sync 0xC511A110.
 */
#include "rv_wire.h"
#include "rv_wire_le.h"
#include "rv_crc32.h"

rv_status rv_csi_compressed_decode(const uint8_t *buf, size_t len,
                                   rv_csi_compressed *out)
{
    rv_status st = rv_wire_in_check(buf, len, out, RV_MAGIC_CSI_COMPRESSED);
    if (st != RV_OK)
        return st;
    if (len < RV_CSI_COMPRESSED_HEADER_SIZE)
        return RV_ERR_TRUNCATED;
    uint16_t comp_len = rv_ld16(buf + 8);
    if (len != RV_CSI_COMPRESSED_HEADER_SIZE + (size_t)comp_len)
        return RV_ERR_LENGTH;
    memset(out, 0, sizeof *out);   /* padding too: decodes compare equal */
    out->node_id = buf[4];
    out->channel = buf[5];
    out->raw_len = rv_ld16(buf + 6);
    out->comp_len = comp_len;
    out->data = buf + RV_CSI_COMPRESSED_HEADER_SIZE;
    return RV_OK;
}

rv_status rv_csi_compressed_encode(const rv_csi_compressed *c, uint8_t *out,
                                   size_t cap, size_t *written)
{
    if (c == NULL || out == NULL || written == NULL)
        return RV_ERR_NULL;
    *written = 0;
    if (c->comp_len > 0u && c->data == NULL)
        return RV_ERR_NULL;
    size_t n = RV_CSI_COMPRESSED_HEADER_SIZE + (size_t)c->comp_len;
    rv_status st = rv_wire_out_check(c, out, cap, n, written);
    if (st != RV_OK)
        return st;
    rv_st32(out, RV_MAGIC_CSI_COMPRESSED);
    out[4] = c->node_id;
    out[5] = c->channel;
    rv_st16(out + 6, c->raw_len);
    rv_st16(out + 8, c->comp_len);
    if (c->comp_len > 0u)
        memmove(out + RV_CSI_COMPRESSED_HEADER_SIZE, c->data, c->comp_len);
    *written = n;
    return RV_OK;
}

rv_status rv_mesh_decode(const uint8_t *buf, size_t len, rv_mesh_msg *out)
{
    rv_status st = rv_wire_in_check(buf, len, out, RV_MAGIC_MESH);
    if (st != RV_OK)
        return st;
    if (len < RV_MESH_HEADER_SIZE + 4u)
        return RV_ERR_TRUNCATED;
    uint16_t plen = rv_ld16(buf + 12);
    if (plen > RV_MESH_MAX_PAYLOAD)
        return RV_ERR_FIELD;
    if (len != RV_MESH_HEADER_SIZE + (size_t)plen + 4u)
        return RV_ERR_LENGTH;
    if (rv_crc32(buf, len - 4u) != rv_ld32(buf + len - 4u))
        return RV_ERR_CRC;
    if (buf[4] != RV_MESH_VERSION)
        return RV_ERR_VERSION;
    memset(out, 0, sizeof *out);   /* padding too: decodes compare equal */
    out->version = buf[4];
    out->msg_type = buf[5];
    out->sender_role = buf[6];
    out->auth_class = buf[7];
    out->epoch = rv_ld32(buf + 8);
    out->payload_len = plen;
    out->payload = buf + RV_MESH_HEADER_SIZE;
    return RV_OK;
}

rv_status rv_mesh_encode(const rv_mesh_msg *m, uint8_t *out, size_t cap,
                         size_t *written)
{
    if (m == NULL || out == NULL || written == NULL)
        return RV_ERR_NULL;
    *written = 0;
    if (m->version != RV_MESH_VERSION)
        return RV_ERR_VERSION;
    if (m->payload_len > RV_MESH_MAX_PAYLOAD)
        return RV_ERR_FIELD;
    if (m->payload_len > 0u && m->payload == NULL)
        return RV_ERR_NULL;
    size_t n = RV_MESH_HEADER_SIZE + (size_t)m->payload_len + 4u;
    rv_status st = rv_wire_out_check(m, out, cap, n, written);
    if (st != RV_OK)
        return st;
    rv_st32(out, RV_MAGIC_MESH);
    out[4] = m->version;
    out[5] = m->msg_type;
    out[6] = m->sender_role;
    out[7] = m->auth_class;
    rv_st32(out + 8, m->epoch);
    rv_st16(out + 12, m->payload_len);
    rv_st16(out + 14, 0);
    if (m->payload_len > 0u)
        memmove(out + RV_MESH_HEADER_SIZE, m->payload, m->payload_len);
    rv_st32(out + n - 4u, rv_crc32(out, n - 4u));
    *written = n;
    return RV_OK;
}

rv_status rv_timesync_decode(const uint8_t *buf, size_t len, rv_timesync *out)
{
    rv_status st = rv_wire_in_check(buf, len, out, RV_MAGIC_TIMESYNC);
    if (st != RV_OK)
        return st;
    if (len < RV_TIMESYNC_SIZE)
        return RV_ERR_TRUNCATED;
    if (len != RV_TIMESYNC_SIZE && len != RV_TIMESYNC_SIZE_V2)
        return RV_ERR_LENGTH;
    memset(out, 0, sizeof *out);
    out->node_id = buf[4];
    out->proto_ver = buf[5];
    out->flags = buf[6];
    out->min_heap_2k = buf[7];
    out->local_us = rv_ld64(buf + 8);
    out->epoch_us = rv_ld64(buf + 16);
    out->csi_seq_high_water = rv_ld32(buf + 24);
    out->reset_reason = buf[28];
    out->thermal_state = buf[29];
    out->die_temp_c = (int8_t)buf[30];
    out->tx_dbm = buf[31];
    /* the MAC counts only when length and version agree: a padded v1
     * datagram must not yield six bytes of stack garbage as an address */
    if (len == RV_TIMESYNC_SIZE_V2 && out->proto_ver >= 2u) {
        out->has_mac = true;
        memcpy(out->mac, buf + RV_TIMESYNC_SIZE, 6);
    }
    return RV_OK;
}

rv_status rv_timesync_encode(const rv_timesync *t, uint8_t *out, size_t cap,
                             size_t *written)
{
    if (t == NULL || out == NULL || written == NULL)
        return RV_ERR_NULL;
    *written = 0;
    if (t->has_mac && t->proto_ver < 2u)
        return RV_ERR_VERSION;
    size_t n = t->has_mac ? RV_TIMESYNC_SIZE_V2 : RV_TIMESYNC_SIZE;
    rv_status st = rv_wire_out_check(t, out, cap, n, written);
    if (st != RV_OK)
        return st;
    rv_st32(out, RV_MAGIC_TIMESYNC);
    out[4] = t->node_id;
    out[5] = t->proto_ver;
    out[6] = t->flags;
    out[7] = t->min_heap_2k;
    rv_st64(out + 8, t->local_us);
    rv_st64(out + 16, t->epoch_us);
    rv_st32(out + 24, t->csi_seq_high_water);
    out[28] = t->reset_reason;
    out[29] = t->thermal_state;
    out[30] = (uint8_t)t->die_temp_c;
    out[31] = t->tx_dbm;
    if (t->has_mac)
        memcpy(out + RV_TIMESYNC_SIZE, t->mac, 6);
    *written = n;
    return RV_OK;
}
