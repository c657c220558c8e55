/* test_wire_golden.c — hand-written packets (wire_golden.h) decode to the
 * documented field values, and our encoders reproduce them byte for byte. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "rv_wire.h"
#include "wire_golden.h"

/* Decode through the dispatcher from an exactly-sized copy. */
static rv_pkt decode_ok(const uint8_t *g, size_t n, rv_pkt_kind kind)
{
    uint8_t *b = wire_exact(g, n);
    rv_pkt p;
    ck_assert_int_eq(rv_pkt_decode(b, n, &p), RV_OK);
    ck_assert_int_eq(p.kind, kind);
    ck_assert_uint_eq(p.magic, (uint32_t)g[0] | (uint32_t)g[1] << 8 |
                                   (uint32_t)g[2] << 16 | (uint32_t)g[3] << 24);
    free(b);
    return p;
}

/* Encoded bytes equal the hand-written ones. */
static void same_bytes(const uint8_t *out, size_t written, const uint8_t *g, size_t n)
{
    ck_assert_uint_eq(written, n);
    ck_assert_mem_eq(out, g, n);
}

START_TEST(test_csi_iq_order)
{
    rv_csi_frame f;
    ck_assert_int_eq(rv_csi_frame_decode(golden_csi, sizeof golden_csi, &f), RV_OK);
    ck_assert_uint_eq(f.node_id, 7);
    ck_assert_uint_eq(f.n_antennas, 1);
    ck_assert_uint_eq(f.n_subcarriers, 2);
    ck_assert_uint_eq(f.freq_mhz, 2437);
    ck_assert_uint_eq(f.seq, 0x12345678u);
    ck_assert_int_eq(f.rssi, -40);
    ck_assert_int_eq(f.noise_floor, -95);
    ck_assert_uint_eq(f.ppdu_type, 2);
    ck_assert_uint_eq(f.flags, 0x10);
    /* zero-copy view, imaginary first */
    ck_assert_ptr_eq(f.iq, (const int8_t *)(golden_csi + 20));
    ck_assert_int_eq(f.iq[0], 3);   /* imag */
    ck_assert_int_eq(f.iq[1], 4);   /* real */
    ck_assert_int_eq(f.iq[2], -3);
    ck_assert_int_eq(f.iq[3], 127);

    rv_pkt p = decode_ok(golden_csi, sizeof golden_csi, RV_PKT_CSI_RAW);
    ck_assert_uint_eq(rv_pkt_node_id(&p), 7);
    ck_assert_uint_eq(rv_pkt_seq(&p), 0x12345678u);

    uint8_t out[64];
    size_t w = 0;
    ck_assert_uint_eq(rv_csi_frame_size(1, 2), 24);
    ck_assert_int_eq(rv_csi_frame_encode(&f, out, sizeof out, &w), RV_OK);
    same_bytes(out, w, golden_csi, sizeof golden_csi);
}
END_TEST

START_TEST(test_csi_two_antennas)
{
    rv_csi_frame f;
    ck_assert_int_eq(rv_csi_frame_decode(golden_csi_2ant, sizeof golden_csi_2ant, &f), RV_OK);
    ck_assert_uint_eq(f.n_antennas, 2);
    ck_assert_uint_eq(f.n_subcarriers, 3);
    ck_assert_uint_eq(f.freq_mhz, 5228);
    /* antenna 1, subcarrier 2 = iq[2*(1*3+2)] */
    ck_assert_int_eq(f.iq[2 * (1 * 3 + 2)], 24);
    ck_assert_int_eq(f.iq[2 * (1 * 3 + 2) + 1], 25);
    ck_assert_int_eq(f.iq[2 * (0 * 3 + 1)], 12);
}
END_TEST

START_TEST(test_csi_256_subcarriers)
{
    size_t n = 20 + 512;
    uint8_t *b = malloc(n);
    memcpy(b, golden_csi256_hdr, 20);
    for (size_t k = 0; k < 512; k++)
        b[20 + k] = (uint8_t)(int8_t)((int)k - 100);
    rv_csi_frame f;
    ck_assert_int_eq(rv_csi_frame_decode(b, n, &f), RV_OK);
    ck_assert_uint_eq(f.n_subcarriers, 256);
    ck_assert_uint_eq(f.seq, 0xFFFFFFFFu);
    ck_assert_int_eq(f.iq[0], -100);
    ck_assert_int_eq(f.iq[511], (int8_t)(511 - 100));
    rv_pkt p;
    ck_assert_int_eq(rv_pkt_decode(b, n, &p), RV_OK);
    ck_assert_uint_eq(p.u.csi.n_subcarriers, 256);
    free(b);
}
END_TEST

