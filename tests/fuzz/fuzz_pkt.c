/*
 * fuzz_pkt.c — libFuzzer target for the node packet decoders.
 *
 * Any input: rv_pkt_decode must return without crashing or reading past
 * size (ASan), and the kind-independent accessors must work. Accepted
 * input: re-encoding the decoded packet and decoding that again must give
 * the same fields, and kinds without reserved bytes (raw CSI, WASM output,
 * compressed CSI) must re-encode to the very same bytes.
 */
#include <stdlib.h>
#include <string.h>
#include "rv_wire.h"
#include "rv_crc32.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static uint8_t out[RV_CSI_HEADER_SIZE + 2u * RV_CSI_MAX_ANTENNAS * RV_CSI_MAX_SUBCARRIERS];

static void check_csi(const uint8_t *data, size_t size, const rv_csi_frame *f)
{
    size_t w;
    CHECK(rv_csi_frame_encode(f, out, sizeof out, &w) == RV_OK);
    CHECK(w == size && memcmp(out, data, size) == 0);
}

static void check_vitals(const rv_pkt *p)
{
    size_t w;
    rv_pkt q;
    CHECK(rv_vitals_encode(&p->u.vitals, p->u.vitals.fused, out, sizeof out, &w) == RV_OK);
    CHECK(rv_pkt_decode(out, w, &q) == RV_OK && q.kind == p->kind);
    CHECK(memcmp(&q.u.vitals, &p->u.vitals, sizeof q.u.vitals) == 0);
}

static void check_wasm(const uint8_t *data, size_t size, const rv_wasm_output *o)
{
    size_t w;
    CHECK(rv_wasm_output_encode(o, out, sizeof out, &w) == RV_OK);
    CHECK(w == size && memcmp(out, data, size) == 0);
}

static void check_misc(const uint8_t *data, size_t size, const rv_pkt *p)
{
    size_t w;
    if (p->kind == RV_PKT_CSI_COMPRESSED) {
        rv_csi_compressed c;
        CHECK(rv_csi_compressed_decode(data, size, &c) == RV_OK);
        CHECK(c.node_id == p->u.opaque.node_id && c.comp_len == p->u.opaque.body_len);
        CHECK(rv_csi_compressed_encode(&c, out, sizeof out, &w) == RV_OK);
        CHECK(w == size && memcmp(out, data, size) == 0);
    } else if (p->kind == RV_PKT_MESH) {
        rv_mesh_msg m, n;
        CHECK(rv_mesh_decode(data, size, &m) == RV_OK);
        CHECK(rv_mesh_encode(&m, out, sizeof out, &w) == RV_OK && w == size);
        CHECK(rv_mesh_decode(out, w, &n) == RV_OK);
        CHECK(memcmp(n.payload, m.payload, m.payload_len) == 0);
        n.payload = m.payload;
        CHECK(memcmp(&n, &m, sizeof m) == 0);
    } else {
        rv_timesync t, u;
        CHECK(rv_timesync_decode(data, size, &t) == RV_OK);
        CHECK(t.node_id == p->u.opaque.node_id);
        CHECK(rv_timesync_encode(&t, out, sizeof out, &w) == RV_OK);
        CHECK(rv_timesync_decode(out, w, &u) == RV_OK);
        CHECK(memcmp(&t, &u, sizeof t) == 0);
        if (w == size)   /* no reserved bytes in the time-sync layout */
            CHECK(memcmp(out, data, size) == 0);
    }
}

/* Kinds with reserved bytes: compare decoded structs, not bytes. */
#define CHECK_REDECODE(enc, member)                                        \
    do {                                                                   \
        size_t w_;                                                         \
        rv_pkt q_;                                                         \
        CHECK(enc(&p.u.member, out, sizeof out, &w_) == RV_OK);            \
        CHECK(w_ == size);                                                 \
        CHECK(rv_pkt_decode(out, w_, &q_) == RV_OK && q_.kind == p.kind);  \
        CHECK(memcmp(&q_.u.member, &p.u.member, sizeof p.u.member) == 0);  \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rv_pkt p;
    rv_status st = rv_pkt_decode(data, size, &p);
    CHECK(rv_status_str(st) != NULL);
    CHECK(rv_pkt_kind_name(p.kind) != NULL);
    if (st != RV_OK)
        return 0;
    (void)rv_pkt_node_id(&p);
    (void)rv_pkt_seq(&p);

    switch (p.kind) {
    case RV_PKT_CSI_RAW:
        check_csi(data, size, &p.u.csi);
        break;
    case RV_PKT_VITALS:
    case RV_PKT_FUSED_VITALS:
        check_vitals(&p);
        break;
    case RV_PKT_FEATURES:
        CHECK_REDECODE(rv_feature_vector_encode, features);
        break;
    case RV_PKT_WASM_OUTPUT:
        check_wasm(data, size, &p.u.wasm);
        break;
    case RV_PKT_FEATURE_STATE:
        CHECK(rv_crc32(data, 56) == ((uint32_t)data[56] | (uint32_t)data[57] << 8 |
                                     (uint32_t)data[58] << 16 | (uint32_t)data[59] << 24));
        CHECK_REDECODE(rv_feature_state_encode, state);
        break;
    case RV_PKT_CLASSIFICATION:
        CHECK(p.u.cls.argmax < p.u.cls.n_classes);
        CHECK_REDECODE(rv_classification_encode, cls);
        break;
    case RV_PKT_CSI_COMPRESSED:
    case RV_PKT_MESH:
    case RV_PKT_TIMESYNC:
        check_misc(data, size, &p);
        break;
    default:
        abort();   /* OK with an unknown kind is a bug */
    }
    return 0;
}
