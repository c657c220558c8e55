/*
 * rv_wire_pkt.c — dispatch a datagram to its decoder by magic, resolve the
 * two shared magics by length/shape, and give kind-independent accessors.
 */
#include "rv_wire.h"
#include "rv_wire_le.h"
#include "rv_wire_int.h"

const char *rv_pkt_kind_name(rv_pkt_kind k)
{
    switch (k) {
    case RV_PKT_UNKNOWN: return "unknown";
    case RV_PKT_CSI_RAW: return "csi-raw";
    case RV_PKT_VITALS: return "vitals";
    case RV_PKT_FEATURES: return "features";
    case RV_PKT_FUSED_VITALS: return "fused-vitals";
    case RV_PKT_WASM_OUTPUT: return "wasm-output";
    case RV_PKT_CSI_COMPRESSED: return "csi-compressed";
    case RV_PKT_FEATURE_STATE: return "feature-state";
    case RV_PKT_CLASSIFICATION: return "classification";
    case RV_PKT_MESH: return "mesh";
    case RV_PKT_TIMESYNC: return "timesync";
    case RV_PKT_KIND_COUNT: break;
    }
    return "invalid";
}

static rv_status rv_pkt_opaque(const uint8_t *buf, size_t len, rv_pkt *out)
{
    rv_opaque_pkt *o = &out->u.opaque;
    rv_status st;
    memset(o, 0, sizeof *o);
    o->length = len;
    if (out->kind == RV_PKT_CSI_COMPRESSED) {
        rv_csi_compressed c;
        st = rv_csi_compressed_decode(buf, len, &c);
        if (st == RV_OK) {
            o->node_id = c.node_id;
            o->body = c.data;
            o->body_len = c.comp_len;
        }
    } else if (out->kind == RV_PKT_MESH) {
        rv_mesh_msg m;
        st = rv_mesh_decode(buf, len, &m);
        if (st == RV_OK) {
            o->body = m.payload;
            o->body_len = m.payload_len;
        }
    } else {
        rv_timesync t;
        st = rv_timesync_decode(buf, len, &t);
        if (st == RV_OK)
            o->node_id = t.node_id;
    }
    return st;
}

rv_status rv_pkt_decode(const uint8_t *buf, size_t len, rv_pkt *out)
{
    if (buf == NULL || out == NULL)
        return RV_ERR_NULL;
    if (len < 4u)
        return RV_ERR_TRUNCATED;
    uint32_t magic = rv_ld32(buf);
    out->magic = magic;
    out->kind = RV_PKT_UNKNOWN;

    switch (magic) {
    case RV_MAGIC_CSI_RAW:
        out->kind = RV_PKT_CSI_RAW;
        return rv_csi_frame_decode(buf, len, &out->u.csi);
    case RV_MAGIC_VITALS:
        out->kind = RV_PKT_VITALS;
        return rv_vitals_decode(buf, len, &out->u.vitals);
    case RV_MAGIC_FEATURES:
        out->kind = RV_PKT_FEATURES;
        return rv_feature_vector_decode(buf, len, &out->u.features);
    case RV_MAGIC_FUSED_VITALS:
        /* 48 == 8 + 5 * 8: a 48-byte packet is WASM output only when its
         * u16 at bytes 6..7 is 8 (as fused vitals: 0.08 BPM breathing) */
        out->kind = RV_PKT_FUSED_VITALS;   /* what a failure is counted as */
        if (len == RV_FUSED_VITALS_SIZE && !rv_wasm_shape_ok(buf, len))
            return rv_vitals_decode(buf, len, &out->u.vitals);
        if (len < RV_WASM_HEADER_SIZE)
            return RV_ERR_TRUNCATED;
        if (!rv_wasm_shape_ok(buf, len))
            return RV_ERR_LENGTH;
        out->kind = RV_PKT_WASM_OUTPUT;
        return rv_wasm_output_decode(buf, len, &out->u.wasm);
    case RV_MAGIC_CLASSIFICATION:
        if (len != RV_CLASSIFICATION_SIZE && rv_wasm_shape_ok(buf, len)) {
            out->kind = RV_PKT_WASM_OUTPUT;
            return rv_wasm_output_decode(buf, len, &out->u.wasm);
        }
        out->kind = RV_PKT_CLASSIFICATION;
        return rv_classification_decode(buf, len, &out->u.cls);
    case RV_MAGIC_CSI_COMPRESSED:
        out->kind = RV_PKT_CSI_COMPRESSED;
        return rv_pkt_opaque(buf, len, out);
    case RV_MAGIC_FEATURE_STATE:
        out->kind = RV_PKT_FEATURE_STATE;
        return rv_feature_state_decode(buf, len, &out->u.state);
    case RV_MAGIC_MESH:
        out->kind = RV_PKT_MESH;
        return rv_pkt_opaque(buf, len, out);
    case RV_MAGIC_TIMESYNC:
        out->kind = RV_PKT_TIMESYNC;
        return rv_pkt_opaque(buf, len, out);
    default:
        return RV_ERR_MAGIC;
    }
}

uint8_t rv_pkt_node_id(const rv_pkt *p)
{
    if (p == NULL)
        return 0;
    switch (p->kind) {
    case RV_PKT_CSI_RAW: return p->u.csi.node_id;
    case RV_PKT_VITALS:
    case RV_PKT_FUSED_VITALS: return p->u.vitals.node_id;
    case RV_PKT_FEATURES: return p->u.features.node_id;
    case RV_PKT_WASM_OUTPUT: return p->u.wasm.node_id;
    case RV_PKT_FEATURE_STATE: return p->u.state.node_id;
    case RV_PKT_CLASSIFICATION: return p->u.cls.node_id;
    case RV_PKT_CSI_COMPRESSED:
    case RV_PKT_MESH:
    case RV_PKT_TIMESYNC: return p->u.opaque.node_id;
    case RV_PKT_UNKNOWN:
    case RV_PKT_KIND_COUNT: break;
    }
    return 0;
}

uint32_t rv_pkt_seq(const rv_pkt *p)
{
    if (p == NULL)
        return 0;
    switch (p->kind) {
    case RV_PKT_CSI_RAW: return p->u.csi.seq;
    case RV_PKT_FEATURES: return p->u.features.seq;
    case RV_PKT_FEATURE_STATE: return p->u.state.seq;
    case RV_PKT_CLASSIFICATION: return p->u.cls.seq;
    case RV_PKT_CSI_COMPRESSED:
    case RV_PKT_MESH:
    case RV_PKT_TIMESYNC: return p->u.opaque.seq;
    default: break;
    }
    return 0;
}