START_TEST(test_vitals)
{
    rv_pkt p = decode_ok(golden_vitals, sizeof golden_vitals, RV_PKT_VITALS);
    const rv_vitals *v = &p.u.vitals;
    ck_assert(!v->fused);
    ck_assert_uint_eq(v->node_id, 3);
    ck_assert_uint_eq(v->flags, 5);
    ck_assert_uint_eq(v->breathing_centi_bpm, 1525);
    ck_assert_uint_eq(v->heart_rate_bpm_e4, 725000);
    ck_assert_int_eq(v->rssi, -52);
    ck_assert_uint_eq(v->n_persons, 1);
    ck_assert(v->motion_energy == 1.5f);
    ck_assert(v->presence_score == 0.75f);
    ck_assert_uint_eq(v->timestamp_ms, 123456);
    ck_assert_uint_eq(rv_pkt_node_id(&p), 3);
    ck_assert_uint_eq(rv_pkt_seq(&p), 0);

    uint8_t out[64];
    size_t w;
    ck_assert_int_eq(rv_vitals_encode(v, false, out, sizeof out, &w), RV_OK);
    same_bytes(out, w, golden_vitals, sizeof golden_vitals);
}
END_TEST

START_TEST(test_fused_vitals)
{
    rv_pkt p = decode_ok(golden_fused, sizeof golden_fused, RV_PKT_FUSED_VITALS);
    const rv_vitals *v = &p.u.vitals;
    ck_assert(v->fused);
    ck_assert_uint_eq(v->node_id, 9);
    ck_assert_uint_eq(v->breathing_centi_bpm, 1400);
    ck_assert_uint_eq(v->heart_rate_bpm_e4, 650000);
    ck_assert_uint_eq(v->mmwave_type, 1);
    ck_assert_uint_eq(v->fusion_confidence, 80);
    ck_assert(v->motion_energy == 2.0f);
    ck_assert_uint_eq(v->timestamp_ms, 1000);
    ck_assert(v->mmwave_hr == 64.0f);
    ck_assert(v->mmwave_br == 14.5f);
    ck_assert(v->distance_cm == 150.0f);
    ck_assert_uint_eq(v->targets, 1);
    ck_assert_uint_eq(v->confidence, 90);

    uint8_t out[64];
    size_t w;
    ck_assert_int_eq(rv_vitals_encode(v, true, out, sizeof out, &w), RV_OK);
    same_bytes(out, w, golden_fused, sizeof golden_fused);
}
END_TEST

START_TEST(test_features)
{
    static const float want[8] = {0.0f, 0.5f, 1.0f, -1.0f, 0.25f, 2.0f, 0.125f, -0.5f};
    rv_pkt p = decode_ok(golden_features, sizeof golden_features, RV_PKT_FEATURES);
    ck_assert_uint_eq(p.u.features.node_id, 4);
    ck_assert_uint_eq(p.u.features.seq, 0x0102);
    ck_assert_int_eq(p.u.features.ts_us, 1000000);
    for (int i = 0; i < 8; i++)
        ck_assert(p.u.features.features[i] == want[i]);
    ck_assert_uint_eq(rv_pkt_seq(&p), 0x0102);

    uint8_t out[64];
    size_t w;
    ck_assert_int_eq(rv_feature_vector_encode(&p.u.features, out, sizeof out, &w), RV_OK);
    same_bytes(out, w, golden_features, sizeof golden_features);
}
END_TEST

START_TEST(test_wasm_on_fused_magic)
{
    rv_pkt p = decode_ok(golden_wasm, sizeof golden_wasm, RV_PKT_WASM_OUTPUT);
    const rv_wasm_output *w = &p.u.wasm;
    ck_assert_uint_eq(w->magic, RV_MAGIC_FUSED_VITALS);
    ck_assert_uint_eq(w->node_id, 5);
    ck_assert_uint_eq(w->module_id, 2);
    ck_assert_uint_eq(w->n_events, 2);
    ck_assert_uint_eq(w->type[0], 1);
    ck_assert(w->value[0] == 1.0f);
    ck_assert_uint_eq(w->type[1], 7);
    ck_assert(w->value[1] == -2.5f);
    ck_assert_uint_eq(rv_pkt_node_id(&p), 5);

    uint8_t out[64];
    size_t n;
    ck_assert_int_eq(rv_wasm_output_encode(w, out, sizeof out, &n), RV_OK);
    same_bytes(out, n, golden_wasm, sizeof golden_wasm);
}
END_TEST

