/* test_wire_roundtrip.c — encode -> decode gives back every field, for every
 * kind, over pseudo-random field values; encoders never write past the
 * size they report. */
#include <check.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "rv_wire.h"

static uint32_t rng = 0x2545F491u;

static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static float rndf(void)
{
    return (float)((int32_t)rnd() % 100000) / 64.0f;
}

#define GUARD 0xA5u

/* Encode into a guarded buffer (the call writes its size to w_); check
 * written == expected and that the byte after it is untouched. */
#define ENCODE(call, expected)                                                \
    do {                                                                      \
        memset(buf, GUARD, sizeof buf);                                       \
        size_t w_ = 0;                                                        \
        ck_assert_int_eq((call), RV_OK);                                      \
        ck_assert_uint_eq(w_, (expected));                                    \
        ck_assert_uint_eq(buf[w_], GUARD);                                    \
        len = w_;                                                             \
    } while (0)

static uint8_t buf[RV_CSI_HEADER_SIZE + 2 * 4 * 4096 + 1];

START_TEST(test_csi_roundtrip)
{
    static int8_t iq[2 * 4 * 4096];
    for (int it = 0; it < 200; it++) {
        rv_csi_frame f;
        size_t len;
        f.node_id = (uint8_t)rnd();
        f.n_antennas = (uint8_t)(1 + rnd() % 4);
        f.n_subcarriers = (uint16_t)(it == 0 ? 4096 : it == 1 ? 256 : 1 + rnd() % 300);
        f.freq_mhz = rnd();
        f.seq = rnd();
        f.rssi = (int8_t)rnd();
        f.noise_floor = (int8_t)rnd();
        f.ppdu_type = (uint8_t)rnd();
        f.flags = (uint8_t)rnd();
        size_t n_iq = 2u * f.n_antennas * f.n_subcarriers;
        for (size_t k = 0; k < n_iq; k++)
            iq[k] = (int8_t)rnd();
        f.iq = iq;
        ENCODE(rv_csi_frame_encode(&f, buf, sizeof buf, &w_),
               rv_csi_frame_size(f.n_antennas, f.n_subcarriers));
        rv_pkt p;
        ck_assert_int_eq(rv_pkt_decode(buf, len, &p), RV_OK);
        ck_assert_int_eq(p.kind, RV_PKT_CSI_RAW);
        const rv_csi_frame *d = &p.u.csi;
        ck_assert_uint_eq(d->node_id, f.node_id);
        ck_assert_uint_eq(d->n_antennas, f.n_antennas);
        ck_assert_uint_eq(d->n_subcarriers, f.n_subcarriers);
        ck_assert_uint_eq(d->freq_mhz, f.freq_mhz);
        ck_assert_uint_eq(d->seq, f.seq);
        ck_assert_int_eq(d->rssi, f.rssi);
        ck_assert_int_eq(d->noise_floor, f.noise_floor);
        ck_assert_uint_eq(d->ppdu_type, f.ppdu_type);
        ck_assert_uint_eq(d->flags, f.flags);
        ck_assert_mem_eq(d->iq, iq, n_iq);
        ck_assert_uint_eq(rv_pkt_seq(&p), f.seq);
        ck_assert_uint_eq(rv_pkt_node_id(&p), f.node_id);
    }
}
END_TEST

START_TEST(test_vitals_roundtrip)
{
    for (int it = 0; it < 100; it++) {
        bool fused = it & 1;
        rv_vitals v;
        memset(&v, 0, sizeof v);
        size_t len;
        v.node_id = (uint8_t)rnd();
        v.flags = (uint8_t)rnd();
        v.breathing_centi_bpm = (uint16_t)rnd();
        v.heart_rate_bpm_e4 = rnd();
        v.rssi = (int8_t)rnd();
        v.n_persons = (uint8_t)rnd();
        v.motion_energy = rndf();
        v.presence_score = rndf();
        v.timestamp_ms = rnd();
        if (fused) {
            v.mmwave_type = (uint8_t)rnd();
            v.fusion_confidence = (uint8_t)rnd();
            v.mmwave_hr = rndf();
            v.mmwave_br = rndf();
            v.distance_cm = rndf();
            v.targets = (uint8_t)rnd();
            v.confidence = (uint8_t)rnd();
        }
        v.fused = fused;
        ENCODE(rv_vitals_encode(&v, fused, buf, sizeof buf, &w_), fused ? 48u : 32u);
        rv_pkt p;
        ck_assert_int_eq(rv_pkt_decode(buf, len, &p), RV_OK);
        ck_assert_int_eq(p.kind, fused ? RV_PKT_FUSED_VITALS : RV_PKT_VITALS);
        ck_assert_mem_eq(&p.u.vitals, &v, offsetof(rv_vitals, mmwave_hr));
        ck_assert(p.u.vitals.mmwave_hr == v.mmwave_hr);
        ck_assert(p.u.vitals.mmwave_br == v.mmwave_br);
        ck_assert(p.u.vitals.distance_cm == v.distance_cm);
        ck_assert_uint_eq(p.u.vitals.targets, v.targets);
        ck_assert_uint_eq(p.u.vitals.confidence, v.confidence);
        ck_assert(p.u.vitals.fused == fused);
    }
}
END_TEST