START_TEST(test_wasm_on_class_magic)
{
    rv_pkt p = decode_ok(golden_wasm7, sizeof golden_wasm7, RV_PKT_WASM_OUTPUT);
    ck_assert_uint_eq(p.u.wasm.magic, RV_MAGIC_WASM_OUTPUT_ALT);
    ck_assert_uint_eq(p.u.wasm.node_id, 6);
    ck_assert_uint_eq(p.u.wasm.n_events, 1);
    ck_assert_uint_eq(p.u.wasm.type[0], 3);
    ck_assert(p.u.wasm.value[0] == 0.5f);
    uint8_t out[64];
    size_t n;
    ck_assert_int_eq(rv_wasm_output_encode(&p.u.wasm, out, sizeof out, &n), RV_OK);
    same_bytes(out, n, golden_wasm7, sizeof golden_wasm7);
}
END_TEST

START_TEST(test_feature_state)
{
    rv_pkt p = decode_ok(golden_state, sizeof golden_state, RV_PKT_FEATURE_STATE);
    const rv_feature_state *s = &p.u.state;
    ck_assert_uint_eq(s->node_id, 10);
    ck_assert_uint_eq(s->mode, 1);
    ck_assert_uint_eq(s->seq, 0x0203);
    ck_assert_uint_eq(s->ts_us, 0x0102030405ull);
    ck_assert(s->motion == 0.5f && s->presence == 1.0f);
    ck_assert(s->respiration_bpm == 15.0f && s->respiration_conf == 0.75f);
    ck_assert(s->heartbeat_bpm == 60.0f && s->heartbeat_conf == 0.25f);
    ck_assert(s->anomaly == 0.0f && s->env_shift == 0.125f);
    ck_assert(s->node_coherence == 1.0f);
    ck_assert_uint_eq(s->quality_flags, 3);
    ck_assert_uint_eq(rv_pkt_seq(&p), 0x0203);

    uint8_t out[64];
    size_t w;
    ck_assert_int_eq(rv_feature_state_encode(s, out, sizeof out, &w), RV_OK);
    same_bytes(out, w, golden_state, sizeof golden_state);   /* CRC too */
}
END_TEST

START_TEST(test_classification)
{
    rv_pkt p = decode_ok(golden_class, sizeof golden_class, RV_PKT_CLASSIFICATION);
    const rv_classification *c = &p.u.cls;
    ck_assert_uint_eq(c->version, 1);
    ck_assert_uint_eq(c->n_classes, 4);
    ck_assert_uint_eq(c->node_id, 11);
    ck_assert_uint_eq(c->ts_us, 5000000);
    ck_assert_uint_eq(c->seq, 42);
    ck_assert_uint_eq(c->argmax, 2);
    ck_assert(c->top_logit == 3.5f);
    ck_assert(c->top1_minus_top2 == 1.25f);
    ck_assert_uint_eq(rv_pkt_node_id(&p), 11);
    ck_assert_uint_eq(rv_pkt_seq(&p), 42);

    uint8_t out[64];
    size_t w;
    ck_assert_int_eq(rv_classification_encode(c, out, sizeof out, &w), RV_OK);
    same_bytes(out, w, golden_class, sizeof golden_class);
}
END_TEST

START_TEST(test_compressed)
{
    rv_pkt p = decode_ok(golden_compressed, sizeof golden_compressed, RV_PKT_CSI_COMPRESSED);
    ck_assert_uint_eq(p.u.opaque.node_id, 12);
    ck_assert_uint_eq(p.u.opaque.length, 13);
    ck_assert_uint_eq(p.u.opaque.body_len, 3);
    ck_assert_uint_eq(rv_pkt_node_id(&p), 12);

    rv_csi_compressed c;
    ck_assert_int_eq(rv_csi_compressed_decode(golden_compressed, 13, &c), RV_OK);
    ck_assert_uint_eq(c.channel, 6);
    ck_assert_uint_eq(c.raw_len, 128);
    ck_assert_uint_eq(c.comp_len, 3);
    ck_assert_ptr_eq(c.data, golden_compressed + 10);
    uint8_t out[32];
    size_t w;
    ck_assert_int_eq(rv_csi_compressed_encode(&c, out, sizeof out, &w), RV_OK);
    same_bytes(out, w, golden_compressed, sizeof golden_compressed);
}
END_TEST

START_TEST(test_mesh)
{
    rv_pkt p = decode_ok(golden_mesh, sizeof golden_mesh, RV_PKT_MESH);
    ck_assert_uint_eq(p.u.opaque.node_id, 0);   /* the envelope has none */
    ck_assert_uint_eq(p.u.opaque.body_len, 16);

    rv_mesh_msg m;
    ck_assert_int_eq(rv_mesh_decode(golden_mesh, sizeof golden_mesh, &m), RV_OK);
    ck_assert_uint_eq(m.version, 1);
    ck_assert_uint_eq(m.msg_type, 1);
    ck_assert_uint_eq(m.sender_role, 1);
    ck_assert_uint_eq(m.auth_class, 0);
    ck_assert_uint_eq(m.epoch, 7);
    ck_assert_uint_eq(m.payload_len, 16);
    ck_assert_ptr_eq(m.payload, golden_mesh + 16);
    uint8_t out[64];
    size_t w;
    ck_assert_int_eq(rv_mesh_encode(&m, out, sizeof out, &w), RV_OK);
    same_bytes(out, w, golden_mesh, sizeof golden_mesh);
}
END_TEST

START_TEST(test_timesync)
{
    rv_pkt p = decode_ok(golden_timesync, sizeof golden_timesync, RV_PKT_TIMESYNC);
    ck_assert_uint_eq(rv_pkt_node_id(&p), 9);
    ck_assert_uint_eq(rv_pkt_seq(&p), 0);

    rv_timesync t;
    ck_assert_int_eq(rv_timesync_decode(golden_timesync, 32, &t), RV_OK);
    ck_assert_uint_eq(t.proto_ver, 1);
    ck_assert_uint_eq(t.flags, 6);
    ck_assert_uint_eq(t.local_us, 28798450u);
    ck_assert_uint_eq(t.epoch_us, 27634885u);
    ck_assert_uint_eq(t.csi_seq_high_water, 20);
    ck_assert_uint_eq(t.reset_reason, 1);
    ck_assert_int_eq(t.die_temp_c, 42);
    ck_assert_uint_eq(t.tx_dbm, 20);
    ck_assert(!t.has_mac);
    uint8_t out[64];
    size_t w;
    ck_assert_int_eq(rv_timesync_encode(&t, out, sizeof out, &w), RV_OK);
    same_bytes(out, w, golden_timesync, sizeof golden_timesync);

    ck_assert_int_eq(rv_timesync_decode(golden_timesync_v2, 38, &t), RV_OK);
    ck_assert_uint_eq(t.node_id, 12);
    ck_assert_uint_eq(t.proto_ver, 2);
    ck_assert_uint_eq(t.min_heap_2k, 16);
    ck_assert_uint_eq(t.epoch_us - t.local_us, 7);
    ck_assert_uint_eq(t.csi_seq_high_water, 0x80000000u);
    ck_assert(t.has_mac);
    ck_assert_uint_eq(t.mac[0], 0x24);
    ck_assert_uint_eq(t.mac[5], 0x56);
    ck_assert_int_eq(rv_timesync_encode(&t, out, sizeof out, &w), RV_OK);
    same_bytes(out, w, golden_timesync_v2, sizeof golden_timesync_v2);
    decode_ok(golden_timesync_v2, 38, RV_PKT_TIMESYNC);

    /* 38 bytes but proto v1: the tail is not trusted as a MAC */
    uint8_t v1long[38];
    memcpy(v1long, golden_timesync_v2, 38);
    v1long[5] = 1;
    ck_assert_int_eq(rv_timesync_decode(v1long, 38, &t), RV_OK);
    ck_assert(!t.has_mac);
}
END_TEST

START_TEST(test_kind_names)
{
    ck_assert_str_eq(rv_pkt_kind_name(RV_PKT_CSI_RAW), "csi-raw");
    ck_assert_str_eq(rv_pkt_kind_name(RV_PKT_WASM_OUTPUT), "wasm-output");
    ck_assert_str_eq(rv_pkt_kind_name(RV_PKT_TIMESYNC), "timesync");
    ck_assert_str_eq(rv_pkt_kind_name((rv_pkt_kind)99), "invalid");
    for (int k = 0; k < RV_PKT_KIND_COUNT; k++)
        ck_assert_str_ne(rv_pkt_kind_name((rv_pkt_kind)k), "invalid");
    ck_assert_uint_eq(rv_pkt_node_id(NULL), 0);
    ck_assert_uint_eq(rv_pkt_seq(NULL), 0);
}
END_TEST

static Suite *golden_suite(void)
{
    Suite *s = suite_create("wire-golden");
    TCase *tc = tcase_create("golden");
    tcase_add_test(tc, test_csi_iq_order);
    tcase_add_test(tc, test_csi_two_antennas);
    tcase_add_test(tc, test_csi_256_subcarriers);
    tcase_add_test(tc, test_vitals);
    tcase_add_test(tc, test_fused_vitals);
    tcase_add_test(tc, test_features);
    tcase_add_test(tc, test_wasm_on_fused_magic);
    tcase_add_test(tc, test_wasm_on_class_magic);
    tcase_add_test(tc, test_feature_state);
    tcase_add_test(tc, test_classification);
    tcase_add_test(tc, test_compressed);
    tcase_add_test(tc, test_mesh);
    tcase_add_test(tc, test_timesync);
    tcase_add_test(tc, test_kind_names);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(golden_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