START_TEST(test_small_kinds_roundtrip)
{
    for (int it = 0; it < 100; it++) {
        size_t len;
        rv_pkt p;

        rv_feature_vector f;
        f.node_id = (uint8_t)rnd();
        f.seq = (uint16_t)rnd();
        f.ts_us = (int64_t)(((uint64_t)rnd() << 32) | rnd());
        for (int i = 0; i < 8; i++)
            f.features[i] = rndf();
        ENCODE(rv_feature_vector_encode(&f, buf, sizeof buf, &w_), 48u);
        ck_assert_int_eq(rv_pkt_decode(buf, len, &p), RV_OK);
        ck_assert_uint_eq(p.u.features.node_id, f.node_id);
        ck_assert_uint_eq(p.u.features.seq, f.seq);
        ck_assert(p.u.features.ts_us == f.ts_us);
        ck_assert_mem_eq(p.u.features.features, f.features, sizeof f.features);

        rv_feature_state s;
        s.node_id = (uint8_t)rnd();
        s.mode = (uint8_t)rnd();
        s.seq = (uint16_t)rnd();
        s.ts_us = ((uint64_t)rnd() << 32) | rnd();
        s.motion = rndf();
        s.presence = rndf();
        s.respiration_bpm = rndf();
        s.respiration_conf = rndf();
        s.heartbeat_bpm = rndf();
        s.heartbeat_conf = rndf();
        s.anomaly = rndf();
        s.env_shift = rndf();
        s.node_coherence = rndf();
        s.quality_flags = (uint16_t)rnd();
        ENCODE(rv_feature_state_encode(&s, buf, sizeof buf, &w_), 60u);
        ck_assert_int_eq(rv_pkt_decode(buf, len, &p), RV_OK);
        ck_assert_int_eq(p.kind, RV_PKT_FEATURE_STATE);
        ck_assert_uint_eq(p.u.state.seq, s.seq);
        ck_assert_uint_eq(p.u.state.ts_us, s.ts_us);
        ck_assert(p.u.state.node_coherence == s.node_coherence);
        ck_assert(p.u.state.anomaly == s.anomaly);
        ck_assert_uint_eq(p.u.state.quality_flags, s.quality_flags);
        ck_assert_uint_eq(p.u.state.mode, s.mode);

        rv_classification c;
        c.version = 1;
        c.n_classes = (uint16_t)(2 + rnd() % 300);
        c.node_id = (uint8_t)rnd();
        c.ts_us = ((uint64_t)rnd() << 32) | rnd();
        c.seq = rnd();
        c.argmax = (uint8_t)(rnd() % (c.n_classes < 256 ? c.n_classes : 256));
        c.top_logit = rndf();
        c.top1_minus_top2 = rndf();
        ENCODE(rv_classification_encode(&c, buf, sizeof buf, &w_), 40u);
        ck_assert_int_eq(rv_pkt_decode(buf, len, &p), RV_OK);
        ck_assert_int_eq(p.kind, RV_PKT_CLASSIFICATION);
        ck_assert_uint_eq(p.u.cls.n_classes, c.n_classes);
        ck_assert_uint_eq(p.u.cls.argmax, c.argmax);
        ck_assert_uint_eq(p.u.cls.seq, c.seq);
        ck_assert_uint_eq(p.u.cls.ts_us, c.ts_us);
        ck_assert(p.u.cls.top_logit == c.top_logit);
        ck_assert(p.u.cls.top1_minus_top2 == c.top1_minus_top2);

        rv_wasm_output w;
        memset(&w, 0, sizeof w);
        w.magic = (it & 1) ? RV_MAGIC_WASM_OUTPUT_ALT : RV_MAGIC_FUSED_VITALS;
        w.node_id = (uint8_t)rnd();
        w.module_id = (uint8_t)rnd();
        w.n_events = (uint16_t)(1 + rnd() % RV_WASM_MAX_EVENTS);
        for (int i = 0; i < w.n_events; i++) {
            w.type[i] = (uint8_t)rnd();
            w.value[i] = rndf();
        }
        ENCODE(rv_wasm_output_encode(&w, buf, sizeof buf, &w_), 8u + 5u * w.n_events);
        ck_assert_int_eq(rv_pkt_decode(buf, len, &p), RV_OK);
        ck_assert_int_eq(p.kind, RV_PKT_WASM_OUTPUT);
        ck_assert_mem_eq(&p.u.wasm, &w, sizeof w);   /* memset: padding equal */

        static uint8_t payload[256];
        for (size_t i = 0; i < sizeof payload; i++)
            payload[i] = (uint8_t)rnd();
        rv_mesh_msg m = {1, (uint8_t)rnd(), (uint8_t)rnd(), (uint8_t)rnd(), rnd(),
                         (uint16_t)(rnd() % 257), payload};
        ENCODE(rv_mesh_encode(&m, buf, sizeof buf, &w_), 20u + m.payload_len);
        rv_mesh_msg md;
        ck_assert_int_eq(rv_mesh_decode(buf, len, &md), RV_OK);
        ck_assert_uint_eq(md.msg_type, m.msg_type);
        ck_assert_uint_eq(md.sender_role, m.sender_role);
        ck_assert_uint_eq(md.auth_class, m.auth_class);
        ck_assert_uint_eq(md.epoch, m.epoch);
        ck_assert_uint_eq(md.payload_len, m.payload_len);
        ck_assert_mem_eq(md.payload, payload, m.payload_len);
        ck_assert_int_eq(rv_pkt_decode(buf, len, &p), RV_OK);
        ck_assert_int_eq(p.kind, RV_PKT_MESH);

        rv_csi_compressed z = {(uint8_t)rnd(), (uint8_t)rnd(), (uint16_t)rnd(),
                               (uint16_t)(rnd() % 257), payload};
        ENCODE(rv_csi_compressed_encode(&z, buf, sizeof buf, &w_), 10u + z.comp_len);
        ck_assert_int_eq(rv_pkt_decode(buf, len, &p), RV_OK);
        ck_assert_int_eq(p.kind, RV_PKT_CSI_COMPRESSED);
        ck_assert_uint_eq(p.u.opaque.node_id, z.node_id);
        ck_assert_uint_eq(p.u.opaque.body_len, z.comp_len);
        ck_assert_mem_eq(p.u.opaque.body, payload, z.comp_len);

        rv_timesync t;
        memset(&t, 0, sizeof t);
        t.node_id = (uint8_t)rnd();
        t.has_mac = it & 1;
        t.proto_ver = (uint8_t)(t.has_mac ? 2 + rnd() % 3 : rnd() % 4);
        t.flags = (uint8_t)rnd();
        t.min_heap_2k = (uint8_t)rnd();
        t.local_us = ((uint64_t)rnd() << 32) | rnd();
        t.epoch_us = ((uint64_t)rnd() << 32) | rnd();
        t.csi_seq_high_water = rnd();
        t.reset_reason = (uint8_t)rnd();
        t.thermal_state = (uint8_t)rnd();
        t.die_temp_c = (int8_t)rnd();
        t.tx_dbm = (uint8_t)rnd();
        for (int i = 0; i < 6 && t.has_mac; i++)
            t.mac[i] = (uint8_t)rnd();
        ENCODE(rv_timesync_encode(&t, buf, sizeof buf, &w_), t.has_mac ? 38u : 32u);
        rv_timesync td;
        ck_assert_int_eq(rv_timesync_decode(buf, len, &td), RV_OK);
        ck_assert_mem_eq(&td, &t, sizeof t);
        ck_assert_int_eq(rv_pkt_decode(buf, len, &p), RV_OK);
        ck_assert_uint_eq(rv_pkt_node_id(&p), t.node_id);
    }
}
END_TEST

START_TEST(test_encode_in_place)
{
    /* re-encoding a decoded view into its own buffer keeps the bytes */
    uint8_t b[24] = {0x01, 0x00, 0x11, 0xC5, 1, 1, 2, 0, 0, 0, 0, 0,
                     0, 0, 0, 0, 0, 0, 0, 0, 9, 8, 7, 6};
    rv_csi_frame f;
    size_t w;
    ck_assert_int_eq(rv_csi_frame_decode(b, 24, &f), RV_OK);
    f.seq = 5;
    ck_assert_int_eq(rv_csi_frame_encode(&f, b, 24, &w), RV_OK);
    ck_assert_uint_eq(b[12], 5);
    ck_assert_int_eq(b[20], 9);
    ck_assert_int_eq(b[23], 6);
}
END_TEST

static Suite *rt_suite(void)
{
    Suite *s = suite_create("wire-roundtrip");
    TCase *tc = tcase_create("roundtrip");
    tcase_add_test(tc, test_csi_roundtrip);
    tcase_add_test(tc, test_vitals_roundtrip);
    tcase_add_test(tc, test_small_kinds_roundtrip);
    tcase_add_test(tc, test_encode_in_place);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(rt_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
